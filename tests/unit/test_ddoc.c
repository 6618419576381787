/*
 * test_ddoc.c - the document model's runs: adjacent text of one style
 * joins into one run (grown in place), a style change or a counter
 * starts a new one, and the plain text reads them back in order.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "rnpack/ddoc.h"

static void
test_runs_join_by_style(void **state)
{
	struct dinline in = { NULL, 0, 0 };
	char *t;

	(void)state;
	dinline_add(&in, DRUN_TEXT, 0, "Page ");
	dinline_add(&in, DRUN_TEXT, 0, "");
	dinline_add(&in, DRUN_TEXT, 0, "one");
	dinline_add(&in, DRUN_TEXT, DRUN_BOLD, " of");
	dinline_add(&in, DRUN_PAGES, DRUN_BOLD, NULL);
	dinline_add(&in, DRUN_TEXT, DRUN_BOLD, "!");
	assert_int_equal(in.n, 4);
	assert_string_equal(in.v[0].text, "Page one");
	assert_string_equal(in.v[1].text, " of");
	assert_int_equal(in.v[2].kind, DRUN_PAGES);
	assert_null(in.v[2].text);
	assert_string_equal(in.v[3].text, "!");
	t = dinline_text(&in);
	assert_string_equal(t, "Page one of{pages}!");
	free(t);
	dinline_free(&in);
	assert_int_equal(in.n, 0);
}

/* Many short pieces, as a template's text and values come. */
static void
test_long_join(void **state)
{
	struct dinline in = { NULL, 0, 0 };
	char want[3001];

	(void)state;
	for (int i = 0; i < 1000; i++) {
		dinline_add(&in, DRUN_TEXT, DRUN_ITALIC, "ab ");
		memcpy(want + 3 * i, "ab ", 3);
	}
	want[3000] = '\0';
	assert_int_equal(in.n, 1);
	assert_string_equal(in.v[0].text, want);
	dinline_free(&in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runs_join_by_style),
		cmocka_unit_test(test_long_join),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
