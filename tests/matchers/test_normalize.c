/*
 * test_normalize.c: matchers/normalize.c. Full-width letters, digits and
 * punctuation, case, zero-width characters, white space (collapsed, and
 * dropped between CJK characters), bad UTF-8, combining marks, the offset
 * map that takes normalised offsets back to the original text, the fast
 * paths for long Chinese text against the character-by-character one, and
 * the wide form the scan reads.
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
  assert_int_equal(mw_norm_text(table(), plain, strlen(plain), &b, &map),
                   MW_OK);
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

/* Normalises s[0, n) into b (reset) with map m (reset; may be NULL). */
static void norm(const char *s, size_t n, struct mw_buf *b,
                 struct mw_norm_map *m) {
  mw_buf_reset(b);
  if (m) mw_norm_map_reset(m);
  assert_int_equal(mw_norm_text(table(), s, n, b, m), MW_OK);
}

/* Long runs of ideographs go sixteen bytes at a time, short texts one
 * character at a time: a character put anywhere in a long run must come
 * out, with its offset map, as it does between the same two ideographs
 * alone (ideographs are their own normal form and start a piece). */
static void test_long_runs(void **state) {
  (void)state;
  static const char run[] = "无废城市建设是深入贯彻生态文明思想的重要举措吉林省"
                            "长春市全面推进生活垃圾分类工作广泛宣传发动群众积"
                            "极参与共同营造良好氛围取得明显成效";
  static const struct {
    const char *s;
    size_t n;
  } xs[] = {
      {"", 0},
      {"\xCC\x81", 2},          /* combining acute */
      {"\xE3\x82\x99", 3},      /* combining kana voiced mark */
      {"\xE1\x85\xA1", 3},      /* hangul vowel: combines, ccc 0 */
      {"\xE0\xB3\x95", 3},      /* U+0CD5: combines, ccc 0 */
      {"\xE2\x80\x8B", 3},      /* zero-width space */
      {"\xE3\x80\x80", 3},      /* ideographic space */
      {" ", 1},
      {" \t\n", 3},
      {"\0", 1},
      {"\xC2\xA0", 2},           /* no-break space */
      {"，", 3},
      {"：（）", 9},
      {"Ａ", 3},
      {"A", 1},
      {"PM2.5", 5},
      {"\xE4\xB7\x80", 3},      /* a hexagram: not CJK for spaces */
      {"\xE4\xB7\x80 ", 4},
      {" \xE4\xB7\xBF", 4},
      {"“", 3},
      {"” ", 4},
      {" “", 4},
      {"、", 3},
      {"。《》", 9},
      {"e\xCC\x81", 3},
      {"ﬁ", 3},
      {"①", 3},
      {"㍿", 3},
      {"\xF0\xA0\x80\x80", 4}, /* outside the BMP */
      {"\xFF", 1},
      {"\xE6\x97", 2},           /* a cut ideograph */
  };
  size_t chars = strlen(run) / 3;
  struct mw_buf whole, mid, text;
  struct mw_norm_map wm, mm;
  mw_buf_init(&whole, 1u << 16);
  mw_buf_init(&mid, 1u << 16);
  mw_buf_init(&text, 1u << 16);
  mw_norm_map_init(&wm, 1024);
  mw_norm_map_init(&mm, 1024);
  for (size_t x = 0; x < sizeof xs / sizeof xs[0]; x++)
    for (size_t p = 1; p < chars; p++) {
      /* run[0, p) X run[p, chars) */
      mw_buf_reset(&text);
      mw_buf_append(&text, run, 3 * p);
      mw_buf_append(&text, xs[x].s, xs[x].n);
      mw_buf_append(&text, run + 3 * p, strlen(run) - 3 * p);
      norm(text.data, text.len, &whole, &wm);
      /* run[p - 1] X run[p] alone */
      mw_buf_reset(&text);
      mw_buf_append(&text, run + 3 * (p - 1), 3);
      mw_buf_append(&text, xs[x].s, xs[x].n);
      mw_buf_append(&text, run + 3 * p, 3);
      norm(text.data, text.len, &mid, &mm);
      size_t before = 3 * (p - 1), after = strlen(run) - 3 * (p + 1);
      if (whole.len != before + mid.len + after ||
          memcmp(whole.data, run, before) ||
          memcmp(whole.data + before, mid.data, mid.len) ||
          memcmp(whole.data + before + mid.len, run + 3 * (p + 1), after))
        fail_msg("character %zu at %zu: '%s' but '%s' alone", x, p,
                 whole.data, mid.data);
      assert_int_equal(wm.n, mm.n);
      for (size_t k = 0; k < mm.n; k++) {
        assert_int_equal(wm.v[k].n0, mm.v[k].n0 + before);
        assert_int_equal(wm.v[k].n1, mm.v[k].n1 + before);
        assert_int_equal(wm.v[k].o0, mm.v[k].o0 + before);
        assert_int_equal(wm.v[k].o1, mm.v[k].o1 + before);
      }
    }
  mw_buf_cleanup(&whole);
  mw_buf_cleanup(&mid);
  mw_buf_cleanup(&text);
  mw_norm_map_cleanup(&wm);
  mw_norm_map_cleanup(&mm);
}

