/*
 * xmlsafe.c - hardened reading, parsing and validating of untrusted XML
 * with libxml2 2.9.14 (docs/design-choices.md says why each step is here).
 *
 * - The bytes are read by us (regular files only, size cap), so
 *   libxml2's I/O layer never inflates gzip/xz, reads stdin or a URL.
 * - No DOCTYPE is accepted: a SAX hook stops the parser, the external
 *   entity loader denies everything, catalogues are off, and the result
 *   is checked for any subset.  No NOENT, DTDLOAD, DTDATTR, XINCLUDE,
 *   HUGE or RECOVER.
 * - A NUL byte after the root ends libxml2's parse "successfully", so the
 *   number of bytes consumed must equal the file size.
 * - Errors are captured per parse (ctxt->_private) and per validation
 *   and rewritten, from their codes and fields, into sentences a clerk
 *   can act on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/catalog.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include "rnpack/buf.h"
#include "rnpack/case.h"
#include "rnpack/diag.h"
#include "rnpack/digest.h"
#include "rnpack/intake.h"
#include "rnpack/xalloc.h"
#include "xmlsafe_int.h"

/* What one parse or validation collected. */
struct errstate {
	unsigned	 line;
	char		*first;		/* first error, humanised */
	int		 count;
	bool		 doctype;	/* a DOCTYPE was seen */
	/* Schema errors after the first, "line N: why; ...", so that the
	 * report (and --verbose) show every problem; NULL when none. */
	struct buf	 rest;
};

#define MAX_REST	20	/* later schema errors spelt out */

static void
silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void
silent_structured(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

static xmlParserInputPtr
deny_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

void
intake_init(void)
{
	xmlInitParser();
	xmlSetExternalEntityLoader(deny_entity);
	xmlCatalogSetDefaults(XML_CATA_ALLOW_NONE);
	intake_thread_init();
}

void
intake_thread_init(void)
{
	/* libxml2's error globals are per thread. */
	xmlSetGenericErrorFunc(NULL, silent);
	xmlSetStructuredErrorFunc(NULL, silent_structured);
}

void
intake_cleanup(void)
{
	xmlCleanupParser();
}

void
load_error_free(struct load_error *e)
{
	free(e->message);
	free(e->case_id);
	e->message = e->case_id = NULL;
	e->line = 0;
	e->plain = false;
}

void
xmlsafe_fail(struct load_error *e, unsigned line, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	free(e->message);
	e->message = buf_detach(&b);
	e->line = line;
}

unsigned
xmlsafe_line(xmlNodePtr n)
{
	long l = xmlGetLineNo(n);

	return l > 0 ? (unsigned)l : 0;
}

bool
xmlsafe_is_case_id(const char *s)
{
	return case_id_is_valid(s);
}

/* ------------------------------------------------------------------ */
/* Reading the bytes ourselves.                                        */

static char *
read_bytes(const char *path, size_t *len, struct load_error *err)
{
	struct stat st;
	struct buf b = BUF_INIT;
	char chunk[65536];
	int fd;

	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		xmlsafe_fail(err, 0, "cannot open the file: %s",
		    errno == ENOENT ? "no such file" :
		    errno == EACCES ? "permission denied" : strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0) {
		xmlsafe_fail(err, 0, "cannot read the file: %s",
		    strerror(errno));
		close(fd);
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		xmlsafe_fail(err, 0, "this is a folder, not a case file");
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		xmlsafe_fail(err, 0, "this is not a regular file (a device, "
		    "pipe or socket); case files must be ordinary files");
		close(fd);
		return NULL;
	}
	if ((unsigned long long)st.st_size > INTAKE_MAX_BYTES) {
		xmlsafe_fail(err, 0, "the file is %lld bytes, larger than "
		    "the %u MiB limit for a case file", (long long)st.st_size,
		    INTAKE_MAX_BYTES >> 20);
		close(fd);
		return NULL;
	}
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			xmlsafe_fail(err, 0, "cannot read the file: %s",
			    strerror(errno));
			buf_free(&b);
			close(fd);
			return NULL;
		}
		if (n == 0)
			break;
		buf_add(&b, chunk, (size_t)n);
		if (b.len > INTAKE_MAX_BYTES) {
			xmlsafe_fail(err, 0, "the file grew past the %u MiB "
			    "limit while being read", INTAKE_MAX_BYTES >> 20);
			buf_free(&b);
			close(fd);
			return NULL;
		}
	}
	close(fd);
	if (b.len == 0) {
		xmlsafe_fail(err, 0, "the file is empty");
		buf_free(&b);
		return NULL;
	}
	*len = b.len;
	return buf_detach(&b);
}

