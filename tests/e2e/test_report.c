/*
 * test_report.c: `mediawatch report` end to end. The real binary crawls
 * the fixture sites once with examples/demo.yaml (55 items over
 * 2023-W19..W21, three alerts from the complaint board), then writes the
 * report of May 2023 as HTML, JSON and Markdown, and of a range of days.
 * The HTML must pass xmllint --html without an error and carry its three
 * charts (one bar per day of May); the JSON's days must add up to its
 * total; the open alerts are listed; the targets carry exact counts and
 * statuses, month and week. Bad periods are usage errors with a
 * message naming what to type.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/e2e/e2e.h"

struct env {
  struct e2e_demo d;
};

static int setup(void **state) {
  struct env *e = calloc(1, sizeof *e);
  e2e_demo_crawled(&e->d, "report");
  *state = e;
  return 0;
}

static int teardown(void **state) {
  struct env *e = *state;
  e2e_demo_free(&e->d);
  free(e);
  return 0;
}


static int hexval(char c) {
  return c >= '0' && c <= '9'   ? c - '0'
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

/* Bars in chart id of the page: its data: URI decoded, rects counted. */
static size_t chart_bars(const char *html, const char *id) {
  char key[64];
  snprintf(key, sizeof key, "<img class=\"chart\" id=\"%s\"", id);
  const char *at = strstr(html, key);
  if (!at) fail_msg("no chart %s in the page", id);
  at = strstr(at, "src=\"data:image/svg+xml;charset=utf-8,");
  assert_non_null(at);
  const char *end = strchr(at + 5, '"');
  assert_non_null(end);
  size_t cap = (size_t)(end - at) + 1, n = 0;
  char *svg = malloc(cap);
  for (const char *p = at; p < end; p++) {
    if (*p == '%' && p + 2 < end && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
      svg[n++] = (char)(hexval(p[1]) * 16 + hexval(p[2]));
      p += 2;
    } else {
      svg[n++] = *p;
    }
  }
  svg[n] = '\0';
  size_t bars = e2e_count(svg, "<rect class=\"bar\"");
  free(svg);
  return bars;
}

static void test_month_html(void **state) {
  struct env *e = *state;
  char path[1100];
  e2e_path(&e->d.dir, "may.html", path, sizeof path);
  char *out = e2e_run_config(e->d.cfg, 0, NULL, "report", "--month", "2023-05",
                             "--format", "html", "--out", path, NULL);
  free(out);
  char cmd[1300];
  snprintf(cmd, sizeof cmd, "xmllint --html --noout '%s' 2>&1", path);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  char lint[4096];
  size_t n = fread(lint, 1, sizeof lint - 1, p);
  lint[n] = '\0';
  int status = pclose(p);
  if (status != 0 || n != 0)
    fail_msg("xmllint --html (exit %d) on the report:\n%s", status, lint);

  size_t len;
  char *html = e2e_read_file(path, &len);
  assert_non_null(html);
  e2e_expect_in(html, "媒体报道月报</h1>");
  e2e_expect_in(html,
         "统计周期：2023年5月 2023-05-01 至 2023-05-31（2023-05，"
         "Asia/Shanghai）");
  e2e_expect_in(html, "<div class=\"n\">55 篇</div>");
  assert_int_equal(chart_bars(html, "chart-daily"), 31);
  assert_true(chart_bars(html, "chart-tiers") >= 3);
  assert_true(chart_bars(html, "chart-outlets") >= 3);
  assert_null(strstr(html, "<script"));
  /* The three complaint-board alerts are open: listed with their level. */
  e2e_expect_in(html, "<h3>未办结预警（截至报告生成时）</h3>");
  const char *list = strstr(html, "<table id=\"open-alerts\">");
  assert_non_null(list);
  assert_int_equal(e2e_count(list, "<span class=\"lv\""), 3);
  e2e_expect_in(list, "双阳区奢岭街道一企业夜间偷排污水");
  free(html);
}

static void test_month_json_and_range(void **state) {
  struct env *e = *state;
  json_t *r = e2e_json(e2e_run_config(e->d.cfg, 0, NULL, "report", "--month",
                                      "2023-05", "--format", "json", NULL));
  json_t *daily = json_object_get(r, "daily");
  assert_int_equal(json_array_size(daily), 31);
  int64_t sum = 0;
  size_t i;
  json_t *d;
  json_array_foreach(daily, i, d) sum +=
      json_integer_value(json_object_get(d, "all"));
  assert_int_equal(sum, 55);
  assert_int_equal(
      json_integer_value(json_object_get(json_object_get(r, "total"), "all")),
      55);
  /* April had nothing: the change has no percentage. */
  json_t *arts = json_object_get(json_object_get(r, "totals"), "articles");
  assert_int_equal(json_integer_value(json_object_get(arts, "prev")), 0);
  assert_true(json_array_size(json_object_get(r, "top_stories")) > 0);
  assert_int_equal(json_integer_value(json_object_get(
                       json_object_get(r, "alerts"), "open_count")),
                   3);
  /* The crawl went well: no source failed in May (nor was polled then). */
  assert_int_equal(json_array_size(json_object_get(r, "failed_sources")), 0);
  json_decref(r);

  /* Two weeks as a range: the same articles as W19 + W20, compared with
   * the two weeks before. */
  char *md = e2e_run_config(e->d.cfg, 0, NULL, "report", "--from", "2023-05-08",
                            "--to", "2023-05-21", NULL);
  e2e_expect_in(md, " 媒体报道统计\n");
  e2e_expect_in(md,
         "- 统计周期：2023年5月8日至5月21日 2023-05-08 至 2023-05-21"
         "（Asia/Shanghai）\n");
  e2e_expect_in(md, "\n## 每日报道量\n");
  assert_int_equal(e2e_count(md, "\n| 2023-05-"), 14);
  free(md);
}

