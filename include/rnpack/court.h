/*
 * court.h - the court submission (docs/court-submission.md): for a case
 * before an immigration court, DHS's submission of the notice and its
 * documentation as evidence, OUT/<case-id>/court-submission.pdf: a
 * cover page with the caption, a table of contents, the exhibits (the
 * notice extract, then each received document, each followed by its
 * certified English translation and the translator's certificate) and a
 * proof of service, every page numbered "Page N of T" across the whole
 * submission.  A file over COURT_MAX_BYTES is split into parts at
 * exhibit boundaries.
 *
 * The planning functions (court_exhibits, court_plan, court_split) are
 * pure, for tests; court_run() is the batch's one call per case.
 */
#ifndef RNPACK_COURT_H
#define RNPACK_COURT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rnpack/buf.h"

struct case_doc;
struct evaluation;
struct outdir;
struct packet_env;
struct policy;
struct rules_context;
struct case_mail;
struct translation;

#define COURT_MAX_BYTES		25000000	/* per file, as filed */
#define COURT_MAX_EXHIBITS	52		/* extract + 50 documents */
#define COURT_FILE		"court-submission.pdf"
#define COURT_TEMPLATE		"court-submission.tmpl"

/* One exhibit: the notice extract or a received document with a file. */
struct court_exhibit {
	char			 letter[4];	/* "A", ..., "Z", "AA", ... */
	const char		*title;		/* as recorded (the extract:
						 * made_title) */
	char			 made_title[160];	/* the extract's title:
						 * point at it, never copy */
	bool			 is_extract;
	const char		*file;
	const char		*sha256;	/* NULL when not given */
	int			 declared_pages;	/* -1: not given */
	const char		*language;	/* NULL: English */
	const struct translation *translation;	/* NULL: none */
	/* Filled by the caller: pages of the file, of its translation and
	 * of the translator's certificate (0 without a translation). */
	unsigned		 doc_pages, tr_pages, cert_pages;
	/* Filled by court_plan(): 1-based pages in the submission. */
	size_t			 first, last;
	size_t			 tr_first, cert_first;
};

/*
 * The exhibits of c in order, at most COURT_MAX_EXHIBITS: the extract
 * first when present, then each received document that has a file.
 * The extract's title is made in its exhibit's made_title.  Returns the count.
 */
size_t	court_exhibits(const struct case_doc *c, struct court_exhibit *out);

/* Where everything lands once the page counts are known. */
struct court_plan {
	size_t	front;		/* pages of cover and table of contents */
	size_t	proof;		/* pages of the proof of service */
	size_t	proof_first;	/* 1-based */
	size_t	total;
};

/* Number the pages: front matter, each exhibit (document, translation,
 * certificate), then the proof of service. */
void	court_plan(struct court_plan *, struct court_exhibit *, size_t n);

/*
 * Split units (front matter, each exhibit, proof of service: n of them,
 * each of size[i] bytes) into parts of at most limit bytes, cutting only
 * between units; a unit larger than limit makes a part of its own.
 * Sets first[k] to the first unit of part k; returns the number of parts.
 */
size_t	court_split(const size_t *size, size_t n, size_t limit, size_t *first);

/* "A" for 0, "Z" for 25, "AA" for 26, "AB" for 27, ... */
void	court_letter(size_t i, char out[4]);

/*
 * What the batch hands over for one valid case after its mail pieces
 * are allocated.
 */
struct court_job {
	const struct packet_env		*env;
	const struct policy		*policy;
	const struct rules_context	*rc;
	int32_t				 as_of;
	struct outdir			*out;	/* NULL: --check-only */
	const struct case_doc		*c;
	struct evaluation		*ev;
	const struct case_mail		*cm;
};

/*
 * The court submission's part of a case's processing: the
 * response-period finding (it needs the mail pieces' states), then in
 * a full run the submission written when generated, or every
 * court-submission*.pdf of the case removed.  A failure to render
 * becomes pdf-render-failed on the submission alone; a write failure
 * goes to line.  Returns an exit status (0 or 3).
 */
int	court_run(const struct court_job *, struct buf *line);

/*
 * Render the submission of an evaluated case into parts[0..*nparts)
 * (each buf initialised here; the caller frees them).  false with *err.
 */
#define COURT_MAX_PARTS	64
bool	court_build(const struct court_job *, struct buf *parts,
	    size_t *nparts, char **err);

#endif
