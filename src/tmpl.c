/*
 * tmpl.c - compile a template into an op tree, then evaluate it against
 * a case's data into a document model (see tmpl.h; the language is
 * described in templates/README).
 *
 * Compilation checks everything that can be checked without a case:
 * directive syntax, nesting, column counts, formatter names, and, with
 * a `known` callback, every data path.  Evaluation cannot fail: a value
 * that is absent from a case prints as empty (or as the default: text).
 * Values are inserted as text runs and are never read as markup.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnpack/buf.h"
#include "rnpack/date.h"
#include "rnpack/ddoc.h"
#include "rnpack/digest.h"
#include "rnpack/fmt.h"
#include "rnpack/tmpl.h"
#include "rnpack/tval.h"
#include "rnpack/xalloc.h"

#define MAX_DEPTH	16	/* nesting of @if/@each/@table/@box */
#define MAX_FMT		4	/* formatters per placeholder */
#define MAX_COLS	12
#define MAX_TEMPLATE	(1024 * 1024)

/* ---- compiled form ------------------------------------------------ */

enum fmt_kind {
	FMT_DATE, FMT_ISO, FMT_UPPER, FMT_NAME, FMT_COUNTRY, FMT_DEFAULT,
	FMT_YESNO, FMT_COUNT, FMT_LANGUAGE
};

static const char *const fmt_names[] = {
	"date", "iso", "upper", "name", "country", "default", "yesno",
	"count", "language", NULL
};

struct fmt {
	enum fmt_kind	 kind;
	char		*arg;		/* FMT_DEFAULT */
};

enum piece_kind {
	P_TEXT,		/* literal text */
	P_VALUE,	/* {path|fmt...} */
	P_INDEX,	/* {@index} */
	P_PAGE,
	P_PAGES
};

struct piece {
	enum piece_kind	 kind;
	unsigned	 style;
	char		*text;		/* P_TEXT; path for P_VALUE */
	struct fmt	 fmts[MAX_FMT];
	int		 nfmts;
};

struct inl {
	struct piece	*v;
	size_t		 n;
};

struct expr {
	char	*path;
	int	 op;		/* 0 truthy, '!' not, '=' equal, 'n' not equal */
	char	*lit;
};

enum bop {
	B_HEADING, B_PARA, B_ITEM, B_NUM_ITEM, B_TABLE, B_ROW, B_CHECKBOX,
	B_FIELD, B_SIGNATURE, B_BOX, B_PAGEBREAK, B_SPACE, B_RULE, B_IF,
	B_EACH, B_BARCODE, B_KEEP, B_BOOKMARK, B_TITLE, B_HEADS
};

struct bnode {
	enum bop	 kind;
	unsigned	 line;
	int		 level;		/* B_HEADING */
	bool		 header;	/* B_ROW */
	enum dalign	 align;		/* B_ALIGN */
	struct inl	 a, b;		/* text; value/right label */
	struct inl	*cells;		/* B_ROW */
	size_t		 ncells;
	double		 num[MAX_COLS];	/* widths, box, space */
	size_t		 nnum;
	struct expr	 cond;		/* B_IF, B_CHECKBOX */
	bool		 window;	/* B_BOX placed at data window.* */
	char		*var;		/* B_EACH */
	char		*path;		/* B_EACH */
	struct bnode	*kids;		/* body */
	size_t		 nkids;
	size_t		 kcap;
	struct bnode	*els;		/* B_IF: else branch */
	size_t		 nels;
	size_t		 ecap;
};

struct tmpl {
	char		*lang;
	struct inl	 title;
	double		 margin[4];
	double		 size_pt;
	struct inl	 header[3];
	struct inl	 footer[3];
	struct bnode	*body;
	size_t		 nbody;
	size_t		 bcap;
};

/* ---- freeing ------------------------------------------------------ */

static void
inl_free(struct inl *in)
{
	for (size_t i = 0; i < in->n; i++) {
		free(in->v[i].text);
		for (int k = 0; k < in->v[i].nfmts; k++)
			free(in->v[i].fmts[k].arg);
	}
	free(in->v);
	in->v = NULL;
	in->n = 0;
}

static void nodes_free(struct bnode *, size_t);

static void
node_free(struct bnode *b)
{
	inl_free(&b->a);
	inl_free(&b->b);
	for (size_t i = 0; i < b->ncells; i++)
		inl_free(&b->cells[i]);
	free(b->cells);
	free(b->cond.path);
	free(b->cond.lit);
	free(b->var);
	free(b->path);
	nodes_free(b->kids, b->nkids);
	nodes_free(b->els, b->nels);
}

static void
nodes_free(struct bnode *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		node_free(&v[i]);
	free(v);
}

void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	inl_free(&t->title);
	for (int i = 0; i < 3; i++) {
		inl_free(&t->header[i]);
		inl_free(&t->footer[i]);
	}
	nodes_free(t->body, t->nbody);
	free(t->lang);
	free(t);
}

const char *
tmpl_language(const struct tmpl *t)
{
	return t->lang;
}

/* ---- compiling ---------------------------------------------------- */

/* A block list being filled: the template body, a branch, a loop body. */
struct list {
	struct bnode	**v;
	size_t		 *n;
	size_t		 *cap;
};

struct frame {
	struct bnode	*node;		/* @if, @each, @table, @box */
	struct list	 into;		/* where blocks go now */
	bool		 in_else;
	char		*var;		/* @each variable */
	char		*list_path;	/* its list, for path checks */
	char		 list_buf[512];	/* ... as the data names it */
};

struct compiler {
	const char	*name;
	unsigned	 line;
	tmpl_known_fn	 known;
	struct tmpl	*t;
	struct frame	 stack[MAX_DEPTH + 1];
	int		 depth;
	struct buf	 para;		/* text lines of the open paragraph */
	unsigned	 para_line;
	enum dalign	 align;
	char		*err;
};

