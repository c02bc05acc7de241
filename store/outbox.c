/*
 * outbox.c: notifications waiting to be sent, and the lines held back for
 * a receiver's quiet hours or daily digest.
 *
 * The promise of the outbox: a receiver that is down gets every message
 * when it returns, in order, once. So each receiver is a queue in id order
 * and only its head is ever handed out: a head that failed and waits for
 * its next attempt holds back its own queue and no one else's. A message
 * is pending until the sender marks it sent (after the receiver accepted
 * it), so a crash between sending and marking sends it again rather than
 * never; the outbox id travels with the message for the receiver to drop
 * a repeat. Sent rows stay, for the alert's history (`alerts show`).
 *
 * Held lines are taken (read and deleted) in one statement inside a
 * savepoint, so a digest gets each line exactly once; at most
 * HELD_TAKE_MAX, the oldest, per take.
 *
 * What it leaves to others: rendering messages and digests, retry timing,
 * delivery (alerts/), writing a message in the same batch as the alert
 * change that causes it (the caller's mw_store_begin/commit).
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

/* Held lines taken at once, the oldest: one digest stays a readable size
 * and its array bounded; the rest stay for the next take. */
#define HELD_TAKE_MAX 10000

static const char SQL_ADD[] =
    "INSERT INTO outbox (alert_id, receiver, kind, text, json, created,"
    " next_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)";
#define MSG_COLUMNS                                                  \
  "o.id, o.alert_id, o.receiver, o.kind, o.text, o.json, o.created," \
  " o.attempts, o.next_at, o.last_error, coalesce(o.sent_at, 0)"
/* The head of each receiver's queue (outbox_pending holds the pending
 * rows by receiver and id), when due. */
#define HEADS                                               \
  "(SELECT min(id) AS id FROM outbox WHERE sent_at IS NULL" \
  " GROUP BY receiver) h JOIN outbox o ON o.id = h.id"
static const char SQL_DUE[] = "SELECT " MSG_COLUMNS " FROM " HEADS
                              " WHERE o.next_at <= ?1 ORDER BY o.id LIMIT ?2";
static const char SQL_SENT[] =
    "UPDATE outbox SET sent_at = ?2 WHERE id = ?1 AND sent_at IS NULL";
static const char SQL_RETRY[] =
    "UPDATE outbox SET attempts = ?2, next_at = ?3, last_error = ?4"
    " WHERE id = ?1 AND sent_at IS NULL";
/* Why a mark changed nothing: no row, or sent already. */
static const char SQL_STATE[] =
    "SELECT sent_at IS NOT NULL FROM outbox WHERE id = ?1";
/* The earliest a head is due: a message behind a waiting head is not due
 * at its own next_at, and a sender sleeping until then would only spin. */
static const char SQL_PENDING[] =
    "SELECT (SELECT count(*) FROM outbox WHERE sent_at IS NULL),"
    " (SELECT coalesce(min(o.next_at), 0) FROM " HEADS ")";
static const char SQL_OF_ALERT[] =
    "SELECT " MSG_COLUMNS
    " FROM outbox o"
    " WHERE o.alert_id = ?1 ORDER BY o.id";
static const char SQL_HELD_ADD[] =
    "INSERT INTO held (receiver, alert_id, at, line) VALUES (?1, ?2, ?3, ?4)";
/* RETURNING hands the rows out in no set order: sorted here after. */
static const char SQL_HELD_TAKE[] =
    "DELETE FROM held WHERE id IN (SELECT id FROM held WHERE receiver = ?1"
    " AND at < ?2 ORDER BY at, id LIMIT ?3) RETURNING id, at, line";

void mw_outbox_msgs_free(struct mw_outbox_msg *arr, size_t n) {
  if (!arr) return;
  for (size_t i = 0; i < n; i++) {
    free(arr[i].receiver);
    free(arr[i].kind);
    free(arr[i].text);
    free(arr[i].json);
    free(arr[i].last_error);
  }
  free(arr);
}

int mw_store_outbox_add(struct mw_store *s, int64_t alert_id,
                        const char *receiver, const char *kind,
                        const char *text, const char *json, int64_t now,
                        int64_t *id, struct mw_err *err) {
  if (!receiver || !*receiver || !kind || !*kind)
    return mw_err_set(
        err, MW_EINVAL, "store: a notification of alert %lld has no %s",
        (long long)alert_id, !receiver || !*receiver ? "receiver" : "kind");
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_OUTBOX_ADD, SQL_ADD, &st, err);
  if (rc) return rc;
  store_bind_opt_int64(st, 1, alert_id);
  store_bind_text(st, 2, receiver);
  store_bind_text(st, 3, kind);
  store_bind_text(st, 4, text);
  store_bind_text(st, 5, json);
  sqlite3_bind_int64(st, 6, now);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st); /* text and json may be large */
  if (rc != SQLITE_DONE) return store_db_err(s, err, "queueing a notification");
  if (id) *id = sqlite3_last_insert_rowid(s->db);
  return MW_OK;
}

