/*
 * pipeline_worker.c: the pipeline's worker thread. It takes jobs one at a
 * time from a queue the loop fills, frees each body once the job is
 * processed, and commits when the queue runs dry, after TXN_MAX_JOBS jobs
 * or after TXN_MAX_NS. Transactions are thereby as large as the work at
 * hand allows, whatever the bodies held: every commit rewrites the index
 * pages its articles touched (URL, times, reprint bands), so many small
 * commits write the same pages over and over. One thread, rather than
 * libuv's pool, also means one malloc arena. It is started by the first
 * job and joined once the pipeline drains, so an idle pipeline holds no
 * thread and no loop handle. Memory is bounded by backpressure: the bodies
 * queued or being processed are counted, and over a bound the crawler is
 * paused until the worker has caught up (mw_pipeline_held_max).
 *
 * What a job does to the store is pipeline_work.c's; making jobs, taking
 * them back (counts, summaries, page requests, validators) and the public
 * mw_pipeline_* functions are pipeline.c's, on the loop thread.
 */
#include <stdlib.h>

#include "cli/pipeline_int.h"

/* A transaction ends after this many jobs or this long (or when the queue
 * is empty): enough jobs to share each rewritten index page among many
 * articles, soon enough that results flow (the pages a listing asks for
 * are requested once it is committed) and a crash loses little. */
#define TXN_MAX_JOBS 512
#define TXN_MAX_NS (1000ull * 1000 * 1000)
/* An empty queue ends the transaction only if no job comes this soon. */
#define TXN_LINGER_NS (2ull * 1000 * 1000)

/* The worker thread and its way back to the loop. A job is the worker's
 * from being queued until it is in the done list. */
struct worker {
  struct mw_pipeline *p;
  uv_thread_t thread;
  uv_async_t wake; /* jobs are done, or the queue fell to resume_at */
  uv_mutex_t mu;   /* guards the fields below */
  uv_cond_t cv;    /* a job was queued, or stop */
  struct job *queue, *queue_tail; /* to process, oldest first */
  size_t queued_bytes; /* bodies of the queue and of the job in hand */
  size_t resume_at;    /* not 0: wake the loop once queued_bytes is at
                          most this */
  struct job *done, *done_tail; /* transaction over, for the loop */
  bool stop;
  /* Rules reloaded on SIGHUP: the worker takes next_matcher at the start
   * of its next transaction and hands the one it used back as retired. */
  const struct mw_matcher *matcher, *next_matcher, *retired;
};

/* Bodies held at most: under a page per transfer slot, which keeps the
 * worker's queue from running dry while the crawler refills (the crawl
 * benchmark ran no faster with 8 MB than with 512 KB, as transactions do
 * not end with the queue; see TXN_LINGER_NS); no more, as every byte held
 * is resident memory. A single body over the bound is still taken: the
 * crawler pauses until it is processed. */
#define MW_PIPELINE_HELD_PER_SLOT (16 * 1024)
#define MW_PIPELINE_HELD_MIN (512 * 1024)
#define MW_PIPELINE_HELD_MAX (64 * 1024 * 1024)

size_t mw_pipeline_held_max(const struct mw_config *cfg) {
  size_t slots = cfg && cfg->crawler.concurrency > 0
                     ? (size_t)cfg->crawler.concurrency : 8;
  size_t max = slots * MW_PIPELINE_HELD_PER_SLOT;
  if (max < MW_PIPELINE_HELD_MIN) max = MW_PIPELINE_HELD_MIN;
  if (max > MW_PIPELINE_HELD_MAX) max = MW_PIPELINE_HELD_MAX;
  return max;
}

/* Tells the worker to end and waits for it; what it still holds stays in
 * its lists. */
static void worker_join(struct worker *w) {
  uv_mutex_lock(&w->mu);
  w->stop = true;
  uv_cond_signal(&w->cv);
  uv_mutex_unlock(&w->mu);
  uv_thread_join(&w->thread);
}

/* Ends the transaction of the jobs from head: commits it, or rolls it back
 * when rc says a job could not be stored, and marks each job. */
void mw_pipeline_txn_end(struct mw_pipeline *p, int rc, struct mw_err *err,
                         struct job *head) {
  if (rc == MW_OK) rc = mw_store_commit(p->store, err);
  if (rc != MW_OK) mw_store_rollback(p->store);
  for (struct job *j = head; j; j = j->next) {
    j->stored = rc == MW_OK;
    if (!j->stored) j->store_error = mw_strdup(err->msg);
  }
}

