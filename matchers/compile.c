/*
 * compile.c: topics (keywords, rules, grouped form) and the lexicon into
 * one matcher: a flat node array per rule, one literal table shared by all
 * rules, and one Hyperscan database over every literal.
 *
 * A topic whose rule does not compile is kept with no root and an error
 * (message, excerpt and caret) so `config check` can show it while the
 * other topics work. A rule that would match a document with none of its
 * terms (only NOT) is refused the same way: a topic must find something.
 * Every pattern reports every match: HS_FLAG_SINGLEMATCH on the literals
 * whose first occurrence is enough made the scan about 15% slower (it
 * tracks which patterns are spent), more than the callbacks it saves cost.
 * Start offsets come from the literal's length, so no pattern needs
 * HS_FLAG_SOM_LEFTMOST. The literals are compiled twice: as UTF-8, and
 * in the two-byte form Chinese text is scanned in (see mw_norm_wide).
 *
 * What it leaves to others: parsing (rule.c), the topic forms
 * (keywords.c), the lexicon file (score.c), which rules a literal wakes and
 * the topics as flat programs (prog.c), matching (match.c).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "matchers/matchers_int.h"

/* The literal index while compiling: open addressing on the bytes. */
struct build {
  uint32_t *slots; /* literal + 1, 0 empty */
  size_t cap;
  size_t cap_nodes, cap_kids, cap_lits, cap_res, cap_gates, cap_errors;
  size_t cap_xsets, cap_xstrs;
};

static int grow(void **v, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return MW_OK;
  size_t c = *cap ? *cap : 16;
  while (c < need) c *= 2;
  void *p = realloc(*v, c * size);
  if (!p) return MW_ENOMEM;
  *v = p;
  *cap = c;
  return MW_OK;
}

