/*
 * test_court.c - cmocka tests for the court submission: its findings
 * (rules.c, only with intendedUse/immigrationCourt), the exhibits and
 * their page plan (table of contents ranges), the split into parts and
 * the exhibit letters (court.c).
 *
 * Cases start from samples/court-complete.xml (tests run from the
 * source tree), whose submission is produced as of 2024-03-14, and each
 * test changes it as little as possible.  Expected values come from the
 * rules (docs/court-submission.md), not from the code under test.
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

#include "rnpack/case.h"
#include "rnpack/court.h"
#include "rnpack/date.h"
#include "rnpack/diag.h"
#include "rnpack/domain.h"
#include "rnpack/intake.h"
#include "rnpack/policy.h"
#include "rnpack/rules.h"

#define SAMPLE	"samples/court-complete.xml"
#define COURT	DOC_BIT(DOC_COURT)

static struct intake *in;
static struct policy pol;

static int32_t
dt(const char *s)
{
	int32_t d = DATE_NONE;

	if (!date_parse(s, &d))
		fail_msg("test bug: bad date %s", s);
	return d;
}

static struct case_doc *
load(void)
{
	struct load_error err = { 0, NULL, NULL, false };
	struct case_doc *c = intake_load_case(in, SAMPLE, dt("2024-03-14"),
	    &err);

	if (c == NULL)
		fail_msg("%s: %s", SAMPLE, err.message ? err.message : "?");
	load_error_free(&err);
	return c;
}

static void
evaluate(const struct case_doc *c, const char *as_of, struct evaluation *ev)
{
	struct rules_context rc;

	memset(&rc, 0, sizeof(rc));
	rc.policy = &pol;
	rc.as_of = dt(as_of);
	rules_evaluate(c, &rc, ev);
}

static const struct finding *
find(const struct evaluation *ev, enum diag_code code)
{
	for (size_t i = 0; i < ev->findings.n; i++)
		if (ev->findings.v[i].code == code)
			return &ev->findings.v[i];
	return NULL;
}

static size_t
count(const struct evaluation *ev, enum diag_code code)
{
	size_t n = 0;

	for (size_t i = 0; i < ev->findings.n; i++)
		n += ev->findings.v[i].code == code;
	return n;
}

/* A warning that withholds only the court submission, its step met,
 * the case partial and every packet document generated. */
static void
assert_court_only(const struct evaluation *ev, enum diag_code code)
{
	const struct finding *f = find(ev, code);

	assert_non_null(f);
	assert_int_equal(diag_severity(code), DIAG_SEV_WARNING);
	assert_int_equal(f->blocks, COURT);
	assert_false(ev->generated & COURT);
	assert_int_equal(ev->generated & DOCS_ALL, DOCS_ALL);
	assert_int_equal(ev->status, CASE_PARTIAL);
	if (f->step < STEP__MAX)
		assert_int_equal(ev->steps[f->step], STEP_MET);
}

/* ------------------------------------------------------------------ */

static void
test_sample_generates(void **state)
{
	struct case_doc *c = load();
	struct evaluation ev;

	(void)state;
	evaluate(c, "2024-03-14", &ev);
	assert_true(ev.generated & COURT);
	assert_int_equal(ev.status, CASE_COMPLETE);
	for (int code = DIAG_TRANSLATION_MISSING;
	    code <= DIAG_FILING_DEADLINE; code++)
		assert_null(find(&ev, (enum diag_code)code));
	evaluation_free(&ev);
	case_free(c);
}

/* Without immigrationCourt none of them is raised, and the submission
 * is not counted. */
static void
test_only_with_court(void **state)
{
	struct case_doc *c = load();
	struct evaluation ev;

	(void)state;
	c->use.court.present = false;
	c->subject.a_number = NULL;
	c->response.considered = false;
	c->iw.enclosures = NULL;
	c->iw.nenclosures = 0;
	evaluate(c, "2024-03-14", &ev);
	assert_null(find(&ev, DIAG_A_NUMBER_MISSING));
	assert_null(find(&ev, DIAG_RESPONSE_NOT_CONSIDERED));
	assert_false(ev.generated & COURT);
	assert_int_equal(ev.status, CASE_COMPLETE);
	assert_false(rules_period_open(c, dt("2024-03-14"), dt("2024-04-15"),
	    true));
	evaluation_free(&ev);
	case_free(c);
}