/* ------------------------------------------------------------------ */
/* Turning libxml2's messages into sentences.                          */

static const struct {
	const char *field;
	const char *what;
} descriptions[] = {
	{ "id", "case id (1 to 64 of A-Z a-z 0-9 . _ -, starting with a "
	    "letter or digit)" },
	{ "dateOfBirth", "date (YYYY-MM-DD, a real calendar day, years "
	    "1900 to 2199)" },
	{ "citizenship", "country code (two capital letters of ISO 3166-1, "
	    "such as VE)" },
	{ "issuingCountry", "country code (two capital letters of ISO "
	    "3166-1, such as VE)" },
	{ "against", "country code (two capital letters of ISO 3166-1, "
	    "such as CU)" },
	{ "country", "country code (two capital letters of ISO 3166-1)" },
	{ "aNumber", "A-number (A followed by 8 or 9 digits)" },
	{ "state", "U.S. state code (two capital letters, such as TX)" },
	{ "postalCode", "ZIP code (12345 or 12345-6789)" },
	{ "preferredLanguage", "language tag (such as es, fr or pt-BR)" },
	{ "language", "language tag (such as es, fr or pt-BR)" },
	{ "maxPenaltyMonths", "number of months (0 to 1200)" },
	{ "remainingSentenceMonths", "number of months (0 to 1200)" },
	{ "pages", "page count (1 to 9999)" },
	{ "enforcement", "yes/no value (true or false)" },
	{ "proceedings", "yes/no value (true or false)" },
	{ "found", "yes/no value (true or false)" },
	{ "detained", "yes/no value (true or false)" },
	{ "nextHearing", "date (YYYY-MM-DD, a real calendar day, years "
	    "1900 to 2199)" },
	{ "sha256", "SHA-256 digest (64 hexadecimal digits)" },
	{ "code", "code (1 to 32 of A-Z a-z 0-9 . _ -)" },
	{ "office", "office code (1 to 32 of A-Z a-z 0-9 . _ -)" },
	{ "translator", "translator id (1 to 32 of A-Z a-z 0-9 . _ -)" },
};

const char *
xmlsafe_describe(const char *field)
{
	size_t n = strlen(field);

	for (size_t i = 0; i < sizeof(descriptions) / sizeof(*descriptions);
	    i++)
		if (strcmp(field, descriptions[i].field) == 0)
			return descriptions[i].what;
	/* issuedOn, completedOn, sentOn, on, ... */
	if (strcmp(field, "on") == 0 ||
	    (n > 2 && strcmp(field + n - 2, "On") == 0))
		return "date (YYYY-MM-DD, a real calendar day, years 1900 to "
		    "2199)";
	return NULL;
}

/* Copy s without "{namespace}" prefixes or a trailing newline or dot. */
static char *
strip_ns(const char *s)
{
	struct buf b = BUF_INIT;

	while (*s) {
		if (*s == '{') {
			const char *close = strchr(s, '}');

			if (close != NULL) {
				s = close + 1;
				continue;
			}
		}
		buf_addc(&b, *s++);
	}
	while (b.len > 0 && (b.ptr[b.len - 1] == '\n' ||
	    b.ptr[b.len - 1] == ' ' || b.ptr[b.len - 1] == '.'))
		b.ptr[--b.len] = '\0';
	return buf_detach(&b);
}

