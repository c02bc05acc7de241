/*
 * store_int.h: what the files of store/ share and nobody else sees: the
 * handle, the cache of prepared statements and the error helper.
 *
 * Every statement has an id below. A file keeps its SQL text next to the
 * code that runs it and asks store_stmt() for the prepared statement: the
 * first call prepares it (persistent), later calls reset it and clear its
 * bindings, so hot-path inserts never parse SQL twice.
 */
#ifndef MW_STORE_INT_H
#define MW_STORE_INT_H

#include <sqlite3.h>

#include "store/store.h"

/* Rows of fetch_log kept per source: enough for the source-health view,
 * small enough that the table never grows with uptime. */
#define MW_STORE_FETCH_LOG_KEEP 100

enum store_stmt_id {
  /* open.c */
  STMT_BEGIN,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_SAVEPOINT,
  STMT_RELEASE,
  STMT_ROLLBACK_TO,
  /* sources.c */
  STMT_OUTLETS_DEACTIVATE,
  STMT_SOURCES_DEACTIVATE,
  STMT_OUTLET_UPSERT,
  STMT_SOURCE_UPSERT,
  STMT_SOURCES_LIST,
  STMT_SOURCE_RECORD,
  STMT_FETCH_LOG_ADD,
  STMT_FETCH_LOG_TRIM,
  /* articles.c */
  STMT_ARTICLE_INSERT,
  STMT_ARTICLE_BY_URL,
  STMT_MATCH_UPSERT,
  STMT_ARTICLES_COUNT,
  /* coverage.c */
  STMT_COVERAGE,
  STMT_COVERAGE_CLUSTERS,
  /* clusters.c */
  STMT_CLUSTER_ARTICLE,
  STMT_CLUSTER_SET_HASH,
  STMT_CLUSTER_SET_CLUSTER,
  STMT_BAND_INSERT,
  STMT_BAND_DELETE,
  STMT_CLUSTER_CANDIDATES,
  STMT_CLUSTER_OF,
  STMT_HASH_INSERT,
  STMT_HASH_UPSERT,
  STMT_CLUSTER_CREATE,
  STMT_CLUSTER_CREATE_ONE,
  STMT_CLUSTER_SET_ORIGINAL,
  STMT_CLUSTER_MEMBERS,
  STMT_CLUSTER_UPDATE,
  STMT_CLUSTER_DROP,
  STMT_CLUSTERS_TOP,
  STMT_CLUSTER_OUTLETS,
  /* lookup.c */
  STMT_ARTICLE_EXISTS,
  STMT_ATTACHMENT_ADD,
  /* sensitivity.c */
  STMT_ARTICLE_SET_SENSITIVITY,
  STMT_ALERT_ADD_CLUSTER,
  STMT_ARTICLE_CLEAR_SENSITIVITY,
  STMT_ARTICLE_KNOWN,
  STMT_CLUSTER_OUTLETS_SINCE,
  STMT_REGION_OUTLETS_SINCE,
  STMT_TOPIC_MENTIONS,
  /* alerts.c */
  STMT_ALERT_GET,
  STMT_ALERT_BY_KEY,
  STMT_ALERT_INSERT,
  STMT_ALERT_UPDATE,
  STMT_ALERT_ADD_ARTICLE,
  STMT_ALERT_ARTICLE_CHECK,
  STMT_ALERT_OUTLETS,
  STMT_ALERT_LIST,
  STMT_ALERT_LIST_OPEN,
  /* alert_events.c */
  STMT_ALERT_EVENT_ADD,
  STMT_ALERT_EVENTS,
  /* silences.c */
  STMT_SILENCE_ADD,
  STMT_SILENCES_ACTIVE,
  STMT_SILENCES_ALL,
  STMT_SILENCE_END,
  /* outbox.c */
  STMT_OUTBOX_ADD,
  STMT_OUTBOX_DUE,
  STMT_OUTBOX_SENT,
  STMT_OUTBOX_RETRY,
  STMT_OUTBOX_STATE,
  STMT_OUTBOX_PENDING,
  STMT_OUTBOX_OF_ALERT,
  STMT_HELD_ADD,
  STMT_HELD_TAKE,
  /* report.c */
  STMT_REPORT_DAILY,
  STMT_REPORT_FAILED_SOURCES,
  STMT_BULLETIN_STORIES,
  /* mentions.c */
  STMT_MENTION_MAX_ID,
  STMT_MENTION_PREV_ID,
  STMT_MENTION_TERM_GET,
  STMT_MENTION_TERM_SET,
  STMT_MENTION_ADD,
  STMT_MENTION_SCAN,
  /* sources.c, issue 8 */
  STMT_COUNTERS_FETCH,
  /* users.c */
  STMT_USER_ADD,
  STMT_USER_SET_HASH,
  STMT_USER_SET_ROLE,
  STMT_USER_REMOVE,
  STMT_USER_GET,
  STMT_USERS,
  STMT_SESSIONS_OF_USER,
  /* sessions.c */
  STMT_SESSION_ADD,
  STMT_SESSION_GET,
  STMT_SESSION_TOUCH,
  STMT_SESSION_REMOVE,
  STMT_SESSIONS_EXPIRE,
  /* search.c */
  STMT_SEARCH_WATERMARK,
  STMT_SEARCH_BATCH,
  STMT_SEARCH_INSERT,
  STMT_SEARCH_SET_WATERMARK,
  STMT_SEARCH_PENDING,
  STMT_SEARCH_WINDOW,
  STMT_SEARCH_BOUND,
  STMT_SEARCH_MAX_ID,
  /* dashboard.c */
  STMT_EVENTS_AFTER,
  STMT_EVENT_LAST,
  STMT_ALERT_ARTICLES,
  STMT_SOURCE_ACTIVITY,
  STMT_METRICS,
  STMT_METRICS_OPEN,
  /* health.c */
  STMT_QUALITY_ADD,
  STMT_HISTORY_SOURCE,
  STMT_HISTORY_POLLS,
  STMT_HISTORY_QUALITY,
  STMT_HISTORY_EXAMPLE,
  STMT_PUBLICATION_TIMES,
  STMT_PROBLEM_OPEN_GET,
  STMT_PROBLEM_INSERT,
  STMT_PROBLEM_UPDATE,
  STMT_PROBLEMS_OF_SOURCE,
  STMT_PROBLEM_CLEAR,
  STMT_PROBLEM_NOTIFIED,
  STMT_PROBLEMS_OPEN,
  STMT_STATE_GET,
  STMT_STATE_SET,
  /* page_failures.c */
  STMT_PAGE_FAILED,
  STMT_PAGE_FAILED_TRIM,
  STMT_PAGE_FAILURES,
  STMT_COUNT
};

