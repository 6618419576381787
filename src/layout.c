/*
 * layout.c - the layout engine: a document model (ddoc.h) to pages of
 * positioned text, lines and boxes (see layout.h).
 *
 * Depends on ddoc.h, buf.h, xalloc.h and ICU (line breaks) only.  Text is measured through
 * the caller's struct measure, so this file never knows which backend
 * draws the pages (libharu, or a dump in tests).  There is no mutable
 * global state: everything of one call lives in one struct lctx, so
 * several threads may lay out documents at once.
 *
 * Text goes pieces -> words -> lines -> pages:
 *  1. para_add_inline() cuts the runs of an inline into pieces: maximal
 *     non-space byte ranges of one style, each measured with m->width()
 *     at its style and size.  A word is a piece that follows a space plus
 *     the pieces glued to it (a style change inside a word).
 *  2. para_split_long() cuts any word wider than the line at code point
 *     boundaries, so that no line ever overflows.
 *  3. para_break() chooses the breaks that minimise the sum of squared
 *     slack over all lines but the last (Knuth-Plass "minimum
 *     raggedness", without hyphenation).
 *  4. The flow functions place lines on pages: paragraphs leave no widow
 *     or orphan, headings keep with what follows, table rows stay whole.
 *
 * Header and footer page counters are exact because they are laid out
 * after the body.  Counters in the body are measured with an assumed
 * page count; layout_doc() lays the body out again (at most MAX_PASSES
 * times) until the count assumed is the count obtained.
 *
 * Vertical space is owed, not added: a block leaves c->pend behind and
 * the next block takes max(c->pend, its own space above), dropped at the
 * top of a page.
 *
 * Nothing is worked out twice in one layout: widths are kept by style,
 * size and text (struct wcache), blocks built to look ahead of a heading
 * are kept for their placing (struct ahead), a table's geometry is made
 * once per frame and a running head without the page number is set once.
 * Each is a pure function of what it is kept by, so the pages are the
 * same bytes as if everything were worked out afresh.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include "rnpack/buf.h"
#include "rnpack/ddoc.h"
#include "rnpack/layout.h"
#include "rnpack/xalloc.h"

#define LINE_RATIO	1.25	/* line height / text size */
#define PARA_AFTER	0.5	/* space after a paragraph, x body size */
#define HEAD_ABOVE	1.0	/* space above a heading, x its size */
#define HEAD_BELOW	0.4	/* space below a heading, x its size */
#define HEAD1_PT	15.0
#define HEAD2_PT	12.0
#define HANG_PT		18.0	/* list item hanging indent */
#define MARKER_GAP_PT	4.0	/* least room after a wide marker */
#define CHECK_PT	9.0	/* checkbox side */
#define CHECK_DROP_PT	1.0	/* checkbox bottom below the baseline */
#define CHECK_GAP_PT	6.0	/* from the checkbox to its label */
#define PAD_PT		4.0	/* table cell padding */
#define THIN_PT		0.5	/* grid, rules and blanks */
#define HF_PT		8.0	/* header and footer text size */
#define HEADER_RISE_PT	24.0	/* header baseline above the top margin */
#define FOOTER_DROP_PT	28.0	/* footer baseline below the bottom margin */
#define SIG_ROOM_PT	30.0	/* room to sign above signature lines */
#define SIG_LABEL_PT	2.0	/* from a signature line to its label */
#define SIG_LEFT	0.60	/* signature line widths, x text width */
#define SIG_RIGHT	0.35
#define BLANK_MIN_PT	72.0	/* shortest blank beside a field label */
#define BLANK_DROP	0.2	/* blank line below the baseline, x size */
#define MIN_TEXT_PT	72.0	/* narrowest text area the margins may leave */
#define MIN_SIZE_PT	4.0	/* body sizes outside these are replaced */
#define MAX_SIZE_PT	72.0
#define MAX_PASSES	4	/* body layouts to settle page counters */
#define MAX_DEPTH	8	/* boxes in boxes; headings looking ahead */
#define EPS		1e-6

#define PC_BREAK	1u	/* a line may start at this piece */
#define PC_GLUE		2u	/* a space precedes it: stretched in justified
				   lines, dropped at a line break */

/* A non-space byte range of one style, or a page counter. */
struct piece {
	const char	*s;	/* into the run text; NULL for counters */
	size_t		 len;
	unsigned	 style;
	enum drun_kind	 kind;
	unsigned	 flags;	/* PC_* */
	double		 w;	/* width (pt) */
	double		 gap;	/* width of the space before (pt), PC_GLUE */
};

/* One inline broken into lines for one width and size. */
struct para {
	struct piece	*v;
	size_t		 n;
	size_t		 cap;
	size_t		*line;	/* first piece of each line, line[nlines] = n */
	size_t		 nlines;
	double		 size;	/* pt */
	unsigned	 page;	/* value of {page}, 0: the page drawn on */
	unsigned	 pages;	/* value of {pages} */
	bool		 space;	/* a space since the last piece */
	double		 spacew; /* its width (pt) */
};

/*
 * Widths measured so far, by style, size and text: a document measures
 * the same words and spaces again and again (each space run, each
 * look-ahead of a heading, each table pass), and the backend's measure
 * is a pure function of these three.  Texts are kept NUL-terminated in
 * pool (the copy the backend needs anyway); slots hold offsets into it.
 */
#define WC_MAX_LEN	64	/* longer texts are measured every time */

struct wslot {
	double		 size;
	double		 w;
	uint32_t	 hash;
	uint32_t	 off;	/* into pool */
	uint16_t	 len;	/* 0: an empty slot */
	uint8_t		 style;
};

struct wcache {
	struct wslot	*v;
	size_t		 cap;	/* a power of two, or 0 */
	size_t		 n;
	struct buf	 pool;
	/* The space, measured for every gap between words: by style, at
	 * the size it was last measured at. */
	bool		 space_ok[4];
	double		 space_size[4];
	double		 space_w[4];
};

/* Scratch arrays of para_break(), kept for the whole layout. */
struct brk {
	size_t		*ws;	/* first piece of each word, then p->n */
	size_t		*prev;	/* the best break before word b */
	double		*ww;	/* word widths (pt) */
	double		*wg;	/* the space before each word (pt) */
	double		*best;	/* least cost of words 0..b-1 */
	size_t		 cap;	/* words + 1 each array holds */
};

/* A table's geometry. */
struct tgeom {
	double		*x;		/* ncols + 1 column edges (pt) */
	double		 lh;		/* line height (pt) */
	/* What the geometry was made for: a table is measured for its
	 * look-ahead and again to place it, in the same frame. */
	const struct dtable *t;
	double		 left, right, size;
	unsigned	 guess;
	double		 lead;		/* table_lead(), < 0: not yet */
};

/* A paragraph-like block (heading, paragraph, item, checkbox, field). */
struct pblock {
	const struct dblock *b;
	struct para	 p;
	double		 x, width;	/* text column (pt) */
	double		 mx;		/* marker or checkbox x (pt) */
	double		 size, lh;	/* text size, line height (pt) */
	double		 after;		/* space owed after it (pt) */
	enum dalign	 align;
	size_t		 nlines;	/* p.nlines, or more for decorations */
	bool		 blank;		/* field with no value: draw a blank */
	size_t		 tag, lbl, fig;	/* its text, marker and box elements */
	size_t		 blank_line;	/* the line it is drawn on */
	double		 blank_x;	/* where it starts (pt) */
};

/*
 * Blocks lead() built to look ahead of a heading, kept for when they
 * are placed, with the frame they were built in (pblock_take()).
 */
#define AHEAD_MAX	(2 * MAX_DEPTH)

struct ahead {
	struct pblock	 pb;
	double		 left, right, size;
	unsigned	 guess;
	bool		 flow;
};

/* The state of one layout: one per call, never shared. */
struct lctx {
	const struct measure *m;
	struct ldoc	*ld;
	struct buf	 tmp;		/* NUL-terminated copies to measure */
	struct wcache	 wc;		/* widths already measured */
	struct brk	 scratch;	/* para_break()'s arrays */
	struct tgeom	 geom;		/* the last table's, see tgeom_get() */
	struct ahead	 ahead[AHEAD_MAX];
	size_t		 nahead;
	double		 size;		/* body text size (pt) */
	double		 asc, desc;	/* fractions of the size */
	double		 margin[4];	/* the page's: top, right, bottom, left */
	double		 top, bottom;	/* current frame: page or box (pt) */
	double		 left, right;
	double		 y;		/* top of the free space in the frame */
	double		 pend;		/* space owed to the next block (pt) */
	size_t		 page;		/* index of the page drawn on */
	bool		 fresh;		/* y is the frame top, nothing placed */
	bool		 brk;		/* a page break is pending */
	bool		 flow;		/* paginate (false inside boxes) */
	bool		 counters;	/* the body uses page counters */
	unsigned	 guess;		/* page count assumed by the body */
	int		 depth;		/* boxes open */
	size_t		 marks0;	/* bookmarks before the open @keep */
	/* Tagging: items added now belong to element tag (1-based in
	 * ld->elems), or are artifacts; list is the open list (LR_L). */
	size_t		 tag;
	bool		 art;
	size_t		 list;
	size_t		 elems0;	/* elements before the open @keep */
};

/* One of a table's rows, broken into lines. */
struct trow {
	struct para	*cell;		/* ncols */
	size_t		*tag;		/* ncols cell elements; NULL: a header
					 * row repeated, an artifact */
	size_t		 ncols;
	size_t		 nl;		/* lines of the tallest cell */
	double		 h;		/* row height with padding (pt) */
};

static void	lay_blocks(struct lctx *, const struct dblock *, size_t);
static double	place_box(struct lctx *, const struct dblock *);
static void	place_mark(struct lctx *, const struct dblock *);

