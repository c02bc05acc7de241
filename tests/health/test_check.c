/* Tests health/check.c and health/message.c: the periodic check against a
 * real store, what it records and what it writes to the outbox for the
 * admins: at once only for a source that carries a target, not twice, again
 * when a problem turns broken, the digest once a day after digest_at,
 * cleared problems, and nothing without an admin. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include <sqlite3.h>

#include "cli/cli.h"
#include "health/health.h"
#include "tests/health/health_fixture.h"
#include "tests/store/store_test_util.h"

#define H 3600

static struct mw_health_check_stats check(struct hf *f, int64_t now) {
  struct mw_health_check_stats st;
  memset(&st, 0xAB, sizeof st);
  struct mw_err err = {0};
  if (mw_store_begin(f->s, &err)) fail_msg("begin: %s", err.msg);
  if (mw_health_check(f->cfg, f->s, now, &st, &err))
    fail_msg("check: %s", err.msg);
  if (mw_store_commit(f->s, &err)) fail_msg("commit: %s", err.msg);
  return st;
}

/* Column col (text) of the newest outbox row of receiver, malloc'd. */
static char *outbox_last(struct hf *f, const char *receiver, const char *col) {
  sqlite3 *db;
  assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL),
                   SQLITE_OK);
  char sql[160];
  snprintf(sql, sizeof sql,
           "SELECT %s FROM outbox WHERE receiver = ?1 ORDER BY id DESC "
           "LIMIT 1", col);
  sqlite3_stmt *st;
  assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
  sqlite3_bind_text(st, 1, receiver, -1, SQLITE_STATIC);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  const char *t = (const char *)sqlite3_column_text(st, 0);
  char *out = strdup(t ? t : "");
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

static void assert_last_text(struct hf *f, const char *receiver,
                             const char *want) {
  char *got = outbox_last(f, receiver, "text");
  if (strcmp(got, want) != 0)
    fail_msg("%s got:\n%s\nwant:\n%s", receiver, got, want);
  free(got);
}

static int64_t outbox_count(struct hf *f) {
  return tu_query_int(f->path, "SELECT count(*) FROM outbox");
}

/* 长春 (carries the target): a steady listing and 110 articles, the 10
 * newest half with 来源; 吉林日报: an empty first answer; 人民网: 304s. */
static void fill(struct hf *f, int64_t now) {
  for (int i = 21; i >= 1; i--) hf_fetch(f, f->cc, now - i * H, 200, 20, NULL);
  for (int i = 110; i >= 1; i--) {
    char url[96];
    snprintf(url, sizeof url, "http://sthjj.changchun.gov.cn/hjyw/t%d.html",
             i);
    unsigned flags = MW_QUALITY_TITLE | MW_QUALITY_DATE | MW_QUALITY_BODY;
    if (i > 10 || i % 2) flags |= MW_QUALITY_ORIGIN;
    hf_article(f, f->cc, url, now - i * H, flags);
  }
  hf_fetch(f, f->jl, now - 30 * 60, 200, 0, NULL);
  hf_fetch(f, f->rm, now - H, 304, -1, NULL);
}

