/*
 * page.c: the frame of every dashboard page and the small pieces the
 * pages share (page_int.h).
 *
 * The frame is plain HTML5 with nothing inline that the Content Security
 * Policy would refuse: one stylesheet and one deferred script, both from
 * /static/, no style attribute, no handler attribute. The CSRF token the
 * script sends back rides in <meta name="csrf">, the role in
 * <meta name="role"> (the script draws action buttons only for duty
 * officers; the server checks the role again on every action).
 *
 * Everything that comes from the store or the request is escaped here
 * (mw_web_html) before it reaches the page. What it leaves to others:
 * the content of each page (page_*.c), the headers (server.c).
 */
#include <stdio.h>
#include <string.h>

#include "web/page_int.h"

#define APP_NAME "舆情监测"

static const struct {
  const char *key, *href, *label;
} nav_items[] = {
    {"overview", "/", "概览"},       {"alerts", "/alerts", "预警"},
    {"search", "/search", "检索"},   {"sources", "/sources", "信源"},
    {"reports", "/reports", "报告"},
};

int mw_web_page_begin(struct mw_buf *b, const struct mw_web_req *r,
                      const char *title, const char *active) {
  const struct mw_web_user *u = r->user;
  int rc = mw_buf_puts(b,
                       "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n"
                       "<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-"
                       "width, initial-scale=1\">\n");
  if (!rc && u) {
    rc = mw_buf_puts(b, "<meta name=\"csrf\" content=\"");
    if (!rc) rc = mw_web_html(b, u->csrf);
    if (!rc)
      rc = mw_buf_printf(b, "\">\n<meta name=\"role\" content=\"%s\">\n",
                         mw_user_role_name(u->role));
  }
  if (!rc) rc = mw_buf_puts(b, "<title>");
  if (!rc) rc = mw_web_html(b, title);
  if (!rc)
    rc = mw_buf_puts(b, " · " APP_NAME
                        "</title>\n"
                        "<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
                        "<script src=\"/static/app.js\" defer></script>\n"
                        "</head>\n");
  if (!rc)
    rc = mw_buf_printf(b,
                       "<body class=\"page-%s\">\n<header class=\"top\">\n"
                       "<a class=\"brand\" href=\"/\">" APP_NAME "</a>\n",
                       active ? active : "plain");
  if (!rc && u) {
    rc = mw_buf_puts(b, "<nav class=\"nav\">\n");
    for (size_t i = 0; !rc && i < sizeof nav_items / sizeof nav_items[0]; i++) {
      bool on = active && strcmp(active, nav_items[i].key) == 0;
      rc = mw_buf_printf(b, "<a href=\"%s\" data-nav=\"%s\"%s>%s</a>\n",
                         nav_items[i].href, nav_items[i].key,
                         on ? " class=\"active\" aria-current=\"page\"" : "",
                         nav_items[i].label);
    }
    if (!rc)
      rc = mw_buf_puts(b,
                       "</nav>\n<div class=\"user\">"
                       "<span class=\"user-name\">");
    if (!rc) rc = mw_web_html(b, u->name);
    if (!rc)
      rc = mw_buf_printf(b,
                         "</span> <span class=\"user-role\">%s</span> "
                         "<button type=\"button\" id=\"logout\">退出"
                         "</button></div>\n",
                         mw_user_role_label_zh(u->role));
  }
  if (!rc) rc = mw_buf_puts(b, "</header>\n<main>\n<h1>");
  if (!rc) rc = mw_web_html(b, title);
  if (!rc) rc = mw_buf_puts(b, "</h1>\n");
  return rc;
}

int mw_web_page_end(struct mw_buf *b, const struct mw_web_req *r) {
  char when[32];
  mw_web_time_local(r->web, r->now, when, sizeof when);
  int rc = mw_buf_puts(
      b, "</main>\n<footer class=\"foot\">mediawatch " MW_VERSION " · ");
  if (!rc) rc = mw_web_html(b, when);
  if (!rc) rc = mw_buf_puts(b, "</footer>\n</body>\n</html>\n");
  return rc;
}

