/*
 * mailrun.h - the mail side of one batch run: the mail state (serials,
 * service dates, deadlines and jobs kept across runs), the address-fit
 * check, the per-piece records, and at the end the print job
 * OUT/mail/jobs/JOB/ (written as one transaction with the mail state:
 * a piece is issued if and only if a complete print job holds it) and
 * the run's overview OUT/mail/manifest.csv.  See docs/mail-room.md.
 *
 * Calls from workers are safe in parallel except mailrun_allocate(),
 * which the caller makes in input order, one at a time.
 */
#ifndef RNPACK_MAILRUN_H
#define RNPACK_MAILRUN_H

#include <stdbool.h>

#include "rnpack/exitlevel.h"
#include <stddef.h>
#include <stdint.h>

#include "rnpack/mail.h"

struct case_doc;
struct encset;
struct evaluation;
struct measure;
struct outdir;
struct policy;
struct rules_context;
struct run_outcome;
struct buf;

struct mailrun;

/* What a run does with a piece (report.json "state", the manifest). */
enum piece_state {
	PIECE_NEW,		/* issued by this run's job */
	PIECE_REPRINT,		/* issued before, printed again (--reissue) */
	PIECE_VOIDED,		/* issued before, voided (--reserve) */
	PIECE_ALREADY,		/* issued before, not printed */
	PIECE_NOT_ISSUED	/* not printed, not recorded */
};

/* The mail pieces of one case while it is processed. */
struct case_mail {
	struct mail_piece	pieces[MAIL_MAX_PIECES];
	size_t			n;
	unsigned		withheld;	/* bit k: copy k left out */
	bool			is_new[MAIL_MAX_PIECES];	/* new serial */
	enum piece_state	state[MAIL_MAX_PIECES];
	int32_t			deadline[MAIL_MAX_PIECES];
	int32_t			given_on;	/* service/@on as read */
	/* The service date that holds: given_on, or the first mailing's
	 * for a notice issued before (mailrun_prepare()). */
	int32_t			service_on;
	int32_t			recorded_on;	/* of the current pieces */
	bool			reserve, reissue;
	bool			not_identical;	/* a reprint renders anew */
	/* A reprint's first print: a job's print file and pages, or the
	 * case folder's piece ("": render again). */
	char			first_src[MAIL_MAX_PIECES][4096];
	size_t			first_from[MAIL_MAX_PIECES];
	size_t			first_count[MAIL_MAX_PIECES];
	/* The case's enclosures, checked, for its pieces; NULL: none. */
	const struct encset	*enclosures;
};

/*
 * Open the run's mail side.  A full run opens (creating) and locks the
 * state; --check-only reads it when it exists and never writes.
 * Shard k of n (n 0: not sharded) uses the state PATH.k-of-n, takes
 * serials s with s % n == k % n only, and writes notices-k-of-n.pdf and
 * manifest-k-of-n.csv (shard.h).
 * NULL with *err on failure (a locked or corrupt state).
 */
struct mailrun_options {
	const struct policy	*policy;
	struct outdir		*out;		/* locked by the caller */
	bool			 check_only;
	int32_t			 as_of;
	const char *const	*reissue;	/* --reissue ids */
	size_t			 nreissue;
	const char *const	*reserve;	/* --reserve ids */
	size_t			 nreserve;
	size_t			 ninputs;
	unsigned		 shard_k, shard_n;
};

/*
 * Also resolves the print-job intents a killed or failed run left in
 * the state (in memory only with --check-only): a job present is
 * committed, one whose temporary alone is present is rolled back.
 */
struct mailrun	*mailrun_open(const struct mailrun_options *, char **err);
void		 mailrun_free(struct mailrun *);

/*
 * Before the rules: the case's pieces, and in cm->service_on the service
 * date that holds (a notice issued by an earlier run keeps its first
 * date and deadline), which the caller sets on the case before the
 * rules read it.
 */
void	mailrun_prepare(struct mailrun *, const struct case_doc *,
	    struct case_mail *);
/* After the rules: address-does-not-fit findings, documents settled. */
void	mailrun_check(struct mailrun *, const struct case_doc *,
	    struct evaluation *, const struct rules_context *,
	    const struct measure *, struct case_mail *);
/* In input order: serials for the pieces of a generated notice. */
void	mailrun_allocate(struct mailrun *, const struct case_doc *,
	    const struct evaluation *, struct case_mail *);
/*
 * Remember the pieces of input i for the manifest and print job;
 * files_ok false: the case's files could not be written, its pieces
 * stay out of the job.
 */
void	mailrun_record(struct mailrun *, size_t i, const struct case_doc *,
	    const struct evaluation *, const struct case_mail *,
	    bool files_ok);
/*
 * Whether input i's report lists a new or reprinted piece: it is then
 * written only after mailrun_finish(), which commits or rolls back.
 */
bool	mailrun_defers(const struct mailrun *, size_t i);
/* report.json's "pieces" array for input i, as things stand. */
void	mailrun_pieces_json(const struct mailrun *, size_t i, struct buf *);
/*
 * After the batch (inputs 0..done-1): the print job and the state as
 * one transaction, then the run's manifest.  interrupted: SIGINT or
 * SIGTERM came, no job.  Returns the exit level (EXIT_INVALID for an
 * unknown --reissue/--reserve id, EXIT_OUTPUT); messages go to stderr.
 */
enum exit_level	mailrun_finish(struct mailrun *, size_t done,
		    bool interrupted);
/*
 * After mailrun_finish(): how the print side ended, for the run's
 * totals line (report.h): the ending (an enum run_ending; interrupted
 * is the batch's to say) and its numbers.  o->dir stays valid until
 * mailrun_free().
 */
int	mailrun_outcome(const struct mailrun *, struct run_outcome *o);
/* After mailrun_finish(): the manifest rows of input i (0 with
 * --check-only, which writes no manifest). */
size_t	mailrun_pieces(const struct mailrun *, size_t i);

#endif
