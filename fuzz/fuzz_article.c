/* libFuzzer target for article extraction (mw_article_extract): the bytes
 * are an article page at a fixed URL, no HTTP charset, no XPath rules. */
#include "fuzz/fuzz_common.h"
#include "crawler/crawler.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > MW_FUZZ_MAX_INPUT)
    return 0;
  struct mw_extracted *x = NULL;
  struct mw_err err = {0};
  int rc = mw_article_extract((const char *)data, size, NULL,
                              "http://www.example.gov.cn/xxgk/2023/05/t20230508_1.html",
                              28800, NULL, &x, &err);
  if (rc == MW_OK)
    mw_extracted_free(x);
  return 0;
}
