/*
 * fuzz_splice.c - the print file splice on arbitrary bytes as a piece:
 * pieces are rnpack's own PDFs, but one changed on disk must be refused
 * with its path and a reason, never crash, loop or leave a print file.
 */
#include "fuzz_common.h"

#include "rnpack/printfile.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_scratch(data, size, ".piece.pdf");
	char out[160], hex[DIGEST_HEX_SIZE], *err = NULL;
	struct print_item it[2];
	size_t pages = 0;
	struct stat st;

	if (path == NULL)
		return 0;
	snprintf(out, sizeof(out), "%s.print.pdf", path);
	if (!printfile_pages(path, &pages, &err))
		free(err), err = NULL;
	if (!printfile_digest(path, 0, 0, hex, &err))
		free(err), err = NULL;
	memset(it, 0, sizeof(it));
	it[0].path = it[1].path = path;
	it[0].title = "first";
	it[1].title = "second, pages 2-3";
	it[1].case_id = "HOU-2024-00017";
	it[1].from = 2;
	it[1].count = 2;
	if (!printfile_assemble(it, 2, out, &err)) {
		if (err == NULL || strstr(err, path) == NULL)
			abort();	/* the refusal names the piece */
		free(err);
		/* nothing half-written is left */
		if (stat(out, &st) == 0)
			abort();
	}
	unlink(out);
	unlink(path);
	return 0;
}
