/*
 * enclosure.h - received documents that travel with a notice: each file
 * is opened safely beneath the documents folder, told by its content
 * (PDF, JPEG, PNG), counted and checked, and its pages are drawn into
 * "carrier" pages of a PDF our renderer wrote.
 *
 * Enclosure files come from foreign authorities and are untrusted.  A
 * PDF is read by qpdf (a well-kept, fuzzed library); only the page
 * objects it needs are copied into our file (never its catalog), its
 * printable annotation appearances (stamps, filled fields) are flattened
 * into the page and every other annotation, form, action, script and
 * attachment is left behind; decoded stream bytes, image sizes and page
 * counts are bounded before anything is drawn.  JPEG and PNG are decoded
 * here, flattened onto white, as 8-bit RGB.
 *
 * Reentrant: no global state; one struct encl is used by one thread at a
 * time.
 */
#ifndef RNPACK_ENCLOSURE_H
#define RNPACK_ENCLOSURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rnpack/buf.h"

struct ldoc;
struct measure;

/* One checked file, owned by the caller: encl_free(). */
struct encl;

enum encl_fault {
	ENCL_OK,
	ENCL_MISSING,		/* enclosure-missing */
	ENCL_MISMATCH,		/* enclosure-mismatch: sha256 or pages */
	ENCL_UNREADABLE		/* enclosure-unreadable: type, link, password,
				 * limits, damage */
};

struct encl_limits {
	uint64_t	 max_file_bytes;	/* 0: no limit of its own */
	unsigned	 max_pages;		/* pages this file may have;
						 * 0: 9999 */
};

/* The stamp area: the bottom ENCL_FOOT_PT of a carrier page; the placed
 * page fits the ENCL_BOX_W_PT x ENCL_BOX_H_PT box above it. */
#define ENCL_FOOT_PT	36.0		/* 0.5 in */
#define ENCL_BOX_W_PT	612.0		/* 8.5 in */
#define ENCL_BOX_H_PT	756.0		/* 10.5 in */

/*
 * Open rel beneath root (no symbolic link in any component below root,
 * no "..", a regular file), read at most lim->max_file_bytes, tell the
 * type by content, count its pages (a PDF that needs a user password is
 * refused; owner-password-only files are read) and check them against
 * sha256 (64 hex digits, or NULL) and pages (0: not given).  ENCL_OK
 * with *out; else the fault and *why, a sentence a clerk can act on
 * (caller frees).  root NULL or "" means the current folder.
 */
enum encl_fault	 encl_open(const char *root, const char *rel,
		    const char *sha256, unsigned pages,
		    const struct encl_limits *lim, struct encl **out,
		    char **why);
unsigned	 encl_pages(const struct encl *);
/* "PDF", "JPEG" or "PNG". */
const char	*encl_type(const struct encl *);
/* The file's SHA-256 as 64 lower-case hex digits (valid until free). */
const char	*encl_sha256(const struct encl *);
void		 encl_free(struct encl *);

/* One enclosure page to draw into one carrier page. */
struct encl_place {
	const struct encl	*e;
	unsigned		 page;		/* 0-based in e */
	size_t			 target;	/* 0-based page in the pdf */
	size_t			 sect;		/* 0-based document of the pdf
						 * holding the carrier page */
	const char		*alt;		/* what the figure shows, for
						 * a screen reader (or NULL) */
};

/*
 * Draw each placed page into its carrier page of pdf (a PDF this
 * program rendered; the carriers are blank except in the bottom
 * ENCL_FOOT_PT).  The page is scaled uniformly, never enlarged, into the
 * top 8.5 x 10.5 in and centred; a landscape page (after its /Rotate)
 * turns 90 degrees counter-clockwise.  Rewrites pdf in place, the same
 * bytes for the same input: a classic cross-reference table, no object
 * streams, so the print file's splice reads it; its version is raised to
 * the highest of the placed files'.  An encl may be placed any number of
 * times, into any number of PDFs.  false with *err (caller frees) and
 * pdf unchanged on failure.  n 0 leaves pdf untouched.
 *
 * In a tagged pdf each drawing is marked content /Figure with the next
 * free MCID of its page, and a Figure element with its /Alt goes under
 * the structure element of document sect (the Document element's kid
 * sect: render_pdf() makes one Sect per document), before the elements
 * already there: carrier pages come first in their document.  The
 * stream before endstream ends with a newline (PDF/A).
 */
bool		 encl_fill(struct buf *pdf, const struct encl_place *,
		    size_t n, char **err);

/*
 * Append to doc pages carrier pages for enclosure k of n of case_id,
 * each with its foot stamp on one line in the bottom 0.5 in: the case
 * id at the left, "Enclosure k of n" (or "Enclosure k of n
 * (translation)") centred and "page i of pages" at the right, in our
 * regular face at ENCL_STAMP_PT, measured with m.  The text is owned by
 * doc (ldoc_free()).  Returns the index of the first page appended.
 */
#define ENCL_STAMP_PT	8.0
size_t		 encl_carriers(struct ldoc *doc, const struct measure *m,
		    const char *case_id, unsigned k, unsigned n,
		    bool translation, unsigned pages);

#endif
