/* Tests alerts/message.c: the default message, templates, JSON, and the
 * bounds on what a crawled page can put into them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "alerts/alerts.h"

static struct mw_tz *tz;

static int setup(void **state) {
  (void)state;
  struct mw_err err = {0};
  return mw_tz_load("Asia/Shanghai", &tz, &err);
}

static int teardown(void **state) {
  (void)state;
  mw_tz_free(tz);
  return 0;
}

/* An alert as the store hands it out (strings borrowed for the test). */
static struct mw_alert_rec sample(void) {
  return (struct mw_alert_rec){
      .id = 42,
      .key = "cluster:12",
      .kind = "article",
      .cluster_id = 12,
      .article_id = 301,
      .region = "长春市朝阳区",
      .level = 3,
      .state = "new",
      .title = "朝阳区一垃圾中转站恶臭扰民 居民多次投诉",
      .url = "https://www.example.cn/news/202305/t20230508_1234567.html",
      .reason = "恶臭、投诉、垃圾站",
      .created = mw_time_from_civil(2023, 5, 8, 2, 0, 0, 0),
      .updated = mw_time_from_civil(2023, 5, 8, 2, 30, 0, 0),
      .deadline = mw_time_from_civil(2023, 5, 8, 7, 0, 0, 0), /* 15:00 */
      .article_count = 3,
      .outlet_count = 2,
      .outlets = "人民网、吉林日报",
  };
}

static char *render(const char *tmpl, const struct mw_alert_rec *r,
                    enum mw_alert_event_kind ev, const char *link_base) {
  struct mw_buf b;
  mw_buf_init(&b, 64 * 1024);
  struct mw_err err = {0};
  int rc = mw_alert_render(tmpl, r, ev, tz, link_base, &b, &err);
  if (rc) fail_msg("%s", err.msg);
  return mw_buf_steal(&b);
}

static void expect_render(const char *tmpl, const struct mw_alert_rec *r,
                          enum mw_alert_event_kind ev, const char *link_base,
                          const char *want) {
  char *got = render(tmpl, r, ev, link_base);
  assert_string_equal(got, want);
  free(got);
}

static void test_event_names(void **state) {
  (void)state;
  const char *names[] = {"alert", "rose", "escalation", "overdue", "repeat",
                         "assigned"};
  for (int i = 0; i < MW_EVENT_COUNT; i++)
    assert_string_equal(mw_alert_event_name((enum mw_alert_event_kind)i),
                        names[i]);
  assert_string_equal(mw_alert_event_name(MW_EVENT_COUNT), "unknown");
}

static void test_default(void **state) {
  (void)state;
  struct mw_alert_rec r = sample();
  expect_render(NULL, &r, MW_EVENT_RAISED, NULL,
                "【重大舆情预警·橙色】新预警\n"
                "标题：朝阳区一垃圾中转站恶臭扰民 居民多次投诉\n"
                "属地：长春市朝阳区\n"
                "来源：人民网、吉林日报（共2家媒体，3篇）\n"
                "原因：恶臭、投诉、垃圾站\n"
                "状态：新预警  处置时限：2023-05-08 15:00\n"
                "链接：https://www.example.cn/news/202305/"
                "t20230508_1234567.html");

  /* Assigned: the unit and its due time; the dashboard link. */
  r.state = "assigned";
  r.assignee = "朝阳区生态环境分局";
  r.due = mw_time_from_civil(2023, 5, 9, 1, 0, 0, 0); /* 09:00 */
  r.topic = "垃圾分类";
  r.level = 4;
  expect_render(NULL, &r, MW_EVENT_ASSIGNED, "https://mw.example.cn/",
                "【特别重大舆情预警·红色】交办\n"
                "标题：朝阳区一垃圾中转站恶臭扰民 居民多次投诉\n"
                "专题：垃圾分类\n"
                "属地：长春市朝阳区\n"
                "来源：人民网、吉林日报（共2家媒体，3篇）\n"
                "原因：恶臭、投诉、垃圾站\n"
                "交办单位：朝阳区生态环境分局\n"
                "状态：已交办  处置时限：2023-05-09 09:00\n"
                "链接：https://www.example.cn/news/202305/"
                "t20230508_1234567.html\n"
                "详情：https://mw.example.cn/alerts/42");

  /* Overdue, reported: the response deadline again, marked. */
  r.state = "reported";
  r.overdue = true;
  expect_render("{state_zh} {deadline}", &r, MW_EVENT_OVERDUE, NULL,
                "已报告 2023-05-08 15:00");
  char *got = render(NULL, &r, MW_EVENT_OVERDUE, NULL);
  assert_non_null(strstr(got, "】逾期督办\n"));
  assert_non_null(strstr(got, "\n状态：已报告  处置时限：2023-05-08 15:00（已逾期）\n"));
  free(got);
}

