/*
 * htmlindex.c - OUT/index.html, the run at a glance (see htmlindex.h).
 *
 * Plain HTML first: headings, tables with header cells and captions,
 * colours that keep a 4.5:1 contrast, status written as a word and not
 * only as a colour.  The inline script only adds sorting and filtering;
 * without it the page reads the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

#include "rnpack/htmlindex.h"
#include "rnpack/xalloc.h"

static void
esc(struct buf *b, const char *s)
{
	for (; s != NULL && *s; s++) {
		switch (*s) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&#39;"); break;
		default: buf_addc(b, *s); break;
		}
	}
}

static const char style[] =
"body{font:16px/1.45 system-ui,sans-serif;margin:0 auto;max-width:72em;"
"padding:0 1em 3em;color:#111;background:#fff}"
"h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em}"
"table{border-collapse:collapse;margin:.5em 0}"
"caption{text-align:left;font-weight:600;padding:.3em 0}"
"th,td{border:1px solid #767676;padding:.3em .6em;text-align:left;"
"vertical-align:top}"
"thead th{background:#e8e8e8}"
"td.num{text-align:right}"
".complete{color:#0b6a0b}.partial{color:#8a4b00}.blocked{color:#a4000f}"
".invalid{color:#a4000f;font-weight:600}"
".error{color:#a4000f;font-weight:600}.warning{color:#8a4b00}"
"ul{margin:0;padding-left:1.1em}code{font-size:.95em}"
"th button{font:inherit;font-weight:600;background:none;border:0;"
"padding:0;cursor:pointer;text-decoration:underline}"
"#tools{margin:.5em 0}#tools label{margin-right:.4em}"
"a{color:#0645ad}";

/*
 * Sorting and filtering, when scripts run: the table is already there.
 * A link may preset the filter: index.html#status=partial&q=HOU.
 */
static const char script[] =
"(function(){var t=document.getElementById('cases');if(!t)return;"
"var tb=t.tBodies[0],rows=[].slice.call(tb.rows),"
"f=document.getElementById('filter'),s=document.getElementById('status');"
"document.getElementById('tools').hidden=false;"
"function apply(){var q=f.value.toLowerCase(),st=s.value,n=0;"
"rows.forEach(function(r){var ok=(!st||r.dataset.status===st)&&"
"(!q||r.textContent.toLowerCase().indexOf(q)>=0);r.hidden=!ok;n+=ok;});"
"document.getElementById('shown').textContent=n+' of '+rows.length+"
"' inputs shown';}"
"f.addEventListener('input',apply);s.addEventListener('change',apply);"
"[].forEach.call(t.tHead.rows[0].cells,function(th,i){"
"var b=document.createElement('button');b.type='button';"
"b.textContent=th.textContent;th.textContent='';th.appendChild(b);"
"b.addEventListener('click',function(){"
"var dir=th.getAttribute('aria-sort')==='ascending'?-1:1;"
"[].forEach.call(t.tHead.rows[0].cells,function(c){"
"c.removeAttribute('aria-sort');});"
"th.setAttribute('aria-sort',dir>0?'ascending':'descending');"
"rows.sort(function(a,b){var x=a.cells[i].dataset.key||"
"a.cells[i].textContent,y=b.cells[i].dataset.key||b.cells[i].textContent;"
"var nx=parseFloat(x),ny=parseFloat(y);"
"if(!isNaN(nx)&&!isNaN(ny))return dir*(nx-ny);"
"return dir*x.localeCompare(y);});"
"rows.forEach(function(r){tb.appendChild(r);});});});"
"var h=new URLSearchParams(location.hash.slice(1));"
"if(h.get('status'))s.value=h.get('status');if(h.get('q'))f.value=h.get('q');"
"apply();})();";

