/*
 * keywords.c: the three ways to write a topic, made into one rule tree.
 *
 * `keywords:` is the OR of its words (a word empty once normalised is
 * skipped, as before; a topic left with none is an error). `rule:` is
 * parsed by rule.c. The grouped form of Chinese monitoring systems,
 * `regions:`, `subjects:` and `events:`, is the AND of the OR of each
 * group given. `exclude:` adds NOT (any of its words) to whichever form.
 * Words of lists are taken literally (no operators), whatever characters
 * they hold. The rule text kept for explanations is the rule as written,
 * or for lists the equivalent rule in the rule language, so a topic can
 * be rewritten as a rule by copying it.
 *
 * The nodes for taken-as-written words (rule_lit, rule_op) live here too.
 *
 * What it leaves to others: compiling the tree (compile.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matchers/matchers_int.h"

/* ------------------------------------------------------ built trees */

struct rnode *rule_lit(struct mw_arena *a, const struct mw_norm_table *nt,
                       const char *text, int *rc) {
  struct rnode *n = mw_arena_alloc(a, sizeof *n);
  if (!n) {
    *rc = MW_ENOMEM;
    return NULL;
  }
  memset(n, 0, sizeof *n);
  n->kind = R_LIT;
  n->shown = mw_arena_strdup(a, text);
  n->norm = rule_normalised(a, nt, text, strlen(text), &n->norm_len, rc);
  if (*rc == MW_OK && !n->shown) *rc = MW_ENOMEM;
  if (*rc == MW_OK && !n->norm) *rc = MW_EINVAL;
  return *rc ? NULL : n;
}

struct rnode *rule_op(struct mw_arena *a, enum rule_kind kind,
                      struct rnode *const *kids, size_t n) {
  struct rnode *r = mw_arena_alloc(a, sizeof *r);
  struct rnode **k = mw_arena_alloc(a, (n ? n : 1) * sizeof *k);
  if (!r || !k) return NULL;
  memset(r, 0, sizeof *r);
  r->kind = kind;
  memcpy(k, kids, n * sizeof *k);
  r->kids = k;
  r->n = n;
  return r;
}

void rule_release(struct rnode *n) {
  if (!n) return;
  if (n->re) {
    pcre2_code_free(n->re);
    n->re = NULL;
  }
  for (size_t i = 0; i < n->n; i++) rule_release(n->kids[i]);
}

/* A term as the rule language would need it written. */
static void put_term(struct mw_buf *b, const char *t) {
  bool plain = *t && strcmp(t, "AND") && strcmp(t, "OR") && strcmp(t, "NOT") &&
               strncmp(t, "NEAR", 4) && *t != '-' && *t != '/' &&
               !strpbrk(t, " \t\n()|+,\":") && !strstr(t, "“") &&
               !strstr(t, "（") && !strstr(t, "）") && !strstr(t, "：") &&
               !strstr(t, "，") && !strstr(t, "｜");
  if (plain) {
    mw_buf_puts(b, t);
    return;
  }
  mw_buf_putc(b, '"');
  for (; *t; t++) {
    if (*t == '"' || *t == '\\') mw_buf_putc(b, '\\');
    mw_buf_putc(b, *t);
  }
  mw_buf_putc(b, '"');
}

static void put_group(struct mw_buf *b, char **words, size_t n, bool paren) {
  if (paren) mw_buf_putc(b, '(');
  for (size_t i = 0; i < n; i++) {
    if (i) mw_buf_puts(b, " | ");
    put_term(b, words[i]);
  }
  if (paren) mw_buf_putc(b, ')');
}

/* The OR of a list of words; NULL with a message when one is empty once
 * normalised. */
static struct rnode *word_group(struct mw_matcher *m, char **words, size_t n,
                                const char *key, const char *name, int line,
                                int *rc) {
  struct rnode **kids = mw_arena_alloc(m->arena, n * sizeof *kids);
  if (!kids) {
    *rc = MW_ENOMEM;
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    kids[i] = rule_lit(m->arena, m->norm, words[i], rc);
    if (*rc == MW_EINVAL) {
      char where[512], msg[256];
      snprintf(where, sizeof where, "topic %s", name);
      snprintf(msg, sizeof msg,
               "%s: '%s' is empty once normalised (only spaces or "
               "invisible characters)",
               key, words[i]);
      /* Recorded: the topic is set aside, the others go on. */
      *rc = add_error(m, name, where, line, 0, NULL, 0, msg);
      return NULL;
    }
    if (*rc) return NULL;
  }
  return n == 1 ? kids[0] : rule_op(m->arena, R_OR, kids, n);
}