/* Target row i of a JSON report: its name, count, min and status. */
static void expect_target(json_t *targets, size_t i, const char *name,
                          int64_t count, int64_t min, const char *status) {
  json_t *t = json_array_get(targets, i);
  if (!t) fail_msg("no target #%zu", i);
  assert_string_equal(json_string_value(json_object_get(t, "name")), name);
  assert_int_equal(json_integer_value(json_object_get(t, "count")), count);
  assert_int_equal(json_integer_value(json_object_get(t, "min")), min);
  assert_string_equal(json_string_value(json_object_get(t, "status")), status);
}

/* The demo's targets over May 2023, `each` expanded into a target per
 * district, the behind ones first, with exact counts; then a week in the
 * middle of May, where the month's targets are pro-rated. */
static void test_month_targets(void **state) {
  struct env *e = *state;
  json_t *r = e2e_json(e2e_run_config(e->d.cfg, 0, NULL, "report", "--month",
                                      "2023-05", "--format", "json", NULL));
  json_t *tg = json_object_get(r, "targets");
  assert_int_equal(json_array_size(tg), 8);
  expect_target(tg, 0, "各城区每月至少2篇：宽城区", 1, 2, "missed");
  expect_target(tg, 1, "各城区每月至少2篇：绿园区", 1, 2, "missed");
  expect_target(tg, 2, "各城区每月至少2篇：双阳区", 1, 2, "missed");
  /* The week holding May 31 (W22) has barely begun. */
  expect_target(tg, 3, "吉林日报每周报道无废城市", 0, 2, "behind");
  expect_target(tg, 4, "中央媒体每月报道无废城市", 7, 3, "met");
  expect_target(tg, 5, "各城区每月至少2篇：朝阳区", 8, 2, "met");
  expect_target(tg, 6, "无废城市每月新闻", 36, 10, "met");
  expect_target(tg, 7, "宣传周新媒体报道垃圾分类", 1, 1, "met");
  json_t *w22 = json_array_get(tg, 3);
  assert_string_equal(json_string_value(json_object_get(w22, "first_day")),
                      "2023-05-29");
  assert_string_equal(json_string_value(json_object_get(w22, "last_day")),
                      "2023-06-04");
  json_t *st = json_array_get(tg, 6);
  assert_string_equal(json_string_value(json_object_get(st, "unit")),
                      "stories");
  json_decref(r);

  char *md = e2e_run_config(e->d.cfg, 0, NULL, "report", "--week", "2023-W20",
                            NULL);
  /* W20 ends on May 21: 21 of May's 31 days gone, so 1 of 2 is behind;
   * the week's own target is over; the campaign week's target (May 20-26)
   * is met on its second day. */
  const char *sec = strstr(md, "\n## 目标完成情况\n");
  assert_non_null(sec);
  const char *week = strstr(sec, "| 吉林日报每周报道无废城市 | 周 | "
                                 "2023-05-15至2023-05-21 | 1 | 2 | 50.0% "
                                 "| 未达标 |\n");
  const char *behind = strstr(sec, "| 各城区每月至少2篇：宽城区 | 月 | "
                                   "2023-05-01至2023-05-31 | 1 | 2 | 50.0% "
                                   "| 落后 |\n");
  assert_non_null(week);
  assert_non_null(behind);
  assert_true(week < behind);
  e2e_expect_in(sec, "| 宣传周新媒体报道垃圾分类 | 时段 | 2023-05-20至"
                     "2023-05-26 | 1 | 1 | 100.0% | 达标 |\n");
  e2e_expect_in(sec, "| 无废城市每月新闻 | 月 | 2023-05-01至2023-05-31 | "
                     "26（条新闻） | 10 | 260.0% | 达标 |\n");
  free(md);
}

static void test_bad_periods(void **state) {
  struct env *e = *state;
  static const struct {
    const char *a[6];
    const char *msg;
  } cases[] = {
      {{"report", "--month", "2023-13", NULL}, "--month: '2023-13'"},
      {{"report", "--month", "2023-05", "--week", "2023-W19", NULL},
       "give one period"},
      {{"report", "--from", "2023-05-08", NULL}, "--from and --to go together"},
      {{"report", "--from", "2023-05-10", "--to", "2023-05-08", NULL},
       "comes before the first day"},
      {{"report", "--from", "2023-05-08", "--to", "2023/05/10", NULL},
       "'2023/05/10' is not a date"},
      {{"report", "--month", "2023-05", "--format", "pdf", NULL},
       "md, csv, json, html"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *args[10];
    size_t n = 0;
    for (; cases[i].a[n]; n++) args[n] = cases[i].a[n];
    args[n++] = "--config";
    args[n++] = e->d.cfg;
    args[n] = NULL;
    char *err = NULL;
    assert_int_equal(e2e_run(NULL, &err, args), 2);
    e2e_expect_in(err, cases[i].msg);
    free(err);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_month_html),
      cmocka_unit_test(test_month_json_and_range),
      cmocka_unit_test(test_month_targets),
      cmocka_unit_test(test_bad_periods),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
