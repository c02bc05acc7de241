/*
 * test_api_cache.c: web/api_cache.c, the short-lived cache of slow API
 * answers: only slow answers are kept, keys are apart, a request waits
 * for the first computation of its key instead of repeating it, and a
 * failed computation lets the next request try again.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "web/api_args.h"

#define SLOW (MW_WEB_API_CACHE_SLOW_MS + 1.0)

static void test_fast_answers_are_not_kept(void **state) {
  (void)state;
  bool put;
  assert_null(mw_web_api_cache_get("fast|/db/a|1|2", &put));
  assert_true(put);
  mw_web_api_cache_put("fast|/db/a|1|2", "{\"total\":1}", 1.0);
  assert_null(mw_web_api_cache_get("fast|/db/a|1|2", &put));
  assert_true(put);
  mw_web_api_cache_put("fast|/db/a|1|2", NULL, 0.0);
}

static void test_slow_answers_are_kept_per_key(void **state) {
  (void)state;
  bool put;
  assert_null(mw_web_api_cache_get("slow|/db/a|1|2", &put));
  assert_true(put);
  mw_web_api_cache_put("slow|/db/a|1|2", "{\"total\":7}", SLOW);
  char *t = mw_web_api_cache_get("slow|/db/a|1|2", &put);
  assert_false(put);
  assert_string_equal(t, "{\"total\":7}");
  free(t);
  /* Another database, another period: computed anew. */
  assert_null(mw_web_api_cache_get("slow|/db/b|1|2", &put));
  assert_true(put);
  mw_web_api_cache_put("slow|/db/b|1|2", "{\"total\":8}", SLOW);
  assert_null(mw_web_api_cache_get("slow|/db/a|1|3", &put));
  assert_true(put);
  mw_web_api_cache_put("slow|/db/a|1|3", NULL, SLOW);
  t = mw_web_api_cache_get("slow|/db/b|1|2", &put);
  assert_string_equal(t, "{\"total\":8}");
  free(t);
  /* A failed computation keeps nothing: the next request tries. */
  assert_null(mw_web_api_cache_get("slow|/db/a|1|3", &put));
  assert_true(put);
  mw_web_api_cache_put("slow|/db/a|1|3", NULL, SLOW);
}

static void *second_asker(void *arg) {
  bool put;
  char *t = mw_web_api_cache_get("wait|/db/a|1|2", &put);
  *(bool *)arg = put;
  return t;
}

/* A request for a key being computed the first time waits for it. */
static void test_waits_for_first_computation(void **state) {
  (void)state;
  bool put, other_put = true;
  assert_null(mw_web_api_cache_get("wait|/db/a|1|2", &put));
  assert_true(put);
  pthread_t th;
  assert_int_equal(pthread_create(&th, NULL, second_asker, &other_put), 0);
  struct timespec pause = {0, 50 * 1000 * 1000};
  nanosleep(&pause, NULL);
  mw_web_api_cache_put("wait|/db/a|1|2", "{\"total\":9}", SLOW);
  void *got;
  assert_int_equal(pthread_join(th, &got), 0);
  assert_false(other_put);
  assert_string_equal(got, "{\"total\":9}");
  free(got);
}

/* More keys than slots: the oldest ones go, the cache keeps working. */
static void test_many_keys(void **state) {
  (void)state;
  char key[64];
  for (int i = 0; i < 40; i++) {
    bool put;
    snprintf(key, sizeof key, "many|/db/a|%d|2", i);
    assert_null(mw_web_api_cache_get(key, &put));
    assert_true(put);
    mw_web_api_cache_put(key, "{}", SLOW);
  }
  bool put;
  char *t = mw_web_api_cache_get("many|/db/a|39|2", &put);
  assert_string_equal(t, "{}");
  free(t);
  assert_null(mw_web_api_cache_get("many|/db/a|0|2", &put));
  assert_true(put);
  mw_web_api_cache_put("many|/db/a|0|2", NULL, 0.0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fast_answers_are_not_kept),
      cmocka_unit_test(test_slow_answers_are_kept_per_key),
      cmocka_unit_test(test_waits_for_first_computation),
      cmocka_unit_test(test_many_keys),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
