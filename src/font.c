/*
 * font.c - TrueType faces read through FreeType (see font.h).
 *
 * FreeType parses the file; this file copies what the layout and the
 * PDF backend need into plain arrays and lets go of FreeType before
 * font_load() returns: a BMP cmap, advance widths truncated the way
 * libharu 2.3.0 truncates them (the PDF's /W carries the same values),
 * hhea metrics and the font descriptor values.  Composite glyphs are
 * the subsetter's business (pdffont.c).
 *
 * Thread safety: a struct font is written only inside font_load(), by
 * the thread that calls it, and never again; no FT_Face or FT_Library
 * outlives the call (each call has a library of its own, so even
 * concurrent loads share nothing).  Every other function only reads
 * the arrays, so threads started after font_load() returns (which
 * publishes the memory to them) may use one font at once without locks.
 *
 * The only file that includes FreeType.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H
#include FT_FONT_FORMATS_H
#include FT_TRUETYPE_TABLES_H
#include FT_TRUETYPE_TAGS_H

#include "rnpack/font.h"
#include "rnpack/xalloc.h"

#define FONT_BMP		0x10000		/* code points in the cmap table */
/* OS/2 fsType bits for which libharu refuses to embed a font. */
#define FSTYPE_NO_EMBEDDING	(FT_FSTYPE_RESTRICTED_LICENSE_EMBEDDING | \
				 FT_FSTYPE_NO_SUBSETTING | \
				 FT_FSTYPE_BITMAP_EMBEDDING_ONLY)

struct font {
	char		*path;
	unsigned	 num_glyphs;
	int		 ascent;	/* 1/1000 em */
	int		 descent;	/* 1/1000 em */
	struct font_info info;
	uint16_t	*gid;		/* [FONT_BMP]: code point -> glyph */
	int16_t		*width;		/* [num_glyphs]: advance, 1/1000 em */
};

static void
set_err(char **err, char *msg)
{
	if (err != NULL)
		*err = msg;
	else
		free(msg);
}

/*
 * FreeType's error texts, through the list fterrors.h documents for
 * this: Debian's build leaves FT_Error_String() returning NULL.
 */
static const char *
ft_message(FT_Error e, char *buf, size_t len)
{
#undef FTERRORS_H_
#define FT_ERROR_START_LIST	switch (FT_ERROR_BASE(e)) {
#define FT_ERRORDEF(name, value, text)	case (value): return (text);
#define FT_ERROR_END_LIST	default: break; }
#include FT_ERRORS_H
	snprintf(buf, len, "FreeType error 0x%02x", (unsigned)e);
	return buf;
}

static bool
has_table(FT_Face face, FT_ULong tag)
{
	FT_ULong len = 0;

	return FT_Load_Sfnt_Table(face, tag, 0, NULL, &len) == 0 && len > 0;
}

/*
 * Refuse what libharu 2.3.0 cannot use: it parses exactly these tables
 * of a single TrueType-outline face and fails (or embeds garbage) on
 * anything else.
 */
