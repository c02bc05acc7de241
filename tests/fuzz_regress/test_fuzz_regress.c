/*
 * test_fuzz_regress.c: replays every input that once crashed a libFuzzer
 * target, under the normal build (and its ASan build), so a fixed crash
 * stays fixed. Compiled once per target together with that target's
 * fuzz/fuzz_<target>.c, so the inputs go through exactly the calls the
 * fuzzer made; the inputs are the files of tests/data/fuzz/<target>/.
 * Finding new crashes is fuzz/run's job; what each API should return is
 * left to the modules' own tests.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fuzz/fuzz_common.h"
#include "tests/testdata.h"

#ifndef MW_FUZZ_TARGET
#error "MW_FUZZ_TARGET must name the target (meson sets it)"
#endif

static void test_replay(void **state) {
  (void)state;
  const char *root = getenv("MW_TEST_DATA");
  char dir[4096], sub[256], path[4096 + 256];
  snprintf(sub, sizeof sub, "fuzz/%s", MW_FUZZ_TARGET);
  snprintf(dir, sizeof dir, "%s/%s", root ? root : "tests/data", sub);
  DIR *d = opendir(dir);
  assert_non_null(d);
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
      continue;
    size_t len = 0;
    char *data = mw_test_data_read(sub, e->d_name, &len);
    /* A copy of exactly len bytes: the NUL mw_test_data_read adds would
     * hide reads past the end, which is what the fuzzer caught. */
    uint8_t *exact = malloc(len ? len : 1);
    assert_non_null(exact);
    if (len)
      memcpy(exact, data, len);
    free(data);
    print_message("%s/%s (%zu bytes)\n", sub, e->d_name, len);
    assert_int_equal(LLVMFuzzerTestOneInput(exact, len), 0);
    free(exact);
    n++;
  }
  closedir(d);
  assert_true(n > 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_replay)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
