/*
 * policy_xml.c - a validated policy file -> struct policy.  Values not
 * in the file keep what *p held (the defaults).  Revision 2: several
 * offices and translators, and the checks the schema's repeated choice
 * cannot make (each child once, one window per kind, unique codes).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "rnpack/intake.h"
#include "rnpack/policy.h"
#include "rnpack/utext.h"
#include "rnpack/xalloc.h"
#include "xmlsafe_int.h"

#define POLICY_NS	"urn:rnpack:policy:1"

static xmlNodePtr
pchild(xmlNodePtr parent, const char *name)
{
	for (xmlNodePtr n = parent ? parent->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && n->ns != NULL &&
		    strcmp((const char *)n->ns->href, POLICY_NS) == 0 &&
		    strcmp((const char *)n->name, name) == 0)
			return n;
	return NULL;
}

/* Copy trimmed, checked one-line text into dst; false on a problem. */
static bool
copy_text(const xmlChar *raw, char *dst, size_t size, const char *label,
    unsigned line, struct load_error *err)
{
	char *t = utext_trim(raw ? (const char *)raw : "");
	enum utext_fault f;
	uint32_t cp;
	bool ok = true;

	if (t[0] == '\0') {
		xmlsafe_fail(err, line, "%s is empty", label);
		ok = false;
	} else if ((f = utext_check(t, UTEXT_ONE_LINE, &cp)) != UTEXT_OK) {
		xmlsafe_fail(err, line, "%s contains %s (U+%04X)", label,
		    utext_fault_text(f), (unsigned)cp);
		ok = false;
	} else if (strlen(t) >= size) {
		xmlsafe_fail(err, line, "%s is longer than %zu bytes", label,
		    size - 1);
		ok = false;
	} else
		memcpy(dst, t, strlen(t) + 1);
	free(t);
	return ok;
}

static bool
elem_copy(xmlNodePtr parent, const char *name, char *dst, size_t size,
    struct load_error *err)
{
	xmlNodePtr n = pchild(parent, name);
	xmlChar *raw;
	char label[64];
	bool ok;

	if (n == NULL)
		return true;
	raw = xmlNodeGetContent(n);
	snprintf(label, sizeof(label), "<%s>", name);
	ok = copy_text(raw, dst, size, label, xmlsafe_line(n), err);
	xmlFree(raw);
	return ok;
}

static bool
attr_copy(xmlNodePtr n, const char *attr, char *dst, size_t size,
    struct load_error *err)
{
	xmlChar *raw = xmlGetNoNsProp(n, (const xmlChar *)attr);
	char label[96];
	bool ok;

	if (raw == NULL)
		return true;
	snprintf(label, sizeof(label), "attribute %s of <%s>", attr,
	    (const char *)n->name);
	ok = copy_text(raw, dst, size, label, xmlsafe_line(n), err);
	xmlFree(raw);
	return ok;
}

static bool
elem_days(xmlNodePtr parent, const char *name, int *dst,
    struct load_error *err)
{
	xmlNodePtr n = pchild(parent, name);
	xmlChar *raw;
	char *end;
	long v;

	if (n == NULL)
		return true;
	raw = xmlNodeGetContent(n);
	v = strtol((const char *)raw, &end, 10);
	while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
		end++;
	if (end == (char *)raw || *end != '\0' || v < 1 || v > 3650) {
		xmlsafe_fail(err, xmlsafe_line(n), "<%s> must be a number of "
		    "days from 1 to 3650", name);
		xmlFree(raw);
		return false;
	}
	*dst = (int)v;
	xmlFree(raw);
	return true;
}

static bool
attr_inches(xmlNodePtr n, const char *attr, double *dst,
    struct load_error *err)
{
	xmlChar *raw = xmlGetNoNsProp(n, (const xmlChar *)attr);
	char *end;
	double v;

