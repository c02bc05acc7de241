/*
 * page_alerts.c: 预警队列 (GET /alerts): the alerts passing the filters of
 * a plain GET form (level, state, topic, 属地, open or all, overdue),
 * highest level first then newest, a page of PER_PAGE at a time. Each row
 * carries data-alert-id, data-level and data-state and is coloured by its
 * level; duty officers get the buttons of the actions the workflow allows
 * from the row's state (mw_alert_transition), which app.js sends to the
 * API. The table's data-f-* attributes tell app.js which filters are in
 * force, so the live stream (/api/events) inserts only alerts that pass
 * them; its cells have the classes app.js fills (c-level, c-state, ...).
 *
 * What it leaves to others: the workflow (alerts/), the actions
 * (api_alerts.c), the live updates (app.js).
 */
#include <string.h>

#include "web/page_int.h"

#define PER_PAGE 50

struct filters {
  const char *level, *state, *topic, *region, *open, *overdue;
  struct mw_alert_filter f;
};

/* Reads the filters; unknown values filter nothing (the form sends only
 * known ones). The queue shows open alerts unless open=0. */
static void read_filters(const struct mw_web_req *r, struct filters *q) {
  memset(q, 0, sizeof *q);
  int64_t n;
  enum mw_alert_state st;
  q->level = mw_web_page_arg(r, "level");
  if (q->level && mw_parse_int64(q->level, 1, 4, &n) == MW_OK)
    q->f.level = (int)n;
  else
    q->level = NULL;
  q->state = mw_web_page_arg(r, "state");
  if (q->state && mw_alert_state_parse(q->state, &st) == MW_OK)
    q->f.state = mw_alert_state_name(st);
  else
    q->state = NULL;
  q->topic = mw_web_page_arg(r, "topic");
  q->f.topic = q->topic;
  q->region = mw_web_page_arg(r, "region");
  q->f.region = q->region;
  q->open = mw_web_page_arg(r, "open");
  if (!q->open || strcmp(q->open, "0") != 0) q->open = "1";
  q->f.open_only = strcmp(q->open, "1") == 0 && !q->f.state;
  q->overdue = mw_web_page_arg(r, "overdue");
  if (q->overdue && strcmp(q->overdue, "1") != 0) q->overdue = NULL;
  q->f.overdue_only = q->overdue != NULL;
}

static int put_form(struct mw_buf *b, const struct mw_web_req *r,
                    const struct filters *q) {
  const struct mw_config *cfg = r->web->cfg;
  int rc = mw_buf_puts(b,
                       "<form id=\"alert-filter\" class=\"filters\" "
                       "method=\"get\" action=\"/alerts\">\n"
                       "<label>级别 <select name=\"level\">");
  if (!rc) rc = mw_web_page_option(b, "", "全部", q->level);
  for (int l = 4; !rc && l >= 1; l--) {
    char v[2] = {(char)('0' + l), 0};
    rc = mw_web_page_option(
        b, v, mw_alert_level_label_zh((enum mw_alert_level)l), q->level);
  }
  if (!rc)
    rc = mw_buf_puts(b,
                     "</select></label>\n<label>状态 <select "
                     "name=\"state\">");
  if (!rc) rc = mw_web_page_option(b, "", "全部", q->state);
  for (int s = 0; !rc && s < MW_STATE_COUNT; s++)
    rc = mw_web_page_option(b, mw_alert_state_name((enum mw_alert_state)s),
                            mw_alert_state_label_zh((enum mw_alert_state)s),
                            q->state);
  if (!rc)
    rc = mw_buf_puts(b,
                     "</select></label>\n<label>专题 <select "
                     "name=\"topic\">");
  if (!rc) rc = mw_web_page_option(b, "", "全部", q->topic);
  for (size_t i = 0; !rc && i < cfg->n_topics; i++)
    rc = mw_web_page_option(b, cfg->topics[i].name, cfg->topics[i].name,
                            q->topic);
  if (!rc) rc = mw_buf_puts(b, "</select></label>\n");
  if (!rc) rc = mw_web_page_text_input(b, "属地", "region", "text", q->region);
  if (!rc) rc = mw_buf_puts(b, "<label>范围 <select name=\"open\">");
  if (!rc) rc = mw_web_page_option(b, "1", "未办结", q->open);
  if (!rc) rc = mw_web_page_option(b, "0", "全部", q->open);
  if (!rc)
    rc = mw_buf_puts(b,
                     "</select></label>\n<label>逾期 <select "
                     "name=\"overdue\">");
  if (!rc) rc = mw_web_page_option(b, "", "不限", q->overdue);
  if (!rc) rc = mw_web_page_option(b, "1", "仅逾期", q->overdue);
  if (!rc)
    rc = mw_buf_puts(b,
                     "</select></label>\n<button type=\"submit\">"
                     "筛选</button>\n</form>\n");
  return rc;
}

