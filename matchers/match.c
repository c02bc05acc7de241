/*
 * match.c: one document against every rule.
 *
 * Each field is normalised and scanned once with the one Hyperscan
 * database, Chinese text in its two-byte wide form (wide.c). The scan's
 * callback only notes each hit; taken in after the scan, a hit records
 * per literal the fields it occurs in, its first occurrence where needed,
 * for a regex's best factor every occurrence and the last, and for
 * literals that NEAR or the lexicon need every occurrence (up to HITS_MAX
 * per document); the first occurrence of a literal queues the topics it
 * wakes (its trigger set, prog.c). Only those topics are evaluated, by
 * their programs (prog.c), plus the few whose regexes have no literal
 * factor. A regex runs (PCRE2, JIT) only in a field where its best factor
 * occurred, at most once per field and document, and only over the
 * stretches near that factor's occurrences where a match can lie, once
 * its other factors were seen there.
 *
 * The matcher is immutable; the per-call state lives in a struct ctx taken
 * from a pool under a mutex and given back after the call, so concurrent
 * calls each have their own Hyperscan scratch and buffers.
 *
 * What it leaves to others: the plan and the programs (prog.c),
 * explanations (explain.c), scores (score.c).
 */
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "matchers/matchers_int.h"

/* ------------------------------------------------------------- scratch */

void ctx_free(struct ctx *c) {
  if (!c) return;
  hs_free_scratch(c->scratch);
  pcre2_match_data_free(c->md);
  pcre2_match_context_free(c->mctx);
  for (int f = 0; f < MW_FIELD_COUNT; f++) {
    mw_buf_cleanup(&c->norm[f]);
    mw_norm_map_cleanup(&c->map[f]);
  }
  free(c->mask);
  free(c->first);
  free(c->last);
  free(c->head);
  free(c->touched);
  free(c->hits);
  free(c->re_state);
  free(c->re_first);
  free(c->re_touched);
  free(c->stamp);
  free(c->cands);
  free(c->va);
  free(c->vb);
  free(c->vw);
  mw_norm_wide_cleanup(&c->wide);
  free(c);
}

static struct ctx *ctx_new(const struct mw_matcher *m) {
  struct ctx *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  size_t nl = m->n_lits + 1, nr = m->n_res + 1;
  size_t rules = m->n_topics + m->n_lex + 1;
  c->m = m;
  c->info = m->lit_info;
  c->mask = calloc(nl, 1);
  c->first = malloc(nl * 2 * MW_FIELD_COUNT * sizeof *c->first);
  c->last = malloc(nl * MW_FIELD_COUNT * sizeof *c->last);
  c->head = malloc(nl * sizeof *c->head);
  c->touched = malloc(nl * sizeof *c->touched);
  c->re_state = calloc(nr * MW_FIELD_COUNT, 1);
  c->re_first = malloc(nr * 2 * MW_FIELD_COUNT * sizeof *c->re_first);
  c->re_touched = malloc(nr * MW_FIELD_COUNT * sizeof *c->re_touched);
  c->stamp = calloc(rules, sizeof *c->stamp);
  c->cands = malloc(rules * sizeof *c->cands);
  c->md = pcre2_match_data_create(1, NULL);
  c->mctx = pcre2_match_context_create(NULL);
  c->cap_vw = 64; /* so one stretch always fits */
  c->vw = malloc(c->cap_vw * sizeof *c->vw);
  if (!c->mask || !c->first || !c->last || !c->head || !c->touched ||
      !c->re_state || !c->re_first || !c->re_touched || !c->stamp ||
      !c->cands || !c->md || !c->mctx || !c->vw ||
      (m->db && (hs_alloc_scratch(m->db, &c->scratch) != HS_SUCCESS ||
                 hs_alloc_scratch(m->db16, &c->scratch) != HS_SUCCESS))) {
    ctx_free(c);
    return NULL;
  }
  /* Backtracking bombs stop here: a regex over the limit does not match. */
  pcre2_set_match_limit(c->mctx, 1000000);
  memset(c->head, 0xFF, nl * sizeof *c->head);
  for (int f = 0; f < MW_FIELD_COUNT; f++) {
    mw_buf_init(&c->norm[f], 3 * (size_t)FIELD_MAX + 4096);
    mw_norm_map_init(&c->map[f], FIELD_MAX);
  }
  return c;
}

