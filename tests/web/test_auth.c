/* web/auth.c and web/limiter.c: password hashing, sign-in and its cookie,
 * the sign-in limit, session expiry on the server's clock, sign-out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include <openssl/evp.h>

#include "tests/web/web_test_util.h"
#include "web/web_int.h"

static int setup(void **state) {
  *state = wt_start();
  return 0;
}

static int teardown(void **state) {
  wt_free(*state);
  return 0;
}

static void expect_error(struct wt_reply *r, long status, const char *code) {
  if (r->status != status)
    fail_msg("status %ld, want %ld: %.300s", r->status, status,
             r->body ? r->body : "");
  json_t *j = wt_json(r);
  assert_string_equal(json_string_value(json_object_get(j, "error")), code);
  json_decref(j);
  wt_reply_cleanup(r);
}

static bool is_hex64(const char *s) {
  if (strlen(s) != 64) return false;
  for (size_t i = 0; i < 64; i++)
    if (!strchr("0123456789abcdef", s[i])) return false;
  return true;
}

static long login_raw(struct wt *w, const char *name, const char *pw,
                      struct wt_reply *r) {
  json_t *j = json_pack("{s:s, s:s}", "name", name, "password", pw);
  char *body = json_dumps(j, JSON_COMPACT);
  json_decref(j);
  long st = wt_post(w, "/api/login", NULL, body, r);
  free(body);
  return st;
}

/* ------------------------------------------------------------ passwords */

static void test_password_hash_and_check(void **state) {
  (void)state;
  char *h1 = NULL, *h2 = NULL;
  struct mw_err err = {0};
  assert_int_equal(mw_web_password_hash("无废城市 2026", &h1, &err), MW_OK);
  assert_int_equal(mw_web_password_hash("无废城市 2026", &h2, &err), MW_OK);
  assert_true(!strncmp(h1, "$y$", 3) || !strncmp(h1, "$6$", 3));
  assert_string_not_equal(h1, h2); /* fresh salt each time */
  assert_true(mw_web_password_check("无废城市 2026", h1));
  assert_true(mw_web_password_check("无废城市 2026", h2));
  assert_false(mw_web_password_check("无废城市 2025", h1));
  assert_false(mw_web_password_check("", h1));
  assert_false(mw_web_password_check("无废城市 2026", ""));
  assert_false(mw_web_password_check("无废城市 2026", "not a hash"));
  assert_false(mw_web_password_check("无废城市 2026", "$y$"));
  assert_false(mw_web_password_check(NULL, h1));
  assert_false(mw_web_password_check("x", NULL));
  /* A SHA-512 crypt hash (what a system without yescrypt writes). */
  assert_true(mw_web_password_check(
      "password", "$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/"
                  "jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/"));
  free(h1);
  free(h2);
}

static void test_password_hash_refuses(void **state) {
  (void)state;
  char *h = (char *)"untouched";
  struct mw_err err = {0};
  assert_int_equal(mw_web_password_hash("", &h, &err), MW_EINVAL);
  assert_null(h);
  assert_non_null(strstr(err.msg, "empty"));
  char *longpw = malloc(1026);
  memset(longpw, 'p', 1025);
  longpw[1025] = '\0';
  assert_int_equal(mw_web_password_hash(longpw, &h, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "1024"));
  longpw[1024] = '\0'; /* exactly 1024 is fine */
  assert_int_equal(mw_web_password_hash(longpw, &h, &err), MW_OK);
  assert_true(mw_web_password_check(longpw, h));
  longpw[1024] = 'p';
  assert_false(mw_web_password_check(longpw, h));
  /* Past libcrypt's own limit (512) every byte still counts. */
  longpw[1024] = '\0';
  longpw[1023] = 'q';
  assert_false(mw_web_password_check(longpw, h));
  longpw[600] = '\0';
  assert_false(mw_web_password_check(longpw, h));
  free(h);
  free(longpw);
}

/* -------------------------------------------------------------- sign-in */

