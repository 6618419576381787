/*
 * test_docmodel.c - the data templates see: every name the builder
 * produces is one a template may use (docmodel_known), so the list that
 * checks templates and the data cannot drift apart; and the values of
 * a real sample.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnpack/buf.h"
#include "rnpack/case.h"
#include "rnpack/date.h"
#include "rnpack/ddoc.h"
#include "rnpack/docmodel.h"
#include "rnpack/intake.h"
#include "rnpack/mail.h"
#include "rnpack/policy.h"
#include "rnpack/rules.h"
#include "rnpack/tmpl.h"
#include "rnpack/tval.h"

static size_t checked;

/* Walk the tree; every path must be known (lists as "x[].y"). */
static void
walk(const struct tval *v, const char *path)
{
	char sub[512];

	for (size_t i = 0; i < tval_count(v); i++) {
		const char *key = tval_key_at(v, i);

		if (key != NULL)
			snprintf(sub, sizeof(sub), "%s%s%s", path,
			    path[0] ? "." : "", key);
		else
			snprintf(sub, sizeof(sub), "%s[]", path);
		if (key != NULL) {
			if (!docmodel_known(sub))
				fail_msg("builder makes \"%s\", which templates "
				    "cannot name", sub);
			checked++;
		}
		walk(tval_value_at(v, i), sub);
	}
}

/* The real representation rules (run from the source tree). */
static struct rules_text *
rules(void)
{
	struct buf b = BUF_INIT;
	struct rules_text *r;
	char *err = NULL;

	assert_true(buf_read_file(&b, "templates/representation.rules",
	    1 << 20));
	r = rules_text_compile(b.ptr, b.len, "representation.rules", &err);
	if (r == NULL)
		fail_msg("%s", err);
	buf_free(&b);
	return r;
}

static struct tval *
build(const char *sample, struct case_doc **cp, struct evaluation *ev)
{
	struct intake *in;
	struct load_error err;
	struct policy p;
	struct rules_context rc;
	char *msg = NULL;
	int32_t as_of = date_from_ymd(2024, 3, 14);
	struct tval *t;

	intake_init();
	in = intake_new("schema/case-1.xsd", &msg);
	assert_non_null(in);
	*cp = intake_load_case(in, sample, as_of, &err);
	if (*cp == NULL)
		fail_msg("%s: %s", sample, err.message);
	policy_defaults(&p);
	memset(&rc, 0, sizeof(rc));
	rc.policy = &p;
	rc.as_of = as_of;
	rc.representation = rules();
	rules_evaluate(*cp, &rc, ev);
	rules_text_free((struct rules_text *)rc.representation);
	t = docmodel_build(*cp, ev, &p, as_of, ev->generated);
	intake_free(in);
	return t;
}

static void
test_every_built_path_is_known(void **state)
{
	const char *samples[] = { "samples/complete-red-notice.xml",
	    "samples/complete-diffusion.xml",
	    "samples/abuse-indicator-refugee-status.xml",
	    "samples/foreign-counsel-address.xml",
	    "samples/prohibited-representation-notes-en.xml", NULL };

	(void)state;
	for (int i = 0; samples[i] != NULL; i++) {
		struct case_doc *c;
		struct evaluation ev;
		struct tval *t = build(samples[i], &c, &ev);

		walk(t, "");
		tval_free(t);
		evaluation_free(&ev);
		case_free(c);
	}
	assert_true(checked > 100);
}

