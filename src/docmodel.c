/*
 * docmodel.c - case + evaluation + policy -> the data tree templates
 * read (see docmodel.h).  Names here are the template language's
 * vocabulary: the table `paths` lists every one, so a template that
 * names anything else fails when the run starts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnpack/buf.h"
#include "rnpack/case.h"
#include "rnpack/country.h"
#include "rnpack/date.h"
#include "rnpack/diag.h"
#include "rnpack/docmodel.h"
#include "rnpack/mail.h"
#include "rnpack/policy.h"
#include "rnpack/rules.h"
#include "rnpack/court.h"
#include "rnpack/namelang.h"
#include "rnpack/tval.h"
#include "rnpack/xalloc.h"

/* Every path a template may use; "[]" marks the items of a list. */
static const char *const paths[] = {
	"asOf",
	"case", "case.id", "case.status",
	"office", "office.code", "office.name", "office.unit", "office.phone",
	"office.sample", "office.address", "office.address.lines",
	"office.address.lines[].line", "office.address.city",
	"office.address.state", "office.address.postalCode",
	"office.address.country", "office.address.lastLine",
	"translator", "translator.id", "translator.name",
	"translator.qualification", "translator.sample",
	"translator.phone", "translator.address",
	"translator.address.lines", "translator.address.lines[].line",
	"translator.address.city", "translator.address.state",
	"translator.address.postalCode", "translator.address.country",
	"translator.address.lastLine",
	"translators", "translators[].id", "translators[].name",
	"translators[].qualification", "translators[].phone",
	"translators[].address", "translators[].address.lines",
	"translators[].address.lines[].line", "translators[].address.city",
	"translators[].address.state", "translators[].address.postalCode",
	"translators[].address.country", "translators[].address.lastLine",
	"subject", "subject.familyName", "subject.givenName",
	"subject.aliases", "subject.aliases[].name", "subject.aliasNames",
	"subject.nameLanguage",
	"subject.dateOfBirth", "subject.citizenship",
	"subject.citizenship[].code", "subject.citizenshipNames",
	"subject.aNumber", "subject.language", "subject.protection",
	"subject.protectionAgainst", "subject.address",
	"subject.address.lines", "subject.address.lines[].line",
	"subject.address.city", "subject.address.state",
	"subject.address.postalCode", "subject.address.country",
	"subject.address.lastLine",
	"subject.counsel", "subject.counsel.name", "subject.counsel.address",
	"subject.counsel.address.lines",
	"subject.counsel.address.lines[].line",
	"subject.counsel.address.city", "subject.counsel.address.state",
	"subject.counsel.address.postalCode",
	"subject.counsel.address.country",
	"subject.counsel.address.lastLine",
	"notice", "notice.kind", "notice.isDiffusion", "notice.kindTitle",
	"notice.controlNumber", "notice.issuingCountry", "notice.issuedOn",
	"notice.expiresOn", "notice.purpose", "notice.offenses",
	"notice.offenses[].description", "notice.offenses[].law",
	"notice.offenses[].maxPenaltyMonths",
	"notice.offenses[].remainingSentenceMonths",
	"notice.warrant", "notice.warrant.issuedBy",
	"notice.warrant.issuedOn", "notice.warrant.reference",
	"notice.verification", "notice.verification.on",
	"notice.verification.method", "notice.verification.status",
	"officer", "officer.name", "officer.title", "officer.office",
	"officer.phone", "officer.email", "officer.training",
	"officer.training.completedOn", "officer.training.course",
	"review", "review.completedOn", "review.notes", "review.indicators",
	"review.indicators[].code", "review.indicators[].title",
	"review.indicators[].answered", "review.indicators[].found",
	"review.indicators[].derived", "review.indicators[].flagged",
	"review.indicators[].disposition",
	"basis", "basis[].text", "basis[].source",
	"use", "use.enforcement", "use.proceedings", "use.proceeding",
	"approval", "approval.decision", "approval.approved",
	"approval.denied", "approval.pending", "approval.on",
	"approval.supervisorName", "approval.supervisorTitle",
	"approval.conditions",
	"iw", "iw.requested", "iw.requestSentOn", "iw.requestReference",
	"iw.received", "iw.receivedOn", "iw.enclosures",
	"iw.enclosures[].title", "iw.enclosures[].pages",
	"iw.enclosures[].language", "iw.useAuthorization",
	"iw.useDecision", "iw.useRequestedOn", "iw.useDecidedOn",
	"service", "service.method", "service.date", "service.personal",
	"result", "result.status", "result.responseDue", "result.steps",
	"result.steps[].id", "result.steps[].title", "result.steps[].status",
	"result.steps[].met", "result.steps[].evidence",
	"result.findings", "result.findings[].code",
	"result.findings[].severity", "result.findings[].step",
	"result.findings[].message", "result.findings[].line",
	"result.findings[].withholds", "result.findings[].withholdsText",
	"result.warnings", "result.warnings[].code",
	"result.warnings[].withholds", "result.warningsText",
	"result.wording", "result.wording[].field", "result.wording[].line",
	"result.wording[].quote",
	"result.documents", "result.documents[].id",
	"result.documents[].title", "result.documents[].generated",
	"result.documents[].inPacket",
	"result.documents[].blockedBy",
	"result.withheld",
	"service.methodText", "service.counsel",
	"letter", "letter.role", "letter.isCopy", "letter.careOf",
	"letter.ccCounsel", "letter.counselName", "letter.recipient",
	"letter.to", "letter.to.lines", "letter.to.lines[].line",
	"letter.mailed", "letter.copyNumber", "letter.copies",
	"letter.block", "letter.block.lines", "letter.block.lines[].line",
	"letter.imb", "letter.tracking", "letter.blockSize",
	"letter.endorsement", "letter.flat",
	"letter.date", "letter.due", "letter.personal",
	"letter.representative", "letter.served", "letter.served[].kind",
	"letter.served[].name", "letter.served[].date",
	"letter.served[].lines", "letter.served[].lines[].line",
	"letter.served[].mail",
	"approvalForm", "approvalForm.date", "approvalForm.isRecord",
	"memo", "memo.date", "memo.recordCopy", "memo.newRequest",
	"memo.asksDocumentation", "memo.asksUse", "memo.protected",
	"memo.requests", "memo.requests[].kind", "memo.requests[].on",
	"memo.requests[].reference", "memo.latestRequest",
	"window", "window.left", "window.top", "window.width", "window.height",
	"court", "court.name", "court.judge", "court.nextHearing",
	"court.detained", "court.date", "court.part", "court.totalPages",
	"court.proofPage", "court.filer", "court.filer.name",
	"court.filer.title", "court.filer.office", "court.filer.office.name",
	"court.filer.office.unit", "court.filer.office.phone",
	"court.filer.office.address", "court.filer.office.address.lines", "court.filer.office.address.lines[].line", "court.filer.office.address.city", "court.filer.office.address.state", "court.filer.office.address.postalCode", "court.filer.office.address.country", "court.filer.office.address.lastLine",
	"court.exhibits", "court.exhibits[].letter", "court.exhibits[].title",
	"court.exhibits[].pages", "court.exhibits[].language",
	"court.exhibits[].translated", "court.exhibits[].isExtract",
	"court.certificate", "court.certificate.letter",
	"court.certificate.title", "court.certificate.language",
	"court.certificate.translator", "court.certificate.qualification",
	"court.certificate.phone", "court.certificate.certifiedOn",
	"court.certificate.address", "court.certificate.address.lines", "court.certificate.address.lines[].line", "court.certificate.address.city", "court.certificate.address.state", "court.certificate.address.postalCode", "court.certificate.address.country", "court.certificate.address.lastLine",
	"court.served", "court.served.counsel", "court.served.name",
	"court.served.mail",
	"court.served.address", "court.served.address.lines", "court.served.address.lines[].line", "court.served.address.city", "court.served.address.state", "court.served.address.postalCode", "court.served.address.country", "court.served.address.lastLine",
	NULL
};

