/*
 * test_tmpl.c - the template language: what compiles, what is refused
 * (with its line), and what evaluation produces from data.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "rnpack/date.h"
#include "rnpack/ddoc.h"
#include "rnpack/docmodel.h"
#include "rnpack/fmt.h"
#include "rnpack/tmpl.h"
#include "rnpack/tval.h"

static struct tval *
data(void)
{
	struct tval *root = tval_new_map(), *s, *l, *n;

	tval_set_date(root, "asOf", date_from_ymd(2024, 3, 14));
	s = tval_set_map(root, "subject");
	tval_set_str(s, "familyName", "Ramírez Núñez");
	tval_set_str(s, "givenName", "José Luis");
	tval_set_str(s, "aNumber", NULL);
	n = tval_set_map(root, "notice");
	tval_set_str(n, "issuingCountry", "VE");
	tval_set_str(n, "controlNumber", "*A-1* {x}");
	l = tval_set_list(n, "offenses");
	tval_set_str(tval_list_add_map(l), "description", "Fraud");
	tval_set_str(tval_list_add_map(l), "description", "Forgery");
	return root;
}

/* Compile text; fail the test with the message if it does not. */
static struct tmpl *
compile(const char *text)
{
	char *err = NULL;
	struct tmpl *t = tmpl_parse("t.tmpl", text, strlen(text),
	    docmodel_known, &err);

	if (t == NULL)
		fail_msg("did not compile: %s", err);
	return t;
}

static void
expect_error(const char *text, const char *where_what)
{
	char *err = NULL;
	struct tmpl *t = tmpl_parse("t.tmpl", text, strlen(text),
	    docmodel_known, &err);

	if (t != NULL) {
		tmpl_free(t);
		fail_msg("compiled but should fail with %s", where_what);
	}
	if (strstr(err, where_what) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err, where_what);
	free(err);
}

/* Evaluate and return the text of block i. */
static char *
block_text(const char *text, size_t i, struct ddoc **keep)
{
	struct tmpl *t = compile(text);
	struct tval *d = data();
	struct ddoc *doc = tmpl_eval(t, d);
	char *s;

	assert_true(i < doc->nblocks);
	s = dinline_text(&doc->blocks[i].text);
	tmpl_free(t);
	tval_free(d);
	if (keep)
		*keep = doc;
	else
		ddoc_free(doc);
	return s;
}

static void
test_errors_name_the_line(void **state)
{
	(void)state;
	expect_error("Hello\n", "t.tmpl:1: the template has no @document");
	expect_error("@document X\n\n{subject.famlyName}\n",
	    "t.tmpl:3: unknown field \"subject.famlyName\"");
	expect_error("@document X\n{subject|nmae}\n",
	    "t.tmpl:2: unknown formatter \"nmae\"");
	expect_error("@document X\n@if subject\nx\n", "t.tmpl:2: this block "
	    "is never closed");
	expect_error("@document X\n@end\n", "t.tmpl:2: @end without");
	expect_error("@document X\n@table 50 40\n", "t.tmpl:2: @table column "
	    "widths");
	expect_error("@document X\n@table 50 50\n| a |\n@end\n",
	    "t.tmpl:3: row has 1 cells, the table has 2");
	expect_error("@document X\n*bold\n", "t.tmpl:2: unclosed *bold*");
	expect_error("@document X\n@bogus\n", "t.tmpl:2: unknown directive");
	expect_error("@document X\n{page}\n", "only allowed in @header");
	expect_error("@document X\n{@index}\n", "only allowed inside @each");
	expect_error("@document X\n@each o in notice.offenses\n{o.nope}\n@end\n",
	    "t.tmpl:3: unknown field \"o.nope\"");
	expect_error("@document X\n@else\n", "@else without @if");
	expect_error("@document X\n@box 8 1 3 1\n@end\n", "US Letter");
	expect_error("@document X\n{subject.aNumber|default:none}\n", "quoted");
	/* Title, headers and footers belong to the whole document: inside
	 * @each they are still outside every loop (a fuzzer found that
	 * they compiled, then read a scope that did not exist). */
	expect_error("@document T\n@each o in notice.offenses\n"
	    "@header left X{@index}\n@end\n",
	    "t.tmpl:3: {@index} is only allowed inside @each");
	expect_error("@document T\n@each o in notice.offenses\n"
	    "@footer right {o.description}\n@end\n",
	    "t.tmpl:3: unknown field \"o.description\"");
	expect_error("@each o in notice.offenses\n@document {@index}\n@end\n",
	    "t.tmpl:2: {@index} is only allowed inside @each");
}