static void
totals(struct buf *b, const struct index_entry *v, size_t n)
{
	size_t count[CASE_INVALID + 1] = { 0 };

	for (size_t i = 0; i < n; i++)
		count[v[i].status]++;
	buf_adds(b, "<section aria-labelledby=\"h-totals\">\n"
	    "<h2 id=\"h-totals\">Totals</h2>\n<table>\n"
	    "<caption>Inputs by status</caption>\n<thead><tr>"
	    "<th scope=\"col\">Status</th><th scope=\"col\">Inputs</th>"
	    "</tr></thead>\n<tbody>\n");
	for (int s = CASE_COMPLETE; s <= CASE_INVALID; s++)
		buf_addf(b, "<tr><th scope=\"row\" class=\"%s\">%s</th>"
		    "<td class=\"num\">%zu</td></tr>\n",
		    case_status_id((enum case_status)s),
		    case_status_id((enum case_status)s), count[s]);
	buf_addf(b, "<tr><th scope=\"row\">all inputs</th>"
	    "<td class=\"num\">%zu</td></tr>\n</tbody>\n</table>\n"
	    "</section>\n", n);
}

static void
by_code(struct buf *b, const struct index_entry *v, size_t n)
{
	size_t inputs[DIAG__MAX] = { 0 }, total[DIAG__MAX] = { 0 };
	bool any = false;

	for (size_t i = 0; i < n; i++) {
		bool seen[DIAG__MAX] = { false };
		const struct findings *f = v[i].findings;

		for (size_t k = 0; f != NULL && k < f->n; k++) {
			enum diag_code c = f->v[k].code;

			total[c]++;
			inputs[c] += !seen[c];
			seen[c] = true;
			any = true;
		}
	}
	buf_adds(b, "<section aria-labelledby=\"h-codes\">\n"
	    "<h2 id=\"h-codes\">Findings by code</h2>\n");
	if (!any) {
		buf_adds(b, "<p>No findings.</p>\n</section>\n");
		return;
	}
	buf_adds(b, "<table>\n<caption>Each finding code, with the inputs "
	    "that have it</caption>\n<thead><tr><th scope=\"col\">Code</th>"
	    "<th scope=\"col\">Severity</th><th scope=\"col\">Inputs</th>"
	    "<th scope=\"col\">Findings</th></tr></thead>\n<tbody>\n");
	for (int c = 0; c < DIAG__MAX; c++) {
		const char *sev;

		if (total[c] == 0)
			continue;
		sev = diag_severity_id(diag_severity((enum diag_code)c));
		buf_addf(b, "<tr><th scope=\"row\"><code>%s</code></th>"
		    "<td class=\"%s\">%s</td><td class=\"num\">%zu</td>"
		    "<td class=\"num\">%zu</td></tr>\n",
		    diag_code_id((enum diag_code)c), sev, sev, inputs[c],
		    total[c]);
	}
	buf_adds(b, "</tbody>\n</table>\n</section>\n");
}

static void
findings_cell(struct buf *b, const struct findings *f)
{
	if (f == NULL || f->n == 0) {
		buf_adds(b, "<td>none</td>");
		return;
	}
	buf_adds(b, "<td><ul>");
	for (size_t k = 0; k < f->n; k++) {
		const struct finding *x = &f->v[k];
		const char *sev = diag_severity_id(diag_severity(x->code));

		buf_addf(b, "<li><span class=\"%s\">%s</span> <code>%s</code>",
		    sev, sev, diag_code_id(x->code));
		if (x->line > 0)
			buf_addf(b, " (line %u)", x->line);
		if (x->message != NULL) {
			buf_adds(b, ": ");
			esc(b, x->message);
		}
		buf_adds(b, "</li>");
	}
	buf_adds(b, "</ul></td>");
}

static void
files_cell(struct buf *b, const struct index_entry *e)
{
	if (e->case_id == NULL || !e->has_folder) {
		buf_adds(b, "<td>none</td>");
		return;
	}
	buf_adds(b, "<td><ul>");
	if (e->has_packet) {
		buf_adds(b, "<li><a href=\"");
		esc(b, e->case_id);
		buf_adds(b, "/packet.pdf\">packet</a></li>");
	}
	buf_adds(b, "<li><a href=\"");
	esc(b, e->case_id);
	buf_adds(b, "/report.json\">report</a></li>");
	for (size_t k = 0; k < e->npieces; k++) {
		buf_adds(b, "<li><a href=\"");
		esc(b, e->case_id);
		buf_addc(b, '/');
		esc(b, e->pieces[k]);
		buf_adds(b, "\">");
		esc(b, e->pieces[k]);
		buf_adds(b, "</a></li>");
	}
	buf_adds(b, "</ul></td>");
}

