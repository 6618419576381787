/*
 * imb.c - USPS Intelligent Mail barcode encoder (see imb.h).
 *
 * Follows the six encoding steps of USPS-B-3200: fields to a 102-bit
 * number, 11-bit CRC, ten codewords, CRC bit 10 folded into codeword A,
 * codewords to 13-bit characters, characters to bars.  Depends on
 * nothing but the C library.
 *
 * C11 has no 128-bit integer, so the number lives in 13 big-endian bytes
 * and is only ever multiplied, added to or divided by small values.  The
 * two codeword-to-character tables are rebuilt on the stack by each call
 * (about 16000 loop steps) rather than kept as 1365 literals nobody could
 * review, and rather than as lazily filled mutable globals.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rnpack/imb.h"

#define NUM_BYTES	13	/* 102 data bits; the top 2 bits stay 0 */
#define NUM_CHARS	10	/* codewords and characters A..J */
#define CRC_POLY	0x0F35	/* generator polynomial, x^11 included */
#define TABLE5_LEN	1287	/* 13 choose 5 */
#define TABLE2_LEN	78	/* 13 choose 2 */

struct nof13 {
	uint16_t five[TABLE5_LEN];	/* codewords 0..1286 */
	uint16_t two[TABLE2_LEN];	/* codewords 1287..1364 */
};

/*
 * Which character bit drives each bar (USPS-B-3200, bar-to-character
 * mapping table), bars left to right: the descender first, then the
 * ascender, three bars a row.  Characters are named A..J as in the
 * spec; bits count from the least significant.  The rows were printed by
 * a short script from the spec's four columns, which also checked that
 * each of the 130 character bits drives exactly one bar end.
 */
struct bar_src {
	char		desc_chr;
	unsigned char	desc_bit;
	char		asc_chr;
	unsigned char	asc_bit;
};

static const struct bar_src bar_map[IMB_BARS] = {
	{ 'H',  2, 'E',  3 }, { 'B', 10, 'A',  0 }, { 'J', 12, 'C',  8 },
	{ 'F',  5, 'G', 11 }, { 'I',  9, 'D',  1 }, { 'A',  1, 'F', 12 },
	{ 'C',  5, 'B',  8 }, { 'E',  4, 'J', 11 }, { 'G',  3, 'I', 10 },
	{ 'D',  9, 'H',  6 }, { 'F', 11, 'B',  4 }, { 'I',  5, 'C', 12 },
	{ 'J', 10, 'A',  2 }, { 'H',  1, 'G',  7 }, { 'D',  6, 'E',  9 },
	{ 'A',  3, 'I',  6 }, { 'G',  4, 'C',  7 }, { 'B',  1, 'J',  9 },
	{ 'H', 10, 'F',  2 }, { 'E',  0, 'D',  8 }, { 'G',  2, 'A',  4 },
	{ 'I', 11, 'B',  0 }, { 'J',  8, 'D', 12 }, { 'C',  6, 'H',  7 },
	{ 'F',  1, 'E', 10 }, { 'B', 12, 'G',  9 }, { 'H',  3, 'I',  0 },
	{ 'F',  8, 'J',  7 }, { 'E',  6, 'C', 10 }, { 'D',  4, 'A',  5 },
	{ 'I',  4, 'F',  7 }, { 'H', 11, 'B',  9 }, { 'G',  0, 'J',  6 },
	{ 'A',  6, 'E',  8 }, { 'C',  1, 'D',  2 }, { 'F',  9, 'I', 12 },
	{ 'E', 11, 'G',  1 }, { 'J',  5, 'H',  4 }, { 'D',  3, 'B',  2 },
	{ 'A',  7, 'C',  0 }, { 'B',  3, 'E',  1 }, { 'G', 10, 'D',  5 },
	{ 'I',  7, 'J',  4 }, { 'C', 11, 'F',  6 }, { 'A',  8, 'H', 12 },
	{ 'E',  2, 'I',  1 }, { 'F', 10, 'D',  0 }, { 'J',  3, 'A',  9 },
	{ 'G',  5, 'C',  4 }, { 'H',  8, 'B',  7 }, { 'F',  0, 'E',  5 },
	{ 'C',  3, 'A', 10 }, { 'G', 12, 'J',  2 }, { 'D', 11, 'B',  6 },
	{ 'I',  8, 'H',  9 }, { 'F',  4, 'A', 11 }, { 'B',  5, 'C',  2 },
	{ 'J',  1, 'E', 12 }, { 'I',  3, 'G',  6 }, { 'H',  0, 'D',  7 },
	{ 'E',  7, 'H',  5 }, { 'A', 12, 'B', 11 }, { 'C',  9, 'J',  0 },
	{ 'G',  8, 'F',  3 }, { 'D', 10, 'I',  2 },
};

