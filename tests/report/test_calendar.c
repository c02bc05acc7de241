/*
 * test_calendar.c: the campaign calendar (report/calendar.c) and its
 * report section (report/calendar_*.c). The file format: yearly and
 * per-year events, comments, a BOM, and every error naming its line. The
 * occurrences near a period, in Asia/Shanghai, from the shipped
 * examples/calendar.tsv. The section in md, csv, json and html from the
 * full-report fixture (week 2023-W19) plus fixed coverage around three
 * events, one with a hostile name, compared with golden files; left out
 * when not gathered; inert markup.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "tests/report/report_fixture.h"

static struct mw_calendar *parse_ok(const char *text) {
  struct mw_calendar *c = NULL;
  struct mw_err err = {0};
  if (mw_calendar_parse(text, strlen(text), "cal.tsv", &c, &err))
    fail_msg("parse: %s", err.msg);
  return c;
}

static void parse_bad(const char *text, const char *msg) {
  struct mw_calendar *c = NULL;
  struct mw_err err = {0};
  assert_int_equal(mw_calendar_parse(text, strlen(text), "cal.tsv", &c, &err),
                   MW_EINVAL);
  assert_null(c);
  if (!strstr(err.msg, msg)) fail_msg("'%s' not in '%s'", msg, err.msg);
}

static void test_parse(void **state) {
  (void)state;
  struct mw_calendar *c =
      parse_ok("\xEF\xBB\xBF# 宣传节点\n\n六五环境日\t06-05\r\n"
               "  全国城市生活垃圾分类宣传周 \t2023-05-22\t2023-05-28\n"
               "全国低碳日\t2023-07-12\t\n闰日\t02-29");
  assert_int_equal(c->n_events, 4);
  assert_string_equal(c->events[0].name, "六五环境日");
  assert_int_equal(c->events[0].year, 0);
  assert_int_equal(c->events[0].month, 6);
  assert_int_equal(c->events[0].day, 5);
  assert_int_equal(c->events[0].last_month, 6);
  assert_int_equal(c->events[0].last_day, 5);
  assert_int_equal(c->events[0].line, 3);
  assert_string_equal(c->events[1].name, "全国城市生活垃圾分类宣传周");
  assert_int_equal(c->events[1].year, 2023);
  assert_int_equal(c->events[1].last_month, 5);
  assert_int_equal(c->events[1].last_day, 28);
  assert_int_equal(c->events[2].last_day, 12);
  assert_int_equal(c->events[3].day, 29);
  mw_calendar_free(c);

  c = parse_ok("# nothing\n");
  assert_int_equal(c->n_events, 0);
  mw_calendar_free(c);
}

static void test_parse_errors(void **state) {
  (void)state;
  parse_bad("a\t06-05\nb\t6-5\n", "cal.tsv:2: '6-5' is not a day");
  parse_bad("a\t02-30\n", "cal.tsv:1: '02-30' is not a day");
  parse_bad("a\t2023-13-01\n", "is not a day");
  parse_bad("a\n", "cal.tsv:1: expected NAME, FIRST");
  parse_bad("a\t06-05\t06-06\tx\n", "found 4 fields");
  parse_bad("\t06-05\n", "cal.tsv:1: the event has no name");
  parse_bad("a\t2023-05-28\t2023-05-22\n", "the last day comes before");
  parse_bad("a\t12-30\t01-02\n", "may not cross the new year");
  parse_bad("a\t2023-12-30\t2024-01-02\n", "may not cross the new year");
  parse_bad("a\t2023-05-01\t06-01\n", "both have a year or both have none");
  parse_bad("a\t2023-05-01\t2023-06-01\n", "lasts 32 days, more than 31");
  parse_bad("a\x01z\t06-05\n", "control character");
}

static void test_load_example(void **state) {
  (void)state;
  struct mw_calendar *c = NULL;
  struct mw_err err = {0};
  if (mw_calendar_load(MW_SOURCE_ROOT "/examples/calendar.tsv", &c, &err))
    fail_msg("%s", err.msg);
  assert_int_equal(c->n_events, 10);
  assert_string_equal(c->events[0].name, "地球日");
  mw_calendar_free(c);
  assert_int_equal(mw_calendar_load("/nonexistent/cal.tsv", &c, &err),
                   MW_EIO);
  assert_non_null(strstr(err.msg, "/nonexistent/cal.tsv: cannot open"));
}

static void test_near(void **state) {
  (void)state;
  struct mw_calendar *c = NULL;
  struct mw_tz *tz = NULL;
  struct mw_err err = {0};
  if (mw_calendar_load(MW_SOURCE_ROOT "/examples/calendar.tsv", &c, &err) ||
      mw_tz_load("Asia/Shanghai", &tz, &err))
    fail_msg("%s", err.msg);
  struct mw_report_period p;
  struct mw_calendar_occurrence *o = NULL;
  size_t n = 0;
  /* 2023-W20, May 15-21: the window runs May 8 to May 28. The campaign
   * week (May 20-26) starts in it, 生物多样性日 follows it. */
  assert_int_equal(mw_report_week_period(tz, 2023, 20, &p, &err), 0);
  assert_int_equal(mw_calendar_near(c, tz, &p, &o, &n, &err), 0);
  assert_int_equal(n, 2);
  assert_string_equal(o[0].event->name, "全国城市生活垃圾分类宣传周");
  assert_string_equal(o[0].first, "2023-05-20");
  assert_string_equal(o[0].last, "2023-05-26");
  assert_int_equal(o[0].where, 0);
  assert_int_equal(o[0].n_days, 7);
  assert_int_equal(o[0].from, 1684512000); /* 2023-05-20 00:00 +08:00 */
  assert_int_equal(o[0].to, 1684512000 + 7 * 86400);
  assert_string_equal(o[1].event->name, "生物多样性日");
  assert_string_equal(o[1].first, "2023-05-22");
  assert_int_equal(o[1].where, 1);
  assert_int_equal(o[1].n_days, 1);
  assert_int_equal(o[1].from, 1684684800); /* 2023-05-22 00:00 +08:00 */
  assert_int_equal(o[1].to, 1684684800 + 86400);
  assert_int_equal(o[1].lead_from, 1684684800 - 7 * 86400);
  free(o);
  /* June 2023: 六五环境日 in it, the campaign week ends 6 days before. */
  assert_int_equal(mw_report_month_period(tz, 2023, 6, &p, &err), 0);
  assert_int_equal(mw_calendar_near(c, tz, &p, &o, &n, &err), 0);
  assert_int_equal(n, 2);
  assert_string_equal(o[0].event->name, "全国城市生活垃圾分类宣传周");
  assert_int_equal(o[0].where, -1);
  assert_string_equal(o[1].event->name, "六五环境日");
  assert_string_equal(o[1].first, "2023-06-05");
  assert_int_equal(o[1].where, 0);
  free(o);
  /* 2024-W21 (May 20-26): the 2024 week from seed 003 and 生物多样性日;
   * not the 2023 week. */
  assert_int_equal(mw_report_week_period(tz, 2024, 21, &p, &err), 0);
  assert_int_equal(mw_calendar_near(c, tz, &p, &o, &n, &err), 0);
  assert_int_equal(n, 2);
  assert_string_equal(o[0].first, "2024-05-20");
  assert_string_equal(o[0].last, "2024-05-26");
  assert_string_equal(o[1].event->name, "生物多样性日");
  assert_string_equal(o[1].first, "2024-05-22");
  free(o);
  /* Nothing near 2023-W02. */
  assert_int_equal(mw_report_week_period(tz, 2023, 2, &p, &err), 0);
  assert_int_equal(mw_calendar_near(c, tz, &p, &o, &n, &err), 0);
  assert_int_equal(n, 0);
  free(o);
  mw_calendar_free(c);
  mw_tz_free(tz);
}

