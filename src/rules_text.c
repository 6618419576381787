/*
 * rules_text.c - the representation rule's detector: wording that
 * presents a Red Notice or diffusion as an arrest warrant, as
 * INTERPOL's own order or authority, or as INTERPOL's judgment.
 *
 * The patterns are data (templates/representation.rules, described in
 * docs/representation.md); this file compiles them and runs them over
 * text.  Pure: no I/O, no globals; a compiled set is only read.
 *
 * Text and pattern words go through one tokenizer: words of letters and
 * digits, folded (accents removed, case folded), so that case, accents,
 * spacing, hyphens, quotation marks and line breaks do not matter; every
 * other punctuation mark is a token of its own, which a pattern matches
 * only when it names it, so a phrase never runs across ". ; ( /".  Each
 * token keeps its byte span in the text, so a match is quoted exactly as
 * written.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "rnpack/buf.h"
#include "rnpack/rules.h"
#include "rnpack/rules_text.h"
#include "rnpack/xalloc.h"

#define DEFAULT_REACH	4	/* words a negation reaches over */
#define MAX_REACH	9
#define DEFAULT_GAP	3	/* words "..." stands for */
#define STEP_LIMIT	200000	/* matching steps per start and pattern */

/* ---- tokens --------------------------------------------------------- */

struct tok {
	char	*w;		/* folded word, or the punctuation mark */
	size_t	 start, end;	/* bytes of the original text */
	bool	 punct;
};

/*
 * Most texts are a sentence or two: their tokens stay in the struct (on
 * the caller's stack), and only a longer text takes a block of memory.
 * A struct toks is not copied while in use (v may point into it).
 */
#define TOKS_INLINE	32

struct toks {
	struct tok	*v;	/* inl, or allocated */
	size_t		 n, cap;
	struct tok	 inl[TOKS_INLINE];
};

static void
toks_init(struct toks *t)
{
	t->v = t->inl;
	t->n = 0;
	t->cap = TOKS_INLINE;
}

static void
toks_free(struct toks *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].w);
	if (t->v != t->inl)
		free(t->v);
	toks_init(t);
}

static struct tok *
toks_push(struct toks *t, char *w, size_t start, size_t end, bool punct)
{
	struct tok *k;

	if (t->n == t->cap && t->v == t->inl) {
		t->v = xreallocarray(NULL, t->cap * 2, sizeof(*t->v));
		memcpy(t->v, t->inl, sizeof(t->inl));
		t->cap *= 2;
	} else if (t->n == t->cap) {
		t->v = xreallocarray(t->v, t->cap * 2, sizeof(*t->v));
		t->cap *= 2;
	}
	k = &t->v[t->n++];
	k->w = w;
	k->start = start;
	k->end = end;
	k->punct = punct;
	return k;
}

/*
 * A word of ASCII letters and digits folds to itself in lower case: the
 * same as fold() below, without its four conversions and three
 * allocations.
 */
static char *
fold_ascii(const char *s, size_t n)
{
	char *out = xstrndup(s, n);

	for (size_t i = 0; i < n; i++)
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] = (char)(out[i] - 'A' + 'a');
	return out;
}

/* Accents off, case folded: NFD, combining marks dropped, full fold. */
static char *
fold(const char *s, size_t n)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
	int32_t ulen = 0, dlen, flen, k = 0, olen;
	UChar *u, *d, *f;
	char *out;

	u_strFromUTF8Lenient(NULL, 0, &ulen, s, (int32_t)n, &err);
	err = U_ZERO_ERROR;
	u = xcalloc((size_t)ulen + 1, sizeof(UChar));
	u_strFromUTF8Lenient(u, ulen + 1, NULL, s, (int32_t)n, &err);
	err = U_ZERO_ERROR;
	dlen = unorm2_normalize(nfd, u, ulen, NULL, 0, &err);
	err = U_ZERO_ERROR;
	d = xcalloc((size_t)dlen + 1, sizeof(UChar));
	dlen = unorm2_normalize(nfd, u, ulen, d, dlen + 1, &err);
	if (U_FAILURE(err))
		dlen = 0;
	for (int32_t i = 0; i < dlen; i++)
		if (u_charType(d[i]) != U_NON_SPACING_MARK)
			d[k++] = d[i];
	err = U_ZERO_ERROR;
	flen = u_strFoldCase(NULL, 0, d, k, U_FOLD_CASE_DEFAULT, &err);
	err = U_ZERO_ERROR;
	f = xcalloc((size_t)flen + 1, sizeof(UChar));
	flen = u_strFoldCase(f, flen + 1, d, k, U_FOLD_CASE_DEFAULT, &err);
	if (U_FAILURE(err))
		flen = 0;
	err = U_ZERO_ERROR;
	u_strToUTF8(NULL, 0, &olen, f, flen, &err);
	err = U_ZERO_ERROR;
	out = xcalloc((size_t)olen + 1, 1);
	u_strToUTF8(out, olen + 1, NULL, f, flen, &err);
	free(u);
	free(d);
	free(f);
	return out;
}

enum cclass { C_WORD, C_APOSTROPHE, C_JOINER, C_PUNCT };

