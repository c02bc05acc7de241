/* Tests matchers/simhash.c: what a reprint may change without moving the
 * hash (layout, width, case, bad bytes), how far a different header or
 * footer moves it, how far apart different stories land, the short-text
 * cut-off, the slicing of long texts, and the distance function. Texts
 * come from the seed documents (tests/data/matchers/simhash/README.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/testdata.h"
#include "matchers/matchers.h"

/* ----------------------------------------------------------- helpers */

static char *load(const char *name, size_t *len) {
  return mw_test_data_read("matchers/simhash", name, len);
}

static uint64_t hash_str(const char *s) { return mw_simhash(s, strlen(s)); }

/* s with every occurrence of from replaced by to; caller frees. */
static char *replace(const char *s, const char *from, const char *to) {
  struct mw_buf b;
  mw_buf_init(&b, 1 << 24);
  size_t fl = strlen(from);
  for (const char *p = s; *p;) {
    if (!strncmp(p, from, fl)) {
      assert_int_equal(mw_buf_puts(&b, to), MW_OK);
      p += fl;
    } else {
      assert_int_equal(mw_buf_putc(&b, *p++), MW_OK);
    }
  }
  char *out = mw_buf_steal(&b);
  assert_non_null(out);
  return out;
}

/* s with ASCII digits as full-width digits (U+FF10..U+FF19). */
static char *full_width_digits(const char *s) {
  struct mw_buf b;
  mw_buf_init(&b, 1 << 24);
  for (const char *p = s; *p; p++) {
    if (*p >= '0' && *p <= '9') {
      char fw[3] = {(char)0xEF, (char)0xBC, (char)(0x90 + (*p - '0'))};
      assert_int_equal(mw_buf_append(&b, fw, 3), MW_OK);
    } else {
      assert_int_equal(mw_buf_putc(&b, *p), MW_OK);
    }
  }
  char *out = mw_buf_steal(&b);
  assert_non_null(out);
  return out;
}

/* How a portal lays out a reprint: paragraphs joined by one line break,
 * a space after each comma, ASCII quotes, full-width digits. */
static char *relayout(const char *s) {
  char *a = replace(s, "\n\n", "\r\n");
  char *b = replace(a, "，", "， ");
  char *c = replace(b, "“", "\"");
  char *d = replace(c, "”", "\" ");
  char *e = full_width_digits(d);
  free(a);
  free(b);
  free(c);
  free(d);
  return e;
}

static char *concat3(const char *a, const char *b, const char *c) {
  struct mw_buf buf;
  mw_buf_init(&buf, 1 << 24);
  assert_int_equal(mw_buf_puts(&buf, a), MW_OK);
  assert_int_equal(mw_buf_puts(&buf, b), MW_OK);
  assert_int_equal(mw_buf_puts(&buf, c), MW_OK);
  char *out = mw_buf_steal(&buf);
  assert_non_null(out);
  return out;
}

/* Paragraph i (0-based, separated by blank lines) of s; caller frees. */
static char *paragraph(const char *s, int i) {
  const char *p = s;
  for (; i > 0; i--) {
    p = strstr(p, "\n\n");
    assert_non_null(p);
    p += 2;
  }
  const char *end = strstr(p, "\n\n");
  return mw_strndup(p, end ? (size_t)(end - p) : strlen(p));
}

/* ------------------------------------------------------------- tests */

static void test_identical_text_same_hash(void **state) {
  (void)state;
  size_t n;
  char *story = load("story.txt", &n);
  char *copy = mw_strndup(story, n);
  uint64_t h = mw_simhash(story, n);
  assert_true(h != 0);
  assert_true(mw_simhash(copy, n) == h);
  assert_true(mw_simhash(story, n) == h); /* no state between calls */
  free(copy);
  free(story);
}

/* Layout, quotes, digit width and letter case are normalised away before
 * shingling, so these reprints hash exactly the same. */
static void test_layout_changes_do_not_move_hash(void **state) {
  (void)state;
  size_t n;
  char *story = load("story.txt", &n);
  uint64_t h = mw_simhash(story, n);
  char *re = relayout(story);
  assert_true(hash_str(re) == h);
  char *spaced = replace(story, "。", "。   \t ");
  assert_true(hash_str(spaced) == h);
  /* The other story has "PPE" in it: case does not count. */
  size_t m;
  char *other = load("other_story.txt", &m);
  assert_non_null(strstr(other, "PPE"));
  char *lower = replace(other, "PPE", "ppe");
  assert_true(hash_str(lower) == mw_simhash(other, m));
  free(lower);
  free(other);
  free(spaced);
  free(re);
  free(story);
}

