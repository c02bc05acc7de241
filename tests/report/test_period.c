/* Tests report/period.c: ISO weeks as [Monday 00:00, next Monday 00:00) in
 * the office's zone, across a year end and a daylight-saving change;
 * months and date ranges, the previous period of each, the days of a
 * period, and the errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
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

/* 2023-05-01 00:00+08 */
#define MAY1 INT64_C(1682870400)

static void test_month(void **state) {
  (void)state;
  struct mw_tz *tz = load("Asia/Shanghai");
  struct mw_report_period p, prev;
  struct mw_err err = {0};
  assert_int_equal(mw_report_month_period(tz, 2023, 5, &p, &err), MW_OK);
  assert_int_equal(p.from, MAY1);
  assert_int_equal(p.to, MAY1 + 31 * 86400);
  assert_int_equal(p.year, 2023);
  assert_int_equal(p.month, 5);
  assert_int_equal(p.iso_week, 0);
  /* The month before is April: 30 days. */
  assert_int_equal(mw_report_prev_period(tz, &p, &prev, &err), MW_OK);
  assert_int_equal(prev.month, 4);
  assert_int_equal(prev.to, MAY1);
  assert_int_equal(prev.from, MAY1 - 30 * 86400);
  /* January's is last December. */
  assert_int_equal(mw_report_month_period(tz, 2023, 1, &p, &err), MW_OK);
  assert_int_equal(mw_report_prev_period(tz, &p, &prev, &err), MW_OK);
  assert_int_equal(prev.year, 2022);
  assert_int_equal(prev.month, 12);
  assert_int_equal(prev.to, p.from);
  assert_int_equal(mw_report_month_period(tz, 2023, 13, &p, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "2023-13"));
  assert_int_equal(mw_report_month_period(tz, 1969, 5, &p, &err), MW_EINVAL);
  mw_tz_free(tz);
}

static void test_range(void **state) {
  (void)state;
  struct mw_tz *tz = load("Asia/Shanghai");
  struct mw_report_period p, prev;
  struct mw_err err = {0};
  assert_int_equal(mw_report_range_period(tz, "2023-05-08", "2023-05-10", &p,
                                          &err), MW_OK);
  assert_int_equal(p.from, MAY1 + 7 * 86400);
  assert_int_equal(p.to, MAY1 + 10 * 86400); /* the last day included */
  assert_int_equal(p.iso_week, 0);
  assert_int_equal(p.month, 0);
  /* As many days right before: 05-05 .. 05-07. */
  assert_int_equal(mw_report_prev_period(tz, &p, &prev, &err), MW_OK);
  assert_int_equal(prev.from, MAY1 + 4 * 86400);
  assert_int_equal(prev.to, p.from);
  /* One day. */
  assert_int_equal(mw_report_range_period(tz, "2023-05-08", "2023-05-08", &p,
                                          &err), MW_OK);
  assert_int_equal(p.to - p.from, 86400);
  /* The week before a week. */
  assert_int_equal(mw_report_week_period(tz, 2023, 1, &p, &err), MW_OK);
  assert_int_equal(mw_report_prev_period(tz, &p, &prev, &err), MW_OK);
  assert_int_equal(prev.iso_year, 2022);
  assert_int_equal(prev.iso_week, 52);
  assert_int_equal(prev.to, p.from);

  static const char *const bad[][2] = {
      {"2023-5-08", "2023-05-10"}, {"2023-05-08", "2023-02-30"},
      {"2023-05-08x", "2023-05-10"}, {"", "2023-05-10"},
      {"2023-05-10", "2023-05-08"}, {"2023-01-01", "2024-01-02"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(mw_report_range_period(tz, bad[i][0], bad[i][1], &p,
                                            &err), MW_EINVAL);
    assert_true(err.msg[0] != '\0');
  }
  assert_int_equal(mw_report_range_period(tz, "2023-05-10", "2023-05-08", &p,
                                          &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "comes before"));
  assert_int_equal(mw_report_range_period(tz, NULL, "2023-05-08", &p, &err),
                   MW_EINVAL);
  mw_tz_free(tz);
}

static void test_days(void **state) {
  (void)state;
  struct mw_tz *tz = load("Europe/Berlin");
  struct mw_report_period p;
  struct mw_err err = {0};
  int64_t *b;
  size_t n;
  /* March 2023 in Berlin: 31 days, the 26th is 23 hours long. */
  assert_int_equal(mw_report_month_period(tz, 2023, 3, &p, &err), MW_OK);
  assert_int_equal(mw_report_period_days(tz, &p, &b, &n, &err), MW_OK);
  assert_int_equal(n, 31);
  assert_int_equal(b[0], p.from);
  assert_int_equal(b[31], p.to);
  assert_int_equal(b[25] - b[24], 86400);
  assert_int_equal(b[26] - b[25], 23 * 3600);
  free(b);
  p.to = p.from;
  assert_int_equal(mw_report_period_days(tz, &p, &b, &n, &err), MW_EINVAL);
  assert_null(b);
  mw_tz_free(tz);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_week_shanghai),
      cmocka_unit_test(test_week_across_dst),
      cmocka_unit_test(test_week_utc_without_zone),
      cmocka_unit_test(test_week_invalid),
      cmocka_unit_test(test_month),
      cmocka_unit_test(test_range),
      cmocka_unit_test(test_days),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
