/*
 * test_pages.c: the dashboard pages other than the alert queue and detail
 * (web/page.c, page_login.c, page_overview.c, page_search.c,
 * page_sources.c, page_reports.c, static.c, routes_pages.c) against a live
 * server over the seeded store of the API tests (test_api_fixture.h: clock
 * Wed 2026-11-25 10:00 Shanghai, week 2026-W48; articles A0..A3, alerts L0
 * level 3 new with a <script> title, L1 level 2 reported, L2 level 1
 * closed; 吉林日报 failing; one central target). The alert pages are in
 * test_pages_alerts.c.
 *
 * Each page is fetched as a signed-in user and checked for exact text
 * from the store, for escaping, for the stable selectors the browser
 * tests use, for the absence of inline script and style (the CSP forbids
 * them), and with xmllint --html (pages_test_util.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "alerts/alerts.h"
#include "tests/web/pages_test_util.h"

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
  assert_string_equal(v, TP_CSP_PAGE);
  assert_true(wt_header(&r, "Content-Type", v, sizeof v));
  assert_string_equal(v, "text/html; charset=utf-8");
  assert_true(wt_header(&r, "X-Frame-Options", v, sizeof v));
  assert_string_equal(v, "DENY");
  assert_true(wt_header(&r, "Cache-Control", v, sizeof v));
  assert_string_equal(v, "no-store");
  tp_expect_in(r.body, "<form id=\"login-form\"");
  tp_expect_in(r.body, "<input id=\"login-name\" name=\"name\"");
  tp_expect_in(r.body,
               "<input id=\"login-password\" name=\"password\" "
               "type=\"password\"");
  tp_expect_in(r.body, "<title>登录 · 舆情监测</title>");
  /* Signed out: no nav, no token. */
  tp_expect_not_in(r.body, "data-nav=");
  tp_expect_not_in(r.body, "name=\"csrf\"");
  tp_expect_no_inline(r.body);
  tp_lint(r.body, "/login");
  wt_reply_cleanup(&r);
}

static void test_overview(void **state) {
  struct ta *f = *state;
  char *b = tp_page(f, "/", &f->viewer, 200);
  tp_check_frame(b, "overview", "/");
  tp_expect_in(b, "<h1>本周概览</h1>");
  tp_expect_in(b,
               "<span class=\"user-name\">wang</span> "
               "<span class=\"user-role\">查看</span>");
  tp_expect_in(b, "<meta name=\"role\" content=\"viewer\">");
  tp_expect_in(b,
               "统计周期：2026-W48 2026-11-23 至 2026-11-29（上期 2026-W47 "
               "2026-11-16 至 2026-11-22）");
  /* A0 A1 A2 this week, A3 the week before. */
  tp_expect_in(b,
               "本期报道</div><div class=\"n\">3</div><div class=\"sub\">"
               "上期 1，增加 2</div>");
  /* L0 (level 3) and L1 (level 2) are open, L2 closed. */
  tp_expect_in(b, "未办结预警</div><div class=\"n\"><a href=\"/alerts\">2</a>");
  tp_expect_in(b, "<span class=\"lv lv-3\">重大 1</span>");
  tp_expect_in(b, "<span class=\"lv lv-2\">较大 1</span>");
  tp_expect_in(b, "<span class=\"lv lv-4\">特别重大 0</span>");
  /* Four sources, 吉林日报 failing. */
  tp_expect_in(b, "<a href=\"/sources\">4</a></div><div class=\"sub\">失败 1");
  /* The target: one central article (A0) of 2 by Wednesday 10:00 is on
   * track (58 of 168 hours gone). */
  tp_expect_in(b,
               "<tr class=\"target st-on_track\"><td class=\"name\">"
               "中央媒体每周至少2篇</td><td>2026-11-23 至 2026-11-29</td><td>"
               "<progress value=\"1\" max=\"2\">1/2</progress></td>"
               "<td class=\"num\">1/2 篇</td><td><span class=\"status "
               "st-on_track\">进度正常</span></td></tr>");
  /* The chart: seven days, Monday one article, Tuesday two. */
  tp_expect_in(
      b, "<svg id=\"chart-daily\" class=\"chart\" viewBox=\"0 0 280 200\"");
  assert_int_equal(tp_count_of(b, "<rect class=\"bar\""), 7);
  tp_expect_in(b, "<title>11-23：1 篇</title>");
  tp_expect_in(b, "<title>11-24：2 篇</title>");
  tp_expect_in(b, "<title>11-25：0 篇</title>");
  /* Two articles are the tallest bar: the full 160 units. */
  tp_expect_in(b,
               "<rect class=\"bar\" x=\"46\" y=\"18\" width=\"28\" "
               "height=\"160\"><title>11-24：2 篇</title>");
  tp_expect_in(b,
               "<rect class=\"bar\" x=\"6\" y=\"98\" width=\"28\" "
               "height=\"80\"><title>11-23：1 篇</title>");
  /* By tier. */
  tp_expect_in(b,
               "<tr data-tier=\"central\"><td>中央媒体</td><td class=\"num\">1"
               "</td>");
  tp_expect_in(
      b, "<tr data-tier=\"city\"><td>市级媒体</td><td class=\"num\">1</td>");
  tp_expect_in(b,
               "<tr data-tier=\"county\"><td>区县媒体</td><td class=\"num\">0"
               "</td>");
  free(b);

  /* Another period by argument; a bad one is a 400 page saying why. */
  b = tp_page(f, "/?week=2026-W47", &f->viewer, 200);
  tp_expect_in(b, "<h1>报道概览</h1>");
  tp_expect_in(b, "本期报道</div><div class=\"n\">1</div>");
  /* That week is over with one central article (A3) of 2: missed. */
  tp_expect_in(b,
               "<tr class=\"target st-missed\"><td class=\"name\">"
               "中央媒体每周至少2篇</td><td>2026-11-16 至 2026-11-22</td>");
  tp_expect_in(b, "<span class=\"status st-missed\">未达标</span>");
  free(b);
  b = tp_page(f, "/?week=2026-W99", &f->viewer, 400);
  tp_expect_in(b, "<p class=\"error\">");
  free(b);
}

