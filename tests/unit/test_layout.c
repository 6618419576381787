/*
 * test_layout.c - cmocka tests for layout.c: line breaking, justification,
 * pagination (widows, orphans, headings kept with what follows, tables
 * with repeated header rows), page counters, boxes and form blocks.
 *
 * Text is measured with a fake font whose every code point is 0.5 x size
 * wide (0.6 x size in bold), so every expected position below is exact
 * arithmetic on the page geometry: US Letter, 72 pt margins, a text area
 * from x 72 to 540 and y 72 to 720, 10 pt body text on 12.5 pt lines
 * whose baseline is 9.25 pt below the top of the line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnpack/buf.h"
#include "rnpack/ddoc.h"
#include "rnpack/layout.h"
#include "rnpack/xalloc.h"

#define LEFT	72.0
#define RIGHT	540.0
#define TOP	72.0
#define BOTTOM	720.0
#define LH	12.5		/* body line height */
#define BASE	9.25		/* body baseline below the line top */
#define NEAR(a, b)	((a) - (b) < 1e-6 && (b) - (a) < 1e-6)

static double
fake_width(void *ctx, unsigned style, double size, const char *s)
{
	double per = (style & DRUN_BOLD) ? 0.6 : 0.5;
	size_t n = 0;

	(void)ctx;
	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return (double)n * per * size;
}

static const struct measure fake = { NULL, fake_width, 0.8, 0.2, 0 };

static double
text_w(const struct litem *it)
{
	return fake_width(NULL, it->style, it->size, it->text);
}

/*
 * What must hold of every layout: text inside [left, right] (the real
 * measure agrees with the end the engine recorded), inside the page.
 */
static void
check_ldoc(const struct ldoc *ld, double left, double right)
{
	assert_non_null(ld);
	assert_true(ld->npages >= 1);
	for (size_t p = 0; p < ld->npages; p++)
		for (size_t i = 0; i < ld->pages[p].n; i++) {
			const struct litem *it = &ld->pages[p].items[i];

			if (it->kind != LI_TEXT)
				continue;
			assert_non_null(it->text);
			assert_true(it->text[0] != '\0');
			assert_true(it->x >= left - 0.001);
			assert_true(it->x + text_w(it) <= right + 0.001);
			assert_true(NEAR(it->x2, it->x + text_w(it)));
			assert_true(it->y > 0.0 && it->y < LAYOUT_PAGE_H);
		}
}

static size_t
count_kind(const struct lpage *pg, enum litem_kind kind)
{
	size_t n = 0;

	for (size_t i = 0; i < pg->n; i++)
		if (pg->items[i].kind == kind)
			n++;
	return n;
}

/* The first item of page p whose text is s, or NULL. */
static const struct litem *
find_text(const struct ldoc *ld, size_t p, const char *s)
{
	for (size_t i = 0; i < ld->pages[p].n; i++) {
		const struct litem *it = &ld->pages[p].items[i];

		if (it->kind == LI_TEXT && strcmp(it->text, s) == 0)
			return it;
	}
	return NULL;
}

static struct dblock *
add_para(struct ddoc *d, const char *text, enum dalign align)
{
	struct dblock *b = ddoc_add(d, DB_PARA);

	b->align = align;
	dinline_add(&b->text, DRUN_TEXT, 0, text);
	return b;
}

/* A left-aligned paragraph of exactly n lines: 9 words of 45 pt each. */
static void
add_lines(struct ddoc *d, size_t n)
{
	char *s = xmalloc(n * 9 * 10 + 1);

	s[0] = '\0';
	for (size_t i = 0; i < n * 9; i++)
		strcat(s, i ? " abcdefghi" : "abcdefghi");
	add_para(d, s, DALIGN_LEFT);
	free(s);
}

static void
add_space(struct ddoc *d, double pt)
{
	ddoc_add(d, DB_SPACE)->space_pt = pt;
}

/* ---- line breaking --------------------------------------------------- */

/*
 * Thai has no spaces between words: lines break between words, where
 * ICU's dictionary says, never inside one; Latin text (a name) breaks
 * only at its spaces, and a mark never starts a line.
 */
static void
test_break_dictionary(void **state)
{
	/* ภาษา|ไทย|ง่าย|นิด|เดียว: words at bytes 0, 12, 21, 33, 42. */
	const char *thai = "ภาษาไทยง่ายนิดเดียว";
	const size_t words[] = { 0, 12, 21, 33, 42 };
	const char *mark = "aaaae\xCC\x81" "bb";
	size_t *br, n;

	(void)state;
	/* 5 pt a code point: 30 pt holds 6. */
	n = layout_break_lines(&fake, 0, 10.0, thai, 30.0, &br);
	assert_true(n >= 3);
	for (size_t i = 0; i < n; i++) {
		bool ok = false;

		for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
			ok |= br[i] == words[k];
		if (!ok)
			fail_msg("line %zu starts at byte %zu", i, br[i]);
	}
	free(br);
	/* Latin: "Anna-Maria Lopez" breaks only at the space. */
	n = layout_break_lines(&fake, 0, 10.0, "Anna-Maria Lopez", 60.0, &br);
	assert_int_equal(n, 2);
	assert_int_equal(br[1], 11);
	free(br);
	/* A word wider than the line is cut, but not before a mark:
	 * "e\u0301" (é, decomposed) stays whole. */
	n = layout_break_lines(&fake, 0, 10.0, mark, 25.0, &br);
	assert_true(n >= 2);
	for (size_t i = 0; i < n; i++)
		assert_true((unsigned char)mark[br[i]] != 0xCC);
	free(br);
}

static void
test_break_exact(void **state)
{
	size_t *br, n;

	(void)state;
	/* Words of 20 pt, spaces of 5 pt: two words take 45 pt. */
	n = layout_break_lines(&fake, 0, 10.0, "aaaa bbbb cccc dddd", 47.0,
	    &br);
	assert_int_equal(n, 2);
	assert_int_equal(br[0], 0);
	assert_int_equal(br[1], 10);
	free(br);
	n = layout_break_lines(&fake, 0, 10.0, "aaaa bbbb cccc dddd", 45.0,
	    &br);
	assert_int_equal(n, 2);
	free(br);
	n = layout_break_lines(&fake, 0, 10.0, "aaaa bbbb cccc dddd", 44.9,
	    &br);
	assert_int_equal(n, 4);
	assert_int_equal(br[1], 5);
	assert_int_equal(br[2], 10);
	assert_int_equal(br[3], 15);
	free(br);
	/* Bold is wider: 24 pt words no longer pair up in 47 pt. */
	n = layout_break_lines(&fake, DRUN_BOLD, 10.0, "aaaa bbbb", 47.0, &br);
	assert_int_equal(n, 2);
	free(br);
	/* Runs of spaces collapse; leading and trailing ones vanish. */
	n = layout_break_lines(&fake, 0, 10.0, "   aa    bb   ", 100.0, &br);
	assert_int_equal(n, 1);
	assert_int_equal(br[0], 3);
	free(br);
	n = layout_break_lines(&fake, 0, 10.0, "", 100.0, &br);
	assert_int_equal(n, 0);
	assert_non_null(br);
	free(br);
}

