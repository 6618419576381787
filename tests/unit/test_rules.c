/*
 * test_rules.c - cmocka tests for the compliance rules (rules.c) against
 * the contract of docs/rules.md.
 *
 * Every case is built in C: good_case() is the example of docs/case-format.md
 * , with every step met as of 2024-03-14, and each test changes
 * it as little as possible.  Each finding code that the rules raise has a
 * test showing the finding (severity, step, indicator, what it withholds,
 * the documents and status that follow) and near misses where it is not
 * raised.  Expected values come from the rules (docs/rules.md), never from the code under
 * test.
 *
 * Tests named test_regression_* show behaviour that contradicts the rules: they
 * fail until the bug is fixed (the comment above each quotes the rule).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnpack/buf.h"
#include "rnpack/case.h"
#include "rnpack/date.h"
#include "rnpack/diag.h"
#include "rnpack/domain.h"
#include "rnpack/policy.h"
#include "rnpack/rules.h"

#define AS_OF		"2024-03-14"

/* What a finding withholds (docs/rules.md, documents 2 to 4). */
#define W_ALL		(DOC_BIT(DOC_APPROVAL) | DOC_BIT(DOC_USNCB) | \
			 DOC_BIT(DOC_NOTICE))
#define W_AFTER_APPROVAL (DOC_BIT(DOC_USNCB) | DOC_BIT(DOC_NOTICE))
#define W_NOTICE	DOC_BIT(DOC_NOTICE)
#define W_NOTHING	0u

/* What is generated: the summary always, the rest unless withheld. */
#define G_ALL		(DOC_BIT(DOC_SUMMARY) | W_ALL)
#define G_SUMMARY	DOC_BIT(DOC_SUMMARY)
#define G_TO_APPROVAL	(DOC_BIT(DOC_SUMMARY) | DOC_BIT(DOC_APPROVAL))
#define G_TO_USNCB	(G_TO_APPROVAL | DOC_BIT(DOC_USNCB))

#define ERR		DIAG_SEV_ERROR
#define WARN		DIAG_SEV_WARNING

/* Source lines of the parts of good_case(), so findings can be located. */
enum {
	L_ID = 2, L_SUBJECT = 3, L_LANGUAGE = 9, L_ADDRESS = 10,
	L_COUNSEL = 14, L_NOTICE = 18, L_EXPIRES = 22, L_OFFENSE = 24,
	L_WARRANT = 29, L_VERIFICATION = 30, L_OFFICER = 33,
	L_OFFICER_NAME = 34, L_TRAINING = 38, L_REVIEW = 40,
	L_ANSWER = 41, L_NOTES = 49, L_BASIS = 51, L_FACT = 52, L_USE = 54,
	L_APPROVAL = 55, L_REQUEST = 61, L_RECEIVED = 62, L_ENCLOSURE = 63,
	L_USE_AUTH = 65, L_SERVICE = 67
};

/* ------------------------------------------------------------------ */
/* Dates */

static int32_t
dt(const char *s)
{
	int32_t d = DATE_NONE;

	if (!date_parse(s, &d))
		fail_msg("test bug: bad date %s", s);
	return d;
}

static int32_t
as_of_plus(int days)
{
	return dt(AS_OF) + days;
}

/* ------------------------------------------------------------------ */
/* The case model, built in the case's arena */

static struct address *
us_address(struct case_doc *c, const char *line1, const char *city,
    const char *state, const char *zip, unsigned line)
{
	struct address *a = case_alloc(c, 1, sizeof(*a));

	a->lines[0] = case_strdup(c, line1);
	a->nlines = 1;
	a->city = case_strdup(c, city);
	a->state = case_strdup(c, state);
	a->postal_code = case_strdup(c, zip);
	a->country = NULL;
	a->line = line;
	return a;
}

static struct counsel *
counsel(struct case_doc *c, bool with_address)
{
	struct counsel *k = case_alloc(c, 1, sizeof(*k));

	k->name = case_strdup(c, "Ana Torres, Esq.");
	k->address = with_address ? us_address(c, "500 Travis St Ste 200",
	    "Houston", "TX", "77002", L_COUNSEL + 1) : NULL;
	k->line = L_COUNSEL;
	return k;
}

static void
set_trainings(struct case_doc *c, const int32_t *dates, size_t n)
{
	struct training *t = case_alloc(c, n ? n : 1, sizeof(*t));

	for (size_t i = 0; i < n; i++) {
		t[i].completed_on = dates[i];
		t[i].course = case_strdup(c,
		    "Red Notice and Diffusion annual training");
		t[i].line = L_TRAINING + (unsigned)i;
	}
	c->officer.trainings = t;
	c->officer.ntrainings = n;
}

#define TRAININGS(c, ...) set_trainings((c), (const int32_t[]){ __VA_ARGS__ }, \
	sizeof((const int32_t[]){ __VA_ARGS__ }) / sizeof(int32_t))

struct vspec {
	const char			*on;
	enum verification_status	 status;
};

static void
set_verifications(struct case_doc *c, const struct vspec *vs, size_t n)
{
	struct verification *v = case_alloc(c, n ? n : 1, sizeof(*v));

	for (size_t i = 0; i < n; i++) {
		v[i].on = dt(vs[i].on);
		v[i].method = case_strdup(c, "I-24/7 query");
		v[i].status = vs[i].status;
		v[i].line = L_VERIFICATION + (unsigned)i;
	}
	c->notice.verifications = v;
	c->notice.nverifications = n;
}

#define VERIFICATIONS(c, ...) set_verifications((c), \
	(const struct vspec[]){ __VA_ARGS__ }, \
	sizeof((const struct vspec[]){ __VA_ARGS__ }) / sizeof(struct vspec))

/* Offenses with these months (penalty or remaining, by purpose). */
static void
set_offenses(struct case_doc *c, enum purpose p, const int *months, size_t n)
{
	struct offense *o = case_alloc(c, n, sizeof(*o));

	for (size_t i = 0; i < n; i++) {
		o[i].description = case_strdup(c, "Aggravated fraud");
		o[i].law = case_strdup(c, "Código Penal art. 462");
		o[i].max_penalty_months = p == PURPOSE_PROSECUTION ?
		    months[i] : -1;
		o[i].remaining_months = p == PURPOSE_SENTENCE ? months[i] : -1;
		o[i].line = L_OFFENSE + 5 * (unsigned)i;
	}
	c->notice.purpose = p;
	c->notice.offenses = o;
	c->notice.noffenses = n;
}

#define OFFENSES(c, p, ...) set_offenses((c), (p), (const int[]){ __VA_ARGS__ }, \
	sizeof((const int[]){ __VA_ARGS__ }) / sizeof(int))

static void
set_alias(struct case_doc *c, const char *alias)
{
	const char **a = case_alloc(c, 1, sizeof(*a));

	a[0] = case_strdup(c, alias);
	c->subject.aliases = a;
	c->subject.naliases = 1;
}

static void
set_fact(struct case_doc *c, const char *text)
{
	struct fact *f = case_alloc(c, 1, sizeof(*f));

	f->text = case_strdup(c, text);
	f->source = case_strdup(c, "CBP I-94");
	f->line = L_FACT;
	c->facts = f;
	c->nfacts = 1;
}

/*
 * The example case of docs/case-format.md: every step met as of
 * 2024-03-14, proceedings="true", use authorization granted, a subject
 * address and counsel with an address.
 */
static struct case_doc *
good_case(void)
{
	struct case_doc *c = case_new();
	struct subject *s = &c->subject;
	struct notice *n = &c->notice;
	struct officer *o = &c->officer;
	struct review *r = &c->review;
	struct approval *a = &c->approval;
	struct interpol_washington *iw = &c->iw;
	const char **citizenship;
	struct enclosure *e;

	c->id = case_strdup(c, "HOU-2024-00017");
	c->id_line = L_ID;

	s->family_name = case_strdup(c, "Ramírez Núñez");
	s->given_name = case_strdup(c, "José Luis");
	set_alias(c, "Pepe Ramírez");
	s->date_of_birth = dt("1984-03-12");
	citizenship = case_alloc(c, 1, sizeof(*citizenship));
	citizenship[0] = case_strdup(c, "VE");
	s->citizenship = citizenship;
	s->ncitizenship = 1;
	s->a_number = case_strdup(c, "A123456789");
	s->language = case_strdup(c, "es");
	s->language_line = L_LANGUAGE;
	s->has_protection = false;
	s->address = us_address(c, "1234 Main St Apt 5", "Houston", "TX",
	    "77002-1234", L_ADDRESS);
	s->counsel = counsel(c, true);
	s->line = L_SUBJECT;

	n->kind = NOTICE_RED;
	n->control_number = case_strdup(c, "A-1234/5-2023");
	n->issuing_country = case_strdup(c, "VE");
	n->issued_on = dt("2023-05-10");
	n->expires_on = dt("2028-05-10");
	n->expires_line = L_EXPIRES;
	OFFENSES(c, PURPOSE_PROSECUTION, 96);
	n->warrant.present = true;
	n->warrant.issued_by = case_strdup(c,
	    "Juzgado Quinto de Control, Caracas");
	n->warrant.issued_on = dt("2023-03-02");
	n->warrant.reference = case_strdup(c, "JC5-2023-118");
	n->warrant.line = L_WARRANT;
	VERIFICATIONS(c, { "2024-02-20", VERIFY_VALID });
	n->line = L_NOTICE;

	o->name = case_strdup(c, "Daniel Ortiz");
	o->title = case_strdup(c, "Deportation Officer");
	o->office = case_strdup(c, "ERO Houston");
	o->phone = case_strdup(c, "713-555-0100");
	o->email = case_strdup(c, "daniel.ortiz@example.gov");
	TRAININGS(c, dt("2024-01-05"));
	o->line = L_OFFICER;
	o->name_line = L_OFFICER_NAME;

	r->present = true;
	r->completed_on = dt("2024-02-21");
	for (int i = 0; i < IND__MAX; i++) {
		r->answers[i].answered = true;
		r->answers[i].found = false;
		r->answers[i].line = L_ANSWER + (unsigned)i;
	}
	r->notes = case_strdup(c, "No indication of political character; "
	    "charges are ordinary fraud.");
	r->notes_line = L_NOTES;
	r->line = L_REVIEW;

	set_fact(c, "Remained beyond the authorized period of admission "
	    "(B-2, admitted 2022-06-01).");
	c->basis_line = L_BASIS;

	c->use.enforcement = true;
	c->use.proceedings = true;
	c->use.proceeding = case_strdup(c,
	    "Removal proceedings, Houston Immigration Court");
	c->use.line = L_USE;

	a->present = true;
	a->decision = DECISION_APPROVED;
	a->on = dt("2024-02-22");
	a->supervisor_name = case_strdup(c, "Maria Chen");
	a->supervisor_title = case_strdup(c,
	    "Supervisory Deportation Officer");
	a->line = L_APPROVAL;

	iw->requested = true;
	iw->request_sent_on = dt("2024-02-23");
	iw->request_reference = case_strdup(c, "USNCB-2024-0456");
	iw->request_line = L_REQUEST;
	iw->received = true;
	iw->received_on = dt("2024-03-08");
	e = case_alloc(c, 1, sizeof(*e));
	e->title = case_strdup(c, "Arrest warrant JC5-2023-118");
	e->pages = 3;
	e->language = case_strdup(c, "es");
	e->line = L_ENCLOSURE;
	iw->enclosures = e;
	iw->nenclosures = 1;
	iw->received_line = L_RECEIVED;
	iw->has_use = true;
	iw->use_decision = USE_GRANTED;
	iw->use_requested_on = dt("2024-02-23");
	iw->use_decided_on = dt("2024-03-11");
	iw->use_line = L_USE_AUTH;

	c->service.present = true;
	c->service.method = SERVICE_MAIL;
	c->service.on = dt("2024-03-14");
	c->service.line = L_SERVICE;
	return c;
}