/* Names in the script of the subject's language are marked as in it. */
static void
test_names_in_own_language(void **state)
{
	struct case_doc *c;
	struct evaluation ev;
	struct tval *t = build("samples/spanish-notice-es-mx.xml", &c, &ev);
	const struct tval *alias;

	(void)state;
	assert_string_equal(tval_str(tval_path(t, "subject.nameLanguage")),
	    "es-MX");
	assert_true(tval_own_lang(tval_path(t, "subject.familyName")));
	assert_true(tval_own_lang(tval_path(t, "subject.givenName")));
	assert_true(tval_own_lang(tval_path(t, "subject")));
	assert_true(tval_own_lang(tval_path(t, "letter.recipient")));
	/* Not names: never marked. */
	assert_false(tval_own_lang(tval_path(t, "subject.aNumber")));
	assert_false(tval_own_lang(tval_path(t, "case.id")));
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);
	/* Arabic names for an Arabic reader; the Latin alias is not. */
	t = build("samples/script-arabic.xml", &c, &ev);
	assert_true(tval_own_lang(tval_path(t, "subject.familyName")));
	assert_true(tval_own_lang(tval_path(t, "subject")));
	alias = tval_at(tval_path(t, "subject.aliases"), 0);
	assert_string_equal(tval_str(tval_child(alias, "name")),
	    "Alaa al-Din al-Khatib");
	assert_false(tval_own_lang(tval_child(alias, "name")));
	assert_false(tval_own_lang(tval_path(t, "subject.aliasNames")));
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);
	/* An English reader: the names are English, the documents' own. */
	t = build("samples/complete-red-notice.xml", &c, &ev);
	assert_string_equal(tval_str(tval_path(t, "subject.nameLanguage")),
	    "en");
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);
}

static void
test_values_of_a_sample(void **state)
{
	struct case_doc *c;
	struct evaluation ev;
	struct tval *t = build("samples/complete-red-notice.xml", &c, &ev);

	(void)state;
	assert_string_equal(tval_str(tval_path(t, "case.id")),
	    "HOU-2024-00017");
	assert_string_equal(tval_str(tval_path(t, "case.status")), "complete");
	assert_string_equal(tval_str(tval_path(t, "notice.kindTitle")),
	    "Red Notice");
	assert_int_equal(tval_len(tval_path(t, "result.steps")), 8);
	assert_int_equal(tval_len(tval_path(t, "review.indicators")), 8);
	/* served by mail on 2024-03-14: 30 days, 3 for the mail */
	assert_int_equal(tval_date(tval_path(t, "result.responseDue")),
	    date_from_ymd(2024, 4, 16));
	assert_true(tval_bool(tval_path(t, "office.sample")));
	assert_true(tval_truthy(tval_path(t, "subject.address.lastLine")));
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);
}

/*
 * Prohibited wording: the findings the templates see name field and line
 * but not the words; the words are in result.wording only.
 */
static void
test_wording_found(void **state)
{
	struct case_doc *c;
	struct evaluation ev;
	struct tval *t = build("samples/prohibited-representation-notes-en.xml",
	    &c, &ev);
	const struct tval *fs = tval_path(t, "result.findings");
	const struct tval *w = tval_path(t, "result.wording");
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < tval_len(fs); i++) {
		const char *m = tval_str(tval_child(tval_at(fs, i), "message"));

		assert_null(strstr(m, "international"));
		if (strcmp(tval_str(tval_child(tval_at(fs, i), "code")),
		    "prohibited-representation") == 0) {
			assert_non_null(strstr(m, "preliminaryReview/notes "
			    "(line 49)"));
			n++;
		}
	}
	assert_int_equal(n, 1);
	assert_int_equal(tval_len(w), 1);
	assert_string_equal(tval_str(tval_child(tval_at(w, 0), "field")),
	    "preliminaryReview/notes");
	assert_string_equal(tval_str(tval_child(tval_at(w, 0), "quote")),
	    "international\n      arrest warrant");
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);

	/* none found: an empty list, so "@if result.wording" is false */
	t = build("samples/complete-red-notice.xml", &c, &ev);
	assert_int_equal(tval_len(tval_path(t, "result.wording")), 0);
	assert_false(tval_truthy(tval_path(t, "result.wording")));
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);
}

