/*
 * mail.c - mail pieces, their recipient blocks and barcodes (see mail.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnpack/case.h"
#include "rnpack/ddoc.h"
#include "rnpack/latin.h"
#include "rnpack/layout.h"
#include "rnpack/mail.h"
#include "rnpack/policy.h"
#include "rnpack/xalloc.h"


static void
piece_init(struct mail_piece *m, size_t copy, const struct policy *p)
{
	memset(m, 0, sizeof(*m));
	m->copy = copy;
	m->recipient = copy == 0 ? "subject" : "counsel";
	m->size_pt = MAIL_SIZE_PT;
	m->window = (struct policy_window){ p->window_left_in,
	    p->window_top_in, p->window_width_in, p->window_height_in };
}

/* The barcode goes on U.S. addresses when the policy asks for it; the
 * endorsement on every domestic piece (DMM 507 1.5). */
static void
plan_barcode(struct mail_piece *m, const struct policy *p)
{
	m->barcode = p->has_mail && !m->block.foreign && m->block.zip[0] &&
	    imb_routing(m->block.zip, m->routing);
	m->endorsement = !m->block.foreign && p->endorsement[0] != '\0' ?
	    p->endorsement : NULL;
}

void
mail_set_flat(struct mail_piece *m, const struct policy *p)
{
	m->flat = true;
	m->window = p->flat_window;
}

bool
mail_to_representative(const struct case_doc *c)
{
	const struct subject *s = &c->subject;

	/* A foreign post will not deliver "in care of" (USPS IMM 122.1(e)):
	 * counsel abroad is served as the subject's representative. */
	return s->counsel != NULL && s->counsel->address != NULL &&
	    s->counsel->address->country != NULL &&
	    c->service.method != SERVICE_PERSONAL &&
	    (c->service.method == SERVICE_COUNSEL || s->address == NULL);
}

/*
 * The subject's name for an address block, which is in Latin script: the
 * name as recorded when it is Latin, else the first Latin-script alias,
 * else the name (usps_block transliterates it).  Caller frees.
 */
static char *
block_name(const struct subject *s)
{
	char *name = xasprintf("%s %s", s->given_name, s->family_name);
	const char *alias;

	if (latin_is_latin(name))
		return name;
	alias = latin_alias(s->aliases, s->naliases);
	if (alias == NULL)
		return name;
	free(name);
	return xstrdup(alias);
}

size_t
mail_pieces(const struct case_doc *c, const struct policy *p,
    struct mail_piece out[MAIL_MAX_PIECES])
{
	const struct subject *s = &c->subject;
	const struct counsel *co = s->counsel;
	bool counsel_addr = co != NULL && co->address != NULL;
	char *name = block_name(s);
	size_t n = 0;

	if (c->service.method != SERVICE_PERSONAL &&
	    (c->service.method == SERVICE_COUNSEL || s->address == NULL)) {
		/* The original goes to counsel: in care of counsel, or to
		 * counsel as representative. */
		if (counsel_addr) {
			piece_init(&out[n], 0, p);
			if (mail_to_representative(c))
				usps_block(&out[n].block, co->name, NULL,
				    co->address);
			else
				usps_block(&out[n].block, name, co->name,
				    co->address);
			plan_barcode(&out[n++], p);
		}
		free(name);
		return n;
	}
	if (c->service.method == SERVICE_MAIL) {
		piece_init(&out[n], 0, p);
		usps_block(&out[n].block, name, NULL, s->address);
		plan_barcode(&out[n++], p);
	}
	/* Counsel of record always gets a copy (8 CFR 292.5(a)), also
	 * when the subject is served in person. */
	if (counsel_addr) {
		piece_init(&out[n], 1, p);
		usps_block(&out[n].block, co->name, NULL, co->address);
		plan_barcode(&out[n++], p);
	}
	free(name);
	return n;
}

void
mail_pieces_free(struct mail_piece *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		usps_block_free(&v[i].block);
}

/* Whether the block fits at size pt; *why says why not. */
static bool
fits_at(const struct mail_piece *m, double size, double w, double h,
    const struct measure *ms, char *why, size_t len)
{
	size_t lines = m->block.n + (m->endorsement != NULL);
	double need = (double)lines * LAYOUT_BOX_LINE * size;

	if (m->endorsement != NULL &&
	    ms->width(ms->ctx, 0, size, m->endorsement) > w + 1e-6) {
		snprintf(why, len, "the endorsement is wider than the window");
		return false;
	}
	if (m->barcode)
		need += IMB_BLOCK_PT;
	if (m->barcode && 64 * IMB_PITCH_PT + IMB_BAR_PT > w) {
		snprintf(why, len, "the barcode is wider than the window");
		return false;
	}
	for (size_t i = 0; i < m->block.n; i++) {
		double lw = ms->width(ms->ctx, 0, size, m->block.lines[i]);

		if (lw > w + 1e-6) {
			snprintf(why, len, "line %zu is %.0f pt wide at %.1f pt, "
			    "the window %.0f pt inside its clearance", i + 1,
			    lw, size, w);
			return false;
		}
	}
	if (need > h + 1e-6) {
		snprintf(why, len, "%zu lines%s need %.0f pt at %.1f pt, the "
		    "window holds %.0f pt inside its clearance", lines,
		    m->barcode ? " and the barcode" : "", need, size, h);
		return false;
	}
	return true;
}

bool
mail_fits(struct mail_piece *m, const struct policy *p,
    const struct measure *ms, char *why, size_t len)
{
	double ww = m->flat ? p->flat_window.width_in : p->window_width_in;
	double wh = m->flat ? p->flat_window.height_in : p->window_height_in;
	double w = (ww - 2 * MAIL_CLEARANCE_IN) * 72.0;
	double h = (wh - 2 * MAIL_CLEARANCE_IN) * 72.0;

	/* Largest size first; the USPS minimum last. */
	for (double size = MAIL_SIZE_PT; size >= MAIL_MIN_PT - 1e-9;
	    size -= 0.5)
		if (fits_at(m, size, w, h, ms, why, len)) {
			m->size_pt = size;
			return true;
		}
	return false;
}

bool
mail_set_serial(struct mail_piece *m, const struct policy *p,
    unsigned long serial)
{
	m->serial = serial;
	if (!m->barcode)
		return true;
	return imb_tracking(p->barcode_id, p->service_type, p->mailer_id,
	    serial, m->tracking) && imb_encode(m->tracking, m->routing,
	    m->bars);
}

void
mail_piece_file(const struct mail_piece *m, char name[MAIL_FILE_SIZE])
{
	snprintf(name, MAIL_FILE_SIZE, "mail-%s.pdf", m->recipient);
}
