/*
 * test_pages.c: the dashboard pages (web/page*.c, static.c, routes_pages.c)
 * against a live server over the seeded store of the API tests
 * (test_api_fixture.h: clock Wed 2026-11-25 10:00 Shanghai, week 2026-W48;
 * articles A0..A3, alerts L0 level 3 new with a <script> title, L1 level 2
 * reported, L2 level 1 closed; 吉林日报 failing; one central target).
 *
 * Each page is fetched as a signed-in user and checked for exact text
 * from the store, for escaping, for the stable selectors the browser
 * tests use, for the absence of inline script and style (the CSP forbids
 * them), and with xmllint --html, which knows HTML 4 only: its complaints
 * about HTML5 and SVG element names are the only ones allowed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "alerts/alerts.h"
#include "tests/web/test_api_fixture.h"

#define CSP_PAGE                                                            \
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src "       \
  "'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; " \
  "frame-ancestors 'none'"
#define CSP_API "default-src 'none'; frame-ancestors 'none'"

/* ------------------------------------------------------------- helpers */

/* GET path with s; fails unless the status is want; returns the body
 * (caller frees). */
static char *page(struct ta *f, const char *path, const struct wt_session *s,
                  long want) {
  struct wt_reply r;
  long st = wt_get(f->w, path, s, &r);
  if (st != want)
    fail_msg("GET %s: status %ld, wanted %ld: %s %s", path, st, want,
             r.body ? r.body : "", r.error);
  /* Every page, error pages included, carries the page policy. */
  char csp[512] = "";
  if (!wt_header(&r, "Content-Security-Policy", csp, sizeof csp) ||
      strcmp(csp, strncmp(path, "/api/", 5) ? CSP_PAGE : CSP_API) != 0)
    fail_msg("GET %s: Content-Security-Policy \"%s\"", path, csp);
  char *body = r.body;
  r.body = NULL;
  wt_reply_cleanup(&r);
  return body;
}

static void expect_in(const char *body, const char *needle) {
  if (!body) fail_msg("no page to look for %s in", needle);
  if (!body || !strstr(body, needle))
    fail_msg("expected in the page: %s\n---- page:\n%s", needle,
             body ? body : "");
}

static void expect_not_in(const char *body, const char *needle) {
  if (!body) fail_msg("no page to look for %s in", needle);
  if (body && strstr(body, needle))
    fail_msg("not expected in the page: %s\n---- page:\n%s", needle, body);
}

static size_t count_of(const char *body, const char *needle) {
  size_t n = 0;
  for (const char *p = body; (p = strstr(p, needle)); p += strlen(needle)) n++;
  return n;
}

/* What the CSP forbids: inline script, style attributes and elements,
 * event handler attributes. */
static void expect_no_inline(const char *body) {
  expect_not_in(body, "<script>");
  expect_not_in(body, " style=");
  expect_not_in(body, "<style");
  expect_not_in(body, " onclick=");
  expect_not_in(body, " onload=");
  expect_not_in(body, "javascript:");
}

/* xmllint --html on body: every message must be an HTML5 or SVG tag
 * libxml2's HTML 4 parser does not know. */
static void lint(const char *body, const char *what) {
  char dir[] = "/tmp/mw_pages_XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[64];
  snprintf(path, sizeof path, "%s/page.html", dir);
  FILE *fp = fopen(path, "w");
  assert_non_null(fp);
  fputs(body, fp);
  fclose(fp);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "xmllint --html --noout '%s' 2>&1", path);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  static const char *const html5[] = {"nav",      "main", "header", "footer",
                                      "section",  "svg",  "rect",   "text",
                                      "progress", "mark"};
  char line[4096];
  char bad[8192] = "";
  while (fgets(line, sizeof line, p)) {
    const char *e = strstr(line, "error :");
    if (!e) continue; /* the context and caret lines of a message */
    bool known = false;
    for (size_t i = 0; i < sizeof html5 / sizeof html5[0]; i++) {
      char want[64];
      snprintf(want, sizeof want, "error : Tag %s invalid", html5[i]);
      if (strncmp(e, want, strlen(want)) == 0) known = true;
    }
    if (!known && strlen(bad) + strlen(line) < sizeof bad)
      strncat(bad, line, sizeof bad - strlen(bad) - 1);
  }
  int status = pclose(p);
  unlink(path);
  rmdir(dir);
  if (status != 0 || bad[0])
    fail_msg("xmllint --html on %s (exit %d):\n%s", what, status, bad);
}