bool
docmodel_known(const char *path)
{
	for (int i = 0; paths[i] != NULL; i++)
		if (strcmp(paths[i], path) == 0)
			return true;
	return false;
}

static const char *const step_titles[STEP__MAX] = {
	"Annual training", "Notice validity", "Preliminary review",
	"Independent basis", "Supervisory approval",
	"Underlying documentation", "Use authorization",
	"Notice to the subject"
};

static void
put_address(struct tval *parent, const char *key, const struct address *a)
{
	struct tval *m, *lines;
	char *last;

	if (a == NULL)
		return;
	m = tval_set_map(parent, key);
	lines = tval_set_list(m, "lines");
	for (size_t i = 0; i < a->nlines; i++)
		tval_set_str(tval_list_add_map(lines), "line", a->lines[i]);
	tval_set_str(m, "city", a->city);
	tval_set_str(m, "state", a->state);
	tval_set_str(m, "postalCode", a->postal_code);
	tval_set_str(m, "country", a->country ? country_name(a->country) :
	    NULL);
	last = case_address_last_line(a);
	tval_set_str(m, "lastLine", last);
	free(last);
}

/* An address of the policy (an office's, a translator's). */
static void
put_policy_address(struct tval *parent, const char *key,
    const struct policy_address *pa)
{
	struct tval *a = tval_set_map(parent, key), *lines;
	char *last;

	lines = tval_set_list(a, "lines");
	for (int i = 0; i < pa->nlines; i++)
		tval_set_str(tval_list_add_map(lines), "line", pa->lines[i]);
	tval_set_str(a, "city", pa->city);
	tval_set_str(a, "state", pa->state[0] ? pa->state : NULL);
	tval_set_str(a, "postalCode", pa->postal_code[0] ? pa->postal_code :
	    NULL);
	tval_set_str(a, "country", pa->country[0] ? pa->country : NULL);
	if (pa->country[0] == '\0')
		last = xasprintf("%s, %s %s", pa->city, pa->state,
		    pa->postal_code);
	else if (pa->postal_code[0] != '\0')
		last = xasprintf("%s %s", pa->postal_code, pa->city);
	else
		last = xstrdup(pa->city);
	tval_set_str(a, "lastLine", last);
	free(last);
}

static void
put_translator(struct tval *m, const struct policy_translator *pt)
{
	tval_set_str(m, "id", pt->id[0] ? pt->id : NULL);
	tval_set_str(m, "name", pt->name);
	tval_set_str(m, "qualification", pt->qualification);
	tval_set_str(m, "phone", pt->phone[0] ? pt->phone : NULL);
	if (pt->has_address)
		put_policy_address(m, "address", &pt->address);
}

/*
 * office: the office that serves the case (its officer/office/@code);
 * translator: the first of the policy, who translates the letter;
 * translators: all of them, who may certify exhibit translations.
 */
static void
put_office(struct tval *root, const struct policy *p, const char *code)
{
	struct tval *o = tval_set_map(root, "office"), *l;
	const struct policy_office *po = policy_office_for(p, code);

	/* office-unknown withholds every document that prints an office;
	 * the summary still names the first one. */
	if (po == NULL)
		po = &p->offices[0];
	tval_set_str(o, "code", po->code[0] ? po->code : NULL);
	tval_set_str(o, "name", po->name);
	tval_set_str(o, "unit", po->unit[0] ? po->unit : NULL);
	tval_set_str(o, "phone", po->phone[0] ? po->phone : NULL);
	tval_set_bool(o, "sample", p->sample_office);
	put_policy_address(o, "address", &po->address);
	o = tval_set_map(root, "translator");
	put_translator(o, &p->translators[0]);
	tval_set_bool(o, "sample", p->sample_translator);
	l = tval_set_list(root, "translators");
	for (int i = 0; !p->sample_translator && i < p->ntranslators; i++)
		put_translator(tval_list_add_map(l), &p->translators[i]);
}

