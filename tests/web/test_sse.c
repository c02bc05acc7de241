/* web/sse.c: the live alert stream. Events written by another store
 * handle (as the crawler's engine would) arrive within a poll; a kick
 * brings them at once; Last-Event-ID and ?after= resume; comments keep
 * the stream alive; stopping the server ends open streams. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include <pthread.h>
#include <time.h>

#include "tests/web/web_test_util.h"
#include "web/web_int.h"

static int setup(void **state) {
  *state = wt_start();
  return 0;
}

static int teardown(void **state) {
  wt_free(*state);
  return 0;
}

static double mono(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

/* Writes an event of the alert keyed key (raising it first when new)
 * through a store handle of its own, as another process would; returns
 * the event's id. */
static int64_t write_event(const char *db, const char *key,
                           const char *action) {
  struct mw_store *s;
  struct mw_err err = {0};
  if (mw_store_open(db, &s, &err)) fail_msg("%s", err.msg);
  struct mw_alert_rec a = {0};
  bool found = false;
  assert_int_equal(mw_store_alert_by_key(s, key, &a, &found, &err), MW_OK);
  int64_t id = a.id;
  if (!found) {
    struct mw_alert_rec n = {.key = (char *)key,
                             .kind = "article",
                             .topic = "无废城市",
                             .region = "吉林省长春市",
                             .level = 3,
                             .state = "new",
                             .title = "长春市朝阳区垃圾站恶臭扰民 <居民>投诉",
                             .url = "http://www.cc.gov.cn/a/1.html",
                             .reason = "恶臭, 投诉",
                             .created = WT_NOW,
                             .updated = WT_NOW,
                             .deadline = WT_NOW + 5 * 3600};
    assert_int_equal(mw_store_alert_insert(s, &n, &id, &err), MW_OK);
  }
  mw_alert_rec_cleanup(&a);
  struct mw_alert_event e = {.alert_id = id,
                             .at = WT_NOW + 60,
                             .actor = "mediawatch",
                             .action = (char *)action,
                             .to_state = "new",
                             .comment = "第一篇"};
  assert_int_equal(mw_store_alert_event_add(s, &e, &err), MW_OK);
  int64_t last = 0;
  assert_int_equal(mw_store_alert_event_last(s, &last, &err), MW_OK);
  mw_store_close(s);
  return last;
}

struct writer {
  struct wt *w;
  long delay_ms;
  bool kick;
  const char *key;
  int64_t event_id;
  double written; /* mono() after the write (and the kick) */
};

static void *writer_main(void *arg) {
  struct writer *wr = arg;
  sleep_ms(wr->delay_ms);
  wr->event_id = write_event(wr->w->db, wr->key, "raised");
  if (wr->kick) mw_web_hub_kick(wr->w->web->hub);
  wr->written = mono();
  return NULL;
}

/* The data: line of the event with this id, parsed. */
static json_t *event_data(const char *body, int64_t id) {
  char head[64];
  snprintf(head, sizeof head, "id: %lld\nevent: alert\ndata: ", (long long)id);
  const char *p = strstr(body, head);
  if (!p) fail_msg("no event %lld in:\n%s", (long long)id, body);
  p += strlen(head);
  const char *end = strstr(p, "\n\n");
  assert_non_null(end);
  json_error_t e;
  json_t *j = json_loadb(p, (size_t)(end - p), 0, &e);
  if (!j) fail_msg("bad data (%s): %.*s", e.text, (int)(end - p), p);
  return j;
}

static void test_events_need_a_session(void **state) {
  struct wt *w = *state;
  struct wt_reply r;
  assert_int_equal(wt_get(w, "/api/events", NULL, &r), 401);
  wt_reply_cleanup(&r);
}

/* The end of an event's data line: the alert object, then the outer one. */
#define EVENT_END "}}\n\n"