static bool fail(struct compiler *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static bool
fail(struct compiler *cc, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	if (cc->err != NULL)
		return false;
	buf_addf(&b, "%s:%u: ", cc->name, cc->line);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	cc->err = buf_detach(&b);
	return false;
}

static struct bnode *
emit(struct compiler *cc, enum bop kind)
{
	struct list *l = &cc->stack[cc->depth].into;
	struct bnode *b;

	if (*l->n == *l->cap) {
		*l->cap = *l->cap ? *l->cap * 2 : 8;
		*l->v = xreallocarray(*l->v, *l->cap, sizeof(**l->v));
	}
	b = &(*l->v)[(*l->n)++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	b->line = cc->line;
	return b;
}

static bool
is_path_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-' ||
	    c == '@';
}

/*
 * The path of a loop variable's field as the data names it: "a.line"
 * inside "@each a in v.lines" inside "@each v in letter.served" is
 * "letter.served[].lines[].line".  Returns the loop's frame, or 0.
 */
static int
resolve_path(struct compiler *cc, const char *path, char *full, size_t size)
{
	size_t n = strcspn(path, ".");

	for (int i = cc->depth; i > 0; i--) {
		const char *v = cc->stack[i].var;

		if (v == NULL || strlen(v) != n || strncmp(path, v, n) != 0)
			continue;
		snprintf(full, size, "%s[]%s", cc->stack[i].list_path,
		    path + n);
		return i;
	}
	snprintf(full, size, "%s", path);
	return 0;
}

/* Check a data path against the loop variables in scope and known(). */
static bool
check_path(struct compiler *cc, const char *path)
{
	char full[512];
	int i;

	if (path[0] == '\0' || path[0] == '.' || path[strlen(path) - 1] == '.')
		return fail(cc, "\"%s\" is not a data path", path);
	if ((i = resolve_path(cc, path, full, sizeof(full))) > 0) {
		if (cc->known != NULL && !cc->known(full))
			return fail(cc, "unknown field \"%s\" (%s has no such "
			    "field)", path, cc->stack[i].list_path);
		return true;
	}
	if (cc->known != NULL && !cc->known(path))
		return fail(cc, "unknown field \"%s\"", path);
	return true;
}

/* Parse "{...}" content (without braces) into p. */
static bool
parse_placeholder(struct compiler *cc, const char *s, size_t len,
    struct piece *p, bool counters)
{
	char *body = xstrndup(s, len), *bar, *rest;
	bool ok = true;

	p->kind = P_VALUE;
	bar = strchr(body, '|');
	if (bar != NULL)
		*bar = '\0';
	p->text = xstrdup(body);
	for (char *q = p->text; *q; q++)
		if (!is_path_char(*q)) {
			ok = fail(cc, "bad character '%c' in placeholder {%s}",
			    *q, body);
			break;
		}
	if (ok && (strcmp(p->text, "page") == 0 ||
	    strcmp(p->text, "pages") == 0)) {
		if (!counters)
			ok = fail(cc, "{%s} is only allowed in @header and "
			    "@footer", p->text);
		p->kind = strcmp(p->text, "page") == 0 ? P_PAGE : P_PAGES;
	} else if (ok && strcmp(p->text, "@index") == 0) {
		bool in_loop = false;

		for (int i = 1; i <= cc->depth; i++)
			in_loop |= cc->stack[i].var != NULL;
		if (!in_loop)
			ok = fail(cc, "{@index} is only allowed inside @each");
		p->kind = P_INDEX;
	} else if (ok)
		ok = check_path(cc, p->text);
	for (rest = bar ? bar + 1 : NULL; ok && rest != NULL; ) {
		char *next = strchr(rest, '|'), *colon;
		int k;

		if (next != NULL)
			*next++ = '\0';
		if ((colon = strchr(rest, ':')) != NULL)
			*colon++ = '\0';
		for (k = 0; fmt_names[k] != NULL; k++)
			if (strcmp(rest, fmt_names[k]) == 0)
				break;
		if (fmt_names[k] == NULL)
			ok = fail(cc, "unknown formatter \"%s\" (known: date, "
			    "iso, upper, name, country, default, yesno, count, language)",
			    rest);
		else if (p->nfmts == MAX_FMT)
			ok = fail(cc, "too many formatters");
		else {
			struct fmt *f = &p->fmts[p->nfmts++];

			f->kind = (enum fmt_kind)k;
			if (f->kind == FMT_DEFAULT) {
				size_t al = colon ? strlen(colon) : 0;

				if (al < 2 || colon[0] != '"' ||
				    colon[al - 1] != '"')
					ok = fail(cc, "default needs a quoted "
					    "text: default:\"...\"");
				else
					f->arg = xstrndup(colon + 1, al - 2);
			} else if (colon != NULL)
				ok = fail(cc, "formatter %s takes no argument",
				    rest);
		}
		rest = next;
	}
	free(body);
	return ok;
}

static void
inl_push(struct inl *in, struct piece *p)
{
	in->v = xreallocarray(in->v, in->n + 1, sizeof(*in->v));
	in->v[in->n++] = *p;
}

/* Flush literal text gathered so far as one piece of the current style. */
static void
flush_text(struct inl *in, struct buf *lit, unsigned style)
{
	struct piece p;

	if (lit->len == 0)
		return;
	memset(&p, 0, sizeof(p));
	p.kind = P_TEXT;
	p.style = style;
	p.text = buf_detach(lit);
	inl_push(in, &p);
}

/* Parse inline markup: *bold*, _italic_, {placeholder}, \-escapes. */
static bool
parse_inline(struct compiler *cc, const char *s, struct inl *out,
    bool counters)
{
	struct buf lit = BUF_INIT;
	unsigned style = 0;

	while (*s) {
		if (*s == '\\' && s[1] != '\0' && strchr("\\*_{}|", s[1])) {
			buf_addc(&lit, s[1]);
			s += 2;
		} else if (*s == '*' || *s == '_') {
			flush_text(out, &lit, style);
			style ^= *s == '*' ? DRUN_BOLD : DRUN_ITALIC;
			s++;
		} else if (*s == '{') {
			const char *end = strchr(s, '}');
			struct piece p;

			if (end == NULL) {
				buf_free(&lit);
				return fail(cc, "unclosed {");
			}
			flush_text(out, &lit, style);
			memset(&p, 0, sizeof(p));
			p.style = style;
			if (!parse_placeholder(cc, s + 1, (size_t)(end - s - 1),
			    &p, counters)) {
				free(p.text);
				for (int k = 0; k < p.nfmts; k++)
					free(p.fmts[k].arg);
				return false;
			}
			inl_push(out, &p);
			s = end + 1;
		} else if (*s == '}') {
			buf_free(&lit);
			return fail(cc, "} without {");
		} else
			buf_addc(&lit, *s++);
	}
	flush_text(out, &lit, style);
	if (style != 0)
		return fail(cc, "unclosed %s", style & DRUN_BOLD ? "*bold*" :
		    "_italic_");
	return true;
}

static bool
flush_para(struct compiler *cc)
{
	struct bnode *b;
	unsigned line = cc->line;
	bool ok;

	if (cc->para.len == 0)
		return true;
	cc->line = cc->para_line;
	b = emit(cc, B_PARA);
	b->align = cc->align;
	ok = parse_inline(cc, cc->para.ptr, &b->a, false);
	buf_reset(&cc->para);
	cc->line = line;
	return ok;
}

static const char *
skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Split "A | B" at the first unescaped bar; both parts trimmed. */
static bool
split_bar(struct compiler *cc, const char *s, char **a, char **b)
{
	const char *p = s;

	while (*p && !(*p == '|' && (p == s || p[-1] != '\\')))
		p++;
	if (*p != '|')
		return fail(cc, "expected \"LEFT | RIGHT\"");
	*a = xstrndup(s, (size_t)(p - s));
	*b = xstrdup(skip_space(p + 1));
	for (char *e = *a + strlen(*a); e > *a && (e[-1] == ' ' ||
	    e[-1] == '\t'); )
		*--e = '\0';
	return true;
}

static bool
parse_numbers(struct compiler *cc, const char *s, struct bnode *b,
    size_t min, size_t max)
{
	while (*(s = skip_space(s))) {
		char *end;
		double v;

		errno = 0;
		v = strtod(s, &end);
		if (end == s || errno != 0 || !(v >= 0 && v <= 10000) ||
		    (*end && *end != ' ' && *end != '\t'))
			return fail(cc, "expected a number at \"%s\"", s);
		if (b->nnum == max)
			return fail(cc, "at most %zu numbers", max);
		b->num[b->nnum++] = v;
		s = end;
	}
	if (b->nnum < min)
		return fail(cc, "expected %zu numbers", min);
	return true;
}

static bool
parse_expr(struct compiler *cc, const char *s, struct expr *e)
{
	const char *p;
	size_t n;

	s = skip_space(s);
	if (*s == '!') {
		e->op = '!';
		s = skip_space(s + 1);
	}
	for (p = s; is_path_char(*p); p++)
		;
	n = (size_t)(p - s);
	if (n == 0)
		return fail(cc, "expected a condition (a data path)");
	e->path = xstrndup(s, n);
	if (!check_path(cc, e->path))
		return false;
	p = skip_space(p);
	if (*p == '\0')
		return true;
	if (e->op != 0 || (strncmp(p, "==", 2) != 0 && strncmp(p, "!=", 2)))
		return fail(cc, "a condition is PATH, !PATH, PATH == \"text\" "
		    "or PATH != \"text\"");
	e->op = p[0] == '=' ? '=' : 'n';
	p = skip_space(p + 2);
	n = strlen(p);
	if (n < 2 || p[0] != '"' || p[n - 1] != '"')
		return fail(cc, "compare with a quoted text: == \"...\"");
	e->lit = xstrndup(p + 1, n - 2);
	return true;
}

static bool
push_frame(struct compiler *cc, struct bnode *b, char *var,
    const char *list_path)
{
	struct frame *f;

	if (cc->depth == MAX_DEPTH)
		return fail(cc, "nesting deeper than %d", MAX_DEPTH);
	f = &cc->stack[++cc->depth];
	memset(f, 0, sizeof(*f));
	f->node = b;
	f->into.v = &b->kids;
	f->into.n = &b->nkids;
	f->into.cap = &b->kcap;
	f->var = var;
	if (list_path != NULL) {
		snprintf(f->list_buf, sizeof(f->list_buf), "%s", list_path);
		f->list_path = f->list_buf;
	}
	return true;
}

static struct bnode *
open_node(struct compiler *cc, enum bop kind)
{
	struct frame *f = &cc->stack[cc->depth];

	return f->node != NULL && f->node->kind == kind ? f->node : NULL;
}

static bool
in_table(struct compiler *cc)
{
	for (int i = cc->depth; i > 0; i--) {
		if (cc->stack[i].node->kind == B_TABLE)
			return true;
		if (cc->stack[i].node->kind == B_BOX)
			return false;
	}
	return false;
}

static size_t
table_cols(struct compiler *cc)
{
	for (int i = cc->depth; i > 0; i--)
		if (cc->stack[i].node->kind == B_TABLE)
			return cc->stack[i].node->nnum;
	return 0;
}

static bool
parse_row(struct compiler *cc, const char *s, bool header)
{
	struct bnode *b = emit(cc, B_ROW);
	size_t want = table_cols(cc);

	b->header = header;
	b->cells = xcalloc(MAX_COLS, sizeof(*b->cells));
	s = skip_space(s + (header ? 2 : 1));
	while (*s) {
		const char *p = s;
		char *cell;
		int brace = 0;

		/* A bar ends the cell unless escaped or inside {...}, where it
		 * separates formatters. */
		for (; *p && !(*p == '|' && p[-1] != '\\' && brace == 0); p++)
			brace += *p == '{' ? 1 : *p == '}' && brace > 0 ? -1 : 0;
		if (*p != '|')
			return fail(cc, "table row must end with |");
		if (b->ncells == MAX_COLS)
			return fail(cc, "more than %d cells", MAX_COLS);
		cell = xstrndup(s, (size_t)(p - s));
		for (char *e = cell + strlen(cell); e > cell && e[-1] == ' ';)
			*--e = '\0';
		if (!parse_inline(cc, cell, &b->cells[b->ncells++], false)) {
			free(cell);
			return false;
		}
		free(cell);
		s = skip_space(p + 1);
	}
	if (b->ncells != want)
		return fail(cc, "row has %zu cells, the table has %zu columns",
		    b->ncells, want);
	return true;
}

/*
 * The title, headers and footers belong to the whole document, whatever
 * @each or @if they are written in: parse them outside every loop, so a
 * loop variable or {@index} there is an error and not a read of a scope
 * that does not exist when they are evaluated.
 */
static bool
parse_document_level(struct compiler *cc, const char *s, struct inl *out,
    bool counters)
{
	int depth = cc->depth;
	bool ok;

	cc->depth = 0;
	ok = parse_inline(cc, s, out, counters);
	cc->depth = depth;
	return ok;
}

static bool
header_footer(struct compiler *cc, const char *s, struct inl slots[3])
{
	static const char *const where[] = { "left", "center", "right" };

	for (int i = 0; i < 3; i++) {
		size_t n = strlen(where[i]);

		if (strncmp(s, where[i], n) == 0 && (s[n] == ' ' || !s[n])) {
			inl_free(&slots[i]);
			return parse_document_level(cc, skip_space(s + n),
			    &slots[i], true);
		}
	}
	return fail(cc, "expected left, center or right");
}

/*
 * @document, @header or @footer inside a block: evaluated with the body,
 * it replaces the title or that running head for the whole document.
 */
static bool
conditional_head(struct compiler *cc, const char *word, const char *arg)
{
	static const char *const where[] = { "left", "center", "right" };
	struct bnode *b;

	/* Chosen by @if, but still document-level text: outside every
	 * loop (parse_document_level). */
	if (word[0] == 'd') {
		b = emit(cc, B_TITLE);
		return parse_document_level(cc, arg, &b->a, false);
	}
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(where[i]);

		if (strncmp(arg, where[i], n) == 0 && (arg[n] == ' ' ||
		    !arg[n])) {
			b = emit(cc, B_HEADS);
			b->level = (word[0] == 'f' ? 3 : 0) + i;
			return parse_document_level(cc, skip_space(arg + n),
			    &b->a, true);
		}
	}
	return fail(cc, "expected left, center or right");
}

