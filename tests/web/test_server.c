/* web/server.c: start and stop, routing refusals (404, 405, 413, 401, 403
 * for role, CSRF and Origin), the security headers, /metrics. Against a
 * live server on 127.0.0.1 over a temporary store (web_test_util). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <jansson.h>

#include "tests/web/web_test_util.h"
#include "web/web_int.h"

static const char CSP_API[] = "default-src 'none'; frame-ancestors 'none'";
static const char CSP_PAGE[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src "
    "'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'";

static int setup(void **state) {
  *state = wt_start();
  return 0;
}

static int teardown(void **state) {
  wt_free(*state);
  return 0;
}

/* The reply is JSON {"error": code, ...}. */
static void expect_error(const struct wt_reply *r, long status,
                         const char *code) {
  if (r->status != status)
    fail_msg("status %ld, want %ld: %.300s", r->status, status,
             r->body ? r->body : "");
  json_t *j = wt_json(r);
  assert_string_equal(json_string_value(json_object_get(j, "error")), code);
  assert_non_null(json_string_value(json_object_get(j, "message")));
  json_decref(j);
  char type[128];
  assert_true(wt_header(r, "Content-Type", type, sizeof type));
  assert_string_equal(type, "application/json; charset=utf-8");
}

static void expect_security_headers(const struct wt_reply *r,
                                    const char *csp) {
  char v[512];
  assert_true(wt_header(r, "Content-Security-Policy", v, sizeof v));
  assert_string_equal(v, csp);
  assert_true(wt_header_has(r, "X-Content-Type-Options", "nosniff"));
  assert_true(wt_header_has(r, "Referrer-Policy", "no-referrer"));
  assert_true(wt_header_has(r, "X-Frame-Options", "DENY"));
  assert_true(wt_header_has(r, "Cache-Control", "no-store"));
}

/* ------------------------------------------------------- start, stop */

static void test_url_and_port(void **state) {
  struct wt *w = *state;
  char want[64];
  snprintf(want, sizeof want, "http://127.0.0.1:%u",
           (unsigned)mw_web_port(w->web));
  assert_string_equal(mw_web_url(w->web), want);
  assert_string_equal(w->base, want);
}

static void test_bad_listen_address(void **state) {
  struct wt *w = *state;
  struct mw_web *other = NULL;
  struct mw_err err = {0};
  const char *bad[] = {"localhost:8080", "127.0.0.1", "127.0.0.1:99999",
                       ":8080", "[::1:80", "127.0.0.1:http"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct mw_web_options o = {.cfg = w->cfg, .listen = bad[i]};
    assert_int_equal(mw_web_start(&o, &other, &err), MW_EINVAL);
    assert_null(other);
    assert_non_null(strstr(err.msg, "ADDRESS:PORT"));
  }
}

static void test_port_in_use(void **state) {
  struct wt *w = *state;
  char listen[64];
  snprintf(listen, sizeof listen, "127.0.0.1:%u",
           (unsigned)mw_web_port(w->web));
  struct mw_web_options o = {.cfg = w->cfg, .listen = listen};
  struct mw_web *other = NULL;
  struct mw_err err = {0};
  assert_int_equal(mw_web_start(&o, &other, &err), MW_EIO);
  assert_null(other);
  assert_non_null(strstr(err.msg, listen));
}

static void test_missing_database_path(void **state) {
  struct wt *w = *state;
  struct mw_config cfg = *w->cfg;
  cfg.storage_path = NULL;
  struct mw_web_options o = {.cfg = &cfg};
  struct mw_web *other = NULL;
  struct mw_err err = {0};
  assert_int_equal(mw_web_start(&o, &other, &err), MW_EINVAL);
  mw_web_stop(NULL); /* NULL is fine */
}

/* ------------------------------------------------------------ 404, 405 */

static void test_unknown_api_path_404_json(void **state) {
  struct wt *w = *state;
  struct wt_reply r;
  wt_get(w, "/api/nope", NULL, &r);
  expect_error(&r, 404, "not_found");
  expect_security_headers(&r, CSP_API);
  wt_reply_cleanup(&r);
}

