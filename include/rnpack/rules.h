/*
 * rules.h - the compliance rules of DOMAIN.md sections 2-4: from a case
 * model, the policy and the as-of date to findings, step statuses, the
 * documents a packet may contain and the response deadline.
 *
 * Pure: no I/O, no globals; safe to call from several threads.
 */
#ifndef RNPACK_RULES_H
#define RNPACK_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rnpack/diag.h"
#include "rnpack/domain.h"

struct case_doc;
struct policy;
struct training;
struct verification;

/* What the rules need besides the case. */
struct rules_context {
	const struct policy	 *policy;
	int32_t			  as_of;
	/* Primary language subtags with a subject-notice translation. */
	const char *const	 *translations;
	size_t			  ntranslations;
	/* Whether the embedded fonts draw cp; NULL: every character. */
	bool			(*has_glyph)(const void *ctx, uint32_t cp);
	const void		 *glyph_ctx;
};

struct evaluation {
	struct findings		findings;
	enum step_status	steps[STEP__MAX];
	unsigned		generated;	/* DOC_BIT() mask */
	enum case_status	status;
	bool			derived[IND__MAX];	/* from the data */
	int32_t			service_date;
	int32_t			response_due;	/* DATE_NONE unless the
						 * notice is generated */
};

/* Evaluate c into *ev (initialised here; free with evaluation_free()). */
void	rules_evaluate(const struct case_doc *c,
	    const struct rules_context *ctx, struct evaluation *ev);
void	evaluation_free(struct evaluation *);
/*
 * Work out documents, status, steps and deadline again after findings
 * were added from outside the rules (address fit, rendering).
 */
void	rules_settle(const struct case_doc *, const struct rules_context *,
	    struct evaluation *);

/*
 * The representation rule on one text: true when it presents a notice
 * as an arrest warrant or as INTERPOL's own authority.  The matched
 * words go to phrase (NUL-terminated, cut to size).
 */
bool	rules_find_representation(const char *text, char *phrase,
	    size_t size);

/*
 * The evidence the rules use: the latest verification and the latest
 * training completion on or before as_of (on the same day, the later
 * element in the file), or NULL.
 */
const struct verification *rules_latest_verification(const struct case_doc *,
	    int32_t as_of);
const struct training *rules_latest_training(const struct case_doc *,
	    int32_t as_of);

/*
 * The response deadline for a service date (DATE_NONE: none): the
 * policy's responseDays, plus its mailDays when the subject is served by
 * mail (methods mail and counsel), moved past Saturdays, Sundays and
 * federal holidays.
 */
int32_t	rules_deadline(const struct case_doc *, const struct policy *,
	    int32_t service);
/* Whether the subject is served by mail (any method but personal). */
bool	rules_served_by_mail(const struct case_doc *);

/* Documents that an out-of-order finding on step s withholds. */
unsigned rules_out_of_order_blocks(enum step s);

#endif