/*
 * The directives: one handler each, given the directive's name (some
 * handlers serve several) and its argument, white space skipped.
 */
typedef bool directive_fn(struct compiler *, const char *word,
    const char *arg);

static bool
d_document(struct compiler *cc, const char *word, const char *arg)
{
	(void)word;
	inl_free(&cc->t->title);
	return parse_document_level(cc, arg, &cc->t->title, false);
}

static bool
d_bookmark(struct compiler *cc, const char *word, const char *arg)
{
	struct bnode *b;

	(void)word;
	if (*arg == '\0')
		return fail(cc, "@bookmark takes a title");
	b = emit(cc, B_BOOKMARK);
	return parse_inline(cc, arg, &b->a, false);
}

static bool
d_language(struct compiler *cc, const char *word, const char *arg)
{
	size_t len = strlen(arg);

	(void)word;
	if (len < 2 || len > 3 || strspn(arg,
	    "abcdefghijklmnopqrstuvwxyz") != len)
		return fail(cc, "@language takes a primary language "
		    "subtag such as en or es");
	free(cc->t->lang);
	cc->t->lang = xstrdup(arg);
	return true;
}

static bool
d_margins(struct compiler *cc, const char *word, const char *arg)
{
	struct bnode tmp;

	(void)word;
	memset(&tmp, 0, sizeof(tmp));
	if (!parse_numbers(cc, arg, &tmp, 4, 4))
		return false;
	for (int i = 0; i < 4; i++)
		if (tmp.num[i] > 288)
			return fail(cc, "a margin over 4 inches");
	memcpy(cc->t->margin, tmp.num, sizeof(cc->t->margin));
	return true;
}