struct mw_store {
  sqlite3 *db;
  char *path; /* as given to mw_store_open, for messages */
  sqlite3_stmt *stmts[STMT_COUNT];
};

/* The cached statement id, prepared from sql on first use, reset and with
 * its bindings cleared. The statement stays owned by the handle. */
int store_stmt(struct mw_store *s, enum store_stmt_id id, const char *sql,
               sqlite3_stmt **out, struct mw_err *err);

/* Sets err to MW_EDB with "store PATH: WHAT: sqlite's message" and returns
 * MW_EDB. */
int store_db_err(struct mw_store *s, struct mw_err *err, const char *what);

/* A savepoint around a multi-statement write, so it is atomic whether or not
 * the caller has a batch open (mw_store_begin). store_savepoint_end commits
 * (ok true) or undoes (ok false) it. */
int store_savepoint(struct mw_store *s, struct mw_err *err);
int store_savepoint_end(struct mw_store *s, bool ok, struct mw_err *err);

/* A row mw_store_add_article inserted (or found): what the reprint index
 * keeps of it beside the hash. */
struct store_row {
  int64_t id;
  bool inserted;
  int64_t outlet_id;  /* set when inserted */
  int64_t counted_at; /* published, else fetched; set when inserted */
};

/* articles.c: inserts a's row with simhash and cluster_id as given (bound
 * as NULL when hashed is false, cluster 0) unless its URL is stored. Fills
 * row; MW_ENOTFOUND when a's source is unknown. */
int store_article_insert(struct mw_store *s, const struct mw_article *a,
                         bool hashed, int64_t cluster, struct store_row *row,
                         struct mw_err *err);

/* clusters.c: the hashed branch of mw_store_add_article (a->simhash != 0):
 * places the article in its reprint cluster, then inserts it there, inside
 * the caller's savepoint. */
int store_cluster_insert(struct mw_store *s, const struct mw_article *a,
                         struct store_row *row, struct mw_err *err);

/* Binds a C string or NULL as SQL NULL; the text is copied by sqlite. */
int store_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Copies a text column (NULL stays NULL). Returns false on ENOMEM. */
bool store_column_dup(sqlite3_stmt *st, int col, char **out);

/* alerts.c: binds v, or SQL NULL when v is 0: ids and times the API
 * spells 0 for "none" are NULL in the alerts tables (read back as 0). */
int store_bind_opt_int64(sqlite3_stmt *st, int i, int64_t v);
/* alerts.c: sqlite's LIMIT for a size_t limit where 0 means none. */
int64_t store_limit(size_t limit);

/* alert_events.c: steps st (prepared and bound, its columns id, alert_id,
 * at, actor, action, from_state, to_state, comment) to its end and resets
 * it. The rows go to a new array in *out (free with mw_alert_events_free;
 * NULL and 0 on failure). A failed step is MW_EDB with err naming what;
 * out of memory is MW_ENOMEM with err untouched, for the caller to say
 * which events it was reading. */
int store_alert_events_read(struct mw_store *s, sqlite3_stmt *st,
                            const char *what, struct mw_alert_event **out,
                            size_t *n, struct mw_err *err);

/* search_words.c: bytes of the well-formed UTF-8 character at p (n bytes left,
 * n > 0), 0 when it is malformed (overlong, surrogate, cut short). */
size_t store_utf8_len(const unsigned char *p, size_t n);

/* migrations.c: the schema's migrations, in order (DDL only, run with
 * sqlite3_exec: nothing in them is ever built from input). */
extern const char *const mw_store_migrations[];
extern const size_t mw_store_n_migrations;

/* page_failures.c: fills h->pages_failed, failed_url and failed_reason
 * for source_id, counting failures at or after since. */
int store_read_page_failures(struct mw_store *s, int64_t source_id,
                             int64_t since, struct mw_source_history *h,
                             struct mw_err *err);

#endif