/* ---- output ---------------------------------------------------------- */

static void
page_add(struct ldoc *ld)
{
	if (ld->npages == ld->cap) {
		ld->cap = ld->cap ? ld->cap * 2 : 8;
		ld->pages = xreallocarray(ld->pages, ld->cap,
		    sizeof(*ld->pages));
	}
	memset(&ld->pages[ld->npages++], 0, sizeof(*ld->pages));
}

static struct litem *
item_add(struct lctx *c, enum litem_kind kind)
{
	struct lpage *pg = &c->ld->pages[c->page];
	struct litem *it;

	if (pg->n == pg->cap) {
		pg->cap = pg->cap ? pg->cap * 2 : 32;
		pg->items = xreallocarray(pg->items, pg->cap,
		    sizeof(*pg->items));
	}
	it = &pg->items[pg->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->elem = c->art ? 0 : c->tag;
	it->artifact = c->art;
	return it;
}

/* A new structure element; returns its 1-based index. */
static size_t
elem_add(struct lctx *c, enum lrole role, size_t parent, const char *alt)
{
	struct ldoc *ld = c->ld;
	struct lelem *e;
	size_t n = ld->nelems;

	/* Room for a power of two of them, doubled when it is full: only
	 * this function adds elements while a layout is under way. */
	if (n == 0 || (n >= 8 && (n & (n - 1)) == 0))
		ld->elems = xreallocarray(ld->elems, n ? 2 * n : 8,
		    sizeof(*ld->elems));
	e = &ld->elems[ld->nelems++];
	e->role = role;
	e->parent = parent;
	e->alt = alt;
	return ld->nelems;
}

/* Content outside any block's own element: a paragraph of its own. */
static void
tag_default(struct lctx *c)
{
	if (c->tag == 0 && !c->art)
		c->tag = elem_add(c, LR_P, 0, NULL);
}

static void
line_add(struct lctx *c, double x, double y, double x2, double y2)
{
	struct litem *it = item_add(c, LI_LINE);

	it->x = x;
	it->y = y;
	it->x2 = x2;
	it->y2 = y2;
	it->w = THIN_PT;
}

/* A text item; t is handed over to the item and reset. */
static struct litem *
text_add(struct lctx *c, struct buf *t, unsigned style, double size,
    double x, double y, double x2)
{
	struct litem *it = item_add(c, LI_TEXT);

	it->style = style;
	it->size = size;
	it->x = x;
	it->y = y;
	it->x2 = x2;
	it->y2 = y;
	it->text = buf_detach(t);
	return it;
}

void
ldoc_free(struct ldoc *ld)
{
	if (ld == NULL)
		return;
	for (size_t p = 0; p < ld->npages; p++) {
		for (size_t i = 0; i < ld->pages[p].n; i++)
			free(ld->pages[p].items[i].text);
		free(ld->pages[p].items);
	}
	free(ld->pages);
	for (size_t i = 0; i < ld->nmarks; i++)
		free(ld->marks[i].title);
	free(ld->marks);
	free(ld->elems);
	free(ld->lang);
	free(ld->name_lang);
	free(ld->title);
	free(ld);
}

/* ---- measuring and pieces -------------------------------------------- */

static void
wcache_free(struct wcache *wc)
{
	free(wc->v);
	buf_free(&wc->pool);
	memset(wc, 0, sizeof(*wc));
}

/*
 * FNV-1a over the text four bytes at a time, then the style and the
 * size's bits; the high half folded down, as slots use the low bits.
 */
static uint32_t
wcache_hash(unsigned style, double size, const char *s, size_t len)
{
	uint64_t h = 14695981039346656037u, bits;
	size_t i = 0;

	for (; i + 4 <= len; i += 4) {
		uint32_t x;

		memcpy(&x, s + i, sizeof(x));
		h = (h ^ x) * 1099511628211u;
	}
	for (; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	memcpy(&bits, &size, sizeof(bits));
	h = (h ^ style ^ bits) * 1099511628211u;
	return (uint32_t)(h ^ (h >> 32));
}

/*
 * Keep at most half the slots full, so that probes stay short.  A
 * document measures a few hundred different texts: the first table
 * holds them without growing.
 */
static void
wcache_grow(struct wcache *wc)
{
	struct wslot *old = wc->v;
	size_t ocap = wc->cap, mask;

	wc->cap = ocap ? 2 * ocap : 1024;
	mask = wc->cap - 1;
	wc->v = xcalloc(wc->cap, sizeof(*wc->v));
	for (size_t i = 0; i < ocap; i++) {
		size_t k = old[i].hash & mask;

		if (old[i].len == 0)
			continue;
		while (wc->v[k].len != 0)
			k = (k + 1) & mask;
		wc->v[k] = old[i];
	}
	free(old);
}

static double
measure_now(struct lctx *c, unsigned style, double size, const char *s)
{
	double w = c->m->width(c->m->ctx, style, size, s);

	return isfinite(w) && w > 0.0 ? w : 0.0;
}

/* Texts too long to keep, and the empty text, are measured each time. */
static double
measure_uncached(struct lctx *c, unsigned style, double size, const char *s,
    size_t len)
{
	buf_reset(&c->tmp);
	buf_add(&c->tmp, s, len);
	return measure_now(c, style, size, c->tmp.ptr);
}

static double
measure(struct lctx *c, unsigned style, double size, const char *s,
    size_t len)
{
	struct wcache *wc = &c->wc;
	struct wslot *e;
	uint32_t h;
	size_t i;

	if (len == 0 || len > WC_MAX_LEN || style > UINT8_MAX)
		return measure_uncached(c, style, size, s, len);
	if (2 * (wc->n + 1) > wc->cap)
		wcache_grow(wc);
	h = wcache_hash(style, size, s, len);
	for (i = h & (wc->cap - 1); wc->v[i].len != 0;
	    i = (i + 1) & (wc->cap - 1)) {
		e = &wc->v[i];
		if (e->hash == h && e->len == len && e->style == style &&
		    e->size == size && memcmp(wc->pool.ptr + e->off, s,
		    len) == 0)
			return e->w;
	}
	e = &wc->v[i];
	e->hash = h;
	e->off = (uint32_t)wc->pool.len;
	e->len = (uint16_t)len;
	e->style = (uint8_t)style;
	e->size = size;
	buf_add(&wc->pool, s, len);
	buf_addc(&wc->pool, '\0');
	e->w = measure_now(c, style, size, wc->pool.ptr + e->off);
	wc->n++;
	return e->w;
}

/* The width of one space, which separates every two words. */
static double
space_width(struct lctx *c, unsigned style, double size)
{
	struct wcache *wc = &c->wc;

	if (style > 3)
		return measure(c, style, size, " ", 1);
	if (!wc->space_ok[style] || wc->space_size[style] != size) {
		wc->space_ok[style] = true;
		wc->space_size[style] = size;
		wc->space_w[style] = measure(c, style, size, " ", 1);
	}
	return wc->space_w[style];
}

/* Bytes of the first k code points of s (all of s if it has fewer). */
static size_t
cp_prefix(const char *s, size_t len, size_t k)
{
	size_t i = 0;

	while (i < len && k > 0) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		/* A mark or joiner stays with its letter: a cut there would
		 * draw it alone. */
		while (i < len && (unsigned char)s[i] >= 0x80) {
			int32_t at = (int32_t)i;
			UChar32 ch;

			U8_NEXT(s, at, (int32_t)len, ch);
			if (ch < 0 || !(U_GET_GC_MASK(ch) & U_GC_M_MASK ||
			    ch == 0x200C || ch == 0x200D ||
			    (ch >= 0xFE00 && ch <= 0xFE0F) ||
			    (ch >= 0xE0100 && ch <= 0xE01EF)))
				break;
			i = (size_t)at;
		}
		k--;
	}
	return i;
}

/*
 * The longest prefix of s (whole code points) no wider than room: its
 * length in bytes, and its width in *fw.  Doubling then bisecting costs
 * O(prefix log prefix), not O(len) per call, for very long words.
 */
static size_t
fit_prefix(struct lctx *c, unsigned style, double size, const char *s,
    size_t len, double room, double *fw)
{
	size_t lo = 0, hi, k = 1, nb;
	double w, lw = 0.0;

	for (;;) {
		nb = cp_prefix(s, len, k);
		w = measure(c, style, size, s, nb);
		if (w > room + EPS) {
			hi = k;
			break;
		}
		lo = k;
		lw = w;
		if (nb == len) {
			*fw = w;
			return len;
		}
		k *= 2;
	}
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		w = measure(c, style, size, s, cp_prefix(s, len, mid));
		if (w <= room + EPS) {
			lo = mid;
			lw = w;
		} else
			hi = mid;
	}
	*fw = lw;
	return cp_prefix(s, len, lo);
}

static void
pieces_add(struct piece **v, size_t *n, size_t *cap, const struct piece *pc)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	(*v)[(*n)++] = *pc;
}

static void
para_init(struct para *p, double size, unsigned page, unsigned pages)
{
	memset(p, 0, sizeof(*p));
	p->size = size;
	p->page = page;
	p->pages = pages;
}

static void
para_free(struct para *p)
{
	free(p->v);
	free(p->line);
	memset(p, 0, sizeof(*p));
}

static void
para_push(struct para *p, const char *s, size_t len, unsigned style,
    enum drun_kind kind, double w)
{
	struct piece *pc;

	/* Filled where it stands: one piece per word of every text. */
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->v = xreallocarray(p->v, p->cap, sizeof(*p->v));
	}
	pc = &p->v[p->n];
	pc->s = s;
	pc->len = len;
	pc->style = style;
	pc->kind = kind;
	pc->w = w;
	pc->flags = p->n == 0 ? PC_BREAK : p->space ? PC_BREAK | PC_GLUE : 0;
	pc->gap = p->n > 0 && p->space ? p->spacew : 0.0;
	p->n++;
	p->space = false;
}

