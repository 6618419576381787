/*
 * test_outdir.c - cmocka tests for outdir.c: atomic writes, reading
 * back, removing, and the clean-up of a killed run's temporaries.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rnpack/buf.h"
#include "rnpack/outdir.h"

#include "scratch.h"

static char root[] = "/tmp/rnpack-outdir.XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return scratch_make(root);
}

static int
teardown(void **state)
{
	(void)state;
	return scratch_remove(root);
}

static void
touch(const char *rel, long age_s)
{
	char path[256];
	struct timespec t[2];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	close(fd);
	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= age_s;
	t[1] = t[0];
	assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
}

static bool
exists(const char *rel)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	return lstat(path, &st) == 0;
}

static void
test_write_read_remove(void **state)
{
	struct outdir *o;
	struct buf b = BUF_INIT;
	char *err = NULL;

	(void)state;
	o = outdir_open(root, &err);
	assert_non_null(o);
	assert_true(outdir_write(o, "C-1", "report.json", "{}\n", 3, &err));
	assert_false(outdir_read(o, "C-1", "packet.pdf", 100, &b));
	assert_false(outdir_read(o, "C-2", "report.json", 100, &b));
	assert_true(outdir_read(o, "C-1", "report.json", 3, &b));
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.ptr, "{}\n", 3);
	/* Longer than max: not read, and out is left empty. */
	assert_false(outdir_read(o, "C-1", "report.json", 2, &b));
	assert_int_equal(b.len, 0);
	assert_false(outdir_read(o, "C-1", "missing", 100, &b));
	/* A folder is not a file. */
	assert_false(outdir_read(o, NULL, "C-1", 100, &b));
	/* Unsynced writes are just as atomic and as readable. */
	assert_true(outdir_write_unsynced(o, "C-1", "hint", "ab", 2, &err));
	assert_true(outdir_read(o, "C-1", "hint", 2, &b));
	assert_memory_equal(b.ptr, "ab", 2);
	assert_true(outdir_remove(o, "C-1", "report.json"));
	assert_false(exists("C-1/report.json"));
	/* Removing what is not there is fine. */
	assert_true(outdir_remove(o, "C-1", "report.json"));
	assert_true(outdir_remove(o, "C-9", "report.json"));
	buf_free(&b);
	outdir_close(o);
}

static void
test_links_not_followed(void **state)
{
	struct outdir *o;
	struct buf b = BUF_INIT;
	char *err = NULL, path[256];

	(void)state;
	o = outdir_open(root, &err);
	assert_non_null(o);
	assert_true(outdir_write(o, "C-1", "real.json", "x", 1, &err));
	snprintf(path, sizeof(path), "%s/C-1/link.json", root);
	assert_int_equal(symlink("real.json", path), 0);
	assert_false(outdir_read(o, "C-1", "link.json", 10, &b));
	buf_free(&b);
	outdir_close(o);
}

static void
test_clean(void **state)
{
	struct outdir *o;
	char *err = NULL, name[64], fresh[64];
	pid_t dead = fork();

	(void)state;
	if (dead == 0)
		_exit(0);
	assert_true(dead > 0);
	waitpid(dead, NULL, 0);
	o = outdir_open(root, &err);
	assert_non_null(o);
	assert_true(outdir_write(o, "C-1", "packet.pdf", "%PDF", 4, &err));
	/* In a case folder, every temporary goes. */
	touch("C-1/.tmp.1.0", 0);
	snprintf(name, sizeof(name), "C-1/.tmp.%ld.3", (long)getpid());
	touch(name, 0);
	outdir_clean(o, "C-1", true);
	assert_false(exists("C-1/.tmp.1.0"));
	assert_false(exists(name));
	assert_true(exists("C-1/packet.pdf"));
	/* At the top, only an old one whose process is gone. */
	snprintf(name, sizeof(name), ".tmp.%ld.0", (long)dead);
	touch(name, 120);
	touch(".tmp.x.0", 120);			/* not ours: no pid */
	snprintf(fresh, sizeof(fresh), ".tmp.%ld.1", (long)dead);
	touch(fresh, 5);			/* too fresh */
	touch("keep.json", 120);
	outdir_clean(o, NULL, false);
	snprintf(name, sizeof(name), ".tmp.%ld.0", (long)dead);
	assert_false(exists(name));
	assert_true(exists(".tmp.x.0"));
	assert_true(exists(fresh));
	assert_true(exists("keep.json"));
	/* A live process's temporary stays, however old. */
	snprintf(name, sizeof(name), ".tmp.%ld.9", (long)getpid());
	touch(name, 120);
	outdir_clean(o, NULL, false);
	assert_true(exists(name));
	outdir_close(o);
}

/* In a child: whether outdir_lock(k, n) gets the folder within wait_ms;
 * exit 0 when it does as want says (and, refused, names the holder). */
static pid_t
try_lock(unsigned k, unsigned n, unsigned wait_ms, bool want)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		char *err = NULL;
		struct outdir *o = outdir_open(root, &err);
		bool got = o != NULL && outdir_lock(o, k, n, wait_ms, &err);

		if (got != want)
			_exit(1);
		if (!got && (err == NULL || strstr(err, "pid ") == NULL ||
		    strstr(err, "in use by") == NULL))
			_exit(2);
		_exit(0);
	}
	return pid;
}

static int
child_status(pid_t pid)
{
	int st;

	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
test_lock(void **state)
{
	char *err = NULL;
	struct outdir *o;

	(void)state;
	o = outdir_open(root, &err);
	assert_non_null(o);
	assert_true(outdir_lock(o, 0, 0, 100, &err));
	/* Unsharded holds it: neither another run nor a shard gets in. */
	assert_int_equal(child_status(try_lock(0, 0, 200, false)), 0);
	assert_int_equal(child_status(try_lock(1, 2, 200, false)), 0);
	outdir_close(o);
	/* Shards share the folder, each its own suffix once. */
	o = outdir_open(root, &err);
	assert_true(outdir_lock(o, 1, 2, 100, &err));
	assert_int_equal(child_status(try_lock(2, 2, 200, true)), 0);
	assert_int_equal(child_status(try_lock(1, 2, 200, false)), 0);
	assert_int_equal(child_status(try_lock(0, 0, 200, false)), 0);
	outdir_close(o);
	assert_int_equal(child_status(try_lock(0, 0, 200, true)), 0);
}

static void
test_open_dir_no_links(void **state)
{
	char *err = NULL, p[300], q[300];
	struct outdir *o;
	int fd;

	(void)state;
	o = outdir_open(root, &err);
	assert_non_null(o);
	fd = outdir_open_dir(o, "mail/jobs", true, &err);
	assert_true(fd >= 0);
	close(fd);
	/* mail/jobs replaced by a link: refused, nothing made there. */
	snprintf(p, sizeof(p), "%s/mail/jobs", root);
	snprintf(q, sizeof(q), "%s/elsewhere", root);
	assert_int_equal(rmdir(p), 0);
	assert_int_equal(mkdir(q, 0700), 0);
	assert_int_equal(symlink(q, p), 0);
	assert_int_equal(outdir_open_dir(o, "mail/jobs", true, &err), -1);
	assert_non_null(strstr(err, "symbolic link"));
	free(err);
	err = NULL;
	assert_int_equal(outdir_open_dir(o, "mail/jobs/x", true, &err), -1);
	free(err);
	snprintf(p, sizeof(p), "%s/elsewhere/x", root);
	assert_int_equal(access(p, F_OK), -1);
	outdir_close(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_dir_no_links, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_write_read_remove, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_links_not_followed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_clean, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
