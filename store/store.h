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
  /* Source health (schema 8). */
  int64_t interval_s;  /* the adaptive interval in force; 0 = none worked
                          out yet (poll_interval_s applies) */
  char *interval_why;  /* how it was worked out, may be NULL */
  char *moved_to;      /* a permanent redirect's target, NULL when the last
                          poll was not permanently redirected */
  int64_t moved_since; /* first poll that saw moved_to, 0 = none */
  int64_t first_fetch; /* epoch s of the first poll ever, 0 = never */
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
  /* Source health (schema 8): what a 200 yielded, the permanent redirect
   * it followed, the interval worked out after it. */
  bool links_known;      /* links below is meaningful (a usable 200) */
  int64_t links;         /* feed entries, listing article links (its
                            first page), sitemap entries */
  const char *moved_to;  /* the URL 301/308s led to, NULL: not moved */
  int64_t interval_s;    /* adaptive interval now in force, 0: unchanged */
  const char *interval_why; /* with interval_s: how it was worked out */
};

int mw_store_record_fetch(struct mw_store *s, const struct mw_fetch_record *r,
                          struct mw_err *err);
/* Writes the validators of source id alone (NULL clears one), leaving the
 * rest of its fetch state and the fetch log as they are: the crawl keeps a
 * 200's validators only once every page that poll asked for is stored,
 * which is later than the poll's own record (cli/pipeline.c).
 * MW_ENOTFOUND when no source has that id. */
int mw_store_set_validators(struct mw_store *s, int64_t source_id,
                            const char *etag, const char *last_modified,
                            struct mw_err *err);

/* --------------------------------------------------------- source health
 *
 * What each source's health is judged on (health/health.h): the fetch log
 * (outcomes, links per 200), the shape of its new articles (one narrow row
 * each, written with the article), when it published, and the problems
 * found so far with whether the admins were told. */

/* What one new article looked like. */
#define MW_QUALITY_TITLE 1u  /* a title */
#define MW_QUALITY_DATE 2u   /* a publication time from the page or feed */
#define MW_QUALITY_ORIGIN 4u /* a 来源 / ContentSource */
#define MW_QUALITY_BODY 8u   /* a body of at least health.body_min chars */
struct mw_article_quality {
  int64_t article_id;
  int64_t source_id;
  int64_t fetched;   /* epoch s */
  unsigned flags;    /* MW_QUALITY_* */
  int64_t chars;     /* non-ASCII characters of title and body */
  int64_t odd_chars; /* of which implausible (mw_text_oddities) */
};
/* Records q (once per article; a second call for the same id replaces
 * it). Call in the transaction that stored the article. */
int mw_store_add_quality(struct mw_store *s, const struct mw_article_quality *q,
                         struct mw_err *err);

/* Shares over a run of a source's newest articles (by id). */
struct mw_quality_window {
  int64_t articles;
  int64_t with_title, with_date, with_origin, with_body;
  int64_t chars, odd_chars;   /* summed */
  int64_t newest_fetched;     /* fetched time of the newest, 0: none */
  int64_t oldest_fetched;     /* fetched time of the oldest, 0: none */
  char *example_url;          /* the article with the most odd characters
                                 (the newest when none is odd); NULL when
                                 the window is empty */
  char *example_title;        /* its title, may be NULL */
};

/* One poll from the fetch log, newest first. */
struct mw_poll_rec {
  int64_t when;
  bool ok;
  long http_status;
  char *error;          /* NULL when ok */
  int64_t links;        /* -1: not recorded (not a usable 200) */
  int64_t new_articles;
};

/* Everything the health of one source is judged on. Free with
 * mw_source_history_free (the struct itself is the caller's). */
struct mw_source_history {
  struct mw_poll_rec *polls;  /* newest first, at most MW_HISTORY_POLLS */
  size_t n_polls;
  struct mw_quality_window recent;   /* newest recent_n articles */
  struct mw_quality_window baseline; /* the MW_HISTORY_BASELINE before */
  int64_t *published;   /* counted_at (published, else first seen) of the
                           articles counted since pub_since, ascending */
  size_t n_published;
  int64_t last_new;     /* fetched time of the newest article, 0: none */
  int64_t failing_since;/* the first failed poll after the last ok one (the
                           first poll ever when none was ok); 0: the last
                           poll was ok or none was made */
  /* Article pages that yielded no article (mw_store_page_failed) since the
   * oldest article of the recent window (ever, when it is empty), each URL
   * once and only while it is still not stored; the newest as example. */
  int64_t pages_failed;
  char *failed_url, *failed_reason; /* NULL when none */
};
#define MW_HISTORY_POLLS 50
#define MW_HISTORY_BASELINE 100
/* Reads source_id's history: its polls, the newest recent_n articles and
 * the MW_HISTORY_BASELINE before them, the publication times since
 * pub_since (at most 10,000, the newest). MW_ENOTFOUND for an unknown id. */
