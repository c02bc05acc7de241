/*
 * page_login.c: the sign-in page (GET /login, open to anyone). The form
 * is sent by app.js as JSON to POST /api/login, which sets the session
 * cookie; the script then goes to ?next= when it is a local path, else
 * to the overview. Without a session the frame shows no nav.
 */
#include "web/page_int.h"

int mw_web_page_login(struct mw_web_req *r, struct mw_web_resp *o) {
  struct mw_buf *b = &o->body;
  int rc = mw_web_page_begin(b, r, "登录", "login");
  if (!rc && r->user) {
    rc = mw_buf_puts(b, "<p class=\"note\">当前已登录：");
    if (!rc) rc = mw_web_html(b, r->user->name);
    if (!rc) rc = mw_buf_puts(b, "。<a href=\"/\">进入概览</a></p>\n");
  }
  if (!rc)
    rc = mw_buf_puts(
        b,
        "<form id=\"login-form\" class=\"login\" method=\"post\" "
        "action=\"/api/login\">\n"
        "<label for=\"login-name\">用户名</label>\n"
        "<input id=\"login-name\" name=\"name\" type=\"text\" "
        "autocomplete=\"username\" required maxlength=\"64\" autofocus>\n"
        "<label for=\"login-password\">密码</label>\n"
        "<input id=\"login-password\" name=\"password\" type=\"password\" "
        "autocomplete=\"current-password\" required maxlength=\"1024\">\n"
        "<button type=\"submit\" id=\"login-submit\">登录</button>\n"
        "<p id=\"login-error\" class=\"error\" role=\"alert\"></p>\n"
        "</form>\n");
  if (!rc) rc = mw_web_page_end(b, r);
  if (rc) return rc;
  return mw_web_page_reply(o, 200);
}
