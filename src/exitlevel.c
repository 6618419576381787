/*
 * exitlevel.c - the run's exit level (see exitlevel.h).
 */
#include "rnpack/exitlevel.h"

void
exit_raise(enum exit_level *level, enum exit_level to)
{
	if (to > *level)
		*level = to;
}

enum exit_level
exit_level_of_case(enum case_status st, bool address_unfit)
{
	return st == CASE_COMPLETE && !address_unfit ? EXIT_COMPLETE :
	    EXIT_WITHHELD;
}

int
exit_status(enum exit_level level, int signal)
{
	return signal != 0 ? 128 + signal : (int)level;
}
