/*
 * batch.c - the batch loop: inputs -> load -> check -> report.
 *
 * Cases are independent and run on -j worker threads.  Two things need
 * input order whatever the threads do: duplicate ids (the first input
 * with an id keeps it) and the console and summary order.  Registration
 * of ids therefore waits for the previous input's turn, and lines are
 * printed as soon as every earlier input is done.  Nothing is carried
 * from one case to the next except the set of ids seen.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rnpack/batch.h"
#include "rnpack/buf.h"
#include "rnpack/case.h"
#include "rnpack/date.h"
#include "rnpack/diag.h"
#include "rnpack/intake.h"
#include "rnpack/layout.h"
#include "rnpack/mailrun.h"
#include "rnpack/outdir.h"
#include "rnpack/packet.h"
#include "rnpack/policy.h"
#include "rnpack/report.h"
#include "rnpack/rules.h"
#include "rnpack/xalloc.h"

struct input {
	char	*path;
	char	*problem;	/* why it cannot be read at all, or NULL */
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

struct run {
	const struct batch_options	*opt;
	struct outdir			*out;
	struct inputs			 in;
	struct run_entry		*entries;
	char				**lines;	/* console text */
	int				*status;	/* exit status each */
	pthread_mutex_t			 mu;
	pthread_cond_t			 turn;
	size_t				 next_take;
	size_t				 next_register;
	size_t				 next_print;
	struct idset			 ids;
	struct rules_context		 rc;
	struct mailrun			*mail;
};

static const char *const reserved_ids[] = { "mail", "summary.json",
	"summary.csv", NULL };

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
	free(key);
	return r;
}

/* ------------------------------------------------------------------ */