static int put_row(struct mw_buf *b, const struct mw_web_req *r,
                   const struct mw_alert_rec *a) {
  char created[32], deadline[32];
  mw_web_time_local(r->web, a->created, created, sizeof created);
  mw_web_time_local(r->web, a->due ? a->due : a->deadline, deadline,
                    sizeof deadline);
  int level = a->level >= 1 && a->level <= 4 ? a->level : 0;
  int rc = mw_buf_printf(b,
                         "<tr data-alert-id=\"%lld\" data-level=\"%d\" "
                         "data-state=\"",
                         (long long)a->id, level);
  if (!rc) rc = mw_web_html(b, a->state);
  if (!rc)
    rc = mw_buf_printf(b,
                       "\" class=\"alert lv-row-%d%s\">\n<td class=\""
                       "c-level\">",
                       level, a->overdue ? " overdue" : "");
  if (!rc) rc = mw_web_page_level(b, level);
  if (!rc) rc = mw_buf_puts(b, "</td>\n<td class=\"c-state\">");
  if (!rc) rc = mw_web_html(b, mw_web_page_state_zh(a->state));
  if (!rc)
    rc = mw_buf_printf(b,
                       "</td>\n<td class=\"c-title\"><a href=\"/alerts/"
                       "%lld\">",
                       (long long)a->id);
  if (!rc) rc = mw_web_html(b, a->title && *a->title ? a->title : a->key);
  if (!rc) rc = mw_buf_puts(b, "</a><div class=\"reason\">");
  if (!rc) rc = mw_web_html(b, a->reason);
  if (!rc) rc = mw_buf_puts(b, "</div></td>\n<td class=\"c-region\">");
  if (!rc) rc = mw_web_html(b, a->region);
  if (!rc) rc = mw_buf_puts(b, "</td>\n<td class=\"c-topic\">");
  if (!rc) rc = mw_web_html(b, a->topic);
  if (!rc)
    rc = mw_buf_printf(b,
                       "</td>\n<td class=\"c-reach\">%lld 家 / %lld 篇"
                       "</td>\n<td class=\"c-created\">%s</td>\n<td "
                       "class=\"c-deadline\">%s%s</td>\n<td class=\""
                       "c-assignee\">",
                       (long long)a->outlet_count, (long long)a->article_count,
                       created, deadline,
                       a->overdue ? " <span class=\"flag\">逾期</span>" : "");
  if (!rc) rc = mw_web_html(b, a->assignee);
  if (!rc) rc = mw_buf_puts(b, "</td>\n<td class=\"c-actions actions\">");
  if (!rc) rc = mw_web_page_actions(b, r, a->id, a->state, false);
  if (!rc) rc = mw_buf_puts(b, "</td>\n</tr>\n");
  return rc;
}

/* The filters in force as query parameters, in the order the pager links
 * and the table's data-f-* attributes list them. */
#define N_PARAMS 6
static void params_of(const struct filters *q,
                      struct mw_web_page_param p[N_PARAMS]) {
  p[0] = (struct mw_web_page_param){"level", q->level};
  p[1] = (struct mw_web_page_param){"state", q->state};
  p[2] = (struct mw_web_page_param){"topic", q->topic};
  p[3] = (struct mw_web_page_param){"region", q->region};
  p[4] = (struct mw_web_page_param){"open", q->open};
  p[5] = (struct mw_web_page_param){"overdue", q->overdue};
}

