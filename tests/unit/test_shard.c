/*
 * test_shard.c - --shard K/N: the hash and its known values (so a file
 * lands in the same shard on every machine and in every version), the
 * partition, the K/N syntax, the run file names, and the index written
 * by a shard and read back by --merge-summaries.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnpack/date.h"
#include "rnpack/report.h"
#include "rnpack/shard.h"

#include "entry_fixture.h"

static uint64_t
fnv(const char *s)
{
	return shard_fnv1a(SHARD_FNV_INIT, s, strlen(s));
}

/* The published FNV-1a 64 test vectors, and our own file names. */
static void
test_fnv1a_known_values(void **state)
{
	(void)state;
	assert_true(fnv("") == UINT64_C(0xcbf29ce484222325));
	assert_true(fnv("a") == UINT64_C(0xaf63dc4c8601ec8c));
	assert_true(fnv("foobar") == UINT64_C(0x85944171f73967e8));
	assert_true(fnv("complete-red-notice.xml") ==
	    UINT64_C(0x20f433c6a6fabe14));
	/* Hashing in pieces is hashing the whole. */
	assert_true(shard_fnv1a(shard_fnv1a(SHARD_FNV_INIT, "foo", 3), "bar",
	    3) == fnv("foobar"));
}

static void
test_shard_of_known_values(void **state)
{
	(void)state;
	/* hash % N + 1 */
	assert_int_equal(shard_of("complete-red-notice.xml", 3), 3);
	assert_int_equal(shard_of("complete-red-notice.xml", 7), 4);
	assert_int_equal(shard_of("duplicate-id-1.xml", 3), 2);
	assert_int_equal(shard_of("duplicate-id-2.xml", 3), 1);
	assert_int_equal(shard_of("foobar", 7), 7);
	assert_int_equal(shard_of("anything.xml", 1), 1);
	assert_int_equal(shard_of("anything.xml", 0), 0);
}

/* Only the base name counts: the same file on any mount point. */
static void
test_base_name(void **state)
{
	size_t len;
	const char *b;

	(void)state;
	b = shard_base_name("/srv/cases/a/hou-17.xml", &len);
	assert_int_equal(len, 10);
	assert_memory_equal(b, "hou-17.xml", 10);
	b = shard_base_name("hou-17.xml", &len);
	assert_int_equal(len, 10);
	b = shard_base_name("cases/sub/", &len);
	assert_int_equal(len, 3);
	assert_memory_equal(b, "sub", 3);
	b = shard_base_name("/", &len);
	assert_int_equal(len, 1);
	b = shard_base_name("", &len);
	assert_int_equal(len, 0);
	for (unsigned n = 1; n <= 9; n++)
		assert_int_equal(shard_of("/mnt/x/cases/hou-17.xml", n),
		    shard_of("cases/hou-17.xml", n));
}

/* Every name is in exactly one shard of 1..N, and no shard is starved. */
static void
test_partition(void **state)
{
	(void)state;
	for (unsigned n = 1; n <= 16; n++) {
		unsigned count[17] = { 0 };

		for (int i = 0; i < 1600; i++) {
			char name[32];
			unsigned k, hits = 0;

			snprintf(name, sizeof(name), "case-%04d.xml", i);
			k = shard_of(name, n);
			assert_true(k >= 1 && k <= n);
			for (unsigned j = 1; j <= n; j++)
				hits += shard_of(name, n) == j;
			assert_int_equal(hits, 1);
			count[k]++;
		}
		for (unsigned k = 1; k <= n; k++)
			assert_true(count[k] > 1600 / n / 2);
	}
}

static void
test_parse(void **state)
{
	unsigned k = 9, n = 9;

	(void)state;
	assert_true(shard_parse("1/3", &k, &n));
	assert_int_equal(k, 1);
	assert_int_equal(n, 3);
	assert_true(shard_parse("3/3", &k, &n));
	assert_true(shard_parse("1/1", &k, &n));
	assert_true(shard_parse("100000/100000", &k, &n));
	assert_false(shard_parse("0/3", &k, &n));
	assert_false(shard_parse("4/3", &k, &n));
	assert_false(shard_parse("1/0", &k, &n));
	assert_false(shard_parse("0/0", &k, &n));
	assert_false(shard_parse("x", &k, &n));
	assert_false(shard_parse("1", &k, &n));
	assert_false(shard_parse("1/", &k, &n));
	assert_false(shard_parse("/3", &k, &n));
	assert_false(shard_parse("-1/3", &k, &n));
	assert_false(shard_parse("+1/3", &k, &n));
	assert_false(shard_parse(" 1/3", &k, &n));
	assert_false(shard_parse("1/3 ", &k, &n));
	assert_false(shard_parse("1/3/5", &k, &n));
	assert_false(shard_parse("1/100001", &k, &n));
	assert_false(shard_parse("1/99999999999999999999999", &k, &n));
}

