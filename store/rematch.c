/*
 * rematch.c: reading stored articles back for `mediawatch rematch` (and the
 * rule dry-run later): each article since a time with the topics it is
 * recorded under now, and replacing those topics. The store does not know
 * the rules; the caller matches and writes back.
 */
#include <string.h>

#include "store/store_int.h"

#define TOPIC_SEP "\x1f" /* unit separator: cannot occur in a topic name */

int mw_store_each_article(struct mw_store *s, int64_t since,
                          mw_store_article_fn fn, void *user,
                          struct mw_err *err) {
  sqlite3_stmt *st = NULL;
  const char *sql =
      "SELECT a.id, a.url, a.title, a.text, a.origin, o.name, o.tier,"
      "  a.counted_at,"
      "  (SELECT group_concat(topic, char(31)) FROM matches m"
      "   WHERE m.article_id = a.id)"
      " FROM articles a JOIN outlets o ON o.id = a.outlet_id"
      " WHERE a.counted_at >= ?1 ORDER BY a.id";
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
    return store_db_err(s, err, "reading articles back");
  sqlite3_bind_int64(st, 1, since);
  int rc = MW_OK, step;
  while (rc == MW_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
    struct mw_stored_article a = {
        .id = sqlite3_column_int64(st, 0),
        .url = (const char *)sqlite3_column_text(st, 1),
        .title = (const char *)sqlite3_column_text(st, 2),
        .text = (const char *)sqlite3_column_text(st, 3),
        .origin = (const char *)sqlite3_column_text(st, 4),
        .outlet = (const char *)sqlite3_column_text(st, 5),
        .counted_at = sqlite3_column_int64(st, 7),
        .topics = (const char *)sqlite3_column_text(st, 8),
    };
    const char *tier = (const char *)sqlite3_column_text(st, 6);
    if (!tier || mw_tier_parse(tier, &a.tier)) a.tier = MW_TIER_PORTAL;
    rc = fn(&a, user);
    if (rc && err && !err->msg[0])
      mw_err_set(err, rc, "stopped at article %lld", (long long)a.id);
  }
  if (rc == MW_OK && step != SQLITE_DONE)
    rc = store_db_err(s, err, "reading articles back");
  sqlite3_finalize(st);
  return rc;
}

bool mw_store_topics_has(const char *topics, const char *topic) {
  if (!topics) return false;
  size_t n = strlen(topic);
  for (const char *p = topics; *p;) {
    const char *end = strchr(p, TOPIC_SEP[0]);
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len == n && !memcmp(p, topic, n)) return true;
    if (!end) break;
    p = end + 1;
  }
  return false;
}

int mw_store_clear_matches(struct mw_store *s, int64_t article_id,
                           struct mw_err *err) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db, "DELETE FROM matches WHERE article_id = ?1",
                         -1, &st, NULL) != SQLITE_OK)
    return store_db_err(s, err, "clearing an article's topics");
  sqlite3_bind_int64(st, 1, article_id);
  int step = sqlite3_step(st);
  sqlite3_finalize(st);
  if (step != SQLITE_DONE)
    return store_db_err(s, err, "clearing an article's topics");
  return MW_OK;
}

int mw_store_remove_match(struct mw_store *s, int64_t article_id,
                          const char *topic, struct mw_err *err) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db,
                         "DELETE FROM matches WHERE article_id = ?1 AND "
                         "topic = ?2",
                         -1, &st, NULL) != SQLITE_OK)
    return store_db_err(s, err, "removing an article's topic");
  sqlite3_bind_int64(st, 1, article_id);
  sqlite3_bind_text(st, 2, topic, -1, SQLITE_STATIC);
  int step = sqlite3_step(st);
  sqlite3_finalize(st);
  if (step != SQLITE_DONE)
    return store_db_err(s, err, "removing an article's topic");
  return MW_OK;
}
