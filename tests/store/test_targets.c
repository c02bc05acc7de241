/* Tests store/targets.c: exact counts of a target on a known set, each
 * filter alone and together (outlets, tier, topics, mentions in the title
 * or the text), the period's edges (from in, to out), per story (a reprint
 * cluster once), mentions where ids and times are in different orders
 * (published early, stored late), and the errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store/store.h"
#include "tests/store/store_test_util.h"

/* 2023-05 in Asia/Shanghai: [05-01 00:00+08, 06-01 00:00+08). */
#define FROM INT64_C(1682870400)
#define TO INT64_C(1685548800)
#define H1 UINT64_C(0x0123456789abcdef)
#define H2 UINT64_C(0xfedcba9876543210)

struct fixture {
  char *dir, *path;
  struct tu_config tc;
  struct mw_store *s;
};

static void add(struct mw_store *s, int64_t src, const char *url,
                const char *title, const char *text, int64_t published,
                uint64_t hash, const char *topic) {
  struct mw_err err = {0};
  struct mw_article a = {.source_id = src, .url = url, .title = title,
                         .text = text, .published = published,
                         .fetched = published + 60, .simhash = hash,
                         .cluster_distance = 3};
  int64_t id;
  bool ins;
  if (mw_store_add_article(s, &a, &id, &ins, &err)) fail_msg("%s", err.msg);
  assert_true(ins);
  if (topic)
    assert_int_equal(mw_store_add_match(s, id, topic, NULL, &err), MW_OK);
}

