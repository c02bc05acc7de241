/*
 * pages_test_util.h: what the page tests (test_pages.c,
 * test_pages_alerts.c) check on every page they fetch from the server of
 * test_api_fixture.h: the Content-Security-Policy, text in or not in the
 * body, no inline code, the frame of a signed-in page and xmllint --html.
 *
 * Every check fails the test with cmocka's fail_msg, showing the page.
 */
#ifndef MW_PAGES_TEST_UTIL_H
#define MW_PAGES_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "tests/web/test_api_fixture.h"

#define TP_CSP_PAGE                                                         \
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src "       \
  "'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; " \
  "frame-ancestors 'none'"
#define TP_CSP_API "default-src 'none'; frame-ancestors 'none'"

/* TA_XSS_TITLE as a page must show it. */
#define TP_XSS_ESCAPED "&lt;script&gt;alert(1)&lt;/script&gt;无废细胞进社区"

/* GET path with s (NULL: signed out); fails unless the status is want and
 * the page policy (TP_CSP_API under /api/) is set; returns the body
 * (caller frees). */
char *tp_page(struct ta *f, const char *path, const struct wt_session *s,
              long want);

/* needle must / must not be in body. */
void tp_expect_in(const char *body, const char *needle);
void tp_expect_not_in(const char *body, const char *needle);
/* tp_expect_in (present) or tp_expect_not_in of the text fmt makes (up
 * to 1023 bytes; longer fails the test). */
void tp_expect_f(const char *body, bool present, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* How many times needle stands in body. */
size_t tp_count_of(const char *body, const char *needle);

/* What the CSP forbids is absent: inline script, style attributes and
 * elements, event handler attributes. */
void tp_expect_no_inline(const char *body);

/* xmllint --html on body: every message must be an HTML5 or SVG tag
 * libxml2's HTML 4 parser does not know. what names the page. */
void tp_lint(const char *body, const char *what);

/* Every signed-in page: the frame with nav item nav active, no inline
 * code, lint. */
void tp_check_frame(const char *body, const char *nav, const char *what);

#endif