static void
test_a_number_missing(void **state)
{
	struct case_doc *c = load();
	struct evaluation ev;

	(void)state;
	c->subject.a_number = NULL;
	evaluate(c, "2024-03-14", &ev);
	assert_court_only(&ev, DIAG_A_NUMBER_MISSING);
	assert_int_equal(find(&ev, DIAG_A_NUMBER_MISSING)->step, STEP_NONE);
	evaluation_free(&ev);
	case_free(c);
}

static void
test_exhibit_missing(void **state)
{
	struct case_doc *c = load();
	struct enclosure *e = (struct enclosure *)c->iw.enclosures;
	struct evaluation ev;

	(void)state;
	e[0].file = NULL;
	evaluate(c, "2024-03-14", &ev);
	assert_court_only(&ev, DIAG_EXHIBIT_MISSING);
	assert_int_equal(find(&ev, DIAG_EXHIBIT_MISSING)->step,
	    STEP_DOCUMENTATION);
	assert_int_equal(find(&ev, DIAG_EXHIBIT_MISSING)->line, e[0].line);
	evaluation_free(&ev);
	case_free(c);
}

static void
test_translation_missing(void **state)
{
	struct case_doc *c = load();
	struct enclosure *e = (struct enclosure *)c->iw.enclosures;
	struct translation t = { "x-en.pdf", "T1", DATE_NONE, 99 };
	struct evaluation ev;

	(void)state;
	/* English (absent, en, en-US): nothing to translate. */
	e[0].language = "en-US";
	evaluate(c, "2024-03-14", &ev);
	assert_null(find(&ev, DIAG_TRANSLATION_MISSING));
	evaluation_free(&ev);
	/* Spanish without a translation. */
	e[0].language = "es";
	evaluate(c, "2024-03-14", &ev);
	assert_court_only(&ev, DIAG_TRANSLATION_MISSING);
	assert_int_equal(find(&ev, DIAG_TRANSLATION_MISSING)->step,
	    STEP_DOCUMENTATION);
	evaluation_free(&ev);
	/* The extract too, each its own finding. */
	c->notice.extract.language = "fr";
	evaluate(c, "2024-03-14", &ev);
	assert_int_equal(count(&ev, DIAG_TRANSLATION_MISSING), 2);
	evaluation_free(&ev);
	c->notice.extract.language = NULL;
	/* A translation by a translator the (built-in) policy lacks. */
	e[0].translation = &t;
	evaluate(c, "2024-03-14", &ev);
	assert_non_null(find(&ev, DIAG_TRANSLATION_MISSING));
	assert_int_equal(find(&ev, DIAG_TRANSLATION_MISSING)->line, 99);
	evaluation_free(&ev);
	case_free(c);
}

/* A translator the policy lists, with and without address and phone. */
static void
test_translation_translator(void **state)
{
	struct case_doc *c = load();
	struct enclosure *e = (struct enclosure *)c->iw.enclosures;
	struct translation t = { "x-en.pdf", "T1", DATE_NONE, 99 };
	struct policy saved = pol;
	struct policy_translator *pt = &pol.translators[0];
	struct evaluation ev;

	(void)state;
	pol.sample_translator = false;
	pol.ntranslators = 1;
	snprintf(pt->id, sizeof(pt->id), "T1");
	snprintf(pt->name, sizeof(pt->name), "Laura Gomez");
	pt->has_address = true;
	snprintf(pt->address.lines[0], sizeof(pt->address.lines[0]), "1 Main");
	pt->address.nlines = 1;
	snprintf(pt->phone, sizeof(pt->phone), "713-555-0188");
	e[0].language = "es";
	e[0].translation = &t;
	evaluate(c, "2024-03-14", &ev);
	assert_null(find(&ev, DIAG_TRANSLATION_MISSING));
	assert_true(ev.generated & COURT);
	evaluation_free(&ev);
	pt->phone[0] = '\0';
	evaluate(c, "2024-03-14", &ev);
	assert_court_only(&ev, DIAG_TRANSLATION_MISSING);
	evaluation_free(&ev);
	snprintf(pt->phone, sizeof(pt->phone), "713-555-0188");
	pt->has_address = false;
	evaluate(c, "2024-03-14", &ev);
	assert_non_null(find(&ev, DIAG_TRANSLATION_MISSING));
	evaluation_free(&ev);
	pol = saved;
	case_free(c);
}

