/* Tests health/message.c: the Chinese line of every problem code as an
 * admin reads it, the message sent at once and the digest's ceiling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "health/health_int.h"

#define H 3600
#define D 86400

static int64_t now_t(void) {
  return mw_time_from_civil(2026, 11, 25, 12, 0, 0, 0);
}

static void line_is(const struct mw_health_problem *p, enum mw_source_kind k,
                    const char *want) {
  struct mw_buf b;
  mw_buf_init(&b, 4096);
  assert_int_equal(health_problem_zh(p, k, now_t(), &b), 0);
  if (strcmp(b.data, want) != 0) fail_msg("got %s\nwant %s", b.data, want);
  mw_buf_cleanup(&b);
}

static void test_lines(void **state) {
  (void)state;
  struct mw_health_problem p;
  memset(&p, 0, sizeof p);
  p.code = MW_PROBLEM_UNREACHABLE;
  p.since = now_t() - (7 * H + 12 * 60);
  p.count = 9;
  snprintf(p.text, sizeof p.text, "HTTP 503");
  line_is(&p, MW_SOURCE_HTML,
          "已 7 小时 12 分无法访问（9 次抓取失败，最近错误：HTTP 503）");

  memset(&p, 0, sizeof p);
  p.code = MW_PROBLEM_NO_LINKS;
  p.usual = 20;
  line_is(&p, MW_SOURCE_HTML, "栏目页无文章链接（通常 20 条），模板可能已改版");
  p.usual = 0;
  line_is(&p, MW_SOURCE_SITEMAP, "站点地图无链接，地址或格式可能已变");

  p.code = MW_PROBLEM_FEWER_LINKS;
  p.count = 3;
  p.usual = 20;
  line_is(&p, MW_SOURCE_FEED,
          "订阅源条目骤降至 3 条（通常 20 条），地址或格式可能已变");

  memset(&p, 0, sizeof p);
  p.code = MW_PROBLEM_EXTRACTION;
  snprintf(p.field, sizeof p.field, "body");
  p.share = 0.5;
  p.usual_share = 0.98;
  line_is(&p, MW_SOURCE_HTML, "正文提取率 50%（通常 98%），页面结构可能已变");

  memset(&p, 0, sizeof p);
  p.code = MW_PROBLEM_MOJIBAKE;
  p.share = 0.23;
  snprintf(p.text, sizeof p.text, "é•¿æ˜¥");
  line_is(&p, MW_SOURCE_HTML, "疑似乱码：23% 的字符异常（通常 0%），例：“é•¿æ˜¥”");

  memset(&p, 0, sizeof p);
  p.code = MW_PROBLEM_SILENT;
  p.since = now_t() - 23 * D;
  p.usual = 7 * D;
  p.count = 13;
  line_is(&p, MW_SOURCE_FEED,
          "已 23 天无新文章（通常每 7 天一篇，一年内 13 篇）");

  memset(&p, 0, sizeof p);
  p.code = MW_PROBLEM_MOVED;
  snprintf(p.url, sizeof p.url, "https://sthjj.changchun.gov.cn/xwzx/");
  line_is(&p, MW_SOURCE_HTML,
          "网址已永久跳转至 https://sthjj.changchun.gov.cn/xwzx/，请在配置中"
          "更新地址");
}

static void test_now_and_digest(void **state) {
  (void)state;
  struct mw_tz *tz = NULL;
  struct mw_err err = {0};
  assert_int_equal(mw_tz_load("+08:00", &tz, &err), 0);
  struct mw_health_row rows[40];
  struct mw_health_problem probs[40];
  memset(rows, 0, sizeof rows);
  memset(probs, 0, sizeof probs);
  for (int i = 0; i < 40; i++) {
    rows[i].health.problems = &probs[i];
    rows[i].src.outlet_name = "吉林日报";
    rows[i].src.url = "https://www.jlrbszb.com/rss.xml";
    rows[i].src.kind = MW_SOURCE_FEED;
    rows[i].health.status = MW_HEALTH_DEGRADED;
    rows[i].health.n_problems = 1;
    rows[i].health.problems[0].code = MW_PROBLEM_MOVED;
    rows[i].health.problems[0].severity = MW_HEALTH_DEGRADED;
    snprintf(rows[i].health.problems[0].url, 64, "https://jlrb.cn/rss");
  }
  rows[0].health.problems[0].since = now_t() - 2 * D;
  const struct mw_health_problem *ps[] = {&rows[0].health.problems[0]};
  struct mw_buf b;
  mw_buf_init(&b, 64 * 1024);
  assert_int_equal(health_text_now(&rows[0], ps, 1, tz, now_t(), &b), 0);
  assert_string_equal(b.data,
                      "【信源异常】吉林日报\n"
                      "网址已永久跳转至 https://jlrb.cn/rss，请在配置中更新地址\n"
                      "https://www.jlrbszb.com/rss.xml\n"
                      "自 2026-11-23 20:00 起");
  mw_buf_reset(&b);
  /* 40 sources: 30 listed, the rest counted. */
  assert_int_equal(health_text_digest(rows, 40, tz, now_t(), &b), 0);
  assert_non_null(strstr(b.data, "【信源日报】2026-11-25：40 个信源异常（失效 "
                                  "0，异常 40）\n1. 吉林日报（异常）\n"));
  assert_non_null(strstr(b.data, "\n30. 吉林日报（异常）"));
  assert_null(strstr(b.data, "\n31. "));
  assert_non_null(strstr(b.data, "\n……另有 10 个信源异常，见 mediawatch "
                                  "sources health"));
  mw_buf_cleanup(&b);
  mw_tz_free(tz);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lines),
      cmocka_unit_test(test_now_and_digest),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
