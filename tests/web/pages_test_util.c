/*
 * pages_test_util.c: the checks the page tests share (pages_test_util.h).
 * xmllint runs on a copy of the page in a temporary directory, removed
 * again; the fixture and its server are test_api_fixture.c's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/web/pages_test_util.h"

/* GET path with s; fails unless the status is want; returns the body
 * (caller frees). */
char *tp_page(struct ta *f, const char *path, const struct wt_session *s,
              long want) {
  struct wt_reply r;
  long st = wt_get(f->w, path, s, &r);
  if (st != want)
    fail_msg("GET %s: status %ld, wanted %ld: %s %s", path, st, want,
             r.body ? r.body : "", r.error);
  /* Every page, error pages included, carries the page policy. */
  char csp[512] = "";
  if (!wt_header(&r, "Content-Security-Policy", csp, sizeof csp) ||
      strcmp(csp, strncmp(path, "/api/", 5) ? TP_CSP_PAGE : TP_CSP_API) != 0)
    fail_msg("GET %s: Content-Security-Policy \"%s\"", path, csp);
  char *body = r.body;
  r.body = NULL;
  wt_reply_cleanup(&r);
  return body;
}

void tp_expect_in(const char *body, const char *needle) {
  if (!body) fail_msg("no page to look for %s in", needle);
  if (!body || !strstr(body, needle))
    fail_msg("expected in the page: %s\n---- page:\n%s", needle,
             body ? body : "");
}

void tp_expect_not_in(const char *body, const char *needle) {
  if (!body) fail_msg("no page to look for %s in", needle);
  if (body && strstr(body, needle))
    fail_msg("not expected in the page: %s\n---- page:\n%s", needle, body);
}

void tp_expect_f(const char *body, bool present, const char *fmt, ...) {
  char needle[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(needle, sizeof needle, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= sizeof needle)
    fail_msg("tp_expect_f: the text of \"%s\" is too long", fmt);
  if (present)
    tp_expect_in(body, needle);
  else
    tp_expect_not_in(body, needle);
}

size_t tp_count_of(const char *body, const char *needle) {
  size_t n = 0;
  for (const char *p = body; (p = strstr(p, needle)); p += strlen(needle)) n++;
  return n;
}

/* What the CSP forbids: inline script, style attributes and elements,
 * event handler attributes. */
void tp_expect_no_inline(const char *body) {
  tp_expect_not_in(body, "<script>");
  tp_expect_not_in(body, " style=");
  tp_expect_not_in(body, "<style");
  tp_expect_not_in(body, " onclick=");
  tp_expect_not_in(body, " onload=");
  tp_expect_not_in(body, "javascript:");
}

/* xmllint --html on body: every message must be an HTML5 or SVG tag
 * libxml2's HTML 4 parser does not know. */
void tp_lint(const char *body, const char *what) {
  char dir[] = "/tmp/mw_pages_XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[64];
  snprintf(path, sizeof path, "%s/page.html", dir);
  FILE *fp = fopen(path, "w");
  assert_non_null(fp);
  fputs(body, fp);
  fclose(fp);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "xmllint --html --noout '%s' 2>&1", path);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  static const char *const html5[] = {"nav",      "main", "header", "footer",
                                      "section",  "svg",  "rect",   "text",
                                      "progress", "mark"};
  char line[4096];
  char bad[8192] = "";
  while (fgets(line, sizeof line, p)) {
    const char *e = strstr(line, "error :");
    if (!e) continue; /* the context and caret lines of a message */
    bool known = false;
    for (size_t i = 0; i < sizeof html5 / sizeof html5[0]; i++) {
      char want[64];
      snprintf(want, sizeof want, "error : Tag %s invalid", html5[i]);
      if (strncmp(e, want, strlen(want)) == 0) known = true;
    }
    if (!known && strlen(bad) + strlen(line) < sizeof bad)
      strncat(bad, line, sizeof bad - strlen(bad) - 1);
  }
  int status = pclose(p);
  unlink(path);
  rmdir(dir);
  if (status != 0 || bad[0])
    fail_msg("xmllint --html on %s (exit %d):\n%s", what, status, bad);
}

/* Every signed-in page: frame, selectors, no inline code, lint. */
void tp_check_frame(const char *body, const char *nav, const char *what) {
  tp_expect_in(body, "<!doctype html>\n<html lang=\"zh-CN\">");
  tp_expect_in(body, "<meta charset=\"utf-8\">");
  tp_expect_in(body, "<meta name=\"viewport\"");
  tp_expect_in(body, "<meta name=\"csrf\" content=\"");
  tp_expect_in(body, "<link rel=\"stylesheet\" href=\"/static/style.css\">");
  tp_expect_in(body, "<script src=\"/static/app.js\" defer></script>");
  char active[128];
  snprintf(active, sizeof active,
           "data-nav=\"%s\" class=\"active\" aria-current=\"page\">", nav);
  tp_expect_in(body, active);
  assert_int_equal(tp_count_of(body, "class=\"active\""), 1);
  assert_int_equal(tp_count_of(body, "data-nav=\""), 5);
  tp_expect_in(body, "<button type=\"button\" id=\"logout\">退出</button>");
  tp_expect_no_inline(body);
  tp_lint(body, what);
}
