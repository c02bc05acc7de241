/*
 * dashboard.c: what the dashboard (mediawatch serve) reads beyond the other
 * files' calls: the alert events after an id (the live stream), an alert's
 * articles, per-source activity for the sources page, and the totals
 * /metrics exports.
 *
 * Everything here only reads, and each call is written so that its cost
 * does not grow with the article count beyond an index walk: /metrics may
 * be scraped every few seconds against a store of a million articles.
 *
 * What it leaves to others: the audit trail rows (alert_events.c), alerts
 * (alerts.c), the outbox count (outbox.c), the search backlog (search.c),
 * the fetch counters kept up to date with each fetch record (sources.c),
 * JSON and HTML (web/).
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

static const char SQL_EVENTS_AFTER[] =
    "SELECT id, alert_id, at, actor, action, from_state, to_state, comment"
    " FROM alert_events WHERE id > ?1 ORDER BY id LIMIT ?2";
static const char SQL_EVENT_LAST[] = "SELECT max(id) FROM alert_events";
/* First carrier first, as the alert's outlets are listed (alerts.c). */
static const char SQL_ALERT_ARTICLES[] =
    "SELECT a.id, a.title, a.url, o.name, a.published, a.fetched"
    " FROM alert_articles aa JOIN articles a ON a.id = aa.article_id"
    " JOIN outlets o ON o.id = a.outlet_id WHERE aa.alert_id = ?1"
    " ORDER BY a.fetched, a.id";
/* The recent articles through the fetched index (a row lookup each for
 * source_id, which sits before the long text); the newest article of a
 * source is its highest id (articles_source), read once. Walking a
 * source's articles by articles_source instead would read the fetched
 * time behind every text: the unary + keeps the planner from choosing it
 * to save the small GROUP BY sort (150 ms instead of 17 ms for a week of
 * 20,000 articles in a store of 100,000). */
static const char SQL_SOURCE_ACTIVITY[] =
    "WITH recent AS (SELECT source_id, count(*) AS n FROM articles"
    "  WHERE fetched >= ?1 GROUP BY +source_id)"
    " SELECT s.id, coalesce(r.n, 0), coalesce((SELECT a.fetched FROM articles"
    "  a WHERE a.id = (SELECT max(b.id) FROM articles b"
    "  WHERE b.source_id = s.id)), 0)"
    " FROM sources s LEFT JOIN recent r ON r.source_id = s.id"
    " WHERE s.active = 1 ORDER BY s.id";
/* count(*) rather than max(id): exact whatever was deleted, and it walks
 * the narrowest index of articles (0.3 ms for 100,000 articles). */
static const char SQL_METRICS[] =
    "SELECT (SELECT count(*) FROM articles),"
    " (SELECT value FROM counters WHERE name = 'fetches'),"
    " (SELECT value FROM counters WHERE name = 'fetch_failures'),"
    " (SELECT count(*) FROM sources WHERE active = 1),"
    " (SELECT count(*) FROM sources WHERE active = 1"
    "  AND consecutive_failures > 0),"
    " (SELECT count(*) FROM alerts),"
    /* As the last health check found them (health/: every 5 minutes). */
    " (SELECT count(DISTINCT source_id) FROM source_problems"
    "  WHERE cleared = 0 AND severity = 'broken'"
    "  AND source_id IN (SELECT id FROM sources WHERE active = 1)),"
    " (SELECT count(DISTINCT source_id) FROM source_problems"
    "  WHERE cleared = 0 AND severity = 'degraded'"
    "  AND source_id IN (SELECT id FROM sources WHERE active = 1)"
    "  AND source_id NOT IN (SELECT source_id FROM source_problems"
    "   WHERE cleared = 0 AND severity = 'broken'))";
/* The partial index alerts_open holds exactly these rows. */
static const char SQL_METRICS_OPEN[] =
    "SELECT level, count(*) FROM alerts WHERE state <> 'closed'"
    " GROUP BY level";

static int nomem(struct mw_store *s, struct mw_err *err, const char *what) {
  return mw_err_set(err, MW_ENOMEM, "store %s: out of memory %s", s->path,
                    what);
}

/* arr (elements of size) grown so that one more fits after len; NULL when
 * out of memory (arr is then untouched). */
static void *grow(void *arr, size_t *cap, size_t len, size_t size) {
  if (len < *cap) return arr;
  size_t ncap = *cap ? *cap * 2 : 16;
  void *p = realloc(arr, ncap * size);
  if (p) *cap = ncap;
  return p;
}

int mw_store_alert_events_after(struct mw_store *s, int64_t after_id,
                                size_t limit, struct mw_alert_event **out,
                                size_t *n, struct mw_err *err) {
  *out = NULL;
  *n = 0;
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_EVENTS_AFTER, SQL_EVENTS_AFTER, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, after_id);
  sqlite3_bind_int64(st, 2, store_limit(limit));
  rc = store_alert_events_read(s, st, "reading alert events", out, n, err);
  return rc == MW_ENOMEM ? nomem(s, err, "reading alert events") : rc;
}

