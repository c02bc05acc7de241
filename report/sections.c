/*
 * sections.c: lays out the sections after the coverage table, once for
 * every format: coverage per day (zeros filled in, topics in the table's
 * order), the top stories, the alerts counted by level and state and the
 * open ones, the sources that failed all period. Every string is copied
 * into the table's arena through rpt_clean, so the renderers can trust it
 * is valid UTF-8; times become local text in the config's zone.
 *
 * What it leaves to others: gathering (cli/), querying (store/), escaping
 * and layout (the format files).
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

static int nomem(struct mw_err *err) {
  return mw_err_set(err, MW_ENOMEM, "report: out of memory");
}

static size_t topic_index(const struct rpt_table *t, const char *name) {
  for (size_t i = 0; i < t->n_topics; i++)
    if (!strcmp(t->topics[i].name, name)) return i;
  return SIZE_MAX;
}

static int build_daily(struct rpt_table *t, const struct mw_config *cfg,
                       const struct mw_coverage_daily *d, struct mw_err *err) {
  size_t n = d ? d->n_days : 0;
  t->days = zalloc(t->arena, n, sizeof *t->days);
  if (!t->days) return nomem(err);
  t->n_days = n;
  for (size_t i = 0; i < n; i++) {
    struct rpt_day *day = &t->days[i];
    struct mw_civil c;
    int64_t at = d->bounds[i];
    mw_time_to_civil(at, cfg->tz ? mw_tz_offset_at(cfg->tz, at) : 0, &c);
    snprintf(day->date, sizeof day->date, "%04d-%02d-%02d", c.year, c.month,
             c.day);
    /* 1970-01-01 was a Thursday (3 with Monday 0). */
    int64_t days = mw_days_from_civil(c.year, c.month, c.day);
    day->wday = (int)(((days % 7) + 7 + 3) % 7);
    if (!(day->topics = zalloc(t->arena, t->n_topics, sizeof *day->topics)))
      return nomem(err);
  }
  for (size_t i = 0; d && i < d->n_cells; i++) {
    const struct mw_daily_cell *c = &d->cells[i];
    if (c->day >= n) continue;
    struct rpt_day *day = &t->days[c->day];
    if (!c->topic) {
      day->all += c->count;
      continue;
    }
    const char *name = rpt_clean(t->arena, c->topic);
    if (!name) return nomem(err);
    size_t ti = topic_index(t, name);
    if (ti != SIZE_MAX) day->topics[ti] += c->count;
  }
  for (size_t i = 0; i < n; i++)
    if (t->days[i].all > t->day_max) t->day_max = t->days[i].all;
  return MW_OK;
}

static int build_top(struct rpt_table *t, const struct mw_config *cfg,
                     const struct mw_report_input *in, struct mw_err *err) {
  t->stories = zalloc(t->arena, in->n_top, sizeof *t->stories);
  if (!t->stories) return nomem(err);
  for (size_t i = 0; i < in->n_top; i++) {
    const struct mw_cluster *c = &in->top[i];
    struct rpt_story *s = &t->stories[t->n_stories++];
    s->title = rpt_clean(t->arena, c->title);
    s->original_outlet = rpt_clean(t->arena, c->original_outlet);
    s->article_count = c->article_count;
    s->outlet_count = c->outlet_count;
    rpt_format_local(cfg, c->first_seen, s->first_seen, sizeof s->first_seen);
    s->outlets = zalloc(t->arena, c->n_outlets, sizeof *s->outlets);
    if (!s->title || !s->original_outlet || !s->outlets) return nomem(err);
    for (size_t j = 0; j < c->n_outlets; j++)
      if (!(s->outlets[s->n_outlets++] = rpt_clean(t->arena, c->outlets[j])))
        return nomem(err);
  }
  return MW_OK;
}

