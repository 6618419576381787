/*
 * court.c - the court submission (see court.h): exhibits, page plan,
 * layout of the template parts and the exhibits' carrier pages, page
 * numbers across the whole submission, rendering, splitting into parts
 * and writing.
 *
 * The template (court-submission.tmpl) is evaluated once per part of
 * the submission, with court.part "front" (cover and table of
 * contents), "certificate" (one translator's certificate) or "proof"
 * (proof of service).  The exhibits' own pages are blank carrier pages
 * here, with the exhibit's label and the page number in the bottom
 * half inch; the enclosure module draws the files' pages into them.
 * The table of contents needs the page ranges, which need the number
 * of front pages: the parts are laid out again until the counts hold.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnpack/case.h"
#include "rnpack/court.h"
#include "rnpack/ddoc.h"
#include "rnpack/diag.h"
#include "rnpack/docmodel.h"
#include "rnpack/enclosure.h"
#include "rnpack/layout.h"
#include "rnpack/mailrun.h"
#include "rnpack/outdir.h"
#include "rnpack/packet.h"
#include "rnpack/policy.h"
#include "rnpack/render.h"
#include "rnpack/rules.h"
#include "rnpack/tmpl.h"
#include "rnpack/tval.h"
#include "rnpack/xalloc.h"

#define FOOT_PT		9.0	/* page number and exhibit label */
#define FOOT_Y		774.0	/* their baseline: in the bottom 0.5 in */
#define FOOT_X		54.0	/* 0.75 in from either edge */
#define MAX_ROUNDS	6	/* layouts until the page counts hold */
/* Bytes kept free in each part for what a part adds of its own (its
 * own font subset, info dictionary and cross-reference table). */
#define PART_SLACK	200000

void
court_letter(size_t i, char out[4])
{
	if (i < 26) {
		out[0] = (char)('A' + i);
		out[1] = '\0';
		return;
	}
	i -= 26;
	out[0] = (char)('A' + (i / 26) % 26);
	out[1] = (char)('A' + i % 26);
	out[2] = '\0';
}

size_t
court_exhibits(const struct case_doc *c, struct court_exhibit *out)
{
	const struct extract *ex = &c->notice.extract;
	size_t n = 0;

	if (ex->present && ex->file != NULL) {
		memset(&out[n], 0, sizeof(out[n]));
		snprintf(out[n].made_title, sizeof(out[n].made_title),
		    "%s %s, extract as received", c->notice.kind ==
		    NOTICE_RED ? "Red Notice" : "Wanted Person Diffusion",
		    c->notice.control_number);
		out[n].title = out[n].made_title;
		out[n].is_extract = true;
		out[n].file = ex->file;
		out[n].sha256 = ex->sha256;
		out[n].declared_pages = ex->pages;
		out[n].language = ex->language;
		out[n].translation = ex->translation;
		n++;
	}
	for (size_t i = 0; i < c->iw.nenclosures && n < COURT_MAX_EXHIBITS;
	    i++) {
		const struct enclosure *e = &c->iw.enclosures[i];

		if (e->file == NULL)
			continue;	/* exhibit-missing withholds it */
		memset(&out[n], 0, sizeof(out[n]));
		out[n].title = e->title;
		out[n].file = e->file;
		out[n].sha256 = e->sha256;
		out[n].declared_pages = e->pages;
		out[n].language = e->language;
		out[n].translation = e->translation;
		n++;
	}
	for (size_t i = 0; i < n; i++)
		court_letter(i, out[i].letter);
	return n;
}

void
court_plan(struct court_plan *p, struct court_exhibit *x, size_t n)
{
	size_t at = p->front + 1;

	for (size_t i = 0; i < n; i++) {
		x[i].first = at;
		at += x[i].doc_pages;
		x[i].tr_first = at;
		at += x[i].tr_pages;
		x[i].cert_first = at;
		at += x[i].cert_pages;
		x[i].last = at - 1;
	}
	p->proof_first = at;
	p->total = at + p->proof - 1;
}

size_t
court_split(const size_t *size, size_t n, size_t limit, size_t *first)
{
	size_t parts = 0, cur = 0;

	for (size_t i = 0; i < n; i++) {
		if (parts == 0 || (cur > 0 && cur + size[i] > limit &&
		    parts < COURT_MAX_PARTS)) {
			first[parts++] = i;
			cur = 0;
		}
		cur += size[i];
	}
	return parts;
}

/* ---- layout ------------------------------------------------------- */

