/* Shared bits of the libFuzzer targets in fuzz/: the input size ceiling and
 * a helper that makes a NUL-terminated copy of the fuzzer's bytes for the
 * APIs that take C strings. Each target is one file with one
 * LLVMFuzzerTestOneInput; the libraries are the normal ones, built with
 * clang's sanitizer coverage by fuzz/run's meson setup. */
#ifndef MW_FUZZ_COMMON_H
#define MW_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Inputs above this are ignored: they only slow the fuzzer down, and the
 * crawler caps bodies long before the parsers see them anyway. */
#define MW_FUZZ_MAX_INPUT (256u * 1024u)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A malloc'd NUL-terminated copy of data; caller frees. NULL on OOM. */
static inline char *mw_fuzz_cstr(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  if (!s)
    return NULL;
  if (size)
    memcpy(s, data, size);
  s[size] = '\0';
  return s;
}

#endif
