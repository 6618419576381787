/*
 * mailjob.h - one print job folder, OUT/mail/jobs/JOB/: its name, its
 * files (letters.pdf or its volumes, manifest.csv, ticket.txt), built in
 * a temporary folder beside it and renamed into place by
 * mailjob_publish().  The transaction around it (the mail state's
 * intent) is mailrun.c's; this module never touches the state except to
 * read which jobs and temporaries it names.
 *
 * Folders are opened without following symbolic links; the print files
 * are assembled through /proc/self/fd/N, the temporary folder's own
 * descriptor, so nothing is written outside the output folder.
 */
#ifndef RNPACK_MAILJOB_H
#define RNPACK_MAILJOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rnpack/imb.h"
#include "rnpack/mailrun.h"
#include "rnpack/mailstate.h"

struct buf;
struct outdir;
struct policy;

/* One piece as the manifests and the job know it. */
struct job_piece {
	char		*case_id;
	const char	*recipient;	/* static text */
	size_t		 copy;		/* 0 subject, 1 counsel, 2-3 voided */
	size_t		 input;		/* position in the run */
	char		*name;
	char		*address;	/* lines joined with " | " */
	char		 zip[16];	/* "" abroad */
	char		 country[8];	/* ISO code, "" in the U.S. */
	char		 postal[32];
	bool		 foreign;
	char		 tracking[21];
	char		 routing[12];
	char		 bars[IMB_BARS + 1];
	char		*enclosures;
	char		 due[11];
	enum piece_state state;
	bool		 held;		/* in a pending intent */
	unsigned long	 serial;	/* 0: none */
	int32_t		 service, deadline;
	char		 job[MAILSTATE_JOB_SIZE];
	char		 digest[65];
	char		*pdf;		/* OUT-relative piece PDF */
	char		*src;		/* a reprint's first print, or NULL */
	size_t		 src_from, src_count;	/* its pages (0: all) */
	/* In the job: */
	const char	*kind;		/* "letter", "flat", "parcel" */
	double		 weight_oz;
	char		 file[48];	/* its print file's name, or "" */
	size_t		 first, pages, sheets;
};

void	mailjob_piece_free(struct job_piece *);

/*
 * The next job name for as_of in the jobs folder: the date and a
 * three-digit number one higher than the highest used for that date (a
 * job folder, a temporary ".JOB.tmp-*", or one of names), with
 * "-K-of-N" for a shard, which counts only names with its own suffix.
 */
void	mailjob_next_name(int jobs_fd, const char *const *names, size_t n,
	    int32_t as_of, unsigned k, unsigned nshards, char *out,
	    size_t size);

/* This host's name as temporaries carry it ([A-Za-z0-9.] kept). */
void	mailjob_host(char *out, size_t size);

/*
 * Remove the temporaries of the jobs folder that are this host's, whose
 * PID no longer runs, with this run's shard suffix, and that no intent
 * of ms names; name other hosts' on stderr.  The caller holds the
 * output folder's lock.
 */
void	mailjob_clean(int jobs_fd, const struct mailstate *ms,
	    const char *host, unsigned k, unsigned n, const char *out_path);

/* Remove a temporary job folder by path (files, then the folder). */
bool	mailjob_remove_tree(const char *path);

struct mailjob {
	const struct policy	*policy;
	struct outdir		*out;
	int			 jobs_fd;	/* not owned */
	int			 tmp_fd;	/* the temporary folder */
	char			 name[MAILSTATE_JOB_SIZE];
	char			 tmp_name[160];
	char			**files;	/* print files, in order */
	size_t			 nfiles;
	bool			 made;		/* tmp_name exists */
	bool			 synced;	/* the rename is durable */
};

void	mailjob_init(struct mailjob *, const struct policy *, struct outdir *,
	    int jobs_fd, const char *name, const char *host);
/*
 * Read the piece's PDF (a reprint's first print, else its case folder's
 * piece) for its pages, sheets, kind and weight: false with *err when it
 * cannot be read (the case is then left out of the job).
 */
bool	mailjob_check_piece(struct mailjob *, struct job_piece *, char **err);
/*
 * Build the job in its temporary folder from pieces that passed
 * mailjob_check_piece(): in print order (sorted here), the print files
 * (letters, then flats), manifest.csv, ticket.txt, every file and the
 * folder synced.  false with *err.
 */
bool	mailjob_build(struct mailjob *, struct job_piece **, size_t n,
	    char **err);
/* Rename the temporary folder to the job's name and sync the jobs
 * folder.  false with *err (the temporary is then still there); true
 * with synced false when the rename is done but may not survive a
 * power cut (the job must then not be committed yet). */
bool	mailjob_publish(struct mailjob *, char **err);
/* Remove the temporary folder (a job that will not be). */
void	mailjob_abandon(struct mailjob *);
void	mailjob_free(struct mailjob *);

/*
 * Where a piece's first print is: the print file and page range that
 * job's manifest gives for (case_id, recipient), when its page digest is
 * digest (*path: caller frees).  false when the job, its row or its
 * pages are not there or differ.
 */
bool	mailjob_locate(struct outdir *, const char *job, const char *case_id,
	    const char *recipient, const char *digest, char **path,
	    size_t *from, size_t *count);

/* The manifests' CSV: header, and one row (status as given). */
void	mailjob_manifest_header(struct buf *);
void	mailjob_manifest_row(struct buf *, const struct job_piece *,
	    const char *status);

#endif