static void test_default_sparse(void **state) {
  (void)state;
  /* A burst: no title, no URL, no outlets; lines without a value are
   * left out. */
  struct mw_alert_rec r = {.id = 7, .key = "burst:垃圾分类", .kind = "burst",
                           .topic = "垃圾分类", .level = 1, .state = "new",
                           .reason = "近1小时提及36次，为基线的4倍"};
  expect_render(NULL, &r, MW_EVENT_RAISED, NULL,
                "【一般舆情预警·蓝色】新预警\n"
                "专题：垃圾分类\n"
                "原因：近1小时提及36次，为基线的4倍\n"
                "状态：新预警");
  /* Empty strings count as missing; an unknown state is shown as
   * written; outlets without counts have no count. */
  r.title = "";
  r.state = "archived";
  r.outlets = "新华网";
  r.level = 2;
  expect_render(NULL, &r, MW_EVENT_REPEAT, NULL,
                "【较大舆情预警·黄色】提醒\n"
                "专题：垃圾分类\n"
                "来源：新华网\n"
                "原因：近1小时提及36次，为基线的4倍\n"
                "状态：archived");
}

static void test_template(void **state) {
  (void)state;
  struct mw_alert_rec r = sample();
  r.topic = "垃圾分类";
  expect_render("[{level_zh}/{color}/{level}] {title} @{region} #{id}", &r,
                MW_EVENT_RAISED, NULL,
                "[重大/orange/3] 朝阳区一垃圾中转站恶臭扰民 居民多次投诉 "
                "@长春市朝阳区 #42");
  expect_render("{event}|{state}|{state_zh}|{topic}|{outlets}|{outlet_count}|"
                "{article_count}|{reason}|{deadline}|{color_zh}",
                &r, MW_EVENT_ESCALATED, NULL,
                "未确认，升级|new|新预警|垃圾分类|人民网、吉林日报|2|3|"
                "恶臭、投诉、垃圾站|2023-05-08 15:00|橙色");
  expect_render("{url} {link}", &r, MW_EVENT_RAISED, "http://mw.local//",
                "https://www.example.cn/news/202305/t20230508_1234567.html "
                "http://mw.local/alerts/42");
  /* No link base, no assignee: empty. Unknown names, unclosed braces and
   * braces around nothing stay as written. */
  expect_render("<{link}><{assignee}>{nope} {title {} {{id}} {", &r,
                MW_EVENT_RAISED, NULL, "<><>{nope} {title {} {42} {");
  expect_render("", &r, MW_EVENT_RAISED, NULL, "");
  /* Output is appended to what the buffer holds. */
  struct mw_buf b;
  mw_buf_init(&b, 1024);
  mw_buf_puts(&b, "A:");
  assert_int_equal(mw_alert_render("{id}", &r, MW_EVENT_RAISED, NULL, NULL, &b,
                                   NULL),
                   MW_OK);
  assert_string_equal(b.data, "A:42"); /* no zone: UTC */
  mw_buf_cleanup(&b);
}

