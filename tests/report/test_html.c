/* Tests the HTML report (report/html*.c): xmllint --html finds no error in
 * it; it is one self-contained page (no script, nothing loaded from
 * elsewhere), printable on A4 and fluid on a phone; the three SVG charts
 * are there with one bar per day, per tier and per top outlet, and each
 * is well-formed XML; titles and names from crawled pages are escaped in
 * the page and inside the charts; alert levels carry their colours. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "alerts/alerts.h"
#include "tests/report/report_fixture.h"

static int setup(void **state) {
  struct rf *f = calloc(1, sizeof *f);
  rf_init(f);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  rf_cleanup(*state);
  free(*state);
  return 0;
}

static void expect(const char *text, const char *needle) {
  if (!strstr(text, needle)) fail_msg("expected '%s' in the page", needle);
}

static size_t count(const char *text, const char *needle) {
  size_t n = 0;
  for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle)) n++;
  return n;
}

/* Writes len bytes to a fresh temporary file; returns its malloc'd path. */
static char *write_tmp(const char *data, size_t len, const char *suffix) {
  const char *dir = getenv("TMPDIR");
  char tmpl[4096];
  snprintf(tmpl, sizeof tmpl, "%s/mw_html_XXXXXX%s", dir ? dir : "/tmp",
           suffix);
  int fd = mkstemps(tmpl, (int)strlen(suffix));
  if (fd < 0) fail_msg("cannot create %s", tmpl);
  assert_int_equal(write(fd, data, len), (ssize_t)len);
  close(fd);
  return strdup(tmpl);
}

/* Runs xmllint with flags on data; returns what it printed (malloc'd)
 * and fails when it exits non-zero. */
static char *xmllint(const char *flags, const char *data, size_t len) {
  char *path = write_tmp(data, len, ".html");
  char cmd[4300];
  snprintf(cmd, sizeof cmd, "xmllint %s --noout '%s' 2>&1", flags, path);
  FILE *p = popen(cmd, "r");
  if (!p) fail_msg("cannot run xmllint");
  char *out = calloc(1, 65536);
  size_t n = fread(out, 1, 65535, p);
  out[n] = '\0';
  int status = pclose(p);
  unlink(path);
  free(path);
  if (status != 0)
    fail_msg("xmllint %s exited %d (is libxml2-utils installed?):\n%s", flags,
             status, out);
  return out;
}