static enum cclass
classify(UChar32 c)
{
	int8_t t;

	if (c < 0)
		return C_JOINER;	/* invalid byte: the loader refuses it */
	if (c == '\'' || c == 0x2019 || c == 0x02BC || c == 0x00B4 ||
	    c == '`')
		return C_APOSTROPHE;
	if (u_isalnum(c))
		return C_WORD;
	t = (int8_t)u_charType(c);
	if (t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK ||
	    t == U_ENCLOSING_MARK)
		return C_WORD;
	/* Spaces, hyphens and dashes, quotation marks and emphasis join the
	 * words of one phrase. */
	if (u_isUWhiteSpace(c) || t == U_CONTROL_CHAR ||
	    t == U_FORMAT_CHAR || t == U_DASH_PUNCTUATION ||
	    t == U_INITIAL_PUNCTUATION || t == U_FINAL_PUNCTUATION ||
	    c == '"' || c == '*' || c == '_' || c == 0x2212)
		return C_JOINER;
	return C_PUNCT;
}

/*
 * A word right after an apostrophe: the possessive "s" (INTERPOL's) is
 * dropped, and "n't" becomes the word "not" (isn't -> is not).
 */
static bool
after_apostrophe(struct toks *t, char *w, size_t start, size_t end)
{
	struct tok *p = t->n ? &t->v[t->n - 1] : NULL;
	size_t len;

	if (p == NULL || p->punct)
		return false;
	if (strcmp(w, "s") == 0) {
		free(w);
		return true;
	}
	len = strlen(p->w);
	if (strcmp(w, "t") == 0 && len > 1 && p->w[len - 1] == 'n') {
		p->w[len - 1] = '\0';
		if (strcmp(p->w, "ca") == 0) {
			free(p->w);
			p->w = xstrdup("can");
		} else if (strcmp(p->w, "wo") == 0) {
			free(p->w);
			p->w = xstrdup("will");
		}
		free(w);
		toks_push(t, xstrdup("not"), start, end, false);
		return true;
	}
	return false;
}

/*
 * ascii: classify() of each ASCII character, worked out once (a compiled
 * set's), so that plain text asks ICU nothing; NULL asks ICU for every
 * character and folds every word through it.
 */
static void
tokenize(const char *s, size_t len, const unsigned char *ascii,
    struct toks *t)
{
	int32_t i = 0, n = (int32_t)len, wstart = -1;
	bool apos = false;	/* an apostrophe right before this word */
	bool plain = false;	/* the word so far is ASCII */

	toks_init(t);
	while (i <= n) {
		int32_t at = i;
		UChar32 c = 0;
		enum cclass k = C_JOINER;

		if (i < n && ascii != NULL && (unsigned char)s[i] < 0x80) {
			c = (unsigned char)s[i++];
			k = (enum cclass)ascii[c];
		} else if (i < n) {
			U8_NEXT(s, i, n, c);
			k = classify(c);
		} else
			i++;
		if (at < n && k == C_WORD) {
			if (wstart < 0) {
				wstart = at;
				plain = true;
			}
			if (c >= 0x80 || c < 0)
				plain = false;
			continue;
		}
		if (wstart >= 0) {
			char *w = plain && ascii != NULL ?
			    fold_ascii(s + wstart, (size_t)(at - wstart)) :
			    fold(s + wstart, (size_t)(at - wstart));

			if (*w == '\0')
				free(w);
			else if (!apos || !after_apostrophe(t, w,
			    (size_t)wstart, (size_t)at))
				toks_push(t, w, (size_t)wstart, (size_t)at,
				    false);
			wstart = -1;
		}
		apos = at < n && k == C_APOSTROPHE;
		if (at < n && k == C_PUNCT)
			toks_push(t, xstrndup(s + at, (size_t)(i - at)),
			    (size_t)at, (size_t)i, true);
	}
}

/* ---- compiled patterns ---------------------------------------------- */

enum item_kind { I_WORD, I_PREFIX, I_PUNCT, I_GROUP, I_GAP, I_NOT };

struct seq;

struct alts {
	struct seq	*v;
	size_t		 n;
};

struct item {
	enum item_kind	 kind;
	bool		 optional;
	char		*word;		/* I_WORD, I_PREFIX, I_PUNCT */
	struct alts	*sub;		/* I_GROUP, I_NOT */
	bool		 owns_sub;	/* false: a set's, freed with it */
	int		 gap;		/* I_GAP: up to this many words */
};

struct seq {
	struct item	*v;
	size_t		 n;
};

struct set {
	char		*name;
	struct alts	*alts;
};

struct category {
	char		*id;
	char		*says;
};

struct catch {
	size_t		 category;
	struct alts	*alts;
};

struct wordlist {
	char		**w;	/* folded; a trailing '*' is a prefix */
	int		 *reach;	/* negations only */
	size_t		  n;
};

/*
 * Where a pattern can begin.  Any match that takes a word takes the word
 * at its start through one of the pattern's first items: the words,
 * prefixes and marks that can come first once optional items, gaps,
 * "!" (which takes nothing) and groups that can take nothing are passed
 * over, or a gap's first word (any word).  rules_text_find() runs a
 * pattern only at the tokens its first items can take: elsewhere it
 * could take no word, which is what a run there would find.
 */
struct first_key {
	char		*w;	/* folded word, prefix or mark; owned */
	bool		 punct;
	size_t		*pats;	/* patterns it may start: allows
				 * numbered first, then catches */
	size_t		 npats;
};

struct prefilter {
	struct first_key	*exact;	/* sorted by punct, then w */
	size_t			 nexact;
	struct first_key	*prefixes;	/* words only */
	size_t			 nprefixes;
	size_t			*anyword;	/* a gap comes first */
	size_t			 nanyword;
	size_t			 npats;
};

