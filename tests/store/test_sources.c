/* Tests store/sources.c: syncing the config (add, update, deactivate, keep
 * fetch state) and recording fetches (the validator rule, the short log). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store/store.h"
#include "tests/store/store_test_util.h"

struct fixture {
  char *dir, *path;
  struct tu_config tc;
  struct mw_store *s;
};

static int setup(void **state) {
  struct fixture *f = calloc(1, sizeof *f);
  f->dir = tu_tmpdir();
  f->path = tu_path(f->dir, "mw.db");
  tu_config_init(&f->tc);
  f->s = tu_open_synced(f->path, &f->tc);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  struct fixture *f = *state;
  mw_store_close(f->s);
  tu_rmtree(f->dir);
  free(f->path);
  free(f->dir);
  free(f);
  return 0;
}

static void list(struct fixture *f, struct mw_source_state **src, size_t *n) {
  struct mw_err err = {0};
  if (mw_store_list_sources(f->s, src, n, &err)) fail_msg("%s", err.msg);
}

static void test_sync_adds(void **state) {
  struct fixture *f = *state;
  struct mw_source_state *src;
  size_t n;
  list(f, &src, &n);
  assert_int_equal(n, 3);
  assert_string_equal(src[0].url, "https://www.people.com.cn/rss/env.xml");
  assert_string_equal(src[0].outlet_name, "人民日报");
  assert_int_equal(src[0].kind, MW_SOURCE_FEED);
  assert_int_equal(src[0].poll_interval_s, 900);
  assert_null(src[0].etag);
  assert_null(src[0].last_modified);
  assert_null(src[0].last_error);
  assert_int_equal(src[0].next_due, 0);
  assert_int_equal(src[0].last_fetch, 0);
  assert_int_equal(src[0].last_ok, 0);
  assert_int_equal(src[0].last_status, 0);
  assert_int_equal(src[0].consecutive_failures, 0);
  assert_int_equal(src[1].outlet_id, src[0].outlet_id);
  assert_int_equal(src[1].poll_interval_s, 1800);
  assert_string_equal(src[2].outlet_name, "吉林日报");
  assert_int_equal(src[2].kind, MW_SOURCE_HTML);
  assert_true(src[2].outlet_id != src[0].outlet_id);
  assert_true(src[0].id < src[1].id && src[1].id < src[2].id);
  mw_store_sources_free(src, n);
  mw_store_sources_free(NULL, 0);
  assert_int_equal(
      tu_query_int(f->path, "SELECT count(*) FROM outlets WHERE name = "
                            "'吉林日报' AND tier = 'provincial' AND region = "
                            "'吉林省' AND active = 1"),
      1);
}

static void test_sync_updates_and_keeps_state(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  struct mw_source_state *src;
  size_t n;
  list(f, &src, &n);
  int64_t env_id = src[0].id, jl_id = src[2].id;
  int64_t people = src[0].outlet_id, jilin = src[2].outlet_id;
  mw_store_sources_free(src, n);
  struct mw_fetch_record r = {.source_id = env_id, .when = 1000, .ok = true,
                              .http_status = 200, .update_validators = true,
                              .etag = "\"abc\"", .last_modified = "Mon, 08 "
                              "May 2023 02:00:00 GMT", .next_due = 1900,
                              .new_articles = 4};
  assert_int_equal(mw_store_record_fetch(f->s, &r, &err), MW_OK);

  /* Interval, kind and tier change; the env feed moves to 吉林日报. */
  f->tc.sources[0].poll_interval_s = 600;
  f->tc.sources[2].kind = MW_SOURCE_SITEMAP;
  f->tc.outlets[1].tier = MW_TIER_CITY;
  f->tc.outlets[1].region = "长春市";
  f->tc.outlets[0].sources = &f->tc.sources[1];
  f->tc.outlets[0].n_sources = 1;
  f->tc.sources[3] = f->tc.sources[2];
  f->tc.sources[2] = f->tc.sources[0];
  f->tc.outlets[1].sources = &f->tc.sources[2];
  f->tc.outlets[1].n_sources = 2;
  assert_int_equal(mw_store_sync_config(f->s, &f->tc.cfg, &err), MW_OK);

  list(f, &src, &n);
  assert_int_equal(n, 3);
  assert_int_equal(src[0].id, env_id); /* same row, same id */
  assert_int_equal(src[0].outlet_id, jilin);
  assert_string_equal(src[0].outlet_name, "吉林日报");
  assert_int_equal(src[0].poll_interval_s, 600);
  assert_string_equal(src[0].etag, "\"abc\""); /* fetch state kept */
  assert_string_equal(src[0].last_modified, "Mon, 08 May 2023 02:00:00 GMT");
  assert_int_equal(src[0].next_due, 1900);
  assert_int_equal(src[0].last_ok, 1000);
  assert_int_equal(src[1].outlet_id, people);
  assert_int_equal(src[2].id, jl_id);
  assert_int_equal(src[2].kind, MW_SOURCE_SITEMAP);
  mw_store_sources_free(src, n);
  assert_int_equal(
      tu_query_int(f->path, "SELECT count(*) FROM outlets WHERE name = "
                            "'吉林日报' AND tier = 'city' AND region = '长春市'"),
      1);
  assert_int_equal(tu_query_int(f->path, "SELECT count(*) FROM outlets"), 2);
}

