/*
 * targets_md.c: the target attainment section (目标完成情况) in Markdown:
 * one table, the behind ones first, with the count so far, the minimum,
 * the percentage and the status. No targets says so in a line.
 *
 * What it leaves to others: the content and order (targets.c), escaping
 * (escape.c).
 */
#include "report/report_int.h"

int rpt_targets_md(const struct rpt_table *t, struct mw_buf *out) {
  int rc = mw_buf_puts(out, "\n## 目标完成情况\n\n");
  if (!rc && t->n_target_rows == 0) return mw_buf_puts(out, "无\n");
  if (!rc)
    rc = mw_buf_puts(out,
                     "| 目标 | 周期 | 起止 | 完成 | 最低 | 完成率 | 状态 |\n"
                     "| --- | --- | --- | ---: | ---: | ---: | --- |\n");
  for (size_t i = 0; !rc && i < t->n_target_rows; i++) {
    const struct rpt_target_row *r = &t->target_rows[i];
    char pct[32];
    rpt_target_format_pct(r->pct_tenths, pct, sizeof pct);
    rc = mw_buf_puts(out, "| ");
    if (!rc) rc = rpt_md_text(out, r->name);
    if (!rc)
      rc = mw_buf_printf(out, " | %s | %s至%s | %lld%s | %lld | %s | %s |\n",
                         rpt_target_period_zh(r->period), r->first, r->last,
                         (long long)r->count, r->stories ? "（条新闻）" : "",
                         (long long)r->min, pct,
                         mw_target_status_zh(r->status));
  }
  return rc;
}
