/*
 * render_pdf.c - libharu 2.3.0 backend (see render.h).  The only file
 * that includes <hpdf.h>.
 *
 * libharu facts this file designs around (measured with libharu 2.3.0 on Debian 12):
 * - errors are sticky and some are set without the handler: a fresh
 *   HPDF_Doc per packet, every status checked, HPDF_GetError() checked
 *   before saving, and any error fails the packet;
 * - HPDF_SaveToFile can leave half a file and report success: we save
 *   to a stream that appends to our buffer and the caller writes the
 *   bytes;
 * - its memory streams, object allocation and MD5 copy or clear a byte
 *   at a time: stream data, the document's memory (an arena), the
 *   structure tree's and the widths' bytes and the /ID's MD5 are ours,
 *   written exactly as libharu would write them (see save(), set_data(),
 *   arena_alloc(), write_elem(), write_widths(), md5_update());
 * - no PDF/A (its /ID comes from the clock): dates come from the caller
 *   and the /ID is an MD5 of the content, so output is reproducible;
 * - its TrueType embedding is slow and wrong in places: it re-parses
 *   the font for every document, maps all 65,536 BMP code points per
 *   face (a third of its time), writes a 128 KB CID map per face, keeps
 *   composite glyphs one level deep (ễ prints as e) and gives UTF-8
 *   fonts a /ToUnicode that text extractors reject.  So libharu keeps
 *   the document (pages, outlines, labels, info, xref, compression) and
 *   the fonts are ours: each face is cut by HarfBuzz to the characters
 *   of the packet (pdffont.c) and written as a Type 0 font through
 *   libharu's object layer, and page content is written as operators,
 *   two bytes per character.  A packet's bytes depend only on itself.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <harfbuzz/hb-subset.h>
#include <libdeflate.h>
#include <hpdf.h>
#include <hpdf_conf.h>
#include <hpdf_encrypt.h>
#include <hpdf_pages.h>
#include <hpdf_objects.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "rnpack/buf.h"
#include "rnpack/date.h"
#include "rnpack/ddoc.h"
#include "rnpack/font.h"
#include "rnpack/fontsel.h"
#include "rnpack/pdffont.h"
#include "rnpack/pdftag.h"
#include "rnpack/render.h"
#include "rnpack/shape.h"
#include "rnpack/utext.h"
#include "rnpack/xalloc.h"
#include "rnpack/xmp.h"

#include "icc_int.h"

bool
render_fonts_load(struct render_fonts *f, const char *const paths[4],
    char **err)
{
	memset(f, 0, sizeof(*f));
	f->cut_lock = xcalloc(4, sizeof(*f->cut_lock));
	for (int i = 0; i < 4; i++)
		pthread_mutex_init(&f->cut_lock[i], NULL);
	for (int i = 0; i < 4; i++) {
		hb_blob_t *blob;
		hb_face_t *face;

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
		face = hb_face_create(blob, 0);
		hb_blob_destroy(blob);
		/* Work every subset shares, done once per run: the cmap,
		 * glyph closure and table accelerators.  The result is
		 * immutable, so the worker threads may cut from it at once. */
		f->hb_face[i] = hb_subset_preprocess(face);
		hb_face_destroy(face);
		hb_face_make_immutable(f->hb_face[i]);
	}
	f->sel = fontsel_new(paths);
	for (unsigned v = 0; v < SHAPE_NKEYS; v++) {
		f->mctx[v].fonts = f;
		f->mctx[v].lang = v;
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
	if (f->cut_lock != NULL)
		for (int i = 0; i < 4; i++)
			pthread_mutex_destroy(&f->cut_lock[i]);
	free(f->cut_lock);
	f->cut_lock = NULL;
	fontsel_free(f->sel);
	f->sel = NULL;
}

/*
 * Whether face draws text by code point, as rnpack always drew Latin
 * text: every character is one DejaVu draws, of a script DejaVu draws
 * (Latin, Greek, Cyrillic, Armenian, Georgian, Common, Inherited), left
 * to right and in the BMP.  Everything else is shaped (shape.h).
 */
static bool
drawable(const struct font *face, UChar32 c)
{
	UErrorCode e = U_ZERO_ERROR;

	if (c == ' ')
		return true;
	/* ASCII is never right-to-left nor a bidi control: skip ICU. */
	if (c >= 0 && c < 0x80)
		return font_has(face, (uint32_t)c);
	if (c > 0xFFFF || u_hasBinaryProperty(c, UCHAR_BIDI_CONTROL))
		return false;
	switch (u_charDirection(c)) {
	case U_RIGHT_TO_LEFT:
	case U_RIGHT_TO_LEFT_ARABIC:
		return false;
	default:
		break;
	}
	switch (uscript_getScript(c, &e)) {
	case USCRIPT_LATIN: case USCRIPT_GREEK: case USCRIPT_CYRILLIC:
	case USCRIPT_ARMENIAN: case USCRIPT_GEORGIAN: case USCRIPT_COMMON:
	case USCRIPT_INHERITED:
		break;
	default:
		return false;
	}
	return font_has(face, (uint32_t)c);
}

static bool
simple_text(const struct font *face, const char *text)
{
	int32_t len, i = 0;
	const unsigned char *s = (const unsigned char *)text;

	while (*s != '\0' && *s < 0x80)
		s++;
	if (*s == '\0')
		return true;
	len = (int32_t)strlen(text);
	while (i < len) {
		UChar32 c;

		U8_NEXT(text, i, len, c);
		if (c < 0 || !drawable(face, c))
			return false;
	}
	return true;
}

static double
measure_width(void *ctx, unsigned style, double size, const char *text)
{
	const struct render_mctx *mc = ctx;
	const struct render_fonts *f = mc->fonts;
	struct shape_line sl;
	double w;

	if (simple_text(f->face[style & 3], text))
		return font_text_width(f->face[style & 3], text, size);
	shape_text(f->sel, text, strlen(text), style & 3, mc->lang, &sl);
	w = shape_width(&sl, size);
	shape_free(&sl);
	return w;
}

struct measure
render_measure_lang(const struct render_fonts *f, const char *lang)
{
	struct measure m;
	unsigned v = shape_lang_of(lang);

	m.ctx = (void *)&f->mctx[v];
	m.width = measure_width;
	m.ascent = font_ascent(f->face[0]) / 1000.0;
	m.descent = -font_descent(f->face[0]) / 1000.0;
	m.lang = v;
	return m;
}

struct measure
render_measure(const struct render_fonts *f)
{
	return render_measure_lang(f, NULL);
}

/* ---- visible text ------------------------------------------------- */

/* Whether some face draws c (controls and noncharacters: none). */
static bool
visible(const struct render_fonts *f, const struct font *face, UChar32 c)
{
	if (c == ' ' || (c > 0x20 && c < 0x7F && font_has(face, (uint32_t)c)))
		return true;
	if (c < 0x20 || (c >= 0x7F && c < 0xA0) || U_IS_UNICODE_NONCHAR(c) ||
	    U_IS_SURROGATE(c))
		return false;
	if (c <= 0xFFFF && font_has(face, (uint32_t)c))
		return true;
	return fontsel_covers(f->sel, (uint32_t)c);
}

/* Which ASCII characters visible() keeps, per face: most text is ASCII
 * and needs no change. */
struct vis {
	const struct render_fonts *f;
	uint64_t	 ascii[4][2];	/* bit c: visible(c), c < 128 */
};

/* Whether text is ASCII that visible_inline() keeps as it is. */
static bool
kept_ascii(const uint64_t ok[2], const char *text)
{
	for (const unsigned char *s = (const unsigned char *)text; *s != '\0';
	    s++)
		if (*s >= 0x80 || !(ok[*s >> 6] >> (*s & 63) & 1))
			return false;
	return true;
}

