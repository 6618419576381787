/*
 * test_pdftag.c - cmocka tests for pdftag.c: elements and their kids in
 * order, MCIDs per page with their parent-tree entries, marked content
 * that never nests (one EMC per BDC, a switch closes before it opens),
 * artifacts, the /ActualText Span hooks and language Spans.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "rnpack/buf.h"
#include "rnpack/pdftag.h"

/* Occurrences of needle in s. */
static size_t
count(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* Marked content depth never exceeds one; returns false if it does or
 * if the stream ends with content open. */
static bool
flat(const char *s)
{
	int depth = 0;

	for (const char *p = s; *p != '\0';) {
		const char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);

		if (len >= 3 && (strncmp(p + len - 3, "BDC", 3) == 0 ||
		    strncmp(p + len - 3, "BMC", 3) == 0)) {
			if (++depth > 1)
				return false;
		} else if (len == 3 && strncmp(p, "EMC", 3) == 0 &&
		    --depth < 0)
			return false;
		p += len + (nl != NULL);
	}
	return depth == 0;
}

static void
test_elements_and_kids(void **state)
{
	struct pdftag *t = pdftag_new();
	size_t sect, h, l, li;

	(void)state;
	assert_int_equal(pdftag_count(t), 1);
	assert_string_equal(pdftag_get(t, 1)->role, "Document");
	sect = pdftag_elem(t, "Sect", 1);
	h = pdftag_elem(t, "H1", sect);
	l = pdftag_elem(t, "L", sect);
	li = pdftag_elem(t, "LI", l);
	assert_int_equal(pdftag_count(t), 5);
	assert_int_equal(pdftag_get(t, sect)->nkids, 2);
	assert_int_equal(pdftag_get(t, sect)->kids[0].elem, h);
	assert_int_equal(pdftag_get(t, sect)->kids[1].elem, l);
	assert_int_equal(pdftag_get(t, li)->parent, l);
	pdftag_set(t, sect, PDFTAG_LANG, "es");
	pdftag_set(t, h, PDFTAG_ALT, "x");
	pdftag_set(t, h, PDFTAG_ALT, NULL);
	assert_string_equal(pdftag_get(t, sect)->lang, "es");
	assert_null(pdftag_get(t, h)->alt);
	assert_null(pdftag_get(t, 99));
	pdftag_free(t);
}

static void
test_marks_and_parent_tree(void **state)
{
	struct pdftag *t = pdftag_new();
	struct buf b = BUF_INIT;
	size_t p1, p2, n;
	const size_t *m;

	(void)state;
	p1 = pdftag_elem(t, "P", 1);
	p2 = pdftag_elem(t, "P", 1);
	pdftag_page(t, 0);
	pdftag_mark(t, &b, p1);
	pdftag_mark(t, &b, p1);		/* already open: nothing */
	pdftag_mark(t, &b, 0);		/* an artifact */
	pdftag_mark(t, &b, p2);
	pdftag_end(t, &b);
	assert_string_equal(b.ptr, "/P <</MCID 0>> BDC\nEMC\n"
	    "/Artifact BMC\nEMC\n/P <</MCID 1>> BDC\nEMC\n");
	/* p2 goes on to the next page under MCID 0 there. */
	pdftag_page(t, 1);
	buf_reset(&b);
	pdftag_mark(t, &b, p2);
	pdftag_end(t, &b);
	assert_string_equal(b.ptr, "/P <</MCID 0>> BDC\nEMC\n");
	m = pdftag_page_mcids(t, 0, &n);
	assert_int_equal(n, 2);
	assert_int_equal(m[0], p1);
	assert_int_equal(m[1], p2);
	m = pdftag_page_mcids(t, 1, &n);
	assert_int_equal(n, 1);
	assert_int_equal(m[0], p2);
	assert_int_equal(pdftag_npages(t), 2);
	assert_int_equal(pdftag_get(t, p2)->nkids, 2);
	assert_int_equal(pdftag_get(t, p2)->kids[1].page, 1);
	assert_int_equal(pdftag_get(t, p2)->kids[1].mcid, 0);
	assert_null(pdftag_page_mcids(t, 7, &n));
	assert_int_equal(n, 0);
	buf_free(&b);
	pdftag_free(t);
}

static void
test_actualtext_span(void **state)
{
	struct pdftag *t = pdftag_new();
	struct buf b = BUF_INIT;
	const struct pdftag_elem *e;
	size_t p, span;

	(void)state;
	p = pdftag_elem(t, "P", 1);
	pdftag_page(t, 0);
	pdftag_mark(t, &b, p);
	assert_true(pdftag_span_begin(t, &b, "\xd9\x84\xd8\xa7"));
	/* No Span inside a Span. */
	assert_false(pdftag_span_begin(t, &b, "x"));
	pdftag_span_end(t, &b);
	pdftag_end(t, &b);
	/* The Span's marked content carries the text too (UTF-16BE). */
	assert_string_equal(b.ptr, "/P <</MCID 0>> BDC\nEMC\n"
	    "/Span <</MCID 1 /ActualText <FEFF06440627>>> BDC\nEMC\n"
	    "/P <</MCID 2>> BDC\nEMC\n");
	assert_true(flat(b.ptr));
	e = pdftag_get(t, p);
	assert_int_equal(e->nkids, 3);
	assert_int_equal(e->kids[0].mcid, 0);
	span = e->kids[1].elem;
	assert_true(span != 0);
	assert_string_equal(pdftag_get(t, span)->role, "Span");
	assert_string_equal(pdftag_get(t, span)->actual, "\xd9\x84\xd8\xa7");
	assert_int_equal(pdftag_get(t, span)->kids[0].mcid, 1);
	assert_int_equal(e->kids[2].mcid, 2);
	/* Over an artifact there is no Span. */
	buf_reset(&b);
	pdftag_mark(t, &b, 0);
	assert_false(pdftag_span_begin(t, &b, "x"));
	pdftag_span_end(t, &b);		/* nothing open: nothing */
	pdftag_end(t, &b);
	assert_string_equal(b.ptr, "/Artifact BMC\nEMC\n");
	buf_free(&b);
	pdftag_free(t);
}

