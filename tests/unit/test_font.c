/*
 * test_font.c - TrueType faces: coverage, libharu-exact widths, font
 * descriptor values, and refusal of fonts libharu cannot embed.  Uses the DejaVu fonts (fonts-dejavu-core) and,
 * for the CFF check, any OpenType-CFF font that happens to be installed.
 *
 * Expected values are computed independently here, from FreeType
 * directly, rather than copied from font.c.
 *
 * There is no multi-threaded test on purpose: a struct font is
 * written only inside font_load() and holds no FreeType object
 * afterwards, so concurrent readers touch nothing but immutable
 * arrays; a test with threads could not show more than that.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H
#include FT_TRUETYPE_TABLES_H

#include "rnpack/font.h"

#define DEJAVU		"/usr/share/fonts/truetype/dejavu/"
#define SANS		DEJAVU "DejaVuSans.ttf"
#define SANS_BOLD	DEJAVU "DejaVuSans-Bold.ttf"
#define SANS_OBLIQUE	DEJAVU "DejaVuSans-Oblique.ttf"

static const char *const faces[] = { SANS, SANS_BOLD, SANS_OBLIQUE };

static struct font *
load_ok(const char *path)
{
	char *err = NULL;
	struct font *f = font_load(path, &err);

	if (f == NULL)
		fail_msg("%s", err ? err : "font_load failed without a message");
	assert_null(err);
	return f;
}

static void
assert_load_fails(const char *path, const char *want)
{
	char *err = NULL;

	assert_null(font_load(path, &err));
	assert_non_null(err);
	if (strstr(err, want) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err, want);
	assert_non_null(strstr(err, path));	/* names the file */
	free(err);
}

/* An independent FreeType handle on one face, for expected values. */
struct ref {
	FT_Library	 lib;
	FT_Face		 face;
};

static void
ref_open(struct ref *r, const char *path)
{
	assert_int_equal(FT_Init_FreeType(&r->lib), 0);
	assert_int_equal(FT_New_Face(r->lib, path, 0, &r->face), 0);
}

static void
ref_close(struct ref *r)
{
	FT_Done_Face(r->face);
	FT_Done_FreeType(r->lib);
}

/* libharu 2.3.0: advance * 1000 / unitsPerEm, unsigned, truncated. */
static int
ref_advance(struct ref *r, FT_UInt gid)
{
	FT_Fixed adv = 0;

	assert_int_equal(FT_Get_Advance(r->face, gid, FT_LOAD_NO_SCALE,
	    &adv), 0);
	return (int)((unsigned long)adv * 1000 / r->face->units_per_EM);
}

static void
test_load_and_metrics(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(faces) / sizeof(faces[0]); i++) {
		struct font *f = load_ok(faces[i]);
		const TT_HoriHeader *hhea;
		struct ref r;

		ref_open(&r, faces[i]);
		hhea = FT_Get_Sfnt_Table(r.face, FT_SFNT_HHEA);
		assert_non_null(hhea);
		assert_string_equal(font_path(f), faces[i]);
		assert_int_equal(font_num_glyphs(f), r.face->num_glyphs);
		assert_int_equal(font_ascent(f),
		    hhea->Ascender * 1000 / (int)r.face->units_per_EM);
		assert_int_equal(font_descent(f),
		    hhea->Descender * 1000 / (int)r.face->units_per_EM);
		assert_true(font_ascent(f) > 0);
		assert_true(font_descent(f) < 0);
		ref_close(&r);
		font_free(f);
	}
	/* DejaVu Sans: hhea 1901/-483 at 2048 units, truncated. */
	{
		struct font *f = load_ok(SANS);

		assert_int_equal(font_num_glyphs(f), 6253);
		assert_int_equal(font_ascent(f), 928);
		assert_int_equal(font_descent(f), -235);
		font_free(f);
	}
	font_free(NULL);
}

