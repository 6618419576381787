/*
 * report.c - JSON, CSV and console forms of findings (see report.h).
 *
 * Every string that may come from input goes through diag_quote()
 * (invisible and invalid characters made visible) and then through the
 * JSON or CSV escaping, so a hostile name cannot break a report or a
 * spreadsheet.
 */
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "rnpack/case.h"
#include "rnpack/date.h"
#include "rnpack/report.h"
#include "rnpack/rules.h"
#include "rnpack/xalloc.h"

void
run_entry_free(struct run_entry *e)
{
	free(e->source);
	free(e->case_id);
	findings_free(&e->findings);
	e->source = e->case_id = NULL;
}

void
run_entry_set_case(struct run_entry *e, const char *case_id,
    const struct evaluation *ev)
{
	free(e->case_id);
	e->case_id = xstrdup(case_id);
	e->status = ev->status;
	/* Every finding, warnings included: the summaries list them all. */
	for (size_t i = 0; i < ev->findings.n; i++) {
		const struct finding *f = &ev->findings.v[i];
		struct finding *g;

		g = findings_add(&e->findings, f->code, f->line, "%s",
		    f->message);
		g->step = f->step;
		g->indicator = f->indicator;
		g->blocks = f->blocks;
		finding_set_quote(g, f->field, f->quote, f->doc_message);
	}
}

void
report_json_string(struct buf *b, const char *s)
{
	char *q = diag_quote(s, (size_t)-1);

	buf_addc(b, '"');
	for (const unsigned char *p = (const unsigned char *)q; *p; p++) {
		switch (*p) {
		case '"':
			buf_adds(b, "\\\"");
			break;
		case '\\':
			buf_adds(b, "\\\\");
			break;
		default:
			if (*p < 0x20)
				buf_addf(b, "\\u%04x", *p);
			else
				buf_addc(b, (char)*p);
		}
	}
	buf_addc(b, '"');
	free(q);
}

/*
 * A JSON string that decodes to s exactly (a quoted phrase keeps its line
 * breaks), yet shows nothing invisible as it stands: controls, format
 * characters (bidi, zero-width) and line separators become \uXXXX
 * escapes, and an invalid byte becomes U+FFFD.
 */
static void
json_exact(struct buf *b, const char *s)
{
	int32_t i = 0, len = (int32_t)strnlen(s, INT32_MAX);

	buf_addc(b, '"');
	while (i < len) {
		int32_t start = i;
		UChar32 c;
		int8_t t;

		U8_NEXT(s, i, len, c);
		if (c < 0) {
			buf_adds(b, "\\ufffd");
			continue;
		}
		t = (int8_t)u_charType(c);
		if (c == '"' || c == '\\')
			buf_addf(b, "\\%c", (char)c);
		else if (c == '\n')
			buf_adds(b, "\\n");
		else if (c == '\t')
			buf_adds(b, "\\t");
		else if (t == U_CONTROL_CHAR || t == U_FORMAT_CHAR ||
		    t == U_LINE_SEPARATOR || t == U_PARAGRAPH_SEPARATOR ||
		    t == U_UNASSIGNED || t == U_PRIVATE_USE_CHAR) {
			if (c > 0xFFFF)
				buf_addf(b, "\\u%04x\\u%04x",
				    (unsigned)(0xD7C0 + (c >> 10)),
				    (unsigned)(0xDC00 | (c & 0x3FF)));
			else
				buf_addf(b, "\\u%04x", (unsigned)c);
		} else
			buf_add(b, s + start, (size_t)(i - start));
	}
	buf_addc(b, '"');
}

static void
json_date(struct buf *b, int32_t d)
{
	char s[11];

	date_format_iso(d, s);
	buf_addf(b, "\"%s\"", s);
}

static void
json_finding(struct buf *b, const struct finding *f, const char *indent)
{
	const char *step = step_id(f->step);
	bool first = true;

	buf_addf(b, "%s{ \"code\": \"%s\", \"severity\": \"%s\", \"step\": ",
	    indent, diag_code_id(f->code),
	    diag_severity_id(diag_severity(f->code)));
	if (step != NULL)
		buf_addf(b, "\"%s\"", step);
	else
		buf_adds(b, "null");
	if (f->indicator != IND_NONE)
		buf_addf(b, ", \"indicator\": \"%s\"", indicator_id(f->indicator));
	buf_adds(b, ", \"message\": ");
	report_json_string(b, f->message);
	if (f->field != NULL) {
		buf_adds(b, ", \"field\": ");
		report_json_string(b, f->field);
	}
	if (f->quote != NULL) {
		buf_adds(b, ", \"quote\": ");
		json_exact(b, f->quote);
	}
	buf_addf(b, ", \"line\": %u, \"withholds\": [", f->line);
	for (int d = 0; d <= DOC_COURT; d++) {
		if (!(f->blocks & DOC_BIT(d)))
			continue;
		buf_addf(b, "%s\"%s\"", first ? "" : ", ", doc_id((enum doc)d));
		first = false;
	}
	buf_adds(b, "] }");
}

