/* addrfmt_int.h - the generated table of address formats (see addrfmt.c). */
#ifndef RNPACK_ADDRFMT_INT_H
#define RNPACK_ADDRFMT_INT_H

struct addrfmt_row {
	const char	*code;		/* ISO 3166-1 alpha-2 */
	const char	*fmt;		/* lfmt when the data has one, else fmt */
};

extern const struct addrfmt_row	addrfmt_table[];	/* sorted by code */
extern const unsigned		addrfmt_count;

#endif
