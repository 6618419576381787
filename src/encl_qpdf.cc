/*
 * encl_qpdf.cc - foreign PDF pages into our pages, through qpdf's C++
 * API (see encl_qpdf_int.h for why C++).  The only file that includes
 * qpdf's headers.
 *
 * A foreign file is read with recovery off (a damaged or truncated file
 * is refused, never guessed at) and an empty password (a file that needs
 * a user password is refused; an owner password alone does not stop
 * reading).  Before anything is drawn: the page tree is walked with a
 * bound, every object stream and every stream a page reaches is decoded
 * into a counter that stops at a bound, and image sizes are checked.
 * Printable annotation appearances are flattened into their page; each
 * page then becomes a form XObject whose graph is scrubbed of actions,
 * scripts, annotations, forms and attachments, and only that form is
 * copied into our file, never the foreign catalog.
 *
 * Filling a tagged piece keeps it PDF/A-1b and tagged (Tagger): each
 * drawing is marked content /Figure with a Figure element and its /Alt
 * under its document's Sect, and qpdf writes an end-of-line before each
 * endstream.  A foreign page's own text stays inside the figure, untagged:
 * a file holding a PDF enclosure is not PDF/A (docs/pdf-archival.md).
 */
#define POINTERHOLDER_TRANSITION 4	/* qpdf 11: std::shared_ptr only */
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <qpdf/Buffer.hh>
#include <qpdf/Constants.h>
#include <qpdf/Pipeline.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include "encl_qpdf_int.h"

namespace {

/* Counts what a stream decodes to and stops it at a bound. */
class Bounded : public Pipeline {
  public:
	Bounded(unsigned long long bound) :
	    Pipeline("bounded", nullptr), limit(bound) {}
	void write(unsigned char const *, size_t len) override
	{
		n += len;
		if (n > limit) {
			over = true;
			throw std::length_error("decoded stream over bound");
		}
	}
	void finish() override {}
	unsigned long long limit, n = 0;
	bool over = false;
};

struct TooBig : std::runtime_error {
	TooBig(const std::string &s) : std::runtime_error(s) {}
};

/* Keys that carry behaviour, not appearance: never copied. */
const char *const scrub_keys[] = {
	"/A", "/AA", "/OpenAction", "/JS", "/JavaScript", "/Names",
	"/EmbeddedFiles", "/EF", "/Annots", "/AcroForm", "/URI", "/Next",
	"/Launch", "/SubmitForm", "/RichMedia", "/Dests", "/Outlines",
};

struct Checker {
	std::set<QPDFObjGen> seen;
	unsigned long long total = 0, visits = 0;

	void stream(QPDFObjectHandle s)
	{
		Bounded b(EQ_MAX_STREAM_BYTES);
		bool ok;

		try {
			ok = s.pipeStreamData(&b, 0, qpdf_dl_generalized,
			    true, false);
		} catch (std::exception &) {
			ok = false;
		}
		if (b.over)
			throw TooBig("a stream decodes to more than " +
			    std::to_string(EQ_MAX_STREAM_BYTES >> 20) +
			    " MB");
		(void)ok;	/* undecodable data stays as it is */
		total += b.n;
		if (total > EQ_MAX_TOTAL_BYTES)
			throw TooBig("its content decodes to more than " +
			    std::to_string(EQ_MAX_TOTAL_BYTES >> 20) + " MB");
	}