	if (raw == NULL)
		return true;
	/* strtod follows the locale; the C locale is never changed here. */
	v = strtod((const char *)raw, &end);
	if (end == (char *)raw || *end != '\0' || !(v >= 0.0 && v <= 11.0)) {
		xmlsafe_fail(err, xmlsafe_line(n), "attribute %s of <window> "
		    "must be a number of inches from 0 to 11", attr);
		xmlFree(raw);
		return false;
	}
	*dst = v;
	xmlFree(raw);
	return true;
}

/* <printFile maxPieces="N"/>: 1 to POLICY_PRINT_PIECES_LIMIT. */
static bool
load_print_file(xmlNodePtr n, int *dst, struct load_error *err)
{
	xmlChar *raw;
	char *end;
	long v;

	if (n == NULL || (raw = xmlGetNoNsProp(n,
	    (const xmlChar *)"maxPieces")) == NULL)
		return true;
	v = strtol((const char *)raw, &end, 10);
	if (end == (char *)raw || *end != '\0' || v < 1 ||
	    v > POLICY_PRINT_PIECES_LIMIT) {
		xmlsafe_fail(err, xmlsafe_line(n), "attribute maxPieces of "
		    "<printFile> must be a number of pieces from 1 to %d",
		    POLICY_PRINT_PIECES_LIMIT);
		xmlFree(raw);
		return false;
	}
	*dst = (int)v;
	xmlFree(raw);
	return true;
}

static bool
load_address(xmlNodePtr n, struct policy_address *a, struct load_error *err)
{
	int k = 0;

	if (n == NULL)
		return true;
	memset(a, 0, sizeof(*a));
	for (xmlNodePtr l = n->children; l != NULL; l = l->next) {
		xmlChar *raw;
		bool ok;

		if (l->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)l->name, "line") != 0 || k == 3)
			continue;
		raw = xmlNodeGetContent(l);
		ok = copy_text(raw, a->lines[k++], POLICY_TEXT, "<line>",
		    xmlsafe_line(l), err);
		xmlFree(raw);
		if (!ok)
			return false;
	}
	a->nlines = k;
	return elem_copy(n, "city", a->city, sizeof(a->city), err) &&
	    elem_copy(n, "state", a->state, sizeof(a->state), err) &&
	    elem_copy(n, "postalCode", a->postal_code, sizeof(a->postal_code),
	    err) &&
	    elem_copy(n, "country", a->country, sizeof(a->country), err);
}

/* A whole number attribute from lo to hi; absent leaves *dst. */
static bool
attr_count(xmlNodePtr n, const char *attr, long long lo, long long hi,
    long long *dst, struct load_error *err)
{
	xmlChar *raw = xmlGetNoNsProp(n, (const xmlChar *)attr);
	char *t, *end;
	long long v;
	bool ok;

	if (raw == NULL)
		return true;
	t = utext_trim((const char *)raw);
	xmlFree(raw);
	v = strtoll(t, &end, 10);
	ok = *t != '\0' && *end == '\0' && v >= lo && v <= hi;
	if (!ok)
		xmlsafe_fail(err, xmlsafe_line(n), "attribute %s of <%s> must "
		    "be a whole number from %lld to %lld", attr,
		    (const char *)n->name, lo, hi);
	else
		*dst = v;
	free(t);
	return ok;
}

static bool
attr_int(xmlNodePtr n, const char *attr, int lo, int hi, int *dst,
    struct load_error *err)
{
	long long v = *dst;

	if (!attr_count(n, attr, lo, hi, &v, err))
		return false;
	*dst = (int)v;
	return true;
}

/* A weight in ounces, more than 0 and below 100. */
static bool
attr_ounces(xmlNodePtr n, const char *attr, double *dst,
    struct load_error *err)
{
	xmlChar *raw = xmlGetNoNsProp(n, (const xmlChar *)attr);
	char *t, *end;
	double v;
	bool ok;

	if (raw == NULL)
		return true;
	t = utext_trim((const char *)raw);
	xmlFree(raw);
	v = strtod(t, &end);
	ok = end != t && *end == '\0' && v > 0.0 && v < 100.0;
	if (!ok)
		xmlsafe_fail(err, xmlsafe_line(n), "attribute %s of <paper> "
		    "must be a weight in ounces, more than 0 and below 100",
		    attr);
	else
		*dst = v;
	free(t);
	return ok;
}

