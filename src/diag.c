/*
 * diag.c - finding catalogue and per-case finding lists (see diag.h).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "rnpack/buf.h"
#include "rnpack/diag.h"
#include "rnpack/xalloc.h"

#define ALL	DOCS_AFTER_SUMMARY
#define AFTER_APPROVAL	(DOC_BIT(DOC_USNCB) | DOC_BIT(DOC_NOTICE))
#define NOTICE	DOC_BIT(DOC_NOTICE)

static const struct {
	const char	*id;
	unsigned	 blocks;
	enum step	 step;
} catalogue[DIAG__MAX] = {
	[DIAG_INVALID_INPUT] = { "invalid-input", DOCS_ALL, STEP_NONE },
	[DIAG_DUPLICATE_CASE_ID] = { "duplicate-case-id", DOCS_ALL, STEP_NONE },
	[DIAG_TRAINING_MISSING] = { "training-missing", ALL, STEP_TRAINING },
	[DIAG_TRAINING_LAPSED] = { "training-lapsed", ALL, STEP_TRAINING },
	[DIAG_NOTICE_NOT_VERIFIED] = { "notice-not-verified", ALL, STEP_VALIDITY },
	[DIAG_VERIFICATION_STALE] = { "verification-stale", ALL, STEP_VALIDITY },
	[DIAG_NOTICE_SUSPENDED] = { "notice-suspended", ALL, STEP_VALIDITY },
	[DIAG_NOTICE_WITHDRAWN] = { "notice-withdrawn", ALL, STEP_VALIDITY },
	[DIAG_NOTICE_CANCELLED] = { "notice-cancelled", ALL, STEP_VALIDITY },
	[DIAG_NOTICE_DELETED] = { "notice-deleted", ALL, STEP_VALIDITY },
	[DIAG_NOTICE_BLOCKED] = { "notice-blocked", ALL, STEP_VALIDITY },
	[DIAG_NOTICE_EXPIRED] = { "notice-expired", ALL, STEP_VALIDITY },
	[DIAG_REVIEW_MISSING] = { "review-missing", ALL, STEP_REVIEW },
	[DIAG_REVIEW_INCOMPLETE] = { "review-incomplete", ALL, STEP_REVIEW },
	[DIAG_INDICATOR_CONTRADICTED] =
	    { "indicator-contradicted", ALL, STEP_REVIEW },
	[DIAG_EXCLUSIVE_RELIANCE] = { "exclusive-reliance", ALL, STEP_BASIS },
	[DIAG_PROHIBITED_REPRESENTATION] =
	    { "prohibited-representation", ALL, STEP_REPRESENTATION },
	[DIAG_APPROVAL_DENIED] = { "approval-denied", AFTER_APPROVAL, STEP_APPROVAL },
	[DIAG_APPROVER_IS_OFFICER] =
	    { "approver-is-officer", AFTER_APPROVAL, STEP_APPROVAL },
	[DIAG_DISPOSITION_MISSING] =
	    { "disposition-missing", AFTER_APPROVAL, STEP_APPROVAL },
	[DIAG_OUT_OF_ORDER] = { "out-of-order", 0, STEP_NONE },
	[DIAG_USE_AUTHORIZATION_DENIED] =
	    { "use-authorization-denied", NOTICE, STEP_USE_AUTHORIZATION },
	[DIAG_NO_MAILING_ADDRESS] =
	    { "no-mailing-address", NOTICE, STEP_SUBJECT_NOTICE },
	[DIAG_MISSING_GLYPH] = { "missing-glyph", ALL, STEP_NONE },
	[DIAG_UNSUPPORTED_SCRIPT] = { "unsupported-script", ALL, STEP_NONE },
	[DIAG_ADDRESS_DOES_NOT_FIT] =
	    { "address-does-not-fit", NOTICE, STEP_SUBJECT_NOTICE },
	[DIAG_PDF_RENDER_FAILED] = { "pdf-render-failed", DOCS_ALL, STEP_NONE },
	[DIAG_ABUSE_INDICATOR] = { "abuse-indicator", 0, STEP_REVIEW },
	[DIAG_APPROVAL_MISSING] =
	    { "approval-missing", AFTER_APPROVAL, STEP_APPROVAL },
	[DIAG_APPROVAL_PENDING] =
	    { "approval-pending", AFTER_APPROVAL, STEP_APPROVAL },
	[DIAG_DOCUMENTATION_NOT_REQUESTED] =
	    { "documentation-not-requested", NOTICE, STEP_DOCUMENTATION },
	[DIAG_DOCUMENTATION_NOT_RECEIVED] =
	    { "documentation-not-received", NOTICE, STEP_DOCUMENTATION },
	[DIAG_USE_AUTHORIZATION_MISSING] =
	    { "use-authorization-missing", NOTICE, STEP_USE_AUTHORIZATION },
	[DIAG_USE_AUTHORIZATION_PENDING] =
	    { "use-authorization-pending", NOTICE, STEP_USE_AUTHORIZATION },
	[DIAG_TRANSLATION_UNAVAILABLE] =
	    { "translation-unavailable", 0, STEP_SUBJECT_NOTICE },
	[DIAG_SAMPLE_OFFICE] = { "sample-office", 0, STEP_NONE },
	[DIAG_REPRINT_NOT_IDENTICAL] =
	    { "reprint-not-identical", 0, STEP_NONE },
	[DIAG_SERVICE_DATE_CHANGED] =
	    { "service-date-changed", 0, STEP_SUBJECT_NOTICE },
};

const char *
diag_code_id(enum diag_code c)
{
	return catalogue[c].id;
}

enum diag_severity
diag_severity(enum diag_code c)
{
	return c < DIAG_WARNING ? DIAG_SEV_ERROR : DIAG_SEV_WARNING;
}

const char *
diag_severity_id(enum diag_severity s)
{
	return s == DIAG_SEV_ERROR ? "error" : "warning";
}

unsigned
diag_default_blocks(enum diag_code c)
{
	return catalogue[c].blocks;
}

enum step
diag_default_step(enum diag_code c)
{
	return catalogue[c].step;
}

void
findings_init(struct findings *f)
{
	f->v = NULL;
	f->n = f->cap = 0;
}

void
findings_free(struct findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i].message);
	free(f->v);
	findings_init(f);
}

struct finding *
findings_add(struct findings *f, enum diag_code code, unsigned line,
    const char *fmt, ...)
{
	struct finding *p;
	struct buf msg = BUF_INIT;
	va_list ap;

	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 8;
		f->v = xreallocarray(f->v, f->cap, sizeof(*f->v));
	}
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	p = &f->v[f->n++];
	p->code = code;
	p->step = catalogue[code].step;
	p->indicator = IND_NONE;
	p->blocks = catalogue[code].blocks;
	p->line = line;
	p->message = buf_detach(&msg);
	return p;
}

int
findings_has(const struct findings *f, enum diag_code code)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].code == code)
			return 1;
	return 0;
}

unsigned
findings_blocks(const struct findings *f)
{
	unsigned m = 0;

	for (size_t i = 0; i < f->n; i++)
		m |= f->v[i].blocks;
	return m;
}

/* Characters a reader cannot see or that change how a line displays. */
static bool
is_invisible(UChar32 c)
{
	switch (u_charType(c)) {
	case U_CONTROL_CHAR:
	case U_FORMAT_CHAR:
	case U_UNASSIGNED:
	case U_PRIVATE_USE_CHAR:
	case U_SURROGATE:
	case U_LINE_SEPARATOR:
	case U_PARAGRAPH_SEPARATOR:
		return true;
	default:
		return false;
	}
}

char *
diag_quote(const char *s, size_t max_cp)
{
	struct buf b = BUF_INIT;
	int32_t i = 0, len;
	size_t count = 0;

	len = (int32_t)strnlen(s, INT32_MAX);
	while (i < len) {
		int32_t start = i;
		UChar32 c;

		if (count++ == max_cp) {
			buf_adds(&b, "...");
			break;
		}
		U8_NEXT(s, i, len, c);
		if (c < 0) {
			for (int32_t k = start; k < i; k++)
				buf_addf(&b, "\\x%02X", (unsigned char)s[k]);
		} else if (c == '\t' || c == '\n' || c == '\r')
			buf_addc(&b, ' ');
		else if (is_invisible(c))
			buf_addf(&b, "U+%04X", (unsigned)c);
		else
			buf_add(&b, s + start, (size_t)(i - start));
	}
	return buf_detach(&b);
}
