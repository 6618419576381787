/*
 * policy.c - built-in policy defaults and the look-ups over the policy's
 * offices and translators.
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
	struct policy_office *o = &p->offices[0];
	struct policy_translator *t = &p->translators[0];

	memset(p, 0, sizeof(*p));
	p->verification_max_age_days = 30;
	p->training_valid_days = 365;
	p->response_days = 30;
	p->mail_days = 3;
	p->sample_office = true;
	p->noffices = 1;
	snprintf(p->sha256, sizeof(p->sha256), "built-in");
	snprintf(o->name, sizeof(o->name),
	    "SAMPLE OFFICE - U.S. Immigration and Customs Enforcement");
	snprintf(o->unit, sizeof(o->unit),
	    "SAMPLE - not a real office; set <office> in a policy file");
	o->address.nlines = 1;
	snprintf(o->address.lines[0], POLICY_TEXT, "SAMPLE 100 Example St");
	snprintf(o->address.city, POLICY_TEXT, "Washington");
	snprintf(o->address.state, sizeof(o->address.state), "DC");
	snprintf(o->address.postal_code, sizeof(o->address.postal_code),
	    "20001");
	snprintf(o->phone, sizeof(o->phone), "000-555-0100");
	p->sample_translator = true;
	p->ntranslators = 1;
	snprintf(t->name, sizeof(t->name), "SAMPLE TRANSLATOR");
	snprintf(t->qualification, sizeof(t->qualification),
	    "SAMPLE - set <translator> in a policy file");
	p->window_left_in = 1.0;
	p->window_top_in = 2.125;
	p->window_width_in = 3.5;
	p->window_height_in = 1.0;
	p->flat_window = (struct policy_window){ 1.0, 2.125, 3.5, 1.0 };
	p->sheet_oz = 0.16;
	p->envelope_oz = 0.2;
	p->flat_envelope_oz = 0.8;
	p->max_folded_sheets = 5;
	p->max_pages_per_case = 500;
	p->max_file_bytes = 52428800;
	p->print_max_pieces = POLICY_PRINT_MAX_PIECES;
}

const struct policy_office *
policy_office_for(const struct policy *p, const char *code)
{
	if (p->sample_office || (p->noffices == 1 &&
	    (p->offices[0].code[0] == '\0' || code == NULL)))
		return &p->offices[0];
	if (code == NULL)
		return NULL;
	for (int i = 0; i < p->noffices; i++)
		if (strcmp(p->offices[i].code, code) == 0)
			return &p->offices[i];
	return NULL;
}

const struct policy_translator *
policy_translator(const struct policy *p, const char *id)
{
	for (int i = 0; i < p->ntranslators; i++)
		if (id != NULL && strcmp(p->translators[i].id, id) == 0)
			return &p->translators[i];
	return NULL;
}