static void test_unknown_page_404(void **state) {
  struct ta *f = *state;
  /* "/" is not a prefix: an unknown path is the server's 404, signed in
   * or not, and an unknown API path stays JSON. */
  static const struct {
    const char *path;
    bool signed_in;
    const char *text; /* NULL: any */
  } cases[] = {
      {"/no-such-page", true, NULL},
      {"/no-such-page", false, NULL},
      {"/api/nope", false, "\"error\":\"not_found\""},
      {"/alerts/abc", true, NULL},
      {"/alerts/999999", true, "没有编号为 999999 的预警。"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *b =
        tp_page(f, cases[i].path, cases[i].signed_in ? &f->viewer : NULL, 404);
    if (cases[i].text) tp_expect_in(b, cases[i].text);
    free(b);
  }
  char path[64];
  snprintf(path, sizeof path, "/alerts/%lld/ack", (long long)f->alert[0]);
  free(tp_page(f, path, &f->viewer, 404));
}

static void test_search(void **state) {
  struct ta *f = *state;
  char *b = tp_page(f, "/search", &f->viewer, 200);
  tp_check_frame(b, "search", "/search");
  tp_expect_in(b, "<form id=\"search-form\"");
  tp_expect_in(b, "<input id=\"search-q\" type=\"search\" name=\"q\"");
  tp_expect_not_in(b, "id=\"results\"");
  free(b);

  /* 无废细胞 is only in A2, whose title carries the <script>. */
  b = tp_page(f, "/search?q=%E6%97%A0%E5%BA%9F%E7%BB%86%E8%83%9E", &f->viewer,
              200);
  tp_check_frame(b, "search", "/search?q=无废细胞");
  tp_expect_in(b,
               "<input id=\"search-q\" type=\"search\" name=\"q\" "
               "maxlength=\"256\" placeholder=\"多个词以空格分隔\" "
               "value=\"无废细胞\">");
  tp_expect_in(b, "<ol id=\"results\" class=\"results\">");
  assert_int_equal(tp_count_of(b, "<li class=\"hit\""), 1);
  tp_expect_in(b, "共 1 条结果，第 1 页");
  tp_expect_in(b,
               "&lt;script&gt;alert(1)&lt;/script&gt;<mark>无废细胞</mark>"
               "进社区</a></h3>");
  tp_expect_in(b, "<mark>无废细胞</mark>");
  tp_expect_in(b,
               "<span class=\"outlet\">长春日报</span> · 市级媒体 · "
               "2026-11-24 08:00");
  tp_expect_not_in(b, "<script>alert");
  free(b);

  /* Filters: 垃圾分类 in 人民日报 only is A3. */
  b = tp_page(f,
              "/search?q=%E5%9E%83%E5%9C%BE%E5%88%86%E7%B1%BB&outlet="
              "%E4%BA%BA%E6%B0%91%E6%97%A5%E6%8A%A5",
              &f->viewer, 200);
  assert_int_equal(tp_count_of(b, "<li class=\"hit\""), 1);
  char want[64];
  snprintf(want, sizeof want, "data-article-id=\"%lld\"", (long long)f->art[3]);
  tp_expect_in(b, want);
  free(b);
  /* Dates: A3 (11-18) is before 11-20. */
  b = tp_page(f,
              "/search?q=%E5%9E%83%E5%9C%BE%E5%88%86%E7%B1%BB&from=2026-11-20",
              &f->viewer, 200);
  tp_expect_not_in(b, want);
  free(b);
  b = tp_page(f, "/search?q=%E5%9E%83%E5%9C%BE%E5%88%86%E7%B1%BB&to=2026-11-18",
              &f->viewer, 200);
  tp_expect_in(b, want);
  assert_int_equal(tp_count_of(b, "<li class=\"hit\""), 1);
  free(b);
  /* A bad date says so. */
  b = tp_page(f, "/search?q=x&from=2026-13-01", &f->viewer, 400);
  tp_expect_in(b,
               "<p class=\"error\" id=\"search-error\">起始日期应为 "
               "YYYY-MM-DD。</p>");
  free(b);
  /* Nothing found. */
  b = tp_page(f, "/search?q=%E6%81%B6%E8%87%AD%E6%B0%94%E5%91%B3", &f->viewer,
              200);
  tp_expect_in(b, "没有找到相关报道。");
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
  char *b = tp_page(f,
                    "/search?q=%E5%9E%83%E5%9C%BE%E7%AB%99%E5%BC%82%E5%91%B3"
                    "&tier=central",
                    &f->viewer, 200);
  tp_expect_in(b, "共 22 条结果，第 1 页");
  assert_int_equal(tp_count_of(b, "<li class=\"hit\""), 20);
  tp_expect_in(b, "<option value=\"central\" selected>中央媒体</option>");
  /* Newest first. */
  tp_expect_in(b, "<mark>垃圾站异味</mark>问题（21）");
  tp_expect_in(b,
               "<a rel=\"next\" href=\"/search?q=%E5%9E%83%E5%9C%BE%E7%AB%99"
               "%E5%BC%82%E5%91%B3&amp;tier=central&amp;page=2\">下一页</a>");
  tp_expect_not_in(b, "rel=\"prev\"");
  free(b);
  b = tp_page(f,
              "/search?q=%E5%9E%83%E5%9C%BE%E7%AB%99%E5%BC%82%E5%91%B3"
              "&tier=central&page=2",
              &f->viewer, 200);
  assert_int_equal(tp_count_of(b, "<li class=\"hit\""), 2);
  tp_expect_in(b, "共 22 条结果，第 2 页");
  tp_expect_in(b, "<mark>垃圾站异味</mark>问题（0）");
  tp_expect_in(b, "rel=\"prev\" href=\"/search?q=");
  tp_expect_not_in(b, "rel=\"next\"");
  free(b);
  /* Another tier has none of them. */
  b = tp_page(f,
              "/search?q=%E5%9E%83%E5%9C%BE%E7%AB%99%E5%BC%82%E5%91%B3"
              "&tier=city",
              &f->viewer, 200);
  tp_expect_in(b, "共 0 条结果");
  free(b);
}

static void test_sources(void **state) {
  struct ta *f = *state;
  char *b = tp_page(f, "/sources", &f->viewer, 200);
  tp_check_frame(b, "sources", "/sources");
  /* The fixture's config leaves health.unreachable_after at 0: the failing
   * source is broken at once, with its evidence. */
  tp_expect_in(b, "共 4 个信源，失效 1 个，异常 0 个，最近抓取失败 1 个。");
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
  tp_expect_f(
      b, true,
      "<tr class=\"src st-failing\" %s data-status=\"failing\" "
      "data-health=\"broken\"><td><span class=\"status hl-broken\">失效"
      "</span><div class=\"problem\" data-code=\"unreachable\" title=\""
      "unreachable for 5m (1 poll failed since 2026-11-25 01:55 UTC; "
      "last: HTTP 503 Service Unavailable)\">已 5 分钟无法访问（1 次抓取失败，"
      "最近错误：HTTP 503 Service Unavailable）</div></td><td><span "
      "class=\"status st-failing\">失败</span></td><td>吉林日报</td>"
      "<td class=\"url\"><a class=\"out\" rel=\"noreferrer noopener\" "
      "href=\"http://jlrb.jlntv.cn/szb/index.html\">"
      "http://jlrb.jlntv.cn/szb/index.html</a></td><td>html</td><td>"
      "从未成功</td><td>2026-11-25 09:55</td><td class=\"num\">2</td>"
      "<td class=\"err\">HTTP 503 Service Unavailable</td>",
      id[2]);
  tp_expect_f(b, true,
              "<tr class=\"src st-ok\" %s data-status=\"ok\" "
              "data-health=\"ok\"><td><span class=\"status hl-ok\">正常"
              "</span></td><td><span class=\"status st-ok\">正常</span>"
              "</td><td>人民日报</td>",
              id[0]);
  tp_expect_in(b,
               "<td>2026-11-25 09:50</td><td>2026-11-25 09:50</td><td "
               "class=\"num\">0</td><td class=\"err\"></td>");
  free(b);
}

static void test_reports(void **state) {
  struct ta *f = *state;
  char *b = tp_page(f, "/reports", &f->viewer, 200);
  tp_check_frame(b, "reports", "/reports");
  tp_expect_in(b,
               "<tr data-period=\"week=2026-W48\"><td>本周（2026-W48）</td>"
               "<td>2026-11-23 至 2026-11-29</td><td><a class=\"view\" "
               "href=\"/api/report?week=2026-W48&amp;format=html\">查看</a>"
               "</td>");
  tp_expect_in(b,
               "<a href=\"/api/report?week=2026-W48&amp;format=csv&amp;"
               "download=1\" data-format=\"csv\" download>csv</a>");
  tp_expect_in(b, "<td>上周（2026-W47）</td><td>2026-11-16 至 2026-11-22</td>");
  tp_expect_in(b,
               "<td>4 周前（2026-W44）</td><td>2026-10-26 至 2026-11-01</td>");
  tp_expect_in(b,
               "<tr data-period=\"month=2026-11\"><td>本月（2026年11月）</td>"
               "<td>2026-11-01 至 2026-11-30</td>");
  tp_expect_in(b,
               "<tr data-period=\"month=2026-10\"><td>上月（2026年10月）</td>"
               "<td>2026-10-01 至 2026-10-31</td>");
  assert_int_equal(tp_count_of(b, "<tr data-period="), 7);
  assert_int_equal(tp_count_of(b, "download=1"), 28);
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
  tp_expect_not_in(r.body, "eval");
  tp_expect_not_in(r.body, "new Function");
  tp_expect_not_in(r.body, "innerHTML");
  tp_expect_not_in(r.body, "outerHTML");
  tp_expect_not_in(r.body, "insertAdjacentHTML");
  tp_expect_not_in(r.body, "document.write");
  tp_expect_in(r.body, "new EventSource('/api/events')");
  tp_expect_in(r.body, "'X-CSRF-Token'");
  wt_reply_cleanup(&r);

  assert_int_equal(wt_get(f->w, "/static/style.css", NULL, &r), 200);
  assert_true(wt_header(&r, "Content-Type", v, sizeof v));
  assert_string_equal(v, "text/css; charset=utf-8");
  const char *css = read_source("web/static/style.css", &len);
  assert_int_equal(r.body_len, len);
  assert_memory_equal(r.body, css, len);
  /* The level colours of alerts/levels.c. */
  for (int l = 1; l <= 4; l++)
    tp_expect_in(r.body, mw_alert_level_hex((enum mw_alert_level)l));
  tp_expect_in(r.body, "@media (max-width: 700px)");
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
      TA_TEST(test_signed_out_goes_to_login),
      TA_TEST(test_login_page),
      TA_TEST(test_overview),
      TA_TEST(test_unknown_page_404),
      TA_TEST(test_search),
      TA_TEST(test_search_paging),
      TA_TEST(test_sources),
      TA_TEST(test_reports),
      TA_TEST(test_static_files),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