static void test_event_from_another_handle_within_a_second(void **state) {
  struct wt *w = *state;
  struct wt_session s;
  wt_login_ok(w, WT_VIEWER, WT_VIEWER_PASS, &s);
  int64_t before = write_event(w->db, "article:1", "raised"); /* not sent */
  struct writer wr = {.w = w, .delay_ms = 400, .key = "article:1"};
  pthread_t th;
  pthread_create(&th, NULL, writer_main, &wr);
  struct wt_req q = {.path = "/api/events", .session = &s};
  struct wt_reply r;
  bool found = false;
  long st = wt_stream(w, &q, EVENT_END, 4000, &r, &found);
  double got = mono();
  pthread_join(th, NULL);
  assert_int_equal(st, 200);
  assert_true(found);
  double late = got - wr.written;
  if (late > 1.0) fail_msg("the event came %.3f s after it was written", late);
  char type[96];
  assert_true(wt_header(&r, "Content-Type", type, sizeof type));
  assert_string_equal(type, "text/event-stream; charset=utf-8");
  assert_true(wt_header_has(&r, "Cache-Control", "no-store"));
  /* The stream starts with the retry time and a comment. */
  assert_memory_equal(r.body, "retry: 3000\n: keepalive\n\n", 25);
  char old[32];
  snprintf(old, sizeof old, "id: %lld\n", (long long)before);
  assert_null(strstr(r.body, old));
  assert_int_equal(wr.event_id, before + 1);
  json_t *j = event_data(r.body, wr.event_id);
  json_t *ev = json_object_get(j, "event");
  json_t *al = json_object_get(j, "alert");
  assert_int_equal(json_integer_value(json_object_get(ev, "id")), wr.event_id);
  assert_string_equal(json_string_value(json_object_get(ev, "action")),
                      "raised");
  assert_string_equal(json_string_value(json_object_get(ev, "actor")),
                      "mediawatch");
  assert_int_equal(json_integer_value(json_object_get(ev, "at")), WT_NOW + 60);
  assert_string_equal(json_string_value(json_object_get(ev, "at_text")),
                      "2026-11-25 10:01");
  assert_string_equal(json_string_value(json_object_get(ev, "to_state")),
                      "new");
  assert_true(json_is_null(json_object_get(ev, "from_state")));
  assert_string_equal(json_string_value(json_object_get(ev, "comment")),
                      "第一篇");
  assert_string_equal(json_string_value(json_object_get(al, "title")),
                      "长春市朝阳区垃圾站恶臭扰民 <居民>投诉");
  assert_int_equal(json_integer_value(json_object_get(al, "level")), 3);
  assert_string_equal(json_string_value(json_object_get(al, "level_zh")),
                      "重大");
  assert_string_equal(json_string_value(json_object_get(al, "state_zh")),
                      "新预警");
  assert_string_equal(json_string_value(json_object_get(al, "deadline_text")),
                      "2026-11-25 15:00");
  json_decref(j);
  wt_reply_cleanup(&r);
}

static void test_kick_sends_at_once(void **state) {
  struct wt *w = *state;
  struct wt_session s;
  wt_login_ok(w, WT_VIEWER, WT_VIEWER_PASS, &s);
  /* Without the kick an event waits up to one poll (500 ms), 250 ms on
   * average: three in a row well under that are the kick's doing. */
  double worst = 0;
  for (int i = 0; i < 3; i++) {
    struct writer wr = {.w = w, .delay_ms = 300, .kick = true,
                        .key = "article:2"};
    pthread_t th;
    pthread_create(&th, NULL, writer_main, &wr);
    struct wt_req q = {.path = "/api/events", .session = &s};
    struct wt_reply r;
    bool found = false;
    wt_stream(w, &q, EVENT_END, 4000, &r, &found);
    double got = mono();
    pthread_join(th, NULL);
    assert_true(found);
    if (got - wr.written > worst) worst = got - wr.written;
    json_decref(event_data(r.body, wr.event_id));
    wt_reply_cleanup(&r);
  }
  if (worst > 0.2) fail_msg("a kicked event came %.3f s late", worst);
}