	/* Check and scrub everything o reaches, stopping at pages; a
	 * stream's data is decoded into a counter unless skip_data (a form
	 * whose data is page content already counted). */
	void walk(QPDFObjectHandle o, int depth, bool skip_data = false)
	{
		if (depth > 64)
			throw TooBig("its objects nest too deeply");
		if (++visits > EQ_MAX_OBJECTS)
			throw TooBig("it has too many objects");
		if (o.isIndirect() && !seen.insert(o.getObjGen()).second)
			return;
		if (o.isArray()) {
			int n = o.getArrayNItems();

			for (int i = 0; i < n; i++)
				walk(o.getArrayItem(i), depth + 1);
			return;
		}
		if (!o.isDictionary() && !o.isStream())
			return;
		QPDFObjectHandle d = o.isStream() ? o.getDict() : o;
		if (!o.isStream() && d.getKey("/Type").isNameAndEquals("/Page"))
			return;
		for (const char *k : scrub_keys)
			if (d.hasKey(k))
				d.removeKey(k);
		if (o.isStream()) {
			QPDFObjectHandle st = d.getKey("/Subtype");

			if (st.isNameAndEquals("/Image")) {
				QPDFObjectHandle w = d.getKey("/Width");
				QPDFObjectHandle h = d.getKey("/Height");
				long long ww = w.isInteger() ? w.getIntValue() : 0;
				long long hh = h.isInteger() ? h.getIntValue() : 0;

				if (ww < 0 || hh < 0 || (ww > 0 && hh >
				    (long long)EQ_MAX_IMAGE_PIXELS / ww))
					throw TooBig("an image in it is too "
					    "large");
			}
			if (!skip_data)
				stream(o);
		}
		for (auto const &k : d.getKeys())
			walk(d.getKey(k), depth + 1);
	}
};

/* Leaves of the page tree, counted with a bound before qpdf walks it. */
void
count_pages(QPDFObjectHandle node, unsigned max, unsigned &n,
    std::set<QPDFObjGen> &seen, int depth)
{
	if (depth > 64)
		throw std::runtime_error("its page tree nests too deeply");
	if (node.isIndirect() && !seen.insert(node.getObjGen()).second)
		throw std::runtime_error("its page tree has a loop");
	QPDFObjectHandle kids = node.getKey("/Kids");
	if (!kids.isArray()) {
		if (++n > max)
			throw TooBig("pages");
		return;
	}
	int k = kids.getArrayNItems();
	if ((unsigned)k > 4 * (max + 1u))
		throw TooBig("pages");
	for (int i = 0; i < k; i++)
		count_pages(kids.getArrayItem(i), max, n, seen, depth + 1);
}

char *
dup(const std::string &s)
{
	char *p = strdup(s.c_str());

	if (p == nullptr)
		abort();
	return p;
}

/* A number for a content stream, the same every time. */
std::string
fmt(double v)
{
	char b[64];

	if (v > -0.00005 && v < 0.00005)
		v = 0;
	snprintf(b, sizeof(b), "%.4f", v);
	return b;
}

/*
 * The cm matrix that draws the rectangle [x0,x1] x [y0,y1] (in the
 * placed object's space) into the box above the foot: turned 90 degrees
 * counter-clockwise when wider than tall, scaled uniformly, never
 * enlarged, centred.
 */
std::string
place(double x0, double y0, double x1, double y1)
{
	const double bw = 612, bh = 756, cx = 306, cy = 36 + 378;
	double w = x1 - x0, h = y1 - y0, mx = (x0 + x1) / 2,
	    my = (y0 + y1) / 2, s;
	bool turn = w > h;

	if (w <= 0 || h <= 0)
		return "1 0 0 1 0 0";
	if (turn)
		s = std::min(1.0, std::min(bw / h, bh / w));
	else
		s = std::min(1.0, std::min(bw / w, bh / h));
	if (turn)
		return "0 " + fmt(s) + " " + fmt(-s) + " 0 " +
		    fmt(cx + s * my) + " " + fmt(cy - s * mx);
	return fmt(s) + " 0 0 " + fmt(s) + " " + fmt(cx - s * mx) + " " +
	    fmt(cy - s * my);
}

/* The form's bounding box through its /Matrix (multiples of 90 deg). */
void
form_rect(QPDFObjectHandle fo, double r[4])
{
	QPDFObjectHandle d = fo.getDict();
	QPDFObjectHandle::Rectangle b = d.getKey("/BBox").getArrayAsRectangle();
	double m[6] = { 1, 0, 0, 1, 0, 0 };
	QPDFObjectHandle mat = d.getKey("/Matrix");

	if (mat.isArray() && mat.getArrayNItems() == 6)
		for (int i = 0; i < 6; i++)
			if (mat.getArrayItem(i).isNumber())
				m[i] = mat.getArrayItem(i).getNumericValue();
	double xs[4] = { b.llx, b.urx, b.llx, b.urx };
	double ys[4] = { b.lly, b.lly, b.ury, b.ury };
	for (int i = 0; i < 4; i++) {
		double x = m[0] * xs[i] + m[2] * ys[i] + m[4];
		double y = m[1] * xs[i] + m[3] * ys[i] + m[5];

		if (i == 0 || x < r[0]) r[0] = x;
		if (i == 0 || y < r[1]) r[1] = y;
		if (i == 0 || x > r[2]) r[2] = x;
		if (i == 0 || y > r[3]) r[3] = y;
	}
}

/*
 * The structure tree of the piece, when it has one: each drawing
 * becomes a Figure under the Sect of its document, with the next free
 * MCID of its page in the parent tree.
 */
class Tagger {
  public:
	explicit Tagger(QPDF &qpdf) : q(qpdf)
	{
		root = q.getRoot().getKey("/StructTreeRoot");
		if (!root.isDictionary())
			return;
		doc = root.getKey("/K");
		nums = root.getKey("/ParentTree").getKey("/Nums");
		if (!doc.isDictionary() || !nums.isArray())
			throw std::runtime_error("its structure tree is not "
			    "one this program wrote");
		on = true;
	}

