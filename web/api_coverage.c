/*
 * api_coverage.c: GET /api/coverage, the numbers of the overview page for
 * one period: the total and the previous period's, articles by tier, by
 * outlet and by topic (every configured outlet and topic, zeros
 * included), articles per day, and the coverage targets as the report
 * counts them.
 *
 * It must stay fast beside a running crawl (the overview is opened all
 * day): it asks the store for the period's coverage table, the previous
 * period's and the per-day counts, and the targets, never for the whole
 * report (top stories, calendar, failed sources); and an answer that was
 * slow to count (a big store) is kept for a few seconds and counted again
 * in the background while people keep asking (api_cache.c).
 *
 * What it leaves to others: the period arguments (mw_web_period), the
 * queries (store/), target periods and statuses (report/).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/api_args.h"

/* One row of a by_outlet or by_topic list before sorting. */
struct row {
  const char *name;
  int tier; /* outlets; -1 for topics */
  int64_t count;
  size_t order; /* config order, then first seen in the store */
};

struct rows {
  struct row *v;
  size_t n, cap;
};

static struct row *rows_find(struct rows *rs, const char *name) {
  for (size_t i = 0; i < rs->n; i++)
    if (!strcmp(rs->v[i].name, name)) return &rs->v[i];
  return NULL;
}

/* The row of name, added with count 0 when new; NULL when out of memory. */
static struct row *rows_get(struct rows *rs, const char *name, int tier) {
  struct row *r = rows_find(rs, name);
  if (r) return r;
  if (rs->n == rs->cap) {
    size_t cap = rs->cap ? 2 * rs->cap : 16;
    struct row *v = realloc(rs->v, cap * sizeof *v);
    if (!v) return NULL;
    rs->v = v;
    rs->cap = cap;
  }
  r = &rs->v[rs->n];
  *r = (struct row){.name = name, .tier = tier, .order = rs->n};
  rs->n++;
  return r;
}

