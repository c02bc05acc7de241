/*
 * prog.c: the evaluation plan of a matcher. Which rules an occurrence of a
 * literal wakes, and each topic as a flat program.
 *
 * Each rule has a trigger set: literals one of which occurs in every
 * document the rule matches (for an AND, the smallest set of one of its
 * parts; for an OR, the union of its parts'; none under a NOT). A rule is
 * evaluated only on documents where a literal of that set occurred, so
 * the rule `(a | b) (c | d) -e` waits for c or d however often a occurs.
 *
 * A topic's tree is also written as a program of 32-bit words in the
 * order it is evaluated, so that evaluating the few dozen topics a
 * document wakes reads a short run of memory instead of chasing nodes:
 *
 *   ANY  op | fields << 4 | n << 8, then n literals: true when one of
 *        them occurs in the fields (a term, or an OR of terms)
 *   AND, OR  op | n << 8, then the words this part takes, then n parts;
 *        stops at the first part that decides it and skips the rest
 *   NOT  op, then one part
 *   NODE op, then a node of the tree: NEAR and regexes are evaluated by
 *        match.c, behind an ANY of the literals they cannot be true
 *        without (a regex's best factor, each part of a NEAR), so that
 *        most documents never get that far
 *
 * What it leaves to others: compiling the trees and literals (compile.c),
 * evaluating NEAR and regexes (match.c).
 */
#include <stdlib.h>
#include <string.h>

#include "matchers/matchers_int.h"

/* A growable list of literal ids, for trigger sets. */
struct ids {
  uint32_t *v;
  size_t n, cap;
};

static int ids_push(struct ids *s, uint32_t x) {
  for (size_t i = 0; i < s->n; i++)
    if (s->v[i] == x) return MW_OK;
  if (s->n == s->cap) {
    size_t c = s->cap ? s->cap * 2 : 8;
    uint32_t *p = realloc(s->v, c * sizeof *p);
    if (!p) return MW_ENOMEM;
    s->v = p;
    s->cap = c;
  }
  s->v[s->n++] = x;
  return MW_OK;
}

/* Every literal of node ni (and its regexes' factors). */
static int all_lits(const struct mw_matcher *m, uint32_t ni, struct ids *out) {
  const struct node *n = &m->nodes[ni];
  if (n->kind == R_LIT) return ids_push(out, n->atom);
  if (n->kind == R_RE) {
    const struct regex *r = &m->res[n->atom];
    for (uint32_t i = 0; i < r->n_gate; i++)
      if (ids_push(out, m->gates[r->gate0 + i])) return MW_ENOMEM;
    return MW_OK;
  }
  for (uint32_t i = 0; i < n->n; i++)
    if (all_lits(m, m->kids[n->kid0 + i], out)) return MW_ENOMEM;
  return MW_OK;
}

/* The trigger set of node ni into out (emptied first): literals one of
 * which occurs in every document where the node is true. *none when
 * there is no such set (a NOT, a regex without a factor). */
static int trigger(const struct mw_matcher *m, uint32_t ni, struct ids *out,
                   bool *none) {
  const struct node *n = &m->nodes[ni];
  out->n = 0;
  *none = false;
  switch (n->kind) {
    case R_LIT:
      return ids_push(out, n->atom);
    case R_RE:
      *none = m->res[n->atom].n_gate == 0;
      return *none ? MW_OK : all_lits(m, ni, out);
    case R_NOT:
      *none = true;
      return MW_OK;
    case R_OR:
      for (uint32_t i = 0; i < n->n; i++) {
        struct ids k = {0};
        bool kn;
        int rc = trigger(m, m->kids[n->kid0 + i], &k, &kn);
        for (size_t j = 0; !rc && !kn && j < k.n; j++)
          rc = ids_push(out, k.v[j]);
        free(k.v);
        if (rc) return rc;
        if (kn) {
          *none = true;
          return MW_OK;
        }
      }
      return MW_OK;
    default: { /* AND, NEAR: every part is needed; the smallest set wins */
      bool found = false;
      for (uint32_t i = 0; i < n->n; i++) {
        struct ids k = {0};
        bool kn;
        int rc = trigger(m, m->kids[n->kid0 + i], &k, &kn);
        if (!rc && !kn && (!found || k.n < out->n)) {
          found = true;
          out->n = 0;
          for (size_t j = 0; !rc && j < k.n; j++) rc = ids_push(out, k.v[j]);
        }
        free(k.v);
        if (rc) return rc;
      }
      *none = !found;
      return MW_OK;
    }
  }
}