static void test_bounds(void **state) {
  (void)state;
  struct mw_alert_rec r = sample();
  /* A 300-character title is cut at 200 characters, on a character. */
  struct mw_buf title, want;
  mw_buf_init(&title, 4096);
  mw_buf_init(&want, 4096);
  for (int i = 0; i < 300; i++) {
    mw_buf_puts(&title, i % 2 ? "污" : "a");
    if (i < 200) mw_buf_puts(&want, i % 2 ? "污" : "a");
  }
  mw_buf_puts(&want, "…");
  r.title = title.data;
  expect_render("{title}", &r, MW_EVENT_RAISED, NULL, want.data);
  /* Exactly 200: not cut. */
  title.len = want.len - strlen("…");
  title.data[title.len] = '\0';
  expect_render("{title}", &r, MW_EVENT_RAISED, NULL, title.data);
  mw_buf_cleanup(&title);
  mw_buf_cleanup(&want);

  /* Control characters become spaces, bytes that are not UTF-8 U+FFFD. */
  r.title = "第一行\n第二行\t\x01完\xff\xe6\xb1";
  expect_render("{title}", &r, MW_EVENT_RAISED, NULL,
                "第一行 第二行  完\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");

  /* At most 20 outlets are named. */
  struct mw_buf outlets;
  mw_buf_init(&outlets, 4096);
  for (int i = 0; i < 25; i++)
    mw_buf_printf(&outlets, "%s媒体%02d", i ? "、" : "", i);
  r.outlets = outlets.data;
  char *got = render("{outlets}", &r, MW_EVENT_RAISED, NULL);
  assert_non_null(strstr(got, "、媒体19等"));
  assert_null(strstr(got, "媒体20"));
  free(got);
  mw_buf_cleanup(&outlets);
  /* Empty names between separators are skipped. */
  r.outlets = "、人民网、、吉林日报、";
  expect_render("{outlets}", &r, MW_EVENT_RAISED, NULL, "人民网、吉林日报");

  /* A URL too long to be useful is left out, not cut. */
  char url[3000];
  memset(url, 'a', sizeof url - 1);
  url[sizeof url - 1] = '\0';
  memcpy(url, "https://", 8);
  r.url = url;
  expect_render("[{url}]", &r, MW_EVENT_RAISED, NULL, "[]");
  char *def = render(NULL, &r, MW_EVENT_RAISED, NULL);
  assert_null(strstr(def, "链接："));
  free(def);

  /* Over the buffer's ceiling: MW_ETOOBIG, the buffer as it was. */
  r = sample();
  struct mw_buf b;
  mw_buf_init(&b, 64);
  mw_buf_puts(&b, "keep");
  struct mw_err err = {0};
  assert_int_equal(mw_alert_render(NULL, &r, MW_EVENT_RAISED, tz, NULL, &b,
                                   &err),
                   MW_ETOOBIG);
  assert_string_equal(b.data, "keep");
  assert_int_equal(b.len, 4);
  assert_string_equal(err.msg,
                      "alert 42: the message is longer than the 64 bytes "
                      "allowed");
  mw_buf_cleanup(&b);

  /* A template over 16 KB is refused. */
  char *big = malloc(20000);
  memset(big, 'x', 19999);
  big[19999] = '\0';
  mw_buf_init(&b, 64 * 1024);
  assert_int_equal(mw_alert_render(big, &r, MW_EVENT_RAISED, tz, NULL, &b,
                                   &err),
                   MW_EINVAL);
  assert_string_equal(err.msg,
                      "alert 42: the message template is longer than 16384 "
                      "bytes");
  assert_int_equal(b.len, 0);
  mw_buf_cleanup(&b);
  free(big);

  assert_int_equal(mw_alert_render(NULL, NULL, MW_EVENT_RAISED, tz, NULL, &b,
                                   &err),
                   MW_EINVAL);
}

static void test_json(void **state) {
  (void)state;
  struct mw_alert_rec r = sample();
  char *js = NULL;
  struct mw_err err = {0};
  assert_int_equal(mw_alert_to_json(&r, MW_EVENT_RAISED, "https://mw.example.cn",
                                    &js, &err),
                   MW_OK);
  assert_string_equal(
      js,
      "{\"id\":42,\"key\":\"cluster:12\",\"kind\":\"article\","
      "\"event\":\"alert\",\"event_zh\":\"新预警\",\"level\":3,"
      "\"level_zh\":\"重大\",\"color\":\"orange\",\"state\":\"new\","
      "\"state_zh\":\"新预警\","
      "\"title\":\"朝阳区一垃圾中转站恶臭扰民 居民多次投诉\","
      "\"url\":\"https://www.example.cn/news/202305/"
      "t20230508_1234567.html\","
      "\"region\":\"长春市朝阳区\",\"topic\":null,"
      "\"outlets\":[\"人民网\",\"吉林日报\"],\"outlet_count\":2,"
      "\"article_count\":3,\"reason\":\"恶臭、投诉、垃圾站\","
      "\"assignee\":null,\"deadline\":\"2023-05-08T07:00:00Z\","
      "\"due\":null,\"overdue\":false,"
      "\"created\":\"2023-05-08T02:00:00Z\","
      "\"updated\":\"2023-05-08T02:30:00Z\","
      "\"link\":\"https://mw.example.cn/alerts/42\"}");
  free(js);

  /* Whatever a page held, the JSON parses back; no link without a base;
   * no outlets is an empty array. */
  r.title = "引号\"与\\反斜杠\n\xff";
  r.outlets = NULL;
  r.state = "closed";
  assert_int_equal(mw_alert_to_json(&r, MW_EVENT_REPEAT, NULL, &js, &err),
                   MW_OK);
  json_error_t je;
  json_t *o = json_loads(js, 0, &je);
  assert_non_null(o);
  assert_string_equal(json_string_value(json_object_get(o, "title")),
                      "引号\"与\\反斜杠 \xEF\xBF\xBD");
  assert_true(json_is_null(json_object_get(o, "link")));
  assert_int_equal(json_array_size(json_object_get(o, "outlets")), 0);
  assert_string_equal(json_string_value(json_object_get(o, "event")),
                      "repeat");
  assert_string_equal(json_string_value(json_object_get(o, "state_zh")),
                      "已办结");
  json_decref(o);
  free(js);

  assert_int_equal(mw_alert_to_json(NULL, MW_EVENT_RAISED, NULL, &js, &err),
                   MW_EINVAL);
  assert_null(js);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_event_names), cmocka_unit_test(test_default),
      cmocka_unit_test(test_default_sparse), cmocka_unit_test(test_template),
      cmocka_unit_test(test_bounds),      cmocka_unit_test(test_json),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
