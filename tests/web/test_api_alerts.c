/*
 * test_api_alerts.c: the alert queue of the JSON API against a live
 * server over a seeded store (test_api_fixture.h): the filtered list, one
 * alert with its audit trail and articles, the workflow steps a duty
 * officer takes through the alerts engine, and every refusal (no session,
 * a viewer, a bad CSRF token, bad JSON, an unknown alert, an illegal
 * step, an assignment without a unit).
 */
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/web/test_api_fixture.h"

#define DUE_1126_1800 INT64_C(1795687200) /* 2026-11-26 18:00 +08:00 */

/* The ids of the list GET path answers, as "12 13" (malloc'd). */
static char *list_ids(struct ta *f, const char *path) {
  json_t *j = ta_get(f, path, &f->viewer, 200);
  json_t *a = ta_member(j, "alerts");
  char buf[256] = "";
  size_t n = 0;
  for (size_t i = 0; i < json_array_size(a); i++)
    n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%lld", i ? " " : "",
                          (long long)ta_int(ta_at(a, i), "id"));
  json_decref(j);
  return mw_strdup(buf);
}

static void expect_ids(struct ta *f, const char *path, int a, int b, int c) {
  char want[128] = "";
  size_t n = 0;
  int idx[3] = {a, b, c};
  for (int i = 0; i < 3 && idx[i] >= 0; i++)
    n += (size_t)snprintf(want + n, sizeof want - n, "%s%lld", n ? " " : "",
                          (long long)f->alert[idx[i]]);
  char *got = list_ids(f, path);
  if (strcmp(got, want)) fail_msg("%s: got [%s], wanted [%s]", path, got, want);
  free(got);
}

static void test_alerts_list(void **state) {
  struct ta *f = *state;
  json_t *j = ta_get(f, "/api/alerts", &f->viewer, 200);
  assert_int_equal(ta_int(j, "page"), 1);
  assert_int_equal(ta_int(j, "per_page"), 50);
  assert_false(json_is_true(ta_member(j, "more")));
  json_t *a = ta_member(j, "alerts");
  assert_int_equal(json_array_size(a), 3);
  /* Highest level first. */
  json_t *l0 = ta_at(a, 0);
  assert_int_equal(ta_int(l0, "id"), f->alert[0]);
  assert_int_equal(ta_int(l0, "level"), 3);
  assert_string_equal(ta_str(l0, "level_zh"), "重大");
  assert_string_equal(ta_str(l0, "color"), "#f07800");
  assert_string_equal(ta_str(l0, "state"), "new");
  assert_string_equal(ta_str(l0, "state_zh"), "新预警");
  /* Crawled markup is text in JSON, never interpreted here. */
  assert_string_equal(ta_str(l0, "title"), TA_XSS_TITLE);
  assert_string_equal(ta_str(l0, "topic"), "无废城市");
  assert_string_equal(ta_str(l0, "region"), "吉林省长春市朝阳区");
  assert_int_equal(ta_int(l0, "created"), TA_NOW - 1800);
  assert_string_equal(ta_str(l0, "created_text"), "2026-11-25 09:30");
  assert_int_equal(ta_int(l0, "deadline"), TA_NOW - 1800 + 5 * TA_H);
  assert_string_equal(ta_str(l0, "deadline_text"), "2026-11-25 14:30");
  assert_int_equal(ta_int(l0, "article_count"), 1);
  assert_int_equal(ta_int(l0, "outlet_count"), 1);
  assert_string_equal(json_string_value(ta_at(ta_member(l0, "outlets"), 0)),
                      "长春日报");
  assert_int_equal(ta_int(ta_at(a, 1), "id"), f->alert[1]);
  assert_string_equal(ta_str(ta_at(a, 1), "acked_by"), WT_DUTY);
  assert_int_equal(ta_int(ta_at(a, 2), "id"), f->alert[2]);
  assert_string_equal(ta_str(ta_at(a, 2), "state_zh"), "已办结");
  json_decref(j);

  expect_ids(f, "/api/alerts?open=1", 0, 1, -1);
  expect_ids(f, "/api/alerts?state=closed", 2, -1, -1);
  expect_ids(f, "/api/alerts?state=reported", 1, -1, -1);
  expect_ids(f, "/api/alerts?level=2", 1, -1, -1);
  expect_ids(f, "/api/alerts?min_level=2", 0, 1, -1);
  expect_ids(f, "/api/alerts?overdue=1", -1, -1, -1);
  char path[256], v[64];
  ta_enc("垃圾分类", v, sizeof v);
  snprintf(path, sizeof path, "/api/alerts?topic=%s", v);
  expect_ids(f, path, 2, -1, -1);
  ta_enc("吉林省", v, sizeof v);
  snprintf(path, sizeof path, "/api/alerts?region=%s", v);
  expect_ids(f, path, 0, 2, -1);
  snprintf(path, sizeof path, "/api/alerts?since=%lld",
           (long long)(TA_NOW - 2 * TA_H));
  expect_ids(f, path, 0, 1, -1);
  snprintf(path, sizeof path, "/api/alerts?until=%lld",
           (long long)(TA_NOW - 3000));
  expect_ids(f, path, 1, 2, -1);
  expect_ids(f, "/api/alerts?since=2026-11-24", 0, 1, -1);
  expect_ids(f, "/api/alerts?until=2026-11-23", 2, -1, -1);

  j = ta_get(f, "/api/alerts?per_page=1&page=2", &f->viewer, 200);
  assert_int_equal(ta_int(j, "page"), 2);
  assert_int_equal(ta_int(j, "per_page"), 1);
  assert_true(json_is_true(ta_member(j, "more")));
  assert_int_equal(json_array_size(ta_member(j, "alerts")), 1);
  assert_int_equal(ta_int(ta_at(ta_member(j, "alerts"), 0), "id"), f->alert[1]);
  json_decref(j);
}