struct rules_text {
	struct set		*sets;
	size_t			 nsets;
	struct category		*cats;
	size_t			 ncats;
	struct catch		*catches;
	size_t			 ncatches;
	struct alts		**allows;
	size_t			 nallows;
	struct wordlist		 negations;
	struct wordlist		 scope_ends;
	struct prefilter	 first;
	unsigned char		 ascii[128];	/* classify(c) */
};

static void alts_free(struct alts *);

static void
seq_free(struct seq *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].word);
		if (s->v[i].owns_sub)
			alts_free(s->v[i].sub);
	}
	free(s->v);
}

static void
alts_free(struct alts *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->n; i++)
		seq_free(&a->v[i]);
	free(a->v);
	free(a);
}

static void
wordlist_free(struct wordlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->w[i]);
	free(l->w);
	free(l->reach);
}

static void
first_keys_free(struct first_key *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].w);
		free(v[i].pats);
	}
	free(v);
}

static void
prefilter_free(struct prefilter *pf)
{
	first_keys_free(pf->exact, pf->nexact);
	first_keys_free(pf->prefixes, pf->nprefixes);
	free(pf->anyword);
	memset(pf, 0, sizeof(*pf));
}

void
rules_text_free(struct rules_text *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nsets; i++) {
		free(r->sets[i].name);
		alts_free(r->sets[i].alts);
	}
	free(r->sets);
	for (size_t i = 0; i < r->ncats; i++) {
		free(r->cats[i].id);
		free(r->cats[i].says);
	}
	free(r->cats);
	for (size_t i = 0; i < r->ncatches; i++)
		alts_free(r->catches[i].alts);
	free(r->catches);
	for (size_t i = 0; i < r->nallows; i++)
		alts_free(r->allows[i]);
	free(r->allows);
	wordlist_free(&r->negations);
	wordlist_free(&r->scope_ends);
	prefilter_free(&r->first);
	free(r);
}

/* ---- the rules file -------------------------------------------------- */

/* One statement: a line and the indented lines that continue it. */
struct stmt {
	char		*text;		/* joined with single spaces */
	size_t		*off;		/* where each physical line starts */
	unsigned	*lines;
	size_t		 nlines;
};

struct parser {
	struct rules_text	*r;
	const char		*name;
	const struct stmt	*st;
	const char		*p;	/* in st->text */
	char			*err;
};

static unsigned
line_at(const struct stmt *st, const char *p)
{
	size_t at = (size_t)(p - st->text);
	unsigned line = st->lines[0];

	for (size_t i = 0; i < st->nlines && st->off[i] <= at; i++)
		line = st->lines[i];
	return line;
}

