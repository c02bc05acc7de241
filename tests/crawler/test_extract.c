/*
 * test_extract.c: mw_article_extract (crawler/extract*.c).
 *
 * The fixture pages of tests/data/crawler/pages/<name>/ (government CMS
 * styles, papers, 人民网 and 新华网, a 数字报 edition, a 留言板 thread, a
 * WeChat article, JSON-LD, a page with no text, a lying charset label and
 * broken markup) are extracted and every field compared exactly with
 * expected.json: title, published (UTC), 来源, author, 责任编辑, charset and
 * the whole body. Small pages written inline pin down each rule: title
 * suffixes, the order of time sources and the date in the URL, labelled
 * lines, what is cut from bodies, XPath overrides and their errors,
 * charsets, and pages with nothing to extract.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "crawler/crawler.h"

#define CN 28800

/* ----------------------------------------------------------- helpers */

static char *load_path(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) fail_msg("cannot open %s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  buf[n] = '\0';
  *len = (size_t)n;
  return buf;
}

static const char *pages_dir(char *buf, size_t n) {
  const char *root = getenv("MW_TEST_DATA");
  snprintf(buf, n, "%s/crawler/pages", root ? root : "tests/data");
  return buf;
}

static struct mw_extracted *ex_url(const char *html, const char *url) {
  struct mw_extracted *x = NULL;
  struct mw_err err = {0};
  int rc = mw_article_extract(html, strlen(html), NULL, url, CN, NULL, &x,
                              &err);
  if (rc != MW_OK) fail_msg("rc %d: %s", rc, err.msg);
  assert_non_null(x);
  return x;
}

static struct mw_extracted *ex(const char *html) {
  return ex_url(html, NULL);
}

static void assert_time(int64_t t, const char *iso) {
  char buf[32] = "unknown";
  if (t != MW_TIME_UNKNOWN) mw_time_format_iso_utc(t, buf, sizeof buf);
  assert_string_equal(buf, iso);
}

static void assert_str_or_null(const char *got, const char *want) {
  if (!want) assert_null(got);
  else {
    assert_non_null(got);
    assert_string_equal(got, want);
  }
}

static size_t utf8_chars(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80) n++;
  return n;
}

/* ---------------------------------------------------------- fixtures */

/* Compares one field; prints the difference and counts it. */
static int field(const char *page, const char *name, const char *got,
                 json_t *want) {
  const char *w = json_is_string(want) ? json_string_value(want) : NULL;
  if ((!w && !got) || (w && got && !strcmp(w, got))) return 0;
  fprintf(stderr, "%s: %s: got \"%.300s\"\n    want \"%.300s\"\n", page, name,
          got ? got : "(null)", w ? w : "(null)");
  return 1;
}

