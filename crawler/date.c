/*
 * date.c: publication dates as feeds and Chinese pages write them, turned
 * into UTC epoch seconds.
 *
 * One hand-written scanner over the bytes, no regex, no libc time zone
 * state and no allocation: it runs once per feed entry, so it has to be
 * cheap. It understands RFC 822/1123 and its common deviations (no weekday,
 * no seconds, 2-digit years, long month names, named and military zones,
 * "GMT+08:00", asctime and "Aug 30 2012" orders), W3C-DTF / ISO 8601
 * (partial dates "2003-12" and "2003", ordinal "2003-335", compact
 * "20030508T100000Z", offsets with or without a colon), the slash and dot
 * forms, and the Chinese forms "2023年5月8日 10时00分" (also with Chinese
 * numerals and 上午/下午). Leading labels ("发布时间：", "Date:") are skipped.
 *
 * What it leaves to others: choosing which of a page's dates is the
 * publication date, and any zone other than a fixed offset (a time with no
 * zone is taken at the caller's default offset).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crawler/crawler.h"

struct cur {
  const unsigned char *p, *end;
};

/* What the scanner found; -1 marks a part not given. */
struct when {
  int year, month, day, hour, minute, second;
  bool has_zone;
  int offset_s;
};

static bool at_end(const struct cur *c) {
  return c->p >= c->end;
}

static int peek(const struct cur *c) {
  return c->p < c->end ? *c->p : -1;
}

static bool is_digit_at(const struct cur *c) {
  return c->p < c->end && mw_ascii_isdigit(*c->p);
}

static void skip_spaces(struct cur *c) {
  while (c->p < c->end && mw_ascii_isspace(*c->p)) c->p++;
}

/* Reads up to max digits; returns how many were read (0 = none). */
static int read_digits(struct cur *c, int max, int *value) {
  int n = 0, v = 0;
  while (n < max && is_digit_at(c)) {
    v = v * 10 + (*c->p - '0');
    c->p++;
    n++;
  }
  *value = v;
  return n;
}

/* Counts the digits at the cursor without moving it. */
static int count_digits(const struct cur *c) {
  const unsigned char *q = c->p;
  while (q < c->end && mw_ascii_isdigit(*q)) q++;
  return (int)(q - c->p);
}

/* Length of the ASCII word at the cursor. */
static size_t word_len(const struct cur *c) {
  const unsigned char *q = c->p;
  while (q < c->end && mw_ascii_isalpha(*q)) q++;
  return (size_t)(q - c->p);
}

/* True (and consumes it) when the bytes at the cursor are the UTF-8 string
 * lit. */
static bool eat(struct cur *c, const char *lit) {
  size_t n = strlen(lit);
  if ((size_t)(c->end - c->p) < n || memcmp(c->p, lit, n) != 0) return false;
  c->p += n;
  return true;
}

static bool word_is(const unsigned char *w, size_t n, const char *name) {
  return strlen(name) == n && mw_ascii_ncasecmp((const char *)w, name, n) == 0;
}

/* Month from an English name: the three-letter form or the whole name
 * ("January"), also "Sept". 0 when not a month. */
static int month_from_word(const unsigned char *w, size_t n) {
  static const char *const full[] = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  for (int m = 0; m < 12; m++) {
    size_t fl = strlen(full[m]);
    bool len_ok = n == 3 || n == fl || (m == 8 && n == 4); /* "Sept" */
    if (len_ok && mw_ascii_ncasecmp((const char *)w, full[m], n) == 0)
      return m + 1;
  }
  return 0;
}

static bool is_weekday_word(const unsigned char *w, size_t n) {
  static const char *const full[] = {"monday",   "tuesday", "wednesday",
                                     "thursday", "friday",  "saturday",
                                     "sunday"};
  if (n < 3) return false;
  for (int d = 0; d < 7; d++) {
    size_t fl = strlen(full[d]);
    if (n > fl) continue;
    if (mw_ascii_ncasecmp((const char *)w, full[d], n) == 0 &&
        (n == 3 || n == fl || (n == 4 && (d == 1 || d == 3)))) /* Tues, Thur */
      return true;
  }
  if (n == 5 && mw_ascii_ncasecmp((const char *)w, "thurs", 5) == 0)
    return true;
  return false;
}

