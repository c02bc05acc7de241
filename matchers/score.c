/*
 * score.c: the sensitivity lexicon and the score of a document.
 *
 * The lexicon is a text file, one entry per line: term, category and
 * weight separated by tabs (or, when a line has no tab, by white space,
 * the weight last). The term column is a rule of the rule language, most
 * often one word (偷排), sometimes NEAR/15(焚烧厂, 抗议|反对). Lines whose
 * category is 否定 (or negation) are negation and refutation cues (未发现,
 * 辟谣, 已整改): their weight is the factor, between 0 and 1, that a term
 * counts for when the cue is within the negation window of it in the same
 * sentence; a cue in the title softens every term of the document.
 *
 * The score is the sum over the entries found of weight x (title weight
 * when found in the title) x (the cue factor when every occurrence is
 * negated), times the weight of the document's source kind. The level is
 * the highest whose threshold the score reaches (0 below the first).
 *
 * What it leaves to others: reading the file (compile.c), the scan
 * (match.c), the alert levels' names (alerts/; the matcher gives a number).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matchers/matchers_int.h"

#define WEIGHT_MAX 1000.0

static const char *const kind_names[] = {"unknown", "press", "portal",
                                         "social", "complaint"};

const char *mw_doc_kind_name(int kind) {
  return kind >= 0 && kind <= MW_DOC_COMPLAINT ? kind_names[kind] : "unknown";
}

int mw_doc_kind_parse(const char *s, int *out) {
  for (int k = 0; k <= MW_DOC_COMPLAINT; k++)
    if (!mw_ascii_casecmp(s, kind_names[k])) {
      *out = k;
      return MW_OK;
    }
  return MW_EINVAL;
}

int mw_doc_kind_of_tier(enum mw_tier tier) {
  if (tier == MW_TIER_NEW_MEDIA) return MW_DOC_SOCIAL;
  if (tier == MW_TIER_PORTAL) return MW_DOC_PORTAL;
  return MW_DOC_PRESS;
}

/* ------------------------------------------------------------- lexicon */

/* A decimal number such as 3, 0.5 or 12.25, whole string; the digits
 * are divided by a power of ten once, so 0.3 is the double nearest 0.3. */
