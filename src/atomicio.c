/*
 * atomicio.c - replace a file through a temporary beside it (see
 * atomicio.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rnpack/atomicio.h"
#include "rnpack/xalloc.h"

/* Names tried before giving up on EEXIST (another writer's temporary,
 * or a killed run's that outdir_clean() has not removed yet). */
#define TMP_TRIES	1000

struct atomicio {
	int		 dfd;		/* the folder */
	bool		 own_dfd;	/* opened here: closed at the end */
	char		*name;		/* the target */
	char		*shown;		/* the target as messages name it */
	char		 tmp[48];	/* ".tmp.PID.N" */
	int		 fd;
	unsigned	 flags;
	const char	*step;		/* what failed; NULL: nothing yet */
	int		 errnum;
};

static char *
failure(const char *shown, const char *step, int errnum)
{
	return xasprintf("cannot write %s: %s (while %s it; the previous "
	    "file, if any, is unchanged)", shown, strerror(errnum), step);
}

/* Remember the first failure. */
static bool
fail(struct atomicio *a, const char *step)
{
	if (a->step == NULL) {
		a->step = step;
		a->errnum = errno;
	}
	return false;
}

static void
release(struct atomicio *a)
{
	if (a->fd >= 0)
		close(a->fd);
	if (a->own_dfd)
		close(a->dfd);
	free(a->name);
	free(a->shown);
	free(a);
}

static struct atomicio *
begin(int dfd, bool own, const char *name, const char *shown, mode_t mode,
    unsigned flags, char **err)
{
	struct atomicio *a;
	unsigned n;

	if (*name == '\0' || strchr(name, '/') != NULL ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		*err = xasprintf("cannot write %s: not a file name", shown ?
		    shown : name);
		if (own)
			close(dfd);
		return NULL;
	}
	a = xcalloc(1, sizeof(*a));
	a->dfd = dfd;
	a->own_dfd = own;
	a->name = xstrdup(name);
	a->shown = xstrdup(shown ? shown : name);
	a->flags = flags;
	a->fd = -1;
	for (n = 0; n < TMP_TRIES; n++) {
		snprintf(a->tmp, sizeof(a->tmp), ATOMICIO_TMP_PREFIX "%ld.%u",
		    (long)getpid(), n);
		/* O_EXCL with O_NOFOLLOW: never through a planted link. */
		a->fd = openat(dfd, a->tmp, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, mode);
		if (a->fd >= 0 || errno != EEXIST)
			break;
	}
	if (a->fd < 0 || ((flags & ATOMICIO_EXACT_MODE) &&
	    fchmod(a->fd, mode) != 0)) {
		*err = failure(a->shown, "creating", errno);
		if (a->fd >= 0)
			unlinkat(dfd, a->tmp, 0);
		release(a);
		return NULL;
	}
	return a;
}

struct atomicio *
atomicio_begin(int dfd, const char *name, const char *shown, mode_t mode,
    unsigned flags, char **err)
{
	return begin(dfd, false, name, shown, mode, flags, err);
}

struct atomicio *
atomicio_begin_path(const char *path, const char *shown, mode_t mode,
    unsigned flags, char **err)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int dfd;

	if (slash == NULL)
		dir = xstrdup(".");
	else
		dir = xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (dfd < 0) {
		*err = failure(shown ? shown : path, "opening the folder of",
		    errno);
		return NULL;
	}
	return begin(dfd, true, slash ? slash + 1 : path, shown ? shown : path,
	    mode, flags, err);
}

int
atomicio_fd(const struct atomicio *a)
{
	return a->fd;
}

bool
atomicio_write(struct atomicio *a, const void *data, size_t len)
{
	const char *p = data;

	if (a->step != NULL)
		return false;
	while (len > 0) {
		ssize_t n = write(a->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			errno = ENOSPC;	/* write(2) made no progress */
		if (n <= 0)
			return fail(a, "writing");
		p += n;
		len -= (size_t)n;
	}
	return true;
}

bool
atomicio_sync_dir(int dfd)
{
	/* Some file systems cannot sync a folder; that is not an error. */
	return fsync(dfd) == 0 || errno == EINVAL;
}

bool
atomicio_commit(struct atomicio *a, char **err)
{
	bool ok;

	if (a->step == NULL && !(a->flags & ATOMICIO_NOSYNC) &&
	    fsync(a->fd) != 0)
		fail(a, "syncing");
	ok = close(a->fd) == 0;
	a->fd = -1;
	if (!ok)
		fail(a, "closing");
	if (a->step == NULL && renameat(a->dfd, a->tmp, a->dfd, a->name) != 0)
		fail(a, "renaming");
	if (a->step != NULL) {
		*err = failure(a->shown, a->step, a->errnum);
		unlinkat(a->dfd, a->tmp, 0);
		release(a);
		return false;
	}
	ok = (a->flags & ATOMICIO_NOSYNC) || atomicio_sync_dir(a->dfd);
	if (!ok)
		*err = xasprintf("%s written, but its folder could not be "
		    "synced: %s (a power cut could still lose this update)",
		    a->shown, strerror(errno));
	release(a);
	return ok;
}

void
atomicio_abort(struct atomicio *a)
{
	if (a == NULL)
		return;
	if (a->fd >= 0) {
		close(a->fd);
		a->fd = -1;
	}
	unlinkat(a->dfd, a->tmp, 0);
	release(a);
}

bool
atomicio_replace(int dfd, const char *name, const char *shown,
    const void *data, size_t len, mode_t mode, unsigned flags, char **err)
{
	struct atomicio *a = atomicio_begin(dfd, name, shown, mode, flags,
	    err);

	if (a == NULL)
		return false;
	atomicio_write(a, data, len);
	return atomicio_commit(a, err);
}

bool
atomicio_replace_path(const char *path, const char *shown, const void *data,
    size_t len, mode_t mode, unsigned flags, char **err)
{
	struct atomicio *a = atomicio_begin_path(path, shown, mode, flags,
	    err);

	if (a == NULL)
		return false;
	atomicio_write(a, data, len);
	return atomicio_commit(a, err);
}

bool
atomicio_is_tmp(const char *name, long *pid)
{
	const char *p;
	char *end;

	if (strncmp(name, ATOMICIO_TMP_PREFIX,
	    strlen(ATOMICIO_TMP_PREFIX)) != 0)
		return false;
	p = name + strlen(ATOMICIO_TMP_PREFIX);
	*pid = strtol(p, &end, 10);
	return end != p && *end == '.' && *pid > 0;
}
