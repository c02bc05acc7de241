/*
 * pipeline.c: fetched bytes to stored, matched articles. See pipeline.h for
 * the threading and transaction rules; this file keeps to them: the worker
 * touches only the job batch, the store and the immutable matcher, and
 * everything else (summaries, the sources' validators) changes on the loop
 * thread in the after-work callback.
 *
 * Batches run on a thread of the pipeline's own rather than libuv's pool:
 * every batch then allocates from one malloc arena instead of one per pool
 * thread, which keeps the resident memory of a crawl down. The thread is
 * started by the first batch and joined once the pipeline drains, so an
 * idle pipeline holds no thread and no loop handle.
 *
 * Memory is bounded by backpressure: bodies waiting or being processed are
 * counted, and over a bound the crawler is paused until the worker has
 * caught up (held_max_for).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli/pipeline_int.h"

struct mw_pipeline {
  uv_loop_t *loop;
  const struct mw_config *cfg;
  struct mw_store *store;
  const struct mw_matcher *matcher;
  size_t n_topics;
  struct job *pending, *pending_tail;
  struct job *batch; /* handed to the worker */
  struct worker *worker; /* NULL while the pipeline is idle */
  int batch_rc;
  char batch_error[MW_ERR_MSG_MAX];
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
  json_t *inflight;           /* URLs of pages asked for, as a set */
  struct page_ctx *outstanding; /* handed to the crawler, not yet back */
  /* Backpressure: bytes of the bodies of queued and running jobs. Over
   * held_max the crawler is paused; it resumes at half of it. */
  size_t held_bytes, held_max;
  bool paused_crawler;
};

/* The worker thread and its way back to the loop. The mutex guards
 * has_batch and stop; the batch itself is the worker's from has_batch set
 * to has_batch cleared, the loop's otherwise. */
struct worker {
  struct mw_pipeline *p;
  uv_thread_t thread;
  uv_mutex_t mu;
  uv_cond_t cv;
  uv_async_t done; /* the worker finished a batch */
  bool has_batch, stop;
};

/* Tells the idle worker to end and waits for it. */
static void worker_join(struct worker *w) {
  uv_mutex_lock(&w->mu);
  w->stop = true;
  uv_cond_signal(&w->cv);
  uv_mutex_unlock(&w->mu);
  uv_thread_join(&w->thread);
}

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
  free(j);
}

/* Bodies held at most: a page or so per transfer slot, which is plenty
 * for the worker to have a batch ready while the crawler refills (the
 * crawl benchmark ran no faster with 8 MB than with 1 MB); no more, as
 * every byte held is resident memory. A single body over the bound is
 * still taken: the crawler pauses until its batch is done. */
#define MW_PIPELINE_HELD_PER_SLOT (32 * 1024)
#define MW_PIPELINE_HELD_MIN (1024 * 1024)
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
  p->inflight = json_object();
  if (!p->inflight) {
    free(p->topic_matches);
    free(p);
    return mw_err_set(err, MW_ENOMEM, "out of memory");
  }
  p->held_max = held_max_for(cfg);
  *out = p;
  return MW_OK;
}

void mw_pipeline_set_crawler(struct mw_pipeline *p, struct mw_crawler *c) {
  p->crawler = c;
}

/* Pauses the crawler while the jobs hold more than held_max bytes of
 * bodies and resumes it below half, so memory stays bounded however far
 * the fetching runs ahead of the worker. */
static void apply_backpressure(struct mw_pipeline *p) {
  if (!p->crawler) return;
  if (!p->paused_crawler && p->held_bytes > p->held_max) {
    p->paused_crawler = true;
    mw_crawler_pause(p->crawler);
  } else if (p->paused_crawler && p->held_bytes <= p->held_max / 2) {
    p->paused_crawler = false;
    mw_crawler_resume(p->crawler);
  }
}

