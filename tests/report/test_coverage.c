/* Tests report/coverage*.c and report/table.c: the weekly coverage report
 * in Markdown, CSV and JSON against golden files in tests/data/report/
 * (regenerate with MW_UPDATE_GOLDEN=1), escaping of hostile names in every
 * format, zeros for silent outlets, store-only outlets and topics, changes
 * against the previous week, and the errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "report/report.h"

/* ---------------------------------------------------------- the fixture */

static struct mw_source_conf no_sources[1];

#define OUTLET(n, t) \
  {.name = (n), .tier = (t), .sources = no_sources, .n_sources = 0, .line = 1}

/* Config order within a tier is kept; tiers come out in tier order. */
static struct mw_outlet_conf outlets[] = {
    OUTLET("@生态环境部", MW_TIER_NEW_MEDIA), /* '@' starts a CSV formula */
    OUTLET("人民日报", MW_TIER_CENTRAL),
    OUTLET("新华网", MW_TIER_CENTRAL), /* no article: a row of zeros */
    OUTLET("吉林日报", MW_TIER_PROVINCIAL),
    OUTLET("中国吉林网", MW_TIER_PROVINCIAL),
    OUTLET("长春日报", MW_TIER_CITY),
    OUTLET("a|b \"c\"", MW_TIER_CITY), /* table cell, CSV quoting */
    OUTLET("吉林省人民政府", MW_TIER_PORTAL),
};

static struct mw_topic_conf topics[] = {
    {.name = "无废城市", .line = 30},
    {.name = "垃圾分类", .line = 31},
    {.name = "环境日", .line = 32},
};

static void make_config(struct mw_config *cfg, struct mw_tz *tz) {
  memset(cfg, 0, sizeof *cfg);
  cfg->timezone = "Asia/Shanghai";
  cfg->office_name = "吉林省生态环境厅宣传教育中心";
  cfg->tz = tz;
  cfg->outlets = outlets;
  cfg->n_outlets = sizeof outlets / sizeof outlets[0];
  cfg->topics = topics;
  cfg->n_topics = sizeof topics / sizeof topics[0];
}

#define CELL(o, t, topic, n) {(char *)(o), (t), (char *)(topic), (n)}

/* Deliberately out of order: the report sorts, the store need not. The
 * county outlet and the topic "宣传周,志愿" are not in the config any more. */
static struct mw_coverage_cell week_cells[] = {
    CELL("吉林日报", MW_TIER_PROVINCIAL, "宣传周,志愿", 2),
    CELL("人民日报", MW_TIER_CENTRAL, NULL, 10),
    CELL("<script>alert(1)</script>", MW_TIER_COUNTY, NULL, 2),
    CELL("人民日报", MW_TIER_CENTRAL, "无废城市", 3),
    CELL("人民日报", MW_TIER_CENTRAL, "垃圾分类", 1),
    CELL("吉林日报", MW_TIER_PROVINCIAL, NULL, 25),
    CELL("吉林日报", MW_TIER_PROVINCIAL, "无废城市", 12),
    CELL("吉林日报", MW_TIER_PROVINCIAL, "垃圾分类", 4),
    CELL("中国吉林网", MW_TIER_PROVINCIAL, NULL, 7),
    CELL("中国吉林网", MW_TIER_PROVINCIAL, "无废城市", 2),
    CELL("长春日报", MW_TIER_CITY, NULL, 9),
    CELL("长春日报", MW_TIER_CITY, "垃圾分类", 5),
    CELL("a|b \"c\"", MW_TIER_CITY, NULL, 3),
    CELL("a|b \"c\"", MW_TIER_CITY, "无废城市", 1),
    CELL("<script>alert(1)</script>", MW_TIER_COUNTY, "环境日", 1),
    CELL("吉林省人民政府", MW_TIER_PORTAL, NULL, 4),
    CELL("吉林省人民政府", MW_TIER_PORTAL, "无废城市", 4),
    CELL("吉林省人民政府", MW_TIER_PORTAL, "垃圾分类", 2),
    CELL("吉林省人民政府", MW_TIER_PORTAL, "环境日", 1),
    CELL("@生态环境部", MW_TIER_NEW_MEDIA, NULL, 6),
    CELL("@生态环境部", MW_TIER_NEW_MEDIA, "环境日", 3),
};

/* The week before: 38 articles; 无废城市 13, 垃圾分类 12 (unchanged),
 * 环境日 none (no percentage), 宣传周,志愿 4 (halved). */