/*
 * "( a, b )" after key in s as "; expected <a> or <b>".  libxml2 2.9.14
 * reports an unexpected and a missing child with the same code
 * (XML_SCHEMAV_ELEMENT_CONTENT) and puts the names it expected only into
 * its message, as this list.
 */
static void
add_expected(struct buf *b, const char *s, const char *key)
{
	const char *p = strstr(s, key), *end;

	if (p == NULL || (p = strchr(p, '(')) == NULL ||
	    (end = strchr(p, ')')) == NULL)
		return;
	p++;
	buf_adds(b, "; expected ");
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *stop = comma ? comma : end;

		while (p < stop && *p == ' ')
			p++;
		while (stop > p && stop[-1] == ' ')
			stop--;
		if (stop > p) {
			buf_addc(b, '<');
			buf_add(b, p, (size_t)(stop - p));
			buf_addc(b, '>');
		}
		if (comma == NULL)
			break;
		buf_adds(b, " or ");
		p = comma + 1;
	}
}

/* s without leading and trailing XML white space, as a new string. */
static char *
trimmed(const char *s)
{
	const char *end;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\n' || end[-1] == '\r'))
		end--;
	return xstrndup(s, (size_t)(end - s));
}

/* Characters (not bytes) in UTF-8 s. */
static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/*
 * The attribute of element n that a value error is about.  libxml2
 * names the element (e->node) but not the attribute, so it is the one
 * whose value, white space trimmed, is value; or, with a length (value
 * NULL), the one that long.  NULL: the element's own content.
 */
static const char *
attribute_of(xmlNodePtr n, const char *value, long length)
{
	if (n == NULL || n->type != XML_ELEMENT_NODE)
		return NULL;
	for (xmlAttrPtr a = n->properties; a != NULL; a = a->next) {
		xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
		char *t = trimmed(v ? (const char *)v : "");
		bool hit = value != NULL ? strcmp(t, value) == 0 :
		    (long)utf8_chars(t) == length;

		free(t);
		xmlFree(v);
		if (hit)
			return (const char *)a->name;
	}
	return NULL;
}

/* "'a', 'b'" (libxml2's enumeration set) as "a, b". */
static void
add_set(struct buf *b, const char *set)
{
	for (const char *p = set; *p; p++)
		if (*p != '\'')
			buf_addc(b, *p);
}

/* libxml2's own words after "Element 'x'[, attribute 'y']: ", quoted:
 * for the codes case files rarely meet. */
static void
add_own_words(struct buf *b, const char *subject, const char *raw)
{
	char *msg = strip_ns(raw), *q;
	const char *rest = msg, *p;

	if (strncmp(msg, "Element '", 9) == 0 &&
	    (p = strstr(msg, "': ")) != NULL)
		rest = p + 3;
	q = diag_quote(rest, 300);
	buf_addf(b, "%s: %s", subject, q);
	free(q);
	free(msg);
}

/* How a range facet's limit (libxml2's str2) reads. */
static const char *
range_word(int code)
{
	switch (code) {
	case XML_SCHEMAV_CVC_MININCLUSIVE_VALID:
		return "at least";
	case XML_SCHEMAV_CVC_MAXINCLUSIVE_VALID:
		return "at most";
	case XML_SCHEMAV_CVC_MINEXCLUSIVE_VALID:
		return "more than";
	default:
		return "less than";
	}
}

