/*
 * test_listing.c: mw_listing_parse (crawler/listing*.c) on the listing-page
 * fixtures of tests/data/crawler/listings/: each NAME.html is a page in the
 * style of a kind of Chinese site and NAME.json the exact result expected
 * (charset, how, and every link with its kind, text and date). Also the
 * pieces with their own rules (URL shapes, dates beside links, TRS
 * pagination), the links_xpath override, errors, and the CPU per page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "tests/testdata.h"
#include "crawler/crawler.h"
#include "crawler/listing_internal.h"

#define CN_OFFSET 28800

static char *load(const char *name, size_t *len) {
  return mw_test_data_read("crawler/listings", name, len);
}

static const char *kind_name(enum mw_link_kind k) {
  return k == MW_LINK_ARTICLE ? "article"
         : k == MW_LINK_NEXT_PAGE ? "next"
                                  : "attachment";
}

static void print_listing(const struct mw_listing *l) {
  print_message("how=%s charset=%s (%s) links=%zu\n", l->how, l->charset.name,
                l->charset.why, l->n_links);
  for (size_t i = 0; i < l->n_links; i++) {
    char d[32] = "null";
    if (l->links[i].date != MW_TIME_UNKNOWN)
      mw_time_format_iso_utc(l->links[i].date, d, sizeof d);
    print_message("  %-10s %s | %s | %s\n", kind_name(l->links[i].kind),
                  l->links[i].url, l->links[i].text, d);
  }
}

/* Parses fixture NAME and compares with NAME.json; returns the listing. */
static void check_fixture(const char *name) {
  char file[256];
  size_t len, jlen;
  snprintf(file, sizeof file, "%s.html", name);
  char *page = load(file, &len);
  snprintf(file, sizeof file, "%s.json", name);
  char *js = load(file, &jlen);
  json_error_t jerr;
  json_t *want = json_loadb(js, jlen, 0, &jerr);
  if (!want) fail_msg("%s.json: %s", name, jerr.text);
  const char *url = json_string_value(json_object_get(want, "url"));
  const char *http = json_string_value(json_object_get(want, "http_charset"));
  const char *xpath = json_string_value(json_object_get(want, "links_xpath"));
  struct mw_listing_rules rules = {.links_xpath = xpath};
  struct mw_listing *l = NULL;
  struct mw_err err = {0};
  int rc = mw_listing_parse(page, len, http, url, CN_OFFSET,
                            xpath ? &rules : NULL, &l, &err);
  if (rc) fail_msg("%s: %s", name, err.msg);
  json_t *links = json_object_get(want, "links");
  bool ok = !strcmp(l->charset.name,
                    json_string_value(json_object_get(want, "charset"))) &&
            !strcmp(l->how, json_string_value(json_object_get(want, "how"))) &&
            l->n_links == json_array_size(links);
  size_t n_art = 0, n_next = 0, n_att = 0;
  for (size_t i = 0; ok && i < l->n_links; i++) {
    json_t *w = json_array_get(links, i);
    const struct mw_link *k = &l->links[i];
    char d[32] = "";
    if (k->date != MW_TIME_UNKNOWN) mw_time_format_iso_utc(k->date, d, sizeof d);
    const char *wd = json_string_value(json_object_get(w, "date"));
    if (strcmp(kind_name(k->kind), json_string_value(json_object_get(w, "kind"))) ||
        strcmp(k->url, json_string_value(json_object_get(w, "url"))) ||
        strcmp(k->text, json_string_value(json_object_get(w, "text"))) ||
        strcmp(d, wd ? wd : "")) {
      print_message("%s: link %zu differs\n", name, i);
      ok = false;
    }
    n_art += k->kind == MW_LINK_ARTICLE;
    n_next += k->kind == MW_LINK_NEXT_PAGE;
    n_att += k->kind == MW_LINK_ATTACHMENT;
  }
  if (!ok) {
    print_listing(l);
    fail_msg("%s: result differs from %s.json", name, name);
  }
  assert_int_equal(l->n_articles, n_art);
  assert_int_equal(l->n_next_pages, n_next);
  assert_int_equal(l->n_attachments, n_att);
  mw_listing_free(l);
  json_decref(want);
  free(js);
  free(page);
}

