/*
 * range.c: the span of time the stored articles cover, for `demo` and
 * anything else that must find "the weeks there is data for". Not on a hot
 * path, so the statement is prepared per call.
 */
#include "store/store_int.h"

int mw_store_article_time_range(struct mw_store *s, int64_t *min,
                                int64_t *max, struct mw_err *err) {
  sqlite3_stmt *st = NULL;
  *min = *max = MW_TIME_UNKNOWN;
  if (sqlite3_prepare_v2(s->db,
                         "SELECT min(counted_at), max(counted_at) FROM articles",
                         -1, &st, NULL) != SQLITE_OK)
    return store_db_err(s, err, "reading the article time range");
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
    *min = sqlite3_column_int64(st, 0);
    *max = sqlite3_column_int64(st, 1);
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return store_db_err(s, err, "reading the article time range");
  return MW_OK;
}