static struct mw_coverage_cell prev_cells[] = {
    CELL("人民日报", MW_TIER_CENTRAL, NULL, 8),
    CELL("人民日报", MW_TIER_CENTRAL, "无废城市", 3),
    CELL("吉林日报", MW_TIER_PROVINCIAL, NULL, 20),
    CELL("吉林日报", MW_TIER_PROVINCIAL, "无废城市", 10),
    CELL("吉林日报", MW_TIER_PROVINCIAL, "垃圾分类", 12),
    CELL("吉林日报", MW_TIER_PROVINCIAL, "宣传周,志愿", 4),
    CELL("长春日报", MW_TIER_CITY, NULL, 10),
    CELL("旧主题", MW_TIER_CITY, "旧主题", 9), /* in no column: ignored */
};

struct fixture {
  struct mw_tz *tz;
  struct mw_config cfg;
  struct mw_report_period period;
  struct mw_coverage cov, prev;
  struct mw_buf out;
};

static int setup(void **state) {
  struct fixture *f = calloc(1, sizeof *f);
  struct mw_err err = {0};
  if (mw_tz_load("Asia/Shanghai", &f->tz, &err)) fail_msg("%s", err.msg);
  make_config(&f->cfg, f->tz);
  assert_int_equal(mw_report_week_period(f->tz, 2023, 19, &f->period, &err),
                   MW_OK);
  f->cov = (struct mw_coverage){f->period.from, f->period.to, week_cells,
                                sizeof week_cells / sizeof week_cells[0]};
  f->prev = (struct mw_coverage){f->period.from - 7 * 86400, f->period.from,
                                 prev_cells,
                                 sizeof prev_cells / sizeof prev_cells[0]};
  mw_buf_init(&f->out, 1 << 20);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  struct fixture *f = *state;
  mw_buf_cleanup(&f->out);
  mw_tz_free(f->tz);
  free(f);
  return 0;
}

static void render(struct fixture *f, enum mw_report_format fmt,
                   const struct mw_coverage *prev) {
  struct mw_err err = {0};
  mw_buf_reset(&f->out);
  if (mw_report_coverage(&f->cfg, &f->period, &f->cov, prev, fmt, &f->out,
                         &err))
    fail_msg("%s", err.msg);
}

/* ----------------------------------------------------------- golden files */

static char *golden_path(const char *name) {
  const char *dir = getenv("MW_TEST_DATA");
  if (!dir) fail_msg("MW_TEST_DATA is not set");
  size_t n = strlen(dir) + strlen(name) + 16;
  char *p = malloc(n);
  snprintf(p, n, "%s/report/%s", dir, name);
  return p;
}

/* Compares got with the golden file byte for byte, or rewrites the file
 * when MW_UPDATE_GOLDEN=1. */
static void check_golden(const char *name, const char *got, size_t len) {
  char *path = golden_path(name);
  const char *update = getenv("MW_UPDATE_GOLDEN");
  if (update && !strcmp(update, "1")) {
    FILE *w = fopen(path, "wb");
    if (!w) fail_msg("cannot write %s", path);
    assert_int_equal(fwrite(got, 1, len, w), len);
    fclose(w);
  }
  FILE *r = fopen(path, "rb");
  if (!r) fail_msg("cannot read %s (MW_UPDATE_GOLDEN=1 writes it)", path);
  char *want = malloc(len + 2);
  size_t n = fread(want, 1, len + 1, r);
  fclose(r);
  size_t at = 0;
  while (at < n && at < len && want[at] == got[at]) at++;
  if (n != len || at != len)
    fail_msg("%s differs at byte %zu (got %zu bytes, golden %zu+); got:\n%s",
             path, at, len, n, got);
  free(want);
  free(path);
}

static void test_golden_md(void **state) {
  struct fixture *f = *state;
  render(f, MW_REPORT_MD, &f->prev);
  check_golden("coverage_2023-W19.md", f->out.data, f->out.len);
}

static void test_golden_csv(void **state) {
  struct fixture *f = *state;
  render(f, MW_REPORT_CSV, &f->prev);
  check_golden("coverage_2023-W19.csv", f->out.data, f->out.len);
}

static void test_golden_json(void **state) {
  struct fixture *f = *state;
  render(f, MW_REPORT_JSON, &f->prev);
  check_golden("coverage_2023-W19.json", f->out.data, f->out.len);
}

/* --------------------------------------------------- checks beyond bytes */

