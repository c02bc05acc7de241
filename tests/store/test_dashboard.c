/* Tests store/dashboard.c (events after an id, the last event, an alert's
 * articles, source activity, metrics with the fetch counters sources.c
 * keeps) and the dashboard's alert filter fields in store/alerts.c
 * (until, topic, region, level, offset). */
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

#define T INT64_C(1683511200) /* 2023-05-08 10:00 +08 */
#define H INT64_C(3600)

static int64_t add_article(struct tu_store *f, int64_t src, const char *url,
                           const char *title, int64_t published,
                           int64_t fetched) {
  /* published 0 here: the page gave no date. */
  struct mw_article a = {.source_id = src,
                         .url = url,
                         .title = title,
                         .text = "加快推进全域“无废城市”建设。",
                         .published = published ? published : MW_TIME_UNKNOWN,
                         .fetched = fetched};
  int64_t id;
  bool inserted;
  struct mw_err err = {0};
  if (mw_store_add_article(f->s, &a, &id, &inserted, &err))
    fail_msg("add: %s", err.msg);
  return id;
}

static int64_t add_alert(struct tu_store *f, const char *key, int level,
                         const char *state, const char *topic,
                         const char *region, int64_t created) {
  struct mw_alert_rec r = {.key = (char *)key,
                           .kind = "article",
                           .level = level,
                           .state = (char *)state,
                           .topic = (char *)topic,
                           .region = (char *)region,
                           .title = (char *)key,
                           .created = created,
                           .updated = created};
  int64_t id;
  struct mw_err err = {0};
  if (mw_store_alert_insert(f->s, &r, &id, &err))
    fail_msg("alert: %s", err.msg);
  return id;
}

static void add_event(struct tu_store *f, int64_t alert, int64_t at,
                      const char *actor, const char *action, const char *to) {
  struct mw_alert_event e = {.alert_id = alert,
                             .at = at,
                             .actor = (char *)actor,
                             .action = (char *)action,
                             .to_state = (char *)to};
  struct mw_err err = {0};
  if (mw_store_alert_event_add(f->s, &e, &err)) fail_msg("event: %s", err.msg);
}

static void test_events_after(void **state) {
  struct tu_store *f = *state;
  struct mw_err err = {0};
  int64_t last = -1;
  assert_int_equal(mw_store_alert_event_last(f->s, &last, &err), MW_OK);
  assert_int_equal(last, 0);
  struct mw_alert_event *ev;
  size_t n = 9;
  assert_int_equal(mw_store_alert_events_after(f->s, 0, 10, &ev, &n, &err),
                   MW_OK);
  assert_int_equal(n, 0);
  assert_null(ev);

  int64_t a1 = add_alert(f, "article:1", 2, "new", "无废城市", NULL, T);
  int64_t a2 = add_alert(f, "article:2", 3, "new", NULL, NULL, T);
  add_event(f, a1, T + 1, "mediawatch", "raised", "new");
  add_event(f, a2, T + 2, "mediawatch", "raised", "new");
  add_event(f, a1, T + 3, "张三", "ack", "acked");
  assert_int_equal(mw_store_alert_event_last(f->s, &last, &err), MW_OK);
  assert_int_equal(last, 3);

  assert_int_equal(mw_store_alert_events_after(f->s, 1, 0, &ev, &n, &err),
                   MW_OK);
  assert_int_equal(n, 2);
  assert_int_equal(ev[0].id, 2);
  assert_int_equal(ev[0].alert_id, a2);
  assert_int_equal(ev[0].at, T + 2);
  assert_string_equal(ev[0].action, "raised");
  assert_int_equal(ev[1].id, 3);
  assert_int_equal(ev[1].alert_id, a1);
  assert_string_equal(ev[1].actor, "张三");
  assert_string_equal(ev[1].action, "ack");
  assert_null(ev[1].from_state);
  assert_string_equal(ev[1].to_state, "acked");
  assert_null(ev[1].comment);
  mw_alert_events_free(ev, n);

  assert_int_equal(mw_store_alert_events_after(f->s, 0, 2, &ev, &n, &err),
                   MW_OK);
  assert_int_equal(n, 2);
  assert_int_equal(ev[0].id, 1);
  assert_int_equal(ev[1].id, 2);
  mw_alert_events_free(ev, n);
  assert_int_equal(mw_store_alert_events_after(f->s, 3, 10, &ev, &n, &err),
                   MW_OK);
  assert_int_equal(n, 0);
}