	/* The marked content that wraps drawing d on page pg (nothing when
	 * the piece is not tagged). */
	std::string wrap(QPDFObjectHandle pg, size_t sect, const char *alt,
	    const std::string &d)
	{
		if (!on)
			return d;
		QPDFObjectHandle s = sect_of(sect), mc = mcids(pg);
		int mcid = mc.getArrayNItems();
		QPDFObjectHandle fig = q.makeIndirectObject(
		    QPDFObjectHandle::newDictionary());

		fig.replaceKey("/S", QPDFObjectHandle::newName("/Figure"));
		fig.replaceKey("/P", s);
		fig.replaceKey("/Pg", pg);
		fig.replaceKey("/K", QPDFObjectHandle::newInteger(mcid));
		if (alt != nullptr)
			fig.replaceKey("/Alt",
			    QPDFObjectHandle::newUnicodeString(alt));
		mc.appendItem(fig);
		/* The figures of a document before what it had: its carrier
		 * pages come first. */
		QPDFObjectHandle k = s.getKey("/K");
		if (!k.isArray()) {
			QPDFObjectHandle a = QPDFObjectHandle::newArray();

			if (!k.isNull())
				a.appendItem(k);
			s.replaceKey("/K", a);
			k = a;
		}
		k.insertItem(placed[sect]++, fig);
		return "/Figure <</MCID " + std::to_string(mcid) +
		    ">> BDC\n" + d + "EMC\n";
	}

  private:
	QPDFObjectHandle sect_of(size_t i)
	{
		QPDFObjectHandle k = doc.getKey("/K"), s;

		if (k.isArray() && i < (size_t)k.getArrayNItems())
			s = k.getArrayItem((int)i);
		else if (k.isDictionary() && i == 0)
			s = k;
		if (!s.isDictionary())
			throw std::runtime_error("its structure tree has no "
			    "document " + std::to_string(i + 1));
		return s;
	}

	/* The parent tree's array of page pg (its MCIDs' elements), made
	 * when the page has none. */
	QPDFObjectHandle mcids(QPDFObjectHandle pg)
	{
		QPDFObjectHandle sp = pg.getKey("/StructParents");
		long long key, next = 0;
		int n = nums.getArrayNItems();

		for (int i = 0; i + 1 < n; i += 2) {
			QPDFObjectHandle ki = nums.getArrayItem(i);

			if (!ki.isInteger())
				continue;
			if (sp.isInteger() && ki.getIntValue() ==
			    sp.getIntValue()) {
				QPDFObjectHandle a = nums.getArrayItem(i + 1);

				if (!a.isArray())
					break;
				return a;
			}
			next = std::max(next, ki.getIntValue() + 1);
		}
		if (sp.isInteger())
			throw std::runtime_error("a page's /StructParents "
			    "has no array in the parent tree");
		key = next;
		QPDFObjectHandle a = QPDFObjectHandle::newArray();
		nums.appendItem(QPDFObjectHandle::newInteger(key));
		nums.appendItem(a);
		pg.replaceKey("/StructParents",
		    QPDFObjectHandle::newInteger(key));
		pg.replaceKey("/Tabs", QPDFObjectHandle::newName("/S"));
		root.replaceKey("/ParentTreeNextKey",
		    QPDFObjectHandle::newInteger(key + 1));
		return a;
	}

