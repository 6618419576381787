/*
 * policy.h - the run's policy values (docs/policy.md): built-in
 * defaults, overridden by a policy file read with intake_load_policy().
 *
 * One policy per run, read-only once the batch starts.
 */
#ifndef RNPACK_POLICY_H
#define RNPACK_POLICY_H

#include <stdbool.h>

#include "rnpack/digest.h"

#define POLICY_TEXT	256	/* longest value kept, in bytes */
#define POLICY_PRINT_MAX_PIECES	500	/* default pieces per print file */
#define POLICY_PRINT_PIECES_LIMIT 5000	/* the schema's maximum */

struct policy_address {
	char	lines[3][POLICY_TEXT];
	int	nlines;
	char	city[POLICY_TEXT];
	char	state[8];
	char	postal_code[32];
	char	country[8];
};

/* A sending office (rev 2: several, chosen by officer/office/@code). */
#define POLICY_MAX_OFFICES	32
#define POLICY_MAX_TRANSLATORS	16
#define POLICY_CODE		33	/* 1-32 of [A-Za-z0-9._-] + NUL */

struct policy_office {
	char	code[POLICY_CODE];	/* "" when the office has none */
	char	name[POLICY_TEXT];
	char	unit[POLICY_TEXT];	/* "" when absent */
	struct policy_address address;
	char	phone[64];		/* "" when absent */
};

/* A translator: the first translates the letter itself. */
struct policy_translator {
	char	id[POLICY_CODE];	/* "" when the file gives none (v1) */
	char	name[POLICY_TEXT];
	char	qualification[POLICY_TEXT];
	bool	has_address;
	struct policy_address address;
	char	phone[64];		/* "" when absent */
};

/* A rectangle on the first page, in inches from the top-left corner. */
struct policy_window {
	double	left_in, top_in, width_in, height_in;
};

struct policy {
	int	verification_max_age_days;
	int	training_valid_days;
	int	response_days;
	int	mail_days;		/* added when served by mail (3) */
	/* No policy file named an office: offices[0] is the SAMPLE one. */
	bool	sample_office;
	struct policy_office offices[POLICY_MAX_OFFICES];
	int	noffices;		/* at least 1 */
	/* No policy file named a translator: translators[0] is SAMPLE. */
	bool	sample_translator;
	struct policy_translator translators[POLICY_MAX_TRANSLATORS];
	int	ntranslators;		/* at least 1 */
	bool	has_mail;		/* print an IMb */
	char	barcode_id[4];
	char	service_type[4];
	char	mailer_id[10];
	char	endorsement[64];	/* "" = none; domestic pieces only */
	double	window_left_in, window_top_in;	/* inches from top-left */
	double	window_width_in, window_height_in;
	struct policy_window flat_window;	/* default: the letter's */
	/* <paper>: weights in ounces, sheets that fold into a #10 */
	double	sheet_oz, envelope_oz, flat_envelope_oz;
	int	max_folded_sheets;
	/* <documents>: where document files are found, and limits */
	char	documents_root[4096];	/* "" = the case file's folder */
	int	max_pages_per_case;
	long long max_file_bytes;
	char	mail_state[4096];	/* "" = OUT/.mail-state */
	/* SHA-256 (hex) of the policy file's bytes, or "built-in" */
	char	sha256[DIGEST_HEX_SIZE];
	int	print_max_pieces;	/* pieces per print file (volume) */
};

/* Fill in the built-in defaults, including the SAMPLE office. */
void	policy_defaults(struct policy *);

/*
 * The office that serves a case whose officer names code (NULL: none).
 * A single office without a code, and the built-in sample office, serve
 * every case; a single office with a code serves a case that names it or
 * names none; of several offices, the one whose code the case names.
 * NULL when none serves it (office-unknown).
 */
const struct policy_office *policy_office_for(const struct policy *,
	    const char *code);
/* The translator with this id, or NULL. */
const struct policy_translator *policy_translator(const struct policy *,
	    const char *id);

#endif
