/*
 * fuzz_mailstate.c - the mail state reader on arbitrary bytes: a state
 * file lives beside the output and can be damaged by a crash, a full
 * disk or a hand edit.  It must load or refuse with "PATH:LINE: why",
 * never crash; what loads must save and load again to the same pieces.
 */
#include "fuzz_common.h"

#include "rnpack/mailstate.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* What a reader sees of a state, to compare two loads. */
static void
survey(const struct mailstate *ms, size_t *n, unsigned long *next,
    size_t *intents, size_t *jobs)
{
	const char **names = NULL;

	*n = mailstate_count(ms);
	*next = mailstate_next_serial(ms);
	*intents = mailstate_intent_count(ms);
	*jobs = mailstate_job_names(ms, &names);
	free(names);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_scratch(data, size, ".mail-state");
	struct mailstate *ms;
	struct mailstate_piece pc;
	char *err = NULL, lock[160];
	size_t n1, n2, i1, i2, j1, j2;
	unsigned long s1, s2;

	if (path == NULL)
		return 0;
	snprintf(lock, sizeof(lock), "%s.lock", path);
	if ((ms = mailstate_open_wait(path, 0, &err)) == NULL) {
		if (err == NULL)
			abort();	/* a refusal always says why */
		free(err);
		goto out;
	}
	survey(ms, &n1, &s1, &i1, &j1);
	(void)mailstate_get(ms, "HOU-2024-00017", "subject", &pc);
	(void)mailstate_pending(ms, "HOU-2024-00017", "counsel");
	for (size_t k = 0; k < i1; k++)
		(void)mailstate_intent_at(ms, k);
	/* What loaded saves, and reads back the same. */
	if (!mailstate_save(ms, &err)) {
		free(err);
		mailstate_close(ms);
		goto out;
	}
	mailstate_close(ms);
	if ((ms = mailstate_open_wait(path, 0, &err)) == NULL) {
		fprintf(stderr, "saved state does not load: %s\n", err);
		abort();
	}
	survey(ms, &n2, &s2, &i2, &j2);
	if (n1 != n2 || s1 != s2 || i1 != i2 || j1 != j2)
		abort();
	mailstate_close(ms);
out:
	unlink(path);
	unlink(lock);
	return 0;
}