static void test_sync_deactivates_and_revives(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  /* 吉林日报 and the politics feed leave the config. */
  f->tc.cfg.n_outlets = 1;
  f->tc.outlets[0].n_sources = 1;
  assert_int_equal(mw_store_sync_config(f->s, &f->tc.cfg, &err), MW_OK);
  struct mw_source_state *src;
  size_t n;
  list(f, &src, &n);
  assert_int_equal(n, 1);
  assert_string_equal(src[0].url, "https://www.people.com.cn/rss/env.xml");
  mw_store_sources_free(src, n);
  /* Not deleted: inactive, so their articles keep their history. */
  assert_int_equal(tu_query_int(f->path, "SELECT count(*) FROM sources"), 3);
  assert_int_equal(
      tu_query_int(f->path, "SELECT count(*) FROM sources WHERE active = 0"),
      2);
  assert_int_equal(
      tu_query_int(f->path,
                   "SELECT active FROM outlets WHERE name = '吉林日报'"),
      0);
  assert_int_equal(
      tu_query_int(f->path,
                   "SELECT active FROM outlets WHERE name = '人民日报'"),
      1);
  /* Back in the config, back to active. */
  f->tc.cfg.n_outlets = 2;
  f->tc.outlets[0].n_sources = 2;
  assert_int_equal(mw_store_sync_config(f->s, &f->tc.cfg, &err), MW_OK);
  list(f, &src, &n);
  assert_int_equal(n, 3);
  mw_store_sources_free(src, n);
  assert_int_equal(
      tu_query_int(f->path, "SELECT count(*) FROM outlets WHERE active = 1"),
      2);
}

static void test_sync_bad_config_changes_nothing(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  f->tc.cfg.n_outlets = 1; /* would deactivate 吉林日报 ... */
  f->tc.sources[1].url = NULL; /* ... but the config is broken */
  assert_int_equal(mw_store_sync_config(f->s, &f->tc.cfg, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "config line 8"));
  assert_non_null(strstr(err.msg, "人民日报"));
  assert_int_equal(
      tu_query_int(f->path, "SELECT count(*) FROM sources WHERE active = 1"),
      3);
  f->tc.sources[1].url = "https://www.people.com.cn/rss/politics.xml";
  f->tc.outlets[1].name = NULL;
  f->tc.cfg.n_outlets = 2;
  assert_int_equal(mw_store_sync_config(f->s, &f->tc.cfg, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "config line 12"));
}