static uint64_t hash_bytes(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

static int rehash(struct mw_matcher *m, size_t cap) {
  struct build *b = m->build;
  uint32_t *slots = calloc(cap, sizeof *slots);
  if (!slots) return MW_ENOMEM;
  for (size_t i = 0; i < m->n_lits; i++) {
    size_t k = hash_bytes(m->lits[i].s, m->lits[i].len) & (cap - 1);
    while (slots[k]) k = (k + 1) & (cap - 1);
    slots[k] = (uint32_t)i + 1;
  }
  free(b->slots);
  b->slots = slots;
  b->cap = cap;
  return MW_OK;
}

/* The id of literal s (normalised), added when new. */
static int lit_id(struct mw_matcher *m, const char *s, size_t n, bool all,
                  uint32_t *id) {
  struct build *b = m->build;
  if ((m->n_lits + 1) * 2 > b->cap && rehash(m, b->cap ? b->cap * 2 : 1024))
    return MW_ENOMEM;
  size_t k = hash_bytes(s, n) & (b->cap - 1);
  while (b->slots[k]) {
    struct lit *l = &m->lits[b->slots[k] - 1];
    if (l->len == n && !memcmp(l->s, s, n)) {
      *id = b->slots[k] - 1;
      l->all |= all;
      return MW_OK;
    }
    k = (k + 1) & (b->cap - 1);
  }
  if (grow((void **)&m->lits, &b->cap_lits, m->n_lits + 1, sizeof *m->lits))
    return MW_ENOMEM;
  struct lit *l = &m->lits[m->n_lits];
  l->s = s;
  l->len = (uint32_t)n;
  l->all = all;
  l->gate = false;
  l->cue = -1;
  *id = (uint32_t)m->n_lits;
  b->slots[k] = (uint32_t)++m->n_lits;
  return MW_OK;
}

int lit_register(struct mw_matcher *m, const char *s, size_t n, bool all,
                 uint32_t *id) {
  return lit_id(m, s, n, all, id);
}

/* ------------------------------------------------------------- trees */

struct walk {
  struct mw_matcher *m;
  bool all;
  struct rule_err *e;
};

/* The longest a match of the pattern can be, in bytes, when that bound is
 * known and the pattern looks at nothing outside its match (no lookahead,
 * end anchors or word boundaries, which a cut text would change); else 0.
 * Hyperscan's parser gives the bound; an empty pattern is 0 bytes long
 * (*empty set). */
static uint32_t regex_width(const char *pat, size_t len, bool *empty) {
  if (empty) *empty = len == 0;
  if (len == 0) return 0;
  static const char *const risky[] = {"(?", "$", "\\b", "\\B", "\\z",
                                      "\\Z", "\\G", "\\K", "(*"};
  char *z = malloc(len + 1);
  if (!z) return 0;
  memcpy(z, pat, len);
  z[len] = '\0';
  uint32_t w = 0;
  bool ok = strlen(z) == len;
  for (size_t i = 0; ok && i < sizeof risky / sizeof risky[0]; i++)
    ok = !strstr(z, risky[i]);
  hs_expr_info_t *info = NULL;
  hs_compile_error_t *cerr = NULL;
  if (ok && hs_expression_info(z, HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_CASELESS,
                               &info, &cerr) == HS_SUCCESS) {
    if (info->max_width != UINT_MAX && info->max_width <= 4096)
      w = info->max_width;
  }
  free(info); /* allocated with malloc, as the misc allocator is unset */
  hs_free_compile_error(cerr);
  free(z);
  return w;
}

static uint32_t regex_window(const char *pat, size_t len) {
  return regex_width(pat, len, NULL);
}

static int add_regex(struct walk *w, struct rnode *rn, uint32_t *id) {
  struct mw_matcher *m = w->m;
  struct build *b = m->build;
  if (grow((void **)&m->res, &b->cap_res, m->n_res + 1, sizeof *m->res))
    return MW_ENOMEM;
  struct regex_factor f[REGEX_FACTORS_MAX];
  size_t nf = regex_factors(rn->norm, rn->norm_len, m->arena, m->norm, f);
  size_t n = nf ? f[0].n : 0, nx = 0;
  for (size_t k = 1; k < nf; k++) nx += f[k].n;
  if (grow((void **)&m->gates, &b->cap_gates, m->n_gates + n,
           sizeof *m->gates) ||
      grow((void **)&m->xsets, &b->cap_xsets, m->n_xsets + nf,
           sizeof *m->xsets) ||
      grow((void **)&m->xstrs, &b->cap_xstrs, m->n_xstrs + nx,
           sizeof *m->xstrs))
    return MW_ENOMEM;
  struct regex *r = &m->res[m->n_res];
  r->code = rn->re;
  rn->re = NULL; /* the matcher owns it now */
  r->gate0 = (uint32_t)m->n_gates;
  r->n_gate = (uint32_t)n;
  r->window = n ? regex_window(rn->norm, rn->norm_len) : 0;
  /* The best factor at one place of the pattern: a match is the part
   * before it (at most pre bytes), it, and the part after (at most post). */
  r->pre = r->post = 0;
  r->split = false;
  if (r->window && f[0].top) {
    bool e0, e1;
    uint32_t a = regex_width(rn->norm, f[0].ps, &e0);
    uint32_t z = regex_width(rn->norm + f[0].pe, rn->norm_len - f[0].pe, &e1);
    if ((a || e0) && (z || e1)) {
      r->pre = a;
      r->post = z;
      r->split = true;
    }
  }
  /* Every occurrence of the best factor is recorded: a match can only be
   * near one. */
  for (size_t k = 0; k < n; k++) {
    uint32_t lid;
    if (lit_id(m, f[0].v[k], f[0].l[k], true, &lid)) return MW_ENOMEM;
    m->lits[lid].gate = true;
    m->gates[m->n_gates++] = lid;
  }
  r->x0 = (uint32_t)m->n_xsets;
  r->n_x = nf ? (uint32_t)(nf - 1) : 0;
  for (size_t k = 1; k < nf; k++) {
    m->xsets[m->n_xsets++] = (struct xset){(uint32_t)m->n_xstrs,
                                           (uint32_t)f[k].n};
    for (size_t j = 0; j < f[k].n; j++)
      m->xstrs[m->n_xstrs++] = (struct xstr){f[k].v[j], (uint32_t)f[k].l[j]};
  }
  *id = (uint32_t)m->n_res++;
  return MW_OK;
}

static int flatten(struct walk *w, struct rnode *rn, unsigned fields,
                   bool negative, bool in_near, uint32_t *out) {
  struct mw_matcher *m = w->m;
  struct build *b = m->build;
  if (rn->fields) fields = rn->fields;
  if (rn->kind == R_NOT) negative = !negative;
  struct node nd = {
      .kind = (uint8_t)rn->kind,
      .fields = (uint8_t)fields,
      .negative = negative,
      .dist = (uint16_t)rn->dist,
      .src0 = (uint32_t)rn->off,
      .src1 = (uint32_t)rn->end,
      .shown = rn->shown,
  };
  int rc = MW_OK;
  if (rn->kind == R_LIT) {
    rc = lit_id(m, rn->norm, rn->norm_len, w->all || in_near, &nd.atom);
  } else if (rn->kind == R_RE) {
    rc = add_regex(w, rn, &nd.atom);
    nd.has_re = 1;
  } else {
    uint32_t small[8], *kids = small;
    if (rn->n > 8 && !(kids = malloc(rn->n * sizeof *kids))) return MW_ENOMEM;
    bool near = in_near || rn->kind == R_NEAR;
    for (size_t i = 0; i < rn->n && !rc; i++)
      rc = flatten(w, rn->kids[i], fields, negative, near, &kids[i]);
    if (!rc && !grow((void **)&m->kids, &b->cap_kids, m->n_kids + 2 * rn->n,
                     sizeof *m->kids)) {
      /* Regex-free kids first, so regexes run only when still needed;
       * then the same kids as written, for explanations. */
      nd.kid0 = (uint32_t)m->n_kids;
      nd.n = (uint32_t)rn->n;
      for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < rn->n; i++)
          if (m->nodes[kids[i]].has_re == pass)
            m->kids[m->n_kids++] = kids[i];
      for (size_t i = 0; i < rn->n; i++) m->kids[m->n_kids++] = kids[i];
      for (size_t i = 0; i < rn->n; i++) nd.has_re |= m->nodes[kids[i]].has_re;
    } else if (!rc) {
      rc = MW_ENOMEM;
    }
    if (kids != small) free(kids);
  }
  if (rc) return rc;
  if (grow((void **)&m->nodes, &b->cap_nodes, m->n_nodes + 1,
           sizeof *m->nodes))
    return MW_ENOMEM;
  m->nodes[m->n_nodes] = nd;
  *out = (uint32_t)m->n_nodes++;
  return MW_OK;
}

