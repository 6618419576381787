/*
 * docmodel.h - the data that templates see for one case: the case
 * model, its evaluation and the policy, as a tval tree with stable,
 * template-friendly names (listed in templates/README).
 */
#ifndef RNPACK_DOCMODEL_H
#define RNPACK_DOCMODEL_H

#include <stdbool.h>
#include <stdint.h>

struct case_doc;
struct evaluation;
struct policy;
struct tval;

/*
 * Build the data tree; free it with tval_free().  in_packet is the
 * DOC_BIT() mask of the documents the packet really contains, so the
 * summary never claims a document that is not there.
 */
struct tval	*docmodel_build(const struct case_doc *,
		    const struct evaluation *, const struct policy *,
		    int32_t as_of, unsigned in_packet);
/* Whether a template may name this path (see tmpl_known_fn). */
bool		 docmodel_known(const char *path);

#endif
