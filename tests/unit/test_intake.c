/*
 * test_intake.c - the hardened loader: what a case file must be, what
 * is refused and with which line, and what the typed model holds.
 * Case files are written to a temporary folder and loaded with the
 * shipped schema (tests run from the source tree).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rnpack/buf.h"
#include "rnpack/case.h"
#include "rnpack/date.h"
#include "rnpack/intake.h"
#include "rnpack/policy.h"

#include "scratch.h"

static const char good[] =
"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
"<case xmlns=\"urn:rnpack:case:1\" id=\"HOU-2024-00017\">\n"
"  <subject>\n"
"    <familyName>Rami\xCC\x81rez Núñez</familyName>\n"
"    <givenName>José Luis</givenName>\n"
"    <dateOfBirth>1984-03-12</dateOfBirth>\n"
"    <citizenship>VE</citizenship>\n"
"    <address><line>1234 Main St Apt 5</line><city>Houston</city>"
"<state>TX</state><postalCode>77002-1234</postalCode></address>\n"
"  </subject>\n"
"  <notice kind=\" red-notice \">\n"
"    <controlNumber>A-1234/5-2023</controlNumber>\n"
"    <issuingCountry>VE</issuingCountry>\n"
"    <issuedOn>2023-05-10</issuedOn>\n"
"    <purpose>prosecution</purpose>\n"
"    <offense><description>Aggravated fraud</description>"
"<maxPenaltyMonths>96</maxPenaltyMonths></offense>\n"
"    <verification on=\"2024-02-20\">valid</verification>\n"
"  </notice>\n"
"  <officer><name>Daniel Ortiz</name><title>Deportation Officer</title>"
"<office>ERO Houston</office>"
"<training completedOn=\"2024-01-05\"/></officer>\n"
"  <intendedUse enforcement=\"true\" proceedings=\"false\"/>\n"
"</case>\n";

static char dir[] = "/tmp/rnpack-test-intake.XXXXXX";
static struct intake *in;

static int
setup(void **state)
{
	char *err = NULL;

	(void)state;
	if (scratch_make(dir) != 0)
		return -1;
	intake_init();
	in = intake_new("schema/case-1.xsd", &err);
	if (in == NULL) {
		fprintf(stderr, "%s\n", err);
		free(err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	intake_free(in);
	return scratch_remove(dir);
}

/* good with one substring replaced, written to a file; returns path. */
static char *
write_case(const char *from, const char *to, size_t extra_len,
    const char *extra)
{
	static int n;
	struct buf b = BUF_INIT;
	const char *at = from ? strstr(good, from) : NULL;
	char *path;
	FILE *f;

	if (from != NULL)
		assert_non_null(at);
	if (at != NULL) {
		buf_add(&b, good, (size_t)(at - good));
		buf_adds(&b, to);
		buf_adds(&b, at + strlen(from));
	} else
		buf_adds(&b, good);
	if (extra != NULL)
		buf_add(&b, extra, extra_len);
	path = malloc(strlen(dir) + 32);
	sprintf(path, "%s/c%d.xml", dir, n++);
	f = fopen(path, "wb");
	assert_non_null(f);
	fwrite(b.ptr, 1, b.len, f);
	fclose(f);
	buf_free(&b);
	return path;
}

