/*
 * test_regex.c: matchers/regex.c, the literal factors of a regex: every
 * factor that holds in every match, best first; which of them is one
 * place of the pattern (so a match can be looked for around it); and the
 * patterns it gives up on, which then always run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "matchers/norm.h"
#include "matchers/rule.h"

static struct mw_norm_table *table;
static struct mw_arena *arena;

static int setup(void **state) {
  (void)state;
  arena = mw_arena_new(1u << 16, 0);
  return arena ? mw_norm_table_new(&table) : -1;
}

static int teardown(void **state) {
  (void)state;
  mw_norm_table_free(table);
  mw_arena_free(arena);
  return 0;
}

static struct regex_factor f[REGEX_FACTORS_MAX];

static size_t factors(const char *pat) {
  memset(f, 0, sizeof f);
  return regex_factors(pat, strlen(pat), arena, table, f);
}

/* Factor k as its strings joined by '|'. */
static const char *shown(size_t k) {
  static char buf[512];
  size_t w = 0;
  for (size_t i = 0; i < f[k].n; i++) {
    if (i) buf[w++] = '|';
    memcpy(buf + w, f[k].v[i], f[k].l[i]);
    w += f[k].l[i];
  }
  buf[w] = '\0';
  return buf;
}

static void test_every_factor(void **state) {
  (void)state;
  /* Both runs hold; the longer first. */
  assert_int_equal(factors("会公众.{0,8}作为"), 2);
  assert_string_equal(shown(0), "会公众");
  assert_string_equal(shown(1), "作为");
  /* Equal shortest strings: fewer strings first, then as written. */
  assert_int_equal(factors("(偷排|直排).{0,6}污水"), 2);
  assert_string_equal(shown(0), "污水");
  assert_string_equal(shown(1), "偷排|直排");
  assert_int_equal(factors("垃圾.{0,4}混装"), 2);
  assert_string_equal(shown(0), "垃圾");
  assert_string_equal(shown(1), "混装");
  /* Normalised as text is: upper case and full-width folded. */
  assert_int_equal(factors("PM２\\.5"), 1);
  assert_string_equal(shown(0), "pm2.5");
  /* A group that must occur gives its factors; an optional one none. */
  assert_int_equal(factors("(无废(城市|细胞))?建设"), 1);
  assert_string_equal(shown(0), "建设");
  assert_int_equal(factors("(无废(城市|细胞))+建设"), 3);
  assert_string_equal(shown(0), "无废");
  assert_string_equal(shown(1), "建设"); /* as good as 无废: after it */
  assert_string_equal(shown(2), "城市|细胞");
  /* At most REGEX_FACTORS_MAX, the best kept. */
  assert_int_equal(factors("甲.乙乙.丙丙丙.丁丁丁丁.戊戊戊戊戊"), 4);
  assert_string_equal(shown(0), "戊戊戊戊戊");
  assert_string_equal(shown(3), "乙乙");
}

static void test_places(void **state) {
  (void)state;
  /* A run of the pattern's own sequence: the pattern splits around it. */
  assert_int_equal(factors("会公众.{0,8}作为"), 2);
  assert_true(f[0].top);
  assert_int_equal(f[0].ps, 0);
  assert_int_equal(f[0].pe, strlen("会公众"));
  assert_true(f[1].top);
  assert_int_equal(f[1].ps, strlen("会公众.{0,8}"));
  assert_int_equal(f[1].pe, strlen("会公众.{0,8}作为"));
  /* Escapes are inside the span; the run is a|b. */
  assert_int_equal(factors("x\\.yz\\d"), 1);
  assert_true(f[0].top);
  assert_int_equal(f[0].ps, 0);
  assert_int_equal(f[0].pe, 5);
  /* Repeated by a quantifier: what follows it is not the rest. */
  assert_int_equal(factors("垃圾+分类"), 2);
  assert_string_equal(shown(0), "垃圾");
  assert_false(f[0].top);
  assert_true(f[1].top);
  /* In a group, or several strings: no one place. */
  assert_int_equal(factors("(无废城市)建设"), 2);
  assert_string_equal(shown(0), "无废城市");
  assert_false(f[0].top);
  assert_true(f[1].top);
  assert_int_equal(factors("无废城市|无废细胞"), 1);
  assert_false(f[0].top);
}

static void test_gives_up(void **state) {
  (void)state;
  assert_int_equal(factors("[甲乙][丙a]"), 0);   /* nothing literal */
  assert_int_equal(factors("甲|."), 0);           /* a branch without */
  assert_int_equal(factors("(?x)甲 乙"), 0);      /* extended mode */
  assert_int_equal(factors("(?(1)甲|乙)"), 0);    /* conditionals */
  assert_int_equal(factors("甲*乙?"), 0);         /* all optional */
  assert_int_equal(factors("*甲"), 0);            /* not a pattern */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_factor),
      cmocka_unit_test(test_places),
      cmocka_unit_test(test_gives_up),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
