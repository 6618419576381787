/*
 * enclosure.c - received documents that travel with the notice (see
 * enclosure.h): safe opening beneath the documents folder, the type told
 * by content, digests and page counts, JPEG and PNG decoding, and the
 * carrier pages our renderer draws the foot stamps on.  The PDF work is
 * in encl_qpdf.cc.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jpeglib.h>
#include <png.h>
#include <zlib.h>

#include "rnpack/buf.h"
#include "rnpack/digest.h"
#include "rnpack/enclosure.h"
#include "rnpack/layout.h"
#include "rnpack/xalloc.h"
#include "encl_qpdf_int.h"

/* An image larger than this is refused: 600 dpi over a Letter page. */
#define ENCL_MAX_PIXELS		(36u * 1000 * 1000)
#define ENCL_MAX_SIDE		30000u
#define ENCL_MAX_DEPTH		32	/* folders below the root */

enum encl_kind { EK_PDF, EK_JPEG, EK_PNG };

struct encl {
	enum encl_kind	 kind;
	unsigned	 pages;
	char		 sha256[DIGEST_HEX_SIZE];
	struct buf	 bytes;		/* the file; qpdf reads it lazily */
	struct eq_doc	*pdf;		/* EK_PDF */
	unsigned char	*rgb;		/* images: w * h * 3 bytes */
	unsigned	 w, h;
	double		 w_pt, h_pt;
};

/* ---- opening beneath the root ---------------------------------------- */

/*
 * Open rel beneath dirfd one component at a time with O_NOFOLLOW, so no
 * component below the root may be a symbolic link; -1 with errno (ELOOP
 * for a link).  The last component is opened non-blocking (a FIFO must
 * not hang the run); the caller checks that it is a regular file.
 */
static int
open_beneath(int dirfd, const char *rel)
{
	char *path = xstrdup(rel), *s = path, *slash;
	int fd = dup(dirfd), depth = 0;

	while (fd >= 0) {
		int next, saved;

		slash = strchr(s, '/');
		if (slash != NULL)
			*slash = '\0';
		if (*s == '\0' || strcmp(s, ".") == 0 || strcmp(s, "..") == 0 ||
		    ++depth > ENCL_MAX_DEPTH) {
			close(fd);
			fd = -1;
			errno = EINVAL;
			break;
		}
		next = openat(fd, s, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
		    (slash != NULL ? O_DIRECTORY : O_NONBLOCK));
		saved = errno;
		close(fd);
		fd = next;
		errno = saved;
		if (slash == NULL)
			break;
		s = slash + 1;
	}
	free(path);
	return fd;
}

/* Whether path is a symbolic link somewhere below root: the walk says
 * ELOOP for the last component, ENOTDIR for a link to a folder. */
static bool
is_link_below(int rootfd, const char *rel)
{
	char *path = xstrdup(rel), *s = path, *slash;
	int fd = dup(rootfd);
	bool link = false;

	while (fd >= 0 && !link) {
		struct stat st;
		int next;

		slash = strchr(s, '/');
		if (slash != NULL)
			*slash = '\0';
		if (fstatat(fd, s, &st, AT_SYMLINK_NOFOLLOW) != 0)
			break;
		link = S_ISLNK(st.st_mode);
		if (slash == NULL || link)
			break;
		next = openat(fd, s, O_RDONLY | O_NOFOLLOW | O_DIRECTORY |
		    O_CLOEXEC);
		close(fd);
		fd = next;
		s = slash + 1;
	}
	if (fd >= 0)
		close(fd);
	free(path);
	return link;
}

/* ---- images ---------------------------------------------------------- */

struct jerr {
	struct jpeg_error_mgr	 pub;
	jmp_buf			 jb;
};

static void
jpeg_fail(j_common_ptr ci)
{
	longjmp(((struct jerr *)ci->err)->jb, 1);
}

static void
jpeg_quiet(j_common_ptr ci, int level)
{
	(void)ci;
	(void)level;
}

static double
pt_of(unsigned px, double dpi)
{
	return px * 72.0 / (dpi >= 10 && dpi <= 10000 ? dpi : 72.0);
}

/* Decode a JPEG to 8-bit RGB; CMYK (Adobe's inverted form) is turned
 * into RGB by its complement. */
