/*
 * packet.h - one case's PDF packet: the documents the rules allow, each
 * from its template, laid out and rendered into one bookmarked PDF.
 *
 * A struct packet_env holds what every packet of a run shares (compiled
 * templates, loaded fonts); it is built once before the workers start
 * and then only read.
 */
#ifndef RNPACK_PACKET_H
#define RNPACK_PACKET_H

#include <stdbool.h>
#include <stdint.h>

#include "rnpack/buf.h"
#include "rnpack/digest.h"
#include "rnpack/domain.h"
#include "rnpack/render.h"

struct case_doc;
struct encset;
struct evaluation;
struct policy;
struct rules_text;
struct tmpl;

#define PACKET_MAX_LANGS	16
/* The representation rule's patterns, in the templates folder. */
#define PACKET_REPRESENTATION	"representation.rules"
#define PACKET_REPRESENTATION_MAX	(1024u * 1024)	/* bytes */

struct packet_env {
	struct tmpl		*tmpl[DOC__MAX];	/* NULL: no template */
	/* court-submission.tmpl (court.h), or NULL */
	struct tmpl		*court;
	/* Translations of the subject notice: templates/<lang>/. */
	char			*langs[PACKET_MAX_LANGS];
	struct tmpl		*notice_tr[PACKET_MAX_LANGS];
	size_t			 nlangs;
	struct render_fonts	 fonts;
	/* templates/representation.rules, compiled */
	struct rules_text	*representation;
	const char		*creator;
	/* SHA-256 (hex) over the templates used and the fonts, in the form
	 * described at packet_env_load() */
	char			 sha256[DIGEST_HEX_SIZE];
	/* SHA-256 (hex) of each file of packet_font_paths, for the
	 * report's list of the faces a run embeds. */
	char			 font_sha256[4][DIGEST_HEX_SIZE];
};

/* The Debian DejaVu Sans faces rnpack embeds. */
extern const char *const packet_font_paths[4];

/*
 * Compile the templates of templates_dir (compliance-summary.tmpl is
 * required; the others are used when present, and so are translations
 * of the subject notice in <lang>/subject-notice.tmpl, where <lang> is
 * a primary language subtag), compile representation.rules (required)
 * and load the fonts.  env->sha256 becomes the SHA-256 of the text
 * `sha256sum` prints for the templates used and representation.rules
 * (names relative to templates_dir, in byte order) followed by the four
 * font files of packet_font_paths (absolute paths, in that order).
 * Returns false with *err ("file:line: reason", caller frees).
 */
bool	packet_env_load(struct packet_env *, const char *templates_dir,
	    char **err);
void	packet_env_free(struct packet_env *);

/* Whether every face can draw cp (for the missing-glyph rule). */
bool	packet_env_has_glyph(const void *env, uint32_t cp);

/*
 * The faces a case's packet and pieces are drawn with, for report.json's
 * "fonts": the four DejaVu faces, then each candidate face the case's
 * own text (names, addresses, free text) is shaped with, regular or
 * bold, in the candidates' order.  Known before anything is rendered,
 * so a re-run can tell an unchanged case by its report.  Fills at most
 * max entries of out (pointing into env) and returns how many.
 */
struct report_font;
size_t	packet_case_fonts(const struct packet_env *env,
	    const struct case_doc *c, struct report_font *out, size_t max);

struct mail_piece;

/* The mail pieces of a case, as packet_build() should treat them. */
struct packet_mail {
	const struct mail_piece	*pieces;
	size_t			 npieces;
	unsigned		 withheld;	/* bit k: copy k left out */
	struct buf		*piece_pdf;	/* out: one PDF per piece, or
						 * NULL not to render them */
	/* The enclosures that follow the letter in each piece (NULL or
	 * empty: none; all must be open when the notice is generated). */
	const struct encset	*enclosures;
};

/*
 * Render the packet of an evaluated case into pdf.  The documents are
 * the compliance summary and every other document that ev->generated
 * allows and that has a template; the subject notice once per copy
 * (each in English, then in the subject's language when translated),
 * with each mailed copy's recipient block and barcode.  When
 * mail->piece_pdf is set, each piece's copy is also rendered into its own
 * PDF (piece_pdf[i] for pieces[i]).  Returns false with *err on failure.
 */
bool	packet_build(const struct packet_env *, const struct case_doc *,
	    const struct evaluation *, const struct policy *, int32_t as_of,
	    const struct packet_mail *mail, struct buf *pdf, char **err);

/*
 * Write a one-page PDF at path for testing an envelope stock: the
 * policy's window outlined, the clearance the address keeps, a sample
 * recipient block (with a barcode when the policy has <mail>) kept 2 pt
 * inside that clearance box so the two never touch (smaller, or fewer
 * lines, in a small window), fold marks at 11/3 in and 22/3 in from the
 * top, and a 1-inch ruler (1/8 in ticks) and a 10-cm ruler (mm ticks).  Written to a temporary
 * name and renamed.  false with *err on failure.
 */
bool	packet_calibration_page(const struct packet_env *,
	    const struct policy *, const char *path, char **err);

#endif
