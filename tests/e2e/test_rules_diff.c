/*
 * test_rules_diff.c: `mediawatch rules diff`: an edited config is tried on
 * a fixed archive built through the store API (11 articles of May 2026
 * with the matches current.yaml gives them, tests/data/e2e/rules_diff/):
 * exact counts per changed, added and removed topic, the examples newest
 * first, targets that change status or only count, and a database left
 * exactly as it was. Then the errors: a config that does not load, a rule
 * that does not compile, no database.
 *
 * What the edit does (new.yaml): 无废城市 gains 无废细胞 (+ articles 2, 3,
 * 11) and excludes 招聘 (- articles 4, 9): 4 → 5; 旧话题 is removed (-7,
 * -8): 2 → 0; 新话题 is added (+8, +10): 0 → 2; 垃圾分类 only has its
 * keywords reordered and is not evaluated. Targets as of 2026-05-20 (20 of
 * May's 31 days): 吉林日报 无废城市 min 2 goes 2 → 1 (达标 → 落后);
 * 长春日报 无废城市 min 10 goes 2 → 4 (落后 both); 垃圾分类 stays 1 of 1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "tests/e2e/e2e.h"

struct fixed_article {
  int outlet; /* 0 吉林日报, 1 长春日报 */
  int day;    /* of May 2026, 10:00 in Beijing */
  const char *title, *text;
  const char *topics[2]; /* what current.yaml matched */
};

/* Bodies from the seed documents (seeds 000 and 002) where they fit. */
/* clang-format off */
static const struct fixed_article archive[] = {
    {0, 2, "长春推进无废城市建设",
     "宣传党中央、国务院和省委、省政府关于“无废城市”建设的决策部署、政策措施、"
     "工作要求、会议精神，以及各地、各部门贯彻落实情况。",
     {"无废城市"}},
    {1, 3, "无废细胞创建活动启动",
     "各地积极开展无废细胞创建，推动形成节约适度、绿色低碳、文明健康的生产生活"
     "方式和消费模式。",
     {NULL}},
    {1, 4, "社区无废细胞建设观察",
     "社区组织居民参与无废细胞建设，大力营造全社会户户知晓、人人参与的良好氛围。",
     {NULL}},
    {0, 5, "无废城市项目招聘公告", "无废城市建设项目招聘工作人员若干名。",
     {"无废城市"}},
    {1, 6, "无废城市建设成效显著",
     "重点围绕工业、农业、生活、建筑、危险废物等领域固体废物减量化、资源化、无害化"
     "的工程项目、创新举措、特色亮点和长效机制，宣传各地、各部门落实全域“无废城市”"
     "建设的具体措施、进展成效、经验做法等。",
     {"无废城市"}},
    {1, 7, "垃圾分类进小区", "一是全面推行生活垃圾分类。", {"垃圾分类"}},
    {0, 8, "河长制工作推进会", "全面落实河长制，压实各级河长责任。", {"旧话题"}},
    {1, 9, "河长制巡河", "河长制巡河守护生态环境。", {"旧话题"}},
    {1, 10, "无废城市招聘会举行", "无废城市招聘会吸引求职者。", {"无废城市"}},
    {0, 11, "生态环境保护大会", "大会部署生态环境保护重点任务。", {NULL}},
    {1, 12, "无废细胞示范单位名单", "公布首批无废细胞示范单位名单。", {NULL}},
};
/* clang-format on */

/* Writes the archive into db through the store API: the two outlets of
 * current.yaml, then the articles and their matches. */
