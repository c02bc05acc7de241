/*
 * api_args.c: the query arguments the JSON API shares (paging, days and
 * times, filters) and JSON values from stored text.
 *
 * What it leaves to others: the period arguments of coverage and reports
 * (mw_web_period, util.c), bodies (mw_web_body_json), the alert's JSON
 * (json.c).
 */
#include <stdio.h>
#include <string.h>

#include "web/api_args.h"

int mw_web_api_fail(struct mw_web_resp *o, int rc, const struct mw_err *err) {
  if (rc == MW_ENOTFOUND)
    return mw_web_reply_error(o, 404, "not_found", "%s",
                              err->msg[0] ? err->msg : "not found");
  /* Left at status 0: the server answers 500 without showing why (a store
   * message names files). */
  return rc ? rc : MW_EIO;
}

/* A whole decimal number of at most 19 digits in [min, max]. */
static bool parse_num(const char *s, size_t n, int64_t min, int64_t max,
                      int64_t *out) {
  char tmp[24];
  if (n == 0 || n >= sizeof tmp) return false;
  memcpy(tmp, s, n);
  tmp[n] = '\0';
  return mw_parse_int64(tmp, min, max, out) == MW_OK;
}

/* n digits at s as a number. */
static bool digits(const char *s, size_t n, int *out) {
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    if (!mw_ascii_isdigit((unsigned char)s[i])) return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

bool mw_web_api_parse_local(const struct mw_tz *tz, const char *s, size_t n,
                            bool day_end, int64_t *t) {
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (n < 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) ||
      !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d))
    return false;
  bool has_clock = n > 10;
  if (has_clock) {
    if ((n != 16 && n != 19) || (s[10] != ' ' && s[10] != 'T') ||
        s[13] != ':' || !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi))
      return false;
    if (n == 19 && (s[16] != ':' || !digits(s + 17, 2, &sec))) return false;
  }
  if (y < 1970 || !mw_civil_valid(y, mo, d, h, mi, sec)) return false;
  if (!has_clock && day_end) {
    /* The next day's midnight, through the calendar (zones with DST). */
    int64_t days = mw_days_from_civil(y, mo, d) + 1;
    mw_civil_from_days(days, &y, &mo, &d);
  }
  *t = tz ? mw_tz_from_civil(tz, y, mo, d, h, mi, sec)
          : mw_time_from_civil(y, mo, d, h, mi, sec, 0);
  return true;
}

int mw_web_api_time_arg(const struct mw_web_req *r, struct mw_web_resp *o,
                        const char *key, bool end, int64_t *t) {
  *t = 0;
  const char *v = mw_web_arg(r, key);
  if (!v || !*v) return MW_OK;
  size_t n = strnlen(v, 32);
  if (n < 32 && parse_num(v, n, 1, INT64_C(253402300799), t)) return MW_OK;
  if (n < 32 && mw_web_api_parse_local(r->web->cfg->tz, v, n, end, t))
    return MW_OK;
  return mw_web_reply_error(o, 400, "invalid",
                            "%s: give a day like 2026-11-23 or epoch "
                            "seconds",
                            key);
}

int mw_web_api_paging(const struct mw_web_req *r, struct mw_web_resp *o,
                      size_t def, size_t max, size_t *page, size_t *per_page) {
  int64_t v;
  *page = 1;
  *per_page = def;
  const char *s = mw_web_arg(r, "page");
  if (s && *s) {
    if (!parse_num(s, strnlen(s, 24), 1, MW_WEB_API_PAGE_MAX, &v))
      return mw_web_reply_error(o, 400, "invalid",
                                "page: give a page number from 1 to %d",
                                MW_WEB_API_PAGE_MAX);
    *page = (size_t)v;
  }
  s = mw_web_arg(r, "per_page");
  if (s && *s) {
    if (!parse_num(s, strnlen(s, 24), 1, (int64_t)max, &v))
      return mw_web_reply_error(o, 400, "invalid",
                                "per_page: give a number from 1 to %zu", max);
    *per_page = (size_t)v;
  }
  return MW_OK;
}

