/*
 * test_feed.c: mw_feed_parse (crawler/feed*.c) on the fixture feeds of
 * tests/data/crawler/feeds/ and on small documents written inline.
 *
 * Every field of every fixture entry is checked exactly: formats (RSS 2.0,
 * RSS 1.0, Atom), encodings (UTF-8, GBK, Big5, a BOM, an HTTP charset that
 * overrides a wrong declaration), xml:base, HTML reduced to text, broken
 * documents, undeclared HTML entities, limits, and documents that are not
 * feeds at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/testdata.h"
#include "crawler/crawler.h"
#include "crawler/feed_internal.h"

#define CN 28800

/* ----------------------------------------------------------- helpers */

static char *load(const char *name, size_t *len) {
  return mw_test_data_read("crawler/feeds", name, len);
}

static struct mw_feed *parse_file(const char *name, const char *charset,
                                  const char *base) {
  size_t len;
  char *data = load(name, &len);
  struct mw_feed *feed = NULL;
  struct mw_err err = {0};
  int rc = mw_feed_parse(data, len, charset, base, CN, NULL, &feed, &err);
  free(data);
  if (rc != MW_OK) fail_msg("%s: rc %d: %s", name, rc, err.msg);
  return feed;
}

static struct mw_feed *parse_str(const char *doc) {
  struct mw_feed *feed = NULL;
  struct mw_err err = {0};
  int rc = mw_feed_parse(doc, strlen(doc), NULL, NULL, CN, NULL, &feed, &err);
  if (rc != MW_OK) fail_msg("rc %d: %s", rc, err.msg);
  return feed;
}

/* NULL-safe string equality with a readable failure. */
static void str_eq(const char *got, const char *want) {
  if (!want) {
    if (got) fail_msg("want NULL, got \"%s\"", got);
    return;
  }
  if (!got) fail_msg("want \"%s\", got NULL", want);
  assert_string_equal(got, want);
}

static void entry_eq(const struct mw_feed_entry *e, const char *title,
                     const char *link, const char *id, int64_t published,
                     int64_t updated, const char *author, const char *text) {
  str_eq(e->title, title);
  str_eq(e->link, link);
  str_eq(e->id, id);
  assert_int_equal(e->published, published);
  assert_int_equal(e->updated, updated);
  str_eq(e->author, author);
  str_eq(e->text, text);
}

static bool has_problem(const struct mw_feed *f, const char *part) {
  for (size_t i = 0; i < f->n_problems; i++)
    if (strstr(f->problems[i], part)) return true;
  return false;
}

#define U MW_TIME_UNKNOWN

/* ----------------------------------------------------------- fixtures */

static void test_rss2_utf8(void **state) {
  (void)state;
  struct mw_feed *f =
      parse_file("rss2_utf8.xml", NULL, "http://sthjt.jl.gov.cn/ywdt/rss.xml");
  assert_int_equal(f->format, MW_FEED_RSS2);
  str_eq(mw_feed_format_name(f->format), "rss2");
  str_eq(f->encoding, "UTF-8");
  assert_false(f->recovered);
  /* the <image> title and link are not the channel's */
  str_eq(f->title, "吉林省生态环境厅 · 工作动态");
  str_eq(f->link, "http://sthjt.jl.gov.cn/ywdt/");
  assert_int_equal(f->n_entries, 3);
  assert_int_equal(f->n_problems, 0);
  /* escaped HTML in description; "email (name)" author */
  entry_eq(
      &f->entries[0], "吉林省成立全域“无废城市”建设工作推进组",
      "http://sthjt.jl.gov.cn/ywdt/202305/t20230508_8712345.html",
      "jl-sthjt-8712345", 1683511200, U, "省生态环境厅宣教中心",
      "为忠实践行习近平生态文明思想，加快推进全域“无废城市”建设，经省领导"
      "同意，成立了吉林省全域“无废城市”建设工作推进组。\n推进组办公室设在省"
      "生态环境厅。");
  /* CDATA title, relative link and the feed URL, dc:date, dc:creator,
   * content:encoded preferred to description */
  entry_eq(&f->entries[1], "举办吉林省全域“无废城市”建设专题讲座",
           "http://sthjt.jl.gov.cn/ywdt/202305/t20230510_8712399.html",
           "http://sthjt.jl.gov.cn/ywdt/202305/t20230510_8712399.html",
           1683682200, U, "吉林日报",
           "讲座邀请生态环境部固管中心专家授课。\n全省各地\n400 余人参加。");
  /* the guid is the link; a Chinese local date; plain text keeps its line */
  entry_eq(
      &f->entries[2], "长吉两地协同联动合力推动“无废城市”建设",
      "http://sthjt.jl.gov.cn/ywdt/202305/t20230512_8712450.html",
      "http://sthjt.jl.gov.cn/ywdt/202305/t20230512_8712450.html", 1683879600,
      U, NULL,
      "长春、吉林两地签署协同推进“无废城市”建设合作协议。\n减量化、资源化、"
      "无害化。");
  mw_feed_free(f);
}