char *
xmlsafe_schema_message(const xmlError *e)
{
	struct buf b = BUF_INIT;
	xmlNodePtr node = e->node;
	const char *elem, *attr = NULL, *field, *what;
	const char *s1 = e->str1, *s2 = e->str2;
	char subject[256], *q;

	if (node == NULL || node->type != XML_ELEMENT_NODE) {
		q = diag_quote(e->message ? e->message : "invalid", 300);
		return q;
	}
	elem = (const char *)node->name;
	switch (e->code) {
	case XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_1:
	case XML_SCHEMAV_CVC_PATTERN_VALID:
	case XML_SCHEMAV_CVC_ENUMERATION_VALID:
	case XML_SCHEMAV_CVC_MININCLUSIVE_VALID:
	case XML_SCHEMAV_CVC_MAXINCLUSIVE_VALID:
	case XML_SCHEMAV_CVC_MINEXCLUSIVE_VALID:
	case XML_SCHEMAV_CVC_MAXEXCLUSIVE_VALID:
		attr = s1 ? attribute_of(node, s1, 0) : NULL;
		break;
	case XML_SCHEMAV_CVC_MINLENGTH_VALID:
	case XML_SCHEMAV_CVC_MAXLENGTH_VALID:
		attr = s1 ? attribute_of(node, NULL, atol(s1)) : NULL;
		break;
	default:
		break;
	}
	if (attr != NULL)
		snprintf(subject, sizeof(subject), "attribute %s of <%s>",
		    attr, elem);
	else
		snprintf(subject, sizeof(subject), "<%s>", elem);
	field = attr != NULL ? attr : elem;
	what = xmlsafe_describe(field);

	switch (e->code) {
	case XML_SCHEMAV_ELEMENT_CONTENT:
		if (e->message != NULL &&
		    strstr(e->message, "Missing child") != NULL) {
			buf_addf(&b, "<%s> is missing a required element",
			    elem);
		} else
			buf_addf(&b, "<%s> is not allowed here", elem);
		if (e->message != NULL) {
			char *m = strip_ns(e->message);

			add_expected(&b, m, "Expected is");
			free(m);
		}
		break;
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_4:
		buf_addf(&b, "<%s> is missing its required attribute %s",
		    elem, s1 ? s1 : "");
		break;
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_1:
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_2:
		buf_addf(&b, "<%s> has an attribute %s, which case files do "
		    "not use", elem, s1 ? s1 : "");
		break;
	case XML_SCHEMAV_CVC_ENUMERATION_VALID:
		q = diag_quote(s1 ? s1 : "", 60);
		buf_addf(&b, "%s: \"%s\" is not one of the allowed values",
		    subject, q);
		if (s2 != NULL) {
			buf_adds(&b, " (");
			add_set(&b, s2);
			buf_adds(&b, ")");
		}
		free(q);
		break;
	case XML_SCHEMAV_CVC_PATTERN_VALID:
	case XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_1:
		q = diag_quote(s1 ? s1 : "", 60);
		if (what != NULL)
			buf_addf(&b, "%s: \"%s\" is not a valid %s", subject,
			    q, what);
		else if (e->code == XML_SCHEMAV_CVC_PATTERN_VALID && s2)
			buf_addf(&b, "%s: \"%s\" is not an allowed value (the "
			    "value must match the pattern %s)", subject, q, s2);
		else
			buf_addf(&b, "%s: \"%s\" is not an allowed value",
			    subject, q);
		free(q);
		break;
	case XML_SCHEMAV_CVC_MINLENGTH_VALID:
		buf_addf(&b, "%s must not be empty", subject);
		break;
	case XML_SCHEMAV_CVC_MAXLENGTH_VALID:
		buf_addf(&b, "%s is far too long (at most %s characters)",
		    subject, s2 ? s2 : "?");
		break;
	case XML_SCHEMAV_CVC_MININCLUSIVE_VALID:
	case XML_SCHEMAV_CVC_MAXINCLUSIVE_VALID:
	case XML_SCHEMAV_CVC_MINEXCLUSIVE_VALID:
	case XML_SCHEMAV_CVC_MAXEXCLUSIVE_VALID:
		q = diag_quote(s1 ? s1 : "", 30);
		if (what != NULL)
			buf_addf(&b, "%s: %s is out of range (a %s)", subject,
			    q, what);
		else
			buf_addf(&b, "%s: %s is out of range (%s %s)", subject,
			    q, range_word(e->code), s2 ? s2 : "?");
		free(q);
		break;
	case XML_SCHEMAV_CVC_IDC: {
		/* str1 is the key sequence: "['v']". */
		char *key = xstrdup(s1 ? s1 : ""), *p = key, *end;

		if (strncmp(p, "['", 2) == 0)
			p += 2;
		end = p + strlen(p);
		if (end - p >= 2 && strcmp(end - 2, "']") == 0)
			end[-2] = '\0';
		q = diag_quote(p, 60);
		buf_addf(&b, "<%s>: \"%s\" is given more than once; each "
		    "indicator code may appear only once", elem, q);
		free(q);
		free(key);
		break;
	}
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_3:
		buf_addf(&b, "<%s> must contain elements only, not text", elem);
		break;
	case XML_SCHEMAV_CVC_TYPE_3_1_2:
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_2:
		buf_addf(&b, "<%s> must contain text only, not elements", elem);
		break;
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_1:
		buf_addf(&b, "<%s> must be empty", elem);
		break;
	default:
		add_own_words(&b, subject, e->message ? e->message :
		    "invalid");
		break;
	}
	return buf_detach(&b);
}

