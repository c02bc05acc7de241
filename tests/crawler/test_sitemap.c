/*
 * test_sitemap.c: mw_sitemap_parse (crawler/sitemap.c): a urlset with the
 * entries a real sitemap mixes in (image extensions, bad and relative locs,
 * CDATA, date forms), a sitemap index, a Google News sitemap plain and
 * gzipped, a plain-text sitemap, an entity bomb, a gzip bomb, the 50,000
 * entry bound, truncated XML, and documents that are not sitemaps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "tests/testdata.h"
#include "crawler/crawler.h"

#define CN_OFFSET 28800

static char *load(const char *name, size_t *len) {
  return mw_test_data_read("crawler/sitemaps", name, len);
}

static struct mw_sitemap *parse_file(const char *name, const char *url) {
  size_t len;
  char *data = load(name, &len);
  struct mw_sitemap *sm = NULL;
  struct mw_err err = {0};
  int rc = mw_sitemap_parse(data, len, url, CN_OFFSET, &sm, &err);
  free(data);
  if (rc) fail_msg("%s: %s", name, err.msg);
  return sm;
}

static void time_eq(int64_t got, const char *want) {
  if (!want) {
    if (got != MW_TIME_UNKNOWN) fail_msg("want no time, got %lld", (long long)got);
    return;
  }
  char buf[32];
  assert_true(got != MW_TIME_UNKNOWN);
  mw_time_format_iso_utc(got, buf, sizeof buf);
  assert_string_equal(buf, want);
}

static void entry_eq(const struct mw_sitemap_entry *e, const char *loc,
                     const char *lastmod, const char *title,
                     const char *published) {
  assert_string_equal(e->loc, loc);
  time_eq(e->lastmod, lastmod);
  if (title) {
    assert_non_null(e->title);
    assert_string_equal(e->title, title);
  } else {
    assert_null(e->title);
  }
  time_eq(e->published, published);
}

static void test_urlset(void **state) {
  (void)state;
  struct mw_sitemap *sm = parse_file("sitemap.xml", "http://sthjt.jl.gov.cn/sitemap.xml");
  assert_false(sm->is_index);
  assert_int_equal(sm->n_entries, 5);
  entry_eq(&sm->entries[0],
           "http://sthjt.jl.gov.cn/xwzx/gzdt/202305/t20230508_3120456.html",
           "2023-05-07T16:00:00Z", NULL, NULL);
  /* spaces trimmed, tracking parameter dropped; image:loc not taken */
  entry_eq(&sm->entries[1],
           "http://sthjt.jl.gov.cn/xwzx/gzdt/202305/t20230507_3120443.html",
           "2023-05-07T02:30:00Z", NULL, NULL);
  /* a relative loc resolved against the sitemap's URL */
  entry_eq(&sm->entries[2],
           "http://sthjt.jl.gov.cn/xwzx/tzgg/202305/t20230506_3120430.html",
           "2023-05-06T02:00:00Z", NULL, NULL);
  entry_eq(&sm->entries[3], "http://sthjt.jl.gov.cn/ztzl/wfcs/", NULL, NULL, NULL);
  entry_eq(&sm->entries[4],
           "http://sthjt.jl.gov.cn/xwzx/gzdt/202305/t20230505_3120417.html",
           "2023-05-04T16:00:00Z", NULL, NULL);
  mw_sitemap_free(sm);
}

static void test_index(void **state) {
  (void)state;
  struct mw_sitemap *sm =
      parse_file("sitemap_index.xml", "http://www.chinajilin.com.cn/sitemap.xml");
  assert_true(sm->is_index);
  assert_int_equal(sm->n_entries, 3);
  entry_eq(&sm->entries[0], "http://www.chinajilin.com.cn/sitemap/news-2023-05.xml.gz",
           "2023-05-08T15:59:00Z", NULL, NULL);
  entry_eq(&sm->entries[1], "http://www.chinajilin.com.cn/sitemap/news-2023-04.xml.gz",
           "2023-04-29T16:00:00Z", NULL, NULL);
  entry_eq(&sm->entries[2], "http://www.chinajilin.com.cn/sitemap/special.xml", NULL,
           NULL, NULL);
  mw_sitemap_free(sm);
}

