/*
 * test_mailstate.c - the mail state: serials and service dates kept
 * across runs, the counter, refused files (with their line), the lock
 * between processes, atomic saves, and 100,000 pieces.
 *
 * Every state lives in a temporary folder made by setup().  The lock
 * tests fork: the child reports through its exit status only, and ends
 * with _exit() so that it runs no cmocka or sanitizer exit code.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rnpack/date.h"
#include "rnpack/mailstate.h"

#include "scratch.h"

static char dir[] = "/tmp/rnpack-test-mailstate.XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return scratch_make(dir);
}

static int
teardown(void **state)
{
	(void)state;
	return scratch_remove(dir);
}

/* A fresh path in the folder for each test; static storage. */
static const char *
fresh_path(const char *name)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void
write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* The whole file as a string; the caller frees it. */
static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

static int32_t
day(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static double
now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static struct mailstate *
open_ok(const char *path)
{
	char *err = NULL;
	struct mailstate *ms = mailstate_open_wait(path, 1000, &err);

	if (ms == NULL)
		fail_msg("%s", err);
	assert_null(err);
	return ms;
}

static void
save_ok(struct mailstate *ms)
{
	char *err = NULL;

	if (!mailstate_save(ms, &err))
		fail_msg("%s", err);
	assert_null(err);
}

static void
test_new_file_created(void **state)
{
	const char *path = fresh_path("new");
	struct mailstate *ms;
	struct stat st;
	char *s;

	(void)state;
	assert_int_equal(stat(path, &st), -1);
	ms = open_ok(path);
	assert_int_equal(mailstate_count(ms), 0);
	assert_int_equal(mailstate_next_serial(ms), 1);
	/* Written at once, so an unwritable folder shows before any work. */
	s = read_file(path);
	assert_string_equal(s, "rnpack-mail-state 1\nnext 1\n");
	free(s);
	assert_false(mailstate_find(ms, "A-1", "subject", NULL, NULL));
	mailstate_close(ms);
	mailstate_close(NULL);
}

static void
test_missing_folder_refused(void **state)
{
	char *err = NULL;
	char path[300];

	(void)state;
	snprintf(path, sizeof(path), "%s/no/such/folder/state", dir);
	assert_null(mailstate_open_wait(path, 100, &err));
	assert_non_null(err);
	assert_non_null(strstr(err, "lock file"));
	free(err);
}

static void
test_issue_save_reopen(void **state)
{
	const char *path = fresh_path("reopen");
	struct mailstate *ms;
	unsigned long serial;
	int32_t service;
	char *s;

	(void)state;
	ms = open_ok(path);
	assert_int_equal(mailstate_issue(ms, "HOU-2024-00017", "subject",
	    day(2024, 3, 14)), 1);
	assert_int_equal(mailstate_issue(ms, "HOU-2024-00017", "counsel",
	    day(2024, 3, 15)), 2);
	assert_int_equal(mailstate_count(ms), 2);
	assert_int_equal(mailstate_next_serial(ms), 3);
	save_ok(ms);
	mailstate_close(ms);

	/* Sorted by case id, then recipient: counsel before subject. */
	s = read_file(path);
	assert_string_equal(s, "rnpack-mail-state 1\nnext 3\n"
	    "piece HOU-2024-00017 counsel 2 2024-03-15\n"
	    "piece HOU-2024-00017 subject 1 2024-03-14\n");
	free(s);

	ms = open_ok(path);
	assert_int_equal(mailstate_count(ms), 2);
	assert_true(mailstate_find(ms, "HOU-2024-00017", "subject", &serial,
	    &service));
	assert_int_equal(serial, 1);
	assert_int_equal(service, day(2024, 3, 14));
	assert_true(mailstate_find(ms, "HOU-2024-00017", "counsel", &serial,
	    &service));
	assert_int_equal(serial, 2);
	assert_int_equal(service, day(2024, 3, 15));
	assert_false(mailstate_find(ms, "HOU-2024-00018", "subject", NULL,
	    NULL));

	/* The counter continues where the last run stopped. */
	assert_int_equal(mailstate_issue(ms, "HOU-2024-00018", "subject",
	    day(2024, 4, 1)), 3);
	/* An issued piece keeps its serial and its first service date. */
	assert_int_equal(mailstate_issue(ms, "HOU-2024-00017", "subject",
	    day(2024, 5, 1)), 1);
	assert_true(mailstate_find(ms, "HOU-2024-00017", "subject", &serial,
	    &service));
	assert_int_equal(serial, 1);
	assert_int_equal(service, day(2024, 3, 14));
	assert_int_equal(mailstate_next_serial(ms), 4);
	assert_int_equal(mailstate_count(ms), 3);

	/* Not saved: the next run sees the old state. */
	mailstate_close(ms);
	ms = open_ok(path);
	assert_int_equal(mailstate_count(ms), 2);
	assert_int_equal(mailstate_next_serial(ms), 3);
	mailstate_close(ms);
}

static void
test_counter_never_goes_back(void **state)
{
	const char *path = fresh_path("counter");
	static const char text[] = "rnpack-mail-state 1\nnext 10\n"
	    "piece B-2 subject 3 2024-01-02\n";
	struct mailstate *ms;

	(void)state;
	/* Pieces 4..9 were deleted by hand: their serials stay used. */
	write_file(path, text, sizeof(text) - 1);
	ms = open_ok(path);
	assert_int_equal(mailstate_issue(ms, "B-3", "subject",
	    day(2024, 1, 3)), 10);
	mailstate_close(ms);

	/* Even with every piece deleted. */
	write_file(path, "rnpack-mail-state 1\nnext 10\n", 28);
	ms = open_ok(path);
	assert_int_equal(mailstate_count(ms), 0);
	assert_int_equal(mailstate_issue(ms, "B-3", "counsel",
	    day(2024, 1, 3)), 10);
	mailstate_close(ms);
}

static void
test_issue_in_class(void **state)
{
	const char *path = fresh_path("class");
	struct mailstate *ms;

	(void)state;
	ms = open_ok(path);
	assert_int_equal(mailstate_issue_in_class(ms, "C-1", "subject",
	    day(2024, 1, 2), 2, 3), 2);
	assert_int_equal(mailstate_issue_in_class(ms, "C-2", "subject",
	    day(2024, 1, 2), 2, 3), 5);
	assert_int_equal(mailstate_issue_in_class(ms, "C-3", "subject",
	    day(2024, 1, 2), 0, 3), 6);
	assert_int_equal(mailstate_issue_in_class(ms, "C-4", "subject",
	    day(2024, 1, 2), 7, 3), 7);
	assert_int_equal(mailstate_issue_in_class(ms, "C-5", "subject",
	    day(2024, 1, 2), 0, 0), 0);
	/* Already issued: the old serial, whatever the class. */
	assert_int_equal(mailstate_issue_in_class(ms, "C-1", "subject",
	    day(2024, 1, 2), 1, 3), 2);
	assert_int_equal(mailstate_issue(ms, "C-5", "subject",
	    day(2024, 1, 2)), 8);
	mailstate_close(ms);
}

static void
test_invalid_arguments(void **state)
{
	const char *path = fresh_path("args");
	char long_id[70];
	struct mailstate *ms;

	(void)state;
	memset(long_id, 'A', 65);
	long_id[65] = '\0';
	ms = open_ok(path);
	assert_int_equal(mailstate_issue(ms, "A-1", "witness",
	    day(2024, 1, 2)), 0);
	assert_int_equal(mailstate_issue(ms, "A 1", "subject",
	    day(2024, 1, 2)), 0);
	assert_int_equal(mailstate_issue(ms, "-A1", "subject",
	    day(2024, 1, 2)), 0);
	assert_int_equal(mailstate_issue(ms, long_id, "subject",
	    day(2024, 1, 2)), 0);
	assert_int_equal(mailstate_issue(ms, "", "subject",
	    day(2024, 1, 2)), 0);
	assert_int_equal(mailstate_issue(ms, NULL, "subject",
	    day(2024, 1, 2)), 0);
	assert_int_equal(mailstate_issue(ms, "A-1", NULL, day(2024, 1, 2)), 0);
	assert_int_equal(mailstate_issue(ms, "A-1", "subject", DATE_NONE), 0);
	assert_int_equal(mailstate_issue(ms, "A-1", "subject",
	    day(2200, 1, 1)), 0);
	assert_false(mailstate_find(ms, "A-1", "witness", NULL, NULL));
	assert_false(mailstate_find(ms, NULL, "subject", NULL, NULL));
	/* Nothing was consumed by the refusals. */
	assert_int_equal(mailstate_count(ms), 0);
	assert_int_equal(mailstate_next_serial(ms), 1);
	long_id[64] = '\0';
	assert_int_equal(mailstate_issue(ms, long_id, "subject",
	    day(2199, 12, 31)), 1);
	mailstate_close(ms);
}

/* A state text refused at line, with a message containing needle. */
struct bad {
	const char	*text;
	size_t		 len;		/* 0: strlen(text) */
	unsigned	 line;
	const char	*needle;
};

#define H "rnpack-mail-state 1\n"

static const struct bad bad_files[] = {
	{ "", 0, 1, "empty file" },
	{ "rnpack-mail-state\n", 0, 1, "not an rnpack mail state" },
	{ "mail-state 1\nnext 1\n", 0, 1, "not an rnpack mail state" },
	{ "rnpack-mail-state 3\nnext 1\n", 0, 1, "format \"3\"" },
	{ "rnpack-mail-state 2\nnext 5\npiece A-1 subject 1 2024-01-02\n", 0, 3,
	    "expected \"piece" },
	{ "rnpack-mail-state 2\nnext 5\nipiece J A-1 subject 1 2024-01-02 - -\n",
	    0, 3, "names no intent" },
	{ "rnpack-mail-state 2\nnext 5\npiece A-1 subject 1 2024-01-02 - a/b -\n",
	    0, 3, "bad job name" },
	{ "rnpack-mail-state 1", 0, 1, "no newline" },
	{ "rnpack-mail-state 1\r\nnext 1\r\n", 0, 1, "carriage return" },
	{ H, 0, 2, "next SERIAL" },
	{ H "piece A-1 subject 1 2024-01-02\n", 0, 2, "next SERIAL" },
	{ H "next 0\n", 0, 2, "bad counter" },
	{ H "next 007\n", 0, 2, "bad counter" },
	{ H "next -3\n", 0, 2, "bad counter" },
	{ H "next 99999999999999999999999\n", 0, 2, "bad counter" },
	{ H "next 5\npiece A-1 subject 1 2024-02-30\n", 0, 3,
	    "bad service date" },
	{ H "next 5\npiece A-1 subject 1 14/03/2024\n", 0, 3,
	    "bad service date" },
	{ H "next 5\npiece A-1 subject 1 1899-12-31\n", 0, 3,
	    "bad service date" },
	{ H "next 5\npiece A-1 subject 1 2024-01-02\n"
	    "piece A-2 subject 2 2024-01-02\n"
	    "piece A-1 subject 3 2024-01-03\n", 0, 5,
	    "already listed on line 3" },
	{ H "next 5\npiece A-1 subject 2 2024-01-02\n"
	    "piece A-1 counsel 2 2024-01-02\n", 0, 4,
	    "serial 2 is already used on line 3" },
	{ H "next 5\npiece A-1 subject 1 2024-01-02\n"
	    "piece A-2 subject 9 2024-01-02\n", 0, 4,
	    "serial 9 is not below the counter" },
	{ H "next 5\npiece A-1 subject 5 2024-01-02\n", 0, 3,
	    "not below the counter" },
	{ H "next 5\npiece A-1 subject 0 2024-01-02\n", 0, 3, "bad serial" },
	{ H "next 5\npiece A-1 subject 01 2024-01-02\n", 0, 3, "bad serial" },
	{ H "next 5\npiece A-1 witness 1 2024-01-02\n", 0, 3,
	    "recipient must be" },
	{ H "next 5\npiece A/1 subject 1 2024-01-02\n", 0, 3, "bad case id" },
	{ H "next 5\npiece .A1 subject 1 2024-01-02\n", 0, 3, "bad case id" },
	{ H "next 5\npiece A-1  subject 1 2024-01-02\n", 0, 3,
	    "single spaces" },
	{ H "next 5\npiece A-1 subject 1 2024-01-02 \n", 0, 3,
	    "single spaces" },
	{ H "next 5\npiece A-1 subject 1\n", 0, 3, "single spaces" },
	{ H "next 5\n\n", 0, 3, "single spaces" },
	{ H "next 5\nnext 6\n", 0, 3, "expected \"piece" },
	{ H "next 5\npiece A-1\tsubject 1 2024-01-02\n", 0, 3,
	    "control character 0x09 in column 10" },
	{ H "next 5\npiece A-1 subject 1 2024-01-02", 0, 3, "no newline" },
#define WITH_NUL H "next 5\npiece A-1 subject\0 1 2024-01-02\n"
	{ WITH_NUL, sizeof(WITH_NUL) - 1, 0, "NUL byte" },
};

static void
test_corrupt_files_refused(void **state)
{
	const char *path = fresh_path("bad");

	(void)state;
	for (size_t i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
		const struct bad *b = &bad_files[i];
		size_t len = b->len ? b->len : strlen(b->text);
		char *err = NULL, *after, want[300];
		struct mailstate *ms;

		write_file(path, b->text, len);
		ms = mailstate_open_wait(path, 1000, &err);
		if (ms != NULL)
			fail_msg("bad file %zu was accepted", i);
		assert_non_null(err);
		if (b->line > 0) {
			snprintf(want, sizeof(want), "%s:%u: ", path, b->line);
			if (strstr(err, want) == NULL)
				fail_msg("file %zu: want line %u: %s", i,
				    b->line, err);
		}
		if (strstr(err, b->needle) == NULL)
			fail_msg("file %zu: want \"%s\": %s", i, b->needle,
			    err);
		free(err);
		/* A refused file is left as it was. */
		after = read_file(path);
		assert_memory_equal(after, b->text, len);
		free(after);
	}
}

static void
test_unsorted_file_accepted(void **state)
{
	const char *path = fresh_path("unsorted");
	static const char text[] = H "next 4\n"
	    "piece Z-9 subject 1 2024-01-02\n"
	    "piece A-1 subject 3 2024-01-04\n"
	    "piece A-1 counsel 2 2024-01-03\n";
	struct mailstate *ms;
	char *s;

	(void)state;
	write_file(path, text, sizeof(text) - 1);
	ms = open_ok(path);
	assert_int_equal(mailstate_count(ms), 3);
	save_ok(ms);
	mailstate_close(ms);
	s = read_file(path);
	assert_string_equal(s, H "next 4\n"
	    "piece A-1 counsel 2 2024-01-03\n"
	    "piece A-1 subject 3 2024-01-04\n"
	    "piece Z-9 subject 1 2024-01-02\n");
	free(s);
}

static void
test_symlink_refused(void **state)
{
	char target[300], *err = NULL;
	const char *path;

	(void)state;
	snprintf(target, sizeof(target), "%s/real-state", dir);
	write_file(target, H "next 1\n", strlen(H "next 1\n"));
	path = fresh_path("link");
	assert_int_equal(symlink(target, path), 0);
	assert_null(mailstate_open_wait(path, 1000, &err));
	assert_non_null(err);
	assert_non_null(strstr(err, "symbolic link"));
	free(err);
}

/* No temporary in the test folder (".tmp.PID.N", or an old "X.tmp"). */
static void
assert_no_temp_file(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);

		if ((n >= 4 && strcmp(e->d_name + n - 4, ".tmp") == 0) ||
		    strncmp(e->d_name, ".tmp.", 5) == 0)
			fail_msg("temporary file left: %s", e->d_name);
	}
	closedir(d);
}

