/* Tests store/alerts.c, store/alert_events.c and store/silences.c: every
 * field of an alert through insert, get and update; lookup by key; the
 * list's filters and order; the articles of an alert and the outlets that
 * carried them, first carrier first; the audit trail; silences. */
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

static int64_t add_article(struct tu_store *f, int64_t src, const char *url,
                           int64_t fetched) {
  struct mw_err err = {0};
  struct mw_article a = {.source_id = src,
                         .url = url,
                         .title = "关于开展“无废城市”建设试点工作的通知",
                         .published = MW_TIME_UNKNOWN,
                         .fetched = fetched};
  int64_t id;
  bool ins;
  if (mw_store_add_article(f->s, &a, &id, &ins, &err)) fail_msg("%s", err.msg);
  return id;
}

/* An alert with every writable field set to something other than 0/NULL.
 * Strings point to static storage: never cleaned up. */
static struct mw_alert_rec full_alert(void) {
  return (struct mw_alert_rec){
      .key = "cluster:12",
      .kind = "article",
      .cluster_id = 12,
      .article_id = 34,
      .topic = "无废城市",
      .region = "吉林省长春市",
      .level = 3,
      .state = "reported",
      .title = "长春市某垃圾填埋场渗滤液外溢 群众反映强烈",
      .url = "https://www.people.com.cn/n1/2023/0508/c1-1.html",
      .reason = "敏感度 7.5，超过重大级阈值",
      .created = T,
      .updated = T + 60,
      .deadline = T + 5 * 3600,
      .acked_at = T + 30,
      .acked_by = "张伟",
      .assignee = "长春市生态环境局",
      .due = T + 86400,
      .escalation = 1,
      .notified_at = T + 1,
      .notified_level = 2,
      .silence_id = 7,
      .overdue = true};
}

static void expect_str(const char *got, const char *want) {
  if (want)
    assert_string_equal(got, want);
  else
    assert_null(got);
}

/* Every stored field of got equals want's (not id, key, kind, read-only). */
static void expect_fields(const struct mw_alert_rec *got,
                          const struct mw_alert_rec *want) {
  assert_int_equal(got->cluster_id, want->cluster_id);
  assert_int_equal(got->article_id, want->article_id);
  expect_str(got->topic, want->topic);
  expect_str(got->region, want->region);
  assert_int_equal(got->level, want->level);
  expect_str(got->state, want->state);
  expect_str(got->title, want->title);
  expect_str(got->url, want->url);
  expect_str(got->reason, want->reason);
  assert_int_equal(got->created, want->created);
  assert_int_equal(got->updated, want->updated);
  assert_int_equal(got->deadline, want->deadline);
  assert_int_equal(got->acked_at, want->acked_at);
  expect_str(got->acked_by, want->acked_by);
  expect_str(got->assignee, want->assignee);
  assert_int_equal(got->due, want->due);
  assert_int_equal(got->escalation, want->escalation);
  assert_int_equal(got->notified_at, want->notified_at);
  assert_int_equal(got->notified_level, want->notified_level);
  assert_int_equal(got->silence_id, want->silence_id);
  assert_int_equal(got->overdue, want->overdue);
}