int mw_web_api_text_arg(const struct mw_web_req *r, struct mw_web_resp *o,
                        const char *key, const char **v) {
  *v = mw_web_arg(r, key);
  if (*v && !**v) *v = NULL;
  if (*v && strnlen(*v, MW_WEB_API_ARG_MAX + 1) > MW_WEB_API_ARG_MAX)
    return mw_web_reply_error(o, 400, "invalid", "%s: at most %d bytes", key,
                              MW_WEB_API_ARG_MAX);
  return MW_OK;
}

/* Length of the UTF-8 sequence at s (n bytes left), 0 when it is not one:
 * shortest forms only, no surrogates, nothing above U+10FFFF. */
static size_t utf8_seq(const unsigned char *s, size_t n) {
  unsigned c = s[0];
  size_t len;
  unsigned min;
  if (c < 0x80) return c ? 1 : 0;
  if (c >= 0xc2 && c <= 0xdf)
    len = 2, min = 0x80;
  else if (c >= 0xe0 && c <= 0xef)
    len = 3, min = 0x800;
  else if (c >= 0xf0 && c <= 0xf4)
    len = 4, min = 0x10000;
  else
    return 0;
  if (len > n) return 0;
  unsigned cp = c & (0x7fu >> len);
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3fu);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return len;
}

json_t *mw_web_api_str(const char *s) {
  if (!s) return json_null();
  json_t *j = json_string(s);
  if (j) return j;
  /* Not UTF-8 (a store written by an older build, a page that lied about
   * its charset): keep what is readable. */
  size_t n = strlen(s);
  struct mw_buf b;
  mw_buf_init(&b, 3 * n + 1);
  int rc = MW_OK;
  for (size_t i = 0; i < n && !rc;) {
    size_t k = utf8_seq((const unsigned char *)s + i, n - i);
    if (k) {
      rc = mw_buf_append(&b, s + i, k);
      i += k;
    } else {
      rc = mw_buf_puts(&b, "\xEF\xBF\xBD");
      i++;
    }
  }
  j = rc ? NULL : json_stringn(b.data ? b.data : "", b.len);
  mw_buf_cleanup(&b);
  return j;
}

int mw_web_api_set_str(json_t *obj, const char *key, const char *s) {
  return json_object_set_new(obj, key, mw_web_api_str(s));
}

int mw_web_api_set_int(json_t *obj, const char *key, int64_t v) {
  return json_object_set_new(obj, key, json_integer((json_int_t)v));
}

int mw_web_api_set_time(const struct mw_web *w, json_t *obj, const char *key,
                        int64_t t) {
  char text[64], name[64];
  if (t == MW_TIME_UNKNOWN) t = 0;
  mw_web_time_local(w, t, text, sizeof text);
  int n = snprintf(name, sizeof name, "%s_text", key);
  if (n < 0 || (size_t)n >= sizeof name) return -1;
  return mw_web_api_set_int(obj, key, t) |
         json_object_set_new(obj, name, json_string(text));
}

void mw_web_api_period_label(const struct mw_tz *tz,
                             const struct mw_report_period *p, const char *sep,
                             char *buf, size_t n) {
  if (p->iso_week) {
    snprintf(buf, n, "%04d-W%02d", p->iso_year, p->iso_week);
  } else if (p->month) {
    snprintf(buf, n, "%04d-%02d", p->year, p->month);
  } else {
    struct mw_civil a, b;
    mw_tz_to_civil(tz, p->from, &a);
    mw_tz_to_civil(tz, p->to - 1, &b);
    snprintf(buf, n, "%04d-%02d-%02d%s%04d-%02d-%02d", a.year, a.month, a.day,
             sep, b.year, b.month, b.day);
  }
}
