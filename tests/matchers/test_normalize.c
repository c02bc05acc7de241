/* Tests matchers/normalize.c: full-width, case, zero-width, bad UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "matchers/matchers.h"

static void check(const char *in, const char *want) {
  struct mw_buf b;
  mw_buf_init(&b, 4096);
  assert_int_equal(mw_text_normalize(in, strlen(in), &b), MW_OK);
  assert_string_equal(b.data ? b.data : "", want);
  mw_buf_cleanup(&b);
}

static void test_forms(void **state) {
  (void)state;
  check("ＷＨＯ发布２０２３年报告", "who发布2023年报告"); /* full-width */
  check("PM2.5超标", "pm2.5超标");                      /* case */
  check("无\xE2\x80\x8B废城市", "无废城市");             /* zero-width space */
  check("垃圾\xC2\xAD分类", "垃圾分类");                 /* soft hyphen */
  check("①号文件", "1号文件");                          /* compatibility */
  check("", "");
}

static void test_invalid_utf8(void **state) {
  (void)state;
  const char bad[] = {'a', (char)0xFF, 'b', (char)0xE6, 0};
  check(bad, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
}

static void test_ceiling(void **state) {
  (void)state;
  struct mw_buf b;
  mw_buf_init(&b, 8);
  assert_int_equal(mw_text_normalize("无废城市建设", 18, &b), MW_ETOOBIG);
  mw_buf_cleanup(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_forms),
      cmocka_unit_test(test_invalid_utf8),
      cmocka_unit_test(test_ceiling),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
