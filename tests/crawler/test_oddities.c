/*
 * test_oddities.c: mw_text_oddities (crawler/oddities.c) on the real
 * government documents of tests/data/crawler/oddities/ (copies of the
 * project's seeds), read right and read wrong: their GBK bytes read as
 * windows-1252 and their UTF-8 bytes read as GB18030, as a misdetected
 * charset would; and on replacement characters, invalid bytes, other
 * scripts, empty input, the length bound and a NUL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crawler/crawler.h"
#include "tests/testdata.h"

static const char *const seeds[] = {
    "000_7da123a9e609af01.txt", "001_d1166dc77cc66cc9.txt",
    "002_bd2c47c6a657cd89.txt", "003_78f639f54b693a6d.txt",
    "004_8f2bda9247647e94.txt",
};
#define N_SEEDS (sizeof seeds / sizeof seeds[0])

/* s[0..n) converted from one charset to another with iconv; a byte that
 * does not convert becomes U+FFFD (to UTF-8) and is skipped. Returns a
 * malloc'd, NUL-terminated string, its length in *out_len. */
static char *convert(const char *s, size_t n, const char *from, const char *to,
                     size_t *out_len) {
  iconv_t cd = iconv_open(to, from);
  assert_true(cd != (iconv_t)-1);
  size_t cap = n * 4 + 16, used = 0;
  char *out = malloc(cap);
  assert_non_null(out);
  char *ip = (char *)s;
  size_t il = n;
  while (il > 0) {
    char *op = out + used;
    size_t ol = cap - used - 4;
    size_t r = iconv(cd, &ip, &il, &op, &ol);
    used = (size_t)(op - out);
    if (r != (size_t)-1) break;
    assert_true(errno == EILSEQ || errno == EINVAL);
    if (!strcmp(to, "UTF-8")) {
      memcpy(out + used, "\xef\xbf\xbd", 3);
      used += 3;
    }
    ip++; /* skip the byte that does not convert */
    il--;
    iconv(cd, NULL, NULL, NULL, NULL);
  }
  iconv_close(cd);
  out[used] = '\0';
  *out_len = used;
  return out;
}

static double ratio(const char *s, size_t n, int64_t *chars_out) {
  int64_t chars = -1, odd = -1;
  mw_text_oddities(s, n, &chars, &odd);
  assert_true(chars >= 0 && odd >= 0 && odd <= chars);
  if (chars_out) *chars_out = chars;
  return chars ? (double)odd / (double)chars : 0.0;
}

static void test_seeds_read_right(void **state) {
  (void)state;
  for (size_t i = 0; i < N_SEEDS; i++) {
    size_t len;
    char *text = mw_test_data_read("crawler/oddities", seeds[i], &len);
    int64_t chars;
    double r = ratio(text, len, &chars);
    if (chars < 1000 || r >= 0.01)
      fail_msg("%s: %lld chars, %.2f%% odd", seeds[i], (long long)chars,
               r * 100);
    free(text);
  }
}

static void test_gbk_read_as_windows_1252(void **state) {
  (void)state;
  for (size_t i = 0; i < N_SEEDS; i++) {
    size_t len, glen, mlen;
    char *text = mw_test_data_read("crawler/oddities", seeds[i], &len);
    char *gbk = convert(text, len, "UTF-8", "GBK", &glen);
    char *moji = convert(gbk, glen, "WINDOWS-1252", "UTF-8", &mlen);
    double r = ratio(moji, mlen, NULL);
    if (r <= 0.5) fail_msg("%s: only %.2f%% odd", seeds[i], r * 100);
    free(text);
    free(gbk);
    free(moji);
  }
}

static void test_utf8_read_as_gb18030(void **state) {
  (void)state;
  for (size_t i = 0; i < N_SEEDS; i++) {
    size_t len, mlen;
    char *text = mw_test_data_read("crawler/oddities", seeds[i], &len);
    char *moji = convert(text, len, "GB18030", "UTF-8", &mlen);
    double r = ratio(moji, mlen, NULL);
    if (r <= 0.3) fail_msg("%s: only %.2f%% odd", seeds[i], r * 100);
    free(text);
    free(moji);
  }
}

