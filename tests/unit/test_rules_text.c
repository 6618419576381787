/*
 * test_rules_text.c - cmocka tests for the representation rule's
 * detector (rules_text.c): the pattern language, its error messages,
 * how text is read (case, accents, hyphens, line breaks), negations,
 * allowed wording, the leftmost-longest match and its exact quote; and
 * the real rules file, templates/representation.rules, over the corpus
 * in tests/representation/ (every sentence of must-fire.txt caught in
 * its category, none of must-not-fire.txt).  The differential tests
 * hold rules_text_find() to the plain search it replaced,
 * rules_text_find_slow(), over the samples' text, the rules file's own
 * lines, the corpus and 9000 generated sentences.
 *
 * Run from the top of the source tree (make unit does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnpack/buf.h"
#include "rnpack/rules.h"
#include "rnpack/rules_text.h"

#define RULES_FILE	"templates/representation.rules"
#define MUST_FIRE	"tests/representation/must-fire.txt"
#define MUST_NOT_FIRE	"tests/representation/must-not-fire.txt"
#define SAMPLES		"samples"

static struct rules_text *
compile(const char *text)
{
	char *err = NULL;
	struct rules_text *r = rules_text_compile(text, strlen(text), "t",
	    &err);

	if (r == NULL)
		fail_msg("does not compile: %s", err);
	return r;
}

static struct rules_text *
load_real(void)
{
	struct buf b = BUF_INIT;
	struct rules_text *r;
	char *err = NULL;

	if (!buf_read_file(&b, RULES_FILE, 1024 * 1024))
		fail_msg("cannot read %s (run from the source tree)",
		    RULES_FILE);
	r = rules_text_compile(b.ptr, b.len, RULES_FILE, &err);
	if (r == NULL)
		fail_msg("%s", err);
	buf_free(&b);
	return r;
}

/* The quote of the match in text, or "" (a static buffer). */
static const char *
quote(const struct rules_text *r, const char *text)
{
	static char q[512];
	struct rules_text_match m;

	q[0] = '\0';
	if (rules_text_find(r, text, &m))
		snprintf(q, sizeof(q), "%.*s", (int)(m.end - m.start),
		    text + m.start);
	return q;
}

/* ---- the language --------------------------------------------------- */

static const char *const tiny =
    "# a small rule set\n"
    "set notice = red notice | rn | notificacion roja\n"
    "set warrant = [arrest] warrant | orden de (arresto | captura)\n"
    "category w = calls it a warrant\n"
    "category p = says it authorizes\n"
    "catch w = <notice> (is | es | \"=\") [an | a | una] <warrant>\n"
    "catch w = international <warrant> | <warrant> internacional\n"
    "catch p = <notice> authoriz* ...2 arrest\n"
    "catch p = wanted by interpol !(member | countries)\n"
    "allow = notice to appear\n"
    "catch p = detained per the notice\n"
    "negation 2 = not | no\n"
    "negation = never\n"
    "scope-end = but\n";

static void
test_language(void **state)
{
	struct rules_text *r = compile(tiny);
	struct rules_text_match m;

	(void)state;
	assert_int_equal(rules_text_ncatches(r), 5);
	/* sequences, alternatives, optional words, sets, punctuation */
	assert_string_equal(quote(r, "The RED NOTICE is an arrest warrant."),
	    "RED NOTICE is an arrest warrant");
	assert_string_equal(quote(r, "RN=warrant"), "RN=warrant");
	assert_string_equal(quote(r, "RN = orden de captura"),
	    "RN = orden de captura");
	/* a word of a pattern is one word: "warrants" is another */
	assert_string_equal(quote(r, "RN is warrants"), "");
	/* prefix and gap of up to 2 words, not 3, not across punctuation */
	assert_string_equal(quote(r, "RN authorizes his arrest"),
	    "RN authorizes his arrest");
	assert_string_equal(quote(r, "RN authorized ICE to arrest"),
	    "RN authorized ICE to arrest");
	assert_string_equal(quote(r, "RN authorizes the officer to arrest"),
	    "");
	assert_string_equal(quote(r, "RN authorizes; arrest"), "");
	/* a negation inside a gap breaks it */
	assert_string_equal(quote(r, "RN authorizes no arrest"), "");
	/* "not followed by" */
	assert_string_equal(quote(r, "wanted by INTERPOL"), "wanted by INTERPOL");
	assert_string_equal(quote(r, "wanted by INTERPOL member countries"),
	    "");
	/* allowed wording overlapping a caught phrase lets it through */
	assert_string_equal(quote(r, "detained per the notice to appear"), "");
	assert_string_equal(quote(r, "detained per the notice."),
	    "detained per the notice");
	/* the category and its sentence */
	assert_true(rules_text_find(r, "x RN is a warrant", &m));
	assert_string_equal(m.category, "w");
	assert_string_equal(m.says, "calls it a warrant");
	assert_int_equal(m.start, 2);
	assert_int_equal(m.end, 17);
	assert_true(rules_text_find(r, "wanted by interpol", NULL));
	assert_false(rules_text_find(r, "", NULL));
	assert_false(rules_text_find(NULL, "RN is a warrant", NULL));
	rules_text_free(r);
	rules_text_free(NULL);
	/* a byte order mark and CRLF line ends are fine */
	r = compile("\xef\xbb\xbf# x\r\ncategory w = it\r\ncatch w = a b\r\n"
	    "   | c\r\n");
	assert_string_equal(quote(r, "x c y"), "c");
	assert_string_equal(quote(r, "x a b"), "a b");
	rules_text_free(r);
}

