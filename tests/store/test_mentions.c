/* Tests store/mentions.c: indexing from scratch and after new articles, a
 * term added later caught up from the start, ingest's rule for moving a
 * term's mark, target counts by mention equal to instr() on the texts,
 * the config's terms, the errors, and migration 6 of a version 5 store
 * keeping its articles. */
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

#define T0 INT64_C(1682870400) /* 2023-05-01 00:00+08 */

struct fixture {
  char *dir, *path;
  struct tu_config tc;
  struct mw_store *s;
  int64_t src;
  int n;
};

static int64_t add(struct fixture *f, const char *title, const char *text) {
  struct mw_err err = {0};
  char url[64];
  snprintf(url, sizeof url, "https://rm.cn/%d", ++f->n);
  struct mw_article a = {.source_id = f->src, .url = url, .title = title,
                         .text = text, .published = T0 + f->n,
                         .fetched = T0 + f->n};
  int64_t id;
  bool ins;
  if (mw_store_add_article(f->s, &a, &id, &ins, &err)) fail_msg("%s", err.msg);
  assert_true(ins);
  return id;
}

static int setup(void **state) {
  struct fixture *f = calloc(1, sizeof *f);
  f->dir = tu_tmpdir();
  f->path = tu_path(f->dir, "mw.db");
  tu_config_three(&f->tc);
  f->s = tu_open_synced(f->path, &f->tc);
  int64_t ids[4];
  tu_source_ids(f->s, ids, 4);
  f->src = ids[0];
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

static void index_ok(struct fixture *f, const char *const *terms, size_t n) {
  struct mw_err err = {0};
  if (mw_store_index_mentions(f->s, terms, n, &err)) fail_msg("%s", err.msg);
}

/* Rows of article_mentions for term (an SQL string literal). */
static int64_t rows(struct fixture *f, const char *term) {
  char sql[256];
  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM article_mentions WHERE term = '%s'", term);
  return tu_query_int(f->path, sql);
}

static int64_t through(struct fixture *f, const char *term) {
  char sql[256];
  snprintf(sql, sizeof sql,
           "SELECT coalesce((SELECT indexed_through FROM mention_terms"
           " WHERE term = '%s'), -1)", term);
  return tu_query_int(f->path, sql);
}

static void test_index_from_scratch(void **state) {
  struct fixture *f = *state;
  add(f, "长春市无废城市建设", "全市推进。");
  add(f, "生态环境部部署", "吉林市、长春市联合行动。");
  add(f, NULL, "四平市开展垃圾分类。");
  int64_t last = add(f, "无关", NULL);
  const char *terms[] = {"长春市", "吉林市", "四平市", "白城市"};
  index_ok(f, terms, 4);
  assert_int_equal(rows(f, "长春市"), 2);
  assert_int_equal(rows(f, "吉林市"), 1);
  assert_int_equal(rows(f, "四平市"), 1);
  assert_int_equal(rows(f, "白城市"), 0);
  for (size_t i = 0; i < 4; i++)
    assert_int_equal(through(f, terms[i]), last);
  /* Up to date: nothing changes. */
  index_ok(f, terms, 4);
  assert_int_equal(rows(f, "长春市"), 2);
  assert_int_equal(tu_query_int(f->path, "SELECT count(*) FROM mention_terms"),
                   4);
}

static void test_index_incremental_and_late_term(void **state) {
  struct fixture *f = *state;
  const char *cc[] = {"长春市"};
  add(f, "长春市 一", "吉林市 一");
  index_ok(f, cc, 1);
  assert_int_equal(rows(f, "长春市"), 1);
  add(f, "长春市 二", "");
  int64_t last = add(f, "吉林市 二", "长春市在正文");
  index_ok(f, cc, 1);
  assert_int_equal(rows(f, "长春市"), 3);
  assert_int_equal(through(f, "长春市"), last);
  assert_int_equal(through(f, "吉林市"), -1);
  /* 吉林市 configured later: searched in every article, 长春市 in none. */
  const char *both[] = {"长春市", "吉林市", "长春市"};
  index_ok(f, both, 3);
  assert_int_equal(rows(f, "吉林市"), 2);
  assert_int_equal(rows(f, "长春市"), 3);
  assert_int_equal(through(f, "吉林市"), last);
}

static void test_index_empty_store(void **state) {
  struct fixture *f = *state;
  const char *terms[] = {"长春市"};
  index_ok(f, terms, 1);
  assert_int_equal(through(f, "长春市"), 0);
  index_ok(f, terms, 0);
}

static void test_add_mentions_rules(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  const char *terms[] = {"长春市", "吉林市"};
  /* Empty store: the first article finds every term up to date. */
  int64_t a1 = add(f, "长春市 首篇", NULL);
  assert_int_equal(mw_store_add_mentions(f->s, a1, "长春市 首篇", NULL,
                                         terms, 2, &err), MW_OK);
  assert_int_equal(rows(f, "长春市"), 1);
  assert_int_equal(rows(f, "吉林市"), 0);
  assert_int_equal(through(f, "长春市"), a1);
  assert_int_equal(through(f, "吉林市"), a1);
  /* An article stored without its mentions (ingest knew no terms). */
  int64_t a2 = add(f, "吉林市 漏记", "长春市");
  int64_t a3 = add(f, NULL, "吉林市 正文");
  assert_int_equal(mw_store_add_mentions(f->s, a3, NULL, "吉林市 正文",
                                         terms, 2, &err), MW_OK);
  /* Recorded, but the marks stay before the gap. */
  assert_int_equal(rows(f, "吉林市"), 1);
  assert_int_equal(through(f, "长春市"), a1);
  assert_int_equal(through(f, "吉林市"), a1);
  /* A term never indexed is not marked in a store with articles. */
  const char *late[] = {"四平市"};
  int64_t a4 = add(f, "四平市", NULL);
  assert_int_equal(mw_store_add_mentions(f->s, a4, "四平市", NULL, late, 1,
                                         &err), MW_OK);
  assert_int_equal(through(f, "四平市"), -1);
  assert_int_equal(rows(f, "四平市"), 1);
  /* Indexing catches the gap up. */
  const char *all[] = {"长春市", "吉林市", "四平市"};
  index_ok(f, all, 3);
  assert_int_equal(rows(f, "长春市"), 2);
  assert_int_equal(rows(f, "吉林市"), 2);
  assert_int_equal(rows(f, "四平市"), 1);
  assert_int_equal(through(f, "吉林市"), a4);
  /* Now up to date: the next article moves the marks. */
  int64_t a5 = add(f, "白山", "长春市");
  assert_int_equal(mw_store_add_mentions(f->s, a5, "白山", "长春市", all, 3,
                                         &err), MW_OK);
  assert_int_equal(rows(f, "长春市"), 3);
  assert_int_equal(through(f, "长春市"), a5);
  assert_int_equal(through(f, "四平市"), a5);
  assert_int_equal(tu_query_int(f->path, "SELECT count(*) FROM"
                                " article_mentions WHERE article_id = 0"), 0);
  (void)a2;
  /* No terms: nothing to do. */
  assert_int_equal(mw_store_add_mentions(f->s, a5, "x", "y", NULL, 0, &err),
                   MW_OK);
}

/* A target's count by mention equals instr() over the texts. */
static void test_counts_match_instr(void **state) {
  struct fixture *f = *state;
  add(f, "长春市无废城市建设纪实", "全市推进。");
  add(f, "生态环境部部署", "奢岭街道开展垃圾分类，长春市双阳区。");
  add(f, "永昌街道开展宣传", "社区志愿者。");
  add(f, NULL, "永昌街道、奢岭街道联合行动。");
  add(f, "奢岭街道", NULL);
  add(f, "空", "");
  const char *sets[][2] = {{"永昌街道", NULL}, {"奢岭街道", NULL},
                           {"永昌街道", "奢岭街道"}, {"长春市", NULL},
                           {"双阳区", "无废城市"}, {"吉林市", NULL},
                           {"", NULL}};
  const int64_t want[] = {2, 3, 4, 2, 2, 0, 6};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    size_t n = sets[i][1] ? 2 : 1;
    struct mw_target_query q = {.from = T0, .to = T0 + 1000, .tier = -1,
                                .mentions = sets[i], .n_mentions = n};
    struct mw_err err = {0};
    int64_t got = -1;
    if (mw_store_target_count(f->s, &q, &got, &err)) fail_msg("%s", err.msg);
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM articles a WHERE"
             " instr(coalesce(a.title, ''), '%s') > 0 OR"
             " instr(coalesce(a.text, ''), '%s') > 0 OR"
             " instr(coalesce(a.title, ''), '%s') > 0 OR"
             " instr(coalesce(a.text, ''), '%s') > 0",
             sets[i][0], sets[i][0], sets[i][1] ? sets[i][1] : sets[i][0],
             sets[i][1] ? sets[i][1] : sets[i][0]);
    assert_int_equal(got, want[i]);
    assert_int_equal(tu_query_int(f->path, sql), want[i]);
  }
  /* A new article counts once indexed by the count itself. */
  add(f, "长春市", NULL);
  const char *cc[] = {"长春市"};
  struct mw_target_query q = {.from = T0, .to = T0 + 1000, .tier = -1,
                              .mentions = cc, .n_mentions = 1};
  struct mw_err err = {0};
  int64_t got = -1;
  assert_int_equal(mw_store_target_count(f->s, &q, &got, &err), MW_OK);
  assert_int_equal(got, 3);
}

