/*
 * config_suggest.c: "did you mean" for a mistyped config key
 * (config_table.h: mw_cfg_near, mw_cfg_suggest): an edit distance over
 * characters, so a Chinese key or value is measured like an English one.
 */
#include <stdint.h>

#include "cli/config_table.h"

/* Up to 63 characters of s as code points, ASCII folded to lower case;
 * SIZE_MAX when longer. A byte that starts no valid sequence counts as
 * one character. */
static size_t code_points(const char *s, uint32_t *out) {
  size_t n = 0;
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    if (n == 63) return SIZE_MAX;
    size_t len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3
               : (*p & 0xF8) == 0xF0 ? 4 : 1;
    uint32_t c = len == 1 ? mw_ascii_tolower(*p) : (uint32_t)(*p & (0x7F >> len));
    for (size_t k = 1; k < len; k++) {
      if ((p[k] & 0xC0) != 0x80) { /* cut short: take the lead byte alone */
        c = *p;
        len = 1;
        break;
      }
      c = (c << 6) | (p[k] & 0x3F);
    }
    out[n++] = c;
    p += len;
  }
  return n;
}

/* Optimal string alignment distance in characters, ASCII case ignored: a
 * swapped pair of letters counts as one edit. Names over 63 characters
 * are far. */
static size_t distance(const uint32_t *a, size_t la, const uint32_t *b,
                       size_t lb) {
  size_t d[64][64];
  for (size_t i = 0; i <= la; i++) d[i][0] = i;
  for (size_t j = 0; j <= lb; j++) d[0][j] = j;
  for (size_t i = 1; i <= la; i++) {
    for (size_t j = 1; j <= lb; j++) {
      uint32_t ca = a[i - 1], cb = b[j - 1];
      size_t best = d[i - 1][j - 1] + (ca != cb);
      if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
      if (i > 1 && j > 1 && ca == b[j - 2] && a[i - 2] == cb &&
          d[i - 2][j - 2] + 1 < best)
        best = d[i - 2][j - 2] + 1;
      d[i][j] = best;
    }
  }
  return d[la][lb];
}

size_t mw_cfg_near(const char *typed, const char *known) {
  uint32_t a[64], b[64];
  size_t la = code_points(typed, a), lb = code_points(known, b);
  if (la == SIZE_MAX || lb == SIZE_MAX) return SIZE_MAX;
  size_t d = distance(a, la, b, lb);
  size_t limit = lb >= 6 ? 2 : 1;
  return d <= limit && d < lb ? d : SIZE_MAX;
}

const char *mw_cfg_suggest(enum mw_cfg_section section, const char *name) {
  const char *best = NULL;
  size_t best_d = SIZE_MAX;
  for (size_t i = 0; i < mw_cfg_n_options; i++) {
    const struct mw_cfg_option *o = &mw_cfg_options[i];
    if (o->section != section) continue;
    size_t d = mw_cfg_near(name, o->name);
    if (d < best_d) {
      best = o->name;
      best_d = d;
    }
  }
  return best;
}
