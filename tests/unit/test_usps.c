/*
 * test_usps.c - recipient blocks as USPS Publication 28 wants them
 * (usps.h): one line in USPS style, the block of a U.S. address (ZIP and
 * ZIP+4), a care-of line, a foreign address; then the envelope window
 * fit of a mail piece (mail_fits) and its serial and barcode
 * (mail_set_serial), both from mail.h.
 *
 * Addresses are built by hand (struct address of case.h).  Text is
 * measured with a fake font: every byte is 0.5 x size wide, so at the
 * block's 9 pt a line of N bytes is 4.5 N pt.  The default window
 * (3.5 x 1.0 in) less its 1/8 in clearance on each side is 234 x 54 pt:
 * 52 bytes wide; 5 lines of 9.9 pt tall, or 4 under a 12.94 pt barcode.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "rnpack/case.h"
#include "rnpack/imb.h"
#include "rnpack/layout.h"
#include "rnpack/mail.h"
#include "rnpack/policy.h"
#include "rnpack/usps.h"

/* ---- helpers --------------------------------------------------------- */

static void
assert_line(const char *in, const char *want)
{
	char *got = usps_line(in);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* A U.S. address of one line. */
static struct address
us_address(const char *line, const char *city, const char *state,
    const char *zip)
{
	struct address a;

	memset(&a, 0, sizeof(a));
	a.lines[0] = line;
	a.nlines = 1;
	a.city = city;
	a.state = state;
	a.postal_code = zip;
	return a;
}

static void
assert_block(const struct usps_block *u, size_t n, const char *const *want)
{
	assert_int_equal(u->n, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(u->lines[i], want[i]);
}

static double
fake_width(void *ctx, unsigned style, double size, const char *s)
{
	(void)ctx;
	(void)style;
	return 0.5 * size * (double)strlen(s);
}

static const struct measure fake = { NULL, fake_width, 0.8, 0.2 };

/* The sample mail policy's barcode ids (samples/policy/houston-mail.xml). */
static void
mail_policy(struct policy *p)
{
	policy_defaults(p);
	p->has_mail = true;
	strcpy(p->barcode_id, "00");
	strcpy(p->service_type, "040");
	strcpy(p->mailer_id, "123456");
}

/* A piece whose block has the given lines (copied), with or without a
 * barcode; free with mail_pieces_free(). */
static void
make_piece(struct mail_piece *m, const char *const *lines, size_t n,
    bool barcode)
{
	memset(m, 0, sizeof(*m));
	m->recipient = "subject";
	for (size_t i = 0; i < n; i++)
		m->block.lines[i] = strdup(lines[i]);
	m->block.n = n;
	strcpy(m->block.zip, "77002");
	m->barcode = barcode;
	strcpy(m->routing, "77002");
}

/* ---- usps_line ------------------------------------------------------- */

/* Upper case with the full Unicode mapping: accents stay (é -> É). */
static void
test_line_upper_case(void **state)
{
	(void)state;
	assert_line("José Luis Ramírez Núñez", "JOSÉ LUIS RAMÍREZ NÚÑEZ");
	assert_line("1234 Main St Apt 5", "1234 MAIN ST APT 5");
	assert_line("Wiśniewski", "WIŚNIEWSKI");
	assert_line("Große Str", "GROSSE STR");
}

/* Periods and apostrophes (also U+2019) vanish without a space. */
static void
test_line_periods_apostrophes(void **state)
{
	(void)state;
	assert_line("St. Mary's Rd.", "ST MARYS RD");
	assert_line("O\xE2\x80\x99Neil", "ONEIL");
	assert_line("P.O. Box 12", "PO BOX 12");
}

/* Other punctuation separates words; white space collapses; nothing
 * is left at either end. */
static void
test_line_other_punctuation(void **state)
{
	(void)state;
	assert_line("Ana Torres, Esq.", "ANA TORRES ESQ");
	assert_line("Apt #5", "APT 5");
	assert_line("Smith-Jones", "SMITH JONES");
	assert_line("Bldg (Rear)", "BLDG REAR");
	assert_line("  500   Travis\tSt  ", "500 TRAVIS ST");
	assert_line(", Main St ;", "MAIN ST");
	assert_line("a,,,b", "A B");
	assert_line("...", "");
	assert_line("", "");
}

/* ---- usps_block ------------------------------------------------------ */

/* Name, address lines, then "CITY ST ZIP" without a comma. */
static void
test_block_us(void **state)
{
	static const char *const want[] = { "JOSÉ LUIS RAMÍREZ NÚÑEZ",
	    "1234 MAIN ST APT 5", "HOUSTON TX 77002" };
	struct address a = us_address("1234 Main St. Apt 5", "Houston", "TX",
	    "77002");
	struct usps_block u;

	(void)state;
	assert_true(usps_block(&u, "José Luis Ramírez Núñez", NULL, &a));
	assert_block(&u, 3, want);
	assert_string_equal(u.zip, "77002");
	assert_false(u.foreign);
	usps_block_free(&u);
}

/* ZIP+4 keeps its hyphen, on the last line and in zip. */
static void
test_block_zip4(void **state)
{
	static const char *const want[] = { "ANA TORRES ESQ",
	    "500 TRAVIS ST STE 200", "SUITE B", "HOUSTON TX 77002-1234" };
	struct address a = us_address("500 Travis St, Ste 200", "Houston",
	    "TX", "77002-1234");
	struct usps_block u;

	(void)state;
	a.lines[1] = "Suite B";
	a.nlines = 2;
	assert_true(usps_block(&u, "Ana Torres, Esq.", NULL, &a));
	assert_block(&u, 4, want);
	assert_string_equal(u.zip, "77002-1234");
	usps_block_free(&u);
}

/* In care of counsel: "C/O NAME" (the slash kept) after the name. */
static void
test_block_care_of(void **state)
{
	static const char *const want[] = { "ARMEN PETROSYAN",
	    "C/O LILIT HAKOBYAN ESQ", "3500 W OLIVE AVE STE 300",
	    "BURBANK CA 91505" };
	struct address a = us_address("3500 W. Olive Ave., Ste 300",
	    "Burbank", "CA", "91505");
	struct usps_block u;

	(void)state;
	assert_true(usps_block(&u, "Armen Petrosyan", "Lilit Hakobyan, Esq.",
	    &a));
	assert_block(&u, 4, want);
	assert_string_equal(u.zip, "91505");
	usps_block_free(&u);
}

/* Abroad: postal code and city, then the country name in upper case;
 * no ZIP, foreign. */
static void
test_block_foreign(void **state)
{
	static const char *const want_ca[] = { "GURPREET DHILLON",
	    "1055 W GEORGIA ST STE 1500", "V6E 3P3 VANCOUVER BC", "CANADA" };
	static const char *const want_fr[] = { "MARIE DUPONT",
	    "12 RUE DE LA PAIX", "LYON", "FRANCE" };
	struct address a;
	struct usps_block u;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.lines[0] = "1055 W Georgia St Ste 1500";
	a.nlines = 1;
	a.city = "Vancouver BC";
	a.postal_code = "V6E 3P3";
	a.country = "CA";
	assert_true(usps_block(&u, "Gurpreet Dhillon", NULL, &a));
	assert_block(&u, 4, want_ca);
	assert_string_equal(u.zip, "");
	assert_true(u.foreign);
	usps_block_free(&u);

	/* Without a postal code the city stands alone. */
	a.lines[0] = "12, rue de la Paix";
	a.city = "Lyon";
	a.postal_code = NULL;
	a.country = "FR";
	assert_true(usps_block(&u, "Marie Dupont", NULL, &a));
	assert_block(&u, 4, want_fr);
	assert_string_equal(u.zip, "");
	assert_true(u.foreign);
	usps_block_free(&u);
}

/*
 * The longest block an address can give: name, C/O, three lines, city
 * line and country: 7 lines, within USPS_MAX_LINES.  (struct address
 * holds at most 3 lines, so usps_block's "more than USPS_MAX_LINES"
 * failure cannot be reached with a real address.)  A block without an
 * address is the name alone.
 */
static void
test_block_longest(void **state)
{
	struct address a;
	struct usps_block u;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.lines[0] = "Line one";
	a.lines[1] = "Line two";
	a.lines[2] = "Line three";
	a.nlines = 3;
	a.city = "Lyon";
	a.postal_code = "69006";
	a.country = "FR";
	assert_true(usps_block(&u, "A B", "C D", &a));
	assert_int_equal(u.n, 7);
	assert_true(u.n <= USPS_MAX_LINES);
	assert_string_equal(u.lines[5], "69006 LYON");
	assert_string_equal(u.lines[6], "FRANCE");
	usps_block_free(&u);

	assert_true(usps_block(&u, "A B", NULL, NULL));
	assert_int_equal(u.n, 1);
	assert_string_equal(u.zip, "");
	usps_block_free(&u);
}

/* ---- mail_fits ------------------------------------------------------- */

/* Three lines under a barcode fit at 9 pt; four too (49.5 of 54 pt). */
static void
test_fits_three_lines(void **state)
{
	static const char *const lines[] = { "JOSE LUIS RAMIREZ NUNEZ",
	    "1234 MAIN ST APT 5", "HOUSTON TX 77002-1234", "SUITE 9" };
	struct policy p;
	struct mail_piece m;
	char why[160] = "";

	(void)state;
	policy_defaults(&p);
	make_piece(&m, lines, 3, true);
	assert_true(mail_fits(&m, &p, &fake, why, sizeof(why)));
	assert_true(m.size_pt == MAIL_SIZE_PT);
	mail_pieces_free(&m, 1);
	make_piece(&m, lines, 4, true);
	assert_true(mail_fits(&m, &p, &fake, why, sizeof(why)));
	mail_pieces_free(&m, 1);
}

/* At the 8 pt minimum, 58 bytes (232 pt) fit the 234 pt width and 59
 * do not; *why names the line. */
static void
test_fits_too_wide(void **state)
{
	char wide[64];
	const char *lines[] = { "NAME", wide, "HOUSTON TX 77002" };
	struct policy p;
	struct mail_piece m;
	char why[160] = "";

	(void)state;
	policy_defaults(&p);
	memset(wide, 'M', 58);
	wide[58] = '\0';
	make_piece(&m, lines, 3, false);
	assert_true(mail_fits(&m, &p, &fake, why, sizeof(why)));
	mail_pieces_free(&m, 1);

	memset(wide, 'M', 59);
	wide[59] = '\0';
	make_piece(&m, lines, 3, false);
	assert_false(mail_fits(&m, &p, &fake, why, sizeof(why)));
	assert_non_null(strstr(why, "line 2"));
	mail_pieces_free(&m, 1);
}

/* Five lines fit under a barcode at 8 pt (53.6 of 54 pt); six fit only
 * without one (49.4 pt), not under it (61.9 pt); *why says so. */
static void
test_fits_too_many_lines(void **state)
{
	static const char *const lines[] = { "NAME", "C/O COUNSEL",
	    "LINE ONE", "LINE TWO", "LINE THREE", "HOUSTON TX 77002" };
	struct policy p;
	struct mail_piece m;
	char why[160] = "";

	(void)state;
	policy_defaults(&p);
	make_piece(&m, lines, 5, true);
	assert_true(mail_fits(&m, &p, &fake, why, sizeof(why)));
	assert_true(m.size_pt == MAIL_MIN_PT);
	mail_pieces_free(&m, 1);
	make_piece(&m, lines, 6, false);
	assert_true(mail_fits(&m, &p, &fake, why, sizeof(why)));
	mail_pieces_free(&m, 1);
	make_piece(&m, lines, 6, true);
	assert_false(mail_fits(&m, &p, &fake, why, sizeof(why)));
	assert_non_null(strstr(why, "barcode"));
	mail_pieces_free(&m, 1);
}

/* ---- mail_set_serial ------------------------------------------------- */

/* Serial 1 with ids 00/040/123456: the serial padded to 9 digits, and
 * the bars the encoder gives for that tracking code and the routing. */
static void
test_set_serial(void **state)
{
	static const char *const lines[] = { "NAME", "HOUSTON TX 77002" };
	struct policy p;
	struct mail_piece m;
	char want[IMB_BARS + 1];

	(void)state;
	mail_policy(&p);
	make_piece(&m, lines, 2, true);
	assert_true(mail_set_serial(&m, &p, 1));
	assert_int_equal(m.serial, 1);
	assert_string_equal(m.tracking, "00040123456000000001");
	assert_true(imb_encode("00040123456000000001", "77002", want));
	assert_string_equal(m.bars, want);
	assert_int_equal(strlen(m.bars), IMB_BARS);
	assert_int_equal(strspn(m.bars, "ADFT"), IMB_BARS);

	/* The largest serial of a 6-digit mailer id, and one too many. */
	assert_true(mail_set_serial(&m, &p, 999999999UL));
	assert_string_equal(m.tracking, "00040123456999999999");
	assert_false(mail_set_serial(&m, &p, 1000000000UL));
	mail_pieces_free(&m, 1);
}

/* Without a barcode only the serial is set; unusable ids fail. */
static void
test_set_serial_no_barcode(void **state)
{
	static const char *const lines[] = { "NAME", "HOUSTON TX 77002" };
	struct policy p;
	struct mail_piece m;

	(void)state;
	mail_policy(&p);
	make_piece(&m, lines, 2, false);
	assert_true(mail_set_serial(&m, &p, 7));
	assert_int_equal(m.serial, 7);
	assert_string_equal(m.tracking, "");
	assert_string_equal(m.bars, "");
	mail_pieces_free(&m, 1);

	make_piece(&m, lines, 2, true);
	strcpy(p.barcode_id, "05");	/* second digit above 4 */
	assert_false(mail_set_serial(&m, &p, 1));
	mail_pieces_free(&m, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_upper_case),
		cmocka_unit_test(test_line_periods_apostrophes),
		cmocka_unit_test(test_line_other_punctuation),
		cmocka_unit_test(test_block_us),
		cmocka_unit_test(test_block_zip4),
		cmocka_unit_test(test_block_care_of),
		cmocka_unit_test(test_block_foreign),
		cmocka_unit_test(test_block_longest),
		cmocka_unit_test(test_fits_three_lines),
		cmocka_unit_test(test_fits_too_wide),
		cmocka_unit_test(test_fits_too_many_lines),
		cmocka_unit_test(test_set_serial),
		cmocka_unit_test(test_set_serial_no_barcode),
	};

	return cmocka_run_group_tests_name("usps", tests, NULL, NULL);
}
