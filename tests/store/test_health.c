/* Tests store/health.c and the schema-8 parts of store/sources.c and
 * store/open.c: the new fetch-record fields read back by list_sources,
 * quality rows and the two windows of a source's history, failing_since,
 * publication times and failed article pages (test_health_problems.c:
 * source problems and named state values). */
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

static void record(struct mw_store *s, const struct mw_fetch_record *r) {
  struct mw_err err = {0};
  if (mw_store_record_fetch(s, r, &err)) fail_msg("record: %s", err.msg);
}

/* Source id's row of list_sources; free with mw_store_sources_free. */
static struct mw_source_state *source_of(struct mw_store *s, int64_t id,
                                         struct mw_source_state **all,
                                         size_t *n) {
  struct mw_err err = {0};
  if (mw_store_list_sources(s, all, n, &err)) fail_msg("list: %s", err.msg);
  for (size_t i = 0; i < *n; i++)
    if ((*all)[i].id == id) return &(*all)[i];
  fail_msg("source %lld not listed", (long long)id);
  return NULL;
}

static int64_t first_fetch_of(const struct mw_source_state *all, size_t n,
                              int64_t id) {
  for (size_t i = 0; i < n; i++)
    if (all[i].id == id) return all[i].first_fetch;
  fail_msg("source %lld not listed", (long long)id);
  return -1;
}

static int64_t add_article(struct mw_store *s, int64_t source_id,
                           const char *url, const char *title,
                           int64_t published, int64_t fetched) {
  struct mw_article a = {.source_id = source_id, .url = url, .title = title,
                         .text = "无废城市建设试点工作方案", .published = published,
                         .fetched = fetched};
  int64_t id = 0;
  bool inserted = false;
  struct mw_err err = {0};
  if (mw_store_add_article(s, &a, &id, &inserted, &err))
    fail_msg("add article: %s", err.msg);
  assert_true(inserted);
  return id;
}

static void add_quality(struct mw_store *s, int64_t article_id,
                        int64_t source_id, int64_t fetched, unsigned flags,
                        int64_t chars, int64_t odd) {
  struct mw_article_quality q = {.article_id = article_id,
                                 .source_id = source_id, .fetched = fetched,
                                 .flags = flags, .chars = chars,
                                 .odd_chars = odd};
  struct mw_err err = {0};
  if (mw_store_add_quality(s, &q, &err)) fail_msg("quality: %s", err.msg);
}

static void test_fresh_schema(void **state) {
  struct tu_store *t = *state;
  assert_int_equal(mw_store_schema_version(), 9);
  assert_int_equal(tu_query_int(t->path, "PRAGMA user_version"), 9);
  assert_int_equal(tu_query_int(t->path,
                                "SELECT count(*) FROM pragma_table_info("
                                "'sources') WHERE name IN ('interval_s',"
                                " 'interval_why', 'moved_to', 'moved_since',"
                                " 'first_fetch')"),
                   5);
  assert_int_equal(tu_query_int(t->path,
                                "SELECT count(*) FROM pragma_table_info("
                                "'fetch_log') WHERE name IN ('links',"
                                " 'moved_to')"),
                   2);
  assert_int_equal(tu_query_int(t->path,
                                "SELECT count(*) FROM sqlite_schema WHERE name"
                                " IN ('article_quality', 'source_problems',"
                                " 'state', 'article_quality_source',"
                                " 'articles_source_counted',"
                                " 'source_problems_open')"),
                   6);
  assert_int_equal(tu_query_int(t->path, "SELECT count(*) FROM sources"
                                         " WHERE first_fetch <> 0"),
                   0);
}

/* A version-7 file (made by undoing migration 8 by hand) keeps its data
 * and gets first_fetch from what it knows of each source. */
