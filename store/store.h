/*
 * store.h: the SQLite store. Every SQL statement of mediawatch lives behind
 * this header, prepared with bound parameters.
 *
 * One file, WAL journal, a busy timeout, the schema version in
 * PRAGMA user_version with forward migrations applied on open. Writes are
 * grouped by the caller with mw_store_begin/mw_store_commit so a crash
 * loses at most the batch in flight. One writer per store handle; the
 * handle is not shared between threads.
 *
 * Strings passed in are copied into the database; structs handed out are
 * owned by the caller and freed with the matching _free.
 */
#ifndef MW_STORE_H
#define MW_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/common.h"

struct mw_store;

/* Opens (creating if needed) the database at path and brings its schema up
 * to date. A path that cannot be created or written fails with MW_EDB and a
 * message naming the path. Free with mw_store_close. */
int mw_store_open(const char *path, struct mw_store **out, struct mw_err *err);
void mw_store_close(struct mw_store *s);
/* The schema version this build writes (PRAGMA user_version). */
int mw_store_schema_version(void);

int mw_store_begin(struct mw_store *s, struct mw_err *err);
int mw_store_commit(struct mw_store *s, struct mw_err *err);
void mw_store_rollback(struct mw_store *s);

/* ------------------------------------------------------- outlets, sources */

/* Makes the stored outlets and sources agree with the config: outlets by
 * name (tier and region updated), sources by URL (outlet, kind and interval
 * updated, fetch state kept). Sources no longer in the config are marked
 * inactive, not deleted, so their articles keep their history. */
int mw_store_sync_config(struct mw_store *s, const struct mw_config *cfg,
                         struct mw_err *err);

/* A source with its fetch state. Strings malloc'd; free the array with
 * mw_store_sources_free. */
struct mw_source_state {
  int64_t id;
  int64_t outlet_id;
  char *outlet_name;
  char *url;
  enum mw_source_kind kind;
  int64_t poll_interval_s;
  char *etag;          /* validators of the last 200, may be NULL */
  char *last_modified;
  int64_t next_due;    /* epoch s, 0 = never polled */
  int64_t consecutive_failures;
  char *last_error;    /* NULL after a success */
  int64_t last_fetch;  /* epoch s of the last attempt, 0 = never */
  int64_t last_ok;     /* epoch s of the last success, 0 = never */
  int64_t last_status; /* HTTP status of the last attempt, 0 = none */
};

/* Active sources, ordered by id. */
int mw_store_list_sources(struct mw_store *s, struct mw_source_state **out,
                          size_t *n, struct mw_err *err);
void mw_store_sources_free(struct mw_source_state *arr, size_t n);

/* Records the outcome of one poll of source id: ok (2xx or 304) or failed
 * with error text. etag/last_modified are written only when
 * update_validators is true (a 200), so a 304 keeps the stored ones. */
struct mw_fetch_record {
  int64_t source_id;
  int64_t when;          /* epoch s */
  bool ok;
  long http_status;
  const char *error;     /* NULL when ok */
  bool update_validators;
  const char *etag;
  const char *last_modified;
  int64_t next_due;
  int64_t consecutive_failures;
  int64_t new_articles;  /* stored by this poll */
};

int mw_store_record_fetch(struct mw_store *s, const struct mw_fetch_record *r,
                          struct mw_err *err);

/* -------------------------------------------------------------- articles */

/* An article to store. url must already be canonical (mw_url_canonicalize).
 * Any string but url may be NULL. */
struct mw_article {
  int64_t source_id;
  const char *url;
  const char *guid;
  const char *title;
  const char *author;
  const char *origin;  /* the outlet named by 来源 / ContentSource */
  const char *text;
  int64_t published;   /* epoch s or MW_TIME_UNKNOWN */
  int64_t fetched;     /* epoch s */
  /* Reprints, decided at insert (both may be left 0): when simhash (the
   * body's mw_simhash) is not 0, a new article is stored with it and joins
   * the cluster of its nearest stored neighbour within cluster_distance
   * bits (0..MW_STORE_CLUSTER_MAX_DISTANCE), or a new cluster, exactly as
   * mw_store_cluster_article would, but with the row written once. 0
   * leaves the article unhashed (mw_store_cluster_article may hash it). */
  uint64_t simhash;
  int cluster_distance;
};

/* Inserts a if no article with its URL exists. *id receives the article's
 * id either way; *inserted tells which. An article already stored is left
 * as it is, its cluster too. MW_EINVAL for a cluster_distance out of
 * range when simhash is set. */
int mw_store_add_article(struct mw_store *s, const struct mw_article *a,
                         int64_t *id, bool *inserted, struct mw_err *err);

/* Records that article_id matched topic, with the terms that hit (a short
 * text such as "无废城市,无废细胞"). Idempotent per (article, topic). */
int mw_store_add_match(struct mw_store *s, int64_t article_id,
                       const char *topic, const char *terms,
                       struct mw_err *err);

/* Whether an article with this canonical URL is stored. */
int mw_store_article_exists(struct mw_store *s, const char *url, bool *exists,
                            struct mw_err *err);

/* Records a link of a listing page to a non-HTML file (PDF, DOC, image)
 * once per URL; *inserted (may be NULL) tells whether it was new. */
int mw_store_add_attachment(struct mw_store *s, int64_t source_id,
                            const char *url, const char *text, int64_t when,
                            bool *inserted, struct mw_err *err);
int mw_store_count_attachments(struct mw_store *s, int64_t source_id,
                               int64_t *n, struct mw_err *err);

/* -------------------------------------------------------------- rematch */

