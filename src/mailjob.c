/*
 * mailjob.c - one print job folder (see mailjob.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rnpack/atomicio.h"
#include "rnpack/buf.h"
#include "rnpack/date.h"
#include "rnpack/digest.h"
#include "rnpack/mailjob.h"
#include "rnpack/mailweight.h"
#include "rnpack/outdir.h"
#include "rnpack/policy.h"
#include "rnpack/printfile.h"
#include "rnpack/report.h"
#include "rnpack/xalloc.h"

#define TMP_MARK	".tmp-"		/* ".JOB.tmp-HOST-PID" */
#define PIECE_MAX	(64u * 1024 * 1024)

void
mailjob_piece_free(struct job_piece *r)
{
	free(r->case_id);
	free(r->name);
	free(r->address);
	free(r->enclosures);
	free(r->pdf);
	free(r->src);
}

/* ------------------------------------------------------------------ */
/* Names. */

void
mailjob_host(char *out, size_t size)
{
	char h[256];

	if (gethostname(h, sizeof(h)) != 0 || h[0] == '\0')
		snprintf(h, sizeof(h), "localhost");
	h[sizeof(h) - 1] = '\0';
	for (char *p = h; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.'))
			*p = '_';
	snprintf(out, size, "%s", h);
}

static void
suffix_of(unsigned k, unsigned n, char *out, size_t size)
{
	if (n == 0)
		out[0] = '\0';
	else
		snprintf(out, size, "-%u-of-%u", k, n);
}

/*
 * The number of a job name "DATE-NNN" + suffix exactly (tmp: followed
 * by ".tmp-"), or 0 when the name is not one of ours.
 */
static unsigned long
job_number(const char *name, const char *date, const char *suffix, bool tmp)
{
	size_t dl = strlen(date), sl = strlen(suffix);
	unsigned long v = 0;
	const char *p;

	if (strncmp(name, date, dl) != 0 || name[dl] != '-')
		return 0;
	p = name + dl + 1;
	if (!(*p >= '0' && *p <= '9'))
		return 0;
	while (*p >= '0' && *p <= '9' && v < 1000000)
		v = v * 10 + (unsigned long)(*p++ - '0');
	if (strncmp(p, suffix, sl) != 0)
		return 0;
	p += sl;
	if (tmp)
		return strncmp(p, TMP_MARK, strlen(TMP_MARK)) == 0 ? v : 0;
	return *p == '\0' ? v : 0;
}

/*
 * A descriptor of its own for the folder dfd: readdir() on a dup()
 * would share (and leave at its end) the original's position.
 */
static int
reopen(int dfd)
{
	return openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

void
mailjob_next_name(int jobs_fd, const char *const *names, size_t n,
    int32_t as_of, unsigned k, unsigned nshards, char *out, size_t size)
{
	char date[11], suffix[32];
	unsigned long top = 0, v;
	struct dirent *de;
	DIR *d;
	int fd;

	date_format_iso(as_of, date);
	suffix_of(k, nshards, suffix, sizeof(suffix));
	for (size_t i = 0; i < n; i++)
		if ((v = job_number(names[i], date, suffix, false)) > top)
			top = v;
	if ((fd = reopen(jobs_fd)) >= 0 && (d = fdopendir(fd)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				v = job_number(de->d_name + 1, date, suffix,
				    true);
			else
				v = job_number(de->d_name, date, suffix, false);
			if (v > top)
				top = v;
		}
		closedir(d);
	} else if (fd >= 0)
		close(fd);
	snprintf(out, size, "%s-%03lu%s", date, top + 1, suffix);
}

/* Remove a folder's files, then the folder, relative to dfd. */
static bool
remove_tree_at(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	struct dirent *de;
	DIR *d;

	if (fd < 0)
		return errno == ENOENT;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return false;
	}
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
	return unlinkat(dfd, name, AT_REMOVEDIR) == 0 || errno == ENOENT;
}

bool
mailjob_remove_tree(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	bool ok;
	int dfd;

	if (slash == NULL)
		return false;
	dir = xstrndup(path, (size_t)(slash - path));
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (dfd < 0)
		return false;
	ok = remove_tree_at(dfd, slash + 1);
	close(dfd);
	return ok;
}

/* Whether an intent of ms names the temporary jobs/name. */
static bool
named_by_intent(const struct mailstate *ms, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; ms != NULL && i < mailstate_intent_count(ms); i++) {
		const char *t = mailstate_intent_at(ms, i)->tmp_path;
		size_t tl = strlen(t);

		if (tl > len && strcmp(t + tl - len, name) == 0 &&
		    t[tl - len - 1] == '/')
			return true;
	}
	return false;
}

