/*
 * pipeline.c: fetched bytes to stored, matched articles, the loop thread's
 * side. See pipeline.h for the threading and transaction rules; this file
 * keeps to them: it turns each fetch result into a job for the worker, and
 * once the worker hands a job back it changes everything else (counts,
 * summaries, the sources' validators) and asks the crawler for the pages
 * the job found, each URL once while it is in flight. It follows each
 * chain of pages a poll started, so that the poll's validators are kept
 * only once the whole chain is stored. It also holds the public
 * mw_pipeline_* functions.
 *
 * The worker thread, its transactions and the backpressure on the crawler
 * are pipeline_worker.c's; what a job does to the store is
 * pipeline_work.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/pipeline_int.h"

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
  free(j->moved_to);
  free(j->problem);
  free(j->topic_hits);
  free(j->store_error);
  free(j);
}

void mw_pipeline_jobs_free(struct job *j) {
  while (j) {
    struct job *next = j->next;
    job_free(j);
    j = next;
  }
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
  p->held_max = mw_pipeline_held_max(cfg);
  *out = p;
  return MW_OK;
}

int mw_pipeline_set_matcher(struct mw_pipeline *p,
                            const struct mw_matcher *m,
                            void (*on_retired)(const struct mw_matcher *old,
                                               void *user),
                            void *user) {
  size_t n = mw_matcher_topic_count(m);
  int64_t *counts = calloc(n + 1, sizeof *counts);
  if (!counts) return MW_ENOMEM;
  struct worker *w = p->worker;
  if (w && !mw_pipeline_worker_offer(w, m)) {
    free(counts);
    return MW_EINVAL; /* the previous reload is still being taken up */
  }
  const struct mw_matcher *old = p->matcher;
  p->on_retired = on_retired;
  p->retired_user = user;
  p->matcher = m;
  free(p->topic_matches);
  p->topic_matches = counts;
  p->n_topics = n;
  if (!w) mw_pipeline_retire(p, old); /* no thread holds it */
  return MW_OK;
}

void mw_pipeline_set_crawler(struct mw_pipeline *p, struct mw_crawler *c) {
  p->crawler = c;
}

void mw_pipeline_free(struct mw_pipeline *p) {
  if (!p) return;
  mw_pipeline_worker_free(p);
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
  while (p->chains) {
    struct chain *c = p->chains;
    p->chains = c->next;
    free(c->etag);
    free(c->last_modified);
    free(c);
  }
  free(p->inflight.slot);
  free(p);
}

void mw_pipeline_retire(struct mw_pipeline *p, const struct mw_matcher *m) {
  if (m && p->on_retired) p->on_retired(m, p->retired_user);
}

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

/* Hands a job to the worker (started if need be), or runs it here when
 * the system refuses a thread. */
static void run_inline(struct mw_pipeline *p, struct job *j);
static void submit(struct mw_pipeline *p, struct job *j) {
  if (!p->worker && !mw_pipeline_worker_start(p)) {
    run_inline(p, j);
    return;
  }
  p->in_worker++;
  mw_pipeline_worker_queue(p->worker, j);
  mw_pipeline_backpressure(p);
}

/* ---------------------------------------------------------------- chains
 *
 * A listing or sitemap poll answered 200 is stored before the pages it
 * asks for are fetched; those pages may ask for more (the listing's next
 * page, a sitemap index's children, their articles). The poll's
 * validators say "all of this is stored": written at the poll, a crash or
 * a failed page would leave pages that no later poll asks for, as each is
 * answered 304. So the poll clears them in its own transaction
 * (pipeline_work.c's record_poll), and the chain of its pages is counted
 * here: each page handed to the crawler adds one, each page taken back
 * takes one off once its own requests are handed on. At zero, if no page
 * failed, was dropped (the crawler closing, the URL already in flight for
 * another page) or left links out (the per-poll cap), and no newer 200 of
 * the source came meanwhile, a job of its own writes the validators, and
 * the next poll is conditional. Otherwise the next poll is unconditional
 * and recovers what is missing (process_listing). A crash before that job
 * commits leaves the store without validators: the same recovery. */

