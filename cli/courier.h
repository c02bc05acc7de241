/*
 * courier.h (private to cli/): the alerts thread of crawl, run and demo.
 *
 * The pipeline's worker raises alerts and writes their notifications to
 * the outbox inside its own transactions; the courier, on a thread of its
 * own with its own store handle and engine, delivers them (kicked after
 * each such commit) and does what time brings (mw_alerts_tick: escalation,
 * deadlines, repeats, digests, bursts) every few seconds. Network waits on
 * a robot that is down therefore never hold up the crawl.
 *
 * Only one process delivers a store's outbox at a time: the courier holds
 * an exclusive lock on "<storage>.send.lock" for as long as it runs. A
 * courier that cannot take it (a daemon is running) still ticks nothing
 * and sends nothing, and says so: the daemon will.
 */
#ifndef MW_CLI_COURIER_H
#define MW_CLI_COURIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/common.h"

struct mw_courier;

/* What the courier did, for summaries. */
struct mw_courier_stats {
  size_t sent;      /* notifications delivered */
  size_t failures;  /* attempts that failed (retried later) */
  int64_t pending;  /* notifications not delivered yet */
  bool locked_out;  /* another process holds the send lock */
  char last_error[MW_ERR_MSG_MAX];
};

/* Starts the thread. cfg must outlive the courier. The time source is
 * the wall clock. */
int mw_courier_start(const struct mw_config *cfg, struct mw_courier **out,
                     struct mw_err *err);
/* Something was committed to the outbox: deliver it now. Thread-safe;
 * safe to call with NULL. */
void mw_courier_kick(struct mw_courier *c);
/* Ticks once more, then waits until nothing is due (or timeout_ms
 * passes): what `crawl --once` does before it exits. */
void mw_courier_flush(struct mw_courier *c, int64_t timeout_ms);
void mw_courier_stats(struct mw_courier *c, struct mw_courier_stats *out);
/* Whether this courier delivers the store's outbox (it holds the send
 * lock): only then may its process write what the admins are told
 * (health/health.h, mw_health_check); a running daemon does otherwise. */
bool mw_courier_delivers(struct mw_courier *c);
/* Stops and joins the thread, frees c. Accepts NULL. */
void mw_courier_stop(struct mw_courier *c);

/* Takes the send lock of the store at storage_path without blocking;
 * returns the descriptor to keep (close it to release) or -1 when another
 * process holds it (err says which file) or on error. */
int mw_courier_lock(const char *storage_path, struct mw_err *err);

#endif