static void test_login_reply_and_cookie(void **state) {
  struct wt *w = *state;
  struct wt_reply r;
  assert_int_equal(login_raw(w, WT_DUTY, WT_DUTY_PASS, &r), 200);
  json_t *j = wt_json(&r);
  assert_string_equal(json_string_value(json_object_get(j, "user")), "li");
  assert_string_equal(json_string_value(json_object_get(j, "role")), "duty");
  assert_string_equal(json_string_value(json_object_get(j, "role_zh")),
                      "值班员");
  assert_true(is_hex64(json_string_value(json_object_get(j, "csrf"))));
  json_decref(j);
  char c[512];
  assert_true(wt_header(&r, "Set-Cookie", c, sizeof c));
  const char *v = c + strlen("mw_session=");
  assert_memory_equal(c, "mw_session=", strlen("mw_session="));
  char token[65];
  memcpy(token, v, 64);
  token[64] = '\0';
  assert_true(is_hex64(token));
  assert_string_equal(v + 64,
                      "; HttpOnly; SameSite=Strict; Path=/; Max-Age=3600");
  wt_reply_cleanup(&r);

  /* The store keeps the token's SHA-256, never the token. */
  unsigned char md[32];
  unsigned int mdlen = 0;
  assert_true(EVP_Digest(token, 64, md, &mdlen, EVP_sha256(), NULL));
  char th[65];
  for (int i = 0; i < 32; i++) snprintf(th + 2 * i, 3, "%02x", md[i]);
  char sql[256];
  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM web_sessions WHERE token_hash = '%s'", th);
  assert_int_equal(tu_query_int(w->db, sql), 1);
  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM web_sessions WHERE token_hash = '%s' "
           "OR csrf = '%s'", token, token);
  assert_int_equal(tu_query_int(w->db, sql), 0);
  snprintf(sql, sizeof sql,
           "SELECT expires FROM web_sessions WHERE token_hash = '%s'", th);
  assert_int_equal(tu_query_int(w->db, sql), WT_NOW + 3600);
}

static void test_login_secure_cookie(void **state) {
  struct wt *w = *state;
  mw_web_stop(w->web);
  w->cfg->serve.cookie_secure = true;
  w->cfg->serve.session_ttl_s = 600;
  wt_listen(w);
  struct wt_reply r;
  assert_int_equal(login_raw(w, WT_VIEWER, WT_VIEWER_PASS, &r), 200);
  char c[512];
  assert_true(wt_header(&r, "Set-Cookie", c, sizeof c));
  assert_string_equal(c + strlen("mw_session=") + 64,
                      "; HttpOnly; SameSite=Strict; Path=/; Max-Age=600; "
                      "Secure");
  wt_reply_cleanup(&r);
}

static void test_me(void **state) {
  struct wt *w = *state;
  struct wt_session s;
  wt_login_ok(w, WT_ADMIN, WT_ADMIN_PASS, &s);
  struct wt_reply r;
  assert_int_equal(wt_get(w, "/api/me", &s, &r), 200);
  json_t *j = wt_json(&r);
  assert_string_equal(json_string_value(json_object_get(j, "user")), "zhao");
  assert_string_equal(json_string_value(json_object_get(j, "role")), "admin");
  assert_string_equal(json_string_value(json_object_get(j, "role_zh")),
                      "管理员");
  assert_string_equal(json_string_value(json_object_get(j, "csrf")), s.csrf);
  json_decref(j);
  wt_reply_cleanup(&r);
}

static void test_bad_name_or_password_401_alike(void **state) {
  struct wt *w = *state;
  struct wt_reply a, b;
  login_raw(w, WT_VIEWER, "wrong", &a);
  login_raw(w, "nobody", "wrong", &b);
  assert_int_equal(a.status, 401);
  assert_int_equal(b.status, 401);
  assert_string_equal(a.body, b.body); /* same words for both */
  assert_false(wt_header(&a, "Set-Cookie", NULL, 0));
  expect_error(&a, 401, "unauthorized");
  expect_error(&b, 401, "unauthorized");
  /* A name too long to exist, a password too long to check. */
  char name[200];
  memset(name, 'n', sizeof name - 1);
  name[sizeof name - 1] = '\0';
  login_raw(w, name, "x", &a);
  expect_error(&a, 401, "unauthorized");
  char *pw = malloc(2000);
  memset(pw, 'p', 1999);
  pw[1999] = '\0';
  login_raw(w, WT_VIEWER, pw, &a);
  expect_error(&a, 401, "unauthorized");
  free(pw);
  login_raw(w, "", "x", &a);
  expect_error(&a, 400, "invalid");
}

