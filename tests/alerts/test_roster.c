/* Tests alerts/roster.c: the shift on duty, quiet hours, weekends,
 * release times and digests, in Asia/Shanghai and in a fixed zone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "alerts/alerts.h"

#define MON 0x01u
#define FRI 0x10u
#define WEEKDAYS 0x1Fu
#define WEEKEND 0x60u

static struct mw_tz *zone(const char *name) {
  struct mw_tz *tz = NULL;
  struct mw_err err = {0};
  if (mw_tz_load(name, &tz, &err)) fail_msg("%s", err.msg);
  return tz;
}

/* 2023-05-08 is a Monday; day 8 + k is Monday + k. */
static int64_t at(const struct mw_tz *tz, int day, int h, int m) {
  return mw_tz_from_civil(tz, 2023, 5, day, h, m, 0);
}

static char *day_people[] = {"张伟", "李娜"};
static char *night_people[] = {"王强"};
static char *weekend_people[] = {"刘洋"};

static struct mw_shift_conf shifts[] = {
    {.day_mask = WEEKDAYS, .window = {8 * 60 + 30, 17 * 60 + 30},
     .people = day_people, .n_people = 2},
    /* Weekday nights: Friday's runs into Saturday morning. */
    {.day_mask = WEEKDAYS, .window = {17 * 60 + 30, 8 * 60 + 30},
     .people = night_people, .n_people = 1},
    {.day_mask = WEEKEND, .window = {-1, -1}, .people = weekend_people,
     .n_people = 1},
};

static void expect_duty(const struct mw_alerts_conf *c, const struct mw_tz *tz,
                        int64_t now, const char *who) {
  const struct mw_shift_conf *s = mw_roster_on_duty(c, tz, now);
  if (!who) {
    assert_null(s);
    return;
  }
  if (!s) fail_msg("nobody on duty, want %s", who);
  assert_string_equal(s->people[0], who);
}

static void test_on_duty(void **state) {
  (void)state;
  struct mw_tz *tz = zone("Asia/Shanghai");
  struct mw_alerts_conf c = {.roster = shifts, .n_roster = 3};
  expect_duty(&c, tz, at(tz, 8, 10, 0), "张伟");
  expect_duty(&c, tz, at(tz, 8, 8, 30), "张伟");   /* from is in */
  expect_duty(&c, tz, at(tz, 8, 17, 29), "张伟");
  expect_duty(&c, tz, at(tz, 8, 17, 30), "王强");  /* to is out */
  expect_duty(&c, tz, at(tz, 8, 23, 59), "王强");
  expect_duty(&c, tz, at(tz, 9, 0, 0), "王强");    /* Monday's night */
  expect_duty(&c, tz, at(tz, 9, 8, 29), "王强");
  /* Friday's night covers Saturday's early hours, before the weekend
   * shift listed after it. */
  expect_duty(&c, tz, at(tz, 13, 3, 0), "王强");
  expect_duty(&c, tz, at(tz, 13, 8, 30), "刘洋");
  expect_duty(&c, tz, at(tz, 14, 23, 0), "刘洋");
  /* Monday's early hours belong to Sunday's night: nobody has it. */
  expect_duty(&c, tz, at(tz, 8, 3, 0), NULL);

  /* Only Mondays and Fridays, a night shift: Tuesday and Saturday
   * mornings are covered, Monday's is not. */
  struct mw_shift_conf night = {.day_mask = MON | FRI,
                                .window = {22 * 60, 6 * 60},
                                .people = night_people, .n_people = 1};
  struct mw_alerts_conf c2 = {.roster = &night, .n_roster = 1};
  expect_duty(&c2, tz, at(tz, 9, 5, 59), "王强");
  expect_duty(&c2, tz, at(tz, 9, 6, 0), NULL);
  expect_duty(&c2, tz, at(tz, 9, 22, 0), NULL);
  expect_duty(&c2, tz, at(tz, 13, 1, 0), "王强");
  expect_duty(&c2, tz, at(tz, 8, 1, 0), NULL);
  expect_duty(&c2, tz, at(tz, 8, 22, 0), "王强");

  /* No days written: every day. No roster: nobody. */
  struct mw_shift_conf any = {.window = {-1, -1}, .people = day_people,
                              .n_people = 2};
  struct mw_alerts_conf c3 = {.roster = &any, .n_roster = 1};
  expect_duty(&c3, tz, at(tz, 14, 3, 0), "张伟");
  struct mw_alerts_conf none = {0};
  expect_duty(&none, tz, at(tz, 8, 10, 0), NULL);
  assert_null(mw_roster_on_duty(NULL, tz, 0));
  mw_tz_free(tz);
}