int mw_store_source_history(struct mw_store *s, int64_t source_id,
                            size_t recent_n, int64_t pub_since,
                            struct mw_source_history *out, struct mw_err *err);
void mw_source_history_free(struct mw_source_history *h);

/* Records that an article page of source_id yielded no article at now:
 * its fetch failed, or nothing could be extracted (reason says which, may
 * be NULL). One row per URL, the latest; a source keeps its newest 100.
 * A page stored later no longer counts. Call in the page's transaction. */
int mw_store_page_failed(struct mw_store *s, int64_t source_id,
                         const char *url, const char *reason, int64_t now,
                         struct mw_err *err);

/* The publication times (counted_at) of source_id's articles counted
 * since since, ascending, at most max (the newest): what an adaptive
 * interval is worked out from. *out malloc'd (NULL when none). */
int mw_store_publication_times(struct mw_store *s, int64_t source_id,
                               int64_t since, size_t max, int64_t **out,
                               size_t *n, struct mw_err *err);

/* A problem found on a source (health/health.h names the codes), open
 * until a check no longer finds it. */
struct mw_source_problem {
  int64_t id;
  int64_t source_id;
  char *code;        /* "unreachable", "no_links", ... */
  char *severity;    /* "degraded" or "broken" */
  char *detail;      /* the evidence in words */
  int64_t since;     /* first found */
  int64_t last_seen; /* last found */
  int64_t notified;  /* when the admins were told at once, 0: not */
  int64_t cleared;   /* when a check stopped finding it, 0: open */
};
/* Records that a check at now found code on source_id: a new open problem
 * (*is_new true) or the open one updated (severity, detail, last_seen).
 * *id (may be NULL) receives its id. */
int mw_store_problem_found(struct mw_store *s, int64_t source_id,
                           const char *code, const char *severity,
                           const char *detail, int64_t now, int64_t *id,
                           bool *is_new, struct mw_err *err);
/* Clears (cleared = now) the open problems of source_id whose code is not
 * among codes; *n_cleared (may be NULL) counts them. */
int mw_store_problems_clear_others(struct mw_store *s, int64_t source_id,
                                   const char *const *codes, size_t n_codes,
                                   int64_t now, size_t *n_cleared,
                                   struct mw_err *err);
int mw_store_problem_mark_notified(struct mw_store *s, int64_t id,
                                   int64_t now, struct mw_err *err);
/* The open problems, by source id then since. Free with
 * mw_source_problems_free. */
int mw_store_problems_open(struct mw_store *s, struct mw_source_problem **out,
                           size_t *n, struct mw_err *err);
void mw_source_problems_free(struct mw_source_problem *arr, size_t n);

/* A small named value that survives restarts (the last digest day). */
int mw_store_state_get(struct mw_store *s, const char *name, int64_t *value,
                       bool *found, struct mw_err *err);
