/*
 * test_charset.c: mw_charset_detect and mw_charset_decode (crawler/charset.c):
 * each source of a label in its order of precedence, labels that lie about
 * the bytes, sniffing without a label, the 4 KB bound of the meta scan,
 * and decoding with replacement, ceilings and unknown charsets; then
 * mw_charset_decode_page, which must give what the two give, on crafted
 * pages and every fixture page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dirent.h>
#include <sys/stat.h>

#include "tests/testdata.h"
#include "crawler/crawler.h"
#include "crawler/html.h"

/* 无废城市 and 垃圾分类宣传周 in GBK, 城市 in Big5. */
#define GBK_WUFEI "\xCE\xDE\xB7\xCF\xB3\xC7\xCA\xD0"
#define GBK_LAJI "\xC0\xAC\xBB\xF8\xB7\xD6\xC0\xE0\xD0\xFB\xB4\xAB\xD6\xDC"
#define BIG5_CHENGSHI "\xAB\xB0\xA5\xAB"

static char *load(const char *name, size_t *len) {
  return mw_test_data_read("crawler/charset", name, len);
}

static void detect_eq(const char *data, size_t len, const char *http,
                      const char *name, const char *why) {
  struct mw_charset_guess g;
  memset(&g, 0x55, sizeof g);
  mw_charset_detect(data, len, http, &g);
  assert_string_equal(g.name, name);
  assert_non_null(g.why);
  assert_string_equal(g.why, why);
}
#define DETECT(lit, http, name, why) \
  detect_eq(lit, sizeof(lit) - 1, http, name, why)

static void test_bom(void **state) {
  (void)state;
  /* A BOM beats an HTTP label and a meta label. */
  DETECT("\xEF\xBB\xBF<meta charset=gbk><p>\xE6\x97\xA0</p>", "gb2312", "UTF-8",
         "byte-order mark");
  DETECT("\xFF\xFE<\0p\0", NULL, "UTF-16LE", "byte-order mark");
  DETECT("\xFE\xFF\0<\0p", "utf-8", "UTF-16BE", "byte-order mark");
}

static void test_http_label(void **state) {
  (void)state;
  /* The HTTP label beats <meta>; GBK-family labels are GB18030. */
  DETECT("<meta charset=\"utf-8\"><p>" GBK_WUFEI "</p>", "GBK", "GB18030",
         "HTTP header");
  DETECT("<p>" GBK_WUFEI "</p>", " \"gb2312\" ", "GB18030", "HTTP header");
  DETECT("<p>" GBK_WUFEI "</p>", "x-gbk", "GB18030", "HTTP header");
  DETECT("<p>" GBK_WUFEI "</p>", "CP936", "GB18030", "HTTP header");
  DETECT("<p>" BIG5_CHENGSHI "</p>", "big5", "BIG5", "HTTP header");
  /* An unknown label is no label. */
  DETECT("<p>" GBK_WUFEI "</p>", "no-such-charset", "GB18030",
         "sniffed: GB18030");
}

static void test_meta(void **state) {
  (void)state;
  DETECT("<html><head><META Charset='GB2312'></head><p>" GBK_WUFEI "</p>",
         NULL, "GB18030", "meta charset");
  DETECT("<head><meta http-equiv=\"Content-Type\" content=\"text/html; "
         "charset=gbk\" /></head><p>" GBK_LAJI "</p>",
         NULL, "GB18030", "meta http-equiv");
  DETECT("<head><meta content=\"text/html;charset=GB18030\" "
         "http-equiv=\"content-type\"></head><p>" GBK_LAJI "</p>",
         NULL, "GB18030", "meta http-equiv");
  /* A meta without charset, then one with it. */
  DETECT("<meta name=\"keywords\" content=\"x\"><meta charset=big5><p>"
         BIG5_CHENGSHI "</p>",
         NULL, "BIG5", "meta charset");
  /* A commented-out meta is not read. */
  DETECT("<!-- <meta charset=\"utf-8\"> --><meta charset=\"gbk\"><p>" GBK_WUFEI
         "</p>",
         NULL, "GB18030", "meta charset");
  /* <metadata> is not <meta>. */
  DETECT("<metadata charset=big5><p>" GBK_WUFEI "</p>", NULL, "GB18030",
         "sniffed: GB18030");
}

