/*
 * open.c: opening the store, its pragmas, schema migrations, and the
 * transactions callers group their writes in.
 *
 * The schema version lives in PRAGMA user_version. Migrations form one
 * ordered list; open applies those above the file's version in a single
 * write transaction, so a file is always at some whole version. Later
 * issues append migration 2, 3, ... and never edit a published one.
 * A file written by a newer build (version above ours) is refused rather
 * than guessed at.
 *
 * sqlite opens files lazily and silently falls back to read-only, so open
 * checks for that and runs the migration transaction itself: a path that
 * cannot be written fails here, with the path and the reason, not at the
 * first insert an hour later. A file this call created is removed again if
 * open fails, so a failed start leaves no junk behind. A new file is
 * created 0600 (its -wal and -shm follow), whatever the umask.
 *
 * What the other files own: outlets, sources and fetch records (sources.c),
 * articles and matches (articles.c), the coverage query (coverage.c),
 * alerts (alerts.c, alert_events.c, silences.c, outbox.c, sensitivity.c),
 * the mentions index (mentions.c), source health (health.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store_int.h"

#define BUSY_TIMEOUT_MS 5000
/* sqlite's own page cache, in KiB (a string: it is pasted into the
 * PRAGMA). What the hot path reads again is small: the URL index, the
 * reprint index (article_hashes, simhash_bands), the last pages of the
 * tables; article texts are written once and read back rarely, and the
 * operating system's cache stands behind this one. Measured on the crawl
 * benchmark (bench/crawl), 1 MiB costs no more CPU than 2 to 32 MiB, while
 * every MiB of it is resident memory. No mmap_size either: mapped pages of
 * the file count as resident too. */
#define STORE_CACHE_KIB "1024"

/* Migration n brings a file from version n - 1 to n. DDL only, no values:
 * run with sqlite3_exec, so nothing here is ever built from input. */
