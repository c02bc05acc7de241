/*
 * test_api.c: the JSON API's read side against a live server over a
 * seeded store (test_api_fixture.h): coverage, search, sources, the
 * report in every format, users, and the refusals of each (no session,
 * too low a role, bad arguments). The alert queue and its workflow steps
 * are in test_api_alerts.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report/report.h"
#include "tests/web/test_api_fixture.h"

/* ------------------------------------------------------------- coverage */

static void check_row(json_t *row, const char *key, const char *name,
                      int64_t count) {
  assert_string_equal(ta_str(row, key), name);
  assert_int_equal(ta_int(row, "count"), count);
}

static void test_coverage_week(void **state) {
  struct ta *f = *state;
  json_t *j = ta_get(f, "/api/coverage?week=2026-W48", &f->viewer, 200);
  json_t *p = ta_member(j, "period");
  assert_int_equal(ta_int(p, "from"), TA_MON);
  assert_int_equal(ta_int(p, "to"), TA_MON + 7 * TA_D);
  assert_string_equal(ta_str(p, "label"), "2026-W48");
  assert_string_equal(ta_str(p, "first_day"), "2026-11-23");
  assert_string_equal(ta_str(p, "last_day"), "2026-11-29");
  assert_int_equal(ta_int(j, "total"), 3);
  assert_int_equal(ta_int(j, "previous_total"), 1);

  json_t *tiers = ta_member(j, "by_tier");
  assert_int_equal(json_array_size(tiers), 3);
  check_row(ta_at(tiers, 0), "tier", "central", 1);
  assert_string_equal(ta_str(ta_at(tiers, 0), "tier_zh"), "中央媒体");
  check_row(ta_at(tiers, 1), "tier", "provincial", 1);
  check_row(ta_at(tiers, 2), "tier", "city", 1);

  /* Every configured outlet; ties keep the config's order. */
  json_t *outlets = ta_member(j, "by_outlet");
  assert_int_equal(json_array_size(outlets), 3);
  check_row(ta_at(outlets, 0), "outlet", "人民日报", 1);
  assert_string_equal(ta_str(ta_at(outlets, 0), "tier"), "central");
  check_row(ta_at(outlets, 1), "outlet", "吉林日报", 1);
  check_row(ta_at(outlets, 2), "outlet", "长春日报", 1);
  assert_string_equal(ta_str(ta_at(outlets, 2), "tier"), "city");

  json_t *topics = ta_member(j, "by_topic");
  assert_int_equal(json_array_size(topics), 2);
  check_row(ta_at(topics, 0), "topic", "无废城市", 2);
  check_row(ta_at(topics, 1), "topic", "垃圾分类", 1);

  json_t *daily = ta_member(j, "daily");
  assert_int_equal(json_array_size(daily), 7);
  check_row(ta_at(daily, 0), "day", "2026-11-23", 1);
  check_row(ta_at(daily, 1), "day", "2026-11-24", 2);
  check_row(ta_at(daily, 2), "day", "2026-11-25", 0);
  check_row(ta_at(daily, 6), "day", "2026-11-29", 0);

  /* Wednesday 10:00 of the week: 58 of 168 hours gone, 2 * 58 / 168
   * rounds up to 1 expected, and 1 is there. */
  json_t *targets = ta_member(j, "targets");
  assert_int_equal(json_array_size(targets), 1);
  json_t *t = ta_at(targets, 0);
  assert_string_equal(ta_str(t, "name"), "中央媒体每周至少2篇");
  assert_int_equal(ta_int(t, "count"), 1);
  assert_int_equal(ta_int(t, "min"), 2);
  assert_string_equal(ta_str(t, "status"), "on_track");
  assert_string_equal(ta_str(t, "status_zh"), "进度正常");
  assert_int_equal(ta_int(t, "expected"), 1);
  assert_string_equal(ta_str(t, "period"), "week");
  json_decref(j);

  /* No argument: the week holding now. */
  j = ta_get(f, "/api/coverage", &f->viewer, 200);
  assert_string_equal(ta_str(ta_member(j, "period"), "label"), "2026-W48");
  assert_int_equal(ta_int(j, "total"), 3);
  json_decref(j);
}

