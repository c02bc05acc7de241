/* Tests store/search.c: indexing in batches up to the watermark, words of
 * three characters and more through the trigram index, shorter ones
 * (污染) by instr, FTS5 syntax taken literally, marks, filters, paging,
 * the count cap, and the errors of a bad query. Texts are from the seed
 * documents (吉林省“无废城市” work bulletins). */
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

#define H INT64_C(3600)
#define T INT64_C(1683511200) /* 2023-05-08 10:00 +08 */
#define O MW_SEARCH_MARK_OPEN
#define C MW_SEARCH_MARK_CLOSE

static const char S1[] =
    "为忠实践行习近平生态文明思想，贯彻落实《中共中央国务院关于深入打好污染防治"
    "攻坚战的意见》，加快推进全域“无废城市”建设，经省领导同意，成立了吉林省全域"
    "“无废城市”建设工作推进组。";
static const char S2[] =
    "开展“无废城市”建设是党中央、国务院作出的重大决策部署，是贯彻落实习近平生态"
    "文明思想的具体行动，是深入打好污染防治攻坚战、推动高质量发展的有力抓手。";
static const char S3[] =
    "重点围绕绿色出行、光盘行动、垃圾分类、废物利用、减塑禁塑等方面内容开展公益"
    "宣传。";
static const char S4[] =
    "2021年是“十四五”开局之年，是深入打好污染防治攻坚战的启动之年。";

struct fixture {
  struct tu_store t;
  int64_t id[6]; /* article ids, [1]..[5] */
};

static int64_t add(struct fixture *f, int64_t src, const char *url,
                   const char *title, const char *text, int64_t published) {
  struct mw_article a = {.source_id = src,
                         .url = url,
                         .title = title,
                         .text = text,
                         .published = published,
                         .fetched = T + 100 * H};
  int64_t id;
  bool inserted;
  struct mw_err err = {0};
  if (mw_store_add_article(f->t.s, &a, &id, &inserted, &err))
    fail_msg("add: %s", err.msg);
  assert_true(inserted);
  return id;
}

static int setup(void **state) {
  struct fixture *f = calloc(1, sizeof *f);
  tu_store_open(&f->t);
  struct mw_err err = {0};
  f->id[1] = add(f, f->t.jl, "https://a/1",
                 "吉林省成立全域“无废城市”建设工作推进组", S1, T + 1 * H);
  f->id[2] =
      add(f, f->t.env, "https://a/2", "深入打好污染防治攻坚战", S2, T + 2 * H);
  f->id[3] =
      add(f, f->t.cc, "https://a/3", "长春市垃圾分类宣传", S3, T + 3 * H);
  f->id[4] =
      add(f, f->t.pol, "https://a/4", "Operators AND \"quotes\" NEAR( star*",
          "a\"b AND NEAR(x y) c* 十四五 end", T + 4 * H);
  f->id[5] = add(f, f->t.cc, "https://a/5", "启动之年", S4, T + 5 * H);
  assert_int_equal(
      mw_store_add_match(f->t.s, f->id[1], "无废城市", "无废城市", &err),
      MW_OK);
  assert_int_equal(
      mw_store_add_match(f->t.s, f->id[2], "无废城市", "无废城市", &err),
      MW_OK);
  assert_int_equal(mw_store_add_match(f->t.s, f->id[2], "攻坚", "攻坚战", &err),
                   MW_OK);
  assert_int_equal(
      mw_store_add_match(f->t.s, f->id[3], "垃圾分类", "垃圾分类", &err),
      MW_OK);
  assert_int_equal(mw_store_article_set_sensitivity(f->t.s, f->id[2], 3.0, 2,
                                                    "吉林省吉林市", &err),
                   MW_OK);
  *state = f;
  return 0;
}

static int setup_indexed(void **state) {
  setup(state);
  struct fixture *f = *state;
  struct mw_err err = {0};
  size_t n;
  assert_int_equal(mw_store_search_index(f->t.s, 100, &n, &err), MW_OK);
  assert_int_equal(n, 5);
  return 0;
}

static int teardown(void **state) {
  struct fixture *f = *state;
  tu_store_close(&f->t);
  free(f);
  return 0;
}

