/*
 * pdftag.c - the structure tree of a tagged PDF (see pdftag.h).
 */
#include <stdlib.h>
#include <string.h>

#include "rnpack/buf.h"
#include "rnpack/pdftag.h"
#include "rnpack/utext.h"
#include "rnpack/xalloc.h"

struct tpage {
	size_t		*mcid_elem;	/* [n]: element of each MCID */
	size_t		 n;
	size_t		 cap;
};

struct pdftag {
	struct pdftag_elem *e;		/* e[id - 1] */
	size_t		 n;
	size_t		 cap;
	struct tpage	*pages;
	size_t		 npages;
	size_t		 page;		/* current */
	size_t		 open;		/* element of the open sequence */
	bool		 is_open;	/* a sequence (or artifact) is open */
	size_t		 span_parent;	/* the Span's parent, 0: no Span */
	const char	*span_lang;	/* a language span's /Lang (its
					 * element's copy), NULL: none */
};

struct pdftag *
pdftag_new(void)
{
	struct pdftag *t = xcalloc(1, sizeof(*t));

	pdftag_elem(t, "Document", 0);
	return t;
}

void
pdftag_free(struct pdftag *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->e[i].alt);
		free(t->e[i].lang);
		free(t->e[i].actual);
		free(t->e[i].title);
		free(t->e[i].kids);
	}
	free(t->e);
	for (size_t i = 0; i < t->npages; i++)
		free(t->pages[i].mcid_elem);
	free(t->pages);
	free(t);
}

static void
kid_add(struct pdftag_elem *e, size_t elem, size_t page, size_t mcid)
{
	if (e->nkids == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 4;
		e->kids = xreallocarray(e->kids, e->cap, sizeof(*e->kids));
	}
	e->kids[e->nkids].elem = elem;
	e->kids[e->nkids].page = page;
	e->kids[e->nkids++].mcid = mcid;
}

size_t
pdftag_elem(struct pdftag *t, const char *role, size_t parent)
{
	struct pdftag_elem *e;

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->e = xreallocarray(t->e, t->cap, sizeof(*t->e));
	}
	e = &t->e[t->n++];
	memset(e, 0, sizeof(*e));
	e->role = role;
	e->parent = parent;
	if (parent >= 1 && parent < t->n)
		kid_add(&t->e[parent - 1], t->n, 0, 0);
	return t->n;
}

struct pdftag_elem *
pdftag_get(struct pdftag *t, size_t id)
{
	return id >= 1 && id <= t->n ? &t->e[id - 1] : NULL;
}

void
pdftag_set(struct pdftag *t, size_t id, enum pdftag_key key,
    const char *value)
{
	struct pdftag_elem *e = pdftag_get(t, id);
	char **field;

	if (e == NULL)
		return;
	switch (key) {
	case PDFTAG_ALT:
		field = &e->alt;
		break;
	case PDFTAG_LANG:
		field = &e->lang;
		break;
	case PDFTAG_ACTUAL:
		field = &e->actual;
		break;
	default:
		field = &e->title;
		break;
	}
	free(*field);
	*field = value != NULL ? xstrdup(value) : NULL;
}

bool
pdftag_is_open(const struct pdftag *t, size_t id)
{
	return t->is_open && t->open == id && t->span_parent == 0;
}

size_t
pdftag_count(const struct pdftag *t)
{
	return t->n;
}

void
pdftag_page(struct pdftag *t, size_t page)
{
	if (page >= t->npages) {
		t->pages = xreallocarray(t->pages, page + 1,
		    sizeof(*t->pages));
		memset(t->pages + t->npages, 0, (page + 1 - t->npages) *
		    sizeof(*t->pages));
		t->npages = page + 1;
	}
	t->page = page;
	t->is_open = false;
	t->span_parent = 0;
}

