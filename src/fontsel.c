/*
 * fontsel.c - the candidate faces and the choice among them (see
 * fontsel.h).
 *
 * Slot numbers: file index in fontlist_files times FONTSEL_NCJK plus
 * the CJK variant (0 for a single-face file).  The chain of slots a
 * script, style and language search is worked out once and kept; a
 * face is loaded the first time a chain reaches it.  One mutex guards
 * both tables: a slot, once loaded, never changes, so what
 * fontsel_face() returns may be read without it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <harfbuzz/hb.h>
#include <harfbuzz/hb-ot.h>
#include <harfbuzz/hb-subset.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "rnpack/ddoc.h"
#include "rnpack/digest.h"
#include "rnpack/fontsel.h"
#include "rnpack/xalloc.h"

#define CHAIN_MAX	8	/* families searched, with room to spare */
#define FAILED		((struct fontsel_face *)&fontsel_failed)

static const int fontsel_failed;

struct chain {
	bool	done;
	int	n;
	int	id[CHAIN_MAX];
};

struct fontsel {
	pthread_mutex_t		 lock;
	struct fontsel_face	**slot;		/* [nslots], NULL: not yet */
	size_t			 nslots;
	int			 dejavu[4];	/* slot per style, -1: none */
	struct chain		*chain;		/* [script][style][cjk] */
};

static const char *const cjk_tag[FONTSEL_NCJK] = { "SC", "TC", "JP", "KR" };

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

static int
file_index(const char *path)
{
	for (size_t i = 0; i < fontlist_count; i++)
		if (strcmp(fontlist_files[i], path) == 0)
			return (int)i;
	return -1;
}

struct fontsel *
fontsel_new(const char *const dejavu[4])
{
	struct fontsel *fs = xcalloc(1, sizeof(*fs));

	pthread_mutex_init(&fs->lock, NULL);
	fs->nslots = fontlist_count * FONTSEL_NCJK;
	fs->slot = xcalloc(fs->nslots ? fs->nslots : 1, sizeof(*fs->slot));
	fs->chain = xcalloc((size_t)USCRIPT_CODE_LIMIT * 4 * FONTSEL_NCJK,
	    sizeof(*fs->chain));
	for (int s = 0; s < 4; s++) {
		int f = file_index(dejavu[s]);

		fs->dejavu[s] = f < 0 ? -1 : f * FONTSEL_NCJK;
	}
	return fs;
}

static void
face_free(struct fontsel_face *f)
{
	if (f == NULL || f == FAILED)
		return;
	hb_font_destroy(f->hb_font);
	hb_face_destroy(f->hb_face);
	hb_face_destroy(f->sub_face);
	hb_set_destroy(f->unicodes);
	pthread_mutex_destroy(&f->cut_lock);
	free(f);
}

void
fontsel_free(struct fontsel *fs)
{
	if (fs == NULL)
		return;
	for (size_t i = 0; i < fs->nslots; i++)
		face_free(fs->slot[i]);
	free(fs->slot);
	free(fs->chain);
	pthread_mutex_destroy(&fs->lock);
	free(fs);
}

enum fontsel_cjk
fontsel_cjk_of(const char *lang)
{
	static const char *const tc[] = { "-hant", "-tw", "-hk", "-mo" };
	char low[64];
	size_t n;

	if (lang == NULL)
		return FONTSEL_SC;
	for (n = 0; lang[n] != '\0' && n + 1 < sizeof(low); n++)
		low[n] = (char)tolower((unsigned char)(lang[n] == '_' ? '-' :
		    lang[n]));
	low[n] = '\0';
	if (strcmp(low, "ja") == 0 || strncmp(low, "ja-", 3) == 0)
		return FONTSEL_JP;
	if (strcmp(low, "ko") == 0 || strncmp(low, "ko-", 3) == 0)
		return FONTSEL_KR;
	if (strncmp(low, "zh-", 3) == 0)
		for (size_t i = 0; i < sizeof(tc) / sizeof(tc[0]); i++) {
			const char *at = strstr(low, tc[i]);
			size_t k = strlen(tc[i]);

			if (at != NULL && (at[k] == '\0' || at[k] == '-'))
				return FONTSEL_TC;
		}
	return FONTSEL_SC;
}

/* ---- loading ---------------------------------------------------------- */

static int
be16(const char *p)
{
	return (int16_t)((unsigned char)p[0] << 8 | (unsigned char)p[1]);
}

static unsigned
ube16(const char *p)
{
	return (unsigned)((unsigned char)p[0] << 8 | (unsigned char)p[1]);
}

