/* Tests common/time.c: civil dates, epoch conversion and ISO weeks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "common/common.h"

static void test_days_round_trip(void **state) {
  (void)state;
  assert_int_equal(mw_days_from_civil(1970, 1, 1), 0);
  assert_int_equal(mw_days_from_civil(2000, 3, 1), 11017);
  assert_int_equal(mw_days_from_civil(1969, 12, 31), -1);
  for (int64_t d = -800000; d < 800000; d += 997) {
    int y, m, dd;
    mw_civil_from_days(d, &y, &m, &dd);
    assert_int_equal(mw_days_from_civil(y, m, dd), d);
  }
}

static void test_epoch_china(void **state) {
  (void)state;
  /* 2023-05-08 10:00 at +08:00 is 02:00 UTC. */
  int64_t t = mw_time_from_civil(2023, 5, 8, 10, 0, 0, 8 * 3600);
  assert_int_equal(t, 1683511200);
  char buf[32];
  mw_time_format_iso_utc(t, buf, sizeof buf);
  assert_string_equal(buf, "2023-05-08T02:00:00Z");
  mw_time_format_iso(t, 8 * 3600, buf, sizeof buf);
  assert_string_equal(buf, "2023-05-08T10:00:00+08:00");
  mw_time_format_iso(t, 0, buf, sizeof buf);
  assert_string_equal(buf, "2023-05-08T02:00:00+00:00");
  mw_time_format_iso(t, -(3 * 3600 + 30 * 60), buf, sizeof buf);
  assert_string_equal(buf, "2023-05-07T22:30:00-03:30");
  struct mw_civil c;
  mw_time_to_civil(t, 8 * 3600, &c);
  assert_int_equal(c.year, 2023);
  assert_int_equal(c.month, 5);
  assert_int_equal(c.day, 8);
  assert_int_equal(c.hour, 10);
  assert_int_equal(c.weekday, 1); /* a Monday */
  mw_time_to_civil(-1, 0, &c);
  assert_int_equal(c.year, 1969);
  assert_int_equal(c.second, 59);
  assert_int_equal(c.weekday, 3);
}

static void test_civil_valid(void **state) {
  (void)state;
  assert_true(mw_civil_valid(2024, 2, 29, 0, 0, 0));
  assert_false(mw_civil_valid(2023, 2, 29, 0, 0, 0));
  assert_false(mw_civil_valid(1900, 2, 29, 0, 0, 0));
  assert_true(mw_civil_valid(2000, 2, 29, 23, 59, 59));
  assert_false(mw_civil_valid(2023, 4, 31, 0, 0, 0));
  assert_false(mw_civil_valid(2023, 13, 1, 0, 0, 0));
  assert_false(mw_civil_valid(2023, 1, 1, 24, 0, 0));
}

static void test_iso_weeks(void **state) {
  (void)state;
  int y, w;
  mw_iso_week_of(2023, 5, 8, &y, &w);
  assert_int_equal(y, 2023);
  assert_int_equal(w, 19);
  mw_iso_week_of(2021, 1, 3, &y, &w); /* Sunday: still 2020-W53 */
  assert_int_equal(y, 2020);
  assert_int_equal(w, 53);
  mw_iso_week_of(2024, 12, 30, &y, &w); /* Monday: 2025-W01 */
  assert_int_equal(y, 2025);
  assert_int_equal(w, 1);
  assert_int_equal(mw_iso_weeks_in_year(2020), 53);
  assert_int_equal(mw_iso_weeks_in_year(2023), 52);
  assert_int_equal(mw_iso_weeks_in_year(2026), 53);
  int m, d;
  assert_int_equal(mw_iso_week_monday(2023, 19, &y, &m, &d), MW_OK);
  assert_int_equal(y * 10000 + m * 100 + d, 20230508);
  assert_int_equal(mw_iso_week_monday(2020, 53, &y, &m, &d), MW_OK);
  assert_int_equal(y * 10000 + m * 100 + d, 20201228);
  assert_int_equal(mw_iso_week_monday(2023, 53, &y, &m, &d), MW_EINVAL);
}

static void test_iso_week_parse(void **state) {
  (void)state;
  struct mw_err err;
  int y, w;
  assert_int_equal(mw_iso_week_parse("2023-W19", &y, &w, &err), MW_OK);
  assert_int_equal(y, 2023);
  assert_int_equal(w, 19);
  assert_int_equal(mw_iso_week_parse("2023w5", &y, &w, &err), MW_OK);
  assert_int_equal(w, 5);
  assert_int_equal(mw_iso_week_parse("2023-19", &y, &w, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "YYYY-Www"));
  assert_int_equal(mw_iso_week_parse("2023-W53", &y, &w, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "52 ISO weeks"));
  assert_int_equal(mw_iso_week_parse("2023-W19x", &y, &w, &err), MW_EINVAL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_days_round_trip),
      cmocka_unit_test(test_epoch_china),
      cmocka_unit_test(test_civil_valid),
      cmocka_unit_test(test_iso_weeks),
      cmocka_unit_test(test_iso_week_parse),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