static void
rows(struct buf *b, const struct index_entry *v, size_t n)
{
	buf_adds(b, "<section aria-labelledby=\"h-inputs\">\n"
	    "<h2 id=\"h-inputs\">Every input</h2>\n"
	    "<div id=\"tools\" hidden><label for=\"filter\">Filter</label>"
	    "<input id=\"filter\" type=\"search\"> "
	    "<label for=\"status\">Status</label><select id=\"status\">"
	    "<option value=\"\">any</option>");
	for (int s = CASE_COMPLETE; s <= CASE_INVALID; s++)
		buf_addf(b, "<option>%s</option>",
		    case_status_id((enum case_status)s));
	buf_adds(b, "</select> <span id=\"shown\" role=\"status\"></span>"
	    "</div>\n<table id=\"cases\">\n<caption>One row per input, in "
	    "the order given</caption>\n<thead><tr><th scope=\"col\">#</th>"
	    "<th scope=\"col\">Input</th><th scope=\"col\">Case</th>"
	    "<th scope=\"col\">Status</th><th scope=\"col\">Findings</th>"
	    "<th scope=\"col\">Files</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const struct index_entry *e = &v[i];
		const char *st = case_status_id(e->status);

		buf_addf(b, "<tr data-status=\"%s\"><td class=\"num\">%zu</td>"
		    "<td>", st, i + 1);
		esc(b, e->source);
		buf_adds(b, "</td><td>");
		if (e->case_id != NULL)
			esc(b, e->case_id);
		buf_addf(b, "</td><td class=\"%s\" data-key=\"%d\">%s</td>",
		    st, (int)e->status, st);
		findings_cell(b, e->findings);
		files_cell(b, e);
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</tbody>\n</table>\n</section>\n");
}

void
htmlindex_write(struct buf *b, const char *title,
    const struct index_entry *v, size_t n)
{
	buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'; "
	    "script-src 'unsafe-inline'\">\n<title>");
	esc(b, title);
	buf_addf(b, "</title>\n<style>%s</style>\n</head>\n<body>\n"
	    "<header><h1>", style);
	esc(b, title);
	buf_adds(b, "</h1>\n<p>The packets, reports and mail pieces are in "
	    "this folder; <a href=\"summary.csv\">summary.csv</a> and "
	    "<a href=\"summary.json\">summary.json</a> hold the same "
	    "results for other programs.</p></header>\n<main>\n");
	totals(b, v, n);
	by_code(b, v, n);
	rows(b, v, n);
	buf_addf(b, "</main>\n<script>%s</script>\n</body>\n</html>\n",
	    script);
}

/* Whether out/id/name is a regular file. */
static bool
case_file(const char *out, const char *id, const char *name)
{
	char *path = xasprintf("%s/%s/%s", out, id, name);
	struct stat st;
	bool yes = lstat(path, &st) == 0 && S_ISREG(st.st_mode);

	free(path);
	return yes;
}

void
htmlindex_find_files(struct index_entry *e, const char *out,
    const char **names)
{
	static const char *const piece_names[HTMLINDEX_MAX_PIECES] = {
		"mail-subject.pdf", "mail-counsel.pdf" };

	if (e->case_id == NULL || e->status == CASE_INVALID)
		return;
	e->has_folder = case_file(out, e->case_id, "report.json");
	e->has_packet = case_file(out, e->case_id, "packet.pdf");
	e->pieces = names;
	e->npieces = 0;
	for (size_t k = 0; k < HTMLINDEX_MAX_PIECES; k++)
		if (case_file(out, e->case_id, piece_names[k]))
			names[e->npieces++] = piece_names[k];
}
