/*
 * test_readme.c: the README's config reference is the program's own
 * (`mediawatch config reference`, headings one level down), so the
 * documentation cannot drift from the table the loader checks against.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/e2e/e2e.h"

static void test_reference_matches(void **state) {
  (void)state;
  char *out = NULL;
  const char *args[] = {"config", "reference", NULL};
  assert_int_equal(e2e_run(&out, NULL, args), 0);
  struct mw_buf want;
  mw_buf_init(&want, 1u << 20);
  /* Drop the H1 line, push "## " headings down to "### ". */
  const char *p = strchr(out, '\n');
  assert_non_null(p);
  p++;
  while (*p) {
    const char *end = strchr(p, '\n');
    size_t len = end ? (size_t)(end - p + 1) : strlen(p);
    if (!strncmp(p, "## ", 3)) mw_buf_putc(&want, '#');
    mw_buf_append(&want, p, len);
    p += len;
  }
  /* Compare without the blank lines at either end. */
  size_t a = 0, b = want.len;
  while (a < b && want.data[a] == '\n') a++;
  while (b > a && want.data[b - 1] == '\n') b--;
  char readme_path[1024];
  e2e_source("README.md", readme_path, sizeof readme_path);
  char *readme = e2e_read_file(readme_path, NULL);
  assert_non_null(readme);
  const char *start = strstr(readme, "<!-- config-reference:");
  const char *stop = strstr(readme, "<!-- end config-reference -->");
  assert_non_null(start);
  assert_non_null(stop);
  start = strchr(start, '\n') + 1;
  size_t have_len = (size_t)(stop - start);
  while (have_len && start[have_len - 1] == '\n') have_len--;
  if (have_len != b - a || memcmp(start, want.data + a, have_len))
    fail_msg("README.md's config reference differs from `mediawatch config "
             "reference`; paste the new output between the markers");
  mw_buf_cleanup(&want);
  free(readme);
  free(out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reference_matches),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
