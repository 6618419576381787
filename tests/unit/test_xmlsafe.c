/*
 * test_xmlsafe.c - cmocka tests for the messages xmlsafe.c makes from
 * libxml2's error codes and fields: each main code, through the real
 * parser and the shipped case schema (tests run from the source tree).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnpack/intake.h"
#include "xmlsafe_int.h"

#include "scratch.h"

#define NS	"urn:rnpack:case:1"

static char dir[] = "/tmp/rnpack-test-xmlsafe.XXXXXX";
static xmlSchemaPtr schema;
static char *good;	/* samples/complete-red-notice.xml */

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = calloc(1, (size_t)n + 1);
	if (fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	fclose(f);
	return s;
}

static int
setup(void **state)
{
	char *msg = NULL;

	(void)state;
	intake_init();
	if (scratch_make(dir) != 0)
		return -1;
	schema = xmlsafe_schema("schema/case-1.xsd", &msg);
	good = slurp("samples/complete-red-notice.xml");
	free(msg);
	return schema == NULL || good == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	xmlSchemaFree(schema);
	free(good);
	intake_cleanup();
	return scratch_remove(dir);
}

/* good with the first from replaced by to (NULL text: the whole of to). */
static char *
edit(const char *from, const char *to)
{
	const char *p = strstr(good, from);
	size_t n;
	char *s;

	assert_non_null(p);
	n = strlen(good) - strlen(from) + strlen(to);
	s = calloc(1, n + 1);
	memcpy(s, good, (size_t)(p - good));
	strcat(s, to);
	strcat(s, p + strlen(from));
	return s;
}

/* Load text; it must fail at line with a message holding each of the
 * NULL-terminated strings. */
static void
expect(char *text, unsigned line, ...)
{
	struct load_error err = { 0, NULL, NULL, false };
	char path[300];
	const char *want;
	xmlDocPtr doc;
	va_list ap;
	FILE *f;

	snprintf(path, sizeof(path), "%s/c.xml", dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(text);
	doc = xmlsafe_load(path, schema, "case", NS, &err, NULL);
	assert_null(doc);
	assert_non_null(err.message);
	if (line != 0 && err.line != line)
		fail_msg("line %u, not %u: %s", err.line, line, err.message);
	va_start(ap, line);
	while ((want = va_arg(ap, const char *)) != NULL)
		if (strstr(err.message, want) == NULL)
			fail_msg("message \"%s\" lacks \"%s\"", err.message,
			    want);
	va_end(ap);
	/* Never libxml2's namespaces in braces. */
	assert_null(strstr(err.message, "{urn:"));
	load_error_free(&err);
}

static void
test_unknown_element(void **state)
{
	(void)state;
	expect(edit("<alias>", "<bogus/><alias>"), 8,
	    "<bogus> is not allowed here; expected <alias> or <dateOfBirth>",
	    NULL);
	expect(edit("<givenName>José Luis</givenName>", ""), 0,
	    "<alias> is not allowed here; expected <givenName>", NULL);
	expect(edit("<issuingCountry>VE</issuingCountry>", ""), 0,
	    "not allowed here", "<issuingCountry>", NULL);
}

static void
test_attributes(void **state)
{
	(void)state;
	expect(edit(" kind=\"red-notice\"", ""), 19,
	    "<notice> is missing its required attribute kind", NULL);
	expect(edit(" kind=\"red-notice\"", " kind=\"red-notice\" foo=\"1\""),
	    19, "<notice> has an attribute foo, which case files do not use",
	    NULL);
	/* A value error names the attribute, found by its value. */
	expect(edit("issuedOn=\"2023-03-02\"", "issuedOn=\"2023-13-02\""), 0,
	    "attribute issuedOn of <arrestWarrant>: \"2023-13-02\" is not a "
	    "valid date (YYYY-MM-DD", NULL);
}

static void
test_values_name_what_is_allowed(void **state)
{
	(void)state;
	expect(edit(" kind=\"red-notice\"", " kind=\"blue\""), 19,
	    "attribute kind of <notice>: \"blue\" is not one of the allowed "
	    "values (red-notice, diffusion)", NULL);
	expect(edit("<citizenship>VE", "<citizenship>ve"), 10,
	    "<citizenship>: \"ve\" is not a valid country code (two capital "
	    "letters", NULL);
	expect(edit("<maxPenaltyMonths>96", "<maxPenaltyMonths>x"), 0,
	    "<maxPenaltyMonths>: \"x\" is not a valid number of months "
	    "(0 to 1200)", NULL);
	expect(edit("<maxPenaltyMonths>96", "<maxPenaltyMonths>1201"), 0,
	    "<maxPenaltyMonths>: 1201 is out of range (a number of months",
	    NULL);
	expect(edit("<familyName>Ramírez Núñez", "<familyName>"), 6,
	    "<familyName> must not be empty", NULL);
}

static void
test_content(void **state)
{
	(void)state;
	expect(edit("<subject>", "<subject>hello"), 5,
	    "<subject> must contain elements only, not text", NULL);
	expect(edit("<city>Houston</city>", "<city><b/>Houston</city>"), 13,
	    "<city> must contain text only, not elements", NULL);
	/* Every problem, not only the first. */
	expect(edit("<citizenship>VE", "<citizenship>ve"), 10,
	    "<citizenship>", NULL);
}

static void
test_not_well_formed(void **state)
{
	(void)state;
	expect(edit("</subject>", "</subjectx>"), 0,
	    "the file is not well-formed XML: </subjectx> closes <subject>, "
	    "opened on line 5", NULL);
	expect(edit("</case>", "</case>junk"), 0, "not well-formed XML: "
	    "there is more after the end of the root element", NULL);
	expect(edit("Aggravated fraud", "fraud & theft"), 0,
	    "starts no tag or reference", "&amp; for &", NULL);
	expect(edit("Aggravated fraud", "fraud &amp theft"), 0,
	    "an & that starts no reference (write &amp;", NULL);
	expect(edit("Aggravated fraud", "a < b"), 0,
	    "write &lt; for the character <", NULL);
	expect(edit(" kind=\"red-notice\"", " kind=\"red-notice\" "
	    "kind=\"diffusion\""), 0, "the attribute kind is given twice",
	    NULL);
}

static void
test_entities_and_dtds_refused(void **state)
{
	(void)state;
	expect(edit("Aggravated fraud", "&xxe;"), 0, "&xxe; is refused: case "
	    "files use no entities", NULL);
	expect(edit("<case ", "<!DOCTYPE case [<!ENTITY x \"boom\">]>\n<case "),
	    0, "DOCTYPE", NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown_element),
		cmocka_unit_test(test_attributes),
		cmocka_unit_test(test_values_name_what_is_allowed),
		cmocka_unit_test(test_content),
		cmocka_unit_test(test_not_well_formed),
		cmocka_unit_test(test_entities_and_dtds_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