static void test_config_terms(void **state) {
  (void)state;
  char *m1[] = {"长春市", "吉林市"}, *e1[] = {"吉林市", "四平市", "长春市"};
  struct mw_target_conf t[3] = {
      {.name = "a", .mentions = m1, .n_mentions = 2},
      {.name = "b"},
      {.name = "c", .each = e1, .n_each = 3}};
  struct mw_config cfg = {.targets = t, .n_targets = 3};
  const char **terms = NULL;
  size_t n = 9;
  struct mw_err err = {0};
  assert_int_equal(mw_store_config_mentions(&cfg, &terms, &n, &err), MW_OK);
  assert_int_equal(n, 3);
  assert_string_equal(terms[0], "长春市");
  assert_string_equal(terms[1], "吉林市");
  assert_string_equal(terms[2], "四平市");
  free(terms);
  cfg.n_targets = 0;
  assert_int_equal(mw_store_config_mentions(&cfg, &terms, &n, &err), MW_OK);
  assert_null(terms);
  assert_int_equal(n, 0);
}

static void test_errors(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  const char *missing[] = {"长春市", NULL};
  assert_int_equal(mw_store_index_mentions(f->s, missing, 2, &err),
                   MW_EINVAL);
  assert_non_null(strstr(err.msg, "missing"));
  char *long_term = malloc(MW_STORE_MENTION_MAX_LEN + 2);
  memset(long_term, 'a', MW_STORE_MENTION_MAX_LEN + 1);
  long_term[MW_STORE_MENTION_MAX_LEN + 1] = '\0';
  const char *too_long[] = {long_term};
  assert_int_equal(mw_store_index_mentions(f->s, too_long, 1, &err),
                   MW_EINVAL);
  assert_non_null(strstr(err.msg, "longer than 1024 bytes"));
  assert_int_equal(mw_store_add_mentions(f->s, 1, "a", "b", too_long, 1,
                                         &err), MW_EINVAL);
  free(long_term);
  const char *one[] = {"x"};
  assert_int_equal(mw_store_index_mentions(f->s, one,
                                           MW_STORE_MENTION_MAX_TERMS + 1,
                                           &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "more than 4096"));
  /* Nothing was written. */
  assert_int_equal(tu_query_int(f->path, "SELECT count(*) FROM mention_terms"),
                   0);
  /* An article that is not stored cannot be recorded. */
  assert_int_equal(mw_store_add_mentions(f->s, 999, "x", NULL, one, 1, &err),
                   MW_EDB);
}