/*
 * Spaces, tabs and newlines separate words and collapse into one space
 * (in the style of the run holding the first of them); every other
 * character, the no-break space included, belongs to a word.
 */
static bool
is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/*
 * Thai, Lao, Khmer and Myanmar write words without spaces between
 * them: ICU finds their line breaks with a dictionary.
 */
static bool
dictionary_cp(UChar32 ch)
{
	return (ch >= 0x0E00 && ch <= 0x0EFF) ||	/* Thai, Lao */
	    (ch >= 0x1000 && ch <= 0x109F) ||		/* Myanmar */
	    (ch >= 0xA9E0 && ch <= 0xA9FF) || (ch >= 0xAA60 && ch <= 0xAA7F) ||
	    (ch >= 0x1780 && ch <= 0x17FF) ||		/* Khmer */
	    (ch >= 0x19E0 && ch <= 0x19FF);
}

/* s has bytes of 0x80 and above: does it have such a letter? */
static bool
needs_dictionary(const char *s, size_t len)
{
	int32_t i = 0, n = (int32_t)len;

	while (i < n) {
		UChar32 ch;

		U8_NEXT(s, i, n, ch);
		if (dictionary_cp(ch))
			return true;
	}
	return false;
}

/* The character before byte i of s, or -1. */
static UChar32
cp_before(const char *s, int32_t i)
{
	UChar32 ch;

	if (i <= 0)
		return -1;
	U8_PREV(s, 0, i, ch);
	return ch;
}

/*
 * A word with spaces around it.  Words of every other script break only
 * at spaces (a name is never cut inside a word); a word with Thai, Lao,
 * Khmer or Myanmar letters may also break where ICU's line breaker
 * says, at a boundary with such a letter on one side, as a piece that
 * starts a line but adds no space.
 */
static void
para_add_word(struct lctx *c, struct para *p, const char *s, size_t len,
    unsigned style, bool ascii)
{
	UErrorCode e = U_ZERO_ERROR;
	UText *ut = NULL;
	UBreakIterator *bi = NULL;
	int32_t a = 0, b;

	if (ascii) {
		para_push(p, s, len, style, DRUN_TEXT,
		    measure(c, style, p->size, s, len));
		return;
	}
	if (needs_dictionary(s, len)) {
		ut = utext_openUTF8(NULL, s, (int64_t)len, &e);
		bi = ubrk_open(UBRK_LINE, "", NULL, 0, &e);
		ubrk_setUText(bi, ut, &e);
	}
	if (bi == NULL || U_FAILURE(e)) {
		para_push(p, s, len, style, DRUN_TEXT,
		    measure(c, style, p->size, s, len));
	} else {
		ubrk_first(bi);
		while ((b = ubrk_next(bi)) != UBRK_DONE) {
			UChar32 x = cp_before(s, b), y = -1;
			int32_t k = b;

			if ((size_t)b < len)
				U8_NEXT(s, k, (int32_t)len, y);
			if ((size_t)b < len && !dictionary_cp(x) &&
			    !dictionary_cp(y))
				continue;
			para_push(p, s + a, (size_t)(b - a), style, DRUN_TEXT,
			    measure(c, style, p->size, s + a, (size_t)(b - a)));
			if (a > 0)
				p->v[p->n - 1].flags |= PC_BREAK;
			a = b;
		}
		if ((size_t)a < len) {
			para_push(p, s + a, len - (size_t)a, style, DRUN_TEXT,
			    measure(c, style, p->size, s + a, len - (size_t)a));
			if (a > 0)
				p->v[p->n - 1].flags |= PC_BREAK;
		}
	}
	ubrk_close(bi);
	utext_close(ut);
}

static void
para_add_text(struct lctx *c, struct para *p, const char *s, unsigned style)
{
	size_t i = 0, j;

	while (s[i] != '\0') {
		unsigned char high = 0;

		if (is_space(s[i])) {
			if (!p->space) {
				p->space = true;
				p->spacew = space_width(c, style, p->size);
			}
			i++;
			continue;
		}
		/* Letters and marks are above ' ': one test each. */
		for (j = i; (unsigned char)s[j] > ' ' || (s[j] != '\0' &&
		    !is_space(s[j])); j++)
			high |= (unsigned char)s[j];
		para_add_word(c, p, s + i, j - i, style, high < 0x80);
		i = j;
	}
}

/* The value a counter piece shows: drawing, or only measuring. */
static unsigned
counter_value(const struct lctx *c, const struct para *p,
    enum drun_kind kind, bool drawing)
{
	if (kind == DRUN_PAGES || p->page != 0)
		return kind == DRUN_PAGES ? p->pages : p->page;
	return drawing ? (unsigned)c->page + 1 : p->pages;
}

static void
para_add_counter(struct lctx *c, struct para *p, enum drun_kind kind,
    unsigned style)
{
	char num[24];
	int len;

	/* The body does not know its page count yet: see layout_doc(). */
	if (p->page == 0)
		c->counters = true;
	len = snprintf(num, sizeof(num), "%u",
	    counter_value(c, p, kind, false));
	para_push(p, NULL, 0, style, kind,
	    measure(c, style, p->size, num, (size_t)len));
}

static void
para_add_inline(struct lctx *c, struct para *p, const struct dinline *in,
    unsigned style_or)
{
	for (size_t i = 0; i < in->n; i++) {
		const struct drun *r = &in->v[i];
		unsigned style = (r->style | style_or) &
		    (DRUN_BOLD | DRUN_ITALIC | DRUN_LANG);

		if (r->kind == DRUN_PAGE || r->kind == DRUN_PAGES)
			para_add_counter(c, p, r->kind, style);
		else if (r->text != NULL)
			para_add_text(c, p, r->text, style);
	}
}

/* True if an inline would print nothing. */
static bool
inline_is_blank(const struct dinline *in)
{
	for (size_t i = 0; i < in->n; i++) {
		const char *s = in->v[i].text;

		if (in->v[i].kind != DRUN_TEXT)
			return false;
		for (; s != NULL && *s != '\0'; s++)
			if (!is_space(*s))
				return false;
	}
	return true;
}

/* Pieces i..j-1, one word wider than width, cut into lines of it. */
static void
split_word(struct lctx *c, const struct para *p, size_t i, size_t j,
    double width, struct piece **v, size_t *n, size_t *cap)
{
	double cw = 0.0;	/* width of the current cut so far */
	bool cut = false;	/* the next piece starts a line */

	for (size_t k = i; k < j; k++) {
		struct piece pc = p->v[k];
		const char *s = pc.s;
		size_t len = pc.len;

		if (pc.kind != DRUN_TEXT) {
			/* Counters are a few digits: never cut. */
			if (cw > 0.0 && cw + pc.w > width + EPS) {
				cut = true;
				cw = 0.0;
			}
			if (cut) {
				pc.flags = PC_BREAK;
				pc.gap = 0.0;
				cut = false;
			}
			pieces_add(v, n, cap, &pc);
			cw += pc.w;
			continue;
		}
		while (len > 0) {
			struct piece np = pc;
			double fw;
			size_t fit;

			fit = fit_prefix(c, pc.style, p->size, s, len,
			    width - cw, &fw);
			if (fit == 0 && cw > 0.0) {
				cw = 0.0;
				cut = true;
				continue;
			}
			if (fit == 0) {
				/* One glyph wider than the line. */
				fit = cp_prefix(s, len, 1);
				fw = measure(c, pc.style, p->size, s, fit);
			}
			np.s = s;
			np.len = fit;
			np.w = fw;
			if (cut) {
				np.flags = PC_BREAK;
				np.gap = 0.0;
				cut = false;
			}
			pieces_add(v, n, cap, &np);
			cw += fw;
			s += fit;
			len -= fit;
			if (len > 0) {
				cw = 0.0;
				cut = true;
			}
		}
	}
}

/* Cut every word wider than width at code point boundaries. */
static void
para_split_long(struct lctx *c, struct para *p, double width)
{
	struct piece *v = NULL;
	size_t i, j, n = 0, cap = 0;
	bool any = false;
	double ww;

	for (i = 0; i < p->n && !any; i = j) {
		ww = p->v[i].w;
		for (j = i + 1; j < p->n && !(p->v[j].flags & PC_BREAK); j++)
			ww += p->v[j].w;
		any = ww > width + EPS;
	}
	if (!any)
		return;
	for (i = 0; i < p->n; i = j) {
		ww = p->v[i].w;
		for (j = i + 1; j < p->n && !(p->v[j].flags & PC_BREAK); j++)
			ww += p->v[j].w;
		if (ww > width + EPS)
			split_word(c, p, i, j, width, &v, &n, &cap);
		else
			for (size_t k = i; k < j; k++)
				pieces_add(&v, &n, &cap, &p->v[k]);
	}
	free(p->v);
	p->v = v;
	p->n = n;
	p->cap = cap;
}

static void
brk_reserve(struct brk *k, size_t nw)
{
	if (nw + 1 <= k->cap)
		return;
	k->cap = nw + 1 > 2 * k->cap ? nw + 1 : 2 * k->cap;
	k->ws = xreallocarray(k->ws, k->cap, sizeof(*k->ws));
	k->prev = xreallocarray(k->prev, k->cap, sizeof(*k->prev));
	k->ww = xreallocarray(k->ww, k->cap, sizeof(*k->ww));
	k->wg = xreallocarray(k->wg, k->cap, sizeof(*k->wg));
	k->best = xreallocarray(k->best, k->cap, sizeof(*k->best));
}

static void
brk_free(struct brk *k)
{
	free(k->ws);
	free(k->prev);
	free(k->ww);
	free(k->wg);
	free(k->best);
	memset(k, 0, sizeof(*k));
}

