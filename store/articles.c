/*
 * articles.c: storing articles and the topics they matched.
 *
 * This is the hot path of the pipeline (one insert per new article, inside
 * the caller's batch), so it runs one cached statement in the common case:
 * an INSERT that takes the publishing outlet from the source row and
 * returns the new id, falling back to a lookup by URL only when the article
 * is already known. Large fields are bound without copying. An article
 * whose simhash the caller already has is placed in its reprint cluster
 * first (clusters.c) and then written once, hash and cluster included.
 *
 * What it leaves to others: canonical URLs (crawler/), hashing bodies
 * (matchers/), the reprint index and clusters (clusters.c), when to commit
 * (the caller's mw_store_begin/commit).
 */
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"

/* The WHERE clause is required by sqlite's grammar for an upsert fed by a
 * SELECT; it also makes an unknown source insert nothing. simhash and
 * cluster_id are written here, once: they sit after the long text, so a
 * later UPDATE would rewrite the whole row and its overflow pages. */
static const char SQL_ARTICLE_INSERT[] =
    "INSERT INTO articles (source_id, outlet_id, url, guid, title, author,"
    " origin, text, published, fetched, simhash, cluster_id)"
    " SELECT ?1, outlet_id, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11"
    " FROM sources WHERE id = ?1"
    " ON CONFLICT (url) DO NOTHING RETURNING id, outlet_id, counted_at";
static const char SQL_ARTICLE_BY_URL[] =
    "SELECT id FROM articles WHERE url = ?1";
static const char SQL_MATCH_UPSERT[] =
    "INSERT INTO matches (article_id, topic, terms) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (article_id, topic) DO UPDATE SET terms = excluded.terms";
static const char SQL_ARTICLES_COUNT[] = "SELECT count(*) FROM articles";

/* Binds without a copy: the caller's strings outlive the step, and the
 * bindings are cleared before returning. */
static void bind_static(sqlite3_stmt *st, int i, const char *v) {
  if (v) sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
  else sqlite3_bind_null(st, i);
}

static int find_by_url(struct mw_store *s, const char *url, int64_t *id,
                       struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_ARTICLE_BY_URL, SQL_ARTICLE_BY_URL, &st, err);
  if (rc) return rc;
  bind_static(st, 1, url);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *id = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc == SQLITE_ROW) return MW_OK;
  if (rc == SQLITE_DONE) return MW_ENOTFOUND;
  return store_db_err(s, err, "looking up an article");
}

int store_article_insert(struct mw_store *s, const struct mw_article *a,
                         bool hashed, int64_t cluster, struct store_row *row,
                         struct mw_err *err) {
  *row = (struct store_row){0};
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_ARTICLE_INSERT, SQL_ARTICLE_INSERT, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, a->source_id);
  bind_static(st, 2, a->url);
  bind_static(st, 3, a->guid);
  bind_static(st, 4, a->title);
  bind_static(st, 5, a->author);
  bind_static(st, 6, a->origin);
  bind_static(st, 7, a->text);
  if (a->published == MW_TIME_UNKNOWN) sqlite3_bind_null(st, 8);
  else sqlite3_bind_int64(st, 8, a->published);
  sqlite3_bind_int64(st, 9, a->fetched);
  if (hashed) sqlite3_bind_int64(st, 10, (int64_t)a->simhash);
  if (cluster) sqlite3_bind_int64(st, 11, cluster);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    row->id = sqlite3_column_int64(st, 0);
    row->outlet_id = sqlite3_column_int64(st, 1);
    row->counted_at = sqlite3_column_int64(st, 2);
  }
  /* The insert is complete once reset: RETURNING rows are buffered. */
  int rrc = sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc == SQLITE_ROW && rrc == SQLITE_OK) {
    row->inserted = true;
    return MW_OK;
  }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
    char what[160];
    snprintf(what, sizeof what, "storing article %.120s", a->url);
    return store_db_err(s, err, what);
  }
  /* Nothing inserted: the URL is known, or the source is not. */
  rc = find_by_url(s, a->url, &row->id, err);
  if (rc == MW_ENOTFOUND)
    return mw_err_set(err, MW_ENOTFOUND,
                      "store %s: no source with id %lld for article %.120s",
                      s->path, (long long)a->source_id, a->url);
  return rc;
}

int mw_store_add_article(struct mw_store *s, const struct mw_article *a,
                         int64_t *id, bool *inserted, struct mw_err *err) {
  *inserted = false;
  if (!a->url || !*a->url)
    return mw_err_set(err, MW_EINVAL,
                      "store: an article of source %lld has no URL",
                      (long long)a->source_id);
  struct store_row row;
  int rc;
  if (!a->simhash) {
    rc = store_article_insert(s, a, false, 0, &row, err);
  } else {
    if (a->cluster_distance < 0 ||
        a->cluster_distance > MW_STORE_CLUSTER_MAX_DISTANCE)
      return mw_err_set(err, MW_EINVAL,
                        "store: reprint distance %d of article %.120s is "
                        "outside 0..%d, the distance the banded simhash "
                        "index finds every neighbour within",
                        a->cluster_distance, a->url,
                        MW_STORE_CLUSTER_MAX_DISTANCE);
    /* Row, hash index and cluster are written together or not at all. */
    if ((rc = store_savepoint(s, err))) return rc;
    rc = store_cluster_insert(s, a, &row, err);
    int erc = store_savepoint_end(s, rc == MW_OK, rc ? NULL : err);
    if (!rc) rc = erc;
  }
  if (rc) return rc;
  *id = row.id;
  *inserted = row.inserted;
  return MW_OK;
}

int mw_store_add_match(struct mw_store *s, int64_t article_id,
                       const char *topic, const char *terms,
                       struct mw_err *err) {
  if (!topic || !*topic)
    return mw_err_set(err, MW_EINVAL, "store: a match of article %lld has no "
                      "topic", (long long)article_id);
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_MATCH_UPSERT, SQL_MATCH_UPSERT, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, article_id);
  bind_static(st, 2, topic);
  bind_static(st, 3, terms);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc == SQLITE_DONE) return MW_OK;
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    return mw_err_set(err, MW_ENOTFOUND,
                      "store %s: no article with id %lld to match topic '%s'",
                      s->path, (long long)article_id, topic);
  return store_db_err(s, err, "storing a topic match");
}

int mw_store_count_articles(struct mw_store *s, int64_t *n,
                            struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_ARTICLES_COUNT, SQL_ARTICLES_COUNT, &st, err);
  if (rc) return rc;
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *n = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? MW_OK : store_db_err(s, err, "counting articles");
}