/* Every signed-in page: frame, selectors, no inline code, lint. */
static void check_frame(const char *body, const char *nav, const char *what) {
  expect_in(body, "<!doctype html>\n<html lang=\"zh-CN\">");
  expect_in(body, "<meta charset=\"utf-8\">");
  expect_in(body, "<meta name=\"viewport\"");
  expect_in(body, "<meta name=\"csrf\" content=\"");
  expect_in(body, "<link rel=\"stylesheet\" href=\"/static/style.css\">");
  expect_in(body, "<script src=\"/static/app.js\" defer></script>");
  char active[128];
  snprintf(active, sizeof active,
           "data-nav=\"%s\" class=\"active\" aria-current=\"page\">", nav);
  expect_in(body, active);
  assert_int_equal(count_of(body, "class=\"active\""), 1);
  assert_int_equal(count_of(body, "data-nav=\""), 5);
  expect_in(body, "<button type=\"button\" id=\"logout\">退出</button>");
  expect_no_inline(body);
  lint(body, what);
}

static const char XSS_ESCAPED[] =
    "&lt;script&gt;alert(1)&lt;/script&gt;无废细胞进社区";

/* --------------------------------------------------------------- tests */

static void test_signed_out_goes_to_login(void **state) {
  struct ta *f = *state;
  struct wt_reply r;
  char loc[256];
  assert_int_equal(wt_get(f->w, "/", NULL, &r), 303);
  assert_true(wt_header(&r, "Location", loc, sizeof loc));
  assert_string_equal(loc, "/login?next=/");
  wt_reply_cleanup(&r);
  assert_int_equal(wt_get(f->w, "/alerts/12", NULL, &r), 303);
  assert_true(wt_header(&r, "Location", loc, sizeof loc));
  assert_string_equal(loc, "/login?next=/alerts/12");
  wt_reply_cleanup(&r);
  for (size_t i = 0; i < 5; i++) {
    static const char *const paths[] = {"/alerts", "/search", "/sources",
                                        "/reports", "/alerts/1"};
    assert_int_equal(wt_get(f->w, paths[i], NULL, &r), 303);
    wt_reply_cleanup(&r);
  }
}

static void test_login_page(void **state) {
  struct ta *f = *state;
  struct wt_reply r;
  assert_int_equal(wt_get(f->w, "/login?next=/alerts", NULL, &r), 200);
  char v[512];
  assert_true(wt_header(&r, "Content-Security-Policy", v, sizeof v));
  assert_string_equal(v, CSP_PAGE);
  assert_true(wt_header(&r, "Content-Type", v, sizeof v));
  assert_string_equal(v, "text/html; charset=utf-8");
  assert_true(wt_header(&r, "X-Frame-Options", v, sizeof v));
  assert_string_equal(v, "DENY");
  assert_true(wt_header(&r, "Cache-Control", v, sizeof v));
  assert_string_equal(v, "no-store");
  expect_in(r.body, "<form id=\"login-form\"");
  expect_in(r.body, "<input id=\"login-name\" name=\"name\"");
  expect_in(r.body,
            "<input id=\"login-password\" name=\"password\" "
            "type=\"password\"");
  expect_in(r.body, "<title>登录 · 舆情监测</title>");
  /* Signed out: no nav, no token. */
  expect_not_in(r.body, "data-nav=");
  expect_not_in(r.body, "name=\"csrf\"");
  expect_no_inline(r.body);
  lint(r.body, "/login");
  wt_reply_cleanup(&r);
}

