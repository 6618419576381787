/*
 * rules.c - the rule driver: one function per step (docs/rules.md),
 * run in step order, each adding its own findings.
 *
 * Rules of evaluation (docs/rules.md) kept here:
 * - a step that is absent, pending or denied raises only its own
 *   finding; dependent steps compare dates with it only when it is
 *   there and effective;
 * - out-of-order compares two dates only when both are present; equal
 *   dates are in order; a date after the as-of date is out of order,
 *   except the service date, which may be up to 14 days ahead;
 * - training completions and verifications dated after the as-of date
 *   are not evidence yet, so they are left out (not out of order).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnpack/case.h"
#include "rnpack/date.h"
#include "rnpack/diag.h"
#include "rnpack/policy.h"
#include "rnpack/rules.h"
#include "rnpack/utext.h"
#include "rnpack/xalloc.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#define SERVICE_LEAD_DAYS	14	/* notices print before mailing */

/* Everything one evaluation works with. */
struct ev_ctx {
	const struct case_doc		*c;
	const struct rules_context	*rc;
	struct evaluation		*ev;
	struct findings			*f;
};

/* "2024-03-14" in a small per-call buffer set. */
struct iso {
	char s[11];
};

static struct iso
iso(int32_t d)
{
	struct iso r;

	date_format_iso(d, r.s);
	return r;
}

unsigned
rules_out_of_order_blocks(enum step s)
{
	switch (s) {
	case STEP_TRAINING:
	case STEP_VALIDITY:
	case STEP_REVIEW:
	case STEP_BASIS:
	case STEP_APPROVAL:	/* the decision it records is not valid */
		return DOCS_AFTER_SUMMARY;
	default:
		return DOC_BIT(DOC_NOTICE);
	}
}