char *
xmlsafe_parse_message(const xmlError *e)
{
	struct buf b = BUF_INIT;
	const char *s1 = e->str1 ? e->str1 : "", *s2 = e->str2 ? e->str2 : "";
	char *q;

	buf_adds(&b, "the file is not well-formed XML: ");
	switch (e->code) {
	case XML_ERR_DOCUMENT_EMPTY:
		buf_adds(&b, "it holds no element");
		break;
	case XML_ERR_DOCUMENT_END:
	case XML_ERR_EXTRA_CONTENT:
		buf_adds(&b, "there is more after the end of the root element");
		break;
	case XML_ERR_TAG_NAME_MISMATCH:
		buf_addf(&b, "</%s> closes <%s>, opened on line %d", s2, s1,
		    e->int1);
		break;
	case XML_ERR_TAG_NOT_FINISHED:
		buf_addf(&b, "<%s>, opened on line %d, is never closed", s1,
		    e->int1);
		break;
	case XML_ERR_GT_REQUIRED:
		buf_addf(&b, "the start tag <%s> is not ended by >", s1);
		break;
	case XML_ERR_UNDECLARED_ENTITY:
	case XML_WAR_UNDECLARED_ENTITY:
		buf_addf(&b, "&%s; is refused: case files use no entities "
		    "but &amp; &lt; &gt; &quot; &apos; and character "
		    "references such as &#xE9;", s1);
		break;
	case XML_ERR_ENTITY_LOOP:
	case XML_ERR_ENTITY_BOUNDARY:
		buf_adds(&b, "an entity is refused: case files use no "
		    "entities");
		break;
	case XML_ERR_ENTITYREF_SEMICOL_MISSING:
		buf_adds(&b, "an & that starts no reference (write &amp; for "
		    "the character &)");
		break;
	case XML_ERR_NAME_REQUIRED:
		/* libxml2 gives this code for a lone < and a lone &. */
		buf_adds(&b, "a < or & that starts no tag or reference (write "
		    "&lt; for the character <, &amp; for &)");
		break;
	case XML_ERR_LT_IN_ATTRIBUTE:
		buf_adds(&b, "a < inside an attribute value (write &lt;)");
		break;
	case XML_ERR_ATTRIBUTE_REDEFINED:
		buf_addf(&b, "the attribute %s is given twice", s1);
		break;
	case XML_ERR_ATTRIBUTE_NOT_STARTED:
	case XML_ERR_ATTRIBUTE_WITHOUT_VALUE:
		buf_adds(&b, "an attribute value is not in quotes");
		break;
	case XML_ERR_INVALID_CHAR:
	case XML_ERR_INVALID_CHARREF:
		buf_adds(&b, "a character XML does not allow (a control "
		    "character, or a reference such as &#0;)");
		break;
	case XML_ERR_INVALID_ENCODING:
		buf_adds(&b, "bytes that are not valid in the file's encoding "
		    "(save it as UTF-8)");
		break;
	case XML_ERR_UNKNOWN_ENCODING:
	case XML_ERR_UNSUPPORTED_ENCODING:
		buf_adds(&b, "its declared encoding is not supported (save it "
		    "as UTF-8)");
		break;
	case XML_NS_ERR_UNDEFINED_NAMESPACE:
		buf_addf(&b, "the namespace prefix %s is not declared", s1);
		break;
	default: {
		char *raw = strip_ns(e->message ? e->message : "error");

		q = diag_quote(raw, 200);
		buf_adds(&b, q);
		free(raw);
		free(q);
		break;
	}
	}
	return buf_detach(&b);
}