static int check_fixture(const char *dir, const char *name) {
  char path[2200];
  size_t len;
  snprintf(path, sizeof path, "%s/%s/expected.json", dir, name);
  json_error_t jerr;
  json_t *e = json_load_file(path, 0, &jerr);
  if (!e) fail_msg("%s: %s", path, jerr.text);
  snprintf(path, sizeof path, "%s/%s/page.html", dir, name);
  char *page = load_path(path, &len);

  struct mw_extracted *x = NULL;
  struct mw_err err = {0};
  const char *url = json_string_value(json_object_get(e, "url"));
  assert_non_null(url);
  int rc = mw_article_extract(page, len, NULL, url, CN, NULL, &x, &err);
  if (rc != MW_OK) fail_msg("%s: rc %d: %s", name, rc, err.msg);

  char when[32] = "";
  if (x->published != MW_TIME_UNKNOWN)
    mw_time_format_iso_utc(x->published, when, sizeof when);
  int bad = 0;
  bad += field(name, "title", x->title, json_object_get(e, "title"));
  bad += field(name, "published", when[0] ? when : NULL,
               json_object_get(e, "published"));
  bad += field(name, "origin", x->origin, json_object_get(e, "origin"));
  bad += field(name, "author", x->author, json_object_get(e, "author"));
  bad += field(name, "editor", x->editor, json_object_get(e, "editor"));
  bad += field(name, "charset", x->charset.name, json_object_get(e, "charset"));
  bad += field(name, "body", x->body, json_object_get(e, "body"));
  /* the bookkeeping that goes with each field */
  if (x->title && !x->title_from) bad += fprintf(stderr, "%s: no title_from\n", name) > 0;
  if (x->published != MW_TIME_UNKNOWN && !x->time_from)
    bad += fprintf(stderr, "%s: no time_from\n", name) > 0;
  if (x->body && (!x->body_from || x->body_chars != utf8_chars(x->body)))
    bad += fprintf(stderr, "%s: body_from/body_chars wrong\n", name) > 0;
  if (!x->body && x->body_chars) bad++;
  mw_extracted_free(x);
  free(page);
  json_decref(e);
  return bad;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_fixtures(void **state) {
  (void)state;
  char dir[1024];
  pages_dir(dir, sizeof dir);
  DIR *d = opendir(dir);
  if (!d) fail_msg("cannot open %s", dir);
  char *names[64];
  size_t n = 0;
  struct dirent *de;
  while ((de = readdir(d)) && n < 64)
    if (de->d_name[0] != '.') names[n++] = strdup(de->d_name);
  closedir(d);
  qsort(names, n, sizeof *names, cmp_names);
  assert_true(n >= 12);
  int bad = 0;
  for (size_t i = 0; i < n; i++) {
    bad += check_fixture(dir, names[i]);
    free(names[i]);
  }
  assert_int_equal(bad, 0);
}

/* The fixtures that exercise particular paths say where fields came from. */
static void test_fixture_sources(void **state) {
  (void)state;
  static const struct {
    const char *name, *title_from, *time_from, *origin_from, *body_from;
  } want[] = {
      {"gov_meta_portal", "meta ArticleTitle", "meta PubDate",
       "meta ContentSource", "container #zoom"},
      {"gov_trs_gbk", "heading matching <title>", "labelled line", "来源 line",
       "container #zoom"},
      {"wechat_account", "og:title", "WeChat ct", "来源 line",
       "container #js_content"},
      {"jsonld_news", "JSON-LD headline", "JSON-LD datePublished",
       "JSON-LD publisher", "text density"},
      {"epaper_edition", "h1 matching <title>", "date near the title", NULL,
       "container #ozoom"},
      {"complaint_board", "留言标题", "labelled line", NULL, "留言内容"},
      {"gov_xxgk_table", "heading matching <title>", "labelled line",
       "发布机构", "container .TRS_UEDITOR"},
  };
  char dir[1024], path[1200];
  pages_dir(dir, sizeof dir);
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    size_t len;
    snprintf(path, sizeof path, "%s/%s/expected.json", dir, want[i].name);
    json_t *e = json_load_file(path, 0, NULL);
    assert_non_null(e);
    snprintf(path, sizeof path, "%s/%s/page.html", dir, want[i].name);
    char *page = load_path(path, &len);
    struct mw_extracted *x = NULL;
    assert_int_equal(
        mw_article_extract(page, len, NULL,
                           json_string_value(json_object_get(e, "url")), CN,
                           NULL, &x, NULL),
        MW_OK);
    assert_str_or_null(x->title_from, want[i].title_from);
    assert_str_or_null(x->time_from, want[i].time_from);
    assert_str_or_null(x->origin_from, want[i].origin_from);
    assert_str_or_null(x->body_from, want[i].body_from);
    mw_extracted_free(x);
    free(page);
    json_decref(e);
  }
}

/* ------------------------------------------------------------- title */

#define BODY_P                                                              \
  "<div class=\"text\"><p>为深入贯彻落实党中央、国务院决策部署，全省各地扎实推进" \
  "全域“无废城市”建设，取得阶段性成效。</p><p>各地要加强组织领导，压实工作"    \
  "责任，确保各项任务落地见效。</p></div>"

