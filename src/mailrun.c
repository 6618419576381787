/*
 * mailrun.c - mail state, address fit, print file and manifest for one
 * run (see mailrun.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
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
#include "rnpack/domain.h"
#include "rnpack/layout.h"
#include "rnpack/mailrun.h"
#include "rnpack/mailstate.h"
#include "rnpack/outdir.h"
#include "rnpack/policy.h"
#include "rnpack/printfile.h"
#include "rnpack/report.h"
#include "rnpack/rules.h"
#include "rnpack/shard.h"
#include "rnpack/xalloc.h"

/* What the manifest says about one piece. */
struct piece_rec {
	char		*case_id;
	const char	*recipient;
	char		*name;
	char		*address;	/* lines joined with " | " */
	char		 zip[16];
	char		 tracking[21];
	char		 routing[12];
	char		 bars[IMB_BARS + 1];
	char		*enclosures;
	char		 due[11];
	bool		 is_new;
	bool		 print;		/* goes into notices.pdf */
	char		*pdf;		/* OUT-relative piece PDF */
	size_t		 volume;	/* 1-based print file, 0: none */
	size_t		 first, pages, sheets;	/* in that file */
};

struct mailrun {
	const struct policy	*policy;
	struct outdir		*out;
	bool			 check_only;
	const char *const	*reissue;
	size_t			 nreissue;
	struct mailstate	*ms;		/* NULL: none to read */
	pthread_mutex_t		 mu;		/* ms and recs */
	struct piece_rec	**recs;		/* per input: up to 2 */
	size_t			*nrecs;
	size_t			 ninputs;
	char			**volumes;	/* print files written */
	size_t			 nvolumes;
	unsigned		 shard_k, shard_n;	/* n 0: unsharded */
	char			*stem;		/* "notices", "notices-K-of-N" */
	char			*manifest;	/* manifest name in mail/ */
	/* How mailrun_finish() ended, for mailrun_outcome(). */
	enum run_ending		 ending;
	size_t			 out_pieces;
	char			*out_dir;	/* OUT/mail */
};

static bool
is_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