static bool parse_number(const char *s, size_t n, double *out) {
  double v = 0, div = 1;
  bool digits = false, dot = false;
  for (size_t i = 0; i < n; i++) {
    if (mw_ascii_isdigit((unsigned char)s[i])) {
      digits = true;
      if (dot) div *= 10;
      v = v * 10 + (s[i] - '0');
      if (v > 1e12 || div > 1e9) return false;
    } else if (s[i] == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  *out = v / div;
  return digits;
}

static void trim(const char **s, size_t *n) {
  while (*n && mw_ascii_isspace((unsigned char)**s)) (*s)++, (*n)--;
  while (*n && mw_ascii_isspace((unsigned char)(*s)[*n - 1])) (*n)--;
}

/* Splits a line into term, category and weight. */
static bool split_line(const char *s, size_t n, const char **f, size_t *fl) {
  const char *tab1 = memchr(s, '\t', n);
  if (tab1) {
    const char *tab2 = memchr(tab1 + 1, '\t', n - (size_t)(tab1 + 1 - s));
    if (!tab2) return false;
    f[0] = s;
    fl[0] = (size_t)(tab1 - s);
    f[1] = tab1 + 1;
    fl[1] = (size_t)(tab2 - tab1 - 1);
    f[2] = tab2 + 1;
    fl[2] = n - (size_t)(tab2 + 1 - s);
  } else { /* from the right: weight, category, then the term */
    size_t e = n;
    for (int k = 2; k >= 1; k--) {
      while (e && mw_ascii_isspace((unsigned char)s[e - 1])) e--;
      size_t b = e;
      while (b && !mw_ascii_isspace((unsigned char)s[b - 1])) b--;
      if (b == e) return false;
      f[k] = s + b;
      fl[k] = e - b;
      e = b;
    }
    f[0] = s;
    fl[0] = e;
  }
  for (int k = 0; k < 3; k++) trim(&f[k], &fl[k]);
  return fl[0] && fl[1] && fl[2];
}

static bool is_cue_category(const char *s, size_t n) {
  return (n == strlen("否定") && !memcmp(s, "否定", n)) ||
         (n == 8 && !mw_ascii_ncasecmp(s, "negation", 8));
}

static int line_error(struct mw_matcher *m, const char *name, size_t line,
                      const char *text, size_t off, const char *msg) {
  char where[600];
  snprintf(where, sizeof where, "%s:%zu", name, line);
  return add_error(m, NULL, where, 0, 0, text, off, msg);
}

static int load_line(struct mw_matcher *m, const char *name, size_t no,
                     const char *s, size_t n) {
  const char *f[3];
  size_t fl[3];
  char msg[320];
  if (!split_line(s, n, f, fl))
    return line_error(m, name, no, NULL, 0,
                      "expected term, category and weight separated by tabs");
  double w;
  if (!parse_number(f[2], fl[2], &w)) {
    snprintf(msg, sizeof msg, "the weight '%.*s' is not a number such as 3 "
                              "or 0.5", (int)(fl[2] > 40 ? 40 : fl[2]), f[2]);
    return line_error(m, name, no, NULL, 0, msg);
  }
  char *term = mw_arena_strndup(m->arena, f[0], fl[0]);
  char *cat = mw_arena_strndup(m->arena, f[1], fl[1]);
  if (!term || !cat) return MW_ENOMEM;
  if (is_cue_category(f[1], fl[1])) {
    if (w > 1)
      return line_error(m, name, no, NULL, 0,
                        "a negation's weight is the factor its terms count "
                        "for: between 0 and 1");
    int rc;
    struct rnode *lit = rule_lit(m->arena, m->norm, term, &rc);
    if (rc == MW_EINVAL)
      return line_error(m, name, no, NULL, 0,
                        "the negation is empty once normalised");
    if (rc) return rc;
    uint32_t id;
    if (lit_register(m, lit->norm, lit->norm_len, true, &id)) return MW_ENOMEM;
    if (m->lits[id].cue >= 0) return MW_OK; /* listed twice: first wins */
    m->lits[id].cue = (int32_t)m->n_cues;
    m->cues[m->n_cues] = (struct cue){term, w};
    m->cue_lits[m->n_cues++] = id;
    return MW_OK;
  }
  if (w <= 0 || w > WEIGHT_MAX) {
    snprintf(msg, sizeof msg, "the weight must be above 0 and at most %g",
             WEIGHT_MAX);
    return line_error(m, name, no, NULL, 0, msg);
  }
  struct rnode *root;
  struct rule_err e;
  int rc = rule_parse(term, strlen(term), m->arena, m->norm, &root, &e);
  uint32_t ri = NONE32;
  if (rc == MW_OK) rc = compile_tree(m, root, true, &ri, &e);
  if (rc == MW_EINVAL) return line_error(m, name, no, term, e.off, e.msg);
  if (rc) return rc;
  struct lex_entry *x = &m->lex[m->n_lex++];
  x->term = term;
  x->category = cat;
  x->weight = w;
  x->r.root = ri;
  x->r.text = term;
  x->r.always = false;
  return MW_OK;
}

int lexicon_load(struct mw_matcher *m, const char *text, size_t len,
                 const char *name, struct mw_err *err) {
  size_t lines = 1;
  for (size_t i = 0; i < len; i++) lines += text[i] == '\n';
  m->lex = calloc(lines, sizeof *m->lex);
  m->cues = calloc(lines, sizeof *m->cues);
  m->cue_lits = calloc(lines, sizeof *m->cue_lits);
  if (!m->lex || !m->cues || !m->cue_lits)
    return mw_err_set(err, MW_ENOMEM, "out of memory");
  if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) { /* a BOM */
    text += 3;
    len -= 3;
  }
  size_t no = 0;
  for (size_t i = 0; i < len;) {
    const char *nl = memchr(text + i, '\n', len - i);
    size_t end = nl ? (size_t)(nl - text) : len;
    const char *s = text + i;
    size_t n = end - i;
    no++;
    i = end + 1;
    trim(&s, &n);
    if (!n || *s == '#') continue;
    int rc = load_line(m, name, no, s, n);
    if (rc) return mw_err_set(err, rc, "out of memory");
  }
  return MW_OK;
}

/* --------------------------------------------------------------- score */

/* Whether two spans are within window characters and no sentence ends
 * between them. */
static bool close_in_sentence(const char *text, struct span a, struct span b,
                              int64_t window) {
  uint32_t s, e;
  if (b.start >= a.end) s = a.end, e = b.start;
  else if (a.start >= b.end) s = b.end, e = a.start;
  else return true;
  if ((uint64_t)(e - s) > 4ull * (uint64_t)window) return false;
  if ((int64_t)mw_utf8_count(text + s, e - s) > window) return false;
  for (uint32_t i = s; i < e; i++) {
    char c = text[i];
    if (c == '!' || c == '?' || c == ';') return false;
    if (c == '\xE3' && i + 2 < e && text[i + 1] == '\x80' &&
        text[i + 2] == '\x82') /* 。 */
      return false;
  }
  return true;
}

/* The positive literal occurrences of an entry, in title and body. */
static void entry_spans(const struct mw_matcher *m, struct ctx *c, uint32_t ni,
                        struct span **v, size_t *n, size_t *cap,
                        uint8_t **fields) {
  const struct node *nd = &m->nodes[ni];
  if (nd->kind == R_LIT) {
    if (nd->negative) return;
    for (uint32_t h = c->head[nd->atom]; h != NONE32; h = c->hits[h].next) {
      if (c->hits[h].field > MW_FIELD_BODY) continue;
      if (*n == *cap) {
        size_t k = *cap ? *cap * 2 : 32;
        struct span *p = realloc(*v, k * sizeof *p);
        uint8_t *q = realloc(*fields, k);
        if (p) *v = p;
        if (q) *fields = q;
        if (!p || !q) return;
        *cap = k;
      }
      (*v)[*n] = (struct span){c->hits[h].start, c->hits[h].end};
      (*fields)[(*n)++] = c->hits[h].field;
    }
    return;
  }
  for (uint32_t i = 0; i < nd->n; i++)
    entry_spans(m, c, m->kids[nd->kid0 + i], v, n, cap, fields);
}

/* The strongest negation near span p of field f: its factor (1: none). */
static double negation(const struct mw_matcher *m, struct ctx *c, int f,
                       struct span p, int *cue) {
  double best = 1;
  for (size_t k = 0; k < m->n_cues; k++) {
    uint32_t l = m->cue_lits[k];
    if (!(c->mask[l] & (1u << f))) continue;
    for (uint32_t h = c->head[l]; h != NONE32; h = c->hits[h].next) {
      if (c->hits[h].field != f) continue;
      struct span q = {c->hits[h].start, c->hits[h].end};
      if (m->cues[k].factor < best &&
          close_in_sentence(c->norm[f].data, p, q, m->sens.negation_window)) {
        best = m->cues[k].factor;
        *cue = (int)k;
      }
    }
  }
  return best;
}

static size_t orig_offset(struct ctx *c, int f, uint32_t off, bool end) {
  if (!c->mapped) return off;
  return end ? mw_norm_map_end(&c->map[f], off)
             : mw_norm_map_start(&c->map[f], off);
}

/* An entry found in the document, with its occurrences. */
struct found {
  uint32_t entry;
  size_t s0, n; /* occurrences in the spans array */
};

/* Whether every occurrence of plain-word entry a lies inside an
 * occurrence of a longer plain word found: 焚烧厂 within 垃圾焚烧厂 counts
 * once, as the longer. Returns the longer entry or -1. */
static long inside_longer(const struct mw_matcher *m, const struct found *fs,
                          size_t nf, size_t a, const struct span *v,
                          const uint8_t *vf) {
  const struct lex_entry *x = &m->lex[fs[a].entry];
  if (m->nodes[x->r.root].kind != R_LIT || !fs[a].n) return -1;
  long by = -1;
  for (size_t k = fs[a].s0; k < fs[a].s0 + fs[a].n; k++) {
    bool in = false;
    for (size_t b = 0; b < nf && !in; b++) {
      const struct lex_entry *y = &m->lex[fs[b].entry];
      if (b == a || m->nodes[y->r.root].kind != R_LIT) continue;
      for (size_t j = fs[b].s0; j < fs[b].s0 + fs[b].n && !in; j++)
        if (vf[j] == vf[k] && v[j].start <= v[k].start &&
            v[k].end <= v[j].end &&
            v[j].end - v[j].start > v[k].end - v[k].start) {
          in = true;
          by = (long)b;
        }
    }
    if (!in) return -1;
  }
  return by;
}

static int cmp_found(const void *a, const void *b) {
  const struct found *x = a, *y = b;
  return x->entry < y->entry ? -1 : x->entry > y->entry;
}

double score_doc(const struct mw_matcher *m, struct ctx *c,
                 const struct mw_doc *doc, int *level, double *kind_factor,
                 struct mw_arena *arena, struct score_detail *details) {
  int kind = doc->kind >= 0 && doc->kind <= MW_DOC_COMPLAINT ? doc->kind : 0;
  double kf = (double)m->sens.kind_pct[kind] / 100.0;
  *kind_factor = kf;
  *level = 0;
  if (details) memset(details, 0, sizeof *details);
  /* A cue in the title (辟谣, 情况说明...) softens the whole document. */
  double title_factor = 1;
  int title_cue = -1;
  for (size_t k = 0; k < m->n_cues; k++)
    if ((c->mask[m->cue_lits[k]] & FB_TITLE) &&
        m->cues[k].factor < title_factor) {
      title_factor = m->cues[k].factor;
      title_cue = (int)k;
    }
  struct span *v = NULL;
  uint8_t *vf = NULL;
  size_t cap = 0, nv = 0, nf = 0;
  struct found *fs = malloc((c->n_cands + 1) * sizeof *fs);
  struct mw_buf ex;
  mw_buf_init(&ex, 1u << 20);
  double sum = 0;
  size_t counted = 0;
  for (size_t i = 0; fs && i < c->n_cands; i++) {
    uint32_t r = c->cands[i];
    if (r < m->n_topics) continue;
    const struct lex_entry *x = &m->lex[r - m->n_topics];
    if (!rule_ok(&x->r) || !eval_node(m, c, x->r.root)) continue;
    fs[nf] = (struct found){r - (uint32_t)m->n_topics, nv, 0};
    entry_spans(m, c, x->r.root, &v, &nv, &cap, &vf);
    fs[nf].n = nv - fs[nf].s0;
    nf++;
  }
  if (nf > 1) qsort(fs, nf, sizeof *fs, cmp_found); /* lexicon order */
  for (size_t i = 0; i < nf; i++) {
    const struct lex_entry *x = &m->lex[fs[i].entry];
    long by = inside_longer(m, fs, nf, i, v, vf);
    if (by >= 0) {
      mw_buf_printf(&ex, "%s (%s): counted within %s\n", x->term,
                    x->category, m->lex[fs[by].entry].term);
      continue;
    }
    const struct span *sp = v + fs[i].s0;
    const uint8_t *sf = vf + fs[i].s0;
    size_t n = fs[i].n;
    bool in_title = false;
    double best = n ? 0 : title_factor;
    int best_cue = n ? -1 : title_cue;
    size_t first = 0;
    for (size_t k = 0; k < n; k++) {
      if (sf[k] == MW_FIELD_TITLE) in_title = true;
      if (sf[k] < sf[first] ||
          (sf[k] == sf[first] && sp[k].start < sp[first].start))
        first = k;
      int cue = title_cue;
      double pf = title_factor;
      int near_cue = -1;
      double nfac = negation(m, c, sf[k], sp[k], &near_cue);
      if (nfac < pf) {
        pf = nfac;
        cue = near_cue;
      }
      if (pf > best) {
        best = pf;
        best_cue = pf < 1 ? cue : -1;
      }
    }
    const struct node *root = &m->nodes[x->r.root];
    if (!n && root->kind == R_RE && (root->fields & FB_TITLE))
      in_title = regex_in_field(m, c, root->atom, MW_FIELD_TITLE, NULL, NULL);
    double tw = in_title ? (double)m->sens.title_pct / 100.0 : 1.0;
    double points = x->weight * tw * best;
    sum += points;
    counted++;
    mw_buf_printf(&ex, "%s (%s): %g", x->term, x->category, x->weight);
    if (in_title) mw_buf_printf(&ex, " x%g title", tw);
    if (best_cue >= 0)
      mw_buf_printf(&ex, " x%g negated by %s", best, m->cues[best_cue].term);
    mw_buf_printf(&ex, " = %g\n", points);
    if (!details || !arena) continue;
    struct mw_score_term *t =
        mw_arena_alloc(arena, sizeof *t * (details->n_terms + 1));
    if (!t) continue;
    if (details->n_terms)
      memcpy(t, details->terms, sizeof *t * details->n_terms);
    details->terms = t;
    t = &t[details->n_terms++];
    memset(t, 0, sizeof *t);
    t->term = x->term;
    t->category = x->category;
    t->weight = x->weight;
    t->in_title = in_title;
    t->cue = best_cue >= 0 ? m->cues[best_cue].term : NULL;
    t->factor = tw * best;
    t->points = points;
    t->field = n ? sf[first] : in_title ? MW_FIELD_TITLE : MW_FIELD_BODY;
    if (n) {
      t->start = orig_offset(c, sf[first], sp[first].start, false);
      t->end = orig_offset(c, sf[first], sp[first].end, true);
    }
  }
  free(v);
  free(vf);
  free(fs);
  double score = sum * kf;
  for (int l = 4; l >= 1; l--)
    if (counted && score >= (double)m->sens.level_min[l - 1]) {
      *level = l;
      break;
    }
  if (details && arena) {
    if (!counted) mw_buf_puts(&ex, "no sensitive term\n");
    mw_buf_printf(&ex, "sum %g x%g source kind %s = %g, level %d", sum, kf,
                  mw_doc_kind_name(kind), score, *level);
    if (*level < 4)
      mw_buf_printf(&ex, " (level %d from %lld)", *level + 1,
                    (long long)m->sens.level_min[*level]);
    details->explanation = mw_arena_strdup(arena, ex.data ? ex.data : "");
  }
  mw_buf_cleanup(&ex);
  return score;
}