static void test_overview(void **state) {
  struct ta *f = *state;
  char *b = page(f, "/", &f->viewer, 200);
  check_frame(b, "overview", "/");
  expect_in(b, "<h1>本周概览</h1>");
  expect_in(b,
            "<span class=\"user-name\">wang</span> "
            "<span class=\"user-role\">查看</span>");
  expect_in(b, "<meta name=\"role\" content=\"viewer\">");
  expect_in(b,
            "统计周期：2026-W48 2026-11-23 至 2026-11-29（上期 2026-W47 "
            "2026-11-16 至 2026-11-22）");
  /* A0 A1 A2 this week, A3 the week before. */
  expect_in(b,
            "本期报道</div><div class=\"n\">3</div><div class=\"sub\">"
            "上期 1，增加 2</div>");
  /* L0 (level 3) and L1 (level 2) are open, L2 closed. */
  expect_in(b, "未办结预警</div><div class=\"n\"><a href=\"/alerts\">2</a>");
  expect_in(b, "<span class=\"lv lv-3\">重大 1</span>");
  expect_in(b, "<span class=\"lv lv-2\">较大 1</span>");
  expect_in(b, "<span class=\"lv lv-4\">特别重大 0</span>");
  /* Four sources, 吉林日报 failing. */
  expect_in(b, "<a href=\"/sources\">4</a></div><div class=\"sub\">失败 1");
  /* The target: one central article (A0) of 2 by Wednesday 10:00 is on
   * track (58 of 168 hours gone). */
  expect_in(b,
            "<tr class=\"target st-on_track\"><td class=\"name\">"
            "中央媒体每周至少2篇</td><td>2026-11-23 至 2026-11-29</td><td>"
            "<progress value=\"1\" max=\"2\">1/2</progress></td>"
            "<td class=\"num\">1/2 篇</td><td><span class=\"status "
            "st-on_track\">进度正常</span></td></tr>");
  /* The chart: seven days, Monday one article, Tuesday two. */
  expect_in(b,
            "<svg id=\"chart-daily\" class=\"chart\" viewBox=\"0 0 280 200\"");
  assert_int_equal(count_of(b, "<rect class=\"bar\""), 7);
  expect_in(b, "<title>11-23：1 篇</title>");
  expect_in(b, "<title>11-24：2 篇</title>");
  expect_in(b, "<title>11-25：0 篇</title>");
  /* Two articles are the tallest bar: the full 160 units. */
  expect_in(b,
            "<rect class=\"bar\" x=\"46\" y=\"18\" width=\"28\" "
            "height=\"160\"><title>11-24：2 篇</title>");
  expect_in(b,
            "<rect class=\"bar\" x=\"6\" y=\"98\" width=\"28\" "
            "height=\"80\"><title>11-23：1 篇</title>");
  /* By tier. */
  expect_in(b,
            "<tr data-tier=\"central\"><td>中央媒体</td><td class=\"num\">1"
            "</td>");
  expect_in(b,
            "<tr data-tier=\"city\"><td>市级媒体</td><td class=\"num\">1</td>");
  expect_in(b,
            "<tr data-tier=\"county\"><td>区县媒体</td><td class=\"num\">0"
            "</td>");
  free(b);

  /* Another period by argument; a bad one is a 400 page saying why. */
  b = page(f, "/?week=2026-W47", &f->viewer, 200);
  expect_in(b, "<h1>报道概览</h1>");
  expect_in(b, "本期报道</div><div class=\"n\">1</div>");
  /* That week is over with one central article (A3) of 2: missed. */
  expect_in(b,
            "<tr class=\"target st-missed\"><td class=\"name\">"
            "中央媒体每周至少2篇</td><td>2026-11-16 至 2026-11-22</td>");
  expect_in(b, "<span class=\"status st-missed\">未达标</span>");
  free(b);
  b = page(f, "/?week=2026-W99", &f->viewer, 400);
  expect_in(b, "<p class=\"error\">");
  free(b);
}

static void test_unknown_page_404(void **state) {
  struct ta *f = *state;
  /* "/" is not a prefix: an unknown path is the server's 404, signed in
   * or not, and an unknown API path stays JSON. */
  char *b = page(f, "/no-such-page", &f->viewer, 404);
  free(b);
  b = page(f, "/no-such-page", NULL, 404);
  free(b);
  b = page(f, "/api/nope", NULL, 404);
  expect_in(b, "\"error\":\"not_found\"");
  free(b);
  b = page(f, "/alerts/abc", &f->viewer, 404);
  free(b);
  b = page(f, "/alerts/999999", &f->viewer, 404);
  expect_in(b, "没有编号为 999999 的预警。");
  free(b);
  char path[64];
  snprintf(path, sizeof path, "/alerts/%lld/ack", (long long)f->alert[0]);
  b = page(f, path, &f->viewer, 404);
  free(b);
}

