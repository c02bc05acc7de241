/*
 * explain.c: why a document matched or not, and how sensitive it is, for
 * the people who write rules and tune the lexicon (`mediawatch match`).
 *
 * Per topic: each term found with its field and its offsets in the
 * original text (through the normalisation map), a one-line snippet of the
 * original around the first hit with the hits marked, and the rule drawn
 * as a tree with each part's verdict. Everything is allocated in one arena
 * that mw_match_report_free releases.
 *
 * What it leaves to others: matching (match.c), scoring (score.c),
 * printing (cli/cmd_match.c).
 */
#include <stdlib.h>
#include <string.h>

#include "matchers/matchers_int.h"

#define SNIPPET_BEFORE 30 /* characters of context before the hit */
#define SNIPPET_AFTER 50  /* ... and after it */

struct report {
  struct mw_match_report pub; /* first: the caller's pointer */
  struct mw_arena *arena;
};

static const char *const field_names[] = {"title", "body", "source",
                                          "outlet"};

const char *mw_field_name(int field) {
  return field >= 0 && field < MW_FIELD_COUNT ? field_names[field] : "?";
}

void mw_match_report_free(struct mw_match_report *r) {
  if (r) mw_arena_free(((struct report *)r)->arena);
}

static const struct mw_str *field_text(const struct mw_doc *d, int f) {
  switch (f) {
    case MW_FIELD_TITLE: return &d->title;
    case MW_FIELD_BODY: return &d->body;
    case MW_FIELD_SOURCE: return &d->source;
    default: return &d->outlet;
  }
}

/* ---------------------------------------------------------------- hits */

struct hits {
  struct mw_hit *v;
  size_t n, cap;
};

static int push_hit(struct hits *h, struct mw_hit x) {
  for (size_t i = 0; i < h->n; i++) /* a term written twice: once */
    if (h->v[i].field == x.field && h->v[i].start == x.start &&
        h->v[i].end == x.end && !strcmp(h->v[i].term, x.term))
      return MW_OK;
  if (h->n == h->cap) {
    size_t c = h->cap ? h->cap * 2 : 16;
    struct mw_hit *p = realloc(h->v, c * sizeof *p);
    if (!p) return MW_ENOMEM;
    h->v = p;
    h->cap = c;
  }
  h->v[h->n++] = x;
  return MW_OK;
}

/* Where leaf ni was found in field f: normalised start, end. */
static bool leaf_at(const struct mw_matcher *m, struct ctx *c,
                    const struct node *n, int f, uint32_t *s, uint32_t *e) {
  if (!(n->fields & (1u << f))) return false;
  if (n->kind == R_RE) return regex_in_field(m, c, n->atom, f, s, e);
  if (!(c->mask[n->atom] & (1u << f))) return false;
  const uint32_t *p = &c->first[(size_t)n->atom * 2 * MW_FIELD_COUNT + 2 * f];
  *s = p[0];
  *e = p[1];
  return true;
}

static void orig_span(struct ctx *c, int f, uint32_t s, uint32_t e,
                      size_t *os, size_t *oe) {
  *os = mw_norm_map_start(&c->map[f], s);
  *oe = mw_norm_map_end(&c->map[f], e);
}

static int gather(const struct mw_matcher *m, struct ctx *c, uint32_t ni,
                  struct hits *h) {
  const struct node *n = &m->nodes[ni];
  if (n->kind == R_LIT || n->kind == R_RE) {
    for (int f = 0; f < MW_FIELD_COUNT; f++) {
      uint32_t s, e;
      if (!leaf_at(m, c, n, f, &s, &e)) continue;
      struct mw_hit x = {.term = n->shown, .field = f,
                         .negative = n->negative};
      orig_span(c, f, s, e, &x.start, &x.end);
      if (push_hit(h, x)) return MW_ENOMEM;
    }
    return MW_OK;
  }
  const uint32_t *kids = node_kids_written(m, n);
  int rc = MW_OK;
  for (uint32_t i = 0; i < n->n && !rc; i++) rc = gather(m, c, kids[i], h);
  return rc;
}

