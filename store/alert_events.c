/*
 * alert_events.c: the audit trail of alerts, one row per change: who did
 * what when, from which state to which, with their comment.
 *
 * Rows are only ever added: the trail is the record of who handled a case
 * (交办, 督办, 反馈), so nothing here updates or deletes one. An event for
 * an alert that does not exist is refused (foreign key), naming the id.
 * The event row reader here serves dashboard.c's live stream as well
 * (store_alert_events_read).
 *
 * What it leaves to others: deciding the actions and states (alerts/), the
 * alert rows (alerts.c), writing the event in the same batch as the change
 * it records (the caller's mw_store_begin/commit).
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

static const char SQL_EVENT_ADD[] =
    "INSERT INTO alert_events (alert_id, at, actor, action, from_state,"
    " to_state, comment) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_EVENTS[] =
    "SELECT id, alert_id, at, actor, action, from_state, to_state, comment"
    " FROM alert_events WHERE alert_id = ?1 ORDER BY at, id";

int mw_store_alert_event_add(struct mw_store *s, const struct mw_alert_event *e,
                             struct mw_err *err) {
  if (!e->action || !*e->action)
    return mw_err_set(err, MW_EINVAL,
                      "store: an event of alert %lld has no action",
                      (long long)e->alert_id);
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_ALERT_EVENT_ADD, SQL_EVENT_ADD, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, e->alert_id);
  sqlite3_bind_int64(st, 2, e->at);
  store_bind_text(st, 3, e->actor);
  store_bind_text(st, 4, e->action);
  store_bind_text(st, 5, e->from_state);
  store_bind_text(st, 6, e->to_state);
  store_bind_text(st, 7, e->comment);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    return mw_err_set(err, MW_ENOTFOUND,
                      "store %s: alert %lld not found (recording '%s')",
                      s->path, (long long)e->alert_id, e->action);
  if (rc != SQLITE_DONE)
    return store_db_err(s, err, "recording an alert event");
  return MW_OK;
}

void mw_alert_events_free(struct mw_alert_event *arr, size_t n) {
  if (!arr) return;
  for (size_t i = 0; i < n; i++) {
    free(arr[i].actor);
    free(arr[i].action);
    free(arr[i].from_state);
    free(arr[i].to_state);
    free(arr[i].comment);
  }
  free(arr);
}

int store_alert_events_read(struct mw_store *s, sqlite3_stmt *st,
                            const char *what, struct mw_alert_event **out,
                            size_t *n, struct mw_err *err) {
  *out = NULL;
  *n = 0;
  struct mw_alert_event *arr = NULL;
  size_t cap = 0, len = 0;
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    if (len == cap) {
      size_t ncap = cap ? cap * 2 : 16;
      struct mw_alert_event *p = realloc(arr, ncap * sizeof *p);
      if (!p) goto nomem;
      arr = p;
      cap = ncap;
    }
    struct mw_alert_event *e = &arr[len++];
    memset(e, 0, sizeof *e);
    e->id = sqlite3_column_int64(st, 0);
    e->alert_id = sqlite3_column_int64(st, 1);
    e->at = sqlite3_column_int64(st, 2);
    if (!store_column_dup(st, 3, &e->actor) ||
        !store_column_dup(st, 4, &e->action) ||
        !store_column_dup(st, 5, &e->from_state) ||
        !store_column_dup(st, 6, &e->to_state) ||
        !store_column_dup(st, 7, &e->comment))
      goto nomem;
  }
  sqlite3_reset(st);
  if (step != SQLITE_DONE) {
    mw_alert_events_free(arr, len);
    return store_db_err(s, err, what);
  }
  *out = arr;
  *n = len;
  return MW_OK;
nomem:
  sqlite3_reset(st);
  mw_alert_events_free(arr, len);
  return MW_ENOMEM;
}

int mw_store_alert_events(struct mw_store *s, int64_t alert_id,
                          struct mw_alert_event **out, size_t *n,
                          struct mw_err *err) {
  *out = NULL;
  *n = 0;
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_ALERT_EVENTS, SQL_EVENTS, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, alert_id);
  rc = store_alert_events_read(s, st, "reading the events of an alert", out, n,
                               err);
  if (rc == MW_ENOMEM)
    return mw_err_set(
        err, MW_ENOMEM,
        "store %s: out of memory reading the events of alert %lld", s->path,
        (long long)alert_id);
  return rc;
}
