/*
 * policy_xml.c - a validated policy file -> struct policy (DOMAIN.md
 * section 7).  Values not in the file keep what *p held (the defaults).
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

static bool
load_policy(xmlNodePtr root, struct policy *p, struct load_error *err)
{
	xmlNodePtr n;

	if (!elem_days(root, "verificationMaxAgeDays",
	    &p->verification_max_age_days, err) ||
	    !elem_days(root, "trainingValidDays", &p->training_valid_days,
	    err) ||
	    !elem_days(root, "responseDays", &p->response_days, err))
		return false;
	if ((n = pchild(root, "office")) != NULL) {
		struct policy_office *o = &p->offices[0];

		p->sample_office = false;
		memset(o, 0, sizeof(*o));
		if (!elem_copy(n, "name", o->name, sizeof(o->name), err) ||
		    !elem_copy(n, "unit", o->unit, sizeof(o->unit), err) ||
		    !elem_copy(n, "phone", o->phone, sizeof(o->phone), err) ||
		    !load_address(pchild(n, "address"), &o->address, err))
			return false;
	}
	if ((n = pchild(root, "translator")) != NULL) {
		struct policy_translator *t = &p->translators[0];

		p->sample_translator = false;
		memset(t, 0, sizeof(*t));
		if (!attr_copy(n, "name", t->name, sizeof(t->name), err) ||
		    !attr_copy(n, "qualification", t->qualification,
		    sizeof(t->qualification), err))
			return false;
	}
	if ((n = pchild(root, "mail")) != NULL) {
		p->has_mail = true;
		if (!attr_copy(n, "barcodeId", p->barcode_id,
		    sizeof(p->barcode_id), err) ||
		    !attr_copy(n, "serviceType", p->service_type,
		    sizeof(p->service_type), err) ||
		    !attr_copy(n, "mailerId", p->mailer_id,
		    sizeof(p->mailer_id), err))
			return false;
	}
	if ((n = pchild(root, "window")) != NULL &&
	    (!attr_inches(n, "left", &p->window_left_in, err) ||
	    !attr_inches(n, "top", &p->window_top_in, err) ||
	    !attr_inches(n, "width", &p->window_width_in, err) ||
	    !attr_inches(n, "height", &p->window_height_in, err)))
		return false;
	if (n != NULL && (p->window_left_in + p->window_width_in > 8.5 ||
	    p->window_top_in + p->window_height_in > 11.0)) {
		xmlsafe_fail(err, xmlsafe_line(n), "<window> does not fit on "
		    "a US Letter page (8.5 x 11 in)");
		return false;
	}
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
