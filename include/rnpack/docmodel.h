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
 * The copies of the subject notice (DOMAIN.md section 5): 2 when it is
 * mailed to the subject with a copy to counsel of record, else 1.
 */
size_t		 docmodel_notice_copies(const struct case_doc *);
/*
 * Set "letter" in the data for copy n (0: the original, addressed to
 * the subject, in care of counsel when the subject has no address or
 * service is through counsel; 1: counsel's copy).  piece, when the copy
 * is mailed, gives the USPS recipient block, endorsement and barcode
 * (letter.block, letter.endorsement, letter.imb) and the window they go
 * in: "window" becomes the piece's own, the flat window for a flat;
 * counsel_copy_sent is false when counsel's copy is withheld, so the
 * original does not promise it.
 */
void		 docmodel_set_letter(struct tval *data,
		    const struct case_doc *, size_t n,
		    const struct mail_piece *piece, bool counsel_copy_sent);
/* Whether a template may name this path (see tmpl_known_fn). */
bool		 docmodel_known(const char *path);

#endif