/*
 * "aaa bb cc ddddd" in 6 pt at 1 pt per character: first fit gives
 * "aaa bb" / "cc" / "ddddd" (squared slack 0 + 16), minimum raggedness
 * "aaa" / "bb cc" / "ddddd" (9 + 1).
 */
static void
test_break_min_raggedness(void **state)
{
	size_t *br, n;

	(void)state;
	n = layout_break_lines(&fake, 0, 2.0, "aaa bb cc ddddd", 6.0, &br);
	assert_int_equal(n, 3);
	assert_int_equal(br[0], 0);
	assert_int_equal(br[1], 4);
	assert_int_equal(br[2], 10);
	free(br);
}

static void
test_break_long_word(void **state)
{
	char s[512];
	size_t *br, n;

	(void)state;
	/* 200 x of 5 pt in 468 pt: 93 a line. */
	memset(s, 'x', 200);
	s[200] = '\0';
	n = layout_break_lines(&fake, 0, 10.0, s, 468.0, &br);
	assert_int_equal(n, 3);
	assert_int_equal(br[1], 93);
	assert_int_equal(br[2], 186);
	free(br);

	/* A two-byte letter is cut between code points, never inside. */
	s[0] = '\0';
	for (int i = 0; i < 100; i++)
		strcat(s, "\xc3\xa9");
	n = layout_break_lines(&fake, 0, 10.0, s, 100.0, &br);
	assert_int_equal(n, 5);
	for (size_t l = 0; l < n; l++)
		assert_int_equal(br[l], l * 40);
	free(br);

	/* Short words around a long one keep their own lines. */
	strcpy(s, "ab ");
	memset(s + 3, 'x', 150);
	strcpy(s + 153, " cd");
	n = layout_break_lines(&fake, 0, 10.0, s, 468.0, &br);
	assert_int_equal(n, 3);
	assert_int_equal(br[0], 0);
	assert_int_equal(br[1], 3);
	assert_int_equal(br[2], 96);
	free(br);
}

/* ---- lines on the page ----------------------------------------------- */

static void
test_mixed_styles(void **state)
{
	struct ddoc *d = ddoc_new();
	struct dblock *b = ddoc_add(d, DB_PARA);
	struct ldoc *ld;
	const struct litem *it;

	(void)state;
	dinline_add(&b->text, DRUN_TEXT, 0, "Hello ");
	dinline_add(&b->text, DRUN_TEXT, DRUN_BOLD, "bold");
	dinline_add(&b->text, DRUN_TEXT, 0, " world foo");
	dinline_add(&b->text, DRUN_TEXT, DRUN_ITALIC, "bar");
	dinline_add(&b->text, DRUN_TEXT, 0, "baz");
	ld = layout_doc(d, &fake);
	check_ldoc(ld, LEFT, RIGHT);
	assert_int_equal(ld->npages, 1);
	assert_int_equal(count_kind(&ld->pages[0], LI_TEXT), 5);
	it = find_text(ld, 0, "Hello");
	assert_non_null(it);
	assert_true(NEAR(it->x, 72.0) && NEAR(it->y, TOP + BASE));
	assert_int_equal(it->style, 0);
	it = find_text(ld, 0, "bold");
	assert_non_null(it);
	assert_true(NEAR(it->x, 102.0) && NEAR(it->y, TOP + BASE));
	assert_int_equal(it->style, DRUN_BOLD);
	/* Same style again after the bold word: one item, natural space. */
	it = find_text(ld, 0, "world foo");
	assert_non_null(it);
	assert_true(NEAR(it->x, 131.0));
	/* A style change inside a word adds no space. */
	it = find_text(ld, 0, "bar");
	assert_non_null(it);
	assert_int_equal(it->style, DRUN_ITALIC);
	assert_true(NEAR(it->x, 176.0));
	it = find_text(ld, 0, "baz");
	assert_non_null(it);
	assert_true(NEAR(it->x, 191.0));
	ldoc_free(ld);
	ddoc_free(d);
}

/*
 * Every line of a paragraph carries the paragraph's base direction, its
 * first strong character's: an English sentence's wrapped line that
 * starts with an Arabic word is still left to right.
 */
static void
test_para_direction(void **state)
{
	struct ddoc *d = ddoc_new();
	struct buf t = BUF_INIT;
	struct ldoc *ld;
	size_t arabic_first = 0, n = 0;

	(void)state;
	/* "12, abcd ab ab شركة ab ab شركة ...": the lines start with
	 * either word. */
	buf_adds(&t, "12, abcd");
	for (int i = 1; i < 200; i++)
		buf_adds(&t, i % 3 ? " ab" :
		    " \xD8\xB4\xD8\xB1\xD9\x83\xD8\xA9");
	buf_addc(&t, '\0');
	add_para(d, t.ptr, DALIGN_LEFT);
	add_para(d, "\xD8\xB4\xD8\xB1\xD9\x83\xD8\xA9 abcd", DALIGN_LEFT);
	add_para(d, "12, 34", DALIGN_LEFT);
	ld = layout_doc(d, &fake);
	check_ldoc(ld, LEFT, RIGHT);
	for (size_t i = 0; i < ld->pages[0].n; i++) {
		const struct litem *it = &ld->pages[0].items[i];

		if (it->kind != LI_TEXT)
			continue;
		n++;
		if (strcmp(it->text, "\xD8\xB4\xD8\xB1\xD9\x83\xD8\xA9 abcd")
		    == 0)
			assert_int_equal(it->dir, 2);
		else if (strcmp(it->text, "12, 34") == 0)
			assert_int_equal(it->dir, 0);
		else {
			assert_int_equal(it->dir, 1);
			arabic_first += (unsigned char)it->text[0] == 0xD8;
		}
	}
	assert_true(n > 4);
	assert_true(arabic_first >= 1);
	ldoc_free(ld);
	ddoc_free(d);
	buf_free(&t);
}