static void
test_save_is_atomic(void **state)
{
	const char *path = fresh_path("atomic");
	char *err = NULL, *before, *after;
	struct mailstate *ms;
	struct stat st;
	struct rlimit lim, small;
	bool ok;

	(void)state;
	ms = open_ok(path);
	assert_int_not_equal(mailstate_issue(ms, "A-1", "subject",
	    day(2024, 1, 2)), 0);
	save_ok(ms);
	assert_no_temp_file();

	/* A save that fails (here a write past the file size limit, which
	 * root cannot override) leaves the previous state untouched and
	 * no temporary behind. */
	assert_int_not_equal(mailstate_issue(ms, "A-2", "subject",
	    day(2024, 1, 2)), 0);
	save_ok(ms);
	before = read_file(path);
	assert_int_not_equal(mailstate_issue(ms, "A-3", "subject",
	    day(2024, 1, 2)), 0);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &lim), 0);
	small = lim;
	small.rlim_cur = 16;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	ok = mailstate_save(ms, &err);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_false(ok);
	assert_non_null(err);
	assert_non_null(strstr(err, "cannot write the mail state"));
	assert_non_null(strstr(err, "previous file, if any, is unchanged"));
	free(err);
	after = read_file(path);
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_no_temp_file();
	save_ok(ms);
	mailstate_close(ms);
	assert_no_temp_file();

	/* The file keeps the mode it was given. */
	assert_int_equal(chmod(path, 0600), 0);
	ms = open_ok(path);
	save_ok(ms);
	mailstate_close(ms);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	ms = open_ok(path);
	assert_int_equal(mailstate_count(ms), 3);
	mailstate_close(ms);
}

