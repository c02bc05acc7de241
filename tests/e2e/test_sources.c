/*
 * test_sources.c: `mediawatch sources check|import|export` through the real
 * binary: one feed fetched (or read) and shown field by field, OPML in and
 * out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/e2e/e2e.h"

/* A config that lets `sources check` reach the fixture on loopback. */
static void loopback_config(const struct e2e_scratch *d, char *cfg, size_t n) {
  e2e_path(d, "check.yaml", cfg, n);
  e2e_write_file(cfg,
                 "crawler:\n  allow_loopback: true\n"
                 "outlets:\n  - name: x\n    tier: city\n    sources:\n"
                 "      - url: http://127.0.0.1:9/x.xml\n");
}

static void test_check_url_json(void **state) {
  (void)state;
  char sites[1024], cfg[1024], url[1024];
  struct e2e_scratch d;
  e2e_scratch_new(&d, "check");
  loopback_config(&d, cfg, sizeof cfg);
  e2e_data("sites", sites, sizeof sites);
  struct mw_fixture *fx = e2e_fixture(sites);
  snprintf(url, sizeof url, "%s/changchun/rss.xml", mw_fixture_base_url(fx));
  char *out = NULL, *err = NULL;
  const char *args[] = {"sources", "check", url, "--json", "--config", cfg, NULL};
  int rc = e2e_run(&out, &err, args);
  if (rc) fail_msg("exit %d: %s", rc, err);
  json_error_t jerr;
  json_t *doc = json_loads(out, 0, &jerr);
  if (!doc) fail_msg("not JSON: %s\n%s", jerr.text, out);
  assert_string_equal(json_string_value(json_object_get(doc, "format")), "rss2");
  assert_string_equal(json_string_value(json_object_get(doc, "encoding")),
                      "GB18030");
  assert_true(json_is_true(json_object_get(doc, "well_formed")));
  json_t *entries = json_object_get(doc, "entries");
  assert_int_equal(json_array_size(entries), 9);
  json_t *first = json_array_get(entries, 0);
  /* GBK bytes decoded: the titles are readable Chinese, not mojibake. */
  assert_string_equal(json_string_value(json_object_get(doc, "title")),
                      "长春市人民政府 - 政务动态");
  assert_string_equal(json_string_value(json_object_get(first, "title")),
                      "把握“一个”重点 推进“无废园区”创建");
  assert_non_null(json_string_value(json_object_get(first, "published")));
  json_decref(doc);
  free(out);
  free(err);

  /* Without --config the defaults refuse loopback, with a reason. */
  const char *strict[] = {"sources", "check", url, NULL};
  assert_int_equal(e2e_run(NULL, &err, strict), 1);
  e2e_expect_in(err, "set crawler allow_loopback");
  free(err);
  mw_fixture_stop(fx);
  e2e_scratch_free(&d);
}

static void test_check_file_text(void **state) {
  (void)state;
  char path[1024];
  e2e_data("e2e/site/broken.xml", path, sizeof path);
  char *out = NULL;
  const char *args[] = {"sources", "check", path, "--base-url",
                        "http://example.invalid/jinxi/", NULL};
  assert_int_equal(e2e_run(&out, NULL, args), 0);
  e2e_expect_in(out, "document: not well-formed, recovered");
  e2e_expect_in(out, "[1] 金溪镇开展垃圾分类宣传进村入户活动");
  e2e_expect_in(out, "published: 2024-03-15T01:00:00Z");
  e2e_expect_in(out, "link:      http://example.invalid/jinxi/2024/0322/a2.html");
  free(out);
  /* An HTML page checked as a feed is refused with the reason. */
  e2e_data("e2e/site/notafeed.html", path, sizeof path);
  char *err = NULL;
  const char *html[] = {"sources", "check", path, "--kind", "feed", NULL};
  assert_int_equal(e2e_run(NULL, &err, html), 1);
  e2e_expect_in(err, "not a feed");
  free(err);
}

