/*
 * gather.c: what every report section needs, read from the store for one
 * period (coverage of the period and of the one before, articles per day,
 * top stories, alerts, failed sources, the campaign calendar, targets),
 * and the whole report built from it. Shared by `mediawatch report`, the
 * demo and the dashboard.
 *
 * What it leaves to others: the queries (store/), the rendering (the
 * section writers of this folder).
 */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "store/store.h"

/* Stories listed under 重点稿件. */
#define TOP_STORIES 10

/* What the store gave for one report. */
struct mw_report_data {
  struct mw_report_input in;
  struct mw_coverage *cov, *prev;
  int64_t *bounds;
  size_t n_days;
  struct mw_coverage_daily *daily;
  struct mw_cluster *top;
  size_t n_top;
  struct mw_alert_rec *alerts, *open;
  size_t n_alerts_all, n_open_all; /* as allocated, for freeing */
  struct mw_failed_source *failed;
  size_t n_failed;
  /* The campaign calendar: occurrences near the period, and per
   * occurrence the coverage of its days and of the days before. */
  struct mw_calendar *calendar;
  struct mw_calendar_occurrence *occ;
  size_t n_occ;
  struct mw_calendar_coverage *cal_cov; /* n_occ */
  struct mw_coverage **cal_owned;       /* 2 * n_occ: during, lead */
  /* Coverage targets, `each` expanded: one row per target or item; the
   * names of expanded rows are malloc'd (owned[i], else NULL). */
  struct mw_report_target *targets;
  char **target_owned;
  size_t n_targets;
};

void mw_report_data_free(struct mw_report_data *g) {
  if (!g) return;
  mw_coverage_free(g->cov);
  mw_coverage_free(g->prev);
  free(g->bounds);
  mw_coverage_daily_free(g->daily);
  mw_store_clusters_free(g->top, g->n_top);
  mw_alert_recs_free(g->alerts, g->n_alerts_all);
  mw_alert_recs_free(g->open, g->n_open_all);
  mw_failed_sources_free(g->failed, g->n_failed);
  for (size_t i = 0; g->cal_owned && i < 2 * g->n_occ; i++)
    mw_coverage_free(g->cal_owned[i]);
  free(g->cal_owned);
  free(g->cal_cov);
  free(g->occ);
  mw_calendar_free(g->calendar);
  for (size_t i = 0; g->target_owned && i < g->n_targets; i++)
    free(g->target_owned[i]);
  free(g->target_owned);
  free(g->targets);
  free(g);
}

/* Up to two names (one, the single form, may be NULL) and a list, as one
 * array in v (room for n + 1); returns how many. */
static size_t join_names(const char *one, char *const *list, size_t n,
                         const char **v) {
  size_t k = 0;
  if (one) v[k++] = one;
  for (size_t i = 0; i < n; i++) v[k++] = list[i];
  return k;
}

/* Counts target t (item: its `each` item, or NULL) over its period holding
 * the report's last day, up to the report's end, into *r. */
static int count_target(const struct mw_config *cfg, struct mw_store *st,
                        const struct mw_report_period *p,
                        const struct mw_target_conf *t, const char *item,
                        struct mw_report_target *r, struct mw_err *err) {
  int rc = mw_report_target_period(cfg->tz, t, p, &r->from, &r->to, err);
  if (rc) return rc;
  r->period = t->period ? t->period : "month";
  r->min = t->min_count;
  r->stories = t->stories;
  const char **outlets = calloc(t->n_outlets + 1, sizeof *outlets);
  const char **topics = calloc(t->n_topics + 1, sizeof *topics);
  if (!outlets || !topics) {
    free(outlets);
    free(topics);
    return mw_err_set(err, MW_ENOMEM, "report: out of memory");
  }
  struct mw_target_query q = {
      .from = r->from,
      .to = r->to < p->to ? r->to : p->to,
      .outlets = outlets,
      .n_outlets = join_names(t->outlet, t->outlets, t->n_outlets, outlets),
      .tier = t->tier,
      .topics = topics,
      .n_topics = join_names(t->topic, t->topics, t->n_topics, topics),
      .mentions = item ? &item : (const char *const *)t->mentions,
      .n_mentions = item ? 1 : t->n_mentions,
      .stories = t->stories,
  };
  /* A report ending before the target period starts counts nothing. */
  if (q.to < q.from) q.to = q.from;
  rc = mw_store_target_count(st, &q, &r->count, err);
  free(outlets);
  free(topics);
  return rc;
}