/*
 * The best break before word b: the line from word a to b - 1, over every
 * a whose line fits (a single word always does), costing its squared
 * slack unless it is the last line.  The sums are made in the same
 * order as ever, so equal costs still resolve the same way.
 */
static void
brk_best(struct brk *k, size_t b, size_t nw, double width)
{
	const double *ww = k->ww, *wg = k->wg, *best = k->best;
	double limit = width + EPS, lw = ww[b - 1], slack, cost, bc;
	size_t bp = b - 1;
	bool last = b == nw;

	/* A line of one word always fits: no space to add, no test. */
	slack = width - lw;
	cost = best[b - 1] + (last ? 0.0 : slack * slack);
	bc = cost < HUGE_VAL ? cost : HUGE_VAL;
	for (size_t a = b - 1; a-- > 0;) {
		lw += ww[a];
		lw += wg[a + 1];
		if (lw > limit)
			break;
		slack = width - lw;
		cost = best[a] + (last ? 0.0 : slack * slack);
		if (cost < bc) {
			bc = cost;
			bp = a;
		}
	}
	k->best[b] = bc;
	k->prev[b] = bp;
}

/*
 * Minimum raggedness: best[b] is the least sum of squared slack of
 * words 0..b-1 set in lines, the last line costing nothing.  Only lines
 * that fit are tried, so the inner loop is as long as a line's word
 * count.  Words never wider than the line come from para_split_long().
 */
static void
para_break(struct brk *k, struct para *p, double width)
{
	size_t nw = 0, b, l;

	free(p->line);
	p->nlines = 0;
	if (p->n == 0) {
		p->line = xcalloc(1, sizeof(*p->line));
		return;
	}
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].flags & PC_BREAK)
			nw++;
	brk_reserve(k, nw);
	nw = 0;
	for (size_t i = 0; i < p->n; i++) {
		if (p->v[i].flags & PC_BREAK) {
			k->ws[nw] = i;
			k->ww[nw] = 0.0;
			k->wg[nw] = p->v[i].gap;
			nw++;
		}
		k->ww[nw - 1] += p->v[i].w;
	}
	k->ws[nw] = p->n;
	k->best[0] = 0.0;
	k->prev[0] = 0;
	for (b = 1; b <= nw; b++)
		brk_best(k, b, nw, width);
	for (b = nw; b > 0; b = k->prev[b])
		p->nlines++;
	p->line = xreallocarray(NULL, p->nlines + 1, sizeof(*p->line));
	p->line[p->nlines] = p->n;
	for (b = nw, l = p->nlines; b > 0; b = k->prev[b])
		p->line[--l] = k->ws[k->prev[b]];
}

static void
para_set(struct lctx *c, struct para *p, double width)
{
	para_split_long(c, p, width);
	para_break(&c->scratch, p, width);
}

/* Natural width of line l (pt). */
static double
line_width(const struct para *p, size_t l)
{
	double w = 0.0;

	for (size_t k = p->line[l]; k < p->line[l + 1]; k++)
		w += p->v[k].w + (k > p->line[l] ? p->v[k].gap : 0.0);
	return w;
}

/*
 * The paragraph's base direction (struct litem's dir): its first strong
 * character's, so a line that starts with a right-to-left word in a
 * left-to-right paragraph keeps the paragraph's order.
 */
static unsigned char
para_dir(const struct para *p)
{
	for (size_t k = 0; k < p->n; k++) {
		const char *s = p->v[k].s;
		int32_t i = 0, n = (int32_t)p->v[k].len;

		while (s != NULL && i < n) {
			UChar32 ch;

			U8_NEXT(s, i, n, ch);
			if (ch < 0)
				continue;
			switch (u_charDirection(ch)) {
			case U_LEFT_TO_RIGHT:
				return 1;
			case U_RIGHT_TO_LEFT:
			case U_RIGHT_TO_LEFT_ARABIC:
				return 2;
			default:
				break;
			}
		}
	}
	return 0;
}

/* Whether pieces [a, b) have a right-to-left letter. */
static bool
line_has_rtl(const struct para *p, size_t a, size_t b)
{
	for (size_t k = a; k < b; k++) {
		const char *s = p->v[k].s;
		int32_t i = 0, n = (int32_t)p->v[k].len;

		while (s != NULL && i < n) {
			UChar32 ch;

			if ((unsigned char)s[i] < 0x80) {
				i++;
				continue;
			}
			U8_NEXT(s, i, n, ch);
			if (ch >= 0 && (u_charDirection(ch) ==
			    U_RIGHT_TO_LEFT || u_charDirection(ch) ==
			    U_RIGHT_TO_LEFT_ARABIC))
				return true;
		}
	}
	return false;
}

/*
 * Line l of p with its baseline at base, in the column [x, x + width].
 * Pieces of one style are merged into one item unless the line is
 * justified, where each word is its own item placed on the stretched
 * spacing; the last line of a justified paragraph is set left.
 */
static void
emit_line(struct lctx *c, const struct para *p, size_t l, double x,
    double base, double width, enum dalign align)
{
	size_t a = p->line[l], b = p->line[l + 1], nglue = 0, bytes = 0;
	double nw = line_width(p, l), extra = 0.0, cx, ix = 0.0;
	struct buf t = BUF_INIT;
	unsigned style = 0;
	unsigned char dir = para_dir(p);
	bool open = false;

	for (size_t k = a; k < b; k++) {
		if (k > a && (p->v[k].flags & PC_GLUE))
			nglue++;
		/* A space before it, its text or a counter's digits. */
		bytes += 1 + (p->v[k].kind == DRUN_TEXT ? p->v[k].len : 10);
	}
	switch (align) {
	case DALIGN_JUSTIFY:
		/* A justified line is drawn word by word, left to right:
		 * a line with right-to-left words is set as one string,
		 * which the backend puts in bidi order. */
		if (l + 1 < p->nlines && nglue > 0 && nw < width &&
		    !line_has_rtl(p, a, b))
			extra = (width - nw) / (double)nglue;
		break;
	case DALIGN_CENTER:
		if (nw < width)
			x += (width - nw) / 2.0;
		break;
	case DALIGN_RIGHT:
		if (nw < width)
			x += width - nw;
		break;
	default:
		break;
	}
	cx = x;		/* where the previous piece ends */
	for (size_t k = a; k < b; k++) {
		const struct piece *pc = &p->v[k];
		bool glue = k > a && (pc->flags & PC_GLUE);

		if (open && (pc->style != style || (glue && extra > 0.0))) {
			text_add(c, &t, style, p->size, ix, base, cx)->dir =
			    dir;
			open = false;
		}
		if (k > a)
			cx += pc->gap + (glue ? extra : 0.0);
		if (!open) {
			ix = cx;
			style = pc->style;
			open = true;
			/* One allocation for the item's text, however long. */
			buf_reserve(&t, bytes);
		} else if (glue)
			buf_addc(&t, ' ');
		if (pc->kind == DRUN_TEXT) {
			buf_add(&t, pc->s, pc->len);
			cx += pc->w;
		} else {
			char num[24];
			int len = snprintf(num, sizeof(num), "%u",
			    counter_value(c, p, pc->kind, true));

			/*
			 * {page} in the body was measured with as many digits
			 * as the page count: the page number is no wider.
			 */
			buf_add(&t, num, (size_t)len);
			cx += measure(c, pc->style, p->size, num, (size_t)len);
		}
	}
	if (open)
		text_add(c, &t, style, p->size, ix, base, cx)->dir = dir;
	buf_free(&t);
}

/* ---- vertical flow --------------------------------------------------- */

/* Baseline below the top of a line box of text of this size. */
static double
baseline(const struct lctx *c, double size)
{
	return (LINE_RATIO * size + (c->asc - c->desc) * size) / 2.0;
}

static void
new_page(struct lctx *c)
{
	if (!c->flow)
		return;
	page_add(c->ld);
	c->page = c->ld->npages - 1;
	c->y = c->top;
	c->pend = 0.0;
	c->fresh = true;
	c->brk = false;
}

static bool
room(const struct lctx *c, double h)
{
	return !c->flow || c->y + h <= c->bottom + EPS;
}

/* Whole lines of height lh left in the frame. */
static size_t
lines_room(const struct lctx *c, double lh)
{
	double f;

	if (!c->flow)
		return SIZE_MAX;
	f = (c->bottom - c->y) / lh;
	return f > 0.0 ? (size_t)floor(f + EPS) : 0;
}

static double
content_height(const struct lctx *c)
{
	return c->bottom - c->top;
}

/* Start a block wanting space above: pay the space owed, if any. */
static void
begin_block(struct lctx *c, double above)
{
	double sp;

	if (c->brk && c->flow)
		new_page(c);
	sp = c->pend > above ? c->pend : above;
	c->pend = 0.0;
	if (!c->fresh)
		c->y += sp;
}

static double
heading_size(const struct lctx *c, int level)
{
	return level <= 1 ? HEAD1_PT : level == 2 ? HEAD2_PT : c->size;
}

