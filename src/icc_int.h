/*
 * icc_int.h - the sRGB ICC profile (icc-profiles-free, ICC v2) of the
 * PDF/A output intent, zlib-compressed at build time by
 * tools/gen-icc.py.  Built in, so a PDF's bytes do not depend on a file
 * read at run time.
 */
#ifndef RNPACK_ICC_INT_H
#define RNPACK_ICC_INT_H

#include <stddef.h>

extern const unsigned char icc_srgb_z[];
extern const size_t icc_srgb_z_len;	/* compressed bytes */
extern const size_t icc_srgb_len;	/* the profile's own size */

#endif