/* Reads the rows of st (MSG_COLUMNS) into *out, *n. */
static int read_msgs(struct mw_store *s, sqlite3_stmt *st,
                     struct mw_outbox_msg **out, size_t *n, const char *what,
                     struct mw_err *err) {
  struct mw_outbox_msg *arr = NULL;
  size_t cap = 0, len = 0;
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    if (len == cap) {
      size_t ncap = cap ? cap * 2 : 8;
      struct mw_outbox_msg *p = realloc(arr, ncap * sizeof *p);
      if (!p) goto nomem;
      arr = p;
      cap = ncap;
    }
    struct mw_outbox_msg *m = &arr[len++];
    memset(m, 0, sizeof *m);
    m->id = sqlite3_column_int64(st, 0);
    m->alert_id = sqlite3_column_int64(st, 1);
    m->created = sqlite3_column_int64(st, 6);
    m->attempts = sqlite3_column_int64(st, 7);
    m->next_at = sqlite3_column_int64(st, 8);
    m->sent_at = sqlite3_column_int64(st, 10);
    if (!store_column_dup(st, 2, &m->receiver) ||
        !store_column_dup(st, 3, &m->kind) ||
        !store_column_dup(st, 4, &m->text) ||
        !store_column_dup(st, 5, &m->json) ||
        !store_column_dup(st, 9, &m->last_error))
      goto nomem;
  }
  sqlite3_reset(st);
  if (step != SQLITE_DONE) {
    mw_outbox_msgs_free(arr, len);
    return store_db_err(s, err, what);
  }
  *out = arr;
  *n = len;
  return MW_OK;
nomem:
  sqlite3_reset(st);
  mw_outbox_msgs_free(arr, len);
  return mw_err_set(err, MW_ENOMEM, "store %s: out of memory %s", s->path,
                    what);
}

int mw_store_outbox_due(struct mw_store *s, int64_t now, size_t limit,
                        struct mw_outbox_msg **out, size_t *n,
                        struct mw_err *err) {
  *out = NULL;
  *n = 0;
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_OUTBOX_DUE, SQL_DUE, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_int64(st, 2, store_limit(limit));
  return read_msgs(s, st, out, n, "reading the notifications due", err);
}

int mw_store_outbox_of_alert(struct mw_store *s, int64_t alert_id,
                             struct mw_outbox_msg **out, size_t *n,
                             struct mw_err *err) {
  *out = NULL;
  *n = 0;
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_OUTBOX_OF_ALERT, SQL_OF_ALERT, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, alert_id);
  return read_msgs(s, st, out, n, "reading the notifications of an alert", err);
}

/* After an update of message id changed nothing: MW_ENOTFOUND when there
 * is no such message, else *sent tells whether it was sent already. */
static int message_state(struct mw_store *s, int64_t id, bool *sent,
                         struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_OUTBOX_STATE, SQL_STATE, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  int step = sqlite3_step(st);
  if (step == SQLITE_ROW) *sent = sqlite3_column_int(st, 0) != 0;
  sqlite3_reset(st);
  if (step == SQLITE_DONE)
    return mw_err_set(err, MW_ENOTFOUND,
                      "store %s: outbox message %lld not found", s->path,
                      (long long)id);
  return step == SQLITE_ROW
             ? MW_OK
             : store_db_err(s, err, "reading a notification's state");
}

int mw_store_outbox_mark_sent(struct mw_store *s, int64_t id, int64_t now,
                              struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_OUTBOX_SENT, SQL_SENT, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, now);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE)
    return store_db_err(s, err, "marking a notification sent");
  if (sqlite3_changes(s->db) > 0) return MW_OK;
  /* Marked twice keeps the first time: the receiver got it then. */
  bool sent = false;
  return message_state(s, id, &sent, err);
}

