/*
 * health_sites.c: the fixture sites of e2e/test_health made current
 * (health_sites.h): dates written as tokens become times relative to the
 * test's clock, and pages that must be GBK are converted from their UTF-8
 * source.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/e2e/e2e.h"
#include "tests/e2e/health_sites.h"

#define HOUR_S 3600

/* nftw takes no user pointer: the walk in progress uses these. */
static int64_t walk_now0;
static const char *walk_base;

/* Civil time of t at +08:00 (the config's Asia/Shanghai, no DST). */
static void china_civil(int64_t t, struct mw_civil *c) {
  mw_time_to_civil(t, 8 * HOUR_S, c);
}

/* The token at p ("@D-12@", "@Y-12@", "@R-12@": 12 hours before now0;
 * "@BASE@") written into b; its length, 0 when p holds none. */
static size_t put_token(const char *p, size_t left, struct mw_buf *b) {
  if (left >= 6 && !memcmp(p, "@BASE@", 6)) {
    mw_buf_puts(b, walk_base);
    return 6;
  }
  if (left < 5 || p[0] != '@' || p[2] != '-' ||
      (p[1] != 'D' && p[1] != 'Y' && p[1] != 'R'))
    return 0;
  size_t i = 3;
  int64_t hours = 0;
  while (i < left && i < 12 && p[i] >= '0' && p[i] <= '9')
    hours = hours * 10 + (p[i++] - '0');
  if (i == 3 || i >= left || p[i] != '@') return 0;
  int64_t t = walk_now0 - hours * HOUR_S;
  struct mw_civil c;
  if (p[1] == 'R') {
    static const char *const days[] = {"Mon", "Tue", "Wed", "Thu",
                                       "Fri", "Sat", "Sun"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr",
                                         "May", "Jun", "Jul", "Aug",
                                         "Sep", "Oct", "Nov", "Dec"};
    mw_time_to_civil(t, 0, &c);
    mw_buf_printf(b, "%s, %02d %s %04d %02d:%02d:%02d +0000",
                  days[c.weekday - 1], c.day, months[c.month - 1], c.year,
                  c.hour, c.minute, c.second);
  } else {
    china_civil(t, &c);
    mw_buf_printf(b, "%04d-%02d-%02d", c.year, c.month, c.day);
    if (p[1] == 'D') mw_buf_printf(b, " %02d:%02d", c.hour, c.minute);
  }
  return i + 1;
}


static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && !strcmp(s + n - k, suffix);
}

/* Converts the UTF-8 file src into GBK at dst. */
static int to_gbk(const char *src, const char *dst) {
  size_t len = 0;
  char *in = e2e_read_file(src, &len);
  if (!in) return -1;
  iconv_t cd = iconv_open("GBK", "UTF-8");
  if (cd == (iconv_t)-1) {
    free(in);
    return -1;
  }
  size_t cap = len * 2 + 16, out_left = cap, in_left = len;
  char *out = malloc(cap), *ip = in, *op = out;
  size_t r = out ? iconv(cd, &ip, &in_left, &op, &out_left) : (size_t)-1;
  iconv_close(cd);
  int bad = r == (size_t)-1 || in_left != 0;
  FILE *f = bad ? NULL : fopen(dst, "wb");
  if (f) {
    bad = fwrite(out, 1, cap - out_left, f) != cap - out_left;
    bad |= fclose(f) != 0;
  } else {
    bad = 1;
  }
  free(in);
  free(out);
  return bad ? -1 : 0;
}

/* Fills the tokens of one file; a "<file>.src" becomes "<file>" in GBK. */
static int fill_entry(const char *path, const struct stat *sb, int flag,
                      struct FTW *ftw) {
  (void)sb;
  (void)ftw;
  if (flag != FTW_F || ends_with(path, ".headers")) return 0;
  size_t len = 0;
  char *text = e2e_read_file(path, &len);
  if (!text) return 1;
  struct mw_buf b;
  mw_buf_init(&b, 1u << 24);
  for (size_t i = 0; i < len;) {
    size_t k = text[i] == '@' ? put_token(text + i, len - i, &b) : 0;
    if (k) {
      i += k;
    } else {
      mw_buf_append(&b, text + i, 1);
      i++;
    }
  }
  free(text);
  e2e_write_file(path, b.data ? b.data : "");
  mw_buf_cleanup(&b);
  if (!ends_with(path, ".src")) return 0;
  char dst[2048];
  snprintf(dst, sizeof dst, "%.*s", (int)(strlen(path) - 4), path);
  if (to_gbk(path, dst)) return 1;
  return unlink(path) != 0;
}

void health_sites_fill(const char *root, int64_t now0, const char *base) {
  walk_now0 = now0;
  walk_base = base;
  if (nftw(root, fill_entry, 16, FTW_PHYS))
    fail_msg("cannot fill the dates of %s", root);
}
