/* Tests alerts/sender.c against the store's outbox and the fixture's
 * webhook receivers: a receiver that is down gets nothing and its
 * messages wait with a doubling backoff (the clock is driven, nothing
 * sleeps); back up, it gets all of them, in order, once; another receiver
 * is never held up by it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "alerts/alerts.h"
#include "store/store.h"
#include "tests/fixture/fixture.h"

#define T0 1700000000

struct env {
  char dir[256];
  struct mw_fixture *fx;
  struct mw_store *s;
  struct mw_config cfg;
  struct mw_receiver_conf recv[2];
  char url_a[256], url_b[256];
};

static int setup(void **state) {
  struct env *e = calloc(1, sizeof *e);
  if (!e) return -1;
  const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
  snprintf(e->dir, sizeof e->dir, "%s/mw-sender-XXXXXX", tmp);
  if (!mkdtemp(e->dir)) return -1;
  struct mw_fixture_options o = {.root = e->dir};
  struct mw_err err;
  if (mw_fixture_start(&o, &e->fx, &err) != MW_OK) return -1;
  char db[512];
  snprintf(db, sizeof db, "%s/mw.db", e->dir);
  if (mw_store_open(db, &e->s, &err) != MW_OK) {
    fprintf(stderr, "%s\n", err.msg);
    return -1;
  }
  snprintf(e->url_a, sizeof e->url_a, "%s/hook/webhook/a",
           mw_fixture_base_url(e->fx));
  snprintf(e->url_b, sizeof e->url_b, "%s/hook/webhook/b",
           mw_fixture_base_url(e->fx));
  e->recv[0] = (struct mw_receiver_conf){
      .name = "a", .kind = MW_RECEIVER_WEBHOOK, .url = e->url_a};
  e->recv[1] = (struct mw_receiver_conf){
      .name = "b", .kind = MW_RECEIVER_WEBHOOK, .url = e->url_b};
  e->cfg.alerts.receivers = e->recv;
  e->cfg.alerts.n_receivers = 2;
  e->cfg.alerts.retry_max_s = 60;
  *state = e;
  return 0;
}

static int teardown(void **state) {
  struct env *e = *state;
  mw_store_close(e->s);
  mw_fixture_stop(e->fx);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->dir);
  int rc = system(cmd);
  free(e);
  return rc == 0 ? 0 : -1;
}

static int64_t add(struct env *e, const char *receiver, const char *title,
                   int64_t now) {
  char json[256];
  snprintf(json, sizeof json, "{\"title\":\"%s\"}", title);
  int64_t id;
  struct mw_err err;
  assert_int_equal(mw_store_begin(e->s, &err), MW_OK);
  assert_int_equal(mw_store_outbox_add(e->s, 1, receiver, "alert", title,
                                       json, now, &id, &err),
                   MW_OK);
  assert_int_equal(mw_store_commit(e->s, &err), MW_OK);
  return id;
}

static size_t send_due(struct env *e, int64_t now, size_t max,
                       int64_t *next_at) {
  size_t sent = 99;
  struct mw_err err;
  int rc = mw_alerts_send_due(&e->cfg, e->s, now, max, &sent, next_at, &err);
  if (rc) fprintf(stderr, "%s\n", err.msg);
  assert_int_equal(rc, MW_OK);
  return sent;
}

/* The head of receiver's queue as the store has it. */
static struct mw_outbox_msg *head(struct env *e, const char *receiver,
                                  struct mw_outbox_msg **arr, size_t *n) {
  struct mw_err err;
  assert_int_equal(mw_store_outbox_due(e->s, INT64_MAX, 0, arr, n, &err),
                   MW_OK);
  for (size_t i = 0; i < *n; i++)
    if (strcmp((*arr)[i].receiver, receiver) == 0) return &(*arr)[i];
  return NULL;
}

