/*
 * test_report.c - report writers: JSON and CSV escaping of hostile text,
 * the console line, the run summary, and the exact report.json keys.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "rnpack/case.h"
#include "rnpack/date.h"
#include "rnpack/report.h"
#include "rnpack/rules.h"

#include "entry_fixture.h"

static void
test_json_string_escapes(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	report_json_string(&b, "a\"b\\c");
	assert_string_equal(b.ptr, "\"a\\\"b\\\\c\"");
	buf_reset(&b);
	/* Invisible and invalid input is made visible, never raw. */
	report_json_string(&b, "x\xE2\x80\xAEy\xFFz\x01");
	assert_string_equal(b.ptr, "\"xU+202Ey\\\\xFFzU+0001\"");
	buf_reset(&b);
	report_json_string(&b, "Núñez");
	assert_string_equal(b.ptr, "\"Núñez\"");
	buf_free(&b);
}

static void
test_console_lines(void **state)
{
	struct buf b = BUF_INIT;
	struct run_entry e = entry("cases/hou-17.xml", "HOU-2024-00017",
	    CASE_PARTIAL);

	(void)state;
	findings_add(&e.withheld, DIAG_DOCUMENTATION_NOT_RECEIVED, 30, "x");
	report_console_line(&b, &e, false);
	assert_string_equal(b.ptr, "HOU-2024-00017: partial — subject notice "
	    "withheld: documentation-not-received\n");
	buf_reset(&b);
	findings_add(&e.withheld, DIAG_TRAINING_LAPSED, 20, "y");
	findings_add(&e.withheld, DIAG_TRAINING_LAPSED, 21, "z");
	e.status = CASE_BLOCKED;
	report_console_line(&b, &e, false);
	assert_string_equal(b.ptr, "HOU-2024-00017: blocked — supervisory "
	    "approval request, INTERPOL Washington request and subject notice "
	    "withheld: documentation-not-received, training-lapsed\n");
	run_entry_free(&e);

	buf_reset(&b);
	e = entry("bad.xml", NULL, CASE_INVALID);
	findings_add(&e.withheld, DIAG_INVALID_INPUT, 17, "<issuedOn>: bad");
	report_console_line(&b, &e, true);
	assert_string_equal(b.ptr, "bad.xml:17: invalid — invalid-input: "
	    "<issuedOn>: bad\n");
	/* By default the message, which may quote the file, stays out. */
	buf_reset(&b);
	report_console_line(&b, &e, false);
	assert_string_equal(b.ptr, "bad.xml:17: invalid — invalid-input: "
	    "see summary.json for why (--verbose shows it here; it may quote "
	    "the file)\n");
	/* Unless it quotes nothing of it (the file could not be read). */
	buf_reset(&b);
	e.plain = true;
	report_console_line(&b, &e, false);
	assert_string_equal(b.ptr, "bad.xml:17: invalid — invalid-input: "
	    "<issuedOn>: bad\n");
	run_entry_free(&e);
	buf_free(&b);
}

static void
test_csv_defuses_formulas(void **state)
{
	struct buf b = BUF_INIT;
	struct run_entry e = entry("=cmd|' /C calc'!A0.xml", NULL,
	    CASE_INVALID);

	(void)state;
	findings_add(&e.withheld, DIAG_INVALID_INPUT, 3, "say \"hi\", ok");
	report_summary_csv(&b, &e, 1);
	assert_non_null(strstr(b.ptr, "\"'=cmd|' /C calc'!A0.xml\""));
	assert_non_null(strstr(b.ptr, "\"say \"\"hi\"\", ok\""));
	assert_non_null(strstr(b.ptr, ",invalid,"));
	assert_int_equal(strncmp(b.ptr, "source,case,status,", 19), 0);
	run_entry_free(&e);
	buf_free(&b);
}

static void
test_summary_json(void **state)
{
	struct buf b = BUF_INIT;
	struct run_entry v[2];

	(void)state;
	report_summary_json(&b, NULL, 0);
	assert_string_equal(b.ptr, "[]\n");
	buf_reset(&b);
	v[0] = entry("a.xml", "A-1", CASE_COMPLETE);
	v[1] = entry("b.xml", NULL, CASE_INVALID);
	findings_add(&v[1].withheld, DIAG_INVALID_INPUT, 0, "empty");
	report_summary_json(&b, v, 2);
	assert_non_null(strstr(b.ptr, "{ \"source\": \"a.xml\", \"case\": "
	    "\"A-1\", \"status\": \"complete\", \"findings\": [] }"));
	assert_non_null(strstr(b.ptr, "{ \"source\": \"b.xml\", \"status\": "
	    "\"invalid\""));
	assert_non_null(strstr(b.ptr, "\"code\": \"invalid-input\", "
	    "\"severity\": \"error\", \"step\": null"));
	assert_non_null(strstr(b.ptr, "\"line\": 0"));
	run_entry_free(&v[0]);
	run_entry_free(&v[1]);
	buf_free(&b);
}

