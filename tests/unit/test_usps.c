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

#include "rnpack/addrfmt.h"
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

static const struct measure fake = { NULL, fake_width, 0.8, 0.2, 0 };

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

/* A foreign address of one line; region and postal code may be NULL. */
static struct address
foreign(const char *line, const char *city, const char *region,
    const char *postal, const char *country)
{
	struct address a;

	memset(&a, 0, sizeof(a));
	a.lines[0] = line;
	a.nlines = 1;
	a.city = city;
	a.region = region;
	a.postal_code = postal;
	a.country = country;
	return a;
}

/* usps_block of a, checked line by line; no ZIP, foreign. */
static void
assert_foreign(const char *name, const struct address *a, size_t n,
    const char *const *want)
{
	struct usps_block u;

	assert_true(usps_block(&u, name, NULL, a));
	assert_block(&u, n, want);
	assert_string_equal(u.zip, "");
	assert_true(u.foreign);
	usps_block_free(&u);
}

/*
 * Canada, "%N%n%O%n%A%n%C %S %Z": city, province and postal code on one
 * line, two spaces before the postal code (Canada Post).  Without a
 * province the city keeps one space; without a postal code the line ends
 * with the province.
 */
static void
test_block_foreign_ca(void **state)
{
	static const char *const want[] = { "GURPREET DHILLON",
	    "1055 W GEORGIA ST STE 1500", "VANCOUVER BC  V6E 3P3", "CANADA" };
	static const char *const no_region[] = { "GURPREET DHILLON",
	    "1055 W GEORGIA ST STE 1500", "VANCOUVER V6E 3P3", "CANADA" };
	static const char *const no_postal[] = { "GURPREET DHILLON",
	    "1055 W GEORGIA ST STE 1500", "VANCOUVER BC", "CANADA" };
	struct address a = foreign("1055 W. Georgia St., Ste 1500",
	    "Vancouver", "BC", "V6E 3P3", "CA");

	(void)state;
	assert_foreign("Gurpreet Dhillon", &a, 4, want);
	a.region = NULL;
	assert_foreign("Gurpreet Dhillon", &a, 4, no_region);
	a.region = "";
	assert_foreign("Gurpreet Dhillon", &a, 4, no_region);
	a.region = "BC";
	a.postal_code = NULL;
	assert_foreign("Gurpreet Dhillon", &a, 4, no_postal);
}

/* United Kingdom, "%N%n%O%n%A%n%C%n%Z": the postcode on its own line;
 * no %S, so a region is not printed. */
static void
test_block_foreign_gb(void **state)
{
	static const char *const want[] = { "JOHN SMITH", "10 DOWNING ST",
	    "LONDON", "SW1A 2AA", "UNITED KINGDOM" };
	struct address a = foreign("10 Downing St", "London", "Greater London",
	    "SW1A 2AA", "GB");

	(void)state;
	assert_foreign("John Smith", &a, 5, want);
}

/* Germany "%N%n%O%n%A%n%Z %C" and France "%O%n%N%n%A%n%Z %C": postal
 * code before the city; without a postal code the city alone. */
static void
test_block_foreign_de_fr(void **state)
{
	static const char *const de[] = { "ANNA SCHMIDT", "HAUPTSTRASSE 5",
	    "10115 BERLIN", "GERMANY" };
	static const char *const fr[] = { "MARIE DUPONT", "12 RUE DE LA PAIX",
	    "75002 PARIS", "FRANCE" };
	static const char *const fr_no_postal[] = { "MARIE DUPONT",
	    "12 RUE DE LA PAIX", "LYON", "FRANCE" };
	struct address a = foreign("Hauptstraße 5", "Berlin", NULL, "10115",
	    "DE");

	(void)state;
	assert_foreign("Anna Schmidt", &a, 4, de);
	a = foreign("12, rue de la Paix", "Paris", "Île-de-France", "75002",
	    "FR");
	assert_foreign("Marie Dupont", &a, 4, fr);
	a = foreign("12, rue de la Paix", "Lyon", NULL, NULL, "FR");
	assert_foreign("Marie Dupont", &a, 4, fr_no_postal);
}

