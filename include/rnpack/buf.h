/*
 * buf.h - growable NUL-terminated byte buffer (git strbuf invariants).
 *
 * b->ptr is never NULL and always NUL-terminated; fields are read through
 * the struct but changed only through these functions.
 */
#ifndef RNPACK_BUF_H
#define RNPACK_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct buf {
	char	*ptr;
	size_t	 len;
	size_t	 cap;	/* allocated bytes, 0 while ptr is the static "" */
};

#define BUF_INIT { (char *)"", 0, 0 }

void	 buf_init(struct buf *);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
/* Make room for n more bytes after len (and the NUL): for writers that
 * fill ptr + len themselves, then say how long it now is with
 * buf_setlen() (at most what was reserved; the NUL is written). */
void	 buf_reserve(struct buf *, size_t n);
void	 buf_setlen(struct buf *, size_t len);
/*
 * Append everything read from fd up to its end.  false, with errno set,
 * on a read error, or (errno EFBIG) when that would make more than max
 * bytes in all; b then holds what was read so far.
 */
bool	 buf_read_fd(struct buf *, int fd, size_t max);
/* The same for the file at path, opened and closed here (errno kept). */
bool	 buf_read_file(struct buf *, const char *path, size_t max);
void	 buf_add_slow(struct buf *, const void *, size_t);
void	 buf_adds(struct buf *, const char *);
void	 buf_addf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_vaddf(struct buf *, const char *, va_list);
/*
 * Appending is inline: most appends are a few bytes into room already
 * there, and a call plus a growth check each costs more than the copy.
 * buf_add_slow() is the growing path, not for callers.
 */
static inline void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->cap - b->len > n) {
		memcpy(b->ptr + b->len, p, n);
		b->len += n;
		b->ptr[b->len] = '\0';
	} else
		buf_add_slow(b, p, n);
}

static inline void
buf_addc(struct buf *b, char c)
{
	if (b->cap - b->len > 1) {
		b->ptr[b->len++] = c;
		b->ptr[b->len] = '\0';
	} else
		buf_add_slow(b, &c, 1);
}

/* v in decimal, as printf's %ld: content streams write thousands. */
void	 buf_add_long(struct buf *, long v);
/* Hand the string over to the caller, who frees it; b is reset. */
char	*buf_detach(struct buf *);

#endif