void
mailjob_clean(int jobs_fd, const struct mailstate *ms, const char *host,
    unsigned k, unsigned n, const char *out_path)
{
	char suffix[32];
	struct dirent *de;
	DIR *d;
	int fd;

	suffix_of(k, n, suffix, sizeof(suffix));
	if ((fd = reopen(jobs_fd)) < 0)
		return;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		const char *mark = strstr(de->d_name, TMP_MARK), *dash;
		char *job, *who;
		long pid;
		bool ours;

		if (de->d_name[0] != '.' || mark == NULL ||
		    named_by_intent(ms, de->d_name))
			continue;
		/* ".JOB" + suffix, then ".tmp-HOST-PID". */
		job = xstrndup(de->d_name + 1, (size_t)(mark - de->d_name - 1));
		ours = strlen(job) >= strlen(suffix) &&
		    strcmp(job + strlen(job) - strlen(suffix), suffix) == 0 &&
		    (n > 0 || strstr(job, "-of-") == NULL);
		who = xstrdup(mark + strlen(TMP_MARK));
		dash = strrchr(who, '-');
		pid = dash ? strtol(dash + 1, NULL, 10) : 0;
		if (dash)
			who[dash - who] = '\0';
		if (strcmp(who, host) != 0)
			fprintf(stderr, "rnpack: %s/mail/jobs/%s: another host's "
			    "unfinished print job, left alone\n", out_path,
			    de->d_name);
		else if (ours && pid > 0 && (pid == (long)getpid() ||
		    (kill((pid_t)pid, 0) != 0 && errno == ESRCH)))
			remove_tree_at(jobs_fd, de->d_name);
		free(job);
		free(who);
	}
	closedir(d);
}

/* ------------------------------------------------------------------ */
/* Building. */

void
mailjob_init(struct mailjob *j, const struct policy *p, struct outdir *out,
    int jobs_fd, const char *name, const char *host)
{
	memset(j, 0, sizeof(*j));
	j->policy = p;
	j->out = out;
	j->jobs_fd = jobs_fd;
	j->tmp_fd = -1;
	snprintf(j->name, sizeof(j->name), "%s", name);
	snprintf(j->tmp_name, sizeof(j->tmp_name), ".%s" TMP_MARK "%s-%ld",
	    name, host, (long)getpid());
}

static bool	classify_piece(struct mailjob *, struct job_piece *, char **);

bool
mailjob_check_piece(struct mailjob *j, struct job_piece *r, char **err)
{
	return classify_piece(j, r, err);
}

/* Print order: domestic by ZIP+4 (a 5-digit ZIP before its ZIP+4s),
 * then foreign by country and postal code; ties in input order. */
static int
cmp_print(const void *a, const void *b)
{
	const struct job_piece *x = *(struct job_piece *const *)a;
	const struct job_piece *y = *(struct job_piece *const *)b;
	int d;

	if (x->foreign != y->foreign)
		return x->foreign ? 1 : -1;
	if (!x->foreign && (d = strcmp(x->zip, y->zip)) != 0)
		return d;
	if (x->foreign && ((d = strcmp(x->country, y->country)) != 0 ||
	    (d = strcmp(x->postal, y->postal)) != 0))
		return d;
	if (x->input != y->input)
		return x->input < y->input ? -1 : 1;
	return (x->copy > y->copy) - (x->copy < y->copy);
}

/* Write a whole file into the temporary folder, synced. */
static bool
put_file(struct mailjob *j, const char *name, const struct buf *b,
    char **err)
{
	char *shown = xasprintf("%s/mail/jobs/%s/%s", outdir_path(j->out),
	    j->tmp_name, name);
	bool ok = atomicio_replace(j->tmp_fd, name, shown, b->ptr, b->len,
	    0640, 0, err);

	free(shown);
	return ok;
}