/* A chain for poll j, which asks for pages; NULL when there is nothing to
 * keep (no validators), a newer 200 came, or memory is short (then the
 * validators are simply not kept for this poll). Held once: released by
 * the caller once j's requests are handed on. */
static struct chain *chain_new(struct mw_pipeline *p, const struct job *j) {
  if ((!j->etag && !j->last_modified) || j->poll != j->src->polls_200)
    return NULL;
  struct chain *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->src = j->src;
  c->poll = j->poll;
  c->etag = j->etag ? mw_strdup(j->etag) : NULL;
  c->last_modified = j->last_modified ? mw_strdup(j->last_modified) : NULL;
  if ((j->etag && !c->etag) || (j->last_modified && !c->last_modified)) {
    free(c->etag);
    free(c->last_modified);
    free(c);
    return NULL;
  }
  c->pending = 1;
  c->next = p->chains;
  if (p->chains) p->chains->prev = c;
  p->chains = c;
  return c;
}

/* Takes one off c; the last one ends it, and writes the validators if the
 * chain is whole. */
static void chain_release(struct mw_pipeline *p, struct chain *c) {
  if (--c->pending) return;
  if (c->prev) c->prev->next = c->next;
  else p->chains = c->next;
  if (c->next) c->next->prev = c->prev;
  if (!c->failed && c->poll == c->src->polls_200) {
    struct job *j = calloc(1, sizeof *j);
    if (j) { /* else not kept: the next poll is unconditional */
      j->src = c->src;
      j->set_validators = true;
      j->etag = c->etag;
      j->last_modified = c->last_modified;
      c->etag = c->last_modified = NULL;
      submit(p, j);
    }
  }
  free(c->etag);
  free(c->last_modified);
  free(c);
}

/* Hands the pages a committed job asked for to the crawler, each URL once
 * while it is in flight, counting them in chain c (may be NULL). */
static void request_pages(struct mw_pipeline *p, struct job *j,
                          struct chain *c) {
  if (c && j->left_out) c->failed = true;
  while (j->requests) {
    struct page_ctx *r = j->requests;
    j->requests = r->next;
    r->next = r->prev = NULL;
    const struct page_ctx *twin =
        set_has(&p->inflight, r->url)
            ? p->inflight.slot[set_find(&p->inflight, r->url)]
            : NULL;
    if (!p->crawler || twin || !set_add(&p->inflight, r)) {
      /* Already in flight for another chain, which stores it at a time
       * this one cannot tell; in flight for this chain (an article a
       * listing shows on each of its pages), it is counted already. */
      if (c && (!twin || twin->chain != c)) c->failed = true;
      mw_page_free(r);
      continue;
    }
    r->next = p->outstanding;
    if (p->outstanding) p->outstanding->prev = r;
    p->outstanding = r;
    if (c) {
      r->chain = c;
      c->pending++;
    }
    if (mw_crawler_fetch_page(p->crawler, &j->src->crawl, r->url, r) != MW_OK) {
      /* The crawler is closing: the page is fetched at the next poll. */
      p->outstanding = r->next;
      if (r->next) r->next->prev = NULL;
      set_del(&p->inflight, r);
      mw_page_free(r);
      if (c) {
        c->failed = true;
        c->pending--; /* never 0 here: the caller holds c */
      }
    }
  }
}

/* The source's validators in memory, which the crawler sends with its next
 * poll. */
static void set_validators(struct mw_cli_source *src, const char *etag,
                           const char *last_modified) {
  replace(&src->etag, etag);
  replace(&src->last_modified, last_modified);
  src->crawl.etag = src->etag;
  src->crawl.last_modified = src->last_modified;
}

/* A stored poll: its validators in memory as record_poll wrote them to the
 * store, and the chain its requests start (NULL if none is tracked). */
static struct chain *poll_done(struct mw_pipeline *p, struct job *j) {
  if (j->status != MW_FETCH_OK || j->unusable) return NULL;
  if (!j->n_requests) {
    set_validators(j->src, j->etag, j->last_modified);
    return NULL;
  }
  set_validators(j->src, NULL, NULL);
  return chain_new(p, j);
}