static void test_title_forms(void **state) {
  (void)state;
  struct mw_extracted *x;
  /* "标题 - 网站名" and an h1 */
  x = ex("<title>全省推进无废城市建设 - 中国吉林网</title><body><h1>全省推进无废"
         "城市建设</h1>" BODY_P "</body>");
  assert_string_equal(x->title, "全省推进无废城市建设");
  assert_string_equal(x->title_from, "h1 matching <title>");
  mw_extracted_free(x);

  /* site name first (数字报) */
  x = ex("<title>吉林日报数字报-全省推进无废城市建设</title><body><div class="
         "\"art-tit\">全省推进无废城市建设</div>" BODY_P "</body>");
  assert_string_equal(x->title, "全省推进无废城市建设");
  assert_string_equal(x->title_from, "heading matching <title>");
  mw_extracted_free(x);

  /* no heading: the longest part of <title>; a year range stays whole */
  x = ex("<title>2023-2025年无废城市建设方案_通知公告_长春市人民政府</title>"
         "<body>" BODY_P "</body>");
  assert_string_equal(x->title, "2023-2025年无废城市建设方案");
  assert_string_equal(x->title_from, "<title>");
  mw_extracted_free(x);

  /* a heading broken by <br> is spelt as <title> spells it */
  x = ex("<title>全省推进无废城市建设_工作动态_吉林省生态环境厅</title><body>"
         "<h1>全省推进<br>无废城市建设</h1>" BODY_P "</body>");
  assert_string_equal(x->title, "全省推进无废城市建设");
  mw_extracted_free(x);

  /* og:title with the site after it: the heading it starts with */
  x = ex("<head><meta property=\"og:title\" content=\"全省推进无废城市建设 | "
         "中国吉林网\"><title>x</title></head><body><h1>全省推进无废城市建设"
         "</h1>" BODY_P "</body>");
  assert_string_equal(x->title, "全省推进无废城市建设");
  assert_string_equal(x->title_from, "og:title");
  mw_extracted_free(x);

  /* ArticleTitle wins over og:title and <title> */
  x = ex("<head><meta name=\"ArticleTitle\" content=\" 长春市印发宣传工作方案 \">"
         "<meta property=\"og:title\" content=\"别的标题\"><title>别的标题_"
         "长春</title></head><body>" BODY_P "</body>");
  assert_string_equal(x->title, "长春市印发宣传工作方案");
  assert_string_equal(x->title_from, "meta ArticleTitle");
  mw_extracted_free(x);

  /* <title> is only the site's name: the h1; a logo h1 is not a title */
  x = ex("<title>中国吉林网</title><body><h1><a href=\"/\">中国吉林网</a></h1>"
         "<h1>长吉两地协同联动合力推动无废城市建设</h1>" BODY_P "</body>");
  assert_string_equal(x->title, "长吉两地协同联动合力推动无废城市建设");
  assert_string_equal(x->title_from, "h1");
  mw_extracted_free(x);
  /* a banner h1 with the site's name: the heading that is the title */
  x = ex("<title>全省推进无废城市建设工作_工作动态_吉林省生态环境厅</title><body>"
         "<h1>吉林省生态环境厅</h1><div class=\"nav\"><a href=\"/\">首页</a></div>"
         "<div class=\"art_title\">全省推进无废城市建设工作</div>" BODY_P "</body>");
  assert_string_equal(x->title, "全省推进无废城市建设工作");
  assert_string_equal(x->title_from, "heading matching <title>");
  mw_extracted_free(x);

  /* no <title> at all: the h1 */
  x = ex("<body><h1>金溪镇召开垃圾分类工作推进会</h1>" BODY_P "</body>");
  assert_string_equal(x->title, "金溪镇召开垃圾分类工作推进会");
  assert_string_equal(x->title_from, "h1");
  mw_extracted_free(x);
}

/* -------------------------------------------------------------- time */

static int64_t time_of(const char *html, const char *url, int offset) {
  struct mw_extracted *x = NULL;
  assert_int_equal(mw_article_extract(html, strlen(html), NULL, url, offset,
                                      NULL, &x, NULL),
                   MW_OK);
  int64_t t = x->published;
  mw_extracted_free(x);
  return t;
}

#define TITLED(line)                                                        \
  "<title>全省推进无废城市建设_吉林</title><body><h1>全省推进无废城市建设</h1>" \
  "<div class=\"info\">" line "</div>" BODY_P "</body>"