int topic_compile(struct mw_matcher *m, struct topic *t,
                         const struct mw_topic_conf *c) {
  char where[512];
  snprintf(where, sizeof where, "topic %s", c->name);
  t->name = mw_arena_strdup(m->arena, c->name);
  t->r.root = NONE32;
  if (!t->name) return MW_ENOMEM;
  struct mw_buf text;
  mw_buf_init(&text, 1u << 20);
  struct rnode *base = NULL;
  struct rule_err e = {0};
  int rc = MW_OK;
  int conf_line = c->rule ? c->rule_line : c->line;
  int conf_col = c->rule ? c->rule_col : 0;
  bool parsed = false;
  if (c->rule) {
    mw_buf_puts(&text, c->rule);
    rc = rule_parse(c->rule, strlen(c->rule), m->arena, m->norm, &base, &e);
    parsed = true;
  } else if (c->n_keywords) {
    size_t k = 0;
    struct rnode **kids = mw_arena_alloc(m->arena, c->n_keywords * sizeof *kids);
    if (!kids) rc = MW_ENOMEM;
    for (size_t i = 0; kids && i < c->n_keywords && !rc; i++) {
      struct rnode *n = rule_lit(m->arena, m->norm, c->keywords[i], &rc);
      if (rc == MW_EINVAL) rc = MW_OK; /* an empty keyword is skipped */
      else if (n) kids[k++] = n;
    }
    put_group(&text, c->keywords, c->n_keywords, false);
    if (!rc && k == 0) {
      rc = add_error(m, t->name, where, c->line, 0, NULL, 0,
                     "no usable keyword (all are empty once normalised)");
      goto out;
    }
    if (!rc) base = k == 1 ? kids[0] : rule_op(m->arena, R_OR, kids, k);
  } else if (c->n_regions || c->n_subjects || c->n_events) {
    struct rnode *g[3];
    size_t n = 0;
    char **words[3] = {c->regions, c->subjects, c->events};
    size_t counts[3] = {c->n_regions, c->n_subjects, c->n_events};
    static const char *const keys[3] = {"regions", "subjects", "events"};
    for (int i = 0; i < 3 && !rc; i++) {
      if (!counts[i]) continue;
      if (text.len) mw_buf_putc(&text, ' ');
      put_group(&text, words[i], counts[i], counts[i] > 1);
      g[n] = word_group(m, words[i], counts[i], keys[i], t->name, c->line, &rc);
      if (!g[n]) goto out;
      n++;
    }
    if (!rc) base = n == 1 ? g[0] : rule_op(m->arena, R_AND, g, n);
  } else {
    rc = add_error(m, t->name, where, c->line, 0, NULL, 0,
                   "needs keywords, a rule, or regions/subjects/events");
    goto out;
  }
  if (rc == MW_EINVAL && parsed) {
    rc = add_error(m, t->name, where, conf_line, conf_col, c->rule, e.off,
                   e.msg);
    goto out;
  }
  if (rc || !base) {
    if (!rc) rc = MW_ENOMEM;
    goto out;
  }
  if (c->n_exclude) {
    mw_buf_puts(&text, " -");
    put_group(&text, c->exclude, c->n_exclude, c->n_exclude > 1);
    struct rnode *x = word_group(m, c->exclude, c->n_exclude, "exclude",
                                 t->name, c->line, &rc);
    if (!x) {
      rule_release(base);
      goto out;
    }
    struct rnode *not = rule_op(m->arena, R_NOT, &x, 1);
    struct rnode *both[2] = {base, not};
    base = not ? rule_op(m->arena, R_AND, both, 2) : NULL;
    if (!base) {
      rc = MW_ENOMEM;
      goto out;
    }
  }
  t->r.text = mw_arena_strdup(m->arena, text.data ? text.data : "");
  rc = compile_tree(m, base, false, &t->r.root, &e);
  if (rc == MW_EINVAL)
    rc = add_error(m, t->name, where, conf_line, conf_col,
                   parsed ? c->rule : NULL, e.off, e.msg);
  if (!rc && rule_ok(&t->r)) t->r.always = rule_empty_eval(m, t->r.root) == 2;
out:
  mw_buf_cleanup(&text);
  if (!t->r.text) t->r.text = c->rule ? mw_arena_strdup(m->arena, c->rule) : "";
  return rc;
}

