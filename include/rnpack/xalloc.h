/*
 * xalloc.h - the only allocation wrappers of rnpack.
 *
 * OOM policy (mandoc's): a batch tool has nothing useful to do without
 * memory, so every wrapper prints a message and exits with status 3 on
 * failure.  Callers never check for NULL.  Every allocation in the program
 * goes through here so that unit tests can count them.
 */
#ifndef RNPACK_XALLOC_H
#define RNPACK_XALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* printf into a new string; the caller frees it. */
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
