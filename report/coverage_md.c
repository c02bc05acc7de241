/*
 * coverage_md.c: the coverage report as Markdown (CommonMark with GFM
 * tables), in Chinese, for leaders and for pasting into a bulletin.
 *
 * Names come from the config and the store, which took outlet names from
 * crawled pages, so every name is escaped (rpt_md_text, escape.c).
 *
 * What it leaves to others: the table's content and order (table.c).
 */
#include <stdio.h>
#include <string.h>

#include "report/report_int.h"

/* "（较上期 +2，+20.0%）", "（较上期 +5，n/a）" when the previous period had
 * none, "（较上期 n/a）" without a previous period. */
static int md_change(struct mw_buf *out, const struct rpt_change *c) {
  if (!c->has_prev) return mw_buf_puts(out, "（较上期 n/a）");
  char delta[32], pct[32] = "n/a";
  rpt_format_delta(c->delta, delta, sizeof delta);
  if (c->has_pct) rpt_format_pct(c->pct_tenths, pct, sizeof pct);
  return mw_buf_printf(out, "（较上期 %s，%s）", delta, pct);
}

static int md_header(const struct rpt_table *t, struct mw_buf *out) {
  int rc = mw_buf_puts(out, "# ");
  if (!rc) rc = rpt_md_text(out, t->office);
  if (!rc)
    rc = mw_buf_puts(out, t->iso_week      ? " 媒体报道周报\n\n"
                          : t->iso[0] ? " 媒体报道月报\n\n"
                                      : " 媒体报道统计\n\n");
  if (!rc)
    rc = mw_buf_printf(out, "- 统计周期：%s %s 至 %s（", t->label_zh,
                       t->first_day, t->last_day);
  if (!rc && t->iso[0]) rc = mw_buf_printf(out, "%s，", t->iso);
  if (!rc) rc = rpt_md_text(out, t->tz_name);
  if (!rc) rc = mw_buf_puts(out, "）\n");
  if (!rc)
    rc = mw_buf_printf(out, "- 稿件总数：%lld 篇", (long long)t->articles.count);
  if (!rc) rc = md_change(out, &t->articles);
  if (!rc) rc = mw_buf_puts(out, "\n");
  for (size_t i = 0; !rc && i < t->n_topics; i++) {
    const struct rpt_topic *tp = &t->topics[i];
    rc = mw_buf_puts(out, "- 主题“");
    if (!rc) rc = rpt_md_text(out, tp->name);
    if (!rc) rc = mw_buf_puts(out, tp->in_config ? "”" : "”†");
    if (!rc) rc = mw_buf_printf(out, "：%lld 篇", (long long)tp->total.count);
    if (!rc) rc = md_change(out, &tp->total);
    if (!rc) rc = mw_buf_puts(out, "\n");
  }
  return rc;
}

/* One table line: label cells, then the counts, bold for (sub)totals. */
static int md_row(const struct rpt_table *t, struct mw_buf *out,
                  const char *tier_label, const char *name, bool marked,
                  const struct rpt_row *r, bool bold) {
  const char *b = bold ? "**" : "";
  int rc = mw_buf_printf(out, "| %s%s%s | ", b, tier_label, b);
  if (!rc && name) rc = rpt_md_text(out, name);
  if (!rc && marked) rc = mw_buf_puts(out, "†");
  for (size_t i = 0; !rc && i < t->n_topics; i++)
    rc = mw_buf_printf(out, " | %s%lld%s", b, (long long)r->counts[i], b);
  if (!rc) rc = mw_buf_printf(out, " | %s%lld%s |\n", b, (long long)r->all, b);
  return rc;
}

static int md_table(const struct rpt_table *t, struct mw_buf *out) {
  int rc = mw_buf_puts(out, "\n## 分级报道统计\n\n| 媒体级别 | 媒体");
  for (size_t i = 0; !rc && i < t->n_topics; i++) {
    rc = mw_buf_puts(out, " | ");
    if (!rc) rc = rpt_md_text(out, t->topics[i].name);
    if (!rc && !t->topics[i].in_config) rc = mw_buf_puts(out, "†");
  }
  if (!rc) rc = mw_buf_puts(out, " | 全部稿件 |\n| --- | ---");
  for (size_t i = 0; !rc && i < t->n_topics; i++)
    rc = mw_buf_puts(out, " | ---:");
  if (!rc) rc = mw_buf_puts(out, " | ---: |\n");

  char label[64];
  for (size_t g = 0; !rc && g < t->n_tiers; g++) {
    const struct rpt_tier *tier = &t->tiers[g];
    const char *zh = mw_tier_label_zh(tier->tier);
    for (size_t i = 0; !rc && i < tier->n; i++) {
      const struct rpt_row *r = &t->outlets[tier->first + i];
      rc = md_row(t, out, zh, r->name, !r->in_config, r, false);
    }
    snprintf(label, sizeof label, "%s小计", zh);
    if (!rc) rc = md_row(t, out, label, NULL, false, &tier->subtotal, true);
  }
  if (!rc) rc = md_row(t, out, "合计", NULL, false, &t->total, true);
  if (!rc && t->any_not_in_config)
    rc = mw_buf_puts(out, "\n† 不在当前配置中的媒体或主题（来自已存储的稿件）。\n");
  return rc;
}

int rpt_coverage_md(const struct rpt_table *t, struct mw_buf *out) {
  int rc = md_header(t, out);
  if (!rc) rc = md_table(t, out);
  return rc ? rc : rpt_sections_md(t, out);
}