int mw_web_page_reply(struct mw_web_resp *o, unsigned status) {
  o->status = status ? status : 200;
  o->type = "text/html; charset=utf-8";
  o->csp = MW_CSP_PAGE;
  return MW_OK;
}

int mw_web_page_error(const struct mw_web_req *r, struct mw_web_resp *o,
                      unsigned status, const char *title, const char *msg) {
  if (strncmp(r->path, "/api/", 5) == 0)
    return mw_web_reply_error(o, status,
                              status == 404   ? "not_found"
                              : status == 403 ? "forbidden"
                                              : "invalid",
                              "%s", msg);
  mw_buf_reset(&o->body);
  int rc = mw_web_page_begin(&o->body, r, title, NULL);
  if (!rc) rc = mw_buf_puts(&o->body, "<p class=\"error\">");
  if (!rc) rc = mw_web_html(&o->body, msg);
  if (!rc)
    rc = mw_buf_puts(&o->body, "</p>\n<p><a href=\"/\">返回概览</a></p>\n");
  if (!rc) rc = mw_web_page_end(&o->body, r);
  if (rc) return rc;
  return mw_web_page_reply(o, status);
}

int mw_web_page_query(struct mw_buf *url, bool *first, const char *key,
                      const char *value) {
  static const char hex[] = "0123456789ABCDEF";
  if (!value || !*value) return MW_OK;
  int rc = mw_buf_printf(url, "%c%s=", *first ? '?' : '&', key);
  *first = false;
  for (const unsigned char *p = (const unsigned char *)value; !rc && *p; p++) {
    bool keep = mw_ascii_isalpha(*p) || mw_ascii_isdigit(*p) || *p == '-' ||
                *p == '.' || *p == '_' || *p == '~';
    if (keep) {
      rc = mw_buf_putc(url, (char)*p);
    } else {
      char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
      rc = mw_buf_append(url, e, 3);
    }
  }
  return rc;
}

bool mw_web_page_can_act(const struct mw_web_req *r) {
  return r->user && r->user->role >= MW_ROLE_DUTY;
}

const char *mw_web_page_action_zh(enum mw_alert_action a) {
  static const char *const zh[MW_ACTION_COUNT] = {
      [MW_ACTION_ACK] = "确认",      [MW_ACTION_ASSIGN] = "交办",
      [MW_ACTION_PROGRESS] = "督办", [MW_ACTION_FEEDBACK] = "反馈",
      [MW_ACTION_CLOSE] = "办结",
  };
  return (unsigned)a < MW_ACTION_COUNT ? zh[a] : "";
}

int mw_web_page_level(struct mw_buf *b, int level) {
  if (level < 0 || level > 4) level = 0;
  return mw_buf_printf(b, "<span class=\"lv lv-%d\">%s</span>", level,
                       mw_alert_level_label_zh((enum mw_alert_level)level));
}

const char *mw_web_page_state_zh(const char *state) {
  enum mw_alert_state st;
  if (state && mw_alert_state_parse(state, &st) == MW_OK)
    return mw_alert_state_label_zh(st);
  return state ? state : "";
}

int mw_web_page_actions(struct mw_buf *b, const struct mw_web_req *r,
                        int64_t id, const char *state, bool with_comment) {
  enum mw_alert_state st;
  if (!mw_web_page_can_act(r) || !state ||
      mw_alert_state_parse(state, &st) != MW_OK)
    return MW_OK;
  int rc = MW_OK;
  for (int a = 0; !rc && a < MW_ACTION_COUNT; a++) {
    enum mw_alert_state to;
    if (mw_alert_transition(st, (enum mw_alert_action)a, &to, NULL) != MW_OK)
      continue;
    const char *name = mw_alert_action_name((enum mw_alert_action)a);
    rc = mw_buf_printf(b, "<span class=\"act act-%s\">", name);
    if (!rc && a == MW_ACTION_ASSIGN)
      rc = mw_buf_puts(b,
                       "<input type=\"text\" name=\"unit\" "
                       "placeholder=\"承办单位\" aria-label=\"承办单位\" "
                       "maxlength=\"200\">");
    if (!rc && a == MW_ACTION_ASSIGN && with_comment)
      rc = mw_buf_puts(b,
                       "<input type=\"text\" name=\"due\" "
                       "placeholder=\"办结期限 2026-11-26 18:00\" "
                       "aria-label=\"办结期限\" maxlength=\"40\">");
    if (!rc)
      rc = mw_buf_printf(b,
                         "<button type=\"button\" data-action=\"%s\" "
                         "data-id=\"%lld\">%s</button></span>\n",
                         name, (long long)id,
                         mw_web_page_action_zh((enum mw_alert_action)a));
  }
  if (!rc && with_comment)
    rc = mw_buf_puts(b,
                     "<textarea name=\"comment\" rows=\"2\" maxlength=\""
                     "2000\" placeholder=\"说明（可选）\" aria-label=\""
                     "说明\"></textarea>\n");
  return rc;
}

