/* Tests crawler/schedule.c: intervals, jitter, backoff, Retry-After, and
 * adaptive intervals over synthetic publication histories. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

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

/* ------------------------------------------------- adaptive intervals */

#define DAY 86400
#define NOW_Y 2026, 11, 20, 12, 0, 0, 0

/* poll 30m as configured, bounds 5m..4h, two weeks to learn. */
static struct mw_poll_plan plan(void) {
  return (struct mw_poll_plan){.base_s = 1800,
                               .min_s = 300,
                               .max_s = 4 * 3600,
                               .adapt_after_s = 14 * DAY,
                               .window_s = MW_POLL_WINDOW,
                               .floor_s = 0};
}

/* n publication times spread evenly over the 28 days before now, the
 * newest at now itself (the window includes now). */
static int64_t *history(int64_t now, size_t n) {
  int64_t *t = calloc(n ? n : 1, sizeof *t);
  assert_non_null(t);
  for (size_t i = 0; i < n; i++)
    t[i] = now - (int64_t)i * (MW_POLL_WINDOW / (int64_t)n);
  return t;
}

/* The interval for n evenly spread articles, a source first polled 60
 * days ago; its reason in why. */
static int64_t adapt(const struct mw_poll_plan *p, size_t n, char *why,
                     size_t why_len) {
  int64_t now = mw_time_from_civil(NOW_Y);
  int64_t *t = history(now, n);
  int64_t v =
      mw_crawl_adaptive_interval(p, now, now - 60 * DAY, t, n, why, why_len);
  free(t);
  return v;
}

static void test_adaptive_busy_board(void **state) {
  (void)state;
  struct mw_poll_plan p = plan();
  char why[200];
  /* 200 a week: 800 in 28 days, a gap of 50m24s, half of it 25m12s. */
  assert_int_equal(adapt(&p, 800, why, sizeof why), 1512);
  assert_string_equal(why, "800 articles in 28 days: every 25m");
  /* 5,000 in 28 days would be every 4m: raised to poll_min. */
  assert_int_equal(adapt(&p, 5000, why, sizeof why), 300);
  assert_string_equal(why, "5000 articles in 28 days: every 4m, raised to 5m");
}

static void test_adaptive_daily_portal(void **state) {
  (void)state;
  struct mw_poll_plan p = plan();
  char why[200];
  /* Four a day: every 6 h, half of it 3 h, within the bounds. */
  assert_int_equal(adapt(&p, 112, why, sizeof why), 3 * 3600);
  assert_string_equal(why, "112 articles in 28 days: every 3h");
  /* 12 in 28 days: every 56 h, half 28 h, capped at poll_max. */
  assert_int_equal(adapt(&p, 12, why, sizeof why), 4 * 3600);
  assert_string_equal(why, "12 articles in 28 days: every 28h, capped at 4h");
  /* One a day: 12 h, capped. */
  assert_int_equal(adapt(&p, 28, why, sizeof why), 4 * 3600);
  assert_string_equal(why, "28 articles in 28 days: every 12h, capped at 4h");
}

static void test_adaptive_weekly_and_silent(void **state) {
  (void)state;
  struct mw_poll_plan p = plan();
  char why[200];
  assert_int_equal(adapt(&p, 4, why, sizeof why), 4 * 3600);
  assert_string_equal(why, "4 articles in 28 days: every 3d12h, capped at 4h");
  assert_int_equal(adapt(&p, 1, why, sizeof why), 4 * 3600);
  assert_string_equal(why, "1 article in 28 days: every 14d, capped at 4h");
  assert_int_equal(adapt(&p, 0, why, sizeof why), 4 * 3600);
  assert_string_equal(why, "none in 28 days: the longest, 4h");
  /* n = 0 with times NULL, and times NULL whatever n says. */
  int64_t now = mw_time_from_civil(NOW_Y);
  assert_int_equal(mw_crawl_adaptive_interval(&p, now, now - 60 * DAY, NULL,
                                              0, why, sizeof why),
                   4 * 3600);
  assert_string_equal(why, "none in 28 days: the longest, 4h");
  assert_int_equal(mw_crawl_adaptive_interval(&p, now, now - 60 * DAY, NULL,
                                              7, why, sizeof why),
                   4 * 3600);
  /* why may be NULL, or too small: cut, never overrun. */
  assert_int_equal(
      mw_crawl_adaptive_interval(&p, now, now - 60 * DAY, NULL, 0, NULL, 0),
      4 * 3600);
  char small[8];
  memset(small, 'x', sizeof small);
  assert_int_equal(adapt(&p, 12, small, 5), 4 * 3600);
  assert_string_equal(small, "12 a");
  assert_int_equal(small[5], 'x');
}

static void test_adaptive_young_source(void **state) {
  (void)state;
  struct mw_poll_plan p = plan();
  int64_t now = mw_time_from_civil(NOW_Y);
  int64_t *t = history(now, 800);
  char why[200];
  /* First polled 3 days ago: two weeks of learning from then. */
  assert_int_equal(mw_crawl_adaptive_interval(&p, now, now - 3 * DAY, t, 800,
                                              why, sizeof why),
                   1800);
  assert_string_equal(why, "learning until 2026-12-01: poll 30m as configured");
  /* Never polled: learning from now. */
  assert_int_equal(
      mw_crawl_adaptive_interval(&p, now, 0, t, 800, why, sizeof why), 1800);
  assert_string_equal(why, "learning until 2026-12-04: poll 30m as configured");
  /* Exactly adapt_after old: adapts. */
  assert_int_equal(mw_crawl_adaptive_interval(&p, now, now - 14 * DAY, t, 800,
                                              why, sizeof why),
                   1512);
  /* The floor does not apply while learning: the poll is as configured. */
  p.floor_s = 3600;
  assert_int_equal(mw_crawl_adaptive_interval(&p, now, now - 3 * DAY, t, 800,
                                              why, sizeof why),
                   1800);
  free(t);
}

