/* libFuzzer target for the charset sniffer and decoder
 * (mw_charset_detect, mw_charset_decode_page, mw_charset_decode). The
 * first byte picks the HTTP charset label (none, a true one or a lying
 * one); the rest is the page. */
#include "fuzz/fuzz_common.h"
#include "crawler/crawler.h"

static const char *const labels[] = {NULL,     "utf-8", "gbk",   "gb2312",
                                     "GB18030", "big5",  "latin1", "bogus"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > MW_FUZZ_MAX_INPUT)
    return 0;
  const char *label = labels[data[0] % (sizeof labels / sizeof labels[0])];
  const char *page = (const char *)data + 1;
  size_t len = size - 1;

  struct mw_charset_guess g;
  mw_charset_detect(page, len, label, &g);

  struct mw_buf out;
  mw_buf_init(&out, 4u * MW_FUZZ_MAX_INPUT + 64);
  struct mw_err err = {0};
  size_t replaced = 0;
  struct mw_charset_guess g2;
  (void)mw_charset_decode_page(page, len, label, &g2, &out, &replaced, &err);
  mw_buf_cleanup(&out);

  /* The plain decoder with the detected name, with a small ceiling so the
   * MW_ETOOBIG path is exercised too. */
  mw_buf_init(&out, 1024);
  (void)mw_charset_decode(page, len, g.name, &out, &replaced, &err);
  mw_buf_cleanup(&out);
  return 0;
}
