/*
 * test_errors.c: bad input through the real binary. Each case checks the
 * message a user would act on, the exit status, and that nothing was lost
 * or corrupted: a config error touches no database, a failed source is
 * recorded on the source while the others are stored.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"
#include "tests/e2e/e2e.h"

static void test_missing_config(void **state) {
  (void)state;
  char *err = NULL;
  const char *args[] = {"crawl", "--once", "--config",
                        "/nonexistent/mediawatch.yaml", NULL};
  assert_int_equal(e2e_run(NULL, &err, args), 2);
  e2e_expect_in(err, "/nonexistent/mediawatch.yaml: cannot open");
  free(err);
}

static void test_yaml_error_touches_nothing(void **state) {
  (void)state;
  struct e2e_scratch d;
  e2e_scratch_new(&d, "yaml");
  char cfg[1024], db[1024];
  e2e_path(&d, "bad.yaml", cfg, sizeof cfg);
  e2e_path(&d, "mw.db", db, sizeof db);
  char text[2048];
  snprintf(text, sizeof text,
           "storage: \"%s\"\n"
           "outlets:\n"
           "  - name: 人民网\n"
           "    tier: central\n"
           "    sources: [ {url: http://127.0.0.1:1/rss.xml}\n",
           db);
  e2e_write_file(cfg, text);
  char *err = NULL;
  const char *args[] = {"crawl", "--once", "--config", cfg, NULL};
  assert_int_equal(e2e_run(NULL, &err, args), 2);
  char want[1100];
  snprintf(want, sizeof want, "%s:6:1: YAML syntax error", cfg);
  e2e_expect_in(err, want);
  struct stat sb;
  assert_int_not_equal(stat(db, &sb), 0); /* no database was created */
  free(err);

  /* A typo in a key: file, line, column and the key it resembles. */
  snprintf(text, sizeof text,
           "storage: \"%s\"\ncrawler:\n  concurency: 4\noutlets:\n"
           "  - name: a\n    tier: city\n    sources:\n"
           "      - url: http://127.0.0.1:1/rss.xml\n",
           db);
  e2e_write_file(cfg, text);
  assert_int_equal(e2e_run(NULL, &err, args), 2);
  snprintf(want, sizeof want,
           "%s:3:3: unknown key 'concurency' in crawler (did you mean "
           "'concurrency'?)",
           cfg);
  e2e_expect_in(err, want);
  assert_int_not_equal(stat(db, &sb), 0);
  free(err);
  e2e_scratch_free(&d);
}

/* One good feed, one unreachable host, one broken feed, one HTML page:
 * the good articles are stored and every failure is on its source. */
static void test_bad_sources_recorded(void **state) {
  (void)state;
  struct e2e_scratch d;
  e2e_scratch_new(&d, "sources");
  char site[1024], cfg[1024], db[1024], text[4096];
  e2e_data("e2e/site", site, sizeof site);
  e2e_path(&d, "mw.yaml", cfg, sizeof cfg);
  e2e_path(&d, "mw.db", db, sizeof db);
  struct mw_fixture *fx = e2e_fixture(site);
  const char *base = mw_fixture_base_url(fx);
  snprintf(text, sizeof text,
           "storage: \"%s\"\n"
           "crawler:\n  allow_loopback: true\n"
           "  per_host_delay_ms: 0\n  connect_timeout_ms: 2000\n"
           "outlets:\n"
           "  - name: 江北区生态环境局\n    tier: portal\n    sources:\n"
           "      - url: %s/good.xml\n"
           "  - name: 不存在的网站\n    tier: county\n    sources:\n"
           "      - url: http://127.0.0.1:1/rss.xml\n"
           "  - name: 金溪镇\n    tier: county\n    sources:\n"
           "      - url: %s/broken.xml\n"
           "  - name: 黔江区政府\n    tier: portal\n    sources:\n"
           "      - url: %s/notafeed.html\n"
           "topics:\n  - name: 垃圾分类\n    keywords: [垃圾分类]\n"
           "  - name: 坏规则\n    rule: \"(垃圾分类 OR 宣传\"\n",
           db, base, base, base);
  e2e_write_file(cfg, text);
  char *out = NULL, *err = NULL;
  const char *args[] = {"crawl", "--once", "--config", cfg, NULL};
  int rc = e2e_run(&out, &err, args);
  assert_int_equal(rc, 1); /* some sources failed */
  e2e_expect_in(out, "sources: 2 ok, 0 not modified, 2 failed");
  e2e_expect_in(out, "http://127.0.0.1:1/rss.xml");
  e2e_expect_in(out, "not well-formed");
  e2e_expect_in(out, "matches: 垃圾分类 3");
  /* A rule that does not compile is reported, its topic never matches,
   * and the crawl and the other topics go on. */
  e2e_expect_in(err, "mediawatch: warning: ");
  e2e_expect_in(err, "topic 坏规则");
  e2e_expect_in(out, "matches: 坏规则 0");

  struct mw_store *st;
  struct mw_err e;
  assert_int_equal(mw_store_open(db, &st, &e), MW_OK);
  int64_t n;
  assert_int_equal(mw_store_count_articles(st, &n, &e), MW_OK);
  assert_int_equal(n, 3); /* good.xml 1 + broken.xml recovered 2 */
  struct mw_source_state *src;
  size_t ns;
  assert_int_equal(mw_store_list_sources(st, &src, &ns, &e), MW_OK);
  assert_int_equal(ns, 4);
  for (size_t i = 0; i < ns; i++) {
    if (strstr(src[i].url, "127.0.0.1:1/")) {
      assert_int_equal(src[i].consecutive_failures, 1);
      assert_non_null(src[i].last_error);
      e2e_expect_in(src[i].last_error, "http://127.0.0.1:1/rss.xml");
    } else if (strstr(src[i].url, "notafeed")) {
      assert_int_equal(src[i].consecutive_failures, 1);
      e2e_expect_in(src[i].last_error, "not a feed");
    } else {
      assert_int_equal(src[i].consecutive_failures, 0);
      assert_true(src[i].last_ok > 0);
    }
  }
  mw_store_sources_free(src, ns);
  mw_store_close(st);
  free(out);
  free(err);
  mw_fixture_stop(fx);
  e2e_scratch_free(&d);
}