static void test_meta_after_4k(void **state) {
  (void)state;
  /* A label past the first 4 KB is not seen: the bytes decide. */
  size_t pad = 4100;
  char *buf = malloc(pad + 64);
  assert_non_null(buf);
  memset(buf, ' ', pad);
  const char tail[] = "<meta charset=\"big5\"><p>" GBK_WUFEI "</p>";
  memcpy(buf + pad, tail, sizeof tail - 1);
  detect_eq(buf, pad + sizeof tail - 1, NULL, "GB18030", "sniffed: GB18030");
  /* ... and one inside it is. */
  detect_eq(buf + 200, pad - 200 + sizeof tail - 1, NULL, "BIG5",
            "meta charset");
  free(buf);
}

static void test_xml_declaration(void **state) {
  (void)state;
  DETECT("<?xml version=\"1.0\" encoding=\"gb2312\"?><html><p>" GBK_WUFEI
         "</p></html>",
         NULL, "GB18030", "XML declaration");
  /* <meta> comes before the declaration. */
  DETECT("<?xml version=\"1.0\" encoding=\"big5\"?><html><meta "
         "charset=gbk><p>" GBK_WUFEI "</p></html>",
         NULL, "GB18030", "meta charset");
}

static void test_labels_that_lie(void **state) {
  (void)state;
  /* Labelled UTF-8, bytes GBK. */
  DETECT("<meta charset=\"utf-8\"><title>" GBK_WUFEI "</title><p>" GBK_LAJI
         "</p>",
         NULL, "GB18030", "label ignored: not valid UTF-8");
  DETECT("<p>" GBK_LAJI "</p>", "utf-8", "GB18030",
         "label ignored: not valid UTF-8");
  /* Labelled GBK, bytes valid UTF-8 with multi-byte sequences. */
  DETECT("<meta charset=\"gb2312\"><p>无废城市建设</p>", NULL, "UTF-8",
         "label ignored: valid UTF-8");
  DETECT("<p>无废城市</p>", "gbk", "UTF-8", "label ignored: valid UTF-8");
  /* Labelled GBK, bytes pure ASCII: the label stands. */
  DETECT("<meta charset=\"gb2312\"><p>hello</p>", NULL, "GB18030",
         "meta charset");
  /* Labelled UTF-8 with one broken byte among much UTF-8: still UTF-8. */
  DETECT("<meta charset=\"utf-8\"><p>吉林省全域无废城市建设工作推进组文件，"
         "吉林省生态环境厅\xB7</p>",
         NULL, "UTF-8", "meta charset");
  /* UTF-16 in an ASCII label cannot be true. */
  DETECT("<meta charset=\"utf-16\"><p>无废</p>", NULL, "UTF-8",
         "sniffed: valid UTF-8");
}

static void test_sniffing(void **state) {
  (void)state;
  DETECT("<p>垃圾分类</p>", NULL, "UTF-8", "sniffed: valid UTF-8");
  DETECT("<p>" GBK_WUFEI GBK_LAJI "</p>", NULL, "GB18030", "sniffed: GB18030");
  DETECT("<p>plain ASCII</p>", NULL, "UTF-8", "default");
  detect_eq("", 0, NULL, "UTF-8", "default");
  detect_eq(NULL, 0, NULL, "UTF-8", "default");
  /* A UTF-8 sequence cut off by the end of the body is not evidence. */
  DETECT("<p>无废\xE5\x9F", NULL, "UTF-8", "sniffed: valid UTF-8");
}

static void test_fixture_page(void **state) {
  (void)state;
  size_t len, want_len;
  char *page = load("gbk_page.html", &len);
  char *want = load("gbk_page.expected.txt", &want_len);
  struct mw_charset_guess g;
  mw_charset_detect(page, len, NULL, &g);
  assert_string_equal(g.name, "GB18030");
  assert_string_equal(g.why, "meta http-equiv");
  struct mw_buf out;
  mw_buf_init(&out, 1 << 20);
  size_t replaced = 99;
  struct mw_err err = {0};
  assert_int_equal(mw_charset_decode(page, len, g.name, &out, &replaced, &err),
                   MW_OK);
  assert_int_equal(replaced, 0);
  assert_int_equal(out.len, want_len);
  assert_memory_equal(out.data, want, want_len);
  mw_buf_cleanup(&out);
  free(page);
  free(want);
}