/* A reprint with its own masthead and footer lines on top of the layout
 * changes: within MW_SIMHASH_SAME_STORY. */
static void test_reprint_with_header_and_footer(void **state) {
  (void)state;
  static const char *const frame[][2] = {
      {"来源：吉林省生态环境厅\n", "\n责任编辑：李明"},
      {"发布时间：2023-05-08 来源：吉林日报\n", "\n编辑：王芳 审核：张伟"},
      {"", "\n分享到：微信 微博 QQ空间"},
  };
  size_t n;
  char *story = load("story.txt", &n);
  uint64_t h = mw_simhash(story, n);
  char *re = relayout(story);
  for (size_t i = 0; i < sizeof frame / sizeof frame[0]; i++) {
    char *reprint = concat3(frame[i][0], re, frame[i][1]);
    int d = mw_simhash_distance(h, hash_str(reprint));
    if (d > MW_SIMHASH_SAME_STORY)
      fail_msg("reprint %zu: distance %d > %d", i, d, MW_SIMHASH_SAME_STORY);
    free(reprint);
  }
  free(re);
  free(story);
}

/* Different stories on the same topic share words (无废城市, 建设) but few
 * 4-character runs: far apart. */
static void test_different_stories_far_apart(void **state) {
  (void)state;
  size_t n, m;
  char *story = load("story.txt", &n);
  char *other = load("other_story.txt", &m);
  assert_true(mw_simhash_distance(mw_simhash(story, n),
                                  mw_simhash(other, m)) > 10);
  /* Two paragraphs of the same bulletin: the working group's founding and
   * the zero-waste scenic spots. */
  char *p1 = paragraph(story, 1);
  char *p2 = paragraph(story, 15);
  assert_non_null(strstr(p1, "推进组由韩福春同志担任组长"));
  assert_non_null(strstr(p2, "吉林市文广旅局"));
  assert_true(mw_simhash_distance(hash_str(p1), hash_str(p2)) > 10);
  /* A paragraph against the whole story it comes from is not the story. */
  assert_true(mw_simhash_distance(hash_str(p1), mw_simhash(story, n)) >
              MW_SIMHASH_SAME_STORY);
  free(p2);
  free(p1);
  free(other);
  free(story);
}

/* Fewer than 20 characters once whitespace and punctuation are gone: 0. */
static void test_short_texts_give_zero(void **state) {
  (void)state;
  assert_true(mw_simhash(NULL, 0) == 0);
  assert_true(mw_simhash("", 0) == 0);
  assert_true(mw_simhash("无废城市", 0) == 0);
  /* 19 characters, padded with spaces and punctuation to 40 bytes more. */
  const char *s19 = "“吉林省全域 无废城市 建设工作推进组办公室”，。！？  \n\t";
  assert_true(hash_str(s19) == 0);
  /* Full-width digits count as characters (one each) after NFKC. */
  assert_true(hash_str("吉林省全域无废城市建设工作推进组２０２") == 0);
  assert_true(hash_str("吉林省全域无废城市建设工作推进组２０２３") != 0);
  const char *s20 = "“吉林省全域 无废城市 建设工作推进组办公室好”";
  uint64_t h20 = hash_str(s20);
  assert_true(h20 != 0);
  /* The punctuation around it does not count and does not change it. */
  assert_true(hash_str("吉林省全域无废城市建设工作推进组办公室好") == h20);
  /* However long, punctuation, symbols and spaces alone give 0. */
  static const char piece[] = "，。 ☆—+%\n";
  char junk[40 * sizeof piece];
  size_t k = 0;
  for (int i = 0; i < 40; i++, k += sizeof piece - 1)
    memcpy(junk + k, piece, sizeof piece - 1);
  junk[k] = '\0';
  assert_true(mw_simhash(junk, k) == 0);
}

/* Invalid UTF-8 becomes U+FFFD and NUL becomes a space: both dropped like
 * any symbol, so they change nothing. */