/* A table of face, or NULL with *len 0. */
static const char *
table(hb_face_t *face, const char *tag, hb_blob_t **blob, unsigned *len)
{
	*blob = hb_face_reference_table(face, hb_tag_from_string(tag, 4));
	return hb_blob_get_data(*blob, len);
}

static int
em(long v, unsigned upem)
{
	return (int)(v * 1000 / (long)upem);
}

/* The font descriptor values, from head, hhea, OS/2 and post. */
static void
read_info(struct fontsel_face *f)
{
	hb_face_t *face = f->hb_face;
	hb_blob_t *b;
	const char *d;
	unsigned len, weight = 400, n = sizeof(f->ps_name);
	char name[128];

	if ((d = table(face, "head", &b, &len)) != NULL && len >= 44)
		for (int i = 0; i < 4; i++)
			f->bbox[i] = em(be16(d + 36 + 2 * i), f->upem);
	hb_blob_destroy(b);
	if ((d = table(face, "hhea", &b, &len)) != NULL && len >= 8) {
		f->ascent = em(be16(d + 4), f->upem);
		f->descent = em(be16(d + 6), f->upem);
	}
	hb_blob_destroy(b);
	f->cap_height = f->ascent;
	if ((d = table(face, "OS/2", &b, &len)) != NULL && len >= 6) {
		weight = ube16(d + 4);
		if (ube16(d) >= 2 && len >= 90 && be16(d + 88) > 0)
			f->cap_height = em(be16(d + 88), f->upem);
	}
	hb_blob_destroy(b);
	if ((d = table(face, "post", &b, &len)) != NULL && len >= 8)
		f->italic_angle = be16(d + 4);
	hb_blob_destroy(b);
	f->italic = f->italic_angle != 0;
	f->stem_v = 50 + (int)((weight / 65.0) * (weight / 65.0));
	n = sizeof(name);
	name[0] = '\0';
	hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME,
	    HB_LANGUAGE_INVALID, &n, name);
	n = 0;
	for (const char *s = name; *s != '\0' && n + 1 < sizeof(f->ps_name);
	    s++)
		if (isalnum((unsigned char)*s) || *s == '-' || *s == '_')
			f->ps_name[n++] = *s;
	if (n == 0)
		memcpy(f->ps_name, "Font", 5);
	else
		f->ps_name[n] = '\0';
}

/* The face of a .ttc whose family ends in " CJK <tag>", not Mono. */
static int
cjk_face_index(hb_blob_t *blob, enum fontsel_cjk v)
{
	unsigned count = hb_face_count(blob);
	char want[16];

	snprintf(want, sizeof(want), " CJK %s", cjk_tag[v]);
	for (unsigned i = 0; i < count; i++) {
		hb_face_t *face = hb_face_create(blob, i);
		char fam[128];
		unsigned n = sizeof(fam);
		size_t fl, wl = strlen(want);

		fam[0] = '\0';
		hb_ot_name_get_utf8(face, HB_OT_NAME_ID_FONT_FAMILY,
		    HB_LANGUAGE_INVALID, &n, fam);
		hb_face_destroy(face);
		fl = strlen(fam);
		if (fl > wl && strcmp(fam + fl - wl, want) == 0 &&
		    strstr(fam, "Mono") == NULL)
			return (int)i;
	}
	return -1;
}

/*
 * HarfBuzz reads a face's tables when first needed, and two threads
 * doing it at once each load a copy and one copy leaks.  Shaping a
 * character of the face in each direction once, here, under the load
 * lock, reads what shaping, measuring and cmap look-ups need.
 */
static void
warm_up(struct fontsel_face *f)
{
	hb_codepoint_t cp = HB_SET_VALUE_INVALID, gid;

	if (!hb_set_next(f->unicodes, &cp))
		cp = ' ';
	for (int d = 0; d < 2; d++) {
		hb_buffer_t *b = hb_buffer_create();

		hb_buffer_add_codepoints(b, &cp, 1, 0, 1);
		hb_buffer_set_direction(b, d ? HB_DIRECTION_RTL :
		    HB_DIRECTION_LTR);
		hb_buffer_guess_segment_properties(b);
		hb_shape(f->hb_font, b, NULL, 0);
		hb_buffer_destroy(b);
	}
	hb_font_get_nominal_glyph(f->hb_font, cp, &gid);
	(void)hb_font_get_glyph_h_advance(f->hb_font, 0);
}

