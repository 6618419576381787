/*
 * test_docmodel.c - the data templates see: every name the builder
 * produces is one a template may use (docmodel_known), so the list that
 * checks templates and the data cannot drift apart; and the values of
 * a real sample.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnpack/case.h"
#include "rnpack/date.h"
#include "rnpack/docmodel.h"
#include "rnpack/intake.h"
#include "rnpack/mail.h"
#include "rnpack/policy.h"
#include "rnpack/rules.h"
#include "rnpack/tval.h"

static size_t checked;

/* Walk the tree; every path must be known (lists as "x[].y"). */
static void
walk(const struct tval *v, const char *path)
{
	char sub[512];

	for (size_t i = 0; i < tval_count(v); i++) {
		const char *key = tval_key_at(v, i);

		if (key != NULL)
			snprintf(sub, sizeof(sub), "%s%s%s", path,
			    path[0] ? "." : "", key);
		else
			snprintf(sub, sizeof(sub), "%s[]", path);
		if (key != NULL) {
			if (!docmodel_known(sub))
				fail_msg("builder makes \"%s\", which templates "
				    "cannot name", sub);
			checked++;
		}
		walk(tval_value_at(v, i), sub);
	}
}

static struct tval *
build(const char *sample, struct case_doc **cp, struct evaluation *ev)
{
	struct intake *in;
	struct load_error err;
	struct policy p;
	struct rules_context rc;
	char *msg = NULL;
	int32_t as_of = date_from_ymd(2024, 3, 14);
	struct tval *t;

	intake_init();
	in = intake_new("schema/case-1.xsd", &msg);
	assert_non_null(in);
	*cp = intake_load_case(in, sample, as_of, &err);
	if (*cp == NULL)
		fail_msg("%s: %s", sample, err.message);
	policy_defaults(&p);
	memset(&rc, 0, sizeof(rc));
	rc.policy = &p;
	rc.as_of = as_of;
	rules_evaluate(*cp, &rc, ev);
	t = docmodel_build(*cp, ev, &p, as_of, ev->generated);
	intake_free(in);
	return t;
}

static void
test_every_built_path_is_known(void **state)
{
	const char *samples[] = { "samples/complete-red-notice.xml",
	    "samples/complete-diffusion.xml",
	    "samples/abuse-indicator-refugee-status.xml",
	    "samples/foreign-counsel-address.xml", NULL };

	(void)state;
	for (int i = 0; samples[i] != NULL; i++) {
		struct case_doc *c;
		struct evaluation ev;
		struct tval *t = build(samples[i], &c, &ev);

		walk(t, "");
		tval_free(t);
		evaluation_free(&ev);
		case_free(c);
	}
	assert_true(checked > 100);
}

static void
test_values_of_a_sample(void **state)
{
	struct case_doc *c;
	struct evaluation ev;
	struct tval *t = build("samples/complete-red-notice.xml", &c, &ev);

	(void)state;
	assert_string_equal(tval_str(tval_path(t, "case.id")),
	    "HOU-2024-00017");
	assert_string_equal(tval_str(tval_path(t, "case.status")), "complete");
	assert_string_equal(tval_str(tval_path(t, "notice.kindTitle")),
	    "Red Notice");
	assert_int_equal(tval_len(tval_path(t, "result.steps")), 8);
	assert_int_equal(tval_len(tval_path(t, "review.indicators")), 8);
	/* by mail: 2024-03-14 + 30 + 3 days */
	assert_int_equal(tval_date(tval_path(t, "result.responseDue")),
	    date_from_ymd(2024, 4, 16));
	assert_true(tval_bool(tval_path(t, "office.sample")));
	assert_true(tval_truthy(tval_path(t, "subject.address.lastLine")));
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);
}

static int32_t
day(const struct tval *t, const char *path)
{
	return tval_date(tval_path(t, path));
}

/* The approval form is dated by what it records, never later. */
static void
test_approval_form_dates(void **state)
{
	struct case_doc *c;
	struct evaluation ev;
	struct tval *t;

	(void)state;
	t = build("samples/approval-pending.xml", &c, &ev);
	assert_false(tval_bool(tval_path(t, "approvalForm.isRecord")));
	assert_int_equal(day(t, "approvalForm.date"), c->approval.on);
	assert_true(c->approval.on != date_from_ymd(2024, 3, 14));
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);

	t = build("samples/complete-red-notice.xml", &c, &ev);
	assert_true(tval_bool(tval_path(t, "approvalForm.isRecord")));
	assert_int_equal(day(t, "approvalForm.date"),
	    date_from_ymd(2024, 2, 22));
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);

	t = build("samples/approval-missing.xml", &c, &ev);
	assert_false(tval_bool(tval_path(t, "approvalForm.isRecord")));
	assert_int_equal(day(t, "approvalForm.date"),
	    date_from_ymd(2024, 3, 14));
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);
}

/* The memo: a record copy dated the latest request, or a new request
 * dated the as-of date. */
