/*
 * test_utext.c - Unicode helpers: trimming, character classes of names,
 * NFC, name keys, layout detection, escaping for terminals and reports.
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
#include "rnpack/utext.h"

static void
assert_str_owned(char *got, const char *want)
{
	assert_string_equal(got, want);
	free(got);
}

static void
test_trim_and_collapse(void **state)
{
	(void)state;
	assert_str_owned(utext_trim("  José  "), "José");
	assert_str_owned(utext_trim("\t\n x \r\n"), "x");
	/* NO-BREAK SPACE and IDEOGRAPHIC SPACE are white space too. */
	assert_str_owned(utext_trim("\xC2\xA0" "Ana" "\xE3\x80\x80"), "Ana");
	assert_str_owned(utext_trim("   "), "");
	assert_str_owned(utext_collapse("  Maria \n\t Chen  "), "Maria Chen");
}

static void
test_length_counts_code_points(void **state)
{
	(void)state;
	assert_int_equal(utext_length("Núñez"), 5);
	assert_int_equal(utext_length("Nguyễn"), 6);
	assert_int_equal(utext_length(""), 0);
}

static void
test_name_rules(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(utext_check("Ramírez Núñez", UTEXT_NAME, &cp),
	    UTEXT_OK);
	assert_int_equal(utext_check("O'Brien-Smith (Jr.) & Co", UTEXT_NAME,
	    &cp), UTEXT_OK);
	assert_int_equal(utext_check("Παπαδόπουλος", UTEXT_NAME, &cp),
	    UTEXT_OK);
	assert_int_equal(utext_check("Иванов", UTEXT_NAME, &cp), UTEXT_OK);
	assert_int_equal(utext_check("a\tb", UTEXT_NAME, &cp),
	    UTEXT_LINE_BREAK);
	assert_int_equal(utext_check("a\nb", UTEXT_NAME, &cp),
	    UTEXT_LINE_BREAK);
	assert_int_equal(utext_check("a\xC2\x85" "b", UTEXT_NAME, &cp),
	    UTEXT_CONTROL);
	assert_int_equal(cp, 0x85);
	assert_int_equal(utext_check("a\xE2\x80\xAE" "b", UTEXT_NAME, &cp),
	    UTEXT_FORMAT);
	assert_int_equal(cp, 0x202E);
	assert_int_equal(utext_check("a\xE2\x80\x8B" "b", UTEXT_NAME, &cp),
	    UTEXT_FORMAT);	/* zero-width space */
	assert_int_equal(utext_check("a\xEE\x80\x80", UTEXT_NAME, &cp),
	    UTEXT_PRIVATE_USE);
	assert_int_equal(utext_check("a\xF0\x9F\x98\x80", UTEXT_NAME, &cp),
	    UTEXT_PICTOGRAPH);
	assert_int_equal(utext_check("\xE2\x9C\x88", UTEXT_NAME, &cp),
	    UTEXT_PICTOGRAPH);	/* airplane dingbat */
	assert_int_equal(utext_check("a\xEF\xBF\xBE", UTEXT_NAME, &cp),
	    UTEXT_UNASSIGNED);	/* U+FFFE noncharacter */
	assert_int_equal(utext_check("a\xCD\xB8", UTEXT_NAME, &cp),
	    UTEXT_UNASSIGNED);	/* U+0378 unassigned */
	assert_int_equal(utext_check("a\xFF", UTEXT_NAME, &cp),
	    UTEXT_BAD_UTF8);
}

/* ZWNJ/ZWJ: only directly between two letters of one script, in names. */
static void
test_name_joiners(void **state)
{
	uint32_t cp = 0;

	(void)state;
	/* Persian: meh + ZWNJ + resh; Arabic letter with a mark before it */
	assert_int_equal(utext_check("\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xB1",
	    UTEXT_NAME, &cp), UTEXT_OK);
	assert_int_equal(utext_check("\xD9\x85\xD9\x8E\xE2\x80\x8C\xD8\xB1",
	    UTEXT_NAME, &cp), UTEXT_OK);
	/* Sinhala: virama + ZWJ + ra */
	assert_int_equal(utext_check("\xE0\xB7\x81\xE0\xB7\x8A\xE2\x80\x8D"
	    "\xE0\xB6\xBB", UTEXT_NAME, &cp), UTEXT_OK);
	/* across scripts, at the ends, by a space or digit, doubled */
	assert_int_equal(utext_check("a\xE2\x80\x8C\xD8\xB1", UTEXT_NAME, &cp),
	    UTEXT_FORMAT);
	assert_int_equal(cp, 0x200C);
	assert_int_equal(utext_check("\xE2\x80\x8D" "ab", UTEXT_NAME, &cp),
	    UTEXT_FORMAT);
	assert_int_equal(utext_check("ab\xE2\x80\x8D", UTEXT_NAME, &cp),
	    UTEXT_FORMAT);
	assert_int_equal(utext_check("a \xE2\x80\x8D" "b", UTEXT_NAME, &cp),
	    UTEXT_FORMAT);
	assert_int_equal(utext_check("a1\xE2\x80\x8D" "2b", UTEXT_NAME, &cp),
	    UTEXT_FORMAT);
	assert_int_equal(utext_check("a\xE2\x80\x8C\xE2\x80\x8D" "b",
	    UTEXT_NAME, &cp), UTEXT_FORMAT);
	/* other format characters stay out even between letters */
	assert_int_equal(utext_check("a\xE2\x80\x8B" "b", UTEXT_NAME, &cp),
	    UTEXT_FORMAT);
	assert_int_equal(utext_check("a\xE2\x81\xA0" "b", UTEXT_NAME, &cp),
	    UTEXT_FORMAT);
	/* outside names the rules do not look at format characters */
	assert_int_equal(utext_check("a \xE2\x80\x8C", UTEXT_ONE_LINE, &cp),
	    UTEXT_OK);
}

