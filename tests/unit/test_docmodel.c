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
	assert_int_equal(tval_date(tval_path(t, "result.responseDue")),
	    date_from_ymd(2024, 4, 15));
	assert_true(tval_bool(tval_path(t, "office.sample")));
	assert_true(tval_truthy(tval_path(t, "subject.address.lastLine")));
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);
}

/* A policy of two offices and two translators, as a policy file gives. */
static void
two_offices(struct policy *p)
{
	policy_defaults(p);
	p->sample_office = false;
	p->noffices = 2;
	for (int i = 0; i < 2; i++) {
		struct policy_office *o = &p->offices[i];

		memset(o, 0, sizeof(*o));
		snprintf(o->code, sizeof(o->code), i ? "ERO-MIA" : "ERO-HOU");
		snprintf(o->name, sizeof(o->name), "ICE");
		snprintf(o->unit, sizeof(o->unit), i ? "ERO Miami" :
		    "ERO Houston");
		o->address.nlines = 1;
		snprintf(o->address.lines[0], POLICY_TEXT, i ?
		    "865 SW 78th Ave" : "126 Northpoint Dr");
		snprintf(o->address.city, POLICY_TEXT, i ? "Plantation" :
		    "Houston");
		snprintf(o->address.state, sizeof(o->address.state), i ? "FL" :
		    "TX");
		snprintf(o->address.postal_code, sizeof(o->address.postal_code),
		    i ? "33324" : "77060");
	}
	p->sample_translator = false;
	p->ntranslators = 2;
	memset(p->translators, 0, 2 * sizeof(p->translators[0]));
	snprintf(p->translators[0].id, POLICY_CODE, "T1");
	snprintf(p->translators[0].name, POLICY_TEXT, "Laura Gómez");
	snprintf(p->translators[0].qualification, POLICY_TEXT, "Certified");
	snprintf(p->translators[0].phone, 64, "281-555-0199");
	p->translators[0].has_address = true;
	p->translators[0].address.nlines = 1;
	snprintf(p->translators[0].address.lines[0], POLICY_TEXT, "1 Main St");
	snprintf(p->translators[0].address.city, POLICY_TEXT, "Houston");
	snprintf(p->translators[0].address.state, 8, "TX");
	snprintf(p->translators[0].address.postal_code, 32, "77002");
	snprintf(p->translators[1].id, POLICY_CODE, "T2");
	snprintf(p->translators[1].name, POLICY_TEXT, "Jean Petit");
	snprintf(p->translators[1].qualification, POLICY_TEXT, "Sworn");
}

/* The case's office code chooses the office; translators are listed. */
static void
test_office_and_translators(void **state)
{
	struct case_doc *c;
	struct evaluation ev;
	struct policy p;
	struct tval *t = build("samples/complete-red-notice.xml", &c, &ev);
	const struct tval *l;

	(void)state;
	tval_free(t);
	two_offices(&p);
	c->officer.office_code = "ERO-MIA";
	t = docmodel_build(c, &ev, &p, date_from_ymd(2024, 3, 14),
	    ev.generated);
	walk(t, "");
	assert_string_equal(tval_str(tval_path(t, "office.code")), "ERO-MIA");
	assert_string_equal(tval_str(tval_path(t, "office.unit")), "ERO Miami");
	assert_string_equal(tval_str(tval_path(t, "office.address.lastLine")),
	    "Plantation, FL 33324");
	assert_false(tval_bool(tval_path(t, "office.sample")));
	assert_string_equal(tval_str(tval_path(t, "translator.id")), "T1");
	assert_string_equal(tval_str(tval_path(t, "translator.phone")),
	    "281-555-0199");
	assert_string_equal(tval_str(tval_path(t,
	    "translator.address.lastLine")), "Houston, TX 77002");
	assert_false(tval_bool(tval_path(t, "translator.sample")));
	l = tval_path(t, "translators");
	assert_int_equal(tval_len(l), 2);
	assert_string_equal(tval_str(tval_child(tval_at(l, 1), "name")),
	    "Jean Petit");
	assert_false(tval_truthy(tval_child(tval_at(l, 1), "address")));
	tval_free(t);

	c->officer.office_code = "ERO-HOU";
	t = docmodel_build(c, &ev, &p, date_from_ymd(2024, 3, 14),
	    ev.generated);
	assert_string_equal(tval_str(tval_path(t, "office.unit")),
	    "ERO Houston");
	tval_free(t);

	/* The built-in sample translator is no translator to list. */
	policy_defaults(&p);
	t = docmodel_build(c, &ev, &p, date_from_ymd(2024, 3, 14),
	    ev.generated);
	assert_int_equal(tval_len(tval_path(t, "translators")), 0);
	assert_true(tval_bool(tval_path(t, "translator.sample")));
	assert_false(tval_truthy(tval_path(t, "office.code")));
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
		cmocka_unit_test(test_office_and_translators),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
