/*
 * normalize.c: the one text normal form both rules and documents are
 * matched in, and the map back to the original offsets.
 *
 * The form: Unicode NFKC with case folding (utf8proc), so full-width
 * letters, digits and punctuation become ASCII and 'ＷＨＯ' reads 'who';
 * default-ignorable characters (zero-width spaces and joiners, soft
 * hyphens, BOMs) dropped so they cannot split a keyword; each run of white
 * space made one ' ', or dropped altogether between two CJK characters
 * (Chinese has no spaces between words, so '无 废 城 市' is '无废城市'),
 * and trimmed at both ends; invalid UTF-8 bytes become U+FFFD, NUL a space.
 *
 * Speed matters (every document passes through here before the scan), so
 * the text is cut into pieces that normalise independently: a piece is a
 * character that no earlier character can combine with, followed by the
 * combining marks that attach to it. Most characters are a piece of their
 * own and are copied in one loop (fast_run): ideographs and the commonest
 * Chinese punctuation (、。《》“”), their own normal form, 32 bytes at a
 * time with SSE2; ASCII lower cased; other three-byte characters (，：（）)
 * from a table of the Basic Multilingual Plane (struct mw_norm_table,
 * built from utf8proc by whoever owns it: each matcher builds its own, and
 * mw_text_normalize, which has no matcher, a shared one on first use).
 * Anything else (a letter with marks, a character outside the BMP, white
 * space) takes the careful path: the table, or utf8proc for the piece.
 * Pieces whose length changes are recorded in the offset map. On the
 * matcher benchmark this is about 1.8 GB/s of Chinese text (0.5 GB/s one
 * character at a time).
 *
 * What it leaves to others: matching (match.c), where the map is read;
 * the wide form the scan reads (wide.c).
 */
#include <pthread.h>
#include <stdlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <string.h>
#include <utf8proc.h>

#include "matchers/matchers.h"
#include "matchers/norm.h"

#define MAP_OPTIONS                                                    \
  (UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | \
   UTF8PROC_IGNORE)
#define TEXT_MAX (1u << 30)
#define SECOND_LIMIT 0x30000 /* no character above combines backwards */
#define ENTRY_OUT 6

/* Per BMP character, when it forms a piece on its own. */
enum {
  F_BOUNDARY = 1,  /* starts a piece: nothing before can combine with it */
  F_IDENT = 2,     /* normalises to itself */
  F_SPACE = 4,     /* normalises to white space */
  F_CJK_FIRST = 8, /* the output starts with a CJK character */
  F_CJK_LAST = 16, /* ... and ends with one */
  F_LONG = 32,     /* output longer than ENTRY_OUT bytes: ask utf8proc */
  F_ONE = 64,      /* output is one character */
};

struct entry {
  uint8_t len;
  uint8_t flags;
  char out[ENTRY_OUT];
};

struct mw_norm_table {
  struct entry e[0x10000];
  bool punct; /* 、。《》“” are pieces of their own and their own form */
  uint8_t second[SECOND_LIMIT / 8]; /* bit per character below
                                       SECOND_LIMIT */
};

static bool is_second(const struct mw_norm_table *t, int32_t cp) {
  return cp < SECOND_LIMIT && (t->second[cp >> 3] >> (cp & 7) & 1);
}

