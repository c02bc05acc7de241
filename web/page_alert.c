/*
 * page_alert.c: one alert (GET /alerts/{id}): its fields, the forms of
 * the actions its state allows (duty officers only; app.js sends them to
 * POST /api/alerts/{id}/{action} and reloads), the articles that carried
 * it, first carrier first, and the audit trail, oldest first.
 *
 * What it leaves to others: the workflow (alerts/), the actions
 * (api_alerts.c), the frame (page.c).
 */
#include <stdio.h>
#include <string.h>

#include "web/page_int.h"

/* The audit trail's action words in Chinese; others are shown as stored. */
static const char *event_zh(const char *action) {
  static const struct {
    const char *name, *zh;
  } words[] = {
      {"raised", "新预警"},    {"rose", "级别升高"},   {"ack", "确认"},
      {"assign", "交办"},      {"progress", "督办"},   {"feedback", "反馈"},
      {"close", "办结"},       {"escalated", "升级"},  {"escalation", "升级"},
      {"overdue", "逾期督办"}, {"notified", "已通知"}, {"repeat", "提醒"},
  };
  for (size_t i = 0; action && i < sizeof words / sizeof words[0]; i++)
    if (strcmp(action, words[i].name) == 0) return words[i].zh;
  return action ? action : "";
}

static int field(struct mw_buf *b, const char *label, const char *text) {
  int rc = mw_buf_printf(b, "<dt>%s</dt><dd>", label);
  if (!rc) rc = mw_web_html(b, text && *text ? text : "—");
  if (!rc) rc = mw_buf_puts(b, "</dd>\n");
  return rc;
}

static int time_field(struct mw_buf *b, const struct mw_web_req *r,
                      const char *label, int64_t t) {
  char s[32];
  mw_web_time_local(r->web, t, s, sizeof s);
  return field(b, label, s);
}

static int put_fields(struct mw_buf *b, const struct mw_web_req *r,
                      const struct mw_alert_rec *a) {
  int level = a->level >= 1 && a->level <= 4 ? a->level : 0;
  int rc = mw_buf_printf(b,
                         "<dl id=\"alert-fields\" class=\"fields lv-row-%d"
                         "%s\" data-alert-id=\"%lld\" data-level=\"%d\" "
                         "data-state=\"",
                         level, a->overdue ? " overdue" : "", (long long)a->id,
                         level);
  if (!rc) rc = mw_web_html(b, a->state);
  if (!rc)
    rc = mw_buf_printf(b,
                       "\">\n<dt>编号</dt><dd>%lld</dd>\n<dt>级别"
                       "</dt><dd>",
                       (long long)a->id);
  if (!rc) rc = mw_web_page_level(b, level);
  if (!rc) rc = mw_buf_puts(b, "</dd>\n<dt>状态</dt><dd class=\"c-state\">");
  if (!rc) rc = mw_web_html(b, mw_web_page_state_zh(a->state));
  if (!rc && a->overdue)
    rc = mw_buf_puts(b, " <span class=\"flag\">逾期</span>");
  if (!rc) rc = mw_buf_puts(b, "</dd>\n");
  if (!rc) rc = field(b, "专题", a->topic);
  if (!rc) rc = field(b, "属地", a->region);
  if (!rc) rc = field(b, "原因", a->reason);
  if (!rc) rc = mw_buf_puts(b, "<dt>原文</dt><dd>");
  if (!rc)
    rc = a->url ? mw_web_page_link_out(b, a->url, NULL) : mw_buf_puts(b, "—");
  if (!rc)
    rc = mw_buf_printf(b, "</dd>\n<dt>传播</dt><dd>%lld 家媒体，%lld 篇",
                       (long long)a->outlet_count, (long long)a->article_count);
  if (!rc && a->outlets && *a->outlets) {
    rc = mw_buf_puts(b, "：");
    if (!rc) rc = mw_web_html(b, a->outlets);
  }
  if (!rc) rc = mw_buf_puts(b, "</dd>\n");
  if (!rc) rc = time_field(b, r, "预警时间", a->created);
  if (!rc) rc = time_field(b, r, "更新时间", a->updated);
  if (!rc) rc = time_field(b, r, "响应期限", a->deadline);
  if (!rc) rc = field(b, "确认人", a->acked_by);
  if (!rc) rc = field(b, "承办单位", a->assignee);
  if (!rc) rc = time_field(b, r, "办结期限", a->due);
  if (!rc)
    rc = field(b, "升级",
               a->escalation == 2   ? "已升级至领导"
               : a->escalation == 1 ? "已升级至下一值班人"
                                    : "未升级");
  if (!rc) rc = mw_buf_puts(b, "</dl>\n");
  return rc;
}

static int put_actions(struct mw_buf *b, const struct mw_web_req *r,
                       const struct mw_alert_rec *a) {
  if (!mw_web_page_can_act(r)) return MW_OK;
  struct mw_buf acts;
  mw_buf_init(&acts, 1 << 16);
  int rc = mw_web_page_actions(&acts, r, a->id, a->state, true);
  /* Only the comment field: nothing is allowed from this state. */
  bool any = !rc && strstr(acts.data ? acts.data : "", "data-action") != NULL;
  if (!rc && any) {
    rc = mw_buf_printf(b,
                       "<section id=\"actions\">\n<h2>处置</h2>\n<div "
                       "class=\"actions detail\" data-id=\"%lld\">\n",
                       (long long)a->id);
    if (!rc) rc = mw_buf_append(b, acts.data, acts.len);
    if (!rc)
      rc = mw_buf_puts(b,
                       "</div>\n<p id=\"action-error\" class=\"error\" "
                       "role=\"alert\"></p>\n</section>\n");
  }
  mw_buf_cleanup(&acts);
  return rc;
}

