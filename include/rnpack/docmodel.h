/*
 * docmodel.h - the data that templates see for one case: the case
 * model, its evaluation and the policy, as a tval tree with stable,
 * template-friendly names (listed in templates/README).
 */
#ifndef RNPACK_DOCMODEL_H
#define RNPACK_DOCMODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct case_doc;
struct evaluation;
struct policy;
struct tval;
struct mail_piece;

/*
 * Build the data tree; free it with tval_free().  in_packet is the
 * DOC_BIT() mask of the documents the packet really contains, so the
 * summary never claims a document that is not there.
 */
struct tval	*docmodel_build(const struct case_doc *,
		    const struct evaluation *, const struct policy *,
		    int32_t as_of, unsigned in_packet);
/*
 * The copies of the subject notice: 2 when the original goes to the
 * subject (by mail or in person) and counsel of record has an address
 * (counsel's copy is mailed), else 1.
 */
size_t		 docmodel_notice_copies(const struct case_doc *);
/*
 * Set "letter" in the data for copy n (0: the original, addressed to
 * the subject, in care of counsel or to counsel as representative when
 * it is mailed to counsel; 1: counsel's copy).  pieces are the case's
 * mail pieces (npieces may be 0): a copy's piece gives its USPS block,
 * endorsement, barcode, service date and deadline (letter.block,
 * letter.endorsement, letter.imb, letter.date, letter.due) and the window
 * they go in ("window" becomes the piece's own, the flat window for a
 * flat); without one the evaluation's service date and deadline stand.
 * counsel_copy_sent is false when counsel's copy is withheld, so the
 * original does not promise it.
 */
void		 docmodel_set_letter(struct tval *data,
		    const struct case_doc *, const struct evaluation *,
		    size_t n, const struct mail_piece *pieces, size_t npieces,
		    bool counsel_copy_sent);
struct court_exhibit;
struct court_plan;
/*
 * Set "court" in the data for the court submission: caption, filer,
 * the exhibits x[0..n) with their page ranges from plan, the proof of
 * service's page and whom it serves; court.part is "front".
 */
void		 docmodel_set_court(struct tval *data,
		    const struct case_doc *, const struct policy *,
		    int32_t as_of, const struct court_exhibit *x, size_t n,
		    const struct court_plan *plan);
/*
 * Set court.part ("front", "certificate" or "proof") and, for a
 * certificate, court.certificate from exhibit x and its translator.
 */
void		 docmodel_set_court_part(struct tval *data,
		    const struct policy *, const char *part,
		    const struct court_exhibit *x);
/* Whether a template may name this path (see tmpl_known_fn). */
bool		 docmodel_known(const char *path);

#endif
