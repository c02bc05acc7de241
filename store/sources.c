/*
 * sources.c: outlets, their sources and the fetch state of each source.
 *
 * The config is the truth for what is watched; the store keeps what the
 * config cannot: ids that articles point to, validators (ETag,
 * Last-Modified), the schedule and failure counts, and a short fetch log
 * (with what each poll yielded for the health check: links, redirects,
 * the adaptive interval worked out).
 * Syncing the config therefore upserts by natural key (outlet name, source
 * URL) and never deletes: a source dropped from the config turns inactive
 * and its articles keep their history.
 *
 * What it leaves to others: deciding when to poll and how to back off
 * (crawler/), articles (articles.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

static const char SQL_OUTLETS_DEACTIVATE[] = "UPDATE outlets SET active = 0";
static const char SQL_SOURCES_DEACTIVATE[] = "UPDATE sources SET active = 0";
static const char SQL_OUTLET_UPSERT[] =
    "INSERT INTO outlets (name, tier, region, active) VALUES (?1, ?2, ?3, 1)"
    " ON CONFLICT (name) DO UPDATE SET tier = excluded.tier,"
    " region = excluded.region, active = 1"
    " RETURNING id";
static const char SQL_SOURCE_UPSERT[] =
    "INSERT INTO sources (outlet_id, url, kind, poll_interval_s, active)"
    " VALUES (?1, ?2, ?3, ?4, 1)"
    " ON CONFLICT (url) DO UPDATE SET outlet_id = excluded.outlet_id,"
    " kind = excluded.kind, poll_interval_s = excluded.poll_interval_s,"
    " active = 1";
static const char SQL_SOURCES_LIST[] =
    "SELECT s.id, s.outlet_id, o.name, s.url, s.kind, s.poll_interval_s,"
    " s.etag, s.last_modified, s.next_due, s.consecutive_failures,"
    " s.last_error, s.last_fetch, s.last_ok, s.last_status,"
    " s.interval_s, s.interval_why, s.moved_to, s.moved_since, s.first_fetch"
    " FROM sources s JOIN outlets o ON o.id = s.outlet_id"
    " WHERE s.active = 1 ORDER BY s.id";
/* ?7: the poll succeeded; ?8: take the new validators (a 200). ?11: the
 * poll got a response, so ?12 says whether it was permanently redirected
 * (a network failure says nothing about that, and keeps what is known);
 * moved_since stays while the target stays the same. ?13 > 0: a new
 * adaptive interval, ?14 why. The right-hand sides read the old row. */
static const char SQL_SOURCE_RECORD[] =
    "UPDATE sources SET last_fetch = ?2, last_status = ?3, next_due = ?4,"
    " consecutive_failures = ?5, last_error = ?6,"
    " last_ok = CASE WHEN ?7 THEN ?2 ELSE last_ok END,"
    " etag = CASE WHEN ?8 THEN ?9 ELSE etag END,"
    " last_modified = CASE WHEN ?8 THEN ?10 ELSE last_modified END,"
    " first_fetch = CASE WHEN first_fetch = 0 THEN ?2 ELSE first_fetch END,"
    " moved_to = CASE WHEN ?11 THEN ?12 ELSE moved_to END,"
    " moved_since = CASE WHEN NOT ?11 THEN moved_since"
    "  WHEN ?12 IS NULL THEN 0"
    "  WHEN moved_to IS ?12 AND moved_since <> 0 THEN moved_since"
    "  ELSE ?2 END,"
    " interval_s = CASE WHEN ?13 > 0 THEN ?13 ELSE interval_s END,"
    " interval_why = CASE WHEN ?13 > 0 THEN ?14 ELSE interval_why END"
    " WHERE id = ?1";
/* ?7: links, NULL when the poll yielded no usable page to count them on. */
static const char SQL_FETCH_LOG_ADD[] =
    "INSERT INTO fetch_log (source_id, fetched_at, ok, http_status, error,"
    " new_articles, links, moved_to) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
/* The all-time poll counters /metrics reads (fetch_log is trimmed); ?1:
 * the poll failed. 0.7 us; "name IN (...)" builds a temporary index on
 * every run (11 us). */