static int put_articles(struct mw_buf *b, const struct mw_web_req *r,
                        int64_t id, struct mw_err *err) {
  struct mw_alert_article *arts = NULL;
  size_t n = 0;
  int rc = mw_store_alert_articles(r->store, id, &arts, &n, err);
  if (rc) return rc;
  rc = mw_buf_printf(b,
                     "<section id=\"articles\">\n<h2>相关报道（%zu）</h2>\n"
                     "<table class=\"articles\">\n<thead><tr><th>标题</th>"
                     "<th>媒体</th><th>发布时间</th></tr></thead>\n"
                     "<tbody>\n",
                     n);
  for (size_t i = 0; !rc && i < n; i++) {
    char when[32];
    mw_web_time_local(r->web,
                      arts[i].published ? arts[i].published : arts[i].fetched,
                      when, sizeof when);
    rc = mw_buf_printf(b, "<tr data-article-id=\"%lld\"><td>",
                       (long long)arts[i].id);
    if (!rc)
      rc = mw_web_page_link_out(
          b, arts[i].url,
          arts[i].title && *arts[i].title ? arts[i].title : "（无标题）");
    if (!rc) rc = mw_buf_puts(b, "</td><td>");
    if (!rc) rc = mw_web_html(b, arts[i].outlet);
    if (!rc)
      rc = mw_buf_printf(b, "</td><td>%s%s</td></tr>\n", when,
                         arts[i].published ? "" : "（抓取）");
  }
  if (!rc) rc = mw_buf_puts(b, "</tbody>\n</table>\n</section>\n");
  mw_alert_articles_free(arts, n);
  return rc;
}

static int put_events(struct mw_buf *b, const struct mw_web_req *r, int64_t id,
                      struct mw_err *err) {
  struct mw_alert_event *ev = NULL;
  size_t n = 0;
  int rc = mw_store_alert_events(r->store, id, &ev, &n, err);
  if (rc) return rc;
  rc = mw_buf_puts(b,
                   "<section id=\"events\">\n<h2>处置记录</h2>\n<table "
                   "class=\"events\">\n<thead><tr><th>时间</th><th>操作人"
                   "</th><th>操作</th><th>状态</th><th>说明</th></tr>"
                   "</thead>\n<tbody>\n");
  for (size_t i = 0; !rc && i < n; i++) {
    char when[32];
    mw_web_time_local(r->web, ev[i].at, when, sizeof when);
    rc = mw_buf_printf(b, "<tr data-event-id=\"%lld\" data-action=\"",
                       (long long)ev[i].id);
    if (!rc) rc = mw_web_html(b, ev[i].action);
    if (!rc) rc = mw_buf_printf(b, "\"><td>%s</td><td>", when);
    if (!rc) rc = mw_web_html(b, ev[i].actor);
    if (!rc) rc = mw_buf_puts(b, "</td><td>");
    if (!rc) rc = mw_web_html(b, event_zh(ev[i].action));
    if (!rc) rc = mw_buf_puts(b, "</td><td>");
    if (!rc && ev[i].from_state) {
      rc = mw_web_html(b, mw_web_page_state_zh(ev[i].from_state));
      if (!rc) rc = mw_buf_puts(b, " → ");
    }
    if (!rc && ev[i].to_state)
      rc = mw_web_html(b, mw_web_page_state_zh(ev[i].to_state));
    if (!rc) rc = mw_buf_puts(b, "</td><td>");
    if (!rc) rc = mw_web_html(b, ev[i].comment);
    if (!rc) rc = mw_buf_puts(b, "</td></tr>\n");
  }
  if (!rc && n == 0)
    rc = mw_buf_puts(b, "<tr class=\"empty\"><td colspan=\"5\">无</td></tr>\n");
  if (!rc) rc = mw_buf_puts(b, "</tbody>\n</table>\n</section>\n");
  mw_alert_events_free(ev, n);
  return rc;
}

int mw_web_page_alert(struct mw_web_req *r, struct mw_web_resp *o) {
  int64_t id;
  const char *rest;
  if (!mw_web_path_id(r->path, "/alerts/", &id, &rest) || *rest)
    return mw_web_page_error(r, o, 404, "未找到", "没有这个预警。");
  struct mw_alert_rec a;
  memset(&a, 0, sizeof a);
  struct mw_err err = {0};
  int rc = mw_store_alert_get(r->store, id, &a, &err);
  if (rc == MW_ENOTFOUND) {
    char msg[64];
    snprintf(msg, sizeof msg, "没有编号为 %lld 的预警。", (long long)id);
    return mw_web_page_error(r, o, 404, "未找到", msg);
  }
  if (rc) return rc;
  struct mw_buf *b = &o->body;
  rc = mw_web_page_begin(b, r, a.title && *a.title ? a.title : a.key, "alerts");
  if (!rc)
    rc = mw_buf_puts(b,
                     "<p class=\"back\"><a href=\"/alerts\">← 预警队列</a>"
                     "</p>\n");
  if (!rc) rc = put_fields(b, r, &a);
  if (!rc) rc = put_actions(b, r, &a);
  if (!rc) rc = put_articles(b, r, id, &err);
  if (!rc) rc = put_events(b, r, id, &err);
  if (!rc) rc = mw_web_page_end(b, r);
  mw_alert_rec_cleanup(&a);
  if (rc) return rc;
  return mw_web_page_reply(o, 200);
}