/* True when s starts with n ASCII digits; never reads past a NUL. */
static bool
has_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* True when s is exactly n ASCII digits. */
static bool
is_digits(const char *s, size_t n)
{
	return has_digits(s, n) && s[n] == '\0';
}

static unsigned
digit_at(const char *s, size_t i)
{
	return (unsigned)(s[i] - '0');
}

/* n = n * mul + add; mul and add small enough not to overflow 13 bytes. */
static void
num_muladd(uint8_t n[NUM_BYTES], unsigned mul, unsigned add)
{
	unsigned carry = add;
	size_t i;

	for (i = NUM_BYTES; i-- > 0;) {
		unsigned v = n[i] * mul + carry;

		n[i] = (uint8_t)(v & 0xFF);
		carry = v >> 8;
	}
}

/* n = n / div, returning the remainder; div < 2^16. */
static unsigned
num_divmod(uint8_t n[NUM_BYTES], unsigned div)
{
	unsigned rem = 0;
	size_t i;

	for (i = 0; i < NUM_BYTES; i++) {
		unsigned v = rem << 8 | n[i];

		n[i] = (uint8_t)(v / div);
		rem = v % div;
	}
	return rem;
}

/*
 * Step 1 for the routing code: each length gets its own range so that
 * "", "00000" and "000000000" stay distinct numbers.
 */
static uint64_t
routing_value(const char *routing, size_t len)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < len; i++)
		v = v * 10 + digit_at(routing, i);
	switch (len) {
	case 5:
		return v + 1;
	case 9:
		return v + 100000 + 1;
	case 11:
		return v + 1000000000 + 100000 + 1;
	default:
		return 0;
	}
}

/*
 * Step 2: CRC over the 102 data bits, most significant first, which
 * means skipping the two unused top bits of byte 0.
 */
static unsigned
crc11(const uint8_t n[NUM_BYTES])
{
	unsigned fcs = 0x7FF;
	size_t i;
	int bit;

	for (i = 0; i < NUM_BYTES; i++) {
		for (bit = i == 0 ? 5 : 7; bit >= 0; bit--) {
			unsigned in = (unsigned)(n[i] >> bit) & 1;
			unsigned top = fcs >> 10 & 1;

			fcs <<= 1;
			if (in ^ top)
				fcs ^= CRC_POLY;
			fcs &= 0x7FF;
		}
	}
	return fcs;
}

static unsigned
reverse13(unsigned v)
{
	unsigned r = 0;
	int i;

	for (i = 0; i < 13; i++) {
		r = r << 1 | (v & 1);
		v >>= 1;
	}
	return r;
}

static unsigned
ones13(unsigned v)
{
	unsigned c = 0;

	for (; v != 0; v >>= 1)
		c += v & 1;
	return c;
}

/*
 * The spec's table construction: walk all 13-bit values with the given
 * number of ones in increasing order; a value and its bit reversal go
 * next to each other from the front, palindromes fill in from the back.
 * The counts are exact (1287 = 1272 + 15 palindromes, 78 = 72 + 6), so
 * the two ends meet without overlap.
 */
static void
build_table(uint16_t *t, size_t len, unsigned ones)
{
	size_t lo = 0, hi = len;
	unsigned v, r;

	for (v = 0; v < 1u << 13; v++) {
		if (ones13(v) != ones)
			continue;
		r = reverse13(v);
		if (r < v)
			continue;	/* placed with its partner already */
		if (r == v) {
			t[--hi] = (uint16_t)v;
		} else {
			t[lo++] = (uint16_t)v;
			t[lo++] = (uint16_t)r;
		}
	}
}

/* Letter for one bar given the ten (already CRC-inverted) characters. */
static char
bar_letter(const unsigned chars[NUM_CHARS], const struct bar_src *b)
{
	bool desc = chars[b->desc_chr - 'A'] >> b->desc_bit & 1;
	bool asc = chars[b->asc_chr - 'A'] >> b->asc_bit & 1;

	if (desc && asc)
		return 'F';
	if (asc)
		return 'A';
	if (desc)
		return 'D';
	return 'T';
}

