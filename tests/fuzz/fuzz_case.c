/*
 * fuzz_case.c - a case file's bytes through everything a run does with
 * them: intake, the rules, the mail pieces and their fit, layout and
 * rendering into an in-memory PDF (packet and pieces).  Invalid input
 * must be refused with a message; valid input must render or report
 * pdf-render-failed, never crash, leak or read out of bounds.
 */
#include "fuzz_common.h"

#include "rnpack/buf.h"
#include "rnpack/case.h"
#include "rnpack/date.h"
#include "rnpack/intake.h"
#include "rnpack/mail.h"
#include "rnpack/packet.h"
#include "rnpack/policy.h"
#include "rnpack/render.h"
#include "rnpack/rules.h"

static struct intake *in;
static struct packet_env env;
static struct policy pol;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *err = NULL;

	(void)argc;
	(void)argv;
	intake_init();
	intake_thread_init();
	policy_defaults(&pol);
	/* A barcode too, so the IMb path is fuzzed. */
	pol.has_mail = true;
	memcpy(pol.barcode_id, "00", 3);
	memcpy(pol.service_type, "040", 4);
	memcpy(pol.mailer_id, "123456", 7);
	if ((in = intake_new("schema/case-1.xsd", &err)) == NULL ||
	    !packet_env_load(&env, "templates", &err)) {
		fprintf(stderr, "fuzz_case: %s (run from the source tree)\n",
		    err ? err : "?");
		exit(1);
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_scratch(data, size, ".case.xml");
	int32_t as_of = date_from_ymd(2024, 3, 14);
	struct mail_piece pieces[MAIL_MAX_PIECES];
	struct buf pdf = BUF_INIT, piece_pdf[MAIL_MAX_PIECES];
	struct packet_mail mail;
	struct rules_context rc;
	struct evaluation ev;
	struct load_error lerr;
	struct case_doc *c;
	struct measure m;
	char *err = NULL;
	size_t n;

	if (path == NULL)
		return 0;
	c = intake_load_case(in, path, as_of, &lerr);
	unlink(path);
	if (c == NULL) {
		if (lerr.message == NULL)
			abort();	/* a refusal always says why */
		load_error_free(&lerr);
		return 0;
	}
	memset(&rc, 0, sizeof(rc));
	rc.policy = &pol;
	rc.as_of = as_of;
	rc.translations = (const char *const *)env.langs;
	rc.ntranslations = env.nlangs;
	rc.has_glyph = packet_env_has_glyph;
	rc.glyph_ctx = &env;
	rules_evaluate(c, &rc, &ev);
	n = mail_pieces(c, &pol, pieces);
	m = render_measure(&env.fonts);
	memset(&mail, 0, sizeof(mail));
	for (size_t k = 0; k < n; k++) {
		char why[160];

		if (!mail_fits(&pieces[k], &pol, &m, why, sizeof(why)))
			mail.withheld |= 1u << pieces[k].copy;
		else
			mail_set_serial(&pieces[k], &pol, 1 + k);
		piece_pdf[k] = (struct buf)BUF_INIT;
	}
	mail.pieces = pieces;
	mail.npieces = n;
	mail.piece_pdf = piece_pdf;
	if (!packet_build(&env, c, &ev, &pol, as_of, &mail, &pdf, &err)) {
		if (err == NULL)
			abort();
		free(err);
	}
	for (size_t k = 0; k < n; k++)
		buf_free(&piece_pdf[k]);
	buf_free(&pdf);
	mail_pieces_free(pieces, n);
	evaluation_free(&ev);
	case_free(c);
	return 0;
}
