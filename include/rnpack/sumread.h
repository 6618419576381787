/*
 * sumread.h - read back one entry of a summary.json that rnpack wrote
 * (report.h), for `--merge-summaries`, which builds the merged run's
 * index.html from the shards' entries.
 *
 * Only the shape report.c writes is read: an object whose "source",
 * "case" and "status" are strings and whose "findings" is an array of
 * objects with "code" and "message" strings and a "line" number; other
 * members are skipped.  Strings are decoded (\" \\ \/ \b \f \n \r \t
 * \uXXXX with surrogate pairs).
 */
#ifndef RNPACK_SUMREAD_H
#define RNPACK_SUMREAD_H

#include <stdbool.h>
#include <stddef.h>

struct run_entry;

/*
 * Fill e (zeroed by the caller; free with run_entry_free()) from the
 * len bytes of one entry object.  A finding whose code this program does
 * not know is left out.  false when the bytes are not such an object
 * (e may then hold part of it).
 */
bool	sumread_entry(const char *json, size_t len, struct run_entry *e);

#endif
