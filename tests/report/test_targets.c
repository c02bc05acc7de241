/*
 * test_targets.c: tests report/targets.c and the target attainment
 * section (目标完成情况). The target period holding a report's last day
 * (week, month, quarter, year, range), the status at its edges (met, on
 * track exactly pro-rated, behind, missed once over), then the section of
 * the fixture's week 2023-W19 in each format against golden files, the
 * behind ones first, with a hostile target name escaped; absent when the
 * input has no targets, "无" when it has none to show.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "tests/report/report_fixture.h"

static int64_t day0(const struct mw_tz *tz, int y, int m, int d) {
  return mw_tz_from_civil(tz, y, m, d, 0, 0, 0);
}

static void expect_period(const struct rf *f, const char *kind, int fy,
                          int fm, int fd, int ty, int tm, int td) {
  struct mw_target_conf t = {.period = (char *)kind, .tier = -1};
  int64_t from, to;
  struct mw_err err = {0};
  if (mw_report_target_period(f->tz, &t, &f->period, &from, &to, &err))
    fail_msg("%s: %s", kind, err.msg);
  assert_int_equal(from, day0(f->tz, fy, fm, fd));
  assert_int_equal(to, day0(f->tz, ty, tm, td));
}

static void test_target_period(void **state) {
  (void)state;
  struct rf f;
  rf_init(&f); /* 2023-W19: Monday May 8 to Sunday May 14 */
  expect_period(&f, "week", 2023, 5, 8, 2023, 5, 15);
  expect_period(&f, "month", 2023, 5, 1, 2023, 6, 1);
  expect_period(&f, "quarter", 2023, 4, 1, 2023, 7, 1);
  expect_period(&f, "year", 2023, 1, 1, 2024, 1, 1);
  /* A month report: the week is the one holding May 31 (W22). */
  struct mw_err err = {0};
  assert_int_equal(mw_report_month_period(f.tz, 2023, 5, &f.period, &err),
                   MW_OK);
  expect_period(&f, "week", 2023, 5, 29, 2023, 6, 5);
  /* December: the quarter and month end with the year. */
  assert_int_equal(mw_report_month_period(f.tz, 2023, 12, &f.period, &err),
                   MW_OK);
  expect_period(&f, "quarter", 2023, 10, 1, 2024, 1, 1);
  expect_period(&f, "month", 2023, 12, 1, 2024, 1, 1);
  /* A range is itself, whatever the report, its last day included. */
  struct mw_target_conf r = {.period = "range", .tier = -1,
                             .from_day = mw_days_from_civil(2023, 5, 22),
                             .to_day = mw_days_from_civil(2023, 5, 28)};
  int64_t from, to;
  assert_int_equal(mw_report_target_period(f.tz, &r, &f.period, &from, &to,
                                           &err), MW_OK);
  assert_int_equal(from, day0(f.tz, 2023, 5, 22));
  assert_int_equal(to, day0(f.tz, 2023, 5, 29));
  struct mw_target_conf bad = {.period = "daily", .tier = -1};
  assert_int_equal(mw_report_target_period(f.tz, &bad, &f.period, &from, &to,
                                           &err), MW_EINVAL);
  rf_cleanup(&f);
}

static void test_target_status(void **state) {
  (void)state;
  /* Ten days of [0, 10 * 86400), min 10: one a day on track. */
  struct mw_report_target t = {.from = 0, .to = 10 * 86400, .min = 10};
  t.count = 4;
  assert_int_equal(mw_report_target_status(&t, 4 * 86400), MW_TARGET_ON_TRACK);
  assert_int_equal(mw_report_target_status(&t, 4 * 86400 + 1),
                   MW_TARGET_BEHIND);
  assert_int_equal(mw_report_target_status(&t, 0), MW_TARGET_ON_TRACK);
  t.count = 0;
  assert_int_equal(mw_report_target_status(&t, 0), MW_TARGET_ON_TRACK);
  assert_int_equal(mw_report_target_status(&t, 1), MW_TARGET_BEHIND);
  t.count = 9;
  assert_int_equal(mw_report_target_status(&t, 10 * 86400 - 1),
                   MW_TARGET_BEHIND);
  assert_int_equal(mw_report_target_status(&t, 10 * 86400), MW_TARGET_MISSED);
  assert_int_equal(mw_report_target_status(&t, 20 * 86400), MW_TARGET_MISSED);
  t.count = 10;
  assert_int_equal(mw_report_target_status(&t, 86400), MW_TARGET_MET);
  assert_int_equal(mw_report_target_status(&t, 20 * 86400), MW_TARGET_MET);
  assert_string_equal(mw_target_status_zh(MW_TARGET_ON_TRACK), "进度正常");
  assert_string_equal(mw_target_status_zh(MW_TARGET_BEHIND), "落后");
  assert_string_equal(mw_target_status_zh(MW_TARGET_MET), "达标");
  assert_string_equal(mw_target_status_zh(MW_TARGET_MISSED), "未达标");
  assert_string_equal(mw_target_status_name(MW_TARGET_ON_TRACK), "on_track");
}

static struct mw_report_target targets[5];

/* The fixture's week with five targets in config order: a month behind
 * (1 of 3 with 14 of 31 days gone), a hostile name met, a town on track
 * (1 of 2), the week itself missed, a range of stories not begun. */