static void test_trs_gov_gbk(void **state) {
  (void)state;
  check_fixture("trs_gov_gbk");
}


/* Parses an inline page; the caller frees. */
static struct mw_listing *parse_inline(const char *html, const char *url,
                                       const char *xpath) {
  struct mw_listing_rules rules = {.links_xpath = xpath};
  struct mw_listing *l = NULL;
  struct mw_err err = {0};
  int rc = mw_listing_parse(html, strlen(html), NULL, url, CN_OFFSET,
                            xpath ? &rules : NULL, &l, &err);
  if (rc) fail_msg("%s", err.msg);
  return l;
}

static void link_eq(const struct mw_listing *l, size_t i, const char *kind,
                    const char *url, const char *text) {
  if (i >= l->n_links) {
    print_listing(l);
    fail_msg("no link %zu", i);
  }
  assert_string_equal(kind_name(l->links[i].kind), kind);
  assert_string_equal(l->links[i].url, url);
  if (text) assert_string_equal(l->links[i].text, text);
}

static int64_t cn(int y, int m, int d, int h, int mi) {
  return mw_time_from_civil(y, m, d, h, mi, 0, CN_OFFSET);
}

static void test_url_shapes(void **state) {
  (void)state;
  static const char *const ARTICLES[] = {
      "http://sthjt.jl.gov.cn/xwzx/gzdt/202305/t20230508_3120456.html",
      "http://jlrbszb.cnjiwang.com/html/2023-05/08/content_3120456.htm",
      "http://www.hangzhou.gov.cn/art/2023/5/8/art_812262_59080000.html",
      "http://www.news.cn/politics/2023-05/08/c_1129598645.htm",
      "http://www.cq.gov.cn/info/detail.jsp?id=12345",
      "http://www.example.gov.cn/news/show.aspx?ArticleID=88",
      "http://news.sina.com.cn/c/2023-05-08/doc-imysxyz1234567.shtml",
      "http://news.changchun.cn/2023/0508/523456.html",
      "http://bbs.jlcity.cn/thread-123456-1-1.html",
  };
  for (size_t i = 0; i < sizeof ARTICLES / sizeof ARTICLES[0]; i++)
    if (mw_listing_url_shape(ARTICLES[i]) != LC_ARTICLE_URL)
      fail_msg("not article-like: %s", ARTICLES[i]);
  static const char *const COLUMNS[] = {
      "http://sthjt.jl.gov.cn/xwzx/gzdt/",
      "http://sthjt.jl.gov.cn/xwzx/gzdt/index_1.html",
      "http://jlrbszb.cnjiwang.com/html/2023-05/08/node_2.htm",
      "http://www.hangzhou.gov.cn/col/col1229063387/index.html",
      "http://liuyan.changchun.gov.cn/hdjl/lyb/list.jsp?dept=31",
  };
  for (size_t i = 0; i < sizeof COLUMNS / sizeof COLUMNS[0]; i++)
    if (mw_listing_url_shape(COLUMNS[i]) != LC_COLUMN_URL)
      fail_msg("not column-like: %s", COLUMNS[i]);
  assert_int_equal(mw_listing_url_shape("http://www.gov.cn/about.htm"), 0);
  assert_true(mw_listing_is_attachment("http://a.cn/P0201.PDF"));
  assert_true(mw_listing_is_attachment("http://a.cn/x/y.docx?v=2"));
  assert_true(mw_listing_is_attachment("http://a.cn/x/y.wps"));
  assert_false(mw_listing_is_attachment("http://a.cn/pdf/index.html"));
  assert_true(mw_listing_same_page("http://a.cn/x/", "http://a.cn/x/index.html"));
  assert_true(mw_listing_same_page("http://a.cn/x/index.htm", "http://a.cn/x/"));
  assert_false(mw_listing_same_page("http://a.cn/x/", "http://a.cn/x/index_1.html"));
  assert_true(mw_listing_same_site("http://www.jl.gov.cn/", "http://jl.gov.cn/a"));
  assert_true(mw_listing_same_site("http://sthjt.jl.gov.cn/", "http://www.jl.gov.cn/a"));
  assert_false(mw_listing_same_site("http://sthjt.jl.gov.cn/", "http://www.cq.gov.cn/"));
  assert_true(mw_listing_same_site("http://news.cnjiwang.com/", "http://jlrbszb.cnjiwang.com/"));
  assert_false(mw_listing_same_site("http://news.cnjiwang.com/", "http://www.people.com.cn/"));
}

