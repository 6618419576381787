/*
 * country.h - ISO 3166-1 alpha-2 codes and names, from Debian's
 * iso-codes (generated at build time), plus XK for Kosovo.
 */
#ifndef RNPACK_COUNTRY_H
#define RNPACK_COUNTRY_H

#include <stdbool.h>

/* Common English name ("Venezuela"), or NULL for an unknown code. */
const char	*country_name(const char *code);
/* Official English name, or NULL for an unknown code. */
const char	*country_official_name(const char *code);
bool		 country_is_known(const char *code);

#endif
