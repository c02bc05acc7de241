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
 * The text is normalised a slice at a time, cut only before a character
 * that never composes with the one before it, so memory stays bounded
 * whatever the length and the result equals normalising the whole text.
 *
 * What it leaves to others: extracting the body (crawler/), storing hashes
 * and grouping articles into clusters (store/clusters.c).
 */
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
 * 64 adds a shingle, so the counts are kept four to a word: lane j (16
 * bits) of lanes[k] counts bit 4k + j, and a nibble of the hash is added
 * with one table look-up. The lanes are emptied into ones[] before they
 * can overflow. */
#define LANE_MAX 65535
static const uint64_t nibble_lanes[16] = {
    0x0000000000000000, 0x0000000000000001, 0x0000000000010000,
    0x0000000000010001, 0x0000000100000000, 0x0000000100000001,
    0x0000000100010000, 0x0000000100010001, 0x0001000000000000,
    0x0001000000000001, 0x0001000000010000, 0x0001000000010001,
    0x0001000100000000, 0x0001000100000001, 0x0001000100010000,
    0x0001000100010001,
};

struct votes {
  uint32_t window[SHINGLE]; /* the last SHINGLE kept code points */
  uint64_t kept;            /* kept code points so far */
  uint64_t n;               /* shingles so far */
  uint64_t in_lanes;        /* shingles counted in lanes, not yet in ones */
  uint64_t lanes[16];
  uint64_t ones[64];
};

static void flush_lanes(struct votes *v) {
  for (int k = 0; k < 16; k++) {
    for (int j = 0; j < 4; j++)
      v->ones[4 * k + j] += (v->lanes[k] >> (16 * j)) & 0xffff;
    v->lanes[k] = 0;
  }
  v->in_lanes = 0;
}

static void add_char(struct votes *v, uint32_t cp) {
  memmove(v->window, v->window + 1, (SHINGLE - 1) * sizeof v->window[0]);
  v->window[SHINGLE - 1] = cp;
  if (++v->kept < SHINGLE) return;
  uint64_t h = shingle_hash(v->window);
  for (int k = 0; k < 16; k++)
    v->lanes[k] += nibble_lanes[(h >> (4 * k)) & 15];
  v->n++;
  if (++v->in_lanes == LANE_MAX) flush_lanes(v);
}

/* Feeds the normalised slice's kept code points to v. The normal form is
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

/* A byte a slice may start at: ASCII or the first byte of U+4000..U+9FFF
 * (CJK ideographs). Neither composes with, nor is reordered before, the
 * character in front, so normalising the slices one by one gives what
 * normalising the whole text would. */
static bool safe_cut(unsigned char c) {
  return c < 0x80 || (c >= 0xE4 && c <= 0xE9);
}

/* End of the slice starting at start. */
static size_t slice_end(const char *s, size_t len, size_t start) {
  if (len - start <= SLICE_MAX) return len;
  size_t limit = start + SLICE_MAX; /* < len, so s[limit] is readable */
  for (size_t i = start + SLICE_BYTES; i < limit; i++)
    if (safe_cut((unsigned char)s[i])) return i;
  /* No ideograph or ASCII for 4 KB: cut before any lead byte, which at
   * worst changes one combining sequence. */
  for (size_t i = limit; i > start + SLICE_BYTES; i--)
    if (((unsigned char)s[i] & 0xC0) != 0x80) return i;
  return limit;
}

uint64_t mw_simhash(const char *utf8, size_t len) {
  if (!utf8 || !len) return 0;
  struct votes v;
  memset(&v, 0, sizeof v);
  struct mw_buf norm;
  mw_buf_init(&norm, (size_t)SLICE_MAX * EXPANSION + 64);
  for (size_t start = 0; start < len;) {
    size_t end = slice_end(utf8, len, start);
    mw_buf_reset(&norm);
    /* Allocation failure: no judgement is better than a wrong one. */
    if (mw_text_normalize(utf8 + start, end - start, &norm) != MW_OK) {
      mw_buf_cleanup(&norm);
      return 0;
    }
    add_text(&v, norm.data ? norm.data : "", norm.len);
    start = end;
  }
  mw_buf_cleanup(&norm);
  if (v.kept < MIN_CHARS) return 0;
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
