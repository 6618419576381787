/*
 * exitlevel.h - how a run ends: one level per problem met, the run's
 * exit status the worst of them (docs/usage.md, rnpack(1) EXIT STATUS).
 *
 * Every part of a run that can fail returns an enum exit_level, and
 * exit_raise() is the only place levels combine; exit_level_of_case()
 * the only place a case's outcome becomes one; exit_status() the only
 * place the process's status is made.
 */
#ifndef RNPACK_EXITLEVEL_H
#define RNPACK_EXITLEVEL_H

#include <stdbool.h>

#include "rnpack/domain.h"

/* In order of worseness: a higher level replaces a lower one. */
enum exit_level {
	EXIT_COMPLETE = 0,	/* every case complete */
	EXIT_WITHHELD = 1,	/* some documents withheld */
	EXIT_INVALID = 2,	/* some input invalid */
	EXIT_OUTPUT = 3,	/* some output could not be written */
	EXIT_CONFIG = 4,	/* bad policy, template or schema: nothing done */
	EXIT_USAGE = 64		/* bad command line: nothing done */
};

/* *level becomes the worse of *level and to. */
void		exit_raise(enum exit_level *level, enum exit_level to);
/*
 * The level a processed case leaves: complete, or withheld when it is
 * not complete or its address does not fit the envelope window.
 */
enum exit_level	exit_level_of_case(enum case_status, bool address_unfit);
/* The process's status: the level, or 128 + the signal that stopped
 * the run (0: none). */
int		exit_status(enum exit_level, int signal);

#endif
