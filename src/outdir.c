/*
 * outdir.c - atomic writes inside the output folder (see outdir.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rnpack/outdir.h"
#include "rnpack/xalloc.h"

struct outdir {
	char		*path;
	int		 fd;
	atomic_uint	 serial;	/* makes temporary names unique */
};

static bool
mkdir_p(const char *path)
{
	char *p = xstrdup(path);
	bool ok = true;

	for (char *s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0750) != 0 && errno != EEXIST) {
				ok = false;
				break;
			}
			*s = c;
			if (c == '\0')
				break;
		}
	}
	free(p);
	return ok;
}

struct outdir *
outdir_open(const char *path, char **err)
{
	struct outdir *o;
	int fd;

	if (!mkdir_p(path) ||
	    (fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		*err = xasprintf("cannot create or open the output folder "
		    "%s: %s", path, strerror(errno));
		return NULL;
	}
	o = xcalloc(1, sizeof(*o));
	o->path = xstrdup(path);
	o->fd = fd;
	atomic_init(&o->serial, 0);
	return o;
}

void
outdir_close(struct outdir *o)
{
	if (o == NULL)
		return;
	close(o->fd);
	free(o->path);
	free(o);
}

const char *
outdir_path(const struct outdir *o)
{
	return o->path;
}

bool
outdir_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

bool
outdir_write(struct outdir *o, const char *folder, const char *name,
    const void *data, size_t len, char **err)
{
	char tmp[96];
	int dfd = o->fd, fd;
	bool ok;

	if (folder != NULL) {
		if (mkdirat(o->fd, folder, 0750) != 0 && errno != EEXIST) {
			*err = xasprintf("cannot create %s/%s: %s", o->path,
			    folder, strerror(errno));
			return false;
		}
		/* O_NOFOLLOW: a planted link must not lead outside. */
		dfd = openat(o->fd, folder, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
		if (dfd < 0) {
			*err = xasprintf("cannot open %s/%s as a folder: %s",
			    o->path, folder, strerror(errno));
			return false;
		}
	}
	snprintf(tmp, sizeof(tmp), ".tmp.%ld.%u", (long)getpid(),
	    atomic_fetch_add(&o->serial, 1));
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0640);
	ok = fd >= 0;
	if (ok) {
		ok = outdir_write_all(fd, data, len) && fsync(fd) == 0;
		ok = close(fd) == 0 && ok;
		ok = ok && renameat(dfd, tmp, dfd, name) == 0;
	}
	if (!ok) {
		*err = xasprintf("cannot write %s/%s%s%s: %s", o->path,
		    folder ? folder : "", folder ? "/" : "", name,
		    strerror(errno));
		if (fd >= 0)
			unlinkat(dfd, tmp, 0);
	}
	if (dfd != o->fd)
		close(dfd);
	return ok;
}