static void test_bad_bytes_are_dropped(void **state) {
  (void)state;
  size_t n;
  char *story = load("story.txt", &n);
  uint64_t h = mw_simhash(story, n);
  char *bad = replace(story, "。", "。\xff\xfe\xc3");
  assert_true(hash_str(bad) == h);
  /* A NUL inside the given length. */
  char *nul = malloc(n + 1);
  assert_non_null(nul);
  memcpy(nul, story, n);
  char *cut = strstr(nul, "。");
  assert_non_null(cut);
  size_t at = (size_t)(cut - nul) + 3;
  memmove(nul + at + 1, nul + at, n - at);
  nul[at] = '\0';
  assert_true(mw_simhash(nul, n + 1) == h);
  free(nul);
  free(bad);
  free(story);
}

/* Texts over one slice (16 KB) are normalised in pieces; where the cuts
 * fall must not matter. */
static void test_long_text_slices(void **state) {
  (void)state;
  size_t n;
  char *story = load("story.txt", &n);
  struct mw_buf a, b;
  mw_buf_init(&a, 1 << 22);
  mw_buf_init(&b, 1 << 22);
  assert_int_equal(mw_buf_puts(&b, " \n  "), MW_OK); /* shifts every cut */
  for (int i = 0; i < 12; i++) {
    assert_int_equal(mw_buf_puts(&a, story), MW_OK);
    assert_int_equal(mw_buf_puts(&b, story), MW_OK);
    assert_int_equal(mw_buf_puts(&b, i % 2 ? "  " : "\n"), MW_OK);
  }
  assert_true(a.len > 4 * 16384);
  uint64_t ha = mw_simhash(a.data, a.len);
  assert_true(ha != 0);
  assert_true(mw_simhash(b.data, b.len) == ha);
  /* Hangul has neither ASCII nor ideographs to cut before: the fallback
   * cut before any character start gives the same result. */
  mw_buf_reset(&a);
  mw_buf_reset(&b);
  assert_int_equal(mw_buf_puts(&b, "  "), MW_OK);
  for (int i = 0; i < 3000; i++) {
    assert_int_equal(mw_buf_puts(&a, "쓰레기분류"), MW_OK);
    assert_int_equal(mw_buf_puts(&b, "쓰레기분류"), MW_OK);
  }
  ha = mw_simhash(a.data, a.len);
  assert_true(ha != 0);
  assert_true(mw_simhash(b.data, b.len) == ha);
  mw_buf_cleanup(&a);
  mw_buf_cleanup(&b);
  free(story);
}

static void test_distance_exact(void **state) {
  (void)state;
  assert_int_equal(mw_simhash_distance(0, 0), 0);
  assert_int_equal(mw_simhash_distance(UINT64_MAX, UINT64_MAX), 0);
  assert_int_equal(mw_simhash_distance(0, UINT64_MAX), 64);
  assert_int_equal(mw_simhash_distance(0, UINT64_C(1) << 63), 1);
  assert_int_equal(mw_simhash_distance(1, 0), 1);
  assert_int_equal(mw_simhash_distance(UINT64_C(0xF0F0F0F0F0F0F0F0),
                                       UINT64_C(0x0F0F0F0F0F0F0F0F)), 64);
  assert_int_equal(mw_simhash_distance(UINT64_C(0x8000000000000001),
                                       UINT64_C(0x0000000000000003)), 2);
  assert_int_equal(mw_simhash_distance(UINT64_C(0x0123456789ABCDEF),
                                       UINT64_C(0x0123456789ABCDEE)), 1);
  /* 0x00FF... vs 0: 56 set bits. */
  assert_int_equal(mw_simhash_distance(UINT64_C(0x00FFFFFFFFFFFFFF), 0), 56);
  /* Symmetric. */
  assert_int_equal(mw_simhash_distance(UINT64_C(0xDEADBEEF), 7),
                   mw_simhash_distance(7, UINT64_C(0xDEADBEEF)));
  assert_int_equal(mw_simhash_distance(UINT64_C(0xDEADBEEF), 7), 21);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_identical_text_same_hash),
      cmocka_unit_test(test_layout_changes_do_not_move_hash),
      cmocka_unit_test(test_reprint_with_header_and_footer),
      cmocka_unit_test(test_different_stories_far_apart),
      cmocka_unit_test(test_short_texts_give_zero),
      cmocka_unit_test(test_bad_bytes_are_dropped),
      cmocka_unit_test(test_long_text_slices),
      cmocka_unit_test(test_distance_exact),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