static bool
d_size(struct compiler *cc, const char *word, const char *arg)
{
	struct bnode tmp;

	(void)word;
	memset(&tmp, 0, sizeof(tmp));
	if (!parse_numbers(cc, arg, &tmp, 1, 1))
		return false;
	if (tmp.num[0] < 6 || tmp.num[0] > 16)
		return fail(cc, "@size must be 6 to 16 points");
	cc->t->size_pt = tmp.num[0];
	return true;
}

/* @header and @footer. */
static bool
d_running_head(struct compiler *cc, const char *word, const char *arg)
{
	return header_footer(cc, arg, word[0] == 'h' ? cc->t->header :
	    cc->t->footer);
}

/* @left, @justify, @center, @right. */
static bool
d_align(struct compiler *cc, const char *word, const char *arg)
{
	(void)arg;
	cc->align = word[0] == 'l' ? DALIGN_LEFT : word[0] == 'j' ?
	    DALIGN_JUSTIFY : word[0] == 'c' ? DALIGN_CENTER : DALIGN_RIGHT;
	return true;
}

/* @pagebreak and @rule. */
static bool
d_mark(struct compiler *cc, const char *word, const char *arg)
{
	(void)arg;
	emit(cc, word[0] == 'p' ? B_PAGEBREAK : B_RULE);
	return true;
}

static bool
d_space(struct compiler *cc, const char *word, const char *arg)
{
	struct bnode *b = emit(cc, B_SPACE);

	(void)word;
	return parse_numbers(cc, arg, b, 1, 1);
}

