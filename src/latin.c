/*
 * latin.c - Latin-script text for address blocks (see latin.h).
 */
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

#include "rnpack/fmt.h"
#include "rnpack/latin.h"
#include "rnpack/xalloc.h"
#include "utext_icu_int.h"

/* The transform the address rule names; ICU's compound ids. */
static const UChar TRANSFORM[] = { 'A', 'n', 'y', '-', 'L', 'a', 't', 'i',
	'n', ';', ' ', 'L', 'a', 't', 'i', 'n', '-', 'A', 'S', 'C', 'I', 'I',
	0 };

bool
latin_is_latin(const char *s)
{
	int32_t len = (int32_t)strlen(s), i = 0;

	while (i < len) {
		UErrorCode err = U_ZERO_ERROR;
		UScriptCode sc;
		UChar32 c;

		U8_NEXT(s, i, len, c);
		if (c < 0 || !u_isalpha(c))
			continue;
		sc = uscript_getScript(c, &err);
		if (U_SUCCESS(err) && sc != USCRIPT_LATIN &&
		    sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED)
			return false;
	}
	return true;
}

const char *
latin_alias(const char *const *aliases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *a = aliases[i];

		if (a != NULL && a[strspn(a, " \t\n")] != '\0' &&
		    latin_is_latin(a))
			return a;
	}
	return NULL;
}

bool
latin_has_non_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return true;
	return false;
}

char *
latin_transliterate(const char *s)
{
	UErrorCode err = U_ZERO_ERROR;
	UTransliterator *t;
	int32_t len, cap, limit;
	UChar *u;
	char *ascii, *up;

	if (latin_is_latin(s))
		return xstrdup(s);
	t = utrans_openU(TRANSFORM, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
	if (U_FAILURE(err))
		return NULL;
	/* A transliteration is longer than its source (one Han character
	 * gives up to six letters and a space); ICU says how much room it
	 * needed when it had too little. */
	u = utext_to_utf16(s, &len);
	for (cap = 8 * len + 16;;) {
		UChar *w = xcalloc((size_t)cap + 1, sizeof(UChar));
		int32_t n = len;

		u_memcpy(w, u, len);
		limit = len;
		err = U_ZERO_ERROR;
		utrans_transUChars(t, w, &n, cap, 0, &limit, &err);
		if (err != U_BUFFER_OVERFLOW_ERROR) {
			free(u);
			u = w;
			len = n;
			break;
		}
		free(w);
		cap = n + 16;
	}
	utrans_close(t);
	if (U_FAILURE(err)) {
		free(u);
		return NULL;
	}
	ascii = utext_from_utf16(u, len);
	free(u);
	up = fmt_upper(ascii);
	free(ascii);
	return up;
}