static void test_rss2_gbk(void **state) {
  (void)state;
  struct mw_feed *f = parse_file("rss2_gbk.xml", NULL, NULL);
  str_eq(f->encoding, "GB18030");
  assert_false(f->recovered);
  assert_int_equal(f->n_problems, 0);
  str_eq(f->title, "长春市“无废城市”建设工作专班");
  str_eq(f->link, "http://sthjj.changchun.gov.cn/wfcs/");
  assert_int_equal(f->n_entries, 3);
  entry_eq(
      &f->entries[0], "印发《长春市“无废城市”建设宣传工作实施方案》",
      "http://sthjj.changchun.gov.cn/wfcs/202309/t20230925_3201.html", NULL,
      1695603600, U, NULL,
      "为增强公众对“无废城市”建设的认识，培育“无废”理念，长春市印发宣传工作"
      "实施方案。");
  entry_eq(&f->entries[1], "印发《长春市“无废细胞”创建活动实施方案》",
           "http://sthjj.changchun.gov.cn/wfcs/202309/t20230925_3202.html",
           NULL, 1695609000, U, NULL,
           "到2025年底，力争创建不低于5个“无废园区”、80个“无废工厂”。");
  entry_eq(&f->entries[2], "把握“一个”重点推进“无废园区”创建",
           "http://sthjj.changchun.gov.cn/wfcs/202309/t20230925_3203.html",
           NULL, 1695571200, U, NULL, "朝阳经济开发区是新兴工业的集聚区。");
  mw_feed_free(f);
}

static void test_rss2_big5(void **state) {
  (void)state;
  struct mw_feed *f = parse_file("rss2_big5.xml", NULL, NULL);
  str_eq(f->encoding, "Big5");
  assert_false(f->recovered);
  str_eq(f->title, "環境資訊中心");
  str_eq(f->link, "http://e-info.example.tw/");
  assert_int_equal(f->n_entries, 2);
  entry_eq(&f->entries[0], "吉林省推動「無廢城市」建設",
           "http://e-info.example.tw/2023/05/08/wfcs.html", NULL, 1683511200, U,
           NULL, "減量化、資源化、無害化是「無廢城市」建設的核心理念。");
  entry_eq(&f->entries[1], "垃圾分類宣傳週登場",
           "http://e-info.example.tw/2023/05/20/ljfl.html", NULL, 1684544400, U,
           NULL, "可回收物、有害垃圾、廚餘垃圾與其他垃圾分開投放。");
  mw_feed_free(f);
}

/* A UTF-8 BOM wins over a declaration that says gb2312, and over the HTTP
 * charset. */
static void test_rss2_bom(void **state) {
  (void)state;
  struct mw_feed *f = parse_file("rss2_bom.xml", "gbk", NULL);
  str_eq(f->encoding, "UTF-8");
  assert_int_equal(f->n_problems, 0);
  str_eq(f->title, "江北区生态环境局");
  assert_int_equal(f->n_entries, 1);
  entry_eq(&f->entries[0], "2021年江北区生态环境宣传工作要点",
           "http://www.cqjb.gov.cn/bm/sthjj/2021/0315/1.html", NULL, 1615737600,
           U, NULL, "全网域全时段环境舆情监测，监测、报告、交办、督办、反馈。");
  mw_feed_free(f);
}

/* The declaration says GBK, the bytes are UTF-8: the HTTP charset decides;
 * without it the bytes do, with a problem line. */