static bool
d_checkbox(struct compiler *cc, const char *word, const char *arg)
{
	struct bnode *b;
	char *l = NULL, *r = NULL;
	bool ok;

	(void)word;
	if (!split_bar(cc, arg, &l, &r))
		return false;
	b = emit(cc, B_CHECKBOX);
	ok = parse_expr(cc, l, &b->cond) && parse_inline(cc, r, &b->a, false);
	free(l);
	free(r);
	return ok;
}

/* @field and @signature. */
static bool
d_field(struct compiler *cc, const char *word, const char *arg)
{
	struct bnode *b;
	char *l = NULL, *r = NULL;
	bool ok;

	if (!split_bar(cc, arg, &l, &r))
		return false;
	b = emit(cc, word[0] == 'f' ? B_FIELD : B_SIGNATURE);
	ok = parse_inline(cc, l, &b->a, false) &&
	    parse_inline(cc, r, &b->b, false);
	free(l);
	free(r);
	return ok;
}

static bool
d_table(struct compiler *cc, const char *word, const char *arg)
{
	struct bnode *b;
	double sum = 0;

	(void)word;
	if (in_table(cc))
		return fail(cc, "a table inside a table");
	b = emit(cc, B_TABLE);
	if (!parse_numbers(cc, arg, b, 1, MAX_COLS))
		return false;
	for (size_t i = 0; i < b->nnum; i++)
		sum += b->num[i];
	if (sum < 99.5 || sum > 100.5)
		return fail(cc, "@table column widths are percentages "
		    "and must add up to 100 (they add up to %g)", sum);
	return push_frame(cc, b, NULL, NULL);
}

static bool
d_keep(struct compiler *cc, const char *word, const char *arg)
{
	(void)word;
	if (*arg != '\0')
		return fail(cc, "@keep takes no argument");
	return push_frame(cc, emit(cc, B_KEEP), NULL, NULL);
}

static bool
d_barcode(struct compiler *cc, const char *word, const char *arg)
{
	struct bnode *b = emit(cc, B_BARCODE);

	(void)word;
	return parse_inline(cc, arg, &b->a, false);
}

/* The envelope window of the policy, less its clearance. */
static bool
d_window(struct compiler *cc, const char *word, const char *arg)
{
	struct bnode *b = emit(cc, B_BOX);

	(void)word;
	b->window = true;
	if (!parse_numbers(cc, arg, b, 1, 1))
		return false;
	if (b->num[0] < 6 || b->num[0] > 14)
		return fail(cc, "@window SIZE: text size 6 to 14 points");
	if (cc->known != NULL && !cc->known("window.left"))
		return fail(cc, "@window needs window data");
	return push_frame(cc, b, NULL, NULL);
}

static bool
d_box(struct compiler *cc, const char *word, const char *arg)
{
	struct bnode *b = emit(cc, B_BOX);

	(void)word;
	if (!parse_numbers(cc, arg, b, 4, 4))
		return false;
	if (b->num[0] + b->num[2] > 8.5 || b->num[1] + b->num[3] > 11)
		return fail(cc, "@box must lie on a US Letter page "
		    "(inches from the top-left corner)");
	return push_frame(cc, b, NULL, NULL);
}

static bool
d_if(struct compiler *cc, const char *word, const char *arg)
{
	struct bnode *b = emit(cc, B_IF);

	(void)word;
	return parse_expr(cc, arg, &b->cond) && push_frame(cc, b, NULL, NULL);
}

/* @elif and @else. */
static bool
d_else(struct compiler *cc, const char *word, const char *arg)
{
	struct frame *f = &cc->stack[cc->depth];
	struct bnode *b, *inner;

	if ((b = open_node(cc, B_IF)) == NULL || f->in_else)
		return fail(cc, "@%s without @if", word);
	f->in_else = true;
	f->into.v = &b->els;
	f->into.n = &b->nels;
	f->into.cap = &b->ecap;
	if (strcmp(word, "else") == 0)
		return true;
	/* @elif X is @else @if X, closed by the same @end. */
	inner = emit(cc, B_IF);
	if (!parse_expr(cc, arg, &inner->cond))
		return false;
	f->into.v = &inner->kids;
	f->into.n = &inner->nkids;
	f->into.cap = &inner->kcap;
	f->node = inner;
	f->in_else = false;
	return true;
}

static bool
d_each(struct compiler *cc, const char *word, const char *arg)
{
	char var[64], path[256], full[512];
	struct bnode *b;

	(void)word;
	if (sscanf(arg, "%63s in %255s", var, path) != 2)
		return fail(cc, "@each NAME in PATH");
	for (const char *p = var; *p; p++)
		if (!isalpha((unsigned char)*p))
			return fail(cc, "loop variable must be letters");
	if (!check_path(cc, path))
		return false;
	b = emit(cc, B_EACH);
	b->var = xstrdup(var);
	b->path = xstrdup(path);
	/* The frame keeps the list's full path, for nested loops. */
	resolve_path(cc, path, full, sizeof(full));
	return push_frame(cc, b, b->var, full);
}

static bool
d_end(struct compiler *cc, const char *word, const char *arg)
{
	(void)word;
	(void)arg;
	if (cc->depth == 0)
		return fail(cc, "@end without an open block");
	cc->depth--;
	return true;
}

/*
 * Every directive of the template language (templates/README).  HEAD:
 * inside a block it is a title or running head chosen by the case
 * (conditional_head()).
 */
#define D_HEAD	1u
static const struct directive {
	const char	*name;
	directive_fn	*run;
	unsigned	 flags;
} directives[] = {
	{ "document",	d_document,	D_HEAD },
	{ "header",	d_running_head,	D_HEAD },
	{ "footer",	d_running_head,	D_HEAD },
	{ "bookmark",	d_bookmark,	0 },
	{ "language",	d_language,	0 },
	{ "margins",	d_margins,	0 },
	{ "size",	d_size,		0 },
	{ "left",	d_align,	0 },
	{ "justify",	d_align,	0 },
	{ "center",	d_align,	0 },
	{ "right",	d_align,	0 },
	{ "pagebreak",	d_mark,		0 },
	{ "rule",	d_mark,		0 },
	{ "space",	d_space,	0 },
	{ "checkbox",	d_checkbox,	0 },
	{ "field",	d_field,	0 },
	{ "signature",	d_field,	0 },
	{ "table",	d_table,	0 },
	{ "keep",	d_keep,		0 },
	{ "barcode",	d_barcode,	0 },
	{ "window",	d_window,	0 },
	{ "box",	d_box,		0 },
	{ "if",		d_if,		0 },
	{ "elif",	d_else,		0 },
	{ "else",	d_else,		0 },
	{ "each",	d_each,		0 },
	{ "end",	d_end,		0 },
};