static void test_alert_round_trip(void **state) {
  struct tu_store *f = *state;
  struct mw_err err = {0};
  struct mw_alert_rec in = full_alert();
  int64_t id = 0;
  assert_int_equal(mw_store_alert_insert(f->s, &in, &id, &err), MW_OK);
  assert_true(id > 0);

  struct mw_alert_rec got;
  assert_int_equal(mw_store_alert_get(f->s, id, &got, &err), MW_OK);
  assert_int_equal(got.id, id);
  assert_string_equal(got.key, "cluster:12");
  assert_string_equal(got.kind, "article");
  expect_fields(&got, &in);
  assert_int_equal(got.article_count, 0);
  assert_int_equal(got.outlet_count, 0);
  assert_null(got.outlets);
  mw_alert_rec_cleanup(&got);
  assert_null(got.key); /* cleanup leaves a zeroed record */
  mw_alert_rec_cleanup(NULL);

  /* Every writable field changed, to "none" where it has one: key and kind
   * stay as inserted. */
  struct mw_alert_rec up = {.id = id,
                            .key = "article:99",
                            .kind = "burst",
                            .level = 4,
                            .state = "new",
                            .created = T + 5,
                            .updated = T + 7200};
  assert_int_equal(mw_store_alert_update(f->s, &up, &err), MW_OK);
  assert_int_equal(mw_store_alert_get(f->s, id, &got, &err), MW_OK);
  assert_string_equal(got.key, "cluster:12");
  assert_string_equal(got.kind, "article");
  expect_fields(&got, &up);
  mw_alert_rec_cleanup(&got);
  char sql[200];
  snprintf(sql, sizeof sql,
           "SELECT cluster_id IS NULL AND acked_at IS NULL "
           "AND deadline IS NULL AND silence_id IS NULL AND overdue = 0 "
           "FROM alerts WHERE id = %lld",
           (long long)id);
  assert_int_equal(tu_query_int(f->path, sql), 1);

  /* And back to every value set. */
  in.id = id;
  assert_int_equal(mw_store_alert_update(f->s, &in, &err), MW_OK);
  assert_int_equal(mw_store_alert_get(f->s, id, &got, &err), MW_OK);
  expect_fields(&got, &in);
  mw_alert_rec_cleanup(&got);
}

static void test_alert_errors(void **state) {
  struct tu_store *f = *state;
  struct mw_err err = {0};
  struct mw_alert_rec in = full_alert();
  int64_t id = 0, id2 = -1;
  assert_int_equal(mw_store_alert_insert(f->s, &in, &id, &err), MW_OK);
  assert_int_equal(mw_store_alert_insert(f->s, &in, &id2, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "cluster:12"));
  assert_int_equal(id2, -1);

  struct mw_alert_rec bad = full_alert();
  bad.key = "article:1";
  bad.level = 0;
  assert_int_equal(mw_store_alert_insert(f->s, &bad, &id2, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "level 0"));
  bad.level = 2;
  bad.state = NULL;
  assert_int_equal(mw_store_alert_insert(f->s, &bad, &id2, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "state"));
  bad.state = "new";
  bad.key = NULL;
  assert_int_equal(mw_store_alert_insert(f->s, &bad, &id2, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "key"));
  bad.key = "article:1";
  bad.kind = NULL;
  assert_int_equal(mw_store_alert_insert(f->s, &bad, &id2, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "kind"));
  assert_int_equal(tu_query_int(f->path, "SELECT count(*) FROM alerts"), 1);

  struct mw_alert_rec got;
  assert_int_equal(mw_store_alert_get(f->s, 42, &got, &err), MW_ENOTFOUND);
  assert_non_null(strstr(err.msg, "alert 42 not found"));
  in.id = 4242;
  assert_int_equal(mw_store_alert_update(f->s, &in, &err), MW_ENOTFOUND);
  assert_non_null(strstr(err.msg, "alert 4242 not found"));
  in.id = id;
  in.level = 5;
  assert_int_equal(mw_store_alert_update(f->s, &in, &err), MW_EINVAL);
  assert_int_equal(mw_store_alert_get(f->s, id, &got, &err), MW_OK);
  assert_int_equal(got.level, 3); /* untouched */
  mw_alert_rec_cleanup(&got);
}

