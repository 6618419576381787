/*
 * printfile.c - assemble mail pieces with qpdf's C API (see
 * printfile.h).
 *
 * qpdf copies a foreign page's objects at once but its stream data
 * lazily: the output would read every source again while it is written,
 * so every source would stay open (a file descriptor and some 200 KB
 * each) until the end.  Instead each source's streams are read into the
 * output as soon as its pages are copied (raw, with their own filters,
 * so the bytes written are the same) and the source is closed at once:
 * the output holds only the pieces' own bytes and objects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qpdf/qpdf-c.h>

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

/* Object ids already visited in one piece's copy (a few dozen). */
struct seen {
	int	*id;
	size_t	 n, cap;
};

static bool
seen_add(struct seen *s, int id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->id[i] == id)
			return false;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->id = xreallocarray(s->id, s->cap, sizeof(*s->id));
	}
	s->id[s->n++] = id;
	return true;
}

/*
 * Give every stream reachable from oh (in out, copied from a source)
 * its own copy of the raw data, so that the source can be closed.  The
 * walk stays inside the piece: a page's /Parent is the output's page
 * tree.  Returns false when qpdf fails (the error is on out).
 */
static bool
own_streams(qpdf_data out, qpdf_oh oh, struct seen *seen, int depth)
{
	bool ok = true;

	if (depth > 64)		/* deeper than any piece we write */
		return true;
	if (qpdf_oh_is_indirect(out, oh) &&
	    !seen_add(seen, qpdf_oh_get_object_id(out, oh)))
		return true;
	if (qpdf_oh_is_stream(out, oh)) {
		qpdf_oh dict = qpdf_oh_get_dict(out, oh);
		unsigned char *data = NULL;
		size_t len = 0;

		ok = own_streams(out, dict, seen, depth + 1);
		if (ok && qpdf_oh_get_stream_data(out, oh, qpdf_dl_none, NULL,
		    &data, &len) == QPDF_SUCCESS)
			qpdf_oh_replace_stream_data(out, oh, data, len,
			    qpdf_oh_get_key(out, dict, "/Filter"),
			    qpdf_oh_get_key(out, dict, "/DecodeParms"));
		free(data);
		return ok && !qpdf_has_error(out);
	}
	if (qpdf_oh_is_array(out, oh)) {
		int n = qpdf_oh_get_array_n_items(out, oh);

		for (int i = 0; i < n && ok; i++)
			ok = own_streams(out, qpdf_oh_get_array_item(out, oh, i),
			    seen, depth + 1);
	} else if (qpdf_oh_is_dictionary(out, oh)) {
		qpdf_oh *kid = NULL;
		size_t n = 0, cap = 0;

		/* qpdf iterates over one dictionary at a time: collect the
		 * values first, then descend. */
		qpdf_oh_begin_dict_key_iter(out, oh);
		while (qpdf_oh_dict_more_keys(out)) {
			const char *key = qpdf_oh_dict_next_key(out);

			if (strcmp(key, "/Parent") == 0)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				kid = xreallocarray(kid, cap, sizeof(*kid));
			}
			kid[n++] = qpdf_oh_get_key(out, oh, key);
		}
		for (size_t i = 0; i < n && ok; i++)
			ok = own_streams(out, kid[i], seen, depth + 1);
		free(kid);
	}
	return ok && !qpdf_has_error(out);
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
	struct seen seen = { NULL, 0, 0 };
	size_t page = 0;
	bool ok = true;

	qpdf_silence_errors(out);
	qpdf_empty_pdf(out);
	for (size_t i = 0; i < n && ok; i++) {
		int np;

		src = qpdf_init();
		qpdf_silence_errors(src);
		qpdf_read(src, items[i].path, NULL);
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
		/* Own the copied streams, then let the source go. */
		seen.n = 0;
		for (size_t k = 0; k < items[i].pages && ok; k++)
			ok = own_streams(out, qpdf_get_page_n(out, page + k),
			    &seen, 0);
		if (failed(src, items[i].path, err) ||
		    failed(out, items[i].path, err)) {
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
	free(seen.id);
	return ok;
}