static const struct rule *rule_at(const struct mw_matcher *m, size_t i) {
  return i < m->n_topics ? &m->topics[i].r : &m->lex[i - m->n_topics].r;
}

/* The literals that queue rule i: its trigger set, or when it has none
 * every literal it holds (a rule false on the empty document is true only
 * where one of them occurs). *always: it depends on a regex without a
 * factor and is looked at on every document. */
static int rule_triggers(const struct mw_matcher *m, size_t i,
                         struct ids *out, bool *always) {
  const struct rule *r = rule_at(m, i);
  out->n = 0;
  *always = false;
  if (!rule_ok(r)) return MW_OK;
  if (r->always) {
    *always = true;
    return MW_OK;
  }
  bool none;
  int rc = trigger(m, r->root, out, &none);
  if (!rc && none) {
    out->n = 0;
    rc = all_lits(m, r->root, out);
  }
  return rc;
}

/* Builds ix over rules [r0, r1). */
static int index_range(struct mw_matcher *m, struct rule_index *ix, size_t r0,
                       size_t r1) {
  uint32_t *count = calloc(m->n_lits + 1, sizeof *count);
  ix->off = calloc(m->n_lits + 1, sizeof *ix->off);
  ix->always = calloc(r1 - r0 + 1, sizeof *ix->always);
  struct ids t = {0};
  int rc = count && ix->off && ix->always ? MW_OK : MW_ENOMEM;
  for (int pass = 0; pass < 2 && !rc; pass++) {
    memset(count, 0, (m->n_lits + 1) * sizeof *count);
    for (size_t i = r0; i < r1 && !rc; i++) {
      bool always;
      rc = rule_triggers(m, i, &t, &always);
      if (always && pass == 0) ix->always[ix->n_always++] = (uint32_t)i;
      for (size_t k = 0; !rc && k < t.n; k++) {
        uint32_t l = t.v[k];
        if (pass) ix->refs[ix->off[l] + count[l]] = (uint32_t)i;
        count[l]++;
      }
    }
    if (pass == 0 && !rc) {
      uint32_t total = 0;
      for (size_t l = 0; l < m->n_lits; l++) {
        ix->off[l] = total;
        total += count[l];
      }
      ix->off[m->n_lits] = total;
      ix->refs = malloc((total ? total : 1) * sizeof *ix->refs);
      if (!ix->refs) rc = MW_ENOMEM;
    }
  }
  free(t.v);
  free(count);
  return rc;
}

static void index_free(struct rule_index *ix) {
  free(ix->off);
  free(ix->refs);
  free(ix->always);
}

static int index_rules(struct mw_matcher *m) {
  int rc = index_range(m, &m->topic_index, 0, m->n_topics);
  if (!rc)
    rc = index_range(m, &m->lex_index, m->n_topics, m->n_topics + m->n_lex);
  if (!rc) {
    m->lit_info = malloc((m->n_lits + 1) * sizeof *m->lit_info);
    if (!m->lit_info) return MW_ENOMEM;
    for (size_t i = 0; i < m->n_lits; i++)
      m->lit_info[i] =
          (m->lits[i].len > LIT_LEN ? LIT_LONG : m->lits[i].len) |
          (m->lits[i].all ? LIT_ALL : 0) | (m->lits[i].gate ? LIT_GATE : 0) |
          (m->topic_index.off[i] < m->topic_index.off[i + 1] ? LIT_TOPICS
                                                              : 0) |
          (m->lex_index.off[i] < m->lex_index.off[i + 1] ? LIT_LEXICON : 0);
  }
  return rc;
}


