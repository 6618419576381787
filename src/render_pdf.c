/*
 * render_pdf.c - libharu 2.3.0 backend (see render.h).  The only file
 * that includes <hpdf.h>.
 *
 * libharu facts this file designs around (LIBRARIES.md):
 * - errors are sticky and some are set without the handler: a fresh
 *   HPDF_Doc per packet, every status checked, HPDF_GetError() checked
 *   before saving, and any error fails the packet;
 * - HPDF_SaveToFile can leave half a file and report success: we save
 *   to libharu's memory stream and the caller writes the bytes;
 * - when a TrueType font is embedded, only glyphs marked as used are
 *   kept, and composite glyphs are followed one level deep: before
 *   saving we mark every component of every used glyph, recursively,
 *   from our own reading of the font (font.c);
 * - no PDF/A (its /ID comes from the clock): dates come from the caller
 *   and the /ID is an MD5 of the content, so output is reproducible;
 * - it parses and compresses the whole font for every document: each
 *   face is first cut down by HarfBuzz to the characters this packet
 *   uses (glyph ids kept, so our metrics and composite lists still
 *   apply), and libharu, which loads fonts only from files, reads the
 *   cut font from a memfd.  A packet's bytes depend only on itself.
 */
#define _GNU_SOURCE	/* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <harfbuzz/hb-subset.h>
#include <hpdf.h>
#include <hpdf_encrypt.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "rnpack/buf.h"
#include "rnpack/date.h"
#include "rnpack/ddoc.h"
#include "rnpack/font.h"
#include "rnpack/render.h"
#include "rnpack/utext.h"
#include "rnpack/xalloc.h"

bool
render_fonts_load(struct render_fonts *f, const char *const paths[4],
    char **err)
{
	memset(f, 0, sizeof(*f));
	for (int i = 0; i < 4; i++) {
		hb_blob_t *blob;

		if ((f->face[i] = font_load(paths[i], err)) == NULL) {
			render_fonts_free(f);
			return false;
		}
		blob = hb_blob_create_from_file_or_fail(paths[i]);
		if (blob == NULL) {
			*err = xasprintf("%s: HarfBuzz cannot read the font",
			    paths[i]);
			render_fonts_free(f);
			return false;
		}
		f->hb_face[i] = hb_face_create(blob, 0);
		hb_face_make_immutable(f->hb_face[i]);
		hb_blob_destroy(blob);
	}
	return true;
}

void
render_fonts_free(struct render_fonts *f)
{
	for (int i = 0; i < 4; i++) {
		font_free((struct font *)f->face[i]);
		f->face[i] = NULL;
		if (f->hb_face[i] != NULL)
			hb_face_destroy(f->hb_face[i]);
		f->hb_face[i] = NULL;
	}
}

static double
measure_width(void *ctx, unsigned style, double size, const char *text)
{
	const struct render_fonts *f = ctx;

	return font_text_width(f->face[style & 3], text, size);
}

struct measure
render_measure(const struct render_fonts *f)
{
	struct measure m;

	m.ctx = (void *)f;
	m.width = measure_width;
	m.ascent = font_ascent(f->face[0]) / 1000.0;
	m.descent = -font_descent(f->face[0]) / 1000.0;
	return m;
}

/* ---- visible text ------------------------------------------------- */

static bool
drawable(const struct font *face, UChar32 c)
{
	if (c == ' ')
		return true;
	if (c > 0xFFFF || u_hasBinaryProperty(c, UCHAR_BIDI_CONTROL))
		return false;
	switch (u_charDirection(c)) {
	case U_RIGHT_TO_LEFT:
	case U_RIGHT_TO_LEFT_ARABIC:
		return false;
	default:
		break;
	}
	return font_has(face, (uint32_t)c);
}

