/*
 * ddoc.h - the document model: one document of a packet as a list of
 * blocks with styled text, the output of evaluating a template against a
 * case (tmpl.c) and the input of the layout engine (layout.c).
 *
 * Text is UTF-8, already NFC; markup has been interpreted, so the text of
 * a run is printed as it is.  Lengths are in PDF points (1/72 in).
 */
#ifndef RNPACK_DDOC_H
#define RNPACK_DDOC_H

#include <stdbool.h>
#include <stddef.h>

#define DRUN_BOLD	1u
#define DRUN_ITALIC	2u
/* Not a face: the run is a name in its bearer's own language, the
 * document's name_lang (tagged /Lang when that is not the document's). */
#define DRUN_LANG	4u

enum drun_kind {
	DRUN_TEXT,
	DRUN_PAGE,	/* the page number within the document */
	DRUN_PAGES	/* the document's page count */
};

struct drun {
	enum drun_kind	 kind;
	unsigned	 style;		/* DRUN_BOLD | DRUN_ITALIC | DRUN_LANG */
	char		*text;		/* DRUN_TEXT only */
};

/* A sequence of runs: one paragraph's, one cell's, one label's text. */
struct dinline {
	struct drun	*v;
	size_t		 n;
	size_t		 cap;
};

enum dblock_kind {
	DB_HEADING,	/* level 1-3; keeps with the next block */
	DB_PARA,
	DB_ITEM,	/* list item: marker + text, hanging indent */
	DB_TABLE,
	DB_CHECKBOX,	/* box, checked or not, then text */
	DB_FIELD,	/* "label: value" on a rule, value may be empty */
	DB_SIGNATURE,	/* two labelled lines side by side: text, value */
	DB_BOX,		/* absolutely placed block on the current page */
	DB_PAGEBREAK,
	DB_SPACE,	/* vertical space of space_pt */
	DB_RULE,	/* a thin horizontal line across the text width */
	DB_BARCODE,	/* USPS Intelligent Mail barcode: text holds the
			 * 65 bar letters A/D/F/T */
	DB_KEEP,	/* kids stay on one page when they can */
	DB_BOOKMARK	/* text: a bookmark, under the document's, at the
			 * page where the next block lands */
};

enum dalign {
	DALIGN_LEFT,
	DALIGN_JUSTIFY,
	DALIGN_CENTER,
	DALIGN_RIGHT
};

struct drow {
	struct dinline	*cells;		/* ncols of them */
	bool		 header;	/* repeated at the top of each page */
};

struct dtable {
	double		*widths;	/* fractions of the text width, sum 1 */
	size_t		 ncols;
	struct drow	*rows;
	size_t		 nrows;
	size_t		 cap;
};

struct dblock {
	enum dblock_kind kind;
	int		 level;		/* DB_HEADING */
	enum dalign	 align;		/* DB_PARA, DB_ITEM */
	char		 marker[16];	/* DB_ITEM: "•", "1." */
	struct dinline	 text;
	struct dinline	 value;		/* DB_FIELD, DB_SIGNATURE */
	bool		 checked;	/* DB_CHECKBOX */
	double		 space_pt;	/* DB_SPACE */
	struct dtable	 table;		/* DB_TABLE */
	double		 box[4];	/* DB_BOX: x, y, w, h from top-left */
	double		 size_pt;	/* DB_BOX: text size inside, 0: body */
	struct dblock	*kids;		/* DB_BOX, DB_KEEP contents */
	size_t		 nkids;
	size_t		 kcap;
};

struct ddoc {
	char		*title;		/* bookmark and document title */
	char		*lang;		/* BCP 47 primary subtag, "en" */
	char		*name_lang;	/* DRUN_LANG runs' language, or NULL */
	double		 margin[4];	/* top, right, bottom, left */
	double		 size_pt;	/* body text size */
	struct dinline	 header[3];	/* left, center, right */
	struct dinline	 footer[3];
	struct dblock	*blocks;
	size_t		 nblocks;
	size_t		 cap;
};

struct ddoc	*ddoc_new(void);
void		 ddoc_free(struct ddoc *);
/* Append a zeroed block to the document (or to a box's kids). */
struct dblock	*ddoc_add(struct ddoc *, enum dblock_kind);
struct dblock	*dblock_add_kid(struct dblock *box, enum dblock_kind);
/* Append a run; text is copied (NULL for page counters). */
void		 dinline_add(struct dinline *, enum drun_kind, unsigned style,
		    const char *text);
void		 dinline_free(struct dinline *);
/* Append a row of ncols empty cells to a table. */
struct drow	*dtable_add_row(struct dtable *, bool header);
/* The plain text of an inline (runs joined), for tests and dumps. */
char		*dinline_text(const struct dinline *);

#endif
