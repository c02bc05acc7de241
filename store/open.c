/*
 * open.c: opening the store, its pragmas, schema migrations, and the
 * transactions callers group their writes in.
 *
 * The schema version lives in PRAGMA user_version. Migrations form one
 * ordered list (migrations.c); open applies those above the file's version in a single
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

#define N_MIGRATIONS ((int)mw_store_n_migrations)

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
    if (sqlite3_exec(s->db, mw_store_migrations[v - 1], NULL, NULL, NULL) !=
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
