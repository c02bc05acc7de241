/*
 * simhash.c: a 64-bit fingerprint of a text that changes little when the
 * text changes little, for finding reprints (转载) of one story on several
 * outlets.
 *
 * The text is put in the matching normal form (mw_text_normalize: NFKC,
 * full-width to half-width, case folded), then everything but letters,
 * digits and marks is dropped (whitespace, ASCII and CJK punctuation,
 * symbols, controls), so a reprint that only differs in spacing, quotes,
 * full-width digits or line breaks reads the same. Every run of 4 code
 * points left (a shingle) is hashed to 64 bits; bit i of the simhash is set
 * when more than half of the shingles have bit i set. Changing k shingles
 * out of n moves each bit with a chance of roughly angle/pi, where the angle
 * is that between the two shingle-count vectors, so the distance between a
 * story and its reprint stays small while unrelated texts land about 32
 * bits apart.
 *
 * The normal form is made piece by piece, a piece being a character no
 * earlier one combines with plus the marks that attach to it (as
 * mw_text_normalize itself works), so the result equals normalising the
 * whole text. Most pieces of Chinese news are one ASCII character, one
 * ideograph or one punctuation mark; their kept code points are known
 * without running the normaliser (inline for ASCII and ideographs, from a
 * table made once with mw_text_normalize for the punctuation blocks).
 * Everything else goes through mw_text_normalize a stretch at a time,
 * which also keeps memory bounded whatever the length.
 *
 * What it leaves to others: extracting the body (crawler/), storing hashes
 * and grouping articles into clusters (store/clusters.c).
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

#include "matchers/matchers.h"

/* Shingle width in code points. */
#define SHINGLE 4
/* Fewer kept characters than this give 0: too short to tell a reprint
 * from a phrase two stories share. */
#define MIN_CHARS 20
/* Input bytes normalised at a time: a slice ends at the first safe cut
 * after SLICE_BYTES, and never holds more than SLICE_MAX. */
#define SLICE_BYTES 16384
#define SLICE_MAX (SLICE_BYTES + 4096)
/* NFKC with case folding grows text at most about elevenfold (U+FDFA, 3
 * bytes, becomes a 33-byte Arabic phrase); the ceiling leaves room. */
#define EXPANSION 20

/* Letters, marks and digits are kept; unassigned and private-use code
 * points too (rare characters some sites map there). Punctuation, symbols,
 * separators, controls and format characters are dropped. */
static bool keep(utf8proc_int32_t cp) {
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS: case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO: case UTF8PROC_CATEGORY_SM:
    case UTF8PROC_CATEGORY_SC: case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_SO: case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_CS:
      return false;
    default:
      return true;
  }
}

/* The murmur3 finaliser: a bijection in which every output bit depends on
 * every input bit. */
static uint64_t fmix64(uint64_t h) {
  h ^= h >> 33;
  h *= UINT64_C(0xff51afd7ed558ccd);
  h ^= h >> 33;
  h *= UINT64_C(0xc4ceb9fe1a85ec53);
  h ^= h >> 33;
  return h;
}

/* A shingle's 4 code points (21 bits each) packed in two words, each
 * scrambled, then mixed once more so every bit of the hash, each of which
 * votes, depends on all four characters. */
static uint64_t shingle_hash(const uint32_t cp[SHINGLE]) {
  uint64_t a = (uint64_t)cp[0] | (uint64_t)cp[1] << 32;
  uint64_t b = (uint64_t)cp[2] | (uint64_t)cp[3] << 32;
  return fmix64(fmix64(a ^ UINT64_C(0x9e3779b97f4a7c15)) ^
                b * UINT64_C(0xbf58476d1ce4e5b9));
}

/* The votes: how many shingles had each bit set. Counting bit by bit costs
 * 64 adds a shingle, so the counts are kept eight to a word: byte j of
 * lanes[k] counts bit 8k + j, and a byte of the hash is added with one
 * table look-up (spread[b] has byte j set to bit j of b). The lanes are
 * emptied into ones[] before a byte can overflow. */
#define LANE_MAX 255

struct votes {
  uint32_t window[SHINGLE]; /* the last SHINGLE kept code points */
  uint64_t kept;            /* kept code points so far */
  uint64_t n;               /* shingles so far */
  uint64_t in_lanes;        /* shingles counted in lanes, not yet in ones */
  uint64_t lanes[8];
  uint64_t ones[64];
};

/* ------------------------------------------------------------ the tables */

/* Blocks whose characters are looked up rather than normalised: general
 * punctuation (“ ” — …), CJK symbols and punctuation (、 。 《 》 【 】) and
 * the full- and half-width forms (，：（） and full-width letters and
 * digits). */
#define T_GP 0x2000
#define T_GP_END 0x206F
#define T_CJK 0x3000
#define T_CJK_END 0x303F
#define T_FW 0xFF00
#define T_FW_END 0xFF9F
#define T_SIZE ((T_GP_END - T_GP + 1) + (T_CJK_END - T_CJK + 1) + \
                (T_FW_END - T_FW + 1))

