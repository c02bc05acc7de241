/*
 * test_pages_resume.c: a listing whose chain of pages stops half-way is
 * resumed by the next crawls, and only a complete chain makes the source
 * conditional again.
 *
 * The fixture serves a scratch copy of tests/data/sites; the config holds
 * the portal's listing alone (sthjt/xwdt: 4 articles on index.html, 5 on
 * index_1.html, max_pages 3). One page of the chain answers 503 in the
 * first crawl: the second listing page (so the articles behind a first
 * page that is then all known must still be found), or one article page.
 * The poll that asked for pages cleared the source's validators, and they
 * stay cleared while the chain is broken; once the 503 is gone, the next
 * crawl (unconditional, so it follows the next pages even when a page has
 * no new links) stores every article and writes the validators, and the
 * crawl after it is a single conditional request answered 304.
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

#include "store/store.h"
#include "tests/e2e/e2e.h"

#define LISTING "sthjt/xwdt/index.html"
#define PAGE_2 "sthjt/xwdt/index_1.html"
#define ARTICLE_P1 "sthjt/xwdt/202305/t20230521_5210106.html"
#define ARTICLE_P2 "sthjt/xwdt/202305/t20230508_5210101.html"

struct env {
  struct e2e_scratch dir;
  struct mw_fixture *fx;
  char sites[1024], cfg[1024], db[1024];
};

static int setup(void **state) {
  struct env *e = calloc(1, sizeof *e);
  char data[1024];
  e2e_data("sites", data, sizeof data);
  e2e_scratch_new(&e->dir, "pages_resume");
  e2e_path(&e->dir, "sites", e->sites, sizeof e->sites);
  e2e_path(&e->dir, "mediawatch.yaml", e->cfg, sizeof e->cfg);
  e2e_path(&e->dir, "mw.db", e->db, sizeof e->db);
  e2e_copy_tree(data, e->sites);
  e->fx = e2e_fixture(e->sites);
  char yaml[4096];
  snprintf(yaml, sizeof yaml,
           "storage: %s\n"
           "timezone: Asia/Shanghai\n"
           "crawler:\n"
           "  allow_loopback: true\n"
           "  per_host_delay_ms: 0\n"
           "outlets:\n"
           "  - name: 吉林省生态环境厅\n"
           "    tier: portal\n"
           "    region: 吉林省\n"
           "    sources:\n"
           "      - url: %s/" LISTING "\n"
           "        kind: html\n"
           "        max_pages: 3\n",
           e->db, mw_fixture_base_url(e->fx));
  e2e_write_file(e->cfg, yaml);
  *state = e;
  return 0;
}

static int teardown(void **state) {
  struct env *e = *state;
  mw_fixture_stop(e->fx);
  e2e_scratch_free(&e->dir);
  free(e);
  return 0;
}

/* The headers file of the page at rel, in the scratch copy. */
static void headers_path(const struct env *e, const char *rel, char *buf,
                         size_t n) {
  snprintf(buf, n, "%s/%s.headers", e->sites, rel);
}

/* Makes the page at rel answer 503; returns its headers as they were. */
static char *break_page(const struct env *e, const char *rel) {
  char path[2048];
  headers_path(e, rel, path, sizeof path);
  char *old = e2e_read_file(path, NULL);
  assert_non_null(old);
  struct mw_buf b;
  mw_buf_init(&b, 1 << 16);
  mw_buf_printf(&b, "%sStatus: 503\n", old);
  e2e_write_file(path, b.data);
  mw_buf_cleanup(&b);
  return old;
}

static void mend_page(const struct env *e, const char *rel, char *old) {
  char path[2048];
  headers_path(e, rel, path, sizeof path);
  e2e_write_file(path, old);
  free(old);
}

/* Articles stored, and whether the source holds validators. */
static int64_t stored(const struct env *e, bool *validators) {
  struct mw_store *st;
  struct mw_err err;
  if (mw_store_open(e->db, &st, &err)) fail_msg("%s", err.msg);
  int64_t n = -1;
  assert_int_equal(mw_store_count_articles(st, &n, &err), MW_OK);
  struct mw_source_state *src;
  size_t n_src;
  assert_int_equal(mw_store_list_sources(st, &src, &n_src, &err), MW_OK);
  assert_int_equal(n_src, 1);
  *validators = src[0].etag || src[0].last_modified;
  mw_store_sources_free(src, n_src);
  mw_store_close(st);
  return n;
}

/* One `crawl --once`, counted from a fresh start; returns its stdout. */
static char *crawl(struct env *e) {
  const char *args[] = {"crawl", "--once", "--config", e->cfg, NULL};
  char *out = NULL, *err = NULL;
  mw_fixture_reset_counts(e->fx);
  int rc = e2e_run(&out, &err, args);
  if (rc != 0)
    fail_msg("crawl exited %d\nstdout:\n%s\nstderr:\n%s", rc, out, err);
  free(err);
  return out;
}