int rule_empty_eval(const struct mw_matcher *m, uint32_t ni) {
  const struct node *n = &m->nodes[ni];
  switch (n->kind) {
    case R_LIT: return 0;
    case R_RE: return m->res[n->atom].n_gate ? 0 : 2;
    case R_NEAR: /* both parts need an occurrence */
      return rule_empty_eval(m, m->kids[n->kid0]) == 2 &&
                     rule_empty_eval(m, m->kids[n->kid0 + 1]) == 2
                 ? 2
                 : 0;
    case R_NOT: {
      int v = rule_empty_eval(m, m->kids[n->kid0]);
      return v == 2 ? 2 : !v;
    }
    default: {
      bool and = n->kind == R_AND, unknown = false;
      for (uint32_t i = 0; i < n->n; i++) {
        int v = rule_empty_eval(m, m->kids[n->kid0 + i]);
        if (v == 2) unknown = true;
        else if (v == (and ? 0 : 1)) return v;
      }
      return unknown ? 2 : and ? 1 : 0;
    }
  }
}

int compile_tree(struct mw_matcher *m, struct rnode *root, bool all,
                 uint32_t *out, struct rule_err *e) {
  struct walk w = {.m = m, .all = all, .e = e};
  int rc = flatten(&w, root, FB_TEXT, false, false, out);
  rule_release(root); /* regexes not taken when flattening stopped */
  if (rc) return rc;
  if (rule_empty_eval(m, *out) == 1) {
    e->off = 0;
    snprintf(e->msg, sizeof e->msg,
             "the rule matches every document that lacks its terms; say "
             "what must be found, not only what to leave out");
    *out = NONE32;
    return MW_EINVAL;
  }
  return MW_OK;
}

/* ------------------------------------------------------------ errors */

void rule_locate(const char *src, size_t len, size_t off, int *line,
                 int *col, struct mw_buf *excerpt, struct mw_buf *caret) {
  if (off > len) off = len;
  size_t start = 0;
  *line = 1;
  for (size_t i = 0; i < off; i++)
    if (src[i] == '\n') {
      (*line)++;
      start = i + 1;
    }
  size_t stop = start;
  while (stop < len && src[stop] != '\n' && src[stop] != '\r') stop++;
  mw_buf_append(excerpt, src + start, stop - start);
  *col = 1;
  for (size_t i = start; i < off;) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)src + i,
                                          (utf8proc_ssize_t)(len - i), &cp);
    if (n <= 0) {
      n = 1;
      cp = '?';
    }
    int w = cp == '\t' ? 1 : utf8proc_charwidth(cp);
    for (int k = 0; k < w; k++) mw_buf_putc(caret, ' ');
    (*col)++;
    i += (size_t)n;
  }
  mw_buf_putc(caret, '^');
}