/* Case, accents, hyphens, spaces, line breaks, quotation marks. */
static void
test_reading(void **state)
{
	struct rules_text *r = compile(tiny);

	(void)state;
	assert_string_equal(quote(r, "an INTERNATIONAL-Arrest  Warrant"),
	    "INTERNATIONAL-Arrest  Warrant");
	assert_string_equal(quote(r, "an international\n   arrest\twarrant."),
	    "international\n   arrest\twarrant");
	assert_string_equal(quote(r, "\xe2\x80\x9cinternational\xe2\x80\x9d "
	    "warrant"), "international\xe2\x80\x9d warrant");
	/* accents folded, precomposed or not; the quote as written */
	assert_string_equal(quote(r, "la Notificaci\xc3\xb3n Roja es una "
	    "orden de captura"), "Notificaci\xc3\xb3n Roja es una orden de "
	    "captura");
	assert_string_equal(quote(r, "notificacio\xcc\x81n roja es orden de "
	    "arresto"), "notificacio\xcc\x81n roja es orden de arresto");
	assert_string_equal(quote(r, "ORDEN DE CAPTURA INTERNACIONAL"),
	    "ORDEN DE CAPTURA INTERNACIONAL");
	/* punctuation is a boundary: no phrase across a sentence */
	assert_string_equal(quote(r, "Red Notice. Arrest warrant JC5"), "");
	assert_string_equal(quote(r, "international. warrant"), "");
	/* a possessive 's is dropped; n't is not */
	assert_string_equal(quote(r, "the RN\xe2\x80\x99s an arrest warrant"),
	    "");
	assert_string_equal(quote(r, "RN isn't a warrant"), "");
	rules_text_free(r);
}

static void
test_negation(void **state)
{
	struct rules_text *r = compile(tiny);

	(void)state;
	/* "not" reaches 2 words, "never" the default 4 */
	assert_string_equal(quote(r, "not an international warrant"), "");
	assert_string_equal(quote(r, "not really an international warrant"),
	    "international warrant");
	assert_string_equal(quote(r, "never was it an international warrant"),
	    "");
	assert_string_equal(quote(r, "never was it, they say, an "
	    "international warrant"), "international warrant");
	/* not across punctuation, nor a scope-end word */
	assert_string_equal(quote(r, "Not a refugee; international warrant"),
	    "international warrant");
	assert_string_equal(quote(r, "not bad but international warrant"),
	    "international warrant");
	/* "No." before a number is a number */
	assert_string_equal(quote(r, "No. 44 international warrant"),
	    "international warrant");
	assert_string_equal(quote(r, "no international warrant"), "");
	/* a denied phrase is denied whole: nothing inside it is caught */
	assert_string_equal(quote(r, "no RN = orden de captura internacional"),
	    "");
	rules_text_free(r);
}

/* The leftmost match, then the longest; then the first written. */
static void
test_leftmost_longest(void **state)
{
	struct rules_text *r = compile(tiny);
	struct rules_text_match m;

	(void)state;
	assert_string_equal(quote(r, "wanted by interpol; RN is a warrant"),
	    "wanted by interpol");
	assert_string_equal(quote(r, "RN is an international warrant; x"),
	    "international warrant");	/* "RN is an international" is
					 * not a warrant pattern */
	assert_string_equal(quote(r, "RN = orden de captura internacional"),
	    "RN = orden de captura");
	assert_true(rules_text_find(r, "orden de captura internacional", &m));
	assert_string_equal(m.category, "w");
	rules_text_free(r);
}

