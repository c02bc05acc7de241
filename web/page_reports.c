/*
 * page_reports.c: 报告 (GET /reports): the periods people ask reports of,
 * this week, the four weeks before, this month and last month (in the
 * config's zone), each with a link to view the HTML report in the browser
 * and links to download it as Markdown, CSV, JSON or HTML. The reports
 * themselves come from GET /api/report (api_report.c).
 */
#include <stdio.h>

#include "web/page_int.h"

#define WEEKS_BACK 4

static const char *const formats[] = {"md", "csv", "json", "html"};

/* A row: label, the period's query ("week=2026-W48") and its days. */
static int put_row(struct mw_buf *b, const char *label, const char *query,
                   const char *days) {
  int rc = mw_buf_printf(b,
                         "<tr data-period=\"%s\"><td>%s</td><td>%s</td>"
                         "<td><a class=\"view\" href=\"/api/report?%s&amp;"
                         "format=html\">查看</a></td><td class=\"dl\">",
                         query, label, days, query);
  for (size_t i = 0; !rc && i < sizeof formats / sizeof formats[0]; i++)
    rc = mw_buf_printf(b,
                       "<a href=\"/api/report?%s&amp;format=%s&amp;"
                       "download=1\" data-format=\"%s\" download>%s</a> ",
                       query, formats[i], formats[i], formats[i]);
  if (!rc) rc = mw_buf_puts(b, "</td></tr>\n");
  return rc;
}

static int put_week(struct mw_buf *b, int64_t monday_days, const char *label) {
  int y, m, d, iy, iw, ey, em, ed;
  mw_civil_from_days(monday_days, &y, &m, &d);
  mw_civil_from_days(monday_days + 6, &ey, &em, &ed);
  mw_iso_week_of(y, m, d, &iy, &iw);
  char query[32], days[48], text[64];
  snprintf(query, sizeof query, "week=%04d-W%02d", iy, iw);
  snprintf(days, sizeof days, "%04d-%02d-%02d 至 %04d-%02d-%02d", y, m, d, ey,
           em, ed);
  snprintf(text, sizeof text, "%s（%04d-W%02d）", label, iy, iw);
  return put_row(b, text, query, days);
}

static int put_month(struct mw_buf *b, int year, int month, const char *label) {
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int last = mdays[month - 1];
  if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
    last = 29;
  char query[32], days[48], text[64];
  snprintf(query, sizeof query, "month=%04d-%02d", year, month);
  snprintf(days, sizeof days, "%04d-%02d-01 至 %04d-%02d-%02d", year, month,
           year, month, last);
  snprintf(text, sizeof text, "%s（%04d年%d月）", label, year, month);
  return put_row(b, text, query, days);
}

int mw_web_page_reports(struct mw_web_req *r, struct mw_web_resp *o) {
  struct mw_civil c;
  mw_tz_to_civil(r->web->cfg->tz, r->now, &c);
  int64_t monday = mw_days_from_civil(c.year, c.month, c.day) - (c.weekday - 1);
  struct mw_buf *b = &o->body;
  int rc = mw_web_page_begin(b, r, "报告", "reports");
  if (!rc)
    rc = mw_buf_puts(b,
                     "<p class=\"note\">报告按配置的时区统计；“查看”在浏览器"
                     "中打开 HTML 报告，其余链接下载相应格式。</p>\n<div "
                     "class=\"scroll\">\n<table id=\"reports\" class=\""
                     "reports\">\n<thead><tr><th>周期</th><th>日期</th><th>"
                     "查看</th><th>下载</th></tr></thead>\n<tbody>\n");
  if (!rc) rc = put_week(b, monday, "本周");
  for (int k = 1; !rc && k <= WEEKS_BACK; k++) {
    char label[32];
    if (k == 1)
      snprintf(label, sizeof label, "上周");
    else
      snprintf(label, sizeof label, "%d 周前", k);
    rc = put_week(b, monday - 7 * k, label);
  }
  if (!rc) rc = put_month(b, c.year, c.month, "本月");
  if (!rc)
    rc = put_month(b, c.month == 1 ? c.year - 1 : c.year,
                   c.month == 1 ? 12 : c.month - 1, "上月");
  if (!rc) rc = mw_buf_puts(b, "</tbody>\n</table>\n</div>\n");
  if (!rc) rc = mw_web_page_end(b, r);
  if (rc) return rc;
  return mw_web_page_reply(o, 200);
}