/* Words of varied length: justified lines end on the right margin. */
static void
test_justify(void **state)
{
	static const int lens[] = { 3, 7, 2, 9, 5, 11, 4, 1, 6, 8 };
	struct ddoc *d = ddoc_new();
	struct dblock *b = ddoc_add(d, DB_PARA);
	char word[16];
	struct ldoc *ld;
	double ys[64];
	size_t nys = 0;

	(void)state;
	b->align = DALIGN_JUSTIFY;
	for (int i = 0; i < 150; i++) {
		int n = lens[i % 10];

		memset(word, 'a' + i % 26, (size_t)n);
		word[n] = ' ';
		word[n + 1] = '\0';
		dinline_add(&b->text, DRUN_TEXT, i % 13 == 5 ? DRUN_BOLD : 0,
		    word);
	}
	ld = layout_doc(d, &fake);
	check_ldoc(ld, LEFT, RIGHT);
	assert_int_equal(ld->npages, 1);
	for (size_t i = 0; i < ld->pages[0].n; i++) {
		const struct litem *it = &ld->pages[0].items[i];
		size_t k;

		for (k = 0; k < nys && !NEAR(ys[k], it->y); k++)
			continue;
		if (k == nys) {
			assert_true(nys < 64);
			ys[nys++] = it->y;
		}
	}
	assert_true(nys >= 4);
	for (size_t k = 0; k < nys; k++) {
		double lo = 1e9, hi = 0.0, prev = -1.0, maxgap = 0.0;
		size_t items = 0;

		/* Items of a line come left to right. */
		for (size_t i = 0; i < ld->pages[0].n; i++) {
			const struct litem *it = &ld->pages[0].items[i];

			if (!NEAR(it->y, ys[k]))
				continue;
			items++;
			if (prev >= 0.0) {
				assert_true(it->x >= prev - 1e-6);
				if (it->x - prev > maxgap)
					maxgap = it->x - prev;
			}
			prev = it->x + text_w(it);
			lo = it->x < lo ? it->x : lo;
			hi = prev > hi ? prev : hi;
		}
		assert_true(NEAR(lo, LEFT));
		if (k + 1 < nys) {
			/* Every word its own item, the last one flush right. */
			assert_true(items > 3);
			assert_true(NEAR(hi, RIGHT));
		} else
			/* The last line is set left: natural spaces only. */
			assert_true(maxgap <= 6.0 + 1e-6);
	}
	ldoc_free(ld);
	ddoc_free(d);
}

static void
test_center_right(void **state)
{
	struct ddoc *d = ddoc_new();
	struct ldoc *ld;

	(void)state;
	add_para(d, "abc", DALIGN_CENTER);
	add_para(d, "abcd", DALIGN_RIGHT);
	ld = layout_doc(d, &fake);
	check_ldoc(ld, LEFT, RIGHT);
	assert_true(NEAR(find_text(ld, 0, "abc")->x, 72.0 + (468.0 - 15.0) /
	    2.0));
	assert_true(NEAR(find_text(ld, 0, "abcd")->x, 520.0));
	/* 12.5 pt line and 5 pt after the paragraph. */
	assert_true(NEAR(find_text(ld, 0, "abcd")->y, TOP + 17.5 + BASE));
	ldoc_free(ld);
	ddoc_free(d);
}

/* ---- pagination ------------------------------------------------------ */

/* Lines (text items) per page of a layout with one paragraph. */
static void
lines_per_page(double space, size_t nlines, size_t want0, size_t want1)
{
	struct ddoc *d = ddoc_new();
	struct ldoc *ld;

	add_space(d, space);
	add_lines(d, nlines);
	ld = layout_doc(d, &fake);
	check_ldoc(ld, LEFT, RIGHT);
	assert_int_equal(ld->npages, want1 ? 2 : 1);
	assert_int_equal(count_kind(&ld->pages[0], LI_TEXT), want0);
	if (want1) {
		assert_int_equal(count_kind(&ld->pages[1], LI_TEXT), want1);
		/* The rest starts at the top of the next page. */
		assert_true(NEAR(ld->pages[1].items[0].y, TOP + BASE));
	}
	ldoc_free(ld);
	ddoc_free(d);
}

static void
test_no_orphan(void **state)
{
	(void)state;
	/* Room for one line (18.75 pt): the first line never stays alone. */
	lines_per_page(648.0 - 18.75, 4, 0, 4);
	lines_per_page(648.0 - 18.75, 2, 0, 2);
	/* Room for two lines: a three-line paragraph moves whole. */
	lines_per_page(648.0 - 30.0, 3, 0, 3);
	/* Control: enough room, nothing moves. */
	lines_per_page(648.0 - 40.0, 3, 3, 0);
}

static void
test_no_widow(void **state)
{
	(void)state;
	/* Room for three lines: 4 -> 2 + 2, not 3 + 1. */
	lines_per_page(648.0 - 40.0, 4, 2, 2);
	/* Room for three lines: 5 -> 3 + 2. */
	lines_per_page(648.0 - 40.0, 5, 3, 2);
	/* Room for four lines: 5 -> 3 + 2, not 4 + 1. */
	lines_per_page(648.0 - 50.0, 5, 3, 2);
}

static void
test_long_paragraph(void **state)
{
	struct ddoc *d = ddoc_new();
	struct ldoc *ld;
	size_t total = 0;

	(void)state;
	/* 51 lines a page: 120 = 51 + 51 + 18. */
	add_lines(d, 120);
	ld = layout_doc(d, &fake);
	check_ldoc(ld, LEFT, RIGHT);
	assert_int_equal(ld->npages, 3);
	assert_int_equal(count_kind(&ld->pages[0], LI_TEXT), 51);
	assert_int_equal(count_kind(&ld->pages[1], LI_TEXT), 51);
	for (size_t p = 0; p < ld->npages; p++) {
		total += count_kind(&ld->pages[p], LI_TEXT);
		for (size_t i = 0; i < ld->pages[p].n; i++)
			assert_true(ld->pages[p].items[i].y <= BOTTOM);
	}
	assert_int_equal(total, 120);
	ldoc_free(ld);
	ddoc_free(d);

	/* 53 lines: 51 + 2 would be fine, 52 lines: 50 + 2, not 51 + 1. */
	d = ddoc_new();
	add_lines(d, 52);
	ld = layout_doc(d, &fake);
	assert_int_equal(ld->npages, 2);
	assert_int_equal(count_kind(&ld->pages[0], LI_TEXT), 50);
	assert_int_equal(count_kind(&ld->pages[1], LI_TEXT), 2);
	ldoc_free(ld);
	ddoc_free(d);
}

/*
 * A level 1 heading (15 pt above, 18.75 pt line, 6 pt below) followed
 * by a four-line paragraph, which may break after two lines: 49.75 pt
 * are needed after the space above.
 */
static void
heading_case(double room, size_t heading_page, size_t lines_on_first)
{
	struct ddoc *d = ddoc_new();
	struct dblock *h;
	struct ldoc *ld;
	const struct litem *it;

	add_space(d, 648.0 - room);
	h = ddoc_add(d, DB_HEADING);
	h->level = 1;
	dinline_add(&h->text, DRUN_TEXT, 0, "Heading");
	add_lines(d, 4);
	ld = layout_doc(d, &fake);
	check_ldoc(ld, LEFT, RIGHT);
	assert_int_equal(ld->npages, 2);
	it = find_text(ld, heading_page, "Heading");
	assert_non_null(it);
	assert_int_equal(it->style, DRUN_BOLD);
	assert_true(NEAR(it->size, 15.0));
	if (heading_page == 1)
		assert_true(NEAR(it->y, TOP + (18.75 + 0.6 * 15.0) / 2.0));
	assert_int_equal(count_kind(&ld->pages[0], LI_TEXT), lines_on_first +
	    (heading_page == 0));
	ldoc_free(ld);
	ddoc_free(d);
}