static void
visible_inline(struct dinline *in, const struct render_fonts *f)
{
	for (size_t i = 0; i < in->n; i++) {
		struct drun *r = &in->v[i];
		const struct font *face = f->face[r->style & 3];
		struct buf b = BUF_INIT;
		int32_t len, k = 0;
		bool changed = false;

		if (r->kind != DRUN_TEXT)
			continue;
		len = (int32_t)strlen(r->text);
		while (k < len) {
			int32_t at = k;
			UChar32 c;

			U8_NEXT(r->text, k, len, c);
			if (c == '\t' || c == '\n' || c == '\r')
				c = ' ', changed = true;
			if (c >= 0 && drawable(face, c)) {
				if (c == ' ' && r->text[at] != ' ')
					buf_addc(&b, ' ');
				else
					buf_add(&b, r->text + at,
					    (size_t)(k - at));
				continue;
			}
			buf_addf(&b, "U+%04X", c < 0 ? 0xFFFD : (unsigned)c);
			changed = true;
		}
		if (changed) {
			free(r->text);
			r->text = buf_detach(&b);
		} else
			buf_free(&b);
	}
}

static void
visible_blocks(struct dblock *v, size_t n, const struct render_fonts *f)
{
	for (size_t i = 0; i < n; i++) {
		struct dblock *b = &v[i];

		visible_inline(&b->text, f);
		visible_inline(&b->value, f);
		for (size_t r = 0; r < b->table.nrows; r++)
			for (size_t c = 0; c < b->table.ncols; c++)
				visible_inline(&b->table.rows[r].cells[c], f);
		visible_blocks(b->kids, b->nkids, f);
	}
}

void
render_make_visible(struct ddoc *d, const struct render_fonts *f)
{
	visible_blocks(d->blocks, d->nblocks, f);
	for (int i = 0; i < 3; i++) {
		visible_inline(&d->header[i], f);
		visible_inline(&d->footer[i], f);
	}
}

/* ---- drawing ------------------------------------------------------ */

/* The first libharu error of one packet. */
struct hpdf_err {
	HPDF_STATUS	error;
	HPDF_STATUS	detail;
};

static void
on_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
	struct hpdf_err *e = user;

	if (e->error == 0) {
		e->error = error;
		e->detail = detail;
	}
}

struct pdf {
	HPDF_Doc			 doc;
	struct hpdf_err			 err;
	const struct render_fonts	*fonts;
	HPDF_Font			 font[4];	/* loaded when used */
	const char			*font_name[4];
	HPDF_Encoder			 utf8;
	HPDF_MD5_CTX			 md5;		/* content, for /ID */
	hb_set_t			*used[4];	/* code points per face */
	int				 memfd[4];	/* cut fonts, -1: none */
};

/*
 * libharu 2.3.0 gives a UTF-8 font, as its /ToUnicode, a copy of its
 * encoding CMap (begincidrange), which text extractors reject.  With
 * that encoder the character codes are the Unicode code points, so the
 * right /ToUnicode is the identity: 256 bfranges of 256 codes each
 * (a bfrange may only step through its last byte).
 */
static bool
fix_to_unicode(HPDF_Font font)
{
	HPDF_Dict cmap = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
	HPDF_Stream st;
	struct buf b = BUF_INIT;
	bool ok;

	if (cmap == NULL)
		return false;
	buf_adds(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\n"
	    "begincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
	    "/Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n"
	    "/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\n"
	    "endcodespacerange\n");
	for (unsigned hi = 0; hi < 256; hi++) {
		if (hi % 100 == 0)
			buf_addf(&b, "%u beginbfrange\n", hi < 200 ? 100 : 56);
		buf_addf(&b, "<%02X00> <%02XFF> <%02X00>\n", hi, hi, hi);
		if (hi % 100 == 99 || hi == 255)
			buf_adds(&b, "endbfrange\n");
	}
	buf_adds(&b, "endcmap\nCMapName currentdict /CMap defineresource "
	    "pop\nend\nend\n");
	HPDF_Dict_RemoveElement(cmap, "Type");
	HPDF_Dict_RemoveElement(cmap, "CMapName");
	HPDF_Dict_RemoveElement(cmap, "CIDSystemInfo");
	HPDF_Dict_RemoveElement(cmap, "WMode");
	st = HPDF_MemStream_New(cmap->mmgr, (HPDF_UINT)b.len);
	ok = st != NULL && HPDF_Stream_Write(st, (const HPDF_BYTE *)b.ptr,
	    (HPDF_UINT)b.len) == HPDF_OK;
	if (ok) {
		HPDF_Stream_Free(cmap->stream);
		cmap->stream = st;
	} else if (st != NULL)
		HPDF_Stream_Free(st);
	buf_free(&b);
	return ok;
}

