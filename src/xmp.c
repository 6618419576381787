/*
 * xmp.c - the XMP metadata packet (see xmp.h).  Written as text: the
 * packet is small and fixed in shape, and the validator compares its
 * values with the information dictionary, so each value is written
 * exactly as given.
 */
#include <stdio.h>
#include <string.h>

#include "rnpack/buf.h"
#include "rnpack/date.h"
#include "rnpack/xmp.h"

/* s with & < > " escaped and C0 controls but tab and line ends dropped. */
static void
add_text(struct buf *out, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		switch (ch) {
		case '&':
			buf_adds(out, "&amp;");
			break;
		case '<':
			buf_adds(out, "&lt;");
			break;
		case '>':
			buf_adds(out, "&gt;");
			break;
		case '"':
			buf_adds(out, "&quot;");
			break;
		default:
			if (ch < 0x20 && ch != '\t' && ch != '\n' &&
			    ch != '\r')
				break;
			buf_addc(out, (char)ch);
		}
	}
}

static void
add_simple(struct buf *out, const char *tag, const char *v)
{
	if (v == NULL || v[0] == '\0')
		return;
	buf_addf(out, "<%s>", tag);
	add_text(out, v);
	buf_addf(out, "</%s>\n", tag);
}

/* A language alternative (dc:title, dc:description) or an ordered list
 * (dc:creator) of one value. */
static void
add_one(struct buf *out, const char *tag, const char *kind, const char *v)
{
	if (v == NULL || v[0] == '\0')
		return;
	buf_addf(out, "<%s><rdf:%s><rdf:li%s>", tag, kind,
	    strcmp(kind, "Alt") == 0 ? " xml:lang=\"x-default\"" : "");
	add_text(out, v);
	buf_addf(out, "</rdf:li></rdf:%s></%s>\n", kind, tag);
}

void
xmp_date(char s[32], int32_t day)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	snprintf(s, 32, "%04d-%02d-%02dT00:00:00+00:00", y % 10000, m, d);
}

/* The PDF/UA identification schema, unknown to PDF/A-1. */
static const char ua_schema[] =
    "<rdf:Description rdf:about=\"\"\n"
    " xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n"
    " xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n"
    " xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
    "<pdfaExtension:schemas><rdf:Bag>\n"
    "<rdf:li rdf:parseType=\"Resource\">\n"
    "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema"
    "</pdfaSchema:schema>\n"
    "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/"
    "</pdfaSchema:namespaceURI>\n"
    "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
    "<pdfaSchema:property><rdf:Seq>\n"
    "<rdf:li rdf:parseType=\"Resource\">\n"
    "<pdfaProperty:name>part</pdfaProperty:name>\n"
    "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
    "<pdfaProperty:category>internal</pdfaProperty:category>\n"
    "<pdfaProperty:description>Part of ISO 14289 followed"
    "</pdfaProperty:description>\n"
    "</rdf:li>\n"
    "</rdf:Seq></pdfaSchema:property>\n"
    "</rdf:li>\n"
    "</rdf:Bag></pdfaExtension:schemas>\n"
    "</rdf:Description>\n";

void
xmp_write(struct buf *out, const struct xmp_meta *m)
{
	char date[32];

	xmp_date(date, m->date);
	/* The begin attribute holds U+FEFF in UTF-8, as XMP asks. */
	buf_adds(out, "<?xpacket begin=\"\xEF\xBB\xBF\" "
	    "id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
	    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
	    "<rdf:RDF xmlns:rdf="
	    "\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
	buf_adds(out, "<rdf:Description rdf:about=\"\"\n"
	    " xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
	    "<dc:format>application/pdf</dc:format>\n");
	add_one(out, "dc:title", "Alt", m->title);
	add_one(out, "dc:creator", "Seq", m->author);
	add_one(out, "dc:description", "Alt", m->subject);
	buf_adds(out, "</rdf:Description>\n");
	buf_adds(out, "<rdf:Description rdf:about=\"\"\n"
	    " xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n");
	add_simple(out, "pdf:Keywords", m->keywords);
	add_simple(out, "pdf:Producer", m->producer);
	buf_adds(out, "</rdf:Description>\n");
	buf_adds(out, "<rdf:Description rdf:about=\"\"\n"
	    " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
	add_simple(out, "xmp:CreatorTool", m->creator_tool);
	add_simple(out, "xmp:CreateDate", date);
	add_simple(out, "xmp:ModifyDate", date);
	add_simple(out, "xmp:MetadataDate", date);
	buf_adds(out, "</rdf:Description>\n");
	buf_adds(out, "<rdf:Description rdf:about=\"\"\n"
	    " xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
	    "<pdfaid:part>1</pdfaid:part>\n"
	    "<pdfaid:conformance>B</pdfaid:conformance>\n"
	    "</rdf:Description>\n");
	buf_adds(out, "<rdf:Description rdf:about=\"\"\n"
	    " xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
	    "<pdfuaid:part>1</pdfuaid:part>\n"
	    "</rdf:Description>\n");
	buf_adds(out, ua_schema);
	buf_adds(out, "</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>");
}
