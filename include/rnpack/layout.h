/*
 * layout.h - the layout engine: a document model (ddoc.h) to pages of
 * positioned text, lines and boxes, using real font metrics through a
 * small measuring interface.  It never knows which backend will draw
 * the pages (PDF, or a text dump in tests).
 *
 * Coordinates are PDF points from the TOP-LEFT corner of a US Letter
 * page (612 x 792); y grows downwards and is the text baseline for
 * LI_TEXT.
 */
#ifndef RNPACK_LAYOUT_H
#define RNPACK_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

struct ddoc;
struct dblock;

#define LAYOUT_PAGE_W	612.0
#define LAYOUT_PAGE_H	792.0

/* How the backend measures text; style is DRUN_BOLD | DRUN_ITALIC. */
struct measure {
	void	*ctx;
	/* Width in points of text at size pt. */
	double	(*width)(void *ctx, unsigned style, double size,
		    const char *text);
	/* Ascent and descent as fractions of the size (descent > 0). */
	double	 ascent;
	double	 descent;
	/* The backend's key for the reader's language (which CJK face,
	 * for instance), copied to the ldoc so text is drawn as measured. */
	unsigned lang;
};

enum litem_kind {
	LI_TEXT,	/* text at (x, y) baseline; x2 is its measured end */
	LI_LINE,	/* line from (x, y) to (x2, y2), width w */
	LI_RECT,	/* rectangle outline x, y (top-left), x2, y2 (bottom-right) */
	LI_CHECK,	/* a check mark inside the box x, y, x2, y2 */
	LI_FILL		/* filled rectangle x, y (top-left), x2, y2 */
};

/*
 * Roles of structure elements (tagged PDF, ISO 32000-1 14.8.4), set by
 * the layout from the document model's blocks.
 */
enum lrole {
	LR_P,
	LR_H1,
	LR_H2,
	LR_H3,
	LR_L,		/* a list: consecutive items */
	LR_LI,
	LR_LBL,		/* an item's marker */
	LR_LBODY,
	LR_TABLE,
	LR_TR,
	LR_TH,		/* header cell: scope column */
	LR_TD,
	LR_FIGURE	/* with alternative text: barcode, checkbox */
};

/* A structure element of a document, in the order it was opened. */
struct lelem {
	enum lrole	 role;
	size_t		 parent;	/* 1-based index in ldoc elems; 0: the
					 * document itself */
	const char	*alt;		/* LR_FIGURE: static text, or NULL */
};

struct litem {
	enum litem_kind	 kind;
	unsigned	 style;
	double		 size;
	double		 x, y, x2, y2;
	double		 w;		/* line width */
	char		*text;		/* LI_TEXT */
	/* LI_TEXT: its paragraph's base direction, so every line of it is
	 * ordered alike: 0 the text's own (its first strong character),
	 * 1 left to right, 2 right to left (enum shape_dir). */
	unsigned char	 dir;
	/* Tagging: the structure element the item belongs to (1-based
	 * index in ldoc elems), or 0 with artifact set for what is not
	 * content (running heads and feet, grids, rules, blanks, header
	 * rows repeated on a new page). */
	size_t		 elem;
	bool		 artifact;
};

/*
 * USPS-B-3200 Intelligent Mail barcode geometry, in points: 22 bars per
 * inch, bars 0.020 in wide, full bars 0.145 in tall, trackers 0.048 in.
 */
#define IMB_PITCH_PT	(72.0 / 22.0)
#define IMB_BAR_PT	1.44
#define IMB_FULL_PT	10.44
#define IMB_TRACK_PT	3.456
#define IMB_BLOCK_PT	(IMB_FULL_PT + 2.0)	/* with its clear zone below */

/* Line height / size of text in a box: address blocks are set solid. */
#define LAYOUT_BOX_LINE	1.03

struct lpage {
	struct litem	*items;
	size_t		 n;
	size_t		 cap;
};

/* A bookmark inside a document (DB_BOOKMARK): its title and page. */
struct lmark {
	char		*title;
	size_t		 page;		/* 0-based, in the document */
};

struct ldoc {
	char		*title;
	char		*lang;		/* the document's language, "en" */
	char		*name_lang;	/* DRUN_LANG items' language, or NULL */
	struct lelem	*elems;		/* structure elements, parents first */
	size_t		 nelems;
	struct lpage	*pages;
	size_t		 npages;
	size_t		 cap;
	struct lmark	*marks;		/* in page order */
	size_t		 nmarks;
	unsigned	 face_lang;	/* struct measure's lang */
};

/*
 * Lay out d.  Paragraphs are broken into lines with measured widths
 * (left or justified), headings keep with the next block, paragraphs
 * leave no single first or last line alone on a page (no widows or
 * orphans), table rows are never split and header rows repeat on every
 * page, boxes go at absolute positions, and the header and footer carry
 * "page of pages" once the page count is known.  Returns a new ldoc
 * (free with ldoc_free()), which owns every string in it; NULL only if m
 * or m->width is NULL.  d NULL lays out an empty document (one page).
 * Reentrant: no global state, so threads may call it at once.
 */
struct ldoc	*layout_doc(const struct ddoc *d, const struct measure *m);
void		 ldoc_free(struct ldoc *);

/*
 * Whether the kids of box (a DB_BOX of d) fit inside its rectangle:
 * their content ends above its bottom and no item lies left or right of
 * it.  layout_doc() draws a box's kids even when they do not fit, so
 * callers check with this.  False for a box with a non-finite or empty
 * rectangle, or m NULL.
 */
bool		 layout_box_fits(const struct ddoc *d, const struct dblock *box,
		    const struct measure *m);

/*
 * Break text (one style) into lines no wider than width; returns the
 * number of lines and sets *breaks to a new array of byte offsets where
 * each line starts (the caller frees; never NULL, even for 0 lines).
 * Lines break at spaces; a word wider than width is cut at code point
 * boundaries.  Exposed for tests.
 */
size_t	layout_break_lines(const struct measure *, unsigned style, double size,
	    const char *text, double width, size_t **breaks);

#endif
