/*
 * test_htmlindex.c - the run's index page: totals, findings by code,
 * one row per input with its links, everything escaped, same bytes
 * every time.
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
#include "rnpack/htmlindex.h"

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

struct fixture {
	struct findings	f1, f2, f3;
	struct index_entry v[3];
};

static int
setup(void **state)
{
	static const char *const pieces[] = { "mail-subject.pdf",
		"mail-counsel.pdf" };
	struct fixture *x = calloc(1, sizeof(*x));

	findings_init(&x->f1);
	findings_init(&x->f2);
	findings_init(&x->f3);
	findings_add(&x->f1, DIAG_SAMPLE_OFFICE, 0, "Sample office.");
	findings_add(&x->f2, DIAG_APPROVAL_PENDING, 40, "Pending <since> "
	    "\"Monday\" & 'so on'.");
	findings_add(&x->f2, DIAG_SAMPLE_OFFICE, 0, "Sample office.");
	findings_add(&x->f3, DIAG_INVALID_INPUT, 7, "<script>alert(1)"
	    "</script> is not a date");
	x->v[0] = (struct index_entry){ "cases/a.xml", "HOU-1",
	    CASE_COMPLETE, &x->f1, true, true, pieces, 2 };
	x->v[1] = (struct index_entry){ "cases/b&c.xml", "HOU-2",
	    CASE_PARTIAL, &x->f2, true, true, NULL, 0 };
	x->v[2] = (struct index_entry){ "cases/bad.xml", NULL,
	    CASE_INVALID, &x->f3, false, false, NULL, 0 };
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *x = *state;

	findings_free(&x->f1);
	findings_free(&x->f2);
	findings_free(&x->f3);
	free(x);
	return 0;
}

static char *
page(struct fixture *x)
{
	struct buf b = BUF_INIT;

	htmlindex_write(&b, "rnpack run as of 2024-03-14", x->v, 3);
	return buf_detach(&b);
}

static void
test_totals_and_codes(void **state)
{
	char *p = page(*state);

	assert_non_null(strstr(p, "<th scope=\"row\" class=\"complete\">"
	    "complete</th><td class=\"num\">1</td>"));
	assert_non_null(strstr(p, "<th scope=\"row\" class=\"partial\">"
	    "partial</th><td class=\"num\">1</td>"));
	assert_non_null(strstr(p, "<th scope=\"row\" class=\"blocked\">"
	    "blocked</th><td class=\"num\">0</td>"));
	assert_non_null(strstr(p, "<th scope=\"row\">all inputs</th>"
	    "<td class=\"num\">3</td>"));
	/* sample-office: 2 inputs, 2 findings, a warning */
	assert_non_null(strstr(p, "<code>sample-office</code></th>"
	    "<td class=\"warning\">warning</td><td class=\"num\">2</td>"
	    "<td class=\"num\">2</td>"));
	assert_non_null(strstr(p, "<code>invalid-input</code></th>"
	    "<td class=\"error\">error</td>"));
	/* headers for every table, a language, a title */
	assert_non_null(strstr(p, "<html lang=\"en\">"));
	assert_non_null(strstr(p, "<title>rnpack run as of 2024-03-14"
	    "</title>"));
	assert_int_equal(count(p, "<caption>"), 3);
	free(p);
}

static void
test_rows_links_and_escaping(void **state)
{
	char *p = page(*state);

	assert_int_equal(count(p, "<tr data-status="), 3);
	assert_non_null(strstr(p, "<a href=\"HOU-1/packet.pdf\">"));
	assert_non_null(strstr(p, "<a href=\"HOU-1/report.json\">"));
	assert_non_null(strstr(p, "<a href=\"HOU-1/mail-counsel.pdf\">"));
	assert_null(strstr(p, "HOU-2/mail-"));
	/* the invalid input links to nothing */
	assert_int_equal(count(p, "/report.json\">"), 2);
	assert_non_null(strstr(p, "cases/b&amp;c.xml"));
	assert_non_null(strstr(p, "Pending &lt;since&gt; &quot;Monday&quot; "
	    "&amp; &#39;so on&#39;."));
	assert_non_null(strstr(p, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_int_equal(count(p, "<script>"), 1);	/* ours only */
	assert_non_null(strstr(p, "(line 40)"));
	free(p);
}

static void
test_same_bytes(void **state)
{
	char *a = page(*state), *b = page(*state);

	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void
test_empty_run(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	htmlindex_write(&b, "empty", NULL, 0);
	assert_non_null(strstr(b.ptr, "<p>No findings.</p>"));
	assert_non_null(strstr(b.ptr, "<th scope=\"row\">all inputs</th>"
	    "<td class=\"num\">0</td>"));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_totals_and_codes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rows_links_and_escaping,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_bytes, setup,
		    teardown),
		cmocka_unit_test(test_empty_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
