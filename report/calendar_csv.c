/*
 * calendar_csv.c: the campaign calendar section as CSV rows in the
 * report's file, after an empty line and its own header; column A is
 * "calendar" so a spreadsheet filter picks the section. One row per event
 * and topic; topic "" is all articles. Per-day figures carry one decimal.
 *
 * What it leaves to others: the content (calendar_sections.c), escaping
 * (escape.c).
 */
#include "report/report_int.h"

static int row(struct mw_buf *out, const struct rpt_cal_row *r,
               const char *topic, const struct rpt_cal_count *c) {
  int rc = mw_buf_puts(out, "calendar,");
  if (!rc) rc = rpt_csv_field(out, r->name);
  if (!rc)
    rc = mw_buf_printf(out, ",%s,%s,%d,%s,", r->first, r->last, r->n_days,
                       rpt_cal_where_name(r->where));
  if (!rc) rc = rpt_csv_field(out, topic);
  char a[32], b[32];
  rpt_cal_format_tenths(c->during_day10, a, sizeof a);
  rpt_cal_format_tenths(c->lead_day10, b, sizeof b);
  if (!rc)
    rc = mw_buf_printf(out, ",%lld,%lld,%s,%s,%s\r\n", (long long)c->during,
                       (long long)c->lead, a, b, rpt_cal_trend_name(c->trend));
  return rc;
}

int rpt_calendar_csv(const struct rpt_table *t, struct mw_buf *out) {
  const struct rpt_calendar *cal = t->calendar;
  int rc = mw_buf_puts(out,
                       "\r\nrow_type,event,first_day,last_day,days,"
                       "relation,topic,during,lead,during_per_day,"
                       "lead_per_day,trend\r\n");
  for (size_t i = 0; !rc && i < cal->n_rows; i++) {
    const struct rpt_cal_row *r = &cal->rows[i];
    rc = row(out, r, "", &r->all);
    for (size_t k = 0; !rc && k < t->n_topics; k++)
      rc = row(out, r, t->topics[k].name, &r->topics[k]);
  }
  return rc;
}