static void test_alerts_list_refusals(void **state) {
  struct ta *f = *state;
  static const struct ta_bad bad[] = {
      {"/api/alerts?state=done", "state"},
      {"/api/alerts?level=9", "level"},
      {"/api/alerts?min_level=none", "min_level"},
      {"/api/alerts?open=maybe", "open"},
      {"/api/alerts?overdue=2", "overdue"},
      {"/api/alerts?since=yesterday", "since"},
      {"/api/alerts?until=2026-11-31", "until"},
      {"/api/alerts?page=0", "page"},
      {"/api/alerts?per_page=201", "per_page"},
  };
  ta_expect_invalid(f, bad, sizeof bad / sizeof bad[0]);
}

static void test_alert_one(void **state) {
  struct ta *f = *state;
  char path[128];
  snprintf(path, sizeof path, "/api/alerts/%lld", (long long)f->alert[0]);
  json_t *j = ta_get(f, path, &f->viewer, 200);
  assert_int_equal(ta_int(j, "id"), f->alert[0]);
  assert_string_equal(ta_str(j, "title"), TA_XSS_TITLE);
  assert_string_equal(ta_str(j, "reason"), "敏感词：焚烧");
  assert_int_equal(json_array_size(ta_member(j, "events")), 0);
  json_t *arts = ta_member(j, "articles");
  assert_int_equal(json_array_size(arts), 1);
  json_t *a = ta_at(arts, 0);
  assert_int_equal(ta_int(a, "id"), f->art[2]);
  assert_string_equal(ta_str(a, "title"), TA_XSS_TITLE);
  assert_string_equal(ta_str(a, "url"), "http://www.cccnews.cn/a2.html");
  assert_string_equal(ta_str(a, "outlet"), "长春日报");
  assert_string_equal(ta_str(a, "published_text"), "2026-11-24 08:00");
  json_decref(j);

  struct wt_req q = {.path = "/api/alerts/999999", .session = &f->viewer};
  ta_expect_error(f, &q, 404, "not_found", "999999");
  q.path = "/api/alerts/abc";
  ta_expect_error(f, &q, 404, "not_found", NULL);
  snprintf(path, sizeof path, "/api/alerts/%lld/ack", (long long)f->alert[0]);
  q.path = path;
  ta_expect_error(f, &q, 404, "not_found", NULL);
}

/* POST /api/alerts/{id}/{action} by the duty officer; the reply is the
 * alert after the step. */
static json_t *act(struct ta *f, int alert, const char *action,
                   const char *body, long want) {
  char path[128];
  snprintf(path, sizeof path, "/api/alerts/%lld/%s", (long long)f->alert[alert],
           action);
  return ta_post(f, path, &f->duty, body, want);
}

static void check_event(json_t *e, const char *action, const char *from,
                        const char *to, const char *comment) {
  assert_string_equal(ta_str(e, "actor"), WT_DUTY);
  assert_string_equal(ta_str(e, "action"), action);
  assert_string_equal(ta_str(e, "from_state"), from);
  assert_string_equal(ta_str(e, "to_state"), to);
  if (comment)
    assert_string_equal(ta_str(e, "comment"), comment);
  else
    assert_true(json_is_null(ta_member(e, "comment")));
  assert_int_equal(ta_int(e, "at"), TA_NOW);
  assert_string_equal(ta_str(e, "at_text"), "2026-11-25 10:00");
}

