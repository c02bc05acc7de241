/*
 * pipeline.c: fetched bytes to stored, matched articles. See pipeline.h for
 * the threading and transaction rules; this file keeps to them: the worker
 * touches only its jobs, the store and the immutable matcher, and
 * everything else (summaries, the sources' validators) changes on the loop
 * thread once the worker hands a job back.
 *
 * The worker is a thread of the pipeline's own. It takes jobs one at a
 * time from a queue the loop fills, frees each body once the job is
 * processed, and commits when the queue runs dry, after
 * TXN_MAX_JOBS jobs or after TXN_MAX_NS. Transactions are thereby as
 * large as the work at hand allows, whatever the bodies held: every
 * commit rewrites the index pages its articles touched (URL, times,
 * reprint bands), so many small commits write the same pages over and
 * over. One thread, rather than libuv's pool, also means one malloc
 * arena. It is started by the first job and joined once the pipeline
 * drains, so an idle pipeline holds no thread and no loop handle.
 *
 * Memory is bounded by backpressure: the bodies queued or being processed
 * are counted, and over a bound the crawler is paused until the worker
 * has caught up (held_max_for).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/pipeline_int.h"

/* A transaction ends after this many jobs or this long (or when the queue
 * is empty): enough jobs to share each rewritten index page among many
 * articles, soon enough that results flow (the pages a listing asks for
 * are requested once it is committed) and a crash loses little. */
#define TXN_MAX_JOBS 512
#define TXN_MAX_NS (1000ull * 1000 * 1000)
/* An empty queue ends the transaction only if no job comes this soon. */
#define TXN_LINGER_NS (2ull * 1000 * 1000)

/* The pages asked for and not done with yet, so each URL is fetched once
 * while in flight: an open-addressing set of the requests themselves,
 * keyed by their URL (linear probing, deletion by backward shift). A busy
 * crawl holds thousands, so an entry is one pointer. */
struct url_set {
  struct page_ctx **slot; /* cap entries, NULL when free */
  size_t cap, n;          /* cap a power of two, n at most cap / 2 */
};

struct mw_pipeline {
  uv_loop_t *loop;
  const struct mw_config *cfg;
  struct mw_store *store;
  const struct mw_matcher *matcher; /* the newest rules */
  size_t n_topics;
  void (*on_retired)(const struct mw_matcher *old, void *user);
  void *retired_user;
  struct worker *worker; /* NULL while the pipeline is idle */
  size_t in_worker;      /* jobs handed to the worker, not back yet */
  void (*on_drained)(void *);
  void *drained_user;
  struct mw_poll_summary *polls;
  size_t n_polls, cap_polls;
  int64_t *topic_matches;
  int64_t new_articles;
  int64_t n_fetched;
  bool keep_polls;
  char store_error[MW_ERR_MSG_MAX];
  struct mw_crawler *crawler; /* for pages; NULL: pages are not fetched */
  struct url_set inflight;    /* pages asked for and not done with */
  struct page_ctx *outstanding; /* handed to the crawler, not yet back */
  /* Backpressure: over held_max bytes of bodies queued or being processed
   * the crawler is paused; it resumes at half of it. */
  size_t held_max;
  bool paused_crawler;
};

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

static void job_free(struct job *j) {
  if (!j) return;
  mw_page_free(j->page);
  while (j->requests) {
    struct page_ctx *r = j->requests;
    j->requests = r->next;
    mw_page_free(r);
  }
  free(j->error);
  free(j->body);
  free(j->charset);
  free(j->etag);
  free(j->last_modified);
  free(j->final_url);
  free(j->problem);
  free(j->topic_hits);
  free(j->store_error);
  free(j);
}

static void jobs_free(struct job *j) {
  while (j) {
    struct job *next = j->next;
    job_free(j);
    j = next;
  }
}

/* Bodies held at most: under a page per transfer slot, which keeps the
 * worker's queue from running dry while the crawler refills (the crawl
 * benchmark ran no faster with 8 MB than with 512 KB, as transactions do
 * not end with the queue; see TXN_LINGER_NS); no more, as every byte held
 * is resident memory. A single body over the bound is still taken: the
 * crawler pauses until it is processed. */