static void test_coverage_past_and_ranges(void **state) {
  struct ta *f = *state;
  /* The week before is over: its target is missed, all of it expected. */
  json_t *j = ta_get(f, "/api/coverage?week=2026-W47", &f->viewer, 200);
  assert_int_equal(ta_int(j, "total"), 1);
  assert_int_equal(ta_int(j, "previous_total"), 0);
  json_t *t = ta_at(ta_member(j, "targets"), 0);
  assert_int_equal(ta_int(t, "count"), 1);
  assert_string_equal(ta_str(t, "status"), "missed");
  assert_string_equal(ta_str(t, "status_zh"), "未达标");
  assert_int_equal(ta_int(t, "expected"), 2);
  check_row(ta_at(ta_member(j, "by_topic"), 0), "topic", "垃圾分类", 1);
  check_row(ta_at(ta_member(j, "by_topic"), 1), "topic", "无废城市", 0);
  json_decref(j);

  j = ta_get(f, "/api/coverage?from=2026-11-24&to=2026-11-24", &f->viewer, 200);
  assert_string_equal(ta_str(ta_member(j, "period"), "label"),
                      "2026-11-24 至 2026-11-24");
  assert_int_equal(ta_int(j, "total"), 2);
  assert_int_equal(ta_int(j, "previous_total"), 1); /* 11-23 */
  json_t *daily = ta_member(j, "daily");
  assert_int_equal(json_array_size(daily), 1);
  check_row(ta_at(daily, 0), "day", "2026-11-24", 2);
  json_decref(j);

  j = ta_get(f, "/api/coverage?month=2026-11", &f->viewer, 200);
  assert_string_equal(ta_str(ta_member(j, "period"), "label"), "2026-11");
  assert_int_equal(ta_int(j, "total"), 4);
  assert_int_equal(ta_int(j, "previous_total"), 0);
  assert_int_equal(json_array_size(ta_member(j, "daily")), 30);
  json_decref(j);
}

static void test_coverage_bad_period(void **state) {
  struct ta *f = *state;
  static const struct ta_bad bad[] = {
      {"/api/coverage?week=2026-W99", "week"},
      {"/api/coverage?week=soon", "week"},
      {"/api/coverage?month=2026-13", "month"},
      {"/api/coverage?from=2026-11-01", "from"},
      {"/api/coverage?to=2026-11-01", "from"},
      {"/api/coverage?from=2026-11-31&to=2026-12-01", "2026-11-31"},
      {"/api/coverage?week=2026-W47&month=2026-11", "one of"},
  };
  ta_expect_invalid(f, bad, sizeof bad / sizeof bad[0]);
}

/* --------------------------------------------------------------- search */