static void
test_heading_keep(void **state)
{
	(void)state;
	/* Room for the heading and one line only: both move. */
	heading_case(15.0 + 18.75 + 6.0 + 12.5 + 3.0, 1, 0);
	/* Room for the heading and two lines: the heading stays. */
	heading_case(15.0 + 18.75 + 6.0 + 25.0 + 1.0, 0, 2);
}

/* Row id of "r12" or "w12 w12 ...", or -1. */
static int
row_of(const char *s)
{
	if ((s[0] != 'r' && s[0] != 'w') || s[1] < '0' || s[1] > '9')
		return -1;
	return atoi(s + 1);
}

static struct ddoc *
table_doc(size_t nrows)
{
	struct ddoc *d = ddoc_new();
	struct dblock *b;
	struct drow *row;
	char buf[512];

	add_para(d, "Before the table.", DALIGN_LEFT);
	b = ddoc_add(d, DB_TABLE);
	b->table.ncols = 2;
	b->table.widths = xcalloc(2, sizeof(double));
	b->table.widths[0] = 0.3;
	b->table.widths[1] = 0.7;
	row = dtable_add_row(&b->table, true);
	dinline_add(&row->cells[0], DRUN_TEXT, 0, "Name");
	dinline_add(&row->cells[1], DRUN_TEXT, 0, "Description");
	for (size_t r = 0; r < nrows; r++) {
		row = dtable_add_row(&b->table, false);
		snprintf(buf, sizeof(buf), "r%zu", r);
		dinline_add(&row->cells[0], DRUN_TEXT, 0, buf);
		buf[0] = '\0';
		/* Every seventh row wraps to three lines. */
		for (int w = 0; w < (r % 7 == 3 ? 30 : 1); w++) {
			char word[32];

			snprintf(word, sizeof(word), "%sw%zu", w ? " " : "", r);
			strcat(buf, word);
		}
		dinline_add(&row->cells[1], DRUN_TEXT, 0, buf);
	}
	add_para(d, "After the table.", DALIGN_LEFT);
	return d;
}

/* The role of the element an item belongs to; -1 for an artifact. */
static int
role_of(const struct ldoc *ld, const struct litem *it)
{
	if (it->artifact)
		return -1;
	assert_true(it->elem >= 1 && it->elem <= ld->nelems);
	return (int)ld->elems[it->elem - 1].role;
}

static void
test_tags(void **state)
{
	struct ddoc *d = table_doc(120);
	struct dblock *b;
	struct ldoc *ld;
	const struct litem *it;
	size_t li;

	(void)state;
	free(d->lang);
	d->lang = xstrdup("es");
	dinline_add(&d->header[0], DRUN_TEXT, 0, "Confidential");
	dinline_add(&d->footer[1], DRUN_PAGE, 0, NULL);
	b = ddoc_add(d, DB_HEADING);
	b->level = 2;
	dinline_add(&b->text, DRUN_TEXT, 0, "Steps");
	for (int i = 0; i < 2; i++) {
		b = ddoc_add(d, DB_ITEM);
		strcpy(b->marker, i ? "2." : "1.");
		dinline_add(&b->text, DRUN_TEXT, 0, i ? "second" : "first");
	}
	b = ddoc_add(d, DB_RULE);
	ld = layout_doc(d, &fake);
	assert_string_equal(ld->lang, "es");
	assert_true(ld->npages >= 2);
	/* Running heads and feet are artifacts; so is the header row
	   repeated on a later page, not the first. */
	assert_int_equal(role_of(ld, find_text(ld, 0, "Confidential")), -1);
	assert_int_equal(role_of(ld, find_text(ld, 1, "Confidential")), -1);
	assert_int_equal(role_of(ld, find_text(ld, 0, "Name")), LR_TH);
	assert_int_equal(role_of(ld, find_text(ld, 1, "Name")), -1);
	assert_int_equal(role_of(ld, find_text(ld, 0, "r0")), LR_TD);
	assert_int_equal(role_of(ld, find_text(ld, 0, "Before the table.")),
	    LR_P);
	/* A cell's row, a row's table. */
	it = find_text(ld, 0, "r0");
	li = ld->elems[it->elem - 1].parent;
	assert_int_equal(ld->elems[li - 1].role, LR_TR);
	assert_int_equal(ld->elems[ld->elems[li - 1].parent - 1].role,
	    LR_TABLE);
	/* The list: one L, two LI, each a Lbl then an LBody. */
	for (size_t p = 0; p < ld->npages; p++) {
		const struct litem *one = find_text(ld, p, "1.");
		const struct litem *first = find_text(ld, p, "first");
		const struct litem *two = find_text(ld, p, "2.");
		size_t li1, li2;

		if (one == NULL)
			continue;
		assert_int_equal(role_of(ld, one), LR_LBL);
		assert_int_equal(role_of(ld, first), LR_LBODY);
		assert_true(one < first);	/* the marker is drawn first */
		li1 = ld->elems[one->elem - 1].parent;
		li2 = ld->elems[two->elem - 1].parent;
		assert_int_equal(ld->elems[first->elem - 1].parent, li1);
		assert_int_equal(ld->elems[li1 - 1].role, LR_LI);
		assert_true(li1 != li2);
		assert_int_equal(ld->elems[li1 - 1].parent,
		    ld->elems[li2 - 1].parent);
		assert_int_equal(ld->elems[ld->elems[li1 - 1].parent - 1].role,
		    LR_L);
		/* The heading before the list. */
		assert_int_equal(role_of(ld, find_text(ld, p, "Steps")),
		    LR_H2);
		li = 1;
	}
	assert_int_equal(li, 1);
	/* Every grid line and the rule are artifacts; every element's
	   parent comes before it. */
	for (size_t p = 0; p < ld->npages; p++)
		for (size_t i = 0; i < ld->pages[p].n; i++)
			if (ld->pages[p].items[i].kind == LI_LINE)
				assert_true(ld->pages[p].items[i].artifact);
	for (size_t e = 0; e < ld->nelems; e++)
		assert_true(ld->elems[e].parent <= e);
	ldoc_free(ld);
	ddoc_free(d);
}

