/*
 * test_differential.c: matchers/match.c against a naive evaluator.
 *
 * Thousands of random rules (terms, phrases, AND, OR, NOT in every
 * spelling, field scopes, NEAR and regexes) over a small alphabet, and
 * random documents over the same alphabet with upper case, full-width
 * forms, spaces and zero-width characters mixed in. The engine (one
 * Hyperscan scan, candidate rules, literal factors gating regexes) must
 * give exactly the verdicts of an evaluator that normalises each field
 * and then uses plain substring search (memmem) for terms, every
 * occurrence for NEAR, and PCRE2 with no gate for regexes.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "matchers/matchers.h"

#define ROUNDS 12
#define RULES 200
#define DOCS 250

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static unsigned rnd(unsigned n) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (unsigned)(rng % n);
}

/* The alphabet; each with the forms a document may spell it in. */
static const char *const letters[] = {"甲", "乙", "丙", "a", "b"};
static const char *const doc_forms[][3] = {
    {"甲", "甲", "甲"}, {"乙", "乙", "乙"},   {"丙", "丙", "丙"},
    {"a", "A", "ａ"},   {"b", "B", "Ｂ"},
};

enum { G_TERM, G_RE, G_AND, G_OR, G_NOT, G_NEAR };

struct g {
  int kind;
  unsigned fields; /* 0: inherited; 1 title, 2 body */
  char text[16];   /* TERM: normalised */
  char pat[32];    /* RE */
  pcre2_code *re;
  int dist;
  struct g *k[3];
  int n;
};

static struct g pool[RULES * 64];
static size_t used;

static struct g *node(int kind) {
  assert_true(used < sizeof pool / sizeof pool[0]);
  struct g *n = &pool[used++];
  memset(n, 0, sizeof *n);
  n->kind = kind;
  return n;
}

static struct g *leaf(void) {
  if (rnd(5) == 0) {
    struct g *n = node(G_RE);
    const char *x = letters[rnd(5)], *y = letters[rnd(5)], *z = letters[rnd(3)];
    switch (rnd(5)) {
      case 0: snprintf(n->pat, sizeof n->pat, "%s.{0,2}%s", x, y); break;
      case 1: snprintf(n->pat, sizeof n->pat, "(%s|%s)%s", x, y, z); break;
      case 2: snprintf(n->pat, sizeof n->pat, "%s[甲b]%s", x, y); break;
      case 3: snprintf(n->pat, sizeof n->pat, "%s%s+", x, y); break;
      default: snprintf(n->pat, sizeof n->pat, "[甲乙][丙a]"); break; /* no factor */
    }
    int code;
    PCRE2_SIZE off;
    n->re = pcre2_compile((PCRE2_SPTR)n->pat, PCRE2_ZERO_TERMINATED,
                          PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &code, &off,
                          NULL);
    assert_non_null(n->re);
    return n;
  }
  struct g *n = node(G_TERM);
  int len = 1 + (int)rnd(3);
  size_t w = 0;
  for (int i = 0; i < len; i++) {
    const char *l = letters[rnd(5)];
    memcpy(n->text + w, l, strlen(l) + 1);
    w += strlen(l);
  }
  return n;
}

static struct g *positional(int depth) {
  if (depth > 0 && rnd(3) == 0) {
    struct g *n = node(G_OR);
    n->n = 2;
    n->k[0] = positional(depth - 1);
    n->k[1] = positional(depth - 1);
    return n;
  }
  return leaf();
}

static struct g *gen(int depth) {
  struct g *n;
  unsigned r = depth ? rnd(10) : 0;
  if (r < 3) {
    n = leaf();
  } else if (r < 5) {
    n = node(G_AND);
  } else if (r < 7) {
    n = node(G_OR);
  } else if (r < 8) {
    n = node(G_NOT);
    n->n = 1;
    n->k[0] = gen(depth - 1);
    return n;
  } else {
    n = node(G_NEAR);
    n->dist = (int)rnd(4);
    n->n = 2;
    n->k[0] = positional(1);
    n->k[1] = positional(1);
  }
  if (n->kind == G_AND || n->kind == G_OR) {
    n->n = 2 + (int)rnd(2);
    for (int i = 0; i < n->n; i++) n->k[i] = gen(depth - 1);
  }
  if (rnd(6) == 0) n->fields = 1 + rnd(2);
  return n;
}