static void test_search_filters(void **state) {
  struct ta *f = *state;
  char q[128], path[512];
  ta_enc("垃圾分类", q, sizeof q);
  snprintf(path, sizeof path, "/api/search?q=%s", q);
  json_t *j = ta_get(f, path, &f->viewer, 200);
  assert_int_equal(ta_int(j, "total"), 3);
  assert_false(json_is_true(ta_member(j, "total_capped")));
  assert_int_equal(ta_int(j, "page"), 1);
  assert_int_equal(ta_int(j, "per_page"), 20);
  json_t *hits = ta_member(j, "hits");
  assert_int_equal(json_array_size(hits), 3);
  /* Newest (last stored) first. */
  assert_int_equal(ta_int(ta_at(hits, 0), "id"), f->art[2]);
  assert_int_equal(ta_int(ta_at(hits, 1), "id"), f->art[1]);
  assert_int_equal(ta_int(ta_at(hits, 2), "id"), f->art[3]);
  json_t *h = ta_at(hits, 1);
  assert_string_equal(ta_str(h, "title"), "长春市垃圾分类宣传周启动");
  assert_string_equal(ta_str(h, "title_html"),
                      "长春市<mark>垃圾分类</mark>宣传周启动");
  assert_string_equal(ta_str(h, "url"), "http://jlrb.jlntv.cn/szb/a1.html");
  assert_string_equal(ta_str(h, "outlet"), "吉林日报");
  assert_string_equal(ta_str(h, "tier"), "provincial");
  assert_string_equal(ta_str(h, "region"), "吉林省");
  assert_int_equal(json_array_size(ta_member(h, "topics")), 1);
  assert_string_equal(json_string_value(ta_at(ta_member(h, "topics"), 0)),
                      "垃圾分类");
  assert_int_equal(ta_int(h, "published"), TA_MON + TA_D + 15 * TA_H);
  assert_string_equal(ta_str(h, "published_text"), "2026-11-24 15:00");
  const char *snip = ta_str(h, "snippet");
  assert_non_null(strstr(snip, "突出垃圾分类、绿色办公"));
  assert_null(strchr(snip, '\x02'));
  assert_null(strchr(snip, '\x03'));
  assert_non_null(
      strstr(ta_str(h, "snippet_html"), "突出<mark>垃圾分类</mark>、绿色办公"));
  json_decref(j);

  /* Filters: outlet, tier, topic, days, paging. */
  char outlet[64];
  ta_enc("吉林日报", outlet, sizeof outlet);
  snprintf(path, sizeof path, "/api/search?q=%s&outlet=%s", q, outlet);
  j = ta_get(f, path, &f->viewer, 200);
  assert_int_equal(ta_int(j, "total"), 1);
  assert_int_equal(ta_int(ta_at(ta_member(j, "hits"), 0), "id"), f->art[1]);
  json_decref(j);
  snprintf(path, sizeof path, "/api/search?q=%s&tier=city", q);
  j = ta_get(f, path, &f->viewer, 200);
  assert_int_equal(ta_int(j, "total"), 1);
  assert_int_equal(ta_int(ta_at(ta_member(j, "hits"), 0), "id"), f->art[2]);
  json_decref(j);
  char topic[64];
  ta_enc("无废城市", topic, sizeof topic);
  snprintf(path, sizeof path, "/api/search?q=%s&topic=%s", q, topic);
  j = ta_get(f, path, &f->viewer, 200);
  assert_int_equal(ta_int(j, "total"), 1);
  assert_int_equal(ta_int(ta_at(ta_member(j, "hits"), 0), "id"), f->art[2]);
  json_decref(j);
  snprintf(path, sizeof path, "/api/search?q=%s&from=2026-11-23&to=2026-11-29",
           q);
  j = ta_get(f, path, &f->viewer, 200);
  assert_int_equal(ta_int(j, "total"), 2);
  json_decref(j);
  snprintf(path, sizeof path, "/api/search?q=%s&per_page=1&page=3", q);
  j = ta_get(f, path, &f->viewer, 200);
  assert_int_equal(ta_int(j, "total"), 3);
  assert_int_equal(ta_int(j, "page"), 3);
  assert_int_equal(ta_int(j, "per_page"), 1);
  assert_int_equal(json_array_size(ta_member(j, "hits")), 1);
  assert_int_equal(ta_int(ta_at(ta_member(j, "hits"), 0), "id"), f->art[3]);
  json_decref(j);
}

/* A crawled title carrying markup comes back as the same text in JSON,
 * and escaped in title_html. */
static void test_search_escapes_markup(void **state) {
  struct ta *f = *state;
  char q[64], path[256];
  ta_enc("无废细胞", q, sizeof q);
  snprintf(path, sizeof path, "/api/search?q=%s", q);
  struct wt_reply r;
  assert_int_equal(wt_get(f->w, path, &f->viewer, &r), 200);
  char type[128];
  assert_true(wt_header(&r, "Content-Type", type, sizeof type));
  assert_non_null(strstr(type, "application/json"));
  json_t *j = wt_json(&r);
  wt_reply_cleanup(&r);
  assert_int_equal(ta_int(j, "total"), 1);
  json_t *h = ta_at(ta_member(j, "hits"), 0);
  assert_int_equal(ta_int(h, "id"), f->art[2]);
  assert_string_equal(ta_str(h, "title"), TA_XSS_TITLE);
  assert_string_equal(ta_str(h, "title_html"),
                      "&lt;script&gt;alert(1)&lt;/script&gt;"
                      "<mark>无废细胞</mark>进社区");
  assert_null(strstr(ta_str(h, "snippet_html"), "<script"));
  assert_string_equal(ta_str(h, "region"), "吉林省长春市");
  json_decref(j);
}

