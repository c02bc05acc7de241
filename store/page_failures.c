/*
 * page_failures.c: article pages that yielded no article (store.h,
 * mw_store_page_failed), for the source health's "extraction" verdict on
 * pages: a redesign that defeats extraction altogether stores nothing, so
 * the shares of article_quality alone would never see it.
 *
 * One row per (source, URL), the latest failure; each source keeps its
 * newest 100. Reading counts only URLs still not stored (a page that
 * worked later was a passing failure), through the articles' URL index.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

#define PAGE_FAILURES_KEPT 100

static const char SQL_PAGE_FAILED[] =
    "INSERT INTO page_failures (source_id, url, at, reason)"
    " VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (source_id, url) DO UPDATE SET at = ?3, reason = ?4";
static const char SQL_PAGE_FAILED_TRIM[] =
    "DELETE FROM page_failures WHERE source_id = ?1 AND at <"
    " (SELECT at FROM page_failures WHERE source_id = ?1"
    "  ORDER BY at DESC LIMIT 1 OFFSET ?2)";
static const char SQL_PAGE_FAILURES[] =
    "SELECT url, reason FROM page_failures f WHERE source_id = ?1"
    " AND at >= ?2 AND NOT EXISTS (SELECT 1 FROM articles a"
    " WHERE a.url = f.url) ORDER BY at DESC";

int mw_store_page_failed(struct mw_store *s, int64_t source_id,
                         const char *url, const char *reason, int64_t now,
                         struct mw_err *err) {
  if (!url || !*url)
    return mw_err_set(err, MW_EINVAL, "store %s: a failed page needs a URL",
                      s->path);
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_PAGE_FAILED, SQL_PAGE_FAILED, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, source_id);
  store_bind_text(st, 2, url);
  sqlite3_bind_int64(st, 3, now);
  store_bind_text(st, 4, reason);
  int step = sqlite3_step(st);
  sqlite3_reset(st);
  if (step != SQLITE_DONE)
    return store_db_err(s, err, "recording a failed article page");
  if ((rc = store_stmt(s, STMT_PAGE_FAILED_TRIM, SQL_PAGE_FAILED_TRIM, &st,
                       err)))
    return rc;
  sqlite3_bind_int64(st, 1, source_id);
  sqlite3_bind_int64(st, 2, PAGE_FAILURES_KEPT - 1);
  step = sqlite3_step(st);
  sqlite3_reset(st);
  if (step != SQLITE_DONE)
    return store_db_err(s, err, "trimming the failed article pages");
  return MW_OK;
}

int store_read_page_failures(struct mw_store *s, int64_t source_id,
                             int64_t since, struct mw_source_history *h,
                             struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_PAGE_FAILURES, SQL_PAGE_FAILURES, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, source_id);
  sqlite3_bind_int64(st, 2, since);
  bool ok = true;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (h->pages_failed++ == 0)
      ok = store_column_dup(st, 0, &h->failed_url) &&
           store_column_dup(st, 1, &h->failed_reason);
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE)
    return store_db_err(s, err, "reading the failed article pages");
  return ok ? MW_OK
            : mw_err_set(err, MW_ENOMEM,
                         "store %s: out of memory reading the failed article "
                         "pages",
                         s->path);
}
