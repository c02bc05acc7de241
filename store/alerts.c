/*
 * alerts.c: alerts as stored: one row per grouping key ("cluster:12",
 * "article:34", "burst:垃圾分类"), the articles each gathers, and the
 * list the duty desk reads.
 *
 * The store keeps values, it decides none: levels, states, deadlines and
 * escalation are the alerts engine's (alerts/). Ids and times that the API
 * spells 0 for "none" are NULL in the table, so SQL readers can write
 * "acked_at IS NULL". What a reader is told beyond the row (how many
 * articles, which outlets carried them, first carrier first) is computed
 * from alert_articles when the alert is read: one query per alert, and
 * alert lists are short.
 *
 * What it leaves to others: the audit trail (alert_events.c), silences
 * (silences.c), notifications (outbox.c), transactions (the caller's
 * mw_store_begin/commit; each call here is one statement).
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

/* The joined outlet names of one alert; outlet names come from the config,
 * this only bounds a broken store. */
#define OUTLETS_MAX (256 * 1024)

#define ALERT_COLUMNS                                                        \
  "SELECT al.id, al.key, al.kind, al.cluster_id, al.article_id, al.topic,"   \
  " al.region, al.level, al.state, al.title, al.url, al.reason, al.created," \
  " al.updated, al.deadline, al.acked_at, al.acked_by, al.assignee, al.due," \
  " al.escalation, al.notified_at, al.notified_level, al.silence_id,"        \
  " al.overdue,"                                                             \
  " (SELECT count(*) FROM alert_articles aa WHERE aa.alert_id = al.id)"      \
  " FROM alerts al"

static const char SQL_GET[] = ALERT_COLUMNS " WHERE al.id = ?1";
static const char SQL_BY_KEY[] = ALERT_COLUMNS " WHERE al.key = ?1";
/* ?1 state or NULL, ?2 minimum level, ?3 overdue only, ?4 created since (0
 * any), ?5 limit, ?6 created before (0 any), ?7 topic or NULL, ?8 region
 * or NULL (a prefix of the stored path: instr() = 1), ?9 exact level (0
 * any), ?10 offset. The open variant spells the partial index's condition
 * (alerts_open) so sqlite reads only open alerts, already in order. */
#define LIST_WHERE                                                     \
  " WHERE (?1 IS NULL OR al.state = ?1) AND al.level >= ?2"            \
  " AND (?3 = 0 OR al.overdue = 1) AND (?4 = 0 OR al.created >= ?4)"   \
  " AND (?6 = 0 OR al.created < ?6) AND (?7 IS NULL OR al.topic = ?7)" \
  " AND (?8 IS NULL OR instr(al.region, ?8) = 1)"                      \
  " AND (?9 = 0 OR al.level = ?9)"
#define LIST_ORDER                                                \
  " ORDER BY al.level DESC, al.created DESC, al.id DESC LIMIT ?5" \
  " OFFSET ?10"
static const char SQL_LIST[] = ALERT_COLUMNS LIST_WHERE LIST_ORDER;
static const char SQL_LIST_OPEN[] =
    ALERT_COLUMNS LIST_WHERE " AND al.state <> 'closed'" LIST_ORDER;

/* ?3..?23: the writable fields, shared by insert and update (bind_fields). */
static const char SQL_INSERT[] =
    "INSERT INTO alerts (key, kind, cluster_id, article_id, topic, region,"
    " level, state, title, url, reason, created, updated, deadline, acked_at,"
    " acked_by, assignee, due, escalation, notified_at, notified_level,"
    " silence_id, overdue) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
    " ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)";
static const char SQL_UPDATE[] =
    "UPDATE alerts SET cluster_id = ?3, article_id = ?4, topic = ?5,"
    " region = ?6, level = ?7, state = ?8, title = ?9, url = ?10,"
    " reason = ?11, created = ?12, updated = ?13, deadline = ?14,"
    " acked_at = ?15, acked_by = ?16, assignee = ?17, due = ?18,"
    " escalation = ?19, notified_at = ?20, notified_level = ?21,"
    " silence_id = ?22, overdue = ?23 WHERE id = ?1";
