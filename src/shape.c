/*
 * shape.c - text to glyphs in visual order (see shape.h).
 *
 * Steps: decode the UTF-8 once (code points, their byte offsets, and
 * the UTF-16 ICU's bidi wants); bidi levels give the visual runs; each
 * visual run is cut where the script run (fontsel_scripts) changes and
 * each piece gets one face; each piece is shaped by HarfBuzz over the
 * whole text as context.  In a right-to-left visual run the pieces are
 * laid from its logical end.
 */
#include <stdlib.h>
#include <string.h>

#include <harfbuzz/hb.h>
#include <unicode/ubidi.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>
#include <unicode/utf16.h>

#include "rnpack/fontsel.h"
#include "rnpack/shape.h"
#include "rnpack/xalloc.h"

/* The decoded text. */
struct chars {
	uint32_t	*cp;	/* [n] */
	uint32_t	*at;	/* [n + 1] byte offsets */
	int		*script;	/* [n] */
	UChar		*u16;	/* [nu] */
	int32_t		*u16_char;	/* [nu]: char index of each unit */
	size_t		 n;
	int32_t		 nu;
};

static void
decode(const char *text, size_t len, struct chars *c)
{
	int32_t i = 0, n = (int32_t)len;

	memset(c, 0, sizeof(*c));
	c->cp = xreallocarray(NULL, len + 1, sizeof(*c->cp));
	c->at = xreallocarray(NULL, len + 1, sizeof(*c->at));
	c->script = xreallocarray(NULL, len + 1, sizeof(*c->script));
	c->u16 = xreallocarray(NULL, 2 * len + 1, sizeof(*c->u16));
	c->u16_char = xreallocarray(NULL, 2 * len + 1, sizeof(*c->u16_char));
	while (i < n) {
		UChar32 ch;

		c->at[c->n] = (uint32_t)i;
		U8_NEXT(text, i, n, ch);
		if (ch < 0)
			ch = 0xFFFD;
		c->cp[c->n] = (uint32_t)ch;
		if (ch > 0xFFFF) {
			c->u16_char[c->nu] = (int32_t)c->n;
			c->u16[c->nu++] = U16_LEAD(ch);
			c->u16_char[c->nu] = (int32_t)c->n;
			c->u16[c->nu++] = U16_TRAIL(ch);
		} else {
			c->u16_char[c->nu] = (int32_t)c->n;
			c->u16[c->nu++] = (UChar)ch;
		}
		c->n++;
	}
	c->at[c->n] = (uint32_t)len;
	fontsel_scripts(c->cp, c->n, c->script);
}

static void
chars_free(struct chars *c)
{
	free(c->cp);
	free(c->at);
	free(c->script);
	free(c->u16);
	free(c->u16_char);
}

static const char *const cjk_lang[FONTSEL_NCJK] = { "zh-Hans", "zh-Hant",
	"ja", "ko" };

/*
 * The languages a key can name besides CJK: those written in a script
 * other than Latin and Han, whose shaping HarfBuzz may change (Urdu's
 * and Persian's forms of Arabic, say).  Appending keeps older keys.
 */
static const char *const key_lang[SHAPE_NLANG - 1] = {
	"ar", "fa", "ur", "ps", "ug", "sd", "ckb", "ks", "dv", "syr",
	"he", "yi",
	"hi", "mr", "ne", "sa", "bn", "as", "pa", "gu", "or", "ta", "te",
	"kn", "ml", "si",
	"th", "lo", "km", "my", "bo",
	"am", "ti",
	"ka", "hy", "el",
	"ru", "uk", "bg", "sr", "mk", "be", "kk", "ky", "mn", "tg"
};