/* Brings the mentions index up to date for every mention and `each` term
 * of the config in one pass (a target count indexes its own terms
 * otherwise, one pass per target). */
static int index_mentions(const struct mw_config *cfg, struct mw_store *st,
                          struct mw_err *err) {
  const char **terms;
  size_t n;
  int rc = mw_store_config_mentions(cfg, &terms, &n, err);
  if (!rc) rc = mw_store_index_mentions(st, terms, n, err);
  free(terms);
  return rc;
}

/* Every target of the config, `each` expanded into "<name>：<item>". */
static int gather_targets(const struct mw_config *cfg, struct mw_store *st,
                          const struct mw_report_period *p,
                          struct mw_report_data *g, struct mw_err *err) {
  size_t n = 0;
  for (size_t i = 0; i < cfg->n_targets; i++)
    n += cfg->targets[i].n_each ? cfg->targets[i].n_each : 1;
  g->targets = calloc(n ? n : 1, sizeof *g->targets);
  g->target_owned = calloc(n ? n : 1, sizeof *g->target_owned);
  if (!g->targets || !g->target_owned)
    return mw_err_set(err, MW_ENOMEM, "report: out of memory");
  int rc = index_mentions(cfg, st, err);
  for (size_t i = 0; !rc && i < cfg->n_targets; i++) {
    const struct mw_target_conf *t = &cfg->targets[i];
    for (size_t j = 0; !rc && j < (t->n_each ? t->n_each : 1); j++) {
      struct mw_report_target *r = &g->targets[g->n_targets];
      const char *item = t->n_each ? t->each[j] : NULL;
      r->name = t->name;
      if (item) {
        struct mw_buf b;
        mw_buf_init(&b, 4096);
        if (mw_buf_printf(&b, "%s：%s", t->name, item) ||
            !(g->target_owned[g->n_targets] = mw_buf_steal(&b))) {
          mw_buf_cleanup(&b);
          return mw_err_set(err, MW_ENOMEM, "report: out of memory");
        }
        r->name = g->target_owned[g->n_targets];
      }
      g->n_targets++;
      rc = count_target(cfg, st, p, t, item, r, err);
    }
  }
  return rc;
}

/* The config's calendar, its events near p and the coverage around each:
 * the event's days and the MW_CALENDAR_LEAD_DAYS days before. */
static int gather_calendar(const struct mw_config *cfg, struct mw_store *st,
                           const struct mw_report_period *p,
                           struct mw_report_data *g, struct mw_err *err) {
  int rc = mw_calendar_load(cfg->calendar, &g->calendar, err);
  if (!rc) rc = mw_calendar_near(g->calendar, cfg->tz, p, &g->occ, &g->n_occ,
                                 err);
  if (rc) return rc;
  g->cal_cov = calloc(g->n_occ ? g->n_occ : 1, sizeof *g->cal_cov);
  g->cal_owned = calloc(g->n_occ ? 2 * g->n_occ : 1, sizeof *g->cal_owned);
  if (!g->cal_cov || !g->cal_owned) {
    g->n_occ = 0;
    return mw_err_set(err, MW_ENOMEM, "report: out of memory");
  }
  for (size_t i = 0; !rc && i < g->n_occ; i++) {
    struct mw_calendar_coverage *c = &g->cal_cov[i];
    struct mw_coverage **during = &g->cal_owned[2 * i],
                       **lead = &g->cal_owned[2 * i + 1];
    c->occ = &g->occ[i];
    rc = mw_store_coverage(st, g->occ[i].from, g->occ[i].to, during, err);
    if (!rc)
      rc = mw_store_coverage(st, g->occ[i].lead_from, g->occ[i].from, lead,
                             err);
    c->during = *during;
    c->lead = *lead;
  }
  return rc;
}

/* Moves the alerts created before `before` to the front, keeping their
 * order; returns how many. The array keeps all n for freeing. */
