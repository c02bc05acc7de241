/*
 * sender.c: drains the outbox. Each round asks the store for the oldest
 * pending message of every receiver that is due, sends each through
 * mw_notify_send and records the outcome, each in its own transaction, so
 * a crash loses at most the record of the one send in flight (that
 * message goes again, with the same delivery id, for the receiver to
 * recognise).
 *
 * A failure is never final: the message waits 5 s, then 10, 20, ... up to
 * alerts.retry_max, and keeps its place at the head of its receiver's
 * queue, so the messages behind it wait too and arrive in order. Other
 * receivers' queues do not wait for it (the store hands out one head per
 * receiver).
 *
 * What it leaves to others: the queries (store/outbox.c), the protocols
 * (notify*.c), when to call it and on which thread (cli/).
 */
#include <stdio.h>
#include <string.h>

#include "alerts/alerts.h"

/* Per send, connect and transfer. */
#define SEND_TIMEOUT_MS 10000
#define BACKOFF_FIRST_S 5
/* Used when the config gives no ceiling. */
#define BACKOFF_MAX_DEFAULT_S 3600

static const struct mw_receiver_conf *find_receiver(
    const struct mw_alerts_conf *c, const char *name) {
  for (size_t i = 0; name && i < c->n_receivers; i++)
    if (c->receivers[i].name && strcmp(c->receivers[i].name, name) == 0)
      return &c->receivers[i];
  return NULL;
}

/* 5 s * 2^attempts, at most max_s (and at least 1 s, so a message that
 * failed is never due again at the same now). */
static int64_t backoff_s(int64_t attempts, int64_t max_s) {
  if (max_s <= 0) max_s = BACKOFF_MAX_DEFAULT_S;
  int64_t d = BACKOFF_FIRST_S;
  for (int64_t i = 0; i < attempts && d < max_s; i++) d *= 2;
  if (d > max_s) d = max_s;
  return d < 1 ? 1 : d;
}

static int record_sent(struct mw_store *s, int64_t id, int64_t now,
                       struct mw_err *err) {
  int rc = mw_store_begin(s, err);
  if (!rc) rc = mw_store_outbox_mark_sent(s, id, now, err);
  if (!rc) rc = mw_store_commit(s, err);
  else mw_store_rollback(s);
  return rc;
}

static int record_retry(struct mw_store *s, const struct mw_outbox_msg *m,
                        int64_t next_at, const char *why,
                        struct mw_err *err) {
  int rc = mw_store_begin(s, err);
  if (!rc)
    rc = mw_store_outbox_mark_retry(s, m->id, m->attempts + 1, next_at, why,
                                    err);
  if (!rc) rc = mw_store_commit(s, err);
  else mw_store_rollback(s);
  return rc;
}

/* Sends m and records the outcome. Returns a store error only: a failed
 * send is an outcome, recorded for a retry. */
static int deliver(const struct mw_config *cfg, struct mw_store *s,
                   const struct mw_outbox_msg *m, int64_t now, bool *ok,
                   struct mw_err *err) {
  struct mw_err e;
  mw_err_clear(&e);
  const struct mw_receiver_conf *r = find_receiver(&cfg->alerts, m->receiver);
  int rc;
  if (!r)
    rc = mw_err_set(&e, MW_ENOTFOUND,
                    "receiver \"%s\" is no longer in the config; the "
                    "message waits in case it is restored",
                    m->receiver ? m->receiver : "");
  else
    rc = mw_notify_send(r, m, now, SEND_TIMEOUT_MS, &e);
  *ok = rc == MW_OK;
  if (*ok) return record_sent(s, m->id, now, err);
  return record_retry(s, m, now + backoff_s(m->attempts,
                                            cfg->alerts.retry_max_s),
                      e.msg, err);
}

int mw_alerts_send_due(const struct mw_config *cfg, struct mw_store *s,
                       int64_t now, size_t max_msgs, size_t *sent,
                       int64_t *next_at, struct mw_err *err) {
  size_t n_sent = 0, tries = 0;
  int rc = MW_OK;
  if (next_at) *next_at = 0;
  /* Each round hands out the head of every due queue; a receiver whose
   * head went out has its next message due in the next round, one whose
   * head failed is not due again before now + backoff. Rounds end when
   * nothing is due, so the loop ends even with max_msgs 0. */
  while (rc == MW_OK && (max_msgs == 0 || tries < max_msgs)) {
    struct mw_outbox_msg *msgs = NULL;
    size_t n = 0;
    rc = mw_store_outbox_due(s, now, max_msgs ? max_msgs - tries : 0, &msgs,
                             &n, err);
    if (rc || n == 0) {
      mw_outbox_msgs_free(msgs, n);
      break;
    }
    for (size_t i = 0; i < n && rc == MW_OK; i++) {
      bool ok;
      rc = deliver(cfg, s, &msgs[i], now, &ok, err);
      tries++;
      if (ok) n_sent++;
    }
    mw_outbox_msgs_free(msgs, n);
  }
  if (sent) *sent = n_sent;
  if (rc == MW_OK && next_at) {
    int64_t pending = 0;
    rc = mw_store_outbox_pending(s, &pending, next_at, err);
  }
  return rc;
}