static const char SQL_COUNTERS_FETCH[] =
    "UPDATE counters SET value = value + 1"
    " WHERE name = 'fetches' OR (?1 AND name = 'fetch_failures')";
/* Drops everything older than the newest ?2 rows of the source. */
static const char SQL_FETCH_LOG_TRIM[] =
    "DELETE FROM fetch_log WHERE source_id = ?1 AND id <="
    " (SELECT id FROM fetch_log WHERE source_id = ?1"
    "  ORDER BY id DESC LIMIT 1 OFFSET ?2)";

/* Checks the parts of the config the store relies on before writing, so a
 * bad config changes nothing. */
static int check_config(const struct mw_config *cfg, struct mw_err *err) {
  for (size_t i = 0; i < cfg->n_outlets; i++) {
    const struct mw_outlet_conf *o = &cfg->outlets[i];
    if (!o->name || !*o->name)
      return mw_err_set(err, MW_EINVAL, "config line %d: outlet without a name",
                        o->line);
    if ((unsigned)o->tier >= MW_TIER_COUNT)
      return mw_err_set(err, MW_EINVAL, "config line %d: outlet '%s' has no "
                        "valid tier", o->line, o->name);
    for (size_t j = 0; j < o->n_sources; j++) {
      const struct mw_source_conf *src = &o->sources[j];
      if (!src->url || !*src->url)
        return mw_err_set(err, MW_EINVAL,
                          "config line %d: a source of '%s' has no url",
                          src->line, o->name);
      if (!strcmp(mw_source_kind_name(src->kind), "unknown"))
        return mw_err_set(err, MW_EINVAL,
                          "config line %d: source %s has no valid kind",
                          src->line, src->url);
    }
  }
  return MW_OK;
}

static int run_update(struct mw_store *s, enum store_stmt_id id,
                      const char *sql, struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, id, sql, &st, err);
  if (rc) return rc;
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? MW_OK
                           : store_db_err(s, err, "syncing the config");
}

static int upsert_outlet(struct mw_store *s, const struct mw_outlet_conf *o,
                         int64_t *id, struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_OUTLET_UPSERT, SQL_OUTLET_UPSERT, &st, err);
  if (rc) return rc;
  store_bind_text(st, 1, o->name);
  store_bind_text(st, 2, mw_tier_name(o->tier));
  store_bind_text(st, 3, o->region);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *id = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  if (rc != SQLITE_ROW) {
    char what[160];
    snprintf(what, sizeof what, "saving outlet '%s' (config line %d)",
             o->name, o->line);
    return store_db_err(s, err, what);
  }
  return MW_OK;
}

static int upsert_source(struct mw_store *s, int64_t outlet_id,
                         const struct mw_source_conf *src,
                         struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_SOURCE_UPSERT, SQL_SOURCE_UPSERT, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, outlet_id);
  store_bind_text(st, 2, src->url);
  store_bind_text(st, 3, mw_source_kind_name(src->kind));
  sqlite3_bind_int64(st, 4, src->poll_interval_s);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) {
    char what[160];
    snprintf(what, sizeof what, "saving source %.100s (config line %d)",
             src->url, src->line);
    return store_db_err(s, err, what);
  }
  return MW_OK;
}

int mw_store_sync_config(struct mw_store *s, const struct mw_config *cfg,
                         struct mw_err *err) {
  int rc = check_config(cfg, err);
  if (rc) return rc;
  if ((rc = store_savepoint(s, err))) return rc;
  /* Everything inactive, then what the config names active again: whatever
   * is left inactive has vanished from the config. One savepoint, so
   * readers never see the in-between state. */
  rc = run_update(s, STMT_OUTLETS_DEACTIVATE, SQL_OUTLETS_DEACTIVATE, err);
  if (!rc)
    rc = run_update(s, STMT_SOURCES_DEACTIVATE, SQL_SOURCES_DEACTIVATE, err);
  for (size_t i = 0; !rc && i < cfg->n_outlets; i++) {
    const struct mw_outlet_conf *o = &cfg->outlets[i];
    int64_t outlet_id = 0;
    rc = upsert_outlet(s, o, &outlet_id, err);
    for (size_t j = 0; !rc && j < o->n_sources; j++)
      rc = upsert_source(s, outlet_id, &o->sources[j], err);
  }
  if (rc) {
    store_savepoint_end(s, false, NULL);
    return rc;
  }
  return store_savepoint_end(s, true, err);
}