/* Runs of ideographs and of 、。《》“” punctuation, which the sixteen-byte
 * path copies, against the same text cut into characters (no white space,
 * so the characters normalise independently). */
static void test_runs_by_character(void **state) {
  (void)state;
  static const char *const alphabet[] = {
      "无", "废", "城", "市", "一", "龥", "\xE4\xB7\x80", "、", "。",
      "《", "》", "“", "”", "，", "（", "）", "a", "B", "7", "Ｚ", "—",
      "ぁ", "㈁", "〃", "\xE2\x80\x9E"}; /* three-byte look-alikes */
  size_t na = sizeof alphabet / sizeof alphabet[0];
  uint64_t x = 0x2545F4914F6CDD1Dull;
  struct mw_buf text, whole, one, want;
  mw_buf_init(&text, 1u << 16);
  mw_buf_init(&whole, 1u << 16);
  mw_buf_init(&one, 1024);
  mw_buf_init(&want, 1u << 16);
  for (int round = 0; round < 2000; round++) {
    mw_buf_reset(&text);
    mw_buf_reset(&want);
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    size_t len = 1 + x % 90;
    for (size_t i = 0; i < len; i++) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      /* mostly ideographs, as in Chinese text */
      const char *c = alphabet[x % 8 < 5 ? x % 6 : (x >> 8) % na];
      mw_buf_puts(&text, c);
      norm(c, strlen(c), &one, NULL);
      mw_buf_append(&want, one.data, one.len);
    }
    norm(text.data, text.len, &whole, NULL);
    if (whole.len != want.len || memcmp(whole.data, want.data, want.len))
      fail_msg("'%s': '%s', by character '%s'", text.data, whole.data,
               want.data);
  }
  mw_buf_cleanup(&text);
  mw_buf_cleanup(&whole);
  mw_buf_cleanup(&one);
  mw_buf_cleanup(&want);
}

/* The wide form against a plain reading of its definition: UTF-16 units,
 * each shuffled as ((u ^ u >> 8) * 40503) mod 65536, high byte first, and
 * per unit the UTF-8 offset of its character. */
