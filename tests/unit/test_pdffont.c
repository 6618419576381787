/*
 * test_pdffont.c - a face cut for one packet: codes follow code points
 * (one byte with the space at 32, or two bytes), duplicates collapse,
 * /ToUnicode and /CIDToGIDMap agree with the cut,
 * widths are the layout's, the cut font is a real TrueType font that
 * still has every character and every component of its composites,
 * and the subset tag depends only on the characters.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H

#include "rnpack/font.h"
#include "rnpack/packet.h"
#include "rnpack/pdffont.h"
#include "rnpack/render.h"

#include "fonts_fixture.h"

/* "Nguyễn Ánh" in any order, with repeats. */
static const uint32_t sample[] = { 'N', 'g', 'u', 'y', 0x1EC5, 'n', ' ',
	0x00C1, 'n', 'h', 'n', 'N' };
#define NSAMPLE	(sizeof(sample) / sizeof(sample[0]))

static void
cut(struct pdffont *pf, const uint32_t *cp, size_t n)
{
	char *err = NULL;

	if (!pdffont_cut(pf, fonts.face[0], fonts.hb_face[0], cp, n, &err))
		fail_msg("cut failed: %s", err);
}

/* Up to 255 characters: one-byte codes, the space at 32, the others
 * from 1 in code point order. */
static void
test_one_byte_codes(void **state)
{
	struct pdffont pf;

	(void)state;
	cut(&pf, sample, NSAMPLE);
	/* ' ' N g h n u y Á ễ: 9 distinct, ascending. */
	assert_int_equal(pf.n, 9);
	for (size_t i = 1; i < pf.n; i++)
		assert_true(pf.cp[i - 1] < pf.cp[i]);
	assert_true(pf.one_byte);
	assert_true(pf.has_space);
	assert_int_equal(pdffont_code(&pf, ' '), PDFFONT_SPACE);
	assert_int_equal(pdffont_code(&pf, 'N'), 1);
	assert_int_equal(pdffont_code(&pf, 'g'), 2);
	assert_int_equal(pdffont_code(&pf, 0x1EC5), 8);
	assert_int_equal(pdffont_code(&pf, 'Z'), 0);
	assert_int_equal(pdffont_code(&pf, 0x10000), 0);
	assert_int_equal(pf.ncodes, PDFFONT_SPACE + 1);
	for (size_t i = 0; i < pf.n; i++) {
		unsigned code = pdffont_code(&pf, pf.cp[i]);

		assert_int_equal(pf.code_cp[code], pf.cp[i]);
		assert_int_equal(pf.width[code], font_advance(fonts.face[0],
		    pf.cp[i]));
	}
	pdffont_free(&pf);
}

static void
test_maps(void **state)
{
	struct pdffont pf;
	const unsigned char *m;

	(void)state;
	cut(&pf, sample, NSAMPLE);
	/* Codes 0 .. 32, two bytes each: real glyphs where a character
	 * is, .notdef (0) in the gap from 9 to 31. */
	assert_int_equal(pf.cid_to_gid.len, 2 * pf.ncodes);
	m = (const unsigned char *)pf.cid_to_gid.ptr;
	for (size_t c = 0; c < pf.ncodes; c++)
		assert_int_equal((m[2 * c] << 8 | m[2 * c + 1]) != 0,
		    pf.code_cp[c] != 0);
	assert_non_null(strstr(pf.to_unicode.ptr, "<00> <FF>"));
	assert_non_null(strstr(pf.to_unicode.ptr, "<01> <01> <004E>"));
	/* g h as one range: codes 2-3 are U+0067-U+0068. */
	assert_non_null(strstr(pf.to_unicode.ptr, "<02> <03> <0067>"));
	assert_non_null(strstr(pf.to_unicode.ptr, "<08> <08> <1EC5>"));
	assert_non_null(strstr(pf.to_unicode.ptr, "<20> <20> <0020>"));
	assert_non_null(strstr(pf.to_unicode.ptr, "8 beginbfrange"));
	pdffont_free(&pf);
}

/* A run across a 256 boundary is split (a bfrange steps one byte). */
static void
test_ranges_split_at_byte_boundaries(void **state)
{
	uint32_t cp[4] = { 0x00FE, 0x00FF, 0x0100, 0x0101 };
	struct pdffont pf;

	(void)state;
	cut(&pf, cp, 4);
	assert_false(pf.has_space);
	assert_non_null(strstr(pf.to_unicode.ptr, "<01> <02> <00FE>"));
	assert_non_null(strstr(pf.to_unicode.ptr, "<03> <04> <0100>"));
	pdffont_free(&pf);
}

/* More than 254 characters besides the space: two-byte codes 1..n in
 * code point order, the space included. */
