/*
 * test_printfile.c - cmocka tests for printfile.c: pieces spliced into
 * one print file (pages in order, a blank page after an odd count,
 * references renumbered, stream bytes untouched, a table that points at
 * every object, bookmarks), and pieces it must refuse without crashing.
 * The pieces are written here in the form libharu writes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rnpack/buf.h"
#include "rnpack/printfile.h"

#include "scratch.h"

static char root[] = "/tmp/rnpack-printfile.XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return scratch_make(root);
}

static int
teardown(void **state)
{
	(void)state;
	return scratch_remove(root);
}

/*
 * Write a PDF at root/name: objects 1..n from obj[] (bodies between
 * "k 0 obj" and "endobj"), a table, a trailer with /Root 1 0 R and extra.
 * Returns the path (static storage, one at a time per slot).
 */
static const char *
piece(int slot, const char *name, const char *const *obj, size_t n,
    const char *extra)
{
	static char paths[4][256];
	struct buf b = BUF_INIT;
	size_t *off = calloc(n + 1, sizeof(*off)), x;
	FILE *f;

	buf_adds(&b, "%PDF-1.3\n%\xB7\xBE\xAD\xAA\n");
	for (size_t i = 0; i < n; i++) {
		off[i + 1] = b.len;
		buf_addf(&b, "%zu 0 obj\n%s\nendobj\n", i + 1, obj[i]);
	}
	x = b.len;
	buf_addf(&b, "xref\n0 %zu\n0000000000 65535 f\r\n", n + 1);
	for (size_t i = 1; i <= n; i++)
		buf_addf(&b, "%010zu 00000 n\r\n", off[i]);
	buf_addf(&b, "trailer\n<<\n/Root 1 0 R\n/Size %zu\n%s>>\nstartxref\n"
	    "%zu\n%%%%EOF\n", n + 1, extra ? extra : "", x);
	snprintf(paths[slot], sizeof(paths[slot]), "%s/%s", root, name);
	f = fopen(paths[slot], "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b.ptr, 1, b.len, f), b.len);
	assert_int_equal(fclose(f), 0);
	buf_free(&b);
	free(off);
	return paths[slot];
}

/* A file's bytes, NUL-terminated (the PDFs here hold no NUL). */
static char *
slurp(const char *path, size_t *len)
{
	struct buf b = BUF_INIT;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_true(buf_read_fd(&b, fd, SIZE_MAX));
	close(fd);
	*len = b.len;
	return buf_detach(&b);
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/*
 * The print file's table is right: every in-use entry points at "k 0
 * obj", startxref at "xref", and /Size is the entry count.
 */
static void
assert_table(const char *pdf, size_t len)
{
	const char *sx = strstr(pdf, "startxref\n"), *e;
	size_t x, n, first;
	char want[32];

	assert_non_null(sx);
	x = strtoul(sx + 10, NULL, 10);
	assert_true(x < len);
	assert_memory_equal(pdf + x, "xref\n", 5);
	assert_int_equal(sscanf(pdf + x + 5, "%zu %zu", &first, &n), 2);
	assert_int_equal(first, 0);
	e = strchr(pdf + x + 5, '\n') + 1;
	for (size_t k = 0; k < n; k++, e += 20) {
		size_t o = strtoul(e, NULL, 10);

		assert_int_equal(e[17], k == 0 ? 'f' : 'n');
		if (k == 0)
			continue;
		assert_true(o < len);
		snprintf(want, sizeof(want), "%zu 0 obj", k);
		assert_memory_equal(pdf + o, want, strlen(want));
	}
	snprintf(want, sizeof(want), "/Size %zu ", n);
	assert_non_null(strstr(e, want));
	assert_non_null(strstr(e, "/ID [ <"));
}

/* Where object k of the print file starts, by its table. */
static const char *
object(const char *pdf, size_t k)
{
	const char *sx = strstr(pdf, "startxref\n");
	const char *e = strchr(pdf + strtoul(sx + 10, NULL, 10) + 5, '\n') + 1;

	return pdf + strtoul(e + 20 * k, NULL, 10);
}

/*
 * The object that "key n 0 R" inside the object at from refers to: its
 * start, by the table.
 */
static const char *
follow(const char *pdf, const char *from, const char *key)
{
	const char *k = strstr(from, key), *end = strstr(from, "endobj");

	if (k == NULL || k > end)
		fail_msg("no %s in the object at %.20s", key, from);
	return object(pdf, strtoul(k + strlen(key), NULL, 10));
}

/*
 * A one-page piece as render_pdf.c writes it: a content stream whose
 * /Length is an object of its own, a font, and objects the page does not
 * reach (information, an outline destination, outlines).
 */
static const char *
one_page(int slot, const char *name, const char *content)
{
	static char stream[4][512], len[4][24];
	const char *obj[] = {
		"<<\n/Type /Catalog\n/Pages 2 0 R\n/Outlines 9 0 R\n>>",
		"<<\n/Type /Pages\n/Kids [ 3 0 R ]\n/Count 1\n>>",
		"<<\n/Type /Page\n/MediaBox [ 0 0 612 792 ]\n/Contents 4 0 R\n"
		    "/Resources <<\n/Font <<\n/F1 6 0 R\n>>\n>>\n"
		    "/Parent 2 0 R\n>>",
		stream[slot],
		len[slot],
		"<<\n/Type /Font\n/Subtype /Type0\n/BaseFont /AAAAAA+Test\n"
		    "/Title (a (nested) string with 7 0 R and \\) inside)\n>>",
		"<<\n/Producer (unused)\n>>",
		"[ 3 0 R /Fit ]",
		"<<\n/Type /Outlines\n/Count 0\n>>",
	};

	snprintf(stream[slot], sizeof(stream[slot]), "<<\n/Length 5 0 R\n"
	    "/Filter /FlateDecode\n>>\nstream\r\n%s\nendstream", content);
	snprintf(len[slot], sizeof(len[slot]), "%zu", strlen(content));
	return piece(slot, name, obj, 9, NULL);
}

static void
test_two_pieces(void **state)
{
	/* Binary-looking data with PDF syntax in it: copied, not parsed. */
	const char *data1 = "\xFF\x01 9 0 R endobj ( << [ endstream\xFE";
	/* Its page tree is object 4, not 2 like the print file's. */
	const char *two[] = {
		"<<\n/Type /Catalog\n/Pages 4 0 R\n>>",
		"<<\n/Type /Page\n/MediaBox [ 0 0 612 792 ]\n/Contents 5 0 R\n"
		    "/Resources <<\n>>\n/Parent 4 0 R\n>>",
		"<<\n/Type /Page\n/MediaBox [ 0 0 612 792 ]\n/Contents 5 0 R\n"
		    "/Resources <<\n>>\n/Parent 4 0 R\n>>",
		"<<\n/Type /Pages\n/Kids [ 2 0 R 3 0 R ]\n/Count 2\n>>",
		"<<\n/Length 4\n>>\nstream\nq Q\n\nendstream",
	};
	const char *pages, *page, *o;
	struct print_item it[2];
	char out[256], *pdf, *err = NULL;
	size_t len;

	(void)state;
	memset(it, 0, sizeof(it));
	it[0].path = one_page(0, "a.pdf", data1);
	it[0].title = "77002 A-1 (subject)";
	it[1].path = piece(1, "b.pdf", two, 5, NULL);
	it[1].title = "foreign A-2 (counsel) \xC3\xA9\xF0\x9F\x98\x80";
	snprintf(out, sizeof(out), "%s/print.pdf", root);
	assert_true(printfile_assemble(it, 2, out, &err));
	assert_null(err);

	/* Piece one: page 1, then a blank page 2; piece two: pages 3-4. */
	assert_int_equal(it[0].first, 1);
	assert_int_equal(it[0].pages, 1);
	assert_int_equal(it[0].sheets, 1);
	assert_int_equal(it[1].first, 3);
	assert_int_equal(it[1].pages, 2);
	assert_int_equal(it[1].sheets, 1);

	pdf = slurp(out, &len);
	assert_memory_equal(pdf, "%PDF-1.4\n", 9);
	assert_table(pdf, len);
	assert_non_null(strstr(pdf, "/Type /Pages /Kids ["));
	assert_non_null(strstr(pdf, "/Count 4 >>"));
	/* Four pages, each with the print file's tree as parent. */
	assert_int_equal(count(pdf, "/Type /Page\n") +
	    count(pdf, "/Type /Page "), 4);
	assert_int_equal(count(pdf, "/Parent 2 0 R"), 4);
	/* The stream bytes, exactly, once; the shared content once. */
	assert_int_equal(count(pdf, data1), 1);
	assert_int_equal(count(pdf, "stream\nq Q\n\nendstream"), 1);
	/* A reference-like text in a string is not renumbered. */
	assert_non_null(strstr(pdf, "(a (nested) string with 7 0 R and \\) "
	    "inside)"));
	/* Left behind: the pieces' catalogs, information, outlines. */
	assert_null(strstr(pdf, "/Producer (unused)"));
	assert_int_equal(count(pdf, "/Type /Catalog"), 1);
	assert_int_equal(count(pdf, "/Type /Outlines"), 1);
	/* Bookmarks in UTF-16BE: "77002 ..." and an astral code point. */
	assert_non_null(strstr(pdf, "/Title <FEFF00370037003000300032"));
	assert_non_null(strstr(pdf, "00E9D83DDE00>"));
	assert_non_null(strstr(pdf, "/Count 2 >>"));

	/*
	 * References lead where they led in the pieces: catalog -> page
	 * tree -> page 1 -> its content (the data, its length object) and
	 * its font; page 4 -> piece two's content; every page's /Parent is
	 * the tree.
	 */
	pages = follow(pdf, object(pdf, 1), "/Pages ");
	assert_memory_equal(pages, "2 0 obj", 7);
	page = follow(pdf, pages, "/Kids [\n");
	assert_ptr_equal(follow(pdf, page, "/Parent "), pages);
	o = follow(pdf, page, "/Contents ");
	assert_non_null(strstr(o, data1));
	assert_true(strstr(o, data1) < strstr(o, "endobj"));
	assert_int_equal(strtoul(strchr(follow(pdf, o, "/Length "), '\n'),
	    NULL, 10), strlen(data1));
	assert_non_null(strstr(follow(pdf, page, "/F1 "), "/AAAAAA+Test"));
	page = strstr(pdf, "/Kids [\n");
	for (int k = 0; k < 3; k++)
		page = strstr(page, " 0 R") + 4;
	page = object(pdf, strtoul(page, NULL, 10));	/* page 4 */
	assert_ptr_equal(follow(pdf, page, "/Parent "), pages);
	assert_non_null(strstr(follow(pdf, page, "/Contents "),
	    "stream\nq Q\n"));
	free(pdf);
}

/* The hex codes of text where code = character + shift, one byte. */
static void
shifted_hex(const char *text, int shift, char *out)
{
	*out++ = '<';
	for (; *text; text++, out += 2)
		sprintf(out, "%02X", (unsigned char)*text + shift);
	strcpy(out, ">");
}

/*
 * A one-page piece with two fonts: F1 bold and F2 regular, each with a
 * /ToUnicode (uncompressed) whose ranges are given; regular's codes are
 * the characters + 1.
 */
static const char *
two_font_page(int slot, const char *name, const char *bold_range,
    const char *regular_range)
{
	static char cm[2][4][400];
	const char *obj[] = {
		"<<\n/Type /Catalog\n/Pages 2 0 R\n>>",
		"<<\n/Type /Pages\n/Kids [ 3 0 R ]\n/Count 1\n>>",
		"<<\n/Type /Page\n/MediaBox [ 0 0 612 792 ]\n/Contents 4 0 R\n"
		    "/Resources <<\n/Font <<\n/F1 5 0 R\n/F2 6 0 R\n>>\n>>\n"
		    "/Parent 2 0 R\n>>",
		"<<\n/Length 5\n>>\nstream\nBT ET\nendstream",
		"<<\n/Type /Font\n/Subtype /Type0\n/BaseFont /BBBBBB+Test-Bold\n"
		    "/ToUnicode 7 0 R\n>>",
		"<<\n/Type /Font\n/Subtype /Type0\n/BaseFont /CCCCCC+Test\n"
		    "/ToUnicode 8 0 R\n>>",
		cm[0][slot],
		cm[1][slot],
	};
	const char *ranges[2] = { bold_range, regular_range };

	for (int k = 0; k < 2; k++) {
		char body[300];

		snprintf(body, sizeof(body), "begincmap\n1 begincodespacerange\n"
		    "<00> <FF>\nendcodespacerange\n1 beginbfrange\n%s\n"
		    "endbfrange\n1 beginbfchar\n<01> <0041>\nendbfchar\n"
		    "endcmap", ranges[k]);
		snprintf(cm[k][slot], sizeof(cm[k][slot]), "<<\n/Length %zu\n>>\n"
		    "stream\n%s\nendstream", strlen(body), body);
	}
	return piece(slot, name, obj, 8, NULL);
}

/*
 * The blank page after a one-page piece says "This page is intentionally
 * left blank" and the case id, in the piece's regular font (F2, its codes
 * the characters + 1) rather than its bold one; no font is added.
 */
static void
test_blank_page_text(void **state)
{
	struct print_item it[1];
	char out[256], *pdf, *err = NULL, want[128];
	const char *pages, *blank, *font, *content;
	size_t len;

	(void)state;
	memset(it, 0, sizeof(it));
	it[0].path = two_font_page(0, "f.pdf", "<20> <7E> <0020>",
	    "<21> <7F> <0020>");
	it[0].title = "77002 HOU-2024-00017 (subject)";
	it[0].case_id = "HOU-2024-00017";
	snprintf(out, sizeof(out), "%s/blank.pdf", root);
	assert_true(printfile_assemble(it, 1, out, &err));
	assert_null(err);
	pdf = slurp(out, &len);
	assert_table(pdf, len);
	assert_non_null(strstr(pdf, "/Count 2 >>"));
	pages = follow(pdf, object(pdf, 1), "/Pages ");
	blank = strstr(pages, "/Kids [\n");
	blank = strstr(blank, " 0 R") + 4;
	blank = object(pdf, strtoul(blank, NULL, 10));	/* page 2 */
	font = follow(pdf, blank, "/F1 ");
	assert_non_null(strstr(font, "/BaseFont /CCCCCC+Test\n"));
	assert_true(strstr(font, "/BaseFont") < strstr(font, "endobj"));
	content = follow(pdf, blank, "/Contents ");
	shifted_hex("This page is intentionally left blank", 1, want);
	assert_non_null(strstr(content, want));
	shifted_hex("HOU-2024-00017", 1, want);
	assert_non_null(strstr(content, want));
	assert_non_null(strstr(content, "/F1 7 Tf"));
	assert_null(strstr(pdf, "/Helvetica"));
	free(pdf);

	/* The regular font lacks "~"; the bold one has every character. */
	it[0].path = two_font_page(1, "g.pdf", "<20> <7E> <0020>",
	    "<21> <7E> <0020>");
	it[0].case_id = "X~1";
	assert_true(printfile_assemble(it, 1, out, &err));
	pdf = slurp(out, &len);
	shifted_hex("X~1", 0, want);
	assert_non_null(strstr(pdf, want));
	assert_non_null(strstr(pdf, "/BaseFont /BBBBBB+Test-Bold"));
	assert_null(strstr(pdf, "/Helvetica"));
	free(pdf);
}

/* No font of the piece has the characters (or none has a /ToUnicode):
 * the standard Helvetica draws the text, as literal strings. */
static void
test_blank_page_helvetica(void **state)
{
	struct print_item it[1];
	char out[256], *pdf, *err = NULL;
	size_t len;

	(void)state;
	memset(it, 0, sizeof(it));
	it[0].path = two_font_page(0, "h.pdf", "<30> <39> <0030>",
	    "<30> <39> <0030>");
	it[0].title = "t";
	it[0].case_id = "HOU-2024-00017";
	snprintf(out, sizeof(out), "%s/helv.pdf", root);
	assert_true(printfile_assemble(it, 1, out, &err));
	pdf = slurp(out, &len);
	assert_table(pdf, len);
	assert_non_null(strstr(pdf, "/BaseFont /Helvetica"));
	assert_non_null(strstr(pdf, "(This page is intentionally left blank) "
	    "Tj"));
	assert_non_null(strstr(pdf, "(HOU-2024-00017) Tj"));
	free(pdf);

	/* one_page's font has no /ToUnicode at all. */
	it[0].path = one_page(1, "i.pdf", "BT ET");
	assert_true(printfile_assemble(it, 1, out, &err));
	pdf = slurp(out, &len);
	assert_non_null(strstr(pdf, "/BaseFont /Helvetica"));
	free(pdf);
}

/* The same pieces give the same bytes. */
static void
test_reproducible(void **state)
{
	struct print_item it[1];
	char a[256], b[256], *pa, *pb, *err = NULL;
	size_t la, lb;

	(void)state;
	memset(it, 0, sizeof(it));
	it[0].path = one_page(0, "r.pdf", "BT ET");
	it[0].title = "t";
	snprintf(a, sizeof(a), "%s/ra.pdf", root);
	snprintf(b, sizeof(b), "%s/rb.pdf", root);
	assert_true(printfile_assemble(it, 1, a, &err));
	assert_true(printfile_assemble(it, 1, b, &err));
	pa = slurp(a, &la);
	pb = slurp(b, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(pa, pb, la);
	free(pa);
	free(pb);
}

/* printfile_assemble refuses path with an error naming it and reason. */
static void
refused(const char *path, const char *reason)
{
	struct print_item it[2];
	char out[256], *err = NULL;

	memset(it, 0, sizeof(it));
	it[0].path = one_page(3, "good.pdf", "BT ET");
	it[0].title = "good";
	it[1].path = path;
	it[1].title = "bad";
	snprintf(out, sizeof(out), "%s/refused.pdf", root);
	assert_false(printfile_assemble(it, 2, out, &err));
	assert_non_null(err);
	if (strstr(err, path) == NULL || strstr(err, reason) == NULL)
		fail_msg("error \"%s\" lacks \"%s\" or \"%s\"", err, path,
		    reason);
	free(err);
	/* nothing half-written is left (a fuzzer found one) */
	assert_int_equal(access(out, F_OK), -1);
}

static void
test_refuses_bad_pieces(void **state)
{
	const char *missing[] = {
		"<<\n/Type /Catalog\n/Pages 2 0 R\n>>",
		"<<\n/Type /Pages\n/Kids [ 3 0 R ]\n/Count 1\n>>",
		"<<\n/Type /Page\n/Contents 44 0 R\n/Parent 2 0 R\n>>",
	};
	const char *inherit[] = {
		"<<\n/Type /Catalog\n/Pages 2 0 R\n>>",
		"<<\n/Type /Pages\n/Kids [ 3 0 R ]\n/Resources <<\n>>\n>>",
		"<<\n/Type /Page\n/Parent 2 0 R\n>>",
	};
	const char *cycle[] = {
		"<<\n/Type /Catalog\n/Pages 2 0 R\n>>",
		"<<\n/Type /Pages\n/Kids [ 2 0 R ]\n/Count 1\n>>",
	};
	const char *twice[] = {
		"<<\n/Type /Catalog\n/Pages 2 0 R\n>>",
		"<<\n/Type /Pages\n/Kids [ 3 0 R 3 0 R ]\n/Count 2\n>>",
		"<<\n/Type /Page\n/Parent 2 0 R\n>>",
	};
	const char *longer[] = {
		"<<\n/Type /Catalog\n/Pages 2 0 R\n>>",
		"<<\n/Type /Pages\n/Kids [ 3 0 R ]\n/Count 1\n>>",
		"<<\n/Type /Page\n/Contents 4 0 R\n/Parent 2 0 R\n>>",
		"<<\n/Length 999999\n>>\nstream\nabc\nendstream",
	};
	const char *shorter[] = {
		"<<\n/Type /Catalog\n/Pages 2 0 R\n>>",
		"<<\n/Type /Pages\n/Kids [ 3 0 R ]\n/Count 1\n>>",
		"<<\n/Type /Page\n/Contents 4 0 R\n/Parent 2 0 R\n>>",
		"<<\n/Length 1\n>>\nstream\nabc\nendstream",
	};
	char deep[400];
	const char *nested[] = {
		"<<\n/Type /Catalog\n/Pages 2 0 R\n>>",
		"<<\n/Type /Pages\n/Kids [ 3 0 R ]\n/Count 1\n>>",
		deep,
	};
	char path[256];
	int fd;

	(void)state;
	refused(piece(0, "missing.pdf", missing, 3, NULL), "missing object");
	refused(piece(0, "inherit.pdf", inherit, 3, NULL), "inherited");
	refused(piece(0, "cycle.pdf", cycle, 2, NULL), "page tree");
	refused(piece(0, "twice.pdf", twice, 3, NULL), "page twice");
	refused(piece(0, "longer.pdf", longer, 4, NULL), "past the end");
	refused(piece(0, "shorter.pdf", shorter, 4, NULL), "/Length is wrong");
	refused(piece(0, "crypt.pdf", shorter, 4, "/Encrypt 9 0 R\n"),
	    "encrypted");
	refused(piece(0, "prev.pdf", shorter, 4, "/Prev 10\n"), "updated");
	snprintf(deep, sizeof(deep), "<<\n/Type /Page\n/Parent 2 0 R\n/X ");
	for (int i = 0; i < 100; i++)
		strcat(deep, "[");
	strcat(deep, "\n>>");
	refused(piece(0, "deep.pdf", nested, 3, NULL), "nested too deep");

	/* Not a PDF at all; a PDF cut short; an empty file. */
	snprintf(path, sizeof(path), "%s/text.pdf", root);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_int_equal(write(fd, "hello, world\n", 13), 13);
	close(fd);
	refused(path, "no PDF header");
	snprintf(path, sizeof(path), "%s/cut.pdf", root);
	{
		size_t len;
		char *whole = slurp(one_page(1, "whole.pdf", "BT ET"), &len);

		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		assert_int_equal(write(fd, whole, len - 40),
		    (ssize_t)(len - 40));
		close(fd);
		free(whole);
	}
	refused(path, "cross-reference");
	snprintf(path, sizeof(path), "%s/empty.pdf", root);
	close(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600));
	refused(path, "no PDF header");
	snprintf(path, sizeof(path), "%s/absent.pdf", root);
	refused(path, "No such file");
}

/*
 * Damaged pieces: a good piece with bytes changed, cut short or grown
 * (a deterministic pseudo-random sequence, the same every run).  Each
 * assembly must succeed or fail with an error, never crash or read out
 * of bounds (the sanitizer build runs this too); a failure names the
 * piece.
 */
static void
test_damaged_pieces(void **state)
{
	static const char *const syntax[] = {
		" ", "0", "9", "R", "<", ">", "<<", ">>", "[", "]", "(", ")",
		"\\", "/", "%", "obj", "endobj", "stream", "endstream",
		"4294967296", "-1",
	};
	uint32_t rnd = 20240314;
	size_t len, ok = 0, refused_n = 0;
	char *good = slurp(one_page(0, "fuzz-src.pdf", "q 0 0 1 1 re f Q"),
	    &len);
	char path[256], out[256];

	(void)state;
	snprintf(path, sizeof(path), "%s/fuzz.pdf", root);
	snprintf(out, sizeof(out), "%s/fuzz-out.pdf", root);
	for (int round = 0; round < 2000; round++) {
		struct buf b = BUF_INIT;
		struct print_item it[1];
		char *err = NULL;
		int fd;

		buf_add(&b, good, len);
		for (int k = 0; k <= round % 4; k++) {
			size_t at;

			rnd = rnd * 1103515245u + 12345u;
			at = (rnd >> 8) % b.len;
			switch (rnd % 4) {
			case 0:		/* a byte changed */
				b.ptr[at] = (char)(rnd >> 16);
				break;
			case 1:		/* cut short */
				buf_setlen(&b, at);
				break;
			case 2: {	/* a token put in */
				const char *t = syntax[(rnd >> 20) %
				    (sizeof(syntax) / sizeof(*syntax))];
				struct buf c = BUF_INIT;

				buf_add(&c, b.ptr, at);
				buf_adds(&c, t);
				buf_add(&c, b.ptr + at, b.len - at);
				buf_free(&b);
				b = c;
				break;
			}
			default:	/* a digit changed */
				if (b.ptr[at] >= '0' && b.ptr[at] <= '9')
					b.ptr[at] = (char)('0' + (rnd >> 16) %
					    10);
				break;
			}
			if (b.len == 0)
				break;
		}
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, b.ptr, b.len), (ssize_t)b.len);
		close(fd);
		memset(it, 0, sizeof(it));
		it[0].path = path;
		it[0].title = "fuzz";
		if (printfile_assemble(it, 1, out, &err)) {
			assert_null(err);
			ok++;
		} else {
			assert_non_null(err);
			assert_non_null(strstr(err, path));
			free(err);
			refused_n++;
		}
		buf_free(&b);
	}
	/* Both outcomes happen: the damage is neither always fatal nor
	 * always harmless. */
	assert_true(ok > 0);
	assert_true(refused_n > 0);
	free(good);
}

