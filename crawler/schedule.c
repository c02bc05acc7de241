/*
 * schedule.c: when a source is polled next. Pure arithmetic, kept apart
 * from the loop so it can be tested without one.
 */
#include "crawler/crawler.h"

int64_t mw_crawl_next_due(int64_t now, int64_t interval_s, int64_t failures,
                          int64_t retry_after_s, int64_t jitter_pct,
                          int64_t backoff_max_s, double rand01) {
  if (interval_s < 1) interval_s = 1;
  int64_t wait = interval_s;
  if (failures > 0) {
    /* Exponential backoff, but never giving up: the ceiling still polls. */
    int64_t cap = backoff_max_s > interval_s ? backoff_max_s : interval_s;
    for (int64_t i = 1; i < failures && wait < cap; i++) wait *= 2;
    if (wait > cap) wait = cap;
  }
  if (jitter_pct > 0) {
    if (jitter_pct > 50) jitter_pct = 50;
    /* Spread polls over +/- jitter so sources added together do not hit
     * their hosts in lockstep forever. */
    double spread = (double)wait * (double)jitter_pct / 100.0;
    wait += (int64_t)((rand01 * 2.0 - 1.0) * spread);
    if (wait < 1) wait = 1;
  }
  if (retry_after_s > wait) wait = retry_after_s;
  return now + wait;
}