/* The whole workflow through the API; the audit trail names the user. */
static void test_alert_workflow(void **state) {
  struct ta *f = *state;
  json_t *j = act(f, 0, "ack", "{}", 200);
  assert_int_equal(ta_int(j, "id"), f->alert[0]);
  assert_string_equal(ta_str(j, "state"), "reported");
  assert_string_equal(ta_str(j, "state_zh"), "已报告");
  assert_string_equal(ta_str(j, "acked_by"), WT_DUTY);
  json_decref(j);

  j = act(f, 0, "assign",
          "{\"unit\":\"长春市生态环境局\",\"due\":\"2026-11-26 18:00\","
          "\"comment\":\"请核实\"}",
          200);
  assert_string_equal(ta_str(j, "state"), "assigned");
  assert_string_equal(ta_str(j, "assignee"), "长春市生态环境局");
  assert_int_equal(ta_int(j, "due"), DUE_1126_1800);
  assert_string_equal(ta_str(j, "due_text"), "2026-11-26 18:00");
  json_decref(j);

  j = act(f, 0, "progress", "{\"comment\":\"已督办\"}", 200);
  assert_string_equal(ta_str(j, "state"), "in_progress");
  json_decref(j);
  j = act(f, 0, "feedback", "{\"comment\":\"已处置完毕\"}", 200);
  assert_string_equal(ta_str(j, "state"), "feedback");
  json_decref(j);
  j = act(f, 0, "close", "{\"comment\":null}", 200);
  assert_string_equal(ta_str(j, "state"), "closed");
  json_decref(j);

  char path[128];
  snprintf(path, sizeof path, "/api/alerts/%lld", (long long)f->alert[0]);
  j = ta_get(f, path, &f->viewer, 200);
  json_t *ev = ta_member(j, "events");
  assert_int_equal(json_array_size(ev), 5);
  check_event(ta_at(ev, 0), "ack", "new", "reported", NULL);
  check_event(ta_at(ev, 1), "assign", "reported", "assigned",
              "交办：长春市生态环境局，期限 2026-11-26 18:00；请核实");
  check_event(ta_at(ev, 2), "progress", "assigned", "in_progress", "已督办");
  check_event(ta_at(ev, 3), "feedback", "in_progress", "feedback",
              "已处置完毕");
  check_event(ta_at(ev, 4), "close", "feedback", "closed", NULL);
  assert_true(ta_int(ta_at(ev, 0), "id") < ta_int(ta_at(ev, 4), "id"));
  json_decref(j);

  /* An empty body is a step with nothing to add; due as epoch seconds. */
  struct wt_reply r;
  snprintf(path, sizeof path, "/api/alerts/%lld/assign",
           (long long)f->alert[1]);
  j = ta_post(f, path, &f->duty,
              "{\"unit\":\"吉林市生态环境局\",\"due\":1795687200}", 200);
  assert_int_equal(ta_int(j, "due"), DUE_1126_1800);
  json_decref(j);
  snprintf(path, sizeof path, "/api/alerts/%lld/progress",
           (long long)f->alert[1]);
  struct wt_req q = {.method = "POST", .path = path, .session = &f->duty};
  assert_int_equal(wt_do(f->w, &q, &r), 200);
  j = wt_json(&r);
  assert_string_equal(ta_str(j, "state"), "in_progress");
  json_decref(j);
  wt_reply_cleanup(&r);
}

/* The state of alert i as stored after a refusal. */
static void expect_state(struct ta *f, int i, const char *state,
                         size_t events) {
  char path[128];
  snprintf(path, sizeof path, "/api/alerts/%lld", (long long)f->alert[i]);
  json_t *j = ta_get(f, path, &f->viewer, 200);
  assert_string_equal(ta_str(j, "state"), state);
  assert_int_equal(json_array_size(ta_member(j, "events")), events);
  json_decref(j);
}