static void test_migrate_from_7(void **state) {
  (void)state;
  struct tu_store t;
  tu_store_open(&t);
  struct mw_fetch_record r = {.source_id = t.env, .when = 1000, .ok = true,
                              .http_status = 200, .next_due = 1900};
  record(t.s, &r);
  r.when = 2000;
  record(t.s, &r);
  r.source_id = t.pol;
  r.when = 3000;
  record(t.s, &r);
  /* pol's first article was fetched before the oldest poll logged. */
  add_article(t.s, t.pol, "https://www.people.com.cn/n1/1.html", "一",
              MW_TIME_UNKNOWN, 2500);
  add_article(t.s, t.pol, "https://www.people.com.cn/n1/2.html", "二",
              MW_TIME_UNKNOWN, 2800);
  /* jl: polled once, the log since trimmed away. */
  r.source_id = t.jl;
  r.when = 4000;
  record(t.s, &r);
  mw_store_close(t.s);
  tu_exec(t.path,
          TU_UNDO_V8
          " DELETE FROM fetch_log WHERE fetched_at = 4000;"
          " PRAGMA user_version = 7;");
  assert_int_equal(tu_query_int(t.path, "SELECT count(*) FROM"
                                        " pragma_table_info('sources')"),
                   14);

  struct mw_err err = {0};
  t.s = NULL;
  if (mw_store_open(t.path, &t.s, &err)) fail_msg("reopen: %s", err.msg);
  assert_int_equal(tu_query_int(t.path, "PRAGMA user_version"), 9);
  assert_int_equal(tu_query_int(t.path, "SELECT count(*) FROM sources"), 4);
  assert_int_equal(tu_query_int(t.path, "SELECT count(*) FROM fetch_log"), 3);
  assert_int_equal(tu_query_int(t.path, "SELECT count(*) FROM articles"), 2);
  assert_int_equal(tu_query_int(t.path, "SELECT count(*) FROM fetch_log"
                                        " WHERE links IS NULL"),
                   3);
  struct mw_source_state *all;
  size_t n;
  struct mw_source_state *src = source_of(t.s, t.env, &all, &n);
  assert_int_equal(src->first_fetch, 1000);
  assert_int_equal(src->interval_s, 0);
  assert_null(src->interval_why);
  assert_null(src->moved_to);
  assert_int_equal(src->moved_since, 0);
  assert_int_equal(first_fetch_of(all, n, t.pol), 2500);
  assert_int_equal(first_fetch_of(all, n, t.jl), 4000);
  assert_int_equal(first_fetch_of(all, n, t.cc), 0);
  mw_store_sources_free(all, n);
  /* The new tables work on the migrated file. */
  assert_int_equal(mw_store_state_set(t.s, "digest_day", 3, &err), MW_OK);
  tu_store_close(&t);
}

