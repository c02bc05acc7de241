/*
 * test_opml.c: mw_opml_parse and mw_opml_write (crawler/opml.c): a fixture
 * with nested outlines, documents that are not OPML, escaping, and a round
 * trip from a configuration through OPML and back.
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

static char *load(const char *name, size_t *len) {
  return mw_test_data_read("crawler/opml", name, len);
}

static void str_eq(const char *got, const char *want) {
  if (!want) {
    if (got) fail_msg("want NULL, got \"%s\"", got);
    return;
  }
  if (!got) fail_msg("want \"%s\", got NULL", want);
  assert_string_equal(got, want);
}

static void source_eq(const struct mw_opml_source *s, const char *outlet,
                      const char *url, const char *tier, const char *region,
                      const char *kind) {
  str_eq(s->outlet, outlet);
  str_eq(s->url, url);
  str_eq(s->tier, tier);
  str_eq(s->region, region);
  str_eq(s->kind, kind);
}

static void test_parse_fixture(void **state) {
  (void)state;
  size_t len;
  char *data = load("sources.opml", &len);
  struct mw_opml *o = NULL;
  struct mw_err err = {0};
  assert_int_equal(mw_opml_parse(data, len, &o, &err), MW_OK);
  free(data);
  str_eq(o->title, "吉林省“无废城市”宣传监测源");
  assert_int_equal(o->n_sources, 5);
  /* a top-level feed names itself */
  source_eq(&o->sources[0], "人民网 · 环保",
            "http://env.people.com.cn/rss/env.xml", "central", NULL, NULL);
  /* feeds inside a named folder take the folder's title (over its text) */
  source_eq(&o->sources[1], "吉林日报", "http://jlrbszb.example.cn/rss/yw.xml",
            "provincial", "吉林省", NULL);
  source_eq(&o->sources[2], "吉林日报", "http://jlrbszb.example.cn/rss/jj.xml",
            NULL, NULL, NULL);
  /* ... and inherit its tier and region */
  source_eq(&o->sources[3], "各地政务网站", "http://sthjj.changchun.gov.cn/",
            "portal", "长春市", "html");
  /* an unnamed folder lends nothing; entities in attributes are decoded */
  source_eq(&o->sources[4], "中国吉林网",
            "http://www.chinajilin.com.cn/rss.xml?a=1&b=2", NULL, NULL, NULL);
  mw_opml_free(o);
}

static void test_not_opml(void **state) {
  (void)state;
  struct mw_opml *o = (struct mw_opml *)1;
  struct mw_err err = {0};
  const char *rss = "<rss><channel/></rss>";
  assert_int_equal(mw_opml_parse(rss, strlen(rss), &o, &err), MW_EPARSE);
  assert_null(o);
  assert_string_equal(
      err.msg, "not an OPML file: the root element is <rss>, not <opml>");
  assert_int_equal(mw_opml_parse("", 0, &o, &err), MW_EPARSE);
  assert_string_equal(err.msg, "not an OPML file: no XML element found");
  assert_int_equal(mw_opml_parse("just text", 9, &o, &err), MW_EPARSE);
  assert_int_equal(mw_opml_parse(NULL, 3, &o, &err), MW_EINVAL);
  mw_opml_free(NULL);
}

static void test_empty_and_broken_opml(void **state) {
  (void)state;
  struct mw_opml *o = NULL;
  const char *empty = "<opml version=\"2.0\"><head/><body/></opml>";
  assert_int_equal(mw_opml_parse(empty, strlen(empty), &o, NULL), MW_OK);
  assert_null(o->title);
  assert_int_equal(o->n_sources, 0);
  mw_opml_free(o);
  /* unclosed outline, bare '&': what can be read is read */
  const char *broken =
      "<opml><body><outline text=\"A\" xmlUrl=\"http://a.cn/r\">"
      "<outline text=\"B & C\" xmlUrl=\"http://b.cn/r\"></body>";
  assert_int_equal(mw_opml_parse(broken, strlen(broken), &o, NULL), MW_OK);
  assert_true(o->n_sources >= 1);
  str_eq(o->sources[0].outlet, "A");
  str_eq(o->sources[0].url, "http://a.cn/r");
  mw_opml_free(o);
}