static size_t keep_created_before(struct mw_alert_rec *a, size_t n,
                                  int64_t before) {
  size_t kept = 0;
  for (size_t i = 0; i < n; i++) {
    if (a[i].created >= before) continue;
    if (i != kept) {
      struct mw_alert_rec tmp = a[kept];
      a[kept] = a[i];
      a[i] = tmp;
    }
    kept++;
  }
  return kept;
}

int mw_report_gather(const struct mw_config *cfg, struct mw_store *st,
                     const struct mw_report_period *p, unsigned what,
                     struct mw_report_data **out, struct mw_err *err) {
  *out = NULL;
  struct mw_report_data *g = calloc(1, sizeof *g);
  if (!g) return mw_err_set(err, MW_ENOMEM, "report: out of memory");
  struct mw_report_period prev;
  int rc = mw_report_prev_period(cfg->tz, p, &prev, err);
  if (!rc) rc = mw_store_coverage(st, p->from, p->to, &g->cov, err);
  if (!rc) rc = mw_store_coverage(st, prev.from, prev.to, &g->prev, err);
  if (!rc && (what & MW_GATHER_DAILY)) {
    rc = mw_report_period_days(cfg->tz, p, &g->bounds, &g->n_days, err);
    if (!rc)
      rc = mw_store_coverage_daily(st, g->bounds, g->n_days, &g->daily, err);
  }
  if (!rc && (what & MW_GATHER_TOP))
    rc = mw_store_top_clusters(st, p->from, p->to, TOP_STORIES, &g->top,
                               &g->n_top, err);
  /* Alerts raised in the period (counted), and every alert open now (the
   * duty desk's backlog as the report is made, listed whenever raised: a
   * story of the period may be alerted only when it is crawled later). */
  if (!rc && (what & MW_GATHER_ALERTS)) {
    struct mw_alert_filter created = {.since = p->from};
    struct mw_alert_filter open = {.open_only = true};
    rc = mw_store_alert_list(st, &created, &g->alerts, &g->n_alerts_all, err);
    if (!rc)
      rc = mw_store_alert_list(st, &open, &g->open, &g->n_open_all, err);
  }
  if (!rc && (what & MW_GATHER_FAILED))
    rc = mw_store_failed_sources(st, p->from, p->to, &g->failed, &g->n_failed,
                                 err);
  bool calendar = cfg->calendar && (what & MW_GATHER_CALENDAR);
  bool targets = cfg->n_targets && (what & MW_GATHER_TARGETS);
  if (!rc && calendar) rc = gather_calendar(cfg, st, p, g, err);
  if (!rc && targets) rc = gather_targets(cfg, st, p, g, err);
  if (rc) {
    mw_report_data_free(g);
    return rc;
  }
  g->in = (struct mw_report_input){
      .cov = g->cov,
      .prev = g->prev,
      .has_daily = (what & MW_GATHER_DAILY) != 0,
      .daily = g->daily,
      .has_top = (what & MW_GATHER_TOP) != 0,
      .top = g->top,
      .n_top = g->n_top,
      .has_alerts = (what & MW_GATHER_ALERTS) != 0,
      .alerts = g->alerts,
      .n_alerts = keep_created_before(g->alerts, g->n_alerts_all, p->to),
      .open = g->open,
      .n_open = g->n_open_all,
      .has_failed = (what & MW_GATHER_FAILED) != 0,
      .failed = g->failed,
      .n_failed = g->n_failed,
      .has_calendar = calendar,
      .calendar = g->cal_cov,
      .n_calendar = g->n_occ,
      .has_targets = targets,
      .targets = g->targets,
      .n_targets = g->n_targets,
  };
  *out = g;
  return MW_OK;
}

const struct mw_report_input *mw_report_data_input(
    const struct mw_report_data *d) {
  return &d->in;
}

int mw_report_build(const struct mw_config *cfg, struct mw_store *st,
                    const struct mw_report_period *p,
                    enum mw_report_format fmt, struct mw_buf *out,
                    struct mw_err *err) {
  struct mw_report_data *g;
  int rc = mw_report_gather(cfg, st, p, MW_GATHER_ALL, &g, err);
  if (rc) return rc;
  rc = mw_report_write(cfg, p, &g->in, fmt, out, err);
  mw_report_data_free(g);
  return rc;
}
