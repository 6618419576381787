/*
 * case.c - case model storage: one arena per case (see case.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnpack/case.h"
#include "rnpack/date.h"
#include "rnpack/xalloc.h"

/* Blocks are chained; the first block is sized for a typical case. */
struct arena_block {
	struct arena_block	*next;
	size_t			 used;
	size_t			 size;
	max_align_t		 data[];
};

struct arena {
	struct arena_block	*head;
};

#define ARENA_BLOCK	16384

bool
case_id_is_valid(const char *s)
{
	size_t n = 0;

	if (s == NULL)
		return false;
	for (const char *p = s; *p; p++, n++) {
		char c = *p;
		bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9');

		if (!alnum && (n == 0 || (c != '.' && c != '_' && c != '-')))
			return false;
	}
	return n >= 1 && n <= 64;
}

char *
case_address_last_line(const struct address *a)
{
	if (a->country == NULL)
		return xasprintf("%s, %s %s", a->city, a->state ? a->state : "",
		    a->postal_code ? a->postal_code : "");
	if (a->postal_code != NULL)
		return xasprintf("%s %s", a->postal_code, a->city);
	return xstrdup(a->city);
}

struct case_doc *
case_new(void)
{
	struct case_doc *c = xcalloc(1, sizeof(*c));

	c->arena = xcalloc(1, sizeof(*c->arena));
	c->notice.expires_on = DATE_NONE;
	c->iw.use_requested_on = DATE_NONE;
	c->iw.use_decided_on = DATE_NONE;
	c->service.on = DATE_NONE;
	c->notice.extract.pages = -1;
	c->use.court.next_hearing = DATE_NONE;
	c->response.received_on = DATE_NONE;
	c->response.considered_on = DATE_NONE;
	return c;
}

