/*
 * test_date.c - cmocka tests for date.c: calendar arithmetic, the strict
 * parser, observed federal holidays and response deadlines.
 *
 * Expected holiday and weekday dates are facts from published calendars
 * (OPM holiday tables), not values computed by the code under test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "rnpack/date.h"

struct ymd {
	int	 y, m, d;
};

static int32_t
day_of(struct ymd t)
{
	return date_from_ymd(t.y, t.m, t.d);
}

static void
test_leap_years(void **state)
{
	(void)state;
	assert_false(date_is_leap(1900));
	assert_true(date_is_leap(2000));
	assert_true(date_is_leap(2024));
	assert_false(date_is_leap(2100));
	assert_false(date_is_leap(2023));
	assert_true(date_is_leap(1600));
	assert_true(date_is_leap(-4));
}

static void
test_days_in_month(void **state)
{
	static const int want[12] =
	    { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	(void)state;
	for (int m = 1; m <= 12; m++)
		assert_int_equal(date_days_in_month(2023, m), want[m - 1]);
	assert_int_equal(date_days_in_month(2024, 2), 29);
	assert_int_equal(date_days_in_month(2000, 2), 29);
	assert_int_equal(date_days_in_month(1900, 2), 28);
	assert_int_equal(date_days_in_month(2100, 2), 28);
	assert_int_equal(date_days_in_month(2024, 0), 0);
	assert_int_equal(date_days_in_month(2024, 13), 0);
	assert_int_equal(date_days_in_month(2024, -1), 0);
}

static void
test_valid_ymd(void **state)
{
	(void)state;
	assert_true(date_is_valid_ymd(2024, 2, 29));
	assert_false(date_is_valid_ymd(2023, 2, 29));
	assert_false(date_is_valid_ymd(2024, 4, 31));
	assert_false(date_is_valid_ymd(2024, 1, 0));
	assert_false(date_is_valid_ymd(2024, 0, 1));
	assert_true(date_is_valid_ymd(1, 1, 1));
	assert_true(date_is_valid_ymd(9999, 12, 31));
}

static void
test_known_day_numbers(void **state)
{
	(void)state;
	assert_int_equal(date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(date_from_ymd(1969, 12, 31), -1);
	assert_int_equal(date_from_ymd(2000, 1, 1), 10957);
	assert_int_equal(date_from_ymd(1900, 1, 1), -25567);
	assert_int_equal(date_from_ymd(2024, 3, 14) - date_from_ymd(2024, 2, 28),
	    15);
}

static void
test_parse_good(void **state)
{
	static const struct {
		const char	*s;
		struct ymd	 want;
	} good[] = {
		{ "2024-01-05", { 2024, 1, 5 } },
		{ "2024-02-29", { 2024, 2, 29 } },
		{ "2000-02-29", { 2000, 2, 29 } },
		{ "1900-01-01", { 1900, 1, 1 } },
		{ "2199-12-31", { 2199, 12, 31 } },
		{ "1970-01-01", { 1970, 1, 1 } },
	};
	int32_t	 day;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (!date_parse(good[i].s, &day))
			fail_msg("rejected \"%s\"", good[i].s);
		assert_int_equal(day, day_of(good[i].want));
	}
}

static void
test_parse_bad(void **state)
{
	static const char *const bad[] = {
		"2024-02-30", "2023-02-29", "1899-12-31", "2200-01-01",
		"2024-1-05", "2024-01-5", "2024-01-05Z", " 2024-01-05",
		"2024-01-05 ", "+2024-01-05", "-2024-01-05", "2024-01-05T00:00",
		"\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x94-01-05",
		"", "abcd-ef-gh", "2024-13-01", "2024-00-10", "2024-01-00",
		"2024/01/05", "20240105", "2024-01", "2024", "02024-01-05",
		"2024-01-32", "2024-04-31", "2100-02-29", "2024-0a-05",
		"2024-01-05\n",
	};
	int32_t	 day = 12345;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (date_parse(bad[i], &day))
			fail_msg("accepted \"%s\"", bad[i]);
	assert_false(date_parse(NULL, &day));
	assert_int_equal(day, 12345);	/* untouched on failure */
}