static void test_alerts_viewer(void **state) {
  struct ta *f = *state;
  char *b = page(f, "/alerts", &f->viewer, 200);
  check_frame(b, "alerts", "/alerts");
  char row[160];
  snprintf(row, sizeof row,
           "<tr data-alert-id=\"%lld\" data-level=\"3\" data-state=\"new\" "
           "class=\"alert lv-row-3\">",
           (long long)f->alert[0]);
  expect_in(b, row);
  snprintf(
      row, sizeof row,
      "<tr data-alert-id=\"%lld\" data-level=\"2\" data-state=\"reported\" "
      "class=\"alert lv-row-2\">",
      (long long)f->alert[1]);
  expect_in(b, row);
  /* Closed L2 is not in the open queue. */
  snprintf(row, sizeof row, "data-alert-id=\"%lld\"", (long long)f->alert[2]);
  expect_not_in(b, row);
  /* Highest level first. */
  char l0[32], l1[32];
  snprintf(l0, sizeof l0, "data-alert-id=\"%lld\"", (long long)f->alert[0]);
  snprintf(l1, sizeof l1, "data-alert-id=\"%lld\"", (long long)f->alert[1]);
  assert_true(strstr(b, l0) < strstr(b, l1));
  /* The crawled <script> title is text. */
  char title[256];
  snprintf(title, sizeof title,
           "<td class=\"c-title\"><a href=\"/alerts/%lld\">%s"
           "</a><div class=\"reason\">敏感词：焚烧</div></td>",
           (long long)f->alert[0], XSS_ESCAPED);
  expect_in(b, title);
  expect_not_in(b, "<script>alert");
  expect_in(b, "<td class=\"c-region\">吉林省长春市朝阳区</td>");
  expect_in(b, "<td class=\"c-state\">新预警</td>");
  expect_in(b, "<td class=\"c-reach\">1 家 / 1 篇</td>");
  /* 09:30 local, deadline 5 h later. */
  expect_in(b, "<td class=\"c-created\">2026-11-25 09:30</td>");
  expect_in(b, "<td class=\"c-deadline\">2026-11-25 14:30</td>");
  expect_in(b,
            "<table id=\"alerts\" class=\"alerts\" data-live=\"1\" "
            "data-f-level=\"\" data-f-state=\"\" data-f-topic=\"\" "
            "data-f-region=\"\" data-f-open=\"1\" data-f-overdue=\"\">");
  /* A viewer gets no action buttons. */
  expect_not_in(b, "data-action=");
  free(b);
}

static void test_alerts_duty_buttons(void **state) {
  struct ta *f = *state;
  char *b = page(f, "/alerts", &f->duty, 200);
  check_frame(b, "alerts", "/alerts as duty");
  char btn[400];
  /* L0 is new: only 确认. */
  snprintf(btn, sizeof btn,
           "<button type=\"button\" data-action=\"ack\" data-id=\"%lld\">确认"
           "</button>",
           (long long)f->alert[0]);
  expect_in(b, btn);
  snprintf(btn, sizeof btn, "data-action=\"close\" data-id=\"%lld\"",
           (long long)f->alert[0]);
  expect_not_in(b, btn);
  /* L1 is reported: 交办 (with its unit field) and 办结, not 确认. */
  snprintf(btn, sizeof btn,
           "<input type=\"text\" name=\"unit\" placeholder=\"承办单位\" "
           "aria-label=\"承办单位\" maxlength=\"200\"><button type=\"button\" "
           "data-action=\"assign\" data-id=\"%lld\">交办</button>",
           (long long)f->alert[1]);
  expect_in(b, btn);
  snprintf(btn, sizeof btn, "data-action=\"close\" data-id=\"%lld\">办结",
           (long long)f->alert[1]);
  expect_in(b, btn);
  snprintf(btn, sizeof btn, "data-action=\"ack\" data-id=\"%lld\"",
           (long long)f->alert[1]);
  expect_not_in(b, btn);
  snprintf(btn, sizeof btn, "data-action=\"feedback\" data-id=\"%lld\"",
           (long long)f->alert[1]);
  expect_not_in(b, btn);
  assert_int_equal(count_of(b, "data-action=\""), 3);
  expect_in(b, "<meta name=\"role\" content=\"duty\">");
  free(b);
}