static void
visible_inline(struct dinline *in, const struct vis *vs)
{
	const struct render_fonts *f = vs->f;

	for (size_t i = 0; i < in->n; i++) {
		struct drun *r = &in->v[i];
		const struct font *face = f->face[r->style & 3];
		struct buf b = BUF_INIT;
		int32_t len, k = 0;
		bool changed = false;

		if (r->kind != DRUN_TEXT ||
		    kept_ascii(vs->ascii[r->style & 3], r->text))
			continue;
		len = (int32_t)strlen(r->text);
		while (k < len) {
			int32_t at = k;
			UChar32 c;

			U8_NEXT(r->text, k, len, c);
			if (c == '\t' || c == '\n' || c == '\r')
				c = ' ', changed = true;
			if (c >= 0 && visible(f, face, c)) {
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
visible_blocks(struct dblock *v, size_t n, const struct vis *vs)
{
	for (size_t i = 0; i < n; i++) {
		struct dblock *b = &v[i];

		visible_inline(&b->text, vs);
		visible_inline(&b->value, vs);
		for (size_t r = 0; r < b->table.nrows; r++)
			for (size_t c = 0; c < b->table.ncols; c++)
				visible_inline(&b->table.rows[r].cells[c], vs);
		visible_blocks(b->kids, b->nkids, vs);
	}
}

void
render_make_visible(struct ddoc *d, const struct render_fonts *f)
{
	struct vis vs;

	memset(&vs, 0, sizeof(vs));
	vs.f = f;
	/* Tabs and line ends become spaces: not kept as they are. */
	for (int s = 0; s < 4; s++)
		for (UChar32 c = 0; c < 128; c++)
			if (c != '\t' && c != '\n' && c != '\r' &&
			    visible(f, f->face[s], c))
				vs.ascii[s][c >> 6] |= (uint64_t)1 << (c & 63);
	visible_blocks(d->blocks, d->nblocks, &vs);
	for (int i = 0; i < 3; i++) {
		visible_inline(&d->header[i], &vs);
		visible_inline(&d->footer[i], &vs);
	}
}

/* ---- drawing ------------------------------------------------------ */

/*
 * libharu's memory for one document, carved from large blocks and given
 * back at once after HPDF_Free(): a packet makes thousands of small
 * objects, whose malloc and free were a sixth of the writing.
 * libharu's own pool (HPDF_NewEx's mem_pool_buf_size) does the same but
 * leaves objects misaligned (it does not round sizes up), which the
 * code reading them here may not rely on.  libharu's allocator
 * callbacks take no context, so the arena in use is the thread's: one
 * document at a time per thread, set by render_pdf() around all its
 * libharu calls.
 */
struct ablock {
	struct ablock	*next;
	max_align_t	 data[];
};

struct arena {
	struct ablock	*blocks;
	char		*at;		/* free space in the first block */
	size_t		 left;
};

#define ARENA_BLOCK	(64 * 1024)
#define ARENA_ALIGN	_Alignof(max_align_t)

static _Thread_local struct arena *hpdf_arena;

static void *
arena_alloc(HPDF_UINT size)
{
	struct arena *a = hpdf_arena;
	size_t n = ((size_t)size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	struct ablock *b;

	if (a == NULL)
		return NULL;	/* libharu reports it */
	if (n > a->left && n > ARENA_BLOCK / 4) {
		/* A block of its own, behind the first one, whose free
		 * space stays in use. */
		b = xmalloc(sizeof(*b) + n);
		if (a->blocks == NULL) {
			b->next = NULL;
			a->blocks = b;
		} else {
			b->next = a->blocks->next;
			a->blocks->next = b;
		}
		return b->data;
	}
	if (n > a->left) {
		b = xmalloc(sizeof(*b) + ARENA_BLOCK);
		b->next = a->blocks;
		a->blocks = b;
		a->at = (char *)b->data;
		a->left = ARENA_BLOCK;
	}
	a->at += n;
	a->left -= n;
	return a->at - n;
}

/* Nothing: the arena goes at once (arena_free()). */
static void
arena_release(void *ptr)
{
	(void)ptr;
}

static void
arena_free(struct arena *a)
{
	while (a->blocks != NULL) {
		struct ablock *b = a->blocks;

		a->blocks = b->next;
		free(b);
	}
	a->at = NULL;
	a->left = 0;
}

/*
 * MD5 (RFC 1321) of the content, for /ID.  libharu's copies each block
 * in a byte at a time and swaps its words before it hashes them: this
 * one reads them in place.  The digest is the same.
 */
struct md5 {
	uint32_t	 h[4];
	uint64_t	 len;		/* bytes hashed */
	unsigned char	 buf[64];	/* the last len % 64 of them */
};

#define MD5_F(x, y, z)	((z) ^ ((x) & ((y) ^ (z))))
#define MD5_G(x, y, z)	((y) ^ ((z) & ((x) ^ (y))))
#define MD5_H(x, y, z)	((x) ^ (y) ^ (z))
#define MD5_I(x, y, z)	((y) ^ ((x) | ~(z)))
#define MD5_STEP(f, a, b, c, d, x, t, s) do {				\
	(a) += f((b), (c), (d)) + (x) + (uint32_t)(t);			\
	(a) = ((a) << (s) | (a) >> (32 - (s))) + (b);			\
} while (0)

static void
md5_block(uint32_t h[4], const unsigned char *p)
{
	uint32_t x[16], a = h[0], b = h[1], c = h[2], d = h[3];

	for (int i = 0; i < 16; i++, p += 4)
		x[i] = (uint32_t)p[0] | (uint32_t)p[1] << 8 |
		    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	MD5_STEP(MD5_F, a, b, c, d, x[0], 0xd76aa478, 7);
	MD5_STEP(MD5_F, d, a, b, c, x[1], 0xe8c7b756, 12);
	MD5_STEP(MD5_F, c, d, a, b, x[2], 0x242070db, 17);
	MD5_STEP(MD5_F, b, c, d, a, x[3], 0xc1bdceee, 22);
	MD5_STEP(MD5_F, a, b, c, d, x[4], 0xf57c0faf, 7);
	MD5_STEP(MD5_F, d, a, b, c, x[5], 0x4787c62a, 12);
	MD5_STEP(MD5_F, c, d, a, b, x[6], 0xa8304613, 17);
	MD5_STEP(MD5_F, b, c, d, a, x[7], 0xfd469501, 22);
	MD5_STEP(MD5_F, a, b, c, d, x[8], 0x698098d8, 7);
	MD5_STEP(MD5_F, d, a, b, c, x[9], 0x8b44f7af, 12);
	MD5_STEP(MD5_F, c, d, a, b, x[10], 0xffff5bb1, 17);
	MD5_STEP(MD5_F, b, c, d, a, x[11], 0x895cd7be, 22);
	MD5_STEP(MD5_F, a, b, c, d, x[12], 0x6b901122, 7);
	MD5_STEP(MD5_F, d, a, b, c, x[13], 0xfd987193, 12);
	MD5_STEP(MD5_F, c, d, a, b, x[14], 0xa679438e, 17);
	MD5_STEP(MD5_F, b, c, d, a, x[15], 0x49b40821, 22);
	MD5_STEP(MD5_G, a, b, c, d, x[1], 0xf61e2562, 5);
	MD5_STEP(MD5_G, d, a, b, c, x[6], 0xc040b340, 9);
	MD5_STEP(MD5_G, c, d, a, b, x[11], 0x265e5a51, 14);
	MD5_STEP(MD5_G, b, c, d, a, x[0], 0xe9b6c7aa, 20);
	MD5_STEP(MD5_G, a, b, c, d, x[5], 0xd62f105d, 5);
	MD5_STEP(MD5_G, d, a, b, c, x[10], 0x02441453, 9);
	MD5_STEP(MD5_G, c, d, a, b, x[15], 0xd8a1e681, 14);
	MD5_STEP(MD5_G, b, c, d, a, x[4], 0xe7d3fbc8, 20);
	MD5_STEP(MD5_G, a, b, c, d, x[9], 0x21e1cde6, 5);
	MD5_STEP(MD5_G, d, a, b, c, x[14], 0xc33707d6, 9);
	MD5_STEP(MD5_G, c, d, a, b, x[3], 0xf4d50d87, 14);
	MD5_STEP(MD5_G, b, c, d, a, x[8], 0x455a14ed, 20);
	MD5_STEP(MD5_G, a, b, c, d, x[13], 0xa9e3e905, 5);
	MD5_STEP(MD5_G, d, a, b, c, x[2], 0xfcefa3f8, 9);
	MD5_STEP(MD5_G, c, d, a, b, x[7], 0x676f02d9, 14);
	MD5_STEP(MD5_G, b, c, d, a, x[12], 0x8d2a4c8a, 20);
	MD5_STEP(MD5_H, a, b, c, d, x[5], 0xfffa3942, 4);
	MD5_STEP(MD5_H, d, a, b, c, x[8], 0x8771f681, 11);
	MD5_STEP(MD5_H, c, d, a, b, x[11], 0x6d9d6122, 16);
	MD5_STEP(MD5_H, b, c, d, a, x[14], 0xfde5380c, 23);
	MD5_STEP(MD5_H, a, b, c, d, x[1], 0xa4beea44, 4);
	MD5_STEP(MD5_H, d, a, b, c, x[4], 0x4bdecfa9, 11);
	MD5_STEP(MD5_H, c, d, a, b, x[7], 0xf6bb4b60, 16);
	MD5_STEP(MD5_H, b, c, d, a, x[10], 0xbebfbc70, 23);
	MD5_STEP(MD5_H, a, b, c, d, x[13], 0x289b7ec6, 4);
	MD5_STEP(MD5_H, d, a, b, c, x[0], 0xeaa127fa, 11);
	MD5_STEP(MD5_H, c, d, a, b, x[3], 0xd4ef3085, 16);
	MD5_STEP(MD5_H, b, c, d, a, x[6], 0x04881d05, 23);
	MD5_STEP(MD5_H, a, b, c, d, x[9], 0xd9d4d039, 4);
	MD5_STEP(MD5_H, d, a, b, c, x[12], 0xe6db99e5, 11);
	MD5_STEP(MD5_H, c, d, a, b, x[15], 0x1fa27cf8, 16);
	MD5_STEP(MD5_H, b, c, d, a, x[2], 0xc4ac5665, 23);
	MD5_STEP(MD5_I, a, b, c, d, x[0], 0xf4292244, 6);
	MD5_STEP(MD5_I, d, a, b, c, x[7], 0x432aff97, 10);
	MD5_STEP(MD5_I, c, d, a, b, x[14], 0xab9423a7, 15);
	MD5_STEP(MD5_I, b, c, d, a, x[5], 0xfc93a039, 21);
	MD5_STEP(MD5_I, a, b, c, d, x[12], 0x655b59c3, 6);
	MD5_STEP(MD5_I, d, a, b, c, x[3], 0x8f0ccc92, 10);
	MD5_STEP(MD5_I, c, d, a, b, x[10], 0xffeff47d, 15);
	MD5_STEP(MD5_I, b, c, d, a, x[1], 0x85845dd1, 21);
	MD5_STEP(MD5_I, a, b, c, d, x[8], 0x6fa87e4f, 6);
	MD5_STEP(MD5_I, d, a, b, c, x[15], 0xfe2ce6e0, 10);
	MD5_STEP(MD5_I, c, d, a, b, x[6], 0xa3014314, 15);
	MD5_STEP(MD5_I, b, c, d, a, x[13], 0x4e0811a1, 21);
	MD5_STEP(MD5_I, a, b, c, d, x[4], 0xf7537e82, 6);
	MD5_STEP(MD5_I, d, a, b, c, x[11], 0xbd3af235, 10);
	MD5_STEP(MD5_I, c, d, a, b, x[2], 0x2ad7d2bb, 15);
	MD5_STEP(MD5_I, b, c, d, a, x[9], 0xeb86d391, 21);
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
}

static void
md5_init(struct md5 *m)
{
	m->h[0] = 0x67452301;
	m->h[1] = 0xefcdab89;
	m->h[2] = 0x98badcfe;
	m->h[3] = 0x10325476;
	m->len = 0;
}

static void
md5_update(struct md5 *m, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t have = (size_t)(m->len & 63);

	m->len += n;
	if (have > 0) {
		size_t k = 64 - have < n ? 64 - have : n;

		memcpy(m->buf + have, p, k);
		p += k;
		n -= k;
		if (have + k < 64)
			return;
		md5_block(m->h, m->buf);
	}
	for (; n >= 64; p += 64, n -= 64)
		md5_block(m->h, p);
	if (n > 0)
		memcpy(m->buf, p, n);
}

static void
md5_final(struct md5 *m, unsigned char out[16])
{
	uint64_t bits = m->len * 8;
	size_t have = (size_t)(m->len & 63);
	size_t padn = (have < 56 ? 56 : 120) - have;
	unsigned char pad[128];

	memset(pad, 0, sizeof(pad));
	pad[0] = 0x80;
	for (int i = 0; i < 8; i++)
		pad[padn + (size_t)i] = (unsigned char)(bits >> (8 * i));
	md5_update(m, pad, padn + 8);
	for (int i = 0; i < 16; i++)
		out[i] = (unsigned char)(m->h[i / 4] >> (8 * (i % 4)));
}

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

/*
 * The faces cut for a set of documents, with their font program, code
 * map and /ToUnicode compressed once: a packet's mail pieces, drawn
 * from the packet's own documents, embed the packet's cut.
 */
struct gcut {
	int			 slot;		/* fontsel slot */
	const struct fontsel_face *f;
	struct pdfgfont		 pf;
	struct buf		 zfile, zmap, ztu, zset;
};

struct render_cut {
	struct pdffont	font[4];	/* n 0: the face is not used */
	struct buf	zfile[4], zmap[4], ztu[4], zset[4];
	struct gcut	*g;		/* shaped text's faces, by slot */
	size_t		 ng;
	/* Each ASCII character as put_codes() writes it in a string: its
	 * code, one byte or two, escaped. */
	char		 esc[4][128][4];
	unsigned char	 esc_len[4][128];
};

struct pdf {
	HPDF_Doc			 doc;
	struct hpdf_err			 err;
	const struct render_fonts	*fonts;
	const struct render_cut		*cut;		/* the faces, cut */
	HPDF_Dict			 font[4];	/* its Type 0 font */
	HPDF_Dict			*gfont;		/* [cut->ng] */
	HPDF_Dict			 one_byte;	/* encoding CMap, shared */
	struct md5			 md5;		/* content, for /ID */
	struct libdeflate_compressor	*z;		/* one per packet */
	struct buf			 zbuf;		/* its output */
	/* The structure tree's objects, written when saved (write_tags). */
	HPDF_Dict			 troot;
	HPDF_Dict			*tobj;		/* [count]: by id - 1 */
	struct tagw			*tw;		/* [count + 1] */
	struct buf			 raw;		/* one object's bytes */
	struct widthw			*ww;		/* [4 + cut->ng] */
	const char			*bad;		/* what we refused */
	/* Tagging: the structure tree, the Sect of the document being
	 * drawn, its elements' ids in the tree (0: not yet made; made
	 * when first drawn, so the tree's order is the drawing order),
	 * and the pages drawn. */
	struct pdftag			*tag;
	const struct ldoc		*ld;
	size_t				 sect;
	size_t				*emap;
	size_t				 loose;	/* a P for untagged items */
	HPDF_Page			*pages;
	size_t				 npages;
	unsigned			 face_lang;	/* of the doc drawn */
};

/*
 * libdeflate level 1: measured on a 12-page packet's streams, 2.4 times
 * as fast as zlib at level 3 for the same size (zlib's default level 6
 * is 3% smaller and 3 times as slow).
 */
#define FLATE_LEVEL	1

static HPDF_STATUS
write_filter(HPDF_Dict d, HPDF_Stream out)
{
	(void)d;
	return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* Compress data into out (replacing it) in the zlib format FlateDecode
 * reads. */
static bool
flate(struct libdeflate_compressor *z, const void *data, size_t len,
    struct buf *out)
{
	size_t cap = libdeflate_zlib_compress_bound(z, len), n;

	buf_reset(out);
	buf_reserve(out, cap);
	if ((n = libdeflate_zlib_compress(z, data, len, out->ptr, cap)) == 0)
		return false;
	buf_setlen(out, n);
	return true;
}

/*
 * The bytes of a stream object, read by libharu when it saves: its
 * memory streams copy a byte at a time (HPDF_MemCpy is a loop), once
 * in and once out.  data is borrowed when it outlives the document,
 * else held in own, in the same block.  The block comes from the
 * document's allocator, and libharu frees it with the stream
 * (src_free()).
 */
struct src {
	const HPDF_BYTE	*data;
	HPDF_UINT	 len;
	HPDF_UINT	 pos;
	HPDF_BYTE	 own[];
};

static HPDF_STATUS
src_read(HPDF_Stream st, HPDF_BYTE *ptr, HPDF_UINT *size)
{
	struct src *s = st->attr;
	HPDF_UINT want = *size, n = s->len - s->pos;

	if (n > want)
		n = want;
	if (n > 0)
		memcpy(ptr, s->data + s->pos, n);
	s->pos += n;
	*size = n;
	return n < want ? HPDF_STREAM_EOF : HPDF_OK;
}

static HPDF_STATUS
src_seek(HPDF_Stream st, HPDF_INT pos, HPDF_WhenceMode mode)
{
	struct src *s = st->attr;
	long long at = mode == HPDF_SEEK_CUR ? (long long)s->pos + pos :
	    mode == HPDF_SEEK_END ? (long long)s->len - pos : pos;

	if (at < 0 || at > (long long)s->len)
		return HPDF_STREAM_EOF;
	s->pos = (HPDF_UINT)at;
	return HPDF_OK;
}

static HPDF_INT32
src_tell(HPDF_Stream st)
{
	return (HPDF_INT32)((struct src *)st->attr)->pos;
}

static HPDF_UINT32
src_size(HPDF_Stream st)
{
	return ((struct src *)st->attr)->len;
}

static void
src_free(HPDF_Stream st)
{
	HPDF_FreeMem(st->mmgr, st->attr);
	st->attr = NULL;
}

/* Make len bytes at data (copied unless borrow) the stream of d, in
 * place of any it had. */
static bool
set_data(struct pdf *p, HPDF_Dict d, const void *data, size_t len,
    bool borrow)
{
	HPDF_MMgr mm = p->doc->mmgr;
	struct src *s;
	HPDF_Stream st;

	if (len > 0x7FFFFFFF || (s = HPDF_GetMem(mm, (HPDF_UINT)(sizeof(*s) +
	    (borrow ? 0 : len)))) == NULL)
		return false;
	if (!borrow && len > 0) {
		memcpy(s->own, data, len);
		data = s->own;
	}
	s->data = data;
	s->len = (HPDF_UINT)len;
	s->pos = 0;
	if ((st = HPDF_CallbackReader_New(mm, src_read, src_seek, src_tell,
	    src_size, s)) == NULL) {
		HPDF_FreeMem(mm, s);
		return false;
	}
	st->free_fn = src_free;
	HPDF_Stream_Free(d->stream);
	d->stream = st;
	return true;
}

/*
 * A dictionary as HPDF_Dict_New() makes it, but cleared by memset:
 * libharu clears it a byte at a time, and a packet has hundreds (the
 * structure elements).
 */
static HPDF_Dict
new_dict(struct pdf *p)
{
	HPDF_MMgr mm = p->doc->mmgr;
	HPDF_Dict d = HPDF_GetMem(mm, sizeof(*d));

	if (d == NULL)
		return NULL;
	memset(d, 0, sizeof(*d));
	d->header.obj_class = HPDF_OCLASS_DICT;
	d->mmgr = mm;
	d->error = mm->error;
	d->filter = HPDF_STREAM_FILTER_NONE;
	if ((d->list = HPDF_List_New(mm, HPDF_DEF_ITEMS_PER_BLOCK)) == NULL) {
		HPDF_FreeMem(mm, d);
		return NULL;
	}
	return d;
}

/*
 * A stream object without its data yet: HPDF_DictStream_New's objects
 * in its order (the dictionary, then its /Length), without the memory
 * stream that set_data() would replace.
 */
static HPDF_Dict
stream_dict(struct pdf *p)
{
	HPDF_Dict d = new_dict(p);
	HPDF_Number n;

	if (d == NULL || HPDF_Xref_Add(p->doc->xref, d) != HPDF_OK ||
	    (n = HPDF_Number_New(p->doc->mmgr, 0)) == NULL ||
	    HPDF_Xref_Add(p->doc->xref, n) != HPDF_OK ||
	    HPDF_Dict_Add(d, "Length", n) != HPDF_OK)
		return NULL;
	return d;
}

/*
 * Put compressed bytes into the stream of dictionary d.  libharu's own
 * compression starts a new zlib deflater (256 KB of state, cleared) for
 * every stream, which was most of its time: streams are compressed here
 * with libdeflate, and d's /Filter is written by write_filter(), as
 * libharu drops the key from a stream it did not compress itself.
 */
static bool
put_z(struct pdf *p, HPDF_Dict d, const void *z, size_t len, bool borrow)
{
	d->filter = HPDF_STREAM_FILTER_NONE;
	d->write_fn = write_filter;
	return set_data(p, d, z, len, borrow);
}

static bool
put_flate(struct pdf *p, HPDF_Dict d, const void *data, size_t len)
{
	return flate(p->z, data, len, &p->zbuf) &&
	    put_z(p, d, p->zbuf.ptr, p->zbuf.len, false);
}

/* A stream object of the document holding data, compressed. */
static HPDF_Dict
stream_obj(struct pdf *p, const void *data, size_t len)
{
	HPDF_Dict d = stream_dict(p);

	if (d == NULL || !put_flate(p, d, data, len))
		return NULL;
	return d;
}

/* A stream object holding z, compressed already and borrowed: z
 * outlives the document (the cut's buffers, the built-in profile). */
static HPDF_Dict
stream_z(struct pdf *p, const void *z, size_t len)
{
	HPDF_Dict d = stream_dict(p);

	if (d == NULL || !put_z(p, d, z, len, true))
		return NULL;
	return d;
}

/* The same, from one of the cut's buffers. */
static HPDF_Dict
stream_buf(struct pdf *p, const struct buf *z)
{
	return stream_z(p, z->ptr, z->len);
}

static HPDF_Dict
indirect_dict(struct pdf *p)
{
	HPDF_Dict d = new_dict(p);

	if (d == NULL || HPDF_Xref_Add(p->doc->xref, d) != HPDF_OK)
		return NULL;
	return d;
}

static bool
add_array(struct pdf *p, HPDF_Dict d, const char *key, const int *v,
    size_t n)
{
	HPDF_Array a = HPDF_Array_New(p->doc->mmgr);

	if (a == NULL || HPDF_Dict_Add(d, key, a) != HPDF_OK)
		return false;
	for (size_t i = 0; i < n; i++)
		if (HPDF_Array_AddNumber(a, v[i]) != HPDF_OK)
			return false;
	return true;
}

/* /CIDSet: a bit per CID the font has (PDF/A-1 wants it). */
static bool
add_cidset(struct pdf *p, HPDF_Dict fd, const struct buf *z)
{
	HPDF_Dict set = stream_buf(p, z);

	return set != NULL && HPDF_Dict_Add(fd, "CIDSet", set) == HPDF_OK;
}

/* Flags of a font descriptor (ISO 32000-1, table 123). */
#define FD_FIXED_PITCH	1
#define FD_SYMBOLIC	4	/* glyphs beyond the standard Latin set */
#define FD_ITALIC	64

static HPDF_Dict
descriptor(struct pdf *p, unsigned style)
{
	const struct pdffont *pf = &p->cut->font[style];
	const struct font *face = p->fonts->face[style];
	const struct font_info *fi = font_info(face);
	HPDF_Dict fd = indirect_dict(p), file;
	int flags = FD_SYMBOLIC | (fi->fixed_pitch ? FD_FIXED_PITCH : 0) |
	    (fi->italic ? FD_ITALIC : 0);

	if (fd == NULL ||
	    (file = stream_buf(p, &p->cut->zfile[style])) == NULL ||
	    HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)pf->file.len) !=
	    HPDF_OK)
		return NULL;
	if (HPDF_Dict_AddName(fd, "Type", "FontDescriptor") != HPDF_OK ||
	    HPDF_Dict_AddName(fd, "FontName", pf->name) != HPDF_OK ||
	    HPDF_Dict_AddNumber(fd, "Flags", flags) != HPDF_OK ||
	    !add_array(p, fd, "FontBBox", fi->bbox, 4) ||
	    HPDF_Dict_AddNumber(fd, "ItalicAngle", fi->italic_angle) !=
	    HPDF_OK ||
	    HPDF_Dict_AddNumber(fd, "Ascent", font_ascent(face)) != HPDF_OK ||
	    HPDF_Dict_AddNumber(fd, "Descent", font_descent(face)) !=
	    HPDF_OK ||
	    HPDF_Dict_AddNumber(fd, "CapHeight", fi->cap_height) != HPDF_OK ||
	    HPDF_Dict_AddNumber(fd, "StemV", fi->stem_v) != HPDF_OK ||
	    HPDF_Dict_Add(fd, "FontFile2", file) != HPDF_OK ||
	    !add_cidset(p, fd, &p->cut->zset[style]))
		return NULL;
	return fd;
}

/*
 * The encoding of one-byte fonts: an embedded CMap (ISO 32000-1,
 * 9.7.5.3) with single-byte codes, each its own CID.  One object per
 * packet, shared by its faces.
 */
static HPDF_Dict
one_byte_cmap(struct pdf *p)
{
	static const char prog[] = "/CIDInit /ProcSet findresource begin\n"
	    "12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) "
	    "/Ordering (Identity) /Supplement 0 >> def\n"
	    "/CMapName /rnpack-OneByte-Identity def\n/CMapType 1 def\n"
	    "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
	    "1 begincidrange\n<00> <FF> 0\nendcidrange\nendcmap\n"
	    "CMapName currentdict /CMap defineresource pop\nend\nend\n";
	HPDF_Dict d, info;

	if (p->one_byte != NULL)
		return p->one_byte;
	if ((d = stream_obj(p, prog, sizeof(prog) - 1)) == NULL ||
	    (info = HPDF_Dict_New(p->doc->mmgr)) == NULL ||
	    HPDF_Dict_AddName(d, "Type", "CMap") != HPDF_OK ||
	    HPDF_Dict_AddName(d, "CMapName", "rnpack-OneByte-Identity") !=
	    HPDF_OK ||
	    HPDF_Dict_Add(d, "CIDSystemInfo", info) != HPDF_OK ||
	    HPDF_Dict_Add(info, "Registry", HPDF_String_New(p->doc->mmgr,
	    "Adobe", NULL)) != HPDF_OK ||
	    HPDF_Dict_Add(info, "Ordering", HPDF_String_New(p->doc->mmgr,
	    "Identity", NULL)) != HPDF_OK ||
	    HPDF_Dict_AddNumber(info, "Supplement", 0) != HPDF_OK)
		return NULL;
	return p->one_byte = d;
}

/*
 * The writers below put bytes at a cursor into room reserved before
 * (write_widths(), write_elem()): a few calls per object instead of
 * dozens.
 */
static char *
str_at(char *o, const char *s)
{
	size_t n = strlen(s);

	memcpy(o, s, n);
	return o + n;
}

/* v in decimal, as libharu's HPDF_IToA (at most 20 bytes). */
static char *
dec_at(char *o, long v)
{
	unsigned long a = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
	char tmp[24], *end = tmp + sizeof(tmp), *p = end;

	do
		*--p = (char)('0' + a % 10);
	while ((a /= 10) != 0);
	if (v < 0)
		*--p = '-';
	memcpy(o, p, (size_t)(end - p));
	return o + (end - p);
}

/* libharu's reference to an indirect object: "12 0 R" (at most 17
 * bytes). */
static char *
ref_at(char *o, const void *obj)
{
	const HPDF_Obj_Header *h = obj;

	o = dec_at(o, (long)(h->obj_id & 0x00FFFFFF));
	*o++ = ' ';
	o = dec_at(o, (long)h->gen_no);
	*o++ = ' ';
	*o++ = 'R';
	return o;
}

/*
 * /W of a CID font, and /CIDToGIDMap after it, written when the file is
 * saved, with the bytes libharu would write: built as libharu objects,
 * each of a few hundred widths was a number object, allocated, added
 * and written on its own.  glyph: a glyph cut's runs of CIDs present
 * (c [w1 w2 ...] each); NULL: one run from code 1.
 */
struct widthw {
	struct pdf		*p;
	const int		*width;		/* [ncid] */
	size_t			 ncid;
	const struct pdfgfont	*glyph;
	HPDF_Dict		 map;		/* /CIDToGIDMap; NULL: none */
};

static HPDF_STATUS
write_widths(HPDF_Dict d, HPDF_Stream out)
{
	const struct widthw *w = d->attr;
	struct buf *b = &w->p->raw;
	bool open = false;
	char *o;

	buf_reset(b);
	buf_reserve(b, 96 + 48 * w->ncid);
	o = str_at(b->ptr, "/W [ ");
	if (w->glyph == NULL) {
		o = str_at(o, "1 [ ");
		for (size_t c = 1; c < w->ncid; c++) {
			o = dec_at(o, w->width[c]);
			*o++ = ' ';
		}
		o = str_at(o, "] ");
	} else {
		for (size_t c = 0; c < w->ncid; c++) {
			if (!pdfgfont_has_cid(w->glyph, (unsigned)c)) {
				if (open)
					o = str_at(o, "] ");
				open = false;
				continue;
			}
			if (!open) {
				o = dec_at(o, (long)c);
				o = str_at(o, " [ ");
				open = true;
			}
			o = dec_at(o, w->width[c]);
			*o++ = ' ';
		}
		if (open)
			o = str_at(o, "] ");
	}
	o = str_at(o, "]\n");
	if (w->map != NULL) {
		o = str_at(o, "/CIDToGIDMap ");
		o = ref_at(o, w->map);
		*o++ = '\n';
	}
	buf_setlen(b, (size_t)(o - b->ptr));
	return HPDF_Stream_Write(out, (const HPDF_BYTE *)b->ptr,
	    (HPDF_UINT)b->len);
}

/* Have cid's /W (and /CIDToGIDMap) written by write_widths(). */
static void
set_widths(struct pdf *p, HPDF_Dict cid, struct widthw *w, const int *width,
    size_t ncid, const struct pdfgfont *glyph, HPDF_Dict map)
{
	w->p = p;
	w->width = width;
	w->ncid = ncid;
	w->glyph = glyph;
	w->map = map;
	cid->attr = w;
	cid->write_fn = write_widths;
}

/*
 * The Type 0 font of one face: its codes (pdffont.h) are CIDs, mapped
 * to the cut font's glyphs by /CIDToGIDMap and back to Unicode by
 * /ToUnicode; /W holds the widths the layout measured with.
 */
static HPDF_Dict
type0_font(struct pdf *p, unsigned style)
{
	const struct pdffont *pf = &p->cut->font[style];
	HPDF_Dict t0 = indirect_dict(p), cid = indirect_dict(p), info, fd;
	HPDF_Dict map, tu;
	HPDF_Array desc;

	if (t0 == NULL || cid == NULL ||
	    (fd = descriptor(p, style)) == NULL ||
	    (map = stream_buf(p, &p->cut->zmap[style])) == NULL ||
	    (tu = stream_buf(p, &p->cut->ztu[style])) == NULL ||
	    (info = HPDF_Dict_New(p->doc->mmgr)) == NULL ||
	    (desc = HPDF_Array_New(p->doc->mmgr)) == NULL)
		return NULL;
	if (HPDF_Dict_AddName(t0, "Type", "Font") != HPDF_OK ||
	    HPDF_Dict_AddName(t0, "Subtype", "Type0") != HPDF_OK ||
	    HPDF_Dict_AddName(t0, "BaseFont", pf->name) != HPDF_OK ||
	    (pf->one_byte ? one_byte_cmap(p) == NULL ||
	    HPDF_Dict_Add(t0, "Encoding", p->one_byte) != HPDF_OK :
	    HPDF_Dict_AddName(t0, "Encoding", "Identity-H") != HPDF_OK) ||
	    HPDF_Dict_Add(t0, "DescendantFonts", desc) != HPDF_OK ||
	    HPDF_Array_Add(desc, cid) != HPDF_OK ||
	    HPDF_Dict_Add(t0, "ToUnicode", tu) != HPDF_OK)
		return NULL;
	if (HPDF_Dict_AddName(cid, "Type", "Font") != HPDF_OK ||
	    HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2") != HPDF_OK ||
	    HPDF_Dict_AddName(cid, "BaseFont", pf->name) != HPDF_OK ||
	    HPDF_Dict_Add(cid, "CIDSystemInfo", info) != HPDF_OK ||
	    HPDF_Dict_Add(info, "Registry", HPDF_String_New(p->doc->mmgr,
	    "Adobe", NULL)) != HPDF_OK ||
	    HPDF_Dict_Add(info, "Ordering", HPDF_String_New(p->doc->mmgr,
	    "Identity", NULL)) != HPDF_OK ||
	    HPDF_Dict_AddNumber(info, "Supplement", 0) != HPDF_OK ||
	    HPDF_Dict_Add(cid, "FontDescriptor", fd) != HPDF_OK ||
	    HPDF_Dict_AddNumber(cid, "DW", 1000) != HPDF_OK)
		return NULL;
	/* One run from code 1: [1 [w1 w2 ...]]. */
	set_widths(p, cid, &p->ww[style], pf->width, pf->ncodes, NULL, map);
	return t0;
}

/* A CIDSystemInfo dictionary: Adobe-Identity-0. */
static HPDF_Dict
identity_info(struct pdf *p)
{
	HPDF_Dict info = HPDF_Dict_New(p->doc->mmgr);

	if (info == NULL || HPDF_Dict_Add(info, "Registry", HPDF_String_New(
	    p->doc->mmgr, "Adobe", NULL)) != HPDF_OK ||
	    HPDF_Dict_Add(info, "Ordering", HPDF_String_New(p->doc->mmgr,
	    "Identity", NULL)) != HPDF_OK ||
	    HPDF_Dict_AddNumber(info, "Supplement", 0) != HPDF_OK)
		return NULL;
	return info;
}

/*
 * The Type 0 font of a glyph cut (pdffont.h): Identity-H codes are the
 * CIDs; a TrueType cut is a CIDFontType2 with /CIDToGIDMap, a CFF cut
 * a CIDFontType0 whose bare CFF program (/FontFile3, CIDFontType0C)
 * maps CIDs to glyphs through its own charset.
 */
static HPDF_Dict
glyph_font(struct pdf *p, const struct gcut *g, struct widthw *ww)
{
	const struct pdfgfont *pf = &g->pf;
	const struct fontsel_face *f = g->f;
	HPDF_Dict t0 = indirect_dict(p), cid = indirect_dict(p);
	HPDF_Dict fd = indirect_dict(p), file, tu, info, map = NULL;
	HPDF_Array desc;
	int flags = FD_SYMBOLIC | (f->italic ? FD_ITALIC : 0);

	if (t0 == NULL || cid == NULL || fd == NULL ||
	    (file = stream_buf(p, &g->zfile)) == NULL ||
	    (tu = stream_buf(p, &g->ztu)) == NULL ||
	    (info = identity_info(p)) == NULL ||
	    (desc = HPDF_Array_New(p->doc->mmgr)) == NULL)
		return NULL;
	if (f->cff ? HPDF_Dict_AddName(file, "Subtype", "CIDFontType0C") !=
	    HPDF_OK : HPDF_Dict_AddNumber(file, "Length1",
	    (HPDF_INT32)pf->file.len) != HPDF_OK)
		return NULL;
	if (HPDF_Dict_AddName(fd, "Type", "FontDescriptor") != HPDF_OK ||
	    HPDF_Dict_AddName(fd, "FontName", pf->name) != HPDF_OK ||
	    HPDF_Dict_AddNumber(fd, "Flags", flags) != HPDF_OK ||
	    !add_array(p, fd, "FontBBox", f->bbox, 4) ||
	    HPDF_Dict_AddNumber(fd, "ItalicAngle", f->italic_angle) !=
	    HPDF_OK ||
	    HPDF_Dict_AddNumber(fd, "Ascent", f->ascent) != HPDF_OK ||
	    HPDF_Dict_AddNumber(fd, "Descent", f->descent) != HPDF_OK ||
	    HPDF_Dict_AddNumber(fd, "CapHeight", f->cap_height) != HPDF_OK ||
	    HPDF_Dict_AddNumber(fd, "StemV", f->stem_v) != HPDF_OK ||
	    HPDF_Dict_Add(fd, f->cff ? "FontFile3" : "FontFile2", file) !=
	    HPDF_OK || !add_cidset(p, fd, &g->zset))
		return NULL;
	if (HPDF_Dict_AddName(t0, "Type", "Font") != HPDF_OK ||
	    HPDF_Dict_AddName(t0, "Subtype", "Type0") != HPDF_OK ||
	    HPDF_Dict_AddName(t0, "BaseFont", pf->name) != HPDF_OK ||
	    HPDF_Dict_AddName(t0, "Encoding", "Identity-H") != HPDF_OK ||
	    HPDF_Dict_Add(t0, "DescendantFonts", desc) != HPDF_OK ||
	    HPDF_Array_Add(desc, cid) != HPDF_OK ||
	    HPDF_Dict_Add(t0, "ToUnicode", tu) != HPDF_OK)
		return NULL;
	if (HPDF_Dict_AddName(cid, "Type", "Font") != HPDF_OK ||
	    HPDF_Dict_AddName(cid, "Subtype", f->cff ? "CIDFontType0" :
	    "CIDFontType2") != HPDF_OK ||
	    HPDF_Dict_AddName(cid, "BaseFont", pf->name) != HPDF_OK ||
	    HPDF_Dict_Add(cid, "CIDSystemInfo", info) != HPDF_OK ||
	    HPDF_Dict_Add(cid, "FontDescriptor", fd) != HPDF_OK ||
	    HPDF_Dict_AddNumber(cid, "DW", 1000) != HPDF_OK)
		return NULL;
	/* /W: each run of consecutive CIDs present as c [w1 w2 ...], the
	 * face's own advances. */
	if (!f->cff && (map = stream_buf(p, &g->zmap)) == NULL)
		return NULL;
	set_widths(p, cid, ww, pf->width, pf->ncid, pf, f->cff ? NULL : map);
	return t0;
}

static void
hash(struct pdf *p, const void *data, size_t n)
{
	md5_update(&p->md5, data, n);
}

/*
 * One page's content stream, written by us: libharu's text operators
 * would re-encode every string through its own font machinery.  All
 * numbers are in hundredths of a point, so relative moves add up
 * exactly and the text is short.
 */
struct content {
	struct buf	 b;
	bool		 in_text;	/* between BT and ET */
	int		 style;		/* font set with Tf, -1: none */
	long		 size;		/* its size, 1/100 pt */
	long		 x, y;		/* start of the current text line */
	long		 tw;		/* word spacing, 1/1000 pt */
	long		 line_w;	/* -1: not set */
};

static long
hundredths(double v)
{
	return lround(v * 100.0);
}

/* h hundredths at o; returns the end (at most 22 bytes). */
static char *
hund_at(char *o, long h)
{
	unsigned long a = h < 0 ? 0UL - (unsigned long)h : (unsigned long)h;
	char tmp[32], *end = tmp + sizeof(tmp), *p = end;

	/* By hand: printf was a tenth of the run.  Hundredths with no
	 * trailing zero, then the integer part, right to left. */
	if (a % 100 != 0) {
		if (a % 10 != 0)
			*--p = (char)('0' + a % 10);
		*--p = (char)('0' + a / 10 % 10);
		*--p = '.';
	}
	a /= 100;
	do
		*--p = (char)('0' + a % 10);
	while ((a /= 10) != 0);
	if (h < 0)
		*--p = '-';
	memcpy(o, p, (size_t)(end - p));
	return o + (end - p);
}

/* <v> in hexadecimal, at least four digits, as printf's <%04X>. */
static void
put_hex4(struct buf *b, unsigned v)
{
	static const char digit[] = "0123456789ABCDEF";
	char tmp[16], *end = tmp + sizeof(tmp), *p = end;

	*--p = '>';
	do
		*--p = digit[v & 15];
	while ((v >>= 4) != 0);
	while (end - p < 5)
		*--p = '0';
	*--p = '<';
	buf_add(b, p, (size_t)(end - p));
}

/* n numbers in hundredths, then the operator op and a line end, put
 * in room reserved once. */
static void
nums(struct buf *b, const long *v, size_t n, const char *op)
{
	size_t oplen = strlen(op);
	char *o;

	buf_reserve(b, n * 24 + oplen + 1);
	o = b->ptr + b->len;
	for (size_t i = 0; i < n; i++) {
		o = hund_at(o, v[i]);
		*o++ = ' ';
	}
	memcpy(o, op, oplen);
	o += oplen;
	*o++ = '\n';
	buf_setlen(b, (size_t)(o - b->ptr));
}

/* /name size Tf (size in 1/100 pt). */
static void
font_op(struct buf *b, const char *name, long size)
{
	buf_addc(b, '/');
	buf_adds(b, name);
	buf_addc(b, ' ');
	nums(b, &size, 1, "Tf");
}

/* Word spacing tw (1/1000 pt) with three decimals: -1.250 Tw. */
static void
tw_op(struct buf *b, long tw)
{
	unsigned long a = tw < 0 ? 0UL - (unsigned long)tw : (unsigned long)tw;
	char frac[5];

	if (tw < 0)
		buf_addc(b, '-');
	buf_add_long(b, (long)(a / 1000));
	frac[0] = '.';
	frac[1] = (char)('0' + a / 100 % 10);
	frac[2] = (char)('0' + a / 10 % 10);
	frac[3] = (char)('0' + a % 10);
	frac[4] = ' ';
	buf_add(b, frac, sizeof(frac));
	buf_adds(b, "Tw\n");
}

static void
end_text(struct content *c)
{
	if (c->in_text)
		buf_adds(&c->b, "ET\n");
	c->in_text = false;
}

static void
line_width(struct content *c, double w)
{
	long h = hundredths(w);

	if (h != c->line_w)
		nums(&c->b, &h, 1, "w");
	c->line_w = h;
}

/* One byte of a literal string, ( ) \\ and line ends escaped; returns
 * the bytes written at out (at most 2). */
static size_t
put_cid_byte(char *out, unsigned v)
{
	switch (v) {
	case '(': case ')': case '\\':
		out[0] = '\\';
		out[1] = (char)v;
		return 2;
	case '\r':
		out[0] = '\\';
		out[1] = 'r';
		return 2;
	case '\n':
		out[0] = '\\';
		out[1] = 'n';
		return 2;
	default:
		out[0] = (char)v;
		return 1;
	}
}

/* Word spacing beyond this (1/1000 pt) is a column gap, not a line. */
#define TW_MAX_EM	1.0

static bool
has_space(const char *s)
{
	return strchr(s, ' ') != NULL;
}

/*
 * How many of the n text items from it on make one string: words of one
 * line in one face and size whose gaps are all one space plus the same
 * word spacing *tw (1/1000 pt), which Tw then adds to each space.  Only
 * one-byte fonts have a space Tw applies to; a word with spaces inside
 * joins only when there is no extra spacing.
 */
static size_t
line_run(const struct pdf *p, const struct litem *it, size_t n, long *tw)
{
	const struct pdffont *pf = &p->cut->font[it->style & 3];
	const struct font *face = p->fonts->face[it->style & 3];
	double space = font_advance(face, ' ') * it->size / 1000.0, extra = 0;
	bool inner = has_space(it->text);
	size_t k = 1;

	*tw = 0;
	if (!pf->one_byte)
		return 1;
	for (; k < n; k++) {
		const struct litem *a = &it[k - 1], *b = &it[k];
		double gap;

		if (b->kind != LI_TEXT || b->text == NULL || b->text[0] == '\0' ||
		    !simple_text(face, b->text) ||
		    b->style != it->style || b->size != it->size ||
		    hundredths(b->y) != hundredths(it->y))
			break;
		gap = b->x - a->x - font_text_width(face, a->text, a->size);
		if (k == 1) {
			extra = gap - space;
			if (extra < -space / 2 || extra > TW_MAX_EM * it->size)
				break;
			*tw = lround(extra * 1000.0);
			if (*tw == 0)
				extra = 0;
		} else if (fabs(gap - space - extra) > 0.005)
			break;
		inner |= has_space(b->text);
		if (inner && *tw != 0)
			break;
	}
	if (k == 1)
		*tw = 0;
	return k;
}

/*
 * What glyph g of text stands for in /ToUnicode, as bytes [*start,
 * *start + *len) of text: its cluster when the glyph is the cluster's
 * only one and the cluster one character; else the character of the
 * cluster whose own glyph it is; else the whole cluster.
 */
static void
glyph_text(const struct fontsel_face *f, const char *text,
    const struct shape_glyph *g, uint32_t *start, uint32_t *len)
{
	int32_t i = (int32_t)g->start;

	if (!g->one)
		while (i < (int32_t)g->end) {
			int32_t at = i;
			UChar32 ch;
			hb_codepoint_t gid;

			U8_NEXT(text, i, (int32_t)g->end, ch);
			if (ch >= 0 && hb_font_get_nominal_glyph(f->hb_font,
			    (hb_codepoint_t)ch, &gid) && gid == g->gid) {
				*start = (uint32_t)at;
				*len = (uint32_t)(i - at);
				return;
			}
		}
	*start = g->start;
	*len = g->end - g->start;
}

/* The glyph cut of fontsel slot, or NULL. */
static const struct gcut *
find_gcut(const struct render_cut *cut, int slot, size_t *index)
{
	size_t lo = 0, hi = cut->ng;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cut->g[mid].slot < slot)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == cut->ng || cut->g[lo].slot != slot)
		return NULL;
	*index = lo;
	return &cut->g[lo];
}

/* The shaped text being written: its TJ array and text rise. */
struct tjstate {
	bool	open;
	long	rise;		/* 1/100 pt */
	long	tc;		/* character spacing, 1/100 pt */
	double	cur;		/* pen, pt from the item's origin */
};

static void
tj_close(struct content *c, struct tjstate *t)
{
	if (t->open)
		buf_adds(&c->b, "]TJ\n");
	t->open = false;
}

/* The pen after the cluster of glyph i (font units from the run's
 * start): the glyphs of one cluster are consecutive. */
static double
cluster_pen_end(const struct shape_glyph *g, size_t n, size_t i)
{
	double pen = 0.0;

	for (size_t k = 0; k < n; k++) {
		pen += g[k].ax;
		if (k >= i && (k + 1 == n || g[k + 1].start != g[i].start))
			break;
	}
	return pen;
}

/*
 * Before the last glyph of a cluster with /ActualText: poppler takes
 * the span to end where that glyph's advance ends, and a mark drawn
 * over its letter ends short of the cluster, which poppler reads as a
 * space after it.  Character spacing (Tc) stretches the last advance to
 * the cluster's end; put_glyph() moves the pen by it too.  In a
 * right-to-left run the letter is drawn first, at the cluster's left
 * edge, and its points after it, so the same stretch closes the box.
 */
static void
span_end(struct content *c, struct tjstate *t, const struct gcut *gc,
    const struct shape_glyph *h, double x, double end, double sz)
{
	bool exact;
	unsigned cid = pdfgfont_cid(&gc->pf, h->gid, "", 0, &exact);
	double w = (cid < gc->pf.ncid ? gc->pf.width[cid] : 0) * sz / 1000.0;
	long tc = hundredths(end - (x + w));

	if (tc <= 0)
		return;
	tj_close(c, t);
	nums(&c->b, &tc, 1, "Tc");
	t->tc = tc;
}

/* One glyph at x (pt from the item's origin), raised by its offset. */
static void
put_glyph(struct content *c, struct tjstate *t, const struct gcut *gc,
    const struct fontsel_face *f, const char *text,
    const struct shape_glyph *h, double x, double scale, double sz)
{
	long rise = hundredths(h->dy * scale), adj;
	uint32_t ts, tl;
	unsigned cid;
	bool exact;

	glyph_text(f, text, h, &ts, &tl);
	cid = pdfgfont_cid(&gc->pf, h->gid, text + ts, tl, &exact);
	if (rise != t->rise) {
		tj_close(c, t);
		nums(&c->b, &rise, 1, "Ts");
		t->rise = rise;
	}
	if (!t->open) {
		buf_addc(&c->b, '[');
		t->open = true;
	}
	/* TJ's numbers move the pen left by thousandths of the size. */
	adj = lround((t->cur - x) * 1000.0 / sz);
	if (adj != 0)
		buf_add_long(&c->b, adj);
	t->cur -= (double)adj * sz / 1000.0;
	put_hex4(&c->b, cid);
	t->cur += (cid < gc->pf.ncid ? gc->pf.width[cid] : 0) * sz / 1000.0 +
	    (double)t->tc / 100.0;
}

static bool	actualtext_begin(struct pdf *, struct content *, const char *);
static void	actualtext_end(struct pdf *, struct content *);

/* A new text object whose origin is the item's start, the pen there. */
static void
text_restart(struct content *c, const struct litem *it, struct tjstate *t)
{
	long pos[2] = { hundredths(it->x), hundredths(LAYOUT_PAGE_H - it->y) };

	buf_adds(&c->b, "BT\n");
	c->in_text = true;
	nums(&c->b, pos, 2, "Td");
	c->x = pos[0];
	c->y = pos[1];
	t->cur = 0.0;
}

/*
 * The characters of a cluster drawn as something other than one glyph
 * for one character, for a viewer's copy: a Span of its own in the
 * structure tree carries them as /ActualText (marked content never
 * nests, so the text object and the element's marked content end
 * first, and resume after).  Inside an artifact nothing is read, and
 * nothing is marked.  Returns whether a Span was opened.
 */
static bool
cluster_text_begin(struct pdf *p, struct content *c, struct tjstate *t,
    const struct litem *it, const char *utf8, size_t len)
{
	char *s = xstrndup(utf8, len);
	bool open;

	tj_close(c, t);
	open = actualtext_begin(p, c, s);
	free(s);
	if (open)
		text_restart(c, it, t);
	return open;
}

static void
cluster_text_end(struct pdf *p, struct content *c, struct tjstate *t,
    const struct litem *it)
{
	tj_close(c, t);
	actualtext_end(p, c);
	text_restart(c, it, t);
}

/*
 * Draw a text item that is shaped: its runs left to right, the glyphs
 * of a right-to-left run in logical order (so a copy gives the
 * characters in order), each glyph put where HarfBuzz placed it by the
 * numbers in the TJ array and, for a raised or lowered mark, Ts.
 * Returns 1, or 0 on error.
 */
static size_t
draw_shaped(struct pdf *p, HPDF_Page page, struct content *c,
    const struct litem *it, unsigned lang)
{
	struct shape_line sl;
	struct tjstate t = { false, 0, 0, 0.0 };
	long size = hundredths(it->size), pos[2];
	double sz = (double)size / 100.0, vx = 0.0;
	bool ok = true;

	shape_text_dir(p->fonts->sel, it->text, strlen(it->text),
	    it->style & 3, lang, (enum shape_dir)it->dir, &sl);
	if (!c->in_text) {
		buf_adds(&c->b, "BT\n");
		c->in_text = true;
		c->x = c->y = 0;
	}
	pos[0] = hundredths(it->x) - c->x;
	pos[1] = hundredths(LAYOUT_PAGE_H - it->y) - c->y;
	nums(&c->b, pos, 2, "Td");
	c->x += pos[0];
	c->y += pos[1];
	for (size_t r = 0; r < sl.nr && ok; r++) {
		const struct shape_run *run = &sl.r[r];
		const struct shape_glyph *g = sl.g + run->first;
		double scale = sz / run->f->upem, *xs, *ends, pen = 0.0;
		size_t gi = 0, k;
		const struct gcut *gc = find_gcut(p->cut, run->face, &gi);

		if (gc == NULL) {
			p->bad = "a glyph the font cut does not have";
			ok = false;
			break;
		}
		if (c->style != (int)(4 + gi) || c->size != size) {
			const char *name = HPDF_Page_GetLocalFontName(page,
			    p->gfont[gi]);

			if (name == NULL) {
				ok = false;
				break;
			}
			tj_close(c, &t);
			font_op(&c->b, name, size);
			c->style = (int)(4 + gi);
			c->size = size;
		}
		xs = xreallocarray(NULL, run->n ? run->n : 1, sizeof(*xs));
		ends = xreallocarray(NULL, run->n ? run->n : 1, sizeof(*ends));
		for (size_t i = 0; i < run->n; i++) {
			xs[i] = vx + (pen + g[i].dx) * scale;
			pen += g[i].ax;
		}
		/* Where each glyph's cluster ends: its right edge. */
		for (size_t i = run->n; i-- > 0;)
			ends[i] = i + 1 < run->n &&
			    g[i + 1].start == g[i].start ? ends[i + 1] :
			    vx + cluster_pen_end(g, run->n, i) * scale;
		for (k = 0; k < run->n;) {
			size_t i0 = run->rtl ? run->n - 1 - k : k, m = 0;
			bool mark = false, exact = true;

			/* One cluster: the glyphs of its start, in the order
			 * drawn.  Unless it is one glyph for one character
			 * that /ToUnicode gives back, it carries the
			 * characters as /ActualText. */
			while (k < run->n && g[run->rtl ? run->n - 1 - k :
			    k].start == g[i0].start) {
				size_t i = run->rtl ? run->n - 1 - k : k;
				uint32_t ts, tl;
				bool ex;

				glyph_text(run->f, it->text, &g[i], &ts, &tl);
				pdfgfont_cid(&gc->pf, g[i].gid, it->text + ts,
				    tl, &ex);
				exact &= ex;
				mark |= !g[i].one;
				m++;
				k++;
			}
			mark |= !exact;
			if (mark)
				mark = cluster_text_begin(p, c, &t, it,
				    it->text + g[i0].start,
				    g[i0].end - g[i0].start);
			for (size_t q = 0; q < m; q++) {
				size_t i = run->rtl ? run->n - 1 - (k - m + q) :
				    k - m + q;

				if (mark && q + 1 == m && m > 1)
					span_end(c, &t, gc, &g[i], xs[i],
					    ends[i], sz);
				put_glyph(c, &t, gc, run->f, it->text, &g[i],
				    xs[i], scale, sz);
			}
			if (t.tc != 0) {
				tj_close(c, &t);
				buf_adds(&c->b, "0 Tc\n");
				t.tc = 0;
			}
			if (mark)
				cluster_text_end(p, c, &t, it);
		}
		vx += pen * scale;
		free(xs);
		free(ends);
	}
	tj_close(c, &t);
	if (t.rise != 0)
		buf_adds(&c->b, "0 Ts\n");
	shape_free(&sl);
	return ok ? 1 : 0;
}

/* The codes of text in face style, one or two bytes each, escaped, at
 * out (4 bytes a character reserved). */
static char *
put_codes(char *out, const struct render_cut *cut, unsigned style,
    const char *text)
{
	const struct pdffont *pf = &cut->font[style];
	int32_t len = (int32_t)strlen(text), i = 0;

	while (i < len) {
		unsigned char a = (unsigned char)text[i];
		UChar32 ch;
		unsigned code;

		/* collect() put every character in the cut. */
		if (a < 0x80) {
			memcpy(out, cut->esc[style][a], 4);
			out += cut->esc_len[style][a];
			i++;
			continue;
		}
		U8_NEXT(text, i, len, ch);
		if (ch < 0)
			continue;
		code = pdffont_code(pf, (uint32_t)ch);
		if (!pf->one_byte)
			out += put_cid_byte(out, code >> 8);
		out += put_cid_byte(out, code & 0xFF);
	}
	return out;
}

/*
 * Draw the text item at it, with as many of the n - 1 items after it
 * as make one string with it; returns how many were drawn, 0 on error.
 */
static size_t
draw_text(struct pdf *p, HPDF_Page page, struct content *c,
    const struct litem *it, size_t n)
{
	unsigned style = it->style & 3;
	const struct pdffont *pf = &p->cut->font[style];
	long size = hundredths(it->size), pos[2], tw;
	size_t run, room = 8;
	char *out;

	if (!(it->size > 0.0 && it->size < 1000.0)) {
		p->bad = "a text size out of range";
		return 0;
	}
	if (!simple_text(p->fonts->face[style], it->text))
		return draw_shaped(p, page, c, it, p->face_lang);
	run = line_run(p, it, n, &tw);
	if (!c->in_text) {
		buf_adds(&c->b, "BT\n");
		c->in_text = true;
		c->x = c->y = 0;
	}
	if ((int)style != c->style || size != c->size) {
		const char *name = HPDF_Page_GetLocalFontName(page,
		    p->font[style]);

		if (name == NULL)
			return 0;
		font_op(&c->b, name, size);
		c->style = (int)style;
		c->size = size;
	}
	if (pf->one_byte && tw != c->tw) {
		tw_op(&c->b, tw);
		c->tw = tw;
	}
	pos[0] = hundredths(it->x) - c->x;
	pos[1] = hundredths(LAYOUT_PAGE_H - it->y) - c->y;
	nums(&c->b, pos, 2, "Td");
	c->x += pos[0];
	c->y += pos[1];
	/* Each character's code is at most two bytes, each escaped to at
	 * most two; a space between words is one. */
	for (size_t k = 0; k < run; k++)
		room += 4 * strlen(it[k].text) + 2;
	buf_reserve(&c->b, room);
	out = c->b.ptr + c->b.len;
	*out++ = '(';
	for (size_t k = 0; k < run; k++) {
		if (k > 0)
			*out++ = PDFFONT_SPACE;
		out = put_codes(out, p->cut, style, it[k].text);
	}
	memcpy(out, ")Tj\n", 4);
	buf_setlen(&c->b, (size_t)(out + 4 - c->b.ptr));
	return run;
}

static bool
item_ok(struct pdf *p, const struct litem *it)
{
	if (!isfinite(it->x) || !isfinite(it->y) || !isfinite(it->x2) ||
	    !isfinite(it->y2) || !isfinite(it->w) || fabs(it->x) > 1e5 ||
	    fabs(it->y) > 1e5 || fabs(it->x2) > 1e5 || fabs(it->y2) > 1e5) {
		p->bad = "a position off the page";
		return false;
	}
	return true;
}

/* A line, box, fill or check mark. */
static void
draw_item(struct content *c, const struct litem *it)
{
	double top = LAYOUT_PAGE_H;
	long v[4];

	switch (it->kind) {
	case LI_TEXT:	/* draw_items() */
		return;
	case LI_LINE:
		end_text(c);
		line_width(c, it->w > 0 ? it->w : 0.5);
		v[0] = hundredths(it->x);
		v[1] = hundredths(top - it->y);
		nums(&c->b, v, 2, "m");
		v[0] = hundredths(it->x2);
		v[1] = hundredths(top - it->y2);
		nums(&c->b, v, 2, "l S");
		return;
	case LI_RECT:
	case LI_FILL:
		end_text(c);
		if (it->kind == LI_RECT)
			line_width(c, it->w > 0 ? it->w : 0.75);
		v[0] = hundredths(it->x);
		v[1] = hundredths(top - it->y2);
		v[2] = hundredths(it->x2 - it->x);
		v[3] = hundredths(it->y2 - it->y);
		nums(&c->b, v, 4, it->kind == LI_RECT ? "re S" : "re f");
		return;
	case LI_CHECK: {
		/* An X across the box, inset a little. */
		double in = (it->x2 - it->x) * 0.2;

		end_text(c);
		line_width(c, 1.2);
		v[0] = hundredths(it->x + in);
		v[1] = hundredths(top - it->y - in);
		nums(&c->b, v, 2, "m");
		v[0] = hundredths(it->x2 - in);
		v[1] = hundredths(top - it->y2 + in);
		nums(&c->b, v, 2, "l");
		v[0] = hundredths(it->x + in);
		v[1] = hundredths(top - it->y2 + in);
		nums(&c->b, v, 2, "m");
		v[0] = hundredths(it->x2 - in);
		v[1] = hundredths(top - it->y - in);
		nums(&c->b, v, 2, "l S");
		return;
	}
	}
}

/* /ID [<md5> <md5>] from the content, instead of libharu's none. */
static bool
set_file_id(struct pdf *p)
{
	HPDF_BYTE digest[16];
	HPDF_Array id;

	md5_final(&p->md5, digest);
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
	d->ind = '+';	/* UTC (+00'00'), midnight: no clock in the file */
}

/*
 * A PDF text string: UTF-16BE with a byte order mark (ISO 32000-1,
 * 7.9.2.2), as a binary string.  libharu can do this only through its
 * UTF-8 encoder, whose set-up (65,536-entry tables) costs more than the
 * rest of a small document.
 */
static HPDF_Obj_Header *
text_string(struct pdf *p, const char *utf8)
{
	struct buf b = BUF_INIT;
	HPDF_Binary s;
	const char *c = utf8;

	/* Printable ASCII is the same in PDFDocEncoding: a literal string,
	 * a third of the size. */
	while (*c >= 0x20 && *c <= 0x7e)
		c++;
	if (*c == '\0')
		return (HPDF_Obj_Header *)HPDF_String_New(p->doc->mmgr, utf8,
		    NULL);
	utext_utf16be(&b, utf8);
	s = HPDF_Binary_New(p->doc->mmgr, (HPDF_BYTE *)b.ptr, (HPDF_UINT)b.len);
	buf_free(&b);
	return (HPDF_Obj_Header *)s;
}

static bool
set_text(struct pdf *p, HPDF_Dict d, const char *key, const char *utf8)
{
	HPDF_Obj_Header *s = text_string(p, utf8);

	return s != NULL && HPDF_Dict_Add(d, key, s) == HPDF_OK;
}

#define PRODUCER	"Haru Free PDF Library " HPDF_VERSION_TEXT

/*
 * The XMP metadata stream of the catalog, uncompressed (PDF/A-1,
 * 6.7.2), with the information dictionary's values.
 */
static bool
set_metadata(struct pdf *p, const struct render_meta *m)
{
	struct xmp_meta x;
	struct buf b = BUF_INIT;
	HPDF_Dict d;
	bool ok;

	x.title = m->title;
	x.author = m->author;
	x.subject = m->subject;
	x.keywords = m->keywords;
	x.creator_tool = m->creator;
	x.producer = PRODUCER;
	x.date = m->date;
	xmp_write(&b, &x);
	d = stream_dict(p);
	ok = d != NULL &&
	    HPDF_Dict_AddName(d, "Type", "Metadata") == HPDF_OK &&
	    HPDF_Dict_AddName(d, "Subtype", "XML") == HPDF_OK &&
	    set_data(p, d, b.ptr, b.len, false) &&
	    HPDF_Dict_Add(p->doc->catalog, "Metadata", d) == HPDF_OK;
	buf_free(&b);
	return ok;
}

/*
 * The sRGB output intent (PDF/A-1, 6.2.2): the device colours the pages
 * use (gray) are then device-independent.  One profile per file,
 * compressed at build time.
 */
static bool
set_output_intent(struct pdf *p)
{
	HPDF_MMgr mm = p->doc->mmgr;
	HPDF_Dict oi = HPDF_Dict_New(mm), prof;
	HPDF_Array v = HPDF_Array_New(mm);
	bool ok;

	if (oi == NULL || v == NULL)
		return false;
	prof = stream_z(p, icc_srgb_z, icc_srgb_z_len);
	ok = prof != NULL &&
	    HPDF_Dict_AddNumber(prof, "N", 3) == HPDF_OK &&
	    HPDF_Dict_AddName(oi, "Type", "OutputIntent") == HPDF_OK &&
	    HPDF_Dict_AddName(oi, "S", "GTS_PDFA1") == HPDF_OK &&
	    HPDF_Dict_Add(oi, "OutputConditionIdentifier", HPDF_String_New(mm,
	    "sRGB IEC61966-2.1", NULL)) == HPDF_OK &&
	    HPDF_Dict_Add(oi, "Info", HPDF_String_New(mm,
	    "sRGB IEC61966-2.1", NULL)) == HPDF_OK &&
	    HPDF_Dict_Add(oi, "DestOutputProfile", prof) == HPDF_OK &&
	    HPDF_Array_Add(v, oi) == HPDF_OK &&
	    HPDF_Dict_Add(p->doc->catalog, "OutputIntents", v) == HPDF_OK;
	return ok;
}

static bool
set_info(struct pdf *p, const struct render_meta *m)
{
	HPDF_Date d;
	HPDF_Dict info;

	pdf_date(&d, m->date);
	hash(p, m->title, strlen(m->title));
	/* The dates first: that makes libharu create the info dictionary. */
	if (HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_CREATION_DATE, d) !=
	    HPDF_OK ||
	    HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_MOD_DATE, d) != HPDF_OK ||
	    (info = p->doc->info) == NULL)
		return false;
	return set_text(p, info, "Title", m->title) &&
	    set_text(p, info, "Subject", m->subject) &&
	    set_text(p, info, "Author", m->author) &&
	    set_text(p, info, "Creator", m->creator) &&
	    set_text(p, info, "Producer", PRODUCER) &&
	    (m->keywords == NULL || m->keywords[0] == '\0' ||
	    set_text(p, info, "Keywords", m->keywords)) &&
	    set_metadata(p, m);
}

