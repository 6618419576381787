/*
 * shape.h - one line of text as glyphs: faces chosen per script run
 * (fontsel.h), the runs put in the order of the Unicode Bidirectional
 * Algorithm (ICU ubidi), each shaped by HarfBuzz.
 *
 * HarfBuzz shapes with the buffer's script guessed from the run, its
 * direction from the bidi level and the reader's language where the
 * run's script is that language's script (Urdu for an Arabic run read by
 * "ur"), else "und"; runs of Han, kana and Hangul take the CJK face's
 * language ("zh-Hans", "zh-Hant", "ja", "ko").  Clusters are HarfBuzz's
 * monotone graphemes (level 0): a letter and its marks are one cluster.
 */
#ifndef RNPACK_SHAPE_H
#define RNPACK_SHAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rnpack/fontsel.h"

struct shape_glyph {
	uint32_t	 gid;		/* in the run's face */
	int32_t		 ax, dx, dy;	/* advance and offset, font units */
	uint32_t	 start, end;	/* its cluster: text bytes [start, end) */
	bool		 one;		/* the cluster is this glyph alone for
					 * one character */
};

struct shape_run {
	int		 face;		/* fontsel slot */
	const struct fontsel_face *f;
	bool		 rtl;
	size_t		 first, n;	/* its glyphs, in visual order */
	uint32_t	 start, end;	/* its text bytes */
};

/* A shaped line: runs in visual order (left to right). */
struct shape_line {
	struct shape_glyph	*g;
	size_t			 ng, gcap;
	struct shape_run	*r;
	size_t			 nr, rcap;
	bool			 missing;	/* a character no face has */
};

/*
 * The reader's language as a small key, from its BCP 47 tag (NULL: none):
 * key % FONTSEL_NCJK is its CJK face (enum fontsel_cjk), key /
 * FONTSEL_NCJK names one of SHAPE_NLANG - 1 languages of a script other
 * than Latin and Han, or 0 for any other.  Keys are below
 * SHAPE_NKEYS.
 */
#define SHAPE_NLANG	47
#define SHAPE_NKEYS	(SHAPE_NLANG * FONTSEL_NCJK)
unsigned shape_lang_of(const char *bcp47);

/* A paragraph's base direction; AUTO: its first strong character's. */
enum shape_dir { SHAPE_AUTO, SHAPE_LTR, SHAPE_RTL };

/*
 * Shape the len bytes of text (UTF-8; invalid bytes are U+FFFD) set in
 * style (DRUN_BOLD | DRUN_ITALIC) for a reader of language key lang
 * (shape_lang_of(); an enum fontsel_cjk is the key of a language without
 * one), as a line of a paragraph of direction base (shape_text: AUTO).
 * The result is freed with shape_free(), also after a failure.
 */
void	shape_text(struct fontsel *, const char *text, size_t len,
	    unsigned style, unsigned lang, struct shape_line *out);
void	shape_text_dir(struct fontsel *, const char *text, size_t len,
	    unsigned style, unsigned lang, enum shape_dir base,
	    struct shape_line *out);
void	shape_free(struct shape_line *);

/*
 * The faces shape_text() would set the text in, without shaping it:
 * appends one fontsel slot per piece to *ids (grown as needed; *n
 * entries used of *cap) and returns how many it appended.  Bidi orders
 * pieces but never changes them, so the set is that of every direction.
 */
size_t	shape_faces(struct fontsel *, const char *text, size_t len,
	    unsigned style, unsigned lang, int **ids, size_t *n, size_t *cap);

/* The width of the line at size points. */
double	shape_width(const struct shape_line *, double size);

#endif