static void test_record_fetch_health_fields(void **state) {
  struct tu_store *t = *state;
  struct mw_source_state *all, *src;
  size_t n;
  /* A 200 with no links, permanently redirected, a new interval. */
  struct mw_fetch_record r = {
      .source_id = t->env, .when = 1000, .ok = true, .http_status = 200,
      .next_due = 2200, .links_known = true, .links = 0,
      .moved_to = "https://www.people.com.cn/rss/env2.xml",
      .interval_s = 1200, .interval_why = "feed ttl 20 min"};
  record(t->s, &r);
  src = source_of(t->s, t->env, &all, &n);
  assert_string_equal(src->moved_to, "https://www.people.com.cn/rss/env2.xml");
  assert_int_equal(src->moved_since, 1000);
  assert_int_equal(src->first_fetch, 1000);
  assert_int_equal(src->interval_s, 1200);
  assert_string_equal(src->interval_why, "feed ttl 20 min");
  assert_int_equal(src->poll_interval_s, 900);
  mw_store_sources_free(all, n);
  assert_int_equal(tu_query_int(t->path, "SELECT links FROM fetch_log"
                                         " WHERE fetched_at = 1000"),
                   0);
  /* Same target again, links not known, interval unchanged: moved_since
   * and the interval stay; links is NULL. */
  r.when = 2000;
  r.links_known = false;
  r.links = 99;
  r.interval_s = 0;
  r.interval_why = "ignored";
  record(t->s, &r);
  src = source_of(t->s, t->env, &all, &n);
  assert_int_equal(src->moved_since, 1000);
  assert_int_equal(src->interval_s, 1200);
  assert_string_equal(src->interval_why, "feed ttl 20 min");
  assert_int_equal(src->first_fetch, 1000);
  mw_store_sources_free(all, n);
  assert_int_equal(tu_query_int(t->path, "SELECT links FROM fetch_log"
                                         " WHERE fetched_at = 2000"),
                   -1);
  assert_int_equal(tu_query_int(t->path, "SELECT count(*) FROM fetch_log"
                                         " WHERE fetched_at = 2000 AND"
                                         " moved_to LIKE '%env2.xml'"),
                   1);
  /* A network failure (no response) says nothing about the redirect. */
  struct mw_fetch_record fail = {.source_id = t->env, .when = 3000,
                                 .error = "connection timed out",
                                 .next_due = 3900, .consecutive_failures = 1};
  record(t->s, &fail);
  src = source_of(t->s, t->env, &all, &n);
  assert_string_equal(src->moved_to, "https://www.people.com.cn/rss/env2.xml");
  assert_int_equal(src->moved_since, 1000);
  mw_store_sources_free(all, n);
  /* Another target: moved_since starts again. */
  r.when = 4000;
  r.moved_to = "https://www.people.com.cn/rss/env3.xml";
  r.links_known = true;
  r.links = 17;
  record(t->s, &r);
  src = source_of(t->s, t->env, &all, &n);
  assert_string_equal(src->moved_to, "https://www.people.com.cn/rss/env3.xml");
  assert_int_equal(src->moved_since, 4000);
  mw_store_sources_free(all, n);
  /* A response without a redirect clears both; an error status counts as
   * a response. */
  struct mw_fetch_record gone = {.source_id = t->env, .when = 5000,
                                 .http_status = 404, .next_due = 5900,
                                 .consecutive_failures = 1,
                                 .interval_s = 1800, .interval_why = "slow"};
  record(t->s, &gone);
  src = source_of(t->s, t->env, &all, &n);
  assert_null(src->moved_to);
  assert_int_equal(src->moved_since, 0);
  assert_int_equal(src->interval_s, 1800);
  assert_string_equal(src->interval_why, "slow");
  assert_int_equal(src->first_fetch, 1000);
  mw_store_sources_free(all, n);
  assert_int_equal(tu_query_int(t->path, "SELECT links FROM fetch_log"
                                         " WHERE fetched_at = 4000"),
                   17);
  /* Other sources untouched. */
  src = source_of(t->s, t->pol, &all, &n);
  assert_int_equal(src->first_fetch, 0);
  assert_null(src->moved_to);
  assert_null(src->interval_why);
  mw_store_sources_free(all, n);
}

