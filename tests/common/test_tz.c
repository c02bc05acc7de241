/* Tests common/tz.c: fixed offsets and zoneinfo files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "common/common.h"

static void test_fixed(void **state) {
  (void)state;
  struct mw_tz *tz;
  struct mw_err err;
  assert_int_equal(mw_tz_load("+08:00", &tz, &err), MW_OK);
  assert_int_equal(mw_tz_offset_at(tz, 0), 28800);
  mw_tz_free(tz);
  assert_int_equal(mw_tz_load("UTC-0530", &tz, &err), MW_OK);
  assert_int_equal(mw_tz_offset_at(tz, 0), -19800);
  mw_tz_free(tz);
  assert_int_equal(mw_tz_load("UTC", &tz, &err), MW_OK);
  assert_int_equal(mw_tz_offset_at(tz, 1683511200), 0);
  mw_tz_free(tz);
}

static void test_shanghai(void **state) {
  (void)state;
  struct mw_tz *tz;
  struct mw_err err;
  assert_int_equal(mw_tz_load("Asia/Shanghai", &tz, &err), MW_OK);
  assert_string_equal(mw_tz_name(tz), "Asia/Shanghai");
  assert_int_equal(mw_tz_offset_at(tz, 1683511200), 28800);
  /* China observed daylight saving in 1988: 1 August 1988 was +09:00. */
  assert_int_equal(mw_tz_offset_at(tz, 586396800), 32400);
  assert_int_equal(mw_tz_from_civil(tz, 2023, 5, 8, 0, 0, 0), 1683475200);
  struct mw_civil c;
  mw_tz_to_civil(tz, 1683475200, &c);
  assert_int_equal(c.day, 8);
  assert_int_equal(c.hour, 0);
  mw_tz_free(tz);
}

static void test_dst_zone(void **state) {
  (void)state;
  struct mw_tz *tz;
  struct mw_err err;
  assert_int_equal(mw_tz_load("Europe/Berlin", &tz, &err), MW_OK);
  /* 2021-07-01 12:00 UTC is summer time, 2021-01-01 winter time. */
  assert_int_equal(mw_tz_offset_at(tz, 1625140800), 7200);
  assert_int_equal(mw_tz_offset_at(tz, 1609502400), 3600);
  mw_tz_free(tz);
}

static void test_bad_names(void **state) {
  (void)state;
  struct mw_tz *tz = NULL;
  struct mw_err err;
  assert_int_equal(mw_tz_load("Mars/Olympus", &tz, &err), MW_ENOTFOUND);
  assert_non_null(strstr(err.msg, "unknown time zone 'Mars/Olympus'"));
  assert_int_equal(mw_tz_load("../../etc/passwd", &tz, &err), MW_EINVAL);
  assert_int_equal(mw_tz_load("+25:00", &tz, &err), MW_EINVAL);
  assert_null(tz);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fixed),
      cmocka_unit_test(test_shanghai),
      cmocka_unit_test(test_dst_zone),
      cmocka_unit_test(test_bad_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
