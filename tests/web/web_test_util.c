/* A live server over a temporary store for the web tests, and libcurl
 * helpers to talk to it (web_test_util.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>

#include "tests/web/web_test_util.h"

/* Hashing is slow on purpose: the three users' hashes are made once per
 * test program. */
static char *hashes[3];
static pthread_once_t once = PTHREAD_ONCE_INIT;
static void init_once(void) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const char *pw[3] = {WT_VIEWER_PASS, WT_DUTY_PASS, WT_ADMIN_PASS};
  for (int i = 0; i < 3; i++)
    if (mw_web_password_hash(pw[i], &hashes[i], NULL)) hashes[i] = NULL;
}

static int64_t wt_clock(void *ctx) {
  struct wt *w = ctx;
  return atomic_load(&w->now);
}

struct wt *wt_new(void) {
  pthread_once(&once, init_once);
  for (int i = 0; i < 3; i++)
    if (!hashes[i]) fail_msg("cannot hash the test passwords");
  struct wt *w = calloc(1, sizeof *w);
  assert_non_null(w);
  tu_config_three(&w->tc);
  w->cfg = &w->tc.cfg;
  struct mw_err err = {0};
  if (mw_tz_load("Asia/Shanghai", &w->cfg->tz, &err))
    fail_msg("tz: %s", err.msg);
  w->dir = tu_tmpdir();
  w->db = tu_path(w->dir, "mw.db");
  w->cfg->storage_path = w->db;
  w->cfg->serve = (struct mw_serve_conf){.listen = "127.0.0.1:0",
                                         .session_ttl_s = 3600,
                                         .cookie_secure = false,
                                         .login_failures = 5,
                                         .login_window_s = 900};
  struct mw_alerts_conf *a = &w->cfg->alerts;
  a->spread_outlets = 3;
  a->spread_window_s = 86400;
  a->burst_factor_pct = 300;
  a->burst_min = 5;
  a->burst_weeks = 4;
  a->deadline_s[0] = 24 * 3600;
  a->deadline_s[1] = 12 * 3600;
  a->deadline_s[2] = 5 * 3600;
  a->deadline_s[3] = 3600;
  a->ack_t1_s = 1800;
  a->ack_t2_s = 7200;
  a->repeat_s = 6 * 3600;
  a->retry_max_s = 3600;
  atomic_store(&w->now, (int64_t)WT_NOW);
  w->store = tu_open_synced(w->db, &w->tc);
  const char *names[3] = {WT_VIEWER, WT_DUTY, WT_ADMIN};
  const enum mw_user_role roles[3] = {MW_ROLE_VIEWER, MW_ROLE_DUTY,
                                      MW_ROLE_ADMIN};
  for (int i = 0; i < 3; i++)
    if (mw_store_user_add(w->store, names[i], roles[i], hashes[i],
                          WT_NOW - 86400, &err))
      fail_msg("user %s: %s", names[i], err.msg);
  snprintf(w->base, sizeof w->base, "http://127.0.0.1:0");
  return w;
}

void wt_listen(struct wt *w) {
  struct mw_web_options o = {
      .cfg = w->cfg, .listen = "127.0.0.1:0", .now = wt_clock, .now_ctx = w};
  struct mw_err err = {0};
  if (mw_web_start(&o, &w->web, &err)) fail_msg("serve: %s", err.msg);
  assert_true(mw_web_port(w->web) > 0);
  snprintf(w->base, sizeof w->base, "http://127.0.0.1:%u",
           (unsigned)mw_web_port(w->web));
}

struct wt *wt_start(void) {
  struct wt *w = wt_new();
  wt_listen(w);
  return w;
}

void wt_free(struct wt *w) {
  if (!w) return;
  mw_web_stop(w->web);
  mw_store_close(w->store);
  mw_tz_free(w->cfg->tz);
  tu_rmtree(w->dir);
  free(w->dir);
  free(w->db);
  free(w);
}

void wt_set_now(struct wt *w, int64_t t) { atomic_store(&w->now, t); }

void wt_advance(struct wt *w, int64_t seconds) {
  atomic_fetch_add(&w->now, seconds);
}