/* 130 articles with quality rows: recent 10, baseline 100, 20 older. */
static void test_history_windows(void **state) {
  struct tu_store *t = *state;
  struct mw_err err = {0};
  assert_int_equal(mw_store_begin(t->s, &err), MW_OK);
  int64_t ids[130];
  for (int i = 0; i < 130; i++) {
    char url[80], title[40];
    snprintf(url, sizeof url, "https://www.people.com.cn/n1/%d.html", i);
    snprintf(title, sizeof title, "标题%d", i);
    ids[i] = add_article(t->s, t->env, url, title, 20000 + i * 60, 10000 + i);
    unsigned flags = MW_QUALITY_TITLE;
    if (i % 2 == 0) flags |= MW_QUALITY_DATE;
    if (i % 3 == 0) flags |= MW_QUALITY_ORIGIN;
    if (i >= 115) flags |= MW_QUALITY_BODY;
    int64_t odd = i == 125 ? 7 : (i == 50 || i == 60) ? 9 : 0;
    add_quality(t->s, ids[i], t->env, 10000 + i, flags, 100, odd);
  }
  /* Another source's articles stay out of env's windows. */
  int64_t other = add_article(t->s, t->pol, "https://www.people.com.cn/p/1",
                              "政治", MW_TIME_UNKNOWN, 50000);
  add_quality(t->s, other, t->pol, 50000, 0, 1, 1);
  /* A second call replaces the first. */
  add_quality(t->s, ids[129], t->env, 10129, MW_QUALITY_TITLE, 100, 0);
  assert_int_equal(mw_store_commit(t->s, &err), MW_OK);
  assert_int_equal(tu_query_int(t->path, "SELECT count(*) FROM"
                                         " article_quality"),
                   131);
  assert_int_equal(tu_query_int(t->path, "SELECT flags FROM article_quality"
                                         " ORDER BY article_id DESC LIMIT 1"
                                         " OFFSET 1"),
                   MW_QUALITY_TITLE);

  struct mw_source_history h;
  assert_int_equal(mw_store_source_history(t->s, t->env, 10, 20000 + 100 * 60,
                                           &h, &err),
                   MW_OK);
  /* recent: i = 120..129 */
  assert_int_equal(h.recent.articles, 10);
  assert_int_equal(h.recent.with_title, 10);
  assert_int_equal(h.recent.with_date, 5);   /* 120, 122, ..., 128 */
  assert_int_equal(h.recent.with_origin, 3); /* 120, 123, 126; 129 replaced */
  assert_int_equal(h.recent.with_body, 9);   /* 129 replaced */
  assert_int_equal(h.recent.chars, 1000);
  assert_int_equal(h.recent.odd_chars, 7);
  assert_int_equal(h.recent.newest_fetched, 10129);
  assert_string_equal(h.recent.example_url,
                      "https://www.people.com.cn/n1/125.html");
  assert_string_equal(h.recent.example_title, "标题125");
  /* baseline: i = 20..119; 50 and 60 tie, the newer one shows */
  assert_int_equal(h.baseline.articles, 100);
  assert_int_equal(h.baseline.with_title, 100);
  assert_int_equal(h.baseline.with_date, 50);
  assert_int_equal(h.baseline.with_origin, 33); /* 21, 24, ..., 117 */
  assert_int_equal(h.baseline.with_body, 5);    /* 115..119 */
  assert_int_equal(h.baseline.chars, 10000);
  assert_int_equal(h.baseline.odd_chars, 18);
  assert_int_equal(h.baseline.newest_fetched, 10119);
  assert_string_equal(h.baseline.example_url,
                      "https://www.people.com.cn/n1/60.html");
  /* published since i = 100, ascending */
  assert_int_equal(h.n_published, 30);
  assert_int_equal(h.published[0], 20000 + 100 * 60);
  assert_int_equal(h.published[29], 20000 + 129 * 60);
  for (size_t i = 1; i < h.n_published; i++)
    assert_true(h.published[i - 1] < h.published[i]);
  assert_int_equal(h.last_new, 10129);
  assert_int_equal(h.n_polls, 0);
  assert_int_equal(h.failing_since, 0);
  mw_source_history_free(&h);
  assert_null(h.published);

  /* No odd characters anywhere: the newest is the example; a window wider
   * than what there is. */
  assert_int_equal(mw_store_source_history(t->s, t->pol, 10, 0, &h, &err),
                   MW_OK);
  assert_int_equal(h.recent.articles, 1);
  assert_int_equal(h.recent.odd_chars, 1);
  assert_string_equal(h.recent.example_url, "https://www.people.com.cn/p/1");
  assert_int_equal(h.baseline.articles, 0);
  assert_null(h.baseline.example_url);
  assert_int_equal(h.n_published, 1);
  assert_int_equal(h.published[0], 50000); /* no date: first seen */
  mw_source_history_free(&h);

  /* A source with nothing at all. */
  assert_int_equal(mw_store_source_history(t->s, t->cc, 10, 0, &h, &err),
                   MW_OK);
  assert_int_equal(h.recent.articles, 0);
  assert_null(h.recent.example_url);
  assert_null(h.recent.example_title);
  assert_int_equal(h.recent.newest_fetched, 0);
  assert_int_equal(h.n_published, 0);
  assert_null(h.published);
  assert_int_equal(h.last_new, 0);
  mw_source_history_free(&h);

  assert_int_equal(mw_store_source_history(t->s, 9999, 10, 0, &h, &err),
                   MW_ENOTFOUND);
  assert_non_null(strstr(err.msg, "9999"));
  assert_int_equal(mw_store_source_history(t->s, t->env, 1000000, 0, &h,
                                           &err),
                   MW_EINVAL);
  mw_source_history_free(&h);
}

