/*
 * calendar_int.h (private to report/): the campaign calendar section laid
 * out once (calendar_sections.c) for the four renderers (calendar_md.c,
 * calendar_csv.c, calendar_json.c, calendar_html.c). Included at the end
 * of report_int.h, so struct rpt_table is complete here.
 */
#ifndef MW_REPORT_CALENDAR_INT_H
#define MW_REPORT_CALENDAR_INT_H

/* Articles in an event's days against the lead days before it. */
struct rpt_cal_count {
  int64_t during, lead;
  /* Articles per day in tenths, rounded half up: during over the event's
   * days, lead over MW_CALENDAR_LEAD_DAYS. */
  int64_t during_day10, lead_day10;
  int trend; /* 1 rose (more per day than before), 0 flat, -1 fell */
};

struct rpt_cal_row {
  const char *name;
  char first[16], last[16]; /* "2023-05-22" */
  int n_days;
  int where;    /* -1 before the period, 0 in it, 1 after it */
  bool yearly;  /* a fixed date every year */
  struct rpt_cal_count all;     /* every article */
  struct rpt_cal_count *topics; /* t->n_topics, table order */
};

struct rpt_calendar {
  struct rpt_cal_row *rows; /* by first day */
  size_t n_rows;
};

/* Lays out in->calendar into t->calendar (in t's arena). */
int rpt_calendar_build(struct rpt_table *t, const struct mw_report_input *in,
                       struct mw_err *err);
/* "本期前", "本期内", "本期后"; and "before", "during", "after". */
const char *rpt_cal_where_zh(int where);
const char *rpt_cal_where_name(int where);
/* "上升", "持平", "下降"; and "up", "flat", "down". */
const char *rpt_cal_trend_zh(int trend);
const char *rpt_cal_trend_name(int trend);
/* "1.4" from tenths. */
void rpt_cal_format_tenths(int64_t tenths, char *buf, size_t n);

int rpt_calendar_md(const struct rpt_table *t, struct mw_buf *out);
int rpt_calendar_csv(const struct rpt_table *t, struct mw_buf *out);
int rpt_calendar_json(const struct rpt_table *t, struct json_t *root);
int rpt_calendar_html(const struct rpt_table *t, struct mw_buf *out);

#endif