static int setup(void **state) {
  struct fixture *f = calloc(1, sizeof *f);
  f->dir = tu_tmpdir();
  f->path = tu_path(f->dir, "mw.db");
  tu_config_three(&f->tc);
  f->s = tu_open_synced(f->path, &f->tc);
  int64_t ids[4];
  tu_source_ids(f->s, ids, 4);
  int64_t rm = ids[0], jl = ids[2], cc = ids[3];
  struct mw_err err = {0};
  assert_int_equal(mw_store_begin(f->s, &err), MW_OK);
  /* 人民日报 (central) */
  add(f->s, rm, "https://rm.cn/1", "长春市无废城市建设纪实", "全市推进。", FROM,
      H1, "无废城市");
  add(f->s, rm, "https://rm.cn/2", "生态环境部部署", "奢岭街道开展垃圾分类。",
      TO - 1, 0, "垃圾分类");
  add(f->s, rm, "https://rm.cn/3", "长春无废城市", "下月的稿件。", TO, 0,
      "无废城市");
  /* 吉林日报 (provincial): a reprint of rm/1 (same hash). */
  add(f->s, jl, "https://jl.cn/1", "长春市无废城市建设纪实", "全市推进。",
      FROM + 3600, H1, "无废城市");
  add(f->s, jl, "https://jl.cn/2", "永昌街道开展宣传", "社区志愿者。",
      FROM + 86400, H2, NULL);
  add(f->s, jl, "https://jl.cn/3", "上月稿件 永昌街道", "", FROM - 1, 0, NULL);
  /* 长春日报 (city) */
  add(f->s, cc, "https://cc.cn/1", "绿色出行", "永昌街道、奢岭街道联合行动。",
      FROM + 2 * 86400, 0, "无废城市");
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

static int64_t count(struct fixture *f, const struct mw_target_query *q) {
  struct mw_err err = {0};
  int64_t n = -1;
  if (mw_store_target_count(f->s, q, &n, &err)) fail_msg("%s", err.msg);
  return n;
}

static void test_all_in_period(void **state) {
  struct fixture *f = *state;
  struct mw_target_query q = {.from = FROM, .to = TO, .tier = -1};
  assert_int_equal(count(f, &q), 5);
  q.stories = true; /* rm/1 and jl/1 are one story */
  assert_int_equal(count(f, &q), 4);
  q.from = TO;
  q.to = TO;
  assert_int_equal(count(f, &q), 0);
}

static void test_outlets_and_tier(void **state) {
  struct fixture *f = *state;
  const char *outlets[] = {"人民日报", "长春日报"};
  struct mw_target_query q = {.from = FROM, .to = TO, .tier = -1,
                              .outlets = outlets, .n_outlets = 2};
  assert_int_equal(count(f, &q), 3);
  q.n_outlets = 1;
  assert_int_equal(count(f, &q), 2);
  q.n_outlets = 0;
  q.tier = MW_TIER_PROVINCIAL;
  assert_int_equal(count(f, &q), 2);
  q.outlets = outlets; /* provincial and 人民日报: none */
  q.n_outlets = 1;
  assert_int_equal(count(f, &q), 0);
}

static void test_topics(void **state) {
  struct fixture *f = *state;
  const char *topics[] = {"无废城市", "垃圾分类"};
  struct mw_target_query q = {.from = FROM, .to = TO, .tier = -1,
                              .topics = topics, .n_topics = 1};
  assert_int_equal(count(f, &q), 3);
  q.stories = true;
  assert_int_equal(count(f, &q), 2);
  q.stories = false;
  q.n_topics = 2;
  assert_int_equal(count(f, &q), 4);
  q.tier = MW_TIER_CENTRAL;
  assert_int_equal(count(f, &q), 2);
}

static void test_mentions_title_or_text(void **state) {
  struct fixture *f = *state;
  const char *m1[] = {"永昌街道"}, *m2[] = {"奢岭街道"},
             *both[] = {"永昌街道", "奢岭街道"}, *none[] = {"双阳区"};
  struct mw_target_query q = {.from = FROM, .to = TO, .tier = -1,
                              .mentions = m1, .n_mentions = 1};
  assert_int_equal(count(f, &q), 2); /* jl/2 title, cc/1 text; jl/3 before */
  q.mentions = m2;
  assert_int_equal(count(f, &q), 2); /* rm/2 text at TO - 1, cc/1 */
  q.mentions = both;
  q.n_mentions = 2;
  assert_int_equal(count(f, &q), 3);
  q.mentions = none;
  q.n_mentions = 1;
  assert_int_equal(count(f, &q), 0);
  /* A quote or percent sign is a value, not SQL or a pattern. */
  const char *odd[] = {"'%"};
  q.mentions = odd;
  assert_int_equal(count(f, &q), 0);
}

/* Mentions are counted from the period's id range (targets.c): articles
 * stored out of time order must count by time, never by id. */
static void test_mentions_ids_out_of_time_order(void **state) {
  struct fixture *f = *state;
  int64_t ids[4];
  tu_source_ids(f->s, ids, 4);
  int64_t rm = ids[0], jl = ids[2], cc = ids[3];
  struct mw_err err = {0};
  assert_int_equal(mw_store_begin(f->s, &err), MW_OK);
  /* Stored in this order (ids 8 to 11), published out of it: next month,
   * this month (after an article of next month), last month, this month. */
  add(f->s, cc, "https://cc.cn/8", "双阳区新闻", "下月。", TO + 10, 0, NULL);
  add(f->s, jl, "https://jl.cn/9", "双阳区 永昌街道", "补录的稿件。",
      FROM + 5 * 86400, 0, NULL);
  add(f->s, rm, "https://rm.cn/10", "双阳区往事", "上月。", FROM - 100, 0,
      NULL);
  add(f->s, cc, "https://cc.cn/11", "其他", "无。", FROM + 6 * 86400, 0, NULL);
  assert_int_equal(mw_store_commit(f->s, &err), MW_OK);
  const char *m[] = {"双阳区"}, *both[] = {"双阳区", "永昌街道"};
  struct mw_target_query q = {.from = FROM, .to = TO, .tier = -1,
                              .mentions = m, .n_mentions = 1};
  assert_int_equal(count(f, &q), 1); /* jl/9 only */
  q.stories = true;
  assert_int_equal(count(f, &q), 1);
  q.stories = false;
  /* jl/2, cc/1 and jl/9, which holds both terms and counts once. */
  q.mentions = both;
  q.n_mentions = 2;
  assert_int_equal(count(f, &q), 3);
  q.mentions = m;
  q.n_mentions = 1;
  /* The period before: ids 6 (jl/3) to 10, which takes in ids 8 and 9 of
   * other months; only rm/10 is of it. */
  q.from = FROM - 1000;
  q.to = FROM;
  assert_int_equal(count(f, &q), 1);
  q.to = TO + 1000; /* all three */
  assert_int_equal(count(f, &q), 3);
  q.tier = MW_TIER_CITY; /* cc/8 */
  assert_int_equal(count(f, &q), 1);
  q.tier = -1;
  q.from = TO; /* rm/3 (no mention) and cc/8 */
  assert_int_equal(count(f, &q), 1);
  q.from = TO + 100000; /* no article at all */
  q.to = TO + 200000;
  assert_int_equal(count(f, &q), 0);
}

static void test_errors(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  int64_t n = 7;
  struct mw_target_query q = {.from = TO, .to = FROM, .tier = -1};
  assert_int_equal(mw_store_target_count(f->s, &q, &n, &err), MW_EINVAL);
  assert_int_equal(n, 0);
  assert_non_null(strstr(err.msg, "before it starts"));
  const char *many[MW_STORE_TARGET_MAX_TERMS + 1];
  for (size_t i = 0; i <= MW_STORE_TARGET_MAX_TERMS; i++) many[i] = "x";
  q = (struct mw_target_query){.from = FROM, .to = TO, .tier = -1,
                               .mentions = many,
                               .n_mentions = MW_STORE_TARGET_MAX_TERMS + 1};
  assert_int_equal(mw_store_target_count(f->s, &q, &n, &err), MW_EINVAL);
  q.n_mentions = MW_STORE_TARGET_MAX_TERMS;
  assert_int_equal(mw_store_target_count(f->s, &q, &n, &err), MW_OK);
  assert_int_equal(n, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_all_in_period, setup, teardown),
      cmocka_unit_test_setup_teardown(test_outlets_and_tier, setup, teardown),
      cmocka_unit_test_setup_teardown(test_topics, setup, teardown),
      cmocka_unit_test_setup_teardown(test_mentions_title_or_text, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_mentions_ids_out_of_time_order,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