static void test_md_escapes_and_totals(void **state) {
  struct fixture *f = *state;
  render(f, MW_REPORT_MD, &f->prev);
  const char *md = f->out.data;
  assert_non_null(strstr(md, "| 市级媒体 | a\\|b \"c\" | 1 | 0 | 0 | 0 | 3 |\n"));
  assert_non_null(strstr(md, "\\<script\\>alert(1)\\</script\\>†"));
  assert_null(strstr(md, "<script>"));
  assert_non_null(strstr(md, "| 中央媒体 | 新华网 | 0 | 0 | 0 | 0 | 0 |\n"));
  assert_non_null(strstr(md, "- 统计周期：2023年第19周 2023-05-08 至 2023-05-14"
                             "（2023-W19，Asia/Shanghai）\n"));
  assert_non_null(strstr(md, "稿件总数：66 篇（较上期 +28，+73.7%）"));
  assert_non_null(strstr(md, "主题“无废城市”：22 篇（较上期 +9，+69.2%）"));
  assert_non_null(strstr(md, "主题“垃圾分类”：12 篇（较上期 0，0.0%）"));
  assert_non_null(strstr(md, "主题“环境日”：5 篇（较上期 +5，n/a）"));
  assert_non_null(strstr(md, "主题“宣传周,志愿”†：2 篇（较上期 -2，-50.0%）"));
  /* Every table line has the same number of cells: 2 labels + 4 topics +
   * all = 7 cells, 8 pipes (escaped pipes excluded). */
  const char *line = strstr(md, "| 媒体级别");
  assert_non_null(line);
  int lines = 0;
  while (line && *line == '|') {
    int pipes = 0;
    for (const char *p = line; *p && *p != '\n'; p++)
      if (*p == '|' && p[-1] != '\\') pipes++;
    assert_int_equal(pipes, 8);
    lines++;
    line = strchr(line, '\n');
    if (line) line++;
  }
  /* head, rule, 9 outlets, 6 subtotals, total */
  assert_int_equal(lines, 2 + 9 + 6 + 1);
}

static void test_md_without_prev(void **state) {
  struct fixture *f = *state;
  render(f, MW_REPORT_MD, NULL);
  assert_non_null(strstr(f->out.data, "稿件总数：66 篇（较上期 n/a）\n"));
  assert_non_null(strstr(f->out.data, "主题“无废城市”：22 篇（较上期 n/a）\n"));
}

static void test_csv_quoting(void **state) {
  struct fixture *f = *state;
  render(f, MW_REPORT_CSV, &f->prev);
  const char *csv = f->out.data;
  static const char head[] = "\xEF\xBB\xBFrow_type,tier,tier_label,outlet,"
                             "无废城市,垃圾分类,环境日,\"宣传周,志愿\",all\r\n";
  assert_memory_equal(csv, head, sizeof head - 1);
  assert_non_null(
      strstr(csv, "\r\noutlet,city,市级媒体,\"a|b \"\"c\"\"\",1,0,0,0,3\r\n"));
  assert_non_null(
      strstr(csv, "\r\noutlet,new-media,新媒体,'@生态环境部,0,0,3,0,6\r\n"));
  assert_non_null(strstr(csv, "\r\nsubtotal,central,中央媒体,,3,1,0,0,10\r\n"));
  assert_non_null(strstr(csv, "\r\ntotal,,,,22,12,5,2,66\r\n"));
  /* No bare LF: every line ends CRLF. */
  for (size_t i = 0; i < f->out.len; i++)
    if (csv[i] == '\n') assert_int_equal(csv[i - 1], '\r');
}

