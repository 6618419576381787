/*
 * shard.c - slices of a batch and their index files (see shard.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnpack/date.h"
#include "rnpack/diag.h"
#include "rnpack/domain.h"
#include "rnpack/report.h"
#include "rnpack/shard.h"
#include "rnpack/xalloc.h"

#define INDEX_MAGIC	"rnpack-shard-index 1"

/* Digits only, no sign or space, at most max; false otherwise. */
static bool
parse_count(const char *s, size_t len, unsigned long long max,
    unsigned long long *out)
{
	unsigned long long v = 0;

	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

bool
shard_parse(const char *arg, unsigned *k, unsigned *n)
{
	const char *slash = strchr(arg, '/');
	unsigned long long kk, nn;

	if (slash == NULL ||
	    !parse_count(arg, (size_t)(slash - arg), SHARD_MAX, &kk) ||
	    !parse_count(slash + 1, strlen(slash + 1), SHARD_MAX, &nn) ||
	    kk < 1 || kk > nn)
		return false;
	*k = (unsigned)kk;
	*n = (unsigned)nn;
	return true;
}

uint64_t
shard_fnv1a(uint64_t h, const void *p, size_t len)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < len; i++) {
		h ^= s[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

const char *
shard_base_name(const char *path, size_t *len)
{
	size_t end = strlen(path), start;

	while (end > 1 && path[end - 1] == '/')
		end--;
	for (start = end; start > 0 && path[start - 1] != '/'; start--)
		;
	if (start == end) {	/* "/" or "": the path itself */
		*len = end;
		return path;
	}
	*len = end - start;
	return path + start;
}

unsigned
shard_of(const char *path, unsigned n)
{
	size_t len;
	const char *base = shard_base_name(path, &len);

	if (n == 0)
		return 0;
	return (unsigned)(shard_fnv1a(SHARD_FNV_INIT, base, len) % n) + 1;
}

char *
shard_file_name(const char *stem, const char *ext, unsigned k, unsigned n)
{
	if (n == 0)
		return xasprintf("%s.%s", stem, ext);
	return xasprintf("%s-%u-of-%u.%s", stem, k, n, ext);
}

/* low has the form "STEM-K-of-N" followed by one of exts. */
static bool
is_k_of_n(const char *low, const char *stem, const char *const *exts)
{
	const char *p = low;
	size_t nd, len = strlen(stem);
	bool r = false;

	if (strncmp(p, stem, len) != 0 || p[len] != '-')
		return false;
	p += len + 1;
	for (nd = 0; p[nd] >= '0' && p[nd] <= '9'; nd++)
		;
	if (nd == 0 || strncmp(p + nd, "-of-", 4) != 0)
		return false;
	p += nd + 4;
	for (nd = 0; p[nd] >= '0' && p[nd] <= '9'; nd++)
		;
	if (nd == 0)
		return false;
	for (int i = 0; exts[i] != NULL && !r; i++)
		r = strcmp(p + nd, exts[i]) == 0;
	return r;
}

/* "summary-K-of-N" and a run file's extension: ".json", ".csv", ".index";
 * or a shard's page, "index-K-of-N.html". */
bool
shard_is_run_file(const char *name)
{
	static const char *const exts[] = { ".json", ".csv", ".index", NULL };
	static const char *const page[] = { ".html", NULL };
	char *low = xstrdup(name);
	bool r;

	for (char *q = low; *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	r = is_k_of_n(low, "summary", exts) || is_k_of_n(low, "index", page);
	free(low);
	return r;
}

/* ------------------------------------------------------------------ */

void
shard_summaries(struct buf *json, struct buf *csv, struct shard_index *idx,
    const struct run_entry *v, size_t n)
{
	for (size_t i = 0; i < idx->nv; i++) {
		free(idx->v[i].case_id);
		free(idx->v[i].source);
	}
	free(idx->v);
	idx->v = xcalloc(n + 1, sizeof(*idx->v));
	idx->nv = n;
	report_summary_csv_header(csv);
	for (size_t i = 0; i < n; i++) {
		struct shard_entry *se = &idx->v[i];
		size_t before;

		report_summary_json_sep(json, i, n);
		before = json->len;
		report_summary_json_entry(json, &v[i]);
		se->json_len = json->len - before;
		before = csv->len;
		report_summary_csv_row(csv, &v[i]);
		se->csv_len = csv->len - before;
		/* Only an input that loaded claims its id (batch.c). */
		if (v[i].status != CASE_INVALID && v[i].case_id != NULL)
			se->case_id = xstrdup(v[i].case_id);
		se->source = diag_quote(v[i].source, 200);
	}
	report_summary_json_sep(json, n, n);
}

void
shard_index_write(struct buf *b, const struct shard_index *idx)
{
	char d[11];

	date_format_iso(idx->as_of, d);
	buf_addf(b, INDEX_MAGIC "\nshard %u %u\ninputs %zu %016" PRIx64
	    "\nselected %zu\nas-of %s\nstatus %d\n", idx->k, idx->n,
	    idx->inputs, idx->list_hash, idx->selected, d, idx->status);
	for (size_t i = 0; i < idx->nv; i++) {
		const struct shard_entry *e = &idx->v[i];

		buf_addf(b, "entry %zu %zu %zu %zu %s %s\n", e->pos,
		    e->json_len, e->csv_len, e->pieces,
		    e->case_id ? e->case_id : "-", e->source);
	}
}

/* ------------------------------------------------------------------ */
/* Reading an index back. */

struct cursor {
	const char	*p, *end;	/* the current line: [p, end) */
	const char	*next;		/* after its newline */
	const char	*stop;
};

static bool
next_line(struct cursor *c)
{
	const char *nl;

	if (c->next >= c->stop)
		return false;
	c->p = c->next;
	nl = memchr(c->p, '\n', (size_t)(c->stop - c->p));
	if (nl == NULL)
		return false;	/* a final newline is required */
	c->end = nl;
	c->next = nl + 1;
	return true;
}

/* The next space-separated word of the line; false at its end. */
static bool
word(struct cursor *c, const char **w, size_t *len)
{
	const char *sp;

	if (c->p >= c->end)
		return false;
	sp = memchr(c->p, ' ', (size_t)(c->end - c->p));
	*w = c->p;
	*len = (size_t)((sp ? sp : c->end) - c->p);
	c->p = sp ? sp + 1 : c->end;
	return *len > 0;
}

static bool
word_is(struct cursor *c, const char *want)
{
	const char *w;
	size_t len;

	return word(c, &w, &len) && len == strlen(want) &&
	    memcmp(w, want, len) == 0;
}

static bool
word_count(struct cursor *c, unsigned long long max, unsigned long long *v)
{
	const char *w;
	size_t len;

	return word(c, &w, &len) && parse_count(w, len, max, v);
}

static bool
word_size(struct cursor *c, size_t *v)
{
	unsigned long long x;

	if (!word_count(c, SIZE_MAX / 2, &x))
		return false;
	*v = (size_t)x;
	return true;
}

static bool
word_hex64(struct cursor *c, uint64_t *v)
{
	const char *w;
	size_t len;
	uint64_t x = 0;

	if (!word(c, &w, &len) || len != 16)
		return false;
	for (size_t i = 0; i < len; i++) {
		int d = w[i] >= '0' && w[i] <= '9' ? w[i] - '0' :
		    w[i] >= 'a' && w[i] <= 'f' ? w[i] - 'a' + 10 : -1;

		if (d < 0)
			return false;
		x = x << 4 | (uint64_t)d;
	}
	*v = x;
	return true;
}

static bool
at_end(const struct cursor *c)
{
	return c->p == c->end;
}

bool
shard_index_parse(const char *text, size_t len, struct shard_index *out,
    char **err)
{
	struct cursor c = { text, text, text, text + len };
	struct shard_index idx;
	unsigned long long k, n, status;
	unsigned line = 0;
	const char *w;
	size_t wl, cap = 0;
	char date[11];

	memset(&idx, 0, sizeof(idx));
#define LINE()	(line++, next_line(&c))
	if (!LINE() || (size_t)(c.end - c.p) != strlen(INDEX_MAGIC) ||
	    memcmp(c.p, INDEX_MAGIC, strlen(INDEX_MAGIC)) != 0)
		goto bad;
	if (!LINE() || !word_is(&c, "shard") || !word_count(&c, SHARD_MAX,
	    &k) || !word_count(&c, SHARD_MAX, &n) || !at_end(&c) || k < 1 ||
	    k > n)
		goto bad;
	idx.k = (unsigned)k;
	idx.n = (unsigned)n;
	if (!LINE() || !word_is(&c, "inputs") || !word_size(&c, &idx.inputs) ||
	    !word_hex64(&c, &idx.list_hash) || !at_end(&c))
		goto bad;
	if (!LINE() || !word_is(&c, "selected") ||
	    !word_size(&c, &idx.selected) || !at_end(&c) ||
	    idx.selected > idx.inputs)
		goto bad;
	if (!LINE() || !word_is(&c, "as-of") || !word(&c, &w, &wl) ||
	    wl != 10 || !at_end(&c))
		goto bad;
	memcpy(date, w, 10);
	date[10] = '\0';
	if (!date_parse(date, &idx.as_of))
		goto bad;
	if (!LINE() || !word_is(&c, "status") || !word_count(&c, 255,
	    &status) || !at_end(&c))
		goto bad;
	idx.status = (int)status;
	while (LINE()) {
		struct shard_entry *e;

		if (idx.nv == cap) {
			cap = cap ? cap * 2 : 64;
			idx.v = xreallocarray(idx.v, cap, sizeof(*idx.v));
		}
		e = &idx.v[idx.nv];
		memset(e, 0, sizeof(*e));
		if (!word_is(&c, "entry") || !word_size(&c, &e->pos) ||
		    e->pos >= idx.inputs || !word_size(&c, &e->json_len) ||
		    !word_size(&c, &e->csv_len) || !word_size(&c, &e->pieces) ||
		    !word(&c, &w, &wl))
			goto bad;
		if (!(wl == 1 && w[0] == '-'))
			e->case_id = xstrndup(w, wl);
		e->source = xstrndup(c.p, (size_t)(c.end - c.p));
		idx.nv++;
	}
	if (c.next != c.stop)	/* a last line without its newline */
		goto bad;
	if (idx.nv > idx.selected) {
		*err = xasprintf("%zu entries for %zu selected inputs",
		    idx.nv, idx.selected);
		shard_index_free(&idx);
		return false;
	}
#undef LINE
	*out = idx;
	return true;
bad:
	*err = xasprintf("line %u: not what an rnpack shard index holds", line);
	shard_index_free(&idx);
	return false;
}

void
shard_index_free(struct shard_index *idx)
{
	for (size_t i = 0; i < idx->nv; i++) {
		free(idx->v[i].case_id);
		free(idx->v[i].source);
	}
	free(idx->v);
	idx->v = NULL;
	idx->nv = 0;
}
