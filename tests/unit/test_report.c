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
#include <stdio.h>
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
	findings_add(&e.findings, DIAG_DOCUMENTATION_NOT_RECEIVED, 30, "x");
	report_console_line(&b, &e, false);
	assert_string_equal(b.ptr, "HOU-2024-00017: partial — subject notice "
	    "withheld: documentation-not-received\n");
	buf_reset(&b);
	findings_add(&e.findings, DIAG_TRAINING_LAPSED, 20, "y");
	findings_add(&e.findings, DIAG_TRAINING_LAPSED, 21, "z");
	e.status = CASE_BLOCKED;
	report_console_line(&b, &e, false);
	assert_string_equal(b.ptr, "HOU-2024-00017: blocked — supervisory "
	    "approval request, INTERPOL Washington request and subject notice "
	    "withheld: documentation-not-received, training-lapsed\n");
	/* Where it lists problems, warnings that withhold nothing too. */
	buf_reset(&b);
	findings_add(&e.findings, DIAG_SAMPLE_OFFICE, 0, "s");
	findings_add(&e.findings, DIAG_ABUSE_INDICATOR, 31, "a");
	findings_add(&e.findings, DIAG_ABUSE_INDICATOR, 32, "a");
	report_console_line(&b, &e, false);
	assert_string_equal(b.ptr, "HOU-2024-00017: blocked — supervisory "
	    "approval request, INTERPOL Washington request and subject notice "
	    "withheld: documentation-not-received, training-lapsed; "
	    "withholding nothing: sample-office, abuse-indicator\n");
	run_entry_free(&e);

	/* Nothing withheld: the short line, whatever the warnings. */
	buf_reset(&b);
	e = entry("ok.xml", "OK-1", CASE_COMPLETE);
	findings_add(&e.findings, DIAG_SAMPLE_OFFICE, 0, "s");
	report_console_line(&b, &e, false);
	assert_string_equal(b.ptr, "OK-1: complete\n");
	/* Counsel's copy that does not fit: a mail piece, not a document. */
	buf_reset(&b);
	findings_add(&e.findings, DIAG_ADDRESS_DOES_NOT_FIT, 9, "c")->blocks
	    = 0;
	report_console_line(&b, &e, false);
	assert_string_equal(b.ptr, "OK-1: complete — a mail piece withheld: "
	    "address-does-not-fit; withholding nothing: sample-office\n");
	run_entry_free(&e);

	buf_reset(&b);
	e = entry("bad.xml", NULL, CASE_INVALID);
	findings_add(&e.findings, DIAG_INVALID_INPUT, 17, "<issuedOn>: bad");
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
	/* Several problems: one line each with --verbose, else where. */
	buf_reset(&b);
	e.plain = false;
	findings_add(&e.findings, DIAG_INVALID_INPUT, 19, "<x>: bad");
	report_console_line(&b, &e, true);
	assert_string_equal(b.ptr, "bad.xml:17: invalid — invalid-input: "
	    "<issuedOn>: bad\nbad.xml:19: invalid — invalid-input: "
	    "<x>: bad\n");
	buf_reset(&b);
	report_console_line(&b, &e, false);
	assert_string_equal(b.ptr, "bad.xml:17: invalid — invalid-input: "
	    "see summary.json for why (--verbose shows it here; it may quote "
	    "the file) (and 1 more problem: summary.json, or --verbose)\n");
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
	findings_add(&e.findings, DIAG_INVALID_INPUT, 3, "say \"hi\", ok");
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
	findings_add(&v[1].findings, DIAG_INVALID_INPUT, 0, "empty");
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
	const struct report_font fonts[2] = {
		{ "/f/A.ttf", 0, "aa11" }, { "/f/B.ttc", 2, "bb22" } };
	const struct report_provenance prov = { "9.9.9", "ab12", "cd34",
	    "built-in", fonts, 2 };

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
	/* Provenance comes last, after every member docs/reports.md names. */
	assert_non_null(strstr(b.ptr, "\"responseDue\": \"2024-04-15\",\n"
	    "  \"rnpack\": { \"version\": \"9.9.9\", \"input\": \"ab12\", "
	    "\"templates\": \"cd34\", \"policy\": \"built-in\", \"fonts\": "
	    "[{ \"file\": \"/f/A.ttf\", \"index\": 0, \"sha256\": \"aa11\" }, "
	    "{ \"file\": \"/f/B.ttc\", \"index\": 2, \"sha256\": \"bb22\" }] }"
	    "\n}\n"));
	/* A warning that withholds nothing: an empty array. */
	assert_non_null(strstr(b.ptr, "\"line\": 31, \"withholds\": [] }"));
	/* No immigrationCourt: the court submission does not apply. */
	assert_non_null(strstr(b.ptr, "\"subject-notice\": \"generated\",\n"
	    "    \"court-submission\": \"not-applicable\"\n  }"));
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

