/*
 * sensitivity.c: an article's sensitivity as the alerts engine judged it
 * (score, level, 属地), and the counts the engine raises levels and bursts
 * by: outlets carrying a cluster or a region's sensitive articles since a
 * time, and a topic's mentions in a period.
 *
 * Every count goes by first-seen time (articles.fetched), the moment the
 * article reached us, not its publication time: spread and bursts are
 * about what is happening now. Each query starts from an index that holds
 * the columns it filters on (articles_fetched, articles_sensitive,
 * articles_cluster) and checks a topic by the matches primary key, so the
 * long article rows are read only for a cluster's few members.
 *
 * What it leaves to others: scoring, levels, places and thresholds (the
 * alerts engine, alerts/), the topic matches themselves (articles.c).
 */
#include "store/store_int.h"

static const char SQL_SET_SENSITIVITY[] =
    "INSERT INTO article_sensitivity"
    " (article_id, score, level, region, outlet_id, fetched)"
    " SELECT id, ?2, ?3, ?4, outlet_id, fetched FROM articles WHERE id = ?1"
    " ON CONFLICT (article_id) DO UPDATE SET score = excluded.score,"
    " level = excluded.level, region = excluded.region";
/* Most articles score nothing: they keep no row. */
static const char SQL_CLEAR_SENSITIVITY[] =
    "DELETE FROM article_sensitivity WHERE article_id = ?1";
static const char SQL_ARTICLE_KNOWN[] = "SELECT 1 FROM articles WHERE id = ?1";
static const char SQL_CLUSTER_OUTLETS_SINCE[] =
    "SELECT count(DISTINCT outlet_id) FROM articles"
    " WHERE cluster_id = ?1 AND fetched >= ?2";
/* "level >= 1" spelled as in the partial index so sqlite may use it. */
static const char SQL_REGION_OUTLETS_SINCE[] =
    "SELECT count(DISTINCT a.outlet_id) FROM article_sensitivity a"
    " WHERE a.level >= 1 AND a.region = ?2 AND a.fetched >= ?3"
    " AND (?1 IS NULL OR EXISTS (SELECT 1 FROM matches m"
    "  WHERE m.article_id = a.article_id AND m.topic = ?1))";
/* The period's articles first, each checked by the matches key: a topic's
 * whole history is far longer than one hour of articles. */
static const char SQL_TOPIC_MENTIONS[] =
    "SELECT count(*) FROM articles a WHERE a.fetched >= ?2 AND a.fetched < ?3"
    " AND EXISTS (SELECT 1 FROM matches m WHERE m.article_id = a.id"
    "  AND m.topic = ?1)";

int mw_store_article_set_sensitivity(struct mw_store *s, int64_t article_id,
                                     double score, int level,
                                     const char *region, struct mw_err *err) {
  if (level < 0 || level > 4)
    return mw_err_set(err, MW_EINVAL,
                      "store: level %d of article %lld is outside 0..4", level,
                      (long long)article_id);
  bool clear = score == 0 && level == 0;
  sqlite3_stmt *st;
  int rc = clear ? store_stmt(s, STMT_ARTICLE_CLEAR_SENSITIVITY,
                              SQL_CLEAR_SENSITIVITY, &st, err)
                 : store_stmt(s, STMT_ARTICLE_SET_SENSITIVITY,
                              SQL_SET_SENSITIVITY, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, article_id);
  if (!clear) {
    sqlite3_bind_double(st, 2, score);
    sqlite3_bind_int(st, 3, level);
    store_bind_text(st, 4, region);
  }
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE)
    return store_db_err(s, err, "recording an article's sensitivity");
  if (!clear && sqlite3_changes(s->db) > 0) return MW_OK;
  /* Nothing written: either nothing to clear, or no such article. */
  rc = store_stmt(s, STMT_ARTICLE_KNOWN, SQL_ARTICLE_KNOWN, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, article_id);
  int step = sqlite3_step(st);
  sqlite3_reset(st);
  if (step == SQLITE_ROW) return MW_OK;
  if (step != SQLITE_DONE)
    return store_db_err(s, err, "recording an article's sensitivity");
  return mw_err_set(err, MW_ENOTFOUND, "store %s: article %lld not found",
                    s->path, (long long)article_id);
}

/* Steps st, which returns one integer, into *n. */
static int one_count(struct mw_store *s, sqlite3_stmt *st, int64_t *n,
                     const char *what, struct mw_err *err) {
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *n = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? MW_OK : store_db_err(s, err, what);
}

int mw_store_cluster_outlets_since(struct mw_store *s, int64_t cluster_id,
                                   int64_t since, int64_t *n,
                                   struct mw_err *err) {
  *n = 0;
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_CLUSTER_OUTLETS_SINCE, SQL_CLUSTER_OUTLETS_SINCE,
                      &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, cluster_id);
  sqlite3_bind_int64(st, 2, since);
  return one_count(s, st, n, "counting the outlets of a cluster", err);
}

int mw_store_region_outlets_since(struct mw_store *s, const char *topic,
                                  const char *region, int64_t since, int64_t *n,
                                  struct mw_err *err) {
  *n = 0;
  /* An alert with no 属地 has no region to spread in. */
  if (!region) return MW_OK;
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_REGION_OUTLETS_SINCE, SQL_REGION_OUTLETS_SINCE,
                      &st, err);
  if (rc) return rc;
  store_bind_text(st, 1, topic);
  store_bind_text(st, 2, region);
  sqlite3_bind_int64(st, 3, since);
  return one_count(s, st, n, "counting the outlets of a region", err);
}

int mw_store_topic_mentions(struct mw_store *s, const char *topic, int64_t from,
                            int64_t to, int64_t *n, struct mw_err *err) {
  *n = 0;
  if (!topic)
    return mw_err_set(err, MW_EINVAL, "store: counting mentions needs a topic");
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_TOPIC_MENTIONS, SQL_TOPIC_MENTIONS, &st, err);
  if (rc) return rc;
  store_bind_text(st, 1, topic);
  sqlite3_bind_int64(st, 2, from);
  sqlite3_bind_int64(st, 3, to);
  return one_count(s, st, n, "counting a topic's mentions", err);
}
