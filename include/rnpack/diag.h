/*
 * diag.h - the catalogue of finding codes (docs/rules.md) and the
 * per-case list of findings.
 *
 * Rules never print: they add findings here, and the report writers read
 * them.  The severity of a code follows from its place in the enum.
 */
#ifndef RNPACK_DIAG_H
#define RNPACK_DIAG_H

#include <stddef.h>

#include "rnpack/domain.h"

enum diag_code {
	/* ===== errors ===== */
	DIAG_INVALID_INPUT,
	DIAG_DUPLICATE_CASE_ID,
	DIAG_TRAINING_MISSING,
	DIAG_TRAINING_LAPSED,
	DIAG_NOTICE_NOT_VERIFIED,
	DIAG_VERIFICATION_STALE,
	DIAG_NOTICE_SUSPENDED,
	DIAG_NOTICE_WITHDRAWN,
	DIAG_NOTICE_CANCELLED,
	DIAG_NOTICE_DELETED,
	DIAG_NOTICE_BLOCKED,
	DIAG_NOTICE_EXPIRED,
	DIAG_REVIEW_MISSING,
	DIAG_REVIEW_INCOMPLETE,
	DIAG_INDICATOR_CONTRADICTED,
	DIAG_EXCLUSIVE_RELIANCE,
	DIAG_PROHIBITED_REPRESENTATION,
	DIAG_APPROVAL_DENIED,
	DIAG_APPROVER_IS_OFFICER,
	DIAG_DISPOSITION_MISSING,
	DIAG_OUT_OF_ORDER,
	DIAG_USE_AUTHORIZATION_DENIED,
	DIAG_NO_MAILING_ADDRESS,
	DIAG_MISSING_GLYPH,
	DIAG_UNSUPPORTED_SCRIPT,
	DIAG_ADDRESS_DOES_NOT_FIT,
	DIAG_PDF_RENDER_FAILED,
	DIAG_OFFICE_UNKNOWN,
	DIAG_ENCLOSURE_MISSING,
	DIAG_ENCLOSURE_MISMATCH,
	DIAG_ENCLOSURE_UNREADABLE,
	/* ===== warnings ===== */
	DIAG_WARNING,
	DIAG_ABUSE_INDICATOR = DIAG_WARNING,
	DIAG_APPROVAL_MISSING,
	DIAG_APPROVAL_PENDING,
	DIAG_DOCUMENTATION_NOT_REQUESTED,
	DIAG_DOCUMENTATION_NOT_RECEIVED,
	DIAG_USE_AUTHORIZATION_MISSING,
	DIAG_USE_AUTHORIZATION_PENDING,
	DIAG_TRANSLATION_UNAVAILABLE,
	DIAG_SAMPLE_OFFICE,
	DIAG_PROTECTED_PERSON,
	DIAG_SERVICE_DATE_MISSING,
	DIAG_SERVICE_DATE_CHANGED,
	DIAG_TRANSLATION_MISSING,
	DIAG_EXHIBIT_MISSING,
	DIAG_A_NUMBER_MISSING,
	DIAG_RESPONSE_PERIOD_OPEN,
	DIAG_RESPONSE_NOT_CONSIDERED,
	DIAG_FILING_DEADLINE,
	DIAG_LATIN_NAME_TRANSLITERATED,
	DIAG_SAMPLE_TRANSLATOR,
	DIAG_REPRINT_NOT_IDENTICAL,
	DIAG__MAX
};

enum diag_severity {
	DIAG_SEV_ERROR,
	DIAG_SEV_WARNING
};

struct finding {
	enum diag_code	 code;
	enum step	 step;		/* STEP_NONE when it belongs to none */
	enum indicator	 indicator;	/* IND_NONE unless about one */
	unsigned	 blocks;	/* DOC_BIT() mask it withholds */
	unsigned	 line;		/* source line; 0 = the file as a whole */
	char		*message;	/* plain sentence, input already escaped */
	/*
	 * What a finding quotes from the case (prohibited-representation):
	 * the field ("preliminaryReview/notes"), the phrase exactly as
	 * written (raw: writers escape it), and the sentence documents
	 * print instead of message, which quotes it.  NULL for other codes.
	 */
	char		*field;
	char		*quote;
	char		*doc_message;
};

struct findings {
	struct finding	*v;
	size_t		 n;
	size_t		 cap;
};

const char		*diag_code_id(enum diag_code);	/* "training-lapsed" */
enum diag_severity	 diag_severity(enum diag_code);
const char		*diag_severity_id(enum diag_severity);	/* "error" */
/* The documents a code withholds by itself (out-of-order: see rules.c). */
unsigned		 diag_default_blocks(enum diag_code);
/* The step a code belongs to (out-of-order: STEP_NONE, set by caller). */
enum step		 diag_default_step(enum diag_code);

void	findings_init(struct findings *);
void	findings_free(struct findings *);
/*
 * Add a finding with the code's default step and blocks; returns it so the
 * caller may adjust step, indicator or blocks.  The message is formatted
 * with printf rules; quote untrusted text only through diag_quote().
 */
struct finding	*findings_add(struct findings *, enum diag_code, unsigned line,
		    const char *, ...) __attribute__((format(printf, 4, 5)));
/* Set (copies of) field, quote and doc_message; NULLs stay NULL. */
void	finding_set_quote(struct finding *, const char *field,
	    const char *quote, const char *doc_message);
/* True when some finding has this code. */
int	findings_has(const struct findings *, enum diag_code);
/* Union of the blocks of all findings. */
unsigned findings_blocks(const struct findings *);

/*
 * Make untrusted text safe for a terminal, a log line or JSON: control,
 * format (bidi, zero-width) and other invisible characters become U+XXXX,
 * invalid UTF-8 bytes become \xNN, and the result is cut to max_cp
 * characters with an ellipsis.  The caller frees the result.
 */
char	*diag_quote(const char *, size_t max_cp);

#endif
