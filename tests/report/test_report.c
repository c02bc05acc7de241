/* Tests the full report (mw_report_write: report/sections*.c, escape.c and
 * the formats): golden files of md, csv, json and html from a fixed input
 * (tests/data/report/report_2023-W19.*, regenerate with
 * MW_UPDATE_GOLDEN=1), hostile titles inert in every format, the period
 * headers of a month and a range, sections given empty, and the errors.
 * The HTML page's structure and charts are tested in test_html.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "tests/report/report_fixture.h"

static int setup(void **state) {
  struct rf *f = calloc(1, sizeof *f);
  rf_init(f);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  rf_cleanup(*state);
  free(*state);
  return 0;
}

static void test_golden(void **state) {
  struct rf *f = *state;
  static const struct {
    enum mw_report_format fmt;
    const char *name;
  } g[] = {{MW_REPORT_MD, "report_2023-W19.md"},
           {MW_REPORT_CSV, "report_2023-W19.csv"},
           {MW_REPORT_JSON, "report_2023-W19.json"},
           {MW_REPORT_HTML, "report_2023-W19.html"}};
  for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) {
    rf_render(f, g[i].fmt);
    rf_check_golden(g[i].name, f->out.data, f->out.len);
  }
}

static void expect(const char *text, const char *needle) {
  if (!text || !strstr(text, needle))
    fail_msg("expected '%s' in:\n%s", needle, text ? text : "(null)");
}

static void test_md(void **state) {
  struct rf *f = *state;
  rf_render(f, MW_REPORT_MD);
  const char *md = f->out.data;
  /* Nothing that CommonMark would turn into HTML: every < and & is
   * backslashed. */
  for (const char *p = strpbrk(md, "<&"); p; p = strpbrk(p + 1, "<&"))
    if (p[-1] != '\\') fail_msg("unescaped '%c' at: %.40s", *p, p);
  expect(md,
         "| 1 | \\<script\\>alert(1)\\</script\\> | 人民日报 | "
         "2023-05-08 09:00 | 3 | 3 | 人民日报、吉林日报、=HYPERLINK(\"http:"
         "//x\") |\n");
  expect(md,
         "| 3 | （无标题） |  | 2023-05-11 10:00 | 1 | 1 | @生态环境部 |\n");
  expect(md,
         "| 7 | 特别重大 | 已交办 | \"\\>\\<img src=x onerror=alert(1)\\> "
         "| 吉林省长春市双阳区奢岭街道 | 双阳区生态环境分局 | 2023-05-10 14:"
         "26 | 2023-05-11 14:26 | **超期** |\n");
  expect(md,
         "- 本期新增预警：4 条（特别重大 1，重大 2，较大 0，一般 1）\n"
         "- 未办结预警：2 条，其中超期 1 条\n");
  expect(md, "| 重大 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n");
  expect(md, "| 一般 | 0 | 0 | 0 | 0 | 0 | 1 | 1 |\n");
  expect(md, "| 2023-05-11 | 四 | 4 | 1 | 2 |\n");
  expect(md, "| 2023-05-13 | 六 | 0 | 0 | 0 |\n");
  expect(md,
         "| @吉林发布 | 新媒体 | https://rsshub.example/weibo/user/jlfb "
         "| 5 | 从未成功 | 403 | HTTP 403 \\<b\\>Forbidden\\</b\\> |\n");
}

static void test_csv(void **state) {
  struct rf *f = *state;
  rf_render(f, MW_REPORT_CSV);
  const char *csv = f->out.data;
  expect(csv, "\r\nday,2023-05-11,4,4,1,2\r\n");
  /* Quoted where needed; formulas neutralised, inside quotes too. */
  expect(csv,
         "\r\nstory,1,<script>alert(1)</script>,人民日报,2023-05-08 "
         "09:00,3,3,\"人民日报、吉林日报、=HYPERLINK(\"\"http://x\"\")\""
         "\r\n");
  expect(csv,
         "\r\nopen_alert,7,4,特别重大,assigned,已交办,\"\"\"><img src=x "
         "onerror=alert(1)>\",吉林省长春市双阳区奢岭街道,双阳区生态环境分局,"
         "2023-05-10 14:26,2023-05-11 14:26,yes,\r\n");
  expect(csv,
         "\r\nfailed_source,'-1+1,county,区县媒体,\"http://x.cn/a,b\",2,"
         "2023-05-02 12:00,0,'=1+1\r\n");
  expect(csv, "\r\nalert_count,4,特别重大,0,0,1,0,0,0,1\r\n");
  /* No cell starts with a formula character unless quoted away. */
  for (const char *p = csv; (p = strpbrk(p, ",\n")); p++) {
    char c = p[1] == '"' ? p[2] : p[1];
    if (c == '=' || c == '+' || c == '@' || c == '-')
      fail_msg("a cell starts with '%c': %.40s", c, p + 1);
  }
  for (size_t i = 0; i < f->out.len; i++)
    if (csv[i] == '\n') assert_int_equal(csv[i - 1], '\r');
}