static void test_dates(void **state) {
  (void)state;
#define FD(s, hint) mw_listing_find_date(s, strlen(s), hint, CN_OFFSET)
  assert_true(FD("2023-05-08", 0) == cn(2023, 5, 8, 0, 0));
  assert_true(FD("发布时间：2023-05-08 10:21", 0) == cn(2023, 5, 8, 10, 21));
  assert_true(FD("(2023年5月8日)", 0) == cn(2023, 5, 8, 0, 0));
  assert_true(FD("2023/5/8 9:05:30", 0) ==
              mw_time_from_civil(2023, 5, 8, 9, 5, 30, CN_OFFSET));
  assert_true(FD("2023.05.08", 0) == cn(2023, 5, 8, 0, 0));
  assert_true(FD("[05-08]", 2023) == cn(2023, 5, 8, 0, 0));
  assert_true(FD("5月8日", 2022) == cn(2022, 5, 8, 0, 0));
  /* year-less without a year to give it: unknown */
  assert_true(FD("[05-08]", 0) == MW_TIME_UNKNOWN);
  /* impossible, or not dates */
  assert_true(FD("2023-02-30", 0) == MW_TIME_UNKNOWN);
  assert_true(FD("编号20230508001", 0) == MW_TIME_UNKNOWN);
  assert_true(FD("10:30", 2023) == MW_TIME_UNKNOWN);
  assert_true(FD("浏览 1234 次", 2023) == MW_TIME_UNKNOWN);
  assert_true(FD("", 2023) == MW_TIME_UNKNOWN);
  /* a full date wins over an earlier month-day */
  assert_true(FD("05-07 更新于 2023-05-08", 2023) == cn(2023, 5, 8, 0, 0));
#undef FD
  assert_int_equal(mw_listing_url_year("http://a.cn/202305/t20230508_1.html"), 2023);
  assert_int_equal(mw_listing_url_year("http://a.cn/2021-03/15/c_1.htm"), 2021);
  assert_int_equal(mw_listing_url_year("http://a.cn/art/2022/5/8/art_1_2.html"), 2022);
  assert_int_equal(mw_listing_url_year("http://a.cn/news/123.html?y=2023"), 0);
  assert_int_equal(mw_listing_url_year("http://a.cn/thread-123456-1-1.html"), 0);
}

static void test_dates_beside_links(void **state) {
  (void)state;
  struct mw_listing *l = parse_inline(
      "<div class=\"list\">"
      "<a href=\"/a/content_1.htm\">吉林省成立全域无废城市建设工作推进组</a>"
      "<span>(2023年5月8日)</span><br>"
      "<a href=\"/a/content_2.htm\">举办吉林省全域无废城市建设专题讲座</a><br>"
      "<a href=\"/a/content_3.htm\">长吉两地协同联动合力推动无废城市建设（2023-04-06）</a>"
      "</div>",
      "http://a.cn/a/", NULL);
  assert_int_equal(l->n_articles, 3);
  assert_true(l->links[0].date == cn(2023, 5, 8, 0, 0));
  /* a flat list: the next link's date is not ours */
  assert_true(l->links[1].date == MW_TIME_UNKNOWN);
  /* a date inside the anchor text */
  assert_true(l->links[2].date == cn(2023, 4, 6, 0, 0));
  mw_listing_free(l);
}

