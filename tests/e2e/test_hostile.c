/*
 * test_hostile.c: one `crawl --once` of a good feed beside one source per
 * misbehaving server mode (tests/fixture/fixture.h; files and sidecars in
 * tests/data/hostile/): trickle, stall, reset, 500, 503, 429 with
 * Retry-After, a gzip bomb, a 1 GiB body, a redirect loop, redirects to
 * file:// and ftp://, a billion-laughs feed, HTML nested 100,000 deep as a
 * listing and as an article, and an image where a feed should be.
 *
 * Each hostile source must be recorded as failed with a reason a user can
 * act on, in the summary and on the source in the store; the good feed's
 * articles must be stored; the crawl must end in seconds and its peak
 * memory stay under 100 MB (measured from the child's rusage, printed).
 * What the crawler does inside each failure is its business: this test
 * only reads what a user sees.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <sqlite3.h>

#include "store/store.h"
#include "tests/e2e/e2e.h"

/* Peak RSS allowed to the crawler, bytes (issue 9). Sanitizers inflate
 * memory several times over, so there the figure is only printed. */
#define RSS_LIMIT (100ll << 20)
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

/* What the one crawl left behind, shared by the tests below. */
static struct {
  struct e2e_scratch dir;
  struct mw_fixture *fx;
  char cfg[1024], db[1024], base[128];
  char *out, *err;
  int rc;
  double secs;
  long long peak_rss;
  int64_t started, finished;
  struct mw_source_state *src;
  size_t n_src;
} crawl;

/* The outlets of the crawl, beside the good feed 江北区生态环境局. */
struct hostile {
  const char *outlet;
  const char *path; /* under tests/data/hostile */
  const char *kind; /* NULL: feed */
};

static const struct hostile sources[] = {
    {"慢速网站", "/trickle.xml", NULL},
    {"停滞网站", "/stall.xml", NULL},
    {"断开网站", "/reset.xml", NULL},
    {"服务器错误", "/e500.xml", NULL},
    {"维护中", "/e503.xml", NULL},
    {"请求过多", "/e429.xml", NULL},
    {"压缩炸弹", "/bomb.xml", NULL},
    {"巨型网站", "/huge.xml", NULL},
    {"循环跳转", "/loop-a.xml", NULL},
    {"跳转到文件", "/to-file.xml", NULL},
    {"跳转到FTP", "/to-ftp.xml", NULL},
    {"实体炸弹", "/laughs.xml", NULL},
    {"图片网站", "/image.xml", NULL},
    {"深层列表", "/portal/deep-list.html", "html"},
    {"深层文章", "/portal/list.html", "html"},
};
#define N_SOURCES (sizeof sources / sizeof sources[0])