/* ---------------------------------------------------- the report section */

#define CELL(o, t, topic, n) \
  { (char *)(o), (t), (char *)(topic), (n) }

static struct mw_calendar_event events[] = {
    {.name = (char *)"生物多样性日", .month = 5, .day = 22,
     .last_month = 5, .last_day = 22, .line = 2},
    {.name = (char *)"全国城市生活垃圾分类宣传周", .year = 2023, .month = 5,
     .day = 8, .last_month = 5, .last_day = 14, .line = 3},
    {.name = (char *)XSS_SCRIPT "=1+1", .month = 5, .day = 4,
     .last_month = 5, .last_day = 4, .line = 4},
};

static struct mw_calendar_occurrence occs[] = {
    {.event = &events[2], .first = "2023-05-04", .last = "2023-05-04",
     .n_days = 1, .where = -1},
    {.event = &events[1], .first = "2023-05-08", .last = "2023-05-14",
     .n_days = 7, .where = 0},
    {.event = &events[0], .first = "2023-05-22", .last = "2023-05-22",
     .n_days = 1, .where = 1},
};

/* The week: 14 articles (垃圾分类 9, 无废城市 3; a topic the table does
 * not know is ignored); the 7 days before: 7 (垃圾分类 2, 无废城市 3). */
static struct mw_coverage_cell week_during[] = {
    CELL("人民日报", MW_TIER_CENTRAL, NULL, 4),
    CELL("人民日报", MW_TIER_CENTRAL, "垃圾分类", 3),
    CELL("吉林日报", MW_TIER_PROVINCIAL, NULL, 10),
    CELL("吉林日报", MW_TIER_PROVINCIAL, "垃圾分类", 6),
    CELL("吉林日报", MW_TIER_PROVINCIAL, "无废城市", 3),
    CELL("吉林日报", MW_TIER_PROVINCIAL, "旧主题", 5),
};
static struct mw_coverage_cell week_lead[] = {
    CELL("人民日报", MW_TIER_CENTRAL, NULL, 7),
    CELL("人民日报", MW_TIER_CENTRAL, "垃圾分类", 2),
    CELL("人民日报", MW_TIER_CENTRAL, "无废城市", 3),
};
/* The day: 2 articles, 1 on 无废城市; the week before: 14, 垃圾分类 9. */
static struct mw_coverage_cell day_during[] = {
    CELL("长春日报", MW_TIER_CITY, NULL, 2),
    CELL("长春日报", MW_TIER_CITY, "无废城市", 1),
};