static void test_trs_pagination(void **state) {
  (void)state;
  static const char LIST[] =
      "<ul><li><a href=\"./202305/t20230508_1.html\">吉林省成立全域无废城市建设工作推进组</a></li>"
      "<li><a href=\"./202305/t20230507_2.html\">举办吉林省全域无废城市建设专题讲座</a></li>"
      "<li><a href=\"./202305/t20230506_3.html\">长吉两地协同联动合力推动无废城市建设</a></li></ul>";
  char page[2048];
  /* page 3 of 5 (current = 2): next is index_3.html */
  snprintf(page, sizeof page,
           "%s<script>function createPageHTML(a,b,c,d){}</script>"
           "<script>createPageHTML(5, 2, \"index\", \"html\");</script>", LIST);
  struct mw_listing *l = parse_inline(page, "http://a.gov.cn/c/index_2.html", NULL);
  assert_int_equal(l->n_next_pages, 1);
  link_eq(l, 3, "next", "http://a.gov.cn/c/index_3.html", "");
  mw_listing_free(l);
  /* the last page has none */
  snprintf(page, sizeof page,
           "%s<script>createPageHTML(5, 4, \"index\", \"html\");</script>", LIST);
  l = parse_inline(page, "http://a.gov.cn/c/index_4.html", NULL);
  assert_int_equal(l->n_next_pages, 0);
  assert_int_equal(l->n_articles, 3);
  mw_listing_free(l);
  /* the variant with a container id first, and .shtml */
  snprintf(page, sizeof page,
           "%s<script>createPageHTML('page_div', 12, 0, 'index', 'shtml');</script>",
           LIST);
  l = parse_inline(page, "http://a.gov.cn/c/", NULL);
  link_eq(l, 3, "next", "http://a.gov.cn/c/index_1.shtml", "");
  mw_listing_free(l);
  /* numbered anchors only: index_2.html follows index_1.html */
  snprintf(page, sizeof page,
           "%s<div class=\"pg\"><a href=\"index.html\">1</a> <b>2</b> "
           "<a href=\"index_2.html\">3</a> <a href=\"index_3.html\">4</a></div>",
           LIST);
  l = parse_inline(page, "http://a.gov.cn/c/index_1.html", NULL);
  assert_int_equal(l->n_links, 4);
  link_eq(l, 3, "next", "http://a.gov.cn/c/index_2.html", "3");
  mw_listing_free(l);
  /* rel=next and », a next link to the page itself is not one */
  snprintf(page, sizeof page,
           "%s<a rel=\"next\" href=\"list?p=2\">继续</a><a href=\"list?p=1\">»</a>",
           LIST);
  l = parse_inline(page, "http://a.gov.cn/c/list?p=1", NULL);
  assert_int_equal(l->n_next_pages, 1);
  link_eq(l, 3, "next", "http://a.gov.cn/c/list?p=2", "继续");
  mw_listing_free(l);
}

static void test_links_left_out(void **state) {
  (void)state;
  struct mw_listing *l = parse_inline(
      "<div class=\"box\"><h2>工作动态</h2><a href=\"/gzdt/\">更多&gt;&gt;</a><ul>"
      "<li><a href=\"/gzdt/202305/t20230508_1.html\">吉林省成立全域无废城市建设工作推进组</a></li>"
      "<li><a href=\"javascript:openWin('/gzdt/202305/t20230507_2.html')\">举办吉林省全域无废城市建设专题讲座</a></li>"
      "<li><a href=\"#top\">长吉两地协同联动合力推动无废城市建设</a></li>"
      "<li><a href=\"mailto:a@b.cn\">长春市与生态环境部固管中心签约</a></li>"
      "<li><a href=\"/gzdt/202305/t20230506_3.html\">激活无废细胞创建无废景区无废星级酒店</a></li>"
      "<li><a href=\"/gzdt/202305/P020230506.pdf\">无废细胞创建名单（附件）</a></li>"
      "<li><a href=\"/gzdt/202305/t20230508_1.html#comment\">[评论]</a></li>"
      "<li><a href=\"/gzdt/202305/t20230505_4.html\">印发长春市无废城市建设宣传工作实施方案</a></li>"
      "</ul></div>",
      "http://a.gov.cn/gzdt/", NULL);
  assert_int_equal(l->n_links, 4);
  link_eq(l, 0, "article", "http://a.gov.cn/gzdt/202305/t20230508_1.html",
          "吉林省成立全域无废城市建设工作推进组");
  link_eq(l, 1, "article", "http://a.gov.cn/gzdt/202305/t20230506_3.html", NULL);
  link_eq(l, 2, "attachment", "http://a.gov.cn/gzdt/202305/P020230506.pdf",
          "无废细胞创建名单（附件）");
  link_eq(l, 3, "article", "http://a.gov.cn/gzdt/202305/t20230505_4.html", NULL);
  assert_int_equal(l->n_articles, 3);
  assert_int_equal(l->n_attachments, 1);
  mw_listing_free(l);
}

