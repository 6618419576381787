/*
 * atomicio.h - the one way rnpack replaces a file.
 *
 * A new file is written under a temporary name beside its target
 * (".tmp.PID.N", created exclusively and without following a link),
 * synced, renamed over the target, and the folder is synced so that
 * the rename survives a power cut.  On any failure the temporary is
 * removed and the target is left as it was; the error says which file,
 * what went wrong and that nothing was replaced.
 *
 * The folder is a descriptor (the callers open it without following
 * links, see outdir.h) or, for the _path forms, the folder part of a
 * path.  A name is a single path component.
 */
#ifndef RNPACK_ATOMICIO_H
#define RNPACK_ATOMICIO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The prefix of every temporary name ("TMP_PREFIX PID.N"). */
#define ATOMICIO_TMP_PREFIX	".tmp."

enum atomicio_flags {
	/* Atomic but not durable: for a file whose loss in a power cut is
	 * noticed and harmless (a cache checked on use). */
	ATOMICIO_NOSYNC		= 1 << 0,
	/* Give the file mode exactly (fchmod), not mode less the umask. */
	ATOMICIO_EXACT_MODE	= 1 << 1
};

struct atomicio;	/* one replacement under way */

/*
 * Begin replacing name in the folder dfd.  shown is how messages name
 * the file (a path the clerk knows); NULL: name.  mode is the new
 * file's mode (0640 for rnpack's files).  Returns the replacement, or
 * NULL with *err (caller frees).
 */
struct atomicio	*atomicio_begin(int dfd, const char *name, const char *shown,
		    mode_t mode, unsigned flags, char **err);
/* The same for path (shown NULL: path): its folder is opened
 * (following links there, as the user named it); its last component is
 * never followed, a link there is replaced. */
struct atomicio	*atomicio_begin_path(const char *path, const char *shown,
		    mode_t mode, unsigned flags, char **err);
/* The temporary's descriptor, for writers that stream. */
int		 atomicio_fd(const struct atomicio *);
/*
 * Append data; false on failure (remembered: commit then fails with
 * the reason).  A failed write is not retried.
 */
bool		 atomicio_write(struct atomicio *, const void *data,
		    size_t len);
/*
 * Sync, close and rename the temporary over the target, sync the
 * folder; frees the replacement.  false with *err (caller frees) when
 * any step or an earlier write failed: then the temporary is gone and
 * the target is as it was, except when only the folder's sync failed
 * (the new file is in place; the message says a power cut could lose
 * it).
 */
bool		 atomicio_commit(struct atomicio *, char **err);
/* Give up: remove the temporary and free (NULL: nothing). */
void		 atomicio_abort(struct atomicio *);

/* begin + write + commit in one call. */
bool	atomicio_replace(int dfd, const char *name, const char *shown,
	    const void *data, size_t len, mode_t mode, unsigned flags,
	    char **err);
bool	atomicio_replace_path(const char *path, const char *shown,
	    const void *data, size_t len, mode_t mode, unsigned flags,
	    char **err);

/* fsync the folder dfd; a file system that cannot (EINVAL) is fine. */
bool	atomicio_sync_dir(int dfd);

/* Whether name is one of our temporaries; *pid is its writer. */
bool	atomicio_is_tmp(const char *name, long *pid);

#endif