/* The reprint index (article_hashes) knows a cluster's members without
 * reading the long article rows. */
static const char SQL_ADD_CLUSTER[] =
    "INSERT INTO alert_articles (alert_id, article_id)"
    " SELECT ?1, article_id FROM article_hashes WHERE cluster_id = ?2"
    " ON CONFLICT DO NOTHING";
static const char SQL_ADD_ARTICLE[] =
    "INSERT INTO alert_articles (alert_id, article_id) VALUES (?1, ?2)"
    " ON CONFLICT DO NOTHING";
/* Which side of a refused link is missing (the error path only). */
static const char SQL_ARTICLE_CHECK[] =
    "SELECT EXISTS (SELECT 1 FROM alerts WHERE id = ?1),"
    " EXISTS (SELECT 1 FROM articles WHERE id = ?2)";
/* Each publishing outlet once, ordered by its first article: first seen,
 * then id. */
static const char SQL_OUTLETS[] =
    "SELECT name FROM (SELECT o.name AS name, a.fetched AS f, a.id AS i,"
    " row_number() OVER (PARTITION BY a.outlet_id ORDER BY a.fetched, a.id)"
    " AS rn FROM alert_articles aa JOIN articles a ON a.id = aa.article_id"
    " JOIN outlets o ON o.id = a.outlet_id WHERE aa.alert_id = ?1)"
    " WHERE rn = 1 ORDER BY f, i";

int store_bind_opt_int64(sqlite3_stmt *st, int i, int64_t v) {
  return v ? sqlite3_bind_int64(st, i, v) : sqlite3_bind_null(st, i);
}

int64_t store_limit(size_t limit) {
  /* A negative LIMIT is none in sqlite. */
  return limit == 0 || limit > (uint64_t)INT64_MAX ? -1 : (int64_t)limit;
}

void mw_alert_rec_cleanup(struct mw_alert_rec *r) {
  if (!r) return;
  free(r->key);
  free(r->kind);
  free(r->topic);
  free(r->region);
  free(r->state);
  free(r->title);
  free(r->url);
  free(r->reason);
  free(r->acked_by);
  free(r->assignee);
  free(r->outlets);
  memset(r, 0, sizeof *r);
}

void mw_alert_recs_free(struct mw_alert_rec *arr, size_t n) {
  if (!arr) return;
  for (size_t i = 0; i < n; i++) mw_alert_rec_cleanup(&arr[i]);
  free(arr);
}

static int nomem(struct mw_store *s, struct mw_err *err, const char *what) {
  return mw_err_set(err, MW_ENOMEM, "store %s: out of memory %s", s->path,
                    what);
}

/* Reads the row of ALERT_COLUMNS at st into r (zeroed first; on failure r
 * holds what was copied, for mw_alert_rec_cleanup). */
static bool read_row(sqlite3_stmt *st, struct mw_alert_rec *r) {
  memset(r, 0, sizeof *r);
  r->id = sqlite3_column_int64(st, 0);
  r->cluster_id = sqlite3_column_int64(st, 3);
  r->article_id = sqlite3_column_int64(st, 4);
  r->level = sqlite3_column_int(st, 7);
  r->created = sqlite3_column_int64(st, 12);
  r->updated = sqlite3_column_int64(st, 13);
  r->deadline = sqlite3_column_int64(st, 14);
  r->acked_at = sqlite3_column_int64(st, 15);
  r->due = sqlite3_column_int64(st, 18);
  r->escalation = sqlite3_column_int(st, 19);
  r->notified_at = sqlite3_column_int64(st, 20);
  r->notified_level = sqlite3_column_int(st, 21);
  r->silence_id = sqlite3_column_int64(st, 22);
  r->overdue = sqlite3_column_int(st, 23) != 0;
  r->article_count = sqlite3_column_int64(st, 24);
  return store_column_dup(st, 1, &r->key) &&
         store_column_dup(st, 2, &r->kind) &&
         store_column_dup(st, 5, &r->topic) &&
         store_column_dup(st, 6, &r->region) &&
         store_column_dup(st, 8, &r->state) &&
         store_column_dup(st, 9, &r->title) &&
         store_column_dup(st, 10, &r->url) &&
         store_column_dup(st, 11, &r->reason) &&
         store_column_dup(st, 16, &r->acked_by) &&
         store_column_dup(st, 17, &r->assignee);
}