/* A policy of two offices and two translators, as a policy file gives. */
static void
two_offices(struct policy *p)
{
	policy_defaults(p);
	p->sample_office = false;
	p->noffices = 2;
	for (int i = 0; i < 2; i++) {
		struct policy_office *o = &p->offices[i];

		memset(o, 0, sizeof(*o));
		snprintf(o->code, sizeof(o->code), i ? "ERO-MIA" : "ERO-HOU");
		snprintf(o->name, sizeof(o->name), "ICE");
		snprintf(o->unit, sizeof(o->unit), i ? "ERO Miami" :
		    "ERO Houston");
		o->address.nlines = 1;
		snprintf(o->address.lines[0], POLICY_TEXT, i ?
		    "865 SW 78th Ave" : "126 Northpoint Dr");
		snprintf(o->address.city, POLICY_TEXT, i ? "Plantation" :
		    "Houston");
		snprintf(o->address.state, sizeof(o->address.state), i ? "FL" :
		    "TX");
		snprintf(o->address.postal_code, sizeof(o->address.postal_code),
		    i ? "33324" : "77060");
	}
	p->sample_translator = false;
	p->ntranslators = 2;
	memset(p->translators, 0, 2 * sizeof(p->translators[0]));
	snprintf(p->translators[0].id, POLICY_CODE, "T1");
	snprintf(p->translators[0].name, POLICY_TEXT, "Laura Gómez");
	snprintf(p->translators[0].qualification, POLICY_TEXT, "Certified");
	snprintf(p->translators[0].phone, 64, "281-555-0199");
	p->translators[0].has_address = true;
	p->translators[0].address.nlines = 1;
	snprintf(p->translators[0].address.lines[0], POLICY_TEXT, "1 Main St");
	snprintf(p->translators[0].address.city, POLICY_TEXT, "Houston");
	snprintf(p->translators[0].address.state, 8, "TX");
	snprintf(p->translators[0].address.postal_code, 32, "77002");
	snprintf(p->translators[1].id, POLICY_CODE, "T2");
	snprintf(p->translators[1].name, POLICY_TEXT, "Jean Petit");
	snprintf(p->translators[1].qualification, POLICY_TEXT, "Sworn");
}

/* The case's office code chooses the office; translators are listed. */
static void
test_office_and_translators(void **state)
{
	struct case_doc *c;
	struct evaluation ev;
	struct policy p;
	struct tval *t = build("samples/complete-red-notice.xml", &c, &ev);
	const struct tval *l;

	(void)state;
	tval_free(t);
	two_offices(&p);
	c->officer.office_code = "ERO-MIA";
	t = docmodel_build(c, &ev, &p, date_from_ymd(2024, 3, 14),
	    ev.generated);
	walk(t, "");
	assert_string_equal(tval_str(tval_path(t, "office.code")), "ERO-MIA");
	assert_string_equal(tval_str(tval_path(t, "office.unit")), "ERO Miami");
	assert_string_equal(tval_str(tval_path(t, "office.address.lastLine")),
	    "Plantation, FL 33324");
	assert_false(tval_bool(tval_path(t, "office.sample")));
	assert_string_equal(tval_str(tval_path(t, "translator.id")), "T1");
	assert_string_equal(tval_str(tval_path(t, "translator.phone")),
	    "281-555-0199");
	assert_string_equal(tval_str(tval_path(t,
	    "translator.address.lastLine")), "Houston, TX 77002");
	assert_false(tval_bool(tval_path(t, "translator.sample")));
	l = tval_path(t, "translators");
	assert_int_equal(tval_len(l), 2);
	assert_string_equal(tval_str(tval_child(tval_at(l, 1), "name")),
	    "Jean Petit");
	assert_false(tval_truthy(tval_child(tval_at(l, 1), "address")));
	tval_free(t);

	c->officer.office_code = "ERO-HOU";
	t = docmodel_build(c, &ev, &p, date_from_ymd(2024, 3, 14),
	    ev.generated);
	assert_string_equal(tval_str(tval_path(t, "office.unit")),
	    "ERO Houston");
	tval_free(t);

	/* The built-in sample translator is no translator to list. */
	policy_defaults(&p);
	t = docmodel_build(c, &ev, &p, date_from_ymd(2024, 3, 14),
	    ev.generated);
	assert_int_equal(tval_len(tval_path(t, "translators")), 0);
	assert_true(tval_bool(tval_path(t, "translator.sample")));
	assert_false(tval_truthy(tval_path(t, "office.code")));
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);
}