static void
test_coverage(void **state)
{
	static const uint32_t have[] = {
		'A', 'z', '0', ' ', 0xE9 /* é */, 0x0144 /* ń */,
		0x1EC5 /* ễ */, 0x01D7 /* Ǘ */, 0x1EA0 /* Ạ */,
		0x03CC /* ό */, 0x03A9 /* Ω */,
		0x0416 /* Ж */, 0x044F /* я */, 0x0451 /* ё */,
	};
	static const uint32_t lack[] = {
		0x4E2D /* 中, no CJK in DejaVu */, 0xAC00 /* 가 */,
		0x10000, 0x1F600 /* 😀 */, 0x10FFFF, 0x110000, UINT32_MAX,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(faces) / sizeof(faces[0]); i++) {
		struct font *f = load_ok(faces[i]);
		struct ref r;

		ref_open(&r, faces[i]);
		for (size_t j = 0; j < sizeof(have) / sizeof(have[0]); j++) {
			unsigned g = font_glyph(f, have[j]);

			assert_true(font_has(f, have[j]));
			assert_true(g > 0 && g < font_num_glyphs(f));
			assert_int_equal(g, FT_Get_Char_Index(r.face,
			    have[j]));
		}
		for (size_t j = 0; j < sizeof(lack) / sizeof(lack[0]); j++) {
			assert_false(font_has(f, lack[j]));
			assert_int_equal(font_glyph(f, lack[j]), 0);
		}
		/*
		 * DejaVu maps U+10300 (Old Italic) in its format 12 cmap,
		 * which FreeType selects by default; libharu cannot set it,
		 * so it must not count as covered.
		 */
		assert_true(FT_Get_Char_Index(r.face, 0x10300) != 0);
		assert_false(font_has(f, 0x10300));
		ref_close(&r);
		font_free(f);
	}
}

/*
 * The whole BMP agrees with FreeType's own lookup in the (3,1) cmap,
 * and every code point's advance is its glyph's libharu width.
 */
static void
test_cmap_and_widths_match_freetype(void **state)
{
	struct font *f = load_ok(SANS);
	struct ref r;
	unsigned covered = 0;

	(void)state;
	ref_open(&r, SANS);
	for (FT_Int i = 0; i < r.face->num_charmaps; i++)
		if (r.face->charmaps[i]->platform_id == 3 &&
		    r.face->charmaps[i]->encoding_id == 1)
			assert_int_equal(FT_Set_Charmap(r.face,
			    r.face->charmaps[i]), 0);
	assert_int_equal(r.face->charmap->encoding_id, 1);
	for (uint32_t cp = 0; cp <= 0xFFFF; cp++) {
		FT_UInt g = FT_Get_Char_Index(r.face, cp);

		assert_int_equal(font_glyph(f, cp), g);
		assert_int_equal(font_advance(f, cp), ref_advance(&r, g));
		covered += g != 0;
	}
	assert_true(covered > 5000);
	ref_close(&r);
	font_free(f);
}