static void
put_subject(struct tval *root, const struct case_doc *c)
{
	const struct subject *s = &c->subject;
	struct tval *m = tval_set_map(root, "subject"), *l;
	struct buf names = BUF_INIT;
	static const char *const prot[] = { "asylum applicant", "refugee",
	    "withholding of removal", "Convention Against Torture protection" };

	bool own_family = namelang_match(s->family_name, s->language),
	    own_given = namelang_match(s->given_name, s->language),
	    own_aliases = s->naliases > 0;

	tval_set_name(m, "familyName", s->family_name, own_family);
	tval_set_name(m, "givenName", s->given_name, own_given);
	/* The name formatter's "FAMILY, Given": tagged when both are. */
	tval_set_own_lang(m, own_family && own_given);
	l = tval_set_list(m, "aliases");
	for (size_t i = 0; i < s->naliases; i++) {
		bool own = namelang_match(s->aliases[i], s->language);

		tval_set_name(tval_list_add_map(l), "name", s->aliases[i],
		    own);
		own_aliases = own_aliases && own;
		buf_addf(&names, "%s%s", i ? "; " : "", s->aliases[i]);
	}
	/* Joined for one line of text; "; " since names may hold commas. */
	tval_set_name(m, "aliasNames", names.len ? names.ptr : NULL,
	    own_aliases);
	/* The language the names marked above are in. */
	tval_set_str(m, "nameLanguage", s->language);
	buf_reset(&names);
	tval_set_date(m, "dateOfBirth", s->date_of_birth);
	l = tval_set_list(m, "citizenship");
	for (size_t i = 0; i < s->ncitizenship; i++) {
		const char *cn = country_name(s->citizenship[i]);

		tval_set_str(tval_list_add_map(l), "code", s->citizenship[i]);
		buf_addf(&names, "%s%s", i ? "; " : "",
		    cn ? cn : s->citizenship[i]);
	}
	/* Full names ("Congo, The Democratic Republic of the"). */
	tval_set_str(m, "citizenshipNames", names.len ? names.ptr : NULL);
	buf_free(&names);
	tval_set_str(m, "aNumber", s->a_number);
	tval_set_str(m, "language", s->language ? s->language : "en");
	tval_set_str(m, "protection", s->has_protection ?
	    prot[s->protection] : NULL);
	tval_set_str(m, "protectionAgainst", s->has_protection ?
	    s->protection_against : NULL);
	put_address(m, "address", s->address);
	if (s->counsel != NULL) {
		struct tval *co = tval_set_map(m, "counsel");

		tval_set_str(co, "name", s->counsel->name);
		put_address(co, "address", s->counsel->address);
	}
}

static const char *const vstatus[] = { "valid", "suspended", "withdrawn",
	"cancelled", "deleted", "blocked", "expired" };

static void
put_notice(struct tval *root, const struct case_doc *c, int32_t as_of)
{
	const struct notice *n = &c->notice;
	const struct verification *v = rules_latest_verification(c, as_of);
	struct tval *m = tval_set_map(root, "notice"), *l, *w;

	tval_set_str(m, "kind", n->kind == NOTICE_RED ? "red-notice" :
	    "diffusion");
	tval_set_bool(m, "isDiffusion", n->kind == NOTICE_DIFFUSION);
	tval_set_str(m, "kindTitle", n->kind == NOTICE_RED ? "Red Notice" :
	    "Wanted Person Diffusion");
	tval_set_str(m, "controlNumber", n->control_number);
	tval_set_str(m, "issuingCountry", n->issuing_country);
	tval_set_date(m, "issuedOn", n->issued_on);
	tval_set_date(m, "expiresOn", n->expires_on);
	tval_set_str(m, "purpose", n->purpose == PURPOSE_PROSECUTION ?
	    "prosecution" : "sentence");
	l = tval_set_list(m, "offenses");
	for (size_t i = 0; i < n->noffenses; i++) {
		struct tval *o = tval_list_add_map(l);

		tval_set_str(o, "description", n->offenses[i].description);
		tval_set_str(o, "law", n->offenses[i].law);
		if (n->offenses[i].max_penalty_months >= 0)
			tval_set_int(o, "maxPenaltyMonths",
			    n->offenses[i].max_penalty_months);
		if (n->offenses[i].remaining_months >= 0)
			tval_set_int(o, "remainingSentenceMonths",
			    n->offenses[i].remaining_months);
	}
	if (n->warrant.present) {
		w = tval_set_map(m, "warrant");
		tval_set_str(w, "issuedBy", n->warrant.issued_by);
		tval_set_date(w, "issuedOn", n->warrant.issued_on);
		tval_set_str(w, "reference", n->warrant.reference);
	}
	if (v != NULL) {
		w = tval_set_map(m, "verification");
		tval_set_date(w, "on", v->on);
		tval_set_str(w, "method", v->method);
		tval_set_str(w, "status", vstatus[v->status]);
	}
}

static void
put_officer(struct tval *root, const struct case_doc *c, int32_t as_of)
{
	const struct officer *o = &c->officer;
	const struct training *t = rules_latest_training(c, as_of);
	struct tval *m = tval_set_map(root, "officer");

	tval_set_str(m, "name", o->name);
	tval_set_str(m, "title", o->title);
	tval_set_str(m, "office", o->office);
	tval_set_str(m, "phone", o->phone);
	tval_set_str(m, "email", o->email);
	if (t != NULL) {
		struct tval *tr = tval_set_map(m, "training");

		tval_set_date(tr, "completedOn", t->completed_on);
		tval_set_str(tr, "course", t->course);
	}
}

