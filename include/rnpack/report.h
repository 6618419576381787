/*
 * report.h - what a run says about its cases (docs/reports.md):
 * report.json per case, summary.json and summary.csv per run, and one
 * readable line per case for the clerk's terminal.
 *
 * Writers fill a struct buf; the caller decides where the bytes go.
 */
#ifndef RNPACK_REPORT_H
#define RNPACK_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "rnpack/buf.h"
#include "rnpack/diag.h"
#include "rnpack/domain.h"

struct case_doc;
struct evaluation;

/* One input's outcome, kept until the run summary is written. */
struct run_entry {
	char			*source;	/* as given on the command line */
	char			*case_id;	/* NULL when unknown */
	enum case_status	 status;
	struct findings		 findings;	/* every finding, in order */
	bool			 plain;		/* an invalid input's message
						 * quotes nothing of the file */
};

void	run_entry_free(struct run_entry *);
/* Fill e from an evaluated case (copies what it needs). */
void	run_entry_set_case(struct run_entry *e, const char *case_id,
	    const struct evaluation *ev);

/*
 * Where a report's bytes came from: rnpack's version and the SHA-256
 * digests (lowercase hex) of the input file, of the templates and fonts
 * (packet.h) and of the policy file ("built-in" without one).  Recorded
 * in report.json as "rnpack"; with the as-of date they decide whether a
 * re-run may keep a packet (batch.c).
 */
struct report_font {
	const char	*file;		/* as loaded */
	unsigned	 index;		/* face in the file; 0 for .ttf */
	const char	*sha256;	/* of the file's bytes */
};

struct report_provenance {
	const char	*version;
	const char	*input;
	const char	*templates;
	const char	*policy;
	/* The font faces the run embeds: "fonts": [{file, index, sha256}]. */
	const struct report_font *fonts;
	size_t		 nfonts;
};

/* report.json of a case; prov NULL leaves out the "rnpack" member. */
void	report_case_json(struct buf *, const struct case_doc *,
	    const char *source, const struct evaluation *, int32_t as_of,
	    const struct report_provenance *prov);
void	report_summary_json(struct buf *, const struct run_entry *, size_t);
void	report_summary_csv(struct buf *, const struct run_entry *, size_t);
/*
 * The parts the two summaries are made of, so that a merge of shard
 * summaries (merge.h) can join entries written by other runs into the
 * very bytes one run would write.  summary.json is, for n entries,
 * sep(0, n) entry(0) sep(1, n) entry(1) ... sep(n, n); summary.csv is
 * the header, then one row per entry (no line break inside a row).
 */
void	report_summary_json_entry(struct buf *, const struct run_entry *);
void	report_summary_json_sep(struct buf *, size_t i, size_t n);
void	report_summary_csv_header(struct buf *);
void	report_summary_csv_row(struct buf *, const struct run_entry *);
/*
 * "HOU-2024-00017: partial — subject notice withheld: ..." + newline.
 * Only ids, file names, statuses, finding codes and lines: an invalid
 * input's message may quote the file (a date of birth, a name), so it
 * is shown only when verbose or when e->plain says it quotes nothing.
 */
void	report_console_line(struct buf *, const struct run_entry *,
	    bool verbose);

/*
 * How a run's print side ended: the ending of the totals line, the
 * first that applies, in this order.
 */
enum run_ending {
	RUN_END_INTERRUPTED,	/* "; no print job: interrupted" */
	RUN_END_CHECK_ONLY,	/* "; no print job: check only" */
	RUN_END_SAMPLE_OFFICE,	/* "; no print job: sample office" */
	RUN_END_NOT_WRITTEN,	/* "; print job not written: N pieces wait
				 * for the next run" */
	RUN_END_JOB,		/* "; print job DIR (N pieces, M print
				 * files)" */
	RUN_END_NO_NEW_PIECE	/* "; no print job: no new piece" */
};

/* What the mail side says about its print job (mailrun_outcome()). */
struct run_outcome {
	enum run_ending	 ending;
	size_t		 pieces;	/* N: in the job, or waiting */
	size_t		 files;		/* M: print files of the job */
	const char	*dir;		/* the job's folder, -o as given */
	size_t		 held;		/* K: held for a sample translator */
};

struct run_totals {
	size_t		 inputs;	/* every input given */
	size_t		 count[CASE_INVALID + 1];	/* those processed */
	int32_t		 as_of;
	struct run_outcome outcome;
};

/*
 * The last line of a run that read inputs, with its newline:
 * "rnpack: 3 inputs as of 2024-03-14: 1 complete, 1 partial, 0 blocked,
 * 1 invalid; print job out/mail (2 pieces, 1 print files)".  The words
 * never change with the numbers, so scripts can read it; "; K pieces
 * held: sample translator" follows the last three endings when K > 0.
 */
void	report_totals_line(struct buf *, const struct run_totals *);

/* One RFC 4180 CSV cell of s, made visible and defused for spreadsheets
 * (a leading = + - @ gets a quote mark). */
void	report_csv_field(struct buf *, const char *s);

/* JSON string literal of s (any bytes; invalid UTF-8 is escaped). */
void	report_json_string(struct buf *, const char *s);

#endif