static bool
check_face(FT_Face face, const char *path, char **err)
{
	static const struct {
		FT_ULong	 tag;
		const char	*name;
	} need[] = {
		{ TTAG_head, "head" }, { TTAG_hhea, "hhea" },
		{ TTAG_hmtx, "hmtx" }, { TTAG_maxp, "maxp" },
		{ TTAG_cmap, "cmap" }, { TTAG_loca, "loca" },
		{ TTAG_name, "name" }, { TTAG_OS2, "OS/2" },
	};
	unsigned char magic[4];
	FT_ULong len = sizeof(magic);
	FT_UShort fstype;

	if (!FT_IS_SFNT(face)) {
		set_err(err, xasprintf("%s: a %s font, not TrueType; libharu "
		    "embeds only TrueType (glyf) outlines", path,
		    FT_Get_Font_Format(face) ? FT_Get_Font_Format(face) :
		    "non-sfnt"));
		return false;
	}
	if (face->num_faces > 1 ||
	    (FT_Load_Sfnt_Table(face, 0, 0, magic, &len) == 0 &&
	     memcmp(magic, "ttcf", 4) == 0)) {
		set_err(err, xasprintf("%s: a font collection (%ld faces); "
		    "libharu needs a single-face .ttf file", path,
		    (long)face->num_faces));
		return false;
	}
	if (!has_table(face, TTAG_glyf)) {
		if (has_table(face, TTAG_CFF) || has_table(face, TTAG_CFF2))
			set_err(err, xasprintf("%s: an OpenType font with CFF "
			    "(PostScript) outlines; libharu embeds only "
			    "TrueType (glyf) outlines", path));
		else
			set_err(err, xasprintf("%s: no 'glyf' table; libharu "
			    "embeds only TrueType (glyf) outlines", path));
		return false;
	}
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!has_table(face, need[i].tag)) {
			set_err(err, xasprintf("%s: no '%s' table, which "
			    "libharu needs", path, need[i].name));
			return false;
		}
	if (face->units_per_EM == 0) {
		set_err(err, xasprintf("%s: unitsPerEm is 0", path));
		return false;
	}
	if (face->num_glyphs < 1 || face->num_glyphs > 0xFFFF) {
		set_err(err, xasprintf("%s: %ld glyphs", path,
		    (long)face->num_glyphs));
		return false;
	}
	fstype = FT_Get_FSType_Flags(face);
	if (fstype & FSTYPE_NO_EMBEDDING) {
		set_err(err, xasprintf("%s: the font's licence bits forbid "
		    "embedding it (OS/2 fsType 0x%04x), and libharu refuses",
		    path, (unsigned)fstype));
		return false;
	}
	return true;
}

/*
 * libharu reads only the first Windows Unicode BMP subtable (platform
 * 3, encoding 1, format 4), so that is the one we read too, even when
 * FreeType would prefer a format 12 table.
 */
static bool
load_cmap(struct font *f, FT_Face face, const char *path, char **err)
{
	FT_CharMap cm = NULL;
	FT_ULong cp;
	FT_UInt gid;

	for (FT_Int i = 0; i < face->num_charmaps; i++) {
		FT_CharMap c = face->charmaps[i];

		if (c->platform_id == 3 && c->encoding_id == 1 &&
		    FT_Get_CMap_Format(c) == 4) {
			cm = c;
			break;
		}
	}
	if (cm == NULL || FT_Set_Charmap(face, cm) != 0) {
		set_err(err, xasprintf("%s: no Windows Unicode BMP cmap "
		    "(platform 3, encoding 1, format 4), which libharu needs",
		    path));
		return false;
	}
	f->gid = xcalloc(FONT_BMP, sizeof(*f->gid));
	for (cp = FT_Get_First_Char(face, &gid); gid != 0;
	    cp = FT_Get_Next_Char(face, cp, &gid))
		if (cp < FONT_BMP && gid < f->num_glyphs)
			f->gid[cp] = (uint16_t)gid;
	return true;
}

/*
 * Widths exactly as libharu 2.3.0 computes them (hpdf_fontdef_tt.c,
 * HPDF_TTFontDef_GetGidWidth): the hmtx advance (the last long metric
 * for glyphs past numberOfHMetrics) times 1000, divided by unitsPerEm
 * in unsigned integer arithmetic, so truncated rather than rounded.
 * libharu then stores it in 16 bits; a font where that overflows would
 * be mismeasured, so it is refused.
 */
static bool
load_widths(struct font *f, FT_Face face, const char *path, char **err)
{
	FT_Fixed *adv = xcalloc(f->num_glyphs, sizeof(*adv));
	FT_Error e;
	char eb[64];

	e = FT_Get_Advances(face, 0, f->num_glyphs, FT_LOAD_NO_SCALE, adv);
	if (e != 0) {
		set_err(err, xasprintf("%s: cannot read advance widths: %s",
		    path, ft_message(e, eb, sizeof(eb))));
		free(adv);
		return false;
	}
	f->width = xcalloc(f->num_glyphs, sizeof(*f->width));
	for (unsigned g = 0; g < f->num_glyphs; g++) {
		unsigned long w = (unsigned long)adv[g] * 1000 /
		    face->units_per_EM;

		if (adv[g] < 0 || w > INT16_MAX) {
			set_err(err, xasprintf("%s: glyph %u is %ld units wide "
			    "at %u units per em, more than libharu can "
			    "measure", path, g, (long)adv[g],
			    (unsigned)face->units_per_EM));
			free(adv);
			return false;
		}
		f->width[g] = (int16_t)w;
	}
	free(adv);
	return true;
}