/*
 * A mailed piece: its endorsement (domestic only) and its window reach the
 * template data; a flat's block moves to the policy's flat window (the
 * data's window is the flat one less the 1/8 in clearance), a letter's
 * stays at the letter window.
 */
static void
test_piece_endorsement_and_flat_window(void **state)
{
	struct case_doc *c;
	struct evaluation ev;
	struct tval *t = build("samples/complete-red-notice.xml", &c, &ev);
	struct mail_piece pieces[MAIL_MAX_PIECES];
	struct policy p;
	size_t n;

	(void)state;
	policy_defaults(&p);
	strcpy(p.endorsement, "Return Service Requested");
	p.flat_window = (struct policy_window){ 0.5, 1.5, 4.0, 1.25 };
	n = mail_pieces(c, &p, pieces);
	assert_true(n >= 1);
	assert_false(pieces[0].block.foreign);
	assert_string_equal(pieces[0].endorsement, "Return Service Requested");

	docmodel_set_letter(t, c, &ev, 0, &pieces[0], 1, true);
	assert_string_equal(tval_str(tval_path(t, "letter.endorsement")),
	    "Return Service Requested");
	assert_false(tval_bool(tval_path(t, "letter.flat")));
	assert_string_equal(tval_str(tval_path(t, "window.left")), "1.1250");
	assert_string_equal(tval_str(tval_path(t, "window.top")), "2.2500");

	mail_set_flat(&pieces[0], &p);
	docmodel_set_letter(t, c, &ev, 0, &pieces[0], 1, true);
	assert_true(tval_bool(tval_path(t, "letter.flat")));
	assert_string_equal(tval_str(tval_path(t, "window.left")), "0.6250");
	assert_string_equal(tval_str(tval_path(t, "window.top")), "1.6250");
	assert_string_equal(tval_str(tval_path(t, "window.width")), "3.7500");
	assert_string_equal(tval_str(tval_path(t, "window.height")),
	    "1.0000");
	walk(t, "");
	mail_pieces_free(pieces, n);
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);
}

/* A foreign piece has no endorsement (DMM 507 1.5: domestic only). */
static void
test_foreign_piece_has_no_endorsement(void **state)
{
	struct case_doc *c;
	struct evaluation ev;
	struct tval *t = build("samples/foreign-counsel-address.xml", &c,
	    &ev);
	struct mail_piece pieces[MAIL_MAX_PIECES];
	struct policy p;
	size_t n, foreign = 0;

	(void)state;
	policy_defaults(&p);
	strcpy(p.endorsement, "Return Service Requested");
	n = mail_pieces(c, &p, pieces);
	assert_true(n >= 1);
	for (size_t i = 0; i < n; i++) {
		if (!pieces[i].block.foreign) {
			assert_non_null(pieces[i].endorsement);
			continue;
		}
		foreign++;
		assert_null(pieces[i].endorsement);
		docmodel_set_letter(t, c, &ev, pieces[i].copy, &pieces[i], 1,
		    true);
		assert_false(tval_truthy(tval_path(t, "letter.endorsement")));
	}
	assert_int_equal(foreign, 1);
	mail_pieces_free(pieces, n);
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);
}

/* The first box of a document (the window), or a failure. */
static const struct dblock *
first_box(const struct ddoc *d)
{
	for (size_t i = 0; i < d->nblocks; i++)
		if (d->blocks[i].kind == DB_BOX)
			return &d->blocks[i];
	fail_msg("no box");
	return NULL;
}

static const char *
block_text(const struct dblock *b)
{
	return b->text.n > 0 && b->text.v[0].text ? b->text.v[0].text : "";
}

/*
 * The English and Spanish subject notices put a domestic piece's
 * endorsement first in the window, directly above the barcode, then the
 * address; a flat's window box is the flat window's rectangle (inches
 * less the clearance, in points).
 */