static bool
fail(struct parser *ps, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool
fail(struct parser *ps, const char *at, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	if (ps->err != NULL)
		return false;
	buf_addf(&b, "%s:%u: ", ps->name, line_at(ps->st, at ? at :
	    ps->st->text));
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	ps->err = buf_detach(&b);
	return false;
}

static void
skip_space(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t')
		ps->p++;
}

/* Syntax characters of a pattern. */
static bool
is_syntax(char c)
{
	return c == '(' || c == ')' || c == '[' || c == ']' || c == '|' ||
	    c == '!' || c == '<' || c == '>' || c == '"' || c == ' ' ||
	    c == '\t' || c == '\0';
}

/*
 * A pattern word, as the text tokenizer would see it: exactly one
 * folded word.  A trailing '*' makes it a prefix.  Returns the folded
 * word (with its '*') or NULL after an error.
 */
static char *
pattern_word(struct parser *ps, const char *w, size_t n)
{
	bool prefix = n > 1 && w[n - 1] == '*';
	struct toks t;
	char *out = NULL;

	tokenize(w, prefix ? n - 1 : n, NULL, &t);
	if (t.n == 1 && !t.v[0].punct && t.v[0].end - t.v[0].start ==
	    (prefix ? n - 1 : n))
		out = xasprintf("%s%s", t.v[0].w, prefix ? "*" : "");
	else if (t.n == 1 && t.v[0].punct)
		fail(ps, w, "'%.*s': write a punctuation mark in double "
		    "quotes (\"%s\")", (int)n, w, t.v[0].w);
	else
		fail(ps, w, "'%.*s' is not one word (letters and digits; a "
		    "'*' only at the end)", (int)n, w);
	toks_free(&t);
	return out;
}

static struct alts *parse_alts(struct parser *, char close);

static const struct set *
find_set(const struct rules_text *r, const char *name, size_t n)
{
	for (size_t i = 0; i < r->nsets; i++)
		if (strlen(r->sets[i].name) == n &&
		    strncmp(r->sets[i].name, name, n) == 0)
			return &r->sets[i];
	return NULL;
}

static bool
parse_item(struct parser *ps, struct item *it)
{
	const char *at = ps->p;

	memset(it, 0, sizeof(*it));
	if (*ps->p == '!') {
		ps->p++;
		skip_space(ps);
		it->kind = I_NOT;
		it->owns_sub = true;
		it->sub = xcalloc(1, sizeof(*it->sub));
		it->sub->v = xcalloc(1, sizeof(struct seq));
		it->sub->n = 1;
		it->sub->v[0].v = xcalloc(1, sizeof(struct item));
		it->sub->v[0].n = 1;
		if (strchr("|)]", *ps->p) != NULL || *ps->p == '\0')
			return fail(ps, at, "'!' must be followed by what "
			    "may not come next");
		return parse_item(ps, &it->sub->v[0].v[0]);
	}
	if (*ps->p == '(' || *ps->p == '[') {
		char close = *ps->p == '(' ? ')' : ']';

		it->optional = *ps->p == '[';
		ps->p++;
		it->kind = I_GROUP;
		it->owns_sub = true;
		if ((it->sub = parse_alts(ps, close)) == NULL)
			return false;
		if (*ps->p != close)
			return fail(ps, at, "'%c' is not closed", *at);
		ps->p++;
		return true;
	}
	if (*ps->p == '<') {
		const char *name = ++ps->p;
		const struct set *s;

		while (*ps->p != '>' && *ps->p != '\0' && *ps->p != ' ')
			ps->p++;
		if (*ps->p != '>')
			return fail(ps, at, "'<' without '>'");
		if ((s = find_set(ps->r, name, (size_t)(ps->p - name))) ==
		    NULL)
			return fail(ps, at, "<%.*s> is not defined above "
			    "(set %.*s = ...)", (int)(ps->p - name), name,
			    (int)(ps->p - name), name);
		ps->p++;
		it->kind = I_GROUP;
		it->sub = s->alts;
		return true;
	}
	if (*ps->p == '"') {
		const char *q = ++ps->p;
		struct toks t;

		while (*ps->p != '"' && *ps->p != '\0')
			ps->p++;
		if (*ps->p != '"')
			return fail(ps, at, "'\"' is not closed");
		tokenize(q, (size_t)(ps->p - q), NULL, &t);
		if (t.n != 1 || !t.v[0].punct ||
		    t.v[0].end - t.v[0].start != (size_t)(ps->p - q)) {
			toks_free(&t);
			return fail(ps, at, "\"%.*s\" is not one punctuation "
			    "mark", (int)(ps->p - q), q);
		}
		it->kind = I_PUNCT;
		it->word = xstrdup(t.v[0].w);
		toks_free(&t);
		ps->p++;
		return true;
	}
	if (strncmp(ps->p, "...", 3) == 0) {
		ps->p += 3;
		it->kind = I_GAP;
		it->gap = DEFAULT_GAP;
		if (*ps->p >= '1' && *ps->p <= '9')
			it->gap = *ps->p++ - '0';
		if (!is_syntax(*ps->p))
			return fail(ps, at, "'...' takes one digit, 1 to 9");
		return true;
	}
	if (is_syntax(*ps->p))
		return fail(ps, at, "'%c' is out of place", *ps->p);
	while (!is_syntax(*ps->p))
		ps->p++;
	if ((it->word = pattern_word(ps, at, (size_t)(ps->p - at))) == NULL)
		return false;
	it->kind = I_WORD;
	if (it->word[strlen(it->word) - 1] == '*') {
		it->word[strlen(it->word) - 1] = '\0';
		it->kind = I_PREFIX;
	}
	return true;
}

/* Alternatives up to close (or the end); each alternative non-empty. */
static struct alts *
parse_alts(struct parser *ps, char close)
{
	struct alts *a = xcalloc(1, sizeof(*a));

	for (;;) {
		struct seq *s;
		const char *at;

		a->v = xreallocarray(a->v, a->n + 1, sizeof(*a->v));
		s = &a->v[a->n++];
		memset(s, 0, sizeof(*s));
		skip_space(ps);
		at = ps->p;
		while (*ps->p != '|' && *ps->p != close && *ps->p != '\0') {
			s->v = xreallocarray(s->v, s->n + 1, sizeof(*s->v));
			if (!parse_item(ps, &s->v[s->n])) {
				s->n++;
				alts_free(a);
				return NULL;
			}
			s->n++;
			skip_space(ps);
		}
		if (s->n == 0) {
			fail(ps, at, "an empty alternative (use [ ] for "
			    "optional words)");
			alts_free(a);
			return NULL;
		}
		if (*ps->p != '|')
			break;
		ps->p++;
	}
	if (close != '\0' && *ps->p != close) {
		fail(ps, ps->p, "'%c' is missing", close);
		alts_free(a);
		return NULL;
	}
	if (close == '\0' && *ps->p != '\0') {
		fail(ps, ps->p, "'%c' is out of place", *ps->p);
		alts_free(a);
		return NULL;
	}
	return a;
}

/* Fewest words a match takes: a pattern must take at least one. */
static size_t alts_min(const struct alts *);

static size_t
seq_min(const struct seq *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++) {
		const struct item *it = &s->v[i];

		if (it->optional || it->kind == I_GAP || it->kind == I_NOT)
			continue;
		n += it->kind == I_GROUP ? alts_min(it->sub) : 1;
	}
	return n;
}

static size_t
alts_min(const struct alts *a)
{
	size_t m = SIZE_MAX;

	for (size_t i = 0; i < a->n; i++) {
		size_t k = seq_min(&a->v[i]);

		if (k < m)
			m = k;
	}
	return m;
}

static struct alts *
parse_pattern(struct parser *ps)
{
	const char *at = ps->p;
	struct alts *a = parse_alts(ps, '\0');

	if (a != NULL && alts_min(a) == 0) {
		fail(ps, at, "the pattern can match no words at all");
		alts_free(a);
		return NULL;
	}
	return a;
}

/* ---- where patterns begin ------------------------------------------- */

/* One first item of one pattern, while the prefilter is built. */
struct first_item {
	const char	*w;	/* the item's word; NULL for a gap */
	enum item_kind	 kind;	/* a word, prefix, mark or gap */
	size_t		 pat;
};

struct first_items {
	struct first_item	*v;
	size_t			 n, cap;
};