static void
test_table_pages(void **state)
{
	struct ddoc *d = table_doc(200);
	struct ldoc *ld = layout_doc(d, &fake);
	int page_of[200];

	(void)state;
	check_ldoc(ld, LEFT, RIGHT);
	assert_true(ld->npages >= 4);
	for (int r = 0; r < 200; r++)
		page_of[r] = -1;
	for (size_t p = 0; p < ld->npages; p++) {
		const struct lpage *pg = &ld->pages[p];
		const struct litem *name = find_text(ld, p, "Name");
		size_t names = 0, lines = count_kind(pg, LI_LINE);

		/* The header row heads every page, in bold. */
		assert_non_null(name);
		assert_int_equal(name->style, DRUN_BOLD);
		assert_non_null(find_text(ld, p, "Description"));
		assert_true(NEAR(find_text(ld, p, "Description")->y, name->y));
		assert_true(lines > 0);
		for (size_t i = 0; i < pg->n; i++) {
			const struct litem *it = &pg->items[i];
			int r;

			if (it->kind == LI_LINE) {
				assert_true(it->y >= TOP - 1e-6);
				assert_true(it->y2 <= BOTTOM + 1e-6);
				assert_true(NEAR(it->w, 0.5));
				continue;
			}
			if (it->kind != LI_TEXT)
				continue;
			assert_true(it->y <= BOTTOM);
			if (strcmp(it->text, "Name") == 0)
				names++;
			else if (strcmp(it->text, "Description") != 0 &&
			    (p > 0 || strcmp(it->text, "Before the table.")))
				assert_true(it->y > name->y);
			r = row_of(it->text);
			if (r < 0)
				continue;
			assert_true(r < 200);
			/* No row split: all its text on one page. */
			if (page_of[r] < 0)
				page_of[r] = (int)p;
			assert_int_equal(page_of[r], (int)p);
		}
		assert_int_equal(names, 1);
	}
	for (int r = 0; r < 200; r++) {
		assert_true(page_of[r] >= 0);
		if (r > 0)
			assert_true(page_of[r] >= page_of[r - 1]);
	}
	assert_non_null(find_text(ld, ld->npages - 1, "After the table."));
	ldoc_free(ld);
	ddoc_free(d);
}

/*
 * A word wider than its column widens the column, taking room from the
 * others: a table breaks lines at spaces only, so a finding code in a
 * narrow column is never cut in two.  The table keeps its width.
 */
static void
test_table_words_whole(void **state)
{
	static const char *const code = "documentation-not-requested";
	struct ddoc *d = ddoc_new();
	struct dblock *b = ddoc_add(d, DB_TABLE);
	struct drow *row;
	struct ldoc *ld;
	const struct litem *it, *sev, *msg;

	(void)state;
	b->table.ncols = 3;
	b->table.widths = xcalloc(3, sizeof(double));
	b->table.widths[0] = 0.15;	/* 70 pt: the code needs 135 */
	b->table.widths[1] = 0.15;
	b->table.widths[2] = 0.70;
	row = dtable_add_row(&b->table, false);
	dinline_add(&row->cells[0], DRUN_TEXT, 0, code);
	dinline_add(&row->cells[1], DRUN_TEXT, 0, "warning");
	dinline_add(&row->cells[2], DRUN_TEXT, 0, "No request for the "
	    "documentation of the notice is recorded.");
	ld = layout_doc(d, &fake);
	check_ldoc(ld, LEFT, RIGHT);
	it = find_text(ld, 0, code);
	sev = find_text(ld, 0, "warning");
	msg = NULL;
	for (size_t i = 0; i < ld->pages[0].n; i++)
		if (ld->pages[0].items[i].kind == LI_TEXT &&
		    strncmp(ld->pages[0].items[i].text, "No ", 3) == 0)
			msg = &ld->pages[0].items[i];
	assert_non_null(it);
	assert_non_null(sev);
	assert_non_null(msg);
	/* In column order, on one baseline, the last column inside. */
	assert_true(it->x2 < sev->x);
	assert_true(sev->x2 < msg->x);
	assert_true(NEAR(it->y, sev->y));
	assert_true(NEAR(it->y, msg->y));
	ldoc_free(ld);
	ddoc_free(d);
}

/* A single row taller than a page is cut, not lost or looped on. */
static void
test_table_tall_row(void **state)
{
	struct ddoc *d = ddoc_new();
	struct dblock *b = ddoc_add(d, DB_TABLE);
	struct drow *row;
	struct ldoc *ld;
	size_t words = 0, unbreakable = 0;

	(void)state;
	b->table.ncols = 3;
	b->table.widths = xcalloc(3, sizeof(double));
	b->table.widths[0] = 0.05;	/* 23.4 pt: widened to the word */
	b->table.widths[1] = 0.15;
	b->table.widths[2] = 0.8;
	row = dtable_add_row(&b->table, false);
	dinline_add(&row->cells[0], DRUN_TEXT, 0, "unbreakable");
	for (int i = 0; i < 400; i++)
		dinline_add(&row->cells[1], DRUN_TEXT, 0, "word ");
	dinline_add(&row->cells[2], DRUN_TEXT, 0, "short");
	ld = layout_doc(d, &fake);
	check_ldoc(ld, LEFT, RIGHT);
	assert_true(ld->npages >= 3);
	for (size_t p = 0; p < ld->npages; p++)
		for (size_t i = 0; i < ld->pages[p].n; i++) {
			const struct litem *it = &ld->pages[p].items[i];

			assert_true(it->y <= BOTTOM + 1e-6);
			for (const char *s = it->kind == LI_TEXT ? it->text :
			    ""; (s = strstr(s, "word")) != NULL; s += 4)
				words++;
			/* The narrow column grew to hold its word. */
			if (it->kind == LI_TEXT && it->x < 95.4)
				unbreakable += strcmp(it->text,
				    "unbreakable") == 0;
		}
	assert_int_equal(words, 400);
	assert_int_equal(unbreakable, 1);
	ldoc_free(ld);
	ddoc_free(d);
}

/* ---- running heads and counters -------------------------------------- */

static void
test_footer_page_count(void **state)
{
	struct ddoc *d = ddoc_new();
	struct ldoc *ld;
	char want[32];

	(void)state;
	dinline_add(&d->header[0], DRUN_TEXT, 0, "Confidential");
	dinline_add(&d->header[2], DRUN_TEXT, 0, "Doc");
	dinline_add(&d->footer[1], DRUN_TEXT, 0, "Page ");
	dinline_add(&d->footer[1], DRUN_PAGE, 0, NULL);
	dinline_add(&d->footer[1], DRUN_TEXT, 0, " of ");
	dinline_add(&d->footer[1], DRUN_PAGES, 0, NULL);
	dinline_add(&d->footer[2], DRUN_TEXT, 0, "Total ");
	dinline_add(&d->footer[2], DRUN_PAGES, 0, NULL);
	add_para(d, "one", DALIGN_LEFT);
	ddoc_add(d, DB_PAGEBREAK);
	add_para(d, "two", DALIGN_LEFT);
	ddoc_add(d, DB_PAGEBREAK);
	add_para(d, "three", DALIGN_LEFT);
	ddoc_add(d, DB_PAGEBREAK);	/* no empty trailing page */
	ld = layout_doc(d, &fake);
	check_ldoc(ld, LEFT, RIGHT);
	assert_int_equal(ld->npages, 3);
	for (size_t p = 0; p < 3; p++) {
		const struct litem *it;

		snprintf(want, sizeof(want), "Page %zu of 3", p + 1);
		it = find_text(ld, p, want);
		assert_non_null(it);
		assert_true(NEAR(it->y, 792.0 - 72.0 + 28.0));
		assert_true(NEAR(it->size, 8.0));
		assert_true(NEAR(it->x, 72.0 + (468.0 - 44.0) / 2.0));
		it = find_text(ld, p, "Confidential");
		assert_non_null(it);
		assert_true(NEAR(it->x, 72.0) && NEAR(it->y, 48.0));
		it = find_text(ld, p, "Doc");
		assert_non_null(it);
		assert_true(NEAR(it->x, 540.0 - 12.0) && NEAR(it->y, 48.0));
		/* Set once for all pages, drawn on each, in slot order. */
		assert_non_null(find_text(ld, p, "Total 3"));
		assert_true(find_text(ld, p, "Confidential") <
		    find_text(ld, p, want));
		assert_true(find_text(ld, p, want) < find_text(ld, p, "Doc"));
		assert_true(find_text(ld, p, "Doc") <
		    find_text(ld, p, "Total 3"));
	}
	assert_non_null(find_text(ld, 1, "two"));
	assert_null(find_text(ld, 1, "Page 2 of 2"));
	ldoc_free(ld);
	ddoc_free(d);
}