static void test_check_flow(void **state) {
  (void)state;
  struct hf f;
  hf_open(&f, hf_yaml_admins);
  int64_t t0 = hf_local(2026, 11, 25, 7, 0);
  fill(&f, t0);

  /* 1. Both problems found; only 长春's is told at once, to each admin
   *    receiver once. */
  struct mw_health_check_stats st = check(&f, t0);
  assert_int_equal(st.sources, 3);
  assert_int_equal(st.problems_new, 2);
  assert_int_equal(st.problems_cleared, 0);
  assert_int_equal(st.messages, 2);
  assert_false(st.digest);
  assert_int_equal(outbox_count(&f), 2);
  assert_int_equal(tu_query_int(f.path, "SELECT count(*) FROM outbox WHERE "
                                        "alert_id IS NULL AND kind = 'source'"),
                   2);
  static const char now_degraded[] =
      "【信源异常】长春市生态环境局（承担考核目标）\n"
      "来源提取率 50%（通常 100%），页面结构可能已变\n"
      "http://sthjj.changchun.gov.cn/hjyw/\n"
      "自 2026-11-25 07:00 起";
  assert_last_text(&f, "hook", now_degraded);
  assert_last_text(&f, "运维群", now_degraded);
  char *js = outbox_last(&f, "hook", "json");
  json_error_t je;
  json_t *o = json_loads(js, 0, &je);
  assert_non_null(o);
  assert_string_equal(json_string_value(json_object_get(o, "event")),
                      "source_problem");
  assert_string_equal(json_string_value(json_object_get(o, "kind")), "source");
  assert_string_equal(json_string_value(json_object_get(o, "text")),
                      now_degraded);
  json_t *probs = json_object_get(o, "problems");
  assert_int_equal(json_array_size(probs), 1);
  json_t *p = json_array_get(probs, 0);
  assert_string_equal(json_string_value(json_object_get(p, "code")),
                      "extraction");
  assert_string_equal(json_string_value(json_object_get(p, "field")),
                      "origin");
  assert_string_equal(json_string_value(json_object_get(p, "severity")),
                      "degraded");
  assert_int_equal(json_integer_value(json_object_get(p, "source_id")), f.cc);
  assert_string_equal(json_string_value(json_object_get(p, "outlet")),
                      "长春市生态环境局");
  assert_string_equal(json_string_value(json_object_get(p, "source_url")),
                      "http://sthjj.changchun.gov.cn/hjyw/");
  assert_true(json_is_true(json_object_get(p, "carries_target")));
  json_decref(o);
  free(js);
  /* Recorded: 长春's told, 吉林日报's not. */
  char sql[200];
  snprintf(sql, sizeof sql,
           "SELECT notified FROM source_problems WHERE source_id = %lld AND "
           "code = 'extraction' AND cleared = 0", (long long)f.cc);
  assert_int_equal(tu_query_int(f.path, sql), t0);
  snprintf(sql, sizeof sql,
           "SELECT notified FROM source_problems WHERE source_id = %lld AND "
           "code = 'no_links' AND cleared = 0 AND severity = 'broken'",
           (long long)f.jl);
  assert_int_equal(tu_query_int(f.path, sql), 0);

  /* 2. The same check again, and a later one: nothing new. */
  st = check(&f, t0);
  assert_int_equal(st.problems_new, 0);
  assert_int_equal(st.messages, 0);
  st = check(&f, t0 + 10 * 60);
  assert_int_equal(st.messages, 0);
  assert_int_equal(outbox_count(&f), 2);

  /* 3. Degraded to broken: told again. */
  int64_t t1 = hf_local(2026, 11, 25, 7, 30);
  for (int i = 1; i <= 10; i++) {
    char url[96];
    snprintf(url, sizeof url, "http://sthjj.changchun.gov.cn/hjyw/n%d.html",
             i);
    hf_article(&f, f.cc, url, t0 + i * 60,
               MW_QUALITY_TITLE | MW_QUALITY_DATE | MW_QUALITY_BODY);
  }
  st = check(&f, t1);
  assert_int_equal(st.problems_new, 0);
  assert_int_equal(st.messages, 2);
  assert_last_text(&f, "hook",
                   "【信源失效】长春市生态环境局（承担考核目标）\n"
                   "来源提取率 0%（通常 95%），页面结构可能已变\n"
                   "http://sthjj.changchun.gov.cn/hjyw/\n"
                   "自 2026-11-25 07:30 起");
  st = check(&f, t1 + 60);
  assert_int_equal(st.messages, 0);

  /* 4. The digest: not before 08:30, at the first check after, once. */
  st = check(&f, hf_local(2026, 11, 25, 8, 29));
  assert_false(st.digest);
  assert_int_equal(st.messages, 0);
  st = check(&f, hf_local(2026, 11, 25, 8, 31));
  assert_true(st.digest);
  assert_int_equal(st.messages, 2);
  static const char digest[] =
      "【信源日报】2026-11-25：2 个信源异常（失效 2，异常 0）\n"
      "1. 长春市生态环境局（失效，承担考核目标）\n"
      "   来源提取率 0%（通常 95%），页面结构可能已变\n"
      "   http://sthjj.changchun.gov.cn/hjyw/\n"
      "2. 吉林日报（失效）\n"
      "   订阅源无条目，地址或格式可能已变\n"
      "   https://www.jlrbszb.com/rss.xml";
  assert_last_text(&f, "运维群", digest);
  assert_last_text(&f, "hook", digest);
  char *kind = outbox_last(&f, "hook", "kind");
  assert_string_equal(kind, "source_digest");
  free(kind);
  js = outbox_last(&f, "hook", "json");
  o = json_loads(js, 0, &je);
  assert_string_equal(json_string_value(json_object_get(o, "event")),
                      "source_digest");
  assert_string_equal(json_string_value(json_object_get(o, "day")),
                      "2026-11-25");
  assert_int_equal(json_array_size(json_object_get(o, "problems")), 2);
  json_decref(o);
  free(js);
  assert_int_equal(
      tu_query_int(f.path, "SELECT value FROM state WHERE name = "
                           "'health_digest_day'"),
      mw_days_from_civil(2026, 11, 25));
  st = check(&f, hf_local(2026, 11, 25, 9, 0));
  assert_false(st.digest);
  assert_int_equal(st.messages, 0);
  st = check(&f, hf_local(2026, 11, 25, 23, 59));
  assert_false(st.digest);

  /* 5. 吉林日报 answers again: its problem is cleared. */
  int64_t t5 = hf_local(2026, 11, 26, 0, 10);
  hf_fetch(&f, f.jl, t5 - 60, 200, 15, NULL);
  st = check(&f, t5);
  assert_int_equal(st.problems_cleared, 1);
  assert_int_equal(st.problems_new, 0);
  assert_int_equal(st.messages, 0);
  assert_false(st.digest); /* a new day, but before 08:30 */
  snprintf(sql, sizeof sql,
           "SELECT cleared FROM source_problems WHERE source_id = %lld",
           (long long)f.jl);
  assert_int_equal(tu_query_int(f.path, sql), t5);

  /* 6. The next day's digest lists what is still open. */
  st = check(&f, hf_local(2026, 11, 26, 8, 40));
  assert_true(st.digest);
  assert_int_equal(st.messages, 2);
  assert_last_text(&f, "hook",
                   "【信源日报】2026-11-26：1 个信源异常（失效 1，异常 0）\n"
                   "1. 长春市生态环境局（失效，承担考核目标）\n"
                   "   来源提取率 0%（通常 95%），页面结构可能已变\n"
                   "   http://sthjj.changchun.gov.cn/hjyw/");
  assert_int_equal(outbox_count(&f), 8);

  /* 7. 吉林日报 empty again: a new problem, still no message at once (it
   *    carries no target). */
  hf_fetch(&f, f.jl, hf_local(2026, 11, 26, 9, 0), 200, 0, NULL);
  st = check(&f, hf_local(2026, 11, 26, 9, 1));
  assert_int_equal(st.problems_new, 1);
  assert_int_equal(st.messages, 0);
  hf_close(&f);
}