static void test_time_forms(void **state) {
  (void)state;
  assert_time(time_of(TITLED("发布时间：2023年5月8日 10时25分"), NULL, CN),
              "2023-05-08T02:25:00Z");
  assert_time(time_of(TITLED("日期：2023-05-08"), NULL, CN),
              "2023-05-07T16:00:00Z");
  assert_time(time_of(TITLED("2023-05-08 10:25&nbsp;&nbsp;来源：吉林日报"), NULL,
                      CN),
              "2023-05-08T02:25:00Z");
  /* 新华网's split date: year, then month/day, then the time */
  assert_time(time_of(TITLED("<span class=\"year\"><em>2023</em></span> <span "
                             "class=\"day\"><em>05</em>/<em>12</em></span> "
                             "<span class=\"time\">10:29:32</span>"),
                      NULL, CN),
              "2023-05-12T02:29:32Z");
  /* the caller's zone for a time written without one */
  assert_time(time_of(TITLED("发布时间：2023-05-08 10:25"), NULL, 0),
              "2023-05-08T10:25:00Z");
  /* a labelled date beats an earlier unlabelled one in the same stretch */
  assert_time(time_of(TITLED("索引号：2022-00012 成文日期：2023-05-06 "
                             "发布日期：2023-05-08"),
                      NULL, CN),
              "2023-05-07T16:00:00Z");

  /* declared times: PubDate, article:published_time, <time datetime> */
  assert_time(time_of("<head><meta name=\"PubDate\" content=\"2023-05-08 10:00\">"
                      "</head>" TITLED("发布时间：2023-05-09 11:00"),
                      NULL, CN),
              "2023-05-08T02:00:00Z");
  assert_time(time_of("<head><meta property=\"article:published_time\" content="
                      "\"2023-05-08T10:00:00+08:00\"></head><body>" BODY_P
                      "</body>",
                      NULL, CN),
              "2023-05-08T02:00:00Z");
  /* 中国政府网's firstpublishedtime */
  assert_time(time_of("<head><meta name=\"firstpublishedtime\" content=\"2023-"
                      "05-18-09:30:12\"></head><body>" BODY_P "</body>",
                      NULL, CN),
              "2023-05-18T01:30:12Z");
  assert_time(time_of("<body><time datetime=\"2023-05-08T02:00:00Z\">5月8日"
                      "</time>" BODY_P "</body>",
                      NULL, CN),
              "2023-05-08T02:00:00Z");
  /* a declared date with no time takes the time from the page's line */
  struct mw_extracted *x =
      ex("<head><meta name=\"pubdate\" content=\"2023-05-08\"></head>" TITLED(
          "发布时间：2023-05-08 10:25"));
  assert_time(x->published, "2023-05-08T02:25:00Z");
  assert_string_equal(x->time_from, "labelled line");
  mw_extracted_free(x);
  /* ... but not a different day's */
  assert_time(time_of("<head><meta name=\"pubdate\" content=\"2023-05-08\">"
                      "</head>" TITLED("发布时间：2023-05-10 10:25"),
                      NULL, CN),
              "2023-05-07T16:00:00Z");
}

