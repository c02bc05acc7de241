/*
 * test_keywords.c: matchers/keywords.c, the three ways to write a topic.
 * `keywords:` keeps its old meaning (any keyword in title or body), the
 * grouped form is regions AND subjects AND events NOT exclude, and a topic
 * that does not compile is set aside while the others work.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "matchers/matchers.h"

static char *zero_waste[] = {"无废城市", "无废细胞"};
static char *sorting[] = {"垃圾分类", "生活垃圾分类"};
static char *latin[] = {"PM2.5"};
static struct mw_topic_conf topics[] = {
    {.name = "无废城市", .keywords = zero_waste, .n_keywords = 2, .line = 10},
    {.name = "垃圾分类", .keywords = sorting, .n_keywords = 2, .line = 12},
    {.name = "空气", .keywords = latin, .n_keywords = 1, .line = 14},
};

static struct mw_doc doc(const char *title, const char *body) {
  struct mw_doc d = {.title = {title, title ? strlen(title) : 0},
                     .body = {body, body ? strlen(body) : 0}};
  return d;
}

static void test_keywords(void **state) {
  (void)state;
  struct mw_matcher *m;
  struct mw_err err;
  assert_int_equal(mw_matcher_new(topics, 3, &m, &err), MW_OK);
  assert_int_equal(mw_matcher_error_count(m), 0);
  assert_int_equal(mw_matcher_topic_count(m), 3);
  assert_string_equal(mw_matcher_topic_name(m, 1), "垃圾分类");
  assert_null(mw_matcher_topic_name(m, 3));
  struct mw_topic_result r[3];

  struct mw_doc d = doc("长春市激活“无废细胞”",
                        "推进生活垃圾分类，建设无废城市。");
  assert_int_equal(mw_matcher_match(m, &d, r, &err), 2);
  assert_true(r[0].matched);
  assert_string_equal(r[0].terms, "无废城市,无废细胞");
  assert_true(r[1].matched);
  assert_string_equal(r[1].terms, "垃圾分类,生活垃圾分类");
  assert_false(r[2].matched);
  assert_string_equal(r[2].terms, "");

  d = doc("ＰＭ２．５浓度下降", NULL); /* full-width in the document */
  assert_int_equal(mw_matcher_match(m, &d, r, &err), 1);
  assert_true(r[2].matched);
  assert_string_equal(r[2].terms, "PM2.5");

  /* Spaces between Chinese characters do not split a keyword any more. */
  d = doc("无 废城市", "垃圾　分类"); /* ASCII space, ideographic space */
  assert_int_equal(mw_matcher_match(m, &d, r, &err), 2);
  assert_string_equal(r[0].terms, "无废城市");
  assert_string_equal(r[1].terms, "垃圾分类");
  /* ... but a word in between does. */
  d = doc("无废的城市", "垃圾的分类");
  assert_int_equal(mw_matcher_match(m, &d, r, &err), 0);
  d = doc(NULL, NULL);
  assert_int_equal(mw_matcher_match(m, &d, r, &err), 0);
  assert_false(r[0].matched);

  struct mw_buf b;
  mw_buf_init(&b, 4096);
  assert_int_equal(mw_matcher_topic_expr(m, 0, &b), MW_OK);
  assert_string_equal(b.data, "(OR 无废城市 无废细胞)");
  mw_buf_reset(&b);
  assert_int_equal(mw_matcher_topic_expr(m, 2, &b), MW_OK);
  assert_string_equal(b.data, "pm2.5");
  mw_buf_cleanup(&b);
  mw_matcher_free(m);
  mw_matcher_free(NULL);
}

static void test_empty_keywords(void **state) {
  (void)state;
  char *blank[] = {"", "\xE2\x80\x8B"};
  struct mw_topic_conf t[] = {
      {.name = "空", .keywords = blank, .n_keywords = 2, .line = 7},
      {.name = "无废城市", .keywords = zero_waste, .n_keywords = 2, .line = 9},
  };
  struct mw_matcher *m = NULL;
  struct mw_err err;
  assert_int_equal(mw_matcher_new(t, 2, &m, &err), MW_OK);
  assert_int_equal(mw_matcher_error_count(m), 1);
  const struct mw_rule_error *e = mw_matcher_error(m, 0);
  assert_string_equal(e->message, "topic 空: no usable keyword (all are empty "
                                  "once normalised)");
  assert_string_equal(e->topic, "空");
  assert_int_equal(e->conf_line, 7);
  assert_null(mw_matcher_error(m, 1));
  assert_false(mw_matcher_topic_valid(m, 0));
  assert_true(mw_matcher_topic_valid(m, 1));
  /* The good topic still works. */
  struct mw_topic_result r[2];
  struct mw_doc d = doc("无废城市", NULL);
  assert_int_equal(mw_matcher_match(m, &d, r, &err), 1);
  assert_false(r[0].matched);
  assert_true(r[1].matched);
  mw_matcher_free(m);
}

