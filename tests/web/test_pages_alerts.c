/*
 * test_pages_alerts.c: the alert pages, 预警队列 (web/page_alerts.c) and
 * one alert (page_alert.c), against a live server over the seeded store of
 * the API tests (test_api_fixture.h: alerts L0 level 3 new with a
 * <script> title, L1 level 2 reported, L2 level 1 closed): the rows and
 * their order, escaping, the action buttons a duty officer gets and a
 * viewer does not, the filters, paging, and the detail page with its
 * articles and audit trail. Every page also passes the checks of
 * pages_test_util.h (frame, CSP, no inline code, xmllint --html).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/web/pages_test_util.h"

static void test_alerts_viewer(void **state) {
  struct ta *f = *state;
  char *b = tp_page(f, "/alerts", &f->viewer, 200);
  tp_check_frame(b, "alerts", "/alerts");
  tp_expect_f(b, true,
              "<tr data-alert-id=\"%lld\" data-level=\"3\" data-state=\"new\" "
              "class=\"alert lv-row-3\">",
              (long long)f->alert[0]);
  tp_expect_f(
      b, true,
      "<tr data-alert-id=\"%lld\" data-level=\"2\" data-state=\"reported\" "
      "class=\"alert lv-row-2\">",
      (long long)f->alert[1]);
  /* Closed L2 is not in the open queue. */
  tp_expect_f(b, false, "data-alert-id=\"%lld\"", (long long)f->alert[2]);
  /* Highest level first. */
  char l0[32], l1[32];
  snprintf(l0, sizeof l0, "data-alert-id=\"%lld\"", (long long)f->alert[0]);
  snprintf(l1, sizeof l1, "data-alert-id=\"%lld\"", (long long)f->alert[1]);
  assert_true(strstr(b, l0) < strstr(b, l1));
  /* The crawled <script> title is text. */
  tp_expect_f(b, true,
              "<td class=\"c-title\"><a href=\"/alerts/%lld\">%s"
              "</a><div class=\"reason\">敏感词：焚烧</div></td>",
              (long long)f->alert[0], TP_XSS_ESCAPED);
  tp_expect_not_in(b, "<script>alert");
  tp_expect_in(b, "<td class=\"c-region\">吉林省长春市朝阳区</td>");
  tp_expect_in(b, "<td class=\"c-state\">新预警</td>");
  tp_expect_in(b, "<td class=\"c-reach\">1 家 / 1 篇</td>");
  /* 09:30 local, deadline 5 h later. */
  tp_expect_in(b, "<td class=\"c-created\">2026-11-25 09:30</td>");
  tp_expect_in(b, "<td class=\"c-deadline\">2026-11-25 14:30</td>");
  tp_expect_in(b,
               "<table id=\"alerts\" class=\"alerts\" data-live=\"1\" "
               "data-f-level=\"\" data-f-state=\"\" data-f-topic=\"\" "
               "data-f-region=\"\" data-f-open=\"1\" data-f-overdue=\"\">");
  /* A viewer gets no action buttons. */
  tp_expect_not_in(b, "data-action=");
  free(b);
}

static void test_alerts_duty_buttons(void **state) {
  struct ta *f = *state;
  char *b = tp_page(f, "/alerts", &f->duty, 200);
  tp_check_frame(b, "alerts", "/alerts as duty");
  /* L0 is new: only 确认. */
  tp_expect_f(
      b, true,
      "<button type=\"button\" data-action=\"ack\" data-id=\"%lld\">确认"
      "</button>",
      (long long)f->alert[0]);
  tp_expect_f(b, false, "data-action=\"close\" data-id=\"%lld\"",
              (long long)f->alert[0]);
  /* L1 is reported: 交办 (with its unit field) and 办结, not 确认. */
  tp_expect_f(
      b, true,
      "<input type=\"text\" name=\"unit\" placeholder=\"承办单位\" "
      "aria-label=\"承办单位\" maxlength=\"200\"><button type=\"button\" "
      "data-action=\"assign\" data-id=\"%lld\">交办</button>",
      (long long)f->alert[1]);
  tp_expect_f(b, true, "data-action=\"close\" data-id=\"%lld\">办结",
              (long long)f->alert[1]);
  tp_expect_f(b, false, "data-action=\"ack\" data-id=\"%lld\"",
              (long long)f->alert[1]);
  tp_expect_f(b, false, "data-action=\"feedback\" data-id=\"%lld\"",
              (long long)f->alert[1]);
  assert_int_equal(tp_count_of(b, "data-action=\""), 3);
  tp_expect_in(b, "<meta name=\"role\" content=\"duty\">");
  free(b);
}