static void
put_review(struct tval *root, const struct case_doc *c,
    const struct evaluation *ev)
{
	const struct review *r = &c->review;
	struct tval *m, *l;

	/* The indicator list is shown even without a review: derived
	 * indicators come from the data. */
	m = tval_set_map(root, "review");
	if (r->present) {
		tval_set_date(m, "completedOn", r->completed_on);
		tval_set_str(m, "notes", r->notes);
	}
	l = tval_set_list(m, "indicators");
	for (int i = 0; i < IND__MAX; i++) {
		struct tval *it = tval_list_add_map(l);
		bool found = r->present && r->answers[i].answered &&
		    r->answers[i].found;

		tval_set_str(it, "code", indicator_id((enum indicator)i));
		tval_set_str(it, "title", indicator_title((enum indicator)i));
		tval_set_bool(it, "answered", r->present &&
		    r->answers[i].answered);
		tval_set_bool(it, "found", found);
		tval_set_bool(it, "derived", ev->derived[i]);
		tval_set_bool(it, "flagged", found || ev->derived[i]);
		tval_set_str(it, "disposition", c->approval.present ?
		    c->approval.dispositions[i] : NULL);
	}
}

static void
put_approval(struct tval *root, const struct case_doc *c)
{
	const struct approval *a = &c->approval;
	struct tval *m;
	static const char *const dec[] = { "approved", "denied", "pending" };

	if (!a->present)
		return;
	m = tval_set_map(root, "approval");
	tval_set_str(m, "decision", dec[a->decision]);
	tval_set_bool(m, "approved", a->decision == DECISION_APPROVED);
	tval_set_bool(m, "denied", a->decision == DECISION_DENIED);
	tval_set_bool(m, "pending", a->decision == DECISION_PENDING);
	tval_set_date(m, "on", a->on);
	tval_set_str(m, "supervisorName", a->supervisor_name);
	tval_set_str(m, "supervisorTitle", a->supervisor_title);
	tval_set_str(m, "conditions", a->conditions);
}

/*
 * The approval form's date: a request is dated the day it went to the
 * supervisor (the pending decision's date, else the as-of date); a
 * decision on record is dated the decision, never later.
 */
static void
put_approval_form(struct tval *root, const struct case_doc *c, int32_t as_of)
{
	const struct approval *a = &c->approval;
	struct tval *m = tval_set_map(root, "approvalForm");

	tval_set_date(m, "date", a->present ? a->on : as_of);
	tval_set_bool(m, "isRecord", a->present &&
	    a->decision != DECISION_PENDING);
}

/*
 * The memo to INTERPOL Washington: the requests already sent, with
 * their dates and references, and the requests it makes now.  It is
 * dated the as-of date when it asks for anything new, else it is a
 * record copy dated the latest request sent.
 */
static void
put_memo(struct tval *root, const struct case_doc *c, int32_t as_of)
{
	const struct interpol_washington *iw = &c->iw;
	struct tval *m = tval_set_map(root, "memo"), *l, *r;
	bool ask_doc = !iw->requested;
	bool ask_use = c->use.proceedings && !iw->has_use;
	int32_t latest = DATE_NONE, use_on;

	l = tval_set_list(m, "requests");
	if (iw->requested) {
		r = tval_list_add_map(l);
		tval_set_str(r, "kind", "documentation");
		tval_set_date(r, "on", iw->request_sent_on);
		tval_set_str(r, "reference", iw->request_reference);
		latest = iw->request_sent_on;
	}
	if (iw->has_use) {
		use_on = iw->use_requested_on != DATE_NONE ?
		    iw->use_requested_on : iw->use_decided_on;
		r = tval_list_add_map(l);
		tval_set_str(r, "kind", "use");
		tval_set_date(r, "on", use_on);
		if (use_on != DATE_NONE && (latest == DATE_NONE ||
		    use_on > latest))
			latest = use_on;
	}
	tval_set_bool(m, "asksDocumentation", ask_doc);
	tval_set_bool(m, "asksUse", ask_use);
	tval_set_bool(m, "newRequest", ask_doc || ask_use);
	tval_set_bool(m, "recordCopy", !ask_doc && !ask_use);
	tval_set_date(m, "latestRequest", latest);
	tval_set_date(m, "date", ask_doc || ask_use || latest == DATE_NONE ?
	    as_of : latest);
	tval_set_bool(m, "protected", c->subject.has_protection);
}

static void
put_iw(struct tval *root, const struct case_doc *c)
{
	const struct interpol_washington *iw = &c->iw;
	struct tval *m = tval_set_map(root, "iw"), *l;
	static const char *const dec[] = { "pending", "granted", "denied" };

	tval_set_bool(m, "requested", iw->requested);
	if (iw->requested) {
		tval_set_date(m, "requestSentOn", iw->request_sent_on);
		tval_set_str(m, "requestReference", iw->request_reference);
	}
	tval_set_bool(m, "received", iw->received);
	if (iw->received)
		tval_set_date(m, "receivedOn", iw->received_on);
	l = tval_set_list(m, "enclosures");
	for (size_t i = 0; i < iw->nenclosures; i++) {
		struct tval *e = tval_list_add_map(l);

		tval_set_str(e, "title", iw->enclosures[i].title);
		if (iw->enclosures[i].pages > 0)
			tval_set_int(e, "pages", iw->enclosures[i].pages);
		tval_set_str(e, "language", iw->enclosures[i].language);
	}
	tval_set_bool(m, "useAuthorization", iw->has_use);
	if (iw->has_use) {
		tval_set_str(m, "useDecision", dec[iw->use_decision]);
		tval_set_date(m, "useRequestedOn", iw->use_requested_on);
		tval_set_date(m, "useDecidedOn", iw->use_decided_on);
	}
}