/* Writes n in the rule language, in one of its spellings. */
static void print(const struct g *n, struct mw_buf *b, bool in_near) {
  if (n->fields && !in_near)
    mw_buf_puts(b, n->fields == 1 ? (rnd(2) ? "title:" : "标题：") : "body:");
  bool paren = n->fields && !in_near && n->kind != G_TERM && n->kind != G_RE;
  if (paren) mw_buf_putc(b, '(');
  switch (n->kind) {
    case G_TERM:
      if (rnd(3) == 0) mw_buf_printf(b, "\"%s\"", n->text);
      else if (rnd(5) == 0) mw_buf_printf(b, "“%s”", n->text);
      else mw_buf_puts(b, n->text);
      break;
    case G_RE:
      mw_buf_printf(b, "/%s/", n->pat);
      break;
    case G_NOT:
      mw_buf_puts(b, rnd(2) ? "-(" : "NOT (");
      print(n->k[0], b, false);
      mw_buf_putc(b, ')');
      break;
    case G_NEAR:
      mw_buf_printf(b, "NEAR/%d(", n->dist);
      print(n->k[0], b, true);
      mw_buf_puts(b, rnd(2) ? ", " : "，");
      print(n->k[1], b, true);
      mw_buf_putc(b, ')');
      break;
    default: {
      static const char *const ands[] = {" ", " AND ", "+", "  "};
      static const char *const ors[] = {" | ", " OR ", "|", "｜"};
      for (int i = 0; i < n->n; i++) {
        if (i) mw_buf_puts(b, n->kind == G_AND ? ands[rnd(4)] : ors[rnd(4)]);
        bool sub = n->k[i]->kind != G_TERM && n->k[i]->kind != G_RE &&
                   !n->k[i]->fields;
        if (sub || in_near) mw_buf_putc(b, '(');
        print(n->k[i], b, in_near);
        if (sub || in_near) mw_buf_putc(b, ')');
      }
    }
  }
  if (paren) mw_buf_putc(b, ')');
}

/* ------------------------------------------------------------ naive */

struct field {
  const char *s;
  size_t len;
};

struct occ {
  size_t s, e;
};

static size_t occurrences(const struct g *n, const struct field *f,
                          struct occ *out, size_t max) {
  size_t k = 0;
  if (n->kind == G_OR) {
    for (int i = 0; i < n->n; i++)
      k += occurrences(n->k[i], f, out + k, max - k);
    return k;
  }
  if (n->kind == G_TERM) {
    size_t tl = strlen(n->text);
    for (size_t i = 0; i + tl <= f->len && k < max; i++)
      if (!memcmp(f->s + i, n->text, tl)) out[k++] = (struct occ){i, i + tl};
    return k;
  }
  pcre2_match_data *md = pcre2_match_data_create(1, NULL);
  size_t off = 0;
  while (off < f->len && k < max &&
         pcre2_match(n->re, (PCRE2_SPTR)f->s, f->len, off, 0, md, NULL) >= 0) {
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    out[k++] = (struct occ){ov[0], ov[1]};
    off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
    while (off < f->len && ((unsigned char)f->s[off] & 0xC0) == 0x80) off++;
  }
  pcre2_match_data_free(md);
  return k;
}

static size_t chars(const char *s, size_t a, size_t b) {
  size_t n = 0;
  for (size_t i = a; i < b; i++) n += ((unsigned char)s[i] & 0xC0) != 0x80;
  return n;
}

static bool naive(const struct g *n, const struct field *fs, unsigned scope) {
  if (n->fields) scope = n->fields;
  switch (n->kind) {
    case G_TERM:
      for (int f = 0; f < 2; f++)
        if ((scope & (1u << f)) && fs[f].len &&
            memmem(fs[f].s, fs[f].len, n->text, strlen(n->text)))
          return true;
      return false;
    case G_RE: {
      pcre2_match_data *md = pcre2_match_data_create(1, NULL);
      bool yes = false;
      for (int f = 0; f < 2 && !yes; f++)
        yes = (scope & (1u << f)) &&
              pcre2_match(n->re, (PCRE2_SPTR)fs[f].s, fs[f].len, 0, 0, md,
                          NULL) >= 0;
      pcre2_match_data_free(md);
      return yes;
    }
    case G_AND:
      for (int i = 0; i < n->n; i++)
        if (!naive(n->k[i], fs, scope)) return false;
      return true;
    case G_OR:
      for (int i = 0; i < n->n; i++)
        if (naive(n->k[i], fs, scope)) return true;
      return false;
    case G_NOT:
      return !naive(n->k[0], fs, scope);
    default: {
      static struct occ a[4096], b[4096];
      for (int f = 0; f < 2; f++) {
        if (!(scope & (1u << f))) continue;
        size_t na = occurrences(n->k[0], &fs[f], a, 4096);
        size_t nb = occurrences(n->k[1], &fs[f], b, 4096);
        for (size_t i = 0; i < na; i++)
          for (size_t j = 0; j < nb; j++) {
            size_t gap = 0;
            if (b[j].s >= a[i].e) gap = chars(fs[f].s, a[i].e, b[j].s);
            else if (a[i].s >= b[j].e) gap = chars(fs[f].s, b[j].e, a[i].s);
            if (gap <= (size_t)n->dist) return true;
          }
      }
      return false;
    }
  }
}