/* ------------------------------------------------------------------ */
/* Parsing and validation.                                             */

static void
on_parse_error(void *ud, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = ud;
	struct errstate *st = ctxt != NULL ? ctxt->_private : NULL;

	if (st == NULL || e == NULL || e->level < XML_ERR_ERROR)
		return;
	if (st->count++ > 0)
		return;
	st->line = e->line > 0 ? (unsigned)e->line : 0;
	if (st->doctype)
		st->first = xstrdup("the file has a DOCTYPE declaration; "
		    "case files must not have one (no DTDs or entities are "
		    "read)");
	else
		st->first = xmlsafe_parse_message(e);
}

static void
on_internal_subset(void *ud, const xmlChar *name, const xmlChar *ext,
    const xmlChar *sys)
{
	xmlParserCtxtPtr ctxt = ud;
	struct errstate *st = ctxt->_private;

	(void)name;
	(void)ext;
	(void)sys;
	st->doctype = true;
	if (st->count++ == 0) {
		st->line = ctxt->input != NULL ? (unsigned)ctxt->input->line : 0;
		st->first = xstrdup("the file has a DOCTYPE declaration; "
		    "case files must not have one (no DTDs or entities are "
		    "read)");
	}
	ctxt->wellFormed = 0;
	xmlStopParser(ctxt);
}

static void
on_schema_error(void *ud, xmlErrorPtr e)
{
	struct errstate *st = ud;

	unsigned line;

	if (e == NULL || e->level < XML_ERR_ERROR)
		return;
	line = e->line > 0 ? (unsigned)e->line : 0;
	if (line == 0 && e->node != NULL)
		line = xmlsafe_line(e->node);
	if (st->count++ > 0) {
		if (st->count <= MAX_REST + 1) {
			char *h = xmlsafe_schema_message(e);

			buf_addf(&st->rest, "%sline %u: %s", st->rest.len ?
			    "; " : "", line, h);
			free(h);
		}
		return;
	}
	st->line = line;
	st->first = xmlsafe_schema_message(e);
}

static xmlDocPtr
parse(const char *path, const char *data, size_t len, struct load_error *err)
{
	struct errstate st = { 0, NULL, 0, false, BUF_INIT };
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	long consumed;
	int opts = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES |
	    XML_PARSE_NOWARNING;

	if (len > INT32_MAX || (ctxt = xmlNewParserCtxt()) == NULL) {
		xmlsafe_fail(err, 0, "the XML parser could not start");
		return NULL;
	}
	ctxt->_private = &st;
	ctxt->sax->serror = on_parse_error;
	ctxt->sax->internalSubset = on_internal_subset;
	ctxt->sax->externalSubset = NULL;
	ctxt->sax->resolveEntity = NULL;
	doc = xmlCtxtReadMemory(ctxt, data, (int)len, path, NULL, opts);
	consumed = xmlByteConsumed(ctxt);
	if (doc == NULL || !ctxt->wellFormed || st.count > 0) {
		xmlsafe_fail(err, st.line, "%s", st.first ? st.first :
		    "the file is not well-formed XML");
		goto fail;
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		xmlsafe_fail(err, 1, "the file has a DOCTYPE declaration; "
		    "case files must not have one");
		goto fail;
	}
	if (consumed >= 0 && (size_t)consumed != len) {
		unsigned line = 1;

		/* Every encoding we accept writes a newline with a 0x0A byte. */
		for (long i = 0; i < consumed; i++)
			line += data[i] == '\n';
		xmlsafe_fail(err, line, "the file has data after the end of "
		    "the document (byte %ld of %zu): a NUL byte or other "
		    "garbage", consumed, len);
		goto fail;
	}
	free(st.first);
	buf_free(&st.rest);
	xmlFreeParserCtxt(ctxt);
	return doc;
fail:
	free(st.first);
	buf_free(&st.rest);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return NULL;
}

