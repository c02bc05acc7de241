/*
 * coverage.c: the entry point of the report: checks the inputs, has
 * table.c and sections.c lay out the table and the sections, and hands
 * them to the renderer of the format asked for. A failed render leaves the
 * caller's buffer as it was.
 *
 * What it leaves to others: layout and totals (table.c, sections.c), each
 * format's syntax (coverage_*.c, sections_*.c, html*.c), escaping
 * (escape.c).
 */
#include <string.h>

#include "report/report_int.h"

static const char *const format_names[] = {
    [MW_REPORT_MD] = "md",
    [MW_REPORT_CSV] = "csv",
    [MW_REPORT_JSON] = "json",
    [MW_REPORT_HTML] = "html",
};

#define N_FORMATS (sizeof format_names / sizeof format_names[0])

int mw_report_format_parse(const char *s, enum mw_report_format *out) {
  for (size_t i = 0; s && i < N_FORMATS; i++) {
    if (!strcmp(s, format_names[i])) {
      *out = (enum mw_report_format)i;
      return MW_OK;
    }
  }
  return MW_EINVAL;
}

const char *mw_report_format_ext(enum mw_report_format f) {
  return (unsigned)f < N_FORMATS ? format_names[f] : "txt";
}

int mw_report_coverage(const struct mw_config *cfg,
                       const struct mw_report_period *period,
                       const struct mw_coverage *cov,
                       const struct mw_coverage *prev,
                       enum mw_report_format fmt, struct mw_buf *out,
                       struct mw_err *err) {
  struct mw_report_input in = {.cov = cov, .prev = prev};
  return mw_report_write(cfg, period, &in, fmt, out, err);
}

int mw_report_write(const struct mw_config *cfg,
                    const struct mw_report_period *period,
                    const struct mw_report_input *in, enum mw_report_format fmt,
                    struct mw_buf *out, struct mw_err *err) {
  if (!cfg || !period || !in || !in->cov || !out)
    return mw_err_set(err, MW_EINVAL,
                      "report: missing config, period, coverage or output");
  if (period->to <= period->from)
    return mw_err_set(err, MW_EINVAL,
                      "report: the period ends (%lld) before it starts (%lld)",
                      (long long)period->to, (long long)period->from);
  if ((unsigned)fmt >= N_FORMATS)
    return mw_err_set(err, MW_EINVAL, "report: unknown format %d", (int)fmt);
  if ((in->n_top && !in->top) || (in->n_alerts && !in->alerts) ||
      (in->n_open && !in->open) || (in->n_failed && !in->failed))
    return mw_err_set(err, MW_EINVAL,
                      "report: a section has rows but no "
                      "array");

  struct rpt_table t;
  int rc = rpt_table_build(&t, cfg, period, in->cov, in->prev, err);
  if (!rc) rc = rpt_sections_build(&t, cfg, in, err);
  if (rc) {
    rpt_table_cleanup(&t);
    return rc;
  }
  size_t start = out->len;
  switch (fmt) {
    case MW_REPORT_MD: rc = rpt_coverage_md(&t, out); break;
    case MW_REPORT_CSV: rc = rpt_coverage_csv(&t, out); break;
    case MW_REPORT_JSON: rc = rpt_coverage_json(&t, out); break;
    case MW_REPORT_HTML: rc = rpt_html(&t, out); break;
  }
  rpt_table_cleanup(&t);
  if (!rc) return MW_OK;
  /* Nothing half-written. */
  out->len = start;
  if (out->data) out->data[start] = '\0';
  if (rc == MW_ETOOBIG)
    return mw_err_set(err, rc,
                      "report: the %s report is larger than the output limit "
                      "(%zu bytes)",
                      format_names[fmt], out->max);
  return mw_err_set(err, rc, "report: cannot write the %s report: %s",
                    format_names[fmt], mw_strerror(rc));
}
