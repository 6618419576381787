/*
 * batch.h - one run over a list of inputs: collect the case files, load,
 * check and report each one (in parallel when asked), write the run
 * summaries, and work out the exit status (docs/reports.md).
 */
#ifndef RNPACK_BATCH_H
#define RNPACK_BATCH_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "rnpack/exitlevel.h"

struct policy;
struct intake;
struct packet_env;


struct batch_options {
	const char *const	*inputs;	/* files or folders */
	int			 ninputs;
	const char		*output;	/* output folder */
	int32_t			 as_of;
	bool			 check_only;
	bool			 force;		/* render unchanged cases too */
	bool			 verbose;	/* invalid inputs' messages */
	bool			 quiet;		/* no line for complete cases */
	bool			 progress;	/* progress line (a terminal) */
	int			 jobs;
	const struct policy	*policy;
	const struct intake	*intake;
	const struct packet_env	*packet;	/* templates and fonts */
	const char *const	*reissue;	/* --reissue case ids */
	size_t			 nreissue;
	const char *const	*reserve;	/* --reserve case ids */
	size_t			 nreserve;
	const char *const	*translations;	/* language subtags */
	size_t			 ntranslations;
	/* --shard K/N: only the inputs of shard K (shard.h); N 0: all. */
	unsigned		 shard_k, shard_n;
	const char		*version;	/* rnpack's, for report.json */
	/* SHA-256 (hex) of the running program, for the resume proof:
	 * a rebuilt binary renders again.  NULL: not known. */
	const char		*build;
	/* Set asynchronously by a signal handler: stop taking new cases. */
	volatile sig_atomic_t	*stop;
};

/* Run the batch; returns the exit status. */
enum exit_level	batch_run(const struct batch_options *);

#endif