static void test_record_fetch_validators(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  struct mw_source_state *src;
  size_t n;
  list(f, &src, &n);
  int64_t id = src[0].id;
  mw_store_sources_free(src, n);

  /* A 200 stores the validators. */
  struct mw_fetch_record r = {.source_id = id, .when = 1000, .ok = true,
                              .http_status = 200, .update_validators = true,
                              .etag = "W/\"v1\"", .last_modified = "LM1",
                              .next_due = 1900, .new_articles = 3};
  assert_int_equal(mw_store_record_fetch(f->s, &r, &err), MW_OK);
  /* A 304 keeps them, even when it carries others. */
  r = (struct mw_fetch_record){.source_id = id, .when = 2000, .ok = true,
                               .http_status = 304, .update_validators = false,
                               .etag = "W/\"other\"", .last_modified = "LM2",
                               .next_due = 2900};
  assert_int_equal(mw_store_record_fetch(f->s, &r, &err), MW_OK);
  list(f, &src, &n);
  assert_string_equal(src[0].etag, "W/\"v1\"");
  assert_string_equal(src[0].last_modified, "LM1");
  assert_int_equal(src[0].last_fetch, 2000);
  assert_int_equal(src[0].last_ok, 2000);
  assert_int_equal(src[0].last_status, 304);
  assert_int_equal(src[0].next_due, 2900);
  assert_null(src[0].last_error);
  mw_store_sources_free(src, n);

  /* A failure keeps validators and last_ok, counts, and says why. */
  r = (struct mw_fetch_record){.source_id = id, .when = 3000, .ok = false,
                               .http_status = 503,
                               .error = "HTTP 503 Service Unavailable",
                               .next_due = 3600, .consecutive_failures = 1};
  assert_int_equal(mw_store_record_fetch(f->s, &r, &err), MW_OK);
  r.when = 4000;
  r.http_status = 0;
  r.error = NULL; /* no reason given: the store makes one up */
  r.consecutive_failures = 2;
  assert_int_equal(mw_store_record_fetch(f->s, &r, &err), MW_OK);
  list(f, &src, &n);
  assert_string_equal(src[0].etag, "W/\"v1\"");
  assert_int_equal(src[0].last_ok, 2000);
  assert_int_equal(src[0].last_fetch, 4000);
  assert_int_equal(src[0].last_status, 0);
  assert_int_equal(src[0].consecutive_failures, 2);
  assert_string_equal(src[0].last_error, "failed (no reason given)");
  mw_store_sources_free(src, n);

  /* A 200 without validators clears them; success clears the error. */
  r = (struct mw_fetch_record){.source_id = id, .when = 5000, .ok = true,
                               .http_status = 200, .update_validators = true,
                               .next_due = 5900};
  assert_int_equal(mw_store_record_fetch(f->s, &r, &err), MW_OK);
  list(f, &src, &n);
  assert_null(src[0].etag);
  assert_null(src[0].last_modified);
  assert_null(src[0].last_error);
  assert_int_equal(src[0].consecutive_failures, 0);
  assert_int_equal(src[0].last_ok, 5000);
  mw_store_sources_free(src, n);

  assert_int_equal(tu_query_int(f->path, "SELECT count(*) FROM fetch_log"), 5);
  assert_int_equal(
      tu_query_int(f->path, "SELECT sum(new_articles) FROM fetch_log"), 3);
  assert_int_equal(
      tu_query_int(f->path, "SELECT count(*) FROM fetch_log WHERE ok = 0 AND "
                            "error = 'HTTP 503 Service Unavailable' AND "
                            "http_status = 503 AND fetched_at = 3000"),
      1);
}

static void test_record_fetch_unknown_source(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  struct mw_fetch_record r = {.source_id = 4242, .when = 1, .ok = true,
                              .http_status = 200};
  assert_int_equal(mw_store_record_fetch(f->s, &r, &err), MW_ENOTFOUND);
  assert_non_null(strstr(err.msg, "4242"));
  assert_int_equal(tu_query_int(f->path, "SELECT count(*) FROM fetch_log"), 0);
}

/* Validators written alone (a chain of pages completed): nothing else of
 * the fetch state changes and no fetch is logged or counted. */