static void test_history_example_all_even(void **state) {
  struct tu_store *t = *state;
  struct mw_err err = {0};
  for (int i = 0; i < 3; i++) {
    char url[64];
    snprintf(url, sizeof url, "http://jlrb.jlntv.cn/a/%d.html", i);
    int64_t id = add_article(t->s, t->jl, url, NULL, MW_TIME_UNKNOWN, 100 + i);
    add_quality(t->s, id, t->jl, 100 + i, MW_QUALITY_BODY, 50, 0);
  }
  struct mw_source_history h;
  assert_int_equal(mw_store_source_history(t->s, t->jl, 2, 0, &h, &err),
                   MW_OK);
  assert_int_equal(h.recent.articles, 2);
  assert_int_equal(h.recent.with_body, 2);
  assert_int_equal(h.recent.with_title, 0);
  assert_string_equal(h.recent.example_url, "http://jlrb.jlntv.cn/a/2.html");
  assert_null(h.recent.example_title);
  assert_int_equal(h.baseline.articles, 1);
  assert_string_equal(h.baseline.example_url, "http://jlrb.jlntv.cn/a/0.html");
  assert_int_equal(h.baseline.newest_fetched, 100);
  mw_source_history_free(&h);
}

static void poll(struct mw_store *s, int64_t id, int64_t when, bool ok) {
  struct mw_fetch_record r = {.source_id = id, .when = when, .ok = ok,
                              .http_status = ok ? 200 : 503,
                              .links_known = ok, .links = ok ? 12 : 0,
                              .new_articles = ok ? 2 : 0};
  record(s, &r);
}

