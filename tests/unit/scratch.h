/*
 * scratch.h - a scratch folder for the unit tests that touch files:
 * scratch_make() in a setup turns a mkdtemp(3) template such as
 * "/tmp/rnpack-x.XXXXXX" into a new folder, scratch_remove() in the
 * teardown removes the folder and all it holds.  Both return 0 on
 * success and -1 on failure, as cmocka's fixtures do.
 */
#ifndef RNPACK_TEST_SCRATCH_H
#define RNPACK_TEST_SCRATCH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The template's last six characters are reset to XXXXXX first: a setup
 * run before each test makes a new folder from the name the last one
 * left there.
 */
static inline int
scratch_make(char *dir)
{
	size_t n = strlen(dir);

	if (n < 6)
		return -1;
	memcpy(dir + n - 6, "XXXXXX", 6);
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static inline int
scratch_remove(const char *dir)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

#endif