/* ---- tagging ------------------------------------------------------ */

static const char *const role_name[] = {
	[LR_P] = "P", [LR_H1] = "H1", [LR_H2] = "H2", [LR_H3] = "H3",
	[LR_L] = "L", [LR_LI] = "LI", [LR_LBL] = "Lbl", [LR_LBODY] = "LBody",
	[LR_TABLE] = "Table", [LR_TR] = "TR", [LR_TH] = "TH", [LR_TD] = "TD",
	[LR_FIGURE] = "Figure"
};

/* The tree's id of element e (1-based) of the document drawn, made
 * with its ancestors the first time. */
static size_t
tag_elem(struct pdf *p, size_t e)
{
	const struct lelem *le;
	size_t parent, id;

	if (e == 0 || e > p->ld->nelems)
		return 0;
	if (p->emap[e - 1] != 0)
		return p->emap[e - 1];
	le = &p->ld->elems[e - 1];
	/* Parents come first (layout.c), so this recursion ends. */
	parent = le->parent != 0 && le->parent < e ?
	    tag_elem(p, le->parent) : p->sect;
	id = pdftag_elem(p->tag, (unsigned)le->role < sizeof(role_name) /
	    sizeof(role_name[0]) ? role_name[le->role] : "P", parent);
	if (le->alt != NULL)
		pdftag_set(p->tag, id, PDFTAG_ALT, le->alt);
	pdftag_get(p->tag, id)->th_col = le->role == LR_TH;
	return p->emap[e - 1] = id;
}