static void test_alert_articles(void **state) {
  struct tu_store *f = *state;
  struct mw_err err = {0};
  int64_t x = add_article(f, f->jl, "https://a/1", "吉林日报报道", T, T + 30);
  int64_t y = add_article(f, f->env, "https://a/2", "人民日报转载", 0, T + 10);
  int64_t z = add_article(f, f->cc, "https://a/3", NULL, T - H, T + 20);
  int64_t al = add_alert(f, "cluster:1", 3, "new", NULL, NULL, T);
  assert_int_equal(mw_store_alert_add_article(f->s, al, x, NULL, &err), MW_OK);
  assert_int_equal(mw_store_alert_add_article(f->s, al, y, NULL, &err), MW_OK);
  assert_int_equal(mw_store_alert_add_article(f->s, al, z, NULL, &err), MW_OK);
  struct mw_alert_article *arr;
  size_t n;
  assert_int_equal(mw_store_alert_articles(f->s, al, &arr, &n, &err), MW_OK);
  assert_int_equal(n, 3);
  /* First carrier first: by first seen. */
  assert_int_equal(arr[0].id, y);
  assert_string_equal(arr[0].outlet, "人民日报");
  assert_string_equal(arr[0].title, "人民日报转载");
  assert_string_equal(arr[0].url, "https://a/2");
  assert_int_equal(arr[0].published, 0);
  assert_int_equal(arr[0].fetched, T + 10);
  assert_int_equal(arr[1].id, z);
  assert_null(arr[1].title);
  assert_string_equal(arr[1].outlet, "长春日报");
  assert_int_equal(arr[1].published, T - H);
  assert_int_equal(arr[2].id, x);
  assert_string_equal(arr[2].outlet, "吉林日报");
  mw_alert_articles_free(arr, n);
  assert_int_equal(mw_store_alert_articles(f->s, al + 1, &arr, &n, &err),
                   MW_OK);
  assert_int_equal(n, 0);
}

static void test_source_activity(void **state) {
  struct tu_store *f = *state;
  struct mw_err err = {0};
  add_article(f, f->jl, "https://a/1", "a", 0, T - 10 * H);
  add_article(f, f->jl, "https://a/2", "b", 0, T + H);
  add_article(f, f->jl, "https://a/3", "c", 0, T + 2 * H);
  add_article(f, f->cc, "https://a/4", "d", 0, T - 20 * H);
  struct mw_source_activity *act;
  size_t n;
  assert_int_equal(mw_store_source_activity(f->s, T, &act, &n, &err), MW_OK);
  assert_int_equal(n, 4);
  assert_int_equal(act[0].source_id, f->env);
  assert_int_equal(act[0].articles_since, 0);
  assert_int_equal(act[0].last_article, 0);
  assert_int_equal(act[1].source_id, f->pol);
  assert_int_equal(act[2].source_id, f->jl);
  assert_int_equal(act[2].articles_since, 2);
  assert_int_equal(act[2].last_article, T + 2 * H);
  assert_int_equal(act[3].source_id, f->cc);
  assert_int_equal(act[3].articles_since, 0);
  assert_int_equal(act[3].last_article, T - 20 * H);
  free(act);
}

static void record(struct tu_store *f, int64_t src, bool ok, int64_t failures) {
  struct mw_fetch_record r = {.source_id = src,
                              .when = T,
                              .ok = ok,
                              .http_status = ok ? 200 : 503,
                              .next_due = T + 900,
                              .consecutive_failures = failures};
  struct mw_err err = {0};
  if (mw_store_record_fetch(f->s, &r, &err)) fail_msg("record: %s", err.msg);
}

