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

struct print_item {
	const char	*path;		/* the piece's own PDF */
	const char	*title;		/* bookmark */
	const char	*case_id;	/* on its blank page; NULL: none */
	size_t		 first;		/* out: first page in the print file */
	size_t		 pages;		/* out: the piece's pages */
	size_t		 sheets;	/* out: sheets printed duplex */
};

/*
 * Assemble items, in order, into a new PDF at path (the caller renames
 * it into place).  Returns false with *err (caller frees) on failure.
 */
bool	printfile_assemble(struct print_item *items, size_t n,
	    const char *path, char **err);

#endif
