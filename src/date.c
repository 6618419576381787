/*
 * date.c - day numbers, strict ISO dates and U.S. federal business days.
 *
 * Pure integer arithmetic: no time_t, locale or libc time functions, and no
 * mutable state, so every function is thread-safe.  Internally days and
 * years are int64_t so that any int32_t day, DATE_NONE included, can be
 * handled without overflow.
 */
#include <stddef.h>

#include "rnpack/date.h"

#define DAYS_PER_ERA	146097	/* days in 400 Gregorian years */
#define EPOCH_SHIFT	719468	/* days from 0000-03-01 to 1970-01-01 */
#define PARSE_YEAR_MIN	1900
#define PARSE_YEAR_MAX	2199

enum { SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY };

enum rule_kind {
	RULE_FIXED,		/* a day of the month */
	RULE_NTH,		/* the nth weekday of the month */
	RULE_LAST		/* the last weekday of the month */
};

struct holiday_rule {
	enum rule_kind	 kind;
	int		 month;
	int		 n;		/* day (FIXED) or which one (NTH) */
	int		 weekday;	/* NTH and LAST */
	int		 since;		/* first year, 0 for always */
};

/*
 * 5 U.S.C. 6103(a).  Dates before 1971, when the Uniform Monday Holiday
 * Act took effect, and Veterans Day in 1971..1977 (then in October) follow
 * today's rules, not the historical ones: only recent and future deadlines
 * matter here.  Inauguration Day
 * (6103(c)) is left out since it applies only around Washington, D.C.
 */
static const struct holiday_rule holidays[] = {
	{ RULE_FIXED, 1, 1, 0, 0 },		/* New Year's Day */
	{ RULE_NTH, 1, 3, MONDAY, 1986 },	/* Martin Luther King Jr. */
	{ RULE_NTH, 2, 3, MONDAY, 0 },		/* Washington's Birthday */
	{ RULE_LAST, 5, 0, MONDAY, 0 },		/* Memorial Day */
	{ RULE_FIXED, 6, 19, 0, 2021 },		/* Juneteenth */
	{ RULE_FIXED, 7, 4, 0, 0 },		/* Independence Day */
	{ RULE_NTH, 9, 1, MONDAY, 0 },		/* Labor Day */
	{ RULE_NTH, 10, 2, MONDAY, 0 },		/* Columbus Day */
	{ RULE_FIXED, 11, 11, 0, 0 },		/* Veterans Day */
	{ RULE_NTH, 11, 4, THURSDAY, 0 },	/* Thanksgiving Day */
	{ RULE_FIXED, 12, 25, 0, 0 },		/* Christmas Day */
};

/* Floor division, since C division truncates toward zero. */
static int64_t
floor_div(int64_t a, int64_t b)
{
	return (a >= 0 ? a : a - (b - 1)) / b;
}

/*
 * Years are counted from March, so that February and its leap day end
 * the year and the month lengths from March on repeat every five months.
 */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t	 era, yoe, doy, doe;

	y -= m <= 2;
	era = floor_div(y, 400);
	yoe = y - era * 400;				/* 0..399 */
	doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;	/* from March 1 */
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;	/* 0..146096 */
	return era * DAYS_PER_ERA + doe - EPOCH_SHIFT;
}

