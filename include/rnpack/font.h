/*
 * font.h - a read-only description of one TrueType face: coverage,
 * advance widths as the PDF's /W holds them, metrics and font
 * descriptor values.
 *
 * A face is loaded once per run (FreeType reads it) and then shared by
 * every worker thread: nothing in it changes after font_load() returns,
 * and no FreeType object is kept, so any number of threads may call the
 * getters at once without locking.  Only font_free() must wait until
 * every reader is done.
 *
 * Units: glyph-space units are 1/1000 em, as in PDF width arrays;
 * widths of text are in points.  This is the code-point path for the
 * DejaVu faces (BMP only); text that needs shaping, right-to-left
 * order or characters above U+FFFF goes through shape.h instead.
 *
 * For use by the layout code and the PDF backend; this header does not
 * expose FreeType or libharu.
 */
#ifndef RNPACK_FONT_H
#define RNPACK_FONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct font;

/*
 * Load the TrueType (glyf outline) face in the file at path.  Faces
 * libharu 2.3.0 cannot embed or measure are refused: CFF/OpenType-CFF,
 * Type 1 and other non-sfnt fonts, font collections, fonts without a
 * Windows Unicode BMP cmap (platform 3, encoding 1, format 4), fonts
 * whose licence bits forbid embedding, and fonts missing a table
 * libharu reads.  Returns NULL and sets *err (the caller frees it) on
 * failure.  The result is freed with font_free().
 */
struct font	*font_load(const char *path, char **err);
/* Free the face; font_free(NULL) does nothing. */
void		 font_free(struct font *);
/* The path given to font_load(); valid until font_free(). */
const char	*font_path(const struct font *);
unsigned	 font_num_glyphs(const struct font *);
/*
 * Glyph index of a BMP code point, 0 when the font has none (code
 * points above U+FFFF: always 0).
 */
unsigned	 font_glyph(const struct font *, uint32_t cp);
/* Whether the font has a glyph for cp (font_glyph() != 0). */
bool		 font_has(const struct font *, uint32_t cp);
/*
 * Advance width of cp in glyph-space units (1/1000 em), the value
 * libharu 2.3.0 puts in /W and uses in HPDF_Font_TextWidth():
 * advance * 1000 / unitsPerEm, truncated.  A character the font lacks
 * measures as glyph 0 (.notdef); a code point above U+FFFF measures as
 * U+0020, because libharu draws a space there.
 */
int		 font_advance(const struct font *, uint32_t cp);
/*
 * Width in points of a UTF-8 string set at size_pt: the sum of
 * font_advance() over its characters, times size_pt / 1000.  No
 * kerning (libharu applies none).  Invalid UTF-8 is decoded exactly as
 * libharu 2.3.0 decodes it (stray bytes skipped, continuation bytes not
 * checked), so the width still equals what libharu draws; callers
 * should validate text before it gets here all the same.
 */
double		 font_text_width(const struct font *, const char *utf8,
		    double size_pt);
/*
 * What a PDF font descriptor says about a face (ISO 32000-1, 9.8), in
 * 1/1000 em: read once by font_load().
 */
struct font_info {
	char	ps_name[64];	/* PostScript name, PDF-name safe */
	int	bbox[4];	/* head xMin yMin xMax yMax */
	int	cap_height;	/* OS/2 sCapHeight, or the ascent */
	int	italic_angle;	/* post italicAngle, degrees */
	int	stem_v;		/* estimated from the OS/2 weight class */
	bool	fixed_pitch;
	bool	italic;
};

const struct font_info *font_info(const struct font *);

/* hhea ascender in 1/1000 em (positive), as libharu reports it. */
int		 font_ascent(const struct font *);
/* hhea descender in 1/1000 em (negative), as libharu reports it. */
int		 font_descent(const struct font *);

#endif
