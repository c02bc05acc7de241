/*
 * api_report.c: GET /api/report, the full coverage report of a period in
 * Markdown, CSV, JSON or HTML, exactly as `mediawatch report` writes it;
 * with download=1 as an attachment named after the period
 * ("mediawatch-2026-W47.html").
 *
 * The HTML report is a page of its own with inline style and no script,
 * served under the report's Content-Security-Policy (MW_CSP_REPORT).
 *
 * What it leaves to others: the period arguments (mw_web_period),
 * gathering and rendering (mw_report_build, report/).
 */
#include <stdio.h>
#include <string.h>

#include "web/api_args.h"

static const char *content_type(enum mw_report_format f) {
  switch (f) {
    case MW_REPORT_MD: return "text/markdown; charset=utf-8";
    case MW_REPORT_CSV: return "text/csv; charset=utf-8";
    case MW_REPORT_JSON: return "application/json";
    case MW_REPORT_HTML: break;
  }
  return "text/html; charset=utf-8";
}

int mw_web_api_report(struct mw_web_req *r, struct mw_web_resp *o) {
  const struct mw_config *cfg = r->web->cfg;
  struct mw_err err = {0};
  struct mw_report_period p;
  enum mw_report_format fmt = MW_REPORT_HTML;
  const char *f = mw_web_arg(r, "format");
  if (f && *f && (strnlen(f, 8) > 4 || mw_report_format_parse(f, &fmt)))
    return mw_web_reply_error(o, 400, "invalid",
                              "format: give md, csv, json or html");
  const char *dl = mw_web_arg(r, "download");
  bool download = dl && (!strcmp(dl, "1") || !strcmp(dl, "true"));
  if (dl && *dl && !download && strcmp(dl, "0") && strcmp(dl, "false"))
    return mw_web_reply_error(o, 400, "invalid", "download: give 1 or 0");
  if (mw_web_period(r, &p, &err))
    return mw_web_reply_error(o, 400, "invalid", "%s", err.msg);
  struct mw_buf text;
  mw_buf_init(&text, MW_WEB_REPLY_MAX);
  int rc = mw_report_build(cfg, r->store, &p, fmt, &text, &err);
  if (!rc && !text.data) rc = mw_buf_puts(&text, "");
  if (rc) {
    mw_buf_cleanup(&text);
    return mw_web_api_fail(o, rc, &err);
  }
  if (download) {
    char label[48], value[128];
    mw_web_api_period_label(cfg->tz, &p, "_", label, sizeof label);
    snprintf(value, sizeof value, "attachment; filename=\"mediawatch-%s.%s\"",
             label, mw_report_format_ext(fmt));
    if (mw_web_resp_header(o, "Content-Disposition", value)) {
      mw_buf_cleanup(&text);
      return MW_ENOMEM;
    }
  }
  mw_buf_cleanup(&o->body);
  o->body = text;
  o->status = 200;
  o->type = content_type(fmt);
  o->csp = fmt == MW_REPORT_HTML ? MW_CSP_REPORT : MW_CSP_API;
  return MW_OK;
}
