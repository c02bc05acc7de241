/*
 * calendar_md.c: the campaign calendar section in Markdown: one table, a
 * line per event and topic (all articles first), with the articles of the
 * event's days, of the days before, both per day, and the trend. No
 * events near the period says so in a line.
 *
 * What it leaves to others: the content (calendar_sections.c), escaping
 * (escape.c).
 */
#include "report/report_int.h"

static int line(struct mw_buf *out, const struct rpt_cal_row *r,
                const char *topic, const struct rpt_cal_count *c, bool head) {
  int rc = mw_buf_puts(out, "| ");
  if (!rc && head) rc = rpt_md_text(out, r->name);
  if (!rc && head)
    rc = mw_buf_printf(out, " | %s%s%s | %d | %s | ", r->first,
                       r->n_days > 1 ? "至" : "", r->n_days > 1 ? r->last : "",
                       r->n_days, rpt_cal_where_zh(r->where));
  else if (!rc)
    rc = mw_buf_puts(out, " |  |  |  | ");
  if (!rc) rc = rpt_md_text(out, topic);
  char a[32], b[32];
  rpt_cal_format_tenths(c->during_day10, a, sizeof a);
  rpt_cal_format_tenths(c->lead_day10, b, sizeof b);
  if (!rc)
    rc = mw_buf_printf(out, " | %lld | %lld | %s / %s | %s |\n",
                       (long long)c->during, (long long)c->lead, a, b,
                       rpt_cal_trend_zh(c->trend));
  return rc;
}

int rpt_calendar_md(const struct rpt_table *t, struct mw_buf *out) {
  const struct rpt_calendar *cal = t->calendar;
  int rc = mw_buf_printf(out,
                         "\n## 宣传节点（本期前后%d天）\n\n",
                         MW_CALENDAR_NEAR_DAYS);
  if (!rc && cal->n_rows == 0)
    return mw_buf_puts(out, "本期前后无宣传节点。\n");
  if (!rc)
    rc = mw_buf_printf(out,
                       "节点期间与节点前%d天的报道量，日均比较。\n\n"
                       "| 节点 | 日期 | 天数 | 与本期 | 主题 | 节点期间 "
                       "| 节点前%d天 | 日均（期间 / 节点前） | 走势 |\n"
                       "| --- | --- | ---: | --- | --- | ---: | ---: "
                       "| ---: | --- |\n",
                       MW_CALENDAR_LEAD_DAYS, MW_CALENDAR_LEAD_DAYS);
  for (size_t i = 0; !rc && i < cal->n_rows; i++) {
    const struct rpt_cal_row *r = &cal->rows[i];
    rc = line(out, r, "全部稿件", &r->all, true);
    for (size_t k = 0; !rc && k < t->n_topics; k++)
      rc = line(out, r, t->topics[k].name, &r->topics[k], false);
  }
  return rc;
}