static void test_search_refusals(void **state) {
  struct ta *f = *state;
  static const struct ta_bad bad[] = {
      {"/api/search", "q:"},
      {"/api/search?q=", "q:"},
      {"/api/search?q=%20%20", "q:"},
      {"/api/search?q=abc&tier=national", "tier"},
      {"/api/search?q=abc&from=yesterday", "from"},
      {"/api/search?q=abc&to=2026-02-30", "to"},
      {"/api/search?q=abc&page=0", "page"},
      {"/api/search?q=abc&per_page=101", "per_page"},
      {"/api/search?q=abc&from=2026-11-25&to=2026-11-20", "to"},
  };
  ta_expect_invalid(f, bad, sizeof bad / sizeof bad[0]);
}

/* -------------------------------------------------------------- sources */

static void check_time(json_t *j, const char *key, int64_t t,
                       const char *text) {
  char name[64];
  assert_int_equal(ta_int(j, key), t);
  snprintf(name, sizeof name, "%s_text", key);
  assert_string_equal(ta_str(j, name), text);
}

static void test_sources(void **state) {
  struct ta *f = *state;
  json_t *j = ta_get(f, "/api/sources", &f->viewer, 200);
  json_t *s = ta_member(j, "sources");
  assert_int_equal(json_array_size(s), 4);

  json_t *e = ta_at(s, 0);
  assert_int_equal(ta_int(e, "id"), f->src[0]);
  assert_string_equal(ta_str(e, "outlet"), "人民日报");
  assert_string_equal(ta_str(e, "url"),
                      "https://www.people.com.cn/rss/env.xml");
  assert_string_equal(ta_str(e, "kind"), "feed");
  assert_string_equal(ta_str(e, "status"), "ok");
  assert_string_equal(ta_str(e, "health"), "ok");
  assert_int_equal(json_array_size(ta_member(e, "problems")), 0);
  check_time(e, "last_ok", TA_NOW - 600, "2026-11-25 09:50");
  check_time(e, "last_fetch", TA_NOW - 600, "2026-11-25 09:50");
  assert_true(json_is_null(ta_member(e, "last_error")));
  assert_int_equal(ta_int(e, "last_status"), 200);
  assert_int_equal(ta_int(e, "consecutive_failures"), 0);
  check_time(e, "next_due", TA_NOW + 300, "2026-11-25 10:05");
  /* A3 was fetched eight days ago: outside the seven. */
  assert_int_equal(ta_int(e, "articles_7d"), 1);
  check_time(e, "last_article", TA_NOW - TA_H, "2026-11-25 09:00");

  e = ta_at(s, 1);
  assert_int_equal(ta_int(e, "id"), f->src[1]);
  assert_string_equal(ta_str(e, "status"), "never");
  check_time(e, "last_fetch", 0, "");
  assert_int_equal(ta_int(e, "articles_7d"), 0);
  check_time(e, "last_article", 0, "");

  e = ta_at(s, 2);
  assert_string_equal(ta_str(e, "outlet"), "吉林日报");
  assert_string_equal(ta_str(e, "kind"), "html");
  assert_string_equal(ta_str(e, "status"), "failing");
  check_time(e, "last_ok", 0, "");
  check_time(e, "last_fetch", TA_NOW - 300, "2026-11-25 09:55");
  assert_string_equal(ta_str(e, "last_error"), "HTTP 503 Service Unavailable");
  assert_int_equal(ta_int(e, "last_status"), 503);
  assert_int_equal(ta_int(e, "consecutive_failures"), 2);
  check_time(e, "next_due", TA_NOW + 1800, "2026-11-25 10:30");
  /* health.unreachable_after is 0 in the fixture's config: broken, with
   * the evidence of health/health.h. */
  assert_string_equal(ta_str(e, "health"), "broken");
  json_t *pr = ta_at(ta_member(e, "problems"), 0);
  assert_string_equal(ta_str(pr, "code"), "unreachable");
  assert_string_equal(ta_str(pr, "severity"), "broken");
  assert_string_equal(ta_str(pr, "label_zh"), "无法访问");
  assert_string_equal(ta_str(pr, "detail_zh"),
                      "已 5 分钟无法访问（1 次抓取失败，最近错误：HTTP 503 "
                      "Service Unavailable）");
  assert_int_equal(ta_int(pr, "count"), 1);
  assert_int_equal(ta_int(e, "articles_7d"), 1);

  e = ta_at(s, 3);
  assert_string_equal(ta_str(e, "outlet"), "长春日报");
  assert_string_equal(ta_str(e, "status"), "never");
  assert_int_equal(ta_int(e, "articles_7d"), 1);
  check_time(e, "last_article", TA_NOW - 2 * TA_H, "2026-11-25 08:00");
  json_decref(j);
}