/* Once no job is left, the worker goes and whoever waits for the drain is
 * told. */
void mw_pipeline_check_drained(struct mw_pipeline *p) {
  if (p->in_worker) return;
  mw_pipeline_worker_stop(p);
  if (p->on_drained) {
    void (*cb)(void *) = p->on_drained;
    p->on_drained = NULL;
    cb(p->drained_user);
  }
}

/* Takes back jobs whose transaction is over: counts, summaries, the
 * pages they asked for, the chains of pages and the sources' validators. */
void mw_pipeline_jobs_done(struct mw_pipeline *p, struct job *j) {
  while (j) {
    struct job *next = j->next;
    bool stored = j->stored;
    if (!stored && !p->store_error[0])
      snprintf(p->store_error, sizeof p->store_error, "%s",
               j->store_error ? j->store_error
                              : "the store could not be written");
    if (j->set_validators) {
      /* Polls of the source that came since are taken back after this
       * job, and set their own. */
      if (stored) set_validators(j->src, j->etag, j->last_modified);
      job_free(j);
      p->in_worker--;
      j = next;
      continue;
    }
    struct chain *c = j->page ? j->page->chain : NULL;
    if (c && (!stored || j->status != MW_FETCH_OK || j->unusable))
      c->failed = true;
    if (stored) {
      p->new_articles += j->new_articles;
      p->n_alerted += j->alerted;
      /* Counted under other rules before a reload: not comparable. */
      if (j->topic_hits && j->n_topic_hits == p->n_topics)
        for (size_t t = 0; t < p->n_topics; t++)
          p->topic_matches[t] += j->topic_hits[t];
      if (!j->page) {
        c = poll_done(p, j);
        j->src->first_fetch = j->first_fetch;
        j->src->floor_s = j->floor_s;
        if (j->interval_s > 0) j->src->crawl.interval_s = j->interval_s;
      }
      request_pages(p, j, c);
    }
    summarise(p, j, stored);
    if (j->page) set_del(&p->inflight, j->page);
    job_free(j);
    p->in_worker--;
    /* This page's count, or the poll's hold, once its requests are out. */
    if (c) chain_release(p, c);
    j = next;
  }
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
  mw_pipeline_txn_end(p, rc, &err, j);
  free(results);
  p->in_worker++;
  mw_pipeline_jobs_done(p, j);
  mw_pipeline_check_drained(p);
}

static char *dup_or_null(const char *s) { return s ? mw_strdup(s) : NULL; }

void mw_pipeline_on_fetch(const struct mw_fetch_result *res, void *user) {
  struct mw_pipeline *p = user;
  struct mw_cli_source *src = res->source->user;
  struct job *j = calloc(1, sizeof *j);
  if (!j) return; /* the source stays due and is polled again */
  j->src = src;
  if (!res->page) {
    j->conditional = src->crawl.etag || src->crawl.last_modified;
    /* A newer 200 supersedes the chains older ones started. */
    if (res->status == MW_FETCH_OK) j->poll = ++src->polls_200;
  }
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
  j->moved_to = dup_or_null(res->moved_to);
  j->max_age_s = res->max_age_s;
  if (!res->page) {
    j->adaptive = src->adaptive;
    j->base_s = src->base_s;
    j->first_fetch = src->first_fetch ? src->first_fetch : j->when;
    j->floor_s = src->floor_s;
  }
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
  submit(p, j);
}

void mw_pipeline_drain(struct mw_pipeline *p, void (*done)(void *),
                       void *user) {
  p->on_drained = done;
  p->drained_user = user;
  mw_pipeline_check_drained(p);
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

void mw_pipeline_set_alerts(struct mw_pipeline *p, struct mw_alerts *a,
                            void (*on_alerted)(void *user), void *user) {
  p->alerts = a;
  p->on_alerted = on_alerted;
  p->alerted_user = user;
}

int64_t mw_pipeline_alerted(const struct mw_pipeline *p) {
  return p->n_alerted;
}

const char *mw_pipeline_store_error(const struct mw_pipeline *p) {
  return p->store_error;
}