/* A "key": "value" line of an object, after a comma unless first; both
 * are ids, which need no escaping. */
static void
json_id_member(struct buf *b, bool first, const char *key, const char *val)
{
	buf_adds(b, first ? "\n    \"" : ",\n    \"");
	buf_adds(b, key);
	buf_adds(b, "\": \"");
	buf_adds(b, val);
	buf_addc(b, '"');
}

void
report_case_json(struct buf *b, const struct case_doc *c, const char *source,
    const struct evaluation *ev, int32_t as_of,
    const struct report_provenance *prov)
{
	buf_adds(b, "{\n  \"case\": ");
	report_json_string(b, c->id);
	buf_adds(b, ",\n  \"source\": ");
	report_json_string(b, source);
	buf_adds(b, ",\n  \"asOf\": ");
	json_date(b, as_of);
	buf_addf(b, ",\n  \"status\": \"%s\",\n  \"steps\": {",
	    case_status_id(ev->status));
	for (int s = 0; s < STEP__MAX; s++)
		json_id_member(b, s == 0, step_id((enum step)s),
		    step_status_id(ev->steps[s]));
	buf_adds(b, "\n  },\n  \"findings\": [");
	for (size_t i = 0; i < ev->findings.n; i++) {
		buf_adds(b, i ? ",\n" : "\n");
		json_finding(b, &ev->findings.v[i], "    ");
	}
	buf_adds(b, ev->findings.n ? "\n  ],\n" : "],\n");
	buf_adds(b, "  \"documents\": {");
	for (int d = 0; d < DOC__MAX; d++)
		json_id_member(b, d == 0, doc_id((enum doc)d),
		    ev->generated & DOC_BIT(d) ? "generated" : "blocked");
	/* The court submission only where intendedUse/immigrationCourt
	 * is; rules_settle() says whether it is generated. */
	json_id_member(b, false, doc_id(DOC_COURT),
	    !c->use.court.present ? "not-applicable" :
	    ev->generated & DOC_BIT(DOC_COURT) ? "generated" : "blocked");
	buf_adds(b, "\n  }");
	if (ev->response_due != DATE_NONE) {
		buf_adds(b, ",\n  \"responseDue\": ");
		json_date(b, ev->response_due);
	}
	if (prov != NULL) {
		buf_adds(b, ",\n  \"rnpack\": { \"version\": ");
		report_json_string(b, prov->version);
		buf_adds(b, ", \"input\": ");
		report_json_string(b, prov->input);
		buf_adds(b, ", \"templates\": ");
		report_json_string(b, prov->templates);
		buf_adds(b, ", \"policy\": ");
		report_json_string(b, prov->policy);
		buf_adds(b, ", \"fonts\": [");
		for (size_t i = 0; i < prov->nfonts; i++) {
			buf_adds(b, i ? ", { \"file\": " : "{ \"file\": ");
			report_json_string(b, prov->fonts[i].file);
			buf_addf(b, ", \"index\": %u, \"sha256\": ",
			    prov->fonts[i].index);
			report_json_string(b, prov->fonts[i].sha256);
			buf_adds(b, " }");
		}
		buf_adds(b, "] }");
	}
	buf_adds(b, "\n}\n");
}

void
report_summary_json_entry(struct buf *b, const struct run_entry *e)
{
	buf_adds(b, "  { \"source\": ");
	report_json_string(b, e->source);
	if (e->case_id != NULL) {
		buf_adds(b, ", \"case\": ");
		report_json_string(b, e->case_id);
	}
	buf_addf(b, ", \"status\": \"%s\", \"findings\": [",
	    case_status_id(e->status));
	for (size_t k = 0; k < e->findings.n; k++) {
		buf_adds(b, k ? ",\n" : "\n");
		json_finding(b, &e->findings.v[k], "      ");
	}
	buf_adds(b, e->findings.n ? "\n    ] }" : "] }");
}