#define MW_PIPELINE_HELD_PER_SLOT (16 * 1024)
#define MW_PIPELINE_HELD_MIN (512 * 1024)
#define MW_PIPELINE_HELD_MAX (64 * 1024 * 1024)

static size_t held_max_for(const struct mw_config *cfg) {
  size_t slots = cfg && cfg->crawler.concurrency > 0
                     ? (size_t)cfg->crawler.concurrency : 8;
  size_t max = slots * MW_PIPELINE_HELD_PER_SLOT;
  if (max < MW_PIPELINE_HELD_MIN) max = MW_PIPELINE_HELD_MIN;
  if (max > MW_PIPELINE_HELD_MAX) max = MW_PIPELINE_HELD_MAX;
  return max;
}

int mw_pipeline_new(uv_loop_t *loop, const struct mw_config *cfg,
                    struct mw_store *store, const struct mw_matcher *matcher,
                    struct mw_pipeline **out, struct mw_err *err) {
  struct mw_pipeline *p = calloc(1, sizeof *p);
  if (!p) return mw_err_set(err, MW_ENOMEM, "out of memory");
  p->loop = loop;
  p->cfg = cfg;
  p->store = store;
  p->matcher = matcher;
  p->n_topics = mw_matcher_topic_count(matcher);
  p->topic_matches = calloc(p->n_topics + 1, sizeof *p->topic_matches);
  if (!p->topic_matches) {
    free(p);
    return mw_err_set(err, MW_ENOMEM, "out of memory");
  }
  p->held_max = held_max_for(cfg);
  *out = p;
  return MW_OK;
}

static void retire(struct mw_pipeline *p, const struct mw_matcher *m);

int mw_pipeline_set_matcher(struct mw_pipeline *p,
                            const struct mw_matcher *m,
                            void (*on_retired)(const struct mw_matcher *old,
                                               void *user),
                            void *user) {
  size_t n = mw_matcher_topic_count(m);
  int64_t *counts = calloc(n + 1, sizeof *counts);
  if (!counts) return MW_ENOMEM;
  struct worker *w = p->worker;
  if (w) {
    uv_mutex_lock(&w->mu);
    bool busy = w->next_matcher || w->retired;
    if (!busy) w->next_matcher = m;
    uv_mutex_unlock(&w->mu);
    if (busy) {
      free(counts);
      return MW_EINVAL; /* the previous reload is still being taken up */
    }
  }
  const struct mw_matcher *old = p->matcher;
  p->on_retired = on_retired;
  p->retired_user = user;
  p->matcher = m;
  free(p->topic_matches);
  p->topic_matches = counts;
  p->n_topics = n;
  if (!w) retire(p, old); /* no thread holds it */
  return MW_OK;
}

void mw_pipeline_set_crawler(struct mw_pipeline *p, struct mw_crawler *c) {
  p->crawler = c;
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

void mw_pipeline_free(struct mw_pipeline *p) {
  if (!p) return;
  if (p->worker) {
    /* Only when the loop stopped before the pipeline drained (the worker
     * keeps the loop running while it holds jobs): its handle belongs to
     * a loop that is no longer run and is not touched. */
    struct worker *w = p->worker;
    worker_join(w);
    retire(p, w->retired);
    if (w->next_matcher) retire(p, w->matcher);
    jobs_free(w->queue);
    jobs_free(w->done);
    uv_cond_destroy(&w->cv);
    uv_mutex_destroy(&w->mu);
    free(w);
  }
  for (size_t i = 0; i < p->n_polls; i++) {
    free(p->polls[i].outlet);
    free(p->polls[i].url);
    free(p->polls[i].error);
  }
  free(p->polls);
  free(p->topic_matches);
  while (p->outstanding) {
    struct page_ctx *c = p->outstanding;
    p->outstanding = c->next;
    mw_page_free(c);
  }
  free(p->inflight.slot);
  free(p);
}

/* ---------------------------------------------------------- the worker */

/* Ends the transaction of the jobs from head: commits it, or rolls it back
 * when rc says a job could not be stored, and marks each job. */
static void txn_end(struct mw_pipeline *p, int rc, struct mw_err *err,
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
                         .matcher = w->matcher, .n_topics = n_topics,
                         .results = calloc(n_topics ? n_topics : 1,
                                           sizeof(struct mw_topic_result))};
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
    txn_end(p, rc, &err, head);
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
}

