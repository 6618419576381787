/*
 * packet.c - case -> data tree -> documents -> layout -> PDF (see
 * packet.h).  Data flows one way; nothing here keeps state between
 * cases.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "rnpack/atomicio.h"
#include "rnpack/case.h"
#include "rnpack/court.h"
#include "rnpack/date.h"
#include "rnpack/ddoc.h"
#include "rnpack/digest.h"
#include "rnpack/docmodel.h"
#include "rnpack/encset.h"
#include "rnpack/font.h"
#include "rnpack/fontsel.h"
#include "rnpack/layout.h"
#include "rnpack/mail.h"
#include "rnpack/mailweight.h"
#include "rnpack/outdir.h"
#include "rnpack/packet.h"
#include "rnpack/policy.h"
#include "rnpack/report.h"
#include "rnpack/rules.h"
#include "rnpack/shape.h"
#include "rnpack/tmpl.h"
#include "rnpack/tval.h"
#include "rnpack/xalloc.h"

const char *const packet_font_paths[4] = {
	"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
	"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
	"/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf",
	"/usr/share/fonts/truetype/dejavu/DejaVuSans-BoldOblique.ttf",
};

/* Page label prefixes, so "SA-2" names page 2 of the approval request. */
static const char *const labels[DOC__MAX] = { "CS-", "SA-", "IW-", "SN-" };

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The template files a run uses, for the digest in report.json. */
struct used_file {
	char	*name;			/* relative to the templates folder */
	char	 sha256[DIGEST_HEX_SIZE];
};

struct used {
	struct used_file	v[DOC__MAX + PACKET_MAX_LANGS + 2];
	size_t			n;
};

static struct tmpl *
load_used(struct used *u, const char *dir, const char *name, char **err)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct used_file *f = &u->v[u->n];
	struct tmpl *t = tmpl_load_hashed(path, docmodel_known, f->sha256, err);

	free(path);
	if (t != NULL) {
		f->name = xstrdup(name);
		u->n++;
	}
	return t;
}

static int
cmp_used(const void *a, const void *b)
{
	return strcmp(((const struct used_file *)a)->name,
	    ((const struct used_file *)b)->name);
}

/* SHA-256 of a file's bytes; false with *err.  Once per run. */
static bool
hash_file(const char *path, char sha256[DIGEST_HEX_SIZE], char **err)
{
	if (digest_file_hex(path, sha256))
		return true;
	*err = xasprintf("%s: cannot read: %s", path, strerror(errno));
	return false;
}

/*
 * The digest of the templates and fonts: the SHA-256 of the lines
 * `sha256sum` would print for the templates used (names relative to the
 * folder, in byte order) and then the four font files (absolute paths,
 * regular, bold, oblique, bold oblique).  The templates were hashed from
 * the bytes that were compiled; the fonts are read once more here, at
 * start-up, apart from FreeType's and HarfBuzz's reads (a font package
 * upgraded during those milliseconds would not be noticed).
 */
static bool
env_digest(struct packet_env *env, struct used *u, char **err)
{
	struct digest *d = digest_new();
	bool ok = true;

	qsort(u->v, u->n, sizeof(u->v[0]), cmp_used);
	for (size_t i = 0; i < u->n; i++) {
		digest_add(d, u->v[i].sha256, DIGEST_HEX_SIZE - 1);
		digest_add(d, "  ", 2);
		digest_add(d, u->v[i].name, strlen(u->v[i].name));
		digest_add(d, "\n", 1);
	}
	for (int i = 0; i < 4 && ok; i++) {
		char *h = env->font_sha256[i];

		if ((ok = hash_file(packet_font_paths[i], h, err))) {
			digest_add(d, h, DIGEST_HEX_SIZE - 1);
			digest_add(d, "  ", 2);
			digest_add(d, packet_font_paths[i],
			    strlen(packet_font_paths[i]));
			digest_add(d, "\n", 1);
		}
	}
	digest_hex(d, env->sha256);
	digest_free(d);
	return ok;
}

static void
used_free(struct used *u)
{
	for (size_t i = 0; i < u->n; i++)
		free(u->v[i].name);
	u->n = 0;
}