/*
 * Japan, the Latin lfmt "%N%n%O%n%A, %S%n%Z" (not fmt's "〒%Z..."):
 * the prefecture after the street lines with ", ", the postal code
 * alone; the format has no %C, so the city is not printed (Japanese
 * addresses write it in the lines).  Without a prefecture the ", " goes
 * with it.  The hyphen of "Chiyoda-ku" becomes a space, as in any
 * cleaned line (it is not between digits).
 */
static void
test_block_foreign_jp(void **state)
{
	static const char *const want[] = { "TARO YAMADA",
	    "1-1 MARUNOUCHI CHIYODA KU, TOKYO", "100-0005", "JAPAN" };
	static const char *const no_region[] = { "TARO YAMADA",
	    "1-1 MARUNOUCHI CHIYODA KU", "100-0005", "JAPAN" };
	struct address a = foreign("1-1 Marunouchi, Chiyoda-ku", "Chiyoda-ku",
	    "Tokyo", "100-0005", "JP");

	(void)state;
	assert_foreign("Taro Yamada", &a, 4, want);
	a.region = NULL;
	assert_foreign("Taro Yamada", &a, 4, no_region);
}

/*
 * Japan with two street lines: the prefecture follows the last one.
 */
static void
test_block_foreign_jp_two_lines(void **state)
{
	static const char *const want[] = { "TARO YAMADA", "1-1 MARUNOUCHI",
	    "CHIYODA KU, TOKYO", "100-0005", "JAPAN" };
	struct address a = foreign("1-1 Marunouchi", "Chiyoda-ku", "Tokyo",
	    "100-0005", "JP");

	(void)state;
	a.lines[1] = "Chiyoda-ku";
	a.nlines = 2;
	assert_foreign("Taro Yamada", &a, 5, want);
}

/*
 * Brazil, "%O%n%N%n%A%n%D%n%C-%S%n%Z": city and state joined by "-",
 * the CEP alone; without a state the "-" goes with it.
 */
static void
test_block_foreign_br(void **state)
{
	static const char *const want[] = { "JOÃO DA SILVA",
	    "AV PAULISTA 1578", "SÃO PAULO-SP", "01310-200", "BRAZIL" };
	static const char *const no_region[] = { "JOÃO DA SILVA",
	    "AV PAULISTA 1578", "SÃO PAULO", "01310-200", "BRAZIL" };
	struct address a = foreign("Av. Paulista, 1578", "São Paulo", "SP",
	    "01310-200", "BR");

	(void)state;
	assert_foreign("João da Silva", &a, 5, want);
	a.region = NULL;
	assert_foreign("João da Silva", &a, 5, no_region);
}

/*
 * Mexico, "%N%n%O%n%A%n%D%n%Z %C, %S": a missing state takes the ", "
 * before it; a missing postal code, first on its line, the " " after it.
 */
static void
test_block_foreign_mx(void **state)
{
	static const char *const want[] = { "CARLOS LÓPEZ", "PASEO DE LA "
	    "REFORMA 222", "06600 CIUDAD DE MÉXICO, CDMX", "MEXICO" };
	static const char *const no_region[] = { "CARLOS LÓPEZ", "PASEO DE "
	    "LA REFORMA 222", "06600 CIUDAD DE MÉXICO", "MEXICO" };
	static const char *const no_postal[] = { "CARLOS LÓPEZ", "PASEO DE "
	    "LA REFORMA 222", "CIUDAD DE MÉXICO, CDMX", "MEXICO" };
	struct address a = foreign("Paseo de la Reforma 222",
	    "Ciudad de México", "CDMX", "06600", "MX");

	(void)state;
	assert_foreign("Carlos López", &a, 4, want);
	a.region = NULL;
	assert_foreign("Carlos López", &a, 4, no_region);
	a.region = "CDMX";
	a.postal_code = NULL;
	assert_foreign("Carlos López", &a, 4, no_postal);
}

