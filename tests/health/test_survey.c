/* Tests health/survey.c (the survey over a real store, which sources
 * carry a target) and health/json.c (the survey as JSON). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "health/health.h"
#include "tests/health/health_fixture.h"

#define H 3600
#define D 86400

static void test_carries_target(void **state) {
  (void)state;
  char *outlets[] = {"吉林日报", "长春日报"};
  char *each[] = {"长春市生态环境局", "吉林市生态环境局"};
  struct mw_target_conf t[1];
  struct mw_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.targets = t;
  cfg.n_targets = 1;

  memset(t, 0, sizeof t);
  t[0].tier = -1;
  t[0].outlet = "人民网";
  assert_true(mw_health_carries_target(&cfg, "人民网", MW_TIER_CENTRAL));
  assert_false(mw_health_carries_target(&cfg, "吉林日报", MW_TIER_PROVINCIAL));

  /* outlets, with a tier that must agree. */
  memset(t, 0, sizeof t);
  t[0].tier = MW_TIER_PROVINCIAL;
  t[0].outlets = outlets;
  t[0].n_outlets = 2;
  assert_true(mw_health_carries_target(&cfg, "吉林日报", MW_TIER_PROVINCIAL));
  assert_false(mw_health_carries_target(&cfg, "长春日报", MW_TIER_CITY));
  assert_false(mw_health_carries_target(&cfg, "新华网", MW_TIER_PROVINCIAL));

  /* each names the outlet. */
  memset(t, 0, sizeof t);
  t[0].tier = -1;
  t[0].each = each;
  t[0].n_each = 2;
  assert_true(mw_health_carries_target(&cfg, "吉林市生态环境局", MW_TIER_CITY));
  assert_false(mw_health_carries_target(&cfg, "吉林日报", MW_TIER_PROVINCIAL));

  /* A tier without outlets counts every outlet of the tier. */
  memset(t, 0, sizeof t);
  t[0].tier = MW_TIER_CENTRAL;
  assert_true(mw_health_carries_target(&cfg, "人民网", MW_TIER_CENTRAL));
  assert_false(mw_health_carries_target(&cfg, "吉林日报", MW_TIER_PROVINCIAL));

  /* Neither outlet nor tier: no source in particular. */
  t[0].tier = -1;
  assert_false(mw_health_carries_target(&cfg, "人民网", MW_TIER_CENTRAL));
  assert_false(mw_health_carries_target(NULL, "人民网", MW_TIER_CENTRAL));
  cfg.n_targets = 0;
  assert_false(mw_health_carries_target(&cfg, "人民网", MW_TIER_CENTRAL));
}

/* 长春: a steady listing, 100 articles with 来源 then 10 without;
 * 吉林日报: its first answer is empty; 人民网: 304s only. */
static void fill(struct hf *f, int64_t now) {
  for (int i = 21; i >= 1; i--) hf_fetch(f, f->cc, now - i * H, 200, 20, NULL);
  for (int i = 110; i >= 1; i--) {
    char url[96];
    snprintf(url, sizeof url, "http://sthjj.changchun.gov.cn/hjyw/t%d.html",
             i);
    unsigned flags = MW_QUALITY_TITLE | MW_QUALITY_DATE | MW_QUALITY_BODY;
    if (i > 10) flags |= MW_QUALITY_ORIGIN;
    /* one an hour, the newest an hour ago; the older half over 7 days */
    hf_article(f, f->cc, url, now - i * H - (i > 60 ? 7 * D : 0), flags);
  }
  hf_fetch(f, f->jl, now - 30 * 60, 200, 0, NULL);
  hf_fetch(f, f->rm, now - 2 * H, 304, -1, NULL);
  hf_fetch(f, f->rm, now - H, 304, -1, NULL);
}

static const struct mw_health_row *row_of(const struct mw_health_row *rows,
                                          size_t n, int64_t id) {
  for (size_t i = 0; i < n; i++)
    if (rows[i].src.id == id) return &rows[i];
  fail_msg("source %lld not surveyed", (long long)id);
  return NULL;
}

