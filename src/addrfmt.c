/*
 * addrfmt.c - national address formats (see addrfmt.h).
 */
#include <stdlib.h>
#include <string.h>

#include "rnpack/addrfmt.h"
#include "rnpack/buf.h"
#include "addrfmt_int.h"

static int
cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct addrfmt_row *)elem)->code);
}

const char *
addrfmt_for(const char *country)
{
	const struct addrfmt_row *r;

	if (country == NULL || strlen(country) != 2)
		return NULL;
	r = bsearch(country, addrfmt_table, addrfmt_count,
	    sizeof(*addrfmt_table), cmp);
	return r ? r->fmt : NULL;
}

/* A format line has at most this many codes; the data's have 5. */
#define MAX_FIELDS	16

/* One format line: its codes and the separators between them. */
struct fline {
	char		 code[MAX_FIELDS];
	const char	*value[MAX_FIELDS];	/* NULL: dropped or empty */
	const char	*sep[MAX_FIELDS];	/* sep[i] between i and i+1 */
	size_t		 seplen[MAX_FIELDS];
	bool		 field_alive[MAX_FIELDS], sep_alive[MAX_FIELDS];
	size_t		 n;
};

static const char *
value_of(char code, const struct addrfmt_fields *f)
{
	const char *v = NULL;

	switch (code) {
	case 'N': v = f->name; break;
	case 'A': v = f->lines; break;
	case 'C': v = f->city; break;
	case 'S': v = f->region; break;
	case 'Z': v = f->postal; break;
	default: break;		/* %O, %D, %X and unknown codes */
	}
	return v != NULL && *v != '\0' ? v : NULL;
}

/* Parse the line [s, end): literal text before the first code and after
 * the last is not a separator and is forgotten. */
static void
parse_line(struct fline *l, const char *s, const char *end,
    const struct addrfmt_fields *f)
{
	const char *lit = NULL;

	memset(l, 0, sizeof(*l));
	while (s < end) {
		if (*s == '%' && s + 1 < end) {
			if (l->n == MAX_FIELDS)
				return;
			if (l->n > 0) {
				l->sep[l->n - 1] = lit ? lit : s;
				l->seplen[l->n - 1] = lit ? (size_t)(s - lit) :
				    0;
				l->sep_alive[l->n - 1] = true;
			}
			l->code[l->n] = s[1];
			l->value[l->n] = value_of(s[1], f);
			l->field_alive[l->n++] = true;
			lit = NULL;
			s += 2;
			continue;
		}
		if (lit == NULL)
			lit = s;
		s++;
	}
}

/* Remove field i and the separator before it, or the one after it when
 * no field before it is left (it is first on its line). */
static void
drop_field(struct fline *l, size_t i)
{
	l->field_alive[i] = false;
	for (size_t k = i; k-- > 0;)
		if (l->sep_alive[k]) {
			l->sep_alive[k] = false;
			return;
		}
	for (size_t k = i; k + 1 < l->n; k++)
		if (l->sep_alive[k]) {
			l->sep_alive[k] = false;
			return;
		}
}

static void
emit_line(struct buf *out, struct fline *l, bool wide_postal)
{
	size_t start = out->len, prev = MAX_FIELDS;

	for (size_t i = 0; i < l->n; i++)
		if (l->value[i] == NULL)
			drop_field(l, i);
	for (size_t i = 0; i < l->n; i++) {
		if (!l->field_alive[i])
			continue;
		/* The one separator left between prev and i, if any. */
		if (prev != MAX_FIELDS)
			for (size_t k = prev; k < i; k++) {
				if (!l->sep_alive[k])
					continue;
				if (wide_postal && l->code[prev] == 'S' &&
				    l->code[i] == 'Z')
					buf_adds(out, "  ");
				else
					buf_add(out, l->sep[k], l->seplen[k]);
			}
		buf_adds(out, l->value[i]);
		prev = i;
	}
	if (out->len > start)
		buf_addc(out, '\n');
}

char *
addrfmt_apply(const char *fmt, const struct addrfmt_fields *f)
{
	struct buf out = BUF_INIT;
	struct fline l;
	const char *s = fmt;

	for (;;) {
		const char *end = strstr(s, "%n");

		if (end == NULL)
			end = s + strlen(s);
		parse_line(&l, s, end, f);
		emit_line(&out, &l, f->wide_postal);
		if (*end == '\0')
			break;
		s = end + 2;
	}
	/* Values with '\n' inside (several street lines) may leave empty
	 * lines only when a value itself is empty, which value_of excludes;
	 * the trailing newline goes. */
	if (out.len > 0 && out.ptr[out.len - 1] == '\n')
		buf_setlen(&out, out.len - 1);
	return buf_detach(&out);
}