static void test_http_charset_overrides_declaration(void **state) {
  (void)state;
  struct mw_feed *f = parse_file("rss2_http_charset.xml", "utf-8", NULL);
  str_eq(f->encoding, "UTF-8");
  assert_int_equal(f->n_problems, 0);
  str_eq(f->title, "武陵都市报");
  assert_int_equal(f->n_entries, 1);
  /* "CST" is China Standard Time: 15:30 +08:00 */
  entry_eq(&f->entries[0], "黔江区开展“无废城市”宣传进校园活动",
           "http://www.wldsb.example.cn/2024/0520/88.html", NULL, 1716190200, U,
           NULL, "全国城市生活垃圾分类宣传周期间，黔江区走进中小学开展宣传。");
  mw_feed_free(f);

  f = parse_file("rss2_http_charset.xml", NULL, NULL);
  str_eq(f->encoding, "UTF-8");
  str_eq(f->title, "武陵都市报");
  assert_int_equal(f->n_problems, 1);
  str_eq(f->problems[0],
         "encoding: the bytes are not GB18030 as labelled "
         "but UTF-8; read as UTF-8");
  mw_feed_free(f);
}

static void test_atom_xml_base(void **state) {
  (void)state;
  struct mw_feed *f =
      parse_file("atom_base.xml", NULL, "http://ignored.example.cn/feed");
  assert_int_equal(f->format, MW_FEED_ATOM);
  str_eq(mw_feed_format_name(f->format), "atom");
  assert_false(f->recovered);
  assert_int_equal(f->n_problems, 0);
  str_eq(f->title, "重庆市生态环境宣传"); /* type="html" */
  str_eq(f->link, "http://www.cq.gov.cn/zwgk/index.html");
  assert_int_equal(f->n_entries, 3);
  /* entry xml:base nested in the feed's; rel=enclosure ignored; author
   * name over e-mail; type="html" content over type="text" summary */
  entry_eq(&f->entries[0], "金溪镇垃圾分类宣传方案（2024年）",
           "http://www.cq.gov.cn/zwgk/2024/04/t20240422_101.html",
           "tag:cq.gov.cn,2024:101", 1713744000, 1713863700, "金溪镇人民政府",
           "一月：垃圾分类&文明新风。\n可回收物\n有害垃圾");
  /* xml:base on the link itself; xhtml title and summary; <source> is not
   * the entry; an author with e-mail only */
  entry_eq(&f->entries[1], "无废细胞创建", "http://other.example.cn/a/c/d.html",
           "tag:cq.gov.cn,2024:102", U, 1713801600, "press@example.gov.cn",
           "无废学校\n无废医院");
  entry_eq(&f->entries[2], "只有相对链接",
           "http://www.cq.gov.cn/zwgk/2024/04/t20240424_103.html",
           "tag:cq.gov.cn,2024:103", 1713924000, U, NULL, NULL);
  mw_feed_free(f);
}

static void test_rss1_rdf(void **state) {
  (void)state;
  struct mw_feed *f = parse_file("rss1_rdf.xml", NULL, NULL);
  assert_int_equal(f->format, MW_FEED_RSS1);
  str_eq(mw_feed_format_name(f->format), "rss1");
  assert_false(f->recovered);
  str_eq(f->title, "中国吉林网 · 环保");
  str_eq(f->link, "http://www.chinajilin.com.cn/hb/");
  assert_int_equal(f->n_entries, 2);
  entry_eq(&f->entries[0], "长春市与生态环境部固管中心在京签约共建“无废城市”",
           "http://www.chinajilin.com.cn/hb/1.html",
           "http://www.chinajilin.com.cn/hb/1.html", 1683352800, U,
           "中国吉林网", "双方将在固体废物管理、技术支撑等方面开展合作。");
  entry_eq(&f->entries[1], "激活“无废细胞” 创建“无废景区”“无废星级酒店”",
           "http://www.chinajilin.com.cn/hb/2.html", "urn:jilin:hb:2",
           1683388800, U, NULL, NULL);
  mw_feed_free(f);
}

