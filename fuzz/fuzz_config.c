/* libFuzzer target for the config loader (mw_config_load_string): the
 * bytes are the YAML text. Only parsing and validation run; nothing is
 * opened or written. */
#include "fuzz/fuzz_common.h"
#include "cli/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 64 * 1024)
    return 0;
  struct mw_config *cfg = NULL;
  struct mw_err err = {0};
  if (mw_config_load_string((const char *)data, size, "fuzz.yaml", &cfg,
                            &err) == MW_OK)
    mw_config_free(cfg);
  return 0;
}
