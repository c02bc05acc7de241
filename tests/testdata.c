/* testdata.c: see testdata.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "tests/testdata.h"

char *mw_test_data_read(const char *dir, const char *name, size_t *len) {
  const char *root = getenv("MW_TEST_DATA");
  char path[1024];
  snprintf(path, sizeof path, "%s/%s/%s", root ? root : "tests/data", dir,
           name);
  FILE *f = fopen(path, "rb");
  if (!f) fail_msg("cannot open %s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  buf[n] = '\0';
  *len = (size_t)n;
  return buf;
}