/* The tree's id of what item it belongs to; 0 for an artifact. */
static size_t
item_tag(struct pdf *p, const struct litem *it)
{
	if (it->artifact || p->ld == NULL)
		return 0;
	if (it->elem != 0)
		return tag_elem(p, it->elem);
	if (p->loose == 0)
		p->loose = pdftag_elem(p->tag, "P", p->sect);
	return p->loose;
}

/*
 * The /Lang a text item needs of its own: a name in its bearer's
 * language (DRUN_LANG) where that is not the document's (primary
 * subtags compared: "es-MX" in a Spanish letter needs none).
 */
static const char *
item_lang(const struct pdf *p, const struct litem *it)
{
	const char *nl = p->ld != NULL ? p->ld->name_lang : NULL;
	size_t n;

	if (nl == NULL || !(it->style & DRUN_LANG) || it->artifact ||
	    it->kind != LI_TEXT)
		return NULL;
	n = strcspn(nl, "-_");
	if (strlen(p->ld->lang) == n && strncasecmp(nl, p->ld->lang, n) == 0)
		return NULL;
	return nl;
}

/* Marked content for id from here on: no sequence crosses BT ... ET. */
static void
mark(struct pdf *p, struct content *c, size_t id)
{
	if (pdftag_is_open(p->tag, id))
		return;
	end_text(c);
	pdftag_mark(p->tag, &c->b, id);
}