static void test_metrics(void **state) {
  struct tu_store *f = *state;
  struct mw_err err = {0};
  struct mw_store_metrics m;
  assert_int_equal(mw_store_metrics(f->s, &m, &err), MW_OK);
  assert_int_equal(m.articles, 0);
  assert_int_equal(m.fetches, 0);
  assert_int_equal(m.fetch_failures, 0);
  assert_int_equal(m.sources, 4);
  assert_int_equal(m.sources_failing, 0);
  assert_int_equal(m.alerts_total, 0);
  assert_int_equal(m.outbox_pending, 0);
  assert_int_equal(m.search_pending, 0);

  record(f, f->env, true, 0);
  record(f, f->jl, false, 1);
  record(f, f->jl, false, 2);
  record(f, f->cc, true, 0);
  int64_t a1 = add_article(f, f->jl, "https://a/1", "a", 0, T);
  add_article(f, f->jl, "https://a/2", "b", 0, T);
  add_article(f, f->cc, "https://a/3", "c", 0, T);
  size_t n;
  assert_int_equal(mw_store_search_index(f->s, 1, &n, &err), MW_OK);
  int64_t al = add_alert(f, "a:1", 4, "new", NULL, NULL, T);
  add_alert(f, "a:2", 4, "acked", NULL, NULL, T);
  add_alert(f, "a:3", 2, "assigned", NULL, NULL, T);
  add_alert(f, "a:4", 2, "closed", NULL, NULL, T);
  add_alert(f, "a:5", 1, "closed", NULL, NULL, T);
  int64_t id;
  assert_int_equal(mw_store_outbox_add(f->s, al, "duty", "alert", "text", NULL,
                                       T, &id, &err),
                   MW_OK);
  assert_int_equal(mw_store_outbox_add(f->s, al, "boss", "alert", "text", NULL,
                                       T, &id, &err),
                   MW_OK);
  assert_int_equal(mw_store_outbox_mark_sent(f->s, id, T + 1, &err), MW_OK);
  (void)a1;

  assert_int_equal(mw_store_metrics(f->s, &m, &err), MW_OK);
  assert_int_equal(m.articles, 3);
  assert_int_equal(m.fetches, 4);
  assert_int_equal(m.fetch_failures, 2);
  assert_int_equal(m.sources, 4);
  assert_int_equal(m.sources_failing, 1);
  assert_int_equal(m.alerts_open[1], 0);
  assert_int_equal(m.alerts_open[2], 1);
  assert_int_equal(m.alerts_open[3], 0);
  assert_int_equal(m.alerts_open[4], 2);
  assert_int_equal(m.alerts_total, 5);
  assert_int_equal(m.outbox_pending, 1);
  assert_int_equal(m.search_pending, 2);
  assert_int_equal(
      tu_query_int(f->path,
                   "SELECT value FROM counters WHERE name = 'fetches'"),
      4);

  /* A failed record leaves the counters as they were (one savepoint). */
  struct mw_fetch_record bad = {.source_id = 999, .when = T, .ok = true};
  assert_int_equal(mw_store_record_fetch(f->s, &bad, &err), MW_ENOTFOUND);
  assert_int_equal(mw_store_metrics(f->s, &m, &err), MW_OK);
  assert_int_equal(m.fetches, 4);
}

/* Ids of the alerts f lists, highest level first, then newest. */
static void expect_list(struct tu_store *f, const struct mw_alert_filter *flt,
                        size_t n, ...) {
  struct mw_alert_rec *arr;
  size_t got;
  struct mw_err err = {0};
  if (mw_store_alert_list(f->s, flt, &arr, &got, &err))
    fail_msg("list: %s", err.msg);
  if (got != n) fail_msg("%zu alerts listed, expected %zu", got, n);
  va_list ap;
  va_start(ap, n);
  for (size_t i = 0; i < n; i++) {
    int64_t id = va_arg(ap, int64_t);
    if (arr[i].id != id)
      fail_msg("alert %zu is %lld, expected %lld", i, (long long)arr[i].id,
               (long long)id);
  }
  va_end(ap);
  mw_alert_recs_free(arr, got);
}

