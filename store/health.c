/*
 * health.c: what the source health check (health/) reads and writes in the
 * store: one quality row per new article, the history of one source (its
 * logged polls, its newest articles' quality in two windows, its
 * publication times), the problems found and whether the admins were told,
 * and small named values that survive restarts.
 *
 * The history is read for every source every few minutes on a store of a
 * million articles, so every query here walks an index to the rows it
 * needs and stops: polls by fetch_log_source, quality rows by
 * article_quality_source, publication times by articles_source_counted
 * (counted_at sits behind the long text in the row, the index holds it),
 * the newest article by articles_source. Windows are summed here in C from
 * at most recent_n + MW_HISTORY_BASELINE narrow rows.
 *
 * What it leaves to others: judging the history (health/), writing the
 * fetch log and a source's health fields (sources.c, with each poll), the
 * schema (open.c, migration 8).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

/* The history reads MW_HISTORY_POLLS polls from the log; the log must keep
 * at least that many. */
_Static_assert(MW_STORE_FETCH_LOG_KEEP >= MW_HISTORY_POLLS,
               "fetch_log keeps fewer polls than the health history reads");

/* Ceilings: the publication times one history reads, and the recent window
 * a caller may ask for (health.recent_articles is tens). */
#define HISTORY_PUBLISHED_MAX 10000
#define HISTORY_RECENT_MAX 10000

static const char SQL_QUALITY_ADD[] =
    "INSERT OR REPLACE INTO article_quality (article_id, source_id, fetched,"
    " flags, chars, odd_chars) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
/* One row when the source exists: the fetched time of its newest article
 * (highest id, articles_source), read once, 0 when it has none. */
static const char SQL_HISTORY_SOURCE[] =
    "SELECT coalesce((SELECT a.fetched FROM articles a WHERE a.id ="
    " (SELECT max(b.id) FROM articles b WHERE b.source_id = s.id)), 0)"
    " FROM sources s WHERE s.id = ?1";
static const char SQL_HISTORY_POLLS[] =
    "SELECT fetched_at, ok, http_status, error, links, new_articles"
    " FROM fetch_log WHERE source_id = ?1 ORDER BY id DESC LIMIT ?2";
static const char SQL_HISTORY_QUALITY[] =
    "SELECT article_id, fetched, flags, chars, odd_chars FROM article_quality"
    " WHERE source_id = ?1 ORDER BY article_id DESC LIMIT ?2";
static const char SQL_HISTORY_EXAMPLE[] =
    "SELECT url, title FROM articles WHERE id = ?1";
static const char SQL_PUBLICATION_TIMES[] =
    "SELECT counted_at FROM articles WHERE source_id = ?1"
    " AND counted_at >= ?2 ORDER BY counted_at DESC LIMIT ?3";
static const char SQL_PROBLEM_OPEN_GET[] =
    "SELECT id FROM source_problems WHERE source_id = ?1 AND code = ?2"
    " AND cleared = 0";
static const char SQL_PROBLEM_INSERT[] =
    "INSERT INTO source_problems (source_id, code, severity, detail, since,"
    " last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?5)";
static const char SQL_PROBLEM_UPDATE[] =
    "UPDATE source_problems SET severity = ?2, detail = ?3, last_seen = ?4"
    " WHERE id = ?1";
static const char SQL_PROBLEMS_OF_SOURCE[] =
    "SELECT id, code FROM source_problems WHERE source_id = ?1"
    " AND cleared = 0";
static const char SQL_PROBLEM_CLEAR[] =
    "UPDATE source_problems SET cleared = ?2 WHERE id = ?1";
static const char SQL_PROBLEM_NOTIFIED[] =
    "UPDATE source_problems SET notified = ?2 WHERE id = ?1";
static const char SQL_PROBLEMS_OPEN[] =
    "SELECT id, source_id, code, severity, detail, since, last_seen, notified,"
    " cleared FROM source_problems WHERE cleared = 0"
    " ORDER BY source_id, since, id";