static void
test_response_not_considered(void **state)
{
	struct case_doc *c = load();
	struct evaluation ev;

	(void)state;
	c->response.considered = false;
	evaluate(c, "2024-03-14", &ev);
	assert_court_only(&ev, DIAG_RESPONSE_NOT_CONSIDERED);
	assert_int_equal(find(&ev, DIAG_RESPONSE_NOT_CONSIDERED)->step,
	    STEP_SUBJECT_NOTICE);
	evaluation_free(&ev);
	case_free(c);
}

/* nextHearing - 15 days is the last day to file: on it, no finding; a
 * day later, a warning that withholds nothing; never when detained. */
static void
test_filing_deadline(void **state)
{
	struct case_doc *c = load();
	struct evaluation ev;

	(void)state;
	c->use.court.detained = false;
	c->use.court.next_hearing = dt("2024-03-29");	/* - 15 = 03-14 */
	assert_false(rules_filing_late(c, dt("2024-03-14")));
	assert_true(rules_filing_late(c, dt("2024-03-15")));
	evaluate(c, "2024-03-14", &ev);
	assert_null(find(&ev, DIAG_FILING_DEADLINE));
	evaluation_free(&ev);
	c->use.court.next_hearing = dt("2024-03-28");
	evaluate(c, "2024-03-14", &ev);
	assert_non_null(find(&ev, DIAG_FILING_DEADLINE));
	assert_int_equal(find(&ev, DIAG_FILING_DEADLINE)->blocks, 0);
	assert_int_equal(diag_severity(DIAG_FILING_DEADLINE),
	    DIAG_SEV_WARNING);
	assert_true(ev.generated & COURT);
	assert_int_equal(ev.status, CASE_COMPLETE);
	evaluation_free(&ev);
	c->use.court.detained = true;
	assert_false(rules_filing_late(c, dt("2024-03-15")));
	c->use.court.detained = false;
	c->use.court.next_hearing = DATE_NONE;
	assert_false(rules_filing_late(c, dt("2024-03-15")));
	case_free(c);
}

/* Open while as-of <= responseDue (equal included) with no response, or
 * while a piece was not issued by an earlier run. */
static void
test_response_period(void **state)
{
	struct case_doc *c = load();
	struct rules_context rc;
	struct evaluation ev;
	int32_t due = dt("2024-04-15");

	(void)state;
	c->response.present = false;
	assert_true(rules_period_open(c, due, due, false));
	assert_true(rules_period_open(c, due - 1, due, false));
	assert_false(rules_period_open(c, due + 1, due, false));
	assert_true(rules_period_open(c, due + 1, due, true));
	assert_false(rules_period_open(c, due + 1, DATE_NONE, false));
	c->response.present = true;
	assert_false(rules_period_open(c, due, due, true));
	c->response.present = false;

	/* The step after the mail pieces: the submission alone, the
	 * deadline the pieces print kept. */
	memset(&rc, 0, sizeof(rc));
	rc.policy = &pol;
	rc.as_of = dt("2024-03-14");
	rules_evaluate(c, &rc, &ev);
	assert_true(ev.generated & COURT);
	ev.response_due = due;
	rules_response_period(c, &rc, &ev, false);
	assert_court_only(&ev, DIAG_RESPONSE_PERIOD_OPEN);
	assert_int_equal(ev.response_due, due);
	evaluation_free(&ev);
	/* A day after the deadline, under a policy that still counts the
	 * verification, so that the notice is still generated. */
	pol.verification_max_age_days = 365;
	rc.as_of = due + 1;
	rules_evaluate(c, &rc, &ev);
	assert_true(ev.generated & COURT);
	ev.response_due = due;
	rules_response_period(c, &rc, &ev, false);
	assert_null(find(&ev, DIAG_RESPONSE_PERIOD_OPEN));
	rules_response_period(c, &rc, &ev, true);
	assert_non_null(find(&ev, DIAG_RESPONSE_PERIOD_OPEN));
	evaluation_free(&ev);
	policy_defaults(&pol);
	case_free(c);
}

/* ------------------------------------------------------------------ */

static void
test_letters(void **state)
{
	char l[4];

	(void)state;
	court_letter(0, l);
	assert_string_equal(l, "A");
	court_letter(25, l);
	assert_string_equal(l, "Z");
	court_letter(26, l);
	assert_string_equal(l, "AA");
	court_letter(27, l);
	assert_string_equal(l, "AB");
	court_letter(51, l);
	assert_string_equal(l, "AZ");
}