static void build_archive(const char *db) {
  struct mw_source_conf src[2] = {
      {.url = "http://127.0.0.1:18931/jilinribao/atom.xml",
       .kind = MW_SOURCE_FEED,
       .poll_interval_s = 900},
      {.url = "http://127.0.0.1:18931/ccrb/rss.xml",
       .kind = MW_SOURCE_FEED,
       .poll_interval_s = 900},
  };
  struct mw_outlet_conf outlets[2] = {
      {.name = "吉林日报",
       .tier = MW_TIER_PROVINCIAL,
       .region = "吉林省",
       .media = -1,
       .sources = &src[0],
       .n_sources = 1},
      {.name = "长春日报",
       .tier = MW_TIER_CITY,
       .region = "吉林省长春市",
       .media = -1,
       .sources = &src[1],
       .n_sources = 1},
  };
  struct mw_config cfg = {.outlets = outlets, .n_outlets = 2};
  struct mw_err err = {0};
  struct mw_store *st = NULL;
  if (mw_store_open(db, &st, &err)) fail_msg("%s", err.msg);
  if (mw_store_sync_config(st, &cfg, &err)) fail_msg("%s", err.msg);
  struct mw_source_state *s = NULL;
  size_t n = 0;
  if (mw_store_list_sources(st, &s, &n, &err)) fail_msg("%s", err.msg);
  assert_int_equal(n, 2);
  int64_t source_of[2];
  for (size_t i = 0; i < n; i++)
    source_of[strcmp(s[i].outlet_name, "吉林日报") ? 1 : 0] = s[i].id;
  mw_store_sources_free(s, n);
  for (size_t i = 0; i < sizeof archive / sizeof archive[0]; i++) {
    const struct fixed_article *f = &archive[i];
    char url[128];
    snprintf(url, sizeof url, "http://example.gov.cn/news/%zu.html", i + 1);
    struct mw_article a = {
        .source_id = source_of[f->outlet],
        .url = url,
        .title = f->title,
        .text = f->text,
        .published = mw_time_from_civil(2026, 5, f->day, 10, 0, 0, 8 * 3600),
        .fetched = mw_time_from_civil(2026, 5, f->day, 11, 0, 0, 8 * 3600),
    };
    int64_t id;
    bool inserted;
    if (mw_store_add_article(st, &a, &id, &inserted, &err))
      fail_msg("%s", err.msg);
    assert_true(inserted);
    assert_int_equal(id, (int64_t)i + 1);
    if (f->topics[0] &&
        mw_store_add_match(st, id, f->topics[0], f->topics[0], &err))
      fail_msg("%s", err.msg);
  }
  mw_store_close(st);
}

/* A checksum (FNV-1a) of every row of every table but the planner's
 * statistics (PRAGMA optimize may refresh those on close), and the number
 * of matches: what the command must leave as it found. */
static uint64_t db_digest(const char *db, int64_t *matches) {
  sqlite3 *h = NULL;
  assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL),
                   SQLITE_OK);
  sqlite3_stmt *tables = NULL, *rows = NULL;
  assert_int_equal(
      sqlite3_prepare_v2(h,
                         "SELECT name FROM sqlite_master WHERE type = 'table' "
                         "AND name NOT LIKE 'sqlite_%' ORDER BY name",
                         -1, &tables, NULL),
      SQLITE_OK);
  uint64_t x = 14695981039346656037ull;
  while (sqlite3_step(tables) == SQLITE_ROW) {
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"",
             (const char *)sqlite3_column_text(tables, 0));
    /* FTS5 shadow tables and virtual tables read like any other. */
    if (sqlite3_prepare_v2(h, sql, -1, &rows, NULL) != SQLITE_OK) continue;
    while (sqlite3_step(rows) == SQLITE_ROW)
      for (int c = 0; c < sqlite3_column_count(rows); c++) {
        const unsigned char *v = sqlite3_column_blob(rows, c);
        int len = sqlite3_column_bytes(rows, c);
        for (int k = 0; k < len; k++) x = (x ^ v[k]) * 1099511628211ull;
        x = (x ^ 0xff) * 1099511628211ull;
      }
    sqlite3_finalize(rows);
  }
  sqlite3_finalize(tables);
  assert_int_equal(
      sqlite3_prepare_v2(h, "SELECT count(*) FROM matches", -1, &rows, NULL),
      SQLITE_OK);
  assert_int_equal(sqlite3_step(rows), SQLITE_ROW);
  *matches = sqlite3_column_int64(rows, 0);
  sqlite3_finalize(rows);
  sqlite3_close(h);
  return x;
}