enum {
  P_KNOWN = 1, /* alone in its piece, it keeps out[0..n) */
  P_CUT = 2,   /* no earlier character combines with it: a piece starts */
};

struct punct {
  uint8_t flags;
  uint8_t n;
  uint32_t out[2];
};

static uint64_t spread[256];
static struct punct punct[T_SIZE];
static uint8_t ascii_kept[128]; /* the kept (lower-case) form, or 0 */
static bool tables_ok;
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static int punct_index(uint32_t cp) {
  if (cp >= T_GP && cp <= T_GP_END) return (int)(cp - T_GP);
  if (cp >= T_CJK && cp <= T_CJK_END)
    return (int)(cp - T_CJK) + (T_GP_END - T_GP + 1);
  if (cp >= T_FW && cp <= T_FW_END)
    return (int)(cp - T_FW) + (T_GP_END - T_GP + 1) + (T_CJK_END - T_CJK + 1);
  return -1;
}

/* Fills the entry of cp from mw_text_normalize's own answer, so the table
 * cannot drift from the normal form. A piece starts at cp when neither cp
 * nor the first character it becomes has a combining class; no character
 * of these blocks is the second of a canonical composition (kana voicing
 * marks, Hangul vowels and the like live elsewhere), which a check over
 * every preceding BMP character confirmed when this was written. */
static bool fill_punct(uint32_t cp, struct mw_buf *b) {
  struct punct *e = &punct[punct_index(cp)];
  uint8_t in[4];
  utf8proc_ssize_t len = utf8proc_encode_char((utf8proc_int32_t)cp, in);
  mw_buf_reset(b);
  if (mw_text_normalize((const char *)in, (size_t)len, b) != MW_OK)
    return false;
  bool cut = utf8proc_get_property((utf8proc_int32_t)cp)->combining_class == 0;
  bool known = cut;
  size_t i = 0, n = 0;
  while (i < b->len) {
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)b->data + i,
                                          (utf8proc_ssize_t)(b->len - i), &c);
    if (k <= 0) return false;
    if (i == 0 && utf8proc_get_property(c)->combining_class != 0)
      cut = known = false;
    if (keep(c)) {
      if (n == 2) known = false;
      else e->out[n++] = (uint32_t)c;
    }
    i += (size_t)k;
  }
  e->n = (uint8_t)n;
  e->flags = (uint8_t)((known ? P_KNOWN : 0) | (cut ? P_CUT : 0));
  return true;
}

static void build_tables(void) {
  for (int b = 0; b < 256; b++)
    for (int j = 0; j < 8; j++)
      if (b >> j & 1) spread[b] |= UINT64_C(1) << (8 * j);
  for (int c = 0; c < 128; c++) {
    bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
    if (c >= 'A' && c <= 'Z') ascii_kept[c] = (uint8_t)(c + 32);
    else if (alnum) ascii_kept[c] = (uint8_t)c;
  }
  struct mw_buf b;
  mw_buf_init(&b, 1024);
  bool ok = true;
  for (uint32_t cp = T_GP; cp <= T_GP_END && ok; cp++) ok = fill_punct(cp, &b);
  for (uint32_t cp = T_CJK; cp <= T_CJK_END && ok; cp++) ok = fill_punct(cp, &b);
  for (uint32_t cp = T_FW; cp <= T_FW_END && ok; cp++) ok = fill_punct(cp, &b);
  mw_buf_cleanup(&b);
  tables_ok = ok; /* else every character takes the normaliser */
}

/* ------------------------------------------------------------- counting */

static void flush_lanes(struct votes *v) {
  for (int k = 0; k < 8; k++) {
    for (int j = 0; j < 8; j++)
      v->ones[8 * k + j] += (v->lanes[k] >> (8 * j)) & 0xff;
    v->lanes[k] = 0;
  }
  v->in_lanes = 0;
}

static inline void add_char(struct votes *v, uint32_t cp) {
  v->window[0] = v->window[1];
  v->window[1] = v->window[2];
  v->window[2] = v->window[3];
  v->window[SHINGLE - 1] = cp;
  if (++v->kept < SHINGLE) return;
  uint64_t h = shingle_hash(v->window);
  for (int k = 0; k < 8; k++) v->lanes[k] += spread[(h >> (8 * k)) & 0xff];
  v->n++;
  if (++v->in_lanes == LANE_MAX) flush_lanes(v);
}

/* Feeds the normalised text's kept code points to v. The normal form is
 * valid UTF-8 (mw_text_normalize replaced anything else). */
static void add_text(struct votes *v, const char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(len - i), &cp);
    if (n <= 0) { /* cannot happen after normalisation; skip a byte */
      i++;
      continue;
    }
    if (keep(cp)) add_char(v, (uint32_t)cp);
    i += (size_t)n;
  }
}

