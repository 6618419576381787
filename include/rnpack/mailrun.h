/*
 * mailrun.h - the mail side of one batch run (DOMAIN.md sections 5, 7
 * and 8): the mail state (serials and service dates kept across runs),
 * the address-fit check, the per-piece records, and at the end the print
 * file OUT/mail/notices.pdf and OUT/mail/manifest.csv.
 *
 * Calls from workers are safe in parallel except mailrun_allocate(),
 * which the caller makes in input order, one at a time.
 */
#ifndef RNPACK_MAILRUN_H
#define RNPACK_MAILRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rnpack/mail.h"

struct case_doc;
struct evaluation;
struct measure;
struct outdir;
struct policy;
struct rules_context;
struct run_outcome;

struct mailrun;

/* The mail pieces of one case while it is processed. */
struct case_mail {
	struct mail_piece	pieces[MAIL_MAX_PIECES];
	size_t			n;
	unsigned		withheld;	/* bit k: copy k left out */
	bool			is_new[MAIL_MAX_PIECES];
	int32_t			case_on;	/* service/@on as the case
						 * gives it, or DATE_NONE */
};

/*
 * Open the run's mail side.  A full run opens (creating) and locks the
 * state; --check-only reads it when it exists and never writes.
 * Shard k of n (n 0: not sharded) uses the state PATH.k-of-n, takes
 * serials s with s % n == k % n only, and writes notices-k-of-n.pdf and
 * manifest-k-of-n.csv (shard.h).
 * NULL with *err on failure (a locked or corrupt state).
 */
struct mailrun	*mailrun_open(const struct policy *, struct outdir *,
		    bool check_only, const char *const *reissue,
		    size_t nreissue, size_t ninputs, unsigned shard_k,
		    unsigned shard_n, char **err);
void		 mailrun_free(struct mailrun *);

/*
 * Before the rules: the case's pieces, and the service date of a notice
 * issued by an earlier run (it keeps its first date and deadline).
 */
void	mailrun_prepare(struct mailrun *, struct case_doc *, struct case_mail *);
/* After the rules: address-does-not-fit findings, documents settled. */
void	mailrun_check(struct mailrun *, const struct case_doc *,
	    struct evaluation *, const struct rules_context *,
	    const struct measure *, struct case_mail *);
/* In input order: serials for the pieces of a generated notice. */
void	mailrun_allocate(struct mailrun *, const struct case_doc *,
	    const struct evaluation *, struct case_mail *);
/* Remember the pieces of input i for the manifest and print file. */
void	mailrun_record(struct mailrun *, size_t i, const struct case_doc *,
	    const struct evaluation *, const struct case_mail *);
/*
 * After the batch (inputs 0..done-1): save the state, write the print
 * file and the manifest.  Returns an exit status (0 or 3); messages go
 * to stderr.
 */
int	mailrun_finish(struct mailrun *, size_t done);
/*
 * After mailrun_finish(): how the print side ended, for the run's
 * totals line (report.h): the ending (an enum run_ending, never
 * RUN_END_INTERRUPTED, which is the batch's to say) and its numbers.
 * o->dir stays valid until mailrun_free().
 */
int	mailrun_outcome(const struct mailrun *, struct run_outcome *o);
/* After mailrun_finish(): the manifest rows of input i (0 with
 * --check-only, which writes no manifest). */
size_t	mailrun_pieces(const struct mailrun *, size_t i);

#endif
