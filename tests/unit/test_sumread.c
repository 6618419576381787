/*
 * test_sumread.c - cmocka tests for sumread.c: a summary.json entry
 * written by report.c reads back to the same source, case, status and
 * findings; anything else is refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "rnpack/buf.h"
#include "rnpack/diag.h"
#include "rnpack/report.h"
#include "rnpack/sumread.h"

static void
test_round_trip(void **state)
{
	struct run_entry in, out;
	struct buf b = BUF_INIT;

	(void)state;
	memset(&in, 0, sizeof(in));
	memset(&out, 0, sizeof(out));
	in.source = strdup("cases/\"odd\" name\\é😀.xml");
	in.case_id = strdup("HOU-2024-00017");
	in.status = CASE_PARTIAL;
	findings_init(&in.findings);
	findings_add(&in.findings, DIAG_APPROVAL_MISSING, 4, "No approval "
	    "is recorded; \"quoted\", back\\slash.");
	findings_add(&in.findings, DIAG_SAMPLE_OFFICE, 0, "Sample office.");
	report_summary_json_entry(&b, &in);
	assert_true(sumread_entry(b.ptr, b.len, &out));
	assert_string_equal(out.source, in.source);
	assert_string_equal(out.case_id, in.case_id);
	assert_int_equal(out.status, CASE_PARTIAL);
	assert_int_equal(out.findings.n, 2);
	assert_int_equal(out.findings.v[0].code, DIAG_APPROVAL_MISSING);
	assert_int_equal(out.findings.v[0].line, 4);
	assert_string_equal(out.findings.v[0].message,
	    in.findings.v[0].message);
	assert_int_equal(out.findings.v[1].code, DIAG_SAMPLE_OFFICE);
	run_entry_free(&in);
	run_entry_free(&out);
	buf_free(&b);
}

static void
test_invalid_entry(void **state)
{
	static const char j[] = "{ \"source\": \"x.xml\", \"status\": "
	    "\"invalid\", \"findings\": [ { \"code\": \"invalid-input\", "
	    "\"severity\": \"error\", \"step\": null, \"message\": "
	    "\"b\\u00e9\\ud83d\\ude00\\n\\/\","
	    " \"line\": 12, \"withholds\": [] }, { \"code\": \"no-such-code\","
	    " \"line\": 1 } ] }";
	struct run_entry e;

	(void)state;
	memset(&e, 0, sizeof(e));
	assert_true(sumread_entry(j, strlen(j), &e));
	assert_null(e.case_id);
	assert_int_equal(e.status, CASE_INVALID);
	/* A code this program does not know is left out. */
	assert_int_equal(e.findings.n, 1);
	assert_int_equal(e.findings.v[0].line, 12);
	assert_string_equal(e.findings.v[0].message,
	    "b\xC3\xA9\xF0\x9F\x98\x80\n/");
	run_entry_free(&e);
}

static void
test_refused(void **state)
{
	static const char *const bad[] = {
		"", "[]", "{", "{ \"source\": \"x\" }",
		"{ \"source\": \"x\", \"status\": \"sideways\", \"findings\": "
		    "[] }",
		"{ \"source\": \"x\", \"status\": \"complete\", \"findings\": "
		    "[ { \"code\": 1 } ] }",
		"{ \"source\": \"x\\u0000\", \"status\": \"complete\" }",
		"{ \"source\": \"x, \"status\": \"complete\" }",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct run_entry e;

		memset(&e, 0, sizeof(e));
		if (sumread_entry(bad[i], strlen(bad[i]), &e))
			fail_msg("accepted: %s", bad[i]);
		run_entry_free(&e);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_invalid_entry),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
