/*
 * test_api_cache.c: web/api_cache.c, the short-lived cache of slow API
 * answers: only slow answers are kept, keys are apart, a request waits
 * for the first computation of its key instead of repeating it, and a
 * failed computation lets the next request try again. Refresh-ahead, on
 * an injected clock: a key asked for lately is computed again within
 * MW_WEB_API_CACHE_AHEAD_S of expiring (not before), only by a server of
 * its database, while requests keep getting the kept answer; not once
 * nobody asked for it in MW_WEB_API_CACHE_WANTED_S; a failed refresh
 * keeps the old answer until it expires; at most the slots' worth.
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

/* ------------------------------------------------------ refresh-ahead */

/* Far beyond any real monotonic clock, so the slots earlier tests left
 * (real times) count as older than these. */
#define BASE 1e9
static double fake_now;
static double fake_clock(void) { return fake_now; }

static int refills;      /* calls of refill_fn */
static int refill_rc;    /* what it returns */
static char *during;     /* what a request got while it ran */
static bool during_put;
static const char *during_key;

/* Burns ms of this thread's CPU: only slow answers are kept. */
static void burn(double ms) {
  double t0 = mw_web_api_cpu_ms();
  volatile unsigned x = 0;
  while (mw_web_api_cpu_ms() - t0 < ms) x++;
}

static int refill_fn(struct mw_web *w, struct mw_store *s, int64_t now,
                     const void *arg, char **text) {
  (void)w, (void)s;
  int v;
  memcpy(&v, arg, sizeof v);
  refills++;
  if (during_key) {
    free(during);
    during = mw_web_api_cache_get(during_key, &during_put);
  }
  if (refill_rc) return refill_rc;
  burn(SLOW);
  char buf[96];
  snprintf(buf, sizeof buf, "{\"v\":%d,\"n\":%d,\"now\":%lld}", v, refills,
           (long long)now);
  *text = mw_strdup(buf);
  return *text ? MW_OK : MW_ENOMEM;
}

static void expect(const char *key, const char *want) {
  bool put = true;
  char *t = mw_web_api_cache_get(key, &put);
  assert_false(put);
  assert_non_null(t);
  assert_string_equal(t, want);
  free(t);
}

/* The first request computes (and leaves the recipe); then key is kept. */
static void first(const char *key, const char *db, int v) {
  bool put = false;
  const struct mw_web_api_refill how = {refill_fn, &v, sizeof v};
  assert_null(mw_web_api_cache_get_ex(key, db, &how, &put));
  assert_true(put);
  mw_web_api_cache_put(key, "{\"v\":0}", SLOW);
}

static void test_refresh_ahead(void **state) {
  (void)state;
  struct mw_config cfg = {.storage_path = "/db/r"};
  struct mw_config other = {.storage_path = "/db/other"};
  struct mw_web w = {.cfg = &cfg}, w2 = {.cfg = &other};
  fake_now = BASE + 1000.0;
  refills = 0;
  refill_rc = MW_OK;
  mw_web_api_cache_set_clock(fake_clock);
  const char *key = "ahead|/db/r|1|2";
  first(key, "/db/r", 7); /* expires at 1030 */
  fake_now = BASE + 1019.5; /* 10.5 s before: not yet */
  assert_int_equal(mw_web_api_cache_refresh(&w, NULL, 5), 0);
  assert_int_equal(refills, 0);
  fake_now = BASE + 1020.0; /* 10 s before: due; a server of another
                              database leaves it alone */
  assert_int_equal(mw_web_api_cache_refresh(&w2, NULL, 5), 0);
  assert_int_equal(refills, 0);
  during_key = key; /* a request while it is being recounted */
  assert_int_equal(mw_web_api_cache_refresh(&w, NULL, 5), 1);
  during_key = NULL;
  assert_int_equal(refills, 1);
  assert_false(during_put);
  assert_string_equal(during, "{\"v\":0}");
  free(during);
  during = NULL;
  expect(key, "{\"v\":7,\"n\":1,\"now\":5}"); /* asked at 1020 */
  /* Kept 30 s from the refresh: nothing due at once, nor at 1039.5. */
  assert_int_equal(mw_web_api_cache_refresh(&w, NULL, 6), 0);
  fake_now = BASE + 1039.5;
  assert_int_equal(mw_web_api_cache_refresh(&w, NULL, 6), 0);
  /* Refreshed every 20 s while asked for within 600 s (last at 1020):
   * 1040 to 1620, none at 1640; no request ever waited. */
  int n = 0;
  for (fake_now = BASE + 1040.0; fake_now <= BASE + 1640.0;
       fake_now += 20.0)
    n += (int)mw_web_api_cache_refresh(&w, NULL, 8);
  assert_int_equal(n, 30);
  assert_int_equal(refills, 31);
  fake_now = BASE + 1649.0; /* kept until 1650 */
  expect(key, "{\"v\":7,\"n\":31,\"now\":8}");
  /* That request counts as asking: refreshed again. */
  assert_int_equal(mw_web_api_cache_refresh(&w, NULL, 9), 1);
  /* Left alone, it expires and the next request computes it. */
  fake_now = BASE + 1680.0 + MW_WEB_API_CACHE_WANTED_S;
  assert_int_equal(mw_web_api_cache_refresh(&w, NULL, 9), 0);
  bool put = false;
  assert_null(mw_web_api_cache_get(key, &put));
  assert_true(put);
  mw_web_api_cache_put(key, NULL, 0.0);
  mw_web_api_cache_set_clock(NULL);
}

