/*
 * test_xpath.c: crawler/xpath.c, XPath 1.0 over libxml2's HTML DOM.
 *
 * Selections of elements, attributes and string results on small pages
 * written inline; the text of an element (blocks on their own lines,
 * whitespace collapsed, scripts left out); stopping early; broken and
 * empty pages; and expressions that do not compile or evaluate, whose
 * errors must quote the expression.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crawler/xpath.h"

#define MAX_HITS 8

struct hits {
  int n;
  char text[MAX_HITS][256];
  char href[MAX_HITS][128];
  int stop_after; /* 0 = never stop */
};

static int collect(const char *text, const char *href, void *user) {
  struct hits *h = user;
  if (h->n < MAX_HITS) {
    snprintf(h->text[h->n], sizeof h->text[0], "%s", text);
    snprintf(h->href[h->n], sizeof h->href[0], "%s", href ? href : "(none)");
  }
  h->n++;
  return h->stop_after && h->n >= h->stop_after;
}

static struct mw_xpath_doc *doc_of(const char *html) {
  struct mw_xpath_doc *d = NULL;
  struct mw_err err = {0};
  assert_int_equal(mw_xpath_doc_new(html, strlen(html), &d, &err), MW_OK);
  assert_non_null(d);
  return d;
}

static const char PAGE[] =
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
    "<title>无废城市建设_工作动态_吉林省生态环境厅</title>"
    "<meta name=\"PubDate\" content=\"2023-05-08 10:00\">"
    "<script>var x = '<p>not text</p>';</script></head><body>"
    "<div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/gzdt/\">工作动态</a></div>"
    "<h1 class=\"title\">  吉林省全面推进\n  无废城市建设 </h1>"
    "<div class=\"info\"><span>来源：吉林日报</span>&nbsp;&nbsp;"
    "<span>发布时间：2023-05-08</span></div>"
    "<div id=\"zoom\"><p>　　为深入贯彻落实党中央决策部署，<b>全省</b>开展宣传。</p>"
    "<p>各地要加强组织领导。<br>确保工作落实。</p>"
    "<style>p { color: red }</style><ul><li>一</li><li>二</li></ul></div>"
    "</body></html>";

static void test_element_text(void **state) {
  (void)state;
  struct mw_xpath_doc *d = doc_of(PAGE);
  struct hits h = {0};
  struct mw_err err = {0};
  assert_int_equal(mw_xpath_select(d, "//h1", collect, &h, &err), 1);
  assert_string_equal(h.text[0], "吉林省全面推进 无废城市建设");
  assert_string_equal(h.href[0], "(none)");

  memset(&h, 0, sizeof h);
  assert_int_equal(mw_xpath_select(d, "//div[@id='zoom']", collect, &h, &err),
                   1);
  assert_string_equal(h.text[0],
                      "为深入贯彻落实党中央决策部署，全省开展宣传。\n"
                      "各地要加强组织领导。\n确保工作落实。\n一\n二");
  mw_xpath_doc_free(d);
}

static void test_several_nodes_and_hrefs(void **state) {
  (void)state;
  struct mw_xpath_doc *d = doc_of(PAGE);
  struct hits h = {0};
  struct mw_err err = {0};
  assert_int_equal(
      mw_xpath_select(d, "//div[@class='nav']/a", collect, &h, &err), 2);
  assert_string_equal(h.text[0], "首页");
  assert_string_equal(h.href[0], "/");
  assert_string_equal(h.text[1], "工作动态");
  assert_string_equal(h.href[1], "/gzdt/");

  /* stopping after the first */
  memset(&h, 0, sizeof h);
  h.stop_after = 1;
  assert_int_equal(
      mw_xpath_select(d, "//div[@class='nav']/a", collect, &h, &err), 1);
  assert_int_equal(h.n, 1);

  /* spans: inline text, nbsp collapsed away at the edges */
  memset(&h, 0, sizeof h);
  assert_int_equal(
      mw_xpath_select(d, "//div[@class='info']", collect, &h, &err), 1);
  assert_string_equal(h.text[0], "来源：吉林日报 发布时间：2023-05-08");
  mw_xpath_doc_free(d);
}

