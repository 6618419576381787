/*
 * pdffont.h - one face cut down for one packet, with everything a PDF
 * composite (Type 0 / CIDFontType2) font needs: the cut TrueType file,
 * character ids, widths, the CID-to-glyph map and the /ToUnicode CMap.
 *
 * The packet's characters get CIDs 1..n in code point order, so a
 * character id never depends on another packet, two characters that
 * share a glyph still extract as themselves, and a string in the page
 * content is two bytes per character.  The cut is made by HarfBuzz's
 * subsetter, which also keeps every component of a composite glyph.
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

struct pdffont {
	char		 name[80];	/* "ABCDEF+DejaVuSans-Bold" */
	uint32_t	*cp;		/* [n] code points, ascending: CID i + 1 */
	uint64_t	 bits[1024];	/* the same as a set of BMP code points */
	uint16_t	 rank[1024];	/* code points below each word of bits */
	int		*width;		/* [n] advance of CID i + 1, 1/1000 em */
	size_t		 n;
	struct buf	 file;		/* the cut TrueType font */
	struct buf	 cid_to_gid;	/* CID 0..n -> glyph, 2 bytes each, BE */
	struct buf	 to_unicode;	/* CMap program: CID -> UTF-16BE */
};

/*
 * Cut face (whose HarfBuzz face is hb_face, an hb_face_t) down to the
 * n code points cp (any order, duplicates allowed, all below U+10000).
 * Returns false with *err (caller frees) when HarfBuzz fails.
 */
bool	 pdffont_cut(struct pdffont *, const struct font *face, void *hb_face,
	    const uint32_t *cp, size_t n, char **err);

/* The CID of code point cp, 0 when the cut does not have it. */
unsigned pdffont_cid(const struct pdffont *, uint32_t cp);

void	 pdffont_free(struct pdffont *);

#endif
