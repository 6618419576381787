/*
 * mailrun.c - mail state, address fit, print job and manifest for one
 * run (see mailrun.h; the job folder's files are mailjob.c's).
 *
 * The transaction.  A piece is issued if and only if a complete print
 * job holds it.  The job is built in OUT/mail/jobs/.JOB.tmp-HOST-PID,
 * every file and the folder synced; the state then records an intent
 * (the job's paths, its pieces, serials, deadlines and voids) and is
 * saved; the folder is renamed to JOB and mail/jobs synced; then the
 * intent is committed and the state saved again.  A run killed or
 * failing anywhere leaves either no intent (the temporary is its own,
 * removed by a later run on this host once its PID is gone), an intent
 * with only its temporary (rolled back by the next run), or an intent
 * with its job (committed by the next run).  The state lock is held
 * from mailrun_open(), which resolves such intents, to mailrun_free().
 */
#define _XOPEN_SOURCE 700	/* realpath() */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rnpack/buf.h"
#include "rnpack/case.h"
#include "rnpack/date.h"
#include "rnpack/diag.h"
#include "rnpack/digest.h"
#include "rnpack/domain.h"
#include "rnpack/exitlevel.h"
#include "rnpack/latin.h"
#include "rnpack/layout.h"
#include "rnpack/mailjob.h"
#include "rnpack/mailrun.h"
#include "rnpack/mailstate.h"
#include "rnpack/outdir.h"
#include "rnpack/policy.h"
#include "rnpack/printfile.h"
#include "rnpack/report.h"
#include "rnpack/rules.h"
#include "rnpack/shard.h"
#include "rnpack/xalloc.h"

#define RESERVE_MAX_DAYS	14	/* a new service date, after the as-of */

static const char *const state_ids[] = {
	[PIECE_NEW] = "new", [PIECE_REPRINT] = "reprint",
	[PIECE_VOIDED] = "voided", [PIECE_ALREADY] = "already-issued",
	[PIECE_NOT_ISSUED] = "not-issued"
};

/* Why no job was written, for the totals line. */
enum ending {
	END_NONE_NEW, END_INTERRUPTED, END_CHECK_ONLY, END_SAMPLE_OFFICE,
	END_NOT_WRITTEN, END_JOB
};

struct mailrun {
	struct mailrun_options	 o;
	struct mailstate	*ms;		/* NULL: none to read */
	pthread_mutex_t		 mu;		/* ms and recs */
	struct job_piece	**recs;		/* per input: up to 4 */
	size_t			*nrecs;
	char			**ids;		/* per input: the case id */
	char			*manifest;	/* overview name in mail/ */
	char			 host[64];
	bool			 pending;	/* an intent left unresolved */
	enum ending		 ending;
	size_t			 waiting;	/* pieces for the next run */
	size_t			 job_pieces, job_files;
	char			 job[MAILSTATE_JOB_SIZE];
	char			*job_dir;	/* -o as given/mail/jobs/JOB */
	size_t			 held;		/* pieces of sample-translator
						 * cases, kept out of the job */
};