static void test_unknown_page_404_html(void **state) {
  struct wt *w = *state;
  struct wt_reply r;
  wt_get(w, "/no/such/page?x=<script>", NULL, &r);
  assert_int_equal(r.status, 404);
  char type[128];
  assert_true(wt_header(&r, "Content-Type", type, sizeof type));
  assert_string_equal(type, "text/html; charset=utf-8");
  assert_non_null(strstr(r.body, "<!DOCTYPE html>"));
  assert_null(strstr(r.body, "<script>"));
  expect_security_headers(&r, CSP_PAGE);
  wt_reply_cleanup(&r);
}

static void test_wrong_method_405_with_allow(void **state) {
  struct wt *w = *state;
  struct wt_reply r;
  wt_get(w, "/api/login", NULL, &r);
  expect_error(&r, 405, "method");
  assert_true(wt_header_has(&r, "Allow", "POST"));
  wt_reply_cleanup(&r);

  struct wt_req q = {.method = "POST", .path = "/api/me", .body = "{}"};
  wt_do(w, &q, &r);
  expect_error(&r, 405, "method");
  assert_true(wt_header_has(&r, "Allow", "GET, HEAD"));
  wt_reply_cleanup(&r);

  struct wt_req del = {.method = "DELETE", .path = "/api/me"};
  wt_do(w, &del, &r);
  expect_error(&r, 405, "method");
  wt_reply_cleanup(&r);

  /* An unknown method on an unknown path is a 404 all the same. */
  struct wt_req put = {.method = "PUT", .path = "/api/nope"};
  wt_do(w, &put, &r);
  expect_error(&r, 404, "not_found");
  wt_reply_cleanup(&r);
}

/* ------------------------------------------------------------- 413, 400 */

static void test_body_too_big_413(void **state) {
  struct wt *w = *state;
  size_t n = MW_WEB_BODY_MAX + 1;
  char *big = malloc(n + 1);
  assert_non_null(big);
  memset(big, ' ', n);
  big[0] = '{';
  big[n - 1] = '}';
  big[n] = '\0';
  struct wt_reply r;
  struct wt_req q = {.path = "/api/login", .body = big, .body_len = n};
  wt_do(w, &q, &r);
  expect_error(&r, 413, "too_big");
  wt_reply_cleanup(&r);

  /* Without a Content-Length (chunked), found while reading. */
  struct wt_req chunked = {.path = "/api/login",
                           .body = big,
                           .body_len = n,
                           .extra_header = "Transfer-Encoding: chunked"};
  wt_do(w, &chunked, &r);
  expect_error(&r, 413, "too_big");
  wt_reply_cleanup(&r);

  /* Exactly the ceiling is read (and is then bad JSON for sign-in: an
   * object without a name). */
  struct wt_req edge = {.path = "/api/login", .body = big,
                        .body_len = n - 1};
  big[n - 2] = '}';
  wt_do(w, &edge, &r);
  expect_error(&r, 400, "invalid");
  wt_reply_cleanup(&r);
  free(big);
}

static void test_malformed_json_400(void **state) {
  struct wt *w = *state;
  struct wt_reply r;
  wt_post(w, "/api/login", NULL, "{\"name\": \"wang\",\n \"password\": }",
          &r);
  expect_error(&r, 400, "bad_json");
  json_t *j = wt_json(&r);
  const char *msg = json_string_value(json_object_get(j, "message"));
  assert_non_null(strstr(msg, "line 2"));
  json_decref(j);
  wt_reply_cleanup(&r);

  wt_post(w, "/api/login", NULL, "[\"wang\"]", &r);
  expect_error(&r, 400, "bad_json");
  wt_reply_cleanup(&r);

  struct wt_req empty = {.method = "POST", .path = "/api/login"};
  wt_do(w, &empty, &r);
  expect_error(&r, 400, "bad_json");
  wt_reply_cleanup(&r);

  wt_post(w, "/api/login", NULL, "{\"name\": 7, \"password\": \"x\"}", &r);
  expect_error(&r, 400, "invalid");
  wt_reply_cleanup(&r);
}

/* ------------------------------------------------------- 401, 403, 303 */

static void test_no_session_401(void **state) {
  struct wt *w = *state;
  struct wt_reply r;
  wt_get(w, "/api/me", NULL, &r);
  expect_error(&r, 401, "unauthorized");
  expect_security_headers(&r, CSP_API);
  wt_reply_cleanup(&r);

  /* A cookie that is no session, or not even a token. */
  struct wt_session fake = {0};
  memset(fake.token, 'a', 64);
  wt_get(w, "/api/me", &fake, &r);
  expect_error(&r, 401, "unauthorized");
  wt_reply_cleanup(&r);
  snprintf(fake.token, sizeof fake.token, "x;y");
  wt_get(w, "/api/me", &fake, &r);
  expect_error(&r, 401, "unauthorized");
  wt_reply_cleanup(&r);

  /* A state change without a session is 401, not a CSRF refusal. */
  wt_post(w, "/api/logout", NULL, "{}", &r);
  expect_error(&r, 401, "unauthorized");
  wt_reply_cleanup(&r);
}

