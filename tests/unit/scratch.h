/*
 * scratch.h - a scratch folder for the unit tests that touch files:
 * scratch_make() in a group's setup turns a mkdtemp(3) template such as
 * "/tmp/rnpack-x.XXXXXX" into a new folder, scratch_remove() in its
 * teardown removes the folder and all it holds.  Both return 0 on
 * success and -1 on failure, as cmocka's group fixtures do.
 */
#ifndef RNPACK_TEST_SCRATCH_H
#define RNPACK_TEST_SCRATCH_H

#include <stdio.h>
#include <stdlib.h>

static inline int
scratch_make(char *dir)
{
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
