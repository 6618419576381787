/*
 * buf.c - growable string buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rnpack/buf.h"
#include "rnpack/xalloc.h"

/* Room made before formatting: most formatted pieces are shorter. */
#define BUF_FMT_ROOM	64

void
buf_init(struct buf *b)
{
	b->ptr = (char *)"";
	b->len = 0;
	b->cap = 0;
}

void
buf_free(struct buf *b)
{
	if (b->cap > 0)
		free(b->ptr);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	if (b->cap > 0)
		b->ptr[0] = '\0';
	b->len = 0;
}

static void
grow(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	size_t cap;

	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	if (b->cap == 0) {
		b->ptr = xmalloc(cap);
		b->ptr[0] = '\0';
	} else
		b->ptr = xrealloc(b->ptr, cap);
	b->cap = cap;
}

void
buf_reserve(struct buf *b, size_t n)
{
	grow(b, n);
}

void
buf_setlen(struct buf *b, size_t len)
{
	if (len == 0) {
		buf_reset(b);
		return;
	}
	if (len >= b->cap)
		abort();	/* a caller's bug: more than it reserved */
	b->len = len;
	b->ptr[len] = '\0';
}

bool
buf_read_fd(struct buf *b, int fd, size_t max)
{
	char chunk[65536];

	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return false;
		if (n == 0)
			return true;
		if ((size_t)n > max || b->len > max - (size_t)n) {
			errno = EFBIG;
			return false;
		}
		buf_add(b, chunk, (size_t)n);
	}
}

bool
buf_read_file(struct buf *b, const char *path, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;
	bool ok;

	if (fd < 0)
		return false;
	ok = buf_read_fd(b, fd, max);
	e = errno;
	close(fd);
	errno = e;
	return ok;
}

void
buf_add_slow(struct buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	grow(b, n);
	memcpy(b->ptr + b->len, p, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/*
 * Format straight into the room after len: one vsnprintf() when the
 * text fits (the usual case), a second only after growing for it.
 */
void
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	grow(b, BUF_FMT_ROOM);
	va_copy(cp, ap);
	n = vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, cp);
	va_end(cp);
	if (n <= 0) {
		b->ptr[b->len] = '\0';
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		grow(b, (size_t)n);
		vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void
buf_add_long(struct buf *b, long v)
{
	unsigned long a = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
	char tmp[24], *end = tmp + sizeof(tmp), *p = end;

	do
		*--p = (char)('0' + a % 10);
	while ((a /= 10) != 0);
	if (v < 0)
		*--p = '-';
	buf_add(b, p, (size_t)(end - p));
}

char *
buf_detach(struct buf *b)
{
	char *p = b->cap > 0 ? b->ptr : xstrdup("");

	buf_init(b);
	return p;
}
