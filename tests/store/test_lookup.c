/* Tests store/lookup.c: only URLs not stored yet are reported new. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "tests/store/store_test_util.h"

static void test_exists(void **state) {
  (void)state;
  char *dir = tu_tmpdir();
  char *path = tu_path(dir, "mw.db");
  struct tu_config tc;
  tu_config_init(&tc);
  struct mw_store *s = tu_open_synced(path, &tc);
  struct mw_source_state *src;
  size_t n;
  struct mw_err err;
  assert_int_equal(mw_store_list_sources(s, &src, &n, &err), MW_OK);
  bool exists = true;
  const char *url = "http://www.jl.gov.cn/zw/202305/t20230508_8712345.html";
  assert_int_equal(mw_store_article_exists(s, url, &exists, &err), MW_OK);
  assert_false(exists);
  struct mw_article a = {.source_id = src[0].id, .url = url,
                         .title = "吉林省成立全域“无废城市”建设工作推进组",
                         .published = MW_TIME_UNKNOWN, .fetched = 1683511200};
  int64_t id;
  bool inserted;
  assert_int_equal(mw_store_add_article(s, &a, &id, &inserted, &err), MW_OK);
  assert_int_equal(mw_store_article_exists(s, url, &exists, &err), MW_OK);
  assert_true(exists);
  /* Exact match on the canonical form: another page is still new. */
  assert_int_equal(mw_store_article_exists(
                       s, "http://www.jl.gov.cn/zw/202305/t20230508_8712346.html",
                       &exists, &err),
                   MW_OK);
  assert_false(exists);
  /* Attachments: once per URL, counted per source. */
  inserted = false;
  const char *pdf = "http://www.jl.gov.cn/zw/202305/P020230525593861234567.pdf";
  assert_int_equal(mw_store_add_attachment(s, src[0].id, pdf, "公示名单",
                                           1683511200, &inserted, &err),
                   MW_OK);
  assert_true(inserted);
  assert_int_equal(mw_store_add_attachment(s, src[0].id, pdf, "公示名单",
                                           1683600000, &inserted, &err),
                   MW_OK);
  assert_false(inserted);
  int64_t count = -1;
  assert_int_equal(mw_store_count_attachments(s, src[0].id, &count, &err), MW_OK);
  assert_int_equal(count, 1);
  assert_int_equal(mw_store_count_attachments(s, src[1].id, &count, &err), MW_OK);
  assert_int_equal(count, 0);
  mw_store_sources_free(src, n);
  mw_store_close(s);
  tu_rmtree(dir);
  free(path);
  free(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_exists),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