/* Unclosed and stray tags, bare '&' in text and URLs, an unclosed title. */
static void test_broken(void **state) {
  (void)state;
  struct mw_feed *f = parse_file("broken.xml", NULL, NULL);
  assert_true(f->recovered);
  str_eq(f->title, "新媒体 & 政务");
  str_eq(f->link, "http://www.example.gov.cn/?a=1&b=2");
  assert_int_equal(f->n_entries, 3);
  entry_eq(&f->entries[0], "恶臭投诉 & 垃圾站整改",
           "http://www.example.gov.cn/show.php?id=1&cat=2", NULL, 1714521600, U,
           NULL, "居民反映\n垃圾站恶臭问题已交办属地。");
  entry_eq(&f->entries[1], "焚烧厂环评公示",
           "http://www.example.gov.cn/show.php?id=2", NULL, 1714611600, U, NULL,
           "公示期十个工作日");
  entry_eq(&f->entries[2], "分类后混装混运问题通报",
           "http://www.example.gov.cn/show.php?id=3", NULL, 1714701600, U, NULL,
           NULL);
  assert_true(has_problem(f, "line 10: Opening and ending tag mismatch"));
  assert_true(has_problem(f, "4 bare '&' or '<'"));
  mw_feed_free(f);
}

static void test_html_entities(void **state) {
  (void)state;
  struct mw_feed *f = parse_file("html_entities.xml", NULL, NULL);
  assert_true(f->recovered); /* undeclared entities are not well-formed */
  str_eq(f->title, "黔江区 生态环境局—垃圾分类");
  assert_int_equal(f->n_entries, 2);
  entry_eq(&f->entries[0], "金溪镇“垃圾分类”宣传月 — Café 活动",
           "http://www.qianjiang.gov.cn/sthjj/2024/0422/1.html", NULL,
           1713772800, U, NULL,
           "地球日当天… 开展“垃圾分类进社区”活动\u200b，发放可回收物&有害垃圾"
           "分类手册。");
  /* "&amp;amp;" is escaped HTML: one more level is decoded */
  entry_eq(&f->entries[1], "5 < 6 and AT&T 中文",
           "http://www.qianjiang.gov.cn/sthjj/2024/0423/2.html", NULL,
           1713859200, U, NULL, NULL);
  str_eq(f->problems[0],
         "HTML entity &nbsp; used without a declaration; resolved");
  mw_feed_free(f);
}

static void test_html_page_is_not_a_feed(void **state) {
  (void)state;
  size_t len;
  char *data = load("not_feed.html", &len);
  struct mw_feed *f = (struct mw_feed *)1;
  struct mw_err err = {0};
  assert_int_equal(mw_feed_parse(data, len, NULL, NULL, CN, NULL, &f, &err),
                   MW_EPARSE);
  assert_null(f);
  assert_non_null(strstr(err.msg, "this is an HTML page, not a feed"));
  free(data);
}

/* --------------------------------------------------------- not feeds */

static void expect_eparse(const char *doc, const char *msg_part) {
  struct mw_feed *f = NULL;
  struct mw_err err = {0};
  assert_int_equal(
      mw_feed_parse(doc, strlen(doc), NULL, NULL, CN, NULL, &f, &err),
      MW_EPARSE);
  assert_null(f);
  if (!strstr(err.msg, msg_part))
    fail_msg("message \"%s\" lacks \"%s\"", err.msg, msg_part);
}

static void test_not_feeds(void **state) {
  (void)state;
  expect_eparse("", "empty");
  expect_eparse("  \n ", "empty");
  expect_eparse("{\"items\": []}", "JSON");
  expect_eparse(
      "<?xml version=\"1.0\"?><urlset><url><loc>http://a/</loc></url>"
      "</urlset>",
      "sitemap");
  expect_eparse("<opml version=\"2.0\"><body/></opml>", "OPML");
  expect_eparse("<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
                "root element is <svg>");
  expect_eparse("Service Unavailable", "no XML element found");
  expect_eparse("<html><body><p>x</p></body></html>", "HTML page");
}

/* ------------------------------------------------------------ inline */

static void test_php_warning_before_feed(void **state) {
  (void)state;
  struct mw_feed *f = parse_str(
      "<br />\n<b>Warning</b>:  date(): timezone not set in "
      "<b>/var/www/rss.php</b><br />\n"
      "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>"
      "<item><title>A</title><link>http://a.cn/1</link></item></channel></"
      "rss>");
  assert_true(f->recovered);
  assert_int_equal(f->n_entries, 1);
  str_eq(f->title, "T");
  str_eq(f->entries[0].link, "http://a.cn/1");
  assert_true(has_problem(f, "bytes before the feed were skipped"));
  mw_feed_free(f);
}

/* Each stray end tag makes libxml2 close one element too many; the parser
 * restarts where libxml2 stopped and keeps every entry. */
