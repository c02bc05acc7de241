/*
 * buf.c: the growable buffer with a ceiling. Data from the network grows
 * only through here, so every such buffer has a bound fixed at init.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"

void mw_buf_init(struct mw_buf *b, size_t max) {
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
  b->max = max;
}

void mw_buf_cleanup(struct mw_buf *b) {
  if (!b) return;
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

void mw_buf_reset(struct mw_buf *b) {
  b->len = 0;
  if (b->data) b->data[0] = '\0';
}

/* Makes room for n more bytes plus the NUL. */
static int reserve(struct mw_buf *b, size_t n) {
  if (n > b->max || b->len > b->max - n) return MW_ETOOBIG;
  size_t need = b->len + n + 1;
  if (need <= b->cap) return MW_OK;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
  if (cap > b->max + 1) cap = b->max + 1;
  char *p = realloc(b->data, cap);
  if (!p) return MW_ENOMEM;
  b->data = p;
  b->cap = cap;
  return MW_OK;
}

int mw_buf_append(struct mw_buf *b, const void *p, size_t n) {
  int rc = reserve(b, n);
  if (rc) return rc;
  if (n) memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
  return MW_OK;
}

int mw_buf_puts(struct mw_buf *b, const char *s) {
  return mw_buf_append(b, s, strlen(s));
}

int mw_buf_putc(struct mw_buf *b, char c) { return mw_buf_append(b, &c, 1); }

int mw_buf_vprintf(struct mw_buf *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0) return MW_EINVAL;
  int rc = reserve(b, (size_t)n);
  if (rc) return rc;
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return MW_OK;
}

int mw_buf_printf(struct mw_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = mw_buf_vprintf(b, fmt, ap);
  va_end(ap);
  return rc;
}

char *mw_buf_steal(struct mw_buf *b) {
  char *p = b->data;
  if (!p) p = calloc(1, 1);
  b->data = NULL;
  b->len = b->cap = 0;
  return p;
}