/* ------------------------------------------------------------------ */
/* Fixture: a fresh good case, the default policy, as of 2024-03-14 */

struct fx {
	struct case_doc		*c;
	struct policy		 pol;
	struct rules_text	*rules;	/* templates/representation.rules */
	struct rules_context	 ctx;
	struct evaluation	 ev;
	bool			 evaluated;
};

static const char *const translations_es[] = { "es" };

/* The real representation rules, read from the source tree. */
static struct rules_text *
load_rules(void)
{
	struct buf b = BUF_INIT;
	struct rules_text *r = NULL;
	char *err = NULL;

	if (buf_read_file(&b, "templates/representation.rules", 1 << 20))
		r = rules_text_compile(b.ptr, b.len, "representation.rules",
		    &err);
	if (r == NULL)
		print_error("templates/representation.rules: %s\n",
		    err ? err : "cannot read (run from the source tree)");
	free(err);
	buf_free(&b);
	return r;
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (f == NULL || (f->rules = load_rules()) == NULL) {
		free(f);
		return -1;
	}
	f->ctx.representation = f->rules;
	f->c = good_case();
	policy_defaults(&f->pol);
	/* The good case is translated (es): as with a policy that names its
	 * translator; test_sample_translator covers the built-in one. */
	f->pol.sample_translator = false;
	f->ctx.policy = &f->pol;
	f->ctx.as_of = dt(AS_OF);
	f->ctx.translations = translations_es;
	f->ctx.ntranslations = 1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	if (f->evaluated)
		evaluation_free(&f->ev);
	case_free(f->c);
	rules_text_free(f->rules);
	free(f);
	return 0;
}

/* Evaluate the fixture's case (again). */
static const struct evaluation *
run(struct fx *f)
{
	if (f->evaluated)
		evaluation_free(&f->ev);
	rules_evaluate(f->c, &f->ctx, &f->ev);
	f->evaluated = true;
	return &f->ev;
}

/* Start over from the good case. */
static struct case_doc *
renew(struct fx *f)
{
	case_free(f->c);
	f->c = good_case();
	return f->c;
}

/* ------------------------------------------------------------------ */
/* Looking at findings */

static void
dump(const struct evaluation *ev)
{
	print_error("findings (%zu):\n", ev->findings.n);
	for (size_t i = 0; i < ev->findings.n; i++) {
		const struct finding *fi = &ev->findings.v[i];

		print_error("  %s step=%d indicator=%d blocks=%#x line=%u: %s\n",
		    diag_code_id(fi->code), (int)fi->step, (int)fi->indicator,
		    fi->blocks, fi->line, fi->message);
	}
}

static size_t
count(const struct evaluation *ev, enum diag_code code)
{
	size_t n = 0;

	for (size_t i = 0; i < ev->findings.n; i++)
		if (ev->findings.v[i].code == code)
			n++;
	return n;
}

/* The first finding with this code (and step, unless STEP_NONE + 1). */
#define ANY_STEP	((enum step)(STEP_NONE + 1))

static const struct finding *
find_step(const struct evaluation *ev, enum diag_code code, enum step step)
{
	for (size_t i = 0; i < ev->findings.n; i++) {
		const struct finding *fi = &ev->findings.v[i];

		if (fi->code == code && (step == ANY_STEP || fi->step == step))
			return fi;
	}
	return NULL;
}

static const struct finding *
find(const struct evaluation *ev, enum diag_code code)
{
	return find_step(ev, code, ANY_STEP);
}

static const struct finding *
find_ind(const struct evaluation *ev, enum diag_code code,
    enum indicator ind)
{
	for (size_t i = 0; i < ev->findings.n; i++)
		if (ev->findings.v[i].code == code &&
		    ev->findings.v[i].indicator == ind)
			return &ev->findings.v[i];
	return NULL;
}

/*
 * The finding of code on step must be there with the severity and the
 * withheld documents of docs/rules.md, and a message.
 */
#define EXPECT(ev, code, sev, step, blocks) \
	expect_at(__FILE__, __LINE__, (ev), (code), (sev), (step), (blocks))

static const struct finding *
expect_at(const char *file, int line, const struct evaluation *ev,
    enum diag_code code, enum diag_severity sev, enum step step,
    unsigned blocks)
{
	const struct finding *fi = find_step(ev, code, step);

	if (fi == NULL) {
		dump(ev);
		print_error("no %s finding on step %d\n", diag_code_id(code),
		    (int)step);
		_fail(file, line);
		return NULL;
	}
	_assert_int_equal(diag_severity(code), sev, file, line);
	_assert_int_equal(fi->step, step, file, line);
	_assert_int_equal(fi->blocks, blocks, file, line);
	_assert_true(fi->message != NULL && fi->message[0] != '\0',
	    "message", file, line);
	return fi;
}

/*
 * The findings are exactly these codes (a multiset), not counting
 * sample-office, which the default policy adds to every case.
 */
#define ONLY(ev, ...) only_at(__FILE__, __LINE__, (ev), \
	(const enum diag_code[]){ __VA_ARGS__ }, \
	sizeof((const enum diag_code[]){ __VA_ARGS__ }) / \
	sizeof(enum diag_code))
#define NONE(ev) only_at(__FILE__, __LINE__, (ev), NULL, 0)

static void
only_at(const char *file, int line, const struct evaluation *ev,
    const enum diag_code *codes, size_t n)
{
	for (int code = 0; code < DIAG__MAX; code++) {
		size_t want = 0;

		if (code == DIAG_SAMPLE_OFFICE)
			continue;
		for (size_t i = 0; i < n; i++)
			if (codes[i] == (enum diag_code)code)
				want++;
		if (count(ev, (enum diag_code)code) != want) {
			dump(ev);
			print_error("expected %zu %s finding(s)\n", want,
			    diag_code_id((enum diag_code)code));
			_fail(file, line);
		}
	}
}

/*
 * The documents generated, and what follows from them (docs/reports.md
 * ): the status, and responseDue only with the subject notice.
 */
#define DOCS(ev, generated) docs_at(__FILE__, __LINE__, (ev), (generated))
/* The packet whole, the court submission withheld: partial. */
#define COURT_WITHHELD(ev) do { \
	assert_int_equal((ev)->generated, G_ALL); \
	assert_int_equal((ev)->status, CASE_PARTIAL); \
} while (0)

static void
docs_at(const char *file, int line, const struct evaluation *ev,
    unsigned generated)
{
	enum case_status want = generated == G_ALL ? CASE_COMPLETE :
	    generated == G_SUMMARY ? CASE_BLOCKED : CASE_PARTIAL;

	if (ev->generated != generated)
		dump(ev);
	_assert_int_equal(ev->generated, generated, file, line);
	_assert_int_equal(ev->status, want, file, line);
	if (generated & DOC_BIT(DOC_NOTICE))
		_assert_true(ev->response_due != DATE_NONE, "responseDue",
		    file, line);
	else
		_assert_int_equal(ev->response_due, DATE_NONE, file, line);
}

static bool
message_has(const struct finding *fi, const char *what)
{
	return fi != NULL && strstr(fi->message, what) != NULL;
}

/* ------------------------------------------------------------------ */
/* The catalogue */

static void
test_catalogue_ids_and_severities(void **state)
{
	static const struct {
		enum diag_code		 code;
		const char		*id;
		enum diag_severity	 sev;
	} want[] = {
		{ DIAG_TRAINING_MISSING, "training-missing", ERR },
		{ DIAG_TRAINING_LAPSED, "training-lapsed", ERR },
		{ DIAG_NOTICE_NOT_VERIFIED, "notice-not-verified", ERR },
		{ DIAG_VERIFICATION_STALE, "verification-stale", ERR },
		{ DIAG_NOTICE_SUSPENDED, "notice-suspended", ERR },
		{ DIAG_NOTICE_WITHDRAWN, "notice-withdrawn", ERR },
		{ DIAG_NOTICE_CANCELLED, "notice-cancelled", ERR },
		{ DIAG_NOTICE_DELETED, "notice-deleted", ERR },
		{ DIAG_NOTICE_BLOCKED, "notice-blocked", ERR },
		{ DIAG_NOTICE_EXPIRED, "notice-expired", ERR },
		{ DIAG_REVIEW_MISSING, "review-missing", ERR },
		{ DIAG_REVIEW_INCOMPLETE, "review-incomplete", ERR },
		{ DIAG_INDICATOR_CONTRADICTED, "indicator-contradicted", ERR },
		{ DIAG_EXCLUSIVE_RELIANCE, "exclusive-reliance", ERR },
		{ DIAG_PROHIBITED_REPRESENTATION, "prohibited-representation",
		    ERR },
		{ DIAG_ABUSE_INDICATOR, "abuse-indicator", WARN },
		{ DIAG_APPROVAL_MISSING, "approval-missing", WARN },
		{ DIAG_APPROVAL_PENDING, "approval-pending", WARN },
		{ DIAG_APPROVAL_DENIED, "approval-denied", ERR },
		{ DIAG_APPROVER_IS_OFFICER, "approver-is-officer", ERR },
		{ DIAG_DISPOSITION_MISSING, "disposition-missing", ERR },
		{ DIAG_OUT_OF_ORDER, "out-of-order", ERR },
		{ DIAG_DOCUMENTATION_NOT_REQUESTED,
		    "documentation-not-requested", WARN },
		{ DIAG_DOCUMENTATION_NOT_RECEIVED,
		    "documentation-not-received", WARN },
		{ DIAG_USE_AUTHORIZATION_MISSING, "use-authorization-missing",
		    WARN },
		{ DIAG_USE_AUTHORIZATION_PENDING, "use-authorization-pending",
		    WARN },
		{ DIAG_USE_AUTHORIZATION_DENIED, "use-authorization-denied",
		    ERR },
		{ DIAG_NO_MAILING_ADDRESS, "no-mailing-address", ERR },
		{ DIAG_UNSUPPORTED_SCRIPT, "unsupported-script", ERR },
		{ DIAG_TRANSLATION_UNAVAILABLE, "translation-unavailable",
		    WARN },
		{ DIAG_SAMPLE_OFFICE, "sample-office", WARN },
		{ DIAG_REPRINT_NOT_IDENTICAL, "reprint-not-identical", WARN },
		{ DIAG_SERVICE_DATE_CHANGED, "service-date-changed", WARN },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++) {
		assert_string_equal(diag_code_id(want[i].code), want[i].id);
		assert_int_equal(diag_severity(want[i].code), want[i].sev);
	}
}

/* "the documents of that step and after" (docs/rules.md) */
static void
test_out_of_order_blocks_by_step(void **state)
{
	(void)state;
	assert_int_equal(rules_out_of_order_blocks(STEP_TRAINING), W_ALL);
	assert_int_equal(rules_out_of_order_blocks(STEP_VALIDITY), W_ALL);
	assert_int_equal(rules_out_of_order_blocks(STEP_REVIEW), W_ALL);
	assert_int_equal(rules_out_of_order_blocks(STEP_BASIS), W_ALL);
	/* the approval request too: the decision it records is not valid */
	assert_int_equal(rules_out_of_order_blocks(STEP_APPROVAL), W_ALL);
	assert_int_equal(rules_out_of_order_blocks(STEP_DOCUMENTATION),
	    W_NOTICE);
	assert_int_equal(rules_out_of_order_blocks(STEP_USE_AUTHORIZATION),
	    W_NOTICE);
	assert_int_equal(rules_out_of_order_blocks(STEP_SUBJECT_NOTICE),
	    W_NOTICE);
}

/* ------------------------------------------------------------------ */
/* The good case */

