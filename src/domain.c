/*
 * domain.c - names of the fixed vocabulary (see domain.h).
 */
#include <stddef.h>
#include <string.h>

#include "rnpack/domain.h"

static const char *const step_ids[] = {
	"training", "validity", "review", "basis", "approval",
	"documentation", "use-authorization", "subject-notice",
	"representation"
};

static const char *const step_status_ids[] = {
	"met", "not-met", "not-applicable"
};

/* DOC__MAX + 1: the court submission's bit has a name too. */
static const char *const doc_ids[DOC__MAX + 1] = {
	"compliance-summary", "supervisory-approval", "usncb-request",
	"subject-notice", "court-submission"
};

static const char *const doc_titles[DOC__MAX + 1] = {
	"compliance summary", "supervisory approval request",
	"INTERPOL Washington request", "subject notice", "court submission"
};

static const char *const indicator_ids[IND__MAX] = {
	"political-character", "human-rights", "not-ordinary-law-crime",
	"penalty-threshold", "insufficient-judicial-data", "refugee-status",
	"fabricated-evidence", "transnational-repression"
};

static const char *const indicator_titles[IND__MAX] = {
	"predominantly political, military, religious or racial character",
	"conflict with the Universal Declaration of Human Rights",
	"not a serious ordinary-law crime",
	"below INTERPOL's penalty thresholds",
	"no arrest warrant or judicial decision behind the notice",
	"refugee or asylum protection against the requesting country",
	"indications of unsubstantiated or fabricated evidence",
	"indications of transnational repression"
};

static const char *const case_status_ids[] = {
	"complete", "partial", "blocked", "invalid"
};

const char *
step_id(enum step s)
{
	return s <= STEP_REPRESENTATION ? step_ids[s] : NULL;
}

const char *
step_status_id(enum step_status s)
{
	return step_status_ids[s];
}

const char *
doc_id(enum doc d)
{
	return doc_ids[d];
}

const char *
doc_title(enum doc d)
{
	return doc_titles[d];
}

const char *
indicator_id(enum indicator i)
{
	return i >= 0 && i < IND__MAX ? indicator_ids[i] : NULL;
}

const char *
indicator_title(enum indicator i)
{
	return i >= 0 && i < IND__MAX ? indicator_titles[i] : NULL;
}

enum indicator
indicator_from_id(const char *s)
{
	for (int i = 0; i < IND__MAX; i++)
		if (strcmp(s, indicator_ids[i]) == 0)
			return (enum indicator)i;
	return IND_NONE;
}

const char *
case_status_id(enum case_status s)
{
	return case_status_ids[s];
}