static void decode_eq(const char *in, size_t n, const char *cs,
                      const char *want, size_t want_replaced) {
  struct mw_buf out;
  mw_buf_init(&out, 1 << 16);
  size_t replaced = 77;
  struct mw_err err = {0};
  assert_int_equal(mw_charset_decode(in, n, cs, &out, &replaced, &err), MW_OK);
  assert_string_equal(out.data, want);
  assert_int_equal(replaced, want_replaced);
  mw_buf_cleanup(&out);
}
#define DECODE(lit, cs, want, nrep) decode_eq(lit, sizeof(lit) - 1, cs, want, nrep)

static void test_decode(void **state) {
  (void)state;
  DECODE(GBK_WUFEI "," GBK_LAJI, "GB18030", "无废城市,垃圾分类宣传周", 0);
  DECODE(GBK_WUFEI, "gb2312", "无废城市", 0);
  DECODE(BIG5_CHENGSHI, "Big5", "城市", 0);
  /* GB18030 four-byte forms: U+00C0 is 81 30 86 38, U+1F600 94 39 FC 36. */
  DECODE("\x81\x30\x86\x38 \x94\x39\xFC\x36", "GBK", "À 😀", 0);
  /* Bad bytes become U+FFFD and are counted; decoding goes on. */
  DECODE("\xCE\xDE\x80\xB7\xCF", "GB18030", "无\xEF\xBF\xBD废", 1);
  DECODE("\xCE\xDE\xFF\xFF\xB7\xCF", "GB18030",
         "无\xEF\xBF\xBD\xEF\xBF\xBD废", 2);
  /* A lead byte cut off by the end of the body: one replacement. */
  DECODE("\xCE\xDE\xB7", "GB18030", "无\xEF\xBF\xBD", 1);
  /* UTF-8: BOM dropped, bad bytes replaced, cut-off tail one U+FFFD. */
  DECODE("\xEF\xBB\xBF无废", "UTF-8", "无废", 0);
  DECODE("a\xFF" "b\xC3", "utf-8", "a\xEF\xBF\xBD" "b\xEF\xBF\xBD", 2);
  DECODE("无废\xE5\x9F", "UTF-8", "无废\xEF\xBF\xBD", 1);
  DECODE("", "GB18030", "", 0);
  DECODE("", "UTF-8", "", 0);
  /* UTF-16 with its BOM. */
  DECODE("\xFF\xFE\x60\x4F\x7D\x59", "UTF-16LE", "你好", 0);
  /* windows-1252 for Latin-1 labels. */
  DECODE("\x80 caf\xE9", "iso-8859-1", "€ café", 0);
  /* replaced may be NULL. */
  struct mw_buf out;
  mw_buf_init(&out, 100);
  assert_int_equal(mw_charset_decode("\x80", 1, "GBK", &out, NULL, NULL), MW_OK);
  assert_string_equal(out.data, "\xEF\xBF\xBD");
  mw_buf_cleanup(&out);
}

static void test_decode_errors(void **state) {
  (void)state;
  struct mw_buf out;
  struct mw_err err = {0};
  mw_buf_init(&out, 100);
  assert_int_equal(mw_charset_decode("abc", 3, "klingon-8", &out, NULL, &err),
                   MW_EINVAL);
  assert_non_null(strstr(err.msg, "klingon-8"));
  assert_int_equal(mw_charset_decode("abc", 3, NULL, &out, NULL, &err),
                   MW_EINVAL);
  /* The buffer's ceiling stops the output: 4 GBK characters are 12 bytes
   * of UTF-8, over a 10-byte ceiling. */
  mw_buf_cleanup(&out);
  mw_buf_init(&out, 10);
  assert_int_equal(mw_charset_decode(GBK_WUFEI, 8, "GBK", &out, NULL, &err),
                   MW_ETOOBIG);
  mw_buf_reset(&out);
  assert_int_equal(
      mw_charset_decode("无废城市", strlen("无废城市"), "UTF-8", &out, NULL, &err),
      MW_ETOOBIG);
  mw_buf_cleanup(&out);
  /* Appending: what was in the buffer stays. */
  mw_buf_init(&out, 100);
  assert_int_equal(mw_buf_puts(&out, "x:"), MW_OK);
  assert_int_equal(mw_charset_decode(GBK_WUFEI, 4, "GBK", &out, NULL, &err),
                   MW_OK);
  assert_string_equal(out.data, "x:无废");
  mw_buf_cleanup(&out);
}

/* mw_charset_decode_page gives what detect then decode give: the guess,
 * the bytes, the replacements, the return code. */