struct ctx *ctx_get(const struct mw_matcher *m) {
  struct mw_matcher *mm = (struct mw_matcher *)m; /* the pool only */
  pthread_mutex_lock(&mm->lock);
  struct ctx *c = mm->pool;
  if (c) mm->pool = c->next;
  pthread_mutex_unlock(&mm->lock);
  return c ? c : ctx_new(m);
}

void ctx_put(const struct mw_matcher *m, struct ctx *c) {
  struct mw_matcher *mm = (struct mw_matcher *)m;
  pthread_mutex_lock(&mm->lock);
  c->next = mm->pool;
  mm->pool = c;
  pthread_mutex_unlock(&mm->lock);
}

void ctx_clear(const struct mw_matcher *m, struct ctx *c) {
  for (size_t i = 0; i < c->n_touched; i++) {
    c->mask[c->touched[i]] = 0;
    c->head[c->touched[i]] = NONE32;
  }
  for (size_t i = 0; i < c->n_re_touched; i++)
    c->re_state[c->re_touched[i]] = 0;
  c->n_touched = c->n_hits = c->n_re_touched = c->n_cands = 0;
  c->lost = false;
  (void)m;
}

/* ---------------------------------------------------------------- scan */

static void queue(struct ctx *c, uint32_t rule) {
  if (c->stamp[rule] == c->gen) return;
  c->stamp[rule] = c->gen;
  c->cands[c->n_cands++] = rule;
}

/* The rules literal l wakes in the indexes asked for: its topics from
 * lit_info (read already), the lexicon entries from their index. */
static void queue_lit(struct ctx *c, const struct lit_info *li, uint32_t l) {
  if ((li->info & LIT_TOPICS) && c->queue[0])
    for (uint32_t r = li->topics; r < li[1].topics; r++)
      queue(c, c->queue[0]->refs[r]);
  const struct rule_index *ix = c->queue[1];
  if ((li->info & LIT_LEXICON) && ix)
    for (uint32_t r = ix->off[l]; r < ix->off[l + 1]; r++)
      queue(c, ix->refs[r]);
}

/* The less common part of a hit: the first occurrence where it is needed,
 * a regex factor's last occurrence, every occurrence of a literal that
 * NEAR or the lexicon needs. */
__attribute__((noinline)) static void record(struct ctx *c, unsigned id,
                                             uint32_t info, bool first,
                                             unsigned long long to) {
  uint32_t len = info & LIT_LONG ? c->m->lits[id].len : info & LIT_LEN;
  uint32_t end = (uint32_t)to, start = end - len;
  if (first) {
    uint32_t *p = &c->first[(size_t)id * 2 * MW_FIELD_COUNT + 2 * c->field];
    p[0] = start;
    p[1] = end;
  }
  if (info & LIT_GATE) c->last[(size_t)id * MW_FIELD_COUNT + c->field] = start;
  if (!(info & LIT_ALL)) return;
  if (c->n_hits >= HITS_MAX) {
    c->lost = true;
    return;
  }
  if (c->n_hits == c->cap_hits) {
    size_t cap = c->cap_hits ? c->cap_hits * 2 : 256;
    struct hit *h = realloc(c->hits, cap * sizeof *h);
    if (!h) { /* positions are lost, the scan goes on */
      c->lost = true;
      return;
    }
    c->hits = h;
    c->cap_hits = cap;
  }
  c->hits[c->n_hits] = (struct hit){start, end, c->head[id], (uint8_t)c->field};
  c->head[id] = (uint32_t)c->n_hits++;
}

/* Takes in the occurrences the scan reported, in order. */
static void take_hits(struct ctx *c) {
  const struct lit_info *info = c->info;
  uint8_t *mask = c->mask, bit = c->bit;
  for (size_t i = 0; i < c->n_raw; i++) {
    uint32_t id = c->raw[i].id, li = info[id].info;
    uint8_t mk = mask[id];
    bool first = !(mk & bit);
    if (first) {
      mask[id] = mk | bit;
      if (!mk) {
        c->touched[c->n_touched++] = id;
        if (li & c->wakes) queue_lit(c, &info[id], id);
      }
      first = c->mapped || (li & (LIT_ALL | LIT_GATE));
    }
    if (first || (li & (LIT_ALL | LIT_GATE)))
      record(c, id, li, first,
             c->scan_wide ? c->wide.off[c->raw[i].end] : c->raw[i].end);
  }
  c->n_raw = 0;
}