static void test_alert_by_key(void **state) {
  struct tu_store *f = *state;
  struct mw_err err = {0};
  struct mw_alert_rec in = full_alert();
  int64_t id;
  assert_int_equal(mw_store_alert_insert(f->s, &in, &id, &err), MW_OK);
  in.key = "burst:垃圾分类";
  in.kind = "burst";
  in.cluster_id = in.article_id = 0;
  int64_t burst;
  assert_int_equal(mw_store_alert_insert(f->s, &in, &burst, &err), MW_OK);

  struct mw_alert_rec got;
  bool found = false;
  assert_int_equal(
      mw_store_alert_by_key(f->s, "burst:垃圾分类", &got, &found, &err), MW_OK);
  assert_true(found);
  assert_int_equal(got.id, burst);
  assert_string_equal(got.kind, "burst");
  assert_int_equal(got.cluster_id, 0);
  assert_int_equal(got.article_id, 0);
  mw_alert_rec_cleanup(&got);

  /* Not found: out untouched. */
  memset(&got, 0x5a, sizeof got);
  found = true;
  assert_int_equal(
      mw_store_alert_by_key(f->s, "cluster:13", &got, &found, &err), MW_OK);
  assert_false(found);
  assert_int_equal(got.id, (int64_t)0x5a5a5a5a5a5a5a5a);
  assert_int_equal(mw_store_alert_by_key(f->s, "burst:垃圾分类:1683511200",
                                         &got, &found, &err),
                   MW_OK);
  assert_false(found);
}

/* Articles of one alert from three outlets, added out of time order. */
static void test_alert_articles_and_outlets(void **state) {
  struct tu_store *f = *state;
  struct mw_err err = {0};
  struct mw_alert_rec in = full_alert();
  int64_t id;
  assert_int_equal(mw_store_alert_insert(f->s, &in, &id, &err), MW_OK);
  int64_t jl1 = add_article(f, f->jl, "https://jl.cn/1", T + 10);
  int64_t rm1 = add_article(f, f->env, "https://p.cn/1", T + 50);
  int64_t rm2 = add_article(f, f->pol, "https://p.cn/2", T + 5);
  bool added = false;
  assert_int_equal(mw_store_alert_add_article(f->s, id, jl1, &added, &err),
                   MW_OK);
  assert_true(added);
  struct mw_alert_rec got;
  assert_int_equal(mw_store_alert_get(f->s, id, &got, &err), MW_OK);
  assert_int_equal(got.article_count, 1);
  assert_int_equal(got.outlet_count, 1);
  assert_string_equal(got.outlets, "吉林日报");
  mw_alert_rec_cleanup(&got);

  assert_int_equal(mw_store_alert_add_article(f->s, id, rm1, &added, &err),
                   MW_OK);
  assert_true(added);
  assert_int_equal(mw_store_alert_get(f->s, id, &got, &err), MW_OK);
  assert_string_equal(got.outlets, "吉林日报、人民日报");
  mw_alert_rec_cleanup(&got);

  /* 人民日报 carried it earlier (rm2 at T+5) than 吉林日报 (T+10). */
  assert_int_equal(mw_store_alert_add_article(f->s, id, rm2, NULL, &err),
                   MW_OK);
  assert_int_equal(mw_store_alert_add_article(f->s, id, rm1, &added, &err),
                   MW_OK);
  assert_false(added); /* there already */
  assert_int_equal(mw_store_alert_get(f->s, id, &got, &err), MW_OK);
  assert_int_equal(got.article_count, 3);
  assert_int_equal(got.outlet_count, 2);
  assert_string_equal(got.outlets, "人民日报、吉林日报");
  mw_alert_rec_cleanup(&got);

  /* Same first-seen time as rm2, later id: after 人民日报. */
  int64_t cc1 = add_article(f, f->cc, "https://cc.cn/1", T + 5);
  assert_int_equal(mw_store_alert_add_article(f->s, id, cc1, NULL, &err),
                   MW_OK);
  assert_int_equal(mw_store_alert_get(f->s, id, &got, &err), MW_OK);
  assert_int_equal(got.article_count, 4);
  assert_int_equal(got.outlet_count, 3);
  assert_string_equal(got.outlets, "人民日报、长春日报、吉林日报");
  mw_alert_rec_cleanup(&got);

  assert_int_equal(mw_store_alert_add_article(f->s, id, 9999, &added, &err),
                   MW_ENOTFOUND);
  assert_non_null(strstr(err.msg, "article 9999 not found"));
  assert_false(added);
  assert_int_equal(mw_store_alert_add_article(f->s, 777, rm1, &added, &err),
                   MW_ENOTFOUND);
  assert_non_null(strstr(err.msg, "alert 777 not found"));
}

