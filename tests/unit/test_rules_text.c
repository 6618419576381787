/*
 * test_rules_text.c - cmocka tests for the representation scanner
 * rules_find_representation() (rules_text.c), the rule of DOMAIN.md
 * section 2: nothing may represent or imply that a notice is an arrest
 * warrant, conveys independent legal authority, or is INTERPOL's
 * judgment; the requesting country's own warrant may be named as such,
 * and correct statements ("a Red Notice is not an arrest warrant") are
 * fine.
 *
 * The phrase returned is compared word by word, ignoring case and
 * punctuation, so the tests do not depend on how the scanner spells it.
 *
 * Tests named test_regression_* show behaviour that contradicts DOMAIN.md: they
 * fail until the bug is fixed (the comment above each says why).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "rnpack/rules.h"

/* Next word of s (ASCII letters and digits, lower case), or 0 at end. */
static size_t
next_word(const char **s, char *w, size_t size)
{
	size_t n = 0;

	while (**s != '\0' && !(((unsigned char)**s | 0x20) >= 'a' &&
	    ((unsigned char)**s | 0x20) <= 'z') && !(**s >= '0' && **s <= '9'))
		(*s)++;
	while (**s != '\0' && ((((unsigned char)**s | 0x20) >= 'a' &&
	    ((unsigned char)**s | 0x20) <= 'z') || (**s >= '0' && **s <= '9'))) {
		if (n + 1 < size)
			w[n++] = (char)(**s >= 'A' && **s <= 'Z' ?
			    **s + ('a' - 'A') : **s);
		(*s)++;
	}
	w[n] = '\0';
	return n;
}

/* The same words, ignoring case, spacing and punctuation. */
static bool
same_words(const char *a, const char *b)
{
	char wa[64], wb[64];
	size_t na, nb;

	do {
		na = next_word(&a, wa, sizeof(wa));
		nb = next_word(&b, wb, sizeof(wb));
		if (na != nb || strcmp(wa, wb) != 0)
			return false;
	} while (na > 0);
	return true;
}

