/*
 * users.c: the people who may sign in to the dashboard (mediawatch serve),
 * their role and their password hash.
 *
 * The store keeps a crypt(5) string it is handed and never sees a
 * password: hashing and checking are the web layer's (web/auth.c). Names
 * are what the audit trail records as the actor of an alert action, so
 * they are kept printable: no control characters, no spaces, no '/', at
 * most 64 bytes (struct mw_web_session carries one in a fixed buffer).
 * Removing a user removes their sessions (foreign key, ON DELETE CASCADE)
 * while the audit trail keeps the name as text.
 *
 * What it leaves to others: sessions (sessions.c), who may do what with a
 * role (web/).
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

#define USER_NAME_MAX 64 /* bytes; mw_web_session.user holds 64 + NUL */

static const char SQL_USER_ADD[] =
    "INSERT INTO users (name, role, hash, created, changed)"
    " VALUES (?1, ?2, ?3, ?4, ?4)";
static const char SQL_USER_SET_HASH[] =
    "UPDATE users SET hash = ?2, changed = ?3 WHERE name = ?1 RETURNING id";
static const char SQL_SESSIONS_OF_USER[] =
    "DELETE FROM web_sessions WHERE user_id = ?1";
static const char SQL_USER_SET_ROLE[] =
    "UPDATE users SET role = ?2 WHERE name = ?1";
static const char SQL_USER_REMOVE[] = "DELETE FROM users WHERE name = ?1";
static const char SQL_USER_GET[] =
    "SELECT id, name, role, hash, created, changed FROM users WHERE name = ?1";
static const char SQL_USERS[] =
    "SELECT id, name, role, hash, created, changed FROM users ORDER BY name";

const char *mw_user_role_name(enum mw_user_role r) {
  switch (r) {
    case MW_ROLE_VIEWER: return "viewer";
    case MW_ROLE_DUTY: return "duty";
    case MW_ROLE_ADMIN: return "admin";
  }
  return "unknown";
}

const char *mw_user_role_label_zh(enum mw_user_role r) {
  switch (r) {
    case MW_ROLE_VIEWER: return "查看";
    case MW_ROLE_DUTY: return "值班员";
    case MW_ROLE_ADMIN: return "管理员";
  }
  return "未知";
}

int mw_user_role_parse(const char *s, enum mw_user_role *out) {
  if (!s) return MW_EINVAL;
  if (!strcmp(s, "viewer"))
    *out = MW_ROLE_VIEWER;
  else if (!strcmp(s, "duty") || !strcmp(s, "duty-officer"))
    *out = MW_ROLE_DUTY;
  else if (!strcmp(s, "admin"))
    *out = MW_ROLE_ADMIN;
  else
    return MW_EINVAL;
  return MW_OK;
}

void mw_user_cleanup(struct mw_user *u) {
  if (!u) return;
  free(u->name);
  free(u->hash);
  memset(u, 0, sizeof *u);
}

void mw_users_free(struct mw_user *arr, size_t n) {
  if (!arr) return;
  for (size_t i = 0; i < n; i++) mw_user_cleanup(&arr[i]);
  free(arr);
}

/* Whether r is one of the roles (a stored role is written by us only). */
static bool role_valid(enum mw_user_role r) {
  return r == MW_ROLE_VIEWER || r == MW_ROLE_DUTY || r == MW_ROLE_ADMIN;
}

/* NULL when name is acceptable, else why not. UTF-8 names such as 张三
 * are fine; the ideographic space U+3000 counts as a space. */
static const char *name_problem(const char *name) {
  if (!name || !*name) return "is empty";
  size_t n = strnlen(name, USER_NAME_MAX + 1);
  if (n > USER_NAME_MAX) return "is longer than 64 bytes";
  const unsigned char *p = (const unsigned char *)name;
  for (size_t i = 0; i < n;) {
    size_t len = store_utf8_len(p + i, n - i);
    if (!len) return "is not valid UTF-8 text";
    if (p[i] < 0x20 || p[i] == 0x7f) return "holds a control character";
    if (p[i] == ' ') return "holds a space";
    if (p[i] == '/') return "holds '/'";
    if (len == 3 && p[i] == 0xe3 && p[i + 1] == 0x80 && p[i + 2] == 0x80)
      return "holds a space";
    i += len;
  }
  return NULL;
}

