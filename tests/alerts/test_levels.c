/* Tests alerts/levels.c: every spelling office staff use parses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "alerts/alerts.h"

static void test_names(void **state) {
  (void)state;
  assert_string_equal(mw_alert_level_label_zh(MW_ALERT_CRITICAL), "特别重大");
  assert_string_equal(mw_alert_level_color(MW_ALERT_SERIOUS), "yellow");
  assert_string_equal(mw_alert_level_name(MW_ALERT_MAJOR), "major");
  assert_string_equal(mw_alert_level_hex(MW_ALERT_GENERAL), "#1e6fd9");
  assert_string_equal(mw_alert_level_name((enum mw_alert_level)9), "unknown");
}

static void test_parse(void **state) {
  (void)state;
  enum mw_alert_level l;
  const struct {
    const char *in;
    enum mw_alert_level want;
  } ok[] = {{"1", MW_ALERT_GENERAL}, {"一般", MW_ALERT_GENERAL},
            {"Blue", MW_ALERT_GENERAL}, {"较大", MW_ALERT_SERIOUS},
            {"orange", MW_ALERT_MAJOR}, {"重大", MW_ALERT_MAJOR},
            {"4", MW_ALERT_CRITICAL}, {"CRITICAL", MW_ALERT_CRITICAL},
            {"特别重大", MW_ALERT_CRITICAL}};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    assert_int_equal(mw_alert_level_parse(ok[i].in, &l), MW_OK);
    assert_int_equal(l, ok[i].want);
  }
  assert_int_equal(mw_alert_level_parse("0", &l), MW_EINVAL);
  assert_int_equal(mw_alert_level_parse("5", &l), MW_EINVAL);
  assert_int_equal(mw_alert_level_parse("purple", &l), MW_EINVAL);
  assert_int_equal(mw_alert_level_parse("", &l), MW_EINVAL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_names),
      cmocka_unit_test(test_parse),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
