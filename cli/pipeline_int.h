/*
 * pipeline_int.h (private to cli/pipeline*.c): the job that carries one
 * fetch result from the loop thread to the worker and back, and the page
 * requests a job makes (articles found on a listing, its next page, the
 * children of a sitemap index).
 */
#ifndef MW_CLI_PIPELINE_INT_H
#define MW_CLI_PIPELINE_INT_H

#include "cli/pipeline.h"

/* Pages a listing or sitemap poll may ask for, so one poll of a busy
 * portal stays polite and bounded. */
#define MW_PIPELINE_MAX_ARTICLES_PER_POLL 200
#define MW_PIPELINE_MAX_CHILD_SITEMAPS 50

enum page_kind { PAGE_ARTICLE, PAGE_LISTING, PAGE_SITEMAP };

/* A page fetched on a source's behalf. Owned by the job that asked for it
 * until the crawler takes it, then by the pipeline's outstanding list,
 * then by the job of its result. */
struct page_ctx {
  enum page_kind kind;
  char *url;         /* both strings live in the struct's allocation */
  char *link_text;   /* the anchor text or sitemap title, may be NULL */
  int64_t link_date; /* printed beside the link, or MW_TIME_UNKNOWN */
  int depth;         /* listing pages: 0 is the source itself */
  struct page_ctx *prev, *next;
};

struct job {
  struct mw_cli_source *src;
  struct page_ctx *page; /* NULL for a poll of the source itself */
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
  int64_t entries;      /* feed entries, listing links, sitemap entries */
  int64_t new_articles;
  int64_t attachments;
  bool recovered;
  bool unusable;        /* fetched, but nothing usable in it */
  char *problem;
  int64_t *topic_hits;  /* per topic of the rules the worker used */
  size_t n_topic_hits;
  struct page_ctx *requests; /* to fetch once the job is committed */
  size_t n_requests;
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
};

/* Processes one job inside the open transaction: parses, extracts,
 * stores, matches, records the poll. Returns a store error only; problems
 * of the document are recorded on the job. */
int mw_pipeline_work(struct work_ctx *w, struct job *j, struct mw_err *err);

struct page_ctx *mw_page_new(enum page_kind kind, const char *url,
                             const char *text, int64_t date, int depth);
void mw_page_free(struct page_ctx *p);

#endif