struct fixture {
  struct e2e_scratch d;
  char dir[1024], cur[1024], next[1024], bad[1024], badrule[1024], db[1024];
};

static void setup_dir(struct fixture *f, const char *name, bool with_db) {
  e2e_scratch_new(&f->d, name);
  char data[1024];
  e2e_data("e2e/rules_diff", data, sizeof data);
  e2e_path(&f->d, "cfg", f->dir, sizeof f->dir);
  e2e_copy_tree(data, f->dir);
  e2e_path(&f->d, "cfg/current.yaml", f->cur, sizeof f->cur);
  e2e_path(&f->d, "cfg/new.yaml", f->next, sizeof f->next);
  e2e_path(&f->d, "cfg/bad.yaml", f->bad, sizeof f->bad);
  e2e_path(&f->d, "cfg/badrule.yaml", f->badrule, sizeof f->badrule);
  e2e_path(&f->d, "cfg/mw.db", f->db, sizeof f->db);
  if (with_db) build_archive(f->db);
}

static const char expected_text[] =
    "topic 新话题 (added): 0 → 2 (+2, -0)\n"
    "  + 2026-05-11 吉林日报 《生态环境保护大会》 "
    "http://example.gov.cn/news/10.html\n"
    "  + 2026-05-09 长春日报 《河长制巡河》 http://example.gov.cn/news/8.html\n"
    "topic 无废城市: 4 → 5 (+3, -2)\n"
    "  + 2026-05-12 长春日报 《无废细胞示范单位名单》 "
    "http://example.gov.cn/news/11.html\n"
    "  + 2026-05-04 长春日报 《社区无废细胞建设观察》 "
    "http://example.gov.cn/news/3.html\n"
    "  + 2026-05-03 长春日报 《无废细胞创建活动启动》 "
    "http://example.gov.cn/news/2.html\n"
    "  - 2026-05-10 长春日报 《无废城市招聘会举行》 "
    "http://example.gov.cn/news/9.html\n"
    "  - 2026-05-05 吉林日报 《无废城市项目招聘公告》 "
    "http://example.gov.cn/news/4.html\n"
    "topic 旧话题 (removed): 2 → 0 (+0, -2)\n"
    "  - 2026-05-09 长春日报 《河长制巡河》 http://example.gov.cn/news/8.html\n"
    "  - 2026-05-08 吉林日报 《河长制工作推进会》 "
    "http://example.gov.cn/news/7.html\n"
    "targets:\n"
    "  吉林日报每月无废城市报道: 达标 → 落后 (2 → 1 of 2)\n"
    "  长春日报每月无废城市报道: 落后 (2 → 4 of 10)\n"
    "  新话题每月报道 (added): 达标 (2 of 1)\n"
    "  旧话题每月报道 (removed): 落后 (2 of 5)\n";

