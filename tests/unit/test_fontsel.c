/*
 * test_fontsel.c - which face draws a script run: runs split by
 * script with Common characters joining their neighbours, DejaVu for
 * the scripts it covers, the Noto order (Sans <Script>, Naskh for
 * Arabic, Serif <Script>, Sans, Serif), never a Kufi, Nastaliq, Rashi,
 * Looped, UI, Display or Mono face, the CJK face by language, and
 * coverage for the missing-glyph rule.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "rnpack/fontsel.h"
#include "rnpack/packet.h"

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

static size_t
decode(const char *s, uint32_t *cp, size_t max)
{
	int32_t i = 0, n = (int32_t)strlen(s);
	size_t k = 0;

	while (i < n && k < max) {
		UChar32 c;

		U8_NEXT(s, i, n, c);
		cp[k++] = (uint32_t)c;
	}
	return k;
}

/* The base name of the file of the face chosen for s. */
static const char *
choose(const char *s, unsigned style, enum fontsel_cjk cjk)
{
	uint32_t cp[64];
	int script[64];
	size_t n = decode(s, cp, 64);
	int id;
	const struct fontsel_face *f;
	const char *slash;

	fontsel_scripts(cp, n, script);
	id = fontsel_choose(fs, script[0], style, cjk, cp, n);
	if (id < 0)
		return "(none)";
	f = fontsel_face(fs, id);
	assert_non_null(f);
	slash = strrchr(f->path, '/');
	return slash ? slash + 1 : f->path;
}

static void
test_script_runs(void **state)
{
	uint32_t cp[32];
	int script[32];
	/* "(Ali) محمد 12" */
	size_t n = decode("(Ali) \xD9\x85\xD8\xAD\xD9\x85\xD8\xAF 12", cp, 32);

	(void)state;
	fontsel_scripts(cp, n, script);
	/* The leading parenthesis takes the first real script. */
	assert_int_equal(script[0], USCRIPT_LATIN);
	assert_int_equal(script[1], USCRIPT_LATIN);
	/* ") " after Latin: Latin; the digits after Arabic: Arabic. */
	assert_int_equal(script[4], USCRIPT_LATIN);
	assert_int_equal(script[5], USCRIPT_LATIN);
	assert_int_equal(script[6], USCRIPT_ARABIC);
	assert_int_equal(script[n - 1], USCRIPT_ARABIC);
	/* Han and kana are one run: 𠮷田たろう. */
	n = decode("\xF0\xA0\xAE\xB7\xE7\x94\xB0\xE3\x81\x9F", cp, 32);
	fontsel_scripts(cp, n, script);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(script[i], USCRIPT_HAN);
	/* Only Common: Common. */
	n = decode("12 - 3", cp, 32);
	fontsel_scripts(cp, n, script);
	assert_int_equal(script[0], USCRIPT_COMMON);
}

static void
test_face_order(void **state)
{
	(void)state;
	/* DejaVu keeps the scripts it draws, in all four styles. */
	assert_string_equal(choose("Nguyễn", 0, FONTSEL_SC), "DejaVuSans.ttf");
	assert_string_equal(choose("Иванов", 1, FONTSEL_SC),
	    "DejaVuSans-Bold.ttf");
	assert_string_equal(choose("Ἀθῆναι", 3, FONTSEL_SC),
	    "DejaVuSans-BoldOblique.ttf");
	assert_string_equal(choose("Գևորգյան", 0, FONTSEL_SC),
	    "DejaVuSans.ttf");
	/* Noto Sans <Script> first, Bold when there is one; no Kufi. */
	assert_string_equal(choose("محمد", 0, FONTSEL_SC),
	    "NotoSansArabic-Regular.ttf");
	assert_string_equal(choose("محمد", 1, FONTSEL_SC),
	    "NotoSansArabic-Bold.ttf");
	/* Italic has no Noto file of its own here: Regular. */
	assert_string_equal(choose("محمد", 2, FONTSEL_SC),
	    "NotoSansArabic-Regular.ttf");
	/* Hebrew: Sans, never Rashi; Thai: Sans, never Looped. */
	assert_string_equal(choose("שָׁלוֹם", 0, FONTSEL_SC),
	    "NotoSansHebrew-Regular.ttf");
	assert_string_equal(choose("สมชาย", 0, FONTSEL_SC),
	    "NotoSansThai-Regular.ttf");
	assert_string_equal(choose("राजेश", 0, FONTSEL_SC),
	    "NotoSansDevanagari-Regular.ttf");
	/* Tibetan is only in Noto Serif Tibetan: the third choice. */
	assert_string_equal(choose("བཀྲ་ཤིས", 0, FONTSEL_SC),
	    "NotoSerifTibetan-Regular.ttf");
	assert_string_equal(choose("አበበ", 0, FONTSEL_SC),
	    "NotoSansEthiopic-Regular.ttf");
	/* Han, kana, Hangul: the CJK collection. */
	assert_string_equal(choose("王", 0, FONTSEL_SC),
	    "NotoSansCJK-Regular.ttc");
	assert_string_equal(choose("김민준", 1, FONTSEL_KR),
	    "NotoSansCJK-Bold.ttc");
}