/* Folders named by a primary subtag (2-3 lower-case letters). */
static bool
load_translations(struct packet_env *env, const char *dir, struct used *u,
    char **err)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL)
		return true;
	while ((de = readdir(d)) != NULL && env->nlangs < PACKET_MAX_LANGS) {
		size_t len = strlen(de->d_name);
		bool ok = len >= 2 && len <= 3;
		struct stat st;
		char *path;

		for (size_t i = 0; ok && i < len; i++)
			ok = de->d_name[i] >= 'a' && de->d_name[i] <= 'z';
		if (!ok)
			continue;
		path = xasprintf("%s/%s/subject-notice.tmpl", dir, de->d_name);
		if (stat(path, &st) == 0)
			env->langs[env->nlangs++] = xstrdup(de->d_name);
		free(path);
	}
	closedir(d);
	/* Byte order: the same run whatever readdir() returns. */
	qsort(env->langs, env->nlangs, sizeof(*env->langs), cmp_str);
	for (size_t i = 0; i < env->nlangs; i++) {
		char *name = xasprintf("%s/subject-notice.tmpl",
		    env->langs[i]);

		env->notice_tr[i] = load_used(u, dir, name, err);
		free(name);
		if (env->notice_tr[i] == NULL) {
			packet_env_free(env);
			return false;
		}
	}
	return true;
}

/*
 * The representation rule's patterns, representation.rules beside the
 * templates: a run with a broken file stops before any case, as with a
 * broken template, and the file counts in the templates' digest, so
 * that a change evaluates every case again.
 */
static bool
load_representation(struct packet_env *env, const char *dir, struct used *u,
    char **err)
{
	char *path = xasprintf("%s/%s", dir, PACKET_REPRESENTATION);
	struct used_file *f = &u->v[u->n];
	struct buf b = BUF_INIT;

	if (!buf_read_file(&b, path, PACKET_REPRESENTATION_MAX))
		*err = xasprintf("%s: cannot read: %s", path, strerror(errno));
	else if ((env->representation = rules_text_compile(b.ptr, b.len, path,
	    err)) != NULL) {
		digest_sha256_hex(b.ptr, b.len, f->sha256);
		f->name = xstrdup(PACKET_REPRESENTATION);
		u->n++;
	}
	buf_free(&b);
	free(path);
	return env->representation != NULL;
}

/* The court submission's template, used when present (court.h). */
static bool
load_court(struct packet_env *env, const char *dir, struct used *u,
    char **err)
{
	char *path = xasprintf("%s/%s", dir, COURT_TEMPLATE);
	struct stat st;
	bool want = stat(path, &st) == 0;

	free(path);
	if (want)
		env->court = load_used(u, dir, COURT_TEMPLATE, err);
	return !want || env->court != NULL;
}

bool
packet_env_load(struct packet_env *env, const char *dir, char **err)
{
	struct used u;

	memset(env, 0, sizeof(*env));
	u.n = 0;
	for (int d = 0; d < DOC__MAX; d++) {
		char *name = xasprintf("%s.tmpl", doc_id((enum doc)d));
		char *path = xasprintf("%s/%s", dir, name);
		struct stat st;
		bool want = d == DOC_SUMMARY || stat(path, &st) == 0;

		free(path);
		if (want)
			env->tmpl[d] = load_used(&u, dir, name, err);
		free(name);
		if (want && env->tmpl[d] == NULL) {
			used_free(&u);
			packet_env_free(env);
			return false;
		}
	}
	if (!load_court(env, dir, &u, err)) {
		used_free(&u);
		packet_env_free(env);
		return false;
	}
	if (!load_translations(env, dir, &u, err)) {
		used_free(&u);
		return false;
	}
	if (!load_representation(env, dir, &u, err)) {
		used_free(&u);
		packet_env_free(env);
		return false;
	}
	if (!render_fonts_load(&env->fonts, packet_font_paths, err) ||
	    !env_digest(env, &u, err)) {
		used_free(&u);
		packet_env_free(env);
		return false;
	}
	used_free(&u);
	return true;
}

void
packet_env_free(struct packet_env *env)
{
	for (int d = 0; d < DOC__MAX; d++) {
		tmpl_free(env->tmpl[d]);
		env->tmpl[d] = NULL;
	}
	tmpl_free(env->court);
	env->court = NULL;
	for (size_t i = 0; i < env->nlangs; i++) {
		tmpl_free(env->notice_tr[i]);
		free(env->langs[i]);
	}
	env->nlangs = 0;
	rules_text_free(env->representation);
	env->representation = NULL;
	render_fonts_free(&env->fonts);
}