/*
 * /ActualText for the glyphs drawn between these two calls (a
 * right-to-left ligature cluster): the current element's marked content
 * ends, a Span child with its own MCID carries the text, and the
 * element's marked content resumes under a new MCID afterwards.  Both
 * end the text object (c->in_text false): the next string starts a new
 * BT with an absolute position.  False when nothing tagged is open
 * (an artifact): then the glyphs need no /ActualText.
 */
static bool
actualtext_begin(struct pdf *p, struct content *c, const char *actual_utf8)
{
	end_text(c);
	return pdftag_span_begin(p->tag, &c->b, actual_utf8);
}

static void
actualtext_end(struct pdf *p, struct content *c)
{
	end_text(c);
	pdftag_span_end(p->tag, &c->b);
}

/* Draw n items; consecutive words of a line become one string, within
 * one structure element. */
static bool
draw_items(struct pdf *p, HPDF_Page page, struct content *c,
    const struct litem *items, size_t n)
{
	size_t k = 0;

	while (k < n) {
		const struct litem *it = &items[k];
		size_t used = 1, same = 1;

		if (!item_ok(p, it))
			return false;
		const char *lang = item_lang(p, it);
		bool in_lang;

		mark(p, c, item_tag(p, it));
		while (k + same < n && items[k + same].elem == it->elem &&
		    items[k + same].artifact == it->artifact)
			same++;
		/* A name in its own language: a Span with its /Lang (the
		 * string drawn holds items of one style only). */
		if (lang != NULL)
			end_text(c);
		in_lang = lang != NULL && pdftag_lang_begin(p->tag, &c->b,
		    lang);
		if (it->kind == LI_TEXT && it->text != NULL &&
		    it->text[0] != '\0') {
			if ((used = draw_text(p, page, c, it, same)) == 0)
				return false;
		} else
			draw_item(c, it);
		if (in_lang) {
			end_text(c);
			pdftag_lang_end(p->tag, &c->b);
		}
		k += used;
	}
	return true;
}

