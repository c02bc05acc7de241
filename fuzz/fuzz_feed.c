/* libFuzzer target for the feed parser (mw_feed_parse): the bytes are a
 * feed body, parsed with no HTTP charset and a base URL; the result is
 * freed so that leaks show up. Checking field values is left to the unit
 * tests. */
#include "fuzz/fuzz_common.h"
#include "crawler/crawler.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > MW_FUZZ_MAX_INPUT)
    return 0;
  struct mw_feed *feed = NULL;
  struct mw_err err = {0};
  int rc = mw_feed_parse((const char *)data, size, NULL,
                         "http://example.com/news/feed.xml", 28800, NULL,
                         &feed, &err);
  if (rc == MW_OK)
    mw_feed_free(feed);
  return 0;
}