/* Walks every day 1900..2199 with its own y/m/d counter. */
static void
test_round_trip(void **state)
{
	int32_t	 day = date_from_ymd(1900, 1, 1);
	int	 y, m, d;

	(void)state;
	for (int cy = 1900; cy <= 2199; cy++)
		for (int cm = 1; cm <= 12; cm++)
			for (int cd = 1; cd <= date_days_in_month(cy, cm);
			    cd++, day++) {
				assert_int_equal(date_from_ymd(cy, cm, cd), day);
				date_to_ymd(day, &y, &m, &d);
				if (y != cy || m != cm || d != cd)
					fail_msg("%d: %d-%d-%d, want %d-%d-%d",
					    day, y, m, d, cy, cm, cd);
			}
	assert_int_equal(day, date_from_ymd(2200, 1, 1));
}

static void
test_extreme_days(void **state)
{
	static const int32_t days[] =
	    { INT32_MIN, INT32_MIN + 1, -1, INT32_MAX - 1, INT32_MAX };
	int	 y, m, d;

	/* Only absence of overflow matters here (run under UBSan). */
	(void)state;
	for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
		date_to_ymd(days[i], &y, &m, &d);
		assert_true(date_is_valid_ymd(y, m, d));
		assert_int_equal(date_from_ymd(y, m, d), days[i]);
		assert_in_range(date_weekday(days[i]), 0, 6);
		(void)date_is_federal_holiday(days[i]);
	}
	assert_int_equal(date_response_due(INT32_MAX - 1, 1000), INT32_MAX);
}

static void
test_format_iso(void **state)
{
	char	 out[11];

	(void)state;
	date_format_iso(date_from_ymd(2024, 3, 14), out);
	assert_string_equal(out, "2024-03-14");
	date_format_iso(date_from_ymd(1900, 1, 1), out);
	assert_string_equal(out, "1900-01-01");
	date_format_iso(date_from_ymd(2199, 12, 31), out);
	assert_string_equal(out, "2199-12-31");
	date_format_iso(date_from_ymd(5, 6, 7), out);
	assert_string_equal(out, "0005-06-07");
	date_format_iso(date_from_ymd(10000, 1, 1), out);
	assert_string_equal(out, "XXXX-XX-XX");
	date_format_iso(DATE_NONE, out);
	assert_string_equal(out, "XXXX-XX-XX");
}

static void
test_format_parse_agree(void **state)
{
	char	 out[11];
	int32_t	 back;

	(void)state;
	for (int32_t day = date_from_ymd(1900, 1, 1);
	    day <= date_from_ymd(2199, 12, 31); day++) {
		date_format_iso(day, out);
		assert_true(date_parse(out, &back));
		assert_int_equal(back, day);
	}
}

static void
test_weekday(void **state)
{
	(void)state;
	assert_int_equal(date_weekday(date_from_ymd(1970, 1, 1)), 4);
	assert_int_equal(date_weekday(date_from_ymd(2024, 3, 14)), 4);
	assert_int_equal(date_weekday(date_from_ymd(2000, 2, 29)), 2);
	assert_int_equal(date_weekday(date_from_ymd(1900, 1, 1)), 1);
	assert_int_equal(date_weekday(date_from_ymd(2001, 9, 11)), 2);
	assert_int_equal(date_weekday(date_from_ymd(1969, 7, 20)), 0);
	assert_int_equal(date_weekday(date_from_ymd(2024, 4, 13)), 6);
	for (int32_t day = -40000; day < 90000; day++)
		assert_int_equal(date_weekday(day + 1),
		    (date_weekday(day) + 1) % 7);
}

