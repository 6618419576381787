/*
 * test_enclosure.c - cmocka tests for enclosure.c and encl_qpdf.cc:
 * enclosure files of the shapes met in practice are opened, counted and
 * drawn into carrier pages (text read back with pdftotext, qpdf --check
 * clean, the same bytes twice), and hostile ones give their fault with
 * a reason.  The files are made at setup by tests/tools/encl_fixtures.py
 * (pikepdf, ImageMagick).
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
#include <sys/stat.h>
#include <unistd.h>

#include "rnpack/buf.h"
#include "rnpack/enclosure.h"
#include "rnpack/layout.h"
#include "rnpack/render.h"
#include "rnpack/xalloc.h"

#include "fonts_fixture.h"
#include "scratch.h"

static char root[] = "/tmp/rnpack-encl.XXXXXX";

static int
setup(void **state)
{
	char cmd[512];

	if (fonts_setup(state) != 0 || scratch_make(root) != 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 "
	    "tests/tools/encl_fixtures.py %s --bombs && cd %s && "
	    "mkdir -p sub real && cp a4.pdf real/ && ln -s a4.pdf link.pdf && "
	    "ln -s real linkdir && mkfifo fifo.pdf", root, root);
	return system(cmd) == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	fonts_teardown(state);
	/* ENCL_KEEP=1 keeps the files to look at. */
	return getenv("ENCL_KEEP") != NULL ? 0 : scratch_remove(root);
}

static const struct encl_limits lim = { 52428800, 500 };

static struct encl *
open_ok(const char *name, unsigned want_pages)
{
	struct encl *e = NULL;
	char *why = NULL;
	enum encl_fault f = encl_open(root, name, NULL, 0, &lim, &e, &why);

	if (f != ENCL_OK)
		fprintf(stderr, "%s: %s\n", name, why);
	assert_int_equal(f, ENCL_OK);
	assert_null(why);
	assert_non_null(e);
	assert_int_equal(encl_pages(e), want_pages);
	return e;
}