/* A new MCID on the current page for element id, with its BDC. */
static void
open_mcid(struct pdftag *t, struct buf *out, size_t id)
{
	struct tpage *pg = &t->pages[t->page];

	if (pg->n == pg->cap) {
		pg->cap = pg->cap ? pg->cap * 2 : 16;
		pg->mcid_elem = xreallocarray(pg->mcid_elem, pg->cap,
		    sizeof(*pg->mcid_elem));
	}
	pg->mcid_elem[pg->n] = id;
	kid_add(&t->e[id - 1], 0, t->page, pg->n);
	buf_addc(out, '/');
	buf_adds(out, t->e[id - 1].role);
	buf_adds(out, " <</MCID ");
	/* Without printf: it was most of this file's time. */
	buf_add_long(out, (long)pg->n);
	/* The text also in the marked content's properties: poppler's and
	 * other extractors' copy reads it there, not in the tree. */
	if (t->e[id - 1].actual != NULL) {
		static const char digit[] = "0123456789ABCDEF";
		struct buf hex = BUF_INIT;

		utext_utf16be(&hex, t->e[id - 1].actual);
		buf_adds(out, " /ActualText <");
		for (size_t i = 0; i < hex.len; i++) {
			unsigned char v = (unsigned char)hex.ptr[i];

			buf_addc(out, digit[v >> 4]);
			buf_addc(out, digit[v & 15]);
		}
		buf_adds(out, ">");
		buf_free(&hex);
	}
	buf_adds(out, ">> BDC\n");
	pg->n++;
	t->open = id;
	t->is_open = true;
}

void
pdftag_end(struct pdftag *t, struct buf *out)
{
	if (t->is_open)
		buf_adds(out, "EMC\n");
	t->is_open = false;
	t->span_parent = 0;
	t->span_lang = NULL;
}

void
pdftag_mark(struct pdftag *t, struct buf *out, size_t id)
{
	if (t->npages == 0)
		pdftag_page(t, 0);
	if (id > t->n)
		id = 0;
	if (pdftag_is_open(t, id))
		return;
	pdftag_end(t, out);
	if (id == 0) {
		buf_adds(out, "/Artifact BMC\n");
		t->open = 0;
		t->is_open = true;
	} else
		open_mcid(t, out, id);
}

/* A Span under parent with the current language, its sequence opened. */
static void
open_span(struct pdftag *t, struct buf *out, size_t parent,
    const char *actual)
{
	size_t span = pdftag_elem(t, "Span", parent);

	pdftag_set(t, span, PDFTAG_ACTUAL, actual);
	if (t->span_lang != NULL) {
		pdftag_set(t, span, PDFTAG_LANG, t->span_lang);
		t->span_lang = t->e[span - 1].lang;
	}
	open_mcid(t, out, span);
	t->span_parent = parent;
}

bool
pdftag_span_begin(struct pdftag *t, struct buf *out, const char *actual)
{
	size_t parent = t->span_lang != NULL ? t->span_parent : t->open;

	/* In a language span, a sibling Span with the same /Lang. */
	if (!t->is_open || parent == 0 ||
	    (t->span_parent != 0 && t->span_lang == NULL))
		return false;
	buf_adds(out, "EMC\n");
	open_span(t, out, parent, actual);
	return true;
}

void
pdftag_span_end(struct pdftag *t, struct buf *out)
{
	size_t parent = t->span_parent;

	if (parent == 0 || !t->is_open)
		return;
	buf_adds(out, "EMC\n");
	if (t->span_lang != NULL) {
		/* Back to the name's language, in a Span of its own. */
		open_span(t, out, parent, NULL);
		return;
	}
	t->span_parent = 0;
	open_mcid(t, out, parent);
}

bool
pdftag_lang_begin(struct pdftag *t, struct buf *out, const char *lang)
{
	if (lang == NULL || !t->is_open || t->open == 0 ||
	    t->span_parent != 0)
		return false;
	buf_adds(out, "EMC\n");
	t->span_lang = lang;
	open_span(t, out, t->open, NULL);
	return true;
}

void
pdftag_lang_end(struct pdftag *t, struct buf *out)
{
	if (t->span_lang == NULL)
		return;
	/* The element's own sequence resumes when the next item marks it
	 * (pdftag_mark): none opens empty here. */
	if (t->is_open)
		buf_adds(out, "EMC\n");
	t->is_open = false;
	t->span_parent = 0;
	t->span_lang = NULL;
}

const size_t *
pdftag_page_mcids(const struct pdftag *t, size_t page, size_t *n)
{
	if (page >= t->npages) {
		*n = 0;
		return NULL;
	}
	*n = t->pages[page].n;
	return t->pages[page].mcid_elem;
}

size_t
pdftag_npages(const struct pdftag *t)
{
	return t->npages;
}
