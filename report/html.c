/*
 * html.c: the report as one self-contained HTML page, in Chinese, for
 * leaders: opened from a mail or a shared folder, printed on A4, read on a
 * phone. Inline CSS only, no script, nothing loaded from elsewhere (the
 * charts are SVG images carried in the page, html_charts.c).
 *
 * Layout: a heading with the office and the period, the totals with the
 * change from the previous period, the charts, the coverage table by tier,
 * then the other sections (html_sections.c). Tables sit in a box that
 * scrolls sideways on a narrow screen; print starts the table and the
 * sensitive-opinion section on new pages and keeps rows whole.
 *
 * Only HTML 4 elements are used (div, not section), so libxml2's HTML
 * parser, which offices and the tests use to check pages, finds no error.
 * Every text from the config or the store goes through rpt_html_text
 * (escape.c); attributes are always double-quoted.
 *
 * What it leaves to others: the content (table.c, sections.c), the charts
 * (html_charts.c), the sections after the coverage table (html_sections.c).
 */
#include <stdio.h>

#include "report/report_int.h"

static const char css[] =
    "*{box-sizing:border-box}"
    "body{margin:0;padding:16px;color:#222;background:#fff;"
    "font-family:'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',"
    "'PingFang SC','SimSun',sans-serif;font-size:15px;line-height:1.6}"
    ".page{max-width:980px;margin:0 auto}"
    "h1{font-size:1.6em;margin:0 0 .2em;color:#b03a2e}"
    "h2{font-size:1.25em;border-left:5px solid #b03a2e;padding-left:.5em;"
    "margin:1.6em 0 .6em}"
    "h3{font-size:1.05em;margin:1em 0 .4em}"
    ".period{color:#555;margin:0}"
    ".cards{display:flex;flex-wrap:wrap;gap:10px}"
    ".card{flex:1 1 160px;border:1px solid #ddd;border-radius:6px;"
    "padding:8px 12px}"
    ".card .n{font-size:1.6em;font-weight:bold}"
    ".card .d{color:#666;font-size:.9em}"
    ".scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}"
    "table{border-collapse:collapse;min-width:100%;font-size:.92em}"
    "th,td{border:1px solid #ccc;padding:4px 8px;vertical-align:top}"
    "th{background:#f3f3f3;white-space:nowrap}"
    "td.n,th.n{text-align:right;white-space:nowrap}"
    "tr.sub td{background:#fafafa;font-weight:bold}"
    "tr.total td{background:#f0f0f0;font-weight:bold}"
    ".lv{display:inline-block;color:#fff;border-radius:3px;padding:0 6px;"
    "white-space:nowrap}"
    ".overdue{color:#c0392b;font-weight:bold}"
    ".chart{display:block;max-width:100%;height:auto}"
    ".note,.empty{color:#666}"
    ".footer{margin-top:2em;color:#888;font-size:.85em}"
    "a{color:#1f5fa8;word-break:break-all}"
    "@media (max-width:600px){body{padding:8px;font-size:14px}"
    "h1{font-size:1.3em}}"
    "@media print{@page{size:A4;margin:15mm 12mm}"
    "body{padding:0;font-size:11pt}.page{max-width:none}"
    ".scroll{overflow:visible}"
    ".break{break-before:page;page-break-before:always}"
    "tr,.card,.chart-box{break-inside:avoid;page-break-inside:avoid}"
    "h2,h3{break-after:avoid;page-break-after:avoid}"
    "thead{display:table-header-group}"
    "a{color:#222;text-decoration:none}}";

static const char *title_kind(const struct rpt_table *t) {
  return t->iso_week ? "媒体报道周报"
         : t->iso[0] ? "媒体报道月报"
                     : "媒体报道统计";
}

static int html_head(const struct rpt_table *t, struct mw_buf *out) {
  int rc = mw_buf_puts(out,
                       "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n"
                       "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
                       "content=\"width=device-width, initial-scale=1\">\n"
                       "<title>");
  if (!rc) rc = rpt_html_text(out, t->office);
  if (!rc)
    rc = mw_buf_printf(out,
                       " %s %s</title>\n<style>%s</style>\n</head>\n"
                       "<body>\n<div class=\"page\">\n<div class=\"head\">\n"
                       "<h1>",
                       title_kind(t), t->label_zh, css);
  if (!rc) rc = rpt_html_text(out, t->office);
  if (!rc)
    rc = mw_buf_printf(out,
                       " %s</h1>\n<p class=\"period\">统计周期：%s %s 至 %s"
                       "（",
                       title_kind(t), t->label_zh, t->first_day, t->last_day);
  if (!rc && t->iso[0]) rc = mw_buf_printf(out, "%s，", t->iso);
  if (!rc) rc = rpt_html_text(out, t->tz_name);
  return rc ? rc : mw_buf_puts(out, "）</p>\n</div>\n");
}

