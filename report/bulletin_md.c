/*
 * bulletin_md.c: the work bulletin in Markdown, in the order of seeds 001
 * and 002: the title, the issue line, the office and the date, 本期要目
 * (each title after a ☆), then each item: its title as a heading, a line
 * with 来源 and the date, and the lead paragraph.
 *
 * What it leaves to others: the content (bulletin.c), escaping
 * (escape.c).
 */
#include "report/bulletin_int.h"

int blt_md(const struct blt *l, struct mw_buf *out) {
  int rc = mw_buf_puts(out, "# ");
  if (!rc) rc = rpt_md_text(out, l->title);
  if (!rc) rc = mw_buf_printf(out, "\n\n%s%s\n\n", l->issue, l->total);
  if (!rc && l->office) {
    rc = rpt_md_text(out, l->office);
    if (!rc) rc = mw_buf_puts(out, "\n\n");
  }
  if (!rc) rc = mw_buf_printf(out, "%s\n\n---\n\n## 本期要目\n\n", l->date);
  if (!rc && l->n_items == 0) rc = mw_buf_puts(out, "本期无稿件。\n");
  for (size_t i = 0; !rc && i < l->n_items; i++) {
    rc = mw_buf_puts(out, "- ☆");
    if (!rc) rc = rpt_md_text(out, l->items[i].title);
    if (!rc) rc = mw_buf_puts(out, "\n");
  }
  for (size_t i = 0; !rc && i < l->n_items; i++) {
    const struct blt_item *it = &l->items[i];
    rc = mw_buf_puts(out, "\n---\n\n## ");
    if (!rc) rc = rpt_md_text(out, it->title);
    if (!rc) rc = mw_buf_puts(out, "\n\n来源：");
    if (!rc) rc = rpt_md_text(out, it->source);
    if (!rc) rc = mw_buf_printf(out, "　　日期：%s\n", it->date);
    if (!rc && it->lead[0]) {
      rc = mw_buf_puts(out, "\n");
      if (!rc) rc = rpt_md_text(out, it->lead);
      if (!rc) rc = mw_buf_puts(out, "\n");
    }
  }
  return rc;
}
