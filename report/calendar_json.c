/*
 * calendar_json.c: the campaign calendar section as the "calendar" key of
 * the JSON report:
 *
 *   "calendar": {"near_days": 7, "lead_days": 7,
 *     "events": [{"name": "六五环境日", "first_day": "2023-06-05",
 *       "last_day": "2023-06-05", "days": 1, "relation": "after",
 *       "yearly": true,
 *       "all": {"during": 3, "lead": 7, "during_per_day": 3.0,
 *               "lead_per_day": 1.0, "rose": true, "trend": "up"},
 *       "topics": {"无废城市": {...same keys...}, ...}}]}
 *
 * relation is before, during or after the period. Per-day figures are
 * rounded to one decimal.
 *
 * What it leaves to others: the content (calendar_sections.c), the
 * document and its writing (coverage_json.c).
 */
#include <jansson.h>

#include "report/report_int.h"

static json_t *count(const struct rpt_cal_count *c) {
  return json_pack("{sI sI sf sf sb ss}", "during", (json_int_t)c->during,
                   "lead", (json_int_t)c->lead, "during_per_day",
                   (double)c->during_day10 / 10.0, "lead_per_day",
                   (double)c->lead_day10 / 10.0, "rose", c->trend > 0,
                   "trend", rpt_cal_trend_name(c->trend));
}

static json_t *event(const struct rpt_table *t, const struct rpt_cal_row *r) {
  json_t *topics = json_object();
  for (size_t k = 0; topics && k < t->n_topics; k++) {
    json_t *v = count(&r->topics[k]);
    if (!v || json_object_set_new(topics, t->topics[k].name, v)) {
      json_decref(topics);
      return NULL;
    }
  }
  json_t *all = count(&r->all);
  if (!topics || !all) {
    json_decref(topics);
    json_decref(all);
    return NULL;
  }
  return json_pack("{ss ss ss si ss sb so so}", "name", r->name, "first_day",
                   r->first, "last_day", r->last, "days", r->n_days,
                   "relation", rpt_cal_where_name(r->where), "yearly",
                   r->yearly, "all", all, "topics", topics);
}

int rpt_calendar_json(const struct rpt_table *t, json_t *root) {
  const struct rpt_calendar *cal = t->calendar;
  json_t *events = json_array();
  for (size_t i = 0; events && i < cal->n_rows; i++) {
    if (json_array_append_new(events, event(t, &cal->rows[i]))) {
      json_decref(events);
      return MW_ENOMEM;
    }
  }
  json_t *obj = events ? json_pack("{si si so}", "near_days",
                                   MW_CALENDAR_NEAR_DAYS, "lead_days",
                                   MW_CALENDAR_LEAD_DAYS, "events", events)
                       : NULL;
  if (!obj) return MW_ENOMEM;
  return json_object_set_new(root, "calendar", obj) ? MW_ENOMEM : MW_OK;
}