const char *mw_web_page_arg(const struct mw_web_req *r, const char *key) {
  const char *v = mw_web_arg(r, key);
  return v && *v ? v : NULL;
}

int mw_web_page_option(struct mw_buf *b, const char *value, const char *label,
                       const char *current) {
  bool sel = current ? strcmp(value, current) == 0 : !*value;
  int rc = mw_buf_puts(b, "<option value=\"");
  if (!rc) rc = mw_web_html(b, value);
  if (!rc) rc = mw_buf_printf(b, "\"%s>", sel ? " selected" : "");
  if (!rc) rc = mw_web_html(b, label);
  if (!rc) rc = mw_buf_puts(b, "</option>");
  return rc;
}

int mw_web_page_text_input(struct mw_buf *b, const char *label,
                           const char *name, const char *type,
                           const char *value) {
  int rc = mw_buf_printf(b,
                         "<label>%s <input type=\"%s\" name=\"%s\" "
                         "maxlength=\"100\" value=\"",
                         label, type, name);
  if (!rc) rc = mw_web_html(b, value);
  if (!rc) rc = mw_buf_puts(b, "\"></label>\n");
  return rc;
}

int mw_web_page_link(struct mw_buf *b, const char *path,
                     const struct mw_web_page_param *params, size_t n_params,
                     size_t ceiling, int64_t n, const char *label,
                     const char *rel) {
  struct mw_buf url;
  mw_buf_init(&url, ceiling);
  bool first = true;
  char num[24];
  snprintf(num, sizeof num, "%lld", (long long)n);
  int rc = mw_buf_puts(&url, path);
  for (size_t i = 0; !rc && i < n_params; i++)
    rc = mw_web_page_query(&url, &first, params[i].key, params[i].value);
  if (!rc) rc = mw_web_page_query(&url, &first, "page", num);
  if (!rc) rc = mw_buf_printf(b, "<a rel=\"%s\" href=\"", rel);
  if (!rc) rc = mw_web_html(b, url.data);
  if (!rc) rc = mw_buf_printf(b, "\">%s</a>\n", label);
  mw_buf_cleanup(&url);
  return rc;
}

int64_t mw_web_page_number(const struct mw_web_req *r) {
  const char *s = mw_web_arg(r, "page");
  int64_t n;
  if (!s || mw_parse_int64(s, 1, 100000, &n) != MW_OK) return 1;
  return n;
}

int mw_web_page_link_out(struct mw_buf *b, const char *url, const char *text) {
  if (!text || !*text) text = url;
  bool web = url && (mw_ascii_ncasecmp(url, "http://", 7) == 0 ||
                     mw_ascii_ncasecmp(url, "https://", 8) == 0);
  if (!web) return mw_web_html(b, text);
  int rc = mw_buf_puts(b,
                       "<a class=\"out\" rel=\"noreferrer noopener\" "
                       "href=\"");
  if (!rc) rc = mw_web_html(b, url);
  if (!rc) rc = mw_buf_puts(b, "\">");
  if (!rc) rc = mw_web_html(b, text);
  if (!rc) rc = mw_buf_puts(b, "</a>");
  return rc;
}