struct mailrun *
mailrun_open(const struct policy *p, struct outdir *out, bool check_only,
    const char *const *reissue, size_t nreissue, size_t ninputs,
    unsigned shard_k, unsigned shard_n, char **err)
{
	struct mailrun *mr = xcalloc(1, sizeof(*mr));
	char *path = p->mail_state[0] ? xstrdup(p->mail_state) :
	    xasprintf("%s/.mail-state", outdir_path(out));

	/* A shard keeps its own state (and lock): PATH.K-of-N. */
	if (shard_n > 0) {
		char *sp = xasprintf("%s.%u-of-%u", path, shard_k, shard_n);

		free(path);
		path = sp;
	}
	mr->shard_k = shard_k;
	mr->shard_n = shard_n;
	mr->stem = shard_n == 0 ? xstrdup("notices") : xasprintf(
	    "notices-%u-of-%u", shard_k, shard_n);
	mr->manifest = shard_file_name("manifest", "csv", shard_k, shard_n);
	mr->out_dir = xasprintf("%s/mail", outdir_path(out));
	mr->ending = check_only ? RUN_END_CHECK_ONLY : RUN_END_NO_NEW_PIECE;

	mr->policy = p;
	mr->out = out;
	mr->check_only = check_only;
	mr->reissue = reissue;
	mr->nreissue = nreissue;
	mr->ninputs = ninputs;
	pthread_mutex_init(&mr->mu, NULL);
	mr->recs = xcalloc(ninputs + 1, sizeof(*mr->recs));
	mr->nrecs = xcalloc(ninputs + 1, sizeof(*mr->nrecs));
	/* --check-only never creates or changes the state. */
	if (!check_only || is_file(path)) {
		mr->ms = mailstate_open(path, err);
		if (mr->ms == NULL) {
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
	for (size_t i = 0; i < mr->ninputs; i++) {
		for (size_t k = 0; k < mr->nrecs[i]; k++) {
			struct piece_rec *r = &mr->recs[i][k];

			free(r->case_id);
			free(r->name);
			free(r->address);
			free(r->enclosures);
			free(r->pdf);
		}
		free(mr->recs[i]);
	}
	free(mr->recs);
	free(mr->nrecs);
	free(mr->out_dir);
	for (size_t i = 0; i < mr->nvolumes; i++)
		free(mr->volumes[i]);
	free(mr->volumes);
	free(mr->stem);
	free(mr->manifest);
	mailstate_close(mr->ms);
	pthread_mutex_destroy(&mr->mu);
	free(mr);
}

void
mailrun_prepare(struct mailrun *mr, struct case_doc *c, struct case_mail *cm)
{
	unsigned long serial;
	int32_t service;

	memset(cm, 0, sizeof(*cm));
	cm->case_on = c->service.on;
	cm->n = mail_pieces(c, mr->policy, cm->pieces);
	/* Only the original's mailing serves the subject: counsel's copy
	 * of a notice served in person does not move its date. */
	if (mr->ms == NULL || cm->n == 0 || cm->pieces[0].copy != 0)
		return;
	pthread_mutex_lock(&mr->mu);
	if (mailstate_find(mr->ms, c->id, cm->pieces[0].recipient, &serial,
	    &service))
		c->service.on = service;	/* the first service date holds */
	pthread_mutex_unlock(&mr->mu);
}

/* Whether an earlier run issued this piece. */
static bool
in_state(struct mailrun *mr, const struct case_doc *c,
    const struct mail_piece *pc)
{
	unsigned long serial;
	int32_t on;
	bool yes;

	if (mr->ms == NULL)
		return false;
	pthread_mutex_lock(&mr->mu);
	yes = mailstate_find(mr->ms, c->id, pc->recipient, &serial, &on);
	pthread_mutex_unlock(&mr->mu);
	return yes;
}

/*
 * Each piece's service date and the deadline it prints: the date the
 * state recorded when an earlier run issued it, else service/@on, else
 * the as-of date (the run that issues it mails it); counsel's copy of a
 * notice served in person is mailed on the later of @on and the as-of
 * date, and prints the personal service's deadline.
 */
static void
date_pieces(struct mailrun *mr, const struct case_doc *c,
    const struct evaluation *ev, int32_t as_of, struct case_mail *cm)
{
	pthread_mutex_lock(&mr->mu);
	for (size_t k = 0; k < cm->n; k++) {
		struct mail_piece *pc = &cm->pieces[k];
		unsigned long serial;
		int32_t on = DATE_NONE;

		if (c->service.method == SERVICE_PERSONAL) {
			pc->service = c->service.on != DATE_NONE &&
			    c->service.on > as_of ? c->service.on : as_of;
			pc->due = ev->response_due;
		} else {
			/* A piece first issued now (counsel's copy of a
			 * notice mailed earlier, say) is served now. */
			pc->service = cm->case_on != DATE_NONE ? cm->case_on :
			    as_of;
			pc->due = rules_deadline(c, mr->policy, pc->service);
		}
		if (mr->ms != NULL && mailstate_find(mr->ms, c->id,
		    pc->recipient, &serial, &on) && on != DATE_NONE) {
			pc->service = on;
			if (c->service.method != SERVICE_PERSONAL)
				pc->due = rules_deadline(c, mr->policy, on);
		}
	}
	pthread_mutex_unlock(&mr->mu);
}

void
mailrun_check(struct mailrun *mr, const struct case_doc *c,
    struct evaluation *ev, const struct rules_context *rc,
    const struct measure *m, struct case_mail *cm)
{
	bool added = false;

	date_pieces(mr, c, ev, rc->as_of, cm);
	/* The subject was served on the date the state recorded; a case
	 * that now says another day does not change it. */
	for (size_t k = 0; k < cm->n; k++) {
		const struct mail_piece *pc = &cm->pieces[k];
		char was[11], now[11];

		if (pc->copy != 0 || cm->case_on == DATE_NONE ||
		    pc->service == cm->case_on || !in_state(mr, c, pc))
			continue;
		date_format_iso(pc->service, was);
		date_format_iso(cm->case_on, now);
		findings_add(&ev->findings, DIAG_SERVICE_DATE_CHANGED,
		    c->service.line, "The notice was issued with the service "
		    "date %s; the case now says %s. The issued date stands on "
		    "the notice and for its deadline.", was, now);
	}

	for (size_t k = 0; k < cm->n; k++) {
		struct mail_piece *pc = &cm->pieces[k];
		struct finding *f;
		char why[160];

		if (mail_fits(pc, mr->policy, m, why, sizeof(why)))
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
}

/* Ids compare ignoring ASCII case, as everywhere in a run. */
static bool
reissued(const struct mailrun *mr, const char *id)
{
	for (size_t i = 0; i < mr->nreissue; i++)
		if (strcasecmp(mr->reissue[i], id) == 0)
			return true;
	return false;
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
		unsigned long serial = 0;
		int32_t service;

		if (cm->withheld & (1u << pc->copy))
			continue;
		cm->is_new[k] = mr->ms == NULL || !mailstate_find(mr->ms,
		    c->id, pc->recipient, &serial, &service);
		if (cm->is_new[k] && !mr->check_only)
			/* A shard takes serials of its class only: K, K+N,
			 * ... */
			serial = mr->shard_n == 0 ? mailstate_issue(mr->ms,
			    c->id, pc->recipient, pc->service) :
			    mailstate_issue_in_class(mr->ms, c->id,
			    pc->recipient, pc->service, mr->shard_k,
			    mr->shard_n);
		if (serial > 0)
			mail_set_serial(pc, mr->policy, serial);
	}
	pthread_mutex_unlock(&mr->mu);
}

static char *
joined_lines(const struct usps_block *b)
{
	struct buf out = BUF_INIT;

	for (size_t i = 1; i < b->n; i++)
		buf_addf(&out, "%s%s", i > 1 ? " | " : "", b->lines[i]);
	return buf_detach(&out);
}

void
mailrun_record(struct mailrun *mr, size_t i, const struct case_doc *c,
    const struct evaluation *ev, const struct case_mail *cm)
{
	struct piece_rec *v;
	size_t n = 0;

	/* --check-only writes no manifest: nothing to remember. */
	if (mr->check_only || !(ev->generated & DOC_BIT(DOC_NOTICE)) ||
	    cm->n == 0)
		return;
	v = xcalloc(cm->n, sizeof(*v));
	for (size_t k = 0; k < cm->n; k++) {
		const struct mail_piece *pc = &cm->pieces[k];
		struct piece_rec *r = &v[n];
		struct buf enc = BUF_INIT;
		char file[MAIL_FILE_SIZE];

		if (cm->withheld & (1u << pc->copy))
			continue;
		n++;
		r->case_id = xstrdup(c->id);
		r->recipient = pc->recipient;
		r->name = xstrdup(pc->block.n > 0 ? pc->block.lines[0] : "");
		r->address = joined_lines(&pc->block);
		snprintf(r->zip, sizeof(r->zip), "%s", pc->block.zip);
		if (pc->barcode && pc->serial > 0) {
			memcpy(r->tracking, pc->tracking, sizeof(r->tracking));
			memcpy(r->routing, pc->routing, sizeof(r->routing));
			memcpy(r->bars, pc->bars, sizeof(r->bars));
		}
		for (size_t e = 0; e < c->iw.nenclosures; e++)
			buf_addf(&enc, "%s%s", e ? "; " : "",
			    c->iw.enclosures[e].title);
		r->enclosures = buf_detach(&enc);
		if (pc->due != DATE_NONE)
			date_format_iso(pc->due, r->due);
		r->is_new = cm->is_new[k];
		r->print = !mr->check_only && (r->is_new ||
		    reissued(mr, c->id));
		mail_piece_file(pc, file);
		r->pdf = xasprintf("%s/%s", c->id, file);
	}
	mr->recs[i] = v;
	mr->nrecs[i] = n;
}

static int
cmp_print(const void *a, const void *b)
{
	const struct piece_rec *x = *(struct piece_rec *const *)a;
	const struct piece_rec *y = *(struct piece_rec *const *)b;
	int d;

	/* ZIP order for presort; foreign pieces (no ZIP) last. */
	if ((x->zip[0] == '\0') != (y->zip[0] == '\0'))
		return x->zip[0] == '\0' ? 1 : -1;
	if ((d = strcmp(x->zip, y->zip)) != 0)
		return d;
	if ((d = strcmp(x->case_id, y->case_id)) != 0)
		return d;
	return strcmp(x->recipient, y->recipient);
}

/* A manifest cell: the summary's CSV rules, then , or the row's end. */
static void
csv(struct buf *b, const char *s, bool last)
{
	report_csv_field(b, s);
	buf_adds(b, last ? "\r\n" : ",");
}

static int
write_manifest(struct mailrun *mr, size_t done)
{
	struct buf b = BUF_INIT;
	char *err = NULL, pages[48], sheets[16];
	int status = 0;

	buf_adds(&b, "case,recipient,name,address,zip,tracking,routing,bars,"
	    "pages,sheets,enclosures,response_due,status,print_file\r\n");
	for (size_t i = 0; i < done; i++)
		for (size_t k = 0; k < mr->nrecs[i]; k++) {
			const struct piece_rec *r = &mr->recs[i][k];
			const char *file = "";

			pages[0] = sheets[0] = '\0';
			if (r->print && r->pages > 0 && r->volume > 0 &&
			    r->volume <= mr->nvolumes) {
				file = mr->volumes[r->volume - 1];
				snprintf(pages, sizeof(pages), "%zu-%zu",
				    r->first, r->first + r->pages - 1);
				snprintf(sheets, sizeof(sheets), "%zu",
				    r->sheets);
			}
			csv(&b, r->case_id, false);
			csv(&b, r->recipient, false);
			csv(&b, r->name, false);
			csv(&b, r->address, false);
			csv(&b, r->zip, false);
			csv(&b, r->tracking, false);
			csv(&b, r->routing, false);
			csv(&b, r->bars, false);
			csv(&b, pages, false);
			csv(&b, sheets, false);
			csv(&b, r->enclosures, false);
			csv(&b, r->due, false);
			csv(&b, r->is_new ? "new" : "already-issued", false);
			csv(&b, file, true);
		}
	if (!outdir_write(mr->out, "mail", mr->manifest, b.ptr, b.len,
	    &err)) {
		fprintf(stderr, "rnpack: %s\n", err);
		free(err);
		status = 3;
	}
	buf_free(&b);
	return status;
}

/*
 * The print files.  A run's new pieces go into volumes of at most the
 * policy's printFile maxPieces, a print job of a size the mail room can
 * handle: mail/notices.pdf when they fit in one, else
 * mail/notices-vol1-of-3.pdf ... (a shard's: notices-K-of-N.pdf and
 * notices-K-of-N-vol1-of-3.pdf; the number padded to the width of the
 * count, so that the names sort in order).  Every volume is assembled
 * under a temporary name and synced first; only when all are complete
 * are they renamed into place.
 */
static char *
volume_name(const struct mailrun *mr, size_t k, size_t nvol)
{
	if (nvol == 1)
		return xasprintf("%s.pdf", mr->stem);
	return xasprintf("%s-vol%0*zu-of-%zu.pdf", mr->stem,
	    snprintf(NULL, 0, "%zu", nvol), k, nvol);
}

static const char *
skip_digits(const char *p)
{
	const char *s = p;

	while (*p >= '0' && *p <= '9')
		p++;
	return p > s ? p : NULL;
}

/* STEM.pdf or STEM-volN-of-M.pdf (another shard's files do not match). */
static bool
is_print_file(const struct mailrun *mr, const char *name)
{
	size_t len = strlen(mr->stem);
	const char *p = name + len;

	if (strncmp(name, mr->stem, len) != 0)
		return false;
	if (strcmp(p, ".pdf") == 0)
		return true;
	if (strncmp(p, "-vol", 4) != 0 || (p = skip_digits(p + 4)) == NULL ||
	    strncmp(p, "-of-", 4) != 0 || (p = skip_digits(p + 4)) == NULL)
		return false;
	return strcmp(p, ".pdf") == 0;
}

/*
 * ".NAME.tmp" for a print file NAME: where write_print_file() assembles
 * it.  One found after the volumes are renamed or given up was left by
 * a run killed in mid-write.
 */
static bool
is_print_tmp(const struct mailrun *mr, const char *name)
{
	size_t n = strlen(name);
	char *inner;
	bool yes;

	if (n < 6 || name[0] != '.' || strcmp(name + n - 4, ".tmp") != 0)
		return false;
	inner = xstrndup(name + 1, n - 5);
	yes = is_print_file(mr, inner);
	free(inner);
	return yes;
}

/*
 * Remove every print file that this run did not write: one left by an
 * earlier run must not be printed again by mistake.  A killed run's
 * half-assembled print file goes too: it holds the pieces' personal data.
 */
static void
remove_old_print_files(struct mailrun *mr)
{
	char *dir = xasprintf("%s/mail", outdir_path(mr->out));
	char **old = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		free(dir);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		bool keep = !is_print_file(mr, de->d_name) &&
		    !is_print_tmp(mr, de->d_name);

		for (size_t i = 0; i < mr->nvolumes && !keep; i++)
			keep = strcmp(de->d_name, mr->volumes[i]) == 0;
		if (keep)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			old = xreallocarray(old, cap, sizeof(*old));
		}
		old[n++] = xstrdup(de->d_name);
	}
	for (size_t i = 0; i < n; i++) {
		unlinkat(dirfd(d), old[i], 0);
		free(old[i]);
	}
	closedir(d);
	free(old);
	free(dir);
}