/*
 * Fork a child that opens path waiting wait_ms, and exits 0 when the
 * open's outcome is want_ok and it took at least min_ms; 1-4 otherwise.
 * Returns once the child is about to open, so a slow fork cannot make
 * the parent's timing meaningless.
 */
static pid_t
spawn_opener(const char *path, unsigned wait_ms, bool want_ok,
    unsigned min_ms)
{
	int fds[2];
	char c;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		double t0 = now_s(), spent;
		char *err = NULL;
		struct mailstate *ms;

		close(fds[0]);
		if (write(fds[1], "x", 1) != 1)
			_exit(5);
		ms = mailstate_open_wait(path, wait_ms, &err);

		spent = (now_s() - t0) * 1000;
		if ((ms != NULL) != want_ok)
			_exit(1);
		if (!want_ok && strstr(err, "in use by another rnpack run") ==
		    NULL)
			_exit(2);
		if (!want_ok && strstr(err, "(host ") == NULL && strstr(err,
		    ", pid ") == NULL)
			_exit(3);
		if (spent < min_ms)
			_exit(4);
		_exit(0);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &c, 1), 1);
	close(fds[0]);
	return pid;
}

static int
wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		assert_int_equal(errno, EINTR);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* Intents: kept across a save, committed (voids go to the history,
 * pieces become current with their job), rolled back (nothing). */