static bool
directive(struct compiler *cc, const char *line)
{
	char word[32];
	const char *arg;
	size_t n = strcspn(line + 1, " \t");

	if (n == 0 || n >= sizeof(word))
		return fail(cc, "unknown directive");
	memcpy(word, line + 1, n);
	word[n] = '\0';
	arg = skip_space(line + 1 + n);
	if (!flush_para(cc))
		return false;
	for (size_t i = 0; i < sizeof(directives) / sizeof(*directives); i++) {
		const struct directive *d = &directives[i];

		if (strcmp(word, d->name) != 0)
			continue;
		if (cc->depth > 0 && (d->flags & D_HEAD))
			return conditional_head(cc, word, arg);
		return d->run(cc, word, arg);
	}
	return fail(cc, "unknown directive @%s", word);
}

static bool
body_line(struct compiler *cc, const char *line)
{
	struct bnode *b;
	const char *s = skip_space(line);
	int level = 0;

	if (*s == '|' || (*s == '!' && s[1] == '|')) {
		if (!flush_para(cc))
			return false;
		if (!in_table(cc) || cc->stack[cc->depth].node->kind == B_BOX)
			return fail(cc, "table row outside @table");
		return parse_row(cc, s, *s == '!');
	}
	if (in_table(cc) && cc->stack[cc->depth].node->kind == B_TABLE &&
	    *s != '\0')
		return fail(cc, "only rows (| a | b |) inside @table");
	while (s[level] == '#')
		level++;
	if (level > 0 && level <= 3 && s[level] == ' ') {
		if (!flush_para(cc))
			return false;
		b = emit(cc, B_HEADING);
		b->level = level;
		return parse_inline(cc, skip_space(s + level), &b->a, false);
	}
	if ((s[0] == '-' && s[1] == ' ') || (isdigit((unsigned char)s[0]) &&
	    strspn(s, "0123456789") > 0 && s[strspn(s, "0123456789")] == '.' &&
	    s[strspn(s, "0123456789") + 1] == ' ')) {
		bool num = s[0] != '-';

		if (!flush_para(cc))
			return false;
		b = emit(cc, num ? B_NUM_ITEM : B_ITEM);
		b->align = cc->align;
		s = num ? s + strspn(s, "0123456789") + 2 : s + 2;
		return parse_inline(cc, skip_space(s), &b->a, false);
	}
	if (*s == '\0')
		return flush_para(cc);
	if (cc->para.len == 0)
		cc->para_line = cc->line;
	else
		buf_addc(&cc->para, ' ');
	buf_adds(&cc->para, s);
	return true;
}

struct tmpl *
tmpl_parse(const char *name, const char *text, size_t len,
    tmpl_known_fn known, char **err)
{
	struct compiler cc;
	struct tmpl *t = xcalloc(1, sizeof(*t));
	const char *p = text, *end = text + len;

	memset(&cc, 0, sizeof(cc));
	cc.name = name;
	cc.known = known;
	cc.t = t;
	t->lang = xstrdup("en");
	t->size_pt = 10;
	for (int i = 0; i < 4; i++)
		t->margin[i] = 72;
	cc.stack[0].into.v = &t->body;
	cc.stack[0].into.n = &t->nbody;
	cc.stack[0].into.cap = &t->bcap;
	if (memchr(text, '\0', len) != NULL) {
		cc.line = 1;
		fail(&cc, "the template contains a NUL byte");
	}
	while (p < end && cc.err == NULL) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = xstrndup(p, n);

		cc.line++;
		if (n > 0 && line[n - 1] == '\r')
			line[n - 1] = '\0';
		if (strncmp(line, "%%", 2) == 0)
			;	/* comment */
		else if (line[0] == '@')
			directive(&cc, line);
		else
			body_line(&cc, line);
		free(line);
		p = nl ? nl + 1 : end;
	}
	if (cc.err == NULL)
		flush_para(&cc);
	if (cc.err == NULL && cc.depth > 0) {
		cc.line = cc.stack[cc.depth].node->line;
		fail(&cc, "this block is never closed with @end");
	}
	if (cc.err == NULL && t->title.n == 0) {
		cc.line = 1;
		fail(&cc, "the template has no @document title");
	}
	buf_free(&cc.para);
	if (cc.err != NULL) {
		*err = cc.err;
		tmpl_free(t);
		return NULL;
	}
	return t;
}

struct tmpl *
tmpl_load(const char *path, tmpl_known_fn known, char **err)
{
	return tmpl_load_hashed(path, known, NULL, err);
}

struct tmpl *
tmpl_load_hashed(const char *path, tmpl_known_fn known, char *sha256,
    char **err)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;
	struct tmpl *t;

	if (f == NULL) {
		*err = xasprintf("%s: cannot read the template: %s", path,
		    strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 &&
	    b.len <= MAX_TEMPLATE)
		buf_add(&b, chunk, n);
	fclose(f);
	if (b.len > MAX_TEMPLATE) {
		*err = xasprintf("%s: the template is larger than 1 MiB",
		    path);
		buf_free(&b);
		return NULL;
	}
	if (sha256 != NULL)
		digest_sha256_hex(b.ptr, b.len, sha256);
	t = tmpl_parse(path, b.ptr, b.len, known, err);
	buf_free(&b);
	return t;
}

/* ---- evaluating --------------------------------------------------- */

struct scope {
	const char		*var;
	const struct tval	*val;
	size_t			 index;
};

