/*
 * test_shape.c - text to glyphs: an Arabic word gets the glyphs
 * hb-shape gives for the same face, a mixed English and Hebrew
 * sentence comes out in bidi order, a lam-alef is one glyph for two
 * characters, a character above U+FFFF is drawn, and the width is the
 * sum of the advances.  A reader's language shapes its own script as
 * hb-shape does with it (Urdu keeps lam and alef apart), and a line
 * takes its paragraph's base direction.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnpack/fontsel.h"
#include "rnpack/packet.h"
#include "rnpack/shape.h"

static struct fontsel *fs;

static int
setup(void **state)
{
	(void)state;
	fs = fontsel_new(packet_font_paths);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	fontsel_free(fs);
	return 0;
}

static const char *
base(const struct shape_run *r)
{
	const char *s = strrchr(r->f->path, '/');

	return s ? s + 1 : r->f->path;
}

/* hb-shape's glyph ids for text in font, "[a|b|c]". */
static void
hb_shape_cli(const char *font, const char *lang, const char *text,
    char *out, size_t len)
{
	char cmd[512];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "hb-shape --no-glyph-names --no-positions "
	    "--no-clusters --language=%s '%s' '%s'", lang, font, text);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (fgets(out, (int)len, p) == NULL)
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	pclose(p);
}

/* The glyph ids of l, "[a|b|c]". */
static void
gids(const struct shape_line *l, char *got, size_t len)
{
	size_t k = 0;

	got[k++] = '[';
	for (size_t i = 0; i < l->ng; i++)
		k += (size_t)snprintf(got + k, len - k, "%s%u", i ? "|" : "",
		    (unsigned)l->g[i].gid);
	snprintf(got + k, len - k, "]");
}

static void
test_arabic_as_hb_shape(void **state)
{
	static const char *const words[] = { "محمد", "عبد الله", "لطفي",
		"پښتۍ", "ئۇيغۇر" };
	char want[256], got[256];

	(void)state;
	for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
		struct shape_line l;

		shape_text(fs, words[w], strlen(words[w]), 0, FONTSEL_SC, &l);
		assert_int_equal(l.nr, 1);
		assert_true(l.r[0].rtl);
		assert_false(l.missing);
		hb_shape_cli(l.r[0].f->path, "und", words[w], want,
		    sizeof(want));
		gids(&l, got, sizeof(got));
		assert_string_equal(got, want);
		shape_free(&l);
	}
}

static void
test_bidi_order(void **state)
{
	/* "Hello שלום world": LTR paragraph, Hebrew in the middle. */
	const char *s = "Hello \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D world";
	struct shape_line l;
	const struct shape_run *r;

	(void)state;
	shape_text(fs, s, strlen(s), 0, FONTSEL_SC, &l);
	/* Hello_ | שלום | _ world (the space after the Hebrew word is in
	 * its script run, drawn left to right) */
	assert_true(l.nr >= 3);
	assert_false(l.r[0].rtl);
	assert_true(l.r[1].rtl);
	for (size_t k = 2; k < l.nr; k++)
		assert_false(l.r[k].rtl);
	assert_string_equal(base(&l.r[0]), "DejaVuSans.ttf");
	assert_string_equal(base(&l.r[1]), "NotoSansHebrew-Regular.ttf");
	assert_string_equal(base(&l.r[l.nr - 1]), "DejaVuSans.ttf");
	r = &l.r[1];
	/* Visual order: shin, the first letter, is the rightmost. */
	assert_int_equal(l.g[r->first + r->n - 1].start, 6);
	assert_int_equal(l.g[r->first].start, 12);
	assert_int_equal(l.g[l.ng - 1].start, 19);	/* the d */
	assert_int_equal(l.g[l.r[2].first].start, 14);
	shape_free(&l);

	/* "שלום 123 abc": an RTL paragraph; the English run is leftmost,
	 * the Hebrew word rightmost. */
	s = "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D 123 abc";
	shape_text(fs, s, strlen(s), 0, FONTSEL_SC, &l);
	assert_true(l.nr >= 2);
	assert_false(l.r[0].rtl);
	assert_int_equal(l.g[l.r[0].first].start, 13);	/* 'a' */
	r = &l.r[l.nr - 1];
	assert_true(r->rtl);
	assert_int_equal(l.g[r->first + r->n - 1].start, 0);
	shape_free(&l);
}

