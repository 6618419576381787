/*
 * mailstate.h - the mail state: every mail piece a full run issued, kept
 * across runs (docs/policy.md and docs/reports.md).
 *
 * A piece is a (case id, recipient) pair, recipient "subject" or
 * "counsel".  It has a barcode serial number, taken from a counter kept
 * in the state, and a service date.  A later run finds the piece and
 * reuses both, so a notice's bytes and deadline never change; new pieces
 * take the next serials in the order the caller issues them (input
 * order, from one thread), so serials never repeat across runs.
 *
 * The state is locked from mailstate_open() to mailstate_close(): a
 * second rnpack on the same state waits, then gives up with a message.
 * The lock is flock(2) on a separate file, PATH.lock, which is never
 * renamed or removed; the state itself is replaced by rename on every
 * save, so a lock on it would be lost with the old inode.  A process
 * forked while the state is open shares the lock: mailstate_close() in
 * the parent releases it anyway, but a child must never call
 * mailstate_close() or mailstate_save() on its copy.
 *
 * File format (plain text, LF line ends, single spaces, no blank lines):
 *
 *	rnpack-mail-state 2
 *	next 43
 *	piece HOU-2024-00017 counsel 41 2024-03-14 2024-04-15 2024-03-14-001 HEX
 *	piece HOU-2024-00017 subject 42 2024-03-14 2024-04-15 2024-03-14-001 HEX
 *	void HOU-2024-00009 subject 7 2024-03-01 2024-04-01 2024-03-01-001 HEX
 *	intent 2024-03-14-002 HOST PID FINAL-PATH TEMP-PATH
 *	ipiece 2024-03-14-002 HOU-2024-00018 subject 43 2024-03-14 2024-04-15 HEX
 *	ivoid 2024-03-14-002 HOU-2024-00009 subject 8 2024-03-05 2024-04-05 2024-03-05-001 HEX
 *
 * A piece line holds the service date, the deadline, the print job that
 * holds the piece and the digest of its pages ("-" for none: pieces
 * recorded by format 1, whose lines have the first five fields only,
 * are still read).  "void" lines keep voided pieces (--reserve).  An
 * "intent" is a print job being written: its pieces ("ipiece") and the
 * pieces it voids ("ivoid") become current only when it is committed.
 * Paths are written with %XX for '%', spaces and control bytes.  A state
 * holding nothing that format 1 lacks is written as format 1.
 *
 * "next" is the next serial to issue.  It is stored rather than derived
 * from the pieces, so deleting pieces by hand never makes it go back.
 * Pieces are written sorted by case id, then recipient (bytewise); any
 * order is read.  A file that breaks any rule (unknown header, bad
 * number or date, a case id that is not 1-64 of [A-Za-z0-9._-] starting
 * with a letter or digit, a piece or serial listed twice, a serial not
 * below "next", a missing final newline) is refused with its line.
 *
 * Uses only POSIX, date.c, buf.c and xalloc.c.  Not thread-safe: one
 * thread issues; concurrent mailstate_find() calls are fine.
 */
#ifndef RNPACK_MAILSTATE_H
#define RNPACK_MAILSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mailstate;

#define MAILSTATE_JOB_SIZE	40	/* "2024-03-14-001-16-of-16" + room */

/* One piece with everything the state records about it. */
struct mailstate_piece {
	char		 case_id[65];
	char		 recipient[8];		/* "subject" or "counsel" */
	unsigned long	 serial;
	int32_t		 service;		/* day number, date.h */
	int32_t		 deadline;		/* DATE_NONE: not recorded */
	char		 job[MAILSTATE_JOB_SIZE];	/* "": none */
	char		 digest[65];		/* SHA-256 hex, "": none */
};

/* A print job being written (see mailrun.c for the transaction). */
struct mailstate_intent {
	char			 job[MAILSTATE_JOB_SIZE];
	char			 host[256];
	long			 pid;
	char			*final_path;	/* the job's folder */
	char			*tmp_path;	/* where it is built */
	struct mailstate_piece	*pieces;	/* issued on commit */
	size_t			 npieces;
	struct mailstate_piece	*voids;		/* voided on commit */
	size_t			 nvoids;
};

/* How long mailstate_open() waits for another run's lock, in ms. */
#define MAILSTATE_WAIT_MS	30000u