static int build_alert(struct rpt_table *t, const struct mw_config *cfg,
                       const struct mw_alert_rec *r, struct rpt_alert *a,
                       struct mw_err *err) {
  enum mw_alert_state st;
  a->id = r->id;
  a->level = r->level < 1 ? 1 : r->level > RPT_LEVELS ? RPT_LEVELS : r->level;
  a->level_zh = mw_alert_level_label_zh((enum mw_alert_level)a->level);
  a->level_name = mw_alert_level_name((enum mw_alert_level)a->level);
  a->color = mw_alert_level_hex((enum mw_alert_level)a->level);
  a->state = rpt_clean(t->arena, r->state);
  a->state_zh = r->state && !mw_alert_state_parse(r->state, &st)
                    ? mw_alert_state_label_zh(st)
                    : a->state;
  a->title = rpt_clean(t->arena, r->title);
  a->region = rpt_clean(t->arena, r->region);
  a->assignee = rpt_clean(t->arena, r->assignee);
  a->outlets = rpt_clean(t->arena, r->outlets);
  a->url = rpt_clean(t->arena, rpt_url_linkable(r->url) ? r->url : NULL);
  if (!a->state || !a->state_zh || !a->title || !a->region || !a->assignee ||
      !a->outlets || !a->url)
    return nomem(err);
  rpt_format_local(cfg, r->created, a->created, sizeof a->created);
  if (r->due) rpt_format_local(cfg, r->due, a->due, sizeof a->due);
  a->overdue = r->overdue;
  return MW_OK;
}

static int build_alerts(struct rpt_table *t, const struct mw_config *cfg,
                        const struct mw_report_input *in, struct mw_err *err) {
  for (size_t i = 0; i < in->n_alerts; i++) {
    const struct mw_alert_rec *r = &in->alerts[i];
    int lv = r->level < 1 ? 1 : r->level > RPT_LEVELS ? RPT_LEVELS : r->level;
    enum mw_alert_state st;
    t->alerts_created++;
    t->alert_level_totals[lv - 1]++;
    if (r->state && !mw_alert_state_parse(r->state, &st))
      t->alert_counts[lv - 1][st]++;
  }
  t->open_alerts = zalloc(t->arena, in->n_open, sizeof *t->open_alerts);
  if (!t->open_alerts) return nomem(err);
  for (size_t i = 0; i < in->n_open; i++) {
    int rc = build_alert(t, cfg, &in->open[i], &t->open_alerts[i], err);
    if (rc) return rc;
    t->n_open++;
    if (t->open_alerts[i].overdue) t->n_overdue++;
  }
  return MW_OK;
}

static int build_failed(struct rpt_table *t, const struct mw_config *cfg,
                        const struct mw_report_input *in, struct mw_err *err) {
  t->failed = zalloc(t->arena, in->n_failed, sizeof *t->failed);
  if (!t->failed) return nomem(err);
  for (size_t i = 0; i < in->n_failed; i++) {
    const struct mw_failed_source *s = &in->failed[i];
    struct rpt_failed *f = &t->failed[t->n_failed++];
    f->outlet = rpt_clean(t->arena, s->outlet);
    f->url = rpt_clean(t->arena, s->url);
    f->last_error = rpt_clean(t->arena, s->last_error);
    if (!f->outlet || !f->url || !f->last_error) return nomem(err);
    f->tier = (unsigned)s->tier < MW_TIER_COUNT ? s->tier : MW_TIER_PORTAL;
    f->failures = s->failures;
    f->last_status = s->last_status;
    if (s->last_ok > 0)
      rpt_format_local(cfg, s->last_ok, f->last_ok, sizeof f->last_ok);
  }
  return MW_OK;
}

int rpt_sections_build(struct rpt_table *t, const struct mw_config *cfg,
                       const struct mw_report_input *in, struct mw_err *err) {
  int rc = MW_OK;
  if (in->has_targets) rc = rpt_targets_build(t, cfg, in, err);
  if (!rc && (t->has_daily = in->has_daily))
    rc = build_daily(t, cfg, in->daily, err);
  if (!rc && (t->has_top = in->has_top)) rc = build_top(t, cfg, in, err);
  if (!rc && in->has_calendar) rc = rpt_calendar_build(t, in, err);
  if (!rc && (t->has_alerts = in->has_alerts))
    rc = build_alerts(t, cfg, in, err);
  if (!rc && (t->has_failed = in->has_failed))
    rc = build_failed(t, cfg, in, err);
  return rc;
}
