/*
 * baseline.c - the bare libharu TrueType baseline of `make bench`.
 *
 * For each case file (or each *.xml in a folder, in byte order of names)
 * this parses the case with libxml2, takes the subject's names, the notice
 * control number and a few other fields, and writes OUT/<case-id>.pdf: a
 * five-page packet (a one-page approval form, a two-page request to
 * INTERPOL Washington, a two-page notice to the subject) made of plain text
 * lines at fixed positions.  There is no layout engine, no rules, no
 * report: it is the cheapest honest way to put the same kind of text into
 * a PDF with one embedded TrueType font, and bench/run.sh times it beside
 * rnpack on the same cases.
 *
 * It does what a first libharu program does, and nothing more: one
 * HPDF_Doc per packet, DejaVu Sans loaded and embedded with
 * HPDF_LoadTTFontFromFile for every document, the UTF-8 encoder, zlib
 * compression, HPDF_SaveToFile.  It inherits libharu 2.3.0's faults
 * (composite glyphs lose parts, see docs/pdf-engine.md): it is a
 * yardstick for speed and size, not a correct renderer.  Input is our own
 * generated files, so xmlReadFile is good enough here; never point it at
 * untrusted cases.
 *
 * Usage: baseline -o OUT INPUT...       exit 0, or 1 if any case failed
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <hpdf.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#define FONT_PATH "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

#define PAGE_W_PT	612.0f	/* US Letter */
#define PAGE_H_PT	792.0f
#define MARGIN_PT	72.0f
#define SIZE_PT		10.0f
#define LEADING_PT	14.0f

/* The fields the packet prints, and where each is in the case. */
enum field {
	F_ID, F_FAMILY, F_GIVEN, F_ALIAS, F_BIRTH, F_CITIZEN, F_ANUMBER,
	F_LINE, F_CITY, F_STATE, F_ZIP,
	F_CONTROL, F_ISSUER, F_ISSUED, F_EXPIRES, F_PURPOSE,
	F_OFFENSE, F_LAW, F_WARRANT_BY, F_WARRANT_REF,
	F_VERIFIED, F_OFFICER, F_TITLE, F_OFFICE, F_PHONE, F_EMAIL,
	F_REVIEWED, F_PROCEEDING, F_SUPERVISOR, F_SUP_TITLE, F_APPROVED,
	F_REFERENCE, F_RECEIVED, F_SERVED,
	F__MAX
};

/* A path of element local names from the root, "@name" for an attribute. */
static const char *const paths[F__MAX] = {
	[F_ID]		= "@id",
	[F_FAMILY]	= "subject/familyName",
	[F_GIVEN]	= "subject/givenName",
	[F_ALIAS]	= "subject/alias",
	[F_BIRTH]	= "subject/dateOfBirth",
	[F_CITIZEN]	= "subject/citizenship",
	[F_ANUMBER]	= "subject/aNumber",
	[F_LINE]	= "subject/address/line",
	[F_CITY]	= "subject/address/city",
	[F_STATE]	= "subject/address/state",
	[F_ZIP]		= "subject/address/postalCode",
	[F_CONTROL]	= "notice/controlNumber",
	[F_ISSUER]	= "notice/issuingCountry",
	[F_ISSUED]	= "notice/issuedOn",
	[F_EXPIRES]	= "notice/expiresOn",
	[F_PURPOSE]	= "notice/purpose",
	[F_OFFENSE]	= "notice/offense/description",
	[F_LAW]		= "notice/offense/law",
	[F_WARRANT_BY]	= "notice/arrestWarrant/@issuedBy",
	[F_WARRANT_REF]	= "notice/arrestWarrant/@reference",
	[F_VERIFIED]	= "notice/verification/@on",
	[F_OFFICER]	= "officer/name",
	[F_TITLE]	= "officer/title",
	[F_OFFICE]	= "officer/office",
	[F_PHONE]	= "officer/phone",
	[F_EMAIL]	= "officer/email",
	[F_REVIEWED]	= "preliminaryReview/@completedOn",
	[F_PROCEEDING]	= "intendedUse/@proceeding",
	[F_SUPERVISOR]	= "supervisoryApproval/supervisor/name",
	[F_SUP_TITLE]	= "supervisoryApproval/supervisor/title",
	[F_APPROVED]	= "supervisoryApproval/@on",
	[F_REFERENCE]	= "interpolWashington/documentationRequest/@reference",
	[F_RECEIVED]	= "interpolWashington/documentationReceived/@on",
	[F_SERVED]	= "service/@on",
};

