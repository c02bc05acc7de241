/*
 * time.c: civil dates, epoch seconds and ISO 8601 weeks, with no libc time
 * zone state (no TZ, no localtime): zones are explicit offsets or an
 * mw_tz from tz.c.
 */
#include <stdio.h>
#include <string.h>

#include "common/common.h"

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian
 * calendar over the whole int range we use. */
int64_t mw_days_from_civil(int year, int month, int day) {
  int64_t y = (int64_t)year - (month <= 2);
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t mp = (month + 9) % 12;
  int64_t doy = (153 * mp + 2) / 5 + day - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void mw_civil_from_days(int64_t z, int *year, int *month, int *day) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  *year = (int)(y + (m <= 2));
  *month = (int)m;
  *day = (int)d;
}

static int days_in_month(int year, int month) {
  static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2) {
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return dm[month - 1];
}

bool mw_civil_valid(int year, int month, int day, int hour, int minute,
                    int second) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= days_in_month(year, month) && hour >= 0 && hour <= 23 &&
         minute >= 0 && minute <= 59 && second >= 0 && second <= 60;
}

int64_t mw_time_from_civil(int year, int month, int day, int hour, int minute,
                           int second, int utc_offset_s) {
  return mw_days_from_civil(year, month, day) * 86400 + hour * 3600 +
         minute * 60 + second - utc_offset_s;
}

void mw_time_to_civil(int64_t t, int utc_offset_s, struct mw_civil *out) {
  int64_t local = t + utc_offset_s;
  int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
  int64_t secs = local - days * 86400;
  mw_civil_from_days(days, &out->year, &out->month, &out->day);
  out->hour = (int)(secs / 3600);
  out->minute = (int)(secs / 60 % 60);
  out->second = (int)(secs % 60);
  /* 1970-01-01 was a Thursday (ISO 4). */
  int64_t wd = (days % 7 + 7 + 3) % 7; /* 0 = Monday */
  out->weekday = (int)wd + 1;
}

void mw_time_format_iso_utc(int64_t t, char *buf, size_t n) {
  struct mw_civil c;
  mw_time_to_civil(t, 0, &c);
  snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day,
           c.hour, c.minute, c.second);
}

void mw_time_format_iso(int64_t t, int utc_offset_s, char *buf, size_t n) {
  struct mw_civil c;
  mw_time_to_civil(t, utc_offset_s, &c);
  int a = utc_offset_s < 0 ? -utc_offset_s : utc_offset_s;
  snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", c.year,
           c.month, c.day, c.hour, c.minute, c.second,
           utc_offset_s < 0 ? '-' : '+', a / 3600, a % 3600 / 60);
}

static int weekday_of(int year, int month, int day) {
  int64_t days = mw_days_from_civil(year, month, day);
  return (int)((days % 7 + 7 + 3) % 7) + 1;
}

int mw_iso_weeks_in_year(int iso_year) {
  /* A year has 53 weeks when 1 January is a Thursday, or a Wednesday in a
   * leap year: equivalently when 28 December is in week 53. */
  int jan1 = weekday_of(iso_year, 1, 1);
  bool leap = (iso_year % 4 == 0 && iso_year % 100 != 0) || iso_year % 400 == 0;
  return (jan1 == 4 || (leap && jan1 == 3)) ? 53 : 52;
}

void mw_iso_week_of(int year, int month, int day, int *iso_year,
                    int *iso_week) {
  int64_t days = mw_days_from_civil(year, month, day);
  int wd = weekday_of(year, month, day);
  /* The Thursday of this week decides the ISO year. */
  int64_t thursday = days - wd + 4;
  int ty, tm, td;
  mw_civil_from_days(thursday, &ty, &tm, &td);
  int64_t jan1 = mw_days_from_civil(ty, 1, 1);
  *iso_year = ty;
  *iso_week = (int)((thursday - jan1) / 7) + 1;
}

int mw_iso_week_monday(int iso_year, int iso_week, int *year, int *month,
                       int *day) {
  if (iso_week < 1 || iso_week > mw_iso_weeks_in_year(iso_year))
    return MW_EINVAL;
  /* 4 January is always in week 1. */
  int64_t jan4 = mw_days_from_civil(iso_year, 1, 4);
  int wd = weekday_of(iso_year, 1, 4);
  int64_t monday = jan4 - (wd - 1) + (int64_t)(iso_week - 1) * 7;
  mw_civil_from_days(monday, year, month, day);
  return MW_OK;
}

int mw_iso_week_parse(const char *s, int *iso_year, int *iso_week,
                      struct mw_err *err) {
  int y = 0, w = 0, i = 0;
  for (; i < 4; i++) {
    if (!mw_ascii_isdigit((unsigned char)s[i])) goto bad;
    y = y * 10 + (s[i] - '0');
  }
  if (s[i] == '-') i++;
  if (s[i] != 'W' && s[i] != 'w') goto bad;
  i++;
  if (!mw_ascii_isdigit((unsigned char)s[i])) goto bad;
  w = s[i++] - '0';
  if (mw_ascii_isdigit((unsigned char)s[i])) w = w * 10 + (s[i++] - '0');
  if (s[i] != '\0') goto bad;
  if (y < 1970 || w < 1 || w > mw_iso_weeks_in_year(y))
    return mw_err_set(err, MW_EINVAL, "week '%s' does not exist: %d has %d ISO weeks",
                      s, y, mw_iso_weeks_in_year(y));
  *iso_year = y;
  *iso_week = w;
  return MW_OK;
bad:
  return mw_err_set(err, MW_EINVAL,
                    "'%s' is not an ISO week; write it as YYYY-Www, e.g. 2023-W19",
                    s);
}
