/*
 * calendar.c: the campaign calendar (宣传周, 环境日): parses the calendar
 * file (format in report.h, example in examples/calendar.tsv) and finds the
 * occurrences of its events in or near a report period, laid out as local
 * days in the config's zone.
 *
 * A yearly event ("04-22") is tried in each year the window around the
 * period touches, so a report of the last days of December still sees an
 * event of early January; a per-year event occurs once.
 *
 * What it leaves to others: the coverage around each occurrence (cli/
 * asks the store), its layout and rendering (calendar_sections.c and the
 * calendar_*.c renderers).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

void mw_calendar_free(struct mw_calendar *c) {
  if (!c) return;
  for (size_t i = 0; i < c->n_events; i++) free(c->events[i].name);
  free(c->events);
  free(c);
}

/* Two ASCII digits at s into *v. */
static bool two_digits(const char *s, int *v) {
  if (!mw_ascii_isdigit((unsigned char)s[0]) ||
      !mw_ascii_isdigit((unsigned char)s[1]))
    return false;
  *v = (s[0] - '0') * 10 + (s[1] - '0');
  return true;
}

/* "MM-DD" (year 0) or "YYYY-MM-DD" of n bytes. */
static bool parse_date(const char *s, size_t n, int *year, int *month,
                       int *day) {
  int y = 0;
  if (n == 10) {
    int hi, lo;
    if (!two_digits(s, &hi) || !two_digits(s + 2, &lo) || s[4] != '-')
      return false;
    y = hi * 100 + lo;
    if (y < 1970) return false;
    s += 5;
  } else if (n != 5) {
    return false;
  }
  if (!two_digits(s, month) || s[2] != '-' || !two_digits(s + 3, day))
    return false;
  *year = y;
  /* A yearly date must exist in some year: 02-29 does (leap years). */
  return mw_civil_valid(y ? y : 2000, *month, *day, 0, 0, 0);
}

/* Splits line [s, e) at tabs into at most 4 fields; returns how many. */
static size_t split_tabs(const char *s, const char *e, const char **f,
                         size_t *len) {
  size_t n = 0;
  while (n < 4) {
    const char *t = memchr(s, '\t', (size_t)(e - s));
    const char *end = t ? t : e;
    f[n] = s;
    len[n] = (size_t)(end - s);
    n++;
    if (!t) break;
    s = t + 1;
  }
  return n;
}

/* Trims ASCII spaces around [*s, *s + *n). */
static void trim(const char **s, size_t *n) {
  while (*n && ((*s)[0] == ' ' || (*s)[0] == '\r')) (*s)++, (*n)--;
  while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\r')) (*n)--;
}

static int parse_line(const char *s, const char *e, const char *name,
                      int line, struct mw_calendar_event *ev,
                      struct mw_err *err) {
  const char *f[4];
  size_t len[4];
  size_t n = split_tabs(s, e, f, len);
  for (size_t i = 0; i < n; i++) trim(&f[i], &len[i]);
  if (n < 2 || n > 3)
    return mw_err_set(err, MW_EINVAL,
                      "%s:%d: expected NAME, FIRST and an optional LAST day "
                      "separated by tabs, found %zu field%s",
                      name, line, n, n == 1 ? "" : "s");
  if (len[0] == 0)
    return mw_err_set(err, MW_EINVAL, "%s:%d: the event has no name", name,
                      line);
  for (size_t i = 0; i < len[0]; i++)
    if ((unsigned char)f[0][i] < 0x20 || f[0][i] == 0x7f)
      return mw_err_set(err, MW_EINVAL,
                        "%s:%d: the name holds a control character", name,
                        line);
  int y, m, d, ly, lm, ld;
  if (!parse_date(f[1], len[1], &y, &m, &d))
    return mw_err_set(err, MW_EINVAL,
                      "%s:%d: '%.*s' is not a day like 06-05 (every year) "
                      "or 2023-05-22 (that year)",
                      name, line, (int)(len[1] > 40 ? 40 : len[1]), f[1]);
  ly = y, lm = m, ld = d;
  if (n == 3 && len[2] && !parse_date(f[2], len[2], &ly, &lm, &ld))
    return mw_err_set(err, MW_EINVAL,
                      "%s:%d: last day '%.*s' is not a day like 06-11 or "
                      "2023-05-28",
                      name, line, (int)(len[2] > 40 ? 40 : len[2]), f[2]);
  if ((ly == 0) != (y == 0))
    return mw_err_set(err, MW_EINVAL,
                      "%s:%d: the first and last day must both have a year "
                      "or both have none",
                      name, line);
  if (ly && ly != y)
    return mw_err_set(err, MW_EINVAL,
                      "%s:%d: the event may not cross the new year", name,
                      line);
  /* Yearly days are measured in 2000, a leap year, so 02-29 exists. */
  int64_t span = mw_days_from_civil(ly ? ly : 2000, lm, ld) -
                 mw_days_from_civil(y ? y : 2000, m, d);
  if (span < 0)
    return mw_err_set(err, MW_EINVAL,
                      "%s:%d: the last day comes before the first%s", name,
                      line,
                      y ? "" : " (a yearly event may not cross the new year)");
  if (span >= MW_CALENDAR_MAX_DAYS)
    return mw_err_set(err, MW_EINVAL, "%s:%d: the event lasts %lld days, "
                      "more than %d", name, line, (long long)span + 1,
                      MW_CALENDAR_MAX_DAYS);
  if (!(ev->name = mw_strndup(f[0], len[0])))
    return mw_err_set(err, MW_ENOMEM, "%s: out of memory", name);
  ev->year = y;
  ev->month = m;
  ev->day = d;
  ev->last_month = lm;
  ev->last_day = ld;
  ev->line = line;
  return MW_OK;
}

