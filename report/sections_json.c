/*
 * sections_json.c: the sections after the coverage table as keys of the
 * JSON report, each present only when the section was gathered:
 *
 *   "daily": [{"date": "2023-05-08", "weekday": 1, "all": 5,
 *              "counts": {"无废城市": 2, ...}}, ...],      weekday 1 = Monday
 *   "top_stories": [{"rank": 1, "title": ..., "original_outlet": ...,
 *                    "first_seen": "2023-05-08 10:00", "outlet_count": 3,
 *                    "article_count": 4, "outlets": [...]}],
 *   "alerts": {"created": 3,
 *              "by_level": [{"level": 4, "name": "critical",
 *                            "label": "特别重大", "color": "#...",
 *                            "all": 1, "states": {"new": 1, ...}}, ...],
 *              "open_count": 2, "overdue_count": 1,
 *              "open": [{"id": 7, "level": 3, "level_label": "重大",
 *                        "state": "new", "state_label": "新预警",
 *                        "title": ..., "region": ..., "assignee": ...,
 *                        "created": ..., "due": ... or null,
 *                        "overdue": false, "url": ...}]},
 *   "failed_sources": [{"outlet": ..., "tier": "central", "url": ...,
 *                       "failures": 2, "last_ok": ... or null,
 *                       "last_status": 503, "last_error": ...}]
 *
 * Levels run from the highest down. Strings are escaped by jansson (and
 * < > & by coverage_json.c's writer).
 *
 * What it leaves to others: the content (sections.c), the document's top
 * keys and writing (coverage_json.c).
 */
#include <jansson.h>

#include "report/report_int.h"

struct jb {
  bool failed;
};

static void set(struct jb *b, json_t *obj, const char *key, json_t *v) {
  if (json_object_set_new(obj, key, v)) b->failed = true;
}

static void push(struct jb *b, json_t *arr, json_t *v) {
  if (json_array_append_new(arr, v)) b->failed = true;
}

/* A string, or null when empty. */
static json_t *opt_str(const char *s) {
  return s && s[0] ? json_string(s) : json_null();
}

static json_t *j_daily(struct jb *b, const struct rpt_table *t) {
  json_t *arr = json_array();
  for (size_t d = 0; d < t->n_days; d++) {
    const struct rpt_day *day = &t->days[d];
    json_t *o = json_object(), *counts = json_object();
    set(b, o, "date", json_string(day->date));
    set(b, o, "weekday", json_integer(day->wday + 1));
    set(b, o, "all", json_integer(day->all));
    for (size_t i = 0; i < t->n_topics; i++)
      set(b, counts, t->topics[i].name, json_integer(day->topics[i]));
    set(b, o, "counts", counts);
    push(b, arr, o);
  }
  return arr;
}

static json_t *j_top(struct jb *b, const struct rpt_table *t) {
  json_t *arr = json_array();
  for (size_t i = 0; i < t->n_stories; i++) {
    const struct rpt_story *s = &t->stories[i];
    json_t *o = json_object(), *outlets = json_array();
    set(b, o, "rank", json_integer((json_int_t)i + 1));
    set(b, o, "title", opt_str(s->title));
    set(b, o, "original_outlet", opt_str(s->original_outlet));
    set(b, o, "first_seen", json_string(s->first_seen));
    set(b, o, "outlet_count", json_integer(s->outlet_count));
    set(b, o, "article_count", json_integer(s->article_count));
    for (size_t j = 0; j < s->n_outlets; j++)
      push(b, outlets, json_string(s->outlets[j]));
    set(b, o, "outlets", outlets);
    push(b, arr, o);
  }
  return arr;
}

static json_t *j_alert(struct jb *b, const struct rpt_alert *a) {
  json_t *o = json_object();
  set(b, o, "id", json_integer(a->id));
  set(b, o, "level", json_integer(a->level));
  set(b, o, "level_label", json_string(a->level_zh));
  set(b, o, "color", json_string(a->color));
  set(b, o, "state", json_string(a->state));
  set(b, o, "state_label", json_string(a->state_zh));
  set(b, o, "title", opt_str(a->title));
  set(b, o, "region", opt_str(a->region));
  set(b, o, "assignee", opt_str(a->assignee));
  set(b, o, "outlets", opt_str(a->outlets));
  set(b, o, "created", json_string(a->created));
  set(b, o, "due", opt_str(a->due));
  set(b, o, "overdue", json_boolean(a->overdue));
  set(b, o, "url", opt_str(a->url));
  return o;
}

static json_t *j_alerts(struct jb *b, const struct rpt_table *t) {
  json_t *o = json_object(), *levels = json_array(), *open = json_array();
  set(b, o, "created", json_integer(t->alerts_created));
  for (int lv = RPT_LEVELS; lv >= 1; lv--) {
    enum mw_alert_level l = (enum mw_alert_level)lv;
    json_t *g = json_object(), *states = json_object();
    set(b, g, "level", json_integer(lv));
    set(b, g, "name", json_string(mw_alert_level_name(l)));
    set(b, g, "label", json_string(mw_alert_level_label_zh(l)));
    set(b, g, "color", json_string(mw_alert_level_hex(l)));
    set(b, g, "all", json_integer(t->alert_level_totals[lv - 1]));
    for (int st = 0; st < MW_STATE_COUNT; st++)
      set(b, states, mw_alert_state_name((enum mw_alert_state)st),
          json_integer(t->alert_counts[lv - 1][st]));
    set(b, g, "states", states);
    push(b, levels, g);
  }
  set(b, o, "by_level", levels);
  set(b, o, "open_count", json_integer((json_int_t)t->n_open));
  set(b, o, "overdue_count", json_integer((json_int_t)t->n_overdue));
  for (size_t i = 0; i < t->n_open; i++)
    push(b, open, j_alert(b, &t->open_alerts[i]));
  set(b, o, "open", open);
  return o;
}

static json_t *j_failed(struct jb *b, const struct rpt_table *t) {
  json_t *arr = json_array();
  for (size_t i = 0; i < t->n_failed; i++) {
    const struct rpt_failed *f = &t->failed[i];
    json_t *o = json_object();
    set(b, o, "outlet", json_string(f->outlet));
    set(b, o, "tier", json_string(mw_tier_name(f->tier)));
    set(b, o, "url", json_string(f->url));
    set(b, o, "failures", json_integer(f->failures));
    set(b, o, "last_ok", opt_str(f->last_ok));
    set(b, o, "last_status", json_integer(f->last_status));
    set(b, o, "last_error", opt_str(f->last_error));
    push(b, arr, o);
  }
  return arr;
}

int rpt_sections_json(const struct rpt_table *t, json_t *root) {
  struct jb b = {false};
  if (t->has_targets && rpt_targets_json(t, root)) b.failed = true;
  if (t->has_daily) set(&b, root, "daily", j_daily(&b, t));
  if (t->has_top) set(&b, root, "top_stories", j_top(&b, t));
  if (t->calendar && rpt_calendar_json(t, root)) b.failed = true;
  if (t->has_alerts) set(&b, root, "alerts", j_alerts(&b, t));
  if (t->has_failed) set(&b, root, "failed_sources", j_failed(&b, t));
  return b.failed ? MW_ENOMEM : MW_OK;
}