/* An article read back for matching again. Strings are valid only during
 * the callback. */
struct mw_stored_article {
  int64_t id;
  const char *url, *title, *text, *origin; /* any may be NULL */
  const char *outlet;   /* the publishing outlet's name */
  enum mw_tier tier;
  int64_t counted_at;   /* publication time, else first seen */
  const char *topics;   /* topics recorded now, separated by '\x1f'; NULL
                           when none: test with mw_store_topics_has */
};

/* Calls fn for every article counted at or after since, in id order; a
 * non-zero return from fn stops the walk and is returned. fn may write to
 * the store (matches) through the same handle. */
typedef int (*mw_store_article_fn)(const struct mw_stored_article *a,
                                   void *user);
int mw_store_each_article(struct mw_store *s, int64_t since,
                          mw_store_article_fn fn, void *user,
                          struct mw_err *err);
/* Whether a mw_stored_article.topics list holds topic. */
bool mw_store_topics_has(const char *topics, const char *topic);
/* Forgets every topic match of an article (before recording new ones). */
int mw_store_clear_matches(struct mw_store *s, int64_t article_id,
                           struct mw_err *err);

/* Counts for summaries and tests. */
int mw_store_count_articles(struct mw_store *s, int64_t *n,
                            struct mw_err *err);

/* The earliest and latest coverage time (publication, else first seen) of
 * all articles; both MW_TIME_UNKNOWN when there are none. */
int mw_store_article_time_range(struct mw_store *s, int64_t *min,
                                int64_t *max, struct mw_err *err);

/* -------------------------------------------------------------- coverage */

/* One cell of the coverage table: how many articles of an outlet fell in
 * the period and matched the topic. topic NULL is the row of all articles
 * of the outlet, whatever they matched. */
struct mw_coverage_cell {
  char *outlet;
  enum mw_tier tier;
  char *topic; /* NULL = all articles */
  int64_t count;
};

struct mw_coverage {
  int64_t from, to; /* [from, to) epoch s */
  struct mw_coverage_cell *cells;
  size_t n_cells;
};

/* Articles whose publication time (or, when unknown, first-seen time) lies
 * in [from, to), counted per publishing outlet and topic. Only outlets and
 * topics with at least one article appear: the report fills in the zeros
 * from the config. Free with mw_coverage_free. */
int mw_store_coverage(struct mw_store *s, int64_t from, int64_t to,
                      struct mw_coverage **out, struct mw_err *err);
void mw_coverage_free(struct mw_coverage *c);

/* The same table counted by article (per_cluster false, what
 * mw_store_coverage does) or by story (per_cluster true): the articles of
 * one reprint cluster count once per outlet and topic, an article in no
 * cluster counts as a story of its own. Free with mw_coverage_free. */
int mw_store_coverage_ex(struct mw_store *s, int64_t from, int64_t to,
                         bool per_cluster, struct mw_coverage **out,
                         struct mw_err *err);

/* ------------------------------------------------------- reprint clusters */

/* The banded index finds every stored hash within this many bits (4 bands
 * of 16 bits: hashes 3 bits apart share a band). MW_SIMHASH_SAME_STORY
 * (matchers/matchers.h) must not exceed it. */
#define MW_STORE_CLUSTER_MAX_DISTANCE 3

/* Stores simhash (mw_simhash of the article's body) for article_id and puts
 * the article in the cluster of its nearest stored neighbour within
 * max_distance bits (0..MW_STORE_CLUSTER_MAX_DISTANCE), or in a new
 * cluster of its own. Hash 0 (text too short) puts it in no cluster: it
 * counts as a story of its own. Calling it again with the same hash
 * changes nothing; with another hash moves the article (a cluster left
 * empty is deleted). Clusters are never merged: an article close to two
 * clusters joins the nearer (then the older).
 *
 * The cluster's original is updated on every join: among the members whose
 * publishing outlet is named by some member's origin (来源), the earliest;
 * when there is none, the earliest member. Earliest is by coverage time
 * (published, else first seen), then id. MW_ENOTFOUND when no article has
 * that id, MW_EINVAL for a distance out of range. */
int mw_store_cluster_article(struct mw_store *s, int64_t article_id,
                             uint64_t simhash, int max_distance,
                             struct mw_err *err);

/* A reprint cluster: one story and every outlet that carried it. Strings
 * and the outlets array are malloc'd; free the array of clusters with
 * mw_store_clusters_free. */
struct mw_cluster {
  int64_t id;
  int64_t original_article_id;
  char *title;           /* the original's title; may be NULL */
  /* The original's publishing outlet when some member's 来源 names it;
   * else the 来源 most members name (an outlet that may not be watched,
   * such as 新华社); else the original's publishing outlet. */
  char *original_outlet;
  int64_t first_seen;    /* epoch s: earliest coverage time of a member */
  int64_t article_count; /* members, all time */
  int64_t outlet_count;  /* distinct publishing outlets, all time */
  /* Publishing outlets of the members, the original's first, then by the
   * time each first carried the story, then by name. */
  char **outlets;
  size_t n_outlets;
};

/* Clusters with at least one member whose coverage time lies in
 * [from, to), by reach: outlet_count, then article_count, descending, then
 * first_seen and id. Counts and outlets cover the whole cluster, not only
 * the period. At most limit clusters; 0 means no limit. */
int mw_store_top_clusters(struct mw_store *s, int64_t from, int64_t to,
                          size_t limit, struct mw_cluster **out, size_t *n,
                          struct mw_err *err);
void mw_store_clusters_free(struct mw_cluster *arr, size_t n);

#endif