static void
test_templates_endorsement_and_flat(void **state)
{
	static const char *const names[] = { "templates/subject-notice.tmpl",
	    "templates/es/subject-notice.tmpl" };
	struct case_doc *c;
	struct evaluation ev;
	struct tval *t = build("samples/complete-red-notice.xml", &c, &ev);
	struct mail_piece pieces[MAIL_MAX_PIECES];
	struct policy p;
	size_t n;

	(void)state;
	policy_defaults(&p);
	strcpy(p.endorsement, "Return Service Requested");
	p.flat_window = (struct policy_window){ 0.5, 1.5, 4.0, 1.25 };
	n = mail_pieces(c, &p, pieces);
	assert_true(n >= 1);
	pieces[0].barcode = true;
	memset(pieces[0].bars, 'T', IMB_BARS);
	pieces[0].bars[IMB_BARS] = '\0';
	for (size_t k = 0; k < 2; k++) {
		char *err = NULL;
		struct tmpl *tm = tmpl_load(names[k], docmodel_known, &err);
		struct ddoc *d;
		const struct dblock *box;

		if (tm == NULL)
			fail_msg("%s: %s", names[k], err);
		pieces[0].flat = false;
		pieces[0].window = (struct policy_window){ 1.0, 2.125, 3.5,
		    1.0 };
		docmodel_set_letter(t, c, &ev, 0, &pieces[0], 1, true);
		d = tmpl_eval(tm, t);
		box = first_box(d);
		assert_true(box->nkids >= 3);
		assert_int_equal(box->kids[0].kind, DB_PARA);
		assert_string_equal(block_text(&box->kids[0]),
		    "Return Service Requested");
		assert_int_equal(box->kids[1].kind, DB_BARCODE);
		assert_int_equal(box->kids[2].kind, DB_PARA);
		assert_true(box->box[0] > 81 - 1e-6 && box->box[0] < 81 + 1e-6);
		ddoc_free(d);

		/* A flat: (0.5 + 0.125) x 72 = 45 pt from the left,
		 * (1.5 + 0.125) x 72 = 117 pt from the top. */
		mail_set_flat(&pieces[0], &p);
		docmodel_set_letter(t, c, &ev, 0, &pieces[0], 1, true);
		d = tmpl_eval(tm, t);
		box = first_box(d);
		assert_true(box->box[0] > 45 - 1e-6 && box->box[0] < 45 + 1e-6);
		assert_true(box->box[1] > 117 - 1e-6 && box->box[1] < 117 + 1e-6);
		assert_true(box->box[2] > 270 - 1e-6 && box->box[2] < 270 + 1e-6);
		ddoc_free(d);
		tmpl_free(tm);
	}
	mail_pieces_free(pieces, n);
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);
}

/* A step not met says why; the warnings say what they withhold. */
static void
test_reasons_and_warnings(void **state)
{
	struct case_doc *c;
	struct evaluation ev;
	struct tval *t = build("samples/approval-pending.xml", &c, &ev);
	const struct tval *steps = tval_path(t, "result.steps");
	const struct tval *w = tval_path(t, "result.warnings");

	(void)state;
	/* Step 4: approval; step 7: the notice, withheld by others. */
	assert_string_equal(tval_str(tval_child(tval_at(steps, 4),
	    "evidence")), "Pending by Claire Boudreaux on 2024-03-12. "
	    "Supervisory approval is pending.");
	assert_string_equal(tval_str(tval_child(tval_at(steps, 7),
	    "evidence")), "Subject's mailing address on file. Withheld by "
	    "approval-pending, documentation-not-requested.");
	/* A step met keeps its plain evidence. */
	assert_string_equal(tval_str(tval_child(tval_at(steps, 0),
	    "evidence")), "Jamal Robinson completed 2024-01-05");
	assert_int_equal(tval_len(w), 3);
	assert_string_equal(tval_str(tval_child(tval_at(w, 0), "code")),
	    "approval-pending");
	assert_string_equal(tval_str(tval_child(tval_at(w, 0), "withholds")),
	    "the request to INTERPOL Washington and the notice to the "
	    "subject");
	assert_string_equal(tval_str(tval_child(tval_at(w, 2), "code")),
	    "sample-office");
	assert_string_equal(tval_str(tval_child(tval_at(w, 2), "withholds")),
	    "nothing");
	assert_string_equal(tval_str(tval_path(t, "result.warningsText")),
	    "approval-pending withholds the request to INTERPOL Washington "
	    "and the notice to the subject; documentation-not-requested "
	    "withholds the notice to the subject; sample-office withholds "
	    "nothing.");
	walk(t, "");
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);
}