static struct ldoc *
lay(const struct packet_env *env, const struct tval *data,
    const struct measure *m)
{
	struct ddoc *dd = tmpl_eval(env->court, data);
	struct ldoc *ld;

	render_make_visible(dd, &env->fonts);
	ld = layout_doc(dd, m);
	ddoc_free(dd);
	return ld;
}

static void
foot_text(struct lpage *pg, const struct measure *m, bool right,
    const char *text)
{
	struct litem *it;
	double w = m->width(m->ctx, 0, FOOT_PT, text);

	if (pg->n == pg->cap) {
		pg->cap = pg->cap ? pg->cap * 2 : 4;
		pg->items = xreallocarray(pg->items, pg->cap,
		    sizeof(*pg->items));
	}
	it = &pg->items[pg->n++];
	memset(it, 0, sizeof(*it));
	it->kind = LI_TEXT;
	it->artifact = true;	/* feet and page numbers */
	it->size = FOOT_PT;
	it->x = right ? LAYOUT_PAGE_W - FOOT_X - w : FOOT_X;
	it->x2 = it->x + w;
	it->y = FOOT_Y;
	it->text = xstrdup(text);
}

static struct lpage *
add_page(struct ldoc *ld)
{
	if (ld->npages == ld->cap) {
		ld->cap = ld->cap ? ld->cap * 2 : 8;
		ld->pages = xreallocarray(ld->pages, ld->cap,
		    sizeof(*ld->pages));
	}
	memset(&ld->pages[ld->npages], 0, sizeof(ld->pages[0]));
	return &ld->pages[ld->npages++];
}

/* "Exhibit A[, English translation], page i of m": the foot of a
 * carrier page (the caller frees). */
static char *
exhibit_page(const struct court_exhibit *x, bool translation, unsigned i,
    unsigned pages)
{
	return xasprintf("Exhibit %s%s, page %u of %u", x->letter,
	    translation ? ", English translation" : "", i + 1, pages);
}

/* Carrier pages for one file of exhibit x, labelled at the foot. */
static void
add_carriers(struct ldoc *ld, const struct measure *m,
    const struct court_exhibit *x, bool translation, unsigned pages)
{
	for (unsigned i = 0; i < pages; i++) {
		char *t = exhibit_page(x, translation, i, pages);

		foot_text(add_page(ld), m, false, t);
		free(t);
	}
}

/*
 * Move every page of from to the end of to, with the structure elements
 * its items belong to (else its text would be untagged); from is freed.
 */
static void
move_pages(struct ldoc *to, struct ldoc *from)
{
	size_t off = to->nelems;

	if (from->nelems > 0) {
		to->elems = xreallocarray(to->elems, to->nelems +
		    from->nelems, sizeof(*to->elems));
		for (size_t i = 0; i < from->nelems; i++) {
			struct lelem *e = &to->elems[to->nelems++];

			*e = from->elems[i];
			if (e->parent != 0)
				e->parent += off;
		}
	}
	for (size_t i = 0; i < from->npages; i++) {
		struct lpage *pg = add_page(to);

		*pg = from->pages[i];
		for (size_t k = 0; k < pg->n; k++)
			if (pg->items[k].elem != 0)
				pg->items[k].elem += off;
	}
	from->npages = 0;
	ldoc_free(from);
}

/* ---- building ----------------------------------------------------- */

/* Everything one build holds; freed by build_free(). */
struct build {
	struct court_exhibit	 x[COURT_MAX_EXHIBITS];
	size_t			 n;
	struct encl		*doc[COURT_MAX_EXHIBITS];
	struct encl		*tr[COURT_MAX_EXHIBITS];
	struct ldoc		*front, *proof, *cert[COURT_MAX_EXHIBITS];
	/* The rendered units: front, each exhibit, proof. */
	struct ldoc		*unit[COURT_MAX_EXHIBITS + 2];
	char			 label[COURT_MAX_EXHIBITS + 2][8];
	size_t			 nunits;
	struct encl_place	*place;
	char			**alt;		/* place[i].alt */
	size_t			 nplace;
	struct court_plan	 plan;
};

static void
build_free(struct build *b)
{
	for (size_t i = 0; i < b->n; i++) {
		encl_free(b->doc[i]);
		encl_free(b->tr[i]);
		ldoc_free(b->cert[i]);
	}
	ldoc_free(b->front);
	ldoc_free(b->proof);
	for (size_t i = 0; i < b->nunits; i++)
		ldoc_free(b->unit[i]);
	for (size_t i = 0; i < b->nplace; i++)
		free(b->alt[i]);
	free(b->alt);
	free(b->place);
}

