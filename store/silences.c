/*
 * silences.c: periods during which alerts on a topic, in a region or with
 * a term are recorded but not notified, with who set them and why.
 *
 * A silence is a window [starts, ends). Ending one early moves its end to
 * now and never later, so an expired silence keeps the end it had; rows
 * are never deleted, so the duty log can still say why an alert stayed
 * quiet (alerts.silence_id).
 *
 * What it leaves to others: whether an alert matches a silence (topic
 * equality, region containment by the gazetteer, term in the text: the
 * alerts engine, alerts/).
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

static const char SQL_ADD[] =
    "INSERT INTO silences (topic, region, term, starts, ends, created_by,"
    " reason, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
#define SILENCE_COLUMNS                                               \
  "SELECT id, topic, region, term, starts, ends, created_by, reason," \
  " created FROM silences"
static const char SQL_ACTIVE[] = SILENCE_COLUMNS
    " WHERE starts <= ?1 AND ends > ?1 ORDER BY created DESC, id DESC";
static const char SQL_ALL[] = SILENCE_COLUMNS " ORDER BY created DESC, id DESC";
static const char SQL_END[] =
    "UPDATE silences SET ends = min(ends, ?2) WHERE id = ?1";

int mw_store_silence_add(struct mw_store *s, const struct mw_silence *si,
                         int64_t *id, struct mw_err *err) {
  if (si->ends <= si->starts)
    return mw_err_set(err, MW_EINVAL,
                      "store: a silence must end (%lld) after it starts (%lld)",
                      (long long)si->ends, (long long)si->starts);
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_SILENCE_ADD, SQL_ADD, &st, err);
  if (rc) return rc;
  store_bind_text(st, 1, si->topic);
  store_bind_text(st, 2, si->region);
  store_bind_text(st, 3, si->term);
  sqlite3_bind_int64(st, 4, si->starts);
  sqlite3_bind_int64(st, 5, si->ends);
  store_bind_text(st, 6, si->created_by);
  store_bind_text(st, 7, si->reason);
  sqlite3_bind_int64(st, 8, si->created);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc != SQLITE_DONE) return store_db_err(s, err, "storing a silence");
  *id = sqlite3_last_insert_rowid(s->db);
  return MW_OK;
}

void mw_silences_free(struct mw_silence *arr, size_t n) {
  if (!arr) return;
  for (size_t i = 0; i < n; i++) {
    free(arr[i].topic);
    free(arr[i].region);
    free(arr[i].term);
    free(arr[i].created_by);
    free(arr[i].reason);
  }
  free(arr);
}

int mw_store_silences(struct mw_store *s, int64_t now, struct mw_silence **out,
                      size_t *n, struct mw_err *err) {
  *out = NULL;
  *n = 0;
  enum store_stmt_id id = now ? STMT_SILENCES_ACTIVE : STMT_SILENCES_ALL;
  sqlite3_stmt *st;
  int rc = store_stmt(s, id, now ? SQL_ACTIVE : SQL_ALL, &st, err);
  if (rc) return rc;
  if (now) sqlite3_bind_int64(st, 1, now);
  struct mw_silence *arr = NULL;
  size_t cap = 0, len = 0;
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    if (len == cap) {
      size_t ncap = cap ? cap * 2 : 8;
      struct mw_silence *p = realloc(arr, ncap * sizeof *p);
      if (!p) goto nomem;
      arr = p;
      cap = ncap;
    }
    struct mw_silence *si = &arr[len++];
    memset(si, 0, sizeof *si);
    si->id = sqlite3_column_int64(st, 0);
    si->starts = sqlite3_column_int64(st, 4);
    si->ends = sqlite3_column_int64(st, 5);
    si->created = sqlite3_column_int64(st, 8);
    if (!store_column_dup(st, 1, &si->topic) ||
        !store_column_dup(st, 2, &si->region) ||
        !store_column_dup(st, 3, &si->term) ||
        !store_column_dup(st, 6, &si->created_by) ||
        !store_column_dup(st, 7, &si->reason))
      goto nomem;
  }
  sqlite3_reset(st);
  if (step != SQLITE_DONE) {
    mw_silences_free(arr, len);
    return store_db_err(s, err, "reading silences");
  }
  *out = arr;
  *n = len;
  return MW_OK;
nomem:
  sqlite3_reset(st);
  mw_silences_free(arr, len);
  return mw_err_set(err, MW_ENOMEM, "store %s: out of memory reading silences",
                    s->path);
}

int mw_store_silence_end(struct mw_store *s, int64_t id, int64_t now,
                         struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_SILENCE_END, SQL_END, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, now);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) return store_db_err(s, err, "ending a silence");
  if (sqlite3_changes(s->db) == 0)
    return mw_err_set(err, MW_ENOTFOUND, "store %s: silence %lld not found",
                      s->path, (long long)id);
  return MW_OK;
}
