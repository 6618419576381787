/*
 * blankpage.h - what a blank page of the print file says: pages added
 * so that each piece starts on a front side carry "This page is
 * intentionally left blank" and the case id in small type.
 *
 * The text is drawn with a font the piece before it already embeds (its
 * notice prints the case id and English text, so its regular face has
 * every character): the codes come from that font's /ToUnicode CMap
 * read backwards, so the print file gains no font and every font in it
 * stays embedded.  When no font of the piece has them all, the standard
 * Helvetica draws the text instead (printfile.c).
 */
#ifndef RNPACK_BLANKPAGE_H
#define RNPACK_BLANKPAGE_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

#define BLANKPAGE_TEXT	"This page is intentionally left blank"
#define BLANKPAGE_PT	7.0	/* small type */

/*
 * Append to out, as a PDF hex string ("<0102...>"), the codes that show
 * utf8 in a font whose ToUnicode CMap (ISO 32000-1, 9.10.3) is
 * cmap[0..len): one or two bytes a code, as its codespace range says.
 * Returns false, leaving out as it was, when a character has no code.
 */
bool	blankpage_codes(const char *cmap, size_t len, const char *utf8,
	    struct buf *out);
/* A PDF literal string of ASCII text for the standard Helvetica. */
void	blankpage_literal(const char *ascii, struct buf *out);
/*
 * The page's content stream: the sentence, then the case id below it,
 * each a string operand as above, in font resource /F1 at BLANKPAGE_PT,
 * an inch from the left edge and halfway down a US Letter page.
 */
void	blankpage_stream(const char *sentence, const char *case_id,
	    struct buf *out);

#endif
