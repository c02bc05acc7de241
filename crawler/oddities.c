/*
 * oddities.c: how much of a decoded text looks like mojibake
 * (mw_text_oddities), the signal behind the health check's "mojibake"
 * problem.
 *
 * Real mainland Chinese text is ASCII, CJK punctuation, full-width forms
 * and the 6,763 汉字 of GB2312, with a rare hanzi beyond it. A wrong
 * decoding leaves a fingerprint: GBK bytes read as windows-1252 or Latin-1
 * become U+0080..U+00FF; UTF-8 (or Big5) read as GBK becomes mostly hanzi
 * outside GB2312 (its trail bytes fall outside 0xA1..0xFE); a failed
 * decoding becomes U+FFFD or private-use characters; bytes never decoded
 * are invalid UTF-8. So the odd characters counted are exactly those. The
 * set of GB2312 hanzi is generated at build time by gen_gb2312.c.
 *
 * What it leaves to others: what ratio counts as broken (health/), and
 * decoding itself (charset.c).
 */
#include "crawler/crawler.h"
#include "gb2312_table.h"

static bool in_gb2312(uint32_t cp) {
  uint32_t k = cp - MW_GB2312_FIRST;
  return (mw_gb2312_hanzi[k / 32] >> (k % 32)) & 1u;
}

/* Most characters of Chinese text are GB2312 hanzi: they are tested
 * first, then the ranges in code point order. */
static bool is_odd(uint32_t cp) {
  if (cp >= MW_GB2312_FIRST && cp <= MW_GB2312_LAST) return !in_gb2312(cp);
  if (cp <= 0xFF) return cp >= 0x80;               /* C1, Latin-1 */
  if (cp < 0x3400) return false;
  if (cp <= 0x4DBF) return true;                   /* CJK Ext A */
  if (cp < 0xE000) return false;
  if (cp <= 0xF8FF) return true;                   /* private use */
  if (cp <= 0xFAFF) return cp >= 0xF900;           /* compatibility 汉字 */
  if (cp == 0xFFFD) return true;                   /* replacement */
  if (cp < 0x20000) return false;
  if (cp <= 0x3FFFF) return true;                  /* CJK Ext B and on */
  return cp >= 0xF0000;                            /* private use planes */
}

/* Length of the valid UTF-8 sequence at s[0..n) and its code point in
 * *cp; 0 when s[0] starts none (a stray continuation byte, an overlong
 * form, a surrogate, beyond U+10FFFF, or cut short by n or a NUL, which
 * is never a continuation byte). */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp) {
  unsigned char b = s[0];
  size_t len;
  uint32_t c, min;
  if (b >= 0xC2 && b <= 0xDF) {
    len = 2, c = b & 0x1Fu, min = 0x80;
  } else if (b >= 0xE0 && b <= 0xEF) {
    len = 3, c = b & 0x0Fu, min = 0x800;
  } else if (b >= 0xF0 && b <= 0xF4) {
    len = 4, c = b & 0x07u, min = 0x10000;
  } else {
    return 0;
  }
  if (len > n) return 0;
  for (size_t k = 1; k < len; k++) {
    if ((s[k] & 0xC0) != 0x80) return 0;
    c = c << 6 | (s[k] & 0x3Fu);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
  *cp = c;
  return len;
}

void mw_text_oddities(const char *s, size_t len, int64_t *chars,
                      int64_t *odd) {
  int64_t nc = 0, no = 0;
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  while (u && i < len && u[i]) {
    if (u[i] < 0x80) { /* ASCII says nothing either way */
      i++;
      continue;
    }
    uint32_t cp;
    size_t k;
    /* The common case inline: a well-formed 3-byte sequence (all of
     * CJK) needs no loop. */
    if (u[i] >= 0xE1 && u[i] <= 0xEF && u[i] != 0xED && i + 2 < len &&
        (u[i + 1] & 0xC0) == 0x80 && (u[i + 2] & 0xC0) == 0x80) {
      cp = (uint32_t)(u[i] & 0x0F) << 12 | (uint32_t)(u[i + 1] & 0x3F) << 6 |
           (u[i + 2] & 0x3F);
      k = 3;
    } else {
      k = utf8_next(u + i, len - i, &cp);
    }
    nc++;
    if (k == 0) { /* an invalid byte: one odd character */
      no++;
      i++;
      continue;
    }
    if (is_odd(cp)) no++;
    i += k;
  }
  if (chars) *chars = nc;
  if (odd) *odd = no;
}
