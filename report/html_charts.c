/*
 * html_charts.c: the charts of the HTML report, drawn as SVG: articles per
 * day (vertical bars), articles per tier and the outlets with the most
 * articles (horizontal bars). No script and nothing fetched: each chart is
 * one SVG document carried in the page itself as a data: URI of an <img>.
 *
 * Why an <img> and not an <svg> element in the page: the HTML checkers the
 * tests and offices use (libxml2's HTML parser, xmllint --html) know HTML 4
 * only and report every SVG element as an invalid tag; an image keeps the
 * page free of parser errors and renders the same in browsers, in print
 * and in Word/WPS. Every bar is a <rect class="bar">, so a test can count
 * them after decoding the URI.
 *
 * Names in the charts come from the config and the store: they are
 * XML-escaped inside the SVG (rpt_html_text), then the whole SVG is
 * percent-encoded into the attribute, so no byte of it can end the
 * attribute or the element.
 *
 * What it leaves to others: the numbers (table.c, sections.c), the page
 * around the charts (html.c).
 */
#include <string.h>

#include "report/report_int.h"

#define BAR_COLOR "#2f6fb5"
#define TIER_COLOR "#b03a2e"
#define TOP_OUTLETS 10
/* Horizontal bar charts: label column, bar area, row height. */
#define HB_LABEL 150
#define HB_BAR 480
#define HB_ROW 26

/* Appends svg to out as <img ... src="data:image/svg+xml,..."> with id and
 * alt (alt is escaped). */
static int put_img(struct mw_buf *out, const char *id, const char *alt,
                   const struct mw_buf *svg) {
  static const char keep[] = "-._~:/=,;()!*";
  static const char hex[] = "0123456789ABCDEF";
  int rc = mw_buf_printf(out, "<img class=\"chart\" id=\"%s\" alt=\"", id);
  if (!rc) rc = rpt_html_text(out, alt);
  if (!rc) rc = mw_buf_puts(out, "\" src=\"data:image/svg+xml;charset=utf-8,");
  for (size_t i = 0; !rc && i < svg->len; i++) {
    unsigned char c = (unsigned char)svg->data[i];
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9') || (c && strchr(keep, c));
    if (plain) {
      rc = mw_buf_putc(out, (char)c);
    } else {
      char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
      rc = mw_buf_append(out, esc, 3);
    }
  }
  return rc ? rc : mw_buf_puts(out, "\">\n");
}

static int svg_open(struct mw_buf *svg, int w, int h) {
  return mw_buf_printf(svg,
                       "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                       "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
                       "font-family=\"'Noto Sans CJK SC','Microsoft YaHei',"
                       "'PingFang SC',sans-serif\" font-size=\"12\">"
                       "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>",
                       w, h, w, h, w, h);
}

/* Bar height in pixels for v of max over h pixels; at least 1 for v > 0. */
static int scale(int64_t v, int64_t max, int h) {
  if (v <= 0 || max <= 0) return 0;
  int64_t px = v * h / max;
  return px < 1 ? 1 : (int)px;
}

static int daily_svg(const struct rpt_table *t, struct mw_buf *svg) {
  const int left = 40, top = 20, plot_h = 180, bottom = 40;
  int n = (int)t->n_days;
  int step = n <= 16 ? 40 : n <= 31 ? 22 : 6;
  int w = left + n * step + 20, h = top + plot_h + bottom;
  int rc = svg_open(svg, w, h);
  int64_t max = t->day_max > 0 ? t->day_max : 1;
  if (!rc)
    rc =
        mw_buf_printf(svg,
                      "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
                      "stroke=\"#888888\"/>"
                      "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>"
                      "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%lld</text>",
                      left, top + plot_h, w - 10, top + plot_h, left - 4,
                      top + plot_h, left - 4, top + 10, (long long)max);
  for (int i = 0; !rc && i < n; i++) {
    const struct rpt_day *d = &t->days[i];
    int bh = scale(d->all, max, plot_h);
    int x = left + i * step + step / 6, bw = step - step / 3;
    rc = mw_buf_printf(svg,
                       "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" "
                       "height=\"%d\" fill=\"%s\"><title>%s：%lld 篇</title>"
                       "</rect>",
                       x, top + plot_h - bh, bw, bh, BAR_COLOR, d->date,
                       (long long)d->all);
    if (!rc && n <= 31 && d->all > 0)
      rc = mw_buf_printf(svg,
                         "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\""
                         ">%lld</text>",
                         x + bw / 2, top + plot_h - bh - 3, (long long)d->all);
    /* Every day's date when they fit, else Mondays. */
    bool label = n <= 16 || (n <= 31 ? i % 2 == 0 : d->wday == 0);
    if (!rc && label)
      rc = mw_buf_printf(svg,
                         "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\""
                         " font-size=\"10\">%.5s</text>",
                         x + bw / 2, top + plot_h + 16, d->date + 5);
  }
  return rc ? rc : mw_buf_puts(svg, "</svg>");
}