static int32_t
day(const struct tval *t, const char *path)
{
	return tval_date(tval_path(t, path));
}

/* The approval form is dated by what it records, never later. */
static void
test_approval_form_dates(void **state)
{
	struct case_doc *c;
	struct evaluation ev;
	struct tval *t;

	(void)state;
	t = build("samples/approval-pending.xml", &c, &ev);
	assert_false(tval_bool(tval_path(t, "approvalForm.isRecord")));
	assert_int_equal(day(t, "approvalForm.date"), c->approval.on);
	assert_true(c->approval.on != date_from_ymd(2024, 3, 14));
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);

	t = build("samples/complete-red-notice.xml", &c, &ev);
	assert_true(tval_bool(tval_path(t, "approvalForm.isRecord")));
	assert_int_equal(day(t, "approvalForm.date"),
	    date_from_ymd(2024, 2, 22));
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);

	t = build("samples/approval-missing.xml", &c, &ev);
	assert_false(tval_bool(tval_path(t, "approvalForm.isRecord")));
	assert_int_equal(day(t, "approvalForm.date"),
	    date_from_ymd(2024, 3, 14));
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);
}

/* The memo: a record copy dated the latest request, or a new request
 * dated the as-of date. */
static void
test_memo_dates(void **state)
{
	struct case_doc *c;
	struct evaluation ev;
	struct tval *t;
	const struct tval *r;
	struct policy p;

	(void)state;
	t = build("samples/complete-red-notice.xml", &c, &ev);
	assert_true(tval_bool(tval_path(t, "memo.recordCopy")));
	assert_false(tval_bool(tval_path(t, "memo.newRequest")));
	assert_int_equal(day(t, "memo.date"), date_from_ymd(2024, 2, 23));
	r = tval_path(t, "memo.requests");
	assert_int_equal(tval_len(r), 2);
	assert_string_equal(tval_str(tval_child(tval_at(r, 0), "reference")),
	    "USNCB-2024-0456");
	assert_string_equal(tval_str(tval_child(tval_at(r, 1), "kind")), "use");
	/* a later use request makes the record copy later */
	c->iw.use_requested_on = date_from_ymd(2024, 2, 26);
	tval_free(t);
	policy_defaults(&p);
	t = docmodel_build(c, &ev, &p, date_from_ymd(2024, 3, 14), 0);
	assert_int_equal(day(t, "memo.date"), date_from_ymd(2024, 2, 26));
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);

	t = build("samples/usncb-new-request.xml", &c, &ev);
	assert_true(tval_bool(tval_path(t, "memo.newRequest")));
	assert_true(tval_bool(tval_path(t, "memo.asksUse")));
	assert_false(tval_bool(tval_path(t, "memo.asksDocumentation")));
	assert_int_equal(day(t, "memo.date"), date_from_ymd(2024, 3, 14));
	assert_int_equal(tval_len(tval_path(t, "memo.requests")), 1);
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);

	t = build("samples/protected-person.xml", &c, &ev);
	assert_true(tval_bool(tval_path(t, "memo.protected")));
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);
}

