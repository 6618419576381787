/*
 * outdir.h - the output folder: the only place rnpack writes.
 *
 * Every file is written to a temporary name in its final folder, synced
 * and renamed, so a crash or a full disk never leaves a half-written
 * report or packet.  Packets hold personal data: folders are created
 * 0750 and files 0640 (less with the caller's umask).  Case folders are opened relative to the output
 * folder without following links, so nothing lands outside it.
 */
#ifndef RNPACK_OUTDIR_H
#define RNPACK_OUTDIR_H

#include <stdbool.h>
#include <stddef.h>

struct outdir;

/* Open (creating it and its parents) the output folder; NULL + *err. */
struct outdir	*outdir_open(const char *path, char **err);
void		 outdir_close(struct outdir *);
const char	*outdir_path(const struct outdir *);
/* Its absolute path without links, as opened (for records that outlive
 * the run, such as a print job's intent). */
const char	*outdir_real(const struct outdir *);

/*
 * Write data as folder/name inside the output folder (folder NULL: at
 * the top), atomically.  folder must be a single safe path component.
 * Returns false with *err (caller frees) on failure; nothing is left.
 */
bool	outdir_write(struct outdir *, const char *folder, const char *name,
	    const void *data, size_t len, char **err);
/*
 * The same, atomic but not synced: for a file whose loss or damage in a
 * power cut is noticed and harmless (a cache that is checked on use).
 */
bool	outdir_write_unsynced(struct outdir *, const char *folder,
	    const char *name, const void *data, size_t len, char **err);

/* write(2) all of p, retrying on EINTR; false on any error. */
bool	outdir_write_all(int fd, const void *p, size_t len);

struct buf;

/*
 * Lock the output folder for this run, waiting up to wait_ms for
 * another run: unsharded (n 0), OUT/.lock exclusively; shard k of n,
 * OUT/.lock shared and OUT/.lock-K-of-N exclusively.  The exclusive
 * lock file names its holder ("HOST PID"), which the message of a run
 * that gave up repeats.  Held until outdir_close().  false + *err.
 */
bool	outdir_lock(struct outdir *, unsigned k, unsigned n,
	    unsigned wait_ms, char **err);

/*
 * Open (creating with mode 0750 when create) the folder rel, one or more
 * components under the output folder ("mail/jobs"), each without
 * following a symbolic link: a planted link is an error, never a way
 * out.  Returns a descriptor (caller closes) or -1 with *err.
 */
int	outdir_open_dir(struct outdir *, const char *rel, bool create,
	    char **err);

/*
 * Read folder/name (folder NULL: the top) into out, replacing what it
 * held, when it is a regular file of at most max bytes.  false when it
 * is missing, not a regular file, a link, larger, or cannot be read.
 */
bool	outdir_read(struct outdir *, const char *folder, const char *name,
	    size_t max, struct buf *out);
/* Remove folder/name if it is there; false when it cannot be removed. */
bool	outdir_remove(struct outdir *, const char *folder, const char *name);
/*
 * Remove the temporary files outdir_write() leaves behind when a run is
 * killed in the middle of a write (".tmp.PID.N").  With all, every one
 * in folder (a case folder, which only the run processing that case
 * writes); without, only those whose process is gone from this host and
 * that are over a minute old (the top and mail/, which runs sharing the
 * output folder from other hosts may be writing).
 */
void	outdir_clean(struct outdir *, const char *folder, bool all);

#endif
