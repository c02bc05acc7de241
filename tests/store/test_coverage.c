/* Tests store/coverage.c: exact counts on a known set, with articles on the
 * period's edges (from inclusive, to exclusive) and without a date. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store/store.h"
#include "tests/store/store_test_util.h"

/* ISO week 2023-W19 in Asia/Shanghai: [2023-05-08 00:00+08, 05-15 00:00+08). */
#define FROM INT64_C(1683475200)
#define TO (FROM + 7 * 86400)

struct fixture {
  char *dir, *path;
  struct tu_config tc;
  struct mw_store *s;
};

static void add(struct mw_store *s, int64_t src, const char *url,
                int64_t published, int64_t fetched, const char *topic1,
                const char *topic2) {
  struct mw_err err = {0};
  struct mw_article a = {.source_id = src, .url = url,
                         .published = published, .fetched = fetched};
  int64_t id;
  bool ins;
  if (mw_store_add_article(s, &a, &id, &ins, &err)) fail_msg("%s", err.msg);
  assert_true(ins);
  if (topic1) assert_int_equal(mw_store_add_match(s, id, topic1, NULL, &err),
                               MW_OK);
  if (topic2) assert_int_equal(mw_store_add_match(s, id, topic2, NULL, &err),
                               MW_OK);
}

static int setup(void **state) {
  struct fixture *f = calloc(1, sizeof *f);
  f->dir = tu_tmpdir();
  f->path = tu_path(f->dir, "mw.db");
  tu_config_init(&f->tc);
  f->s = tu_open_synced(f->path, &f->tc);
  struct mw_source_state *src;
  size_t n;
  struct mw_err err = {0};
  assert_int_equal(mw_store_list_sources(f->s, &src, &n, &err), MW_OK);
  int64_t env = src[0].id, pol = src[1].id, jl = src[2].id;
  mw_store_sources_free(src, n);
  const int64_t U = MW_TIME_UNKNOWN;
  assert_int_equal(mw_store_begin(f->s, &err), MW_OK);
  add(f->s, env, "https://p.cn/a1", FROM, TO + 50, "无废城市", "垃圾分类");
  add(f->s, env, "https://p.cn/a2", TO - 1, TO + 50, "无废城市", NULL);
  add(f->s, env, "https://p.cn/a3", TO, TO + 50, "无废城市", NULL);
  add(f->s, env, "https://p.cn/a4", FROM - 1, FROM + 50, NULL, NULL);
  add(f->s, env, "https://p.cn/a5", U, FROM + 100, NULL, NULL);
  /* Published before the period, seen inside it: the publication counts. */
  add(f->s, env, "https://p.cn/a6", FROM - 86400, FROM + 100, "无废城市", NULL);
  add(f->s, pol, "https://p.cn/a7", FROM + 3600, FROM + 3700, "垃圾分类", NULL);
  add(f->s, jl, "https://jl.cn/j1", FROM + 10, FROM + 20, "垃圾分类", NULL);
  add(f->s, jl, "https://jl.cn/j2", U, TO, "垃圾分类", NULL);
  assert_int_equal(mw_store_commit(f->s, &err), MW_OK);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  struct fixture *f = *state;
  mw_store_close(f->s);
  tu_rmtree(f->dir);
  free(f->path);
  free(f->dir);
  free(f);
  return 0;
}

static void expect_cell(const struct mw_coverage_cell *c, const char *outlet,
                        enum mw_tier tier, const char *topic, int64_t count) {
  assert_string_equal(c->outlet, outlet);
  assert_int_equal(c->tier, tier);
  if (topic) assert_string_equal(c->topic, topic);
  else assert_null(c->topic);
  assert_int_equal(c->count, count);
}

/* The week's table: 人民日报 sorts before 吉林日报 and 垃圾分类 before 无废城市
 * (UTF-8 byte order), the all-articles cell first. */
static void expect_week(const struct mw_coverage *c) {
  assert_int_equal(c->from, FROM);
  assert_int_equal(c->to, TO);
  assert_int_equal(c->n_cells, 5);
  expect_cell(&c->cells[0], "人民日报", MW_TIER_CENTRAL, NULL, 4);
  expect_cell(&c->cells[1], "人民日报", MW_TIER_CENTRAL, "垃圾分类", 2);
  expect_cell(&c->cells[2], "人民日报", MW_TIER_CENTRAL, "无废城市", 2);
  expect_cell(&c->cells[3], "吉林日报", MW_TIER_PROVINCIAL, NULL, 1);
  expect_cell(&c->cells[4], "吉林日报", MW_TIER_PROVINCIAL, "垃圾分类", 1);
}

static void test_coverage_week_exact(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  struct mw_coverage *c = NULL;
  assert_int_equal(mw_store_coverage(f->s, FROM, TO, &c, &err), MW_OK);
  expect_week(c);
  mw_coverage_free(c);
  mw_coverage_free(NULL);
}

static void test_coverage_edges(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  struct mw_coverage *c = NULL;
  /* Only the last second: a2. */
  assert_int_equal(mw_store_coverage(f->s, TO - 1, TO, &c, &err), MW_OK);
  assert_int_equal(c->n_cells, 2);
  expect_cell(&c->cells[0], "人民日报", MW_TIER_CENTRAL, NULL, 1);
  expect_cell(&c->cells[1], "人民日报", MW_TIER_CENTRAL, "无废城市", 1);
  mw_coverage_free(c);
  /* The next period starts with a3 and the undated j2 seen at TO. */
  assert_int_equal(mw_store_coverage(f->s, TO, TO + 1, &c, &err), MW_OK);
  assert_int_equal(c->n_cells, 4);
  expect_cell(&c->cells[0], "人民日报", MW_TIER_CENTRAL, NULL, 1);
  expect_cell(&c->cells[1], "人民日报", MW_TIER_CENTRAL, "无废城市", 1);
  expect_cell(&c->cells[2], "吉林日报", MW_TIER_PROVINCIAL, NULL, 1);
  expect_cell(&c->cells[3], "吉林日报", MW_TIER_PROVINCIAL, "垃圾分类", 1);
  mw_coverage_free(c);
  /* An empty period is no cells, not an error. */
  assert_int_equal(mw_store_coverage(f->s, FROM, FROM, &c, &err), MW_OK);
  assert_int_equal(c->n_cells, 0);
  mw_coverage_free(c);
  c = (struct mw_coverage *)&err;
  assert_int_equal(mw_store_coverage(f->s, TO, FROM, &c, &err), MW_EINVAL);
  assert_null(c);
}

/* An outlet dropped from the config keeps its history in the counts. */
static void test_coverage_inactive_outlet_counts(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  f->tc.cfg.n_outlets = 1;
  assert_int_equal(mw_store_sync_config(f->s, &f->tc.cfg, &err), MW_OK);
  struct mw_coverage *c = NULL;
  assert_int_equal(mw_store_coverage(f->s, FROM, TO, &c, &err), MW_OK);
  expect_week(c);
  mw_coverage_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_coverage_week_exact, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_coverage_edges, setup, teardown),
      cmocka_unit_test_setup_teardown(test_coverage_inactive_outlet_counts,
                                      setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
