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

#include "cli/pipeline.h"

struct job {
  struct mw_cli_source *src;
  /* the fetch, copied out of the crawler's callback */
  enum mw_fetch_status status;
  long http_status;
  char *error;
  char *body;
  size_t body_len;
  char *charset;
  char *etag;
  char *last_modified;
  char *final_url;
  int64_t next_due, failures, when;
  /* what the worker made of it */
  int64_t entries, new_articles;
  bool recovered;
  bool unusable; /* fetched, but nothing resembling a feed */
  char *problem;
  int64_t *topic_hits;
  struct job *next;
};

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
};

static void job_free(struct job *j) {
  if (!j) return;
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
  p->work.data = p;
  *out = p;
  return MW_OK;
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
  free(p);
}

/* ---------------------------------------------------------- the worker */

/* The key an entry is stored under: its canonical link, else its id when
 * the id is itself a web address. */
static char *entry_url(const struct mw_feed_entry *e, const char *base) {
  char *url = NULL;
  if (e->link && mw_url_canonicalize(e->link, base, &url, NULL) == MW_OK)
    return url;
  if (e->id && mw_url_is_http(e->id) &&
      mw_url_canonicalize(e->id, NULL, &url, NULL) == MW_OK)
    return url;
  return NULL;
}

static int store_entry(struct mw_pipeline *p, struct job *j,
                       const struct mw_feed_entry *e, const char *url,
                       struct mw_topic_result *results, struct mw_err *err) {
  struct mw_article a = {
      .source_id = j->src->crawl.id,
      .url = url,
      .guid = e->id,
      .title = e->title,
      .author = e->author,
      .text = e->text,
      .published = e->published != MW_TIME_UNKNOWN ? e->published : e->updated,
      .fetched = j->when,
  };
  int64_t id;
  bool inserted;
  int rc = mw_store_add_article(p->store, &a, &id, &inserted, err);
  if (rc || !inserted) return rc;
  j->new_articles++;
  struct mw_doc doc = {
      .title = {e->title, e->title ? strlen(e->title) : 0},
      .body = {e->text, e->text ? strlen(e->text) : 0},
  };
  struct mw_err merr;
  if (mw_matcher_match(p->matcher, &doc, results, &merr) < 0) return MW_OK;
  for (size_t t = 0; t < p->n_topics; t++) {
    if (!results[t].matched) continue;
    rc = mw_store_add_match(p->store, id, mw_matcher_topic_name(p->matcher, t),
                            results[t].terms, err);
    if (rc) return rc;
    j->topic_hits[t]++;
  }
  return MW_OK;
}

static int process_feed(struct mw_pipeline *p, struct job *j,
                        struct mw_topic_result *results, struct mw_err *err) {
  struct mw_feed *feed = NULL;
  struct mw_err perr;
  int offset = mw_tz_offset_at(p->cfg->tz, j->when);
  int rc = mw_feed_parse(j->body, j->body_len, j->charset, j->final_url,
                         offset, NULL, &feed, &perr);
  if (rc) {
    /* A broken document is the source's problem, not the batch's. */
    j->problem = mw_strdup(perr.msg);
    j->unusable = true;
    return MW_OK;
  }
  j->entries = (int64_t)feed->n_entries;
  j->recovered = feed->recovered;
  size_t skipped = 0;
  for (size_t i = 0; i < feed->n_entries && rc == MW_OK; i++) {
    const struct mw_feed_entry *e = &feed->entries[i];
    char *url = entry_url(e, j->final_url);
    if (!url) {
      skipped++;
      continue;
    }
    rc = store_entry(p, j, e, url, results, err);
    free(url);
  }
  if (rc == MW_OK && (skipped || feed->recovered)) {
    struct mw_buf b;
    mw_buf_init(&b, 1024);
    if (feed->recovered)
      mw_buf_printf(&b, "feed not well-formed, recovered %zu entries",
                    feed->n_entries);
    if (skipped)
      mw_buf_printf(&b, "%s%zu entries without a usable link skipped",
                    b.len ? "; " : "", skipped);
    j->problem = mw_buf_steal(&b);
  }
  mw_feed_free(feed);
  return rc;
}

static int process_job(struct mw_pipeline *p, struct job *j,
                       struct mw_topic_result *results, struct mw_err *err) {
  int rc = MW_OK;
  if (j->status == MW_FETCH_OK) {
    if (j->src->kind == MW_SOURCE_FEED) {
      rc = process_feed(p, j, results, err);
    } else {
      j->problem = mw_strdup("this source kind is not crawled yet");
    }
    if (rc) return rc;
  }
  bool ok = (j->status == MW_FETCH_OK && !j->unusable) ||
            j->status == MW_FETCH_NOT_MODIFIED;
  if (j->unusable) j->failures++;
  struct mw_fetch_record r = {
      .source_id = j->src->crawl.id,
      .when = j->when,
      .ok = ok,
      .http_status = j->http_status,
      .error = j->error ? j->error : j->problem,
      .update_validators = j->status == MW_FETCH_OK && !j->unusable,
      .etag = j->etag,
      .last_modified = j->last_modified,
      .next_due = j->next_due,
      .consecutive_failures = j->failures,
      .new_articles = j->new_articles,
  };
  return mw_store_record_fetch(p->store, &r, err);
}

static void run_batch(uv_work_t *w) {
  struct mw_pipeline *p = w->data;
  struct mw_err err = {0};
  struct mw_topic_result *results =
      calloc(p->n_topics ? p->n_topics : 1, sizeof *results);
  int rc = results ? mw_store_begin(p->store, &err)
                   : mw_err_set(&err, MW_ENOMEM, "out of memory");
  for (struct job *j = p->batch; j && rc == MW_OK; j = j->next)
    rc = process_job(p, j, results, &err);
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

static void summarise(struct mw_pipeline *p, struct job *j, bool stored) {
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
  const char *why = j->error ? j->error : j->problem;
  if (!stored) why = p->batch_error;
  s->error = why ? mw_strdup(why) : NULL;
}

static void start_batch(struct mw_pipeline *p);

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
      if (j->status == MW_FETCH_OK && !j->unusable) {
        /* The next poll is conditional on what this 200 said. */
        replace(&j->src->etag, j->etag);
        replace(&j->src->last_modified, j->last_modified);
        j->src->crawl.etag = j->src->etag;
        j->src->crawl.last_modified = j->src->last_modified;
      }
    }
    summarise(p, j, stored);
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
  j->status = res->status;
  j->http_status = res->http_status;
  j->error = dup_or_null(res->error);
  j->charset = dup_or_null(res->charset);
  j->etag = dup_or_null(res->etag);
  j->last_modified = dup_or_null(res->last_modified);
  j->final_url = dup_or_null(res->final_url ? res->final_url : src->url);
  j->next_due = res->source->next_due;
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