static void
test_lang_span(void **state)
{
	struct pdftag *t = pdftag_new();
	struct buf b = BUF_INIT;
	const struct pdftag_elem *e, *s1, *s2, *s3;
	size_t p;
	char lang[] = "es-MX";

	(void)state;
	p = pdftag_elem(t, "P", 1);
	pdftag_page(t, 0);
	pdftag_mark(t, &b, p);
	assert_true(pdftag_lang_begin(t, &b, lang));
	/* A second language span, or one inside it: refused. */
	assert_false(pdftag_lang_begin(t, &b, "ar"));
	/* /ActualText inside the name: a sibling Span with its /Lang. */
	assert_true(pdftag_span_begin(t, &b, "fi"));
	pdftag_span_end(t, &b);
	pdftag_lang_end(t, &b);
	/* The element's own content resumes where the next item marks it. */
	assert_false(pdftag_is_open(t, p));
	pdftag_mark(t, &b, p);
	pdftag_end(t, &b);
	assert_string_equal(b.ptr, "/P <</MCID 0>> BDC\nEMC\n"
	    "/Span <</MCID 1>> BDC\nEMC\n"
	    "/Span <</MCID 2 /ActualText <FEFF00660069>>> BDC\nEMC\n"
	    "/Span <</MCID 3>> BDC\nEMC\n"
	    "/P <</MCID 4>> BDC\nEMC\n");
	assert_true(flat(b.ptr));
	e = pdftag_get(t, p);
	assert_int_equal(e->nkids, 5);
	s1 = pdftag_get(t, e->kids[1].elem);
	s2 = pdftag_get(t, e->kids[2].elem);
	s3 = pdftag_get(t, e->kids[3].elem);
	/* Three sibling Spans under the P, each with its own copy of the
	 * language; only the middle one has /ActualText. */
	lang[0] = 'x';
	assert_string_equal(s1->lang, "es-MX");
	assert_string_equal(s2->lang, "es-MX");
	assert_string_equal(s3->lang, "es-MX");
	assert_null(s1->actual);
	assert_string_equal(s2->actual, "fi");
	assert_null(s3->actual);
	assert_int_equal(s1->parent, p);
	assert_int_equal(s2->parent, p);
	assert_int_equal(s3->parent, p);
	assert_int_equal(e->kids[0].mcid, 0);
	assert_int_equal(e->kids[4].mcid, 4);
	/* Over an artifact, or after an /ActualText Span opened alone,
	 * there is no language span. */
	buf_reset(&b);
	pdftag_mark(t, &b, 0);
	assert_false(pdftag_lang_begin(t, &b, "es"));
	pdftag_mark(t, &b, p);
	assert_true(pdftag_span_begin(t, &b, "x"));
	assert_false(pdftag_lang_begin(t, &b, "es"));
	pdftag_lang_end(t, &b);		/* none open: nothing */
	pdftag_span_end(t, &b);
	pdftag_end(t, &b);
	assert_true(flat(b.ptr));
	buf_free(&b);
	pdftag_free(t);
}

static void
test_never_nested(void **state)
{
	struct pdftag *t = pdftag_new();
	struct buf b = BUF_INIT;
	size_t e[4];

	(void)state;
	for (int i = 0; i < 4; i++)
		e[i] = pdftag_elem(t, "P", 1);
	pdftag_page(t, 0);
	for (int i = 0; i < 40; i++) {
		pdftag_mark(t, &b, (size_t)(i * 7 % 5) < 4 ? e[i * 7 % 5] : 0);
		if (i % 6 == 0 && pdftag_span_begin(t, &b, "a"))
			pdftag_span_end(t, &b);
	}
	pdftag_end(t, &b);
	assert_true(flat(b.ptr));
	assert_false(flat("/P <</MCID 0>> BDC\n/Span <</MCID 1>> BDC\n"
	    "EMC\nEMC\n"));
	assert_int_equal(count(b.ptr, "EMC\n"), count(b.ptr, "BDC\n") +
	    count(b.ptr, "BMC\n"));
	buf_free(&b);
	pdftag_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elements_and_kids),
		cmocka_unit_test(test_marks_and_parent_tree),
		cmocka_unit_test(test_actualtext_span),
		cmocka_unit_test(test_lang_span),
		cmocka_unit_test(test_never_nested),
	};

	return cmocka_run_group_tests_name("pdftag", tests, NULL, NULL);
}