static void
test_shapes(void **state)
{
	static const struct { const char *name; unsigned pages;
	    const char *type; } v[] = {
		{ "a4.pdf", 3, "PDF" }, { "landscape.pdf", 1, "PDF" },
		{ "rotated.pdf", 1, "PDF" }, { "objstm.pdf", 2, "PDF" },
		{ "incr.pdf", 1, "PDF" }, { "owner.pdf", 1, "PDF" },
		{ "scripted.pdf", 1, "PDF" }, { "scan.jpg", 1, "JPEG" },
		{ "alpha.png", 1, "PNG" }, { "real/a4.pdf", 3, "PDF" },
		{ "cmyk.jpg", 1, "JPEG" }, { "gray16.png", 1, "PNG" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct encl *e = open_ok(v[i].name, v[i].pages);

		assert_string_equal(encl_type(e), v[i].type);
		assert_int_equal(strlen(encl_sha256(e)), 64);
		encl_free(e);
	}
}

static void
expect_fault(const char *name, const char *sha, unsigned pages,
    const struct encl_limits *l, enum encl_fault want, const char *says)
{
	struct encl *e = (struct encl *)1;
	char *why = NULL;
	enum encl_fault f = encl_open(root, name, sha, pages, l, &e, &why);

	if (f != want || why == NULL || strstr(why, says) == NULL)
		fprintf(stderr, "%s: %d %s\n", name, f, why ? why : "(null)");
	assert_int_equal(f, want);
	assert_null(e);
	assert_non_null(why);
	assert_non_null(strstr(why, says));
	free(why);
}

static void
test_faults(void **state)
{
	struct encl_limits small = { 1000, 500 };
	struct encl *e;
	char sha[65];

	(void)state;
	expect_fault("absent.pdf", NULL, 0, &lim, ENCL_MISSING, "no such");
	expect_fault("nodir/absent.pdf", NULL, 0, &lim, ENCL_MISSING,
	    "no such");
	expect_fault("user.pdf", NULL, 0, &lim, ENCL_UNREADABLE, "password");
	expect_fault("truncated.pdf", NULL, 0, &lim, ENCL_UNREADABLE,
	    "damaged");
	expect_fault("notes.pdf", NULL, 0, &lim, ENCL_UNREADABLE,
	    "not a PDF, JPEG or PNG");
	expect_fault("link.pdf", NULL, 0, &lim, ENCL_UNREADABLE,
	    "symbolic link");
	expect_fault("linkdir/a4.pdf", NULL, 0, &lim, ENCL_UNREADABLE,
	    "symbolic link");
	expect_fault("fifo.pdf", NULL, 0, &lim, ENCL_UNREADABLE,
	    "not a regular file");
	expect_fault("sub", NULL, 0, &lim, ENCL_UNREADABLE,
	    "not a regular file");
	expect_fault("a4.pdf", NULL, 0, &small, ENCL_UNREADABLE,
	    "maxFileBytes");
	expect_fault("a4.pdf", NULL, 2, &lim, ENCL_MISMATCH,
	    "has 3 pages, not the 2");
	expect_fault("pagebomb.pdf", NULL, 0, &lim, ENCL_UNREADABLE,
	    "more than 500 pages");
	expect_fault("zbomb.pdf", NULL, 0, &lim, ENCL_UNREADABLE,
	    "decodes to more than");
	expect_fault("xbomb.pdf", NULL, 0, &lim, ENCL_UNREADABLE,
	    "decodes to more than");
	expect_fault("wide.png", NULL, 0, &lim, ENCL_UNREADABLE,
	    "too large (40000x1 pixels");
	expect_fault("broken.jpg", NULL, 0, &lim, ENCL_UNREADABLE,
	    "damaged JPEG");
	expect_fault("broken.png", NULL, 0, &lim, ENCL_UNREADABLE,
	    "damaged PNG");
	expect_fault("../a4.pdf", NULL, 0, &lim, ENCL_UNREADABLE, "");
	expect_fault("/etc/passwd", NULL, 0, &lim, ENCL_UNREADABLE,
	    "relative");
	memset(sha, 'a', 64);
	sha[64] = '\0';
	expect_fault("a4.pdf", sha, 0, &lim, ENCL_MISMATCH, "SHA-256");
	/* The right digest, in capitals too, passes. */
	e = open_ok("a4.pdf", 3);
	strcpy(sha, encl_sha256(e));
	encl_free(e);
	for (char *p = sha; *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p -= 32;
	{
		char *why = NULL;

		assert_int_equal(encl_open(root, "a4.pdf", sha, 3, &lim, &e,
		    &why), ENCL_OK);
		assert_null(why);
		encl_free(e);
	}
}

/* Render n carrier pages with stamps for enclosure 1 of 2. */
static void
carriers(struct buf *out, unsigned n)
{
	struct measure m = render_measure(&fonts);
	struct ldoc *d = xcalloc(1, sizeof(*d));
	struct render_doc rd;
	struct render_meta meta;
	char *err = NULL;

	d->title = xstrdup("Enclosures");
	assert_int_equal(encl_carriers(d, &m, "HOU-2024-00017", 1, 2, false,
	    n), 0);
	assert_int_equal(d->npages, n);
	rd.doc = d;
	rd.label = "E-";
	memset(&meta, 0, sizeof(meta));
	meta.title = "t";
	meta.subject = "s";
	meta.author = "a";
	meta.creator = "rnpack";
	meta.keywords = "k";
	assert_true(render_pdf(&rd, 1, &fonts, NULL, &meta, out, &err));
	ldoc_free(d);
}

static void
save(const struct buf *b, const char *name)
{
	char path[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b->ptr, 1, b->len, f), b->len);
	fclose(f);
}

static int
sh(const char *fmt, const char *arg)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), fmt, root, arg, arg);
	return system(cmd);
}

