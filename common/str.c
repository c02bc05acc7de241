/*
 * str.c: small string helpers that are locale-independent and bounded,
 * and the parsers of the config's number, duration and size values.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"

char *mw_strdup(const char *s) { return s ? mw_strndup(s, strlen(s)) : NULL; }

char *mw_strndup(const char *s, size_t n) {
  char *p = malloc(n + 1);
  if (!p) return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

int mw_ascii_casecmp(const char *a, const char *b) {
  for (;; a++, b++) {
    int ca = mw_ascii_tolower((unsigned char)*a);
    int cb = mw_ascii_tolower((unsigned char)*b);
    if (ca != cb || ca == 0) return ca - cb;
  }
}

int mw_ascii_ncasecmp(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++) {
    int ca = mw_ascii_tolower((unsigned char)a[i]);
    int cb = mw_ascii_tolower((unsigned char)b[i]);
    if (ca != cb || ca == 0) return ca - cb;
  }
  return 0;
}

int mw_parse_int64(const char *s, int64_t min, int64_t max, int64_t *out) {
  if (!s || !*s) return MW_EINVAL;
  const char *p = s;
  if (*p == '-' || *p == '+') p++;
  if (!mw_ascii_isdigit((unsigned char)*p)) return MW_EINVAL;
  errno = 0;
  char *end;
  long long v = strtoll(s, &end, 10);
  if (errno || *end != '\0' || v < min || v > max) return MW_EINVAL;
  *out = v;
  return MW_OK;
}

/* Splits "15m" into 15 and "m"; the number must be non-negative. */
static int split_unit(const char *s, int64_t *num, const char **unit) {
  if (!s || !mw_ascii_isdigit((unsigned char)*s)) return MW_EINVAL;
  int64_t v = 0;
  const char *p = s;
  while (mw_ascii_isdigit((unsigned char)*p)) {
    if (v > (INT64_MAX - 9) / 10) return MW_EINVAL;
    v = v * 10 + (*p - '0');
    p++;
  }
  while (*p == ' ') p++;
  *num = v;
  *unit = p;
  return MW_OK;
}

static int scale(int64_t v, int64_t mul, int64_t *out) {
  if (mul && v > INT64_MAX / mul) return MW_EINVAL;
  *out = v * mul;
  return MW_OK;
}

int mw_parse_duration_s(const char *s, int64_t *out_s) {
  int64_t v;
  const char *u;
  if (split_unit(s, &v, &u)) return MW_EINVAL;
  if (!*u || !strcmp(u, "s")) return scale(v, 1, out_s);
  if (!strcmp(u, "m") || !strcmp(u, "min")) return scale(v, 60, out_s);
  if (!strcmp(u, "h")) return scale(v, 3600, out_s);
  if (!strcmp(u, "d")) return scale(v, 86400, out_s);
  return MW_EINVAL;
}

int mw_parse_size(const char *s, int64_t *out_bytes) {
  int64_t v;
  const char *u;
  if (split_unit(s, &v, &u)) return MW_EINVAL;
  if (!*u || !mw_ascii_casecmp(u, "b")) return scale(v, 1, out_bytes);
  if (!mw_ascii_casecmp(u, "kb") || !mw_ascii_casecmp(u, "k"))
    return scale(v, 1024, out_bytes);
  if (!mw_ascii_casecmp(u, "mb") || !mw_ascii_casecmp(u, "m"))
    return scale(v, 1024 * 1024, out_bytes);
  if (!mw_ascii_casecmp(u, "gb") || !mw_ascii_casecmp(u, "g"))
    return scale(v, 1024LL * 1024 * 1024, out_bytes);
  return MW_EINVAL;
}

size_t mw_utf8_cut(const char *s, size_t len, size_t max) {
  if (len <= max) return len;
  while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80) max--;
  return max;
}