void mw_store_sources_free(struct mw_source_state *arr, size_t n) {
  if (!arr) return;
  for (size_t i = 0; i < n; i++) {
    free(arr[i].outlet_name);
    free(arr[i].url);
    free(arr[i].etag);
    free(arr[i].last_modified);
    free(arr[i].last_error);
    free(arr[i].interval_why);
    free(arr[i].moved_to);
  }
  free(arr);
}

/* Fills one row of SQL_SOURCES_LIST; false on ENOMEM. */
static bool read_source(sqlite3_stmt *st, struct mw_source_state *r) {
  memset(r, 0, sizeof *r);
  r->id = sqlite3_column_int64(st, 0);
  r->outlet_id = sqlite3_column_int64(st, 1);
  const char *kind = (const char *)sqlite3_column_text(st, 4);
  if (!kind || mw_source_kind_parse(kind, &r->kind)) r->kind = MW_SOURCE_FEED;
  r->poll_interval_s = sqlite3_column_int64(st, 5);
  r->next_due = sqlite3_column_int64(st, 8);
  r->consecutive_failures = sqlite3_column_int64(st, 9);
  r->last_fetch = sqlite3_column_int64(st, 11);
  r->last_ok = sqlite3_column_int64(st, 12);
  r->last_status = sqlite3_column_int64(st, 13);
  r->interval_s = sqlite3_column_int64(st, 14);
  r->moved_since = sqlite3_column_int64(st, 17);
  r->first_fetch = sqlite3_column_int64(st, 18);
  return store_column_dup(st, 2, &r->outlet_name) &&
         store_column_dup(st, 3, &r->url) &&
         store_column_dup(st, 6, &r->etag) &&
         store_column_dup(st, 7, &r->last_modified) &&
         store_column_dup(st, 10, &r->last_error) &&
         store_column_dup(st, 15, &r->interval_why) &&
         store_column_dup(st, 16, &r->moved_to);
}

int mw_store_list_sources(struct mw_store *s, struct mw_source_state **out,
                          size_t *n, struct mw_err *err) {
  *out = NULL;
  *n = 0;
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_SOURCES_LIST, SQL_SOURCES_LIST, &st, err);
  if (rc) return rc;
  struct mw_source_state *arr = NULL;
  size_t len = 0, cap = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (len == cap) {
      size_t ncap = cap ? cap * 2 : 16;
      struct mw_source_state *p = realloc(arr, ncap * sizeof *p);
      if (!p) goto nomem;
      arr = p;
      cap = ncap;
    }
    /* Counted before reading, so a half-read row is freed too. */
    if (!read_source(st, &arr[len++])) goto nomem;
  }
  if (rc != SQLITE_DONE) {
    rc = store_db_err(s, err, "listing sources");
    sqlite3_reset(st);
    mw_store_sources_free(arr, len);
    return rc;
  }
  sqlite3_reset(st);
  *out = arr;
  *n = len;
  return MW_OK;
nomem:
  sqlite3_reset(st);
  mw_store_sources_free(arr, len);
  return mw_err_set(err, MW_ENOMEM, "store %s: out of memory listing sources",
                    s->path);
}

/* The error text stored for r: NULL after a success; a failure always
 * leaves a reason the health view can show. */
static const char *fetch_error(const struct mw_fetch_record *r, char *buf,
                               size_t n) {
  if (r->ok) return NULL;
  if (r->error) return r->error;
  if (!r->http_status) return "failed (no reason given)";
  snprintf(buf, n, "HTTP status %ld", r->http_status);
  return buf;
}