/* ------------------------------------------------------------------ zones */

/* Zone names as RFC 822 and feeds in the wild use them, in hours east of
 * UTC (minutes where needed).
 *
 * "CST" is China Standard Time (+08:00) here, not US Central (-06:00):
 * mediawatch reads Chinese sources, and Chinese sites and feeds (and many
 * Java-based CMSs running in Asia/Shanghai) print "CST" for Beijing time.
 *
 * Military single letters follow RFC 822's own table (A = -1 ... M = -12,
 * N = +1 ... Y = +12, Z = 0), which is what feed readers have always
 * done, even though RFC 1123 notes the signs were the reverse of military
 * use. */
struct zone_name {
  const char *name;
  int offset_min;
};

static const struct zone_name zone_names[] = {
    {"UT", 0},         {"UTC", 0},        {"GMT", 0},
    {"Z", 0},          {"EST", -5 * 60},  {"EDT", -4 * 60},
    {"CST", 8 * 60},   {"CDT", -5 * 60},  {"MST", -7 * 60},
    {"MDT", -6 * 60},  {"PST", -8 * 60},  {"PDT", -7 * 60},
    {"AST", -4 * 60},  {"ADT", -3 * 60},  {"AT", -4 * 60},
    {"ET", -5 * 60},   {"CT", -6 * 60},   {"MT", -7 * 60},
    {"PT", -8 * 60},   {"MET", 1 * 60},   {"MEST", 2 * 60},
    {"CET", 1 * 60},   {"CEST", 2 * 60},  {"WET", 0},
    {"WEST", 1 * 60},  {"EET", 2 * 60},   {"EEST", 3 * 60},
    {"BST", 1 * 60},   {"JST", 9 * 60},   {"KST", 9 * 60},
    {"HKT", 8 * 60},   {"SGT", 8 * 60},   {"AWST", 8 * 60},
    {"AEST", 10 * 60}, {"AEDT", 11 * 60}, {"NZST", 12 * 60},
    {"NZDT", 13 * 60}, {"MSK", 3 * 60},   {"IST", 5 * 60 + 30},
};

static bool zone_from_word(const unsigned char *w, size_t n, int *offset_min) {
  if (n == 1 && mw_ascii_isalpha(w[0]) && mw_ascii_tolower(w[0]) != 'j') {
    int l = mw_ascii_tolower(w[0]);
    if (l == 'z')
      *offset_min = 0;
    else if (l <= 'i')
      *offset_min = -(l - 'a' + 1) * 60;
    else if (l <= 'm')
      *offset_min = -(l - 'a') * 60; /* J is skipped */
    else
      *offset_min = (l - 'n' + 1) * 60;
    return true;
  }
  for (size_t i = 0; i < sizeof zone_names / sizeof zone_names[0]; i++)
    if (word_is(w, n, zone_names[i].name)) {
      *offset_min = zone_names[i].offset_min;
      return true;
    }
  return false;
}

/* "+08:00", "+0800", "+08", "+8", "-01:01". The sign is at the cursor.
 * Returns false (cursor unspecified) on a malformed offset. */
static bool read_numeric_offset(struct cur *c, int *offset_min) {
  int sign = *c->p == '-' ? -1 : 1;
  c->p++;
  int h, m = 0;
  int nd = count_digits(c);
  if (nd == 4) {
    read_digits(c, 2, &h);
    read_digits(c, 2, &m);
  } else if (nd == 1 || nd == 2) {
    read_digits(c, 2, &h);
    if (peek(c) == ':') {
      c->p++;
      if (read_digits(c, 2, &m) != 2) return false;
    }
  } else {
    return false;
  }
  if (h > 14 || m > 59) return false;
  *offset_min = sign * (h * 60 + m);
  return true;
}

/* A zone after the time, if any. Returns 1 when one was read, 0 when there
 * is none (cursor unmoved), -1 when something zone-like is malformed. */
