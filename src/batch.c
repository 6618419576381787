/*
 * batch.c - the batch loop: inputs -> load -> check -> report.
 *
 * Cases are independent and run on -j worker threads.  Two things need
 * input order whatever the threads do: duplicate ids (the first input
 * with an id keeps it) and the console and summary order.  Registration
 * of ids therefore waits for the previous input's turn, and lines are
 * printed as soon as every earlier input is done.  Nothing is carried
 * from one case to the next except the set of ids seen.
 *
 * Resuming.  A full run writes a case's files in this order: packet.pdf,
 * the mail pieces and report.json (each to a temporary name, synced,
 * renamed), then OUT/<id>/.rendered.sha256: a comment line naming the
 * program (the SHA-256 of its executable: a rebuild renders again), then
 * `sha256sum` lines of those files, with before report.json's a comment
 * line with the digest of the report without its "pieces" (their states
 * change from run to run; that digest is what a later run compares).  A
 * report that lists a new or reprinted mail piece, and its proof, are
 * written only once the print job is committed or rolled back (mailrun.h).  Every run still loads and evaluates
 * each case; when the proof names this program and the report it would
 * write, packet.pdf and every mail piece the case would write are all
 * there with the digests it names, the case is not rendered again
 * (report.json holds the version, the as-of date and the digests of
 * input, templates, fonts and policy, so any change there changes its
 * digest).  Since every file is checked against it,
 * the proof is only a hint: a proof left from an earlier run cannot
 * vouch for files written since, a lost or damaged one (it is not
 * synced) only means the case is rendered again, and a run killed
 * between two files leaves a case that is simply rendered again.
 * Everything else (console line, summary, mail state, print file) is as
 * if the case had been rendered.  --check-only never writes
 * .rendered.sha256, so a report it rewrites cannot vouch for a packet.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rnpack/batch.h"
#include "rnpack/buf.h"
#include "rnpack/case.h"
#include "rnpack/court.h"
#include "rnpack/date.h"
#include "rnpack/digest.h"
#include "rnpack/diag.h"
#include "rnpack/encset.h"
#include "rnpack/htmlindex.h"
#include "rnpack/intake.h"
#include "rnpack/layout.h"
#include "rnpack/mailrun.h"
#include "rnpack/mailstate.h"
#include "rnpack/outdir.h"
#include "rnpack/packet.h"
#include "rnpack/policy.h"
#include "rnpack/report.h"
#include "rnpack/rules.h"
#include "rnpack/shard.h"
#include "rnpack/xalloc.h"

struct input {
	char	*path;
	char	*problem;	/* why it cannot be read at all, or NULL */
	size_t	 pos;		/* in the whole input list (before --shard) */
};

struct inputs {
	struct input	*v;
	size_t		 n;
	size_t		 cap;
};

/* Case ids seen so far, folded to lower case (open addressing). */
struct idset {
	char	**slot;
	size_t	  cap;
	size_t	  n;
};

/* The faces of packet_font_paths. */
/* Faces listed in a case's report: DejaVu's four and the scripts'. */
#define CASE_MAX_FONTS	64

struct run {
	const struct batch_options	*opt;
	struct outdir			*out;
	struct inputs			 in;
	struct run_entry		*entries;
	char				**lines;	/* console text */
	enum exit_level			*status;	/* exit level each */
	pthread_mutex_t			 mu;
	pthread_cond_t			 turn;
	size_t				 next_take;
	size_t				 next_register;
	size_t				 next_print;
	struct idset			 ids;
	struct rules_context		 rc;
	struct mailrun			*mail;
	struct shard_index		 shard;		/* --shard only */
	size_t				 cases;	/* that got a report.json */
	size_t				 kept;	/* of them, not rendered anew */
	/* The progress line (opt->progress): drawn by the ticker thread,
	 * which also prints the case lines then, under mu. */
	pthread_cond_t			 tick;
	bool				 ticking;
	struct timespec			 t0;	/* CLOCK_MONOTONIC */
	size_t				 nstatus[CASE_INVALID + 1];
	/* First line of every proof: "# rnpack build HEX\n" naming the
	 * program (a comment to sha256sum -c), or "" when not known. */
	char				*proof_head;
	/* The font faces every packet embeds, for report.json. */
	/* Reports (and proofs) that list new or reprinted pieces wait for
	 * the print job's commit or rollback: per input, or NULL. */
	struct deferred			**deferred;
};

/*
 * A report waiting for the job: its text (without the pieces) waits in
 * the case folder as PENDING_REPORT, not in memory (10,000 cases would
 * hold some 30 MB); a killed run's is a temporary outdir_clean() removes.
 */
struct deferred {
	char	*id;
	char	*sums;		/* the proof so far; NULL: kept */
	bool	 spilled;	/* PENDING_REPORT written */
};

#define TICK_MS		100	/* progress redrawn 10 times a second */

#define RENDERED	".rendered.sha256"	/* see the top of this file */
/* A packet or mail piece larger than this is rendered again, not read. */
#define MAX_KEPT_FILE	(64u * 1024 * 1024)
#define REPORT_MAX	(64u * 1024 * 1024)	/* report.json read back */
/* The proof's comment line with the digest of the report before its
 * "pieces" are added (a comment, so sha256sum -c skips it). */
#define CORE_SUM	"# report without pieces "
#define PENDING_REPORT	".tmp.0.report"	/* see struct deferred */