static int check_name(const char *name, struct mw_err *err) {
  const char *why = name_problem(name);
  if (!why) return MW_OK;
  /* A name with control characters is not echoed: it could garble the
   * terminal or log showing the message. */
  bool echo = name && *name && strcmp(why, "holds a control character") &&
              strcmp(why, "is not valid UTF-8 text");
  return mw_err_set(err, MW_EINVAL,
                    "user name '%.64s' %s (names are 1 to 64 bytes without "
                    "spaces, '/' or control characters)",
                    echo ? name : "", why);
}

static int not_found(struct mw_store *s, const char *name, struct mw_err *err) {
  return mw_err_set(err, MW_ENOTFOUND, "store %s: no user named '%.64s'",
                    s->path, name ? name : "");
}

int mw_store_user_add(struct mw_store *s, const char *name,
                      enum mw_user_role role, const char *hash, int64_t now,
                      struct mw_err *err) {
  int rc = check_name(name, err);
  if (rc) return rc;
  if (!role_valid(role))
    return mw_err_set(err, MW_EINVAL, "user '%s': unknown role %d", name,
                      (int)role);
  if (!hash || !*hash)
    return mw_err_set(err, MW_EINVAL, "user '%s': no password hash", name);
  sqlite3_stmt *st;
  if ((rc = store_stmt(s, STMT_USER_ADD, SQL_USER_ADD, &st, err))) return rc;
  store_bind_text(st, 1, name);
  store_bind_text(st, 2, mw_user_role_name(role));
  store_bind_text(st, 3, hash);
  sqlite3_bind_int64(st, 4, now);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    return mw_err_set(err, MW_EINVAL, "user '%s' exists already", name);
  if (rc != SQLITE_DONE) return store_db_err(s, err, "adding a user");
  return MW_OK;
}

int mw_store_user_set_hash(struct mw_store *s, const char *name,
                           const char *hash, int64_t now, struct mw_err *err) {
  if (!name) return not_found(s, name, err);
  if (!hash || !*hash)
    return mw_err_set(err, MW_EINVAL, "user '%.64s': no password hash", name);
  int rc = store_savepoint(s, err);
  if (rc) return rc;
  sqlite3_stmt *st;
  if ((rc = store_stmt(s, STMT_USER_SET_HASH, SQL_USER_SET_HASH, &st, err)))
    goto done;
  store_bind_text(st, 1, name);
  store_bind_text(st, 2, hash);
  sqlite3_bind_int64(st, 3, now);
  int step = sqlite3_step(st);
  int64_t id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  /* RETURNING: the update is done once the statement runs to its end. */
  while (step == SQLITE_ROW) step = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (step != SQLITE_DONE) {
    rc = store_db_err(s, err, "setting a password");
    goto done;
  }
  if (!id) {
    rc = not_found(s, name, err);
    goto done;
  }
  /* A new password signs out every session the old one opened. */
  if ((rc = store_stmt(s, STMT_SESSIONS_OF_USER, SQL_SESSIONS_OF_USER, &st,
                       err)))
    goto done;
  sqlite3_bind_int64(st, 1, id);
  step = sqlite3_step(st);
  sqlite3_reset(st);
  if (step != SQLITE_DONE)
    rc = store_db_err(s, err, "ending the sessions of a user");
done:
  if (rc) {
    store_savepoint_end(s, false, NULL);
    return rc;
  }
  return store_savepoint_end(s, true, err);
}