/* A bookmark after a page break points at the page the next block
 * lands on; one at the start at page 1; one inside a @keep that moves
 * to the next page moves with it, once. */
static void
test_bookmarks(void **state)
{
	struct ddoc *d = ddoc_new();
	struct dblock *k;
	struct ldoc *ld;

	(void)state;
	dinline_add(&ddoc_add(d, DB_BOOKMARK)->text, DRUN_TEXT, 0, "Start");
	add_para(d, "one", DALIGN_LEFT);
	ddoc_add(d, DB_PAGEBREAK);
	dinline_add(&ddoc_add(d, DB_BOOKMARK)->text, DRUN_TEXT, 0, "Part 2");
	add_para(d, "two", DALIGN_LEFT);
	add_lines(d, 50);
	k = ddoc_add(d, DB_KEEP);
	dinline_add(&dblock_add_kid(k, DB_BOOKMARK)->text, DRUN_TEXT, 0,
	    "Kept");
	for (int i = 0; i < 6; i++)
		dinline_add(&dblock_add_kid(k, DB_PARA)->text, DRUN_TEXT, 0,
		    "keep me together");
	ld = layout_doc(d, &fake);
	assert_int_equal(ld->nmarks, 3);
	assert_string_equal(ld->marks[0].title, "Start");
	assert_int_equal(ld->marks[0].page, 0);
	assert_string_equal(ld->marks[1].title, "Part 2");
	assert_int_equal(ld->marks[1].page, 1);
	assert_non_null(find_text(ld, 1, "two"));
	assert_string_equal(ld->marks[2].title, "Kept");
	assert_non_null(find_text(ld, ld->marks[2].page, "keep me together"));
	assert_true(ld->marks[2].page >= 2);
	ldoc_free(ld);
	ddoc_free(d);
}

/* Counters in the body are settled by laying the body out again. */
static void
test_body_counters(void **state)
{
	struct ddoc *d = ddoc_new();
	struct dblock *b;
	struct ldoc *ld;

	(void)state;
	b = add_para(d, "Total pages: ", DALIGN_LEFT);
	dinline_add(&b->text, DRUN_PAGES, 0, NULL);
	for (int i = 0; i < 11; i++) {
		ddoc_add(d, DB_PAGEBREAK);
		b = add_para(d, "This is page ", DALIGN_LEFT);
		dinline_add(&b->text, DRUN_PAGE, DRUN_BOLD, NULL);
	}
	ld = layout_doc(d, &fake);
	check_ldoc(ld, LEFT, RIGHT);
	assert_int_equal(ld->npages, 12);
	assert_non_null(find_text(ld, 0, "Total pages: 12"));
	assert_non_null(find_text(ld, 4, "5"));
	assert_non_null(find_text(ld, 11, "12"));
	ldoc_free(ld);
	ddoc_free(d);
}

static void
test_empty_and_breaks(void **state)
{
	struct ddoc *d = ddoc_new();
	struct ldoc *ld;

	(void)state;
	ld = layout_doc(d, &fake);
	assert_int_equal(ld->npages, 1);
	assert_int_equal(ld->pages[0].n, 0);
	assert_non_null(ld->title);
	ldoc_free(ld);
	ld = layout_doc(NULL, &fake);
	assert_int_equal(ld->npages, 1);
	ldoc_free(ld);
	assert_null(layout_doc(d, NULL));
	ldoc_free(NULL);

	/* Leading, doubled and trailing breaks make no empty page. */
	ddoc_add(d, DB_PAGEBREAK);
	add_para(d, "a", DALIGN_LEFT);
	ddoc_add(d, DB_PAGEBREAK);
	ddoc_add(d, DB_PAGEBREAK);
	add_para(d, "b", DALIGN_LEFT);
	ddoc_add(d, DB_PAGEBREAK);
	add_para(d, "", DALIGN_LEFT);
	ld = layout_doc(d, &fake);
	assert_int_equal(ld->npages, 2);
	assert_non_null(find_text(ld, 0, "a"));
	assert_non_null(find_text(ld, 1, "b"));
	ldoc_free(ld);
	ddoc_free(d);
}

/* ---- boxes and form blocks ------------------------------------------- */

static void
test_box(void **state)
{
	struct ddoc *d = ddoc_new();
	struct dblock *box = ddoc_add(d, DB_BOX), *kid;
	struct ldoc *ld;
	const struct litem *it;

	(void)state;
	box->box[0] = 300.0;
	box->box[1] = 400.0;
	box->box[2] = 200.0;
	box->box[3] = 100.0;
	kid = dblock_add_kid(box, DB_PARA);
	dinline_add(&kid->text, DRUN_TEXT, 0, "hello");
	add_para(d, "flow", DALIGN_LEFT);
	ld = layout_doc(d, &fake);
	check_ldoc(ld, LEFT, RIGHT);
	assert_int_equal(ld->npages, 1);
	it = find_text(ld, 0, "hello");
	assert_non_null(it);
	assert_true(NEAR(it->x, 300.0) && NEAR(it->y, 400.0 + BASE));
	/* The box does not move the flow. */
	it = find_text(ld, 0, "flow");
	assert_true(NEAR(it->x, LEFT) && NEAR(it->y, TOP + BASE));
	ldoc_free(ld);
	assert_true(layout_box_fits(d, box, &fake));

	/* Too low: drawn all the same, and said not to fit. */
	box->box[3] = 5.0;
	assert_false(layout_box_fits(d, box, &fake));
	ld = layout_doc(d, &fake);
	assert_non_null(find_text(ld, 0, "hello"));
	ldoc_free(ld);

	/* Narrow: a long word is cut to the box's width. */
	box->box[2] = 50.0;
	box->box[3] = 100.0;
	kid = dblock_add_kid(box, DB_PARA);
	dinline_add(&kid->text, DRUN_TEXT, 0, "xxxxxxxxxxxxxxxxxxxxxxx");
	assert_true(layout_box_fits(d, box, &fake));
	ld = layout_doc(d, &fake);
	check_ldoc(ld, LEFT, RIGHT);
	for (size_t i = 0; i < ld->pages[0].n; i++) {
		it = &ld->pages[0].items[i];
		if (it->text[0] == 'x')
			assert_true(it->x + text_w(it) <= 350.0 + 1e-6);
	}
	ldoc_free(ld);
	box->box[2] = 0.0;
	assert_false(layout_box_fits(d, box, &fake));
	ddoc_free(d);
}

