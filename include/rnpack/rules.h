/*
 * rules.h - the compliance rules of docs/rules.md: from a case
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
	/* The representation patterns; NULL: that rule is not applied. */
	const struct rules_text	 *representation;
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
 * The representation rule's detector: the patterns of a rules file
 * (templates/representation.rules; the format is described at its top
 * and in docs/representation.md), compiled once per run and then only
 * read, so several threads may share them.
 */
struct rules_text;

struct rules_text_match {
	size_t		 start, end;	/* text[start..end): the phrase as
					 * written */
	const char	*category;	/* its category's id */
	const char	*says;		/* what the category says it does:
					 * "calls the notice an arrest
					 * warrant"; valid until
					 * rules_text_free() */
};

/*
 * Compile the text (len bytes) of a rules file; name is the file's name
 * for messages.  NULL with *err "name:line: reason" (caller frees).
 */
struct rules_text *rules_text_compile(const char *text, size_t len,
	    const char *name, char **err);
void	rules_text_free(struct rules_text *);
size_t	rules_text_ncatches(const struct rules_text *);
/*
 * The leftmost (then longest) prohibited phrase of text that no negation
 * denies and no allowed phrase overlaps: true and *m filled (m may be
 * NULL), or false.
 */
bool	rules_text_find(const struct rules_text *, const char *text,
	    struct rules_text_match *m);

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
 * The documents a finding's blocks withhold in case c: the court
 * submission only when the case has intendedUse/immigrationCourt, and
 * then whenever the subject notice is withheld too.  rules_settle()
 * applies it to every finding.
 */
unsigned rules_withholds(const struct case_doc *c, unsigned blocks);
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

/*
 * The court submission (intendedUse/immigrationCourt).  A respondent
 * who is not detained must have filings in this many days before the
 * hearing (the Practice Manual's deadline for non-detained cases).
 */
#define COURT_FILING_DAYS	15
/* filing-deadline: not detained and as_of after nextHearing - 15 days. */
bool	rules_filing_late(const struct case_doc *, int32_t as_of);
/*
 * response-period-open: a court case with no response recorded whose
 * period runs (as_of on or before response_due) or has not begun (a
 * current mail piece was not issued by an earlier run).
 */
bool	rules_period_open(const struct case_doc *, int32_t as_of,
	    int32_t response_due, bool unissued_piece);
/*
 * After the mail pieces are allocated: add response-period-open when
 * rules_period_open() says so for a generated notice, and settle again
 * (the response deadline stays as it was).
 */
void	rules_response_period(const struct case_doc *,
	    const struct rules_context *, struct evaluation *,
	    bool unissued_piece);

/* Documents that an out-of-order finding on step s withholds. */
unsigned rules_out_of_order_blocks(enum step s);

#endif