static void test_diff_text(void **state) {
  (void)state;
  struct fixture f;
  setup_dir(&f, "rules_diff", true);
  int64_t m0, m1;
  uint64_t before = db_digest(f.db, &m0);
  assert_int_equal(m0, 7);
  char *err = NULL;
  char *out = e2e_run_config(f.next, 0, &err, "rules", "diff", "--current",
                             f.cur, "--as-of", "2026-05-20", NULL);
  assert_string_equal(out, expected_text);
  assert_string_equal(err, "");
  free(out);
  free(err);
  /* Nothing was written: every row of every table is as it was. */
  uint64_t after = db_digest(f.db, &m1);
  assert_int_equal(m1, 7);
  assert_true(before == after);

  /* --examples 1 keeps the newest of each; --since leaves out the earlier
   * articles (from 2026-05-09 on: +11, -9 for 无废城市; +8, +10; -8). */
  out = e2e_run_config(f.next, 0, NULL, "rules", "diff", "--current", f.cur,
                       "--as-of", "2026-05-20", "--examples", "1", "--since",
                       "2026-05-09", NULL);
  e2e_expect_in(out,
                "topic 无废城市: 1 → 1 (+1, -1)\n"
                "  + 2026-05-12 长春日报 《无废细胞示范单位名单》 "
                "http://example.gov.cn/news/11.html\n"
                "  - 2026-05-10 长春日报 《无废城市招聘会举行》 "
                "http://example.gov.cn/news/9.html\n"
                "topic 旧话题 (removed): 1 → 0 (+0, -1)\n");
  e2e_expect_in(out,
                "topic 新话题 (added): 0 → 2 (+2, -0)\n"
                "  + 2026-05-11 吉林日报 《生态环境保护大会》 ");
  /* Articles before 05-09 keep their matches: 吉林日报 still has 1 and 4,
   * 长春日报 trades 9 for 11; neither target changes. */
  assert_null(strstr(out, "无废城市报道"));
  e2e_expect_in(out, "  新话题每月报道 (added): 达标 (2 of 1)\n");
  free(out);
  assert_true(db_digest(f.db, &m1) == before);

  /* The same config on both sides: nothing to evaluate. */
  out =
      e2e_run_config(f.cur, 0, NULL, "rules", "diff", "--current", f.cur, NULL);
  e2e_expect_in(out, "no topic differs between");
  e2e_expect_in(out, "nothing to evaluate");
  free(out);
  e2e_scratch_free(&f.d);
}

static const json_t *topic_named(const json_t *topics, const char *name) {
  size_t i;
  const json_t *t;
  json_array_foreach(topics, i, t) {
    if (!strcmp(json_string_value(json_object_get(t, "name")), name)) return t;
  }
  fail_msg("no topic %s", name);
  return NULL;
}

static void test_diff_json(void **state) {
  (void)state;
  struct fixture f;
  setup_dir(&f, "rules_diff_json", true);
  json_t *j =
      e2e_json(e2e_run_config(f.next, 0, NULL, "rules", "diff", "--current",
                              f.cur, "--as-of", "2026-05-20", "--json", NULL));
  assert_int_equal(json_integer_value(json_object_get(j, "articles")), 11);
  const json_t *topics = json_object_get(j, "topics");
  assert_int_equal(json_array_size(topics), 3);
  const json_t *t = topic_named(topics, "无废城市");
  assert_string_equal(json_string_value(json_object_get(t, "change")),
                      "changed");
  assert_int_equal(json_integer_value(json_object_get(t, "before")), 4);
  assert_int_equal(json_integer_value(json_object_get(t, "after")), 5);
  assert_int_equal(json_integer_value(json_object_get(t, "added")), 3);
  assert_int_equal(json_integer_value(json_object_get(t, "removed")), 2);
  const json_t *ex = json_array_get(json_object_get(t, "examples_added"), 0);
  assert_string_equal(json_string_value(json_object_get(ex, "title")),
                      "无废细胞示范单位名单");
  assert_string_equal(json_string_value(json_object_get(ex, "date")),
                      "2026-05-12");
  assert_string_equal(json_string_value(json_object_get(ex, "outlet")),
                      "长春日报");
  t = topic_named(topics, "旧话题");
  assert_string_equal(json_string_value(json_object_get(t, "change")),
                      "removed");
  assert_int_equal(json_integer_value(json_object_get(t, "removed")), 2);
  t = topic_named(topics, "新话题");
  assert_string_equal(json_string_value(json_object_get(t, "change")), "added");
  assert_int_equal(json_integer_value(json_object_get(t, "after")), 2);
  const json_t *targets = json_object_get(j, "targets");
  assert_int_equal(json_array_size(targets), 4);
  const json_t *g = json_array_get(targets, 0);
  assert_string_equal(json_string_value(json_object_get(g, "name")),
                      "吉林日报每月无废城市报道");
  assert_string_equal(json_string_value(json_object_get(g, "change")),
                      "status");
  const json_t *b = json_object_get(g, "before"),
               *a = json_object_get(g, "after");
  assert_string_equal(json_string_value(json_object_get(b, "status")), "met");
  assert_string_equal(json_string_value(json_object_get(a, "status")),
                      "behind");
  assert_int_equal(json_integer_value(json_object_get(a, "count")), 1);
  g = json_array_get(targets, 1);
  assert_string_equal(json_string_value(json_object_get(g, "change")), "count");
  g = json_array_get(targets, 3);
  assert_string_equal(json_string_value(json_object_get(g, "change")),
                      "removed");
  assert_true(json_is_null(json_object_get(g, "after")));
  json_decref(j);
  e2e_scratch_free(&f.d);
}