static void expect_in(const char *out, const char *want) {
  if (!out) fail_msg("no output where '%s' was expected", want);
  else if (!strstr(out, want))
    fail_msg("the summary lacks '%s':\n%s", want, out);
}

static uint64_t requests(const struct env *e, const char *rel) {
  char path[1024];
  snprintf(path, sizeof path, "/%s", rel);
  return mw_fixture_requests(e->fx, path);
}

/* Once the chain is complete: one conditional request, answered 304, and
 * nothing else but robots.txt. */
static void expect_quiet(struct env *e, int64_t articles) {
  char *out = crawl(e);
  expect_in(out, "sources: 0 ok, 1 not modified, 0 failed");
  expect_in(out, "new articles: 0");
  assert_int_equal(mw_fixture_conditional_requests(e->fx, "/" LISTING), 1);
  assert_int_equal(mw_fixture_conditional_hits(e->fx, "/" LISTING), 1);
  assert_int_equal(mw_fixture_requests(e->fx, NULL),
                   1 + mw_fixture_requests(e->fx, "/robots.txt"));
  bool validators;
  assert_int_equal(stored(e, &validators), articles);
  assert_true(validators);
  free(out);
}

/* Page 2 of the listing fails after page 1's articles are stored: page 1
 * is all known at the next poll, which must still read page 2. */
static void test_second_listing_page_fails(void **state) {
  struct env *e = *state;
  char *old = break_page(e, PAGE_2);
  char *out = crawl(e);
  expect_in(out, "(4 links, 5 pages fetched, 1 failed, 4 new)");
  expect_in(out, PAGE_2 ": HTTP 503");
  assert_int_equal(requests(e, PAGE_2), 1);
  bool validators;
  assert_int_equal(stored(e, &validators), 4);
  assert_false(validators); /* cleared by the poll, never written */
  free(out);

  /* Still failing: the chain is broken again, nothing kept. */
  out = crawl(e);
  assert_int_equal(mw_fixture_conditional_requests(e->fx, "/" LISTING), 0);
  assert_int_equal(requests(e, PAGE_2), 1);
  assert_int_equal(stored(e, &validators), 4);
  assert_false(validators);
  free(out);

  mend_page(e, PAGE_2, old);
  out = crawl(e);
  expect_in(out, "sources: 1 ok, 0 not modified, 0 failed");
  expect_in(out, "(9 links, 6 pages fetched, 0 failed, 5 new)");
  expect_in(out, "new articles: 5");
  assert_int_equal(mw_fixture_conditional_requests(e->fx, "/" LISTING), 0);
  assert_int_equal(requests(e, LISTING), 1);
  assert_int_equal(requests(e, PAGE_2), 1);
  /* The articles of page 1 are known: not fetched again. */
  assert_int_equal(requests(e, ARTICLE_P1), 0);
  assert_int_equal(requests(e, ARTICLE_P2), 1);
  assert_int_equal(stored(e, &validators), 9);
  assert_true(validators);
  free(out);

  expect_quiet(e, 9);
  expect_quiet(e, 9);
}

/* An article page of the second listing page fails: the listing's
 * validators wait for it too, and the next crawl reaches it past a first
 * page that is all known. */
static void test_article_page_fails(void **state) {
  struct env *e = *state;
  char *old = break_page(e, ARTICLE_P2);
  char *out = crawl(e);
  expect_in(out, "(9 links, 10 pages fetched, 1 failed, 8 new)");
  assert_int_equal(requests(e, ARTICLE_P2), 1);
  bool validators;
  assert_int_equal(stored(e, &validators), 8);
  assert_false(validators);
  free(out);

  mend_page(e, ARTICLE_P2, old);
  out = crawl(e);
  expect_in(out, "(9 links, 2 pages fetched, 0 failed, 1 new)");
  assert_int_equal(mw_fixture_conditional_requests(e->fx, "/" LISTING), 0);
  assert_int_equal(requests(e, PAGE_2), 1);
  assert_int_equal(requests(e, ARTICLE_P2), 1);
  assert_int_equal(requests(e, ARTICLE_P1), 0);
  assert_int_equal(stored(e, &validators), 9);
  assert_true(validators);
  free(out);

  expect_quiet(e, 9);
}

/* Nothing fails: the first crawl completes its chain and keeps the
 * validators at once. */
static void test_complete_chain_keeps_validators(void **state) {
  struct env *e = *state;
  char *out = crawl(e);
  expect_in(out, "(9 links, 10 pages fetched, 0 failed, 9 new)");
  bool validators;
  assert_int_equal(stored(e, &validators), 9);
  assert_true(validators);
  free(out);
  expect_quiet(e, 9);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_second_listing_page_fails, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_article_page_fails, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_complete_chain_keeps_validators,
                                      setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
