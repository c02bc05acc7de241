/*
 * calendar_sections.c: lays out the campaign calendar section once for
 * every format: one row per event occurrence near the period, with the
 * articles of its days and of the MW_CALENDAR_LEAD_DAYS days before, in
 * all and per topic (the coverage table's topics and order), and whether
 * coverage rose. "Rose" compares articles per day, so a one-day 环境日 is
 * weighed fairly against the week before it.
 *
 * What it leaves to others: finding the occurrences (calendar.c), the
 * counting (cli/ through the store), the syntax of each format
 * (calendar_md.c, calendar_csv.c, calendar_json.c, calendar_html.c).
 */
#include <stdio.h>
#include <string.h>

#include "report/report_int.h"

static void *zalloc(struct mw_arena *a, size_t n, size_t size) {
  if (size && n > SIZE_MAX / size) return NULL;
  void *p = mw_arena_alloc(a, n ? n * size : 1);
  if (p) memset(p, 0, n ? n * size : 1);
  return p;
}

const char *rpt_cal_where_zh(int where) {
  return where < 0 ? "本期前" : where > 0 ? "本期后" : "本期内";
}

const char *rpt_cal_where_name(int where) {
  return where < 0 ? "before" : where > 0 ? "after" : "during";
}

const char *rpt_cal_trend_zh(int trend) {
  return trend > 0 ? "上升" : trend < 0 ? "下降" : "持平";
}

const char *rpt_cal_trend_name(int trend) {
  return trend > 0 ? "up" : trend < 0 ? "down" : "flat";
}

void rpt_cal_format_tenths(int64_t tenths, char *buf, size_t n) {
  snprintf(buf, n, "%lld.%lld", (long long)(tenths / 10),
           (long long)(tenths % 10));
}

/* 10 * count / days, rounded half up (counts are never negative). */
static int64_t per_day10(int64_t count, int64_t days) {
  return days > 0 ? (count * 20 / days + 1) / 2 : 0;
}

static void finish(struct rpt_cal_count *c, int n_days) {
  c->during_day10 = per_day10(c->during, n_days);
  c->lead_day10 = per_day10(c->lead, MW_CALENDAR_LEAD_DAYS);
  /* Compared exactly, not on the rounded figures. */
  int64_t a = c->during * MW_CALENDAR_LEAD_DAYS, b = c->lead * n_days;
  c->trend = a > b ? 1 : a < b ? -1 : 0;
}

static size_t topic_index(const struct rpt_table *t, const char *name) {
  for (size_t i = 0; i < t->n_topics; i++)
    if (!strcmp(t->topics[i].name, name)) return i;
  return SIZE_MAX;
}

/* Adds cov's cells to the during (lead false) or lead counts of r. */
static int add(struct rpt_table *t, struct rpt_cal_row *r,
               const struct mw_coverage *cov, bool lead, struct mw_err *err) {
  for (size_t i = 0; cov && i < cov->n_cells; i++) {
    const struct mw_coverage_cell *c = &cov->cells[i];
    struct rpt_cal_count *k;
    if (!c->topic) {
      k = &r->all;
    } else {
      const char *name = rpt_clean(t->arena, c->topic);
      if (!name) return mw_err_set(err, MW_ENOMEM, "report: out of memory");
      size_t ti = topic_index(t, name);
      if (ti == SIZE_MAX) continue; /* a topic the period never saw */
      k = &r->topics[ti];
    }
    if (lead)
      k->lead += c->count;
    else
      k->during += c->count;
  }
  return MW_OK;
}

int rpt_calendar_build(struct rpt_table *t, const struct mw_report_input *in,
                       struct mw_err *err) {
  if (in->n_calendar && !in->calendar)
    return mw_err_set(err, MW_EINVAL, "report: a section has rows but no "
                                      "array");
  struct rpt_calendar *cal = zalloc(t->arena, 1, sizeof *cal);
  if (cal) cal->rows = zalloc(t->arena, in->n_calendar, sizeof *cal->rows);
  if (!cal || !cal->rows)
    return mw_err_set(err, MW_ENOMEM, "report: out of memory");
  for (size_t i = 0; i < in->n_calendar; i++) {
    const struct mw_calendar_coverage *cc = &in->calendar[i];
    if (!cc->occ || !cc->occ->event)
      return mw_err_set(err, MW_EINVAL, "report: a calendar row has no event");
    const struct mw_calendar_occurrence *o = cc->occ;
    struct rpt_cal_row *r = &cal->rows[cal->n_rows++];
    r->name = rpt_clean(t->arena, o->event->name);
    r->topics = zalloc(t->arena, t->n_topics, sizeof *r->topics);
    if (!r->name || !r->topics)
      return mw_err_set(err, MW_ENOMEM, "report: out of memory");
    snprintf(r->first, sizeof r->first, "%.10s", o->first);
    snprintf(r->last, sizeof r->last, "%.10s", o->last);
    r->n_days = o->n_days > 0 ? o->n_days : 1;
    r->where = o->where < 0 ? -1 : o->where > 0 ? 1 : 0;
    r->yearly = o->event->year == 0;
    int rc = add(t, r, cc->during, false, err);
    if (!rc) rc = add(t, r, cc->lead, true, err);
    if (rc) return rc;
    finish(&r->all, r->n_days);
    for (size_t k = 0; k < t->n_topics; k++) finish(&r->topics[k], r->n_days);
  }
  t->calendar = cal;
  return MW_OK;
}