/* The job's body is not needed once processed: freed at once, so memory
 * holds only the bodies still waiting. */
static void release_body(struct worker *w, struct job *j) {
  size_t n = j->body_len;
  free(j->body);
  j->body = NULL;
  j->body_len = 0;
  uv_mutex_lock(&w->mu);
  w->queued_bytes -= n;
  bool wake = w->resume_at && w->queued_bytes <= w->resume_at;
  if (wake) w->resume_at = 0;
  uv_mutex_unlock(&w->mu);
  if (wake) uv_async_send(&w->wake);
}

/* Takes the reloaded rules, if any, between two transactions. Called with
 * w->mu held. */
static void take_new_matcher(struct worker *w, struct work_ctx *ctx) {
  if (!w->next_matcher) return;
  size_t n = mw_matcher_topic_count(w->next_matcher);
  struct mw_topic_result *r = calloc(n ? n : 1, sizeof *r);
  if (!r) return; /* keep the old rules; try again next time */
  free(ctx->results);
  ctx->results = r;
  w->retired = ctx->matcher;
  ctx->matcher = w->matcher = w->next_matcher;
  ctx->n_topics = n;
  w->next_matcher = NULL;
  uv_async_send(&w->wake);
}

static void worker_main(void *arg) {
  struct worker *w = arg;
  struct mw_pipeline *p = w->p;
  size_t n_topics = mw_matcher_topic_count(w->matcher);
  struct work_ctx ctx = {.cfg = p->cfg, .store = p->store,
                         .alerts = p->alerts,
                         .matcher = w->matcher, .n_topics = n_topics,
                         .results = calloc(n_topics ? n_topics : 1,
                                           sizeof(struct mw_topic_result))};
  /* Out of memory: ingest records no mentions, and the next
   * mw_store_index_mentions catches those articles up. */
  struct mw_err merr;
  if (mw_store_config_mentions(p->cfg, &ctx.mentions, &ctx.n_mentions,
                               &merr))
    ctx.n_mentions = 0;
  uv_mutex_lock(&w->mu);
  for (;;) {
    while (!w->queue && !w->stop) uv_cond_wait(&w->cv, &w->mu);
    if (w->stop) break;
    take_new_matcher(w, &ctx);
    struct mw_topic_result *results = ctx.results;
    uv_mutex_unlock(&w->mu);
    struct mw_err err = {0};
    int rc = results ? mw_store_begin(p->store, &err)
                     : mw_err_set(&err, MW_ENOMEM, "out of memory");
    struct job *head = NULL, **tail = &head;
    uint64_t start = uv_hrtime();
    for (size_t n = 0;;) {
      uv_mutex_lock(&w->mu);
      if (!w->queue && n > 0 && !w->stop)
        /* The crawler is likely refilling the queue right now. */
        uv_cond_timedwait(&w->cv, &w->mu, TXN_LINGER_NS);
      struct job *j = w->queue;
      if (j && !(w->queue = j->next)) w->queue_tail = NULL;
      uv_mutex_unlock(&w->mu);
      if (!j) break;
      j->next = NULL;
      *tail = j;
      tail = &j->next;
      if (rc == MW_OK) rc = mw_pipeline_work(&ctx, j, &err);
      release_body(w, j);
      if (rc != MW_OK || ++n == TXN_MAX_JOBS ||
          uv_hrtime() - start >= TXN_MAX_NS)
        break;
    }
    mw_pipeline_txn_end(p, rc, &err, head);
    /* Committed notifications go out now, not at the courier's next tick. */
    if (ctx.alerted && head && head->stored && p->on_alerted)
      p->on_alerted(p->alerted_user);
    ctx.alerted = false;
    uv_mutex_lock(&w->mu);
    if (head) {
      if (w->done_tail) w->done_tail->next = head;
      else w->done = head;
      for (w->done_tail = head; w->done_tail->next;)
        w->done_tail = w->done_tail->next;
    }
    uv_async_send(&w->wake);
  }
  uv_mutex_unlock(&w->mu);
  free(ctx.results);
  free(ctx.mentions);
}

