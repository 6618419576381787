/*
 * test_atomicio.c - cmocka tests for atomicio.c: a file is replaced
 * whole or not at all, never through a link, and a failure names the
 * file and leaves no temporary.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rnpack/atomicio.h"

#include "scratch.h"

static char root[] = "/tmp/rnpack-atomicio.XXXXXX";
static int dfd = -1;

static int
setup(void **state)
{
	(void)state;
	if (scratch_make(root) != 0)
		return -1;
	dfd = open(root, O_RDONLY | O_DIRECTORY);
	return dfd < 0 ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	close(dfd);
	return scratch_remove(root);
}

static char *
path_of(const char *name)
{
	static char p[300];

	snprintf(p, sizeof(p), "%s/%s", root, name);
	return p;
}

/* The file's bytes as a string (caller frees); NULL when unreadable. */
static char *
slurp(const char *name)
{
	FILE *f = fopen(path_of(name), "rb");
	char *s = calloc(1, 4096);
	size_t n;

	if (f == NULL) {
		free(s);
		return NULL;
	}
	n = fread(s, 1, 4095, f);
	s[n] = '\0';
	fclose(f);
	return s;
}

static void
assert_content(const char *name, const char *want)
{
	char *got = slurp(name);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
assert_no_temporary(void)
{
	DIR *d = opendir(root);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, ATOMICIO_TMP_PREFIX,
		    strlen(ATOMICIO_TMP_PREFIX)) == 0)
			fail_msg("temporary left: %s", e->d_name);
	closedir(d);
}

static void
test_replace_new_and_existing(void **state)
{
	struct stat st;
	char *err = NULL;
	mode_t old = umask(022);

	(void)state;
	assert_true(atomicio_replace(dfd, "a.txt", NULL, "one\n", 4, 0640, 0,
	    &err));
	assert_null(err);
	assert_content("a.txt", "one\n");
	assert_int_equal(stat(path_of("a.txt"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_true(atomicio_replace(dfd, "a.txt", NULL, "two\n", 4, 0640, 0,
	    &err));
	assert_content("a.txt", "two\n");
	/* The exact mode when asked, whatever the umask. */
	umask(077);
	assert_true(atomicio_replace(dfd, "m.txt", NULL, "m", 1, 0644,
	    ATOMICIO_EXACT_MODE, &err));
	assert_int_equal(stat(path_of("m.txt"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	/* Not synced: still whole. */
	assert_true(atomicio_replace(dfd, "c.txt", NULL, "cache", 5, 0640,
	    ATOMICIO_NOSYNC, &err));
	assert_content("c.txt", "cache");
	umask(old);
	assert_no_temporary();
}

static void
test_streaming_and_abort(void **state)
{
	struct atomicio *a;
	char *err = NULL;

	(void)state;
	a = atomicio_begin_path(path_of("s.txt"), NULL, 0640, 0, &err);
	assert_non_null(a);
	assert_true(atomicio_fd(a) >= 0);
	assert_true(atomicio_write(a, "ab", 2));
	/* Nothing is visible before the commit. */
	assert_null(slurp("s.txt"));
	assert_true(atomicio_write(a, "cd", 2));
	assert_true(atomicio_commit(a, &err));
	assert_content("s.txt", "abcd");

	a = atomicio_begin(dfd, "s.txt", NULL, 0640, 0, &err);
	assert_non_null(a);
	assert_true(atomicio_write(a, "half", 4));
	atomicio_abort(a);
	atomicio_abort(NULL);
	assert_content("s.txt", "abcd");
	assert_no_temporary();
}

/* A link planted at the target is replaced, never written through; a
 * link planted at the first temporary name is stepped over. */
static void
test_links_not_followed(void **state)
{
	char tmp[64], *err = NULL;

	(void)state;
	assert_true(atomicio_replace(dfd, "outside", NULL, "keep", 4, 0640,
	    0, &err));
	assert_int_equal(symlinkat("outside", dfd, "target"), 0);
	snprintf(tmp, sizeof(tmp), ATOMICIO_TMP_PREFIX "%ld.0",
	    (long)getpid());
	assert_int_equal(symlinkat("outside", dfd, tmp), 0);
	assert_true(atomicio_replace(dfd, "target", NULL, "new", 3, 0640, 0,
	    &err));
	assert_content("outside", "keep");
	assert_content("target", "new");
	{
		struct stat st;

		assert_int_equal(lstat(path_of("target"), &st), 0);
		assert_true(S_ISREG(st.st_mode));
	}
	assert_int_equal(unlinkat(dfd, tmp, 0), 0);
	assert_no_temporary();
}

static void
test_failures_name_the_file(void **state)
{
	struct rlimit lim, small;
	char *err = NULL;
	bool ok;

	(void)state;
	assert_true(atomicio_replace(dfd, "r.json", NULL, "{}\n", 3, 0640, 0,
	    &err));
	/* A full disk, as the file size limit fakes it (root too). */
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &lim), 0);
	small = lim;
	small.rlim_cur = 8;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	ok = atomicio_replace(dfd, "r.json", "OUT/C-1/report.json",
	    "{\"long\": \"enough\"}\n", 19, 0640, 0, &err);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_false(ok);
	assert_non_null(err);
	assert_non_null(strstr(err, "cannot write OUT/C-1/report.json: "));
	assert_non_null(strstr(err, "while writing it"));
	assert_non_null(strstr(err, "previous file, if any, is unchanged"));
	free(err);
	err = NULL;
	assert_content("r.json", "{}\n");
	assert_no_temporary();

	/* Not a file name. */
	assert_false(atomicio_replace(dfd, "a/b", NULL, "x", 1, 0640, 0,
	    &err));
	assert_non_null(strstr(err, "not a file name"));
	free(err);
	err = NULL;
	assert_false(atomicio_replace(dfd, "..", NULL, "x", 1, 0640, 0, &err));
	free(err);
	err = NULL;

	/* A folder that is not there. */
	assert_false(atomicio_replace_path(path_of("no/such/x"), NULL, "x", 1,
	    0640, 0, &err));
	assert_non_null(strstr(err, "no/such/x"));
	assert_non_null(strstr(err, "No such file"));
	free(err);
	err = NULL;

	/* The target is a folder: the rename fails, the temporary goes. */
	assert_int_equal(mkdirat(dfd, "dir", 0750), 0);
	assert_int_equal(mkdirat(dfd, "dir/x", 0750), 0);
	assert_false(atomicio_replace(dfd, "dir", NULL, "x", 1, 0640, 0,
	    &err));
	assert_non_null(strstr(err, "while renaming it"));
	free(err);
	assert_no_temporary();
}

static void
test_is_tmp(void **state)
{
	long pid = 0;

	(void)state;
	assert_true(atomicio_is_tmp(".tmp.123.4", &pid));
	assert_int_equal(pid, 123);
	assert_false(atomicio_is_tmp(".tmp.x.4", &pid));
	assert_false(atomicio_is_tmp(".tmp.123", &pid));
	assert_false(atomicio_is_tmp("report.json", &pid));
	assert_false(atomicio_is_tmp(".tmp.0.report", &pid));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_replace_new_and_existing,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_streaming_and_abort,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_links_not_followed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_failures_name_the_file,
		    setup, teardown),
		cmocka_unit_test(test_is_tmp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