/* Called by Hyperscan for every occurrence of every literal (a document
 * has hundreds): only notes it. Taking the notes in after the scan, away
 * from Hyperscan's own tables in the cache, costs less than doing the
 * bookkeeping here. */
static int on_match(unsigned int id, unsigned long long from,
                    unsigned long long to, unsigned int flags, void *user) {
  (void)from;
  (void)flags;
  struct ctx *c = user;
  c->raw[c->n_raw++] = (struct raw_hit){id, (uint32_t)to};
  if (c->n_raw == RAW_MAX) take_hits(c);
  return 0;
}

/* The same for the wide form: a match that does not end on a character
 * (an odd offset) straddles two and is not one; the end is noted as a
 * unit, made a UTF-8 offset only where one is recorded. */
static int on_match_wide(unsigned int id, unsigned long long from,
                         unsigned long long to, unsigned int flags,
                         void *user) {
  (void)from;
  (void)flags;
  struct ctx *c = user;
  if (to & 1) return 0;
  c->raw[c->n_raw++] = (struct raw_hit){id, (uint32_t)(to >> 1)};
  if (c->n_raw == RAW_MAX) take_hits(c);
  return 0;
}

int ctx_scan(const struct mw_matcher *m, struct ctx *c,
             const struct mw_doc *doc, bool with_map, unsigned what,
             struct mw_err *err) {
  const struct mw_str *fields[MW_FIELD_COUNT] = {&doc->title, &doc->body,
                                                 &doc->source, &doc->outlet};
  static const char *const names[] = {"title", "body", "source", "outlet"};
  c->mapped = with_map; /* first occurrences of every literal, for offsets */
  if (++c->gen == 0) { /* wrapped: forget every stamp */
    memset(c->stamp, 0, (m->n_topics + m->n_lex + 1) * sizeof *c->stamp);
    c->gen = 1;
  }
  /* The scan queues the rules each literal wakes as it first occurs. */
  c->queue[0] = what & QUEUE_TOPICS ? &m->topic_index : NULL;
  c->queue[1] = what & QUEUE_LEXICON ? &m->lex_index : NULL;
  c->wakes = (what & QUEUE_TOPICS ? LIT_TOPICS : 0) |
             (what & QUEUE_LEXICON ? LIT_LEXICON : 0);
  for (int f = 0; f < MW_FIELD_COUNT; f++) {
    const struct mw_str *s = fields[f];
    mw_buf_reset(&c->norm[f]);
    mw_norm_map_reset(&c->map[f]);
    if (!s->p || !s->len) continue;
    if (s->len > FIELD_MAX)
      return mw_err_set(err, MW_ETOOBIG, "the document's %s is over 256 MB",
                        names[f]);
    int rc = mw_norm_text(m->norm, s->p, s->len, &c->norm[f],
                          with_map ? &c->map[f] : NULL);
    if (rc)
      return mw_err_set(err, rc, "normalising the document's %s: %s",
                        names[f], mw_strerror(rc));
    if (!m->db || !c->norm[f].len) continue;
    c->field = f;
    c->bit = (uint8_t)(1u << f);
    const char *t = c->norm[f].data;
    size_t len = c->norm[f].len;
    hs_error_t hr;
    /* The wide form when it is the shorter (Chinese text). */
    c->scan_wide = len <= WIDE_MAX && mw_norm_wide(t, len, &c->wide) == MW_OK &&
                   2 * c->wide.n < len;
    if (c->scan_wide)
      hr = hs_scan(m->db16, (const char *)c->wide.u, (unsigned)(2 * c->wide.n),
                   0, c->scratch, on_match_wide, c);
    else
      hr = hs_scan(m->db, t, (unsigned)len, 0, c->scratch, on_match, c);
    take_hits(c);
    if (hr != HS_SUCCESS)
      return mw_err_set(err, MW_EINVAL, "scanning the document's %s failed "
                        "(Hyperscan error %d)", names[f], (int)hr);
  }
  for (int k = 0; k < 2; k++)
    for (size_t i = 0; c->queue[k] && i < c->queue[k]->n_always; i++)
      queue(c, c->queue[k]->always[i]);
  return MW_OK;
}