static struct fontsel_face *
face_load(int id)
{
	const char *path = fontlist_files[id / FONTSEL_NCJK];
	size_t pl = strlen(path);
	bool ttc = pl > 4 && strcasecmp(path + pl - 4, ".ttc") == 0;
	struct fontsel_face *f;
	hb_blob_t *blob, *cff;
	hb_face_t *face;
	int index = 0;
	char sha[DIGEST_HEX_SIZE];

	if (!ttc && id % FONTSEL_NCJK != 0)
		return NULL;
	if ((blob = hb_blob_create_from_file_or_fail(path)) == NULL)
		return NULL;
	if (ttc)
		index = cjk_face_index(blob, (enum fontsel_cjk)(id %
		    FONTSEL_NCJK));
	if (index < 0) {
		hb_blob_destroy(blob);
		return NULL;
	}
	face = hb_face_create(blob, (unsigned)index);
	{
		unsigned len = 0;
		const char *d = hb_blob_get_data(blob, &len);

		digest_sha256_hex(d, len, sha);
	}
	hb_blob_destroy(blob);
	if (hb_face_get_glyph_count(face) == 0 || hb_face_get_upem(face) == 0) {
		hb_face_destroy(face);
		return NULL;
	}
	f = xcalloc(1, sizeof(*f));
	f->path = path;
	f->index = (unsigned)index;
	memcpy(f->sha256, sha, sizeof(f->sha256));
	f->hb_face = face;
	f->upem = hb_face_get_upem(face);
	f->hb_font = hb_font_create(face);
	hb_font_set_scale(f->hb_font, (int)f->upem, (int)f->upem);
	f->unicodes = hb_set_create();
	hb_face_collect_unicodes(face, f->unicodes);
	cff = hb_face_reference_table(face, HB_TAG('C', 'F', 'F', ' '));
	f->cff = hb_blob_get_length(cff) > 0;
	hb_blob_destroy(cff);
	/* Work every subset of this face shares, done once: for
	 * TrueType.  For the CJK collection's CFF faces it costs a second
	 * and 150 MB each, more than cutting a packet's few glyphs from
	 * the plain face ever takes. */
	f->sub_face = f->cff ? hb_face_reference(face) :
	    hb_subset_preprocess(face);
	hb_face_make_immutable(f->sub_face);
	hb_face_make_immutable(face);
	hb_font_make_immutable(f->hb_font);
	pthread_mutex_init(&f->cut_lock, NULL);
	read_info(f);
	warm_up(f);
	return f;
}

const struct fontsel_face *
fontsel_face(struct fontsel *fs, int id)
{
	struct fontsel_face *f;

	if (id < 0 || (size_t)id >= fs->nslots)
		return NULL;
	pthread_mutex_lock(&fs->lock);
	if ((f = fs->slot[id]) == NULL) {
		f = face_load(id);
		fs->slot[id] = f != NULL ? f : FAILED;
	}
	pthread_mutex_unlock(&fs->lock);
	return f == FAILED ? NULL : f;
}

