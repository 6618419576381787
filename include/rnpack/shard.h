/*
 * shard.h - one slice of a batch (--shard K/N) and the index a slice
 * leaves for `rnpack --merge-summaries` (merge.h).
 *
 * An input belongs to shard hash(B) % N + 1, where B is its base name
 * (the bytes after the last '/', trailing slashes ignored) and hash is
 * 64-bit FNV-1a over those bytes.  The base name, not the path as
 * given, so that machines mounting the same shared folder at different
 * paths agree on the slices; the hash is fixed and platform-independent,
 * so a file always lands in the same shard of N.
 *
 * A shard run writes OUT/summary-K-of-N.json and .csv (exactly the
 * entries an unsharded run would write for its inputs, in the same
 * bytes) and, last of all, OUT/summary-K-of-N.index, a small text file
 * (LF line ends, single spaces):
 *
 *	rnpack-shard-index 1
 *	shard 2 3
 *	inputs 40 9f3a6c0e1b2d4f58		inputs of the whole run, and
 *					a hash of their base names
 *	selected 13			inputs that fell in this shard
 *	as-of 2024-03-14
 *	status 1			the shard run's exit status
 *	entry 4 211 98 1 HOU-2024-00017 samples/x.xml
 *
 * One "entry" line per summary entry, in summary order: the entry's
 * position in the whole run's input list (from 0), the bytes of its
 * object in the shard's summary JSON and of its row in the CSV, its
 * rows in the shard's mail manifest, the case id it claimed ("-" when
 * none: an invalid input) and its source made printable (for messages).
 *
 * Uses only buf.c, date.c, diag.c and xalloc.c.
 */
#ifndef RNPACK_SHARD_H
#define RNPACK_SHARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rnpack/buf.h"

struct run_entry;

/* The largest N of --shard K/N. */
#define SHARD_MAX	100000u

/* Parse "K/N" (decimal digits only) with 1 <= K <= N <= SHARD_MAX. */
bool		 shard_parse(const char *arg, unsigned *k, unsigned *n);

/* 64-bit FNV-1a of len bytes, continuing from h (start: SHARD_FNV_INIT). */
#define SHARD_FNV_INIT	UINT64_C(0xcbf29ce484222325)
uint64_t	 shard_fnv1a(uint64_t h, const void *p, size_t len);

/* The base name of path: a pointer into it and its length in bytes. */
const char	*shard_base_name(const char *path, size_t *len);

/* The shard (1..n) of an input path; 0 when n is 0. */
unsigned	 shard_of(const char *path, unsigned n);

/*
 * "STEM-K-of-N.EXT", or "STEM.EXT" when n is 0 (an unsharded run).
 * The caller frees the result.
 */
char		*shard_file_name(const char *stem, const char *ext, unsigned k,
		    unsigned n);

/*
 * True when name (compared ignoring ASCII case) has the form of a shard
 * run file at the top of OUT: summary-K-of-N.json, .csv or .index, or
 * the shard's page index-K-of-N.html.
 */
bool		 shard_is_run_file(const char *name);

struct shard_entry {
	size_t		 pos;		/* in the whole run's input list */
	size_t		 json_len;	/* bytes of its summary JSON object */
	size_t		 csv_len;	/* bytes of its summary CSV row */
	size_t		 pieces;	/* rows in the shard's manifest */
	char		*case_id;	/* claimed id, NULL if none */
	char		*source;	/* printable, for messages */
};

struct shard_index {
	unsigned		 k, n;
	size_t			 inputs;	/* whole run */
	uint64_t		 list_hash;	/* base names of the inputs */
	size_t			 selected;	/* in this shard */
	int32_t			 as_of;
	int			 status;
	struct shard_entry	*v;
	size_t			 nv;
};

/*
 * The shard's summaries for entries v[0..n-1] (report.h's parts, so the
 * bytes are the unsharded writer's) into json and csv; and, for each,
 * an index entry with its lengths and claimed id.  idx->v is replaced
 * by n new entries with pos 0 and no pieces; the caller sets those.
 */
void	shard_summaries(struct buf *json, struct buf *csv,
	    struct shard_index *idx, const struct run_entry *v, size_t n);

/* Append the index text to b. */
void	shard_index_write(struct buf *b, const struct shard_index *);

/*
 * Parse an index (text of len bytes, no NUL needed) into idx.  False
 * with *err (caller frees; "line N: what is wrong") on any deviation.
 * idx is filled only on success and then freed with shard_index_free().
 */
bool	shard_index_parse(const char *text, size_t len,
	    struct shard_index *idx, char **err);
void	shard_index_free(struct shard_index *);

#endif