static void
out_of_order(struct ev_ctx *x, enum step s, unsigned line, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static void
out_of_order(struct ev_ctx *x, enum step s, unsigned line, const char *fmt,
    ...)
{
	char msg[512];
	struct finding *fi;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fi = findings_add(x->f, DIAG_OUT_OF_ORDER, line, "%s", msg);
	fi->step = s;
	fi->blocks = rules_out_of_order_blocks(s);
}

/* A date after the as-of date (plus lead days) is out of order. */
static void
check_not_future(struct ev_ctx *x, enum step s, int32_t d, int lead,
    const char *what, unsigned line)
{
	if (d == DATE_NONE || d <= x->rc->as_of + lead)
		return;
	out_of_order(x, s, line, "%s is dated %s, after the as-of date %s%s",
	    what, iso(d).s, iso(x->rc->as_of).s,
	    lead ? " by more than 14 days" : "");
}

/* ------------------------------------------------------------------ */

const struct training *
rules_latest_training(const struct case_doc *c, int32_t as_of)
{
	const struct training *latest = NULL;

	for (size_t i = 0; i < c->officer.ntrainings; i++) {
		const struct training *t = &c->officer.trainings[i];

		if (t->completed_on <= as_of && (latest == NULL ||
		    t->completed_on >= latest->completed_on))
			latest = t;
	}
	return latest;
}

static void
check_training(struct ev_ctx *x)
{
	const struct officer *o = &x->c->officer;
	const struct training *latest = rules_latest_training(x->c,
	    x->rc->as_of);
	bool future = false;
	long age;

	for (size_t i = 0; i < o->ntrainings; i++)
		future |= o->trainings[i].completed_on > x->rc->as_of;
	if (latest == NULL) {
		findings_add(x->f, DIAG_TRAINING_MISSING, o->line,
		    "No annual Red Notice and Diffusion training is recorded "
		    "for the officer on or before %s%s.", iso(x->rc->as_of).s,
		    future ? " (a completion dated later is not counted)" : "");
		return;
	}
	age = (long)x->rc->as_of - latest->completed_on;
	if (age > x->rc->policy->training_valid_days)
		findings_add(x->f, DIAG_TRAINING_LAPSED, latest->line,
		    "The officer's latest annual training was completed on "
		    "%s, %ld days before %s; it is valid for %d days.",
		    iso(latest->completed_on).s, age, iso(x->rc->as_of).s,
		    x->rc->policy->training_valid_days);
}

const struct verification *
rules_latest_verification(const struct case_doc *c, int32_t as_of)
{
	const struct verification *best = NULL;

	/* On the same day the later element in the file wins. */
	for (size_t i = 0; i < c->notice.nverifications; i++) {
		const struct verification *v = &c->notice.verifications[i];

		if (v->on <= as_of && (best == NULL || v->on >= best->on))
			best = v;
	}
	return best;
}

static void
check_validity(struct ev_ctx *x)
{
	const struct notice *n = &x->c->notice;
	const struct verification *v = rules_latest_verification(x->c, x->rc->as_of);
	static const enum diag_code status_codes[] = {
		[VERIFY_SUSPENDED] = DIAG_NOTICE_SUSPENDED,
		[VERIFY_WITHDRAWN] = DIAG_NOTICE_WITHDRAWN,
		[VERIFY_CANCELLED] = DIAG_NOTICE_CANCELLED,
		[VERIFY_DELETED] = DIAG_NOTICE_DELETED,
		[VERIFY_BLOCKED] = DIAG_NOTICE_BLOCKED,
		[VERIFY_EXPIRED] = DIAG_NOTICE_EXPIRED,
	};
	static const char *const status_words[] = {
		"valid", "suspended", "withdrawn", "cancelled", "deleted",
		"blocked", "expired"
	};
	bool expired = false;
	long age;

	if (v == NULL)
		findings_add(x->f, DIAG_NOTICE_NOT_VERIFIED, n->line,
		    "No verification of the notice on or before %s is "
		    "recorded; verify it is still valid (e.g. an I-24/7 "
		    "query) and record the result.", iso(x->rc->as_of).s);
	else if (v->status != VERIFY_VALID) {
		findings_add(x->f, status_codes[v->status], v->line,
		    "The latest verification of the notice, on %s, found it "
		    "%s; it may not inform any action.", iso(v->on).s,
		    status_words[v->status]);
		expired = v->status == VERIFY_EXPIRED;
	} else if ((age = (long)x->rc->as_of - v->on) >
	    x->rc->policy->verification_max_age_days)
		findings_add(x->f, DIAG_VERIFICATION_STALE, v->line,
		    "The notice was last verified valid on %s, %ld days "
		    "before %s; verification must be at most %d days old.",
		    iso(v->on).s, age, iso(x->rc->as_of).s,
		    x->rc->policy->verification_max_age_days);
	if (!expired && n->expires_on != DATE_NONE &&
	    n->expires_on <= x->rc->as_of)
		findings_add(x->f, DIAG_NOTICE_EXPIRED, n->expires_line,
		    "The notice expired on %s, on or before the as-of date "
		    "%s.", iso(n->expires_on).s, iso(x->rc->as_of).s);
}

/* Which indicators the data itself shows (docs/rules.md). */
static void
derive_indicators(const struct case_doc *c, bool derived[IND__MAX])
{
	const struct notice *n = &c->notice;
	bool meets = false;

	for (size_t i = 0; i < n->noffenses; i++) {
		const struct offense *o = &n->offenses[i];

		if (n->purpose == PURPOSE_PROSECUTION &&
		    o->max_penalty_months >= 24)
			meets = true;
		if (n->purpose == PURPOSE_SENTENCE && o->remaining_months >= 6)
			meets = true;
	}
	derived[IND_PENALTY_THRESHOLD] = n->noffenses > 0 && !meets;
	derived[IND_INSUFFICIENT_JUDICIAL_DATA] = !n->warrant.present;
	derived[IND_REFUGEE_STATUS] = c->subject.has_protection &&
	    strcmp(c->subject.protection_against, n->issuing_country) == 0;
}

static const char *
derived_reason(const struct case_doc *c, enum indicator i)
{
	switch (i) {
	case IND_PENALTY_THRESHOLD:
		return c->notice.purpose == PURPOSE_PROSECUTION ?
		    "no offense is punishable by 2 years or more" :
		    "no offense leaves 6 months or more of sentence to serve";
	case IND_INSUFFICIENT_JUDICIAL_DATA:
		return "the case records no arrest warrant or judicial "
		    "decision behind the notice";
	case IND_REFUGEE_STATUS:
		return "the subject has protection status against the "
		    "requesting country";
	default:
		return "";
	}
}

static unsigned
derived_line(const struct case_doc *c, enum indicator i)
{
	if (i == IND_PENALTY_THRESHOLD && c->notice.noffenses > 0)
		return c->notice.offenses[0].line;
	if (i == IND_REFUGEE_STATUS)
		return c->subject.protection_line;
	return c->notice.line;
}

static void
check_review(struct ev_ctx *x)
{
	const struct review *r = &x->c->review;
	bool *derived = x->ev->derived;
	struct buf_list { char s[256]; size_t n; } missing = { "", 0 };

	derive_indicators(x->c, derived);
	if (!r->present)
		findings_add(x->f, DIAG_REVIEW_MISSING, x->c->id_line,
		    "No preliminary review for indications of abuse or "
		    "non-compliance with INTERPOL's rules is recorded.");
	else {
		for (int i = 0; i < IND__MAX; i++)
			if (!r->answers[i].answered)
				missing.n += (size_t)snprintf(missing.s +
				    missing.n, sizeof(missing.s) - missing.n,
				    "%s%s", missing.n ? ", " : "",
				    indicator_id((enum indicator)i));
		if (missing.n > 0)
			findings_add(x->f, DIAG_REVIEW_INCOMPLETE, r->line,
			    "The preliminary review does not answer every "
			    "indicator; missing: %s.", missing.s);
		for (int i = 0; i < IND__MAX; i++) {
			struct finding *fi;

			if (!derived[i] || !r->answers[i].answered ||
			    r->answers[i].found)
				continue;
			fi = findings_add(x->f, DIAG_INDICATOR_CONTRADICTED,
			    r->answers[i].line, "The review answers %s as not "
			    "found, but %s.", indicator_id((enum indicator)i),
			    derived_reason(x->c, (enum indicator)i));
			fi->indicator = (enum indicator)i;
		}
		check_not_future(x, STEP_REVIEW, r->completed_on, 0,
		    "The preliminary review", r->line);
	}
	for (int i = 0; i < IND__MAX; i++) {
		bool found = r->present && r->answers[i].answered &&
		    r->answers[i].found;
		struct finding *fi;

		if (!found && !derived[i])
			continue;
		fi = findings_add(x->f, DIAG_ABUSE_INDICATOR, found ?
		    r->answers[i].line : derived_line(x->c, (enum indicator)i),
		    "Indicator %s (%s) is %s; the supervisor must address it "
		    "in a written disposition.", indicator_id((enum indicator)i),
		    indicator_title((enum indicator)i), found && derived[i] ?
		    "found by the review and shown by the data" : found ?
		    "found by the review" : "shown by the data");
		fi->indicator = (enum indicator)i;
	}
}

static void
check_basis(struct ev_ctx *x)
{
	if (x->c->nfacts == 0)
		findings_add(x->f, DIAG_EXCLUSIVE_RELIANCE, x->c->id_line,
		    "No independent basis is recorded: the notice may not be "
		    "the only basis for an action.");
}

/*
 * One finding per field that holds a prohibited phrase, at its leftmost
 * (then longest) match.  The report's message quotes the phrase, since
 * the clerk must find it; the documents print doc_message instead and
 * show the quote only in the compliance summary's block of wording
 * found in the case file, so that no document adopts it.
 */
static void
scan_representation(void *ctx, const char *field, const char *text,
    unsigned line)
{
	struct ev_ctx *x = ctx;
	struct rules_text_match m;
	struct finding *fi;
	char *quote, *shown, *doc;

	if (text == NULL || !rules_text_find(x->rc->representation, text, &m))
		return;
	quote = xstrndup(text + m.start, m.end - m.start);
	shown = diag_quote(quote, 200);
	fi = findings_add(x->f, DIAG_PROHIBITED_REPRESENTATION, line,
	    "%s (line %u) %s: \"%s\".", field, line, m.says, shown);
	/* Without m.says: what the wording claims is not repeated either. */
	doc = xasprintf("%s (line %u): wording that misrepresents the notice, "
	    "quoted below (not adopted).", field, line);
	finding_set_quote(fi, field, quote, doc);
	free(doc);
	free(shown);
	free(quote);
}

static bool
name_matches(const char *a, const char *b)
{
	char *ka = utext_name_key(a), *kb = utext_name_key(b);
	bool same = strcmp(ka, kb) == 0;

	free(ka);
	free(kb);
	return same;
}

/* Earliest date in a list of (date <= as_of) entries, or DATE_NONE. */
static int32_t
earliest_training(const struct officer *o, int32_t as_of)
{
	int32_t d = DATE_NONE;

	for (size_t i = 0; i < o->ntrainings; i++) {
		int32_t t = o->trainings[i].completed_on;

		if (t <= as_of && (d == DATE_NONE || t < d))
			d = t;
	}
	return d;
}

static int32_t
earliest_valid_verification(const struct notice *n, int32_t as_of)
{
	int32_t d = DATE_NONE;

	for (size_t i = 0; i < n->nverifications; i++) {
		const struct verification *v = &n->verifications[i];

		if (v->status == VERIFY_VALID && v->on <= as_of &&
		    (d == DATE_NONE || v->on < d))
			d = v->on;
	}
	return d;
}

static void
check_approval(struct ev_ctx *x)
{
	const struct approval *a = &x->c->approval;
	const struct review *r = &x->c->review;
	int32_t t, v;

	if (!a->present) {
		findings_add(x->f, DIAG_APPROVAL_MISSING, x->c->id_line,
		    "No supervisory approval is recorded; the approval "
		    "request is produced for the supervisor to decide.");
		return;
	}
	if (name_matches(a->supervisor_name, x->c->officer.name))
		findings_add(x->f, DIAG_APPROVER_IS_OFFICER, a->line,
		    "The approving supervisor is the officer who requests "
		    "the action; approval must come from someone else.");
	if (a->decision == DECISION_PENDING) {
		findings_add(x->f, DIAG_APPROVAL_PENDING, a->line,
		    "Supervisory approval is pending.");
		return;
	}
	if (a->decision == DECISION_DENIED) {
		findings_add(x->f, DIAG_APPROVAL_DENIED, a->line,
		    "The supervisor denied acting on the notice on %s.",
		    iso(a->on).s);
		return;
	}
	for (int i = 0; i < IND__MAX; i++) {
		bool found = r->present && r->answers[i].answered &&
		    r->answers[i].found;
		struct finding *fi;

		if ((!found && !x->ev->derived[i]) || a->dispositions[i])
			continue;
		fi = findings_add(x->f, DIAG_DISPOSITION_MISSING, a->line,
		    "The approval has no written disposition for indicator "
		    "%s, which was %s.", indicator_id((enum indicator)i),
		    found ? "found by the review" : "shown by the data");
		fi->indicator = (enum indicator)i;
	}
	check_not_future(x, STEP_APPROVAL, a->on, 0, "The supervisory "
	    "approval", a->line);
	if (r->present && a->on < r->completed_on)
		out_of_order(x, STEP_APPROVAL, a->line, "The supervisory "
		    "approval (%s) predates the preliminary review (%s).",
		    iso(a->on).s, iso(r->completed_on).s);
	t = earliest_training(&x->c->officer, x->rc->as_of);
	if (t != DATE_NONE && a->on < t)
		out_of_order(x, STEP_APPROVAL, a->line, "The supervisory "
		    "approval (%s) predates every recorded training "
		    "completion (first %s).", iso(a->on).s, iso(t).s);
	v = earliest_valid_verification(&x->c->notice, x->rc->as_of);
	if (v != DATE_NONE && a->on < v)
		out_of_order(x, STEP_APPROVAL, a->line, "The supervisory "
		    "approval (%s) predates every verification that found "
		    "the notice valid (first %s).", iso(a->on).s, iso(v).s);
}

static bool
approval_effective(const struct case_doc *c)
{
	return c->approval.present && c->approval.decision == DECISION_APPROVED;
}

static void
check_documentation(struct ev_ctx *x)
{
	const struct interpol_washington *iw = &x->c->iw;

	if (!iw->requested) {
		findings_add(x->f, DIAG_DOCUMENTATION_NOT_REQUESTED,
		    iw->received ? iw->received_line : x->c->id_line,
		    "No request to INTERPOL Washington for the underlying "
		    "documentation of the notice is recorded.");
	} else {
		check_not_future(x, STEP_DOCUMENTATION, iw->request_sent_on, 0,
		    "The documentation request", iw->request_line);
		if (approval_effective(x->c) &&
		    iw->request_sent_on < x->c->approval.on)
			out_of_order(x, STEP_DOCUMENTATION, iw->request_line,
			    "The documentation request (%s) predates the "
			    "supervisory approval (%s).",
			    iso(iw->request_sent_on).s,
			    iso(x->c->approval.on).s);
		if (!iw->received)
			findings_add(x->f, DIAG_DOCUMENTATION_NOT_RECEIVED,
			    iw->request_line, "The underlying documentation "
			    "requested on %s has not been received.",
			    iso(iw->request_sent_on).s);
	}
	if (iw->received) {
		check_not_future(x, STEP_DOCUMENTATION, iw->received_on, 0,
		    "The receipt of the documentation", iw->received_line);
		if (iw->requested && iw->received_on < iw->request_sent_on)
			out_of_order(x, STEP_DOCUMENTATION, iw->received_line,
			    "The documentation is recorded as received (%s) "
			    "before it was requested (%s).",
			    iso(iw->received_on).s,
			    iso(iw->request_sent_on).s);
	}
}

static void
check_use_authorization(struct ev_ctx *x)
{
	const struct interpol_washington *iw = &x->c->iw;

	if (!x->c->use.proceedings)
		return;
	if (!iw->has_use) {
		findings_add(x->f, DIAG_USE_AUTHORIZATION_MISSING,
		    x->c->use.line, "The notice is to be used in immigration "
		    "proceedings, but no use authorization from INTERPOL "
		    "Washington is recorded.");
		return;
	}
	if (iw->use_decision == USE_PENDING) {
		findings_add(x->f, DIAG_USE_AUTHORIZATION_PENDING, iw->use_line,
		    "Authorization to use the notice in immigration "
		    "proceedings is pending.");
		return;
	}
	if (iw->use_decision == USE_DENIED) {
		findings_add(x->f, DIAG_USE_AUTHORIZATION_DENIED, iw->use_line,
		    "INTERPOL Washington denied authorization to use the "
		    "notice in immigration proceedings.");
		return;
	}
	check_not_future(x, STEP_USE_AUTHORIZATION, iw->use_requested_on, 0,
	    "The use-authorization request", iw->use_line);
	check_not_future(x, STEP_USE_AUTHORIZATION, iw->use_decided_on, 0,
	    "The use-authorization decision", iw->use_line);
	if (iw->requested && iw->use_requested_on != DATE_NONE &&
	    iw->use_requested_on < iw->request_sent_on)
		out_of_order(x, STEP_USE_AUTHORIZATION, iw->use_line,
		    "Use authorization was requested (%s) before the "
		    "documentation request (%s).", iso(iw->use_requested_on).s,
		    iso(iw->request_sent_on).s);
	if (iw->use_requested_on != DATE_NONE &&
	    iw->use_decided_on != DATE_NONE &&
	    iw->use_decided_on < iw->use_requested_on)
		out_of_order(x, STEP_USE_AUTHORIZATION, iw->use_line,
		    "Use authorization is recorded as decided (%s) before it "
		    "was requested (%s).", iso(iw->use_decided_on).s,
		    iso(iw->use_requested_on).s);
}

static void
check_subject_notice(struct ev_ctx *x)
{
	const struct subject *s = &x->c->subject;
	const struct service *sv = &x->c->service;
	const struct interpol_washington *iw = &x->c->iw;
	bool counsel_addr = s->counsel != NULL && s->counsel->address != NULL;
	unsigned line = sv->present ? sv->line : s->line;

	/* Personal service happens on a day only the case can say; by mail,
	 * the notice is served on the day the run that issues it mails it. */
	if (sv->method == SERVICE_PERSONAL && sv->on == DATE_NONE) {
		x->ev->service_date = DATE_NONE;
		findings_add(x->f, DIAG_SERVICE_DATE_MISSING, line, "The notice "
		    "is to be served in person, but no service date is "
		    "recorded (service/@on): the notice is printed with blank "
		    "date lines and no response deadline.");
	} else
		x->ev->service_date = sv->on != DATE_NONE ? sv->on :
		    x->rc->as_of;
	if (sv->method == SERVICE_MAIL && s->address == NULL && !counsel_addr)
		findings_add(x->f, DIAG_NO_MAILING_ADDRESS, s->line,
		    "Neither the subject nor counsel has a mailing address, so "
		    "the notice cannot be mailed.");
	else if (sv->method == SERVICE_COUNSEL && !counsel_addr)
		findings_add(x->f, DIAG_NO_MAILING_ADDRESS, line,
		    "Service is to be through counsel, but no counsel address "
		    "is recorded.");
	if (sv->on == DATE_NONE)
		return;
	check_not_future(x, STEP_SUBJECT_NOTICE, sv->on, SERVICE_LEAD_DAYS,
	    "The service of the notice", sv->line);
	if (iw->received && sv->on < iw->received_on)
		out_of_order(x, STEP_SUBJECT_NOTICE, sv->line, "The notice is "
		    "served (%s) before the documentation was received (%s).",
		    iso(sv->on).s, iso(iw->received_on).s);
	if (x->c->use.proceedings && iw->has_use &&
	    iw->use_decision == USE_GRANTED && iw->use_decided_on != DATE_NONE &&
	    sv->on < iw->use_decided_on)
		out_of_order(x, STEP_SUBJECT_NOTICE, sv->line, "The notice is "
		    "served (%s) before use authorization was granted (%s).",
		    iso(sv->on).s, iso(iw->use_decided_on).s);
}

/*
 * subjectResponse: received after the notice was served, considered
 * after it was received.  Only the court submission relies on it, so an
 * out-of-order response withholds that alone.
 */
static void
check_response(struct ev_ctx *x)
{
	const struct subject_response *r = &x->c->response;
	const struct service *sv = &x->c->service;
	size_t first = x->f->n;

	if (!r->present)
		return;
	check_not_future(x, STEP_SUBJECT_NOTICE, r->received_on, 0,
	    "The subject's response", r->line);
	if (sv->on != DATE_NONE && r->received_on < sv->on)
		out_of_order(x, STEP_SUBJECT_NOTICE, r->line, "The subject's "
		    "response is recorded as received (%s) before the notice "
		    "was served (%s).", iso(r->received_on).s, iso(sv->on).s);
	if (r->considered) {
		check_not_future(x, STEP_SUBJECT_NOTICE, r->considered_on, 0,
		    "The consideration of the subject's response",
		    r->consideration_line);
		if (r->considered_on < r->received_on)
			out_of_order(x, STEP_SUBJECT_NOTICE,
			    r->consideration_line, "The subject's response is "
			    "recorded as considered (%s) before it was "
			    "received (%s).", iso(r->considered_on).s,
			    iso(r->received_on).s);
	}
	for (size_t i = first; i < x->f->n; i++)
		x->f->v[i].blocks = DOC_BIT(DOC_COURT);
}

/* True when some office of the policy has a code. */
static bool
policy_has_codes(const struct policy *p)
{
	if (p->sample_office)
		return false;
	for (int i = 0; i < p->noffices; i++)
		if (p->offices[i].code[0] != '\0')
			return true;
	return false;
}

/*
 * The office that sends the documents: the policy's single office (a
 * case naming another code is office-unknown when it has one), else the
 * one the case's officer/office/@code names.  The built-in sample office
 * serves every case.
 */
static void
check_office(struct ev_ctx *x)
{
	const struct policy *p = x->rc->policy;
	const struct officer *o = &x->c->officer;
	const struct immigration_court *ct = &x->c->use.court;
	struct finding *fi;

	if (policy_office_for(p, o->office_code) == NULL) {
		if (o->office_code == NULL)
			findings_add(x->f, DIAG_OFFICE_UNKNOWN, o->line,
			    "The policy lists %d offices and the officer's "
			    "<office> names none of them: give it the code of "
			    "the office that sends the documents "
			    "(officer/office/@code).", p->noffices);
		else
			findings_add(x->f, DIAG_OFFICE_UNKNOWN, o->office_line,
			    "The officer's office code %s is not an office of "
			    "the policy; the documents cannot say which office "
			    "sends them.", o->office_code);
	}
	if (!ct->present || ct->filer.office == NULL ||
	    !policy_has_codes(p))
		return;
	for (int i = 0; i < p->noffices; i++)
		if (strcmp(p->offices[i].code, ct->filer.office) == 0)
			return;
	fi = findings_add(x->f, DIAG_OFFICE_UNKNOWN, ct->filer.line,
	    "The filer's office code %s is not an office of the policy; the "
	    "court submission cannot name the filing office.",
	    ct->filer.office);
	fi->blocks = DOC_BIT(DOC_COURT);
}

/* English when absent or when its primary subtag is en. */
static bool
is_english(const char *lang)
{
	size_t n;

	if (lang == NULL)
		return true;
	n = strcspn(lang, "-_");
	return n == 2 && (lang[0] == 'e' || lang[0] == 'E') &&
	    (lang[1] == 'n' || lang[1] == 'N');
}

/*
 * translation-missing for one exhibit (the notice extract or a received
 * document): not in English without a translation, or a translation
 * whose translator the court could not reach (unknown to the policy, or
 * without address and telephone, which a certificate of translation
 * must give).
 */
static void
check_translation(struct ev_ctx *x, const char *what, const char *lang,
    const struct translation *t, unsigned line)
{
	const struct policy_translator *pt;
	char *q;

	if (t == NULL) {
		if (is_english(lang))
			return;
		q = diag_quote(lang, 40);
		findings_add(x->f, DIAG_TRANSLATION_MISSING, line, "%s is in %s "
		    "and has no certified English translation "
		    "(<translation>); the court submission needs one.", what,
		    q);
		free(q);
		return;
	}
	pt = x->rc->policy->sample_translator ? NULL :
	    policy_translator(x->rc->policy, t->translator);
	q = diag_quote(t->translator, 40);
	if (pt == NULL)
		findings_add(x->f, DIAG_TRANSLATION_MISSING, t->line, "The "
		    "translation of %s names translator %s, whom the policy "
		    "does not list; the translator's certificate cannot be "
		    "made.", what, q);
	else if (!pt->has_address || pt->phone[0] == '\0')
		findings_add(x->f, DIAG_TRANSLATION_MISSING, t->line, "The "
		    "translation of %s is by translator %s, for whom the "
		    "policy gives no %s; the translator's certificate must "
		    "give both address and telephone.", what, q,
		    !pt->has_address && pt->phone[0] == '\0' ?
		    "address and telephone" : !pt->has_address ? "address" :
		    "telephone");
	free(q);
}

/*
 * The findings of the court submission (intendedUse/immigrationCourt):
 * each withholds the submission alone (filing-deadline nothing), so the
 * steps they belong to stay met.  response-period-open needs the mail
 * pieces and comes later (rules_response_period()).
 */
static void
check_court(struct ev_ctx *x)
{
	const struct case_doc *c = x->c;
	const struct immigration_court *ct = &c->use.court;
	const struct notice *n = &c->notice;

	if (!ct->present)
		return;
	if (n->extract.present)
		check_translation(x, "The notice extract", n->extract.language,
		    n->extract.translation, n->extract.line);
	for (size_t i = 0; i < c->iw.nenclosures; i++) {
		const struct enclosure *e = &c->iw.enclosures[i];
		char *what, *q = diag_quote(e->title, 120);

		what = xasprintf("The document \"%s\"", q);
		check_translation(x, what, e->language, e->translation,
		    e->line);
		if (e->file == NULL)
			findings_add(x->f, DIAG_EXHIBIT_MISSING, e->line, "%s "
			    "has no file (@file): it can be mailed as a manual "
			    "insert, but the court submission needs its "
			    "pages as an exhibit.", what);
		free(what);
		free(q);
	}
	if (c->subject.a_number == NULL)
		findings_add(x->f, DIAG_A_NUMBER_MISSING, c->subject.line,
		    "The subject has no A-number (subject/aNumber); the court "
		    "submission's caption needs it.");
	if (c->response.present && !c->response.considered)
		findings_add(x->f, DIAG_RESPONSE_NOT_CONSIDERED,
		    c->response.line, "The subject's response received on %s "
		    "is not recorded as considered (<consideration>); the "
		    "court submission waits for it.",
		    iso(c->response.received_on).s);
	if (rules_filing_late(c, x->rc->as_of))
		findings_add(x->f, DIAG_FILING_DEADLINE, ct->line, "The next "
		    "hearing is on %s: filings for a respondent who is not "
		    "detained are due 15 days before it (by %s); the "
		    "submission is produced, and must be filed with a motion "
		    "to accept a late filing.", iso(ct->next_hearing).s,
		    iso(ct->next_hearing - COURT_FILING_DAYS).s);
}

bool
rules_filing_late(const struct case_doc *c, int32_t as_of)
{
	const struct immigration_court *ct = &c->use.court;

	return ct->present && !ct->detained && ct->next_hearing != DATE_NONE &&
	    as_of > ct->next_hearing - COURT_FILING_DAYS;
}

bool
rules_period_open(const struct case_doc *c, int32_t as_of,
    int32_t response_due, bool unissued_piece)
{
	if (!c->use.court.present || c->response.present)
		return false;
	return unissued_piece ||
	    (response_due != DATE_NONE && as_of <= response_due);
}

void
rules_response_period(const struct case_doc *c,
    const struct rules_context *rc, struct evaluation *ev,
    bool unissued_piece)
{
	int32_t due = ev->response_due;
	char d[11];

	if (!(ev->generated & DOC_BIT(DOC_NOTICE)) ||
	    !rules_period_open(c, rc->as_of, due, unissued_piece))
		return;
	date_format_iso(due, d);
	/* The date's reason first: it holds on every run until then, so a
	 * second run on the same day says the same (same packet bytes). */
	if (unissued_piece && (due == DATE_NONE || rc->as_of > due))
		findings_add(&ev->findings, DIAG_RESPONSE_PERIOD_OPEN,
		    c->service.present ? c->service.line : c->subject.line,
		    "A mail piece of the notice is issued by this run or held "
		    "back, so the subject's time to respond has not begun; a "
		    "later run produces the court submission once it has "
		    "closed.");
	else
		findings_add(&ev->findings, DIAG_RESPONSE_PERIOD_OPEN,
		    c->service.present ? c->service.line : c->subject.line,
		    "The subject may respond until %s and no response is "
		    "recorded; the court submission waits until the period "
		    "has closed.", d);
	rules_settle(c, rc, ev);
	/* Only the court submission changed: the deadline the pieces
	 * print stands (rules_settle() would recompute it). */
	ev->response_due = due;
}

static void
check_protection(struct ev_ctx *x)
{
	const struct subject *s = &x->c->subject;
	static const char *const kinds[] = { "asylum applicant", "refugee",
	    "withholding of removal", "Convention Against Torture" };

	if (!s->has_protection)
		return;
	findings_add(x->f, DIAG_PROTECTED_PERSON, s->protection_line,
	    "The subject has a protection status (%s) against %s: nothing "
	    "that reveals a protection claim may reach the country of feared "
	    "persecution (8 CFR 208.6).  The USNCB memo's transmittal says "
	    "so, and its request to be forwarded leaves the claim out.",
	    kinds[s->protection], s->protection_against);
}

/*
 * Characters no installed face can draw (docs/rules.md).  Every script a
 * face covers is laid out, right-to-left and beyond the Basic Multilingual
 * Plane too (docs/scripts.md), so this is the one finding about text the
 * documents cannot print.
 */
static void
scan_glyphs(void *ctx, const char *field, const char *text, unsigned line)
{
	struct ev_ctx *x = ctx;
	int32_t len = (int32_t)strlen(text), i = 0;

	if (x->rc->has_glyph == NULL)
		return;
	while (i < len) {
		UChar32 c;

		U8_NEXT(text, i, len, c);
		if (c < 0 || u_isUWhiteSpace(c))
			continue;
		if (!x->rc->has_glyph(x->rc->glyph_ctx, (uint32_t)c)) {
			findings_add(x->f, DIAG_MISSING_GLYPH, line, "%s contains "
			    "U+%04X, which no installed face can draw; the "
			    "compliance summary shows it as U+%04X and the other "
			    "documents are withheld.", field, (unsigned)c,
			    (unsigned)c);
			return;
		}
	}
}

static void
check_language(struct ev_ctx *x)
{
	const char *lang = x->c->subject.language;
	char primary[16];
	size_t n;

	if (lang == NULL)
		return;
	n = strcspn(lang, "-_");
	if (n >= sizeof(primary))
		n = sizeof(primary) - 1;
	memcpy(primary, lang, n);
	primary[n] = '\0';
	if (utext_ascii_casecmp_eq(primary, "en"))
		return;
	for (size_t i = 0; i < x->rc->ntranslations; i++) {
		if (!utext_ascii_casecmp_eq(primary, x->rc->translations[i]))
			continue;
		/* The translator's certificate would name nobody real:
		 * the letter is made, but its pieces join no print job. */
		if (x->rc->policy->sample_translator)
			findings_add(x->f, DIAG_SAMPLE_TRANSLATOR,
			    x->c->subject.language_line, "The notice is "
			    "translated (%s), but no policy file names a "
			    "translator: the translator's certificate carries the "
			    "SAMPLE translator, so the mail pieces are held back "
			    "from the print job.", lang);
		return;
	}
	findings_add(x->f, DIAG_TRANSLATION_UNAVAILABLE,
	    x->c->subject.language_line, "The subject's preferred language is "
	    "%s, for which no translation of the notice exists; the notice "
	    "is in English only.", lang);
}

unsigned
rules_withholds(const struct case_doc *c, unsigned blocks)
{
	if (!c->use.court.present)
		return blocks & ~DOC_BIT(DOC_COURT);
	/* The submission follows the notice in the order of steps. */
	if (blocks & DOC_BIT(DOC_NOTICE))
		blocks |= DOC_BIT(DOC_COURT);
	return blocks;
}

bool
rules_served_by_mail(const struct case_doc *c)
{
	return c->service.method != SERVICE_PERSONAL;
}

int32_t
rules_deadline(const struct case_doc *c, const struct policy *p,
    int32_t service)
{
	/* Mail adds its days (8 CFR 103.8(b)); the end moves past
	 * weekends and federal holidays. */
	if (service == DATE_NONE)
		return DATE_NONE;
	return date_response_due(service, p->response_days +
	    (rules_served_by_mail(c) ? p->mail_days : 0));
}

static void
settle(struct ev_ctx *x)
{
	struct evaluation *ev = x->ev;
	unsigned blocked, applies;

	for (size_t i = 0; i < x->f->n; i++)
		x->f->v[i].blocks = rules_withholds(x->c, x->f->v[i].blocks);
	blocked = findings_blocks(x->f);

	ev->generated = DOCS_ALL & ~(blocked & DOCS_AFTER_SUMMARY);
	/* The court submission counts only where it applies. */
	applies = DOCS_ALL;
	if (x->c->use.court.present) {
		applies |= DOC_BIT(DOC_COURT);
		if (!(blocked & DOC_BIT(DOC_COURT)))
			ev->generated |= DOC_BIT(DOC_COURT);
	}
	if ((ev->generated & applies) == applies)
		ev->status = CASE_COMPLETE;
	else if ((ev->generated & DOCS_AFTER_SUMMARY) == 0)
		ev->status = CASE_BLOCKED;
	else
		ev->status = CASE_PARTIAL;

	for (int s = 0; s < STEP__MAX; s++)
		ev->steps[s] = STEP_MET;
	for (size_t i = 0; i < x->f->n; i++) {
		const struct finding *fi = &x->f->v[i];

		/* Points to look at that withhold nothing, or only the
		 * court submission, leave a step met. */
		if (fi->step < STEP__MAX &&
		    ((fi->blocks & ~DOC_BIT(DOC_COURT)) != 0 ||
		    diag_severity(fi->code) == DIAG_SEV_ERROR))
			ev->steps[fi->step] = STEP_NOT_MET;
	}
	if (!x->c->use.proceedings)
		ev->steps[STEP_USE_AUTHORIZATION] = STEP_NOT_APPLICABLE;
	if (!(ev->generated & DOC_BIT(DOC_NOTICE)))
		ev->steps[STEP_SUBJECT_NOTICE] = STEP_NOT_MET;
	ev->response_due = ev->generated & DOC_BIT(DOC_NOTICE) ?
	    rules_deadline(x->c, x->rc->policy, ev->service_date) : DATE_NONE;
}

void
rules_evaluate(const struct case_doc *c, const struct rules_context *rc,
    struct evaluation *ev)
{
	struct ev_ctx x = { c, rc, ev, &ev->findings };

	memset(ev, 0, sizeof(*ev));
	findings_init(&ev->findings);
	ev->response_due = DATE_NONE;
	check_training(&x);
	check_validity(&x);
	check_review(&x);
	check_protection(&x);
	check_basis(&x);
	case_each_statement(c, scan_representation, &x);
	check_approval(&x);
	check_documentation(&x);
	check_use_authorization(&x);
	check_subject_notice(&x);
	check_response(&x);
	check_office(&x);
	case_each_text(c, scan_glyphs, &x);
	check_language(&x);
	check_court(&x);
	if (rc->policy->sample_office)
		findings_add(x.f, DIAG_SAMPLE_OFFICE, 0, "No policy file names "
		    "the issuing office: the documents carry the marked SAMPLE "
		    "office of the built-in defaults and must not be mailed.");
	settle(&x);
}

void
rules_settle(const struct case_doc *c, const struct rules_context *rc,
    struct evaluation *ev)
{
	struct ev_ctx x = { c, rc, ev, &ev->findings };

	settle(&x);
}

void
evaluation_free(struct evaluation *ev)
{
	findings_free(&ev->findings);
}