static void test_stray_end_tags_keep_all_entries(void **state) {
  (void)state;
  char doc[4096] = "<rss><channel><title>T</title>";
  for (int i = 1; i <= 6; i++) {
    char item[256];
    snprintf(
        item, sizeof item,
        "<item><title>第%d条</title><description>a</p>b</span></description>"
        "<link>http://a.cn/%d</link><pubDate>2024-05-0%d</pubDate></item>",
        i, i, i);
    strcat(doc, item);
  }
  strcat(doc, "</channel></rss>");
  struct mw_feed *f = parse_str(doc);
  assert_true(f->recovered);
  assert_int_equal(f->n_entries, 6);
  for (int i = 0; i < 6; i++) {
    char title[32], link[32];
    snprintf(title, sizeof title, "第%d条", i + 1);
    snprintf(link, sizeof link, "http://a.cn/%d", i + 1);
    entry_eq(&f->entries[i], title, link, NULL, 1714492800 + 86400 * i, U, NULL,
             "ab");
  }
  mw_feed_free(f);
}

static void test_unclosed_item(void **state) {
  (void)state;
  struct mw_feed *f = parse_str(
      "<rss><channel><item><title>一</title><link>http://a.cn/1</link>"
      "<item><title>二</title><link>http://a.cn/2</link></item>"
      "</channel></rss>");
  assert_int_equal(f->n_entries, 2);
  str_eq(f->entries[0].title, "一");
  str_eq(f->entries[1].title, "二");
  str_eq(f->entries[1].link, "http://a.cn/2");
  mw_feed_free(f);
}

static void test_internal_entities_and_no_xxe(void **state) {
  (void)state;
  struct mw_feed *f = parse_str(
      "<?xml version=\"1.0\"?>\n"
      "<!DOCTYPE rss [\n"
      "<!ENTITY org \"吉林省生态环境厅\">\n"
      "<!ENTITY secret SYSTEM \"file:///etc/passwd\">\n"
      "]>\n"
      "<rss version=\"2.0\"><channel><title>&org;</title>"
      "<item><title>a &secret; b</title><link>http://a.cn/1</link></item>"
      "</channel></rss>");
  str_eq(f->title, "吉林省生态环境厅");
  assert_int_equal(f->n_entries, 1);
  /* the external entity is never read: it stays as written */
  str_eq(f->entries[0].title, "a &secret; b");
  mw_feed_free(f);
}

/* An external parameter entity is never fetched (no file, no network). */
static void test_external_parameter_entity_ignored(void **state) {
  (void)state;
  struct mw_feed *f = parse_str(
      "<?xml version=\"1.0\"?>\n"
      "<!DOCTYPE rss [<!ENTITY % ext SYSTEM \"file:///etc/passwd\"> %ext;]>\n"
      "<rss><channel><title>T</title><item><title>A</title>"
      "<link>http://a.cn/1</link></item></channel></rss>");
  str_eq(f->title, "T");
  assert_int_equal(f->n_entries, 1);
  str_eq(f->entries[0].title, "A");
  mw_feed_free(f);
}

static void test_undeclared_gbk(void **state) {
  (void)state;
  /* "无废城市" in GBK, no declaration, no HTTP charset */
  const char doc[] =
      "<rss><channel><item><title>\xce\xde\xb7\xcf\xb3\xc7\xca\xd0"
      "</title><link>http://a.cn/1</link></item></channel></rss>";
  struct mw_feed *f = parse_str(doc);
  str_eq(f->encoding, "GB18030");
  str_eq(f->entries[0].title, "无废城市");
  assert_true(has_problem(f, "decoded as GB18030"));
  mw_feed_free(f);
}

static void test_utf16_bom(void **state) {
  (void)state;
  const char *src =
      "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss><channel>"
      "<item><title>T</title><link>http://a.cn/1</link></item>"
      "</channel></rss>";
  size_t n = strlen(src);
  char *doc = malloc(2 * n + 2);
  doc[0] = (char)0xFF;
  doc[1] = (char)0xFE;
  for (size_t i = 0; i < n; i++) {
    doc[2 + 2 * i] = src[i];
    doc[3 + 2 * i] = 0;
  }
  struct mw_feed *f = NULL;
  assert_int_equal(
      mw_feed_parse(doc, 2 * n + 2, NULL, NULL, CN, NULL, &f, NULL), MW_OK);
  str_eq(f->encoding, "UTF-16LE");
  assert_int_equal(f->n_entries, 1);
  str_eq(f->entries[0].title, "T");
  mw_feed_free(f);
  free(doc);
}