static void test_alerts_filters(void **state) {
  struct ta *f = *state;
  char id[3][32];
  for (int i = 0; i < 3; i++)
    snprintf(id[i], sizeof id[i], "data-alert-id=\"%lld\"",
             (long long)f->alert[i]);
  char *b = page(f, "/alerts?open=0", &f->viewer, 200);
  for (int i = 0; i < 3; i++) expect_in(b, id[i]);
  expect_in(b, "<option value=\"0\" selected>全部</option>");
  free(b);
  b = page(f, "/alerts?level=3", &f->viewer, 200);
  expect_in(b, id[0]);
  expect_not_in(b, id[1]);
  expect_in(b, "<option value=\"3\" selected>重大</option>");
  free(b);
  b = page(f, "/alerts?state=closed", &f->viewer, 200);
  expect_in(b, id[2]);
  expect_not_in(b, id[0]);
  expect_not_in(b, id[1]);
  free(b);
  b = page(f, "/alerts?topic=%E5%9E%83%E5%9C%BE%E5%88%86%E7%B1%BB&open=0",
           &f->viewer, 200);
  expect_in(b, id[2]);
  expect_not_in(b, id[0]);
  expect_in(b, "data-f-topic=\"垃圾分类\"");
  free(b);
  /* Nothing passes: the empty row, and page 2 is not live. */
  b = page(f, "/alerts?level=4", &f->viewer, 200);
  expect_in(b, "<tr class=\"empty\"><td colspan=\"10\">没有符合条件的预警。");
  free(b);
  b = page(f, "/alerts?page=2", &f->viewer, 200);
  expect_in(b, "data-live=\"0\"");
  expect_in(b, "<a rel=\"prev\" href=\"/alerts?open=1&amp;page=1\">上一页</a>");
  free(b);
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
  char *b = page(f, "/alerts?level=&open=1", &f->viewer, 200);
  assert_int_equal(count_of(b, "<tr data-alert-id="), 50);
  expect_in(b,
            "<nav class=\"pager\">第 1 页\n<a rel=\"next\" "
            "href=\"/alerts?open=1&amp;page=2\">下一页</a>");
  expect_not_in(b, "rel=\"prev\"");
  free(b);
  b = page(f, "/alerts?page=2", &f->viewer, 200);
  assert_int_equal(count_of(b, "<tr data-alert-id="), 7);
  expect_in(b, "垃圾站异味投诉 54</a>");
  expect_not_in(b, "rel=\"next\"");
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
  char *b = page(f, path, &f->duty, 200);
  check_frame(b, "alerts", path);
  char want[512];
  snprintf(want, sizeof want, "<h1>%s</h1>", XSS_ESCAPED);
  expect_in(b, want);
  snprintf(want, sizeof want, "<title>%s · 舆情监测</title>", XSS_ESCAPED);
  expect_in(b, want);
  expect_not_in(b, "<script>alert");
  expect_in(b, "<dt>级别</dt><dd><span class=\"lv lv-3\">重大</span></dd>");
  expect_in(b, "<dt>属地</dt><dd>吉林省长春市朝阳区</dd>");
  expect_in(b,
            "<dt>原文</dt><dd><a class=\"out\" rel=\"noreferrer noopener\" "
            "href=\"http://www.cccnews.cn/a2.html\">"
            "http://www.cccnews.cn/a2.html</a></dd>");
  expect_in(b, "<dt>响应期限</dt><dd>2026-11-25 14:30</dd>");
  expect_in(b, "<dt>承办单位</dt><dd>—</dd>");
  /* The article, escaped, with its outlet and publication time. */
  snprintf(want, sizeof want,
           "<tr data-article-id=\"%lld\"><td><a class=\"out\" rel=\"noreferrer "
           "noopener\" href=\"http://www.cccnews.cn/a2.html\">%s</a></td><td>"
           "长春日报</td><td>2026-11-24 08:00</td></tr>",
           (long long)f->art[2], XSS_ESCAPED);
  expect_in(b, want);
  /* Duty: the ack form with a comment field. */
  snprintf(want, sizeof want,
           "<div class=\"actions detail\" data-id=\"%lld\">\n<span class=\"act "
           "act-ack\"><button type=\"button\" data-action=\"ack\" "
           "data-id=\"%lld\">确认</button></span>\n<textarea name=\"comment\"",
           (long long)f->alert[0], (long long)f->alert[0]);
  expect_in(b, want);
  expect_in(b, "<tr class=\"empty\"><td colspan=\"5\">无</td></tr>");
  free(b);

  /* L1 as a viewer: the audit trail, no actions. */
  snprintf(path, sizeof path, "/alerts/%lld", (long long)f->alert[1]);
  b = page(f, path, &f->viewer, 200);
  check_frame(b, "alerts", path);
  expect_in(b,
            "<td>2026-11-25 09:30</td><td>li</td><td>确认</td><td>新预警 → "
            "已报告</td><td>&lt;b&gt;已报&lt;/b&gt;</td></tr>");
  expect_in(b, "<dt>确认人</dt><dd>li</dd>");
  expect_not_in(b, "data-action=\"assign\"");
  expect_not_in(b, "id=\"actions\"");
  free(b);
}