static void
test_fill(void **state)
{
	static const char *const names[] = { "a4.pdf", "landscape.pdf",
	    "rotated.pdf", "objstm.pdf", "incr.pdf", "owner.pdf",
	    "scripted.pdf", "scan.jpg", "alpha.png", "cmyk.jpg" };
	static const unsigned pages[] = { 3, 1, 1, 2, 1, 1, 1, 1, 1, 1 };
	enum { N = sizeof(names) / sizeof(names[0]) };
	struct encl *e[N];
	struct encl_place pl[16];
	struct buf a = BUF_INIT, b = BUF_INIT;
	size_t np = 0;
	char *err = NULL;

	(void)state;
	for (size_t i = 0; i < N; i++) {
		e[i] = open_ok(names[i], pages[i]);
		for (unsigned p = 0; p < pages[i]; p++) {
			pl[np].e = e[i];
			pl[np].page = p;
			pl[np].target = np;
			pl[np].sect = 0;
			pl[np].alt = names[i];
			np++;
		}
	}
	carriers(&a, np);
	buf_add(&b, a.ptr, a.len);
	assert_true(encl_fill(&a, pl, np, &err));
	assert_true(encl_fill(&b, pl, np, &err));
	/* Same input, same bytes. */
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.ptr, b.ptr, a.len);
	save(&a, "filled.pdf");
	assert_int_equal(sh("cd %s && qpdf --check %s >/dev/null",
	    "filled.pdf"), 0);
	/* Each enclosure's text on its own page, with the stamp. */
	assert_int_equal(sh("cd %s && pdftotext -f 1 -l 1 -layout %s - | "
	    "grep -q 'A4 page 1 of three' && pdftotext -f 3 -l 3 %s - | "
	    "grep -q 'A4 page 3 of three'", "filled.pdf"), 0);
	assert_int_equal(sh("cd %s && pdftotext -f 1 -l 1 %s - | grep -q "
	    "'Enclosure 1 of 2' && pdftotext -f 2 -l 2 %s - | grep -q "
	    "'page 2 of 13'", "filled.pdf"), 0);
	assert_int_equal(sh("cd %s && pdftotext -f 4 -l 4 %s - | grep -q "
	    "'Landscape sheet text' && pdftotext -f 5 -l 5 %s - | grep -q "
	    "'Rotated page text'", "filled.pdf"), 0);
	assert_int_equal(sh("cd %s && pdftotext -f 7 -l 7 %s - | grep -q "
	    "'Object stream text two' && pdftotext -f 8 -l 8 %s - | grep -q "
	    "'Updated revision text'", "filled.pdf"), 0);
	assert_int_equal(sh("cd %s && pdftotext -f 9 -l 9 %s - | grep -q "
	    "'Owner only text' && pdftotext -f 10 -l 10 %s - | grep -q "
	    "'STAMPED COPY'", "filled.pdf"), 0);
	assert_int_equal(sh("cd %s && pdftotext -f 10 -l 10 %s - | grep -q "
	    "'FILLED FIELD VALUE'%.0s", "filled.pdf"), 0);
	/* Nothing that acts survives, nor the hidden annotation. */
	assert_int_equal(sh("cd %s && qpdf --qdf --object-streams=disable %s "
	    "q.pdf && ! grep -a -q -e /JS -e /JavaScript -e /Launch -e /AA "
	    "-e /EmbeddedFiles -e /Annots -e /OpenAction -e /AcroForm "
	    "-e /Widget -e 'HIDDEN NOTE' "
	    "-e 'attached secret' q.pdf && grep -a -c /RnEncl q.pdf "
	    ">/dev/null", "filled.pdf"), 0);
	/* PDF/A: an end-of-line before every endstream.  Tagged: each
	 * drawing a /Figure with MCID 0 of its page, 13 Figure elements
	 * with their /Alt under the one Sect, in the parent tree. */
	assert_int_equal(sh("cd %s && /usr/bin/python3 -c \"import re,sys; "
	    "d=open(sys.argv[1],'rb').read(); sys.exit(0 if d.count("
	    "b'endstream') == len(re.findall(rb'\\nendstream', d)) else 1)\" "
	    "%s", "filled.pdf"), 0);
	assert_int_equal(sh("cd %s && /usr/bin/python3 -c \"import sys, "
	    "pikepdf; p=pikepdf.open(sys.argv[1]); r=p.Root.StructTreeRoot; "
	    "s=r.K.K; f=[k for k in s.K]; n=list(r.ParentTree.Nums); "
	    "pt=dict(zip(n[::2], n[1::2])); ok=len(f)==13 and all(k.S=='/Figure'"
	    " and k.K==0 and k.P.objgen==s.objgen and k.Pg.objgen==p.pages[i]"
	    ".obj.objgen and pt[int(p.pages[i].StructParents)][0].objgen=="
	    "k.objgen for i, k in enumerate(f)) and str(f[0].Alt)=='a4.pdf' "
	    "and str(f[12].Alt)=='cmyk.jpg' and b'/Figure <</MCID 0>> BDC' in "
	    "p.pages[12].Contents[0].read_bytes(); sys.exit(0 if ok else 1)\" "
	    "%s", "filled.pdf"), 0);
	/* The images: 8-bit RGB; the CMYK scan's white stays white (its
	 * centre, at the page's centre) and its black box black (70, 40
	 * pixels into the 200 x 260 image, drawn 1 px = 1 pt). */
	assert_int_equal(sh("cd %s && pdfimages -list %s | grep -E -c "
	    "' rgb +3 +8 ' | grep -q '^3$'", "filled.pdf"), 0);
	assert_int_equal(sh("cd %s && pdftoppm -f 13 -l 13 -r 30 -gray %s "
	    "c && /usr/bin/python3 -c \"import sys; d=open(sys.argv[1],'rb')"
	    ".read().split(b'\\n', 3)[3]; sys.exit(0 if d[157*255+127] > 200 "
	    "and d[120*255+115] < 100 else 1)\" c-13.pgm%.0s", "filled.pdf"),
	    0);
	/* A carrier page that does not exist fails and leaves the PDF. */
	pl[0].target = 1000;
	buf_reset(&b);
	buf_add(&b, a.ptr, a.len);
	assert_false(encl_fill(&b, pl, 1, &err));
	assert_non_null(err);
	free(err);
	assert_int_equal(b.len, a.len);
	for (size_t i = 0; i < N; i++)
		encl_free(e[i]);
	buf_free(&a);
	buf_free(&b);
}