	QPDF &q;
	QPDFObjectHandle root, doc, nums;
	std::map<size_t, int> placed;
	bool on = false;
};

} // namespace

struct eq_doc {
	QPDF				 q;
	std::vector<QPDFObjectHandle>	 forms;
};

extern "C" enum eq_fault
eq_open(const void *data, size_t len, unsigned max_pages,
    struct eq_doc **out, unsigned *pages, char **why)
{
	std::unique_ptr<eq_doc> d(new eq_doc);

	*out = nullptr;
	*why = nullptr;
	try {
		d->q.setSuppressWarnings(true);
		d->q.setAttemptRecovery(false);
		d->q.processMemoryFile("enclosure",
		    static_cast<const char *>(data), len, "");

		/* Object streams first: reading any object in one decodes
		 * it whole. */
		Checker c;
		std::set<int> objstm;
		for (auto const &e : d->q.getXRefTable())
			if (e.second.getType() == 2)
				objstm.insert(e.second.getObjStreamNumber());
		for (int n : objstm)
			c.stream(d->q.getObjectByID(n, 0));

		QPDFObjectHandle root = d->q.getRoot();
		QPDFObjectHandle tree = root.getKey("/Pages");
		std::set<QPDFObjGen> seen;
		unsigned n = 0;
		count_pages(tree, max_pages, n, seen, 0);
		if (n == 0)
			throw std::runtime_error("it has no pages");

		QPDFPageDocumentHelper pdh(d->q);
		std::vector<QPDFPageObjectHelper> all = pdh.getAllPages();
		if (all.size() != n)
			throw std::runtime_error("its page tree is damaged");
		/* Each page's content, resources and annotation appearances
		 * are decoded into the counter before qpdf reads them. */
		for (auto &p : all) {
			QPDFObjectHandle po = p.getObjectHandle();
			QPDFObjectHandle annots = po.getKey("/Annots");

			c.walk(po.getKey("/Contents"), 0);
			c.walk(p.getAttribute("/Resources", false), 0);
			if (annots.isArray())
				for (int i = 0; i < annots.getArrayNItems();
				    i++) {
					QPDFObjectHandle a =
					    annots.getArrayItem(i);

					if (a.isDictionary())
						c.walk(a.getKey("/AP"), 0);
				}
		}
		pdh.flattenAnnotations(an_print, an_invisible | an_hidden);
		for (auto &p : all) {
			QPDFObjectHandle fo = p.getFormXObjectForPage(true);

			c.walk(fo, 0, true);
			d->forms.push_back(fo);
		}
		*pages = n;
	} catch (QPDFExc &e) {
		if (e.getErrorCode() == qpdf_e_password) {
			*why = dup("it needs a password to open");
			return EQ_PASSWORD;
		}
		*why = dup(std::string("it is damaged: ") + e.getMessageDetail());
		return EQ_DAMAGED;
	} catch (TooBig &e) {
		if (std::string(e.what()) == "pages") {
			*why = dup("it has more than " + std::to_string(max_pages) +
			    " pages, the most a case's enclosures may have "
			    "(maxPagesPerCase)");
			return EQ_TOO_MANY_PAGES;
		}
		*why = dup(e.what());
		return EQ_TOO_BIG;
	} catch (std::exception &e) {
		*why = dup(std::string("it is damaged: ") + e.what());
		return EQ_DAMAGED;
	}
	*out = d.release();
	return EQ_OK;
}