/* An evaluation with three findings: a withholding warning, a warning
 * that withholds nothing and an error. */
static void
three_findings(struct evaluation *ev, const struct case_doc *c)
{
	struct finding *f;

	memset(ev, 0, sizeof(*ev));
	findings_init(&ev->findings);
	f = findings_add(&ev->findings, DIAG_APPROVAL_PENDING, 40,
	    "Supervisory approval is pending.");
	f->blocks = rules_withholds(c, f->blocks);
	findings_add(&ev->findings, DIAG_SAMPLE_OFFICE, 0, "Sample office.");
	f = findings_add(&ev->findings, DIAG_NO_MAILING_ADDRESS, 12,
	    "No address.");
	f->blocks = rules_withholds(c, f->blocks);
	ev->status = CASE_PARTIAL;
	ev->generated = DOC_BIT(DOC_SUMMARY) | DOC_BIT(DOC_APPROVAL);
	ev->response_due = DATE_NONE;
}

static void
test_withholds_arrays(void **state)
{
	struct case_doc *c = case_new();
	struct evaluation ev;
	struct buf b = BUF_INIT;

	(void)state;
	c->id = case_strdup(c, "X-2");
	three_findings(&ev, c);
	report_case_json(&b, c, "x.xml", &ev, date_from_ymd(2024, 3, 14),
	    NULL);
	assert_non_null(strstr(b.ptr, "\"line\": 40, \"withholds\": "
	    "[\"usncb-request\", \"subject-notice\"] }"));
	assert_non_null(strstr(b.ptr, "\"line\": 0, \"withholds\": [] }"));
	assert_non_null(strstr(b.ptr, "\"line\": 12, \"withholds\": "
	    "[\"subject-notice\"] }"));
	assert_null(strstr(b.ptr, "\"court-submission\"]"));
	assert_non_null(strstr(b.ptr, "\"court-submission\": "
	    "\"not-applicable\""));
	evaluation_free(&ev);

	/* With intendedUse/immigrationCourt whatever withholds the notice
	 * withholds the court submission, and it is never generated yet. */
	buf_reset(&b);
	c->use.court.present = true;
	three_findings(&ev, c);
	findings_add(&ev.findings, DIAG_RESPONSE_PERIOD_OPEN, 50, "Open.");
	report_case_json(&b, c, "x.xml", &ev, date_from_ymd(2024, 3, 14),
	    NULL);
	assert_non_null(strstr(b.ptr, "\"line\": 40, \"withholds\": "
	    "[\"usncb-request\", \"subject-notice\", \"court-submission\"] }"));
	assert_non_null(strstr(b.ptr, "\"line\": 0, \"withholds\": [] }"));
	assert_non_null(strstr(b.ptr, "\"line\": 50, \"withholds\": "
	    "[\"court-submission\"] }"));
	assert_non_null(strstr(b.ptr, "\"court-submission\": \"blocked\""));
	/* Status counts the packet's documents only. */
	assert_non_null(strstr(b.ptr, "\"status\": \"partial\""));
	evaluation_free(&ev);
	assert_int_equal(rules_withholds(c, 0), 0);
	assert_int_equal(rules_withholds(c, DOC_BIT(DOC_APPROVAL)),
	    DOC_BIT(DOC_APPROVAL));
	c->use.court.present = false;
	assert_int_equal(rules_withholds(c, DOC_BIT(DOC_COURT) |
	    DOC_BIT(DOC_NOTICE)), DOC_BIT(DOC_NOTICE));
	case_free(c);
	buf_free(&b);
}