/* -------------------------------------------------------- the sign-in limit */

static void test_login_limit_per_name(void **state) {
  struct wt *w = *state;
  struct wt_reply r;
  for (int i = 0; i < 5; i++) {
    login_raw(w, WT_DUTY, "guess", &r);
    expect_error(&r, 401, "unauthorized");
    wt_advance(w, 10);
  }
  /* The sixth try, even with the right password, waits for the window
   * (900 s from the first failure, 50 s ago). */
  login_raw(w, WT_DUTY, WT_DUTY_PASS, &r);
  char ra[32];
  assert_true(wt_header(&r, "Retry-After", ra, sizeof ra));
  assert_string_equal(ra, "850");
  expect_error(&r, 429, "too_many");
  /* The address has failed five times too: another user from it waits as
   * well (both keys count). */
  login_raw(w, WT_VIEWER, WT_VIEWER_PASS, &r);
  expect_error(&r, 429, "too_many");
  /* When the window has passed, sign-in works again. */
  wt_advance(w, 850);
  struct wt_session s;
  assert_int_equal(wt_login(w, WT_DUTY, WT_DUTY_PASS, &s), 200);
}

static void test_login_limit_per_address(void **state) {
  struct wt *w = *state;
  struct wt_reply r;
  const char *names[] = {"a1", "a2", "a3", "a4", "a5"};
  for (int i = 0; i < 5; i++) {
    login_raw(w, names[i], "guess", &r);
    expect_error(&r, 401, "unauthorized");
  }
  login_raw(w, "a6", "guess", &r);
  char ra[32];
  assert_true(wt_header(&r, "Retry-After", ra, sizeof ra));
  assert_string_equal(ra, "900");
  expect_error(&r, 429, "too_many");
  wt_advance(w, 899);
  login_raw(w, WT_ADMIN, WT_ADMIN_PASS, &r);
  assert_true(wt_header(&r, "Retry-After", ra, sizeof ra));
  assert_string_equal(ra, "1");
  expect_error(&r, 429, "too_many");
  wt_advance(w, 1);
  login_raw(w, WT_ADMIN, WT_ADMIN_PASS, &r);
  assert_int_equal(r.status, 200);
  wt_reply_cleanup(&r);
}

static void test_login_failures_counted_in_metrics(void **state) {
  struct wt *w = *state;
  struct wt_reply r;
  login_raw(w, WT_VIEWER, "guess", &r);
  wt_reply_cleanup(&r);
  login_raw(w, WT_VIEWER, "guess", &r);
  wt_reply_cleanup(&r);
  wt_get(w, "/metrics", NULL, &r);
  assert_non_null(strstr(r.body, "\nmediawatch_login_failures_total 2\n"));
  wt_reply_cleanup(&r);
}