static void test_json(void **state) {
  struct rf *f = *state;
  rf_render(f, MW_REPORT_JSON);
  assert_null(strpbrk(f->out.data, "<>&"));
  json_error_t jerr;
  json_t *root = json_loads(f->out.data, 0, &jerr);
  if (!root) fail_msg("invalid JSON: %s", jerr.text);
  json_t *top = json_object_get(root, "top_stories");
  assert_int_equal(json_array_size(top), 3);
  assert_string_equal(
      json_string_value(json_object_get(json_array_get(top, 0), "title")),
      XSS_SCRIPT);
  assert_true(json_is_null(json_object_get(json_array_get(top, 2), "title")));
  json_t *alerts = json_object_get(root, "alerts");
  assert_int_equal(json_integer_value(json_object_get(alerts, "created")), 4);
  json_t *open = json_object_get(alerts, "open");
  assert_string_equal(
      json_string_value(json_object_get(json_array_get(open, 0), "title")),
      XSS_IMG);
  /* A javascript: URL is dropped, an https one kept. */
  assert_true(json_is_null(json_object_get(json_array_get(open, 0), "url")));
  assert_string_equal(
      json_string_value(json_object_get(json_array_get(open, 1), "url")),
      "https://ly.jl.gov.cn/detail/2023050800417.html?a=1&b="
      "\"x\"");
  json_t *lv4 = json_array_get(json_object_get(alerts, "by_level"), 0);
  assert_int_equal(json_integer_value(json_object_get(lv4, "level")), 4);
  assert_int_equal(json_integer_value(json_object_get(
                       json_object_get(lv4, "states"), "assigned")),
                   1);
  json_t *daily = json_object_get(root, "daily");
  assert_int_equal(json_array_size(daily), 7);
  json_t *thu = json_array_get(daily, 3);
  assert_int_equal(json_integer_value(json_object_get(thu, "weekday")), 4);
  assert_int_equal(json_integer_value(json_object_get(
                       json_object_get(thu, "counts"), "垃圾分类")),
                   2);
  json_t *fs = json_object_get(root, "failed_sources");
  assert_int_equal(json_array_size(fs), 2);
  assert_true(json_is_null(json_object_get(json_array_get(fs, 0), "last_ok")));
  json_t *period = json_object_get(root, "period");
  assert_string_equal(json_string_value(json_object_get(period, "label")),
                      "2023年第19周");
  json_decref(root);
}

static void test_periods(void **state) {
  struct rf *f = *state;
  struct mw_err err = {0};
  f->in.has_daily = false; /* the days are the week's */
  assert_int_equal(mw_report_month_period(f->tz, 2023, 5, &f->period, &err),
                   MW_OK);
  rf_render(f, MW_REPORT_MD);
  expect(f->out.data,
         " 媒体报道月报\n\n- 统计周期：2023年5月 2023-05-01 至 "
         "2023-05-31（2023-05，Asia/Shanghai）\n");
  rf_render(f, MW_REPORT_JSON);
  expect(f->out.data, "\"month\": \"2023-05\",\n    \"kind\": \"month\"");
  assert_int_equal(mw_report_range_period(f->tz, "2023-12-30", "2024-01-02",
                                          &f->period, &err),
                   MW_OK);
  rf_render(f, MW_REPORT_HTML);
  expect(f->out.data,
         "统计周期：2023年12月30日至2024年1月2日 2023-12-30 至 "
         "2024-01-02（Asia/Shanghai）");
  expect(f->out.data, "媒体报道统计</h1>");
}

static void test_empty_sections(void **state) {
  struct rf *f = *state;
  f->in.n_top = 0;
  f->in.n_alerts = 0;
  f->in.n_open = 0;
  f->in.n_failed = 0;
  rf_render(f, MW_REPORT_MD);
  expect(f->out.data, "本期无稿件。\n");
  expect(f->out.data, "无未办结预警。\n");
  expect(f->out.data, "## 全期抓取失败的信息源\n\n无。\n");
  rf_render(f, MW_REPORT_HTML);
  expect(f->out.data, "<p class=\"empty\">无未办结预警。</p>");
  /* Not gathered: not shown. */
  f->in.has_top = f->in.has_alerts = f->in.has_failed = false;
  rf_render(f, MW_REPORT_MD);
  assert_null(strstr(f->out.data, "重点稿件"));
  assert_null(strstr(f->out.data, "敏感舆情"));
}

static void test_errors(void **state) {
  struct rf *f = *state;
  struct mw_err err = {0};
  const struct mw_cluster *top = f->in.top;
  f->in.top = NULL;
  assert_int_equal(
      mw_report_write(&f->cfg, &f->period, &f->in, MW_REPORT_MD, &f->out, &err),
      MW_EINVAL);
  assert_non_null(strstr(err.msg, "no array"));
  assert_int_equal(
      mw_report_write(&f->cfg, &f->period, NULL, MW_REPORT_MD, &f->out, &err),
      MW_EINVAL);
  /* Too small an output: ETOOBIG and the buffer as it was, in html too. */
  f->in.top = top;
  struct mw_buf small;
  mw_buf_init(&small, 3000);
  assert_int_equal(mw_buf_puts(&small, "kept"), MW_OK);
  assert_int_equal(mw_report_write(&f->cfg, &f->period, &f->in, MW_REPORT_HTML,
                                   &small, &err),
                   MW_ETOOBIG);
  assert_string_equal(small.data, "kept");
  mw_buf_cleanup(&small);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_golden, setup, teardown),
      cmocka_unit_test_setup_teardown(test_md, setup, teardown),
      cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
      cmocka_unit_test_setup_teardown(test_json, setup, teardown),
      cmocka_unit_test_setup_teardown(test_periods, setup, teardown),
      cmocka_unit_test_setup_teardown(test_empty_sections, setup, teardown),
      cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