static void write_config(const char *cfg, const char *db, const char *base) {
  struct mw_buf b;
  mw_buf_init(&b, 1u << 20);
  /* Short limits so the slow modes are cut off in seconds; every source
   * is on one host, so the host limits must let them all run at once. */
  int rc = mw_buf_printf(
      &b,
      "storage: \"%s\"\n"
      "crawler:\n"
      "  allow_loopback: true\n"
      "  respect_robots: false\n"
      "  per_host_delay_ms: 0\n"
      "  per_host_concurrency: 32\n"
      "  concurrency: 32\n"
      "  connect_timeout_ms: 2000\n"
      "  timeout_ms: 8000\n"
      "  low_speed_timeout_ms: 2000\n"
      "  max_body: 4MB\n"
      "  max_redirects: 5\n"
      "outlets:\n"
      "  - name: 江北区生态环境局\n    tier: portal\n    sources:\n"
      "      - url: %s/good.xml\n",
      db, base);
  for (size_t i = 0; i < N_SOURCES && rc == MW_OK; i++) {
    rc = mw_buf_printf(&b,
                       "  - name: %s\n    tier: county\n    sources:\n"
                       "      - url: %s%s\n",
                       sources[i].outlet, base, sources[i].path);
    if (rc == MW_OK && sources[i].kind)
      rc = mw_buf_printf(&b, "        kind: %s\n", sources[i].kind);
  }
  if (rc == MW_OK)
    rc = mw_buf_printf(&b, "topics:\n  - name: 垃圾分类\n"
                           "    keywords: [垃圾分类]\n");
  assert_int_equal(rc, MW_OK);
  assert_int_equal(mw_buf_putc(&b, '\0'), MW_OK);
  e2e_write_file(cfg, b.data);
  mw_buf_cleanup(&b);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs the crawl once for the whole group, and reads the sources back. */
static int crawl_once(void **state) {
  (void)state;
  e2e_scratch_new(&crawl.dir, "hostile");
  char site[1024];
  e2e_data("hostile", site, sizeof site);
  e2e_path(&crawl.dir, "mw.yaml", crawl.cfg, sizeof crawl.cfg);
  e2e_path(&crawl.dir, "mw.db", crawl.db, sizeof crawl.db);
  crawl.fx = e2e_fixture(site);
  snprintf(crawl.base, sizeof crawl.base, "%s",
           mw_fixture_base_url(crawl.fx));
  write_config(crawl.cfg, crawl.db, crawl.base);

  const char *args[] = {"crawl", "--once", "--config", crawl.cfg, NULL};
  crawl.started = (int64_t)time(NULL);
  double t0 = now_s();
  crawl.rc = e2e_run(&crawl.out, &crawl.err, args);
  crawl.secs = now_s() - t0;
  crawl.finished = (int64_t)time(NULL);
  /* The crawl is the only child this process waits for, so the largest
   * resident set of its waited-for children is the crawler's peak. */
  struct rusage ru;
  if (getrusage(RUSAGE_CHILDREN, &ru) != 0) return -1;
  crawl.peak_rss = (long long)ru.ru_maxrss * 1024;
  printf("crawl --once: exit %d in %.1f s, peak RSS %.1f MB\n--- stdout\n%s"
         "--- stderr\n%s---\n",
         crawl.rc, crawl.secs, (double)crawl.peak_rss / (1 << 20),
         crawl.out ? crawl.out : "", crawl.err ? crawl.err : "");
  fflush(stdout);

  struct mw_store *st;
  struct mw_err e;
  if (mw_store_open(crawl.db, &st, &e) != MW_OK) return -1;
  int rc = mw_store_list_sources(st, &crawl.src, &crawl.n_src, &e);
  mw_store_close(st);
  return rc == MW_OK ? 0 : -1;
}

static int crawl_free(void **state) {
  (void)state;
  mw_store_sources_free(crawl.src, crawl.n_src);
  free(crawl.out);
  free(crawl.err);
  mw_fixture_stop(crawl.fx);
  e2e_scratch_free(&crawl.dir);
  return 0;
}

/* The stored state of the source at path. */
static const struct mw_source_state *source(const char *path) {
  char url[1200];
  snprintf(url, sizeof url, "%s%s", crawl.base, path);
  for (size_t i = 0; i < crawl.n_src; i++)
    if (strcmp(crawl.src[i].url, url) == 0) return &crawl.src[i];
  fail_msg("no source %s in the store", url);
  return NULL;
}

/* The summary's block for the source at path: its line, with the status
 * word, and the reason on the next; malloc'd. */
static char *summary_of(const char *path) {
  char url[1200];
  snprintf(url, sizeof url, "  %s%s", crawl.base, path);
  size_t ulen = strlen(url);
  const char *at = crawl.out;
  while (at && (at = strstr(at, url)) && at[ulen] != '\n' && at[ulen] != ' ')
    at += ulen; /* a longer URL that starts the same */
  if (!at) fail_msg("the summary has no line for %s", url);
  const char *b = at;
  while (b > crawl.out && b[-1] != '\n') b--;
  const char *e = strchr(at, '\n');
  if (e && strncmp(e + 1, "               ", 15) == 0) e = strchr(e + 1, '\n');
  if (!e) e = at + strlen(at);
  return mw_strndup(b, (size_t)(e - b));
}

/* The source at path failed (summary word `word`) with reason in both
 * the summary and its last_error, and will be polled again later. */
static void expect_failed(const char *path, const char *word,
                          const char *reason, long status) {
  char *sum = summary_of(path);
  char want[64];
  snprintf(want, sizeof want, "  %-12s ", word);
  if (strncmp(sum, want, strlen(want)) != 0)
    fail_msg("%s: expected \"%s\", got:\n%s", path, word, sum);
  e2e_expect_in(sum, reason);
  free(sum);
  const struct mw_source_state *s = source(path);
  assert_int_equal(s->consecutive_failures, 1);
  assert_non_null(s->last_error);
  e2e_expect_in(s->last_error, reason);
  assert_int_equal(s->last_ok, 0);
  assert_true(s->last_fetch >= crawl.started);
  assert_true(s->next_due > crawl.finished); /* backs off, never gives up */
  if (status >= 0) assert_int_equal(s->last_status, status);
}

/* Whether the article at url is stored; when it is, its title must be
 * title and its text must contain text. */
static bool article(const char *url, const char *title, const char *text) {
  sqlite3 *q;
  assert_int_equal(
      sqlite3_open_v2(crawl.db, &q, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  sqlite3_stmt *st;
  assert_int_equal(sqlite3_prepare_v2(q,
                                      "SELECT title, text FROM articles "
                                      "WHERE url = ?1",
                                      -1, &st, NULL),
                   SQLITE_OK);
  sqlite3_bind_text(st, 1, url, -1, SQLITE_TRANSIENT);
  bool found = sqlite3_step(st) == SQLITE_ROW;
  if (found) {
    const char *t = (const char *)sqlite3_column_text(st, 0);
    const char *x = (const char *)sqlite3_column_text(st, 1);
    assert_string_equal(t ? t : "", title);
    e2e_expect_in(x, text);
  }
  sqlite3_finalize(st);
  sqlite3_close(q);
  return found;
}

/* ------------------------------------------------------------- tests */

static void test_summary_and_good_feed(void **state) {
  (void)state;
  assert_int_equal(crawl.rc, 1); /* some sources failed */
  e2e_expect_in(crawl.out, "sources: 3 ok, 0 not modified, 13 failed\n");
  char *sum = summary_of("/good.xml");
  e2e_expect_in(sum, "  ok           江北区生态环境局  ");
  e2e_expect_in(sum, "(3 entries, 3 new)");
  free(sum);
  const struct mw_source_state *s = source("/good.xml");
  assert_int_equal(s->consecutive_failures, 0);
  assert_null(s->last_error);
  assert_int_equal(s->last_status, 200);
  for (int i = 1; i <= 3; i++) {
    char url[128], title[128];
    snprintf(url, sizeof url, "http://example.invalid/good/%d.html", i);
    snprintf(title, sizeof title, "江北区生态环境局垃圾分类宣传活动第%d期",
             i);
    assert_true(article(url, title, "普及垃圾分类知识"));
  }
  /* Every source was polled once and recorded. */
  assert_int_equal(crawl.n_src, N_SOURCES + 1);
  for (size_t i = 0; i < crawl.n_src; i++)
    assert_true(crawl.src[i].last_fetch >= crawl.started);
}

static void test_time_and_memory(void **state) {
  (void)state;
  /* The slow modes are cut off by the 2 s low-speed timeout, not waited
   * for: the crawl ends well within the 8 s total timeout. */
  assert_true(crawl.secs < 20.0);
  /* Under valgrind (MW_E2E_VALGRIND=1, scripts/valgrind-suite) the RSS
   * is mostly memcheck's own shadow memory. */
  const char *vg = getenv("MW_E2E_VALGRIND");
  if (UNDER_ASAN || (vg && strcmp(vg, "1") == 0))
    printf("peak RSS %.1f MB (not checked under sanitizers or valgrind)\n",
           (double)crawl.peak_rss / (1 << 20));
  else
    assert_true(crawl.peak_rss < RSS_LIMIT);
}

static void test_trickle(void **state) {
  (void)state;
  expect_failed("/trickle.xml", "failed", "Operation too slow", 200);
}

static void test_stall(void **state) {
  (void)state;
  expect_failed("/stall.xml", "failed", "Operation too slow", 200);
}

/* The reset lands while curl still waits for the rest of the body, as the
 * connection's reset, as a failed receive or as an error on the socket
 * the loop polls, depending on timing: the same failure each time, in
 * curl's words, after the URL. */
static void test_reset(void **state) {
  (void)state;
  const struct mw_source_state *s = source("/reset.xml");
  assert_non_null(s->last_error);
  expect_failed("/reset.xml", "failed", "reset.xml: ", 200);
}

static void test_server_errors(void **state) {
  (void)state;
  expect_failed("/e500.xml", "failed", "e500.xml: HTTP 500", 500);
  expect_failed("/e503.xml", "failed", "e503.xml: HTTP 503", 503);
}

/* Retry-After: 7200 puts the next poll two hours out, beyond the backoff
 * an ordinary failure gets. */
static void test_retry_after(void **state) {
  (void)state;
  expect_failed("/e429.xml", "failed", "e429.xml: HTTP 429", 429);
  const struct mw_source_state *s = source("/e429.xml");
  assert_true(s->next_due >= crawl.started + 7200);
  assert_true(s->next_due <= crawl.finished + 7200 + 60);
}

static void test_gzip_bomb(void **state) {
  (void)state;
  expect_failed("/bomb.xml", "failed",
                "body larger than max_body (4194304 bytes once decoded)",
                200);
}

static void test_huge_body(void **state) {
  (void)state;
  expect_failed("/huge.xml", "failed",
                "body larger than max_body (4194304 bytes once decoded)",
                200);
}

static void test_redirect_loop(void **state) {
  (void)state;
  expect_failed("/loop-a.xml", "failed", "loop-a.xml: more than 5 redirects",
                302);
}

static void test_redirect_other_schemes(void **state) {
  (void)state;
  expect_failed("/to-file.xml", "refused",
                "redirected to a scheme other than http or https "
                "(Protocol \"file\"",
                302);
  expect_failed("/to-ftp.xml", "refused",
                "redirected to a scheme other than http or https "
                "(Protocol \"ftp\"",
                302);
}

/* libxml2 does not expand the nested entities: the item is stored with
 * the text of one level (60 bytes of "&lol8;"), not 3 GB, in bounded
 * time and memory (test_time_and_memory). */
static void test_billion_laughs(void **state) {
  (void)state;
  char *sum = summary_of("/laughs.xml");
  e2e_expect_in(sum, "  ok           实体炸弹  ");
  free(sum);
  assert_true(article("http://example.invalid/laughs/1.html",
                      "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;"
                      "&lol8;&lol8;",
                      "&lol8;"));
}

static void test_not_a_feed(void **state) {
  (void)state;
  expect_failed("/image.xml", "failed",
                "no XML element found: this is not a feed", 200);
}

/* An article page nested 100,000 deep is still read: title and body. */
static void test_deep_article(void **state) {
  (void)state;
  char *sum = summary_of("/portal/list.html");
  e2e_expect_in(sum, "  ok           深层文章  ");
  e2e_expect_in(sum, "(3 links, 3 pages fetched, 0 failed, 3 new)");
  free(sum);
  char url[1200];
  snprintf(url, sizeof url, "%s/portal/202106/t20210606_900.html",
           crawl.base);
  assert_true(
      article(url, "黔江区开展垃圾分类宣传活动", "黔江区开展生态环境宣传"));
}

/* A listing page whose links sit inside 100,000 nested <div>s: the crawl
 * survives it (no crash, bounded memory), but the links are lost and the
 * store records the source as fine. The right outcome is either the three
 * links found or the source recorded as failed with the reason. */
static void test_deep_listing(void **state) {
  (void)state;
  char *sum = summary_of("/portal/deep-list.html");
  e2e_expect_in(sum, "深层列表");
  bool found = strstr(sum, "(3 links, 3 pages fetched") != NULL;
  free(sum);
  const struct mw_source_state *s = source("/portal/deep-list.html");
  /* The links sit below the depth the parser follows (256, as libxml2):
   * the poll fails and says why, rather than passing as an empty column. */
  if (!found) {
    assert_int_equal(s->consecutive_failures, 1);
    assert_non_null(s->last_error);
    e2e_expect_in(s->last_error, "nested deeper");
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_summary_and_good_feed),
      cmocka_unit_test(test_time_and_memory),
      cmocka_unit_test(test_trickle),
      cmocka_unit_test(test_stall),
      cmocka_unit_test(test_reset),
      cmocka_unit_test(test_server_errors),
      cmocka_unit_test(test_retry_after),
      cmocka_unit_test(test_gzip_bomb),
      cmocka_unit_test(test_huge_body),
      cmocka_unit_test(test_redirect_loop),
      cmocka_unit_test(test_redirect_other_schemes),
      cmocka_unit_test(test_billion_laughs),
      cmocka_unit_test(test_not_a_feed),
      cmocka_unit_test(test_deep_article),
      cmocka_unit_test(test_deep_listing),
  };
  return cmocka_run_group_tests(tests, crawl_once, crawl_free);
}
