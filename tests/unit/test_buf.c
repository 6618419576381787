/*
 * test_buf.c - the buffer's readers and writers: a file descriptor read
 * to its end (through a pipe, in several reads), the size limit, and
 * the length set by a writer that filled reserved room itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rnpack/buf.h"

/* A pipe holding n bytes of 'x' (and then its end); returns the reader. */
static int
pipe_with(size_t n)
{
	char chunk[4096];
	int fd[2];

	memset(chunk, 'x', sizeof(chunk));
	assert_int_equal(pipe(fd), 0);
	for (size_t done = 0; done < n; ) {
		size_t k = n - done < sizeof(chunk) ? n - done : sizeof(chunk);

		assert_int_equal(write(fd[1], chunk, k), (ssize_t)k);
		done += k;
	}
	close(fd[1]);
	return fd[0];
}

static void
test_read_fd_to_its_end(void **state)
{
	struct buf b = BUF_INIT;
	int fd = pipe_with(60000);

	(void)state;
	buf_adds(&b, "ab");
	assert_true(buf_read_fd(&b, fd, SIZE_MAX));
	assert_int_equal(b.len, 60002);
	assert_memory_equal(b.ptr, "abxx", 4);
	assert_int_equal(b.ptr[b.len], '\0');
	close(fd);
	buf_free(&b);
}

static void
test_read_fd_limit(void **state)
{
	struct buf b = BUF_INIT;
	int fd = pipe_with(1000);

	(void)state;
	errno = 0;
	assert_false(buf_read_fd(&b, fd, 999));
	assert_int_equal(errno, EFBIG);
	close(fd);
	fd = pipe_with(1000);
	buf_reset(&b);
	assert_true(buf_read_fd(&b, fd, 1000));
	assert_int_equal(b.len, 1000);
	close(fd);
	buf_free(&b);
}

static void
test_read_fd_error(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_false(buf_read_fd(&b, -1, SIZE_MAX));
	assert_int_equal(errno, EBADF);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

/* A file read by path, appended; a missing one leaves errno ENOENT. */
static void
test_read_file(void **state)
{
	char path[] = "/tmp/rnpack-buf.XXXXXX";
	struct buf b = BUF_INIT;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "hello", 5), 5);
	close(fd);
	buf_adds(&b, ">");
	assert_true(buf_read_file(&b, path, 100));
	assert_string_equal(b.ptr, ">hello");
	assert_false(buf_read_file(&b, path, 3));
	assert_int_equal(errno, EFBIG);
	unlink(path);
	assert_false(buf_read_file(&b, path, 100));
	assert_int_equal(errno, ENOENT);
	buf_free(&b);
}

static void
test_setlen_after_reserve(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_adds(&b, "ab");
	buf_reserve(&b, 3);
	memcpy(b.ptr + b.len, "cde", 3);
	buf_setlen(&b, 5);
	assert_string_equal(b.ptr, "abcde");
	buf_setlen(&b, 1);
	assert_string_equal(b.ptr, "a");
	buf_setlen(&b, 0);
	assert_string_equal(b.ptr, "");
	buf_free(&b);
}

/*
 * Formatting writes into the room after the text: short and long
 * results, onto an empty buffer and onto text, each NUL-terminated,
 * and appends of one byte and of many across the growth points.
 */
static void
test_addf_and_add(void **state)
{
	struct buf b = BUF_INIT;
	char want[400];
	size_t k = 0;

	(void)state;
	buf_addf(&b, "%s", "");
	assert_int_equal(b.len, 0);
	assert_string_equal(b.ptr, "");
	buf_addf(&b, "%d-%s", 42, "x");
	assert_string_equal(b.ptr, "42-x");
	buf_addf(&b, "%0300d", 7);
	assert_int_equal(b.len, 304);
	assert_int_equal(b.ptr[b.len - 1], '7');
	assert_int_equal(b.ptr[b.len], '\0');
	buf_free(&b);
	for (int i = 0; i < 130; i++) {
		buf_addc(&b, (char)('a' + i % 26));
		want[k++] = (char)('a' + i % 26);
		buf_add(&b, "xy", 2);
		want[k++] = 'x';
		want[k++] = 'y';
		buf_add(&b, "", 0);
	}
	want[k] = '\0';
	assert_int_equal(b.len, k);
	assert_string_equal(b.ptr, want);
	buf_reset(&b);
	buf_addf(&b, "%u", 9u);
	assert_string_equal(b.ptr, "9");
	buf_free(&b);
}

/* buf_add_long() writes what printf's %ld does, extremes included. */
static void
test_add_long(void **state)
{
	const long v[] = { 0, 7, -1, 10, 1234567, -98765, LONG_MAX,
	    LONG_MIN };
	struct buf b = BUF_INIT;
	char want[256];
	size_t k = 0;

	(void)state;
	buf_adds(&b, "x");
	k += (size_t)snprintf(want + k, sizeof(want) - k, "x");
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		buf_add_long(&b, v[i]);
		buf_addc(&b, ' ');
		k += (size_t)snprintf(want + k, sizeof(want) - k, "%ld ",
		    v[i]);
	}
	assert_string_equal(b.ptr, want);
	assert_int_equal(b.len, strlen(want));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_fd_to_its_end),
		cmocka_unit_test(test_read_fd_limit),
		cmocka_unit_test(test_read_fd_error),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_setlen_after_reserve),
		cmocka_unit_test(test_addf_and_add),
		cmocka_unit_test(test_add_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
