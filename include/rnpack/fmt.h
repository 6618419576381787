/*
 * fmt.h - the formatters a template can apply to a value: long dates in
 * the document's language, names as "FAMILY, Given", country names.
 */
#ifndef RNPACK_FMT_H
#define RNPACK_FMT_H

#include <stdint.h>

#include "rnpack/buf.h"

/* "April 15, 2024" (en) or "15 de abril de 2024" (es); other: en. */
void	fmt_date_long(struct buf *, int32_t day, const char *lang);
/* Unicode upper case (full mapping: ß -> SS). */
char	*fmt_upper(const char *);
/* "RAMÍREZ NÚÑEZ, José Luis". */
char	*fmt_name(const char *family, const char *given);
/* Country name for an ISO code, the code itself when unknown. */
const char *fmt_country(const char *code);
/* The same in a document language: English as above, any other from
 * CLDR through ICU ("Alemania" in es); caller frees. */
char	*fmt_country_in(const char *code, const char *lang);
/* Name of a BCP 47 language in the display language: "Spanish",
 * "español"; the tag itself when ICU does not know it. */
char	*fmt_language(const char *tag, const char *display);
/* "Yes"/"No" in the language. */
const char *fmt_yesno(int yes, const char *lang);

#endif
