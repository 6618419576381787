/*
 * merge.c - join the summaries and manifests of a sharded run (merge.h).
 *
 * No JSON is parsed: each shard's index (shard.h) gives the byte length
 * of every entry of its summary JSON and CSV and the entry's position in
 * the whole run.  The merge checks that the shard files are exactly the
 * entries its index describes, joined as report.c joins them, then
 * joins all entries in input order with the same report.c separators,
 * so the result is byte for byte what one run writes.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rnpack/batch.h"
#include "rnpack/buf.h"
#include "rnpack/date.h"
#include "rnpack/htmlindex.h"
#include "rnpack/merge.h"
#include "rnpack/outdir.h"
#include "rnpack/report.h"
#include "rnpack/shard.h"
#include "rnpack/sumread.h"
#include "rnpack/xalloc.h"

/* One shard's files, read. */
struct part {
	struct shard_index	 idx;
	struct buf		 json, csv, manifest;
	size_t			*json_off, *csv_off;	/* per entry */
	size_t			*row_off, *row_len;	/* manifest rows */
	size_t			*first_row;		/* per entry */
	bool			 have_manifest;
};

/* An entry of the whole run. */
struct slot {
	struct part	*part;
	size_t		 i;		/* entry in part */
};

static bool
read_file(const char *path, struct buf *b, bool *missing, char **err)
{
	*missing = false;
	if (buf_read_file(b, path, SIZE_MAX))
		return true;
	*missing = errno == ENOENT;
	*err = xasprintf("cannot read %s: %s", path, strerror(errno));
	return false;
}

/* "summary-K-of-N.json" exactly as a shard names it: k and n, or false. */
static bool
shard_json_name(const char *name, unsigned *k, unsigned *n)
{
	size_t len = strlen(name);
	char *kn, *of, *canon;
	bool ok;

	if (len < 18 || strncmp(name, "summary-", 8) != 0 ||
	    strcmp(name + len - 5, ".json") != 0)
		return false;
	kn = xstrndup(name + 8, len - 13);
	if ((of = strstr(kn, "-of-")) == NULL) {
		free(kn);
		return false;
	}
	memmove(of + 1, of + 4, strlen(of + 4) + 1);
	*of = '/';
	ok = shard_parse(kn, k, n);
	free(kn);
	if (!ok)
		return false;
	canon = shard_file_name("summary", "json", *k, *n);
	ok = strcmp(canon, name) == 0;	/* no leading zeros */
	free(canon);
	return ok;
}

/*
 * The entries of p's summary files at their offsets, checked by joining
 * them again as report.c does: the files must be exactly that.
 */
static bool
slice_summaries(struct part *p)
{
	struct buf j = BUF_INIT, c = BUF_INIT;
	size_t n = p->idx.nv, jo = 0, co = 0;
	bool ok = true;

	p->json_off = xcalloc(n + 1, sizeof(size_t));
	p->csv_off = xcalloc(n + 1, sizeof(size_t));
	report_summary_csv_header(&c);
	co = c.len;
	for (size_t i = 0; i < n && ok; i++) {
		const struct shard_entry *e = &p->idx.v[i];

		report_summary_json_sep(&j, i, n);
		jo += j.len;
		buf_reset(&j);
		if (e->json_len > p->json.len || jo > p->json.len -
		    e->json_len || e->csv_len > p->csv.len || co >
		    p->csv.len - e->csv_len) {
			ok = false;
			break;
		}
		p->json_off[i] = jo;
		p->csv_off[i] = co;
		jo += e->json_len;
		co += e->csv_len;
	}
	if (ok) {
		/* Rebuild the files from the slices and compare. */
		size_t clen = c.len;

		buf_reset(&j);
		for (size_t i = 0; i < n; i++) {
			report_summary_json_sep(&j, i, n);
			buf_add(&j, p->json.ptr + p->json_off[i],
			    p->idx.v[i].json_len);
			buf_add(&c, p->csv.ptr + p->csv_off[i],
			    p->idx.v[i].csv_len);
		}
		report_summary_json_sep(&j, n, n);
		ok = j.len == p->json.len &&
		    memcmp(j.ptr, p->json.ptr, j.len) == 0 &&
		    c.len == p->csv.len &&
		    memcmp(c.ptr, p->csv.ptr, clen) == 0;
		/* Each row one line: a CSV row ends its line, alone. */
		for (size_t i = 0; i < n && ok; i++) {
			const char *r = p->csv.ptr + p->csv_off[i];
			size_t len = p->idx.v[i].csv_len;

			ok = len >= 2 && memchr(r, '\n', len) == r + len - 1 &&
			    r[len - 2] == '\r';
		}
	}
	buf_free(&j);
	buf_free(&c);
	return ok;
}

