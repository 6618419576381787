/*
 * xmp.h - the XMP metadata packet of a PDF/A-1b file: the same title,
 * author, subject, keywords, creator tool, producer and dates as the
 * document information dictionary (PDF/A-1 requires them to agree), the
 * PDF/A identification (part 1, conformance B) and the PDF/UA identifier
 * (part 1), whose schema PDF/A-1 does not know and so is declared in a
 * pdfaExtension:schemas block.
 */
#ifndef RNPACK_XMP_H
#define RNPACK_XMP_H

#include <stdint.h>

struct buf;

struct xmp_meta {
	const char	*title;		/* UTF-8; NULL: none */
	const char	*author;
	const char	*subject;
	const char	*keywords;	/* NULL or "": none */
	const char	*creator_tool;
	const char	*producer;
	int32_t		 date;		/* days (date.h), creation and
					 * modification, midnight UTC */
};

/*
 * Append the packet (UTF-8, no byte order mark, read-only trailer) to
 * out.  Text is XML-escaped; bytes XML 1.0 forbids (controls) are
 * dropped.  The output depends only on m.
 */
void	xmp_write(struct buf *out, const struct xmp_meta *m);

/* The date as XMP writes it, "2024-03-14T00:00:00+00:00", into s[32]. */
void	xmp_date(char s[32], int32_t day);

#endif
