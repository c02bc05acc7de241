/*
 * targets_html.c: the target attainment section of the HTML report: a
 * table, the behind ones first, each target with a progress bar (nested
 * divs, the width an inline percentage, no script), coloured by status,
 * and a tick where the pro-rated share of the period lies.
 *
 * What it leaves to others: the content and order (targets.c), escaping
 * (escape.c), the page and its stylesheet (html.c).
 */
#include "report/report_int.h"

static const char *color(enum mw_target_status s) {
  switch (s) {
    case MW_TARGET_MISSED: return "#b42318";
    case MW_TARGET_BEHIND: return "#d97706";
    case MW_TARGET_ON_TRACK: return "#2563eb";
    case MW_TARGET_MET: return "#1a7f37";
  }
  return "#555";
}

static int bar(struct mw_buf *out, const struct rpt_target_row *r) {
  int64_t w = r->pct_tenths > 1000 ? 1000 : r->pct_tenths;
  return mw_buf_printf(
      out,
      "<div style=\"position:relative;background:#eee;height:12px;"
      "min-width:120px;border-radius:3px\"><div style=\"width:%lld.%lld%%;"
      "height:12px;background:%s;border-radius:3px\"></div><div style=\""
      "position:absolute;top:-2px;left:%lld.%lld%%;width:2px;height:16px;"
      "background:#333\" title=\"进度\"></div></div>",
      (long long)(w / 10), (long long)(w % 10), color(r->status),
      (long long)(r->elapsed_tenths / 10), (long long)(r->elapsed_tenths % 10));
}

int rpt_targets_html(const struct rpt_table *t, struct mw_buf *out) {
  int rc = mw_buf_puts(out, "<div class=\"section\" id=\"targets\">\n"
                            "<h2>目标完成情况</h2>\n");
  if (!rc && t->n_target_rows == 0)
    return mw_buf_puts(out, "<p>无</p>\n</div>\n");
  if (!rc)
    rc = mw_buf_puts(out,
                     "<div class=\"scroll\"><table>\n<thead><tr><th>目标</th>"
                     "<th>周期</th><th>起止</th><th class=\"n\">完成</th>"
                     "<th class=\"n\">最低</th><th class=\"n\">完成率</th>"
                     "<th>进度</th><th>状态</th></tr></thead>\n<tbody>\n");
  for (size_t i = 0; !rc && i < t->n_target_rows; i++) {
    const struct rpt_target_row *r = &t->target_rows[i];
    char pct[32];
    rpt_target_format_pct(r->pct_tenths, pct, sizeof pct);
    rc = mw_buf_puts(out, "<tr><td>");
    if (!rc) rc = rpt_html_text(out, r->name);
    if (!rc)
      rc = mw_buf_printf(out,
                         "</td><td>%s</td><td>%s至%s</td><td class=\"n\">"
                         "%lld%s</td><td class=\"n\">%lld</td><td class=\"n\">"
                         "%s</td><td>",
                         rpt_target_period_zh(r->period), r->first, r->last,
                         (long long)r->count, r->stories ? "（条新闻）" : "",
                         (long long)r->min, pct);
    if (!rc) rc = bar(out, r);
    if (!rc)
      rc = mw_buf_printf(out,
                         "</td><td style=\"color:%s;font-weight:bold\">%s"
                         "</td></tr>\n",
                         color(r->status), mw_target_status_zh(r->status));
  }
  return rc ? rc : mw_buf_puts(out, "</tbody>\n</table></div>\n</div>\n");
}