static void test_time_from_url(void **state) {
  (void)state;
  const char *page = "<title>全省推进无废城市建设</title><body>" BODY_P "</body>";
  static const struct {
    const char *url, *iso;
  } cases[] = {
      {"http://sthjt.jl.gov.cn/xxgk/gzdt/202305/t20230508_8712345.html",
       "2023-05-07T16:00:00Z"},
      {"http://www.news.cn/local/2023-05/08/c_1129608765.htm",
       "2023-05-07T16:00:00Z"},
      {"http://www.example.cn/20230508/123.html", "2023-05-07T16:00:00Z"},
      {"http://env.people.com.cn/n1/2023/0508/c1010-32681234.html",
       "2023-05-07T16:00:00Z"},
      {"http://jlrbszb.cnjiwang.com/pc/paper/c/202305/08/content_1.html",
       "2023-05-07T16:00:00Z"},
      {"http://www.hangzhou.gov.cn/art/2023/5/8/art_1229_1.html",
       "2023-05-07T16:00:00Z"},
      /* no date, an impossible one, digits in the query */
      {"http://www.qjjinxi.gov.cn/ShowArticle.asp?ArticleID=20230508",
       "unknown"},
      {"http://www.example.cn/20230231/1.html", "unknown"},
      {"http://www.example.cn/a/c_1129608765.htm", "unknown"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct mw_extracted *x = ex_url(page, cases[i].url);
    assert_time(x->published, cases[i].iso);
    if (x->published != MW_TIME_UNKNOWN)
      assert_string_equal(x->time_from, "date in URL");
    mw_extracted_free(x);
  }
  /* a date on the page beats the URL's */
  assert_time(time_of(TITLED("发布时间：2023-05-09 08:00"),
                      "http://a.gov.cn/202305/t20230508_1.html", CN),
              "2023-05-09T00:00:00Z");
}

/* ------------------------------------------------ 来源, author, editor */

static void test_labelled_lines(void **state) {
  (void)state;
  struct mw_extracted *x;
  x = ex(TITLED("来源：新华社 作者：张三 李四 责任编辑：王五"));
  assert_string_equal(x->origin, "新华社");
  assert_string_equal(x->origin_from, "来源 line");
  assert_string_equal(x->author, "张三 李四");
  assert_string_equal(x->editor, "王五");
  mw_extracted_free(x);

  x = ex(TITLED("稿源：吉林日报&nbsp;&nbsp;编辑：赵六&nbsp;&nbsp;点击数：12"));
  assert_string_equal(x->origin, "吉林日报");
  assert_null(x->author);
  assert_string_equal(x->editor, "赵六");
  mw_extracted_free(x);

  x = ex(TITLED("<span>来源：</span><a href=\"http://www.people.com.cn/\">人民网"
                "</a> | 2023-05-08"));
  assert_string_equal(x->origin, "人民网");
  mw_extracted_free(x);

  x = ex(TITLED("来源： China Daily | 2023-05-08 10:00"));
  assert_string_equal(x->origin, "China Daily");
  mw_extracted_free(x);

  x = ex(TITLED("信息来源：市生态环境局2023-05-08"));
  assert_string_equal(x->origin, "市生态环境局");
  mw_extracted_free(x);

  /* "文/" byline and an editor in brackets at the end of the body */
  x = ex("<title>全省推进无废城市建设</title><body><h1>全省推进无废城市建设</h1>"
         "<p class=\"by\">文/孙七</p><div class=\"text\"><p>为深入贯彻落实党中央"
         "、国务院决策部署，全省各地扎实推进全域“无废城市”建设。</p><p>（责编："
         "周八、吴九）</p></div></body>");
  assert_string_equal(x->author, "孙七");
  assert_string_equal(x->editor, "周八、吴九");
  assert_string_equal(x->body, "为深入贯彻落实党中央、国务院决策部署，全省各地扎实"
                               "推进全域“无废城市”建设。");
  mw_extracted_free(x);

  /* ContentSource beats the line; nothing at all gives NULL */
  x = ex("<head><meta name=\"ContentSource\" content=\"长春市生态环境局\"></head>" TITLED(
      "来源：长春日报"));
  assert_string_equal(x->origin, "长春市生态环境局");
  assert_string_equal(x->origin_from, "meta ContentSource");
  mw_extracted_free(x);
  x = ex(TITLED("2023-05-08"));
  assert_null(x->origin);
  assert_null(x->origin_from);
  assert_null(x->author);
  assert_null(x->editor);
  mw_extracted_free(x);
}

/* --------------------------------------------------------------- body */

static void test_body_cleaning(void **state) {
  (void)state;
  struct mw_extracted *x = ex(
      "<title>全省推进无废城市建设_吉林省生态环境厅</title><body>"
      "<div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/a\">工作动态</a> "
      "<a href=\"/b\">通知公告</a></div>"
      "<div class=\"main\"><h1>全省推进无废城市建设</h1>"
      "<div class=\"info\">发布时间：2023-05-08 10:25 来源：吉林日报 【字体：<a "
      "href=\"#\">大</a> <a href=\"#\">中</a> <a href=\"#\">小</a>】</div>"
      "<div id=\"zoom\"><p>　　为深入贯彻落实党中央、国务院决策部署，全省各地"
      "扎实推进全域“无废城市”建设，取得阶段性成效。</p>"
      "<p>　　各地要加强组织领导，压实工作责任，确保各项任务落地见效。</p>"
      "<div class=\"share\">分享到：<a href=\"#\">微信</a><a href=\"#\">微博</a>"
      "</div>"
      "<p>来源：吉林日报</p><p>【责任编辑：王鹤】</p>"
      "<div class=\"about\"><h3>相关阅读</h3><ul><li><a href=\"/1\">长春市启动"
      "生活垃圾分类宣传周活动</a></li><li><a href=\"/2\">吉林市创建首批“无废"
      "景区”</a></li></ul></div>"
      "<p>打印本页 关闭窗口</p></div></div>"
      "<div class=\"footer\"><p>主办单位：吉林省生态环境厅</p><p>版权所有 "
      "吉ICP备05002054号</p></div></body>");
  assert_string_equal(x->body,
                      "为深入贯彻落实党中央、国务院决策部署，全省各地扎实推进全域"
                      "“无废城市”建设，取得阶段性成效。\n各地要加强组织领导，压实"
                      "工作责任，确保各项任务落地见效。");
  assert_int_equal(x->body_chars, utf8_chars(x->body));
  assert_string_equal(x->body_from, "container #zoom");
  assert_string_equal(x->editor, "王鹤");
  assert_string_equal(x->origin, "吉林日报");
  mw_extracted_free(x);

  /* paragraphs made with <br> in a plain <div>, no known container */
  x = ex("<body><div class=\"menu\"><a href=\"/1\">网站首页</a><a href=\"/2\">"
         "政务公开</a></div><div class=\"wz\"><font>　　4月24日，金溪镇召开"
         "生活垃圾分类工作推进会。<br>　　会议要求，各村（社区）要健全宣传队伍，"
         "做好入户宣传。<br>　　会议强调，要加强督导检查。</font></div></body>");
  assert_string_equal(x->body,
                      "4月24日，金溪镇召开生活垃圾分类工作推进会。\n会议要求，"
                      "各村（社区）要健全宣传队伍，做好入户宣传。\n会议强调，要"
                      "加强督导检查。");
  assert_string_equal(x->body_from, "text density");
  mw_extracted_free(x);
}

static void test_no_body(void **state) {
  (void)state;
  struct mw_extracted *x;
  /* an index of links */
  x = ex("<title>工作动态</title><body><ul><li><a href=\"/1\">长春市启动生活"
         "垃圾分类宣传周活动，倡导绿色生活</a></li><li><a href=\"/2\">吉林市"
         "创建首批无废景区，打造旅游品牌</a></li></ul><p>版权所有：吉林省生态"
         "环境厅</p></body>");
  assert_null(x->body);
  assert_int_equal(x->body_chars, 0);
  assert_null(x->body_from);
  assert_string_equal(x->title, "工作动态");
  mw_extracted_free(x);

  /* empty input, and bytes that are not a page */
  struct mw_err err = {0};
  assert_int_equal(mw_article_extract(NULL, 0, NULL, NULL, CN, NULL, &x, &err),
                   MW_OK);
  assert_null(x->title);
  assert_null(x->body);
  assert_true(x->published == MW_TIME_UNKNOWN);
  mw_extracted_free(x);
  char junk[4096];
  uint32_t r = 12345;
  for (size_t i = 0; i < sizeof junk; i++) {
    r = r * 1103515245u + 12345u;
    junk[i] = (char)(r >> 16);
  }
  assert_int_equal(
      mw_article_extract(junk, sizeof junk, NULL, NULL, CN, NULL, &x, &err),
      MW_OK);
  mw_extracted_free(x);
  mw_extracted_free(NULL);
}

static void test_board_without_reply(void **state) {
  (void)state;
  struct mw_extracted *x =
      ex("<title>留言详情</title><body><table><tr><th>留言标题</th><td>河道里有"
         "死鱼</td></tr><tr><th>留言时间：</th><td>2023-06-01 08:30</td></tr>"
         "<tr><th>留言内容</th><td>江北区某河段近日出现大量死鱼，气味很大，请"
         "相关部门尽快调查处理。</td></tr></table></body>");
  assert_string_equal(x->title, "河道里有死鱼");
  assert_time(x->published, "2023-06-01T00:30:00Z");
  assert_string_equal(x->body, "江北区某河段近日出现大量死鱼，气味很大，请相关部"
                               "门尽快调查处理。");
  mw_extracted_free(x);
}

static void test_jsonld_forms(void **state) {
  (void)state;
  struct mw_extracted *x = ex(
      "<head><script type=\"application/ld+json\">{\"@context\":\"https://"
      "schema.org\",\"@graph\":[{\"@type\":\"WebSite\",\"name\":\"x\"},{\"@type\":"
      "\"NewsArticle\",\"headline\":\"\\u5168\\u7701\\u63a8\\u8fdb \\\"\\u65e0"
      "\\u5e9f\\\"\",\"datePublished\":\"2023-05-08T10:00:00+08:00\",\"author\":"
      "[{\"@type\":\"Person\",\"name\":\"周雪\"},{\"name\":\"李明\"}],\"publisher\":"
      "{\"@type\":\"Organization\",\"name\":\"中国环境网\",\"logo\":{\"url\":"
      "\"l.png\"}}}]}</script></head><body>" BODY_P "</body>");
  assert_string_equal(x->title, "全省推进 \"无废\"");
  assert_time(x->published, "2023-05-08T02:00:00Z");
  assert_string_equal(x->author, "周雪");
  assert_string_equal(x->origin, "中国环境网");
  mw_extracted_free(x);

  /* broken JSON: what came before the break is kept, nothing crashes */
  x = ex("<head><script type=\"application/ld+json\">{\"headline\":\"全省推进"
         "无废城市建设\",\"datePublished\":</script></head><body>" BODY_P
         "</body>");
  assert_string_equal(x->title, "全省推进无废城市建设");
  assert_true(x->published == MW_TIME_UNKNOWN);
  mw_extracted_free(x);
}

/* -------------------------------------------------------- XPath rules */

static const char RULED[] =
    "<title>站点首页</title><body><div class=\"t\">长春市启动垃圾分类宣传周</div>"
    "<span class=\"d\">2023/05/20 09:30</span><span class=\"s\">来源：长春日报"
    "</span><div class=\"b\"><p>5月20日，长春市启动生活垃圾分类宣传周活动。</p>"
    "<p>活动持续一周。</p><p>责任编辑：王鹤</p></div>"
    "<div class=\"side\"><p>这是一段很长的侧栏文字，用来让密度算法选错：侧栏"
    "里的内容，标点也很多，句子很长，内容很多，远远超过正文的长度。</p><p>侧栏"
    "第二段，同样很长，同样很多标点，同样会被选中。</p></div></body>";

static void test_rules(void **state) {
  (void)state;
  struct mw_article_rules rules = {"//div[@class='t']", "//span[@class='d']",
                                   "//span[@class='s']", "//div[@class='b']/p"};
  struct mw_extracted *x = NULL;
  struct mw_err err = {0};
  assert_int_equal(mw_article_extract(RULED, strlen(RULED), NULL, NULL, CN,
                                      &rules, &x, &err),
                   MW_OK);
  assert_string_equal(x->title, "长春市启动垃圾分类宣传周");
  assert_time(x->published, "2023-05-20T01:30:00Z");
  assert_string_equal(x->origin, "长春日报");
  assert_string_equal(x->body, "5月20日，长春市启动生活垃圾分类宣传周活动。\n"
                               "活动持续一周。");
  assert_int_equal(x->body_chars, utf8_chars(x->body));
  assert_string_equal(x->title_from, "xpath");
  assert_string_equal(x->time_from, "xpath");
  assert_string_equal(x->origin_from, "xpath");
  assert_string_equal(x->body_from, "xpath");
  mw_extracted_free(x);

  /* a rule that selects nothing leaves the heuristics' answer */
  struct mw_article_rules none = {"//h9", NULL, NULL, "//div[@id='nope']"};
  assert_int_equal(mw_article_extract(RULED, strlen(RULED), NULL, NULL, CN,
                                      &none, &x, &err),
                   MW_OK);
  assert_string_equal(x->title, "站点首页");
  assert_string_equal(x->title_from, "<title>");
  assert_non_null(x->body);
  assert_string_not_equal(x->body_from, "xpath");
  mw_extracted_free(x);

  /* an unusable rule is an error naming the field and the expression */
  struct mw_article_rules bad = {NULL, NULL, NULL, "//div[@class='b'"};
  x = (struct mw_extracted *)&bad; /* must be reset to NULL */
  assert_int_equal(mw_article_extract(RULED, strlen(RULED), NULL, NULL, CN,
                                      &bad, &x, &err),
                   MW_EINVAL);
  assert_null(x);
  assert_non_null(strstr(err.msg, "body_xpath: "));
  assert_non_null(strstr(err.msg, "\"//div[@class='b'\""));
  struct mw_article_rules bad2 = {"count(", NULL, NULL, NULL};
  assert_int_equal(mw_article_extract(RULED, strlen(RULED), NULL, NULL, CN,
                                      &bad2, &x, &err),
                   MW_EINVAL);
  assert_non_null(strstr(err.msg, "title_xpath: XPath \"count(\""));
}

/* ----------------------------------------------------------- charsets */

static void test_charsets(void **state) {
  (void)state;
  /* GBK bytes, no label in the page: the HTTP header says so */
  static const char gbk[] =
      "<html><body><h1>\xC8\xAB\xCA\xA1\xCE\xDE\xB7\xCF\xB3\xC7\xCA\xD0\xBD\xA8"
      "\xC9\xE8\xCD\xC6\xBD\xF8\xBB\xE1\xD5\xD9\xBF\xAA</h1><p>"
      "\xC0\xB4\xD4\xB4\xA3\xBA\xBC\xAA\xC1\xD6\xC8\xD5\xB1\xA8</p></body></html>";
  struct mw_extracted *x = NULL;
  struct mw_err err = {0};
  assert_int_equal(mw_article_extract(gbk, sizeof gbk - 1, "gbk", NULL, CN,
                                      NULL, &x, &err),
                   MW_OK);
  assert_string_equal(x->charset.name, "GB18030");
  assert_string_equal(x->charset.why, "HTTP header");
  assert_string_equal(x->title, "全省无废城市建设推进会召开");
  assert_string_equal(x->origin, "吉林日报");
  assert_int_equal(x->replaced_chars, 0);
  mw_extracted_free(x);

  /* one stray byte in a UTF-8 page: replaced and counted, the rest kept */
  static const char stray[] =
      "<html><head><meta charset=\"utf-8\"><title>全省推进无废城市建设_吉林"
      "</title></head><body><h1>全省推进无废城市建设</h1><div class=\"t\"><p>"
      "为深入贯彻落实党中央决策部署，全省各地扎实推进\xFF全域“无废城市”建设，"
      "取得阶段性成效。</p><p>各地要加强组织领导，压实工作责任。</p></div>"
      "</body></html>";
  assert_int_equal(mw_article_extract(stray, sizeof stray - 1, NULL, NULL, CN,
                                      NULL, &x, &err),
                   MW_OK);
  assert_string_equal(x->charset.name, "UTF-8");
  assert_int_equal(x->replaced_chars, 1);
  assert_string_equal(x->title, "全省推进无废城市建设");
  assert_string_equal(x->body, "为深入贯彻落实党中央决策部署，全省各地扎实推进"
                               "\xEF\xBF\xBD全域“无废城市”建设，取得阶段性成效。\n"
                               "各地要加强组织领导，压实工作责任。");
  mw_extracted_free(x);

  /* the fixture that says utf-8 but is GBK */
  char path[1200], dir[1024];
  size_t len;
  snprintf(path, sizeof path, "%s/charset_liar/page.html",
           pages_dir(dir, sizeof dir));
  char *page = load_path(path, &len);
  assert_int_equal(
      mw_article_extract(page, len, NULL, NULL, CN, NULL, &x, &err), MW_OK);
  assert_string_equal(x->charset.name, "GB18030");
  assert_string_equal(x->charset.why, "label ignored: not valid UTF-8");
  assert_int_equal(x->replaced_chars, 0);
  mw_extracted_free(x);
  free(page);
}

static void test_bad_arguments(void **state) {
  (void)state;
  struct mw_extracted *x = NULL;
  struct mw_err err = {0};
  assert_int_equal(mw_article_extract("<p>x</p>", 8, NULL, NULL, CN, NULL,
                                      NULL, &err),
                   MW_EINVAL);
  assert_int_equal(
      mw_article_extract(NULL, 5, NULL, NULL, CN, NULL, &x, &err), MW_EINVAL);
  assert_null(x);
  assert_string_equal(err.msg, "no page given");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fixtures),
      cmocka_unit_test(test_fixture_sources),
      cmocka_unit_test(test_title_forms),
      cmocka_unit_test(test_time_forms),
      cmocka_unit_test(test_time_from_url),
      cmocka_unit_test(test_labelled_lines),
      cmocka_unit_test(test_body_cleaning),
      cmocka_unit_test(test_no_body),
      cmocka_unit_test(test_board_without_reply),
      cmocka_unit_test(test_jsonld_forms),
      cmocka_unit_test(test_rules),
      cmocka_unit_test(test_charsets),
      cmocka_unit_test(test_bad_arguments),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
