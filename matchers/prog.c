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
 * A topic's tree is also written as jumping code: a list of tests, each
 * naming the test to go to when it is true and when it is false (or the
 * verdict), in 32-bit words, so that evaluating the few dozen topics a
 * document wakes reads a short run of memory with no recursion:
 *
 *   op | fields << 4 | n << 8, then the two targets, then
 *   ANY   n literals: true when one of them occurs in the fields (a term,
 *         or an OR of terms)
 *   NODE  a node of the tree: NEAR and regexes are evaluated by match.c,
 *         behind ANYs of the literals they cannot be true without (a
 *         regex's best factor, each part of a NEAR), so that most
 *         documents never get that far
 *
 * AND, OR and NOT are only targets: an AND's part goes on to the next
 * part when true and to the AND's false target when false.
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
    for (size_t i = 0; i <= m->n_lits; i++) {
      m->lit_info[i].topics = m->topic_index.off[i];
      if (i == m->n_lits) break;
      m->lit_info[i].info =
          (m->lits[i].len > LIT_LEN ? LIT_LONG : m->lits[i].len) |
          (m->lits[i].all ? LIT_ALL : 0) | (m->lits[i].gate ? LIT_GATE : 0) |
          (m->topic_index.off[i] < m->topic_index.off[i + 1] ? LIT_TOPICS
                                                              : 0) |
          (m->lex_index.off[i] < m->lex_index.off[i + 1] ? LIT_LEXICON : 0);
    }
    m->lit_info[m->n_lits].info = 0;
  }
  return rc;
}


/* ------------------------------------------------------------ programs */

enum { OP_ANY, OP_NODE };

#define PROG_N_MAX 0x00FFFFFFu
#define PC_TRUE (UINT32_MAX - 1)  /* the topic matches */
#define PC_FALSE (UINT32_MAX - 2) /* it does not */

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

/* Writes a test: ANY of lits[0, n) in fields, or NODE ni (lits NULL),
 * going to t when true, f when false. *pc: where it starts. */
static int test(struct words *w, unsigned fields, const uint32_t *lits,
                size_t n, uint32_t ni, uint32_t t, uint32_t f, uint32_t *pc) {
  if (w->n >= PC_FALSE - 4 - n) return MW_ENOMEM; /* absurdly large */
  *pc = (uint32_t)w->n;
  int rc = put(w, (lits ? OP_ANY : OP_NODE) | fields << 4 |
                      (uint32_t)(lits ? n : 1) << 8);
  if (!rc) rc = put(w, t);
  if (!rc) rc = put(w, f);
  for (size_t i = 0; !rc && lits && i < n; i++) rc = put(w, lits[i]);
  if (!rc && !lits) rc = put(w, ni);
  return rc;
}

static bool is_lit(const struct mw_matcher *m, uint32_t ni) {
  return m->nodes[ni].kind == R_LIT;
}

/* One part of an AND or OR as it is tested: a run of terms looking in the
 * same fields (one ANY), or one other node. */
struct part {
  uint32_t first, n; /* kids[first, first + n) */
  bool terms;
};

static int gen(const struct mw_matcher *m, uint32_t ni, uint32_t t,
               uint32_t f, struct words *w, uint32_t *pc);

/* The parts of node n (AND or OR): an OR's runs of terms become one ANY;
 * an AND's terms are one ANY each. ANYs first, then the rest in order:
 * verdicts are pure, so the order changes only the work. */
static size_t parts_of(const struct mw_matcher *m, const struct node *n,
                       struct part *out) {
  const uint32_t *kids = m->kids + n->kid0;
  size_t np = 0;
  for (int pass = 0; pass < 2; pass++)
    for (uint32_t i = 0; i < n->n;) {
      uint32_t j = i + 1;
      bool lit = is_lit(m, kids[i]);
      if (lit && n->kind == R_OR)
        while (j < n->n && is_lit(m, kids[j]) &&
               m->nodes[kids[j]].fields == m->nodes[kids[i]].fields)
          j++;
      if (lit == (pass == 0)) out[np++] = (struct part){i, j - i, lit};
      i = j;
    }
  return np;
}

/* Writes node ni as jumping code: tests that go to t when it is true and
 * to f when false. The last part of an AND or OR is written first, so
 * every target is known when its test is written. */