static void test_alert_filter(void **state) {
  struct tu_store *f = *state;
  int64_t a =
      add_alert(f, "k:a", 3, "new", "无废城市", "吉林省长春市朝阳区", T);
  int64_t b =
      add_alert(f, "k:b", 3, "closed", "垃圾分类", "吉林省吉林市", T + H);
  int64_t c = add_alert(f, "k:c", 2, "acked", "无废城市", "吉林省", T + 2 * H);
  int64_t d = add_alert(f, "k:d", 1, "new", NULL, NULL, T + 3 * H);
  int64_t e = add_alert(f, "k:e", 3, "new", "无废城市", "重庆市", T + 4 * H);
  expect_list(f, NULL, 5, e, b, a, c, d);
  expect_list(f, &(struct mw_alert_filter){.level = 3}, 3, e, b, a);
  expect_list(f, &(struct mw_alert_filter){.level = 3, .open_only = true}, 2, e,
              a);
  expect_list(f, &(struct mw_alert_filter){.topic = "无废城市"}, 3, e, a, c);
  expect_list(f, &(struct mw_alert_filter){.topic = ""}, 5, e, b, a, c, d);
  /* 吉林省 takes every place under it; 长春市 alone is not a prefix. */
  expect_list(f, &(struct mw_alert_filter){.region = "吉林省"}, 3, b, a, c);
  expect_list(f, &(struct mw_alert_filter){.region = "吉林省长春市"}, 1, a);
  expect_list(f, &(struct mw_alert_filter){.region = "长春市"}, 0);
  expect_list(f, &(struct mw_alert_filter){.until = T + 2 * H}, 2, b, a);
  expect_list(f, &(struct mw_alert_filter){.since = T + H, .until = T + 4 * H},
              3, b, c, d);
  expect_list(f, &(struct mw_alert_filter){.limit = 2}, 2, e, b);
  expect_list(f, &(struct mw_alert_filter){.limit = 2, .offset = 2}, 2, a, c);
  expect_list(f, &(struct mw_alert_filter){.offset = 4}, 1, d);
  expect_list(f, &(struct mw_alert_filter){.offset = 5}, 0);
  expect_list(f,
              &(struct mw_alert_filter){.min_level = 2,
                                        .topic = "无废城市",
                                        .region = "吉林省",
                                        .open_only = true},
              2, a, c);
  expect_list(f, &(struct mw_alert_filter){.state = "new", .level = 1}, 1, d);
}

/* A version 6 file (before the dashboard) with articles and fetches:
 * opening it adds migration 7, every article pending for the search index,
 * the counters starting from what the fetch log holds. */
static void test_migrates_v6_store(void **state) {
  struct tu_store *f = *state;
  struct mw_err err = {0};
  record(f, f->env, true, 0);
  record(f, f->jl, false, 1);
  record(f, f->cc, true, 0);
  add_article(f, f->jl, "https://a/1", "“无废城市”建设", 0, T);
  add_article(f, f->cc, "https://a/2", "垃圾分类", 0, T);
  mw_store_close(f->s);
  f->s = NULL;
  tu_exec(f->path,
          TU_UNDO_V8
          " DROP TABLE web_sessions; DROP TABLE users; DROP TABLE article_fts;"
          " DROP TABLE search_state; DROP TABLE counters;"
          " PRAGMA user_version = 6;");
  assert_int_equal(mw_store_open(f->path, &f->s, &err), MW_OK);
  assert_int_equal(tu_query_int(f->path, "PRAGMA user_version"),
                   mw_store_schema_version());
  struct mw_store_metrics m;
  assert_int_equal(mw_store_metrics(f->s, &m, &err), MW_OK);
  assert_int_equal(m.articles, 2);
  assert_int_equal(m.fetches, 3);
  assert_int_equal(m.fetch_failures, 1);
  assert_int_equal(m.search_pending, 2);
  size_t n;
  assert_int_equal(mw_store_search_index(f->s, 10, &n, &err), MW_OK);
  assert_int_equal(n, 2);
  struct mw_search_result r;
  assert_int_equal(
      mw_store_search(f->s, &(struct mw_search_query){.q = "垃圾分类"}, &r,
                      &err),
      MW_OK);
  assert_int_equal(r.n, 1);
  assert_string_equal(r.hits[0].title_marked,
                      MW_SEARCH_MARK_OPEN "垃圾分类" MW_SEARCH_MARK_CLOSE);
  mw_search_result_cleanup(&r);
  assert_int_equal(
      mw_store_user_add(f->s, "admin", MW_ROLE_ADMIN, "$6$a$b", T, &err),
      MW_OK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_events_after, tu_store_setup,
                                      tu_store_teardown),
      cmocka_unit_test_setup_teardown(test_alert_articles, tu_store_setup,
                                      tu_store_teardown),
      cmocka_unit_test_setup_teardown(test_source_activity, tu_store_setup,
                                      tu_store_teardown),
      cmocka_unit_test_setup_teardown(test_metrics, tu_store_setup,
                                      tu_store_teardown),
      cmocka_unit_test_setup_teardown(test_alert_filter, tu_store_setup,
                                      tu_store_teardown),
      cmocka_unit_test_setup_teardown(test_migrates_v6_store, tu_store_setup,
                                      tu_store_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