/* Landscape pages turn, Letter pages shrink into 10.5 in, small ones
 * are not enlarged: read the placements back from the content. */
static void
test_geometry(void **state)
{
	struct encl *e = open_ok("landscape.pdf", 1);
	struct encl *l = open_ok("real/a4.pdf", 3);
	struct encl_place pl[2] = { { e, 0, 0, 0, NULL }, { l, 0, 1, 0, NULL } };
	struct buf a = BUF_INIT;
	char *err = NULL;

	(void)state;
	carriers(&a, 2);
	assert_true(encl_fill(&a, pl, 2, &err));
	save(&a, "geo.pdf");
	/* 842 x 595 turned: 595 wide, 842 tall -> scale 756/842, its foot
	 * at 0.5 in; A4 595 x 842 the same scale, centred across. */
	assert_int_equal(sh("cd %s && qpdf --qdf --object-streams=disable %s "
	    "g.pdf && grep -a -q 'q 0 0.8979 -0.8979 0 573.1140 36.0000 cm' "
	    "g.pdf && grep -a -q 'q 0.8979 0 0 0.8979 38.8860 36.0000 cm' "
	    "g.pdf%.0s", "geo.pdf"), 0);
	encl_free(e);
	encl_free(l);
	buf_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_fill),
		cmocka_unit_test(test_geometry),
	};

	return cmocka_run_group_tests_name("enclosure", tests, setup,
	    teardown);
}