static void
pblock_build(struct lctx *c, const struct dblock *b, struct pblock *pb)
{
	unsigned style = 0;

	memset(pb, 0, sizeof(*pb));
	pb->b = b;
	pb->size = c->size;
	pb->x = pb->mx = c->left;
	pb->width = c->right - c->left;
	pb->align = DALIGN_LEFT;
	pb->after = PARA_AFTER * c->size;
	switch (b->kind) {
	case DB_HEADING:
		pb->size = heading_size(c, b->level);
		pb->after = HEAD_BELOW * pb->size;
		style = DRUN_BOLD;
		break;
	case DB_ITEM: {
		size_t ml = strnlen(b->marker, sizeof(b->marker));
		double ind = measure(c, 0, pb->size, b->marker, ml) +
		    MARKER_GAP_PT;

		/* A marker wider than the indent pushes the text over. */
		if (ind < HANG_PT || ind > pb->width / 2.0)
			ind = HANG_PT < pb->width / 2.0 ? HANG_PT :
			    pb->width / 2.0;
		pb->x += ind;
		pb->width -= ind;
		pb->align = b->align;
		break;
	}
	case DB_CHECKBOX:
		pb->x += CHECK_PT + CHECK_GAP_PT;
		pb->width -= CHECK_PT + CHECK_GAP_PT;
		break;
	case DB_PARA:
		pb->align = b->align;
		break;
	default:
		break;
	}
	if (pb->width < 1.0)
		pb->width = 1.0;
	pb->lh = LINE_RATIO * pb->size;
	if (!c->flow && b->kind == DB_PARA) {
		/* Boxes hold address blocks: one line per paragraph, no
		 * space between them, so five lines fit a 1 in window. */
		pb->lh = LAYOUT_BOX_LINE * pb->size;
		pb->after = 0.0;
	}
	para_init(&pb->p, pb->size, 0, c->guess);
	if (b->kind == DB_FIELD) {
		para_add_inline(c, &pb->p, &b->text, DRUN_BOLD);
		pb->blank = inline_is_blank(&b->value);
		if (!pb->blank) {
			pb->p.space = true;
			pb->p.spacew = space_width(c, 0, pb->size);
			para_add_inline(c, &pb->p, &b->value, 0);
		}
	} else
		para_add_inline(c, &pb->p, &b->text, style);
	para_set(c, &pb->p, pb->width);
	pb->nlines = pb->p.nlines;
	if ((b->kind == DB_ITEM || b->kind == DB_CHECKBOX) && pb->nlines == 0)
		pb->nlines = 1;
	if (pb->blank) {
		size_t last = pb->p.nlines;
		double used = last > 0 ? line_width(&pb->p, last - 1) +
		    MARKER_GAP_PT : 0.0;
		double least = pb->width / 3.0 < BLANK_MIN_PT ?
		    pb->width / 3.0 : BLANK_MIN_PT;

		/* Beside the label if there is room to write, else below. */
		if (last > 0 && pb->width - used >= least) {
			pb->blank_line = last - 1;
			pb->blank_x = pb->x + used;
		} else {
			pb->blank_line = last;
			pb->blank_x = pb->x;
			pb->nlines = last + 1;
		}
	}
}

static void
pblock_free(struct pblock *pb)
{
	para_free(&pb->p);
}

static bool
ahead_fits(const struct lctx *c, const struct ahead *a)
{
	return a->left == c->left && a->right == c->right &&
	    a->size == c->size && a->guess == c->guess && a->flow == c->flow;
}

/* Block b built for the current frame: as lead() kept it, or anew. */
static void
pblock_take(struct lctx *c, const struct dblock *b, struct pblock *pb)
{
	for (size_t i = 0; i < c->nahead; i++) {
		struct ahead *a = &c->ahead[i];

		if (a->pb.b == b && ahead_fits(c, a)) {
			*pb = a->pb;
			*a = c->ahead[--c->nahead];
			return;
		}
	}
	pblock_build(c, b, pb);
}

/* Keep a block lead() built (untagged) for its placing; pb is taken. */
static void
pblock_keep(struct lctx *c, struct pblock *pb)
{
	struct ahead *a;

	if (c->nahead == AHEAD_MAX) {
		pblock_free(pb);
		return;
	}
	a = &c->ahead[c->nahead++];
	a->pb = *pb;
	a->left = c->left;
	a->right = c->right;
	a->size = c->size;
	a->guess = c->guess;
	a->flow = c->flow;
}

/* The structure elements of a block about to be drawn. */
static void
pblock_tag(struct lctx *c, struct pblock *pb)
{
	const struct dblock *b = pb->b;
	size_t li;

	switch (b->kind) {
	case DB_HEADING:
		pb->tag = elem_add(c, b->level <= 1 ? LR_H1 : b->level == 2 ?
		    LR_H2 : LR_H3, 0, NULL);
		break;
	case DB_ITEM:
		if (c->list == 0)
			c->list = elem_add(c, LR_L, 0, NULL);
		li = elem_add(c, LR_LI, c->list, NULL);
		if (b->marker[0] != '\0')
			pb->lbl = elem_add(c, LR_LBL, li, NULL);
		pb->tag = elem_add(c, LR_LBODY, li, NULL);
		break;
	case DB_CHECKBOX:
		pb->fig = elem_add(c, LR_FIGURE, 0, b->checked ?
		    "Checked box" : "Empty box");
		pb->tag = elem_add(c, LR_P, 0, NULL);
		break;
	default:
		pb->tag = elem_add(c, LR_P, 0, NULL);
		break;
	}
}

/* Lines l0..l1-1 of pb from the top of the free space. */
static void
pblock_emit(struct lctx *c, const struct pblock *pb, size_t l0, size_t l1)
{
	size_t tag0 = c->tag;
	bool art0 = c->art;

	for (size_t l = l0; l < l1; l++) {
		double base = c->y + (double)(l - l0) * pb->lh +
		    baseline(c, pb->size);

		/* The marker before its text: the order it is read in. */
		if (l == 0 && pb->b->kind == DB_ITEM && pb->b->marker[0]) {
			struct buf t = BUF_INIT;
			size_t ml = strnlen(pb->b->marker,
			    sizeof(pb->b->marker));

			c->tag = pb->lbl;
			buf_add(&t, pb->b->marker, ml);
			text_add(c, &t, 0, pb->size, pb->mx, base, pb->mx +
			    measure(c, 0, pb->size, pb->b->marker, ml));
		}
		c->tag = pb->tag;
		tag_default(c);
		if (l < pb->p.nlines)
			emit_line(c, &pb->p, l, pb->x, base, pb->width,
			    pb->align);
		c->tag = pb->fig;
		if (l == 0 && pb->b->kind == DB_CHECKBOX) {
			struct litem *it = item_add(c, LI_RECT);

			it->x = pb->mx;
			it->y = base + CHECK_DROP_PT - CHECK_PT;
			it->x2 = pb->mx + CHECK_PT;
			it->y2 = base + CHECK_DROP_PT;
			it->w = THIN_PT;
			if (pb->b->checked) {
				struct litem box = *it;

				it = item_add(c, LI_CHECK);
				*it = box;
				it->kind = LI_CHECK;
				it->w = 1.0;
			}
		}
		if (pb->blank && l == pb->blank_line) {
			double by = base + BLANK_DROP * pb->size;

			c->art = true;
			line_add(c, pb->blank_x, by, pb->x + pb->width, by);
			c->art = art0;
		}
	}
	c->tag = tag0;
	c->y += (double)(l1 - l0) * pb->lh;
	c->fresh = false;
}

/*
 * A paragraph over pages without widows or orphans: a first part at the
 * bottom of a page has at least two lines, and so has a last part at the
 * top of the next; paragraphs of two or three lines move whole.  Only a
 * paragraph that would not fit on an empty page breaks these rules.
 */
static void
flow_pblock(struct lctx *c, const struct pblock *pb)
{
	size_t n = pb->nlines, i = 0;

	while (i < n) {
		size_t r = n - i, k = lines_room(c, pb->lh), t;

		if (r <= k)
			t = r;
		else {
			t = r > 2 ? (k < r - 2 ? k : r - 2) : 0;
			if (i == 0 && t < 2)
				t = 0;
			if (t == 0 && c->fresh)
				t = k == 0 ? 1 : k;
			if (t == 0) {
				new_page(c);
				continue;
			}
		}
		pblock_emit(c, pb, i, i + t);
		i += t;
		if (i < n)
			new_page(c);
	}
}

/* ---- tables ---------------------------------------------------------- */

/* The widest word of column i in any row of t (pt). */
static double
widest_word(struct lctx *c, const struct dtable *t, size_t i)
{
	double best = 0.0;

	for (size_t r = 0; r < t->nrows; r++) {
		const struct drow *row = &t->rows[r];
		struct para p;
		double ww = 0.0;

		if (row->cells == NULL)
			continue;
		para_init(&p, c->size, 0, c->guess);
		para_add_inline(c, &p, &row->cells[i],
		    row->header ? DRUN_BOLD : 0);
		for (size_t k = 0; k < p.n; k++) {
			if (p.v[k].flags & PC_BREAK)
				ww = 0.0;
			ww += p.v[k].w;
			if (ww > best)
				best = ww;
		}
		para_free(&p);
	}
	return best;
}

/*
 * Widen the columns whose widest word does not fit, taking the room
 * from the columns that have some to spare, so that a table breaks
 * lines only at spaces (a finding code is never cut in two).  Only when
 * the table as a whole is too narrow does para_split_long() still cut.
 */
static void
tgeom_fit_words(struct lctx *c, const struct dtable *t, struct tgeom *g)
{
	double *need = xreallocarray(NULL, t->ncols + 1, sizeof(*need));
	double deficit = 0.0, surplus = 0.0, take, x;

	for (size_t i = 0; i < t->ncols; i++) {
		double w = g->x[i + 1] - g->x[i];

		need[i] = widest_word(c, t, i) + 2.0 * PAD_PT + 2.0 * EPS;
		if (w < need[i])
			deficit += need[i] - w;
		else
			surplus += w - need[i];
	}
	take = deficit < surplus ? deficit : surplus;
	if (deficit > 0.0 && take > 0.0) {
		x = g->x[0];
		for (size_t i = 0; i < t->ncols; i++) {
			double w = g->x[i + 1] - g->x[i];

			if (w < need[i])
				w += (need[i] - w) * take / deficit;
			else
				w -= (w - need[i]) * take / surplus;
			g->x[i + 1] = (x += w);
		}
	}
	free(need);
}