/* Onboarding a portal: its listing page, then one of its articles. */
static void test_check_listing_and_article(void **state) {
  (void)state;
  char sites[1024], cfg[1024], url[1024];
  struct e2e_scratch d;
  e2e_scratch_new(&d, "check-html");
  loopback_config(&d, cfg, sizeof cfg);
  e2e_data("sites", sites, sizeof sites);
  struct mw_fixture *fx = e2e_fixture(sites);
  snprintf(url, sizeof url, "%s/sthjt/xwdt/index.html", mw_fixture_base_url(fx));
  char *out = NULL, *err = NULL;
  const char *listing[] = {"sources", "check", url, "--json", "--config", cfg,
                           NULL};
  int rc = e2e_run(&out, &err, listing);
  if (rc) fail_msg("exit %d: %s", rc, err);
  json_error_t jerr;
  json_t *doc = json_loads(out, 0, &jerr);
  if (!doc) fail_msg("not JSON: %s\n%s", jerr.text, out);
  assert_string_equal(json_string_value(json_object_get(doc, "kind")), "html");
  size_t i, articles = 0, next = 0, attachments = 0;
  json_t *link;
  json_array_foreach(json_object_get(doc, "links"), i, link) {
    const char *k = json_string_value(json_object_get(link, "kind"));
    articles += !strcmp(k, "article");
    next += !strcmp(k, "next-page");
    attachments += !strcmp(k, "attachment");
  }
  /* index.html: 4 articles (4 more on index_1.html), its next page, the
   * PDF; the 热点推荐 sidebar is not an article list. */
  assert_int_equal(articles, 4);
  assert_int_equal(next, 1);
  assert_int_equal(attachments, 1);
  json_decref(doc);
  free(out);
  free(err);

  /* The article whose <meta charset> says UTF-8 over GBK bytes. */
  snprintf(url, sizeof url, "%s/sthjt/xwdt/202305/t20230524_5210107.html",
           mw_fixture_base_url(fx));
  const char *article[] = {"sources", "check", url, "--kind", "article",
                           "--config", cfg, NULL};
  rc = e2e_run(&out, &err, article);
  if (rc) fail_msg("exit %d: %s", rc, err);
  e2e_expect_in(out, "charset:   GB18030 (label ignored: not valid UTF-8)");
  e2e_expect_in(out, "title:     全域“无废城市”建设宣讲活动走进校园社区");
  e2e_expect_in(out, "published: 2023-05-24T02:00:00Z");
  e2e_expect_in(out, "来源:      吉林省生态环境厅");
  e2e_expect_in(out, "editor:    王喆");
  e2e_expect_in(out, "timing:");
  free(out);
  free(err);
  mw_fixture_stop(fx);
  e2e_scratch_free(&d);
}

static void test_opml_round_trip(void **state) {
  (void)state;
  char tmpl[1024], cfg[1024], db[1024], opml[1024];
  struct e2e_scratch d;
  e2e_scratch_new(&d, "opml");
  e2e_source("examples/demo.yaml", tmpl, sizeof tmpl);
  e2e_path(&d, "mw.yaml", cfg, sizeof cfg);
  e2e_path(&d, "mw.db", db, sizeof db);
  e2e_path(&d, "out.opml", opml, sizeof opml);
  e2e_make_config(tmpl, cfg, "http://127.0.0.1:18931", db);
  char *out = NULL;
  const char *exp[] = {"sources", "export", "--config", cfg, NULL};
  assert_int_equal(e2e_run(&out, NULL, exp), 0);
  e2e_expect_in(out, "<opml version=\"2.0\">");
  e2e_expect_in(out, "xmlUrl=\"http://127.0.0.1:18931/changchun/rss.xml\"");
  e2e_expect_in(out, "tier=\"new-media\"");
  e2e_write_file(opml, out);
  free(out);

  /* Importing the export into the same config adds nothing... */
  char *err = NULL;
  const char *imp[] = {"sources", "import", opml, "--config", cfg, NULL};
  assert_int_equal(e2e_run(&out, &err, imp), 0);
  e2e_expect_in(err, "0 outlets to add, 7 skipped");
  free(out);
  free(err);
  /* ...and into no config yields the four outlets as config entries. */
  const char *imp2[] = {"sources", "import", opml, NULL};
  assert_int_equal(e2e_run(&out, &err, imp2), 0);
  e2e_expect_in(err, "7 outlets to add, 0 skipped");
  e2e_expect_in(out, "  - name: \"吉林日报\"\n    tier: provincial\n");
  e2e_expect_in(out, "      - url: \"http://127.0.0.1:18931/jilinribao/atom.xml\"");
  free(out);
  free(err);
  e2e_scratch_free(&d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_check_url_json),
      cmocka_unit_test(test_check_file_text),
      cmocka_unit_test(test_check_listing_and_article),
      cmocka_unit_test(test_opml_round_trip),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
