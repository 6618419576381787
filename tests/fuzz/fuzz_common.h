/*
 * fuzz_common.h - what the fuzz targets share: a scratch file to hand
 * bytes to the loaders, which read paths (they refuse anything but a
 * regular file, so the bytes go through a real one).
 *
 * Targets run from the top of the source tree, where schema/ and
 * templates/ are.
 */
#ifndef RNPACK_FUZZ_COMMON_H
#define RNPACK_FUZZ_COMMON_H

#include <fcntl.h>
#include <sys/stat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

/* Write data to a per-process scratch file; its path, or NULL. */
static inline const char *
fuzz_scratch(const uint8_t *data, size_t size, const char *suffix)
{
	static char path[128];	/* one per process: targets are serial */
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	int fd;

	snprintf(path, sizeof(path), "%s/rnpack-fuzz-%ld%s", dir,
	    (long)getpid(), suffix);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
		return NULL;
	if (size > 0 && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return NULL;
	}
	close(fd);
	return path;
}

#endif