static void
test_holidays_known(void **state)
{
	static const struct {
		struct ymd	 day;
		bool		 want;
	} cases[] = {
		/* Observed on the Friday before a Saturday. */
		{ { 2021, 12, 31 }, true },	/* New Year 2022 */
		{ { 2022, 1, 1 }, false },	/* the Saturday itself */
		{ { 2010, 12, 31 }, true },	/* New Year 2011 */
		{ { 2021, 6, 18 }, true },	/* Juneteenth */
		{ { 2021, 6, 19 }, false },
		{ { 2020, 7, 3 }, true },	/* Independence Day */
		{ { 2015, 7, 3 }, true },
		{ { 2026, 7, 3 }, true },
		{ { 2023, 11, 10 }, true },	/* Veterans Day */
		{ { 2021, 12, 24 }, true },	/* Christmas */
		/* Observed on the Monday after a Sunday. */
		{ { 2023, 1, 2 }, true },	/* New Year */
		{ { 2017, 1, 2 }, true },
		{ { 2022, 6, 20 }, true },	/* Juneteenth */
		{ { 2021, 7, 5 }, true },	/* Independence Day */
		{ { 2018, 11, 12 }, true },	/* Veterans Day */
		{ { 2022, 12, 26 }, true },	/* Christmas */
		/* 2024, the whole list. */
		{ { 2024, 1, 1 }, true },
		{ { 2024, 1, 15 }, true },	/* MLK */
		{ { 2024, 2, 19 }, true },	/* Washington */
		{ { 2024, 5, 27 }, true },	/* Memorial Day */
		{ { 2024, 6, 19 }, true },
		{ { 2024, 7, 4 }, true },
		{ { 2024, 9, 2 }, true },	/* Labor Day */
		{ { 2024, 10, 14 }, true },	/* Columbus Day */
		{ { 2024, 11, 11 }, true },
		{ { 2024, 11, 28 }, true },	/* Thanksgiving */
		{ { 2024, 12, 25 }, true },
		/* Other years' Monday and Thursday holidays. */
		{ { 2025, 1, 20 }, true },
		{ { 2025, 2, 17 }, true },
		{ { 2025, 5, 26 }, true },
		{ { 2025, 9, 1 }, true },
		{ { 2025, 10, 13 }, true },
		{ { 2025, 11, 27 }, true },
		{ { 2021, 5, 31 }, true },	/* Memorial Day, May 31 */
		{ { 2023, 11, 23 }, true },
		{ { 2019, 11, 28 }, true },
		{ { 1986, 1, 20 }, true },	/* first MLK Day */
		/* Not holidays. */
		{ { 2019, 6, 19 }, false },	/* before Juneteenth */
		{ { 2020, 6, 19 }, false },
		{ { 1980, 1, 21 }, false },	/* before MLK Day */
		{ { 1985, 1, 21 }, false },
		{ { 2024, 3, 14 }, false },
		{ { 2024, 12, 24 }, false },
		{ { 2024, 11, 29 }, false },	/* day after Thanksgiving */
		{ { 2024, 7, 5 }, false },
		{ { 2024, 5, 20 }, false },	/* Monday before Memorial */
		{ { 2024, 12, 31 }, false },
		{ { 2023, 1, 1 }, false },	/* Sunday, observed Monday */
		/* Today's rules are applied before they existed. */
		{ { 1975, 11, 11 }, true },
		{ { 1900, 11, 22 }, true },	/* not the last Thursday */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ymd t = cases[i].day;

		if (date_is_federal_holiday(day_of(t)) != cases[i].want)
			fail_msg("%04d-%02d-%02d: want %s", t.y, t.m, t.d,
			    cases[i].want ? "holiday" : "no holiday");
	}
}

/*
 * Each year has 11 observed holidays (10 before Juneteenth), all on
 * weekdays.  New Year's Day of a year is observed on December 31 of the
 * year before exactly when January 1 is a Saturday.
 */