static void
test_good_case_complete(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev = run(f);
	const struct finding *fi;

	assert_int_equal(ev->findings.n, 1);
	fi = EXPECT(ev, DIAG_SAMPLE_OFFICE, WARN, STEP_NONE, W_NOTHING);
	assert_int_equal(fi->indicator, IND_NONE);
	DOCS(ev, G_ALL);
	assert_int_equal(ev->status, CASE_COMPLETE);
	assert_string_equal(case_status_id(ev->status), "complete");
	for (int s = 0; s < STEP__MAX; s++)
		assert_int_equal(ev->steps[s], STEP_MET);
	for (int i = 0; i < IND__MAX; i++)
		assert_false(ev->derived[i]);
	assert_int_equal(ev->service_date, dt("2024-03-14"));
	/* by mail: 2024-03-14 + 30 + 3 mail days, a Tuesday */
	assert_int_equal(ev->response_due, dt("2024-04-16"));
}

static void
test_good_case_without_sample_office(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;

	f->pol.sample_office = false;
	ev = run(f);
	assert_int_equal(ev->findings.n, 0);
	DOCS(ev, G_ALL);
	assert_int_equal(ev->response_due, dt("2024-04-16"));
}

/* The service date is service/@on, else the as-of date. */
static void
test_service_date_and_response_due(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;

	f->c->service.on = DATE_NONE;
	ev = run(f);
	NONE(ev);
	assert_int_equal(ev->service_date, dt(AS_OF));
	assert_int_equal(ev->response_due, dt("2024-04-16"));

	f->c->service.present = false;
	ev = run(f);
	NONE(ev);
	assert_int_equal(ev->response_due, dt("2024-04-16"));

	/* responseDays from the policy: 2024-03-14 + 10 + 3 = Wednesday
	 * 2024-03-27 */
	f->pol.response_days = 10;
	ev = run(f);
	assert_int_equal(ev->response_due, dt("2024-03-27"));
	/* mailDays too: + 10 + 0 = Sunday 2024-03-24 -> Monday */
	f->pol.mail_days = 0;
	ev = run(f);
	assert_int_equal(ev->response_due, dt("2024-03-25"));
	f->pol.mail_days = 3;

	/* counted from the service date: 2024-03-28 + 33 = Tuesday
	 * 2024-04-30 */
	f->pol.response_days = 30;
	f->c->service.present = true;
	f->c->service.on = dt("2024-03-28");
	ev = run(f);
	NONE(ev);
	assert_int_equal(ev->service_date, dt("2024-03-28"));
	assert_int_equal(ev->response_due, dt("2024-04-30"));

	/* through counsel: by mail, so the mail days count */
	f->c->service.method = SERVICE_COUNSEL;
	ev = run(f);
	assert_int_equal(ev->response_due, dt("2024-04-30"));
}

/* Personal service: no mail days; without a date, no deadline at all. */
static void
test_personal_service_dates(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;

	f->c->service.present = true;
	f->c->service.method = SERVICE_PERSONAL;
	f->c->service.on = dt("2024-03-14");
	ev = run(f);
	NONE(ev);
	/* 2024-03-14 + 30 = Saturday 2024-04-13 -> Monday 2024-04-15 */
	assert_int_equal(ev->response_due, dt("2024-04-15"));

	f->c->service.on = DATE_NONE;
	ev = run(f);
	/* no immigration court: the submission it withholds is not named */
	EXPECT(ev, DIAG_SERVICE_DATE_MISSING, WARN, STEP_SUBJECT_NOTICE,
	    W_NOTHING);
	ONLY(ev, DIAG_SERVICE_DATE_MISSING);
	assert_int_equal(ev->service_date, DATE_NONE);
	assert_int_equal(ev->response_due, DATE_NONE);
	/* it withholds only the court submission: the notice is made and
	 * its step stays met */
	assert_int_equal(ev->generated, G_ALL);
	assert_int_equal(ev->status, CASE_COMPLETE);
	assert_int_equal(ev->steps[STEP_SUBJECT_NOTICE], STEP_MET);

	/* near miss: by mail, the as-of date serves */
	f->c->service.method = SERVICE_MAIL;
	ev = run(f);
	NONE(ev);
	assert_int_equal(ev->service_date, dt(AS_OF));
}

/* ------------------------------------------------------------------ */
/* training */

static void
test_training_missing(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;

	f->c->officer.ntrainings = 0;
	ev = run(f);
	EXPECT(ev, DIAG_TRAINING_MISSING, ERR, STEP_TRAINING, W_ALL);
	ONLY(ev, DIAG_TRAINING_MISSING);	/* no out-of-order about it */
	DOCS(ev, G_SUMMARY);
	assert_int_equal(ev->steps[STEP_TRAINING], STEP_NOT_MET);
	assert_int_equal(ev->steps[STEP_SUBJECT_NOTICE], STEP_NOT_MET);

	/* a completion after the as-of date is no evidence yet */
	TRAININGS(f->c, as_of_plus(1));
	ev = run(f);
	ONLY(ev, DIAG_TRAINING_MISSING);

	/* near miss: the earlier completion counts */
	TRAININGS(f->c, as_of_plus(1), dt("2024-01-05"));
	ev = run(f);
	NONE(ev);
	DOCS(ev, G_ALL);
}

static void
test_training_lapsed(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;
	const struct finding *fi;

	/* 2023-03-15 is exactly 365 days before 2024-03-14 (leap year) */
	assert_int_equal(as_of_plus(-365), dt("2023-03-15"));
	TRAININGS(f->c, dt("2023-03-15"));
	ev = run(f);
	NONE(ev);

	TRAININGS(f->c, dt("2023-03-14"));	/* 366 days */
	ev = run(f);
	fi = EXPECT(ev, DIAG_TRAINING_LAPSED, ERR, STEP_TRAINING, W_ALL);
	assert_int_equal(fi->line, L_TRAINING);
	ONLY(ev, DIAG_TRAINING_LAPSED);
	DOCS(ev, G_SUMMARY);
	assert_int_equal(ev->steps[STEP_TRAINING], STEP_NOT_MET);

	/* the latest completion counts, wherever it is in the file */
	TRAININGS(f->c, dt("2022-01-10"), dt("2024-01-05"));
	NONE(run(f));
	TRAININGS(f->c, dt("2024-01-05"), dt("2022-01-10"));
	NONE(run(f));

	/* trainingValidDays comes from the policy */
	TRAININGS(f->c, dt("2024-01-05"));	/* 69 days */
	f->pol.training_valid_days = 69;
	NONE(run(f));
	f->pol.training_valid_days = 68;
	ev = run(f);
	ONLY(ev, DIAG_TRAINING_LAPSED);
}

/* ------------------------------------------------------------------ */
/* validity */

static void
test_notice_not_verified(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;

	f->c->notice.nverifications = 0;
	ev = run(f);
	EXPECT(ev, DIAG_NOTICE_NOT_VERIFIED, ERR, STEP_VALIDITY, W_ALL);
	ONLY(ev, DIAG_NOTICE_NOT_VERIFIED);
	DOCS(ev, G_SUMMARY);
	assert_int_equal(ev->steps[STEP_VALIDITY], STEP_NOT_MET);

	/* a verification after the as-of date is not evidence yet */
	VERIFICATIONS(f->c, { "2024-03-15", VERIFY_VALID });
	ev = run(f);
	ONLY(ev, DIAG_NOTICE_NOT_VERIFIED);

	/* near miss: one on or before the as-of date */
	VERIFICATIONS(f->c, { "2024-02-20", VERIFY_VALID },
	    { "2024-03-15", VERIFY_WITHDRAWN });
	NONE(run(f));
}

static void
test_verification_stale(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;
	const struct finding *fi;

	VERIFICATIONS(f->c, { "2024-02-13", VERIFY_VALID });	/* 30 days */
	assert_int_equal(dt("2024-02-13"), as_of_plus(-30));
	NONE(run(f));

	VERIFICATIONS(f->c, { "2024-02-12", VERIFY_VALID });	/* 31 days */
	ev = run(f);
	fi = EXPECT(ev, DIAG_VERIFICATION_STALE, ERR, STEP_VALIDITY, W_ALL);
	assert_int_equal(fi->line, L_VERIFICATION);
	ONLY(ev, DIAG_VERIFICATION_STALE);
	DOCS(ev, G_SUMMARY);

	/* the latest verification counts */
	VERIFICATIONS(f->c, { "2024-02-20", VERIFY_VALID },
	    { "2024-01-02", VERIFY_VALID });
	NONE(run(f));

	/* verificationMaxAgeDays comes from the policy (23 days old) */
	f->pol.verification_max_age_days = 22;
	ev = run(f);
	ONLY(ev, DIAG_VERIFICATION_STALE);
}

static void
test_notice_status_codes(void **state)
{
	static const struct {
		enum verification_status	 status;
		enum diag_code			 code;
	} cases[] = {
		{ VERIFY_SUSPENDED, DIAG_NOTICE_SUSPENDED },
		{ VERIFY_WITHDRAWN, DIAG_NOTICE_WITHDRAWN },
		{ VERIFY_CANCELLED, DIAG_NOTICE_CANCELLED },
		{ VERIFY_DELETED, DIAG_NOTICE_DELETED },
		{ VERIFY_BLOCKED, DIAG_NOTICE_BLOCKED },
		{ VERIFY_EXPIRED, DIAG_NOTICE_EXPIRED },
	};
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct evaluation *ev;
		const struct finding *fi;

		/* the latest verification says so */
		VERIFICATIONS(f->c, { "2024-02-10", VERIFY_VALID },
		    { "2024-02-20", cases[i].status });
		ev = run(f);
		fi = EXPECT(ev, cases[i].code, ERR, STEP_VALIDITY, W_ALL);
		assert_int_equal(fi->line, L_VERIFICATION + 1);
		ONLY(ev, cases[i].code);
		DOCS(ev, G_SUMMARY);
		assert_int_equal(ev->steps[STEP_VALIDITY], STEP_NOT_MET);

		/* near miss: a later verification found it valid */
		VERIFICATIONS(f->c, { "2024-02-10", cases[i].status },
		    { "2024-02-20", VERIFY_VALID });
		NONE(run(f));

		/* near miss: a later one after the as-of date is not counted */
		VERIFICATIONS(f->c, { "2024-02-20", VERIFY_VALID },
		    { "2024-03-15", cases[i].status });
		NONE(run(f));
	}
}

/* On the same day, the later element in the file wins. */
static void
test_same_day_verifications(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;

	VERIFICATIONS(f->c, { "2024-02-20", VERIFY_VALID },
	    { "2024-02-20", VERIFY_SUSPENDED });
	ev = run(f);
	ONLY(ev, DIAG_NOTICE_SUSPENDED);
	assert_int_equal(find(ev, DIAG_NOTICE_SUSPENDED)->line,
	    L_VERIFICATION + 1);

	VERIFICATIONS(f->c, { "2024-02-20", VERIFY_SUSPENDED },
	    { "2024-02-20", VERIFY_VALID });
	NONE(run(f));

	VERIFICATIONS(f->c, { "2024-02-20", VERIFY_CANCELLED },
	    { "2024-02-20", VERIFY_VALID },
	    { "2024-02-20", VERIFY_BLOCKED });
	ONLY(run(f), DIAG_NOTICE_BLOCKED);
}

static void
test_notice_expired(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;
	const struct finding *fi;

	/* expiresOn on the as-of date is expired */
	f->c->notice.expires_on = dt(AS_OF);
	ev = run(f);
	fi = EXPECT(ev, DIAG_NOTICE_EXPIRED, ERR, STEP_VALIDITY, W_ALL);
	assert_int_equal(fi->line, L_EXPIRES);
	ONLY(ev, DIAG_NOTICE_EXPIRED);
	DOCS(ev, G_SUMMARY);

	f->c->notice.expires_on = dt("2024-01-01");
	ONLY(run(f), DIAG_NOTICE_EXPIRED);

	/* near miss: the day after is not */
	f->c->notice.expires_on = as_of_plus(1);
	NONE(run(f));

	/* no expiresOn: never expired by date */
	f->c->notice.expires_on = DATE_NONE;
	NONE(run(f));

	/* or the latest verification says expired */
	VERIFICATIONS(f->c, { "2024-02-10", VERIFY_VALID },
	    { "2024-02-20", VERIFY_EXPIRED });
	ev = run(f);
	EXPECT(ev, DIAG_NOTICE_EXPIRED, ERR, STEP_VALIDITY, W_ALL);
	ONLY(ev, DIAG_NOTICE_EXPIRED);
	DOCS(ev, G_SUMMARY);

	/* both at once: the notice expired, once */
	f->c->notice.expires_on = dt("2024-02-01");
	ONLY(run(f), DIAG_NOTICE_EXPIRED);
}

