/*
 * pipeline.c: fetched bytes to stored, matched articles. See pipeline.h for
 * the threading and transaction rules; this file keeps to them: the worker
 * touches only the job batch, the store and the immutable matcher, and
 * everything else (summaries, the sources' validators) changes on the loop
 * thread in the after-work callback.
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
  struct job *batch; /* running on the thread pool */
  uv_work_t work;
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
  free(j);
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
  p->work.data = p;
  *out = p;
  return MW_OK;
}

void mw_pipeline_set_crawler(struct mw_pipeline *p, struct mw_crawler *c) {
  p->crawler = c;
}

void mw_pipeline_free(struct mw_pipeline *p) {
  if (!p) return;
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

static void run_batch(uv_work_t *w) {
  struct mw_pipeline *p = w->data;
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

static void batch_done(uv_work_t *w, int status) {
  struct mw_pipeline *p = w->data;
  bool stored = status == 0 && p->batch_rc == MW_OK;
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
    job_free(j);
    j = next;
  }
  p->batch = NULL;
  start_batch(p);
}

static void start_batch(struct mw_pipeline *p) {
  if (p->batch) return;
  if (!p->pending) {
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
  if (uv_queue_work(p->loop, &p->work, run_batch, batch_done) != 0) {
    /* Cannot happen with a valid loop; run inline rather than lose it. */
    run_batch(&p->work);
    batch_done(&p->work, 0);
  }
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