static int32_t
day(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

/* Load and expect failure at line with msg containing needle. */
static void
expect_invalid(char *path, unsigned line, const char *needle)
{
	struct load_error err;
	struct case_doc *c = intake_load_case(in, path, day(2024, 3, 14),
	    &err);

	if (c != NULL)
		fail_msg("%s loaded but should be invalid (%s)", path, needle);
	assert_non_null(err.message);
	if (strstr(err.message, needle) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.message, needle);
	if (line != (unsigned)-1)
		assert_int_equal(err.line, line);
	load_error_free(&err);
	free(path);
}

static void
test_good_case_model(void **state)
{
	struct load_error err;
	char *path = write_case(NULL, NULL, 0, NULL);
	struct case_doc *c = intake_load_case(in, path, day(2024, 3, 14), &err);

	(void)state;
	if (c == NULL)
		fail_msg("good case refused: %u: %s", err.line, err.message);
	assert_string_equal(c->id, "HOU-2024-00017");
	/* Decomposed í became NFC. */
	assert_string_equal(c->subject.family_name, "Ramírez Núñez");
	assert_int_equal(c->subject.date_of_birth, day(1984, 3, 12));
	assert_int_equal(c->notice.kind, NOTICE_RED);	/* trimmed token */
	assert_int_equal(c->notice.purpose, PURPOSE_PROSECUTION);
	assert_int_equal(c->notice.noffenses, 1);
	assert_int_equal(c->notice.offenses[0].max_penalty_months, 96);
	assert_int_equal(c->notice.offenses[0].remaining_months, -1);
	assert_int_equal(c->notice.expires_on, DATE_NONE);
	assert_false(c->notice.warrant.present);
	assert_int_equal(c->notice.nverifications, 1);
	assert_int_equal(c->notice.verifications[0].status, VERIFY_VALID);
	assert_int_equal(c->notice.verifications[0].line, 16);
	assert_non_null(c->subject.address);
	assert_string_equal(c->subject.address->postal_code, "77002-1234");
	assert_null(c->subject.counsel);
	assert_false(c->review.present);
	assert_false(c->approval.present);
	assert_false(c->use.proceedings);
	assert_true(c->use.enforcement);
	assert_false(c->service.present);
	assert_int_equal(c->service.method, SERVICE_MAIL);
	case_free(c);
	free(path);
}

static void
test_bad_ids(void **state)
{
	(void)state;
	expect_invalid(write_case("HOU-2024-00017", "../../x", 0, NULL), 2,
	    "case id");
	expect_invalid(write_case("HOU-2024-00017", ".hidden", 0, NULL), 2,
	    "case id");
	expect_invalid(write_case("HOU-2024-00017", "", 0, NULL), 2,
	    "case id");
	expect_invalid(write_case("HOU-2024-00017", "a/b", 0, NULL), 2,
	    "case id");
	expect_invalid(write_case("HOU-2024-00017",
	    "A1234567890123456789012345678901234567890123456789012345678901234",
	    0, NULL), 2, "case id");
}

static void
test_bad_dates(void **state)
{
	(void)state;
	expect_invalid(write_case("2023-05-10", "2023-02-30", 0, NULL), 13,
	    "not a valid date");
	expect_invalid(write_case("2023-05-10", "1899-12-31", 0, NULL), 13,
	    "not a valid date");
	expect_invalid(write_case("2023-05-10", "2023-05-10Z", 0, NULL), 13,
	    "not a valid date");
	expect_invalid(write_case("2023-05-10", "02023-05-10", 0, NULL), 13,
	    "not a valid date");
	expect_invalid(write_case("1984-03-12", "2024-03-15", 0, NULL),
	    (unsigned)-1, "after the as-of date");
}

static void
test_doctype_refused(void **state)
{
	(void)state;
	expect_invalid(write_case("<case ", "<!DOCTYPE case [<!ENTITY x "
	    "\"boom\">]>\n<case ", 0, NULL), 2, "DOCTYPE");
	expect_invalid(write_case("<case ", "<!DOCTYPE case SYSTEM "
	    "\"http://127.0.0.1:9/x.dtd\">\n<case ", 0, NULL), 2, "DOCTYPE");
}

static void
test_trailing_garbage(void **state)
{
	(void)state;
	expect_invalid(write_case(NULL, NULL, 6, "\0junk!"), (unsigned)-1,
	    "after the end");
	expect_invalid(write_case(NULL, NULL, 7, "<more/>"), (unsigned)-1,
	    "well-formed");
}

static void
test_names_and_text(void **state)
{
	(void)state;
	expect_invalid(write_case("José Luis", "Jos\xE2\x80\xAE" "e", 0, NULL),
	    5, "U+202E");
	expect_invalid(write_case("José Luis", "   ", 0, NULL), 5, "empty");
	expect_invalid(write_case("José Luis", "Jos\xF0\x9F\x98\x80", 0, NULL),
	    5, "emoji");
	expect_invalid(write_case("José Luis", "Jos&#x9;e", 0, NULL), 5,
	    "tab or line break");
	expect_invalid(write_case("Aggravated fraud", "", 0, NULL), 15,
	    "empty");
}

static void
test_codes_and_pairing(void **state)
{
	(void)state;
	expect_invalid(write_case("<citizenship>VE", "<citizenship>ZZ", 0,
	    NULL), 7, "ISO 3166-1");
	expect_invalid(write_case("<maxPenaltyMonths>96</maxPenaltyMonths>",
	    "<remainingSentenceMonths>9</remainingSentenceMonths>", 0, NULL),
	    15, "maxPenaltyMonths");
	expect_invalid(write_case("proceedings=\"false\"",
	    "proceedings=\"0\"", 0, NULL), 19, "proceedings");
	expect_invalid(write_case("<state>TX</state>", "", 0, NULL), 8,
	    "address");
}

static void
test_kosovo_and_foreign_address(void **state)
{
	struct load_error err;
	char *path = write_case("<citizenship>VE</citizenship>",
	    "<citizenship>XK</citizenship>", 0, NULL);
	struct case_doc *c = intake_load_case(in, path, day(2024, 3, 14), &err);

	(void)state;
	assert_non_null(c);
	assert_string_equal(c->subject.citizenship[0], "XK");
	case_free(c);
	free(path);
	path = write_case("<city>Houston</city><state>TX</state>"
	    "<postalCode>77002-1234</postalCode>", "<city>Madrid</city>"
	    "<postalCode>28001</postalCode><country>ES</country>", 0, NULL);
	c = intake_load_case(in, path, day(2024, 3, 14), &err);
	if (c == NULL)
		fail_msg("foreign address refused: %s", err.message);
	assert_string_equal(c->subject.address->country, "ES");
	assert_null(c->subject.address->state);
	case_free(c);
	free(path);
}

static void
test_not_a_case(void **state)
{
	(void)state;
	expect_invalid(write_case("urn:rnpack:case:1", "urn:other", 0, NULL),
	    2, "not an rnpack case");
	expect_invalid(write_case("<intendedUse", "<unknown/><intendedUse", 0,
	    NULL), 19, "not allowed here");
}

static void
test_missing_file(void **state)
{
	struct load_error err;

	(void)state;
	assert_null(intake_load_case(in, "/nonexistent/x.xml", 0, &err));
	assert_int_equal(err.line, 0);
	assert_non_null(strstr(err.message, "no such file"));
	load_error_free(&err);
	assert_null(intake_load_case(in, "/tmp", 0, &err));
	assert_non_null(strstr(err.message, "folder"));
	load_error_free(&err);
}

static void
test_policy_file(void **state)
{
	struct policy p;
	struct load_error err;
	char path[256];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/policy.xml", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("<policy xmlns=\"urn:rnpack:policy:1\">"
	    "<verificationMaxAgeDays>10</verificationMaxAgeDays>"
	    "<office><name>U.S. Immigration and Customs Enforcement</name>"
	    "<address><line>126 Northpoint Dr</line><city>Houston</city>"
	    "<state>TX</state><postalCode>77060-3209</postalCode></address>"
	    "</office></policy>", f);
	fclose(f);
	policy_defaults(&p);
	assert_true(p.sample_office);
	if (!intake_load_policy("schema/policy-1.xsd", path, &p, &err))
		fail_msg("policy refused: %u: %s", err.line, err.message);
	assert_int_equal(p.verification_max_age_days, 10);
	assert_int_equal(p.training_valid_days, 365);
	assert_false(p.sample_office);
	assert_string_equal(p.offices[0].address.city, "Houston");

	f = fopen(path, "w");
	fputs("<policy xmlns=\"urn:rnpack:policy:1\">"
	    "<responseDays>-3</responseDays></policy>", f);
	fclose(f);
	policy_defaults(&p);
	assert_false(intake_load_policy("schema/policy-1.xsd", path, &p, &err));
	assert_non_null(err.message);
	load_error_free(&err);
}

