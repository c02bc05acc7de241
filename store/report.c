/*
 * report.c: the store queries only the reports need beside coverage.c:
 * articles per day of a period, the sources that failed all period, and
 * the stories of a work bulletin (工作简报) with their original's text.
 *
 * Days are given as instants (local midnights) by the caller: the store
 * knows no time zone. Each day is one range scan of the index on
 * articles.counted_at, so a month is 31 small queries rather than one that
 * has to compute a local date per article.
 *
 * A source failed all period when it was polled in the period and no poll
 * in it succeeded. fetch_log keeps the last MW_STORE_FETCH_LOG_KEEP polls
 * of a source, so the sources row (last attempt, last success) is asked
 * too: a success or an attempt it records inside the period counts even
 * when the log has been trimmed.
 *
 * What it leaves to others: the zone and the days (report/period.c),
 * rendering (report/).
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

/* Topic cells, then the all-articles cell (topic NULL sorts first). */
static const char SQL_DAILY[] =
    "SELECT m.topic, count(*)"
    " FROM articles a JOIN matches m ON m.article_id = a.id"
    " WHERE a.counted_at >= ?1 AND a.counted_at < ?2"
    " GROUP BY m.topic"
    " UNION ALL"
    " SELECT NULL, count(*) FROM articles a"
    " WHERE a.counted_at >= ?1 AND a.counted_at < ?2"
    " ORDER BY 1";

static const char SQL_FAILED[] =
    "SELECT s.id, o.name, o.tier, s.url,"
    " (SELECT count(*) FROM fetch_log f WHERE f.source_id = s.id"
    "   AND f.fetched_at >= ?1 AND f.fetched_at < ?2 AND f.ok = 0),"
    " s.last_ok, s.last_fetch, s.last_status, s.last_error"
    " FROM sources s JOIN outlets o ON o.id = s.outlet_id"
    " WHERE s.active = 1"
    " AND (EXISTS (SELECT 1 FROM fetch_log f WHERE f.source_id = s.id"
    "        AND f.fetched_at >= ?1 AND f.fetched_at < ?2)"
    "      OR (s.last_fetch >= ?1 AND s.last_fetch < ?2))"
    " AND NOT EXISTS (SELECT 1 FROM fetch_log f WHERE f.source_id = s.id"
    "        AND f.fetched_at >= ?1 AND f.fetched_at < ?2 AND f.ok = 1)"
    " AND NOT (s.last_ok >= ?1 AND s.last_ok < ?2)"
    " ORDER BY o.name, s.url";

static int oom(struct mw_store *s, struct mw_err *err, const char *what) {
  return mw_err_set(err, MW_ENOMEM, "store %s: out of memory in %s", s->path,
                    what);
}

void mw_coverage_daily_free(struct mw_coverage_daily *d) {
  if (!d) return;
  for (size_t i = 0; i < d->n_cells; i++) free(d->cells[i].topic);
  free(d->cells);
  free(d->bounds);
  free(d);
}

/* Appends the cells of day `day` ([from, to)) to d; *cap is the capacity
 * of d->cells. */
static int daily_one(struct mw_store *s, struct mw_coverage_daily *d,
                     size_t *cap, size_t day, struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_REPORT_DAILY, SQL_DAILY, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, d->bounds[day]);
  sqlite3_bind_int64(st, 2, d->bounds[day + 1]);
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    int64_t count = sqlite3_column_int64(st, 1);
    if (count == 0) continue; /* the all-articles row of an empty day */
    if (d->n_cells == *cap) {
      size_t ncap = *cap ? *cap * 2 : 64;
      struct mw_daily_cell *p = realloc(d->cells, ncap * sizeof *p);
      if (!p) {
        sqlite3_reset(st);
        return oom(s, err, "daily coverage");
      }
      d->cells = p;
      *cap = ncap;
    }
    struct mw_daily_cell *c = &d->cells[d->n_cells];
    *c = (struct mw_daily_cell){.day = day, .count = count};
    if (!store_column_dup(st, 0, &c->topic)) {
      sqlite3_reset(st);
      return oom(s, err, "daily coverage");
    }
    d->n_cells++;
  }
  sqlite3_reset(st);
  if (step != SQLITE_DONE) return store_db_err(s, err, "counting per day");
  return MW_OK;
}