static const char *const migrations[] = {
    /* 1: outlets, sources, the fetch log, articles and topic matches. */
    "CREATE TABLE outlets ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  tier TEXT NOT NULL CHECK (tier IN ('central', 'provincial', 'city',"
    "    'county', 'portal', 'new-media')),"
    "  region TEXT,"
    "  active INTEGER NOT NULL DEFAULT 1"
    ");"
    "CREATE TABLE sources ("
    "  id INTEGER PRIMARY KEY,"
    "  outlet_id INTEGER NOT NULL REFERENCES outlets(id),"
    "  url TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL,"
    "  poll_interval_s INTEGER NOT NULL,"
    "  etag TEXT,"
    "  last_modified TEXT,"
    "  next_due INTEGER NOT NULL DEFAULT 0,"
    "  consecutive_failures INTEGER NOT NULL DEFAULT 0,"
    "  last_error TEXT,"
    "  last_fetch INTEGER NOT NULL DEFAULT 0,"
    "  last_ok INTEGER NOT NULL DEFAULT 0,"
    "  last_status INTEGER NOT NULL DEFAULT 0,"
    "  active INTEGER NOT NULL DEFAULT 1"
    ");"
    "CREATE INDEX sources_outlet ON sources (outlet_id);"
    /* Short history per source (trimmed on insert), for source health. */
    "CREATE TABLE fetch_log ("
    "  id INTEGER PRIMARY KEY,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id),"
    "  fetched_at INTEGER NOT NULL,"
    "  ok INTEGER NOT NULL,"
    "  http_status INTEGER NOT NULL,"
    "  error TEXT,"
    "  new_articles INTEGER NOT NULL"
    ");"
    "CREATE INDEX fetch_log_source ON fetch_log (source_id, id);"
    /* outlet_id is the publisher (the source's outlet), copied at insert so
     * a source moving to another outlet does not rewrite history.
     * counted_at is the time coverage counts by: published when the page
     * said, else when we first saw it. */
    "CREATE TABLE articles ("
    "  id INTEGER PRIMARY KEY,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id),"
    "  outlet_id INTEGER NOT NULL REFERENCES outlets(id),"
    "  url TEXT NOT NULL UNIQUE,"
    "  guid TEXT,"
    "  title TEXT,"
    "  author TEXT,"
    "  origin TEXT,"
    "  text TEXT,"
    "  published INTEGER,"
    "  fetched INTEGER NOT NULL,"
    "  counted_at INTEGER NOT NULL"
    "    GENERATED ALWAYS AS (coalesce(published, fetched)) STORED"
    ");"
    /* The coverage query scans a time range and groups by outlet. */
    "CREATE INDEX articles_counted ON articles (counted_at, outlet_id);"
    "CREATE INDEX articles_source ON articles (source_id);"
    "CREATE TABLE matches ("
    "  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
    "  topic TEXT NOT NULL,"
    "  terms TEXT,"
    "  PRIMARY KEY (article_id, topic)"
    ") WITHOUT ROWID;"
    "CREATE INDEX matches_topic ON matches (topic, article_id);",
    /* 2: reprint clusters. articles.simhash is mw_simhash's value as a
     * signed 64-bit integer (0: text too short, NULL: stored before this
     * version); cluster_id is NULL for articles in no cluster. A cluster's
     * counts and original are kept up to date by store/clusters.c so the
     * report reads them without grouping. */
    "CREATE TABLE clusters ("
    "  id INTEGER PRIMARY KEY,"
    "  original_article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,"
    "  original_outlet TEXT,"
    "  first_seen INTEGER NOT NULL,"
    "  article_count INTEGER NOT NULL DEFAULT 0,"
    "  outlet_count INTEGER NOT NULL DEFAULT 0"
    ");"
    "ALTER TABLE articles ADD COLUMN simhash INTEGER;"
    "ALTER TABLE articles ADD COLUMN cluster_id INTEGER"
    "  REFERENCES clusters(id) ON DELETE SET NULL;"
    "CREATE INDEX articles_cluster ON articles (cluster_id);"
    /* The hash cut into 4 bands of 16 bits (band 0 the lowest bits): two
     * hashes at most 3 bits apart agree on at least one whole band, so
     * looking up the 4 bands finds every such neighbour. The primary key
     * is the (band, value) index. No foreign key: checking it on article
     * deletes would need another index, and the lookup joins articles, so
     * a row left behind is never read. */
    "CREATE TABLE simhash_bands ("
    "  band INTEGER NOT NULL,"
    "  value INTEGER NOT NULL,"
    "  article_id INTEGER NOT NULL,"
    "  PRIMARY KEY (band, value, article_id)"
    ") WITHOUT ROWID;",
    /* 3: attachments of listing pages (PDF, DOC, images): recorded with the
     * listing's source, never fetched as articles. */
    "CREATE TABLE attachments ("
    "  id INTEGER PRIMARY KEY,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id),"
    "  url TEXT NOT NULL UNIQUE,"
    "  text TEXT,"
    "  first_seen INTEGER NOT NULL"
    ");"
    "CREATE INDEX attachments_source ON attachments (source_id, first_seen);",
    /* 4: the reprint index kept narrow. articles.simhash and cluster_id sit
     * after the long text, so reading them walks the row's overflow pages
     * and setting them rewrites the whole row. article_hashes holds what
     * clustering reads of every hashed article (simhash 0 included), the
     * publishing outlet and coverage time copied at insert like
     * articles.outlet_id; each band row carries the whole hash so the
     * candidates of a lookup are judged without a join. articles keeps
     * simhash and cluster_id, written at insert, for the coverage query
     * and readers of the table. */
    "CREATE TABLE article_hashes ("
    "  article_id INTEGER PRIMARY KEY"
    "    REFERENCES articles(id) ON DELETE CASCADE,"
    "  simhash INTEGER NOT NULL,"
    "  cluster_id INTEGER,"
    "  outlet_id INTEGER NOT NULL,"
    "  counted_at INTEGER NOT NULL"
    ");"
    "INSERT INTO article_hashes (article_id, simhash, cluster_id, outlet_id,"
    "  counted_at)"
    "  SELECT id, simhash, cluster_id, outlet_id, counted_at FROM articles"
    "  WHERE simhash IS NOT NULL;"
    /* A cluster's members, earliest first. */
    "CREATE INDEX article_hashes_cluster ON article_hashes"
    "  (cluster_id, counted_at) WHERE cluster_id IS NOT NULL;"
    "ALTER TABLE simhash_bands ADD COLUMN simhash INTEGER;"
    "UPDATE simhash_bands SET simhash = (SELECT h.simhash FROM"
    "  article_hashes h WHERE h.article_id = simhash_bands.article_id);",
    /* 5: alerts and the on-duty workflow. An article's sensitivity (score,
     * level 0..4, 属地) as the alerts engine decided it, in a narrow table
     * of its own with the outlet and first-seen time the spread count
     * reads: setting columns of articles would rewrite each long row (and
     * its overflow pages) once more. Only articles that scored anything
     * have a row. Spread and burst counts go by first-seen time. */
    "CREATE TABLE article_sensitivity ("
    "  article_id INTEGER PRIMARY KEY REFERENCES articles(id)"
    "    ON DELETE CASCADE,"
    "  score REAL NOT NULL,"
    "  level INTEGER NOT NULL,"
    "  region TEXT,"
    "  outlet_id INTEGER NOT NULL,"
    "  fetched INTEGER NOT NULL"
    ");"
    "CREATE INDEX article_sensitivity_region ON article_sensitivity"
    "  (region, fetched, outlet_id) WHERE level >= 1;"
    "CREATE INDEX IF NOT EXISTS articles_fetched ON articles (fetched);"
    /* One row per grouping key. Ids and times that may be absent are NULL
     * (the API reads them as 0). cluster_id has no foreign key: an empty
     * cluster is deleted (clusters.c) while its alert lives on. */
    "CREATE TABLE alerts ("
    "  id INTEGER PRIMARY KEY,"
    "  key TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL,"
    "  cluster_id INTEGER,"
    "  article_id INTEGER,"
    "  topic TEXT,"
    "  region TEXT,"
    "  level INTEGER NOT NULL,"
    "  state TEXT NOT NULL,"
    "  title TEXT,"
    "  url TEXT,"
    "  reason TEXT,"
    "  created INTEGER NOT NULL,"
    "  updated INTEGER NOT NULL,"
    "  deadline INTEGER,"
    "  acked_at INTEGER,"
    "  acked_by TEXT,"
    "  assignee TEXT,"
    "  due INTEGER,"
    "  escalation INTEGER NOT NULL DEFAULT 0,"
    "  notified_at INTEGER,"
    "  notified_level INTEGER,"
    "  silence_id INTEGER,"
    "  overdue INTEGER NOT NULL DEFAULT 0"
    ");"
    /* mw_store_alert_list's order; the open alerts (what the engine's tick
     * and the duty desk read) in a partial index of their own. */
    "CREATE INDEX alerts_order ON alerts (level, created, id);"
    "CREATE INDEX alerts_open ON alerts (level, created, id)"
    "  WHERE state <> 'closed';"
    "CREATE TABLE alert_articles ("
    "  alert_id INTEGER NOT NULL REFERENCES alerts(id),"
    "  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (alert_id, article_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX alert_articles_article ON alert_articles (article_id);"
    "CREATE TABLE alert_events ("
    "  id INTEGER PRIMARY KEY,"
    "  alert_id INTEGER NOT NULL REFERENCES alerts(id),"
    "  at INTEGER NOT NULL,"
    "  actor TEXT,"
    "  action TEXT NOT NULL,"
    "  from_state TEXT,"
    "  to_state TEXT,"
    "  comment TEXT"
    ");"
    "CREATE INDEX alert_events_alert ON alert_events (alert_id, at);"
    "CREATE TABLE silences ("
    "  id INTEGER PRIMARY KEY,"
    "  topic TEXT,"
    "  region TEXT,"
    "  term TEXT,"
    "  starts INTEGER NOT NULL,"
    "  ends INTEGER NOT NULL,"
    "  created_by TEXT,"
    "  reason TEXT,"
    "  created INTEGER NOT NULL"
    ");"
    /* The outbox: alert_id NULL for a digest, sent_at NULL while pending.
     * No foreign key on alert_id: a message outlives nothing it needs. The
     * partial index is each receiver's queue in order. */
    "CREATE TABLE outbox ("
    "  id INTEGER PRIMARY KEY,"
    "  alert_id INTEGER,"
    "  receiver TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  text TEXT,"
    "  json TEXT,"
    "  created INTEGER NOT NULL,"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_at INTEGER NOT NULL,"
    "  last_error TEXT,"
    "  sent_at INTEGER"
    ");"
    "CREATE INDEX outbox_pending ON outbox (receiver, id)"
    "  WHERE sent_at IS NULL;"
    "CREATE INDEX outbox_alert ON outbox (alert_id) WHERE alert_id IS NOT NULL;"
    "CREATE TABLE held ("
    "  id INTEGER PRIMARY KEY,"
    "  receiver TEXT NOT NULL,"
    "  alert_id INTEGER,"
    "  at INTEGER NOT NULL,"
    "  line TEXT NOT NULL"
    ");"
    "CREATE INDEX held_receiver ON held (receiver, at);",
    /* 6: the mentions coverage targets count (store/mentions.c), so a count
     * never reads article texts. article_mentions holds an article under
     * every indexed term its title or text contains; mention_terms the
     * highest article id searched for each term, so indexing resumes
     * there and a term configured later is caught up from the start. */
    "CREATE TABLE article_mentions ("
    "  term TEXT NOT NULL,"
    "  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (term, article_id)"
    ") WITHOUT ROWID;"
    "CREATE TABLE mention_terms ("
    "  term TEXT PRIMARY KEY,"
    "  indexed_through INTEGER NOT NULL"
    ");",
    /* 7: the dashboard (mediawatch serve). Users and their web sessions
     * (the cookie's token is kept only as its SHA-256, so a copy of the
     * file signs no one in); the full-text index of titles and texts
     * (FTS5, trigram tokens so Chinese needs no word segmentation; external
     * content, so the texts are not stored twice; filled in batches by
     * store/search.c up to search_state's watermark, never on the crawl
     * path); counters that only grow, for /metrics (fetch_log is trimmed). */
    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  role TEXT NOT NULL CHECK (role IN ('viewer', 'duty', 'admin')),"
    "  hash TEXT NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  changed INTEGER NOT NULL"
    ");"
    "CREATE TABLE web_sessions ("
    "  token_hash TEXT PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  csrf TEXT NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  expires INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX web_sessions_expires ON web_sessions (expires);"
    /* The cascade from users looks sessions up by user. */
    "CREATE INDEX web_sessions_user ON web_sessions (user_id);"
    "CREATE VIRTUAL TABLE article_fts USING fts5(title, text,"
    "  content='articles', content_rowid='id', tokenize='trigram');"
    /* One row: the highest article id in article_fts. Articles are only
     * ever added, in id order, so everything above it is pending. */
    "CREATE TABLE search_state ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  indexed_through INTEGER NOT NULL"
    ");"
    "INSERT INTO search_state (id, indexed_through) VALUES (1, 0);"
    /* Start from what the fetch log still knows. */
    "CREATE TABLE counters ("
    "  name TEXT PRIMARY KEY,"
    "  value INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "INSERT INTO counters (name, value) VALUES"
    "  ('fetches', (SELECT count(*) FROM fetch_log)),"
    "  ('fetch_failures', (SELECT count(*) FROM fetch_log WHERE ok = 0));",
    /* 8: source health (store/health.c). The fetch log keeps what a usable
     * 200 yielded (links; NULL when not known) and the permanent redirect
     * followed; a source keeps its adaptive interval and why, the redirect
     * target its polls lead to and since when, and its first poll. An
     * existing source's first poll is the oldest one we know of: the fetch
     * log is trimmed, so the first article's fetch time (one index step
     * each) counts too, else the last poll. */
    "ALTER TABLE fetch_log ADD COLUMN links INTEGER;"
    "ALTER TABLE fetch_log ADD COLUMN moved_to TEXT;"
    "ALTER TABLE sources ADD COLUMN interval_s INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE sources ADD COLUMN interval_why TEXT;"
    "ALTER TABLE sources ADD COLUMN moved_to TEXT;"
    "ALTER TABLE sources ADD COLUMN moved_since INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE sources ADD COLUMN first_fetch INTEGER NOT NULL DEFAULT 0;"
    "UPDATE sources SET first_fetch = min("
    "  coalesce((SELECT min(f.fetched_at) FROM fetch_log f"
    "    WHERE f.source_id = sources.id), 9223372036854775807),"
    "  coalesce((SELECT a.fetched FROM articles a"
    "    WHERE a.source_id = sources.id ORDER BY a.id LIMIT 1),"
    "    9223372036854775807));"
    "UPDATE sources SET first_fetch = last_fetch"
    "  WHERE first_fetch = 9223372036854775807;"
    /* One narrow row per new article: what health judges extraction and
     * encoding on, read newest first per source. */
    "CREATE TABLE article_quality ("
    "  article_id INTEGER PRIMARY KEY"
    "    REFERENCES articles(id) ON DELETE CASCADE,"
    "  source_id INTEGER NOT NULL,"
    "  fetched INTEGER NOT NULL,"
    "  flags INTEGER NOT NULL,"
    "  chars INTEGER NOT NULL,"
    "  odd_chars INTEGER NOT NULL"
    ");"
    "CREATE INDEX article_quality_source ON article_quality"
    "  (source_id, article_id);"
    /* A source's publication times, newest first, read from the index
     * alone: counted_at sits behind the long text in the row. */
    "CREATE INDEX articles_source_counted ON articles (source_id, counted_at);"
    /* Problems found by the health check; cleared 0 while open, and at
     * most one open row per source and code. */
    "CREATE TABLE source_problems ("
    "  id INTEGER PRIMARY KEY,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id),"
    "  code TEXT NOT NULL,"
    "  severity TEXT NOT NULL,"
    "  detail TEXT,"
    "  since INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL,"
    "  notified INTEGER NOT NULL DEFAULT 0,"
    "  cleared INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE UNIQUE INDEX source_problems_open ON source_problems"
    "  (source_id, code) WHERE cleared = 0;"
    /* Small named values that survive restarts (the last digest day). */
    "CREATE TABLE state ("
    "  name TEXT PRIMARY KEY,"
    "  value INTEGER NOT NULL"
    ") WITHOUT ROWID;",
};