static void
test_file_names(void **state)
{
	char *s;

	(void)state;
	s = shard_file_name("summary", "json", 2, 3);
	assert_string_equal(s, "summary-2-of-3.json");
	free(s);
	s = shard_file_name("notices", "pdf", 0, 0);
	assert_string_equal(s, "notices.pdf");
	free(s);
	assert_true(shard_is_run_file("summary-2-of-3.json"));
	assert_true(shard_is_run_file("SUMMARY-12-OF-40.CSV"));
	assert_true(shard_is_run_file("summary-1-of-1.index"));
	assert_false(shard_is_run_file("summary.json"));
	assert_false(shard_is_run_file("summary-2-of-3.pdf"));
	assert_false(shard_is_run_file("summary-2-of-.json"));
	assert_false(shard_is_run_file("summary--of-3.json"));
	assert_false(shard_is_run_file("HOU-2024-00017"));
	assert_true(shard_is_run_file("index-2-of-3.html"));
	assert_true(shard_is_run_file("Index-10-OF-12.HTML"));
	assert_false(shard_is_run_file("index-2-of-3.json"));
	assert_false(shard_is_run_file("index-2-of-.html"));
	assert_false(shard_is_run_file("summary-2-of-3.html"));
	assert_false(shard_is_run_file("indexes-2-of-3.html"));
}

/* A shard's summaries are the unsharded writer's bytes, and its index
 * reads back as written. */
static void
test_summaries_and_index(void **state)
{
	struct run_entry v[3];
	struct buf json = BUF_INIT, csv = BUF_INIT, ref = BUF_INIT;
	struct buf text = BUF_INIT;
	struct shard_index idx, back;
	char *err = NULL;

	(void)state;
	v[0] = entry("in/a.xml", "HOU-1", CASE_COMPLETE);
	v[1] = entry("in/b\n.xml", "HOU-2", CASE_INVALID);
	v[2] = entry("in/c d.xml", NULL, CASE_INVALID);
	memset(&idx, 0, sizeof(idx));
	shard_summaries(&json, &csv, &idx, v, 3);
	report_summary_json(&ref, v, 3);
	assert_string_equal(json.ptr, ref.ptr);
	buf_reset(&ref);
	report_summary_csv(&ref, v, 3);
	assert_string_equal(csv.ptr, ref.ptr);
	assert_int_equal(idx.nv, 3);
	assert_non_null(idx.v[0].case_id);
	assert_null(idx.v[1].case_id);		/* invalid: claims nothing */
	assert_null(idx.v[2].case_id);
	assert_string_equal(idx.v[1].source, "in/b .xml");

	idx.k = 2;
	idx.n = 3;
	idx.inputs = 9;
	idx.list_hash = UINT64_C(0x0123456789abcdef);
	idx.selected = 3;
	assert_true(date_parse("2024-03-14", &idx.as_of));
	idx.status = 2;
	idx.v[0].pos = 1;
	idx.v[1].pos = 4;
	idx.v[2].pos = 8;
	idx.v[0].pieces = 2;
	shard_index_write(&text, &idx);
	assert_true(shard_index_parse(text.ptr, text.len, &back, &err));
	assert_int_equal(back.k, 2);
	assert_int_equal(back.n, 3);
	assert_int_equal(back.inputs, 9);
	assert_true(back.list_hash == idx.list_hash);
	assert_int_equal(back.selected, 3);
	assert_int_equal(back.as_of, idx.as_of);
	assert_int_equal(back.status, 2);
	assert_int_equal(back.nv, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(back.v[i].pos, idx.v[i].pos);
		assert_int_equal(back.v[i].json_len, idx.v[i].json_len);
		assert_int_equal(back.v[i].csv_len, idx.v[i].csv_len);
		assert_int_equal(back.v[i].pieces, idx.v[i].pieces);
		assert_string_equal(back.v[i].source, idx.v[i].source);
	}
	assert_string_equal(back.v[0].case_id, "HOU-1");
	assert_null(back.v[2].case_id);
	shard_index_free(&back);

	/* Damaged indexes are refused with their line. */
	assert_false(shard_index_parse(text.ptr, text.len - 1, &back, &err));
	free(err);
	buf_reset(&text);
	buf_adds(&text, "rnpack-shard-index 1\nshard 1 3\ninputs 9 "
	    "0123456789abcdef\nselected 1\nas-of 2024-03-14\nstatus 0\n"
	    "entry 2 10 10 0 - x\nentry 3 10 10 0 - y\n");  /* 2 for 1 */
	assert_false(shard_index_parse(text.ptr, text.len, &back, &err));
	free(err);
	buf_reset(&text);
	buf_adds(&text, "rnpack-shard-index 1\nshard 4 3\n");
	assert_false(shard_index_parse(text.ptr, text.len, &back, &err));
	assert_string_equal(err, "line 2: not what an rnpack shard index "
	    "holds");
	free(err);
	buf_reset(&text);
	buf_adds(&text, "rnpack-shard-index 1\nshard 1 3\ninputs 2 "
	    "0123456789abcdef\nselected 2\nas-of 2024-03-14\nstatus 0\n"
	    "entry 2 10 10 0 - x\n");	/* position beyond the inputs */
	assert_false(shard_index_parse(text.ptr, text.len, &back, &err));
	free(err);

	for (int i = 0; i < 3; i++)
		run_entry_free(&v[i]);
	shard_index_free(&idx);
	buf_free(&json);
	buf_free(&csv);
	buf_free(&ref);
	buf_free(&text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fnv1a_known_values),
		cmocka_unit_test(test_shard_of_known_values),
		cmocka_unit_test(test_base_name),
		cmocka_unit_test(test_partition),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_file_names),
		cmocka_unit_test(test_summaries_and_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