static const char SQL_STATE_GET[] = "SELECT value FROM state WHERE name = ?1";
static const char SQL_STATE_SET[] =
    "INSERT INTO state (name, value) VALUES (?1, ?2)"
    " ON CONFLICT (name) DO UPDATE SET value = excluded.value";

static int nomem(struct mw_store *s, struct mw_err *err, const char *what) {
  return mw_err_set(err, MW_ENOMEM, "store %s: out of memory %s", s->path,
                    what);
}

/* ------------------------------------------------------------- quality */

int mw_store_add_quality(struct mw_store *s, const struct mw_article_quality *q,
                         struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_QUALITY_ADD, SQL_QUALITY_ADD, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, q->article_id);
  sqlite3_bind_int64(st, 2, q->source_id);
  sqlite3_bind_int64(st, 3, q->fetched);
  sqlite3_bind_int64(st, 4, (int64_t)q->flags);
  sqlite3_bind_int64(st, 5, q->chars);
  sqlite3_bind_int64(st, 6, q->odd_chars);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) {
    char what[96];
    snprintf(what, sizeof what, "recording the quality of article %lld",
             (long long)q->article_id);
    return store_db_err(s, err, what);
  }
  return MW_OK;
}

/* ------------------------------------------------------------- history */

static void window_free(struct mw_quality_window *w) {
  free(w->example_url);
  free(w->example_title);
  w->example_url = w->example_title = NULL;
}

void mw_source_history_free(struct mw_source_history *h) {
  if (!h) return;
  for (size_t i = 0; i < h->n_polls; i++) free(h->polls[i].error);
  free(h->polls);
  window_free(&h->recent);
  window_free(&h->baseline);
  free(h->published);
  free(h->failed_url);
  free(h->failed_reason);
  memset(h, 0, sizeof *h);
}

/* Fills *last_new; MW_ENOTFOUND when source_id is unknown. */
static int read_last_new(struct mw_store *s, int64_t source_id,
                         int64_t *last_new, struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_HISTORY_SOURCE, SQL_HISTORY_SOURCE, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, source_id);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *last_new = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  if (rc == SQLITE_DONE)
    return mw_err_set(err, MW_ENOTFOUND,
                      "store %s: no source with id %lld to read the history "
                      "of", s->path, (long long)source_id);
  if (rc != SQLITE_ROW)
    return store_db_err(s, err, "reading a source's newest article");
  return MW_OK;
}

/* The logged polls, newest first, and failing_since from them. */
static int read_polls(struct mw_store *s, int64_t source_id,
                      struct mw_source_history *h, struct mw_err *err) {
  h->polls = calloc(MW_HISTORY_POLLS, sizeof *h->polls);
  if (!h->polls) return nomem(s, err, "reading a source's polls");
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_HISTORY_POLLS, SQL_HISTORY_POLLS, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, source_id);
  sqlite3_bind_int(st, 2, MW_HISTORY_POLLS);
  while (h->n_polls < MW_HISTORY_POLLS &&
         (rc = sqlite3_step(st)) == SQLITE_ROW) {
    struct mw_poll_rec *p = &h->polls[h->n_polls];
    p->when = sqlite3_column_int64(st, 0);
    p->ok = sqlite3_column_int(st, 1) != 0;
    p->http_status = (long)sqlite3_column_int64(st, 2);
    p->links = sqlite3_column_type(st, 4) == SQLITE_NULL
                   ? -1
                   : sqlite3_column_int64(st, 4);
    p->new_articles = sqlite3_column_int64(st, 5);
    /* Counted first, so a half-read row is freed too. */
    h->n_polls++;
    if (!store_column_dup(st, 3, &p->error)) {
      sqlite3_reset(st);
      return nomem(s, err, "reading a source's polls");
    }
  }
  sqlite3_reset(st);
  if (h->n_polls < MW_HISTORY_POLLS && rc != SQLITE_DONE)
    return store_db_err(s, err, "reading a source's polls");
  /* The oldest failure of the run of failures the log ends with (newest
   * first: the run starts at index 0 and stops at the first ok poll). */
  h->failing_since = 0;
  for (size_t i = 0; i < h->n_polls && !h->polls[i].ok; i++)
    h->failing_since = h->polls[i].when;
  return MW_OK;
}