/* Inserts an alert; returns its id. */
static int64_t add_alert(struct tu_store *f, const char *key, int level,
                         const char *state, int64_t created, bool overdue) {
  struct mw_err err = {0};
  struct mw_alert_rec r = {.key = (char *)key,
                           .kind = "article",
                           .level = level,
                           .state = (char *)state,
                           .created = created,
                           .updated = created,
                           .overdue = overdue};
  int64_t id;
  if (mw_store_alert_insert(f->s, &r, &id, &err)) fail_msg("%s", err.msg);
  return id;
}

/* Lists with filter and checks the ids, in order (0-terminated). */
static void expect_list(struct tu_store *f, const struct mw_alert_filter *flt,
                        const int64_t *want) {
  struct mw_err err = {0};
  struct mw_alert_rec *arr = NULL;
  size_t n = 99;
  if (mw_store_alert_list(f->s, flt, &arr, &n, &err)) fail_msg("%s", err.msg);
  size_t nw = 0;
  while (want[nw]) nw++;
  if (n != nw) {
    mw_alert_recs_free(arr, n);
    fail_msg("listed %zu alerts, want %zu", n, nw);
  }
  for (size_t i = 0; i < n; i++) assert_int_equal(arr[i].id, want[i]);
  mw_alert_recs_free(arr, n);
}

static void test_alert_list_filters_and_order(void **state) {
  struct tu_store *f = *state;
  int64_t a = add_alert(f, "article:1", 2, "new", T, false);
  int64_t b = add_alert(f, "article:2", 4, "assigned", T + 10, true);
  int64_t c = add_alert(f, "article:3", 2, "closed", T + 20, false);
  int64_t d = add_alert(f, "article:4", 2, "new", T + 20, false);
  int64_t e = add_alert(f, "article:5", 1, "reported", T + 30, true);
  int64_t g = add_alert(f, "article:6", 4, "closed", T + 5, false);

  /* Level, then created, then id, all descending. */
  expect_list(f, &(struct mw_alert_filter){0},
              (int64_t[]){b, g, d, c, a, e, 0});
  expect_list(f, NULL, (int64_t[]){b, g, d, c, a, e, 0});
  expect_list(f, &(struct mw_alert_filter){.open_only = true},
              (int64_t[]){b, d, a, e, 0});
  expect_list(f, &(struct mw_alert_filter){.state = "new"},
              (int64_t[]){d, a, 0});
  expect_list(f, &(struct mw_alert_filter){.state = "closed"},
              (int64_t[]){g, c, 0});
  expect_list(f, &(struct mw_alert_filter){.min_level = 2},
              (int64_t[]){b, g, d, c, a, 0});
  expect_list(f, &(struct mw_alert_filter){.min_level = 3, .open_only = true},
              (int64_t[]){b, 0});
  expect_list(f, &(struct mw_alert_filter){.overdue_only = true},
              (int64_t[]){b, e, 0});
  expect_list(f, &(struct mw_alert_filter){.since = T + 20},
              (int64_t[]){d, c, e, 0});
  expect_list(f, &(struct mw_alert_filter){.since = T + 20, .open_only = true},
              (int64_t[]){d, e, 0});
  expect_list(f, &(struct mw_alert_filter){.limit = 2}, (int64_t[]){b, g, 0});
  expect_list(f, &(struct mw_alert_filter){.limit = 3, .open_only = true},
              (int64_t[]){b, d, a, 0});
  expect_list(f, &(struct mw_alert_filter){.state = "feedback"},
              (int64_t[]){0});

  /* A listed alert carries its articles and outlets too. */
  struct mw_err err = {0};
  int64_t x = add_article(f, f->jl, "https://jl.cn/l1", T);
  int64_t y = add_article(f, f->env, "https://p.cn/l2", T + 1);
  assert_int_equal(mw_store_alert_add_article(f->s, d, x, NULL, &err), MW_OK);
  assert_int_equal(mw_store_alert_add_article(f->s, d, y, NULL, &err), MW_OK);
  assert_int_equal(mw_store_alert_add_article(f->s, a, y, NULL, &err), MW_OK);
  struct mw_alert_rec *arr;
  size_t n;
  assert_int_equal(
      mw_store_alert_list(f->s, &(struct mw_alert_filter){.state = "new"}, &arr,
                          &n, &err),
      MW_OK);
  assert_int_equal(n, 2);
  assert_int_equal(arr[0].id, d);
  assert_int_equal(arr[0].article_count, 2);
  assert_int_equal(arr[0].outlet_count, 2);
  assert_string_equal(arr[0].outlets, "吉林日报、人民日报");
  assert_string_equal(arr[0].key, "article:4");
  assert_int_equal(arr[1].id, a);
  assert_int_equal(arr[1].article_count, 1);
  assert_string_equal(arr[1].outlets, "人民日报");
  mw_alert_recs_free(arr, n);
  mw_alert_recs_free(NULL, 0);
}

