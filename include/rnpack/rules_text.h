/*
 * rules_text.h - for tests only.  rules_text_find() runs a pattern only
 * at the tokens its first words can take, and reads ASCII text without
 * asking ICU; rules_text_find_slow() is the plain search it must equal:
 * every pattern at every token, every character and word through ICU.
 * The program calls rules_text_find() (rules.h).
 */
#ifndef RNPACK_RULES_TEXT_H
#define RNPACK_RULES_TEXT_H

#include <stdbool.h>

#include "rnpack/rules.h"

bool	rules_text_find_slow(const struct rules_text *, const char *text,
	    struct rules_text_match *m);

#endif
