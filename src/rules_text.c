/*
 * rules_text.c - the representation rule (DOMAIN.md section 2): wording
 * that presents a Red Notice or diffusion as an arrest warrant, as
 * INTERPOL's own authority, or as INTERPOL's judgment.
 *
 * Text is case-folded and cut into words (letters and digits), so case,
 * spacing, hyphens and line breaks do not matter.  Each pattern is a
 * sequence of word alternatives, some optional.  A match right after a
 * negation ("is not an international arrest warrant") is a correct
 * statement and is not flagged; the country's own national warrant is
 * never matched because no pattern allows a national court there.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "rnpack/buf.h"
#include "rnpack/rules.h"
#include "rnpack/utext.h"
#include "rnpack/xalloc.h"

#define MAX_ALTS	6

struct term {
	const char	*alts[MAX_ALTS];	/* NULL-terminated */
	bool		 optional;
};

struct pattern {
	struct term	terms[8];
	int		nterms;
};

#define T(...)	{ { __VA_ARGS__, NULL }, false }
#define O(...)	{ { __VA_ARGS__, NULL }, true }

static const struct pattern patterns[] = {
	/* international arrest warrant, international warrant of arrest */
	{ { T("international", "worldwide", "global"), O("arrest"),
	    T("warrant", "warrants") }, 3 },
	{ { T("international", "worldwide", "global"), T("warrant"),
	    T("of"), T("arrest") }, 4 },
	/* INTERPOL warrant, INTERPOL arrest warrant, INTERPOL-issued warrant */
	{ { T("interpol"), O("issued"), O("arrest"), T("warrant", "warrants") },
	    4 },
	/* INTERPOL arrest (DOMAIN.md names it) */
	{ { T("interpol"), T("arrest") }, 2 },
	/* warrant issued by INTERPOL */
	{ { T("warrant", "warrants"), O("of"), O("arrest"), T("issued"),
	    T("by"), O("the"), T("interpol") }, 7 },
	/* Red Notice warrant, Red Notice arrest warrant */
	{ { T("red"), T("notice"), O("arrest"), T("warrant") }, 4 },
	/* the Red Notice is / constitutes / serves as an arrest warrant */
	{ { T("notice", "diffusion"), T("is", "constitutes", "serves",
	    "acts"), O("as"), O("an", "a"), O("international"), T("arrest"),
	    T("warrant") }, 7 },
	/* INTERPOL found probable cause / INTERPOL's finding of probable cause */
	{ { T("interpol"), O("has", "have"), T("found", "finding",
	    "determined", "determination"), O("of", "that"), O("there"),
	    O("is"), T("probable") }, 7 },
};

static const char *const negations[] = { "not", "no", "never", "nor",
	"neither", "without", NULL };

struct words {
	char	**w;
	size_t	  n;
	size_t	  cap;
};

#define BOUNDARY	"|"	/* never matches a term */

static void
push(struct words *ws, char *w)
{
	if (ws->n == ws->cap) {
		ws->cap = ws->cap ? ws->cap * 2 : 32;
		ws->w = xreallocarray(ws->w, ws->cap, sizeof(*ws->w));
	}
	ws->w[ws->n++] = w;
}

/* Characters that join words of one phrase: spaces, hyphens, dashes,
 * apostrophes.  Any other punctuation ends the clause. */
static bool
is_joiner(UChar32 c)
{
	return u_isUWhiteSpace(c) || c == '-' || c == '\'' ||
	    (c >= 0x2010 && c <= 0x2015) || c == 0x2019;
}

/*
 * Cut folded text into words; a lone "s" (INTERPOL's) is dropped, and a
 * clause boundary (". , ; : ( )" ...) becomes a BOUNDARY word so that no
 * phrase or negation reaches across it.
 */
static void
split(const char *folded, struct words *ws)
{
	int32_t len = (int32_t)strlen(folded), i = 0;
	struct buf cur = BUF_INIT;

	ws->w = NULL;
	ws->n = ws->cap = 0;
	while (i <= len) {
		int32_t at = i;
		UChar32 c = 0;

		if (i < len)
			U8_NEXT(folded, i, len, c);
		else
			i++;
		if (at < len && c > 0 && u_isalnum(c)) {
			buf_add(&cur, folded + at, (size_t)(i - at));
			continue;
		}
		if (cur.len > 0 && strcmp(cur.ptr, "s") != 0)
			push(ws, buf_detach(&cur));
		buf_reset(&cur);
		if (at < len && !(c > 0 && is_joiner(c)) && ws->n > 0 &&
		    strcmp(ws->w[ws->n - 1], BOUNDARY) != 0)
			push(ws, xstrdup(BOUNDARY));
	}
	buf_free(&cur);
}

static bool
term_has(const struct term *t, const char *w)
{
	for (int i = 0; i < MAX_ALTS && t->alts[i] != NULL; i++)
		if (strcmp(t->alts[i], w) == 0)
			return true;
	return false;
}

/* Words taken by a match of terms t.. of p from word k, or -1. */
static long
match_at(const struct pattern *p, int t, const struct words *ws, size_t k)
{
	long rest;

	if (t == p->nterms)
		return 0;
	if (k < ws->n && term_has(&p->terms[t], ws->w[k]) &&
	    (rest = match_at(p, t + 1, ws, k + 1)) >= 0)
		return rest + 1;
	if (p->terms[t].optional)
		return match_at(p, t + 1, ws, k);
	return -1;
}

/*
 * A correct statement negates the phrase right before it, articles
 * aside: "is not an international arrest warrant", "without an INTERPOL
 * warrant".  A negation further back ("No concerns; INTERPOL warrant")
 * does not count.
 */
static bool
negated(const struct words *ws, size_t k)
{
	static const char *const articles[] = { "a", "an", "the", "any",
		"such", NULL };

	while (k > 0) {
		const char *w = ws->w[--k];
		bool article = false;

		for (int i = 0; articles[i] != NULL; i++)
			article |= strcmp(w, articles[i]) == 0;
		if (article)
			continue;
		for (int i = 0; negations[i] != NULL; i++)
			if (strcmp(w, negations[i]) == 0)
				return true;
		return false;
	}
	return false;
}

bool
rules_find_representation(const char *text, char *phrase, size_t size)
{
	char *folded = utext_name_key(text);
	struct words ws;
	bool found = false;

	split(folded, &ws);
	free(folded);
	for (size_t k = 0; k < ws.n && !found; k++) {
		for (size_t p = 0; p < sizeof(patterns) / sizeof(*patterns);
		    p++) {
			long n = match_at(&patterns[p], 0, &ws, k);

			if (n <= 0 || negated(&ws, k))
				continue;
			if (phrase != NULL && size > 0) {
				struct buf b = BUF_INIT;

				for (size_t j = 0; j < (size_t)n; j++)
					buf_addf(&b, "%s%s", j ? " " : "",
					    ws.w[k + j]);
				snprintf(phrase, size, "%s", b.ptr);
				buf_free(&b);
			}
			found = true;
			break;
		}
	}
	for (size_t k = 0; k < ws.n; k++)
		free(ws.w[k]);
	free(ws.w);
	return found;
}