static void init(struct rf *f, bool with) {
  rf_init(f);
  f->in.has_daily = f->in.has_top = f->in.has_alerts = f->in.has_failed =
      false;
  if (!with) return;
  int64_t m0 = day0(f->tz, 2023, 5, 1), m1 = day0(f->tz, 2023, 6, 1);
  int64_t w0 = day0(f->tz, 2023, 5, 8), w1 = day0(f->tz, 2023, 5, 15);
  int64_t r0 = day0(f->tz, 2023, 5, 22), r1 = day0(f->tz, 2023, 5, 29);
  targets[0] = (struct mw_report_target){"中央媒体每月至少3篇", "month", m0,
                                         m1, 1, 3, false};
  targets[1] = (struct mw_report_target){"宣传" XSS_SCRIPT XSS_IMG " | *a*",
                                         "month", m0, m1, 5, 2, false};
  targets[2] = (struct mw_report_target){"各镇街：永昌街道", "month", m0, m1,
                                         1, 2, false};
  targets[3] = (struct mw_report_target){"吉林日报每周2篇", "week", w0, w1, 1,
                                         2, false};
  targets[4] = (struct mw_report_target){"宣传周新闻", "range", r0, r1, 0, 1,
                                         true};
  f->in.has_targets = true;
  f->in.targets = targets;
  f->in.n_targets = 5;
}

static char *slice(const char *text, const char *start, const char *stop) {
  const char *a = strstr(text, start);
  if (!a) fail_msg("no '%s' in:\n%s", start, text);
  const char *b = stop ? strstr(a + strlen(start), stop) : NULL;
  size_t n = b ? (size_t)(b - a) : strlen(a);
  char *s = malloc(n + 1);
  memcpy(s, a, n);
  s[n] = '\0';
  return s;
}

static void golden(const char *name, char *got) {
  rf_check_golden(name, got, strlen(got));
  free(got);
}

static void test_section_md(void **state) {
  (void)state;
  struct rf f;
  init(&f, true);
  rf_render(&f, MW_REPORT_MD);
  char *s = slice(f.out.data, "\n## 目标完成情况", "\n## ");
  /* Missed, behind, on track, on track, met. */
  const char *a = strstr(s, "吉林日报每周2篇"), *b = strstr(s, "中央媒体"),
             *c = strstr(s, "永昌街道"), *d = strstr(s, "宣传周新闻"),
             *e = strstr(s, "宣传<");
  assert_true(a && b && c && d);
  assert_true(a < b && b < c && c < d);
  assert_null(e); /* escaped */
  golden("targets_2023-W19.md", s);
  rf_cleanup(&f);
}

static void test_section_csv(void **state) {
  (void)state;
  struct rf f;
  init(&f, true);
  rf_render(&f, MW_REPORT_CSV);
  golden("targets_2023-W19.csv",
         slice(f.out.data, "row_type,target,", "\r\n\r\n"));
  rf_cleanup(&f);
}

static void test_section_json(void **state) {
  (void)state;
  struct rf f;
  init(&f, true);
  rf_render(&f, MW_REPORT_JSON);
  json_error_t je;
  json_t *root = json_loads(f.out.data, 0, &je);
  if (!root) fail_msg("invalid JSON: %s", je.text);
  json_t *tg = json_object_get(root, "targets");
  assert_int_equal(json_array_size(tg), 5);
  json_t *first = json_array_get(tg, 0);
  assert_string_equal(json_string_value(json_object_get(first, "status")),
                      "missed");
  assert_string_equal(
      json_string_value(json_object_get(json_array_get(tg, 4), "name")),
      "宣传" XSS_SCRIPT XSS_IMG " | *a*");
  char *text = json_dumps(tg, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
  size_t len = strlen(text);
  char *got = malloc(len + 2);
  memcpy(got, text, len);
  memcpy(got + len, "\n", 2);
  free(text);
  golden("targets_2023-W19.json", got);
  json_decref(root);
  rf_cleanup(&f);
}

static void test_section_html(void **state) {
  (void)state;
  struct rf f;
  init(&f, true);
  rf_render(&f, MW_REPORT_HTML);
  char *s = slice(f.out.data, "<div class=\"section\" id=\"targets\">",
                  "</table></div>\n</div>\n");
  /* A bar per target, full at most. */
  size_t bars = 0;
  for (const char *p = s; (p = strstr(p, "title=\"进度\"")); p++) bars++;
  assert_int_equal(bars, 5);
  assert_non_null(strstr(s, "width:100.0%;"));
  golden("targets_2023-W19.html", s);
  assert_null(strstr(f.out.data, "<script"));
  assert_null(strstr(f.out.data, "<img src=x"));
  rf_cleanup(&f);
}

static void test_section_empty_and_absent(void **state) {
  (void)state;
  struct rf f;
  init(&f, false);
  rf_render(&f, MW_REPORT_MD);
  assert_null(strstr(f.out.data, "目标完成情况"));
  f.in.has_targets = true;
  rf_render(&f, MW_REPORT_MD);
  assert_non_null(strstr(f.out.data, "\n## 目标完成情况\n\n无\n"));
  rf_render(&f, MW_REPORT_HTML);
  assert_non_null(strstr(f.out.data, "<h2>目标完成情况</h2>\n<p>无</p>"));
  rf_render(&f, MW_REPORT_JSON);
  assert_non_null(strstr(f.out.data, "\"targets\": []"));
  rf_cleanup(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_target_period),
      cmocka_unit_test(test_target_status),
      cmocka_unit_test(test_section_md),
      cmocka_unit_test(test_section_csv),
      cmocka_unit_test(test_section_json),
      cmocka_unit_test(test_section_html),
      cmocka_unit_test(test_section_empty_and_absent),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
