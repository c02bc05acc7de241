/*
 * test_clock.c: common/clock.c. Times of day, windows (with the wrap over
 * midnight and the 24:00 end), day words in English and Chinese, and the
 * exact message of every kind of bad text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/common.h"

static void test_clock_parse(void **state) {
  (void)state;
  static const struct {
    const char *text;
    int minutes;
  } good[] = {
      {"00:00", 0},     {"08:00", 480},  {"8:00", 480},
      {"08:30", 510},   {"23:59", 1439}, {"12:05", 725},
      {"08：30", 510}, /* full-width colon, as an input method types it */
  };
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    int m = -7;
    struct mw_err err = {0};
    assert_int_equal(mw_clock_parse(good[i].text, &m, &err), MW_OK);
    assert_int_equal(m, good[i].minutes);
  }
  static const struct {
    const char *text, *msg;
  } bad[] = {
      {"25:00", "'25:00' is not a time of day: hours go from 00 to 23 and "
                "minutes from 00 to 59"},
      {"08:60", "'08:60' is not a time of day: hours go from 00 to 23 and "
                "minutes from 00 to 59"},
      {"24:00", "'24:00' is not a time of day: hours go from 00 to 23 and "
                "minutes from 00 to 59"},
      {"8", "'8' is not a time of day: write HH:MM, such as 08:00"},
      {"", "'' is not a time of day: write HH:MM, such as 08:00"},
      {"8:0", "'8:0' is not a time of day: write HH:MM, such as 08:00"},
      {"08:000", "'08:000' is not a time of day: write HH:MM, such as 08:00"},
      {"108:00", "'108:00' is not a time of day: write HH:MM, such as 08:00"},
      {"8am", "'8am' is not a time of day: write HH:MM, such as 08:00"},
      {" 08:00", "' 08:00' is not a time of day: write HH:MM, such as 08:00"},
      {"早上八点", "'早上八点' is not a time of day: write HH:MM, such as "
                   "08:00"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int m = -7;
    struct mw_err err = {0};
    assert_int_equal(mw_clock_parse(bad[i].text, &m, &err), MW_EINVAL);
    assert_string_equal(err.msg, bad[i].msg);
    assert_int_equal(m, -7);
  }
  /* A NULL err is allowed. */
  int m;
  assert_int_equal(mw_clock_parse("x", &m, NULL), MW_EINVAL);
}

static void test_window_parse(void **state) {
  (void)state;
  static const struct {
    const char *text;
    int from, to;
  } good[] = {
      {"22:00-07:00", 1320, 420}, {"08:30-17:30", 510, 1050},
      {"8:30-17:30", 510, 1050},  {"18:00-24:00", 1080, 1440},
      {"00:00-24:00", 0, 1440},   {"22:00 - 07:00", 1320, 420},
      {"22:00~07:00", 1320, 420}, {"22:00～07:00", 1320, 420},
      {"23:59-00:00", 1439, 0},
  };
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    struct mw_clock_window w = {-5, -5};
    struct mw_err err = {0};
    int rc = mw_clock_window_parse(good[i].text, &w, &err);
    if (rc) print_error("%s: %s\n", good[i].text, err.msg);
    assert_int_equal(rc, MW_OK);
    assert_int_equal(w.from_min, good[i].from);
    assert_int_equal(w.to_min, good[i].to);
  }
  static const struct {
    const char *text, *msg;
  } bad[] = {
      {"8:00-", "'8:00-' is not a time window: write HH:MM-HH:MM, such as "
                "22:00-07:00"},
      {"-07:00", "'-07:00' is not a time window: write HH:MM-HH:MM, such as "
                 "22:00-07:00"},
      {"22:00", "'22:00' is not a time window: write HH:MM-HH:MM, such as "
                "22:00-07:00"},
      {"22:00-07:00-08:00", "'22:00-07:00-08:00' is not a time window: write "
                            "HH:MM-HH:MM, such as 22:00-07:00"},
      {"22-7", "'22-7' is not a time window: write HH:MM-HH:MM, such as "
               "22:00-07:00"},
      {"", "'' is not a time window: write HH:MM-HH:MM, such as 22:00-07:00"},
      {"25:00-07:00", "'25:00-07:00' is not a time window: '25:00' is not a "
                      "time of day (00:00 to 23:59, and 24:00 as the end)"},
      {"22:00-07:75", "'22:00-07:75' is not a time window: '07:75' is not a "
                      "time of day (00:00 to 23:59, and 24:00 as the end)"},
      {"24:00-07:00", "'24:00-07:00' is not a time window: '24:00' is not a "
                      "time of day (00:00 to 23:59, and 24:00 as the end)"},
      {"08:00 - 24:30", "'08:00 - 24:30' is not a time window: '24:30' is "
                        "not a time of day (00:00 to 23:59, and 24:00 as the "
                        "end)"},
      {"08:00-08:00", "'08:00-08:00' is not a time window: it starts and ends "
                      "at the same time"},
      {"00:00-00:00", "'00:00-00:00' is not a time window: it starts and ends "
                      "at the same time"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct mw_clock_window w = {-5, -5};
    struct mw_err err = {0};
    assert_int_equal(mw_clock_window_parse(bad[i].text, &w, &err), MW_EINVAL);
    assert_string_equal(err.msg, bad[i].msg);
    assert_int_equal(w.from_min, -5);
  }
  /* A long bad text is cut in the message, never split inside a
   * character. */
  char longer[300];
  memset(longer, 'x', sizeof longer - 1);
  longer[sizeof longer - 1] = '\0';
  struct mw_clock_window w;
  struct mw_err err = {0};
  assert_int_equal(mw_clock_window_parse(longer, &w, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "xxx...' is not a time window"));
  assert_true(strlen(err.msg) < 160);
}