/* ------------------------------------------------------------------ */
/* review */

static void
test_review_missing(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;

	f->c->review.present = false;
	ev = run(f);
	EXPECT(ev, DIAG_REVIEW_MISSING, ERR, STEP_REVIEW, W_ALL);
	/* the approval is not compared with a review that is not there */
	ONLY(ev, DIAG_REVIEW_MISSING);
	DOCS(ev, G_SUMMARY);
	assert_int_equal(ev->steps[STEP_REVIEW], STEP_NOT_MET);

	/* what the data shows is still reported */
	f->c->notice.warrant.present = false;
	ev = run(f);
	ONLY(ev, DIAG_REVIEW_MISSING, DIAG_ABUSE_INDICATOR,
	    DIAG_DISPOSITION_MISSING);
	assert_non_null(find_ind(ev, DIAG_ABUSE_INDICATOR,
	    IND_INSUFFICIENT_JUDICIAL_DATA));
}

static void
test_review_incomplete(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;
	const struct finding *fi;

	f->c->review.answers[IND_HUMAN_RIGHTS].answered = false;
	ev = run(f);
	fi = EXPECT(ev, DIAG_REVIEW_INCOMPLETE, ERR, STEP_REVIEW, W_ALL);
	assert_true(message_has(fi, "human-rights"));
	ONLY(ev, DIAG_REVIEW_INCOMPLETE);
	DOCS(ev, G_SUMMARY);

	/* near miss: every code answered, whatever the answer */
	f->c->review.answers[IND_HUMAN_RIGHTS].answered = true;
	f->c->review.answers[IND_HUMAN_RIGHTS].found = true;
	f->c->approval.dispositions[IND_HUMAN_RIGHTS] = "Reviewed: the "
	    "charges concern ordinary fraud.";
	ev = run(f);
	ONLY(ev, DIAG_ABUSE_INDICATOR);
}

static void
test_indicator_contradicted(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;
	const struct finding *fi;

	/* no arrest warrant, but the review says insufficient-judicial-data
	 * was not found */
	f->c->notice.warrant.present = false;
	ev = run(f);
	fi = EXPECT(ev, DIAG_INDICATOR_CONTRADICTED, ERR, STEP_REVIEW, W_ALL);
	assert_int_equal(fi->indicator, IND_INSUFFICIENT_JUDICIAL_DATA);
	assert_int_equal(fi->line, L_ANSWER + IND_INSUFFICIENT_JUDICIAL_DATA);
	assert_true(ev->derived[IND_INSUFFICIENT_JUDICIAL_DATA]);
	ONLY(ev, DIAG_INDICATOR_CONTRADICTED, DIAG_ABUSE_INDICATOR,
	    DIAG_DISPOSITION_MISSING);
	DOCS(ev, G_SUMMARY);
	assert_int_equal(ev->steps[STEP_REVIEW], STEP_NOT_MET);

	/* near miss: the review agrees and the supervisor disposed of it */
	f->c->review.answers[IND_INSUFFICIENT_JUDICIAL_DATA].found = true;
	f->c->approval.dispositions[IND_INSUFFICIENT_JUDICIAL_DATA] =
	    "The court order was requested through INTERPOL Washington.";
	ev = run(f);
	ONLY(ev, DIAG_ABUSE_INDICATOR);
	DOCS(ev, G_ALL);
}

static void
test_refugee_status_derived(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;
	const struct finding *fi;

	f->c->subject.has_protection = true;
	f->c->subject.protection = PROTECTION_ASYLUM_APPLICANT;
	f->c->subject.protection_against = "VE";
	f->c->subject.protection_line = 8;
	ev = run(f);
	assert_true(ev->derived[IND_REFUGEE_STATUS]);
	fi = find_ind(ev, DIAG_INDICATOR_CONTRADICTED, IND_REFUGEE_STATUS);
	assert_non_null(fi);
	assert_non_null(find_ind(ev, DIAG_ABUSE_INDICATOR,
	    IND_REFUGEE_STATUS));
	ONLY(ev, DIAG_INDICATOR_CONTRADICTED, DIAG_ABUSE_INDICATOR,
	    DIAG_DISPOSITION_MISSING, DIAG_PROTECTED_PERSON);

	/* near miss: protection against another country (rev 2: the
	 * status alone is protected-person, which withholds nothing) */
	f->c->subject.protection_against = "CU";
	ev = run(f);
	assert_false(ev->derived[IND_REFUGEE_STATUS]);
	ONLY(ev, DIAG_PROTECTED_PERSON);
}

/* Only when no offense meets the threshold (docs/rules.md). */
static void
test_penalty_threshold_prosecution(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;
	const struct finding *fi;

	OFFENSES(f->c, PURPOSE_PROSECUTION, 24);
	ev = run(f);
	assert_false(ev->derived[IND_PENALTY_THRESHOLD]);
	NONE(ev);

	OFFENSES(f->c, PURPOSE_PROSECUTION, 23);
	ev = run(f);
	assert_true(ev->derived[IND_PENALTY_THRESHOLD]);
	fi = find_ind(ev, DIAG_INDICATOR_CONTRADICTED, IND_PENALTY_THRESHOLD);
	assert_non_null(fi);
	fi = find_ind(ev, DIAG_ABUSE_INDICATOR, IND_PENALTY_THRESHOLD);
	assert_non_null(fi);
	assert_int_equal(fi->blocks, W_NOTHING);
	fi = find_ind(ev, DIAG_DISPOSITION_MISSING, IND_PENALTY_THRESHOLD);
	assert_non_null(fi);
	ONLY(ev, DIAG_INDICATOR_CONTRADICTED, DIAG_ABUSE_INDICATOR,
	    DIAG_DISPOSITION_MISSING);

	/* one of several offenses meeting it is enough */
	OFFENSES(f->c, PURPOSE_PROSECUTION, 12, 24, 6);
	ev = run(f);
	assert_false(ev->derived[IND_PENALTY_THRESHOLD]);
	NONE(ev);

	OFFENSES(f->c, PURPOSE_PROSECUTION, 12, 23, 6);
	ev = run(f);
	assert_true(ev->derived[IND_PENALTY_THRESHOLD]);
	/* one finding per indicator, not per offense */
	assert_int_equal(count(ev, DIAG_ABUSE_INDICATOR), 1);
}

static void
test_penalty_threshold_sentence(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;

	OFFENSES(f->c, PURPOSE_SENTENCE, 6);
	ev = run(f);
	assert_false(ev->derived[IND_PENALTY_THRESHOLD]);
	NONE(ev);

	OFFENSES(f->c, PURPOSE_SENTENCE, 5);
	ev = run(f);
	assert_true(ev->derived[IND_PENALTY_THRESHOLD]);
	assert_non_null(find_ind(ev, DIAG_INDICATOR_CONTRADICTED,
	    IND_PENALTY_THRESHOLD));
	ONLY(ev, DIAG_INDICATOR_CONTRADICTED, DIAG_ABUSE_INDICATOR,
	    DIAG_DISPOSITION_MISSING);

	OFFENSES(f->c, PURPOSE_SENTENCE, 2, 6);
	NONE(run(f));
}

static void
test_abuse_indicator(void **state)
{
	struct fx *f = *state;
	struct review *r = &f->c->review;
	const struct evaluation *ev;
	const struct finding *fi;

	/* found by the review and disposed of: a point to look at */
	r->answers[IND_POLITICAL_CHARACTER].found = true;
	f->c->approval.dispositions[IND_POLITICAL_CHARACTER] =
	    "Fraud charges; no political element found on review.";
	ev = run(f);
	fi = EXPECT(ev, DIAG_ABUSE_INDICATOR, WARN, STEP_REVIEW, W_NOTHING);
	assert_int_equal(fi->indicator, IND_POLITICAL_CHARACTER);
	assert_int_equal(fi->line, L_ANSWER + IND_POLITICAL_CHARACTER);
	ONLY(ev, DIAG_ABUSE_INDICATOR);
	DOCS(ev, G_ALL);
	assert_int_equal(ev->steps[STEP_REVIEW], STEP_MET);
	assert_int_equal(ev->response_due, dt("2024-04-16"));

	/* one per indicator */
	r->answers[IND_TRANSNATIONAL_REPRESSION].found = true;
	f->c->approval.dispositions[IND_TRANSNATIONAL_REPRESSION] =
	    "Subject is not a dissident or journalist.";
	ev = run(f);
	ONLY(ev, DIAG_ABUSE_INDICATOR, DIAG_ABUSE_INDICATOR);
	assert_non_null(find_ind(ev, DIAG_ABUSE_INDICATOR,
	    IND_TRANSNATIONAL_REPRESSION));

	/* found and derived at once: still one finding */
	renew(f);
	f->c->notice.warrant.present = false;
	f->c->review.answers[IND_INSUFFICIENT_JUDICIAL_DATA].found = true;
	f->c->approval.dispositions[IND_INSUFFICIENT_JUDICIAL_DATA] =
	    "Court order requested.";
	ev = run(f);
	ONLY(ev, DIAG_ABUSE_INDICATOR);

	/* near miss: nothing found, nothing derived */
	renew(f);
	NONE(run(f));
}

/* ------------------------------------------------------------------ */
/* basis */

static void
test_exclusive_reliance(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;

	f->c->nfacts = 0;
	ev = run(f);
	EXPECT(ev, DIAG_EXCLUSIVE_RELIANCE, ERR, STEP_BASIS, W_ALL);
	ONLY(ev, DIAG_EXCLUSIVE_RELIANCE);
	DOCS(ev, G_SUMMARY);
	assert_int_equal(ev->steps[STEP_BASIS], STEP_NOT_MET);

	/* near miss: one fact is enough */
	set_fact(f->c, "Visa overstay.");
	NONE(run(f));
}

/* ------------------------------------------------------------------ */
/* representation */

static void
test_prohibited_representation(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;
	const struct finding *fi;
	char want[200];

	f->c->review.notes = "Subject is wanted on an INTERPOL warrant for "
	    "aggravated fraud.";
	ev = run(f);
	fi = EXPECT(ev, DIAG_PROHIBITED_REPRESENTATION, ERR,
	    STEP_REPRESENTATION, W_ALL);
	assert_int_equal(fi->line, L_NOTES);
	assert_string_equal(fi->field, "preliminaryReview/notes");
	assert_string_equal(fi->quote, "INTERPOL warrant");
	/* The message names field and line and quotes the phrase ... */
	snprintf(want, sizeof(want), "preliminaryReview/notes (line %d) ",
	    L_NOTES);
	assert_true(strncmp(fi->message, want, strlen(want)) == 0);
	assert_true(message_has(fi, ": \"INTERPOL warrant\"."));
	/* ... and the documents' sentence never does. */
	assert_non_null(fi->doc_message);
	assert_true(strncmp(fi->doc_message, want, strlen(want) - 1) == 0);
	assert_null(strstr(fi->doc_message, "INTERPOL warrant"));
	ONLY(ev, DIAG_PROHIBITED_REPRESENTATION);
	DOCS(ev, G_SUMMARY);

	/* every scanned text, one finding each; the leftmost match */
	set_fact(f->c, "Arrested in 2023 on an international arrest warrant; "
	    "wanted by INTERPOL.");
	f->c->approval.conditions = "Act on the Red Notice warrant only.";
	ev = run(f);
	ONLY(ev, DIAG_PROHIBITED_REPRESENTATION,
	    DIAG_PROHIBITED_REPRESENTATION, DIAG_PROHIBITED_REPRESENTATION);
	assert_string_equal(ev->findings.v[1].field, "independentBasis/fact");
	assert_string_equal(ev->findings.v[1].quote,
	    "Arrested in 2023 on an international arrest warrant");
	assert_string_equal(ev->findings.v[2].field,
	    "supervisoryApproval/conditions");
	assert_string_equal(ev->findings.v[2].quote, "Red Notice warrant");

	/* near miss: correct statements, the national warrant by name */
	renew(f);
	f->c->review.notes = "A Red Notice is not an arrest warrant. The "
	    "arrest warrant was issued by the Juzgado Quinto de Control, "
	    "Caracas (national arrest warrant JC5-2023-118); documents "
	    "received from INTERPOL Washington.";
	f->c->approval.conditions = "Red Notice published by INTERPOL at the "
	    "request of Venezuela; this is not an international arrest "
	    "warrant.";
	NONE(run(f));

	/* no patterns given: the rule is not applied */
	f->c->review.notes = "INTERPOL warrant";
	f->ctx.representation = NULL;
	NONE(run(f));
}

