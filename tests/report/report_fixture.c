/* The fixed input of the full-report tests; see report_fixture.h. Titles
 * come from seeds 000-002 (zero-waste city, Jilin and Changchun) and from
 * an attacker: a script tag, an attribute break-out, spreadsheet formulas
 * and a javascript: link. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/report/report_fixture.h"

static struct mw_source_conf no_sources[1];

#define OUTLET(n, t) \
  { .name = (n), .tier = (t), .sources = no_sources, .n_sources = 0, .line = 1 }

static struct mw_outlet_conf outlets[] = {
    OUTLET("人民日报", MW_TIER_CENTRAL),
    OUTLET("吉林日报", MW_TIER_PROVINCIAL),
    OUTLET("长春日报", MW_TIER_CITY),
    OUTLET("@生态环境部", MW_TIER_NEW_MEDIA),
};

static struct mw_topic_conf topics[] = {
    {.name = "无废城市", .line = 30},
    {.name = "垃圾分类", .line = 31},
};

#define CELL(o, t, topic, n) \
  { (char *)(o), (t), (char *)(topic), (n) }

static struct mw_coverage_cell week_cells[] = {
    CELL("人民日报", MW_TIER_CENTRAL, NULL, 4),
    CELL("人民日报", MW_TIER_CENTRAL, "无废城市", 2),
    CELL("吉林日报", MW_TIER_PROVINCIAL, NULL, 3),
    CELL("吉林日报", MW_TIER_PROVINCIAL, "无废城市", 1),
    CELL("吉林日报", MW_TIER_PROVINCIAL, "垃圾分类", 2),
    CELL("长春日报", MW_TIER_CITY, NULL, 1),
    CELL("@生态环境部", MW_TIER_NEW_MEDIA, NULL, 2),
};

static struct mw_coverage_cell prev_cells[] = {
    CELL("人民日报", MW_TIER_CENTRAL, NULL, 5),
    CELL("人民日报", MW_TIER_CENTRAL, "无废城市", 3),
};

/* Monday 3 (无废城市 2), Tuesday 1, Thursday 4 (无废城市 1, 垃圾分类 2),
 * Sunday 2: 10 in all, as the coverage says. */
static struct mw_daily_cell day_cells[] = {
    {0, NULL, 3}, {0, (char *)"无废城市", 2}, {1, NULL, 1},
    {3, NULL, 4}, {3, (char *)"垃圾分类", 2}, {3, (char *)"无废城市", 1},
    {6, NULL, 2}, {6, (char *)"旧主题", 9}, /* no column: ignored */
};

static char *story1_outlets[] = {(char *)"人民日报", (char *)"吉林日报",
                                 (char *)"=HYPERLINK(\"http://x\")"};
static char *story2_outlets[] = {(char *)"长春日报", (char *)"人民日报"};
static char *story3_outlets[] = {(char *)"@生态环境部"};

static struct mw_cluster stories[] = {
    {.id = 11,
     .title = (char *)XSS_SCRIPT,
     .original_outlet = (char *)"人民日报",
     .first_seen = 1683507600,
     .article_count = 3,
     .outlet_count = 3,
     .outlets = story1_outlets,
     .n_outlets = 3},
    {.id = 12,
     .title = (char *)"长春市印发“无废细胞”创建活动实施方案",
     .original_outlet = (char *)"长春日报",
     .first_seen = 1683597600,
     .article_count = 2,
     .outlet_count = 2,
     .outlets = story2_outlets,
     .n_outlets = 2},
    {.id = 13,
     .first_seen = 1683770400,
     .article_count = 1,
     .outlet_count = 1,
     .outlets = story3_outlets,
     .n_outlets = 1},
};

#define S(x) ((char *)(x))

/* Created in the week: 重大 new ×2, 一般 closed, 特别重大 assigned. */
static struct mw_alert_rec created[] = {
    {.id = 5, .level = 3, .state = S("new"), .created = 1683511200},
    {.id = 6, .level = 1, .state = S("closed"), .created = 1683600000},
    {.id = 7, .level = 4, .state = S("assigned"), .created = 1683700000},
    {.id = 9, .level = 3, .state = S("new"), .created = 1683800000},
};

