/*
 * wide.c: the normal form re-encoded for the Hyperscan scan, two bytes a
 * character (see struct mw_norm_wide in norm.h).
 *
 * Chinese text is three bytes a character in UTF-8; Hyperscan reads any
 * text at about the same bytes per second, so the same text in two bytes
 * a character is scanned a third faster, and with each 16-bit unit
 * shuffled (one to one, so equal texts stay equal) the literal matcher
 * tells the units apart faster still: on the matcher benchmark the scan
 * went from 0.79 s to 0.46 s per 200 MB. The literals are compiled in the
 * same form (compile.c); per unit the UTF-8 offset of its character is
 * kept, so the scan's callback reports hits at offsets of the normal form
 * and nothing else changes. Mostly-ASCII text, which would double, is
 * scanned as UTF-8 (match.c decides).
 *
 * What it leaves to others: the normal form itself (normalize.c), the
 * scan (match.c).
 */
#include <stdlib.h>
#include <string.h>

#include "matchers/matchers.h"
#include "matchers/norm.h"

#define TEXT_MAX (1u << 30)

void mw_norm_wide_init(struct mw_norm_wide *w) { memset(w, 0, sizeof *w); }

void mw_norm_wide_cleanup(struct mw_norm_wide *w) {
  if (!w) return;
  free(w->u);
  free(w->off);
  memset(w, 0, sizeof *w);
}

/* A unit as the scan sees it: a fixed shuffle of the 16-bit values (one to
 * one, so equal texts stay equal and aligned matches stay exact) that
 * spreads the few high bytes of CJK ideographs over all 256, which
 * Hyperscan's literal matcher tells apart faster (about 15%). */
static inline void put_unit(unsigned char *u, uint32_t v) {
  v = ((v ^ v >> 8) * 40503u) & 0xFFFF;
  u[0] = (unsigned char)(v >> 8);
  u[1] = (unsigned char)v;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <tmmintrin.h>
#define WIDE_SSSE3 1

/* Five three-byte characters (15 bytes) at a time while there are, with
 * the byte shuffle of SSSE3 (every x86-64 processor since 2006; checked
 * at run time): the same units and offsets as the loop in mw_norm_wide.
 * Returns where it stopped; *pk is the units written. Room: the caller's
 * buffers hold a unit and an offset per byte of s, and writing goes at
 * most 8 units past the last kept. */
__attribute__((target("ssse3"))) static size_t wide_ssse3(
    const unsigned char *s, size_t len, size_t i, unsigned char *u,
    uint32_t *off, size_t *pk) {
  const __m128i lo = _mm_setr_epi8(2, 1, 5, 4, 8, 7, 11, 10, 14, 13, -1, -1,
                                   -1, -1, -1, -1); /* b1 << 8 | b2 */
  const __m128i hi = _mm_setr_epi8(0, -1, 3, -1, 6, -1, 9, -1, 12, -1, -1,
                                   -1, -1, -1, -1, -1); /* b0 */
  size_t k = *pk;
  while (i + 16 <= len) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
    __m128i lead = _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xF0)),
                                  _mm_set1_epi8((char)0xE0));
    if ((_mm_movemask_epi8(lead) & 0x1249) != 0x1249) break;
    __m128i t1 = _mm_shuffle_epi8(v, lo), t0 = _mm_shuffle_epi8(v, hi);
    __m128i cp = _mm_or_si128(
        _mm_or_si128(_mm_and_si128(t1, _mm_set1_epi16(0x3F)),
                     _mm_and_si128(_mm_srli_epi16(t1, 2),
                                   _mm_set1_epi16(0x0FC0))),
        _mm_slli_epi16(t0, 12));
    /* put_unit's shuffle, then each unit's high byte first */
    cp = _mm_xor_si128(cp, _mm_srli_epi16(cp, 8));
    cp = _mm_mullo_epi16(cp, _mm_set1_epi16((short)40503));
    cp = _mm_or_si128(_mm_slli_epi16(cp, 8), _mm_srli_epi16(cp, 8));
    _mm_storeu_si128((__m128i *)(void *)(u + 2 * k), cp);
    _mm_storeu_si128((__m128i *)(void *)(off + k),
                     _mm_add_epi32(_mm_set1_epi32((int)i),
                                   _mm_setr_epi32(0, 3, 6, 9)));
    off[k + 4] = (uint32_t)(i + 12);
    k += 5;
    i += 15;
  }
  *pk = k;
  return i;
}
#endif

int mw_norm_wide(const char *text, size_t len, struct mw_norm_wide *w) {
  if (len > TEXT_MAX) return MW_ETOOBIG;
  if (len + 1 > w->cap) { /* never more units than bytes */
    size_t cap = w->cap ? w->cap : 1024;
    while (cap < len + 1) cap *= 2;
    unsigned char *u = realloc(w->u, 2 * cap);
    if (u) w->u = u;
    uint32_t *off = realloc(w->off, cap * sizeof *off);
    if (off) w->off = off;
    if (!u || !off) return MW_ENOMEM;
    w->cap = cap;
  }
  const unsigned char *s = (const unsigned char *)text;
  unsigned char *u = w->u;
  uint32_t *off = w->off;
  size_t k = 0;
#ifdef WIDE_SSSE3
  bool ssse3 = __builtin_cpu_supports("ssse3");
#endif
  for (size_t i = 0; i < len;) {
#ifdef WIDE_SSSE3
    if (ssse3 && (s[i] & 0xF0) == 0xE0) i = wide_ssse3(s, len, i, u, off, &k);
#endif
    /* Runs of three-byte characters (Chinese text): a step of fixed size
     * lets the processor overlap the characters. */
    while (i + 3 <= len && (s[i] & 0xF0) == 0xE0) {
      uint32_t x = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
      off[k] = (uint32_t)i;
      put_unit(u + 2 * k, (x >> 4 & 0xF000) | (x >> 2 & 0x0FC0) | (x & 0x3F));
      k++;
      i += 3;
    }
    if (i >= len) break;
    unsigned c = s[i];
    uint32_t cp;
    off[k] = (uint32_t)i;
    if (c >= 0xE0 && c < 0xF0 && i + 2 < len) { /* most of Chinese text */
      cp = (c & 0x0F) << 12 | (s[i + 1] & 0x3Fu) << 6 | (s[i + 2] & 0x3Fu);
      i += 3;
    } else if (c < 0x80) {
      cp = c;
      i += 1;
    } else if (c >= 0xC0 && c < 0xE0 && i + 1 < len) {
      cp = (c & 0x1F) << 6 | (s[i + 1] & 0x3Fu);
      i += 2;
    } else if (c >= 0xF0 && i + 3 < len) { /* a surrogate pair */
      cp = (c & 0x07) << 18 | (s[i + 1] & 0x3Fu) << 12 |
           (s[i + 2] & 0x3Fu) << 6 | (s[i + 3] & 0x3Fu);
      cp -= 0x10000;
      put_unit(u + 2 * k, 0xD800 | cp >> 10);
      off[++k] = (uint32_t)i; /* the low half: never where a hit ends */
      cp = 0xDC00 | (cp & 0x3FF);
      i += 4;
    } else { /* not what mw_norm_text writes: as U+FFFD */
      cp = 0xFFFD;
      i += 1;
    }
    put_unit(u + 2 * k, cp);
    k++;
  }
  off[k] = (uint32_t)len;
  w->n = k;
  return MW_OK;
}
