/*
 * digest.c - SHA-256 through nettle (Debian nettle-dev), see digest.h.
 * The only file that includes <nettle/...>.
 */
#include <stdint.h>
#include <stdlib.h>

#include <nettle/sha2.h>

#include "rnpack/buf.h"
#include "rnpack/digest.h"
#include "rnpack/xalloc.h"

struct digest {
	struct sha256_ctx	ctx;
};

_Static_assert(SHA256_DIGEST_SIZE == DIGEST_SIZE, "SHA-256 is 32 bytes");

struct digest *
digest_new(void)
{
	struct digest *d = xmalloc(sizeof(*d));

	sha256_init(&d->ctx);
	return d;
}

void
digest_free(struct digest *d)
{
	free(d);
}

void
digest_add(struct digest *d, const void *p, size_t len)
{
	sha256_update(&d->ctx, len, p);
}

void
digest_hex(struct digest *d, char hex[DIGEST_HEX_SIZE])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char raw[SHA256_DIGEST_SIZE];

	/* sha256_digest() also resets the context for the next one. */
	sha256_digest(&d->ctx, sizeof(raw), raw);
	for (size_t i = 0; i < sizeof(raw); i++) {
		hex[2 * i] = digits[raw[i] >> 4];
		hex[2 * i + 1] = digits[raw[i] & 15];
	}
	hex[2 * sizeof(raw)] = '\0';
}

void
digest_sha256_hex(const void *p, size_t len, char hex[DIGEST_HEX_SIZE])
{
	struct digest d;

	sha256_init(&d.ctx);
	sha256_update(&d.ctx, len, p);
	digest_hex(&d, hex);
}

bool
digest_file_hex(const char *path, char hex[DIGEST_HEX_SIZE])
{
	struct buf b = BUF_INIT;
	bool ok = buf_read_file(&b, path, SIZE_MAX);

	if (ok)
		digest_sha256_hex(b.ptr, b.len, hex);
	buf_free(&b);
	return ok;
}