/* --------------------------------------------------------------- report */

/* The report of W48 in fmt as the report library writes it from the same
 * store. */
static char *expected_report(struct ta *f, enum mw_report_format fmt) {
  struct mw_report_period p;
  struct mw_err err = {0};
  struct mw_buf b;
  mw_buf_init(&b, 64u << 20);
  if (mw_report_week_period(f->w->cfg->tz, 2026, 48, &p, &err) ||
      mw_report_build(f->w->cfg, f->w->store, &p, fmt, &b, &err))
    fail_msg("report: %s", err.msg);
  char *s = mw_buf_steal(&b);
  mw_buf_cleanup(&b);
  return s;
}

static void test_report_formats(void **state) {
  struct ta *f = *state;
  static const struct {
    const char *arg, *type;
    enum mw_report_format fmt;
  } formats[] = {
      {"md", "text/markdown; charset=utf-8", MW_REPORT_MD},
      {"csv", "text/csv; charset=utf-8", MW_REPORT_CSV},
      {"json", "application/json", MW_REPORT_JSON},
      {"html", "text/html; charset=utf-8", MW_REPORT_HTML},
  };
  for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
    char path[128], type[128], csp[512], disp[256];
    snprintf(path, sizeof path, "/api/report?week=2026-W48&format=%s",
             formats[i].arg);
    struct wt_reply r;
    assert_int_equal(wt_get(f->w, path, &f->viewer, &r), 200);
    assert_true(wt_header(&r, "Content-Type", type, sizeof type));
    assert_string_equal(type, formats[i].type);
    assert_false(wt_header(&r, "Content-Disposition", disp, sizeof disp));
    assert_true(wt_header(&r, "Content-Security-Policy", csp, sizeof csp));
    if (formats[i].fmt == MW_REPORT_HTML)
      assert_non_null(strstr(csp, "script-src 'none'"));
    else
      assert_non_null(strstr(csp, "default-src 'none'"));
    char *want = expected_report(f, formats[i].fmt);
    assert_int_equal(r.body_len, strlen(want));
    assert_memory_equal(r.body, want, r.body_len);
    assert_non_null(strstr(r.body, "人民日报"));
    free(want);
    wt_reply_cleanup(&r);
  }

  struct wt_reply r;
  char disp[256];
  assert_int_equal(
      wt_get(f->w, "/api/report?week=2026-W47&download=1", &f->viewer, &r),
      200);
  assert_true(wt_header(&r, "Content-Disposition", disp, sizeof disp));
  assert_string_equal(disp,
                      "attachment; filename=\"mediawatch-2026-W47.html\"");
  wt_reply_cleanup(&r);
  assert_int_equal(wt_get(f->w,
                          "/api/report?from=2026-11-01&to=2026-11-24&"
                          "format=csv&download=1",
                          &f->viewer, &r),
                   200);
  assert_true(wt_header(&r, "Content-Disposition", disp, sizeof disp));
  assert_string_equal(
      disp, "attachment; filename=\"mediawatch-2026-11-01_2026-11-24.csv\"");
  wt_reply_cleanup(&r);
  assert_int_equal(wt_get(f->w,
                          "/api/report?month=2026-11&format=md&"
                          "download=1",
                          &f->viewer, &r),
                   200);
  assert_true(wt_header(&r, "Content-Disposition", disp, sizeof disp));
  assert_string_equal(disp, "attachment; filename=\"mediawatch-2026-11.md\"");
  wt_reply_cleanup(&r);
}

