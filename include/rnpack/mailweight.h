/*
 * mailweight.h - sheets, weight and kind of a mail piece from its page
 * count and the policy's <paper> values (pure functions).
 *
 * Pages print on both sides, so a piece of P pages takes ceil(P / 2)
 * sheets; enclosures add their own sheets.  A letter weighs its sheets
 * times sheetOunces plus envelopeOunces.  A piece with more sheets than
 * maxFoldedSheets, or heavier than 3.5 oz as a letter, is a flat: mailed
 * unfolded in a flat envelope (flatEnvelopeOunces instead), and its
 * weight is counted again with that envelope.  A flat heavier than 13 oz,
 * the First-Class limit, is a parcel.
 */
#ifndef RNPACK_MAILWEIGHT_H
#define RNPACK_MAILWEIGHT_H

struct policy;

#define MAILWEIGHT_LETTER_MAX_OZ	3.5	/* First-Class letter */
#define MAILWEIGHT_FLAT_MAX_OZ		13.0	/* First-Class flat */

enum piece_kind {
	PIECE_LETTER,
	PIECE_FLAT,
	PIECE_PARCEL
};

struct piece_weight {
	int		 sheets;	/* printed sheets, enclosures included */
	double		 weight_oz;	/* with its envelope, to 1/10000 oz */
	enum piece_kind	 kind;
};

/*
 * Classify a piece of pages printed pages (both sides) and
 * enclosure_sheets further sheets; negative counts count as 0.
 */
void		 mailweight_classify(const struct policy *, int pages,
		    int enclosure_sheets, struct piece_weight *out);
/* "letter", "flat" or "parcel" (the job manifest's kind column). */
const char	*mailweight_kind_name(enum piece_kind);

#endif