static void test_alert_events_in_order(void **state) {
  struct tu_store *f = *state;
  struct mw_err err = {0};
  int64_t id = add_alert(f, "article:1", 3, "new", T, false);
  int64_t other = add_alert(f, "article:2", 1, "new", T, false);
  /* Written out of time order: read back by time, then as written. */
  struct mw_alert_event ev[] = {
      {.alert_id = id,
       .at = T,
       .actor = "mediawatch",
       .action = "raised",
       .to_state = "new",
       .comment = "敏感度 7.5"},
      {.alert_id = id,
       .at = T + 600,
       .actor = "张伟",
       .action = "assign",
       .from_state = "reported",
       .to_state = "assigned",
       .comment = "请长春市生态环境局核实"},
      {.alert_id = id,
       .at = T + 300,
       .actor = "张伟",
       .action = "ack",
       .from_state = "new",
       .to_state = "reported"},
      {.alert_id = id,
       .at = T + 600,
       .actor = "mediawatch",
       .action = "notified"},
      {.alert_id = other,
       .at = T + 1,
       .actor = "mediawatch",
       .action = "raised"},
  };
  for (size_t i = 0; i < sizeof ev / sizeof ev[0]; i++)
    assert_int_equal(mw_store_alert_event_add(f->s, &ev[i], &err), MW_OK);

  struct mw_alert_event *got = NULL;
  size_t n = 0;
  assert_int_equal(mw_store_alert_events(f->s, id, &got, &n, &err), MW_OK);
  assert_int_equal(n, 4);
  const size_t order[] = {0, 2, 1, 3};
  for (size_t i = 0; i < n; i++) {
    const struct mw_alert_event *w = &ev[order[i]];
    assert_true(got[i].id > 0);
    assert_int_equal(got[i].alert_id, id);
    assert_int_equal(got[i].at, w->at);
    expect_str(got[i].actor, w->actor);
    expect_str(got[i].action, w->action);
    expect_str(got[i].from_state, w->from_state);
    expect_str(got[i].to_state, w->to_state);
    expect_str(got[i].comment, w->comment);
  }
  assert_true(got[1].id > got[2].id); /* ack written after assign */
  mw_alert_events_free(got, n);

  assert_int_equal(mw_store_alert_events(f->s, 9999, &got, &n, &err), MW_OK);
  assert_int_equal(n, 0);
  assert_null(got);
  mw_alert_events_free(NULL, 0);

  struct mw_alert_event bad = {.alert_id = 9999, .at = T, .action = "ack"};
  assert_int_equal(mw_store_alert_event_add(f->s, &bad, &err), MW_ENOTFOUND);
  assert_non_null(strstr(err.msg, "alert 9999 not found"));
  bad.alert_id = id;
  bad.action = NULL;
  assert_int_equal(mw_store_alert_event_add(f->s, &bad, &err), MW_EINVAL);
}

