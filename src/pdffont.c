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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <harfbuzz/hb-subset.h>

#include "rnpack/font.h"
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
	"gasp", NULL };

/*
 * Subset fonts in one PDF must have distinct tags (ISO 32000-1, 9.6.4),
 * and a print file merges many packets: the tag is six letters of an
 * FNV-1a hash of the face's name and the characters of the cut, so the
 * same cut always gets the same tag and different cuts differ.
 */
static void
set_name(struct pdffont *pf, const char *ps_name)
{
	uint64_t h = 1469598103934665603ULL;
	char tag[7];

	for (const char *s = ps_name; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	for (size_t i = 0; i < pf->n; i++)
		h = (h ^ pf->cp[i]) * 1099511628211ULL;
	for (int i = 0; i < 6; i++, h /= 26)
		tag[i] = (char)('A' + h % 26);
	tag[6] = '\0';
	snprintf(pf->name, sizeof(pf->name), "%s+%s", tag, ps_name);
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

static void
make_to_unicode(struct pdffont *pf)
{
	struct buf *b = &pf->to_unicode;
	const char *fmt = pf->one_byte ? "<%02zX> <%02zX> <%04X>\n" :
	    "<%04zX> <%04zX> <%04X>\n";
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

			buf_addf(b, fmt, c, j - 1, (unsigned)pf->code_cp[c]);
			c = next_code(pf, j);
		}
		buf_adds(b, "endbfrange\n");
	}
	buf_adds(b, "endcmap\nCMapName currentdict /CMap defineresource "
	    "pop\nend\nend\n");
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
		pf->code_cp[pdffont_code(pf, pf->cp[i])] = pf->cp[i];
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