/* ------------------------------------------------------------ programs */

enum { OP_ANY, OP_AND, OP_OR, OP_NOT, OP_NODE };

#define PROG_N_MAX 0x00FFFFFFu

struct words {
  uint32_t *v;
  size_t n, cap;
};

static int put(struct words *w, uint32_t x) {
  if (w->n == w->cap) {
    size_t c = w->cap ? w->cap * 2 : 1024;
    uint32_t *p = realloc(w->v, c * sizeof *p);
    if (!p) return MW_ENOMEM;
    w->v = p;
    w->cap = c;
  }
  w->v[w->n++] = x;
  return MW_OK;
}

static bool is_lit(const struct mw_matcher *m, uint32_t ni) {
  return m->nodes[ni].kind == R_LIT;
}

/* Writes node ni. Consecutive terms of an OR that look in the same fields
 * become one ANY (an OR keeps its order: regex-free parts first). */
static int emit_node(const struct mw_matcher *m, uint32_t ni, struct words *w) {
  const struct node *n = &m->nodes[ni];
  switch (n->kind) {
    case R_LIT:
      if (put(w, OP_ANY | (uint32_t)n->fields << 4 | 1u << 8)) return MW_ENOMEM;
      return put(w, n->atom);
    case R_NOT:
      if (put(w, OP_NOT)) return MW_ENOMEM;
      return emit_node(m, m->kids[n->kid0], w);
    case R_AND:
    case R_OR: {
      const uint32_t *kids = m->kids + n->kid0;
      /* Parts: runs of terms (OR only) or single kids. */
      uint32_t parts = 0;
      for (uint32_t i = 0; i < n->n; parts++) {
        uint32_t j = i + 1;
        if (n->kind == R_OR && is_lit(m, kids[i]))
          while (j < n->n && is_lit(m, kids[j]) &&
                 m->nodes[kids[j]].fields == m->nodes[kids[i]].fields)
            j++;
        i = j;
      }
      if (parts == 1 && n->kind == R_OR && n->n > 1) { /* all one ANY */
        if (put(w, OP_ANY | (uint32_t)m->nodes[kids[0]].fields << 4 |
                       n->n << 8))
          return MW_ENOMEM;
        for (uint32_t i = 0; i < n->n; i++)
          if (put(w, m->nodes[kids[i]].atom)) return MW_ENOMEM;
        return MW_OK;
      }
      if (parts == 1) return emit_node(m, kids[0], w);
      size_t at = w->n;
      if (put(w, (n->kind == R_AND ? OP_AND : OP_OR) | parts << 8) ||
          put(w, 0))
        return MW_ENOMEM;
      for (uint32_t i = 0; i < n->n;) {
        uint32_t j = i + 1;
        if (n->kind == R_OR && is_lit(m, kids[i]))
          while (j < n->n && is_lit(m, kids[j]) &&
                 m->nodes[kids[j]].fields == m->nodes[kids[i]].fields)
            j++;
        if (j - i == 1) {
          if (emit_node(m, kids[i], w)) return MW_ENOMEM;
        } else {
          if (put(w, OP_ANY | (uint32_t)m->nodes[kids[i]].fields << 4 |
                         (j - i) << 8))
            return MW_ENOMEM;
          for (uint32_t k = i; k < j; k++)
            if (put(w, m->nodes[kids[k]].atom)) return MW_ENOMEM;
        }
        i = j;
      }
      w->v[at + 1] = (uint32_t)(w->n - at);
      return MW_OK;
    }
    default: { /* NEAR, regexes: AND(ANY, [ANY,] NODE) */
      struct ids need[2] = {{0}, {0}};
      size_t parts = 0;
      bool none = false;
      int rc = MW_OK;
      if (n->kind == R_RE) {
        none = m->res[n->atom].n_gate == 0;
        if (!none) rc = all_lits(m, ni, &need[parts++]);
      } else {
        for (uint32_t i = 0; i < 2 && !rc && !none; i++)
          rc = trigger(m, m->kids[n->kid0 + i], &need[parts++], &none);
      }
      for (size_t k = 0; k < parts; k++) none |= need[k].n > PROG_N_MAX;
      if (!rc && !none) {
        rc = put(w, OP_AND | (uint32_t)(parts + 1) << 8);
        size_t at = w->n;
        if (!rc) rc = put(w, 0);
        for (size_t k = 0; k < parts && !rc; k++) {
          rc = put(w, OP_ANY | (uint32_t)n->fields << 4 |
                          (uint32_t)need[k].n << 8);
          for (size_t j = 0; j < need[k].n && !rc; j++)
            rc = put(w, need[k].v[j]);
        }
        if (!rc) rc = put(w, OP_NODE);
        if (!rc) rc = put(w, ni);
        if (!rc) w->v[at] = (uint32_t)(w->n - at + 1);
      } else if (!rc) {
        rc = put(w, OP_NODE);
        if (!rc) rc = put(w, ni);
      }
      free(need[0].v);
      free(need[1].v);
      return rc;
    }
  }
}