/* The packet's own page number, small, centred at the foot. */
static bool
stamp(struct pdf *p, HPDF_Page page, struct content *c, const char *fmt,
    size_t n, size_t total)
{
	struct litem it;
	char text[128];

	memset(&it, 0, sizeof(it));
	snprintf(text, sizeof(text), fmt, n, total);
	it.kind = LI_TEXT;
	it.artifact = true;
	it.size = 7;
	it.text = text;
	it.x = (LAYOUT_PAGE_W - font_text_width(p->fonts->face[0], text, 7)) /
	    2;
	it.y = LAYOUT_PAGE_H - 16;
	return draw_items(p, page, c, &it, 1);
}

/* Draw one page into c and hand the bytes to the page's content stream. */
static bool
draw_page(struct pdf *p, HPDF_Page page, const struct lpage *pg,
    const char *stamp_fmt, size_t n, size_t total, struct content *c)
{
	HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;

	buf_reset(&c->b);
	c->in_text = false;
	c->style = -1;
	c->size = 0;
	c->line_w = -1;
	c->tw = 0;
	pdftag_page(p->tag, n - 1);
	if (HPDF_Dict_AddNumber(page, "StructParents", (HPDF_INT32)(n - 1)) !=
	    HPDF_OK || HPDF_Dict_AddName(page, "Tabs", "S") != HPDF_OK)
		return false;
	if (!draw_items(p, page, c, pg->items, pg->n))
		return false;
	if (stamp_fmt != NULL && !stamp(p, page, c, stamp_fmt, n, total))
		return false;
	end_text(c);
	pdftag_end(p->tag, &c->b);
	hash(p, c->b.ptr, c->b.len);
	if (!put_flate(p, attr->contents, c->b.ptr, c->b.len))
		return false;
	attr->stream = attr->contents->stream;	/* the page's, replaced */
	return true;
}

/*
 * A bookmark's /Dest as a direct [page /Fit] array: libharu makes it an
 * object of its own, which PDFBox's PDF/A validator cannot read as a
 * destination.
 */
static bool
set_dest(struct pdf *p, HPDF_Outline ol, HPDF_Page page)
{
	HPDF_Array a = HPDF_Array_New(p->doc->mmgr);

	return a != NULL && HPDF_Dict_Add(ol, "Dest", a) == HPDF_OK &&
	    HPDF_Array_Add(a, page) == HPDF_OK &&
	    HPDF_Array_AddName(a, "Fit") == HPDF_OK;
}

/* The file's language: its first document's. */
static const char *
doc_lang(const struct render_doc *docs, size_t ndocs)
{
	return ndocs > 0 && docs[0].doc->lang != NULL ? docs[0].doc->lang :
	    "en";
}