static void check_news(struct mw_sitemap *sm) {
  assert_false(sm->is_index);
  assert_int_equal(sm->n_entries, 3);
  entry_eq(&sm->entries[0],
           "http://news.chinajilin.com.cn/content/2023-05/08/content_3120001.html", NULL,
           "吉林省成立全域“无废城市”建设工作推进组", "2023-05-08T02:21:00Z");
  entry_eq(&sm->entries[1],
           "http://news.chinajilin.com.cn/content/2023-05/08/content_3120008.html",
           "2023-05-08T04:00:00Z", "长吉两地协同联动 合力推动&“无废城市”建设",
           "2023-05-07T16:00:00Z");
  entry_eq(&sm->entries[2],
           "http://news.chinajilin.com.cn/content/2023-05/07/content_3119990.html", NULL,
           "举办吉林省全域“无废城市”建设专题讲座", NULL);
}

static void test_news(void **state) {
  (void)state;
  struct mw_sitemap *sm = parse_file("news_sitemap.xml", NULL);
  check_news(sm);
  mw_sitemap_free(sm);
  sm = parse_file("news_sitemap.xml.gz", "http://news.chinajilin.com.cn/news.xml.gz");
  check_news(sm);
  mw_sitemap_free(sm);
}

static void test_text(void **state) {
  (void)state;
  struct mw_sitemap *sm = parse_file("sitemap.txt", "http://www.cqjb.gov.cn/sitemap.txt");
  assert_int_equal(sm->n_entries, 3);
  entry_eq(&sm->entries[0], "http://www.cqjb.gov.cn/zwxx/mtjj/202305/t20230508_11912345.html",
           NULL, NULL, NULL);
  entry_eq(&sm->entries[2], "http://www.cqjb.gov.cn/zwxx/mtjj/202305/t20230506_11912339.html",
           NULL, NULL, NULL);
  mw_sitemap_free(sm);
}

static void test_entity_bomb(void **state) {
  (void)state;
  /* Neither the internal entities nor the external one are expanded. */
  struct mw_sitemap *sm = parse_file("entity_bomb.xml", NULL);
  assert_int_equal(sm->n_entries, 3);
  assert_string_equal(sm->entries[0].loc, "http://a.example.cn/");
  assert_string_equal(sm->entries[1].loc, "http://a.example.cn/x");
  assert_string_equal(sm->entries[2].loc, "http://a.example.cn/ok.html");
  mw_sitemap_free(sm);
}

/* gzip of n zero bytes after a sitemap's opening tags. */
static unsigned char *gzip_zeros(size_t n, size_t *out_len) {
  z_stream z;
  memset(&z, 0, sizeof z);
  assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 9,
                                Z_DEFAULT_STRATEGY),
                   Z_OK);
  size_t cap = n / 500 + 4096;
  unsigned char *out = malloc(cap);
  assert_non_null(out);
  static const char head[] = "<urlset><url><loc>http://a.cn/</loc></url>";
  static unsigned char zeros[1 << 16];
  z.next_out = out;
  z.avail_out = (uInt)cap;
  z.next_in = (Bytef *)head;
  z.avail_in = sizeof head - 1;
  assert_int_equal(deflate(&z, Z_NO_FLUSH), Z_OK);
  for (size_t done = 0; done < n;) {
    size_t k = n - done < sizeof zeros ? n - done : sizeof zeros;
    z.next_in = zeros;
    z.avail_in = (uInt)k;
    assert_int_equal(deflate(&z, Z_NO_FLUSH), Z_OK);
    done += k;
  }
  assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
  *out_len = cap - z.avail_out;
  deflateEnd(&z);
  return out;
}