static void
tgeom_make(struct lctx *c, const struct dtable *t, struct tgeom *g)
{
	double sum = 0.0, tw = c->right - c->left;
	bool ok = t->widths != NULL;

	for (size_t i = 0; ok && i < t->ncols; i++) {
		if (!isfinite(t->widths[i]) || t->widths[i] <= 0.0)
			ok = false;
		else
			sum += t->widths[i];
	}
	g->x = xreallocarray(NULL, t->ncols + 1, sizeof(*g->x));
	g->x[0] = c->left;
	for (size_t i = 0; i < t->ncols; i++) {
		/* Bad fractions share the width; too many shrink to fit. */
		double f = !ok ? 1.0 / (double)t->ncols :
		    sum > 1.0 ? t->widths[i] / sum : t->widths[i];

		g->x[i + 1] = g->x[i] + f * tw;
	}
	if (g->x[t->ncols] > c->right)
		g->x[t->ncols] = c->right;
	tgeom_fit_words(c, t, g);
	g->lh = LINE_RATIO * c->size;
}

/*
 * The geometry of t in the current frame, made once however often it
 * is asked for: it stays the layout's, valid until the next call.
 */
static struct tgeom *
tgeom_get(struct lctx *c, const struct dtable *t)
{
	struct tgeom *g = &c->geom;

	if (g->x == NULL || g->t != t || g->left != c->left ||
	    g->right != c->right || g->size != c->size ||
	    g->guess != c->guess) {
		free(g->x);
		tgeom_make(c, t, g);
		g->t = t;
		g->left = c->left;
		g->right = c->right;
		g->size = c->size;
		g->guess = c->guess;
		g->lead = -1.0;
	}
	return g;
}

static void
trow_build(struct lctx *c, const struct dtable *t, const struct tgeom *g,
    size_t r, struct trow *tr)
{
	const struct drow *row = &t->rows[r];

	tr->ncols = t->ncols;
	tr->cell = xcalloc(t->ncols, sizeof(*tr->cell));
	tr->tag = NULL;
	tr->nl = 0;
	for (size_t i = 0; i < t->ncols; i++) {
		double w = g->x[i + 1] - g->x[i] - 2.0 * PAD_PT;

		para_init(&tr->cell[i], c->size, 0, c->guess);
		if (row->cells != NULL)
			para_add_inline(c, &tr->cell[i], &row->cells[i],
			    row->header ? DRUN_BOLD : 0);
		para_set(c, &tr->cell[i], w < 1.0 ? 1.0 : w);
		if (tr->cell[i].nlines > tr->nl)
			tr->nl = tr->cell[i].nlines;
	}
	tr->h = (double)(tr->nl ? tr->nl : 1) * g->lh + 2.0 * PAD_PT;
}

static void
trow_free(struct trow *tr)
{
	free(tr->tag);
	for (size_t i = 0; i < tr->ncols; i++)
		para_free(&tr->cell[i]);
	free(tr->cell);
}

static double
trow_height(struct lctx *c, const struct dtable *t, const struct tgeom *g,
    size_t r)
{
	struct trow tr;
	double h;

	trow_build(c, t, g, r, &tr);
	h = tr.h;
	trow_free(&tr);
	return h;
}

/*
 * Lines l0..l1-1 of every cell of a row as one band with its grid; seg
 * says the band starts a page's part of the table and needs a top line.
 */
static void
trow_emit(struct lctx *c, const struct tgeom *g, const struct trow *tr,
    size_t l0, size_t l1, bool *seg)
{
	double yt = c->y, yb;

	yb = yt + (double)(l1 > l0 ? l1 - l0 : 1) * g->lh + 2.0 * PAD_PT;
	for (size_t i = 0; i < tr->ncols; i++) {
		const struct para *p = &tr->cell[i];
		double w = g->x[i + 1] - g->x[i] - 2.0 * PAD_PT;

		c->tag = tr->tag != NULL ? tr->tag[i] : 0;
		c->art = tr->tag == NULL;
		for (size_t l = l0; l < l1 && l < p->nlines; l++)
			emit_line(c, p, l, g->x[i] + PAD_PT, yt + PAD_PT +
			    (double)(l - l0) * g->lh + baseline(c, c->size),
			    w < 1.0 ? 1.0 : w, DALIGN_LEFT);
	}
	c->art = true;	/* the grid */
	if (*seg)
		line_add(c, g->x[0], yt, g->x[tr->ncols], yt);
	line_add(c, g->x[0], yb, g->x[tr->ncols], yb);
	for (size_t i = 0; i <= tr->ncols; i++)
		line_add(c, g->x[i], yt, g->x[i], yb);
	*seg = false;
	c->art = false;
	c->tag = 0;
	c->y = yb;
	c->fresh = false;
}

/*
 * Continue a table on a new page before row r: repeat the header rows
 * above r, unless they would leave no room for a line of r.
 */
static void
table_new_page(struct lctx *c, const struct dtable *t, const struct tgeom *g,
    size_t r, bool *seg)
{
	double hh = 0.0;

	new_page(c);
	*seg = true;
	for (size_t q = 0; q < r; q++)
		if (t->rows[q].header)
			hh += trow_height(c, t, g, q);
	if (hh == 0.0 || !room(c, hh + g->lh + 2.0 * PAD_PT))
		return;
	for (size_t q = 0; q < r; q++) {
		struct trow tr;

		if (!t->rows[q].header)
			continue;
		trow_build(c, t, g, q, &tr);
		trow_emit(c, g, &tr, 0, tr.nl, seg);
		trow_free(&tr);
	}
}

/* Height of the leading header rows and the first other row. */
static double
table_lead(struct lctx *c, const struct dtable *t)
{
	struct tgeom *g;
	double h = 0.0;

	if (t->ncols == 0)
		return 0.0;
	/* Asked for by a heading's look-ahead, then by the table itself. */
	g = tgeom_get(c, t);
	if (g->lead >= 0.0)
		return g->lead;
	for (size_t r = 0; r < t->nrows; r++) {
		h += trow_height(c, t, g, r);
		if (!t->rows[r].header)
			break;
	}
	g->lead = h;
	return h;
}

/* A row taller than the rest of an otherwise empty page: cut it. */
static void
trow_split(struct lctx *c, const struct dtable *t, const struct tgeom *g,
    const struct trow *tr, size_t r, bool *seg)
{
	size_t l0 = 0;

	for (;;) {
		double avail = c->bottom - c->y - 2.0 * PAD_PT;
		size_t k = avail > 0.0 ? (size_t)floor(avail / g->lh + EPS) :
		    0;

		if (k >= tr->nl - l0) {
			trow_emit(c, g, tr, l0, tr->nl, seg);
			return;
		}
		if (k == 0)
			k = 1;
		trow_emit(c, g, tr, l0, l0 + k, seg);
		l0 += k;
		table_new_page(c, t, g, r, seg);
	}
}

static void
place_table(struct lctx *c, const struct dtable *t)
{
	const struct tgeom *g;
	bool seg = true, top;
	size_t table;

	if (t->ncols == 0 || t->nrows == 0)
		return;
	begin_block(c, 0.0);
	if (c->flow && !c->fresh) {
		double need = table_lead(c, t);

		/* Header rows never end a page without a row under them. */
		if (!room(c, need) && need <= content_height(c))
			new_page(c);
	}
	g = tgeom_get(c, t);
	top = c->fresh;
	table = elem_add(c, LR_TABLE, 0, NULL);
	for (size_t r = 0; r < t->nrows; r++) {
		struct trow tr;
		size_t row;

		trow_build(c, t, g, r, &tr);
		row = elem_add(c, LR_TR, table, NULL);
		tr.tag = xcalloc(t->ncols, sizeof(*tr.tag));
		for (size_t i = 0; i < t->ncols; i++)
			tr.tag[i] = elem_add(c, t->rows[r].header ? LR_TH :
			    LR_TD, row, NULL);
		if (!room(c, tr.h) && !top) {
			table_new_page(c, t, g, r, &seg);
			top = true;
		}
		if (room(c, tr.h))
			trow_emit(c, g, &tr, 0, tr.nl, &seg);
		else
			trow_split(c, t, g, &tr, r, &seg);
		trow_free(&tr);
		top = false;
	}
	c->pend = PARA_AFTER * c->size;
}

/* ---- other blocks ---------------------------------------------------- */

/* The labels of a signature block; returns the block's height. */
static double
sig_build(struct lctx *c, const struct dblock *b, struct para *lp,
    struct para *rp)
{
	double tw = c->right - c->left;
	size_t nl;

	para_init(lp, c->size, 0, c->guess);
	para_init(rp, c->size, 0, c->guess);
	para_add_inline(c, lp, &b->text, 0);
	para_add_inline(c, rp, &b->value, 0);
	para_set(c, lp, SIG_LEFT * tw);
	para_set(c, rp, SIG_RIGHT * tw);
	nl = lp->nlines > rp->nlines ? lp->nlines : rp->nlines;
	return SIG_ROOM_PT + SIG_LABEL_PT + (double)nl * LINE_RATIO * c->size;
}

static double
sig_height(struct lctx *c, const struct dblock *b)
{
	struct para lp, rp;
	double h = sig_build(c, b, &lp, &rp);

	para_free(&lp);
	para_free(&rp);
	return h;
}