/* Assemble one volume at tmp, then make it 0640 and sync it. */
static bool
write_volume(struct mailrun *mr, struct piece_rec **v, size_t n,
    const char *tmp, char **err)
{
	struct print_item *items = xcalloc(n, sizeof(*items));
	char **paths = xcalloc(n, sizeof(*paths));
	char **titles = xcalloc(n, sizeof(*titles));
	bool ok;
	int fd;

	for (size_t i = 0; i < n; i++) {
		paths[i] = xasprintf("%s/%s", outdir_path(mr->out), v[i]->pdf);
		titles[i] = xasprintf("%s %s (%s)", v[i]->zip[0] ? v[i]->zip :
		    "foreign", v[i]->case_id, v[i]->recipient);
		items[i].path = paths[i];
		items[i].title = titles[i];
		items[i].case_id = v[i]->case_id;
	}
	ok = printfile_assemble(items, n, tmp, err);
	if (ok && (chmod(tmp, 0640) != 0 ||
	    (fd = open(tmp, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fsync(fd) != 0 || close(fd) != 0)) {
		*err = xstrdup(strerror(errno));
		ok = false;
	}
	for (size_t i = 0; i < n; i++) {
		v[i]->first = items[i].first;
		v[i]->pages = items[i].pages;
		v[i]->sheets = items[i].sheets;
		free(paths[i]);
		free(titles[i]);
	}
	free(paths);
	free(titles);
	free(items);
	return ok;
}

static int
write_print_file(struct mailrun *mr, struct piece_rec **v, size_t n)
{
	size_t per = mr->policy->print_max_pieces > 0 ?
	    (size_t)mr->policy->print_max_pieces : POLICY_PRINT_MAX_PIECES;
	size_t nvol = (n + per - 1) / per, made = 0;
	char *dir = xasprintf("%s/mail", outdir_path(mr->out));
	char **names = xcalloc(nvol, sizeof(*names));
	char **tmps = xcalloc(nvol, sizeof(*tmps));
	char *err = NULL;
	int status = 0;

	mkdir(dir, 0750);
	for (size_t k = 0; k < nvol; k++) {
		size_t lo = k * per, m = n - lo < per ? n - lo : per;

		names[k] = volume_name(mr, k + 1, nvol);
		tmps[k] = xasprintf("%s/.%s.tmp", dir, names[k]);
		if (!write_volume(mr, v + lo, m, tmps[k], &err)) {
			fprintf(stderr, "rnpack: mail/%s: %s\n", names[k], err);
			free(err);
			unlink(tmps[k]);
			status = 3;
			break;
		}
		for (size_t i = lo; i < lo + m; i++)
			v[i]->volume = k + 1;
		made++;
	}
	for (size_t k = 0; k < made && status == 0; k++) {
		char *final = xasprintf("%s/%s", dir, names[k]);

		if (rename(tmps[k], final) != 0) {
			fprintf(stderr, "rnpack: cannot write %s: %s\n", final,
			    strerror(errno));
			status = 3;
		}
		free(final);
	}
	if (status == 0) {
		mr->volumes = names;
		mr->nvolumes = nvol;
		if (nvol > 1)
			fprintf(stderr, "rnpack: %zu new mail pieces in %zu "
			    "print files of at most %zu: mail/%s to mail/%s\n",
			    n, nvol, per, names[0], names[nvol - 1]);
	} else {
		/* All or nothing: the manifest then shows no pages. */
		for (size_t i = 0; i < n; i++)
			v[i]->volume = 0;
		for (size_t k = 0; k < made; k++)
			unlink(tmps[k]);
		for (size_t k = 0; k < nvol; k++)
			free(names[k]);
		free(names);
	}
	remove_old_print_files(mr);
	for (size_t k = 0; k < nvol; k++)
		free(tmps[k]);
	free(tmps);
	free(dir);
	return status;
}

int
mailrun_finish(struct mailrun *mr, size_t done)
{
	struct piece_rec **v;
	size_t n = 0, total = 0;
	char *err = NULL;
	int status = 0, s;

	if (mr->check_only)
		return 0;
	for (size_t k = 0; k < mr->nreissue; k++) {
		bool seen = false;

		for (size_t i = 0; i < done && !seen; i++)
			for (size_t j = 0; j < mr->nrecs[i]; j++)
				seen |= strcasecmp(mr->recs[i][j].case_id,
				    mr->reissue[k]) == 0;
		if (!seen)
			fprintf(stderr, "rnpack: --reissue %s: no mail piece of "
			    "that case in this run\n", mr->reissue[k]);
	}
	if (mr->ms != NULL && !mailstate_save(mr->ms, &err)) {
		fprintf(stderr, "rnpack: mail state: %s\n", err);
		free(err);
		status = 3;
	}
	for (size_t i = 0; i < done; i++)
		total += mr->nrecs[i];
	v = xcalloc(total + 1, sizeof(*v));
	for (size_t i = 0; i < done; i++)
		for (size_t k = 0; k < mr->nrecs[i]; k++)
			if (mr->recs[i][k].print)
				v[n++] = &mr->recs[i][k];
	mr->out_pieces = n;
	if (n == 0) {
		remove_old_print_files(mr);
		fputs("rnpack: no new mail piece in this run: no print file "
		    "written\n", stderr);
		mr->ending = RUN_END_NO_NEW_PIECE;
	}
	else {
		qsort(v, n, sizeof(*v), cmp_print);
		s = write_print_file(mr, v, n);
		mr->ending = s == 0 ? RUN_END_JOB : RUN_END_NOT_WRITTEN;
		if (s > status)
			status = s;
	}
	if (total > 0 && (s = write_manifest(mr, done)) > status)
		status = s;
	free(v);
	return status;
}

int
mailrun_outcome(const struct mailrun *mr, struct run_outcome *o)
{
	/* Today's print side: the print files in OUT/mail; it holds back
	 * no piece (sample office, translator) yet. */
	o->ending = mr->ending;
	o->pieces = mr->ending == RUN_END_JOB ||
	    mr->ending == RUN_END_NOT_WRITTEN ? mr->out_pieces : 0;
	o->files = mr->ending == RUN_END_JOB ? mr->nvolumes : 0;
	o->dir = mr->out_dir;
	o->held = 0;
	return (int)o->ending;
}

size_t
mailrun_pieces(const struct mailrun *mr, size_t i)
{
	return mr->check_only || i >= mr->ninputs ? 0 : mr->nrecs[i];
}
