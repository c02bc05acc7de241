/*
 * test_crawl.c: the whole crawl end to end. The fixture server serves
 * tests/data/sites; the real `mediawatch` binary crawls it with
 * examples/demo.yaml: four feeds, a GBK listing page whose article pages
 * are fetched and extracted, and a news sitemap. Every week's report must
 * equal the counts the fixtures declare in expected.json exactly, for
 * every outlet; the summary must give each source's figures; each page is
 * fetched once and nothing else is; reprints form the declared clusters.
 * A second and a third crawl must send conditional requests, get 304s
 * (feeds, listing, sitemap: their validators are kept once every page they
 * asked for is stored), fetch no article page again and store nothing
 * twice.
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

/* Attachments recorded for the source whose URL ends with suffix. */
static int64_t stored_attachments(const char *db, const char *suffix) {
  struct mw_store *st;
  struct mw_err err;
  if (mw_store_open(db, &st, &err)) fail_msg("%s", err.msg);
  struct mw_source_state *src;
  size_t n;
  assert_int_equal(mw_store_list_sources(st, &src, &n, &err), MW_OK);
  int64_t count = -1;
  for (size_t i = 0; i < n; i++) {
    size_t ul = strlen(src[i].url), sl = strlen(suffix);
    if (ul >= sl && !strcmp(src[i].url + ul - sl, suffix))
      assert_int_equal(mw_store_count_attachments(st, src[i].id, &count, &err),
                       MW_OK);
  }
  mw_store_sources_free(src, n);
  mw_store_close(st);
  return count;
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

/* What is wrong with store cluster c against the manifest's clusters, or
 * "" when it is one of them. */
static void cluster_problem(const struct mw_cluster *c, json_t *want,
                            char *why, size_t n) {
  json_t *match = NULL, *w;
  size_t k;
  why[0] = '\0';
  json_array_foreach(want, k, w) {
    if (c->title &&
        !strcmp(c->title, json_string_value(json_object_get(w, "story"))))
      match = w;
  }
  if (!match) {
    snprintf(why, n, "unexpected cluster \"%s\" (%s, %lld articles)",
             c->title ? c->title : "", c->original_outlet,
             (long long)c->article_count);
    return;
  }
  json_t *members = json_object_get(match, "members");
  const char *original = json_string_value(json_object_get(match, "original"));
  if (strcmp(c->original_outlet, original) ||
      c->article_count != (int64_t)json_array_size(members) ||
      c->n_outlets != json_array_size(members)) {
    snprintf(why, n, "cluster \"%s\": original %s, %lld articles, %zu outlets; "
             "expected %s, %zu, %zu", c->title, c->original_outlet,
             (long long)c->article_count, c->n_outlets, original,
             json_array_size(members), json_array_size(members));
    return;
  }
  for (size_t m = 0; m < c->n_outlets; m++) {
    const char *o = json_string_value(
        json_object_get(json_array_get(members, m), "outlet"));
    if (strcmp(c->outlets[m], o))
      snprintf(why, n, "cluster \"%s\": outlet %zu is %s, expected %s",
               c->title, m, c->outlets[m], o);
  }
}

/* The reprint clusters of more than one article must be the manifest's:
 * same original outlet and title, same publishing outlets in order
 * (original first). */
static void check_clusters(struct env *e) {
  struct mw_store *st;
  struct mw_err err;
  if (mw_store_open(e->db, &st, &err)) fail_msg("%s", err.msg);
  struct mw_cluster *cl = NULL;
  size_t n = 0, multi = 0;
  int rc = mw_store_top_clusters(st, 0, INT64_MAX, 0, &cl, &n, &err);
  mw_store_close(st);
  if (rc) fail_msg("%s", err.msg);
  json_t *want = json_object_get(e->expected, "clusters");
  char why[1024] = "";
  for (size_t i = 0; i < n && !why[0]; i++) {
    if (cl[i].article_count < 2) continue;
    multi++;
    cluster_problem(&cl[i], want, why, sizeof why);
  }
  mw_store_clusters_free(cl, n);
  if (why[0]) fail_msg("%s", why);
  if (multi != json_array_size(want))
    fail_msg("%zu reprint clusters, expected %zu", multi,
             json_array_size(want));
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

/* Requests the fixture saw for each path of a manifest list. */
static void expect_requests(struct env *e, json_t *paths, uint64_t n,
                            const char *what) {
  size_t i;
  json_t *p;
  json_array_foreach(paths, i, p) {
    char path[512];
    snprintf(path, sizeof path, "/%s", json_string_value(p));
    uint64_t got = mw_fixture_requests(e->fx, path);
    if (got != n)
      fail_msg("%s %s requested %llu times, expected %llu", what, path,
               (unsigned long long)got, (unsigned long long)n);
  }
}

/* The summary line of the source at manifest path must hold want, e.g.
 * "(8 links, 9 pages fetched, 0 failed, 8 new)". */
static void expect_source_line(struct env *e, const char *out,
                               const char *path, const char *want) {
  char url[512];
  snprintf(url, sizeof url, "%s/%s  ", mw_fixture_base_url(e->fx), path);
  const char *at = strstr(out, url);
  if (!at) fail_msg("no summary line for %s:\n%s", url, out);
  const char *eol = strchr(at, '\n');
  const char *hit = strstr(at, want);
  if (!hit || (eol && hit > eol))
    fail_msg("the line of %s lacks '%s':\n%s", path, want, out);
}

static void test_crawl_report_recrawl(void **state) {
  struct env *e = *state;
  char *out = NULL, *err = NULL;
  const char *crawl[] = {"crawl", "--once", "--config", e->cfg, NULL};
  int rc = e2e_run(&out, &err, crawl);
  if (rc != 0) fail_msg("crawl exited %d\nstdout:\n%s\nstderr:\n%s", rc, out, err);
  json_t *sources = json_object_get(e->expected, "sources");
  int64_t total_items = 0;
  uint64_t pages = 0; /* requests beyond the sources' own polls */
  size_t i;
  json_t *src;
  json_array_foreach(sources, i, src) {
    total_items += json_integer_value(json_object_get(src, "items"));
    json_t *lp = json_object_get(src, "listing_pages");
    pages += json_array_size(json_object_get(src, "articles")) +
             (lp ? json_array_size(lp) - 1 : 0);
  }
  assert_int_equal(total_items, json_integer_value(json_object_get(
                                    json_object_get(e->expected, "totals"), "items")));
  char line[128];
  snprintf(line, sizeof line, "sources: %zu ok, 0 not modified, 0 failed",
           json_array_size(sources));
  if (!strstr(out, line)) fail_msg("summary lacks '%s':\n%s", line, out);
  snprintf(line, sizeof line, "new articles: %lld", (long long)total_items);
  if (!strstr(out, line)) fail_msg("summary lacks '%s':\n%s", line, out);
  assert_int_equal(stored_articles(e->db), total_items);
  /* The portal's PDF is recorded as an attachment, never fetched. */
  assert_int_equal(stored_attachments(e->db, "/sthjt/xwdt/index.html"), 1);
  json_array_foreach(sources, i, src) expect_source_line(
      e, out, json_string_value(json_object_get(src, "path")),
      json_string_value(json_object_get(src, "summary")));
  /* robots.txt once per host; each source, listing page and article page
   * once; nothing disallowed, and nothing a careful crawler leaves alone:
   * sidebar links, the attachment, a listing page past the last. */
  assert_int_equal(mw_fixture_requests(e->fx, "/robots.txt"), 1);
  assert_int_equal(mw_fixture_requests(e->fx, "/private/internal.xml"), 0);
  json_array_foreach(sources, i, src) {
    char path[512];
    snprintf(path, sizeof path, "/%s",
             json_string_value(json_object_get(src, "path")));
    assert_int_equal(mw_fixture_requests(e->fx, path), 1);
    expect_requests(e, json_object_get(src, "listing_pages"), 1, "listing page");
    expect_requests(e, json_object_get(src, "articles"), 1, "article page");
    expect_requests(e, json_object_get(src, "never_fetched"), 0, "page");
  }
  /* Besides: the duty desk's webhook told of the alerts the crawl raised
   * (the demo's robots need their URLs from the environment). */
  struct mw_fixture_delivery *hooks = NULL;
  size_t n_hooks = 0;
  assert_int_equal(mw_fixture_deliveries(e->fx, "/hook/", &hooks, &n_hooks),
                   MW_OK);
  assert_true(n_hooks > 0);
  for (size_t k = 0; k < n_hooks; k++)
    assert_string_equal(hooks[k].path, "/hook/webhook/duty-desk");
  mw_fixture_deliveries_free(hooks, n_hooks);
  assert_int_equal(mw_fixture_requests(e->fx, NULL),
                   1 + json_array_size(sources) + pages + n_hooks);
  free(out);
  free(err);

  const char *week;
  json_t *want;
  json_object_foreach(json_object_get(e->expected, "weeks"), week, want)
    check_week(e, week, want);
  check_clusters(e);

  /* Second crawl: every source asked conditionally and answered 304. The
   * listing and the sitemap asked for pages at the first poll, so their
   * polls cleared the validators (a crash before those pages were stored
   * must not turn into a 304 that hides them) and wrote them only once
   * every page they asked for was stored, still within the first crawl. */
  mw_fixture_reset_counts(e->fx);
  rc = e2e_run(&out, &err, crawl);
  if (rc != 0) fail_msg("second crawl exited %d: %s", rc, err);
  snprintf(line, sizeof line, "sources: 0 ok, %zu not modified, 0 failed",
           json_array_size(sources));
  if (!strstr(out, line)) fail_msg("second summary lacks '%s':\n%s", line, out);
  assert_non_null(strstr(out, "new articles: 0"));
  json_array_foreach(sources, i, src)
    expect_requests(e, json_object_get(src, "articles"), 0, "article page");
  free(out);
  free(err);

  /* Third crawl: every source asked conditionally, every one a 304 (the
   * listing and the sitemap too), so no further listing page and no
   * article page is fetched again and nothing new is stored. */
  mw_fixture_reset_counts(e->fx);
  rc = e2e_run(&out, &err, crawl);
  if (rc != 0) fail_msg("third crawl exited %d: %s", rc, err);
  snprintf(line, sizeof line, "sources: 0 ok, %zu not modified, 0 failed",
           json_array_size(sources));
  if (!strstr(out, line)) fail_msg("third summary lacks '%s':\n%s", line, out);
  assert_non_null(strstr(out, "new articles: 0"));
  json_array_foreach(sources, i, src) {
    char path[512];
    snprintf(path, sizeof path, "/%s",
             json_string_value(json_object_get(src, "path")));
    assert_int_equal(mw_fixture_conditional_requests(e->fx, path), 1);
    assert_int_equal(mw_fixture_conditional_hits(e->fx, path), 1);
    expect_requests(e, json_object_get(src, "articles"), 0, "article page");
  }
  assert_int_equal(mw_fixture_requests(e->fx, NULL),
                   json_array_size(sources) +
                       mw_fixture_requests(e->fx, "/robots.txt"));
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
