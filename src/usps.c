/*
 * usps.c - USPS-style recipient blocks (see usps.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "rnpack/addrfmt.h"
#include "rnpack/buf.h"
#include "rnpack/case.h"
#include "rnpack/country.h"
#include "rnpack/fmt.h"
#include "rnpack/latin.h"
#include "rnpack/usps.h"
#include "rnpack/xalloc.h"

char *
usps_line(const char *s)
{
	struct buf b = BUF_INIT;
	int32_t len = (int32_t)strlen(s), i = 0;
	char *up;
	bool space = false;

	while (i < len) {
		int32_t at = i;
		UChar32 c;

		U8_NEXT(s, i, len, c);
		if (c < 0)
			continue;
		/* Between digits a hyphen, slash or point is part of the
		 * number (112-10, 123 1/2, 39.2), as Pub. 28 keeps it. */
		if ((c == '-' || c == '/' || c == '.') && at > 0 &&
		    s[at - 1] >= '0' && s[at - 1] <= '9' && s[i] >= '0' &&
		    s[i] <= '9') {
			buf_addc(&b, (char)c);
			space = false;
			continue;
		}
		/* Periods and apostrophes vanish (ST. -> ST, O'NEIL ->
		 * ONEIL), and so do the half rings a transliteration writes
		 * for ayin and hamza; other punctuation separates words. */
		if (c == '.' || c == '\'' || c == 0x2019 || c == 0x02BE ||
		    c == 0x02BF)
			continue;
		if (u_ispunct(c) || u_isUWhiteSpace(c)) {
			space = b.len > 0;
			continue;
		}
		if (space)
			buf_addc(&b, ' ');
		space = false;
		buf_add(&b, s + at, (size_t)(i - at));
	}
	up = fmt_upper(b.ptr);
	buf_free(&b);
	return up;
}

static bool
add(struct usps_block *u, char *line)
{
	if (line[0] == '\0') {
		free(line);
		return true;
	}
	if (u->n == USPS_MAX_LINES) {
		free(line);
		return false;
	}
	u->lines[u->n++] = line;
	return true;
}

/* Add each '\n'-separated line of text (owned by the caller). */
static bool
add_lines(struct usps_block *u, const char *text)
{
	bool ok = true;

	for (const char *s = text; *s != '\0';) {
		size_t n = strcspn(s, "\n");

		ok &= add(u, xstrndup(s, n));
		s += n + (s[n] == '\n');
	}
	return ok;
}

/*
 * usps_line of a line in Latin script: a line in another script is
 * transliterated first, and the block remembers it.
 */
static char *
latin_line(struct usps_block *u, const char *s)
{
	char *t, *l;

	if (latin_is_latin(s))
		return usps_line(s);
	t = latin_transliterate(s);
	if (t == NULL)
		return usps_line(s);
	u->transliterated = true;
	l = usps_line(t);
	free(t);
	return l;
}

/* latin_line of an optional value; NULL stays NULL. */
static char *
clean(struct usps_block *u, const char *s)
{
	return s != NULL ? latin_line(u, s) : NULL;
}

/*
 * Abroad: the destination country's format lays out the name (with the
 * care-of line), street lines, city, region and postal code; the country
 * alone on the last line in English capitals.
 */
static bool
foreign_block(struct usps_block *u, const char *name_lines,
    const struct address *a)
{
	const char *fmt = addrfmt_for(a->country);
	struct buf lines = BUF_INIT;
	struct addrfmt_fields f;
	char *text, *city = clean(u, a->city), *region = clean(u, a->region);
	char *post = clean(u, a->postal_code);
	bool ok;

	for (size_t i = 0; i < a->nlines; i++) {
		char *l = latin_line(u, a->lines[i]);

		buf_addf(&lines, "%s%s", i > 0 ? "\n" : "", l);
		free(l);
	}
	memset(&f, 0, sizeof(f));
	f.name = name_lines;
	f.lines = lines.ptr;
	f.city = city;
	f.region = region;
	f.postal = post;
	/* Canada Post: VANCOUVER BC  V6E 3P3. */
	f.wide_postal = strcmp(a->country, "CA") == 0;
	text = addrfmt_apply(fmt != NULL ? fmt : ADDRFMT_FALLBACK, &f);
	ok = add_lines(u, text);
	ok &= add(u, usps_line(country_name(a->country) ?
	    country_name(a->country) : a->country));
	u->foreign = true;
	free(text);
	buf_free(&lines);
	free(city);
	free(region);
	free(post);
	return ok;
}

bool
usps_block(struct usps_block *u, const char *name, const char *care_of,
    const struct address *a)
{
	struct buf who = BUF_INIT;
	bool ok = true;
	char *line;

	memset(u, 0, sizeof(*u));
	line = latin_line(u, name);
	buf_adds(&who, line);
	free(line);
	if (care_of != NULL) {
		/* Built after cleaning: usps_line would drop the slash. */
		line = latin_line(u, care_of);
		buf_addf(&who, "\nC/O %s", line);
		free(line);
	}
	if (a != NULL && a->country != NULL) {
		ok = foreign_block(u, who.ptr, a);
		buf_free(&who);
		return ok;
	}
	ok &= add_lines(u, who.ptr);
	buf_free(&who);
	if (a == NULL)
		return ok;
	for (size_t i = 0; i < a->nlines; i++)
		ok &= add(u, latin_line(u, a->lines[i]));
	line = latin_line(u, a->city);
	ok &= add(u, xasprintf("%s %s %s", line, a->state, a->postal_code));
	snprintf(u->zip, sizeof(u->zip), "%s", a->postal_code);
	free(line);
	return ok;
}

void
usps_block_free(struct usps_block *u)
{
	for (size_t i = 0; i < u->n; i++)
		free(u->lines[i]);
	u->n = 0;
}