static bool
open_files(struct build *b, const struct court_job *j, char **err)
{
	const struct policy *p = j->policy;
	const char *root = p->documents_root[0] ? p->documents_root :
	    j->c->folder;
	struct encl_limits lim = { p->max_file_bytes > 0 ?
	    (uint64_t)p->max_file_bytes : 0, p->max_pages_per_case > 0 ?
	    (unsigned)p->max_pages_per_case : 0 };

	for (size_t i = 0; i < b->n; i++) {
		struct court_exhibit *x = &b->x[i];
		char *why = NULL;

		if (encl_open(root, x->file, x->sha256, x->declared_pages > 0 ?
		    (unsigned)x->declared_pages : 0, &lim, &b->doc[i], &why) !=
		    ENCL_OK || (x->translation != NULL && encl_open(root,
		    x->translation->file, NULL, 0, &lim, &b->tr[i], &why) !=
		    ENCL_OK)) {
			*err = xasprintf("exhibit %s: %s", x->letter,
			    why ? why : "cannot be read");
			free(why);
			return false;
		}
		x->doc_pages = encl_pages(b->doc[i]);
		x->tr_pages = b->tr[i] ? encl_pages(b->tr[i]) : 0;
	}
	return true;
}

/*
 * Lay out the template's parts until the page counts they were planned
 * with are the counts they have (the table of contents prints ranges
 * that depend on its own length).
 */
static void
lay_parts(struct build *b, const struct court_job *j, struct tval *data,
    const struct measure *m)
{
	b->plan.front = 2;
	b->plan.proof = 1;
	for (int round = 0; round < MAX_ROUNDS; round++) {
		bool same;

		court_plan(&b->plan, b->x, b->n);
		docmodel_set_court(data, j->c, j->policy, j->as_of, b->x, b->n,
		    &b->plan);
		same = true;
		for (size_t i = 0; i < b->n; i++) {
			ldoc_free(b->cert[i]);
			b->cert[i] = NULL;
			if (b->x[i].translation == NULL)
				continue;
			docmodel_set_court_part(data, j->policy,
			    "certificate", &b->x[i]);
			b->cert[i] = lay(j->env, data, m);
			same &= b->cert[i]->npages == b->x[i].cert_pages;
			b->x[i].cert_pages = (unsigned)b->cert[i]->npages;
		}
		docmodel_set_court_part(data, j->policy, "proof", NULL);
		ldoc_free(b->proof);
		b->proof = lay(j->env, data, m);
		docmodel_set_court_part(data, j->policy, "front", NULL);
		ldoc_free(b->front);
		b->front = lay(j->env, data, m);
		same &= b->front->npages == b->plan.front &&
		    b->proof->npages == b->plan.proof;
		b->plan.front = b->front->npages;
		b->plan.proof = b->proof->npages;
		if (same)
			return;
	}
	court_plan(&b->plan, b->x, b->n);	/* the last layout's counts */
}

/* What a carrier page's figure shows, for a screen reader: its foot
 * (an artifact) and the exhibit's title. */
static void
add_place(struct build *b, struct encl *e, unsigned k, size_t target,
    size_t unit, const struct court_exhibit *x, bool translation,
    unsigned pages)
{
	char *foot = exhibit_page(x, translation, k, pages);

	b->alt[b->nplace] = xasprintf("%s: %s", foot, x->title);
	b->place[b->nplace] = (struct encl_place){ e, k, target, unit,
	    b->alt[b->nplace] };
	b->nplace++;
	free(foot);
}

/*
 * The units in page order, each page with "Page N of T" at the right of
 * its foot, and the enclosure pages to draw into the carriers.
 */
static void
assemble(struct build *b, const struct measure *m)
{
	size_t page = 0;

	b->place = xcalloc(b->plan.total + 1, sizeof(*b->place));
	b->alt = xcalloc(b->plan.total + 1, sizeof(*b->alt));
	b->unit[b->nunits++] = b->front;
	b->front = NULL;
	for (size_t i = 0; i < b->n; i++) {
		struct court_exhibit *x = &b->x[i];
		struct ldoc *ld = xcalloc(1, sizeof(*ld));
		size_t at = x->first - 1;

		ld->title = xasprintf("Exhibit %s: %s", x->letter, x->title);
		add_carriers(ld, m, x, false, x->doc_pages);
		for (unsigned k = 0; k < x->doc_pages; k++)
			add_place(b, b->doc[i], k, at + k, b->nunits, x, false,
			    x->doc_pages);
		add_carriers(ld, m, x, true, x->tr_pages);
		for (unsigned k = 0; k < x->tr_pages; k++)
			add_place(b, b->tr[i], k, x->tr_first - 1 + k,
			    b->nunits, x, true, x->tr_pages);
		if (b->cert[i] != NULL)
			move_pages(ld, b->cert[i]);
		b->cert[i] = NULL;
		snprintf(b->label[b->nunits], sizeof(b->label[0]), "%s-",
		    x->letter);
		b->unit[b->nunits++] = ld;
	}
	snprintf(b->label[b->nunits], sizeof(b->label[0]), "POS-");
	b->unit[b->nunits++] = b->proof;
	b->proof = NULL;
	for (size_t u = 0; u < b->nunits; u++)
		for (size_t k = 0; k < b->unit[u]->npages; k++) {
			char t[64];

			snprintf(t, sizeof(t), "Page %zu of %zu", ++page,
			    b->plan.total);
			foot_text(&b->unit[u]->pages[k], m, true, t);
		}
}

