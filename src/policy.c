/*
 * policy.c - built-in policy defaults (DOMAIN.md section 7).
 *
 * The sample office and translator are marked SAMPLE so that nobody
 * mails a real notice from the defaults.
 */
#include <stdio.h>
#include <string.h>

#include "rnpack/policy.h"

void
policy_defaults(struct policy *p)
{
	memset(p, 0, sizeof(*p));
	p->verification_max_age_days = 30;
	p->training_valid_days = 365;
	p->response_days = 30;
	p->sample_office = true;
	snprintf(p->sha256, sizeof(p->sha256), "built-in");
	snprintf(p->office_name, sizeof(p->office_name),
	    "SAMPLE OFFICE - U.S. Immigration and Customs Enforcement");
	snprintf(p->office_unit, sizeof(p->office_unit),
	    "SAMPLE - not a real office; set <office> in a policy file");
	p->office_address.nlines = 1;
	snprintf(p->office_address.lines[0], POLICY_TEXT, "SAMPLE 100 Example St");
	snprintf(p->office_address.city, POLICY_TEXT, "Washington");
	snprintf(p->office_address.state, 8, "DC");
	snprintf(p->office_address.postal_code, 32, "20001");
	snprintf(p->office_phone, sizeof(p->office_phone), "000-555-0100");
	p->sample_translator = true;
	snprintf(p->translator_name, sizeof(p->translator_name),
	    "SAMPLE TRANSLATOR");
	snprintf(p->translator_qualification,
	    sizeof(p->translator_qualification),
	    "SAMPLE - set <translator> in a policy file");
	p->window_left_in = 1.0;
	p->window_top_in = 2.125;
	p->window_width_in = 3.5;
	p->window_height_in = 1.0;
	p->print_max_pieces = POLICY_PRINT_MAX_PIECES;
}