/* Personal service with counsel: counsel's copy is a mailed piece. */
static void
test_personal_service_with_counsel(void **state)
{
	struct case_doc *c;
	struct evaluation ev;
	struct policy p;
	struct mail_piece pc[MAIL_MAX_PIECES];
	struct tval *t = build("samples/service-personal-counsel.xml", &c, &ev);
	const struct tval *sv;
	size_t n;

	(void)state;
	policy_defaults(&p);
	n = mail_pieces(c, &p, pc);
	assert_int_equal(n, 1);
	assert_int_equal(pc[0].copy, 1);
	assert_string_equal(pc[0].recipient, "counsel");
	assert_int_equal(docmodel_notice_copies(c), 2);
	pc[0].service = date_from_ymd(2024, 3, 14);
	pc[0].due = ev.response_due;
	docmodel_set_letter(t, c, &ev, 0, pc, n, true);
	assert_true(tval_bool(tval_path(t, "letter.personal")));
	assert_false(tval_bool(tval_path(t, "letter.mailed")));
	assert_true(tval_bool(tval_path(t, "letter.ccCounsel")));
	assert_int_equal(day(t, "letter.date"), date_from_ymd(2024, 3, 12));
	assert_int_equal(day(t, "letter.due"), date_from_ymd(2024, 4, 11));
	sv = tval_path(t, "letter.served");
	assert_int_equal(tval_len(sv), 2);
	assert_string_equal(tval_str(tval_child(tval_at(sv, 0), "kind")),
	    "personal");
	assert_string_equal(tval_str(tval_child(tval_at(sv, 1), "kind")),
	    "counsel");
	assert_int_equal(tval_date(tval_child(tval_at(sv, 1), "date")),
	    date_from_ymd(2024, 3, 14));
	docmodel_set_letter(t, c, &ev, 1, pc, n, true);
	assert_true(tval_bool(tval_path(t, "letter.mailed")));
	assert_int_equal(day(t, "letter.date"), date_from_ymd(2024, 3, 14));
	/* counsel's copy withheld: the original promises none */
	docmodel_set_letter(t, c, &ev, 0, pc, n, false);
	assert_false(tval_bool(tval_path(t, "letter.ccCounsel")));
	assert_int_equal(tval_len(tval_path(t, "letter.served")), 1);
	mail_pieces_free(pc, n);
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);
}

/* Counsel abroad, no subject address: counsel alone, as representative. */
static void
test_representative_abroad(void **state)
{
	struct case_doc *c;
	struct evaluation ev;
	struct policy p;
	struct mail_piece pc[MAIL_MAX_PIECES];
	struct tval *t = build("samples/service-representative-abroad.xml", &c,
	    &ev);
	size_t n;

	(void)state;
	policy_defaults(&p);
	assert_true(mail_to_representative(c));
	n = mail_pieces(c, &p, pc);
	assert_int_equal(n, 1);
	assert_int_equal(pc[0].copy, 0);
	for (size_t i = 0; i < pc[0].block.n; i++)
		assert_null(strstr(pc[0].block.lines[i], "C/O"));
	assert_non_null(strstr(pc[0].block.lines[0], "TORRES"));
	docmodel_set_letter(t, c, &ev, 0, pc, n, true);
	assert_true(tval_bool(tval_path(t, "letter.representative")));
	assert_false(tval_bool(tval_path(t, "letter.careOf")));
	assert_string_equal(tval_str(tval_path(t, "letter.recipient")),
	    "Lic. Ana Torres Medina");
	mail_pieces_free(pc, n);
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);

	/* near miss: counsel in the US stays "in care of" */
	t = build("samples/service-in-care-of-counsel.xml", &c, &ev);
	assert_false(mail_to_representative(c));
	docmodel_set_letter(t, c, &ev, 0, NULL, 0, true);
	assert_true(tval_bool(tval_path(t, "letter.careOf")));
	tval_free(t);
	evaluation_free(&ev);
	case_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_built_path_is_known),
		cmocka_unit_test(test_values_of_a_sample),
		cmocka_unit_test(test_names_in_own_language),
		cmocka_unit_test(test_wording_found),
		cmocka_unit_test(test_office_and_translators),
		cmocka_unit_test(test_piece_endorsement_and_flat_window),
		cmocka_unit_test(test_foreign_piece_has_no_endorsement),
		cmocka_unit_test(test_templates_endorsement_and_flat),
		cmocka_unit_test(test_reasons_and_warnings),
		cmocka_unit_test(test_approval_form_dates),
		cmocka_unit_test(test_memo_dates),
		cmocka_unit_test(test_personal_service_with_counsel),
		cmocka_unit_test(test_representative_abroad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