/* The first page (0-based, in the whole submission) of unit u. */
static size_t
unit_first(const struct build *b, size_t u)
{
	size_t page = 0;

	for (size_t i = 0; i < u; i++)
		page += b->unit[i]->npages;
	return page;
}

/*
 * Render units [from, to) into out, with the enclosure pages that
 * fall in them drawn into their carriers.
 */
static bool
render_units(const struct build *b, const struct court_job *j, size_t from,
    size_t to, size_t part, size_t nparts, struct buf *out, char **err)
{
	struct render_doc docs[COURT_MAX_EXHIBITS + 2];
	struct render_meta meta;
	struct encl_place *pl = xcalloc(b->nplace + 1, sizeof(*pl));
	size_t first = unit_first(b, from), last = unit_first(b, to), np = 0;
	char *title;
	bool ok;

	for (size_t u = from; u < to; u++) {
		docs[u - from].doc = b->unit[u];
		/* Page labels: the front matter 1, 2; Exhibit A's pages
		 * the proof of service POS-1. */
		docs[u - from].label = b->label[u][0] ? b->label[u] : NULL;
	}
	for (size_t i = 0; i < b->nplace; i++)
		if (b->place[i].target >= first && b->place[i].target < last) {
			pl[np] = b->place[i];
			pl[np].sect -= from;
			pl[np++].target -= first;
		}
	title = nparts > 1 ? xasprintf("DHS submission of evidence, %s, "
	    "part %zu of %zu", j->c->id, part + 1, nparts) :
	    xasprintf("DHS submission of evidence, %s", j->c->id);
	memset(&meta, 0, sizeof(meta));
	meta.title = title;
	meta.subject = "Submission of the INTERPOL notice and its underlying "
	    "documentation as evidence";
	meta.author = j->c->use.court.filer.name;
	meta.creator = j->env->creator ? j->env->creator : "rnpack";
	meta.keywords = j->c->id;
	meta.date = j->as_of;
	ok = render_pdf(docs, to - from, &j->env->fonts, NULL, &meta, out,
	    err) && encl_fill(out, pl, np, err);
	free(title);
	free(pl);
	return ok;
}

bool
court_build(const struct court_job *j, struct buf *parts, size_t *nparts,
    char **err)
{
	struct build *b = xcalloc(1, sizeof(*b));
	struct measure m = render_measure(&j->env->fonts);
	struct tval *data = NULL;
	size_t size[COURT_MAX_EXHIBITS + 2], first[COURT_MAX_PARTS + 1];
	bool ok = false;

	*nparts = 0;
	if (j->env->court == NULL) {
		*err = xstrdup("the templates have no court-submission.tmpl");
		goto out;
	}
	b->n = court_exhibits(j->c, b->x);
	if (!open_files(b, j, err))
		goto out;
	data = docmodel_build(j->c, j->ev, j->policy, j->as_of, 0);
	lay_parts(b, j, data, &m);
	assemble(b, &m);
	buf_init(&parts[0]);
	*nparts = 1;
	if (!render_units(b, j, 0, b->nunits, 0, 1, &parts[0], err))
		goto out;
	if (parts[0].len > COURT_MAX_BYTES) {
		size_t k;

		/* Each unit's own size, then parts of whole units. */
		for (size_t u = 0; u < b->nunits; u++) {
			struct buf one = BUF_INIT;

			if (!render_units(b, j, u, u + 1, 0, 1, &one, err)) {
				buf_free(&one);
				goto out;
			}
			size[u] = one.len;
			buf_free(&one);
		}
		k = court_split(size, b->nunits, COURT_MAX_BYTES - PART_SLACK,
		    first);
		first[k] = b->nunits;
		buf_free(&parts[0]);
		*nparts = 0;
		for (size_t i = 0; i < k; i++) {
			buf_init(&parts[i]);
			*nparts = i + 1;
			if (!render_units(b, j, first[i], first[i + 1], i, k,
			    &parts[i], err))
				goto out;
		}
	}
	ok = true;
out:
	if (!ok) {
		for (size_t i = 0; i < *nparts; i++)
			buf_free(&parts[i]);
		*nparts = 0;
	}
	tval_free(data);
	build_free(b);
	free(b);
	return ok;
}