/* --------------------------------------------------------------- regex */


static int push_span(struct span **v, size_t *n, size_t *cap, uint32_t s,
                     uint32_t e) {
  if (*n == *cap) {
    size_t c = *cap ? *cap * 2 : 64;
    struct span *p = realloc(*v, c * sizeof *p);
    if (!p) return MW_ENOMEM;
    *v = p;
    *cap = c;
  }
  (*v)[(*n)++] = (struct span){s, e};
  return MW_OK;
}

static int cmp_span(const void *a, const void *b) {
  const struct span *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start;
}

/* Where a match of regex r in field f (len bytes) can lie: a list of
 * disjoint stretches in c->vw, in order. Every match holds an occurrence
 * of the best factor; when no match is longer than r->window bytes (and
 * the pattern looks at nothing outside its match), a match lies within the
 * window before and after one of them. Without every occurrence (over
 * HITS_MAX) the first and the last still bound it. */
static size_t re_stretches(const struct mw_matcher *m, const struct regex *r,
                           struct ctx *c, int f, size_t len) {
  size_t n = 0;
  uint32_t w = r->window;
  if (!w) {
    push_span(&c->vw, &n, &c->cap_vw, 0, (uint32_t)len);
    return n;
  }
  uint32_t first = UINT32_MAX, last = 0;
  for (uint32_t k = 0; k < r->n_gate; k++) {
    uint32_t l = m->gates[r->gate0 + k];
    if (!(c->mask[l] & (1u << f))) continue;
    uint32_t end = c->first[(size_t)l * 2 * MW_FIELD_COUNT + 2 * f + 1];
    uint32_t start = c->last[(size_t)l * MW_FIELD_COUNT + f];
    if (end < first) first = end;
    if (start > last) last = start;
    /* The list runs from the last occurrence back: reversed into place. */
    size_t n0 = n;
    /* Around an occurrence o: [o.end - w, o.start + w), or when the
     * factor has one place in the pattern [o.start - pre, o.end + post). */
    uint32_t back = r->split ? r->pre : w, ahead = r->split ? r->post : w;
    for (uint32_t h = c->head[l]; !c->lost && h != NONE32; h = c->hits[h].next)
      if (c->hits[h].field == f) {
        const struct hit *x = &c->hits[h];
        uint32_t lo = r->split ? x->start : x->end;
        uint64_t hi = (uint64_t)(r->split ? x->end : x->start) + ahead;
        if (push_span(&c->vw, &n, &c->cap_vw, lo > back ? lo - back : 0,
                      hi < len ? (uint32_t)hi : (uint32_t)len))
          c->lost = true;
      }
    for (size_t i = n0, j = n; i + 1 < j; i++, j--) {
      struct span t = c->vw[i];
      c->vw[i] = c->vw[j - 1];
      c->vw[j - 1] = t;
    }
  }
  if (c->lost || !n) { /* one stretch from the first to the last */
    uint64_t hi = (uint64_t)last + w;
    n = 0;
    push_span(&c->vw, &n, &c->cap_vw, first > w ? first - w : 0,
              hi < len ? (uint32_t)hi : (uint32_t)len);
    return n;
  }
  if (r->n_gate > 1) { /* several sorted runs: insertion sort */
    for (size_t i = 1; i < n; i++) {
      struct span t = c->vw[i];
      size_t j = i;
      for (; j > 0 && c->vw[j - 1].start > t.start; j--)
        c->vw[j] = c->vw[j - 1];
      c->vw[j] = t;
    }
  }
  size_t k = 0;
  for (size_t i = 1; i < n; i++) {
    if (c->vw[i].start <= c->vw[k].end) {
      if (c->vw[i].end > c->vw[k].end) c->vw[k].end = c->vw[i].end;
    } else {
      c->vw[++k] = c->vw[i];
    }
  }
  return k + 1;
}

/* Whether s[0, n) holds needle[0, k). The stretches searched are short
 * (a hundred bytes), where a call to memmem costs more than the search:
 * sixteen places at a time are checked for the needle's last two bytes
 * (in Chinese text, a pair seen about once in a few thousand), then the
 * rest compared. */
