/*
 * html_sections.c: the sections after the coverage table in the HTML
 * report: coverage per day, top stories, sensitive opinion (alerts by
 * level and state, the open ones listed, each level in its colour from
 * mw_alert_level_hex) and the sources that failed all period. A section
 * given with no rows says so in a line.
 *
 * Every text from the config or the store goes through rpt_html_text; a
 * URL becomes a link only when it is http or https (sections.c already
 * dropped the others for alerts; failed sources are checked here).
 *
 * What it leaves to others: the content (sections.c), the page (html.c).
 */
#include "report/report_int.h"

static const char *const wday_zh[7] = {"一", "二", "三", "四",
                                       "五", "六", "日"};

/* <td>text</td>, escaped. */
static int td(struct mw_buf *out, const char *s) {
  int rc = mw_buf_puts(out, "<td>");
  if (!rc) rc = rpt_html_text(out, s);
  return rc ? rc : mw_buf_puts(out, "</td>");
}

/* A link when url may be one, else the text. */
static int link(struct mw_buf *out, const char *url, const char *text) {
  if (!rpt_url_linkable(url)) return rpt_html_text(out, text);
  int rc = mw_buf_puts(out, "<a href=\"");
  if (!rc) rc = rpt_html_text(out, url);
  if (!rc) rc = mw_buf_puts(out, "\" rel=\"noopener noreferrer\">");
  if (!rc) rc = rpt_html_text(out, text);
  return rc ? rc : mw_buf_puts(out, "</a>");
}

static int level_badge(struct mw_buf *out, int level) {
  enum mw_alert_level l = (enum mw_alert_level)level;
  int rc = mw_buf_puts(out, "<span class=\"lv\" style=\"background:");
  if (!rc) rc = rpt_html_text(out, mw_alert_level_hex(l));
  if (!rc) rc = mw_buf_puts(out, "\">");
  if (!rc) rc = rpt_html_text(out, mw_alert_level_label_zh(l));
  return rc ? rc : mw_buf_puts(out, "</span>");
}

static int open_section(struct mw_buf *out, const char *cls, const char *id,
                        const char *title) {
  return mw_buf_printf(out,
                       "<div class=\"section%s\" id=\"%s\">\n<h2>%s</h2>\n",
                       cls, id, title);
}

static int html_daily(const struct rpt_table *t, struct mw_buf *out) {
  int rc = open_section(out, "", "daily", "每日报道量");
  if (!rc)
    rc = mw_buf_puts(out,
                     "<div class=\"scroll\"><table>\n<thead><tr><th>日期"
                     "</th><th>星期</th><th class=\"n\">全部稿件</th>");
  for (size_t i = 0; !rc && i < t->n_topics; i++) {
    rc = mw_buf_puts(out, "<th class=\"n\">");
    if (!rc) rc = rpt_html_text(out, t->topics[i].name);
    if (!rc) rc = mw_buf_puts(out, "</th>");
  }
  if (!rc) rc = mw_buf_puts(out, "</tr></thead>\n<tbody>\n");
  for (size_t d = 0; !rc && d < t->n_days; d++) {
    const struct rpt_day *day = &t->days[d];
    rc = mw_buf_printf(out,
                       "<tr><td>%s</td><td>%s</td><td class=\"n\">%lld"
                       "</td>",
                       day->date, wday_zh[day->wday % 7], (long long)day->all);
    for (size_t i = 0; !rc && i < t->n_topics; i++)
      rc = mw_buf_printf(out, "<td class=\"n\">%lld</td>",
                         (long long)day->topics[i]);
    if (!rc) rc = mw_buf_puts(out, "</tr>\n");
  }
  return rc ? rc : mw_buf_puts(out, "</tbody>\n</table></div>\n</div>\n");
}

static int html_top(const struct rpt_table *t, struct mw_buf *out) {
  int rc = open_section(out, "", "top", "重点稿件（按转载媒体数）");
  if (!rc && t->n_stories == 0)
    return mw_buf_puts(out, "<p class=\"empty\">本期无稿件。</p>\n</div>\n");
  if (!rc)
    rc = mw_buf_puts(out,
                     "<div class=\"scroll\"><table>\n<thead><tr>"
                     "<th class=\"n\">序号</th><th>标题</th><th>首发媒体"
                     "</th><th>首发时间</th><th class=\"n\">转载媒体数"
                     "</th><th class=\"n\">稿件数</th><th>刊发媒体</th>"
                     "</tr></thead>\n<tbody>\n");
  for (size_t i = 0; !rc && i < t->n_stories; i++) {
    const struct rpt_story *s = &t->stories[i];
    rc = mw_buf_printf(out, "<tr><td class=\"n\">%zu</td>", i + 1);
    if (!rc) rc = td(out, s->title[0] ? s->title : "（无标题）");
    if (!rc) rc = td(out, s->original_outlet);
    if (!rc)
      rc = mw_buf_printf(out,
                         "<td>%s</td><td class=\"n\">%lld</td>"
                         "<td class=\"n\">%lld</td><td>",
                         s->first_seen, (long long)s->outlet_count,
                         (long long)s->article_count);
    for (size_t j = 0; !rc && j < s->n_outlets; j++) {
      if (j) rc = mw_buf_puts(out, "、");
      if (!rc) rc = rpt_html_text(out, s->outlets[j]);
    }
    if (!rc) rc = mw_buf_puts(out, "</td></tr>\n");
  }
  return rc ? rc : mw_buf_puts(out, "</tbody>\n</table></div>\n</div>\n");
}