static void
test_summaries_list_every_finding(void **state)
{
	struct case_doc *c = case_new();
	struct evaluation ev;
	struct buf b = BUF_INIT;
	struct run_entry e = entry("in/x.xml", NULL, CASE_COMPLETE);

	(void)state;
	c->use.court.present = true;
	three_findings(&ev, c);
	run_entry_set_case(&e, "X-3", &ev);
	assert_int_equal(e.findings.n, 3);
	report_summary_json(&b, &e, 1);
	assert_non_null(strstr(b.ptr, "{ \"code\": \"approval-pending\", "
	    "\"severity\": \"warning\", \"step\": \"approval\", \"message\": "
	    "\"Supervisory approval is pending.\", \"line\": 40, "
	    "\"withholds\": [\"usncb-request\", \"subject-notice\", "
	    "\"court-submission\"] }"));
	assert_non_null(strstr(b.ptr, "{ \"code\": \"sample-office\", "
	    "\"severity\": \"warning\", \"step\": null, \"message\": "
	    "\"Sample office.\", \"line\": 0, \"withholds\": [] }"));
	assert_non_null(strstr(b.ptr, "{ \"code\": \"no-mailing-address\", "
	    "\"severity\": \"error\", \"step\": \"subject-notice\""));
	/* In the order of the case's findings. */
	assert_true(strstr(b.ptr, "approval-pending") <
	    strstr(b.ptr, "sample-office"));
	assert_true(strstr(b.ptr, "sample-office") <
	    strstr(b.ptr, "no-mailing-address"));
	buf_reset(&b);
	report_summary_csv(&b, &e, 1);
	assert_string_equal(b.ptr, "source,case,status,withheld,findings,"
	    "lines,messages\r\n\"in/x.xml\",\"X-3\",partial,"
	    "\"usncb-request subject-notice court-submission\","
	    "\"approval-pending sample-office no-mailing-address\","
	    "\"40 0 12\",\"Supervisory approval is pending. | Sample office. "
	    "| No address.\"\r\n");
	evaluation_free(&ev);
	run_entry_free(&e);
	case_free(c);
	buf_free(&b);
}

/* totals(ending, N, M, K): the line for a run of 5 inputs. */
static char *
totals(enum run_ending ending, size_t n, size_t m, size_t k)
{
	struct run_totals t;
	struct buf b = BUF_INIT;

	memset(&t, 0, sizeof(t));
	t.inputs = 5;
	t.count[CASE_COMPLETE] = 1;
	t.count[CASE_PARTIAL] = 2;
	t.count[CASE_INVALID] = 1;
	t.as_of = date_from_ymd(2024, 3, 14);
	t.outcome.ending = ending;
	t.outcome.pieces = n;
	t.outcome.files = m;
	t.outcome.dir = "out/mail/jobs/2024-03-14-001";
	t.outcome.held = k;
	report_totals_line(&b, &t);
	return buf_detach(&b);
}

static void
test_totals_line(void **state)
{
	static const struct {
		enum run_ending	 e;
		size_t		 n, m, k;
		const char	*tail;
	} cases[] = {
		{ RUN_END_INTERRUPTED, 0, 0, 3, "; no print job: interrupted" },
		{ RUN_END_CHECK_ONLY, 0, 0, 3, "; no print job: check only" },
		{ RUN_END_SAMPLE_OFFICE, 0, 0, 3,
		    "; no print job: sample office" },
		{ RUN_END_NOT_WRITTEN, 4, 0, 0,
		    "; print job not written: 4 pieces wait for the next run" },
		{ RUN_END_NOT_WRITTEN, 1, 0, 2,
		    "; print job not written: 1 pieces wait for the next run"
		    "; 2 pieces held: sample translator" },
		{ RUN_END_JOB, 1, 1, 0, "; print job "
		    "out/mail/jobs/2024-03-14-001 (1 pieces, 1 print files)" },
		{ RUN_END_JOB, 7, 2, 1, "; print job "
		    "out/mail/jobs/2024-03-14-001 (7 pieces, 2 print files)"
		    "; 1 pieces held: sample translator" },
		{ RUN_END_NO_NEW_PIECE, 0, 0, 0,
		    "; no print job: no new piece" },
		{ RUN_END_NO_NEW_PIECE, 0, 0, 5, "; no print job: no new piece"
		    "; 5 pieces held: sample translator" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = totals(cases[i].e, cases[i].n, cases[i].m,
		    cases[i].k);
		char want[300];

		snprintf(want, sizeof(want), "rnpack: 5 inputs as of "
		    "2024-03-14: 1 complete, 2 partial, 0 blocked, 1 invalid"
		    "%s\n", cases[i].tail);
		assert_string_equal(got, want);
		free(got);
	}
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
	assert_string_equal(e.findings.v[0].quote, f->quote);
	assert_string_equal(e.findings.v[0].field, f->field);
	assert_string_equal(e.findings.v[0].doc_message, "not quoted");
	assert_null(e.findings.v[1].field);
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
		cmocka_unit_test(test_withholds_arrays),
		cmocka_unit_test(test_totals_line),
		cmocka_unit_test(test_summaries_list_every_finding),
		cmocka_unit_test(test_finding_field_and_quote),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