static int read_zone(struct cur *c, int *offset_s) {
  struct cur save = *c;
  skip_spaces(c);
  int off_min = 0;
  int ch = peek(c);
  if (ch == '+' || ch == '-') {
    if (!read_numeric_offset(c, &off_min)) return -1;
    *offset_s = off_min * 60;
    return 1;
  }
  if (ch >= 0 && mw_ascii_isalpha((unsigned char)ch)) {
    /* "Etc/GMT" is how some Java servers print UTC. */
    if ((size_t)(c->end - c->p) >= 4 &&
        mw_ascii_ncasecmp((const char *)c->p, "etc/", 4) == 0)
      c->p += 4;
    size_t n = word_len(c);
    if (!zone_from_word(c->p, n, &off_min)) {
      *c = save;
      return 0;
    }
    const unsigned char *w = c->p;
    c->p += n;
    /* "GMT+8", "UTC+08:00", "GMT-01:01": the offset wins. */
    if ((word_is(w, n, "GMT") || word_is(w, n, "UTC") || word_is(w, n, "UT")) &&
        (peek(c) == '+' || peek(c) == '-')) {
      if (!read_numeric_offset(c, &off_min)) return -1;
    }
    *offset_s = off_min * 60;
    return 1;
  }
  *c = save;
  return 0;
}

/* ------------------------------------------------------------------- time */

/* "10:00", "10:00:00", "10:00:00.123", "1:2:3"; the cursor is at the hour.
 * Returns false on a malformed time ("1:2:3:4", "10:xx"). */
static bool read_clock(struct cur *c, struct when *w) {
  int h, m, s = 0;
  if (read_digits(c, 2, &h) == 0 || peek(c) != ':') return false;
  c->p++;
  if (read_digits(c, 2, &m) == 0) return false;
  if (peek(c) == ':') {
    c->p++;
    if (read_digits(c, 2, &s) == 0) return false;
    if (peek(c) == '.' || peek(c) == ',') {
      c->p++;
      if (!is_digit_at(c)) return false;
      while (is_digit_at(c)) c->p++; /* fractions are dropped */
    }
  }
  if (peek(c) == ':' || is_digit_at(c)) return false;
  w->hour = h;
  w->minute = m;
  w->second = s;
  return true;
}

/* An optional " AM"/" PM" after a clock. */
static bool apply_ampm(struct cur *c, struct when *w) {
  struct cur save = *c;
  skip_spaces(c);
  size_t n = word_len(c);
  if (n == 2 && (word_is(c->p, 2, "am") || word_is(c->p, 2, "pm"))) {
    bool pm = mw_ascii_tolower(c->p[0]) == 'p';
    c->p += 2;
    if (w->hour < 1 || w->hour > 12) return false;
    if (pm && w->hour < 12) w->hour += 12;
    if (!pm && w->hour == 12) w->hour = 0;
    return true;
  }
  *c = save;
  return true;
}

/* A clock and zone after a date: "[T| ]10:00[:00][ AM][ zone]". Optional:
 * nothing is consumed when no clock follows. Returns false on a malformed
 * clock or zone. */
static bool read_time_and_zone(struct cur *c, struct when *w) {
  struct cur save = *c;
  int ch = peek(c);
  if (ch == 'T' || ch == 't') {
    c->p++;
    if (!is_digit_at(c)) return false;
  } else {
    skip_spaces(c);
    if (!is_digit_at(c)) {
      *c = save;
      return true;
    }
  }
  int nd = count_digits(c);
  if (nd == 4 || nd == 6) {
    /* compact "T1000" / "T100000" */
    int h, m, s = 0;
    read_digits(c, 2, &h);
    read_digits(c, 2, &m);
    if (nd == 6) read_digits(c, 2, &s);
    w->hour = h;
    w->minute = m;
    w->second = s;
    if (peek(c) == '.') {
      c->p++;
      while (is_digit_at(c)) c->p++;
    }
  } else if (!read_clock(c, w)) {
    return false;
  }
  if (!apply_ampm(c, w)) return false;
  int rc = read_zone(c, &w->offset_s);
  if (rc < 0) return false;
  if (rc > 0) w->has_zone = true;
  return true;
}

/* ---------------------------------------------------------------- Chinese */

/* A Chinese digit (〇/零 一 二 ... 九) at the cursor: its value, and the
 * cursor moved past it; -1 when none. */
static int cn_digit(struct cur *c) {
  static const char *const digits[] = {"〇", "一", "二", "三", "四",
                                       "五", "六", "七", "八", "九"};
  for (int i = 0; i < 10; i++)
    if (eat(c, digits[i])) return i;
  if (eat(c, "零") || eat(c, "○") || eat(c, "О")) return 0;
  return -1;
}