static int html_alert_counts(const struct rpt_table *t, struct mw_buf *out) {
  int rc = mw_buf_printf(out,
                         "<p>本期新增预警 %lld 条；未办结 %zu 条，其中超期 "
                         "<span class=\"overdue\">%zu</span> 条。</p>\n"
                         "<div class=\"scroll\"><table id=\"alert-counts\">\n"
                         "<thead><tr><th>预警等级</th>",
                         (long long)t->alerts_created, t->n_open, t->n_overdue);
  for (int st = 0; !rc && st < MW_STATE_COUNT; st++)
    rc = mw_buf_printf(out, "<th class=\"n\">%s</th>",
                       mw_alert_state_label_zh((enum mw_alert_state)st));
  if (!rc)
    rc = mw_buf_puts(out,
                     "<th class=\"n\">合计</th></tr></thead>\n"
                     "<tbody>\n");
  for (int lv = RPT_LEVELS; !rc && lv >= 1; lv--) {
    rc = mw_buf_puts(out, "<tr><td>");
    if (!rc) rc = level_badge(out, lv);
    if (!rc) rc = mw_buf_puts(out, "</td>");
    for (int st = 0; !rc && st < MW_STATE_COUNT; st++)
      rc = mw_buf_printf(out, "<td class=\"n\">%lld</td>",
                         (long long)t->alert_counts[lv - 1][st]);
    if (!rc)
      rc = mw_buf_printf(out, "<td class=\"n\">%lld</td></tr>\n",
                         (long long)t->alert_level_totals[lv - 1]);
  }
  return rc ? rc : mw_buf_puts(out, "</tbody>\n</table></div>\n");
}

static int html_alerts(const struct rpt_table *t, struct mw_buf *out) {
  int rc = open_section(out, " break", "alerts", "敏感舆情");
  if (!rc) rc = html_alert_counts(t, out);
  if (!rc) rc = mw_buf_puts(out, "<h3>未办结预警（截至报告生成时）</h3>\n");
  if (!rc && t->n_open == 0)
    return mw_buf_puts(out, "<p class=\"empty\">无未办结预警。</p>\n</div>\n");
  if (!rc)
    rc = mw_buf_puts(out,
                     "<div class=\"scroll\"><table id=\"open-alerts\">\n"
                     "<thead><tr><th class=\"n\">编号</th><th>等级</th>"
                     "<th>状态</th><th>标题</th><th>属地</th><th>承办单位"
                     "</th><th>发现时间</th><th>办理期限</th></tr></thead>"
                     "\n<tbody>\n");
  for (size_t i = 0; !rc && i < t->n_open; i++) {
    const struct rpt_alert *a = &t->open_alerts[i];
    rc = mw_buf_printf(out, "<tr><td class=\"n\">%lld</td><td>",
                       (long long)a->id);
    if (!rc) rc = level_badge(out, a->level);
    if (!rc) rc = mw_buf_puts(out, "</td>");
    if (!rc) rc = td(out, a->state_zh);
    if (!rc) rc = mw_buf_puts(out, "<td>");
    if (!rc) rc = link(out, a->url, a->title[0] ? a->title : "（无标题）");
    if (!rc) rc = mw_buf_puts(out, "</td>");
    if (!rc) rc = td(out, a->region);
    if (!rc) rc = td(out, a->assignee);
    if (!rc)
      rc = mw_buf_printf(out, "<td>%s</td><td>%s%s</td></tr>\n", a->created,
                         a->due,
                         a->overdue ? " <span class=\"overdue\">超期"
                                      "</span>"
                                    : "");
  }
  return rc ? rc : mw_buf_puts(out, "</tbody>\n</table></div>\n</div>\n");
}

static int html_failed(const struct rpt_table *t, struct mw_buf *out) {
  int rc = open_section(out, "", "failed", "全期抓取失败的信息源");
  if (!rc && t->n_failed == 0)
    return mw_buf_puts(out, "<p class=\"empty\">无。</p>\n</div>\n");
  if (!rc)
    rc = mw_buf_puts(out,
                     "<div class=\"scroll\"><table>\n<thead><tr><th>媒体"
                     "</th><th>媒体级别</th><th>地址</th><th class=\"n\">"
                     "本期失败次数</th><th>最近成功</th><th class=\"n\">"
                     "最近状态</th><th>最近错误</th></tr></thead>\n"
                     "<tbody>\n");
  for (size_t i = 0; !rc && i < t->n_failed; i++) {
    const struct rpt_failed *f = &t->failed[i];
    rc = mw_buf_puts(out, "<tr>");
    if (!rc) rc = td(out, f->outlet);
    if (!rc) rc = td(out, mw_tier_label_zh(f->tier));
    if (!rc) rc = mw_buf_puts(out, "<td>");
    if (!rc) rc = link(out, f->url, f->url);
    if (!rc)
      rc = mw_buf_printf(out,
                         "</td><td class=\"n\">%lld</td><td>%s</td>"
                         "<td class=\"n\">%lld</td>",
                         (long long)f->failures,
                         f->last_ok[0] ? f->last_ok : "从未成功",
                         (long long)f->last_status);
    if (!rc) rc = td(out, f->last_error);
    if (!rc) rc = mw_buf_puts(out, "</tr>\n");
  }
  return rc ? rc : mw_buf_puts(out, "</tbody>\n</table></div>\n</div>\n");
}

int rpt_html_sections(const struct rpt_table *t, struct mw_buf *out) {
  int rc = MW_OK;
  if (t->has_targets) rc = rpt_targets_html(t, out);
  if (!rc && t->has_daily) rc = html_daily(t, out);
  if (!rc && t->has_top) rc = html_top(t, out);
  if (!rc && t->calendar) rc = rpt_calendar_html(t, out);
  if (!rc && t->has_alerts) rc = html_alerts(t, out);
  if (!rc && t->has_failed) rc = html_failed(t, out);
  return rc;
}
