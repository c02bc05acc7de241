/*
 * pipeline_int.h (private to cli/pipeline*.c): the job that carries one
 * fetch result from the loop thread to the worker and back, and the page
 * requests a job makes (articles found on a listing, its next page, the
 * children of a sitemap index); the pipeline itself, which the loop side
 * (pipeline.c) and the worker thread (pipeline_worker.c) share, and the
 * few calls each makes into the other.
 */
#ifndef MW_CLI_PIPELINE_INT_H
#define MW_CLI_PIPELINE_INT_H

#include "cli/pipeline.h"

/* Pages a listing or sitemap poll may ask for, so one poll of a busy
 * portal stays polite and bounded. */
#define MW_PIPELINE_MAX_ARTICLES_PER_POLL 200
#define MW_PIPELINE_MAX_CHILD_SITEMAPS 50

enum page_kind { PAGE_ARTICLE, PAGE_LISTING, PAGE_SITEMAP };

/* The work one 200 of a listing or sitemap started: its pages, the pages
 * those asked for, and so on. The poll's validators are written only once
 * every one of them is stored or known (pipeline.c says why). Loop thread
 * only. */
struct chain {
  struct mw_cli_source *src;
  uint64_t poll;         /* src->polls_200 of the poll that started it */
  char *etag;            /* the poll's validators (malloc'd, may be NULL) */
  char *last_modified;
  size_t pending;        /* pages handed to the crawler and not taken back,
                            plus one while a job's requests are handed */
  bool failed;           /* a page failed, was dropped or left out */
  struct chain *prev, *next; /* the pipeline's chains */
};

/* A page fetched on a source's behalf. Owned by the job that asked for it
 * until the crawler takes it, then by the pipeline's outstanding list,
 * then by the job of its result. */
struct page_ctx {
  enum page_kind kind;
  char *url;         /* both strings live in the struct's allocation */
  char *link_text;   /* the anchor text or sitemap title, may be NULL */
  int64_t link_date; /* printed beside the link, or MW_TIME_UNKNOWN */
  int depth;         /* listing pages: 0 is the source itself */
  bool recover;      /* listing pages: follow the next page even when this
                        one has no new links (see process_listing) */
  struct chain *chain; /* the loop thread's; NULL when not tracked */
  struct page_ctx *prev, *next;
};

struct job {
  struct mw_cli_source *src;
  struct page_ctx *page; /* NULL for a poll of the source itself */
  /* Not a fetch: writes etag and last_modified, the validators of a
   * completed chain, to the source (page is NULL, no body). */
  bool set_validators;
  bool conditional;      /* a poll sent with validators */
  uint64_t poll;         /* a poll's 200: src->polls_200 counting it */
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
  char *moved_to;        /* a permanent redirect's target, may be NULL */
  int64_t max_age_s;     /* Cache-Control max-age, 0 none */
  /* a poll's adaptive interval: the source's state going in, the new one
   * coming out (interval_s 0: unchanged) */
  bool adaptive;
  int64_t base_s, first_fetch, floor_s;
  int64_t interval_s;
  /* what the worker made of it */
  int64_t entries;      /* feed entries, listing links, sitemap entries */
  int64_t new_articles;
  int64_t alerted;      /* new articles that raised or updated an alert */
  int64_t attachments;
  bool recovered;
  bool unusable;        /* fetched, but nothing usable in it */
  char *problem;
  int64_t *topic_hits;  /* per topic of the rules the worker used */
  size_t n_topic_hits;
  struct page_ctx *requests; /* to fetch once the job is committed */
  size_t n_requests;
  bool left_out;        /* links found and not asked for (the per-poll
                           cap, out of memory): the chain is not whole */
  /* how its transaction ended */
  bool stored;
  char *store_error; /* why it was not stored (malloc'd; may be NULL) */
  struct job *next;
};