static void
test_placeholders_and_formatters(void **state)
{
	char *s;

	(void)state;
	s = block_text("@document X\nBorn {subject|name} in "
	    "{notice.issuingCountry|country}; as of {asOf|date} ({asOf|iso}).\n",
	    0, NULL);
	assert_string_equal(s, "Born RAMÍREZ NÚÑEZ, José Luis in Venezuela; "
	    "as of March 14, 2024 (2024-03-14).");
	free(s);
	s = block_text("@document X\n@language es\n{asOf|date}\n", 0, NULL);
	assert_string_equal(s, "14 de marzo de 2024");
	free(s);
	/* Absent data prints empty, or the default. */
	s = block_text("@document X\nA[{subject.aNumber}] "
	    "B[{subject.aNumber|default:\"none\"}]\n", 0, NULL);
	assert_string_equal(s, "A[] B[none]");
	free(s);
	/* Each value starts empty, whatever the one before it printed. */
	s = block_text("@document X\n{notice.controlNumber}{subject.aNumber}|"
	    "{subject.aNumber|default:\"none\"}{asOf|iso}\n", 0, NULL);
	assert_string_equal(s, "*A-1* {x}|none2024-03-14");
	free(s);
	/* A value is text, never markup. */
	s = block_text("@document X\n{notice.controlNumber}\n", 0, NULL);
	assert_string_equal(s, "*A-1* {x}");
	free(s);
	s = block_text("@document X\n\\*not bold\\* \\{x\\}\n", 0, NULL);
	assert_string_equal(s, "*not bold* {x}");
	free(s);
}

static void
test_styles(void **state)
{
	struct ddoc *doc;
	char *s = block_text("@document X\nplain *bold _both_* _it_\n", 0, &doc);
	const struct dinline *in = &doc->blocks[0].text;

	(void)state;
	assert_string_equal(s, "plain bold both it");
	assert_int_equal(in->n, 5);
	assert_int_equal(in->v[0].style, 0);
	assert_int_equal(in->v[1].style, DRUN_BOLD);
	assert_int_equal(in->v[2].style, DRUN_BOLD | DRUN_ITALIC);
	assert_int_equal(in->v[4].style, DRUN_ITALIC);
	free(s);
	ddoc_free(doc);
}

static void
test_loops_conditions_lists(void **state)
{
	struct tmpl *t = compile("@document X\n"
	    "@each o in notice.offenses\n"
	    "1. {@index}: {o.description}\n"
	    "@end\n"
	    "@if subject.aNumber\nhas A-number\n"
	    "@elif notice.issuingCountry == \"VE\"\nfrom Venezuela\n"
	    "@else\nother\n@end\n"
	    "@checkbox notice.issuingCountry != \"VE\" | not VE\n"
	    "@checkbox subject | has subject\n"
	    "@table 40 60\n!| # | Offense |\n"
	    "@each o in notice.offenses\n| {@index} | "
	    "{o.description|upper|default:\"-\"} |\n@end\n"
	    "@end\n");
	struct tval *d = data();
	struct ddoc *doc = tmpl_eval(t, d);
	char *s;

	(void)state;
	assert_int_equal(doc->nblocks, 6);
	assert_string_equal(doc->blocks[0].marker, "1.");
	assert_string_equal(doc->blocks[1].marker, "2.");
	s = dinline_text(&doc->blocks[1].text);
	assert_string_equal(s, "2: Forgery");
	free(s);
	s = dinline_text(&doc->blocks[2].text);
	assert_string_equal(s, "from Venezuela");
	free(s);
	assert_false(doc->blocks[3].checked);
	assert_true(doc->blocks[4].checked);
	assert_int_equal(doc->blocks[5].kind, DB_TABLE);
	assert_int_equal(doc->blocks[5].table.nrows, 3);
	assert_true(doc->blocks[5].table.rows[0].header);
	s = dinline_text(&doc->blocks[5].table.rows[2].cells[1]);
	assert_string_equal(s, "FORGERY");
	free(s);
	ddoc_free(doc);
	tval_free(d);
	tmpl_free(t);
}

static void
test_page_setup(void **state)
{
	struct tmpl *t = compile("@document Summary {subject.givenName}\n"
	    "@margins 10 20 30 40\n@size 9\n"
	    "@footer right Page {page} of {pages}\n"
	    "@box 1 2.125 3.5 1\nline one\n@end\n");
	struct tval *d = data();
	struct ddoc *doc = tmpl_eval(t, d);

	(void)state;
	assert_string_equal(doc->title, "Summary José Luis");
	assert_true(doc->margin[3] == 40.0);
	assert_true(doc->size_pt == 9.0);
	assert_int_equal(doc->footer[2].n, 4);
	assert_int_equal(doc->footer[2].v[1].kind, DRUN_PAGE);
	assert_int_equal(doc->footer[2].v[3].kind, DRUN_PAGES);
	assert_int_equal(doc->blocks[0].kind, DB_BOX);
	assert_true(doc->blocks[0].box[1] == 2.125 * 72);
	assert_int_equal(doc->blocks[0].nkids, 1);
	ddoc_free(doc);
	tval_free(d);
	tmpl_free(t);
}