/* ------------------------------------------------------------- replies */

void wt_reply_cleanup(struct wt_reply *r) {
  if (!r) return;
  free(r->headers);
  free(r->body);
  memset(r, 0, sizeof *r);
}

/* The header line starting at p (up to its CR LF) when its name is name:
 * a pointer to the value and its length. */
static const char *header_value(const char *line, const char *name,
                                size_t *len) {
  size_t nn = strlen(name);
  const char *end = strstr(line, "\r\n");
  if (!end) end = line + strlen(line);
  if ((size_t)(end - line) <= nn || line[nn] != ':' ||
      mw_ascii_ncasecmp(line, name, nn) != 0)
    return NULL;
  const char *v = line + nn + 1;
  while (v < end && (*v == ' ' || *v == '\t')) v++;
  *len = (size_t)(end - v);
  return v;
}

bool wt_header(const struct wt_reply *r, const char *name, char *buf,
               size_t n) {
  if (!r->headers) return false;
  for (const char *line = r->headers; *line;) {
    size_t len;
    const char *v = header_value(line, name, &len);
    if (v) {
      if (n) {
        size_t c = len < n - 1 ? len : n - 1;
        memcpy(buf, v, c);
        buf[c] = '\0';
      }
      return true;
    }
    const char *next = strstr(line, "\r\n");
    if (!next) break;
    line = next + 2;
  }
  return false;
}

bool wt_header_has(const struct wt_reply *r, const char *name,
                   const char *value) {
  if (!r->headers) return false;
  for (const char *line = r->headers; *line;) {
    size_t len;
    const char *v = header_value(line, name, &len);
    if (v && len == strlen(value) && memcmp(v, value, len) == 0) return true;
    const char *next = strstr(line, "\r\n");
    if (!next) break;
    line = next + 2;
  }
  return false;
}

/* ------------------------------------------------------------- requests */

struct sink {
  struct mw_buf body, headers;
  const char *until; /* stop once the body holds this */
  bool found;
};

static size_t on_body(char *p, size_t size, size_t n, void *ud) {
  struct sink *s = ud;
  size_t len = size * n;
  size_t room = WT_BODY_MAX - s->body.len;
  if (mw_buf_append(&s->body, p, len < room ? len : room)) return 0;
  if (s->until && s->body.data && strstr(s->body.data, s->until)) {
    s->found = true;
    return 0; /* ends the transfer: what we waited for came */
  }
  return len;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud) {
  struct sink *s = ud;
  size_t len = size * n;
  /* A new response (after 100 Continue, a redirect) starts over. */
  if (len > 5 && memcmp(p, "HTTP/", 5) == 0) mw_buf_reset(&s->headers);
  if (mw_buf_append(&s->headers, p, len)) return 0;
  return len;
}

