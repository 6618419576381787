/*
 * test_blankpage.c - the text of a print file's blank pages
 * (blankpage.h): characters to codes through a ToUnicode CMap (one- and
 * two-byte codes, bfchar, bfrange with a start and with an array), a
 * character the CMap lacks, Helvetica's literal strings, the content
 * stream.  The CMaps are written here in the form render_pdf.c writes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "rnpack/blankpage.h"
#include "rnpack/buf.h"

static void
assert_codes(const char *cmap, const char *text, const char *want)
{
	struct buf b = BUF_INIT;

	assert_true(blankpage_codes(cmap, strlen(cmap), text, &b));
	assert_string_equal(b.ptr, want);
	buf_free(&b);
}

/* One-byte codes as render_pdf.c's ToUnicode gives them: ranges. */
static void
test_one_byte_ranges(void **state)
{
	static const char cmap[] = "/CIDInit /ProcSet findresource begin\n"
	    "begincmap\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
	    "3 beginbfrange\n<01> <01> <0054>\n<02> <04> <0068>\n"
	    "<05> <06> [<0020> <0073>]\nendbfrange\nendcmap\n";

	(void)state;
	/* T=01, h=02, i=03, j=04, space=05, s=06. */
	assert_codes(cmap, "This", "<01020306>");
	assert_codes(cmap, "hi s", "<02030506>");
	assert_codes(cmap, "", "<>");
}

/* Two-byte codes and bfchar entries; a non-ASCII character. */
static void
test_two_byte_chars(void **state)
{
	static const char cmap[] = "begincmap\n1 begincodespacerange\n"
	    "<0000> <FFFF>\nendcodespacerange\n2 beginbfchar\n"
	    "<0102> <0041>\n<0A0B> <00E9>\nendbfchar\nendcmap\n";

	(void)state;
	assert_codes(cmap, "A\xC3\xA9" "A", "<01020A0B0102>");
}

/* A character without a code: false, out left as it was. */
static void
test_missing_character(void **state)
{
	static const char cmap[] = "begincmap\n1 begincodespacerange\n"
	    "<00> <FF>\nendcodespacerange\n1 beginbfrange\n"
	    "<41> <5A> <0041>\nendbfrange\nendcmap\n";
	struct buf b = BUF_INIT;

	(void)state;
	buf_adds(&b, "kept");
	assert_false(blankpage_codes(cmap, strlen(cmap), "ABc", &b));
	assert_string_equal(b.ptr, "kept");
	/* No codespace range: no width, nothing encodes. */
	assert_false(blankpage_codes("beginbfchar\n<41> <0041>\nendbfchar",
	    34, "A", &b));
	assert_string_equal(b.ptr, "kept");
	buf_free(&b);
}

static void
test_literal_and_stream(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	blankpage_literal("a(b)c\\d\xC3\xA9", &b);
	assert_string_equal(b.ptr, "(a\\(b\\)c\\\\d?" "?)");
	buf_reset(&b);
	blankpage_stream("<0102>", "(ID-1)", &b);
	assert_string_equal(b.ptr, "BT\n/F1 7 Tf\n72 396 Td\n<0102> Tj\n"
	    "0 -9.1 Td\n(ID-1) Tj\nET\n");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_byte_ranges),
		cmocka_unit_test(test_two_byte_chars),
		cmocka_unit_test(test_missing_character),
		cmocka_unit_test(test_literal_and_stream),
	};

	return cmocka_run_group_tests_name("blankpage", tests, NULL, NULL);
}