static bool
read_jpeg(struct encl *e, char **why)
{
	struct jpeg_decompress_struct ci;
	struct jerr je;
	unsigned char *volatile rgb = NULL;
	unsigned char *volatile row = NULL;

	memset(&ci, 0, sizeof(ci));
	ci.err = jpeg_std_error(&je.pub);
	je.pub.error_exit = jpeg_fail;
	je.pub.emit_message = jpeg_quiet;
	if (setjmp(je.jb)) {
		jpeg_destroy_decompress(&ci);
		free(rgb);
		free(row);
		*why = xstrdup("it is a damaged JPEG image");
		return false;
	}
	jpeg_create_decompress(&ci);
	jpeg_mem_src(&ci, (const unsigned char *)e->bytes.ptr, e->bytes.len);
	jpeg_read_header(&ci, TRUE);
	if (ci.image_width == 0 || ci.image_height == 0 ||
	    ci.image_width > ENCL_MAX_SIDE || ci.image_height > ENCL_MAX_SIDE ||
	    (unsigned long long)ci.image_width * ci.image_height >
	    ENCL_MAX_PIXELS) {
		jpeg_destroy_decompress(&ci);
		*why = xasprintf("its image is too large (%ux%u pixels, at "
		    "most %u million)", ci.image_width, ci.image_height,
		    ENCL_MAX_PIXELS / 1000000);
		return false;
	}
	if (ci.jpeg_color_space == JCS_CMYK || ci.jpeg_color_space == JCS_YCCK)
		ci.out_color_space = JCS_CMYK;
	else
		ci.out_color_space = JCS_RGB;
	jpeg_start_decompress(&ci);
	e->w = ci.output_width;
	e->h = ci.output_height;
	rgb = xmalloc((size_t)e->w * e->h * 3);
	row = xmalloc((size_t)e->w * ci.output_components);
	while (ci.output_scanline < ci.output_height) {
		unsigned char *dst = rgb + (size_t)ci.output_scanline * e->w * 3;
		JSAMPROW r = row;

		jpeg_read_scanlines(&ci, &r, 1);
		for (unsigned x = 0; x < e->w; x++) {
			if (ci.output_components == 4) {
				/* Adobe writes CMYK inverted. */
				unsigned k = row[4 * x + 3];
				bool inv = ci.saw_Adobe_marker;

				for (int c = 0; c < 3; c++) {
					unsigned v = row[4 * x + c];

					dst[3 * x + c] = inv ? v * k / 255 :
					    (255 - v) * (255 - k) / 255;
				}
			} else
				memcpy(dst + 3 * x, row + 3 * x, 3);
		}
	}
	if (ci.density_unit == 1 || ci.density_unit == 2) {
		double f = ci.density_unit == 2 ? 2.54 : 1.0;

		e->w_pt = pt_of(e->w, ci.X_density * f);
		e->h_pt = pt_of(e->h, ci.Y_density * f);
	} else {
		e->w_pt = pt_of(e->w, 0);
		e->h_pt = pt_of(e->h, 0);
	}
	jpeg_finish_decompress(&ci);
	jpeg_destroy_decompress(&ci);
	free(row);
	e->rgb = rgb;
	return true;
}

/* Decode a PNG to 8-bit RGB composed onto white (libpng's simplified
 * reader converts depth, palette, gray and gamma to sRGB). */
static bool
read_png(struct encl *e, char **why)
{
	png_image im;
	png_color white = { 255, 255, 255 };
	png_uint_32 xres = 0, yres = 0;

	memset(&im, 0, sizeof(im));
	im.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&im, e->bytes.ptr,
	    e->bytes.len)) {
		*why = xstrdup("it is a damaged PNG image");
		return false;
	}
	if (im.width == 0 || im.height == 0 || im.width > ENCL_MAX_SIDE ||
	    im.height > ENCL_MAX_SIDE ||
	    (unsigned long long)im.width * im.height > ENCL_MAX_PIXELS) {
		*why = xasprintf("its image is too large (%ux%u pixels, at "
		    "most %u million)", (unsigned)im.width,
		    (unsigned)im.height, ENCL_MAX_PIXELS / 1000000);
		png_image_free(&im);
		return false;
	}
	im.format = PNG_FORMAT_RGB;
	e->w = im.width;
	e->h = im.height;
	e->rgb = xmalloc((size_t)e->w * e->h * 3);
	if (!png_image_finish_read(&im, &white, e->rgb, 0, NULL)) {
		free(e->rgb);
		e->rgb = NULL;
		png_image_free(&im);
		*why = xstrdup("it is a damaged PNG image");
		return false;
	}
	/* pHYs, read by hand: the simplified reader does not report it. */
	for (size_t i = 8; i + 21 <= e->bytes.len; ) {
		const unsigned char *p = (const unsigned char *)e->bytes.ptr + i;
		size_t len = (size_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];

		if (memcmp(p + 4, "pHYs", 4) == 0 && len == 9 && p[16] == 1) {
			xres = (png_uint_32)p[8] << 24 | p[9] << 16 |
			    p[10] << 8 | p[11];
			yres = (png_uint_32)p[12] << 24 | p[13] << 16 |
			    p[14] << 8 | p[15];
			break;
		}
		if (memcmp(p + 4, "IDAT", 4) == 0 || len > e->bytes.len)
			break;
		i += len + 12;
	}
	e->w_pt = pt_of(e->w, xres * 0.0254);
	e->h_pt = pt_of(e->h, yres * 0.0254);
	return true;
}

