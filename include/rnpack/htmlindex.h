/*
 * htmlindex.h - OUT/index.html: one static page that shows a run at a
 * glance (totals by status, findings by code, a row per input with
 * links to its packet, report and mail pieces).
 *
 * The page needs no server and no script to be read: the table is
 * plain HTML.  When scripts are allowed, a small inline script makes
 * it sortable and filterable.  Everything from a case is escaped.
 */
#ifndef RNPACK_HTMLINDEX_H
#define RNPACK_HTMLINDEX_H

#include <stdbool.h>
#include <stddef.h>

#include "rnpack/buf.h"
#include "rnpack/diag.h"
#include "rnpack/domain.h"

/* What the page shows of one input; the writer only reads it. */
struct index_entry {
	const char		*source;	/* as given on the command line */
	const char		*case_id;	/* NULL when unknown */
	enum case_status	 status;
	const struct findings	*findings;	/* every finding, or NULL */
	bool			 has_folder;	/* OUT/<case-id>/ was written */
	bool			 has_packet;	/* ... with packet.pdf */
	const char *const	*pieces;	/* mail piece files in it */
	size_t			 npieces;
};

/* The mail piece files a case folder may hold, in the order listed. */
#define HTMLINDEX_MAX_PIECES	2

/*
 * Fill e's has_folder, has_packet and pieces from what the folder
 * out/<e->case_id>/ holds (regular files, links not followed); the
 * piece names go to names[0..HTMLINDEX_MAX_PIECES-1], which e then
 * points at.  Nothing for an entry without a case id or invalid.
 */
void	htmlindex_find_files(struct index_entry *e, const char *out,
	    const char **names);

/*
 * Append the page for n entries.  title names the run ("rnpack run as
 * of 2024-03-14"); the writer adds nothing that changes between two
 * runs over the same inputs (no clock), so the bytes are reproducible.
 */
void	htmlindex_write(struct buf *, const char *title,
	    const struct index_entry *, size_t n);

#endif
