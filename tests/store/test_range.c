/* Tests store/range.c: the span of coverage times of the stored articles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "store/store.h"
#include "tests/store/store_test_util.h"

static void add(struct mw_store *s, int64_t src, const char *url,
                int64_t published, int64_t fetched) {
  struct mw_err err = {0};
  struct mw_article a = {.source_id = src, .url = url,
                         .published = published, .fetched = fetched};
  int64_t id;
  bool ins;
  if (mw_store_add_article(s, &a, &id, &ins, &err)) fail_msg("%s", err.msg);
}

static void test_time_range(void **state) {
  (void)state;
  char *dir = tu_tmpdir();
  char *path = tu_path(dir, "mw.db");
  struct tu_config tc;
  tu_config_init(&tc);
  struct mw_store *s = tu_open_synced(path, &tc);
  struct mw_err err = {0};
  int64_t min = 0, max = 0;
  assert_int_equal(mw_store_article_time_range(s, &min, &max, &err), MW_OK);
  assert_true(min == MW_TIME_UNKNOWN && max == MW_TIME_UNKNOWN);

  struct mw_source_state *src;
  size_t n;
  assert_int_equal(mw_store_list_sources(s, &src, &n, &err), MW_OK);
  int64_t id = src[0].id;
  mw_store_sources_free(src, n);
  add(s, id, "https://p.cn/1", 1683475200, 1683500000);
  /* Undated: counts by when it was seen, here the latest. */
  add(s, id, "https://p.cn/2", MW_TIME_UNKNOWN, 1684080000);
  /* Published long before it was seen: the publication is the earliest. */
  add(s, id, "https://p.cn/3", 1680000000, 1683600000);
  assert_int_equal(mw_store_article_time_range(s, &min, &max, &err), MW_OK);
  assert_int_equal(min, 1680000000);
  assert_int_equal(max, 1684080000);

  mw_store_close(s);
  tu_rmtree(dir);
  free(path);
  free(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_time_range),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
