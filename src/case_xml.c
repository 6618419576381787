/*
 * case_xml.c - libxml2 tree of a validated case file -> typed case model.
 *
 * The schema has already checked structure, enumerations and patterns;
 * this file does what XSD 1.0 cannot say (docs/case-format.md): trimmed
 * lengths, character classes, real country codes, the purpose/months
 * pairing, a date of birth after the as-of date, and (revision 2) safe
 * relative @file paths and an immigration court only with proceedings.
 * The first problem stops the load, with its line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "rnpack/case.h"
#include "rnpack/country.h"
#include "rnpack/date.h"
#include "rnpack/diag.h"
#include "rnpack/intake.h"
#include "rnpack/utext.h"
#include "rnpack/xalloc.h"
#include "xmlsafe_int.h"

#define CASE_NS		"urn:rnpack:case:1"
#define NAME_MAX_CP	200
#define TEXT_MAX_CP	4000

struct intake {
	xmlSchemaPtr	schema;
};

/* Loader state: the case being filled and the first problem found. */
struct ld {
	struct case_doc		*c;
	struct load_error	*err;
	bool			 failed;
};

static void fail(struct ld *, unsigned, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
fail(struct ld *ld, unsigned line, const char *fmt, ...)
{
	struct buf_msg { char s[1024]; } m;
	va_list ap;

	if (ld->failed)
		return;
	ld->failed = true;
	va_start(ap, fmt);
	vsnprintf(m.s, sizeof(m.s), fmt, ap);
	va_end(ap);
	xmlsafe_fail(ld->err, line, "%s", m.s);
}

static bool
is_elem(xmlNodePtr n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	    strcmp((const char *)n->ns->href, CASE_NS) == 0 &&
	    strcmp((const char *)n->name, name) == 0;
}

static xmlNodePtr
next_named(xmlNodePtr n, const char *name)
{
	for (; n != NULL; n = n->next)
		if (is_elem(n, name))
			return n;
	return NULL;
}

static xmlNodePtr
child(xmlNodePtr parent, const char *name)
{
	return parent ? next_named(parent->children, name) : NULL;
}

#define EACH(n, parent, name) \
	for (xmlNodePtr n = child((parent), (name)); n != NULL; \
	    n = next_named(n->next, (name)))

static size_t
count(xmlNodePtr parent, const char *name)
{
	size_t k = 0;

	EACH(n, parent, name)
		k++;
	return k;
}

/*
 * Check one piece of text and keep its trimmed NFC form.  label names
 * the field for the clerk; NULL raw means absent.
 */
static const char *
keep_text(struct ld *ld, const char *raw, const char *label, unsigned line,
    enum utext_rules rules, size_t max_cp)
{
	char *t, *nfc;
	const char *kept;
	enum utext_fault f;
	uint32_t cp;
	size_t n;

	if (ld->failed)
		return "";
	if (raw == NULL) {
		fail(ld, line, "%s is missing", label);
		return "";
	}
	t = utext_trim(raw);
	if (t[0] == '\0') {
		fail(ld, line, "%s is empty (or only spaces)", label);
		free(t);
		return "";
	}
	if ((f = utext_check(t, rules, &cp)) != UTEXT_OK) {
		fail(ld, line, "%s contains %s (U+%04X), which is not allowed "
		    "in %s", label, utext_fault_text(f), (unsigned)cp,
		    rules == UTEXT_NAME ? "a name" : "this field");
		free(t);
		return "";
	}
	nfc = utext_nfc(t);
	free(t);
	if ((n = utext_length(nfc)) > max_cp) {
		fail(ld, line, "%s is %zu characters long; at most %zu are "
		    "allowed", label, n, max_cp);
		free(nfc);
		return "";
	}
	kept = case_strdup(ld->c, nfc);
	free(nfc);
	return kept;
}

static const char *
elem_text(struct ld *ld, xmlNodePtr parent, const char *name,
    enum utext_rules rules, size_t max_cp, bool required)
{
	xmlNodePtr n = child(parent, name);
	char label[96];
	xmlChar *raw;
	const char *kept;

	if (n == NULL) {
		if (required)
			fail(ld, parent ? xmlsafe_line(parent) : 0,
			    "<%s> is missing", name);
		return required ? "" : NULL;
	}
	snprintf(label, sizeof(label), "<%s>", name);
	raw = xmlNodeGetContent(n);
	kept = keep_text(ld, (const char *)raw, label, xmlsafe_line(n), rules,
	    max_cp);
	xmlFree(raw);
	return kept;
}

static const char *
node_text(struct ld *ld, xmlNodePtr n, enum utext_rules rules, size_t max_cp)
{
	char label[96];
	xmlChar *raw = xmlNodeGetContent(n);
	const char *kept;

	snprintf(label, sizeof(label), "<%s>", (const char *)n->name);
	kept = keep_text(ld, (const char *)raw, label, xmlsafe_line(n), rules,
	    max_cp);
	xmlFree(raw);
	return kept;
}

static const char *
attr_text(struct ld *ld, xmlNodePtr n, const char *attr,
    enum utext_rules rules, size_t max_cp, bool required)
{
	xmlChar *raw = xmlGetNoNsProp(n, (const xmlChar *)attr);
	char label[128];
	const char *kept;

	if (raw == NULL) {
		if (required)
			fail(ld, xmlsafe_line(n), "<%s> is missing its "
			    "attribute %s", (const char *)n->name, attr);
		return required ? "" : NULL;
	}
	snprintf(label, sizeof(label), "attribute %s of <%s>", attr,
	    (const char *)n->name);
	kept = keep_text(ld, (const char *)raw, label, xmlsafe_line(n), rules,
	    max_cp);
	xmlFree(raw);
	return kept;
}

/* Index of the trimmed token in words, or -1 after failing. */
static int
token(struct ld *ld, const char *s, const char *label, unsigned line,
    const char *const *words)
{
	char *t;
	int found = -1;

	if (ld->failed || s == NULL)
		return -1;
	t = utext_trim(s);
	for (int i = 0; words[i] != NULL; i++)
		if (strcmp(t, words[i]) == 0)
			found = i;
	if (found < 0) {
		char *q = diag_quote(t, 40);

		fail(ld, line, "%s: \"%s\" is not an allowed value", label, q);
		free(q);
	}
	free(t);
	return found;
}

static int
attr_token(struct ld *ld, xmlNodePtr n, const char *attr,
    const char *const *words, int absent)
{
	xmlChar *raw = xmlGetNoNsProp(n, (const xmlChar *)attr);
	char label[128];
	int v;

	if (raw == NULL)
		return absent;
	snprintf(label, sizeof(label), "attribute %s of <%s>", attr,
	    (const char *)n->name);
	v = token(ld, (const char *)raw, label, xmlsafe_line(n), words);
	xmlFree(raw);
	return v < 0 ? 0 : v;
}

static int
elem_token(struct ld *ld, xmlNodePtr n, const char *const *words)
{
	xmlChar *raw = xmlNodeGetContent(n);
	char label[96];
	int v;

	snprintf(label, sizeof(label), "<%s>", (const char *)n->name);
	v = token(ld, (const char *)raw, label, xmlsafe_line(n), words);
	xmlFree(raw);
	return v < 0 ? 0 : v;
}

static int32_t
parse_date(struct ld *ld, const char *raw, const char *label, unsigned line)
{
	int32_t d;
	char *t;

	if (ld->failed || raw == NULL)
		return DATE_NONE;
	t = utext_trim(raw);
	if (!date_parse(t, &d)) {
		char *q = diag_quote(t, 40);

		fail(ld, line, "%s: \"%s\" is not a valid date (YYYY-MM-DD, "
		    "a real calendar day, years 1900 to 2199)", label, q);
		free(q);
		d = DATE_NONE;
	}
	free(t);
	return d;
}

static int32_t
attr_date(struct ld *ld, xmlNodePtr n, const char *attr, bool required)
{
	xmlChar *raw = xmlGetNoNsProp(n, (const xmlChar *)attr);
	char label[128];
	int32_t d;

	if (raw == NULL) {
		if (required)
			fail(ld, xmlsafe_line(n), "<%s> is missing its date "
			    "attribute %s", (const char *)n->name, attr);
		return DATE_NONE;
	}
	snprintf(label, sizeof(label), "attribute %s of <%s>", attr,
	    (const char *)n->name);
	d = parse_date(ld, (const char *)raw, label, xmlsafe_line(n));
	xmlFree(raw);
	return d;
}

static int32_t
elem_date(struct ld *ld, xmlNodePtr parent, const char *name, bool required)
{
	xmlNodePtr n = child(parent, name);
	char label[96];
	xmlChar *raw;
	int32_t d;

	if (n == NULL) {
		if (required)
			fail(ld, xmlsafe_line(parent), "<%s> is missing", name);
		return DATE_NONE;
	}
	snprintf(label, sizeof(label), "<%s>", name);
	raw = xmlNodeGetContent(n);
	d = parse_date(ld, (const char *)raw, label, xmlsafe_line(n));
	xmlFree(raw);
	return d;
}

/* A small non-negative integer (months, pages), or -1 when absent. */
static int
elem_int(struct ld *ld, xmlNodePtr n, int lo, int hi)
{
	xmlChar *raw;
	char *t, *end;
	long v;

	if (n == NULL || ld->failed)
		return -1;
	raw = xmlNodeGetContent(n);
	t = utext_trim((const char *)raw);
	xmlFree(raw);
	v = strtol(t, &end, 10);
	if (*t == '\0' || *end != '\0' || v < lo || v > hi) {
		char *q = diag_quote(t, 20);

		fail(ld, xmlsafe_line(n), "<%s>: \"%s\" is not a number from "
		    "%d to %d", (const char *)n->name, q, lo, hi);
		free(q);
		v = -1;
	}
	free(t);
	return (int)v;
}

static int
attr_int(struct ld *ld, xmlNodePtr n, const char *attr, int lo, int hi)
{
	xmlChar *raw = xmlGetNoNsProp(n, (const xmlChar *)attr);
	char *t, *end;
	long v;

	if (raw == NULL || ld->failed) {
		xmlFree(raw);
		return -1;
	}
	t = utext_trim((const char *)raw);
	xmlFree(raw);
	v = strtol(t, &end, 10);
	if (*t == '\0' || *end != '\0' || v < lo || v > hi) {
		fail(ld, xmlsafe_line(n), "attribute %s of <%s> must be a "
		    "number from %d to %d", attr, (const char *)n->name, lo, hi);
		v = -1;
	}
	free(t);
	return (int)v;
}

static const char *
country(struct ld *ld, const char *code, const char *label, unsigned line)
{
	if (ld->failed || code == NULL)
		return code;
	if (!country_is_known(code)) {
		char *q = diag_quote(code, 10);

		fail(ld, line, "%s: \"%s\" is not an ISO 3166-1 country code",
		    label, q);
		free(q);
	}
	return code;
}

static const char *const bools[] = { "false", "true", NULL };

static bool
attr_bool(struct ld *ld, xmlNodePtr n, const char *attr)
{
	return attr_token(ld, n, attr, bools, 0) == 1;
}

/*
 * A document's file (@file): relative to the documents root or the case
 * file's folder, so never absolute and never climbing out with "..".
 */
static const char *
attr_path(struct ld *ld, xmlNodePtr n, const char *attr, bool required)
{
	const char *v = attr_text(ld, n, attr, UTEXT_ONE_LINE, 4096, required);
	const char *seg;

	if (ld->failed || v == NULL)
		return v;
	if (v[0] == '/' || v[0] == '\\' || v[0] == '~') {
		fail(ld, xmlsafe_line(n), "attribute %s of <%s> must be a "
		    "relative path (of the documents folder), not an absolute "
		    "one", attr, (const char *)n->name);
		return v;
	}
	for (seg = v; *seg != '\0'; ) {
		size_t k = strcspn(seg, "/\\");

		if (k == 2 && seg[0] == '.' && seg[1] == '.') {
			fail(ld, xmlsafe_line(n), "attribute %s of <%s> must "
			    "not contain a \"..\" segment: a document's file "
			    "stays inside the documents folder", attr,
			    (const char *)n->name);
			return v;
		}
		seg += k;
		if (*seg != '\0')
			seg++;
	}
	return v;
}

/* @sha256: 64 hex digits (the schema checked the form), kept lower-case. */
static const char *
attr_sha256(struct ld *ld, xmlNodePtr n)
{
	const char *v = attr_text(ld, n, "sha256", UTEXT_ONE_LINE, 64, false);
	char *low;
	size_t k;

	if (ld->failed || v == NULL)
		return v;
	for (k = 0; v[k] != '\0'; k++)
		if (strchr("0123456789abcdefABCDEF", v[k]) == NULL)
			break;
	if (k != 64 || v[k] != '\0') {
		fail(ld, xmlsafe_line(n), "attribute sha256 of <%s> must be "
		    "64 hexadecimal digits", (const char *)n->name);
		return v;
	}
	low = case_alloc(ld->c, 65, 1);
	for (k = 0; k < 64; k++)
		low[k] = (char)(v[k] >= 'A' && v[k] <= 'F' ? v[k] - 'A' + 'a' :
		    v[k]);
	return low;
}

/* translation: the certified English translation of a document. */
static const struct translation *
load_translation(struct ld *ld, xmlNodePtr n)
{
	struct translation *t;

	if (n == NULL)
		return NULL;
	t = case_alloc(ld->c, 1, sizeof(*t));
	t->line = xmlsafe_line(n);
	t->file = attr_path(ld, n, "file", true);
	t->translator = attr_text(ld, n, "translator", UTEXT_ONE_LINE, 32,
	    true);
	t->certified_on = attr_date(ld, n, "certifiedOn", false);
	return t;
}

/* ------------------------------------------------------------------ */

static const struct address *
load_address(struct ld *ld, xmlNodePtr n)
{
	struct address *a;
	xmlNodePtr cn;

	if (n == NULL)
		return NULL;
	a = case_alloc(ld->c, 1, sizeof(*a));
	a->line = xmlsafe_line(n);
	EACH(l, n, "line") {
		if (a->nlines < 3)
			a->lines[a->nlines++] = node_text(ld, l, UTEXT_ONE_LINE,
			    64);
	}
	if (a->nlines == 0)
		fail(ld, a->line, "<address> needs at least one <line>");
	a->city = elem_text(ld, n, "city", UTEXT_ONE_LINE, 64, true);
	a->region = elem_text(ld, n, "region", UTEXT_ONE_LINE, 64, false);
	a->state = elem_text(ld, n, "state", UTEXT_ONE_LINE, 2, false);
	a->postal_code = elem_text(ld, n, "postalCode", UTEXT_ONE_LINE, 16,
	    false);
	if ((cn = child(n, "country")) != NULL) {
		a->country = country(ld, node_text(ld, cn, UTEXT_ONE_LINE, 2),
		    "<country>", xmlsafe_line(cn));
		if (!ld->failed && strcmp(a->country, "US") == 0)
			fail(ld, xmlsafe_line(cn), "<country> US: a U.S. "
			    "address is written with <state> and <postalCode>, "
			    "not <country>");
	} else if (a->state == NULL || a->postal_code == NULL)
		fail(ld, a->line, "a U.S. <address> needs <city>, <state> and "
		    "<postalCode>; a foreign one needs <country>");
	return a;
}

static void
load_subject(struct ld *ld, xmlNodePtr s)
{
	struct subject *sub = &ld->c->subject;
	const char **list;
	unsigned *lines;
	xmlNodePtr n;
	size_t k;
	static const char *const kinds[] = { "asylum-applicant", "refugee",
	    "withholding", "cat", NULL };

	sub->line = xmlsafe_line(s);
	sub->family_name = elem_text(ld, s, "familyName", UTEXT_NAME,
	    NAME_MAX_CP, true);
	sub->given_name = elem_text(ld, s, "givenName", UTEXT_NAME,
	    NAME_MAX_CP, true);
	n = child(s, "familyName");
	sub->family_line = n ? xmlsafe_line(n) : sub->line;
	n = child(s, "givenName");
	sub->given_line = n ? xmlsafe_line(n) : sub->line;
	list = case_alloc(ld->c, count(s, "alias") + 1, sizeof(*list));
	lines = case_alloc(ld->c, count(s, "alias") + 1, sizeof(*lines));
	k = 0;
	EACH(a, s, "alias") {
		lines[k] = xmlsafe_line(a);
		list[k++] = node_text(ld, a, UTEXT_NAME, NAME_MAX_CP);
	}
	sub->aliases = list;
	sub->alias_lines = lines;
	sub->naliases = k;
	sub->date_of_birth = elem_date(ld, s, "dateOfBirth", true);
	list = case_alloc(ld->c, count(s, "citizenship") + 1, sizeof(*list));
	k = 0;
	EACH(cz, s, "citizenship")
		list[k++] = country(ld, node_text(ld, cz, UTEXT_ONE_LINE, 2),
		    "<citizenship>", xmlsafe_line(cz));
	sub->citizenship = list;
	sub->ncitizenship = k;
	sub->a_number = elem_text(ld, s, "aNumber", UTEXT_ONE_LINE, 10, false);
	if ((n = child(s, "preferredLanguage")) != NULL) {
		sub->language = node_text(ld, n, UTEXT_ONE_LINE, 35);
		sub->language_line = xmlsafe_line(n);
	}
	if ((n = child(s, "protectionStatus")) != NULL) {
		sub->has_protection = true;
		sub->protection_line = xmlsafe_line(n);
		sub->protection = (enum protection_kind)elem_token(ld, n, kinds);
		sub->protection_against = country(ld,
		    attr_text(ld, n, "against", UTEXT_ONE_LINE, 2, true),
		    "attribute against of <protectionStatus>",
		    sub->protection_line);
	}
	sub->address = load_address(ld, child(s, "address"));
	if ((n = child(s, "counsel")) != NULL) {
		struct counsel *co = case_alloc(ld->c, 1, sizeof(*co));

		co->line = xmlsafe_line(n);
		co->name = elem_text(ld, n, "name", UTEXT_NAME, NAME_MAX_CP,
		    true);
		co->address = load_address(ld, child(n, "address"));
		sub->counsel = co;
	}
}

static void
load_notice(struct ld *ld, xmlNodePtr n)
{
	struct notice *no = &ld->c->notice;
	struct offense *offs;
	struct verification *vs;
	xmlNodePtr w, e;
	size_t k;
	static const char *const kinds[] = { "red-notice", "diffusion", NULL };
	static const char *const purposes[] = { "prosecution", "sentence",
	    NULL };
	static const char *const statuses[] = { "valid", "suspended",
	    "withdrawn", "cancelled", "deleted", "blocked", "expired", NULL };

	no->line = xmlsafe_line(n);
	no->kind = (enum notice_kind)attr_token(ld, n, "kind", kinds, 0);
	no->control_number = elem_text(ld, n, "controlNumber", UTEXT_ONE_LINE,
	    40, true);
	e = child(n, "issuingCountry");
	no->issuing_country = country(ld, elem_text(ld, n, "issuingCountry",
	    UTEXT_ONE_LINE, 2, true), "<issuingCountry>",
	    e ? xmlsafe_line(e) : no->line);
	no->issued_on = elem_date(ld, n, "issuedOn", true);
	no->expires_on = elem_date(ld, n, "expiresOn", false);
	if ((e = child(n, "expiresOn")) != NULL)
		no->expires_line = xmlsafe_line(e);
	if ((e = child(n, "purpose")) != NULL)
		no->purpose = (enum purpose)elem_token(ld, e, purposes);
	else
		fail(ld, no->line, "<notice> is missing <purpose>");

	offs = case_alloc(ld->c, count(n, "offense") + 1, sizeof(*offs));
	k = 0;
	EACH(o, n, "offense") {
		struct offense *of = &offs[k++];
		xmlNodePtr mp = child(o, "maxPenaltyMonths");
		xmlNodePtr rs = child(o, "remainingSentenceMonths");

		of->line = xmlsafe_line(o);
		of->description_line = child(o, "description") != NULL ?
		    xmlsafe_line(child(o, "description")) : of->line;
		of->description = elem_text(ld, o, "description",
		    UTEXT_FREE_TEXT, 500, true);
		of->law = elem_text(ld, o, "law", UTEXT_FREE_TEXT, TEXT_MAX_CP,
		    false);
		of->max_penalty_months = elem_int(ld, mp, 0, 1200);
		of->remaining_months = elem_int(ld, rs, 0, 1200);
		if (no->purpose == PURPOSE_PROSECUTION && mp == NULL)
			fail(ld, of->line, "<offense> needs <maxPenaltyMonths> "
			    "because the notice's purpose is prosecution");
		if (no->purpose == PURPOSE_SENTENCE && rs == NULL)
			fail(ld, of->line, "<offense> needs "
			    "<remainingSentenceMonths> because the notice's "
			    "purpose is sentence");
	}
	if (k == 0)
		fail(ld, no->line, "<notice> needs at least one <offense>");
	no->offenses = offs;
	no->noffenses = k;

	if ((w = child(n, "arrestWarrant")) != NULL) {
		no->warrant.present = true;
		no->warrant.line = xmlsafe_line(w);
		no->warrant.issued_by = attr_text(ld, w, "issuedBy",
		    UTEXT_FREE_TEXT, TEXT_MAX_CP, true);
		no->warrant.issued_on = attr_date(ld, w, "issuedOn", true);
		no->warrant.reference = attr_text(ld, w, "reference",
		    UTEXT_ONE_LINE, TEXT_MAX_CP, true);
	}
	if ((e = child(n, "extract")) != NULL) {
		struct extract *x = &no->extract;

		x->present = true;
		x->line = xmlsafe_line(e);
		x->file = attr_path(ld, e, "file", true);
		x->pages = attr_int(ld, e, "pages", 1, 9999);
		x->sha256 = attr_sha256(ld, e);
		x->language = attr_text(ld, e, "language", UTEXT_ONE_LINE, 35,
		    false);
		x->translation = load_translation(ld, child(e, "translation"));
	}
	vs = case_alloc(ld->c, count(n, "verification") + 1, sizeof(*vs));
	k = 0;
	EACH(v, n, "verification") {
		struct verification *ve = &vs[k++];

		ve->line = xmlsafe_line(v);
		ve->on = attr_date(ld, v, "on", true);
		ve->method = attr_text(ld, v, "method", UTEXT_ONE_LINE,
		    TEXT_MAX_CP, false);
		ve->status = (enum verification_status)elem_token(ld, v,
		    statuses);
	}
	no->verifications = vs;
	no->nverifications = k;
}

static void
load_officer(struct ld *ld, xmlNodePtr n)
{
	struct officer *of = &ld->c->officer;
	struct training *ts;
	xmlNodePtr nm;
	size_t k = 0;

	of->line = xmlsafe_line(n);
	nm = child(n, "name");
	of->name_line = nm ? xmlsafe_line(nm) : of->line;
	of->name = elem_text(ld, n, "name", UTEXT_ONE_LINE, NAME_MAX_CP, true);
	of->title = elem_text(ld, n, "title", UTEXT_ONE_LINE, TEXT_MAX_CP,
	    true);
	of->office = elem_text(ld, n, "office", UTEXT_ONE_LINE, TEXT_MAX_CP,
	    true);
	if ((nm = child(n, "office")) != NULL) {
		of->office_line = xmlsafe_line(nm);
		of->office_code = attr_text(ld, nm, "code", UTEXT_ONE_LINE, 32,
		    false);
	} else
		of->office_line = of->line;
	of->phone = elem_text(ld, n, "phone", UTEXT_ONE_LINE, 64, false);
	of->email = elem_text(ld, n, "email", UTEXT_ONE_LINE, 254, false);
	ts = case_alloc(ld->c, count(n, "training") + 1, sizeof(*ts));
	EACH(t, n, "training") {
		struct training *tr = &ts[k++];

		tr->line = xmlsafe_line(t);
		tr->completed_on = attr_date(ld, t, "completedOn", true);
		tr->course = attr_text(ld, t, "course", UTEXT_ONE_LINE,
		    TEXT_MAX_CP, false);
	}
	of->trainings = ts;
	of->ntrainings = k;
}

static void
load_review(struct ld *ld, xmlNodePtr n)
{
	struct review *r = &ld->c->review;
	xmlNodePtr notes;

	if (n == NULL)
		return;
	r->present = true;
	r->line = xmlsafe_line(n);
	r->completed_on = attr_date(ld, n, "completedOn", true);
	EACH(i, n, "indicator") {
		xmlChar *code = xmlGetNoNsProp(i, (const xmlChar *)"code");
		char *t = utext_trim(code ? (const char *)code : "");
		enum indicator ind = indicator_from_id(t);

		if (ind == IND_NONE)
			fail(ld, xmlsafe_line(i), "<indicator>: \"%s\" is not "
			    "an indicator code", t);
		else if (r->answers[ind].answered)
			fail(ld, xmlsafe_line(i), "<indicator> %s is answered "
			    "more than once", t);
		else {
			r->answers[ind].answered = true;
			r->answers[ind].line = xmlsafe_line(i);
			r->answers[ind].found = attr_bool(ld, i, "found");
		}
		free(t);
		xmlFree(code);
	}
	if ((notes = child(n, "notes")) != NULL) {
		r->notes_line = xmlsafe_line(notes);
		r->notes = node_text(ld, notes, UTEXT_FREE_TEXT, TEXT_MAX_CP);
	}
}

static void
load_basis(struct ld *ld, xmlNodePtr n)
{
	struct fact *fs;
	size_t k = 0;

	if (n == NULL)
		return;
	ld->c->basis_line = xmlsafe_line(n);
	fs = case_alloc(ld->c, count(n, "fact") + 1, sizeof(*fs));
	EACH(f, n, "fact") {
		struct fact *fa = &fs[k++];

		fa->line = xmlsafe_line(f);
		fa->text = node_text(ld, f, UTEXT_FREE_TEXT, 2000);
		fa->source = attr_text(ld, f, "source", UTEXT_ONE_LINE,
		    TEXT_MAX_CP, false);
	}
	ld->c->facts = fs;
	ld->c->nfacts = k;
}

static void
load_approval(struct ld *ld, xmlNodePtr n)
{
	struct approval *a = &ld->c->approval;
	xmlNodePtr sup, cond;
	static const char *const decisions[] = { "approved", "denied",
	    "pending", NULL };

	if (n == NULL)
		return;
	a->present = true;
	a->line = xmlsafe_line(n);
	a->decision = (enum decision)attr_token(ld, n, "decision", decisions,
	    0);
	a->on = attr_date(ld, n, "on", true);
	sup = child(n, "supervisor");
	if (sup == NULL)
		fail(ld, a->line, "<supervisoryApproval> is missing "
		    "<supervisor>");
	a->supervisor_name = elem_text(ld, sup, "name", UTEXT_ONE_LINE,
	    NAME_MAX_CP, true);
	a->supervisor_title = elem_text(ld, sup, "title", UTEXT_ONE_LINE,
	    TEXT_MAX_CP, true);
	if ((cond = child(n, "conditions")) != NULL) {
		a->conditions_line = xmlsafe_line(cond);
		a->conditions = node_text(ld, cond, UTEXT_FREE_TEXT,
		    TEXT_MAX_CP);
	}
	EACH(d, n, "disposition") {
		xmlChar *code = xmlGetNoNsProp(d, (const xmlChar *)"indicator");
		char *t = utext_trim(code ? (const char *)code : "");
		enum indicator ind = indicator_from_id(t);

		if (ind == IND_NONE)
			fail(ld, xmlsafe_line(d), "<disposition>: \"%s\" is "
			    "not an indicator code", t);
		else if (a->dispositions[ind] != NULL)
			fail(ld, xmlsafe_line(d), "<disposition> for %s is "
			    "given more than once", t);
		else {
			a->disposition_lines[ind] = xmlsafe_line(d);
			a->dispositions[ind] = node_text(ld, d,
			    UTEXT_FREE_TEXT, TEXT_MAX_CP);
		}
		free(t);
		xmlFree(code);
	}
}

static void
load_iw(struct ld *ld, xmlNodePtr n)
{
	struct interpol_washington *iw = &ld->c->iw;
	struct enclosure *es;
	xmlNodePtr e;
	size_t k = 0;
	static const char *const decisions[] = { "pending", "granted",
	    "denied", NULL };

	if (n == NULL)
		return;
	if ((e = child(n, "documentationRequest")) != NULL) {
		iw->requested = true;
		iw->request_line = xmlsafe_line(e);
		iw->request_sent_on = attr_date(ld, e, "sentOn", true);
		iw->request_reference = attr_text(ld, e, "reference",
		    UTEXT_ONE_LINE, TEXT_MAX_CP, false);
	}
	if ((e = child(n, "documentationReceived")) != NULL) {
		iw->received = true;
		iw->received_line = xmlsafe_line(e);
		iw->received_on = attr_date(ld, e, "on", true);
		es = case_alloc(ld->c, count(e, "document") + 1, sizeof(*es));
		EACH(d, e, "document") {
			struct enclosure *en = &es[k++];

			en->line = xmlsafe_line(d);
			en->title = attr_text(ld, d, "title", UTEXT_FREE_TEXT,
			    TEXT_MAX_CP, true);
			en->pages = attr_int(ld, d, "pages", 1, 9999);
			en->language = attr_text(ld, d, "language",
			    UTEXT_ONE_LINE, 35, false);
			en->file = attr_path(ld, d, "file", false);
			en->sha256 = attr_sha256(ld, d);
			en->translation = load_translation(ld,
			    child(d, "translation"));
		}
		if (k == 0)
			fail(ld, iw->received_line, "<documentationReceived> "
			    "must list at least one <document>");
		iw->enclosures = es;
		iw->nenclosures = k;
	}
	if ((e = child(n, "useAuthorization")) != NULL) {
		iw->has_use = true;
		iw->use_line = xmlsafe_line(e);
		iw->use_decision = (enum use_decision)attr_token(ld, e,
		    "decision", decisions, 0);
		iw->use_requested_on = attr_date(ld, e, "requestedOn", false);
		iw->use_decided_on = attr_date(ld, e, "decidedOn", false);
	}
}

static void
load_use(struct ld *ld, xmlNodePtr n)
{
	struct intended_use *u = &ld->c->use;
	struct immigration_court *ct = &u->court;
	xmlNodePtr e, f;

	u->line = xmlsafe_line(n);
	u->enforcement = attr_bool(ld, n, "enforcement");
	u->proceedings = attr_bool(ld, n, "proceedings");
	u->proceeding = attr_text(ld, n, "proceeding", UTEXT_FREE_TEXT,
	    TEXT_MAX_CP, false);
	if ((e = child(n, "immigrationCourt")) == NULL)
		return;
	ct->present = true;
	ct->line = xmlsafe_line(e);
	if (!ld->failed && !u->proceedings)
		fail(ld, ct->line, "<immigrationCourt> is given but "
		    "<intendedUse> says proceedings=\"false\"; a court "
		    "submission needs proceedings=\"true\"");
	ct->name = attr_text(ld, e, "name", UTEXT_ONE_LINE, TEXT_MAX_CP,
	    true);
	ct->judge = attr_text(ld, e, "judge", UTEXT_NAME, NAME_MAX_CP, true);
	ct->next_hearing = attr_date(ld, e, "nextHearing", false);
	ct->detained = attr_bool(ld, e, "detained");
	if ((f = child(e, "filer")) == NULL) {
		fail(ld, ct->line, "<immigrationCourt> is missing <filer>");
		return;
	}
	ct->filer.line = xmlsafe_line(f);
	ct->filer.name = elem_text(ld, f, "name", UTEXT_NAME, NAME_MAX_CP,
	    true);
	ct->filer.title = elem_text(ld, f, "title", UTEXT_ONE_LINE,
	    TEXT_MAX_CP, true);
	ct->filer.office = attr_text(ld, f, "office", UTEXT_ONE_LINE, 32,
	    true);
}

static void
load_response(struct ld *ld, xmlNodePtr n)
{
	struct subject_response *r = &ld->c->response;
	xmlNodePtr e;

	if (n == NULL)
		return;
	r->present = true;
	r->line = xmlsafe_line(n);
	r->received_on = attr_date(ld, n, "receivedOn", true);
	if ((e = child(n, "consideration")) == NULL)
		return;
	r->considered = true;
	r->consideration_line = xmlsafe_line(e);
	r->considered_on = attr_date(ld, e, "on", true);
	r->considered_by = attr_text(ld, e, "by", UTEXT_NAME, NAME_MAX_CP,
	    true);
	r->consideration = node_text(ld, e, UTEXT_FREE_TEXT, TEXT_MAX_CP);
}

/* The folder of path ("." for a bare file name), for @file paths. */
static const char *
folder_of(struct ld *ld, const char *path)
{
	const char *slash = strrchr(path, '/');
	char *d;
	const char *kept;

	if (slash == NULL)
		return case_strdup(ld->c, ".");
	if (slash == path)
		return case_strdup(ld->c, "/");
	d = xstrndup(path, (size_t)(slash - path));
	kept = case_strdup(ld->c, d);
	free(d);
	return kept;
}

static void
load_case(struct ld *ld, xmlNodePtr root, int32_t as_of)
{
	struct case_doc *c = ld->c;
	xmlNodePtr n;
	static const char *const methods[] = { "mail", "personal", "counsel",
	    NULL };

	c->id_line = xmlsafe_line(root);
	c->id = attr_text(ld, root, "id", UTEXT_ONE_LINE, 64, true);
	if (!ld->failed && !xmlsafe_is_case_id(c->id))
		fail(ld, c->id_line, "attribute id of <case> is not a valid %s",
		    xmlsafe_describe("id"));
	if ((n = child(root, "subject")) == NULL)
		fail(ld, c->id_line, "<case> is missing <subject>");
	else
		load_subject(ld, n);
	if ((n = child(root, "notice")) == NULL)
		fail(ld, c->id_line, "<case> is missing <notice>");
	else
		load_notice(ld, n);
	if ((n = child(root, "officer")) == NULL)
		fail(ld, c->id_line, "<case> is missing <officer>");
	else
		load_officer(ld, n);
	load_review(ld, child(root, "preliminaryReview"));
	load_basis(ld, child(root, "independentBasis"));
	if ((n = child(root, "intendedUse")) == NULL)
		fail(ld, c->id_line, "<case> is missing <intendedUse>");
	else
		load_use(ld, n);
	load_approval(ld, child(root, "supervisoryApproval"));
	load_iw(ld, child(root, "interpolWashington"));
	if ((n = child(root, "service")) != NULL) {
		c->service.present = true;
		c->service.line = xmlsafe_line(n);
		c->service.method = (enum service_method)attr_token(ld, n,
		    "method", methods, SERVICE_MAIL);
		c->service.on = attr_date(ld, n, "on", false);
	}
	load_response(ld, child(root, "subjectResponse"));
	if (!ld->failed && c->subject.date_of_birth > as_of) {
		char dob[11], asof[11];

		date_format_iso(c->subject.date_of_birth, dob);
		date_format_iso(as_of, asof);
		fail(ld, c->subject.line, "<dateOfBirth> %s is after the "
		    "as-of date %s", dob, asof);
	}
}

/* ------------------------------------------------------------------ */

struct intake *
intake_new(const char *case_xsd, char **err)
{
	struct intake *in;
	xmlSchemaPtr s = xmlsafe_schema(case_xsd, err);

	if (s == NULL)
		return NULL;
	in = xcalloc(1, sizeof(*in));
	in->schema = s;
	return in;
}

void
intake_free(struct intake *in)
{
	if (in == NULL)
		return;
	xmlSchemaFree(in->schema);
	free(in);
}

struct case_doc *
intake_load_case(const struct intake *in, const char *path, int32_t as_of,
    struct load_error *err)
{
	struct ld ld;
	xmlDocPtr doc;
	char sha256[DIGEST_HEX_SIZE];

	memset(err, 0, sizeof(*err));
	doc = xmlsafe_load(path, in->schema, "case", CASE_NS, err, sha256);
	if (doc == NULL)
		return NULL;
	ld.c = case_new();
	memcpy(ld.c->sha256, sha256, sizeof(sha256));
	ld.err = err;
	ld.failed = false;
	ld.c->folder = folder_of(&ld, path);
	load_case(&ld, xmlDocGetRootElement(doc), as_of);
	xmlFreeDoc(doc);
	if (ld.failed) {
		case_free(ld.c);
		return NULL;
	}
	load_error_free(err);	/* the id kept for a failure */
	return ld.c;
}