static void
first_add(struct first_items *l, const struct item *it, size_t pat)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n].w = it->kind == I_GAP ? NULL : it->word;
	l->v[l->n].kind = it->kind;
	l->v[l->n++].pat = pat;
}

static bool first_alts(const struct alts *, struct first_items *, size_t);

/*
 * Add the items of s that can take its first word; true when s can
 * also take none (every item optional, a gap, a "!" or such a group).
 */
static bool
first_seq(const struct seq *s, struct first_items *l, size_t pat)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct item *it = &s->v[i];
		bool none = it->optional || it->kind == I_GAP ||
		    it->kind == I_NOT;

		if (it->kind == I_GROUP) {
			if (first_alts(it->sub, l, pat))
				none = true;
		} else if (it->kind != I_NOT)
			first_add(l, it, pat);
		if (!none)
			return false;
	}
	return true;
}

static bool
first_alts(const struct alts *a, struct first_items *l, size_t pat)
{
	bool none = false;

	for (size_t i = 0; i < a->n; i++)
		if (first_seq(&a->v[i], l, pat))
			none = true;
	return none;
}

static int
first_item_cmp(const void *a, const void *b)
{
	const struct first_item *x = a, *y = b;
	int c;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->w != NULL && y->w != NULL && (c = strcmp(x->w, y->w)) != 0)
		return c;
	return x->pat < y->pat ? -1 : x->pat > y->pat;
}

/* Order of the exact keys: words, then marks; each by its bytes. */
static int
first_key_cmp(const void *a, const void *b)
{
	const struct first_key *x = a, *y = b;

	if (x->punct != y->punct)
		return x->punct ? 1 : -1;
	return strcmp(x->w, y->w);
}

/* Append pat to the key for (w, punct) last in v, or a new key. */
static void
first_key_add(struct first_key **v, size_t *n, const char *w, bool punct,
    size_t pat)
{
	struct first_key *k = *n > 0 ? &(*v)[*n - 1] : NULL;

	if (k == NULL || k->punct != punct || strcmp(k->w, w) != 0) {
		*v = xreallocarray(*v, *n + 1, sizeof(**v));
		k = &(*v)[(*n)++];
		k->w = xstrdup(w);
		k->punct = punct;
		k->pats = NULL;
		k->npats = 0;
	} else if (k->pats[k->npats - 1] == pat)
		return;
	k->pats = xreallocarray(k->pats, k->npats + 1, sizeof(*k->pats));
	k->pats[k->npats++] = pat;
}

/* Patterns are numbered allows first, then catches. */
static void
prefilter_build(struct rules_text *r)
{
	struct prefilter *pf = &r->first;
	struct first_items l = { NULL, 0, 0 };

	pf->npats = r->nallows + r->ncatches;
	for (size_t a = 0; a < r->nallows; a++)
		first_alts(r->allows[a], &l, a);
	for (size_t c = 0; c < r->ncatches; c++)
		first_alts(r->catches[c].alts, &l, r->nallows + c);
	if (l.n > 0)
		qsort(l.v, l.n, sizeof(*l.v), first_item_cmp);
	/* sorted by kind, I_WORD before I_PUNCT: the exact keys in
	 * first_key_cmp()'s order */
	for (size_t i = 0; i < l.n; i++) {
		const struct first_item *f = &l.v[i];

		switch (f->kind) {
		case I_WORD:
		case I_PUNCT:
			first_key_add(&pf->exact, &pf->nexact, f->w,
			    f->kind == I_PUNCT, f->pat);
			break;
		case I_PREFIX:
			first_key_add(&pf->prefixes, &pf->nprefixes, f->w,
			    false, f->pat);
			break;
		case I_GAP:
			if (pf->nanyword > 0 &&
			    pf->anyword[pf->nanyword - 1] == f->pat)
				break;
			pf->anyword = xreallocarray(pf->anyword,
			    pf->nanyword + 1, sizeof(*pf->anyword));
			pf->anyword[pf->nanyword++] = f->pat;
			break;
		default:
			break;
		}
	}
	free(l.v);
}

