/*
 * test_imb.c - Intelligent Mail barcode: the USPS-B-3200 examples,
 * input checking, tracking and routing helpers, random inputs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "rnpack/imb.h"

#define SPEC_TRACKING	"01234567094987654321"

static void
assert_bars(const char *tracking, const char *routing, const char *want)
{
	char bars[IMB_BARS + 1];

	assert_true(imb_encode(tracking, routing, bars));
	assert_string_equal(bars, want);
}

/*
 * The four examples of USPS-B-3200 (appendix), one per routing length;
 * the USPS reference encoder usps4cb.c runs the same four as its self
 * test.
 */
static void
test_spec_examples(void **state)
{
	(void)state;
	assert_bars(SPEC_TRACKING, "",
	    "ATTFATTDTTADTAATTDTDTATTDAFDDFADFDFTFFFFFTATFAAAATDFFTDAADFTFDTDT");
	assert_bars(SPEC_TRACKING, "01234",
	    "DTTAFADDTTFTDTFTFDTDDADADAFADFATDDFTAAAFDTTADFAAATDFDTDFADDDTDFFT");
	assert_bars(SPEC_TRACKING, "012345678",
	    "ADFTTAFDTTTTFATTADTAAATFTFTATDAAAFDDADATATDTDTTDFDTDATADADTDFFTFA");
	assert_bars(SPEC_TRACKING, "01234567891",
	    "AADTFFDFTDADTAADAATFDTDDAAADDTDTTDAFADADDDTFFFDDTTTADFAAADFTDAADA");
}

/*
 * A barcode made with the USPS PostalPro online encoder (quoted in the
 * public unr-csc23-ctf repository, osint/bars): barcode id 23, service
 * type 270, mailer id 592831, serial 482031240, routing 96713024817.
 */
static void
test_postalpro_example(void **state)
{
	(void)state;
	assert_bars("23270592831482031240", "96713024817",
	    "DDADATADTAATDTTTDFDTTFTFFADTFTDFTATAAFTTFATDAATATDATATFADAADDTFDT");
}

/* The largest input must still fit 102 bits and leave codeword A valid. */
static void
test_largest_input(void **state)
{
	char bars[IMB_BARS + 1];
	size_t i;

	(void)state;
	assert_true(imb_encode("94999999999999999999", "99999999999", bars));
	assert_int_equal(strlen(bars), IMB_BARS);
	for (i = 0; i < IMB_BARS; i++)
		assert_non_null(strchr("ADFT", bars[i]));
	assert_true(imb_encode("00000000000000000000", "", bars));
	assert_int_equal(strlen(bars), IMB_BARS);
}

static void
test_encode_rejects(void **state)
{
	char bars[IMB_BARS + 1] = "untouched";

	(void)state;
	assert_false(imb_encode(NULL, "", bars));
	assert_false(imb_encode(SPEC_TRACKING, NULL, bars));
	assert_false(imb_encode(SPEC_TRACKING, "", NULL));
	/* tracking: length, non-digits, second digit above 4 */
	assert_false(imb_encode("", "", bars));
	assert_false(imb_encode("0123456709498765432", "", bars));
	assert_false(imb_encode("012345670949876543210", "", bars));
	assert_false(imb_encode("0123456709498765432X", "", bars));
	assert_false(imb_encode(" 1234567094987654321", "", bars));
	assert_false(imb_encode("05234567094987654321", "", bars));
	assert_false(imb_encode("09234567094987654321", "", bars));
	/* routing: only 0, 5, 9 or 11 digits */
	assert_false(imb_encode(SPEC_TRACKING, "0123", bars));
	assert_false(imb_encode(SPEC_TRACKING, "012345", bars));
	assert_false(imb_encode(SPEC_TRACKING, "0123456789", bars));
	assert_false(imb_encode(SPEC_TRACKING, "012345678912", bars));
	assert_false(imb_encode(SPEC_TRACKING, "0123A", bars));
	assert_false(imb_encode(SPEC_TRACKING, "01234-5678", bars));
	assert_string_equal(bars, "untouched");
	/* every second digit 0-4 is fine */
	assert_true(imb_encode("04234567094987654321", "", bars));
}