/* A listing whose 下一页 never ends: max_pages bounds the crawl. */
static void test_endless_pagination(void **state) {
  (void)state;
  struct e2e_scratch d;
  e2e_scratch_new(&d, "endless");
  char site[1024], cfg[1024], db[1024], text[2048];
  e2e_data("e2e/site", site, sizeof site);
  e2e_path(&d, "mw.yaml", cfg, sizeof cfg);
  e2e_path(&d, "mw.db", db, sizeof db);
  struct mw_fixture *fx = e2e_fixture(site);
  snprintf(text, sizeof text,
           "storage: \"%s\"\n"
           "crawler:\n  allow_loopback: true\n  per_host_delay_ms: 0\n"
           "  per_host_concurrency: 4\n"
           "outlets:\n  - name: 金溪镇人民政府\n    tier: county\n    sources:\n"
           "      - url: %s/endless/index.html\n        kind: html\n"
           "        max_pages: 3\n",
           db, mw_fixture_base_url(fx));
  e2e_write_file(cfg, text);
  char *out = NULL;
  const char *args[] = {"crawl", "--once", "--config", cfg, NULL};
  assert_int_equal(e2e_run(&out, NULL, args), 0);
  e2e_expect_in(out, "(6 links, 8 pages fetched, 0 failed, 6 new)");
  assert_int_equal(mw_fixture_requests(fx, "/endless/index_2.html"), 1);
  assert_int_equal(mw_fixture_requests(fx, "/endless/index_3.html"), 0);
  free(out);
  mw_fixture_stop(fx);
  e2e_scratch_free(&d);
}

static void test_unwritable_database(void **state) {
  (void)state;
  struct e2e_scratch d;
  e2e_scratch_new(&d, "rodb");
  char cfg[1024], blocker[1024], text[2048];
  e2e_path(&d, "mw.yaml", cfg, sizeof cfg);
  /* A database path under a regular file cannot be created, even by root. */
  e2e_path(&d, "not-a-folder", blocker, sizeof blocker);
  e2e_write_file(blocker, "x");
  snprintf(text, sizeof text,
           "storage: \"%s/mw.db\"\noutlets:\n  - name: a\n    tier: city\n"
           "    sources:\n      - url: http://127.0.0.1:1/rss.xml\n",
           blocker);
  e2e_write_file(cfg, text);
  char *err = NULL;
  const char *args[] = {"crawl", "--once", "--config", cfg, NULL};
  assert_int_equal(e2e_run(NULL, &err, args), 1);
  e2e_expect_in(err, blocker);
  free(err);
  e2e_scratch_free(&d);
}

static void test_usage_errors(void **state) {
  (void)state;
  char *err = NULL;
  const char *bad_cmd[] = {"crawlx", NULL};
  assert_int_equal(e2e_run(NULL, &err, bad_cmd), 2);
  e2e_expect_in(err, "unknown command 'crawlx'");
  free(err);
  const char *bad_week[] = {"report", "--week", "2023-19", NULL};
  assert_int_equal(e2e_run(NULL, &err, bad_week), 2);
  e2e_expect_in(err, "YYYY-Www");
  free(err);
  char *out = NULL;
  const char *help[] = {"report", "--help", NULL};
  assert_int_equal(e2e_run(&out, NULL, help), 0);
  e2e_expect_in(out, "--week YYYY-Www");
  free(out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_missing_config),
      cmocka_unit_test(test_yaml_error_touches_nothing),
      cmocka_unit_test(test_bad_sources_recorded),
      cmocka_unit_test(test_endless_pagination),
      cmocka_unit_test(test_unwritable_database),
      cmocka_unit_test(test_usage_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
