/*
 * test_normalize.c: matchers/normalize.c. Full-width letters, digits and
 * punctuation, case, zero-width characters, white space (collapsed, and
 * dropped between CJK characters), bad UTF-8, combining marks, and the
 * offset map that takes normalised offsets back to the original text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "matchers/matchers.h"
#include "matchers/norm.h"

/* The character table mw_norm_text needs, built once for the group. */
static struct mw_norm_table *the_table;

static const struct mw_norm_table *table(void) { return the_table; }

static int setup(void **state) {
  (void)state;
  return mw_norm_table_new(&the_table);
}

static int teardown(void **state) {
  (void)state;
  mw_norm_table_free(the_table);
  return 0;
}

static void check(const char *in, const char *want) {
  struct mw_buf b;
  mw_buf_init(&b, 4096);
  assert_int_equal(mw_text_normalize(in, strlen(in), &b), MW_OK);
  if (strcmp(b.data ? b.data : "", want))
    fail_msg("normalising '%s'\n got:  '%s'\n want: '%s'", in,
             b.data ? b.data : "", want);
  mw_buf_cleanup(&b);
}

static void test_forms(void **state) {
  (void)state;
  check("ＷＨＯ发布２０２３年报告", "who发布2023年报告"); /* full-width */
  check("PM2.5超标", "pm2.5超标");                      /* case */
  check("无\xE2\x80\x8B废城市", "无废城市");             /* zero-width space */
  check("无\xE2\x80\x8C废\xE2\x80\x8D城\xEF\xBB\xBF市", "无废城市"); /* ZWNJ ZWJ BOM */
  check("垃圾\xC2\xAD分类", "垃圾分类");                 /* soft hyphen */
  check("①号文件", "1号文件");                          /* compatibility */
  check("（一）树立理念：“无废”！", "(一)树立理念:“无废”!");
  check("ＡＢＣ　ｄｅｆ", "abc def"); /* ideographic space between Latin */
  check("Straße", "strasse");
  check("ﬁle", "file");
  check("", "");
}

static void test_spaces(void **state) {
  (void)state;
  check("无 废 城 市", "无废城市");
  check("无　废\t城\n市", "无废城市");       /* any white space */
  check("无\xC2\xA0废", "无废");              /* no-break space */
  check("无 \xE2\x80\x8B 废", "无废");        /* spaces around a zero-width */
  check("长春 PM2.5 超标", "长春 pm2.5 超标"); /* CJK next to Latin: kept */
  check("zero   waste\t\tcity", "zero waste city"); /* collapsed */
  check("  无废城市  ", "无废城市");           /* trimmed */
  check("建设。 无废", "建设。无废");           /* CJK punctuation is CJK */
  check("a\0b", "a");                           /* strlen stops at NUL */
  struct mw_buf b;
  mw_buf_init(&b, 64);
  assert_int_equal(mw_text_normalize("a\0b", 3, &b), MW_OK);
  assert_string_equal(b.data, "a b"); /* NUL is a space */
  mw_buf_cleanup(&b);
}

static void test_marks(void **state) {
  (void)state;
  check("cafe\xCC\x81", "caf\xC3\xA9");   /* e + combining acute composes */
  check("CAFE\xCC\x81", "caf\xC3\xA9");
  check("无\xCC\x81", "无\xCC\x81");       /* a mark after Han stays */
  check("\xCC\x81x", "\xCC\x81x");         /* a mark at the start */
  check("\xE3\x84\xB1\xE3\x85\x8F", "\xEA\xB0\x80"); /* compat jamo compose */
  check("𠀀𝐀", "𠀀a");                     /* outside the BMP */
}

