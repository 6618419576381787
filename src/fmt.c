/*
 * fmt.c - value formatters for templates (see fmt.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uloc.h>
#include <unicode/ustring.h>

#include "rnpack/buf.h"
#include "rnpack/country.h"
#include "rnpack/date.h"
#include "rnpack/fmt.h"
#include "rnpack/xalloc.h"

static const char *const months_en[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

static const char *const months_es[12] = {
	"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
	"agosto", "septiembre", "octubre", "noviembre", "diciembre"
};

static int
is_lang(const char *lang, const char *want)
{
	return lang != NULL && strncmp(lang, want, 2) == 0 &&
	    (lang[2] == '\0' || lang[2] == '-');
}

void
fmt_date_long(struct buf *b, int32_t day, const char *lang)
{
	int y, m, d;

	if (day == DATE_NONE)
		return;
	date_to_ymd(day, &y, &m, &d);
	if (is_lang(lang, "es"))
		buf_addf(b, "%d de %s de %d", d, months_es[m - 1], y);
	else
		buf_addf(b, "%s %d, %d", months_en[m - 1], d, y);
}

char *
fmt_upper(const char *s)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t n = 0, need;
	UChar *u, *up;
	char *out;

	u_strFromUTF8(NULL, 0, &n, s, -1, &err);
	err = U_ZERO_ERROR;
	u = xcalloc((size_t)n + 1, sizeof(UChar));
	u_strFromUTF8(u, n + 1, NULL, s, -1, &err);
	err = U_ZERO_ERROR;
	need = u_strToUpper(NULL, 0, u, n, "", &err);
	err = U_ZERO_ERROR;
	up = xcalloc((size_t)need + 1, sizeof(UChar));
	u_strToUpper(up, need + 1, u, n, "", &err);
	err = U_ZERO_ERROR;
	u_strToUTF8(NULL, 0, &n, up, need, &err);
	err = U_ZERO_ERROR;
	out = xcalloc((size_t)n + 1, 1);
	u_strToUTF8(out, n + 1, NULL, up, need, &err);
	free(u);
	free(up);
	if (U_FAILURE(err)) {
		free(out);
		return xstrdup(s);
	}
	return out;
}

char *
fmt_name(const char *family, const char *given)
{
	char *up = fmt_upper(family ? family : "");
	char *r;

	r = given && *given ? xasprintf("%s, %s", up, given) : xstrdup(up);
	free(up);
	return r;
}

const char *
fmt_country(const char *code)
{
	const char *n = country_name(code);

	return n ? n : code;
}

/* n UTF-16 units of an ICU result as UTF-8 (caller frees); *err says
 * whether the conversion failed. */
static char *
utf8_of(const UChar *s, int32_t n, UErrorCode *err)
{
	int32_t m = 0;
	char *out;

	*err = U_ZERO_ERROR;
	u_strToUTF8(NULL, 0, &m, s, n, err);
	*err = U_ZERO_ERROR;
	out = xcalloc((size_t)m + 1, 1);
	u_strToUTF8(out, m + 1, NULL, s, n, err);
	return out;
}

char *
fmt_country_in(const char *code, const char *lang)
{
	UErrorCode err = U_ZERO_ERROR;
	char locale[16], *out;
	UChar name[128];
	int32_t n;

	/* English keeps the iso-codes names the documents always had. */
	if (code == NULL || lang == NULL || is_lang(lang, "en") ||
	    strlen(code) != 2)
		return xstrdup(fmt_country(code ? code : ""));
	/* CLDR's name through ICU: "und_DE" in "es" is "Alemania". */
	snprintf(locale, sizeof(locale), "und_%s", code);
	n = uloc_getDisplayCountry(locale, lang, name, 128, &err);
	if (U_FAILURE(err) || n <= 0 || err == U_USING_DEFAULT_WARNING)
		return xstrdup(fmt_country(code));
	out = utf8_of(name, n, &err);
	/* An unknown region comes back as its code: keep the table's. */
	if (U_FAILURE(err) || strcmp(out, code) == 0) {
		free(out);
		return xstrdup(fmt_country(code));
	}
	return out;
}

const char *
fmt_yesno(int yes, const char *lang)
{
	if (is_lang(lang, "es"))
		return yes ? "Sí" : "No";
	return yes ? "Yes" : "No";
}

char *
fmt_language(const char *tag, const char *display)
{
	UErrorCode err = U_ZERO_ERROR;
	char locale[64], *out;
	UChar name[128];
	int32_t n;

	if (tag == NULL || *tag == '\0')
		return xstrdup("");
	/* BCP 47 to an ICU locale id: "pt-BR" -> "pt_BR". */
	uloc_forLanguageTag(tag, locale, sizeof(locale), NULL, &err);
	if (U_FAILURE(err))
		return xstrdup(tag);
	n = uloc_getDisplayName(locale, display ? display : "en", name, 128,
	    &err);
	if (U_FAILURE(err) || n <= 0 || err == U_USING_DEFAULT_WARNING)
		return xstrdup(tag);
	out = utf8_of(name, n, &err);
	/* Unknown codes come back as themselves: keep the tag then. */
	if (U_FAILURE(err) || strcmp(out, locale) == 0) {
		free(out);
		return xstrdup(tag);
	}
	return out;
}