/*
 * China, the Latin lfmt "%N%n%O%n%A%n%D%n%C%n%S, %Z": the city alone,
 * then province and postal code; without a province the postal code,
 * first on its line, takes nothing but its own place.
 */
static void
test_block_foreign_cn(void **state)
{
	static const char *const want[] = { "LI WEI", "8 JIANGUOMENNEI AVE",
	    "DONGCHENG", "BEIJING, 100005", "CHINA" };
	static const char *const no_region[] = { "LI WEI",
	    "8 JIANGUOMENNEI AVE", "DONGCHENG", "100005", "CHINA" };
	struct address a = foreign("8 Jianguomennei Ave", "Dongcheng",
	    "Beijing", "100005", "CN");

	(void)state;
	assert_foreign("Li Wei", &a, 5, want);
	a.region = NULL;
	assert_foreign("Li Wei", &a, 5, no_region);
}

/*
 * India, "%N%n%O%n%A%n%C %Z%n%S": the state on its own line after city
 * and PIN; without a state that line is removed.
 */
static void
test_block_foreign_in(void **state)
{
	static const char *const want[] = { "PRIYA SHARMA", "12 MG RD",
	    "BENGALURU 560001", "KARNATAKA", "INDIA" };
	static const char *const no_region[] = { "PRIYA SHARMA", "12 MG RD",
	    "BENGALURU 560001", "INDIA" };
	struct address a = foreign("12 M.G. Rd", "Bengaluru", "Karnataka",
	    "560001", "IN");

	(void)state;
	assert_foreign("Priya Sharma", &a, 5, want);
	a.region = NULL;
	assert_foreign("Priya Sharma", &a, 4, no_region);
}

/* Australia, "%O%n%N%n%A%n%C %S %Z": one space each (the two spaces are
 * Canada's only). */
static void
test_block_foreign_au(void **state)
{
	static const char *const want[] = { "JACK JONES", "1 GEORGE ST",
	    "SYDNEY NSW 2000", "AUSTRALIA" };
	struct address a = foreign("1 George St", "Sydney", "NSW", "2000",
	    "AU");

	(void)state;
	assert_foreign("Jack Jones", &a, 4, want);
}

/* Angola has no format in the data: name, lines, then city, region and
 * postal code on one line (ADDRFMT_FALLBACK). */
static void
test_block_foreign_no_data(void **state)
{
	static const char *const want[] = { "ANA SANTOS", "RUA 1 DE MAIO 12",
	    "LUANDA", "ANGOLA" };
	static const char *const with_region[] = { "ANA SANTOS",
	    "RUA 1 DE MAIO 12", "CACUACO LUANDA", "ANGOLA" };
	struct address a = foreign("Rua 1 de Maio 12", "Luanda", NULL, NULL,
	    "AO");

	(void)state;
	assert_null(addrfmt_for("AO"));
	assert_foreign("Ana Santos", &a, 4, want);
	a.city = "Cacuaco";
	a.region = "Luanda";
	assert_foreign("Ana Santos", &a, 4, with_region);
}

/* In care of counsel abroad: the C/O line follows the name, where %N
 * is (Canada). */
static void
test_block_foreign_care_of(void **state)
{
	static const char *const want[] = { "ELENA MARTINEZ",
	    "C/O GURPREET DHILLON", "1055 W GEORGIA ST STE 1500",
	    "VANCOUVER BC  V6E 3P3", "CANADA" };
	struct address a = foreign("1055 W Georgia St Ste 1500", "Vancouver",
	    "BC", "V6E 3P3", "CA");
	struct usps_block u;

	(void)state;
	assert_true(usps_block(&u, "Elena Martínez", "Gurpreet Dhillon", &a));
	/* usps_line keeps the accent: MARTÍNEZ. */
	assert_string_equal(u.lines[0], "ELENA MARTÍNEZ");
	for (size_t i = 1; i < 5; i++)
		assert_string_equal(u.lines[i], want[i]);
	assert_int_equal(u.n, 5);
	usps_block_free(&u);
}

/* ---- addrfmt_apply: the rules on formats of the data ---------------- */