int mw_store_outbox_mark_retry(struct mw_store *s, int64_t id, int64_t attempts,
                               int64_t next_at, const char *error,
                               struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_OUTBOX_RETRY, SQL_RETRY, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, attempts);
  sqlite3_bind_int64(st, 3, next_at);
  store_bind_text(st, 4, error);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc != SQLITE_DONE)
    return store_db_err(s, err, "recording a failed notification");
  if (sqlite3_changes(s->db) > 0) return MW_OK;
  bool sent = false;
  if ((rc = message_state(s, id, &sent, err))) return rc;
  return mw_err_set(err, MW_EINVAL,
                    "store %s: outbox message %lld was sent already; a "
                    "failed attempt cannot follow",
                    s->path, (long long)id);
}

int mw_store_outbox_pending(struct mw_store *s, int64_t *n, int64_t *next_at,
                            struct mw_err *err) {
  *n = 0;
  *next_at = 0;
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_OUTBOX_PENDING, SQL_PENDING, &st, err);
  if (rc) return rc;
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    *n = sqlite3_column_int64(st, 0);
    *next_at = sqlite3_column_int64(st, 1);
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW
             ? MW_OK
             : store_db_err(s, err, "counting pending notifications");
}

int mw_store_held_add(struct mw_store *s, const char *receiver,
                      int64_t alert_id, int64_t at, const char *line,
                      struct mw_err *err) {
  if (!receiver || !*receiver || !line)
    return mw_err_set(
        err, MW_EINVAL, "store: a held line of alert %lld has no %s",
        (long long)alert_id, !receiver || !*receiver ? "receiver" : "text");
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_HELD_ADD, SQL_HELD_ADD, &st, err);
  if (rc) return rc;
  store_bind_text(st, 1, receiver);
  store_bind_opt_int64(st, 2, alert_id);
  sqlite3_bind_int64(st, 3, at);
  store_bind_text(st, 4, line);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return rc == SQLITE_DONE ? MW_OK
                           : store_db_err(s, err, "holding back a line");
}

struct held_line {
  int64_t id, at;
  char *line;
};

static int cmp_held(const void *pa, const void *pb) {
  const struct held_line *a = pa, *b = pb;
  if (a->at != b->at) return a->at < b->at ? -1 : 1;
  return a->id < b->id ? -1 : a->id > b->id;
}

/* Runs the DELETE ... RETURNING of held_take into *rows, *n. */
static int take_rows(struct mw_store *s, sqlite3_stmt *st,
                     struct held_line **rows, size_t *n, struct mw_err *err) {
  size_t cap = 0;
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    if (*n == cap) {
      size_t ncap = cap ? cap * 2 : 16;
      struct held_line *p = realloc(*rows, ncap * sizeof *p);
      if (!p) goto nomem;
      *rows = p;
      cap = ncap;
    }
    struct held_line *h = &(*rows)[(*n)++];
    h->id = sqlite3_column_int64(st, 0);
    h->at = sqlite3_column_int64(st, 1);
    if (!store_column_dup(st, 2, &h->line) || !h->line) goto nomem;
  }
  return step == SQLITE_DONE ? MW_OK
                             : store_db_err(s, err, "taking held lines");
nomem:
  return mw_err_set(err, MW_ENOMEM, "store %s: out of memory taking held lines",
                    s->path);
}

int mw_store_held_take(struct mw_store *s, const char *receiver, int64_t before,
                       char ***lines, size_t *n, struct mw_err *err) {
  *lines = NULL;
  *n = 0;
  if (!receiver)
    return mw_err_set(err, MW_EINVAL,
                      "store: taking held lines needs a receiver");
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_HELD_TAKE, SQL_HELD_TAKE, &st, err);
  if (rc) return rc;
  /* A failure after the delete ran (out of memory while reading) undoes
   * it, so no line is lost. */
  if ((rc = store_savepoint(s, err))) return rc;
  store_bind_text(st, 1, receiver);
  sqlite3_bind_int64(st, 2, before);
  sqlite3_bind_int(st, 3, HELD_TAKE_MAX);
  struct held_line *rows = NULL;
  size_t len = 0;
  rc = take_rows(s, st, &rows, &len, err);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  char **out = NULL;
  if (!rc && len && !(out = malloc(len * sizeof *out)))
    rc = mw_err_set(err, MW_ENOMEM, "store %s: out of memory taking held lines",
                    s->path);
  int erc = store_savepoint_end(s, rc == MW_OK, rc ? NULL : err);
  if (!rc) rc = erc;
  if (rc) {
    for (size_t i = 0; i < len; i++) free(rows[i].line);
    free(rows);
    free(out);
    return rc;
  }
  if (len) qsort(rows, len, sizeof *rows, cmp_held);
  for (size_t i = 0; i < len; i++) out[i] = rows[i].line;
  free(rows);
  *lines = out;
  *n = len;
  return MW_OK;
}
