/*
 * blankpage.c - the text of a print file's blank pages (see
 * blankpage.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/utf8.h>

#include "rnpack/blankpage.h"
#include "rnpack/buf.h"

/* What the CMap says about one character we need. */
struct want {
	UChar32		 cp;
	unsigned	 code;
	bool		 found;
};

/* The next token of [*p, end): a hex string, or a word ("beginbfrange",
 * "[", "]"); its text in [*s, *e).  false at the end. */
static bool
next_tok(const char **p, const char *end, const char **s, const char **e)
{
	const char *q = *p;

	while (q < end && (*q == ' ' || *q == '\n' || *q == '\r' ||
	    *q == '\t'))
		q++;
	if (q >= end)
		return false;
	*s = q;
	if (*q == '<') {
		while (q < end && *q != '>')
			q++;
		q += q < end;
	} else if (*q == '[' || *q == ']')
		q++;
	else
		while (q < end && *q != ' ' && *q != '\n' && *q != '\r' &&
		    *q != '\t' && *q != '<' && *q != '[' && *q != ']')
			q++;
	*e = q;
	*p = q;
	return true;
}

/* A hex string's value and its number of digits; false if not one. */
static bool
hex_value(const char *s, const char *e, uint32_t *v, size_t *digits)
{
	*v = 0;
	*digits = 0;
	if (e - s < 3 || *s != '<' || e[-1] != '>')
		return false;
	for (s++; s < e - 1; s++) {
		int d = *s >= '0' && *s <= '9' ? *s - '0' :
		    *s >= 'A' && *s <= 'F' ? *s - 'A' + 10 :
		    *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : -1;

		if (d < 0 || *digits >= 8)
			return false;
		*v = *v << 4 | (uint32_t)d;
		(*digits)++;
	}
	return true;
}

/* The Unicode character of a destination of one UTF-16 unit (4 digits);
 * anything longer maps to no character we look for. */
static void
map_one(struct want *w, size_t nw, uint32_t code, uint32_t dst,
    size_t digits)
{
	if (digits != 4)
		return;
	for (size_t i = 0; i < nw; i++)
		if (!w[i].found && (uint32_t)w[i].cp == dst) {
			w[i].found = true;
			w[i].code = code;
		}
}

static bool
is_word(const char *s, const char *e, const char *w)
{
	return (size_t)(e - s) == strlen(w) && memcmp(s, w, (size_t)(e - s))
	    == 0;
}

/* Read the CMap's bfchar and bfrange entries into w; the code width in
 * bytes from its codespace range goes to *width. */
static void
read_cmap(const char *p, const char *end, struct want *w, size_t nw,
    int *width)
{
	const char *s, *e;
	enum { NONE, SPACE, CHAR, RANGE } mode = NONE;

	*width = 0;
	while (next_tok(&p, end, &s, &e)) {
		uint32_t a, b, dst;
		size_t da, db, dd;

		if (is_word(s, e, "begincodespacerange"))
			mode = SPACE;
		else if (is_word(s, e, "beginbfchar"))
			mode = CHAR;
		else if (is_word(s, e, "beginbfrange"))
			mode = RANGE;
		else if (e - s > 3 && memcmp(s, "end", 3) == 0)
			mode = NONE;
		else if (mode == SPACE && hex_value(s, e, &a, &da)) {
			*width = (int)(da / 2);
			/* The range's upper bound. */
			next_tok(&p, end, &s, &e);
		} else if (mode == CHAR && hex_value(s, e, &a, &da) &&
		    next_tok(&p, end, &s, &e) && hex_value(s, e, &dst, &dd))
			map_one(w, nw, a, dst, dd);
		else if (mode == RANGE && hex_value(s, e, &a, &da) &&
		    next_tok(&p, end, &s, &e) && hex_value(s, e, &b, &db) &&
		    next_tok(&p, end, &s, &e)) {
			if (*s == '[') {
				/* <lo> <hi> [<d1> <d2> ...]: one each. */
				for (uint32_t c = a; next_tok(&p, end, &s, &e)
				    && *s != ']'; c++)
					if (hex_value(s, e, &dst, &dd))
						map_one(w, nw, c, dst, dd);
			} else if (hex_value(s, e, &dst, &dd) && b >= a &&
			    b - a < 65536)
				for (uint32_t c = a; c <= b; c++)
					map_one(w, nw, c, dst + (c - a), dd);
		}
	}
}

bool
blankpage_codes(const char *cmap, size_t len, const char *utf8,
    struct buf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	int32_t n = (int32_t)strlen(utf8), i = 0;
	struct want *w = calloc((size_t)n + 1, sizeof(*w));
	size_t nw = 0;
	int width;
	bool ok = true;

	if (w == NULL)
		return false;
	while (i < n) {
		UChar32 c;

		U8_NEXT(utf8, i, n, c);
		w[nw++].cp = c;
	}
	read_cmap(cmap, cmap + len, w, nw, &width);
	for (size_t k = 0; k < nw; k++)
		ok &= w[k].found && w[k].cp >= 0 &&
		    (width == 2 || (width == 1 && w[k].code < 256));
	if (ok) {
		buf_addc(out, '<');
		for (size_t k = 0; k < nw; k++)
			for (int sh = width * 8 - 4; sh >= 0; sh -= 4)
				buf_addc(out, hex[(w[k].code >> sh) & 15]);
		buf_addc(out, '>');
	}
	free(w);
	return ok;
}

void
blankpage_literal(const char *ascii, struct buf *out)
{
	buf_addc(out, '(');
	for (const char *s = ascii; *s != '\0'; s++) {
		if (*s == '(' || *s == ')' || *s == '\\')
			buf_addc(out, '\\');
		/* Only printable ASCII: the standard font's encoding. */
		buf_addc(out, *s >= 0x20 && *s < 0x7f ? *s : '?');
	}
	buf_addc(out, ')');
}

void
blankpage_stream(const char *sentence, const char *case_id, struct buf *out)
{
	/* An inch from the left, halfway down: 72 pt, 396 pt from the
	 * bottom of 792; the id one line (1.3 x 7 pt) below. */
	buf_addf(out, "BT\n/F1 %.0f Tf\n72 396 Td\n%s Tj\n0 -9.1 Td\n%s Tj\n"
	    "ET\n", BLANKPAGE_PT, sentence, case_id);
}