/* ------------------------------------------------------------- snippet */

static size_t back_chars(const char *s, size_t at, int n) {
  while (at > 0 && n > 0) {
    at--;
    while (at > 0 && ((unsigned char)s[at] & 0xC0) == 0x80) at--;
    n--;
  }
  return at;
}

static size_t forward_chars(const char *s, size_t len, size_t at, int n) {
  while (at < len && n > 0) {
    at++;
    while (at < len && ((unsigned char)s[at] & 0xC0) == 0x80) at++;
    n--;
  }
  return at;
}

static void snippet(struct mw_topic_report *t, const struct mw_doc *doc,
                    struct mw_arena *a) {
  const struct mw_hit *best = NULL;
  static const int pref[] = {MW_FIELD_BODY, MW_FIELD_TITLE, MW_FIELD_SOURCE,
                             MW_FIELD_OUTLET};
  for (int p = 0; p < 4 && !best; p++)
    for (size_t i = 0; i < t->n_hits; i++) {
      const struct mw_hit *h = &t->hits[i];
      if (h->negative || h->field != pref[p]) continue;
      if (!best || h->start < best->start) best = h;
    }
  if (!best) return;
  const struct mw_str *txt = field_text(doc, best->field);
  size_t b = back_chars(txt->p, best->start, SNIPPET_BEFORE);
  size_t e = forward_chars(txt->p, txt->len, best->end, SNIPPET_AFTER);
  struct mw_buf s;
  mw_buf_init(&s, 4096);
  if (b > 0) mw_buf_puts(&s, "…");
  size_t lead = s.len;
  for (size_t i = b; i < e; i++) {
    char ch = txt->p[i];
    mw_buf_putc(&s, ch == '\n' || ch == '\r' || ch == '\t' ? ' ' : ch);
  }
  if (e < txt->len) mw_buf_puts(&s, "…");
  t->snippet = mw_arena_strdup(a, s.data ? s.data : "");
  t->snippet_field = best->field;
  mw_buf_cleanup(&s);
  size_t n = 0;
  for (size_t i = 0; i < t->n_hits; i++) {
    const struct mw_hit *h = &t->hits[i];
    n += !h->negative && h->field == best->field && h->start >= b && h->end <= e;
  }
  t->marks = n ? mw_arena_alloc(a, n * sizeof *t->marks) : NULL;
  if (!t->marks) return;
  for (size_t i = 0; i < t->n_hits; i++) {
    const struct mw_hit *h = &t->hits[i];
    if (h->negative || h->field != best->field || h->start < b || h->end > e)
      continue;
    t->marks[t->n_marks++] = (struct mw_mark){lead + h->start - b,
                                              lead + h->end - b};
  }
}

/* ---------------------------------------------------------------- why */

static void put_fields(struct mw_buf *b, unsigned fields) {
  for (int f = 0, first = 1; f < MW_FIELD_COUNT; f++)
    if (fields & (1u << f)) {
      mw_buf_printf(b, "%s%s", first ? "" : "|", field_names[f]);
      first = 0;
    }
}

static void draw(const struct mw_matcher *m, struct ctx *c, uint32_t ni,
                 unsigned parent_fields, int depth, struct mw_buf *b) {
  const struct node *n = &m->nodes[ni];
  bool yes = eval_node(m, c, ni);
  mw_buf_printf(b, "%-3s %*s", yes ? "yes" : "no", 2 * depth, "");
  static const char *const ops[] = {"", "", "AND", "OR", "NOT", "NEAR"};
  if (n->kind == R_LIT || n->kind == R_RE) mw_buf_puts(b, n->shown);
  else mw_buf_puts(b, ops[n->kind]);
  if (n->kind == R_NEAR) mw_buf_printf(b, "/%u", (unsigned)n->dist);
  if (n->fields != parent_fields) {
    mw_buf_puts(b, " in ");
    put_fields(b, n->fields);
  }
  if (n->kind == R_LIT || n->kind == R_RE) {
    bool any = false;
    for (int f = 0; f < MW_FIELD_COUNT; f++) {
      uint32_t s, e;
      if (!leaf_at(m, c, n, f, &s, &e)) continue;
      size_t os, oe;
      orig_span(c, f, s, e, &os, &oe);
      mw_buf_printf(b, "%s %s %zu-%zu", any ? "," : "  found in", field_names[f],
                    os, oe);
      any = true;
    }
  }
  mw_buf_putc(b, '\n');
  if (n->kind == R_LIT || n->kind == R_RE) return;
  const uint32_t *kids = node_kids_written(m, n);
  for (uint32_t i = 0; i < n->n; i++)
    draw(m, c, kids[i], n->fields, depth + 1, b);
}