/* 1-32 of [A-Za-z0-9._-]: an office code or a translator id. */
static bool
is_code(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._-");

	return n >= 1 && n <= 32 && s[n] == '\0';
}

static bool
is_pelem(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	    strcmp((const char *)n->ns->href, POLICY_NS) == 0 &&
	    strcmp((const char *)n->name, name) == 0;
}

/* The window's kind: 0 letter (also when absent), 1 flat. */
static int
window_kind(xmlNodePtr n)
{
	xmlChar *raw = xmlGetNoNsProp(n, (const xmlChar *)"kind");
	char *t = utext_trim(raw ? (const char *)raw : "letter");
	int k = strcmp(t, "flat") == 0;

	xmlFree(raw);
	free(t);
	return k;
}

/*
 * The children may come in any order, so the schema cannot bound each
 * one: every child but office, translator and window comes at most once,
 * offices and translators up to the policy's limits, one window per kind.
 */
static bool
check_cardinality(xmlNodePtr root, struct load_error *err)
{
	static const char *const once[] = { "verificationMaxAgeDays",
	    "trainingValidDays", "responseDays", "mail", "mailState",
	    "printFile", "documents", "paper", NULL };
	unsigned first[8] = { 0 }, windows[2] = { 0 };
	int noffices = 0, ntranslators = 0;

	for (xmlNodePtr n = root->children; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (int i = 0; once[i] != NULL; i++) {
			if (!is_pelem(n, once[i]))
				continue;
			if (first[i] != 0) {
				xmlsafe_fail(err, xmlsafe_line(n), "<%s> is "
				    "given a second time (first on line %u); "
				    "a policy has at most one", once[i],
				    first[i]);
				return false;
			}
			first[i] = xmlsafe_line(n);
		}
		if (is_pelem(n, "office") && ++noffices > POLICY_MAX_OFFICES) {
			xmlsafe_fail(err, xmlsafe_line(n), "too many <office> "
			    "elements: a policy lists at most %d offices",
			    POLICY_MAX_OFFICES);
			return false;
		}
		if (is_pelem(n, "translator") &&
		    ++ntranslators > POLICY_MAX_TRANSLATORS) {
			xmlsafe_fail(err, xmlsafe_line(n), "too many "
			    "<translator> elements: a policy lists at most %d "
			    "translators", POLICY_MAX_TRANSLATORS);
			return false;
		}
		if (is_pelem(n, "window")) {
			int k = window_kind(n);

			if (windows[k] != 0) {
				xmlsafe_fail(err, xmlsafe_line(n), "a second "
				    "<window> of kind %s (first on line %u); "
				    "a policy has one window per kind",
				    k ? "flat" : "letter", windows[k]);
				return false;
			}
			windows[k] = xmlsafe_line(n);
		}
	}
	return true;
}

static bool
load_office(xmlNodePtr n, struct policy_office *o, struct load_error *err)
{
	memset(o, 0, sizeof(*o));
	if (!attr_copy(n, "code", o->code, sizeof(o->code), err) ||
	    !elem_copy(n, "name", o->name, sizeof(o->name), err) ||
	    !elem_copy(n, "unit", o->unit, sizeof(o->unit), err) ||
	    !elem_copy(n, "phone", o->phone, sizeof(o->phone), err) ||
	    !load_address(pchild(n, "address"), &o->address, err))
		return false;
	if (o->code[0] != '\0' && !is_code(o->code)) {
		xmlsafe_fail(err, xmlsafe_line(n), "attribute code of <office> "
		    "must be 1 to 32 of A-Z a-z 0-9 . _ -");
		return false;
	}
	return true;
}

/*
 * Every office and its code: with several offices a case chooses one by
 * its code, so each needs a code of its own.
 */