static void test_grouped(void **state) {
  (void)state;
  char *regions[] = {"吉林", "长春"};
  char *subjects[] = {"垃圾分类"};
  char *events[] = {"偷排", "恶臭"};
  char *exclude[] = {"广告", "招聘"};
  struct mw_topic_conf t[] = {
      {.name = "吉林垃圾",
       .regions = regions, .n_regions = 2,
       .subjects = subjects, .n_subjects = 1,
       .events = events, .n_events = 2,
       .exclude = exclude, .n_exclude = 2, .line = 3},
      /* events may be left out; then region AND subject */
      {.name = "无事件", .regions = regions, .n_regions = 2,
       .subjects = subjects, .n_subjects = 1, .line = 9},
      /* keywords with exclusions */
      {.name = "排除", .keywords = zero_waste, .n_keywords = 2,
       .exclude = exclude, .n_exclude = 1, .line = 12},
  };
  struct mw_matcher *m;
  struct mw_err err;
  assert_int_equal(mw_matcher_new(t, 3, &m, &err), MW_OK);
  assert_int_equal(mw_matcher_error_count(m), 0);
  struct mw_buf b;
  mw_buf_init(&b, 4096);
  assert_int_equal(mw_matcher_topic_expr(m, 0, &b), MW_OK);
  assert_string_equal(b.data, "(AND (AND (OR 吉林 长春) 垃圾分类 (OR 偷排 恶臭)) "
                              "(NOT (OR 广告 招聘)))");
  mw_buf_reset(&b);
  assert_int_equal(mw_matcher_topic_expr(m, 2, &b), MW_OK);
  assert_string_equal(b.data, "(AND (OR 无废城市 无废细胞) (NOT 广告))");
  mw_buf_cleanup(&b);

  struct mw_topic_result r[3];
  struct mw_doc d = doc("长春市垃圾分类站点恶臭扰民", NULL);
  assert_int_equal(mw_matcher_match(m, &d, r, &err), 2);
  assert_true(r[0].matched);
  assert_string_equal(r[0].terms, "长春,垃圾分类,恶臭");
  assert_true(r[1].matched);
  d = doc("长春市垃圾分类站点恶臭扰民", "招聘保洁员"); /* excluded */
  assert_int_equal(mw_matcher_match(m, &d, r, &err), 1);
  assert_false(r[0].matched);
  assert_true(r[1].matched);
  d = doc("垃圾分类站点恶臭", NULL); /* no region */
  assert_int_equal(mw_matcher_match(m, &d, r, &err), 0);
  d = doc("建设无废城市", "广告");
  assert_int_equal(mw_matcher_match(m, &d, r, &err), 0);
  d = doc("建设无废城市", "招聘");
  assert_int_equal(mw_matcher_match(m, &d, r, &err), 1);
  assert_true(r[2].matched);
  mw_matcher_free(m);
}

static void test_grouped_errors(void **state) {
  (void)state;
  char *bad[] = {"吉林", " \xE2\x80\x8B "};
  char *subjects[] = {"垃圾分类"};
  char *exclude[] = {"广告"};
  struct mw_topic_conf t[] = {
      {.name = "坏地域", .regions = bad, .n_regions = 2, .subjects = subjects,
       .n_subjects = 1, .line = 3},
      {.name = "只有排除", .exclude = exclude, .n_exclude = 1, .line = 8},
      {.name = "好", .subjects = subjects, .n_subjects = 1, .line = 11},
  };
  struct mw_matcher *m;
  struct mw_err err;
  assert_int_equal(mw_matcher_new(t, 3, &m, &err), MW_OK);
  assert_int_equal(mw_matcher_error_count(m), 2);
  assert_string_equal(mw_matcher_error(m, 0)->message,
                      "topic 坏地域: regions: ' \xE2\x80\x8B ' is empty once "
                      "normalised (only spaces or invisible characters)");
  assert_int_equal(mw_matcher_error(m, 0)->conf_line, 3);
  assert_string_equal(mw_matcher_error(m, 1)->message,
                      "topic 只有排除: needs keywords, a rule, or "
                      "regions/subjects/events");
  assert_true(mw_matcher_topic_valid(m, 2));
  struct mw_topic_result r[3];
  struct mw_doc d = doc("垃圾分类", NULL);
  assert_int_equal(mw_matcher_match(m, &d, r, &err), 1);
  assert_true(r[2].matched);
  mw_matcher_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_keywords),
      cmocka_unit_test(test_empty_keywords),
      cmocka_unit_test(test_grouped),
      cmocka_unit_test(test_grouped_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
