/*
 * pdftag.h - the structure tree of a tagged PDF (ISO 32000-1, 14.7-14.8)
 * built as the pages are drawn: structure elements, the marked-content
 * operators of each page's content stream with their MCIDs, and each
 * page's MCID -> element map (the parent tree).  It writes no PDF
 * objects: the backend (render_pdf.c) turns the finished tree into
 * them.
 *
 * Marked content is never nested here: opening a sequence closes the
 * one open, and a Span for /ActualText ends its parent's sequence,
 * opens its own and, when it ends, reopens the parent under a new MCID
 * (text extractors cut an element's text at the first inner EMC).
 * The caller ends any text object (BT ... ET) before each call that
 * writes operators, so no sequence crosses one.
 */
#ifndef RNPACK_PDFTAG_H
#define RNPACK_PDFTAG_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

/* A kid of an element: another element, or marked content of a page. */
struct pdftag_kid {
	size_t		 elem;		/* element id; 0: marked content */
	size_t		 page;		/* 0-based */
	size_t		 mcid;
};

struct pdftag_elem {
	const char	*role;		/* "P", "H1", "Span"... (static) */
	size_t		 parent;	/* 0: the root (Document) */
	char		*alt;		/* /Alt, owned; NULL: none */
	char		*lang;		/* /Lang, owned */
	char		*actual;	/* /ActualText, owned */
	char		*title;		/* /T, owned */
	bool		 th_col;	/* TH: /Scope /Column */
	struct pdftag_kid *kids;
	size_t		 nkids;
	size_t		 cap;
};

struct pdftag;

/* A tree whose root is a Document element (id 1). */
struct pdftag	*pdftag_new(void);
void		 pdftag_free(struct pdftag *);

enum pdftag_key {
	PDFTAG_ALT,
	PDFTAG_LANG,
	PDFTAG_ACTUAL,
	PDFTAG_TITLE
};

/* A new element of role (a static string) under parent; returns its id
 * (from 2; 1 is the Document). */
size_t		 pdftag_elem(struct pdftag *, const char *role, size_t parent);
/* Set one of its strings (copied; NULL clears it). */
void		 pdftag_set(struct pdftag *, size_t id, enum pdftag_key,
		    const char *value);
/* Whether element id (0: an artifact) is the open sequence's. */
bool		 pdftag_is_open(const struct pdftag *, size_t id);
struct pdftag_elem *pdftag_get(struct pdftag *, size_t id);
size_t		 pdftag_count(const struct pdftag *);	/* ids 1..count */

/* Drawing page (0-based) starts: MCIDs restart at 0. */
void		 pdftag_page(struct pdftag *, size_t page);

/*
 * Marked content for element id (0: an artifact) from here on, writing
 * its operators to out: nothing if that is what is open, else the open
 * sequence's EMC and a BDC (or /Artifact BMC).
 */
void		 pdftag_mark(struct pdftag *, struct buf *out, size_t id);
/* End the open sequence, if any (at the end of a page). */
void		 pdftag_end(struct pdftag *, struct buf *out);

/*
 * /ActualText over the next glyphs: ends the open element's sequence,
 * opens a Span child of it with the text and its own MCID; false (and
 * nothing written) when no element is open.  pdftag_span_end() closes
 * the Span and reopens the parent with a new MCID.
 */
bool		 pdftag_span_begin(struct pdftag *, struct buf *out,
		    const char *actual_utf8);
void		 pdftag_span_end(struct pdftag *, struct buf *out);
/*
 * A passage in another language inside the open element: its glyphs go
 * into Span children with /Lang lang until pdftag_lang_end(), each
 * marked-content sequence of its own; a Span for /ActualText begun
 * meanwhile is a sibling with the same /Lang, never nested.  False (and
 * nothing done) when no element is open or a Span is.  After the end,
 * nothing is open: the next pdftag_mark() opens what follows.
 */
bool		 pdftag_lang_begin(struct pdftag *, struct buf *out,
		    const char *lang);
void		 pdftag_lang_end(struct pdftag *, struct buf *out);

/* Page's MCIDs: the element of each, *n of them (borrowed). */
const size_t	*pdftag_page_mcids(const struct pdftag *, size_t page,
		    size_t *n);
size_t		 pdftag_npages(const struct pdftag *);

#endif