/* hhea ascender/descender, scaled as libharu's ParseHhea does. */
static bool
load_metrics(struct font *f, FT_Face face, const char *path, char **err)
{
	const TT_HoriHeader *hhea = FT_Get_Sfnt_Table(face, FT_SFNT_HHEA);

	if (hhea == NULL) {
		set_err(err, xasprintf("%s: cannot read the 'hhea' table",
		    path));
		return false;
	}
	f->ascent = (int)((int32_t)hhea->Ascender * 1000 /
	    (int32_t)face->units_per_EM);
	f->descent = (int)((int32_t)hhea->Descender * 1000 /
	    (int32_t)face->units_per_EM);
	return true;
}

static int
em1000(long v, FT_UShort upem)
{
	return (int)(v * 1000 / (long)upem);
}

/*
 * The font descriptor values.  StemV is not in the font: the estimate
 * from the weight class (50 + (weight / 65)^2) is the one many PDF
 * writers use; viewers only use it to fake a missing font.
 */
static void
load_info(struct font *f, FT_Face face)
{
	const TT_OS2 *os2 = FT_Get_Sfnt_Table(face, FT_SFNT_OS2);
	const TT_Postscript *post = FT_Get_Sfnt_Table(face, FT_SFNT_POST);
	const char *ps = FT_Get_Postscript_Name(face);
	struct font_info *in = &f->info;
	unsigned weight = os2 != NULL ? os2->usWeightClass : 400;
	size_t k = 0;

	/* A PDF name may hold anything but these; keep it plain. */
	for (; ps != NULL && *ps != '\0' && k + 1 < sizeof(in->ps_name); ps++)
		if ((*ps >= 'A' && *ps <= 'Z') || (*ps >= 'a' && *ps <= 'z') ||
		    (*ps >= '0' && *ps <= '9') || *ps == '-' || *ps == '_')
			in->ps_name[k++] = *ps;
	if (k == 0)
		strcpy(in->ps_name, "Font");
	in->bbox[0] = em1000(face->bbox.xMin, face->units_per_EM);
	in->bbox[1] = em1000(face->bbox.yMin, face->units_per_EM);
	in->bbox[2] = em1000(face->bbox.xMax, face->units_per_EM);
	in->bbox[3] = em1000(face->bbox.yMax, face->units_per_EM);
	in->cap_height = os2 != NULL && os2->version >= 2 &&
	    os2->sCapHeight > 0 ? em1000(os2->sCapHeight,
	    face->units_per_EM) : f->ascent;
	in->italic_angle = post != NULL ? (int)(post->italicAngle / 65536) :
	    0;
	in->stem_v = 50 + (int)((weight / 65.0) * (weight / 65.0));
	in->fixed_pitch = post != NULL && post->isFixedPitch != 0;
	in->italic = (face->style_flags & FT_STYLE_FLAG_ITALIC) != 0 ||
	    in->italic_angle != 0;
}