/* Lists silences at now and checks their ids in order (0-terminated). */
static void expect_silences(struct tu_store *f, int64_t now,
                            const int64_t *want) {
  struct mw_err err = {0};
  struct mw_silence *arr = NULL;
  size_t n = 99;
  if (mw_store_silences(f->s, now, &arr, &n, &err)) fail_msg("%s", err.msg);
  size_t nw = 0;
  while (want[nw]) nw++;
  assert_int_equal(n, nw);
  for (size_t i = 0; i < n; i++) assert_int_equal(arr[i].id, want[i]);
  mw_silences_free(arr, n);
}

static void test_silences_window_and_end(void **state) {
  struct tu_store *f = *state;
  struct mw_err err = {0};
  struct mw_silence a = {.topic = "垃圾分类",
                         .starts = T + 100,
                         .ends = T + 200,
                         .created_by = "李娜",
                         .reason = "已知事件，已交办",
                         .created = T + 50};
  struct mw_silence b = {.region = "吉林省长春市",
                         .term = "渗滤液",
                         .starts = T + 150,
                         .ends = T + 300,
                         .created_by = "张伟",
                         .created = T + 60};
  struct mw_silence c = {.starts = T + 400, .ends = T + 500, .created = T + 70};
  int64_t ia, ib, ic;
  assert_int_equal(mw_store_silence_add(f->s, &a, &ia, &err), MW_OK);
  assert_int_equal(mw_store_silence_add(f->s, &b, &ib, &err), MW_OK);
  assert_int_equal(mw_store_silence_add(f->s, &c, &ic, &err), MW_OK);

  expect_silences(f, T + 99, (int64_t[]){0});
  expect_silences(f, T + 100, (int64_t[]){ia, 0});
  expect_silences(f, T + 150, (int64_t[]){ib, ia, 0});
  expect_silences(f, T + 200, (int64_t[]){ib, 0}); /* ends is exclusive */
  expect_silences(f, T + 450, (int64_t[]){ic, 0});
  expect_silences(f, 0, (int64_t[]){ic, ib, ia, 0});

  /* Every field back. */
  struct mw_silence *arr;
  size_t n;
  assert_int_equal(mw_store_silences(f->s, T + 150, &arr, &n, &err), MW_OK);
  assert_int_equal(n, 2);
  assert_null(arr[0].topic);
  assert_string_equal(arr[0].region, "吉林省长春市");
  assert_string_equal(arr[0].term, "渗滤液");
  assert_int_equal(arr[0].starts, T + 150);
  assert_int_equal(arr[0].ends, T + 300);
  assert_string_equal(arr[0].created_by, "张伟");
  assert_null(arr[0].reason);
  assert_int_equal(arr[0].created, T + 60);
  assert_string_equal(arr[1].topic, "垃圾分类");
  assert_null(arr[1].region);
  assert_null(arr[1].term);
  assert_string_equal(arr[1].reason, "已知事件，已交办");
  mw_silences_free(arr, n);
  mw_silences_free(NULL, 0);

  /* Ended early: out of force from now on. */
  assert_int_equal(mw_store_silence_end(f->s, ib, T + 250, &err), MW_OK);
  expect_silences(f, T + 249, (int64_t[]){ib, 0});
  expect_silences(f, T + 250, (int64_t[]){0});
  /* Ending an expired one keeps the end it had. */
  assert_int_equal(mw_store_silence_end(f->s, ia, T + 1000, &err), MW_OK);
  char sql[80];
  snprintf(sql, sizeof sql, "SELECT ends FROM silences WHERE id = %lld",
           (long long)ia);
  assert_int_equal(tu_query_int(f->path, sql), T + 200);
  expect_silences(f, 0, (int64_t[]){ic, ib, ia, 0}); /* never deleted */

  assert_int_equal(mw_store_silence_end(f->s, 9999, T, &err), MW_ENOTFOUND);
  assert_non_null(strstr(err.msg, "silence 9999 not found"));
  struct mw_silence bad = {.starts = T, .ends = T};
  int64_t id = -1;
  assert_int_equal(mw_store_silence_add(f->s, &bad, &id, &err), MW_EINVAL);
  assert_int_equal(id, -1);
}

