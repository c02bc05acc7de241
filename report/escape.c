/*
 * escape.c: how text from the config and from crawled pages (outlet names,
 * titles, URLs, error messages) is written in each format, in one place so
 * no renderer writes such text raw.
 *
 * Markdown: markdown-active ASCII punctuation gets a backslash (that
 * includes '|', which would split a table cell, and '<' '&', which would
 * start HTML or an entity), line breaks and other control characters
 * become spaces so a cell stays on its line.
 * CSV (RFC 4180): a field holding a comma, quote, CR or LF is quoted,
 * quotes doubled; text starting with = + - @ tab or CR gets a leading
 * apostrophe, so a spreadsheet shows it instead of evaluating a formula.
 * HTML: & < > " ' become entities, control characters spaces; the same
 * output is safe as element text and inside a double-quoted attribute.
 *
 * What it leaves to others: JSON, escaped by jansson (coverage_json.c adds
 * the \u escapes of < > &); valid UTF-8, ensured when the names are copied
 * (table.c, sections.c).
 */
#include <string.h>

#include "report/report_int.h"

/* Characters CommonMark or GFM would act on inside a line; '$' for the
 * renderers that do math. */
static bool md_active(unsigned char c) {
  return c && strchr("\\`*_[]<>|#~&$!", c) != NULL;
}

int rpt_md_text(struct mw_buf *out, const char *s) {
  int rc = MW_OK;
  for (const unsigned char *p = (const unsigned char *)s; *p && !rc; p++) {
    unsigned char c = *p;
    if (c < 0x20 || c == 0x7F)
      c = ' ';
    else if (md_active(c))
      rc = mw_buf_putc(out, '\\');
    if (!rc) rc = mw_buf_putc(out, (char)c);
  }
  return rc;
}

int rpt_csv_field(struct mw_buf *out, const char *s) {
  bool quote = strpbrk(s, ",\"\r\n") != NULL;
  bool formula = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
  int rc = quote ? mw_buf_putc(out, '"') : MW_OK;
  if (!rc && formula) rc = mw_buf_putc(out, '\'');
  for (const char *p = s; *p && !rc; p++) {
    if (*p == '"') rc = mw_buf_putc(out, '"');
    if (!rc) rc = mw_buf_putc(out, *p);
  }
  if (!rc && quote) rc = mw_buf_putc(out, '"');
  return rc;
}

int rpt_html_text(struct mw_buf *out, const char *s) {
  int rc = MW_OK;
  size_t run = 0, i = 0;
  for (; s[i] && !rc; i++) {
    unsigned char c = (unsigned char)s[i];
    const char *ent = c == '&'                  ? "&amp;"
                      : c == '<'                ? "&lt;"
                      : c == '>'                ? "&gt;"
                      : c == '"'                ? "&quot;"
                      : c == '\''               ? "&#39;"
                      : (c < 0x20 || c == 0x7F) ? " "
                                                : NULL;
    if (!ent) continue;
    rc = mw_buf_append(out, s + run, i - run);
    if (!rc) rc = mw_buf_puts(out, ent);
    run = i + 1;
  }
  if (!rc) rc = mw_buf_append(out, s + run, i - run);
  return rc;
}

bool rpt_url_linkable(const char *url) {
  return url && (!mw_ascii_ncasecmp(url, "http://", 7) ||
                 !mw_ascii_ncasecmp(url, "https://", 8));
}
