/*
 * utext.c - Unicode helpers on top of ICU (see utext.h).
 *
 * ICU does the real work (character properties, normalisation, case
 * folding); this file converts between UTF-8 and ICU's UTF-16 and keeps
 * the policy decisions in one place.
 */
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "rnpack/buf.h"
#include "rnpack/utext.h"
#include "rnpack/xalloc.h"
#include "utext_icu_int.h"

bool
utext_is_utf8(const char *s, size_t n)
{
	int32_t i = 0;

	if (n > INT32_MAX)
		return false;
	while (i < (int32_t)n) {
		UChar32 c;

		U8_NEXT(s, i, (int32_t)n, c);
		if (c < 0)
			return false;
	}
	return true;
}

static bool
is_space(UChar32 c)
{
	return u_isUWhiteSpace(c);
}

char *
utext_trim(const char *s)
{
	int32_t len = (int32_t)strlen(s), i = 0, start = -1, end = 0;

	while (i < len) {
		int32_t at = i;
		UChar32 c;

		U8_NEXT(s, i, len, c);
		if (c >= 0 && is_space(c))
			continue;
		if (start < 0)
			start = at;
		end = i;
	}
	if (start < 0)
		return xstrdup("");
	return xstrndup(s + start, (size_t)(end - start));
}

char *
utext_collapse(const char *s)
{
	struct buf b = BUF_INIT;
	int32_t len = (int32_t)strlen(s), i = 0;
	bool pending = false;

	while (i < len) {
		int32_t at = i;
		UChar32 c;

		U8_NEXT(s, i, len, c);
		if (c >= 0 && is_space(c)) {
			pending = b.len > 0;
			continue;
		}
		if (pending)
			buf_addc(&b, ' ');
		pending = false;
		buf_add(&b, s + at, (size_t)(i - at));
	}
	return buf_detach(&b);
}

size_t
utext_length(const char *s)
{
	int32_t len = (int32_t)strlen(s), i = 0;
	size_t n = 0;

	while (i < len) {
		UChar32 c;

		U8_NEXT(s, i, len, c);
		(void)c;
		n++;
	}
	return n;
}

static enum utext_fault
classify(UChar32 c, enum utext_rules rules)
{
	if (c == '\t' || c == '\n' || c == '\r')
		return rules == UTEXT_FREE_TEXT ? UTEXT_OK : UTEXT_LINE_BREAK;
	if (u_charType(c) == U_CONTROL_CHAR)
		return UTEXT_CONTROL;
	if (rules != UTEXT_NAME)
		return UTEXT_OK;
	switch (u_charType(c)) {
	case U_FORMAT_CHAR:
	case U_LINE_SEPARATOR:
	case U_PARAGRAPH_SEPARATOR:
		return UTEXT_FORMAT;
	case U_PRIVATE_USE_CHAR:
		return UTEXT_PRIVATE_USE;
	case U_UNASSIGNED:
	case U_SURROGATE:
		return UTEXT_UNASSIGNED;
	default:
		break;
	}
	if (u_hasBinaryProperty(c, UCHAR_NONCHARACTER_CODE_POINT))
		return UTEXT_UNASSIGNED;
	/* Extended_Pictographic covers emoji and the older dingbats;
	 * regional indicators make flags and are not pictographic. */
	if (u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) ||
	    u_hasBinaryProperty(c, UCHAR_EMOJI_PRESENTATION) ||
	    u_hasBinaryProperty(c, UCHAR_REGIONAL_INDICATOR) ||
	    u_hasBinaryProperty(c, UCHAR_EMOJI_MODIFIER))
		return UTEXT_PICTOGRAPH;
	if (c == 0xFE0F || c == 0x20E3)	/* emoji variation, keycap */
		return UTEXT_PICTOGRAPH;
	return UTEXT_OK;
}

/* The script of a letter; a combining mark takes its base's script. */
static UScriptCode
script_of(UChar32 c, UScriptCode base)
{
	UErrorCode err = U_ZERO_ERROR;
	UScriptCode sc = uscript_getScript(c, &err);

	if (U_FAILURE(err))
		return USCRIPT_INVALID_CODE;
	return sc == USCRIPT_INHERITED ? base : sc;
}

static bool
is_real_script(UScriptCode sc)
{
	return sc != USCRIPT_INVALID_CODE && sc != USCRIPT_COMMON &&
	    sc != USCRIPT_INHERITED && sc != USCRIPT_UNKNOWN;
}

/*
 * ZERO WIDTH NON-JOINER and JOINER shape Persian, Sinhala and other
 * names, so a name may hold one directly between two characters of the
 * same script; anywhere else it only hides a difference.
 */
static bool
joiner_allowed(const char *s, int32_t len, int32_t next, UScriptCode prev)
{
	UScriptCode sc;
	UChar32 c;

	if (!is_real_script(prev) || next >= len)
		return false;
	U8_NEXT(s, next, len, c);
	if (c < 0)
		return false;
	sc = script_of(c, USCRIPT_INVALID_CODE);
	return sc == prev;
}

enum utext_fault
utext_check(const char *s, enum utext_rules rules, uint32_t *cp)
{
	int32_t len = (int32_t)strlen(s), i = 0;
	UScriptCode prev = USCRIPT_INVALID_CODE;

	while (i < len) {
		int32_t at = i;
		UChar32 c;
		enum utext_fault f;

		U8_NEXT(s, i, len, c);
		if (c < 0) {
			*cp = (unsigned char)s[at];
			return UTEXT_BAD_UTF8;
		}
		if (rules == UTEXT_NAME && (c == 0x200C || c == 0x200D) &&
		    joiner_allowed(s, len, i, prev)) {
			prev = USCRIPT_INVALID_CODE;	/* no two in a row */
			continue;
		}
		if ((f = classify(c, rules)) != UTEXT_OK) {
			*cp = (uint32_t)c;
			return f;
		}
		prev = script_of(c, prev);
	}
	return UTEXT_OK;
}