#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

int mw_store_schema_version(void) { return N_MIGRATIONS; }

int store_db_err(struct mw_store *s, struct mw_err *err, const char *what) {
  return mw_err_set(err, MW_EDB, "store %s: %s: %s", s->path, what,
                    sqlite3_errmsg(s->db));
}

int store_stmt(struct mw_store *s, enum store_stmt_id id, const char *sql,
               sqlite3_stmt **out, struct mw_err *err) {
  sqlite3_stmt *st = s->stmts[id];
  if (st) {
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
  } else {
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
                           NULL) != SQLITE_OK)
      return store_db_err(s, err, "preparing a statement");
    s->stmts[id] = st;
  }
  *out = st;
  return MW_OK;
}

int store_bind_text(sqlite3_stmt *st, int i, const char *v) {
  return v ? sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT)
           : sqlite3_bind_null(st, i);
}

bool store_column_dup(sqlite3_stmt *st, int col, char **out) {
  const unsigned char *t = sqlite3_column_text(st, col);
  if (!t) {
    *out = NULL;
    /* NULL text is either SQL NULL or an allocation failure. */
    return sqlite3_column_type(st, col) == SQLITE_NULL;
  }
  *out = mw_strndup((const char *)t, (size_t)sqlite3_column_bytes(st, col));
  return *out != NULL;
}