static void test_search(void **state) {
  struct ta *f = *state;
  char *b = page(f, "/search", &f->viewer, 200);
  check_frame(b, "search", "/search");
  expect_in(b, "<form id=\"search-form\"");
  expect_in(b, "<input id=\"search-q\" type=\"search\" name=\"q\"");
  expect_not_in(b, "id=\"results\"");
  free(b);

  /* 无废细胞 is only in A2, whose title carries the <script>. */
  b = page(f, "/search?q=%E6%97%A0%E5%BA%9F%E7%BB%86%E8%83%9E", &f->viewer,
           200);
  check_frame(b, "search", "/search?q=无废细胞");
  expect_in(b,
            "<input id=\"search-q\" type=\"search\" name=\"q\" "
            "maxlength=\"256\" placeholder=\"多个词以空格分隔\" "
            "value=\"无废细胞\">");
  expect_in(b, "<ol id=\"results\" class=\"results\">");
  assert_int_equal(count_of(b, "<li class=\"hit\""), 1);
  expect_in(b, "共 1 条结果，第 1 页");
  expect_in(b,
            "&lt;script&gt;alert(1)&lt;/script&gt;<mark>无废细胞</mark>"
            "进社区</a></h3>");
  expect_in(b, "<mark>无废细胞</mark>");
  expect_in(b,
            "<span class=\"outlet\">长春日报</span> · 市级媒体 · "
            "2026-11-24 08:00");
  expect_not_in(b, "<script>alert");
  free(b);

  /* Filters: 垃圾分类 in 人民日报 only is A3. */
  b = page(f,
           "/search?q=%E5%9E%83%E5%9C%BE%E5%88%86%E7%B1%BB&outlet="
           "%E4%BA%BA%E6%B0%91%E6%97%A5%E6%8A%A5",
           &f->viewer, 200);
  assert_int_equal(count_of(b, "<li class=\"hit\""), 1);
  char want[64];
  snprintf(want, sizeof want, "data-article-id=\"%lld\"", (long long)f->art[3]);
  expect_in(b, want);
  free(b);
  /* Dates: A3 (11-18) is before 11-20. */
  b = page(f, "/search?q=%E5%9E%83%E5%9C%BE%E5%88%86%E7%B1%BB&from=2026-11-20",
           &f->viewer, 200);
  expect_not_in(b, want);
  free(b);
  b = page(f, "/search?q=%E5%9E%83%E5%9C%BE%E5%88%86%E7%B1%BB&to=2026-11-18",
           &f->viewer, 200);
  expect_in(b, want);
  assert_int_equal(count_of(b, "<li class=\"hit\""), 1);
  free(b);
  /* A bad date says so. */
  b = page(f, "/search?q=x&from=2026-13-01", &f->viewer, 400);
  expect_in(b,
            "<p class=\"error\" id=\"search-error\">起始日期应为 "
            "YYYY-MM-DD。</p>");
  free(b);
  /* Nothing found. */
  b = page(f, "/search?q=%E6%81%B6%E8%87%AD%E6%B0%94%E5%91%B3", &f->viewer,
           200);
  expect_in(b, "没有找到相关报道。");
  free(b);
}

/* 22 hits: page 1 shows 20 and links on, page 2 the last 2 and links
 * back, both keeping the query. */
static void test_search_paging(void **state) {
  struct ta *f = *state;
  struct mw_err err = {0};
  for (int i = 0; i < 22; i++) {
    char url[64], title[64];
    snprintf(url, sizeof url, "https://www.people.com.cn/n1/p%d.html", i);
    snprintf(title, sizeof title, "居民反映垃圾站异味问题（%d）", i);
    struct mw_article a = {.source_id = f->src[1],
                           .url = url,
                           .title = title,
                           .text = "小区垃圾站异味扰民，街道已督促整改。",
                           .published = TA_MON + i * 600,
                           .fetched = TA_NOW - 60};
    int64_t id;
    bool inserted;
    if (mw_store_add_article(f->w->store, &a, &id, &inserted, &err))
      fail_msg("article: %s", err.msg);
  }
  size_t n = 0;
  if (mw_store_search_index(f->w->store, 100, &n, &err))
    fail_msg("index: %s", err.msg);
  char *b = page(f,
                 "/search?q=%E5%9E%83%E5%9C%BE%E7%AB%99%E5%BC%82%E5%91%B3"
                 "&tier=central",
                 &f->viewer, 200);
  expect_in(b, "共 22 条结果，第 1 页");
  assert_int_equal(count_of(b, "<li class=\"hit\""), 20);
  expect_in(b, "<option value=\"central\" selected>中央媒体</option>");
  /* Newest first. */
  expect_in(b, "<mark>垃圾站异味</mark>问题（21）");
  expect_in(b,
            "<a rel=\"next\" href=\"/search?q=%E5%9E%83%E5%9C%BE%E7%AB%99"
            "%E5%BC%82%E5%91%B3&amp;tier=central&amp;page=2\">下一页</a>");
  expect_not_in(b, "rel=\"prev\"");
  free(b);
  b = page(f,
           "/search?q=%E5%9E%83%E5%9C%BE%E7%AB%99%E5%BC%82%E5%91%B3"
           "&tier=central&page=2",
           &f->viewer, 200);
  assert_int_equal(count_of(b, "<li class=\"hit\""), 2);
  expect_in(b, "共 22 条结果，第 2 页");
  expect_in(b, "<mark>垃圾站异味</mark>问题（0）");
  expect_in(b, "rel=\"prev\" href=\"/search?q=");
  expect_not_in(b, "rel=\"next\"");
  free(b);
  /* Another tier has none of them. */
  b = page(f,
           "/search?q=%E5%9E%83%E5%9C%BE%E7%AB%99%E5%BC%82%E5%91%B3"
           "&tier=city",
           &f->viewer, 200);
  expect_in(b, "共 0 条结果");
  free(b);
}

