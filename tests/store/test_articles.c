/* Tests store/articles.c: dedup by URL, the publishing outlet, unknown
 * publication times, idempotent matches, and the errors. */
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

struct fixture {
  char *dir, *path;
  struct tu_config tc;
  struct mw_store *s;
  int64_t env_src, jl_src;
};

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
  f->env_src = src[0].id;
  f->jl_src = src[2].id;
  mw_store_sources_free(src, n);
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

/* From seeds/001: the bulletin's item on the lecture. */
static const char BODY[] =
    "4月17日，省全域“无废城市”建设工作推进组办公室邀请生态环境部固体废物"
    "与化学品司温雪峰副司长，在省生态环境厅就“如何做好无废城市建设工作”"
    "举办专题讲座。";

static void test_article_dedup_by_url(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  struct mw_article a = {.source_id = f->env_src,
                         .url = "https://www.people.com.cn/n1/2023/0508/"
                                "c1001-40000001.html",
                         .guid = "40000001", .title = "吉林全域推进无废城市建设",
                         .author = "张三", .origin = "吉林日报", .text = BODY,
                         .published = 1683511200, .fetched = 1683512000};
  int64_t id1 = 0, id2 = 0;
  bool ins = false;
  assert_int_equal(mw_store_add_article(f->s, &a, &id1, &ins, &err), MW_OK);
  assert_true(ins);
  assert_true(id1 > 0);
  /* Same URL again, from another source with other fields: same id. */
  struct mw_article b = a;
  b.source_id = f->jl_src;
  b.title = "another title";
  ins = true;
  assert_int_equal(mw_store_add_article(f->s, &b, &id2, &ins, &err), MW_OK);
  assert_false(ins);
  assert_int_equal(id2, id1);
  int64_t n = 0;
  assert_int_equal(mw_store_count_articles(f->s, &n, &err), MW_OK);
  assert_int_equal(n, 1);
  char sql[256];
  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM articles WHERE id = %lld AND title = "
           "'吉林全域推进无废城市建设' AND origin = '吉林日报' AND author = "
           "'张三' AND guid = '40000001' AND published = 1683511200 AND "
           "fetched = 1683512000 AND counted_at = 1683511200",
           (long long)id1);
  assert_int_equal(tu_query_int(f->path, sql), 1);
  snprintf(sql, sizeof sql, "SELECT length(text) FROM articles WHERE id = %lld",
           (long long)id1);
  /* sqlite's length() counts characters: the body survives whole. */
  assert_int_equal(tu_query_int(f->path, sql), 77);

  /* Another URL is another article. */
  b.url = "https://www.people.com.cn/n1/2023/0508/c1001-40000002.html";
  assert_int_equal(mw_store_add_article(f->s, &b, &id2, &ins, &err), MW_OK);
  assert_true(ins);
  assert_true(id2 != id1);
  assert_int_equal(mw_store_count_articles(f->s, &n, &err), MW_OK);
  assert_int_equal(n, 2);
}

static void test_article_outlet_from_source(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  struct mw_article a = {.source_id = f->jl_src,
                         .url = "http://jlrb.jlntv.cn/szb/2023/0508/1.html",
                         .published = 1683511200, .fetched = 1683512000};
  int64_t id;
  bool ins;
  assert_int_equal(mw_store_add_article(f->s, &a, &id, &ins, &err), MW_OK);
  char sql[200];
  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM articles a JOIN outlets o ON o.id = "
           "a.outlet_id WHERE a.id = %lld AND o.name = '吉林日报'",
           (long long)id);
  assert_int_equal(tu_query_int(f->path, sql), 1);
}

static void test_article_unknown_published(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  struct mw_article a = {.source_id = f->env_src,
                         .url = "https://www.people.com.cn/undated.html",
                         .published = MW_TIME_UNKNOWN, .fetched = 1683600000};
  int64_t id;
  bool ins;
  assert_int_equal(mw_store_add_article(f->s, &a, &id, &ins, &err), MW_OK);
  assert_int_equal(
      tu_query_int(f->path, "SELECT count(*) FROM articles WHERE published "
                            "IS NULL AND counted_at = 1683600000 AND title IS "
                            "NULL AND text IS NULL"),
      1);
}

static void test_article_errors(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  int64_t id = -7;
  bool ins = true;
  struct mw_article a = {.source_id = 999, .url = "https://x.example/1",
                         .published = 1, .fetched = 1};
  assert_int_equal(mw_store_add_article(f->s, &a, &id, &ins, &err),
                   MW_ENOTFOUND);
  assert_false(ins);
  assert_non_null(strstr(err.msg, "999"));
  a.source_id = f->env_src;
  a.url = NULL;
  assert_int_equal(mw_store_add_article(f->s, &a, &id, &ins, &err), MW_EINVAL);
  a.url = "";
  assert_int_equal(mw_store_add_article(f->s, &a, &id, &ins, &err), MW_EINVAL);
  assert_int_equal(tu_query_int(f->path, "SELECT count(*) FROM articles"), 0);
}

static void test_match_idempotent(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  struct mw_article a = {.source_id = f->env_src,
                         .url = "https://www.people.com.cn/m.html",
                         .published = 1, .fetched = 2};
  int64_t id;
  bool ins;
  assert_int_equal(mw_store_add_article(f->s, &a, &id, &ins, &err), MW_OK);
  for (int i = 0; i < 3; i++)
    assert_int_equal(mw_store_add_match(f->s, id, "无废城市", "无废城市", &err),
                     MW_OK);
  assert_int_equal(
      mw_store_add_match(f->s, id, "无废城市", "无废城市,无废细胞", &err), MW_OK);
  assert_int_equal(mw_store_add_match(f->s, id, "垃圾分类", NULL, &err), MW_OK);
  assert_int_equal(tu_query_int(f->path, "SELECT count(*) FROM matches"), 2);
  /* The latest terms win: re-matching after a rule change updates them. */
  assert_int_equal(
      tu_query_int(f->path, "SELECT count(*) FROM matches WHERE topic = "
                            "'无废城市' AND terms = '无废城市,无废细胞'"),
      1);

  assert_int_equal(mw_store_add_match(f->s, id + 100, "无废城市", "x", &err),
                   MW_ENOTFOUND);
  assert_non_null(strstr(err.msg, "no article"));
  assert_int_equal(mw_store_add_match(f->s, id, NULL, "x", &err), MW_EINVAL);
  assert_int_equal(mw_store_add_match(f->s, id, "", "x", &err), MW_EINVAL);
  assert_int_equal(tu_query_int(f->path, "SELECT count(*) FROM matches"), 2);

  /* One topic forgotten, the other kept; forgetting what is not there is
   * nothing (rules diff tries verdicts this way). */
  assert_int_equal(mw_store_remove_match(f->s, id, "无废城市", &err), MW_OK);
  assert_int_equal(mw_store_remove_match(f->s, id, "无废城市", &err), MW_OK);
  assert_int_equal(mw_store_remove_match(f->s, id + 100, "垃圾分类", &err),
                   MW_OK);
  assert_int_equal(tu_query_int(f->path, "SELECT count(*) FROM matches"), 1);
  assert_int_equal(tu_query_int(f->path, "SELECT count(*) FROM matches WHERE "
                                         "topic = '垃圾分类'"),
                   1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_article_dedup_by_url, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_article_outlet_from_source, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_article_unknown_published, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_article_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_match_idempotent, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
