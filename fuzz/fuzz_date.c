/* libFuzzer target for the date parser (mw_date_parse): the bytes are the
 * date text, passed with their length (no NUL), at China's offset. */
#include "fuzz/fuzz_common.h"
#include "crawler/crawler.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 4096)
    return 0;
  /* An exact-size heap copy so ASan sees any read past len. */
  char *s = malloc(size ? size : 1);
  if (!s)
    return 0;
  if (size)
    memcpy(s, data, size);
  int64_t t = 0;
  (void)mw_date_parse(s, size, 28800, &t);
  free(s);
  return 0;
}
