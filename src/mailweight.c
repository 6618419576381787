/*
 * mailweight.c - sheets, weight and kind of a mail piece (see
 * mailweight.h).
 */
#include <math.h>

#include "rnpack/mailweight.h"
#include "rnpack/policy.h"

/* Weights are sums of decimal ounces: compare them a hair above the
 * limit, so 3.5 oz computed as 3.5000000000000004 is still a letter. */
#define SLACK	1e-9

static double
weigh(int sheets, double sheet_oz, double envelope_oz)
{
	/* Rounded so that the manifest shows 1.76, not 1.7600000000000002. */
	return round((sheets * sheet_oz + envelope_oz) * 10000.0) / 10000.0;
}

void
mailweight_classify(const struct policy *p, int pages, int enclosure_sheets,
    struct piece_weight *out)
{
	if (pages < 0)
		pages = 0;
	if (enclosure_sheets < 0)
		enclosure_sheets = 0;
	out->sheets = (pages + 1) / 2 + enclosure_sheets;
	out->kind = PIECE_LETTER;
	out->weight_oz = weigh(out->sheets, p->sheet_oz, p->envelope_oz);
	if (out->sheets <= p->max_folded_sheets &&
	    out->weight_oz <= MAILWEIGHT_LETTER_MAX_OZ + SLACK)
		return;
	out->kind = PIECE_FLAT;
	out->weight_oz = weigh(out->sheets, p->sheet_oz, p->flat_envelope_oz);
	if (out->weight_oz > MAILWEIGHT_FLAT_MAX_OZ + SLACK)
		out->kind = PIECE_PARCEL;
}

const char *
mailweight_kind_name(enum piece_kind k)
{
	switch (k) {
	case PIECE_FLAT:
		return "flat";
	case PIECE_PARCEL:
		return "parcel";
	case PIECE_LETTER:
	default:
		return "letter";
	}
}