static void test_sources(void **state) {
  struct ta *f = *state;
  char *b = page(f, "/sources", &f->viewer, 200);
  check_frame(b, "sources", "/sources");
  expect_in(b, "共 4 个信源，失败 1 个。");
  /* Failing first, then never polled (by outlet), then ok. */
  char id[4][48];
  for (int i = 0; i < 4; i++)
    snprintf(id[i], sizeof id[i], "data-source-id=\"%lld\"",
             (long long)f->src[i]);
  const char *p2 = strstr(b, id[2]), *p1 = strstr(b, id[1]),
             *p3 = strstr(b, id[3]), *p0 = strstr(b, id[0]);
  assert_non_null(p0);
  assert_non_null(p1);
  assert_non_null(p2);
  assert_non_null(p3);
  assert_true(p2 < p1 && p1 < p3 && p3 < p0);
  char want[600];
  snprintf(want, sizeof want,
           "<tr class=\"src st-failing\" %s data-status=\"failing\"><td><span "
           "class=\"status st-failing\">失败</span></td><td>吉林日报</td>"
           "<td class=\"url\"><a class=\"out\" rel=\"noreferrer noopener\" "
           "href=\"http://jlrb.jlntv.cn/szb/index.html\">"
           "http://jlrb.jlntv.cn/szb/index.html</a></td><td>html</td><td>"
           "从未成功</td><td>2026-11-25 09:55</td><td class=\"num\">2</td>"
           "<td class=\"err\">HTTP 503 Service Unavailable</td>",
           id[2]);
  expect_in(b, want);
  snprintf(want, sizeof want,
           "<tr class=\"src st-ok\" %s data-status=\"ok\"><td><span "
           "class=\"status st-ok\">正常</span></td><td>人民日报</td>",
           id[0]);
  expect_in(b, want);
  expect_in(b,
            "<td>2026-11-25 09:50</td><td>2026-11-25 09:50</td><td "
            "class=\"num\">0</td><td class=\"err\"></td>");
  free(b);
}

static void test_reports(void **state) {
  struct ta *f = *state;
  char *b = page(f, "/reports", &f->viewer, 200);
  check_frame(b, "reports", "/reports");
  expect_in(b,
            "<tr data-period=\"week=2026-W48\"><td>本周（2026-W48）</td>"
            "<td>2026-11-23 至 2026-11-29</td><td><a class=\"view\" "
            "href=\"/api/report?week=2026-W48&amp;format=html\">查看</a>"
            "</td>");
  expect_in(b,
            "<a href=\"/api/report?week=2026-W48&amp;format=csv&amp;"
            "download=1\" data-format=\"csv\" download>csv</a>");
  expect_in(b, "<td>上周（2026-W47）</td><td>2026-11-16 至 2026-11-22</td>");
  expect_in(b, "<td>4 周前（2026-W44）</td><td>2026-10-26 至 2026-11-01</td>");
  expect_in(b,
            "<tr data-period=\"month=2026-11\"><td>本月（2026年11月）</td>"
            "<td>2026-11-01 至 2026-11-30</td>");
  expect_in(b,
            "<tr data-period=\"month=2026-10\"><td>上月（2026年10月）</td>"
            "<td>2026-10-01 至 2026-10-31</td>");
  assert_int_equal(count_of(b, "<tr data-period="), 7);
  assert_int_equal(count_of(b, "download=1"), 28);
  free(b);
}

