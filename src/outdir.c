/*
 * outdir.c - atomic writes inside the output folder (see outdir.h).
 */
#define _XOPEN_SOURCE 700	/* realpath() */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rnpack/atomicio.h"
#include "rnpack/buf.h"
#include "rnpack/outdir.h"
#include "rnpack/xalloc.h"

struct outdir {
	char		*path;
	int		 fd;
	int		 lock_fd, shard_lock_fd;	/* -1: none */
	char		*real;
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
	o->real = realpath(path, NULL);
	if (o->real == NULL)
		o->real = xstrdup(path);
	o->fd = fd;
	o->lock_fd = o->shard_lock_fd = -1;
	return o;
}

void
outdir_close(struct outdir *o)
{
	if (o == NULL)
		return;
	if (o->shard_lock_fd >= 0)
		close(o->shard_lock_fd);
	if (o->lock_fd >= 0)
		close(o->lock_fd);
	close(o->fd);
	free(o->real);
	free(o->path);
	free(o);
}

const char *
outdir_path(const struct outdir *o)
{
	return o->path;
}

const char *
outdir_real(const struct outdir *o)
{
	return o->real;
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

static bool
write_file(struct outdir *o, const char *folder, const char *name,
    const void *data, size_t len, bool sync, char **err)
{
	int dfd = o->fd;
	char *shown;
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
	shown = xasprintf("%s/%s%s%s", o->path, folder ? folder : "",
	    folder ? "/" : "", name);
	ok = atomicio_replace(dfd, name, shown, data, len, 0640,
	    sync ? 0 : ATOMICIO_NOSYNC, err);
	free(shown);
	if (dfd != o->fd)
		close(dfd);
	return ok;
}

bool
outdir_write(struct outdir *o, const char *folder, const char *name,
    const void *data, size_t len, char **err)
{
	return write_file(o, folder, name, data, len, true, err);
}

bool
outdir_write_unsynced(struct outdir *o, const char *folder, const char *name,
    const void *data, size_t len, char **err)
{
	return write_file(o, folder, name, data, len, false, err);
}

/* The folder as a descriptor (o->fd for NULL), not created, no links. */
static int
open_folder(const struct outdir *o, const char *folder)
{
	if (folder == NULL)
		return o->fd;
	return openat(o->fd, folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
}

static void
close_folder(const struct outdir *o, int dfd)
{
	if (dfd >= 0 && dfd != o->fd)
		close(dfd);
}

bool
outdir_read(struct outdir *o, const char *folder, const char *name,
    size_t max, struct buf *out)
{
	int dfd = open_folder(o, folder), fd;
	struct stat st;
	bool ok = false;

	buf_reset(out);
	if (dfd < 0)
		return false;
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (unsigned long long)st.st_size <= max)
		ok = buf_read_fd(out, fd, max);
	if (fd >= 0)
		close(fd);
	close_folder(o, dfd);
	if (!ok)
		buf_reset(out);
	return ok;
}

bool
outdir_remove(struct outdir *o, const char *folder, const char *name)
{
	int dfd = open_folder(o, folder);
	bool ok;

	if (dfd < 0)
		return errno == ENOENT;
	ok = unlinkat(dfd, name, 0) == 0 || errno == ENOENT;
	close_folder(o, dfd);
	return ok;
}

/* Whether a temporary name's writer is surely gone (see outdir.h). */
static bool
is_stale(int dfd, const char *name)
{
	struct stat st;
	long pid;

	if (!atomicio_is_tmp(name, &pid))
		return false;
	if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
		return false;
	return fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(st.st_mode) && time(NULL) - st.st_mtime > 60;
}

void
outdir_clean(struct outdir *o, const char *folder, bool all)
{
	int dfd = open_folder(o, folder), fd2;
	struct dirent *de;
	DIR *d;

	if (dfd < 0)
		return;
	/* fdopendir() owns its descriptor: give it a copy. */
	if ((fd2 = dup(dfd)) < 0 || (d = fdopendir(fd2)) == NULL) {
		if (fd2 >= 0)
			close(fd2);
		close_folder(o, dfd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, ATOMICIO_TMP_PREFIX,
		    strlen(ATOMICIO_TMP_PREFIX)) != 0)
			continue;
		if (all || is_stale(dfd, de->d_name))
			unlinkat(dfd, de->d_name, 0);
	}
	closedir(d);
	close_folder(o, dfd);
}

