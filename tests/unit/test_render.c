/*
 * test_render.c - the libharu backend: a hand-made page renders to a
 * plausible PDF in memory, the bytes do not depend on the run, the ID
 * depends on the content, the structure tree's references resolve, and
 * text no font can draw becomes visible code points instead of blank
 * boxes.
 */
#define _GNU_SOURCE	/* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>

#include "rnpack/date.h"
#include "rnpack/font.h"
#include "rnpack/fontsel.h"
#include "rnpack/ddoc.h"
#include "rnpack/packet.h"
#include "rnpack/render.h"
#include "rnpack/xalloc.h"

#include "fonts_fixture.h"

static void
add_text(struct lpage *p, double x, double y, const char *text)
{
	struct litem *it;

	p->items = realloc(p->items, (p->n + 1) * sizeof(*p->items));
	it = &p->items[p->n++];
	memset(it, 0, sizeof(*it));
	it->kind = LI_TEXT;
	it->size = 12;
	it->x = x;
	it->y = y;
	it->text = xstrdup(text);
}

static void
render_one(const char *text, struct buf *out)
{
	struct ldoc d;
	struct lpage page;
	struct render_doc rd;
	struct render_meta meta = { "Test packet", "subject", "Office",
	    "rnpack test", "kw", 0, "Packet page %zu of %zu" };
	char *err = NULL;

	memset(&page, 0, sizeof(page));
	add_text(&page, 72, 100, text);
	memset(&d, 0, sizeof(d));
	d.title = xstrdup("Doc");
	d.pages = &page;
	d.npages = 1;
	rd.doc = &d;
	rd.label = "T-";
	meta.date = date_from_ymd(2024, 3, 14);
	if (!render_pdf(&rd, 1, &fonts, NULL, &meta, out, &err))
		fail_msg("render failed: %s", err);
	free(page.items[0].text);
	free(page.items);
	free(d.title);
}

static void
test_plausible_pdf(void **state)
{
	struct buf a = BUF_INIT;

	(void)state;
	render_one("Nguyễn Thị Ánh, Παπαδόπουλος, Иванов", &a);
	assert_true(a.len > 1000);
	assert_memory_equal(a.ptr, "%PDF-1.", 7);
	assert_non_null(memmem(a.ptr, a.len, "/FontFile2", 10));
	assert_non_null(memmem(a.ptr, a.len, "/ID", 3));
	assert_non_null(memmem(a.ptr, a.len, "/Outlines", 9));
	assert_non_null(memmem(a.ptr, a.len, "D:20240314", 10));
	assert_non_null(memmem(a.ptr, a.len, "%%EOF", 5));
	buf_free(&a);
}

static void
test_same_input_same_bytes(void **state)
{
	struct buf a = BUF_INIT, b = BUF_INIT, c = BUF_INIT;

	(void)state;
	render_one("José Ramírez", &a);
	render_one("José Ramírez", &b);
	render_one("José Ramírez.", &c);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.ptr, b.ptr, a.len);
	/* Different content, different bytes (and /ID). */
	assert_true(a.len != c.len || memcmp(a.ptr, c.ptr, a.len) != 0);
	buf_free(&a);
	buf_free(&b);
	buf_free(&c);
}

/* The offset of object n's "n 0 obj", or NULL. */
static const char *
find_obj(const struct buf *b, long n)
{
	char head[32];
	const char *at = b->ptr;
	int len = snprintf(head, sizeof(head), "\n%ld 0 obj\n", n);

	at = memmem(at, b->len, head, (size_t)len);
	return at != NULL ? at + 1 : NULL;
}

/*
 * The structure tree's elements are written by rnpack itself when the
 * file is saved: every reference in them and in the parent tree names
 * an object of the file, the P's page is the page, and the parent tree
 * maps the page's MCID 0 to the P.
 */