/* The link to page n with the same filters. */
static int page_link(struct mw_buf *b, const struct filters *q, int64_t n,
                     const char *label, const char *rel) {
  struct mw_web_page_param p[N_PARAMS];
  params_of(q, p);
  return mw_web_page_link(b, "/alerts", p, N_PARAMS, 4096, n, label, rel);
}

static int put_filter_attr(struct mw_buf *b, const char *name,
                           const char *value) {
  int rc = mw_buf_printf(b, " data-f-%s=\"", name);
  if (!rc) rc = mw_web_html(b, value);
  if (!rc) rc = mw_buf_putc(b, '"');
  return rc;
}

static int put_table(struct mw_buf *b, const struct mw_web_req *r,
                     const struct filters *q, const struct mw_alert_rec *a,
                     size_t n, int64_t page) {
  int rc = mw_buf_printf(b,
                         "<div class=\"scroll\">\n<table id=\"alerts\" "
                         "class=\"alerts\" data-live=\"%d\"",
                         page == 1);
  struct mw_web_page_param p[N_PARAMS];
  params_of(q, p);
  for (size_t i = 0; !rc && i < N_PARAMS; i++)
    rc = put_filter_attr(b, p[i].key, p[i].value);
  if (!rc)
    rc = mw_buf_puts(b,
                     ">\n<thead><tr><th>级别</th><th>状态</th><th>标题"
                     "</th><th>属地</th><th>专题</th><th>传播</th><th>"
                     "预警时间</th><th>期限</th><th>承办单位</th><th>操作"
                     "</th></tr></thead>\n<tbody id=\"alert-rows\">\n");
  for (size_t i = 0; !rc && i < n; i++) rc = put_row(b, r, &a[i]);
  if (!rc && n == 0)
    rc = mw_buf_puts(b,
                     "<tr class=\"empty\"><td colspan=\"10\">没有符合条件的"
                     "预警。</td></tr>\n");
  if (!rc) rc = mw_buf_puts(b, "</tbody>\n</table>\n</div>\n");
  return rc;
}

int mw_web_page_alerts(struct mw_web_req *r, struct mw_web_resp *o) {
  struct filters q;
  read_filters(r, &q);
  int64_t page = mw_web_page_number(r);
  q.f.offset = (size_t)(page - 1) * PER_PAGE;
  q.f.limit = PER_PAGE + 1; /* one more tells whether a next page exists */
  struct mw_alert_rec *a = NULL;
  size_t n = 0;
  struct mw_err err = {0};
  int rc = mw_store_alert_list(r->store, &q.f, &a, &n, &err);
  if (rc) return rc;
  size_t n_got = n;
  bool more = n > PER_PAGE;
  if (more) n = PER_PAGE;
  struct mw_buf *b = &o->body;
  rc = mw_web_page_begin(b, r, "预警队列", "alerts");
  if (!rc) rc = put_form(b, r, &q);
  if (!rc)
    rc = mw_buf_puts(b,
                     "<p id=\"live-status\" class=\"note\" "
                     "aria-live=\"polite\"></p>\n");
  if (!rc) rc = put_table(b, r, &q, a, n, page);
  if (!rc && (page > 1 || more)) {
    rc = mw_buf_printf(b, "<nav class=\"pager\">第 %lld 页\n", (long long)page);
    if (!rc && page > 1) rc = page_link(b, &q, page - 1, "上一页", "prev");
    if (!rc && more) rc = page_link(b, &q, page + 1, "下一页", "next");
    if (!rc) rc = mw_buf_puts(b, "</nav>\n");
  }
  if (!rc) rc = mw_web_page_end(b, r);
  mw_alert_recs_free(a, n_got);
  if (rc) return rc;
  return mw_web_page_reply(o, 200);
}