struct hpdf_err {
	HPDF_STATUS	 error_no;
	HPDF_STATUS	 detail_no;
};

static void
on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user)
{
	struct hpdf_err *e = user;

	if (e->error_no == 0) {
		e->error_no = error_no;
		e->detail_no = detail_no;
	}
}

/* What lookup() returns for a path with nothing there. */
static char empty[] = "";

/*
 * The text at path below root, or empty if there is none.  The caller
 * frees the result with xmlFree() unless it is empty.
 */
static char *
lookup(xmlNodePtr root, const char *path)
{
	xmlNodePtr	 n = root, c;
	const char	*p = path, *slash;
	size_t		 len;
	xmlChar		*v;

	while (*p != '\0') {
		if (*p == '@') {
			v = xmlGetProp(n, (const xmlChar *)(p + 1));
			return v != NULL ? (char *)v : empty;
		}
		slash = strchr(p, '/');
		len = slash != NULL ? (size_t)(slash - p) : strlen(p);
		for (c = n->children; c != NULL; c = c->next)
			if (c->type == XML_ELEMENT_NODE &&
			    strlen((const char *)c->name) == len &&
			    strncmp((const char *)c->name, p, len) == 0)
				break;
		if (c == NULL)
			return empty;
		n = c;
		p += len + (slash != NULL);
	}
	v = xmlNodeGetContent(n);
	return v != NULL ? (char *)v : empty;
}

/* One page being written: text lines from the top margin down. */
struct pen {
	HPDF_Page	 page;
	int		 lines;
};

static void
page_begin(HPDF_Doc pdf, HPDF_Font font, struct pen *pen)
{
	pen->page = HPDF_AddPage(pdf);
	pen->lines = 0;
	HPDF_Page_SetSize(pen->page, HPDF_PAGE_SIZE_LETTER,
	    HPDF_PAGE_PORTRAIT);
	HPDF_Page_SetFontAndSize(pen->page, font, SIZE_PT);
	HPDF_Page_SetTextLeading(pen->page, LEADING_PT);
	HPDF_Page_BeginText(pen->page);
	HPDF_Page_MoveTextPos(pen->page, MARGIN_PT,
	    PAGE_H_PT - MARGIN_PT - SIZE_PT);
}

static void
page_end(struct pen *pen)
{
	HPDF_Page_EndText(pen->page);
}