unsigned
shape_lang_of(const char *bcp47)
{
	unsigned cjk = (unsigned)fontsel_cjk_of(bcp47);
	char prim[8];
	size_t n = 0;

	if (bcp47 == NULL)
		return cjk;
	while (bcp47[n] != '\0' && bcp47[n] != '-' && bcp47[n] != '_' &&
	    n + 1 < sizeof(prim)) {
		prim[n] = (char)(bcp47[n] | 0x20);	/* ASCII lower case */
		n++;
	}
	prim[n] = '\0';
	for (size_t i = 0; i < SHAPE_NLANG - 1; i++)
		if (strcmp(prim, key_lang[i]) == 0)
			return cjk + (unsigned)(i + 1) * FONTSEL_NCJK;
	return cjk;
}

/*
 * The language HarfBuzz shapes a run of script sc with: the CJK face's
 * for Han, the key's language where sc is that language's script (ICU's
 * likely script for it), else "und".
 */
static hb_language_t
run_language(int sc, unsigned lang)
{
	unsigned idx = lang / FONTSEL_NCJK;
	UScriptCode codes[4];
	UErrorCode e = U_ZERO_ERROR;
	int32_t n;

	if (sc == USCRIPT_HAN)
		return hb_language_from_string(
		    cjk_lang[lang % FONTSEL_NCJK], -1);
	if (idx == 0 || idx >= SHAPE_NLANG)
		return hb_language_from_string("und", -1);
	n = uscript_getCode(key_lang[idx - 1], codes, 4, &e);
	for (int32_t i = 0; U_SUCCESS(e) && i < n; i++)
		if ((int)codes[i] == sc)
			return hb_language_from_string(key_lang[idx - 1],
			    -1);
	return hb_language_from_string("und", -1);
}

/* A run of ng glyphs, to be written at out->g + out->ng. */
static void
add_run(struct shape_line *out, int id, const struct fontsel_face *f,
    bool rtl, uint32_t start, uint32_t end, size_t ng)
{
	struct shape_run *r;

	if (out->nr == out->rcap) {
		out->rcap = out->rcap ? out->rcap * 2 : 8;
		out->r = xreallocarray(out->r, out->rcap, sizeof(*out->r));
	}
	r = &out->r[out->nr++];
	r->face = id;
	r->f = f;
	r->rtl = rtl;
	r->first = out->ng;
	r->n = ng;
	r->start = start;
	r->end = end;
}

/* Shape chars [a, b) with face id into out, as one run (glyphs false:
 * the run without its glyphs). */
static void
shape_piece(struct fontsel *fs, const char *text, size_t len,
    const struct chars *c, size_t a, size_t b, int id, bool rtl,
    unsigned lang, bool glyphs, struct shape_line *out)
{
	const struct fontsel_face *f = fontsel_face(fs, id);
	hb_buffer_t *buf;
	hb_glyph_info_t *gi;
	hb_glyph_position_t *gp;
	unsigned ng;
	uint32_t start = c->at[a], end = c->at[b];

	if (f == NULL) {
		out->missing = true;
		return;
	}
	if (!glyphs) {
		add_run(out, id, f, rtl, start, end, 0);
		return;
	}
	buf = hb_buffer_create();
	/* A letter and its marks are one cluster: poppler makes a word,
	 * or a line, of each mark it meets on its own. */
	hb_buffer_set_cluster_level(buf,
	    HB_BUFFER_CLUSTER_LEVEL_MONOTONE_GRAPHEMES);
	hb_buffer_add_utf8(buf, text, (int)len, start, (int)(end - start));
	hb_buffer_set_direction(buf, rtl ? HB_DIRECTION_RTL :
	    HB_DIRECTION_LTR);
	hb_buffer_set_language(buf, run_language(c->script[a], lang));
	hb_buffer_guess_segment_properties(buf);
	hb_shape(f->hb_font, buf, NULL, 0);
	gi = hb_buffer_get_glyph_infos(buf, &ng);
	gp = hb_buffer_get_glyph_positions(buf, &ng);
	if (out->ng + ng > out->gcap) {
		out->gcap = (out->ng + ng) * 2;
		out->g = xreallocarray(out->g, out->gcap, sizeof(*out->g));
	}
	add_run(out, id, f, rtl, start, end, ng);
	for (unsigned i = 0; i < ng; i++) {
		struct shape_glyph *g = &out->g[out->ng + i];
		uint32_t cs = gi[i].cluster, ce = end;
		unsigned same = 0;

		/* The cluster ends where the next larger one starts. */
		for (unsigned k = 0; k < ng; k++) {
			if (gi[k].cluster > cs && gi[k].cluster < ce)
				ce = gi[k].cluster;
			if (gi[k].cluster == cs)
				same++;
		}
		g->gid = gi[i].codepoint;
		g->ax = gp[i].x_advance;
		g->dx = gp[i].x_offset;
		g->dy = gp[i].y_offset;
		g->start = cs;
		g->end = ce;
		g->one = same == 1 && ce > cs;
		if (gi[i].codepoint == 0)
			out->missing = true;
	}
	/* one: exactly one character in [cs, ce). */
	for (unsigned i = 0; i < ng; i++) {
		struct shape_glyph *g = &out->g[out->ng + i];
		int32_t k = (int32_t)g->start;
		UChar32 ch;

		if (!g->one)
			continue;
		U8_NEXT(text, k, (int32_t)len, ch);
		(void)ch;
		g->one = (uint32_t)k == g->end;
	}
	out->ng += ng;
	hb_buffer_destroy(buf);
}

