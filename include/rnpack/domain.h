/*
 * domain.h - the fixed vocabulary of the rules (docs/rules.md): steps, documents and
 * review indicators, with the stable ids used in reports.
 *
 * Used by every module; depends on nothing.
 */
#ifndef RNPACK_DOMAIN_H
#define RNPACK_DOMAIN_H

/* The required steps of docs/rules.md, in their order. */
enum step {
	STEP_TRAINING,
	STEP_VALIDITY,
	STEP_REVIEW,
	STEP_BASIS,
	STEP_APPROVAL,
	STEP_DOCUMENTATION,
	STEP_USE_AUTHORIZATION,
	STEP_SUBJECT_NOTICE,
	STEP__MAX,
	STEP_REPRESENTATION = STEP__MAX,	/* the rule over all text */
	STEP_NONE				/* findings of no step */
};

enum step_status {
	STEP_MET,
	STEP_NOT_MET,
	STEP_NOT_APPLICABLE
};

/* The documents of a packet (docs/documents.md), as bits for masks. */
enum doc {
	DOC_SUMMARY,
	DOC_APPROVAL,
	DOC_USNCB,
	DOC_NOTICE,
	DOC__MAX,
	/* Rev 2: a file of its own beside the packet, only for cases with
	 * intendedUse/immigrationCourt; a bit for blocks, not a packet
	 * document. */
	DOC_COURT = DOC__MAX
};

#define DOC_BIT(d)	(1u << (d))
#define DOCS_AFTER_SUMMARY \
	(DOC_BIT(DOC_APPROVAL) | DOC_BIT(DOC_USNCB) | DOC_BIT(DOC_NOTICE))
#define DOCS_ALL	(DOC_BIT(DOC_SUMMARY) | DOCS_AFTER_SUMMARY)

/* The preliminary-review indicators of docs/rules.md. */
enum indicator {
	IND_POLITICAL_CHARACTER,
	IND_HUMAN_RIGHTS,
	IND_NOT_ORDINARY_LAW_CRIME,
	IND_PENALTY_THRESHOLD,
	IND_INSUFFICIENT_JUDICIAL_DATA,
	IND_REFUGEE_STATUS,
	IND_FABRICATED_EVIDENCE,
	IND_TRANSNATIONAL_REPRESSION,
	IND__MAX,
	IND_NONE = -1
};

enum case_status {
	CASE_COMPLETE,
	CASE_PARTIAL,
	CASE_BLOCKED,
	CASE_INVALID
};

const char	*step_id(enum step);		/* "training"; NULL for STEP_NONE */
const char	*step_status_id(enum step_status);	/* "met" */
/* Both also name DOC_COURT ("court-submission", "court submission"). */
const char	*doc_id(enum doc);		/* "compliance-summary" */
const char	*doc_title(enum doc);		/* "supervisory approval request" */
const char	*indicator_id(enum indicator);	/* "political-character" */
const char	*indicator_title(enum indicator);
/* The indicator with this id, or IND_NONE. */
enum indicator	 indicator_from_id(const char *);
const char	*case_status_id(enum case_status);	/* "complete" */

#endif