/* Each mistake stops with file, line and reason. */
static void
test_errors(void **state)
{
	static const struct {
		const char	*text;
		const char	*want;	/* start of the message */
		const char	*reason;
	} cases[] = {
		{ "catch w = a\n", "t:1: ", "no such category" },
		{ "category w = x\n\ncatch w = <nope> a\n", "t:3: ",
		    "<nope> is not defined" },
		{ "category w = x\ncatch w = (a | b\n", "t:2: ", "missing" },
		{ "category w = x\ncatch w = a ]\n", "t:2: ", "out of place" },
		{ "category w = x\ncatch w = a | | b\n", "t:2: ",
		    "empty alternative" },
		{ "category w = x\ncatch w = [a] [b]\n", "t:2: ",
		    "no words at all" },
		{ "category w = x\ncatch w = red = warrant\n", "t:2: ",
		    "double quotes" },
		{ "category w = x\ncatch w = \"ab\"\n", "t:2: ",
		    "not one punctuation mark" },
		{ "category w = x\ncatch w = a*b\n", "t:2: ", "not one word" },
		{ "category w = x\ncatch w = a ...x\n", "t:2: ", "one digit" },
		{ "frobnicate = a\n", "t:1: ", "unknown keyword" },
		{ "category w x\n", "t:1: ", "'=' is missing" },
		{ "category w = x\ncategory w = y\n", "t:2: ", "twice" },
		{ "set s = a\nset s = b\n", "t:2: ", "twice" },
		{ "  a | b\n", "t:1: ", "none is open" },
		{ "category w = x\nnegation 0 = not\ncatch w = a\n", "t:2: ",
		    "reach" },
		{ "category w = x\nnegation = not not\ncatch w = a\n", "t:2: ",
		    "one word per alternative" },
		{ "# nothing\ncategory w = x\n\n", "t:2: ", "no catch" },
		/* a continuation line: the error names its own line */
		{ "category w = x\ncatch w = a\n  | (b\n  | c\n", "t:", "" },
		{ "category w = x\ncatch w = a\n    | <zz>\n", "t:3: ",
		    "<zz>" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *err = NULL;
		struct rules_text *r = rules_text_compile(cases[i].text,
		    strlen(cases[i].text), "t", &err);

		if (r != NULL)
			fail_msg("compiled: %s", cases[i].text);
		if (strncmp(err, cases[i].want, strlen(cases[i].want)) != 0 ||
		    strstr(err, cases[i].reason) == NULL)
			fail_msg("\"%s\": message \"%s\", expected \"%s...%s\"",
			    cases[i].text, err, cases[i].want,
			    cases[i].reason);
		free(err);
	}
}

/* ---- the real rules over the corpus ---------------------------------- */

/*
 * Each sentence of a corpus file: "SENTENCE  # CATEGORY".  fn gets the
 * sentence (a copy) and the category; returns the failures.
 */
static int
each_sentence(const char *path, int (*fn)(const struct rules_text *,
    const char *, const char *, const char *), const struct rules_text *r,
    size_t *count)
{
	struct buf b = BUF_INIT;
	char *line, *save = NULL;
	int failed = 0;

	if (!buf_read_file(&b, path, 1024 * 1024))
		fail_msg("cannot read %s (run from the source tree)", path);
	for (line = strtok_r(b.ptr, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char *mark, *tag;

		if (line[0] == '#' || line[strspn(line, " \t\r")] == '\0')
			continue;
		if ((mark = strstr(line, "  # ")) == NULL) {
			print_error("%s: no \"  # CATEGORY\": %s\n", path, line);
			failed++;
			continue;
		}
		while (strstr(mark + 1, "  # ") != NULL)
			mark = strstr(mark + 1, "  # ");
		*mark = '\0';
		tag = mark + 4;
		failed += fn(r, path, line, tag);
		(*count)++;
	}
	buf_free(&b);
	return failed;
}

static int
must_fire(const struct rules_text *r, const char *path, const char *s,
    const char *category)
{
	struct rules_text_match m;

	if (!rules_text_find(r, s, &m)) {
		print_error("%s: not caught: \"%s\"\n", path, s);
		return 1;
	}
	if (strcmp(m.category, category) != 0) {
		print_error("%s: \"%s\": caught as %s (\"%.*s\"), expected "
		    "%s\n", path, s, m.category, (int)(m.end - m.start),
		    s + m.start, category);
		return 1;
	}
	if (m.end <= m.start || m.end > strlen(s)) {
		print_error("%s: \"%s\": bad span %zu-%zu\n", path, s,
		    m.start, m.end);
		return 1;
	}
	return 0;
}

static int
must_not_fire(const struct rules_text *r, const char *path, const char *s,
    const char *kind)
{
	struct rules_text_match m;

	(void)kind;
	if (rules_text_find(r, s, &m)) {
		print_error("%s: caught (%s): \"%.*s\" in \"%s\"\n", path,
		    m.category, (int)(m.end - m.start), s + m.start, s);
		return 1;
	}
	return 0;
}

static void
test_corpus_must_fire(void **state)
{
	struct rules_text *r = load_real();
	size_t n = 0;
	int failed;

	(void)state;
	failed = each_sentence(MUST_FIRE, must_fire, r, &n);
	rules_text_free(r);
	assert_true(n >= 60);
	assert_int_equal(failed, 0);
}

static void
test_corpus_must_not_fire(void **state)
{
	struct rules_text *r = load_real();
	size_t n = 0;
	int failed;

	(void)state;
	failed = each_sentence(MUST_NOT_FIRE, must_not_fire, r, &n);
	rules_text_free(r);
	assert_true(n >= 60);
	assert_int_equal(failed, 0);
}

/*
 * The real rules: a phrase split over lines, accents and case, the
 * exact quote; the five categories each present.
 */
static void
test_real_rules(void **state)
{
	static const char *const cats[] = { "warrant", "interpol-warrant",
		"authority", "judgment", "fugitive" };
	static const char *const one[] = { "RN = warrant",
		"an INTERPOL warrant", "detained per the red notice",
		"Red Notice confirms probable cause", "wanted by INTERPOL" };
	struct rules_text *r = load_real();

	(void)state;
	for (size_t i = 0; i < 5; i++) {
		struct rules_text_match m;

		assert_true(rules_text_find(r, one[i], &m));
		assert_string_equal(m.category, cats[i]);
		assert_non_null(m.says);
		assert_true(strlen(m.says) > 10);
	}
	assert_string_equal(quote(r, "Subject has an\n  International-ARREST\n"
	    "warrant out of Caracas."), "International-ARREST\nwarrant");
	assert_string_equal(quote(r, "NOTIFICACI\xc3\x93N ROJA = ORDEN DE "
	    "CAPTURA"), "NOTIFICACI\xc3\x93N ROJA = ORDEN DE CAPTURA");
	/* leftmost, then longest */
	assert_string_equal(quote(r, "Wanted by INTERPOL; an international "
	    "arrest warrant."), "Wanted by INTERPOL");
	assert_string_equal(quote(r, "Subject arrested on an INTERPOL warrant "
	    "in 2023."), "arrested on an INTERPOL warrant");
	/* an official title is caught where it is free text; the rule's
	 * callers keep titles out of the scan */
	assert_string_equal(quote(r, "Orden de captura internacional No. 44"),
	    "Orden de captura internacional");
	rules_text_free(r);
}

/* ---- the same results as the plain search ---------------------------- */

struct diff {
	const struct rules_text	*r;
	size_t			 texts;
	size_t			 found;
	size_t			 failed;
};

/* rules_text_find() and rules_text_find_slow() agree on text. */
static void
same(struct diff *d, const char *text)
{
	struct rules_text_match a, b;
	bool fa, fb, fn;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	fa = rules_text_find(d->r, text, &a);
	fb = rules_text_find_slow(d->r, text, &b);
	fn = rules_text_find(d->r, text, NULL);
	d->texts++;
	if (fb)
		d->found++;
	if (fa == fb && fn == fb && a.start == b.start && a.end == b.end &&
	    a.category == b.category && a.says == b.says)
		return;
	if (d->failed++ < 10)
		print_error("differs on \"%s\": %d %zu-%zu %s, slow %d %zu-%zu "
		    "%s\n", text, fa, a.start, a.end, a.category ? a.category :
		    "-", fb, b.start, b.end, b.category ? b.category : "-");
}

/* Append the UTF-8 of code point c. */
static void
add_utf8(struct buf *b, unsigned long c)
{
	if (c < 0x80)
		buf_addf(b, "%c", (int)c);
	else if (c < 0x800)
		buf_addf(b, "%c%c", (int)(0xc0 | c >> 6),
		    (int)(0x80 | (c & 0x3f)));
	else if (c < 0x10000)
		buf_addf(b, "%c%c%c", (int)(0xe0 | c >> 12),
		    (int)(0x80 | (c >> 6 & 0x3f)), (int)(0x80 | (c & 0x3f)));
	else
		buf_addf(b, "%c%c%c%c", (int)(0xf0 | c >> 18),
		    (int)(0x80 | (c >> 12 & 0x3f)),
		    (int)(0x80 | (c >> 6 & 0x3f)), (int)(0x80 | (c & 0x3f)));
}

/* s[0..n) with XML's character references replaced. */
static char *
unescape(const char *s, size_t n)
{
	static const struct {
		const char	*name;
		unsigned long	 c;
	} named[] = { { "amp;", '&' }, { "lt;", '<' }, { "gt;", '>' },
		{ "quot;", '"' }, { "apos;", '\'' } };
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		bool done = false;

		if (s[i] == '&' && i + 2 < n && s[i + 1] == '#') {
			char *end;
			unsigned long c = s[i + 2] == 'x' ?
			    strtoul(s + i + 3, &end, 16) :
			    strtoul(s + i + 2, &end, 10);

			if (*end == ';' && end < s + n && c > 0 &&
			    c < 0x110000) {
				add_utf8(&b, c);
				i = (size_t)(end - s);
				done = true;
			}
		}
		for (size_t k = 0; s[i] == '&' && !done &&
		    k < sizeof(named) / sizeof(*named); k++)
			if (strncmp(s + i + 1, named[k].name,
			    strlen(named[k].name)) == 0) {
				add_utf8(&b, named[k].c);
				i += strlen(named[k].name);
				done = true;
			}
		if (!done)
			buf_addf(&b, "%c", s[i]);
	}
	return buf_detach(&b);
}

/*
 * Every text node and attribute value of an XML file: the statements
 * the rule scans are among them.
 */
static void
same_xml_texts(struct diff *d, const char *path)
{
	struct buf b = BUF_INIT;
	const char *p, *end;

	if (!buf_read_file(&b, path, 4 * 1024 * 1024))
		fail_msg("cannot read %s", path);
	end = b.ptr + b.len;
	for (p = b.ptr; p < end; p++) {
		const char *q = NULL, *e = NULL;

		if (*p == '>') {
			q = p + 1;
			e = memchr(q, '<', (size_t)(end - q));
		} else if (*p == '"' && p > b.ptr && p[-1] == '=') {
			q = p + 1;
			e = memchr(q, '"', (size_t)(end - q));
		}
		if (q == NULL || e == NULL || e == q)
			continue;
		if (q[strspn(q, " \t\r\n")] != '<' || *p != '>') {
			char *text = unescape(q, (size_t)(e - q));

			same(d, text);
			free(text);
		}
		p = e - 1;
	}
	buf_free(&b);
}

/* Each line of a file, and the file whole when it is short. */
static void
same_lines(struct diff *d, const char *path)
{
	struct buf b = BUF_INIT;
	char *line, *save = NULL;

	if (!buf_read_file(&b, path, 1024 * 1024))
		fail_msg("cannot read %s", path);
	if (b.len < 4096)
		same(d, b.ptr);
	for (line = strtok_r(b.ptr, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char *mark = strstr(line, "  # ");

		same(d, line);
		if (mark != NULL) {
			*mark = '\0';
			same(d, line);
		}
	}
	buf_free(&b);
}

/* A fixed sequence of numbers (xorshift64*): the same texts every run. */
static unsigned
rnd(uint64_t *s, unsigned n)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (unsigned)((*s * 2685821657736338717ULL) >> 33) % n;
}

struct vocab {
	char	**w;
	size_t	  n;
};

static void
vocab_add(struct vocab *v, const char *w, size_t n)
{
	for (size_t i = 0; i < v->n; i++)
		if (strlen(v->w[i]) == n && strncmp(v->w[i], w, n) == 0)
			return;
	v->w = realloc(v->w, (v->n + 1) * sizeof(*v->w));
	assert_non_null(v->w);
	v->w[v->n] = malloc(n + 1);
	assert_non_null(v->w[v->n]);
	memcpy(v->w[v->n], w, n);
	v->w[v->n++][n] = '\0';
}

static void
vocab_free(struct vocab *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->w[i]);
	free(v->w);
}

