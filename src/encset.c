/*
 * encset.c - the enclosures of one case (see encset.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnpack/buf.h"
#include "rnpack/case.h"
#include "rnpack/diag.h"
#include "rnpack/enclosure.h"
#include "rnpack/encset.h"
#include "rnpack/policy.h"
#include "rnpack/xalloc.h"

static const enum diag_code fault_code[] = {
	[ENCL_MISSING] = DIAG_ENCLOSURE_MISSING,
	[ENCL_MISMATCH] = DIAG_ENCLOSURE_MISMATCH,
	[ENCL_UNREADABLE] = DIAG_ENCLOSURE_UNREADABLE,
};

struct ctx {
	struct encset		*s;
	const struct policy	*p;
	const char		*root;
	struct findings		*f;
};

static void
say(struct ctx *x, enum diag_code code, unsigned line, const char *what,
    const char *title, const char *why)
{
	char *t = diag_quote(title, 120), *w = diag_quote(why, 400);

	findings_add(x->f, code, line, "The file of %s \"%s\" cannot travel "
	    "with the notice: %s. The notice is withheld until the file is "
	    "put right.", what, t, w);
	free(t);
	free(w);
}

static void
add(struct ctx *x, const char *what, const char *title, unsigned k,
    bool translation, const char *file, const char *sha256, int pages,
    unsigned line)
{
	struct encset *s = x->s;
	struct encset_item *it;
	struct encl_limits lim;
	enum encl_fault f;
	char *why = NULL;

	s->v = xreallocarray(s->v, s->n + 1, sizeof(*s->v));
	it = &s->v[s->n++];
	memset(it, 0, sizeof(*it));
	it->title = title;
	it->k = k;
	it->translation = translation;
	lim.max_file_bytes = x->p->max_file_bytes > 0 ?
	    (uint64_t)x->p->max_file_bytes : 0;
	lim.max_pages = x->p->max_pages_per_case > 0 ?
	    (unsigned)x->p->max_pages_per_case : 0;
	f = encl_open(x->root, file, sha256, pages > 0 ? (unsigned)pages : 0,
	    &lim, &it->e, &why);
	if (f != ENCL_OK) {
		say(x, fault_code[f], line, what, title, why);
		free(why);
		s->ok = false;
		return;
	}
	s->pages += encl_pages(it->e);
	if (x->p->max_pages_per_case > 0 &&
	    s->pages > (unsigned)x->p->max_pages_per_case) {
		why = xasprintf("%s: the case's enclosures come to %u pages "
		    "with it, over the limit of %d (maxPagesPerCase)", file,
		    s->pages, x->p->max_pages_per_case);
		say(x, DIAG_ENCLOSURE_UNREADABLE, line, what, title, why);
		free(why);
		encl_free(it->e);
		it->e = NULL;
		s->ok = false;
	}
}

static void
add_translation(struct ctx *x, const char *title, unsigned k,
    const struct translation *t)
{
	if (t == NULL || t->file == NULL)
		return;
	add(x, "the translation of", title, k, true, t->file, NULL, 0,
	    t->line);
}

void
encset_check(struct encset *s, const struct case_doc *c,
    const struct policy *p, struct findings *f)
{
	struct ctx x = { s, p, p->documents_root[0] ? p->documents_root :
	    c->folder, f };
	const struct extract *ex = &c->notice.extract;
	unsigned k = 0;

	memset(s, 0, sizeof(*s));
	s->ok = true;
	if (ex->present && ex->file != NULL)
		s->numbered++;
	for (size_t i = 0; i < c->iw.nenclosures; i++)
		if (c->iw.enclosures[i].file != NULL)
			s->numbered++;
	if (ex->present && ex->file != NULL) {
		add(&x, "the notice extract", "Notice extract", ++k, false,
		    ex->file, ex->sha256, ex->pages, ex->line);
		add_translation(&x, "Notice extract", k, ex->translation);
	}
	for (size_t i = 0; i < c->iw.nenclosures; i++) {
		const struct enclosure *en = &c->iw.enclosures[i];

		if (en->file == NULL)
			continue;
		add(&x, "the document", en->title, ++k, false, en->file,
		    en->sha256, en->pages, en->line);
		add_translation(&x, en->title, k, en->translation);
	}
}

void
encset_free(struct encset *s)
{
	for (size_t i = 0; i < s->n; i++)
		encl_free(s->v[i].e);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

void
encset_carriers(const struct encset *s, struct ldoc *doc,
    const struct measure *m, const char *case_id)
{
	if (!s->ok)
		return;
	for (size_t i = 0; i < s->n; i++)
		encl_carriers(doc, m, case_id, s->v[i].k, s->numbered,
		    s->v[i].translation, encl_pages(s->v[i].e));
}

bool
encset_fill(const struct encset *s, size_t first, size_t sect,
    struct buf *pdf, char **err)
{
	struct encl_place *pl;
	char **alt;
	size_t np = 0;
	bool ok;

	if (!s->ok) {
		*err = xstrdup("an enclosure file could not be opened");
		return false;
	}
	pl = xreallocarray(NULL, s->pages + 1, sizeof(*pl));
	alt = xreallocarray(NULL, s->pages + 1, sizeof(*alt));
	for (size_t i = 0; i < s->n; i++) {
		unsigned m = encl_pages(s->v[i].e);

		for (unsigned p = 0; p < m; p++) {
			/* The stamp's words (an artifact), and the title. */
			alt[np] = xasprintf("Enclosure %u of %u%s, page %u of "
			    "%u: %s", s->v[i].k, s->numbered,
			    s->v[i].translation ? " (translation)" : "",
			    p + 1, m, s->v[i].title);
			pl[np].e = s->v[i].e;
			pl[np].page = p;
			pl[np].target = first + np;
			pl[np].sect = sect;
			pl[np].alt = alt[np];
			np++;
		}
	}
	ok = encl_fill(pdf, pl, np, err);
	for (size_t i = 0; i < np; i++)
		free(alt[i]);
	free(alt);
	free(pl);
	return ok;
}