/* A window being summed, and the row it will show as its example. */
struct window_acc {
  struct mw_quality_window *w;
  int64_t example_id;
  int64_t example_odd;
};

static void window_add(struct window_acc *a, sqlite3_stmt *st) {
  struct mw_quality_window *w = a->w;
  int64_t id = sqlite3_column_int64(st, 0);
  int64_t fetched = sqlite3_column_int64(st, 1);
  unsigned flags = (unsigned)sqlite3_column_int64(st, 2);
  int64_t chars = sqlite3_column_int64(st, 3);
  int64_t odd = sqlite3_column_int64(st, 4);
  /* Rows come newest first: the first one is the newest, and on a tie of
   * odd characters the newer one stays the example. */
  if (w->articles == 0) {
    w->newest_fetched = fetched;
    a->example_id = id;
    a->example_odd = odd;
  } else if (odd > a->example_odd) {
    a->example_id = id;
    a->example_odd = odd;
  }
  w->oldest_fetched = fetched;
  w->articles++;
  w->with_title += (flags & MW_QUALITY_TITLE) != 0;
  w->with_date += (flags & MW_QUALITY_DATE) != 0;
  w->with_origin += (flags & MW_QUALITY_ORIGIN) != 0;
  w->with_body += (flags & MW_QUALITY_BODY) != 0;
  w->chars += chars;
  w->odd_chars += odd;
}

/* The example's URL and title. An article deleted since takes its quality
 * row with it (ON DELETE CASCADE), so a missing one leaves both NULL. */
static int read_example(struct mw_store *s, struct window_acc *a,
                        struct mw_err *err) {
  if (a->w->articles == 0) return MW_OK;
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_HISTORY_EXAMPLE, SQL_HISTORY_EXAMPLE, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, a->example_id);
  rc = sqlite3_step(st);
  bool ok = true;
  if (rc == SQLITE_ROW)
    ok = store_column_dup(st, 0, &a->w->example_url) &&
         store_column_dup(st, 1, &a->w->example_title);
  sqlite3_reset(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return store_db_err(s, err, "reading an example article");
  return ok ? MW_OK : nomem(s, err, "reading an example article");
}

/* The recent window (newest recent_n quality rows) and the baseline (the
 * MW_HISTORY_BASELINE before them), in one walk of the index. */
static int read_windows(struct mw_store *s, int64_t source_id,
                        size_t recent_n, struct mw_source_history *h,
                        struct mw_err *err) {
  struct window_acc recent = {.w = &h->recent};
  struct window_acc base = {.w = &h->baseline};
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_HISTORY_QUALITY, SQL_HISTORY_QUALITY, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, source_id);
  sqlite3_bind_int64(st, 2, (int64_t)recent_n + MW_HISTORY_BASELINE);
  size_t i = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    window_add(i++ < recent_n ? &recent : &base, st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE)
    return store_db_err(s, err, "reading the quality of a source's articles");
  if ((rc = read_example(s, &recent, err))) return rc;
  return read_example(s, &base, err);
}

