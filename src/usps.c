/*
 * usps.c - USPS-style recipient blocks (see usps.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "rnpack/buf.h"
#include "rnpack/case.h"
#include "rnpack/country.h"
#include "rnpack/fmt.h"
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
		 * ONEIL); other punctuation separates words. */
		if (c == '.' || c == '\'' || c == 0x2019)
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

bool
usps_block(struct usps_block *u, const char *name, const char *care_of,
    const struct address *a)
{
	bool ok = true;

	memset(u, 0, sizeof(*u));
	ok &= add(u, usps_line(name));
	if (care_of != NULL) {
		/* Built after cleaning: usps_line would drop the slash. */
		char *line = usps_line(care_of);

		ok &= add(u, xasprintf("C/O %s", line));
		free(line);
	}
	if (a == NULL)
		return ok;
	for (size_t i = 0; i < a->nlines; i++)
		ok &= add(u, usps_line(a->lines[i]));
	if (a->country == NULL) {
		char *city = usps_line(a->city);

		ok &= add(u, xasprintf("%s %s %s", city, a->state,
		    a->postal_code));
		snprintf(u->zip, sizeof(u->zip), "%s", a->postal_code);
		free(city);
	} else {
		char *city = usps_line(a->city);
		char *post = a->postal_code ? usps_line(a->postal_code) : NULL;

		ok &= add(u, post ? xasprintf("%s %s", post, city) :
		    xstrdup(city));
		ok &= add(u, usps_line(country_name(a->country) ?
		    country_name(a->country) : a->country));
		u->foreign = true;
		free(city);
		free(post);
	}
	return ok;
}

void
usps_block_free(struct usps_block *u)
{
	for (size_t i = 0; i < u->n; i++)
		free(u->lines[i]);
	u->n = 0;
}