static void test_gzip_bomb(void **state) {
  (void)state;
  size_t len;
  unsigned char *gz = gzip_zeros(51u << 20, &len);
  assert_true(len < 200000); /* 51 MB of zeros is a few tens of KB */
  struct mw_sitemap *sm = NULL;
  struct mw_err err = {0};
  assert_int_equal(mw_sitemap_parse((const char *)gz, len, "http://a.cn/s.xml.gz",
                                    CN_OFFSET, &sm, &err),
                   MW_ETOOBIG);
  assert_null(sm);
  assert_non_null(strstr(err.msg, "50 MB"));
  free(gz);
  /* Corrupt gzip data. */
  static const char bad[] = "\x1f\x8b\x08\x00garbage-garbage-garbage";
  assert_int_equal(mw_sitemap_parse(bad, sizeof bad - 1, "http://a.cn/s.xml.gz",
                                    CN_OFFSET, &sm, &err),
                   MW_EPARSE);
  assert_non_null(strstr(err.msg, "gzip"));
}

static void test_entry_limit(void **state) {
  (void)state;
  struct mw_buf b;
  mw_buf_init(&b, 16u << 20);
  mw_buf_puts(&b, "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">");
  for (int i = 0; i < 50010; i++)
    mw_buf_printf(&b, "<url><loc>http://a.cn/%d.html</loc></url>\n", i);
  mw_buf_puts(&b, "</urlset>");
  struct mw_sitemap *sm = NULL;
  struct mw_err err = {0};
  assert_int_equal(mw_sitemap_parse(b.data, b.len, NULL, CN_OFFSET, &sm, &err), MW_OK);
  assert_int_equal(sm->n_entries, 50000);
  assert_string_equal(sm->entries[49999].loc, "http://a.cn/49999.html");
  mw_sitemap_free(sm);
  mw_buf_cleanup(&b);
}

static void test_broken_and_wrong(void **state) {
  (void)state;
  struct mw_sitemap *sm = NULL;
  struct mw_err err = {0};
  /* Cut off in the middle: what came before is kept. */
  static const char cut[] =
      "<urlset><url><loc>http://a.cn/1.html</loc></url><url><loc>http://a.cn/2.h";
  assert_int_equal(mw_sitemap_parse(cut, sizeof cut - 1, NULL, CN_OFFSET, &sm, &err),
                   MW_OK);
  assert_int_equal(sm->n_entries, 1);
  assert_string_equal(sm->entries[0].loc, "http://a.cn/1.html");
  mw_sitemap_free(sm);
  /* An empty urlset is a sitemap with nothing in it. */
  assert_int_equal(mw_sitemap_parse("<urlset/>", 9, NULL, CN_OFFSET, &sm, &err), MW_OK);
  assert_int_equal(sm->n_entries, 0);
  mw_sitemap_free(sm);
  /* Not sitemaps. */
  static const char rss[] = "<?xml version=\"1.0\"?><rss><channel><item><link>"
                            "http://a.cn/1</link></item></channel></rss>";
  assert_int_equal(mw_sitemap_parse(rss, sizeof rss - 1, "http://a.cn/rss.xml",
                                    CN_OFFSET, &sm, &err),
                   MW_EPARSE);
  assert_null(sm);
  assert_non_null(strstr(err.msg, "http://a.cn/rss.xml"));
  assert_int_equal(mw_sitemap_parse("  \n", 3, NULL, CN_OFFSET, &sm, &err), MW_EPARSE);
  assert_int_equal(mw_sitemap_parse(NULL, 0, NULL, CN_OFFSET, &sm, &err), MW_EPARSE);
  assert_int_equal(mw_sitemap_parse("hello world", 11, NULL, CN_OFFSET, &sm, &err),
                   MW_EPARSE);
  mw_sitemap_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_urlset),       cmocka_unit_test(test_index),
      cmocka_unit_test(test_news),         cmocka_unit_test(test_text),
      cmocka_unit_test(test_entity_bomb),  cmocka_unit_test(test_gzip_bomb),
      cmocka_unit_test(test_entry_limit),  cmocka_unit_test(test_broken_and_wrong),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