static void
test_never_excluded_faces(void **state)
{
	static const char *const texts[] = { "محمد", "ۍے", "שָׁלוֹם", "สมชาย",
		"ລາວ", "ខ្មែរ", "မြန်မာ", "王", "ᠮᠣᠩ", "ꆈꌠ" };
	static const char *const banned[] = { "Kufi", "Nastaliq", "Rashi",
		"Looped", "UI", "Display", "Mono" };

	(void)state;
	for (size_t t = 0; t < sizeof(texts) / sizeof(texts[0]); t++)
		for (unsigned style = 0; style < 4; style++) {
			const char *f = choose(texts[t], style, FONTSEL_JP);

			for (size_t b = 0; b < sizeof(banned) /
			    sizeof(banned[0]); b++)
				if (strstr(f, banned[b]) != NULL)
					fail_msg("%s: %s", texts[t], f);
		}
}

static void
test_cjk_language(void **state)
{
	static const struct {
		const char	*lang;
		enum fontsel_cjk v;
	} map[] = {
		{ "ja", FONTSEL_JP }, { "ja-JP", FONTSEL_JP },
		{ "ko", FONTSEL_KR }, { "zh-Hant", FONTSEL_TC },
		{ "zh-TW", FONTSEL_TC }, { "zh-HK", FONTSEL_TC },
		{ "zh-MO", FONTSEL_TC }, { "zh-Hant-TW", FONTSEL_TC },
		{ "zh", FONTSEL_SC }, { "zh-Hans", FONTSEL_SC },
		{ "zh-CN", FONTSEL_SC }, { "en", FONTSEL_SC },
		{ NULL, FONTSEL_SC }, { "jav", FONTSEL_SC },
	};
	static const char *const want[FONTSEL_NCJK] = {
		"NotoSansCJKsc-Regular", "NotoSansCJKtc-Regular",
		"NotoSansCJKjp-Regular", "NotoSansCJKkr-Regular" };
	uint32_t cp = 0x738B;	/* 王 */

	(void)state;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (fontsel_cjk_of(map[i].lang) != map[i].v)
			fail_msg("%s", map[i].lang ? map[i].lang : "NULL");
	/* The face inside the .ttc is found by its name. */
	for (int v = 0; v < FONTSEL_NCJK; v++) {
		int id = fontsel_choose(fs, USCRIPT_HAN, 0,
		    (enum fontsel_cjk)v, &cp, 1);
		const struct fontsel_face *f = fontsel_face(fs, id);

		assert_non_null(f);
		assert_true(f->cff);
		/* The PostScript name says which face it is. */
		assert_string_equal(f->ps_name, want[v]);
	}
}

static void
test_coverage(void **state)
{
	(void)state;
	assert_true(fontsel_covers(fs, 'A'));
	assert_true(fontsel_covers(fs, 0x0645));	/* م */
	assert_true(fontsel_covers(fs, 0x20BB7));	/* 𠮷 */
	assert_true(fontsel_covers(fs, 0x0F40));	/* ཀ */
	assert_true(fontsel_covers(fs, 0x06D2));	/* ے */
	assert_false(fontsel_covers(fs, 0xE000));	/* private use */
	assert_false(fontsel_covers(fs, 0x0378));	/* unassigned */
	/* A run no face has whole: none. */
	assert_int_equal(fontsel_choose(fs, USCRIPT_ARABIC, 0, FONTSEL_SC,
	    (const uint32_t[]){ 0x0645, 0xE000 }, 2), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_runs),
		cmocka_unit_test(test_face_order),
		cmocka_unit_test(test_never_excluded_faces),
		cmocka_unit_test(test_cjk_language),
		cmocka_unit_test(test_coverage),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