int mw_store_publication_times(struct mw_store *s, int64_t source_id,
                               int64_t since, size_t max, int64_t **out,
                               size_t *n, struct mw_err *err) {
  *out = NULL;
  *n = 0;
  if (max == 0) return MW_OK;
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_PUBLICATION_TIMES, SQL_PUBLICATION_TIMES, &st,
                      err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, source_id);
  sqlite3_bind_int64(st, 2, since);
  sqlite3_bind_int64(st, 3, max > INT64_MAX ? INT64_MAX : (int64_t)max);
  int64_t *arr = NULL;
  size_t len = 0, cap = 0;
  while (len < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (len == cap) {
      size_t ncap = cap ? cap * 2 : 64;
      if (ncap > max) ncap = max;
      int64_t *p = realloc(arr, ncap * sizeof *p);
      if (!p) {
        sqlite3_reset(st);
        free(arr);
        return nomem(s, err, "reading publication times");
      }
      arr = p;
      cap = ncap;
    }
    arr[len++] = sqlite3_column_int64(st, 0);
  }
  sqlite3_reset(st);
  if (len < max && rc != SQLITE_DONE) {
    free(arr);
    return store_db_err(s, err, "reading publication times");
  }
  /* Read newest first (so the cut keeps the newest); handed out
   * ascending. */
  for (size_t i = 0; i < len / 2; i++) {
    int64_t t = arr[i];
    arr[i] = arr[len - 1 - i];
    arr[len - 1 - i] = t;
  }
  *out = arr;
  *n = len;
  return MW_OK;
}

int mw_store_source_history(struct mw_store *s, int64_t source_id,
                            size_t recent_n, int64_t pub_since,
                            struct mw_source_history *out, struct mw_err *err) {
  memset(out, 0, sizeof *out);
  if (recent_n > HISTORY_RECENT_MAX)
    return mw_err_set(err, MW_EINVAL,
                      "store %s: a recent window of %zu articles is more "
                      "than %d (health.recent_articles)",
                      s->path, recent_n, HISTORY_RECENT_MAX);
  int rc = read_last_new(s, source_id, &out->last_new, err);
  if (!rc) rc = read_polls(s, source_id, out, err);
  if (!rc) rc = read_windows(s, source_id, recent_n, out, err);
  if (!rc)
    rc = mw_store_publication_times(s, source_id, pub_since,
                                    HISTORY_PUBLISHED_MAX, &out->published,
                                    &out->n_published, err);
  if (!rc)
    rc = store_read_page_failures(s, source_id, out->recent.oldest_fetched,
                                  out, err);
  if (rc) mw_source_history_free(out);
  return rc;
}

/* ------------------------------------------------------------ problems */

/* The id of the open problem code of source_id, 0 when there is none. */
static int open_problem(struct mw_store *s, int64_t source_id,
                        const char *code, int64_t *id, struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_PROBLEM_OPEN_GET, SQL_PROBLEM_OPEN_GET, &st,
                      err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, source_id);
  store_bind_text(st, 2, code);
  rc = sqlite3_step(st);
  *id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_reset(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE
             ? MW_OK
             : store_db_err(s, err, "looking up an open source problem");
}

static int problem_write(struct mw_store *s, int64_t source_id,
                         const char *code, const char *severity,
                         const char *detail, int64_t now, int64_t *id,
                         bool *is_new, struct mw_err *err) {
  int rc = open_problem(s, source_id, code, id, err);
  if (rc) return rc;
  sqlite3_stmt *st;
  *is_new = *id == 0;
  if (*is_new) {
    if ((rc = store_stmt(s, STMT_PROBLEM_INSERT, SQL_PROBLEM_INSERT, &st,
                         err)))
      return rc;
    sqlite3_bind_int64(st, 1, source_id);
    store_bind_text(st, 2, code);
    store_bind_text(st, 3, severity);
    store_bind_text(st, 4, detail);
    sqlite3_bind_int64(st, 5, now);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) *id = sqlite3_last_insert_rowid(s->db);
  } else {
    if ((rc = store_stmt(s, STMT_PROBLEM_UPDATE, SQL_PROBLEM_UPDATE, &st,
                         err)))
      return rc;
    sqlite3_bind_int64(st, 1, *id);
    store_bind_text(st, 2, severity);
    store_bind_text(st, 3, detail);
    sqlite3_bind_int64(st, 4, now);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
  }
  if (rc != SQLITE_DONE) {
    char what[160];
    snprintf(what, sizeof what, "recording problem %.64s of source %lld",
             code, (long long)source_id);
    return store_db_err(s, err, what);
  }
  return MW_OK;
}

