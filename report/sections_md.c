/*
 * sections_md.c: the sections after the coverage table in Markdown:
 * coverage per day, top stories, sensitive opinion (alerts by level and
 * state, the open ones listed) and the sources that failed all period.
 * A section given with no rows says so in a line, so a reader can tell
 * "nothing happened" from "not looked at".
 *
 * What it leaves to others: the content (sections.c), escaping (escape.c).
 */
#include <stdio.h>

#include "report/report_int.h"

static const char *const wday_zh[7] = {"一", "二", "三", "四",
                                       "五", "六", "日"};

/* "| a | b |" cells from the config or the store, escaped. */
static int cell(struct mw_buf *out, const char *s) {
  int rc = mw_buf_puts(out, " ");
  if (!rc) rc = rpt_md_text(out, s);
  return rc ? rc : mw_buf_puts(out, " |");
}

static int md_daily(const struct rpt_table *t, struct mw_buf *out) {
  int rc = mw_buf_puts(out, "\n## 每日报道量\n\n| 日期 | 星期 | 全部稿件 |");
  for (size_t i = 0; !rc && i < t->n_topics; i++)
    rc = cell(out, t->topics[i].name);
  if (!rc) rc = mw_buf_puts(out, "\n| --- | --- | ---: |");
  for (size_t i = 0; !rc && i < t->n_topics; i++)
    rc = mw_buf_puts(out, " ---: |");
  if (!rc) rc = mw_buf_puts(out, "\n");
  for (size_t d = 0; !rc && d < t->n_days; d++) {
    const struct rpt_day *day = &t->days[d];
    rc = mw_buf_printf(out, "| %s | %s | %lld |", day->date,
                       wday_zh[day->wday % 7], (long long)day->all);
    for (size_t i = 0; !rc && i < t->n_topics; i++)
      rc = mw_buf_printf(out, " %lld |", (long long)day->topics[i]);
    if (!rc) rc = mw_buf_puts(out, "\n");
  }
  return rc;
}

static int md_top(const struct rpt_table *t, struct mw_buf *out) {
  int rc = mw_buf_puts(out, "\n## 重点稿件（按转载媒体数）\n\n");
  if (!rc && t->n_stories == 0) return mw_buf_puts(out, "本期无稿件。\n");
  if (!rc)
    rc = mw_buf_puts(out,
                     "| 序号 | 标题 | 首发媒体 | 首发时间 | 转载媒体数 "
                     "| 稿件数 | 刊发媒体 |\n| ---: | --- | --- | --- "
                     "| ---: | ---: | --- |\n");
  for (size_t i = 0; !rc && i < t->n_stories; i++) {
    const struct rpt_story *s = &t->stories[i];
    rc = mw_buf_printf(out, "| %zu |", i + 1);
    if (!rc) rc = cell(out, s->title[0] ? s->title : "（无标题）");
    if (!rc) rc = cell(out, s->original_outlet);
    if (!rc)
      rc = mw_buf_printf(out, " %s | %lld | %lld | ", s->first_seen,
                         (long long)s->outlet_count,
                         (long long)s->article_count);
    for (size_t j = 0; !rc && j < s->n_outlets; j++) {
      if (j) rc = mw_buf_puts(out, "、");
      if (!rc) rc = rpt_md_text(out, s->outlets[j]);
    }
    if (!rc) rc = mw_buf_puts(out, " |\n");
  }
  return rc;
}