/* A number written in Chinese: digit by digit for years ("二〇二三"), or
 * with 十 for 1-31 ("十二", "二十八", "三十一"). Returns digits read, 0 when
 * none. */
static int cn_number(struct cur *c, int *value) {
  int v = 0, n = 0;
  int d;
  struct cur save = *c;
  int first = cn_digit(c);
  if (first < 0) {
    if (eat(c, "十")) {
      d = cn_digit(c);
      *value = 10 + (d > 0 ? d : 0);
      return 2;
    }
    *c = save;
    return 0;
  }
  if (eat(c, "十")) {
    d = cn_digit(c);
    *value = first * 10 + (d > 0 ? d : 0);
    return 2;
  }
  v = first;
  n = 1;
  while ((d = cn_digit(c)) >= 0) {
    v = v * 10 + d;
    n++;
    if (n > 4) return 0;
  }
  *value = v;
  return n;
}

/* A number in Arabic or Chinese digits. */
static int any_number(struct cur *c, int max_digits, int *value) {
  skip_spaces(c);
  if (is_digit_at(c)) return read_digits(c, max_digits, value);
  return cn_number(c, value);
}

/* The rest of "2023年5月8日 下午3时30分": the year is read, the cursor is
 * past 年. */
static bool read_chinese(struct cur *c, struct when *w) {
  int v;
  if (any_number(c, 2, &v) == 0) return true; /* "2023年" alone */
  skip_spaces(c);
  if (!eat(c, "月")) return false;
  w->month = v;
  if (any_number(c, 2, &v) == 0) return true; /* "2023年5月" */
  skip_spaces(c);
  if (!eat(c, "日") && !eat(c, "号")) return false;
  w->day = v;
  struct cur save = *c;
  skip_spaces(c);
  /* weekday names between date and time: "星期一", "周一" */
  if (eat(c, "星期") || eat(c, "周")) {
    if (!eat(c, "日") && !eat(c, "天") && cn_digit(c) < 0) return false;
    save = *c;
    skip_spaces(c);
  }
  if (eat(c, "（") || eat(c, "(")) { /* "(星期一)" */
    while (c->p < c->end && *c->p != ')' && !eat(c, "）")) c->p++;
    if (peek(c) == ')') c->p++;
    save = *c;
    skip_spaces(c);
  }
  int half = 0; /* 1 = morning, 2 = afternoon/evening */
  if (eat(c, "上午") || eat(c, "凌晨") || eat(c, "早上"))
    half = 1;
  else if (eat(c, "下午") || eat(c, "晚上") || eat(c, "傍晚"))
    half = 2;
  else if (eat(c, "中午"))
    half = 3;
  skip_spaces(c);
  if (!is_digit_at(c) && !half) {
    *c = save;
    return true;
  }
  int h, m = 0, s = 0;
  struct cur clock = *c;
  if (any_number(c, 2, &h) == 0) return false;
  if (peek(c) == ':') {
    /* "10:00[:00]": read again as a clock so seconds work the same way */
    *c = clock;
    if (!is_digit_at(c) || !read_clock(c, w)) return false;
    h = w->hour;
    m = w->minute;
    s = w->second;
  } else if (eat(c, "时") || eat(c, "点") || eat(c, "時") || eat(c, "點")) {
    struct cur after = *c;
    if (any_number(c, 2, &m) > 0) {
      eat(c, "分");
      if (any_number(c, 2, &s) > 0 && !eat(c, "秒")) return false;
    } else {
      *c = after;
      eat(c, "整");
    }
  } else {
    return false;
  }
  if (half == 2 && h < 12) h += 12;
  if (half == 3 && h < 6) h += 12;
  if (half == 1 && h == 12) h = 0;
  w->hour = h;
  w->minute = m;
  w->second = s;
  int rc = read_zone(c, &w->offset_s);
  if (rc < 0) return false;
  if (rc > 0) w->has_zone = true;
  return true;
}

/* ----------------------------------------------------------------- numeric */

/* Dates that start with digits: ISO 8601 / W3C-DTF, slash and dot forms,
 * Chinese, compact, and RFC 822 without a weekday ("08 May 2023 ..."). */