/* A configuration with names that need escaping, written and read back. */
static void test_write_round_trip(void **state) {
  (void)state;
  struct mw_source_conf s1[] = {
      {.url = "http://www.people.com.cn/rss/politics.xml",
       .kind = MW_SOURCE_FEED},
      {.url = "http://env.people.com.cn/GB/index.html?a=1&b=\"2\"",
       .kind = MW_SOURCE_HTML},
  };
  struct mw_source_conf s2[] = {
      {.url = "http://www.jl.gov.cn/sitemap.xml", .kind = MW_SOURCE_SITEMAP},
  };
  struct mw_outlet_conf outlets[] = {
      {.name = "人民日报 <人民网> & \"环保\"",
       .tier = MW_TIER_CENTRAL,
       .sources = s1,
       .n_sources = 2},
      {.name = "吉林省人民政府'门户'",
       .tier = MW_TIER_PORTAL,
       .region = "吉林省\n长春",
       .sources = s2,
       .n_sources = 1},
      {.name = "没有源的媒体", .tier = MW_TIER_CITY},
  };
  struct mw_config cfg = {.office_name = "吉林省生态环境厅宣教中心 & 舆情值班",
                          .outlets = outlets,
                          .n_outlets = 3};
  struct mw_buf b;
  mw_buf_init(&b, 1 << 20);
  struct mw_err err = {0};
  assert_int_equal(mw_opml_write(&cfg, &b, &err), MW_OK);
  const char *want =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<opml version=\"2.0\">\n"
      "  <head>\n"
      "    <title>吉林省生态环境厅宣教中心 &amp; 舆情值班 sources</title>\n"
      "  </head>\n"
      "  <body>\n"
      "    <outline text=\"人民日报 &lt;人民网&gt; &amp; &quot;环保&quot;\" "
      "type=\"rss\" "
      "xmlUrl=\"http://www.people.com.cn/rss/politics.xml\" tier=\"central\" "
      "kind=\"feed\"/>\n"
      "    <outline text=\"人民日报 &lt;人民网&gt; &amp; &quot;环保&quot;\" "
      "xmlUrl=\"http://env.people.com.cn/GB/"
      "index.html?a=1&amp;b=&quot;2&quot;\" "
      "tier=\"central\" kind=\"html\"/>\n"
      "    <outline text=\"吉林省人民政府&apos;门户&apos;\" "
      "xmlUrl=\"http://www.jl.gov.cn/sitemap.xml\" tier=\"portal\" "
      "region=\"吉林省&#10;长春\" kind=\"sitemap\"/>\n"
      "  </body>\n"
      "</opml>\n";
  assert_string_equal(b.data, want);

  struct mw_opml *o = NULL;
  assert_int_equal(mw_opml_parse(b.data, b.len, &o, &err), MW_OK);
  str_eq(o->title, "吉林省生态环境厅宣教中心 & 舆情值班 sources");
  assert_int_equal(o->n_sources, 3);
  source_eq(&o->sources[0], "人民日报 <人民网> & \"环保\"",
            "http://www.people.com.cn/rss/politics.xml", "central", NULL,
            "feed");
  source_eq(&o->sources[1], "人民日报 <人民网> & \"环保\"",
            "http://env.people.com.cn/GB/index.html?a=1&b=\"2\"", "central",
            NULL, "html");
  source_eq(&o->sources[2], "吉林省人民政府'门户'",
            "http://www.jl.gov.cn/sitemap.xml", "portal", "吉林省\n长春",
            "sitemap");
  mw_opml_free(o);
  mw_buf_cleanup(&b);
}

static void test_write_ceiling(void **state) {
  (void)state;
  struct mw_source_conf s[] = {
      {.url = "http://a.cn/rss", .kind = MW_SOURCE_FEED}};
  struct mw_outlet_conf outlets[] = {
      {.name = "A", .tier = MW_TIER_CITY, .sources = s, .n_sources = 1}};
  struct mw_config cfg = {.outlets = outlets, .n_outlets = 1};
  struct mw_buf b;
  mw_buf_init(&b, 64);
  struct mw_err err = {0};
  assert_int_equal(mw_opml_write(&cfg, &b, &err), MW_ETOOBIG);
  assert_non_null(strstr(err.msg, "64-byte ceiling"));
  mw_buf_cleanup(&b);
  assert_int_equal(mw_opml_write(NULL, &b, &err), MW_EINVAL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_fixture),
      cmocka_unit_test(test_not_opml),
      cmocka_unit_test(test_empty_and_broken_opml),
      cmocka_unit_test(test_write_round_trip),
      cmocka_unit_test(test_write_ceiling),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