/*
 * Exactly the statements of the case are scanned, each under its path;
 * names, titles, laws and warrant data are quoted from foreign records
 * and never scanned: an official title such as "Orden de captura
 * internacional No. 44" cannot be corrected.
 */
static void
test_representation_fields(void **state)
{
	static const char bad[] = "Orden de captura internacional No. 44";
	static const char *const fields[] = {
		"offense/description", "preliminaryReview/notes",
		"independentBasis/fact/@source", "independentBasis/fact",
		"intendedUse/@proceeding", "supervisoryApproval/conditions",
		"supervisoryApproval/disposition",
		"subjectResponse/consideration",
	};
	static const unsigned lines[] = { L_OFFENSE + 1, L_NOTES, L_FACT,
		L_FACT, L_USE, L_APPROVAL + 2, L_APPROVAL + 3, 90 };
	struct fx *f = *state;
	struct case_doc *c;
	const struct evaluation *ev;

	for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++) {
		const struct finding *fi;

		c = renew(f);
		switch (i) {
		case 0:
			((struct offense *)c->notice.offenses)->description =
			    bad;
			((struct offense *)c->notice.offenses)->
			    description_line = L_OFFENSE + 1;
			break;
		case 1:
			c->review.notes = bad;
			break;
		case 2:
			((struct fact *)c->facts)->source = bad;
			break;
		case 3:
			((struct fact *)c->facts)->text = bad;
			break;
		case 4:
			c->use.proceeding = bad;
			break;
		case 5:
			c->approval.conditions = bad;
			c->approval.conditions_line = L_APPROVAL + 2;
			break;
		case 6:
			c->approval.dispositions[IND_HUMAN_RIGHTS] = bad;
			c->approval.disposition_lines[IND_HUMAN_RIGHTS] =
			    L_APPROVAL + 3;
			break;
		default:
			c->response.present = true;
			c->response.received_on = c->service.on;
			c->response.considered = true;
			c->response.considered_on = c->service.on;
			c->response.considered_by = "Maria Chen";
			c->response.consideration = bad;
			c->response.consideration_line = 90;
		}
		ev = run(f);
		fi = find(ev, DIAG_PROHIBITED_REPRESENTATION);
		if (fi == NULL)
			fail_msg("%s not scanned", fields[i]);
		assert_string_equal(fi->field, fields[i]);
		assert_string_equal(fi->quote, "Orden de captura internacional");
		assert_int_equal(count(ev, DIAG_PROHIBITED_REPRESENTATION), 1);
		assert_int_equal(fi->line, lines[i]);
	}

	/* never scanned */
	c = renew(f);
	((struct offense *)c->notice.offenses)->law = bad;
	((struct enclosure *)c->iw.enclosures)->title = bad;
	c->notice.warrant.issued_by = bad;
	c->notice.warrant.reference = bad;
	c->subject.family_name = "Interpol Warrant";
	c->subject.given_name = bad;
	set_alias(c, "RN = warrant");
	c->officer.title = "International Warrant Officer";
	c->officer.office = bad;
	c->approval.supervisor_title = "Officer in charge of INTERPOL warrants";
	((struct verification *)c->notice.verifications)->method = bad;
	((struct training *)c->officer.trainings)->course =
	    "Serving an international arrest warrant";
	c->iw.request_reference = bad;
	NONE(run(f));
}

/*
 * The script rules still walk every text field (names, titles, courses,
 * methods), unlike the representation rule.
 */
/* A fake of the font fallback: every character but the Private Use Area
 * and U+1D49C MATHEMATICAL SCRIPT CAPITAL A has a face. */
static bool
fake_has_glyph(const void *ctx, uint32_t cp)
{
	(void)ctx;
	return !(cp >= 0xE000 && cp <= 0xF8FF) && cp != 0x1D49C;
}

static void
test_script_in_every_free_text_field(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;

	renew(f);
	f->ctx.has_glyph = fake_has_glyph;
	/* Arabic, then U+E000: only what no face draws is a finding. */
	((struct verification *)f->c->notice.verifications)->method =
	    "\xd8\xa7\xd8\xb3\xd8\xaa\xd8\xb9\xd9\x84\xd8\xa7\xd9\x85";
	NONE(run(f));
	((struct verification *)f->c->notice.verifications)->method =
	    "\xd8\xa7\xd8\xb3\xd8\xaa \xee\x80\x80";
	ev = run(f);
	assert_non_null(find(ev, DIAG_MISSING_GLYPH));
	assert_null(find(ev, DIAG_UNSUPPORTED_SCRIPT));
	f->ctx.has_glyph = NULL;
}

/* ------------------------------------------------------------------ */
/* approval */

static void
test_approval_missing(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;

	f->c->approval.present = false;
	/* an indicator found: no disposition-missing without an approval */
	f->c->review.answers[IND_HUMAN_RIGHTS].found = true;
	ev = run(f);
	EXPECT(ev, DIAG_APPROVAL_MISSING, WARN, STEP_APPROVAL,
	    W_AFTER_APPROVAL);
	ONLY(ev, DIAG_APPROVAL_MISSING, DIAG_ABUSE_INDICATOR);
	DOCS(ev, G_TO_APPROVAL);
	assert_int_equal(ev->steps[STEP_APPROVAL], STEP_NOT_MET);
	assert_int_equal(ev->steps[STEP_REVIEW], STEP_MET);

	/* near miss: recorded and approved with a disposition */
	f->c->approval.present = true;
	f->c->approval.dispositions[IND_HUMAN_RIGHTS] = "Reviewed.";
	ONLY(run(f), DIAG_ABUSE_INDICATOR);
}

/*
 * A pending or denied approval raises only its own finding: no
 * disposition-missing, and no out-of-order on its date or on the
 * documentation request that depends on it.
 */
static void
check_undecided(struct fx *f, enum decision d, enum diag_code code,
    enum diag_severity sev)
{
	const struct evaluation *ev;
	const char *dates[] = { "2024-02-22", "2024-02-20", "2024-02-25",
	    "2024-03-20" };

	for (size_t i = 0; i < sizeof(dates) / sizeof(*dates); i++) {
		renew(f);
		f->c->approval.decision = d;
		f->c->approval.on = dt(dates[i]);
		f->c->review.answers[IND_POLITICAL_CHARACTER].found = true;
		ev = run(f);
		EXPECT(ev, code, sev, STEP_APPROVAL, W_AFTER_APPROVAL);
		ONLY(ev, code, DIAG_ABUSE_INDICATOR);
		DOCS(ev, G_TO_APPROVAL);
		assert_int_equal(ev->steps[STEP_APPROVAL], STEP_NOT_MET);
	}
}

static void
test_approval_pending(void **state)
{
	check_undecided(*state, DECISION_PENDING, DIAG_APPROVAL_PENDING, WARN);
}

static void
test_approval_denied(void **state)
{
	check_undecided(*state, DECISION_DENIED, DIAG_APPROVAL_DENIED, ERR);
}

static void
test_approver_is_officer(void **state)
{
	static const struct {
		const char	*officer;
		const char	*supervisor;
		bool		 same;
	} cases[] = {
		{ "Daniel Ortiz", "Daniel Ortiz", true },
		{ "Daniel Ortiz", "DANIEL ORTIZ", true },
		{ "Daniel Ortiz", "  Daniel   Ortiz ", true },
		{ "Daniel Ortiz", "Daniel\tOrtiz", true },
		{ "Daniel Ortiz", "Daniel\xc2\xa0Ortiz", true },	/* NBSP */
		/* composed U+00E9 vs e + U+0301 */
		{ "Jos\xc3\xa9 Ortiz", "Jose\xcc\x81 ORTIZ", true },
		{ "Jose\xcc\x81 Ortiz", "jos\xc3\xa9 ortiz", true },
		/* full case folding: sharp s */
		{ "Hans Strau\xc3\x9f", "HANS STRAUSS", true },
		{ "Daniel Ortiz", "Daniela Ortiz", false },
		{ "Daniel Ortiz", "Maria Chen", false },
		{ "Jos\xc3\xa9 Ortiz", "Jose Ortiz", false },
		{ "Daniel Ortiz", "DanielOrtiz", false },
	};
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct evaluation *ev;

		f->c->officer.name = cases[i].officer;
		f->c->approval.supervisor_name = cases[i].supervisor;
		ev = run(f);
		if (!cases[i].same) {
			NONE(ev);
			continue;
		}
		EXPECT(ev, DIAG_APPROVER_IS_OFFICER, ERR, STEP_APPROVAL,
		    W_AFTER_APPROVAL);
		ONLY(ev, DIAG_APPROVER_IS_OFFICER);
		DOCS(ev, G_TO_APPROVAL);
		assert_int_equal(ev->steps[STEP_APPROVAL], STEP_NOT_MET);
	}

	/* whenever an approval is recorded, whatever the decision */
	f->c->officer.name = "Daniel Ortiz";
	f->c->approval.supervisor_name = "daniel ortiz";
	f->c->approval.decision = DECISION_PENDING;
	ONLY(run(f), DIAG_APPROVER_IS_OFFICER, DIAG_APPROVAL_PENDING);
	f->c->approval.decision = DECISION_DENIED;
	ONLY(run(f), DIAG_APPROVER_IS_OFFICER, DIAG_APPROVAL_DENIED);
}

static void
test_disposition_missing(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;
	const struct finding *fi;

	f->c->review.answers[IND_NOT_ORDINARY_LAW_CRIME].found = true;
	ev = run(f);
	fi = EXPECT(ev, DIAG_DISPOSITION_MISSING, ERR, STEP_APPROVAL,
	    W_AFTER_APPROVAL);
	assert_int_equal(fi->indicator, IND_NOT_ORDINARY_LAW_CRIME);
	ONLY(ev, DIAG_DISPOSITION_MISSING, DIAG_ABUSE_INDICATOR);
	DOCS(ev, G_TO_APPROVAL);
	assert_int_equal(ev->steps[STEP_APPROVAL], STEP_NOT_MET);

	/* a disposition for another indicator does not help */
	f->c->approval.dispositions[IND_HUMAN_RIGHTS] = "Not applicable.";
	ev = run(f);
	ONLY(ev, DIAG_DISPOSITION_MISSING, DIAG_ABUSE_INDICATOR);

	/* near miss: disposed of */
	f->c->approval.dispositions[IND_NOT_ORDINARY_LAW_CRIME] =
	    "Aggravated fraud is an ordinary-law crime.";
	ev = run(f);
	ONLY(ev, DIAG_ABUSE_INDICATOR);
	DOCS(ev, G_ALL);

	/* two found, one disposed of: the other one is missing */
	f->c->review.answers[IND_FABRICATED_EVIDENCE].found = true;
	ev = run(f);
	ONLY(ev, DIAG_DISPOSITION_MISSING, DIAG_ABUSE_INDICATOR,
	    DIAG_ABUSE_INDICATOR);
	assert_non_null(find_ind(ev, DIAG_DISPOSITION_MISSING,
	    IND_FABRICATED_EVIDENCE));
}

