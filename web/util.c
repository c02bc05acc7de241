/*
 * util.c: the small helpers every handler shares: query arguments and
 * headers, JSON replies and errors, the request body as JSON, ids in
 * paths, HTML escaping (with search marks), local times and the period a
 * request asks for.
 *
 * What it leaves to others: the checks a request passes before a handler
 * runs (server.c) and what a handler answers (api_*.c, page_*.c). Every
 * string here may come from the network: lengths are bounded before use.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/web_int.h"

/* Query arguments and headers longer than this are treated as absent
 * where a bounded value is expected (periods). */
#define ARG_SHORT_MAX 32

const char *mw_web_arg(const struct mw_web_req *r, const char *key) {
  if (!r || !r->conn) return NULL;
  return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *mw_web_header(const struct mw_web_req *r, const char *name) {
  if (!r || !r->conn) return NULL;
  return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

int mw_web_reply_json(struct mw_web_resp *o, unsigned status, json_t *j) {
  if (!j) return MW_ENOMEM;
  char *text = json_dumps(j, JSON_COMPACT | JSON_ESCAPE_SLASH);
  json_decref(j);
  if (!text) return MW_ENOMEM;
  mw_buf_reset(&o->body);
  int rc = mw_buf_puts(&o->body, text);
  free(text);
  if (rc) return rc;
  o->status = status;
  o->type = "application/json; charset=utf-8";
  return MW_OK;
}

int mw_web_reply_error(struct mw_web_resp *o, unsigned status,
                       const char *code, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  json_t *j = json_pack("{s:s, s:s}", "error", code, "message", msg);
  /* A message cut inside a UTF-8 sequence is refused by jansson: keep the
   * code at least. */
  if (!j) j = json_pack("{s:s, s:s}", "error", code, "message", code);
  if (mw_web_reply_json(o, status, j) != MW_OK) o->status = status;
  return status >= 500 ? MW_EIO : MW_EINVAL;
}

int mw_web_resp_header(struct mw_web_resp *o, const char *name,
                       const char *value) {
  if (o->n_headers >= MW_WEB_HEADERS_MAX) return MW_ETOOBIG;
  char *v = mw_strdup(value ? value : "");
  if (!v) return MW_ENOMEM;
  o->hname[o->n_headers] = name;
  o->hvalue[o->n_headers] = v;
  o->n_headers++;
  return MW_OK;
}

json_t *mw_web_body_json(const struct mw_web_req *r, struct mw_web_resp *o) {
  json_error_t jerr;
  if (!r->body || r->body_len == 0) {
    mw_web_reply_error(o, 400, "bad_json",
                       "the request needs a JSON object as its body");
    return NULL;
  }
  json_t *j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
  if (!j) {
    mw_web_reply_error(o, 400, "bad_json",
                       "the body is not JSON (line %d, column %d): %.120s",
                       jerr.line, jerr.column, jerr.text);
    return NULL;
  }
  if (!json_is_object(j)) {
    json_decref(j);
    mw_web_reply_error(o, 400, "bad_json",
                       "the body must be a JSON object {...}");
    return NULL;
  }
  return j;
}

bool mw_web_path_id(const char *path, const char *prefix, int64_t *id,
                    const char **rest) {
  size_t pn = strlen(prefix);
  if (strncmp(path, prefix, pn) != 0) return false;
  const char *p = path + pn;
  int64_t v = 0;
  size_t digits = 0;
  while (mw_ascii_isdigit((unsigned char)p[digits])) {
    if (digits == 18) return false; /* past int64 */
    v = v * 10 + (p[digits] - '0');
    digits++;
  }
  if (digits == 0 || v <= 0) return false;
  p += digits;
  if (*p != '\0' && *p != '/') return false;
  *id = v;
  if (rest) *rest = *p == '/' ? p + 1 : p;
  return true;
}

/* One byte of text onto b, escaped; control bytes but tab and newline are
 * dropped (they have no business in a page and some break parsers). */
static int html_byte(struct mw_buf *b, unsigned char c) {
  switch (c) {
  case '&': return mw_buf_puts(b, "&amp;");
  case '<': return mw_buf_puts(b, "&lt;");
  case '>': return mw_buf_puts(b, "&gt;");
  case '"': return mw_buf_puts(b, "&quot;");
  case '\'': return mw_buf_puts(b, "&#39;");
  case '\n':
  case '\t': return mw_buf_putc(b, (char)c);
  default:
    if (c < 0x20 || c == 0x7f) return MW_OK;
    return mw_buf_putc(b, (char)c);
  }
}

int mw_web_html(struct mw_buf *b, const char *s) {
  if (!s) return MW_OK;
  /* Runs of plain bytes are appended at once. */
  const char *run = s;
  for (const char *p = s;; p++) {
    unsigned char c = (unsigned char)*p;
    bool plain = c >= 0x20 && c != 0x7f && c != '&' && c != '<' &&
                 c != '>' && c != '"' && c != '\'';
    if (plain) continue;
    if (p > run) {
      int rc = mw_buf_append(b, run, (size_t)(p - run));
      if (rc) return rc;
    }
    if (c == '\0') return MW_OK;
    int rc = html_byte(b, c);
    if (rc) return rc;
    run = p + 1;
  }
}

int mw_web_html_marked(struct mw_buf *b, const char *s) {
  if (!s) return MW_OK;
  const char open = MW_SEARCH_MARK_OPEN[0], close = MW_SEARCH_MARK_CLOSE[0];
  bool in_mark = false;
  int rc = MW_OK;
  for (const char *p = s; *p && rc == MW_OK; p++) {
    if (*p == open) {
      if (!in_mark) rc = mw_buf_puts(b, "<mark>");
      in_mark = true;
    } else if (*p == close) {
      if (in_mark) rc = mw_buf_puts(b, "</mark>");
      in_mark = false;
    } else {
      rc = html_byte(b, (unsigned char)*p);
    }
  }
  if (rc == MW_OK && in_mark) rc = mw_buf_puts(b, "</mark>");
  return rc;
}

void mw_web_time_local(const struct mw_web *w, int64_t t, char *buf,
                       size_t n) {
  if (n == 0) return;
  buf[0] = '\0';
  if (t == 0 || t == MW_TIME_UNKNOWN) return;
  struct mw_civil c;
  if (w && w->cfg && w->cfg->tz)
    mw_tz_to_civil(w->cfg->tz, t, &c);
  else
    mw_time_to_civil(t, 0, &c);
  snprintf(buf, n, "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day,
           c.hour, c.minute);
}

/* "2026-11" into year and month; false when it is not one. */
static bool parse_month(const char *s, int *year, int *month) {
  if (strnlen(s, 8) != 7 || s[4] != '-') return false;
  int y = 0, m = 0;
  for (int i = 0; i < 4; i++) {
    if (!mw_ascii_isdigit((unsigned char)s[i])) return false;
    y = y * 10 + (s[i] - '0');
  }
  for (int i = 5; i < 7; i++) {
    if (!mw_ascii_isdigit((unsigned char)s[i])) return false;
    m = m * 10 + (s[i] - '0');
  }
  *year = y;
  *month = m;
  return true;
}

int mw_web_period(const struct mw_web_req *r, struct mw_report_period *p,
                  struct mw_err *err) {
  const struct mw_tz *tz = r->web->cfg->tz;
  const char *week = mw_web_arg(r, "week"), *month = mw_web_arg(r, "month");
  const char *from = mw_web_arg(r, "from"), *to = mw_web_arg(r, "to");
  if ((week != NULL) + (month != NULL) + (from != NULL || to != NULL) > 1)
    return mw_err_set(err, MW_EINVAL,
                      "give one of week=, month= or from= and to=");
  if (week) {
    int y, wk;
    if (strnlen(week, ARG_SHORT_MAX + 1) > ARG_SHORT_MAX ||
        mw_iso_week_parse(week, &y, &wk, NULL))
      return mw_err_set(err, MW_EINVAL,
                        "week= takes an ISO week such as 2026-W47");
    return mw_report_week_period(tz, y, wk, p, err);
  }
  if (month) {
    int y, m;
    if (!parse_month(month, &y, &m))
      return mw_err_set(err, MW_EINVAL,
                        "month= takes a month such as 2026-11");
    return mw_report_month_period(tz, y, m, p, err);
  }
  if (from || to) {
    if (!from || !to)
      return mw_err_set(err, MW_EINVAL,
                        "from= and to= go together (days such as "
                        "2026-11-01, both included)");
    if (strnlen(from, ARG_SHORT_MAX + 1) > ARG_SHORT_MAX ||
        strnlen(to, ARG_SHORT_MAX + 1) > ARG_SHORT_MAX)
      return mw_err_set(err, MW_EINVAL,
                        "from= and to= take days such as 2026-11-01");
    int rc = mw_report_range_period(tz, from, to, p, err);
    if (rc) mw_err_prefix(err, "from=/to=: ");
    return rc;
  }
  struct mw_civil c;
  mw_tz_to_civil(tz, r->now, &c);
  int y, wk;
  mw_iso_week_of(c.year, c.month, c.day, &y, &wk);
  return mw_report_week_period(tz, y, wk, p, err);
}