/* Horizontal bars: labels[i] (escaped here) and values[i]. */
static int hbar_svg(struct mw_buf *svg, const char *const *labels,
                    const int64_t *values, size_t n, const char *color) {
  int h = (int)n * HB_ROW + 20, w = HB_LABEL + HB_BAR + 60;
  int64_t max = 1;
  for (size_t i = 0; i < n; i++)
    if (values[i] > max) max = values[i];
  int rc = svg_open(svg, w, h);
  for (size_t i = 0; !rc && i < n; i++) {
    int y = 10 + (int)i * HB_ROW, bw = scale(values[i], max, HB_BAR);
    rc = mw_buf_printf(svg, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
                       HB_LABEL - 6, y + 16);
    if (!rc) rc = rpt_html_text(svg, labels[i]);
    if (!rc)
      rc = mw_buf_printf(svg,
                         "</text><rect class=\"bar\" x=\"%d\" y=\"%d\" "
                         "width=\"%d\" height=\"%d\" fill=\"%s\"><title>",
                         HB_LABEL, y + 3, bw, HB_ROW - 8, color);
    if (!rc) rc = rpt_html_text(svg, labels[i]);
    if (!rc)
      rc = mw_buf_printf(svg,
                         "：%lld 篇</title></rect>"
                         "<text x=\"%d\" y=\"%d\">%lld</text>",
                         (long long)values[i], HB_LABEL + bw + 4, y + 16,
                         (long long)values[i]);
  }
  return rc ? rc : mw_buf_puts(svg, "</svg>");
}

size_t rpt_top_outlets(const struct rpt_table *t, size_t *idx, size_t max) {
  size_t n = 0;
  /* Insertion into a short sorted list: at most max kept, stable. */
  for (size_t i = 0; i < t->n_outlets; i++) {
    int64_t v = t->outlets[i].all;
    if (v <= 0) continue;
    size_t at = n;
    while (at > 0 && t->outlets[idx[at - 1]].all < v) at--;
    if (at >= max) continue;
    size_t end = n < max ? n : max - 1;
    memmove(idx + at + 1, idx + at, (end - at) * sizeof *idx);
    idx[at] = i;
    if (n < max) n++;
  }
  return n;
}

/* One chart block: a heading, the image, and a line when it is empty. */
static int chart_block(struct mw_buf *out, const char *id, const char *title,
                       const struct mw_buf *svg) {
  int rc = mw_buf_printf(out, "<div class=\"chart-box\"><h3>%s</h3>\n", title);
  if (!rc) rc = put_img(out, id, title, svg);
  return rc ? rc : mw_buf_puts(out, "</div>\n");
}

int rpt_html_charts(const struct rpt_table *t, struct mw_buf *out) {
  struct mw_buf svg;
  mw_buf_init(&svg, out->max);
  int rc = mw_buf_puts(out, "<div class=\"section charts\">\n<h2>图表</h2>\n");
  if (!rc && t->has_daily && t->n_days > 0) {
    rc = daily_svg(t, &svg);
    if (!rc) rc = chart_block(out, "chart-daily", "每日报道量", &svg);
  }
  const char *labels[MW_TIER_COUNT > TOP_OUTLETS ? MW_TIER_COUNT : TOP_OUTLETS];
  int64_t values[MW_TIER_COUNT > TOP_OUTLETS ? MW_TIER_COUNT : TOP_OUTLETS];
  if (!rc) {
    for (size_t g = 0; g < t->n_tiers; g++) {
      labels[g] = mw_tier_label_zh(t->tiers[g].tier);
      values[g] = t->tiers[g].subtotal.all;
    }
    mw_buf_reset(&svg);
    rc = hbar_svg(&svg, labels, values, t->n_tiers, TIER_COLOR);
    if (!rc) rc = chart_block(out, "chart-tiers", "各级媒体报道量", &svg);
  }
  if (!rc) {
    size_t idx[TOP_OUTLETS];
    size_t n = rpt_top_outlets(t, idx, TOP_OUTLETS);
    for (size_t i = 0; i < n; i++) {
      labels[i] = t->outlets[idx[i]].name;
      values[i] = t->outlets[idx[i]].all;
    }
    mw_buf_reset(&svg);
    rc = hbar_svg(&svg, labels, values, n, BAR_COLOR);
    if (!rc) rc = chart_block(out, "chart-outlets", "报道最多的媒体", &svg);
  }
  if (!rc) rc = mw_buf_puts(out, "</div>\n");
  mw_buf_cleanup(&svg);
  return rc;
}
