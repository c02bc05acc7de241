/*
 * test_crawl.c: the first vertical slice end to end. The fixture server
 * serves tests/data/sites; the real `mediawatch` binary crawls it with
 * examples/demo.yaml; every week's report must equal the counts the
 * fixtures declare in expected.json exactly. A second crawl must send
 * conditional requests, get 304s and store nothing twice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "tests/e2e/e2e.h"

struct env {
  struct e2e_scratch dir;
  struct mw_fixture *fx;
  char cfg[1024], db[1024];
  json_t *expected;
};

static int setup(void **state) {
  struct env *e = calloc(1, sizeof *e);
  char sites[1024], tmpl[1024], exp[1024];
  e2e_data("sites", sites, sizeof sites);
  e2e_data("sites/expected.json", exp, sizeof exp);
  e2e_source("examples/demo.yaml", tmpl, sizeof tmpl);
  e2e_scratch_new(&e->dir, "crawl");
  e2e_path(&e->dir, "mediawatch.yaml", e->cfg, sizeof e->cfg);
  e2e_path(&e->dir, "mw.db", e->db, sizeof e->db);
  e->fx = e2e_fixture(sites);
  e2e_make_config(tmpl, e->cfg, mw_fixture_base_url(e->fx), e->db);
  json_error_t jerr;
  e->expected = json_load_file(exp, 0, &jerr);
  if (!e->expected) fail_msg("%s: %s", exp, jerr.text);
  *state = e;
  return 0;
}

static int teardown(void **state) {
  struct env *e = *state;
  mw_fixture_stop(e->fx);
  e2e_scratch_free(&e->dir);
  json_decref(e->expected);
  free(e);
  return 0;
}

static int64_t stored_articles(const char *db) {
  struct mw_store *st;
  struct mw_err err;
  if (mw_store_open(db, &st, &err)) fail_msg("%s", err.msg);
  int64_t n = -1;
  assert_int_equal(mw_store_count_articles(st, &n, &err), MW_OK);
  mw_store_close(st);
  return n;
}

/* The outlet's row of a JSON report, wherever its tier put it. */
static json_t *report_outlet(json_t *report, const char *name) {
  json_t *tiers = json_object_get(report, "tiers");
  size_t i, k;
  json_t *tier, *outlet;
  json_array_foreach(tiers, i, tier) {
    json_array_foreach(json_object_get(tier, "outlets"), k, outlet) {
      if (!strcmp(json_string_value(json_object_get(outlet, "name")), name))
        return outlet;
    }
  }
  return NULL;
}

static void check_week(struct env *e, const char *week, json_t *want) {
  char *out = NULL, *err = NULL;
  const char *args[] = {"report", "--config", e->cfg, "--week", week,
                        "--format", "json", NULL};
  int rc = e2e_run(&out, &err, args);
  if (rc != 0) fail_msg("report %s exited %d: %s", week, rc, err);
  json_error_t jerr;
  json_t *report = json_loads(out, 0, &jerr);
  if (!report) fail_msg("report %s is not JSON: %s", week, jerr.text);
  const char *outlet;
  json_t *counts;
  int64_t week_items = 0;
  json_object_foreach(want, outlet, counts) {
    json_t *row = report_outlet(report, outlet);
    if (!row) fail_msg("%s: outlet %s missing from the report", week, outlet);
    int64_t items = json_integer_value(json_object_get(counts, "items"));
    week_items += items;
    if (json_integer_value(json_object_get(row, "all")) != items)
      fail_msg("%s %s: %lld articles, expected %lld", week, outlet,
               (long long)json_integer_value(json_object_get(row, "all")),
               (long long)items);
    const char *topic;
    json_t *n;
    json_object_foreach(counts, topic, n) {
      if (!strcmp(topic, "items")) continue;
      json_t *got = json_object_get(json_object_get(row, "counts"), topic);
      if (json_integer_value(got) != json_integer_value(n))
        fail_msg("%s %s %s: %lld, expected %lld", week, outlet, topic,
                 (long long)json_integer_value(got),
                 (long long)json_integer_value(n));
    }
  }
  json_t *total = json_object_get(json_object_get(report, "total"), "all");
  assert_int_equal(json_integer_value(total), week_items);
  json_decref(report);
  free(out);
  free(err);
}

static void test_crawl_report_recrawl(void **state) {
  struct env *e = *state;
  char *out = NULL, *err = NULL;
  const char *crawl[] = {"crawl", "--once", "--config", e->cfg, NULL};
  int rc = e2e_run(&out, &err, crawl);
  if (rc != 0) fail_msg("crawl exited %d\nstdout:\n%s\nstderr:\n%s", rc, out, err);
  json_t *feeds = json_object_get(e->expected, "feeds");
  int64_t total_items = 0;
  size_t i;
  json_t *feed;
  json_array_foreach(feeds, i, feed)
    total_items += json_integer_value(json_object_get(feed, "items"));
  char line[128];
  snprintf(line, sizeof line, "sources: %zu ok, 0 not modified, 0 failed",
           json_array_size(feeds));
  if (!strstr(out, line)) fail_msg("summary lacks '%s':\n%s", line, out);
  snprintf(line, sizeof line, "new articles: %lld", (long long)total_items);
  if (!strstr(out, line)) fail_msg("summary lacks '%s':\n%s", line, out);
  assert_int_equal(stored_articles(e->db), total_items);
  /* robots.txt once per host, each feed once, nothing disallowed. */
  assert_int_equal(mw_fixture_requests(e->fx, "/robots.txt"), 1);
  assert_int_equal(mw_fixture_requests(e->fx, "/private/internal.xml"), 0);
  json_array_foreach(feeds, i, feed) {
    char path[512];
    snprintf(path, sizeof path, "/%s",
             json_string_value(json_object_get(feed, "path")));
    assert_int_equal(mw_fixture_requests(e->fx, path), 1);
  }
  free(out);
  free(err);

  const char *week;
  json_t *want;
  json_object_foreach(json_object_get(e->expected, "weeks"), week, want)
    check_week(e, week, want);

  /* Second crawl: every feed asked conditionally, every one a 304. */
  mw_fixture_reset_counts(e->fx);
  rc = e2e_run(&out, &err, crawl);
  if (rc != 0) fail_msg("second crawl exited %d: %s", rc, err);
  snprintf(line, sizeof line, "sources: 0 ok, %zu not modified, 0 failed",
           json_array_size(feeds));
  if (!strstr(out, line)) fail_msg("second summary lacks '%s':\n%s", line, out);
  assert_non_null(strstr(out, "new articles: 0"));
  json_array_foreach(feeds, i, feed) {
    char path[512];
    snprintf(path, sizeof path, "/%s",
             json_string_value(json_object_get(feed, "path")));
    assert_int_equal(mw_fixture_conditional_requests(e->fx, path), 1);
    assert_int_equal(mw_fixture_conditional_hits(e->fx, path), 1);
  }
  assert_int_equal(stored_articles(e->db), total_items);
  free(out);
  free(err);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_crawl_report_recrawl, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
