/*
 * test_serve.c: `mediawatch users` and `mediawatch serve` end to end: the
 * demo crawled, users added from password files, the server started on a
 * free port, signed in to over HTTP, searched (the index is built by the
 * server after the crawl), stopped by SIGTERM; and `run --listen` serving
 * while it crawls (/metrics carries the loop's lag); `demo --serve`.
 */
#include <curl/curl.h>
#include <setjmp.h>
#include <stdbool.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/e2e/e2e.h"

struct reply {
  long status;
  char *body;
  size_t len;
  char cookie[160]; /* "mw_session=..." from Set-Cookie */
};

static size_t on_body(char *p, size_t size, size_t n, void *user) {
  struct reply *r = user;
  size_t add = size * n;
  char *grown = realloc(r->body, r->len + add + 1);
  assert_non_null(grown);
  memcpy(grown + r->len, p, add);
  r->len += add;
  grown[r->len] = '\0';
  r->body = grown;
  return add;
}

static size_t on_header(char *p, size_t size, size_t n, void *user) {
  struct reply *r = user;
  size_t len = size * n;
  static const char key[] = "Set-Cookie: mw_session=";
  if (len > sizeof key - 1 && !strncasecmp(p, key, sizeof key - 1)) {
    size_t end = 11; /* past "Set-Cookie:" to the first ';' */
    while (end < len && p[end] != ';' && p[end] != '\r') end++;
    snprintf(r->cookie, sizeof r->cookie, "%.*s", (int)(end - 12), p + 12);
  }
  return len;
}

/* One request to base+path; body NULL for GET. */
static struct reply request(const char *base, const char *path,
                            const char *cookie, const char *csrf,
                            const char *body) {
  struct reply r = {0};
  char url[512], hdr[160];
  snprintf(url, sizeof url, "%s%s", base, path);
  CURL *c = curl_easy_init();
  assert_non_null(c);
  struct curl_slist *h = NULL;
  if (csrf) {
    snprintf(hdr, sizeof hdr, "X-CSRF-Token: %s", csrf);
    h = curl_slist_append(h, hdr);
  }
  if (body) {
    h = curl_slist_append(h, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
  }
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
  if (cookie && cookie[0]) curl_easy_setopt(c, CURLOPT_COOKIE, cookie);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) fail_msg("%s: %s", url, curl_easy_strerror(rc));
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  curl_slist_free_all(h);
  curl_easy_cleanup(c);
  if (!r.body) r.body = calloc(1, 1);
  return r;
}

/* The URL a spawned server printed on stderr ("serving http://..."),
 * waiting up to 20 s for it. */
static void served_url(const struct e2e_scratch *dir, char *url, size_t n) {
  char errp[1024];
  e2e_path(dir, "spawn.err", errp, sizeof errp);
  for (int i = 0; i < 400; i++) {
    char *text = e2e_read_file(errp, NULL);
    const char *at = text ? strstr(text, "serving http://") : NULL;
    if (at) {
      at += strlen("serving ");
      size_t len = strcspn(at, ";\n ");
      snprintf(url, n, "%.*s", (int)len, at);
      free(text);
      return;
    }
    free(text);
    usleep(50 * 1000);
  }
  fail_msg("the server printed no URL within 20 s");
}

static void add_user(const struct e2e_demo *d, const char *name,
                     const char *role, const char *password) {
  char pw[1024];
  e2e_path(&d->dir, "pw.txt", pw, sizeof pw);
  e2e_write_file(pw, password);
  char *out = e2e_run_config(d->cfg, 0, NULL, "users", "add", name, "--role",
                             role, "--password-file", pw, NULL);
  e2e_expect_in(out, "added");
  free(out);
}

/* Signs in; returns the csrf token (malloc'd) and fills cookie. */
static char *sign_in(const char *base, const char *name, const char *pw,
                     char *cookie, size_t n) {
  char body[256];
  snprintf(body, sizeof body, "{\"name\":\"%s\",\"password\":\"%s\"}", name,
           pw);
  struct reply r = request(base, "/api/login", NULL, NULL, body);
  assert_int_equal(r.status, 200);
  assert_true(r.cookie[0] != '\0');
  snprintf(cookie, n, "%s", r.cookie);
  json_t *j = e2e_json(r.body);
  const char *csrf = json_string_value(json_object_get(j, "csrf"));
  assert_non_null(csrf);
  char *copy = strdup(csrf);
  json_decref(j);
  return copy;
}