/* "较上期 +2（+20.0%）", "较上期 n/a". */
static int html_change(struct mw_buf *out, const struct rpt_change *c) {
  if (!c->has_prev) return mw_buf_puts(out, "较上期 n/a");
  char delta[32], pct[32] = "n/a";
  rpt_format_delta(c->delta, delta, sizeof delta);
  if (c->has_pct) rpt_format_pct(c->pct_tenths, pct, sizeof pct);
  return mw_buf_printf(out, "较上期 %s（%s）", delta, pct);
}

static int card(struct mw_buf *out, const char *label,
                const struct rpt_change *c) {
  int rc = mw_buf_puts(out, "<div class=\"card\"><div>");
  if (!rc) rc = rpt_html_text(out, label);
  if (!rc)
    rc = mw_buf_printf(out,
                       "</div><div class=\"n\">%lld 篇</div>"
                       "<div class=\"d\">",
                       (long long)c->count);
  if (!rc) rc = html_change(out, c);
  return rc ? rc : mw_buf_puts(out, "</div></div>\n");
}

static int html_totals(const struct rpt_table *t, struct mw_buf *out) {
  int rc = mw_buf_puts(out,
                       "<div class=\"section\">\n<h2>总体情况</h2>\n"
                       "<div class=\"cards\">\n");
  if (!rc) rc = card(out, "稿件总数", &t->articles);
  for (size_t i = 0; !rc && i < t->n_topics; i++)
    rc = card(out, t->topics[i].name, &t->topics[i].total);
  return rc ? rc : mw_buf_puts(out, "</div>\n</div>\n");
}

static int html_row(const struct rpt_table *t, struct mw_buf *out,
                    const char *cls, const char *label, const char *name,
                    bool marked, const struct rpt_row *r) {
  int rc = mw_buf_printf(out, "<tr%s%s%s><td>", cls ? " class=\"" : "",
                         cls ? cls : "", cls ? "\"" : "");
  if (!rc) rc = rpt_html_text(out, label);
  if (!rc) rc = mw_buf_puts(out, "</td><td>");
  if (!rc && name) rc = rpt_html_text(out, name);
  if (!rc && marked) rc = mw_buf_puts(out, "†");
  if (!rc) rc = mw_buf_puts(out, "</td>");
  for (size_t i = 0; !rc && i < t->n_topics; i++)
    rc = mw_buf_printf(out, "<td class=\"n\">%lld</td>",
                       (long long)r->counts[i]);
  if (!rc)
    rc = mw_buf_printf(out, "<td class=\"n\">%lld</td></tr>\n",
                       (long long)r->all);
  return rc;
}

static int html_coverage(const struct rpt_table *t, struct mw_buf *out) {
  int rc = mw_buf_puts(out,
                       "<div class=\"section break\">\n<h2>分级报道统计"
                       "</h2>\n<div class=\"scroll\"><table id=\""
                       "coverage\">\n<thead><tr><th>媒体级别</th>"
                       "<th>媒体</th>");
  for (size_t i = 0; !rc && i < t->n_topics; i++) {
    rc = mw_buf_puts(out, "<th class=\"n\">");
    if (!rc) rc = rpt_html_text(out, t->topics[i].name);
    if (!rc && !t->topics[i].in_config) rc = mw_buf_puts(out, "†");
    if (!rc) rc = mw_buf_puts(out, "</th>");
  }
  if (!rc)
    rc = mw_buf_puts(out,
                     "<th class=\"n\">全部稿件</th></tr></thead>"
                     "\n<tbody>\n");
  char label[64];
  for (size_t g = 0; !rc && g < t->n_tiers; g++) {
    const struct rpt_tier *tier = &t->tiers[g];
    const char *zh = mw_tier_label_zh(tier->tier);
    for (size_t i = 0; !rc && i < tier->n; i++) {
      const struct rpt_row *r = &t->outlets[tier->first + i];
      rc = html_row(t, out, NULL, zh, r->name, !r->in_config, r);
    }
    snprintf(label, sizeof label, "%s小计", zh);
    if (!rc) rc = html_row(t, out, "sub", label, NULL, false, &tier->subtotal);
  }
  if (!rc) rc = html_row(t, out, "total", "合计", NULL, false, &t->total);
  if (!rc) rc = mw_buf_puts(out, "</tbody>\n</table></div>\n");
  if (!rc && t->any_not_in_config)
    rc = mw_buf_puts(out,
                     "<p class=\"note\">† 不在当前配置中的媒体或主题"
                     "（来自已存储的稿件）。</p>\n");
  return rc ? rc : mw_buf_puts(out, "</div>\n");
}

int rpt_html(const struct rpt_table *t, struct mw_buf *out) {
  int rc = html_head(t, out);
  if (!rc) rc = html_totals(t, out);
  if (!rc) rc = rpt_html_charts(t, out);
  if (!rc) rc = html_coverage(t, out);
  if (!rc) rc = rpt_html_sections(t, out);
  if (!rc)
    rc = mw_buf_printf(out,
                       "<p class=\"footer\">由 mediawatch 生成；"
                       "统计口径：稿件按发布时间（未知时按首次抓取时间）"
                       "计入，%s 起至 %s 前。</p>\n</div>\n</body>\n"
                       "</html>\n",
                       t->from_local, t->to_local);
  return rc;
}