/*
 * The pieces of chars [a, b), one script's run: one piece in the face
 * that covers it all, else the longest pieces one face covers, in
 * logical order.  Fills cut[0..n] and face[0..n-1] (b - a + 1 and b - a
 * entries at most) and returns n; a character no face has gets the
 * Latin face and sets *missing.
 */
static size_t
script_run_pieces(struct fontsel *fs, const struct chars *c, size_t a,
    size_t b, unsigned style, enum fontsel_cjk cjk, size_t *cut, int *face,
    bool *missing)
{
	int id = fontsel_choose(fs, c->script[a], style, cjk, c->cp + a,
	    b - a);
	size_t i, j, n = 0;

	if (id >= 0) {
		cut[0] = a;
		cut[1] = b;
		face[0] = id;
		return 1;
	}
	for (i = a; i < b; i = j) {
		id = fontsel_choose(fs, c->script[a], style, cjk, c->cp + i,
		    1);
		j = i + 1;
		if (id < 0) {
			*missing = true;
			id = fontsel_choose(fs, USCRIPT_LATIN, style, cjk,
			    c->cp, 0);
		} else {
			const struct fontsel_face *f = fontsel_face(fs, id);

			while (j < b && fontsel_face_has(f, c->cp[j]))
				j++;
		}
		cut[n] = i;
		face[n++] = id;
	}
	cut[n] = b;
	return n;
}

/* Chars [a, b) of one script, shaped piece by piece in visual order. */
static void
shape_script_run(struct fontsel *fs, const char *text, size_t len,
    const struct chars *c, size_t a, size_t b, unsigned style, bool rtl,
    unsigned lang, bool glyphs, struct shape_line *out)
{
	enum fontsel_cjk cjk = (enum fontsel_cjk)(lang % FONTSEL_NCJK);
	size_t one_cut[2], *cut = one_cut, npieces;
	int one_face[1], *face = one_face;

	if (b - a > 1) {
		cut = xreallocarray(NULL, b - a + 1, sizeof(*cut));
		face = xreallocarray(NULL, b - a, sizeof(*face));
	}
	npieces = script_run_pieces(fs, c, a, b, style, cjk, cut, face,
	    &out->missing);
	for (size_t k = 0; k < npieces; k++) {
		size_t p = rtl ? npieces - 1 - k : k;

		if (face[p] >= 0)
			shape_piece(fs, text, len, c, cut[p], cut[p + 1],
			    face[p], rtl, lang, glyphs, out);
	}
	if (cut != one_cut) {
		free(cut);
		free(face);
	}
}