struct evalctx {
	const struct tmpl	*t;
	const struct tval	*data;
	struct ddoc		*doc;		/* title and heads to replace */
	struct scope		 scopes[MAX_DEPTH];
	int			 nscopes;
	int			 number;	/* numbered list counter */
	struct buf		 val;		/* a value's text, reused */
};

static const struct tval *
lookup(const struct evalctx *ec, const char *path)
{
	size_t n = strcspn(path, ".");

	for (int i = ec->nscopes - 1; i >= 0; i--)
		if (strlen(ec->scopes[i].var) == n &&
		    strncmp(path, ec->scopes[i].var, n) == 0)
			return path[n] ? tval_path(ec->scopes[i].val,
			    path + n + 1) : ec->scopes[i].val;
	return tval_path(ec->data, path);
}

/*
 * The text of a value after its formatters, in ec->val; *own_lang: it is
 * a name in its bearer's language (a person's name, or "FAMILY, Given"
 * of one).
 */
static const char *
format_value(struct evalctx *ec, const struct piece *p, bool *own_lang)
{
	const struct tval *v = lookup(ec, p->text);
	struct buf *b = &ec->val;
	bool done = false;

	*own_lang = false;
	buf_reset(b);

	for (int k = 0; k < p->nfmts && !done; k++) {
		const struct fmt *f = &p->fmts[k];

		switch (f->kind) {
		case FMT_DATE:
			fmt_date_long(b, tval_date(v), ec->t->lang);
			done = true;
			break;
		case FMT_NAME: {
			char *s = fmt_name(tval_str(tval_child(v,
			    "familyName")), tval_str(tval_child(v,
			    "givenName")));

			buf_adds(b, s);
			free(s);
			*own_lang = tval_own_lang(v);
			done = true;
			break;
		}
		case FMT_COUNTRY: {
			char *s = fmt_country_in(tval_str(v), ec->t->lang);

			buf_adds(b, s);
			free(s);
			done = true;
			break;
		}
		case FMT_YESNO:
			buf_adds(b, fmt_yesno(tval_truthy(v), ec->t->lang));
			done = true;
			break;
		case FMT_COUNT:
			buf_addf(b, "%zu", tval_len(v));
			done = true;
			break;
		case FMT_LANGUAGE: {
			char *s = fmt_language(tval_str(v), ec->t->lang);

			buf_adds(b, s);
			free(s);
			done = true;
			break;
		}
		default:
			break;
		}
	}
	if (!done) {
		if (tval_kind(v) == TVAL_DATE) {
			char iso[11];

			date_format_iso(tval_date(v), iso);
			buf_adds(b, iso);
		} else if (tval_kind(v) == TVAL_BOOL)
			buf_adds(b, fmt_yesno(tval_bool(v), ec->t->lang));
		else {
			buf_adds(b, tval_str(v));
			*own_lang = tval_own_lang(v);
		}
	}
	/* upper and default apply to the text, wherever they stand. */
	for (int k = 0; k < p->nfmts; k++) {
		if (p->fmts[k].kind == FMT_UPPER) {
			char *u = fmt_upper(b->ptr);

			buf_reset(b);
			buf_adds(b, u);
			free(u);
		} else if (p->fmts[k].kind == FMT_DEFAULT && b->len == 0) {
			buf_adds(b, p->fmts[k].arg);
			*own_lang = false;
		}
	}
	return b->ptr;
}

static void
eval_inline(struct evalctx *ec, const struct inl *in, struct dinline *out)
{
	for (size_t i = 0; i < in->n; i++) {
		const struct piece *p = &in->v[i];
		const char *s;
		char num[24];

		switch (p->kind) {
		case P_TEXT:
			dinline_add(out, DRUN_TEXT, p->style, p->text);
			break;
		case P_PAGE:
			dinline_add(out, DRUN_PAGE, p->style, NULL);
			break;
		case P_PAGES:
			dinline_add(out, DRUN_PAGES, p->style, NULL);
			break;
		case P_INDEX:
			snprintf(num, sizeof(num), "%zu",
			    ec->scopes[ec->nscopes - 1].index + 1);
			dinline_add(out, DRUN_TEXT, p->style, num);
			break;
		case P_VALUE: {
			bool own;

			s = format_value(ec, p, &own);
			if (*s)
				dinline_add(out, DRUN_TEXT, p->style |
				    (own ? DRUN_LANG : 0u), s);
			break;
		}
		}
	}
}

static bool
eval_expr(const struct evalctx *ec, const struct expr *e)
{
	const struct tval *v = lookup(ec, e->path);

	switch (e->op) {
	case '!':
		return !tval_truthy(v);
	case '=':
	case 'n': {
		char iso[11] = "";
		const char *s = tval_str(v);
		bool eq;

		if (tval_kind(v) == TVAL_DATE) {
			date_format_iso(tval_date(v), iso);
			s = iso;
		} else if (tval_kind(v) == TVAL_BOOL)
			s = tval_bool(v) ? "true" : "false";
		eq = strcmp(s, e->lit) == 0;
		return e->op == '=' ? eq : !eq;
	}
	default:
		return tval_truthy(v);
	}
}

/* Blocks go to the document, or into a box, or rows into a table. */
struct sink {
	struct ddoc	*doc;
	struct dblock	*box;
	struct dtable	*table;
	enum dalign	 align;
};

static struct dblock *
sink_add(struct sink *s, enum dblock_kind k)
{
	return s->box ? dblock_add_kid(s->box, k) : ddoc_add(s->doc, k);
}

static void eval_nodes(struct evalctx *, const struct bnode *, size_t,
    struct sink *);

