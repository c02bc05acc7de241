/* Tests common/str.c and common/enums.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/common.h"

static void test_ints(void **state) {
  (void)state;
  int64_t v;
  assert_int_equal(mw_parse_int64("42", 0, 100, &v), MW_OK);
  assert_int_equal(v, 42);
  assert_int_equal(mw_parse_int64("-3", -5, 5, &v), MW_OK);
  assert_int_equal(v, -3);
  assert_int_equal(mw_parse_int64("101", 0, 100, &v), MW_EINVAL);
  assert_int_equal(mw_parse_int64("4x", 0, 100, &v), MW_EINVAL);
  assert_int_equal(mw_parse_int64("", 0, 100, &v), MW_EINVAL);
  assert_int_equal(mw_parse_int64(" 4", 0, 100, &v), MW_EINVAL);
  assert_int_equal(mw_parse_int64("99999999999999999999", 0, INT64_MAX, &v),
                   MW_EINVAL);
}

static void test_durations_sizes(void **state) {
  (void)state;
  int64_t v;
  assert_int_equal(mw_parse_duration_s("30", &v), MW_OK);
  assert_int_equal(v, 30);
  assert_int_equal(mw_parse_duration_s("15m", &v), MW_OK);
  assert_int_equal(v, 900);
  assert_int_equal(mw_parse_duration_s("6h", &v), MW_OK);
  assert_int_equal(v, 21600);
  assert_int_equal(mw_parse_duration_s("2d", &v), MW_OK);
  assert_int_equal(v, 172800);
  assert_int_equal(mw_parse_duration_s("5 weeks", &v), MW_EINVAL);
  assert_int_equal(mw_parse_duration_s("-5m", &v), MW_EINVAL);
  assert_int_equal(mw_parse_size("10MB", &v), MW_OK);
  assert_int_equal(v, 10485760);
  assert_int_equal(mw_parse_size("512kb", &v), MW_OK);
  assert_int_equal(v, 524288);
  assert_int_equal(mw_parse_size("1GB", &v), MW_OK);
  assert_int_equal(v, 1073741824);
  assert_int_equal(mw_parse_size("12", &v), MW_OK);
  assert_int_equal(v, 12);
  assert_int_equal(mw_parse_size("3TB", &v), MW_EINVAL);
}

static void test_case_and_dup(void **state) {
  (void)state;
  assert_int_equal(mw_ascii_casecmp("ETag", "etag"), 0);
  assert_true(mw_ascii_casecmp("a", "b") < 0);
  assert_int_equal(mw_ascii_ncasecmp("Content-Type: x", "content-type", 12), 0);
  char *s = mw_strndup("无废城市建设", 6);
  assert_string_equal(s, "无废");
  free(s);
  /* 无 is 3 bytes: a cut never ends inside one. */
  const char *t = "ab无废";
  assert_int_equal(mw_utf8_cut(t, 8, 8), 8);
  assert_int_equal(mw_utf8_cut(t, 8, 20), 8);
  assert_int_equal(mw_utf8_cut(t, 8, 7), 5);
  assert_int_equal(mw_utf8_cut(t, 8, 6), 5);
  assert_int_equal(mw_utf8_cut(t, 8, 5), 5);
  assert_int_equal(mw_utf8_cut(t, 8, 4), 2);
  assert_int_equal(mw_utf8_cut(t, 8, 0), 0);
  assert_null(mw_strdup(NULL));
}

static void test_enums(void **state) {
  (void)state;
  enum mw_tier t;
  assert_int_equal(mw_tier_parse("new-media", &t), MW_OK);
  assert_int_equal(t, MW_TIER_NEW_MEDIA);
  assert_string_equal(mw_tier_name(MW_TIER_PROVINCIAL), "provincial");
  assert_string_equal(mw_tier_label_zh(MW_TIER_CENTRAL), "中央媒体");
  assert_int_equal(mw_tier_parse("national", &t), MW_EINVAL);
  enum mw_source_kind k;
  assert_int_equal(mw_source_kind_parse("sitemap", &k), MW_OK);
  assert_int_equal(k, MW_SOURCE_SITEMAP);
  assert_string_equal(mw_source_kind_name(MW_SOURCE_FEED), "feed");
  assert_int_equal(mw_source_kind_parse("rss", &k), MW_EINVAL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ints),
      cmocka_unit_test(test_durations_sizes),
      cmocka_unit_test(test_case_and_dup),
      cmocka_unit_test(test_enums),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