static void test_users_command(void **state) {
  (void)state;
  struct e2e_demo d;
  e2e_demo_crawled(&d, "users");
  add_user(&d, "zhao", "admin", "correct horse battery\n");
  add_user(&d, "li", "duty", "值班密码2026\n");
  /* A taken name, an unknown role, no password at all. */
  char pw[1024], *err = NULL, *out;
  e2e_path(&d.dir, "pw.txt", pw, sizeof pw);
  free(e2e_run_config(d.cfg, 2, &err, "users", "add", "li", "--role", "duty",
                      "--password-file", pw, NULL));
  e2e_expect_in(err, "li");
  free(err);
  free(e2e_run_config(d.cfg, 2, &err, "users", "add", "wang", "--role",
                      "boss", "--password-file", pw, NULL));
  e2e_expect_in(err, "unknown role 'boss'");
  free(err);
  free(e2e_run_config(d.cfg, 2, &err, "users", "add", "wang", "--role",
                      "viewer", NULL));
  e2e_expect_in(err, "no password on standard input");
  free(err);
  out = e2e_run_config(d.cfg, 0, NULL, "users", "role", "li", "viewer", NULL);
  e2e_expect_in(out, "li is now viewer");
  free(out);
  out = e2e_run_config(d.cfg, 0, NULL, "users", "list", NULL);
  e2e_expect_in(out, "zhao");
  e2e_expect_in(out, "admin");
  e2e_expect_in(out, "li");
  e2e_expect_in(out, "viewer");
  free(out);
  out = e2e_run_config(d.cfg, 0, NULL, "users", "remove", "li", NULL);
  e2e_expect_in(out, "removed li");
  free(out);
  free(e2e_run_config(d.cfg, 2, &err, "users", "remove", "li", NULL));
  e2e_expect_in(err, "li");
  free(err);
  /* The database (and its write-ahead log) holds a hash, never the
   * password; the hash is yescrypt or SHA-512 crypt. */
  const char *suffix[] = {"", "-wal"};
  bool hash_seen = false;
  for (size_t i = 0; i < 2; i++) {
    char path[1100];
    snprintf(path, sizeof path, "%s%s", d.db, suffix[i]);
    size_t len = 0;
    char *bytes = e2e_read_file(path, &len);
    if (!bytes) continue;
    assert_null(memmem(bytes, len, "correct horse", 13));
    hash_seen = hash_seen || memmem(bytes, len, "$y$", 3) ||
                memmem(bytes, len, "$6$", 3);
    free(bytes);
  }
  assert_true(hash_seen);
  e2e_demo_free(&d);
}

static void test_serve_signs_in_and_searches(void **state) {
  (void)state;
  struct e2e_demo d;
  e2e_demo_crawled(&d, "serve");
  add_user(&d, "li", "duty", "值班密码2026\n");
  const char *args[] = {"serve", "--listen", "127.0.0.1:0", "--config", d.cfg,
                        NULL};
  int pid = e2e_spawn(&d.dir, args);
  char base[256];
  served_url(&d.dir, base, sizeof base);
  assert_non_null(strstr(base, "http://127.0.0.1:"));

  struct reply r = request(base, "/api/me", NULL, NULL, NULL);
  assert_int_equal(r.status, 401);
  free(r.body);
  r = request(base, "/api/login", NULL, NULL,
              "{\"name\":\"li\",\"password\":\"wrong\"}");
  assert_int_equal(r.status, 401);
  free(r.body);

  char cookie[200];
  char *csrf = sign_in(base, "li", "值班密码2026", cookie, sizeof cookie);
  r = request(base, "/api/me", cookie, NULL, NULL);
  assert_int_equal(r.status, 200);
  e2e_expect_in(r.body, "\"duty\"");
  free(r.body);

  /* The server indexes what the crawl stored, in the background. */
  long total = 0;
  for (int i = 0; i < 200 && total == 0; i++) {
    r = request(base, "/api/search?q=%E6%97%A0%E5%BA%9F%E5%9F%8E%E5%B8%82",
                cookie, NULL, NULL);
    assert_int_equal(r.status, 200);
    json_t *j = e2e_json(r.body);
    total = (long)json_integer_value(json_object_get(j, "total"));
    json_decref(j);
    if (!total) usleep(50 * 1000);
  }
  assert_true(total > 0);

  r = request(base, "/", cookie, NULL, NULL);
  assert_int_equal(r.status, 200);
  e2e_expect_in(r.body, "<html lang=\"zh-CN\"");
  free(r.body);

  r = request(base, "/api/logout", cookie, csrf, "{}");
  assert_int_equal(r.status, 200);
  free(r.body);
  r = request(base, "/api/me", cookie, NULL, NULL);
  assert_int_equal(r.status, 401);
  free(r.body);
  free(csrf);

  kill(pid, SIGTERM);
  char *err = NULL;
  assert_int_equal(e2e_wait(&d.dir, pid, NULL, &err), 0);
  e2e_expect_in(err, "SIGTERM received, stopping");
  free(err);
  e2e_demo_free(&d);
}