static void test_down_then_back(void **state) {
  struct env *e = *state;
  int64_t a1 = add(e, "a", "一", T0);
  int64_t a2 = add(e, "a", "二", T0);
  int64_t a3 = add(e, "a", "三", T0);
  int64_t b1 = add(e, "b", "乙", T0);
  assert_int_equal(mw_fixture_set_receiver_down(e->fx, "/hook/webhook/a", true),
                   MW_OK);

  /* a fails, b is not held up by it. */
  int64_t next;
  assert_int_equal(send_due(e, T0, 0, &next), 1);
  assert_int_equal(next, T0 + 5);
  struct mw_fixture_delivery *d;
  size_t n;
  assert_int_equal(mw_fixture_deliveries(e->fx, "/hook/webhook/", &d, &n),
                   MW_OK);
  assert_int_equal(n, 1);
  assert_string_equal(d[0].path, "/hook/webhook/b");
  char id[32];
  snprintf(id, sizeof id, "%lld", (long long)b1);
  assert_string_equal(d[0].delivery_id, id);
  mw_fixture_deliveries_free(d, n);

  struct mw_outbox_msg *arr;
  struct mw_outbox_msg *h = head(e, "a", &arr, &n);
  assert_non_null(h);
  assert_int_equal(h->id, a1);
  assert_int_equal(h->attempts, 1);
  assert_int_equal(h->next_at, T0 + 5);
  assert_non_null(strstr(h->last_error, "receiver \"a\" (webhook): POST "));
  assert_non_null(strstr(h->last_error, "HTTP 503"));
  mw_outbox_msgs_free(arr, n);

  /* Not due before its time; then 5, 10, 20, 40 s, capped at 60. */
  assert_int_equal(send_due(e, T0 + 4, 0, &next), 0);
  assert_int_equal(next, T0 + 5);
  int64_t now = T0 + 5;
  const int64_t waits[] = {10, 20, 40, 60, 60};
  for (size_t i = 0; i < 5; i++) {
    assert_int_equal(send_due(e, now, 0, &next), 0);
    assert_int_equal(next, now + waits[i]);
    now = next;
  }
  h = head(e, "a", &arr, &n);
  assert_int_equal(h->id, a1);
  assert_int_equal(h->attempts, 6);
  mw_outbox_msgs_free(arr, n);
  assert_int_equal(mw_fixture_deliveries(e->fx, "/hook/webhook/a", &d, &n),
                   MW_OK);
  assert_int_equal(n, 0);

  /* Back up: all three, in order, each once. */
  mw_fixture_set_receiver_down(e->fx, "/hook/webhook/a", false);
  assert_int_equal(send_due(e, now, 0, &next), 3);
  assert_int_equal(next, 0);
  assert_int_equal(send_due(e, now + 3600, 0, &next), 0);
  assert_int_equal(mw_fixture_deliveries(e->fx, "/hook/webhook/a", &d, &n),
                   MW_OK);
  assert_int_equal(n, 3);
  const int64_t ids[] = {a1, a2, a3};
  const char *titles[] = {"一", "二", "三"};
  for (size_t i = 0; i < 3; i++) {
    snprintf(id, sizeof id, "%lld", (long long)ids[i]);
    assert_string_equal(d[i].delivery_id, id);
    json_error_t je;
    json_t *o = json_loads(d[i].body, 0, &je);
    assert_string_equal(json_string_value(json_object_get(o, "title")),
                        titles[i]);
    assert_int_equal(json_integer_value(json_object_get(o, "delivery_id")),
                     ids[i]);
    json_decref(o);
    if (i) assert_true(d[i].at_ms >= d[i - 1].at_ms);
  }
  mw_fixture_deliveries_free(d, n);
  int64_t pending;
  struct mw_err err;
  assert_int_equal(mw_store_outbox_pending(e->s, &pending, &next, &err),
                   MW_OK);
  assert_int_equal(pending, 0);
  mw_fixture_clear_deliveries(e->fx);
}

static void test_max_msgs(void **state) {
  struct env *e = *state;
  for (int i = 0; i < 3; i++) add(e, "a", "x", T0);
  add(e, "b", "y", T0);
  int64_t next;
  assert_int_equal(send_due(e, T0, 2, &next), 2);
  assert_int_equal(next, T0); /* more is due now */
  assert_int_equal(send_due(e, T0, 0, NULL), 2);
  assert_int_equal(send_due(e, T0, 0, &next), 0);
  assert_int_equal(next, 0);
  struct mw_fixture_delivery *d;
  size_t n;
  assert_int_equal(mw_fixture_deliveries(e->fx, NULL, &d, &n), MW_OK);
  assert_int_equal(n, 4);
  mw_fixture_deliveries_free(d, n);
  mw_fixture_clear_deliveries(e->fx);
}

static void test_unknown_receiver(void **state) {
  struct env *e = *state;
  int64_t id = add(e, "gone", "z", T0);
  int64_t next;
  assert_int_equal(send_due(e, T0, 0, &next), 0);
  assert_int_equal(next, T0 + 5);
  struct mw_outbox_msg *arr;
  size_t n;
  struct mw_outbox_msg *h = head(e, "gone", &arr, &n);
  assert_int_equal(h->id, id);
  assert_string_equal(h->last_error,
                      "receiver \"gone\" is no longer in the config; the "
                      "message waits in case it is restored");
  mw_outbox_msgs_free(arr, n);
  /* The operator restores it (here: renames b). */
  e->recv[1].name = "gone";
  assert_int_equal(send_due(e, T0 + 5, 0, &next), 1);
  assert_int_equal(next, 0);
  e->recv[1].name = "b";
  mw_fixture_clear_deliveries(e->fx);
}

int main(void) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_down_then_back, setup, teardown),
      cmocka_unit_test_setup_teardown(test_max_msgs, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unknown_receiver, setup, teardown),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  curl_global_cleanup();
  return rc;
}