static int hexval(char c) {
  return c >= '0' && c <= '9'   ? c - '0'
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

/* The SVG of chart id, decoded from its data: URI (malloc'd). */
static char *chart(const char *html, const char *id) {
  char key[64];
  snprintf(key, sizeof key, "<img class=\"chart\" id=\"%s\"", id);
  const char *at = strstr(html, key);
  if (!at) fail_msg("no chart %s", id);
  static const char pre[] = "src=\"data:image/svg+xml;charset=utf-8,";
  at = strstr(at, pre);
  assert_non_null(at);
  at += sizeof pre - 1;
  const char *end = strchr(at, '"');
  assert_non_null(end);
  char *svg = malloc((size_t)(end - at) + 1);
  size_t n = 0;
  for (const char *p = at; p < end; p++) {
    if (*p == '%') {
      int hi = hexval(p[1]), lo = hexval(p[2]);
      if (hi < 0 || lo < 0) fail_msg("bad escape in chart %s", id);
      svg[n++] = (char)(hi * 16 + lo);
      p += 2;
    } else {
      /* Only unreserved characters stay as they are. */
      if (strchr("<>\"'& #%", *p)) fail_msg("raw '%c' in chart %s", *p, id);
      svg[n++] = *p;
    }
  }
  svg[n] = '\0';
  char *lint = xmllint("", svg, n); /* well-formed XML */
  assert_string_equal(lint, "");
  free(lint);
  return svg;
}

static void test_xmllint_clean(void **state) {
  struct rf *f = *state;
  rf_render(f, MW_REPORT_HTML);
  char *out = xmllint("--html", f->out.data, f->out.len);
  if (out[0]) fail_msg("xmllint --html found errors:\n%s", out);
  free(out);
}

static void test_self_contained(void **state) {
  struct rf *f = *state;
  rf_render(f, MW_REPORT_HTML);
  const char *h = f->out.data;
  assert_memory_equal(h, "<!DOCTYPE html>\n<html lang=\"zh-CN\">", 31);
  expect(h, "<meta charset=\"utf-8\">");
  expect(h,
         "<meta name=\"viewport\" content=\"width=device-width, "
         "initial-scale=1\">");
  expect(h, "@media print{@page{size:A4;");
  expect(h, ".break{break-before:page;");
  expect(h, ".scroll{overflow-x:auto");
  expect(
      h,
      "<title>吉林省生态环境厅宣传教育中心 媒体报道周报 2023年第19周</title>");
  expect(h,
         "统计周期：2023年第19周 2023-05-08 至 2023-05-14（2023-W19，"
         "Asia/Shanghai）");
  /* No script, no stylesheet or image from elsewhere. */
  assert_null(strstr(h, "<script"));
  assert_null(strstr(h, "<link"));
  assert_null(strstr(h, "url("));
  assert_null(strstr(h, "src=\"http"));
  assert_int_equal(count(h, "<img"), 3);
  assert_int_equal(count(h, "<img class=\"chart\""), 3);
  /* Every table scrolls sideways inside its box. */
  assert_int_equal(count(h, "<table"),
                   count(h, "<div class=\"scroll\"><table"));
}

static void test_charts(void **state) {
  struct rf *f = *state;
  rf_render(f, MW_REPORT_HTML);
  char *daily = chart(f->out.data, "chart-daily");
  assert_int_equal(count(daily, "class=\"bar\""), 7);
  expect(daily, "<title>2023-05-11：4 篇</title>");
  /* The largest day is 180 px high; an empty day has a bar of height 0. */
  expect(daily, "height=\"180\"");
  expect(daily, "height=\"0\"");
  free(daily);
  char *tiers = chart(f->out.data, "chart-tiers");
  assert_int_equal(count(tiers, "class=\"bar\""), 4);
  expect(tiers, ">中央媒体</text>");
  free(tiers);
  char *outlets = chart(f->out.data, "chart-outlets");
  assert_int_equal(count(outlets, "class=\"bar\""), 4);
  /* Most articles first. */
  const char *a = strstr(outlets, ">人民日报<"),
             *b = strstr(outlets, ">吉林日报<");
  assert_true(a && b && a < b);
  free(outlets);
}

/* An outlet name from a crawled page inside the chart, and more outlets
 * than the chart shows. */
static void test_chart_escapes_and_limits(void **state) {
  struct rf *f = *state;
  struct mw_coverage_cell cells[12];
  char names[11][16];
  cells[0] =
      (struct mw_coverage_cell){(char *)XSS_SCRIPT, MW_TIER_COUNTY, NULL, 50};
  for (int i = 0; i < 11; i++) {
    snprintf(names[i], sizeof names[i], "县报%d", i);
    cells[i + 1] =
        (struct mw_coverage_cell){names[i], MW_TIER_COUNTY, NULL, i + 1};
  }
  f->cov.cells = cells;
  f->cov.n_cells = 12;
  rf_render(f, MW_REPORT_HTML);
  char *out = xmllint("--html", f->out.data, f->out.len);
  assert_string_equal(out, "");
  free(out);
  char *svg = chart(f->out.data, "chart-outlets");
  assert_int_equal(count(svg, "class=\"bar\""), 10);
  assert_null(strstr(svg, "<script"));
  expect(svg, ">&lt;script&gt;alert(1)&lt;/script&gt;</text>");
  assert_null(strstr(svg, ">县报0<")); /* the 11th and 12th are left out */
  free(svg);
}

static void test_escaping_and_levels(void **state) {
  struct rf *f = *state;
  rf_render(f, MW_REPORT_HTML);
  const char *h = f->out.data;
  expect(h, "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>");
  /* The javascript: URL is no link; the title is text. */
  assert_null(strstr(h, "javascript:"));
  expect(h, "<td>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</td>");
  /* The https URL is a link, escaped inside the attribute. */
  expect(h,
         "<a href=\"https://ly.jl.gov.cn/detail/2023050800417.html?a=1&amp;"
         "b=&quot;x&quot;\" rel=\"noopener noreferrer\">&lt;script&gt;");
  expect(h, "HTTP 403 &lt;b&gt;Forbidden&lt;/b&gt;");
  assert_null(strstr(h, "<b>"));
  char want[128];
  snprintf(want, sizeof want,
           "<span class=\"lv\" style=\"background:%s\">"
           "特别重大</span>",
           mw_alert_level_hex(MW_ALERT_CRITICAL));
  assert_int_equal(count(h, want), 2); /* the counts and alert 7 */
  snprintf(want, sizeof want,
           "<span class=\"lv\" style=\"background:%s\">"
           "一般</span>",
           mw_alert_level_hex(MW_ALERT_GENERAL));
  assert_int_equal(count(h, want), 1);
  expect(h, "2023-05-11 14:26 <span class=\"overdue\">超期</span>");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_xmllint_clean, setup, teardown),
      cmocka_unit_test_setup_teardown(test_self_contained, setup, teardown),
      cmocka_unit_test_setup_teardown(test_charts, setup, teardown),
      cmocka_unit_test_setup_teardown(test_chart_escapes_and_limits, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_escaping_and_levels, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