/* Chars [a, b) at one bidi level, cut into script runs. */
static void
shape_level_run(struct fontsel *fs, const char *text, size_t len,
    const struct chars *c, size_t a, size_t b, unsigned style, bool rtl,
    unsigned lang, bool glyphs, struct shape_line *out)
{
	size_t cuts[2 * 64], ncut = 0, *v = cuts, i;

	/* Run boundaries, logical order. */
	if (b - a + 1 > sizeof(cuts) / sizeof(cuts[0]))
		v = xreallocarray(NULL, b - a + 1, sizeof(*v));
	v[ncut++] = a;
	for (i = a + 1; i < b; i++)
		if (c->script[i] != c->script[i - 1])
			v[ncut++] = i;
	v[ncut] = b;
	for (size_t k = 0; k < ncut; k++) {
		size_t p = rtl ? ncut - 1 - k : k;

		shape_script_run(fs, text, len, c, v[p], v[p + 1], style, rtl,
		    lang, glyphs, out);
	}
	if (v != cuts)
		free(v);
}

/* The line of text: shaped (glyphs), or its runs without glyphs. */
static void
line_of(struct fontsel *fs, const char *text, size_t len, unsigned style,
    unsigned lang, enum shape_dir base, bool glyphs, struct shape_line *out)
{
	UBiDiLevel level = base == SHAPE_RTL ? 1 : base == SHAPE_LTR ? 0 :
	    UBIDI_DEFAULT_LTR;
	struct chars c;
	UBiDi *bidi;
	UErrorCode e = U_ZERO_ERROR;
	int32_t nruns;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return;
	decode(text, len, &c);
	bidi = ubidi_openSized(c.nu, 0, &e);
	if (U_SUCCESS(e))
		ubidi_setPara(bidi, c.u16, c.nu, level, NULL, &e);
	nruns = U_SUCCESS(e) ? ubidi_countRuns(bidi, &e) : 0;
	if (U_FAILURE(e) || nruns <= 0)
		shape_level_run(fs, text, len, &c, 0, c.n, style,
		    base == SHAPE_RTL, lang, glyphs, out);
	else
		for (int32_t r = 0; r < nruns; r++) {
			int32_t s16, n16;
			UBiDiDirection d = ubidi_getVisualRun(bidi, r, &s16,
			    &n16);
			size_t a, b;

			if (n16 <= 0)
				continue;
			a = (size_t)c.u16_char[s16];
			b = (size_t)c.u16_char[s16 + n16 - 1] + 1;
			shape_level_run(fs, text, len, &c, a, b, style,
			    d == UBIDI_RTL, lang, glyphs, out);
		}
	ubidi_close(bidi);
	chars_free(&c);
}

void
shape_text(struct fontsel *fs, const char *text, size_t len, unsigned style,
    unsigned lang, struct shape_line *out)
{
	shape_text_dir(fs, text, len, style, lang, SHAPE_AUTO, out);
}

void
shape_text_dir(struct fontsel *fs, const char *text, size_t len,
    unsigned style, unsigned lang, enum shape_dir base,
    struct shape_line *out)
{
	line_of(fs, text, len, style, lang, base, true, out);
}

size_t
shape_faces(struct fontsel *fs, const char *text, size_t len,
    unsigned style, unsigned lang, int **ids, size_t *n, size_t *cap)
{
	struct shape_line l;
	size_t added;

	/* The same runs and pieces as shape_text(), without HarfBuzz. */
	line_of(fs, text, len, style, lang, SHAPE_AUTO, false, &l);
	for (size_t r = 0; r < l.nr; r++) {
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 8;
			*ids = xreallocarray(*ids, *cap, sizeof(**ids));
		}
		(*ids)[(*n)++] = l.r[r].face;
	}
	added = l.nr;
	shape_free(&l);
	return added;
}

void
shape_free(struct shape_line *l)
{
	free(l->g);
	free(l->r);
	memset(l, 0, sizeof(*l));
}

double
shape_width(const struct shape_line *l, double size)
{
	double w = 0.0;

	for (size_t r = 0; r < l->nr; r++) {
		long units = 0;

		for (size_t i = l->r[r].first; i < l->r[r].first + l->r[r].n;
		    i++)
			units += l->g[i].ax;
		w += (double)units * size / l->r[r].f->upem;
	}
	return w;
}