static void test_on_duty_fixed_zone(void **state) {
  (void)state;
  struct mw_tz *tz = zone("-03:00");
  struct mw_tz *sh = zone("Asia/Shanghai");
  struct mw_alerts_conf c = {.roster = shifts, .n_roster = 3};
  /* Monday 10:00 at -03:00 is Monday 21:00 in Shanghai. */
  int64_t t = at(tz, 8, 10, 0);
  assert_int_equal(t, at(sh, 8, 21, 0));
  expect_duty(&c, tz, t, "张伟");
  expect_duty(&c, sh, t, "王强");
  /* Friday 22:00 at -03:00 is Saturday 09:00 in Shanghai. */
  t = at(tz, 12, 22, 0);
  expect_duty(&c, tz, t, "王强");
  expect_duty(&c, sh, t, "刘洋");
  /* No zone: UTC. Monday 10:00 UTC. */
  expect_duty(&c, NULL, mw_time_from_civil(2023, 5, 8, 10, 0, 0, 0), "张伟");
  mw_tz_free(sh);
  mw_tz_free(tz);
}

static void test_quiet(void **state) {
  (void)state;
  struct mw_tz *tz = zone("Asia/Shanghai");
  struct mw_receiver_conf r = {.name = "duty-wecom",
                               .quiet_window = {22 * 60, 7 * 60},
                               .quiet_weekends = true};
  assert_false(mw_receiver_is_quiet(&r, tz, at(tz, 8, 21, 59)));
  assert_true(mw_receiver_is_quiet(&r, tz, at(tz, 8, 22, 0)));
  assert_true(mw_receiver_is_quiet(&r, tz, at(tz, 9, 6, 59)));
  assert_false(mw_receiver_is_quiet(&r, tz, at(tz, 9, 7, 0)));
  assert_true(mw_receiver_is_quiet(&r, tz, at(tz, 13, 12, 0))); /* Saturday */
  assert_true(mw_receiver_is_quiet(&r, tz, at(tz, 14, 23, 59))); /* Sunday */
  r.quiet_weekends = false;
  assert_false(mw_receiver_is_quiet(&r, tz, at(tz, 13, 12, 0)));
  assert_true(mw_receiver_is_quiet(&r, tz, at(tz, 13, 23, 0)));
  /* No quiet hours at all; digest mode is not quiet. */
  struct mw_receiver_conf plain = {.quiet_window = {-1, -1}, .digest = true,
                                   .digest_at_min = 8 * 60};
  assert_false(mw_receiver_is_quiet(&plain, tz, at(tz, 9, 3, 0)));
  assert_false(mw_receiver_is_quiet(NULL, tz, at(tz, 9, 3, 0)));
  mw_tz_free(tz);
}