/* Fills r->outlet_count and r->outlets from the alert's articles. */
static int fill_outlets(struct mw_store *s, struct mw_alert_rec *r,
                        struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_ALERT_OUTLETS, SQL_OUTLETS, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, r->id);
  struct mw_buf b;
  mw_buf_init(&b, OUTLETS_MAX);
  int64_t count = 0;
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(st, 0);
    if (!name) { /* outlets.name is NOT NULL: out of memory */
      rc = MW_ENOMEM;
      break;
    }
    if ((count && (rc = mw_buf_puts(&b, "、"))) ||
        (rc = mw_buf_append(&b, name, (size_t)sqlite3_column_bytes(st, 0))))
      break;
    count++;
  }
  sqlite3_reset(st);
  if (rc) {
    mw_buf_cleanup(&b);
    return rc == MW_ETOOBIG ? mw_err_set(err, rc,
                                         "store %s: the outlets of alert %lld "
                                         "exceed %d bytes",
                                         s->path, (long long)r->id, OUTLETS_MAX)
                            : nomem(s, err, "reading an alert's outlets");
  }
  if (step != SQLITE_DONE) {
    mw_buf_cleanup(&b);
    return store_db_err(s, err, "reading an alert's outlets");
  }
  r->outlet_count = count;
  if (count && !(r->outlets = mw_buf_steal(&b)))
    rc = nomem(s, err, "reading an alert's outlets");
  mw_buf_cleanup(&b);
  return rc;
}

/* Runs st (bound to select at most one alert) into out; *found false and
 * out untouched when there is no row. */
static int get_one(struct mw_store *s, sqlite3_stmt *st,
                   struct mw_alert_rec *out, bool *found, struct mw_err *err) {
  *found = false;
  struct mw_alert_rec r;
  int step = sqlite3_step(st);
  if (step == SQLITE_DONE) {
    sqlite3_reset(st);
    return MW_OK;
  }
  if (step != SQLITE_ROW) {
    sqlite3_reset(st);
    return store_db_err(s, err, "reading an alert");
  }
  bool ok = read_row(st, &r);
  sqlite3_reset(st);
  int rc = ok ? fill_outlets(s, &r, err) : nomem(s, err, "reading an alert");
  if (rc) {
    mw_alert_rec_cleanup(&r);
    return rc;
  }
  *out = r;
  *found = true;
  return MW_OK;
}

int mw_store_alert_by_key(struct mw_store *s, const char *key,
                          struct mw_alert_rec *out, bool *found,
                          struct mw_err *err) {
  *found = false;
  if (!key) return mw_err_set(err, MW_EINVAL, "store: an alert key is NULL");
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_ALERT_BY_KEY, SQL_BY_KEY, &st, err);
  if (rc) return rc;
  store_bind_text(st, 1, key);
  return get_one(s, st, out, found, err);
}

int mw_store_alert_get(struct mw_store *s, int64_t id, struct mw_alert_rec *out,
                       struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_ALERT_GET, SQL_GET, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  bool found;
  if ((rc = get_one(s, st, out, &found, err))) return rc;
  if (!found)
    return mw_err_set(err, MW_ENOTFOUND, "store %s: alert %lld not found",
                      s->path, (long long)id);
  return MW_OK;
}