static void test_json_structure(void **state) {
  struct fixture *f = *state;
  render(f, MW_REPORT_JSON, &f->prev);
  json_error_t jerr;
  json_t *root = json_loads(f->out.data, 0, &jerr);
  if (!root) fail_msg("invalid JSON: %s at line %d", jerr.text, jerr.line);
  assert_string_equal(json_string_value(json_object_get(root, "office")),
                      "吉林省生态环境厅宣传教育中心");
  json_t *period = json_object_get(root, "period");
  assert_string_equal(json_string_value(json_object_get(period, "from")),
                      "2023-05-08T00:00:00+08:00");
  assert_string_equal(json_string_value(json_object_get(period, "week")),
                      "2023-W19");
  json_t *tiers = json_object_get(root, "tiers");
  assert_int_equal(json_array_size(tiers), 6);
  json_t *county = json_array_get(tiers, 3);
  assert_string_equal(json_string_value(json_object_get(county, "tier")),
                      "county");
  json_t *script = json_array_get(json_object_get(county, "outlets"), 0);
  assert_string_equal(json_string_value(json_object_get(script, "name")),
                      "<script>alert(1)</script>");
  assert_true(json_is_false(json_object_get(script, "in_config")));
  /* < > & escaped: the text cannot open or close an HTML element. */
  assert_null(strpbrk(f->out.data, "<>&"));
  assert_non_null(strstr(f->out.data,
                         "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"));
  json_t *city = json_array_get(json_object_get(json_array_get(tiers, 2),
                                                "outlets"), 1);
  assert_string_equal(json_string_value(json_object_get(city, "name")),
                      "a|b \"c\"");
  assert_int_equal(json_integer_value(json_object_get(
                       json_object_get(city, "counts"), "无废城市")),
                   1);
  json_t *arts = json_object_get(json_object_get(root, "totals"), "articles");
  assert_int_equal(json_integer_value(json_object_get(arts, "count")), 66);
  assert_int_equal(json_integer_value(json_object_get(arts, "prev")), 38);
  assert_true(json_real_value(json_object_get(arts, "change_pct")) == 73.7);
  json_t *env = json_object_get(
      json_object_get(json_object_get(root, "totals"), "topics"), "环境日");
  assert_true(json_is_null(json_object_get(env, "change_pct")));
  assert_int_equal(json_integer_value(json_object_get(env, "change")), 5);
  json_decref(root);

  render(f, MW_REPORT_JSON, NULL);
  root = json_loads(f->out.data, 0, &jerr);
  assert_non_null(root);
  arts = json_object_get(json_object_get(root, "totals"), "articles");
  assert_true(json_is_null(json_object_get(arts, "prev")));
  assert_true(json_is_null(json_object_get(arts, "change")));
  json_decref(root);
}

/* An empty config and an empty week still give a whole report. */
static void test_empty(void **state) {
  struct fixture *f = *state;
  f->cfg.n_outlets = 0;
  f->cfg.n_topics = 0;
  f->cfg.office_name = NULL;
  f->cov.n_cells = 0;
  render(f, MW_REPORT_CSV, NULL);
  assert_string_equal(f->out.data,
                      "\xEF\xBB\xBFrow_type,tier,tier_label,outlet,all\r\n"
                      "total,,,,0\r\n");
  render(f, MW_REPORT_MD, NULL);
  assert_non_null(strstr(f->out.data, "# mediawatch 媒体报道周报\n"));
  assert_non_null(strstr(f->out.data, "| **合计** |  | **0** |\n"));
  render(f, MW_REPORT_JSON, NULL);
  json_t *root = json_loads(f->out.data, 0, NULL);
  assert_non_null(root);
  assert_int_equal(json_array_size(json_object_get(root, "tiers")), 0);
  json_decref(root);
}

/* A period that is not a week, in UTC (no zone loaded). */
static void test_not_a_week(void **state) {
  struct fixture *f = *state;
  f->cfg.tz = NULL;
  f->period = (struct mw_report_period){.from = 1683504000,
                                        .to = 1683504000 + 3 * 86400};
  render(f, MW_REPORT_MD, NULL);
  assert_non_null(strstr(f->out.data, " 媒体报道统计\n"));
  assert_non_null(strstr(f->out.data, "- 统计周期：2023年5月8日至5月10日 "
                                      "2023-05-08 至 2023-05-10（UTC）\n"));
  render(f, MW_REPORT_JSON, NULL);
  json_t *root = json_loads(f->out.data, 0, NULL);
  json_t *period = json_object_get(root, "period");
  assert_true(json_is_null(json_object_get(period, "week")));
  assert_string_equal(json_string_value(json_object_get(period, "to")),
                      "2023-05-11T00:00:00+00:00");
  json_decref(root);
}

/* Names that are not UTF-8 come out as U+FFFD, so every format stays
 * valid; cells of the same outlet and topic add up. */