/* Runs q and checks the ids of the hits, newest first, and the total. */
static void expect(struct fixture *f, const struct mw_search_query *q,
                   int64_t total, bool capped, size_t n, ...) {
  struct mw_search_result r;
  struct mw_err err = {0};
  if (mw_store_search(f->t.s, q, &r, &err))
    fail_msg("search '%s': %s", q->q, err.msg);
  if (r.n != n) fail_msg("search '%s': %zu hits, expected %zu", q->q, r.n, n);
  va_list ap;
  va_start(ap, n);
  for (size_t i = 0; i < n; i++) {
    int k = va_arg(ap, int);
    if (r.hits[i].id != f->id[k])
      fail_msg("search '%s': hit %zu is %lld, expected article %d", q->q, i,
               (long long)r.hits[i].id, k);
  }
  va_end(ap);
  assert_int_equal(r.total, total);
  assert_int_equal(r.total_capped, capped);
  mw_search_result_cleanup(&r);
}

static void test_index_batches(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  int64_t pending;
  assert_int_equal(mw_store_search_pending(f->t.s, &pending, &err), MW_OK);
  assert_int_equal(pending, 5);
  /* Not indexed yet: the trigram index finds nothing... */
  expect(f, &(struct mw_search_query){.q = "无废城市"}, 0, false, 0);
  /* ...short words scan the articles themselves. */
  expect(f, &(struct mw_search_query){.q = "污染"}, 3, false, 3, 5, 2, 1);

  size_t n = 99;
  assert_int_equal(mw_store_search_index(f->t.s, 2, &n, &err), MW_OK);
  assert_int_equal(n, 2);
  assert_int_equal(mw_store_search_pending(f->t.s, &pending, &err), MW_OK);
  assert_int_equal(pending, 3);
  expect(f, &(struct mw_search_query){.q = "无废城市"}, 2, false, 2, 2, 1);
  /* Inside a caller's batch too. */
  assert_int_equal(mw_store_begin(f->t.s, &err), MW_OK);
  assert_int_equal(mw_store_search_index(f->t.s, 100, &n, &err), MW_OK);
  assert_int_equal(mw_store_commit(f->t.s, &err), MW_OK);
  assert_int_equal(n, 3);
  assert_int_equal(mw_store_search_index(f->t.s, 100, &n, &err), MW_OK);
  assert_int_equal(n, 0);
  assert_int_equal(mw_store_search_index(f->t.s, 0, NULL, &err), MW_OK);
  assert_int_equal(mw_store_search_pending(f->t.s, &pending, &err), MW_OK);
  assert_int_equal(pending, 0);
  assert_int_equal(
      tu_query_int(f->t.path, "SELECT indexed_through FROM search_state"),
      f->id[5]);
  /* A new article is pending until the next batch. */
  add(f, f->t.jl, "https://a/6", "新的“无废城市”简报", S2, T + 6 * H);
  assert_int_equal(mw_store_search_pending(f->t.s, &pending, &err), MW_OK);
  assert_int_equal(pending, 1);
  expect(f, &(struct mw_search_query){.q = "无废城市"}, 2, false, 2, 2, 1);
  assert_int_equal(mw_store_search_index(f->t.s, 10, &n, &err), MW_OK);
  assert_int_equal(n, 1);
  struct mw_search_result r;
  assert_int_equal(
      mw_store_search(f->t.s, &(struct mw_search_query){.q = "无废城市"}, &r,
                      &err),
      MW_OK);
  assert_int_equal(r.n, 3);
  assert_int_equal(r.hits[0].id, f->id[5] + 1);
  mw_search_result_cleanup(&r);
}

static void test_long_words_and_marks(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  struct mw_search_result r;
  assert_int_equal(
      mw_store_search(f->t.s, &(struct mw_search_query){.q = "无废城市"}, &r,
                      &err),
      MW_OK);
  assert_int_equal(r.n, 2);
  assert_int_equal(r.total, 2);
  assert_false(r.total_capped);
  struct mw_search_hit *h = &r.hits[1]; /* article 1, 吉林日报 */
  assert_int_equal(h->id, f->id[1]);
  assert_string_equal(h->title, "吉林省成立全域“无废城市”建设工作推进组");
  assert_string_equal(h->title_marked,
                      "吉林省成立全域“" O "无废城市" C "”建设工作推进组");
  assert_non_null(strstr(h->snippet, O "无废城市" C));
  assert_string_equal(h->url, "https://a/1");
  assert_string_equal(h->outlet, "吉林日报");
  assert_int_equal(h->tier, MW_TIER_PROVINCIAL);
  assert_string_equal(h->region, "吉林省");
  assert_string_equal(h->topics, "无废城市");
  assert_int_equal(h->published, T + 1 * H);
  assert_int_equal(h->counted_at, T + 1 * H);
  h = &r.hits[0]; /* article 2, 人民日报, 属地 recorded */
  assert_string_equal(h->outlet, "人民日报");
  assert_int_equal(h->tier, MW_TIER_CENTRAL);
  assert_string_equal(h->region, "吉林省吉林市");
  assert_string_equal(h->topics, "攻坚,无废城市");
  assert_string_equal(h->title_marked, "深入打好污染防治攻坚战");
  mw_search_result_cleanup(&r);

  /* Two long words: both must appear. */
  expect(f, &(struct mw_search_query){.q = "无废城市 推进组"}, 1, false, 1, 1);
  expect(f, &(struct mw_search_query){.q = "攻坚战"}, 3, false, 3, 5, 2, 1);
  expect(f, &(struct mw_search_query){.q = "不存在的词"}, 0, false, 0);
  /* The ideographic space separates words as well. */
  expect(f, &(struct mw_search_query){.q = "无废城市\xe3\x80\x80推进组"}, 1,
         false, 1, 1);
}