/* CJK for the white-space rule: ideographs, kana, hangul, CJK punctuation. */
static bool is_cjk(int32_t cp) {
  return (cp >= 0x2E80 && cp <= 0x2FDF) || (cp >= 0x3000 && cp <= 0x31FF) ||
         (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
         (cp >= 0xA960 && cp <= 0xA97F) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
         (cp >= 0x20000 && cp <= 0x3FFFF);
}

static bool is_space_cp(int32_t cp) {
  return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 ||
         cp == 0x2028 || cp == 0x2029;
}

/* Decodes one UTF-8 character at s (n > 0 bytes available); returns its
 * length, or 0 when the bytes are not well-formed UTF-8. */
static inline size_t decode(const unsigned char *s, size_t n, int32_t *cp) {
  unsigned c = s[0];
  /* Two bytes, and three bytes outside E0 (overlongs) and ED
   * (surrogates), are well-formed whenever their continuations are. */
  if (c >= 0xC2 && c <= 0xDF && n >= 2 && (s[1] & 0xC0) == 0x80) {
    *cp = (int32_t)((c & 0x1F) << 6 | (s[1] & 0x3F));
    return 2;
  }
  if (c >= 0xE1 && c <= 0xEF && c != 0xED && n >= 3 &&
      (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
    *cp = (int32_t)((c & 0x0F) << 12 | (s[1] & 0x3F) << 6 | (s[2] & 0x3F));
    return 3;
  }
  utf8proc_ssize_t k = utf8proc_iterate(s, (utf8proc_ssize_t)(n < 4 ? n : 4),
                                        cp);
  return k > 0 ? (size_t)k : 0;
}

/* Normalises the well-formed UTF-8 in[0, n) into buf (as UTF-8), using
 * the int32 scratch given or a heap one when it is too small. Returns the
 * output length or a negative status; *heap is set when buf moved. */
static utf8proc_ssize_t map_piece(const uint8_t *in, size_t n, int32_t *scratch,
                                  size_t cap, int32_t **out) {
  *out = scratch;
  utf8proc_ssize_t k = utf8proc_decompose(in, (utf8proc_ssize_t)n, scratch,
                                          (utf8proc_ssize_t)cap, MAP_OPTIONS);
  if (k < 0) return MW_EINVAL;
  if ((size_t)k > cap) {
    int32_t *big = malloc((size_t)k * sizeof *big);
    if (!big) return MW_ENOMEM;
    k = utf8proc_decompose(in, (utf8proc_ssize_t)n, big, k, MAP_OPTIONS);
    if (k < 0) {
      free(big);
      return MW_EINVAL;
    }
    *out = big;
  }
  k = utf8proc_normalize_utf32(*out, k, MAP_OPTIONS);
  if (k < 0) return MW_EINVAL;
  /* Reencoding writes UTF-8 over the same buffer. */
  return utf8proc_reencode(*out, k, MAP_OPTIONS);
}

int mw_norm_table_new(struct mw_norm_table **out) {
  struct mw_norm_table *t = calloc(1, sizeof *t);
  *out = t;
  if (!t) return MW_ENOMEM;
  uint8_t *second = t->second;
  /* A starter that appears after the first place of a canonical
   * decomposition may combine with what precedes it. Overmarking only
   * sends more characters down the slow path. */
  for (int32_t cp = 0; cp < SECOND_LIMIT; cp++) {
    if ((cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x20000 && cp < 0x2F800))
      continue;
    int32_t d[32];
    int bound = 0;
    utf8proc_ssize_t k =
        utf8proc_decompose_char(cp, d, 32, UTF8PROC_DECOMPOSE, &bound);
    for (utf8proc_ssize_t i = 1; i < k && k <= 32; i++)
      if (utf8proc_get_property(d[i])->combining_class == 0)
        second[d[i] >> 3] |= (uint8_t)(1u << (d[i] & 7));
  }
  for (int32_t cp = 0x1161; cp <= 0x11C2; cp++) /* hangul vowels, finals */
    second[cp >> 3] |= (uint8_t)(1u << (cp & 7));

  for (int32_t cp = 0; cp < 0x10000; cp++) {
    struct entry *e = &t->e[cp];
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      e->flags = F_BOUNDARY | F_LONG;
      continue;
    }
    uint8_t in[4];
    utf8proc_ssize_t n = utf8proc_encode_char(cp, in);
    int32_t scratch[32], *buf;
    utf8proc_ssize_t k = map_piece(in, (size_t)n, scratch, 32, &buf);
    const uint8_t *o = (const uint8_t *)buf;
    if (k < 0) {
      e->flags = F_BOUNDARY | F_LONG;
      if (buf != scratch) free(buf);
      continue;
    }
    int32_t first = -1, last = -1, cnt = 0;
    for (utf8proc_ssize_t i = 0; i < k;) {
      int32_t c;
      size_t m = decode(o + i, (size_t)(k - i), &c);
      if (!m) break;
      if (first < 0) first = c;
      last = c;
      cnt++;
      i += (utf8proc_ssize_t)m;
    }
    const utf8proc_property_t *p = utf8proc_get_property(cp);
    bool boundary = p->combining_class == 0 && !is_second(t, cp);
    if (first >= 0)
      boundary = boundary &&
                 utf8proc_get_property(first)->combining_class == 0 &&
                 !is_second(t, first);
    if (boundary) e->flags |= F_BOUNDARY;
    if (k == n && !memcmp(o, in, (size_t)n)) e->flags |= F_IDENT;
    if (cnt == 1 && is_space_cp(first)) e->flags |= F_SPACE;
    if (cnt == 1) e->flags |= F_ONE;
    if (first >= 0 && is_cjk(first)) e->flags |= F_CJK_FIRST;
    if (last >= 0 && is_cjk(last)) e->flags |= F_CJK_LAST;
    if (k > ENTRY_OUT) {
      e->flags |= F_LONG;
    } else {
      e->len = (uint8_t)k;
      memcpy(e->out, o, (size_t)k);
    }
    if (buf != scratch) free(buf);
  }
  static const uint16_t punct[] = {0x3001, 0x3002, 0x300A, 0x300B, 0x201C,
                                   0x201D};
  t->punct = true;
  for (size_t k = 0; k < sizeof punct / sizeof punct[0]; k++)
    t->punct &= (t->e[punct[k]].flags &
                 (F_IDENT | F_BOUNDARY | F_SPACE | F_LONG)) ==
                (F_IDENT | F_BOUNDARY);
  t->punct &= !(t->e[0x201C].flags & F_CJK_LAST) &&
              !(t->e[0x201D].flags & F_CJK_LAST) &&
              (t->e[0x3001].flags & t->e[0x3002].flags & t->e[0x300A].flags &
               t->e[0x300B].flags & F_CJK_LAST);
  return MW_OK;
}

void mw_norm_table_free(struct mw_norm_table *t) { free(t); }

/* The table of callers without a matcher (mw_text_normalize): built on
 * first use, immutable after. */
static struct mw_norm_table *shared;
static pthread_once_t shared_once = PTHREAD_ONCE_INIT;

static void build_shared(void) {
  if (mw_norm_table_new(&shared)) shared = NULL;
}

/* Whether the character at s starts a new piece (n > 0 bytes). */
static bool boundary_slow(const struct mw_norm_table *t,
                          const unsigned char *s, size_t n) {
  int32_t cp;
  if (!decode(s, n, &cp)) return true; /* becomes U+FFFD */
  if (cp < 0x10000) return t->e[cp].flags & F_BOUNDARY;
  if (utf8proc_get_property(cp)->combining_class != 0 || is_second(t, cp))
    return false;
  int32_t d[8];
  int bound = 0;
  utf8proc_ssize_t k = utf8proc_decompose_char(cp, d, 8, MAP_OPTIONS, &bound);
  return k <= 0 || (utf8proc_get_property(d[0])->combining_class == 0 &&
                    !is_second(t, d[0]));
}

static inline bool boundary_at(const struct mw_norm_table *t,
                               const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  if (c < 0x80 || (c >= 0xE4 && c <= 0xE9)) return true;
  if (c >= 0xE1 && c <= 0xEF && c != 0xED && n >= 3 &&
      (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80)
    return t->e[(c & 0x0F) << 12 | (s[1] & 0x3F) << 6 | (s[2] & 0x3F)].flags &
           F_BOUNDARY;
  return boundary_slow(t, s, n);
}

/* ------------------------------------------------------------- the map */

void mw_norm_map_init(struct mw_norm_map *m, size_t max) {
  memset(m, 0, sizeof *m);
  m->max = max;
}

void mw_norm_map_reset(struct mw_norm_map *m) { m->n = 0; }

void mw_norm_map_cleanup(struct mw_norm_map *m) {
  if (!m) return;
  free(m->v);
  m->v = NULL;
  m->n = m->cap = 0;
}

static int map_add(struct mw_norm_map *m, size_t n0, size_t n1, size_t o0,
                   size_t o1) {
  if (m->n == m->cap) {
    if (m->n >= m->max) return MW_ETOOBIG;
    size_t cap = m->cap ? m->cap * 2 : 64;
    if (cap > m->max) cap = m->max;
    struct mw_norm_span *v = realloc(m->v, cap * sizeof *v);
    if (!v) return MW_ENOMEM;
    m->v = v;
    m->cap = cap;
  }
  m->v[m->n++] = (struct mw_norm_span){(uint32_t)n0, (uint32_t)n1,
                                       (uint32_t)o0, (uint32_t)o1};
  return MW_OK;
}

/* The last span with n0 <= off (strict: n0 < off), or NULL. */
static const struct mw_norm_span *span_before(const struct mw_norm_map *m,
                                              size_t off, bool strict) {
  size_t lo = 0, hi = m ? m->n : 0;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    bool before = strict ? m->v[mid].n0 < off : m->v[mid].n0 <= off;
    if (before) lo = mid + 1;
    else hi = mid;
  }
  return lo ? &m->v[lo - 1] : NULL;
}

size_t mw_norm_map_start(const struct mw_norm_map *m, size_t off) {
  const struct mw_norm_span *s = span_before(m, off, false);
  if (!s) return off;
  if (off < s->n1) return s->o0;
  return s->o1 + (off - s->n1);
}

size_t mw_norm_map_end(const struct mw_norm_map *m, size_t off) {
  const struct mw_norm_span *s = span_before(m, off, true);
  if (!s) return off;
  if (off <= s->n1) return s->o1;
  return s->o1 + (off - s->n1);
}

/* ------------------------------------------------------------ the text */

/* The writer: out's bytes from base, grown within out's ceiling. */
struct writer {
  struct mw_buf *b;
  size_t base;
  size_t w; /* bytes written after base */
};

static int reserve(struct writer *wr, size_t n) {
  struct mw_buf *b = wr->b;
  size_t used = wr->base + wr->w;
  if (n > b->max || used > b->max - n) return MW_ETOOBIG;
  if (used + n + 1 <= b->cap) return MW_OK;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < used + n + 1) cap *= 2;
  if (cap > b->max + 1) cap = b->max + 1;
  char *p = realloc(b->data, cap);
  if (!p) return MW_ENOMEM;
  b->data = p;
  b->cap = cap;
  return MW_OK;
}