xmlSchemaPtr
xmlsafe_schema(const char *path, char **msg)
{
	xmlSchemaParserCtxtPtr pc;
	xmlSchemaPtr schema;
	struct errstate st = { 0, NULL, 0, false, BUF_INIT };

	struct load_error rerr = { 0, NULL, NULL, false };
	char *data;
	size_t len;

	*msg = NULL;
	/* From memory: the deny-all entity loader also refuses our files. */
	if ((data = read_bytes(path, &len, &rerr)) == NULL) {
		*msg = xasprintf("%s: cannot read the schema: %s", path,
		    rerr.message);
		load_error_free(&rerr);
		return NULL;
	}
	pc = xmlSchemaNewMemParserCtxt(data, (int)len);
	if (pc == NULL) {
		*msg = xasprintf("%s: cannot read the schema", path);
		free(data);
		return NULL;
	}
	xmlSchemaSetParserStructuredErrors(pc, on_schema_error, &st);
	schema = xmlSchemaParse(pc);
	xmlSchemaFreeParserCtxt(pc);
	free(data);
	if (schema == NULL)
		*msg = xasprintf("%s:%u: the schema is broken: %s", path,
		    st.line, st.first ? st.first : "cannot be compiled");
	free(st.first);
	buf_free(&st.rest);
	return schema;
}

xmlDocPtr
xmlsafe_load(const char *path, xmlSchemaPtr schema, const char *root_name,
    const char *ns, struct load_error *err, char *sha256)
{
	struct errstate st = { 0, NULL, 0, false, BUF_INIT };
	xmlSchemaValidCtxtPtr vc;
	xmlNodePtr root;
	xmlDocPtr doc;
	xmlChar *id;
	char *data;
	size_t len;
	int rc;

	if ((data = read_bytes(path, &len, err)) == NULL) {
		err->plain = true;
		return NULL;
	}
	/* From the same read as the parse: a file changed under us cannot
	 * give a digest of other bytes than the case came from. */
	if (sha256 != NULL)
		digest_sha256_hex(data, len, sha256);
	doc = parse(path, data, len, err);
	free(data);
	if (doc == NULL)
		return NULL;
	root = xmlDocGetRootElement(doc);
	if (root == NULL || strcmp((const char *)root->name, root_name) != 0 ||
	    root->ns == NULL || strcmp((const char *)root->ns->href, ns) != 0) {
		xmlsafe_fail(err, root ? xmlsafe_line(root) : 1,
		    "this is not an rnpack %s file: the root element must be "
		    "<%s xmlns=\"%s\">", root_name, root_name, ns);
		xmlFreeDoc(doc);
		return NULL;
	}
	id = xmlGetNoNsProp(root, (const xmlChar *)"id");
	if (id != NULL && xmlsafe_is_case_id((const char *)id))
		err->case_id = xstrdup((const char *)id);
	xmlFree(id);

	if ((vc = xmlSchemaNewValidCtxt(schema)) == NULL) {
		xmlsafe_fail(err, 0, "the schema validator could not start");
		xmlFreeDoc(doc);
		return NULL;
	}
	xmlSchemaSetValidStructuredErrors(vc, on_schema_error, &st);
	rc = xmlSchemaValidateDoc(vc, doc);
	xmlSchemaFreeValidCtxt(vc);
	if (rc != 0) {
		if (st.count > 1)
			xmlsafe_fail(err, st.line, "%s (and %d more problem%s: "
			    "%s%s)", st.first ? st.first : "invalid",
			    st.count - 1, st.count > 2 ? "s" : "",
			    st.rest.ptr, st.count > MAX_REST + 1 ? "; ..." :
			    "");
		else
			xmlsafe_fail(err, st.line, "%s", st.first ? st.first :
			    "the file does not follow the case schema");
		free(st.first);
		buf_free(&st.rest);
		xmlFreeDoc(doc);
		return NULL;
	}
	free(st.first);
	buf_free(&st.rest);
	return doc;
}