static void test_bad_utf8_and_duplicates(void **state) {
  struct fixture *f = *state;
  struct mw_coverage_cell cells[] = {
      CELL("bad\xff\xe6\x97", MW_TIER_NEW_MEDIA, NULL, 2),
      CELL("bad\xff\xe6\x97", MW_TIER_NEW_MEDIA, NULL, 3),
      CELL("人民日报", MW_TIER_CENTRAL, "无废城市", 1),
      CELL("人民日报", MW_TIER_CENTRAL, "无废城市", 1),
  };
  f->cov.cells = cells;
  f->cov.n_cells = 4;
  render(f, MW_REPORT_JSON, NULL);
  json_t *root = json_loads(f->out.data, 0, NULL);
  assert_non_null(root);
  /* No county outlet here: new-media is the fifth tier. */
  json_t *nm = json_array_get(json_object_get(root, "tiers"), 4);
  json_t *bad = json_array_get(json_object_get(nm, "outlets"), 1);
  assert_string_equal(json_string_value(json_object_get(bad, "name")),
                      "bad\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  assert_int_equal(json_integer_value(json_object_get(bad, "all")), 5);
  json_t *people = json_array_get(
      json_object_get(json_array_get(json_object_get(root, "tiers"), 0),
                      "outlets"), 0);
  assert_int_equal(json_integer_value(json_object_get(
                       json_object_get(people, "counts"), "无废城市")),
                   2);
  json_decref(root);
}

static void test_errors_leave_output_alone(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  struct mw_buf small;
  mw_buf_init(&small, 200);
  assert_int_equal(mw_buf_puts(&small, "kept"), MW_OK);
  for (int fmt = MW_REPORT_MD; fmt <= MW_REPORT_JSON; fmt++) {
    assert_int_equal(mw_report_coverage(&f->cfg, &f->period, &f->cov,
                                        &f->prev, (enum mw_report_format)fmt,
                                        &small, &err),
                     MW_ETOOBIG);
    assert_string_equal(small.data, "kept");
    assert_non_null(strstr(err.msg, "200 bytes"));
  }
  mw_buf_cleanup(&small);

  struct mw_report_period bad = f->period;
  bad.to = bad.from;
  assert_int_equal(mw_report_coverage(&f->cfg, &bad, &f->cov, NULL,
                                      MW_REPORT_MD, &f->out, &err),
                   MW_EINVAL);
  assert_int_equal(mw_report_coverage(&f->cfg, &f->period, &f->cov, NULL,
                                      (enum mw_report_format)7, &f->out, &err),
                   MW_EINVAL);
  assert_int_equal(mw_report_coverage(&f->cfg, &f->period, NULL, NULL,
                                      MW_REPORT_MD, &f->out, &err),
                   MW_EINVAL);
  struct mw_coverage_cell cell = CELL("x", (enum mw_tier)42, NULL, 1);
  f->cov.cells = &cell;
  f->cov.n_cells = 1;
  assert_int_equal(mw_report_coverage(&f->cfg, &f->period, &f->cov, NULL,
                                      MW_REPORT_MD, &f->out, &err),
                   MW_EINVAL);
  assert_non_null(strstr(err.msg, "'x'"));
  assert_int_equal(f->out.len, 0);
}

static void test_format_names(void **state) {
  (void)state;
  enum mw_report_format fmt = MW_REPORT_MD;
  assert_int_equal(mw_report_format_parse("csv", &fmt), MW_OK);
  assert_int_equal(fmt, MW_REPORT_CSV);
  assert_int_equal(mw_report_format_parse("json", &fmt), MW_OK);
  assert_int_equal(fmt, MW_REPORT_JSON);
  assert_int_equal(mw_report_format_parse("md", &fmt), MW_OK);
  assert_int_equal(fmt, MW_REPORT_MD);
  assert_int_equal(mw_report_format_parse("html", &fmt), MW_OK);
  assert_int_equal(fmt, MW_REPORT_HTML);
  assert_int_equal(mw_report_format_parse("pdf", &fmt), MW_EINVAL);
  assert_int_equal(mw_report_format_parse("MD", &fmt), MW_EINVAL);
  assert_int_equal(mw_report_format_parse(NULL, &fmt), MW_EINVAL);
  assert_string_equal(mw_report_format_ext(MW_REPORT_MD), "md");
  assert_string_equal(mw_report_format_ext(MW_REPORT_CSV), "csv");
  assert_string_equal(mw_report_format_ext(MW_REPORT_JSON), "json");
  assert_string_equal(mw_report_format_ext(MW_REPORT_HTML), "html");
}

int main(void) {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_golden_md),
      T(test_golden_csv),
      T(test_golden_json),
      T(test_md_escapes_and_totals),
      T(test_md_without_prev),
      T(test_csv_quoting),
      T(test_json_structure),
      T(test_empty),
      T(test_not_a_week),
      T(test_bad_utf8_and_duplicates),
      T(test_errors_leave_output_alone),
      cmocka_unit_test(test_format_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
