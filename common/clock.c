/*
 * clock.c: times of day, clock windows and weekday words, as duty rosters
 * and quiet hours are written in the config ("08:00", "22:00-07:00",
 * "周一", "weekdays").
 *
 * A time of day is H:MM or HH:MM, 00:00 to 23:59; 24:00 is also accepted
 * as the end of a window ("18:00-24:00"). A full-width colon (08：00, as a
 * Chinese input method types it) counts as a colon. A window is two times
 * joined by '-' (or '~', '～'), spaces allowed around it; from > to wraps
 * midnight and from == to is refused (an empty window is always a
 * mistake: leave the key out for all day). Windows are half-open: they
 * hold from_min and stop before to_min.
 *
 * What it leaves to others: zones and dates (time.c, tz.c), which windows
 * and days apply when (alerts/, the roster and quiet hours).
 */
#include <stdio.h>
#include <string.h>

#include "common/common.h"

#define MIN_PER_DAY (24 * 60)
/* Bytes of the bad text quoted back in a message. */
#define QUOTE_MAX 80

static const char fw_colon[] = "\xef\xbc\x9a"; /* ： U+FF1A */
static const char fw_tilde[] = "\xef\xbd\x9e"; /* ～ U+FF5E */

/* Length of s cut to at most QUOTE_MAX bytes without splitting a UTF-8
 * character; *more is set when it was cut. */
static int quote_len(const char *s, bool *more) {
  size_t len = strlen(s);
  *more = len > QUOTE_MAX;
  return (int)mw_utf8_cut(s, len, QUOTE_MAX);
}

enum hm_result { HM_OK, HM_SHAPE, HM_RANGE };

/* Parses s[0..len) as H:MM or HH:MM into minutes since midnight. end_ok
 * admits 24:00 (the end of a window). */
static enum hm_result parse_hm(const char *s, size_t len, bool end_ok,
                               int *out) {
  size_t i = 0;
  int h = 0, m = 0;
  while (i < len && i < 2 && mw_ascii_isdigit((unsigned char)s[i]))
    h = h * 10 + (s[i++] - '0');
  if (i == 0) return HM_SHAPE;
  if (i < len && s[i] == ':') i++;
  else if (len - i >= 3 && !memcmp(s + i, fw_colon, 3)) i += 3;
  else return HM_SHAPE;
  if (len - i != 2 || !mw_ascii_isdigit((unsigned char)s[i]) ||
      !mw_ascii_isdigit((unsigned char)s[i + 1]))
    return HM_SHAPE;
  m = (s[i] - '0') * 10 + (s[i + 1] - '0');
  if (end_ok && h == 24 && m == 0) {
    *out = MIN_PER_DAY;
    return HM_OK;
  }
  if (h > 23 || m > 59) return HM_RANGE;
  *out = h * 60 + m;
  return HM_OK;
}

int mw_clock_parse(const char *s, int *minutes, struct mw_err *err) {
  bool more;
  int q = quote_len(s, &more);
  switch (parse_hm(s, strlen(s), false, minutes)) {
    case HM_OK: return MW_OK;
    case HM_RANGE:
      return mw_err_set(err, MW_EINVAL,
                        "'%.*s' is not a time of day: hours go from 00 to 23 "
                        "and minutes from 00 to 59",
                        q, s);
    case HM_SHAPE: break;
  }
  return mw_err_set(err, MW_EINVAL,
                    "'%.*s%s' is not a time of day: write HH:MM, such as 08:00",
                    q, s, more ? "..." : "");
}

/* The separator of a window: its offset and length, or false when there
 * is none or more than one. */
static bool find_sep(const char *s, size_t len, size_t *at, size_t *n) {
  bool seen = false;
  for (size_t i = 0; i < len;) {
    size_t k = 0;
    if (s[i] == '-' || s[i] == '~') k = 1;
    else if (len - i >= 3 && !memcmp(s + i, fw_tilde, 3)) k = 3;
    if (k) {
      if (seen) return false;
      seen = true;
      *at = i;
      *n = k;
      i += k;
    } else {
      i++;
    }
  }
  return seen;
}

/* s[*from..*to) without ASCII spaces at either end. */
static void trim(const char *s, size_t *from, size_t *to) {
  while (*from < *to && mw_ascii_isspace((unsigned char)s[*from])) (*from)++;
  while (*to > *from && mw_ascii_isspace((unsigned char)s[*to - 1])) (*to)--;
}