static void test_survey(void **state) {
  (void)state;
  struct hf f;
  hf_open(&f, "");
  int64_t now = hf_local(2026, 11, 25, 7, 0);
  fill(&f, now);
  struct mw_health_row *rows = NULL;
  size_t n = 0;
  struct mw_err err = {0};
  int rc = mw_health_survey(f.cfg, f.s, now, &rows, &n, &err);
  if (rc) fail_msg("survey: %s", err.msg);
  assert_int_equal(n, 3);
  for (size_t i = 1; i < n; i++) assert_true(rows[i - 1].src.id < rows[i].src.id);

  const struct mw_health_row *cc = row_of(rows, n, f.cc);
  assert_string_equal(cc->src.outlet_name, "长春市生态环境局");
  assert_int_equal(cc->tier, MW_TIER_CITY);
  assert_true(cc->carries_target);
  assert_int_equal(cc->last_new, now - H);
  assert_int_equal(cc->articles_7d, 60);
  assert_int_equal(cc->health.status, MW_HEALTH_BROKEN);
  assert_int_equal(cc->health.n_problems, 1);
  assert_int_equal(cc->health.problems[0].code, MW_PROBLEM_EXTRACTION);
  assert_string_equal(cc->health.problems[0].field, "origin");
  assert_int_equal(cc->health.problems[0].count, 10);

  const struct mw_health_row *jl = row_of(rows, n, f.jl);
  assert_int_equal(jl->tier, MW_TIER_PROVINCIAL);
  assert_false(jl->carries_target);
  assert_int_equal(jl->last_new, 0);
  assert_int_equal(jl->articles_7d, 0);
  assert_int_equal(jl->health.status, MW_HEALTH_BROKEN);
  assert_int_equal(jl->health.problems[0].code, MW_PROBLEM_NO_LINKS);
  assert_string_equal(jl->health.problems[0].detail,
                      "feed yields no entries (last answer 2026-11-24 "
                      "22:30 UTC)");

  const struct mw_health_row *rm = row_of(rows, n, f.rm);
  assert_int_equal(rm->tier, MW_TIER_CENTRAL);
  assert_int_equal(rm->health.status, MW_HEALTH_OK);
  assert_int_equal(rm->health.n_problems, 0);
  assert_int_equal(rm->src.last_fetch, now - H);
  mw_health_rows_free(rows, n);
  hf_close(&f);
}

static json_t *source_json(json_t *root, const char *url) {
  json_t *srcs = json_object_get(root, "sources");
  for (size_t i = 0; i < json_array_size(srcs); i++) {
    json_t *s = json_array_get(srcs, i);
    if (strcmp(json_string_value(json_object_get(s, "url")), url) == 0)
      return s;
  }
  fail_msg("%s not in the JSON", url);
  return NULL;
}

