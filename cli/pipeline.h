/*
 * pipeline.h (private to cli/): what happens to a fetched document, from
 * bytes to stored, matched articles, off the loop thread.
 *
 * The crawler's callback copies each fetch result into a job; jobs run on
 * the pipeline's worker thread in order, so the store has exactly one
 * writer, and are committed in transactions of several jobs: the articles
 * of a poll and the source's new fetch state (validators, next due time)
 * commit together, so a crash loses at most the transaction in flight and
 * a restart re-fetches it. What a job asks for (the pages of a listing)
 * is requested once it is committed. While too many fetched bodies wait,
 * the crawler is paused.
 */
#ifndef MW_CLI_PIPELINE_H
#define MW_CLI_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "common/common.h"
#include "crawler/crawler.h"
#include "matchers/matchers.h"
#include "store/store.h"

/* A source the daemon polls: the crawler's view plus the strings it owns.
 * Validators are replaced on the loop thread once the chain of pages a 200
 * started is complete (pipeline.c), and cleared while it is not. */
struct mw_cli_source {
  struct mw_crawl_source crawl;
  const struct mw_source_conf *conf; /* rules and limits; NULL if the
                                        source left the config */
  enum mw_tier tier;                 /* of its outlet */
  int media;                         /* enum mw_doc_kind: weighs
                                        sensitivity */
  const char *region;                /* of its outlet (the config's), the
                                        属地 of alerts naming no place */
  char *url;
  char *outlet;
  char *etag;
  char *last_modified;
  enum mw_source_kind kind;
  uint64_t polls_200; /* polls answered 200 so far, the loop thread's: a
                         chain of pages started by an older one no longer
                         writes validators */
  /* Adaptive interval (crawler.h, mw_crawl_adaptive_interval): the loop
   * thread's, copied into each poll's job and updated from it. */
  bool adaptive;       /* this source's interval adapts */
  int64_t base_s;      /* its configured poll */
  int64_t first_fetch; /* epoch s of its first poll, 0 never */
  int64_t floor_s;     /* the most the source itself asked to wait: a
                          feed's ttl or sy:updatePeriod, Cache-Control
                          max-age; learnt from its answers */
};

/* Outcome of one poll, kept for the summary. */
struct mw_poll_summary {
  int64_t source_id;
  char *outlet;
  char *url;
  enum mw_fetch_status status;
  long http_status;
  char *error;          /* fetch or parse problem, NULL when none */
  int64_t entries;      /* feed entries, listing links, sitemap entries */
  int64_t new_articles;
  int64_t pages;        /* article and listing pages fetched for it */
  int64_t pages_failed;
  int64_t attachments;  /* links to PDF, DOC, ... on a listing */
  bool recovered;       /* the feed was broken and partly recovered */
};

/* The article XPath rules a source's config gives (all NULL for none). */
void mw_cli_article_rules(const struct mw_source_conf *conf,
                          struct mw_article_rules *out);

struct mw_pipeline;

/* Creates a pipeline writing to store and matching with matcher (both
 * borrowed, must outlive it). */
int mw_pipeline_new(uv_loop_t *loop, const struct mw_config *cfg,
                    struct mw_store *store, const struct mw_matcher *matcher,
                    struct mw_pipeline **out, struct mw_err *err);
void mw_pipeline_free(struct mw_pipeline *p);
/* Switches to new rules (SIGHUP): documents from the next transaction on
 * are matched with m. The caller keeps owning every matcher: the one
 * replaced is handed to on_retired(old, user) once no thread uses it (at
 * once, or later from the loop). MW_EINVAL while a previous switch is
 * still being taken up; MW_ENOMEM. Per-topic totals start again at 0. */
int mw_pipeline_set_matcher(struct mw_pipeline *p,
                            const struct mw_matcher *m,
                            void (*on_retired)(const struct mw_matcher *old,
                                               void *user),
                            void *user);
/* Lets the pipeline ask c for the pages listings and sitemaps link to.
 * Without it those links are counted but not fetched. */
void mw_pipeline_set_crawler(struct mw_pipeline *p, struct mw_crawler *c);

struct mw_alerts;
/* Lets the worker raise alerts with engine a (used by the worker thread
 * only from now on; the caller keeps owning it). After each commit that
 * raised or updated an alert, on_alerted(user) is called on the worker
 * thread: it must be thread-safe and quick (kick the courier). */
void mw_pipeline_set_alerts(struct mw_pipeline *p, struct mw_alerts *a,
                            void (*on_alerted)(void *user), void *user);
/* Articles that raised or updated an alert so far. */
int64_t mw_pipeline_alerted(const struct mw_pipeline *p);

/* The crawler callback: user must be the pipeline; res->source->user must
 * point at the struct mw_cli_source. */
void mw_pipeline_on_fetch(const struct mw_fetch_result *res, void *user);

/* Calls done(user) once no job is queued or running (at once if idle). */
void mw_pipeline_drain(struct mw_pipeline *p, void (*done)(void *),
                       void *user);

/* Whether to keep one summary per poll (crawl --once, demo). The daemon
 * keeps only the totals, or its memory would grow with every poll. */
void mw_pipeline_keep_polls(struct mw_pipeline *p, bool keep);

/* Summary so far. Arrays owned by the pipeline, valid until the next job
 * finishes or the pipeline is freed. */
const struct mw_poll_summary *mw_pipeline_polls(const struct mw_pipeline *p,
                                                size_t *n);
/* Polls finished so far, kept or not. */
int64_t mw_pipeline_polls_done(const struct mw_pipeline *p);
/* New articles that matched topic i (mw_matcher_topic_name order). */
int64_t mw_pipeline_topic_matches(const struct mw_pipeline *p, size_t topic);
int64_t mw_pipeline_new_articles(const struct mw_pipeline *p);
/* First store error, if a transaction could not be written ("" otherwise). */
const char *mw_pipeline_store_error(const struct mw_pipeline *p);

#endif