int mw_calendar_parse(const char *text, size_t len, const char *name,
                      struct mw_calendar **out, struct mw_err *err) {
  *out = NULL;
  if (!name) name = "calendar";
  if (len > MW_CALENDAR_MAX_BYTES)
    return mw_err_set(err, MW_ETOOBIG, "%s: larger than %u bytes", name,
                      MW_CALENDAR_MAX_BYTES);
  struct mw_calendar *c = calloc(1, sizeof *c);
  if (!c) return mw_err_set(err, MW_ENOMEM, "%s: out of memory", name);
  size_t cap = 0;
  const char *p = text, *end = text + len;
  /* A UTF-8 BOM, as Windows editors write it. */
  if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) p += 3;
  int line = 0, rc = MW_OK;
  while (!rc && p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *e = nl ? nl : end;
    line++;
    const char *s = p;
    p = nl ? nl + 1 : end;
    size_t n = (size_t)(e - s);
    trim(&s, &n);
    if (n == 0 || s[0] == '#') continue;
    if (memchr(s, '\0', n)) {
      rc = mw_err_set(err, MW_EINVAL, "%s:%d: a NUL byte", name, line);
      break;
    }
    if (c->n_events == MW_CALENDAR_MAX_EVENTS) {
      rc = mw_err_set(err, MW_ETOOBIG, "%s:%d: more than %d events", name,
                      line, MW_CALENDAR_MAX_EVENTS);
      break;
    }
    if (c->n_events == cap) {
      size_t ncap = cap ? cap * 2 : 16;
      void *np = realloc(c->events, ncap * sizeof *c->events);
      if (!np) {
        rc = mw_err_set(err, MW_ENOMEM, "%s: out of memory", name);
        break;
      }
      c->events = np;
      cap = ncap;
    }
    rc = parse_line(s, s + n, name, line, &c->events[c->n_events], err);
    if (!rc) c->n_events++;
  }
  if (rc) {
    mw_calendar_free(c);
    return rc;
  }
  *out = c;
  return MW_OK;
}

int mw_calendar_load(const char *path, struct mw_calendar **out,
                     struct mw_err *err) {
  *out = NULL;
  FILE *f = fopen(path, "rb");
  if (!f)
    return mw_err_set(err, MW_EIO, "calendar %s: cannot open: %s", path,
                      strerror(errno));
  struct mw_buf b;
  mw_buf_init(&b, MW_CALENDAR_MAX_BYTES);
  char chunk[8192];
  size_t n;
  int rc = MW_OK;
  while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
    rc = mw_buf_append(&b, chunk, n);
  if (!rc && ferror(f)) rc = MW_EIO;
  fclose(f);
  if (rc == MW_ETOOBIG)
    rc = mw_err_set(err, rc, "calendar %s: larger than %u bytes", path,
                    MW_CALENDAR_MAX_BYTES);
  else if (rc)
    rc = mw_err_set(err, rc, "calendar %s: cannot read: %s", path,
                    mw_strerror(rc));
  if (!rc) rc = mw_calendar_parse(b.data ? b.data : "", b.len, path, out, err);
  mw_buf_cleanup(&b);
  return rc;
}

