/*
 * courier.c: the alerts thread (courier.h): ticks the engine and delivers
 * the outbox with a store handle of its own, so a robot that is down or
 * slow never holds up the crawl's worker.
 *
 * It sleeps on a condition variable until the next tick, the next retry
 * due, or a kick from the worker after a commit that wrote notifications,
 * whichever comes first. What it leaves to others: what to send and when
 * (alerts/), how each channel speaks (alerts/notify*.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "alerts/alerts.h"
#include "cli/courier.h"
#include "health/health.h"

/* Escalation and digest times are minutes apart; a few seconds of slack
 * costs nothing and keeps an idle daemon idle. */
#define TICK_S 5
/* Source health moves over hours (a source is unreachable after
 * health.unreachable_after, 6 h by default): judging every source every
 * few minutes is soon enough and costs a few indexed reads per source. */
#define HEALTH_EVERY_S 300
/* Sends per round before the courier looks at the clock again. */
#define SENDS_PER_ROUND 64

struct mw_courier {
  const struct mw_config *cfg;
  struct mw_store *store;
  struct mw_alerts *engine;
  int lock_fd;
  uv_thread_t thread;
  uv_mutex_t mu;
  uv_cond_t cv;      /* wakes the thread */
  uv_cond_t idle_cv; /* wakes a flush waiter */
  bool stop, kicked, flush_wanted, flushed;
  int64_t next_health; /* the thread's */
  struct mw_courier_stats stats;
};

bool mw_courier_delivers(struct mw_courier *c) {
  return c && !c->stats.locked_out;
}

int mw_courier_lock(const char *storage_path, struct mw_err *err) {
  struct mw_buf path;
  mw_buf_init(&path, 8192);
  if (mw_buf_printf(&path, "%s.send.lock", storage_path)) {
    mw_buf_cleanup(&path);
    mw_err_set(err, MW_ENOMEM, "out of memory");
    return -1;
  }
  int fd = open(path.data, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    mw_err_set(err, MW_EIO, "%s: %s", path.data, strerror(errno));
  } else if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    mw_err_set(err, MW_EDENIED,
               "%s is held by another mediawatch process (a running daemon "
               "delivers the notifications)",
               path.data);
    close(fd);
    fd = -1;
  }
  mw_buf_cleanup(&path);
  return fd;
}

static void note_error(struct mw_courier *c, const struct mw_err *err) {
  uv_mutex_lock(&c->mu);
  bool same = !strcmp(c->stats.last_error, err->msg);
  snprintf(c->stats.last_error, sizeof c->stats.last_error, "%s", err->msg);
  uv_mutex_unlock(&c->mu);
  /* A robot down for an hour must not fill the log with one line a try. */
  if (!same) fprintf(stderr, "mediawatch: alerts: %s\n", err->msg);
}

/* The sources' health, in a transaction of its own: a failure there must
 * not hold back escalations. The first check comes HEALTH_EVERY_S after
 * the start: a check right away would judge the last run's state, and
 * `crawl --once` checks on its own handle once it has crawled
 * (mw_courier_check_health), so its courier's handle never reads the
 * whole history. */
static void check_health(struct mw_courier *c, int64_t now) {
  if (now < c->next_health) return;
  c->next_health = now + HEALTH_EVERY_S;
  struct mw_err err = {0};
  struct mw_health_check_stats hs;
  int rc = mw_store_begin(c->store, &err);
  if (rc == MW_OK) rc = mw_health_check(c->cfg, c->store, now, &hs, &err);
  if (rc == MW_OK) rc = mw_store_commit(c->store, &err);
  else mw_store_rollback(c->store);
  if (rc) {
    mw_err_prefix(&err, "source health: ");
    note_error(c, &err);
  }
}

static void tick(struct mw_courier *c, int64_t now) {
  struct mw_err err = {0};
  int rc = mw_store_begin(c->store, &err);
  if (rc == MW_OK) rc = mw_alerts_tick(c->engine, c->store, now, &err);
  if (rc == MW_OK) rc = mw_store_commit(c->store, &err);
  else mw_store_rollback(c->store);
  if (rc) note_error(c, &err);
  check_health(c, now);
}

/* Sends what is due; returns when the next message is due (0: none). */
static int64_t deliver(struct mw_courier *c, int64_t now) {
  struct mw_err err = {0};
  size_t sent = 0;
  int64_t next_at = 0, pending = 0;
  int rc = mw_alerts_send_due(c->cfg, c->store, now, SENDS_PER_ROUND, &sent,
                              &next_at, &err);
  if (rc) note_error(c, &err);
  struct mw_err perr = {0};
  if (mw_store_outbox_pending(c->store, &pending, &next_at, &perr))
    note_error(c, &perr);
  uv_mutex_lock(&c->mu);
  c->stats.sent += sent;
  if (rc) c->stats.failures++;
  c->stats.pending = pending;
  uv_mutex_unlock(&c->mu);
  /* A full round may have left due messages behind: go again at once. */
  if (sent == SENDS_PER_ROUND) return now;
  return next_at;
}