/* ---- the batch's step --------------------------------------------- */

/* Whether name is one of the submission's files. */
static bool
is_court_file(const char *name)
{
	size_t n = strlen(name);

	return strncmp(name, "court-submission", 16) == 0 && n >= 20 &&
	    strcmp(name + n - 4, ".pdf") == 0;
}

/* Remove the case's court-submission*.pdf but the keep[0..nkeep). */
static void
remove_others(struct outdir *out, const char *id, char **keep, size_t nkeep)
{
	char *path = xasprintf("%s/%s", outdir_real(out), id);
	DIR *d = opendir(path);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;

	free(path);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		bool kept = false;

		if (!is_court_file(de->d_name))
			continue;
		for (size_t i = 0; i < nkeep; i++)
			kept |= strcmp(keep[i], de->d_name) == 0;
		if (!kept) {
			names = xreallocarray(names, n + 1, sizeof(*names));
			names[n++] = xstrdup(de->d_name);
		}
	}
	closedir(d);
	for (size_t i = 0; i < n; i++) {
		outdir_remove(out, id, names[i]);
		free(names[i]);
	}
	free(names);
}

/*
 * Whether OUT/<id>/name already holds exactly these bytes: a re-run
 * leaves an unchanged submission as it was (its time and inode too).
 */
static bool
same_file(struct outdir *out, const char *id, const char *name,
    const struct buf *b)
{
	struct buf old = BUF_INIT;
	bool same = outdir_read(out, id, name, b->len, &old) &&
	    old.len == b->len && memcmp(old.ptr, b->ptr, b->len) == 0;

	buf_free(&old);
	return same;
}

/* Whether a current piece of the case was not issued by an earlier run. */
static bool
unissued_piece(const struct case_mail *cm)
{
	for (size_t k = 0; cm != NULL && k < cm->n; k++) {
		if (cm->withheld & (1u << cm->pieces[k].copy))
			continue;
		if (cm->state[k] == PIECE_NEW ||
		    cm->state[k] == PIECE_NOT_ISSUED)
			return true;
	}
	return false;
}

int
court_run(const struct court_job *j, struct buf *line)
{
	struct buf parts[COURT_MAX_PARTS];
	char *names[COURT_MAX_PARTS];
	size_t nparts = 0, nwritten = 0;
	char *err = NULL;
	int status = 0;

	rules_response_period(j->c, j->rc, j->ev, unissued_piece(j->cm));
	if (j->out == NULL || !j->c->use.court.present)
		return 0;
	if ((j->ev->generated & DOC_BIT(DOC_COURT)) &&
	    !court_build(j, parts, &nparts, &err)) {
		struct finding *f = findings_add(&j->ev->findings,
		    DIAG_PDF_RENDER_FAILED, 0, "The court submission could not "
		    "be rendered: %s.", err);
		int32_t due = j->ev->response_due;

		f->blocks = DOC_BIT(DOC_COURT);
		f->step = STEP_NONE;
		rules_settle(j->c, j->rc, j->ev);
		j->ev->response_due = due;
		free(err);
		err = NULL;
		status = 3;
	}
	for (size_t i = 0; i < nparts; i++) {
		names[i] = nparts == 1 ? xstrdup(COURT_FILE) :
		    xasprintf("court-submission-part%zu.pdf", i + 1);
		if (status == 0 && !same_file(j->out, j->c->id, names[i],
		    &parts[i]) && !outdir_write(j->out, j->c->id, names[i],
		    parts[i].ptr, parts[i].len, &err)) {
			buf_addf(line, "rnpack: %s\n", err);
			free(err);
			err = NULL;
			status = 3;
		}
		nwritten = i + 1;
		buf_free(&parts[i]);
	}
	/* A run that does not generate the submission (or not all of it)
	 * leaves none of it behind. */
	remove_others(j->out, j->c->id, names, status == 0 ? nwritten : 0);
	for (size_t i = 0; i < nwritten; i++)
		free(names[i]);
	return status;
}