static void test_short_words(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  struct mw_search_result r;
  /* 污染: two characters, below a trigram. */
  assert_int_equal(
      mw_store_search(f->t.s, &(struct mw_search_query){.q = "污染"}, &r, &err),
      MW_OK);
  assert_int_equal(r.n, 3);
  assert_int_equal(r.total, 3);
  assert_false(r.total_capped); /* 5 articles: the scan saw them all */
  assert_int_equal(r.hits[0].id, f->id[5]);
  assert_int_equal(r.hits[1].id, f->id[2]);
  assert_int_equal(r.hits[2].id, f->id[1]);
  assert_string_equal(r.hits[1].title_marked,
                      "深入打好" O "污染" C "防治攻坚战");
  /* 污染 is 21 characters into S4: cut 16 before it, the end is whole. */
  assert_string_equal(r.hits[0].snippet, "…是“十四五”开局之年，是深入打好" O
                                         "污染" C "防治攻坚战的启动之年。");
  /* S1's first 污染 is 34 characters in: 16 before it, 64 in all. */
  assert_string_equal(
      r.hits[2].snippet,
      "…落实《中共中央国务院关于深入打好" O "污染" C
      "防治攻坚战的意见》，加快推进全域“无废城市”建设，经省领导同意，"
      "成立了吉林省全域“无废城市”…");
  mw_search_result_cleanup(&r);

  /* A long word and a short one: the trigram index, then instr; FTS5
   * marks the long word, the short one is marked as well. */
  assert_int_equal(
      mw_store_search(f->t.s, &(struct mw_search_query){.q = "污染 无废城市"},
                      &r, &err),
      MW_OK);
  assert_int_equal(r.n, 2);
  assert_int_equal(r.hits[0].id, f->id[2]);
  assert_string_equal(r.hits[0].title_marked,
                      "深入打好" O "污染" C "防治攻坚战");
  assert_non_null(strstr(r.hits[0].snippet, O "无废城市" C));
  assert_non_null(strstr(r.hits[0].snippet, O "污染" C));
  mw_search_result_cleanup(&r);

  expect(f, &(struct mw_search_query){.q = "攻坚战 污染 之年"}, 1, false, 1, 5);
  expect(f, &(struct mw_search_query){.q = "垃圾"}, 1, false, 1, 3);
  expect(f, &(struct mw_search_query){.q = "污染 垃圾"}, 0, false, 0);
  expect(f, &(struct mw_search_query){.q = "绿"}, 1, false, 1, 3);
}

static void test_syntax_is_literal(void **state) {
  struct fixture *f = *state;
  /* Each would be FTS5 syntax (or a syntax error) if passed through. */
  expect(f, &(struct mw_search_query){.q = "\""}, 1, false, 1, 4);
  expect(f, &(struct mw_search_query){.q = "a\"b"}, 1, false, 1, 4);
  expect(f, &(struct mw_search_query){.q = "AND"}, 1, false, 1, 4);
  expect(f, &(struct mw_search_query){.q = "NEAR("}, 1, false, 1, 4);
  expect(f, &(struct mw_search_query){.q = "NEAR(x"}, 1, false, 1, 4);
  expect(f, &(struct mw_search_query){.q = "star*"}, 1, false, 1, 4);
  expect(f, &(struct mw_search_query){.q = "c*"}, 1, false, 1, 4);
  expect(f, &(struct mw_search_query){.q = "*"}, 1, false, 1, 4);
  expect(f, &(struct mw_search_query){.q = "st*"}, 0, false, 0);
  expect(f, &(struct mw_search_query){.q = "OR 无废城市"}, 0, false, 0);
  expect(f, &(struct mw_search_query){.q = "NOT"}, 0, false, 0);
  expect(f, &(struct mw_search_query){.q = "title:AND"}, 0, false, 0);
  expect(f, &(struct mw_search_query){.q = "(x"}, 1, false, 1, 4);
  expect(f, &(struct mw_search_query){.q = "\"quotes\""}, 1, false, 1, 4);
}