/* ------------------------------------------------------------------ */
/* Revision 2 */

/* A new copy of text with from (which must be there) replaced by to. */
static char *
edit(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	struct buf b = BUF_INIT;

	if (at == NULL)
		fail_msg("test bug: \"%s\" not found", from);
	buf_add(&b, text, (size_t)(at - text));
	buf_adds(&b, to);
	buf_adds(&b, at + strlen(from));
	return buf_detach(&b);
}

static char *
write_text(const char *text)
{
	static int n;
	char *path = malloc(strlen(dir) + 32);
	FILE *f;

	sprintf(path, "%s/r%d.xml", dir, n++);
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/*
 * good with every revision-2 element: the lines are
 * 16 extract, 17 its translation, 20 officer, 21 intendedUse,
 * 22 immigrationCourt, 23 filer, 26 documentationReceived,
 * 27 document, 28 its translation, 32 subjectResponse, 33 consideration.
 */
static char *
rev2_text(const char *from, const char *to)
{
	char *a = edit(good, "    <verification on=",
	    "    <extract file=\"notice/extract.pdf\" pages=\"2\" "
	    "language=\"es\">\n"
	    "      <translation file=\"notice/extract-en.pdf\" "
	    "translator=\"T1\" certifiedOn=\"2024-03-09\"/></extract>\n"
	    "    <verification on=");
	char *b = edit(a, "<office>ERO Houston</office>",
	    "<office code=\" ERO-HOU \">ERO Houston</office>");
	char *c = edit(b, "  <intendedUse enforcement=\"true\" "
	    "proceedings=\"false\"/>\n</case>\n",
	    "  <intendedUse enforcement=\"true\" proceedings=\"true\">\n"
	    "    <immigrationCourt name=\"Houston Immigration Court\" "
	    "judge=\"Hon. R. Alvarez\" nextHearing=\"2024-05-02\">\n"
	    "      <filer office=\"OPLA-HOU\"><name>Pat Lee</name>"
	    "<title>Assistant Chief Counsel</title></filer>\n"
	    "    </immigrationCourt></intendedUse>\n"
	    "  <interpolWashington>\n"
	    "    <documentationReceived on=\"2024-03-08\">\n"
	    "      <document title=\"Warrant\" pages=\"3\" language=\"es\" "
	    "file=\"docs/warrant.pdf\" sha256=\"" "ABCDEF0123456789abcdef"
	    "0123456789ABCDEF0123456789abcdef0123456789\">\n"
	    "        <translation file=\"docs/warrant-en.pdf\" "
	    "translator=\"T2\"/></document>\n"
	    "    </documentationReceived>\n"
	    "  </interpolWashington>\n"
	    "  <service method=\"mail\" on=\"2024-03-14\"/>\n"
	    "  <subjectResponse receivedOn=\"2024-03-20\">\n"
	    "    <consideration on=\"2024-03-22\" by=\"Maria Chen\">"
	    "Reviewed; the action stands.</consideration>\n"
	    "  </subjectResponse>\n"
	    "</case>\n");
	char *d = from != NULL ? edit(c, from, to) : strdup(c);

	free(a);
	free(b);
	free(c);
	return d;
}

static struct case_doc *
load_ok(char *text, const char *what)
{
	struct load_error err;
	char *path = write_text(text);
	struct case_doc *c = intake_load_case(in, path, day(2024, 4, 1), &err);

	if (c == NULL)
		fail_msg("%s refused: %u: %s", what, err.line, err.message);
	free(text);
	free(path);
	return c;
}

static void
expect_invalid_text(char *text, unsigned line, const char *needle)
{
	struct load_error err;
	char *path = write_text(text);
	struct case_doc *c = intake_load_case(in, path, day(2024, 4, 1), &err);

	free(text);
	if (c != NULL)
		fail_msg("%s loaded but should be invalid (%s)", path, needle);
	if (strstr(err.message, needle) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.message, needle);
	if (line != (unsigned)-1)
		assert_int_equal(err.line, line);
	load_error_free(&err);
	free(path);
}

static void
test_rev2_model(void **state)
{
	struct case_doc *c = load_ok(rev2_text(NULL, NULL), "rev 2 case");
	const struct enclosure *e;

	(void)state;
	assert_string_equal(c->officer.office_code, "ERO-HOU");
	assert_int_equal(c->officer.office_line, 20);
	assert_string_equal(c->officer.office, "ERO Houston");
	assert_true(c->notice.extract.present);
	assert_int_equal(c->notice.extract.line, 16);
	assert_string_equal(c->notice.extract.file, "notice/extract.pdf");
	assert_int_equal(c->notice.extract.pages, 2);
	assert_null(c->notice.extract.sha256);
	assert_string_equal(c->notice.extract.language, "es");
	assert_non_null(c->notice.extract.translation);
	assert_string_equal(c->notice.extract.translation->file,
	    "notice/extract-en.pdf");
	assert_string_equal(c->notice.extract.translation->translator, "T1");
	assert_int_equal(c->notice.extract.translation->certified_on,
	    day(2024, 3, 9));
	assert_int_equal(c->notice.extract.translation->line, 17);
	assert_true(c->use.proceedings);
	assert_true(c->use.court.present);
	assert_int_equal(c->use.court.line, 22);
	assert_string_equal(c->use.court.name, "Houston Immigration Court");
	assert_string_equal(c->use.court.judge, "Hon. R. Alvarez");
	assert_int_equal(c->use.court.next_hearing, day(2024, 5, 2));
	assert_false(c->use.court.detained);	/* the default */
	assert_string_equal(c->use.court.filer.name, "Pat Lee");
	assert_string_equal(c->use.court.filer.title,
	    "Assistant Chief Counsel");
	assert_string_equal(c->use.court.filer.office, "OPLA-HOU");
	assert_int_equal(c->use.court.filer.line, 23);
	assert_int_equal(c->iw.nenclosures, 1);
	e = &c->iw.enclosures[0];
	assert_string_equal(e->file, "docs/warrant.pdf");
	/* kept lower-case */
	assert_string_equal(e->sha256, "abcdef0123456789abcdef0123456789"
	    "abcdef0123456789abcdef0123456789");
	assert_non_null(e->translation);
	assert_string_equal(e->translation->translator, "T2");
	assert_int_equal(e->translation->certified_on, DATE_NONE);
	assert_int_equal(e->translation->line, 28);
	assert_true(c->response.present);
	assert_int_equal(c->response.line, 32);
	assert_int_equal(c->response.received_on, day(2024, 3, 20));
	assert_true(c->response.considered);
	assert_int_equal(c->response.considered_on, day(2024, 3, 22));
	assert_string_equal(c->response.considered_by, "Maria Chen");
	assert_string_equal(c->response.consideration,
	    "Reviewed; the action stands.");
	assert_int_equal(c->response.consideration_line, 33);
	assert_string_equal(c->folder, dir);
	case_free(c);

	/* detained, and a response not yet considered */
	c = load_ok(rev2_text("nextHearing=\"2024-05-02\"",
	    "detained=\"true\""), "detained");
	assert_true(c->use.court.detained);
	assert_int_equal(c->use.court.next_hearing, DATE_NONE);
	case_free(c);
	c = load_ok(rev2_text("    <consideration on=\"2024-03-22\" "
	    "by=\"Maria Chen\">Reviewed; the action stands.</consideration>\n",
	    ""), "not considered");
	assert_true(c->response.present);
	assert_false(c->response.considered);
	assert_null(c->response.consideration);
	case_free(c);
}

/* A v1 case has none of it, and means what it did. */
static void
test_rev2_absent_in_v1(void **state)
{
	struct case_doc *c = load_ok(strdup(good), "v1 case");

	(void)state;
	assert_null(c->officer.office_code);
	assert_int_equal(c->officer.office_line, 18);
	assert_false(c->notice.extract.present);
	assert_false(c->use.court.present);
	assert_int_equal(c->use.court.next_hearing, DATE_NONE);
	assert_false(c->response.present);
	assert_null(c->subject.address->region);
	case_free(c);
}

static void
test_rev2_region(void **state)
{
	struct case_doc *c;

	(void)state;
	c = load_ok(edit(good, "<city>Houston</city><state>TX</state>"
	    "<postalCode>77002-1234</postalCode>", "<city>Toronto</city>"
	    "<region>Ontario</region><postalCode>M5V 2T6</postalCode>"
	    "<country>CA</country>"), "foreign region");
	assert_string_equal(c->subject.address->region, "Ontario");
	assert_string_equal(c->subject.address->country, "CA");
	case_free(c);
	/* a U.S. address has a state, not a region */
	expect_invalid_text(edit(good, "<city>Houston</city>",
	    "<city>Houston</city><region>Harris</region>"), 8,
	    "not allowed here");
	/* region comes before postalCode */
	expect_invalid_text(edit(good, "<city>Houston</city><state>TX</state>"
	    "<postalCode>77002-1234</postalCode>", "<city>Toronto</city>"
	    "<postalCode>M5V 2T6</postalCode><region>Ontario</region>"
	    "<country>CA</country>"), 8, "not allowed here");
}

static void
test_rev2_paths(void **state)
{
	struct case_doc *c;

	(void)state;
	expect_invalid_text(rev2_text("docs/warrant.pdf", "../warrant.pdf"),
	    27, "\"..\"");
	expect_invalid_text(rev2_text("docs/warrant.pdf",
	    "docs/../../etc/passwd"), 27, "\"..\"");
	expect_invalid_text(rev2_text("docs/warrant.pdf", "docs/.."), 27,
	    "\"..\"");
	expect_invalid_text(rev2_text("docs/warrant.pdf", "/etc/passwd"), 27,
	    "relative path");
	expect_invalid_text(rev2_text("docs/warrant-en.pdf", "/tmp/x.pdf"),
	    28, "relative path");
	expect_invalid_text(rev2_text("notice/extract.pdf", "a/../../b.pdf"),
	    16, "\"..\"");
	expect_invalid_text(rev2_text("docs/warrant.pdf", "   "), 27,
	    "empty");
	/* a name that merely starts with two dots is a name */
	c = load_ok(rev2_text("docs/warrant.pdf", "docs/..warrant.pdf"),
	    "..name");
	assert_string_equal(c->iw.enclosures[0].file, "docs/..warrant.pdf");
	case_free(c);
}

static void
test_rev2_invalid_forms(void **state)
{
	(void)state;
	/* sha256: 64 hex digits */
	expect_invalid_text(rev2_text("sha256=\"ABCDEF", "sha256=\"ABCDE"),
	    27, "sha256");
	expect_invalid_text(rev2_text("sha256=\"ABCDEF", "sha256=\"GBCDEF"),
	    27, "SHA-256");
	/* an immigration court needs proceedings */
	expect_invalid_text(rev2_text("proceedings=\"true\"",
	    "proceedings=\"false\""), 22, "proceedings");
	/* required parts */
	expect_invalid_text(rev2_text(" judge=\"Hon. R. Alvarez\"", ""), 22,
	    "judge");
	expect_invalid_text(rev2_text("<filer office=\"OPLA-HOU\">",
	    "<filer>"), 23, "office");
	expect_invalid_text(rev2_text(" translator=\"T2\"", ""), 28,
	    "translator");
	expect_invalid_text(rev2_text("<extract file=\"notice/extract.pdf\"",
	    "<extract"), 16, "file");
	expect_invalid_text(rev2_text("nextHearing=\"2024-05-02\"",
	    "detained=\"1\""), 22, "detained");
}

static void
test_rev2_office_code(void **state)
{
	(void)state;
	expect_invalid_text(edit(good, "<office>", "<office code=\"ERO HOU\">"),
	    18, "code");
	expect_invalid_text(edit(good, "<office>",
	    "<office code=\"A23456789012345678901234567890123\">"), 18,
	    "code");
	/* extract after verification is out of place */
	expect_invalid_text(edit(good, "</notice>", "<extract file=\"x.pdf\"/>"
	    "</notice>"), 17, "not allowed here");
	/* subjectResponse is the last child */
	expect_invalid_text(edit(good, "  <intendedUse", "  <subjectResponse "
	    "receivedOn=\"2024-03-01\"/>\n  <intendedUse"), 19,
	    "not allowed here");
	expect_invalid_text(rev2_text("receivedOn=\"2024-03-20\"",
	    "receivedOn=\"2024-03-20Z\""), 32, "date");
}

/* U+200C/U+200D only directly between two letters of the same script. */
static void
test_rev2_joiners(void **state)
{
	struct case_doc *c;

	(void)state;
	/* Persian: mi + ZWNJ + rzayi */
	c = load_ok(edit(good, "José Luis", "\xD9\x85\xDB\x8C\xE2\x80\x8C"
	    "\xD8\xB1\xD8\xB2\xD8\xA7"), "Persian ZWNJ");
	assert_non_null(strstr(c->subject.given_name, "\xE2\x80\x8C"));
	case_free(c);
	/* Sinhala: sha + virama + ZWJ + ra */
	c = load_ok(edit(good, "José Luis", "\xE0\xB7\x81\xE0\xB7\x8A"
	    "\xE2\x80\x8D\xE0\xB6\xBB\xE0\xB7\x93"), "Sinhala ZWJ");
	case_free(c);
	/* between two scripts: Latin + ZWNJ + Arabic */
	expect_invalid_text(edit(good, "José Luis", "Jos\xE2\x80\x8C"
	    "\xD8\xB1"), 5, "U+200C");
	/* between two Latin letters is allowed: same script */
	c = load_ok(edit(good, "José Luis", "Jos\xE2\x80\x8D" "e"),
	    "Latin ZWJ");
	case_free(c);
	/* at the start, at the end, next to a space, two in a row */
	expect_invalid_text(edit(good, "José Luis", "\xE2\x80\x8C"
	    "\xD8\xB1\xD8\xB2"), 5, "U+200C");
	expect_invalid_text(edit(good, "José Luis", "\xD8\xB1\xD8\xB2"
	    "\xE2\x80\x8C"), 5, "U+200C");
	expect_invalid_text(edit(good, "José Luis", "\xD8\xB1 \xE2\x80\x8C"
	    "\xD8\xB2"), 5, "U+200C");
	expect_invalid_text(edit(good, "José Luis", "\xD8\xB1\xE2\x80\x8C"
	    "\xE2\x80\x8C\xD8\xB2"), 5, "U+200C");
	/* the rest of the format characters stay out, even between
	 * letters of one script */
	expect_invalid_text(edit(good, "José Luis", "\xD8\xB1\xE2\x80\x8B"
	    "\xD8\xB2"), 5, "U+200B");
	expect_invalid_text(edit(good, "José Luis", "\xD8\xB1\xE2\x81\xA0"
	    "\xD8\xB2"), 5, "U+2060");
}

/* ------------------------------------------------------------------ */
/* Revision 2 policy */

#define PNS	"<policy xmlns=\"urn:rnpack:policy:1\">\n"
#define OFFICE(code, city) \
	"<office" code "><name>ICE</name><address><line>1 Main St</line>" \
	"<city>" city "</city><state>TX</state><postalCode>77060</postalCode>" \
	"</address></office>\n"

static bool
load_policy_text(const char *text, struct policy *p, struct load_error *err)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/p.xml", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	policy_defaults(p);
	return intake_load_policy("schema/policy-1.xsd", path, p, err);
}