static void test_release(void **state) {
  (void)state;
  struct mw_tz *tz = zone("Asia/Shanghai");
  struct mw_receiver_conf r = {.quiet_window = {22 * 60, 7 * 60}};
  /* Not quiet: now. */
  int64_t now = at(tz, 8, 12, 0);
  assert_int_equal(mw_receiver_release_at(&r, tz, now), now);
  /* Before midnight and after it. */
  assert_int_equal(mw_receiver_release_at(&r, tz, at(tz, 8, 23, 10) + 17),
                   at(tz, 9, 7, 0));
  assert_int_equal(mw_receiver_release_at(&r, tz, at(tz, 9, 6, 0)),
                   at(tz, 9, 7, 0));
  /* Across a month's end: Wednesday 31 May 23:00 to 1 June 07:00. */
  assert_int_equal(mw_receiver_release_at(&r, tz, at(tz, 31, 23, 0)),
                   mw_tz_from_civil(tz, 2023, 6, 1, 7, 0, 0));
  /* A weekend running into Monday's quiet hours. */
  r.quiet_weekends = true;
  assert_int_equal(mw_receiver_release_at(&r, tz, at(tz, 13, 10, 0)),
                   at(tz, 15, 7, 0));
  assert_int_equal(mw_receiver_release_at(&r, tz, at(tz, 12, 23, 0)),
                   at(tz, 15, 7, 0));
  assert_int_equal(mw_receiver_release_at(&r, tz, at(tz, 14, 23, 30)),
                   at(tz, 15, 7, 0));
  /* Weekends only. */
  struct mw_receiver_conf we = {.quiet_window = {-1, -1},
                                .quiet_weekends = true};
  assert_int_equal(mw_receiver_release_at(&we, tz, at(tz, 13, 10, 0)),
                   at(tz, 15, 0, 0));
  /* A window within the day, and one ending at 24:00. */
  struct mw_receiver_conf noon = {.quiet_window = {12 * 60, 14 * 60}};
  assert_int_equal(mw_receiver_release_at(&noon, tz, at(tz, 8, 13, 0)),
                   at(tz, 8, 14, 0));
  struct mw_receiver_conf eve = {.quiet_window = {18 * 60, 24 * 60}};
  assert_int_equal(mw_receiver_release_at(&eve, tz, at(tz, 8, 20, 0)),
                   at(tz, 9, 0, 0));
  assert_int_equal(mw_receiver_release_at(NULL, tz, now), now);
  mw_tz_free(tz);
}

static void test_digest(void **state) {
  (void)state;
  struct mw_tz *tz = zone("Asia/Shanghai");
  struct mw_receiver_conf r = {.quiet_window = {22 * 60, 7 * 60},
                               .digest = true, .digest_at_min = 8 * 60};
  assert_int_equal(mw_receiver_release_at(&r, tz, at(tz, 8, 7, 0)),
                   at(tz, 8, 8, 0));
  /* Strictly after now. */
  assert_int_equal(mw_receiver_release_at(&r, tz, at(tz, 8, 8, 0)),
                   at(tz, 9, 8, 0));
  assert_int_equal(mw_receiver_release_at(&r, tz, at(tz, 8, 23, 0)),
                   at(tz, 9, 8, 0));
  r.digest_at_min = 17 * 60 + 30;
  assert_int_equal(mw_receiver_release_at(&r, tz, at(tz, 8, 9, 0)),
                   at(tz, 8, 17, 30));
  mw_tz_free(tz);
}

static void test_fixed_zone(void **state) {
  (void)state;
  struct mw_tz *tz = zone("+05:30");
  struct mw_receiver_conf r = {.quiet_window = {22 * 60, 7 * 60},
                               .quiet_weekends = true};
  /* Monday 23:00 at +05:30 is 17:30 UTC; release Tuesday 07:00 local,
   * 01:30 UTC. */
  int64_t now = mw_time_from_civil(2023, 5, 8, 17, 30, 0, 0);
  assert_true(mw_receiver_is_quiet(&r, tz, now));
  assert_false(mw_receiver_is_quiet(&r, NULL, now)); /* 17:30 UTC */
  assert_int_equal(mw_receiver_release_at(&r, tz, now),
                   mw_time_from_civil(2023, 5, 9, 1, 30, 0, 0));
  /* Friday 20:00 UTC is Saturday 01:30 local: Monday 07:00 local. */
  now = mw_time_from_civil(2023, 5, 12, 20, 0, 0, 0);
  assert_int_equal(mw_receiver_release_at(&r, tz, now),
                   mw_time_from_civil(2023, 5, 15, 1, 30, 0, 0));
  struct mw_receiver_conf d = {.quiet_window = {-1, -1}, .digest = true,
                               .digest_at_min = 8 * 60};
  assert_int_equal(mw_receiver_release_at(&d, tz, now),
                   mw_time_from_civil(2023, 5, 13, 2, 30, 0, 0));
  mw_tz_free(tz);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_on_duty),  cmocka_unit_test(test_on_duty_fixed_zone),
      cmocka_unit_test(test_quiet),    cmocka_unit_test(test_release),
      cmocka_unit_test(test_digest),   cmocka_unit_test(test_fixed_zone),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