static void test_failing_since(void **state) {
  struct tu_store *t = *state;
  struct mw_err err = {0};
  struct mw_source_history h;
  /* env: failed, then ok: not failing. */
  poll(t->s, t->env, 1000, false);
  poll(t->s, t->env, 2000, true);
  /* pol: ok, then two failures: failing since the first of them. */
  poll(t->s, t->pol, 1000, true);
  poll(t->s, t->pol, 2000, false);
  poll(t->s, t->pol, 3000, false);
  /* jl: never ok: since its oldest logged poll. */
  poll(t->s, t->jl, 1000, false);
  poll(t->s, t->jl, 2000, false);
  poll(t->s, t->jl, 3000, false);

  assert_int_equal(mw_store_source_history(t->s, t->env, 5, 0, &h, &err),
                   MW_OK);
  assert_int_equal(h.n_polls, 2);
  assert_int_equal(h.failing_since, 0);
  assert_int_equal(h.polls[0].when, 2000);
  assert_true(h.polls[0].ok);
  assert_int_equal(h.polls[0].http_status, 200);
  assert_int_equal(h.polls[0].links, 12);
  assert_int_equal(h.polls[0].new_articles, 2);
  assert_null(h.polls[0].error);
  assert_false(h.polls[1].ok);
  assert_int_equal(h.polls[1].links, -1);
  assert_string_equal(h.polls[1].error, "HTTP status 503");
  mw_source_history_free(&h);

  assert_int_equal(mw_store_source_history(t->s, t->pol, 5, 0, &h, &err),
                   MW_OK);
  assert_int_equal(h.n_polls, 3);
  assert_int_equal(h.failing_since, 2000);
  mw_source_history_free(&h);

  assert_int_equal(mw_store_source_history(t->s, t->jl, 5, 0, &h, &err),
                   MW_OK);
  assert_int_equal(h.failing_since, 1000);
  mw_source_history_free(&h);

  assert_int_equal(mw_store_source_history(t->s, t->cc, 5, 0, &h, &err),
                   MW_OK);
  assert_int_equal(h.n_polls, 0);
  assert_int_equal(h.failing_since, 0);
  mw_source_history_free(&h);

  /* 60 more polls: the history reads the newest 50, the log keeps more. */
  assert_int_equal(mw_store_begin(t->s, &err), MW_OK);
  for (int i = 0; i < 60; i++) poll(t->s, t->cc, 10000 + i, i >= 55);
  assert_int_equal(mw_store_commit(t->s, &err), MW_OK);
  assert_int_equal(mw_store_source_history(t->s, t->cc, 5, 0, &h, &err),
                   MW_OK);
  assert_int_equal(h.n_polls, MW_HISTORY_POLLS);
  assert_int_equal(h.polls[0].when, 10059);
  assert_int_equal(h.polls[49].when, 10010);
  assert_int_equal(h.failing_since, 0);
  mw_source_history_free(&h);
  char sql[80];
  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM fetch_log WHERE source_id = %lld",
           (long long)t->cc);
  assert_int_equal(tu_query_int(t->path, sql), 60);
}

static void test_publication_times(void **state) {
  struct tu_store *t = *state;
  struct mw_err err = {0};
  /* Inserted out of order; one without a date counts by fetch time. */
  static const int64_t pub[] = {5000, 1000, 3000, 4000, 2000};
  for (int i = 0; i < 5; i++) {
    char url[64];
    snprintf(url, sizeof url, "http://www.cccnews.cn/a/%d.html", i);
    add_article(t->s, t->cc, url, "文", pub[i], 9000);
  }
  add_article(t->s, t->cc, "http://www.cccnews.cn/a/x.html", "文",
              MW_TIME_UNKNOWN, 3500);
  add_article(t->s, t->jl, "http://jlrb.jlntv.cn/a/x.html", "文", 3200, 9000);
  int64_t *tm = NULL;
  size_t n = 0;
  assert_int_equal(mw_store_publication_times(t->s, t->cc, 2000, 100, &tm, &n,
                                              &err),
                   MW_OK);
  assert_int_equal(n, 5);
  static const int64_t want[] = {2000, 3000, 3500, 4000, 5000};
  for (size_t i = 0; i < n; i++) assert_int_equal(tm[i], want[i]);
  free(tm);
  /* At most 2: the newest two, ascending. */
  assert_int_equal(mw_store_publication_times(t->s, t->cc, 0, 2, &tm, &n,
                                              &err),
                   MW_OK);
  assert_int_equal(n, 2);
  assert_int_equal(tm[0], 4000);
  assert_int_equal(tm[1], 5000);
  free(tm);
  assert_int_equal(mw_store_publication_times(t->s, t->cc, 6000, 10, &tm, &n,
                                              &err),
                   MW_OK);
  assert_int_equal(n, 0);
  assert_null(tm);
  assert_int_equal(mw_store_publication_times(t->s, t->cc, 0, 0, &tm, &n,
                                              &err),
                   MW_OK);
  assert_int_equal(n, 0);
  assert_null(tm);
}

/* Failed article pages: one per URL (the latest), counted from the oldest
 * article of the recent window, not once stored, the newest as example,
 * the source's newest 100 kept. */
