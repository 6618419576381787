/*
 * test_digest.c - cmocka tests for digest.c: SHA-256 against the test
 * vectors of FIPS 180-2 (appendix B) and NIST's example values, in one
 * call and in pieces.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rnpack/digest.h"

static const struct {
	const char	*in;
	const char	*hex;
} vectors[] = {
	{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
};

static void
test_vectors_one_shot(void **state)
{
	char hex[DIGEST_HEX_SIZE];

	(void)state;
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		digest_sha256_hex(vectors[i].in, strlen(vectors[i].in), hex);
		assert_string_equal(hex, vectors[i].hex);
	}
}

/* A file's digest is its bytes' digest; a missing file is an error. */
static void
test_file(void **state)
{
	char path[] = "/tmp/rnpack-digest.XXXXXX", hex[DIGEST_HEX_SIZE];
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "abc", 3), 3);
	close(fd);
	assert_true(digest_file_hex(path, hex));
	assert_string_equal(hex, vectors[1].hex);
	unlink(path);
	assert_false(digest_file_hex(path, hex));
	assert_int_equal(errno, ENOENT);
}

static void
test_vectors_in_pieces(void **state)
{
	struct digest *d = digest_new();
	const char *in = vectors[2].in;
	char hex[DIGEST_HEX_SIZE];

	(void)state;
	/* Uneven pieces across the 64-byte block boundary. */
	digest_add(d, in, 1);
	digest_add(d, in + 1, 0);
	digest_add(d, in + 1, 40);
	digest_add(d, in + 41, strlen(in) - 41);
	digest_hex(d, hex);
	assert_string_equal(hex, vectors[2].hex);
	/* digest_hex() starts over: the next digest is of "abc" alone. */
	digest_add(d, "abc", 3);
	digest_hex(d, hex);
	assert_string_equal(hex, vectors[1].hex);
	digest_free(d);
	digest_free(NULL);
}

static void
test_million_a(void **state)
{
	struct digest *d = digest_new();
	char block[1000], hex[DIGEST_HEX_SIZE];

	(void)state;
	memset(block, 'a', sizeof(block));
	for (int i = 0; i < 1000; i++)
		digest_add(d, block, sizeof(block));
	digest_hex(d, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
	    "f1809a48a497200e046d39ccc7112cd0");
	digest_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors_one_shot),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_vectors_in_pieces),
		cmocka_unit_test(test_million_a),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