static void
checkbox_case(bool checked)
{
	struct ddoc *d = ddoc_new();
	struct dblock *b = ddoc_add(d, DB_CHECKBOX);
	struct ldoc *ld;
	const struct litem *r = NULL;

	b->checked = checked;
	dinline_add(&b->text, DRUN_TEXT, 0, "I agree");
	ld = layout_doc(d, &fake);
	check_ldoc(ld, LEFT, RIGHT);
	assert_int_equal(count_kind(&ld->pages[0], LI_RECT), 1);
	assert_int_equal(count_kind(&ld->pages[0], LI_CHECK), checked);
	for (size_t i = 0; i < ld->pages[0].n; i++)
		if (ld->pages[0].items[i].kind == LI_RECT)
			r = &ld->pages[0].items[i];
	assert_true(NEAR(r->x, LEFT) && NEAR(r->x2 - r->x, 9.0));
	assert_true(NEAR(r->y2 - r->y, 9.0));
	assert_true(r->y2 > TOP + BASE && r->y < TOP + BASE);
	assert_true(NEAR(find_text(ld, 0, "I agree")->x, LEFT + 15.0));
	ldoc_free(ld);
	ddoc_free(d);
}

static void
test_checkbox(void **state)
{
	(void)state;
	checkbox_case(true);
	checkbox_case(false);
}

static void
test_item(void **state)
{
	struct ddoc *d = ddoc_new();
	struct dblock *b = ddoc_add(d, DB_ITEM);
	struct ldoc *ld;
	const struct litem *it;

	(void)state;
	strcpy(b->marker, "\xe2\x80\xa2");
	for (int i = 0; i < 9; i++)
		dinline_add(&b->text, DRUN_TEXT, 0, "abcdefghi ");
	dinline_add(&b->text, DRUN_TEXT, 0, "tail");
	ld = layout_doc(d, &fake);
	check_ldoc(ld, LEFT, RIGHT);
	it = find_text(ld, 0, "\xe2\x80\xa2");
	assert_non_null(it);
	assert_true(NEAR(it->x, LEFT) && NEAR(it->y, TOP + BASE));
	/* Nine 45 pt words (445 pt) and "tail" overflow 450 pt: two lines,
	   both indented. */
	it = find_text(ld, 0, "tail");
	assert_non_null(it);
	assert_true(NEAR(it->x, LEFT + 18.0));
	assert_true(NEAR(it->y, TOP + LH + BASE));
	/* The marker comes first (the order it is read in), then the
	   first line, indented. */
	assert_string_equal(ld->pages[0].items[0].text, "\xe2\x80\xa2");
	assert_true(NEAR(ld->pages[0].items[1].x, LEFT + 18.0));
	ldoc_free(ld);
	ddoc_free(d);
}

static void
test_field(void **state)
{
	struct ddoc *d = ddoc_new();
	struct dblock *b;
	struct ldoc *ld;
	const struct litem *it;
	char label[80];

	(void)state;
	b = ddoc_add(d, DB_FIELD);
	dinline_add(&b->text, DRUN_TEXT, 0, "Name:");
	b = ddoc_add(d, DB_FIELD);
	dinline_add(&b->text, DRUN_TEXT, 0, "Filed:");
	dinline_add(&b->value, DRUN_TEXT, 0, "John Smith");
	ld = layout_doc(d, &fake);
	check_ldoc(ld, LEFT, RIGHT);
	/* Empty: a blank from after the label to the margin. */
	assert_int_equal(count_kind(&ld->pages[0], LI_LINE), 1);
	it = &ld->pages[0].items[1];
	assert_int_equal(it->kind, LI_LINE);
	assert_true(NEAR(it->x, LEFT + 30.0 + 4.0) && NEAR(it->x2, RIGHT));
	assert_true(NEAR(it->y, TOP + BASE + 2.0) && NEAR(it->y2, it->y));
	it = find_text(ld, 0, "Name:");
	assert_int_equal(it->style, DRUN_BOLD);
	/* Filled: bold label, plain value, no blank. */
	it = find_text(ld, 0, "Filed:");
	assert_int_equal(it->style, DRUN_BOLD);
	it = find_text(ld, 0, "John Smith");
	assert_non_null(it);
	assert_int_equal(it->style, 0);
	assert_true(NEAR(it->x, LEFT + 36.0 + 5.0));
	ldoc_free(ld);
	ddoc_free(d);

	/* A label leaving under 72 pt: the blank goes on its own line. */
	d = ddoc_new();
	b = ddoc_add(d, DB_FIELD);
	memset(label, 'L', 70);
	label[70] = '\0';
	dinline_add(&b->text, DRUN_TEXT, 0, label);
	ld = layout_doc(d, &fake);
	check_ldoc(ld, LEFT, RIGHT);
	it = &ld->pages[0].items[1];
	assert_int_equal(it->kind, LI_LINE);
	assert_true(NEAR(it->x, LEFT) && NEAR(it->x2, RIGHT));
	assert_true(NEAR(it->y, TOP + LH + BASE + 2.0));
	ldoc_free(ld);
	ddoc_free(d);
}

static void
test_signature_and_rule(void **state)
{
	struct ddoc *d = ddoc_new();
	struct dblock *b = ddoc_add(d, DB_SIGNATURE);
	struct ldoc *ld;
	const struct litem *it;
	size_t nlines = 0;

	(void)state;
	dinline_add(&b->text, DRUN_TEXT, 0, "Signature of officer");
	dinline_add(&b->value, DRUN_TEXT, 0, "Date");
	ddoc_add(d, DB_RULE);
	ld = layout_doc(d, &fake);
	check_ldoc(ld, LEFT, RIGHT);
	for (size_t i = 0; i < ld->pages[0].n; i++) {
		it = &ld->pages[0].items[i];
		if (it->kind != LI_LINE)
			continue;
		switch (nlines++) {
		case 0:
			assert_true(NEAR(it->x, LEFT) && NEAR(it->x2, 352.8));
			assert_true(NEAR(it->y, TOP + 30.0));
			break;
		case 1:
			assert_true(NEAR(it->x, 376.2) && NEAR(it->x2, RIGHT));
			assert_true(NEAR(it->y, TOP + 30.0));
			break;
		default:	/* the rule, below the labels */
			assert_true(NEAR(it->x, LEFT) && NEAR(it->x2, RIGHT));
			assert_true(it->y > TOP + 30.0 + 2.0 + LH);
			break;
		}
	}
	assert_int_equal(nlines, 3);
	it = find_text(ld, 0, "Signature of officer");
	assert_true(NEAR(it->x, LEFT) && NEAR(it->y, TOP + 32.0 + BASE));
	it = find_text(ld, 0, "Date");
	assert_true(NEAR(it->x, 376.2) && NEAR(it->y, TOP + 32.0 + BASE));
	ldoc_free(ld);
	ddoc_free(d);
}