static void
policy_ok(const char *text, struct policy *p)
{
	struct load_error err;

	if (!load_policy_text(text, p, &err))
		fail_msg("policy refused: %u: %s", err.line, err.message);
}

static void
policy_bad(const char *text, unsigned line, const char *needle)
{
	struct policy p;
	struct load_error err;

	if (load_policy_text(text, &p, &err))
		fail_msg("policy loaded but should be bad (%s)", needle);
	if (strstr(err.message, needle) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.message, needle);
	assert_int_equal(err.line, line);
	load_error_free(&err);
}

static void
test_policy_rev2(void **state)
{
	struct policy p;

	(void)state;
	/* children in another order than the v1 example */
	policy_ok(PNS
	    "<mail barcodeId=\"00\" serviceType=\"040\" mailerId=\"123456\" "
	    "endorsement=\"Return Service Requested\"/>\n"
	    "<window kind=\"flat\" left=\"1.5\" top=\"2\" width=\"4\" "
	    "height=\"1.25\"/>\n"
	    OFFICE(" code=\"ERO-HOU\"", "Houston")
	    "<translator id=\"T1\" name=\"Laura Gómez\" qualification=\"Court "
	    "interpreter\"><address><line>1 Main St</line><city>Houston</city>"
	    "<state>TX</state><postalCode>77002</postalCode></address>"
	    "<phone>281-555-0199</phone></translator>\n"
	    "<responseDays mailDays=\"5\">20</responseDays>\n"
	    OFFICE(" code=\"ERO-MIA\"", "Miami")
	    "<translator id=\"T2\" name=\"Jean Petit\" qualification=\"Sworn\"/>\n"
	    "<documents root=\"/srv/docs\" maxPagesPerCase=\"100\" "
	    "maxFileBytes=\"1048576\"/>\n"
	    "<paper sheetOunces=\"0.2\" envelopeOunces=\"0.25\" "
	    "flatEnvelopeOunces=\"1\" maxFoldedSheets=\"4\"/>\n"
	    "<window left=\"0.75\" top=\"2\" width=\"3.75\" height=\"1.125\"/>\n"
	    "<verificationMaxAgeDays>10</verificationMaxAgeDays>\n"
	    "</policy>\n", &p);
	assert_false(p.sample_office);
	assert_int_equal(p.noffices, 2);
	assert_string_equal(p.offices[0].code, "ERO-HOU");
	assert_string_equal(p.offices[1].code, "ERO-MIA");
	assert_string_equal(p.offices[1].address.city, "Miami");
	assert_ptr_equal(policy_office_for(&p, "ERO-MIA"), &p.offices[1]);
	assert_null(policy_office_for(&p, NULL));
	assert_null(policy_office_for(&p, "ERO-DAL"));
	assert_false(p.sample_translator);
	assert_int_equal(p.ntranslators, 2);
	assert_string_equal(p.translators[0].id, "T1");
	assert_true(p.translators[0].has_address);
	assert_string_equal(p.translators[0].address.postal_code, "77002");
	assert_string_equal(p.translators[0].phone, "281-555-0199");
	assert_false(p.translators[1].has_address);
	assert_ptr_equal(policy_translator(&p, "T2"), &p.translators[1]);
	assert_null(policy_translator(&p, "T3"));
	assert_int_equal(p.response_days, 20);
	assert_int_equal(p.mail_days, 5);
	assert_string_equal(p.documents_root, "/srv/docs");
	assert_int_equal(p.max_pages_per_case, 100);
	assert_true(p.max_file_bytes == 1048576);
	assert_true(p.has_mail);
	assert_string_equal(p.endorsement, "Return Service Requested");
	assert_true(p.sheet_oz == 0.2 && p.envelope_oz == 0.25 &&
	    p.flat_envelope_oz == 1.0);
	assert_int_equal(p.max_folded_sheets, 4);
	assert_true(p.window_left_in == 0.75 && p.window_width_in == 3.75);
	assert_true(p.flat_window.left_in == 1.5 &&
	    p.flat_window.height_in == 1.25);
	assert_int_equal(p.verification_max_age_days, 10);

	/* Only the letter window: the flat one is the same rectangle. */
	policy_ok(PNS "<window kind=\"letter\" left=\"0.5\" top=\"2.5\" "
	    "width=\"4\" height=\"1\"/></policy>", &p);
	assert_true(p.window_left_in == 0.5 && p.window_top_in == 2.5);
	assert_true(p.flat_window.left_in == 0.5 &&
	    p.flat_window.top_in == 2.5 && p.flat_window.width_in == 4.0 &&
	    p.flat_window.height_in == 1.0);

	/* The defaults, and the v1 forms. */
	policy_ok(PNS "<responseDays>30</responseDays>"
	    "<translator name=\"A\" qualification=\"B\"/>"
	    OFFICE("", "Houston") "</policy>", &p);
	assert_int_equal(p.mail_days, 3);
	assert_int_equal(p.noffices, 1);
	assert_string_equal(p.offices[0].code, "");
	assert_ptr_equal(policy_office_for(&p, "ANY"), &p.offices[0]);
	assert_string_equal(p.translators[0].id, "");
	assert_string_equal(p.endorsement, "");
	assert_string_equal(p.documents_root, "");
	assert_int_equal(p.max_pages_per_case, 500);
	assert_int_equal(p.max_folded_sheets, 5);
	assert_true(p.flat_window.left_in == 1.0 &&
	    p.flat_window.top_in == 2.125);

	/* A single office with a code serves cases naming it or none. */
	policy_ok(PNS OFFICE(" code=\"ERO-HOU\"", "Houston") "</policy>", &p);
	assert_ptr_equal(policy_office_for(&p, NULL), &p.offices[0]);
	assert_ptr_equal(policy_office_for(&p, "ERO-HOU"), &p.offices[0]);
	assert_null(policy_office_for(&p, "ERO-MIA"));
}

