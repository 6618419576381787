/*
 * render.h - the PDF backend: laid-out documents (layout.h) to one PDF
 * packet in memory, through libharu.  The only module that sees
 * libharu.
 *
 * Guarantees: every font embedded with every part of every glyph drawn
 * (libharu 2.3.0's own embedding drops parts of composite glyphs, so
 * the fonts are written by us; see render_pdf.c),
 * one bookmark and page-label range per document, compression, and the
 * same bytes for the same input (dates come from the caller, the file
 * ID from the content).
 */
#ifndef RNPACK_RENDER_H
#define RNPACK_RENDER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rnpack/buf.h"
#include "rnpack/layout.h"
#include "rnpack/shape.h"

struct font;
struct ddoc;

/*
 * The four faces, indexed by DRUN_BOLD | DRUN_ITALIC: our reading of each
 * (metrics, coverage, composites) and HarfBuzz's, used to cut a font down
 * to the characters one packet uses before it is embedded.
 */
struct render_fonts {
	const struct font	*face[4];
	void			*hb_face[4];	/* hb_face_t, read-only */
	/* One subset at a time per face: HarfBuzz 6.0 loads a face's
	 * tables lazily, and two threads racing for the first load leaked
	 * the loser's copy of a table (LeakSanitizer, intermittently). */
	pthread_mutex_t		*cut_lock;	/* [4] */
	/* Every other script: the candidate faces (fontsel.h), and one
	 * measuring context per reader's language key (shape.h). */
	struct fontsel		*sel;
	struct render_mctx {
		const struct render_fonts	*fonts;
		unsigned			 lang;	/* shape_lang_of() */
	}			 mctx[SHAPE_NKEYS];
};

struct render_doc {
	const struct ldoc	*doc;
	const char		*label;	/* page label prefix, e.g. "CS-" */
};

struct render_meta {
	const char	*title;
	const char	*subject;
	const char	*author;	/* the issuing office */
	const char	*creator;	/* "rnpack 0.1.0" */
	const char	*keywords;
	int32_t		 date;		/* creation and modification date */
	/* Stamp at the foot of every page, a printf format taking the page's
	 * packet number and the packet's page count (two %zu); NULL: none. */
	const char	*page_stamp;
};

/* Load the four faces; NULL and *err (caller frees) on failure. */
bool	render_fonts_load(struct render_fonts *, const char *const paths[4],
	    char **err);
void	render_fonts_free(struct render_fonts *);

/* A measuring interface over the faces, for layout_doc(). */
struct measure	render_measure(const struct render_fonts *);
/* The same for a reader of language lang (BCP 47, NULL: none), whose
 * Han characters take that language's CJK face. */
struct measure	render_measure_lang(const struct render_fonts *,
		    const char *lang);

/*
 * Replace, in every run of d, each character that no face can draw
 * (and each invalid byte) with its code point ("U+0645"), so the PDF
 * never shows a blank box in its place; tabs and line ends become
 * spaces.
 */
void	render_make_visible(struct ddoc *d, const struct render_fonts *);

/*
 * The faces cut down to the characters of a set of documents (and of
 * a page stamp format, which may be NULL), ready to embed: made once,
 * it serves every PDF drawn from those documents or some of them (a
 * packet and its mail pieces).  NULL with *err (caller frees) when the
 * subsetter fails.  Freed with render_cut_free().
 */
struct render_cut;
struct render_cut *render_cut_new(const struct render_doc *docs,
	    size_t ndocs, const struct render_fonts *, const char *stamp_fmt,
	    char **err);
void	render_cut_free(struct render_cut *);

/* A face a cut embeds, for report.json. */
struct render_face {
	const char	*file;
	unsigned	 index;		/* face in the file (.ttc) */
	const char	*sha256;	/* of the file, hex */
};
/* The faces cut embeds beyond the DejaVu ones it draws by code point
 * (those are render_cut_uses()), in slot order. */
size_t	render_cut_faces(const struct render_cut *, struct render_face *v,
	    size_t max);
/* Whether cut draws text with DejaVu face style (0..3) by code point. */
bool	render_cut_uses(const struct render_cut *, unsigned style);

/*
 * Render docs into a PDF appended to out, embedding cut (NULL: a cut
 * of docs made for this PDF alone).  Every character drawn must be in
 * the cut.  Returns false with *err (caller frees) when libharu fails;
 * nothing is appended then.
 */
bool	render_pdf(const struct render_doc *docs, size_t ndocs,
	    const struct render_fonts *, const struct render_cut *cut,
	    const struct render_meta *, struct buf *out, char **err);

#endif
