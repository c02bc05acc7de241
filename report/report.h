/*
 * report.h: coverage reports, rendered from what the store counted.
 *
 * Pure functions: numbers and the config in, text out. The report never
 * queries the store itself, so it is tested from fixed inputs; the caller
 * (cli/) asks the store for the period's coverage and hands it over.
 */
#ifndef MW_REPORT_H
#define MW_REPORT_H

#include <stdint.h>

#include "common/common.h"
#include "store/store.h"

enum mw_report_format {
  MW_REPORT_MD,
  MW_REPORT_CSV,  /* UTF-8 with a BOM so Excel and WPS open it cleanly */
  MW_REPORT_JSON,
};

/* "md", "csv", "json"; MW_EINVAL for anything else. */
int mw_report_format_parse(const char *s, enum mw_report_format *out);
/* File extension without the dot. */
const char *mw_report_format_ext(enum mw_report_format f);

/* The period a report covers, in the config's zone. */
struct mw_report_period {
  int iso_year, iso_week; /* 0 when the period is not a week */
  int64_t from, to;       /* [from, to) epoch s */
};

/* The period of ISO week (iso_year, iso_week) in zone tz. */
int mw_report_week_period(const struct mw_tz *tz, int iso_year, int iso_week,
                          struct mw_report_period *out, struct mw_err *err);

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

#endif