static void on_worker_wake(uv_async_t *a);

static void on_worker_closed(uv_handle_t *h) {
  struct worker *w = h->data;
  uv_cond_destroy(&w->cv);
  uv_mutex_destroy(&w->mu);
  free(w);
}

/* Starts the worker thread; false when the system refuses one. */
static bool worker_start(struct mw_pipeline *p) {
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
static void retire(struct mw_pipeline *p, const struct mw_matcher *m) {
  if (m && p->on_retired) p->on_retired(m, p->retired_user);
}

static void worker_stop(struct mw_pipeline *p) {
  struct worker *w = p->worker;
  if (!w) return;
  p->worker = NULL;
  worker_join(w);
  /* Rules swapped but not collected, or sent but never taken (the pipeline
   * already uses the newest, p->matcher). */
  retire(p, w->retired);
  if (w->next_matcher) retire(p, w->matcher);
  uv_close((uv_handle_t *)&w->wake, on_worker_closed);
}

/* ---------------------------------------------------------- loop side */

static void replace(char **dst, const char *src) {
  char *copy = src ? mw_strdup(src) : NULL;
  free(*dst);
  *dst = copy;
}

/* A page's outcome is added to the summary of its source's poll. */
static void summarise_page(struct mw_pipeline *p, struct job *j, bool stored) {
  if (!p->keep_polls) return;
  for (size_t i = p->n_polls; i-- > 0;) {
    struct mw_poll_summary *s = &p->polls[i];
    if (s->source_id != j->src->crawl.id) continue;
    s->pages++;
    if (stored) s->new_articles += j->new_articles;
    if (j->page->kind != PAGE_ARTICLE) s->entries += j->entries;
    if (j->status != MW_FETCH_OK || j->unusable || !stored) {
      s->pages_failed++;
      const char *why = stored ? (j->error ? j->error : j->problem)
                               : j->store_error;
      if (why && !s->error) s->error = mw_strdup(why);
    }
    return;
  }
}

static void summarise(struct mw_pipeline *p, struct job *j, bool stored) {
  if (j->page) {
    summarise_page(p, j, stored);
    return;
  }
  p->n_fetched++;
  if (!p->keep_polls) return;
  if (p->n_polls == p->cap_polls) {
    size_t cap = p->cap_polls ? p->cap_polls * 2 : 32;
    struct mw_poll_summary *s = realloc(p->polls, cap * sizeof *s);
    if (!s) return;
    p->polls = s;
    p->cap_polls = cap;
  }
  struct mw_poll_summary *s = &p->polls[p->n_polls++];
  memset(s, 0, sizeof *s);
  s->source_id = j->src->crawl.id;
  s->outlet = mw_strdup(j->src->outlet);
  s->url = mw_strdup(j->src->url);
  s->status = j->unusable ? MW_FETCH_FAILED : j->status;
  s->http_status = j->http_status;
  s->entries = j->entries;
  s->recovered = j->recovered;
  s->new_articles = stored ? j->new_articles : 0;
  s->attachments = j->attachments;
  const char *why = j->error ? j->error : j->problem;
  if (!stored) why = j->store_error;
  s->error = why ? mw_strdup(why) : NULL;
}

static uint64_t url_hash(const char *s) { /* FNV-1a */
  uint64_t h = UINT64_C(1469598103934665603);
  for (; *s; s++) h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
  return h ^ (h >> 32);
}

/* The slot holding url, or the free slot where it would go. */
static size_t set_find(const struct url_set *set, const char *url) {
  size_t mask = set->cap - 1, i = (size_t)url_hash(url) & mask;
  while (set->slot[i] && strcmp(set->slot[i]->url, url)) i = (i + 1) & mask;
  return i;
}

static bool set_has(const struct url_set *set, const char *url) {
  return set->cap && set->slot[set_find(set, url)];
}

/* Adds r, whose URL is not in the set; false when out of memory. */
static bool set_add(struct url_set *set, struct page_ctx *r) {
  if ((set->n + 1) * 2 > set->cap) {
    struct url_set bigger = {.cap = set->cap ? set->cap * 2 : 64};
    if (!(bigger.slot = calloc(bigger.cap, sizeof *bigger.slot))) return false;
    for (size_t i = 0; i < set->cap; i++)
      if (set->slot[i])
        bigger.slot[set_find(&bigger, set->slot[i]->url)] = set->slot[i];
    bigger.n = set->n;
    free(set->slot);
    *set = bigger;
  }
  set->slot[set_find(set, r->url)] = r;
  set->n++;
  return true;
}

/* Removes r, if it is the request the set holds for its URL. */
static void set_del(struct url_set *set, const struct page_ctx *r) {
  if (!set->cap) return;
  size_t mask = set->cap - 1, i = set_find(set, r->url);
  if (set->slot[i] != r) return;
  set->slot[i] = NULL;
  set->n--;
  /* Moves back every entry after the hole whose probe started at or
   * before it, so no search stops early at the hole. */
  for (size_t j = (i + 1) & mask; set->slot[j]; j = (j + 1) & mask) {
    size_t home = (size_t)url_hash(set->slot[j]->url) & mask;
    if (((j - home) & mask) >= ((j - i) & mask)) {
      set->slot[i] = set->slot[j];
      set->slot[j] = NULL;
      i = j;
    }
  }
}

/* Hands the pages a committed job asked for to the crawler, each URL once
 * while it is in flight. */
static void request_pages(struct mw_pipeline *p, struct job *j) {
  while (j->requests) {
    struct page_ctx *r = j->requests;
    j->requests = r->next;
    r->next = r->prev = NULL;
    if (!p->crawler || set_has(&p->inflight, r->url) ||
        !set_add(&p->inflight, r)) {
      mw_page_free(r);
      continue;
    }
    r->next = p->outstanding;
    if (p->outstanding) p->outstanding->prev = r;
    p->outstanding = r;
    if (mw_crawler_fetch_page(p->crawler, &j->src->crawl, r->url, r) != MW_OK) {
      /* The crawler is closing: the page is fetched at the next poll. */
      p->outstanding = r->next;
      if (r->next) r->next->prev = NULL;
      set_del(&p->inflight, r);
      mw_page_free(r);
    }
  }
}

/* Pauses the crawler while the worker holds more than held_max bytes of
 * bodies and resumes it at half, so memory stays bounded however far the
 * fetching runs ahead of the worker. */
static void apply_backpressure(struct mw_pipeline *p) {
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

/* Once no job is left, the worker goes and whoever waits for the drain is
 * told. */
static void check_drained(struct mw_pipeline *p) {
  if (p->in_worker) return;
  worker_stop(p);
  if (p->on_drained) {
    void (*cb)(void *) = p->on_drained;
    p->on_drained = NULL;
    cb(p->drained_user);
  }
}

/* Takes back jobs whose transaction is over: counts, summaries, the
 * pages they asked for, the sources' validators. */
static void jobs_done(struct mw_pipeline *p, struct job *j) {
  while (j) {
    struct job *next = j->next;
    bool stored = j->stored;
    if (!stored && !p->store_error[0])
      snprintf(p->store_error, sizeof p->store_error, "%s",
               j->store_error ? j->store_error
                              : "the store could not be written");
    if (stored) {
      p->new_articles += j->new_articles;
      /* Counted under other rules before a reload: not comparable. */
      if (j->topic_hits && j->n_topic_hits == p->n_topics)
        for (size_t t = 0; t < p->n_topics; t++)
          p->topic_matches[t] += j->topic_hits[t];
      request_pages(p, j);
      if (!j->page && j->status == MW_FETCH_OK && !j->unusable) {
        /* The next poll is conditional on what this 200 said. */
        replace(&j->src->etag, j->etag);
        replace(&j->src->last_modified, j->last_modified);
        j->src->crawl.etag = j->src->etag;
        j->src->crawl.last_modified = j->src->last_modified;
      }
    }
    summarise(p, j, stored);
    if (j->page) set_del(&p->inflight, j->page);
    job_free(j);
    p->in_worker--;
    j = next;
  }
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
  retire(p, retired);
  /* Handing pages to the crawler and resuming it may deliver results at
   * once (refused requests): they are queued to the worker meanwhile. */
  jobs_done(p, done);
  apply_backpressure(p);
  check_drained(p);
}

/* No thread to be had: the job is processed here, in a transaction of its
 * own, rather than lost. */
static void run_inline(struct mw_pipeline *p, struct job *j) {
  struct mw_err err = {0};
  struct mw_topic_result *results =
      calloc(p->n_topics ? p->n_topics : 1, sizeof *results);
  struct work_ctx ctx = {.cfg = p->cfg, .store = p->store,
                         .matcher = p->matcher, .n_topics = p->n_topics,
                         .results = results};
  int rc = results ? mw_store_begin(p->store, &err)
                   : mw_err_set(&err, MW_ENOMEM, "out of memory");
  if (rc == MW_OK) rc = mw_pipeline_work(&ctx, j, &err);
  txn_end(p, rc, &err, j);
  free(results);
  p->in_worker++;
  jobs_done(p, j);
  check_drained(p);
}

static char *dup_or_null(const char *s) { return s ? mw_strdup(s) : NULL; }

void mw_pipeline_on_fetch(const struct mw_fetch_result *res, void *user) {
  struct mw_pipeline *p = user;
  struct mw_cli_source *src = res->source->user;
  struct job *j = calloc(1, sizeof *j);
  if (!j) return; /* the source stays due and is polled again */
  j->src = src;
  if (res->page) {
    struct page_ctx *pc = res->page;
    if (pc->prev) pc->prev->next = pc->next;
    else p->outstanding = pc->next;
    if (pc->next) pc->next->prev = pc->prev;
    pc->next = pc->prev = NULL;
    j->page = pc;
  }
  j->status = res->status;
  j->http_status = res->http_status;
  j->error = dup_or_null(res->error);
  j->charset = dup_or_null(res->charset);
  j->etag = dup_or_null(res->etag);
  j->last_modified = dup_or_null(res->last_modified);
  j->final_url = dup_or_null(res->final_url ? res->final_url : src->url);
  j->next_due = res->source->next_due;
  if (res->page && !res->final_url) {
    free(j->final_url);
    j->final_url = mw_strdup(((struct page_ctx *)res->page)->url);
  }
  j->failures = res->source->failures;
  j->when = (int64_t)time(NULL);
  if (res->status == MW_FETCH_OK) {
    j->body = malloc(res->body_len + 1);
    if (j->body) {
      memcpy(j->body, res->body, res->body_len);
      j->body[res->body_len] = '\0';
      j->body_len = res->body_len;
    }
  }
  if (res->status == MW_FETCH_OK && !j->body) {
    job_free(j);
    return;
  }
  if (!p->worker && !worker_start(p)) {
    run_inline(p, j);
    return;
  }
  struct worker *w = p->worker;
  p->in_worker++;
  uv_mutex_lock(&w->mu);
  if (w->queue_tail) w->queue_tail->next = j;
  else w->queue = j;
  w->queue_tail = j;
  w->queued_bytes += j->body_len;
  uv_cond_signal(&w->cv);
  uv_mutex_unlock(&w->mu);
  apply_backpressure(p);
}

void mw_pipeline_drain(struct mw_pipeline *p, void (*done)(void *),
                       void *user) {
  p->on_drained = done;
  p->drained_user = user;
  check_drained(p);
}

void mw_pipeline_keep_polls(struct mw_pipeline *p, bool keep) {
  p->keep_polls = keep;
}

int64_t mw_pipeline_polls_done(const struct mw_pipeline *p) {
  return p->n_fetched;
}

const struct mw_poll_summary *mw_pipeline_polls(const struct mw_pipeline *p,
                                                size_t *n) {
  *n = p->n_polls;
  return p->polls;
}

int64_t mw_pipeline_topic_matches(const struct mw_pipeline *p, size_t topic) {
  return topic < p->n_topics ? p->topic_matches[topic] : 0;
}

int64_t mw_pipeline_new_articles(const struct mw_pipeline *p) {
  return p->new_articles;
}

const char *mw_pipeline_store_error(const struct mw_pipeline *p) {
  return p->store_error;
}