static void test_invalid_utf8(void **state) {
  (void)state;
  const char bad[] = {'a', (char)0xFF, 'b', (char)0xE6, 0};
  check(bad, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
  const char cut[] = {(char)0xE6, (char)0x97, 'x', 0}; /* truncated 无 */
  check(cut, "\xEF\xBF\xBD\xEF\xBF\xBDx");
}

static void test_ceiling(void **state) {
  (void)state;
  struct mw_buf b;
  mw_buf_init(&b, 8);
  assert_int_equal(mw_text_normalize("无废城市建设", 18, &b), MW_ETOOBIG);
  mw_buf_cleanup(&b);
}

/* Normalises s with its map; checks that normalised [ns, ne) comes back
 * as original [os, oe). */
static void check_map(const char *s, size_t ns, size_t ne, size_t os,
                      size_t oe) {
  struct mw_buf b;
  struct mw_norm_map map;
  mw_buf_init(&b, 4096);
  mw_norm_map_init(&map, 1024);
  assert_int_equal(mw_norm_text(table(), s, strlen(s), &b, &map), MW_OK);
  size_t gs = mw_norm_map_start(&map, ns), ge = mw_norm_map_end(&map, ne);
  if (gs != os || ge != oe)
    fail_msg("'%s' -> '%s': [%zu, %zu) mapped to [%zu, %zu), want [%zu, %zu)",
             s, b.data, ns, ne, gs, ge, os, oe);
  mw_buf_cleanup(&b);
  mw_norm_map_cleanup(&map);
}

static void test_offsets(void **state) {
  (void)state;
  /* Plain text maps to itself and records nothing. */
  struct mw_buf b;
  struct mw_norm_map map;
  mw_buf_init(&b, 4096);
  mw_norm_map_init(&map, 64);
  const char *plain = "长春市激活无废细胞, abc";
  assert_int_equal(mw_norm_text(table(), plain, strlen(plain), &b, &map), MW_OK);
  assert_int_equal(map.n, 0);
  mw_buf_cleanup(&b);
  mw_norm_map_cleanup(&map);
  check_map("长春市激活无废细胞", 15, 27, 15, 27);
  /* "建设无 废 城 市" -> "建设无废城市": 无废城市 at 6..18 */
  check_map("建设无 废 城 市", 6, 18, 6, 21);
  check_map("建设无 废 城 市", 9, 12, 10, 13); /* 废 alone */
  /* full-width: "ＰＭ２．５超标" -> "pm2.5超标"; 超标 at 5..11 */
  check_map("ＰＭ２．５超标", 5, 11, 15, 21);
  check_map("ＰＭ２．５超标", 0, 5, 0, 15);
  check_map("ＰＭ２．５超标", 1, 2, 3, 6); /* m */
  /* a zero-width character inside the hit is inside the span */
  check_map("无\xE2\x80\x8B废城市", 0, 12, 0, 15);
  check_map("\xE2\x80\x8B无废", 0, 6, 3, 9); /* dropped before the hit */
  /* a ligature: a hit inside one original character widens to it */
  check_map("ﬁle", 1, 3, 0, 4);
  /* ㍿ -> 株式会社: 会社 is inside the one original character */
  check_map("ab㍿", 8, 14, 2, 5);
  /* collapsed white space */
  check_map("zero   waste", 5, 10, 7, 12);
  /* the normalised length of a map never runs past the original */
  check_map("ＡＢ", 2, 2, 6, 6);
}

static void test_map_ceiling(void **state) {
  (void)state;
  struct mw_buf b;
  struct mw_norm_map map;
  mw_buf_init(&b, 4096);
  mw_norm_map_init(&map, 2);
  assert_int_equal(mw_norm_text(table(), "ＡＢＣ", 9, &b, &map), MW_ETOOBIG);
  mw_buf_cleanup(&b);
  mw_norm_map_cleanup(&map);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_forms),      cmocka_unit_test(test_spaces),
      cmocka_unit_test(test_marks),      cmocka_unit_test(test_invalid_utf8),
      cmocka_unit_test(test_ceiling),    cmocka_unit_test(test_offsets),
      cmocka_unit_test(test_map_ceiling),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
