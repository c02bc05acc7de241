/* Tests store/sensitivity.c: recording an article's sensitivity, the
 * spread and burst counts by first-seen time, exact on a known set, and
 * the schema 5 migration of a version 4 store (open.c) that keeps its
 * articles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store/store.h"
#include "tests/store/store_test_util.h"

/* 2023-05-08 10:00 +08, the day of seed 001's 无废城市 briefing. */
#define T INT64_C(1683511200)
#define CC "吉林省长春市"
#define JL "吉林省吉林市"

/* Stores one article (hashed when simhash is not 0), with its topic and
 * sensitivity; returns its id. */
static int64_t add(struct tu_store *f, int64_t src, const char *url,
                   int64_t fetched, const char *topic, int level,
                   const char *region, uint64_t simhash) {
  struct mw_err err = {0};
  struct mw_article a = {.source_id = src,
                         .url = url,
                         .title = "吉林省“无废城市”建设工作简报",
                         .published = MW_TIME_UNKNOWN,
                         .fetched = fetched,
                         .simhash = simhash,
                         .cluster_distance = 3};
  int64_t id;
  bool ins;
  if (mw_store_add_article(f->s, &a, &id, &ins, &err)) fail_msg("%s", err.msg);
  assert_true(ins);
  if (topic)
    assert_int_equal(mw_store_add_match(f->s, id, topic, topic, &err), MW_OK);
  if (level || region)
    assert_int_equal(mw_store_article_set_sensitivity(f->s, id, 0.5 * level,
                                                      level, region, &err),
                     MW_OK);
  return id;
}

static int64_t region_outlets(struct tu_store *f, const char *topic,
                              const char *region, int64_t since) {
  struct mw_err err = {0};
  int64_t n = -1;
  if (mw_store_region_outlets_since(f->s, topic, region, since, &n, &err))
    fail_msg("%s", err.msg);
  return n;
}

static int64_t mentions(struct tu_store *f, const char *topic, int64_t from,
                        int64_t to) {
  struct mw_err err = {0};
  int64_t n = -1;
  if (mw_store_topic_mentions(f->s, topic, from, to, &n, &err))
    fail_msg("%s", err.msg);
  return n;
}

static void test_set_sensitivity_stores_columns(void **state) {
  struct tu_store *f = *state;
  struct mw_err err = {0};
  int64_t id = add(f, f->env, "https://p.cn/s1", T, NULL, 0, NULL, 0);
  char sql[200];
  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM article_sensitivity WHERE article_id = %lld",
           (long long)id);
  assert_int_equal(tu_query_int(f->path, sql), 0); /* never judged */

  assert_int_equal(
      mw_store_article_set_sensitivity(f->s, id, 7.25, 3, CC, &err), MW_OK);
  snprintf(sql, sizeof sql,
           "SELECT level * 1000 + CAST(score * 100 AS INTEGER)"
           " FROM article_sensitivity WHERE article_id = %lld",
           (long long)id);
  assert_int_equal(tu_query_int(f->path, sql), 3725);
  snprintf(sql, sizeof sql,
           "SELECT region = '" CC "' AND fetched = %lld"
           " FROM article_sensitivity WHERE article_id = %lld",
           (long long)T, (long long)id);
  assert_int_equal(tu_query_int(f->path, sql), 1);
  /* Judged again: not sensitive, no 属地. */
  assert_int_equal(
      mw_store_article_set_sensitivity(f->s, id, 0.5, 0, NULL, &err), MW_OK);
  snprintf(sql, sizeof sql,
           "SELECT level = 0 AND region IS NULL FROM "
           "article_sensitivity WHERE article_id = %lld",
           (long long)id);
  assert_int_equal(tu_query_int(f->path, sql), 1);
  /* Scoring nothing at all: no row kept. */
  assert_int_equal(
      mw_store_article_set_sensitivity(f->s, id, 0, 0, NULL, &err), MW_OK);
  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM article_sensitivity WHERE article_id = %lld",
           (long long)id);
  assert_int_equal(tu_query_int(f->path, sql), 0);

  assert_int_equal(
      mw_store_article_set_sensitivity(f->s, 9999, 1.0, 1, CC, &err),
      MW_ENOTFOUND);
  assert_non_null(strstr(err.msg, "article 9999 not found"));
  assert_int_equal(mw_store_article_set_sensitivity(f->s, id, 1.0, 5, CC, &err),
                   MW_EINVAL);
  assert_non_null(strstr(err.msg, "level 5"));
  assert_int_equal(
      mw_store_article_set_sensitivity(f->s, id, 1.0, -1, CC, &err), MW_EINVAL);
}

/* The regional spread set: who counts, by outlet, level, region, topic and
 * first-seen time. */