/* Most articles first; ties in config order. */
static int row_cmp(const void *a, const void *b) {
  const struct row *x = a, *y = b;
  if (x->count != y->count) return x->count > y->count ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static int64_t total_of(const struct mw_coverage *c) {
  int64_t n = 0;
  for (size_t i = 0; c && i < c->n_cells; i++)
    if (!c->cells[i].topic) n += c->cells[i].count;
  return n;
}

/* by_tier, by_outlet and by_topic of cov onto j. */
static int add_tables(const struct mw_config *cfg,
                      const struct mw_coverage *cov, json_t *j) {
  struct rows outlets = {0}, topics = {0};
  int64_t tiers[MW_TIER_COUNT] = {0};
  bool tier_seen[MW_TIER_COUNT] = {false};
  int rc = MW_OK;
  for (size_t i = 0; !rc && i < cfg->n_outlets; i++) {
    if (!rows_get(&outlets, cfg->outlets[i].name, (int)cfg->outlets[i].tier))
      rc = MW_ENOMEM;
    if ((unsigned)cfg->outlets[i].tier < MW_TIER_COUNT)
      tier_seen[cfg->outlets[i].tier] = true;
  }
  for (size_t i = 0; !rc && i < cfg->n_topics; i++)
    if (!rows_get(&topics, cfg->topics[i].name, -1)) rc = MW_ENOMEM;
  for (size_t i = 0; !rc && i < cov->n_cells; i++) {
    const struct mw_coverage_cell *c = &cov->cells[i];
    if (!c->outlet) continue;
    struct row *row = c->topic ? rows_get(&topics, c->topic, -1)
                               : rows_get(&outlets, c->outlet, (int)c->tier);
    if (!row) {
      rc = MW_ENOMEM;
      break;
    }
    row->count += c->count;
    if (!c->topic && (unsigned)c->tier < MW_TIER_COUNT) {
      tiers[c->tier] += c->count;
      tier_seen[c->tier] = true;
    }
  }
  if (outlets.n) qsort(outlets.v, outlets.n, sizeof *outlets.v, row_cmp);
  if (topics.n) qsort(topics.v, topics.n, sizeof *topics.v, row_cmp);
  json_t *bt = json_array(), *bo = json_array(), *bp = json_array();
  if (!bt || !bo || !bp) rc = MW_ENOMEM;
  for (int t = 0; !rc && t < MW_TIER_COUNT; t++) {
    if (!tier_seen[t]) continue;
    json_t *e = json_object();
    if (!e || mw_web_api_set_str(e, "tier", mw_tier_name((enum mw_tier)t)) ||
        mw_web_api_set_str(e, "tier_zh", mw_tier_label_zh((enum mw_tier)t)) ||
        mw_web_api_set_int(e, "count", tiers[t]) || json_array_append(bt, e))
      rc = MW_ENOMEM;
    json_decref(e);
  }
  for (size_t i = 0; !rc && i < outlets.n; i++) {
    const struct row *w = &outlets.v[i];
    bool known = (unsigned)w->tier < MW_TIER_COUNT;
    json_t *e = json_object();
    if (!e || mw_web_api_set_str(e, "outlet", w->name) ||
        mw_web_api_set_str(
            e, "tier", known ? mw_tier_name((enum mw_tier)w->tier) : NULL) ||
        mw_web_api_set_int(e, "count", w->count) || json_array_append(bo, e))
      rc = MW_ENOMEM;
    json_decref(e);
  }
  for (size_t i = 0; !rc && i < topics.n; i++) {
    json_t *e = json_object();
    if (!e || mw_web_api_set_str(e, "topic", topics.v[i].name) ||
        mw_web_api_set_int(e, "count", topics.v[i].count) ||
        json_array_append(bp, e))
      rc = MW_ENOMEM;
    json_decref(e);
  }
  if (!rc && (json_object_set(j, "by_tier", bt) ||
              json_object_set(j, "by_outlet", bo) ||
              json_object_set(j, "by_topic", bp)))
    rc = MW_ENOMEM;
  json_decref(bt);
  json_decref(bo);
  json_decref(bp);
  free(outlets.v);
  free(topics.v);
  return rc;
}

/* daily: every day of the period, with its local date. */
static int add_daily(const struct mw_config *cfg,
                     const struct mw_coverage_daily *d, json_t *j) {
  json_t *arr = json_array();
  int rc = arr ? MW_OK : MW_ENOMEM;
  for (size_t i = 0; !rc && i < d->n_days; i++) {
    int64_t count = 0;
    for (size_t k = 0; k < d->n_cells; k++)
      if (d->cells[k].day == i && !d->cells[k].topic)
        count += d->cells[k].count;
    struct mw_civil cv;
    char day[16];
    mw_tz_to_civil(cfg->tz, d->bounds[i], &cv);
    snprintf(day, sizeof day, "%04d-%02d-%02d", cv.year, cv.month, cv.day);
    json_t *e = json_object();
    if (!e || mw_web_api_set_str(e, "day", day) ||
        mw_web_api_set_int(e, "count", count) || json_array_append(arr, e))
      rc = MW_ENOMEM;
    json_decref(e);
  }
  if (!rc && json_object_set(j, "daily", arr)) rc = MW_ENOMEM;
  json_decref(arr);
  return rc;
}

/* period: from, to (epoch s, [from, to)), the first and last local day,
 * and the label ("2026-W47"). */
static int add_period(const struct mw_web *w, const struct mw_report_period *p,
                      json_t *j) {
  char label[64], first[16], last[16];
  struct mw_civil a, b;
  mw_web_api_period_label(w->cfg->tz, p, " 至 ", label, sizeof label);
  mw_tz_to_civil(w->cfg->tz, p->from, &a);
  mw_tz_to_civil(w->cfg->tz, p->to - 1, &b);
  snprintf(first, sizeof first, "%04d-%02d-%02d", a.year, a.month, a.day);
  snprintf(last, sizeof last, "%04d-%02d-%02d", b.year, b.month, b.day);
  json_t *e = json_object();
  int rc =
      (!e || mw_web_api_set_int(e, "from", p->from) ||
       mw_web_api_set_int(e, "to", p->to) ||
       mw_web_api_set_str(e, "first_day", first) ||
       mw_web_api_set_str(e, "last_day", last) ||
       mw_web_api_set_str(e, "label", label) || json_object_set(j, "period", e))
          ? MW_ENOMEM
          : MW_OK;
  json_decref(e);
  return rc;
}

/* targets: each target (its `each` items apart) with its count over its
 * own period holding the report's last day, its status as of the end of
 * the period or now, whichever comes first (a running week is not missed
 * yet), and the count expected by then, pro-rated. */
static int add_targets(const struct mw_web_req *r,
                       const struct mw_report_period *p,
                       const struct mw_report_input *in, json_t *j) {
  int64_t as_of = r->now < p->to ? r->now : p->to;
  json_t *arr = json_array();
  int rc = arr ? MW_OK : MW_ENOMEM;
  for (size_t i = 0; !rc && in->has_targets && i < in->n_targets; i++) {
    const struct mw_report_target *t = &in->targets[i];
    enum mw_target_status st = mw_report_target_status(t, as_of);
    int64_t span = t->to - t->from, el = as_of - t->from;
    if (el < 0) el = 0;
    if (el > span) el = span;
    /* min * el / span rounded up: what "on track" asks for by now. */
    int64_t expected = span > 0 ? (t->min * el + span - 1) / span : t->min;
    json_t *e = json_object();
    if (!e || mw_web_api_set_str(e, "name", t->name) ||
        mw_web_api_set_int(e, "count", t->count) ||
        mw_web_api_set_int(e, "min", t->min) ||
        mw_web_api_set_str(e, "status", mw_target_status_name(st)) ||
        mw_web_api_set_str(e, "status_zh", mw_target_status_zh(st)) ||
        mw_web_api_set_int(e, "expected", expected) ||
        mw_web_api_set_str(e, "period", t->period) ||
        mw_web_api_set_int(e, "from", t->from) ||
        mw_web_api_set_int(e, "to", t->to) ||
        json_object_set_new(e, "stories", json_boolean(t->stories)) ||
        json_array_append(arr, e))
      rc = MW_ENOMEM;
    json_decref(e);
  }
  if (!rc && json_object_set(j, "targets", arr)) rc = MW_ENOMEM;
  json_decref(arr);
  return rc;
}

/* The coverage answer of period p as JSON text (malloc'd); NULL on error,
 * with *rc and err set. */
static char *compute(struct mw_web_req *r, const struct mw_report_period *p,
                     int *rc, struct mw_err *err) {
  const struct mw_config *cfg = r->web->cfg;
  /* The coverage of the period and of the one before come with every
   * gathering; of the rest only the days and the targets. */
  struct mw_report_data *d = NULL;
  *rc = mw_report_gather(cfg, r->store, p, MW_GATHER_DAILY | MW_GATHER_TARGETS,
                         &d, err);
  if (*rc) return NULL;
  const struct mw_report_input *in = mw_report_data_input(d);
  json_t *j = json_object();
  if (!j || add_period(r->web, p, j) ||
      mw_web_api_set_int(j, "total", total_of(in->cov)) ||
      mw_web_api_set_int(j, "previous_total", total_of(in->prev)) ||
      add_tables(cfg, in->cov, j) || add_daily(cfg, in->daily, j) ||
      add_targets(r, p, in, j))
    *rc = MW_ENOMEM;
  mw_report_data_free(d);
  char *text = *rc ? NULL : json_dumps(j, JSON_COMPACT | JSON_ESCAPE_SLASH);
  json_decref(j);
  if (!*rc && !text) *rc = MW_ENOMEM;
  return text;
}

/* The cache's recipe (api_cache.c refresh-ahead): the answer of period
 * arg (a struct mw_report_period) on store s as of now, computed by the
 * server's indexer thread before the kept one expires. */
static int refill(struct mw_web *w, struct mw_store *s, int64_t now,
                  const void *arg, char **text) {
  struct mw_report_period p;
  memcpy(&p, arg, sizeof p);
  struct mw_web_req r = {.web = w, .store = s, .now = now};
  struct mw_err err = {0};
  int rc = MW_OK;
  *text = compute(&r, &p, &rc, &err);
  return *text ? MW_OK : rc;
}

int mw_web_api_coverage(struct mw_web_req *r, struct mw_web_resp *o) {
  struct mw_err err = {0};
  struct mw_report_period p;
  int rc = mw_web_period(r, &p, &err);
  if (rc) return mw_web_reply_error(o, 400, "invalid", "%s", err.msg);
  /* A big store's answer may be kept a little while (api_cache.c). */
  char key[1024];
  int n =
      snprintf(key, sizeof key, "coverage|%s|%lld|%lld",
               r->web->cfg->storage_path, (long long)p.from, (long long)p.to);
  bool put = false;
  _Static_assert(sizeof p <= MW_WEB_API_CACHE_ARG_MAX, "period too big");
  const struct mw_web_api_refill how = {refill, &p, sizeof p};
  char *text = n > 0 && (size_t)n < sizeof key
                   ? mw_web_api_cache_get_ex(
                         key, r->web->cfg->storage_path, &how, &put)
                   : NULL;
  if (!text) {
    double t0 = mw_web_api_cpu_ms();
    text = compute(r, &p, &rc, &err);
    if (put) mw_web_api_cache_put(key, text, mw_web_api_cpu_ms() - t0);
    if (!text) return mw_web_api_fail(o, rc, &err);
  }
  mw_buf_reset(&o->body);
  rc = mw_buf_puts(&o->body, text);
  free(text);
  if (rc) return rc;
  o->status = 200;
  o->type = "application/json; charset=utf-8";
  return MW_OK;
}
