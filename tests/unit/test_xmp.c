/*
 * test_xmp.c - cmocka tests for xmp.c: the XMP packet holds the values
 * it is given, escaped, the PDF/A and PDF/UA identifiers with the
 * PDF/UA schema declared, and leaves out what is absent.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "rnpack/buf.h"
#include "rnpack/date.h"
#include "rnpack/xmp.h"

static struct xmp_meta
meta(void)
{
	struct xmp_meta m;

	memset(&m, 0, sizeof(m));
	m.title = "Packet A & B <1>";
	m.author = "Office \"Houston\"";
	m.subject = "Sujeto: notificaci\xc3\xb3n";
	m.keywords = "HOU-2024-00017";
	m.creator_tool = "rnpack 0.1.0";
	m.producer = "Haru Free PDF Library 2.3.0";
	m.date = date_from_ymd(2024, 3, 14);
	return m;
}

static void
test_values_escaped(void **state)
{
	struct xmp_meta m = meta();
	struct buf b = BUF_INIT;

	(void)state;
	xmp_write(&b, &m);
	assert_non_null(strstr(b.ptr, "<dc:title><rdf:Alt><rdf:li "
	    "xml:lang=\"x-default\">Packet A &amp; B &lt;1&gt;</rdf:li>"));
	assert_non_null(strstr(b.ptr, "<dc:creator><rdf:Seq><rdf:li>Office "
	    "&quot;Houston&quot;</rdf:li></rdf:Seq>"));
	assert_non_null(strstr(b.ptr, "Sujeto: notificaci\xc3\xb3n"));
	assert_non_null(strstr(b.ptr,
	    "<pdf:Keywords>HOU-2024-00017</pdf:Keywords>"));
	assert_non_null(strstr(b.ptr,
	    "<pdf:Producer>Haru Free PDF Library 2.3.0</pdf:Producer>"));
	assert_non_null(strstr(b.ptr,
	    "<xmp:CreatorTool>rnpack 0.1.0</xmp:CreatorTool>"));
	assert_non_null(strstr(b.ptr,
	    "<xmp:CreateDate>2024-03-14T00:00:00+00:00</xmp:CreateDate>"));
	assert_non_null(strstr(b.ptr,
	    "<xmp:ModifyDate>2024-03-14T00:00:00+00:00</xmp:ModifyDate>"));
	assert_null(strstr(b.ptr, "A & B"));
	buf_free(&b);
}

static void
test_identifiers(void **state)
{
	struct xmp_meta m = meta();
	struct buf b = BUF_INIT;
	const char *schema, *ua;

	(void)state;
	xmp_write(&b, &m);
	assert_non_null(strstr(b.ptr, "<pdfaid:part>1</pdfaid:part>"));
	assert_non_null(strstr(b.ptr,
	    "<pdfaid:conformance>B</pdfaid:conformance>"));
	ua = strstr(b.ptr, "<pdfuaid:part>1</pdfuaid:part>");
	assert_non_null(ua);
	/* PDF/A-1 knows no pdfuaid: the schema is declared. */
	schema = strstr(b.ptr, "<pdfaSchema:namespaceURI>"
	    "http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>");
	assert_non_null(schema);
	assert_non_null(strstr(schema, "<pdfaProperty:name>part<"));
	assert_non_null(strstr(schema, "<pdfaProperty:valueType>Integer<"));
	/* A packet wrapper, begin with U+FEFF, read-only end. */
	assert_memory_equal(b.ptr, "<?xpacket begin=\"\xef\xbb\xbf\"", 19);
	assert_non_null(strstr(b.ptr, "<?xpacket end=\"r\"?>"));
	buf_free(&b);
}

static void
test_absent_left_out(void **state)
{
	struct xmp_meta m = meta();
	struct buf b = BUF_INIT;

	(void)state;
	m.keywords = "";
	m.subject = NULL;
	xmp_write(&b, &m);
	assert_null(strstr(b.ptr, "Keywords"));
	assert_null(strstr(b.ptr, "dc:description"));
	buf_free(&b);
}

static void
test_controls_dropped_and_same_bytes(void **state)
{
	struct xmp_meta m = meta();
	struct buf a = BUF_INIT, b = BUF_INIT;

	(void)state;
	m.title = "A\x01" "B\tC";
	xmp_write(&a, &m);
	xmp_write(&b, &m);
	assert_non_null(strstr(a.ptr, ">AB\tC<"));
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.ptr, b.ptr, a.len);
	buf_free(&a);
	buf_free(&b);
}

static void
test_date(void **state)
{
	char s[32];

	(void)state;
	xmp_date(s, date_from_ymd(1999, 12, 31));
	assert_string_equal(s, "1999-12-31T00:00:00+00:00");
	xmp_date(s, date_from_ymd(2024, 2, 29));
	assert_string_equal(s, "2024-02-29T00:00:00+00:00");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_escaped),
		cmocka_unit_test(test_identifiers),
		cmocka_unit_test(test_absent_left_out),
		cmocka_unit_test(test_controls_dropped_and_same_bytes),
		cmocka_unit_test(test_date),
	};

	return cmocka_run_group_tests_name("xmp", tests, NULL, NULL);
}
