/*
 * sumread.c - one summary.json entry back into a run entry (see
 * sumread.h).
 */
#include <stdlib.h>
#include <string.h>

#include "rnpack/buf.h"
#include "rnpack/diag.h"
#include "rnpack/domain.h"
#include "rnpack/report.h"
#include "rnpack/sumread.h"
#include "rnpack/xalloc.h"

#define MAX_DEPTH	16	/* nesting skipped over */

struct cursor {
	const char	*p, *end;
};

static void
skip_ws(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\n' ||
	    *c->p == '\r' || *c->p == '\t'))
		c->p++;
}

static bool
expect(struct cursor *c, char ch)
{
	skip_ws(c);
	if (c->p >= c->end || *c->p != ch)
		return false;
	c->p++;
	return true;
}

static int
hex4(const char *p)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		char h = p[i];

		v <<= 4;
		if (h >= '0' && h <= '9')
			v |= h - '0';
		else if (h >= 'a' && h <= 'f')
			v |= h - 'a' + 10;
		else if (h >= 'A' && h <= 'F')
			v |= h - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static void
add_utf8(struct buf *b, unsigned long u)
{
	if (u < 0x80)
		buf_addc(b, (char)u);
	else if (u < 0x800) {
		buf_addc(b, (char)(0xC0 | (u >> 6)));
		buf_addc(b, (char)(0x80 | (u & 0x3F)));
	} else if (u < 0x10000) {
		buf_addc(b, (char)(0xE0 | (u >> 12)));
		buf_addc(b, (char)(0x80 | ((u >> 6) & 0x3F)));
		buf_addc(b, (char)(0x80 | (u & 0x3F)));
	} else {
		buf_addc(b, (char)(0xF0 | (u >> 18)));
		buf_addc(b, (char)(0x80 | ((u >> 12) & 0x3F)));
		buf_addc(b, (char)(0x80 | ((u >> 6) & 0x3F)));
		buf_addc(b, (char)(0x80 | (u & 0x3F)));
	}
}

/* A string into out (NULL: skipped); false when it is not one. */
static bool
read_string(struct cursor *c, char **out)
{
	struct buf b = BUF_INIT;

	if (!expect(c, '"'))
		return false;
	while (c->p < c->end && *c->p != '"') {
		char ch = *c->p++;
		int u, lo;

		if (ch != '\\') {
			buf_addc(&b, ch);
			continue;
		}
		if (c->p >= c->end)
			break;
		switch ((ch = *c->p++)) {
		case 'b': buf_addc(&b, '\b'); break;
		case 'f': buf_addc(&b, '\f'); break;
		case 'n': buf_addc(&b, '\n'); break;
		case 'r': buf_addc(&b, '\r'); break;
		case 't': buf_addc(&b, '\t'); break;
		case 'u':
			if (c->end - c->p < 4 || (u = hex4(c->p)) < 0 || u == 0)
				goto bad;
			c->p += 4;
			if (u >= 0xD800 && u < 0xDC00 && c->end - c->p >= 6 &&
			    c->p[0] == '\\' && c->p[1] == 'u' &&
			    (lo = hex4(c->p + 2)) >= 0xDC00 && lo < 0xE000) {
				c->p += 6;
				add_utf8(&b, 0x10000 + (((unsigned long)u -
				    0xD800) << 10) + ((unsigned long)lo -
				    0xDC00));
			} else if (u >= 0xD800 && u < 0xE000)
				add_utf8(&b, 0xFFFD);
			else
				add_utf8(&b, (unsigned long)u);
			break;
		default:
			buf_addc(&b, ch);	/* \" \\ \/ */
			break;
		}
	}
	if (c->p >= c->end)
		goto bad;
	c->p++;
	if (out != NULL) {
		free(*out);
		*out = buf_detach(&b);
	}
	buf_free(&b);
	return true;
bad:
	buf_free(&b);
	return false;
}