static void test_attributes_and_strings(void **state) {
  (void)state;
  struct mw_xpath_doc *d = doc_of(PAGE);
  struct hits h = {0};
  struct mw_err err = {0};
  assert_int_equal(mw_xpath_select(d, "//meta[@name='PubDate']/@content",
                                   collect, &h, &err),
                   1);
  assert_string_equal(h.text[0], "2023-05-08 10:00");

  memset(&h, 0, sizeof h);
  assert_int_equal(
      mw_xpath_select(d, "substring-after(//span[1], '：')", collect, &h, &err),
      1);
  assert_string_equal(h.text[0], "吉林日报");

  memset(&h, 0, sizeof h);
  assert_int_equal(mw_xpath_select(d, "count(//p)", collect, &h, &err), 1);
  assert_string_equal(h.text[0], "2");

  /* text() nodes */
  memset(&h, 0, sizeof h);
  assert_int_equal(mw_xpath_select(d, "//title/text()", collect, &h, &err), 1);
  assert_string_equal(h.text[0], "无废城市建设_工作动态_吉林省生态环境厅");
  mw_xpath_doc_free(d);
}

static void test_nothing_selected(void **state) {
  (void)state;
  struct mw_xpath_doc *d = doc_of(PAGE);
  struct hits h = {0};
  struct mw_err err = {0};
  assert_int_equal(
      mw_xpath_select(d, "//div[@class='TRS_Editor']", collect, &h, &err), 0);
  assert_int_equal(h.n, 0);
  /* script text never counts as text */
  assert_int_equal(mw_xpath_select(d, "//head", collect, &h, &err), 1);
  assert_string_equal(h.text[0], "无废城市建设_工作动态_吉林省生态环境厅");
  mw_xpath_doc_free(d);
}

static void test_bad_expressions(void **state) {
  (void)state;
  struct mw_xpath_doc *d = doc_of(PAGE);
  struct hits h = {0};
  struct mw_err err = {0};
  assert_int_equal(mw_xpath_select(d, "//div[@class='x'", collect, &h, &err),
                   MW_EINVAL);
  assert_non_null(strstr(err.msg, "XPath \"//div[@class='x'\" does not compile"));
  assert_int_equal(h.n, 0);

  memset(&err, 0, sizeof err);
  assert_int_equal(mw_xpath_select(d, "//h1/", collect, &h, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "\"//h1/\""));

  memset(&err, 0, sizeof err);
  assert_int_equal(mw_xpath_select(d, "nosuchfn(//h1)", collect, &h, &err),
                   MW_EINVAL);
  assert_non_null(strstr(err.msg, "\"nosuchfn(//h1)\""));

  memset(&err, 0, sizeof err);
  assert_int_equal(mw_xpath_select(d, "  ", collect, &h, &err), MW_EINVAL);
  assert_string_equal(err.msg, "XPath expression is empty");
  assert_int_equal(mw_xpath_select(d, NULL, collect, &h, &err), MW_EINVAL);

  /* the document still works after errors */
  assert_int_equal(mw_xpath_select(d, "//h1", collect, &h, &err), 1);
  mw_xpath_doc_free(d);
}

static void test_broken_and_empty_pages(void **state) {
  (void)state;
  /* unclosed elements, a stray end tag, no html/body */
  struct mw_xpath_doc *d =
      doc_of("<div class=a><p>第一段<p>第二段</span><div class=b>内容");
  struct hits h = {0};
  struct mw_err err = {0};
  assert_int_equal(mw_xpath_select(d, "//p", collect, &h, &err), 2);
  assert_string_equal(h.text[0], "第一段");
  assert_string_equal(h.text[1], "第二段"); /* a <div> closes the <p> */
  memset(&h, 0, sizeof h);
  assert_int_equal(mw_xpath_select(d, "//div[@class='b']", collect, &h, &err),
                   1);
  assert_string_equal(h.text[0], "内容");
  mw_xpath_doc_free(d);

  d = NULL;
  assert_int_equal(mw_xpath_doc_new("", 0, &d, &err), MW_OK);
  memset(&h, 0, sizeof h);
  assert_int_equal(mw_xpath_select(d, "//p", collect, &h, &err), 0);
  mw_xpath_doc_free(d);
  mw_xpath_doc_free(NULL);

  assert_int_equal(mw_xpath_doc_new("<p>x</p>", 8, NULL, &err), MW_EINVAL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_element_text),
      cmocka_unit_test(test_several_nodes_and_hrefs),
      cmocka_unit_test(test_attributes_and_strings),
      cmocka_unit_test(test_nothing_selected),
      cmocka_unit_test(test_bad_expressions),
      cmocka_unit_test(test_broken_and_empty_pages),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
