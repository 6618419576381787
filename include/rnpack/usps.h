/*
 * usps.h - addresses as the U.S. Postal Service wants them printed
 * (Publication 28): upper case, no punctuation but the ZIP+4 hyphen,
 * city, state and ZIP on the last line.  An address abroad follows its
 * country's format (addrfmt.h), cleaned the same way, and ends with the
 * country name alone in upper case.
 */
#ifndef RNPACK_USPS_H
#define RNPACK_USPS_H

#include <stdbool.h>
#include <stddef.h>

struct address;

#define USPS_MAX_LINES	8

struct usps_block {
	char	*lines[USPS_MAX_LINES];
	size_t	 n;
	char	 zip[16];	/* "77002-1234", "" abroad */
	bool	 foreign;
	/* A name or line was in another script and is printed as its
	 * transliteration (latin.h). */
	bool	 transliterated;
};

/*
 * The recipient block: name, an optional "C/O" line, then the address
 * (abroad: name and C/O line where the country's format puts %N), all in
 * Latin script: a name or line in another script is transliterated
 * (latin_transliterate) and u->transliterated set; give the name of a
 * person who has a Latin-script alias as that alias.
 * Returns false when it has more than USPS_MAX_LINES lines.
 */
bool	usps_block(struct usps_block *, const char *name, const char *care_of,
	    const struct address *);
void	usps_block_free(struct usps_block *);
/* One line in USPS style (upper case, punctuation removed); caller frees. */
char	*usps_line(const char *);

#endif