static void page_eq(const char *in, size_t n, const char *http, size_t max) {
  struct mw_charset_guess g1, g2;
  struct mw_buf a, b;
  struct mw_err e1 = {0}, e2 = {0};
  size_t r1 = 11, r2 = 22;
  mw_buf_init(&a, max);
  mw_buf_init(&b, max);
  mw_charset_detect(in, n, http, &g1);
  int rc1 = mw_charset_decode(in, n, g1.name, &a, &r1, &e1);
  int rc2 = mw_charset_decode_page(in, n, http, &g2, &b, &r2, &e2);
  assert_string_equal(g1.name, g2.name);
  assert_ptr_equal(g1.why, g2.why);
  assert_int_equal(rc1, rc2);
  if (rc1) assert_string_equal(e1.msg, e2.msg);
  assert_int_equal(r1, r2);
  assert_int_equal(a.len, b.len);
  if (a.len) assert_memory_equal(a.data, b.data, a.len);
  mw_buf_cleanup(&a);
  mw_buf_cleanup(&b);
}
#define PAGE(lit, http) page_eq(lit, sizeof(lit) - 1, http, 1 << 16)

static void page_files(const char *dir, size_t *seen) {
  DIR *d = opendir(dir);
  if (!d) fail_msg("cannot open %s", dir);
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    size_t l = strlen(e->d_name);
    if (S_ISDIR(st.st_mode)) {
      page_files(path, seen);
      continue;
    }
    if (l < 5 || strcmp(e->d_name + l - 5, ".html")) continue;
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc((size_t)st.st_size + 1);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (size_t)st.st_size, f);
    fclose(f);
    page_eq(buf, n, NULL, 1 << 22);
    page_eq(buf, n, "utf-8", 1 << 22);
    page_eq(buf, n, "gbk", 1 << 22);
    page_eq(buf, n, NULL, n / 2); /* over the ceiling */
    free(buf);
    (*seen)++;
  }
  closedir(d);
}

static void test_decode_page(void **state) {
  (void)state;
  PAGE("<p>垃圾分类</p>", NULL);
  PAGE("<p>垃圾分类</p>", "gbk"); /* label ignored: valid UTF-8 */
  PAGE("<p>" GBK_WUFEI GBK_LAJI "</p>", NULL);
  PAGE("<meta charset=utf-8><p>" GBK_WUFEI GBK_LAJI "</p>", NULL);
  PAGE("<p>plain ASCII</p>", NULL);
  PAGE("", NULL);
  PAGE("<p>无废\xE5\x9F", NULL); /* cut off: one U+FFFD */
  PAGE("<p>无废\xE5\x9F", "utf-8");
  PAGE("<p>无废\xFF城市分类宣传周无废城市</p>", "utf-8"); /* one bad byte */
  PAGE("\xEF\xBB\xBF<p>无废</p>", NULL);        /* BOM */
  PAGE("\xFF\xFE\x60\x4F\x7D\x59", NULL);       /* UTF-16 */
  PAGE("\xED\xA0\x80\xF4\x90\x80\x80\xE0\x80\x80", "utf-8"); /* invalid */
  page_eq(NULL, 0, NULL, 100);
  page_eq("<p>无废城市</p>", strlen("<p>无废城市</p>"), NULL, 8); /* ceiling */
  /* a page larger than the sniffed megabyte */
  size_t big = 1200000;
  char *p = malloc(big);
  assert_non_null(p);
  for (size_t i = 0; i + 3 <= big; i += 3) memcpy(p + i, "无", 3);
  page_eq(p, big, NULL, 4u << 20);
  free(p);
  size_t seen = 0;
  const char *root = getenv("MW_TEST_DATA");
  char dir[1024];
  snprintf(dir, sizeof dir, "%s/crawler", root ? root : "tests/data");
  page_files(dir, &seen);
  snprintf(dir, sizeof dir, "%s/sites", root ? root : "tests/data");
  page_files(dir, &seen);
  assert_true(seen >= 40); /* every .html of the crawler and sites fixtures */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bom),
      cmocka_unit_test(test_http_label),
      cmocka_unit_test(test_meta),
      cmocka_unit_test(test_meta_after_4k),
      cmocka_unit_test(test_xml_declaration),
      cmocka_unit_test(test_labels_that_lie),
      cmocka_unit_test(test_sniffing),
      cmocka_unit_test(test_fixture_page),
      cmocka_unit_test(test_decode),
      cmocka_unit_test(test_decode_errors),
      cmocka_unit_test(test_decode_page),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