/* One line of evidence per step, from the case data. */
static char *
evidence(const struct case_doc *c, enum step s, int32_t as_of)
{
	const struct training *t = rules_latest_training(c, as_of);
	const struct verification *v = rules_latest_verification(c, as_of);
	char d1[11], d2[11];

	switch (s) {
	case STEP_TRAINING:
		if (t == NULL)
			return xstrdup("No training recorded");
		date_format_iso(t->completed_on, d1);
		return xasprintf("%s completed %s", c->officer.name, d1);
	case STEP_VALIDITY:
		if (v == NULL)
			return xstrdup("No verification recorded");
		date_format_iso(v->on, d1);
		return xasprintf("%s on %s%s%s", vstatus[v->status], d1,
		    v->method ? " by " : "", v->method ? v->method : "");
	case STEP_REVIEW:
		if (!c->review.present)
			return xstrdup("No review recorded");
		date_format_iso(c->review.completed_on, d1);
		return xasprintf("Completed %s", d1);
	case STEP_BASIS:
		return xasprintf("%zu independent fact%s", c->nfacts,
		    c->nfacts == 1 ? "" : "s");
	case STEP_APPROVAL:
		if (!c->approval.present)
			return xstrdup("No decision recorded");
		date_format_iso(c->approval.on, d1);
		return xasprintf("%s by %s on %s",
		    c->approval.decision == DECISION_APPROVED ? "Approved" :
		    c->approval.decision == DECISION_DENIED ? "Denied" :
		    "Pending", c->approval.supervisor_name, d1);
	case STEP_DOCUMENTATION:
		if (!c->iw.requested)
			return xstrdup("Not requested");
		date_format_iso(c->iw.request_sent_on, d1);
		if (!c->iw.received)
			return xasprintf("Requested %s; not received", d1);
		date_format_iso(c->iw.received_on, d2);
		return xasprintf("Requested %s; received %s (%zu document%s)",
		    d1, d2, c->iw.nenclosures, c->iw.nenclosures == 1 ? "" :
		    "s");
	case STEP_USE_AUTHORIZATION:
		if (!c->use.proceedings)
			return xstrdup("Not for immigration proceedings");
		if (!c->iw.has_use)
			return xstrdup("Not requested");
		return xstrdup(c->iw.use_decision == USE_GRANTED ? "Granted" :
		    c->iw.use_decision == USE_DENIED ? "Denied" : "Pending");
	default:
		if (c->service.method == SERVICE_PERSONAL)
			return xstrdup("Personal service");
		if (c->subject.address != NULL)
			return xstrdup("Subject's mailing address on file");
		if (c->subject.counsel && c->subject.counsel->address)
			return xstrdup("Counsel's mailing address on file");
		return xstrdup("No mailing address");
	}
}

/* How the compliance summary names a withheld document in a sentence. */
static const char *const doc_phrases[DOC__MAX + 1] = {
	"the compliance summary", "the supervisory approval request",
	"the request to INTERPOL Washington", "the notice to the subject",
	"the court submission"
};

/* "the A, the B and the C", or "nothing": what a mask withholds. */
static char *
withholds_text(unsigned mask)
{
	struct buf b = BUF_INIT;
	int n = 0, k = 0;

	for (int d = 0; d <= DOC_COURT; d++)
		n += (mask & DOC_BIT(d)) != 0;
	if (n == 0)
		return xstrdup("nothing");
	for (int d = 0; d <= DOC_COURT; d++) {
		if (!(mask & DOC_BIT(d)))
			continue;
		k++;
		buf_addf(&b, "%s%s", k == 1 ? "" : k == n ? " and " : ", ",
		    doc_phrases[d]);
	}
	return buf_detach(&b);
}

/*
 * The evidence of a step that is not met says why: the sentences of
 * the findings that make it so (the findings table below gives their
 * codes), or for the notice withheld by an earlier step, the codes
 * that withhold it.
 */
static char *
step_evidence(const struct case_doc *c, const struct evaluation *ev,
    enum step s, int32_t as_of)
{
	char *e = evidence(c, s, as_of);
	struct buf b = BUF_INIT;
	bool any = false;

	if (ev->steps[s] != STEP_NOT_MET)
		return e;
	buf_adds(&b, e);
	free(e);
	for (size_t i = 0; i < ev->findings.n; i++) {
		const struct finding *f = &ev->findings.v[i];

		if (f->step != s || ((f->blocks & ~DOC_BIT(DOC_COURT)) == 0 &&
		    diag_severity(f->code) != DIAG_SEV_ERROR))
			continue;
		buf_addf(&b, ". %s", f->message);
		any = true;
	}
	if (!any) {
		const char *sep = ". Withheld by ";

		for (size_t i = 0; i < ev->findings.n; i++) {
			const struct finding *f = &ev->findings.v[i];
			const char *code = diag_code_id(f->code);

			if (!(f->blocks & DOC_BIT(DOC_NOTICE)) ||
			    strstr(b.ptr, code) != NULL)
				continue;
			buf_addf(&b, "%s%s", sep, code);
			sep = ", ";
			any = true;
		}
		if (any)
			buf_addc(&b, '.');
	}
	return buf_detach(&b);
}

/*
 * One item per warning code and what it withholds, in finding order,
 * and all of them as one sentence: "approval-pending withholds the
 * request to INTERPOL Washington and the notice to the subject;
 * sample-office withholds nothing."
 */
static void
put_warnings(struct tval *m, const struct evaluation *ev)
{
	struct tval *l = tval_set_list(m, "warnings");
	struct buf text = BUF_INIT;

	for (size_t i = 0; i < ev->findings.n; i++) {
		const struct finding *f = &ev->findings.v[i];
		struct tval *it;
		bool seen = false;
		char *w;

		if (diag_severity(f->code) != DIAG_SEV_WARNING)
			continue;
		for (size_t j = 0; j < i; j++)
			seen |= ev->findings.v[j].code == f->code &&
			    ev->findings.v[j].blocks == f->blocks;
		if (seen)
			continue;
		it = tval_list_add_map(l);
		w = withholds_text(f->blocks);
		tval_set_str(it, "code", diag_code_id(f->code));
		tval_set_str(it, "withholds", w);
		buf_addf(&text, "%s%s withholds %s", text.len ? "; " : "",
		    diag_code_id(f->code), w);
		free(w);
	}
	if (text.len > 0)
		buf_addc(&text, '.');
	tval_set_str(m, "warningsText", text.len ? text.ptr : NULL);
	buf_free(&text);
}