/* Every source well: no digest message, the day still taken. */
static void test_no_problem_no_digest(void **state) {
  (void)state;
  struct hf f;
  hf_open(&f, hf_yaml_admins);
  int64_t now = hf_local(2026, 11, 25, 9, 0);
  hf_fetch(&f, f.cc, now - H, 200, 20, NULL);
  struct mw_health_check_stats st = check(&f, now);
  assert_int_equal(st.sources, 3);
  assert_int_equal(st.problems_new, 0);
  assert_int_equal(st.messages, 0);
  assert_false(st.digest);
  assert_int_equal(outbox_count(&f), 0);
  hf_close(&f);
}

/* No admin: problems recorded, nothing written for anyone. */
static void test_no_admin(void **state) {
  (void)state;
  struct hf f;
  hf_open(&f,
          "alerts:\n"
          "  receivers:\n"
          "    - name: hook\n"
          "      kind: webhook\n"
          "      url: http://10.1.2.9/mediawatch/hook\n"
          "  people:\n"
          "    - name: 张伟\n"
          "      receivers: [hook]\n");
  int64_t t0 = hf_local(2026, 11, 25, 7, 0);
  fill(&f, t0);
  struct mw_health_check_stats st = check(&f, t0);
  assert_int_equal(st.problems_new, 2);
  assert_int_equal(st.messages, 0);
  st = check(&f, hf_local(2026, 11, 25, 9, 0));
  assert_int_equal(st.messages, 0);
  assert_false(st.digest);
  assert_int_equal(outbox_count(&f), 0);
  assert_int_equal(
      tu_query_int(f.path, "SELECT count(*) FROM source_problems WHERE "
                           "cleared = 0 AND notified = 0"),
      2);
  hf_close(&f);
}

/* A source gone from the config: its problems are cleared. */
static void test_source_gone(void **state) {
  (void)state;
  struct hf f;
  hf_open(&f, hf_yaml_admins);
  int64_t t0 = hf_local(2026, 11, 25, 7, 0);
  fill(&f, t0);
  struct mw_health_check_stats st = check(&f, t0);
  assert_int_equal(st.problems_new, 2);
  /* The same config without 吉林日报. */
  const char *cut = strstr(hf_yaml_base, "  - name: 吉林日报\n");
  const char *rest = strstr(hf_yaml_base, "  - name: 人民网\n");
  assert_non_null(cut);
  assert_non_null(rest);
  size_t n = strlen(hf_yaml_base) + strlen(hf_yaml_admins) + 1;
  char *yaml = malloc(n);
  snprintf(yaml, n, "%.*s%s%s", (int)(cut - hf_yaml_base), hf_yaml_base, rest,
           hf_yaml_admins);
  mw_config_free(f.cfg);
  f.cfg = hf_config(yaml);
  free(yaml);
  struct mw_err err = {0};
  if (mw_store_sync_config(f.s, f.cfg, &err)) fail_msg("sync: %s", err.msg);
  st = check(&f, t0 + 60);
  assert_int_equal(st.sources, 2);
  assert_int_equal(st.problems_cleared, 1);
  assert_int_equal(st.problems_new, 0);
  char sql[160];
  snprintf(sql, sizeof sql,
           "SELECT cleared FROM source_problems WHERE source_id = %lld",
           (long long)f.jl);
  assert_int_equal(tu_query_int(f.path, sql), t0 + 60);
  st = check(&f, t0 + 120);
  assert_int_equal(st.problems_cleared, 0);
  hf_close(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_check_flow),
      cmocka_unit_test(test_no_problem_no_digest),
      cmocka_unit_test(test_no_admin),
      cmocka_unit_test(test_source_gone),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
