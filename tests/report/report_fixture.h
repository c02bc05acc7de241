/* A fixed input for the full report (report/ through mw_report_write):
 * a config, ISO week 2023-W19 in Asia/Shanghai, coverage of the week and
 * the one before, articles per day, top stories, alerts and a failed
 * source, with hostile titles from "crawled pages" in every section.
 * Shared by test_report.c (golden files, escaping) and test_html.c. */
#ifndef MW_TESTS_REPORT_FIXTURE_H
#define MW_TESTS_REPORT_FIXTURE_H

#include "report/report.h"

#define XSS_SCRIPT "<script>alert(1)</script>"
#define XSS_IMG "\"><img src=x onerror=alert(1)>"

struct rf {
  struct mw_tz *tz;
  struct mw_config cfg;
  struct mw_report_period period;
  struct mw_coverage cov, prev;
  struct mw_coverage_daily daily;
  struct mw_report_input in;
  struct mw_buf out;
};

/* Fills f (the arrays are static); fails the test on error. */
void rf_init(struct rf *f);
void rf_cleanup(struct rf *f);
/* Renders f->in in fmt into f->out (reset first); fails on error. */
void rf_render(struct rf *f, enum mw_report_format fmt);
/* Compares with tests/data/report/NAME, or rewrites it when
 * MW_UPDATE_GOLDEN=1. */
void rf_check_golden(const char *name, const char *got, size_t len);

#endif
