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
	/* by mail: 2024-03-14 + 30 + 3 days */
	assert_int_equal(tval_date(tval_path(t, "result.responseDue")),
	    date_from_ymd(2024, 4, 16));
	assert_true(tval_bool(tval_path(t, "office.sample")));
	assert_true(tval_truthy(tval_path(t, "subject.address.lastLine")));
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
