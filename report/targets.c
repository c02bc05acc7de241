/*
 * targets.c: coverage targets in the report: which period of a target a
 * report falls in, whether the target is met, on track or behind, and the
 * section laid out once (rows sorted, behind ones first) for the four
 * renderers (targets_md.c, targets_csv.c, targets_json.c, targets_html.c).
 *
 * Pure: the counts come from the caller (cli/cmd_report.c, through
 * mw_store_target_count), which also expands `each` into one row per item.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"

const char *mw_target_status_zh(enum mw_target_status s) {
  switch (s) {
    case MW_TARGET_MISSED: return "未达标";
    case MW_TARGET_BEHIND: return "落后";
    case MW_TARGET_ON_TRACK: return "进度正常";
    case MW_TARGET_MET: return "达标";
  }
  return "";
}

const char *mw_target_status_name(enum mw_target_status s) {
  switch (s) {
    case MW_TARGET_MISSED: return "missed";
    case MW_TARGET_BEHIND: return "behind";
    case MW_TARGET_ON_TRACK: return "on_track";
    case MW_TARGET_MET: return "met";
  }
  return "";
}

static int64_t midnight(const struct mw_tz *tz, int64_t days) {
  int y, m, d;
  mw_civil_from_days(days, &y, &m, &d);
  return tz ? mw_tz_from_civil(tz, y, m, d, 0, 0, 0)
            : mw_time_from_civil(y, m, d, 0, 0, 0, 0);
}

int mw_report_target_period(const struct mw_tz *tz,
                            const struct mw_target_conf *t,
                            const struct mw_report_period *p, int64_t *from,
                            int64_t *to, struct mw_err *err) {
  const char *kind = t->period ? t->period : "month";
  if (!strcmp(kind, "range")) {
    if (t->to_day < t->from_day)
      return mw_err_set(err, MW_EINVAL, "report: target range ends before "
                                        "it starts");
    *from = midnight(tz, t->from_day);
    *to = midnight(tz, t->to_day + 1);
    return MW_OK;
  }
  if (p->to <= p->from)
    return mw_err_set(err, MW_EINVAL,
                      "report: the period ends before it starts");
  struct mw_civil c;
  int64_t last = p->to - 1;
  if (tz) mw_tz_to_civil(tz, last, &c);
  else mw_time_to_civil(last, 0, &c);
  int64_t day = mw_days_from_civil(c.year, c.month, c.day);
  int64_t a, b;
  if (!strcmp(kind, "week")) {
    a = day - (c.weekday - 1);
    b = a + 7;
  } else if (!strcmp(kind, "month")) {
    a = mw_days_from_civil(c.year, c.month, 1);
    b = c.month == 12 ? mw_days_from_civil(c.year + 1, 1, 1)
                      : mw_days_from_civil(c.year, c.month + 1, 1);
  } else if (!strcmp(kind, "quarter")) {
    int q0 = (c.month - 1) / 3 * 3 + 1;
    a = mw_days_from_civil(c.year, q0, 1);
    b = q0 == 10 ? mw_days_from_civil(c.year + 1, 1, 1)
                 : mw_days_from_civil(c.year, q0 + 3, 1);
  } else if (!strcmp(kind, "year")) {
    a = mw_days_from_civil(c.year, 1, 1);
    b = mw_days_from_civil(c.year + 1, 1, 1);
  } else {
    return mw_err_set(err, MW_EINVAL, "report: target period '%.20s' is "
                                      "unknown", kind);
  }
  *from = midnight(tz, a);
  *to = midnight(tz, b);
  return MW_OK;
}

enum mw_target_status mw_report_target_status(const struct mw_report_target *t,
                                              int64_t as_of) {
  if (t->count >= t->min) return MW_TARGET_MET;
  if (as_of >= t->to) return MW_TARGET_MISSED;
  int64_t span = t->to - t->from;
  int64_t elapsed = as_of - t->from;
  if (elapsed < 0) elapsed = 0;
  if (span <= 0) return MW_TARGET_BEHIND;
  /* count >= min * elapsed / span without rounding; both products stay far
   * below 2^63 (min <= 10^6 by the config, a span of years in seconds). */
  return t->count * span >= t->min * elapsed ? MW_TARGET_ON_TRACK
                                             : MW_TARGET_BEHIND;
}

/* Lower ranks first: the missed and behind ones lead. */
static int rank(enum mw_target_status s) {
  switch (s) {
    case MW_TARGET_MISSED: return 0;
    case MW_TARGET_BEHIND: return 1;
    case MW_TARGET_ON_TRACK: return 2;
    case MW_TARGET_MET: return 3;
  }
  return 4;
}

static int cmp_rows(const void *a, const void *b) {
  const struct rpt_target_row *x = a, *y = b;
  int rx = rank(x->status), ry = rank(y->status);
  if (rx != ry) return rx < ry ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* "2023-05-01" of instant t in the config's zone. */
static void local_date(const struct mw_config *cfg, int64_t t, char *buf,
                       size_t n) {
  struct mw_civil c;
  if (cfg && cfg->tz) mw_tz_to_civil(cfg->tz, t, &c);
  else mw_time_to_civil(t, 0, &c);
  snprintf(buf, n, "%04d-%02d-%02d", c.year, c.month, c.day);
}

int rpt_targets_build(struct rpt_table *t, const struct mw_config *cfg,
                      const struct mw_report_input *in, struct mw_err *err) {
  t->has_targets = true;
  t->n_target_rows = 0;
  t->target_rows = NULL;
  if (!in->n_targets) return MW_OK;
  struct rpt_target_row *rows =
      mw_arena_alloc(t->arena, in->n_targets * sizeof *rows);
  if (!rows)
    return mw_err_set(err, MW_ENOMEM, "report: out of memory in targets");
  for (size_t i = 0; i < in->n_targets; i++) {
    const struct mw_report_target *s = &in->targets[i];
    struct rpt_target_row *r = &rows[i];
    memset(r, 0, sizeof *r);
    r->order = i;
    r->name = rpt_clean(t->arena, s->name);
    r->period = rpt_clean(t->arena, s->period ? s->period : "month");
    if (!r->name || !r->period)
      return mw_err_set(err, MW_ENOMEM, "report: out of memory in targets");
    local_date(cfg, s->from, r->first, sizeof r->first);
    local_date(cfg, s->to - 1, r->last, sizeof r->last);
    r->count = s->count;
    r->min = s->min > 0 ? s->min : 1;
    r->stories = s->stories;
    r->status = mw_report_target_status(s, t->to);
    r->pct_tenths = (r->count * 1000 + r->min / 2) / r->min;
    /* Elapsed share of the target period at the report's end, in tenths
     * of a percent: where the pro-rated mark lies on the bar. */
    int64_t span = s->to - s->from, el = t->to - s->from;
    if (el < 0) el = 0;
    if (el > span) el = span;
    r->elapsed_tenths = span > 0 ? (el * 1000 + span / 2) / span : 1000;
  }
  qsort(rows, in->n_targets, sizeof *rows, cmp_rows);
  t->target_rows = rows;
  t->n_target_rows = in->n_targets;
  return MW_OK;
}

const char *rpt_target_period_zh(const char *period) {
  if (!strcmp(period, "week")) return "周";
  if (!strcmp(period, "month")) return "月";
  if (!strcmp(period, "quarter")) return "季度";
  if (!strcmp(period, "year")) return "年";
  return "时段";
}

void rpt_target_format_pct(int64_t tenths, char *buf, size_t n) {
  snprintf(buf, n, "%lld.%lld%%", (long long)(tenths / 10),
           (long long)(tenths % 10));
}