static void
test_two_byte_codes(void **state)
{
	uint32_t cp[301];
	struct pdffont pf;

	(void)state;
	for (size_t i = 0; i < 300; i++)
		cp[i] = 0x100 + (uint32_t)i;
	cp[300] = ' ';
	cut(&pf, cp, 301);
	assert_false(pf.one_byte);
	assert_int_equal(pf.n, 301);
	assert_int_equal(pf.ncodes, 302);
	assert_int_equal(pdffont_code(&pf, ' '), 1);
	assert_int_equal(pdffont_code(&pf, 0x100), 2);
	assert_int_equal(pdffont_code(&pf, 0x100 + 299), 301);
	assert_non_null(strstr(pf.to_unicode.ptr, "<0000> <FFFF>"));
	assert_non_null(strstr(pf.to_unicode.ptr, "<0001> <0001> <0020>"));
	/* 0x100..0x1FF is codes 2..257, split where the code's low byte
	 * wraps (256) and where the code point's does (0x200). */
	assert_non_null(strstr(pf.to_unicode.ptr, "<0002> <00FF> <0100>"));
	assert_non_null(strstr(pf.to_unicode.ptr, "<0100> <0101> <01FE>"));
	assert_non_null(strstr(pf.to_unicode.ptr, "<0102> <012D> <0200>"));
	pdffont_free(&pf);
}

/* The cut is a TrueType font FreeType reads, with the characters and,
 * as glyphs of their own, the parts of the composites (Á is A and an
 * acute accent; ễ is built from several).  No name table: a PDF reader
 * never looks at it. */
static void
test_cut_is_a_whole_font(void **state)
{
	struct pdffont pf;
	FT_Library lib;
	FT_Face face;

	(void)state;
	cut(&pf, sample, NSAMPLE);
	assert_true(pf.file.len > 1000);
	assert_true(pf.file.len < 40000);
	assert_memory_equal(pf.file.ptr, "\0\1\0\0", 4);
	assert_int_equal(FT_Init_FreeType(&lib), 0);
	if (FT_New_Memory_Face(lib, (const FT_Byte *)pf.file.ptr,
	    (FT_Long)pf.file.len, 0, &face) != 0)
		fail_msg("FreeType does not read the cut");
	/* .notdef, 9 characters, and component glyphs beyond them. */
	assert_true(face->num_glyphs > (FT_Long)(1 + pf.n));
	assert_true(face->num_glyphs < 40);
	for (size_t i = 0; i < pf.n; i++)
		assert_true(pf.cp[i] == ' ' ||
		    FT_Get_Char_Index(face, pf.cp[i]) != 0);
	assert_int_equal(FT_Load_Sfnt_Table(face, FT_MAKE_TAG('n', 'a', 'm',
	    'e'), 0, NULL, NULL), FT_Err_Table_Missing);
	FT_Done_Face(face);
	FT_Done_FreeType(lib);
	pdffont_free(&pf);
}

static void
test_tag_depends_on_the_characters(void **state)
{
	uint32_t other[] = { 'N', 'g', 'u', 'y', 'e', 'n' };
	struct pdffont a, b, c;

	(void)state;
	cut(&a, sample, NSAMPLE);
	cut(&b, sample, NSAMPLE);
	cut(&c, other, 6);
	assert_string_equal(a.name, b.name);
	assert_string_not_equal(a.name, c.name);
	assert_int_equal(strlen(a.name), 7 + strlen("DejaVuSans"));
	assert_string_equal(a.name + 6, "+DejaVuSans");
	assert_int_equal(a.file.len, b.file.len);
	assert_memory_equal(a.file.ptr, b.file.ptr, a.file.len);
	pdffont_free(&a);
	pdffont_free(&b);
	pdffont_free(&c);
}

/* ---- glyph cuts ---------------------------------------------------- */

#include <harfbuzz/hb.h>
#include "rnpack/fontsel.h"
#include "rnpack/shape.h"

static bool
bit(const struct buf *set, unsigned cid)
{
	return cid / 8 < set->len &&
	    ((unsigned char)set->ptr[cid / 8] & (0x80u >> (cid % 8)));
}

/* TrueType: a CID per (glyph, text), 1.. in glyph order, CIDSet bits
 * for CIDs 0..n, widths from hmtx. */