bool
fontsel_face_has(const struct fontsel_face *f, uint32_t cp)
{
	if (hb_set_has(f->unicodes, cp))
		return true;
	return u_hasBinaryProperty((UChar32)cp,
	    UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

/* ---- choosing --------------------------------------------------------- */

static bool
is_dejavu_script(int s)
{
	switch (s) {
	case USCRIPT_LATIN: case USCRIPT_GREEK: case USCRIPT_CYRILLIC:
	case USCRIPT_ARMENIAN: case USCRIPT_GEORGIAN: case USCRIPT_COMMON:
	case USCRIPT_INHERITED:
		return true;
	default:
		return false;
	}
}

static bool
is_cjk_script(int s)
{
	switch (s) {
	case USCRIPT_HAN: case USCRIPT_HIRAGANA: case USCRIPT_KATAKANA:
	case USCRIPT_KATAKANA_OR_HIRAGANA: case USCRIPT_HANGUL:
	case USCRIPT_BOPOMOFO:
		return true;
	default:
		return false;
	}
}

/* Faces never used: their look is not a plain text face. */
static bool
excluded(const char *family)
{
	static const char *const no[] = { "Kufi", "Nastaliq", "Rashi",
		"Looped", "UI", "Display", "Mono", NULL };

	for (const char *const *w = no; *w != NULL; w++)
		if (strstr(family, *w) != NULL)
			return true;
	return false;
}

/* The file of family in style (its Bold file for bold text when there
 * is one, else its Regular), or -1. */
static int
family_file(const char *family, unsigned style, const char *ext)
{
	char want[2][128];

	if (excluded(family))
		return -1;
	snprintf(want[0], sizeof(want[0]), "%s-Bold%s", family, ext);
	snprintf(want[1], sizeof(want[1]), "%s-Regular%s", family, ext);
	for (int k = (style & DRUN_BOLD) ? 0 : 1; k < 2; k++)
		for (size_t i = 0; i < fontlist_count; i++)
			if (strcasecmp(base_name(fontlist_files[i]),
			    want[k]) == 0)
				return (int)i;
	return -1;
}

static void
chain_add(struct chain *c, int file, int variant)
{
	if (file >= 0 && c->n < CHAIN_MAX)
		c->id[c->n++] = file * FONTSEL_NCJK + variant;
}

static void
chain_build(struct fontsel *fs, struct chain *c, int script, unsigned style,
    enum fontsel_cjk cjk)
{
	char name[64], fam[96];
	const char *sn;
	size_t k = 0;

	if (is_dejavu_script(script) && fs->dejavu[style & 3] >= 0 &&
	    c->n < CHAIN_MAX)
		c->id[c->n++] = fs->dejavu[style & 3];
	if (is_cjk_script(script)) {
		chain_add(c, family_file("NotoSansCJK", style, ".ttc"),
		    (int)cjk);
		chain_add(c, family_file("NotoSerifCJK", style, ".ttc"),
		    (int)cjk);
	} else if (script != USCRIPT_COMMON && script != USCRIPT_INHERITED &&
	    (sn = uscript_getName((UScriptCode)script)) != NULL) {
		/* "Canadian_Aboriginal" -> "CanadianAboriginal" */
		for (; *sn != '\0' && k + 1 < sizeof(name); sn++)
			if (*sn != '_')
				name[k++] = *sn;
		name[k] = '\0';
		snprintf(fam, sizeof(fam), "NotoSans%s", name);
		chain_add(c, family_file(fam, style, ".ttf"), 0);
		/* Naskh is the Arabic script's second choice only. */
		if (script == USCRIPT_ARABIC)
			chain_add(c, family_file("NotoNaskhArabic", style,
			    ".ttf"), 0);
		snprintf(fam, sizeof(fam), "NotoSerif%s", name);
		chain_add(c, family_file(fam, style, ".ttf"), 0);
	}
	chain_add(c, family_file("NotoSans", style, ".ttf"), 0);
	chain_add(c, family_file("NotoSerif", style, ".ttf"), 0);
	c->done = true;
}

static const struct chain *
chain_of(struct fontsel *fs, int script, unsigned style,
    enum fontsel_cjk cjk)
{
	struct chain *c;

	if (script < 0 || script >= USCRIPT_CODE_LIMIT)
		script = USCRIPT_COMMON;
	c = &fs->chain[((size_t)script * 4 + (style & 3)) * FONTSEL_NCJK +
	    (unsigned)cjk % FONTSEL_NCJK];
	pthread_mutex_lock(&fs->lock);
	if (!c->done)
		chain_build(fs, c, script, style & 3, cjk);
	pthread_mutex_unlock(&fs->lock);
	return c;
}

int
fontsel_choose(struct fontsel *fs, int script, unsigned style,
    enum fontsel_cjk cjk, const uint32_t *cp, size_t n)
{
	const struct chain *c = chain_of(fs, script, style, cjk);

	for (int k = 0; k < c->n; k++) {
		const struct fontsel_face *f = fontsel_face(fs, c->id[k]);
		size_t i = 0;

		if (f == NULL)
			continue;
		while (i < n && fontsel_face_has(f, cp[i]))
			i++;
		if (i == n)
			return c->id[k];
	}
	return -1;
}

bool
fontsel_covers(struct fontsel *fs, uint32_t cp)
{
	UErrorCode e = U_ZERO_ERROR;
	int script = uscript_getScript((UChar32)cp, &e);

	if (U_FAILURE(e))
		script = USCRIPT_COMMON;
	for (int v = 0; v < (is_cjk_script(script) ? FONTSEL_NCJK : 1); v++)
		if (fontsel_choose(fs, script, 0, (enum fontsel_cjk)v, &cp,
		    1) >= 0)
			return true;
	return false;
}

void
fontsel_scripts(const uint32_t *cp, size_t n, int *script)
{
	int last = -1;

	for (size_t i = 0; i < n; i++) {
		UErrorCode e = U_ZERO_ERROR;
		int s = uscript_getScript((UChar32)cp[i], &e);

		if (U_FAILURE(e))
			s = USCRIPT_COMMON;
		if (is_cjk_script(s))
			s = USCRIPT_HAN;
		if (s == USCRIPT_COMMON || s == USCRIPT_INHERITED) {
			script[i] = last;	/* -1: decided below */
			continue;
		}
		/* Leading Common characters take the first real script. */
		if (last < 0)
			for (size_t k = 0; k < i; k++)
				script[k] = s;
		script[i] = last = s;
	}
	if (last < 0)
		for (size_t i = 0; i < n; i++)
			script[i] = USCRIPT_COMMON;
}