static void test_failed_refresh_keeps_answer(void **state) {
  (void)state;
  struct mw_config cfg = {.storage_path = "/db/f"};
  struct mw_web w = {.cfg = &cfg};
  fake_now = BASE + 5000.0;
  refills = 0;
  refill_rc = MW_EIO;
  mw_web_api_cache_set_clock(fake_clock);
  const char *key = "fail|/db/f|1|2";
  first(key, "/db/f", 1); /* expires at 5030 */
  fake_now = BASE + 5021.0;
  assert_int_equal(mw_web_api_cache_refresh(&w, NULL, 1), 0);
  assert_int_equal(refills, 1);
  fake_now = BASE + 5029.0; /* the old answer still; no second try */
  expect(key, "{\"v\":0}");
  assert_int_equal(mw_web_api_cache_refresh(&w, NULL, 1), 0);
  assert_int_equal(refills, 1);
  fake_now = BASE + 5030.0; /* expired: a request computes it again */
  bool put = false;
  assert_null(mw_web_api_cache_get(key, &put));
  assert_true(put);
  mw_web_api_cache_put(key, NULL, 0.0);
  refill_rc = MW_OK;
  mw_web_api_cache_set_clock(NULL);
}

/* More keys with recipes than slots: one refresh call recounts at most
 * the slots' worth, each once. */
static void test_refresh_bounded(void **state) {
  (void)state;
  struct mw_config cfg = {.storage_path = "/db/b"};
  struct mw_web w = {.cfg = &cfg};
  fake_now = BASE + 9000.0;
  refills = 0;
  mw_web_api_cache_set_clock(fake_clock);
  char key[64];
  for (int i = 0; i < 20; i++) { /* asked in this order */
    fake_now = BASE + 9000.0 + i * 0.001;
    snprintf(key, sizeof key, "bound|/db/b|%d|2", i);
    first(key, "/db/b", i);
  }
  fake_now = BASE + 9025.0;
  assert_int_equal(mw_web_api_cache_refresh(&w, NULL, 1), 16);
  assert_int_equal(refills, 16);
  assert_int_equal(mw_web_api_cache_refresh(&w, NULL, 1), 0);
  /* The four oldest keys went; the newest is refreshed. */
  bool put = false;
  assert_null(mw_web_api_cache_get("bound|/db/b|0|2", &put));
  assert_true(put);
  mw_web_api_cache_put("bound|/db/b|0|2", NULL, 0.0);
  char *t = mw_web_api_cache_get("bound|/db/b|19|2", &put);
  assert_false(put);
  assert_non_null(t);
  assert_non_null(strstr(t, "{\"v\":19,\"n\":"));
  free(t);
  mw_web_api_cache_set_clock(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fast_answers_are_not_kept),
      cmocka_unit_test(test_slow_answers_are_kept_per_key),
      cmocka_unit_test(test_waits_for_first_computation),
      cmocka_unit_test(test_many_keys),
      cmocka_unit_test(test_refresh_ahead),
      cmocka_unit_test(test_failed_refresh_keeps_answer),
      cmocka_unit_test(test_refresh_bounded),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