static void test_wrong_role_403(void **state) {
  struct wt *w = *state;
  struct wt_session viewer, duty;
  wt_login_ok(w, WT_VIEWER, WT_VIEWER_PASS, &viewer);
  wt_login_ok(w, WT_DUTY, WT_DUTY_PASS, &duty);
  struct wt_reply r;
  /* /api/users needs an admin (routes_api.c). */
  wt_get(w, "/api/users", &viewer, &r);
  expect_error(&r, 403, "forbidden");
  wt_reply_cleanup(&r);
  wt_get(w, "/api/users", &duty, &r);
  expect_error(&r, 403, "forbidden");
  wt_reply_cleanup(&r);
  /* Working an alert needs a duty officer: the role is checked before the
   * handler looks for the alert. */
  wt_post(w, "/api/alerts/1/ack", &viewer, "{}", &r);
  expect_error(&r, 403, "forbidden");
  wt_reply_cleanup(&r);
}

static void test_page_without_session_303(void **state) {
  struct wt *w = *state;
  /* The first signed-in page of the pages' table, if it is there yet. */
  bool ok;
  if (!mw_web_route_find("GET", "/alerts", &ok)) skip();
  struct wt_reply r;
  wt_get(w, "/alerts", NULL, &r);
  assert_int_equal(r.status, 303);
  assert_true(wt_header_has(&r, "Location", "/login?next=/alerts"));
  wt_reply_cleanup(&r);
  wt_get(w, "/alerts/12", NULL, &r);
  assert_int_equal(r.status, 303);
  assert_true(wt_header_has(&r, "Location", "/login?next=/alerts/12"));
  wt_reply_cleanup(&r);
}

/* -------------------------------------------------------- CSRF, Origin */

static void test_csrf_refusals(void **state) {
  struct wt *w = *state;
  struct wt_session s;
  wt_login_ok(w, WT_VIEWER, WT_VIEWER_PASS, &s);
  struct wt_reply r;
  /* No token. */
  struct wt_req q = {.path = "/api/logout", .session = &s, .body = "{}",
                     .no_csrf = true};
  wt_do(w, &q, &r);
  expect_error(&r, 403, "csrf");
  wt_reply_cleanup(&r);
  /* Another session's token. */
  struct wt_session other;
  wt_login_ok(w, WT_VIEWER, WT_VIEWER_PASS, &other);
  q = (struct wt_req){.path = "/api/logout", .session = &s, .body = "{}",
                      .csrf = other.csrf};
  wt_do(w, &q, &r);
  expect_error(&r, 403, "csrf");
  wt_reply_cleanup(&r);
  /* A prefix, a longer one, an empty one. */
  char cut[96];
  snprintf(cut, sizeof cut, "%.63s", s.csrf);
  q.csrf = cut;
  wt_do(w, &q, &r);
  expect_error(&r, 403, "csrf");
  wt_reply_cleanup(&r);
  snprintf(cut, sizeof cut, "%sa", s.csrf);
  wt_do(w, &q, &r);
  expect_error(&r, 403, "csrf");
  wt_reply_cleanup(&r);
  q.csrf = "";
  wt_do(w, &q, &r);
  expect_error(&r, 403, "csrf");
  wt_reply_cleanup(&r);
  /* The session is still there: the refusals changed nothing. */
  wt_get(w, "/api/me", &s, &r);
  assert_int_equal(r.status, 200);
  wt_reply_cleanup(&r);
  /* With its own token it works. */
  wt_post(w, "/api/logout", &s, "{}", &r);
  assert_int_equal(r.status, 200);
  wt_reply_cleanup(&r);
}