/* A story's copies stored before its alert was raised join it at once,
 * however many, and only those of that cluster. */
static void test_alert_add_cluster(void **state) {
  struct tu_store *f = *state;
  struct mw_err err = {0};
  int64_t a1 = add_article(f, f->jl, "https://jl.cn/c1", T);
  int64_t a2 = add_article(f, f->cc, "https://cc.cn/c2", T + 10);
  int64_t a3 = add_article(f, f->env, "https://p.cn/c3", T + 20);
  int64_t other = add_article(f, f->pol, "https://p.cn/x", T + 30);
  const uint64_t h = UINT64_C(0x5a5a5a5a12345678);
  assert_int_equal(mw_store_cluster_article(f->s, a1, h, 3, &err), MW_OK);
  assert_int_equal(mw_store_cluster_article(f->s, a2, h ^ 1, 3, &err), MW_OK);
  assert_int_equal(mw_store_cluster_article(f->s, a3, h ^ 2, 3, &err), MW_OK);
  assert_int_equal(
      mw_store_cluster_article(f->s, other, ~h, 3, &err), MW_OK);
  int64_t cluster = 0, cluster_other = 0;
  assert_int_equal(mw_store_article_cluster(f->s, a3, &cluster, &err), MW_OK);
  assert_int_equal(
      mw_store_article_cluster(f->s, other, &cluster_other, &err), MW_OK);
  assert_true(cluster > 0);
  assert_true(cluster_other != cluster);

  struct mw_alert_rec r = full_alert();
  r.cluster_id = cluster;
  r.article_id = a3;
  int64_t id = 0;
  assert_int_equal(mw_store_alert_insert(f->s, &r, &id, &err), MW_OK);
  assert_int_equal(mw_store_alert_add_article(f->s, id, a3, NULL, &err), MW_OK);
  int64_t added = -1;
  assert_int_equal(mw_store_alert_add_cluster(f->s, id, cluster, &added, &err),
                   MW_OK);
  assert_int_equal(added, 2); /* a3 was there already */
  struct mw_alert_rec got = {0};
  assert_int_equal(mw_store_alert_get(f->s, id, &got, &err), MW_OK);
  assert_int_equal(got.article_count, 3);
  assert_int_equal(got.outlet_count, 3);
  assert_string_equal(got.outlets, "吉林日报、长春日报、人民日报");
  mw_alert_rec_cleanup(&got);
  assert_int_equal(mw_store_alert_add_cluster(f->s, id, cluster, &added, &err),
                   MW_OK);
  assert_int_equal(added, 0);
  assert_int_equal(mw_store_alert_add_cluster(f->s, 999, cluster, &added, &err),
                   MW_ENOTFOUND);
  assert_non_null(strstr(err.msg, "alert 999 not found"));
}

int main(void) {
#define TEST(t) \
  cmocka_unit_test_setup_teardown(t, tu_store_setup, tu_store_teardown)
  const struct CMUnitTest tests[] = {
      TEST(test_alert_round_trip),
      TEST(test_alert_errors),
      TEST(test_alert_by_key),
      TEST(test_alert_articles_and_outlets),
      TEST(test_alert_add_cluster),
      TEST(test_alert_list_filters_and_order),
      TEST(test_alert_events_in_order),
      TEST(test_silences_window_and_end),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