void
report_summary_json_sep(struct buf *b, size_t i, size_t n)
{
	if (i == 0)
		buf_adds(b, "[");
	if (i < n)
		buf_adds(b, i ? ",\n" : "\n");
	else
		buf_adds(b, n ? "\n]\n" : "]\n");
}

void
report_summary_json(struct buf *b, const struct run_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		report_summary_json_sep(b, i, n);
		report_summary_json_entry(b, &v[i]);
	}
	report_summary_json_sep(b, n, n);
}

void
report_csv_field(struct buf *b, const char *s)
{
	char *q = diag_quote(s, (size_t)-1);

	buf_addc(b, '"');
	if (q[0] == '=' || q[0] == '+' || q[0] == '-' || q[0] == '@')
		buf_addc(b, '\'');
	for (const char *p = q; *p; p++) {
		if (*p == '"')
			buf_addc(b, '"');
		buf_addc(b, *p);
	}
	buf_addc(b, '"');
	free(q);
}

static void
withheld_docs(struct buf *b, unsigned mask, const char *sep)
{
	bool first = true;

	for (int d = 0; d <= DOC_COURT; d++) {
		if (!(mask & DOC_BIT(d)))
			continue;
		buf_addf(b, "%s%s", first ? "" : sep, doc_id((enum doc)d));
		first = false;
	}
}

void
report_summary_csv_header(struct buf *b)
{
	buf_adds(b, "source,case,status,withheld,findings,lines,messages\r\n");
}

void
report_summary_csv_row(struct buf *b, const struct run_entry *e)
{
	struct buf codes = BUF_INIT, lines = BUF_INIT, msgs = BUF_INIT;
	struct buf docs = BUF_INIT;

	withheld_docs(&docs, findings_blocks(&e->findings), " ");
	for (size_t k = 0; k < e->findings.n; k++) {
		const struct finding *f = &e->findings.v[k];

		buf_addf(&codes, "%s%s", k ? " " : "",
		    diag_code_id(f->code));
		buf_addf(&lines, "%s%u", k ? " " : "", f->line);
		buf_addf(&msgs, "%s%s", k ? " | " : "", f->message);
	}
	report_csv_field(b, e->source);
	buf_addc(b, ',');
	report_csv_field(b, e->case_id ? e->case_id : "");
	buf_addf(b, ",%s,", case_status_id(e->status));
	report_csv_field(b, docs.ptr);
	buf_addc(b, ',');
	report_csv_field(b, codes.ptr);
	buf_addc(b, ',');
	report_csv_field(b, lines.ptr);
	buf_addc(b, ',');
	report_csv_field(b, msgs.ptr);
	buf_adds(b, "\r\n");
	buf_free(&codes);
	buf_free(&lines);
	buf_free(&msgs);
	buf_free(&docs);
}

void
report_summary_csv(struct buf *b, const struct run_entry *v, size_t n)
{
	report_summary_csv_header(b);
	for (size_t i = 0; i < n; i++)
		report_summary_csv_row(b, &v[i]);
}

/* Codes of the findings that pass keep(), each once, after ", ". */
static void
console_codes(struct buf *b, const struct findings *fs,
    bool (*keep)(const struct finding *))
{
	bool first = true;

	for (size_t i = 0; i < fs->n; i++) {
		enum diag_code code = fs->v[i].code;
		bool seen = false;

		if (!keep(&fs->v[i]))
			continue;
		for (size_t j = 0; j < i; j++)
			seen |= keep(&fs->v[j]) && fs->v[j].code == code;
		if (!seen)
			buf_addf(b, "%s%s", first ? " " : ", ",
			    diag_code_id(code));
		first = false;
	}
}

#define CONSOLE_DOCS	(DOCS_AFTER_SUMMARY | DOC_BIT(DOC_COURT))

static bool
withholds_doc(const struct finding *f)
{
	return (f->blocks & CONSOLE_DOCS) != 0;
}

/* Counsel's copy not fitting withholds a mail piece, not a document. */
static bool
withholds_piece(const struct finding *f)
{
	return !withholds_doc(f) && f->code == DIAG_ADDRESS_DOES_NOT_FIT;
}

static bool
withholds_nothing(const struct finding *f)
{
	return !withholds_doc(f) && !withholds_piece(f);
}