static bool
sync_file(struct mailjob *j, const char *name, char **err)
{
	int fd = openat(j->tmp_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	bool ok = fd >= 0 && fchmod(fd, 0640) == 0 && fsync(fd) == 0;

	if (fd >= 0 && close(fd) != 0)
		ok = false;
	if (!ok)
		*err = xasprintf("cannot sync %s: %s", name, strerror(errno));
	return ok;
}

static char *
volume_name(const char *stem, size_t k, size_t nvol)
{
	if (nvol == 1)
		return xasprintf("%s.pdf", stem);
	return xasprintf("%s-vol%0*zu-of-%zu.pdf", stem,
	    snprintf(NULL, 0, "%zu", nvol), k, nvol);
}

static bool
is_letter(const struct job_piece *r)
{
	return strcmp(r->kind, "letter") == 0;
}

/* Letters first (letters.pdf), then flats and parcels (flats.pdf). */
static int
cmp_job(const void *a, const void *b)
{
	const struct job_piece *x = *(struct job_piece *const *)a;
	const struct job_piece *y = *(struct job_piece *const *)b;

	if (is_letter(x) != is_letter(y))
		return is_letter(x) ? -1 : 1;
	return cmp_print(a, b);
}

/* Its pages, sheets, kind and weight, before it is printed. */
static bool
classify_piece(struct mailjob *j, struct job_piece *r, char **err)
{
	size_t pages = r->src_count;
	struct piece_weight w;
	char *path = NULL;
	bool ok = true;

	if (r->src == NULL || pages == 0) {
		path = r->src ? xstrdup(r->src) : xasprintf("%s/%s",
		    outdir_path(j->out), r->pdf);
		ok = printfile_pages(path, &pages, err);
		free(path);
	}
	/* The one place a piece is classified (mailweight.h). */
	mailweight_classify(j->policy, (int)pages, 0, &w);
	r->sheets = (size_t)w.sheets;
	r->kind = mailweight_kind_name(w.kind);
	r->weight_oz = w.weight_oz;
	return ok;
}

static bool	assemble(struct mailjob *, struct job_piece **, size_t,
		    const char *, char **);

/* The print files of one kind: v[0..n) into STEM.pdf or its volumes. */
static bool
assemble_kind(struct mailjob *j, struct job_piece **v, size_t n,
    const char *stem, char **err)
{
	size_t per = j->policy->print_max_pieces > 0 ?
	    (size_t)j->policy->print_max_pieces : POLICY_PRINT_MAX_PIECES;
	size_t nvol = (n + per - 1) / per;
	bool ok = true;

	for (size_t k = 0; k < nvol && ok; k++) {
		size_t lo = k * per, m = n - lo < per ? n - lo : per;
		char *name = volume_name(stem, k + 1, nvol);

		j->files[j->nfiles++] = name;
		ok = assemble(j, v + lo, m, name, err);
		for (size_t i = lo; i < lo + m && ok; i++)
			snprintf(v[i]->file, sizeof(v[i]->file), "%s", name);
	}
	return ok;
}

/* One print file from v[0..n). */
static bool
assemble(struct mailjob *j, struct job_piece **v, size_t n, const char *name,
    char **err)
{
	struct print_item *items = xcalloc(n, sizeof(*items));
	char **paths = xcalloc(n, sizeof(*paths));
	char **titles = xcalloc(n, sizeof(*titles));
	char *path = xasprintf("/proc/self/fd/%d/%s", j->tmp_fd, name);
	bool ok;

	for (size_t i = 0; i < n; i++) {
		paths[i] = xasprintf("%s/%s", outdir_path(j->out), v[i]->pdf);
		titles[i] = xasprintf("%s %s (%s)", v[i]->zip[0] ? v[i]->zip :
		    "foreign", v[i]->case_id, v[i]->recipient);
		items[i].path = v[i]->src ? v[i]->src : paths[i];
		items[i].from = v[i]->src ? v[i]->src_from : 0;
		items[i].count = v[i]->src ? v[i]->src_count : 0;
		items[i].title = titles[i];
		items[i].case_id = v[i]->case_id;
	}
	ok = printfile_assemble(items, n, path, err) &&
	    sync_file(j, name, err);
	for (size_t i = 0; i < n; i++) {
		/* The state keeps the digest of what the job holds. */
		if (ok && v[i]->state == PIECE_NEW)
			memcpy(v[i]->digest, items[i].digest,
			    sizeof(v[i]->digest));
		else if (ok && strcmp(v[i]->digest, items[i].digest) != 0)
			fprintf(stderr, "rnpack: %s (%s): the reprint's pages "
			    "differ from the first print's\n", v[i]->case_id,
			    v[i]->recipient);
		v[i]->first = items[i].first;
		v[i]->pages = items[i].pages;
		v[i]->sheets = items[i].sheets;
		free(paths[i]);
		free(titles[i]);
	}
	free(paths);
	free(titles);
	free(items);
	free(path);
	return ok;
}

/* The fields of one CSV row at *p (quoted or bare; "" a quote); *p
 * moves past its line end.  Returns how many went into f. */
static size_t
csv_row(const char **p, const char *end, char **f, size_t max)
{
	size_t n = 0;
	const char *s = *p;

	while (s < end && n < max) {
		struct buf b = BUF_INIT;

		if (*s == '"') {
			for (s++; s < end; s++) {
				if (*s == '"' && s + 1 < end && s[1] == '"')
					buf_addc(&b, *s++);
				else if (*s == '"') {
					s++;
					break;
				} else
					buf_addc(&b, *s);
			}
		} else
			for (; s < end && *s != ',' && *s != '\r' &&
			    *s != '\n'; s++)
				buf_addc(&b, *s);
		f[n++] = b.ptr ? buf_detach(&b) : xstrdup("");
		if (s < end && *s == ',') {
			s++;
			continue;
		}
		break;
	}
	while (s < end && *s != '\n')
		s++;
	*p = s < end ? s + 1 : end;
	return n;
}

bool
mailjob_locate(struct outdir *out, const char *job, const char *case_id,
    const char *recipient, const char *digest, char **path, size_t *from,
    size_t *count)
{
	char *rel = xasprintf("mail/jobs/%s", job), *err = NULL, *f[17];
	char hex[DIGEST_HEX_SIZE];
	struct buf b = BUF_INIT;
	const char *p, *end;
	bool found = false;
	int dfd, fd;

	*path = NULL;
	dfd = outdir_open_dir(out, rel, false, &err);
	free(err);
	free(rel);
	if (dfd < 0)
		return false;
	fd = openat(dfd, "manifest.csv", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	close(dfd);
	if (fd < 0 || !buf_read_fd(&b, fd, PIECE_MAX)) {
		if (fd >= 0)
			close(fd);
		buf_free(&b);
		return false;
	}
	close(fd);
	p = b.ptr;
	end = b.ptr + b.len;
	csv_row(&p, end, f, 17);	/* the header */
	for (size_t k = 0; k < 17; k++)
		free(f[k]);
	while (p < end && !found) {
		size_t n = csv_row(&p, end, f, 17);
		unsigned long a, z;

		/* case, recipient, ..., pages (8), ..., print_file (13) */
		if (n == 17 && strcmp(f[0], case_id) == 0 &&
		    strcmp(f[1], recipient) == 0 &&
		    sscanf(f[8], "%lu-%lu", &a, &z) == 2 && a >= 1 && z >= a &&
		    strchr(f[13], '/') == NULL && f[13][0] != '.') {
			*path = xasprintf("%s/mail/jobs/%s/%s",
			    outdir_real(out), job, f[13]);
			*from = a;
			*count = z - a + 1;
			found = true;
		}
		for (size_t k = 0; k < n; k++)
			free(f[k]);
	}
	buf_free(&b);
	if (found && (!printfile_digest(*path, *from, *count, hex, &err) ||
	    strcmp(hex, digest) != 0)) {
		free(err);
		free(*path);
		*path = NULL;
		found = false;
	}
	return found;
}

static void
csv(struct buf *b, const char *s, bool last)
{
	report_csv_field(b, s);
	buf_adds(b, last ? "\r\n" : ",");
}

void
mailjob_manifest_header(struct buf *b)
{
	buf_adds(b, "case,recipient,name,address,zip,tracking,routing,bars,"
	    "pages,sheets,enclosures,response_due,status,print_file,job,kind,"
	    "weight_oz\r\n");
}

void
mailjob_manifest_row(struct buf *b, const struct job_piece *r,
    const char *status)
{
	char pages[48] = "", sheets[16] = "", weight[24] = "";

	if (r->file[0] && r->pages > 0) {
		snprintf(pages, sizeof(pages), "%zu-%zu", r->first,
		    r->first + r->pages - 1);
		snprintf(sheets, sizeof(sheets), "%zu", r->sheets);
		snprintf(weight, sizeof(weight), "%.2f", r->weight_oz);
	}
	csv(b, r->case_id, false);
	csv(b, r->recipient, false);
	csv(b, r->name, false);
	csv(b, r->address, false);
	csv(b, r->zip, false);
	csv(b, r->tracking, false);
	csv(b, r->routing, false);
	csv(b, r->bars, false);
	csv(b, pages, false);
	csv(b, sheets, false);
	csv(b, r->enclosures, false);
	csv(b, r->due, false);
	csv(b, status, false);
	csv(b, r->file, false);
	csv(b, r->job, false);
	csv(b, r->file[0] ? r->kind : "", false);
	csv(b, weight, true);
}

/* ticket.txt: a section per print file. */
static void
ticket(struct mailjob *j, struct job_piece **v, size_t n, struct buf *b)
{
	buf_addf(b, "Print job %s\r\n", j->name);
	for (size_t f = 0; f < j->nfiles; f++) {
		size_t pieces = 0, sheets = 0, pages = 0, foreign = 0;
		size_t flats = 0, parcels = 0;
		const char *first = NULL, *last = NULL;
		double oz = 0;

		for (size_t i = 0; i < n; i++) {
			const struct job_piece *r = v[i];

			if (strcmp(r->file, j->files[f]) != 0)
				continue;
			pieces++;
			sheets += r->sheets;
			pages += r->pages + r->pages % 2;
			foreign += r->foreign;
			flats += strcmp(r->kind, "flat") == 0;
			parcels += strcmp(r->kind, "parcel") == 0;
			oz += r->weight_oz;
			if (!r->foreign) {
				if (first == NULL)
					first = r->zip;
				last = r->zip;
			}
		}
		buf_addf(b, "\r\n[%s]\r\npieces: %zu\r\nsheets: %zu\r\n"
		    "pages: %zu\r\nfirst ZIP: %s\r\nlast ZIP: %s\r\n"
		    "foreign pieces: %zu\r\nflats: %zu\r\nparcels: %zu\r\n"
		    "total weight: %.2f oz\r\n", j->files[f], pieces, sheets,
		    pages, first ? first : "-", last ? last : "-", foreign,
		    flats, parcels, oz);
	}
}

bool
mailjob_build(struct mailjob *j, struct job_piece **v, size_t n, char **err)
{
	struct buf b = BUF_INIT;
	size_t nletters = 0;
	bool ok = true;

	if (mkdirat(j->jobs_fd, j->tmp_name, 0750) != 0) {
		*err = xasprintf("cannot create mail/jobs/%s: %s", j->tmp_name,
		    strerror(errno));
		return false;
	}
	j->made = true;
	j->tmp_fd = openat(j->jobs_fd, j->tmp_name, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC);
	if (j->tmp_fd < 0) {
		*err = xasprintf("cannot open mail/jobs/%s: %s", j->tmp_name,
		    strerror(errno));
		return false;
	}
	qsort(v, n, sizeof(*v), cmp_job);
	while (nletters < n && is_letter(v[nletters]))
		nletters++;
	j->files = xcalloc(n + 2, sizeof(*j->files));
	/* A print file only when it holds a piece. */
	if (nletters > 0)
		ok = assemble_kind(j, v, nletters, "letters", err);
	if (ok && n > nletters)
		ok = assemble_kind(j, v + nletters, n - nletters, "flats", err);
	if (ok) {
		mailjob_manifest_header(&b);
		for (size_t i = 0; i < n; i++) {
			/* The job's own rows name the job. */
			char keep[MAILSTATE_JOB_SIZE];

			memcpy(keep, v[i]->job, sizeof(keep));
			snprintf(v[i]->job, sizeof(v[i]->job), "%s", j->name);
			mailjob_manifest_row(&b, v[i], v[i]->state ==
			    PIECE_REPRINT ? "reprint" : "new");
			memcpy(v[i]->job, keep, sizeof(keep));
		}
		ok = put_file(j, "manifest.csv", &b, err);
	}
	if (ok) {
		buf_reset(&b);
		ticket(j, v, n, &b);
		ok = put_file(j, "ticket.txt", &b, err);
	}
	if (ok && fsync(j->tmp_fd) != 0) {
		*err = xasprintf("cannot sync mail/jobs/%s: %s", j->tmp_name,
		    strerror(errno));
		ok = false;
	}
	buf_free(&b);
	if (!ok)
		for (size_t i = 0; i < n; i++)
			v[i]->file[0] = '\0';
	return ok;
}

bool
mailjob_publish(struct mailjob *j, char **err)
{
	if (renameat(j->jobs_fd, j->tmp_name, j->jobs_fd, j->name) != 0) {
		*err = xasprintf("cannot rename mail/jobs/%s to %s: %s",
		    j->tmp_name, j->name, strerror(errno));
		return false;
	}
	j->made = false;
	/* A folder that cannot be synced (EINVAL) is the file system's
	 * way; any other error may lose the rename in a power cut. */
	j->synced = fsync(j->jobs_fd) == 0 || errno == EINVAL;
	if (!j->synced)
		*err = xasprintf("mail/jobs could not be synced after the "
		    "rename: %s", strerror(errno));
	return true;
}

void
mailjob_abandon(struct mailjob *j)
{
	if (j->made && remove_tree_at(j->jobs_fd, j->tmp_name))
		j->made = false;
}

void
mailjob_free(struct mailjob *j)
{
	for (size_t k = 0; k < j->nfiles; k++)
		free(j->files[k]);
	free(j->files);
	if (j->tmp_fd >= 0)
		close(j->tmp_fd);
	j->files = NULL;
	j->nfiles = 0;
	j->tmp_fd = -1;
}