static void
test_free_text_rules(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(utext_check("line one\nline two\tend",
	    UTEXT_FREE_TEXT, &cp), UTEXT_OK);
	assert_int_equal(utext_check("bell\x07", UTEXT_FREE_TEXT, &cp),
	    UTEXT_CONTROL);
	assert_int_equal(utext_check("del\x7F", UTEXT_FREE_TEXT, &cp),
	    UTEXT_CONTROL);
	assert_int_equal(utext_check("a\nb", UTEXT_ONE_LINE, &cp),
	    UTEXT_LINE_BREAK);
}

static void
test_nfc(void **state)
{
	(void)state;
	/* e + COMBINING ACUTE -> é; e + circumflex + tilde -> ễ */
	assert_str_owned(utext_nfc("Jose\xCC\x81"), "José");
	assert_str_owned(utext_nfc("Nguye\xCC\x82\xCC\x83n"), "Nguyễn");
}

static void
test_name_key(void **state)
{
	char *a, *b;

	(void)state;
	a = utext_name_key("  MARÍA   Chen ");
	b = utext_name_key("mari\xCC\x81" "a chen");
	assert_string_equal(a, b);
	free(a);
	free(b);
	a = utext_name_key("Straße");
	b = utext_name_key("STRASSE");
	assert_string_equal(a, b);	/* full case folding */
	free(a);
	free(b);
	a = utext_name_key("Maria Chen");
	b = utext_name_key("Mario Chen");
	assert_string_not_equal(a, b);
	free(a);
	free(b);
}

static void
test_complex_layout(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_false(utext_needs_complex_layout("Nguyễn Thị Ánh", &cp));
	assert_false(utext_needs_complex_layout("Παπαδόπουλος Иванов", &cp));
	assert_true(utext_needs_complex_layout("محمد", &cp));
	assert_int_equal(cp, 0x0645);
	assert_true(utext_needs_complex_layout("שלום", &cp));
	assert_true(utext_needs_complex_layout("a\xF0\xA0\x80\x80", &cp));
	assert_int_equal(cp, 0x20000);
	assert_true(utext_needs_complex_layout("a\xE2\x80\xAE" "b", &cp));
}

static void
test_quote_makes_text_visible(void **state)
{
	(void)state;
	assert_str_owned(diag_quote("a\xE2\x80\xAE" "b", 100), "aU+202Eb");
	assert_str_owned(diag_quote("bad\xFFz", 100), "bad\\xFFz");
	assert_str_owned(diag_quote("x\ny", 100), "x y");
	assert_str_owned(diag_quote("\x1B[31mred", 100), "U+001B[31mred");
	assert_str_owned(diag_quote("abcdef", 3), "abc...");
	assert_str_owned(diag_quote("José", 100), "José");
}

/* A PDF text string: BOM, UTF-16BE, a surrogate pair above U+FFFF,
 * U+FFFD for a byte that is not UTF-8. */
static void
test_utf16be(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	utext_utf16be(&b, "A\xC3\xA9\xF0\x9F\x98\x80\xFF");
	assert_int_equal(b.len, 12);
	assert_memory_equal(b.ptr, "\xFE\xFF\x00\x41\x00\xE9\xD8\x3D\xDE\x00"
	    "\xFF\xFD", 12);
	buf_free(&b);
}

static void
test_ascii_casecmp(void **state)
{
	(void)state;
	assert_true(utext_ascii_casecmp_eq("ES", "es"));
	assert_false(utext_ascii_casecmp_eq("es", "esp"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trim_and_collapse),
		cmocka_unit_test(test_length_counts_code_points),
		cmocka_unit_test(test_name_rules),
		cmocka_unit_test(test_name_joiners),
		cmocka_unit_test(test_free_text_rules),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_name_key),
		cmocka_unit_test(test_complex_layout),
		cmocka_unit_test(test_quote_makes_text_visible),
		cmocka_unit_test(test_utf16be),
		cmocka_unit_test(test_ascii_casecmp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