struct state {
  struct writer wr;
  const struct mw_norm_table *t;
  struct mw_norm_map *map;
  bool last_cjk;   /* the last character written is CJK */
  bool ws;         /* a run of white space is pending */
  bool ws_plain;   /* ... and it is exactly one ' ' */
  size_t ws_o0, ws_o1;
};

/* Ends a pending run of white space before a piece whose first character
 * is (next_cjk) CJK: dropped between CJK characters and at the start,
 * else one ' '. */
static int flush_space(struct state *st, bool next_cjk, bool at_end) {
  if (!st->ws) return MW_OK;
  st->ws = false;
  size_t n0 = st->wr.w;
  bool drop = at_end || n0 == 0 || (st->last_cjk && next_cjk);
  if (!drop) {
    int rc = reserve(&st->wr, 1);
    if (rc) return rc;
    st->wr.b->data[st->wr.base + st->wr.w++] = ' ';
    st->last_cjk = false;
  }
  if (st->map && (drop || !st->ws_plain))
    return map_add(st->map, n0, st->wr.w, st->ws_o0, st->ws_o1);
  return MW_OK;
}

static void note_space(struct state *st, size_t o0, size_t o1, bool plain) {
  if (!st->ws) {
    st->ws = true;
    st->ws_plain = plain;
    st->ws_o0 = o0;
  } else {
    st->ws_plain = false;
  }
  st->ws_o1 = o1;
}