static void test_article_like_fallback(void **state) {
  (void)state;
  /* One article link alone is no block: its URL still makes it one. */
  struct mw_listing *l = parse_inline(
      "<p>欢迎访问</p><a href=\"/about.html\">关于我们</a>"
      "<p><a href=\"/2023/0508/523456.html\">长春市开展垃圾分类宣传周活动</a></p>",
      "http://news.changchun.cn/", NULL);
  assert_string_equal(l->how, "article-like URLs");
  assert_int_equal(l->n_links, 1);
  link_eq(l, 0, "article", "http://news.changchun.cn/2023/0508/523456.html", NULL);
  mw_listing_free(l);
  /* An empty page. */
  l = parse_inline("", "http://news.changchun.cn/", NULL);
  assert_int_equal(l->n_links, 0);
  assert_string_equal(l->how, "article-like URLs");
  assert_string_equal(l->charset.name, "UTF-8");
  mw_listing_free(l);
}

static void test_links_xpath(void **state) {
  (void)state;
  size_t len;
  char *page = load("distractors.html", &len);
  struct mw_listing_rules rules = {
      .links_xpath = "//div[@class='sidebar']/div[1]/ul/li/a"};
  struct mw_listing *l = NULL;
  struct mw_err err = {0};
  assert_int_equal(mw_listing_parse(page, len, NULL, "http://www.cqjb.gov.cn/zwxx/mtjj/",
                                    CN_OFFSET, &rules, &l, &err),
                   MW_OK);
  assert_string_equal(l->how, "xpath");
  assert_int_equal(l->n_articles, 10);
  assert_int_equal(l->n_next_pages, 1);
  link_eq(l, 0, "article", "http://www.cqjb.gov.cn/zwxx/jbyw/202304/t20230410_11800000.html",
          "吉林省成立全域“无废城市”建设工作推进组");
  link_eq(l, 10, "next", "http://www.cqjb.gov.cn/zwxx/mtjj/index_1.html", "下一页");
  mw_listing_free(l);

  /* The override picks the main list with its dates. */
  rules.links_xpath = "//div[@class='main-list']//li/a";
  assert_int_equal(mw_listing_parse(page, len, NULL, "http://www.cqjb.gov.cn/zwxx/mtjj/",
                                    CN_OFFSET, &rules, &l, &err),
                   MW_OK);
  assert_int_equal(l->n_articles, 8);
  assert_true(l->links[0].date == cn(2023, 5, 8, 0, 0));
  mw_listing_free(l);

  /* A broken expression is an error naming it. */
  rules.links_xpath = "//div[@class=";
  assert_int_equal(mw_listing_parse(page, len, NULL, "http://www.cqjb.gov.cn/zwxx/mtjj/",
                                    CN_OFFSET, &rules, &l, &err),
                   MW_EINVAL);
  assert_null(l);
  assert_non_null(strstr(err.msg, "//div[@class="));
  free(page);
}

static void test_errors(void **state) {
  (void)state;
  struct mw_listing *l = (struct mw_listing *)0x1;
  struct mw_err err = {0};
  assert_int_equal(mw_listing_parse("<a href=x>y</a>", 15, NULL, NULL, 0, NULL,
                                    &l, &err),
                   MW_EINVAL);
  assert_null(l);
  assert_int_not_equal(mw_listing_parse("<a href=x>y</a>", 15, NULL,
                                        "ftp://a.cn/", 0, NULL, &l, &err),
                       MW_OK);
  assert_null(l);
  assert_int_equal(mw_listing_parse("<a href=x>y</a>", 15, NULL, "/relative",
                                    0, NULL, &l, &err),
                   MW_EINVAL);
  mw_listing_free(NULL);
}