static int md_alert_counts(const struct rpt_table *t, struct mw_buf *out) {
  int rc = mw_buf_printf(out, "- 本期新增预警：%lld 条（",
                         (long long)t->alerts_created);
  for (int lv = RPT_LEVELS; !rc && lv >= 1; lv--)
    rc = mw_buf_printf(out, "%s%s %lld", lv == RPT_LEVELS ? "" : "，",
                       mw_alert_level_label_zh((enum mw_alert_level)lv),
                       (long long)t->alert_level_totals[lv - 1]);
  if (!rc)
    rc = mw_buf_printf(out,
                       "）\n- 未办结预警：%zu 条，其中超期 %zu 条\n\n"
                       "| 预警等级 |",
                       t->n_open, t->n_overdue);
  for (int st = 0; !rc && st < MW_STATE_COUNT; st++)
    rc = mw_buf_printf(out, " %s |",
                       mw_alert_state_label_zh((enum mw_alert_state)st));
  if (!rc) rc = mw_buf_puts(out, " 合计 |\n| --- |");
  for (int st = 0; !rc && st <= MW_STATE_COUNT; st++)
    rc = mw_buf_puts(out, " ---: |");
  if (!rc) rc = mw_buf_puts(out, "\n");
  for (int lv = RPT_LEVELS; !rc && lv >= 1; lv--) {
    rc = mw_buf_printf(out, "| %s |",
                       mw_alert_level_label_zh((enum mw_alert_level)lv));
    for (int st = 0; !rc && st < MW_STATE_COUNT; st++)
      rc =
          mw_buf_printf(out, " %lld |", (long long)t->alert_counts[lv - 1][st]);
    if (!rc)
      rc = mw_buf_printf(out, " %lld |\n",
                         (long long)t->alert_level_totals[lv - 1]);
  }
  return rc;
}

static int md_alerts(const struct rpt_table *t, struct mw_buf *out) {
  int rc = mw_buf_puts(out, "\n## 敏感舆情\n\n");
  if (!rc) rc = md_alert_counts(t, out);
  if (!rc) rc = mw_buf_puts(out, "\n### 未办结预警（截至报告生成时）\n\n");
  if (!rc && t->n_open == 0) return mw_buf_puts(out, "无未办结预警。\n");
  if (!rc)
    rc = mw_buf_puts(out,
                     "| 编号 | 等级 | 状态 | 标题 | 属地 | 承办单位 "
                     "| 发现时间 | 办理期限 | 超期 |\n| ---: | --- | --- "
                     "| --- | --- | --- | --- | --- | --- |\n");
  for (size_t i = 0; !rc && i < t->n_open; i++) {
    const struct rpt_alert *a = &t->open_alerts[i];
    rc = mw_buf_printf(out, "| %lld | %s | %s |", (long long)a->id, a->level_zh,
                       a->state_zh);
    if (!rc) rc = cell(out, a->title);
    if (!rc) rc = cell(out, a->region);
    if (!rc) rc = cell(out, a->assignee);
    if (!rc)
      rc = mw_buf_printf(out, " %s | %s | %s |\n", a->created, a->due,
                         a->overdue ? "**超期**" : "");
  }
  return rc;
}

static int md_failed(const struct rpt_table *t, struct mw_buf *out) {
  int rc = mw_buf_puts(out, "\n## 全期抓取失败的信息源\n\n");
  if (!rc && t->n_failed == 0) return mw_buf_puts(out, "无。\n");
  if (!rc)
    rc = mw_buf_puts(out,
                     "| 媒体 | 媒体级别 | 地址 | 本期失败次数 "
                     "| 最近成功 | 最近状态 | 最近错误 |\n| --- | --- "
                     "| --- | ---: | --- | ---: | --- |\n");
  for (size_t i = 0; !rc && i < t->n_failed; i++) {
    const struct rpt_failed *f = &t->failed[i];
    rc = mw_buf_puts(out, "|");
    if (!rc) rc = cell(out, f->outlet);
    if (!rc) rc = mw_buf_printf(out, " %s |", mw_tier_label_zh(f->tier));
    if (!rc) rc = cell(out, f->url);
    if (!rc)
      rc = mw_buf_printf(out, " %lld | %s | %lld |", (long long)f->failures,
                         f->last_ok[0] ? f->last_ok : "从未成功",
                         (long long)f->last_status);
    if (!rc) rc = cell(out, f->last_error);
    if (!rc) rc = mw_buf_puts(out, "\n");
  }
  return rc;
}

int rpt_sections_md(const struct rpt_table *t, struct mw_buf *out) {
  int rc = MW_OK;
  if (t->has_targets) rc = rpt_targets_md(t, out);
  if (!rc && t->has_daily) rc = md_daily(t, out);
  if (!rc && t->has_top) rc = md_top(t, out);
  if (!rc && t->calendar) rc = rpt_calendar_md(t, out);
  if (!rc && t->has_alerts) rc = md_alerts(t, out);
  if (!rc && t->has_failed) rc = md_failed(t, out);
  return rc;
}