/* ---- a first look at a PDF's streams ---------------------------------- */

/* The first "stream" in d[from..len), or NULL. */
static const unsigned char *
find_stream(const unsigned char *d, size_t len, size_t from)
{
	while (from + 6 <= len) {
		const unsigned char *q = memchr(d + from, 's', len - from - 5);

		if (q == NULL)
			return NULL;
		if (memcmp(q, "stream", 6) == 0)
			return q;
		from = (size_t)(q - d) + 1;
	}
	return NULL;
}

/* Inflate p[0..n) into a counter; false once it passes the bound. */
static bool
inflate_bounded(const unsigned char *p, size_t n, uint64_t *total)
{
	unsigned char out[65536];
	z_stream z;
	uint64_t produced = 0;
	bool ok = true;
	int r;

	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return true;
	z.next_in = (unsigned char *)p;
	z.avail_in = n > 0x7fffffffu ? 0x7fffffffu : (uInt)n;
	do {
		z.next_out = out;
		z.avail_out = sizeof(out);
		r = inflate(&z, Z_NO_FLUSH);
		produced += sizeof(out) - z.avail_out;
		if (produced > EQ_MAX_STREAM_BYTES ||
		    *total + produced > EQ_MAX_TOTAL_BYTES) {
			ok = false;
			break;
		}
	} while (r == Z_OK);
	inflateEnd(&z);
	*total += produced;
	return ok;
}

/*
 * Every stream of the file that starts like zlib data, inflated into a
 * counter before qpdf sees the file: qpdf decodes a cross-reference
 * stream whole while it opens a file (a 1 GiB one took 2 GB of memory),
 * before any bound of ours can apply.  A stream that is not zlib data
 * (an encrypted one, an image) is left to the later, per-stream bounds.
 */
static bool
pdf_streams_bounded(const struct buf *b)
{
	const unsigned char *d = (const unsigned char *)b->ptr;
	uint64_t total = 0;
	size_t i = 0;

	for (;;) {
		const unsigned char *q = find_stream(d, b->len, i);
		size_t j;

		if (q == NULL)
			return true;
		j = (size_t)(q - d) + 6;
		i = j;
		if (q - d >= 3 && memcmp(q - 3, "end", 3) == 0)
			continue;
		if (j < b->len && d[j] == '\r')
			j++;
		if (j < b->len && d[j] == '\n')
			j++;
		/* zlib: deflate method, a header check that divides by 31 */
		if (j + 2 > b->len || (d[j] & 0x0f) != 8 ||
		    ((unsigned)d[j] << 8 | d[j + 1]) % 31 != 0)
			continue;
		if (!inflate_bounded(d + j, b->len - j, &total))
			return false;
	}
}

/* ---- opening --------------------------------------------------------- */

static bool
starts(const struct buf *b, const void *magic, size_t n)
{
	return b->len >= n && memcmp(b->ptr, magic, n) == 0;
}

/* PDF: "%PDF-" within the first 1024 bytes, as readers accept it. */
static bool
is_pdf(const struct buf *b)
{
	size_t n = b->len < 1024 ? b->len : 1024;

	for (size_t i = 0; i + 5 <= n; i++)
		if (memcmp(b->ptr + i, "%PDF-", 5) == 0)
			return true;
	return false;
}

static enum encl_fault
fail(struct encl *e, enum encl_fault f, char **why, char *msg)
{
	encl_free(e);
	*why = msg;
	return f;
}

