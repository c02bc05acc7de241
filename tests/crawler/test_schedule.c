/* Tests crawler/schedule.c: intervals, jitter, backoff, Retry-After. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "crawler/crawler.h"

static void test_interval_and_jitter(void **state) {
  (void)state;
  /* No jitter: exactly one interval. */
  assert_int_equal(mw_crawl_next_due(1000, 600, 0, 0, 0, 3600, 0.7), 1600);
  /* 10 % jitter spreads over [540, 660]. */
  assert_int_equal(mw_crawl_next_due(1000, 600, 0, 0, 10, 3600, 0.0), 1540);
  assert_int_equal(mw_crawl_next_due(1000, 600, 0, 0, 10, 3600, 0.5), 1600);
  assert_int_equal(mw_crawl_next_due(1000, 600, 0, 0, 10, 3600, 0.999), 1659);
  /* Jitter is capped at 50 %. */
  assert_int_equal(mw_crawl_next_due(0, 100, 0, 0, 90, 3600, 0.0), 50);
  /* A zero interval still waits a second. */
  assert_int_equal(mw_crawl_next_due(0, 0, 0, 0, 0, 3600, 0.0), 1);
}

static void test_backoff(void **state) {
  (void)state;
  /* 1, 2, 4, 8 intervals, then the ceiling, and the ceiling forever. */
  assert_int_equal(mw_crawl_next_due(0, 300, 1, 0, 0, 3600, 0.5), 300);
  assert_int_equal(mw_crawl_next_due(0, 300, 2, 0, 0, 3600, 0.5), 600);
  assert_int_equal(mw_crawl_next_due(0, 300, 3, 0, 0, 3600, 0.5), 1200);
  assert_int_equal(mw_crawl_next_due(0, 300, 4, 0, 0, 3600, 0.5), 2400);
  assert_int_equal(mw_crawl_next_due(0, 300, 5, 0, 0, 3600, 0.5), 3600);
  assert_int_equal(mw_crawl_next_due(0, 300, 500, 0, 0, 3600, 0.5), 3600);
  /* A ceiling below the interval never shortens the interval. */
  assert_int_equal(mw_crawl_next_due(0, 7200, 3, 0, 0, 3600, 0.5), 7200);
}

static void test_retry_after(void **state) {
  (void)state;
  assert_int_equal(mw_crawl_next_due(0, 60, 1, 900, 0, 3600, 0.5), 900);
  /* Retry-After shorter than the backoff does not shorten it. */
  assert_int_equal(mw_crawl_next_due(0, 600, 2, 30, 0, 3600, 0.5), 1200);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_interval_and_jitter),
      cmocka_unit_test(test_backoff),
      cmocka_unit_test(test_retry_after),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