static void
place_signature(struct lctx *c, const struct dblock *b)
{
	struct para lp, rp;
	double h, tw = c->right - c->left, ly, rx, lh = LINE_RATIO * c->size;

	h = sig_build(c, b, &lp, &rp);
	begin_block(c, 0.0);
	if (!c->fresh && !room(c, h))
		new_page(c);
	ly = c->y + SIG_ROOM_PT;
	rx = c->right - SIG_RIGHT * tw;
	c->art = true;
	line_add(c, c->left, ly, c->left + SIG_LEFT * tw, ly);
	line_add(c, rx, ly, c->right, ly);
	c->art = false;
	c->tag = lp.nlines > 0 ? elem_add(c, LR_P, 0, NULL) : 0;
	for (size_t l = 0; l < lp.nlines; l++)
		emit_line(c, &lp, l, c->left, ly + SIG_LABEL_PT +
		    (double)l * lh + baseline(c, c->size), SIG_LEFT * tw,
		    DALIGN_LEFT);
	c->tag = rp.nlines > 0 ? elem_add(c, LR_P, 0, NULL) : 0;
	for (size_t l = 0; l < rp.nlines; l++)
		emit_line(c, &rp, l, rx, ly + SIG_LABEL_PT +
		    (double)l * lh + baseline(c, c->size), SIG_RIGHT * tw,
		    DALIGN_LEFT);
	c->tag = 0;
	para_free(&lp);
	para_free(&rp);
	c->y += h;
	c->fresh = false;
	c->pend = PARA_AFTER * c->size;
}

static double
space_pt(const struct dblock *b)
{
	if (!isfinite(b->space_pt) || b->space_pt < 0.0)
		return 0.0;
	return b->space_pt < LAYOUT_PAGE_H ? b->space_pt : LAYOUT_PAGE_H;
}

/*
 * Space at the top of a page is dropped, except at the top of the first
 * page or of a box, where only a template can have put it.
 */
static void
place_space(struct lctx *c, const struct dblock *b)
{
	double s = space_pt(b);

	if (c->fresh && !c->brk && (c->page == 0 || !c->flow)) {
		c->y += s;
		c->fresh = false;
	} else
		c->pend += s;
}

static void
place_rule(struct lctx *c)
{
	begin_block(c, PARA_AFTER * c->size);
	if (!c->fresh && !room(c, THIN_PT))
		new_page(c);
	c->art = true;
	line_add(c, c->left, c->y + THIN_PT / 2.0, c->right,
	    c->y + THIN_PT / 2.0);
	c->art = false;
	c->y += THIN_PT;
	c->fresh = false;
	c->pend = PARA_AFTER * c->size;
}

static bool
is_text_block(enum dblock_kind k)
{
	return k == DB_PARA || k == DB_ITEM || k == DB_CHECKBOX ||
	    k == DB_FIELD;
}

/*
 * The least height the blocks from i on need on this page after a
 * heading, pend being the space owed before them: the first part the
 * widow and orphan rules allow (a paragraph of up to three lines whole,
 * else two lines), a table's header rows and first row, and so on.
 */
static double
lead(struct lctx *c, const struct dblock *v, size_t n, size_t i, double pend,
    int depth)
{
	struct pblock pb;
	double h = 0.0;

	if (i >= n || depth >= MAX_DEPTH)
		return 0.0;
	switch (v[i].kind) {
	case DB_HEADING:
		pblock_take(c, &v[i], &pb);
		if (pb.nlines == 0)
			h = lead(c, v, n, i + 1, pend, depth + 1);
		else
			h = (pend > HEAD_ABOVE * pb.size ? pend : HEAD_ABOVE *
			    pb.size) + (double)pb.nlines * pb.lh +
			    lead(c, v, n, i + 1, pb.after, depth + 1);
		pblock_keep(c, &pb);
		break;
	case DB_PARA:
	case DB_ITEM:
	case DB_CHECKBOX:
	case DB_FIELD:
		pblock_take(c, &v[i], &pb);
		if (pb.nlines == 0)
			h = lead(c, v, n, i + 1, pend, depth + 1);
		else
			h = pend + (double)(pb.nlines <= 3 ? pb.nlines : 2) *
			    pb.lh;
		pblock_keep(c, &pb);
		break;
	case DB_TABLE:
		h = pend + table_lead(c, &v[i].table);
		break;
	case DB_SIGNATURE:
		h = pend + sig_height(c, &v[i]);
		break;
	case DB_RULE:
		h = (pend > PARA_AFTER * c->size ? pend : PARA_AFTER *
		    c->size) + THIN_PT;
		break;
	case DB_SPACE:
		h = lead(c, v, n, i + 1, pend + space_pt(&v[i]), depth + 1);
		break;
	case DB_BOX:
	case DB_BOOKMARK:
		h = lead(c, v, n, i + 1, pend, depth + 1);
		break;
	default:	/* DB_PAGEBREAK: what follows is on another page */
		break;
	}
	return h;
}

static void
place_heading(struct lctx *c, const struct dblock *v, size_t n, size_t i)
{
	struct pblock pb;

	pblock_take(c, &v[i], &pb);
	if (pb.nlines > 0) {
		begin_block(c, HEAD_ABOVE * pb.size);
		if (c->flow && !c->fresh) {
			double own = (double)pb.nlines * pb.lh;
			double need = own + lead(c, v, n, i + 1, pb.after, 0);

			/* Moving helps only if the pair fits on a page. */
			if (!room(c, need) && (need <= content_height(c) ||
			    !room(c, own)))
				new_page(c);
		}
		pblock_tag(c, &pb);
		pblock_emit(c, &pb, 0, pb.nlines);
		c->pend = pb.after;
	}
	pblock_free(&pb);
}

static void
place_text(struct lctx *c, const struct dblock *b)
{
	struct pblock pb;

	pblock_take(c, b, &pb);
	if (pb.nlines > 0) {
		begin_block(c, 0.0);
		pblock_tag(c, &pb);
		flow_pblock(c, &pb);
		c->pend = pb.after;
	}
	pblock_free(&pb);
}

/* 65 bars, each a filled rectangle, from the current position. */
static void
place_barcode(struct lctx *c, const struct dblock *b)
{
	const char *bars = b->text.n > 0 && b->text.v[0].kind == DRUN_TEXT ?
	    b->text.v[0].text : "";
	double half = IMB_FULL_PT / 2.0, t = IMB_TRACK_PT / 2.0, cy;

	if (*bars == '\0')
		return;
	begin_block(c, 0.0);
	cy = c->y + half;
	c->tag = elem_add(c, LR_FIGURE, 0, "Intelligent Mail barcode");
	for (size_t i = 0; bars[i] != '\0'; i++) {
		struct litem *it = item_add(c, LI_FILL);

		it->x = c->left + (double)i * IMB_PITCH_PT;
		it->x2 = it->x + IMB_BAR_PT;
		/* Ascender and full reach up; descender and full down. */
		it->y = bars[i] == 'A' || bars[i] == 'F' ? cy - half : cy - t;
		it->y2 = bars[i] == 'D' || bars[i] == 'F' ? cy + half : cy + t;
	}
	c->tag = 0;
	c->y += IMB_BLOCK_PT;
	c->fresh = false;
	c->pend = 0.0;
}

/* Drop what was placed after a mark: items of the mark's page from n0 on,
 * and every page after it. */
static void
roll_back(struct lctx *c, size_t page0, size_t n0)
{
	struct ldoc *ld = c->ld;

	for (size_t p = page0 + 1; p < ld->npages; p++) {
		for (size_t i = 0; i < ld->pages[p].n; i++)
			free(ld->pages[p].items[i].text);
		free(ld->pages[p].items);
	}
	ld->npages = page0 + 1;
	/* Bookmarks placed since are placed again with their blocks. */
	while (ld->nmarks > c->marks0)
		free(ld->marks[--ld->nmarks].title);
	ld->nelems = c->elems0;
	for (size_t i = n0; i < ld->pages[page0].n; i++)
		free(ld->pages[page0].items[i].text);
	ld->pages[page0].n = n0;
	c->page = page0;
}

/*
 * A group that must not be split (a closing, a signature, an
 * enclosure line): laid out where it stands; if it ran onto another page
 * and did not start at the top of one, it is taken back and laid out
 * again from the top of a new page.
 */
static void
place_keep(struct lctx *c, const struct dblock *b)
{
	size_t page0, n0, list0;
	double y0 = c->y, pend0 = c->pend;
	bool fresh0, brk0 = c->brk;

	if (!c->flow) {
		lay_blocks(c, b->kids, b->nkids);
		return;
	}
	if (c->brk)
		new_page(c);
	page0 = c->page;
	n0 = c->ld->pages[page0].n;
	c->marks0 = c->ld->nmarks;
	c->elems0 = c->ld->nelems;
	list0 = c->list;
	fresh0 = c->fresh;
	y0 = c->y;
	pend0 = c->pend;
	lay_blocks(c, b->kids, b->nkids);
	if (c->page == page0 || fresh0)
		return;
	roll_back(c, page0, n0);
	c->list = list0;
	c->y = y0;
	c->pend = pend0;
	c->fresh = fresh0;
	c->brk = brk0;
	new_page(c);
	lay_blocks(c, b->kids, b->nkids);
}

static void
lay_blocks(struct lctx *c, const struct dblock *v, size_t n)
{
	size_t list0 = c->list;

	c->list = 0;
	for (size_t i = 0; i < n; i++) {
		const struct dblock *b = &v[i];

		/* Consecutive items make one list; space, bookmarks and
		 * page breaks between them do not end it. */
		if (b->kind != DB_ITEM && b->kind != DB_SPACE &&
		    b->kind != DB_BOOKMARK && b->kind != DB_PAGEBREAK)
			c->list = 0;
		switch (b->kind) {
		case DB_HEADING:
			place_heading(c, v, n, i);
			break;
		case DB_TABLE:
			place_table(c, &b->table);
			break;
		case DB_SIGNATURE:
			place_signature(c, b);
			break;
		case DB_BOX:
			place_box(c, b);
			break;
		case DB_PAGEBREAK:
			/* Never an empty page: not at the start, not twice. */
			if (c->flow && (!c->fresh ||
			    c->ld->pages[c->page].n > 0))
				c->brk = true;
			break;
		case DB_SPACE:
			place_space(c, b);
			break;
		case DB_RULE:
			place_rule(c);
			break;
		case DB_BARCODE:
			place_barcode(c, b);
			break;
		case DB_KEEP:
			place_keep(c, b);
			break;
		case DB_BOOKMARK:
			place_mark(c, b);
			break;
		default:
			if (is_text_block(b->kind))
				place_text(c, b);
			break;
		}
	}
	c->list = list0;
}