/* The extract first, then each document with a file, lettered. */
static void
test_exhibits(void **state)
{
	struct case_doc *c = load();
	struct court_exhibit x[COURT_MAX_EXHIBITS];
	size_t n;

	(void)state;
	n = court_exhibits(c, x);
	assert_int_equal(n, 2);
	assert_true(x[0].is_extract);
	assert_string_equal(x[0].letter, "A");
	assert_non_null(strstr(x[0].title, "A-1234/5-2023"));
	assert_false(x[1].is_extract);
	assert_string_equal(x[1].letter, "B");
	assert_string_equal(x[1].title, c->iw.enclosures[0].title);
	c->notice.extract.present = false;
	n = court_exhibits(c, x);
	assert_int_equal(n, 1);
	assert_string_equal(x[0].letter, "A");
	assert_false(x[0].is_extract);
	case_free(c);
}

/* Pages: front matter, each exhibit with its translation and
 * certificate inside its range, then the proof of service. */
static void
test_plan(void **state)
{
	struct court_exhibit x[3];
	struct court_plan p = { 2, 1, 0, 0 };

	(void)state;
	memset(x, 0, sizeof(x));
	x[0].doc_pages = 1;
	x[1].doc_pages = 3;
	x[1].tr_pages = 2;
	x[1].cert_pages = 1;
	x[2].doc_pages = 12;
	court_plan(&p, x, 3);
	assert_int_equal(x[0].first, 3);
	assert_int_equal(x[0].last, 3);
	assert_int_equal(x[1].first, 4);
	assert_int_equal(x[1].tr_first, 7);
	assert_int_equal(x[1].cert_first, 9);
	assert_int_equal(x[1].last, 9);
	assert_int_equal(x[2].first, 10);
	assert_int_equal(x[2].last, 21);
	assert_int_equal(p.proof_first, 22);
	assert_int_equal(p.total, 22);
	p.front = 3;
	p.proof = 2;
	court_plan(&p, x, 3);
	assert_int_equal(x[0].first, 4);
	assert_int_equal(p.proof_first, 23);
	assert_int_equal(p.total, 24);
	court_plan(&p, x, 0);
	assert_int_equal(p.proof_first, 4);
	assert_int_equal(p.total, 5);
}

/* Parts of whole units, each at most the limit unless one unit alone
 * is larger; exactly the limit still fits. */
static void
test_split(void **state)
{
	size_t first[COURT_MAX_PARTS + 1];
	size_t a[] = { 10, 40, 50, 30, 20 };
	size_t b[] = { 10, 200, 10 };
	size_t k;

	(void)state;
	k = court_split(a, 5, 1000, first);
	assert_int_equal(k, 1);
	assert_int_equal(first[0], 0);
	k = court_split(a, 5, 100, first);
	assert_int_equal(k, 2);		/* 10+40+50 = 100 | 30+20 */
	assert_int_equal(first[1], 3);
	k = court_split(a, 5, 99, first);
	assert_int_equal(k, 3);		/* 10+40 | 50+30 | 20 */
	assert_int_equal(first[1], 2);
	assert_int_equal(first[2], 4);
	k = court_split(b, 3, 100, first);
	assert_int_equal(k, 3);		/* the large unit alone */
	assert_int_equal(first[1], 1);
	assert_int_equal(first[2], 2);
}

static int
setup(void **state)
{
	char *err = NULL;

	(void)state;
	intake_init();
	policy_defaults(&pol);
	in = intake_new("schema/case-1.xsd", &err);
	if (in == NULL) {
		fprintf(stderr, "%s\n", err);
		free(err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	intake_free(in);
	intake_cleanup();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_generates),
		cmocka_unit_test(test_only_with_court),
		cmocka_unit_test(test_a_number_missing),
		cmocka_unit_test(test_exhibit_missing),
		cmocka_unit_test(test_translation_missing),
		cmocka_unit_test(test_translation_translator),
		cmocka_unit_test(test_response_not_considered),
		cmocka_unit_test(test_filing_deadline),
		cmocka_unit_test(test_response_period),
		cmocka_unit_test(test_letters),
		cmocka_unit_test(test_exhibits),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_split),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
