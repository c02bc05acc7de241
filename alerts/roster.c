/*
 * roster.c: who is on duty now, and whether a receiver wants to be left
 * alone.
 *
 * What it does: reads the duty roster's shifts and a receiver's quiet
 * hours, weekends and digest time against a clock in the configured zone.
 * Every answer is a pure function of the config, the zone and `now`, so
 * tests drive the clock. What it leaves to others: parsing windows and
 * day words (common/clock.c, called by the config loader), holding and
 * releasing messages (the engine).
 */
#include "alerts/alerts.h"

#define MINUTES_PER_DAY 1440
/* Quiet periods chained together (a weekend running into Monday's quiet
 * hours) take two or three steps; the bound guards against a zone whose
 * clock jumps back into the quiet window. */
#define RELEASE_STEPS_MAX 16

static void civil_at(const struct mw_tz *tz, int64_t t, struct mw_civil *c) {
  if (tz)
    mw_tz_to_civil(tz, t, c);
  else
    mw_time_to_civil(t, 0, c);
}

/* Epoch seconds of local day `days` (since 1970-01-01) at minute m, where
 * m may run past midnight into the next days. */
static int64_t local_at(const struct mw_tz *tz, int64_t days, int m) {
  days += m / MINUTES_PER_DAY;
  m %= MINUTES_PER_DAY;
  int y, mo, d;
  mw_civil_from_days(days, &y, &mo, &d);
  if (tz) return mw_tz_from_civil(tz, y, mo, d, m / 60, m % 60, 0);
  return mw_time_from_civil(y, mo, d, m / 60, m % 60, 0, 0);
}

/* Whether day_mask (bit 0 Monday) holds ISO weekday wd (1..7). A mask of
 * 0 means no days were written: every day. */
static bool has_day(unsigned mask, int wd) {
  if (!mask) return true;
  return (mask >> ((wd + 6) % 7)) & 1u;
}

static bool window_set(struct mw_clock_window w) {
  return w.from_min >= 0 && w.to_min >= 0;
}

const struct mw_shift_conf *mw_roster_on_duty(const struct mw_alerts_conf *c,
                                              const struct mw_tz *tz,
                                              int64_t now) {
  if (!c) return NULL;
  struct mw_civil cv;
  civil_at(tz, now, &cv);
  int m = cv.hour * 60 + cv.minute;
  int yesterday = cv.weekday == 1 ? 7 : cv.weekday - 1;
  for (size_t i = 0; i < c->n_roster; i++) {
    const struct mw_shift_conf *s = &c->roster[i];
    if (!window_set(s->window)) {
      if (has_day(s->day_mask, cv.weekday)) return s;
      continue;
    }
    if (!mw_clock_window_has(s->window, m)) continue;
    /* The part of a wrapping shift after midnight belongs to the day the
     * shift started. */
    bool early = s->window.from_min > s->window.to_min && m < s->window.to_min;
    if (has_day(s->day_mask, early ? yesterday : cv.weekday)) return s;
  }
  return NULL;
}

static bool quiet_at(const struct mw_receiver_conf *r, const struct mw_civil *cv) {
  if (r->quiet_weekends && cv->weekday >= 6) return true;
  return window_set(r->quiet_window) &&
         mw_clock_window_has(r->quiet_window, cv->hour * 60 + cv->minute);
}

bool mw_receiver_is_quiet(const struct mw_receiver_conf *r,
                          const struct mw_tz *tz, int64_t now) {
  if (!r) return false;
  struct mw_civil cv;
  civil_at(tz, now, &cv);
  return quiet_at(r, &cv);
}

int64_t mw_receiver_release_at(const struct mw_receiver_conf *r,
                               const struct mw_tz *tz, int64_t now) {
  if (!r) return now;
  struct mw_civil cv;
  civil_at(tz, now, &cv);
  int64_t today = mw_days_from_civil(cv.year, cv.month, cv.day);

  if (r->digest) {
    int at = r->digest_at_min;
    if (at < 0 || at >= MINUTES_PER_DAY) at = 0;
    int64_t t = local_at(tz, today, at);
    return t > now ? t : local_at(tz, today + 1, at);
  }

  int64_t t = now;
  for (int step = 0; step < RELEASE_STEPS_MAX && quiet_at(r, &cv); step++) {
    int64_t days = mw_days_from_civil(cv.year, cv.month, cv.day), next;
    int m = cv.hour * 60 + cv.minute;
    if (r->quiet_weekends && cv.weekday >= 6) {
      next = local_at(tz, days + (8 - cv.weekday), 0); /* Monday 00:00 */
    } else {
      struct mw_clock_window w = r->quiet_window;
      bool late = w.from_min > w.to_min && m >= w.from_min;
      next = local_at(tz, days + (late ? 1 : 0), w.to_min);
    }
    if (next <= t) break; /* a zone jump: do not loop */
    t = next;
    civil_at(tz, t, &cv);
  }
  return t;
}
