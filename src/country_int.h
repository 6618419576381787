/* country_int.h - the generated country table (see country.c). */
#ifndef RNPACK_COUNTRY_INT_H
#define RNPACK_COUNTRY_INT_H

struct country {
	const char	*code;		/* ISO 3166-1 alpha-2 */
	const char	*name;		/* common short name */
	const char	*official;	/* official name */
};

extern const struct country	country_table[];	/* sorted by code */
extern const unsigned		country_count;

#endif