/* Runs a cached statement that returns no rows. */
static int run_simple(struct mw_store *s, enum store_stmt_id id,
                      const char *sql, const char *what, struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, id, sql, &st, err);
  if (rc) return rc;
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? MW_OK : store_db_err(s, err, what);
}

int mw_store_begin(struct mw_store *s, struct mw_err *err) {
  /* IMMEDIATE takes the write lock now, so a busy database waits here
   * (busy_timeout) instead of failing halfway through the batch. */
  return run_simple(s, STMT_BEGIN, "BEGIN IMMEDIATE", "starting a batch",
                    err);
}

int mw_store_commit(struct mw_store *s, struct mw_err *err) {
  return run_simple(s, STMT_COMMIT, "COMMIT", "committing a batch", err);
}

void mw_store_rollback(struct mw_store *s) {
  if (!s || sqlite3_get_autocommit(s->db)) return; /* nothing open */
  run_simple(s, STMT_ROLLBACK, "ROLLBACK", "rolling back", NULL);
}

int store_savepoint(struct mw_store *s, struct mw_err *err) {
  return run_simple(s, STMT_SAVEPOINT, "SAVEPOINT mw_op", "starting a write",
                    err);
}

int store_savepoint_end(struct mw_store *s, bool ok, struct mw_err *err) {
  if (ok)
    return run_simple(s, STMT_RELEASE, "RELEASE mw_op", "finishing a write",
                      err);
  /* Undo and drop the savepoint. Some errors (disk full, I/O) already rolled
   * the whole transaction back; then there is nothing left to undo. */
  run_simple(s, STMT_ROLLBACK_TO, "ROLLBACK TO mw_op", "undoing a write",
             NULL);
  run_simple(s, STMT_RELEASE, "RELEASE mw_op", "finishing a write", NULL);
  return MW_OK;
}