/* Writes the output of one piece [o0, o1) of the original. */
static int emit(struct state *st, const char *out, size_t len, bool one_char,
                bool cjk_first, bool cjk_last, bool space, size_t o0,
                size_t o1, bool same) {
  if (len == 0) { /* dropped: part of a pending space run, or its own span */
    if (st->ws) {
      st->ws_o1 = o1;
      st->ws_plain = false;
      return MW_OK;
    }
    return st->map ? map_add(st->map, st->wr.w, st->wr.w, o0, o1) : MW_OK;
  }
  if (space) {
    note_space(st, o0, o1, false);
    return MW_OK;
  }
  int rc = flush_space(st, cjk_first, false);
  if (rc) return rc;
  if ((rc = reserve(&st->wr, len))) return rc;
  size_t n0 = st->wr.w;
  memcpy(st->wr.b->data + st->wr.base + n0, out, len);
  st->wr.w += len;
  st->last_cjk = cjk_last;
  if (st->map && !same && !(one_char && len == o1 - o0))
    return map_add(st->map, n0, st->wr.w, o0, o1);
  return MW_OK;
}

/* A piece that needs utf8proc: [i, j) of s, possibly with invalid bytes
 * (only at i, where they stand for U+FFFD). */
static int slow_piece(struct state *st, const unsigned char *s, size_t i,
                      size_t j) {
  uint8_t small[64];
  uint8_t *in = small;
  if (4 * (j - i) > sizeof small) {
    in = malloc(4 * (j - i));
    if (!in) return MW_ENOMEM;
  }
  size_t n = 0;
  for (size_t k = i; k < j;) {
    int32_t cp;
    size_t m = decode(s + k, j - k, &cp);
    if (!m) {
      cp = 0xFFFD;
      m = 1;
    }
    if (cp == 0) cp = ' ';
    n += (size_t)utf8proc_encode_char(cp, in + n);
    k += m;
  }
  int32_t scratch[64], *buf;
  utf8proc_ssize_t k = map_piece(in, n, scratch, 64, &buf);
  int rc = MW_OK;
  if (k < 0) {
    rc = (int)k;
  } else {
    const char *o = (const char *)buf;
    int32_t first = -1, last = -1, cnt = 0;
    for (utf8proc_ssize_t x = 0; x < k;) {
      int32_t c;
      size_t m = decode((const unsigned char *)o + x, (size_t)(k - x), &c);
      if (!m) break;
      if (first < 0) first = c;
      last = c;
      cnt++;
      x += (utf8proc_ssize_t)m;
    }
    bool same = (size_t)k == j - i && !memcmp(o, s + i, j - i);
    rc = emit(st, o, (size_t)k, cnt == 1, first >= 0 && is_cjk(first),
              last >= 0 && is_cjk(last), cnt == 1 && is_space_cp(first), i, j,
              same);
  }
  if (buf != scratch) free(buf);
  if (in != small) free(in);
  return rc;
}

