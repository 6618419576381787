/*
 * test_packet.c - a mail piece that is a flat (packet.c): laid out as a
 * letter, counted, and laid out again with its recipient block in the
 * policy's flat window.
 *
 * The sample's notice to the subject is a few pages.  With the default
 * paper (5 folded sheets) it is a letter and its block starts at the
 * letter window less the clearance, (1.0 + 0.125) in = 81 pt from the
 * left; with maxFoldedSheets 0 every piece is a flat, and the block moves
 * to a flat window at 0.5 in (0.625 in = 45 pt inside its clearance).
 * Positions are read back with pdftotext -bbox (poppler-utils).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnpack/case.h"
#include "rnpack/date.h"
#include "rnpack/intake.h"
#include "rnpack/mail.h"
#include "rnpack/packet.h"
#include "rnpack/policy.h"
#include "rnpack/rules.h"

#include "scratch.h"

static char root[] = "/tmp/rnpack-packet.XXXXXX";

/* The xMin of the first word w on page 1 of the PDF in b, or -1. */
static double
word_x(const struct buf *b, const char *w)
{
	char path[256], cmd[512], line[1024], want[64];
	double x = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/piece.pdf", root);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b->ptr, 1, b->len, f), b->len);
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof(cmd), "pdftotext -bbox -f 1 -l 1 %s -", path);
	snprintf(want, sizeof(want), ">%s</word>", w);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (x < 0 && strstr(line, want) != NULL)
			x = strtod(strstr(line, "xMin=\"") + 6, NULL);
	pclose(f);
	return x;
}

/* The subject's piece of the sample, rendered under policy p. */
static double
name_x(const struct policy *p)
{
	struct packet_env env;
	struct intake *in;
	struct load_error lerr;
	struct case_doc *c;
	struct evaluation ev;
	struct rules_context rc;
	struct mail_piece pieces[MAIL_MAX_PIECES];
	struct buf pdf = BUF_INIT, piece_pdf[MAIL_MAX_PIECES];
	struct packet_mail mail;
	int32_t as_of = date_from_ymd(2024, 3, 14);
	char *err = NULL;
	double x;

	intake_init();
	in = intake_new("schema/case-1.xsd", &err);
	assert_non_null(in);
	c = intake_load_case(in, "samples/complete-red-notice.xml", as_of,
	    &lerr);
	assert_non_null(c);
	memset(&rc, 0, sizeof(rc));
	rc.policy = p;
	rc.as_of = as_of;
	rules_evaluate(c, &rc, &ev);
	if (!packet_env_load(&env, "templates", &err))
		fail_msg("%s", err);
	memset(&mail, 0, sizeof(mail));
	mail.npieces = mail_pieces(c, p, pieces);
	assert_true(mail.npieces >= 1);
	mail.pieces = pieces;
	for (size_t i = 0; i < MAIL_MAX_PIECES; i++)
		buf_init(&piece_pdf[i]);
	mail.piece_pdf = piece_pdf;
	if (!packet_build(&env, c, &ev, p, as_of, &mail, &pdf, &err))
		fail_msg("%s", err);
	/* The block's first word: "JOSÉ LUIS RAMÍREZ NÚÑEZ". */
	x = word_x(&piece_pdf[0], "JOSÉ");
	for (size_t i = 0; i < MAIL_MAX_PIECES; i++)
		buf_free(&piece_pdf[i]);
	buf_free(&pdf);
	mail_pieces_free(pieces, mail.npieces);
	packet_env_free(&env);
	evaluation_free(&ev);
	case_free(c);
	intake_free(in);
	return x;
}

static void
test_letter_and_flat_window(void **state)
{
	struct policy p;
	double x;

	(void)state;
	policy_defaults(&p);
	p.flat_window = (struct policy_window){ 0.5, 1.5, 4.0, 1.25 };
	x = name_x(&p);
	assert_true(x > 81 - 0.5 && x < 81 + 0.5);

	p.max_folded_sheets = 0;
	x = name_x(&p);
	assert_true(x > 45 - 0.5 && x < 45 + 0.5);
}

static int
setup(void **state)
{
	(void)state;
	return scratch_make(root);
}

static int
teardown(void **state)
{
	(void)state;
	return scratch_remove(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_letter_and_flat_window),
	};

	return cmocka_run_group_tests_name("packet", tests, setup, teardown);
}