/*
 * Cut face style down to the code points the packet uses, into a memfd;
 * returns its /proc path for libharu, or NULL.
 */
static char *
cut_font(struct pdf *p, unsigned style)
{
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	hb_face_t *sub = NULL;
	hb_blob_t *blob = NULL;
	const char *data;
	unsigned len = 0;
	char *path = NULL;
	int fd = -1;

	if (in == NULL)
		return NULL;
	hb_set_union(hb_subset_input_unicode_set(in), p->used[style]);
	/* Same glyph ids as the full font: our widths and composite lists
	 * stay valid.  Hinting is useless in a PDF meant for print. */
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_RETAIN_GIDS |
	    HB_SUBSET_FLAGS_NO_HINTING);
	sub = hb_subset_or_fail(p->fonts->hb_face[style], in);
	if (sub != NULL)
		blob = hb_face_reference_blob(sub);
	data = blob ? hb_blob_get_data(blob, &len) : NULL;
	if (data != NULL && len > 0 &&
	    (fd = memfd_create("rnpack-font", MFD_CLOEXEC)) >= 0) {
		size_t off = 0;

		while (off < len) {
			ssize_t n = write(fd, data + off, len - off);

			if (n <= 0)
				break;
			off += (size_t)n;
		}
		if (off == len) {
			p->memfd[style] = fd;
			path = xasprintf("/proc/self/fd/%d", fd);
		} else
			close(fd);
	}
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
	hb_subset_input_destroy(in);
	return path;
}

/*
 * libharu tags every subset HPDFAA, HPDFAB... in load order, so the same
 * tag names different cuts in different packets, and a print file that
 * merges packets would hold several different fonts under one name
 * (ISO 32000-1, 9.6.4 wants distinct tags).  The tag is taken from the
 * characters of the cut instead: six letters of an FNV-1a hash.
 */
static void
set_subset_tag(struct pdf *p, unsigned style)
{
	HPDF_FontDef def = HPDF_GetFontDef(p->doc, p->font_name[style]);
	hb_codepoint_t cp = HB_SET_VALUE_INVALID;
	uint64_t h = 1469598103934665603ULL;
	char tag[7];

	if (def == NULL)
		return;
	h = (h ^ style) * 1099511628211ULL;
	while (hb_set_next(p->used[style], &cp))
		h = (h ^ cp) * 1099511628211ULL;
	for (int i = 0; i < 6; i++, h /= 26)
		tag[i] = (char)('A' + h % 26);
	tag[6] = '\0';
	HPDF_TTFontDef_SetTagName(def, tag);
}

static HPDF_Font
font_for(struct pdf *p, unsigned style)
{
	style &= 3;
	if (p->font[style] == NULL) {
		char *cut = cut_font(p, style);

		if (cut == NULL)
			return NULL;
		p->font_name[style] = HPDF_LoadTTFontFromFile(p->doc, cut,
		    HPDF_TRUE);
		free(cut);
		if (p->font_name[style] != NULL)
			set_subset_tag(p, style);
		if (p->font_name[style] != NULL)
			p->font[style] = HPDF_GetFont(p->doc,
			    p->font_name[style], "UTF-8");
		if (p->font[style] != NULL && !fix_to_unicode(p->font[style]))
			p->font[style] = NULL;
	}
	return p->font[style];
}

static void
hash(struct pdf *p, const void *data, size_t n)
{
	HPDF_MD5Update(&p->md5, data, (HPDF_UINT32)n);
}