static void
test_glyph_cut_truetype(void **state)
{
	const char *lam_alef = "\xD9\x84\xD8\xA7", *meem = "\xD9\x85";
	struct shape_line l;
	struct pdfgfont pf;
	struct pdfg_use use[4];
	uint32_t g0, g1;
	char *err = NULL;
	bool exact;

	(void)state;
	shape_text(fonts.sel, lam_alef, 4, 0, FONTSEL_SC, &l);
	assert_int_equal(l.ng, 1);
	g0 = l.g[0].gid;
	shape_free(&l);
	shape_text(fonts.sel, meem, 2, 0, FONTSEL_SC, &l);
	g1 = l.g[0].gid;
	use[0] = (struct pdfg_use){ g1, meem, 2 };
	use[1] = (struct pdfg_use){ g0, lam_alef, 4 };
	use[2] = (struct pdfg_use){ g1, meem, 2 };	/* again */
	use[3] = (struct pdfg_use){ g1, "x", 1 };	/* other text */
	if (!pdfgfont_cut(&pf, l.r[0].f, use, 4, &err))
		fail_msg("%s", err);
	assert_false(pf.cff);
	assert_int_equal(pf.nkey, 3);
	assert_int_equal(pf.ncid, 4);
	assert_int_equal(pf.cidset.len, 1);
	assert_int_equal((unsigned char)pf.cidset.ptr[0], 0xF0);
	assert_int_equal(pf.cid_to_gid.len, 2 * 4);
	assert_memory_equal(pf.file.ptr, "\x00\x01\x00\x00", 4);
	assert_int_not_equal(pdfgfont_cid(&pf, g1, meem, 2, &exact), 0);
	assert_true(exact);
	assert_int_not_equal(pdfgfont_cid(&pf, g1, "x", 1, &exact),
	    pdfgfont_cid(&pf, g1, meem, 2, &exact));
	pdfgfont_cid(&pf, g1, "y", 1, &exact);
	assert_false(exact);
	assert_int_equal(pdfgfont_cid(&pf, 9999, "y", 1, &exact), 0);
	for (unsigned c = 1; c < pf.ncid; c++)
		assert_true(pdfgfont_has_cid(&pf, c));
	for (size_t k = 0; k < pf.nkey; k++)
		assert_int_equal(pf.width[pf.key[k].cid],
		    (int)(hb_font_get_glyph_h_advance(l.r[0].f->hb_font,
		    pf.key[k].gid) * 1000.0 / l.r[0].f->upem + 0.5));
	/* ToUnicode has the lam-alef's two characters, in order. */
	assert_non_null(strstr(pf.to_unicode.ptr, "<06440627>"));
	shape_free(&l);
	pdfgfont_free(&pf);
}

/* CFF (the CJK collection): bare CFF, CIDs from its charset. */
static void
test_glyph_cut_cff(void **state)
{
	const char *s = "\xF0\xA0\xAE\xB7\xE7\x94\xB0";	/* 𠮷田 */
	struct shape_line l;
	struct pdfgfont pf;
	struct pdfg_use use[2];
	char *err = NULL;
	bool exact;

	(void)state;
	shape_text(fonts.sel, s, strlen(s), 0, FONTSEL_JP, &l);
	assert_int_equal(l.ng, 2);
	assert_true(l.r[0].f->cff);
	use[0] = (struct pdfg_use){ l.g[0].gid, s, 4 };
	use[1] = (struct pdfg_use){ l.g[1].gid, s + 4, 3 };
	if (!pdfgfont_cut(&pf, l.r[0].f, use, 2, &err))
		fail_msg("%s", err);
	assert_true(pf.cff);
	/* A CFF header (major version 1), not an OpenType wrapper. */
	assert_int_equal(pf.file.ptr[0], 1);
	assert_memory_not_equal(pf.file.ptr, "OTTO", 4);
	assert_int_equal(pf.cid_to_gid.len, 0);
	/* Noto Sans CJK is Adobe-Identity-0: each glyph's CID is its
	 * index in the whole font. */
	for (int i = 0; i < 2; i++) {
		unsigned cid = pdfgfont_cid(&pf, l.g[i].gid, use[i].text,
		    use[i].len, &exact);

		assert_true(exact);
		assert_int_equal(cid, l.g[i].gid);
		assert_true(bit(&pf.cidset, cid));
		assert_int_equal(pf.width[cid], 1000);
	}
	assert_true(bit(&pf.cidset, 0));
	assert_false(bit(&pf.cidset, 1));
	assert_int_equal(pf.cidset.len, (pf.ncid + 7) / 8);
	/* U+20BB7 in /ToUnicode as a surrogate pair. */
	assert_non_null(strstr(pf.to_unicode.ptr, "<D842DFB7>"));
	shape_free(&l);
	pdfgfont_free(&pf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_byte_codes),
		cmocka_unit_test(test_maps),
		cmocka_unit_test(test_ranges_split_at_byte_boundaries),
		cmocka_unit_test(test_two_byte_codes),
		cmocka_unit_test(test_cut_is_a_whole_font),
		cmocka_unit_test(test_tag_depends_on_the_characters),
		cmocka_unit_test(test_glyph_cut_truetype),
		cmocka_unit_test(test_glyph_cut_cff),
	};

	return cmocka_run_group_tests(tests, fonts_setup,
	    fonts_teardown);
}
