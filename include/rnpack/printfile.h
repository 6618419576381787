/*
 * printfile.h - the mail room's print file: the PDFs of a batch's mail
 * pieces assembled into one, each piece starting on an odd page (a blank
 * page after a piece with an odd page count, for duplex printing, that
 * says so and names the case) and bookmarked.  Pages are spliced, never rendered again: each piece's
 * objects are copied as they are, renumbered, one piece in memory at a
 * time, and the print file is streamed to its file.
 */
#ifndef RNPACK_PRINTFILE_H
#define RNPACK_PRINTFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "rnpack/digest.h"

struct print_item {
	const char	*path;		/* the piece's own PDF */
	const char	*title;		/* bookmark */
	const char	*case_id;	/* on its blank page; NULL: none */
	size_t		 from, count;	/* its pages to take (1-based);
					   count 0: all */
	char		 digest[DIGEST_HEX_SIZE];	/* out: page digest */
	size_t		 first;		/* out: first page in the print file */
	size_t		 pages;		/* out: the piece's pages */
	size_t		 sheets;	/* out: sheets printed duplex */
};

/*
 * Assemble items, in order, into a new PDF at path, replaced whole
 * (atomicio.h).  Returns false with *err (caller frees) on failure;
 * then path is as it was.
 */
bool	printfile_assemble(struct print_item *items, size_t n,
	    const char *path, char **err);

/*
 * printfile_pages(): how many pages the PDF at path has (read as a piece
 * is), false with *err.
 *
 * printfile_digest(): the page digest of pages from .. from+count-1 (1-based; count 0: all)
 * of the PDF at path: SHA-256 over, page by page, each content stream's
 * data as stored, then the stream data of the fonts and images the page
 * names in its resources, in the order of their resource names (each
 * object with everything it refers to, depth first).  The splice copies
 * all of these unchanged, so a piece's digest is the same in its own PDF
 * and in a print file.  false with *err (caller frees).
 */
bool	printfile_pages(const char *path, size_t *pages, char **err);
bool	printfile_digest(const char *path, size_t from, size_t count,
	    char hex[DIGEST_HEX_SIZE], char **err);

#endif