bool
packet_env_has_glyph(const void *ctx, uint32_t cp)
{
	const struct packet_env *env = ctx;

	/* DejaVu in every style, or else a candidate face (fontsel.h). */
	for (int i = 0; i < 4; i++)
		if (!font_has(env->fonts.face[i], cp))
			return fontsel_covers(env->fonts.sel, cp);
	return true;
}

/* The translation of the notice for the subject's language, or NULL. */
static const struct tmpl *
notice_translation(const struct packet_env *env, const struct case_doc *c)
{
	const char *lang = c->subject.language;
	size_t n;

	if (lang == NULL)
		return NULL;
	n = strcspn(lang, "-_");
	for (size_t i = 0; i < env->nlangs; i++)
		if (strlen(env->langs[i]) == n &&
		    strncasecmp(lang, env->langs[i], n) == 0)
			return env->notice_tr[i];
	return NULL;
}

/* Lay out one template's document and append it to the packet. */
static void
add_doc(const struct tmpl *t, const struct tval *data,
    const struct packet_env *env, const struct measure *m, const char *label,
    struct render_doc *docs, struct ldoc **laid, size_t *n)
{
	struct ddoc *dd = tmpl_eval(t, data);

	render_make_visible(dd, &env->fonts);
	laid[*n] = layout_doc(dd, m);
	docs[*n].doc = laid[*n];
	docs[*n].label = label;
	(*n)++;
	ddoc_free(dd);
}

/* + copies, translations and each piece's enclosures */
#define MAX_PACKET_DOCS	(DOC__MAX + 6)

/*
 * The enclosures' carrier pages after a piece's letter: one document
 * whose pages carry only the foot stamps; encl_fill() draws the
 * enclosures into them once the piece is rendered.  Nothing when the
 * case has none (or one failed, and the notice is withheld anyway).
 */
static void
add_carriers(const struct encset *es, const struct case_doc *c,
    const struct measure *m, struct render_doc *docs, struct ldoc **laid,
    bool *carrier, size_t *n)
{
	struct ldoc *ld;

	if (es == NULL || es->n == 0 || !es->ok)
		return;
	ld = xcalloc(1, sizeof(*ld));
	ld->title = xstrdup("Enclosures");
	encset_carriers(es, ld, m, c->id);
	laid[*n] = ld;
	docs[*n].doc = ld;
	docs[*n].label = "EN-";
	carrier[(*n)++] = true;
}

/* Whether a piece of these laid-out documents is mailed as a flat (or a
 * parcel): too many sheets to fold, or too heavy for a letter. */
static bool
is_flat(const struct policy *p, struct ldoc *const *laid, size_t n)
{
	struct piece_weight w;
	size_t pages = 0;

	for (size_t i = 0; i < n; i++)
		pages += laid[i]->npages;
	mailweight_classify(p, pages > INT_MAX ? INT_MAX : (int)pages, 0, &w);
	return w.kind != PIECE_LETTER;
}

static void
set_meta(struct render_meta *meta, const struct case_doc *c,
    const struct policy *p, const struct packet_env *env, int32_t as_of,
    const char *title)
{
	const struct policy_office *o = policy_office_for(p,
	    c->officer.office_code);

	/* office-unknown withholds every document that names an office;
	 * the summary's metadata still names the first. */
	meta->author = o != NULL ? o->name : p->offices[0].name;
	meta->title = title;
	meta->subject = "ICE Directive 15006.1: compliance summary and "
	    "documents for one case";
	meta->creator = env->creator ? env->creator : "rnpack";
	meta->keywords = c->id;
	meta->date = as_of;
	meta->page_stamp = "Packet page %zu of %zu";
}

static const struct mail_piece *
piece_of_copy(const struct packet_mail *mail, size_t copy)
{
	for (size_t i = 0; mail != NULL && i < mail->npieces; i++)
		if (mail->pieces[i].copy == copy)
			return &mail->pieces[i];
	return NULL;
}

/* One mail piece as its own PDF: its copy of the notice, translated. */
static bool
render_piece(const struct packet_env *env, const struct case_doc *c,
    const struct policy *p, int32_t as_of, const struct mail_piece *m,
    const struct render_doc *docs, size_t n, const struct render_cut *cut,
    struct buf *out, char **err)
{
	struct render_meta meta;
	char *title = xasprintf("Notice to the subject %s, %s copy", c->id,
	    m->recipient);
	bool ok;

