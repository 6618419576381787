/*
 * date.h - calendar days, strict ISO dates and U.S. federal business days.
 *
 * Days are plain integers so that rules can compare and subtract them; no
 * time zone, locale or libc time function is involved.  Every function is
 * pure and thread-safe.
 */
#ifndef RNPACK_DATE_H
#define RNPACK_DATE_H

#include <stdbool.h>
#include <stdint.h>

#define DATE_NONE INT32_MIN	/* an absent optional date */

/* Day numbers: days since 1970-01-01 in the proleptic Gregorian calendar. */
int32_t	 date_from_ymd(int y, int m, int d);	/* no validation */
void	 date_to_ymd(int32_t day, int *y, int *m, int *d);
bool	 date_is_leap(int y);
int	 date_days_in_month(int y, int m);	/* 0 when m is out of 1..12 */
bool	 date_is_valid_ymd(int y, int m, int d); /* a real calendar day, any year */

/*
 * Strict parse of exactly "YYYY-MM-DD" (ASCII digits only, no sign, no time
 * zone, no surrounding space), a real calendar day, year 1900..2199.
 * Returns false and leaves *out alone when s is NULL or not such a date.
 */
bool	 date_parse(const char *s, int32_t *out);

/* "YYYY-MM-DD" and a NUL; "XXXX-XX-XX" when the year is outside 0..9999. */
void	 date_format_iso(int32_t day, char out[11]);

int	 date_weekday(int32_t day);		/* 0 = Sunday .. 6 = Saturday */

/*
 * U.S. federal holidays of 5 U.S.C. 6103, on their OBSERVED dates: a
 * holiday falling on a Saturday is the Friday before, on a Sunday the
 * Monday after, and the Saturday or Sunday itself is not reported.
 * Every year follows today's rules (see date.c).
 */
bool	 date_is_federal_holiday(int32_t day);

/*
 * day itself when it is a business day, else the next day that is not a
 * Saturday, a Sunday or an observed federal holiday.
 */
int32_t	 date_next_business_day(int32_t day);

/* service + days calendar days, moved forward to a business day. */
int32_t	 date_response_due(int32_t service, int days);

#endif
