/*
 * latin.h - text for a mail piece's address block, which stays in Latin
 * script (USPS, IMM 122.1): whether a name or line is Latin already, the
 * subject's Latin-script alias, and ICU's "Any-Latin; Latin-ASCII"
 * transliteration in capitals for a line that has neither.
 */
#ifndef RNPACK_LATIN_H
#define RNPACK_LATIN_H

#include <stdbool.h>
#include <stddef.h>

/* Whether every letter of s is in Latin script (digits, punctuation,
 * spaces and combining marks belong to no script of their own). */
bool	 latin_is_latin(const char *s);
/* The first of the n aliases that is Latin script and not blank, or
 * NULL. */
const char *latin_alias(const char *const *aliases, size_t n);
/*
 * ICU's "Any-Latin; Latin-ASCII" transliteration of s, in capitals
 * ("محمد" -> "MHMD", "王伟" -> "WANG WEI"); s itself (copied) when it is
 * Latin already.  Characters ICU has no rule for stay as they are
 * (Sinhala, Khmer and Tibetan in ICU 72, for instance).  NULL only when
 * ICU cannot open the transliterator.  Caller frees.
 */
char	*latin_transliterate(const char *s);
/* Whether s has a character outside ASCII (what a transliteration left
 * untouched, say). */
bool	 latin_has_non_ascii(const char *s);

#endif
