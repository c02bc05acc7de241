/*
 * targets_json.c: the target attainment section in JSON: "targets", an
 * array of objects, the behind ones first.
 *
 * What it leaves to others: the content and order (targets.c), the rest
 * of the document (sections_json.c).
 */
#include <jansson.h>

#include "report/report_int.h"

static json_t *row(const struct rpt_target_row *r) {
  return json_pack("{ss ss ss ss ss sI sI sf ss ss}", "name", r->name,
                   "period", r->period, "first_day", r->first, "last_day",
                   r->last, "unit", r->stories ? "stories" : "articles",
                   "count", (json_int_t)r->count, "min", (json_int_t)r->min,
                   "percent", (double)r->pct_tenths / 10.0, "status",
                   mw_target_status_name(r->status), "status_zh",
                   mw_target_status_zh(r->status));
}

int rpt_targets_json(const struct rpt_table *t, json_t *root) {
  json_t *arr = json_array();
  for (size_t i = 0; arr && i < t->n_target_rows; i++) {
    if (json_array_append_new(arr, row(&t->target_rows[i]))) {
      json_decref(arr);
      return MW_ENOMEM;
    }
  }
  if (!arr) return MW_ENOMEM;
  return json_object_set_new(root, "targets", arr) ? MW_ENOMEM : MW_OK;
}
