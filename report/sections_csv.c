/*
 * sections_csv.c: the sections after the coverage table as CSV, in the
 * same file: each section is an empty line, its own header row, then its
 * rows, and the first column names the kind of row ("day", "story",
 * "alert_count", "open_alert", "failed_source") so a spreadsheet filter
 * on column A picks one section. Text fields go through rpt_csv_field
 * (quoting, formula neutralising); numbers and dates are written as they
 * are.
 *
 * What it leaves to others: the content (sections.c), escaping (escape.c).
 */
#include "report/report_int.h"

/* ",field" */
static int field(struct mw_buf *out, const char *s) {
  int rc = mw_buf_putc(out, ',');
  return rc ? rc : rpt_csv_field(out, s);
}

static int csv_daily(const struct rpt_table *t, struct mw_buf *out) {
  int rc = mw_buf_puts(out, "\r\nrow_type,date,weekday,all");
  for (size_t i = 0; !rc && i < t->n_topics; i++)
    rc = field(out, t->topics[i].name);
  if (!rc) rc = mw_buf_puts(out, "\r\n");
  for (size_t d = 0; !rc && d < t->n_days; d++) {
    const struct rpt_day *day = &t->days[d];
    rc = mw_buf_printf(out, "day,%s,%d,%lld", day->date, day->wday + 1,
                       (long long)day->all);
    for (size_t i = 0; !rc && i < t->n_topics; i++)
      rc = mw_buf_printf(out, ",%lld", (long long)day->topics[i]);
    if (!rc) rc = mw_buf_puts(out, "\r\n");
  }
  return rc;
}

static int csv_top(const struct rpt_table *t, struct mw_buf *out) {
  int rc = mw_buf_puts(out,
                       "\r\nrow_type,rank,title,original_outlet,"
                       "first_seen,outlet_count,article_count,"
                       "outlets\r\n");
  struct mw_buf joined;
  mw_buf_init(&joined, out->max);
  for (size_t i = 0; !rc && i < t->n_stories; i++) {
    const struct rpt_story *s = &t->stories[i];
    mw_buf_reset(&joined);
    for (size_t j = 0; !rc && j < s->n_outlets; j++) {
      if (j) rc = mw_buf_puts(&joined, "、");
      if (!rc) rc = mw_buf_puts(&joined, s->outlets[j]);
    }
    if (!rc) rc = mw_buf_printf(out, "story,%zu", i + 1);
    if (!rc) rc = field(out, s->title);
    if (!rc) rc = field(out, s->original_outlet);
    if (!rc)
      rc = mw_buf_printf(out, ",%s,%lld,%lld", s->first_seen,
                         (long long)s->outlet_count,
                         (long long)s->article_count);
    if (!rc) rc = field(out, joined.data ? joined.data : "");
    if (!rc) rc = mw_buf_puts(out, "\r\n");
  }
  mw_buf_cleanup(&joined);
  return rc;
}

static int csv_alerts(const struct rpt_table *t, struct mw_buf *out) {
  int rc = mw_buf_puts(out, "\r\nrow_type,level,level_label");
  for (int st = 0; !rc && st < MW_STATE_COUNT; st++)
    rc =
        mw_buf_printf(out, ",%s", mw_alert_state_name((enum mw_alert_state)st));
  if (!rc) rc = mw_buf_puts(out, ",all\r\n");
  for (int lv = RPT_LEVELS; !rc && lv >= 1; lv--) {
    rc = mw_buf_printf(out, "alert_count,%d,%s", lv,
                       mw_alert_level_label_zh((enum mw_alert_level)lv));
    for (int st = 0; !rc && st < MW_STATE_COUNT; st++)
      rc = mw_buf_printf(out, ",%lld", (long long)t->alert_counts[lv - 1][st]);
    if (!rc)
      rc = mw_buf_printf(out, ",%lld\r\n",
                         (long long)t->alert_level_totals[lv - 1]);
  }
  if (!rc)
    rc = mw_buf_puts(out,
                     "\r\nrow_type,id,level,level_label,state,"
                     "state_label,title,region,assignee,created,due,"
                     "overdue,url\r\n");
  for (size_t i = 0; !rc && i < t->n_open; i++) {
    const struct rpt_alert *a = &t->open_alerts[i];
    rc = mw_buf_printf(out, "open_alert,%lld,%d,%s", (long long)a->id, a->level,
                       a->level_zh);
    if (!rc) rc = field(out, a->state);
    if (!rc) rc = field(out, a->state_zh);
    if (!rc) rc = field(out, a->title);
    if (!rc) rc = field(out, a->region);
    if (!rc) rc = field(out, a->assignee);
    if (!rc)
      rc = mw_buf_printf(out, ",%s,%s,%s", a->created, a->due,
                         a->overdue ? "yes" : "no");
    if (!rc) rc = field(out, a->url);
    if (!rc) rc = mw_buf_puts(out, "\r\n");
  }
  return rc;
}

static int csv_failed(const struct rpt_table *t, struct mw_buf *out) {
  int rc = mw_buf_puts(out,
                       "\r\nrow_type,outlet,tier,tier_label,url,"
                       "failures,last_ok,last_status,last_error\r\n");
  for (size_t i = 0; !rc && i < t->n_failed; i++) {
    const struct rpt_failed *f = &t->failed[i];
    rc = mw_buf_puts(out, "failed_source");
    if (!rc) rc = field(out, f->outlet);
    if (!rc)
      rc = mw_buf_printf(out, ",%s,%s", mw_tier_name(f->tier),
                         mw_tier_label_zh(f->tier));
    if (!rc) rc = field(out, f->url);
    if (!rc)
      rc = mw_buf_printf(out, ",%lld,%s,%lld", (long long)f->failures,
                         f->last_ok, (long long)f->last_status);
    if (!rc) rc = field(out, f->last_error);
    if (!rc) rc = mw_buf_puts(out, "\r\n");
  }
  return rc;
}

int rpt_sections_csv(const struct rpt_table *t, struct mw_buf *out) {
  int rc = MW_OK;
  if (t->has_targets) rc = rpt_targets_csv(t, out);
  if (!rc && t->has_daily) rc = csv_daily(t, out);
  if (!rc && t->has_top) rc = csv_top(t, out);
  if (!rc && t->calendar) rc = rpt_calendar_csv(t, out);
  if (!rc && t->has_alerts) rc = csv_alerts(t, out);
  if (!rc && t->has_failed) rc = csv_failed(t, out);
  return rc;
}