static void test_origin_mismatch(void **state) {
  struct wt *w = *state;
  struct wt_session s;
  wt_login_ok(w, WT_VIEWER, WT_VIEWER_PASS, &s);
  struct wt_reply r;
  const char *foreign[] = {"http://evil.example", "null",
                           "http://127.0.0.1:1", "https://127.0.0.1"};
  for (size_t i = 0; i < sizeof foreign / sizeof foreign[0]; i++) {
    struct wt_req q = {.path = "/api/logout", .session = &s, .body = "{}",
                       .origin = foreign[i]};
    wt_do(w, &q, &r);
    expect_error(&r, 403, "csrf");
    wt_reply_cleanup(&r);
  }
  /* Sign-in needs no token but refuses a foreign page all the same. */
  struct wt_req login = {
      .path = "/api/login",
      .body = "{\"name\":\"wang\",\"password\":\"" WT_VIEWER_PASS "\"}",
      .origin = "http://evil.example"};
  wt_do(w, &login, &r);
  expect_error(&r, 403, "csrf");
  wt_reply_cleanup(&r);
  /* Our own origin, by either scheme (behind an https proxy). */
  struct wt_req q = {.path = "/api/logout", .session = &s, .body = "{}",
                     .origin = w->base};
  wt_do(w, &q, &r);
  assert_int_equal(r.status, 200);
  wt_reply_cleanup(&r);
  char https[80];
  snprintf(https, sizeof https, "https://%s", w->base + strlen("http://"));
  login.origin = https;
  wt_do(w, &login, &r);
  assert_int_equal(r.status, 200);
  wt_reply_cleanup(&r);
}

/* -------------------------------------------------------------- replies */

static void test_head_has_no_body(void **state) {
  struct wt *w = *state;
  struct wt_session s;
  wt_login_ok(w, WT_VIEWER, WT_VIEWER_PASS, &s);
  struct wt_reply r;
  struct wt_req q = {.method = "HEAD", .path = "/api/me", .session = &s};
  wt_do(w, &q, &r);
  assert_int_equal(r.status, 200);
  assert_int_equal(r.body_len, 0);
  expect_security_headers(&r, CSP_API);
  wt_reply_cleanup(&r);
}