static void
test_struct_refs_resolve(void **state)
{
	struct buf a = BUF_INIT;
	const char *elem, *end, *nums, *page;
	long p_obj = 0, pg_obj = 0, refs = 0;

	(void)state;
	render_one("Ana Mar\xC3\xAD" "a", &a);
	for (elem = a.ptr; (elem = memmem(elem, a.len - (size_t)(elem -
	    a.ptr), " 0 obj\n<<\n/S/", 13)) != NULL; elem = end) {
		const char *num = elem;

		while (num > a.ptr && num[-1] >= '0' && num[-1] <= '9')
			num--;
		end = memmem(elem, a.len - (size_t)(elem - a.ptr), "endobj", 6);
		assert_non_null(end);
		/* Written without spaces: "/S/P/P 7 0 R/Pg 5 0 R/K 0". */
		if (memcmp(elem + 13, "P/", 2) == 0)
			p_obj = strtol(num, NULL, 10);
		for (const char *r = elem + 7; r < end; r++) {
			char *stop;
			long n;

			if (*r < '0' || *r > '9' || (r[-1] >= '0' && r[-1] <= '9'))
				continue;
			n = strtol(r, &stop, 10);
			if (strncmp(stop, " 0 R", 4) != 0)
				continue;
			assert_non_null(find_obj(&a, n));
			if (p_obj == strtol(num, NULL, 10) && r > elem + 7 &&
			    memcmp(r - 4, "/Pg ", 4) == 0)
				pg_obj = n;
			refs++;
		}
	}
	assert_true(p_obj > 0);
	assert_true(refs >= 5);
	assert_true(pg_obj > 0);
	page = find_obj(&a, pg_obj);
	assert_non_null(memmem(page, 40, "/Type /Page\n", 12));
	nums = memmem(a.ptr, a.len, "/ParentTree <<\n/Nums[0[", 23);
	assert_non_null(nums);
	assert_true(strtol(nums + 23, NULL, 10) == p_obj);
	buf_free(&a);
}

static void
test_visible_text(void **state)
{
	struct ddoc *d = ddoc_new();
	struct dblock *b = ddoc_add(d, DB_PARA);
	char *s;

	(void)state;
	dinline_add(&b->text, DRUN_TEXT, 0, "Ana \xE4\xB8\xAD محمد Ἀ "
	    "\xF0\xA0\xAE\xB7 \xEE\x80\x80\tx");
	render_make_visible(d, &fonts);
	s = dinline_text(&b->text);
	/* CJK, Arabic, Greek extended and U+20BB7 have a face; a private
	 * use character has none; a tab is a space. */
	assert_string_equal(s, "Ana \xE4\xB8\xAD محمد Ἀ \xF0\xA0\xAE\xB7 "
	    "U+E000 x");
	free(s);
	ddoc_free(d);
}

/* Every stream of pdf, inflated and joined. */
static void
inflate_all(const struct buf *pdf, struct buf *out)
{
	const char *p = pdf->ptr, *end = pdf->ptr + pdf->len;
	struct libdeflate_decompressor *z = libdeflate_alloc_decompressor();
	static char chunk[4 << 20];

	assert_non_null(z);
	while ((p = memmem(p, (size_t)(end - p), "stream\r\n", 8)) != NULL) {
		const char *q = memmem(p, (size_t)(end - p), "\nendstream", 10);
		size_t n = 0;

		p += 8;
		assert_non_null(q);
		/* The XMP metadata is not compressed (PDF/A). */
		if (strncmp(p, "<?xpacket", 9) == 0) {
			buf_add(out, p, (size_t)(q - p));
			p = q;
			continue;
		}
		assert_int_equal(libdeflate_zlib_decompress(z, p, (size_t)(q -
		    p), chunk, sizeof(chunk), &n), LIBDEFLATE_SUCCESS);
		buf_add(out, chunk, n);
		p = q;
	}
	libdeflate_free_decompressor(z);
}

/*
 * Words that layout set on one justified line (each its own item, one
 * space plus the same extra apart) are one string with Tw; a word on
 * the next line is a string of its own, and Tw goes back to 0 for it.
 */