/* ------------------------------------------------------------------ */
/* out-of-order */

static void
test_out_of_order_approval_before_review(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;
	const struct finding *fi;

	f->c->approval.on = dt("2024-02-20");	/* review 2024-02-21 */
	ev = run(f);
	fi = EXPECT(ev, DIAG_OUT_OF_ORDER, ERR, STEP_APPROVAL, W_ALL);
	assert_int_equal(fi->line, L_APPROVAL);
	ONLY(ev, DIAG_OUT_OF_ORDER);
	DOCS(ev, G_SUMMARY);	/* the approval request too */
	assert_int_equal(ev->steps[STEP_APPROVAL], STEP_NOT_MET);

	/* near miss: equal dates are in order */
	f->c->approval.on = dt("2024-02-21");
	NONE(run(f));
}

static void
test_out_of_order_approval_before_training(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;

	TRAININGS(f->c, dt("2024-02-23"));	/* approval 2024-02-22 */
	ev = run(f);
	EXPECT(ev, DIAG_OUT_OF_ORDER, ERR, STEP_APPROVAL, W_ALL);
	ONLY(ev, DIAG_OUT_OF_ORDER);
	DOCS(ev, G_SUMMARY);

	TRAININGS(f->c, dt("2024-02-22"));
	NONE(run(f));

	/* on or after a training completion: an earlier one will do */
	TRAININGS(f->c, dt("2023-06-01"), dt("2024-02-23"));
	NONE(run(f));
}

static void
test_out_of_order_approval_before_verification(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;

	VERIFICATIONS(f->c, { "2024-03-01", VERIFY_VALID });
	ev = run(f);
	EXPECT(ev, DIAG_OUT_OF_ORDER, ERR, STEP_APPROVAL, W_ALL);
	ONLY(ev, DIAG_OUT_OF_ORDER);
	DOCS(ev, G_SUMMARY);

	/* only a verification that found it valid counts */
	VERIFICATIONS(f->c, { "2024-02-15", VERIFY_SUSPENDED },
	    { "2024-03-01", VERIFY_VALID });
	ONLY(run(f), DIAG_OUT_OF_ORDER);

	/* near misses: equal dates; a later re-verification is fine */
	VERIFICATIONS(f->c, { "2024-02-22", VERIFY_VALID });
	NONE(run(f));
	VERIFICATIONS(f->c, { "2024-02-20", VERIFY_VALID },
	    { "2024-03-01", VERIFY_VALID });
	NONE(run(f));
}

/* A date after the as-of date is out of order (service: see below). */
static void
test_out_of_order_after_as_of(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;

	/* no service date: the service is on the as-of date, not compared */
	f->c->service.on = DATE_NONE;
	f->c->iw.received_on = as_of_plus(1);
	ev = run(f);
	EXPECT(ev, DIAG_OUT_OF_ORDER, ERR, STEP_DOCUMENTATION, W_NOTICE);
	ONLY(ev, DIAG_OUT_OF_ORDER);
	DOCS(ev, G_TO_USNCB);
	assert_int_equal(ev->steps[STEP_DOCUMENTATION], STEP_NOT_MET);
	f->c->iw.received_on = dt(AS_OF);
	NONE(run(f));

	f->c->iw.use_decided_on = as_of_plus(1);
	ev = run(f);
	EXPECT(ev, DIAG_OUT_OF_ORDER, ERR, STEP_USE_AUTHORIZATION, W_NOTICE);
	ONLY(ev, DIAG_OUT_OF_ORDER);
	DOCS(ev, G_TO_USNCB);
	f->c->iw.use_decided_on = dt(AS_OF);
	NONE(run(f));

	/* the review after the as-of date (the approval then predates it) */
	renew(f);
	f->c->review.completed_on = as_of_plus(1);
	ev = run(f);
	EXPECT(ev, DIAG_OUT_OF_ORDER, ERR, STEP_REVIEW, W_ALL);
	DOCS(ev, G_SUMMARY);

	/* the approval after the as-of date */
	renew(f);
	f->c->approval.on = as_of_plus(1);
	ev = run(f);
	EXPECT(ev, DIAG_OUT_OF_ORDER, ERR, STEP_APPROVAL, W_ALL);
	DOCS(ev, G_SUMMARY);
}

static void
test_out_of_order_documentation(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;
	const struct finding *fi;

	/* the request before the approval (2024-02-22) */
	f->c->iw.request_sent_on = dt("2024-02-21");
	ev = run(f);
	fi = EXPECT(ev, DIAG_OUT_OF_ORDER, ERR, STEP_DOCUMENTATION, W_NOTICE);
	assert_int_equal(fi->line, L_REQUEST);
	ONLY(ev, DIAG_OUT_OF_ORDER);
	DOCS(ev, G_TO_USNCB);
	f->c->iw.request_sent_on = dt("2024-02-22");
	NONE(run(f));

	/* received before it was requested (2024-02-23) */
	renew(f);
	f->c->iw.received_on = dt("2024-02-22");
	ev = run(f);
	fi = EXPECT(ev, DIAG_OUT_OF_ORDER, ERR, STEP_DOCUMENTATION, W_NOTICE);
	assert_int_equal(fi->line, L_RECEIVED);
	ONLY(ev, DIAG_OUT_OF_ORDER);
	DOCS(ev, G_TO_USNCB);
	f->c->iw.received_on = dt("2024-02-23");
	NONE(run(f));
}

static void
test_out_of_order_use_authorization(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;

	/* requested before the documentation request (2024-02-23) */
	f->c->iw.use_requested_on = dt("2024-02-22");
	ev = run(f);
	EXPECT(ev, DIAG_OUT_OF_ORDER, ERR, STEP_USE_AUTHORIZATION, W_NOTICE);
	ONLY(ev, DIAG_OUT_OF_ORDER);
	DOCS(ev, G_TO_USNCB);
	assert_int_equal(ev->steps[STEP_USE_AUTHORIZATION], STEP_NOT_MET);
	f->c->iw.use_requested_on = dt("2024-02-23");
	NONE(run(f));

	/* decided before it was requested */
	f->c->iw.use_requested_on = dt("2024-02-26");
	f->c->iw.use_decided_on = dt("2024-02-25");
	ev = run(f);
	EXPECT(ev, DIAG_OUT_OF_ORDER, ERR, STEP_USE_AUTHORIZATION, W_NOTICE);
	ONLY(ev, DIAG_OUT_OF_ORDER);
	f->c->iw.use_decided_on = dt("2024-02-26");
	NONE(run(f));
}

static void
test_out_of_order_service(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;
	const struct finding *fi;

	/* before the use decision (2024-03-11) */
	f->c->service.on = dt("2024-03-10");
	ev = run(f);
	fi = EXPECT(ev, DIAG_OUT_OF_ORDER, ERR, STEP_SUBJECT_NOTICE,
	    W_NOTICE);
	assert_int_equal(fi->line, L_SERVICE);
	ONLY(ev, DIAG_OUT_OF_ORDER);
	DOCS(ev, G_TO_USNCB);
	assert_int_equal(ev->steps[STEP_SUBJECT_NOTICE], STEP_NOT_MET);

	/* before the receipt (2024-03-08) too */
	f->c->service.on = dt("2024-03-07");
	ONLY(run(f), DIAG_OUT_OF_ORDER, DIAG_OUT_OF_ORDER);

	/* without proceedings only the receipt matters */
	f->c->use.proceedings = false;
	f->c->service.on = dt("2024-03-08");
	NONE(run(f));
	f->c->use.proceedings = true;

	/* equal dates are in order */
	f->c->service.on = dt("2024-03-11");
	NONE(run(f));

	/* up to 14 days after the as-of date is fine, 15 is not */
	f->c->service.on = as_of_plus(14);
	ev = run(f);
	NONE(ev);
	DOCS(ev, G_ALL);
	f->c->service.on = as_of_plus(15);
	ev = run(f);
	EXPECT(ev, DIAG_OUT_OF_ORDER, ERR, STEP_SUBJECT_NOTICE, W_NOTICE);
	ONLY(ev, DIAG_OUT_OF_ORDER);
	DOCS(ev, G_TO_USNCB);
}

/* ------------------------------------------------------------------ */
/* documentation */

static void
test_documentation_not_requested(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;

	f->c->iw.requested = false;
	/* the use request is not compared with an absent request */
	f->c->iw.use_requested_on = dt("2024-02-01");
	f->c->iw.use_decided_on = dt("2024-02-02");
	ev = run(f);
	EXPECT(ev, DIAG_DOCUMENTATION_NOT_REQUESTED, WARN, STEP_DOCUMENTATION,
	    W_NOTICE);
	ONLY(ev, DIAG_DOCUMENTATION_NOT_REQUESTED);
	DOCS(ev, G_TO_USNCB);
	assert_int_equal(ev->steps[STEP_DOCUMENTATION], STEP_NOT_MET);
	assert_int_equal(ev->steps[STEP_SUBJECT_NOTICE], STEP_NOT_MET);

	/* neither requested nor received: one finding */
	f->c->iw.received = false;
	ONLY(run(f), DIAG_DOCUMENTATION_NOT_REQUESTED);
}

static void
test_documentation_not_received(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;
	const struct finding *fi;

	f->c->iw.received = false;
	/* the service is not compared with an absent receipt */
	f->c->use.proceedings = false;
	f->c->service.on = dt("2024-02-24");
	ev = run(f);
	fi = EXPECT(ev, DIAG_DOCUMENTATION_NOT_RECEIVED, WARN,
	    STEP_DOCUMENTATION, W_NOTICE);
	assert_int_equal(fi->line, L_REQUEST);
	ONLY(ev, DIAG_DOCUMENTATION_NOT_RECEIVED);
	DOCS(ev, G_TO_USNCB);

	/* near miss: received */
	f->c->iw.received = true;
	f->c->iw.received_on = dt("2024-02-24");
	NONE(run(f));
}

/* ------------------------------------------------------------------ */
/* use-authorization */

static void
test_use_authorization_missing(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;

	f->c->iw.has_use = false;
	ev = run(f);
	EXPECT(ev, DIAG_USE_AUTHORIZATION_MISSING, WARN,
	    STEP_USE_AUTHORIZATION, W_NOTICE);
	ONLY(ev, DIAG_USE_AUTHORIZATION_MISSING);
	DOCS(ev, G_TO_USNCB);
	assert_int_equal(ev->steps[STEP_USE_AUTHORIZATION], STEP_NOT_MET);

	/* near miss: not applicable without proceedings */
	f->c->use.proceedings = false;
	ev = run(f);
	NONE(ev);
	DOCS(ev, G_ALL);
	assert_int_equal(ev->steps[STEP_USE_AUTHORIZATION],
	    STEP_NOT_APPLICABLE);
}

static void
test_use_authorization_pending(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;

	f->c->iw.use_decision = USE_PENDING;
	f->c->iw.use_decided_on = DATE_NONE;
	ev = run(f);
	EXPECT(ev, DIAG_USE_AUTHORIZATION_PENDING, WARN,
	    STEP_USE_AUTHORIZATION, W_NOTICE);
	ONLY(ev, DIAG_USE_AUTHORIZATION_PENDING);
	DOCS(ev, G_TO_USNCB);

	/* pending: its request date is not compared (only its own finding) */
	f->c->iw.use_requested_on = dt("2024-02-01");
	ONLY(run(f), DIAG_USE_AUTHORIZATION_PENDING);

	f->c->use.proceedings = false;
	ev = run(f);
	NONE(ev);
	assert_int_equal(ev->steps[STEP_USE_AUTHORIZATION],
	    STEP_NOT_APPLICABLE);
}