/* Atom 0.3: mode="escaped", issued and modified; a link whose type is not
 * HTML loses to a later text/html one. */
static void test_atom03_and_link_choice(void **state) {
  (void)state;
  struct mw_feed *f = parse_str(
      "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\">"
      "<title mode=\"escaped\">A &amp;amp; B</title>"
      "<entry><title>E</title>"
      "<link rel=\"alternate\" type=\"application/pdf\" "
      "href=\"http://a.cn/x.pdf\"/>"
      "<link rel=\"alternate\" type=\"text/html\" href=\"http://a.cn/x.html\"/>"
      "<id>urn:x</id><issued>2004-01-01T00:00:00Z</issued>"
      "<modified>2004-01-02T00:00:00Z</modified>"
      "<content type=\"text/html\" "
      "mode=\"escaped\">&lt;p&gt;x&lt;/p&gt;</content>"
      "</entry></feed>");
  assert_int_equal(f->format, MW_FEED_ATOM);
  str_eq(f->title, "A & B");
  entry_eq(&f->entries[0], "E", "http://a.cn/x.html", "urn:x", 1072915200,
           1073001600, NULL, "x");
  mw_feed_free(f);
}

/* RSS text that does not look like HTML keeps '<' and '&'; Atom
 * type="text" never loses them. */
static void test_plain_text_is_not_html(void **state) {
  (void)state;
  struct mw_feed *f = parse_str(
      "<rss><channel><item><title>a &lt; b &amp;&amp; c</title>"
      "<link>http://a.cn/1</link><description>x &lt;br&gt;</description>"
      "<author>王五 &lt;wang@example.cn&gt;</author></item></channel></rss>");
  entry_eq(&f->entries[0], "a < b && c", "http://a.cn/1", NULL, U, U, "王五",
           "x");
  mw_feed_free(f);
}

/* ------------------------------------------------------------ limits */

static void test_limits(void **state) {
  (void)state;
  size_t len;
  char *data = load("rss2_utf8.xml", &len);
  struct mw_feed *f = NULL;
  struct mw_feed_limits lim = {.max_entries = 2};
  assert_int_equal(mw_feed_parse(data, len, NULL, NULL, CN, &lim, &f, NULL),
                   MW_OK);
  assert_int_equal(f->n_entries, 2);
  assert_true(has_problem(f, "more than 2 entries: the rest were not read"));
  mw_feed_free(f);

  lim = (struct mw_feed_limits){.max_field_bytes = 20};
  assert_int_equal(mw_feed_parse(data, len, NULL, NULL, CN, &lim, &f, NULL),
                   MW_OK);
  assert_int_equal(f->n_entries, 3);
  /* 20 bytes cut on a character boundary: six 3-byte characters */
  str_eq(f->entries[0].title, "吉林省成立全");
  assert_true(has_problem(f, "entry 1: a field longer than 20 bytes was cut"));
  mw_feed_free(f);

  lim = (struct mw_feed_limits){.max_depth = 3};
  assert_int_equal(mw_feed_parse(data, len, NULL, NULL, CN, &lim, &f, NULL),
                   MW_OK);
  assert_int_equal(f->n_entries, 0);
  assert_true(has_problem(f, "elements nested deeper than 3"));
  mw_feed_free(f);
  free(data);
}

static void test_many_problems_are_capped(void **state) {
  (void)state;
  char *doc = malloc(200000);
  strcpy(doc, "<rss><channel>");
  for (int i = 0; i < 300; i++) strcat(doc, "<item><title>x</title></item>");
  strcat(doc, "</channel></rss>");
  struct mw_feed *f = parse_str(doc);
  assert_int_equal(f->n_entries, 0);
  assert_int_equal(f->n_problems, 50);
  str_eq(f->problems[0], "entry 1: no link and no id, skipped");
  str_eq(f->problems[49], "... and 251 more problems");
  mw_feed_free(f);
  free(doc);
}

static void test_free_null_and_bad_args(void **state) {
  (void)state;
  mw_feed_free(NULL);
  struct mw_err err = {0};
  assert_int_equal(mw_feed_parse(NULL, 5, NULL, NULL, CN, NULL, NULL, &err),
                   MW_EINVAL);
  str_eq(mw_feed_format_name(MW_FEED_UNKNOWN), "unknown");
}