void mw_pipeline_free(struct mw_pipeline *p) {
  if (!p) return;
  if (p->worker) {
    /* Only when the loop stopped before the pipeline drained: the thread
     * is idle (a batch keeps the loop running), so it is joined; its
     * handle belongs to a loop that is no longer run and is not touched. */
    struct worker *w = p->worker;
    worker_join(w);
    uv_cond_destroy(&w->cv);
    uv_mutex_destroy(&w->mu);
    free(w);
  }
  while (p->pending) {
    struct job *j = p->pending;
    p->pending = j->next;
    job_free(j);
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
  json_decref(p->inflight);
  free(p);
}

/* ---------------------------------------------------------- the worker */

static void run_batch(struct mw_pipeline *p) {
  struct mw_err err = {0};
  struct mw_topic_result *results =
      calloc(p->n_topics ? p->n_topics : 1, sizeof *results);
  struct work_ctx ctx = {.cfg = p->cfg, .store = p->store,
                         .matcher = p->matcher, .n_topics = p->n_topics,
                         .results = results};
  int rc = results ? mw_store_begin(p->store, &err)
                   : mw_err_set(&err, MW_ENOMEM, "out of memory");
  for (struct job *j = p->batch; j && rc == MW_OK; j = j->next)
    rc = mw_pipeline_work(&ctx, j, &err);
  if (rc == MW_OK) rc = mw_store_commit(p->store, &err);
  if (rc != MW_OK && results) mw_store_rollback(p->store);
  free(results);
  p->batch_rc = rc;
  memcpy(p->batch_error, err.msg, sizeof p->batch_error);
}

static void worker_main(void *arg) {
  struct worker *w = arg;
  uv_mutex_lock(&w->mu);
  for (;;) {
    while (!w->has_batch && !w->stop) uv_cond_wait(&w->cv, &w->mu);
    if (!w->has_batch) break; /* stopped, and nothing left to do */
    uv_mutex_unlock(&w->mu);
    run_batch(w->p);
    uv_mutex_lock(&w->mu);
    w->has_batch = false;
    uv_async_send(&w->done);
  }
  uv_mutex_unlock(&w->mu);
}

static void batch_done(struct mw_pipeline *p);

static void on_worker_done(uv_async_t *a) {
  struct worker *w = a->data;
  uv_mutex_lock(&w->mu); /* the worker's writes to the batch are seen */
  bool finished = !w->has_batch && w->p->batch;
  uv_mutex_unlock(&w->mu);
  if (finished) batch_done(w->p);
}

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
  if (uv_mutex_init(&w->mu)) {
    free(w);
    return false;
  }
  if (uv_cond_init(&w->cv)) {
    uv_mutex_destroy(&w->mu);
    free(w);
    return false;
  }
  if (uv_async_init(p->loop, &w->done, on_worker_done)) {
    uv_cond_destroy(&w->cv);
    uv_mutex_destroy(&w->mu);
    free(w);
    return false;
  }
  w->done.data = w;
  if (uv_thread_create(&w->thread, worker_main, w)) {
    uv_close((uv_handle_t *)&w->done, on_worker_closed);
    return false;
  }
  p->worker = w;
  return true;
}

/* Joins the idle worker and closes its handle (freed in the close
 * callback). */
static void worker_stop(struct mw_pipeline *p) {
  struct worker *w = p->worker;
  if (!w) return;
  p->worker = NULL;
  worker_join(w);
  uv_close((uv_handle_t *)&w->done, on_worker_closed);
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
                               : p->batch_error;
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
  if (!stored) why = p->batch_error;
  s->error = why ? mw_strdup(why) : NULL;
}

static void start_batch(struct mw_pipeline *p);

/* Hands the pages a committed job asked for to the crawler, each URL once
 * while it is in flight. */
static void request_pages(struct mw_pipeline *p, struct job *j) {
  while (j->requests) {
    struct page_ctx *r = j->requests;
    j->requests = r->next;
    r->next = r->prev = NULL;
    if (!p->crawler || json_object_get(p->inflight, r->url) ||
        json_object_set_new_nocheck(p->inflight, r->url, json_true())) {
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
      json_object_del(p->inflight, r->url);
      mw_page_free(r);
    }
  }
}

static void batch_done(struct mw_pipeline *p) {
  bool stored = p->batch_rc == MW_OK;
  if (!stored && !p->store_error[0])
    memcpy(p->store_error, p->batch_error, sizeof p->store_error);
  for (struct job *j = p->batch; j;) {
    struct job *next = j->next;
    if (stored) {
      p->new_articles += j->new_articles;
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
    if (j->page) json_object_del(p->inflight, j->page->url);
    p->held_bytes -= j->body_len;
    job_free(j);
    j = next;
  }
  p->batch = NULL;
  /* Resuming may deliver results at once (refused requests): they queue
   * behind this point and start the next batch themselves. */
  apply_backpressure(p);
  start_batch(p);
}

static void start_batch(struct mw_pipeline *p) {
  if (p->batch) return;
  if (!p->pending) {
    worker_stop(p);
    if (p->on_drained) {
      void (*cb)(void *) = p->on_drained;
      p->on_drained = NULL;
      cb(p->drained_user);
    }
    return;
  }
  /* Everything fetched meanwhile goes into one transaction. */
  p->batch = p->pending;
  p->pending = p->pending_tail = NULL;
  if (!p->worker && !worker_start(p)) {
    /* No thread to be had: run inline rather than lose the batch. */
    run_batch(p);
    batch_done(p);
    return;
  }
  struct worker *w = p->worker;
  uv_mutex_lock(&w->mu);
  w->has_batch = true;
  uv_cond_signal(&w->cv);
  uv_mutex_unlock(&w->mu);
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
  j->topic_hits = calloc(p->n_topics + 1, sizeof *j->topic_hits);
  if (res->status == MW_FETCH_OK) {
    j->body = malloc(res->body_len + 1);
    if (j->body) {
      memcpy(j->body, res->body, res->body_len);
      j->body[res->body_len] = '\0';
      j->body_len = res->body_len;
    }
  }
  if (!j->topic_hits || (res->status == MW_FETCH_OK && !j->body)) {
    job_free(j);
    return;
  }
  if (p->pending_tail) p->pending_tail->next = j;
  else p->pending = j;
  p->pending_tail = j;
  p->held_bytes += j->body_len;
  apply_backpressure(p);
  start_batch(p);
}

void mw_pipeline_drain(struct mw_pipeline *p, void (*done)(void *),
                       void *user) {
  p->on_drained = done;
  p->drained_user = user;
  if (!p->batch && !p->pending) {
    p->on_drained = NULL;
    done(user);
  }
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