int add_error(struct mw_matcher *m, const char *topic, const char *where,
              int conf_line, int conf_col, const char *text, size_t off,
              const char *msg) {
  struct build *b = m->build;
  if (grow((void **)&m->errors, &b->cap_errors, m->n_errors + 1,
           sizeof *m->errors))
    return MW_ENOMEM;
  struct mw_rule_error *re = &m->errors[m->n_errors];
  memset(re, 0, sizeof *re);
  struct mw_buf msgb, ex, caret;
  mw_buf_init(&msgb, 4096);
  mw_buf_init(&ex, RULE_MAX_BYTES + 16);
  mw_buf_init(&caret, 4 * RULE_MAX_BYTES + 16);
  if (text) {
    size_t len = strlen(text);
    rule_locate(text, len, off, &re->line, &re->column, &ex, &caret);
    bool multi = memchr(text, '\n', len) != NULL;
    if (multi)
      mw_buf_printf(&msgb, "%s, line %d, column %d: %s", where, re->line,
                    re->column, msg);
    else
      mw_buf_printf(&msgb, "%s, column %d: %s", where, re->column, msg);
  } else {
    mw_buf_printf(&msgb, "%s: %s", where, msg);
  }
  re->topic = topic;
  re->conf_line = conf_line;
  re->conf_col = conf_col;
  re->message = mw_arena_strdup(m->arena, msgb.data ? msgb.data : "");
  re->excerpt = mw_arena_strdup(m->arena, ex.data ? ex.data : "");
  re->caret = mw_arena_strdup(m->arena, caret.data ? caret.data : "");
  mw_buf_cleanup(&msgb);
  mw_buf_cleanup(&ex);
  mw_buf_cleanup(&caret);
  if (!re->message || !re->excerpt || !re->caret) return MW_ENOMEM;
  m->n_errors++;
  return MW_OK;
}

/* ---------------------------------------------------------- finishing */

/* One database over every literal, as UTF-8 (wide false) or in the scan's
 * wide form (struct mw_norm_wide). */
static int compile_db(struct mw_matcher *m, bool wide, hs_database_t **db,
                      struct mw_err *err) {
  const char **exprs = calloc(m->n_lits, sizeof *exprs);
  unsigned *flags = calloc(m->n_lits, sizeof *flags);
  unsigned *ids = malloc(m->n_lits * sizeof *ids);
  size_t *lens = malloc(m->n_lits * sizeof *lens);
  struct mw_norm_wide w;
  mw_norm_wide_init(&w);
  int rc = exprs && flags && ids && lens ? MW_OK : MW_ENOMEM;
  for (size_t i = 0; !rc && i < m->n_lits; i++) {
    exprs[i] = m->lits[i].s;
    lens[i] = m->lits[i].len;
    ids[i] = (unsigned)i;
    flags[i] = 0; /* see the top of the file */
    if (!wide) continue;
    char *u = NULL;
    rc = mw_norm_wide(m->lits[i].s, m->lits[i].len, &w);
    if (!rc && !(u = mw_arena_alloc(m->arena, 2 * w.n + 1))) rc = MW_ENOMEM;
    if (rc) break;
    memcpy(u, w.u, 2 * w.n);
    exprs[i] = u;
    lens[i] = 2 * w.n;
  }
  mw_norm_wide_cleanup(&w);
  if (rc) {
    mw_err_set(err, rc, "out of memory");
  } else {
    hs_compile_error_t *cerr = NULL;
    if (hs_compile_lit_multi(exprs, flags, ids, lens, (unsigned)m->n_lits,
                             HS_MODE_BLOCK, NULL, db, &cerr) != HS_SUCCESS) {
      rc = mw_err_set(err, MW_EINVAL,
                      "the keyword database could not be built: %s",
                      cerr && cerr->message ? cerr->message : "unknown error");
      hs_free_compile_error(cerr);
      *db = NULL;
    }
  }
  free(exprs);
  free(flags);
  free(ids);
  free(lens);
  return rc;
}

