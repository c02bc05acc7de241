/* Tests matchers/keywords.c: any keyword of a topic, in title or body. */
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
  struct mw_doc d = {{title, title ? strlen(title) : 0},
                     {body, body ? strlen(body) : 0}};
  return d;
}

static void test_match(void **state) {
  (void)state;
  struct mw_matcher *m;
  struct mw_err err;
  assert_int_equal(mw_matcher_new(topics, 3, &m, &err), MW_OK);
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

  d = doc("无 废城市", "垃圾 分类"); /* split words are not the keyword */
  assert_int_equal(mw_matcher_match(m, &d, r, &err), 0);
  d = doc(NULL, NULL);
  assert_int_equal(mw_matcher_match(m, &d, r, &err), 0);
  mw_matcher_free(m);
  mw_matcher_free(NULL);
}

static void test_empty_topic(void **state) {
  (void)state;
  char *blank[] = {"", "\xE2\x80\x8B"};
  struct mw_topic_conf t = {.name = "空", .keywords = blank, .n_keywords = 2,
                            .line = 7};
  struct mw_matcher *m = NULL;
  struct mw_err err;
  assert_int_equal(mw_matcher_new(&t, 1, &m, &err), MW_EINVAL);
  assert_string_equal(err.msg, "line 7: topic '空' has no usable keyword");
  assert_null(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_match),
      cmocka_unit_test(test_empty_topic),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
