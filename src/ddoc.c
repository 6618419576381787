/*
 * ddoc.c - building and freeing the document model (see ddoc.h).
 */
#include <stdlib.h>
#include <string.h>

#include "rnpack/buf.h"
#include "rnpack/ddoc.h"
#include "rnpack/xalloc.h"

struct ddoc *
ddoc_new(void)
{
	struct ddoc *d = xcalloc(1, sizeof(*d));

	d->lang = xstrdup("en");
	for (int i = 0; i < 4; i++)
		d->margin[i] = 72.0;
	d->size_pt = 10.0;
	return d;
}

void
dinline_free(struct dinline *in)
{
	for (size_t i = 0; i < in->n; i++)
		free(in->v[i].text);
	free(in->v);
	memset(in, 0, sizeof(*in));
}

static void
block_free(struct dblock *b)
{
	dinline_free(&b->text);
	dinline_free(&b->value);
	for (size_t r = 0; r < b->table.nrows; r++) {
		for (size_t c = 0; c < b->table.ncols; c++)
			dinline_free(&b->table.rows[r].cells[c]);
		free(b->table.rows[r].cells);
	}
	free(b->table.rows);
	free(b->table.widths);
	for (size_t k = 0; k < b->nkids; k++)
		block_free(&b->kids[k]);
	free(b->kids);
}

void
ddoc_free(struct ddoc *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->nblocks; i++)
		block_free(&d->blocks[i]);
	for (int i = 0; i < 3; i++) {
		dinline_free(&d->header[i]);
		dinline_free(&d->footer[i]);
	}
	free(d->blocks);
	free(d->title);
	free(d->lang);
	free(d->name_lang);
	free(d);
}

static struct dblock *
add_to(struct dblock **v, size_t *n, size_t *cap, enum dblock_kind k)
{
	struct dblock *b;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	b = &(*v)[(*n)++];
	memset(b, 0, sizeof(*b));
	b->kind = k;
	return b;
}

struct dblock *
ddoc_add(struct ddoc *d, enum dblock_kind k)
{
	return add_to(&d->blocks, &d->nblocks, &d->cap, k);
}

struct dblock *
dblock_add_kid(struct dblock *box, enum dblock_kind k)
{
	return add_to(&box->kids, &box->nkids, &box->kcap, k);
}

void
dinline_add(struct dinline *in, enum drun_kind kind, unsigned style,
    const char *text)
{
	struct drun *r;

	/* Adjacent text of one style is one run: fewer, longer runs. */
	if (kind == DRUN_TEXT && in->n > 0 && in->v[in->n - 1].kind ==
	    DRUN_TEXT && in->v[in->n - 1].style == style) {
		struct drun *last = &in->v[in->n - 1];
		size_t a = strlen(last->text), b = text ? strlen(text) : 0;

		/* Grown in place: templates join many short pieces. */
		last->text = xrealloc(last->text, a + b + 1);
		memcpy(last->text + a, text ? text : "", b + 1);
		return;
	}
	if (in->n == in->cap) {
		in->cap = in->cap ? in->cap * 2 : 4;
		in->v = xreallocarray(in->v, in->cap, sizeof(*in->v));
	}
	r = &in->v[in->n++];
	r->kind = kind;
	r->style = style;
	r->text = kind == DRUN_TEXT ? xstrdup(text ? text : "") : NULL;
}

struct drow *
dtable_add_row(struct dtable *t, bool header)
{
	struct drow *r;

	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->rows = xreallocarray(t->rows, t->cap, sizeof(*t->rows));
	}
	r = &t->rows[t->nrows++];
	r->cells = xcalloc(t->ncols ? t->ncols : 1, sizeof(*r->cells));
	r->header = header;
	return r;
}

char *
dinline_text(const struct dinline *in)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < in->n; i++) {
		if (in->v[i].kind == DRUN_TEXT)
			buf_adds(&b, in->v[i].text);
		else
			buf_adds(&b, in->v[i].kind == DRUN_PAGE ? "{page}" :
			    "{pages}");
	}
	return buf_detach(&b);
}