static void test_metrics_from_loopback(void **state) {
  struct wt *w = *state;
  struct wt_reply r;
  wt_get(w, "/api/nope", NULL, &r); /* one 4xx */
  wt_reply_cleanup(&r);
  wt_get(w, "/metrics", NULL, &r);
  assert_int_equal(r.status, 200);
  char type[128];
  assert_true(wt_header(&r, "Content-Type", type, sizeof type));
  assert_string_equal(type, "text/plain; version=0.0.4; charset=utf-8");
  expect_security_headers(&r, CSP_API);
  const char *want[] = {
      "# TYPE mediawatch_articles_total counter\n",
      "\nmediawatch_articles_total 0\n",
      "\nmediawatch_fetches_total 0\n",
      "\nmediawatch_fetch_failures_total 0\n",
      "\nmediawatch_sources{state=\"ok\"} 4\n",
      "\nmediawatch_sources{state=\"failing\"} 0\n",
      "\nmediawatch_alerts_open{level=\"1\"} 0\n",
      "\nmediawatch_alerts_open{level=\"4\"} 0\n",
      "\nmediawatch_alerts_total 0\n",
      "\nmediawatch_outbox_pending 0\n",
      "\nmediawatch_search_pending 0\n",
      "\nmediawatch_http_requests_total 2\n",
      "\nmediawatch_http_errors_total{class=\"4xx\"} 1\n",
      "\nmediawatch_http_errors_total{class=\"5xx\"} 0\n",
      "\nmediawatch_sse_clients 0\n",
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    if (!strstr(r.body, want[i]))
      fail_msg("no '%s' in:\n%s", want[i], r.body);
  /* No crawler in this process: no loop lag. */
  assert_null(strstr(r.body, "mediawatch_loop_lag_seconds"));
  assert_non_null(strstr(r.body, "\nmediawatch_sources_health{status=\"ok\"} 4\n"));
  wt_reply_cleanup(&r);

  /* What the last health check found: a source broken (and degraded too:
   * counted once, as broken), another degraded; a cleared problem counts
   * for nothing. */
  int64_t src[4];
  tu_source_ids(w->store, src, 4);
  struct mw_err err = {0};
  bool is_new;
  assert_int_equal(mw_store_problem_found(w->store, src[0], "no_links", "broken",
                                          "listing yields no article links",
                                          WT_NOW, NULL, &is_new, &err), MW_OK);
  assert_int_equal(mw_store_problem_found(w->store, src[0], "silent", "degraded",
                                          "silent", WT_NOW, NULL, &is_new, &err),
                   MW_OK);
  assert_int_equal(mw_store_problem_found(w->store, src[1], "moved", "degraded",
                                          "moved", WT_NOW, NULL, &is_new, &err),
                   MW_OK);
  assert_int_equal(mw_store_problem_found(w->store, src[2], "mojibake", "broken",
                                          "mojibake", WT_NOW, NULL, &is_new, &err),
                   MW_OK);
  assert_int_equal(mw_store_problems_clear_others(w->store, src[2], NULL, 0,
                                                  WT_NOW, NULL, &err), MW_OK);
  wt_get(w, "/metrics", NULL, &r);
  assert_int_equal(r.status, 200);
  const char *health[] = {
      "\nmediawatch_sources_health{status=\"ok\"} 2\n",
      "\nmediawatch_sources_health{status=\"degraded\"} 1\n",
      "\nmediawatch_sources_health{status=\"broken\"} 1\n",
  };
  for (size_t i = 0; i < sizeof health / sizeof health[0]; i++)
    if (!strstr(r.body, health[i]))
      fail_msg("no '%s' in:\n%s", health[i], r.body);
  wt_reply_cleanup(&r);
}

static void test_search_indexer_catches_up(void **state) {
  struct wt *w = *state;
  int64_t src[4];
  tu_source_ids(w->store, src, 4);
  struct mw_err err = {0};
  for (int i = 0; i < 3; i++) {
    char url[64];
    snprintf(url, sizeof url, "http://www.cc.gov.cn/a/%d.html", i);
    struct mw_article a = {.source_id = src[3],
                           .url = url,
                           .title = "长春市推进无废城市建设",
                           .text = "全市开展垃圾分类和无废细胞创建工作。",
                           .published = WT_NOW - 3600,
                           .fetched = WT_NOW};
    int64_t id;
    bool inserted;
    assert_int_equal(mw_store_add_article(w->store, &a, &id, &inserted, &err),
                     MW_OK);
  }
  /* Stored after the server started: the indexer finds them within one
   * round (2 s). */
  int64_t pending = -1;
  for (int i = 0; i < 60 && pending != 0; i++) {
    struct timespec t = {0, 100 * 1000000L};
    nanosleep(&t, NULL);
    assert_int_equal(mw_store_search_pending(w->store, &pending, &err),
                     MW_OK);
  }
  assert_int_equal(pending, 0);
  struct wt_reply r;
  wt_get(w, "/metrics", NULL, &r);
  assert_non_null(strstr(r.body, "\nmediawatch_search_indexed_total 3\n"));
  assert_non_null(strstr(r.body, "\nmediawatch_search_pending 0\n"));
  assert_non_null(strstr(r.body, "\nmediawatch_articles_total 3\n"));
  wt_reply_cleanup(&r);
}

static int64_t lag_us(void *ctx) {
  (void)ctx;
  return 1500;
}

static void test_metrics_loop_lag(void **state) {
  struct wt *w = *state;
  mw_web_stop(w->web);
  struct mw_web_options o = {.cfg = w->cfg, .listen = "127.0.0.1:0",
                             .loop_lag_us = lag_us};
  struct mw_err err = {0};
  if (mw_web_start(&o, &w->web, &err)) fail_msg("%s", err.msg);
  snprintf(w->base, sizeof w->base, "%s", mw_web_url(w->web));
  struct wt_reply r;
  wt_get(w, "/metrics", NULL, &r);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.body, "\nmediawatch_loop_lag_seconds 0.001500\n"));
  wt_reply_cleanup(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_url_and_port, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_listen_address, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_port_in_use, setup, teardown),
      cmocka_unit_test_setup_teardown(test_missing_database_path, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_unknown_api_path_404_json, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_unknown_page_404_html, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_wrong_method_405_with_allow,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_body_too_big_413, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_malformed_json_400, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_no_session_401, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wrong_role_403, setup, teardown),
      cmocka_unit_test_setup_teardown(test_page_without_session_303, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_csrf_refusals, setup, teardown),
      cmocka_unit_test_setup_teardown(test_origin_mismatch, setup, teardown),
      cmocka_unit_test_setup_teardown(test_head_has_no_body, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_metrics_from_loopback, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_metrics_loop_lag, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_search_indexer_catches_up, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