/* Split p's manifest into rows and hand them to its entries. */
static bool
slice_manifest(struct part *p, size_t rows, const struct buf *header)
{
	const char *s = p->manifest.ptr, *end = s + p->manifest.len, *nl;
	size_t k = 0, r = 0;

	if (p->manifest.len < header->len + 2 ||
	    memcmp(s, header->ptr, header->len) != 0 ||
	    memcmp(s + header->len, "\r\n", 2) != 0)
		return false;
	s += header->len + 2;
	p->row_off = xcalloc(rows + 1, sizeof(size_t));
	p->row_len = xcalloc(rows + 1, sizeof(size_t));
	p->first_row = xcalloc(p->idx.nv + 1, sizeof(size_t));
	for (; s < end; s = nl + 1) {
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL ||
		    nl == s || nl[-1] != '\r' || r == rows)
			return false;
		p->row_off[r] = (size_t)(s - p->manifest.ptr);
		p->row_len[r] = (size_t)(nl - 1 - s);	/* without CRLF */
		r++;
	}
	if (r != rows)
		return false;
	for (size_t i = 0; i < p->idx.nv; i++) {
		p->first_row[i] = k;
		k += p->idx.v[i].pieces;
	}
	return true;
}

struct claim {
	char		*key;		/* folded id */
	const char	*id;
	size_t		 pos;
	const struct part *part;
	size_t		 i;
};