static void
test_formatters(void **state)
{
	struct buf b = BUF_INIT;
	char *s;

	(void)state;
	fmt_date_long(&b, date_from_ymd(2024, 4, 15), "en");
	assert_string_equal(b.ptr, "April 15, 2024");
	buf_reset(&b);
	fmt_date_long(&b, date_from_ymd(2024, 4, 15), "es-MX");
	assert_string_equal(b.ptr, "15 de abril de 2024");
	buf_reset(&b);
	fmt_date_long(&b, date_from_ymd(2024, 1, 1), "fr");
	assert_string_equal(b.ptr, "January 1, 2024");
	buf_free(&b);
	s = fmt_name("Straße", "Ana");
	assert_string_equal(s, "STRASSE, Ana");
	free(s);
	s = fmt_name("Nguyễn", "Thị Ánh");
	assert_string_equal(s, "NGUYỄN, Thị Ánh");
	free(s);
	s = fmt_name("Παπαδόπουλος", "Γιώργος");
	/* ICU root upper case keeps the tonos: no information is lost. */
	assert_string_equal(s, "ΠΑΠΑΔΌΠΟΥΛΟΣ, Γιώργος");
	free(s);
	assert_string_equal(fmt_country("CI"), "Côte d'Ivoire");
	assert_string_equal(fmt_country("XK"), "Kosovo");
	assert_string_equal(fmt_country("QQ"), "QQ");
	assert_string_equal(fmt_yesno(1, "es"), "Sí");
	s = fmt_language("es", "en");
	assert_string_equal(s, "Spanish");
	free(s);
	s = fmt_language("es", "es");
	assert_string_equal(s, "español");
	free(s);
	s = fmt_language("pt-BR", "en");
	assert_string_equal(s, "Portuguese (Brazil)");
	free(s);
}

/* Spanish country names come from CLDR through ICU, English ones from
 * the iso-codes table, unknown codes stay as they are. */
static void
test_country_in_a_language(void **state)
{
	static const char *const want[][3] = {
		{ "VE", "es", "Venezuela" }, { "DE", "es", "Alemania" },
		{ "US", "es", "Estados Unidos" }, { "CN", "es", "China" },
		{ "MX", "es", "México" }, { "DE", "en", "Germany" },
		{ "QQ", "es", "QQ" }, { "", "es", "" },
	};
	struct tmpl *t = compile("@document X\n@language es\n"
	    "{notice.issuingCountry|country}\n");
	struct tval *d = data();
	struct ddoc *doc = tmpl_eval(t, d);
	char *s;

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		s = fmt_country_in(want[i][0], want[i][1]);
		assert_string_equal(s, want[i][2]);
		free(s);
	}
	s = fmt_country_in("XK", "es");
	assert_true(s[0] != '\0' && strcmp(s, "XK") != 0);
	free(s);
	/* the template's @language chooses */
	s = dinline_text(&doc->blocks[0].text);
	assert_string_equal(s, "Venezuela");
	free(s);
	ddoc_free(doc);
	tval_free(d);
	tmpl_free(t);
}

/* @bookmark, and @document/@header/@footer inside @if: chosen by data. */
static void
test_bookmarks_and_conditional_heads(void **state)
{
	struct tmpl *t = compile("@document Plain title\n"
	    "@header left Left {subject.givenName}\n"
	    "@footer right Page {page}\n"
	    "@if notice.issuingCountry == \"VE\"\n"
	    "@document Chosen {notice.issuingCountry}\n"
	    "@header left\n"
	    "@footer right Neutral {page}\n"
	    "@end\n"
	    "text\n@pagebreak\n@bookmark Part {notice.issuingCountry}\n"
	    "more\n");
	struct tval *d = data();
	struct ddoc *doc = tmpl_eval(t, d);
	char *s;

	(void)state;
	assert_string_equal(doc->title, "Chosen VE");
	assert_int_equal(doc->header[0].n, 0);
	assert_int_equal(doc->footer[2].n, 2);
	assert_string_equal(doc->footer[2].v[0].text, "Neutral ");
	assert_int_equal(doc->footer[2].v[1].kind, DRUN_PAGE);
	assert_int_equal(doc->nblocks, 4);
	assert_int_equal(doc->blocks[2].kind, DB_BOOKMARK);
	s = dinline_text(&doc->blocks[2].text);
	assert_string_equal(s, "Part VE");
	free(s);
	ddoc_free(doc);
	tval_free(d);
	tmpl_free(t);

	/* near miss: the condition fails, the template's own stand */
	t = compile("@document Plain\n@header left L\n"
	    "@if subject.aNumber\n@document Other\n@header left\n@end\n");
	d = data();
	doc = tmpl_eval(t, d);
	assert_string_equal(doc->title, "Plain");
	assert_int_equal(doc->header[0].n, 1);
	ddoc_free(doc);
	tval_free(d);
	tmpl_free(t);
	expect_error("@document X\n@bookmark\n", "t.tmpl:2:");
}