static void
test_clusters(void **state)
{
	/* لا: lam-alef, one glyph for two characters. */
	const char *s = "\xD9\x84\xD8\xA7";
	struct shape_line l;

	(void)state;
	shape_text(fs, s, strlen(s), 0, FONTSEL_SC, &l);
	assert_int_equal(l.ng, 1);
	assert_false(l.g[0].one);
	assert_int_equal(l.g[0].start, 0);
	assert_int_equal(l.g[0].end, 4);
	shape_free(&l);
	/* Hebrew with points: the letter and its points are one cluster
	 * (so poppler keeps them in their word). */
	s = "\xD7\xA9\xD7\x81\xD6\xB8";	/* שׁ + qamats */
	shape_text(fs, s, strlen(s), 0, FONTSEL_SC, &l);
	assert_false(l.missing);
	assert_true(l.ng >= 2);
	for (size_t i = 0; i < l.ng; i++) {
		assert_int_equal(l.g[i].start, 0);
		assert_int_equal(l.g[i].end, 6);
		assert_false(l.g[i].one);
	}
	shape_free(&l);
}

static void
test_language(void **state)
{
	/* غلام: Urdu keeps lam and alef apart, where "und" joins them. */
	const char *s = "\xD8\xBA\xD9\x84\xD8\xA7\xD9\x85";
	unsigned ur = shape_lang_of("ur");
	char want[256], got[256];
	struct shape_line l;

	(void)state;
	assert_int_equal(shape_lang_of(NULL), FONTSEL_SC);
	assert_int_equal(shape_lang_of("en"), FONTSEL_SC);
	assert_int_equal(shape_lang_of("zh-TW"), FONTSEL_TC);
	assert_int_equal(shape_lang_of("ja"), FONTSEL_JP);
	assert_int_equal(ur % FONTSEL_NCJK, FONTSEL_SC);
	assert_true(ur != FONTSEL_SC && ur < SHAPE_NKEYS);
	assert_int_equal(shape_lang_of("UR-pk"), ur);
	assert_true(shape_lang_of("he") != ur);
	assert_true(shape_lang_of("he") < SHAPE_NKEYS);

	shape_text(fs, s, strlen(s), 0, ur, &l);
	assert_int_equal(l.ng, 4);
	hb_shape_cli(l.r[0].f->path, "ur", s, want, sizeof(want));
	gids(&l, got, sizeof(got));
	assert_string_equal(got, want);
	shape_free(&l);
	shape_text(fs, s, strlen(s), 0, FONTSEL_SC, &l);
	assert_int_equal(l.ng, 3);
	hb_shape_cli(l.r[0].f->path, "und", s, want, sizeof(want));
	gids(&l, got, sizeof(got));
	assert_string_equal(got, want);
	shape_free(&l);
	/* The language applies to its own script only: Latin text read
	 * by an Urdu reader shapes as for anyone. */
	shape_text(fs, "office", 6, 0, ur, &l);
	gids(&l, want, sizeof(want));
	shape_free(&l);
	shape_text(fs, "office", 6, 0, FONTSEL_SC, &l);
	gids(&l, got, sizeof(got));
	assert_string_equal(got, want);
	shape_free(&l);
}

static void
test_base_direction(void **state)
{
	/* "شركة pounds": a wrapped line of an English paragraph starts
	 * with the Arabic word; the paragraph's direction keeps "pounds"
	 * right of it, the line's own would put it left. */
	const char *s = "\xD8\xB4\xD8\xB1\xD9\x83\xD8\xA9 pounds";
	struct shape_line l;

	(void)state;
	shape_text_dir(fs, s, strlen(s), 0, FONTSEL_SC, SHAPE_LTR, &l);
	assert_true(l.nr >= 2);
	assert_true(l.r[0].rtl);
	assert_int_equal(l.r[0].start, 0);
	assert_false(l.r[l.nr - 1].rtl);
	assert_int_equal(l.g[l.ng - 1].start, strlen(s) - 1);	/* the s */
	shape_free(&l);
	shape_text_dir(fs, s, strlen(s), 0, FONTSEL_SC, SHAPE_AUTO, &l);
	assert_false(l.r[0].rtl);
	assert_true(l.r[l.nr - 1].rtl);
	shape_free(&l);
	shape_text(fs, s, strlen(s), 0, FONTSEL_SC, &l);
	assert_false(l.r[0].rtl);
	shape_free(&l);
	/* An English line in a right-to-left paragraph: the Arabic
	 * word that follows it is drawn left of it. */
	s = "pounds \xD8\xB4\xD8\xB1\xD9\x83\xD8\xA9";
	shape_text_dir(fs, s, strlen(s), 0, FONTSEL_SC, SHAPE_RTL, &l);
	assert_true(l.r[0].rtl);
	assert_false(l.r[l.nr - 1].rtl);
	assert_int_equal(l.g[l.r[l.nr - 1].first].start, 0);	/* the p */
	shape_free(&l);
}