static bool
load_offices(xmlNodePtr root, struct policy *p, struct load_error *err)
{
	int k = 0;
	unsigned lines[POLICY_MAX_OFFICES];

	for (xmlNodePtr n = root->children; n != NULL; n = n->next) {
		if (!is_pelem(n, "office"))
			continue;
		lines[k] = xmlsafe_line(n);
		if (!load_office(n, &p->offices[k], err))
			return false;
		k++;
	}
	if (k == 0)
		return true;
	p->sample_office = false;
	p->noffices = k;
	for (int i = 0; k > 1 && i < k; i++) {
		if (p->offices[i].code[0] == '\0') {
			xmlsafe_fail(err, lines[i], "<office> has no code: with "
			    "several offices each needs its own code, which "
			    "cases name in officer/office/@code");
			return false;
		}
		for (int j = 0; j < i; j++)
			if (strcmp(p->offices[i].code,
			    p->offices[j].code) == 0) {
				xmlsafe_fail(err, lines[i], "office code \"%s\" "
				    "is used twice (first on line %u); each "
				    "office needs its own code",
				    p->offices[i].code, lines[j]);
				return false;
			}
	}
	return true;
}

static bool
load_translators(xmlNodePtr root, struct policy *p, struct load_error *err)
{
	int k = 0;
	unsigned lines[POLICY_MAX_TRANSLATORS];

	for (xmlNodePtr n = root->children; n != NULL; n = n->next) {
		struct policy_translator *t;
		xmlNodePtr a;

		if (!is_pelem(n, "translator"))
			continue;
		t = &p->translators[k];
		lines[k] = xmlsafe_line(n);
		memset(t, 0, sizeof(*t));
		if (!attr_copy(n, "id", t->id, sizeof(t->id), err) ||
		    !attr_copy(n, "name", t->name, sizeof(t->name), err) ||
		    !attr_copy(n, "qualification", t->qualification,
		    sizeof(t->qualification), err) ||
		    !elem_copy(n, "phone", t->phone, sizeof(t->phone), err))
			return false;
		if ((a = pchild(n, "address")) != NULL) {
			t->has_address = true;
			if (!load_address(a, &t->address, err))
				return false;
		}
		if (t->id[0] != '\0' && !is_code(t->id)) {
			xmlsafe_fail(err, lines[k], "attribute id of "
			    "<translator> must be 1 to 32 of A-Z a-z 0-9 . _ -");
			return false;
		}
		for (int j = 0; t->id[0] != '\0' && j < k; j++)
			if (strcmp(t->id, p->translators[j].id) == 0) {
				xmlsafe_fail(err, lines[k], "translator id \"%s\" "
				    "is used twice (first on line %u)", t->id,
				    lines[j]);
				return false;
			}
		k++;
	}
	if (k > 0) {
		p->sample_translator = false;
		p->ntranslators = k;
	}
	return true;
}

/* One <window>: the letter's (kind absent or letter) or the flat's. */
static bool
load_window(xmlNodePtr n, struct policy_window *w, struct load_error *err)
{
	if (!attr_inches(n, "left", &w->left_in, err) ||
	    !attr_inches(n, "top", &w->top_in, err) ||
	    !attr_inches(n, "width", &w->width_in, err) ||
	    !attr_inches(n, "height", &w->height_in, err))
		return false;
	if (w->left_in + w->width_in > 8.5 || w->top_in + w->height_in > 11.0) {
		xmlsafe_fail(err, xmlsafe_line(n), "<window> does not fit on "
		    "a US Letter page (8.5 x 11 in)");
		return false;
	}
	return true;
}

static bool
load_windows(xmlNodePtr root, struct policy *p, struct load_error *err)
{
	struct policy_window letter = { p->window_left_in, p->window_top_in,
	    p->window_width_in, p->window_height_in };
	bool has_flat = false;

	for (xmlNodePtr n = root->children; n != NULL; n = n->next) {
		if (!is_pelem(n, "window"))
			continue;
		if (window_kind(n)) {
			has_flat = true;
			if (!load_window(n, &p->flat_window, err))
				return false;
		} else if (!load_window(n, &letter, err))
			return false;
	}
	p->window_left_in = letter.left_in;
	p->window_top_in = letter.top_in;
	p->window_width_in = letter.width_in;
	p->window_height_in = letter.height_in;
	/* A flat goes into a larger envelope whose window, unless the
	 * policy says otherwise, sits where the letter's does. */
	if (!has_flat)
		p->flat_window = letter;
	return true;
}

