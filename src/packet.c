/*
 * packet.c - case -> data tree -> documents -> layout -> PDF (see
 * packet.h).  Data flows one way; nothing here keeps state between
 * cases.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "rnpack/case.h"
#include "rnpack/ddoc.h"
#include "rnpack/docmodel.h"
#include "rnpack/font.h"
#include "rnpack/layout.h"
#include "rnpack/packet.h"
#include "rnpack/policy.h"
#include "rnpack/rules.h"
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

/* Folders named by a primary subtag (2-3 lower-case letters). */
static bool
load_translations(struct packet_env *env, const char *dir, char **err)
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
		char *path = xasprintf("%s/%s/subject-notice.tmpl", dir,
		    env->langs[i]);

		env->notice_tr[i] = tmpl_load(path, docmodel_known, err);
		free(path);
		if (env->notice_tr[i] == NULL) {
			packet_env_free(env);
			return false;
		}
	}
	return true;
}

bool
packet_env_load(struct packet_env *env, const char *dir, char **err)
{
	memset(env, 0, sizeof(*env));
	for (int d = 0; d < DOC__MAX; d++) {
		char *path = xasprintf("%s/%s.tmpl", dir, doc_id((enum doc)d));
		struct stat st;

		if (d != DOC_SUMMARY && stat(path, &st) != 0) {
			free(path);
			continue;
		}
		env->tmpl[d] = tmpl_load(path, docmodel_known, err);
		free(path);
		if (env->tmpl[d] == NULL) {
			packet_env_free(env);
			return false;
		}
	}
	if (!load_translations(env, dir, err))
		return false;
	if (!render_fonts_load(&env->fonts, packet_font_paths, err)) {
		packet_env_free(env);
		return false;
	}
	return true;
}

void
packet_env_free(struct packet_env *env)
{
	for (int d = 0; d < DOC__MAX; d++) {
		tmpl_free(env->tmpl[d]);
		env->tmpl[d] = NULL;
	}
	for (size_t i = 0; i < env->nlangs; i++) {
		tmpl_free(env->notice_tr[i]);
		free(env->langs[i]);
	}
	env->nlangs = 0;
	render_fonts_free(&env->fonts);
}

bool
packet_env_has_glyph(const void *ctx, uint32_t cp)
{
	const struct packet_env *env = ctx;

	for (int i = 0; i < 4; i++)
		if (!font_has(env->fonts.face[i], cp))
			return false;
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

#define MAX_PACKET_DOCS	(DOC__MAX + 4)	/* + copies and translations */

bool
packet_build(const struct packet_env *env, const struct case_doc *c,
    const struct evaluation *ev, const struct policy *p, int32_t as_of,
    struct buf *pdf, char **err)
{
	struct measure m = render_measure(&env->fonts);
	struct render_doc docs[MAX_PACKET_DOCS];
	struct ldoc *laid[MAX_PACKET_DOCS];
	const struct tmpl *tr = notice_translation(env, c);
	struct render_meta meta;
	struct tval *data;
	unsigned in_packet = 0;
	char *title;
	size_t n = 0;
	bool ok;

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
			docmodel_set_letter(data, c, k);
			add_doc(env->tmpl[d], data, env, &m, labels[d], docs,
			    laid, &n);
			if (tr != NULL)
				add_doc(tr, data, env, &m, labels[d], docs,
				    laid, &n);
		}
	}
	title = xasprintf("Red Notice compliance packet %s", c->id);
	meta.title = title;
	meta.subject = "ICE Directive 15006.1: compliance summary and "
	    "documents for one case";
	meta.author = p->office_name;
	meta.creator = env->creator ? env->creator : "rnpack";
	meta.keywords = c->id;
	meta.date = as_of;
	meta.page_stamp = "Packet page %zu of %zu";
	ok = render_pdf(docs, n, &env->fonts, &meta, pdf, err);
	for (size_t i = 0; i < n; i++)
		ldoc_free(laid[i]);
	free(title);
	tval_free(data);
	return ok;
}
