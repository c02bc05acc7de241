/*
 * period.c: the period a report covers, as a pair of UTC instants built
 * from local dates in the office's zone: an ISO week runs from Monday 00:00
 * to the next Monday 00:00 local time, so a week is 7 × 24 h except across
 * a daylight-saving change; a month from the 1st to the next 1st; a range
 * of days from its first day's midnight to the midnight after its last.
 * Also the previous period (what the change is measured against) and the
 * local midnights cutting a period into days.
 *
 * What it leaves to others: parsing "2023-W19" (common/time.c), choosing the
 * period (cli/).
 */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

/* Midnight starting the local day `days` (since 1970-01-01) in tz; UTC when
 * tz is NULL. */
static int64_t local_midnight(const struct mw_tz *tz, int64_t days) {
  int y, m, d;
  mw_civil_from_days(days, &y, &m, &d);
  return tz ? mw_tz_from_civil(tz, y, m, d, 0, 0, 0)
            : mw_time_from_civil(y, m, d, 0, 0, 0, 0);
}

int mw_report_week_period(const struct mw_tz *tz, int iso_year, int iso_week,
                          struct mw_report_period *out, struct mw_err *err) {
  int y, m, d;
  if (iso_year < 1970 || iso_year > 9999 ||
      mw_iso_week_monday(iso_year, iso_week, &y, &m, &d))
    return mw_err_set(err, MW_EINVAL,
                      "report: week %d-W%02d does not exist (a year from 1970 "
                      "has 52 or 53 ISO weeks)",
                      iso_year, iso_week);
  int64_t monday = mw_days_from_civil(y, m, d);
  *out = (struct mw_report_period){0};
  out->iso_year = iso_year;
  out->iso_week = iso_week;
  out->from = local_midnight(tz, monday);
  out->to = local_midnight(tz, monday + 7);
  return MW_OK;
}

int mw_report_month_period(const struct mw_tz *tz, int year, int month,
                           struct mw_report_period *out, struct mw_err *err) {
  if (year < 1970 || year > 9999 || month < 1 || month > 12)
    return mw_err_set(err, MW_EINVAL,
                      "report: month %d-%02d does not exist (a year from "
                      "1970, a month 01 to 12)",
                      year, month);
  int ny = month == 12 ? year + 1 : year, nm = month == 12 ? 1 : month + 1;
  *out = (struct mw_report_period){.year = year, .month = month};
  out->from = local_midnight(tz, mw_days_from_civil(year, month, 1));
  out->to = local_midnight(tz, mw_days_from_civil(ny, nm, 1));
  return MW_OK;
}

/* "YYYY-MM-DD" into days since 1970-01-01; false when it is not one. */
static bool parse_day(const char *s, int64_t *days) {
  if (!s) return false;
  size_t n = strnlen(s, 11);
  if (n != 10 || s[4] != '-' || s[7] != '-') return false;
  int v[3] = {0, 0, 0};
  const int at[3] = {0, 5, 8}, len[3] = {4, 2, 2};
  for (int f = 0; f < 3; f++)
    for (int i = 0; i < len[f]; i++) {
      unsigned char c = (unsigned char)s[at[f] + i];
      if (!mw_ascii_isdigit(c)) return false;
      v[f] = v[f] * 10 + (c - '0');
    }
  if (v[0] < 1970 || !mw_civil_valid(v[0], v[1], v[2], 0, 0, 0)) return false;
  *days = mw_days_from_civil(v[0], v[1], v[2]);
  return true;
}

/* The period of local days [first, first + n). */
static void days_period(const struct mw_tz *tz, int64_t first, int64_t n,
                        struct mw_report_period *out) {
  *out = (struct mw_report_period){0};
  out->from = local_midnight(tz, first);
  out->to = local_midnight(tz, first + n);
}

int mw_report_range_period(const struct mw_tz *tz, const char *first,
                           const char *last, struct mw_report_period *out,
                           struct mw_err *err) {
  int64_t a, b;
  if (!parse_day(first, &a))
    return mw_err_set(err, MW_EINVAL,
                      "report: '%.40s' is not a date like 2023-05-08",
                      first ? first : "");
  if (!parse_day(last, &b))
    return mw_err_set(err, MW_EINVAL,
                      "report: '%.40s' is not a date like 2023-05-14",
                      last ? last : "");
  if (b < a)
    return mw_err_set(err, MW_EINVAL,
                      "report: the last day %s comes before the first day %s",
                      last, first);
  if (b - a + 1 > MW_REPORT_MAX_DAYS)
    return mw_err_set(err, MW_EINVAL,
                      "report: %s to %s is %lld days; a report covers at "
                      "most %d (split it, or use --month)",
                      first, last, (long long)(b - a + 1), MW_REPORT_MAX_DAYS);
  days_period(tz, a, b - a + 1, out);
  return MW_OK;
}

/* Local date (days since 1970) holding instant t. */
static int64_t local_day(const struct mw_tz *tz, int64_t t) {
  struct mw_civil c;
  mw_time_to_civil(t, tz ? mw_tz_offset_at(tz, t) : 0, &c);
  return mw_days_from_civil(c.year, c.month, c.day);
}

int mw_report_prev_period(const struct mw_tz *tz,
                          const struct mw_report_period *p,
                          struct mw_report_period *out, struct mw_err *err) {
  if (p->to <= p->from)
    return mw_err_set(err, MW_EINVAL,
                      "report: the period ends before it starts");
  if (p->iso_week > 0) {
    int y = p->iso_year, w = p->iso_week - 1;
    if (w < 1) w = mw_iso_weeks_in_year(--y);
    return mw_report_week_period(tz, y, w, out, err);
  }
  if (p->month > 0) {
    int y = p->month == 1 ? p->year - 1 : p->year;
    int m = p->month == 1 ? 12 : p->month - 1;
    return mw_report_month_period(tz, y, m, out, err);
  }
  int64_t first = local_day(tz, p->from), last = local_day(tz, p->to - 1);
  int64_t n = last - first + 1;
  days_period(tz, first - n, n, out);
  return MW_OK;
}

int mw_report_period_days(const struct mw_tz *tz,
                          const struct mw_report_period *p, int64_t **bounds,
                          size_t *n_days, struct mw_err *err) {
  *bounds = NULL;
  *n_days = 0;
  if (p->to <= p->from)
    return mw_err_set(err, MW_EINVAL,
                      "report: the period ends before it starts");
  int64_t first = local_day(tz, p->from), last = local_day(tz, p->to - 1);
  int64_t n = last - first + 1;
  if (n > MW_REPORT_MAX_DAYS)
    return mw_err_set(err, MW_EINVAL,
                      "report: the period has %lld days; at most %d",
                      (long long)n, MW_REPORT_MAX_DAYS);
  int64_t *b = malloc(((size_t)n + 1) * sizeof *b);
  if (!b) return mw_err_set(err, MW_ENOMEM, "report: out of memory");
  b[0] = p->from;
  for (int64_t i = 1; i < n; i++) b[i] = local_midnight(tz, first + i);
  b[n] = p->to;
  *bounds = b;
  *n_days = (size_t)n;
  return MW_OK;
}
