/*
 * sessions.c: signed-in dashboard sessions, kept by the SHA-256 (hex) of
 * the cookie's random token, so a copy of the database signs no one in.
 *
 * A session is live while expires > now and its user exists; the user's
 * role is read at every lookup (a join), so a role change or a removal
 * applies to open sessions at once. Expired rows are harmless (a lookup
 * refuses them) and are deleted in bulk by mw_store_sessions_expire.
 *
 * What it leaves to others: making tokens and hashing them, the cookie,
 * sliding the lifetime (web/auth.c); users (users.c).
 */
#include <string.h>

#include "store/store_int.h"

#define SESSION_TEXT_MAX 64 /* bytes of csrf; mw_web_session holds 64 + NUL */

static const char SQL_SESSION_ADD[] =
    "INSERT INTO web_sessions (token_hash, user_id, csrf, created, expires,"
    " last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?4)";
static const char SQL_SESSION_GET[] =
    "SELECT w.user_id, u.name, u.role, w.csrf, w.created, w.expires,"
    " w.last_seen FROM web_sessions w JOIN users u ON u.id = w.user_id"
    " WHERE w.token_hash = ?1 AND w.expires > ?2";
static const char SQL_SESSION_TOUCH[] =
    "UPDATE web_sessions SET last_seen = ?2, expires = ?3"
    " WHERE token_hash = ?1";
static const char SQL_SESSION_REMOVE[] =
    "DELETE FROM web_sessions WHERE token_hash = ?1";
static const char SQL_SESSIONS_EXPIRE[] =
    "DELETE FROM web_sessions WHERE expires <= ?1";

/* Copies the text column col into buf (n bytes with the NUL); false when it
 * is NULL or does not fit. */
static bool copy_column(sqlite3_stmt *st, int col, char *buf, size_t n) {
  const unsigned char *t = sqlite3_column_text(st, col);
  size_t len = (size_t)sqlite3_column_bytes(st, col);
  if (!t || len >= n) return false;
  memcpy(buf, t, len);
  buf[len] = '\0';
  return true;
}

int mw_store_session_add(struct mw_store *s, const char *token_hash,
                         int64_t user_id, const char *csrf, int64_t now,
                         int64_t expires, struct mw_err *err) {
  if (!token_hash || !*token_hash)
    return mw_err_set(err, MW_EINVAL, "store: a session has no token hash");
  if (!csrf || !*csrf || strnlen(csrf, SESSION_TEXT_MAX + 1) > SESSION_TEXT_MAX)
    return mw_err_set(err, MW_EINVAL,
                      "store: a session's CSRF token must be 1 to %d bytes",
                      SESSION_TEXT_MAX);
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_SESSION_ADD, SQL_SESSION_ADD, &st, err);
  if (rc) return rc;
  store_bind_text(st, 1, token_hash);
  sqlite3_bind_int64(st, 2, user_id);
  store_bind_text(st, 3, csrf);
  sqlite3_bind_int64(st, 4, now);
  sqlite3_bind_int64(st, 5, expires);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    return mw_err_set(err, MW_ENOTFOUND,
                      "store %s: no user with id %lld to open a session for",
                      s->path, (long long)user_id);
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    return mw_err_set(err, MW_EINVAL,
                      "store %s: a session with this token exists already",
                      s->path);
  if (rc != SQLITE_DONE) return store_db_err(s, err, "opening a session");
  return MW_OK;
}

int mw_store_session_get(struct mw_store *s, const char *token_hash,
                         int64_t now, struct mw_web_session *out,
                         struct mw_err *err) {
  memset(out, 0, sizeof *out);
  if (!token_hash)
    return mw_err_set(err, MW_ENOTFOUND, "store %s: no such session", s->path);
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_SESSION_GET, SQL_SESSION_GET, &st, err);
  if (rc) return rc;
  store_bind_text(st, 1, token_hash);
  sqlite3_bind_int64(st, 2, now);
  int step = sqlite3_step(st);
  if (step == SQLITE_ROW) {
    out->user_id = sqlite3_column_int64(st, 0);
    out->created = sqlite3_column_int64(st, 4);
    out->expires = sqlite3_column_int64(st, 5);
    out->last_seen = sqlite3_column_int64(st, 6);
    const char *role = (const char *)sqlite3_column_text(st, 2);
    if (!copy_column(st, 1, out->user, sizeof out->user) ||
        !copy_column(st, 3, out->csrf, sizeof out->csrf) ||
        mw_user_role_parse(role, &out->role))
      rc = mw_err_set(err, MW_EDB,
                      "store %s: a session row or its user is malformed",
                      s->path);
  } else if (step == SQLITE_DONE) {
    /* Absent, expired and removed user read the same to a caller. */
    rc = mw_err_set(err, MW_ENOTFOUND,
                    "store %s: no live session for this token", s->path);
  } else {
    rc = store_db_err(s, err, "reading a session");
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc) memset(out, 0, sizeof *out);
  return rc;
}

/* Runs a cached statement with token_hash as ?1 and up to two integers. */
static int run_token(struct mw_store *s, enum store_stmt_id id, const char *sql,
                     const char *token_hash, int64_t a, int64_t b,
                     const char *what, struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, id, sql, &st, err);
  if (rc) return rc;
  store_bind_text(st, 1, token_hash);
  sqlite3_bind_int64(st, 2, a);
  sqlite3_bind_int64(st, 3, b);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return rc == SQLITE_DONE ? MW_OK : store_db_err(s, err, what);
}

int mw_store_session_touch(struct mw_store *s, const char *token_hash,
                           int64_t now, int64_t expires, struct mw_err *err) {
  if (!token_hash)
    return mw_err_set(err, MW_EINVAL, "store: a session has no token hash");
  return run_token(s, STMT_SESSION_TOUCH, SQL_SESSION_TOUCH, token_hash, now,
                   expires, "refreshing a session", err);
}

int mw_store_session_remove(struct mw_store *s, const char *token_hash,
                            struct mw_err *err) {
  if (!token_hash) return MW_OK;
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_SESSION_REMOVE, SQL_SESSION_REMOVE, &st, err);
  if (rc) return rc;
  store_bind_text(st, 1, token_hash);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return rc == SQLITE_DONE ? MW_OK : store_db_err(s, err, "ending a session");
}

int mw_store_sessions_expire(struct mw_store *s, int64_t now,
                             struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_SESSIONS_EXPIRE, SQL_SESSIONS_EXPIRE, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, now);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return rc == SQLITE_DONE ? MW_OK
                           : store_db_err(s, err, "deleting expired sessions");
}
