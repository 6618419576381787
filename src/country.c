/*
 * country.c - look-ups in the generated ISO 3166-1 table.
 */
#include <stdlib.h>
#include <string.h>

#include "rnpack/country.h"
#include "country_int.h"

static int
cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct country *)elem)->code);
}

static const struct country *
find(const char *code)
{
	if (code == NULL || strlen(code) != 2)
		return NULL;
	return bsearch(code, country_table, country_count,
	    sizeof(*country_table), cmp);
}

const char *
country_name(const char *code)
{
	const struct country *c = find(code);

	return c ? c->name : NULL;
}

const char *
country_official_name(const char *code)
{
	const struct country *c = find(code);

	return c ? c->official : NULL;
}

bool
country_is_known(const char *code)
{
	return find(code) != NULL;
}
