/*
 * targets_csv.c: the target attainment section in CSV: a header line,
 * then a row per target, the behind ones first.
 *
 * What it leaves to others: the content and order (targets.c), escaping
 * (escape.c), the BOM and the sections before (sections_csv.c).
 */
#include <string.h>

#include "report/report_int.h"

int rpt_targets_csv(const struct rpt_table *t, struct mw_buf *out) {
  int rc = mw_buf_puts(out,
                       "\r\nrow_type,target,period,first_day,last_day,"
                       "unit,count,min,percent,status,status_zh\r\n");
  for (size_t i = 0; !rc && i < t->n_target_rows; i++) {
    const struct rpt_target_row *r = &t->target_rows[i];
    char pct[32];
    rpt_target_format_pct(r->pct_tenths, pct, sizeof pct);
    pct[strlen(pct) - 1] = '\0'; /* the number without % */
    rc = mw_buf_puts(out, "target,");
    if (!rc) rc = rpt_csv_field(out, r->name);
    if (!rc)
      rc = mw_buf_printf(out, ",%s,%s,%s,%s,%lld,%lld,%s,%s,%s\r\n",
                         r->period, r->first, r->last,
                         r->stories ? "stories" : "articles",
                         (long long)r->count, (long long)r->min, pct,
                         mw_target_status_name(r->status),
                         mw_target_status_zh(r->status));
  }
  return rc;
}