static bool contains(const char *s, size_t n, const char *needle, size_t k) {
  if (k == 0) return true;
  if (k > n) return false;
  if (k == 1) return memchr(s, needle[0], n) != NULL;
#ifdef __SSE2__
  if (n >= k + 15) {
    __m128i z = _mm_set1_epi8(needle[k - 1]), y = _mm_set1_epi8(needle[k - 2]);
    for (size_t i = k - 1;; i += 16) { /* i: where the needle's end may be */
      size_t at = i + 16 <= n ? i : n - 16; /* the last block overlaps */
      unsigned bits = (unsigned)_mm_movemask_epi8(_mm_and_si128(
          _mm_cmpeq_epi8(
              _mm_loadu_si128((const __m128i *)(const void *)(s + at)), z),
          _mm_cmpeq_epi8(
              _mm_loadu_si128((const __m128i *)(const void *)(s + at - 1)),
              y)));
      bits &= ~0u << (i - at); /* places already looked at */
      for (; bits; bits &= bits - 1) {
        size_t e = at + (size_t)__builtin_ctz(bits);
        if (!memcmp(s + e - (k - 1), needle, k - 2)) return true;
      }
      if (at + 16 >= n) return false;
    }
  }
#endif
  for (size_t i = k - 1; i < n; i++)
    if (s[i] == needle[k - 1] && !memcmp(s + i - (k - 1), needle, k - 1))
      return true;
  return false;
}

/* Whether text[from, to) holds a string of each of r's other factors. */
static bool other_factors(const struct mw_matcher *m, const struct regex *r,
                          const char *text, size_t from, size_t to) {
  for (uint32_t k = 0; k < r->n_x; k++) {
    const struct xset *x = &m->xsets[r->x0 + k];
    bool found = false;
    for (uint32_t j = 0; j < x->n && !found; j++) {
      const struct xstr *s = &m->xstrs[x->s0 + j];
      found = contains(text + from, to - from, s->s, s->len);
    }
    if (!found) return false;
  }
  return true;
}

/* Runs regex r on field f where a match may lie, in order, and stops at
 * the first match: the leftmost, and the one a search of the whole field
 * finds, as no match starts before the stretch that holds it or runs past
 * its end. */
static bool re_search(const struct mw_matcher *m, const struct regex *r,
                      struct ctx *c, int f) {
  const char *text = c->norm[f].data;
  size_t len = c->norm[f].len;
  size_t n = re_stretches(m, r, c, f, len);
  for (size_t i = 0; i < n; i++) {
    size_t from = c->vw[i].start, to = c->vw[i].end;
    if (from >= to || !other_factors(m, r, text, from, to)) continue;
    /* Widened to character boundaries for PCRE2. */
    while (from > 0 && ((unsigned char)text[from] & 0xC0) == 0x80) from--;
    while (to < len && ((unsigned char)text[to] & 0xC0) == 0x80) to++;
    if (pcre2_match(r->code, (PCRE2_SPTR)text, to, from, PCRE2_NO_UTF_CHECK,
                    c->md, c->mctx) >= 0)
      return true;
  }
  return false;
}

bool regex_in_field(const struct mw_matcher *m, struct ctx *c, uint32_t re,
                    int f, uint32_t *s, uint32_t *e) {
  size_t idx = (size_t)re * MW_FIELD_COUNT + (size_t)f;
  uint8_t st = c->re_state[idx];
  if (!st) {
    const struct regex *r = &m->res[re];
    bool gated = r->n_gate == 0;
    for (uint32_t k = 0; k < r->n_gate && !gated; k++)
      gated = c->mask[m->gates[r->gate0 + k]] & (1u << f);
    if (!gated || !c->norm[f].len) return false; /* nothing to remember */
    st = 1;
    if (re_search(m, r, c, f)) {
      PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
      st = 2;
      c->re_first[2 * idx] = (uint32_t)ov[0];
      c->re_first[2 * idx + 1] = (uint32_t)ov[1];
    }
    c->re_state[idx] = st;
    c->re_touched[c->n_re_touched++] = (uint32_t)idx;
  }
  if (st == 2 && s) {
    *s = c->re_first[2 * idx];
    *e = c->re_first[2 * idx + 1];
  }
  return st == 2;
}