static void
eval_node(struct evalctx *ec, const struct bnode *b, struct sink *s)
{
	struct dblock *d;

	if (b->kind != B_NUM_ITEM && b->kind != B_IF && b->kind != B_EACH)
		ec->number = 0;
	switch (b->kind) {
	case B_HEADING:
		d = sink_add(s, DB_HEADING);
		d->level = b->level;
		eval_inline(ec, &b->a, &d->text);
		break;
	case B_PARA:
	case B_ITEM:
	case B_NUM_ITEM:
		d = sink_add(s, b->kind == B_PARA ? DB_PARA : DB_ITEM);
		d->align = b->align;
		if (b->kind == B_ITEM)
			snprintf(d->marker, sizeof(d->marker), "\xE2\x80\xA2");
		else if (b->kind == B_NUM_ITEM)
			snprintf(d->marker, sizeof(d->marker), "%d.",
			    ++ec->number);
		eval_inline(ec, &b->a, &d->text);
		break;
	case B_TABLE: {
		struct sink inner = *s;

		d = sink_add(s, DB_TABLE);
		d->table.ncols = b->nnum;
		d->table.widths = xcalloc(b->nnum, sizeof(double));
		for (size_t i = 0; i < b->nnum; i++)
			d->table.widths[i] = b->num[i] / 100.0;
		inner.table = &d->table;
		eval_nodes(ec, b->kids, b->nkids, &inner);
		break;
	}
	case B_ROW: {
		struct drow *r = dtable_add_row(s->table, b->header);

		for (size_t i = 0; i < b->ncells; i++)
			eval_inline(ec, &b->cells[i], &r->cells[i]);
		break;
	}
	case B_CHECKBOX:
		d = sink_add(s, DB_CHECKBOX);
		d->checked = eval_expr(ec, &b->cond);
		eval_inline(ec, &b->a, &d->text);
		break;
	case B_FIELD:
	case B_SIGNATURE:
		d = sink_add(s, b->kind == B_FIELD ? DB_FIELD : DB_SIGNATURE);
		eval_inline(ec, &b->a, &d->text);
		eval_inline(ec, &b->b, &d->value);
		break;
	case B_BOX: {
		struct sink inner = *s;

		d = sink_add(s, DB_BOX);
		if (b->window) {
			static const char *const keys[4] = { "window.left",
			    "window.top", "window.width", "window.height" };

			const char *fit = tval_str(lookup(ec, "letter.blockSize"));

			for (int i = 0; i < 4; i++)
				d->box[i] = strtod(tval_str(lookup(ec, keys[i])),
				    NULL) * 72.0;
			/* The size the address-fit check chose, when known. */
			d->size_pt = *fit ? strtod(fit, NULL) : b->num[0];
		} else
			for (int i = 0; i < 4; i++)
				d->box[i] = b->num[i] * 72.0;	/* inches */
		inner.box = d;
		eval_nodes(ec, b->kids, b->nkids, &inner);
		break;
	}
	case B_PAGEBREAK:
		sink_add(s, DB_PAGEBREAK);
		break;
	case B_SPACE:
		d = sink_add(s, DB_SPACE);
		d->space_pt = b->num[0];
		break;
	case B_RULE:
		sink_add(s, DB_RULE);
		break;
	case B_IF:
		if (eval_expr(ec, &b->cond))
			eval_nodes(ec, b->kids, b->nkids, s);
		else
			eval_nodes(ec, b->els, b->nels, s);
		break;
	case B_EACH: {
		const struct tval *list = lookup(ec, b->path);
		struct scope *sc = &ec->scopes[ec->nscopes++];

		sc->var = b->var;
		for (size_t i = 0; i < tval_len(list); i++) {
			sc->val = tval_at(list, i);
			sc->index = i;
			eval_nodes(ec, b->kids, b->nkids, s);
		}
		ec->nscopes--;
		break;
	}
	case B_BARCODE:
		d = sink_add(s, DB_BARCODE);
		eval_inline(ec, &b->a, &d->text);
		break;
	case B_BOOKMARK:
		d = sink_add(s, DB_BOOKMARK);
		eval_inline(ec, &b->a, &d->text);
		break;
	case B_TITLE: {
		struct dinline t = { NULL, 0, 0 };

		eval_inline(ec, &b->a, &t);
		free(ec->doc->title);
		ec->doc->title = dinline_text(&t);
		dinline_free(&t);
		break;
	}
	case B_HEADS: {
		struct dinline *h = b->level < 3 ? &ec->doc->header[b->level] :
		    &ec->doc->footer[b->level - 3];

		dinline_free(h);
		eval_inline(ec, &b->a, h);
		break;
	}
	case B_KEEP: {
		struct sink inner = *s;

		d = sink_add(s, DB_KEEP);
		inner.box = d;	/* kids collect in the block */
		eval_nodes(ec, b->kids, b->nkids, &inner);
		break;
	}
	}
}

static void
eval_nodes(struct evalctx *ec, const struct bnode *v, size_t n,
    struct sink *s)
{
	for (size_t i = 0; i < n; i++)
		eval_node(ec, &v[i], s);
}

struct ddoc *
tmpl_eval(const struct tmpl *t, const struct tval *data)
{
	struct ddoc *d = ddoc_new();
	struct evalctx ec;
	struct sink s = { d, NULL, NULL, DALIGN_LEFT };
	struct dinline title = { NULL, 0, 0 };

	memset(&ec, 0, sizeof(ec));
	buf_init(&ec.val);
	ec.t = t;
	ec.data = data;
	ec.doc = d;
	free(d->lang);
	d->lang = xstrdup(t->lang);
	if (*tval_str(tval_path(data, "subject.nameLanguage")) != '\0')
		d->name_lang = xstrdup(tval_str(tval_path(data,
		    "subject.nameLanguage")));
	memcpy(d->margin, t->margin, sizeof(d->margin));
	d->size_pt = t->size_pt;
	eval_inline(&ec, &t->title, &title);
	d->title = dinline_text(&title);
	dinline_free(&title);
	for (int i = 0; i < 3; i++) {
		eval_inline(&ec, &t->header[i], &d->header[i]);
		eval_inline(&ec, &t->footer[i], &d->footer[i]);
	}
	eval_nodes(&ec, t->body, t->nbody, &s);
	buf_free(&ec.val);
	return d;
}