static void
put_result(struct tval *root, const struct case_doc *c,
    const struct evaluation *ev, int32_t as_of, unsigned in_packet)
{
	struct tval *m = tval_set_map(root, "result"), *l;
	unsigned withheld = 0;

	tval_set_str(m, "status", case_status_id(ev->status));
	tval_set_date(m, "responseDue", ev->response_due);
	l = tval_set_list(m, "steps");
	for (int s = 0; s < STEP__MAX; s++) {
		struct tval *it = tval_list_add_map(l);
		char *e = step_evidence(c, ev, (enum step)s, as_of);

		tval_set_str(it, "id", step_id((enum step)s));
		tval_set_str(it, "title", step_titles[s]);
		tval_set_str(it, "status", ev->steps[s] == STEP_MET ? "met" :
		    ev->steps[s] == STEP_NOT_MET ? "not met" :
		    "not applicable");
		tval_set_bool(it, "met", ev->steps[s] == STEP_MET);
		tval_set_str(it, "evidence", e);
		free(e);
	}
	l = tval_set_list(m, "findings");
	for (size_t i = 0; i < ev->findings.n; i++) {
		const struct finding *f = &ev->findings.v[i];
		struct tval *it = tval_list_add_map(l);
		const char *st = step_id(f->step);
		char *w;

		tval_set_str(it, "code", diag_code_id(f->code));
		tval_set_str(it, "severity",
		    diag_severity_id(diag_severity(f->code)));
		tval_set_str(it, "step", st);
		/* A message that quotes the case has its own sentence for
		 * documents: the quote goes only to result.wording. */
		tval_set_str(it, "message", f->doc_message ? f->doc_message :
		    f->message);
		if (f->line > 0)
			tval_set_int(it, "line", f->line);
		tval_set_bool(it, "withholds", f->blocks != 0);
		w = withholds_text(f->blocks);
		tval_set_str(it, "withholdsText", w);
		free(w);
	}
	put_warnings(m, ev);
	/* Wording found in the case that no document may adopt. */
	l = tval_set_list(m, "wording");
	for (size_t i = 0; i < ev->findings.n; i++) {
		const struct finding *f = &ev->findings.v[i];
		struct tval *it;

		if (f->quote == NULL)
			continue;
		it = tval_list_add_map(l);
		tval_set_str(it, "field", f->field);
		tval_set_int(it, "line", f->line);
		tval_set_str(it, "quote", f->quote);
	}
	l = tval_set_list(m, "documents");
	for (int d = 0; d < DOC__MAX; d++) {
		struct tval *it = tval_list_add_map(l);
		struct buf_codes { char s[512]; size_t n; } by = { "", 0 };

		tval_set_str(it, "id", doc_id((enum doc)d));
		tval_set_str(it, "title", doc_title((enum doc)d));
		tval_set_bool(it, "generated", ev->generated & DOC_BIT(d));
		tval_set_bool(it, "inPacket", in_packet & DOC_BIT(d));
		for (size_t i = 0; i < ev->findings.n; i++) {
			const struct finding *f = &ev->findings.v[i];
			const char *code = diag_code_id(f->code);

			if (!(f->blocks & DOC_BIT(d)) || strstr(by.s, code))
				continue;
			if (by.n + strlen(code) + 3 < sizeof(by.s))
				by.n += (size_t)snprintf(by.s + by.n,
				    sizeof(by.s) - by.n, "%s%s",
				    by.n ? ", " : "", code);
		}
		tval_set_str(it, "blockedBy", by.n ? by.s : NULL);
		if (!(ev->generated & DOC_BIT(d)))
			withheld++;
	}
	tval_set_bool(m, "withheld", withheld > 0);
}

/* The window a piece's block goes in (the letter's, or a flat's), in
 * inches inside the clearance the address keeps from its edges. */
static void
put_window(struct tval *root, const struct policy_window *win)
{
	struct tval *w = tval_set_map(root, "window");
	char v[32];

	snprintf(v, sizeof(v), "%.4f", win->left_in + MAIL_CLEARANCE_IN);
	tval_set_str(w, "left", v);
	snprintf(v, sizeof(v), "%.4f", win->top_in + MAIL_CLEARANCE_IN);
	tval_set_str(w, "top", v);
	snprintf(v, sizeof(v), "%.4f", win->width_in - 2 * MAIL_CLEARANCE_IN);
	tval_set_str(w, "width", v);
	snprintf(v, sizeof(v), "%.4f", win->height_in - 2 * MAIL_CLEARANCE_IN);
	tval_set_str(w, "height", v);
}

struct tval *
docmodel_build(const struct case_doc *c, const struct evaluation *ev,
    const struct policy *p, int32_t as_of, unsigned in_packet)
{
	struct tval *root = tval_new_map(), *m, *l;
	static const char *const methods[] = { "mail", "personal", "counsel" };

	tval_set_date(root, "asOf", as_of);
	m = tval_set_map(root, "case");
	tval_set_str(m, "id", c->id);
	tval_set_str(m, "status", case_status_id(ev->status));
	put_office(root, p, c->officer.office_code);
	put_subject(root, c);
	put_notice(root, c, as_of);
	put_officer(root, c, as_of);
	put_review(root, c, ev);
	l = tval_set_list(root, "basis");
	for (size_t i = 0; i < c->nfacts; i++) {
		struct tval *f = tval_list_add_map(l);

		tval_set_str(f, "text", c->facts[i].text);
		tval_set_str(f, "source", c->facts[i].source);
	}
	m = tval_set_map(root, "use");
	tval_set_bool(m, "enforcement", c->use.enforcement);
	tval_set_bool(m, "proceedings", c->use.proceedings);
	tval_set_str(m, "proceeding", c->use.proceeding);
	put_approval(root, c);
	put_approval_form(root, c, as_of);
	put_iw(root, c);
	put_memo(root, c, as_of);
	m = tval_set_map(root, "service");
	tval_set_str(m, "method", methods[c->service.method]);
	tval_set_date(m, "date", ev->service_date);
	tval_set_bool(m, "personal", c->service.method == SERVICE_PERSONAL);
	tval_set_bool(m, "counsel", c->service.method == SERVICE_COUNSEL);
	tval_set_str(m, "methodText", c->service.method == SERVICE_PERSONAL ?
	    "personal delivery" : c->service.method == SERVICE_COUNSEL ?
	    "first-class mail to counsel of record" : "first-class mail");
	docmodel_set_letter(root, c, ev, 0, NULL, 0, true);
	put_window(root, &(struct policy_window){ p->window_left_in,
	    p->window_top_in, p->window_width_in, p->window_height_in });
	put_result(root, c, ev, as_of, in_packet);
	return root;
}