static void test_wide(void **state) {
  (void)state;
  static const char *const alphabet[] = {
      "a", "Z", "~", "\xC3\xA9", "\xD0\x96", "无", "废", "、", "“", "，",
      "\xEF\xBF\xBD", "\xF0\xA0\x80\x80", "\xF0\x9F\x98\x80", "\x7F"};
  size_t na = sizeof alphabet / sizeof alphabet[0];
  uint64_t x = 0x9E3779B97F4A7C15ull;
  struct mw_buf text;
  struct mw_norm_wide w;
  mw_buf_init(&text, 1u << 16);
  mw_norm_wide_init(&w);
  assert_int_equal(mw_norm_wide("", 0, &w), MW_OK);
  assert_int_equal(w.n, 0);
  assert_int_equal(w.off[0], 0);
  for (int round = 0; round < 3000; round++) {
    mw_buf_reset(&text);
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    size_t len = 1 + x % 200;
    bool cjk = round % 2; /* long runs of ideographs, or a mix */
    for (size_t i = 0; i < len; i++) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      mw_buf_puts(&text, alphabet[cjk && x % 8 ? 5 + x % 2 : x % na]);
    }
    assert_int_equal(mw_norm_wide(text.data, text.len, &w), MW_OK);
    const unsigned char *s = (const unsigned char *)text.data;
    size_t k = 0;
    for (size_t i = 0; i < text.len;) {
      uint32_t cp;
      size_t m;
      if (s[i] < 0x80)
        cp = s[i], m = 1;
      else if (s[i] < 0xE0)
        cp = (s[i] & 0x1Fu) << 6 | (s[i + 1] & 0x3Fu), m = 2;
      else if (s[i] < 0xF0)
        cp =
            (s[i] & 0x0Fu) << 12 | (s[i + 1] & 0x3Fu) << 6 | (s[i + 2] & 0x3Fu),
        m = 3;
      else
        cp = (s[i] & 0x07u) << 18 | (s[i + 1] & 0x3Fu) << 12 |
             (s[i + 2] & 0x3Fu) << 6 | (s[i + 3] & 0x3Fu),
        m = 4;
      uint32_t units[2] = {cp, 0};
      size_t nu = 1;
      if (cp >= 0x10000) {
        units[0] = 0xD800 | (cp - 0x10000) >> 10;
        units[1] = 0xDC00 | ((cp - 0x10000) & 0x3FF);
        nu = 2;
      }
      for (size_t j = 0; j < nu; j++, k++) {
        uint32_t v = ((units[j] ^ units[j] >> 8) * 40503u) & 0xFFFF;
        assert_true(k < w.n);
        assert_int_equal(w.u[2 * k], v >> 8);
        assert_int_equal(w.u[2 * k + 1], v & 0xFF);
        if (j == 0) assert_int_equal(w.off[k], i);
      }
      i += m;
    }
    assert_int_equal(w.n, k);
    assert_int_equal(w.off[k], text.len);
  }
  mw_buf_cleanup(&text);
  mw_norm_wide_cleanup(&w);
}

/* The table is the matcher's own, built from utf8proc: two built
 * separately agree, so a matcher's normal form is mw_text_normalize's. */
static void test_tables_agree(void **state) {
  (void)state;
  struct mw_norm_table *other;
  assert_int_equal(mw_norm_table_new(&other), MW_OK);
  const char *s = "ＰＭ２．５超标，“无 废 城 市”《建设》Straße ①";
  struct mw_buf a, b;
  mw_buf_init(&a, 4096);
  mw_buf_init(&b, 4096);
  assert_int_equal(mw_norm_text(other, s, strlen(s), &a, NULL), MW_OK);
  assert_int_equal(mw_text_normalize(s, strlen(s), &b), MW_OK);
  assert_string_equal(a.data, "pm2.5超标,“无废城市”《建设》strasse 1");
  assert_string_equal(a.data, b.data);
  mw_buf_cleanup(&a);
  mw_buf_cleanup(&b);
  mw_norm_table_free(other);
  mw_norm_table_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_forms),      cmocka_unit_test(test_spaces),
      cmocka_unit_test(test_marks),      cmocka_unit_test(test_invalid_utf8),
      cmocka_unit_test(test_ceiling),    cmocka_unit_test(test_offsets),
      cmocka_unit_test(test_map_ceiling), cmocka_unit_test(test_long_runs),
      cmocka_unit_test(test_runs_by_character), cmocka_unit_test(test_wide),
      cmocka_unit_test(test_tables_agree),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
