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
 * A count with mentions is driven from the mentions, not from the period's
 * articles: probing the index once per article of a month costs ~20 ms on
 * a million-article store even for a town named twice a year. The
 * period's lowest and highest article id are read first (one pass over
 * the counted_at index, no row read), and the count then walks only the
 * index entries of the terms within those ids, looking each article up by
 * id for the time and outlet filters. Ids and times need not be in the
 * same order (an article published early may be stored late): the bounds
 * only narrow the walk, the time filter still decides.
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

/* The parameters of the built SQL: ?1 and ?2 the period, ?3 and ?4 the
 * period's article ids (used when there are mentions), then the lists. */
enum { P_FROM = 1, P_TO, P_LO, P_HI, P_LISTS };

static int build_sql(const struct mw_target_query *q, struct mw_buf *sql) {
  int next = P_LISTS;
  int rc = mw_buf_puts(sql, q->stories
                                ? "SELECT count(DISTINCT coalesce(-a.cluster_id,"
                                  " a.id))"
                                : "SELECT count(*)");
  /* With mentions, the unary + keeps the planner off the counted_at index
   * so the rows come from the mention ids (see the top). */
  if (!rc)
    rc = mw_buf_puts(sql, q->n_mentions
                              ? " FROM articles a JOIN outlets o ON o.id ="
                                " a.outlet_id WHERE +a.counted_at >= ?1 AND"
                                " +a.counted_at < ?2"
                              : " FROM articles a JOIN outlets o ON o.id ="
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
  /* From the mentions index (mentions.c), a range of its primary key
   * (term, article_id) per term: the texts are never read. IN (SELECT)
   * yields each article once, however many of the terms it holds. */
  if (!rc && q->n_mentions)
    rc = add_list(sql,
                  " AND a.id IN (SELECT am.article_id FROM article_mentions"
                  " am WHERE am.article_id BETWEEN ?3 AND ?4 AND am.term IN (",
                  q->n_mentions, &next);
  if (!rc && q->n_mentions) rc = mw_buf_puts(sql, ")");
  return rc;
}

static const char SQL_ID_BOUNDS[] =
    "SELECT min(id), max(id) FROM articles"
    " WHERE counted_at >= ?1 AND counted_at < ?2";

/* The lowest and highest id of the articles counted in [from, to) into
 * *lo and *hi; *any false when there is none. */
static int id_bounds(struct mw_store *s, int64_t from, int64_t to,
                     int64_t *lo, int64_t *hi, bool *any,
                     struct mw_err *err) {
  *any = false;
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db, SQL_ID_BOUNDS, -1, &st, NULL) != SQLITE_OK)
    return store_db_err(s, err, "preparing a target's id range");
  sqlite3_bind_int64(st, 1, from);
  sqlite3_bind_int64(st, 2, to);
  int rc = MW_OK;
  if (sqlite3_step(st) != SQLITE_ROW) {
    rc = store_db_err(s, err, "reading a target's id range");
  } else if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
    *lo = sqlite3_column_int64(st, 0);
    *hi = sqlite3_column_int64(st, 1);
    *any = true;
  }
  sqlite3_finalize(st);
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
  int64_t lo = 0, hi = -1;
  if (q->n_mentions) {
    bool any;
    if ((rc = id_bounds(s, q->from, q->to, &lo, &hi, &any, err))) return rc;
    if (!any) return MW_OK; /* no article in the period: 0 */
  }
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
  int next = P_LISTS;
  sqlite3_bind_int64(st, P_FROM, q->from);
  sqlite3_bind_int64(st, P_TO, q->to);
  if (q->n_mentions) {
    sqlite3_bind_int64(st, P_LO, lo);
    sqlite3_bind_int64(st, P_HI, hi);
  }
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