bool
imb_encode(const char *tracking, const char *routing, char bars[IMB_BARS + 1])
{
	uint8_t num[NUM_BYTES] = { 0 };
	unsigned cw[NUM_CHARS], chars[NUM_CHARS], fcs;
	struct nof13 tab;
	uint64_t rv;
	size_t rlen, i;
	int k;

	if (tracking == NULL || routing == NULL || bars == NULL)
		return false;
	if (!is_digits(tracking, 20) || tracking[1] > '4')
		return false;
	rlen = strnlen(routing, 12);
	if ((rlen != 0 && rlen != 5 && rlen != 9 && rlen != 11) ||
	    !is_digits(routing, rlen))
		return false;

	/* Step 1: routing value, then the tracking digits on top of it. */
	rv = routing_value(routing, rlen);
	for (i = NUM_BYTES; i-- > 0; rv >>= 8)
		num[i] = (uint8_t)(rv & 0xFF);
	num_muladd(num, 10, digit_at(tracking, 0));
	num_muladd(num, 5, digit_at(tracking, 1));
	for (i = 2; i < 20; i++)
		num_muladd(num, 10, digit_at(tracking, i));

	fcs = crc11(num);

	/* Step 3: J is the least significant digit, in base 636. */
	cw[9] = num_divmod(num, 636);
	for (k = 8; k >= 0; k--)
		cw[k] = num_divmod(num, 1365);	/* A ends up below 659 */

	/* Step 4: J doubled marks orientation; A carries CRC bit 10. */
	cw[9] *= 2;
	if (fcs & 0x400)
		cw[0] += 659;

	/* Step 5: codewords to characters, inverted by CRC bits 0-9. */
	build_table(tab.five, TABLE5_LEN, 5);
	build_table(tab.two, TABLE2_LEN, 2);
	for (k = 0; k < NUM_CHARS; k++) {
		chars[k] = cw[k] < TABLE5_LEN ? tab.five[cw[k]] :
		    tab.two[cw[k] - TABLE5_LEN];
		if (fcs >> k & 1)
			chars[k] ^= 0x1FFF;
	}

	/* Step 6. */
	for (i = 0; i < IMB_BARS; i++)
		bars[i] = bar_letter(chars, &bar_map[i]);
	bars[IMB_BARS] = '\0';
	return true;
}

/* Write v as exactly width digits, zero-padded; false if it is wider. */
static bool
put_number(char *out, unsigned long v, size_t width)
{
	size_t i;

	for (i = width; i-- > 0; v /= 10)
		out[i] = (char)('0' + v % 10);
	return v == 0;
}

bool
imb_tracking(const char *barcode_id, const char *service_type,
    const char *mailer_id, unsigned long serial, char out[21])
{
	char tmp[21];
	size_t mlen;

	if (barcode_id == NULL || service_type == NULL || mailer_id == NULL ||
	    out == NULL)
		return false;
	if (!is_digits(barcode_id, 2) || barcode_id[1] > '4' ||
	    !is_digits(service_type, 3))
		return false;
	mlen = strnlen(mailer_id, 10);
	if ((mlen != 6 && mlen != 9) || !is_digits(mailer_id, mlen))
		return false;

	memcpy(tmp, barcode_id, 2);
	memcpy(tmp + 2, service_type, 3);
	memcpy(tmp + 5, mailer_id, mlen);
	if (!put_number(tmp + 5 + mlen, serial, 15 - mlen))
		return false;
	tmp[20] = '\0';
	memcpy(out, tmp, sizeof(tmp));
	return true;
}

bool
imb_routing(const char *zip, char out[12])
{
	size_t len;

	if (zip == NULL || out == NULL)
		return false;
	len = strnlen(zip, 13);
	/* A hyphen is allowed only right after the 5-digit ZIP. */
	if (len > 5 && zip[5] == '-') {
		if (!has_digits(zip, 5) ||
		    (len != 10 && len != 12) || !is_digits(zip + 6, len - 6))
			return false;
		memcpy(out, zip, 5);
		memcpy(out + 5, zip + 6, len - 6 + 1);
		return true;
	}
	if ((len != 0 && len != 5 && len != 9 && len != 11) ||
	    !is_digits(zip, len))
		return false;
	memcpy(out, zip, len + 1);
	return true;
}
