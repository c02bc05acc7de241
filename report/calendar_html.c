/*
 * calendar_html.c: the campaign calendar section of the HTML report: a
 * table with one row group per event (its name, days and relation to the
 * period spanning the topic rows), the articles of the event's days and
 * of the days before, per day, and the trend marked up or down. No events
 * near the period says so in a line.
 *
 * What it leaves to others: the content (calendar_sections.c), the page
 * and its CSS (html.c), escaping (escape.c).
 */
#include "report/report_int.h"

static int cells(struct mw_buf *out, const char *topic,
                 const struct rpt_cal_count *c) {
  char a[32], b[32];
  rpt_cal_format_tenths(c->during_day10, a, sizeof a);
  rpt_cal_format_tenths(c->lead_day10, b, sizeof b);
  int rc = mw_buf_puts(out, "<td>");
  if (!rc) rc = rpt_html_text(out, topic);
  if (!rc)
    rc = mw_buf_printf(out,
                       "</td><td class=\"n\">%lld</td><td class=\"n\">%lld"
                       "</td><td class=\"n\">%s / %s</td><td style=\"color:"
                       "%s\">%s</td></tr>\n",
                       (long long)c->during, (long long)c->lead, a, b,
                       c->trend > 0 ? "#1a7f37" : c->trend < 0 ? "#b42318"
                                                               : "#555",
                       rpt_cal_trend_zh(c->trend));
  return rc;
}

int rpt_calendar_html(const struct rpt_table *t, struct mw_buf *out) {
  const struct rpt_calendar *cal = t->calendar;
  int rc = mw_buf_printf(out,
                         "<div class=\"section\" id=\"calendar\">\n"
                         "<h2>宣传节点（本期前后%d天）</h2>\n",
                         MW_CALENDAR_NEAR_DAYS);
  if (!rc && cal->n_rows == 0)
    return mw_buf_puts(out, "<p>本期前后无宣传节点。</p>\n</div>\n");
  if (!rc)
    rc = mw_buf_printf(out,
                       "<p>节点期间与节点前%d天的报道量，日均比较。</p>\n"
                       "<div class=\"scroll\"><table>\n<thead><tr><th>节点"
                       "</th><th>日期</th><th class=\"n\">天数</th><th>与本期"
                       "</th><th>主题</th><th class=\"n\">节点期间</th>"
                       "<th class=\"n\">节点前%d天</th><th class=\"n\">日均"
                       "（期间 / 节点前）</th><th>走势</th></tr></thead>\n",
                       MW_CALENDAR_LEAD_DAYS, MW_CALENDAR_LEAD_DAYS);
  for (size_t i = 0; !rc && i < cal->n_rows; i++) {
    const struct rpt_cal_row *r = &cal->rows[i];
    size_t span = t->n_topics + 1;
    rc = mw_buf_printf(out, "<tbody>\n<tr><td rowspan=\"%zu\">", span);
    if (!rc) rc = rpt_html_text(out, r->name);
    if (!rc)
      rc = mw_buf_printf(out,
                         "</td><td rowspan=\"%zu\">%s%s%s</td><td "
                         "rowspan=\"%zu\" class=\"n\">%d</td><td "
                         "rowspan=\"%zu\">%s</td>",
                         span, r->first, r->n_days > 1 ? "至" : "",
                         r->n_days > 1 ? r->last : "", span, r->n_days, span,
                         rpt_cal_where_zh(r->where));
    if (!rc) rc = cells(out, "全部稿件", &r->all);
    for (size_t k = 0; !rc && k < t->n_topics; k++) {
      rc = mw_buf_puts(out, "<tr>");
      if (!rc) rc = cells(out, t->topics[k].name, &r->topics[k]);
    }
    if (!rc) rc = mw_buf_puts(out, "</tbody>\n");
  }
  return rc ? rc : mw_buf_puts(out, "</table></div>\n</div>\n");
}
