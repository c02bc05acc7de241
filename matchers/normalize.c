/*
 * normalize.c: the one text normal form both rules and documents are
 * matched in. NFKC folds full-width letters and digits to ASCII and
 * compatibility ideographs to their unified forms; case folding makes
 * matching case-blind; default-ignorable characters (zero-width spaces and
 * joiners, soft hyphens) are dropped so they cannot split a keyword.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "matchers/matchers.h"

/* Copies s into out with every invalid UTF-8 sequence replaced by U+FFFD,
 * because utf8proc refuses invalid input as a whole. */
static int sanitize(const char *s, size_t len, struct mw_buf *out) {
  static const char repl[] = "\xEF\xBF\xBD";
  size_t i = 0;
  while (i < len) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(len - i), &cp);
    int rc;
    if (n < 0) {
      rc = mw_buf_append(out, repl, 3);
      n = 1;
    } else if (cp == 0) {
      rc = mw_buf_putc(out, ' '); /* NUL would end the C string */
    } else {
      rc = mw_buf_append(out, s + i, (size_t)n);
    }
    if (rc) return rc;
    i += (size_t)n;
  }
  return MW_OK;
}

int mw_text_normalize(const char *s, size_t len, struct mw_buf *out) {
  if (!s || !len) return MW_OK;
  struct mw_buf clean;
  mw_buf_init(&clean, len * 3 + 16);
  int rc = sanitize(s, len, &clean);
  if (rc) {
    mw_buf_cleanup(&clean);
    return rc;
  }
  utf8proc_uint8_t *mapped = NULL;
  utf8proc_ssize_t n = utf8proc_map(
      (const utf8proc_uint8_t *)clean.data, (utf8proc_ssize_t)clean.len,
      &mapped,
      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
          UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
  mw_buf_cleanup(&clean);
  if (n < 0) {
    free(mapped);
    return n == UTF8PROC_ERROR_NOMEM ? MW_ENOMEM : MW_EINVAL;
  }
  rc = mw_buf_append(out, mapped, (size_t)n);
  free(mapped);
  return rc;
}