static void
test_use_authorization_denied(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;

	f->c->iw.use_decision = USE_DENIED;
	ev = run(f);
	EXPECT(ev, DIAG_USE_AUTHORIZATION_DENIED, ERR,
	    STEP_USE_AUTHORIZATION, W_NOTICE);
	ONLY(ev, DIAG_USE_AUTHORIZATION_DENIED);
	DOCS(ev, G_TO_USNCB);
	assert_int_equal(ev->steps[STEP_USE_AUTHORIZATION], STEP_NOT_MET);

	/* denied: the service is not compared with its decision */
	f->c->iw.use_decided_on = dt(AS_OF);
	f->c->service.on = dt("2024-03-10");
	ONLY(run(f), DIAG_USE_AUTHORIZATION_DENIED);

	/* near miss: not applicable without proceedings */
	f->c->use.proceedings = false;
	ev = run(f);
	NONE(ev);
	DOCS(ev, G_ALL);
	assert_int_equal(ev->steps[STEP_USE_AUTHORIZATION],
	    STEP_NOT_APPLICABLE);
}

/* ------------------------------------------------------------------ */
/* subject-notice */

static void
test_no_mailing_address(void **state)
{
	static const struct {
		enum service_method	 method;
		bool			 subject_address;
		int			 counsel;	/* 0 none, 1 no addr, 2 */
		bool			 raised;
	} cases[] = {
		{ SERVICE_MAIL, false, 0, true },
		{ SERVICE_MAIL, false, 1, true },
		{ SERVICE_MAIL, false, 2, false },	/* in care of counsel */
		{ SERVICE_MAIL, true, 0, false },
		{ SERVICE_MAIL, true, 1, false },
		{ SERVICE_PERSONAL, false, 0, false },	/* needs no address */
		{ SERVICE_PERSONAL, false, 1, false },
		{ SERVICE_COUNSEL, true, 0, true },	/* counsel's address */
		{ SERVICE_COUNSEL, true, 1, true },
		{ SERVICE_COUNSEL, false, 2, false },
		{ SERVICE_COUNSEL, true, 2, false },
	};
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct case_doc *c = renew(f);
		const struct evaluation *ev;

		c->service.method = cases[i].method;
		if (!cases[i].subject_address)
			c->subject.address = NULL;
		c->subject.counsel = cases[i].counsel == 0 ? NULL :
		    counsel(c, cases[i].counsel == 2);
		ev = run(f);
		if (!cases[i].raised) {
			NONE(ev);
			DOCS(ev, G_ALL);
			continue;
		}
		EXPECT(ev, DIAG_NO_MAILING_ADDRESS, ERR, STEP_SUBJECT_NOTICE,
		    W_NOTICE);
		ONLY(ev, DIAG_NO_MAILING_ADDRESS);
		DOCS(ev, G_TO_USNCB);
		assert_int_equal(ev->steps[STEP_SUBJECT_NOTICE], STEP_NOT_MET);
	}
}

/* ------------------------------------------------------------------ */
/* Findings of the documents' text */

/*
 * unsupported-script is retired: right-to-left text and characters above
 * U+FFFF are laid out like any other, and what no installed face covers
 * is missing-glyph, which withholds documents 2 to 4.
 */
static void
test_every_script_or_missing_glyph(void **state)
{
	static const char *const good[] = {
		/* Arabic */
		"\xd9\x85\xd8\xad\xd9\x85\xd8\xaf \xd8\xb1\xd8\xa7\xd9\x85\xd9"
		    "\x8a\xd8\xb1\xd9\x8a\xd8\xb2",
		/* Hebrew */
		"\xd7\x99\xd7\x95\xd7\xa1\xd7\xa3",
		/* U+20BB7, above U+FFFF */
		"\xf0\xa0\xae\xb7\xe9\x87\x8e",
		"\xce\x93\xce\xb9\xcf\x8e\xcf\x81\xce\xb3\xce\xbf\xcf\x82",
		    /* Γιώργος */
		"Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b Minh Khai",	/* Nguyễn Thị */
	};
	static const struct {
		const char	*alias;
		const char	*cp;	/* in the message */
	} bad[] = {
		/* Arabic, then U+E000 of the Private Use Area */
		{ "\xd9\x85\xd8\xad\xd9\x85\xd8\xaf \xee\x80\x80", "U+E000" },
		/* Latin, then U+1D49C */
		{ "Pepe \xf0\x9d\x92\x9c", "U+1D49C" },
	};
	struct fx *f = *state;

	f->ctx.has_glyph = fake_has_glyph;
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
		set_alias(f->c, good[i]);
		f->c->subject.family_name = good[i];
		f->c->subject.given_name = good[i];
		NONE(run(f));
		DOCS(&f->ev, G_ALL);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		const struct evaluation *ev;
		const struct finding *fi;

		set_alias(f->c, bad[i].alias);
		ev = run(f);
		fi = EXPECT(ev, DIAG_MISSING_GLYPH, ERR, STEP_NONE, W_ALL);
		assert_true(message_has(fi, bad[i].cp));
		ONLY(ev, DIAG_MISSING_GLYPH);
		DOCS(ev, G_SUMMARY);
	}
	f->ctx.has_glyph = NULL;
}

static void
test_translation_unavailable(void **state)
{
	static const char *const none[] = { NULL };
	static const struct {
		const char	*lang;
		bool		 with_es;	/* ctx.translations = { "es" } */
		bool		 raised;
	} cases[] = {
		{ "fr", false, true },
		{ "fr", true, true },
		{ "es-MX", false, true },
		{ "es", false, true },
		{ "pt-BR", true, true },
		{ "en-US", false, false },
		{ "en", false, false },
		{ NULL, false, false },		/* English */
		{ "es", true, false },
		{ "es-MX", true, false },	/* primary subtag */
		{ "ES", true, false },
	};
	struct fx *f = *state;

	f->pol.sample_translator = false;	/* a real translator */
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct evaluation *ev;
		const struct finding *fi;

		f->c->subject.language = cases[i].lang;
		f->ctx.translations = cases[i].with_es ? translations_es :
		    none;
		f->ctx.ntranslations = cases[i].with_es ? 1 : 0;
		ev = run(f);
		if (!cases[i].raised) {
			NONE(ev);
			DOCS(ev, G_ALL);
			continue;
		}
		fi = EXPECT(ev, DIAG_TRANSLATION_UNAVAILABLE, WARN,
		    STEP_SUBJECT_NOTICE, W_NOTHING);
		assert_int_equal(fi->line, L_LANGUAGE);
		ONLY(ev, DIAG_TRANSLATION_UNAVAILABLE);
		DOCS(ev, G_ALL);	/* withholds nothing */
		assert_int_equal(ev->steps[STEP_SUBJECT_NOTICE], STEP_MET);
	}
}

/* ------------------------------------------------------------------ */
/* The evaluation as a whole */

static void
test_all_findings_reported(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;

	f->pol.sample_office = false;
	f->c->officer.ntrainings = 0;
	f->c->nfacts = 0;
	f->c->subject.address = NULL;
	f->c->subject.counsel = NULL;
	ev = run(f);
	assert_int_equal(ev->findings.n, 3);
	ONLY(ev, DIAG_TRAINING_MISSING, DIAG_EXCLUSIVE_RELIANCE,
	    DIAG_NO_MAILING_ADDRESS);
	DOCS(ev, G_SUMMARY);
	assert_int_equal(ev->steps[STEP_TRAINING], STEP_NOT_MET);
	assert_int_equal(ev->steps[STEP_BASIS], STEP_NOT_MET);
	assert_int_equal(ev->steps[STEP_SUBJECT_NOTICE], STEP_NOT_MET);
	assert_int_equal(ev->steps[STEP_VALIDITY], STEP_MET);

	/* warnings and errors of different steps together */
	renew(f);
	f->c->approval.present = false;
	f->c->iw.received = false;
	f->c->subject.language = "fr";
	ev = run(f);
	assert_int_equal(ev->findings.n, 3);
	ONLY(ev, DIAG_APPROVAL_MISSING, DIAG_DOCUMENTATION_NOT_RECEIVED,
	    DIAG_TRANSLATION_UNAVAILABLE);
	DOCS(ev, G_TO_APPROVAL);
}

/*
 * complete: all four documents; partial: some blocked; blocked: only
 * the compliance summary (docs/reports.md).
 */
static void
test_status(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;

	ev = run(f);
	assert_int_equal(ev->status, CASE_COMPLETE);
	assert_int_equal(ev->generated, G_ALL);

	/* partial, the subject notice withheld */
	f->c->iw.has_use = false;
	ev = run(f);
	assert_int_equal(ev->status, CASE_PARTIAL);
	assert_string_equal(case_status_id(ev->status), "partial");
	assert_int_equal(ev->generated, G_TO_USNCB);
	assert_int_equal(ev->response_due, DATE_NONE);

	/* partial, only the summary and the approval request */
	f->c->approval.decision = DECISION_PENDING;
	ev = run(f);
	assert_int_equal(ev->status, CASE_PARTIAL);
	assert_int_equal(ev->generated, G_TO_APPROVAL);
	assert_int_equal(ev->response_due, DATE_NONE);

	/* blocked: only the compliance summary */
	f->c->nfacts = 0;
	ev = run(f);
	assert_int_equal(ev->status, CASE_BLOCKED);
	assert_string_equal(case_status_id(ev->status), "blocked");
	assert_int_equal(ev->generated, G_SUMMARY);
	assert_int_equal(ev->response_due, DATE_NONE);

	/* warnings that withhold nothing leave the case complete */
	renew(f);
	f->c->subject.language = "fr";
	f->c->review.answers[IND_HUMAN_RIGHTS].found = true;
	f->c->approval.dispositions[IND_HUMAN_RIGHTS] = "Reviewed.";
	ev = run(f);
	assert_int_equal(ev->status, CASE_COMPLETE);
	assert_int_equal(ev->generated, G_ALL);
	assert_int_equal(ev->response_due, dt("2024-04-16"));
}

/* ------------------------------------------------------------------ */
/* Revision 2: offices, protected persons, the subject's response */

/* A policy of n offices with these codes ("" for none). */
static void
set_offices(struct policy *p, const char *const *codes, int n)
{
	p->sample_office = false;
	p->noffices = n;
	for (int i = 0; i < n; i++) {
		snprintf(p->offices[i].code, sizeof(p->offices[i].code), "%s",
		    codes[i]);
		snprintf(p->offices[i].name, sizeof(p->offices[i].name),
		    "Office %d", i);
	}
}

#define OFFICES(p, ...) set_offices((p), (const char *const[]){ __VA_ARGS__ }, \
	(int)(sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(char *)))

#define L_OFFICE	36
/* The fixture has no immigration court: the submission is not named. */
#define W_OFFICE	W_ALL

/* (a) several offices: the case names one of them, or office-unknown. */
static void
test_office_unknown_several(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;
	const struct finding *fi;

	OFFICES(&f->pol, "ERO-HOU", "ERO-MIA");
	f->c->officer.office_line = L_OFFICE;
	f->c->officer.office_code = "ERO-MIA";
	ev = run(f);
	NONE(ev);
	DOCS(ev, G_ALL);

	f->c->officer.office_code = "ERO-DAL";
	ev = run(f);
	fi = EXPECT(ev, DIAG_OFFICE_UNKNOWN, ERR, STEP_NONE, W_OFFICE);
	assert_int_equal(fi->line, L_OFFICE);
	ONLY(ev, DIAG_OFFICE_UNKNOWN);
	DOCS(ev, G_SUMMARY);

	/* no code at all: the officer's line */
	f->c->officer.office_code = NULL;
	ev = run(f);
	fi = EXPECT(ev, DIAG_OFFICE_UNKNOWN, ERR, STEP_NONE, W_OFFICE);
	assert_int_equal(fi->line, L_OFFICER);
	ONLY(ev, DIAG_OFFICE_UNKNOWN);
	DOCS(ev, G_SUMMARY);
	/* codes compare exactly */
	f->c->officer.office_code = "ero-hou";
	ev = run(f);
	ONLY(ev, DIAG_OFFICE_UNKNOWN);
}