static void
set_invalid(struct run_entry *e, enum diag_code code, unsigned line,
    const char *case_id, const char *message)
{
	e->status = CASE_INVALID;
	if (case_id != NULL) {
		free(e->case_id);
		e->case_id = xstrdup(case_id);
	}
	findings_add(&e->withheld, code, line, "%s", message);
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
 * Print every finished line that no earlier input is holding up, and
 * free it: only lines waiting for an earlier input are kept.
 */
static void
finish(struct run *r, size_t i, char *line)
{
	pthread_mutex_lock(&r->mu);
	r->lines[i] = line;
	while (r->next_print < r->in.n && r->lines[r->next_print] != NULL) {
		fputs(r->lines[r->next_print], stderr);
		free(r->lines[r->next_print]);
		r->lines[r->next_print] = NULL;
		r->next_print++;
	}
	pthread_mutex_unlock(&r->mu);
}

/*
 * Render and write OUT/<id>/packet.pdf.  A libharu failure becomes a
 * pdf-render-failed finding on the case (no packet is written); a write
 * failure is reported on the console line.  Returns an exit status.
 */
static int
write_packet(struct run *r, const struct case_doc *c, struct evaluation *ev,
    const struct case_mail *cm, struct buf *line)
{
	struct buf pdf = BUF_INIT, pieces[MAIL_MAX_PIECES];
	struct packet_mail pm = { cm->pieces, cm->n, cm->withheld, pieces };
	char *err = NULL;
	int status = EXIT_COMPLETE;

	for (size_t k = 0; k < MAIL_MAX_PIECES; k++)
		buf_init(&pieces[k]);
	if (!packet_build(r->opt->packet, c, ev, r->opt->policy, r->opt->as_of,
	    &pm, &pdf, &err)) {
		findings_add(&ev->findings, DIAG_PDF_RENDER_FAILED, 0, "The "
		    "packet could not be rendered: %s.", err);
		ev->generated = 0;
		ev->status = CASE_BLOCKED;
		ev->response_due = DATE_NONE;
		status = EXIT_OUTPUT;
	} else if (!outdir_write(r->out, c->id, "packet.pdf", pdf.ptr,
	    pdf.len, &err)) {
		buf_addf(line, "rnpack: %s\n", err);
		status = EXIT_OUTPUT;
	}
	/* Each mail piece as its own PDF, for the print file. */
	for (size_t k = 0; k < cm->n && status == EXIT_COMPLETE; k++) {
		char name[32];

		if (pieces[k].len == 0)
			continue;
		snprintf(name, sizeof(name), "mail-%s.pdf",
		    cm->pieces[k].recipient);
		free(err);
		err = NULL;
		if (!outdir_write(r->out, c->id, name, pieces[k].ptr,
		    pieces[k].len, &err)) {
			buf_addf(line, "rnpack: %s\n", err);
			status = EXIT_OUTPUT;
		}
	}
	for (size_t k = 0; k < MAIL_MAX_PIECES; k++)
		buf_free(&pieces[k]);
	free(err);
	buf_free(&pdf);
	return status;
}

static void
process(struct run *r, size_t i)
{
	const struct input *in = &r->in.v[i];
	struct run_entry *e = &r->entries[i];
	struct load_error err = { 0, NULL, NULL };
	struct case_doc *c = NULL;
	struct buf line = BUF_INIT;
	struct evaluation ev;
	struct case_mail cm;
	const char *why;
	int status = EXIT_COMPLETE;

	e->source = xstrdup(in->path);
	findings_init(&e->withheld);
	memset(&cm, 0, sizeof(cm));
	if (in->problem != NULL)
		err.message = xstrdup(in->problem);
	else
		c = intake_load_case(r->opt->intake, in->path, r->opt->as_of,
		    &err);
	if (c != NULL) {
		struct measure m = render_measure(&r->opt->packet->fonts);

		mailrun_prepare(r->mail, c, &cm);
		rules_evaluate(c, &r->rc, &ev);
		mailrun_check(r->mail, c, &ev, &r->rc, &m, &cm);
	}
	why = register_id(r, i, c, c != NULL ? &ev : NULL, &cm);
	if (c == NULL) {
		set_invalid(e, DIAG_INVALID_INPUT, err.line, err.case_id,
		    err.message ? err.message : "cannot be read");
		status = EXIT_INVALID;
	} else if (why != NULL) {
		char *msg = xasprintf("the case id %s %s; this input is not "
		    "processed and the first one is untouched", c->id, why);

		set_invalid(e, DIAG_DUPLICATE_CASE_ID, c->id_line, c->id, msg);
		free(msg);
		status = EXIT_INVALID;
	} else {
		struct buf json = BUF_INIT;
		char *werr = NULL;

		if (!r->opt->check_only)
			status = write_packet(r, c, &ev, &cm, &line);
		mailrun_record(r->mail, i, c, &ev, &cm);
		report_case_json(&json, c, in->path, &ev, r->opt->as_of);
		run_entry_set_case(e, c->id, &ev);
		if (status != EXIT_OUTPUT)
			status = ev.status == CASE_COMPLETE &&
			    !findings_has(&ev.findings,
			    DIAG_ADDRESS_DOES_NOT_FIT) ? EXIT_COMPLETE :
			    EXIT_WITHHELD;
		if (!outdir_write(r->out, c->id, "report.json", json.ptr,
		    json.len, &werr)) {
			buf_addf(&line, "rnpack: %s\n", werr);
			free(werr);
			status = EXIT_OUTPUT;
		}
		buf_free(&json);
	}
	if (c != NULL)
		evaluation_free(&ev);
	mail_pieces_free(cm.pieces, cm.n);
	report_console_line(&line, e);
	r->status[i] = status;
	load_error_free(&err);
	case_free(c);
	finish(r, i, buf_detach(&line));
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

static int
write_summaries(struct run *r, size_t n)
{
	struct buf json = BUF_INIT, csv = BUF_INIT;
	char *err = NULL;
	int status = EXIT_COMPLETE;

	report_summary_json(&json, r->entries, n);
	report_summary_csv(&csv, r->entries, n);
	if (!outdir_write(r->out, NULL, "summary.json", json.ptr, json.len,
	    &err) ||
	    !outdir_write(r->out, NULL, "summary.csv", csv.ptr, csv.len, &err)) {
		fprintf(stderr, "rnpack: %s\n", err);
		free(err);
		status = EXIT_OUTPUT;
	}
	buf_free(&json);
	buf_free(&csv);
	return status;
}

int
batch_run(const struct batch_options *opt)
{
	struct run r;
	char *err = NULL;
	int worst = EXIT_COMPLETE, s;
	size_t done;

	memset(&r, 0, sizeof(r));
	r.opt = opt;
	r.rc.policy = opt->policy;
	r.rc.as_of = opt->as_of;
	r.rc.translations = opt->translations;
	r.rc.ntranslations = opt->ntranslations;
	r.rc.has_glyph = packet_env_has_glyph;
	r.rc.glyph_ctx = opt->packet;
	if ((r.out = outdir_open(opt->output, &err)) == NULL) {
		fprintf(stderr, "rnpack: %s\n", err);
		free(err);
		return EXIT_OUTPUT;
	}
	for (int i = 0; i < opt->ninputs; i++)
		collect(opt->inputs[i], &r.in);
	r.mail = mailrun_open(opt->policy, r.out, opt->check_only,
	    opt->reissue, opt->nreissue, r.in.n, &err);
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
	r.entries = xcalloc(r.in.n + 1, sizeof(*r.entries));
	r.lines = xcalloc(r.in.n + 1, sizeof(*r.lines));
	r.status = xcalloc(r.in.n + 1, sizeof(*r.status));
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.turn, NULL);

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

	done = r.next_take;
	for (size_t i = 0; i < done; i++)
		if (r.status[i] > worst)
			worst = r.status[i];
	if ((s = write_summaries(&r, done)) > worst)
		worst = s;
	if ((s = mailrun_finish(r.mail, done)) > worst)
		worst = s;
	mailrun_free(r.mail);

	for (size_t i = 0; i < r.in.n; i++) {
		run_entry_free(&r.entries[i]);
		free(r.lines[i]);
		free(r.in.v[i].path);
		free(r.in.v[i].problem);
	}
	free(r.entries);
	free(r.lines);
	free(r.status);
	free(r.in.v);
	idset_free(&r.ids);
	pthread_mutex_destroy(&r.mu);
	pthread_cond_destroy(&r.turn);
	outdir_close(r.out);
	return worst;
}