void
case_free(struct case_doc *c)
{
	struct arena_block *b, *next;

	if (c == NULL)
		return;
	for (b = c->arena->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(c->arena);
	free(c);
}

void *
case_alloc(struct case_doc *c, size_t n, size_t size)
{
	struct arena_block *b = c->arena->head;
	size_t align = sizeof(max_align_t), bytes;
	void *p;

	if (size != 0 && n > SIZE_MAX / size / 2)
		n = SIZE_MAX / 2;	/* xmalloc below reports OOM */
	bytes = (n * size + align - 1) / align * align;
	if (bytes == 0)
		bytes = align;
	if (b == NULL || b->size - b->used < bytes) {
		size_t cap = bytes > ARENA_BLOCK ? bytes : ARENA_BLOCK;

		b = xmalloc(sizeof(*b) + cap);
		b->used = 0;
		b->size = cap;
		/* A big one-off block goes second so the current small
		 * block keeps serving small requests. */
		if (c->arena->head != NULL && bytes > ARENA_BLOCK) {
			b->next = c->arena->head->next;
			c->arena->head->next = b;
		} else {
			b->next = c->arena->head;
			c->arena->head = b;
		}
	}
	p = (char *)b->data + b->used;
	b->used += bytes;
	memset(p, 0, bytes);
	return p;
}

const char *
case_strdup(struct case_doc *c, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = case_alloc(c, n, 1);

	memcpy(p, s, n);
	return p;
}

static void
address_text(const struct address *a, const char *who,
    void (*fn)(void *, const char *, const char *, unsigned), void *ctx)
{
	char field[64];

	if (a == NULL)
		return;
	for (size_t i = 0; i < a->nlines; i++) {
		snprintf(field, sizeof(field), "%s/address/line", who);
		fn(ctx, field, a->lines[i], a->line);
	}
	snprintf(field, sizeof(field), "%s/address/city", who);
	fn(ctx, field, a->city, a->line);
	if (a->region != NULL) {
		snprintf(field, sizeof(field), "%s/address/region", who);
		fn(ctx, field, a->region, a->line);
	}
}

void
case_each_text(const struct case_doc *c,
    void (*fn)(void *, const char *, const char *, unsigned), void *ctx)
{
	const struct subject *s = &c->subject;

	fn(ctx, "subject/familyName", s->family_name, s->family_line ?
	    s->family_line : s->line);
	fn(ctx, "subject/givenName", s->given_name, s->given_line ?
	    s->given_line : s->line);
	for (size_t i = 0; i < s->naliases; i++)
		fn(ctx, "subject/alias", s->aliases[i], s->alias_lines ?
		    s->alias_lines[i] : s->line);
	address_text(s->address, "subject", fn, ctx);
	if (s->counsel != NULL) {
		fn(ctx, "counsel/name", s->counsel->name, s->counsel->line);
		address_text(s->counsel->address, "counsel", fn, ctx);
	}
	fn(ctx, "notice/controlNumber", c->notice.control_number,
	    c->notice.line);
	for (size_t i = 0; i < c->notice.noffenses; i++) {
		const struct offense *o = &c->notice.offenses[i];

		fn(ctx, "offense/description", o->description, o->line);
		if (o->law != NULL)
			fn(ctx, "offense/law", o->law, o->line);
	}
	if (c->notice.warrant.present) {
		fn(ctx, "arrestWarrant/@issuedBy", c->notice.warrant.issued_by,
		    c->notice.warrant.line);
		fn(ctx, "arrestWarrant/@reference",
		    c->notice.warrant.reference, c->notice.warrant.line);
	}
	for (size_t i = 0; i < c->notice.nverifications; i++)
		if (c->notice.verifications[i].method != NULL)
			fn(ctx, "verification/@method",
			    c->notice.verifications[i].method,
			    c->notice.verifications[i].line);
	fn(ctx, "officer/name", c->officer.name, c->officer.name_line);
	fn(ctx, "officer/title", c->officer.title, c->officer.line);
	fn(ctx, "officer/office", c->officer.office, c->officer.line);
	if (c->officer.phone != NULL)
		fn(ctx, "officer/phone", c->officer.phone, c->officer.line);
	if (c->officer.email != NULL)
		fn(ctx, "officer/email", c->officer.email, c->officer.line);
	for (size_t i = 0; i < c->officer.ntrainings; i++)
		if (c->officer.trainings[i].course != NULL)
			fn(ctx, "training/@course",
			    c->officer.trainings[i].course,
			    c->officer.trainings[i].line);
	if (c->review.notes != NULL)
		fn(ctx, "preliminaryReview/notes", c->review.notes,
		    c->review.notes_line);
	for (size_t i = 0; i < c->nfacts; i++) {
		fn(ctx, "independentBasis/fact", c->facts[i].text,
		    c->facts[i].line);
		if (c->facts[i].source != NULL)
			fn(ctx, "fact/@source", c->facts[i].source,
			    c->facts[i].line);
	}
	if (c->use.proceeding != NULL)
		fn(ctx, "intendedUse/@proceeding", c->use.proceeding,
		    c->use.line);
	if (c->approval.present) {
		const struct approval *a = &c->approval;

		fn(ctx, "supervisor/name", a->supervisor_name, a->line);
		fn(ctx, "supervisor/title", a->supervisor_title, a->line);
		if (a->conditions != NULL)
			fn(ctx, "supervisoryApproval/conditions", a->conditions,
			    a->conditions_line);
		for (int i = 0; i < IND__MAX; i++)
			if (a->dispositions[i] != NULL)
				fn(ctx, "supervisoryApproval/disposition",
				    a->dispositions[i], a->disposition_lines[i]);
	}
	if (c->iw.request_reference != NULL)
		fn(ctx, "documentationRequest/@reference",
		    c->iw.request_reference, c->iw.request_line);
	for (size_t i = 0; i < c->iw.nenclosures; i++)
		fn(ctx, "documentationReceived/document/@title",
		    c->iw.enclosures[i].title, c->iw.enclosures[i].line);
}

void
case_each_statement(const struct case_doc *c,
    void (*fn)(void *, const char *, const char *, unsigned), void *ctx)
{
	const struct approval *a = &c->approval;
	int order[IND__MAX], n = 0;

	for (size_t i = 0; i < c->notice.noffenses; i++) {
		const struct offense *o = &c->notice.offenses[i];

		fn(ctx, "offense/description", o->description,
		    o->description_line ? o->description_line : o->line);
	}
	if (c->review.notes != NULL)
		fn(ctx, "preliminaryReview/notes", c->review.notes,
		    c->review.notes_line);
	for (size_t i = 0; i < c->nfacts; i++) {
		if (c->facts[i].source != NULL)
			fn(ctx, "independentBasis/fact/@source",
			    c->facts[i].source, c->facts[i].line);
		fn(ctx, "independentBasis/fact", c->facts[i].text,
		    c->facts[i].line);
	}
	if (c->use.proceeding != NULL)
		fn(ctx, "intendedUse/@proceeding", c->use.proceeding,
		    c->use.line);
	if (a->present && a->conditions != NULL)
		fn(ctx, "supervisoryApproval/conditions", a->conditions,
		    a->conditions_line);
	/* Dispositions are kept by indicator: report them in file order. */
	for (int i = 0; i < IND__MAX && a->present; i++) {
		int j = n++;

		if (a->dispositions[i] == NULL) {
			n--;
			continue;
		}
		while (j > 0 && a->disposition_lines[order[j - 1]] >
		    a->disposition_lines[i]) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	for (int k = 0; k < n; k++)
		fn(ctx, "supervisoryApproval/disposition",
		    a->dispositions[order[k]], a->disposition_lines[order[k]]);
	if (c->response.present && c->response.consideration != NULL)
		fn(ctx, "subjectResponse/consideration",
		    c->response.consideration, c->response.consideration_line);
}