static bool
draw_item(struct pdf *p, HPDF_Page page, const struct litem *it)
{
	double top = LAYOUT_PAGE_H;
	HPDF_STATUS s = HPDF_OK;
	HPDF_Font f;

	hash(p, &it->kind, sizeof(it->kind));
	switch (it->kind) {
	case LI_TEXT:
		if (it->text == NULL || it->text[0] == '\0')
			return true;
		if ((f = font_for(p, it->style)) == NULL)
			return false;
		hash(p, it->text, strlen(it->text));
		s = HPDF_Page_BeginText(page);
		if (s == HPDF_OK)
			s = HPDF_Page_SetFontAndSize(page, f, (HPDF_REAL)it->size);
		if (s == HPDF_OK)
			s = HPDF_Page_TextOut(page, (HPDF_REAL)it->x,
			    (HPDF_REAL)(top - it->y), it->text);
		if (s == HPDF_OK)
			s = HPDF_Page_EndText(page);
		break;
	case LI_LINE:
		s = HPDF_Page_SetLineWidth(page, (HPDF_REAL)(it->w > 0 ? it->w :
		    0.5));
		if (s == HPDF_OK)
			s = HPDF_Page_MoveTo(page, (HPDF_REAL)it->x,
			    (HPDF_REAL)(top - it->y));
		if (s == HPDF_OK)
			s = HPDF_Page_LineTo(page, (HPDF_REAL)it->x2,
			    (HPDF_REAL)(top - it->y2));
		if (s == HPDF_OK)
			s = HPDF_Page_Stroke(page);
		break;
	case LI_RECT:
		s = HPDF_Page_SetLineWidth(page, (HPDF_REAL)(it->w > 0 ? it->w :
		    0.75));
		if (s == HPDF_OK)
			s = HPDF_Page_Rectangle(page, (HPDF_REAL)it->x,
			    (HPDF_REAL)(top - it->y2),
			    (HPDF_REAL)(it->x2 - it->x),
			    (HPDF_REAL)(it->y2 - it->y));
		if (s == HPDF_OK)
			s = HPDF_Page_Stroke(page);
		break;
	case LI_FILL:
		s = HPDF_Page_Rectangle(page, (HPDF_REAL)it->x,
		    (HPDF_REAL)(top - it->y2), (HPDF_REAL)(it->x2 - it->x),
		    (HPDF_REAL)(it->y2 - it->y));
		if (s == HPDF_OK)
			s = HPDF_Page_Fill(page);
		break;
	case LI_CHECK: {
		/* An X across the box, inset a little. */
		double in = (it->x2 - it->x) * 0.2;

		s = HPDF_Page_SetLineWidth(page, 1.2);
		if (s == HPDF_OK)
			s = HPDF_Page_MoveTo(page, (HPDF_REAL)(it->x + in),
			    (HPDF_REAL)(top - it->y - in));
		if (s == HPDF_OK)
			s = HPDF_Page_LineTo(page, (HPDF_REAL)(it->x2 - in),
			    (HPDF_REAL)(top - it->y2 + in));
		if (s == HPDF_OK)
			s = HPDF_Page_MoveTo(page, (HPDF_REAL)(it->x + in),
			    (HPDF_REAL)(top - it->y2 + in));
		if (s == HPDF_OK)
			s = HPDF_Page_LineTo(page, (HPDF_REAL)(it->x2 - in),
			    (HPDF_REAL)(top - it->y - in));
		if (s == HPDF_OK)
			s = HPDF_Page_Stroke(page);
		break;
	}
	}
	return s == HPDF_OK;
}

/*
 * Mark every component of every used glyph, recursively, so libharu
 * embeds whole letters (ễ, ό, Ǘ) and not just their first layer.
 */
static bool
mark_components(struct pdf *p)
{
	for (int s = 0; s < 4; s++) {
		HPDF_FontDef def;
		HPDF_TTFontDefAttr attr;
		unsigned comps[256];

		if (p->font_name[s] == NULL)
			continue;
		if ((def = HPDF_GetFontDef(p->doc, p->font_name[s])) == NULL)
			return false;
		attr = (HPDF_TTFontDefAttr)def->attr;
		/* The cut font keeps glyph ids, up to the last one used. */
		if (attr->num_glyphs > font_num_glyphs(p->fonts->face[s]))
			return false;	/* not the font we measured */
		for (unsigned g = 0; g < attr->num_glyphs; g++) {
			size_t n;

			if (!attr->glyph_tbl.flgs[g])
				continue;
			n = font_components(p->fonts->face[s], g, comps, 256);
			for (size_t k = 0; k < n && k < 256; k++)
				if (comps[k] < attr->num_glyphs)
					attr->glyph_tbl.flgs[comps[k]] = 1;
		}
	}
	return true;
}