static void test_report_refusals(void **state) {
  struct ta *f = *state;
  static const struct ta_bad bad[] = {
      {"/api/report?week=2026-W48&format=pdf", "format"},
      {"/api/report?week=2026-W48&format=markdown", "format"},
      {"/api/report?week=2026-W48&download=yes", "download"},
      {"/api/report?week=W48", "week"},
      {"/api/report?month=11", "month"},
      {"/api/report?from=2026-11-01", "from"},
  };
  ta_expect_invalid(f, bad, sizeof bad / sizeof bad[0]);
}

/* ---------------------------------------------------------------- users */

static void test_users(void **state) {
  struct ta *f = *state;
  struct wt_reply r;
  assert_int_equal(wt_get(f->w, "/api/users", &f->admin, &r), 200);
  assert_null(strstr(r.body, "hash"));
  assert_null(strstr(r.body, "$y$"));
  assert_null(strstr(r.body, "$6$"));
  json_t *j = wt_json(&r);
  wt_reply_cleanup(&r);
  json_t *u = ta_member(j, "users");
  assert_int_equal(json_array_size(u), 3);
  assert_string_equal(ta_str(ta_at(u, 0), "name"), WT_DUTY);
  assert_string_equal(ta_str(ta_at(u, 0), "role"), "duty");
  assert_string_equal(ta_str(ta_at(u, 0), "role_zh"), "值班员");
  assert_string_equal(ta_str(ta_at(u, 1), "name"), WT_VIEWER);
  assert_string_equal(ta_str(ta_at(u, 1), "role"), "viewer");
  assert_string_equal(ta_str(ta_at(u, 2), "name"), WT_ADMIN);
  assert_string_equal(ta_str(ta_at(u, 2), "role"), "admin");
  (void)ta_int(ta_at(u, 0), "created");
  json_decref(j);

  j = ta_post(f, "/api/users", &f->admin,
              "{\"name\":\"孙七\",\"role\":\"duty\",\"password\":"
              "\"sun-secret-7\"}",
              200);
  assert_string_equal(ta_str(j, "name"), "孙七");
  assert_string_equal(ta_str(j, "role"), "duty");
  assert_string_equal(ta_str(j, "role_zh"), "值班员");
  assert_int_equal(ta_int(j, "created"), TA_NOW);
  assert_null(json_object_get(j, "hash"));
  json_decref(j);
  struct wt_session sun;
  assert_int_equal(wt_login(f->w, "孙七", "sun-secret-7", &sun), 200);

  struct wt_req q = {.path = "/api/users",
                     .session = &f->admin,
                     .body =
                         "{\"name\":\"孙七\",\"role\":\"viewer\","
                         "\"password\":\"other-secret\"}"};
  ta_expect_error(f, &q, 409, "conflict", "孙七");
  q.body = "{\"name\":\"zhou\",\"role\":\"boss\",\"password\":\"x-secret\"}";
  ta_expect_error(f, &q, 400, "invalid", "role");
  q.body = "{\"name\":\"zhou\",\"role\":\"viewer\"}";
  ta_expect_error(f, &q, 400, "invalid", "password");
  q.body = "{\"name\":\"\",\"role\":\"viewer\",\"password\":\"x-secret\"}";
  ta_expect_error(f, &q, 400, "invalid", "name");
  q.body = "{\"name\":\"zh ou\",\"role\":\"viewer\",\"password\":\"x-secret\"}";
  ta_expect_error(f, &q, 400, "invalid", "name");
  q.body = "{\"name\":\"zhou\",";
  ta_expect_error(f, &q, 400, "bad_json", NULL);
  q.body = "[1,2]";
  ta_expect_error(f, &q, 400, "bad_json", NULL);

  /* Only admins. */
  q = (struct wt_req){.path = "/api/users", .session = &f->duty};
  ta_expect_error(f, &q, 403, "forbidden", NULL);
  q.body = "{\"name\":\"zhou\",\"role\":\"admin\",\"password\":\"x-secret\"}";
  ta_expect_error(f, &q, 403, "forbidden", NULL);
  q = (struct wt_req){
      .path = "/api/users/li/remove", .method = "POST", .session = &f->viewer};
  ta_expect_error(f, &q, 403, "forbidden", NULL);

  /* Removing: the user's sessions end with the account. */
  char name[64], path[128];
  ta_enc("孙七", name, sizeof name);
  snprintf(path, sizeof path, "/api/users/%s/remove", name);
  j = ta_post(f, path, &f->admin, "{}", 200);
  assert_string_equal(ta_str(j, "removed"), "孙七");
  json_decref(j);
  q = (struct wt_req){.path = "/api/me", .session = &sun};
  ta_expect_error(f, &q, 401, "unauthorized", NULL);
  assert_int_equal(wt_login(f->w, "孙七", "sun-secret-7", &sun), 401);
  q = (struct wt_req){.path = path, .method = "POST", .session = &f->admin};
  ta_expect_error(f, &q, 404, "not_found", "孙七");
  q.path = "/api/users/zhao/remove";
  ta_expect_error(f, &q, 409, "conflict", "your own");
  q.path = "/api/users/zhao/delete";
  ta_expect_error(f, &q, 404, "not_found", NULL);
  j = ta_get(f, "/api/users", &f->admin, 200);
  assert_int_equal(json_array_size(ta_member(j, "users")), 3);
  json_decref(j);
}