enum encl_fault
encl_open(const char *root, const char *rel, const char *sha256,
    unsigned pages, const struct encl_limits *lim, struct encl **out,
    char **why)
{
	struct encl *e = xcalloc(1, sizeof(*e));
	uint64_t max = lim != NULL && lim->max_file_bytes > 0 ?
	    lim->max_file_bytes : (uint64_t)SIZE_MAX - 1;
	unsigned max_pages = lim != NULL && lim->max_pages > 0 ?
	    lim->max_pages : 9999;
	int rootfd, fd, err;
	struct stat st;

	*out = NULL;
	*why = NULL;
	buf_init(&e->bytes);
	if (rel == NULL || *rel == '\0' || *rel == '/')
		return fail(e, ENCL_UNREADABLE, why, xasprintf("%s: the path "
		    "must be relative to the documents folder", rel ? rel : ""));
	rootfd = open(root != NULL && *root != '\0' ? root : ".",
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return fail(e, ENCL_MISSING, why, xasprintf("%s: the documents "
		    "folder %s cannot be opened: %s", rel, root ? root : ".",
		    strerror(errno)));
	fd = open_beneath(rootfd, rel);
	err = errno;
	if (fd < 0) {
		bool link = (err == ELOOP || err == ENOTDIR) &&
		    is_link_below(rootfd, rel);

		close(rootfd);
		if (link || err == ELOOP)
			return fail(e, ENCL_UNREADABLE, why, xasprintf("%s: "
			    "a symbolic link is in its path; put the file "
			    "itself in the documents folder", rel));
		if (err == ENOENT || err == ENOTDIR)
			return fail(e, ENCL_MISSING, why, xasprintf("%s: no "
			    "such file in the documents folder", rel));
		return fail(e, ENCL_UNREADABLE, why, xasprintf("%s: cannot "
		    "be opened: %s", rel, strerror(err)));
	}
	close(rootfd);
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(e, ENCL_UNREADABLE, why, xasprintf("%s: not a "
		    "regular file", rel));
	}
	if ((uint64_t)st.st_size > max) {
		close(fd);
		return fail(e, ENCL_UNREADABLE, why, xasprintf("%s: %lld "
		    "bytes, over the limit of %llu (maxFileBytes)", rel,
		    (long long)st.st_size, (unsigned long long)max));
	}
	if (!buf_read_fd(&e->bytes, fd, (size_t)max)) {
		err = errno;
		close(fd);
		return fail(e, ENCL_UNREADABLE, why, err == EFBIG ?
		    xasprintf("%s: over the limit of %llu bytes "
		    "(maxFileBytes)", rel, (unsigned long long)max) :
		    xasprintf("%s: cannot be read: %s", rel, strerror(err)));
	}
	close(fd);
	digest_sha256_hex(e->bytes.ptr, e->bytes.len, e->sha256);
	if (sha256 != NULL && strcasecmp(sha256, e->sha256) != 0)
		return fail(e, ENCL_MISMATCH, why, xasprintf("%s: its SHA-256 "
		    "is %s, not the %s the case records; check that it is "
		    "the document received", rel, e->sha256, sha256));
	if (starts(&e->bytes, "\xff\xd8\xff", 3)) {
		e->kind = EK_JPEG;
		e->pages = 1;
		if (!read_jpeg(e, why))
			goto unreadable;
	} else if (starts(&e->bytes, "\x89PNG\r\n\x1a\n", 8)) {
		e->kind = EK_PNG;
		e->pages = 1;
		if (!read_png(e, why))
			goto unreadable;
	} else if (is_pdf(&e->bytes)) {
		enum eq_fault f;

		e->kind = EK_PDF;
		if (!pdf_streams_bounded(&e->bytes)) {
			*why = xasprintf("a compressed stream in it decodes to "
			    "more than %u MB (%u MB in all)",
			    EQ_MAX_STREAM_BYTES >> 20, EQ_MAX_TOTAL_BYTES >> 20);
			goto unreadable;
		}
		f = eq_open(e->bytes.ptr, e->bytes.len, max_pages, &e->pdf,
		    &e->pages, why);
		if (f != EQ_OK)
			goto unreadable;
	} else
		return fail(e, ENCL_UNREADABLE, why, xasprintf("%s: not a PDF, "
		    "JPEG or PNG file (its content says otherwise)", rel));
	if (pages > 0 && pages != e->pages)
		return fail(e, ENCL_MISMATCH, why, xasprintf("%s: it has %u "
		    "page%s, not the %u the case records", rel, e->pages,
		    e->pages == 1 ? "" : "s", pages));
	*out = e;
	return ENCL_OK;
unreadable:
	{
		char *m = xasprintf("%s: %s", rel, *why);

		free(*why);
		return fail(e, ENCL_UNREADABLE, why, m);
	}
}