/* (b) one office with a code: a case naming another is office-unknown. */
static void
test_office_unknown_single(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;
	const struct finding *fi;

	OFFICES(&f->pol, "ERO-HOU");
	f->c->officer.office_line = L_OFFICE;
	ev = run(f);			/* no code: the single office */
	NONE(ev);
	DOCS(ev, G_ALL);
	f->c->officer.office_code = "ERO-HOU";
	ev = run(f);
	NONE(ev);
	f->c->officer.office_code = "ERO-MIA";
	ev = run(f);
	fi = EXPECT(ev, DIAG_OFFICE_UNKNOWN, ERR, STEP_NONE, W_OFFICE);
	assert_int_equal(fi->line, L_OFFICE);
	DOCS(ev, G_SUMMARY);

	/* a single office without a code serves every case */
	OFFICES(&f->pol, "");
	ev = run(f);
	NONE(ev);
	DOCS(ev, G_ALL);

	/* and so does the built-in sample office */
	policy_defaults(&f->pol);
	f->pol.sample_translator = false;
	ev = run(f);
	NONE(ev);
	assert_int_equal(count(ev, DIAG_SAMPLE_OFFICE), 1);
	DOCS(ev, G_ALL);
}

/*
 * What a court submission needs besides the court (docs/rules.md): each
 * received document with its file, in English (good_case()'s is in
 * Spanish, without a file), so that only the finding under test
 * withholds it.
 */
static void
court_ready(struct case_doc *c)
{
	struct enclosure *e = (struct enclosure *)c->iw.enclosures;

	for (size_t i = 0; i < c->iw.nenclosures; i++) {
		e[i].file = "warrant.pdf";
		e[i].language = NULL;
	}
}

static void
set_court(struct case_doc *c, const char *office)
{
	struct immigration_court *ct = &c->use.court;

	ct->present = true;
	ct->name = "Houston Immigration Court";
	ct->judge = "Hon. R. Alvarez";
	ct->next_hearing = DATE_NONE;
	ct->line = L_USE + 1;
	ct->filer.name = "Pat Lee";
	ct->filer.title = "Assistant Chief Counsel";
	ct->filer.office = office;
	ct->filer.line = L_USE + 2;
	court_ready(c);
}

/* filer/@office: withholds the court submission only. */
static void
test_office_unknown_filer(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;
	const struct finding *fi;

	set_court(f->c, "OPLA-HOU");
	OFFICES(&f->pol, "ERO-HOU", "OPLA-HOU");
	f->c->officer.office_code = "ERO-HOU";
	ev = run(f);
	assert_int_equal(count(ev, DIAG_OFFICE_UNKNOWN), 0);

	f->c->use.court.filer.office = "OPLA-DAL";
	ev = run(f);
	fi = EXPECT(ev, DIAG_OFFICE_UNKNOWN, ERR, STEP_NONE,
	    DOC_BIT(DOC_COURT));
	assert_int_equal(fi->line, L_USE + 2);
	assert_int_equal(count(ev, DIAG_OFFICE_UNKNOWN), 1);
	/* the packet is whole; the case is partial, since the court
	 * submission applies to it and is withheld */
	assert_int_equal(ev->generated, G_ALL);
	assert_int_equal(ev->status, CASE_PARTIAL);

	/* a single office with a code: the filer must name it */
	OFFICES(&f->pol, "ERO-HOU");
	ev = run(f);
	fi = find(ev, DIAG_OFFICE_UNKNOWN);
	assert_non_null(fi);
	assert_int_equal(fi->blocks, DOC_BIT(DOC_COURT));
	assert_int_equal(fi->line, L_USE + 2);

	/* a single office without a code, and the sample office, serve
	 * every filer */
	OFFICES(&f->pol, "");
	f->c->officer.office_code = NULL;
	ev = run(f);
	assert_int_equal(count(ev, DIAG_OFFICE_UNKNOWN), 0);
	policy_defaults(&f->pol);
	ev = run(f);
	assert_int_equal(count(ev, DIAG_OFFICE_UNKNOWN), 0);
}

static void
test_protected_person(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;
	const struct finding *fi;

	f->c->subject.has_protection = true;
	f->c->subject.protection = PROTECTION_REFUGEE;
	f->c->subject.protection_against = "CU";
	f->c->subject.protection_line = 8;
	ev = run(f);
	fi = EXPECT(ev, DIAG_PROTECTED_PERSON, WARN, STEP_REVIEW, W_NOTHING);
	assert_int_equal(fi->line, 8);
	ONLY(ev, DIAG_PROTECTED_PERSON);
	DOCS(ev, G_ALL);
	assert_int_equal(ev->steps[STEP_REVIEW], STEP_MET);

	f->c->subject.has_protection = false;
	ev = run(f);
	NONE(ev);
}

/* subjectResponse: after the service date, considered after receipt. */
static void
test_out_of_order_response(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;
	const struct finding *fi;
	struct subject_response *r = &f->c->response;

	/* Only a case in immigration court has a submission to withhold. */
	f->c->use.court.present = true;
	court_ready(f->c);
	r->present = true;
	r->line = 70;
	r->received_on = dt("2024-03-14");	/* the service date: in order */
	r->considered = true;
	r->considered_on = dt("2024-03-14");
	r->considered_by = "Maria Chen";
	r->consideration = "Reviewed; no change.";
	r->consideration_line = 71;
	ev = run(f);
	NONE(ev);

	r->received_on = dt("2024-03-13");
	r->considered_on = dt("2024-03-13");
	ev = run(f);
	fi = EXPECT(ev, DIAG_OUT_OF_ORDER, ERR, STEP_SUBJECT_NOTICE,
	    DOC_BIT(DOC_COURT));
	assert_int_equal(fi->line, 70);
	ONLY(ev, DIAG_OUT_OF_ORDER);
	COURT_WITHHELD(ev);

	r->received_on = dt("2024-03-14");
	r->considered_on = dt("2024-03-13");
	ev = run(f);
	fi = EXPECT(ev, DIAG_OUT_OF_ORDER, ERR, STEP_SUBJECT_NOTICE,
	    DOC_BIT(DOC_COURT));
	assert_int_equal(fi->line, 71);
	ONLY(ev, DIAG_OUT_OF_ORDER);
	COURT_WITHHELD(ev);

	/* no service date recorded: nothing to compare the receipt with */
	f->c->service.on = DATE_NONE;
	r->received_on = dt("2024-03-01");
	r->considered_on = dt("2024-03-02");
	ev = run(f);
	NONE(ev);

	/* a response dated after the as-of date is out of order */
	r->received_on = as_of_plus(1);
	r->considered = false;
	ev = run(f);
	fi = EXPECT(ev, DIAG_OUT_OF_ORDER, ERR, STEP_SUBJECT_NOTICE,
	    DOC_BIT(DOC_COURT));
	/* (and, not considered, response-not-considered) */
	ONLY(ev, DIAG_OUT_OF_ORDER, DIAG_RESPONSE_NOT_CONSIDERED);
}

/*
 * Rev 2: with intendedUse/immigrationCourt the court submission follows
 * the notice: whatever withholds the notice withholds it too, and a
 * warning that withholds only the submission leaves its step met.
 * Without it no finding names the court submission.
 */
static void
test_court_submission_follows_notice(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;
	struct finding *fi;

	f->c->approval.decision = DECISION_PENDING;
	ev = run(f);
	EXPECT(ev, DIAG_APPROVAL_PENDING, WARN, STEP_APPROVAL,
	    W_AFTER_APPROVAL);
	renew(f);
	f->c->use.court.present = true;
	f->c->approval.decision = DECISION_PENDING;
	ev = run(f);
	EXPECT(ev, DIAG_APPROVAL_PENDING, WARN, STEP_APPROVAL,
	    W_AFTER_APPROVAL | DOC_BIT(DOC_COURT));
	/* The status counts the packet only. */
	DOCS(ev, G_TO_APPROVAL);

	renew(f);
	f->c->use.court.present = true;
	court_ready(f->c);
	ev = run(f);
	/* Generated where it applies, and counted: complete. */
	assert_int_equal(ev->generated, G_ALL | DOC_BIT(DOC_COURT));
	assert_int_equal(ev->status, CASE_COMPLETE);
	fi = findings_add(&f->ev.findings, DIAG_RESPONSE_PERIOD_OPEN, 0, "o");
	rules_settle(f->c, &f->ctx, &f->ev);
	assert_int_equal(fi->blocks, DOC_BIT(DOC_COURT));
	assert_int_equal(f->ev.steps[STEP_SUBJECT_NOTICE], STEP_MET);
	COURT_WITHHELD(&f->ev);
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

/*
 * A translated letter with the built-in SAMPLE translator: a warning on
 * the language's line that withholds nothing (the pieces are held back
 * from the print job by the mail side).  Near misses: no translation, a
 * real translator, an English subject.
 */
static void
test_sample_translator(void **state)
{
	struct fx *f = *state;
	const struct evaluation *ev;
	const struct finding *fi;

	f->pol.sample_translator = true;
	f->c->subject.language = "es-MX";
	f->ctx.translations = translations_es;
	f->ctx.ntranslations = 1;
	ev = run(f);
	fi = EXPECT(ev, DIAG_SAMPLE_TRANSLATOR, WARN, STEP_NONE, W_NOTHING);
	assert_int_equal(fi->line, L_LANGUAGE);
	ONLY(ev, DIAG_SAMPLE_TRANSLATOR);
	DOCS(ev, G_ALL);

	f->pol.sample_translator = false;
	ev = run(f);
	NONE(ev);

	f->pol.sample_translator = true;
	f->c->subject.language = "en";
	ev = run(f);
	NONE(ev);

	f->c->subject.language = "fr";		/* no translation at all */
	ev = run(f);
	assert_int_equal(count(ev, DIAG_SAMPLE_TRANSLATOR), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalogue_ids_and_severities),
		cmocka_unit_test(test_out_of_order_blocks_by_step),
		T(test_good_case_complete),
		T(test_good_case_without_sample_office),
		T(test_service_date_and_response_due),
	T(test_personal_service_dates),
	T(test_protected_person),
		T(test_training_missing),
		T(test_training_lapsed),
		T(test_notice_not_verified),
		T(test_verification_stale),
		T(test_notice_status_codes),
		T(test_same_day_verifications),
		T(test_notice_expired),
		T(test_review_missing),
		T(test_review_incomplete),
		T(test_indicator_contradicted),
		T(test_refugee_status_derived),
		T(test_penalty_threshold_prosecution),
		T(test_penalty_threshold_sentence),
		T(test_abuse_indicator),
		T(test_exclusive_reliance),
		T(test_prohibited_representation),
		T(test_representation_fields),
		T(test_script_in_every_free_text_field),
		T(test_approval_missing),
		T(test_approval_pending),
		T(test_court_submission_follows_notice),
		T(test_approval_denied),
		T(test_approver_is_officer),
		T(test_disposition_missing),
		T(test_out_of_order_approval_before_review),
		T(test_out_of_order_approval_before_training),
		T(test_out_of_order_approval_before_verification),
		T(test_out_of_order_after_as_of),
		T(test_out_of_order_documentation),
		T(test_out_of_order_use_authorization),
		T(test_out_of_order_service),
		T(test_documentation_not_requested),
		T(test_documentation_not_received),
		T(test_use_authorization_missing),
		T(test_use_authorization_pending),
		T(test_use_authorization_denied),
		T(test_no_mailing_address),
		T(test_every_script_or_missing_glyph),
		T(test_translation_unavailable),
		T(test_sample_translator),
		T(test_all_findings_reported),
		T(test_status),
		T(test_office_unknown_several),
		T(test_office_unknown_single),
		T(test_office_unknown_filer),
		T(test_protected_person),
		T(test_out_of_order_response),
	};

	return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