/* /ID [<md5> <md5>] from the content, instead of libharu's none. */
static bool
set_file_id(struct pdf *p)
{
	HPDF_BYTE digest[16];
	HPDF_Array id;

	HPDF_MD5Final(digest, &p->md5);
	if ((id = HPDF_Array_New(p->doc->mmgr)) == NULL ||
	    HPDF_Dict_Add(p->doc->trailer, "ID", id) != HPDF_OK)
		return false;
	return HPDF_Array_Add(id, HPDF_Binary_New(p->doc->mmgr, digest,
	    16)) == HPDF_OK && HPDF_Array_Add(id, HPDF_Binary_New(
	    p->doc->mmgr, digest, 16)) == HPDF_OK;
}

static void
pdf_date(HPDF_Date *d, int32_t day)
{
	int y, m, dd;

	memset(d, 0, sizeof(*d));
	date_to_ymd(day, &y, &m, &dd);
	d->year = y;
	d->month = m;
	d->day = dd;
	d->ind = 'Z';	/* UTC, midnight: no clock in the file */
}

static bool
set_info(struct pdf *p, const struct render_meta *m)
{
	HPDF_Date d;

	pdf_date(&d, m->date);
	hash(p, m->title, strlen(m->title));
	return HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, m->title) == HPDF_OK &&
	    HPDF_SetInfoAttr(p->doc, HPDF_INFO_SUBJECT, m->subject) == HPDF_OK &&
	    HPDF_SetInfoAttr(p->doc, HPDF_INFO_AUTHOR, m->author) == HPDF_OK &&
	    HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, m->creator) == HPDF_OK &&
	    HPDF_SetInfoAttr(p->doc, HPDF_INFO_KEYWORDS, m->keywords ?
	    m->keywords : "") == HPDF_OK &&
	    HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_CREATION_DATE, d) ==
	    HPDF_OK &&
	    HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_MOD_DATE, d) == HPDF_OK;
}

/* The packet's own page number, small, centred at the foot. */
static bool
stamp(struct pdf *p, HPDF_Page page, const char *fmt, size_t n, size_t total)
{
	struct litem it;
	char text[128];
	bool ok;

	memset(&it, 0, sizeof(it));
	snprintf(text, sizeof(text), fmt, n, total);
	it.kind = LI_TEXT;
	it.size = 7;
	it.text = text;
	it.x = (LAYOUT_PAGE_W - font_text_width(p->fonts->face[0], text, 7)) /
	    2;
	it.y = LAYOUT_PAGE_H - 16;
	ok = draw_item(p, page, &it);
	return ok;
}

static bool
draw_docs(struct pdf *p, const struct render_doc *docs, size_t ndocs,
    const char *stamp_fmt)
{
	HPDF_UINT page_index = 0;
	size_t total = 0;

	for (size_t d = 0; d < ndocs; d++)
		total += docs[d].doc->npages;

	for (size_t d = 0; d < ndocs; d++) {
		const struct ldoc *ld = docs[d].doc;
		/* One top-level bookmark per document. */
		HPDF_Outline ol = HPDF_CreateOutline(p->doc, NULL, ld->title,
		    p->utf8);

		if (ol == NULL || HPDF_AddPageLabel(p->doc, page_index,
		    HPDF_PAGE_NUM_STYLE_DECIMAL, 1, docs[d].label) != HPDF_OK)
			return false;
		for (size_t i = 0; i < ld->npages; i++) {
			HPDF_Page page = HPDF_AddPage(p->doc);

			if (page == NULL || HPDF_Page_SetSize(page,
			    HPDF_PAGE_SIZE_LETTER, HPDF_PAGE_PORTRAIT) !=
			    HPDF_OK)
				return false;
			if (i == 0 && HPDF_Outline_SetDestination(ol,
			    HPDF_Page_CreateDestination(page)) != HPDF_OK)
				return false;
			for (size_t k = 0; k < ld->pages[i].n; k++)
				if (!draw_item(p, page, &ld->pages[i].items[k]))
					return false;
			page_index++;
			if (stamp_fmt != NULL && !stamp(p, page, stamp_fmt,
			    page_index, total))
				return false;
		}
	}
	return true;
}

