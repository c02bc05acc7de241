/*
 * coverage.c: the coverage query, how many articles (or stories) each
 * outlet published in a period, in all and per topic.
 *
 * Articles count by articles.counted_at (published when known, else first
 * seen) and by the publishing outlet. The range scan uses the index on
 * (counted_at, outlet_id); topics come from the matches primary key.
 * Counted per story, the articles of one reprint cluster (clusters.c)
 * count once per outlet and topic. Only non-empty cells are returned:
 * filling in the zeros and laying out the table is the report's job
 * (report/), which knows the config.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

/* Topic cells, then the all-articles cells (topic NULL), in a stable order:
 * outlet name, then topic with NULL first. Grouped by outlet id first and
 * joined to the outlets after, so an outlet is looked up once per cell
 * rather than once per article (a week of a million-article store: 26 ms
 * down to 19). */
static const char SQL_COVERAGE[] =
    "SELECT o.name, o.tier, x.topic, x.n FROM"
    " (SELECT a.outlet_id AS oid, m.topic AS topic, count(*) AS n"
    " FROM articles a JOIN matches m ON m.article_id = a.id"
    " WHERE a.counted_at >= ?1 AND a.counted_at < ?2"
    " GROUP BY a.outlet_id, m.topic) x"
    " JOIN outlets o ON o.id = x.oid"
    " UNION ALL"
    " SELECT o.name, o.tier, NULL, x.n FROM"
    " (SELECT a.outlet_id AS oid, count(*) AS n FROM articles a"
    " WHERE a.counted_at >= ?1 AND a.counted_at < ?2"
    " GROUP BY a.outlet_id) x"
    " JOIN outlets o ON o.id = x.oid"
    " ORDER BY 1, 3";

/* The same per story. A story is a cluster, or an article in none: the key
 * is the cluster id negated (ids are positive, so it cannot meet an
 * article id) or else the article id. */
static const char SQL_COVERAGE_CLUSTERS[] =
    "SELECT o.name, o.tier, x.topic, x.n FROM"
    " (SELECT a.outlet_id AS oid, m.topic AS topic,"
    " count(DISTINCT coalesce(-a.cluster_id, a.id)) AS n"
    " FROM articles a JOIN matches m ON m.article_id = a.id"
    " WHERE a.counted_at >= ?1 AND a.counted_at < ?2"
    " GROUP BY a.outlet_id, m.topic) x"
    " JOIN outlets o ON o.id = x.oid"
    " UNION ALL"
    " SELECT o.name, o.tier, NULL, x.n FROM"
    " (SELECT a.outlet_id AS oid,"
    " count(DISTINCT coalesce(-a.cluster_id, a.id)) AS n FROM articles a"
    " WHERE a.counted_at >= ?1 AND a.counted_at < ?2"
    " GROUP BY a.outlet_id) x"
    " JOIN outlets o ON o.id = x.oid"
    " ORDER BY 1, 3";

void mw_coverage_free(struct mw_coverage *c) {
  if (!c) return;
  for (size_t i = 0; i < c->n_cells; i++) {
    free(c->cells[i].outlet);
    free(c->cells[i].topic);
  }
  free(c->cells);
  free(c);
}

/* Reads one row into cell; MW_ENOMEM or MW_EDB (a tier this build does not
 * know: the file comes from a newer schema). */
static int read_cell(struct mw_store *s, sqlite3_stmt *st,
                     struct mw_coverage_cell *cell, struct mw_err *err) {
  memset(cell, 0, sizeof *cell);
  cell->count = sqlite3_column_int64(st, 3);
  if (!store_column_dup(st, 0, &cell->outlet) ||
      !store_column_dup(st, 2, &cell->topic))
    return mw_err_set(err, MW_ENOMEM, "store %s: out of memory in coverage",
                      s->path);
  const char *tier = (const char *)sqlite3_column_text(st, 1);
  if (!tier || mw_tier_parse(tier, &cell->tier))
    return mw_err_set(err, MW_EDB, "store %s: outlet '%s' has unknown tier "
                      "'%s'", s->path, cell->outlet ? cell->outlet : "",
                      tier ? tier : "");
  return MW_OK;
}

int mw_store_coverage(struct mw_store *s, int64_t from, int64_t to,
                      struct mw_coverage **out, struct mw_err *err) {
  return mw_store_coverage_ex(s, from, to, false, out, err);
}

int mw_store_coverage_ex(struct mw_store *s, int64_t from, int64_t to,
                         bool per_cluster, struct mw_coverage **out,
                         struct mw_err *err) {
  *out = NULL;
  enum store_stmt_id id = per_cluster ? STMT_COVERAGE_CLUSTERS : STMT_COVERAGE;
  if (from > to)
    return mw_err_set(err, MW_EINVAL,
                      "store: coverage period ends (%lld) before it starts "
                      "(%lld)", (long long)to, (long long)from);
  struct mw_coverage *c = calloc(1, sizeof *c);
  if (!c)
    return mw_err_set(err, MW_ENOMEM, "store %s: out of memory in coverage",
                      s->path);
  c->from = from;
  c->to = to;
  sqlite3_stmt *st;
  int rc = store_stmt(s, id, per_cluster ? SQL_COVERAGE_CLUSTERS : SQL_COVERAGE,
                      &st, err);
  if (rc) goto fail;
  sqlite3_bind_int64(st, 1, from);
  sqlite3_bind_int64(st, 2, to);
  size_t cap = 0;
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    if (c->n_cells == cap) {
      size_t ncap = cap ? cap * 2 : 32;
      struct mw_coverage_cell *p = realloc(c->cells, ncap * sizeof *p);
      if (!p) {
        rc = mw_err_set(err, MW_ENOMEM, "store %s: out of memory in coverage",
                        s->path);
        goto fail;
      }
      c->cells = p;
      cap = ncap;
    }
    /* Counted before reading, so a half-read cell is freed too. */
    if ((rc = read_cell(s, st, &c->cells[c->n_cells++], err))) goto fail;
  }
  if (step != SQLITE_DONE) {
    rc = store_db_err(s, err, "counting coverage");
    goto fail;
  }
  sqlite3_reset(st);
  *out = c;
  return MW_OK;
fail:
  if (s->stmts[id]) sqlite3_reset(s->stmts[id]);
  mw_coverage_free(c);
  return rc;
}