static void
test_intents(void **state)
{
	const char *path = fresh_path("intents");
	struct mailstate_piece p = { .case_id = "A-1", .recipient = "subject",
		.deadline = DATE_NONE }, got;
	struct mailstate_intent in;
	struct mailstate *ms;
	const char **names;
	unsigned long s1, s2;
	char *text;

	(void)state;
	ms = open_ok(path);
	s1 = mailstate_take_serial(ms, 0, 1);
	assert_int_equal(s1, 1);
	assert_int_equal(mailstate_count(ms), 0);
	p.serial = s1;
	p.service = day(2024, 3, 14);
	p.deadline = day(2024, 4, 15);
	memset(&in, 0, sizeof(in));
	snprintf(in.job, sizeof(in.job), "2024-03-14-001");
	snprintf(in.host, sizeof(in.host), "h1");
	in.pid = 42;
	in.final_path = (char *)"/o u t/mail/jobs/2024-03-14-001";
	in.tmp_path = (char *)"/o u t/mail/jobs/.2024-03-14-001.tmp-h1-42";
	in.pieces = &p;
	in.npieces = 1;
	assert_true(mailstate_intent_add(ms, &in));
	assert_false(mailstate_intent_add(ms, &in));	/* once */
	assert_string_equal(mailstate_pending(ms, "A-1", "subject"),
	    "2024-03-14-001");
	assert_true(mailstate_job_named(ms, "2024-03-14-001"));
	save_ok(ms);
	mailstate_close(ms);

	/* Read back: the intent, with its paths, is still pending. */
	ms = open_ok(path);
	assert_int_equal(mailstate_intent_count(ms), 1);
	assert_string_equal(mailstate_intent_at(ms, 0)->tmp_path,
	    "/o u t/mail/jobs/.2024-03-14-001.tmp-h1-42");
	assert_false(mailstate_get(ms, "A-1", "subject", &got));
	assert_true(mailstate_intent_commit(ms, "2024-03-14-001"));
	assert_true(mailstate_get(ms, "A-1", "subject", &got));
	assert_string_equal(got.job, "2024-03-14-001");
	assert_int_equal(got.deadline, day(2024, 4, 15));
	assert_null(mailstate_pending(ms, "A-1", "subject"));

	/* Served again: the void and the new piece in one intent. */
	s2 = mailstate_take_serial(ms, 0, 1);
	in.voids = &got;
	in.nvoids = 1;
	p.serial = s2;
	snprintf(in.job, sizeof(in.job), "2024-03-14-002");
	assert_true(mailstate_intent_add(ms, &in));
	assert_true(mailstate_intent_rollback(ms, "2024-03-14-002"));
	assert_true(mailstate_get(ms, "A-1", "subject", &got));
	assert_int_equal(got.serial, s1);	/* rolled back: unchanged */
	assert_true(mailstate_intent_add(ms, &in));
	assert_true(mailstate_intent_commit(ms, "2024-03-14-002"));
	assert_true(mailstate_get(ms, "A-1", "subject", &got));
	assert_int_equal(got.serial, s2);
	assert_int_equal(mailstate_count(ms), 1);
	assert_int_equal(mailstate_job_names(ms, &names), 2);
	free(names);
	save_ok(ms);
	mailstate_close(ms);
	text = read_file(path);
	assert_non_null(strstr(text, "rnpack-mail-state 2\nnext 3\n"
	    "piece A-1 subject 2 2024-03-14 2024-04-15 2024-03-14-002 -\n"
	    "void A-1 subject 1 2024-03-14 2024-04-15 2024-03-14-001 -\n"));
	free(text);
	/* And it reads back. */
	ms = open_ok(path);
	mailstate_close(ms);
}

