/*
 * printfile.c - assemble mail pieces with qpdf's C API (see
 * printfile.h).
 *
 * qpdf copies a foreign page's objects at once but its stream data
 * lazily, from the source's input when the output is written; the source
 * QPDF itself may go (QPDF.hh, copyForeignObject, since qpdf 8.3).  Read
 * from their files, the sources would keep a file descriptor and a stdio
 * buffer each until the write, and a print file of more pieces than the
 * descriptor limit (often 1024) would fail.  So each piece is read into
 * memory, its QPDF is closed as soon as its pages are copied, and only
 * its bytes (some 20 KB) wait for the write.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <qpdf/qpdf-c.h>

#include "rnpack/buf.h"
#include "rnpack/printfile.h"
#include "rnpack/xalloc.h"

static bool
failed(qpdf_data q, const char *what, char **err)
{
	qpdf_error e;

	if (!qpdf_has_error(q))
		return false;
	e = qpdf_get_error(q);
	*err = xasprintf("%s: %s", what, e ? qpdf_get_error_full_text(q, e) :
	    "qpdf failed");
	return true;
}

static qpdf_oh
blank_page(qpdf_data out)
{
	qpdf_oh page = qpdf_oh_new_dictionary(out);
	qpdf_oh box = qpdf_oh_new_array(out);

	qpdf_oh_replace_key(out, page, "/Type", qpdf_oh_new_name(out, "/Page"));
	qpdf_oh_append_item(out, box, qpdf_oh_new_integer(out, 0));
	qpdf_oh_append_item(out, box, qpdf_oh_new_integer(out, 0));
	qpdf_oh_append_item(out, box, qpdf_oh_new_integer(out, 612));
	qpdf_oh_append_item(out, box, qpdf_oh_new_integer(out, 792));
	qpdf_oh_replace_key(out, page, "/MediaBox", box);
	qpdf_oh_replace_key(out, page, "/Resources",
	    qpdf_oh_new_dictionary(out));
	return qpdf_make_indirect_object(out, page);
}

/*
 * Read the whole file at path into *data (caller frees).  Returns false
 * with *err on failure.
 */
static bool
slurp(const char *path, char **data, size_t *len, char **err)
{
	struct buf b = BUF_INIT;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !buf_read_fd(&b, fd, SIZE_MAX)) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		buf_free(&b);
		return false;
	}
	close(fd);
	*len = b.len;
	*data = buf_detach(&b);
	return true;
}

/* One bookmark per piece, in order, at its first page. */
static void
bookmarks(qpdf_data out, const struct print_item *items, size_t n)
{
	qpdf_oh outlines = qpdf_make_indirect_object(out,
	    qpdf_oh_new_dictionary(out));
	qpdf_oh prev = 0, first = 0, root = qpdf_get_root(out);

	for (size_t i = 0; i < n; i++) {
		qpdf_oh it = qpdf_make_indirect_object(out,
		    qpdf_oh_new_dictionary(out));
		qpdf_oh dest = qpdf_oh_new_array(out);

		qpdf_oh_append_item(out, dest, qpdf_get_page_n(out,
		    items[i].first - 1));
		qpdf_oh_append_item(out, dest, qpdf_oh_new_name(out, "/Fit"));
		qpdf_oh_replace_key(out, it, "/Title",
		    qpdf_oh_new_unicode_string(out, items[i].title));
		qpdf_oh_replace_key(out, it, "/Parent", outlines);
		qpdf_oh_replace_key(out, it, "/Dest", dest);
		if (prev != 0) {
			qpdf_oh_replace_key(out, it, "/Prev", prev);
			qpdf_oh_replace_key(out, prev, "/Next", it);
		} else
			first = it;
		prev = it;
	}
	qpdf_oh_replace_key(out, outlines, "/Type",
	    qpdf_oh_new_name(out, "/Outlines"));
	qpdf_oh_replace_key(out, outlines, "/First", first);
	qpdf_oh_replace_key(out, outlines, "/Last", prev);
	qpdf_oh_replace_key(out, outlines, "/Count",
	    qpdf_oh_new_integer(out, (long long)n));
	qpdf_oh_replace_key(out, root, "/Outlines", outlines);
	qpdf_oh_replace_key(out, root, "/PageMode",
	    qpdf_oh_new_name(out, "/UseOutlines"));
}

bool
printfile_assemble(struct print_item *items, size_t n, const char *path,
    char **err)
{
	qpdf_data out = qpdf_init(), src = NULL;
	char **data = xcalloc(n + 1, sizeof(*data));	/* until the write */
	size_t page = 0;
	bool ok = true;

	qpdf_silence_errors(out);
	qpdf_empty_pdf(out);
	for (size_t i = 0; i < n && ok; i++) {
		size_t len;
		int np;

		if (!slurp(items[i].path, &data[i], &len, err)) {
			ok = false;
			break;
		}
		src = qpdf_init();
		qpdf_silence_errors(src);
		qpdf_read_memory(src, items[i].path, data[i], len, NULL);
		if (failed(src, items[i].path, err)) {
			ok = false;
			break;
		}
		np = qpdf_get_num_pages(src);
		items[i].first = page + 1;
		items[i].pages = np > 0 ? (size_t)np : 0;
		for (int k = 0; k < np; k++)
			qpdf_add_page(out, src, qpdf_get_page_n(src, (size_t)k),
			    QPDF_FALSE);
		if (failed(src, items[i].path, err)) {
			ok = false;
			break;
		}
		qpdf_cleanup(&src);
		qpdf_oh_release_all(out);
		page += items[i].pages;
		/* Every piece starts on a front side. */
		if (page % 2 == 1) {
			qpdf_add_page(out, out, blank_page(out), QPDF_FALSE);
			page++;
		}
		items[i].sheets = (items[i].pages + 1) / 2;
		ok = !failed(out, "assembling the print file", err);
	}
	if (ok && n > 0)
		bookmarks(out, items, n);
	if (ok) {
		qpdf_init_write(out, path);
		qpdf_set_deterministic_ID(out, QPDF_TRUE);
		qpdf_write(out);
		ok = !failed(out, path, err);
	}
	qpdf_cleanup(&out);
	if (src != NULL)
		qpdf_cleanup(&src);
	for (size_t i = 0; i < n; i++)
		free(data[i]);
	free(data);
	return ok;
}