static long perform(struct wt *w, const struct wt_req *q, const char *until,
                    long timeout_ms, struct wt_reply *out, bool *found) {
  memset(out, 0, sizeof *out);
  struct sink s = {.until = until};
  mw_buf_init(&s.body, WT_BODY_MAX);
  mw_buf_init(&s.headers, 1u << 20);
  CURL *c = curl_easy_init();
  assert_non_null(c);
  char url[1024];
  snprintf(url, sizeof url, "%s%s", w->base, q->path);
  const char *method = q->method ? q->method : q->body ? "POST" : "GET";
  bool safe = !strcmp(method, "GET") || !strcmp(method, "HEAD");
  struct curl_slist *h = NULL;
  char line[512];
  h = curl_slist_append(h, "Expect:");
  if (q->session && q->session->token[0]) {
    snprintf(line, sizeof line, "Cookie: mw_session=%s", q->session->token);
    h = curl_slist_append(h, line);
  }
  const char *csrf = q->csrf;
  if (!csrf && !safe && !q->no_csrf && q->session) csrf = q->session->csrf;
  if (csrf) {
    snprintf(line, sizeof line, "X-CSRF-Token: %s", csrf);
    h = curl_slist_append(h, line);
  }
  if (q->origin) {
    snprintf(line, sizeof line, "Origin: %s", q->origin);
    h = curl_slist_append(h, line);
  }
  if (q->body) {
    snprintf(line, sizeof line, "Content-Type: %s",
             q->content_type ? q->content_type : "application/json");
    h = curl_slist_append(h, line);
  }
  if (q->extra_header) h = curl_slist_append(h, q->extra_header);
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &s);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                   timeout_ms > 0 ? timeout_ms
                   : q->timeout_ms > 0 ? q->timeout_ms
                                       : 5000L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  if (!strcmp(method, "HEAD")) {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (q->body) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, q->body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                     (curl_off_t)(q->body_len ? q->body_len
                                              : strlen(q->body)));
    if (strcmp(method, "POST")) curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
  } else if (strcmp(method, "GET")) {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (!strcmp(method, "POST")) {
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
    }
  }
  CURLcode cc = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (cc != CURLE_OK && !(until && s.found && cc == CURLE_WRITE_ERROR) &&
      !(until && cc == CURLE_OPERATION_TIMEDOUT))
    snprintf(out->error, sizeof out->error, "%s", curl_easy_strerror(cc));
  out->status = status;
  out->body_len = s.body.len;
  out->body = mw_buf_steal(&s.body);
  out->headers = mw_buf_steal(&s.headers);
  curl_slist_free_all(h);
  curl_easy_cleanup(c);
  mw_buf_cleanup(&s.body);
  mw_buf_cleanup(&s.headers);
  if (found) *found = s.found;
  return out->status;
}

long wt_do(struct wt *w, const struct wt_req *q, struct wt_reply *out) {
  return perform(w, q, NULL, 0, out, NULL);
}

long wt_stream(struct wt *w, const struct wt_req *q, const char *until,
               long timeout_ms, struct wt_reply *out, bool *found) {
  return perform(w, q, until, timeout_ms, out, found);
}

long wt_get(struct wt *w, const char *path, const struct wt_session *s,
            struct wt_reply *out) {
  struct wt_req q = {.method = "GET", .path = path, .session = s};
  return wt_do(w, &q, out);
}

long wt_post(struct wt *w, const char *path, const struct wt_session *s,
             const char *json, struct wt_reply *out) {
  struct wt_req q = {.method = "POST", .path = path, .session = s,
                     .body = json ? json : "{}"};
  return wt_do(w, &q, out);
}

/* ------------------------------------------------------------- sign-in */

long wt_login(struct wt *w, const char *name, const char *password,
              struct wt_session *s) {
  memset(s, 0, sizeof *s);
  json_t *j = json_pack("{s:s, s:s}", "name", name, "password", password);
  char *body = json_dumps(j, JSON_COMPACT);
  json_decref(j);
  struct wt_reply r;
  long st = wt_post(w, "/api/login", NULL, body, &r);
  free(body);
  if (st == 200) {
    char cookie[512];
    const char *key = "mw_session=";
    if (wt_header(&r, "Set-Cookie", cookie, sizeof cookie) &&
        !strncmp(cookie, key, strlen(key))) {
      const char *v = cookie + strlen(key);
      size_t n = strcspn(v, ";");
      if (n < sizeof s->token) {
        memcpy(s->token, v, n);
        s->token[n] = '\0';
      }
    }
    json_t *rj = json_loadb(r.body, r.body_len, 0, NULL);
    const char *csrf = json_string_value(json_object_get(rj, "csrf"));
    if (csrf) snprintf(s->csrf, sizeof s->csrf, "%s", csrf);
    json_decref(rj);
  }
  wt_reply_cleanup(&r);
  return st;
}

void wt_login_ok(struct wt *w, const char *name, const char *password,
                 struct wt_session *s) {
  long st = wt_login(w, name, password, s);
  if (st != 200 || !s->token[0] || !s->csrf[0])
    fail_msg("sign-in of %s: status %ld", name, st);
}

void *wt_json(const struct wt_reply *r) {
  json_error_t e;
  json_t *j = json_loadb(r->body ? r->body : "", r->body_len, 0, &e);
  if (!j) fail_msg("not JSON (%s): %.200s", e.text, r->body ? r->body : "");
  return j;
}