static void
civil_from_days(int64_t day, int64_t *y, int *m, int *d)
{
	int64_t	 z, era, doe, yoe, doy, mp;

	z = day + EPOCH_SHIFT;
	era = floor_div(z, DAYS_PER_ERA);
	doe = z - era * DAYS_PER_ERA;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;			/* March = 0 */
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
weekday_of(int64_t day)
{
	return (int)(((day % 7) + 7 + THURSDAY) % 7);	/* 1970-01-01 */
}

int32_t
date_from_ymd(int y, int m, int d)
{
	return (int32_t)days_from_civil(y, m, d);
}

void
date_to_ymd(int32_t day, int *y, int *m, int *d)
{
	int64_t	 year;

	civil_from_days(day, &year, m, d);
	*y = (int)year;		/* within about +-5.9 million */
}

bool
date_is_leap(int y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

int
date_days_in_month(int y, int m)
{
	static const int days[12] =
	    { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12)
		return 0;
	return days[m - 1] + (m == 2 && date_is_leap(y));
}

bool
date_is_valid_ymd(int y, int m, int d)
{
	return d >= 1 && d <= date_days_in_month(y, m);
}

/* Reads n ASCII digits; isdigit() would depend on the locale. */
static bool
read_digits(const char *s, int n, int *out)
{
	int	 v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool
date_parse(const char *s, int32_t *out)
{
	int	 y, m, d;

	/* Each check stops at a NUL, so short strings are never overrun. */
	if (s == NULL || !read_digits(s, 4, &y) || s[4] != '-' ||
	    !read_digits(s + 5, 2, &m) || s[7] != '-' ||
	    !read_digits(s + 8, 2, &d) || s[10] != '\0')
		return false;
	if (y < PARSE_YEAR_MIN || y > PARSE_YEAR_MAX ||
	    !date_is_valid_ymd(y, m, d))
		return false;
	*out = date_from_ymd(y, m, d);
	return true;
}

static void
put_digits(char *p, int v, int n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

void
date_format_iso(int32_t day, char out[11])
{
	int	 y, m, d;

	date_to_ymd(day, &y, &m, &d);
	if (y < 0 || y > 9999) {
		/* Never reached from a parsed date; keep the width. */
		for (int i = 0; i < 10; i++)
			out[i] = 'X';
	} else {
		put_digits(out, y, 4);
		put_digits(out + 5, m, 2);
		put_digits(out + 8, d, 2);
	}
	out[4] = out[7] = '-';
	out[10] = '\0';
}

int
date_weekday(int32_t day)
{
	return weekday_of(day);
}

/* 5 U.S.C. 6103(b): Saturday -> Friday before, Sunday -> Monday after. */
static int64_t
observed(int64_t day)
{
	switch (weekday_of(day)) {
	case SATURDAY:
		return day - 1;
	case SUNDAY:
		return day + 1;
	default:
		return day;
	}
}

/* The observed day of rule r in year y. */
static int64_t
rule_day(const struct holiday_rule *r, int64_t y)
{
	int64_t	 first, last;

	switch (r->kind) {
	case RULE_NTH:
		first = days_from_civil(y, r->month, 1);
		return first + (r->weekday - weekday_of(first) + 7) % 7 +
		    7 * (r->n - 1);
	case RULE_LAST:
		last = days_from_civil(y, r->month,
		    date_days_in_month((int)y, r->month));
		return last - (weekday_of(last) - r->weekday + 7) % 7;
	case RULE_FIXED:
		break;
	}
	return observed(days_from_civil(y, r->month, r->n));
}

static bool
is_holiday_of_year(int64_t day, int64_t y)
{
	for (size_t i = 0; i < sizeof(holidays) / sizeof(holidays[0]); i++)
		if (y >= holidays[i].since && rule_day(&holidays[i], y) == day)
			return true;
	return false;
}

bool
date_is_federal_holiday(int32_t day)
{
	int64_t	 y;
	int	 m, d;

	/* New Year's Day of y + 1 may be observed on December 31 of y. */
	civil_from_days(day, &y, &m, &d);
	return is_holiday_of_year(day, y) || is_holiday_of_year(day, y + 1);
}

static bool
is_business_day(int32_t day)
{
	int	 wd = weekday_of(day);

	return wd != SATURDAY && wd != SUNDAY && !date_is_federal_holiday(day);
}

int32_t
date_next_business_day(int32_t day)
{
	/* Stop at the last representable day rather than overflow. */
	while (day < INT32_MAX && !is_business_day(day))
		day++;
	return day;
}

int32_t
date_response_due(int32_t service, int days)
{
	int64_t	 due = (int64_t)service + days;

	/* Clamp: nonsense in, nonsense out, but never overflow. */
	if (due > INT32_MAX)
		due = INT32_MAX;
	else if (due < INT32_MIN)
		due = INT32_MIN;
	return date_next_business_day((int32_t)due);
}