int mw_store_problem_found(struct mw_store *s, int64_t source_id,
                           const char *code, const char *severity,
                           const char *detail, int64_t now, int64_t *id,
                           bool *is_new, struct mw_err *err) {
  if (!code || !*code || !severity || !*severity)
    return mw_err_set(err, MW_EINVAL,
                      "store %s: a source problem needs a code and a "
                      "severity", s->path);
  int64_t got = 0;
  bool fresh = false;
  int rc = store_savepoint(s, err);
  if (rc) return rc;
  rc = problem_write(s, source_id, code, severity, detail, now, &got, &fresh,
                     err);
  if (rc) {
    store_savepoint_end(s, false, NULL);
    return rc;
  }
  if ((rc = store_savepoint_end(s, true, err))) return rc;
  if (id) *id = got;
  if (is_new) *is_new = fresh;
  return MW_OK;
}

static bool among(const char *code, const char *const *codes, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (codes[i] && !strcmp(codes[i], code)) return true;
  return false;
}

/* The ids of source_id's open problems whose code is not among codes, into
 * a malloc'd *ids (NULL when none). Read whole before any is cleared:
 * clearing one takes it out of the index the read walks. */
static int problems_to_clear(struct mw_store *s, int64_t source_id,
                             const char *const *codes, size_t n_codes,
                             int64_t **ids, size_t *n, struct mw_err *err) {
  *ids = NULL;
  *n = 0;
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_PROBLEMS_OF_SOURCE, SQL_PROBLEMS_OF_SOURCE, &st,
                      err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, source_id);
  size_t cap = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *code = (const char *)sqlite3_column_text(st, 1);
    if (code && among(code, codes, n_codes)) continue;
    if (*n == cap) {
      size_t ncap = cap ? cap * 2 : 8;
      int64_t *p = realloc(*ids, ncap * sizeof *p);
      if (!p) {
        sqlite3_reset(st);
        return nomem(s, err, "clearing source problems");
      }
      *ids = p;
      cap = ncap;
    }
    (*ids)[(*n)++] = sqlite3_column_int64(st, 0);
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE
             ? MW_OK
             : store_db_err(s, err, "reading a source's open problems");
}

static int clear_ids(struct mw_store *s, const int64_t *ids, size_t n,
                     int64_t now, struct mw_err *err) {
  for (size_t i = 0; i < n; i++) {
    sqlite3_stmt *st;
    int rc = store_stmt(s, STMT_PROBLEM_CLEAR, SQL_PROBLEM_CLEAR, &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, ids[i]);
    sqlite3_bind_int64(st, 2, now);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
      return store_db_err(s, err, "clearing a source problem");
  }
  return MW_OK;
}

int mw_store_problems_clear_others(struct mw_store *s, int64_t source_id,
                                   const char *const *codes, size_t n_codes,
                                   int64_t now, size_t *n_cleared,
                                   struct mw_err *err) {
  if (n_cleared) *n_cleared = 0;
  /* cleared = 0 means open: a clearing time must be a real time. */
  if (now <= 0)
    return mw_err_set(err, MW_EINVAL,
                      "store %s: clearing source problems needs the time "
                      "now, got %lld", s->path, (long long)now);
  if (n_codes && !codes)
    return mw_err_set(err, MW_EINVAL,
                      "store %s: %zu problem codes to keep but no list",
                      s->path, n_codes);
  int rc = store_savepoint(s, err);
  if (rc) return rc;
  int64_t *ids = NULL;
  size_t n = 0;
  rc = problems_to_clear(s, source_id, codes, n_codes, &ids, &n, err);
  if (!rc) rc = clear_ids(s, ids, n, now, err);
  free(ids);
  if (rc) {
    store_savepoint_end(s, false, NULL);
    return rc;
  }
  if ((rc = store_savepoint_end(s, true, err))) return rc;
  if (n_cleared) *n_cleared = n;
  return MW_OK;
}