static void
test_beyond_bmp(void **state)
{
	/* 𠮷田, Japanese. */
	const char *s = "\xF0\xA0\xAE\xB7\xE7\x94\xB0";
	struct shape_line l;
	double w;

	(void)state;
	shape_text(fs, s, strlen(s), 0, FONTSEL_JP, &l);
	assert_int_equal(l.nr, 1);
	assert_int_equal(l.ng, 2);
	assert_false(l.missing);
	assert_string_equal(base(&l.r[0]), "NotoSansCJK-Regular.ttc");
	assert_string_equal(l.r[0].f->ps_name, "NotoSansCJKjp-Regular");
	assert_true(l.g[0].gid != 0);
	assert_int_equal(l.g[0].start, 0);
	assert_int_equal(l.g[0].end, 4);
	assert_true(l.g[0].one);
	assert_int_equal(l.g[1].start, 4);
	/* Full-width ideographs: 1 em each. */
	w = shape_width(&l, 10.0);
	assert_true(w > 19.99 && w < 20.01);
	shape_free(&l);
}

static void
test_missing(void **state)
{
	const char *s = "a\xEE\x80\x80";	/* a, U+E000 */
	struct shape_line l;

	(void)state;
	shape_text(fs, s, strlen(s), 0, FONTSEL_SC, &l);
	assert_true(l.missing);
	shape_free(&l);
	shape_text(fs, "", 0, 0, FONTSEL_SC, &l);
	assert_int_equal(l.ng, 0);
	shape_free(&l);
}

/* shape_faces(): the faces of shape_text()'s runs, in the same order,
 * without glyphs; what it finds is appended to what was there. */
static void
test_faces_without_shaping(void **state)
{
	static const char *const texts[] = {
		"Hello \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D world",
		"\xD8\xB9\xD9\x84\xD8\xA7\xD8\xA1 (Alaa), 12",
		"\xF0\xA0\xAE\xB7\xE7\x94\xB0 \xE6\xB2\x99\xE7\xB9\x94",
		"\xE0\xB8\xAA\xE0\xB8\xA1\xE0\xB8\x8A\xE0\xB8\xB2"
		    "\xE0\xB8\xA2 Smith",
		"a\xEE\x80\x80" "b", "" };
	int *ids = NULL;
	size_t n = 0, cap = 0;

	(void)state;
	for (size_t t = 0; t < sizeof(texts) / sizeof(texts[0]); t++) {
		for (unsigned style = 0; style < 2; style++) {
			struct shape_line l;
			size_t before = n, added;

			shape_text(fs, texts[t], strlen(texts[t]), style,
			    shape_lang_of("ja"), &l);
			added = shape_faces(fs, texts[t], strlen(texts[t]),
			    style, shape_lang_of("ja"), &ids, &n, &cap);
			assert_int_equal(added, l.nr);
			assert_int_equal(n, before + l.nr);
			for (size_t r = 0; r < l.nr; r++)
				assert_int_equal(ids[before + r], l.r[r].face);
			shape_free(&l);
		}
	}
	/* Several faces among them: Hebrew, Arabic, CJK, Thai. */
	assert_true(n > 12);
	free(ids);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arabic_as_hb_shape),
		cmocka_unit_test(test_bidi_order),
		cmocka_unit_test(test_clusters),
		cmocka_unit_test(test_language),
		cmocka_unit_test(test_base_direction),
		cmocka_unit_test(test_beyond_bmp),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_faces_without_shaping),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