unsigned
encl_pages(const struct encl *e)
{
	return e->pages;
}

const char *
encl_type(const struct encl *e)
{
	return e->kind == EK_PDF ? "PDF" : e->kind == EK_JPEG ? "JPEG" : "PNG";
}

const char *
encl_sha256(const struct encl *e)
{
	return e->sha256;
}

void
encl_free(struct encl *e)
{
	if (e == NULL)
		return;
	eq_close(e->pdf);
	free(e->rgb);
	buf_free(&e->bytes);
	free(e);
}

/* ---- placing ---------------------------------------------------------- */

bool
encl_fill(struct buf *pdf, const struct encl_place *pl, size_t n, char **err)
{
	struct eq_item *it;
	bool ok;

	*err = NULL;
	if (n == 0)
		return true;
	it = xcalloc(n, sizeof(*it));
	for (size_t i = 0; i < n; i++) {
		const struct encl *e = pl[i].e;

		if (pl[i].page >= e->pages) {
			free(it);
			*err = xasprintf("enclosure page %u of %u does not "
			    "exist", pl[i].page + 1, e->pages);
			return false;
		}
		it[i].doc = e->pdf;
		it[i].page = pl[i].page;
		it[i].rgb = e->rgb;
		it[i].w = e->w;
		it[i].h = e->h;
		it[i].w_pt = e->w_pt;
		it[i].h_pt = e->h_pt;
		it[i].target = pl[i].target;
		it[i].sect = pl[i].sect;
		it[i].alt = pl[i].alt;
	}
	ok = eq_fill(pdf, it, n, err);
	free(it);
	return ok;
}

/* ---- carrier pages ----------------------------------------------------- */

static void
stamp_text(struct lpage *pg, double x, double y, const char *t)
{
	struct litem *it;

	pg->items = xreallocarray(pg->items, pg->n + 1, sizeof(*pg->items));
	it = &pg->items[pg->n++];
	memset(it, 0, sizeof(*it));
	it->kind = LI_TEXT;
	it->artifact = true;	/* a page stamp: the figure's /Alt says it */
	it->size = ENCL_STAMP_PT;
	it->x = x;
	it->y = y;
	it->x2 = x;
	it->text = xstrdup(t);
}

size_t
encl_carriers(struct ldoc *doc, const struct measure *m, const char *case_id,
    unsigned k, unsigned n, bool translation, unsigned pages)
{
	size_t first = doc->npages;
	/* The stamp's baseline: centred in the bottom 0.5 in. */
	double y = LAYOUT_PAGE_H - ENCL_FOOT_PT / 2 + ENCL_STAMP_PT / 3;
	char *mid = xasprintf("Enclosure %u of %u%s", k, n, translation ?
	    " (translation)" : "");

	if (doc->npages + pages > doc->cap) {
		doc->cap = doc->npages + pages;
		doc->pages = xreallocarray(doc->pages, doc->cap,
		    sizeof(*doc->pages));
	}
	for (unsigned i = 0; i < pages; i++) {
		struct lpage *pg = &doc->pages[doc->npages++];
		char *right = xasprintf("page %u of %u", i + 1, pages);
		double wm = m->width(m->ctx, 0, ENCL_STAMP_PT, mid);
		double wr = m->width(m->ctx, 0, ENCL_STAMP_PT, right);

		memset(pg, 0, sizeof(*pg));
		stamp_text(pg, 36, y, case_id);
		stamp_text(pg, (LAYOUT_PAGE_W - wm) / 2, y, mid);
		stamp_text(pg, LAYOUT_PAGE_W - 36 - wr, y, right);
		pg->items[1].x2 = pg->items[1].x + wm;
		pg->items[2].x2 = pg->items[2].x + wr;
		pg->items[0].x2 = 36 + m->width(m->ctx, 0, ENCL_STAMP_PT,
		    case_id);
		free(right);
	}
	free(mid);
	return first;
}