int mw_store_problem_mark_notified(struct mw_store *s, int64_t id,
                                   int64_t now, struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_PROBLEM_NOTIFIED, SQL_PROBLEM_NOTIFIED, &st,
                      err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, now);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE)
    return store_db_err(s, err, "marking a source problem notified");
  if (sqlite3_changes(s->db) == 0)
    return mw_err_set(err, MW_ENOTFOUND,
                      "store %s: no source problem with id %lld to mark "
                      "notified", s->path, (long long)id);
  return MW_OK;
}

void mw_source_problems_free(struct mw_source_problem *arr, size_t n) {
  if (!arr) return;
  for (size_t i = 0; i < n; i++) {
    free(arr[i].code);
    free(arr[i].severity);
    free(arr[i].detail);
  }
  free(arr);
}

/* Fills one row of SQL_PROBLEMS_OPEN; false on ENOMEM. */
static bool read_problem(sqlite3_stmt *st, struct mw_source_problem *p) {
  memset(p, 0, sizeof *p);
  p->id = sqlite3_column_int64(st, 0);
  p->source_id = sqlite3_column_int64(st, 1);
  p->since = sqlite3_column_int64(st, 5);
  p->last_seen = sqlite3_column_int64(st, 6);
  p->notified = sqlite3_column_int64(st, 7);
  p->cleared = sqlite3_column_int64(st, 8);
  return store_column_dup(st, 2, &p->code) &&
         store_column_dup(st, 3, &p->severity) &&
         store_column_dup(st, 4, &p->detail);
}

int mw_store_problems_open(struct mw_store *s, struct mw_source_problem **out,
                           size_t *n, struct mw_err *err) {
  *out = NULL;
  *n = 0;
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_PROBLEMS_OPEN, SQL_PROBLEMS_OPEN, &st, err);
  if (rc) return rc;
  struct mw_source_problem *arr = NULL;
  size_t len = 0, cap = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (len == cap) {
      size_t ncap = cap ? cap * 2 : 16;
      struct mw_source_problem *p = realloc(arr, ncap * sizeof *p);
      if (!p) goto oom;
      arr = p;
      cap = ncap;
    }
    /* Counted before reading, so a half-read row is freed too. */
    if (!read_problem(st, &arr[len++])) goto oom;
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) {
    mw_source_problems_free(arr, len);
    return store_db_err(s, err, "listing open source problems");
  }
  *out = arr;
  *n = len;
  return MW_OK;
oom:
  sqlite3_reset(st);
  mw_source_problems_free(arr, len);
  return nomem(s, err, "listing open source problems");
}

/* --------------------------------------------------------------- state */

int mw_store_state_get(struct mw_store *s, const char *name, int64_t *value,
                       bool *found, struct mw_err *err) {
  *found = false;
  if (!name)
    return mw_err_set(err, MW_EINVAL, "store %s: a state value needs a name",
                      s->path);
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_STATE_GET, SQL_STATE_GET, &st, err);
  if (rc) return rc;
  store_bind_text(st, 1, name);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    *value = sqlite3_column_int64(st, 0);
    *found = true;
  }
  sqlite3_reset(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    char what[96];
    snprintf(what, sizeof what, "reading state %.64s", name);
    return store_db_err(s, err, what);
  }
  return MW_OK;
}

int mw_store_state_set(struct mw_store *s, const char *name, int64_t value,
                       struct mw_err *err) {
  if (!name)
    return mw_err_set(err, MW_EINVAL, "store %s: a state value needs a name",
                      s->path);
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_STATE_SET, SQL_STATE_SET, &st, err);
  if (rc) return rc;
  store_bind_text(st, 1, name);
  sqlite3_bind_int64(st, 2, value);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) {
    char what[96];
    snprintf(what, sizeof what, "writing state %.64s", name);
    return store_db_err(s, err, what);
  }
  return MW_OK;
}
