/*
 * period.c: the period a report covers, as a pair of UTC instants built
 * from local dates in the office's zone: an ISO week runs from Monday 00:00
 * to the next Monday 00:00 local time, so a week is 7 × 24 h except across
 * a daylight-saving change.
 *
 * What it leaves to others: parsing "2023-W19" (common/time.c), choosing the
 * week (cli/).
 */
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
  out->iso_year = iso_year;
  out->iso_week = iso_week;
  out->from = local_midnight(tz, monday);
  out->to = local_midnight(tz, monday + 7);
  return MW_OK;
}
