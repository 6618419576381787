/*
 * test_latin.c - Latin-script text for address blocks (latin.h): which
 * text is Latin already, the alias chosen over a transliteration, ICU's
 * "Any-Latin; Latin-ASCII" in capitals for Arabic, Chinese and Cyrillic;
 * then the recipient blocks usps_block and mail_pieces build with them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "rnpack/case.h"
#include "rnpack/latin.h"
#include "rnpack/mail.h"
#include "rnpack/policy.h"
#include "rnpack/usps.h"

static void
assert_translit(const char *in, const char *want)
{
	char *got = latin_transliterate(in);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
test_is_latin(void **state)
{
	(void)state;
	assert_true(latin_is_latin("John Smith"));
	assert_true(latin_is_latin("Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b \xc3\x81nh"));
	assert_true(latin_is_latin("1234 Main St. #5, Apt 6-B"));
	assert_true(latin_is_latin(""));
	assert_false(latin_is_latin("\xd0\x9e\xd0\xbb\xd0\xb5\xd0\xb3"));
	assert_false(latin_is_latin("Karim \xd8\xad\xd8\xaf\xd8\xa7\xd8\xaf"));
	assert_false(latin_is_latin("\xe7\x8e\x8b\xe4\xbc\x9f"));
	/* Digits of another script are not letters: only letters count. */
	assert_true(latin_is_latin("Apt \xd9\xa2\xd9\xa5"));
}

static void
test_transliterate(void **state)
{
	(void)state;
	/* محمد رضا */
	assert_translit("\xd9\x85\xd8\xad\xd9\x85\xd8\xaf \xd8\xb1\xd8\xb6\xd8"
	    "\xa7", "MHMD RDA");
	/* 王伟 */
	assert_translit("\xe7\x8e\x8b\xe4\xbc\x9f", "WANG WEI");
	/* Олег Коваленко */
	assert_translit("\xd0\x9e\xd0\xbb\xd0\xb5\xd0\xb3 \xd0\x9a\xd0\xbe\xd0"
	    "\xb2\xd0\xb0\xd0\xbb\xd0\xb5\xd0\xbd\xd0\xba\xd0\xbe",
	    "OLEG KOVALENKO");
	/* Latin text is left alone, also not capitalised. */
	assert_translit("John Smith", "John Smith");
	assert_translit("Nguy\xe1\xbb\x85n", "Nguy\xe1\xbb\x85n");
	/* Sinhala has no rule in ICU: it stays, and says so. */
	{
		char *t = latin_transliterate("\xe0\xb6\xb4\xe0\xb7\x99");

		assert_non_null(t);
		assert_true(latin_has_non_ascii(t));
		free(t);
	}
	/* A long line outgrows the first buffer. */
	{
		char in[3 * 40 + 1] = "", *t;

		for (int i = 0; i < 40; i++)
			strcat(in, "\xe7\x8e\x8b");
		t = latin_transliterate(in);
		assert_non_null(t);
		assert_int_equal(strlen(t), 40 * 5 - 1);
		assert_false(latin_has_non_ascii(t));
		free(t);
	}
}

static void
test_alias(void **state)
{
	static const char *const aliases[] = { "\xd9\x83\xd8\xb1\xd9\x8a\xd9"
	    "\x85", "  ", "Karim Haddad", "Kareem" };

	(void)state;
	assert_string_equal(latin_alias(aliases, 4), "Karim Haddad");
	assert_null(latin_alias(aliases, 2));
	assert_null(latin_alias(NULL, 0));
}

static void
test_block(void **state)
{
	struct address a;
	struct usps_block u;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.lines[0] = "1234 Main St";
	a.nlines = 1;
	a.city = "Houston";
	a.state = "TX";
	a.postal_code = "77002";

	assert_true(usps_block(&u, "John O'Neil", NULL, &a));
	assert_false(u.transliterated);
	assert_string_equal(u.lines[0], "JOHN ONEIL");
	usps_block_free(&u);

	/* عبدالله: ayin's half ring goes like an apostrophe. */
	assert_true(usps_block(&u, "\xd8\xb9\xd8\xa8\xd8\xaf\xd8\xa7\xd9\x84"
	    "\xd9\x84\xd9\x87", NULL, &a));
	assert_true(u.transliterated);
	assert_string_equal(u.lines[0], "BDALLH");
	assert_string_equal(u.lines[1], "1234 MAIN ST");
	usps_block_free(&u);

	/* A street line in Cyrillic, abroad. */
	a.lines[0] = "\xd1\x83\xd0\xbb. \xd0\x9b\xd0\xb5\xd0\xbd\xd0\xb8\xd0"
	    "\xbd\xd0\xb0 5";
	a.city = "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0";
	a.state = NULL;
	a.postal_code = "101000";
	a.country = "RU";
	assert_true(usps_block(&u, "Ivan Petrov", NULL, &a));
	assert_true(u.transliterated);
	for (size_t i = 0; i < u.n; i++)
		assert_false(latin_has_non_ascii(u.lines[i]));
	assert_string_equal(u.lines[1], "UL LENINA 5");
	usps_block_free(&u);
}

/* mail_pieces: the alias is chosen over a transliteration. */
static void
test_pieces_alias(void **state)
{
	struct case_doc *c = case_new();
	struct subject *s = &c->subject;
	struct address *a = case_alloc(c, 1, sizeof(*a));
	const char **aliases = case_alloc(c, 2, sizeof(*aliases));
	struct policy p;
	struct mail_piece m[MAIL_MAX_PIECES];
	size_t n;

	(void)state;
	memset(&p, 0, sizeof(p));
	a->lines[0] = "14800 Ford Rd";
	a->nlines = 1;
	a->city = "Dearborn";
	a->state = "MI";
	a->postal_code = "48126";
	s->address = a;
	s->given_name = "\xd9\x83\xd8\xb1\xd9\x8a\xd9\x85";	/* كريم */
	s->family_name = "\xd8\xad\xd8\xaf\xd8\xa7\xd8\xaf";	/* حداد */
	aliases[0] = "\xd9\x83\xd8\xb1\xd9\x8a\xd9\x85";
	aliases[1] = "Karim Haddad";
	s->aliases = aliases;
	s->naliases = 2;
	c->service.method = SERVICE_MAIL;

	n = mail_pieces(c, &p, m);
	assert_int_equal(n, 1);
	assert_string_equal(m[0].block.lines[0], "KARIM HADDAD");
	assert_false(m[0].block.transliterated);
	mail_pieces_free(m, n);

	/* Without a Latin alias: the transliteration. */
	s->naliases = 1;
	n = mail_pieces(c, &p, m);
	assert_int_equal(n, 1);
	assert_string_equal(m[0].block.lines[0], "KRYM HDAD");
	assert_true(m[0].block.transliterated);
	mail_pieces_free(m, n);

	/* A Latin name needs neither. */
	s->given_name = "Karim";
	s->family_name = "Haddad";
	n = mail_pieces(c, &p, m);
	assert_string_equal(m[0].block.lines[0], "KARIM HADDAD");
	assert_false(m[0].block.transliterated);
	mail_pieces_free(m, n);
	case_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_latin),
		cmocka_unit_test(test_transliterate),
		cmocka_unit_test(test_alias),
		cmocka_unit_test(test_block),
		cmocka_unit_test(test_pieces_alias),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