static struct mw_coverage cov_week_during = {0, 1, week_during, 6};
static struct mw_coverage cov_week_lead = {0, 1, week_lead, 3};
static struct mw_coverage cov_day_during = {0, 1, day_during, 2};
static struct mw_coverage cov_empty = {0, 1, NULL, 0};

static struct mw_calendar_coverage cal_cov[] = {
    {&occs[0], &cov_day_during, &cov_empty},
    {&occs[1], &cov_week_during, &cov_week_lead},
    {&occs[2], &cov_empty, &cov_week_during},
};

/* The fixture with the calendar section only. */
static void init(struct rf *f, size_t n) {
  rf_init(f);
  f->in.has_daily = f->in.has_top = f->in.has_alerts = f->in.has_failed =
      false;
  f->in.has_calendar = true;
  f->in.calendar = cal_cov;
  f->in.n_calendar = n;
}

/* The bytes of text from start up to (not including) stop, or the end. */
static char *slice(const char *text, const char *start, const char *stop) {
  const char *a = strstr(text, start);
  if (!a) fail_msg("no '%s' in:\n%s", start, text);
  const char *b = stop ? strstr(a + strlen(start), stop) : NULL;
  size_t n = b ? (size_t)(b - a) : strlen(a);
  char *s = malloc(n + 1);
  memcpy(s, a, n);
  s[n] = '\0';
  return s;
}

static void golden(const char *name, char *got) {
  rf_check_golden(name, got, strlen(got));
  free(got);
}