/* Besides the shard files of shard_is_run_file(). */
static const char *const reserved_ids[] = { "mail", "summary.json",
	"summary.csv", "index.html", NULL };

/* ------------------------------------------------------------------ */

static void
add_input(struct inputs *in, char *path, char *problem)
{
	if (in->n == in->cap) {
		in->cap = in->cap ? in->cap * 2 : 64;
		in->v = xreallocarray(in->v, in->cap, sizeof(*in->v));
	}
	in->v[in->n].path = path;
	in->v[in->n].problem = problem;
	in->v[in->n].pos = in->n;
	in->n++;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
is_xml_name(const char *name)
{
	size_t n = strlen(name);

	/* Hidden files (editor backups, our own temporaries) are skipped. */
	return name[0] != '.' && n > 4 && strcmp(name + n - 4, ".xml") == 0;
}

/* A folder gives its *.xml entries in byte order of their names. */
static void
collect(const char *arg, struct inputs *in)
{
	struct stat st;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	DIR *d;

	if (stat(arg, &st) != 0 || !S_ISDIR(st.st_mode)) {
		add_input(in, xstrdup(arg), NULL);
		return;
	}
	if ((d = opendir(arg)) == NULL) {
		add_input(in, xstrdup(arg), xasprintf("cannot read the "
		    "folder: %s", strerror(errno)));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (!is_xml_name(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n == 0) {
		/* Not an error (an empty folder is an empty run), but a
		 * clerk who gave the wrong folder should know. */
		char *q = diag_quote(arg, 400);

		fprintf(stderr, "rnpack: %s: no case file (*.xml) in this "
		    "folder\n", q);
		free(q);
	}
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(arg);
		const char *sep = len > 0 && arg[len - 1] == '/' ? "" : "/";

		add_input(in, xasprintf("%s%s%s", arg, sep, names[i]), NULL);
		free(names[i]);
	}
	free(names);
}

/* ------------------------------------------------------------------ */

static char *
fold_id(const char *id)
{
	char *s = xstrdup(id);

	for (char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

static size_t
hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

/* Add id; false when it (case-insensitively) was there already. */
static bool
idset_add(struct idset *set, const char *id)
{
	char *key = fold_id(id);
	size_t i;

	if (2 * (set->n + 1) > set->cap) {
		struct idset big = { NULL, set->cap ? set->cap * 2 : 256, 0 };

		big.slot = xcalloc(big.cap, sizeof(*big.slot));
		for (size_t k = 0; k < set->cap; k++) {
			if (set->slot[k] == NULL)
				continue;
			for (i = hash(set->slot[k]) % big.cap; big.slot[i];
			    i = (i + 1) % big.cap)
				;
			big.slot[i] = set->slot[k];
			big.n++;
		}
		free(set->slot);
		*set = big;
	}
	for (i = hash(key) % set->cap; set->slot[i]; i = (i + 1) % set->cap)
		if (strcmp(set->slot[i], key) == 0) {
			free(key);
			return false;
		}
	set->slot[i] = key;
	set->n++;
	return true;
}

static void
idset_free(struct idset *set)
{
	for (size_t k = 0; k < set->cap; k++)
		free(set->slot[k]);
	free(set->slot);
}

static bool
is_reserved(const char *id)
{
	char *key = fold_id(id);
	bool r = false;

	for (int i = 0; reserved_ids[i] != NULL; i++)
		r |= strcmp(key, reserved_ids[i]) == 0;
	r |= shard_is_run_file(key);
	free(key);
	return r;
}

/* ------------------------------------------------------------------ */

static void
set_invalid(struct run_entry *e, enum diag_code code, unsigned line,
    const char *case_id, const char *message, bool plain)
{
	e->status = CASE_INVALID;
	e->plain = plain;
	if (case_id != NULL) {
		free(e->case_id);
		e->case_id = xstrdup(case_id);
	}
	findings_add(&e->findings, code, line, "%s", message);
}

/*
 * Wait for input i's turn and decide whether its id may be used; if so,
 * give its mail pieces their serials.  Returns NULL when it may, else
 * why not (static text).
 */
static const char *
register_id(struct run *r, size_t i, const struct case_doc *c,
    const struct evaluation *ev, struct case_mail *cm)
{
	const char *why = NULL;

	pthread_mutex_lock(&r->mu);
	while (r->next_register != i)
		pthread_cond_wait(&r->turn, &r->mu);
	if (c != NULL) {
		if (is_reserved(c->id))
			why = "is reserved for the run's own files";
		else if (!idset_add(&r->ids, c->id))
			why = "was already used by an earlier input in this "
			    "run (ids are compared ignoring letter case)";
		else	/* serials are handed out in input order */
			mailrun_allocate(r->mail, c, ev, cm);
	}
	r->next_register++;
	pthread_cond_broadcast(&r->turn);
	pthread_mutex_unlock(&r->mu);
	return why;
}

/*
 * Append to b every finished line that no earlier input is holding up,
 * counting statuses for the progress line.  Called with mu held.
 */
static void
take_lines(struct run *r, struct buf *b)
{
	while (r->next_print < r->in.n && r->lines[r->next_print] != NULL) {
		buf_adds(b, r->lines[r->next_print]);
		r->nstatus[r->entries[r->next_print].status]++;
		/* Only lines waiting for an earlier input are kept. */
		free(r->lines[r->next_print]);
		r->lines[r->next_print] = NULL;
		r->next_print++;
	}
}

/* Print the finished lines; with a progress line, the ticker does. */
static void
finish(struct run *r, size_t i, char *line)
{
	struct buf b = BUF_INIT;

	pthread_mutex_lock(&r->mu);
	r->lines[i] = line;
	if (!r->ticking) {
		take_lines(r, &b);
		fputs(b.ptr, stderr);
	}
	pthread_mutex_unlock(&r->mu);
	buf_free(&b);
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
add_duration(struct buf *b, double s)
{
	long t = (long)(s + 0.5);

	if (t >= 3600)
		buf_addf(b, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		buf_addf(b, "%ld:%02ld", t / 60, t % 60);
}

/*
 * One redraw, with mu held: erase the progress line, print the case
 * lines that are ready, and (unless last) draw it again, cut to the
 * terminal's width so that it never wraps (a wrapped line could not be
 * erased with \r).  ASCII only, so bytes are columns.
 */
static void
draw_progress(struct run *r, bool last)
{
	struct buf b = BUF_INIT, p = BUF_INIT;
	struct winsize ws;
	size_t cols = 80, done;
	double secs, rate;

	buf_adds(&b, "\r\033[K");
	take_lines(r, &b);
	if (!last) {
		done = r->next_print;
		secs = seconds_since(&r->t0);
		rate = secs > 0 ? (double)done / secs : 0;
		buf_addf(&p, "%zu/%zu cases, %.1f/s, ETA ", done, r->in.n,
		    rate);
		if (done == r->in.n)
			buf_adds(&p, "0:00");
		else if (rate > 0)
			add_duration(&p, (double)(r->in.n - done) / rate);
		else
			buf_adds(&p, "-:--");
		buf_addf(&p, ": %zu complete, %zu partial, %zu blocked, "
		    "%zu invalid", r->nstatus[CASE_COMPLETE],
		    r->nstatus[CASE_PARTIAL], r->nstatus[CASE_BLOCKED],
		    r->nstatus[CASE_INVALID]);
		if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 &&
		    ws.ws_col > 1)
			cols = ws.ws_col;
		buf_add(&b, p.ptr, p.len < cols - 1 ? p.len : cols - 1);
	}
	fwrite(b.ptr, 1, b.len, stderr);
	fflush(stderr);
	buf_free(&b);
	buf_free(&p);
}

/* The ticker thread: a redraw every TICK_MS until ticking is false. */
static void *
ticker(void *arg)
{
	struct run *r = arg;

	pthread_mutex_lock(&r->mu);
	while (r->ticking) {
		struct timespec until;

		draw_progress(r, false);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += TICK_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		while (r->ticking && pthread_cond_timedwait(&r->tick, &r->mu,
		    &until) == 0)
			;
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

/* sha256sum's line for data written as name. */
static void
add_sum(struct buf *sums, const char *name, const void *data, size_t len)
{
	char hex[DIGEST_HEX_SIZE];

	digest_sha256_hex(data, len, hex);
	buf_addf(sums, "%s  %s\n", hex, name);
}

/* Both mail piece names a case folder may hold. */
static const char *const piece_files[] = { "mail-subject.pdf",
	"mail-counsel.pdf", NULL };

/*
 * Render and write OUT/<id>/packet.pdf and the mail pieces.  A
 * libharu failure becomes a pdf-render-failed finding on the case (no
 * packet is written, and one from an earlier run is removed); a write
 * failure is reported on the console line.  Pieces the case no longer
 * mails are removed.  sums gets a sha256sum line per file written.
 * Returns an exit status.
 */
static enum exit_level
write_packet(struct run *r, const struct case_doc *c, struct evaluation *ev,
    const struct case_mail *cm, struct buf *line, struct buf *sums)
{
	struct buf pdf = BUF_INIT, pieces[MAIL_MAX_PIECES];
	struct packet_mail pm = { cm->pieces, cm->n, cm->withheld, pieces,
		cm->enclosures };
	char *err = NULL;
	bool written[MAIL_MAX_PIECES] = { false };
	enum exit_level status = EXIT_COMPLETE;

	for (size_t k = 0; k < MAIL_MAX_PIECES; k++)
		buf_init(&pieces[k]);
	if (!packet_build(r->opt->packet, c, ev, r->opt->policy,
	    r->opt->as_of, &pm, &pdf, &err)) {
		struct finding *f = findings_add(&ev->findings,
		    DIAG_PDF_RENDER_FAILED, 0, "The packet could not be "
		    "rendered: %s.", err);

		f->blocks = rules_withholds(c, f->blocks);
		ev->generated = 0;
		ev->status = CASE_BLOCKED;
		ev->response_due = DATE_NONE;
		status = EXIT_OUTPUT;
		outdir_remove(r->out, c->id, "packet.pdf");
	} else if (!outdir_write(r->out, c->id, "packet.pdf", pdf.ptr,
	    pdf.len, &err)) {
		buf_addf(line, "rnpack: %s\n", err);
		status = EXIT_OUTPUT;
		/* An older packet must not pass for this report's. */
		outdir_remove(r->out, c->id, "packet.pdf");
	} else
		add_sum(sums, "packet.pdf", pdf.ptr, pdf.len);
	/* Each mail piece as its own PDF, for the print file. */
	for (size_t k = 0; k < cm->n && status == EXIT_COMPLETE; k++) {
		char name[MAIL_FILE_SIZE];

		if (pieces[k].len == 0)
			continue;
		mail_piece_file(&cm->pieces[k], name);
		free(err);
		err = NULL;
		if (!outdir_write(r->out, c->id, name, pieces[k].ptr,
		    pieces[k].len, &err)) {
			buf_addf(line, "rnpack: %s\n", err);
			status = EXIT_OUTPUT;
			outdir_remove(r->out, c->id, name);
		} else {
			add_sum(sums, name, pieces[k].ptr, pieces[k].len);
			written[k] = true;
		}
	}
	/* A piece of an earlier run that this run does not mail (the
	 * notice is now withheld, counsel left the case) goes. */
	for (size_t j = 0; piece_files[j] != NULL; j++) {
		bool keep = false;

		for (size_t k = 0; k < cm->n; k++) {
			char name[MAIL_FILE_SIZE];

			mail_piece_file(&cm->pieces[k], name);
			keep |= written[k] && strcmp(name, piece_files[j]) == 0;
		}
		if (!keep)
			outdir_remove(r->out, c->id, piece_files[j]);
	}
	for (size_t k = 0; k < MAIL_MAX_PIECES; k++)
		buf_free(&pieces[k]);
	free(err);
	buf_free(&pdf);
	return status;
}

/* Whether OUT/<id>/name is there with the digest that sums names. */
static bool
has_sum(struct run *r, const char *id, const char *name,
    const struct buf *sums)
{
	struct buf file = BUF_INIT;
	char hex[DIGEST_HEX_SIZE], want[DIGEST_HEX_SIZE + 40];
	bool ok = outdir_read(r->out, id, name, MAX_KEPT_FILE, &file);

	if (ok) {
		digest_sha256_hex(file.ptr, file.len, hex);
		snprintf(want, sizeof(want), "%s  %s\n", hex, name);
		ok = strstr(sums->ptr, want) != NULL;
	}
	buf_free(&file);
	return ok;
}

/*
 * Whether the files of an earlier full run may stand for this run's
 * (see the top of this file): OUT/<id>/.rendered.sha256 names the digest
 * of json as report.json's, and packet.pdf and each mail piece the case
 * would write are there with the digests it names.  A piece that gets a
 * new barcode serial in this run is never kept: serials are not in
 * report.json.
 */
static bool
is_unchanged(struct run *r, const struct case_doc *c,
    const struct evaluation *ev, const struct case_mail *cm,
    const struct buf *json)
{
	struct buf sums = BUF_INIT;
	char want[DIGEST_HEX_SIZE + 32];
	bool ok;

	ok = outdir_read(r->out, c->id, RENDERED, 4096, &sums);
	if (ok) {
		char hex[DIGEST_HEX_SIZE];

		/* Rendered by this very program. */
		ok = strncmp(sums.ptr, r->proof_head,
		    strlen(r->proof_head)) == 0;

		/* The report without its pieces, whose states change from
		 * run to run ("new", then "already-issued"). */
		digest_sha256_hex(json->ptr, json->len, hex);
		snprintf(want, sizeof(want), CORE_SUM "%s\n", hex);
		/* report.json itself may differ (a --check-only run with
		 * another date): write_report() puts this run's back. */
		ok = ok && strstr(sums.ptr, want) != NULL &&
		    has_sum(r, c->id, "packet.pdf", &sums);
	}
	/* The pieces packet_build() renders: a generated notice with a
	 * template, each copy not withheld. */
	if (ok && (ev->generated & DOC_BIT(DOC_NOTICE)) &&
	    r->opt->packet->tmpl[DOC_NOTICE] != NULL)
		for (size_t k = 0; k < cm->n && ok; k++) {
			const struct mail_piece *pc = &cm->pieces[k];
			char name[MAIL_FILE_SIZE];

			if (cm->withheld & (1u << pc->copy))
				continue;
			mail_piece_file(pc, name);
			ok = !(cm->is_new[k] && pc->barcode) &&
			    has_sum(r, c->id, name, &sums);
		}
	buf_free(&sums);
	return ok;
}

/*
 * Last of a rendered case: OUT/<id>/.rendered.sha256.  Not synced, nor
 * the folder before it: is_unchanged() checks every file it names, so
 * a proof that outlives the files it names, or they it, vouches for
 * nothing.
 */
static bool
write_proof(struct run *r, const char *id, const struct buf *sums,
    struct buf *line)
{
	char *err = NULL;

	if (!outdir_write_unsynced(r->out, id, RENDERED, sums->ptr, sums->len,
	    &err)) {
		buf_addf(line, "rnpack: %s\n", err);
		free(err);
		return false;
	}
	return true;
}

/* Write report.json unless the same bytes are there already. */
static bool
write_report(struct run *r, const char *id, const struct buf *json,
    bool compare, char **err)
{
	if (compare) {
		struct buf old = BUF_INIT;
		bool same = outdir_read(r->out, id, "report.json", json->len,
		    &old) && old.len == json->len &&
		    memcmp(old.ptr, json->ptr, json->len) == 0;

		buf_free(&old);
		if (same)
			return true;
	}
	return outdir_write(r->out, id, "report.json", json->ptr, json->len,
	    err);
}

/* report.json with its "pieces" member (the mail side's) added. */
static void
add_pieces(struct run *r, size_t i, const char *core, size_t len,
    struct buf *out)
{
	static const char rnpack[] = ",\n  \"rnpack\": ";
	const char *at = strstr(core, rnpack);	/* core ends with a NUL */
	size_t end = len;

	/* Before "rnpack", which stays last; else before the final "}". */
	if (at != NULL)
		end = (size_t)(at - core);
	else {
		while (end > 0 && core[end - 1] != '}')
			end--;
		if (end > 0)
			end--;
		while (end > 0 && core[end - 1] == '\n')
			end--;
	}
	buf_reset(out);
	buf_add(out, core, end);
	buf_adds(out, ",\n  \"pieces\": ");
	mailrun_pieces_json(r->mail, i, out);
	buf_add(out, core + end, len - end);
}

/* The report and proof of input i once the pieces are settled. */
static enum exit_level
write_final_report(struct run *r, size_t i, const char *id, const char *core,
    size_t len, const char *sums_so_far, bool kept, struct buf *line)
{
	struct buf json = BUF_INIT, sums = BUF_INIT, own = BUF_INIT;
	struct buf *msg = line != NULL ? line : &own;
	char *werr = NULL, hex[DIGEST_HEX_SIZE];
	enum exit_level status = EXIT_COMPLETE;

	add_pieces(r, i, core, len, &json);
	if (!write_report(r, id, &json, kept, &werr)) {
		buf_addf(msg, "rnpack: %s\n", werr);
		free(werr);
		status = EXIT_OUTPUT;
	} else if (sums_so_far != NULL) {
		buf_adds(&sums, sums_so_far);
		digest_sha256_hex(core, len, hex);
		buf_addf(&sums, CORE_SUM "%s\n", hex);
		add_sum(&sums, "report.json", json.ptr, json.len);
		if (!write_proof(r, id, &sums, msg))
			status = EXIT_OUTPUT;
	}
	/* Without a case line (after the batch): straight to stderr. */
	fputs(own.ptr, stderr);
	buf_free(&json);
	buf_free(&sums);
	buf_free(&own);
	return status;
}

/* A deferred report, from the case folder's pending copy. */
static enum exit_level
write_deferred(struct run *r, size_t i, struct deferred *d)
{
	struct buf json = BUF_INIT;
	enum exit_level status;

	if (!d->spilled)
		return EXIT_OUTPUT;
	if (!outdir_read(r->out, d->id, PENDING_REPORT, REPORT_MAX, &json)) {
		fprintf(stderr, "rnpack: %s/%s/%s: cannot read it back\n",
		    outdir_path(r->out), d->id, PENDING_REPORT);
		buf_free(&json);
		return EXIT_OUTPUT;
	}
	status = write_final_report(r, i, d->id, json.ptr, json.len, d->sums,
	    d->sums == NULL, NULL);
	outdir_remove(r->out, d->id, PENDING_REPORT);
	buf_free(&json);
	return status;
}

/*
 * One input on its way through process(): load fills it, evaluate
 * judges it, emit writes what it earns.  Only load changes the case;
 * evaluate and emit see it read-only.
 */
struct case_work {
	size_t			 i;		/* the input */
	struct case_doc		*c;		/* NULL: invalid (err says why) */
	struct load_error	 err;
	struct case_mail	 cm;		/* its mail pieces */
	struct encset		 es;		/* its enclosure files */
	struct evaluation	 ev;		/* when c != NULL */
	const char		*refused;	/* why its id is refused */
	enum exit_level		 level;
	struct buf		 line;		/* its console text */
};

/* Read and check the input against the schema; its mail pieces and,
 * for a notice issued before, the service date that holds. */
static void
load(struct run *r, struct case_work *w)
{
	const struct input *in = &r->in.v[w->i];

	if (in->problem != NULL) {
		w->err.message = xstrdup(in->problem);
		return;
	}
	w->c = intake_load_case(r->opt->intake, in->path, r->opt->as_of,
	    &w->err);
	if (w->c != NULL) {
		mailrun_prepare(r->mail, w->c, &w->cm);
		/* The one change to the case after intake. */
		w->c->service.on = w->cm.service_on;
	}
}

/* The rules, the pieces' fit, and the case id taken in input order
 * (every input passes here, valid or not, to keep that order). */
static void
evaluate(struct run *r, struct case_work *w)
{
	const struct case_doc *c = w->c;

	if (c != NULL) {
		struct measure m = render_measure(&r->opt->packet->fonts);

		rules_evaluate(c, &r->rc, &w->ev);
		encset_check(&w->es, c, r->opt->policy, &w->ev.findings);
		rules_settle(c, &r->rc, &w->ev);
		w->cm.enclosures = &w->es;
		mailrun_check(r->mail, c, &w->ev, &r->rc, &m, &w->cm);
	}
	w->refused = register_id(r, w->i, c, c != NULL ? &w->ev : NULL,
	    &w->cm);
}

/* An input that is not a case, or whose id is refused. */
static void
emit_invalid(struct run *r, struct case_work *w)
{
	const struct input *in = &r->in.v[w->i];
	struct run_entry *e = &r->entries[w->i];

	if (w->c == NULL) {
		set_invalid(e, DIAG_INVALID_INPUT, w->err.line,
		    w->err.case_id, w->err.message ? w->err.message :
		    "cannot be read", w->err.plain || in->problem != NULL);
	} else {
		char *msg = xasprintf("the case id %s %s; this input is not "
		    "processed and the first one is untouched", w->c->id,
		    w->refused);

		set_invalid(e, DIAG_DUPLICATE_CASE_ID, w->c->id_line, w->c->id,
		    msg, true);
		free(msg);
	}
	w->level = EXIT_INVALID;
}

/* A case: its packet and pieces (unless kept from the last run), its
 * report now or once the print job is settled. */
static void
emit_case(struct run *r, struct case_work *w)
{
	const struct input *in = &r->in.v[w->i];
	const struct case_doc *c = w->c;
	struct evaluation *ev = &w->ev;
	struct buf json = BUF_INIT, sums = BUF_INIT;
	struct report_font fonts[CASE_MAX_FONTS];
	struct report_provenance prov = { r->opt->version, c->sha256,
		r->opt->packet->sha256, r->opt->policy->sha256, fonts,
		packet_case_fonts(r->opt->packet, c, fonts, CASE_MAX_FONTS) };
	bool full = !r->opt->check_only, kept = false;
	enum exit_level court = court_run(&(struct court_job){
	    r->opt->packet, r->opt->policy, &r->rc, r->opt->as_of,
	    full ? r->out : NULL, c, ev, &w->cm }, &w->line);

	report_case_json(&json, c, in->path, ev, r->opt->as_of, &prov);
	if (full) {
		/* A run killed in mid-write left these. */
		outdir_clean(r->out, c->id, true);
		/* Enclosure files are not in report.json: a case with any is
		 * rendered again every run. */
		kept = !r->opt->force && w->es.n == 0 &&
		    is_unchanged(r, c, ev, &w->cm, &json);
	}
	if (full && !kept) {
		buf_adds(&sums, r->proof_head);
		w->level = write_packet(r, c, ev, &w->cm, &w->line, &sums);
		/* A render failure changes the findings. */
		buf_reset(&json);
		report_case_json(&json, c, in->path, ev, r->opt->as_of, &prov);
	}
	mailrun_record(r->mail, w->i, c, ev, &w->cm,
	    w->level != EXIT_OUTPUT);
	run_entry_set_case(&r->entries[w->i], c->id, ev);
	if (w->level != EXIT_OUTPUT)
		w->level = exit_level_of_case(ev->status,
		    findings_has(&ev->findings, DIAG_ADDRESS_DOES_NOT_FIT));
	exit_raise(&w->level, court);
	if (full && mailrun_defers(r->mail, w->i)) {
		/* Written once the print job is settled. */
		struct deferred *d = xcalloc(1, sizeof(*d));
		char *werr = NULL;

		d->id = xstrdup(c->id);
		d->sums = kept || w->level == EXIT_OUTPUT ? NULL :
		    xstrdup(sums.ptr);
		d->spilled = outdir_write_unsynced(r->out, c->id,
		    PENDING_REPORT, json.ptr, json.len, &werr);
		if (!d->spilled) {
			buf_addf(&w->line, "rnpack: %s\n", werr);
			free(werr);
			w->level = EXIT_OUTPUT;
		}
		r->deferred[w->i] = d;
	} else {
		/* Kept: a --check-only run may have rewritten report.json
		 * since (another as-of date); the bytes must be this run's. */
		exit_raise(&w->level, write_final_report(r, w->i, c->id,
		    json.ptr, json.len, full && !kept &&
		    w->level != EXIT_OUTPUT ? sums.ptr : NULL, kept,
		    &w->line));
	}
	pthread_mutex_lock(&r->mu);
	r->cases++;
	r->kept += kept;
	pthread_mutex_unlock(&r->mu);
	buf_free(&json);
	buf_free(&sums);
}

/* What the input earns, and its console line. */
static void
emit(struct run *r, struct case_work *w)
{
	struct run_entry *e = &r->entries[w->i];

	if (w->c == NULL || w->refused != NULL)
		emit_invalid(r, w);
	else
		emit_case(r, w);
	/* --quiet: only the cases that need someone's attention. */
	if (!r->opt->quiet || w->level != EXIT_COMPLETE)
		report_console_line(&w->line, e, r->opt->verbose);
	r->status[w->i] = w->level;
}

/* Load, evaluate, emit one input; then free it and hand its line on. */
static void
process(struct run *r, size_t i)
{
	struct case_work w;

	memset(&w, 0, sizeof(w));
	w.i = i;
	w.level = EXIT_COMPLETE;
	w.es.ok = true;
	buf_init(&w.line);
	r->entries[i].source = xstrdup(r->in.v[i].path);
	findings_init(&r->entries[i].findings);

	load(r, &w);
	evaluate(r, &w);
	emit(r, &w);

	if (w.c != NULL)
		evaluation_free(&w.ev);
	mail_pieces_free(w.cm.pieces, w.cm.n);
	encset_free(&w.es);
	load_error_free(&w.err);
	case_free(w.c);
	finish(r, i, buf_detach(&w.line));
}

static void *
worker(void *arg)
{
	struct run *r = arg;

	intake_thread_init();
	for (;;) {
		size_t i;

		pthread_mutex_lock(&r->mu);
		if (*r->opt->stop || r->next_take >= r->in.n) {
			pthread_mutex_unlock(&r->mu);
			break;
		}
		i = r->next_take++;
		pthread_mutex_unlock(&r->mu);
		process(r, i);
	}
	return NULL;
}

/*
 * --shard K/N: keep the inputs of shard K, and remember how many inputs
 * the whole run has and a hash of their base names, so that the merge
 * can tell the shards of one run from strays (shard.h).
 */
static void
keep_shard(struct run *r)
{
	uint64_t h = SHARD_FNV_INIT;
	size_t kept = 0, len;

	for (size_t i = 0; i < r->in.n; i++) {
		struct input *in = &r->in.v[i];
		const char *base = shard_base_name(in->path, &len);

		h = shard_fnv1a(shard_fnv1a(h, base, len), "", 1);
		if (shard_of(in->path, r->opt->shard_n) == r->opt->shard_k)
			r->in.v[kept++] = *in;
		else {
			free(in->path);
			free(in->problem);
		}
	}
	r->shard.k = r->opt->shard_k;
	r->shard.n = r->opt->shard_n;
	r->shard.inputs = r->in.n;
	r->shard.list_hash = h;
	r->shard.selected = kept;
	r->shard.as_of = r->opt->as_of;
	r->in.n = kept;
}

static enum exit_level
write_summaries(struct run *r, size_t n)
{
	struct buf json = BUF_INIT, csv = BUF_INIT;
	char *err = NULL;
	char *jname = shard_file_name("summary", "json", r->opt->shard_k,
	    r->opt->shard_n);
	char *cname = shard_file_name("summary", "csv", r->opt->shard_k,
	    r->opt->shard_n);
	enum exit_level status = EXIT_COMPLETE;

	if (r->opt->shard_n > 0) {
		shard_summaries(&json, &csv, &r->shard, r->entries, n);
		for (size_t i = 0; i < n; i++)
			r->shard.v[i].pos = r->in.v[i].pos;
	} else {
		report_summary_json(&json, r->entries, n);
		report_summary_csv(&csv, r->entries, n);
	}
	if (!outdir_write(r->out, NULL, jname, json.ptr, json.len, &err) ||
	    !outdir_write(r->out, NULL, cname, csv.ptr, csv.len, &err)) {
		fprintf(stderr, "rnpack: %s\n", err);
		free(err);
		status = EXIT_OUTPUT;
	}
	buf_free(&json);
	buf_free(&csv);
	free(jname);
	free(cname);
	return status;
}

/*
 * OUT/index.html (a shard: index-K-of-N.html): the run at a glance for
 * a clerk, from the same entries as the summaries.
 */
static enum exit_level
write_index(struct run *r, size_t n)
{
	struct index_entry *v = xcalloc(n + 1, sizeof(*v));
	const char **pieces = xcalloc(HTMLINDEX_MAX_PIECES * n + 1,
	    sizeof(*pieces));
	char *name = shard_file_name("index", "html", r->opt->shard_k,
	    r->opt->shard_n), *title, *err = NULL, as_of[11];
	struct buf b = BUF_INIT;
	enum exit_level status = EXIT_COMPLETE;

	for (size_t i = 0; i < n; i++) {
		const struct run_entry *e = &r->entries[i];
		struct index_entry *x = &v[i];

		x->source = e->source;
		x->case_id = e->case_id;
		x->status = e->status;
		x->findings = &e->findings;
		htmlindex_find_files(x, outdir_real(r->out),
		    pieces + HTMLINDEX_MAX_PIECES * i);
	}
	date_format_iso(r->opt->as_of, as_of);
	title = xasprintf("rnpack run as of %s", as_of);
	htmlindex_write(&b, title, v, n);
	if (!outdir_write(r->out, NULL, name, b.ptr, b.len, &err)) {
		fprintf(stderr, "rnpack: %s\n", err);
		free(err);
		status = EXIT_OUTPUT;
	}
	buf_free(&b);
	free(title);
	free(name);
	free(pieces);
	free(v);
	return status;
}

/* Last file of a shard run: what the merge needs (shard.h). */
static enum exit_level
write_shard_index(struct run *r, enum exit_level status)
{
	struct buf b = BUF_INIT;
	char *name = shard_file_name("summary", "index", r->opt->shard_k,
	    r->opt->shard_n);
	char *err = NULL;

	for (size_t i = 0; i < r->shard.nv; i++)
		r->shard.v[i].pieces = mailrun_pieces(r->mail, i);
	r->shard.status = status;
	shard_index_write(&b, &r->shard);
	status = EXIT_COMPLETE;
	if (!outdir_write(r->out, NULL, name, b.ptr, b.len, &err)) {
		fprintf(stderr, "rnpack: %s\n", err);
		free(err);
		status = EXIT_OUTPUT;
	}
	buf_free(&b);
	free(name);
	return status;
}

/* The run's last line (report_totals_line()), also with --quiet. */
static void
print_totals(struct run *r, size_t given, size_t done)
{
	struct run_totals t;
	struct buf b = BUF_INIT;

	memset(&t, 0, sizeof(t));
	t.inputs = given;
	t.as_of = r->opt->as_of;
	for (size_t i = 0; i < done; i++)
		t.count[r->entries[i].status]++;
	mailrun_outcome(r->mail, &t.outcome);
	if (*r->opt->stop)
		t.outcome.ending = RUN_END_INTERRUPTED;
	report_totals_line(&b, &t);
	fputs(b.ptr, stderr);
	buf_free(&b);
}

enum exit_level
batch_run(const struct batch_options *opt)
{
	struct run r;
	pthread_t tick;
	char *err = NULL;
	enum exit_level worst = EXIT_COMPLETE;
	size_t done, given;

	memset(&r, 0, sizeof(r));
	r.opt = opt;
	r.rc.policy = opt->policy;
	r.rc.as_of = opt->as_of;
	r.rc.translations = opt->translations;
	r.rc.ntranslations = opt->ntranslations;
	r.rc.has_glyph = packet_env_has_glyph;
	r.rc.glyph_ctx = opt->packet;
	r.rc.representation = opt->packet->representation;
	if ((r.out = outdir_open(opt->output, &err)) == NULL) {
		fprintf(stderr, "rnpack: %s\n", err);
		free(err);
		return EXIT_OUTPUT;
	}
	if (!outdir_lock(r.out, opt->shard_k, opt->shard_n, MAILSTATE_WAIT_MS,
	    &err)) {
		fprintf(stderr, "rnpack: %s\n", err);
		free(err);
		outdir_close(r.out);
		return EXIT_OUTPUT;
	}
	for (int i = 0; i < opt->ninputs; i++)
		collect(opt->inputs[i], &r.in);
	given = r.in.n;
	if (opt->shard_n > 0)
		keep_shard(&r);
	{
		struct mailrun_options mo = { opt->policy, r.out,
			opt->check_only, opt->as_of, opt->reissue,
			opt->nreissue, opt->reserve, opt->nreserve, r.in.n,
			opt->shard_k, opt->shard_n };

		r.mail = mailrun_open(&mo, &err);
	}
	if (r.mail == NULL) {
		fprintf(stderr, "rnpack: %s\n", err);
		free(err);
		for (size_t i = 0; i < r.in.n; i++) {
			free(r.in.v[i].path);
			free(r.in.v[i].problem);
		}
		free(r.in.v);
		outdir_close(r.out);
		return EXIT_OUTPUT;
	}
	r.proof_head = opt->build ? xasprintf("# rnpack build %s\n",
	    opt->build) : xstrdup("");
	/* Temporaries of a killed run at the top and in mail/ (those in
	 * case folders go as each case is processed).  Only an unsharded
	 * run, which holds the output folder alone: a shard cannot tell
	 * another host's temporary from a dead one. */
	if (!opt->check_only && opt->shard_n == 0) {
		outdir_clean(r.out, NULL, false);
		outdir_clean(r.out, "mail", false);
	}
	r.entries = xcalloc(r.in.n + 1, sizeof(*r.entries));
	r.deferred = xcalloc(r.in.n + 1, sizeof(*r.deferred));
	r.lines = xcalloc(r.in.n + 1, sizeof(*r.lines));
	r.status = xcalloc(r.in.n + 1, sizeof(*r.status));
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.turn, NULL);
	pthread_cond_init(&r.tick, NULL);
	clock_gettime(CLOCK_MONOTONIC, &r.t0);
	/* Without the thread, lines go out as they finish (finish()). */
	r.ticking = opt->progress;
	if (r.ticking) {
		/* Shown at once, however soon the run ends. */
		pthread_mutex_lock(&r.mu);
		draw_progress(&r, false);
		pthread_mutex_unlock(&r.mu);
		if (pthread_create(&tick, NULL, ticker, &r) != 0)
			r.ticking = false;
	}

	if (opt->jobs <= 1)
		worker(&r);
	else {
		pthread_t *t = xcalloc((size_t)opt->jobs, sizeof(*t));
		int started = 0;

		for (int k = 0; k < opt->jobs; k++)
			if (pthread_create(&t[k], NULL, worker, &r) == 0)
				started++;
			else
				break;
		if (started == 0)
			worker(&r);
		for (int k = 0; k < started; k++)
			pthread_join(t[k], NULL);
		free(t);
	}

	if (r.ticking) {
		pthread_mutex_lock(&r.mu);
		r.ticking = false;
		pthread_cond_signal(&r.tick);
		pthread_mutex_unlock(&r.mu);
		pthread_join(tick, NULL);
		/* The last lines, and the progress line erased. */
		draw_progress(&r, true);
	}
	done = r.next_take;
	for (size_t i = 0; i < done; i++)
		exit_raise(&worst, r.status[i]);
	exit_raise(&worst, write_summaries(&r, done));
	exit_raise(&worst, mailrun_finish(r.mail, done, *opt->stop != 0));
	for (size_t i = 0; i < done; i++) {
		struct deferred *d = r.deferred[i];

		if (d == NULL)
			continue;
		exit_raise(&worst, write_deferred(&r, i, d));
		free(d->id);
		free(d->sums);
		free(d);
	}
	free(r.deferred);
	/* After the deferred reports: the page links to what exists. */
	exit_raise(&worst, write_index(&r, done));
	if (opt->shard_n > 0)
		exit_raise(&worst, write_shard_index(&r, worst));
	if (r.kept > 0)
		fprintf(stderr, "rnpack: %zu of %zu case%s unchanged since the "
		    "last run, not rendered again (--force renders them)\n",
		    r.kept, r.cases, r.cases == 1 ? "" : "s");
	print_totals(&r, given, done);
	mailrun_free(r.mail);
	shard_index_free(&r.shard);

	for (size_t i = 0; i < r.in.n; i++) {
		run_entry_free(&r.entries[i]);
		free(r.lines[i]);
		free(r.in.v[i].path);
		free(r.in.v[i].problem);
	}
	free(r.entries);
	free(r.lines);
	free(r.proof_head);
	free(r.status);
	free(r.in.v);
	idset_free(&r.ids);
	pthread_mutex_destroy(&r.mu);
	pthread_cond_destroy(&r.turn);
	pthread_cond_destroy(&r.tick);
	outdir_close(r.out);
	return worst;
}