/* The embedded file must be the one in the tree, byte for byte. */
static char *read_source(const char *rel, size_t *len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", MW_SOURCE_ROOT, rel);
  FILE *fp = fopen(path, "rb");
  if (!fp) fail_msg("cannot open %s", path);
  static char buf[1 << 20];
  *len = fread(buf, 1, sizeof buf, fp);
  fclose(fp);
  return buf;
}

static void test_static_files(void **state) {
  struct ta *f = *state;
  struct wt_reply r;
  char v[256];
  size_t len;
  assert_int_equal(wt_get(f->w, "/static/app.js", NULL, &r), 200);
  assert_true(wt_header(&r, "Content-Type", v, sizeof v));
  assert_string_equal(v, "text/javascript; charset=utf-8");
  assert_true(wt_header(&r, "Cache-Control", v, sizeof v));
  assert_string_equal(v, "max-age=3600");
  assert_true(wt_header(&r, "X-Content-Type-Options", v, sizeof v));
  assert_string_equal(v, "nosniff");
  const char *js = read_source("web/static/app.js", &len);
  assert_true(len > 1000);
  assert_int_equal(r.body_len, len);
  assert_memory_equal(r.body, js, len);
  /* Nothing that turns text into code, nothing that writes markup. */
  expect_not_in(r.body, "eval");
  expect_not_in(r.body, "new Function");
  expect_not_in(r.body, "innerHTML");
  expect_not_in(r.body, "outerHTML");
  expect_not_in(r.body, "insertAdjacentHTML");
  expect_not_in(r.body, "document.write");
  expect_in(r.body, "new EventSource('/api/events')");
  expect_in(r.body, "'X-CSRF-Token'");
  wt_reply_cleanup(&r);

  assert_int_equal(wt_get(f->w, "/static/style.css", NULL, &r), 200);
  assert_true(wt_header(&r, "Content-Type", v, sizeof v));
  assert_string_equal(v, "text/css; charset=utf-8");
  const char *css = read_source("web/static/style.css", &len);
  assert_int_equal(r.body_len, len);
  assert_memory_equal(r.body, css, len);
  /* The level colours of alerts/levels.c. */
  for (int l = 1; l <= 4; l++)
    expect_in(r.body, mw_alert_level_hex((enum mw_alert_level)l));
  expect_in(r.body, "@media (max-width: 700px)");
  wt_reply_cleanup(&r);

  static const char *const missing[] = {"/static/nope.js", "/static/",
                                        "/static/app.js.map", "/static/APP.JS"};
  for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++) {
    assert_int_equal(wt_get(f->w, missing[i], NULL, &r), 404);
    wt_reply_cleanup(&r);
  }
  /* HEAD answers too, without a body. */
  struct wt_req q = {.method = "HEAD", .path = "/static/style.css"};
  assert_int_equal(wt_do(f->w, &q, &r), 200);
  assert_int_equal(r.body_len, 0);
  wt_reply_cleanup(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_signed_out_goes_to_login, ta_setup,
                                      ta_teardown),
      cmocka_unit_test_setup_teardown(test_login_page, ta_setup, ta_teardown),
      cmocka_unit_test_setup_teardown(test_overview, ta_setup, ta_teardown),
      cmocka_unit_test_setup_teardown(test_unknown_page_404, ta_setup,
                                      ta_teardown),
      cmocka_unit_test_setup_teardown(test_alerts_viewer, ta_setup,
                                      ta_teardown),
      cmocka_unit_test_setup_teardown(test_alerts_duty_buttons, ta_setup,
                                      ta_teardown),
      cmocka_unit_test_setup_teardown(test_alerts_filters, ta_setup,
                                      ta_teardown),
      cmocka_unit_test_setup_teardown(test_alerts_paging, ta_setup,
                                      ta_teardown),
      cmocka_unit_test_setup_teardown(test_alert_detail, ta_setup, ta_teardown),
      cmocka_unit_test_setup_teardown(test_search, ta_setup, ta_teardown),
      cmocka_unit_test_setup_teardown(test_search_paging, ta_setup,
                                      ta_teardown),
      cmocka_unit_test_setup_teardown(test_sources, ta_setup, ta_teardown),
      cmocka_unit_test_setup_teardown(test_reports, ta_setup, ta_teardown),
      cmocka_unit_test_setup_teardown(test_static_files, ta_setup, ta_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