/* ------------------------------------------------------------- docs */

static void random_text(struct mw_buf *b) {
  mw_buf_reset(b);
  int len = (int)rnd(28);
  for (int i = 0; i < len; i++) {
    unsigned r = rnd(20);
    if (r == 0) mw_buf_putc(b, ' ');
    else if (r == 1) mw_buf_puts(b, "\xE2\x80\x8B"); /* zero-width space */
    else if (r == 2) mw_buf_puts(b, "。");
    else mw_buf_puts(b, doc_forms[rnd(5)][rnd(3)]);
  }
}

static void test_differential(void **state) {
  (void)state;
  const char *seed = getenv("MW_DIFF_SEED"); /* to explore: any number */
  if (seed && *seed) rng = strtoull(seed, NULL, 10) | 1;
  struct mw_buf titles[DOCS], bodies[DOCS], nt, nb;
  for (int i = 0; i < DOCS; i++) {
    mw_buf_init(&titles[i], 1024);
    mw_buf_init(&bodies[i], 1024);
  }
  mw_buf_init(&nt, 4096);
  mw_buf_init(&nb, 4096);
  size_t compared = 0, rejected = 0, matched = 0;
  for (int round = 0; round < ROUNDS; round++) {
    used = 0;
    struct g *roots[RULES];
    struct mw_buf text[RULES];
    struct mw_topic_conf topics[RULES];
    char names[RULES][16];
    for (int i = 0; i < RULES; i++) {
      roots[i] = gen(1 + (int)rnd(3));
      mw_buf_init(&text[i], 4096);
      print(roots[i], &text[i], false);
      snprintf(names[i], sizeof names[i], "r%d", i);
      topics[i] = (struct mw_topic_conf){.name = names[i], .rule = text[i].data};
    }
    struct mw_matcher *m;
    struct mw_err err;
    assert_int_equal(mw_matcher_new(topics, RULES, &m, &err), MW_OK);
    /* Only rules that match a document with none of their terms are
     * refused. */
    struct field empty[2] = {{"", 0}, {"", 0}};
    for (size_t e = 0; e < mw_matcher_error_count(m); e++) {
      const struct mw_rule_error *re = mw_matcher_error(m, e);
      if (!strstr(re->message, "lacks its terms"))
        fail_msg("%s: %s", re->message, re->excerpt);
      int i = (int)strtol(re->topic + 1, NULL, 10);
      if (!naive(roots[i], empty, 3))
        fail_msg("refused but false on an empty document: %s", text[i].data);
      rejected++;
    }
    for (int d = 0; d < DOCS; d++) {
      random_text(&titles[d]);
      random_text(&bodies[d]);
      mw_buf_reset(&nt);
      mw_buf_reset(&nb);
      assert_int_equal(mw_text_normalize(titles[d].data, titles[d].len, &nt), MW_OK);
      assert_int_equal(mw_text_normalize(bodies[d].data, bodies[d].len, &nb), MW_OK);
      struct field fs[2] = {{nt.data ? nt.data : "", nt.len},
                            {nb.data ? nb.data : "", nb.len}};
      struct mw_doc doc = {.title = {titles[d].data, titles[d].len},
                           .body = {bodies[d].data, bodies[d].len}};
      struct mw_topic_result r[RULES];
      assert_true(mw_matcher_match(m, &doc, r, &err) >= 0);
      for (int i = 0; i < RULES; i++) {
        if (!mw_matcher_topic_valid(m, (size_t)i)) continue;
        bool want = naive(roots[i], fs, 3);
        if (r[i].matched != want)
          fail_msg("rule %s\ntitle '%s' body '%s'\nengine %d, naive %d",
                   text[i].data, titles[d].data ? titles[d].data : "",
                   bodies[d].data ? bodies[d].data : "", r[i].matched, want);
        compared++;
        matched += want;
      }
    }
    mw_matcher_free(m);
    for (int i = 0; i < RULES; i++) mw_buf_cleanup(&text[i]);
    for (size_t i = 0; i < used; i++) pcre2_code_free(pool[i].re);
  }
  for (int i = 0; i < DOCS; i++) {
    mw_buf_cleanup(&titles[i]);
    mw_buf_cleanup(&bodies[i]);
  }
  mw_buf_cleanup(&nt);
  mw_buf_cleanup(&nb);
  print_message("%zu verdicts compared (%zu true), %zu rules refused\n",
                compared, matched, rejected);
  /* The random rules must be neither always false nor always true. */
  assert_true(matched > compared / 20);
  assert_true(matched < compared - compared / 20);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_differential),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