/*
 * Open and lock the state at path, waiting up to wait_ms milliseconds
 * for another process's lock (whose host and PID the message names,
 * from the lock file), and read it.  A missing state is created
 * at once, empty (next serial 1), so an unwritable folder is found
 * before any work is done; its folder must exist.  A symbolic link is
 * refused, as saving would replace it.  Returns NULL with *err (caller
 * frees) when the lock is not had in time, on I/O errors and on a
 * malformed file ("PATH:LINE: what is wrong").
 */
struct mailstate *mailstate_open_wait(const char *path, unsigned wait_ms,
		    char **err);

/* mailstate_open_wait() with MAILSTATE_WAIT_MS. */
struct mailstate *mailstate_open(const char *path, char **err);

/*
 * True when (case_id, recipient) was issued before, in this or an
 * earlier run; then *serial and *service (day number, see date.h) are
 * set when not NULL.  False for unknown pieces and invalid arguments.
 */
bool	mailstate_find(const struct mailstate *, const char *case_id,
	    const char *recipient, unsigned long *serial, int32_t *service);

/*
 * Record a new piece with service date service and the next serial of
 * the counter (the first serial of a new state is 1); returns it.  A
 * piece already present keeps its serial and service date, and its
 * serial is returned.  Returns 0 (never a serial) when case_id is not a
 * valid case id, recipient is neither "subject" nor "counsel", service
 * is not a day of 1900-2199, or the counter is exhausted.
 */
unsigned long mailstate_issue(struct mailstate *, const char *case_id,
		    const char *recipient, int32_t service);

/*
 * mailstate_issue(), taking the smallest serial s not below the counter
 * with s % n == k % n (serials of the residue class k of n, so that n
 * states never hand out the same serial); the counter moves past s.
 * Returns 0 also when n is 0.  n == 1 is mailstate_issue().
 */
unsigned long mailstate_issue_in_class(struct mailstate *,
		    const char *case_id, const char *recipient,
		    int32_t service, unsigned k, unsigned n);

/* The current piece (case_id, recipient) in full; false if none. */
bool	mailstate_get(const struct mailstate *, const char *case_id,
	    const char *recipient, struct mailstate_piece *out);

/*
 * Take the next serial of class k of n (n 0 or 1: any) from the counter
 * without recording a piece: the counter never goes back, so a serial
 * printed in a job that is later rolled back is never given again.
 * 0 when the counter is exhausted.
 */
unsigned long	mailstate_take_serial(struct mailstate *, unsigned k,
		    unsigned n);

/*
 * Record an intent (copied; its job must not be pending already).
 * Commit: its voids leave the current pieces for the history, its
 * pieces become current, the intent goes.  Rollback: the intent goes.
 * Both false when no intent has that job.
 */
bool	mailstate_intent_add(struct mailstate *,
	    const struct mailstate_intent *);
bool	mailstate_intent_commit(struct mailstate *, const char *job);
bool	mailstate_intent_rollback(struct mailstate *, const char *job);
size_t	mailstate_intent_count(const struct mailstate *);
const struct mailstate_intent *mailstate_intent_at(const struct mailstate *,
	    size_t);
/* The job of a pending intent that holds or voids the piece, or NULL. */
const char *mailstate_pending(const struct mailstate *, const char *case_id,
	    const char *recipient);
/*
 * Whether job is named by a piece, a voided piece or an intent: used
 * job numbers are never given again.
 */
bool	mailstate_job_named(const struct mailstate *, const char *job);
/* Every job name the state holds, each once per mention (caller frees
 * the array, not the strings, which live until the next change). */
size_t	mailstate_job_names(const struct mailstate *, const char ***out);

/* Pieces recorded, and the serial the counter will try next. */
size_t		mailstate_count(const struct mailstate *);
unsigned long	mailstate_next_serial(const struct mailstate *);

/*
 * Write the state atomically: PATH.tmp in the same folder, fsync,
 * rename over PATH, fsync the folder; the lock is kept.  Returns false
 * with *err (caller frees) on failure.  The old file is then untouched,
 * except when only the last folder fsync failed: the new file is in
 * place but may not survive a power cut, and the message says so.
 */
bool	mailstate_save(struct mailstate *, char **err);

/* Release the lock and free everything (nothing is saved).  NULL: no-op. */
void	mailstate_close(struct mailstate *);

#endif