static void test_alert_action_refusals(void **state) {
  struct ta *f = *state;
  char ack[128], assign[128], close[128];
  snprintf(ack, sizeof ack, "/api/alerts/%lld/ack", (long long)f->alert[0]);
  snprintf(assign, sizeof assign, "/api/alerts/%lld/assign",
           (long long)f->alert[1]);
  snprintf(close, sizeof close, "/api/alerts/%lld/close",
           (long long)f->alert[0]);

  struct wt_req q = {.method = "POST", .path = ack, .body = "{}"};
  ta_expect_error(f, &q, 401, "unauthorized", NULL);
  q.session = &f->viewer;
  ta_expect_error(f, &q, 403, "forbidden", NULL);
  q.session = &f->duty;
  q.csrf = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  ta_expect_error(f, &q, 403, "csrf", NULL);
  q.csrf = NULL;
  q.no_csrf = true;
  ta_expect_error(f, &q, 403, "csrf", NULL);
  q.no_csrf = false;
  q.body = "{\"comment\":";
  ta_expect_error(f, &q, 400, "bad_json", NULL);
  q.body = "\"ack\"";
  ta_expect_error(f, &q, 400, "bad_json", NULL);
  q.body = "{\"comment\":42}";
  ta_expect_error(f, &q, 400, "invalid", "comment");
  q.body = "{}";
  q.path = "/api/alerts/999999/ack";
  ta_expect_error(f, &q, 404, "not_found", "999999");
  char path[128];
  snprintf(path, sizeof path, "/api/alerts/%lld/destroy",
           (long long)f->alert[0]);
  q.path = path;
  ta_expect_error(f, &q, 404, "not_found", NULL);
  q.path = "/api/alerts/0/ack";
  ta_expect_error(f, &q, 404, "not_found", NULL);

  /* Illegal steps: 409 with the states the step is allowed from. */
  q.path = close;
  ta_expect_error(f, &q, 409, "conflict",
                  "close is allowed from reported, feedback");
  snprintf(path, sizeof path, "/api/alerts/%lld/ack", (long long)f->alert[1]);
  q.path = path;
  ta_expect_error(f, &q, 409, "conflict", "ack is allowed from new");
  snprintf(path, sizeof path, "/api/alerts/%lld/feedback",
           (long long)f->alert[2]);
  q.path = path;
  ta_expect_error(f, &q, 409, "conflict",
                  "feedback is allowed from assigned, in progress");

  /* An assignment needs its unit, and a due time to come. */
  q.path = assign;
  q.body = "{}";
  ta_expect_error(f, &q, 400, "invalid", "unit");
  q.body = "{\"unit\":\"\"}";
  ta_expect_error(f, &q, 400, "invalid", "unit");
  q.body = "{\"unit\":7}";
  ta_expect_error(f, &q, 400, "invalid", "unit");
  q.body = "{\"unit\":\"吉林市\",\"due\":\"tomorrow\"}";
  ta_expect_error(f, &q, 400, "invalid", "due");
  q.body = "{\"unit\":\"吉林市\",\"due\":\"2026-11-24 18:00\"}";
  ta_expect_error(f, &q, 400, "invalid", "due");
  q.body = "{\"unit\":\"吉林市\",\"due\":true}";
  ta_expect_error(f, &q, 400, "invalid", "due");

  /* Nothing changed. */
  expect_state(f, 0, "new", 0);
  expect_state(f, 1, "reported", 0);
  expect_state(f, 2, "closed", 0);
}

struct listener {
  struct ta *f;
  struct wt_reply r;
  bool found;
};

static void *listen_main(void *arg) {
  struct listener *l = arg;
  struct wt_req q = {.path = "/api/events", .session = &l->f->viewer};
  wt_stream(l->f->w, &q, "\"action\":\"ack\"", 5000, &l->r, &l->found);
  return NULL;
}

/* A step taken through the API reaches an open event stream: the event
 * with its actor and the alert after it. */
static void test_alert_action_streams(void **state) {
  struct ta *f = *state;
  struct listener l = {.f = f};
  pthread_t th;
  assert_int_equal(pthread_create(&th, NULL, listen_main, &l), 0);
  struct timespec pause = {0, 300 * 1000 * 1000};
  nanosleep(&pause, NULL);
  json_t *j = act(f, 0, "ack", "{\"comment\":\"已报告值班领导\"}", 200);
  json_decref(j);
  assert_int_equal(pthread_join(th, NULL), 0);
  assert_int_equal(l.r.status, 200);
  assert_true(l.found);
  const char *data = strstr(l.r.body, "data: ");
  assert_non_null(data);
  data += 6;
  json_error_t jerr;
  json_t *ev = json_loadb(data, strcspn(data, "\n"), 0, &jerr);
  if (!ev) fail_msg("event data: %s", jerr.text);
  json_t *e = ta_member(ev, "event");
  assert_string_equal(ta_str(e, "action"), "ack");
  assert_string_equal(ta_str(e, "actor"), WT_DUTY);
  assert_string_equal(ta_str(e, "comment"), "已报告值班领导");
  json_t *a = ta_member(ev, "alert");
  assert_int_equal(ta_int(a, "id"), f->alert[0]);
  assert_string_equal(ta_str(a, "state"), "reported");
  json_decref(ev);
  wt_reply_cleanup(&l.r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      TA_TEST(test_alerts_list),
      TA_TEST(test_alerts_list_refusals),
      TA_TEST(test_alert_one),
      TA_TEST(test_alert_workflow),
      TA_TEST(test_alert_action_refusals),
      TA_TEST(test_alert_action_streams),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