int mw_store_coverage_daily(struct mw_store *s, const int64_t *bounds,
                            size_t n_days, struct mw_coverage_daily **out,
                            struct mw_err *err) {
  *out = NULL;
  if (!bounds || n_days == 0 || n_days > MW_STORE_DAILY_MAX_DAYS)
    return mw_err_set(err, MW_EINVAL,
                      "store: a daily count needs 1 to %d days, not %zu",
                      MW_STORE_DAILY_MAX_DAYS, n_days);
  for (size_t i = 0; i < n_days; i++)
    if (bounds[i + 1] <= bounds[i])
      return mw_err_set(err, MW_EINVAL,
                        "store: day %zu of a daily count ends (%lld) before "
                        "it starts (%lld)",
                        i, (long long)bounds[i + 1], (long long)bounds[i]);
  struct mw_coverage_daily *d = calloc(1, sizeof *d);
  if (!d || !(d->bounds = malloc((n_days + 1) * sizeof *d->bounds))) {
    free(d);
    return oom(s, err, "daily coverage");
  }
  memcpy(d->bounds, bounds, (n_days + 1) * sizeof *bounds);
  d->n_days = n_days;
  size_t cap = 0;
  for (size_t day = 0; day < n_days; day++) {
    int rc = daily_one(s, d, &cap, day, err);
    if (rc) {
      mw_coverage_daily_free(d);
      return rc;
    }
  }
  *out = d;
  return MW_OK;
}

void mw_failed_sources_free(struct mw_failed_source *arr, size_t n) {
  if (!arr) return;
  for (size_t i = 0; i < n; i++) {
    free(arr[i].outlet);
    free(arr[i].url);
    free(arr[i].last_error);
  }
  free(arr);
}

static int read_failed(struct mw_store *s, sqlite3_stmt *st,
                       struct mw_failed_source *f, struct mw_err *err) {
  memset(f, 0, sizeof *f);
  f->id = sqlite3_column_int64(st, 0);
  f->failures = sqlite3_column_int64(st, 4);
  f->last_ok = sqlite3_column_int64(st, 5);
  f->last_fetch = sqlite3_column_int64(st, 6);
  f->last_status = sqlite3_column_int64(st, 7);
  if (!store_column_dup(st, 1, &f->outlet) ||
      !store_column_dup(st, 3, &f->url) ||
      !store_column_dup(st, 8, &f->last_error))
    return oom(s, err, "failed sources");
  const char *tier = (const char *)sqlite3_column_text(st, 2);
  if (!tier || mw_tier_parse(tier, &f->tier))
    return mw_err_set(err, MW_EDB,
                      "store %s: outlet '%s' has unknown tier "
                      "'%s'",
                      s->path, f->outlet ? f->outlet : "", tier ? tier : "");
  return MW_OK;
}

int mw_store_failed_sources(struct mw_store *s, int64_t from, int64_t to,
                            struct mw_failed_source **out, size_t *n,
                            struct mw_err *err) {
  *out = NULL;
  *n = 0;
  if (from > to)
    return mw_err_set(err, MW_EINVAL,
                      "store: failed-sources period ends (%lld) before it "
                      "starts (%lld)",
                      (long long)to, (long long)from);
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_REPORT_FAILED_SOURCES, SQL_FAILED, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, from);
  sqlite3_bind_int64(st, 2, to);
  struct mw_failed_source *arr = NULL;
  size_t len = 0, cap = 0;
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    if (len == cap) {
      size_t ncap = cap ? cap * 2 : 8;
      struct mw_failed_source *p = realloc(arr, ncap * sizeof *p);
      if (!p) {
        rc = oom(s, err, "failed sources");
        goto fail;
      }
      arr = p;
      cap = ncap;
    }
    /* Counted before reading, so a half-read row is freed too. */
    if ((rc = read_failed(s, st, &arr[len++], err))) goto fail;
  }
  if (step != SQLITE_DONE) {
    rc = store_db_err(s, err, "listing failed sources");
    goto fail;
  }
  sqlite3_reset(st);
  *out = arr;
  *n = len;
  return MW_OK;
fail:
  sqlite3_reset(st);
  mw_failed_sources_free(arr, len);
  return rc;
}

/* ------------------------------------------------------- bulletin stories */

/* Stories of the period: one per cluster with a member in it, one per
 * article in none; the topic filter (a JSON array, NULL for none) looks at
 * every member of a cluster. */
static const char SQL_BULLETIN[] =
    "WITH hit AS (SELECT a.id, a.cluster_id FROM articles a"
    "   WHERE a.counted_at >= ?1 AND a.counted_at < ?2),"
    " story AS (SELECT cluster_id AS cid, min(id) AS aid FROM hit"
    "   GROUP BY coalesce(cluster_id, -id)),"
    " pick AS (SELECT s.cid, coalesce(c.original_article_id, s.aid) AS art,"
    "   coalesce(c.outlet_count, 1) AS reach,"
    "   coalesce(c.article_count, 1) AS members, c.original_outlet AS orig"
    "   FROM story s LEFT JOIN clusters c ON c.id = s.cid"
    "   WHERE ?3 IS NULL"
    "   OR (s.cid IS NULL AND EXISTS (SELECT 1 FROM matches m"
    "       WHERE m.article_id = s.aid"
    "       AND m.topic IN (SELECT value FROM json_each(?3))))"
    "   OR (s.cid IS NOT NULL AND EXISTS (SELECT 1 FROM articles x"
    "       JOIN matches m ON m.article_id = x.id WHERE x.cluster_id = s.cid"
    "       AND m.topic IN (SELECT value FROM json_each(?3)))))"
    " SELECT a.id, p.cid, a.title, o.name,"
    "   coalesce(nullif(p.orig, ''), nullif(a.origin, ''), o.name), a.url,"
    "   substr(a.text, 1, ?5), a.counted_at, p.reach, p.members"
    " FROM pick p JOIN articles a ON a.id = p.art"
    " JOIN outlets o ON o.id = a.outlet_id"
    " ORDER BY p.reach DESC, p.members DESC, a.counted_at, a.id"
    " LIMIT ?4";

