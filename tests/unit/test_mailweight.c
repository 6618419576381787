/*
 * test_mailweight.c - sheets, weight and kind of a mail piece
 * (mailweight.h) at each boundary: duplex sheets, the folded-sheet limit,
 * the 3.5 oz letter limit, the 13 oz flat limit.
 *
 * Defaults: 0.16 oz a sheet, 0.2 oz a #10 envelope, 0.8 oz a flat
 * envelope, at most 5 folded sheets.  Expected weights are worked out by
 * hand in each comment.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "rnpack/mailweight.h"
#include "rnpack/policy.h"

static void
assert_piece(const struct policy *p, int pages, int enclosures, int sheets,
    double oz, enum piece_kind kind)
{
	struct piece_weight w;

	mailweight_classify(p, pages, enclosures, &w);
	assert_int_equal(w.sheets, sheets);
	assert_true(w.weight_oz > oz - 1e-9 && w.weight_oz < oz + 1e-9);
	assert_int_equal(w.kind, kind);
}

/* Pages print on both sides: 1 and 2 pages are one sheet, 3 two. */
static void
test_sheets_duplex(void **state)
{
	struct policy p;

	(void)state;
	policy_defaults(&p);
	assert_piece(&p, 0, 0, 0, 0.2, PIECE_LETTER);
	assert_piece(&p, 1, 0, 1, 0.36, PIECE_LETTER);	/* 0.16 + 0.2 */
	assert_piece(&p, 2, 0, 1, 0.36, PIECE_LETTER);
	assert_piece(&p, 3, 0, 2, 0.52, PIECE_LETTER);
	assert_piece(&p, -4, -1, 0, 0.2, PIECE_LETTER);
}

/* 5 sheets fold (1.0 oz); 6 are a flat in the flat envelope:
 * 6 x 0.16 + 0.8 = 1.76 oz.  Enclosure sheets count. */
static void
test_folded_sheet_limit(void **state)
{
	struct policy p;

	(void)state;
	policy_defaults(&p);
	assert_piece(&p, 10, 0, 5, 1.0, PIECE_LETTER);
	assert_piece(&p, 11, 0, 6, 1.76, PIECE_FLAT);
	assert_piece(&p, 8, 1, 5, 1.0, PIECE_LETTER);
	assert_piece(&p, 10, 1, 6, 1.76, PIECE_FLAT);
}

/* With room to fold more, weight decides: 10 sheets of 0.33 oz in a
 * 0.2 oz envelope are 3.5 oz, not heavier, a letter; 11 are 3.83 oz, a
 * flat weighing 11 x 0.33 + 0.8 = 4.43 oz. */
static void
test_letter_weight_limit(void **state)
{
	struct policy p;

	(void)state;
	policy_defaults(&p);
	p.max_folded_sheets = 100;
	p.sheet_oz = 0.33;
	assert_piece(&p, 20, 0, 10, 3.5, PIECE_LETTER);
	assert_piece(&p, 21, 0, 11, 4.43, PIECE_FLAT);

	/* Defaults with a larger fold: 20 sheets are 3.4 oz, 21 are
	 * 3.56 oz, a flat of 21 x 0.16 + 0.8 = 4.16 oz. */
	policy_defaults(&p);
	p.max_folded_sheets = 100;
	assert_piece(&p, 40, 0, 20, 3.4, PIECE_LETTER);
	assert_piece(&p, 41, 0, 21, 4.16, PIECE_FLAT);
}

/* Defaults: 76 sheets are 12.96 oz, a flat; 77 are 13.12 oz, a parcel.
 * Exactly 13 oz (50 x 0.25 + 0.5) is still a flat; 51 sheets are
 * 13.25 oz. */
static void
test_flat_weight_limit(void **state)
{
	struct policy p;

	(void)state;
	policy_defaults(&p);
	assert_piece(&p, 152, 0, 76, 12.96, PIECE_FLAT);
	assert_piece(&p, 153, 0, 77, 13.12, PIECE_PARCEL);
	assert_piece(&p, 150, 1, 76, 12.96, PIECE_FLAT);
	p.sheet_oz = 0.25;
	p.flat_envelope_oz = 0.5;
	assert_piece(&p, 100, 0, 50, 13.0, PIECE_FLAT);
	assert_piece(&p, 101, 0, 51, 13.25, PIECE_PARCEL);
}

static void
test_kind_names(void **state)
{
	(void)state;
	assert_string_equal(mailweight_kind_name(PIECE_LETTER), "letter");
	assert_string_equal(mailweight_kind_name(PIECE_FLAT), "flat");
	assert_string_equal(mailweight_kind_name(PIECE_PARCEL), "parcel");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sheets_duplex),
		cmocka_unit_test(test_folded_sheet_limit),
		cmocka_unit_test(test_letter_weight_limit),
		cmocka_unit_test(test_flat_weight_limit),
		cmocka_unit_test(test_kind_names),
	};

	return cmocka_run_group_tests_name("mailweight", tests, NULL, NULL);
}