static int build_db(struct mw_matcher *m, struct mw_err *err) {
  if (m->n_lits == 0) return MW_OK;
  int rc = compile_db(m, false, &m->db, err);
  if (!rc) rc = compile_db(m, true, &m->db16, err);
  size_t a = 0, b = 0;
  if (!rc) {
    hs_database_size(m->db, &a);
    hs_database_size(m->db16, &b);
    m->db_bytes = a + b;
  }
  return rc;
}

static void default_sens(struct mw_sensitivity_conf *s) {
  memset(s, 0, sizeof *s);
  s->level_min[0] = 5;
  s->level_min[1] = 15;
  s->level_min[2] = 30;
  s->level_min[3] = 60;
  s->title_pct = 200;
  s->negation_window = 12;
  s->kind_pct[MW_DOC_UNKNOWN] = 100;
  s->kind_pct[MW_DOC_PRESS] = 60;
  s->kind_pct[MW_DOC_PORTAL] = 60;
  s->kind_pct[MW_DOC_SOCIAL] = 150;
  s->kind_pct[MW_DOC_COMPLAINT] = 200;
}

int mw_matcher_new_lexicon(const struct mw_topic_conf *topics,
                           size_t n_topics,
                           const struct mw_sensitivity_conf *sens,
                           const char *lexicon, size_t lexicon_len,
                           const char *name, struct mw_matcher **out,
                           struct mw_err *err) {
  *out = NULL;
  struct mw_matcher *m = calloc(1, sizeof *m);
  struct build *b = calloc(1, sizeof *b);
  if (!m || !b) {
    free(m);
    free(b);
    return mw_err_set(err, MW_ENOMEM, "out of memory");
  }
  pthread_mutex_init(&m->lock, NULL);
  m->build = b;
  m->arena = mw_arena_new(64 * 1024, 0);
  m->topics = calloc(n_topics ? n_topics : 1, sizeof *m->topics);
  int rc = m->arena && m->topics ? MW_OK : MW_ENOMEM;
  if (!rc) rc = mw_norm_table_new(&m->norm);
  if (sens) m->sens = *sens;
  else default_sens(&m->sens);
  m->sens.lexicon = NULL; /* the path is the config's */
  for (size_t i = 0; i < n_topics && !rc; i++) {
    m->n_topics = i + 1;
    rc = topic_compile(m, &m->topics[i], &topics[i]);
  }
  if (rc == MW_ENOMEM) mw_err_set(err, rc, "out of memory");
  if (!rc && lexicon) {
    m->scored = true;
    rc = lexicon_load(m, lexicon, lexicon_len, name ? name : "lexicon", err);
  }
  if (!rc && (rc = plan_build(m)))
    mw_err_set(err, rc, "out of memory");
  if (!rc) rc = build_db(m, err);
  free(b->slots);
  free(b);
  m->build = NULL;
  if (rc) {
    mw_matcher_free(m);
    return rc;
  }
  *out = m;
  return MW_OK;
}

int mw_matcher_new(const struct mw_topic_conf *topics, size_t n_topics,
                   struct mw_matcher **out, struct mw_err *err) {
  return mw_matcher_new_lexicon(topics, n_topics, NULL, NULL, 0, NULL, out,
                                err);
}

int mw_matcher_new_config(const struct mw_config *cfg,
                          struct mw_matcher **out, struct mw_err *err) {
  const struct mw_sensitivity_conf *s = &cfg->sensitivity;
  if (!s->lexicon)
    return mw_matcher_new_lexicon(cfg->topics, cfg->n_topics, s, NULL, 0,
                                  NULL, out, err);
  FILE *f = fopen(s->lexicon, "rb");
  if (!f)
    return mw_err_set(err, MW_EINVAL, "%s: the lexicon cannot be opened",
                      s->lexicon);
  struct mw_buf b;
  mw_buf_init(&b, 16u << 20);
  char chunk[65536];
  size_t n;
  int rc = MW_OK;
  while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
    rc = mw_buf_append(&b, chunk, n);
  bool bad = ferror(f);
  fclose(f);
  if (rc == MW_ETOOBIG)
    rc = mw_err_set(err, rc, "%s: the lexicon is larger than 16 MB",
                    s->lexicon);
  else if (rc || bad)
    rc = mw_err_set(err, rc ? rc : MW_EIO, "%s: cannot read the lexicon",
                    s->lexicon);
  else
    rc = mw_matcher_new_lexicon(cfg->topics, cfg->n_topics, s,
                                b.data ? b.data : "", b.len, s->lexicon, out,
                                err);
  mw_buf_cleanup(&b);
  return rc;
}