/* A folder that cannot be written: an error naming the print file. */
/*
 * The page digest: content streams, then the font objects' streams by
 * resource name; the same in the piece and in the print file's range;
 * a piece's pages taken from a print file (from, count) keep it.
 */
static void
test_page_digest(void **state)
{
	/* Two fonts named out of order, one with a font file stream. */
	const char *obj[] = {
		"<<\n/Type /Catalog\n/Pages 2 0 R\n>>",
		"<<\n/Type /Pages\n/Kids [ 3 0 R ]\n/Count 1\n>>",
		"<<\n/Type /Page\n/MediaBox [ 0 0 612 792 ]\n/Contents 4 0 R\n"
		    "/Resources <<\n/Font <<\n/F2 5 0 R\n/F1 6 0 R\n>>\n>>\n"
		    "/Parent 2 0 R\n>>",
		"<<\n/Length 3\n>>\nstream\nBT \nendstream",
		"<<\n/Type /Font\n/FontFile 7 0 R\n>>",
		"<<\n/Type /Font\n>>",
		"<<\n/Length 4\n>>\nstream\nFONT\nendstream",
	};
	char want[DIGEST_HEX_SIZE], got[DIGEST_HEX_SIZE], out[256], out2[256];
	char *err = NULL;
	struct print_item it[2];
	const char *a;

	(void)state;
	/* BT  then (F1: no stream) then F2's FONT. */
	digest_sha256_hex("BT FONT", 7, want);
	a = piece(0, "d.pdf", obj, 7, NULL);
	assert_true(printfile_digest(a, 0, 0, got, &err));
	assert_string_equal(got, want);
	assert_true(printfile_digest(a, 1, 1, got, &err));
	assert_string_equal(got, want);
	assert_false(printfile_digest(a, 2, 1, got, &err));
	assert_non_null(strstr(err, "fewer pages"));
	free(err);
	err = NULL;

	/* Assembled after a one-page piece: pages 3 of the print file. */
	memset(it, 0, sizeof(it));
	it[0].path = one_page(1, "e.pdf", "q Q");
	it[0].title = "a";
	it[1].path = a;
	it[1].title = "b";
	snprintf(out, sizeof(out), "%s/job.pdf", root);
	assert_true(printfile_assemble(it, 2, out, &err));
	assert_string_equal(it[1].digest, want);
	assert_int_equal(it[1].first, 3);
	assert_true(printfile_digest(out, 3, 1, got, &err));
	assert_string_equal(got, want);

	/* Taken back out of the print file: the same digest. */
	memset(it, 0, sizeof(it));
	it[0].path = out;
	it[0].from = 3;
	it[0].count = 1;
	it[0].title = "again";
	snprintf(out2, sizeof(out2), "%s/reprint.pdf", root);
	assert_true(printfile_assemble(it, 1, out2, &err));
	assert_int_equal(it[0].pages, 1);
	assert_string_equal(it[0].digest, want);
	/* its page (the blank page after it carries its own note) */
	assert_true(printfile_digest(out2, 1, 1, got, &err));
	assert_string_equal(got, want);
	/* A range past the end is refused. */
	it[0].from = 4;
	it[0].count = 2;
	assert_false(printfile_assemble(it, 1, out2, &err));
	free(err);
}

static void
test_unwritable(void **state)
{
	struct print_item it[1];
	char *err = NULL;

	(void)state;
	memset(it, 0, sizeof(it));
	it[0].path = one_page(0, "u.pdf", "BT ET");
	it[0].title = "u";
	assert_false(printfile_assemble(it, 1, "/nonexistent/p.pdf", &err));
	assert_non_null(strstr(err, "/nonexistent/p.pdf"));
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_pieces),
		cmocka_unit_test(test_blank_page_text),
		cmocka_unit_test(test_blank_page_helvetica),
		cmocka_unit_test(test_reproducible),
		cmocka_unit_test(test_refuses_bad_pieces),
		cmocka_unit_test(test_damaged_pieces),
		cmocka_unit_test(test_unwritable),
		cmocka_unit_test(test_page_digest),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