static void
test_memo_dates(void **state)
{
	struct case_doc *c;
	struct evaluation ev;
	struct tval *t;
	const struct tval *r;
	struct policy p;

	(void)state;
	t = build("samples/complete-red-notice.xml", &c, &ev);
	assert_true(tval_bool(tval_path(t, "memo.recordCopy")));
	assert_false(tval_bool(tval_path(t, "memo.newRequest")));
	assert_int_equal(day(t, "memo.date"), date_from_ymd(2024, 2, 23));
	r = tval_path(t, "memo.requests");
	assert_int_equal(tval_len(r), 2);
	assert_string_equal(tval_str(tval_child(tval_at(r, 0), "reference")),
	    "USNCB-2024-0456");
	assert_string_equal(tval_str(tval_child(tval_at(r, 1), "kind")), "use");
	/* a later use request makes the record copy later */
	c->iw.use_requested_on = date_from_ymd(2024, 2, 26);
	tval_free(t);
	policy_defaults(&p);
	t = docmodel_build(c, &ev, &p, date_from_ymd(2024, 3, 14), 0);
	assert_int_equal(day(t, "memo.date"), date_from_ymd(2024, 2, 26));
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);

	t = build("samples/usncb-new-request.xml", &c, &ev);
	assert_true(tval_bool(tval_path(t, "memo.newRequest")));
	assert_true(tval_bool(tval_path(t, "memo.asksUse")));
	assert_false(tval_bool(tval_path(t, "memo.asksDocumentation")));
	assert_int_equal(day(t, "memo.date"), date_from_ymd(2024, 3, 14));
	assert_int_equal(tval_len(tval_path(t, "memo.requests")), 1);
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);

	t = build("samples/protected-person.xml", &c, &ev);
	assert_true(tval_bool(tval_path(t, "memo.protected")));
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);
}

/* Personal service with counsel: counsel's copy is a mailed piece. */
static void
test_personal_service_with_counsel(void **state)
{
	struct case_doc *c;
	struct evaluation ev;
	struct policy p;
	struct mail_piece pc[MAIL_MAX_PIECES];
	struct tval *t = build("samples/service-personal-counsel.xml", &c, &ev);
	const struct tval *sv;
	size_t n;

	(void)state;
	policy_defaults(&p);
	n = mail_pieces(c, &p, pc);
	assert_int_equal(n, 1);
	assert_int_equal(pc[0].copy, 1);
	assert_string_equal(pc[0].recipient, "counsel");
	assert_int_equal(docmodel_notice_copies(c), 2);
	pc[0].service = date_from_ymd(2024, 3, 14);
	pc[0].due = ev.response_due;
	docmodel_set_letter(t, c, &ev, 0, pc, n, true);
	assert_true(tval_bool(tval_path(t, "letter.personal")));
	assert_false(tval_bool(tval_path(t, "letter.mailed")));
	assert_true(tval_bool(tval_path(t, "letter.ccCounsel")));
	assert_int_equal(day(t, "letter.date"), date_from_ymd(2024, 3, 12));
	assert_int_equal(day(t, "letter.due"), date_from_ymd(2024, 4, 11));
	sv = tval_path(t, "letter.served");
	assert_int_equal(tval_len(sv), 2);
	assert_string_equal(tval_str(tval_child(tval_at(sv, 0), "kind")),
	    "personal");
	assert_string_equal(tval_str(tval_child(tval_at(sv, 1), "kind")),
	    "counsel");
	assert_int_equal(tval_date(tval_child(tval_at(sv, 1), "date")),
	    date_from_ymd(2024, 3, 14));
	docmodel_set_letter(t, c, &ev, 1, pc, n, true);
	assert_true(tval_bool(tval_path(t, "letter.mailed")));
	assert_int_equal(day(t, "letter.date"), date_from_ymd(2024, 3, 14));
	/* counsel's copy withheld: the original promises none */
	docmodel_set_letter(t, c, &ev, 0, pc, n, false);
	assert_false(tval_bool(tval_path(t, "letter.ccCounsel")));
	assert_int_equal(tval_len(tval_path(t, "letter.served")), 1);
	mail_pieces_free(pc, n);
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);
}

/* Counsel abroad, no subject address: counsel alone, as representative. */
static void
test_representative_abroad(void **state)
{
	struct case_doc *c;
	struct evaluation ev;
	struct policy p;
	struct mail_piece pc[MAIL_MAX_PIECES];
	struct tval *t = build("samples/service-representative-abroad.xml", &c,
	    &ev);
	size_t n;

	(void)state;
	policy_defaults(&p);
	assert_true(mail_to_representative(c));
	n = mail_pieces(c, &p, pc);
	assert_int_equal(n, 1);
	assert_int_equal(pc[0].copy, 0);
	for (size_t i = 0; i < pc[0].block.n; i++)
		assert_null(strstr(pc[0].block.lines[i], "C/O"));
	assert_non_null(strstr(pc[0].block.lines[0], "TORRES"));
	docmodel_set_letter(t, c, &ev, 0, pc, n, true);
	assert_true(tval_bool(tval_path(t, "letter.representative")));
	assert_false(tval_bool(tval_path(t, "letter.careOf")));
	assert_string_equal(tval_str(tval_path(t, "letter.recipient")),
	    "Lic. Ana Torres Medina");
	mail_pieces_free(pc, n);
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);

	/* near miss: counsel in the US stays "in care of" */
	t = build("samples/service-in-care-of-counsel.xml", &c, &ev);
	assert_false(mail_to_representative(c));
	docmodel_set_letter(t, c, &ev, 0, NULL, 0, true);
	assert_true(tval_bool(tval_path(t, "letter.careOf")));
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_built_path_is_known),
		cmocka_unit_test(test_values_of_a_sample),
		cmocka_unit_test(test_approval_form_dates),
		cmocka_unit_test(test_memo_dates),
		cmocka_unit_test(test_personal_service_with_counsel),
		cmocka_unit_test(test_representative_abroad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