/* An identifier: lower-case letters, digits and '-'. */
static bool
is_ident(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

/* "word | word* | ..." of single words. */
static bool
parse_wordlist(struct parser *ps, struct wordlist *l, int reach)
{
	for (;;) {
		const char *at;
		char *w;

		skip_space(ps);
		at = ps->p;
		while (!is_syntax(*ps->p))
			ps->p++;
		if (ps->p == at)
			return fail(ps, at, "a word is expected here");
		if ((w = pattern_word(ps, at, (size_t)(ps->p - at))) == NULL)
			return false;
		l->w = xreallocarray(l->w, l->n + 1, sizeof(*l->w));
		l->reach = xreallocarray(l->reach, l->n + 1,
		    sizeof(*l->reach));
		l->w[l->n] = w;
		l->reach[l->n++] = reach;
		skip_space(ps);
		if (*ps->p == '\0')
			return true;
		if (*ps->p != '|')
			return fail(ps, ps->p, "one word per alternative, "
			    "separated by '|'");
		ps->p++;
	}
}

static bool
statement(struct parser *ps)
{
	struct rules_text *r = ps->r;
	const char *s = ps->st->text, *eq = strchr(s, '=');
	char kw[32] = "", arg[64] = "";
	size_t kn, an;
	const char *q;

	if (eq == NULL)
		return fail(ps, s, "'=' is missing (KEYWORD [NAME] = ...)");
	q = s;
	kn = strcspn(q, " \t=");
	if (kn >= sizeof(kw))
		return fail(ps, s, "unknown keyword '%.*s'", (int)kn, q);
	memcpy(kw, q, kn);
	q += kn;
	q += strspn(q, " \t");
	an = strcspn(q, " \t=");
	if (an >= sizeof(arg))
		return fail(ps, q, "name too long");
	memcpy(arg, q, an);
	q += an;
	q += strspn(q, " \t");
	if (q != eq)
		return fail(ps, q, "'=' expected after '%s %s'", kw, arg);
	ps->p = eq + 1;
	skip_space(ps);
	if (*ps->p == '\0')
		return fail(ps, eq, "nothing after '='");

	if (strcmp(kw, "set") == 0) {
		struct alts *a;

		if (!is_ident(arg, an))
			return fail(ps, s, "set needs a name of a-z, 0-9 and "
			    "'-'");
		if (find_set(r, arg, an) != NULL)
			return fail(ps, s, "set %s is defined twice", arg);
		if ((a = parse_pattern(ps)) == NULL)
			return false;
		r->sets = xreallocarray(r->sets, r->nsets + 1,
		    sizeof(*r->sets));
		r->sets[r->nsets].name = xstrdup(arg);
		r->sets[r->nsets++].alts = a;
		return true;
	}
	if (strcmp(kw, "category") == 0) {
		if (!is_ident(arg, an))
			return fail(ps, s, "category needs an id of a-z, 0-9 "
			    "and '-'");
		for (size_t i = 0; i < r->ncats; i++)
			if (strcmp(r->cats[i].id, arg) == 0)
				return fail(ps, s, "category %s is defined "
				    "twice", arg);
		r->cats = xreallocarray(r->cats, r->ncats + 1,
		    sizeof(*r->cats));
		r->cats[r->ncats].id = xstrdup(arg);
		r->cats[r->ncats++].says = xstrdup(ps->p);
		return true;
	}
	if (strcmp(kw, "catch") == 0) {
		size_t c = r->ncats;
		struct alts *a;

		for (size_t i = 0; i < r->ncats; i++)
			if (strcmp(r->cats[i].id, arg) == 0)
				c = i;
		if (c == r->ncats)
			return fail(ps, s, "catch %s: no such category above "
			    "(category %s = ...)", arg, arg);
		if ((a = parse_pattern(ps)) == NULL)
			return false;
		r->catches = xreallocarray(r->catches, r->ncatches + 1,
		    sizeof(*r->catches));
		r->catches[r->ncatches].category = c;
		r->catches[r->ncatches++].alts = a;
		return true;
	}
	if (strcmp(kw, "allow") == 0) {
		struct alts *a;

		if (an != 0)
			return fail(ps, s, "allow takes no name: allow = ...");
		if ((a = parse_pattern(ps)) == NULL)
			return false;
		r->allows = xreallocarray(r->allows, r->nallows + 1,
		    sizeof(*r->allows));
		r->allows[r->nallows++] = a;
		return true;
	}
	if (strcmp(kw, "negation") == 0) {
		int reach = DEFAULT_REACH;

		if (an > 0 && (an != 1 || arg[0] < '1' || arg[0] > '0' +
		    MAX_REACH))
			return fail(ps, s, "negation takes a reach of 1 to "
			    "%d words: negation 3 = ...", MAX_REACH);
		if (an > 0)
			reach = arg[0] - '0';
		return parse_wordlist(ps, &r->negations, reach);
	}
	if (strcmp(kw, "scope-end") == 0) {
		if (an != 0)
			return fail(ps, s, "scope-end takes no name");
		return parse_wordlist(ps, &r->scope_ends, 0);
	}
	return fail(ps, s, "unknown keyword '%s' (set, category, catch, "
	    "allow, negation, scope-end)", kw);
}

static void
stmt_free(struct stmt *st)
{
	free(st->text);
	free(st->off);
	free(st->lines);
	memset(st, 0, sizeof(*st));
}

/* Start st at a physical line, or continue it with one. */
static void
stmt_add(struct stmt *st, const char *s, size_t n, unsigned line)
{
	size_t len = st->text ? strlen(st->text) : 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r'))
		n--;
	st->text = xrealloc(st->text, len + n + 2);
	if (len > 0)
		st->text[len++] = ' ';
	memcpy(st->text + len, s, n);
	st->text[len + n] = '\0';
	st->off = xreallocarray(st->off, st->nlines + 1, sizeof(*st->off));
	st->lines = xreallocarray(st->lines, st->nlines + 1,
	    sizeof(*st->lines));
	st->off[st->nlines] = len;
	st->lines[st->nlines++] = line;
}

struct rules_text *
rules_text_compile(const char *text, size_t len, const char *name,
    char **err)
{
	struct parser ps;
	struct stmt st;
	const char *p = text, *end = text + len;
	unsigned line = 0, last = 0;
	bool ok = true;

	memset(&ps, 0, sizeof(ps));
	memset(&st, 0, sizeof(st));
	ps.r = xcalloc(1, sizeof(*ps.r));
	ps.name = name;
	ps.st = &st;
	if (memchr(text, '\0', len) != NULL) {
		*err = xasprintf("%s:1: not a text file", name);
		rules_text_free(ps.r);
		return NULL;
	}
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;		/* a byte order mark some editors write */
	while (ok && p <= end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		size_t lead = strspn(p, " \t");
		bool blank, comment;

		line++;
		if (lead > n)
			lead = n;
		blank = strspn(p + lead, " \t\r") >= n - lead;
		comment = !blank && p[lead] == '#';
		if (!blank && !comment) {
			if (lead > 0 && st.text != NULL)
				stmt_add(&st, p + lead, n - lead, line);
			else if (lead > 0) {
				memset(&st, 0, sizeof(st));
				stmt_add(&st, p, n, line);
				ok = fail(&ps, NULL, "an indented line "
				    "continues a statement, but none is "
				    "open");
			} else {
				if (st.text != NULL)
					ok = statement(&ps);
				stmt_free(&st);
				stmt_add(&st, p, n, line);
			}
		}
		if (!blank)
			last = line;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	if (ok && st.text != NULL)
		ok = statement(&ps);
	stmt_free(&st);
	if (ok && ps.r->ncatches == 0) {
		*err = xasprintf("%s:%u: no catch patterns", name, last);
		rules_text_free(ps.r);
		return NULL;
	}
	if (!ok) {
		*err = ps.err;
		rules_text_free(ps.r);
		return NULL;
	}
	prefilter_build(ps.r);
	for (UChar32 c = 0; c < 128; c++)
		ps.r->ascii[c] = (unsigned char)classify(c);
	return ps.r;
}

size_t
rules_text_ncatches(const struct rules_text *r)
{
	return r->ncatches;
}

/* ---- matching -------------------------------------------------------- */

struct mctx {
	const struct toks	*t;
	const struct rules_text	*r;
	size_t			 best;	/* end of the longest match */
	bool			 any;
	unsigned long		 steps;
};

/* The rest of an enclosing sequence, to go on with after a group. */
struct cont {
	const struct seq	*s;
	size_t			 i;
	const struct cont	*next;
};

static bool
word_in(const struct wordlist *l, const char *w, int *reach)
{
	for (size_t i = 0; i < l->n; i++) {
		size_t n = strlen(l->w[i]);
		bool hit = n > 0 && l->w[i][n - 1] == '*' ?
		    strncmp(w, l->w[i], n - 1) == 0 :
		    strcmp(w, l->w[i]) == 0;

		if (hit) {
			if (reach != NULL)
				*reach = l->reach[i];
			return true;
		}
	}
	return false;
}

/* A negation word; "No. 44" is a number, not a denial. */
static bool
is_negation(const struct rules_text *r, const struct toks *t, size_t k,
    int *reach)
{
	if (t->v[k].punct || !word_in(&r->negations, t->v[k].w, reach))
		return false;
	for (size_t j = k + 1; j < t->n && j <= k + 2; j++) {
		if (t->v[j].punct && strcmp(t->v[j].w, ".") == 0)
			continue;
		return !(!t->v[j].punct && t->v[j].w[0] >= '0' &&
		    t->v[j].w[0] <= '9');
	}
	return true;
}

static void run(struct mctx *, const struct seq *, size_t, size_t,
    const struct cont *);

static void
run_alts(struct mctx *x, const struct alts *a, size_t pos,
    const struct cont *next)
{
	for (size_t i = 0; i < a->n; i++)
		run(x, &a->v[i], 0, pos, next);
}

static void
run(struct mctx *x, const struct seq *s, size_t i, size_t pos,
    const struct cont *next)
{
	const struct toks *t = x->t;
	const struct item *it;
	const struct tok *k;

	if (++x->steps > STEP_LIMIT)
		return;
	if (i == s->n) {
		if (next != NULL)
			run(x, next->s, next->i, pos, next->next);
		else if (!x->any || pos > x->best) {
			x->best = pos;
			x->any = true;
		}
		return;
	}
	it = &s->v[i];
	k = pos < t->n ? &t->v[pos] : NULL;
	if (it->optional)
		run(x, s, i + 1, pos, next);
	switch (it->kind) {
	/* the first bytes first: most words differ there */
	case I_WORD:
		if (k != NULL && !k->punct && k->w[0] == it->word[0] &&
		    strcmp(k->w, it->word) == 0)
			run(x, s, i + 1, pos + 1, next);
		break;
	case I_PREFIX:
		if (k != NULL && !k->punct && (it->word[0] == '\0' ||
		    k->w[0] == it->word[0]) &&
		    strncmp(k->w, it->word, strlen(it->word)) == 0)
			run(x, s, i + 1, pos + 1, next);
		break;
	case I_PUNCT:
		if (k != NULL && k->punct && k->w[0] == it->word[0] &&
		    strcmp(k->w, it->word) == 0)
			run(x, s, i + 1, pos + 1, next);
		break;
	case I_GROUP: {
		struct cont c = { s, i + 1, next };

		run_alts(x, it->sub, pos, &c);
		break;
	}
	case I_GAP:
		run(x, s, i + 1, pos, next);
		for (int g = 1; g <= it->gap && pos + (size_t)g <= t->n;
		    g++) {
			size_t j = pos + (size_t)g - 1;

			if (t->v[j].punct || is_negation(x->r, t, j, NULL))
				break;
			run(x, s, i + 1, pos + (size_t)g, next);
		}
		break;
	case I_NOT: {
		struct mctx y = { t, x->r, 0, false, 0 };

		run_alts(&y, it->sub, pos, NULL);
		x->steps += y.steps;
		if (!y.any)
			run(x, s, i + 1, pos, next);
		break;
	}
	}
}

/* End of the longest match of a starting at token k, or k. */
static size_t
longest(const struct rules_text *r, const struct toks *t,
    const struct alts *a, size_t k)
{
	struct mctx x = { t, r, 0, false, 0 };

	run_alts(&x, a, k, NULL);
	return x.any && x.best > k ? x.best : k;
}

/*
 * A phrase is a denial when a negation stands before it in the same
 * clause, at most its reach of words back, with no scope-ending word
 * ("but", "and") between: "is not an international arrest warrant".
 */
static bool
negated(const struct rules_text *r, const struct toks *t, size_t k)
{
	int words = 0;

	while (k > 0) {
		const struct tok *p = &t->v[--k];
		int reach;

		if (p->punct)
			return false;
		words++;
		if (is_negation(r, t, k, &reach))
			return words <= reach;
		if (word_in(&r->scope_ends, p->w, NULL) || words >= MAX_REACH)
			return false;
	}
	return false;
}

/* A row of bits, one a pattern: a few words on the stack of a find. */
#define ROW_BITS	64

static void
row_set(uint64_t *row, size_t p)
{
	row[p / ROW_BITS] |= (uint64_t)1 << (p % ROW_BITS);
}

static bool
row_has(const uint64_t *row, size_t p)
{
	return (row[p / ROW_BITS] >> (p % ROW_BITS)) & 1;
}

static void
first_take(const struct first_key *f, uint64_t *can)
{
	for (size_t i = 0; i < f->npats; i++)
		row_set(can, f->pats[i]);
}

/* Set the bit of each pattern whose first items can take token k. */
static void
first_mark(const struct prefilter *pf, const struct tok *k, uint64_t *can)
{
	struct first_key key = { k->w, k->punct, NULL, 0 };
	const struct first_key *e;
	size_t lo, hi;

	if ((e = bsearch(&key, pf->exact, pf->nexact, sizeof(*pf->exact),
	    first_key_cmp)) != NULL)
		first_take(e, can);
	if (k->punct)
		return;
	/* The prefixes are sorted: those that begin with the word's first
	 * byte are a run of them (an empty one, if any, comes first). */
	lo = 0;
	hi = pf->nprefixes;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((unsigned char)pf->prefixes[mid].w[0] <
		    (unsigned char)k->w[0])
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t p = 0; p < pf->nprefixes && pf->prefixes[p].w[0] ==
	    '\0'; p++)
		first_take(&pf->prefixes[p], can);
	for (size_t p = lo; p < pf->nprefixes && pf->prefixes[p].w[0] ==
	    k->w[0]; p++) {
		const struct first_key *f = &pf->prefixes[p];

		if (strncmp(k->w, f->w, strlen(f->w)) == 0)
			first_take(f, can);
	}
	for (size_t i = 0; i < pf->nanyword; i++)
		row_set(can, pf->anyword[i]);
}

/*
 * prefilter false: every pattern at every token and every character
 * through ICU, as a reference for tests (rules_text_find_slow()).
 */
static bool
find(const struct rules_text *r, const char *text,
    struct rules_text_match *m, bool prefilter)
{
	struct toks t;
	size_t *allowed;	/* allowed[k]: an allowed phrase covers k */
	uint64_t *can = NULL;	/* row k: the patterns that may start at
				 * token k */
	size_t nw;		/* words a row */
	bool found = false;

	if (r == NULL || text == NULL)
		return false;
	tokenize(text, strlen(text), prefilter ? r->ascii : NULL, &t);
	nw = (r->first.npats + ROW_BITS - 1) / ROW_BITS;
	if (prefilter && t.n > 0) {
		can = xcalloc(t.n, nw * sizeof(*can));
		for (size_t k = 0; k < t.n; k++)
			first_mark(&r->first, &t.v[k], can + k * nw);
	}
	allowed = xcalloc(t.n + 1, sizeof(*allowed));
	for (size_t k = 0; k < t.n; k++)
		for (size_t a = 0; a < r->nallows; a++) {
			size_t e;

			if (can != NULL && !row_has(can + k * nw, a))
				continue;	/* it would take nothing */
			e = longest(r, &t, r->allows[a], k);

			for (size_t j = k; j < e; j++)
				allowed[j] = 1;
		}
	/* A denied phrase is denied whole: "wrong to call the Red Notice an
	 * international warrant" holds no other finding. */
	for (size_t k = 0, denied = 0; k < t.n && !found; k++) {
		size_t best = k, cat = 0;

		if (k < denied)
			continue;

		for (size_t c = 0; c < r->ncatches; c++) {
			size_t e;
			bool clear = true;

			if (can != NULL && !row_has(can + k * nw,
			    r->nallows + c))
				continue;
			e = longest(r, &t, r->catches[c].alts, k);

			for (size_t j = k; j < e && clear; j++)
				clear = !allowed[j];
			if (clear && e > best) {
				best = e;
				cat = r->catches[c].category;
			}
		}
		if (best == k)
			continue;
		if (negated(r, &t, k)) {
			denied = best;
			continue;
		}
		found = true;
		if (m != NULL) {
			m->start = t.v[k].start;
			m->end = t.v[best - 1].end;
			m->category = r->cats[cat].id;
			m->says = r->cats[cat].says;
		}
	}
	free(can);
	free(allowed);
	toks_free(&t);
	return found;
}

bool
rules_text_find(const struct rules_text *r, const char *text,
    struct rules_text_match *m)
{
	return find(r, text, m, true);
}

bool
rules_text_find_slow(const struct rules_text *r, const char *text,
    struct rules_text_match *m)
{
	return find(r, text, m, false);
}
