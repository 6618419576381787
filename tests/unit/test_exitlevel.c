/*
 * test_exitlevel.c - cmocka tests for exitlevel.c: the contract's
 * codes, the worst level winning, a case's level, a signal's status.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>

#include "rnpack/exitlevel.h"

static void
test_codes(void **state)
{
	(void)state;
	/* rnpack(1) EXIT STATUS: scripts depend on these numbers. */
	assert_int_equal(EXIT_COMPLETE, 0);
	assert_int_equal(EXIT_WITHHELD, 1);
	assert_int_equal(EXIT_INVALID, 2);
	assert_int_equal(EXIT_OUTPUT, 3);
	assert_int_equal(EXIT_CONFIG, 4);
	assert_int_equal(EXIT_USAGE, 64);
}

static void
test_raise_keeps_the_worst(void **state)
{
	enum exit_level l = EXIT_COMPLETE;

	(void)state;
	exit_raise(&l, EXIT_WITHHELD);
	assert_int_equal(l, EXIT_WITHHELD);
	exit_raise(&l, EXIT_OUTPUT);
	exit_raise(&l, EXIT_INVALID);
	assert_int_equal(l, EXIT_OUTPUT);
	exit_raise(&l, EXIT_COMPLETE);
	assert_int_equal(l, EXIT_OUTPUT);
}

static void
test_case_level(void **state)
{
	(void)state;
	assert_int_equal(exit_level_of_case(CASE_COMPLETE, false),
	    EXIT_COMPLETE);
	assert_int_equal(exit_level_of_case(CASE_COMPLETE, true),
	    EXIT_WITHHELD);
	assert_int_equal(exit_level_of_case(CASE_PARTIAL, false),
	    EXIT_WITHHELD);
	assert_int_equal(exit_level_of_case(CASE_BLOCKED, false),
	    EXIT_WITHHELD);
}

static void
test_status(void **state)
{
	(void)state;
	assert_int_equal(exit_status(EXIT_INVALID, 0), 2);
	assert_int_equal(exit_status(EXIT_COMPLETE, SIGINT), 130);
	assert_int_equal(exit_status(EXIT_OUTPUT, SIGTERM), 143);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_raise_keeps_the_worst),
		cmocka_unit_test(test_case_level),
		cmocka_unit_test(test_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
