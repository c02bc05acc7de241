/* libFuzzer target for the URL canonicaliser (mw_url_canonicalize). The
 * input is "URL" or "URL\nBASE": when there is a newline the part after it
 * is the base to resolve against. The result is canonicalised once more,
 * as the store does with URLs it reads back. */
#include "fuzz/fuzz_common.h"
#include "crawler/crawler.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 8192)
    return 0;
  char *s = mw_fuzz_cstr(data, size);
  if (!s)
    return 0;
  char *base = NULL;
  char *nl = memchr(s, '\n', size);
  if (nl) {
    *nl = '\0';
    base = nl + 1;
  }
  char *out = NULL;
  struct mw_err err = {0};
  if (mw_url_canonicalize(s, base, &out, &err) == MW_OK) {
    char *again = NULL;
    struct mw_err err2 = {0};
    if (mw_url_canonicalize(out, NULL, &again, &err2) == MW_OK)
      free(again);
    free(out);
  }
  free(s);
  return 0;
}