static void
assert_apply(const char *fmt, const struct addrfmt_fields *f,
    const char *want)
{
	char *got = addrfmt_apply(fmt, f);

	assert_string_equal(got, want);
	free(got);
}

/*
 * Japan's own fmt "〒%Z%n%S%n%A%n%O%n%N": the 〒 before the first code
 * is not a separator and is dropped; %O's line is removed.  Monaco's
 * "%N%n%O%n%A%nMC-%Z %C %X": the "MC-" prefix and the " " before the
 * dropped %X go.  Guatemala's "%Z- %C": a missing %Z, first on its
 * line, takes "- " after it.  China's fmt "%Z%n%S%C%D%n...": adjacent
 * codes have an empty separator.
 */
static void
test_apply_literals(void **state)
{
	struct addrfmt_fields f = { "NAME", "LINE", "CITY", "REGION", "123",
	    false };

	(void)state;
	assert_apply("\343\200\222%Z%n%S%n%A%n%O%n%N", &f,
	    "123\nREGION\nLINE\nNAME");
	assert_apply("%N%n%O%n%A%nMC-%Z %C %X", &f, "NAME\nLINE\n123 CITY");
	assert_apply("%N%n%O%n%A%n%Z- %C", &f, "NAME\nLINE\n123- CITY");
	f.postal = NULL;
	assert_apply("%N%n%O%n%A%n%Z- %C", &f, "NAME\nLINE\nCITY");
	f.postal = "123";
	assert_apply("%Z%n%S%C%D%n%A%n%O%n%N", &f,
	    "123\nREGIONCITY\nLINE\nNAME");
	/* Turkey's "%Z %C/%S" keeps the "/" as written. */
	assert_apply("%N%n%O%n%A%n%Z %C/%S", &f, "NAME\nLINE\n123 CITY/REGION");
}

/* Two missing fields in a row: each takes one separator, the first the
 * one before it, the next (now first on its line) the one after it. */
static void
test_apply_several_missing(void **state)
{
	struct addrfmt_fields f = { "N", "A", NULL, NULL, "Z", false };

	(void)state;
	assert_apply("%C %S %Z", &f, "Z");
	assert_apply("%Z %C, %S", &f, "Z");
	f.postal = NULL;
	f.city = "C";
	assert_apply("%Z %C, %S", &f, "C");
	/* Nothing left: the line is removed. */
	f.city = NULL;
	assert_apply("%N%n%Z %C, %S%n%A", &f, "N\nA");
	/* Canada's two spaces only between province and postal code. */
	f.city = "C";
	f.region = "S";
	f.postal = "Z";
	f.wide_postal = true;
	assert_apply("%C %S %Z", &f, "C S  Z");
	f.region = NULL;
	assert_apply("%C %S %Z", &f, "C Z");
}

/* The table: lfmt when the data has one, else fmt; no row for a code
 * that is not a country there. */