/* A bookmark at the page the next block lands on (after a break). */
static void
place_mark(struct lctx *c, const struct dblock *b)
{
	struct ldoc *ld = c->ld;

	if (c->brk && c->flow)
		new_page(c);
	ld->marks = xreallocarray(ld->marks, ld->nmarks + 1,
	    sizeof(*ld->marks));
	ld->marks[ld->nmarks].title = dinline_text(&b->text);
	ld->marks[ld->nmarks++].page = c->page;
}

/* True if the box's rectangle is usable at all. */
static bool
box_is_sane(const struct dblock *b)
{
	for (int i = 0; i < 4; i++)
		if (!isfinite(b->box[i]))
			return false;
	return b->box[2] > 0.0 && b->box[3] >= 0.0;
}

/*
 * The kids of a box in its rectangle on the current page, without
 * pagination and without moving the flow.  Returns the bottom of what
 * was placed (pt from the page top), which may lie below the box: the
 * content is drawn anyway, and layout_box_fits() tells.
 */
static double
place_box(struct lctx *c, const struct dblock *b)
{
	double top = c->top, bottom = c->bottom, left = c->left;
	double right = c->right, size = c->size, y, pend, end;
	bool fresh, flow = c->flow;

	if (c->brk && c->flow)
		new_page(c);
	if (!box_is_sane(b) || c->depth >= MAX_DEPTH)
		return HUGE_VAL;
	fresh = c->fresh;
	y = c->y;
	pend = c->pend;
	c->depth++;
	c->left = b->box[0];
	c->right = b->box[0] + b->box[2];
	c->top = c->y = b->box[1];
	c->bottom = b->box[1] + b->box[3];
	c->pend = 0.0;
	c->fresh = true;
	c->flow = false;
	if (b->size_pt >= MIN_SIZE_PT && b->size_pt <= MAX_SIZE_PT)
		c->size = b->size_pt;
	lay_blocks(c, b->kids, b->nkids);
	end = c->y;
	c->size = size;
	c->depth--;
	c->top = top;
	c->bottom = bottom;
	c->left = left;
	c->right = right;
	c->y = y;
	c->pend = pend;
	c->fresh = fresh;
	c->flow = flow;
	return end;
}

/* ---- the document ---------------------------------------------------- */

static void
ctx_init(struct lctx *c, const struct ddoc *d, const struct measure *m,
    unsigned guess)
{
	memset(c, 0, sizeof(*c));
	c->m = m;
	buf_init(&c->tmp);
	buf_init(&c->wc.pool);
	c->asc = m->ascent;
	c->desc = m->descent;
	if (!isfinite(c->asc) || !isfinite(c->desc) || c->asc <= 0.0 ||
	    c->desc < 0.0 || c->asc + c->desc > LINE_RATIO) {
		c->asc = 0.8;
		c->desc = 0.2;
	}
	c->size = d != NULL ? d->size_pt : 0.0;
	if (!isfinite(c->size) || c->size < MIN_SIZE_PT ||
	    c->size > MAX_SIZE_PT)
		c->size = 10.0;
	for (int i = 0; i < 4; i++) {
		c->margin[i] = d != NULL ? d->margin[i] : 72.0;
		if (!isfinite(c->margin[i]) || c->margin[i] < 0.0)
			c->margin[i] = 72.0;
	}
	/* Margins that leave no room for text are replaced, not obeyed. */
	if (LAYOUT_PAGE_W - c->margin[1] - c->margin[3] < MIN_TEXT_PT)
		c->margin[1] = c->margin[3] = 72.0;
	if (LAYOUT_PAGE_H - c->margin[0] - c->margin[2] < MIN_TEXT_PT)
		c->margin[0] = c->margin[2] = 72.0;
	c->top = c->margin[0];
	c->bottom = LAYOUT_PAGE_H - c->margin[2];
	c->left = c->margin[3];
	c->right = LAYOUT_PAGE_W - c->margin[1];
	c->flow = true;
	c->guess = guess;
	c->ld = xcalloc(1, sizeof(*c->ld));
	c->ld->title = xstrdup(d != NULL && d->title != NULL ? d->title : "");
	c->ld->lang = xstrdup(d != NULL && d->lang != NULL && d->lang[0] ?
	    d->lang : "en");
	if (d != NULL && d->name_lang != NULL)
		c->ld->name_lang = xstrdup(d->name_lang);
	c->ld->face_lang = m->lang;
}

/* What ctx_init() and the layout made, but the ldoc. */
static void
ctx_free(struct lctx *c)
{
	buf_free(&c->tmp);
	wcache_free(&c->wc);
	brk_free(&c->scratch);
	free(c->geom.x);
	while (c->nahead > 0)
		pblock_free(&c->ahead[--c->nahead].pb);
}

/* A running head or foot set for the width of the page's text. */
static void
running_build(struct lctx *c, const struct dinline *in, struct para *p)
{
	para_init(p, HF_PT, (unsigned)c->page + 1, (unsigned)c->ld->npages);
	para_add_inline(c, p, in, 0);
	para_set(c, p, c->right - c->left);
}

/* Whether an inline shows the page number, which differs by page. */
static bool
has_page_number(const struct dinline *in)
{
	for (size_t i = 0; i < in->n; i++)
		if (in->v[i].kind == DRUN_PAGE)
			return true;
	return false;
}

/*
 * One header or footer slot (0 left, 1 center, 2 right) on every page:
 * set once, unless it shows the page number.  Each page receives its
 * slots in the same order whichever loop is outside.
 */
static void
place_running(struct lctx *c, const struct dinline *in, int slot,
    bool footer)
{
	static const enum dalign align[3] = {
		DALIGN_LEFT, DALIGN_CENTER, DALIGN_RIGHT
	};
	struct para p;
	double lh = LINE_RATIO * HF_PT, w = c->right - c->left;
	bool each = has_page_number(in);

	if (in->n == 0)
		return;
	memset(&p, 0, sizeof(p));
	c->art = true;	/* running heads and feet are not content */
	for (c->page = 0; c->page < c->ld->npages; c->page++) {
		if (c->page == 0 || each) {
			if (c->page > 0)
				para_free(&p);
			running_build(c, in, &p);
		}
		/* Lines of a long header grow upwards, of a footer down. */
		for (size_t l = 0; l < p.nlines; l++)
			emit_line(c, &p, l, c->left, footer ?
			    c->bottom + FOOTER_DROP_PT + (double)l * lh :
			    c->top - HEADER_RISE_PT -
			    (double)(p.nlines - 1 - l) * lh, w, align[slot]);
	}
	c->art = false;
	para_free(&p);
}

static struct ldoc *
layout_pass(const struct ddoc *d, const struct measure *m, unsigned guess,
    bool *counters)
{
	struct lctx c;

	ctx_init(&c, d, m, guess);
	new_page(&c);
	if (d != NULL)
		lay_blocks(&c, d->blocks, d->nblocks);
	*counters = c.counters;
	if (d != NULL)
		for (int s = 0; s < 3; s++) {
			place_running(&c, &d->header[s], s, false);
			place_running(&c, &d->footer[s], s, true);
		}
	ctx_free(&c);
	return c.ld;
}

struct ldoc *
layout_doc(const struct ddoc *d, const struct measure *m)
{
	unsigned guess = 1;

	if (m == NULL || m->width == NULL)
		return NULL;
	for (int pass = 1;; pass++) {
		bool counters;
		struct ldoc *ld = layout_pass(d, m, guess, &counters);

		if (!counters || ld->npages == guess || pass == MAX_PASSES)
			return ld;
		guess = (unsigned)ld->npages;
		ldoc_free(ld);
	}
}

bool
layout_box_fits(const struct ddoc *d, const struct dblock *box,
    const struct measure *m)
{
	struct lctx c;
	double end, x0, x1;
	bool fits;

	if (box == NULL || m == NULL || m->width == NULL)
		return false;
	if (!box_is_sane(box))
		return false;
	ctx_init(&c, d, m, 1);
	new_page(&c);
	end = place_box(&c, box);
	x0 = box->box[0] - EPS;
	x1 = box->box[0] + box->box[2] + EPS;
	fits = end <= box->box[1] + box->box[3] + EPS;
	for (size_t i = 0; fits && i < c.ld->pages[0].n; i++) {
		const struct litem *it = &c.ld->pages[0].items[i];

		fits = it->x >= x0 && it->x <= x1 && it->x2 >= x0 &&
		    it->x2 <= x1;
	}
	ctx_free(&c);
	ldoc_free(c.ld);
	return fits;
}

size_t
layout_break_lines(const struct measure *m, unsigned style, double size,
    const char *text, double width, size_t **breaks)
{
	struct lctx c;
	struct para p;
	size_t n;

	*breaks = xcalloc(1, sizeof(**breaks));
	if (m == NULL || m->width == NULL || text == NULL)
		return 0;
	ctx_init(&c, NULL, m, 1);
	para_init(&p, size, 1, 1);
	para_add_text(&c, &p, text, style);
	para_set(&c, &p, width > 0.0 ? width : 1.0);
	n = p.nlines;
	free(*breaks);
	*breaks = xreallocarray(NULL, n ? n : 1, sizeof(**breaks));
	for (size_t l = 0; l < n; l++)
		(*breaks)[l] = (size_t)(p.v[p.line[l]].s - text);
	if (n == 0)
		(*breaks)[0] = 0;
	para_free(&p);
	ctx_free(&c);
	ldoc_free(c.ld);
	return n;
}