static void
test_advances(void **state)
{
	struct font *f = load_ok(SANS);
	struct ref r;
	const char *hello = "Hello";
	int sum = 0;

	(void)state;
	ref_open(&r, SANS);
	for (const char *p = hello; *p; p++)
		sum += ref_advance(&r, FT_Get_Char_Index(r.face,
		    (FT_ULong)*p));
	assert_float_equal(font_text_width(f, hello, 10.0), sum / 100.0,
	    1e-9);
	/*
	 * Known values: H is 1540 units at 2048 per em, 751.95 -> 751;
	 * e 1260 -> 615; l 569 -> 277; o 1253 -> 611.  Truncated, not
	 * rounded, as libharu writes them.
	 */
	assert_int_equal(font_advance(f, 'H'), 751);
	assert_int_equal(font_advance(f, 'e'), 615);
	assert_int_equal(font_advance(f, 'l'), 277);
	assert_int_equal(font_advance(f, 'o'), 611);
	assert_int_equal(sum, 751 + 615 + 277 + 277 + 611);
	assert_float_equal(font_text_width(f, "Hello", 12.0),
	    2531 * 12.0 / 1000, 1e-9);
	assert_float_equal(font_text_width(f, "", 12.0), 0.0, 0);

	/* Multi-byte characters: ễ and Ж. */
	assert_float_equal(font_text_width(f, "\xE1\xBB\x85\xD0\x96", 1000.0),
	    (double)ref_advance(&r, FT_Get_Char_Index(r.face, 0x1EC5)) +
	    ref_advance(&r, FT_Get_Char_Index(r.face, 0x416)), 1e-9);

	/* A missing BMP character is drawn, and measured, as .notdef. */
	assert_int_equal(font_advance(f, 0x4E2D), ref_advance(&r, 0));
	/* Above U+FFFF libharu draws a space. */
	assert_int_equal(font_advance(f, 0x1F600), font_advance(f, ' '));
	assert_float_equal(font_text_width(f, "a\xF0\x9F\x98\x80" "b", 10.0),
	    font_text_width(f, "a b", 10.0), 1e-9);
	/*
	 * Invalid UTF-8 is measured as libharu 2.3.0 decodes it: a stray
	 * continuation byte is skipped, the overlong C0 AF is '/', a
	 * sequence cut off by the end is dropped, and a lead byte takes
	 * whatever follows it (E1 BB 'x' is U+1EF8).
	 */
	assert_float_equal(font_text_width(f, "a\x80" "b\xC0\xAF" "c\xE1\xBB",
	    10.0), font_text_width(f, "ab/c", 10.0), 1e-9);
	assert_float_equal(font_text_width(f, "\xE1\xBBx", 1000.0),
	    font_advance(f, 0x1EF8), 1e-9);
	assert_float_equal(font_text_width(f, "\xFF\xF8", 10.0), 0.0, 0);
	ref_close(&r);
	font_free(f);
}

/*
 * The three letters libharu 2.3.0 breaks: ễ, ό and Ǘ are composites
 * whose parts are composites again in every DejaVu Sans face.
 */
static void
test_rejects(void **state)
{
	static const char *const cff[] = {
		"/usr/share/fonts/opentype/cantarell/Cantarell-Regular.otf",
		"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
		"/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf",
		"/usr/share/texmf/fonts/opentype/public/tex-gyre/"
		    "texgyreheros-regular.otf",
	};
	char tmp[] = "/tmp/test_font_XXXXXX";
	const char *text = "this is not a font\n";
	bool tried_cff = false;
	int fd;

	(void)state;
	assert_load_fails("/nonexistent/DejaVuSans.ttf",
	    "No such file or directory");
	assert_load_fails("/tmp", "not a regular file");

	fd = mkstemp(tmp);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_load_fails(tmp, "not a font file");
	unlink(tmp);

	/* Without a message pointer, failure is still just NULL. */
	assert_null(font_load("/nonexistent/x.ttf", NULL));

	/*
	 * A CFF-outline OpenType font, if one is installed
	 * (fonts-cantarell is small; the others are common).  A .ttc
	 * collection is refused for being one before its outlines are
	 * looked at.  With none installed this check is skipped: the
	 * machine need not carry a CFF font only for this test.
	 */
	for (size_t i = 0; i < sizeof(cff) / sizeof(cff[0]); i++) {
		if (access(cff[i], R_OK) != 0)
			continue;
		assert_load_fails(cff[i], strstr(cff[i], ".ttc") ?
		    "collection" : "CFF");
		tried_cff = true;
	}
	if (!tried_cff)
		print_message("no CFF font installed; CFF refusal not "
		    "checked\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_and_metrics),
		cmocka_unit_test(test_coverage),
		cmocka_unit_test(test_cmap_and_widths_match_freetype),
		cmocka_unit_test(test_advances),
		cmocka_unit_test(test_rejects),
	};

	return cmocka_run_group_tests_name("font", tests, NULL, NULL);
}