int mw_store_state_set(struct mw_store *s, const char *name, int64_t value,
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
/* Forgets the match of one article with one topic (none: nothing). */
int mw_store_remove_match(struct mw_store *s, int64_t article_id,
                          const char *topic, struct mw_err *err);

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
/* The reprint cluster of an article: *cluster_id 0 when it is in none. */
int mw_store_article_cluster(struct mw_store *s, int64_t article_id,
                             int64_t *cluster_id, struct mw_err *err);

/* ------------------------------------------- sensitivity of an article */

/* Records an article's sensitivity score, the alert level it suggests (0
 * none, 1..4) and its 属地 (may be NULL), as the alerts engine decided
 * them, in a narrow table of its own; an article scoring 0 at level 0
 * keeps no row (most articles). MW_ENOTFOUND when no article has that
 * id. */
int mw_store_article_set_sensitivity(struct mw_store *s, int64_t article_id,
                                     double score, int level,
                                     const char *region, struct mw_err *err);

/* Distinct publishing outlets of the articles of cluster_id first seen
 * (fetched) at or after since. */
int mw_store_cluster_outlets_since(struct mw_store *s, int64_t cluster_id,
                                   int64_t since, int64_t *n,
                                   struct mw_err *err);
/* Distinct publishing outlets of sensitive articles (level >= 1) whose
 * region is region and which matched topic (NULL: any topic), first seen
 * at or after since. */
int mw_store_region_outlets_since(struct mw_store *s, const char *topic,
                                  const char *region, int64_t since,
                                  int64_t *n, struct mw_err *err);
/* Articles first seen in [from, to) that matched topic (burst counts). */
int mw_store_topic_mentions(struct mw_store *s, const char *topic,
                            int64_t from, int64_t to, int64_t *n,
                            struct mw_err *err);

/* ---------------------------------------------------------------- alerts */

/* One alert as stored. The alerts engine (alerts/) decides every value;
 * the store only keeps them. Strings are malloc'd (any may be NULL unless
 * noted); release with mw_alert_rec_cleanup. */
struct mw_alert_rec {
  int64_t id;
  char *key;        /* unique grouping key: "cluster:12", "article:34",
                       "burst:垃圾分类"; never NULL */
  char *kind;       /* "article" or "burst"; never NULL */
  int64_t cluster_id; /* 0: none */
  int64_t article_id; /* the article that raised it; 0 for a burst */
  char *topic;
  char *region;     /* 属地 */
  int level;        /* 1..4 */
  char *state;      /* alerts.h state name; never NULL */
  char *title;
  char *url;
  char *reason;     /* why it was raised or last rose, in words */
  int64_t created, updated;
  int64_t deadline; /* respond by (epoch s); 0 none */
  int64_t acked_at; /* 0: not acknowledged */
  char *acked_by;
  char *assignee;   /* the unit it was handed to (交办) */
  int64_t due;      /* the assignment's due time; 0 none */
  int escalation;   /* 0, 1 (next person), 2 (leader) */
  int64_t notified_at;  /* last notification written; 0 never */
  int notified_level;   /* level at that notification */
  int64_t silence_id;   /* the silence that held it back; 0 none */
  bool overdue;
  /* Read only, filled by the getters from the alert's articles: */
  int64_t article_count;
  int64_t outlet_count;
  char *outlets;    /* publishing outlets, first carrier first, joined by
                       "、"; NULL when none */
};
void mw_alert_rec_cleanup(struct mw_alert_rec *r);

/* The alert with this grouping key; *found false (and *out untouched)
 * when there is none. */
int mw_store_alert_by_key(struct mw_store *s, const char *key,
                          struct mw_alert_rec *out, bool *found,
                          struct mw_err *err);
/* The alert with this id; MW_ENOTFOUND naming the id when none. */
int mw_store_alert_get(struct mw_store *s, int64_t id,
                       struct mw_alert_rec *out, struct mw_err *err);
/* Writes a new alert from every field but id and the read-only ones;
 * *id receives its id. MW_EINVAL when the key is taken. */
int mw_store_alert_insert(struct mw_store *s, const struct mw_alert_rec *r,
                          int64_t *id, struct mw_err *err);
/* Rewrites every writable field of alert r->id (not key nor kind). */
int mw_store_alert_update(struct mw_store *s, const struct mw_alert_rec *r,
                          struct mw_err *err);
/* Adds article_id to the alert's articles; *added (may be NULL) false
 * when it was there already. */
int mw_store_alert_add_article(struct mw_store *s, int64_t alert_id,
                               int64_t article_id, bool *added,
                               struct mw_err *err);

/* Adds every article of reprint cluster cluster_id to the alert: a story
 * alerted only when a later copy of it scored carries the outlets that
 * ran it before. *added (may be NULL) counts the articles new to it. */
int mw_store_alert_add_cluster(struct mw_store *s, int64_t alert_id,
                               int64_t cluster_id, int64_t *added,
                               struct mw_err *err);

struct mw_alert_filter {
  const char *state; /* only this state; NULL any */
  int min_level;     /* 0 any */
  bool open_only;    /* not closed */
  bool overdue_only;
  int64_t since;     /* created at or after; 0 any */
  size_t limit;      /* 0 no limit */
  /* Added for the dashboard (issue 8); zero values filter nothing. */
  int64_t until;     /* created before; 0 any */
  const char *topic; /* this topic only */
  const char *region; /* 属地 this place or under it ("吉林省" takes
                         "吉林省长春市..."); matched on the stored path */
  int level;         /* exactly this level; 0 any */
  size_t offset;     /* rows skipped before limit, for paging */
};
/* Alerts passing f, highest level first, then newest. Free with
 * mw_alert_recs_free. */
int mw_store_alert_list(struct mw_store *s, const struct mw_alert_filter *f,
                        struct mw_alert_rec **out, size_t *n,
                        struct mw_err *err);
void mw_alert_recs_free(struct mw_alert_rec *arr, size_t n);

/* The audit trail: one row per change of an alert. */
struct mw_alert_event {
  int64_t id;
  int64_t alert_id;
  int64_t at;
  char *actor;      /* a person, a user, or "mediawatch" */
  char *action;     /* "raised", "rose", "ack", "assign", "escalated",
                       "overdue", "notified", ... */
  char *from_state; /* may be NULL */
  char *to_state;   /* may be NULL */
  char *comment;
};
int mw_store_alert_event_add(struct mw_store *s,
                             const struct mw_alert_event *e,
                             struct mw_err *err);
/* Events of an alert, oldest first. Free with mw_alert_events_free. */
int mw_store_alert_events(struct mw_store *s, int64_t alert_id,
                          struct mw_alert_event **out, size_t *n,
                          struct mw_err *err);
void mw_alert_events_free(struct mw_alert_event *arr, size_t n);

/* Silences: alerts matching one are recorded but not notified. Each of
 * topic, region, term may be NULL (any); an alert matches when every
 * given one does (the alerts engine decides; the store keeps them). */
struct mw_silence {
  int64_t id;
  char *topic, *region, *term;
  int64_t starts, ends; /* [starts, ends) epoch s */
  char *created_by;
  char *reason;
  int64_t created;
};
int mw_store_silence_add(struct mw_store *s, const struct mw_silence *si,
                         int64_t *id, struct mw_err *err);
/* Silences in force at now; now 0 lists all of them, newest first. Free
 * with mw_silences_free. */
int mw_store_silences(struct mw_store *s, int64_t now,
                      struct mw_silence **out, size_t *n,
                      struct mw_err *err);
/* Ends a silence at now; MW_ENOTFOUND when no silence has that id. */
int mw_store_silence_end(struct mw_store *s, int64_t id, int64_t now,
                         struct mw_err *err);
void mw_silences_free(struct mw_silence *arr, size_t n);

/* ---------------------------------------------------------------- outbox */

/* A notification waiting to be sent, written in the same transaction as
 * the alert change that causes it. Sent in id order per receiver, each
 * once: the sender marks it sent after the receiver accepted it. */
struct mw_outbox_msg {
  int64_t id;
  int64_t alert_id;  /* 0 for a digest */
  char *receiver;    /* a receiver name of the config */
  char *kind;        /* "alert", "rose", "escalation", "overdue",
                        "repeat", "assigned", "digest" */
  char *text;        /* the rendered message */
  char *json;        /* the alert as JSON (webhook, exec) */
  int64_t created;
  int64_t attempts;
  int64_t next_at;   /* not before */
  char *last_error;
  int64_t sent_at;   /* 0: not sent yet */
};
int mw_store_outbox_add(struct mw_store *s, int64_t alert_id,
                        const char *receiver, const char *kind,
                        const char *text, const char *json, int64_t now,
                        int64_t *id, struct mw_err *err);
/* The first pending message of each receiver, when its next attempt is due
 * at now, oldest first, at most limit (0 no limit). A receiver that is
 * down holds back its own queue and no one else's. Free with
 * mw_outbox_msgs_free. */
int mw_store_outbox_due(struct mw_store *s, int64_t now, size_t limit,
                        struct mw_outbox_msg **out, size_t *n,
                        struct mw_err *err);
void mw_outbox_msgs_free(struct mw_outbox_msg *arr, size_t n);
int mw_store_outbox_mark_sent(struct mw_store *s, int64_t id, int64_t now,
                              struct mw_err *err);
/* Records a failed attempt: attempts, the next try and why. */
int mw_store_outbox_mark_retry(struct mw_store *s, int64_t id,
                               int64_t attempts, int64_t next_at,
                               const char *error, struct mw_err *err);
/* Messages not sent yet, and the earliest time the head of a receiver's
 * queue is due (0 when none): how long the sender may sleep. A message
 * behind a waiting head is not due before it. */
int mw_store_outbox_pending(struct mw_store *s, int64_t *n,
                            int64_t *next_at, struct mw_err *err);
/* Every message of an alert, sent or not, oldest first: for
 * `alerts show`. */
int mw_store_outbox_of_alert(struct mw_store *s, int64_t alert_id,
                             struct mw_outbox_msg **out, size_t *n,
                             struct mw_err *err);

/* Held back for a receiver's quiet hours or daily digest: one line per
 * alert change, released as one digest message. */
int mw_store_held_add(struct mw_store *s, const char *receiver,
                      int64_t alert_id, int64_t at, const char *line,
                      struct mw_err *err);
/* Removes and returns the receiver's held lines written before before,
 * oldest first; *lines malloc'd array of malloc'd strings (free each and
 * the array); *n 0 when none. */
int mw_store_held_take(struct mw_store *s, const char *receiver,
                       int64_t before, char ***lines, size_t *n,
                       struct mw_err *err);

/* --------------------------------------------------------------- reports */

/* Articles per day of a report period: day i runs [bounds[i], bounds[i+1])
 * (local midnights, chosen by the caller who knows the zone). A cell per
 * day and topic with articles, plus one per day with articles whatever
 * they matched (topic NULL); days without articles have no cell. Free
 * with mw_coverage_daily_free. */
struct mw_daily_cell {
  size_t day;   /* index into the days */
  char *topic;  /* NULL = all articles */
  int64_t count;
};
struct mw_coverage_daily {
  size_t n_days;
  int64_t *bounds; /* n_days + 1 instants, copied from the caller's */
  struct mw_daily_cell *cells;
  size_t n_cells;
};
/* Counts by coverage time (published, else first seen), like
 * mw_store_coverage. bounds must be increasing; at most
 * MW_STORE_DAILY_MAX_DAYS days, else MW_EINVAL. */
#define MW_STORE_DAILY_MAX_DAYS 400
int mw_store_coverage_daily(struct mw_store *s, const int64_t *bounds,
                            size_t n_days, struct mw_coverage_daily **out,
                            struct mw_err *err);
void mw_coverage_daily_free(struct mw_coverage_daily *d);

/* A source that failed all period: polled in [from, to) (its fetch log or
 * its last attempt says so) with no successful poll in it. Strings
 * malloc'd; free the array with mw_failed_sources_free. */
struct mw_failed_source {
  int64_t id;
  char *outlet;
  enum mw_tier tier;
  char *url;
  int64_t failures;   /* failed polls in the period the fetch log keeps */
  int64_t last_ok;    /* epoch s of the last success ever, 0 = never */
  int64_t last_fetch; /* epoch s of the last attempt */
  int64_t last_status;/* HTTP status of the last attempt, 0 = none */
  char *last_error;   /* may be NULL */
};
/* Active sources that failed all period, by outlet name then URL. */
int mw_store_failed_sources(struct mw_store *s, int64_t from, int64_t to,
                            struct mw_failed_source **out, size_t *n,
                            struct mw_err *err);
void mw_failed_sources_free(struct mw_failed_source *arr, size_t n);

/* A story for the work bulletin (工作简报): a reprint cluster, or an
 * article in none, told by its original article. Strings malloc'd (any may
 * be NULL); free the array with mw_bulletin_stories_free. */
#define MW_STORE_LEAD_CHARS 600 /* characters of the text kept */
struct mw_bulletin_story {
  int64_t article_id;    /* the original */
  int64_t cluster_id;    /* 0: in no cluster */
  char *title;
  char *outlet;          /* the original's publishing outlet */
  char *source;          /* 来源 to print: the cluster's original outlet,
                            else the original's 来源 line, else outlet */
  char *url;
  char *text;            /* the first MW_STORE_LEAD_CHARS characters */
  int64_t time;          /* the original's coverage time, epoch s */
  int64_t outlet_count, article_count; /* all time, 1 for no cluster */
};
/* The stories with an article whose coverage time lies in [from, to)
 * and (n_topics > 0) some article of which matched one of topics, by
 * reach: outlet_count, article_count, descending, then the original's
 * time and id. At most limit (0: no limit). */
int mw_store_bulletin_stories(struct mw_store *s, int64_t from, int64_t to,
                              const char *const *topics, size_t n_topics,
                              size_t limit, struct mw_bulletin_story **out,
                              size_t *n, struct mw_err *err);
void mw_bulletin_stories_free(struct mw_bulletin_story *arr, size_t n);

/* ------------------------------------------------------ coverage targets */

/* What one target counts (store/targets.c): the articles whose coverage
 * time lies in [from, to) and that pass every filter given: the outlet is
 * one of outlets (n_outlets 0: any), its tier is tier (-1: any), it
 * matched one of topics (n_topics 0: any), its title or text holds one of
 * mentions (n_mentions 0: no such filter). Per story (stories true) the
 * articles of one reprint cluster count once, an article in no cluster as
 * one. Nothing here is owned by the store. */
#define MW_STORE_TARGET_MAX_TERMS 200 /* per list */
struct mw_target_query {
  int64_t from, to;
  const char *const *outlets;
  size_t n_outlets;
  int tier;
  const char *const *topics;
  size_t n_topics;
  const char *const *mentions;
  size_t n_mentions;
  bool stories;
};
/* The count into *out. MW_EINVAL when to < from or a list is longer than
 * MW_STORE_TARGET_MAX_TERMS. Mentions are counted from the mentions index
 * (below), never from the texts: the count brings the index up to date for
 * its own terms first (mw_store_index_mentions), which costs a lookup per
 * term when it already is, so a caller counting many targets indexes all
 * their terms once beforehand (cli/cmd_report.c) and pays for one pass
 * over the new articles instead of one per target. */
int mw_store_target_count(struct mw_store *s, const struct mw_target_query *q,
                          int64_t *out, struct mw_err *err);

/* ------------------------------------------------------------- mentions */

/* The mentions index (store/mentions.c): for each term indexed, the
 * articles whose title or text contains it (bytes, as instr() compares
 * UTF-8 text; the empty term is in every article), and the highest article
 * id searched for it. Terms come from the config's targets (mentions,
 * each); at most MW_STORE_MENTION_MAX_TERMS per call, each at most
 * MW_STORE_MENTION_MAX_LEN bytes, else MW_EINVAL. */
#define MW_STORE_MENTION_MAX_TERMS 4096
#define MW_STORE_MENTION_MAX_LEN 1024

/* The mention and `each` terms of cfg's targets, each once, in config
 * order, into *terms (malloc'd array, free() it; the strings are cfg's)
 * and *n; NULL and 0 when there are none. MW_ENOMEM otherwise. */
int mw_store_config_mentions(const struct mw_config *cfg,
                             const char ***terms, size_t *n,
                             struct mw_err *err);

/* Brings the index up to date for terms (n of them, duplicates allowed):
 * a term never seen is searched in every article, the others in the
 * articles stored after the highest id searched for them, all in one pass
 * over those articles' texts, in one savepoint. When every term is up to
 * date it reads two small rows per term and writes nothing. */
int mw_store_index_mentions(struct mw_store *s, const char *const *terms,
                            size_t n, struct mw_err *err);

/* For the article just stored as article_id (its title and text, either
 * may be NULL): records which of terms it mentions, and marks a term
 * searched through article_id when it was searched through every article
 * stored before it; a term that was not (configured while articles were
 * stored without it) is left for mw_store_index_mentions to catch up. */
int mw_store_add_mentions(struct mw_store *s, int64_t article_id,
                          const char *title, const char *text,
                          const char *const *terms, size_t n,
                          struct mw_err *err);

/* ------------------------------------------------ users and web sessions */

/* Dashboard roles, lowest first: a role may do what every lower one may. */
enum mw_user_role {
  MW_ROLE_VIEWER = 1, /* reads everything, changes nothing */
  MW_ROLE_DUTY = 2,   /* duty officer: works the alerts */
  MW_ROLE_ADMIN = 3   /* also manages users */
};
/* "viewer", "duty", "admin". */
const char *mw_user_role_name(enum mw_user_role r);
/* "查看", "值班员", "管理员". */
const char *mw_user_role_label_zh(enum mw_user_role r);
/* Takes the names above (and "duty-officer"); MW_EINVAL otherwise. */
int mw_user_role_parse(const char *s, enum mw_user_role *out);

/* A user. Strings malloc'd; release with mw_user_cleanup. */
struct mw_user {
  int64_t id;
  char *name;
  enum mw_user_role role;
  char *hash;        /* crypt(5) string; never a password */
  int64_t created;
  int64_t changed;   /* password last set */
};
void mw_user_cleanup(struct mw_user *u);
/* Adds a user. MW_EINVAL (message names the user) when the name is taken,
 * empty, over 64 bytes or holds control characters, '/' or spaces. */
int mw_store_user_add(struct mw_store *s, const char *name,
                      enum mw_user_role role, const char *hash, int64_t now,
                      struct mw_err *err);
/* Sets a new password hash and ends the user's sessions. MW_ENOTFOUND. */
int mw_store_user_set_hash(struct mw_store *s, const char *name,
                           const char *hash, int64_t now, struct mw_err *err);
/* Changes the role; the user's sessions carry the new role at once. */
int mw_store_user_set_role(struct mw_store *s, const char *name,
                           enum mw_user_role role, struct mw_err *err);
/* Removes the user and their sessions (the audit trail keeps the name).
 * MW_ENOTFOUND. */
int mw_store_user_remove(struct mw_store *s, const char *name,
                         struct mw_err *err);
/* MW_ENOTFOUND when there is no such user. */
int mw_store_user_get(struct mw_store *s, const char *name,
                      struct mw_user *out, struct mw_err *err);
/* Every user by name. Free with mw_users_free. */
int mw_store_users(struct mw_store *s, struct mw_user **out, size_t *n,
                   struct mw_err *err);
void mw_users_free(struct mw_user *arr, size_t n);

/* A signed-in session. The cookie carries a random token; the store keeps
 * only its SHA-256 (hex), so a copy of the database signs no one in. */
struct mw_web_session {
  int64_t user_id;
  char user[65];     /* the user's name */
  enum mw_user_role role;
  char csrf[65];     /* the session's CSRF token (hex) */
  int64_t created, expires, last_seen;
};
/* Records a session for user_id until expires. */
int mw_store_session_add(struct mw_store *s, const char *token_hash,
                         int64_t user_id, const char *csrf, int64_t now,
                         int64_t expires, struct mw_err *err);
/* The live session of token_hash at now (role read from the user, so a
 * role change applies at once). MW_ENOTFOUND when absent, expired, or its
 * user removed. */
int mw_store_session_get(struct mw_store *s, const char *token_hash,
                         int64_t now, struct mw_web_session *out,
                         struct mw_err *err);
/* Moves last_seen to now and expires to expires (sliding lifetime). */
int mw_store_session_touch(struct mw_store *s, const char *token_hash,
                           int64_t now, int64_t expires, struct mw_err *err);
/* Ends one session (sign out); no error when it is already gone. */
int mw_store_session_remove(struct mw_store *s, const char *token_hash,
                            struct mw_err *err);
/* Deletes sessions expired at now. */
int mw_store_sessions_expire(struct mw_store *s, int64_t now,
                             struct mw_err *err);

/* ------------------------------------------------------ full-text search */

/* The search index: SQLite FTS5 with the trigram tokenizer over each
 * article's title and text (external content: the text is not stored
 * twice), so Chinese is found without word segmentation. Articles are
 * indexed after they are stored, in batches, by whoever serves search
 * (the crawl path never pays for it); a search sees what is indexed. */

/* Indexes up to max articles stored since the last call, oldest first, in
 * one transaction; *indexed (may be NULL) gets how many. */
int mw_store_search_index(struct mw_store *s, size_t max, size_t *indexed,
                          struct mw_err *err);
/* Articles stored but not yet indexed. */
int mw_store_search_pending(struct mw_store *s, int64_t *n,
                            struct mw_err *err);

#define MW_SEARCH_LIMIT_MAX 100
/* Totals above this are shown as 10000+; a query whose rows are checked
 * one by one (short words or filters) is counted to 1,000 only. */
#define MW_SEARCH_COUNT_CAP 10000

/* What to look for. q: words separated by spaces, every one must appear
 * (in title or text); taken literally, never as FTS5 syntax. Strings
 * borrowed; NULL / 0 filters nothing. */
struct mw_search_query {
  const char *q;        /* required, at least one word */
  const char *topic;    /* matched this topic */
  const char *outlet;   /* publishing outlet name */
  int tier;             /* enum mw_tier + 1; 0 any */
  const char *region;   /* the outlet's region or the article's 属地, this
                           place or under it */
  int64_t from, to;     /* counted_at in [from, to) */
  size_t offset;        /* paging */
  size_t limit;         /* 1..MW_SEARCH_LIMIT_MAX; 0 means 20 */
};
/* One hit. Strings malloc'd. title_marked and snippet carry every hit
 * between MW_SEARCH_MARK_OPEN and MW_SEARCH_MARK_CLOSE, which never occur
 * in stored text, so a caller escapes the text and then turns the marks
 * into <mark> tags. */
#define MW_SEARCH_MARK_OPEN "\x02"
#define MW_SEARCH_MARK_CLOSE "\x03"
struct mw_search_hit {
  int64_t id;
  char *title;          /* plain */
  char *title_marked;
  char *snippet;        /* ~64 characters of text around the first hit */
  char *url;
  char *outlet;
  int tier;             /* enum mw_tier */
  char *region;         /* 属地 when recorded, else the outlet's; may be NULL */
  char *topics;         /* matched topics joined by ","; may be NULL */
  int64_t published;    /* 0: the page gave no date */
  int64_t counted_at;
};
struct mw_search_result {
  int64_t total;        /* hits in all; at most MW_SEARCH_COUNT_CAP (1,000
                           when rows are checked one by one) */
  bool total_capped;    /* there are more than total */
  struct mw_search_hit *hits; /* newest first */
  size_t n;
};
/* Searches the index. Words of three characters or more use the trigram
 * index; shorter words (two-character Chinese words such as 污染) filter
 * the candidates the longer ones found, and a query of only short words
 * scans the newest articles and says so by total_capped. MW_EINVAL with a
 * message for an empty query or one over 256 bytes. */
int mw_store_search(struct mw_store *s, const struct mw_search_query *q,
                    struct mw_search_result *out, struct mw_err *err);
void mw_search_result_cleanup(struct mw_search_result *r);

/* ------------------------------------------------ dashboard read helpers */

/* Events of every alert with id above after_id, oldest first, at most
 * limit: what the live alert stream sends. */
int mw_store_alert_events_after(struct mw_store *s, int64_t after_id,
                                size_t limit, struct mw_alert_event **out,
                                size_t *n, struct mw_err *err);
/* The highest alert event id (0 when none). */
int mw_store_alert_event_last(struct mw_store *s, int64_t *id,
                              struct mw_err *err);

/* An article of an alert, for the alert's page. Strings malloc'd. */
struct mw_alert_article {
  int64_t id;
  char *title, *url, *outlet;
  int64_t published;   /* 0: none */
  int64_t fetched;
};
/* The alert's articles, first carrier first. */
int mw_store_alert_articles(struct mw_store *s, int64_t alert_id,
                            struct mw_alert_article **out, size_t *n,
                            struct mw_err *err);
void mw_alert_articles_free(struct mw_alert_article *arr, size_t n);

/* Per active source, for the sources page: articles stored since since,
 * and the newest article's time. */
struct mw_source_activity {
  int64_t source_id;
  int64_t articles_since;
  int64_t last_article;  /* fetched time of the newest; 0 none */
};
/* One row per active source, ordered by id (as mw_store_list_sources). */
int mw_store_source_activity(struct mw_store *s, int64_t since,
                             struct mw_source_activity **out, size_t *n,
                             struct mw_err *err);

/* Totals for /metrics. Counters only grow (fetch counts are kept in a
 * counters row updated with each fetch record, since fetch_log is
 * trimmed). */
struct mw_store_metrics {
  int64_t articles;        /* stored */
  int64_t fetches;         /* polls recorded, all time */
  int64_t fetch_failures;  /* of which failed */
  int64_t sources;         /* active */
  int64_t sources_failing; /* active with consecutive_failures > 0 */
  int64_t sources_broken;   /* active with an open broken problem, as the
                               last health check found (health/health.h) */
  int64_t sources_degraded; /* ... with open degraded problems only */
  int64_t alerts_open[5];  /* open alerts by level 1..4 ([0] unused) */
  int64_t alerts_total;    /* ever raised */
  int64_t outbox_pending;
  int64_t search_pending;  /* articles not yet in the search index */
};
int mw_store_metrics(struct mw_store *s, struct mw_store_metrics *out,
                     struct mw_err *err);

#endif
