/*
 * coverage_csv.c: the coverage table as CSV for spreadsheets.
 *
 * UTF-8 with a BOM first (Excel and WPS otherwise guess a legacy code page
 * and garble Chinese), RFC 4180: CRLF line ends, a field holding a comma,
 * quote, CR or LF is quoted, quotes doubled. Columns: row_type ("outlet",
 * "subtotal", "total"), tier (English key), tier_label (Chinese), outlet,
 * one column per topic, all. Text that would start with = + - @ or a tab
 * gets a leading apostrophe, so a spreadsheet shows it instead of
 * evaluating it as a formula (names can come from crawled pages).
 *
 * What it leaves to others: the table's content and order (table.c).
 */
#include <string.h>

#include "report/report_int.h"

static int csv_counts(const struct rpt_table *t, struct mw_buf *out,
                      const struct rpt_row *r) {
  int rc = MW_OK;
  for (size_t i = 0; !rc && i < t->n_topics; i++)
    rc = mw_buf_printf(out, ",%lld", (long long)r->counts[i]);
  if (!rc) rc = mw_buf_printf(out, ",%lld\r\n", (long long)r->all);
  return rc;
}

/* row_type, tier, tier_label, outlet and the counts. */
static int csv_row(const struct rpt_table *t, struct mw_buf *out,
                   const char *type, const char *tier, const char *label,
                   const char *outlet, const struct rpt_row *r) {
  int rc = mw_buf_printf(out, "%s,%s,", type, tier);
  if (!rc) rc = rpt_csv_field(out, label);
  if (!rc) rc = mw_buf_putc(out, ',');
  if (!rc) rc = rpt_csv_field(out, outlet);
  return rc ? rc : csv_counts(t, out, r);
}

int rpt_coverage_csv(const struct rpt_table *t, struct mw_buf *out) {
  int rc = mw_buf_puts(out, "\xEF\xBB\xBFrow_type,tier,tier_label,outlet");
  for (size_t i = 0; !rc && i < t->n_topics; i++) {
    rc = mw_buf_putc(out, ',');
    if (!rc) rc = rpt_csv_field(out, t->topics[i].name);
  }
  if (!rc) rc = mw_buf_puts(out, ",all\r\n");
  for (size_t g = 0; !rc && g < t->n_tiers; g++) {
    const struct rpt_tier *tier = &t->tiers[g];
    const char *key = mw_tier_name(tier->tier);
    const char *zh = mw_tier_label_zh(tier->tier);
    for (size_t i = 0; !rc && i < tier->n; i++) {
      const struct rpt_row *r = &t->outlets[tier->first + i];
      rc = csv_row(t, out, "outlet", key, zh, r->name, r);
    }
    if (!rc) rc = csv_row(t, out, "subtotal", key, zh, "", &tier->subtotal);
  }
  if (!rc) rc = csv_row(t, out, "total", "", "", "", &t->total);
  return rc ? rc : rpt_sections_csv(t, out);
}
