/*
 * test_bulletin.c: `mediawatch bulletin` end to end. The real binary
 * crawls the fixture sites once with examples/demo.yaml, then drafts
 * issue 3 of the work bulletin from 2023-05-15 to 2023-05-21 (2023-W20)
 * in Markdown and HTML. Checked exactly: the masthead (the demo's office,
 * 2023年第3期（总第12期）, the date), 本期要目 in order of reach, each
 * item's 来源, date and lead; the topic filter and the limit; the HTML
 * passes xmllint --html without an error; bad options are usage errors.
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
  e2e_demo_crawled(&e->d, "bulletin");
  *state = e;
  return 0;
}

static int teardown(void **state) {
  struct env *e = *state;
  e2e_demo_free(&e->d);
  free(e);
  return 0;
}


static const char masthead_md[] =
    "# 工作简报\n\n2023年第3期\n\n吉林省生态环境厅宣传教育中心（演示）\n\n"
    "2023年5月21日\n\n---\n\n## 本期要目\n\n"
    "- ☆朝阳区永昌街道垃圾中转站恶臭扰民\n"
    "- ☆长春市印发“无废细胞”创建活动实施方案\n"
    "- ☆生态环境部固管中心到一汽集团调研“无废集团”创建\n"
    "- ☆第二届全国城市生活垃圾分类宣传周将启动 多地部署入户宣传\n"
    "- ☆江北区垃圾分类志愿者宣讲队走进社区\n"
    "- ☆长春市明确“无废细胞”创建类型和评价指标\n"
    "- ☆全国城市生活垃圾分类宣传周将于5月20日启动\n"
    "- ☆朝阳区全力打造“无废商圈”\n"
    "\n---\n\n## 朝阳区永昌街道垃圾中转站恶臭扰民\n\n";

static const char item2_md[] =
    "\n---\n\n## 长春市印发“无废细胞”创建活动实施方案\n\n"
    "来源：人民网　　日期：2023年5月15日\n\n"
    "为形成多场景的固体废物管理模式，在资源节约、垃圾分类、宣传引导等方面"
    "形成示范效应，长春市明确“无废细胞”创建类型、评价指标、评分标准和创建"
    "程序。\n\n---\n\n";

/* The week's stories, all topics, default limit 8, Markdown. */
static void test_markdown(void **state) {
  struct env *e = *state;
  char *out = e2e_run_config(e->d.cfg, 0, NULL, "bulletin", "--from",
                             "2023-05-15", "--to", "2023-05-21", "--issue",
                             "3", NULL);
  if (strncmp(out, masthead_md, strlen(masthead_md)))
    fail_msg("masthead and contents differ; got:\n%s", out);
  e2e_expect_in(out, "来源：吉林省网上群众留言板　　日期：2023年5月16日\n\n"
              "我是长春市朝阳区永昌街道某小区居民。");
  e2e_expect_in(out, item2_md);
  e2e_expect_in(out, "来源：中国环境报　　日期：2023年5月15日\n");
  assert_int_equal(e2e_count(out, "\n## "), 9); /* 本期要目 and 8 items */
  assert_int_equal(e2e_count(out, "来源："), 8);
  /* Reprints count once: the 无废细胞 story of 人民网 is one item. */
  assert_int_equal(e2e_count(out, "## 长春市印发“无废细胞”创建活动实施方案"), 1);
  free(out);
}

/* One topic, two stories, the running number, HTML that lints clean. */
static void test_html_topic_limit(void **state) {
  struct env *e = *state;
  char path[1100];
  e2e_path(&e->d.dir, "bulletin.html", path, sizeof path);
  char *out = e2e_run_config(e->d.cfg, 0, NULL, "bulletin", "--from",
                             "2023-05-15", "--to", "2023-05-21", "--issue",
                             "3", "--total", "12", "--topic", "无废城市",
                             "--limit", "2", "--format", "html", "--out",
                             path, NULL);
  assert_string_equal(out, "");
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
    fail_msg("xmllint --html (exit %d) on the bulletin:\n%s", status, lint);
  char *html = e2e_read_file(path, NULL);
  assert_non_null(html);
  e2e_expect_in(html, "<meta http-equiv=\"Content-Type\" content=\"text/html; "
               "charset=utf-8\">");
  e2e_expect_in(html, "@page { size: 21cm 29.7cm;");
  e2e_expect_in(html, "'仿宋',FangSong");
  e2e_expect_in(html, ">2023年第3期（总第12期）</p>");
  e2e_expect_in(html, ">吉林省生态环境厅宣传教育中心（演示）</td><td style=\"text-align:"
               "right;padding:0 0 4pt 0;font-size:14pt\">2023年5月21日</td>");
  e2e_expect_in(html, "<p style=\"margin:0 0 0 2em\">☆长春市印发“无废细胞”创建活动"
               "实施方案</p>\n<p style=\"margin:0 0 0 2em\">☆生态环境部固管中心"
               "到一汽集团调研“无废集团”创建</p>\n<h2 ");
  e2e_expect_in(html, ">来源：吉林日报　　日期：2023年5月16日</p>\n<p style=\""
               "text-indent:2em;margin:0\">调研组先后走访了一汽红旗新能源繁荣"
               "工厂、一汽集团铸造一厂等单位，针对“无废集团”创建工作进行现场"
               "调研指导。</p>\n</body>");
  assert_int_equal(e2e_count(html, "<h2 "), 2);
  assert_null(strstr(html, "<script"));
  free(html);
}

