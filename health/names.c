/*
 * names.c: the names of statuses and problem codes (as stored, in JSON,
 * in Chinese), and the wording of times and spans the details and
 * messages use. Nothing here judges anything.
 */
#include <stdio.h>

#include "health/health_int.h"

static const char *const status_names[] = {"ok", "degraded", "broken"};
static const char *const status_zh[] = {"正常", "异常", "失效"};

static const char *const code_names[MW_PROBLEM_COUNT] = {
    "unreachable", "no_links", "fewer_links", "extraction",
    "mojibake",    "silent",   "moved",
};
static const char *const code_zh[MW_PROBLEM_COUNT] = {
    "无法访问", "栏目页无文章链接", "链接数骤降", "提取率下降",
    "疑似乱码", "长期未更新",       "网址已永久跳转",
};

const char *mw_health_status_name(enum mw_health_status s) {
  return (unsigned)s <= MW_HEALTH_BROKEN ? status_names[s] : "unknown";
}

const char *mw_health_status_label_zh(enum mw_health_status s) {
  return (unsigned)s <= MW_HEALTH_BROKEN ? status_zh[s] : "未知";
}

const char *mw_problem_code_name(enum mw_problem_code c) {
  return (unsigned)c < MW_PROBLEM_COUNT ? code_names[c] : "unknown";
}

const char *mw_problem_label_zh(enum mw_problem_code c) {
  return (unsigned)c < MW_PROBLEM_COUNT ? code_zh[c] : "未知";
}

void health_fmt_utc(int64_t t, char *buf, size_t n) {
  struct mw_civil c;
  mw_time_to_civil(t, 0, &c);
  snprintf(buf, n, "%04d-%02d-%02d %02d:%02d UTC", c.year, c.month, c.day,
           c.hour, c.minute);
}

void health_fmt_span(int64_t s, char *buf, size_t n) {
  if (s < 0) s = 0;
  int64_t d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;
  if (d > 0)
    snprintf(buf, n, "%lldd %lldh", (long long)d, (long long)h);
  else if (h > 0)
    snprintf(buf, n, "%lldh %lldm", (long long)h, (long long)m);
  else
    snprintf(buf, n, "%lldm", (long long)m);
}

/* The unit a span is told in: days from 2 days, hours from 2 hours. */
static void span_unit(int64_t s, int64_t *v, int *unit) {
  if (s < 0) s = 0;
  if (s >= 2 * 86400) {
    *v = s / 86400;
    *unit = 2;
  } else if (s >= 2 * 3600) {
    *v = s / 3600;
    *unit = 1;
  } else {
    *v = s / 60 > 0 ? s / 60 : 1;
    *unit = 0;
  }
}

void health_fmt_span_words(int64_t s, char *buf, size_t n) {
  static const char *const units[] = {"minute", "hour", "day"};
  int64_t v;
  int u;
  span_unit(s, &v, &u);
  snprintf(buf, n, "%lld %s%s", (long long)v, units[u], v == 1 ? "" : "s");
}

void health_fmt_span_zh(int64_t s, char *buf, size_t n) {
  static const char *const units[] = {"分钟", "小时", "天"};
  int64_t v;
  int u;
  span_unit(s, &v, &u);
  snprintf(buf, n, "%lld %s", (long long)v, units[u]);
}

void health_fmt_iso(const struct mw_tz *tz, int64_t t, char *buf, size_t n) {
  int off = tz ? mw_tz_offset_at(tz, t) : 0;
  if (off == 0) mw_time_format_iso_utc(t, buf, n);
  else mw_time_format_iso(t, off, buf, n);
}

void health_fmt_local(const struct mw_tz *tz, int64_t t, char *buf,
                      size_t n) {
  struct mw_civil c;
  mw_time_to_civil(t, tz ? mw_tz_offset_at(tz, t) : 0, &c);
  snprintf(buf, n, "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day, c.hour,
           c.minute);
}

int64_t health_local_day(const struct mw_tz *tz, int64_t t, int *minute) {
  struct mw_civil c;
  mw_time_to_civil(t, tz ? mw_tz_offset_at(tz, t) : 0, &c);
  if (minute) *minute = c.hour * 60 + c.minute;
  return mw_days_from_civil(c.year, c.month, c.day);
}
