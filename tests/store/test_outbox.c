/* Tests store/outbox.c: each receiver's queue handed out head first and in
 * order, a waiting head holding back only its own receiver, retries, what
 * is pending and when, the sent history of an alert, a restart that keeps
 * every pending message, and held lines taken once, oldest first. */
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

struct fixture {
  char *dir, *path;
  struct mw_store *s;
};

static int setup(void **state) {
  struct fixture *f = calloc(1, sizeof *f);
  f->dir = tu_tmpdir();
  f->path = tu_path(f->dir, "mw.db");
  struct mw_err err = {0};
  if (mw_store_open(f->path, &f->s, &err)) fail_msg("%s", err.msg);
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

static int64_t add(struct fixture *f, int64_t alert_id, const char *receiver,
                   const char *kind, int64_t now) {
  struct mw_err err = {0};
  int64_t id = 0;
  char text[96];
  snprintf(text, sizeof text, "【重大】%s 的第 %lld 号预警", receiver,
           (long long)alert_id);
  if (mw_store_outbox_add(f->s, alert_id, receiver, kind, text, "{}", now, &id,
                          &err))
    fail_msg("%s", err.msg);
  return id;
}

/* The ids due at now (limit 0), in order, 0-terminated. */
static void expect_due(struct fixture *f, int64_t now, size_t limit,
                       const int64_t *want) {
  struct mw_err err = {0};
  struct mw_outbox_msg *arr = NULL;
  size_t n = 99;
  if (mw_store_outbox_due(f->s, now, limit, &arr, &n, &err))
    fail_msg("%s", err.msg);
  size_t nw = 0;
  while (want[nw]) nw++;
  if (n != nw) {
    mw_outbox_msgs_free(arr, n);
    fail_msg("%zu messages due at %lld, want %zu", n, (long long)now, nw);
  }
  for (size_t i = 0; i < n; i++) assert_int_equal(arr[i].id, want[i]);
  mw_outbox_msgs_free(arr, n);
}

static void expect_pending(struct fixture *f, int64_t n_want,
                           int64_t next_want) {
  struct mw_err err = {0};
  int64_t n = -1, next = -1;
  assert_int_equal(mw_store_outbox_pending(f->s, &n, &next, &err), MW_OK);
  assert_int_equal(n, n_want);
  assert_int_equal(next, next_want);
}

static void sent(struct fixture *f, int64_t id, int64_t now) {
  struct mw_err err = {0};
  if (mw_store_outbox_mark_sent(f->s, id, now, &err)) fail_msg("%s", err.msg);
}

static void test_outbox_fields(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  int64_t id = 0;
  assert_int_equal(
      mw_store_outbox_add(f->s, 0, "duty-wecom", "digest", "今日舆情摘要：3 条",
                          "{\"n\":3}", T, &id, &err),
      MW_OK);
  assert_true(id > 0);
  struct mw_outbox_msg *m;
  size_t n;
  assert_int_equal(mw_store_outbox_due(f->s, T, 0, &m, &n, &err), MW_OK);
  assert_int_equal(n, 1);
  assert_int_equal(m[0].id, id);
  assert_int_equal(m[0].alert_id, 0);
  assert_string_equal(m[0].receiver, "duty-wecom");
  assert_string_equal(m[0].kind, "digest");
  assert_string_equal(m[0].text, "今日舆情摘要：3 条");
  assert_string_equal(m[0].json, "{\"n\":3}");
  assert_int_equal(m[0].created, T);
  assert_int_equal(m[0].attempts, 0);
  assert_int_equal(m[0].next_at, T); /* due at once */
  assert_null(m[0].last_error);
  mw_outbox_msgs_free(m, n);
  mw_outbox_msgs_free(NULL, 0);
  assert_int_equal(tu_query_int(f->path,
                                "SELECT alert_id IS NULL AND "
                                "sent_at IS NULL FROM outbox"),
                   1);
  expect_due(f, T - 1, 0, (int64_t[]){0});

  /* text and json may be absent (a receiver that renders none). */
  int64_t id2;
  assert_int_equal(mw_store_outbox_add(f->s, 5, "leader-mail", "alert", NULL,
                                       NULL, T, &id2, &err),
                   MW_OK);
  assert_int_equal(mw_store_outbox_due(f->s, T, 0, &m, &n, &err), MW_OK);
  assert_int_equal(n, 2);
  assert_int_equal(m[1].alert_id, 5);
  assert_null(m[1].text);
  assert_null(m[1].json);
  mw_outbox_msgs_free(m, n);

  assert_int_equal(
      mw_store_outbox_add(f->s, 5, NULL, "alert", "x", NULL, T, &id, &err),
      MW_EINVAL);
  assert_non_null(strstr(err.msg, "receiver"));
  assert_int_equal(
      mw_store_outbox_add(f->s, 5, "duty", "", "x", NULL, T, &id, &err),
      MW_EINVAL);
  assert_non_null(strstr(err.msg, "kind"));
}

/* Three receivers; one is down for a while. */
static void test_outbox_heads_retry_and_order(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  int64_t m1 = add(f, 1, "hook", "alert", T);
  int64_t m2 = add(f, 1, "wecom", "alert", T);
  int64_t m3 = add(f, 2, "hook", "alert", T + 1);
  int64_t m4 = add(f, 2, "mail", "alert", T + 2);
  int64_t m5 = add(f, 1, "hook", "rose", T + 3);
  expect_pending(f, 5, T);

  /* One message per receiver, the oldest, in id order. */
  expect_due(f, T + 10, 0, (int64_t[]){m1, m2, m4, 0});
  expect_due(f, T + 10, 2, (int64_t[]){m1, m2, 0});
  expect_due(f, T + 1, 0, (int64_t[]){m1, m2, 0}); /* m4 not yet due */

  /* hook fails: its queue waits, the others do not. */
  assert_int_equal(mw_store_outbox_mark_retry(f->s, m1, 1, T + 300,
                                              "HTTP 502 Bad Gateway", &err),
                   MW_OK);
  expect_due(f, T + 10, 0, (int64_t[]){m2, m4, 0});
  expect_pending(f, 5, T); /* m2 still due since T */
  sent(f, m2, T + 11);
  sent(f, m4, T + 11);
  expect_due(f, T + 299, 0, (int64_t[]){0});
  /* m3 and m5 wait behind m1: the sender may sleep until T+300. */
  expect_pending(f, 3, T + 300);

  struct mw_outbox_msg *m;
  size_t n;
  assert_int_equal(mw_store_outbox_due(f->s, T + 300, 0, &m, &n, &err), MW_OK);
  assert_int_equal(n, 1);
  assert_int_equal(m[0].id, m1);
  assert_int_equal(m[0].attempts, 1);
  assert_int_equal(m[0].next_at, T + 300);
  assert_string_equal(m[0].last_error, "HTTP 502 Bad Gateway");
  mw_outbox_msgs_free(m, n);
  /* Failed again, then back: the queue resumes in order. */
  assert_int_equal(mw_store_outbox_mark_retry(f->s, m1, 2, T + 310,
                                              "connection refused", &err),
                   MW_OK);
  expect_due(f, T + 305, 0, (int64_t[]){0});
  expect_pending(f, 3, T + 310);
  sent(f, m1, T + 310);
  expect_due(f, T + 310, 0, (int64_t[]){m3, 0});
  sent(f, m3, T + 311);
  expect_due(f, T + 311, 0, (int64_t[]){m5, 0});
  sent(f, m5, T + 312);
  expect_due(f, T + 1000, 0, (int64_t[]){0});
  expect_pending(f, 0, 0);

  /* A message is marked sent once: the first time stays. */
  sent(f, m1, T + 999);
  char sql[80];
  snprintf(sql, sizeof sql, "SELECT sent_at FROM outbox WHERE id = %lld",
           (long long)m1);
  assert_int_equal(tu_query_int(f->path, sql), T + 310);
  assert_int_equal(
      mw_store_outbox_mark_retry(f->s, m1, 3, T + 2000, "late", &err),
      MW_EINVAL);
  assert_non_null(strstr(err.msg, "sent already"));
  assert_int_equal(mw_store_outbox_mark_sent(f->s, 9999, T, &err),
                   MW_ENOTFOUND);
  assert_non_null(strstr(err.msg, "outbox message 9999 not found"));
  assert_int_equal(mw_store_outbox_mark_retry(f->s, 9999, 1, T, "x", &err),
                   MW_ENOTFOUND);
  assert_non_null(strstr(err.msg, "9999"));
}

/* A restart between the write and the send loses nothing and sends
 * nothing twice. */
static void test_outbox_survives_restart(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  assert_int_equal(mw_store_begin(f->s, &err), MW_OK);
  int64_t m1 = add(f, 1, "hook", "alert", T);
  int64_t m2 = add(f, 1, "wecom", "alert", T);
  assert_int_equal(mw_store_commit(f->s, &err), MW_OK);
  sent(f, m1, T + 1);
  /* A batch rolled back takes its messages with it. */
  assert_int_equal(mw_store_begin(f->s, &err), MW_OK);
  add(f, 2, "hook", "alert", T + 2);
  mw_store_rollback(f->s);
  mw_store_close(f->s);
  f->s = NULL;
  assert_int_equal(mw_store_open(f->path, &f->s, &err), MW_OK);
  expect_due(f, T + 5, 0, (int64_t[]){m2, 0});
  expect_pending(f, 1, T);
}

static void test_outbox_of_alert(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  int64_t m1 = add(f, 7, "hook", "alert", T);
  int64_t m2 = add(f, 7, "wecom", "alert", T);
  int64_t m3 = add(f, 8, "hook", "alert", T);
  int64_t m4 = add(f, 7, "hook", "rose", T + 60);
  sent(f, m1, T + 1);
  sent(f, m2, T + 1);
  sent(f, m3, T + 2);
  struct mw_outbox_msg *m;
  size_t n;
  /* Every message of the alert, sent or waiting, oldest first. */
  assert_int_equal(mw_store_outbox_of_alert(f->s, 7, &m, &n, &err), MW_OK);
  assert_int_equal(n, 3);
  assert_int_equal(m[0].id, m1);
  assert_int_equal(m[0].sent_at, T + 1);
  assert_int_equal(m[1].id, m2);
  assert_string_equal(m[1].receiver, "wecom");
  assert_int_equal(m[2].id, m4);
  assert_string_equal(m[2].kind, "rose");
  assert_int_equal(m[2].sent_at, 0);
  mw_outbox_msgs_free(m, n);
  assert_int_equal(mw_store_outbox_of_alert(f->s, 99, &m, &n, &err), MW_OK);
  assert_int_equal(n, 0);
  assert_null(m);
}

static void test_held_take(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  assert_int_equal(mw_store_held_add(f->s, "duty-wecom", 1, T + 100,
                                     "【一般】第 1 号：上升为较大", &err),
                   MW_OK);
  assert_int_equal(mw_store_held_add(f->s, "duty-wecom", 2, T + 50,
                                     "【一般】第 2 号：新预警", &err),
                   MW_OK);
  assert_int_equal(mw_store_held_add(f->s, "duty-wecom", 3, T + 200,
                                     "【较大】第 3 号：新预警", &err),
                   MW_OK);
  assert_int_equal(mw_store_held_add(f->s, "duty-wecom", 4, T + 150,
                                     "【一般】第 4 号：恰在界上", &err),
                   MW_OK);
  assert_int_equal(mw_store_held_add(f->s, "leader-mail", 1, T + 10,
                                     "【一般】第 1 号：新预警", &err),
                   MW_OK);

  char **lines = NULL;
  size_t n = 99;
  assert_int_equal(
      mw_store_held_take(f->s, "duty-wecom", T + 150, &lines, &n, &err), MW_OK);
  assert_int_equal(n, 2);
  assert_string_equal(lines[0], "【一般】第 2 号：新预警");
  assert_string_equal(lines[1], "【一般】第 1 号：上升为较大");
  for (size_t i = 0; i < n; i++) free(lines[i]);
  free(lines);
  /* Taken once; the line at the bound and later ones stay, and so do the
   * other receiver's. */
  assert_int_equal(
      mw_store_held_take(f->s, "duty-wecom", T + 150, &lines, &n, &err), MW_OK);
  assert_int_equal(n, 0);
  assert_null(lines);
  assert_int_equal(tu_query_int(f->path,
                                "SELECT count(*) FROM held WHERE "
                                "receiver = 'duty-wecom'"),
                   2);
  assert_int_equal(tu_query_int(f->path,
                                "SELECT count(*) FROM held WHERE "
                                "receiver = 'leader-mail'"),
                   1);

  assert_int_equal(
      mw_store_held_take(f->s, "duty-wecom", T + 1000, &lines, &n, &err),
      MW_OK);
  assert_int_equal(n, 2);
  assert_string_equal(lines[0], "【一般】第 4 号：恰在界上");
  assert_string_equal(lines[1], "【较大】第 3 号：新预警");
  for (size_t i = 0; i < n; i++) free(lines[i]);
  free(lines);
  assert_int_equal(tu_query_int(f->path, "SELECT count(*) FROM held"), 1);

  /* Inside a batch the take is part of the batch. */
  assert_int_equal(mw_store_begin(f->s, &err), MW_OK);
  assert_int_equal(
      mw_store_held_take(f->s, "leader-mail", T + 1000, &lines, &n, &err),
      MW_OK);
  assert_int_equal(n, 1);
  free(lines[0]);
  free(lines);
  mw_store_rollback(f->s);
  assert_int_equal(tu_query_int(f->path, "SELECT count(*) FROM held"), 1);

  /* A take is bounded (10,000 lines), the oldest first; the rest wait. */
  assert_int_equal(mw_store_begin(f->s, &err), MW_OK);
  for (int i = 10000; i >= 0; i--) {
    char line[32];
    snprintf(line, sizeof line, "第 %05d 条", i);
    assert_int_equal(mw_store_held_add(f->s, "bulk", i, T + i, line, &err),
                     MW_OK);
  }
  assert_int_equal(mw_store_commit(f->s, &err), MW_OK);
  assert_int_equal(
      mw_store_held_take(f->s, "bulk", T + 20000, &lines, &n, &err), MW_OK);
  assert_int_equal(n, 10000);
  assert_string_equal(lines[0], "第 00000 条");
  assert_string_equal(lines[9999], "第 09999 条");
  for (size_t i = 0; i < n; i++) free(lines[i]);
  free(lines);
  assert_int_equal(
      mw_store_held_take(f->s, "bulk", T + 20000, &lines, &n, &err), MW_OK);
  assert_int_equal(n, 1);
  assert_string_equal(lines[0], "第 10000 条");
  free(lines[0]);
  free(lines);

  assert_int_equal(mw_store_held_add(f->s, NULL, 1, T, "x", &err), MW_EINVAL);
  assert_int_equal(mw_store_held_add(f->s, "duty", 1, T, NULL, &err),
                   MW_EINVAL);
  assert_int_equal(mw_store_held_take(f->s, NULL, T, &lines, &n, &err),
                   MW_EINVAL);
}

int main(void) {
#define TEST(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
  const struct CMUnitTest tests[] = {
      TEST(test_outbox_fields),
      TEST(test_outbox_heads_retry_and_order),
      TEST(test_outbox_survives_restart),
      TEST(test_outbox_of_alert),
      TEST(test_held_take),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