/* A range with no stories still has its masthead. */
static void test_empty(void **state) {
  struct env *e = *state;
  char *out = e2e_run_config(e->d.cfg, 0, NULL, "bulletin", "--from",
                             "2023-01-02", "--to", "2023-01-08", "--issue",
                             "1", "--date", "2023-01-09", NULL);
  assert_string_equal(out,
                      "# 工作简报\n\n2023年第1期\n\n吉林省生态环境厅宣传教育中心"
                      "（演示）\n\n2023年1月9日\n\n---\n\n## 本期要目\n\n"
                      "本期无稿件。\n");
  free(out);
}

static void usage_error(struct env *e, const char *msg, const char *a,
                        const char *b) {
  char *err = NULL;
  char *out = e2e_run_config(e->d.cfg, 2, &err, "bulletin", "--from",
                             "2023-05-15", "--to", "2023-05-21", a, b, NULL);
  e2e_expect_in(err, msg);
  free(out);
  free(err);
}

static void test_usage_errors(void **state) {
  struct env *e = *state;
  usage_error(e, "--issue: '0' is not a number from 1 to 9999", "--issue",
              "0");
  usage_error(e, "give --from, --to and --issue", "--limit", "3");
  char *err = NULL;
  char *out = e2e_run_config(e->d.cfg, 2, &err, "bulletin", "--from",
                             "2023-05-15", "--to", "2023-05-21", "--issue",
                             "3", "--topic", "大气污染", NULL);
  e2e_expect_in(err, "--topic: '大气污染' is not a topic of");
  e2e_expect_in(err, "(its topics: 无废城市, 垃圾分类)");
  free(out);
  free(err);
  out = e2e_run_config(e->d.cfg, 2, &err, "bulletin", "--from", "2023-05-15",
                       "--to", "2023-05-21", "--issue", "3", "--total", "2",
                       NULL);
  e2e_expect_in(err, "--total: '2' is not a number from 3 (the issue) to 99999");
  free(out);
  free(err);
  out = e2e_run_config(e->d.cfg, 2, &err, "bulletin", "--from", "2023-05-15",
                       "--to", "2023-05-21", "--issue", "3", "--format",
                       "csv", NULL);
  e2e_expect_in(err, "--format: 'csv' is not one of md, html");
  free(out);
  free(err);
}

static int64_t num(json_t *event, const char *topic, const char *key) {
  json_t *c = topic ? json_object_get(json_object_get(event, "topics"), topic)
                    : json_object_get(event, "all");
  json_t *v = json_object_get(c, key);
  if (!json_is_integer(v)) fail_msg("no integer %s of %s", key, topic);
  return (int64_t)json_integer_value(v);
}

/* The demo's calendar (examples/calendar.tsv) in the report of 2023-W20:
 * the 2023 campaign week starts in it (05-20), 生物多样性日 follows it; the
 * coverage of their days against the week before each. */
static void test_report_calendar(void **state) {
  struct env *e = *state;
  char *out = e2e_run_config(e->d.cfg, 0, NULL, "report", "--week", "2023-W20",
                             "--format", "json", NULL);
  json_t *root = e2e_json(out);
  json_t *events = json_object_get(json_object_get(root, "calendar"),
                                   "events");
  assert_int_equal(json_array_size(events), 2);
  json_t *week = json_array_get(events, 0), *day = json_array_get(events, 1);
  assert_string_equal(json_string_value(json_object_get(day, "name")),
                      "生物多样性日");
  assert_string_equal(json_string_value(json_object_get(day, "relation")),
                      "after");
  assert_int_equal(num(day, NULL, "during"), 3);
  assert_int_equal(num(day, NULL, "lead"), 22);
  assert_int_equal(num(day, "垃圾分类", "during"), 2);
  assert_int_equal(num(day, "垃圾分类", "lead"), 14);
  assert_string_equal(json_string_value(json_object_get(week, "name")),
                      "全国城市生活垃圾分类宣传周");
  assert_string_equal(json_string_value(json_object_get(week, "relation")),
                      "during");
  assert_string_equal(json_string_value(json_object_get(week, "last_day")),
                      "2023-05-26");
  assert_int_equal(num(week, NULL, "during"), 17);
  assert_int_equal(num(week, NULL, "lead"), 19);
  assert_int_equal(num(week, "无废城市", "during"), 8);
  assert_int_equal(num(week, "无废城市", "lead"), 8);
  assert_int_equal(num(week, "垃圾分类", "during"), 9);
  assert_true(json_is_false(
      json_object_get(json_object_get(week, "all"), "rose")));
  json_decref(root);

  out = e2e_run_config(e->d.cfg, 0, NULL, "report", "--week", "2023-W20", NULL);
  e2e_expect_in(out, "\n## 宣传节点（本期前后7天）\n");
  e2e_expect_in(out, "| 全国城市生活垃圾分类宣传周 | 2023-05-20至2023-05-26 | 7 | 本期内 "
              "| 全部稿件 | 17 | 19 | 2.4 / 2.7 | 下降 |\n");
  free(out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_report_calendar),
      cmocka_unit_test(test_markdown),
      cmocka_unit_test(test_html_topic_limit),
      cmocka_unit_test(test_empty),
      cmocka_unit_test(test_usage_errors),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
