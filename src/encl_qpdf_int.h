/*
 * encl_qpdf_int.h - the C face of encl_qpdf.cc, the one C++ file: qpdf's
 * C API cannot bound the bytes a stream decodes to (a decompression bomb
 * would be read whole) nor flatten annotation appearances, so the PDF
 * work is done through its C++ API behind these few functions.  Nothing
 * throws across them.  Used by enclosure.c only.
 */
#ifndef RNPACK_ENCL_QPDF_INT_H
#define RNPACK_ENCL_QPDF_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#include "rnpack/buf.h"

/* Bounds on a foreign PDF, checked before any page is drawn. */
#define EQ_MAX_STREAM_BYTES	(64u << 20)	/* decoded, one stream */
#define EQ_MAX_TOTAL_BYTES	(512u << 20)	/* decoded, the whole file */
#define EQ_MAX_OBJECTS		2000000u	/* objects a check visits */
#define EQ_MAX_IMAGE_PIXELS	100000000u	/* one image XObject */

enum eq_fault {
	EQ_OK,
	EQ_PASSWORD,		/* needs a user password */
	EQ_DAMAGED,		/* qpdf cannot read it */
	EQ_TOO_MANY_PAGES,
	EQ_TOO_BIG		/* decoded content over the bounds */
};

/* A foreign PDF read, sanitized and checked: each page ready as a form
 * XObject.  data must outlive it (it is read lazily). */
struct eq_doc;

enum eq_fault	 eq_open(const void *data, size_t len, unsigned max_pages,
		    struct eq_doc **out, unsigned *pages, char **why);
void		 eq_close(struct eq_doc *);

/* What goes into one carrier page: a page of a foreign PDF, or an
 * image of w x h 8-bit RGB pixels drawn w_pt x h_pt. */
struct eq_item {
	const struct eq_doc	*doc;		/* NULL: the image */
	unsigned		 page;
	const unsigned char	*rgb;
	unsigned		 w, h;
	double			 w_pt, h_pt;
	size_t			 target;	/* 0-based carrier page */
	size_t			 sect;		/* the Document's kid it goes
						 * under (0-based) */
	const char		*alt;		/* the figure's /Alt, or NULL */
};

bool		 eq_fill(struct buf *pdf, const struct eq_item *, size_t n,
		    char **err);

#ifdef __cplusplus
}
#endif

#endif
