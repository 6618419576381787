/*
 * test_encset.c - cmocka tests for encset.c: a case's enclosures opened
 * in order and numbered, each fault a finding on its element's line, the
 * case's page limit with translations counted, and the documents root.
 * The cases are samples/enclosures.xml and its siblings.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rnpack/buf.h"
#include "rnpack/case.h"
#include "rnpack/date.h"
#include "rnpack/diag.h"
#include "rnpack/enclosure.h"
#include "rnpack/encset.h"
#include "rnpack/intake.h"
#include "rnpack/layout.h"
#include "rnpack/policy.h"

static struct intake *in;

static double
fake_width(void *ctx, unsigned style, double size, const char *text)
{
	(void)ctx;
	(void)style;
	return size * 0.5 * (double)strlen(text);
}

static int
setup(void **state)
{
	char *err = NULL;

	(void)state;
	intake_init();
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
	return 0;
}

static struct case_doc *
load(const char *path)
{
	struct load_error err;
	struct case_doc *c = intake_load_case(in, path,
	    date_from_ymd(2024, 3, 14), &err);

	if (c == NULL)
		fail_msg("%s: %s", path, err.message);
	return c;
}

/* The line of the first line of path holding needle. */
static unsigned
line_of(const char *path, const char *needle)
{
	char b[4096];
	unsigned n = 0;
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	while (fgets(b, sizeof(b), f) != NULL) {
		n++;
		if (strstr(b, needle) != NULL)
			break;
	}
	fclose(f);
	return n;
}

static void
test_in_order(void **state)
{
	struct case_doc *c = load("samples/enclosures.xml");
	struct policy p;
	struct findings f;
	struct encset s;

	(void)state;
	policy_defaults(&p);
	findings_init(&f);
	encset_check(&s, c, &p, &f);
	assert_int_equal(f.n, 0);
	assert_true(s.ok);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.numbered, 2);
	assert_int_equal(s.pages, 3);
	assert_string_equal(s.v[0].title, "Judgment of the Criminal Court");
	assert_int_equal(s.v[0].k, 1);
	assert_int_equal(encl_pages(s.v[0].e), 2);
	assert_string_equal(encl_type(s.v[1].e), "JPEG");
	assert_int_equal(s.v[1].k, 2);
	assert_false(s.v[1].translation);
	{
		/* One carrier per page, stamped for its document. */
		struct measure m = { NULL, fake_width, 0.8, 0.2, 0 };
		struct ldoc *d = calloc(1, sizeof(*d));
		struct buf pdf = BUF_INIT;
		char *err = NULL;

		encset_carriers(&s, d, &m, c->id);
		assert_int_equal(d->npages, 3);
		assert_string_equal(d->pages[1].items[1].text,
		    "Enclosure 1 of 2");
		assert_string_equal(d->pages[1].items[2].text, "page 2 of 2");
		assert_string_equal(d->pages[2].items[1].text,
		    "Enclosure 2 of 2");
		assert_string_equal(d->pages[2].items[0].text, c->id);
		ldoc_free(d);
		/* Not a PDF: refused, left as it was. */
		buf_adds(&pdf, "not a PDF");
		assert_false(encset_fill(&s, 0, 0, &pdf, &err));
		assert_non_null(err);
		assert_string_equal(pdf.ptr, "not a PDF");
		free(err);
		buf_free(&pdf);
	}
	encset_free(&s);
	findings_free(&f);
	case_free(c);
}

static void
expect_one(const char *path, const struct policy *p, enum diag_code code,
    const char *needle, const char *says)
{
	struct case_doc *c = load(path);
	struct findings f;
	struct encset s;

	findings_init(&f);
	encset_check(&s, c, p, &f);
	assert_false(s.ok);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].code, code);
	assert_int_equal(f.v[0].step, STEP_DOCUMENTATION);
	assert_true(f.v[0].blocks & DOC_BIT(DOC_NOTICE));
	assert_int_equal(f.v[0].line, line_of(path, needle));
	if (strstr(f.v[0].message, says) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", f.v[0].message, says);
	encset_free(&s);
	findings_free(&f);
	case_free(c);
}

static void
test_faults(void **state)
{
	struct policy p;

	(void)state;
	policy_defaults(&p);
	expect_one("samples/enclosure-missing.xml", &p,
	    DIAG_ENCLOSURE_MISSING, "file=\"documents/warrant-jc5.pdf",
	    "no such file");
	expect_one("samples/enclosure-mismatch.xml", &p,
	    DIAG_ENCLOSURE_MISMATCH, "file=\"documents/judgment.pdf",
	    "has 2 pages, not the 3");
	expect_one("samples/enclosure-unreadable.xml", &p,
	    DIAG_ENCLOSURE_UNREADABLE, "file=\"documents/notes.pdf",
	    "not a PDF, JPEG or PNG");
	/* The case's pages: 2 + 1 over 2, met on the second file. */
	p.max_pages_per_case = 2;
	expect_one("samples/enclosures.xml", &p, DIAG_ENCLOSURE_UNREADABLE,
	    "warrant-scan.jpg", "maxPagesPerCase");
	/* Bytes: a limit of the smaller file's size leaves the larger. */
	{
		struct stat a, b;

		assert_int_equal(stat("samples/documents/judgment.pdf", &a), 0);
		assert_int_equal(stat("samples/documents/warrant-scan.jpg",
		    &b), 0);
		assert_int_not_equal(a.st_size, b.st_size);
		policy_defaults(&p);
		p.max_file_bytes = a.st_size < b.st_size ? a.st_size :
		    b.st_size;
		expect_one("samples/enclosures.xml", &p,
		    DIAG_ENCLOSURE_UNREADABLE, a.st_size < b.st_size ?
		    "warrant-scan.jpg\"" : "judgment.pdf\"", "maxFileBytes");
	}
	/* The policy's root replaces the case file's folder. */
	policy_defaults(&p);
	snprintf(p.documents_root, sizeof(p.documents_root), "samples/policy");
	{
		struct case_doc *c = load("samples/enclosures.xml");
		struct findings f;
		struct encset s;

		findings_init(&f);
		encset_check(&s, c, &p, &f);
		assert_int_equal(f.n, 2);
		assert_int_equal(f.v[0].code, DIAG_ENCLOSURE_MISSING);
		assert_int_equal(f.v[1].code, DIAG_ENCLOSURE_MISSING);
		encset_free(&s);
		findings_free(&f);
		case_free(c);
	}
}

/* The extract first, each followed by its translation. */
static void
test_extract_and_translations(void **state)
{
	struct case_doc *c = load("samples/rev2-complete.xml");
	struct policy p;
	struct findings f;
	struct encset s;

	(void)state;
	policy_defaults(&p);
	findings_init(&f);
	encset_check(&s, c, &p, &f);
	assert_int_equal(f.n, 0);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.numbered, 2);
	assert_string_equal(s.v[0].title, "Notice extract");
	assert_false(s.v[0].translation);
	assert_true(s.v[1].translation);
	assert_int_equal(s.v[1].k, 1);
	assert_int_equal(s.v[2].k, 2);
	assert_true(s.v[3].translation);
	assert_int_equal(s.v[3].k, 2);
	encset_free(&s);
	findings_free(&f);
	case_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_extract_and_translations),
	};

	return cmocka_run_group_tests_name("encset", tests, setup, teardown);
}
