/*
 * lookup.c: what a listing page or sitemap poll asks the store: "have we
 * stored this URL already?" for every link, so only new pages are fetched,
 * and the listing's attachments (PDF, DOC, images), recorded, not fetched.
 */
#include "store/store_int.h"

int mw_store_article_exists(struct mw_store *s, const char *url, bool *exists,
                            struct mw_err *err) {
  sqlite3_stmt *st;
  *exists = false;
  int rc = store_stmt(s, STMT_ARTICLE_EXISTS,
                      "SELECT 1 FROM articles WHERE url = ?1", &st, err);
  if (rc) return rc;
  store_bind_text(st, 1, url);
  int step = sqlite3_step(st);
  *exists = step == SQLITE_ROW;
  sqlite3_reset(st);
  if (step != SQLITE_ROW && step != SQLITE_DONE)
    return store_db_err(s, err, "looking up an article URL");
  return MW_OK;
}

int mw_store_add_attachment(struct mw_store *s, int64_t source_id,
                            const char *url, const char *text, int64_t when,
                            bool *inserted, struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_ATTACHMENT_ADD,
                      "INSERT INTO attachments (source_id, url, text, first_seen)"
                      " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (url) DO NOTHING",
                      &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, source_id);
  store_bind_text(st, 2, url);
  store_bind_text(st, 3, text);
  sqlite3_bind_int64(st, 4, when);
  int step = sqlite3_step(st);
  sqlite3_reset(st);
  if (step != SQLITE_DONE)
    return store_db_err(s, err, "recording an attachment");
  if (inserted) *inserted = sqlite3_changes(s->db) > 0;
  return MW_OK;
}

int mw_store_count_attachments(struct mw_store *s, int64_t source_id,
                               int64_t *n, struct mw_err *err) {
  sqlite3_stmt *st = NULL;
  *n = 0;
  if (sqlite3_prepare_v2(s->db,
                         "SELECT count(*) FROM attachments WHERE source_id = ?1",
                         -1, &st, NULL) != SQLITE_OK)
    return store_db_err(s, err, "counting attachments");
  sqlite3_bind_int64(st, 1, source_id);
  if (sqlite3_step(st) == SQLITE_ROW) *n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return MW_OK;
}
