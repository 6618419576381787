/*
 * policy.h - the run's policy values (DOMAIN.md section 7): built-in
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

struct policy {
	int	verification_max_age_days;
	int	training_valid_days;
	int	response_days;
	bool	sample_office;		/* no policy file named the office */
	char	office_name[POLICY_TEXT];
	char	office_unit[POLICY_TEXT];
	struct policy_address office_address;
	char	office_phone[64];
	bool	sample_translator;
	char	translator_name[POLICY_TEXT];
	char	translator_qualification[POLICY_TEXT];
	bool	has_mail;		/* print an IMb */
	char	barcode_id[4];
	char	service_type[4];
	char	mailer_id[10];
	double	window_left_in, window_top_in;	/* inches from top-left */
	double	window_width_in, window_height_in;
	char	mail_state[4096];	/* "" = OUT/.mail-state */
	/* SHA-256 (hex) of the policy file's bytes, or "built-in" */
	char	sha256[DIGEST_HEX_SIZE];
	int	print_max_pieces;	/* pieces per print file (volume) */
};

/* Fill in the built-in defaults, including the SAMPLE office. */
void	policy_defaults(struct policy *);

#endif