static void
test_case_json_keys(void **state)
{
	struct case_doc *c = case_new();
	struct evaluation ev;
	struct buf b = BUF_INIT;
	struct finding *f;
	const struct report_provenance prov = { "9.9.9", "ab12", "cd34",
	    "built-in" };

	(void)state;
	c->id = case_strdup(c, "X-1");
	memset(&ev, 0, sizeof(ev));
	findings_init(&ev.findings);
	f = findings_add(&ev.findings, DIAG_ABUSE_INDICATOR, 31, "m");
	f->indicator = IND_PENALTY_THRESHOLD;
	ev.status = CASE_COMPLETE;
	ev.generated = DOCS_ALL;
	ev.steps[STEP_USE_AUTHORIZATION] = STEP_NOT_APPLICABLE;
	ev.response_due = date_from_ymd(2024, 4, 15);
	report_case_json(&b, c, "cases/x.xml", &ev, date_from_ymd(2024, 3, 14),
	    &prov);
	assert_non_null(strstr(b.ptr, "\"case\": \"X-1\""));
	assert_non_null(strstr(b.ptr, "\"source\": \"cases/x.xml\""));
	assert_non_null(strstr(b.ptr, "\"asOf\": \"2024-03-14\""));
	assert_non_null(strstr(b.ptr, "\"status\": \"complete\""));
	assert_non_null(strstr(b.ptr, "\"use-authorization\": "
	    "\"not-applicable\""));
	assert_non_null(strstr(b.ptr, "\"code\": \"abuse-indicator\", "
	    "\"severity\": \"warning\", \"step\": \"review\", \"indicator\": "
	    "\"penalty-threshold\""));
	assert_non_null(strstr(b.ptr, "\"subject-notice\": \"generated\""));
	assert_non_null(strstr(b.ptr, "\"responseDue\": \"2024-04-15\""));
	/* Provenance comes last, after every member DOMAIN.md names. */
	assert_non_null(strstr(b.ptr, "\"responseDue\": \"2024-04-15\",\n"
	    "  \"rnpack\": { \"version\": \"9.9.9\", \"input\": \"ab12\", "
	    "\"templates\": \"cd34\", \"policy\": \"built-in\" }\n}\n"));
	buf_reset(&b);
	ev.response_due = DATE_NONE;
	ev.generated = DOC_BIT(DOC_SUMMARY);
	report_case_json(&b, c, "cases/x.xml", &ev, date_from_ymd(2024, 3, 14),
	    NULL);
	assert_null(strstr(b.ptr, "responseDue"));
	assert_null(strstr(b.ptr, "\"rnpack\""));
	assert_non_null(strstr(b.ptr, "\"usncb-request\": \"blocked\""));
	evaluation_free(&ev);
	case_free(c);
	buf_free(&b);
}

/*
 * A finding that quotes the case: "field" and "quote" in report.json and
 * summary.json (copied into the run entry); the quote decodes to the
 * very characters (line break included), invisible ones escaped.  Other
 * findings have neither member.
 */
static void
test_finding_field_and_quote(void **state)
{
	struct case_doc *c = case_new();
	struct evaluation ev;
	struct run_entry e = entry("x.xml", NULL, CASE_INVALID);
	struct buf b = BUF_INIT;
	struct finding *f;

	(void)state;
	c->id = case_strdup(c, "X-1");
	memset(&ev, 0, sizeof(ev));
	findings_init(&ev.findings);
	f = findings_add(&ev.findings, DIAG_PROHIBITED_REPRESENTATION, 31,
	    "preliminaryReview/notes (line 31) calls the notice an arrest "
	    "warrant: \"international arrest\".");
	finding_set_quote(f, "preliminaryReview/notes",
	    "international\n  \"arrest\"\t\xe2\x80\xae\\", "not quoted");
	findings_add(&ev.findings, DIAG_EXCLUSIVE_RELIANCE, 2, "m");
	ev.status = CASE_BLOCKED;
	ev.generated = DOC_BIT(DOC_SUMMARY);
	report_case_json(&b, c, "x.xml", &ev, date_from_ymd(2024, 3, 14),
	    NULL);
	assert_non_null(strstr(b.ptr, "\"message\": \"preliminaryReview/notes "
	    "(line 31) calls the notice an arrest warrant: \\\"international "
	    "arrest\\\".\", \"field\": \"preliminaryReview/notes\", "
	    "\"quote\": \"international\\n  \\\"arrest\\\"\\t\\u202e\\\\\", "
	    "\"line\": 31"));
	assert_non_null(strstr(b.ptr, "\"message\": \"m\", \"line\": 2"));
	/* the documents' sentence stays out of the reports */
	assert_null(strstr(b.ptr, "not quoted"));
	buf_reset(&b);
	run_entry_set_case(&e, "X-1", &ev);
	assert_string_equal(e.withheld.v[0].quote, f->quote);
	assert_string_equal(e.withheld.v[0].field, f->field);
	assert_string_equal(e.withheld.v[0].doc_message, "not quoted");
	assert_null(e.withheld.v[1].field);
	report_summary_json(&b, &e, 1);
	assert_non_null(strstr(b.ptr, "\"field\": \"preliminaryReview/notes\", "
	    "\"quote\": \"international\\n"));
	run_entry_free(&e);
	evaluation_free(&ev);
	case_free(c);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_string_escapes),
		cmocka_unit_test(test_console_lines),
		cmocka_unit_test(test_csv_defuses_formulas),
		cmocka_unit_test(test_summary_json),
		cmocka_unit_test(test_case_json_keys),
		cmocka_unit_test(test_finding_field_and_quote),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