static bool
has_id(const char *const *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(v[i], id) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* Resolving the intents a run left behind. */

static bool
is_dir(const char *p)
{
	struct stat st;

	return lstat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The output folder an intent's path is in: PATH/mail/jobs/NAME. */
static char *
out_of(const char *path)
{
	char *s = xstrdup(path), *p;

	for (int k = 0; k < 3; k++) {
		if ((p = strrchr(s, '/')) == NULL) {
			free(s);
			return NULL;
		}
		*p = '\0';
	}
	return s;
}

/*
 * Remove the temporary of an intent just rolled back: while holding
 * the lock of its output folder (ours is held; another folder's is
 * taken, waiting up to 30 s).  false: left there.
 */
static bool
remove_rolled_back(struct mailrun *mr, const struct mailstate_intent *in)
{
	char *out = out_of(in->tmp_path), *real = NULL, *err = NULL;
	struct outdir *other = NULL;
	bool ok = true;

	if (out == NULL)
		return false;
	real = realpath(out, NULL);
	if (real == NULL || strcmp(real, outdir_real(mr->o.out)) != 0) {
		other = outdir_open(out, &err);
		if (other == NULL || !outdir_lock(other, 0, 0,
		    MAILSTATE_WAIT_MS, &err)) {
			fprintf(stderr, "rnpack: %s\n", err);
			ok = false;
		}
	}
	if (ok)
		ok = mailjob_remove_tree(in->tmp_path);
	outdir_close(other);
	free(err);
	free(real);
	free(out);
	return ok;
}

/*
 * Each intent: job present, commit; only its temporary present, roll
 * back and remove the temporary; neither, leave it pending (its pieces
 * stay out of new jobs; the run ends with status 3).  Returns false
 * after a message when the state cannot be saved.
 */
static bool
resolve_intents(struct mailrun *mr, char **err)
{
	bool changed = false;
	size_t i = 0;

	while (i < mailstate_intent_count(mr->ms)) {
		const struct mailstate_intent *in = mailstate_intent_at(mr->ms,
		    i);
		char job[MAILSTATE_JOB_SIZE];

		snprintf(job, sizeof(job), "%s", in->job);
		if (is_dir(in->final_path)) {
			fprintf(stderr, "rnpack: print job %s was written by an "
			    "earlier run (host %s, pid %ld): confirmed\n",
			    in->final_path, in->host, in->pid);
			mailstate_intent_commit(mr->ms, job);
			changed = true;
		} else if (is_dir(in->tmp_path)) {
			fprintf(stderr, "rnpack: print job %s was never "
			    "completed (host %s, pid %ld): its pieces are "
			    "issued again\n", in->final_path, in->host,
			    in->pid);
			if (!mr->o.check_only && !remove_rolled_back(mr, in)) {
				fprintf(stderr, "rnpack: %s stays pending: its "
				    "temporary %s could not be removed\n",
				    in->final_path, in->tmp_path);
				mr->pending = true;
				i++;
				continue;
			}
			mailstate_intent_rollback(mr->ms, job);
			changed = true;
		} else {
			fprintf(stderr, "rnpack: print job %s is recorded as "
			    "being written (host %s, pid %ld) but neither it "
			    "nor its temporary %s is there: its pieces stay "
			    "out of new jobs until it is found or the intent "
			    "is resolved by hand (docs/mail-room.md)\n",
			    in->final_path, in->host, in->pid, in->tmp_path);
			mr->pending = true;
			i++;
		}
	}
	if (changed && !mr->o.check_only && !mailstate_save(mr->ms, err))
		return false;
	return true;
}

/* ------------------------------------------------------------------ */

struct mailrun *
mailrun_open(const struct mailrun_options *o, char **err)
{
	struct mailrun *mr = xcalloc(1, sizeof(*mr));
	const struct policy *p = o->policy;
	char *path = p->mail_state[0] ? xstrdup(p->mail_state) :
	    xasprintf("%s/.mail-state", outdir_path(o->out));
	struct stat st;

	/* A shard keeps its own state (and lock): PATH.K-of-N. */
	if (o->shard_n > 0) {
		char *sp = xasprintf("%s.%u-of-%u", path, o->shard_k,
		    o->shard_n);

		free(path);
		path = sp;
	}
	mr->o = *o;
	mr->manifest = shard_file_name("manifest", "csv", o->shard_k,
	    o->shard_n);
	mailjob_host(mr->host, sizeof(mr->host));
	pthread_mutex_init(&mr->mu, NULL);
	mr->recs = xcalloc(o->ninputs + 1, sizeof(*mr->recs));
	mr->nrecs = xcalloc(o->ninputs + 1, sizeof(*mr->nrecs));
	mr->ids = xcalloc(o->ninputs + 1, sizeof(*mr->ids));
	/* --check-only never creates or changes the state. */
	if (!o->check_only || stat(path, &st) == 0) {
		mr->ms = mailstate_open(path, err);
		if (mr->ms == NULL || !resolve_intents(mr, err)) {
			char *e = *err;

			*err = xasprintf("mail state %s: %s", path, e);
			free(e);
			free(path);
			mailrun_free(mr);
			return NULL;
		}
	}
	free(path);
	return mr;
}

void
mailrun_free(struct mailrun *mr)
{
	if (mr == NULL)
		return;
	for (size_t i = 0; i < mr->o.ninputs; i++) {
		for (size_t k = 0; k < mr->nrecs[i]; k++)
			mailjob_piece_free(&mr->recs[i][k]);
		free(mr->recs[i]);
		free(mr->ids[i]);
	}
	free(mr->recs);
	free(mr->nrecs);
	free(mr->ids);
	free(mr->job_dir);
	free(mr->manifest);
	mailstate_close(mr->ms);
	pthread_mutex_destroy(&mr->mu);
	free(mr);
}

/* A run that writes no job at all: nothing is issued, no serial taken. */
static bool
no_job_run(const struct mailrun *mr)
{
	return mr->o.check_only || mr->o.policy->sample_office;
}

void
mailrun_prepare(struct mailrun *mr, const struct case_doc *c,
    struct case_mail *cm)
{
	struct mailstate_piece pc;

	memset(cm, 0, sizeof(*cm));
	cm->given_on = c->service.on;
	cm->service_on = c->service.on;
	cm->recorded_on = DATE_NONE;
	cm->n = mail_pieces(c, mr->o.policy, cm->pieces);
	cm->reserve = !mr->o.check_only && has_id(mr->o.reserve,
	    mr->o.nreserve, c->id);
	cm->reissue = !mr->o.check_only && has_id(mr->o.reissue,
	    mr->o.nreissue, c->id);
	/* Only the original's mailing serves the subject: counsel's copy
	 * of a notice served in person does not move its date. */
	if (mr->ms == NULL || cm->n == 0 || cm->pieces[0].copy != 0)
		return;
	pthread_mutex_lock(&mr->mu);
	if (mailstate_get(mr->ms, c->id, cm->pieces[0].recipient, &pc)) {
		cm->recorded_on = pc.service;
		if (!cm->reserve)
			cm->service_on = pc.service;	/* the first holds */
		else {
			/* Served again: @on when later than the voided date,
			 * not before the as-of date and at most 14 days
			 * after it; else the as-of date. */
			int32_t on = cm->given_on;

			cm->service_on = on != DATE_NONE && on > pc.service &&
			    on >= mr->o.as_of && on <= mr->o.as_of +
			    RESERVE_MAX_DAYS ? on : mr->o.as_of;
		}
	}
	pthread_mutex_unlock(&mr->mu);
}

/*
 * Where the first print of an issued piece is, as its page digest
 * proves: the pages of the job that holds it, else the case folder's
 * piece.  Into cm's first_* for copy k; false when neither matches.
 */
static bool
find_first_print(struct mailrun *mr, const char *id,
    const struct mailstate_piece *sp, struct case_mail *cm, size_t k)
{
	char name[MAIL_FILE_SIZE], hex[DIGEST_HEX_SIZE], *path, *err = NULL;
	size_t from, count;
	bool ok;

	cm->first_src[k][0] = '\0';
	if (sp->digest[0] == '\0')
		return false;		/* recorded by format 1: unknown */
	if (sp->job[0] != '\0' && mailjob_locate(mr->o.out, sp->job, id,
	    sp->recipient, sp->digest, &path, &from, &count)) {
		snprintf(cm->first_src[k], sizeof(cm->first_src[k]), "%s", path);
		cm->first_from[k] = from;
		cm->first_count[k] = count;
		free(path);
		return true;
	}
	mail_piece_file(&cm->pieces[k], name);
	path = xasprintf("%s/%s/%s", outdir_real(mr->o.out), id, name);
	ok = printfile_digest(path, 0, 0, hex, &err) &&
	    strcmp(hex, sp->digest) == 0;
	if (ok) {
		snprintf(cm->first_src[k], sizeof(cm->first_src[k]), "%s", path);
		cm->first_from[k] = cm->first_count[k] = 0;
	}
	free(err);
	free(path);
	return ok;
}

/* A block's lines on one line, " | " between them. */
static char *
joined_block(const struct usps_block *b)
{
	struct buf out = BUF_INIT;

	for (size_t i = 0; i < b->n; i++)
		buf_addf(&out, "%s%s", i > 0 ? " | " : "", b->lines[i]);
	return buf_detach(&out);
}

/*
 * Each piece's service date and the deadline it prints: the date and
 * deadline the state recorded when an earlier run issued it (a piece a
 * v1 run recorded: its date + responseDays), else service/@on, else the
 * as-of date (the run that issues it mails it); counsel's copy of a
 * notice served in person is mailed on the later of @on and the as-of
 * date, and prints the personal service's deadline.  --reserve: the new
 * service date, for every piece.
 */
static void
date_pieces(struct mailrun *mr, const struct case_doc *c,
    const struct evaluation *ev, struct case_mail *cm)
{
	int32_t as_of = mr->o.as_of;

	pthread_mutex_lock(&mr->mu);
	for (size_t k = 0; k < cm->n; k++) {
		struct mail_piece *pc = &cm->pieces[k];
		struct mailstate_piece sp;

		if (c->service.method == SERVICE_PERSONAL) {
			pc->service = c->service.on != DATE_NONE &&
			    c->service.on > as_of ? c->service.on : as_of;
			pc->due = ev->response_due;
		} else {
			/* A piece first issued now (counsel's copy of a
			 * notice mailed earlier, say) is served now. */
			pc->service = cm->reserve ? c->service.on :
			    cm->given_on != DATE_NONE ? cm->given_on : as_of;
			pc->due = rules_deadline(c, mr->o.policy, pc->service);
		}
		cm->deadline[k] = pc->due;
		if (cm->reserve || mr->ms == NULL || !mailstate_get(mr->ms,
		    c->id, pc->recipient, &sp) || sp.service == DATE_NONE)
			continue;
		pc->service = sp.service;
		pc->due = sp.deadline != DATE_NONE ? sp.deadline :
		    c->service.method == SERVICE_PERSONAL ? ev->response_due :
		    date_response_due(sp.service, mr->o.policy->response_days);
		cm->deadline[k] = pc->due;
	}
	pthread_mutex_unlock(&mr->mu);
}

/*
 * A block that prints a name or line as its transliteration, because the
 * case has no Latin-script alias for it: a point to look at, withholding
 * nothing.  Depends only on the data, so --check-only raises it too.
 */
static void
check_latin(const struct case_doc *c, struct evaluation *ev,
    const struct case_mail *cm)
{
	for (size_t k = 0; k < cm->n; k++) {
		const struct mail_piece *pc = &cm->pieces[k];
		char *text;

		if (!pc->block.transliterated)
			continue;
		text = joined_block(&pc->block);
		findings_add(&ev->findings, DIAG_LATIN_NAME_TRANSLITERATED,
		    pc->copy == 0 ? c->subject.line : c->subject.counsel->line,
		    "The address block of the %s's piece is in Latin script and "
		    "the case has no Latin-script alias for a name or line in "
		    "another script, so it prints a transliteration: %s.  "
		    "Check it%s, or record the name as the person writes it in "
		    "Latin script as an <alias>.", pc->recipient, text,
		    latin_has_non_ascii(text) ? " (some characters have no "
		    "transliteration and stay as written)" : "");
		free(text);
	}
}

void
mailrun_check(struct mailrun *mr, const struct case_doc *c,
    struct evaluation *ev, const struct rules_context *rc,
    const struct measure *m, struct case_mail *cm)
{
	bool added = false;

	date_pieces(mr, c, ev, cm);
	check_latin(c, ev, cm);
	for (size_t k = 0; k < cm->n; k++) {
		struct mail_piece *pc = &cm->pieces[k];
		struct finding *f;
		char why[160];

		if (mail_fits(pc, mr->o.policy, m, why, sizeof(why)))
			continue;
		f = findings_add(&ev->findings, DIAG_ADDRESS_DOES_NOT_FIT,
		    pc->copy == 0 ? c->subject.line : c->subject.counsel->line,
		    "%s address cannot be printed inside the envelope "
		    "window: %s; %s.", pc->copy == 0 ? "The subject's" :
		    "Counsel's", why, pc->copy == 0 ? "the notice is withheld" :
		    "counsel must be served, so the notice is withheld");
		/* Counsel must be served (8 CFR 292.5(a)): without counsel's
		 * copy the notice is withheld too. */
		if (pc->copy == 1)
			f->blocks = DOC_BIT(DOC_NOTICE) | DOC_BIT(DOC_COURT);
		cm->withheld |= 1u << pc->copy;
		added = true;
	}
	if (added)
		rules_settle(c, rc, ev);
	/* The case's deadline: the latest its pieces print. */
	for (size_t k = 0; k < cm->n; k++)
		if (ev->response_due != DATE_NONE &&
		    cm->pieces[k].due != DATE_NONE &&
		    !(cm->withheld & (1u << cm->pieces[k].copy)) &&
		    cm->pieces[k].due > ev->response_due)
			ev->response_due = cm->pieces[k].due;
	if (!(ev->generated & DOC_BIT(DOC_NOTICE)) || mr->ms == NULL)
		return;
	if (!cm->reserve && cm->given_on != DATE_NONE &&
	    cm->recorded_on != DATE_NONE && cm->given_on != cm->recorded_on) {
		char was[11], now[11];

		date_format_iso(cm->recorded_on, was);
		date_format_iso(cm->given_on, now);
		findings_add(&ev->findings, DIAG_SERVICE_DATE_CHANGED,
		    c->service.line, "The case file gives the service date "
		    "%s, but the notice was issued with the service date %s, "
		    "which it keeps; --reserve serves it again.", now, was);
	}
	if (!cm->reissue || cm->reserve)
		return;
	for (size_t k = 0; k < cm->n; k++) {
		struct mailstate_piece sp;
		bool same;

		if (cm->withheld & (1u << cm->pieces[k].copy))
			continue;
		pthread_mutex_lock(&mr->mu);
		same = !mailstate_get(mr->ms, c->id, cm->pieces[k].recipient,
		    &sp);
		pthread_mutex_unlock(&mr->mu);
		if (same)
			continue;	/* not issued: a new piece */
		if (!find_first_print(mr, c->id, &sp, cm, k))
			cm->not_identical = true;
	}
	if (cm->not_identical) {
		struct finding *f = findings_add(&ev->findings,
		    DIAG_REPRINT_NOT_IDENTICAL, 0, "The first print of this "
		    "case's notice is not at hand with the digest the mail "
		    "state recorded; the reprint is rendered again and may "
		    "differ from what was mailed.");

		f->step = STEP_NONE;
	}
}

void
mailrun_allocate(struct mailrun *mr, const struct case_doc *c,
    const struct evaluation *ev, struct case_mail *cm)
{
	if (!(ev->generated & DOC_BIT(DOC_NOTICE)))
		return;
	pthread_mutex_lock(&mr->mu);
	for (size_t k = 0; k < cm->n; k++) {
		struct mail_piece *pc = &cm->pieces[k];
		struct mailstate_piece sp;
		unsigned long serial = 0;
		bool issued;

		/* Each piece keeps the service date and deadline that
		 * date_pieces() gave it (the templates date it by them). */
		if (cm->withheld & (1u << pc->copy))
			continue;
		issued = mr->ms != NULL && mailstate_get(mr->ms, c->id,
		    pc->recipient, &sp);
		if (issued && !cm->reserve)
			pc->service = sp.service;
		if (mr->ms != NULL && mailstate_pending(mr->ms, c->id,
		    pc->recipient) != NULL) {
			/* In a job not yet found: never printed twice. */
			cm->state[k] = PIECE_NOT_ISSUED;
			serial = issued ? sp.serial : 0;
		} else if (issued && !cm->reserve) {
			cm->state[k] = cm->reissue ? PIECE_REPRINT :
			    PIECE_ALREADY;
			serial = sp.serial;
			if (sp.deadline != DATE_NONE)
				cm->deadline[k] = sp.deadline;
		} else if (no_job_run(mr)) {
			cm->state[k] = PIECE_NOT_ISSUED;
			cm->is_new[k] = true;
		} else if (findings_has(&ev->findings,
		    DIAG_SAMPLE_TRANSLATOR)) {
			/* Held back: a SAMPLE translator certifies it. */
			cm->state[k] = PIECE_NOT_ISSUED;
			cm->is_new[k] = true;
			mr->held++;
		} else {
			cm->state[k] = PIECE_NEW;
			cm->is_new[k] = true;
			serial = mailstate_take_serial(mr->ms, mr->o.shard_k,
			    mr->o.shard_n);
		}
		if (serial > 0)
			mail_set_serial(pc, mr->o.policy, serial);
	}
	pthread_mutex_unlock(&mr->mu);
}

/* The address a piece goes to (see mail_pieces()). */
static const struct address *
piece_address(const struct case_doc *c, const struct mail_piece *pc)
{
	const struct counsel *co = c->subject.counsel;

	if (pc->copy == 0 && c->service.method == SERVICE_MAIL &&
	    c->subject.address != NULL)
		return c->subject.address;
	return co != NULL ? co->address : NULL;
}

static char *
joined_lines(const struct usps_block *b)
{
	struct buf out = BUF_INIT;

	for (size_t i = 1; i < b->n; i++)
		buf_addf(&out, "%s%s", i > 1 ? " | " : "", b->lines[i]);
	return buf_detach(&out);
}

/*
 * The manifest's enclosure column: the titles of the documents the mail
 * room inserts by hand, as before; once the piece carries files of its
 * own, "included", then "insert: <titles>" for those without a file.
 */
static void
enclosure_column(struct buf *b, const struct case_doc *c)
{
	bool files = c->notice.extract.present &&
	    c->notice.extract.file != NULL;
	size_t inserts = 0;

	for (size_t e = 0; e < c->iw.nenclosures; e++)
		files |= c->iw.enclosures[e].file != NULL;
	if (files)
		buf_adds(b, "included");
	for (size_t e = 0; e < c->iw.nenclosures; e++) {
		if (c->iw.enclosures[e].file != NULL)
			continue;
		buf_addf(b, "%s%s", inserts > 0 ? "; " : files ?
		    "; insert: " : "", c->iw.enclosures[e].title);
		inserts++;
	}
}

/* A voided piece (--reserve): what the state recorded. */
static void
record_void(struct job_piece *r, const struct mailstate_piece *sp, size_t i)
{
	memset(r, 0, sizeof(*r));
	r->case_id = xstrdup(sp->case_id);
	r->recipient = strcmp(sp->recipient, "subject") == 0 ? "subject" :
	    "counsel";
	r->name = xstrdup("");
	r->address = xstrdup("");
	r->enclosures = xstrdup("");
	r->state = PIECE_VOIDED;
	r->serial = sp->serial;
	r->service = sp->service;
	r->deadline = sp->deadline;
	if (sp->deadline != DATE_NONE)
		date_format_iso(sp->deadline, r->due);
	snprintf(r->job, sizeof(r->job), "%s", sp->job);
	snprintf(r->digest, sizeof(r->digest), "%s", sp->digest);
	r->input = i;
	r->copy = r->recipient[0] == 's' ? 2 : 3;
}

void
mailrun_record(struct mailrun *mr, size_t i, const struct case_doc *c,
    const struct evaluation *ev, const struct case_mail *cm, bool files_ok)
{
	struct job_piece *v;
	size_t n = 0;

	if (i >= mr->o.ninputs)
		return;
	mr->ids[i] = xstrdup(c->id);
	if (!(ev->generated & DOC_BIT(DOC_NOTICE)) || cm->n == 0)
		return;
	v = xcalloc(MAIL_MAX_PIECES * 2, sizeof(*v));
	for (size_t k = 0; k < cm->n; k++) {
		const struct mail_piece *pc = &cm->pieces[k];
		const struct address *a = piece_address(c, pc);
		struct job_piece *r = &v[n];
		struct buf enc = BUF_INIT;
		char file[MAIL_FILE_SIZE];
		struct mailstate_piece sp;

		if (cm->withheld & (1u << pc->copy))
			continue;
		n++;
		r->case_id = xstrdup(c->id);
		r->recipient = pc->recipient;
		r->copy = pc->copy;
		r->input = i;
		r->name = xstrdup(pc->block.n > 0 ? pc->block.lines[0] : "");
		r->address = joined_lines(&pc->block);
		snprintf(r->zip, sizeof(r->zip), "%s", pc->block.zip);
		r->foreign = pc->block.foreign || pc->block.zip[0] == '\0';
		if (a != NULL) {
			snprintf(r->country, sizeof(r->country), "%s",
			    a->country ? a->country : "");
			snprintf(r->postal, sizeof(r->postal), "%s",
			    a->postal_code ? a->postal_code : "");
		}
		if (pc->barcode && pc->serial > 0) {
			memcpy(r->tracking, pc->tracking, sizeof(r->tracking));
			memcpy(r->routing, pc->routing, sizeof(r->routing));
			memcpy(r->bars, pc->bars, sizeof(r->bars));
		}
		enclosure_column(&enc, c);
		r->enclosures = buf_detach(&enc);
		r->deadline = cm->deadline[k];
		if (r->deadline != DATE_NONE)
			date_format_iso(r->deadline, r->due);
		r->serial = pc->serial;
		r->service = pc->service;
		r->state = cm->state[k];
		if ((r->state == PIECE_NEW || r->state == PIECE_REPRINT) &&
		    !files_ok)
			r->state = r->state == PIECE_NEW ? PIECE_NOT_ISSUED :
			    PIECE_ALREADY;
		pthread_mutex_lock(&mr->mu);
		if (r->state != PIECE_NEW && mr->ms != NULL &&
		    mailstate_get(mr->ms, c->id, pc->recipient, &sp)) {
			r->service = sp.service;
			snprintf(r->job, sizeof(r->job), "%s", sp.job);
			snprintf(r->digest, sizeof(r->digest), "%s", sp.digest);
		}
		pthread_mutex_unlock(&mr->mu);
		if (r->state == PIECE_NOT_ISSUED)
			r->serial = 0;
		r->held = r->state == PIECE_NOT_ISSUED && mr->ms != NULL &&
		    mailstate_pending(mr->ms, c->id, pc->recipient) != NULL;
		mail_piece_file(pc, file);
		r->pdf = xasprintf("%s/%s", c->id, file);
		if (r->state == PIECE_REPRINT && cm->first_src[k][0]) {
			r->src = xstrdup(cm->first_src[k]);
			r->src_from = cm->first_from[k];
			r->src_count = cm->first_count[k];
		}
	}
	/* --reserve: the case's current pieces are voided by its job. */
	if (cm->reserve && mr->ms != NULL)
		for (size_t w = 0; w < MAIL_MAX_PIECES; w++) {
			static const char *const who[] = { "subject",
				"counsel" };
			struct mailstate_piece sp;
			bool any_new = false;

			for (size_t k = 0; k < n; k++)
				any_new |= v[k].state == PIECE_NEW;
			pthread_mutex_lock(&mr->mu);
			if (any_new && mailstate_get(mr->ms, c->id, who[w], &sp))
				record_void(&v[n++], &sp, i);
			pthread_mutex_unlock(&mr->mu);
		}
	mr->recs[i] = v;
	mr->nrecs[i] = n;
}

bool
mailrun_defers(const struct mailrun *mr, size_t i)
{
	if (i >= mr->o.ninputs)
		return false;
	for (size_t k = 0; k < mr->nrecs[i]; k++)
		if (mr->recs[i][k].state == PIECE_NEW ||
		    mr->recs[i][k].state == PIECE_REPRINT ||
		    mr->recs[i][k].state == PIECE_VOIDED)
			return true;
	return false;
}

static void
json_date_or_null(struct buf *b, int32_t d)
{
	char s[11];

	if (d == DATE_NONE) {
		buf_adds(b, "null");
		return;
	}
	date_format_iso(d, s);
	buf_addf(b, "\"%s\"", s);
}

void
mailrun_pieces_json(const struct mailrun *mr, size_t i, struct buf *b)
{
	size_t n = i < mr->o.ninputs ? mr->nrecs[i] : 0, out = 0;

	buf_adds(b, "[");
	/* Subject, then counsel, then the voided pieces (copy 2, 3). */
	for (size_t copy = 0; copy < 4; copy++)
		for (size_t k = 0; k < n; k++) {
			const struct job_piece *r = &mr->recs[i][k];

			if (r->copy != copy)
				continue;
			buf_addf(b, "%s{\"recipient\": \"%s\", \"serial\": ",
			    out++ ? ", " : "", r->recipient);
			if (r->serial > 0)
				buf_addf(b, "%lu", r->serial);
			else
				buf_adds(b, "null");
			buf_adds(b, ", \"serviceDate\": ");
			json_date_or_null(b, r->service);
			buf_adds(b, ", \"deadline\": ");
			json_date_or_null(b, r->deadline);
			buf_adds(b, ", \"job\": ");
			if (r->job[0])
				buf_addf(b, "\"%s\"", r->job);
			else
				buf_adds(b, "null");
			buf_addf(b, ", \"state\": \"%s\"}", state_ids[r->state]);
		}
	buf_adds(b, "]");
}

/* ------------------------------------------------------------------ */
/* The run's overview manifest. */

static enum exit_level
write_overview(struct mailrun *mr, size_t done)
{
	struct buf b = BUF_INIT;
	char *err = NULL;
	size_t total = 0;
	enum exit_level status = EXIT_COMPLETE;

	for (size_t i = 0; i < done; i++)
		total += mr->nrecs[i];
	if (total == 0)
		return EXIT_COMPLETE;
	mailjob_manifest_header(&b);
	for (size_t i = 0; i < done; i++)
		for (size_t k = 0; k < mr->nrecs[i]; k++)
			mailjob_manifest_row(&b, &mr->recs[i][k],
			    state_ids[mr->recs[i][k].state]);
	if (!outdir_write(mr->o.out, "mail", mr->manifest, b.ptr, b.len,
	    &err)) {
		fprintf(stderr, "rnpack: %s\n", err);
		free(err);
		status = EXIT_OUTPUT;
	}
	buf_free(&b);
	return status;
}

/* ------------------------------------------------------------------ */
/* The job as one transaction with the state. */

/* The pieces this run would print (before the job is written). */
static size_t
collect_printable(struct mailrun *mr, size_t done, struct job_piece ***out)
{
	struct job_piece **v;
	size_t n = 0, total = 0;

	for (size_t i = 0; i < done; i++)
		total += mr->nrecs[i];
	v = xcalloc(total + 1, sizeof(*v));
	for (size_t i = 0; i < done; i++)
		for (size_t k = 0; k < mr->nrecs[i]; k++) {
			struct job_piece *r = &mr->recs[i][k];

			if (r->state == PIECE_NEW || r->state == PIECE_REPRINT)
				v[n++] = r;
		}
	*out = v;
	return n;
}

/*
 * Input i's pieces stay out of the job: new ones wait for the next run
 * (no serial spent on paper), reprints are not made, and voids commit
 * only with the new pieces.
 */
static void
leave_out_case(struct mailrun *mr, size_t i)
{
	for (size_t k = 0; k < mr->nrecs[i]; k++) {
		struct job_piece *r = &mr->recs[i][k];

		if (r->state == PIECE_NEW) {
			r->state = PIECE_NOT_ISSUED;
			r->serial = 0;
			mr->waiting++;
		} else if (r->state == PIECE_REPRINT ||
		    r->state == PIECE_VOIDED)
			r->state = PIECE_ALREADY;
	}
}

/* The job did not happen: no piece of the run is in one. */
static void
give_up(struct mailrun *mr, size_t done)
{
	for (size_t i = 0; i < done; i++) {
		leave_out_case(mr, i);
		for (size_t k = 0; k < mr->nrecs[i]; k++) {
			struct job_piece *r = &mr->recs[i][k];

			r->file[0] = '\0';
			r->pages = 0;
			if (r->state != PIECE_ALREADY)
				r->job[0] = '\0';
		}
	}
}


/* The intent: everything the commit makes current, and the voids. */
static void
make_intent(struct mailrun *mr, size_t done, struct mailstate_intent *in,
    const char *final, const char *tmp)
{
	memset(in, 0, sizeof(*in));
	snprintf(in->job, sizeof(in->job), "%s", mr->job);
	snprintf(in->host, sizeof(in->host), "%s", mr->host);
	in->pid = (long)getpid();
	in->final_path = (char *)final;
	in->tmp_path = (char *)tmp;
	for (size_t i = 0; i < done; i++)
		for (size_t k = 0; k < mr->nrecs[i]; k++) {
			const struct job_piece *r = &mr->recs[i][k];
			struct mailstate_piece sp;

			if (r->state != PIECE_NEW && r->state != PIECE_VOIDED)
				continue;
			memset(&sp, 0, sizeof(sp));
			snprintf(sp.case_id, sizeof(sp.case_id), "%s",
			    r->case_id);
			snprintf(sp.recipient, sizeof(sp.recipient), "%s",
			    r->recipient);
			sp.serial = r->serial;
			sp.service = r->service;
			sp.deadline = r->deadline;
			snprintf(sp.digest, sizeof(sp.digest), "%s", r->digest);
			if (r->state == PIECE_NEW) {
				snprintf(sp.job, sizeof(sp.job), "%s", mr->job);
				in->pieces = xreallocarray(in->pieces,
				    in->npieces + 1, sizeof(*in->pieces));
				in->pieces[in->npieces++] = sp;
			} else {
				snprintf(sp.job, sizeof(sp.job), "%s", r->job);
				in->voids = xreallocarray(in->voids,
				    in->nvoids + 1, sizeof(*in->voids));
				in->voids[in->nvoids++] = sp;
			}
		}
}

/* Save, saying why not; the state keeps the counter in any case. */
static bool
save(struct mailrun *mr)
{
	char *err = NULL;

	if (mailstate_save(mr->ms, &err))
		return true;
	fprintf(stderr, "rnpack: %s\n", err);
	free(err);
	return false;
}

/*
 * Write the job: build, intent, rename, commit.  Returns an exit
 * status; on failure every piece waits (give_up()).
 */
static enum exit_level
write_job(struct mailrun *mr, size_t done, struct job_piece **v, size_t n)
{
	struct mailjob job;
	struct mailstate_intent in;
	char *err = NULL, *final = NULL, *tmp = NULL;
	const char **names;
	size_t nnames;
	enum exit_level status = EXIT_COMPLETE;
	int jobs_fd;

	jobs_fd = outdir_open_dir(mr->o.out, "mail/jobs", true, &err);
	if (jobs_fd < 0) {
		fprintf(stderr, "rnpack: %s\n", err);
		free(err);
		give_up(mr, done);
		mr->ending = END_NOT_WRITTEN;
		save(mr);	/* the counter never goes back */
		return EXIT_OUTPUT;
	}
	nnames = mailstate_job_names(mr->ms, &names);
	mailjob_next_name(jobs_fd, names, nnames, mr->o.as_of, mr->o.shard_k,
	    mr->o.shard_n, mr->job, sizeof(mr->job));
	free(names);
	mailjob_init(&job, mr->o.policy, mr->o.out, jobs_fd, mr->job,
	    mr->host);
	final = xasprintf("%s/mail/jobs/%s", outdir_real(mr->o.out),
	    mr->job);
	tmp = xasprintf("%s/mail/jobs/%s", outdir_real(mr->o.out),
	    job.tmp_name);

	/* Pieces are read first: a case whose file fails is left out. */
	for (size_t k = 0; k < n; k++)
		if (v[k]->state != PIECE_NOT_ISSUED &&
		    !mailjob_check_piece(&job, v[k], &err)) {
			fprintf(stderr, "rnpack: %s: %s; the case is left out "
			    "of the print job\n", v[k]->case_id, err);
			free(err);
			err = NULL;
			leave_out_case(mr, v[k]->input);
			exit_raise(&status, EXIT_OUTPUT);
		}
	{
		size_t m = 0;

		for (size_t k = 0; k < n; k++)
			if (v[k]->state == PIECE_NEW ||
			    v[k]->state == PIECE_REPRINT)
				v[m++] = v[k];
		n = m;
	}
	if (n == 0) {
		/* Every case left out: their pieces wait. */
		mailjob_abandon(&job);
		mr->ending = mr->waiting > 0 ? END_NOT_WRITTEN : END_NONE_NEW;
		save(mr);
		goto out;
	}
	if (!mailjob_build(&job, v, n, &err)) {
		fprintf(stderr, "rnpack: print job %s: %s\n", mr->job, err);
		mailjob_abandon(&job);
		goto failed;
	}
	make_intent(mr, done, &in, final, tmp);
	mailstate_intent_add(mr->ms, &in);
	free(in.pieces);
	free(in.voids);
	if (!save(mr)) {
		/* The intent may be on disk all the same (only the folder
		 * sync failed): its temporary stays for the next run, which
		 * rolls it back, or removes it as a dead run's. */
		mailstate_intent_rollback(mr->ms, mr->job);
		goto failed;
	}
	if (!mailjob_publish(&job, &err)) {
		fprintf(stderr, "rnpack: print job %s: %s\n", mr->job, err);
		mailstate_intent_rollback(mr->ms, mr->job);
		/* Without this save the intent stays: the next run rolls
		 * it back, as the temporary is still there. */
		if (save(mr))
			mailjob_abandon(&job);
		goto failed;
	}
	mr->ending = END_JOB;
	free(mr->job_dir);
	mr->job_dir = xasprintf("%s/mail/jobs/%s", outdir_path(mr->o.out),
	    mr->job);
	mr->job_pieces = n;
	mr->job_files = job.nfiles;
	if (!job.synced) {
		/* Left pending: the next run commits it if the job is
		 * there, or rolls it back if only the temporary is. */
		fprintf(stderr, "rnpack: print job %s: %s; the next run "
		    "confirms it\n", mr->job, err);
		exit_raise(&status, EXIT_OUTPUT);
	} else if (mailstate_intent_commit(mr->ms, mr->job) && !save(mr)) {
		fprintf(stderr, "rnpack: print job %s is written, but the mail "
		    "state could not record it; the next run confirms it "
		    "(docs/mail-room.md)\n", mr->job);
		exit_raise(&status, EXIT_OUTPUT);
	}
	for (size_t k = 0; k < n; k++)
		snprintf(v[k]->job, sizeof(v[k]->job), "%s", mr->job);
	goto out;
failed:
	free(err);
	err = NULL;
	give_up(mr, done);
	mr->ending = END_NOT_WRITTEN;
	exit_raise(&status, EXIT_OUTPUT);
	/* The counter never goes back, even for a job not written. */
	save(mr);
out:
	free(err);
	mailjob_free(&job);
	free(final);
	free(tmp);
	close(jobs_fd);
	return status;
}

/* A killed run's job temporaries, as far as ours to remove. */
static void
clean_jobs(struct mailrun *mr)
{
	char *err = NULL;
	struct stat st;
	char *p = xasprintf("%s/mail/jobs", outdir_path(mr->o.out));
	int fd = -1;

	if (lstat(p, &st) == 0)
		fd = outdir_open_dir(mr->o.out, "mail/jobs", false, &err);
	if (fd >= 0) {
		mailjob_clean(fd, mr->ms, mr->host, mr->o.shard_k,
		    mr->o.shard_n, outdir_path(mr->o.out));
		close(fd);
	}
	free(err);
	free(p);
}

/* Ids given to --reissue or --reserve that no input has: invalid. */
static enum exit_level
unknown_ids(const struct mailrun *mr, size_t done, const char *opt,
    const char *const *ids, size_t nids)
{
	enum exit_level status = EXIT_COMPLETE;

	for (size_t k = 0; k < nids; k++) {
		bool seen = false;

		for (size_t i = 0; i < done && !seen; i++)
			seen = mr->ids[i] != NULL &&
			    strcasecmp(mr->ids[i], ids[k]) == 0;
		/* A shard sees its slice only: the case may be another's. */
		if (!seen && done == mr->o.ninputs && mr->o.shard_n > 0)
			fprintf(stderr, "rnpack: %s %s: not among this shard's "
			    "inputs\n", opt, ids[k]);
		else if (!seen && done == mr->o.ninputs) {
			fprintf(stderr, "rnpack: %s %s: no input has that "
			    "case\n", opt, ids[k]);
			exit_raise(&status, EXIT_INVALID);
		}
	}
	return status;
}

enum exit_level
mailrun_finish(struct mailrun *mr, size_t done, bool interrupted)
{
	struct job_piece **v;
	size_t n;
	enum exit_level status;

	if (mr->o.check_only) {
		mr->ending = END_CHECK_ONLY;
		return EXIT_COMPLETE;
	}
	status = unknown_ids(mr, done, "--reissue", mr->o.reissue,
	    mr->o.nreissue);
	exit_raise(&status, unknown_ids(mr, done, "--reserve", mr->o.reserve,
	    mr->o.nreserve));
	clean_jobs(mr);
	n = collect_printable(mr, done, &v);
	if (interrupted) {
		mr->ending = END_INTERRUPTED;
		give_up(mr, done);
		mr->waiting = 0;
		save(mr);
	} else if (mr->o.policy->sample_office)
		mr->ending = END_SAMPLE_OFFICE;
	else if (n == 0) {
		mr->ending = END_NONE_NEW;
		if (mr->ms != NULL && !save(mr))
			exit_raise(&status, EXIT_OUTPUT);
	} else
		exit_raise(&status, write_job(mr, done, v, n));
	free(v);
	if (mr->pending) {
		fputs("rnpack: a print job recorded as being written is "
		    "missing: see the messages above\n", stderr);
		exit_raise(&status, EXIT_OUTPUT);
	}
	if (mr->ending == END_NOT_WRITTEN)
		fprintf(stderr, "rnpack: the print job could not be written: "
		    "%zu piece%s wait for the next run\n", mr->waiting,
		    mr->waiting == 1 ? "" : "s");
	exit_raise(&status, write_overview(mr, done));
	return status;
}

int
mailrun_outcome(const struct mailrun *mr, struct run_outcome *o)
{
	static const enum run_ending map[] = {
		[END_NONE_NEW] = RUN_END_NO_NEW_PIECE,
		[END_INTERRUPTED] = RUN_END_INTERRUPTED,
		[END_CHECK_ONLY] = RUN_END_CHECK_ONLY,
		[END_SAMPLE_OFFICE] = RUN_END_SAMPLE_OFFICE,
		[END_NOT_WRITTEN] = RUN_END_NOT_WRITTEN,
		[END_JOB] = RUN_END_JOB,
	};

	memset(o, 0, sizeof(*o));
	o->ending = map[mr->ending];
	o->pieces = mr->ending == END_JOB ? mr->job_pieces : mr->waiting;
	o->files = mr->job_files;
	o->dir = mr->job_dir;
	o->held = mr->held;
	return 0;
}

size_t
mailrun_pieces(const struct mailrun *mr, size_t i)
{
	return mr->o.check_only || i >= mr->o.ninputs ? 0 : mr->nrecs[i];
}