static bool
draw_docs(struct pdf *p, const struct render_doc *docs, size_t ndocs,
    const char *stamp_fmt)
{
	struct content c;
	HPDF_UINT page_index = 0;
	size_t total = 0;
	bool ok = true;

	for (size_t d = 0; d < ndocs; d++)
		total += docs[d].doc->npages;
	p->pages = xcalloc(total ? total : 1, sizeof(*p->pages));
	memset(&c, 0, sizeof(c));
	buf_init(&c.b);
	for (size_t d = 0; d < ndocs && ok; d++) {
		const struct ldoc *ld = docs[d].doc;
		/* One top-level bookmark per document. */
		p->face_lang = ld->face_lang;
		HPDF_Outline ol = HPDF_CreateOutline(p->doc, NULL, "", NULL);

		/* One Sect per document, with its language where it is not
		 * the catalog's (the bookmark has its title). */
		p->ld = ld;
		p->sect = pdftag_elem(p->tag, "Sect", 1);
		if (ld->lang != NULL && strcmp(ld->lang, doc_lang(docs,
		    ndocs)) != 0)
			pdftag_set(p->tag, p->sect, PDFTAG_LANG, ld->lang);
		free(p->emap);
		p->emap = xcalloc(ld->nelems ? ld->nelems : 1,
		    sizeof(*p->emap));
		p->loose = 0;

		hash(p, ld->title, strlen(ld->title));
		/* Open, so that a bookmark inside it shows at once. */
		if (ol != NULL && ld->nmarks > 0)
			HPDF_Outline_SetOpened(ol, HPDF_TRUE);
		ok = ol != NULL && set_text(p, ol, "Title", ld->title) &&
		    HPDF_AddPageLabel(p->doc, page_index,
		    HPDF_PAGE_NUM_STYLE_DECIMAL, 1, docs[d].label) == HPDF_OK;
		for (size_t i = 0; i < ld->npages && ok; i++) {
			HPDF_Page page = HPDF_AddPage(p->doc);

			if (page != NULL && p->npages < total)
				p->pages[p->npages++] = page;

			ok = page != NULL && HPDF_Page_SetSize(page,
			    HPDF_PAGE_SIZE_LETTER, HPDF_PAGE_PORTRAIT) ==
			    HPDF_OK;
			if (ok && i == 0)
				ok = set_dest(p, ol, page);
			/* Bookmarks inside the document, under its own. */
			for (size_t k = 0; k < ld->nmarks && ok; k++) {
				HPDF_Outline kid;

				if (ld->marks[k].page != i)
					continue;
				kid = HPDF_CreateOutline(p->doc, ol, "", NULL);
				hash(p, ld->marks[k].title,
				    strlen(ld->marks[k].title));
				ok = kid != NULL && set_text(p, kid, "Title",
				    ld->marks[k].title) &&
				    set_dest(p, kid, page);
			}
			page_index++;
			ok = ok && draw_page(p, page, &ld->pages[i], stamp_fmt,
			    page_index, total, &c);
		}
	}
	buf_free(&c.b);
	return ok;
}

/* ---- the structure tree's objects --------------------------------- */

/*
 * Structure elements are a packet's most numerous objects.  Built as
 * libharu objects, each key and value is an allocation (names copied
 * into 128-byte arrays, references into proxies) and each is written a
 * few bytes at a time.  So an element's dictionary holds no entries:
 * its write_fn writes them when libharu saves (its object numbers are
 * known by then), without the spaces and line ends libharu puts between
 * entries: PDF/A-1 allows no object streams, so each of a packet's some
 * 330 elements is a plain object, and the spaces were 2 KB of it.
 * Elements with attributes keep /S, /P and those as entries (written
 * first); /K and /Pg, added last, are always written here.
 */
struct tagw {
	struct pdf	*p;
	size_t		 id;	/* 0: the parent tree's /Nums */
	bool		 head;	/* /S and /P written here too */
};

/* Room raw_kids() needs at most per kid, and besides. */
#define RAW_KID		80
#define RAW_FIXED	128

/* /K (and /Pg) of element e, as elem_kids() built them: one kid is
 * written without an array. */
static char *
raw_kids(const struct pdf *p, const struct pdftag_elem *e, char *o)
{
	HPDF_Page pg = NULL;

	if (e->nkids == 1 && e->kids[0].elem != 0) {
		o = str_at(o, "/K ");
		return ref_at(o, p->tobj[e->kids[0].elem - 1]);
	}
	if (e->nkids == 1 && e->kids[0].page < p->npages) {
		o = str_at(o, "/Pg ");
		o = ref_at(o, p->pages[e->kids[0].page]);
		o = str_at(o, "/K ");
		return dec_at(o, (long)e->kids[0].mcid);
	}
	o = str_at(o, "/K[");
	for (size_t i = 0; i < e->nkids; i++) {
		const struct pdftag_kid *kid = &e->kids[i];

		if (i > 0)
			*o++ = ' ';
		if (kid->elem != 0)
			o = ref_at(o, p->tobj[kid->elem - 1]);
		else {
			if (pg == NULL)
				pg = p->pages[kid->page];
			if (p->pages[kid->page] == pg)
				o = dec_at(o, (long)kid->mcid);
			else {
				/* Marked content on another page. */
				o = str_at(o, "<</Type/MCR/Pg ");
				o = ref_at(o, p->pages[kid->page]);
				o = str_at(o, "/MCID ");
				o = dec_at(o, (long)kid->mcid);
				o = str_at(o, ">>");
			}
		}
	}
	*o++ = ']';
	if (pg != NULL) {
		o = str_at(o, "/Pg ");
		o = ref_at(o, pg);
	}
	return o;
}

/* The parent tree's /Nums: page index -> its MCIDs' elements. */
static void
raw_nums(const struct pdf *p, struct buf *b)
{
	size_t room = RAW_FIXED;
	char *o;

	for (size_t pg = 0; pg < p->npages; pg++) {
		size_t nm;

		(void)pdftag_page_mcids(p->tag, pg, &nm);
		room += 32 + 18 * nm;
	}
	buf_reserve(b, room);
	o = str_at(b->ptr, "/Nums[");
	for (size_t pg = 0; pg < p->npages; pg++) {
		size_t nm;
		const size_t *m = pdftag_page_mcids(p->tag, pg, &nm);

		if (pg > 0)
			*o++ = ' ';
		o = dec_at(o, (long)pg);
		*o++ = '[';
		for (size_t i = 0; i < nm; i++) {
			if (i > 0)
				*o++ = ' ';
			o = ref_at(o, p->tobj[m[i] - 1]);
		}
		*o++ = ']';
	}
	*o++ = ']';
	buf_setlen(b, (size_t)(o - b->ptr));
}

static HPDF_STATUS
write_elem(HPDF_Dict d, HPDF_Stream out)
{
	const struct tagw *w = d->attr;
	struct pdf *p = w->p;
	struct buf *b = &p->raw;

	buf_reset(b);
	if (w->id == 0)
		raw_nums(p, b);
	else {
		const struct pdftag_elem *e = pdftag_get(p->tag, w->id);
		char *o;

		buf_reserve(b, RAW_FIXED + strlen(e->role) +
		    RAW_KID * e->nkids);
		o = b->ptr;
		if (w->head) {
			o = str_at(o, "/S/");
			o = str_at(o, e->role);
			o = str_at(o, "/P ");
			o = ref_at(o, e->parent ? p->tobj[e->parent - 1] :
			    p->troot);
		}
		o = raw_kids(p, e, o);
		buf_setlen(b, (size_t)(o - b->ptr));
	}
	return HPDF_Stream_Write(out, (const HPDF_BYTE *)b->ptr,
	    (HPDF_UINT)b->len);
}

/* Whether raw_kids() can write e's kids: their pages exist. */
static bool
kids_ok(const struct pdf *p, const struct pdftag_elem *e)
{
	if (e->nkids == 1 && e->kids[0].elem != 0)
		return true;
	for (size_t i = 0; i < e->nkids; i++)
		if (e->kids[i].elem == 0 && e->kids[i].page >= p->npages)
			return false;
	return true;
}