static void test_json(void **state) {
  (void)state;
  struct hf f;
  hf_open(&f, "");
  int64_t now = hf_local(2026, 11, 25, 7, 0);
  fill(&f, now);
  struct mw_health_row *rows = NULL;
  size_t n = 0;
  struct mw_err err = {0};
  assert_int_equal(mw_health_survey(f.cfg, f.s, now, &rows, &n, &err), 0);
  char *text = NULL;
  int rc = mw_health_rows_json(rows, n, f.cfg->tz, now, &text, &err);
  if (rc) fail_msg("json: %s", err.msg);
  json_error_t je;
  json_t *root = json_loads(text, 0, &je);
  assert_non_null(root);
  assert_string_equal(json_string_value(json_object_get(root, "generated")),
                      "2026-11-25T07:00:00+08:00");
  json_t *counts = json_object_get(root, "counts");
  assert_int_equal(json_integer_value(json_object_get(counts, "ok")), 1);
  assert_int_equal(json_integer_value(json_object_get(counts, "degraded")), 0);
  assert_int_equal(json_integer_value(json_object_get(counts, "broken")), 2);
  assert_int_equal(json_array_size(json_object_get(root, "sources")), 3);

  json_t *cc = source_json(root, "http://sthjj.changchun.gov.cn/hjyw/");
  assert_int_equal(json_integer_value(json_object_get(cc, "id")), f.cc);
  assert_string_equal(json_string_value(json_object_get(cc, "outlet")),
                      "长春市生态环境局");
  assert_string_equal(json_string_value(json_object_get(cc, "kind")), "html");
  assert_string_equal(json_string_value(json_object_get(cc, "tier")), "city");
  assert_string_equal(json_string_value(json_object_get(cc, "status")),
                      "broken");
  assert_true(json_is_true(json_object_get(cc, "carries_target")));
  assert_true(json_integer_value(json_object_get(cc, "interval_s")) > 0);
  assert_true(json_is_null(json_object_get(cc, "interval_why")));
  assert_string_equal(json_string_value(json_object_get(cc, "last_fetch")),
                      "2026-11-25T06:00:00+08:00");
  assert_string_equal(json_string_value(json_object_get(cc, "last_ok")),
                      "2026-11-25T06:00:00+08:00");
  assert_string_equal(json_string_value(json_object_get(cc, "last_new")),
                      "2026-11-25T06:00:00+08:00");
  assert_int_equal(json_integer_value(json_object_get(cc, "articles_7d")), 60);
  assert_true(json_is_null(json_object_get(cc, "moved_to")));
  json_t *p = json_array_get(json_object_get(cc, "problems"), 0);
  assert_string_equal(json_string_value(json_object_get(p, "code")),
                      "extraction");
  assert_string_equal(json_string_value(json_object_get(p, "label_zh")),
                      "提取率下降");
  assert_string_equal(json_string_value(json_object_get(p, "severity")),
                      "broken");
  assert_string_equal(json_string_value(json_object_get(p, "field")),
                      "origin");
  assert_true(json_real_value(json_object_get(p, "share")) == 0.0);
  assert_true(json_real_value(json_object_get(p, "usual_share")) == 1.0);
  assert_int_equal(json_integer_value(json_object_get(p, "count")), 10);
  assert_string_equal(json_string_value(json_object_get(p, "url")),
                      "http://sthjj.changchun.gov.cn/hjyw/t1.html");
  assert_non_null(strstr(json_string_value(json_object_get(p, "detail")),
                         "来源 (origin) lines found in 0 of the 10 newest"));
  /* extraction has no since, usual or text */
  assert_null(json_object_get(p, "since"));
  assert_null(json_object_get(p, "usual"));
  assert_null(json_object_get(p, "text"));

  json_t *jl = source_json(root, "https://www.jlrbszb.com/rss.xml");
  assert_true(json_is_null(json_object_get(jl, "last_new")));
  assert_false(json_is_true(json_object_get(jl, "carries_target")));
  p = json_array_get(json_object_get(jl, "problems"), 0);
  assert_string_equal(json_string_value(json_object_get(p, "code")),
                      "no_links");
  assert_string_equal(json_string_value(json_object_get(p, "since")),
                      "2026-11-25T06:30:00+08:00");
  assert_int_equal(json_integer_value(json_object_get(p, "count")), 0);
  assert_int_equal(json_integer_value(json_object_get(p, "usual")), 0);
  assert_null(json_object_get(p, "field"));
  assert_null(json_object_get(p, "share"));

  json_t *rm = source_json(root, "http://env.people.com.cn/rss/environment.xml");
  assert_string_equal(json_string_value(json_object_get(rm, "status")), "ok");
  assert_int_equal(json_array_size(json_object_get(rm, "problems")), 0);
  json_decref(root);
  free(text);

  /* No source: an empty list, the counts 0; no zone: UTC. */
  assert_int_equal(mw_health_rows_json(NULL, 0, NULL, now, &text, &err), 0);
  root = json_loads(text, 0, &je);
  assert_string_equal(json_string_value(json_object_get(root, "generated")),
                      "2026-11-24T23:00:00Z");
  assert_int_equal(json_array_size(json_object_get(root, "sources")), 0);
  json_decref(root);
  free(text);
  mw_health_rows_free(rows, n);
  hf_close(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_carries_target),
      cmocka_unit_test(test_survey),
      cmocka_unit_test(test_json),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