/* ------------------------------------------------------------- report */

static int explain_topic(const struct mw_matcher *m, struct ctx *c,
                         const struct mw_doc *doc, size_t i,
                         struct mw_topic_report *t, struct mw_arena *a) {
  const struct topic *tp = &m->topics[i];
  t->name = tp->name;
  t->valid = rule_ok(&tp->r);
  if (!t->valid) return MW_OK;
  t->matched = eval_node(m, c, tp->r.root);
  struct hits h = {0};
  int rc = gather(m, c, tp->r.root, &h);
  if (!rc && h.n) {
    t->hits = mw_arena_alloc(a, h.n * sizeof *t->hits);
    if (t->hits) {
      memcpy(t->hits, h.v, h.n * sizeof *t->hits);
      t->n_hits = h.n;
    } else {
      rc = MW_ENOMEM;
    }
  }
  free(h.v);
  if (rc) return rc;
  snippet(t, doc, a);
  struct mw_buf b;
  mw_buf_init(&b, 1u << 20);
  draw(m, c, tp->r.root, FB_TEXT, 0, &b);
  t->why = mw_arena_strdup(a, b.data ? b.data : "");
  mw_buf_cleanup(&b);
  return t->why ? MW_OK : MW_ENOMEM;
}

int mw_matcher_explain(const struct mw_matcher *m, const struct mw_doc *doc,
                       struct mw_match_report **out, struct mw_err *err) {
  *out = NULL;
  struct mw_arena *a = mw_arena_new(64 * 1024, 0);
  struct report *r = a ? mw_arena_alloc(a, sizeof *r) : NULL;
  struct ctx *c = r ? ctx_get(m) : NULL;
  if (!c) {
    mw_arena_free(a);
    return mw_err_set(err, MW_ENOMEM, "out of memory");
  }
  memset(r, 0, sizeof *r);
  r->arena = a;
  struct mw_match_report *p = &r->pub;
  int rc = ctx_scan(m, c, doc, true, QUEUE_TOPICS | QUEUE_LEXICON, err);
  if (!rc) {
    p->n_topics = m->n_topics;
    p->topics = mw_arena_alloc(a, (m->n_topics + 1) * sizeof *p->topics);
    if (!p->topics) rc = mw_err_set(err, MW_ENOMEM, "out of memory");
    else memset(p->topics, 0, (m->n_topics + 1) * sizeof *p->topics);
  }
  for (size_t i = 0; !rc && i < m->n_topics; i++) {
    rc = explain_topic(m, c, doc, i, &p->topics[i], a);
    if (rc) mw_err_set(err, rc, "out of memory");
    p->matched += p->topics[i].matched;
  }
  p->kind = doc->kind >= 0 && doc->kind <= MW_DOC_COMPLAINT ? doc->kind : 0;
  p->kind_factor = 1;
  if (!rc && m->scored) {
    struct score_detail d;
    p->scored = true;
    p->score = score_doc(m, c, doc, &p->level, &p->kind_factor, a, &d);
    p->terms = d.terms;
    p->n_terms = d.n_terms;
    p->explanation = d.explanation;
  }
  ctx_clear(m, c);
  ctx_put(m, c);
  if (rc) {
    mw_arena_free(a);
    return rc;
  }
  *out = p;
  return MW_OK;
}