static bool
save(struct pdf *p, struct buf *out)
{
	HPDF_BYTE chunk[65536];

	if (HPDF_SaveToStream(p->doc) != HPDF_OK)
		return false;
	for (;;) {
		HPDF_UINT32 n = sizeof(chunk);
		HPDF_STATUS s = HPDF_ReadFromStream(p->doc, chunk, &n);

		buf_add(out, chunk, n);
		if (s == HPDF_STREAM_EOF)
			break;
		if (s != HPDF_OK)
			return false;
	}
	return true;
}

static void
collect_text(struct pdf *p, unsigned style, const char *text)
{
	int32_t len = (int32_t)strlen(text), i = 0;

	while (i < len) {
		UChar32 c;

		U8_NEXT(text, i, len, c);
		if (c > 0)
			hb_set_add(p->used[style & 3], (hb_codepoint_t)c);
	}
}

/* The code points each face draws, before any font is embedded. */
static void
collect(struct pdf *p, const struct render_doc *docs, size_t ndocs,
    const char *stamp_fmt)
{
	for (size_t d = 0; d < ndocs; d++)
		for (size_t i = 0; i < docs[d].doc->npages; i++) {
			const struct lpage *pg = &docs[d].doc->pages[i];

			for (size_t k = 0; k < pg->n; k++)
				if (pg->items[k].kind == LI_TEXT &&
				    pg->items[k].text != NULL)
					collect_text(p, pg->items[k].style,
					    pg->items[k].text);
		}
	if (stamp_fmt != NULL) {
		collect_text(p, 0, stamp_fmt);
		collect_text(p, 0, "0123456789");
	}
}

bool
render_pdf(const struct render_doc *docs, size_t ndocs,
    const struct render_fonts *fonts, const struct render_meta *meta,
    struct buf *out, char **err)
{
	struct pdf p;
	struct buf tmp = BUF_INIT;
	bool ok;

	memset(&p, 0, sizeof(p));
	p.fonts = fonts;
	for (int i = 0; i < 4; i++) {
		p.used[i] = hb_set_create();
		p.memfd[i] = -1;
	}
	collect(&p, docs, ndocs, meta->page_stamp);
	HPDF_MD5Init(&p.md5);
	if ((p.doc = HPDF_New(on_error, &p.err)) == NULL) {
		*err = xstrdup("the PDF library could not start");
		for (int i = 0; i < 4; i++)
			hb_set_destroy(p.used[i]);
		return false;
	}
	ok = HPDF_SetCompressionMode(p.doc, HPDF_COMP_ALL) == HPDF_OK &&
	    HPDF_UseUTFEncodings(p.doc) == HPDF_OK &&
	    HPDF_SetCurrentEncoder(p.doc, "UTF-8") == HPDF_OK &&
	    (p.utf8 = HPDF_GetEncoder(p.doc, "UTF-8")) != NULL &&
	    HPDF_SetPageMode(p.doc, HPDF_PAGE_MODE_USE_OUTLINE) == HPDF_OK &&
	    set_info(&p, meta) && draw_docs(&p, docs, ndocs, meta->page_stamp) &&
	    mark_components(&p) && set_file_id(&p) &&
	    HPDF_GetError(p.doc) == HPDF_OK && save(&p, &tmp) &&
	    HPDF_GetError(p.doc) == HPDF_OK && p.err.error == 0;
	if (ok)
		buf_add(out, tmp.ptr, tmp.len);
	else
		*err = xasprintf("the PDF library failed (error 0x%04X, detail "
		    "%u)", (unsigned)(p.err.error ? p.err.error :
		    HPDF_GetError(p.doc)), (unsigned)p.err.detail);
	buf_free(&tmp);
	HPDF_Free(p.doc);
	for (int i = 0; i < 4; i++) {
		hb_set_destroy(p.used[i]);
		if (p.memfd[i] >= 0)
			close(p.memfd[i]);
	}
	return ok;
}