/* What the worker reads; the store is written by this worker only. */
struct work_ctx {
  const struct mw_config *cfg;
  struct mw_store *store;
  const struct mw_matcher *matcher;
  size_t n_topics;
  struct mw_topic_result *results; /* n_topics entries, scratch */
  struct mw_alerts *alerts;        /* NULL: no alerts raised */
  bool alerted;                    /* this transaction touched an alert */
  /* The config's mention and `each` terms of targets, each once, borrowed
   * from cfg (the array is the worker's): every new article's are
   * recorded in the mentions index (store.h). */
  const char **mentions;
  size_t n_mentions;
};

/* Processes one job inside the open transaction: parses, extracts,
 * stores, matches, records the poll. Returns a store error only; problems
 * of the document are recorded on the job. */
int mw_pipeline_work(struct work_ctx *w, struct job *j, struct mw_err *err);

struct page_ctx *mw_page_new(enum page_kind kind, const char *url,
                             const char *text, int64_t date, int depth);
void mw_page_free(struct page_ctx *p);

/* The pages asked for and not done with yet, so each URL is fetched once
 * while in flight: an open-addressing set of the requests themselves,
 * keyed by their URL (linear probing, deletion by backward shift). A busy
 * crawl holds thousands, so an entry is one pointer. */
struct url_set {
  struct page_ctx **slot; /* cap entries, NULL when free */
  size_t cap, n;          /* cap a power of two, n at most cap / 2 */
};

/* The worker thread (pipeline_worker.c); its fields are its own. */
struct worker;

/* Every field is the loop thread's, but for cfg, store and matcher, which
 * the worker reads while it runs. */
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
  struct chain *chains;         /* not complete yet */
  /* Backpressure: over held_max bytes of bodies queued or being processed
   * the crawler is paused; it resumes at half of it. */
  size_t held_max;
  bool paused_crawler;
  /* Set before the worker starts; then read by the worker only. */
  struct mw_alerts *alerts;
  void (*on_alerted)(void *user);
  void *alerted_user;
  int64_t n_alerted; /* articles of stored jobs that touched an alert */
};

/* pipeline_worker.c, all called on the loop thread. */
/* The backpressure bound for cfg's transfer slots, in bytes. */
size_t mw_pipeline_held_max(const struct mw_config *cfg);
/* Starts p->worker; false when the system refuses a thread. */
bool mw_pipeline_worker_start(struct mw_pipeline *p);
/* Joins the idle worker, retires the rules it holds, sets p->worker NULL. */
void mw_pipeline_worker_stop(struct mw_pipeline *p);
/* Joins a worker whose loop is no longer run and frees it with the jobs
 * it still holds; does nothing without one. */
void mw_pipeline_worker_free(struct mw_pipeline *p);
/* Hands reloaded rules to the worker; false while it has not taken up the
 * previous ones. */
bool mw_pipeline_worker_offer(struct worker *w, const struct mw_matcher *m);
/* Queues j (now the worker's) and counts its body as held. */
void mw_pipeline_worker_queue(struct worker *w, struct job *j);
/* Pauses or resumes the crawler by the bytes the worker holds. */
void mw_pipeline_backpressure(struct mw_pipeline *p);
/* Commits the transaction of the jobs from head, or rolls it back when rc
 * is an error, and marks each job stored or not. */
void mw_pipeline_txn_end(struct mw_pipeline *p, int rc, struct mw_err *err,
                         struct job *head);

/* pipeline.c, on the loop thread. */
/* Hands rules no longer used (may be NULL) to the on_retired callback. */
void mw_pipeline_retire(struct mw_pipeline *p, const struct mw_matcher *m);
/* Takes back (and frees) jobs whose transaction is over. */
void mw_pipeline_jobs_done(struct mw_pipeline *p, struct job *j);
/* Stops the worker and tells the drain waiter once no job is left. */
void mw_pipeline_check_drained(struct mw_pipeline *p);
/* Frees a list of jobs that will not be taken back. */
void mw_pipeline_jobs_free(struct job *j);

#endif