/* Reads PRAGMA user_version. */
static int read_version(struct mw_store *s, int *version, struct mw_err *err) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) !=
      SQLITE_OK)
    return store_db_err(s, err, "reading the schema version");
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *version = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return rc == SQLITE_ROW ? MW_OK
                          : store_db_err(s, err, "reading the schema version");
}

/* Brings the schema to N_MIGRATIONS in one transaction. */
static int migrate(struct mw_store *s, struct mw_err *err) {
  if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return store_db_err(s, err, "starting the schema update");
  int version = 0;
  int rc = read_version(s, &version, err);
  if (rc) goto fail;
  if (version > N_MIGRATIONS) {
    rc = mw_err_set(err, MW_EDB,
                    "store %s: schema version %d is newer than this build "
                    "knows (%d); use a newer mediawatch",
                    s->path, version, N_MIGRATIONS);
    goto fail;
  }
  for (int v = version + 1; v <= N_MIGRATIONS; v++) {
    if (sqlite3_exec(s->db, migrations[v - 1], NULL, NULL, NULL) !=
        SQLITE_OK) {
      char what[64];
      snprintf(what, sizeof what, "schema migration %d", v);
      rc = store_db_err(s, err, what);
      goto fail;
    }
  }
  if (version < N_MIGRATIONS) {
    /* PRAGMA takes no bound parameters; the value is our own constant. */
    char sql[48];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", N_MIGRATIONS);
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
      rc = store_db_err(s, err, "writing the schema version");
      goto fail;
    }
  }
  if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
    rc = store_db_err(s, err, "committing the schema update");
    goto fail;
  }
  return MW_OK;