static void
test_true_positives(void **state)
{
	static const struct {
		const char	*text;
		const char	*phrase;
	} cases[] = {
		{ "international arrest warrant",
		    "international arrest warrant" },
		{ "INTERPOL warrant", "INTERPOL warrant" },
		{ "Interpol-issued arrest warrant",
		    "Interpol issued arrest warrant" },
		{ "warrant issued by INTERPOL", "warrant issued by INTERPOL" },
		{ "INTERPOL arrest warrant", "INTERPOL arrest warrant" },
		{ "INTERPOL's arrest warrant", "INTERPOL arrest warrant" },
		{ "INTERPOL\xe2\x80\x99s warrant", "INTERPOL warrant" },
		{ "INTERPOL   ARREST\nwarrant", "INTERPOL arrest warrant" },
		{ "red notice warrant", "red notice warrant" },
		{ "The Red Notice is an arrest warrant",
		    "notice is an arrest warrant" },
		/* mixed case and hyphens */
		{ "Wanted on an International-Arrest-Warrant from Caracas.",
		    "international arrest warrant" },
		{ "iNtErPoL-WARRANT no. 5", "interpol warrant" },
		{ "RED-NOTICE Arrest-Warrant", "red notice arrest warrant" },
		/* other wordings of the same claims */
		{ "subject of an international warrant of arrest",
		    "international warrant" },
		{ "Warrants of arrest issued by the Interpol",
		    "warrants of arrest issued by the interpol" },
		{ "Held pending an INTERPOL arrest.", "INTERPOL arrest" },
		{ "The diffusion serves as an arrest warrant.",
		    "diffusion serves as an arrest warrant" },
		{ "INTERPOL has found probable cause.",
		    "INTERPOL has found probable" },
		/* inside longer text */
		{ "Officer notes: the subject is wanted on an INTERPOL warrant "
		    "for aggravated fraud (Caracas).", "INTERPOL warrant" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char phrase[128];

		memset(phrase, 'x', sizeof(phrase));
		if (!rules_find_representation(cases[i].text, phrase,
		    sizeof(phrase)))
			fail_msg("not flagged: \"%s\"", cases[i].text);
		assert_non_null(memchr(phrase, '\0', sizeof(phrase)));
		if (!same_words(phrase, cases[i].phrase))
			fail_msg("\"%s\": phrase \"%s\", expected \"%s\"",
			    cases[i].text, phrase, cases[i].phrase);
	}
}

static void
test_false_positives(void **state)
{
	static const char *const texts[] = {
		"arrest warrant issued by the Juzgado Quinto de Control, "
		    "Caracas",
		"national arrest warrant JC5-2023-118",
		"A Red Notice is not an arrest warrant",
		"this is not an international arrest warrant",
		"documents received from INTERPOL Washington",
		"Red Notice published by INTERPOL at the request of Venezuela",
		"warrant of the Moscow City Court",
		/* more correct statements */
		"The Red Notice is neither an arrest warrant nor a judgment "
		    "on probable cause.",
		"It is neither an international arrest warrant nor a "
		    "judgment by INTERPOL.",
		"The subject was detained without an INTERPOL warrant.",
		"Red Notice A-1234/5-2023",
		"Arrest warrant JC5-2023-118",
		"INTERPOL Washington (the U.S. National Central Bureau)",
		"Request to locate and provisionally arrest a person pending "
		    "extradition.",
		"Use authorization granted by INTERPOL Washington.",
		"Aggravated fraud",
		"",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
		char phrase[128] = "";

		if (rules_find_representation(texts[i], phrase,
		    sizeof(phrase)))
			fail_msg("flagged \"%s\" (phrase \"%s\")", texts[i],
			    phrase);
	}
}

/* The phrase is cut to size; NULL asks only whether there is one. */
static void
test_phrase_buffer(void **state)
{
	char small[9];

	(void)state;
	memset(small, 'x', sizeof(small));
	assert_true(rules_find_representation("International arrest warrant",
	    small, sizeof(small)));
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_true(same_words(small, "internat"));

	assert_true(rules_find_representation("INTERPOL warrant", NULL, 0));
	assert_false(rules_find_representation("national arrest warrant",
	    NULL, 0));
}

/*
 * Regression (fixed; was a bug in src/rules_text.c, negated()): a negation up to three words
 * before a match cancels it even across a sentence boundary, so a plain
 * "international arrest warrant" right after a sentence ending in "no
 * ..."/"not ..." is not flagged.  DOMAIN.md section 2: "nothing may
 * represent or imply that a notice is an arrest warrant ... free text is
 * scanned for phrases such as "international arrest warrant", "INTERPOL
 * warrant"".
 */
static void
test_regression_negation_crosses_sentences(void **state)
{
	static const char *const texts[] = {
		"No concerns. International arrest warrant in force.",
		"Review found no issues. INTERPOL warrant for fraud.",
		"Subject is not a refugee; INTERPOL warrant confirmed.",
	};

	int missed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++)
		if (!rules_find_representation(texts[i], NULL, 0)) {
			print_error("not flagged: \"%s\"\n", texts[i]);
			missed++;
		}
	assert_int_equal(missed, 0);
}

/*
 * Regression (fixed; was a bug in src/rules_text.c, split()): punctuation is dropped before
 * matching, so a phrase is "found" across a sentence boundary.  Naming
 * the requesting country's own warrant right after a sentence that
 * ends in INTERPOL or Red Notice is flagged, and the case withholds
 * every document although nothing represents the notice as a warrant
 * (DOMAIN.md section 2; compare the accepted "arrest warrant issued by
 * the Juzgado Quinto de Control, Caracas").
 */
static void
test_regression_phrase_crosses_sentences(void **state)
{
	static const char *const texts[] = {
		"Documents received from INTERPOL. Arrest warrant JC5-2023-118 "
		    "of the Caracas court enclosed.",
		"Subject of a Red Notice. Warrant of the Moscow City Court "
		    "attached.",
	};

	int flagged = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
		char phrase[128] = "";

		if (rules_find_representation(texts[i], phrase,
		    sizeof(phrase))) {
			print_error("flagged \"%s\" (phrase \"%s\")\n",
			    texts[i], phrase);
			flagged++;
		}
	}
	assert_int_equal(flagged, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_true_positives),
		cmocka_unit_test(test_false_positives),
		cmocka_unit_test(test_phrase_buffer),
		cmocka_unit_test(test_regression_negation_crosses_sentences),
		cmocka_unit_test(test_regression_phrase_crosses_sentences),
	};

	return cmocka_run_group_tests_name("rules_text", tests, NULL, NULL);
}