static void test_filters(void **state) {
  struct fixture *f = *state;
  expect(f, &(struct mw_search_query){.q = "无废城市", .topic = "无废城市"}, 2,
         false, 2, 2, 1);
  expect(f, &(struct mw_search_query){.q = "无废城市", .topic = "垃圾分类"}, 0,
         false, 0);
  expect(f, &(struct mw_search_query){.q = "攻坚战", .outlet = "长春日报"}, 1,
         false, 1, 5);
  expect(f, &(struct mw_search_query){.q = "污染", .outlet = "吉林日报"}, 1,
         false, 1, 1);
  expect(f,
         &(struct mw_search_query){.q = "攻坚战", .tier = MW_TIER_CENTRAL + 1},
         1, false, 1, 2);
  expect(f, &(struct mw_search_query){.q = "攻坚战", .tier = MW_TIER_CITY + 1},
         1, false, 1, 5);
  /* 吉林省: article 1 by its outlet, 2 by its 属地 (吉林省吉林市), 5 by
   * its outlet (吉林省长春市). */
  expect(f, &(struct mw_search_query){.q = "攻坚战", .region = "吉林省"}, 3,
         false, 3, 5, 2, 1);
  expect(f, &(struct mw_search_query){.q = "攻坚战", .region = "吉林省吉林市"},
         1, false, 1, 2);
  expect(f, &(struct mw_search_query){.q = "攻坚战", .region = "吉林市"}, 0,
         false, 0);
  expect(f,
         &(struct mw_search_query){
             .q = "攻坚战", .from = T + 2 * H, .to = T + 5 * H},
         1, false, 1, 2);
  expect(f, &(struct mw_search_query){.q = "攻坚战", .from = T + 2 * H}, 2,
         false, 2, 5, 2);
  expect(f, &(struct mw_search_query){.q = "污染", .to = T + 2 * H}, 1, false,
         1, 1);
  expect(f, &(struct mw_search_query){.q = "攻坚战", .from = T + 50 * H}, 0,
         false, 0);
  expect(f,
         &(struct mw_search_query){
             .q = "污染", .topic = "无废城市", .region = "吉林省", .tier = 2},
         1, false, 1, 1);
  /* Empty strings filter nothing (an empty form field). */
  expect(f,
         &(struct mw_search_query){
             .q = "无废城市", .topic = "", .outlet = "", .region = ""},
         2, false, 2, 2, 1);
}

static void test_paging(void **state) {
  struct fixture *f = *state;
  expect(f, &(struct mw_search_query){.q = "污染", .limit = 2}, 3, false, 2, 5,
         2);
  expect(f, &(struct mw_search_query){.q = "污染", .limit = 2, .offset = 2}, 3,
         false, 1, 1);
  expect(f, &(struct mw_search_query){.q = "攻坚战", .limit = 1, .offset = 1},
         3, false, 1, 2);
  expect(f, &(struct mw_search_query){.q = "攻坚战", .limit = 1, .offset = 3},
         3, false, 0);
  expect(f, &(struct mw_search_query){.q = "攻坚战", .offset = 9}, 3, false, 0);
  expect(f, &(struct mw_search_query){.q = "攻坚战", .limit = 3}, 3, false, 3,
         5, 2, 1);
}

static void test_bad_queries(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  struct mw_search_result r;
  char big[300];
  memset(big, 'x', 257);
  big[257] = '\0';
  const char *bad[] = {"",         "   ",        "\xe3\x80\x80",
                       "\xff\xfe", "ab\xe6\xb1", "1 2 3 4 5 6 7 8 9",
                       big};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(
        mw_store_search(f->t.s, &(struct mw_search_query){.q = bad[i]}, &r,
                        &err),
        MW_EINVAL);
    assert_int_equal(r.n, 0);
    assert_null(r.hits);
  }
  assert_int_equal(
      mw_store_search(f->t.s, &(struct mw_search_query){.q = NULL}, &r, &err),
      MW_EINVAL);
  assert_int_equal(mw_store_search(f->t.s, NULL, &r, &err), MW_EINVAL);
  assert_int_equal(
      mw_store_search(f->t.s,
                      &(struct mw_search_query){.q = "污染", .limit = 101}, &r,
                      &err),
      MW_EINVAL);
  assert_int_equal(
      mw_store_search(f->t.s, &(struct mw_search_query){.q = "污染", .tier = 7},
                      &r, &err),
      MW_EINVAL);
  assert_int_equal(
      mw_store_search(
          f->t.s, &(struct mw_search_query){.q = "污染", .from = 10, .to = 5},
          &r, &err),
      MW_EINVAL);
  /* 256 bytes and 8 words are fine. */
  big[256] = '\0';
  expect(f, &(struct mw_search_query){.q = big}, 0, false, 0);
  expect(f, &(struct mw_search_query){.q = "1 2 3 4 5 6 7 8"}, 0, false, 0);
}