/* What insert and update both refuse: the NOT NULL fields and the level. */
static int check_rec(const struct mw_alert_rec *r, bool insert,
                     struct mw_err *err) {
  const char *what = insert ? "a new alert" : "an alert update";
  if (insert && (!r->key || !*r->key))
    return mw_err_set(err, MW_EINVAL, "store: %s has no key", what);
  if (insert && (!r->kind || !*r->kind))
    return mw_err_set(err, MW_EINVAL, "store: alert '%s' has no kind", r->key);
  if (!r->state || !*r->state)
    return mw_err_set(err, MW_EINVAL,
                      "store: %s (alert %lld, key '%s') has no state", what,
                      (long long)r->id, r->key ? r->key : "");
  if (r->level < 1 || r->level > 4)
    return mw_err_set(err, MW_EINVAL,
                      "store: %s (alert %lld, key '%s') has "
                      "level %d, outside 1..4",
                      what, (long long)r->id, r->key ? r->key : "", r->level);
  return MW_OK;
}

static void bind_fields(sqlite3_stmt *st, const struct mw_alert_rec *r) {
  store_bind_opt_int64(st, 3, r->cluster_id);
  store_bind_opt_int64(st, 4, r->article_id);
  store_bind_text(st, 5, r->topic);
  store_bind_text(st, 6, r->region);
  sqlite3_bind_int(st, 7, r->level);
  store_bind_text(st, 8, r->state);
  store_bind_text(st, 9, r->title);
  store_bind_text(st, 10, r->url);
  store_bind_text(st, 11, r->reason);
  sqlite3_bind_int64(st, 12, r->created);
  sqlite3_bind_int64(st, 13, r->updated);
  store_bind_opt_int64(st, 14, r->deadline);
  store_bind_opt_int64(st, 15, r->acked_at);
  store_bind_text(st, 16, r->acked_by);
  store_bind_text(st, 17, r->assignee);
  store_bind_opt_int64(st, 18, r->due);
  sqlite3_bind_int(st, 19, r->escalation);
  store_bind_opt_int64(st, 20, r->notified_at);
  store_bind_opt_int64(st, 21, r->notified_level);
  store_bind_opt_int64(st, 22, r->silence_id);
  sqlite3_bind_int(st, 23, r->overdue ? 1 : 0);
}

int mw_store_alert_insert(struct mw_store *s, const struct mw_alert_rec *r,
                          int64_t *id, struct mw_err *err) {
  int rc = check_rec(r, true, err);
  if (rc) return rc;
  sqlite3_stmt *st;
  if ((rc = store_stmt(s, STMT_ALERT_INSERT, SQL_INSERT, &st, err))) return rc;
  store_bind_text(st, 1, r->key);
  store_bind_text(st, 2, r->kind);
  bind_fields(st, r);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    return mw_err_set(err, MW_EINVAL,
                      "store %s: an alert with key '%s' exists already",
                      s->path, r->key);
  if (rc != SQLITE_DONE) return store_db_err(s, err, "storing an alert");
  *id = sqlite3_last_insert_rowid(s->db);
  return MW_OK;
}

int mw_store_alert_update(struct mw_store *s, const struct mw_alert_rec *r,
                          struct mw_err *err) {
  int rc = check_rec(r, false, err);
  if (rc) return rc;
  sqlite3_stmt *st;
  if ((rc = store_stmt(s, STMT_ALERT_UPDATE, SQL_UPDATE, &st, err))) return rc;
  sqlite3_bind_int64(st, 1, r->id);
  bind_fields(st, r);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc != SQLITE_DONE) return store_db_err(s, err, "updating an alert");
  if (sqlite3_changes(s->db) == 0)
    return mw_err_set(err, MW_ENOTFOUND, "store %s: alert %lld not found",
                      s->path, (long long)r->id);
  return MW_OK;
}

/* After a refused link: names the alert or the article that is missing. */
static int explain_link(struct mw_store *s, int64_t alert_id,
                        int64_t article_id, struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_ALERT_ARTICLE_CHECK, SQL_ARTICLE_CHECK, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, alert_id);
  sqlite3_bind_int64(st, 2, article_id);
  int step = sqlite3_step(st);
  bool alert = step == SQLITE_ROW && sqlite3_column_int(st, 0);
  bool article = step == SQLITE_ROW && sqlite3_column_int(st, 1);
  sqlite3_reset(st);
  if (step != SQLITE_ROW)
    return store_db_err(s, err, "adding an article to an alert");
  if (!alert)
    return mw_err_set(err, MW_ENOTFOUND, "store %s: alert %lld not found",
                      s->path, (long long)alert_id);
  if (!article)
    return mw_err_set(err, MW_ENOTFOUND,
                      "store %s: article %lld not found (adding it to alert "
                      "%lld)",
                      s->path, (long long)article_id, (long long)alert_id);
  return mw_err_set(err, MW_EDB,
                    "store %s: adding article %lld to alert %lld was refused",
                    s->path, (long long)article_id, (long long)alert_id);
}

