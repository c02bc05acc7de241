/* Tests report/period.c: ISO weeks as [Monday 00:00, next Monday 00:00) in
 * the office's zone, across a year end and a daylight-saving change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "report/report.h"

static struct mw_tz *load(const char *name) {
  struct mw_tz *tz = NULL;
  struct mw_err err = {0};
  if (mw_tz_load(name, &tz, &err)) fail_msg("%s", err.msg);
  return tz;
}

static void test_week_shanghai(void **state) {
  (void)state;
  struct mw_tz *tz = load("Asia/Shanghai");
  struct mw_report_period p;
  struct mw_err err = {0};
  assert_int_equal(mw_report_week_period(tz, 2023, 19, &p, &err), MW_OK);
  assert_int_equal(p.iso_year, 2023);
  assert_int_equal(p.iso_week, 19);
  assert_int_equal(p.from, 1683475200); /* 2023-05-08T00:00:00+08:00 */
  assert_int_equal(p.to, 1684080000);   /* 2023-05-15T00:00:00+08:00 */
  /* Week 53 of 2020 runs into 2021. */
  assert_int_equal(mw_report_week_period(tz, 2020, 53, &p, &err), MW_OK);
  assert_int_equal(p.from, 1609084800); /* 2020-12-28 */
  assert_int_equal(p.to, 1609689600);   /* 2021-01-04 */
  mw_tz_free(tz);
}

static void test_week_across_dst(void **state) {
  (void)state;
  struct mw_tz *tz = load("Europe/Berlin");
  struct mw_report_period p;
  struct mw_err err = {0};
  /* Summer time starts on Sunday 2023-03-26: the week is an hour short. */
  assert_int_equal(mw_report_week_period(tz, 2023, 12, &p, &err), MW_OK);
  assert_int_equal(p.from, 1679266800); /* 2023-03-20T00:00:00+01:00 */
  assert_int_equal(p.to, 1679868000);   /* 2023-03-27T00:00:00+02:00 */
  assert_int_equal(p.to - p.from, 7 * 86400 - 3600);
  mw_tz_free(tz);
}

static void test_week_utc_without_zone(void **state) {
  (void)state;
  struct mw_report_period p;
  struct mw_err err = {0};
  assert_int_equal(mw_report_week_period(NULL, 2023, 19, &p, &err), MW_OK);
  assert_int_equal(p.from, 1683504000); /* 2023-05-08T00:00:00Z */
  assert_int_equal(p.to, 1683504000 + 7 * 86400);
}

static void test_week_invalid(void **state) {
  (void)state;
  struct mw_report_period p;
  struct mw_err err = {0};
  assert_int_equal(mw_report_week_period(NULL, 2023, 53, &p, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "2023-W53"));
  assert_int_equal(mw_report_week_period(NULL, 2023, 0, &p, &err), MW_EINVAL);
  assert_int_equal(mw_report_week_period(NULL, 1969, 10, &p, &err), MW_EINVAL);
  assert_int_equal(mw_report_week_period(NULL, 2020, 53, &p, &err), MW_OK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_week_shanghai),
      cmocka_unit_test(test_week_across_dst),
      cmocka_unit_test(test_week_utc_without_zone),
      cmocka_unit_test(test_week_invalid),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
