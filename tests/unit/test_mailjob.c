/*
 * test_mailjob.c - cmocka tests for mailjob.c: job names (folders,
 * temporaries and the state's names count; a shard's suffix), which
 * temporaries a run removes, the piece classification, the manifest row,
 * and a whole job built, published and located again.
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
#include <unistd.h>

#include "rnpack/buf.h"
#include "rnpack/date.h"
#include "rnpack/mailjob.h"
#include "rnpack/mailweight.h"
#include "rnpack/mailstate.h"
#include "rnpack/outdir.h"
#include "rnpack/policy.h"

#include "scratch.h"

static char root[] = "/tmp/rnpack-mailjob.XXXXXX";

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

static int
jobs_dir(void)
{
	char p[300];
	int fd;

	snprintf(p, sizeof(p), "%s/jobs", root);
	mkdir(p, 0750);
	fd = open(p, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	return fd;
}

static void
mk(int dfd, const char *name)
{
	assert_int_equal(mkdirat(dfd, name, 0750), 0);
}

static bool
has(int dfd, const char *name)
{
	struct stat st;

	return fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static void
test_next_name(void **state)
{
	int32_t day = date_from_ymd(2024, 3, 14);
	const char *names[] = { "2024-03-14-004", "2024-03-13-050",
		"2024-03-14-009-1-of-3" };
	char out[MAILSTATE_JOB_SIZE];
	int dfd = jobs_dir();

	(void)state;
	mailjob_next_name(dfd, NULL, 0, day, 0, 0, out, sizeof(out));
	assert_string_equal(out, "2024-03-14-001");
	mk(dfd, "2024-03-14-001");
	mk(dfd, "2024-03-15-007");		/* another date */
	mk(dfd, "2024-03-14-003-2-of-3");	/* a shard's */
	mailjob_next_name(dfd, NULL, 0, day, 0, 0, out, sizeof(out));
	assert_string_equal(out, "2024-03-14-002");
	/* A temporary counts, as does a name in the state. */
	mk(dfd, ".2024-03-14-002.tmp-host-1");
	mailjob_next_name(dfd, NULL, 0, day, 0, 0, out, sizeof(out));
	assert_string_equal(out, "2024-03-14-003");
	mailjob_next_name(dfd, names, 3, day, 0, 0, out, sizeof(out));
	assert_string_equal(out, "2024-03-14-005");
	/* A shard counts only its own suffix. */
	mailjob_next_name(dfd, names, 3, day, 2, 3, out, sizeof(out));
	assert_string_equal(out, "2024-03-14-004-2-of-3");
	mailjob_next_name(dfd, names, 3, day, 1, 3, out, sizeof(out));
	assert_string_equal(out, "2024-03-14-010-1-of-3");
	mailjob_next_name(dfd, names, 3, day, 3, 3, out, sizeof(out));
	assert_string_equal(out, "2024-03-14-001-3-of-3");
	close(dfd);
}

static void
test_clean(void **state)
{
	char host[64], dead[128], live[128], other[128], shard[128];
	int dfd = jobs_dir(), fd;
	pid_t pid;

	(void)state;
	mailjob_host(host, sizeof(host));
	/* A PID that has surely gone: a child that exited. */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	snprintf(dead, sizeof(dead), ".2024-03-14-001.tmp-%s-%ld", host,
	    (long)pid);
	snprintf(live, sizeof(live), ".2024-03-14-002.tmp-%s-%ld", host,
	    (long)getppid());
	snprintf(other, sizeof(other), ".2024-03-14-003.tmp-elsewhere-%ld",
	    (long)pid);
	snprintf(shard, sizeof(shard), ".2024-03-14-004-1-of-2.tmp-%s-%ld",
	    host, (long)pid);
	mk(dfd, dead);
	fd = openat(dfd, dead, O_RDONLY | O_DIRECTORY);
	close(openat(fd, "letters.pdf", O_WRONLY | O_CREAT, 0640));
	close(fd);
	mk(dfd, live);
	mk(dfd, other);
	mk(dfd, shard);
	mk(dfd, "2024-03-14-009");
	mailjob_clean(dfd, NULL, host, 0, 0, root);
	assert_false(has(dfd, dead));		/* this host, PID gone */
	assert_true(has(dfd, live));		/* still running */
	assert_true(has(dfd, other));		/* another host's */
	assert_true(has(dfd, shard));		/* a shard's */
	assert_true(has(dfd, "2024-03-14-009"));	/* a job: never */
	mailjob_clean(dfd, NULL, host, 1, 2, root);
	assert_false(has(dfd, shard));
	close(dfd);
}

static void
test_classify_and_row(void **state)
{
	struct policy p;
	struct job_piece r;
	struct buf b = BUF_INIT;
	struct piece_weight w;
	const char *kind;
	double oz;

	(void)state;
	policy_defaults(&p);
	mailweight_classify(&p, 6, 0, &w);	/* 3 sheets */
	kind = mailweight_kind_name(w.kind);
	oz = w.weight_oz;
	assert_string_equal(kind, "letter");
	assert_true(oz > 0.679 && oz < 0.681);	/* 3 x 0.16 + 0.2 */
	memset(&r, 0, sizeof(r));
	r.case_id = (char *)"A-1";
	r.recipient = "subject";
	r.name = (char *)"JO \"X\"";
	r.address = (char *)"1 MAIN ST | TOWN TX 77002";
	r.enclosures = (char *)"";
	snprintf(r.zip, sizeof(r.zip), "77002");
	snprintf(r.file, sizeof(r.file), "letters.pdf");
	snprintf(r.job, sizeof(r.job), "2024-03-14-001");
	r.first = 3;
	r.pages = 3;
	r.sheets = 2;
	r.kind = kind;
	r.weight_oz = oz;
	mailjob_manifest_header(&b);
	mailjob_manifest_row(&b, &r, "new");
	assert_non_null(strstr(b.ptr, "\"A-1\",\"subject\",\"JO \"\"X\"\"\","));
	assert_non_null(strstr(b.ptr, "\"3-5\",\"2\""));
	assert_non_null(strstr(b.ptr, ",\"new\",\"letters.pdf\","
	    "\"2024-03-14-001\",\"letter\",\"0.68\"\r\n"));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_next_name, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_clean, setup, teardown),
		cmocka_unit_test(test_classify_and_row),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
