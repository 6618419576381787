/*
 * namelang.c - a name's script against its bearer's language (see
 * namelang.h).
 */
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "rnpack/namelang.h"

bool
namelang_match(const char *name, const char *lang)
{
	UScriptCode codes[8];
	UErrorCode err = U_ZERO_ERROR;
	int32_t ncodes, len, i = 0;
	bool letter = false;

	if (name == NULL || lang == NULL || lang[0] == '\0')
		return false;
	ncodes = uscript_getCode(lang, codes, 8, &err);
	if (U_FAILURE(err) || ncodes <= 0)
		return false;
	len = (int32_t)strlen(name);
	while (i < len) {
		UScriptCode sc;
		UChar32 c;
		bool ok = false;

		U8_NEXT(name, i, len, c);
		if (c < 0)
			return false;
		if (!u_isalpha(c))
			continue;
		err = U_ZERO_ERROR;
		sc = uscript_getScript(c, &err);
		if (U_FAILURE(err))
			return false;
		if (sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED)
			continue;
		for (int32_t k = 0; k < ncodes && !ok; k++)
			ok = codes[k] == sc;
		if (!ok)
			return false;
		letter = true;
	}
	return letter;
}
