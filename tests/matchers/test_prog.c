/*
 * test_prog.c: matchers/prog.c, the evaluation plan. Which literals wake
 * which topics (trigger sets), and on random rules and documents: every
 * topic true on a document is among those its scan woke, and a topic's
 * program gives the verdict of its tree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "matchers/matchers_int.h"

static struct mw_matcher *build(const char *const *rules, size_t n) {
  struct mw_topic_conf t[64];
  char names[64][8];
  assert_true(n <= 64);
  for (size_t i = 0; i < n; i++) {
    snprintf(names[i], sizeof names[i], "t%zu", i);
    t[i] = (struct mw_topic_conf){.name = names[i], .rule = (char *)rules[i]};
  }
  struct mw_matcher *m;
  struct mw_err err;
  assert_int_equal(mw_matcher_new(t, n, &m, &err), MW_OK);
  for (size_t i = 0; i < mw_matcher_error_count(m); i++)
    fail_msg("%s", mw_matcher_error(m, i)->message);
  return m;
}

/* The topics literal s wakes, as a string of topic numbers. */
static const char *wakes(const struct mw_matcher *m, const char *s) {
  static char out[256];
  out[0] = '\0';
  for (size_t l = 0; l < m->n_lits; l++) {
    if (m->lits[l].len != strlen(s) || memcmp(m->lits[l].s, s, m->lits[l].len))
      continue;
    const struct rule_index *ix = &m->topic_index;
    for (uint32_t r = ix->off[l]; r < ix->off[l + 1]; r++)
      snprintf(out + strlen(out), sizeof out - strlen(out), "%u", ix->refs[r]);
    return out;
  }
  fail_msg("no literal %s", s);
  return NULL;
}

static void test_triggers(void **state) {
  (void)state;
  static const char *const rules[] = {
      "(甲 | 乙 | 子) (丙 | 丁) -戊", /* 0: the smaller part of the AND */
      "甲 乙 丙",                /* 1: one term of three */
      "甲 | 乙 (丙 | 丁)",        /* 2: union of the parts of the OR */
      "NOT (NOT 己)",            /* 3: no set under a NOT: every term */
      "/庚.{0,3}辛/ (壬 | 丑 | 寅)", /* 4: a regex's best factor counts */
      "NEAR/3(甲 | 乙, 癸)",      /* 5: the smaller part of NEAR */
      "/[甲乙][子丑]/",            /* 6: no factor: every document */
  };
  struct mw_matcher *m = build(rules, 7);
  assert_string_equal(wakes(m, "甲"), "12");
  assert_string_equal(wakes(m, "乙"), "2");
  assert_string_equal(wakes(m, "子"), "");
  assert_string_equal(wakes(m, "丙"), "0");
  assert_string_equal(wakes(m, "丁"), "0");
  assert_string_equal(wakes(m, "戊"), "");
  assert_string_equal(wakes(m, "己"), "3");
  assert_string_equal(wakes(m, "庚"), "4");
  assert_string_equal(wakes(m, "壬"), "");
  assert_string_equal(wakes(m, "癸"), "5");
  assert_int_equal(m->topic_index.n_always, 1);
  assert_int_equal(m->topic_index.always[0], 6);
  mw_matcher_free(m);
}

/* ------------------------------------------------------ random rules */

static uint64_t rng = 0x243F6A8885A308D3ull;

static unsigned rnd(unsigned n) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (unsigned)(rng % n);
}

static const char *const letters[] = {"甲", "乙", "丙", "a", "b"};

static void term(struct mw_buf *b) {
  int n = 1 + (int)rnd(2);
  for (int i = 0; i < n; i++) mw_buf_puts(b, letters[rnd(5)]);
}