/* Any value, skipped. */
static bool
skip_value(struct cursor *c, int depth)
{
	skip_ws(c);
	if (c->p >= c->end || depth > MAX_DEPTH)
		return false;
	if (*c->p == '"')
		return read_string(c, NULL);
	if (*c->p == '[' || *c->p == '{') {
		char close = *c->p == '[' ? ']' : '}';

		c->p++;
		if (expect(c, close))
			return true;
		do {
			if (close == '}' && (!read_string(c, NULL) ||
			    !expect(c, ':')))
				return false;
			if (!skip_value(c, depth + 1))
				return false;
		} while (expect(c, ','));
		return expect(c, close);
	}
	/* A number, true, false or null. */
	if (!strchr("-0123456789tfn", *c->p))
		return false;
	while (c->p < c->end && strchr("+-.0123456789eEtruefalsn", *c->p))
		c->p++;
	return true;
}

static enum diag_code
code_of(const char *id)
{
	for (int k = 0; k < DIAG__MAX; k++)
		if (strcmp(diag_code_id((enum diag_code)k), id) == 0)
			return (enum diag_code)k;
	return DIAG__MAX;
}

/* One finding object; added to e when its code is known. */
static bool
read_finding(struct cursor *c, struct run_entry *e)
{
	char *key = NULL, *code = NULL, *msg = NULL;
	unsigned long line = 0;
	bool ok = expect(c, '{');

	if (ok && !expect(c, '}')) {
		do {
			ok = read_string(c, &key) && expect(c, ':');
			if (!ok)
				break;
			skip_ws(c);
			if (strcmp(key, "code") == 0)
				ok = read_string(c, &code);
			else if (strcmp(key, "message") == 0)
				ok = read_string(c, &msg);
			else if (strcmp(key, "line") == 0 && c->p < c->end &&
			    *c->p >= '0' && *c->p <= '9') {
				while (c->p < c->end && *c->p >= '0' &&
				    *c->p <= '9' && line < 100000000)
					line = line * 10 + (unsigned long)
					    (*c->p++ - '0');
			} else
				ok = skip_value(c, 1);
		} while (ok && expect(c, ','));
		ok = ok && expect(c, '}');
	}
	ok = ok && code != NULL;
	if (ok && code_of(code) != DIAG__MAX)
		findings_add(&e->findings, code_of(code), (unsigned)line, "%s",
		    msg ? msg : "");
	free(key);
	free(code);
	free(msg);
	return ok;
}

static bool
read_findings(struct cursor *c, struct run_entry *e)
{
	bool ok = expect(c, '[');

	if (ok && !expect(c, ']')) {
		do
			ok = read_finding(c, e);
		while (ok && expect(c, ','));
		ok = ok && expect(c, ']');
	}
	return ok;
}

bool
sumread_entry(const char *json, size_t len, struct run_entry *e)
{
	struct cursor c = { json, json + len };
	char *key = NULL, *status = NULL;
	bool ok = expect(&c, '{');

	findings_init(&e->findings);
	if (ok && !expect(&c, '}')) {
		do {
			ok = read_string(&c, &key) && expect(&c, ':');
			if (!ok)
				break;
			if (strcmp(key, "source") == 0)
				ok = read_string(&c, &e->source);
			else if (strcmp(key, "case") == 0)
				ok = read_string(&c, &e->case_id);
			else if (strcmp(key, "status") == 0)
				ok = read_string(&c, &status);
			else if (strcmp(key, "findings") == 0)
				ok = read_findings(&c, e);
			else
				ok = skip_value(&c, 1);
		} while (ok && expect(&c, ','));
		ok = ok && expect(&c, '}');
	}
	ok = ok && e->source != NULL && status != NULL;
	if (ok) {
		int s;

		for (s = CASE_COMPLETE; s <= CASE_INVALID; s++)
			if (strcmp(status, case_status_id((enum case_status)s))
			    == 0)
				break;
		ok = s <= CASE_INVALID;
		e->status = ok ? (enum case_status)s : CASE_INVALID;
	}
	free(key);
	free(status);
	return ok;
}