fail:
  sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

/* Pragmas every connection needs; foreign keys and the busy timeout are
 * per connection, WAL is stored in the file. */
static int configure(struct mw_store *s, struct mw_err *err) {
  if (sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS) != SQLITE_OK ||
      sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) !=
          SQLITE_OK)
    return store_db_err(s, err, "setting up the connection");
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st, NULL) !=
      SQLITE_OK)
    return store_db_err(s, err, "switching to WAL");
  int rc = sqlite3_step(st);
  const char *mode =
      rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
  if (!mode) mode = "";
  /* ":memory:" databases keep the "memory" journal; files must get WAL. */
  bool wal = !mw_ascii_casecmp(mode, "wal");
  bool memory = !mw_ascii_casecmp(mode, "memory");
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW) return store_db_err(s, err, "switching to WAL");
  if (!wal && !memory)
    return mw_err_set(err, MW_EDB,
                      "store %s: the file system does not support the WAL "
                      "journal (shared memory); put the store on a local disk",
                      s->path);
  /* In WAL, NORMAL loses at most the last commits on power loss, never
   * consistency; FULL would fsync every batch. The page cache is small on
   * purpose (see STORE_CACHE_KIB). Temporary storage in memory: inside a
   * batch every savepoint (store_savepoint) and every statement that may
   * fail halfway keeps the pages it changes in a sub-journal, emptied when
   * it ends; on disk that journal was written for every article (600 MB
   * for a crawl of 10,000 pages into a 100 MB store), in memory it stays
   * a few pages. The sorts of the report queries are small. */
  if (sqlite3_exec(s->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) !=
          SQLITE_OK ||
      sqlite3_exec(s->db, "PRAGMA cache_size = -" STORE_CACHE_KIB, NULL, NULL,
                   NULL) != SQLITE_OK ||
      sqlite3_exec(s->db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL) !=
          SQLITE_OK)
    return store_db_err(s, err, "setting up the connection");
  return MW_OK;
}

/* Removes a database file this open created, with its side files. */
static void remove_created(const char *path) {
  static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
  size_t n = strlen(path);
  char *p = malloc(n + sizeof "-journal");
  if (!p) return;
  for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
    memcpy(p, path, n);
    memcpy(p + n, suffix[i], strlen(suffix[i]) + 1);
    unlink(p);
  }
  free(p);
}

/* Says why path could not be opened. sqlite retries a failed create
 * read-only, so its errno often describes the retry (ENOENT), not why the
 * create failed: look at the folder first. */