/* A loop inside a loop names its fields by the outer list's path. */
static void
test_nested_loops(void **state)
{
	struct tmpl *t = compile("@document X\n"
	    "@each v in letter.served\n{v.name}\n"
	    "@each a in v.lines\n- {a.line}\n@end\n@end\n");
	struct tval *d = data(), *l, *v, *lines;
	struct ddoc *doc;
	char *s;

	(void)state;
	l = tval_set_list(tval_set_map(d, "letter"), "served");
	v = tval_list_add_map(l);
	tval_set_str(v, "name", "Ana");
	lines = tval_set_list(v, "lines");
	tval_set_str(tval_list_add_map(lines), "line", "500 Travis St");
	tval_set_str(tval_list_add_map(lines), "line", "Houston");
	doc = tmpl_eval(t, d);
	assert_int_equal(doc->nblocks, 3);
	s = dinline_text(&doc->blocks[2].text);
	assert_string_equal(s, "Houston");
	free(s);
	ddoc_free(doc);
	tval_free(d);
	tmpl_free(t);
	expect_error("@document X\n@each v in letter.served\n"
	    "@each a in v.lines\n{a.nothing}\n@end\n@end\n",
	    "t.tmpl:4: unknown field");
}

static void
test_shipped_templates_compile(void **state)
{
	char *err = NULL;
	struct tmpl *t = tmpl_load("templates/compliance-summary.tmpl",
	    docmodel_known, &err);

	(void)state;
	if (t == NULL)
		fail_msg("%s", err);
	tmpl_free(t);
}

/* A name in its bearer's language: its run is DRUN_LANG, nothing else. */
static void
test_name_in_own_language(void **state)
{
	struct tmpl *t = compile("@document X\nDear {subject.givenName} "
	    "{subject.familyName}: *{subject|name}* "
	    "{subject.aNumber|default:\"none\"} {notice.issuingCountry}\n");
	struct tval *d = tval_new_map(), *s = tval_set_map(d, "subject");
	struct ddoc *doc;
	const struct dinline *in;
	unsigned lang_runs = 0;

	(void)state;
	tval_set_name(s, "givenName", "José Luis", true);
	tval_set_name(s, "familyName", "Ramírez", true);
	tval_set_name(s, "aNumber", NULL, true);
	tval_set_own_lang(s, true);
	tval_set_str(s, "nameLanguage", "es-MX");
	tval_set_str(tval_set_map(d, "notice"), "issuingCountry", "VE");
	doc = tmpl_eval(t, d);
	assert_string_equal(doc->name_lang, "es-MX");
	in = &doc->blocks[0].text;
	for (size_t i = 0; i < in->n; i++) {
		const char *x = in->v[i].text;
		bool name = strcmp(x, "José Luis") == 0 ||
		    strcmp(x, "Ramírez") == 0 ||
		    strcmp(x, "RAMÍREZ, José Luis") == 0;

		if (in->v[i].style & DRUN_LANG) {
			lang_runs++;
			assert_true(name);
		} else
			assert_false(name);
		/* The bold name keeps its face bit too. */
		if (strcmp(x, "RAMÍREZ, José Luis") == 0)
			assert_int_equal(in->v[i].style, DRUN_BOLD | DRUN_LANG);
	}
	assert_int_equal(lang_runs, 3);
	ddoc_free(doc);
	tval_free(d);
	/* No nameLanguage in the data: no language for such runs. */
	d = data();
	doc = tmpl_eval(t, d);
	assert_null(doc->name_lang);
	ddoc_free(doc);
	tval_free(d);
	tmpl_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_placeholders_and_formatters),
		cmocka_unit_test(test_styles),
		cmocka_unit_test(test_loops_conditions_lists),
		cmocka_unit_test(test_page_setup),
		cmocka_unit_test(test_formatters),
		cmocka_unit_test(test_shipped_templates_compile),
		cmocka_unit_test(test_country_in_a_language),
		cmocka_unit_test(test_bookmarks_and_conditional_heads),
		cmocka_unit_test(test_nested_loops),
		cmocka_unit_test(test_name_in_own_language),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
