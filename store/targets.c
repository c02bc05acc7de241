/*
 * targets.c: counts what one coverage target counts.
 *
 * The query is built per call from fixed SQL fragments, one placeholder per
 * list item (every value bound, never spliced), prepared, stepped once and
 * finalized: targets are few and their lists vary, so nothing is cached.
 * Articles count by counted_at (published, else first seen) as coverage.c
 * does; per story, a cluster counts once and an article in no cluster as
 * one, keyed as coverage.c keys them (the cluster id negated). Mentions
 * are looked up in the mentions index (mentions.c), brought up to date
 * for the target's terms first.
 *
 * What it leaves to others: which period a target covers and whether it is
 * met (report/targets.c), expanding `each` (cli/cmd_report.c).
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

/* head, then n placeholders ("?4") separated by ", ", then ")". */
static int add_list(struct mw_buf *sql, const char *head, size_t n,
                    int *next) {
  int rc = mw_buf_puts(sql, head);
  for (size_t i = 0; !rc && i < n; i++) {
    if (i) rc = mw_buf_puts(sql, ", ");
    if (!rc) rc = mw_buf_printf(sql, "?%d", *next);
    (*next)++;
  }
  return rc ? rc : mw_buf_puts(sql, ")");
}

static int build_sql(const struct mw_target_query *q, struct mw_buf *sql) {
  int next = 3;
  int rc = mw_buf_puts(sql, q->stories
                                ? "SELECT count(DISTINCT coalesce(-a.cluster_id,"
                                  " a.id))"
                                : "SELECT count(*)");
  if (!rc)
    rc = mw_buf_puts(sql, " FROM articles a JOIN outlets o ON o.id ="
                          " a.outlet_id WHERE a.counted_at >= ?1 AND"
                          " a.counted_at < ?2");
  if (!rc && q->tier >= 0) {
    rc = mw_buf_printf(sql, " AND o.tier = ?%d", next);
    next++;
  }
  if (!rc && q->n_outlets)
    rc = add_list(sql, " AND o.name IN (", q->n_outlets, &next);
  if (!rc && q->n_topics)
    rc = add_list(sql,
                  " AND EXISTS (SELECT 1 FROM matches m WHERE m.article_id ="
                  " a.id AND m.topic IN (",
                  q->n_topics, &next);
  if (!rc && q->n_topics) rc = mw_buf_puts(sql, ")");
  /* From the mentions index (mentions.c), by its primary key: the texts
   * are never read. */
  if (!rc && q->n_mentions)
    rc = add_list(sql,
                  " AND EXISTS (SELECT 1 FROM article_mentions am WHERE"
                  " am.article_id = a.id AND am.term IN (",
                  q->n_mentions, &next);
  if (!rc && q->n_mentions) rc = mw_buf_puts(sql, ")");
  return rc;
}

static int bind_list(sqlite3_stmt *st, int *next, const char *const *v,
                     size_t n) {
  for (size_t i = 0; i < n; i++)
    if (sqlite3_bind_text(st, (*next)++, v[i] ? v[i] : "", -1,
                          SQLITE_STATIC) != SQLITE_OK)
      return MW_EDB;
  return MW_OK;
}

int mw_store_target_count(struct mw_store *s, const struct mw_target_query *q,
                          int64_t *out, struct mw_err *err) {
  *out = 0;
  if (q->to < q->from)
    return mw_err_set(err, MW_EINVAL,
                      "store: target period ends (%lld) before it starts "
                      "(%lld)", (long long)q->to, (long long)q->from);
  if (q->n_outlets > MW_STORE_TARGET_MAX_TERMS ||
      q->n_topics > MW_STORE_TARGET_MAX_TERMS ||
      q->n_mentions > MW_STORE_TARGET_MAX_TERMS)
    return mw_err_set(err, MW_EINVAL,
                      "store: a target lists more than %d outlets, topics or "
                      "mentions", MW_STORE_TARGET_MAX_TERMS);
  if (q->tier >= MW_TIER_COUNT)
    return mw_err_set(err, MW_EINVAL, "store: target tier %d is unknown",
                      q->tier);
  /* A no-op lookup per term when the caller indexed them already. */
  int rc = mw_store_index_mentions(s, q->mentions, q->n_mentions, err);
  if (rc) return rc;
  struct mw_buf sql;
  mw_buf_init(&sql, 64 * 1024);
  rc = build_sql(q, &sql);
  if (rc) {
    mw_buf_cleanup(&sql);
    return mw_err_set(err, MW_ENOMEM, "store %s: out of memory in targets",
                      s->path);
  }
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db, sql.data, (int)sql.len, &st, NULL) !=
      SQLITE_OK) {
    mw_buf_cleanup(&sql);
    return store_db_err(s, err, "preparing a target count");
  }
  mw_buf_cleanup(&sql);
  int next = 3;
  sqlite3_bind_int64(st, 1, q->from);
  sqlite3_bind_int64(st, 2, q->to);
  if (q->tier >= 0 &&
      sqlite3_bind_text(st, next++, mw_tier_name((enum mw_tier)q->tier), -1,
                        SQLITE_STATIC) != SQLITE_OK)
    rc = MW_EDB;
  if (!rc) rc = bind_list(st, &next, q->outlets, q->n_outlets);
  if (!rc) rc = bind_list(st, &next, q->topics, q->n_topics);
  if (!rc) rc = bind_list(st, &next, q->mentions, q->n_mentions);
  if (!rc && sqlite3_step(st) == SQLITE_ROW)
    *out = sqlite3_column_int64(st, 0);
  else if (!rc)
    rc = MW_EDB;
  if (rc) rc = store_db_err(s, err, "counting a target");
  sqlite3_finalize(st);
  return rc;
}