static void add_region_set(struct tu_store *f) {
  add(f, f->env, "https://p.cn/r1", T, "无废城市", 2, CC, 0);
  /* The same outlet through another feed: still one outlet. */
  add(f, f->pol, "https://p.cn/r2", T + 10, "无废城市", 1, CC, 0);
  add(f, f->jl, "https://jl.cn/r3", T + 20, "垃圾分类", 3, CC, 0);
  /* Not sensitive, then before the window, then another region. */
  add(f, f->cc, "https://cc.cn/r4", T + 30, "无废城市", 0, CC, 0);
  add(f, f->cc, "https://cc.cn/r5", T - 100, "无废城市", 1, CC, 0);
  add(f, f->cc, "https://cc.cn/r6", T + 40, "无废城市", 1, JL, 0);
  /* Sensitive, in the region, matched no topic. */
  add(f, f->cc, "https://cc.cn/r7", T + 50, NULL, 1, CC, 0);
}

static void test_region_outlets_since_exact(void **state) {
  struct tu_store *f = *state;
  add_region_set(f);
  assert_int_equal(region_outlets(f, "无废城市", CC, T), 1);
  assert_int_equal(region_outlets(f, "无废城市", CC, T - 100), 2);
  assert_int_equal(region_outlets(f, "无废城市", CC, T + 11), 0);
  assert_int_equal(region_outlets(f, "垃圾分类", CC, T), 1);
  /* Any topic: 人民日报, 吉林日报, and 长春日报 by r7. */
  assert_int_equal(region_outlets(f, NULL, CC, T), 3);
  assert_int_equal(region_outlets(f, NULL, CC, T + 21), 1);
  assert_int_equal(region_outlets(f, NULL, JL, T), 1);
  assert_int_equal(region_outlets(f, "无废城市", JL, T + 41), 0);
  /* A region is compared whole, not as a prefix. */
  assert_int_equal(region_outlets(f, NULL, "吉林省", 0), 0);
  assert_int_equal(region_outlets(f, NULL, NULL, 0), 0);
  assert_int_equal(region_outlets(f, "没有的话题", CC, 0), 0);

  /* r4 judged sensitive after all: 长春日报 joins. */
  struct mw_err err = {0};
  char sql[] = "SELECT id FROM articles WHERE url = 'https://cc.cn/r4'";
  int64_t r4 = tu_query_int(f->path, sql);
  assert_int_equal(mw_store_article_set_sensitivity(f->s, r4, 2.0, 1, CC, &err),
                   MW_OK);
  assert_int_equal(region_outlets(f, "无废城市", CC, T), 2);
}

static void test_topic_mentions_exact(void **state) {
  struct tu_store *f = *state;
  add_region_set(f);
  /* r1, r2, r4 in [T, T+40); r6 at T+40 is the next period's. */
  assert_int_equal(mentions(f, "无废城市", T, T + 40), 3);
  assert_int_equal(mentions(f, "无废城市", T, T + 41), 4);
  assert_int_equal(mentions(f, "无废城市", T - 100, T + 41), 5);
  assert_int_equal(mentions(f, "无废城市", T - 99, T), 0);
  assert_int_equal(mentions(f, "垃圾分类", T, T + 3600), 1);
  assert_int_equal(mentions(f, "没有的话题", 0, T + 3600), 0);
  /* Level does not matter to a burst; an article with two topics counts
   * once for each. */
  struct mw_err err = {0};
  int64_t id =
      add(f, f->jl, "https://jl.cn/r8", T + 60, "无废城市", 0, NULL, 0);
  assert_int_equal(mw_store_add_match(f->s, id, "垃圾分类", NULL, &err), MW_OK);
  assert_int_equal(mentions(f, "无废城市", T, T + 3600), 5);
  assert_int_equal(mentions(f, "垃圾分类", T, T + 3600), 2);
  int64_t n = -1;
  assert_int_equal(mw_store_topic_mentions(f->s, NULL, T, T + 1, &n, &err),
                   MW_EINVAL);
  assert_int_equal(n, 0);
}