int mw_store_alert_event_last(struct mw_store *s, int64_t *id,
                              struct mw_err *err) {
  *id = 0;
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_EVENT_LAST, SQL_EVENT_LAST, &st, err);
  if (rc) return rc;
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *id = sqlite3_column_int64(st, 0); /* NULL: 0 */
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? MW_OK
                          : store_db_err(s, err, "reading the last event");
}

void mw_alert_articles_free(struct mw_alert_article *arr, size_t n) {
  if (!arr) return;
  for (size_t i = 0; i < n; i++) {
    free(arr[i].title);
    free(arr[i].url);
    free(arr[i].outlet);
  }
  free(arr);
}

int mw_store_alert_articles(struct mw_store *s, int64_t alert_id,
                            struct mw_alert_article **out, size_t *n,
                            struct mw_err *err) {
  *out = NULL;
  *n = 0;
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_ALERT_ARTICLES, SQL_ALERT_ARTICLES, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, alert_id);
  struct mw_alert_article *arr = NULL;
  size_t cap = 0, len = 0;
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    void *p = grow(arr, &cap, len, sizeof *arr);
    if (!p) goto nomem;
    arr = p;
    struct mw_alert_article *a = &arr[len++];
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(st, 0);
    a->published = sqlite3_column_int64(st, 4); /* NULL reads as 0 */
    a->fetched = sqlite3_column_int64(st, 5);
    if (!store_column_dup(st, 1, &a->title) ||
        !store_column_dup(st, 2, &a->url) ||
        !store_column_dup(st, 3, &a->outlet))
      goto nomem;
  }
  sqlite3_reset(st);
  if (step != SQLITE_DONE) {
    mw_alert_articles_free(arr, len);
    return store_db_err(s, err, "reading the articles of an alert");
  }
  *out = arr;
  *n = len;
  return MW_OK;
nomem:
  sqlite3_reset(st);
  mw_alert_articles_free(arr, len);
  return nomem(s, err, "reading the articles of an alert");
}

int mw_store_source_activity(struct mw_store *s, int64_t since,
                             struct mw_source_activity **out, size_t *n,
                             struct mw_err *err) {
  *out = NULL;
  *n = 0;
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_SOURCE_ACTIVITY, SQL_SOURCE_ACTIVITY, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, since);
  struct mw_source_activity *arr = NULL;
  size_t cap = 0, len = 0;
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    void *p = grow(arr, &cap, len, sizeof *arr);
    if (!p) {
      sqlite3_reset(st);
      free(arr);
      return nomem(s, err, "reading source activity");
    }
    arr = p;
    arr[len].source_id = sqlite3_column_int64(st, 0);
    arr[len].articles_since = sqlite3_column_int64(st, 1);
    arr[len].last_article = sqlite3_column_int64(st, 2);
    len++;
  }
  sqlite3_reset(st);
  if (step != SQLITE_DONE) {
    free(arr);
    return store_db_err(s, err, "reading source activity");
  }
  *out = arr;
  *n = len;
  return MW_OK;
}

int mw_store_metrics(struct mw_store *s, struct mw_store_metrics *out,
                     struct mw_err *err) {
  memset(out, 0, sizeof *out);
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_METRICS, SQL_METRICS, &st, err);
  if (rc) return rc;
  int step = sqlite3_step(st);
  if (step == SQLITE_ROW) {
    out->articles = sqlite3_column_int64(st, 0);
    out->fetches = sqlite3_column_int64(st, 1);
    out->fetch_failures = sqlite3_column_int64(st, 2);
    out->sources = sqlite3_column_int64(st, 3);
    out->sources_failing = sqlite3_column_int64(st, 4);
    out->alerts_total = sqlite3_column_int64(st, 5);
    out->sources_broken = sqlite3_column_int64(st, 6);
    out->sources_degraded = sqlite3_column_int64(st, 7);
  }
  sqlite3_reset(st);
  if (step != SQLITE_ROW) return store_db_err(s, err, "reading the totals");

  if ((rc = store_stmt(s, STMT_METRICS_OPEN, SQL_METRICS_OPEN, &st, err)))
    return rc;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    int level = sqlite3_column_int(st, 0);
    if (level >= 1 && level <= 4)
      out->alerts_open[level] = sqlite3_column_int64(st, 1);
  }
  sqlite3_reset(st);
  if (step != SQLITE_DONE) return store_db_err(s, err, "counting open alerts");

  int64_t next_at;
  if ((rc = mw_store_outbox_pending(s, &out->outbox_pending, &next_at, err)))
    return rc;
  return mw_store_search_pending(s, &out->search_pending, err);
}