/* ---- the copies of the subject notice ----------------------------- */

static bool
has_counsel_address(const struct case_doc *c)
{
	return c->subject.counsel != NULL && c->subject.counsel->address != NULL;
}

size_t
docmodel_notice_copies(const struct case_doc *c)
{
	/* The original goes to the subject (by mail or in person) and a
	 * copy to counsel of record; else the original goes to counsel. */
	bool to_subject = c->service.method == SERVICE_PERSONAL ||
	    (c->service.method == SERVICE_MAIL && c->subject.address != NULL);

	return to_subject && has_counsel_address(c) ? 2 : 1;
}

static void
add_line(struct tval *lines, const char *s)
{
	if (s != NULL && *s)
		tval_set_str(tval_list_add_map(lines), "line", s);
}

/*
 * A recipient block line: the layout joins spaces into one, so where the
 * block has two (Canada Post: "VANCOUVER BC  V6E 3P3") the first becomes
 * a no-break space, which prints as wide and is part of the word before.
 */
static void
add_block_line(struct tval *lines, const char *s)
{
	struct buf b = BUF_INIT;

	for (; *s != '\0'; s++) {
		if (s[0] == ' ' && s[1] == ' ')
			buf_adds(&b, "\xC2\xA0");
		else
			buf_addc(&b, *s);
	}
	add_line(lines, b.ptr);
	buf_free(&b);
}

static void
add_address(struct tval *lines, const struct address *a)
{
	char *last;

	for (size_t i = 0; i < a->nlines; i++)
		add_line(lines, a->lines[i]);
	last = case_address_last_line(a);
	add_line(lines, last);
	free(last);
	if (a->country != NULL)
		add_line(lines, country_name(a->country));
}

static const struct mail_piece *
piece_for(const struct mail_piece *pieces, size_t n, size_t copy)
{
	for (size_t i = 0; i < n; i++)
		if (pieces[i].copy == copy)
			return &pieces[i];
	return NULL;
}

/* One person served, for the certificate of service. */
static void
add_served(struct tval *list, const char *kind, const char *name,
    bool own_lang, int32_t date, bool mail, const char *care_of,
    const struct address *a)
{
	struct tval *it = tval_list_add_map(list), *lines;

	tval_set_str(it, "kind", kind);
	tval_set_name(it, "name", name, own_lang);
	tval_set_date(it, "date", date);
	tval_set_bool(it, "mail", mail);
	lines = tval_set_list(it, "lines");
	if (!mail)
		return;
	add_line(lines, name);
	if (care_of != NULL) {
		char *co = xasprintf("c/o %s", care_of);

		add_line(lines, co);
		free(co);
	}
	if (a != NULL)
		add_address(lines, a);
}

void
docmodel_set_letter(struct tval *root, const struct case_doc *c,
    const struct evaluation *ev, size_t copy, const struct mail_piece *pieces,
    size_t npieces, bool counsel_copy_sent)
{
	char size[16];
	const struct subject *s = &c->subject;
	const struct mail_piece *piece = piece_for(pieces, npieces, copy);
	const struct mail_piece *orig = piece_for(pieces, npieces, 0);
	const struct mail_piece *cpiece = piece_for(pieces, npieces, 1);
	struct tval *l = tval_set_map(root, "letter"), *to, *lines, *served;
	bool counsel_copy = copy == 1;
	bool personal = c->service.method == SERVICE_PERSONAL;
	bool rep = !counsel_copy && mail_to_representative(c);
	bool care_of = !counsel_copy && !rep && !personal &&
	    s->counsel != NULL && (c->service.method == SERVICE_COUNSEL ||
	    s->address == NULL);
	bool copies = docmodel_notice_copies(c) == 2;
	char *name = xasprintf("%s %s", s->given_name, s->family_name);
	bool own = namelang_match(name, s->language);
	/* The subject's service date: the original's mailing, or the day
	 * of personal delivery (none when the case does not say). */
	int32_t subject_on = orig != NULL ? orig->service : ev->service_date;
	int32_t counsel_on = cpiece != NULL ? cpiece->service : DATE_NONE;

	if (counsel_on == DATE_NONE && copies && personal)
		counsel_on = ev->service_date;
	tval_set_str(l, "role", counsel_copy ? "counsel" : "subject");
	tval_set_bool(l, "isCopy", counsel_copy);
	tval_set_bool(l, "careOf", care_of);
	tval_set_bool(l, "representative", rep);
	tval_set_bool(l, "personal", personal && !counsel_copy);
	/* "cc:" only when counsel really gets a piece of its own. */
	tval_set_bool(l, "ccCounsel", copy == 0 && copies &&
	    counsel_copy_sent);
	tval_set_str(l, "counselName", s->counsel ? s->counsel->name : NULL);
	tval_set_bool(l, "mailed", counsel_copy || !personal);
	tval_set_int(l, "copyNumber", (long)copy + 1);
	tval_set_int(l, "copies", (long)docmodel_notice_copies(c));
	tval_set_name(l, "recipient", counsel_copy || rep ? s->counsel->name :
	    name, !(counsel_copy || rep) && own);
	/* Each copy is dated its own service and prints the deadline its
	 * piece records (without a piece: the case's). */
	tval_set_date(l, "date", piece != NULL ? piece->service :
	    counsel_copy ? counsel_on : subject_on);
	tval_set_date(l, "due", piece != NULL ? piece->due :
	    ev->response_due);
	to = tval_set_map(l, "to");
	lines = tval_set_list(to, "lines");
	if (counsel_copy || rep) {
		add_line(lines, s->counsel->name);
		add_address(lines, s->counsel->address);
	} else if (care_of) {
		char *co = xasprintf("c/o %s", s->counsel->name);

		add_line(lines, name);
		add_line(lines, co);
		if (s->counsel->address != NULL)
			add_address(lines, s->counsel->address);
		free(co);
	} else {
		add_line(lines, name);
		if (s->address != NULL)
			add_address(lines, s->address);
	}
	/* Everyone served, for the certificate: the subject (in person,
	 * by mail, in care of counsel, or through counsel as
	 * representative), then counsel's own copy. */
	served = tval_set_list(l, "served");
	if (personal)
		add_served(served, "personal", name, own, subject_on, false,
		    NULL, NULL);
	else if (rep)
		add_served(served, "representative", s->counsel->name, false,
		    subject_on, true, NULL, s->counsel->address);
	else if (care_of)
		add_served(served, "care-of", name, own, subject_on, true,
		    s->counsel->name, s->counsel->address);
	else
		add_served(served, "mail", name, own, subject_on, true, NULL,
		    s->address);
	if (copies && counsel_copy_sent)
		add_served(served, "counsel", s->counsel->name, false,
		    counsel_on, true, NULL, s->counsel->address);
	lines = tval_set_list(tval_set_map(l, "block"), "lines");
	if (piece != NULL) {
		for (size_t i = 0; i < piece->block.n; i++)
			add_block_line(lines, piece->block.lines[i]);
		tval_set_str(l, "imb", piece->barcode ? piece->bars : NULL);
		tval_set_str(l, "tracking", piece->barcode ? piece->tracking :
		    NULL);
		snprintf(size, sizeof(size), "%.1f", piece->size_pt);
		tval_set_str(l, "blockSize", size);
		tval_set_str(l, "endorsement", piece->endorsement);
		tval_set_bool(l, "flat", piece->flat);
		/* A flat's block goes in the flat window. */
		put_window(root, &piece->window);
	}
	free(name);
}