/* "HOST PID" of the lock file, for the message of a run that waited. */
static void
lock_holder(int fd, char *out, size_t size)
{
	char s[300];
	ssize_t n = pread(fd, s, sizeof(s) - 1, 0);

	if (n <= 1 || s[n - 1] != '\n') {
		snprintf(out, size, "another rnpack run");
		return;
	}
	s[n - 1] = '\0';
	for (char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	{
		char *sp = strrchr(s, ' ');

		if (sp != NULL) {
			*sp = '\0';
			snprintf(out, size, "rnpack on host %s, pid %s", s,
			    sp + 1);
		} else
			snprintf(out, size, "rnpack pid %s", s);
	}
}

/* flock name in the output folder; -1 with *err after wait_ms. */
static int
take(struct outdir *o, const char *name, int how, unsigned wait_ms,
    char **err)
{
	struct timespec t0, t, nap = { 0, 50 * 1000000L };
	int fd = openat(o->fd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0640);

	if (fd < 0) {
		*err = xasprintf("cannot open the lock file %s/%s: %s", o->path,
		    name, strerror(errno));
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (flock(fd, how | LOCK_NB) != 0) {
		long long ms;
		char who[400];

		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			*err = xasprintf("cannot lock %s/%s: %s", o->path, name,
			    strerror(errno));
			close(fd);
			return -1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
		ms = (long long)(t.tv_sec - t0.tv_sec) * 1000 +
		    (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (ms >= wait_ms) {
			lock_holder(fd, who, sizeof(who));
			*err = xasprintf("the output folder %s is in use by %s; "
			    "gave up after %u s (lock file %s/%s)", o->path,
			    who, wait_ms / 1000, o->path, name);
			close(fd);
			return -1;
		}
		nanosleep(&nap, NULL);
	}
	if (how == LOCK_EX) {
		char host[256], line[300];

		if (gethostname(host, sizeof(host)) != 0)
			snprintf(host, sizeof(host), "unknown");
		host[sizeof(host) - 1] = '\0';
		snprintf(line, sizeof(line), "%s %ld\n", host, (long)getpid());
		/* Best effort: only a waiter's message would suffer. */
		if (ftruncate(fd, 0) == 0 &&
		    pwrite(fd, line, strlen(line), 0) < 0)
			(void)0;
	}
	return fd;
}

bool
outdir_lock(struct outdir *o, unsigned k, unsigned n, unsigned wait_ms,
    char **err)
{
	char name[64];

	if (n == 0) {
		o->lock_fd = take(o, ".lock", LOCK_EX, wait_ms, err);
		return o->lock_fd >= 0;
	}
	snprintf(name, sizeof(name), ".lock-%u-of-%u", k, n);
	/* Our own first: the holder the message names is the shard's. */
	if ((o->shard_lock_fd = take(o, name, LOCK_EX, wait_ms, err)) < 0)
		return false;
	o->lock_fd = take(o, ".lock", LOCK_SH, wait_ms, err);
	return o->lock_fd >= 0;
}

int
outdir_open_dir(struct outdir *o, const char *rel, bool create, char **err)
{
	char *copy = xstrdup(rel), *save = NULL;
	int dfd = dup(o->fd);

	for (char *c = strtok_r(copy, "/", &save); c != NULL && dfd >= 0;
	    c = strtok_r(NULL, "/", &save)) {
		int next;

		if (create && mkdirat(dfd, c, 0750) != 0 && errno != EEXIST) {
			*err = xasprintf("cannot create %s/%s: %s", o->path,
			    rel, strerror(errno));
			close(dfd);
			dfd = -1;
			break;
		}
		next = openat(dfd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (next < 0)
			*err = xasprintf("cannot open %s/%s as a folder%s: %s",
			    o->path, rel, errno == ELOOP || errno == ENOTDIR ?
			    " (a symbolic link or a file is in the way; "
			    "rnpack never follows a link there)" : "",
			    strerror(errno));
		close(dfd);
		dfd = next;
	}
	free(copy);
	return dfd;
}
