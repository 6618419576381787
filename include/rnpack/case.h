/*
 * case.h - the typed model of one case file (docs/case-format.md).
 *
 * The model is plain data: dates are day numbers (DATE_NONE when absent),
 * enumerations are enums, optional parts have a `present` flag or a NULL
 * pointer.  Every string and array belongs to the case and lives until
 * case_free(); getters are unnecessary because nothing here has
 * invariants beyond what the loader checked.  Each part keeps the source
 * line of its element so findings can point at it.
 *
 * Text is trimmed and NFC-normalised by the loader.
 */
#ifndef RNPACK_CASE_H
#define RNPACK_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rnpack/digest.h"
#include "rnpack/domain.h"

struct arena;

struct address {
	const char	*lines[3];
	size_t		 nlines;
	const char	*city;
	const char	*region;	/* foreign province/state, or NULL */
	const char	*state;		/* US two-letter code, NULL abroad */
	const char	*postal_code;	/* ZIP or ZIP+4, or foreign, or NULL */
	const char	*country;	/* ISO code, NULL for the US */
	unsigned	 line;
};

struct counsel {
	const char		*name;
	const struct address	*address;	/* NULL when not given */
	unsigned		 line;
};

enum protection_kind {
	PROTECTION_ASYLUM_APPLICANT,
	PROTECTION_REFUGEE,
	PROTECTION_WITHHOLDING,
	PROTECTION_CAT
};

struct subject {
	const char		*family_name;
	const char		*given_name;
	const char *const	*aliases;
	const unsigned		*alias_lines;
	size_t			 naliases;
	unsigned		 family_line;
	unsigned		 given_line;
	int32_t			 date_of_birth;
	const char *const	*citizenship;	/* ISO codes */
	size_t			 ncitizenship;
	const char		*a_number;	/* NULL when absent */
	const char		*language;	/* NULL: English */
	bool			 has_protection;
	enum protection_kind	 protection;
	const char		*protection_against;
	const struct address	*address;	/* NULL when absent */
	const struct counsel	*counsel;	/* NULL when absent */
	unsigned		 line;
	unsigned		 protection_line;
	unsigned		 language_line;
};

/* An English translation certified for filing (document/translation). */
struct translation {
	const char	*file;
	const char	*translator;	/* a policy translator id */
	int32_t		 certified_on;	/* DATE_NONE */
	unsigned	 line;
};

/* The notice's own text as received (notice/extract). */
struct extract {
	bool		 present;
	const char	*file;
	int		 pages;		/* -1 when absent */
	const char	*sha256;	/* NULL when absent */
	const char	*language;	/* NULL when absent */
	const struct translation *translation;	/* NULL when absent */
	unsigned	 line;
};

enum notice_kind {
	NOTICE_RED,
	NOTICE_DIFFUSION
};

enum purpose {
	PURPOSE_PROSECUTION,
	PURPOSE_SENTENCE
};

struct offense {
	const char	*description;
	const char	*law;			/* NULL when absent */
	int		 max_penalty_months;	/* -1 when absent */
	int		 remaining_months;	/* -1 when absent */
	unsigned	 line;
	unsigned	 description_line;	/* of <description> */
};

enum verification_status {
	VERIFY_VALID,
	VERIFY_SUSPENDED,
	VERIFY_WITHDRAWN,
	VERIFY_CANCELLED,
	VERIFY_DELETED,
	VERIFY_BLOCKED,
	VERIFY_EXPIRED
};

struct verification {
	int32_t				 on;
	const char			*method;	/* NULL when absent */
	enum verification_status	 status;
	unsigned			 line;
};

struct warrant {
	bool		 present;
	const char	*issued_by;
	int32_t		 issued_on;
	const char	*reference;
	unsigned	 line;
};

struct notice {
	enum notice_kind		 kind;
	const char			*control_number;
	const char			*issuing_country;
	int32_t				 issued_on;
	int32_t				 expires_on;	/* DATE_NONE */
	enum purpose			 purpose;
	const struct offense		*offenses;
	size_t				 noffenses;
	struct warrant			 warrant;
	struct extract			 extract;
	const struct verification	*verifications;	/* file order */
	size_t				 nverifications;
	unsigned			 line;
	unsigned			 expires_line;
};

struct training {
	int32_t		 completed_on;
	const char	*course;	/* NULL when absent */
	unsigned	 line;
};

struct officer {
	const char		*name;
	const char		*title;
	const char		*office;
	const char		*office_code;	/* office/@code, or NULL */
	unsigned		 office_line;
	const char		*phone;		/* NULL when absent */
	const char		*email;		/* NULL when absent */
	const struct training	*trainings;
	size_t			 ntrainings;
	unsigned		 line;
	unsigned		 name_line;
};

struct answer {
	bool		 answered;
	bool		 found;
	unsigned	 line;
};

struct review {
	bool		 present;
	int32_t		 completed_on;
	struct answer	 answers[IND__MAX];
	const char	*notes;		/* NULL when absent */
	unsigned	 notes_line;
	unsigned	 line;
};

struct fact {
	const char	*text;
	const char	*source;	/* NULL when absent */
	unsigned	 line;
};