static struct mw_alert_rec open_now[] = {
    {.id = 7,
     .level = 4,
     .state = S("assigned"),
     .title = S(XSS_IMG),
     .region = S("吉林省长春市双阳区奢岭街道"),
     .assignee = S("双阳区生态环境分局"),
     .created = 1683700000,
     .due = 1683786400,
     .overdue = true,
     .url = S("javascript:alert(1)")},
    {.id = 9,
     .level = 3,
     .state = S("new"),
     .title = S(XSS_SCRIPT),
     .region = S("吉林省长春市朝阳区永昌街道"),
     .created = 1683800000,
     .url = S("https://ly.jl.gov.cn/detail/2023050800417.html?a=1&b=\"x\"")},
};

static struct mw_failed_source failed[] = {
    {.id = 3,
     .outlet = S("@吉林发布"),
     .tier = MW_TIER_NEW_MEDIA,
     .url = S("https://rsshub.example/weibo/user/jlfb"),
     .failures = 5,
     .last_status = 403,
     .last_error = S("HTTP 403 <b>Forbidden</b>")},
    {.id = 4,
     .outlet = S("-1+1"),
     .tier = MW_TIER_COUNTY,
     .url = S("http://x.cn/a,b"),
     .failures = 2,
     .last_ok = 1683000000,
     .last_error = S("=1+1")},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

void rf_init(struct rf *f) {
  memset(f, 0, sizeof *f);
  struct mw_err err = {0};
  if (mw_tz_load("Asia/Shanghai", &f->tz, &err)) fail_msg("%s", err.msg);
  f->cfg.timezone = "Asia/Shanghai";
  f->cfg.office_name = "吉林省生态环境厅宣传教育中心";
  f->cfg.tz = f->tz;
  f->cfg.outlets = outlets;
  f->cfg.n_outlets = N(outlets);
  f->cfg.topics = topics;
  f->cfg.n_topics = N(topics);
  if (mw_report_week_period(f->tz, 2023, 19, &f->period, &err))
    fail_msg("%s", err.msg);
  f->cov = (struct mw_coverage){f->period.from, f->period.to, week_cells,
                                N(week_cells)};
  f->prev = (struct mw_coverage){f->period.from - 7 * 86400, f->period.from,
                                 prev_cells, N(prev_cells)};
  if (mw_report_period_days(f->tz, &f->period, &f->daily.bounds,
                            &f->daily.n_days, &err))
    fail_msg("%s", err.msg);
  f->daily.cells = day_cells;
  f->daily.n_cells = N(day_cells);
  f->in = (struct mw_report_input){
      .cov = &f->cov,
      .prev = &f->prev,
      .has_daily = true,
      .daily = &f->daily,
      .has_top = true,
      .top = stories,
      .n_top = N(stories),
      .has_alerts = true,
      .alerts = created,
      .n_alerts = N(created),
      .open = open_now,
      .n_open = N(open_now),
      .has_failed = true,
      .failed = failed,
      .n_failed = N(failed),
  };
  mw_buf_init(&f->out, 1 << 20);
}

void rf_cleanup(struct rf *f) {
  free(f->daily.bounds);
  mw_buf_cleanup(&f->out);
  mw_tz_free(f->tz);
}

void rf_render(struct rf *f, enum mw_report_format fmt) {
  struct mw_err err = {0};
  mw_buf_reset(&f->out);
  if (mw_report_write(&f->cfg, &f->period, &f->in, fmt, &f->out, &err))
    fail_msg("%s", err.msg);
}

void rf_check_golden(const char *name, const char *got, size_t len) {
  const char *dir = getenv("MW_TEST_DATA");
  if (!dir) fail_msg("MW_TEST_DATA is not set");
  char path[4096];
  snprintf(path, sizeof path, "%s/report/%s", dir, name);
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
  free(want);
  if (n != len || at != len)
    fail_msg("%s differs at byte %zu (got %zu bytes, golden %zu+); got:\n%s",
             path, at, len, n, got);
}