static void explain_open_failure(const char *path, int sys_errno, char *buf,
                                 size_t n) {
  const char *slash = strrchr(path, '/');
  size_t dir_len = !slash ? 0 : slash == path ? 1 : (size_t)(slash - path);
  char *dir = slash ? mw_strndup(path, dir_len) : mw_strdup(".");
  struct stat sb;
  if (!dir)
    snprintf(buf, n, "%s", sys_errno ? strerror(sys_errno) : "unknown reason");
  else if (stat(dir, &sb) != 0)
    snprintf(buf, n, "folder %s: %s", dir, strerror(errno));
  else if (!S_ISDIR(sb.st_mode))
    snprintf(buf, n, "%s is not a folder", dir);
  else if (access(dir, W_OK | X_OK) != 0)
    snprintf(buf, n, "cannot create files in folder %s: %s", dir,
             strerror(errno));
  else
    snprintf(buf, n, "%s", sys_errno ? strerror(sys_errno) : "unknown reason");
  free(dir);
}

/* Creates path readable and writable by its owner only, before sqlite
 * opens it: sqlite would create it 0644 less the umask, and it gives the
 * -wal, -shm and -journal files the database's own mode, so they follow.
 * The store holds session hashes, user password hashes and every alert;
 * other local users have no business reading it. An existing file keeps
 * the mode its owner gave it. Returns 0 (and *made) or an errno value;
 * EEXIST is no error: another process created it first. */
static int create_private(const char *path, bool *made) {
  *made = false;
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return errno == EEXIST ? 0 : errno;
  close(fd);
  *made = true;
  return 0;
}

static void close_db(struct mw_store *s) {
  for (int i = 0; i < STMT_COUNT; i++) sqlite3_finalize(s->stmts[i]);
  memset(s->stmts, 0, sizeof s->stmts);
  sqlite3_close(s->db); /* all statements finalized: cannot be busy */
  s->db = NULL;
}

int mw_store_open(const char *path, struct mw_store **out, struct mw_err *err) {
  *out = NULL;
  if (!path || !*path)
    return mw_err_set(err, MW_EINVAL,
                      "store: no database path given (storage: in the config)");
  bool memory = !strcmp(path, ":memory:");
  struct stat sb;
  bool existed = memory || stat(path, &sb) == 0;

  struct mw_store *s = calloc(1, sizeof *s);
  if (!s || !(s->path = mw_strdup(path))) {
    free(s);
    return mw_err_set(err, MW_ENOMEM, "store %s: out of memory", path);
  }
  int rc;
  if (!existed) {
    bool made;
    int sys = create_private(path, &made);
    existed = !made; /* lost a race: another process's file, never removed */
    if (sys) {
      char why[MW_ERR_MSG_MAX / 2];
      explain_open_failure(path, sys, why, sizeof why);
      rc = mw_err_set(err, MW_EDB, "store %s: cannot create or open the "
                      "database: %s", path, why);
      goto fail;
    }
  }
  rc = sqlite3_open_v2(path, &s->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                           SQLITE_OPEN_NOMUTEX,
                       NULL);
  if (rc != SQLITE_OK) {
    if (!s->db) {
      rc = mw_err_set(err, MW_ENOMEM, "store %s: out of memory", path);
    } else {
      char why[MW_ERR_MSG_MAX / 2];
      explain_open_failure(path, sqlite3_system_errno(s->db), why, sizeof why);
      rc = mw_err_set(err, MW_EDB, "store %s: cannot create or open the "
                      "database: %s", path, why);
    }
    goto fail;
  }
  sqlite3_extended_result_codes(s->db, 1);
  /* sqlite falls back to read-only when the file is not writable. */
  if (sqlite3_db_readonly(s->db, "main") == 1) {
    rc = mw_err_set(err, MW_EDB,
                    "store %s: the file is read-only; the store needs write "
                    "access to it and its folder",
                    path);
    goto fail;
  }
  if ((rc = configure(s, err)) || (rc = migrate(s, err))) goto fail;
  *out = s;
  return MW_OK;
fail:
  if (s->db) close_db(s);
  if (!existed) remove_created(path);
  free(s->path);
  free(s);
  return rc;
}

void mw_store_close(struct mw_store *s) {
  if (!s) return;
  /* SQLite's advice before closing a connection that ran queries: gather
   * the planner's statistics for the tables it used that have none or
   * stale ones. Without them, one index added later can tempt the planner
   * into walking every match of a million-article store (bench/report);
   * when they are fresh this costs nothing. */
  if (s->db) sqlite3_exec(s->db, "PRAGMA optimize", NULL, NULL, NULL);
  close_db(s);
  free(s->path);
  free(s);
}
