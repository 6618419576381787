/*
 * packet.c - case -> data tree -> documents -> layout -> PDF (see
 * packet.h).  Data flows one way; nothing here keeps state between
 * cases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

bool
packet_build(const struct packet_env *env, const struct case_doc *c,
    const struct evaluation *ev, const struct policy *p, int32_t as_of,
    struct buf *pdf, char **err)
{
	struct measure m = render_measure(&env->fonts);
	struct tval *data;
	unsigned in_packet = 0;
	struct render_doc docs[DOC__MAX];
	struct ldoc *laid[DOC__MAX];
	struct render_meta meta;
	char *title;
	size_t n = 0;
	bool ok;

	for (int d = 0; d < DOC__MAX; d++)
		if (env->tmpl[d] != NULL && (ev->generated & DOC_BIT(d)))
			in_packet |= DOC_BIT(d);
	data = docmodel_build(c, ev, p, as_of, in_packet);
	for (int d = 0; d < DOC__MAX; d++) {
		struct ddoc *dd;

		if (!(in_packet & DOC_BIT(d)))
			continue;
		dd = tmpl_eval(env->tmpl[d], data);
		render_make_visible(dd, &env->fonts);
		laid[n] = layout_doc(dd, &m);
		docs[n].doc = laid[n];
		docs[n].label = labels[d];
		n++;
		ddoc_free(dd);
	}
	title = xasprintf("Red Notice compliance packet %s", c->id);
	meta.title = title;
	meta.subject = "ICE Directive 15006.1: compliance summary and "
	    "documents for one case";
	meta.author = p->office_name;
	meta.creator = env->creator ? env->creator : "rnpack";
	meta.keywords = c->id;
	meta.date = as_of;
	ok = render_pdf(docs, n, &env->fonts, &meta, pdf, err);
	for (size_t i = 0; i < n; i++)
		ldoc_free(laid[i]);
	free(title);
	tval_free(data);
	return ok;
}