static void test_count_cap(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  enum { N = MW_SEARCH_COUNT_CAP + 5 };
  assert_int_equal(mw_store_begin(f->t.s, &err), MW_OK);
  int64_t last = 0;
  for (int i = 0; i < N; i++) {
    char url[64], text[96];
    snprintf(url, sizeof url, "https://bulk/%d", i);
    snprintf(text, sizeof text, "批量文章甲乙丙丁第%d篇", i);
    last = add(f, f->t.cc, url, "批量", text, T + 10 * H + i);
  }
  assert_int_equal(mw_store_commit(f->t.s, &err), MW_OK);
  /* Past 10,000 pending, counted by the difference of ids. */
  int64_t pending;
  assert_int_equal(mw_store_search_pending(f->t.s, &pending, &err), MW_OK);
  assert_int_equal(pending, N);
  /* At most 500 per call, so the write lock is held briefly. */
  size_t n, done = 0;
  assert_int_equal(mw_store_search_index(f->t.s, 20000, &n, &err), MW_OK);
  assert_int_equal(n, 500);
  do {
    done += n;
    assert_int_equal(mw_store_search_index(f->t.s, 20000, &n, &err), MW_OK);
  } while (n);
  assert_int_equal(done, N);
  assert_int_equal(mw_store_search_pending(f->t.s, &pending, &err), MW_OK);
  assert_int_equal(pending, 0);
  struct mw_search_result r;
  assert_int_equal(
      mw_store_search(f->t.s, &(struct mw_search_query){.q = "甲乙丙"}, &r,
                      &err),
      MW_OK);
  assert_int_equal(r.n, 20);
  assert_int_equal(r.total, MW_SEARCH_COUNT_CAP);
  assert_true(r.total_capped);
  assert_int_equal(r.hits[0].id, last);
  assert_int_equal(r.hits[19].id, last - 19);
  mw_search_result_cleanup(&r);
  /* Filtered and short-word counts stop at a cap too. */
  assert_int_equal(
      mw_store_search(
          f->t.s,
          &(struct mw_search_query){
              .q = "乙丙", .outlet = "长春日报", .limit = 100, .offset = 100},
          &r, &err),
      MW_OK);
  assert_int_equal(r.n, 100);
  assert_int_equal(r.hits[0].id, last - 100);
  /* Rows checked one by one are counted to 1,000 only... */
  assert_int_equal(r.total, 1000);
  assert_true(r.total_capped);
  mw_search_result_cleanup(&r);
  /* ...unless the page itself lies past that. */
  assert_int_equal(
      mw_store_search(
          f->t.s,
          &(struct mw_search_query){
              .q = "乙丙", .outlet = "长春日报", .limit = 100, .offset = 1000},
          &r, &err),
      MW_OK);
  assert_int_equal(r.n, 100);
  assert_int_equal(r.hits[0].id, last - 1000);
  assert_int_equal(r.total, MW_SEARCH_COUNT_CAP);
  assert_true(r.total_capped);
  mw_search_result_cleanup(&r);
  /* Past the cap: no page. */
  assert_int_equal(
      mw_store_search(f->t.s,
                      &(struct mw_search_query){.q = "甲乙丙",
                                                .offset = MW_SEARCH_COUNT_CAP},
                      &r, &err),
      MW_OK);
  assert_int_equal(r.n, 0);
  assert_int_equal(r.total, MW_SEARCH_COUNT_CAP);
  assert_true(r.total_capped);
  mw_search_result_cleanup(&r);
  /* A word outside the bulk is counted exactly. */
  expect(f, &(struct mw_search_query){.q = "无废城市"}, 2, false, 2, 2, 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_index_batches, setup, teardown),
      cmocka_unit_test_setup_teardown(test_long_words_and_marks, setup_indexed,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_short_words, setup_indexed,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_syntax_is_literal, setup_indexed,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_filters, setup_indexed, teardown),
      cmocka_unit_test_setup_teardown(test_paging, setup_indexed, teardown),
      cmocka_unit_test_setup_teardown(test_bad_queries, setup_indexed,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_count_cap, setup_indexed, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