/* Each filter: the alerts (bit i for L<i>) the page must list and those
 * it must not, and text it must hold. */
static void test_alerts_filters(void **state) {
  struct ta *f = *state;
  static const struct {
    const char *path;
    unsigned in, out;
    const char *text[2];
  } cases[] = {
      {"/alerts?open=0", 7, 0, {"<option value=\"0\" selected>全部</option>"}},
      {"/alerts?level=3", 1, 2, {"<option value=\"3\" selected>重大</option>"}},
      {"/alerts?state=closed", 4, 3, {NULL}},
      {"/alerts?topic=%E5%9E%83%E5%9C%BE%E5%88%86%E7%B1%BB&open=0",
       4,
       1,
       {"data-f-topic=\"垃圾分类\""}},
      /* Nothing passes: the empty row, and page 2 is not live. */
      {"/alerts?level=4",
       0,
       0,
       {"<tr class=\"empty\"><td colspan=\"10\">没有符合条件的预警。"}},
      {"/alerts?page=2",
       0,
       0,
       {"data-live=\"0\"",
        "<a rel=\"prev\" href=\"/alerts?open=1&amp;page=1\">上一页</a>"}},
  };
  char id[3][32];
  for (int i = 0; i < 3; i++)
    snprintf(id[i], sizeof id[i], "data-alert-id=\"%lld\"",
             (long long)f->alert[i]);
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    char *b = tp_page(f, cases[c].path, &f->viewer, 200);
    for (int i = 0; i < 3; i++) {
      if (cases[c].in & (1u << i)) tp_expect_in(b, id[i]);
      if (cases[c].out & (1u << i)) tp_expect_not_in(b, id[i]);
    }
    for (size_t t = 0; t < 2 && cases[c].text[t]; t++)
      tp_expect_in(b, cases[c].text[t]);
    free(b);
  }
}

/* 55 more alerts: page 1 holds 50 rows and links to page 2, which holds
 * the other 7 (with L0 and L1) and links back. */
static void test_alerts_paging(void **state) {
  struct ta *f = *state;
  struct mw_err err = {0};
  for (int i = 0; i < 55; i++) {
    char key[32], title[64];
    snprintf(key, sizeof key, "article:page%d", i);
    snprintf(title, sizeof title, "垃圾站异味投诉 %d", i);
    struct mw_alert_rec a = {.key = key,
                             .kind = "article",
                             .level = 1,
                             .state = "new",
                             .title = title,
                             .created = TA_NOW - 7200 - i * 60,
                             .updated = TA_NOW - 7200 - i * 60};
    int64_t id;
    if (mw_store_alert_insert(f->w->store, &a, &id, &err))
      fail_msg("alert: %s", err.msg);
  }
  char *b = tp_page(f, "/alerts?level=&open=1", &f->viewer, 200);
  assert_int_equal(tp_count_of(b, "<tr data-alert-id="), 50);
  tp_expect_in(b,
               "<nav class=\"pager\">第 1 页\n<a rel=\"next\" "
               "href=\"/alerts?open=1&amp;page=2\">下一页</a>");
  tp_expect_not_in(b, "rel=\"prev\"");
  free(b);
  b = tp_page(f, "/alerts?page=2", &f->viewer, 200);
  assert_int_equal(tp_count_of(b, "<tr data-alert-id="), 7);
  tp_expect_in(b, "垃圾站异味投诉 54</a>");
  tp_expect_not_in(b, "rel=\"next\"");
  free(b);
}

