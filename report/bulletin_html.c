/*
 * bulletin_html.c: the work bulletin as one HTML file that Word and WPS
 * open as a document: UTF-8 declared in a meta tag, A4 page margins in an
 * @page rule, every other style inline (Word drops most of a style sheet),
 * only paragraphs, headings and one table for the masthead's office and
 * date, no script, no images. Fonts: 仿宋 for the body, 宋体 as the
 * fallback and for the red title, 黑体 for headings, the usual faces of a
 * government document.
 *
 * Every text from the config or the store goes through rpt_html_text.
 *
 * What it leaves to others: the content (bulletin.c), escaping
 * (escape.c).
 */
#include "report/bulletin_int.h"

#define FONT_BODY                                                          \
  "font-family:'仿宋_GB2312','仿宋',FangSong,STFangsong,'宋体',SimSun,serif"
#define FONT_HEAD "font-family:'黑体',SimHei,'宋体',SimSun,sans-serif"
#define FONT_TITLE "font-family:'方正小标宋简体','宋体',SimSun,serif"

static int text(struct mw_buf *out, const char *open, const char *s,
                const char *close) {
  int rc = mw_buf_puts(out, open);
  if (!rc) rc = rpt_html_text(out, s);
  return rc ? rc : mw_buf_puts(out, close);
}

static int masthead(const struct blt *l, struct mw_buf *out) {
  int rc = mw_buf_puts(out,
                       "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n"
                       "<meta http-equiv=\"Content-Type\" content=\"text/html;"
                       " charset=utf-8\">\n<title>");
  if (!rc) rc = rpt_html_text(out, l->title);
  if (!rc)
    rc = mw_buf_printf(out,
                       " %s</title>\n<style>@page { size: 21cm 29.7cm; "
                       "margin: 3.7cm 2.6cm 3.5cm 2.8cm; }</style>\n</head>\n"
                       "<body style=\"" FONT_BODY
                       ";font-size:16pt;line-height:1.6\">\n",
                       l->issue);
  if (!rc)
    rc = text(out,
              "<p style=\"" FONT_TITLE ";font-size:28pt;color:#c00000;"
              "text-align:center;margin:0 0 12pt 0\">",
              l->title, "</p>\n");
  if (!rc)
    rc = mw_buf_printf(out,
                       "<p style=\"text-align:center;margin:0 0 12pt 0\">"
                       "%s%s</p>\n",
                       l->issue, l->total);
  if (!rc)
    rc = mw_buf_puts(out,
                     "<table style=\"width:100%;border-collapse:collapse;"
                     "border-bottom:2pt solid #c00000\">\n<tr><td style=\""
                     "text-align:left;padding:0 0 4pt 0;font-size:14pt\">");
  if (!rc && l->office) rc = rpt_html_text(out, l->office);
  if (!rc)
    rc = mw_buf_printf(out,
                       "</td><td style=\"text-align:right;padding:0 0 4pt 0;"
                       "font-size:14pt\">%s</td></tr>\n</table>\n",
                       l->date);
  return rc;
}

int blt_html(const struct blt *l, struct mw_buf *out) {
  int rc = masthead(l, out);
  if (!rc)
    rc = mw_buf_puts(out, "<p style=\"" FONT_HEAD
                          ";font-size:16pt;margin:12pt 0 6pt 0\">"
                          "本期要目</p>\n");
  if (!rc && l->n_items == 0)
    rc = mw_buf_puts(out, "<p style=\"margin:0\">本期无稿件。</p>\n");
  for (size_t i = 0; !rc && i < l->n_items; i++)
    rc = text(out, "<p style=\"margin:0 0 0 2em\">☆", l->items[i].title,
              "</p>\n");
  for (size_t i = 0; !rc && i < l->n_items; i++) {
    const struct blt_item *it = &l->items[i];
    rc = text(out,
              "<h2 style=\"" FONT_HEAD ";font-size:16pt;font-weight:bold;"
              "text-align:center;margin:18pt 0 6pt 0\">",
              it->title, "</h2>\n");
    if (!rc)
      rc = text(out,
                "<p style=\"font-size:12pt;color:#555555;text-align:center;"
                "margin:0 0 6pt 0\">来源：",
                it->source, "");
    if (!rc) rc = mw_buf_printf(out, "　　日期：%s</p>\n", it->date);
    if (!rc && it->lead[0])
      rc = text(out, "<p style=\"text-indent:2em;margin:0\">", it->lead,
                "</p>\n");
  }
  return rc ? rc : mw_buf_puts(out, "</body>\n</html>\n");
}