static void
test_lock_between_processes(void **state)
{
	const char *path = fresh_path("locked");
	struct timespec nap = { 0, 300 * 1000000L };
	struct mailstate *ms;
	pid_t pid;

	(void)state;
	ms = open_ok(path);

	/* The parent holds it: the child waits 300 ms, then fails. */
	pid = spawn_opener(path, 300, false, 290);
	assert_int_equal(wait_child(pid), 0);

	/* The child waits; the parent closes after 300 ms: it gets in. */
	pid = spawn_opener(path, 10000, true, 250);
	nanosleep(&nap, NULL);
	mailstate_close(ms);
	assert_int_equal(wait_child(pid), 0);

	/* Free again: the parent opens without waiting. */
	ms = open_ok(path);
	mailstate_close(ms);
}

static void
test_lock_same_process(void **state)
{
	const char *path = fresh_path("twice");
	struct mailstate *ms, *again;
	char *err = NULL;

	(void)state;
	ms = open_ok(path);
	again = mailstate_open_wait(path, 100, &err);
	assert_null(again);
	assert_non_null(err);
	assert_non_null(strstr(err, "in use"));
	free(err);
	mailstate_close(ms);
}

static void
test_large_state(void **state)
{
	const char *path = fresh_path("large");
	enum { NCASES = 50000 };
	double t0, t_issue, t_save1, t_open, t_find, t_save2;
	struct mailstate *ms;
	char id[32];

	(void)state;
	ms = open_ok(path);
	t0 = now_s();
	/* Issued in a scrambled order so the file is not already sorted. */
	for (unsigned long i = 0; i < NCASES; i++) {
		unsigned long c = (i * 7919) % NCASES;

		snprintf(id, sizeof(id), "HOU-%06lu", c);
		assert_int_equal(mailstate_issue(ms, id, "subject",
		    day(2024, 1, 1) + (int32_t)(c % 300)), 2 * i + 1);
		assert_int_equal(mailstate_issue(ms, id, "counsel",
		    day(2024, 1, 1) + (int32_t)(c % 300)), 2 * i + 2);
	}
	t_issue = now_s() - t0;
	t0 = now_s();
	save_ok(ms);
	t_save1 = now_s() - t0;
	mailstate_close(ms);

	t0 = now_s();
	ms = open_ok(path);
	t_open = now_s() - t0;
	assert_int_equal(mailstate_count(ms), 2 * NCASES);
	t0 = now_s();
	for (unsigned long i = 0; i < NCASES; i++) {
		unsigned long c = (i * 7919) % NCASES, serial;
		int32_t service;

		snprintf(id, sizeof(id), "HOU-%06lu", c);
		assert_true(mailstate_find(ms, id, "counsel", &serial,
		    &service));
		assert_int_equal(serial, 2 * i + 2);
		assert_int_equal(service, day(2024, 1, 1) + (int32_t)(c % 300));
	}
	t_find = now_s() - t0;
	t0 = now_s();
	save_ok(ms);
	t_save2 = now_s() - t0;
	mailstate_close(ms);
	print_message("100,000 pieces: issue %.3f s, save %.3f s, open %.3f s, "
	    "50,000 finds %.3f s, save again %.3f s\n", t_issue, t_save1,
	    t_open, t_find, t_save2);
	/* Generous, sanitizers included; catches quadratic behaviour. */
	assert_true(t_issue + t_save1 + t_open + t_find + t_save2 < 20.0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_file_created),
		cmocka_unit_test(test_missing_folder_refused),
		cmocka_unit_test(test_issue_save_reopen),
		cmocka_unit_test(test_counter_never_goes_back),
		cmocka_unit_test(test_issue_in_class),
		cmocka_unit_test(test_invalid_arguments),
		cmocka_unit_test(test_corrupt_files_refused),
		cmocka_unit_test(test_unsorted_file_accepted),
		cmocka_unit_test(test_symlink_refused),
		cmocka_unit_test(test_save_is_atomic),
		cmocka_unit_test(test_lock_between_processes),
		cmocka_unit_test(test_intents),
		cmocka_unit_test(test_lock_same_process),
		cmocka_unit_test(test_large_state),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
