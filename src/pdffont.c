/*
 * pdffont.c - a face cut down for one packet (see pdffont.h).
 *
 * Why not libharu's own TrueType embedding: for every document it
 * re-reads the whole font, looks all 65,536 BMP code points up in the
 * cmap for every face, writes a 128 KB CID-to-glyph map, and follows
 * composite glyphs one level only (measured with libharu 2.3.0 on Debian 12).  Here the subsetter
 * works from a face parsed once per run, and only the packet's own
 * characters are mapped.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <harfbuzz/hb.h>
#include <harfbuzz/hb-subset.h>
#include <unicode/utf8.h>
#include <unicode/utf16.h>

#include "rnpack/font.h"
#include "rnpack/fontsel.h"
#include "rnpack/pdffont.h"
#include "rnpack/xalloc.h"

/* Bits set in w.  By hand: without -mpopcnt, GCC calls libgcc for
 * __builtin_popcountll, which showed in profiles. */
static unsigned
popcount64(uint64_t w)
{
	w = w - ((w >> 1) & 0x5555555555555555ULL);
	w = (w & 0x3333333333333333ULL) + ((w >> 2) & 0x3333333333333333ULL);
	w = (w + (w >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
	return (unsigned)((w * 0x0101010101010101ULL) >> 56);
}

/* Tables a PDF viewer never reads from an embedded CIDFontType2. */
static const char *const dropped_tables[] = { "GSUB", "GPOS", "GDEF",
	"kern", "BASE", "JSTF", "MATH", "DSIG", "LTSH", "VDMX", "hdmx",
	"gasp", "name", NULL };

/*
 * Subset fonts in one PDF must have distinct tags (ISO 32000-1, 9.6.4),
 * and a print file merges many packets: the tag is six letters of an
 * FNV-1a hash of the face's name and the characters of the cut, so the
 * same cut always gets the same tag and different cuts differ.
 */
#define FNV_PRIME	1099511628211ULL

static uint64_t
fnv_mix(uint64_t h, uint64_t v)
{
	return (h ^ v) * FNV_PRIME;
}

/* The hash of a face's name, to which each cut mixes its own content. */
static uint64_t
fnv_name(const char *ps_name)
{
	uint64_t h = 1469598103934665603ULL;

	for (const char *s = ps_name; *s != '\0'; s++)
		h = fnv_mix(h, (unsigned char)*s);
	return h;
}

/* "ABCDEF+Name": six letters of h, then the face's name. */
static void
tag_name(char *out, size_t size, uint64_t h, const char *ps_name)
{
	char tag[7];

	for (int i = 0; i < 6; i++, h /= 26)
		tag[i] = (char)('A' + h % 26);
	tag[6] = '\0';
	snprintf(out, size, "%s+%s", tag, ps_name);
}

static void
set_name(struct pdffont *pf, const char *ps_name)
{
	uint64_t h = fnv_name(ps_name);

	for (size_t i = 0; i < pf->n; i++)
		h = fnv_mix(h, pf->cp[i]);
	tag_name(pf->name, sizeof(pf->name), h, ps_name);
}

/*
 * /ToUnicode: runs of consecutive CIDs whose code points are also
 * consecutive become one bfrange.  A range may only step through the
 * last byte of its codes (9.10.3), so runs stop at 256 boundaries of
 * either side; a CMap block holds at most 100 entries.
 */
/* Where the bfrange that starts at code c ends (exclusive). */
static size_t
range_end(const struct pdffont *pf, size_t c)
{
	size_t j = c + 1;

	while (j < pf->ncodes && pf->code_cp[j] != 0 &&
	    pf->code_cp[j] == pf->code_cp[j - 1] + 1 &&
	    (j & 0xFF) != 0 && (pf->code_cp[j] & 0xFF) != 0)
		j++;
	return j;
}

/* The next code from c on that has a character, or ncodes. */
static size_t
next_code(const struct pdffont *pf, size_t c)
{
	while (c < pf->ncodes && pf->code_cp[c] == 0)
		c++;
	return c;
}

/* v in upper-case hexadecimal, at least width digits, as printf's
 * %0*X: printf was most of the time of these CMaps. */
static void
put_hex(struct buf *b, size_t v, int width)
{
	static const char digit[] = "0123456789ABCDEF";
	char tmp[24], *end = tmp + sizeof(tmp), *p = end;

	do
		*--p = digit[v & 15];
	while ((v >>= 4) != 0);
	while (end - p < width)
		*--p = '0';
	buf_add(b, p, (size_t)(end - p));
}

/* "<lo> <hi> <cp>\n": one bfrange, codes of width digits. */
static void
put_range(struct buf *b, size_t lo, size_t hi, unsigned cp, int width)
{
	buf_addc(b, '<');
	put_hex(b, lo, width);
	buf_adds(b, "> <");
	put_hex(b, hi, width);
	buf_adds(b, "> <");
	put_hex(b, cp, 4);
	buf_adds(b, ">\n");
}

static void
make_to_unicode(struct pdffont *pf)
{
	struct buf *b = &pf->to_unicode;
	int width = pf->one_byte ? 2 : 4;
	size_t c = next_code(pf, 1);

	buf_adds(b, "/CIDInit /ProcSet findresource begin\n"
	    "12 dict begin\nbegincmap\n"
	    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
	    "/Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n"
	    "/CMapType 2 def\n1 begincodespacerange\n");
	buf_adds(b, pf->one_byte ? "<00> <FF>\n" : "<0000> <FFFF>\n");
	buf_adds(b, "endcodespacerange\n");
	while (c < pf->ncodes) {
		size_t count = 0;

		/* One block: up to 100 ranges, counted before it is written. */
		for (size_t k = c; k < pf->ncodes && count < 100; count++)
			k = next_code(pf, range_end(pf, k));
		buf_addf(b, "%zu beginbfrange\n", count);
		for (size_t r = 0; r < count; r++) {
			size_t j = range_end(pf, c);

			put_range(b, c, j - 1, (unsigned)pf->code_cp[c], width);
			c = next_code(pf, j);
		}
		buf_adds(b, "endbfrange\n");
	}
	buf_adds(b, "endcmap\nCMapName currentdict /CMap defineresource "
	    "pop\nend\nend\n");
}

/* The code of cp (see pdffont.h), from the bit set and its ranks. */
static unsigned
code_of(const struct pdffont *pf, uint32_t cp)
{
	uint64_t w, below;
	unsigned r;

	if (cp >= 0x10000)
		return 0;
	w = pf->bits[cp >> 6];
	below = w & (((uint64_t)1 << (cp & 63)) - 1);
	if (!(w >> (cp & 63) & 1))
		return 0;
	r = pf->rank[cp >> 6] + popcount64(below);
	if (!pf->one_byte)
		return r + 1;
	if (cp == ' ')
		return PDFFONT_SPACE;
	/* The space does not take a place among the others. */
	if (pf->has_space && cp > ' ')
		r--;
	return r + 1 < PDFFONT_SPACE ? r + 1 : r + 2;
}

/* Give every character its code (see pdffont.h). */
static void
assign_codes(struct pdffont *pf)
{
	pf->has_space = pf->bits[0] >> ' ' & 1;
	pf->one_byte = pf->n - pf->has_space <= 254;
	pf->ncodes = pf->one_byte ? 256 : pf->n + 1;
	pf->code_cp = xcalloc(pf->ncodes, sizeof(*pf->code_cp));
	for (size_t i = 0; i < pf->n; i++)
		pf->code_cp[code_of(pf, pf->cp[i])] = pf->cp[i];
	/* Most text is ASCII: its codes, looked up once per cut. */
	for (uint32_t c = 0; c < 128; c++)
		pf->ascii[c] = (uint16_t)code_of(pf, c);
	/* One-byte fonts end at their last code. */
	while (pf->ncodes > 1 && pf->code_cp[pf->ncodes - 1] == 0)
		pf->ncodes--;
}

static void
put16(struct buf *b, unsigned v)
{
	buf_addc(b, (char)(v >> 8 & 0xFF));
	buf_addc(b, (char)(v & 0xFF));
}

bool
pdffont_cut(struct pdffont *pf, const struct font *face, void *hb_face,
    const uint32_t *cp, size_t n, char **err)
{
	hb_subset_input_t *in;
	hb_subset_plan_t *plan = NULL;
	hb_face_t *sub = NULL;
	hb_blob_t *blob = NULL;
	const hb_map_t *old_to_new;
	const char *data;
	unsigned len = 0;
	bool ok = false;

	memset(pf, 0, sizeof(*pf));
	buf_init(&pf->file);
	buf_init(&pf->cid_to_gid);
	buf_init(&pf->to_unicode);
	/* A bit set sorts and deduplicates; its ranks give CIDs. */
	for (size_t i = 0; i < n; i++)
		if (cp[i] < 0x10000)
			pf->bits[cp[i] >> 6] |= (uint64_t)1 << (cp[i] & 63);
	for (size_t w = 0; w < 1024; w++) {
		pf->rank[w] = (uint16_t)pf->n;
		pf->n += popcount64(pf->bits[w]);
	}
	pf->cp = xreallocarray(NULL, pf->n ? pf->n : 1, sizeof(*pf->cp));
	for (size_t w = 0, k = 0; w < 1024; w++)
		for (uint64_t b = pf->bits[w]; b != 0; b &= b - 1)
			pf->cp[k++] = (uint32_t)(w << 6 |
			    (unsigned)__builtin_ctzll(b));

	if ((in = hb_subset_input_create_or_fail()) == NULL) {
		*err = xstrdup("HarfBuzz could not start a font subset");
		return false;
	}
	/* Our cmap reading decides the glyph (it also gave the widths the
	 * layout used); HarfBuzz's is given the characters too, so the cut
	 * font's own cmap covers them for text extractors. */
	for (size_t i = 0; i < pf->n; i++) {
		hb_set_add(hb_subset_input_unicode_set(in), pf->cp[i]);
		hb_set_add(hb_subset_input_glyph_set(in),
		    font_glyph(face, pf->cp[i]));
	}
	for (const char *const *t = dropped_tables; *t != NULL; t++)
		hb_set_add(hb_subset_input_set(in,
		    HB_SUBSET_SETS_DROP_TABLE_TAG), hb_tag_from_string(*t, 4));
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);

	plan = hb_subset_plan_create_or_fail(hb_face, in);
	if (plan != NULL)
		sub = hb_subset_plan_execute_or_fail(plan);
	if (sub != NULL)
		blob = hb_face_reference_blob(sub);
	data = blob != NULL ? hb_blob_get_data(blob, &len) : NULL;
	if (data != NULL && len > 0) {
		old_to_new = hb_subset_plan_old_to_new_glyph_mapping(plan);
		buf_add(&pf->file, data, len);
		assign_codes(pf);
		pf->width = xcalloc(pf->ncodes, sizeof(*pf->width));
		put16(&pf->cid_to_gid, 0);
		ok = true;
		for (size_t c = 1; c < pf->ncodes; c++) {
			hb_codepoint_t g = 0;

			if (pf->code_cp[c] != 0) {
				g = hb_map_get(old_to_new,
				    font_glyph(face, pf->code_cp[c]));
				pf->width[c] = font_advance(face,
				    pf->code_cp[c]);
			}
			if (g == HB_MAP_VALUE_INVALID || g > 0xFFFF)
				ok = false;
			put16(&pf->cid_to_gid, ok ? g : 0);
		}
		if (!ok)
			*err = xasprintf("HarfBuzz left a glyph out of the "
			    "cut of %s", font_info(face)->ps_name);
	} else
		*err = xasprintf("HarfBuzz could not cut %s down to the "
		    "packet's characters", font_info(face)->ps_name);
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
	hb_subset_plan_destroy(plan);
	hb_subset_input_destroy(in);
	if (!ok) {
		pdffont_free(pf);
		return false;
	}
	set_name(pf, font_info(face)->ps_name);
	make_to_unicode(pf);
	return true;
}

unsigned
pdffont_code(const struct pdffont *pf, uint32_t cp)
{
	return cp < 128 ? pf->ascii[cp] : code_of(pf, cp);
}

void
pdffont_free(struct pdffont *pf)
{
	if (pf == NULL)
		return;
	free(pf->cp);
	free(pf->code_cp);
	free(pf->width);
	buf_free(&pf->file);
	buf_free(&pf->cid_to_gid);
	buf_free(&pf->to_unicode);
	memset(pf, 0, sizeof(*pf));
}

/* ---- glyph cuts (shaped text) ----------------------------------------- */

static int
key_cmp(const void *a, const void *b)
{
	const struct pdfg_key *x = a, *y = b;
	uint32_t n = x->len < y->len ? x->len : y->len;
	int c;

	if (x->gid != y->gid)
		return x->gid < y->gid ? -1 : 1;
	if ((c = memcmp(x->text, y->text, n)) != 0)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return 0;
}

/* By gid, then first use: a CFF font has one CID per glyph. */
static int
key_cmp_first(const void *a, const void *b)
{
	const struct pdfg_key *x = a, *y = b;

	if (x->gid != y->gid)
		return x->gid < y->gid ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static unsigned
rd(const unsigned char *p, unsigned size)
{
	unsigned v = 0;

	while (size-- > 0)
		v = v << 8 | *p++;
	return v;
}

/* The end of the CFF INDEX at off, or 0 when it does not fit. */
static size_t
cff_index_end(const unsigned char *d, size_t len, size_t off,
    unsigned *count, size_t *data0, unsigned *osz)
{
	unsigned n, os;
	size_t last;

	if (off + 2 > len)
		return 0;
	if ((n = rd(d + off, 2)) == 0) {
		*count = 0;
		return off + 2;
	}
	if (off + 3 > len || (os = d[off + 2]) < 1 || os > 4 ||
	    off + 3 + (size_t)(n + 1) * os > len)
		return 0;
	*count = n;
	*osz = os;
	*data0 = off + 3 + (size_t)(n + 1) * os - 1;
	last = rd(d + off + 3 + (size_t)n * os, os);
	return *data0 + last <= len ? *data0 + last : 0;
}

/*
 * The CID of each glyph of a CID-keyed CFF font (its charset), into
 * cid[nglyphs]; false when the font is not one we can read.
 */
static bool
cff_cids(const unsigned char *d, size_t len, unsigned **cid, unsigned *ng)
{
	size_t off, data0 = 0, end, top, top_end;
	unsigned count = 0, osz = 1, charset = 0, charstrings = 0;
	long ops[48];
	int nops = 0;
	bool ros = false;

	if (len < 4)
		return false;
	off = d[2];				/* header size */
	if ((off = cff_index_end(d, len, off, &count, &data0, &osz)) == 0)
		return false;			/* Name INDEX */
	if ((end = cff_index_end(d, len, off, &count, &data0, &osz)) == 0 ||
	    count < 1)
		return false;			/* Top DICT INDEX */
	top = data0 + rd(d + off + 3, osz);
	top_end = data0 + rd(d + off + 3 + osz, osz);
	for (size_t p = top; p < top_end && p < len;) {
		unsigned b0 = d[p];

		if (b0 <= 21) {
			unsigned op = b0 == 12 && p + 1 < len ?
			    1200u + d[p + 1] : b0;

			p += b0 == 12 ? 2 : 1;
			if (op == 15 && nops > 0)
				charset = (unsigned)ops[nops - 1];
			else if (op == 17 && nops > 0)
				charstrings = (unsigned)ops[nops - 1];
			else if (op == 1230)
				ros = true;
			nops = 0;
			continue;
		}
		if (nops == 48)
			nops = 0;
		if (b0 == 28 && p + 2 < len) {
			ops[nops++] = (int16_t)rd(d + p + 1, 2);
			p += 3;
		} else if (b0 == 29 && p + 4 < len) {
			ops[nops++] = (int32_t)rd(d + p + 1, 4);
			p += 5;
		} else if (b0 == 30) {
			/* A real: skip its nibbles up to an 0xf. */
			for (p++; p < len && (d[p] & 0x0F) != 0x0F &&
			    (d[p] & 0xF0) != 0xF0; p++)
				continue;
			p++;
			ops[nops++] = 0;
		} else if (b0 >= 32 && b0 <= 246) {
			ops[nops++] = (long)b0 - 139;
			p++;
		} else if (b0 >= 247 && b0 <= 250 && p + 1 < len) {
			ops[nops++] = ((long)b0 - 247) * 256 + d[p + 1] + 108;
			p += 2;
		} else if (b0 >= 251 && b0 <= 254 && p + 1 < len) {
			ops[nops++] = -((long)b0 - 251) * 256 - d[p + 1] - 108;
			p += 2;
		} else
			return false;
	}
	(void)end;
	if (!ros || charset == 0 || charstrings == 0 ||
	    cff_index_end(d, len, charstrings, &count, &data0, &osz) == 0 ||
	    count == 0 || charset >= len)
		return false;
	*ng = count;
	*cid = xcalloc(count, sizeof(**cid));
	off = charset + 1;
	switch (d[charset]) {
	case 0:
		for (unsigned g = 1; g < count; g++, off += 2) {
			if (off + 2 > len)
				return false;
			(*cid)[g] = rd(d + off, 2);
		}
		return true;
	case 1:
	case 2:
		for (unsigned g = 1; g < count;) {
			unsigned nl = d[charset] == 1 ? 1 : 2, first, left;

			if (off + 2 + nl > len)
				return false;
			first = rd(d + off, 2);
			left = rd(d + off + 2, nl);
			off += 2 + nl;
			for (unsigned k = 0; k <= left && g < count; k++)
				(*cid)[g++] = first + k;
		}
		return true;
	default:
		return false;
	}
}

static void
put_utf16_hex(struct buf *b, const char *s, uint32_t len)
{
	int32_t i = 0;

	while (i < (int32_t)len) {
		UChar32 c;

		U8_NEXT(s, i, (int32_t)len, c);
		if (c < 0)
			c = 0xFFFD;
		if (c > 0xFFFF)
			buf_addf(b, "%04X%04X", (unsigned)U16_LEAD(c),
			    (unsigned)U16_TRAIL(c));
		else
			buf_addf(b, "%04X", (unsigned)c);
	}
}

static void
make_g_to_unicode(struct pdfgfont *pf)
{
	struct buf *b = &pf->to_unicode;
	size_t *by_cid = xcalloc(pf->ncid ? pf->ncid : 1, sizeof(*by_cid));
	size_t n = 0, done = 0;

	/* Each CID's key (its first), by CID. */
	for (size_t k = 0; k < pf->nkey; k++)
		if (pf->key[k].cid < pf->ncid && by_cid[pf->key[k].cid] == 0 &&
		    pf->key[k].len > 0) {
			by_cid[pf->key[k].cid] = k + 1;
			n++;
		}
	buf_adds(b, "/CIDInit /ProcSet findresource begin\n"
	    "12 dict begin\nbegincmap\n"
	    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
	    "/Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n"
	    "/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\n"
	    "endcodespacerange\n");
	for (unsigned c = 0; c < pf->ncid; c++) {
		const struct pdfg_key *k;

		if (by_cid[c] == 0)
			continue;
		if (done % 100 == 0)
			buf_addf(b, "%zu beginbfchar\n", n - done < 100 ?
			    n - done : 100);
		k = &pf->key[by_cid[c] - 1];
		buf_addf(b, "<%04X> <", c);
		put_utf16_hex(b, k->text, k->len);
		buf_adds(b, ">\n");
		if (++done % 100 == 0 || done == n)
			buf_adds(b, "endbfchar\n");
	}
	buf_adds(b, "endcmap\nCMapName currentdict /CMap defineresource "
	    "pop\nend\nend\n");
	free(by_cid);
}

static void
set_g_name(struct pdfgfont *pf, const char *ps_name)
{
	uint64_t h = fnv_name(ps_name);

	for (size_t i = 0; i < pf->nkey; i++) {
		h = fnv_mix(h, pf->key[i].gid);
		for (uint32_t k = 0; k < pf->key[i].len; k++)
			h = fnv_mix(h, (unsigned char)pf->key[i].text[k]);
	}
	tag_name(pf->name, sizeof(pf->name), h, ps_name);
}

/* The distinct keys of the uses (see pdfgfont_cut). */
static void
make_keys(struct pdfgfont *pf, const struct pdfg_use *use, size_t n)
{
	size_t k = 0;

	pf->key = xreallocarray(NULL, n ? n : 1, sizeof(*pf->key));
	for (size_t i = 0; i < n; i++) {
		pf->key[i].gid = use[i].gid;
		pf->key[i].text = (char *)use[i].text;
		pf->key[i].len = use[i].len;
		pf->key[i].order = i;
		pf->key[i].cid = 0;
	}
	if (n > 0)
		qsort(pf->key, n, sizeof(*pf->key), pf->cff ?
		    key_cmp_first : key_cmp);
	for (size_t i = 0; i < n; i++) {
		if (k > 0 && pf->key[k - 1].gid == pf->key[i].gid &&
		    (pf->cff || key_cmp(&pf->key[k - 1], &pf->key[i]) == 0))
			continue;
		pf->key[k++] = pf->key[i];
	}
	pf->nkey = k;
	for (size_t i = 0; i < k; i++)
		pf->key[i].text = xstrndup(pf->key[i].text, pf->key[i].len);
}

static void
set_bit(struct buf *b, unsigned cid)
{
	while (b->len <= cid / 8)
		buf_addc(b, 0);
	b->ptr[cid / 8] = (char)((unsigned char)b->ptr[cid / 8] |
	    (0x80u >> (cid % 8)));
}

bool
pdfgfont_cut(struct pdfgfont *pf, const struct fontsel_face *f,
    const struct pdfg_use *use, size_t n, char **err)
{
	hb_subset_input_t *in;
	hb_subset_plan_t *plan = NULL;
	hb_face_t *sub = NULL;
	hb_blob_t *blob = NULL;
	const hb_map_t *old_to_new;
	const char *data = NULL;
	unsigned len = 0, *cids = NULL, ng = 0;
	bool ok = false;

	memset(pf, 0, sizeof(*pf));
	buf_init(&pf->file);
	buf_init(&pf->cid_to_gid);
	buf_init(&pf->to_unicode);
	buf_init(&pf->cidset);
	pf->cff = f->cff;
	make_keys(pf, use, n);
	if ((in = hb_subset_input_create_or_fail()) == NULL) {
		*err = xstrdup("HarfBuzz could not start a font subset");
		pdfgfont_free(pf);
		return false;
	}
	for (size_t i = 0; i < pf->nkey; i++)
		hb_set_add(hb_subset_input_glyph_set(in), pf->key[i].gid);
	hb_set_clear(hb_subset_input_unicode_set(in));
	for (const char *const *t = dropped_tables; *t != NULL; t++)
		hb_set_add(hb_subset_input_set(in,
		    HB_SUBSET_SETS_DROP_TABLE_TAG), hb_tag_from_string(*t, 4));
	/* Glyph names stay (post), so a check can name each glyph drawn
	 * as hb-shape names it. */
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING |
	    HB_SUBSET_FLAGS_GLYPH_NAMES);
	pthread_mutex_lock((pthread_mutex_t *)&f->cut_lock);
	plan = hb_subset_plan_create_or_fail(f->sub_face, in);
	if (plan != NULL)
		sub = hb_subset_plan_execute_or_fail(plan);
	pthread_mutex_unlock((pthread_mutex_t *)&f->cut_lock);
	if (sub != NULL)
		blob = f->cff ? hb_face_reference_table(sub,
		    HB_TAG('C', 'F', 'F', ' ')) : hb_face_reference_blob(sub);
	if (blob != NULL)
		data = hb_blob_get_data(blob, &len);
	if (data == NULL || len == 0)
		*err = xasprintf("HarfBuzz could not cut %s down to the "
		    "packet's glyphs", f->ps_name);
	else if (f->cff && !cff_cids((const unsigned char *)data, len, &cids,
	    &ng))
		*err = xasprintf("the cut of %s is not a CID-keyed CFF font",
		    f->ps_name);
	else {
		old_to_new = hb_subset_plan_old_to_new_glyph_mapping(plan);
		buf_add(&pf->file, data, len);
		ok = true;
		pf->ncid = f->cff ? 1 : (unsigned)pf->nkey + 1;
		for (size_t i = 0; i < pf->nkey && ok; i++) {
			hb_codepoint_t g = hb_map_get(old_to_new,
			    pf->key[i].gid);

			if (g == HB_MAP_VALUE_INVALID || g > 0xFFFF ||
			    (f->cff && g >= ng))
				ok = false;
			else if (f->cff)
				pf->key[i].cid = cids[g];
			else
				pf->key[i].cid = (unsigned)i + 1;
			if (ok && pf->key[i].cid >= pf->ncid)
				pf->ncid = pf->key[i].cid + 1;
		}
		if (!ok)
			*err = xasprintf("HarfBuzz left a glyph out of the "
			    "cut of %s", f->ps_name);
	}
	if (ok) {
		pf->width = xcalloc(pf->ncid, sizeof(*pf->width));
		set_bit(&pf->cidset, 0);
		pf->width[0] = (int)lround(hb_font_get_glyph_h_advance(
		    f->hb_font, 0) * 1000.0 / f->upem);
		if (!f->cff)
			put16(&pf->cid_to_gid, 0);
		for (size_t i = 0; i < pf->nkey; i++) {
			unsigned c = pf->key[i].cid;

			pf->width[c] = (int)lround(hb_font_get_glyph_h_advance(
			    f->hb_font, pf->key[i].gid) * 1000.0 / f->upem);
			set_bit(&pf->cidset, c);
			if (!f->cff)
				put16(&pf->cid_to_gid, hb_map_get(old_to_new,
				    pf->key[i].gid));
		}
	}
	free(cids);
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
	hb_subset_plan_destroy(plan);
	hb_subset_input_destroy(in);
	if (!ok) {
		pdfgfont_free(pf);
		return false;
	}
	set_g_name(pf, f->ps_name);
	make_g_to_unicode(pf);
	return true;
}

unsigned
pdfgfont_cid(const struct pdfgfont *pf, uint32_t gid, const char *text,
    size_t len, bool *exact)
{
	size_t lo = 0, hi = pf->nkey;
	const struct pdfg_key *k;

	*exact = false;
	/* The first key of gid. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pf->key[mid].gid < gid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == pf->nkey || pf->key[lo].gid != gid)
		return 0;
	for (k = &pf->key[lo]; k < pf->key + pf->nkey && k->gid == gid; k++)
		if (k->len == len && memcmp(k->text, text, len) == 0) {
			*exact = true;
			return k->cid;
		}
	return pf->key[lo].cid;
}

bool
pdfgfont_has_cid(const struct pdfgfont *pf, unsigned cid)
{
	return cid / 8 < pf->cidset.len &&
	    ((unsigned char)pf->cidset.ptr[cid / 8] & (0x80u >> (cid % 8)));
}

void
pdfgfont_free(struct pdfgfont *pf)
{
	if (pf == NULL)
		return;
	for (size_t i = 0; i < pf->nkey; i++)
		free(pf->key[i].text);
	free(pf->key);
	free(pf->width);
	buf_free(&pf->file);
	buf_free(&pf->cid_to_gid);
	buf_free(&pf->to_unicode);
	buf_free(&pf->cidset);
	memset(pf, 0, sizeof(*pf));
}
