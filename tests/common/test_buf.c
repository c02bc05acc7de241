/* Tests common/buf.c and common/arena.c: ceilings are errors, not reallocs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/common.h"

static void test_buf_ceiling(void **state) {
  (void)state;
  struct mw_buf b;
  mw_buf_init(&b, 10);
  assert_int_equal(mw_buf_puts(&b, "0123456789"), MW_OK);
  assert_int_equal(b.len, 10);
  assert_string_equal(b.data, "0123456789");
  assert_int_equal(mw_buf_putc(&b, 'x'), MW_ETOOBIG);
  assert_int_equal(b.len, 10); /* nothing half-written */
  mw_buf_reset(&b);
  assert_int_equal(b.len, 0);
  assert_string_equal(b.data, "");
  assert_int_equal(mw_buf_printf(&b, "%d-%s", 42, "ab"), MW_OK);
  assert_string_equal(b.data, "42-ab");
  assert_int_equal(mw_buf_printf(&b, "%s", "too long now"), MW_ETOOBIG);
  char *s = mw_buf_steal(&b);
  assert_string_equal(s, "42-ab");
  free(s);
  assert_null(b.data);
  mw_buf_cleanup(&b);
}

static void test_buf_grows(void **state) {
  (void)state;
  struct mw_buf b;
  mw_buf_init(&b, 1 << 20);
  for (int i = 0; i < 10000; i++) assert_int_equal(mw_buf_puts(&b, "无废"), MW_OK);
  assert_int_equal(b.len, 60000);
  assert_int_equal(memcmp(b.data + 59994, "无废", 6), 0);
  mw_buf_cleanup(&b);
  mw_buf_cleanup(NULL);
}

static void test_arena(void **state) {
  (void)state;
  struct mw_arena *a = mw_arena_new(64, 1000);
  char *s = mw_arena_strdup(a, "垃圾分类");
  assert_string_equal(s, "垃圾分类");
  void *big = mw_arena_alloc(a, 500); /* bigger than a block */
  assert_non_null(big);
  memset(big, 1, 500);
  assert_true(((uintptr_t)mw_arena_alloc(a, 3) % _Alignof(max_align_t)) == 0);
  assert_null(mw_arena_alloc(a, 600)); /* over the arena's ceiling */
  assert_string_equal(s, "垃圾分类");
  assert_true(mw_arena_used(a) <= 1000);
  mw_arena_free(a);
  mw_arena_free(NULL);
}

static void test_err(void **state) {
  (void)state;
  struct mw_err err;
  assert_int_equal(mw_err_set(&err, MW_EINVAL, "line %d: bad", 3), MW_EINVAL);
  mw_err_prefix(&err, "%s:", "demo.yaml");
  assert_string_equal(err.msg, "demo.yaml:line 3: bad");
  assert_int_equal(err.code, MW_EINVAL);
  assert_int_equal(mw_err_set(NULL, MW_EIO, "ignored"), MW_EIO);
  assert_string_equal(mw_strerror(MW_ETOOBIG), "size limit reached");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_buf_ceiling),
      cmocka_unit_test(test_buf_grows),
      cmocka_unit_test(test_arena),
      cmocka_unit_test(test_err),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
