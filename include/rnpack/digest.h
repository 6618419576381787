/*
 * digest.h - SHA-256 digests (lowercase hex) of the bytes rnpack reads:
 * the input files, the templates and fonts, the policy.  report.json
 * records them so that a reader can tell which bytes a packet came
 * from, and a re-run can tell unchanged work (batch.c).
 *
 * Only src/digest.c includes nettle; the rest of the program sees an
 * opaque struct digest.
 */
#ifndef RNPACK_DIGEST_H
#define RNPACK_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

#define DIGEST_SIZE	32		/* SHA-256, in bytes */
#define DIGEST_HEX_SIZE	(2 * DIGEST_SIZE + 1)	/* hex digits + NUL */

struct digest;

/* A SHA-256 in progress; free with digest_free() (NULL does nothing). */
struct digest	*digest_new(void);
void		 digest_free(struct digest *);
void		 digest_add(struct digest *, const void *, size_t);
/*
 * The digest of everything added since digest_new() or the last
 * digest_hex(), as 64 lowercase hex digits and a NUL; d starts over.
 */
void		 digest_hex(struct digest *, char hex[DIGEST_HEX_SIZE]);

/* One-shot: the SHA-256 of p[0..len) in lowercase hex. */
void		 digest_sha256_hex(const void *p, size_t len,
		    char hex[DIGEST_HEX_SIZE]);
/* The SHA-256 of the file at path, read whole; false (errno set) if it
 * cannot be read. */
bool		 digest_file_hex(const char *path, char hex[DIGEST_HEX_SIZE]);

#endif
