/* libFuzzer target for the topic rule parser: the bytes are the `rule:` of
 * one topic, compiled by mw_matcher_new as the daemon does. A rule with an
 * error still gives a matcher (the topic is set aside); both paths free. */
#include "fuzz/fuzz_common.h"
#include "common/common.h"
#include "matchers/matchers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 4096)
    return 0;
  char *rule = mw_fuzz_cstr(data, size);
  if (!rule)
    return 0;
  struct mw_topic_conf t;
  memset(&t, 0, sizeof t);
  t.name = (char *)"fuzz";
  t.rule = rule;
  t.rule_line = 1;
  t.rule_col = 1;
  t.line = 1;
  struct mw_matcher *m = NULL;
  struct mw_err err = {0};
  if (mw_matcher_new(&t, 1, &m, &err) == MW_OK && m) {
    for (size_t i = 0; i < mw_matcher_error_count(m); i++)
      (void)mw_matcher_error(m, i);
    mw_matcher_free(m);
  }
  free(rule);
  return 0;
}