/* Replaces every occurrence of from in s (a malloc'd string) by to. */
static char *replace_all(char *s, const char *from, const char *to) {
  struct mw_buf b;
  mw_buf_init(&b, 1 << 20);
  const char *p = s, *hit;
  while ((hit = strstr(p, from))) {
    mw_buf_append(&b, p, (size_t)(hit - p));
    mw_buf_puts(&b, to);
    p = hit + strlen(from);
  }
  mw_buf_puts(&b, p);
  free(s);
  return mw_buf_steal(&b);
}

static void test_sidebar_without_hints(void **state) {
  (void)state;
  /* The distractors page with no sidebar class and no 热点推荐 heading: the
   * 10-link sidebar is still beaten by the 8 dated links filed under the
   * column's own folder. */
  size_t len;
  char *page = load("distractors.html", &len);
  page = replace_all(page, "class=\"sidebar\"", "class=\"col-r\"");
  page = replace_all(page, "热点推荐", "本周关注");
  page = replace_all(page, "图片新闻", "看图");
  struct mw_listing *l = parse_inline(page, "http://www.cqjb.gov.cn/zwxx/mtjj/", NULL);
  assert_int_equal(l->n_articles, 8);
  link_eq(l, 0, "article",
          "http://www.cqjb.gov.cn/zwxx/mtjj/202305/t20230508_11912345.html", NULL);
  mw_listing_free(l);
  free(page);
}

/* CPU per listing page (printed, not asserted: sanitizers are slower). */
static void test_speed(void **state) {
  (void)state;
  static const char *const PAGES[][2] = {
      {"trs_gov_gbk.html", "http://sthjt.jl.gov.cn/xwzx/gzdt/index.html"},
      {"distractors.html", "http://www.cqjb.gov.cn/zwxx/mtjj/"},
      {"endless.html", "http://bbs.jlcity.cn/forum.php?mod=forumdisplay&fid=12&page=7"},
      /* a 22 KB GBK portal page, for the figure of DESIGN.md's budget */
      {"../charset/portal_22k.html", "http://sthjt.jl.gov.cn/xwzx/gzdt/202305/t20230508_1.html"},
  };
  for (size_t p = 0; p < sizeof PAGES / sizeof PAGES[0]; p++) {
    size_t len;
    char *page = load(PAGES[p][0], &len);
    const int rounds = 200;
    clock_t t0 = clock();
    for (int i = 0; i < rounds; i++) {
      struct mw_listing *l = NULL;
      struct mw_err err = {0};
      assert_int_equal(mw_listing_parse(page, len, NULL, PAGES[p][1], CN_OFFSET,
                                        NULL, &l, &err),
                       MW_OK);
      mw_listing_free(l);
    }
    double ms = (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC / rounds;
    print_message("mw_listing_parse %s (%zu bytes): %.3f ms per page\n",
                  PAGES[p][0], len, ms);
    free(page);
  }
}

#define FIXTURE(name)                 \
  static void test_##name(void **state) { \
    (void)state;                      \
    check_fixture(#name);             \
  }
FIXTURE(provincial_paper)
FIXTURE(city_news)
FIXTURE(paper_edition)
FIXTURE(complaint_board)
FIXTURE(attachments_only)
FIXTURE(distractors)
FIXTURE(endless)

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_trs_gov_gbk),
      cmocka_unit_test(test_provincial_paper),
      cmocka_unit_test(test_city_news),
      cmocka_unit_test(test_paper_edition),
      cmocka_unit_test(test_complaint_board),
      cmocka_unit_test(test_attachments_only),
      cmocka_unit_test(test_distractors),
      cmocka_unit_test(test_endless),
      cmocka_unit_test(test_url_shapes),
      cmocka_unit_test(test_dates),
      cmocka_unit_test(test_dates_beside_links),
      cmocka_unit_test(test_trs_pagination),
      cmocka_unit_test(test_links_left_out),
      cmocka_unit_test(test_article_like_fallback),
      cmocka_unit_test(test_links_xpath),
      cmocka_unit_test(test_sidebar_without_hints),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_speed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