/*
 * The words of a rules text: letters and digits, each with its '*'
 * when a prefix, and the marks in double quotes.
 */
static void
vocab_of_rules(struct vocab *v, const char *text)
{
	const char *p = text;

	while (*p != '\0') {
		size_t n;

		if (*p == '#') {
			p += strcspn(p, "\n");
			continue;
		}
		if (*p == '"' && p[1] != '\0' && p[2] == '"') {
			vocab_add(v, p + 1, 1);
			p += 3;
			continue;
		}
		n = 0;
		while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= '0' &&
		    p[n] <= '9') || p[n] == '*')
			n++;
		if (n > 0 && p[0] != '*') {
			vocab_add(v, p, n);
			p += n;
		} else
			p++;
	}
}

/*
 * One word of v as text might write it: as is, capitalised or upper
 * case, accented (precomposed or with a combining mark), a prefix with
 * an ending, or with "'s" or "n't".
 */
static void
add_word(struct buf *b, const struct vocab *v, uint64_t *seed)
{
	static const char *const endings[] = { "", "s", "ed", "ing", "ion",
		"ado", "ida", "ment" };
	const char *w = v->w[rnd(seed, (unsigned)v->n)];
	size_t n = strlen(w);
	unsigned how = rnd(seed, 20);

	if (n > 0 && w[n - 1] == '*') {
		buf_addf(b, "%.*s%s", (int)(n - 1), w,
		    endings[rnd(seed, sizeof(endings) / sizeof(*endings))]);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char c = w[i];

		if ((how == 1 && i == 0) || how == 2)
			c = (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
		if (how == 3 && c == 'o' && i + 1 < n)
			buf_addf(b, "\xc3\xb3");	/* ó */
		else if (how == 4 && c == 'e')
			buf_addf(b, "e\xcc\x81");	/* e + U+0301 */
		else if (how == 5 && c == 'a')
			buf_addf(b, "\xc3\x81");	/* Á */
		else
			buf_addf(b, "%c", c);
	}
	if (how == 6)
		buf_addf(b, "'s");
	else if (how == 7)
		buf_addf(b, "\xe2\x80\x99s");
	else if (how == 8)
		buf_addf(b, "n't");
}

/* A sentence of up to max words of v, punctuation and joiners. */
static char *
sentence(const struct vocab *v, uint64_t *seed, unsigned max)
{
	static const char *const marks[] = { ".", ",", ";", ":", "(", ")",
		"=", "/", "!", "?", "\"", "'", "-", "\xe2\x80\x94",
		"\xe2\x80\x9c", "\xe2\x80\x9d", "\xc2\xbf", "\xe2\x80\xa6",
		"&", "[", "]", "#", "*", "_", "+", "\x01", "\xff" };
	static const char *const fillers[] = { "the", "No.", "44", "2023",
		"Subject", "officer", "Caracas", "and", "but", "not", "no",
		"never", "isn't", "can't", "won't", "INTERPOL's", "z" };
	static const char *const joins[] = { " ", " ", " ", " ", " ", "  ",
		"-", "\n", "\t", "", "\xc2\xa0" };
	struct buf b = BUF_INIT;
	unsigned n = 1 + rnd(seed, max);

	for (unsigned i = 0; i < n; i++) {
		unsigned what = rnd(seed, 20);

		if (i > 0)
			buf_addf(&b, "%s", joins[rnd(seed,
			    sizeof(joins) / sizeof(*joins))]);
		if (what < 15)
			add_word(&b, v, seed);
		else if (what < 18)
			buf_addf(&b, "%s", marks[rnd(seed,
			    sizeof(marks) / sizeof(*marks))]);
		else
			buf_addf(&b, "%s", fillers[rnd(seed,
			    sizeof(fillers) / sizeof(*fillers))]);
	}
	return buf_detach(&b);
}

/*
 * A sentence spliced from pieces of the corpus lines: a few words of
 * one, a negation or not, a few of another.
 */
static char *
spliced(char **lines, size_t nlines, uint64_t *seed)
{
	static const char *const glue[] = { " ", " not ", " no ", ", ",
		" but ", " is ", " = ", " (", " never ", " rather than ",
		"; ", " y ", " sin " };
	struct buf b = BUF_INIT;
	unsigned parts = 1 + rnd(seed, 3);

	for (unsigned i = 0; i < parts; i++) {
		const char *l = lines[rnd(seed, (unsigned)nlines)];
		size_t len = strlen(l), from = rnd(seed, (unsigned)len + 1),
		    n = rnd(seed, 60);

		if (rnd(seed, 2) == 0) {
			from = 0;	/* a whole line */
			n = len;
		}

		if (i > 0)
			buf_addf(&b, "%s", glue[rnd(seed,
			    sizeof(glue) / sizeof(*glue))]);
		while (from > 0 && l[from - 1] != ' ')
			from--;		/* whole words, mostly */
		if (n > len - from)
			n = len - from;
		while (n > 0 && (l[from + n - 1] & 0xc0) == 0x80)
			n--;		/* never half a character */
		if (n > 0 && (l[from + n - 1] & 0x80))
			n--;
		buf_addf(&b, "%.*s", (int)n, l + from);
	}
	return buf_detach(&b);
}

/* The sentences of the corpus files, without their "  # CATEGORY". */
static char **
corpus_lines(size_t *n)
{
	static const char *const files[] = { MUST_FIRE, MUST_NOT_FIRE };
	char **v = NULL;

	*n = 0;
	for (size_t f = 0; f < 2; f++) {
		struct buf b = BUF_INIT;
		char *line, *save = NULL;

		if (!buf_read_file(&b, files[f], 1024 * 1024))
			fail_msg("cannot read %s", files[f]);
		for (line = strtok_r(b.ptr, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save)) {
			char *mark = strstr(line, "  # ");

			if (line[0] == '#')
				continue;
			if (mark != NULL)
				*mark = '\0';
			v = realloc(v, (*n + 1) * sizeof(*v));
			assert_non_null(v);
			v[(*n)++] = strdup(line);
		}
		buf_free(&b);
	}
	return v;
}

/*
 * Sentences the rules' own patterns describe: a generator that reads a
 * rules file's statements (sets, catches, allows) and writes a random
 * phrase of a pattern, an alternative of each group, an optional part
 * or not, a few words for a gap, and now and then what a "!" forbids.
 */
struct grammar {
	char	**name;		/* sets */
	char	**set;
	size_t	  nsets;
	char	**pat;		/* catches and allows */
	size_t	  npats;
	uint64_t *seed;
};

static void
grammar_add(char ***v, size_t *n, const char *s)
{
	*v = realloc(*v, (*n + 1) * sizeof(**v));
	assert_non_null(*v);
	(*v)[(*n)++] = strdup(s);
}

static void
grammar_statement(struct grammar *g, const char *st)
{
	const char *eq = strchr(st, '=');
	char name[64];

	if (eq == NULL)
		return;
	if (sscanf(st, "set %63s", name) == 1) {
		grammar_add(&g->name, &g->nsets, name);
		g->nsets--;
		grammar_add(&g->set, &g->nsets, eq + 1);
	} else if (strncmp(st, "catch", 5) == 0 ||
	    strncmp(st, "allow", 5) == 0)
		grammar_add(&g->pat, &g->npats, eq + 1);
}

static void
grammar_read(struct grammar *g, const char *text)
{
	struct buf st = BUF_INIT;
	const char *p = text;

	while (*p != '\0') {
		size_t n = strcspn(p, "\n");

		if (p[0] != '#' && n > 0 && (p[0] == ' ' || p[0] == '\t'))
			buf_addf(&st, " %.*s", (int)n, p);
		else if (p[0] != '#' && n > 0) {
			grammar_statement(g, st.ptr);
			buf_free(&st);
			buf_addf(&st, "%.*s", (int)n, p);
		}
		p += n + (p[n] == '\n');
	}
	grammar_statement(g, st.ptr);
	buf_free(&st);
}

static void
grammar_free(struct grammar *g)
{
	for (size_t i = 0; i < g->nsets; i++) {
		free(g->name[i]);
		free(g->set[i]);
	}
	for (size_t i = 0; i < g->npats; i++)
		free(g->pat[i]);
	free(g->name);
	free(g->set);
	free(g->pat);
}

static void gen_alts(struct grammar *, const char **, char, struct buf *);

static void
gen_word(struct buf *out, const char *w, size_t n)
{
	buf_addf(out, "%s%.*s", out->len > 0 ? " " : "", (int)n, w);
}

/* One item of the pattern at *p. */
static void
gen_item(struct grammar *g, const char **p, struct buf *out)
{
	static const char *const filler[] = { "the", "subject", "2023",
		"officer", "very", "said", "not", "but", "no" };
	const char *q = *p;

	if (*q == '!') {
		struct buf not = BUF_INIT;

		*p = q + 1 + strspn(q + 1, " \t");
		gen_item(g, p, &not);
		if (rnd(g->seed, 4) == 0 && not.len > 0)
			gen_word(out, not.ptr, not.len);
		buf_free(&not);
	} else if (*q == '(' || *q == '[') {
		struct buf sub = BUF_INIT;

		*p = q + 1;
		gen_alts(g, p, *q == '(' ? ')' : ']', &sub);
		if (**p != '\0')
			(*p)++;
		if ((*q == '(' || rnd(g->seed, 2) == 0) && sub.len > 0)
			gen_word(out, sub.ptr, sub.len);
		buf_free(&sub);
	} else if (*q == '<') {
		size_t n = strcspn(q + 1, ">");

		*p = q + 1 + n + (q[1 + n] == '>');
		for (size_t i = 0; i < g->nsets; i++)
			if (strlen(g->name[i]) == n &&
			    strncmp(g->name[i], q + 1, n) == 0) {
				const char *body = g->set[i];

				gen_alts(g, &body, '\0', out);
			}
	} else if (*q == '"') {
		size_t n = strcspn(q + 1, "\"");

		gen_word(out, q + 1, n);
		*p = q + 1 + n + (q[1 + n] == '"');
	} else if (strncmp(q, "...", 3) == 0) {
		unsigned max = q[3] >= '1' && q[3] <= '9' ? (unsigned)(q[3] -
		    '0') : 3, n = rnd(g->seed, max + 2);

		*p = q + 3 + (q[3] >= '1' && q[3] <= '9');
		for (unsigned i = 0; i < n; i++) {
			const char *f = filler[rnd(g->seed,
			    sizeof(filler) / sizeof(*filler))];

			gen_word(out, f, strlen(f));
		}
	} else {
		size_t n = strcspn(q, " \t()[]|<>!\"");

		if (n == 0) {	/* not the language: step over it */
			*p = q + 1;
			return;
		}
		*p = q + n;
		if (q[n - 1] == '*') {
			static const char *const end[] = { "", "s", "ed",
				"ing", "ado", "ion" };

			gen_word(out, q, n - 1);
			buf_addf(out, "%s", end[rnd(g->seed,
			    sizeof(end) / sizeof(*end))]);
		} else
			gen_word(out, q, n);
	}
}

/* The alternatives up to close: one of them, chosen evenly. */
static void
gen_alts(struct grammar *g, const char **p, char close, struct buf *out)
{
	struct buf pick = BUF_INIT;
	unsigned seen = 0;

	for (;;) {
		struct buf alt = BUF_INIT;

		for (;;) {
			*p += strspn(*p, " \t");
			if (**p == '|' || **p == close || **p == '\0')
				break;
			gen_item(g, p, &alt);
		}
		if (rnd(g->seed, ++seen) == 0) {
			buf_free(&pick);
			pick = alt;
		} else
			buf_free(&alt);
		if (**p != '|')
			break;
		(*p)++;
	}
	if (pick.len > 0)
		gen_word(out, pick.ptr, pick.len);
	buf_free(&pick);
}

/* A sentence of one or two phrases, with words around them. */
static char *
gen_sentence(struct grammar *g)
{
	static const char *const around[] = { "", "", "the", "not", "no",
		"never", "it is wrong that", "but", ";", ".", "Subject",
		"not only", "documents requested by", "y", "sin" };
	struct buf b = BUF_INIT;
	unsigned n = 1 + rnd(g->seed, 2);

	for (unsigned i = 0; i < n; i++) {
		const char *a = around[rnd(g->seed,
		    sizeof(around) / sizeof(*around))];
		const char *pat = g->pat[rnd(g->seed, (unsigned)g->npats)];

		if (*a != '\0')
			gen_word(&b, a, strlen(a));
		gen_alts(g, &pat, '\0', &b);
	}
	return buf_detach(&b);
}

/* The real rules: the samples, their own file, the corpus, by hand. */
static void
test_same_as_slow_real(void **state)
{
	static const char *const by_hand[] = {
		"The Red Notice is not an international arrest warrant.",
		"It is wrong to call the Red Notice an international warrant",
		"Red Notice, i.e., an arrest warrant",
		"RN=warrant; RN (arrest warrant); RN: a warrant",
		"No. 44 international warrant; no international warrant",
		"La notificaci\xc3\xb3n roja NO es una orden de captura "
		    "internacional, pero la difusi\xc3\xb3n s\xc3\xad.",
		"notificacio\xcc\x81n roja = orden de arresto",
		"INTERPOL's warrant; INTERPOL\xe2\x80\x99s warrant; isn't a "
		    "warrant; can't be arrested; won't be detained",
		"documents requested by INTERPOL Washington; notice to the "
		    "subject; subject notice of the warrant",
		"Arrested per the Red Notice \xe2\x80\x94 detained pursuant "
		    "to the diffusion",
		"\xe2\x80\x9cinternational\xe2\x80\x9d warrant",
		"U.S. authorities; u . s . officers detained him per the RN",
		"\xff\xfe invalid bytes international \xc3 warrant \x80",
		"", " ", ".", "warrant", "notice", "international",
	};
	struct buf all = BUF_INIT;
	struct rules_text *r = load_real();
	struct diff d = { r, 0, 0, 0 };
	size_t samples = 0, found;
	DIR *dir;
	struct dirent *e;
	char line[200], path[sizeof(SAMPLES) + 1 + sizeof(e->d_name)];

	(void)state;
	for (size_t i = 0; i < sizeof(by_hand) / sizeof(*by_hand); i++)
		same(&d, by_hand[i]);
	/* every ASCII character, as a word's neighbour */
	for (int c = 1; c < 128; c++) {
		snprintf(line, sizeof(line), "RN%cwarrant international%c"
		    "arrest warrant %c", c, c, c);
		same(&d, line);
	}
	if ((dir = opendir(SAMPLES)) == NULL)
		fail_msg("cannot open %s (run from the source tree)", SAMPLES);
	while ((e = readdir(dir)) != NULL) {
		size_t n = strlen(e->d_name);

		if (n > 4 && strcmp(e->d_name + n - 4, ".xml") == 0) {
			snprintf(path, sizeof(path), "%s/%s", SAMPLES,
			    e->d_name);
			same_xml_texts(&d, path);
			samples++;
		}
	}
	closedir(dir);
	found = d.found;
	same_lines(&d, RULES_FILE);
	same_lines(&d, MUST_FIRE);
	same_lines(&d, MUST_NOT_FIRE);
	if (!buf_read_file(&all, RULES_FILE, 1024 * 1024))
		fail_msg("cannot read %s", RULES_FILE);
	buf_free(&all);
	print_message("%zu texts (%zu samples), %zu caught, %zu differ\n",
	    d.texts, samples, d.found, d.failed);
	rules_text_free(r);
	assert_true(samples >= 100);
	assert_true(found > 0);		/* some samples hold a phrase */
	assert_true(d.found >= 250);
	assert_int_equal(d.failed, 0);
}

/* The real rules over sentences made of their own words. */
static void
test_same_as_slow_generated(void **state)
{
	struct buf text = BUF_INIT;
	struct rules_text *r = load_real();
	struct diff d = { r, 0, 0, 0 };
	struct vocab v = { NULL, 0 };
	struct grammar g;
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	size_t nlines;
	char **lines = corpus_lines(&nlines);

	(void)state;
	memset(&g, 0, sizeof(g));
	if (!buf_read_file(&text, RULES_FILE, 1024 * 1024))
		fail_msg("cannot read %s", RULES_FILE);
	vocab_of_rules(&v, text.ptr);
	buf_free(&text);
	assert_true(v.n >= 300);
	for (int i = 0; i < 2000; i++) {
		char *s = sentence(&v, &seed, 16);

		same(&d, s);
		free(s);
	}
	for (int i = 0; i < 1000; i++) {
		char *s = spliced(lines, nlines, &seed);

		same(&d, s);
		free(s);
	}
	g.seed = &seed;
	if (!buf_read_file(&text, RULES_FILE, 1024 * 1024))
		fail_msg("cannot read %s", RULES_FILE);
	grammar_read(&g, text.ptr);
	buf_free(&text);
	assert_true(g.nsets >= 10 && g.npats >= 50);
	for (int i = 0; i < 2000; i++) {
		char *s = gen_sentence(&g);

		same(&d, s);
		free(s);
	}
	grammar_free(&g);
	print_message("%zu generated texts, %zu caught, %zu differ\n",
	    d.texts, d.found, d.failed);
	for (size_t i = 0; i < nlines; i++)
		free(lines[i]);
	free(lines);
	vocab_free(&v);
	rules_text_free(r);
	assert_true(d.found >= 1000);
	assert_int_equal(d.failed, 0);
}

/*
 * Patterns that begin in every way the language allows: optional
 * words, gaps (which may take no word), "!" (which takes none), groups
 * that may take nothing, nested, sets, prefixes and marks; over dense
 * sentences of their own words.
 */
static const char *const beginnings =
    "category a = A\n"
    "category b = B\n"
    "set kl = k | l [m]\n"
    "set opt = [x] y | ...1 z\n"
    "catch a = ...2 foo\n"
    "catch a = !bar baz\n"
    "catch a = [x] [y] z\n"
    "catch a = ([p] | [q]) r\n"
    "catch b = (!s | t) u\n"
    "catch b = [[m] n] o\n"
    "catch b = pre* ...1 \",\" end\n"
    "catch b = \"(\" w \")\"\n"
    "catch a = <kl> tail\n"
    "catch a = !(v w) v\n"
    "catch b = [<kl>] ...3 q\n"
    "catch b = [...1] [!x] (<opt> | [foo] bar) baz\n"
    "catch a = [\"(\"] [k*] ...1 end\n"
    "catch b = !foo* ...2 w\n"
    "allow = ...1 allowed\n"
    "allow = [x] y z\n"
    "allow = [!q] pre* w\n"
    "negation 2 = no | not\n"
    "negation = never\n"
    "scope-end = but\n";

static void
test_same_as_slow_beginnings(void **state)
{
	static const char *const words =
	    "foo bar baz x y z p q r s t u m n o pre prefix prex end w k "
	    "l m tail v allowed q foos kx \"(\" \")\" \",\" \".\" \";\"";
	struct rules_text *r = compile(beginnings);
	struct diff d = { r, 0, 0, 0 };
	struct vocab v = { NULL, 0 };
	uint64_t seed = 42;
	size_t per_catch[2] = { 0, 0 };

	(void)state;
	vocab_of_rules(&v, words);
	vocab_add(&v, "no", 2);
	vocab_add(&v, "never", 5);
	vocab_add(&v, "but", 3);
	assert_true(v.n >= 30);
	for (int i = 0; i < 4000; i++) {
		char *s = sentence(&v, &seed, 9);
		struct rules_text_match m;

		same(&d, s);
		if (rules_text_find(r, s, &m))
			per_catch[m.category[0] == 'b']++;
		free(s);
	}
	print_message("%zu texts, %zu caught (%zu a, %zu b), %zu differ\n",
	    d.texts, d.found, per_catch[0], per_catch[1], d.failed);
	vocab_free(&v);
	rules_text_free(r);
	assert_true(per_catch[0] >= 200 && per_catch[1] >= 200);
	assert_int_equal(d.failed, 0);
}

/*
 * Where a search runs into its bound of steps, it still finds the same:
 * the prefilter skips only searches that could take no word.
 */
static void
test_same_as_slow_step_limit(void **state)
{
	struct rules_text *r = compile("category a = A\n"
	    "catch a = w ...9 ...9 ...9 ...9 ...9 ...9 ...9 end\n");
	struct diff d = { r, 0, 0, 0 };
	struct rules_text_match m;
	struct buf b = BUF_INIT;

	(void)state;
	for (int i = 0; i < 50; i++)
		buf_addf(&b, "w ");
	buf_addf(&b, "x end");
	same(&d, b.ptr);
	/* the whole text matches, but the searches from the first words
	 * give up before they find it */
	assert_true(rules_text_find(r, b.ptr, &m));
	assert_true(m.start > 0);
	same(&d, "x w w w w w w w end");
	buf_free(&b);
	rules_text_free(r);
	assert_int_equal(d.found, 2);
	assert_int_equal(d.failed, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_language),
		cmocka_unit_test(test_reading),
		cmocka_unit_test(test_negation),
		cmocka_unit_test(test_leftmost_longest),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_corpus_must_fire),
		cmocka_unit_test(test_corpus_must_not_fire),
		cmocka_unit_test(test_real_rules),
		cmocka_unit_test(test_same_as_slow_real),
		cmocka_unit_test(test_same_as_slow_generated),
		cmocka_unit_test(test_same_as_slow_beginnings),
		cmocka_unit_test(test_same_as_slow_step_limit),
	};

	return cmocka_run_group_tests_name("rules_text", tests, NULL, NULL);
}
