/*
 * fuzz_policy.c - the policy loader on arbitrary bytes: it must load or
 * refuse with a message, never crash, leak or read out of bounds.
 */
#include "fuzz_common.h"

#include "rnpack/intake.h"
#include "rnpack/policy.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	intake_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_scratch(data, size, ".policy.xml");
	struct load_error err;
	struct policy p;

	if (path == NULL)
		return 0;
	policy_defaults(&p);
	if (!intake_load_policy("schema/policy-1.xsd", path, &p, &err)) {
		if (err.message == NULL)
			abort();	/* a refusal always says why */
		load_error_free(&err);
	}
	unlink(path);
	return 0;
}