	/* A piece's own dates are its service date, as its letter's. */
	set_meta(&meta, c, p, env, m->service != DATE_NONE ? m->service :
	    as_of, title);
	meta.page_stamp = NULL;
	ok = render_pdf(docs, n, &env->fonts, cut, &meta, out, err);
	free(title);
	return ok;
}

bool
packet_build(const struct packet_env *env, const struct case_doc *c,
    const struct evaluation *ev, const struct policy *p, int32_t as_of,
    const struct packet_mail *mail, struct buf *pdf, char **err)
{
	struct measure m = render_measure_lang(&env->fonts,
	    c->subject.language);
	struct render_doc docs[MAX_PACKET_DOCS];
	struct ldoc *laid[MAX_PACKET_DOCS];
	const struct tmpl *tr = notice_translation(env, c);
	struct render_meta meta;
	struct render_cut *cut = NULL;
	/* Mail pieces: their documents among docs, drawn after the packet's
	 * layout is complete, with its cut. */
	struct {
		const struct mail_piece	*pc;
		size_t			 first, n;
	} piece[MAIL_MAX_PIECES];
	/* Documents only the pieces carry (their enclosures). */
	bool carrier[MAX_PACKET_DOCS] = { false };
	struct render_doc pdocs[MAX_PACKET_DOCS];
	size_t npdocs = 0;
	const struct encset *es = mail != NULL ? mail->enclosures : NULL;
	size_t npiece = 0;
	struct tval *data;
	unsigned in_packet = 0;
	char *title;
	size_t n = 0;
	bool ok = true;

	for (int d = 0; d < DOC__MAX; d++)
		if (env->tmpl[d] != NULL && (ev->generated & DOC_BIT(d)))
			in_packet |= DOC_BIT(d);
	data = docmodel_build(c, ev, p, as_of, in_packet);
	for (int d = 0; d < DOC__MAX; d++) {
		if (!(in_packet & DOC_BIT(d)))
			continue;
		if (d != DOC_NOTICE) {
			add_doc(env->tmpl[d], data, env, &m, labels[d], docs,
			    laid, &n);
			continue;
		}
		/* Each copy in English, then in the subject's language. */
		for (size_t k = 0; k < docmodel_notice_copies(c); k++) {
			const struct mail_piece *pc = piece_of_copy(mail, k);
			size_t first = n;

			if (mail != NULL && (mail->withheld & (1u << k)))
				continue;
			docmodel_set_letter(data, c, ev, k, mail ?
			    mail->pieces : NULL, mail ? mail->npieces : 0,
			    mail == NULL || !(mail->withheld & 2u));
			add_doc(env->tmpl[d], data, env, &m, labels[d], docs,
			    laid, &n);
			if (tr != NULL)
				add_doc(tr, data, env, &m, labels[d], docs,
				    laid, &n);
			if (pc != NULL)
				add_carriers(es, c, &m, docs, laid, carrier,
				    &n);
			if (pc != NULL && !pc->flat &&
			    is_flat(p, laid + first, n - first)) {
				/* Laid out as a letter, counted: a flat.  Its
				 * block goes in the flat window; boxes never
				 * move the text, so the pages stay the same. */
				struct mail_piece flat[MAIL_MAX_PIECES];
				size_t np = mail->npieces;

				memcpy(flat, mail->pieces, np * sizeof(*flat));
				mail_set_flat(&flat[pc - mail->pieces], p);
				while (n > first) {
					ldoc_free(laid[--n]);
					carrier[n] = false;
				}
				docmodel_set_letter(data, c, ev, k, flat, np,
				    !(mail->withheld & 2u));
				add_doc(env->tmpl[d], data, env, &m, labels[d],
				    docs, laid, &n);
				if (tr != NULL)
					add_doc(tr, data, env, &m, labels[d],
					    docs, laid, &n);
				add_carriers(es, c, &m, docs, laid, carrier,
				    &n);
			}
			if (pc != NULL && mail->piece_pdf != NULL &&
			    npiece < MAIL_MAX_PIECES) {
				piece[npiece].pc = pc;
				piece[npiece].first = first;
				piece[npiece++].n = n - first;
			}
		}
	}
	title = xasprintf("Red Notice compliance packet %s", c->id);
	set_meta(&meta, c, p, env, as_of, title);
	/* One cut for the packet and its pieces: the pieces' characters are
	 * the packet's, so the font is cut and compressed once. */
	if ((cut = render_cut_new(docs, n, &env->fonts, meta.page_stamp,
	    err)) == NULL)
		ok = false;
	for (size_t k = 0; k < npiece && ok; k++) {
		struct buf *out = &mail->piece_pdf[piece[k].pc - mail->pieces];
		size_t last = piece[k].first + piece[k].n - 1, pages = 0;

		ok = render_piece(env, c, p, as_of, piece[k].pc,
		    docs + piece[k].first, piece[k].n, cut, out, err);
		if (!ok || piece[k].n == 0 || !carrier[last])
			continue;
		for (size_t i = piece[k].first; i < last; i++)
			pages += laid[i]->npages;
		ok = encset_fill(es, pages, piece[k].n - 1, out, err);
	}
	/* The packet itself holds no enclosures. */
	for (size_t i = 0; i < n; i++)
		if (!carrier[i])
			pdocs[npdocs++] = docs[i];
	ok = ok && render_pdf(pdocs, npdocs, &env->fonts, cut, &meta, pdf,
	    err);
	render_cut_free(cut);
	for (size_t i = 0; i < n; i++)
		ldoc_free(laid[i]);
	free(title);
	tval_free(data);
	return ok;
}