static int record_source(struct mw_store *s, const struct mw_fetch_record *r,
                         const char *error, struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_SOURCE_RECORD, SQL_SOURCE_RECORD, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, r->source_id);
  sqlite3_bind_int64(st, 2, r->when);
  sqlite3_bind_int64(st, 3, r->http_status);
  sqlite3_bind_int64(st, 4, r->next_due);
  sqlite3_bind_int64(st, 5, r->consecutive_failures);
  store_bind_text(st, 6, error);
  sqlite3_bind_int(st, 7, r->ok);
  sqlite3_bind_int(st, 8, r->update_validators);
  store_bind_text(st, 9, r->etag);
  store_bind_text(st, 10, r->last_modified);
  sqlite3_bind_int(st, 11, r->http_status != 0);
  store_bind_text(st, 12, r->moved_to);
  sqlite3_bind_int64(st, 13, r->interval_s > 0 ? r->interval_s : 0);
  store_bind_text(st, 14, r->interval_s > 0 ? r->interval_why : NULL);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) return store_db_err(s, err, "recording a fetch");
  if (sqlite3_changes(s->db) == 0)
    return mw_err_set(err, MW_ENOTFOUND,
                      "store %s: no source with id %lld to record a fetch for",
                      s->path, (long long)r->source_id);
  return MW_OK;
}

static int log_fetch(struct mw_store *s, const struct mw_fetch_record *r,
                     const char *error, struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_FETCH_LOG_ADD, SQL_FETCH_LOG_ADD, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, r->source_id);
  sqlite3_bind_int64(st, 2, r->when);
  sqlite3_bind_int(st, 3, r->ok);
  sqlite3_bind_int64(st, 4, r->http_status);
  store_bind_text(st, 5, error);
  sqlite3_bind_int64(st, 6, r->new_articles);
  if (r->links_known)
    sqlite3_bind_int64(st, 7, r->links);
  else
    sqlite3_bind_null(st, 7);
  store_bind_text(st, 8, r->moved_to);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) return store_db_err(s, err, "logging a fetch");

  if ((rc = store_stmt(s, STMT_FETCH_LOG_TRIM, SQL_FETCH_LOG_TRIM, &st, err)))
    return rc;
  sqlite3_bind_int64(st, 1, r->source_id);
  sqlite3_bind_int(st, 2, MW_STORE_FETCH_LOG_KEEP);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? MW_OK
                           : store_db_err(s, err, "trimming the fetch log");
}

static int count_fetch(struct mw_store *s, const struct mw_fetch_record *r,
                       struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_COUNTERS_FETCH, SQL_COUNTERS_FETCH, &st, err);
  if (rc) return rc;
  sqlite3_bind_int(st, 1, !r->ok);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? MW_OK : store_db_err(s, err, "counting a fetch");
}

int mw_store_record_fetch(struct mw_store *s, const struct mw_fetch_record *r,
                          struct mw_err *err) {
  char buf[48];
  const char *error = fetch_error(r, buf, sizeof buf);
  int rc = store_savepoint(s, err);
  if (rc) return rc;
  rc = record_source(s, r, error, err);
  if (!rc) rc = log_fetch(s, r, error, err);
  if (!rc) rc = count_fetch(s, r, err);
  if (rc) {
    store_savepoint_end(s, false, NULL);
    return rc;
  }
  return store_savepoint_end(s, true, err);
}

/* Rare (once per completed chain of pages, cli/pipeline.c), so prepared
 * each time rather than cached. */
int mw_store_set_validators(struct mw_store *s, int64_t source_id,
                            const char *etag, const char *last_modified,
                            struct mw_err *err) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db,
                         "UPDATE sources SET etag = ?2, last_modified = ?3"
                         " WHERE id = ?1",
                         -1, &st, NULL) != SQLITE_OK)
    return store_db_err(s, err, "preparing to write validators");
  sqlite3_bind_int64(st, 1, source_id);
  store_bind_text(st, 2, etag);
  store_bind_text(st, 3, last_modified);
  int rc = sqlite3_step(st) == SQLITE_DONE
               ? MW_OK
               : store_db_err(s, err, "writing validators");
  sqlite3_finalize(st);
  if (rc) return rc;
  if (sqlite3_changes(s->db) == 0)
    return mw_err_set(err, MW_ENOTFOUND,
                      "store %s: no source with id %lld to write validators for",
                      s->path, (long long)source_id);
  return MW_OK;
}