/* DHS counsel who files the court submission (immigrationCourt/filer). */
struct filer {
	const char	*name;
	const char	*title;
	const char	*office;	/* @office: a policy office code */
	unsigned	 line;
};

/* intendedUse/immigrationCourt: the proceedings the submission is for. */
struct immigration_court {
	bool		 present;
	const char	*name;		/* the court */
	const char	*judge;
	int32_t		 next_hearing;	/* DATE_NONE */
	bool		 detained;
	struct filer	 filer;
	unsigned	 line;
};

struct intended_use {
	bool		 enforcement;
	bool		 proceedings;
	const char	*proceeding;	/* NULL when absent */
	struct immigration_court court;
	unsigned	 line;
};

enum decision {
	DECISION_APPROVED,
	DECISION_DENIED,
	DECISION_PENDING
};

struct approval {
	bool		 present;
	enum decision	 decision;
	int32_t		 on;
	const char	*supervisor_name;
	const char	*supervisor_title;
	const char	*conditions;		/* NULL when absent */
	const char	*dispositions[IND__MAX];	/* NULL when absent */
	unsigned	 disposition_lines[IND__MAX];
	unsigned	 line;
	unsigned	 conditions_line;
};

/* A received document (documentationReceived/document). */
struct enclosure {
	const char	*title;
	int		 pages;		/* -1 when absent */
	const char	*language;	/* NULL when absent */
	const char	*file;		/* @file, or NULL (a manual insert) */
	const char	*sha256;	/* @sha256 (lower-case hex), or NULL */
	const struct translation *translation;	/* NULL when absent */
	unsigned	 line;
};


enum use_decision {
	USE_PENDING,
	USE_GRANTED,
	USE_DENIED
};

struct interpol_washington {
	bool			 requested;
	int32_t			 request_sent_on;
	const char		*request_reference;	/* NULL when absent */
	unsigned		 request_line;
	bool			 received;
	int32_t			 received_on;
	const struct enclosure	*enclosures;
	size_t			 nenclosures;
	unsigned		 received_line;
	bool			 has_use;
	enum use_decision	 use_decision;
	int32_t			 use_requested_on;	/* DATE_NONE */
	int32_t			 use_decided_on;	/* DATE_NONE */
	unsigned		 use_line;
};

enum service_method {
	SERVICE_MAIL,
	SERVICE_PERSONAL,
	SERVICE_COUNSEL
};

struct service {
	bool			 present;
	enum service_method	 method;	/* SERVICE_MAIL when absent */
	int32_t			 on;		/* DATE_NONE */
	unsigned		 line;
};

/* subjectResponse: what the subject sent back, and its consideration. */
struct subject_response {
	bool		 present;
	int32_t		 received_on;
	bool		 considered;	/* a consideration element */
	int32_t		 considered_on;
	const char	*considered_by;
	const char	*consideration;	/* the outcome, as text */
	unsigned	 line;
	unsigned	 consideration_line;
};

struct case_doc {
	struct arena			*arena;
	const char			*id;
	unsigned			 id_line;
	struct subject			 subject;
	struct notice			 notice;
	struct officer			 officer;
	struct review			 review;
	const struct fact		*facts;
	size_t				 nfacts;
	unsigned			 basis_line;
	struct intended_use		 use;
	struct approval			 approval;
	struct interpol_washington	 iw;
	struct service			 service;
	struct subject_response		 response;
	/* The folder of the case file: @file paths resolve against it
	 * when the policy names no documents root. */
	const char			*folder;
	/* SHA-256 (hex) of the file's bytes, from the read that was parsed */
	char				 sha256[DIGEST_HEX_SIZE];
};

/* True when id is 1-64 of [A-Za-z0-9._-] starting with a letter/digit. */
bool		 case_id_is_valid(const char *id);
/*
 * The last line of an address: "CITY, ST ZIP" in the U.S., else
 * "POSTCODE CITY" or the city.  The caller frees it.
 */
char		*case_address_last_line(const struct address *);

/* An empty case with its own arena; free it with case_free(). */
struct case_doc	*case_new(void);
void		 case_free(struct case_doc *);

/* Allocation from the case's arena: valid until case_free(). */
void		*case_alloc(struct case_doc *, size_t n, size_t size);
const char	*case_strdup(struct case_doc *, const char *);

/*
 * Call fn for every free-text and name field of the case, with a short
 * field label ("subject/familyName") and the line of its element.  Used
 * by the rules that scan all text (representation, scripts).
 */
void	case_each_text(const struct case_doc *,
	    void (*fn)(void *ctx, const char *field, const char *text,
	    unsigned line), void *ctx);

/*
 * Call fn for each field the representation rule scans, in the order of
 * the file, with its path as reports name it and the line of its
 * element: offense/description, preliminaryReview/notes,
 * independentBasis/fact/@source and independentBasis/fact,
 * intendedUse/@proceeding, supervisoryApproval/conditions and
 * supervisoryApproval/disposition.  Names, titles of documents, laws
 * and warrant data are quoted from foreign records, never adopted, and
 * are not among them.
 */
void	case_each_statement(const struct case_doc *,
	    void (*fn)(void *ctx, const char *field, const char *text,
	    unsigned line), void *ctx);

#endif
