/*
 * report.h: coverage reports, rendered from what the store counted.
 *
 * Pure functions: numbers and the config in, text out. The report never
 * queries the store itself, so it is tested from fixed inputs; the caller
 * (cli/) asks the store for the period's coverage, and for what the other
 * sections show (struct mw_report_input), and hands it over.
 */
#ifndef MW_REPORT_H
#define MW_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "common/common.h"
#include "store/store.h"

enum mw_report_format {
  MW_REPORT_MD,
  MW_REPORT_CSV,  /* UTF-8 with a BOM so Excel and WPS open it cleanly */
  MW_REPORT_JSON,
  MW_REPORT_HTML, /* one self-contained page: inline CSS and SVG, no script */
};

/* "md", "csv", "json", "html"; MW_EINVAL for anything else. */
int mw_report_format_parse(const char *s, enum mw_report_format *out);
/* File extension without the dot. */
const char *mw_report_format_ext(enum mw_report_format f);

/* The period a report covers, in the config's zone. */
struct mw_report_period {
  int iso_year, iso_week; /* 0 when the period is not a week */
  int64_t from, to;       /* [from, to) epoch s */
  int year, month;        /* the calendar month; 0 when not a month */
};

/* The period of ISO week (iso_year, iso_week) in zone tz. */
int mw_report_week_period(const struct mw_tz *tz, int iso_year, int iso_week,
                          struct mw_report_period *out, struct mw_err *err);

/* The period of calendar month (year, month) in zone tz. */
int mw_report_month_period(const struct mw_tz *tz, int year, int month,
                           struct mw_report_period *out, struct mw_err *err);
/* The period from local day first to local day last, both "YYYY-MM-DD"
 * and both included; at most MW_REPORT_MAX_DAYS days. The error names the
 * bad date. */
#define MW_REPORT_MAX_DAYS 366
int mw_report_range_period(const struct mw_tz *tz, const char *first,
                           const char *last, struct mw_report_period *out,
                           struct mw_err *err);
/* The period the change is measured against: the week before a week, the
 * month before a month, else as many days right before. */
int mw_report_prev_period(const struct mw_tz *tz,
                          const struct mw_report_period *p,
                          struct mw_report_period *out, struct mw_err *err);
/* The local midnights cutting p into days: *bounds (malloc'd, free it)
 * gets *n_days + 1 instants, the first p->from and the last p->to. */
int mw_report_period_days(const struct mw_tz *tz,
                          const struct mw_report_period *p, int64_t **bounds,
                          size_t *n_days, struct mw_err *err);

/* Writes the weekly coverage report: header (office, period, week number),
 * totals with the change from the previous period (prev may be NULL), then
 * the table of outlets by topic grouped by tier with a subtotal per tier and
 * a grand total. Every outlet and topic of the config appears, zeros
 * included; outlets and topics found in the store but no longer in the
 * config are listed too. Text from crawled pages is escaped for the format.
 * Appends to out (the caller owns it). */
int mw_report_coverage(const struct mw_config *cfg,
                       const struct mw_report_period *period,
                       const struct mw_coverage *cov,
                       const struct mw_coverage *prev,
                       enum mw_report_format fmt, struct mw_buf *out,
                       struct mw_err *err);

/* Everything the full report shows beside the coverage table, gathered
 * from the store by the caller. A section whose has_ flag is false is left
 * out (mw_report_coverage leaves them all out); true with no rows says so
 * in the report ("无"). Nothing here is owned by the report. */
struct mw_report_input {
  const struct mw_coverage *cov;  /* the period; required */
  const struct mw_coverage *prev; /* the previous period; may be NULL */
  /* Articles per day of the period (mw_store_coverage_daily over
   * mw_report_period_days). */
  bool has_daily;
  const struct mw_coverage_daily *daily;
  /* Top stories: mw_store_top_clusters of the period. */
  bool has_top;
  const struct mw_cluster *top;
  size_t n_top;
  /* Sensitive opinion: the alerts created in the period (counted by level
   * and state), and the alerts open as the report is made, whenever they
   * were raised (listed, overdue ones marked). */
  bool has_alerts;
  const struct mw_alert_rec *alerts;
  size_t n_alerts;
  const struct mw_alert_rec *open;
  size_t n_open;
  /* Sources polled in the period without one success. */
  bool has_failed;
  const struct mw_failed_source *failed;
  size_t n_failed;
};

/* The full report: header, totals and change, the coverage table, then
 * coverage per day, top stories, sensitive opinion and failed sources as
 * in gives them. Same contract as mw_report_coverage otherwise. */
int mw_report_write(const struct mw_config *cfg,
                    const struct mw_report_period *period,
                    const struct mw_report_input *in,
                    enum mw_report_format fmt, struct mw_buf *out,
                    struct mw_err *err);

#endif