/* ---------------------------------------------------------- feed_text */

static void reduce_eq(const char *in, unsigned flags, const char *want) {
  char out[512];
  size_t n = mw_feedtext_reduce(in, strlen(in), flags, out);
  assert_true(n <= strlen(in));
  str_eq(out, want);
}

static void test_text_reduce(void **state) {
  (void)state;
  reduce_eq("  a \t b\n\nc  ", 0, "a b\nc");
  reduce_eq("  a \t b\n\nc  ", MW_TEXT_ONE_LINE, "a b c");
  reduce_eq("<p>一</p><p>二<br>三</p>", MW_TEXT_HTML, "一\n二\n三");
  reduce_eq("<b>粗</b>体&nbsp;&amp;&#x4E2D;&#25991;&#150;", MW_TEXT_HTML,
            "粗体 &中文\xe2\x80\x93");
  reduce_eq("a<script>alert('<p>')</script>b<style>p{}</style>c", MW_TEXT_HTML,
            "a b c");
  reduce_eq("<!-- 注释 -->x<![CDATA[ <y> ]]>z", MW_TEXT_HTML, "x <y> z");
  reduce_eq("a < b & c &unknown; &lt", MW_TEXT_HTML, "a < b & c &unknown; <");
  reduce_eq("<a href=\"x>y\">链接</a>", MW_TEXT_HTML, "链接");
  reduce_eq("<td>1</td><td>2</td>", MW_TEXT_HTML, "1 2");
  reduce_eq("<p>a</p>", 0, "<p>a</p>");
  reduce_eq("x\x01y", 0, "x\ny");
  reduce_eq("", MW_TEXT_HTML, "");
  reduce_eq("<p>", MW_TEXT_HTML, "");
  reduce_eq("unterminated <a href=\"", MW_TEXT_HTML, "unterminated");
  assert_true(mw_feedtext_looks_like_html("x</b>", 5));
  assert_true(mw_feedtext_looks_like_html("<p>x", 4));
  assert_true(mw_feedtext_looks_like_html("AT&amp;T", 8));
  assert_false(mw_feedtext_looks_like_html("a < b > c", 9));
  assert_false(mw_feedtext_looks_like_html("AT&T", 4));
  assert_false(mw_feedtext_looks_like_html("<", 1));
  assert_int_equal(mw_feedtext_utf8_cut("中文", 6), 6);
  assert_int_equal(mw_feedtext_utf8_cut("中文", 5), 3);
  assert_int_equal(mw_feedtext_utf8_cut("中文", 4), 3);
  assert_int_equal(mw_feedtext_utf8_cut("a中", 1), 1);
  assert_int_equal(mw_feedtext_utf8_cut("", 0), 0);
  char line[] = "Comment \n<!--\xe5\x8f\x8c\xe6\x96\n \xff ok\xe4\xb8\xad\t";
  assert_int_equal(mw_feedtext_clean_line(line), 23);
  str_eq(line, "Comment <!--\xe5\x8f\x8c   ok\xe4\xb8\xad");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rss2_utf8),
      cmocka_unit_test(test_rss2_gbk),
      cmocka_unit_test(test_rss2_big5),
      cmocka_unit_test(test_rss2_bom),
      cmocka_unit_test(test_http_charset_overrides_declaration),
      cmocka_unit_test(test_atom_xml_base),
      cmocka_unit_test(test_rss1_rdf),
      cmocka_unit_test(test_broken),
      cmocka_unit_test(test_html_entities),
      cmocka_unit_test(test_html_page_is_not_a_feed),
      cmocka_unit_test(test_not_feeds),
      cmocka_unit_test(test_php_warning_before_feed),
      cmocka_unit_test(test_stray_end_tags_keep_all_entries),
      cmocka_unit_test(test_unclosed_item),
      cmocka_unit_test(test_internal_entities_and_no_xxe),
      cmocka_unit_test(test_external_parameter_entity_ignored),
      cmocka_unit_test(test_undeclared_gbk),
      cmocka_unit_test(test_utf16_bom),
      cmocka_unit_test(test_atom03_and_link_choice),
      cmocka_unit_test(test_plain_text_is_not_html),
      cmocka_unit_test(test_limits),
      cmocka_unit_test(test_many_problems_are_capped),
      cmocka_unit_test(test_free_null_and_bad_args),
      cmocka_unit_test(test_text_reduce),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