static void rule(struct mw_buf *b, int depth) {
  unsigned r = depth ? rnd(9) : rnd(2);
  switch (r) {
    case 0:
      term(b);
      return;
    case 1:
      mw_buf_printf(b, "/%s.{0,2}%s/", letters[rnd(5)], letters[rnd(5)]);
      return;
    case 2:
    case 3: { /* AND, OR of two or three */
      int n = 2 + (int)rnd(2);
      mw_buf_putc(b, '(');
      for (int i = 0; i < n; i++) {
        if (i) mw_buf_puts(b, r == 2 ? " " : " | ");
        rule(b, depth - 1);
      }
      mw_buf_putc(b, ')');
      return;
    }
    case 4:
      mw_buf_puts(b, "-(");
      rule(b, depth - 1);
      mw_buf_putc(b, ')');
      return;
    case 5:
      mw_buf_printf(b, "NEAR/%u(", rnd(3));
      term(b);
      mw_buf_puts(b, " | ");
      term(b);
      mw_buf_puts(b, ", ");
      term(b);
      mw_buf_putc(b, ')');
      return;
    case 6:
      mw_buf_puts(b, rnd(2) ? "title:(" : "body:(");
      rule(b, depth - 1);
      mw_buf_putc(b, ')');
      return;
    default: /* a list of terms, as keyword topics are */
      mw_buf_putc(b, '(');
      for (int i = 0; i < 4; i++) {
        if (i) mw_buf_puts(b, " | ");
        term(b);
      }
      mw_buf_putc(b, ')');
  }
}

static void text(struct mw_buf *b) {
  mw_buf_reset(b);
  int n = (int)rnd(24);
  for (int i = 0; i < n; i++) mw_buf_puts(b, rnd(12) ? letters[rnd(5)] : " ");
}

static void test_programs_and_trees(void **state) {
  (void)state;
  enum { RULES = 60, DOCS = 300 };
  size_t compared = 0, woken = 0, yes = 0;
  for (int round = 0; round < 20; round++) {
    struct mw_buf texts[RULES];
    struct mw_topic_conf t[RULES];
    char names[RULES][8];
    for (int i = 0; i < RULES; i++) {
      mw_buf_init(&texts[i], 4096);
      rule(&texts[i], 3);
      snprintf(names[i], sizeof names[i], "t%d", i);
      t[i] = (struct mw_topic_conf){.name = names[i], .rule = texts[i].data};
    }
    struct mw_matcher *m;
    struct mw_err err;
    assert_int_equal(mw_matcher_new(t, RULES, &m, &err), MW_OK);
    struct mw_buf title, body;
    mw_buf_init(&title, 1024);
    mw_buf_init(&body, 1024);
    for (int d = 0; d < DOCS; d++) {
      text(&title);
      text(&body);
      struct mw_doc doc = {.title = {title.data, title.len},
                           .body = {body.data, body.len}};
      struct ctx *c = ctx_get(m);
      assert_non_null(c);
      assert_int_equal(ctx_scan(m, c, &doc, false, QUEUE_TOPICS, &err), MW_OK);
      for (size_t i = 0; i < m->n_topics; i++) {
        if (!rule_ok(&m->topics[i].r)) continue;
        bool tree = eval_node(m, c, m->topics[i].r.root);
        bool prog = topic_eval(m, c, i);
        if (tree != prog)
          fail_msg("%s on '%s' / '%s': tree %d, program %d", texts[i].data,
                   title.data ? title.data : "", body.data ? body.data : "",
                   tree, prog);
        bool queued = false;
        for (size_t k = 0; k < c->n_cands && !queued; k++)
          queued = c->cands[k] == i;
        if (tree && !queued)
          fail_msg("%s is true on '%s' / '%s' but was not woken",
                   texts[i].data, title.data ? title.data : "",
                   body.data ? body.data : "");
        compared++;
        woken += queued;
        yes += tree;
      }
      ctx_clear(m, c);
      ctx_put(m, c);
    }
    mw_buf_cleanup(&title);
    mw_buf_cleanup(&body);
    mw_matcher_free(m);
    for (int i = 0; i < RULES; i++) mw_buf_cleanup(&texts[i]);
  }
  print_message("%zu verdicts, %zu topics woken, %zu true\n", compared, woken,
                yes);
  /* Neither trivial nor everything woken. */
  assert_true(yes > compared / 20);
  assert_true(woken < compared);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_triggers),
      cmocka_unit_test(test_programs_and_trees),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
