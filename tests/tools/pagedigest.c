/*
 * pagedigest.c - print the page digest (printfile_digest()) of a PDF's
 * pages: pagedigest FILE [FROM COUNT].  For the print-job e2e tests.
 */
#include <stdio.h>
#include <stdlib.h>

#include "rnpack/printfile.h"

int
main(int argc, char **argv)
{
	char hex[DIGEST_HEX_SIZE], *err = NULL;
	size_t from = 0, count = 0;

	if (argc != 2 && argc != 4) {
		fputs("usage: pagedigest FILE [FROM COUNT]\n", stderr);
		return 64;
	}
	if (argc == 4) {
		from = strtoul(argv[2], NULL, 10);
		count = strtoul(argv[3], NULL, 10);
	}
	if (!printfile_digest(argv[1], from, count, hex, &err)) {
		fprintf(stderr, "pagedigest: %s\n", err);
		free(err);
		return 1;
	}
	puts(hex);
	return 0;
}