static void count(const char *s, size_t n, int64_t chars, int64_t odd) {
  int64_t c = -1, o = -1;
  mw_text_oddities(s, n, &c, &o);
  if (c != chars || o != odd)
    fail_msg("\"%s\": %lld chars %lld odd, want %lld %lld", s, (long long)c,
             (long long)o, (long long)chars, (long long)odd);
}

static void test_characters(void **state) {
  (void)state;
  /* ASCII is not counted at all. */
  count("Hello, world 2023", 17, 0, 0);
  /* GB2312 hanzi, CJK punctuation, full-width forms: counted, not odd. */
  count("国务院办公厅关于印发", strlen("国务院办公厅关于印发"), 10, 0);
  count("“无废城市”。、《》〔2023〕", strlen("“无废城市”。、《》〔2023〕"),
        12, 0);
  count("ＡＢＣ１２３（）", strlen("ＡＢＣ１２３（）"), 8, 0);
  /* Greek, Cyrillic: other scripts, counted, not odd. */
  count("αβγ Россия", strlen("αβγ Россия"), 9, 0);
  /* Replacement characters. */
  count("\xef\xbf\xbd\xef\xbf\xbd通知", 12, 4, 2);
  /* Latin-1 (GBK read as windows-1252), C1 controls. */
  count("Ã¨Â¯\xc2\x85", 10, 5, 5);
  /* Private use. */
  count("\xee\x80\x80\xef\xa3\xbf", 6, 2, 2);
  count("\xf3\xb0\x80\x80", 4, 1, 1); /* plane 15 */
  /* Hanzi outside GB2312: 們 (U+5011, traditional), 㐀 (Ext A), 𠀀 (Ext
   * B), 丟 (U+4E1F); 涓 (U+6D93, what "中" first becomes read as GBK) is
   * in GB2312, the rest of such text mostly is not. */
  count("們", 3, 1, 1);
  count("涓", 3, 1, 0);
  count("\xe3\x90\x80", 3, 1, 1);
  count("\xf0\xa0\x80\x80", 4, 1, 1);
  count("丟", 3, 1, 1);
  /* The edges of the GB2312 block: 啊 (first, B0A1) and 齄 (last, F7FE). */
  count("啊齄", 6, 2, 0);
  /* Invalid UTF-8: every bad byte is one odd character. */
  count("\xff", 1, 1, 1);
  count("a\x80z", 3, 1, 1);
  count("\xe4\xb8", 2, 2, 2);             /* cut sequence */
  count("\xc0\xaf", 2, 2, 2);             /* overlong '/' */
  count("\xed\xa0\x80", 3, 3, 3);         /* a surrogate */
  count("\xf4\x90\x80\x80", 4, 4, 4);     /* beyond U+10FFFF */
  count("通\xb8知", 7, 3, 1);
}

static void test_bounds(void **state) {
  (void)state;
  /* Empty input, and NULL outputs. */
  count("", 0, 0, 0);
  count("国", 0, 0, 0);
  mw_text_oddities("們", 3, NULL, NULL);
  int64_t c = -1;
  mw_text_oddities("們", 3, &c, NULL);
  assert_int_equal(c, 1);
  /* A NUL stops the count. */
  count("国\0們們", 10, 1, 0);
  /* len is honoured: a buffer without a NUL, its last character cut by
   * len (read as invalid bytes, never past len). */
  char *buf = malloc(6);
  assert_non_null(buf);
  memcpy(buf, "国家", 6); /* no terminator */
  count(buf, 6, 2, 0);
  count(buf, 5, 3, 2); /* 国 then two bytes of 家 */
  count(buf, 3, 1, 0);
  free(buf);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_seeds_read_right),
      cmocka_unit_test(test_gbk_read_as_windows_1252),
      cmocka_unit_test(test_utf8_read_as_gb18030),
      cmocka_unit_test(test_characters),
      cmocka_unit_test(test_bounds),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