/* ---- threads --------------------------------------------------------- */

struct job {
	const struct ddoc *d;
	size_t	 npages;
	size_t	 nitems;
	double	 sum;
};

static void *
run_job(void *arg)
{
	struct job *j = arg;
	struct ldoc *ld = layout_doc(j->d, &fake);

	j->npages = ld->npages;
	for (size_t p = 0; p < ld->npages; p++)
		for (size_t i = 0; i < ld->pages[p].n; i++) {
			j->nitems++;
			j->sum += ld->pages[p].items[i].x +
			    ld->pages[p].items[i].y * (double)(p + 1);
		}
	ldoc_free(ld);
	return NULL;
}

static void
test_threads(void **state)
{
	struct ddoc *d = table_doc(120);
	struct job one, jobs[4];
	pthread_t tid[4];

	(void)state;
	dinline_add(&d->footer[2], DRUN_PAGE, 0, NULL);
	memset(&one, 0, sizeof(one));
	one.d = d;
	run_job(&one);
	for (int i = 0; i < 4; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		jobs[i].d = d;
		assert_int_equal(pthread_create(&tid[i], NULL, run_job,
		    &jobs[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(tid[i], NULL), 0);
		assert_int_equal(jobs[i].npages, one.npages);
		assert_int_equal(jobs[i].nitems, one.nitems);
		assert_true(jobs[i].sum == one.sum);
	}
	ddoc_free(d);
}

/* A kept group that would run over the page bottom moves whole to the
 * next page; the same group with room to spare stays put. */
static void
test_keep_together(void **state)
{
	struct ddoc *d = ddoc_new();
	struct dblock *keep;
	struct ldoc *ld;
	size_t first_page = 0;

	(void)state;
	/* Fill most of page 1, leaving room for about two lines. */
	add_space(d, 792 - 144 - 3 * 12.5);
	keep = ddoc_add(d, DB_KEEP);
	for (int i = 0; i < 3; i++) {
		struct dblock *b = dblock_add_kid(keep, DB_PARA);

		dinline_add(&b->text, DRUN_TEXT, 0, i == 0 ? "closing" :
		    i == 1 ? "signature" : "enclosures");
	}
	ld = layout_doc(d, &fake);
	assert_int_equal(ld->npages, 2);
	for (size_t p = 0; p < ld->npages; p++)
		if (find_text(ld, p, "closing") != NULL)
			first_page = p;
	assert_int_equal(first_page, 1);
	assert_non_null(find_text(ld, 1, "signature"));
	assert_non_null(find_text(ld, 1, "enclosures"));
	assert_null(find_text(ld, 0, "enclosures"));
	ldoc_free(ld);
	/* Without the space the group stays on page 1. */
	d->blocks[0].space_pt = 10;
	ld = layout_doc(d, &fake);
	assert_int_equal(ld->npages, 1);
	assert_non_null(find_text(ld, 0, "enclosures"));
	ldoc_free(ld);
	ddoc_free(d);
}

/* ---- measuring once ---------------------------------------------------- */

/*
 * A measure that counts its calls and gives each character its own
 * width (by its code), so that a width kept for the wrong text, style
 * or size would show as an item whose end is not where its text ends.
 */
static double
counted_width(void *ctx, unsigned style, double size, const char *s)
{
	double w = 0.0;

	++*(size_t *)ctx;
	for (; *s != '\0'; s++)
		w += (double)((unsigned char)*s % 7 + 2) / 10.0 * size;
	return (style & DRUN_BOLD) ? w * 1.25 : w;
}

static void
check_counted(const struct ldoc *ld)
{
	for (size_t p = 0; p < ld->npages; p++)
		for (size_t i = 0; i < ld->pages[p].n; i++) {
			const struct litem *it = &ld->pages[p].items[i];
			size_t calls = 0;

			if (it->kind != LI_TEXT)
				continue;
			assert_true(NEAR(it->x2 - it->x, counted_width(&calls,
			    it->style, it->size, it->text)));
		}
}

/*
 * A word, a space, is measured once per style and size however often it
 * comes back; texts that share a prefix, widths of other styles and
 * sizes, words too long to keep and more words than the first table
 * holds all still measure as they should.
 */
static void
test_measured_once(void **state)
{
	struct ddoc *d = ddoc_new();
	struct dblock *b;
	struct measure m = { NULL, counted_width, 0.8, 0.2, 0 };
	size_t calls = 0, words = 0;
	struct ldoc *ld;
	char w[16];

	(void)state;
	m.ctx = &calls;
	dinline_add(&ddoc_add(d, DB_HEADING)->text, DRUN_TEXT, 0,
	    "alpha beta");
	b = ddoc_add(d, DB_PARA);
	for (int i = 0; i < 300; i++) {
		dinline_add(&b->text, DRUN_TEXT, i % 3 == 0 ? DRUN_BOLD : 0,
		    i % 2 ? "alpha alp al " : "beta bet be ");
		words += 3;
	}
	ld = layout_doc(d, &m);
	check_counted(ld);
	/* 6 words and a space, each in two styles, and the heading's. */
	assert_true(calls <= 2 * 7 + 3);
	assert_true(calls < words / 10);
	ldoc_free(ld);
	ddoc_free(d);

	d = ddoc_new();
	b = ddoc_add(d, DB_PARA);
	for (int i = 0; i < 2000; i++) {
		snprintf(w, sizeof(w), "w%d ", i);
		dinline_add(&b->text, DRUN_TEXT, 0, w);
	}
	dinline_add(&b->text, DRUN_TEXT, 0, "abcdefghijklmnopqrstuvwxyz"
	    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz end w1");
	calls = 0;
	ld = layout_doc(d, &m);
	check_counted(ld);
	assert_true(calls >= 2000);
	ldoc_free(ld);
	ddoc_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_break_exact),
		cmocka_unit_test(test_break_min_raggedness),
		cmocka_unit_test(test_break_long_word),
		cmocka_unit_test(test_mixed_styles),
		cmocka_unit_test(test_para_direction),
		cmocka_unit_test(test_justify),
		cmocka_unit_test(test_center_right),
		cmocka_unit_test(test_no_orphan),
		cmocka_unit_test(test_no_widow),
		cmocka_unit_test(test_long_paragraph),
		cmocka_unit_test(test_heading_keep),
		cmocka_unit_test(test_table_pages),
		cmocka_unit_test(test_table_words_whole),
		cmocka_unit_test(test_table_tall_row),
		cmocka_unit_test(test_footer_page_count),
		cmocka_unit_test(test_bookmarks),
		cmocka_unit_test(test_body_counters),
		cmocka_unit_test(test_empty_and_breaks),
		cmocka_unit_test(test_box),
		cmocka_unit_test(test_checkbox),
		cmocka_unit_test(test_item),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_field),
		cmocka_unit_test(test_break_dictionary),
		cmocka_unit_test(test_signature_and_rule),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_keep_together),
		cmocka_unit_test(test_measured_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