struct font *
font_load(const char *path, char **err)
{
	FT_Library lib = NULL;
	FT_Face face = NULL;
	struct font *f = NULL;
	struct stat st;
	FT_Error e;
	char eb[64];
	bool ok;

	if (stat(path, &st) != 0) {
		set_err(err, xasprintf("%s: cannot open the font: %s", path,
		    strerror(errno)));
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		set_err(err, xasprintf("%s: cannot open the font: not a "
		    "regular file", path));
		return NULL;
	}
	if ((e = FT_Init_FreeType(&lib)) != 0) {
		set_err(err, xasprintf("%s: cannot start FreeType: %s", path,
		    ft_message(e, eb, sizeof(eb))));
		return NULL;
	}
	if ((e = FT_New_Face(lib, path, 0, &face)) != 0) {
		set_err(err, xasprintf("%s: not a font file FreeType can "
		    "read: %s", path, ft_message(e, eb, sizeof(eb))));
		FT_Done_FreeType(lib);
		return NULL;
	}
	ok = check_face(face, path, err);
	if (ok) {
		f = xcalloc(1, sizeof(*f));
		f->path = xstrdup(path);
		f->num_glyphs = (unsigned)face->num_glyphs;
		ok = load_cmap(f, face, path, err) &&
		    load_widths(f, face, path, err) &&
		    load_metrics(f, face, path, err);
		if (ok)
			load_info(f, face);
	}
	FT_Done_Face(face);
	FT_Done_FreeType(lib);
	if (!ok) {
		font_free(f);
		return NULL;
	}
	return f;
}

void
font_free(struct font *f)
{
	if (f == NULL)
		return;
	free(f->width);
	free(f->gid);
	free(f->path);
	free(f);
}

const char *
font_path(const struct font *f)
{
	return f->path;
}

unsigned
font_num_glyphs(const struct font *f)
{
	return f->num_glyphs;
}

unsigned
font_glyph(const struct font *f, uint32_t cp)
{
	return cp < FONT_BMP ? f->gid[cp] : 0;
}

bool
font_has(const struct font *f, uint32_t cp)
{
	return font_glyph(f, cp) != 0;
}

int
font_advance(const struct font *f, uint32_t cp)
{
	if (cp >= FONT_BMP)
		cp = 0x20;
	return f->width[f->gid[cp]];
}

/*
 * Decode one character at s (not at its NUL) the way libharu 2.3.0's
 * UTF-8 encoder does (hpdf_encoder_utf.c), so that text is measured as
 * it will be drawn even when it is not valid UTF-8: the lead byte alone
 * fixes the length and the bytes after it are taken as they come, a
 * stray continuation byte or F8..FF is skipped, a sequence cut off by
 * the end of the string is dropped, and anything above U+FFFF (which
 * includes every well-formed 4-byte sequence: libharu does not mask its
 * second byte) becomes a space.  Returns the bytes used; *cp is
 * NO_CHAR when they make no character.
 */
#define NO_CHAR	UINT32_MAX

static size_t
haru_next(const unsigned char *s, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t v;

	*cp = NO_CHAR;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xE0) == 0xC0)
		n = 2;
	else if ((c & 0xF0) == 0xE0)
		n = 3;
	else if ((c & 0xF8) == 0xF0)
		n = 4;
	else
		return 1;
	for (size_t i = 1; i < n; i++)
		if (s[i] == '\0')
			return i;
	switch (n) {
	case 2:
		v = ((uint32_t)(c & 0x1F) << 6) + (s[1] & 0x3F);
		break;
	case 3:
		v = ((uint32_t)(c & 0x0F) << 12) +
		    ((uint32_t)(s[1] & 0x3F) << 6) + (s[2] & 0x3F);
		break;
	default:
		v = ((uint32_t)(c & 0x07) << 18) + ((uint32_t)s[1] << 12) +
		    ((uint32_t)(s[2] & 0x3F) << 6) + (s[3] & 0x3F);
		break;
	}
	*cp = v > 0xFFFF ? 0x20 : v;
	return n;
}

double
font_text_width(const struct font *f, const char *utf8, double size_pt)
{
	const unsigned char *s = (const unsigned char *)utf8;
	long units = 0;		/* 1/1000 em, summed as libharu does */

	while (*s != '\0') {
		uint32_t cp;

		s += haru_next(s, &cp);
		if (cp != NO_CHAR)
			units += font_advance(f, cp);
	}
	return (double)units * size_pt / 1000.0;
}

const struct font_info *
font_info(const struct font *f)
{
	return &f->info;
}

int
font_ascent(const struct font *f)
{
	return f->ascent;
}

int
font_descent(const struct font *f)
{
	return f->descent;
}