static void test_set_validators(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  struct mw_source_state *src;
  size_t n;
  list(f, &src, &n);
  int64_t id = src[0].id, other = src[1].id;
  mw_store_sources_free(src, n);
  /* The poll that asked for pages: a 200 that cleared the validators. */
  struct mw_fetch_record r = {.source_id = id, .when = 1000, .ok = true,
                              .http_status = 200, .update_validators = true,
                              .next_due = 1900, .new_articles = 2};
  assert_int_equal(mw_store_record_fetch(f->s, &r, &err), MW_OK);
  int64_t counted = tu_query_int(
      f->path, "SELECT coalesce(sum(value), 0) FROM counters");
  assert_int_equal(mw_store_begin(f->s, &err), MW_OK);
  assert_int_equal(
      mw_store_set_validators(f->s, id, "\"e1\"", "LM1", &err), MW_OK);
  assert_int_equal(mw_store_commit(f->s, &err), MW_OK);
  list(f, &src, &n);
  assert_string_equal(src[0].etag, "\"e1\"");
  assert_string_equal(src[0].last_modified, "LM1");
  assert_int_equal(src[0].last_fetch, 1000);
  assert_int_equal(src[0].last_ok, 1000);
  assert_int_equal(src[0].last_status, 200);
  assert_int_equal(src[0].next_due, 1900);
  assert_null(src[1].etag); /* others untouched */
  mw_store_sources_free(src, n);
  assert_int_equal(tu_query_int(f->path, "SELECT count(*) FROM fetch_log"), 1);
  assert_int_equal(tu_query_int(f->path, "SELECT coalesce(sum(value), 0) "
                                         "FROM counters"),
                   counted);

  /* One may be absent; NULL clears it. */
  assert_int_equal(mw_store_set_validators(f->s, id, NULL, "LM2", &err),
                   MW_OK);
  assert_int_equal(mw_store_set_validators(f->s, other, "\"o\"", NULL, &err),
                   MW_OK);
  list(f, &src, &n);
  assert_null(src[0].etag);
  assert_string_equal(src[0].last_modified, "LM2");
  assert_string_equal(src[1].etag, "\"o\"");
  assert_null(src[1].last_modified);
  mw_store_sources_free(src, n);

  assert_int_equal(mw_store_set_validators(f->s, 4242, "\"x\"", NULL, &err),
                   MW_ENOTFOUND);
  assert_non_null(strstr(err.msg, "4242"));
}

static void test_fetch_log_is_short(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  struct mw_source_state *src;
  size_t n;
  list(f, &src, &n);
  int64_t a = src[0].id, b = src[1].id;
  mw_store_sources_free(src, n);
  assert_int_equal(mw_store_begin(f->s, &err), MW_OK);
  for (int i = 1; i <= 130; i++) {
    struct mw_fetch_record r = {.source_id = a, .when = i, .ok = true,
                                .http_status = 304};
    assert_int_equal(mw_store_record_fetch(f->s, &r, &err), MW_OK);
  }
  struct mw_fetch_record rb = {.source_id = b, .when = 7, .ok = true,
                               .http_status = 200};
  assert_int_equal(mw_store_record_fetch(f->s, &rb, &err), MW_OK);
  assert_int_equal(mw_store_commit(f->s, &err), MW_OK);
  char sql[128];
  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM fetch_log WHERE source_id = %lld",
           (long long)a);
  assert_int_equal(tu_query_int(f->path, sql), 100);
  snprintf(sql, sizeof sql,
           "SELECT min(fetched_at) FROM fetch_log WHERE source_id = %lld",
           (long long)a);
  assert_int_equal(tu_query_int(f->path, sql), 31); /* the newest 100 */
  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM fetch_log WHERE source_id = %lld",
           (long long)b);
  assert_int_equal(tu_query_int(f->path, sql), 1); /* others untouched */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_sync_adds, setup, teardown),
      cmocka_unit_test_setup_teardown(test_sync_updates_and_keeps_state,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_sync_deactivates_and_revives,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_sync_bad_config_changes_nothing,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_record_fetch_validators, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_record_fetch_unknown_source, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_set_validators, setup, teardown),
      cmocka_unit_test_setup_teardown(test_fetch_log_is_short, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
