/*
 * mail.h - the mail pieces of a case (docs/documents.md, addressing):
 * who gets a copy of the subject notice at which address, the USPS
 * recipient block, whether it fits the envelope window, and its
 * Intelligent Mail barcode.
 */
#ifndef RNPACK_MAIL_H
#define RNPACK_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rnpack/imb.h"
#include "rnpack/policy.h"
#include "rnpack/usps.h"

struct case_doc;
struct policy;
struct measure;

#define MAIL_CLEARANCE_IN	0.125	/* inside the window's edges */
#define MAIL_SIZE_PT		9.0	/* recipient block text, at most */
#define MAIL_MIN_PT		8.0	/* and at least: USPS wants >= 8 pt */
#define MAIL_MAX_PIECES		2

struct mail_piece {
	size_t			 copy;		/* 0 original, 1 counsel's */
	const char		*recipient;	/* "subject" or "counsel" */
	struct usps_block	 block;
	bool			 barcode;	/* policy has <mail>, US ZIP */
	/* The policy's ancillary service endorsement, printed above the
	 * barcode; NULL abroad or without one. */
	const char		*endorsement;
	bool			 flat;		/* mailed unfolded */
	struct policy_window	 window;	/* where the block goes */
	char			 routing[12];
	char			 tracking[21];
	char			 bars[IMB_BARS + 1];
	unsigned long		 serial;
	int32_t			 service;	/* its service date: the day it
						 * is mailed, or DATE_NONE */
	int32_t			 due;		/* the deadline it prints */
	double			 size_pt;	/* block text size that fits */
};

/*
 * The pieces a case mails.  The original (copy 0): to the subject's
 * address (method mail), or to counsel when service is through counsel
 * or the subject has no address (in care of counsel, or to counsel as
 * representative when counsel is abroad).  Counsel's copy (copy 1):
 * whenever counsel has an address and the original goes to the subject,
 * also with personal service.  Each block is in Latin script: the
 * subject's name in another script is given as the first Latin-script
 * alias, else transliterated (usps.h).  Free with mail_pieces_free().
 */
size_t	mail_pieces(const struct case_doc *, const struct policy *,
	    struct mail_piece out[MAIL_MAX_PIECES]);
/* Whether the original is mailed to counsel abroad as the subject's
 * representative (no "in care of" line). */
bool	mail_to_representative(const struct case_doc *);
void	mail_pieces_free(struct mail_piece *, size_t);
/* The piece's own PDF in its case folder: "mail-subject.pdf". */
#define MAIL_FILE_SIZE	32
void	mail_piece_file(const struct mail_piece *, char name[MAIL_FILE_SIZE]);
/*
 * Whether the piece's block (the endorsement line, the barcode, then the
 * lines set solid) fits its window (the policy's letter window, or flat
 * window for a flat) less its clearance at some size from MAIL_SIZE_PT down to
 * MAIL_MIN_PT; sets m->size_pt to the largest that fits, or *why to what
 * does not fit at the smallest.
 */
bool	mail_fits(struct mail_piece *, const struct policy *,
	    const struct measure *, char *why, size_t size);
/* Mark the piece a flat: its block moves to the policy's flat window
 * (mail_fits must then be asked again). */
void	mail_set_flat(struct mail_piece *, const struct policy *);
/* Set the serial and compute tracking code and bars (no-op without a
 * barcode); false when the policy's ids are unusable. */
bool	mail_set_serial(struct mail_piece *, const struct policy *,
	    unsigned long serial);

#endif