static bool
load_documents(xmlNodePtr n, struct policy *p, struct load_error *err)
{
	long long v;

	if (n == NULL)
		return true;
	if (!attr_copy(n, "root", p->documents_root,
	    sizeof(p->documents_root), err) ||
	    !attr_int(n, "maxPagesPerCase", 1, 1000000000,
	    &p->max_pages_per_case, err))
		return false;
	v = p->max_file_bytes;
	if (!attr_count(n, "maxFileBytes", 1, 999999999999LL, &v, err))
		return false;
	p->max_file_bytes = v;
	return true;
}

static bool
load_paper(xmlNodePtr n, struct policy *p, struct load_error *err)
{
	if (n == NULL)
		return true;
	return attr_ounces(n, "sheetOunces", &p->sheet_oz, err) &&
	    attr_ounces(n, "envelopeOunces", &p->envelope_oz, err) &&
	    attr_ounces(n, "flatEnvelopeOunces", &p->flat_envelope_oz, err) &&
	    attr_int(n, "maxFoldedSheets", 1, 1000, &p->max_folded_sheets,
	    err);
}

static bool
load_policy(xmlNodePtr root, struct policy *p, struct load_error *err)
{
	xmlNodePtr n;

	if (!check_cardinality(root, err) ||
	    !elem_days(root, "verificationMaxAgeDays",
	    &p->verification_max_age_days, err) ||
	    !elem_days(root, "trainingValidDays", &p->training_valid_days,
	    err) ||
	    !elem_days(root, "responseDays", &p->response_days, err))
		return false;
	if ((n = pchild(root, "responseDays")) != NULL &&
	    !attr_int(n, "mailDays", 0, 3650, &p->mail_days, err))
		return false;
	if (!load_offices(root, p, err) || !load_translators(root, p, err))
		return false;
	if ((n = pchild(root, "mail")) != NULL) {
		p->has_mail = true;
		if (!attr_copy(n, "barcodeId", p->barcode_id,
		    sizeof(p->barcode_id), err) ||
		    !attr_copy(n, "serviceType", p->service_type,
		    sizeof(p->service_type), err) ||
		    !attr_copy(n, "mailerId", p->mailer_id,
		    sizeof(p->mailer_id), err) ||
		    !attr_copy(n, "endorsement", p->endorsement,
		    sizeof(p->endorsement), err))
			return false;
	}
	if (!load_windows(root, p, err) ||
	    !load_documents(pchild(root, "documents"), p, err) ||
	    !load_paper(pchild(root, "paper"), p, err))
		return false;
	return elem_copy(root, "mailState", p->mail_state,
	    sizeof(p->mail_state), err) &&
	    load_print_file(pchild(root, "printFile"), &p->print_max_pieces,
	    err);
}

bool
intake_load_policy(const char *policy_xsd, const char *path,
    struct policy *p, struct load_error *err)
{
	xmlSchemaPtr schema;
	xmlDocPtr doc;
	char *msg = NULL, sha256[DIGEST_HEX_SIZE];
	bool ok;

	memset(err, 0, sizeof(*err));
	if ((schema = xmlsafe_schema(policy_xsd, &msg)) == NULL) {
		xmlsafe_fail(err, 0, "%s", msg);
		free(msg);
		return false;
	}
	doc = xmlsafe_load(path, schema, "policy", POLICY_NS, err, sha256);
	xmlSchemaFree(schema);
	if (doc == NULL)
		return false;
	ok = load_policy(xmlDocGetRootElement(doc), p, err);
	xmlFreeDoc(doc);
	if (ok) {
		memcpy(p->sha256, sha256, sizeof(sha256));
		load_error_free(err);
	}
	return ok;
}