static void
test_formats_table(void **state)
{
	(void)state;
	assert_string_equal(addrfmt_for("CA"), "%N%n%O%n%A%n%C %S %Z");
	assert_string_equal(addrfmt_for("JP"), "%N%n%O%n%A, %S%n%Z");
	assert_string_equal(addrfmt_for("BR"),
	    "%O%n%N%n%A%n%D%n%C-%S%n%Z");
	assert_string_equal(addrfmt_for("CN"),
	    "%N%n%O%n%A%n%D%n%C%n%S, %Z");
	assert_null(addrfmt_for("ZZ"));
	assert_null(addrfmt_for("AQ"));
	assert_null(addrfmt_for(NULL));
	assert_null(addrfmt_for("C"));
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

/* The endorsement is one more line: three lines, the endorsement and the
 * barcode fit at 9 pt (4 x 9.27 + 12.4 = 49.5 of 54 pt) as four lines
 * did; four lines with it only at 8 pt (53.6 pt); five lines fit under
 * the barcode at 8 pt but not with it (6 x 8.24 + 12.4 = 61.9 pt), and
 * *why counts six.  An endorsement wider than the window is named. */
static void
test_fits_endorsement(void **state)
{
	static const char *const lines[] = { "NAME", "LINE ONE", "LINE TWO",
	    "LINE THREE", "HOUSTON TX 77002" };
	struct policy p;
	struct mail_piece m;
	char why[160] = "";
	char wide[64];

	(void)state;
	policy_defaults(&p);
	make_piece(&m, lines, 3, true);
	m.endorsement = "RETURN SERVICE REQUESTED";
	assert_true(mail_fits(&m, &p, &fake, why, sizeof(why)));
	assert_true(m.size_pt == MAIL_SIZE_PT);
	mail_pieces_free(&m, 1);

	make_piece(&m, lines, 4, true);
	m.endorsement = "RETURN SERVICE REQUESTED";
	assert_true(mail_fits(&m, &p, &fake, why, sizeof(why)));
	assert_true(m.size_pt == MAIL_MIN_PT);
	mail_pieces_free(&m, 1);

	make_piece(&m, lines, 5, true);
	assert_true(mail_fits(&m, &p, &fake, why, sizeof(why)));
	m.endorsement = "RETURN SERVICE REQUESTED";
	assert_false(mail_fits(&m, &p, &fake, why, sizeof(why)));
	assert_non_null(strstr(why, "6 lines and the barcode"));
	mail_pieces_free(&m, 1);

	memset(wide, 'M', 59);
	wide[59] = '\0';
	make_piece(&m, lines, 2, false);
	m.endorsement = wide;
	assert_false(mail_fits(&m, &p, &fake, why, sizeof(why)));
	assert_non_null(strstr(why, "endorsement"));
	mail_pieces_free(&m, 1);
}

/* A flat's block is checked against the flat window: six lines under a
 * barcode do not fit the 1 in letter window (61.9 of 54 pt at 8 pt) but
 * fit a 1.5 in flat one (90 pt inside its clearance). */
static void
test_fits_flat_window(void **state)
{
	static const char *const lines[] = { "NAME", "C/O COUNSEL",
	    "LINE ONE", "LINE TWO", "LINE THREE", "HOUSTON TX 77002" };
	struct policy p;
	struct mail_piece m;
	char why[160] = "";

	(void)state;
	policy_defaults(&p);
	p.flat_window = (struct policy_window){ 1.0, 2.0, 4.0, 1.5 };
	make_piece(&m, lines, 6, true);
	assert_false(mail_fits(&m, &p, &fake, why, sizeof(why)));
	mail_set_flat(&m, &p);
	assert_true(m.flat);
	assert_true(m.window.height_in == 1.5 && m.window.left_in == 1.0);
	assert_true(mail_fits(&m, &p, &fake, why, sizeof(why)));
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
		cmocka_unit_test(test_block_foreign_ca),
		cmocka_unit_test(test_block_foreign_gb),
		cmocka_unit_test(test_block_foreign_de_fr),
		cmocka_unit_test(test_block_foreign_jp),
		cmocka_unit_test(test_block_foreign_jp_two_lines),
		cmocka_unit_test(test_block_foreign_br),
		cmocka_unit_test(test_block_foreign_mx),
		cmocka_unit_test(test_block_foreign_cn),
		cmocka_unit_test(test_block_foreign_in),
		cmocka_unit_test(test_block_foreign_au),
		cmocka_unit_test(test_block_foreign_no_data),
		cmocka_unit_test(test_block_foreign_care_of),
		cmocka_unit_test(test_apply_literals),
		cmocka_unit_test(test_apply_several_missing),
		cmocka_unit_test(test_formats_table),
		cmocka_unit_test(test_block_longest),
		cmocka_unit_test(test_fits_three_lines),
		cmocka_unit_test(test_fits_too_wide),
		cmocka_unit_test(test_fits_too_many_lines),
		cmocka_unit_test(test_fits_endorsement),
		cmocka_unit_test(test_fits_flat_window),
		cmocka_unit_test(test_set_serial),
		cmocka_unit_test(test_set_serial_no_barcode),
	};

	return cmocka_run_group_tests_name("usps", tests, NULL, NULL);
}