int mw_store_user_set_role(struct mw_store *s, const char *name,
                           enum mw_user_role role, struct mw_err *err) {
  if (!name) return not_found(s, name, err);
  if (!role_valid(role))
    return mw_err_set(err, MW_EINVAL, "user '%.64s': unknown role %d", name,
                      (int)role);
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_USER_SET_ROLE, SQL_USER_SET_ROLE, &st, err);
  if (rc) return rc;
  store_bind_text(st, 1, name);
  store_bind_text(st, 2, mw_user_role_name(role));
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc != SQLITE_DONE) return store_db_err(s, err, "changing a role");
  if (sqlite3_changes(s->db) == 0) return not_found(s, name, err);
  return MW_OK;
}

int mw_store_user_remove(struct mw_store *s, const char *name,
                         struct mw_err *err) {
  if (!name) return not_found(s, name, err);
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_USER_REMOVE, SQL_USER_REMOVE, &st, err);
  if (rc) return rc;
  store_bind_text(st, 1, name);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc != SQLITE_DONE) return store_db_err(s, err, "removing a user");
  if (sqlite3_changes(s->db) == 0) return not_found(s, name, err);
  return MW_OK;
}

/* Reads a row of SQL_USERS / SQL_USER_GET into u (zeroed first; on failure
 * u holds what was copied, for mw_user_cleanup). */
static int read_user(struct mw_store *s, sqlite3_stmt *st, struct mw_user *u,
                     struct mw_err *err) {
  memset(u, 0, sizeof *u);
  u->id = sqlite3_column_int64(st, 0);
  u->created = sqlite3_column_int64(st, 4);
  u->changed = sqlite3_column_int64(st, 5);
  const char *role = (const char *)sqlite3_column_text(st, 2);
  if (!store_column_dup(st, 1, &u->name) || !store_column_dup(st, 3, &u->hash))
    return mw_err_set(err, MW_ENOMEM, "store %s: out of memory reading users",
                      s->path);
  if (mw_user_role_parse(role, &u->role))
    return mw_err_set(err, MW_EDB, "store %s: user '%s' has unknown role '%s'",
                      s->path, u->name ? u->name : "", role ? role : "");
  return MW_OK;
}

int mw_store_user_get(struct mw_store *s, const char *name, struct mw_user *out,
                      struct mw_err *err) {
  memset(out, 0, sizeof *out);
  if (!name) return not_found(s, name, err);
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_USER_GET, SQL_USER_GET, &st, err);
  if (rc) return rc;
  store_bind_text(st, 1, name);
  int step = sqlite3_step(st);
  if (step == SQLITE_ROW) {
    rc = read_user(s, st, out, err);
    if (rc) mw_user_cleanup(out);
  } else if (step == SQLITE_DONE) {
    rc = not_found(s, name, err);
  } else {
    rc = store_db_err(s, err, "reading a user");
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return rc;
}

int mw_store_users(struct mw_store *s, struct mw_user **out, size_t *n,
                   struct mw_err *err) {
  *out = NULL;
  *n = 0;
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_USERS, SQL_USERS, &st, err);
  if (rc) return rc;
  struct mw_user *arr = NULL;
  size_t cap = 0, len = 0;
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    if (len == cap) {
      size_t ncap = cap ? cap * 2 : 8;
      struct mw_user *p = realloc(arr, ncap * sizeof *p);
      if (!p) {
        rc = mw_err_set(err, MW_ENOMEM, "store %s: out of memory listing users",
                        s->path);
        goto fail;
      }
      arr = p;
      cap = ncap;
    }
    /* Counted before reading, so a half-read user is freed too. */
    if ((rc = read_user(s, st, &arr[len++], err))) goto fail;
  }
  if (step != SQLITE_DONE) {
    rc = store_db_err(s, err, "listing users");
    goto fail;
  }
  sqlite3_reset(st);
  *out = arr;
  *n = len;
  return MW_OK;
fail:
  sqlite3_reset(st);
  mw_users_free(arr, len);
  return rc;
}