/* Whether c may start a character of a fast run: ASCII that is not white
 * space (or NUL), or the lead byte of a three-byte character. */
static inline bool fast_lead(unsigned char c) {
  return (c > ' ' && c < 0x80) || (c >= 0xE1 && c <= 0xEF) ||
         (c > 0 && c < 0x09) || (c > 0x0D && c < ' ');
}

#ifdef __SSE2__
/* Ideographs sixteen bytes at a time: they are almost all of a Chinese
 * text, and one at a time they cost several times the scan. */
#define BLOCK 32

static inline __m128i load16(const unsigned char *p) {
  return _mm_loadu_si128((const __m128i *)(const void *)p);
}

/* Lead bytes E4..E9, continuations, and E4 B7 (a hexagram, U+4DCx, not
 * CJK for the white-space rule) in the 16 bytes at p. */
/* What ideographs() needs to know of the 16 bytes at p, a bit a byte. */
struct classes {
  unsigned lead; /* E4..E9: an ideograph of U+4000..U+9FFF */
  unsigned cont; /* 80..BF */
  unsigned hex;  /* E4 followed by B7: a hexagram (U+4DCx), not CJK */
  unsigned e2, e3, b80; /* E2, E3, 80 */
  unsigned t3;   /* 81 82 8A 8B: 、。《》 after E3 80 */
  unsigned t2;   /* 9C 9D: “” after E2 80 */
};

static inline void classify16(const unsigned char *p, struct classes *k) {
  __m128i v = load16(p);
  __m128i x = _mm_xor_si128(v, _mm_set1_epi8((char)0x80)); /* signed */
#define EQ(b) _mm_cmpeq_epi8(v, _mm_set1_epi8((char)(b)))
  k->lead = (unsigned)_mm_movemask_epi8(
      _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(0x63)),
                    _mm_cmplt_epi8(x, _mm_set1_epi8(0x6A))));
  k->cont = (unsigned)_mm_movemask_epi8(
      _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(-1)),
                    _mm_cmplt_epi8(x, _mm_set1_epi8(0x40))));
  k->hex = (unsigned)_mm_movemask_epi8(EQ(0xE4)) &
           (unsigned)_mm_movemask_epi8(EQ(0xB7)) >> 1;
  k->e2 = (unsigned)_mm_movemask_epi8(EQ(0xE2));
  k->e3 = (unsigned)_mm_movemask_epi8(EQ(0xE3));
  k->b80 = (unsigned)_mm_movemask_epi8(EQ(0x80));
  k->t3 = (unsigned)_mm_movemask_epi8(_mm_or_si128(
      _mm_or_si128(EQ(0x81), EQ(0x82)), _mm_or_si128(EQ(0x8A), EQ(0x8B))));
  k->t2 = (unsigned)_mm_movemask_epi8(_mm_or_si128(EQ(0x9C), EQ(0x9D)));
#undef EQ
}