static bool read_numeric_date(struct cur *c, struct when *w);

/* RFC 822 from the day on: "8 May 2023 10:00:00 +0800" (the day is read). */
static bool read_rfc822_rest(struct cur *c, struct when *w, int day) {
  skip_spaces(c);
  if (peek(c) == '-') c->p++; /* RFC 850 "01-Jan-04" */
  size_t n = word_len(c);
  int mon = month_from_word(c->p, n);
  if (!mon) return false;
  c->p += n;
  if (peek(c) == '-') c->p++;
  if (peek(c) == ',') c->p++; /* "13 Feb, 2012" */
  skip_spaces(c);
  int year, nd = read_digits(c, 4, &year);
  if (nd == 2)
    year += year < 50 ? 2000 : 1900; /* as RFC 2822 says */
  else if (nd != 4)
    return false;
  if (is_digit_at(c)) return false;
  w->year = year;
  w->month = mon;
  w->day = day;
  if (peek(c) == ',') c->p++;
  return read_time_and_zone(c, w);
}

static bool read_numeric_date(struct cur *c, struct when *w) {
  int nd = count_digits(c);
  int v;
  if (nd == 1 || nd == 2) {
    read_digits(c, 2, &v);
    return read_rfc822_rest(c, w, v);
  }
  if (nd == 8 || nd == 14) { /* 20230508, 20230508100000 */
    read_digits(c, 4, &w->year);
    read_digits(c, 2, &w->month);
    read_digits(c, 2, &w->day);
    if (nd == 14) {
      read_digits(c, 2, &w->hour);
      read_digits(c, 2, &w->minute);
      read_digits(c, 2, &w->second);
      int rc = read_zone(c, &w->offset_s);
      if (rc < 0) return false;
      w->has_zone = rc > 0;
      return true;
    }
    return read_time_and_zone(c, w);
  }
  if (nd != 4) return false;
  read_digits(c, 4, &w->year);
  int sep = peek(c);
  if (eat(c, "年")) return read_chinese(c, w);
  if (sep != '-' && sep != '/' && sep != '.') {
    /* a year alone ("2003") */
    w->month = 1;
    w->day = 1;
    return true;
  }
  c->p++;
  int md = count_digits(c);
  if (sep == '-' && md == 3) {
    /* "2003-335" (ordinal) or Google's "2003-012-31" */
    read_digits(c, 3, &v);
    if (peek(c) == '-' && v >= 1 && v <= 12) {
      w->month = v;
    } else {
      if (v < 1 || v > 366) return false;
      int64_t days = mw_days_from_civil(w->year, 1, 1) + v - 1;
      int y, m, d;
      mw_civil_from_days(days, &y, &m, &d);
      if (y != w->year) return false;
      w->month = m;
      w->day = d;
      return read_time_and_zone(c, w);
    }
  } else if (md == 1 || md == 2) {
    read_digits(c, 2, &w->month);
  } else {
    return false;
  }
  if (peek(c) != sep) {
    /* "2003-12": year and month only */
    w->day = 1;
    if (sep != '-') return false;
    return true;
  }
  c->p++;
  md = count_digits(c);
  if (md != 1 && md != 2) return false;
  read_digits(c, 2, &w->day);
  if (sep == '.' && peek(c) == '.') c->p++; /* "2023.05.08." */
  return read_time_and_zone(c, w);
}

/* ------------------------------------------------------------------ words */

/* Dates that start with an English word: "Mon, 08 May 2023 ...",
 * "Sun Jan  4 16:29:06 2004" (asctime), "Thu Aug 30 2012 17:26:16 +0200",
 * "May 8, 2023 10:00", "Fri, 2006/09/15 08:19:53 EDT". */