static int gen(const struct mw_matcher *m, uint32_t ni, uint32_t t,
               uint32_t f, struct words *w, uint32_t *pc) {
  const struct node *n = &m->nodes[ni];
  switch (n->kind) {
    case R_LIT:
      return test(w, n->fields, &n->atom, 1, 0, t, f, pc);
    case R_NOT:
      return gen(m, m->kids[n->kid0], f, t, w, pc);
    case R_AND:
    case R_OR: {
      if (n->n == 0) { /* not written by the parser; as a tree would */
        *pc = n->kind == R_AND ? t : f;
        return MW_OK;
      }
      if (n->n > PROG_N_MAX) return test(w, 0, NULL, 0, ni, t, f, pc);
      struct part small[16], *parts = small;
      if (n->n > 16 && !(parts = malloc(n->n * sizeof *parts)))
        return MW_ENOMEM;
      size_t np = parts_of(m, n, parts);
      const uint32_t *kids = m->kids + n->kid0;
      uint32_t *lits = NULL;
      uint32_t at = t; /* where the part after this one starts */
      int rc = MW_OK;
      for (size_t k = np; k-- > 0 && !rc;) {
        const struct part *q = &parts[k];
        uint32_t pt = n->kind == R_AND ? (k + 1 < np ? at : t) : t;
        uint32_t pf = n->kind == R_AND ? f : (k + 1 < np ? at : f);
        if (q->terms && q->n > 1) {
          uint32_t *v = realloc(lits, q->n * sizeof *v);
          if (!v) {
            rc = MW_ENOMEM;
            break;
          }
          lits = v;
          for (uint32_t i = 0; i < q->n; i++)
            lits[i] = m->nodes[kids[q->first + i]].atom;
          rc = test(w, m->nodes[kids[q->first]].fields, lits, q->n, 0, pt, pf,
                    &at);
        } else {
          rc = gen(m, kids[q->first], pt, pf, w, &at);
        }
      }
      free(lits);
      if (parts != small) free(parts);
      *pc = at;
      return rc;
    }
    default: { /* NEAR, regexes: behind the literals they need */
      struct ids need[2] = {{0}, {0}};
      size_t nn = 0;
      bool none = false;
      int rc = MW_OK;
      if (n->kind == R_RE) {
        none = m->res[n->atom].n_gate == 0;
        if (!none) rc = all_lits(m, ni, &need[nn++]);
      } else {
        for (uint32_t i = 0; i < 2 && !rc && !none; i++)
          rc = trigger(m, m->kids[n->kid0 + i], &need[nn++], &none);
      }
      for (size_t k = 0; k < nn; k++) none |= need[k].n > PROG_N_MAX;
      uint32_t at = 0;
      if (!rc) rc = test(w, 0, NULL, 0, ni, t, f, &at);
      for (size_t k = nn; !rc && !none && k-- > 0;)
        rc = test(w, n->fields, need[k].v, need[k].n, 0, at, f, &at);
      free(need[0].v);
      free(need[1].v);
      *pc = at;
      return rc;
    }
  }
}

static int build_progs(struct mw_matcher *m) {
  struct words w = {0};
  m->topic_prog = malloc((m->n_topics + 1) * sizeof *m->topic_prog);
  if (!m->topic_prog) return MW_ENOMEM;
  for (size_t t = 0; t < m->n_topics; t++) {
    const struct rule *r = &m->topics[t].r;
    m->topic_prog[t] = NONE32;
    if (rule_ok(r) && gen(m, r->root, PC_TRUE, PC_FALSE, &w,
                          &m->topic_prog[t])) {
      free(w.v);
      return MW_ENOMEM;
    }
  }
  m->prog = w.v;
  m->n_prog = w.n;
  return MW_OK;
}

/* Runs topic t's tests from its entry until a verdict. Each test is an
 * ANY (every literal looked at, no early exit: whether a literal occurred
 * is what a processor cannot guess) or a node of the tree (NEAR, regex:
 * match.c); the next test is chosen by the verdict, with no stack. */
bool topic_eval(const struct mw_matcher *m, struct ctx *c, size_t t) {
  uint32_t pc = m->topic_prog[t];
  if (pc == NONE32) return false;
  const uint32_t *prog = m->prog;
  const uint8_t *mask = c->mask;
  while (pc < PC_FALSE) {
    const uint32_t *p = prog + pc;
    uint32_t h = p[0];
    bool v;
    if ((h & 15) == OP_ANY) {
      uint8_t acc = 0;
      for (uint32_t i = 0, n = h >> 8; i < n; i++) acc |= mask[p[3 + i]];
      v = acc & (uint8_t)(h >> 4 & 15);
    } else {
      v = eval_node(m, c, p[3]);
    }
    pc = v ? p[1] : p[2];
  }
  return pc == PC_TRUE;
}

/* ------------------------------------------------------------- leaves */

struct leaves {
  struct leaf *v;
  size_t n, cap;
};

static int add_leaves(const struct mw_matcher *m, uint32_t ni,
                      struct leaves *l) {
  const struct node *n = &m->nodes[ni];
  if (n->kind == R_LIT || n->kind == R_RE) {
    if (n->negative) return MW_OK;
    if (l->n == l->cap) {
      size_t c = l->cap ? l->cap * 2 : 1024;
      struct leaf *p = realloc(l->v, c * sizeof *p);
      if (!p) return MW_ENOMEM;
      l->v = p;
      l->cap = c;
    }
    size_t len = strlen(n->shown);
    l->v[l->n++] = (struct leaf){n->shown, len > UINT32_MAX ? 0 : (uint32_t)len,
                                 n->atom, n->kind, n->fields};
    return MW_OK;
  }
  const uint32_t *kids = node_kids_written(m, n);
  for (uint32_t i = 0; i < n->n; i++)
    if (add_leaves(m, kids[i], l)) return MW_ENOMEM;
  return MW_OK;
}

static int build_leaves(struct mw_matcher *m) {
  struct leaves l = {0};
  m->topic_leaf0 = malloc((m->n_topics + 1) * sizeof *m->topic_leaf0);
  if (!m->topic_leaf0) return MW_ENOMEM;
  for (size_t t = 0; t < m->n_topics; t++) {
    m->topic_leaf0[t] = (uint32_t)l.n;
    if (rule_ok(&m->topics[t].r) && add_leaves(m, m->topics[t].r.root, &l)) {
      free(l.v);
      return MW_ENOMEM;
    }
  }
  m->topic_leaf0[m->n_topics] = (uint32_t)l.n;
  m->leaves = l.v;
  return MW_OK;
}

int plan_build(struct mw_matcher *m) {
  int rc = index_rules(m);
  if (!rc) rc = build_progs(m);
  return rc ? rc : build_leaves(m);
}

void plan_free(struct mw_matcher *m) {
  index_free(&m->topic_index);
  index_free(&m->lex_index);
  free(m->prog);
  free(m->topic_prog);
  free(m->leaves);
  free(m->topic_leaf0);
}