static void courier_main(void *arg) {
  struct mw_courier *c = arg;
  int64_t next_tick = 0, next_send = 0;
  uv_mutex_lock(&c->mu);
  while (!c->stop) {
    int64_t now = (int64_t)time(NULL);
    bool flush = c->flush_wanted;
    bool send = c->kicked || flush || (next_send && now >= next_send);
    bool do_tick = now >= next_tick || flush;
    c->kicked = false;
    uv_mutex_unlock(&c->mu);
    if (do_tick) {
      tick(c, now);
      next_tick = now + TICK_S;
      send = true; /* the tick may have written notifications */
    }
    if (send) next_send = deliver(c, now);
    uv_mutex_lock(&c->mu);
    if (flush && (!next_send || next_send > now)) {
      c->flush_wanted = false;
      c->flushed = true;
      uv_cond_broadcast(&c->idle_cv);
    }
    if (c->stop || c->kicked || c->flush_wanted) continue;
    int64_t wake = next_tick;
    if (next_send && next_send < wake) wake = next_send;
    int64_t wait_s = wake - (int64_t)time(NULL);
    if (wait_s <= 0 && next_send && next_send <= now) continue;
    if (wait_s < 1) wait_s = 1;
    uv_cond_timedwait(&c->cv, &c->mu, (uint64_t)wait_s * 1000000000ull);
  }
  uv_mutex_unlock(&c->mu);
}

int mw_courier_start(const struct mw_config *cfg, struct mw_courier **out,
                     struct mw_err *err) {
  *out = NULL;
  struct mw_courier *c = calloc(1, sizeof *c);
  if (!c) return mw_err_set(err, MW_ENOMEM, "out of memory");
  c->cfg = cfg;
  c->lock_fd = -1;
  c->next_health = (int64_t)time(NULL) + HEALTH_EVERY_S;
  if (uv_mutex_init(&c->mu) || uv_cond_init(&c->cv) ||
      uv_cond_init(&c->idle_cv)) {
    free(c);
    return mw_err_set(err, MW_ENOMEM, "cannot create the alerts thread's locks");
  }
  struct mw_err lerr = {0};
  c->lock_fd = mw_courier_lock(cfg->storage_path, &lerr);
  if (c->lock_fd < 0) {
    /* Not an error for crawl --once beside a daemon: say it and go on. */
    c->stats.locked_out = true;
    snprintf(c->stats.last_error, sizeof c->stats.last_error, "%s", lerr.msg);
    *out = c;
    return MW_OK;
  }
  int rc = mw_store_open(cfg->storage_path, &c->store, err);
  if (rc == MW_OK) rc = mw_alerts_new(cfg, &c->engine, err);
  if (rc == MW_OK && uv_thread_create(&c->thread, courier_main, c) != 0)
    rc = mw_err_set(err, MW_ENOMEM, "cannot start the alerts thread");
  if (rc) {
    mw_alerts_free(c->engine);
    mw_store_close(c->store);
    close(c->lock_fd);
    uv_cond_destroy(&c->idle_cv);
    uv_cond_destroy(&c->cv);
    uv_mutex_destroy(&c->mu);
    free(c);
    return rc;
  }
  *out = c;
  return MW_OK;
}

void mw_courier_kick(struct mw_courier *c) {
  if (!c || c->stats.locked_out) return;
  uv_mutex_lock(&c->mu);
  c->kicked = true;
  uv_cond_signal(&c->cv);
  uv_mutex_unlock(&c->mu);
}

void mw_courier_flush(struct mw_courier *c, int64_t timeout_ms) {
  if (!c || c->stats.locked_out) return;
  uint64_t deadline = uv_hrtime() + (uint64_t)timeout_ms * 1000000ull;
  uv_mutex_lock(&c->mu);
  c->flushed = false;
  c->flush_wanted = true;
  uv_cond_signal(&c->cv);
  while (!c->flushed) {
    uint64_t t = uv_hrtime();
    if (t >= deadline) break;
    uv_cond_timedwait(&c->idle_cv, &c->mu, deadline - t);
  }
  c->flush_wanted = false;
  uv_mutex_unlock(&c->mu);
}

void mw_courier_stats(struct mw_courier *c, struct mw_courier_stats *out) {
  memset(out, 0, sizeof *out);
  if (!c) return;
  uv_mutex_lock(&c->mu);
  *out = c->stats;
  uv_mutex_unlock(&c->mu);
}

void mw_courier_stop(struct mw_courier *c) {
  if (!c) return;
  if (!c->stats.locked_out) {
    uv_mutex_lock(&c->mu);
    c->stop = true;
    uv_cond_signal(&c->cv);
    uv_mutex_unlock(&c->mu);
    uv_thread_join(&c->thread);
    mw_alerts_free(c->engine);
    mw_store_close(c->store);
    close(c->lock_fd);
  }
  uv_cond_destroy(&c->idle_cv);
  uv_cond_destroy(&c->cv);
  uv_mutex_destroy(&c->mu);
  free(c);
}
