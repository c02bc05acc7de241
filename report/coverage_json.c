/*
 * coverage_json.c: the coverage report as JSON (jansson), for the dashboard
 * and for scripts. Keys are English; Chinese appears only as labels and as
 * the names from the config. Key order is fixed (jansson keeps insertion
 * order), so the output is stable byte for byte.
 *
 *   {
 *     "report": "coverage",
 *     "office": "吉林省生态环境厅",             office_name or "mediawatch"
 *     "period": {
 *       "from": "2023-05-08T00:00:00+08:00",   local time with offset
 *       "to": "2023-05-15T00:00:00+08:00",     exclusive
 *       "from_epoch": 1683475200, "to_epoch": 1684080000,
 *       "first_day": "2023-05-08", "last_day": "2023-05-14",
 *       "timezone": "Asia/Shanghai",
 *       "iso_year": 2023, "iso_week": 19,      null when not a week
 *       "week": "2023-W19",                    null when not a week
 *       "month": "2023-05",                    null when not a month
 *       "kind": "week",                        "week", "month" or "range"
 *       "label": "2023年第19周"                 the period in Chinese
 *     },
 *     "topics": [{"name": "无废城市", "in_config": true}, ...],
 *     "totals": {
 *       "articles": CHANGE,                    all articles of the period
 *       "topics": {"无废城市": CHANGE, ...}     articles per topic
 *     },
 *     "tiers": [                               tier order, non-empty tiers
 *       {"tier": "central", "label": "中央媒体",
 *        "outlets": [{"name": "人民日报", "in_config": true,
 *                     "counts": {"无废城市": 3, ...}, "all": 10}, ...],
 *        "subtotal": {"counts": {...}, "all": 12}}
 *     ],
 *     "total": {"counts": {...}, "all": 20},
 *     ...                                      the sections (sections_json.c)
 *   }
 *
 * CHANGE is {"count": n, "prev": n, "change": n, "change_pct": 20.0}: prev
 * and change are null without a previous period; change_pct (one decimal)
 * is null when prev is null or 0. "counts" has every topic of "topics", in
 * that order; in_config false marks names only the store still knows.
 * '<', '>' and '&' are written as \u escapes so the document can sit
 * inside HTML (a <script> block of the dashboard) as it is.
 *
 * What it leaves to others: the table's content and order (table.c).
 */
#include <jansson.h>

#include "report/report_int.h"

/* Collects allocation failures so the building code stays linear. */
struct jb {
  bool failed;
};

static void set(struct jb *b, json_t *obj, const char *key, json_t *v) {
  /* json_object_set_new drops v on failure, NULL obj or v included. */
  if (json_object_set_new(obj, key, v)) b->failed = true;
}

static void push(struct jb *b, json_t *arr, json_t *v) {
  if (json_array_append_new(arr, v)) b->failed = true;
}

static json_t *j_change(struct jb *b, const struct rpt_change *c) {
  json_t *o = json_object();
  set(b, o, "count", json_integer(c->count));
  set(b, o, "prev", c->has_prev ? json_integer(c->prev) : json_null());
  set(b, o, "change", c->has_prev ? json_integer(c->delta) : json_null());
  set(b, o, "change_pct",
      c->has_pct ? json_real((double)c->pct_tenths / 10.0) : json_null());
  return o;
}

/* {"counts": {...}, "all": n} into obj. */
static void j_counts(struct jb *b, const struct rpt_table *t, json_t *obj,
                     const struct rpt_row *r) {
  json_t *counts = json_object();
  for (size_t i = 0; i < t->n_topics; i++)
    set(b, counts, t->topics[i].name, json_integer(r->counts[i]));
  set(b, obj, "counts", counts);
  set(b, obj, "all", json_integer(r->all));
}

static json_t *j_period(struct jb *b, const struct rpt_table *t) {
  json_t *p = json_object();
  set(b, p, "from", json_string(t->from_local));
  set(b, p, "to", json_string(t->to_local));
  set(b, p, "from_epoch", json_integer(t->from));
  set(b, p, "to_epoch", json_integer(t->to));
  set(b, p, "first_day", json_string(t->first_day));
  set(b, p, "last_day", json_string(t->last_day));
  set(b, p, "timezone", json_string(t->tz_name));
  bool week = t->iso_week > 0;
  set(b, p, "iso_year", week ? json_integer(t->iso_year) : json_null());
  set(b, p, "iso_week", week ? json_integer(t->iso_week) : json_null());
  set(b, p, "week", week ? json_string(t->week) : json_null());
  bool month = !week && t->iso[0];
  set(b, p, "month", month ? json_string(t->iso) : json_null());
  set(b, p, "kind", json_string(t->kind));
  set(b, p, "label", json_string(t->label_zh));
  return p;
}