/* Local midnight starting day `days` (since 1970-01-01) in tz. */
static int64_t midnight(const struct mw_tz *tz, int64_t days) {
  int y, m, d;
  mw_civil_from_days(days, &y, &m, &d);
  return tz ? mw_tz_from_civil(tz, y, m, d, 0, 0, 0)
            : mw_time_from_civil(y, m, d, 0, 0, 0, 0);
}

/* The local day holding instant t. */
static int64_t day_of(const struct mw_tz *tz, int64_t t) {
  struct mw_civil c;
  mw_time_to_civil(t, tz ? mw_tz_offset_at(tz, t) : 0, &c);
  return mw_days_from_civil(c.year, c.month, c.day);
}

static void format_day(int64_t days, char *buf, size_t n) {
  int y, m, d;
  mw_civil_from_days(days, &y, &m, &d);
  snprintf(buf, n, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
           (unsigned)d % 100u);
}

static int occ_cmp(const void *a, const void *b) {
  const struct mw_calendar_occurrence *x = a, *y = b;
  int c = strcmp(x->first, y->first);
  if (c) return c;
  return (x->event > y->event) - (x->event < y->event);
}

int mw_calendar_near(const struct mw_calendar *c, const struct mw_tz *tz,
                     const struct mw_report_period *p,
                     struct mw_calendar_occurrence **out, size_t *n,
                     struct mw_err *err) {
  *out = NULL;
  *n = 0;
  if (!c || !p || p->to <= p->from)
    return mw_err_set(err, MW_EINVAL, "calendar: no calendar or period");
  int64_t first = day_of(tz, p->from), last = day_of(tz, p->to - 1);
  int64_t lo = first - MW_CALENDAR_NEAR_DAYS, hi = last + MW_CALENDAR_NEAR_DAYS;
  int y_lo, y_hi, mm, dd;
  mw_civil_from_days(lo, &y_lo, &mm, &dd);
  mw_civil_from_days(hi, &y_hi, &mm, &dd);
  size_t cap = 0;
  struct mw_calendar_occurrence *arr = NULL;
  for (size_t i = 0; i < c->n_events; i++) {
    const struct mw_calendar_event *ev = &c->events[i];
    for (int y = ev->year ? ev->year : y_lo; y <= (ev->year ? ev->year : y_hi);
         y++) {
      /* 02-29 in a year without one is skipped. */
      if (!mw_civil_valid(y, ev->month, ev->day, 0, 0, 0) ||
          !mw_civil_valid(y, ev->last_month, ev->last_day, 0, 0, 0))
        continue;
      int64_t a = mw_days_from_civil(y, ev->month, ev->day);
      int64_t b = mw_days_from_civil(y, ev->last_month, ev->last_day);
      if (b < lo || a > hi) continue;
      if (*n == cap) {
        size_t ncap = cap ? cap * 2 : 8;
        void *np = realloc(arr, ncap * sizeof *arr);
        if (!np) {
          free(arr);
          return mw_err_set(err, MW_ENOMEM, "calendar: out of memory");
        }
        arr = np;
        cap = ncap;
      }
      struct mw_calendar_occurrence *o = &arr[(*n)++];
      memset(o, 0, sizeof *o);
      o->event = ev;
      format_day(a, o->first, sizeof o->first);
      format_day(b, o->last, sizeof o->last);
      o->n_days = (int)(b - a + 1);
      o->from = midnight(tz, a);
      o->to = midnight(tz, b + 1);
      o->lead_from = midnight(tz, a - MW_CALENDAR_LEAD_DAYS);
      o->where = b < first ? -1 : a > last ? 1 : 0;
    }
  }
  if (*n > 1) qsort(arr, *n, sizeof *arr, occ_cmp);
  *out = arr;
  return MW_OK;
}