static void test_limiter_table(void **state) {
  (void)state;
  struct mw_web_limiter *l;
  assert_int_equal(mw_web_limiter_new(&l), MW_OK);
  assert_int_equal(mw_web_limiter_wait(l, "ip:1", 1000, 3, 60), 0);
  mw_web_limiter_fail(l, "ip:1", 1000, 60);
  mw_web_limiter_fail(l, "ip:1", 1010, 60);
  assert_int_equal(mw_web_limiter_wait(l, "ip:1", 1010, 3, 60), 0);
  mw_web_limiter_fail(l, "ip:1", 1020, 60);
  assert_int_equal(mw_web_limiter_wait(l, "ip:1", 1020, 3, 60), 40);
  assert_int_equal(mw_web_limiter_wait(l, "ip:2", 1020, 3, 60), 0);
  assert_int_equal(mw_web_limiter_wait(l, "ip:1", 1060, 3, 60), 0);
  /* A failure after the window opens a new one. */
  mw_web_limiter_fail(l, "ip:1", 1061, 60);
  assert_int_equal(mw_web_limiter_wait(l, "ip:1", 1061, 1, 60), 60);
  mw_web_limiter_clear(l, "ip:1");
  assert_int_equal(mw_web_limiter_wait(l, "ip:1", 1061, 1, 60), 0);
  /* A flood of keys fills the table; the oldest windows give way and the
   * newest key is still counted. */
  char key[32];
  for (int i = 0; i < 10000; i++) {
    snprintf(key, sizeof key, "name:%d", i);
    mw_web_limiter_fail(l, key, 2000 + i / 100, 3600);
  }
  assert_int_equal(mw_web_limiter_wait(l, "name:9999", 2100, 1, 3600), 3599);
  assert_int_equal(mw_web_limiter_wait(l, "name:0", 2100, 1, 3600), 0);
  mw_web_limiter_free(l);
  mw_web_limiter_free(NULL);
}

/* ---------------------------------------------------- expiry, sign-out */

static void test_session_expires_on_the_clock(void **state) {
  struct wt *w = *state;
  struct wt_session s;
  wt_login_ok(w, WT_VIEWER, WT_VIEWER_PASS, &s);
  struct wt_reply r;
  wt_advance(w, 3599);
  assert_int_equal(wt_get(w, "/api/me", &s, &r), 200);
  wt_reply_cleanup(&r);
  /* That use slid the end to now + 1 h. */
  wt_advance(w, 3599);
  assert_int_equal(wt_get(w, "/api/me", &s, &r), 200);
  wt_reply_cleanup(&r);
  wt_advance(w, 3601);
  wt_get(w, "/api/me", &s, &r);
  expect_error(&r, 401, "unauthorized");
}

static void test_logout_ends_the_session(void **state) {
  struct wt *w = *state;
  struct wt_session s, other;
  wt_login_ok(w, WT_VIEWER, WT_VIEWER_PASS, &s);
  wt_login_ok(w, WT_VIEWER, WT_VIEWER_PASS, &other);
  struct wt_reply r;
  assert_int_equal(wt_post(w, "/api/logout", &s, "{}", &r), 200);
  assert_string_equal(r.body, "{}");
  assert_true(wt_header_has(&r, "Set-Cookie",
                            "mw_session=; HttpOnly; SameSite=Strict; Path=/; "
                            "Max-Age=0"));
  wt_reply_cleanup(&r);
  wt_get(w, "/api/me", &s, &r);
  expect_error(&r, 401, "unauthorized");
  wt_post(w, "/api/logout", &s, "{}", &r);
  expect_error(&r, 401, "unauthorized");
  /* The user's other session goes on. */
  assert_int_equal(wt_get(w, "/api/me", &other, &r), 200);
  wt_reply_cleanup(&r);
}

static void test_removed_user_loses_session(void **state) {
  struct wt *w = *state;
  struct wt_session s;
  wt_login_ok(w, WT_DUTY, WT_DUTY_PASS, &s);
  struct mw_err err = {0};
  assert_int_equal(mw_store_user_remove(w->store, WT_DUTY, &err), MW_OK);
  struct wt_reply r;
  wt_get(w, "/api/me", &s, &r);
  expect_error(&r, 401, "unauthorized");
  assert_int_equal(wt_login(w, WT_DUTY, WT_DUTY_PASS, &s), 401);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_password_hash_and_check),
      cmocka_unit_test(test_password_hash_refuses),
      cmocka_unit_test(test_limiter_table),
      cmocka_unit_test_setup_teardown(test_login_reply_and_cookie, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_login_secure_cookie, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_me, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_name_or_password_401_alike,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_login_limit_per_name, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_login_limit_per_address, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_login_failures_counted_in_metrics,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_session_expires_on_the_clock,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_logout_ends_the_session, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_removed_user_loses_session, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
