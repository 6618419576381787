/*
 * merge.h - `rnpack --merge-summaries OUT`: join the summaries of the N
 * shards of one run (shard.h) into the files one unsharded run writes.
 *
 * Reads OUT/summary-K-of-N.json, .csv and .index for K = 1..N, and
 * OUT/mail/manifest-K-of-N.csv where a shard wrote one; writes
 * OUT/summary.json and OUT/summary.csv (entries in the order of the
 * whole run's inputs, the very bytes an unsharded run over the same
 * inputs writes, except where one case id was claimed in two shards)
 * OUT/mail/manifest.csv (rows in input order, plus a last column
 * print_file: the shard's print file that holds the row's pages), and
 * OUT/index.html, the merged run at a glance (htmlindex.h), from the
 * shards' summary entries.
 *
 * Exit status (messages on stderr):
 *   4  the shard files are not one complete run: none, mixed N, a shard
 *      missing or interrupted, shards over different inputs or as-of
 *      dates, a file that does not match its index; nothing is written;
 *   3  a merged file could not be written;
 *   otherwise the highest of the shards' own exit statuses, and at
 *   least 2 when a case id was claimed in more than one shard (each
 *   such id is named on stderr with its shards and files).
 */
#ifndef RNPACK_MERGE_H
#define RNPACK_MERGE_H

#include "rnpack/exitlevel.h"

enum exit_level	merge_summaries(const char *out);

#endif