static int
cmp_claim(const void *a, const void *b)
{
	const struct claim *x = a, *y = b;
	int d = strcmp(x->key, y->key);

	return d != 0 ? d : x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Ids claimed in more than one shard, on stderr; true if any. */
static bool
report_duplicates(const char *out, struct part *parts, unsigned n)
{
	struct claim *v;
	size_t nv = 0, total = 0;
	bool any = false;

	for (unsigned k = 0; k < n; k++)
		total += parts[k].idx.nv;
	v = xcalloc(total + 1, sizeof(*v));
	for (unsigned k = 0; k < n; k++)
		for (size_t i = 0; i < parts[k].idx.nv; i++) {
			const struct shard_entry *e = &parts[k].idx.v[i];

			if (e->case_id == NULL)
				continue;
			v[nv].key = xstrdup(e->case_id);
			for (char *q = v[nv].key; *q; q++)
				if (*q >= 'A' && *q <= 'Z')
					*q = (char)(*q - 'A' + 'a');
			v[nv].id = e->case_id;
			v[nv].pos = e->pos;
			v[nv].part = &parts[k];
			v[nv].i = i;
			nv++;
		}
	qsort(v, nv, sizeof(*v), cmp_claim);
	for (size_t a = 0, b; a < nv; a = b) {
		for (b = a + 1; b < nv && strcmp(v[a].key, v[b].key) == 0; b++)
			;
		if (b - a < 2)
			continue;
		any = true;
		fprintf(stderr, "rnpack: case id %s is in more than one shard:",
		    v[a].id);
		for (size_t c = a; c < b; c++)
			fprintf(stderr, "%s shard %u of %u (%s)",
			    c > a ? "," : "", v[c].part->idx.k,
			    v[c].part->idx.n,
			    v[c].part->idx.v[v[c].i].source);
		fprintf(stderr, "; every shard processed its own, and one "
		    "case folder in %s may hold whichever finished last (an "
		    "unsharded run processes only the first and reports the "
		    "others as duplicate-case-id)\n", out);
	}
	for (size_t i = 0; i < nv; i++)
		free(v[i].key);
	free(v);
	return any;
}

static void
part_free(struct part *p)
{
	shard_index_free(&p->idx);
	buf_free(&p->json);
	buf_free(&p->csv);
	buf_free(&p->manifest);
	free(p->json_off);
	free(p->csv_off);
	free(p->row_off);
	free(p->row_len);
	free(p->first_row);
}

/* Every summary-K-of-N.json in out: sets *n (0: none); false on mixed N. */
static bool
find_shards(const char *out, unsigned *n, bool **seen)
{
	struct dirent *de;
	unsigned k, nn, first_n = 0;
	char *first = NULL;
	bool ok = true;
	DIR *d;

	*n = 0;
	*seen = NULL;
	if ((d = opendir(out)) == NULL) {
		fprintf(stderr, "rnpack: --merge-summaries %s: cannot read the "
		    "folder: %s\n", out, strerror(errno));
		return false;
	}
	while ((de = readdir(d)) != NULL) {
		if (!shard_json_name(de->d_name, &k, &nn))
			continue;
		if (first == NULL) {
			first = xstrdup(de->d_name);
			first_n = nn;
			*seen = xcalloc((size_t)nn + 1, sizeof(**seen));
		} else if (nn != first_n) {
			fprintf(stderr, "rnpack: %s/%s and %s/%s are shards of "
			    "runs with a different N: remove the summaries of "
			    "the older run\n", out, first, out, de->d_name);
			ok = false;
			break;
		}
		(*seen)[k] = true;
	}
	closedir(d);
	free(first);
	if (!ok) {
		free(*seen);
		*seen = NULL;
		return false;
	}
	*n = first_n;
	return true;
}

/* Read and check shard k's files into p; false after a message. */
static bool
load_part(const char *out, unsigned k, unsigned n, struct part *p)
{
	char *path, *err = NULL, *name;
	struct buf text = BUF_INIT;
	bool missing, ok = false;

	name = shard_file_name("summary", "index", k, n);
	path = xasprintf("%s/%s", out, name);
	if (!read_file(path, &text, &missing, &err)) {
		if (missing)
			fprintf(stderr, "rnpack: shard %u of %u did not finish: "
			    "%s is missing (run that shard again)\n", k, n, path);
		else
			fprintf(stderr, "rnpack: %s\n", err);
		goto out;
	}
	if (!shard_index_parse(text.ptr, text.len, &p->idx, &err)) {
		fprintf(stderr, "rnpack: %s: %s\n", path, err);
		goto out;
	}
	if (p->idx.k != k || p->idx.n != n) {
		fprintf(stderr, "rnpack: %s: says shard %u of %u\n", path,
		    p->idx.k, p->idx.n);
		goto out;
	}
	if (p->idx.nv != p->idx.selected) {
		fprintf(stderr, "rnpack: shard %u of %u was interrupted: its "
		    "summary covers %zu of its %zu inputs (run that shard "
		    "again)\n", k, n, p->idx.nv, p->idx.selected);
		goto out;
	}
	for (int f = 0; f < 2; f++) {
		free(name);
		free(path);
		free(err);
		err = NULL;
		name = shard_file_name("summary", f ? "csv" : "json", k, n);
		path = xasprintf("%s/%s", out, name);
		if (!read_file(path, f ? &p->csv : &p->json, &missing, &err)) {
			fprintf(stderr, "rnpack: %s\n", err);
			goto out;
		}
	}
	if (!slice_summaries(p)) {
		fprintf(stderr, "rnpack: %s/summary-%u-of-%u.json and .csv do "
		    "not match their .index (left by another run?): run shard "
		    "%u of %u again\n", out, k, n, k, n);
		goto out;
	}
	ok = true;
out:
	free(name);
	free(path);
	free(err);
	buf_free(&text);
	return ok;
}

/* The shards' manifests, when they wrote any; false after a message. */
static bool
load_manifests(const char *out, struct part *parts, unsigned n,
    struct buf *header, bool *any)
{
	bool ok = true;

	*any = false;
	for (unsigned k = 0; k < n && ok; k++) {
		struct part *p = &parts[k];
		size_t rows = 0;
		char *name, *path, *err = NULL;
		bool missing;

		for (size_t i = 0; i < p->idx.nv; i++)
			rows += p->idx.v[i].pieces;
		if (rows == 0)
			continue;	/* an old manifest is not this run's */
		name = shard_file_name("manifest", "csv", k + 1, n);
		path = xasprintf("%s/mail/%s", out, name);
		if (!read_file(path, &p->manifest, &missing, &err)) {
			fprintf(stderr, "rnpack: %s\n", err);
			ok = false;
		} else {
			if (header->len == 0) {
				const char *nl = memchr(p->manifest.ptr, '\n',
				    p->manifest.len);

				if (nl != NULL && nl > p->manifest.ptr &&
				    nl[-1] == '\r')
					buf_add(header, p->manifest.ptr,
					    (size_t)(nl - 1 - p->manifest.ptr));
			}
			p->have_manifest = true;
			*any = true;
			if (header->len == 0 ||
			    !slice_manifest(p, rows, header)) {
				fprintf(stderr, "rnpack: %s does not match "
				    "%s/summary-%u-of-%u.index (%zu rows "
				    "expected): run shard %u of %u again\n",
				    path, out, k + 1, n, rows, k + 1, n);
				ok = false;
			}
		}
		free(err);
		free(name);
		free(path);
	}
	return ok;
}

/*
 * The merged run's index.html into page, from the shards' summary
 * entries read back; false (with a message) when one cannot be read.
 */
static bool
merged_index(const char *out, const struct slot *slots, size_t total,
    int32_t as_of, struct buf *page)
{
	struct run_entry *ents = xcalloc(total + 1, sizeof(*ents));
	struct index_entry *v = xcalloc(total + 1, sizeof(*v));
	const char **names = xcalloc(HTMLINDEX_MAX_PIECES * total + 1,
	    sizeof(*names));
	char day[11], *title;
	bool ok = true;

	for (size_t s = 0; s < total && ok; s++) {
		const struct part *p = slots[s].part;
		size_t i = slots[s].i;

		ok = sumread_entry(p->json.ptr + p->json_off[i],
		    p->idx.v[i].json_len, &ents[s]);
		if (!ok) {
			fprintf(stderr, "rnpack: %s/summary-%u-of-%u.json: "
			    "entry %zu cannot be read back\n", out, p->idx.k,
			    p->idx.n, i + 1);
			break;
		}
		v[s].source = ents[s].source;
		v[s].case_id = ents[s].case_id;
		v[s].status = ents[s].status;
		v[s].findings = &ents[s].findings;
		htmlindex_find_files(&v[s], out,
		    names + HTMLINDEX_MAX_PIECES * s);
	}
	if (ok) {
		date_format_iso(as_of, day);
		title = xasprintf("rnpack run as of %s", day);
		htmlindex_write(page, title, v, total);
		free(title);
	}
	for (size_t s = 0; s < total; s++)
		run_entry_free(&ents[s]);
	free(ents);
	free(v);
	free(names);
	return ok;
}

static enum exit_level
write_merged(const char *out, const struct slot *slots, size_t total,
    const struct buf *header, const struct buf *page)
{
	struct buf json = BUF_INIT, csv = BUF_INIT, man = BUF_INIT;
	struct outdir *o;
	char *err = NULL;
	enum exit_level status = EXIT_COMPLETE;

	report_summary_csv_header(&csv);
	for (size_t s = 0; s < total; s++) {
		const struct part *p = slots[s].part;
		size_t i = slots[s].i;

		report_summary_json_sep(&json, s, total);
		buf_add(&json, p->json.ptr + p->json_off[i],
		    p->idx.v[i].json_len);
		buf_add(&csv, p->csv.ptr + p->csv_off[i], p->idx.v[i].csv_len);
	}
	report_summary_json_sep(&json, total, total);
	if (header->len > 0) {
		/* Each row names its shard's print file (print_file). */
		buf_add(&man, header->ptr, header->len);
		buf_adds(&man, "\r\n");
		for (size_t s = 0; s < total; s++) {
			const struct part *p = slots[s].part;
			size_t i = slots[s].i;

			if (!p->have_manifest)
				continue;
			for (size_t r = p->first_row[i];
			    r < p->first_row[i] + p->idx.v[i].pieces; r++) {
				buf_add(&man, p->manifest.ptr + p->row_off[r],
				    p->row_len[r]);
				buf_adds(&man, "\r\n");
			}
		}
	}
	/* Like any run that writes the folder: alone (no shard running). */
	if ((o = outdir_open(out, &err)) == NULL ||
	    !outdir_lock(o, 0, 0, 30000, &err) ||
	    !outdir_write(o, NULL, "summary.json", json.ptr, json.len, &err) ||
	    !outdir_write(o, NULL, "summary.csv", csv.ptr, csv.len, &err) ||
	    (header->len > 0 && !outdir_write(o, "mail", "manifest.csv",
	    man.ptr, man.len, &err)) ||
	    !outdir_write(o, NULL, "index.html", page->ptr, page->len,
	    &err)) {
		fprintf(stderr, "rnpack: %s\n", err);
		free(err);
		status = EXIT_OUTPUT;
	}
	outdir_close(o);
	buf_free(&json);
	buf_free(&csv);
	buf_free(&man);
	return status;
}

enum exit_level
merge_summaries(const char *out)
{
	struct part *parts = NULL;
	struct slot *slots = NULL;
	struct buf header = BUF_INIT;	/* of the shards' manifests */
	struct buf page = BUF_INIT;	/* index.html */
	bool *seen = NULL, manifests = false, ok = true;
	unsigned n;
	size_t total = 0;
	enum exit_level status = EXIT_CONFIG, worst = EXIT_COMPLETE;

	if (!find_shards(out, &n, &seen))
		return EXIT_CONFIG;
	if (n == 0) {
		fprintf(stderr, "rnpack: --merge-summaries %s: no shard "
		    "summary (summary-K-of-N.json) in that folder\n", out);
		return EXIT_CONFIG;
	}
	for (unsigned k = 1; k <= n; k++)
		if (!seen[k]) {
			fprintf(stderr, "rnpack: shard %u of %u is missing: no "
			    "%s/summary-%u-of-%u.json (run rnpack --shard "
			    "%u/%u)\n", k, n, out, k, n, k, n);
			ok = false;
		}
	free(seen);
	if (!ok)
		return EXIT_CONFIG;

	parts = xcalloc(n, sizeof(*parts));
	for (unsigned k = 0; k < n; k++) {
		buf_init(&parts[k].json);
		buf_init(&parts[k].csv);
		buf_init(&parts[k].manifest);
	}
	for (unsigned k = 0; k < n && ok; k++)
		ok = load_part(out, k + 1, n, &parts[k]);
	for (unsigned k = 1; k < n && ok; k++) {
		const struct shard_index *a = &parts[0].idx,
		    *b = &parts[k].idx;

		if (a->inputs != b->inputs || a->list_hash != b->list_hash) {
			fprintf(stderr, "rnpack: shards 1 and %u of %u were run "
			    "over different inputs (%zu and %zu files, or "
			    "other names): run every shard over the same "
			    "inputs\n", k + 1, n, a->inputs, b->inputs);
			ok = false;
		} else if (a->as_of != b->as_of) {
			fprintf(stderr, "rnpack: shards 1 and %u of %u were run "
			    "with different --as-of dates\n", k + 1, n);
			ok = false;
		}
	}
	if (ok) {
		/* The shards of one input list partition it. */
		total = parts[0].idx.inputs;
		slots = xcalloc(total + 1, sizeof(*slots));
		for (unsigned k = 0; k < n && ok; k++)
			for (size_t i = 0; i < parts[k].idx.nv && ok; i++) {
				size_t pos = parts[k].idx.v[i].pos;

				if (slots[pos].part != NULL) {
					fprintf(stderr, "rnpack: input %zu is "
					    "in shards %u and %u of %u\n",
					    pos + 1, slots[pos].part->idx.k,
					    k + 1, n);
					ok = false;
				}
				slots[pos].part = &parts[k];
				slots[pos].i = i;
			}
		for (size_t pos = 0; pos < total && ok; pos++)
			if (slots[pos].part == NULL) {
				fprintf(stderr, "rnpack: input %zu is in no "
				    "shard\n", pos + 1);
				ok = false;
			}
	}
	if (ok)
		ok = load_manifests(out, parts, n, &header, &manifests);
	if (ok)
		ok = merged_index(out, slots, total, parts[0].idx.as_of,
		    &page);
	if (ok) {
		enum exit_level written;

		for (unsigned k = 0; k < n; k++)
			exit_raise(&worst,
			    (enum exit_level)parts[k].idx.status);
		if (report_duplicates(out, parts, n))
			exit_raise(&worst, EXIT_INVALID);
		written = write_merged(out, slots, total, &header, &page);
		exit_raise(&worst, written);
		if (written == EXIT_COMPLETE)
			fprintf(stderr, "rnpack: merged %u shards, %zu inputs, "
			    "into %s/summary.json, summary.csv%s and "
			    "index.html\n", n, total, out, manifests ?
			    ", mail/manifest.csv" : "");
		status = worst;
	}
	for (unsigned k = 0; k < n; k++)
		part_free(&parts[k]);
	free(parts);
	free(slots);
	buf_free(&header);
	buf_free(&page);
	return status;
}