static void test_cluster_outlets_since_exact(void **state) {
  struct tu_store *f = *state;
  struct mw_err err = {0};
  const uint64_t h = UINT64_C(0x5a5a00ff12345678);
  add(f, f->env, "https://p.cn/c1", T, "无废城市", 2, CC, h);
  add(f, f->jl, "https://jl.cn/c2", T + 100, "无废城市", 0, NULL, h ^ 1);
  add(f, f->pol, "https://p.cn/c3", T + 200, NULL, 0, NULL, h ^ 2);
  add(f, f->cc, "https://cc.cn/c4", T + 300, NULL, 0, NULL, h ^ 4);
  /* Far from h: a cluster of its own. */
  add(f, f->cc, "https://cc.cn/x1", T + 50, NULL, 0, NULL, ~h);
  int64_t c = tu_query_int(f->path,
                           "SELECT cluster_id FROM articles WHERE "
                           "url = 'https://p.cn/c1'");
  assert_true(c > 0);
  assert_int_equal(
      tu_query_int(f->path,
                   "SELECT count(*) FROM articles "
                   "WHERE cluster_id = (SELECT cluster_id FROM articles "
                   "WHERE url = 'https://p.cn/c1')"),
      4);
  int64_t n = -1;
  assert_int_equal(mw_store_cluster_outlets_since(f->s, c, T, &n, &err), MW_OK);
  assert_int_equal(n, 3); /* 人民日报 twice, 吉林日报, 长春日报 */
  assert_int_equal(mw_store_cluster_outlets_since(f->s, c, T + 100, &n, &err),
                   MW_OK);
  assert_int_equal(n, 3);
  assert_int_equal(mw_store_cluster_outlets_since(f->s, c, T + 101, &n, &err),
                   MW_OK);
  assert_int_equal(n, 2); /* 人民日报 by c3, 长春日报 */
  assert_int_equal(mw_store_cluster_outlets_since(f->s, c, T + 301, &n, &err),
                   MW_OK);
  assert_int_equal(n, 0);
  assert_int_equal(mw_store_cluster_outlets_since(f->s, 9999, 0, &n, &err),
                   MW_OK);
  assert_int_equal(n, 0);
}

/* A version 4 file (the schema before alerts) with articles: opening it
 * adds the columns and tables and keeps every article and match. */
static void test_migrates_v4_store(void **state) {
  struct tu_store *f = *state;
  struct mw_err err = {0};
  int64_t a1 = add(f, f->env, "https://p.cn/m1", T, "无废城市", 0, NULL, 0);
  add(f, f->jl, "https://jl.cn/m2", T + 5, "垃圾分类", 0, NULL, 0);
  mw_store_close(f->s);
  f->s = NULL;
  /* Back to version 4 as that build wrote it. articles_fetched stays: the
   * migration must accept an index already there. */
  tu_exec(f->path,
          TU_UNDO_V8
          " DROP TABLE alert_articles; DROP TABLE alert_events;"
          " DROP TABLE alerts; DROP TABLE silences; DROP TABLE outbox;"
          " DROP TABLE held; DROP TABLE article_sensitivity;"
          " DROP TABLE article_mentions; DROP TABLE mention_terms;"
          " DROP TABLE web_sessions; DROP TABLE users; DROP TABLE article_fts;"
          " DROP TABLE search_state; DROP TABLE counters;"
          " PRAGMA user_version = 4;");

  assert_int_equal(mw_store_open(f->path, &f->s, &err), MW_OK);
  assert_int_equal(tu_query_int(f->path, "PRAGMA user_version"),
                   mw_store_schema_version());
  assert_int_equal(
      tu_query_int(f->path,
                   "SELECT count(*) FROM sqlite_schema"
                   " WHERE type = 'table' AND name IN ('alerts', "
                   "'alert_articles', 'alert_events', 'silences', 'outbox', "
                   "'held', 'article_sensitivity')"),
      7);
  assert_int_equal(
      tu_query_int(f->path,
                   "SELECT count(*) FROM sqlite_schema"
                   " WHERE type = 'index' AND name IN ('articles_fetched', "
                   "'article_sensitivity_region', 'outbox_pending', 'alerts_open')"),
      4);
  int64_t n = 0;
  assert_int_equal(mw_store_count_articles(f->s, &n, &err), MW_OK);
  assert_int_equal(n, 2);
  assert_int_equal(tu_query_int(f->path, "SELECT count(*) FROM matches"), 2);
  assert_int_equal(
      tu_query_int(f->path, "SELECT count(*) FROM article_sensitivity"), 0);
  /* The old articles count for bursts at once, and for spread once
   * judged. */
  assert_int_equal(mentions(f, "无废城市", T, T + 10), 1);
  assert_int_equal(region_outlets(f, NULL, CC, 0), 0);
  assert_int_equal(mw_store_article_set_sensitivity(f->s, a1, 3.0, 2, CC, &err),
                   MW_OK);
  assert_int_equal(region_outlets(f, NULL, CC, 0), 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_set_sensitivity_stores_columns,
                                      tu_store_setup, tu_store_teardown),
      cmocka_unit_test_setup_teardown(test_region_outlets_since_exact,
                                      tu_store_setup, tu_store_teardown),
      cmocka_unit_test_setup_teardown(test_topic_mentions_exact, tu_store_setup,
                                      tu_store_teardown),
      cmocka_unit_test_setup_teardown(test_cluster_outlets_since_exact,
                                      tu_store_setup, tu_store_teardown),
      cmocka_unit_test_setup_teardown(test_migrates_v4_store, tu_store_setup,
                                      tu_store_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