static void test_page_failures(void **state) {
  struct tu_store *t = *state;
  struct mw_err err = {0};
  struct mw_source_history h;
  /* No article yet: every failure counts. */
  assert_int_equal(mw_store_page_failed(t->s, t->env, "https://www.people."
                                        "com.cn/a/1.html", "HTTP 404", 1000,
                                        &err), MW_OK);
  assert_int_equal(mw_store_page_failed(t->s, t->env, "https://www.people."
                                        "com.cn/a/2.html", "no title and no "
                                        "body text found", 1100, &err), MW_OK);
  /* The same URL again: one row, the latest. */
  assert_int_equal(mw_store_page_failed(t->s, t->env, "https://www.people."
                                        "com.cn/a/1.html", "HTTP 500", 1200,
                                        &err), MW_OK);
  assert_int_equal(mw_store_page_failed(t->s, t->pol, "https://www.people."
                                        "com.cn/p/9.html", NULL, 1200, &err),
                   MW_OK);
  assert_int_equal(mw_store_source_history(t->s, t->env, 10, 0, &h, &err),
                   MW_OK);
  assert_int_equal(h.pages_failed, 2);
  assert_string_equal(h.failed_url, "https://www.people.com.cn/a/1.html");
  assert_string_equal(h.failed_reason, "HTTP 500");
  mw_source_history_free(&h);

  /* Page 2 stored after all, and an article fetched at 1150 opens the
   * recent window: page 1 (1200) still counts, nothing older would. */
  int64_t id = add_article(t->s, t->env, "https://www.people.com.cn/a/2.html",
                           "标题", 900, 1150);
  add_quality(t->s, id, t->env, 1150, MW_QUALITY_TITLE, 10, 0);
  assert_int_equal(mw_store_page_failed(t->s, t->env, "https://www.people."
                                        "com.cn/a/3.html", "old", 1140, &err),
                   MW_OK);
  assert_int_equal(mw_store_source_history(t->s, t->env, 10, 0, &h, &err),
                   MW_OK);
  assert_int_equal(h.recent.oldest_fetched, 1150);
  assert_int_equal(h.pages_failed, 1);
  mw_source_history_free(&h);

  /* 150 more: the newest 100 kept. */
  for (int i = 0; i < 150; i++) {
    char url[80];
    snprintf(url, sizeof url, "https://www.people.com.cn/b/%d.html", i);
    assert_int_equal(mw_store_page_failed(t->s, t->env, url, "x", 2000 + i,
                                          &err), MW_OK);
  }
  assert_int_equal(tu_query_int(t->path, "SELECT count(*) FROM page_failures"
                                         " WHERE source_id = (SELECT min(id)"
                                         " FROM sources)"),
                   100);
  assert_int_equal(mw_store_source_history(t->s, t->env, 10, 0, &h, &err),
                   MW_OK);
  assert_int_equal(h.pages_failed, 100);
  assert_string_equal(h.failed_url, "https://www.people.com.cn/b/149.html");
  mw_source_history_free(&h);
  assert_int_equal(mw_store_page_failed(t->s, t->env, "", "x", 1, &err),
                   MW_EINVAL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_fresh_schema, tu_store_setup,
                                      tu_store_teardown),
      cmocka_unit_test(test_migrate_from_7),
      cmocka_unit_test_setup_teardown(test_record_fetch_health_fields,
                                      tu_store_setup, tu_store_teardown),
      cmocka_unit_test_setup_teardown(test_history_windows, tu_store_setup,
                                      tu_store_teardown),
      cmocka_unit_test_setup_teardown(test_history_example_all_even,
                                      tu_store_setup, tu_store_teardown),
      cmocka_unit_test_setup_teardown(test_failing_since, tu_store_setup,
                                      tu_store_teardown),
      cmocka_unit_test_setup_teardown(test_publication_times, tu_store_setup,
                                      tu_store_teardown),
      cmocka_unit_test_setup_teardown(test_page_failures, tu_store_setup,
                                      tu_store_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