static void test_adaptive_base_outside_bounds(void **state) {
  (void)state;
  struct mw_poll_plan p = plan();
  char why[200];
  /* Configured every minute, below poll_min: the lower bound is 1m. */
  p.base_s = 60;
  assert_int_equal(adapt(&p, 5000, why, sizeof why), 241);
  assert_string_equal(why, "5000 articles in 28 days: every 4m");
  assert_int_equal(adapt(&p, 50000, why, sizeof why), 60);
  assert_string_equal(why, "50000 articles in 28 days: every 24s, raised to 1m");
  assert_int_equal(adapt(&p, 12, why, sizeof why), 4 * 3600); /* max as usual */
  /* Configured every 12 h, above poll_max: the upper bound is 12h. */
  p.base_s = 12 * 3600;
  assert_int_equal(adapt(&p, 4, why, sizeof why), 12 * 3600);
  assert_string_equal(why, "4 articles in 28 days: every 3d12h, capped at 12h");
  assert_int_equal(adapt(&p, 0, why, sizeof why), 12 * 3600);
  assert_string_equal(why, "none in 28 days: the longest, 12h");
  assert_int_equal(adapt(&p, 800, why, sizeof why), 1512); /* min as usual */
}

static void test_adaptive_window(void **state) {
  (void)state;
  struct mw_poll_plan p = plan();
  int64_t now = mw_time_from_civil(NOW_Y);
  char why[200];
  int64_t t[] = {
      now + 60,                  /* in the future: not counted */
      now - MW_POLL_WINDOW,      /* the window's open end: not counted */
      now - MW_POLL_WINDOW - 1,  /* older */
      MW_TIME_UNKNOWN,           /* unknown */
      now - MW_POLL_WINDOW + 1,  /* counted */
      now,                       /* counted */
      now - 5 * DAY,             /* counted */
  };
  /* Three articles: every 4d16h, capped. */
  assert_int_equal(mw_crawl_adaptive_interval(&p, now, now - 60 * DAY, t,
                                              sizeof t / sizeof t[0], why,
                                              sizeof why),
                   4 * 3600);
  assert_string_equal(why, "3 articles in 28 days: every 4d16h, capped at 4h");
  /* A wider window, 2,000 counted: 3,024 s a gap over 70 days. */
  size_t n = 2000;
  int64_t *h = calloc(n, sizeof *h);
  assert_non_null(h);
  for (size_t i = 0; i < n; i++) h[i] = now - (int64_t)i * 3024;
  p.window_s = 70 * DAY;
  assert_int_equal(
      mw_crawl_adaptive_interval(&p, now, now - 90 * DAY, h, n, why, sizeof why),
      1512);
  assert_string_equal(why, "2000 articles in 70 days: every 25m");
  /* The 28-day window sees only the newest 800 of them. */
  p.window_s = MW_POLL_WINDOW;
  assert_int_equal(
      mw_crawl_adaptive_interval(&p, now, now - 90 * DAY, h, n, why, sizeof why),
      1512);
  assert_string_equal(why, "800 articles in 28 days: every 25m");
  free(h);
}

static void test_adaptive_floor(void **state) {
  (void)state;
  struct mw_poll_plan p = plan();
  char why[200];
  /* ttl 60m above the computed 25m: the floor wins. */
  p.floor_s = 3600;
  assert_int_equal(adapt(&p, 800, why, sizeof why), 3600);
  assert_string_equal(
      why, "800 articles in 28 days: every 25m; the source asks for at least 1h");
  /* Below the computed interval: nothing to say. */
  p.floor_s = 600;
  assert_int_equal(adapt(&p, 800, why, sizeof why), 1512);
  assert_string_equal(why, "800 articles in 28 days: every 25m");
  /* Above the upper bound: capped there, news is never held longer. */
  p.floor_s = 2 * DAY;
  assert_int_equal(adapt(&p, 800, why, sizeof why), 4 * 3600);
  assert_string_equal(why, "800 articles in 28 days: every 25m; the source "
                           "asks for at least 2d, capped at 4h");
  /* With the base above poll_max the cap is the base. */
  p.base_s = 8 * 3600;
  assert_int_equal(adapt(&p, 800, why, sizeof why), 8 * 3600);
  /* A floor on a silent source at its longest changes nothing. */
  p.base_s = 1800;
  p.floor_s = 3600;
  assert_int_equal(adapt(&p, 0, why, sizeof why), 4 * 3600);
  assert_string_equal(why, "none in 28 days: the longest, 4h");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_interval_and_jitter),
      cmocka_unit_test(test_backoff),
      cmocka_unit_test(test_retry_after),
      cmocka_unit_test(test_adaptive_busy_board),
      cmocka_unit_test(test_adaptive_daily_portal),
      cmocka_unit_test(test_adaptive_weekly_and_silent),
      cmocka_unit_test(test_adaptive_young_source),
      cmocka_unit_test(test_adaptive_base_outside_bounds),
      cmocka_unit_test(test_adaptive_window),
      cmocka_unit_test(test_adaptive_floor),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
