/*
 * pdffont.h - one face cut down for one packet, with everything a PDF
 * composite (Type 0 / CIDFontType2) font needs: the cut TrueType file,
 * the character codes, widths, the code-to-glyph map and /ToUnicode.
 *
 * Codes are CIDs.  When the packet draws at most 255 characters with
 * the face (nearly always), codes are one byte: the space is code 32,
 * so that the word spacing operator Tw applies to it (ISO 32000-1,
 * 9.3.3) and a justified line is one string, and the other characters
 * take codes 1, 2, ... in code point order.  With more characters,
 * codes are two bytes, 1..n in code point order (Identity-H).  A code
 * never depends on another packet, and two characters that share a
 * glyph still extract as themselves.  The cut is made by HarfBuzz's
 * subsetter, which keeps every component of a composite glyph.
 *
 * Pure data: no libharu here (render_pdf.c wraps it into PDF objects),
 * so it can be tested on its own.  The result is owned by the caller
 * and freed with pdffont_free().
 */
#ifndef RNPACK_PDFFONT_H
#define RNPACK_PDFFONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rnpack/buf.h"

struct font;

/* The code of the space in one-byte fonts. */
#define PDFFONT_SPACE	32

struct pdffont {
	char		 name[80];	/* "ABCDEF+DejaVuSans-Bold" */
	uint32_t	*cp;		/* [n] code points, ascending */
	size_t		 n;
	bool		 one_byte;	/* codes are single bytes */
	bool		 has_space;	/* U+0020 is among cp */
	uint32_t	*code_cp;	/* [ncodes] code -> code point, 0: none */
	int		*width;		/* [ncodes] 1/1000 em */
	size_t		 ncodes;	/* codes 0 .. ncodes - 1 */
	uint64_t	 bits[1024];	/* cp as a set of BMP code points */
	uint16_t	 rank[1024];	/* code points below each word of bits */
	uint16_t	 ascii[128];	/* pdffont_code() of U+0000..U+007F */
	struct buf	 file;		/* the cut TrueType font */
	struct buf	 cid_to_gid;	/* code 0.. -> glyph, 2 bytes each, BE */
	struct buf	 to_unicode;	/* CMap program: code -> UTF-16BE */
};

/*
 * Cut face (whose HarfBuzz face is hb_face, an hb_face_t) down to the
 * n code points cp (any order, duplicates allowed, all below U+10000).
 * Returns false with *err (caller frees) when HarfBuzz fails.
 */
bool	 pdffont_cut(struct pdffont *, const struct font *face, void *hb_face,
	    const uint32_t *cp, size_t n, char **err);

/* The code of code point cp, 0 when the cut does not have it. */
unsigned pdffont_code(const struct pdffont *, uint32_t cp);

void	 pdffont_free(struct pdffont *);

/*
 * A face cut down to the glyphs a packet draws, for text shaped by
 * shape.h: shaped glyphs, not characters, become the CIDs, and every
 * code is two bytes (Identity-H).
 *
 * TrueType faces go as CIDFontType2: each distinct (glyph, text) pair
 * gets a CID of its own, 1, 2, ... in glyph then text order, mapped to
 * the cut font's glyph by cid_to_gid, so two characters drawn with one
 * glyph still extract as themselves.  CFF faces (the CJK collection) go
 * as bare CFF (CIDFontType0C): the CID is the one the cut font's charset
 * gives the glyph, and /ToUnicode says what the glyph's first use
 * stands for.  cidset has one bit per CID present, CID 0 included, the
 * most significant bit of the first byte being CID 0; width[] is the
 * face's own advance (hmtx) in 1/1000 em, rounded.
 */
struct fontsel_face;

struct pdfg_use {
	uint32_t	 gid;
	const char	*text;		/* the cluster's characters */
	uint32_t	 len;
};

struct pdfg_key {
	uint32_t	 gid;
	char		*text;
	uint32_t	 len;
	unsigned	 cid;
	size_t		 order;		/* first use, for CFF */
};

struct pdfgfont {
	char		 name[80];
	bool		 cff;
	struct pdfg_key	*key;		/* [nkey], by gid then text */
	size_t		 nkey;
	unsigned	 ncid;		/* CIDs 0 .. ncid - 1 */
	int		*width;		/* [ncid] */
	struct buf	 cidset;
	struct buf	 file;		/* TrueType, or bare CFF */
	struct buf	 cid_to_gid;	/* TrueType: 2 bytes a CID, BE */
	struct buf	 to_unicode;
};

bool	 pdfgfont_cut(struct pdfgfont *, const struct fontsel_face *,
	    const struct pdfg_use *use, size_t n, char **err);
/*
 * The CID drawing gid for text; *exact false when its /ToUnicode says
 * something else (then the caller marks the text up with /ActualText).
 * 0 when the cut lacks gid.
 */
unsigned pdfgfont_cid(const struct pdfgfont *, uint32_t gid,
	    const char *text, size_t len, bool *exact);
/* Whether CID cid is present in the cut (its bit in cidset). */
bool	 pdfgfont_has_cid(const struct pdfgfont *, unsigned cid);
void	 pdfgfont_free(struct pdfgfont *);

#endif