int mw_clock_window_parse(const char *s, struct mw_clock_window *w,
                          struct mw_err *err) {
  bool more;
  int q = quote_len(s, &more);
  size_t len = strlen(s), at = 0, n = 0;
  size_t a0 = 0, a1 = 0, b0 = 0, b1 = len;
  int from = -1, to = -1;
  enum hm_result ra = HM_SHAPE, rb = HM_SHAPE;
  if (find_sep(s, len, &at, &n)) {
    a1 = at;
    b0 = at + n;
    trim(s, &a0, &a1);
    trim(s, &b0, &b1);
    ra = parse_hm(s + a0, a1 - a0, false, &from);
    rb = parse_hm(s + b0, b1 - b0, true, &to);
  }
  if (ra == HM_SHAPE || rb == HM_SHAPE)
    return mw_err_set(err, MW_EINVAL,
                      "'%.*s%s' is not a time window: write HH:MM-HH:MM, such "
                      "as 22:00-07:00",
                      q, s, more ? "..." : "");
  if (ra == HM_RANGE || rb == HM_RANGE) {
    size_t p0 = ra == HM_RANGE ? a0 : b0, p1 = ra == HM_RANGE ? a1 : b1;
    return mw_err_set(err, MW_EINVAL,
                      "'%.*s%s' is not a time window: '%.*s' is not a time "
                      "of day (00:00 to 23:59, and 24:00 as the end)",
                      q, s, more ? "..." : "", (int)(p1 - p0), s + p0);
  }
  if (from == to)
    return mw_err_set(err, MW_EINVAL,
                      "'%.*s%s' is not a time window: it starts and ends at "
                      "the same time",
                      q, s, more ? "..." : "");
  w->from_min = from;
  w->to_min = to;
  return MW_OK;
}

bool mw_clock_window_has(struct mw_clock_window w, int m) {
  if (w.from_min < 0 || w.to_min < 0) return false;
  if (w.from_min < w.to_min) return m >= w.from_min && m < w.to_min;
  if (w.from_min > w.to_min) return m >= w.from_min || m < w.to_min;
  return false;
}

/* ------------------------------------------------------------ day words */

#define WEEKDAYS 0x1fu
#define WEEKEND 0x60u
#define ALL_DAYS 0x7fu

static const struct {
  const char *word;
  unsigned mask;
} days[] = {
    {"mon", 1u << 0},      {"monday", 1u << 0},    {"周一", 1u << 0},
    {"星期一", 1u << 0},   {"tue", 1u << 1},       {"tuesday", 1u << 1},
    {"周二", 1u << 1},     {"星期二", 1u << 1},    {"wed", 1u << 2},
    {"wednesday", 1u << 2}, {"周三", 1u << 2},     {"星期三", 1u << 2},
    {"thu", 1u << 3},      {"thursday", 1u << 3},  {"周四", 1u << 3},
    {"星期四", 1u << 3},   {"fri", 1u << 4},       {"friday", 1u << 4},
    {"周五", 1u << 4},     {"星期五", 1u << 4},    {"sat", 1u << 5},
    {"saturday", 1u << 5}, {"周六", 1u << 5},      {"星期六", 1u << 5},
    {"sun", 1u << 6},      {"sunday", 1u << 6},    {"周日", 1u << 6},
    {"周天", 1u << 6},     {"星期日", 1u << 6},    {"星期天", 1u << 6},
    {"weekdays", WEEKDAYS}, {"工作日", WEEKDAYS},  {"weekend", WEEKEND},
    {"weekends", WEEKEND}, {"周末", WEEKEND},      {"all", ALL_DAYS},
    {"每天", ALL_DAYS},
};

int mw_day_mask_parse(const char *s, unsigned *mask, struct mw_err *err) {
  for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
    if (!mw_ascii_casecmp(s, days[i].word)) {
      *mask = days[i].mask;
      return MW_OK;
    }
  }
  bool more;
  int q = quote_len(s, &more);
  return mw_err_set(err, MW_EINVAL,
                    "unknown day '%.*s%s': write mon..sun, monday..sunday, "
                    "周一..周日, 星期一..星期日, weekdays (工作日), weekend "
                    "(周末) or all (每天)",
                    q, s, more ? "..." : "");
}
