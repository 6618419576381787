/*
 * faultfs.c - an LD_PRELOAD shim for the fault tests: the n-th call of
 * one system call fails, or the process is killed there.
 *
 *	FAULT_OP=fsync|rename|write|openat|mkdir   which calls count
 *	FAULT_N=n        the n-th of them (1-based) fails; 0: none
 *	FAULT_ERRNO=EIO|ENOSPC                       the error (EIO)
 *	FAULT_KILL=1     SIGKILL the process there instead of failing
 *	FAULT_KILL=TERM  send it SIGTERM there (the call then goes on)
 *	FAULT_COUNT=FILE at exit, write how many calls were counted
 *
 * rename covers rename(2) and renameat(2).  Only calls rnpack makes
 * directly are seen (not those inside libc).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *op;
static long target;
static int err = EIO;
static int kill_there;		/* 1 SIGKILL, 2 SIGTERM */
static long count;		/* calls of op so far (not thread-exact) */

__attribute__((constructor)) static void
init(void)
{
	const char *e = getenv("FAULT_ERRNO");

	op = getenv("FAULT_OP");
	target = getenv("FAULT_N") ? atol(getenv("FAULT_N")) : 0;
	e = getenv("FAULT_KILL");
	kill_there = e == NULL ? 0 : strcmp(e, "1") == 0 ? 1 :
	    strcmp(e, "TERM") == 0 ? 2 : 0;
	e = getenv("FAULT_ERRNO");
	if (e != NULL && strcmp(e, "ENOSPC") == 0)
		err = ENOSPC;
}

__attribute__((destructor)) static void
done(void)
{
	const char *f = getenv("FAULT_COUNT");
	FILE *fp;

	if (f != NULL && (fp = fopen(f, "w")) != NULL) {
		fprintf(fp, "%ld\n", count);
		fclose(fp);
	}
}

/* Whether this call of name is the one that fails (errno set). */
static int
hit(const char *name)
{
	if (op == NULL || strcmp(op, name) != 0)
		return 0;
	if (__atomic_add_fetch(&count, 1, __ATOMIC_SEQ_CST) != target)
		return 0;
	if (kill_there == 1)
		raise(SIGKILL);
	if (kill_there == 2) {
		kill(getpid(), SIGTERM);
		return 0;
	}
	errno = err;
	return 1;
}

#define REAL(type, name, ...) \
	static type (*real)(__VA_ARGS__); \
	if (real == NULL) \
		real = (type (*)(__VA_ARGS__))dlsym(RTLD_NEXT, name)

int
fsync(int fd)
{
	REAL(int, "fsync", int);
	if (hit("fsync"))
		return -1;
	return real(fd);
}

int
rename(const char *a, const char *b)
{
	REAL(int, "rename", const char *, const char *);
	if (hit("rename"))
		return -1;
	return real(a, b);
}

int
renameat(int da, const char *a, int db, const char *b)
{
	REAL(int, "renameat", int, const char *, int, const char *);
	if (hit("rename"))
		return -1;
	return real(da, a, db, b);
}

ssize_t
write(int fd, const void *p, size_t n)
{
	REAL(ssize_t, "write", int, const void *, size_t);
	/* stderr is the test's reader: never fail it. */
	if (fd > 2 && hit("write"))
		return -1;
	return real(fd, p, n);
}

int
openat(int dfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	REAL(int, "openat", int, const char *, int, ...);
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if ((flags & (O_WRONLY | O_RDWR | O_CREAT)) && hit("openat"))
		return -1;
	return real(dfd, path, flags, mode);
}

int
mkdirat(int dfd, const char *path, mode_t mode)
{
	REAL(int, "mkdirat", int, const char *, mode_t);
	if (hit("mkdir"))
		return -1;
	return real(dfd, path, mode);
}