static void
test_policy_rev2_bad(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	policy_bad(PNS OFFICE(" code=\"ERO-HOU\"", "Houston")
	    OFFICE(" code=\"ERO-HOU\"", "Miami") "</policy>", 3,
	    "used twice");
	policy_bad(PNS OFFICE(" code=\"ERO-HOU\"", "Houston")
	    OFFICE("", "Miami") "</policy>", 3, "no code");
	policy_bad(PNS OFFICE(" code=\"ERO HOU\"", "Houston") "</policy>", 2,
	    "code");
	policy_bad(PNS "<window left=\"1\" top=\"2\" width=\"3\" "
	    "height=\"1\"/>\n<window kind=\"letter\" left=\"1\" top=\"2\" "
	    "width=\"3\" height=\"1\"/></policy>", 3, "one window per kind");
	policy_bad(PNS "<window kind=\"flat\" left=\"1\" top=\"2\" width=\"3\" "
	    "height=\"1\"/>\n<window kind=\"flat\" left=\"1\" top=\"2\" "
	    "width=\"3\" height=\"1\"/></policy>", 3, "one window per kind");
	policy_bad(PNS "<window kind=\"wide\" left=\"1\" top=\"2\" "
	    "width=\"3\" height=\"1\"/></policy>", 2, "kind");
	policy_bad(PNS "<responseDays>30</responseDays>\n<mail barcodeId=\"00\" "
	    "serviceType=\"040\" mailerId=\"123456\"/>\n"
	    "<responseDays>20</responseDays></policy>", 4, "second time");
	policy_bad(PNS "<translator id=\"T1\" name=\"A\" qualification=\"B\"/>\n"
	    "<translator id=\"T1\" name=\"C\" qualification=\"D\"/></policy>",
	    3, "used twice");
	policy_bad(PNS "<translator id=\"T 1\" name=\"A\" qualification=\"B\"/>"
	    "</policy>", 2, "id");
	policy_bad(PNS "<paper sheetOunces=\"0\"/></policy>", 2,
	    "sheetOunces");
	policy_bad(PNS "<paper maxFoldedSheets=\"0\"/></policy>", 2,
	    "maxFoldedSheets");
	policy_bad(PNS "<responseDays mailDays=\"-1\">30</responseDays>"
	    "</policy>", 2, "mailDays");
	policy_bad(PNS "<documents maxFileBytes=\"0\"/></policy>", 2,
	    "maxFileBytes");
	policy_bad(PNS "<mail barcodeId=\"00\" serviceType=\"040\" "
	    "mailerId=\"123456\" endorsement=\"\"/></policy>", 2,
	    "endorsement");
	/* more offices than POLICY_MAX_OFFICES */
	buf_adds(&b, PNS);
	for (int i = 0; i <= POLICY_MAX_OFFICES; i++)
		buf_addf(&b, "<office code=\"O%d\"><name>ICE</name><address>"
		    "<line>1 Main St</line><city>Houston</city><state>TX</state>"
		    "<postalCode>77060</postalCode></address></office>\n", i);
	buf_adds(&b, "</policy>");
	policy_bad(b.ptr, POLICY_MAX_OFFICES + 2, "at most 32");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_case_model),
		cmocka_unit_test(test_bad_ids),
		cmocka_unit_test(test_bad_dates),
		cmocka_unit_test(test_doctype_refused),
		cmocka_unit_test(test_trailing_garbage),
		cmocka_unit_test(test_names_and_text),
		cmocka_unit_test(test_codes_and_pairing),
		cmocka_unit_test(test_kosovo_and_foreign_address),
		cmocka_unit_test(test_not_a_case),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_policy_file),
		cmocka_unit_test(test_rev2_model),
		cmocka_unit_test(test_rev2_absent_in_v1),
		cmocka_unit_test(test_rev2_region),
		cmocka_unit_test(test_rev2_paths),
		cmocka_unit_test(test_rev2_invalid_forms),
		cmocka_unit_test(test_rev2_office_code),
		cmocka_unit_test(test_rev2_joiners),
		cmocka_unit_test(test_policy_rev2),
		cmocka_unit_test(test_policy_rev2_bad),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