int mw_store_alert_add_article(struct mw_store *s, int64_t alert_id,
                               int64_t article_id, bool *added,
                               struct mw_err *err) {
  if (added) *added = false;
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_ALERT_ADD_ARTICLE, SQL_ADD_ARTICLE, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, alert_id);
  sqlite3_bind_int64(st, 2, article_id);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    return explain_link(s, alert_id, article_id, err);
  if (rc != SQLITE_DONE)
    return store_db_err(s, err, "adding an article to an alert");
  if (added) *added = sqlite3_changes(s->db) > 0;
  return MW_OK;
}

int mw_store_alert_add_cluster(struct mw_store *s, int64_t alert_id,
                               int64_t cluster_id, int64_t *added,
                               struct mw_err *err) {
  if (added) *added = 0;
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_ALERT_ADD_CLUSTER, SQL_ADD_CLUSTER, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, alert_id);
  sqlite3_bind_int64(st, 2, cluster_id);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    return mw_err_set(err, MW_ENOTFOUND, "store %s: alert %lld not found",
                      s->path, (long long)alert_id);
  if (rc != SQLITE_DONE)
    return store_db_err(s, err, "adding a story's reprints to an alert");
  if (added) *added = sqlite3_changes(s->db);
  return MW_OK;
}

int mw_store_alert_list(struct mw_store *s, const struct mw_alert_filter *f,
                        struct mw_alert_rec **out, size_t *n,
                        struct mw_err *err) {
  static const struct mw_alert_filter any = {0};
  if (!f) f = &any;
  *out = NULL;
  *n = 0;
  enum store_stmt_id id = f->open_only ? STMT_ALERT_LIST_OPEN : STMT_ALERT_LIST;
  sqlite3_stmt *st;
  int rc = store_stmt(s, id, f->open_only ? SQL_LIST_OPEN : SQL_LIST, &st, err);
  if (rc) return rc;
  store_bind_text(st, 1, f->state);
  sqlite3_bind_int(st, 2, f->min_level);
  sqlite3_bind_int(st, 3, f->overdue_only ? 1 : 0);
  sqlite3_bind_int64(st, 4, f->since);
  sqlite3_bind_int64(st, 5, store_limit(f->limit));
  sqlite3_bind_int64(st, 6, f->until);
  store_bind_text(st, 7, f->topic && *f->topic ? f->topic : NULL);
  store_bind_text(st, 8, f->region && *f->region ? f->region : NULL);
  sqlite3_bind_int(st, 9, f->level);
  sqlite3_bind_int64(
      st, 10, f->offset > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)f->offset);
  struct mw_alert_rec *arr = NULL;
  size_t cap = 0, len = 0;
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    if (len == cap) {
      size_t ncap = cap ? cap * 2 : 16;
      struct mw_alert_rec *p = realloc(arr, ncap * sizeof *p);
      if (!p) {
        rc = nomem(s, err, "listing alerts");
        goto fail;
      }
      arr = p;
      cap = ncap;
    }
    /* Counted before reading, so a half-read alert is freed too. The
     * outlets query is another statement: st stays where it is. */
    if (!read_row(st, &arr[len++])) {
      rc = nomem(s, err, "listing alerts");
      goto fail;
    }
    if ((rc = fill_outlets(s, &arr[len - 1], err))) goto fail;
  }
  if (step != SQLITE_DONE) {
    rc = store_db_err(s, err, "listing alerts");
    goto fail;
  }
  sqlite3_reset(st);
  *out = arr;
  *n = len;
  return MW_OK;
fail:
  sqlite3_reset(st);
  mw_alert_recs_free(arr, len);
  return rc;
}