const char *
utext_fault_text(enum utext_fault f)
{
	switch (f) {
	case UTEXT_OK:
		return "no fault";
	case UTEXT_BAD_UTF8:
		return "an invalid byte";
	case UTEXT_CONTROL:
		return "a control character";
	case UTEXT_LINE_BREAK:
		return "a tab or line break";
	case UTEXT_FORMAT:
		return "an invisible formatting character (such as a "
		    "direction override or zero-width character)";
	case UTEXT_PRIVATE_USE:
		return "a private-use character";
	case UTEXT_UNASSIGNED:
		return "an unassigned or non-character code point";
	case UTEXT_PICTOGRAPH:
		return "an emoji or pictograph";
	}
	return "an invalid character";
}

UChar *
utext_to_utf16(const char *s, int32_t *n)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t need = 0;
	UChar *u;

	u_strFromUTF8WithSub(NULL, 0, &need, s, -1, 0xFFFD, NULL, &err);
	err = U_ZERO_ERROR;
	u = xcalloc((size_t)need + 1, sizeof(UChar));
	u_strFromUTF8WithSub(u, need + 1, n, s, -1, 0xFFFD, NULL, &err);
	if (U_FAILURE(err))
		*n = 0;
	return u;
}

char *
utext_from_utf16(const UChar *u, int32_t n)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t need = 0;
	char *s;

	u_strToUTF8WithSub(NULL, 0, &need, u, n, 0xFFFD, NULL, &err);
	err = U_ZERO_ERROR;
	s = xmalloc((size_t)need + 1);
	u_strToUTF8WithSub(s, need + 1, NULL, u, n, 0xFFFD, NULL, &err);
	if (U_FAILURE(err))
		s[0] = '\0';
	s[need] = '\0';
	return s;
}

/* Apply a normaliser to UTF-16 text; returns a new buffer. */
static UChar *
normalize16(const UNormalizer2 *nm, const UChar *u, int32_t n, int32_t *out)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t need;
	UChar *r;

	need = unorm2_normalize(nm, u, n, NULL, 0, &err);
	err = U_ZERO_ERROR;
	r = xcalloc((size_t)need + 1, sizeof(UChar));
	*out = unorm2_normalize(nm, u, n, r, need + 1, &err);
	if (U_FAILURE(err))
		*out = 0;
	return r;
}

char *
utext_nfc(const char *s)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
	int32_t n, m;
	UChar *u, *v;
	char *r;

	if (U_FAILURE(err))
		return xstrdup(s);
	u = utext_to_utf16(s, &n);
	v = normalize16(nfc, u, n, &m);
	r = utext_from_utf16(v, m);
	free(u);
	free(v);
	return r;
}

char *
utext_name_key(const char *s)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
	int32_t n, m, k, need;
	UChar *u, *d, *f, *c;
	char *folded, *key;

	if (U_FAILURE(err))
		return utext_collapse(s);
	/* Canonical caseless match: NFC(fold(NFD(s))). */
	u = utext_to_utf16(s, &n);
	d = normalize16(nfd, u, n, &m);
	err = U_ZERO_ERROR;
	need = u_strFoldCase(NULL, 0, d, m, U_FOLD_CASE_DEFAULT, &err);
	err = U_ZERO_ERROR;
	f = xcalloc((size_t)need + 1, sizeof(UChar));
	k = u_strFoldCase(f, need + 1, d, m, U_FOLD_CASE_DEFAULT, &err);
	if (U_FAILURE(err))
		k = 0;
	c = normalize16(nfc, f, k, &m);
	folded = utext_from_utf16(c, m);
	key = utext_collapse(folded);
	free(u);
	free(d);
	free(f);
	free(c);
	free(folded);
	return key;
}

bool
utext_needs_complex_layout(const char *s, uint32_t *cp)
{
	int32_t len = (int32_t)strlen(s), i = 0;

	while (i < len) {
		UChar32 c;

		U8_NEXT(s, i, len, c);
		if (c < 0)
			continue;
		if (c > 0xFFFF || u_hasBinaryProperty(c, UCHAR_BIDI_CONTROL)) {
			*cp = (uint32_t)c;
			return true;
		}
		switch (u_charDirection(c)) {
		case U_RIGHT_TO_LEFT:
		case U_RIGHT_TO_LEFT_ARABIC:
			*cp = (uint32_t)c;
			return true;
		default:
			break;
		}
	}
	return false;
}

bool
utext_ascii_casecmp_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;

		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y)
			return false;
	}
	return *a == *b;
}

void
utext_utf16be(struct buf *b, const char *s)
{
	int32_t len = (int32_t)strlen(s), i = 0;

	buf_add(b, "\xFE\xFF", 2);
	while (i < len) {
		UChar32 c;
		uint16_t u[2];
		int n = 0;

		U8_NEXT(s, i, len, c);
		if (c < 0)
			c = 0xFFFD;
		if (c > 0xFFFF) {
			u[n++] = (uint16_t)U16_LEAD(c);
			u[n++] = (uint16_t)U16_TRAIL(c);
		} else
			u[n++] = (uint16_t)c;
		for (int k = 0; k < n; k++) {
			buf_addc(b, (char)(u[k] >> 8));
			buf_addc(b, (char)(u[k] & 0xFF));
		}
	}
}
