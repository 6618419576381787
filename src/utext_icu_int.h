/*
 * utext_icu_int.h - UTF-8 to and from ICU's UTF-16, for the modules that
 * call ICU themselves (utext.c, latin.c).  Internal: it exposes ICU's
 * types, which the public headers keep out.
 */
#ifndef RNPACK_UTEXT_ICU_INT_H
#define RNPACK_UTEXT_ICU_INT_H

#include <unicode/utypes.h>

/* s as UTF-16 in a new NUL-terminated buffer (the caller frees), *n its
 * length in units; a byte that is not UTF-8 becomes U+FFFD. */
UChar	*utext_to_utf16(const char *s, int32_t *n);
/* The first n units of u as UTF-8, in a new string (the caller frees). */
char	*utext_from_utf16(const UChar *u, int32_t n);

#endif