static void test_run_listen_serves_metrics(void **state) {
  (void)state;
  struct e2e_demo d;
  e2e_demo_crawled(&d, "run-listen");
  const char *args[] = {"run", "--listen", "127.0.0.1:0", "--config", d.cfg,
                        NULL};
  int pid = e2e_spawn(&d.dir, args);
  char base[256];
  served_url(&d.dir, base, sizeof base);
  /* The lag is measured once a second; wait for the first. */
  struct reply r = {0};
  for (int i = 0; i < 60; i++) {
    free(r.body);
    r = request(base, "/metrics", NULL, NULL, NULL);
    assert_int_equal(r.status, 200);
    if (strstr(r.body, "mediawatch_loop_lag_seconds")) break;
    usleep(100 * 1000);
  }
  e2e_expect_in(r.body, "mediawatch_loop_lag_seconds");
  e2e_expect_in(r.body, "mediawatch_articles_total");
  free(r.body);
  kill(pid, SIGTERM);
  assert_int_equal(e2e_wait(&d.dir, pid, NULL, NULL), 0);
  e2e_demo_free(&d);
}

/* demo --serve: the demo, then its dashboard with a fresh duty officer. */
static void test_demo_serves_its_dashboard(void **state) {
  (void)state;
  struct e2e_scratch dir;
  e2e_scratch_new(&dir, "demo-serve");
  char out_dir[1024];
  e2e_path(&dir, "out", out_dir, sizeof out_dir);
  const char *args[] = {"demo", "--out", out_dir, "--port", "0", "--serve",
                        "127.0.0.1:0", NULL};
  int pid = e2e_spawn(&dir, args);
  char base[256];
  served_url(&dir, base, sizeof base);
  char outp[1024];
  e2e_path(&dir, "spawn.out", outp, sizeof outp);
  char *text = e2e_read_file(outp, NULL);
  const char *at = text ? strstr(text, "sign in as demo with the password ")
                        : NULL;
  assert_non_null(at);
  char pw[64];
  snprintf(pw, sizeof pw, "%.*s", 24, at + strlen("sign in as demo with the password "));
  free(text);
  char cookie[200];
  free(sign_in(base, "demo", pw, cookie, sizeof cookie));
  struct reply r = request(base, "/api/alerts", cookie, NULL, NULL);
  assert_int_equal(r.status, 200);
  json_t *j = e2e_json(r.body);
  assert_int_equal(json_array_size(json_object_get(j, "alerts")), 3);
  json_decref(j);
  kill(pid, SIGINT);
  char *err = NULL;
  assert_int_equal(e2e_wait(&dir, pid, NULL, &err), 0);
  e2e_expect_in(err, "SIGINT received, stopping");
  free(err);
  e2e_scratch_free(&dir);
}

int main(void) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_users_command),
      cmocka_unit_test(test_serve_signs_in_and_searches),
      cmocka_unit_test(test_run_listen_serves_metrics),
      cmocka_unit_test(test_demo_serves_its_dashboard),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  curl_global_cleanup();
  return rc;
}