static void test_section_md(void **state) {
  (void)state;
  struct rf f;
  init(&f, 3);
  rf_render(&f, MW_REPORT_MD);
  golden("calendar_2023-W19.md", slice(f.out.data, "\n## 宣传节点", "\n## "));
  rf_cleanup(&f);
}

static void test_section_csv(void **state) {
  (void)state;
  struct rf f;
  init(&f, 3);
  rf_render(&f, MW_REPORT_CSV);
  golden("calendar_2023-W19.csv",
         slice(f.out.data, "row_type,event,", "\r\n\r\n"));
  rf_cleanup(&f);
}

static void test_section_json(void **state) {
  (void)state;
  struct rf f;
  init(&f, 3);
  rf_render(&f, MW_REPORT_JSON);
  json_error_t je;
  json_t *root = json_loads(f.out.data, 0, &je);
  if (!root) fail_msg("invalid JSON: %s", je.text);
  json_t *cal = json_object_get(root, "calendar");
  assert_non_null(cal);
  char *text = json_dumps(cal, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
  size_t len = strlen(text);
  char *got = malloc(len + 2);
  memcpy(got, text, len);
  memcpy(got + len, "\n", 2);
  free(text);
  golden("calendar_2023-W19.json", got);
  /* The campaign week: 9 垃圾分类 against 2, per day 1.3 against 0.3. */
  json_t *week = json_array_get(json_object_get(cal, "events"), 1);
  json_t *t = json_object_get(json_object_get(week, "topics"), "垃圾分类");
  assert_int_equal(json_integer_value(json_object_get(t, "during")), 9);
  assert_int_equal(json_integer_value(json_object_get(t, "lead")), 2);
  assert_true(json_is_true(json_object_get(t, "rose")));
  json_decref(root);
  rf_cleanup(&f);
}

static void test_section_html(void **state) {
  (void)state;
  struct rf f;
  init(&f, 3);
  rf_render(&f, MW_REPORT_HTML);
  golden("calendar_2023-W19.html",
         slice(f.out.data, "<div class=\"section\" id=\"calendar\">",
               "</table></div>\n</div>\n"));
  assert_null(strstr(f.out.data, "<script"));
  assert_non_null(strstr(f.out.data, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  rf_cleanup(&f);
}

static void test_section_empty_and_absent(void **state) {
  (void)state;
  struct rf f;
  init(&f, 0);
  rf_render(&f, MW_REPORT_MD);
  assert_non_null(strstr(f.out.data, "\n## 宣传节点（本期前后7天）\n\n"
                                     "本期前后无宣传节点。\n"));
  rf_render(&f, MW_REPORT_HTML);
  assert_non_null(strstr(f.out.data, "<p>本期前后无宣传节点。</p>"));
  rf_render(&f, MW_REPORT_JSON);
  assert_non_null(strstr(f.out.data, "\"events\": []"));
  f.in.has_calendar = false;
  enum mw_report_format fmts[] = {MW_REPORT_MD, MW_REPORT_CSV, MW_REPORT_JSON,
                                  MW_REPORT_HTML};
  for (size_t i = 0; i < 4; i++) {
    rf_render(&f, fmts[i]);
    assert_null(strstr(f.out.data, "宣传节点"));
    assert_null(strstr(f.out.data, "calendar"));
  }
  /* Rows without an array are refused. */
  f.in.has_calendar = true;
  f.in.calendar = NULL;
  f.in.n_calendar = 1;
  struct mw_err err = {0};
  assert_int_equal(mw_report_write(&f.cfg, &f.period, &f.in, MW_REPORT_MD,
                                   &f.out, &err),
                   MW_EINVAL);
  rf_cleanup(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse),
      cmocka_unit_test(test_parse_errors),
      cmocka_unit_test(test_load_example),
      cmocka_unit_test(test_near),
      cmocka_unit_test(test_section_md),
      cmocka_unit_test(test_section_csv),
      cmocka_unit_test(test_section_json),
      cmocka_unit_test(test_section_html),
      cmocka_unit_test(test_section_empty_and_absent),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