static void
test_justified_line_is_one_string(void **state)
{
	struct ldoc d;
	struct lpage page;
	struct render_doc rd;
	struct render_meta meta = { "T", "s", "O", "c", "k", 0, NULL };
	struct buf pdf = BUF_INIT, text = BUF_INIT;
	const char *words[] = { "Ana", "Núñez", "Ruiz" };
	double x = 72, space = font_advance(fonts.face[0], ' ') * 12 / 1000.0;
	char *err = NULL;
	size_t tj = 0;

	(void)state;
	memset(&page, 0, sizeof(page));
	for (size_t i = 0; i < 3; i++) {
		add_text(&page, x, 100, words[i]);
		x += font_text_width(fonts.face[0], words[i], 12) + space + 1.5;
	}
	add_text(&page, 72, 114, "next line");
	memset(&d, 0, sizeof(d));
	d.title = xstrdup("Doc");
	d.pages = &page;
	d.npages = 1;
	rd.doc = &d;
	rd.label = "T-";
	if (!render_pdf(&rd, 1, &fonts, NULL, &meta, &pdf, &err))
		fail_msg("render failed: %s", err);
	inflate_all(&pdf, &text);
	/* (Font programs are among the streams: search bytes.) */
	assert_non_null(memmem(text.ptr, text.len, "1.500 Tw\n", 9));
	assert_non_null(memmem(text.ptr, text.len, "0.000 Tw\n", 9));
	for (const char *t = text.ptr; (t = memmem(t, text.len - (size_t)(t -
	    text.ptr), ")Tj\n", 4)) != NULL; t++)
		tj++;
	assert_int_equal(tj, 2);
	for (size_t i = 0; i < page.n; i++)
		free(page.items[i].text);
	free(page.items);
	free(d.title);
	buf_free(&pdf);
	buf_free(&text);
}

/*
 * Shaped text: an Arabic word with a lam-alef, a Japanese name with a
 * character above U+FFFF, and a Latin word.  The Arabic face is a
 * CIDFontType2, the CJK face bare CFF in a CIDFontType0, every CIDFont
 * has a /CIDSet, only the lam-alef carries /ActualText (in logical
 * order), and the glyphs of the Arabic run are written in logical
 * order: the lam-alef (the word's first cluster) comes first.
 */
static void
test_shaped_text(void **state)
{
	struct ldoc d;
	struct lpage page;
	struct render_doc rd;
	struct render_meta meta = { "T", "s", "O", "c", "k", 0, NULL };
	struct buf pdf = BUF_INIT, text = BUF_INIT, again = BUF_INIT;
	char *err = NULL;
	size_t n = 0;
	const char *t, *at, *bt;

	(void)state;
	memset(&page, 0, sizeof(page));
	add_text(&page, 72, 100, "\xD9\x84\xD8\xA7\xD9\x85");	/* لام */
	add_text(&page, 72, 120, "\xF0\xA0\xAE\xB7\xE7\x94\xB0");
	add_text(&page, 72, 140, "Ana");
	memset(&d, 0, sizeof(d));
	d.title = xstrdup("Doc");
	d.pages = &page;
	d.npages = 1;
	d.face_lang = FONTSEL_JP;
	rd.doc = &d;
	rd.label = "T-";
	if (!render_pdf(&rd, 1, &fonts, NULL, &meta, &pdf, &err))
		fail_msg("render failed: %s", err);
	assert_non_null(memmem(pdf.ptr, pdf.len, "/CIDFontType2", 13));
	assert_non_null(memmem(pdf.ptr, pdf.len, "/CIDFontType0\n", 14) ?
	    (void *)1 : memmem(pdf.ptr, pdf.len, "/CIDFontType0 ", 14));
	assert_non_null(memmem(pdf.ptr, pdf.len, "/CIDFontType0C", 14));
	assert_non_null(memmem(pdf.ptr, pdf.len, "/FontFile3", 10));
	assert_non_null(memmem(pdf.ptr, pdf.len, "NotoSansCJKjp-Regular", 21));
	assert_non_null(memmem(pdf.ptr, pdf.len, "NotoSansArabic-Regular", 22));
	for (t = pdf.ptr; (t = memmem(t, pdf.len - (size_t)(t - pdf.ptr),
	    "/CIDSet", 7)) != NULL; t++)
		n++;
	assert_int_equal(n, 3);	/* Arabic, CJK, DejaVu */
	/* One /ActualText (لا): on a Span element of its own. */
	n = 0;
	for (t = pdf.ptr; (t = memmem(t, pdf.len - (size_t)(t - pdf.ptr),
	    "/ActualText", 11)) != NULL; t++)
		n++;
	assert_int_equal(n, 1);
	inflate_all(&pdf, &text);
	at = memmem(text.ptr, text.len, "/Span <</MCID", 13);
	assert_non_null(at);
	assert_null(memmem(at + 1, text.len - (size_t)(at + 1 - text.ptr),
	    "/Span <<", 8));
	/* The lam-alef is drawn before the meem, logical order: the line's
	 * text object ends, the Span's marked content holds a text object
	 * of its own, and the line resumes after it. */
	bt = memmem(text.ptr, text.len, "BT\n", 3);
	assert_non_null(bt);
	assert_true(at > bt);
	assert_non_null(memmem(at, 80, ">> BDC\nBT\n", 10));
	/* Same input, same bytes. */
	if (!render_pdf(&rd, 1, &fonts, NULL, &meta, &again, &err))
		fail_msg("render failed: %s", err);
	assert_int_equal(pdf.len, again.len);
	assert_memory_equal(pdf.ptr, again.ptr, pdf.len);
	for (size_t i = 0; i < page.n; i++)
		free(page.items[i].text);
	free(page.items);
	free(d.title);
	buf_free(&pdf);
	buf_free(&again);
	buf_free(&text);
}