/* ------------------------------------------------------------ the pieces */

/* The code point of a well-formed 3-byte sequence at s (n bytes left), or
 * 0. */
static inline uint32_t three_bytes(const unsigned char *s, size_t n) {
  if (n < 3 || (s[0] & 0xF0) != 0xE0 || (s[1] & 0xC0) != 0x80 ||
      (s[2] & 0xC0) != 0x80)
    return 0;
  uint32_t cp = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 |
                (uint32_t)(s[2] & 0x3F);
  return cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) ? 0 : cp;
}

/* Whether a piece starts at s (n bytes left; the end of the text counts):
 * ASCII, a byte that leads U+4000..U+9FFF (an ideograph, or a bad sequence
 * the normaliser turns into U+FFFD, which combines with nothing), or a
 * table character that nothing combines with. */
static inline bool cut_at(const unsigned char *s, size_t n) {
  if (n == 0 || s[0] < 0x80 || (s[0] >= 0xE4 && s[0] <= 0xE9)) return true;
  if (s[0] != 0xE2 && s[0] != 0xE3 && s[0] != 0xEF) return false;
  int k = punct_index(three_bytes(s, n));
  return k >= 0 && (punct[k].flags & P_CUT);
}

/* Counts the character at s[0] when it is a piece of its own the fast path
 * knows: returns its length, or 0 for the normaliser to handle. A piece
 * starts at s (the caller's invariant). */
static inline size_t fast_piece(struct votes *v, const unsigned char *s,
                                size_t n) {
  if (s[0] < 0x80) {
    if (!cut_at(s + 1, n - 1)) return 0;
    if (ascii_kept[s[0]]) add_char(v, ascii_kept[s[0]]);
    return 1;
  }
  uint32_t cp = three_bytes(s, n);
  if (!cp || !cut_at(s + 3, n - 3)) return 0;
  if (cp >= 0x4E00 && cp <= 0x9FFF) { /* unified ideographs: as they are */
    add_char(v, cp);
    return 3;
  }
  if (cp >= 0x4000 && cp < 0x4E00) { /* extension A, hexagrams: as they are */
    if (keep((utf8proc_int32_t)cp)) add_char(v, cp);
    return 3;
  }
  int k = punct_index(cp);
  if (k < 0 || !(punct[k].flags & P_KNOWN)) return 0;
  for (int i = 0; i < punct[k].n; i++) add_char(v, punct[k].out[i]);
  return 3;
}

/* The end of the stretch from start the normaliser takes: the next place
 * a piece starts with a character the fast path knows, or the first cut
 * after SLICE_BYTES, never past SLICE_MAX. */
static size_t slow_end(const unsigned char *s, size_t len, size_t start) {
  size_t i = start + 1;
  for (; i < len && i - start <= SLICE_MAX; i++) {
    if ((s[i] & 0xC0) == 0x80 || !cut_at(s + i, len - i)) continue;
    if (i - start >= SLICE_BYTES) return i;
    if (s[i] < 0x80 || three_bytes(s + i, len - i)) return i;
  }
  if (i >= len) return len;
  /* No cut for 4 KB: cut before any lead byte, which at worst changes one
   * combining sequence. */
  size_t limit = start + SLICE_MAX;
  for (i = limit; i > start + SLICE_BYTES; i--)
    if ((s[i] & 0xC0) != 0x80) return i;
  return limit;
}

uint64_t mw_simhash(const char *utf8, size_t len) {
  if (!utf8 || !len) return 0;
  pthread_once(&tables_once, build_tables);
  const unsigned char *s = (const unsigned char *)utf8;
  struct votes v;
  memset(&v, 0, sizeof v);
  struct mw_buf norm;
  mw_buf_init(&norm, (size_t)SLICE_MAX * EXPANSION + 64);
  bool failed = false;
  for (size_t i = 0; i < len && !failed;) {
    size_t m = tables_ok ? fast_piece(&v, s + i, len - i) : 0;
    if (m) {
      i += m;
      continue;
    }
    size_t end = slow_end(s, len, i);
    mw_buf_reset(&norm);
    /* Allocation failure: no judgement is better than a wrong one. */
    failed = mw_text_normalize(utf8 + i, end - i, &norm) != MW_OK;
    if (!failed) add_text(&v, norm.data ? norm.data : "", norm.len);
    i = end;
  }
  mw_buf_cleanup(&norm);
  if (failed || v.kept < MIN_CHARS) return 0;
  flush_lanes(&v);
  uint64_t h = 0;
  for (int i = 0; i < 64; i++)
    if (v.ones[i] * 2 > v.n) h |= UINT64_C(1) << i;
  /* 0 means "too short"; a real text that votes all zeros (one chance in
   * 2^64) must not read as that. */
  return h ? h : 1;
}

int mw_simhash_distance(uint64_t a, uint64_t b) {
  return __builtin_popcountll(a ^ b);
}