/* ---------------------------------------------------------------- NEAR */

/* Every occurrence of the atoms under ni in field f. */
static void collect(const struct mw_matcher *m, struct ctx *c, uint32_t ni,
                    int f, struct span **v, size_t *n, size_t *cap) {
  const struct node *nd = &m->nodes[ni];
  if (nd->kind == R_OR) {
    for (uint32_t i = 0; i < nd->n; i++)
      collect(m, c, m->kids[nd->kid0 + i], f, v, n, cap);
    return;
  }
  if (nd->kind == R_LIT) {
    if (!(c->mask[nd->atom] & (1u << f))) return;
    size_t before = *n;
    for (uint32_t h = c->head[nd->atom]; h != NONE32; h = c->hits[h].next)
      if (c->hits[h].field == f &&
          push_span(v, n, cap, c->hits[h].start, c->hits[h].end))
        return;
    if (*n == before) { /* over HITS_MAX: the first is still known */
      const uint32_t *p =
          &c->first[(size_t)nd->atom * 2 * MW_FIELD_COUNT + 2 * f];
      push_span(v, n, cap, p[0], p[1]);
    }
    return;
  }
  if (nd->kind != R_RE || !regex_in_field(m, c, nd->atom, f, NULL, NULL))
    return;
  const struct mw_buf *t = &c->norm[f];
  PCRE2_SIZE off = 0;
  for (unsigned k = 0; k < RE_POS_MAX && off < t->len; k++) {
    int rc = pcre2_match(m->res[nd->atom].code, (PCRE2_SPTR)t->data, t->len,
                         off, PCRE2_NO_UTF_CHECK, c->md, c->mctx);
    if (rc < 0) break;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
    if (push_span(v, n, cap, (uint32_t)ov[0], (uint32_t)ov[1])) return;
    off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
    while (off < t->len && ((unsigned char)t->data[off] & 0xC0) == 0x80) off++;
  }
}

/* Characters between two spans of text (0 when they overlap). */
static size_t gap_chars(const char *text, struct span a, struct span b) {
  if (b.start >= a.end) return mw_utf8_count(text + a.end, b.start - a.end);
  if (a.start >= b.end) return mw_utf8_count(text + b.end, a.start - b.end);
  return 0;
}

static bool near_field(const struct span *a, size_t na, const struct span *b,
                       size_t nb, uint32_t dist, const char *text) {
  uint32_t maxb = 0;
  for (size_t j = 0; j < nb; j++)
    if (b[j].end - b[j].start > maxb) maxb = b[j].end - b[j].start;
  uint64_t reach = 4ull * dist; /* a character is at most 4 bytes */
  for (size_t i = 0; i < na; i++) {
    uint64_t lo = (uint64_t)a[i].start > reach + maxb
                      ? a[i].start - reach - maxb
                      : 0;
    size_t j = 0, hi = nb;
    while (j < hi) { /* first b starting at or after lo */
      size_t mid = j + (hi - j) / 2;
      if (b[mid].start < lo) j = mid + 1;
      else hi = mid;
    }
    for (; j < nb && b[j].start <= a[i].end + reach; j++)
      if (gap_chars(text, a[i], b[j]) <= dist) return true;
  }
  return false;
}

static bool near_eval(const struct mw_matcher *m, struct ctx *c,
                      const struct node *n) {
  for (int f = 0; f < MW_FIELD_COUNT; f++) {
    if (!(n->fields & (1u << f))) continue;
    size_t na = 0, nb = 0;
    collect(m, c, m->kids[n->kid0], f, &c->va, &na, &c->cap_va);
    if (!na) continue;
    collect(m, c, m->kids[n->kid0 + 1], f, &c->vb, &nb, &c->cap_vb);
    if (!nb) continue;
    qsort(c->va, na, sizeof *c->va, cmp_span);
    qsort(c->vb, nb, sizeof *c->vb, cmp_span);
    if (near_field(c->va, na, c->vb, nb, n->dist, c->norm[f].data))
      return true;
  }
  return false;
}

/* ---------------------------------------------------------- evaluation */