static void test_resume_after_last_event_id(void **state) {
  struct wt *w = *state;
  struct wt_session s;
  wt_login_ok(w, WT_VIEWER, WT_VIEWER_PASS, &s);
  int64_t e1 = write_event(w->db, "article:3", "raised");
  int64_t e2 = write_event(w->db, "article:3", "rose");
  int64_t e3 = write_event(w->db, "article:4", "raised");
  char hdr[64], until[64];
  snprintf(hdr, sizeof hdr, "Last-Event-ID: %lld", (long long)e1);
  snprintf(until, sizeof until, "id: %lld\n", (long long)e3);
  struct wt_req q = {.path = "/api/events", .session = &s,
                     .extra_header = hdr};
  struct wt_reply r;
  bool found = false;
  wt_stream(w, &q, EVENT_END "id: ", 3000, &r, &found); /* two events */
  assert_true(found);
  wt_reply_cleanup(&r);
  wt_stream(w, &q, until, 3000, &r, &found);
  assert_true(found);
  snprintf(until, sizeof until, "id: %lld\n", (long long)e1);
  assert_null(strstr(r.body, until));
  json_t *j = event_data(r.body, e2);
  assert_string_equal(
      json_string_value(json_object_get(json_object_get(j, "event"), "action")),
      "rose");
  json_decref(j);
  /* Oldest first. */
  snprintf(until, sizeof until, "id: %lld\n", (long long)e2);
  const char *p2 = strstr(r.body, until);
  snprintf(until, sizeof until, "id: %lld\n", (long long)e3);
  assert_true(p2 && p2 < strstr(r.body, until));
  wt_reply_cleanup(&r);

  /* ?after= does the same for clients that cannot set the header. */
  char path[64];
  snprintf(path, sizeof path, "/api/events?after=%lld", (long long)e2);
  struct wt_req qa = {.path = path, .session = &s};
  wt_stream(w, &qa, EVENT_END, 3000, &r, &found);
  assert_true(found);
  snprintf(until, sizeof until, "id: %lld\n", (long long)e2);
  assert_null(strstr(r.body, until));
  json_decref(event_data(r.body, e3));
  wt_reply_cleanup(&r);

  /* Without either, the stream starts after the newest event. */
  struct wt_req qn = {.path = "/api/events", .session = &s};
  wt_stream(w, &qn, "id: ", 1200, &r, &found);
  assert_false(found);
  assert_int_equal(r.status, 200);
  assert_string_equal(r.body, "retry: 3000\n: keepalive\n\n");
  wt_reply_cleanup(&r);

  struct wt_req bad = {.path = "/api/events?after=-1", .session = &s};
  wt_do(w, &bad, &r);
  assert_int_equal(r.status, 400);
  wt_reply_cleanup(&r);
}

static void test_keepalive(void **state) {
  struct wt *w = *state;
  struct wt_session s;
  wt_login_ok(w, WT_VIEWER, WT_VIEWER_PASS, &s);
  struct wt_req q = {.path = "/api/events", .session = &s};
  struct wt_reply r;
  bool found = false;
  double t0 = mono();
  /* The first comment comes at once, the next after 15 s of silence. */
  wt_stream(w, &q, "\n\n: keepalive\n\n", 20000, &r, &found);
  double took = mono() - t0;
  assert_true(found);
  assert_string_equal(r.body, "retry: 3000\n: keepalive\n\n: keepalive\n\n");
  if (took < 14.5 || took > 17.5) fail_msg("keepalive after %.2f s", took);
  wt_reply_cleanup(&r);
}

struct reader {
  struct wt *w;
  struct wt_session *s;
  struct wt_reply r;
  double took;
};

static void *reader_main(void *arg) {
  struct reader *rd = arg;
  struct wt_req q = {.path = "/api/events", .session = rd->s};
  double t0 = mono();
  wt_stream(rd->w, &q, "never comes", 10000, &rd->r, NULL);
  rd->took = mono() - t0;
  return NULL;
}

static void test_stop_ends_open_streams(void **state) {
  struct wt *w = *state;
  struct wt_session s;
  wt_login_ok(w, WT_VIEWER, WT_VIEWER_PASS, &s);
  struct reader rd[2] = {{.w = w, .s = &s}, {.w = w, .s = &s}};
  pthread_t th[2];
  for (int i = 0; i < 2; i++) pthread_create(&th[i], NULL, reader_main, &rd[i]);
  sleep_ms(500);
  struct wt_reply r;
  wt_get(w, "/metrics", NULL, &r);
  assert_non_null(strstr(r.body, "\nmediawatch_sse_clients 2\n"));
  wt_reply_cleanup(&r);
  double t0 = mono();
  mw_web_stop(w->web);
  w->web = NULL;
  double took = mono() - t0;
  for (int i = 0; i < 2; i++) {
    pthread_join(th[i], NULL);
    assert_int_equal(rd[i].r.status, 200);
    assert_true(rd[i].took < 5);
    wt_reply_cleanup(&rd[i].r);
  }
  if (took > 2) fail_msg("stopping took %.2f s", took);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_events_need_a_session, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(
          test_event_from_another_handle_within_a_second, setup, teardown),
      cmocka_unit_test_setup_teardown(test_kick_sends_at_once, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_resume_after_last_event_id, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_keepalive, setup, teardown),
      cmocka_unit_test_setup_teardown(test_stop_ends_open_streams, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