/* ---- the faces of a case ---------------------------------------------- */

struct case_faces {
	struct fontsel		*sel;
	unsigned		 lang;		/* shape_lang_of() */
	int			*id;		/* fontsel slots seen */
	size_t			 n, cap;
};

static void
note_faces(void *ctx, const char *field, const char *text, unsigned line)
{
	struct case_faces *cf = ctx;

	(void)field;
	(void)line;
	/* Templates put punctuation around the case's words; where the
	 * script's face lacks it, another face draws it, so the text is
	 * shaped with some around it too. */
	char *framed = xasprintf("(%s), .;:-\xe2\x80\x9c\xe2\x80\x9d",
	    text);
	for (unsigned style = 0; style < 2; style++)
		shape_faces(cf->sel, framed, strlen(framed), style, cf->lang,
		    &cf->id, &cf->n, &cf->cap);
	free(framed);
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

size_t
packet_case_fonts(const struct packet_env *env, const struct case_doc *c,
    struct report_font *out, size_t max)
{
	struct case_faces cf;
	size_t n = 0;

	memset(&cf, 0, sizeof(cf));
	cf.sel = env->fonts.sel;
	cf.lang = shape_lang_of(c->subject.language);
	for (size_t k = 0; k < 4 && n < max; k++, n++) {
		out[n].file = packet_font_paths[k];
		out[n].index = 0;	/* .ttf: one face a file */
		out[n].sha256 = env->font_sha256[k];
	}
	if (cf.sel == NULL)
		return n;
	case_each_text(c, note_faces, &cf);
	if (cf.n > 0)
		qsort(cf.id, cf.n, sizeof(*cf.id), cmp_int);
	for (size_t i = 0; i < cf.n && n < max; i++) {
		const struct fontsel_face *f;
		bool dejavu = false;

		if (i > 0 && cf.id[i] == cf.id[i - 1])
			continue;
		if ((f = fontsel_face(cf.sel, cf.id[i])) == NULL)
			continue;
		for (size_t k = 0; k < 4; k++)
			dejavu |= strcmp(f->path, packet_font_paths[k]) == 0;
		if (dejavu)
			continue;	/* listed above */
		out[n].file = f->path;
		out[n].index = f->index;
		out[n].sha256 = f->sha256;
		n++;
	}
	free(cf.id);
	return n;
}

/* ---- calibration page ------------------------------------------------ */

static struct litem *
cal_item(struct lpage *pg, enum litem_kind k)
{
	struct litem *it;

	pg->items = xreallocarray(pg->items, pg->n + 1, sizeof(*pg->items));
	it = &pg->items[pg->n++];
	memset(it, 0, sizeof(*it));
	it->kind = k;
	it->w = 0.5;
	return it;
}

static void
cal_text(struct lpage *pg, double x, double y, double size, const char *t)
{
	struct litem *it = cal_item(pg, LI_TEXT);

	it->x = x;
	it->y = y;
	it->size = size;
	it->text = xstrdup(t);
}

static void
cal_rect(struct lpage *pg, double x, double y, double w, double h)
{
	struct litem *it = cal_item(pg, LI_RECT);

	it->x = x;
	it->y = y;
	it->x2 = x + w;
	it->y2 = y + h;
}

static bool
write_file(const char *path, const struct buf *b, char **err)
{
	return atomicio_replace_path(path, NULL, b->ptr, b->len, 0640, 0, err);
}

/* The sample address keeps this much from the clearance box, so that
 * the box's line never touches it. */
#define CAL_GAP_PT	2.0

/* Height of n sample lines at size: the first line's ascent, the line
 * pitch between baselines, the last line's descent (the box a text
 * extractor draws around them). */
static double
cal_lines_height(const struct measure *m, size_t n, double size)
{
	if (n == 0)
		return 0;
	return (m->ascent + m->descent + (double)(n - 1) * LAYOUT_BOX_LINE) *
	    size;
}

/*
 * The sample block inside the clearance box less CAL_GAP_PT: the largest
 * size from MAIL_SIZE_PT down to 4 pt at which the barcode (when drawn)
 * and the lines fit; *nlines how many lines fit at the smallest size
 * when not all do.
 */
static double
cal_sample_size(const struct measure *m, const char *const *lines,
    size_t *nlines, double w, double h, bool barcode)
{
	double bar = barcode ? IMB_BLOCK_PT : 0, size;

	for (size = MAIL_SIZE_PT; size >= 4.0 - 1e-9; size -= 0.5) {
		bool fits = bar + cal_lines_height(m, *nlines, size) <= h;

		for (size_t i = 0; i < *nlines && fits; i++)
			fits = m->width(m->ctx, 0, size, lines[i]) <= w;
		if (fits)
			return size;
	}
	size = 4.0;
	while (*nlines > 0 && bar + cal_lines_height(m, *nlines, size) > h)
		(*nlines)--;
	return size;
}

/*
 * A ruler of len points from (x, y), its ticks every len / n points
 * rising from the line (tall every major-th, middle every half-major),
 * marks[k] labels tick k * major when not NULL.
 */
static void
cal_ruler(struct lpage *pg, double x, double y, double len, int n,
    int major, const char *const *marks)
{
	struct litem *it = cal_item(pg, LI_LINE);

	it->x = x;
	it->x2 = x + len;
	it->y = it->y2 = y;
	it->w = 0.25;
	for (int k = 0; k <= n; k++) {
		double tx = x + len * k / n;
		double th = k % major == 0 ? 12 : k % (major / 2) == 0 ? 8 : 5;

		it = cal_item(pg, LI_LINE);
		it->x = it->x2 = tx;
		it->y = y - th;
		it->y2 = y;
		it->w = 0.25;
		if (k % major == 0 && marks[k / major] != NULL)
			cal_text(pg, tx - 2, y + 9, 7, marks[k / major]);
	}
}

bool
packet_calibration_page(const struct packet_env *env, const struct policy *p,
    const char *path, char **err)
{
	static const char *const sample[] = { "JOSE LUIS RAMIREZ NUNEZ",
	    "1234 MAIN ST APT 5", "HOUSTON TX 77002-1234" };
	static const char *const inch[] = { "0", "1 in" };
	static const char *const cm[] = { "0", "1", "2", "3", "4", "5", "6",
	    "7", "8", "9", "10 cm" };
	double wx = p->window_left_in * 72, wy = p->window_top_in * 72;
	double ww = p->window_width_in * 72, wh = p->window_height_in * 72;
	double cl = MAIL_CLEARANCE_IN * 72;
	/* The sample's own box: the clearance box less the gap. */
	double sx = wx + cl + CAL_GAP_PT, y = wy + cl + CAL_GAP_PT;
	double sw = ww - 2 * (cl + CAL_GAP_PT), sh = wh - 2 * (cl + CAL_GAP_PT);
	struct measure ms = render_measure(&env->fonts);
	struct ldoc doc;
	struct lpage page;
	struct render_doc rd = { &doc, "CAL-" };
	struct render_meta meta;
	struct buf pdf = BUF_INIT;
	char tracking[21], bars[IMB_BARS + 1], note[200];
	size_t nlines = 3;
	double size;
	bool ok, barcode;

	memset(&page, 0, sizeof(page));
	memset(&doc, 0, sizeof(doc));
	doc.title = xstrdup("Envelope calibration page");
	doc.pages = &page;
	doc.npages = 1;
	cal_text(&page, 72, 54, 12, "rnpack envelope calibration page");
	snprintf(note, sizeof(note), "Window %.3f x %.3f in at %.3f in from "
	    "the left, %.3f in from the top; the address keeps %.3f in inside "
	    "it.", p->window_width_in, p->window_height_in, p->window_left_in,
	    p->window_top_in, MAIL_CLEARANCE_IN);
	cal_text(&page, 72, 70, 8, note);
	cal_rect(&page, wx, wy, ww, wh);
	cal_rect(&page, wx + cl, wy + cl, ww - 2 * cl, wh - 2 * cl);
	barcode = p->has_mail && 64 * IMB_PITCH_PT + IMB_BAR_PT <= sw &&
	    IMB_BLOCK_PT <= sh && imb_tracking(p->barcode_id,
	    p->service_type, p->mailer_id, 1, tracking) &&
	    imb_encode(tracking, "77002123405", bars);
	size = cal_sample_size(&ms, sample, &nlines, sw, sh, barcode);
	if (barcode) {
		for (int i = 0; i < IMB_BARS; i++) {
			struct litem *it = cal_item(&page, LI_FILL);
			double cy = y + IMB_FULL_PT / 2;

			it->x = sx + i * IMB_PITCH_PT;
			it->x2 = it->x + IMB_BAR_PT;
			it->y = bars[i] == 'A' || bars[i] == 'F' ?
			    cy - IMB_FULL_PT / 2 : cy - IMB_TRACK_PT / 2;
			it->y2 = bars[i] == 'D' || bars[i] == 'F' ?
			    cy + IMB_FULL_PT / 2 : cy + IMB_TRACK_PT / 2;
		}
		y += IMB_BLOCK_PT;
	}
	/* Baselines: the first an ascent down, then a line pitch apart. */
	y += ms.ascent * size;
	for (size_t i = 0; i < nlines; i++) {
		cal_text(&page, sx, y, size, sample[i]);
		y += size * LAYOUT_BOX_LINE;
	}
	/* Fold marks in the margins, a third and two thirds down. */
	for (int f = 1; f <= 2; f++) {
		double fy = f * 792.0 / 3.0;
		struct litem *it;

		/* One at a time: cal_item() may move the array. */
		it = cal_item(&page, LI_LINE);
		it->x = 0;
		it->x2 = 36;
		it->y = it->y2 = fy;
		it = cal_item(&page, LI_LINE);
		it->x = 576;
		it->x2 = 612;
		it->y = it->y2 = fy;
		snprintf(note, sizeof(note), "fold %d (%s in)", f, f == 1 ?
		    "3 2/3" : "7 1/3");
		cal_text(&page, 40, fy + 3, 7, note);
	}
	/* Rulers below the first fold, clear of any window above it: a
	 * printer that scales the page shows here. */
	cal_text(&page, 72, 300, 8, "1-inch ruler, ticks every 1/8 in:");
	cal_ruler(&page, 72, 324, 72, 8, 8, inch);
	cal_text(&page, 72, 356, 8, "10-cm ruler, ticks every mm:");
	cal_ruler(&page, 72, 380, 72 * 100 / 25.4, 100, 10, cm);
	cal_text(&page, 72, 718, 8, "Print at 100% (no scaling) on US Letter: "
	    "the rulers must measure 1 in and 10 cm.");
	cal_text(&page, 72, 730, 8, "Fold at the marks and insert into the "
	    "envelope:");
	cal_text(&page, 72, 742, 8, "the inner box and the sample address "
	    "must show whole in the window.");
	memset(&meta, 0, sizeof(meta));
	meta.title = "rnpack envelope calibration page";
	meta.subject = "Envelope window calibration";
	meta.author = p->offices[0].name;
	meta.creator = env->creator ? env->creator : "rnpack";
	meta.keywords = "calibration";
	meta.date = 0;
	ok = render_pdf(&rd, 1, &env->fonts, NULL, &meta, &pdf, err) &&
	    write_file(path, &pdf, err);
	for (size_t i = 0; i < page.n; i++)
		free(page.items[i].text);
	free(page.items);
	free(doc.title);
	buf_free(&pdf);
	return ok;
}