static bool read_word_date(struct cur *c, struct when *w) {
  size_t n = word_len(c);
  if (is_weekday_word(c->p, n)) {
    c->p += n;
    if (peek(c) == '.') c->p++;
    if (peek(c) == ',') c->p++;
    skip_spaces(c);
    if (is_digit_at(c)) return read_numeric_date(c, w);
    n = word_len(c);
  }
  int mon = month_from_word(c->p, n);
  if (!mon) return false;
  c->p += n;
  if (peek(c) == '.') c->p++;
  skip_spaces(c);
  int day;
  if (read_digits(c, 2, &day) == 0) return false;
  w->month = mon;
  w->day = day;
  if (peek(c) == ',') c->p++;
  skip_spaces(c);
  int nd = count_digits(c);
  if (nd == 4) { /* "Aug 30 2012 [time]" or "May 8, 2023" */
    read_digits(c, 4, &w->year);
    return read_time_and_zone(c, w);
  }
  /* asctime: "Jan  4 16:29:06 [zone] 2004" */
  if (!read_clock(c, w)) return false;
  int rc = read_zone(c, &w->offset_s);
  if (rc < 0) return false;
  w->has_zone = rc > 0;
  skip_spaces(c);
  if (count_digits(c) != 4) return false;
  read_digits(c, 4, &w->year);
  return true;
}

/* --------------------------------------------------------------- labels */

/* Skips what comes before the date: spaces, non-ASCII labels ("发布时间："),
 * ASCII labels that are not month or day names ("Date:", "Posted on"),
 * and punctuation such as ':' and '['. Stops at a digit, at a month or
 * weekday name, or at a Chinese numeral that starts a year. */
static void skip_label(struct cur *c) {
  while (c->p < c->end) {
    unsigned char ch = *c->p;
    if (mw_ascii_isdigit(ch)) return;
    if (mw_ascii_isalpha(ch)) {
      size_t n = word_len(c);
      if (month_from_word(c->p, n) || is_weekday_word(c->p, n)) return;
      c->p += n;
      continue;
    }
    if (ch >= 0x80) {
      /* a Chinese numeral followed, sooner or later, by 年 */
      struct cur probe = *c;
      int v;
      if (cn_number(&probe, &v) >= 2 && eat(&probe, "年")) return;
      c->p++;
      while (c->p < c->end && (*c->p & 0xC0) == 0x80) c->p++;
      continue;
    }
    c->p++;
  }
}

/* Accepts what follows a complete date: nothing, or anything after a space
 * or that is not ASCII ("2023年5月8日 星期一", "... +0000 (UTC)"), but not
 * glued ASCII ("2013-01-27-01", "...-06:00Textra"). An ASCII word after a
 * space is accepted only when the date had a zone or no time: an unknown
 * word right after a clock is an unknown zone. */
static bool trailing_ok(struct cur *c, const struct when *w) {
  if (at_end(c)) return true;
  unsigned char ch = *c->p;
  if (ch >= 0x80) return true;
  if (!mw_ascii_isspace(ch))
    return ch == '(' || ch == ')' || ch == ']' || ch == ',' || ch == ';' ||
           ch == '|';
  skip_spaces(c);
  if (at_end(c)) return true;
  ch = *c->p;
  if (mw_ascii_isalpha(ch) && w->hour >= 0 && !w->has_zone) return false;
  return true;
}

int mw_date_parse(const char *s, size_t len, int default_offset_s,
                  int64_t *out) {
  if (!s || !out) return MW_EINVAL;
  struct cur c = {(const unsigned char *)s, (const unsigned char *)s + len};
  struct when w = {-1, -1, -1, -1, -1, -1, false, 0};
  skip_label(&c);
  if (at_end(&c)) return MW_EINVAL;
  bool ok;
  if (mw_ascii_isdigit(*c.p)) {
    ok = read_numeric_date(&c, &w);
  } else if (mw_ascii_isalpha(*c.p)) {
    ok = read_word_date(&c, &w);
  } else {
    int y;
    ok = cn_number(&c, &y) == 4 && eat(&c, "年");
    if (ok) {
      w.year = y;
      ok = read_chinese(&c, &w);
    }
  }
  if (!ok || !trailing_ok(&c, &w)) return MW_EINVAL;
  if (w.month < 0) w.month = 1;
  if (w.day < 0) w.day = 1;
  if (w.hour < 0) w.hour = w.minute = w.second = 0;
  if (w.second < 0) w.second = 0;
  if (!mw_civil_valid(w.year, w.month, w.day, w.hour, w.minute, w.second))
    return MW_EINVAL;
  *out = mw_time_from_civil(w.year, w.month, w.day, w.hour, w.minute, w.second,
                            w.has_zone ? w.offset_s : default_offset_s);
  return MW_OK;
}