static void test_alert_detail(void **state) {
  struct ta *f = *state;
  /* An audit trail row, written as the engine would. */
  struct mw_err err = {0};
  struct mw_alert_event ev = {.alert_id = f->alert[1],
                              .at = TA_NOW - 1800,
                              .actor = WT_DUTY,
                              .action = "ack",
                              .from_state = "new",
                              .to_state = "reported",
                              .comment = "<b>已报</b>"};
  if (mw_store_alert_event_add(f->w->store, &ev, &err))
    fail_msg("event: %s", err.msg);

  char path[64];
  snprintf(path, sizeof path, "/alerts/%lld", (long long)f->alert[0]);
  char *b = tp_page(f, path, &f->duty, 200);
  tp_check_frame(b, "alerts", path);
  tp_expect_f(b, true, "<h1>%s</h1>", TP_XSS_ESCAPED);
  tp_expect_f(b, true, "<title>%s · 舆情监测</title>", TP_XSS_ESCAPED);
  tp_expect_not_in(b, "<script>alert");
  tp_expect_in(b, "<dt>级别</dt><dd><span class=\"lv lv-3\">重大</span></dd>");
  tp_expect_in(b, "<dt>属地</dt><dd>吉林省长春市朝阳区</dd>");
  tp_expect_in(b,
               "<dt>原文</dt><dd><a class=\"out\" rel=\"noreferrer noopener\" "
               "href=\"http://www.cccnews.cn/a2.html\">"
               "http://www.cccnews.cn/a2.html</a></dd>");
  tp_expect_in(b, "<dt>响应期限</dt><dd>2026-11-25 14:30</dd>");
  tp_expect_in(b, "<dt>承办单位</dt><dd>—</dd>");
  /* The article, escaped, with its outlet and publication time. */
  tp_expect_f(
      b, true,
      "<tr data-article-id=\"%lld\"><td><a class=\"out\" rel=\"noreferrer "
      "noopener\" href=\"http://www.cccnews.cn/a2.html\">%s</a></td><td>"
      "长春日报</td><td>2026-11-24 08:00</td></tr>",
      (long long)f->art[2], TP_XSS_ESCAPED);
  /* Duty: the ack form with a comment field. */
  tp_expect_f(
      b, true,
      "<div class=\"actions detail\" data-id=\"%lld\">\n<span class=\"act "
      "act-ack\"><button type=\"button\" data-action=\"ack\" "
      "data-id=\"%lld\">确认</button></span>\n<textarea name=\"comment\"",
      (long long)f->alert[0], (long long)f->alert[0]);
  tp_expect_in(b, "<tr class=\"empty\"><td colspan=\"5\">无</td></tr>");
  free(b);

  /* L1 as a viewer: the audit trail, no actions. */
  snprintf(path, sizeof path, "/alerts/%lld", (long long)f->alert[1]);
  b = tp_page(f, path, &f->viewer, 200);
  tp_check_frame(b, "alerts", path);
  tp_expect_in(b,
               "<td>2026-11-25 09:30</td><td>li</td><td>确认</td><td>新预警 → "
               "已报告</td><td>&lt;b&gt;已报&lt;/b&gt;</td></tr>");
  tp_expect_in(b, "<dt>确认人</dt><dd>li</dd>");
  tp_expect_not_in(b, "data-action=\"assign\"");
  tp_expect_not_in(b, "id=\"actions\"");
  free(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      TA_TEST(test_alerts_viewer),  TA_TEST(test_alerts_duty_buttons),
      TA_TEST(test_alerts_filters), TA_TEST(test_alerts_paging),
      TA_TEST(test_alert_detail),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
