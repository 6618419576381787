/*
 * namelang.h - whether a name is written in its bearer's language: the
 * subject's name gets the /Lang of their preferred language in a tagged
 * PDF when its script is that language's script (a screen reader then
 * reads "José Luis Ramírez" with Spanish rules and "محمد" as Arabic).
 */
#ifndef RNPACK_NAMELANG_H
#define RNPACK_NAMELANG_H

#include <stdbool.h>

/*
 * True when lang (BCP 47, as the case gives it) is set and name has a
 * letter, and each of its letters is in a script ICU gives for lang
 * ("es": Latin; "ja": Han, Hiragana, Katakana); digits, punctuation,
 * spaces and marks belong to no script and are passed over.
 */
bool	namelang_match(const char *name, const char *lang);

#endif