bool eval_node(const struct mw_matcher *m, struct ctx *c, uint32_t ni) {
  const struct node *n = &m->nodes[ni];
  switch (n->kind) {
    case R_LIT:
      return c->mask[n->atom] & n->fields;
    case R_RE:
      for (int f = 0; f < MW_FIELD_COUNT; f++)
        if ((n->fields & (1u << f)) &&
            regex_in_field(m, c, n->atom, f, NULL, NULL))
          return true;
      return false;
    case R_AND:
      for (uint32_t i = 0; i < n->n; i++)
        if (!eval_node(m, c, m->kids[n->kid0 + i])) return false;
      return true;
    case R_OR:
      for (uint32_t i = 0; i < n->n; i++)
        if (eval_node(m, c, m->kids[n->kid0 + i])) return true;
      return false;
    case R_NOT:
      return !eval_node(m, c, m->kids[n->kid0]);
    case R_NEAR:
      return near_eval(m, c, n);
  }
  return false;
}

/* --------------------------------------------------------------- match */

/* A topic's list of terms being written, and its length. */
struct terms {
  char *s; /* mw_topic_result.terms */
  size_t used;
};

static void add_term(struct terms *t, const char *term, size_t tl) {
  for (size_t p = 0; p < t->used;) { /* already listed */
    const char *comma = memchr(t->s + p, ',', t->used - p);
    size_t n = comma ? (size_t)(comma - (t->s + p)) : t->used - p;
    if (n == tl && !memcmp(t->s + p, term, n)) return;
    p += n + 1;
  }
  /* Whole terms only. */
  if (t->used + tl + (t->used ? 1 : 0) >=
      sizeof((struct mw_topic_result *)0)->terms)
    return;
  if (t->used) t->s[t->used++] = ',';
  memcpy(t->s + t->used, term, tl + 1);
  t->used += tl;
}

/* The terms of matched topic tp that were found, in the order written. */
static void found_terms(const struct mw_matcher *m, struct ctx *c, size_t tp,
                        struct terms *t) {
  for (uint32_t i = m->topic_leaf0[tp]; i < m->topic_leaf0[tp + 1]; i++) {
    const struct leaf *l = &m->leaves[i];
    bool found = false;
    if (l->kind == R_LIT) {
      found = c->mask[l->atom] & l->fields;
    } else {
      for (int f = 0; f < MW_FIELD_COUNT && !found; f++)
        found = (l->fields & (1u << f)) &&
                regex_in_field(m, c, l->atom, f, NULL, NULL);
    }
    if (found) add_term(t, l->shown, l->len ? l->len : strlen(l->shown));
  }
}

int mw_matcher_match(const struct mw_matcher *m, const struct mw_doc *doc,
                     struct mw_topic_result *results, struct mw_err *err) {
  struct ctx *c = ctx_get(m);
  if (!c) return mw_err_set(err, MW_ENOMEM, "out of memory");
  int rc = ctx_scan(m, c, doc, false, QUEUE_TOPICS, err);
  for (size_t i = 0; i < m->n_topics; i++) {
    results[i].matched = false;
    results[i].terms[0] = '\0';
  }
  int matched = 0;
  for (size_t i = 0; rc == MW_OK && i < c->n_cands; i++) {
    uint32_t t = c->cands[i]; /* a topic: only topics were queued */
    if (!topic_eval(m, c, t)) continue;
    results[t].matched = true;
    struct terms terms = {results[t].terms, 0};
    found_terms(m, c, t, &terms);
    matched++;
  }
  ctx_clear(m, c);
  ctx_put(m, c);
  return rc ? rc : matched;
}

int mw_matcher_score(const struct mw_matcher *m, const struct mw_doc *doc,
                     double *score, int *level, struct mw_err *err) {
  *score = 0;
  *level = 0;
  if (!m->scored) return MW_OK;
  struct ctx *c = ctx_get(m);
  if (!c) return mw_err_set(err, MW_ENOMEM, "out of memory");
  int rc = ctx_scan(m, c, doc, false, QUEUE_LEXICON, err);
  double kf;
  if (rc == MW_OK) *score = score_doc(m, c, doc, level, &kf, NULL, NULL);
  ctx_clear(m, c);
  ctx_put(m, c);
  return rc;
}