static json_t *j_tier(struct jb *b, const struct rpt_table *t,
                      const struct rpt_tier *tier) {
  json_t *g = json_object();
  set(b, g, "tier", json_string(mw_tier_name(tier->tier)));
  set(b, g, "label", json_string(mw_tier_label_zh(tier->tier)));
  json_t *outlets = json_array();
  for (size_t i = 0; i < tier->n; i++) {
    const struct rpt_row *r = &t->outlets[tier->first + i];
    json_t *o = json_object();
    set(b, o, "name", json_string(r->name));
    set(b, o, "in_config", json_boolean(r->in_config));
    j_counts(b, t, o, r);
    push(b, outlets, o);
  }
  set(b, g, "outlets", outlets);
  json_t *sub = json_object();
  j_counts(b, t, sub, &tier->subtotal);
  set(b, g, "subtotal", sub);
  return g;
}

static json_t *j_report(struct jb *b, const struct rpt_table *t) {
  json_t *root = json_object();
  set(b, root, "report", json_string("coverage"));
  set(b, root, "office", json_string(t->office));
  set(b, root, "period", j_period(b, t));

  json_t *topics = json_array();
  json_t *topic_totals = json_object();
  for (size_t i = 0; i < t->n_topics; i++) {
    json_t *tp = json_object();
    set(b, tp, "name", json_string(t->topics[i].name));
    set(b, tp, "in_config", json_boolean(t->topics[i].in_config));
    push(b, topics, tp);
    set(b, topic_totals, t->topics[i].name, j_change(b, &t->topics[i].total));
  }
  set(b, root, "topics", topics);
  json_t *totals = json_object();
  set(b, totals, "articles", j_change(b, &t->articles));
  set(b, totals, "topics", topic_totals);
  set(b, root, "totals", totals);

  json_t *tiers = json_array();
  for (size_t g = 0; g < t->n_tiers; g++)
    push(b, tiers, j_tier(b, t, &t->tiers[g]));
  set(b, root, "tiers", tiers);
  json_t *total = json_object();
  j_counts(b, t, total, &t->total);
  set(b, root, "total", total);
  if (rpt_sections_json(t, root)) b->failed = true;
  return root;
}

struct sink {
  struct mw_buf *out;
  int rc;
};

/* Copies jansson's output, writing < > & as \u escapes. Outside strings
 * JSON never has these bytes, so the swap is always inside a string and
 * keeps the text equal; the output is then safe inside HTML too. */
static int sink_write(const char *p, size_t n, void *data) {
  struct sink *s = data;
  size_t run = 0;
  for (size_t i = 0; i < n && !s->rc; i++) {
    const char *esc = p[i] == '<'   ? "\\u003c"
                      : p[i] == '>' ? "\\u003e"
                      : p[i] == '&' ? "\\u0026"
                                    : NULL;
    if (!esc) continue;
    s->rc = mw_buf_append(s->out, p + run, i - run);
    if (!s->rc) s->rc = mw_buf_append(s->out, esc, 6);
    run = i + 1;
  }
  if (!s->rc) s->rc = mw_buf_append(s->out, p + run, n - run);
  return s->rc ? -1 : 0;
}

int rpt_coverage_json(const struct rpt_table *t, struct mw_buf *out) {
  struct jb b = {false};
  json_t *root = j_report(&b, t);
  if (b.failed || !root) {
    json_decref(root);
    return MW_ENOMEM;
  }
  struct sink s = {out, MW_OK};
  /* 15 significant digits print a one-decimal percentage as written. */
  int jrc = json_dump_callback(root, sink_write, &s,
                               JSON_INDENT(2) | JSON_REAL_PRECISION(15));
  json_decref(root);
  if (jrc) return s.rc ? s.rc : MW_ENOMEM;
  return mw_buf_putc(out, '\n');
}
