/*
 * schedule.c: when a source is polled next, and how often a source is
 * polled when its interval follows how often it publishes. Pure
 * arithmetic, kept apart from the loop so it can be tested without one.
 *
 * What it leaves to others: where the publication times come from (the
 * store), what the source asks for as a floor (the feed's ttl and
 * sy:updatePeriod, the fetch's Cache-Control: the caller takes the
 * largest), and failures and Retry-After, which mw_crawl_next_due applies
 * on top of whatever interval is chosen here.
 */
#include <stdio.h>

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

/* ------------------------------------------------- adaptive intervals */

/* A duration as people read it in a one-line reason: "45s", "25m", "4h",
 * "1h30m", "28h", "3d", "3d12h". Minutes are rounded; hours are kept up to
 * two days, which reads better than "1d4h" for a poll interval. */
static void format_duration(int64_t s, char *buf, size_t n) {
  if (s < 60) {
    snprintf(buf, n, "%llds", (long long)(s < 0 ? 0 : s));
    return;
  }
  int64_t m = (s + 30) / 60;
  if (m < 60) {
    snprintf(buf, n, "%lldm", (long long)m);
  } else if (m < 48 * 60) {
    if (m % 60)
      snprintf(buf, n, "%lldh%lldm", (long long)(m / 60), (long long)(m % 60));
    else
      snprintf(buf, n, "%lldh", (long long)(m / 60));
  } else {
    int64_t h = (m + 30) / 60;
    if (h % 24)
      snprintf(buf, n, "%lldd%lldh", (long long)(h / 24), (long long)(h % 24));
    else
      snprintf(buf, n, "%lldd", (long long)(h / 24));
  }
}

/* "28 days" for a whole number of days, else the duration. */
static void format_window(int64_t s, char *buf, size_t n) {
  if (s % 86400 == 0)
    snprintf(buf, n, "%lld day%s", (long long)(s / 86400),
             s == 86400 ? "" : "s");
  else
    format_duration(s, buf, n);
}

int64_t mw_crawl_adaptive_interval(const struct mw_poll_plan *p, int64_t now,
                                   int64_t first_fetch, const int64_t *times,
                                   size_t n, char *why, size_t why_len) {
  char why_tmp[2];
  if (!why || why_len == 0) {
    why = why_tmp; /* the reason is composed either way, then dropped */
    why_len = sizeof why_tmp;
  }
  int64_t base = p->base_s < 1 ? 1 : p->base_s;
  char d1[32], d2[32], win[32];

  /* Too young to judge: what the configuration says. A source never
   * fetched is learning from now. */
  int64_t start = first_fetch > 0 ? first_fetch : now;
  int64_t adapt_after = p->adapt_after_s > 0 ? p->adapt_after_s : 0;
  if (first_fetch <= 0 || now - start < adapt_after) {
    struct mw_civil c;
    mw_time_to_civil(start + adapt_after, 0, &c);
    format_duration(base, d1, sizeof d1);
    snprintf(why, why_len,
             "learning until %04d-%02d-%02d: poll %s as configured", c.year,
             c.month, c.day, d1);
    return base;
  }

  /* The bounds, widened to take in the configured poll: a source set to
   * poll every minute is never slowed to poll_min's 5, one set to a day
   * never hurried to poll_max's 4 hours. */
  int64_t lo = p->min_s < base ? p->min_s : base;
  int64_t hi = p->max_s > base ? p->max_s : base;
  if (lo < 1) lo = 1;
  if (hi < lo) hi = lo;

  int64_t window = p->window_s > 0 ? p->window_s : MW_POLL_WINDOW;
  format_window(window, win, sizeof win);
  int64_t count = 0;
  if (times)
    for (size_t i = 0; i < n; i++)
      if (times[i] <= now && times[i] > now - window) count++;

  int64_t interval;
  int used;
  if (count == 0) {
    /* Nothing to learn the pace from: the longest the bounds allow (that
     * is max_s unless the configured poll is longer still, so a silent
     * source is never polled more often than a slow one). */
    interval = hi;
    format_duration(interval, d1, sizeof d1);
    used = snprintf(why, why_len, "none in %s: the longest, %s", win, d1);
  } else {
    /* Half the mean gap: on average a new article waits a quarter of the
     * gap to be seen, and a burst is caught within two polls. */
    int64_t raw = window / count / 2;
    if (raw < 1) raw = 1;
    interval = raw < lo ? lo : raw > hi ? hi : raw;
    format_duration(raw, d1, sizeof d1);
    format_duration(interval, d2, sizeof d2);
    used = snprintf(why, why_len, "%lld article%s in %s: every %s%s%s",
                    (long long)count, count == 1 ? "" : "s", win, d1,
                    raw > hi   ? ", capped at "
                    : raw < lo ? ", raised to "
                               : "",
                    raw != interval ? d2 : "");
  }

  /* What the source asks for, as far as it does not stop news for longer
   * than the upper bound. */
  if (p->floor_s > interval) {
    int64_t floor = p->floor_s > hi ? hi : p->floor_s;
    format_duration(p->floor_s, d1, sizeof d1);
    format_duration(floor, d2, sizeof d2);
    size_t at = used < 0 ? 0 : (size_t)used;
    if (at < why_len) {
      if (floor == p->floor_s)
        snprintf(why + at, why_len - at,
                 "; the source asks for at least %s", d1);
      else
        snprintf(why + at, why_len - at,
                 "; the source asks for at least %s, capped at %s", d1, d2);
    }
    if (floor > interval) interval = floor;
  }
  return interval;
}