extern "C" void
eq_close(struct eq_doc *d)
{
	delete d;
}

extern "C" bool
eq_fill(struct buf *pdf, const struct eq_item *it, size_t n, char **err)
{
	*err = nullptr;
	if (n == 0)
		return true;
	try {
		QPDF q;

		q.setSuppressWarnings(true);
		q.processMemoryFile("piece", pdf->ptr, pdf->len, "");
		std::vector<QPDFObjectHandle> pages = q.getAllPages();
		Tagger tag(q);

		for (size_t i = 0; i < n; i++) {
			if (it[i].target >= pages.size())
				throw std::runtime_error("no carrier page " +
				    std::to_string(it[i].target + 1));
			QPDFPageObjectHelper page(pages[it[i].target]);
			QPDFObjectHandle res = page.getAttribute("/Resources",
			    true);
			if (!res.isDictionary()) {
				res = QPDFObjectHandle::newDictionary();
				page.getObjectHandle().replaceKey("/Resources",
				    res);
			}
			QPDFObjectHandle xo = res.getKey("/XObject");
			xo = xo.isDictionary() ? xo.shallowCopy() :
			    QPDFObjectHandle::newDictionary();
			res.replaceKey("/XObject", xo);
			std::string name = "/RnEncl" + std::to_string(i);
			std::string content;

			if (it[i].doc != nullptr) {
				const eq_doc *d = it[i].doc;

				if (it[i].page >= d->forms.size())
					throw std::runtime_error("no such page");
				QPDFObjectHandle fo = q.copyForeignObject(
				    d->forms[it[i].page]);
				double r[4];

				form_rect(fo, r);
				xo.replaceKey(name, fo);
				content = "q " + place(r[0], r[1], r[2], r[3]) +
				    " cm " + name + " Do Q\n";
			} else {
				size_t bytes = (size_t)it[i].w * it[i].h * 3;
				QPDFObjectHandle im = q.newStream(std::string(
				    reinterpret_cast<const char *>(it[i].rgb),
				    bytes));
				QPDFObjectHandle dd = im.getDict();

				dd.replaceKey("/Type",
				    QPDFObjectHandle::newName("/XObject"));
				dd.replaceKey("/Subtype",
				    QPDFObjectHandle::newName("/Image"));
				dd.replaceKey("/Width",
				    QPDFObjectHandle::newInteger(it[i].w));
				dd.replaceKey("/Height",
				    QPDFObjectHandle::newInteger(it[i].h));
				dd.replaceKey("/ColorSpace",
				    QPDFObjectHandle::newName("/DeviceRGB"));
				dd.replaceKey("/BitsPerComponent",
				    QPDFObjectHandle::newInteger(8));
				xo.replaceKey(name, im);
				content = "q " + place(0, 0, it[i].w_pt,
				    it[i].h_pt) + " cm " + fmt(it[i].w_pt) +
				    " 0 0 " + fmt(it[i].h_pt) + " 0 0 cm " +
				    name + " Do Q\n";
			}
			page.addPageContents(q.newStream(tag.wrap(
			    pages[it[i].target], it[i].sect, it[i].alt,
			    content)), true);
		}
		QPDFWriter w(q);
		/* Copied pages may use what their own version allows. */
		for (size_t i = 0; i < n; i++)
			if (it[i].doc != nullptr)
				w.setMinimumPDFVersion(
				    it[i].doc->q.getPDFVersion());
		w.setOutputMemory();
		w.setObjectStreamMode(qpdf_o_disable);
		w.setDecodeLevel(qpdf_dl_none);
		w.setCompressStreams(true);
		w.setDeterministicID(true);
		/* PDF/A-1: an end-of-line before every endstream. */
		w.setNewlineBeforeEndstream(true);
		w.write();
		std::unique_ptr<Buffer> b(w.getBuffer());
		buf_reset(pdf);
		buf_add(pdf, b->getBuffer(), b->getSize());
	} catch (std::exception &e) {
		*err = dup(std::string("cannot place the enclosures: ") +
		    e.what());
		return false;
	}
	return true;
}
