/*
 * test_rules_text.c - cmocka tests for the representation rule's
 * detector (rules_text.c): the pattern language, its error messages,
 * how text is read (case, accents, hyphens, line breaks), negations,
 * allowed wording, the leftmost-longest match and its exact quote; and
 * the real rules file, templates/representation.rules, over the corpus
 * in tests/representation/ (every sentence of must-fire.txt caught in
 * its category, none of must-not-fire.txt).
 *
 * Run from the top of the source tree (make unit does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnpack/buf.h"
#include "rnpack/rules.h"

#define RULES_FILE	"templates/representation.rules"
#define MUST_FIRE	"tests/representation/must-fire.txt"
#define MUST_NOT_FIRE	"tests/representation/must-not-fire.txt"

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
	};

	return cmocka_run_group_tests_name("rules_text", tests, NULL, NULL);
}