void mw_bulletin_stories_free(struct mw_bulletin_story *arr, size_t n) {
  if (!arr) return;
  for (size_t i = 0; i < n; i++) {
    free(arr[i].title);
    free(arr[i].outlet);
    free(arr[i].source);
    free(arr[i].url);
    free(arr[i].text);
  }
  free(arr);
}

/* topics as a JSON array of strings into b. */
static int topics_json(struct mw_buf *b, const char *const *topics,
                       size_t n) {
  int rc = mw_buf_putc(b, '[');
  for (size_t i = 0; !rc && i < n; i++) {
    if (i) rc = mw_buf_putc(b, ',');
    if (!rc) rc = mw_buf_putc(b, '"');
    for (const char *p = topics[i]; !rc && p && *p; p++) {
      unsigned char c = (unsigned char)*p;
      if (c == '"' || c == '\\')
        rc = mw_buf_printf(b, "\\%c", c);
      else if (c < 0x20)
        rc = mw_buf_printf(b, "\\u%04x", c);
      else
        rc = mw_buf_putc(b, (char)c);
    }
    if (!rc) rc = mw_buf_putc(b, '"');
  }
  return rc ? rc : mw_buf_putc(b, ']');
}

static bool read_story(sqlite3_stmt *st, struct mw_bulletin_story *b) {
  memset(b, 0, sizeof *b);
  b->article_id = sqlite3_column_int64(st, 0);
  b->cluster_id = sqlite3_column_int64(st, 1);
  b->time = sqlite3_column_int64(st, 7);
  b->outlet_count = sqlite3_column_int64(st, 8);
  b->article_count = sqlite3_column_int64(st, 9);
  return store_column_dup(st, 2, &b->title) &&
         store_column_dup(st, 3, &b->outlet) &&
         store_column_dup(st, 4, &b->source) &&
         store_column_dup(st, 5, &b->url) && store_column_dup(st, 6, &b->text);
}

int mw_store_bulletin_stories(struct mw_store *s, int64_t from, int64_t to,
                              const char *const *topics, size_t n_topics,
                              size_t limit, struct mw_bulletin_story **out,
                              size_t *n, struct mw_err *err) {
  *out = NULL;
  *n = 0;
  if (from > to)
    return mw_err_set(err, MW_EINVAL,
                      "store: bulletin period ends (%lld) before it starts "
                      "(%lld)",
                      (long long)to, (long long)from);
  struct mw_buf tj;
  mw_buf_init(&tj, 1u << 20);
  if (n_topics && topics_json(&tj, topics, n_topics)) {
    mw_buf_cleanup(&tj);
    return oom(s, err, "bulletin topics");
  }
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_BULLETIN_STORIES, SQL_BULLETIN, &st, err);
  if (rc) {
    mw_buf_cleanup(&tj);
    return rc;
  }
  sqlite3_bind_int64(st, 1, from);
  sqlite3_bind_int64(st, 2, to);
  if (n_topics)
    sqlite3_bind_text(st, 3, tj.data, (int)tj.len, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(st, 3);
  sqlite3_bind_int64(st, 4, store_limit(limit));
  sqlite3_bind_int(st, 5, MW_STORE_LEAD_CHARS);
  mw_buf_cleanup(&tj);
  struct mw_bulletin_story *arr = NULL;
  size_t len = 0, cap = 0;
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    if (len == cap) {
      size_t ncap = cap ? cap * 2 : 8;
      struct mw_bulletin_story *p = realloc(arr, ncap * sizeof *p);
      if (!p) {
        rc = oom(s, err, "bulletin stories");
        goto fail;
      }
      arr = p;
      cap = ncap;
    }
    /* Counted before reading, so a half-read row is freed too. */
    if (!read_story(st, &arr[len++])) {
      rc = oom(s, err, "bulletin stories");
      goto fail;
    }
  }
  if (step != SQLITE_DONE) {
    rc = store_db_err(s, err, "listing bulletin stories");
    goto fail;
  }
  sqlite3_reset(st);
  *out = arr;
  *n = len;
  return MW_OK;
fail:
  sqlite3_reset(st);
  mw_bulletin_stories_free(arr, len);
  return rc;
}