static void test_window_has(void **state) {
  (void)state;
  struct mw_clock_window day = {510, 1050}; /* 08:30-17:30 */
  assert_false(mw_clock_window_has(day, 509));
  assert_true(mw_clock_window_has(day, 510));
  assert_true(mw_clock_window_has(day, 720));
  assert_true(mw_clock_window_has(day, 1049));
  assert_false(mw_clock_window_has(day, 1050)); /* the end is not in it */
  assert_false(mw_clock_window_has(day, 0));
  /* Wrapping midnight: 22:00-07:00. */
  struct mw_clock_window night = {1320, 420};
  assert_true(mw_clock_window_has(night, 1320));
  assert_true(mw_clock_window_has(night, 1439));
  assert_true(mw_clock_window_has(night, 0));
  assert_true(mw_clock_window_has(night, 419));
  assert_false(mw_clock_window_has(night, 420));
  assert_false(mw_clock_window_has(night, 720));
  assert_false(mw_clock_window_has(night, 1319));
  /* Up to midnight, and all day. */
  struct mw_clock_window evening = {1080, 1440};
  assert_true(mw_clock_window_has(evening, 1439));
  assert_false(mw_clock_window_has(evening, 0));
  struct mw_clock_window all = {0, 1440};
  for (int m = 0; m < 1440; m += 37) assert_true(mw_clock_window_has(all, m));
  assert_true(mw_clock_window_has(all, 1439));
  /* Unset and empty windows hold nothing. */
  struct mw_clock_window unset = {-1, -1};
  assert_false(mw_clock_window_has(unset, 0));
  assert_false(mw_clock_window_has(unset, 600));
  struct mw_clock_window half = {-1, 600};
  assert_false(mw_clock_window_has(half, 300));
  struct mw_clock_window empty = {600, 600};
  assert_false(mw_clock_window_has(empty, 600));
  /* What the parser gives is what the test means. */
  struct mw_clock_window w;
  assert_int_equal(mw_clock_window_parse("23:30-00:30", &w, NULL), MW_OK);
  assert_true(mw_clock_window_has(w, 1410));
  assert_true(mw_clock_window_has(w, 15));
  assert_false(mw_clock_window_has(w, 30));
  assert_false(mw_clock_window_has(w, 1409));
}

static void test_day_words(void **state) {
  (void)state;
  static const struct {
    const char *word;
    unsigned mask;
  } good[] = {
      {"mon", 0x01},      {"Monday", 0x01},  {"周一", 0x01},
      {"星期一", 0x01},   {"tue", 0x02},     {"TUESDAY", 0x02},
      {"周二", 0x02},     {"星期二", 0x02},  {"wed", 0x04},
      {"wednesday", 0x04}, {"周三", 0x04},   {"星期三", 0x04},
      {"thu", 0x08},      {"thursday", 0x08}, {"周四", 0x08},
      {"星期四", 0x08},   {"fri", 0x10},     {"friday", 0x10},
      {"周五", 0x10},     {"星期五", 0x10},  {"sat", 0x20},
      {"saturday", 0x20}, {"周六", 0x20},    {"星期六", 0x20},
      {"sun", 0x40},      {"sunday", 0x40},  {"周日", 0x40},
      {"周天", 0x40},     {"星期日", 0x40},  {"星期天", 0x40},
      {"weekdays", 0x1f}, {"工作日", 0x1f},  {"weekend", 0x60},
      {"weekends", 0x60}, {"周末", 0x60},    {"all", 0x7f},
      {"ALL", 0x7f},      {"每天", 0x7f},
  };
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    unsigned mask = 0;
    struct mw_err err = {0};
    int rc = mw_day_mask_parse(good[i].word, &mask, &err);
    if (rc) print_error("%s: %s\n", good[i].word, err.msg);
    assert_int_equal(rc, MW_OK);
    assert_int_equal(mask, good[i].mask);
  }
  static const char *const bad[] = {"funday", "", "周八", "mon-fri",
                                    "星期", "monday "};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    unsigned mask = 99;
    struct mw_err err = {0};
    assert_int_equal(mw_day_mask_parse(bad[i], &mask, &err), MW_EINVAL);
    char want[400];
    snprintf(want, sizeof want,
             "unknown day '%s': write mon..sun, monday..sunday, 周一..周日, "
             "星期一..星期日, weekdays (工作日), weekend (周末) or all (每天)",
             bad[i]);
    assert_string_equal(err.msg, want);
    assert_int_equal(mask, 99);
  }
}

static void test_receiver_kinds(void **state) {
  (void)state;
  static const char *const names[] = {"webhook", "wecom", "dingtalk",
                                      "feishu",  "email", "exec"};
  for (int k = 0; k < MW_RECEIVER_KIND_COUNT; k++) {
    enum mw_receiver_kind got;
    assert_string_equal(mw_receiver_kind_name((enum mw_receiver_kind)k),
                        names[k]);
    assert_int_equal(mw_receiver_kind_parse(names[k], &got), MW_OK);
    assert_int_equal(got, k);
  }
  enum mw_receiver_kind got = MW_RECEIVER_EXEC;
  assert_int_equal(mw_receiver_kind_parse("slack", &got), MW_EINVAL);
  assert_int_equal(mw_receiver_kind_parse("WeCom", &got), MW_EINVAL);
  assert_int_equal(got, MW_RECEIVER_EXEC);
  assert_string_equal(mw_receiver_kind_name(MW_RECEIVER_KIND_COUNT), "unknown");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_clock_parse),
      cmocka_unit_test(test_window_parse),
      cmocka_unit_test(test_window_has),
      cmocka_unit_test(test_day_words),
      cmocka_unit_test(test_receiver_kinds),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