void mw_matcher_free(struct mw_matcher *m) {
  if (!m) return;
  while (m->pool) {
    struct ctx *c = m->pool;
    m->pool = c->next;
    ctx_free(c);
  }
  for (size_t i = 0; i < m->n_res; i++) pcre2_code_free(m->res[i].code);
  hs_free_database(m->db);
  hs_free_database(m->db16);
  free(m->topics);
  free(m->lex);
  free(m->cues);
  free(m->cue_lits);
  free(m->nodes);
  free(m->kids);
  free(m->lits);
  free(m->res);
  free(m->gates);
  free(m->xsets);
  free(m->xstrs);
  free(m->lit_info);
  plan_free(m);
  mw_norm_table_free(m->norm);
  free(m->errors);
  if (m->build) {
    free(m->build->slots);
    free(m->build);
  }
  mw_arena_free(m->arena);
  pthread_mutex_destroy(&m->lock);
  free(m);
}

/* ------------------------------------------------------------ queries */

size_t mw_matcher_topic_count(const struct mw_matcher *m) {
  return m->n_topics;
}

const char *mw_matcher_topic_name(const struct mw_matcher *m, size_t topic) {
  return topic < m->n_topics ? m->topics[topic].name : NULL;
}

bool mw_matcher_topic_valid(const struct mw_matcher *m, size_t topic) {
  return topic < m->n_topics && rule_ok(&m->topics[topic].r);
}

size_t mw_matcher_error_count(const struct mw_matcher *m) {
  return m->n_errors;
}

const struct mw_rule_error *mw_matcher_error(const struct mw_matcher *m,
                                             size_t i) {
  return i < m->n_errors ? &m->errors[i] : NULL;
}

void mw_matcher_stats(const struct mw_matcher *m,
                      struct mw_matcher_stats *out) {
  memset(out, 0, sizeof *out);
  out->topics = m->n_topics;
  out->lexicon_entries = m->n_lex;
  out->literals = m->n_lits;
  out->regexes = m->n_res;
  for (size_t i = 0; i < m->n_res; i++)
    out->regexes_ungated += m->res[i].n_gate == 0;
  out->db_bytes = m->db_bytes;
}

static void put_expr(const struct mw_matcher *m, uint32_t ni,
                     struct mw_buf *b) {
  const struct node *n = &m->nodes[ni];
  static const char *const fnames[] = {"title", "body", "source", "outlet"};
  if (n->kind == R_LIT || n->kind == R_RE) {
    if (n->fields != FB_TEXT) {
      for (int f = 0, first = 1; f < 4; f++)
        if (n->fields & (1u << f)) {
          mw_buf_printf(b, "%s%s", first ? "" : "|", fnames[f]);
          first = 0;
        }
      mw_buf_putc(b, ':');
    }
    if (n->kind == R_RE) {
      mw_buf_puts(b, n->shown);
      return;
    }
    const struct lit *l = &m->lits[n->atom];
    if (strpbrk(l->s, " ()\"")) mw_buf_printf(b, "\"%s\"", l->s);
    else mw_buf_append(b, l->s, l->len);
    return;
  }
  static const char *const ops[] = {"", "", "AND", "OR", "NOT", "NEAR"};
  mw_buf_printf(b, "(%s", ops[n->kind]);
  if (n->kind == R_NEAR) mw_buf_printf(b, "/%u", (unsigned)n->dist);
  const uint32_t *kids = node_kids_written(m, n);
  for (size_t i = 0; i < n->n; i++) {
    mw_buf_putc(b, ' ');
    put_expr(m, kids[i], b);
  }
  mw_buf_putc(b, ')');
}

int mw_matcher_topic_expr(const struct mw_matcher *m, size_t topic,
                          struct mw_buf *out) {
  if (topic >= m->n_topics || !rule_ok(&m->topics[topic].r))
    return MW_EINVAL;
  put_expr(m, m->topics[topic].r.root, out);
  return MW_OK;
}