/* How many whole characters the 30 bytes at s (BLOCK readable, n in all)
 * start with, 0 to 10, that are ideographs of U+4000..U+9FFF (hexagrams
 * excepted) or, when the table allows (t->punct), the punctuation 、。《》“”
 * most frequent in Chinese text, which are their own normal form: all of
 * them pieces on their own; the last is dropped when the character after
 * it may combine with it. *cjk: whether the last is CJK for the
 * white-space rule (“” are not). */
static unsigned ideographs(const struct mw_norm_table *t,
                           const unsigned char *s, size_t n, bool *cjk) {
  struct classes a, b;
  classify16(s, &a);
  classify16(s + 16, &b);
#define JOIN(f) ((uint32_t)a.f | (uint32_t)b.f << 16)
  uint32_t lead = JOIN(lead), cont = JOIN(cont), e2 = JOIN(e2);
  uint32_t hex = JOIN(hex) | (a.lead >> 15 & (s[15] == 0xE4) & (s[16] == 0xB7))
                                 << 15;
  if (t->punct) {
    uint32_t mid = JOIN(b80) >> 1;
    lead |= (JOIN(e3) & mid & JOIN(t3) >> 2) | (e2 & mid & JOIN(t2) >> 2);
  }
#undef JOIN
  /* Leads every third byte from 0, continuations between. */
  uint32_t bad = ((lead ^ 0x09249249u) | (cont ^ 0x36DB6DB6u) | hex) &
                 0x3FFFFFFFu;
  unsigned k = (bad ? (unsigned)__builtin_ctz(bad) : 30u) / 3;
  if (k && 3 * k < n && !boundary_at(t, s + 3 * k, n - 3 * k)) k--;
  if (k) *cjk = !(e2 >> (3 * (k - 1)) & 1);
  return k;
}
#endif

/* Copies the run of characters that are a piece on their own starting at
 * s[i] (a piece starts there), and returns where it stops: at white space,
 * at a character that is dropped or needs utf8proc, or before a character
 * the next one may combine with. ASCII is lower cased; ideographs are
 * themselves; other three-byte characters (most CJK punctuation) come
 * from the table. This is where almost all of a Chinese text goes. */