static void
console_invalid(struct buf *b, const struct run_entry *e, bool verbose)
{
	char *src = diag_quote(e->source, 200);

	if (e->findings.n == 0)
		buf_addf(b, "%s:0: invalid — invalid-input: not a case file\n",
		    src);
	/* Verbose: every problem, one line each. */
	for (size_t i = 0; i < e->findings.n && (i == 0 || verbose); i++) {
		const struct finding *f = &e->findings.v[i];

		buf_addf(b, "%s:%u: invalid — %s: %s", src, f->line,
		    diag_code_id(f->code), verbose || e->plain ? f->message :
		    "see summary.json for why (--verbose shows it here; it "
		    "may quote the file)");
		if (i == 0 && !verbose && e->findings.n > 1)
			buf_addf(b, " (and %zu more problem%s: summary.json, "
			    "or --verbose)", e->findings.n - 1,
			    e->findings.n > 2 ? "s" : "");
		buf_addc(b, '\n');
	}
	free(src);
}

void
report_console_line(struct buf *b, const struct run_entry *e, bool verbose)
{
	unsigned withheld = findings_blocks(&e->findings) & CONSOLE_DOCS;
	bool piece = false, other = false;
	int nd = 0, k = 0;

	if (e->status == CASE_INVALID) {
		console_invalid(b, e, verbose);
		return;
	}
	for (size_t i = 0; i < e->findings.n; i++) {
		piece |= withholds_piece(&e->findings.v[i]);
		other |= withholds_nothing(&e->findings.v[i]);
	}
	buf_addf(b, "%s: %s", e->case_id, case_status_id(e->status));
	for (int d = 0; d <= DOC_COURT; d++)
		nd += (withheld & DOC_BIT(d)) != 0;
	if (nd > 0)
		buf_adds(b, " — ");
	for (int d = 0; d <= DOC_COURT; d++) {
		if (!(withheld & DOC_BIT(d)))
			continue;
		k++;
		buf_addf(b, "%s%s", k == 1 ? "" : k == nd ? " and " : ", ",
		    doc_title((enum doc)d));
	}
	if (nd > 0) {
		buf_adds(b, " withheld:");
		console_codes(b, &e->findings, withholds_doc);
	}
	if (piece) {
		buf_adds(b, nd > 0 ? "; a mail piece withheld:" :
		    " — a mail piece withheld:");
		console_codes(b, &e->findings, withholds_piece);
	}
	/* Where the line lists problems, the warnings (and any finding
	 * that withholds nothing) are named too; a case with nothing
	 * withheld keeps its short line. */
	if ((nd > 0 || piece) && other) {
		buf_adds(b, "; withholding nothing:");
		console_codes(b, &e->findings, withholds_nothing);
	}
	buf_addc(b, '\n');
}

void
report_totals_line(struct buf *b, const struct run_totals *t)
{
	const struct run_outcome *o = &t->outcome;
	char d[11], *dir;

	date_format_iso(t->as_of, d);
	buf_addf(b, "rnpack: %zu inputs as of %s: %zu complete, %zu partial, "
	    "%zu blocked, %zu invalid", t->inputs, d,
	    t->count[CASE_COMPLETE], t->count[CASE_PARTIAL],
	    t->count[CASE_BLOCKED], t->count[CASE_INVALID]);
	switch (o->ending) {
	case RUN_END_INTERRUPTED:
		buf_adds(b, "; no print job: interrupted");
		break;
	case RUN_END_CHECK_ONLY:
		buf_adds(b, "; no print job: check only");
		break;
	case RUN_END_SAMPLE_OFFICE:
		buf_adds(b, "; no print job: sample office");
		break;
	case RUN_END_NOT_WRITTEN:
		buf_addf(b, "; print job not written: %zu pieces wait for the "
		    "next run", o->pieces);
		break;
	case RUN_END_JOB:
		/* The folder is the clerk's own -o, yet made visible. */
		dir = diag_quote(o->dir ? o->dir : "", 400);
		buf_addf(b, "; print job %s (%zu pieces, %zu print files)",
		    dir, o->pieces, o->files);
		free(dir);
		break;
	case RUN_END_NO_NEW_PIECE:
		buf_adds(b, "; no print job: no new piece");
		break;
	}
	if (o->ending >= RUN_END_NOT_WRITTEN && o->held > 0)
		buf_addf(b, "; %zu pieces held: sample translator", o->held);
	buf_addc(b, '\n');
}