/* ------------------------------------------------------------- sessions */

/* Every endpoint refuses a request without a session; a viewer may read
 * everything but users. */
static void test_no_session(void **state) {
  struct ta *f = *state;
  static const struct {
    const char *method, *path;
  } all[] = {
      {"GET", "/api/coverage"},         {"GET", "/api/search?q=abc"},
      {"GET", "/api/alerts"},           {"GET", "/api/alerts/1"},
      {"POST", "/api/alerts/1/ack"},    {"GET", "/api/sources"},
      {"GET", "/api/report?format=md"}, {"GET", "/api/users"},
      {"POST", "/api/users"},           {"POST", "/api/users/li/remove"},
  };
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    struct wt_req q = {.method = all[i].method,
                       .path = all[i].path,
                       .body = strcmp(all[i].method, "POST") ? NULL : "{}"};
    ta_expect_error(f, &q, 401, "unauthorized", NULL);
  }
  static const char *const readable[] = {"/api/coverage", "/api/search?q=abc",
                                         "/api/alerts", "/api/sources",
                                         "/api/report?format=md"};
  for (size_t i = 0; i < sizeof readable / sizeof readable[0]; i++) {
    struct wt_reply r;
    assert_int_equal(wt_get(f->w, readable[i], &f->viewer, &r), 200);
    wt_reply_cleanup(&r);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      TA_TEST(test_coverage_week),
      TA_TEST(test_coverage_past_and_ranges),
      TA_TEST(test_coverage_bad_period),
      TA_TEST(test_search_filters),
      TA_TEST(test_search_escapes_markup),
      TA_TEST(test_search_refusals),
      TA_TEST(test_sources),
      TA_TEST(test_report_formats),
      TA_TEST(test_report_refusals),
      TA_TEST(test_users),
      TA_TEST(test_no_session),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
