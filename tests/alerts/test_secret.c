/* Tests alerts/secret.c: secrets from the environment or from a file only
 * its owner can read, with messages that say what to do and never the
 * secret. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alerts/alerts.h"

#define SECRET "SECa1b2c3d4e5f6-do-not-print"

static char dir[256];

static char *path_of(const char *name) {
  static char p[512];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  return p;
}

static const char *write_file(const char *name, const char *content,
                              size_t len, mode_t mode) {
  const char *p = path_of(name);
  FILE *f = fopen(p, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(content, 1, len, f), len);
  fclose(f);
  assert_int_equal(chmod(p, mode), 0);
  return p;
}

static int setup(void **state) {
  const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
  snprintf(dir, sizeof dir, "%s/mw-secret-XXXXXX", tmp);
  return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

static void test_env(void **state) {
  char *s = NULL;
  struct mw_err err;
  setenv("MW_TEST_SECRET", SECRET, 1);
  assert_int_equal(mw_secret_read("MW_TEST_SECRET", NULL, &s, &err), MW_OK);
  assert_string_equal(s, SECRET);
  free(s);
  /* The variable wins over a file when both are given. */
  const char *p = write_file("both", "from-file", 9, 0600);
  assert_int_equal(mw_secret_read("MW_TEST_SECRET", p, &s, &err), MW_OK);
  assert_string_equal(s, SECRET);
  free(s);

  unsetenv("MW_TEST_NOT_SET");
  assert_int_equal(mw_secret_read("MW_TEST_NOT_SET", NULL, &s, &err),
                   MW_EINVAL);
  assert_null(s);
  assert_non_null(strstr(err.msg, "MW_TEST_NOT_SET"));
  assert_non_null(strstr(err.msg, "not set"));
  setenv("MW_TEST_EMPTY", "", 1);
  assert_int_equal(mw_secret_read("MW_TEST_EMPTY", NULL, &s, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "MW_TEST_EMPTY is empty"));
  assert_int_equal(mw_secret_read(NULL, NULL, &s, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "no secret configured"));
}

static void test_file(void **state) {
  char *s = NULL;
  struct mw_err err;
  const char *p = write_file("ok", SECRET "\n", strlen(SECRET) + 1, 0600);
  assert_int_equal(mw_secret_read(NULL, p, &s, &err), MW_OK);
  assert_string_equal(s, SECRET);
  free(s);
  /* One final newline (or CRLF) goes, the rest stays. */
  p = write_file("two", "a b\n\n", 5, 0400);
  assert_int_equal(mw_secret_read(NULL, p, &s, &err), MW_OK);
  assert_string_equal(s, "a b\n");
  free(s);
  p = write_file("crlf", "key\r\n", 5, 0600);
  assert_int_equal(mw_secret_read(NULL, p, &s, &err), MW_OK);
  assert_string_equal(s, "key");
  free(s);
  p = write_file("bare", "https://x/?key=1", 16, 0600);
  assert_int_equal(mw_secret_read(NULL, p, &s, &err), MW_OK);
  assert_string_equal(s, "https://x/?key=1");
  free(s);
}

static void test_file_refused(void **state) {
  char *s = NULL;
  struct mw_err err;
  const char *p = write_file("open", SECRET "\n", strlen(SECRET) + 1, 0644);
  char want[600];
  assert_int_equal(mw_secret_read(NULL, p, &s, &err), MW_EDENIED);
  assert_null(s);
  snprintf(want, sizeof want, "secret file %s has mode 0644", p);
  assert_non_null(strstr(err.msg, want));
  snprintf(want, sizeof want, "chmod 600 %s", p);
  assert_non_null(strstr(err.msg, want));
  assert_null(strstr(err.msg, SECRET));

  p = write_file("group", SECRET, strlen(SECRET), 0640);
  assert_int_equal(mw_secret_read(NULL, p, &s, &err), MW_EDENIED);
  assert_non_null(strstr(err.msg, "0640"));
  p = write_file("gw", SECRET, strlen(SECRET), 0620);
  assert_int_equal(mw_secret_read(NULL, p, &s, &err), MW_EDENIED);
  assert_null(strstr(err.msg, SECRET));

  assert_int_equal(mw_secret_read(NULL, dir, &s, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "not a regular file"));
  assert_int_equal(mw_secret_read(NULL, path_of("missing"), &s, &err), MW_EIO);
  assert_non_null(strstr(err.msg, "missing"));
  p = write_file("empty", "\n", 1, 0600);
  assert_int_equal(mw_secret_read(NULL, p, &s, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "is empty"));
  p = write_file("nul", "a\0b", 3, 0600);
  assert_int_equal(mw_secret_read(NULL, p, &s, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "NUL"));

  size_t big = (64u << 10) + 1;
  char *blob = malloc(big);
  assert_non_null(blob);
  memset(blob, 'k', big);
  p = write_file("big", blob, big, 0600);
  free(blob);
  assert_int_equal(mw_secret_read(NULL, p, &s, &err), MW_ETOOBIG);
  assert_non_null(strstr(err.msg, "larger than"));
  assert_null(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_env),
      cmocka_unit_test(test_file),
      cmocka_unit_test(test_file_refused),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