/* Whether a program can hold the tree under ni: counts fit in 24 bits. */
static bool fits(const struct mw_matcher *m, uint32_t ni) {
  const struct node *n = &m->nodes[ni];
  if (n->kind == R_LIT || n->kind == R_RE || n->kind == R_NEAR) return true;
  if (n->n > PROG_N_MAX) return false;
  for (uint32_t i = 0; i < n->n; i++)
    if (!fits(m, m->kids[n->kid0 + i])) return false;
  return true;
}

static int build_progs(struct mw_matcher *m) {
  struct words w = {0};
  m->topic_prog = malloc((m->n_topics + 1) * sizeof *m->topic_prog);
  if (!m->topic_prog) return MW_ENOMEM;
  for (size_t t = 0; t < m->n_topics; t++) {
    const struct rule *r = &m->topics[t].r;
    m->topic_prog[t] = NONE32;
    if (!rule_ok(r)) continue;
    size_t at = w.n;
    if (!fits(m, r->root)) { /* absurdly wide: the tree itself */
      if (put(&w, OP_NODE) || put(&w, r->root)) goto nomem;
    } else if (emit_node(m, r->root, &w)) {
      goto nomem;
    }
    m->topic_prog[t] = (uint32_t)at;
  }
  m->prog = w.v;
  m->n_prog = w.n;
  return MW_OK;
nomem:
  free(w.v);
  return MW_ENOMEM;
}

/* Runs the program at *pp and leaves *pp after it. */
static bool run(const struct mw_matcher *m, struct ctx *c, const uint32_t **pp) {
  const uint32_t *p = *pp;
  uint32_t w = p[0];
  switch (w & 15) {
    case OP_ANY: {
      uint32_t n = w >> 8;
      uint8_t fields = (uint8_t)(w >> 4 & 15);
      const uint32_t *l = p + 1;
      *pp = l + n;
      for (uint32_t i = 0; i < n; i++)
        if (c->mask[l[i]] & fields) return true;
      return false;
    }
    case OP_AND:
    case OP_OR: {
      bool stop = (w & 15) == OP_OR; /* the verdict that decides it */
      uint32_t n = w >> 8;
      const uint32_t *q = p + 2;
      *pp = p + p[1];
      for (uint32_t i = 0; i < n; i++)
        if (run(m, c, &q) == stop) return stop;
      return !stop;
    }
    case OP_NOT:
      *pp = p + 1;
      return !run(m, c, pp);
    default:
      *pp = p + 2;
      return eval_node(m, c, p[1]);
  }
}

bool topic_eval(const struct mw_matcher *m, struct ctx *c, size_t t) {
  if (m->topic_prog[t] == NONE32) return false;
  const uint32_t *p = m->prog + m->topic_prog[t];
  return run(m, c, &p);
}

int plan_build(struct mw_matcher *m) {
  int rc = index_rules(m);
  return rc ? rc : build_progs(m);
}

void plan_free(struct mw_matcher *m) {
  index_free(&m->topic_index);
  index_free(&m->lex_index);
  free(m->prog);
  free(m->topic_prog);
}