/* One line of text, printf-style, then down one line. */
static void put(struct pen *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
put(struct pen *pen, const char *fmt, ...)
{
	char	 line[1024];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (pen->lines++ > 0)
		HPDF_Page_MoveToNextLine(pen->page);
	HPDF_Page_ShowText(pen->page, line);
}

static void
footer(struct pen *pen, char **f, const char *doc, int page, int pages)
{
	while (pen->lines < 44)
		put(pen, "%s", "");
	put(pen, "%s, case %s.    Page %d of %d", doc, f[F_ID], page,
	    pages);
}

static void
approval_form(HPDF_Doc pdf, HPDF_Font font, char **f)
{
	struct pen p;

	page_begin(pdf, font, &p);
	put(&p, "U.S. Immigration and Customs Enforcement    Case %s",
	    f[F_ID]);
	put(&p, "%s", "");
	put(&p, "Request for supervisory approval");
	put(&p, "Acting on a Red Notice under ICE Directive 15006.1");
	put(&p, "Requesting officer: %s, %s, %s", f[F_OFFICER], f[F_TITLE],
	    f[F_OFFICE]);
	put(&p, "Submitted to: %s, %s", f[F_SUPERVISOR], f[F_SUP_TITLE]);
	put(&p, "%s", "");
	put(&p, "1. Subject");
	put(&p, "Name: %s, %s", f[F_FAMILY], f[F_GIVEN]);
	put(&p, "Aliases: %s", f[F_ALIAS]);
	put(&p, "Date of birth: %s", f[F_BIRTH]);
	put(&p, "Citizenship: %s", f[F_CITIZEN]);
	put(&p, "A-number: %s", f[F_ANUMBER]);
	put(&p, "2. The notice");
	put(&p, "Kind: Red Notice, published at the request of %s",
	    f[F_ISSUER]);
	put(&p, "Control number: %s", f[F_CONTROL]);
	put(&p, "Issued %s; expires %s", f[F_ISSUED], f[F_EXPIRES]);
	put(&p, "Purpose: wanted for %s", f[F_PURPOSE]);
	put(&p, "Offense: %s (%s)", f[F_OFFENSE], f[F_LAW]);
	put(&p, "National arrest warrant issued by %s, reference %s",
	    f[F_WARRANT_BY], f[F_WARRANT_REF]);
	put(&p, "3. Verification and training");
	put(&p, "Latest verification: %s, valid", f[F_VERIFIED]);
	put(&p, "4. Preliminary review for indications of abuse");
	put(&p, "Review completed %s; no indicator found by the reviewer "
	    "or shown by the data.", f[F_REVIEWED]);
	put(&p, "5. Independent basis: the notice is not the only basis "
	    "for the action.");
	put(&p, "6. Intended use: enforcement action; %s", f[F_PROCEEDING]);
	put(&p, "%s", "");
	put(&p, "Part B. Supervisor's decision");
	put(&p, "Decision recorded on %s: approved.", f[F_APPROVED]);
	put(&p, "Subject: %s, %s; notice %s", f[F_FAMILY], f[F_GIVEN],
	    f[F_CONTROL]);
	put(&p, "Supervisor: %s, %s", f[F_SUPERVISOR], f[F_SUP_TITLE]);
	put(&p, "Signature of %s                      Date: %s",
	    f[F_SUPERVISOR], f[F_APPROVED]);
	put(&p, "%s", "");
	put(&p, "What the notice is and is not");
	put(&p, "A Red Notice is a request from a member country, "
	    "circulated through INTERPOL, to locate");
	put(&p, "and provisionally arrest a person pending extradition, "
	    "surrender or similar legal action.");
	put(&p, "It is not an arrest warrant and confers no independent "
	    "legal authority.");
	footer(&p, f, "Request for supervisory approval", 1, 1);
	page_end(&p);
}

static void
usncb_request(HPDF_Doc pdf, HPDF_Font font, char **f)
{
	struct pen p;

	page_begin(pdf, font, &p);
	put(&p, "U.S. Immigration and Customs Enforcement    Case %s",
	    f[F_ID]);
	put(&p, "%s", "");
	put(&p, "Memorandum");
	put(&p, "TO: U.S. National Central Bureau (INTERPOL Washington), "
	    "U.S. Department of Justice");
	put(&p, "FROM: %s, %s, %s", f[F_OFFICER], f[F_TITLE], f[F_OFFICE]);
	put(&p, "THROUGH: %s, %s", f[F_SUPERVISOR], f[F_SUP_TITLE]);
	put(&p, "SUBJECT: Underlying documentation and use authorization: "
	    "Red Notice %s", f[F_CONTROL]);
	put(&p, "%s", "");
	put(&p, "1. Underlying documentation");
	put(&p, "Under ICE Directive 15006.1, this office requests the "
	    "documentation underlying the");
	put(&p, "Red Notice with control number %s, issued on %s at the "
	    "request of %s,", f[F_CONTROL], f[F_ISSUED], f[F_ISSUER]);
	put(&p, "concerning the following person.");
	put(&p, "Name: %s, %s", f[F_FAMILY], f[F_GIVEN]);
	put(&p, "Aliases: %s", f[F_ALIAS]);
	put(&p, "Date of birth: %s", f[F_BIRTH]);
	put(&p, "Citizenship: %s", f[F_CITIZEN]);
	put(&p, "A-number: %s", f[F_ANUMBER]);
	put(&p, "The notice seeks the person for %s for:", f[F_PURPOSE]);
	put(&p, "  - %s (%s)", f[F_OFFENSE], f[F_LAW]);
	put(&p, "The ICE case file records a national arrest warrant "
	    "issued by %s,", f[F_WARRANT_BY]);
	put(&p, "reference %s.", f[F_WARRANT_REF]);
	put(&p, "Please provide, where available:");
	put(&p, "1. the arrest warrant or judicial decision on which the "
	    "notice rests;");
	put(&p, "2. the charging documents;");
	put(&p, "3. any judgment and sentence;");
	put(&p, "4. English translations of these documents.");
	put(&p, "ICE does not rely on the notice alone. It will give this "
	    "documentation to the person");
	put(&p, "concerned, with a meaningful opportunity to contest the "
	    "notice or its contents.");
	put(&p, "%s", "");
	put(&p, "2. Use in immigration proceedings");
	put(&p, "ICE intends to use the notice and its underlying "
	    "documentation in the following");
	put(&p, "immigration proceeding: %s.", f[F_PROCEEDING]);
	put(&p, "ICE requests authorization for that use. Please seek the "
	    "consent of the National");
	put(&p, "Central Bureau of %s, as the source of the notice, and "
	    "inform this office.", f[F_ISSUER]);
	footer(&p, f, "Request to INTERPOL Washington", 1, 2);
	page_end(&p);

	page_begin(pdf, font, &p);
	put(&p, "U.S. Immigration and Customs Enforcement    Case %s",
	    f[F_ID]);
	put(&p, "%s", "");
	put(&p, "References");
	put(&p, "INTERPOL Washington reference: %s", f[F_REFERENCE]);
	put(&p, "ICE case: %s", f[F_ID]);
	put(&p, "Notice: Red Notice, control number %s", f[F_CONTROL]);
	put(&p, "Supervisory approval: %s, %s, %s", f[F_APPROVED],
	    f[F_SUPERVISOR], f[F_SUP_TITLE]);
	put(&p, "%s", "");
	put(&p, "Contact");
	put(&p, "Officer: %s, %s, %s", f[F_OFFICER], f[F_TITLE],
	    f[F_OFFICE]);
	put(&p, "Telephone: %s", f[F_PHONE]);
	put(&p, "Email: %s", f[F_EMAIL]);
	put(&p, "%s", "");
	put(&p, "%s, %s                                   Date",
	    f[F_OFFICER], f[F_TITLE]);
	put(&p, "%s", "");
	put(&p, "What the notice is and is not");
	put(&p, "A Red Notice or Wanted Person Diffusion is a request from "
	    "a member country, circulated");
	put(&p, "through INTERPOL, to locate and provisionally arrest a "
	    "person pending extradition,");
	put(&p, "surrender or similar legal action. It is not an arrest "
	    "warrant, it confers no independent");
	put(&p, "legal authority, and it is not a judgment by INTERPOL on "
	    "probable cause or on the validity");
	put(&p, "of the underlying proceedings.");
	footer(&p, f, "Request to INTERPOL Washington", 2, 2);
	page_end(&p);
}

static void
subject_notice(HPDF_Doc pdf, HPDF_Font font, char **f)
{
	struct pen p;

	page_begin(pdf, font, &p);
	put(&p, "Notice to the subject    Case %s", f[F_ID]);
	put(&p, "U.S. Immigration and Customs Enforcement");
	put(&p, "%s", "");
	put(&p, "%s %s", f[F_GIVEN], f[F_FAMILY]);
	put(&p, "%s", f[F_LINE]);
	put(&p, "%s, %s %s", f[F_CITY], f[F_STATE], f[F_ZIP]);
	put(&p, "A-Number: %s", f[F_ANUMBER]);
	put(&p, "%s", "");
	put(&p, "INTERPOL Red Notice: your right to contest it");
	put(&p, "Dear %s %s:", f[F_GIVEN], f[F_FAMILY]);
	put(&p, "We are writing to tell you that an INTERPOL Red Notice "
	    "concerning you exists, that we");
	put(&p, "have received its documentation, and how you can contest "
	    "it. Please read this letter.");
	put(&p, "Kind of notice: INTERPOL Red Notice");
	put(&p, "INTERPOL control number: %s", f[F_CONTROL]);
	put(&p, "Requested by: %s", f[F_ISSUER]);
	put(&p, "Issued on: %s", f[F_ISSUED]);
	put(&p, "Alleged offense: %s (%s)", f[F_OFFENSE], f[F_LAW]);
	put(&p, "National arrest warrant: %s (%s)", f[F_WARRANT_REF],
	    f[F_WARRANT_BY]);
	put(&p, "%s", "");
	put(&p, "What this notice is, and what it is not");
	put(&p, "A Red Notice is a request that a member country makes "
	    "through INTERPOL to law");
	put(&p, "enforcement worldwide, asking them to locate a person and "
	    "to arrest that person");
	put(&p, "provisionally while extradition, surrender or a similar "
	    "legal step is pending.");
	put(&p, "The Red Notice is not an arrest warrant. By itself, it "
	    "gives no legal authority to anyone,");
	put(&p, "including us. It is not a finding by INTERPOL that there is "
	    "probable cause to believe that");
	put(&p, "you committed an offense, and it is not a judgment by "
	    "INTERPOL on the criminal case.");
	put(&p, "We do not rely on the Red Notice alone.");
	put(&p, "%s", "");
	put(&p, "Documents enclosed");
	put(&p, "We asked INTERPOL Washington for the documentation behind "
	    "the Red Notice and received");
	put(&p, "it on %s. A copy of each document we received is enclosed.",
	    f[F_RECEIVED]);
	footer(&p, f, "Notice to the subject", 1, 2);
	page_end(&p);

	page_begin(pdf, font, &p);
	put(&p, "Notice to the subject    Case %s", f[F_ID]);
	put(&p, "%s", "");
	put(&p, "How to contest the notice");
	put(&p, "You may contest the Red Notice and anything in it or in its "
	    "documentation. To do so,");
	put(&p, "send us a written response explaining why you believe it is "
	    "wrong or should not be");
	put(&p, "relied on, together with any evidence you want us to "
	    "consider. Please write the case");
	put(&p, "reference %s on your response.", f[F_ID]);
	put(&p, "%s", "");
	put(&p, "Your right to a lawyer");
	put(&p, "You may be represented by a lawyer or other authorized "
	    "representative of your choice,");
	put(&p, "at no expense to the Government.");
	put(&p, "%s", "");
	put(&p, "A separate route: INTERPOL's Commission for the Control of "
	    "Files");
	put(&p, "You may also apply directly to the Commission for the "
	    "Control of INTERPOL's Files (CCF),");
	put(&p, "200 quai Charles de Gaulle, 69006 Lyon, France. An "
	    "application to the CCF is free of charge.");
	put(&p, "%s", "");
	put(&p, "If you have questions about this notice, please contact %s",
	    f[F_OFFICER]);
	put(&p, "by telephone at %s or by email at %s.", f[F_PHONE],
	    f[F_EMAIL]);
	put(&p, "%s, %s, %s           Date", f[F_OFFICER], f[F_TITLE],
	    f[F_OFFICE]);
	put(&p, "%s", "");
	put(&p, "Certificate of service (8 CFR 1003.32)");
	put(&p, "I certify that on %s I served this notice and the enclosed "
	    "documents on", f[F_SERVED]);
	put(&p, "%s %s by first-class mail, addressed as follows:",
	    f[F_GIVEN], f[F_FAMILY]);
	put(&p, "%s %s", f[F_GIVEN], f[F_FAMILY]);
	put(&p, "%s", f[F_LINE]);
	put(&p, "%s, %s %s", f[F_CITY], f[F_STATE], f[F_ZIP]);
	footer(&p, f, "Notice to the subject", 2, 2);
	page_end(&p);
}

/* A case id is used as a file name: allow what the schema allows. */
static int
id_is_safe(const char *id)
{
	size_t n = strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789._-");

	return id[0] != '\0' && id[0] != '.' && id[0] != '-' &&
	    id[n] == '\0' && n <= 64;
}

/* One case -> OUT/<case-id>.pdf.  Returns 0 on success, -1 on failure. */
static int
one_case(const char *path, const char *outdir)
{
	struct hpdf_err	 err = { 0, 0 };
	xmlDocPtr	 doc;
	xmlNodePtr	 root;
	HPDF_Doc	 pdf = NULL;
	HPDF_Font	 font;
	const char	*name;
	char		*f[F__MAX] = { NULL };
	char		 out[4096];
	int		 i, rc = -1;

	if ((doc = xmlReadFile(path, NULL, XML_PARSE_NONET)) == NULL ||
	    (root = xmlDocGetRootElement(doc)) == NULL) {
		fprintf(stderr, "baseline: %s: cannot parse\n", path);
		goto out;
	}
	for (i = 0; i < F__MAX; i++)
		f[i] = lookup(root, paths[i]);
	if (!id_is_safe(f[F_ID])) {
		fprintf(stderr, "baseline: %s: bad case id\n", path);
		goto out;
	}

	if ((pdf = HPDF_New(on_hpdf_error, &err)) == NULL) {
		fprintf(stderr, "baseline: %s: HPDF_New failed\n", path);
		goto out;
	}
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(pdf);
	if ((name = HPDF_LoadTTFontFromFile(pdf, FONT_PATH, HPDF_TRUE)) ==
	    NULL || (font = HPDF_GetFont(pdf, name, "UTF-8")) == NULL)
		goto fail;

	approval_form(pdf, font, f);
	usncb_request(pdf, font, f);
	subject_notice(pdf, font, f);

	snprintf(out, sizeof(out), "%s/%s.pdf", outdir, f[F_ID]);
	if (err.error_no == 0 && HPDF_SaveToFile(pdf, out) == HPDF_OK &&
	    err.error_no == 0)
		rc = 0;
fail:
	if (rc != 0)
		fprintf(stderr, "baseline: %s: libharu error 0x%04lX "
		    "(detail %lu)\n", path, (unsigned long)err.error_no,
		    (unsigned long)err.detail_no);
out:
	HPDF_Free(pdf);
	for (i = 0; i < F__MAX; i++)
		if (f[i] != NULL && f[i] != empty)
			xmlFree(f[i]);
	xmlFreeDoc(doc);
	return rc;
}

static int
is_xml_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 4 &&
	    strcmp(d->d_name + n - 4, ".xml") == 0;
}

int
main(int argc, char *argv[])
{
	struct dirent	**names;
	struct stat	  st;
	const char	 *outdir = NULL;
	char		  path[4096];
	int		  i, k, n, failed = 0;

	if (argc >= 3 && strcmp(argv[1], "-o") == 0)
		outdir = argv[2];
	if (outdir == NULL || argc < 4) {
		fprintf(stderr, "usage: baseline -o OUT INPUT...\n");
		return 64;
	}
	if (mkdir(outdir, 0750) == -1 && errno != EEXIST) {
		perror(outdir);
		return 1;
	}

	xmlInitParser();
	for (i = 3; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if ((n = scandir(argv[i], &names, is_xml_name,
			    alphasort)) == -1) {
				perror(argv[i]);
				failed = 1;
				continue;
			}
			for (k = 0; k < n; k++) {
				snprintf(path, sizeof(path), "%s/%s", argv[i],
				    names[k]->d_name);
				if (one_case(path, outdir) != 0)
					failed = 1;
				free(names[k]);
			}
			free(names);
		} else if (one_case(argv[i], outdir) != 0)
			failed = 1;
	}
	xmlCleanupParser();
	return failed;
}