/* Whether a role is written as is by libharu (no # escapes). */
static bool
plain_name(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

static bool
elem_attrs(struct pdf *p, HPDF_Dict d, const struct pdftag_elem *e,
    HPDF_Dict *scope)
{
	if ((e->alt != NULL && !set_text(p, d, "Alt", e->alt)) ||
	    (e->lang != NULL && HPDF_Dict_Add(d, "Lang", HPDF_String_New(
	    p->doc->mmgr, e->lang, NULL)) != HPDF_OK) ||
	    (e->actual != NULL && !set_text(p, d, "ActualText", e->actual)) ||
	    (e->title != NULL && !set_text(p, d, "T", e->title)))
		return false;
	if (!e->th_col)
		return true;
	/* One attribute object serves every header cell. */
	if (*scope == NULL && ((*scope = indirect_dict(p)) == NULL ||
	    HPDF_Dict_AddName(*scope, "O", "Table") != HPDF_OK ||
	    HPDF_Dict_AddName(*scope, "Scope", "Column") != HPDF_OK))
		return false;
	return HPDF_Dict_Add(d, "A", *scope) == HPDF_OK;
}

/*
 * The structure tree root, every element, the parent tree (page index
 * -> its MCIDs' elements) and the catalog's tagged-PDF entries.  The
 * elements' objects and writers stay in p until the file is saved.
 */
static bool
write_tags(struct pdf *p, const char *lang)
{
	size_t n = pdftag_count(p->tag);
	HPDF_Dict root, tree, mi, vp;
	HPDF_Dict scope = NULL;
	bool ok = (root = p->troot = indirect_dict(p)) != NULL &&
	    (tree = HPDF_Dict_New(p->doc->mmgr)) != NULL;

	p->tobj = xcalloc(n, sizeof(*p->tobj));
	p->tw = xcalloc(n + 1, sizeof(*p->tw));
	for (size_t i = 0; i < n && ok; i++)
		ok = (p->tobj[i] = indirect_dict(p)) != NULL;
	for (size_t id = 1; id <= n && ok; id++) {
		const struct pdftag_elem *e = pdftag_get(p->tag, id);
		HPDF_Dict d = p->tobj[id - 1];
		struct tagw *w = &p->tw[id];

		w->p = p;
		w->id = id;
		w->head = e->alt == NULL && e->lang == NULL &&
		    e->actual == NULL && e->title == NULL && !e->th_col &&
		    plain_name(e->role);
		/* /Type /StructElem is optional: left out, as bytes. */
		if (!w->head)
			ok = HPDF_Dict_AddName(d, "S", e->role) == HPDF_OK &&
			    HPDF_Dict_Add(d, "P", e->parent ?
			    p->tobj[e->parent - 1] : root) == HPDF_OK &&
			    elem_attrs(p, d, e, &scope);
		ok = ok && kids_ok(p, e);
		d->attr = w;
		d->write_fn = write_elem;
	}
	for (size_t pg = 0; pg < p->npages && ok; pg++) {
		size_t nm;
		const size_t *m = pdftag_page_mcids(p->tag, pg, &nm);

		for (size_t i = 0; i < nm && ok; i++)
			ok = m[i] >= 1 && m[i] <= n;
	}
	if (ok) {
		p->tw[0].p = p;
		tree->attr = &p->tw[0];
		tree->write_fn = write_elem;
	}
	ok = ok && HPDF_Dict_AddName(root, "Type", "StructTreeRoot") ==
	    HPDF_OK && HPDF_Dict_Add(root, "K", p->tobj[0]) == HPDF_OK &&
	    HPDF_Dict_Add(root, "ParentTree", tree) == HPDF_OK &&
	    HPDF_Dict_AddNumber(root, "ParentTreeNextKey",
	    (HPDF_INT32)p->npages) == HPDF_OK &&
	    (mi = HPDF_Dict_New(p->doc->mmgr)) != NULL &&
	    (vp = HPDF_Dict_New(p->doc->mmgr)) != NULL &&
	    HPDF_Dict_Add(mi, "Marked", HPDF_Boolean_New(p->doc->mmgr,
	    HPDF_TRUE)) == HPDF_OK &&
	    HPDF_Dict_Add(vp, "DisplayDocTitle", HPDF_Boolean_New(
	    p->doc->mmgr, HPDF_TRUE)) == HPDF_OK &&
	    HPDF_Dict_Add(p->doc->catalog, "StructTreeRoot", root) ==
	    HPDF_OK &&
	    HPDF_Dict_Add(p->doc->catalog, "MarkInfo", mi) == HPDF_OK &&
	    HPDF_Dict_Add(p->doc->catalog, "ViewerPreferences", vp) ==
	    HPDF_OK &&
	    HPDF_Dict_Add(p->doc->catalog, "Lang", HPDF_String_New(
	    p->doc->mmgr, lang, NULL)) == HPDF_OK;
	return ok;
}

/* libharu's writes, appended to the buf its stream carries. */
static HPDF_STATUS
out_write(HPDF_Stream s, const HPDF_BYTE *ptr, HPDF_UINT n)
{
	buf_add(s->attr, ptr, n);
	return HPDF_OK;
}

/*
 * Write the file into out.  libharu saves to the document's stream
 * (HPDF_SaveToStream makes a memory stream when there is none); its
 * memory stream copies a byte at a time, in and out again, so the
 * document is given a writer stream that appends to out instead.
 * libharu frees it with the document.
 */
static bool
save(struct pdf *p, struct buf *out)
{
	if (p->doc->stream != NULL ||	/* saved once already: not here */
	    (p->doc->stream = HPDF_CallbackWriter_New(p->doc->mmgr, out_write,
	    out)) == NULL)
		return false;
	return HPDF_SaveToStream(p->doc) == HPDF_OK;
}

/* Code points drawn per face: ASCII once each, others with their
 * duplicates (pdffont_cut() takes any order and duplicates). */
struct used {
	uint32_t	*v;
	size_t		 n;
	size_t		 cap;
	uint64_t	 ascii[2];	/* bit c: c is in v */
};

static void
used_add(struct used *u, uint32_t c)
{
	if (u->n == u->cap) {
		u->cap = u->cap ? u->cap * 2 : 256;
		u->v = xreallocarray(u->v, u->cap, sizeof(*u->v));
	}
	u->v[u->n++] = c;
}

static void
collect_text(struct used *u, const char *text)
{
	int32_t len = (int32_t)strlen(text), i = 0;

	while (i < len) {
		unsigned char a = (unsigned char)text[i];
		UChar32 c;

		if (a < 0x80) {
			i++;
			if (!(u->ascii[a >> 6] >> (a & 63) & 1)) {
				u->ascii[a >> 6] |= (uint64_t)1 << (a & 63);
				used_add(u, a);
			}
			continue;
		}
		U8_NEXT(text, i, len, c);
		if (c > 0)
			used_add(u, (uint32_t)c);
	}
}

/* Glyphs a fontsel face draws, with what each stands for. */
struct gused {
	int			 slot;
	const struct fontsel_face *f;
	struct pdfg_use		*u;
	size_t			 n, cap;
};

struct gusedv {
	struct gused	*v;
	size_t		 n, cap;
};

static struct gused *
gused_of(struct gusedv *gv, const struct shape_run *r)
{
	for (size_t i = 0; i < gv->n; i++)
		if (gv->v[i].slot == r->face)
			return &gv->v[i];
	if (gv->n == gv->cap) {
		gv->cap = gv->cap ? gv->cap * 2 : 4;
		gv->v = xreallocarray(gv->v, gv->cap, sizeof(*gv->v));
	}
	memset(&gv->v[gv->n], 0, sizeof(gv->v[0]));
	gv->v[gv->n].slot = r->face;
	gv->v[gv->n].f = r->f;
	return &gv->v[gv->n++];
}

/* The glyphs of a shaped text item (draw_shaped() draws the same). */
static void
collect_shaped(struct gusedv *gv, const struct render_fonts *fonts,
    const char *text, unsigned style, unsigned lang, unsigned dir)
{
	struct shape_line sl;

	shape_text_dir(fonts->sel, text, strlen(text), style & 3, lang,
	    (enum shape_dir)dir, &sl);
	for (size_t r = 0; r < sl.nr; r++) {
		struct gused *u = gused_of(gv, &sl.r[r]);

		for (size_t i = sl.r[r].first; i < sl.r[r].first + sl.r[r].n;
		    i++) {
			uint32_t ts, tl;

			glyph_text(sl.r[r].f, text, &sl.g[i], &ts, &tl);
			if (u->n == u->cap) {
				u->cap = u->cap ? u->cap * 2 : 64;
				u->u = xreallocarray(u->u, u->cap,
				    sizeof(*u->u));
			}
			u->u[u->n].gid = sl.g[i].gid;
			u->u[u->n].text = text + ts;
			u->u[u->n++].len = tl;
		}
	}
	shape_free(&sl);
}

/* The code points each face draws, before any font is embedded. */
static void
collect(struct used used[4], struct gusedv *gv,
    const struct render_fonts *fonts, const struct render_doc *docs,
    size_t ndocs, const char *stamp_fmt)
{
	for (size_t d = 0; d < ndocs; d++)
		for (size_t i = 0; i < docs[d].doc->npages; i++) {
			const struct lpage *pg = &docs[d].doc->pages[i];

			for (size_t k = 0; k < pg->n; k++) {
				const struct litem *it = &pg->items[k];

				if (it->kind != LI_TEXT || it->text == NULL)
					continue;
				if (simple_text(fonts->face[it->style & 3],
				    it->text))
					collect_text(&used[it->style & 3],
					    it->text);
				else
					collect_shaped(gv, fonts, it->text,
					    it->style, docs[d].doc->face_lang,
					    it->dir);
			}
		}
	if (stamp_fmt != NULL) {
		collect_text(&used[0], stamp_fmt);
		collect_text(&used[0], "0123456789");
	}
	/* Words of a line are joined with spaces (draw_text). */
	for (int s = 0; s < 4; s++)
		if (used[s].n > 0)
			collect_text(&used[s], " ");
}

static int
gused_cmp(const void *a, const void *b)
{
	const struct gused *x = a, *y = b;

	return (x->slot > y->slot) - (x->slot < y->slot);
}

/* The /CIDSet of a code point cut: CID 0 and every code in use. */
static void
code_cidset(const struct pdffont *pf, struct buf *out)
{
	for (size_t c = 0; c < pf->ncodes; c++) {
		if (c / 8 >= out->len)
			buf_addc(out, 0);
		if (c == 0 || pf->code_cp[c] != 0)
			out->ptr[c / 8] = (char)((unsigned char)
			    out->ptr[c / 8] | (0x80u >> (c % 8)));
	}
}

void
render_cut_free(struct render_cut *cut)
{
	if (cut == NULL)
		return;
	for (int s = 0; s < 4; s++) {
		pdffont_free(&cut->font[s]);
		buf_free(&cut->zfile[s]);
		buf_free(&cut->zmap[s]);
		buf_free(&cut->ztu[s]);
		buf_free(&cut->zset[s]);
	}
	for (size_t i = 0; i < cut->ng; i++) {
		pdfgfont_free(&cut->g[i].pf);
		buf_free(&cut->g[i].zfile);
		buf_free(&cut->g[i].zmap);
		buf_free(&cut->g[i].ztu);
		buf_free(&cut->g[i].zset);
	}
	free(cut->g);
	free(cut);
}

static bool
cut_glyphs(struct render_cut *cut, struct gusedv *gv,
    struct libdeflate_compressor *z, char **err)
{
	if (gv->n > 0)
		qsort(gv->v, gv->n, sizeof(*gv->v), gused_cmp);
	cut->g = xcalloc(gv->n ? gv->n : 1, sizeof(*cut->g));
	for (size_t i = 0; i < gv->n; i++) {
		struct gcut *g = &cut->g[i];

		g->slot = gv->v[i].slot;
		g->f = gv->v[i].f;
		if (!pdfgfont_cut(&g->pf, g->f, gv->v[i].u, gv->v[i].n, err))
			return false;
		cut->ng = i + 1;
		if (!(flate(z, g->pf.file.ptr, g->pf.file.len, &g->zfile) &&
		    flate(z, g->pf.cid_to_gid.ptr, g->pf.cid_to_gid.len,
		    &g->zmap) && flate(z, g->pf.to_unicode.ptr,
		    g->pf.to_unicode.len, &g->ztu) && flate(z,
		    g->pf.cidset.ptr, g->pf.cidset.len, &g->zset))) {
			*err = xstrdup("libdeflate failed");
			return false;
		}
	}
	return true;
}

/* The cut's escaped codes of ASCII characters in face style. */
static void
ascii_esc(struct render_cut *cut, unsigned style)
{
	const struct pdffont *pf = &cut->font[style];

	for (unsigned c = 0; c < 128; c++) {
		char *o = cut->esc[style][c];
		size_t n = 0;

		if (!pf->one_byte)
			n = put_cid_byte(o, pf->ascii[c] >> 8);
		n += put_cid_byte(o + n, pf->ascii[c] & 0xFF);
		cut->esc_len[style][c] = (unsigned char)n;
	}
}

struct render_cut *
render_cut_new(const struct render_doc *docs, size_t ndocs,
    const struct render_fonts *fonts, const char *stamp_fmt, char **err)
{
	struct render_cut *cut = xcalloc(1, sizeof(*cut));
	struct libdeflate_compressor *z;
	struct used used[4];
	struct gusedv gv = { NULL, 0, 0 };
	bool ok = true;

	if ((z = libdeflate_alloc_compressor(FLATE_LEVEL)) == NULL) {
		*err = xstrdup("libdeflate could not start");
		free(cut);
		return NULL;
	}
	memset(used, 0, sizeof(used));
	collect(used, &gv, fonts, docs, ndocs, stamp_fmt);
	for (unsigned s = 0; s < 4 && ok; s++) {
		struct pdffont *pf = &cut->font[s];
		struct buf set = BUF_INIT;

		if (used[s].n == 0)
			continue;
		pthread_mutex_lock(&fonts->cut_lock[s]);
		ok = pdffont_cut(pf, fonts->face[s], fonts->hb_face[s],
		    used[s].v, used[s].n, err);
		pthread_mutex_unlock(&fonts->cut_lock[s]);
		if (ok) {
			code_cidset(pf, &set);
			ascii_esc(cut, s);
		}
		if (ok && !(flate(z, pf->file.ptr, pf->file.len,
		    &cut->zfile[s]) && flate(z, pf->cid_to_gid.ptr,
		    pf->cid_to_gid.len, &cut->zmap[s]) && flate(z,
		    pf->to_unicode.ptr, pf->to_unicode.len, &cut->ztu[s]) &&
		    flate(z, set.ptr, set.len, &cut->zset[s]))) {
			*err = xstrdup("libdeflate failed");
			ok = false;
		}
		buf_free(&set);
	}
	ok = ok && cut_glyphs(cut, &gv, z, err);
	for (int s = 0; s < 4; s++)
		free(used[s].v);
	for (size_t i = 0; i < gv.n; i++)
		free(gv.v[i].u);
	free(gv.v);
	libdeflate_free_compressor(z);
	if (!ok) {
		render_cut_free(cut);
		return NULL;
	}
	return cut;
}

size_t
render_cut_faces(const struct render_cut *cut, struct render_face *v,
    size_t max)
{
	size_t i;

	for (i = 0; i < cut->ng && i < max; i++) {
		v[i].file = cut->g[i].f->path;
		v[i].index = cut->g[i].f->index;
		v[i].sha256 = cut->g[i].f->sha256;
	}
	return cut->ng;
}

bool
render_cut_uses(const struct render_cut *cut, unsigned style)
{
	return style < 4 && cut->font[style].n > 0;
}

/* The font objects of every face the cut has. */
static bool
make_fonts(struct pdf *p)
{
	p->ww = xcalloc(4 + p->cut->ng, sizeof(*p->ww));
	for (unsigned s = 0; s < 4; s++)
		if (p->cut->font[s].n > 0 &&
		    (p->font[s] = type0_font(p, s)) == NULL)
			return false;
	p->gfont = xcalloc(p->cut->ng ? p->cut->ng : 1, sizeof(*p->gfont));
	for (size_t i = 0; i < p->cut->ng; i++)
		if ((p->gfont[i] = glyph_font(p, &p->cut->g[i],
		    &p->ww[4 + i])) == NULL)
			return false;
	return true;
}

bool
render_pdf(const struct render_doc *docs, size_t ndocs,
    const struct render_fonts *fonts, const struct render_cut *cut,
    const struct render_meta *meta, struct buf *out, char **err)
{
	struct render_cut *own = NULL;
	struct pdf p;
	struct arena arena = { NULL, NULL, 0 }, *prev;
	struct buf tmp = BUF_INIT;
	char *ferr = NULL;
	bool ok;

	if (cut == NULL && (cut = own = render_cut_new(docs, ndocs, fonts,
	    meta->page_stamp, &ferr)) == NULL) {
		*err = xasprintf("the fonts could not be embedded: %s", ferr);
		free(ferr);
		return false;
	}
	memset(&p, 0, sizeof(p));
	p.fonts = fonts;
	p.cut = cut;
	md5_init(&p.md5);
	buf_init(&p.zbuf);
	buf_init(&p.raw);
	if ((p.z = libdeflate_alloc_compressor(FLATE_LEVEL)) == NULL) {
		*err = xstrdup("libdeflate could not start");
		render_cut_free(own);
		return false;
	}
	prev = hpdf_arena;
	hpdf_arena = &arena;
	if ((p.doc = HPDF_NewEx(on_error, arena_alloc, arena_release, 0,
	    &p.err)) == NULL) {
		*err = xstrdup("the PDF library could not start");
		hpdf_arena = prev;
		arena_free(&arena);
		libdeflate_free_compressor(p.z);
		render_cut_free(own);
		return false;
	}
	p.tag = pdftag_new();
	/* Every stream is compressed here (put_flate), none by libharu. */
	ok = HPDF_SetCompressionMode(p.doc, HPDF_COMP_NONE) == HPDF_OK &&
	    HPDF_SetPageMode(p.doc, HPDF_PAGE_MODE_USE_OUTLINE) == HPDF_OK &&
	    set_info(&p, meta) && set_output_intent(&p) && make_fonts(&p) &&
	    draw_docs(&p, docs, ndocs, meta->page_stamp) &&
	    write_tags(&p, doc_lang(docs, ndocs)) &&
	    set_file_id(&p) && HPDF_GetError(p.doc) == HPDF_OK &&
	    save(&p, &tmp) && HPDF_GetError(p.doc) == HPDF_OK &&
	    p.err.error == 0;
	if (ok)
		buf_add(out, tmp.ptr, tmp.len);
	else if (p.bad != NULL)
		*err = xasprintf("the PDF writer refused %s", p.bad);
	else
		*err = xasprintf("the PDF library failed (error 0x%04X, detail "
		    "%u)", (unsigned)(p.err.error ? p.err.error :
		    HPDF_GetError(p.doc)), (unsigned)p.err.detail);
	buf_free(&tmp);
	free(p.gfont);
	buf_free(&p.zbuf);
	buf_free(&p.raw);
	free(p.tobj);
	free(p.tw);
	free(p.ww);
	libdeflate_free_compressor(p.z);
	HPDF_Free(p.doc);
	hpdf_arena = prev;
	arena_free(&arena);
	pdftag_free(p.tag);
	free(p.emap);
	free(p.pages);
	render_cut_free(own);
	return ok;
}
