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
 *   and rewritten into sentences a clerk can act on.
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

/* Copy s without "{namespace}" prefixes. */
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
 * The quoted value in a libxml2 message: after "The value '" or at the
 * start ("'v' is not a valid value").  Values may hold quotes, so the
 * end is the quote before " is " or " has ".
 */
static char *
quoted_value(const char *rest)
{
	const char *p, *q;

	if ((p = strstr(rest, "The value '")) != NULL)
		p += 11;
	else if (rest[0] == '\'')
		p = rest + 1;
	else
		return NULL;
	if ((q = strstr(p, "' is ")) == NULL &&
	    (q = strstr(p, "' has ")) == NULL)
		return NULL;
	return xstrndup(p, (size_t)(q - p));
}

/* The text between open and close after key, or NULL. */
static char *
between(const char *s, const char *open, const char *close)
{
	const char *p = strstr(s, open), *q;

	if (p == NULL)
		return NULL;
	p += strlen(open);
	if ((q = strstr(p, close)) == NULL)
		return NULL;
	return xstrndup(p, (size_t)(q - p));
}

/* "( a, b )" after key as "<a> or <b>". */
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

static char *
humanize(const char *raw)
{
	struct buf b = BUF_INIT;
	char *msg = strip_ns(raw), *elem = NULL, *attr = NULL, *value;
	const char *rest = msg, *field;
	char subject[256];

	if (strncmp(msg, "Element '", 9) == 0) {
		const char *q = strchr(msg + 9, '\'');

		if (q != NULL) {
			elem = xstrndup(msg + 9, (size_t)(q - msg - 9));
			rest = q + 1;
			if (strncmp(rest, ", attribute '", 13) == 0 &&
			    (q = strchr(rest + 13, '\'')) != NULL) {
				attr = xstrndup(rest + 13,
				    (size_t)(q - rest - 13));
				rest = q + 1;
			}
			if (strncmp(rest, ": ", 2) == 0)
				rest += 2;
		}
	}
	if (elem == NULL) {
		char *q = diag_quote(msg, 300);

		free(msg);
		return q;
	}
	if (attr != NULL)
		snprintf(subject, sizeof(subject), "attribute %s of <%s>",
		    attr, elem);
	else
		snprintf(subject, sizeof(subject), "<%s>", elem);
	field = attr != NULL ? attr : elem;
	value = quoted_value(rest);

	if (strstr(rest, "This element is not expected")) {
		buf_addf(&b, "<%s> is not allowed here", elem);
		add_expected(&b, rest, "Expected is");
	} else if (strstr(rest, "Missing child element")) {
		buf_addf(&b, "<%s> is missing a required element", elem);
		add_expected(&b, rest, "Expected is");
	} else if (strstr(rest, "is required but missing")) {
		char *a = between(rest, "attribute '", "'");

		buf_addf(&b, "<%s> is missing its required attribute %s",
		    elem, a ? a : "");
		free(a);
	} else if (strstr(rest, "is not allowed") &&
	    strncmp(rest, "The attribute", 13) == 0) {
		char *a = between(rest, "attribute '", "'");

		buf_addf(&b, "<%s> has an attribute %s, which case files do "
		    "not use", elem, a ? a : "");
		free(a);
	} else if (strstr(rest, "[facet 'enumeration']") && value) {
		const char *set = strchr(rest, '{');
		char *q = diag_quote(value, 60);

		buf_addf(&b, "%s: \"%s\" is not one of the allowed values",
		    subject, q);
		if (set != NULL) {
			buf_adds(&b, " (");
			for (const char *p = set + 1; *p && *p != '}'; p++)
				if (*p != '\'')
					buf_addc(&b, *p);
			buf_adds(&b, ")");
		}
		free(q);
	} else if ((strstr(rest, "[facet 'pattern']") ||
	    strstr(rest, "is not a valid value of")) && value) {
		const char *what = xmlsafe_describe(field);
		char *q = diag_quote(value, 60);

		if (what != NULL)
			buf_addf(&b, "%s: \"%s\" is not a valid %s", subject,
			    q, what);
		else
			buf_addf(&b, "%s: \"%s\" is not an allowed value",
			    subject, q);
		free(q);
	} else if (strstr(rest, "[facet 'minLength']")) {
		buf_addf(&b, "%s must not be empty", subject);
	} else if (strstr(rest, "[facet 'maxLength']")) {
		buf_addf(&b, "%s is far too long", subject);
	} else if ((strstr(rest, "[facet 'maxInclusive']") ||
	    strstr(rest, "[facet 'minInclusive']")) && value) {
		const char *what = xmlsafe_describe(field);
		char *q = diag_quote(value, 30);

		buf_addf(&b, "%s: %s is out of range%s%s%s", subject, q,
		    what ? " (a " : "", what ? what : "", what ? ")" : "");
		free(q);
	} else if (strstr(rest, "Duplicate key-sequence")) {
		char *key = between(rest, "['", "']");
		char *q = diag_quote(key ? key : "", 60);

		buf_addf(&b, "<%s>: \"%s\" is given more than once; each "
		    "indicator code may appear only once", elem, q);
		free(q);
		free(key);
	} else if (strstr(rest, "Character content other than whitespace")) {
		buf_addf(&b, "<%s> must contain elements only, not text", elem);
	} else if (strstr(rest, "Element content is not allowed")) {
		buf_addf(&b, "<%s> must contain text only, not elements", elem);
	} else {
		char *q = diag_quote(rest, 300);

		buf_addf(&b, "%s: %s", subject, q);
		free(q);
	}
	free(value);
	free(elem);
	free(attr);
	free(msg);
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
	else {
		char *raw = strip_ns(e->message ? e->message : "error");
		char *q = diag_quote(raw, 200);

		st->first = xasprintf("the file is not well-formed XML: %s",
		    q);
		free(raw);
		free(q);
	}
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
			char *h = humanize(e->message ? e->message :
			    "invalid");

			buf_addf(&st->rest, "%sline %u: %s", st->rest.len ?
			    "; " : "", line, h);
			free(h);
		}
		return;
	}
	st->line = line;
	st->first = humanize(e->message ? e->message : "invalid");
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