/*
 * A right-to-left cluster of a letter and its point (יְ): its Span's
 * last glyph, the point, is stretched by character spacing to the
 * cluster's end, so poppler's box for the /ActualText covers the whole
 * letter and a copy has no space after it.
 */
static void
test_rtl_cluster_box(void **state)
{
	struct buf pdf = BUF_INIT, text = BUF_INIT;
	const char *at, *emc, *tc;

	(void)state;
	render_one("\xD7\x99\xD6\xB0\xD7\x94", &pdf);	/* יְה */
	inflate_all(&pdf, &text);
	at = memmem(text.ptr, text.len, "/Span <</MCID", 13);
	assert_non_null(at);
	emc = memmem(at, text.len - (size_t)(at - text.ptr), "EMC", 3);
	assert_non_null(emc);
	tc = memmem(at, (size_t)(emc - at), " Tc\n", 4);
	assert_non_null(tc);
	while (tc > at && tc[-1] != '\n')
		tc--;
	assert_true(strtod(tc, NULL) > 0.0);
	buf_free(&pdf);
	buf_free(&text);
}

/* A bad item fails the packet with a message; nothing is appended. */
static void
test_library_error_fails_cleanly(void **state)
{
	struct ldoc d;
	struct lpage page;
	struct render_doc rd;
	struct render_meta meta = { "T", "s", "O", "c", "k", 0, NULL };
	struct buf out = BUF_INIT;
	char *err = NULL;

	(void)state;
	memset(&page, 0, sizeof(page));
	add_text(&page, 72, 100, "size zero is refused");
	page.items[0].size = 0;
	memset(&d, 0, sizeof(d));
	d.title = xstrdup("Doc");
	d.pages = &page;
	d.npages = 1;
	rd.doc = &d;
	rd.label = "T-";
	assert_false(render_pdf(&rd, 1, &fonts, NULL, &meta, &out, &err));
	assert_non_null(err);
	assert_non_null(strstr(err, "text size out of range"));
	assert_int_equal(out.len, 0);
	free(err);
	free(page.items[0].text);
	free(page.items);
	free(d.title);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plausible_pdf),
		cmocka_unit_test(test_same_input_same_bytes),
		cmocka_unit_test(test_struct_refs_resolve),
		cmocka_unit_test(test_visible_text),
		cmocka_unit_test(test_justified_line_is_one_string),
		cmocka_unit_test(test_shaped_text),
		cmocka_unit_test(test_rtl_cluster_box),
		cmocka_unit_test(test_library_error_fails_cleanly),
	};

	return cmocka_run_group_tests(tests, fonts_setup,
	    fonts_teardown);
}