static void
test_tracking(void **state)
{
	char out[21] = "untouched";
	char bars[IMB_BARS + 1];

	(void)state;
	/* 6-digit mailer id: 9-digit serial, zero-padded */
	assert_true(imb_tracking("01", "234", "567094", 987654321UL, out));
	assert_string_equal(out, SPEC_TRACKING);
	assert_true(imb_encode(out, "01234567891", bars));
	assert_string_equal(bars,
	    "AADTFFDFTDADTAADAATFDTDDAAADDTDTTDAFADADDDTFFFDDTTTADFAAADFTDAADA");
	assert_true(imb_tracking("00", "700", "123456", 42, out));
	assert_string_equal(out, "00700123456000000042");
	assert_true(imb_tracking("00", "700", "123456", 999999999UL, out));
	assert_string_equal(out, "00700123456999999999");

	/* 9-digit mailer id: 6-digit serial */
	assert_true(imb_tracking("00", "270", "901234567", 0, out));
	assert_string_equal(out, "00270901234567000000");
	assert_true(imb_tracking("14", "270", "901234567", 999999UL, out));
	assert_string_equal(out, "14270901234567999999");

	/* serial overflow leaves out alone */
	strcpy(out, "untouched");
	assert_false(imb_tracking("00", "700", "123456", 1000000000UL, out));
	assert_false(imb_tracking("00", "270", "901234567", 1000000UL, out));
	assert_false(imb_tracking("00", "270", "901234567", (unsigned long)-1,
	    out));

	/* malformed parts */
	assert_false(imb_tracking("0", "700", "123456", 1, out));
	assert_false(imb_tracking("005", "700", "123456", 1, out));
	assert_false(imb_tracking("05", "700", "123456", 1, out));
	assert_false(imb_tracking("0A", "700", "123456", 1, out));
	assert_false(imb_tracking("00", "70", "123456", 1, out));
	assert_false(imb_tracking("00", "7000", "123456", 1, out));
	assert_false(imb_tracking("00", "700", "12345", 1, out));
	assert_false(imb_tracking("00", "700", "1234567", 1, out));
	assert_false(imb_tracking("00", "700", "1234567890", 1, out));
	assert_false(imb_tracking("00", "700", "12345X", 1, out));
	assert_false(imb_tracking(NULL, "700", "123456", 1, out));
	assert_false(imb_tracking("00", NULL, "123456", 1, out));
	assert_false(imb_tracking("00", "700", NULL, 1, out));
	assert_false(imb_tracking("00", "700", "123456", 1, NULL));
	assert_string_equal(out, "untouched");
}

static void
assert_routing(const char *zip, const char *want)
{
	char out[12];

	assert_true(imb_routing(zip, out));
	assert_string_equal(out, want);
}

static void
test_routing(void **state)
{
	char out[12] = "untouched";

	(void)state;
	assert_routing("", "");
	assert_routing("77002", "77002");
	assert_routing("77002-1234", "770021234");
	assert_routing("770021234", "770021234");
	assert_routing("77002123456", "77002123456");
	assert_routing("77002-123456", "77002123456");

	assert_false(imb_routing("7700", out));
	assert_false(imb_routing("770021", out));
	assert_false(imb_routing("77002-12", out));
	assert_false(imb_routing("77002-", out));
	assert_false(imb_routing("77002-12345", out));
	assert_false(imb_routing("77002-1234567", out));
	assert_false(imb_routing("7700-21234", out));
	assert_false(imb_routing("77002--1234", out));
	assert_false(imb_routing("77002 1234", out));
	assert_false(imb_routing(" 77002", out));
	assert_false(imb_routing("ABCDE", out));
	assert_false(imb_routing("77002-ABCD", out));
	assert_false(imb_routing("7700212345", out));
	assert_false(imb_routing("770021234567", out));
	assert_false(imb_routing(NULL, out));
	assert_false(imb_routing("77002", NULL));
	assert_string_equal(out, "untouched");

	/* what imb_routing yields is what imb_encode takes */
	assert_true(imb_routing("01234-5678", out));
	assert_bars(SPEC_TRACKING, out,
	    "ADFTTAFDTTTTFATTADTAAATFTFTATDAAAFDDADATATDTDTTDFDTDATADADTDFFTFA");
}

/* xorshift32: a fixed, portable sequence so failures reproduce. */
static uint32_t
next_random(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void
random_digits(uint32_t *s, char *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = (char)('0' + next_random(s) % 10);
	out[n] = '\0';
}

static void
test_random_inputs(void **state)
{
	static const size_t routing_len[] = { 0, 5, 9, 11 };
	uint32_t seed = 0x1B3200u;
	int n;

	(void)state;
	for (n = 0; n < 1000; n++) {
		char tracking[21], routing[12];
		char bars[IMB_BARS + 1], again[IMB_BARS + 1];
		size_t i;

		random_digits(&seed, tracking, 20);
		tracking[1] = (char)('0' + next_random(&seed) % 5);
		random_digits(&seed, routing, routing_len[n % 4]);
		memset(bars, 'x', sizeof(bars));
		assert_true(imb_encode(tracking, routing, bars));
		assert_int_equal(strlen(bars), IMB_BARS);
		for (i = 0; i < IMB_BARS; i++)
			assert_non_null(strchr("ADFT", bars[i]));
		assert_true(imb_encode(tracking, routing, again));
		assert_string_equal(bars, again);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_examples),
		cmocka_unit_test(test_postalpro_example),
		cmocka_unit_test(test_largest_input),
		cmocka_unit_test(test_encode_rejects),
		cmocka_unit_test(test_tracking),
		cmocka_unit_test(test_routing),
		cmocka_unit_test(test_random_inputs),
	};

	return cmocka_run_group_tests_name("imb", tests, NULL, NULL);
}