/* ---- the court submission ---------------------------------------- */

/*
 * court: the caption, the filer and the filer's office, the exhibits
 * with their page ranges ("3-7"), the page of the proof of service and
 * the person it serves (counsel of record with an address, else the
 * respondent).
 */
void
docmodel_set_court(struct tval *data, const struct case_doc *c,
    const struct policy *p, int32_t as_of, const struct court_exhibit *x,
    size_t n, const struct court_plan *plan)
{
	const struct immigration_court *ct = &c->use.court;
	const struct policy_office *po = policy_office_for(p, ct->filer.office);
	const struct counsel *co = c->subject.counsel;
	struct tval *m = tval_set_map(data, "court"), *f, *o, *l, *s;
	char range[48];

	tval_set_str(m, "name", ct->name);
	tval_set_str(m, "judge", ct->judge);
	tval_set_date(m, "nextHearing", ct->next_hearing);
	tval_set_bool(m, "detained", ct->detained);
	tval_set_date(m, "date", as_of);
	tval_set_int(m, "totalPages", (long)plan->total);
	tval_set_int(m, "proofPage", (long)plan->proof_first);
	f = tval_set_map(m, "filer");
	tval_set_str(f, "name", ct->filer.name);
	tval_set_str(f, "title", ct->filer.title);
	if (po == NULL)		/* office-unknown withholds the submission */
		po = &p->offices[0];
	o = tval_set_map(f, "office");
	tval_set_str(o, "name", po->name);
	tval_set_str(o, "unit", po->unit[0] ? po->unit : NULL);
	tval_set_str(o, "phone", po->phone[0] ? po->phone : NULL);
	put_policy_address(o, "address", &po->address);
	l = tval_set_list(m, "exhibits");
	for (size_t i = 0; i < n; i++) {
		struct tval *e = tval_list_add_map(l);

		tval_set_str(e, "letter", x[i].letter);
		tval_set_str(e, "title", x[i].title);
		snprintf(range, sizeof(range), "%zu-%zu", x[i].first,
		    x[i].last);
		tval_set_str(e, "pages", range);
		tval_set_str(e, "language", x[i].language);
		tval_set_bool(e, "translated", x[i].translation != NULL);
		tval_set_bool(e, "isExtract", x[i].is_extract);
	}
	s = tval_set_map(m, "served");
	if (co != NULL && co->address != NULL) {
		tval_set_bool(s, "counsel", true);
		tval_set_str(s, "name", co->name);
		tval_set_bool(s, "mail", true);
		put_address(s, "address", co->address);
	} else {
		char *name = xasprintf("%s %s", c->subject.given_name,
		    c->subject.family_name);

		tval_set_bool(s, "counsel", false);
		tval_set_name(s, "name", name, namelang_match(name,
		    c->subject.language));
		tval_set_bool(s, "mail", c->subject.address != NULL);
		put_address(s, "address", c->subject.address);
		free(name);
	}
	docmodel_set_court_part(data, p, "front", NULL);
}

void
docmodel_set_court_part(struct tval *data, const struct policy *p,
    const char *part, const struct court_exhibit *x)
{
	struct tval *m = (struct tval *)tval_child(data, "court"), *cert;
	const struct policy_translator *pt;

	if (m == NULL)
		return;
	tval_set_str(m, "part", part);
	cert = tval_set_map(m, "certificate");
	if (x == NULL || x->translation == NULL)
		return;
	tval_set_str(cert, "letter", x->letter);
	tval_set_str(cert, "title", x->title);
	tval_set_str(cert, "language", x->language);
	tval_set_date(cert, "certifiedOn", x->translation->certified_on);
	pt = p->sample_translator ? NULL :
	    policy_translator(p, x->translation->translator);
	if (pt == NULL)		/* translation-missing withholds it */
		return;
	tval_set_str(cert, "translator", pt->name);
	tval_set_str(cert, "qualification", pt->qualification);
	tval_set_str(cert, "phone", pt->phone[0] ? pt->phone : NULL);
	if (pt->has_address)
		put_policy_address(cert, "address", &pt->address);
}