static void
test_holidays_per_year(void **state)
{
	(void)state;
	for (int y = 1990; y <= 2199; y++) {
		int32_t	 jan1 = date_from_ymd(y, 1, 1);
		int32_t	 dec31 = date_from_ymd(y, 12, 31);
		int	 n = 0, want = y >= 2021 ? 11 : 10;

		for (int32_t day = jan1; day <= dec31; day++) {
			int wd = date_weekday(day);

			if (!date_is_federal_holiday(day))
				continue;
			if (wd == 0 || wd == 6)
				fail_msg("%d: holiday on a weekend", day);
			n++;
		}
		if (date_is_federal_holiday(jan1 - 1))
			n++;	/* this year's New Year's Day */
		if (date_is_federal_holiday(dec31))
			n--;	/* next year's New Year's Day */
		assert_int_equal(date_is_federal_holiday(jan1 - 1),
		    date_weekday(jan1) == 6);
		if (n != want)
			fail_msg("%d: %d holidays, want %d", y, n, want);
	}
}

static void
test_next_business_day(void **state)
{
	int32_t	 thu = date_from_ymd(2024, 3, 14);

	(void)state;
	assert_int_equal(date_next_business_day(thu), thu);
	assert_int_equal(date_next_business_day(date_from_ymd(2024, 3, 16)),
	    date_from_ymd(2024, 3, 18));	/* Saturday */
	assert_int_equal(date_next_business_day(date_from_ymd(2024, 1, 13)),
	    date_from_ymd(2024, 1, 16));	/* weekend, then MLK Day */
	assert_int_equal(date_next_business_day(date_from_ymd(2024, 11, 28)),
	    date_from_ymd(2024, 11, 29));	/* Thanksgiving */
	assert_int_equal(date_next_business_day(date_from_ymd(2021, 12, 24)),
	    date_from_ymd(2021, 12, 27));	/* Christmas observed */
	assert_int_equal(date_next_business_day(date_from_ymd(2021, 12, 31)),
	    date_from_ymd(2022, 1, 3));		/* New Year observed */
}

static void
test_response_due(void **state)
{
	static const struct {
		struct ymd	 service;
		int		 days;
		struct ymd	 want;
	} cases[] = {
		/* Saturday -> Monday. */
		{ { 2024, 3, 14 }, 30, { 2024, 4, 15 } },
		/* Labor Day, a Monday -> Tuesday. */
		{ { 2024, 8, 3 }, 30, { 2024, 9, 3 } },
		/* Friday observed Independence Day, weekend -> Monday. */
		{ { 2026, 6, 3 }, 30, { 2026, 7, 6 } },
		/* Zero days from a Saturday -> Monday. */
		{ { 2024, 4, 13 }, 0, { 2024, 4, 15 } },
		/* Plain business days stay put. */
		{ { 2024, 3, 14 }, 0, { 2024, 3, 14 } },
		{ { 2024, 3, 14 }, 27, { 2024, 4, 10 } },
		/* Across a leap day and a year end. */
		{ { 2024, 2, 1 }, 30, { 2024, 3, 4 } },
		{ { 2021, 12, 1 }, 30, { 2022, 1, 3 } },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int32_t	 got = date_response_due(day_of(cases[i].service),
		    cases[i].days);
		char	 a[11], b[11];

		date_format_iso(got, a);
		date_format_iso(day_of(cases[i].want), b);
		if (strcmp(a, b) != 0)
			fail_msg("case %zu: got %s, want %s", i, a, b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_days_in_month),
		cmocka_unit_test(test_valid_ymd),
		cmocka_unit_test(test_known_day_numbers),
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_extreme_days),
		cmocka_unit_test(test_format_iso),
		cmocka_unit_test(test_format_parse_agree),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_holidays_known),
		cmocka_unit_test(test_holidays_per_year),
		cmocka_unit_test(test_next_business_day),
		cmocka_unit_test(test_response_due),
	};

	return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
