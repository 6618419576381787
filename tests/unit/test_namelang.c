/*
 * test_namelang.c - cmocka tests for namelang.c: a name is in its
 * bearer's language when each letter is in one of the language's
 * scripts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "rnpack/namelang.h"

static void
test_script_of_the_language(void **state)
{
	(void)state;
	assert_true(namelang_match("José Luis Ramírez Núñez", "es"));
	assert_true(namelang_match("María Guadalupe", "es-MX"));
	assert_true(namelang_match("O'Brien-Smith", "en"));
	assert_true(namelang_match("\xd8\xb9\xd9\x84\xd8\xa7\xd8\xa1", "ar"));
	assert_true(namelang_match("\xd8\xb9\xd9\x84\xd8\xa7\xd8\xa1", "ur"));
	assert_true(namelang_match("\xd0\x9e\xd0\xbb\xd0\xb5\xd0\xb3", "uk"));
	/* Japanese: kanji (one above U+FFFF) and kana alike. */
	assert_true(namelang_match("\xf0\xa0\xae\xb7\xe7\x94\xb0", "ja"));
	assert_true(namelang_match("\xe3\x81\x95\xe3\x81\x8a\xe3\x82\x8a",
	    "ja"));
	assert_true(namelang_match("\xea\xb9\x80\xeb\xaf\xbc\xec\xa4\x80",
	    "ko"));
	/* Hebrew letters with their points (marks: no script). */
	assert_true(namelang_match("\xd7\xa9\xd6\xb8\xd7\x9c\xd7\x95\xd6\xb9"
	    "\xd7\x9d", "he"));
}

static void
test_other_script_or_nothing(void **state)
{
	(void)state;
	/* A Latin alias of an Arabic reader is not Arabic. */
	assert_false(namelang_match("Alaa Al-Khatib", "ar"));
	assert_false(namelang_match("\xd8\xb9\xd9\x84\xd8\xa7\xd8\xa1", "es"));
	/* Mixed scripts: not one language's. */
	assert_false(namelang_match("Ivan \xd0\x9f\xd0\xb5\xd1\x82\xd1\x80",
	    "ru"));
	/* No letter, no language, or no name. */
	assert_false(namelang_match("12 - 34", "es"));
	assert_false(namelang_match("", "es"));
	assert_false(namelang_match("Ana", ""));
	assert_false(namelang_match("Ana", NULL));
	assert_false(namelang_match(NULL, "es"));
	/* A tag ICU knows no script for. */
	assert_false(namelang_match("Ana", "zz"));
	/* Bytes that are not UTF-8. */
	assert_false(namelang_match("Ana \xff", "es"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_of_the_language),
		cmocka_unit_test(test_other_script_or_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