static void on_worker_wake(uv_async_t *a) {
  struct worker *w = a->data;
  struct mw_pipeline *p = w->p;
  uv_mutex_lock(&w->mu);
  struct job *done = w->done;
  w->done = w->done_tail = NULL;
  const struct mw_matcher *retired = w->retired;
  w->retired = NULL;
  uv_mutex_unlock(&w->mu);
  mw_pipeline_retire(p, retired);
  /* Handing pages to the crawler and resuming it may deliver results at
   * once (refused requests): they are queued to the worker meanwhile. */
  mw_pipeline_jobs_done(p, done);
  mw_pipeline_backpressure(p);
  mw_pipeline_check_drained(p);
}

static void on_worker_closed(uv_handle_t *h) {
  struct worker *w = h->data;
  uv_cond_destroy(&w->cv);
  uv_mutex_destroy(&w->mu);
  free(w);
}

/* Starts the worker thread; false when the system refuses one. */
bool mw_pipeline_worker_start(struct mw_pipeline *p) {
  struct worker *w = calloc(1, sizeof *w);
  if (!w) return false;
  w->p = p;
  w->matcher = p->matcher;
  if (uv_mutex_init(&w->mu)) {
    free(w);
    return false;
  }
  if (uv_cond_init(&w->cv)) {
    uv_mutex_destroy(&w->mu);
    free(w);
    return false;
  }
  if (uv_async_init(p->loop, &w->wake, on_worker_wake)) {
    uv_cond_destroy(&w->cv);
    uv_mutex_destroy(&w->mu);
    free(w);
    return false;
  }
  w->wake.data = w;
  if (uv_thread_create(&w->thread, worker_main, w)) {
    uv_close((uv_handle_t *)&w->wake, on_worker_closed);
    return false;
  }
  p->worker = w;
  return true;
}

/* Joins the idle worker and closes its handle (freed in the close
 * callback). */
void mw_pipeline_worker_stop(struct mw_pipeline *p) {
  struct worker *w = p->worker;
  if (!w) return;
  p->worker = NULL;
  worker_join(w);
  /* Rules swapped but not collected, or sent but never taken (the pipeline
   * already uses the newest, p->matcher). */
  mw_pipeline_retire(p, w->retired);
  if (w->next_matcher) mw_pipeline_retire(p, w->matcher);
  uv_close((uv_handle_t *)&w->wake, on_worker_closed);
}

/* Only when the loop stopped before the pipeline drained (the worker keeps
 * the loop running while it holds jobs): its handle belongs to a loop that
 * is no longer run and is not touched. */
void mw_pipeline_worker_free(struct mw_pipeline *p) {
  struct worker *w = p->worker;
  if (!w) return;
  p->worker = NULL;
  worker_join(w);
  mw_pipeline_retire(p, w->retired);
  if (w->next_matcher) mw_pipeline_retire(p, w->matcher);
  mw_pipeline_jobs_free(w->queue);
  mw_pipeline_jobs_free(w->done);
  uv_cond_destroy(&w->cv);
  uv_mutex_destroy(&w->mu);
  free(w);
}

bool mw_pipeline_worker_offer(struct worker *w, const struct mw_matcher *m) {
  uv_mutex_lock(&w->mu);
  bool busy = w->next_matcher || w->retired;
  if (!busy) w->next_matcher = m;
  uv_mutex_unlock(&w->mu);
  return !busy;
}

void mw_pipeline_worker_queue(struct worker *w, struct job *j) {
  uv_mutex_lock(&w->mu);
  if (w->queue_tail) w->queue_tail->next = j;
  else w->queue = j;
  w->queue_tail = j;
  w->queued_bytes += j->body_len;
  uv_cond_signal(&w->cv);
  uv_mutex_unlock(&w->mu);
}

/* Pauses the crawler while the worker holds more than held_max bytes of
 * bodies and resumes it at half, so memory stays bounded however far the
 * fetching runs ahead of the worker. */
void mw_pipeline_backpressure(struct mw_pipeline *p) {
  if (!p->crawler) return;
  size_t held = 0;
  struct worker *w = p->worker;
  bool pause = false;
  if (w) {
    uv_mutex_lock(&w->mu);
    held = w->queued_bytes;
    pause = !p->paused_crawler && held > p->held_max;
    /* Read and armed under one lock: the worker cannot slip below the
     * mark unseen. */
    if (pause) w->resume_at = p->held_max / 2;
    uv_mutex_unlock(&w->mu);
  }
  if (pause) {
    p->paused_crawler = true;
    mw_crawler_pause(p->crawler);
  } else if (p->paused_crawler && held <= p->held_max / 2) {
    p->paused_crawler = false;
    mw_crawler_resume(p->crawler);
  }
}