/* A version 5 file with articles: migration 6 adds the index tables and
 * keeps every article; indexing works on it. */
static void test_migrates_v5_store(void **state) {
  struct fixture *f = *state;
  add(f, "长春市 一", "正文");
  add(f, "二", "吉林市");
  mw_store_close(f->s);
  f->s = NULL;
  tu_exec(f->path, TU_UNDO_V8 " DROP TABLE article_mentions; DROP TABLE mention_terms;"
                   " DROP TABLE web_sessions; DROP TABLE users;"
                   " DROP TABLE article_fts; DROP TABLE search_state;"
                   " DROP TABLE counters; PRAGMA user_version = 5;");
  struct mw_err err = {0};
  assert_int_equal(mw_store_open(f->path, &f->s, &err), MW_OK);
  assert_int_equal(tu_query_int(f->path, "PRAGMA user_version"),
                   mw_store_schema_version());
  assert_int_equal(tu_query_int(f->path, "SELECT count(*) FROM articles"), 2);
  assert_int_equal(
      tu_query_int(f->path, "SELECT count(*) FROM sqlite_schema WHERE type ="
                            " 'table' AND name IN ('article_mentions',"
                            " 'mention_terms')"),
      2);
  const char *terms[] = {"长春市", "吉林市"};
  index_ok(f, terms, 2);
  assert_int_equal(rows(f, "长春市"), 1);
  assert_int_equal(rows(f, "吉林市"), 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_index_from_scratch, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_index_incremental_and_late_term,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_index_empty_store, setup, teardown),
      cmocka_unit_test_setup_teardown(test_add_mentions_rules, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_counts_match_instr, setup,
                                      teardown),
      cmocka_unit_test(test_config_terms),
      cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_migrates_v5_store, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