static size_t fast_run(struct state *st, const unsigned char *s, size_t len,
                       size_t i, int *rc) {
  struct writer *wr = &st->wr;
  const struct entry *tab = st->t->e;
  /* Room for the rest of the text as it is and 24 bytes more (more is
   * reserved below when a character grows); else the careful path. */
  if (wr->base + wr->w + (len - i) + 24 > wr->b->cap &&
      reserve(wr, len - i + 24))
    return i;
  unsigned char *o = (unsigned char *)wr->b->data + wr->base;
  size_t w = wr->w, i0 = i;
  bool cjk = st->last_cjk;
  while (i < len) {
    unsigned char c = s[i];
    const struct entry *e = NULL;
    size_t k;
    bool c_first, c_last;
#ifdef __SSE2__
    /* The rest holds BLOCK bytes to read, so the output has room for
     * BLOCK to write. */
    if (c >= 0xE2 && c <= 0xE9 && !st->ws && i + BLOCK <= len) {
      unsigned n = ideographs(st->t, s + i, len - i, &cjk);
      if (n) { /* BLOCK bytes stored, 3n kept */
        _mm_storeu_si128((__m128i *)(void *)(o + w), load16(s + i));
        _mm_storeu_si128((__m128i *)(void *)(o + w + 16), load16(s + i + 16));
        w += 3 * n;
        i += 3 * n;
        continue;
      }
    }
#endif
    if (c < 0x80) {
      if (!fast_lead(c)) break;
      k = 1;
      c_first = c_last = false;
    } else if (c >= 0xE1 && c <= 0xEF && c != 0xED && i + 2 < len &&
               (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
      k = 3;
      if (c >= 0xE4 && c <= 0xE9) { /* U+4000..U+9FFF, themselves */
        c_first = c_last = !(c == 0xE4 && s[i + 1] == 0xB7); /* U+4DCx */
      } else {
        e = &tab[(c & 0x0F) << 12 | (s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F)];
        if ((e->flags & (F_LONG | F_SPACE)) || e->len == 0) break;
        c_first = e->flags & F_CJK_FIRST;
        c_last = e->flags & F_CJK_LAST;
      }
    } else {
      break;
    }
    if (i + k < len && !boundary_at(st->t, s + i + k, len - i - k)) break;
    if (st->ws) { /* only before the first character of the run */
      wr->w = w;
      if ((*rc = flush_space(st, c_first, false))) return i;
      o = (unsigned char *)wr->b->data + wr->base;
      w = wr->w;
    }
    if (k == 1) {
      o[w++] = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    } else if (!e || (e->flags & F_IDENT)) {
      o[w] = c;
      o[w + 1] = s[i + 1];
      o[w + 2] = s[i + 2];
      w += 3;
    } else {
      size_t n0 = w;
      if (e->len > 3 && wr->base + w + e->len + (len - i) + 8 > wr->b->cap) {
        wr->w = w;
        if ((*rc = reserve(wr, e->len + (len - i) + 8))) return i;
        o = (unsigned char *)wr->b->data + wr->base;
      }
      memcpy(o + w, e->out, e->len);
      w += e->len;
      if (st->map && !((e->flags & F_ONE) && e->len == 3) &&
          (*rc = map_add(st->map, n0, w, i, i + 3))) {
        wr->w = w;
        return i + 3;
      }
    }
    cjk = c_last;
    i += k;
  }
  wr->w = w;
  if (i > i0) st->last_cjk = cjk;
  return i;
}

int mw_norm_text(const struct mw_norm_table *t, const char *text, size_t len,
                 struct mw_buf *out, struct mw_norm_map *map) {
  if (!text || !len) return MW_OK;
  if (len > TEXT_MAX) return MW_ETOOBIG;
  const unsigned char *s = (const unsigned char *)text;
  struct state st = {.wr = {out, out->len, 0}, .t = t, .map = map};
  int rc = reserve(&st.wr, len + 16);
  if (rc) return rc;
  size_t i = 0;
  while (i < len && rc == MW_OK) {
    if (fast_lead(s[i])) {
      size_t j = fast_run(&st, s, len, i, &rc);
      if (rc) break;
      if (j > i) {
        i = j;
        continue;
      }
    }
    unsigned char c = s[i];
    if (c < 0x80) {
      if (c == ' ' || c == 0 || (c >= 0x09 && c <= 0x0D)) {
        note_space(&st, i, i + 1, c == ' ');
        i++;
        continue;
      }
      if (i + 1 < len && s[i + 1] >= 0x80 &&
          !boundary_at(t, s + i + 1, len - i - 1)) {
        /* A letter with combining marks: 'e' + U+0301 composes. */
        size_t j = i + 1;
        while (j < len && !boundary_at(t, s + j, len - j)) {
          int32_t cp;
          size_t m = decode(s + j, len - j, &cp);
          j += m ? m : 1;
        }
        rc = slow_piece(&st, s, i, j);
        i = j;
        continue;
      }
      if (st.ws && (rc = flush_space(&st, false, false))) break;
      /* Room was reserved for the input; only expansions reserve more. */
      if (st.wr.base + st.wr.w + 1 >= out->cap &&
          (rc = reserve(&st.wr, 1)))
        break;
      out->data[st.wr.base + st.wr.w++] =
          (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
      st.last_cjk = false;
      i++;
      continue;
    }
    int32_t cp;
    size_t m = decode(s + i, len - i, &cp);
    size_t j = i + (m ? m : 1);
    if (!m || cp >= 0x10000 || (t->e[cp].flags & F_LONG) ||
        (j < len && !boundary_at(t, s + j, len - j))) {
      while (j < len && !boundary_at(t, s + j, len - j)) {
        int32_t c2;
        size_t m2 = decode(s + j, len - j, &c2);
        j += m2 ? m2 : 1;
      }
      rc = slow_piece(&st, s, i, j);
      i = j;
      continue;
    }
    const struct entry *e = &t->e[cp];
    rc = emit(&st, e->out, e->len, e->flags & F_ONE, e->flags & F_CJK_FIRST,
              e->flags & F_CJK_LAST, e->flags & F_SPACE, i, j,
              e->flags & F_IDENT);
    i = j;
  }
  if (rc == MW_OK) rc = flush_space(&st, false, true);
  if (rc) {
    if (out->data) out->data[out->len] = '\0';
    return rc;
  }
  out->len = st.wr.base + st.wr.w;
  out->data[out->len] = '\0';
  return MW_OK;
}

int mw_text_normalize(const char *s, size_t len, struct mw_buf *out) {
  pthread_once(&shared_once, build_shared);
  if (!shared) return MW_ENOMEM;
  return mw_norm_text(shared, s, len, out, NULL);
}