static void test_errors(void **state) {
  (void)state;
  struct fixture f;
  setup_dir(&f, "rules_diff_err", true);
  int64_t m;
  uint64_t before = db_digest(f.db, &m);

  /* A new config that does not load: its FILE:LINE, exit 2. */
  char *err = NULL;
  char *out =
      e2e_run_config(f.bad, 2, &err, "rules", "diff", "--current", f.cur, NULL);
  char where[1100];
  snprintf(where, sizeof where, "%s:27", f.bad);
  e2e_expect_in(err, where);
  e2e_expect_in(err, "colour");
  assert_string_equal(out, "");
  free(out);
  free(err);

  /* A rule that does not compile: said where, that topic is left out,
   * the others are still evaluated. */
  out = e2e_run_config(f.badrule, 0, &err, "rules", "diff", "--current", f.cur,
                       "--as-of", "2026-05-20", NULL);
  snprintf(where, sizeof where, "mediawatch: warning: %s:25:", f.badrule);
  e2e_expect_in(err, where);
  e2e_expect_in(out,
                "topic 无废城市: not evaluated, its rule does not "
                "compile in ");
  e2e_expect_in(out, "topic 新话题 (added): 0 → 2 (+2, -0)\n");
  e2e_expect_in(out, "topic 旧话题 (removed): 2 → 0 (+0, -2)\n");
  /* 无废城市's stored matches stand, so its targets keep their counts. */
  assert_null(strstr(out, "无废城市报道"));
  free(out);
  free(err);

  /* Bad options. */
  const char *no_new[] = {"rules", "diff", "--current", f.cur, NULL};
  assert_int_equal(e2e_run(NULL, &err, no_new), 2);
  e2e_expect_in(err, "--config NEW.yaml");
  free(err);
  out = e2e_run_config(f.next, 2, &err, "rules", "diff", "--current", f.cur,
                       "--since", "yesterday", NULL);
  e2e_expect_in(err, "--since: 'yesterday' is not a date");
  free(out);
  free(err);
  const char *unknown[] = {"rules", "undo", NULL};
  assert_int_equal(e2e_run(NULL, &err, unknown), 2);
  e2e_expect_in(err, "rules: unknown command 'undo'");
  free(err);
  assert_true(db_digest(f.db, &m) == before);
  e2e_scratch_free(&f.d);

  /* No database yet: exit 1, saying which. */
  setup_dir(&f, "rules_diff_nodb", false);
  out = e2e_run_config(f.next, 1, &err, "rules", "diff", "--current", f.cur,
                       NULL);
  e2e_expect_in(err, "no database at");
  e2e_expect_in(err, "mw.db");
  free(out);
  free(err);
  e2e_scratch_free(&f.d);
}

static void test_help(void **state) {
  (void)state;
  char *out = NULL;
  const char *rules[] = {"rules", "--help", NULL};
  assert_int_equal(e2e_run(&out, NULL, rules), 0);
  e2e_expect_in(out, "diff");
  free(out);
  const char *diff[] = {"rules", "diff", "--help", NULL};
  assert_int_equal(e2e_run(&out, NULL, diff), 0);
  e2e_expect_in(out, "--current FILE");
  e2e_expect_in(out, "The database is the current config's");
  free(out);
  const char *top[] = {"--help", NULL};
  assert_int_equal(e2e_run(&out, NULL, top), 0);
  e2e_expect_in(out, "  rules ");
  free(out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_diff_text),
      cmocka_unit_test(test_diff_json),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_help),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
