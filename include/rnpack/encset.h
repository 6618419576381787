/*
 * encset.h - the enclosures of one case, opened and checked once per
 * evaluation: the notice extract, then each received document with a
 * file, each followed by its translation, in the case's order.  The
 * files' faults become enclosure-missing, enclosure-mismatch and
 * enclosure-unreadable findings on the element's line; the pages of the
 * whole set, translations included, are bounded by the policy's
 * maxPagesPerCase.
 */
#ifndef RNPACK_ENCSET_H
#define RNPACK_ENCSET_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct case_doc;
struct encl;
struct findings;
struct ldoc;
struct measure;
struct policy;

struct encset_item {
	const char	*title;		/* the document's title as recorded;
					 * "Notice extract" for the extract */
	unsigned	 k;		/* "Enclosure k of n", from 1 */
	bool		 translation;	/* the translation of enclosure k */
	struct encl	*e;		/* NULL when it could not be opened */
};

struct encset {
	struct encset_item	*v;
	size_t			 n;
	unsigned		 numbered;	/* n of "k of n": the extract
						 * and documents with files */
	unsigned		 pages;		/* all items' pages */
	bool			 ok;		/* every file opened */
};

/*
 * Open and check every enclosure file of c beneath the policy's
 * documents root (else the case file's folder), adding a finding to f
 * for each that fails.  s is initialised here; free with encset_free().
 */
void	encset_check(struct encset *s, const struct case_doc *c,
	    const struct policy *p, struct findings *f);
void	encset_free(struct encset *s);

/*
 * For a set whose every file opened (s->ok): append to doc one carrier
 * page per enclosure page, in order, stamped as encl_carriers() does
 * (case id, "Enclosure k of n", "page i of m"); and, once the PDF is
 * rendered, draw the enclosures into its carrier pages, the first at
 * page first (0-based), each a figure of document sect (0-based) with
 * "Enclosure k of n, page i of m: title" as its /Alt.  encset_fill()
 * returns false with *err (caller frees) and pdf unchanged on failure.
 */
void	encset_carriers(const struct encset *s, struct ldoc *doc,
	    const struct measure *m, const char *case_id);
bool	encset_fill(const struct encset *s, size_t first, size_t sect,
	    struct buf *pdf, char **err);

#endif
