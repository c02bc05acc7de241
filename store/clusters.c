/*
 * clusters.c: reprint clusters, the articles that carry one story.
 *
 * An article's simhash (computed by matchers/, which the store does not
 * link) is cut into 4 bands of 16 bits in the simhash_bands table. Two
 * hashes at most 3 bits apart agree on at least one band (pigeonhole: 3
 * differing bits touch at most 3 of the 4 bands), so one indexed lookup
 * per band finds every near neighbour; the real distance is then checked
 * here. The article joins the cluster of its nearest neighbour within the
 * caller's distance, or starts a new cluster.
 *
 * Everything this file reads per article lives in narrow rows: each band
 * row carries the whole hash, and article_hashes holds hash, cluster,
 * outlet and coverage time. The articles row has its 9 KB of text before
 * simhash and cluster_id, so reading those walks overflow pages and
 * setting them rewrites the row: its copies are written once, at insert,
 * when the caller hands the hash to mw_store_add_article
 * (store_cluster_insert places the article first), and updated only when
 * an article is hashed later or again.
 *
 * Each cluster row carries its counts and its original, recomputed from
 * one indexed scan of its members whenever a member joins or leaves, so
 * "top stories" reads them without grouping the whole table. Clusters are
 * small (the outlets that ran one story), so this costs little; a cluster
 * made for one new article gets its figures at once.
 *
 * What it leaves to others: hashing the text (mw_simhash, matchers/), when
 * to commit (the caller's batch; each call here is atomic on its own), and
 * the coverage table counted per story (coverage.c).
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

#define N_BANDS 4
#define BAND_BITS 16

/* The article's place in the index: no row when it is unknown, NULL
 * simhash when it was never hashed. Only the article's key is read. */
static const char SQL_ARTICLE[] =
    "SELECT h.simhash, h.cluster_id FROM articles a"
    " LEFT JOIN article_hashes h ON h.article_id = a.id WHERE a.id = ?1";
/* Hashing (again) an article stored earlier: its outlet and coverage time
 * are read once from its row. */
static const char SQL_HASH_UPSERT[] =
    "INSERT INTO article_hashes (article_id, simhash, cluster_id, outlet_id,"
    " counted_at) SELECT id, ?2, NULL, outlet_id, counted_at FROM articles"
    " WHERE id = ?1 ON CONFLICT (article_id) DO UPDATE"
    " SET simhash = excluded.simhash, cluster_id = NULL";
static const char SQL_HASH_INSERT[] =
    "INSERT INTO article_hashes (article_id, simhash, cluster_id, outlet_id,"
    " counted_at) VALUES (?1, ?2, nullif(?3, 0), ?4, ?5)";
static const char SQL_SET_CLUSTER[] =
    "UPDATE article_hashes SET cluster_id = ?2 WHERE article_id = ?1";
/* The copy in articles, for the coverage query; off the hot path (new
 * articles get both at insert). */
static const char SQL_SET_HASH[] =
    "UPDATE articles SET simhash = ?2, cluster_id = nullif(?3, 0)"
    " WHERE id = ?1";
static const char SQL_BAND_INSERT[] =
    "INSERT OR IGNORE INTO simhash_bands (band, value, article_id, simhash)"
    " VALUES (0, ?1, ?5, ?6), (1, ?2, ?5, ?6), (2, ?3, ?5, ?6),"
    " (3, ?4, ?5, ?6)";
static const char SQL_BAND_DELETE[] =
    "DELETE FROM simhash_bands WHERE band = ?1 AND value = ?2"
    " AND article_id = ?3";
/* Every hash sharing a band with ?1..?4: one range of the primary key per
 * band, the whole hash in each row. An article found in several bands
 * comes several times; that changes no distance. */
static const char SQL_CANDIDATES[] =
    "SELECT article_id, simhash FROM simhash_bands"
    "  WHERE band = 0 AND value = ?1"
    " UNION ALL SELECT article_id, simhash FROM simhash_bands"
    "  WHERE band = 1 AND value = ?2"
    " UNION ALL SELECT article_id, simhash FROM simhash_bands"
    "  WHERE band = 2 AND value = ?3"
    " UNION ALL SELECT article_id, simhash FROM simhash_bands"
    "  WHERE band = 3 AND value = ?4";
/* The cluster of a near neighbour; no row for a band row left behind by a
 * deleted article, NULL for one not clustered yet. */
static const char SQL_CLUSTER_OF[] =
    "SELECT cluster_id FROM article_hashes WHERE article_id = ?1";
/* The original is set by refresh() once the article is in. */
static const char SQL_CREATE[] =
    "INSERT INTO clusters (first_seen) VALUES (?1) RETURNING id";
/* A cluster for a new article of source ?1 alone, with the figures
 * refresh() would give it: its 来源 (trimmed as SQL_MEMBERS does), else
 * its outlet, is the original outlet. The article is the original once it
 * is in (SQL_SET_ORIGINAL). */
static const char SQL_CREATE_ONE[] =
    "INSERT INTO clusters (first_seen, article_count, outlet_count,"
    " original_outlet) SELECT ?2, 1, 1,"
    " coalesce(nullif(trim(?3, ' \t\r\n' || char(12288)), ''), o.name)"
    " FROM sources s JOIN outlets o ON o.id = s.outlet_id WHERE s.id = ?1"
    " RETURNING id";
static const char SQL_SET_ORIGINAL[] =
    "UPDATE clusters SET original_article_id = ?2 WHERE id = ?1";
/* The members of cluster ?1, earliest first. origin is trimmed of ASCII
 * and ideographic spaces, as pages write "来源： 吉林日报 "; it lies before
 * the text in the row, so no overflow page is read. */
static const char SQL_MEMBERS[] =
    "SELECT h.article_id, h.counted_at, h.outlet_id, o.name,"
    " nullif(trim(a.origin, ' \t\r\n' || char(12288)), '')"
    " FROM article_hashes h JOIN outlets o ON o.id = h.outlet_id"
    " JOIN articles a ON a.id = h.article_id"
    " WHERE h.cluster_id = ?1 ORDER BY h.counted_at, h.article_id";
static const char SQL_UPDATE[] =
    "UPDATE clusters SET article_count = ?2, outlet_count = ?3,"
    " first_seen = ?4, original_article_id = ?5, original_outlet = ?6"
    " WHERE id = ?1";
static const char SQL_DROP[] = "DELETE FROM clusters WHERE id = ?1";
/* The period's articles come from the (counted_at, outlet_id) index, which
 * holds their ids: neither table's wide rows are read. */
static const char SQL_TOP[] =
    "SELECT c.id, c.original_article_id, t.title, c.original_outlet,"
    " c.first_seen, c.article_count, c.outlet_count"
    " FROM clusters c LEFT JOIN articles t ON t.id = c.original_article_id"
    " WHERE c.id IN (SELECT h.cluster_id FROM articles a"
    "  JOIN article_hashes h ON h.article_id = a.id"
    "  WHERE a.counted_at >= ?1 AND a.counted_at < ?2"
    "  AND h.cluster_id IS NOT NULL)"
    " ORDER BY c.outlet_count DESC, c.article_count DESC, c.first_seen, c.id"
    " LIMIT ?3";
/* The original's outlet first (max() of a boolean: does the group hold the
 * original), then by first carrying. */
static const char SQL_OUTLETS[] =
    "SELECT o.name FROM article_hashes h JOIN outlets o ON o.id = h.outlet_id"
    " WHERE h.cluster_id = ?1 GROUP BY h.outlet_id"
    " ORDER BY max(h.article_id = ?2) DESC, min(h.counted_at), o.name";

/* Band b of h, as stored. */
static int64_t band_value(uint64_t h, int b) {
  return (int64_t)((h >> (b * BAND_BITS)) & ((1u << BAND_BITS) - 1));
}

/* Runs a cached statement that returns no rows with the n integer
 * parameters p. */
static int exec_ints(struct mw_store *s, enum store_stmt_id id,
                     const char *sql, int n, const int64_t *p,
                     const char *what, struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, id, sql, &st, err);
  if (rc) return rc;
  for (int i = 0; i < n; i++) sqlite3_bind_int64(st, i + 1, p[i]);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? MW_OK : store_db_err(s, err, what);
}

static int exec3(struct mw_store *s, enum store_stmt_id id, const char *sql,
                 int n, int64_t p1, int64_t p2, int64_t p3, const char *what,
                 struct mw_err *err) {
  const int64_t p[3] = {p1, p2, p3};
  return exec_ints(s, id, sql, n, p, what, err);
}

static int bands_write(struct mw_store *s, int64_t article_id, uint64_t h,
                       bool insert, struct mw_err *err) {
  if (insert) {
    const int64_t p[6] = {band_value(h, 0), band_value(h, 1), band_value(h, 2),
                          band_value(h, 3), article_id, (int64_t)h};
    return exec_ints(s, STMT_BAND_INSERT, SQL_BAND_INSERT, 6, p,
                     "indexing a simhash", err);
  }
  for (int b = 0; b < N_BANDS; b++) {
    const int64_t p[3] = {b, band_value(h, b), article_id};
    int rc = exec_ints(s, STMT_BAND_DELETE, SQL_BAND_DELETE, 3, p,
                       "unindexing a simhash", err);
    if (rc) return rc;
  }
  return MW_OK;
}

/* A cluster's members as refresh() reads them, earliest first. Strings
 * live in the arena. */
struct member {
  int64_t id;
  int64_t outlet_id;
  const char *outlet;
  const char *origin; /* NULL when the page named none */
};

/* A 来源 named by members: how many, in order of first mention. */
struct named {
  const char *name;
  size_t count;
};

struct members {
  struct mw_arena *arena;
  struct member *m;
  size_t n;
  int64_t first_seen;
  struct named *origins; /* distinct */
  size_t n_origins;
  size_t n_outlets; /* distinct outlet ids */
};

/* Index of name in the distinct origins, or n_origins. */
static size_t find_origin(const struct members *ms, const char *name) {
  size_t i = 0;
  while (i < ms->n_origins && strcmp(ms->origins[i].name, name)) i++;
  return i;
}

/* Reads the members of cluster id and tallies outlets and origins. The
 * arena and arrays are allocated here; members_cleanup frees them. */
static int read_members(struct mw_store *s, int64_t id, struct members *ms,
                        struct mw_err *err) {
  int64_t *outlets = NULL;
  size_t cap = 0;
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_CLUSTER_MEMBERS, SQL_MEMBERS, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  if (!(ms->arena = mw_arena_new(4096, 0))) goto nomem;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (ms->n == cap) {
      size_t ncap = cap ? cap * 2 : 16;
      struct member *m = realloc(ms->m, ncap * sizeof *m);
      if (m) ms->m = m;
      int64_t *o = m ? realloc(outlets, ncap * sizeof *o) : NULL;
      if (o) outlets = o;
      struct named *g = o ? realloc(ms->origins, ncap * sizeof *g) : NULL;
      if (!g) goto nomem;
      ms->origins = g;
      cap = ncap;
    }
    struct member *m = &ms->m[ms->n++];
    m->id = sqlite3_column_int64(st, 0);
    if (ms->n == 1) ms->first_seen = sqlite3_column_int64(st, 1);
    m->outlet_id = sqlite3_column_int64(st, 2);
    const char *outlet = (const char *)sqlite3_column_text(st, 3);
    const char *origin = (const char *)sqlite3_column_text(st, 4);
    m->outlet = mw_arena_strdup(ms->arena, outlet ? outlet : "");
    m->origin = origin ? mw_arena_strdup(ms->arena, origin) : NULL;
    if (!m->outlet || (origin && !m->origin)) goto nomem;
    size_t k = 0;
    while (k < ms->n_outlets && outlets[k] != m->outlet_id) k++;
    if (k == ms->n_outlets) outlets[ms->n_outlets++] = m->outlet_id;
    if (m->origin) {
      k = find_origin(ms, m->origin);
      if (k == ms->n_origins)
        ms->origins[ms->n_origins++] = (struct named){m->origin, 0};
      ms->origins[k].count++;
    }
  }
  sqlite3_reset(st);
  free(outlets);
  return rc == SQLITE_DONE ? MW_OK
                           : store_db_err(s, err, "reading a reprint cluster");
nomem:
  sqlite3_reset(st);
  free(outlets);
  return mw_err_set(err, MW_ENOMEM, "store %s: out of memory updating a "
                    "reprint cluster", s->path);
}

static void members_cleanup(struct members *ms) {
  mw_arena_free(ms->arena);
  free(ms->m);
  free(ms->origins);
}

/* Recomputes cluster id's counts and original from its members (see
 * mw_store_cluster_article); deletes the cluster when none is left. One
 * indexed scan of the members; the rest is done here, as sqlite would
 * scan them once per figure. */
static int refresh(struct mw_store *s, int64_t id, struct mw_err *err) {
  struct members ms = {0};
  int rc = read_members(s, id, &ms, err);
  if (rc || ms.n == 0) {
    members_cleanup(&ms);
    return rc ? rc : exec3(s, STMT_CLUSTER_DROP, SQL_DROP, 1, id, 0, 0,
                           "removing an empty reprint cluster", err);
  }
  /* The earliest member whose outlet some member names as 来源. */
  const struct member *orig = NULL;
  for (size_t i = 0; i < ms.n && !orig; i++)
    if (find_origin(&ms, ms.m[i].outlet) < ms.n_origins) orig = &ms.m[i];
  const char *outlet = orig ? orig->outlet : NULL;
  if (!orig) {
    orig = &ms.m[0];
    /* The 来源 most members name (the first named on a tie), else the
     * earliest member's own outlet. */
    const struct named *best = NULL;
    for (size_t k = 0; k < ms.n_origins; k++)
      if (!best || ms.origins[k].count > best->count) best = &ms.origins[k];
    outlet = best ? best->name : orig->outlet;
  }
  sqlite3_stmt *st;
  if (!(rc = store_stmt(s, STMT_CLUSTER_UPDATE, SQL_UPDATE, &st, err))) {
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, (int64_t)ms.n);
    sqlite3_bind_int64(st, 3, (int64_t)ms.n_outlets);
    sqlite3_bind_int64(st, 4, ms.first_seen);
    sqlite3_bind_int64(st, 5, orig->id);
    sqlite3_bind_text(st, 6, outlet, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st) == SQLITE_DONE
             ? MW_OK
             : store_db_err(s, err, "updating a reprint cluster");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
  }
  members_cleanup(&ms);
  return rc;
}

/* The cluster of article id: *cluster 0 when it has none or is gone. */
static int cluster_of(struct mw_store *s, int64_t id, int64_t *cluster,
                      struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_CLUSTER_OF, SQL_CLUSTER_OF, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  rc = sqlite3_step(st);
  *cluster = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0; /* NULL: 0 */
  sqlite3_reset(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE
             ? MW_OK
             : store_db_err(s, err, "finding reprints");
}

int mw_store_article_cluster(struct mw_store *s, int64_t article_id,
                             int64_t *cluster_id, struct mw_err *err) {
  return cluster_of(s, article_id, cluster_id, err);
}

/* The cluster of the nearest clustered article within max_distance of h
 * (ties: the older cluster), article_id itself left out, or 0. Band rows
 * carry the whole hash, so only the few close enough cost a look-up. */
static int nearest_cluster(struct mw_store *s, int64_t article_id,
                           uint64_t h, int max_distance, int64_t *cluster,
                           struct mw_err *err) {
  *cluster = 0;
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_CLUSTER_CANDIDATES, SQL_CANDIDATES, &st, err);
  if (rc) return rc;
  for (int b = 0; b < N_BANDS; b++)
    sqlite3_bind_int64(st, b + 1, band_value(h, b));
  int best = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int64_t other = sqlite3_column_int64(st, 0);
    int d = __builtin_popcountll(h ^ (uint64_t)sqlite3_column_int64(st, 1));
    /* Shares a band, but too far; or no nearer than what we have. */
    if (other == article_id || d > max_distance || (*cluster && d > best))
      continue;
    int64_t c;
    if ((rc = cluster_of(s, other, &c, err))) break;
    if (c && (!*cluster || d < best || c < *cluster)) {
      best = d;
      *cluster = c;
    }
  }
  sqlite3_reset(st);
  if (rc > 0 && rc != SQLITE_DONE) return store_db_err(s, err, "finding reprints");
  return rc < 0 ? rc : MW_OK;
}

static int create_cluster(struct mw_store *s, int64_t first_seen,
                          int64_t *cluster, struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_CLUSTER_CREATE, SQL_CREATE, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, first_seen);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *cluster = sqlite3_column_int64(st, 0);
  int rrc = sqlite3_reset(st);
  return rc == SQLITE_ROW && rrc == SQLITE_OK
             ? MW_OK
             : store_db_err(s, err, "creating a reprint cluster");
}

/* A cluster for a new article of a alone (SQL_CREATE_ONE); *cluster 0 when
 * a's source is unknown, which the insert then reports. */
static int create_cluster_one(struct mw_store *s, const struct mw_article *a,
                              int64_t *cluster, struct mw_err *err) {
  *cluster = 0;
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_CLUSTER_CREATE_ONE, SQL_CREATE_ONE, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, a->source_id);
  sqlite3_bind_int64(st, 2, a->published != MW_TIME_UNKNOWN ? a->published
                                                            : a->fetched);
  if (a->origin) sqlite3_bind_text(st, 3, a->origin, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *cluster = sqlite3_column_int64(st, 0);
  int rrc = sqlite3_reset(st);
  sqlite3_clear_bindings(st); /* the origin is the caller's */
  return (rc == SQLITE_ROW || rc == SQLITE_DONE) && rrc == SQLITE_OK
             ? MW_OK
             : store_db_err(s, err, "creating a reprint cluster");
}

int store_cluster_insert(struct mw_store *s, const struct mw_article *a,
                         struct store_row *row, struct mw_err *err) {
  uint64_t h = a->simhash;
  int64_t cluster;
  bool created = false;
  /* The place first, so the row is written once with its cluster. */
  int rc = nearest_cluster(s, 0, h, a->cluster_distance, &cluster, err);
  if (!rc && !cluster) {
    rc = create_cluster_one(s, a, &cluster, err);
    created = true;
  }
  if (!rc) rc = store_article_insert(s, a, true, cluster, row, err);
  if (rc) return rc;
  if (!row->inserted)
    /* Known already: it keeps its place; a cluster made for it goes. */
    return created ? exec3(s, STMT_CLUSTER_DROP, SQL_DROP, 1, cluster, 0, 0,
                           "removing an unused reprint cluster", err)
                   : MW_OK;
  const int64_t p[5] = {row->id, (int64_t)h, cluster, row->outlet_id,
                        row->counted_at};
  if ((rc = exec_ints(s, STMT_HASH_INSERT, SQL_HASH_INSERT, 5, p,
                      "storing a simhash", err)) ||
      (rc = bands_write(s, row->id, h, true, err)))
    return rc;
  /* A new cluster has its figures already; only the original's id was
   * missing. Joining one recomputes them. */
  return created ? exec3(s, STMT_CLUSTER_SET_ORIGINAL, SQL_SET_ORIGINAL, 2,
                         cluster, row->id, 0, "creating a reprint cluster",
                         err)
                 : refresh(s, cluster, err);
}

/* The work of mw_store_cluster_article, inside its savepoint. */
static int cluster_article(struct mw_store *s, int64_t article_id,
                           uint64_t h, int max_distance, struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_CLUSTER_ARTICLE, SQL_ARTICLE, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, article_id);
  rc = sqlite3_step(st);
  bool hashed = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
  uint64_t old = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(st, 0) : 0;
  int64_t old_cluster =
      rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0; /* NULL reads 0 */
  sqlite3_reset(st);
  if (rc == SQLITE_DONE)
    return mw_err_set(err, MW_ENOTFOUND,
                      "store %s: no article with id %lld to cluster", s->path,
                      (long long)article_id);
  if (rc != SQLITE_ROW) return store_db_err(s, err, "reading an article");

  /* Same hash as stored: already where it belongs. */
  if (hashed && old == h && (old_cluster || h == 0)) return MW_OK;

  /* Leave the old place: its bands; its cluster once the new one is known
   * (the article is no member of it from here on). */
  if (hashed && old && (rc = bands_write(s, article_id, old, false, err)))
    return rc;
  if ((rc = exec3(s, STMT_HASH_UPSERT, SQL_HASH_UPSERT, 2, article_id,
                  (int64_t)h, 0, "storing a simhash", err)))
    return rc;
  int64_t cluster = 0;
  if (h != 0) { /* else too short to judge: a story of its own */
    if ((rc = nearest_cluster(s, article_id, h, max_distance, &cluster,
                              err)) ||
        (rc = bands_write(s, article_id, h, true, err)))
      return rc;
    /* first_seen is set from the members by refresh() below. */
    if (!cluster && (rc = create_cluster(s, 0, &cluster, err))) return rc;
    if ((rc = exec3(s, STMT_CLUSTER_SET_CLUSTER, SQL_SET_CLUSTER, 2,
                    article_id, cluster, 0, "joining a reprint cluster",
                    err)))
      return rc;
  }
  /* The copy in the article's row, before an emptied old cluster goes (its
   * foreign key would rewrite the row once more). */
  if ((rc = exec3(s, STMT_CLUSTER_SET_HASH, SQL_SET_HASH, 3, article_id,
                  (int64_t)h, cluster, "storing a simhash", err)))
    return rc;
  if (old_cluster && old_cluster != cluster &&
      (rc = refresh(s, old_cluster, err)))
    return rc;
  return cluster ? refresh(s, cluster, err) : MW_OK;
}

int mw_store_cluster_article(struct mw_store *s, int64_t article_id,
                             uint64_t simhash, int max_distance,
                             struct mw_err *err) {
  if (max_distance < 0 || max_distance > MW_STORE_CLUSTER_MAX_DISTANCE)
    return mw_err_set(err, MW_EINVAL,
                      "store: reprint distance %d is outside 0..%d, the "
                      "distance the banded simhash index finds every "
                      "neighbour within",
                      max_distance, MW_STORE_CLUSTER_MAX_DISTANCE);
  int rc = store_savepoint(s, err);
  if (rc) return rc;
  rc = cluster_article(s, article_id, simhash, max_distance, err);
  int erc = store_savepoint_end(s, rc == MW_OK, rc ? NULL : err);
  return rc ? rc : erc;
}

/* ------------------------------------------------------------ top stories */

void mw_store_clusters_free(struct mw_cluster *arr, size_t n) {
  if (!arr) return;
  for (size_t i = 0; i < n; i++) {
    free(arr[i].title);
    free(arr[i].original_outlet);
    for (size_t j = 0; j < arr[i].n_outlets; j++) free(arr[i].outlets[j]);
    free(arr[i].outlets);
  }
  free(arr);
}

static int oom(struct mw_store *s, struct mw_err *err) {
  return mw_err_set(err, MW_ENOMEM, "store %s: out of memory listing top "
                    "stories", s->path);
}

/* Fills c->outlets. */
static int read_outlets(struct mw_store *s, struct mw_cluster *c,
                        struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_CLUSTER_OUTLETS, SQL_OUTLETS, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, c->id);
  sqlite3_bind_int64(st, 2, c->original_article_id);
  size_t cap = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (c->n_outlets == cap) {
      size_t ncap = cap ? cap * 2 : 8;
      char **p = realloc(c->outlets, ncap * sizeof *p);
      if (!p) goto nomem;
      c->outlets = p;
      cap = ncap;
    }
    if (!store_column_dup(st, 0, &c->outlets[c->n_outlets])) goto nomem;
    c->n_outlets++;
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? MW_OK
                           : store_db_err(s, err, "listing a story's outlets");
nomem:
  sqlite3_reset(st);
  return oom(s, err);
}

/* Reads the clusters of the period, without their outlets. */
static int read_top(struct mw_store *s, int64_t from, int64_t to,
                    size_t limit, struct mw_cluster **arr, size_t *n,
                    struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_CLUSTERS_TOP, SQL_TOP, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, from);
  sqlite3_bind_int64(st, 2, to);
  /* A negative LIMIT is none in sqlite. */
  sqlite3_bind_int64(st, 3, limit == 0 || limit > (uint64_t)INT64_MAX
                                ? -1 : (int64_t)limit);
  size_t cap = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (*n == cap) {
      size_t ncap = cap ? cap * 2 : 16;
      struct mw_cluster *p = realloc(*arr, ncap * sizeof *p);
      if (!p) goto nomem;
      *arr = p;
      cap = ncap;
    }
    struct mw_cluster *c = &(*arr)[(*n)++]; /* counted first: freed too */
    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(st, 0);
    c->original_article_id = sqlite3_column_int64(st, 1);
    c->first_seen = sqlite3_column_int64(st, 4);
    c->article_count = sqlite3_column_int64(st, 5);
    c->outlet_count = sqlite3_column_int64(st, 6);
    if (!store_column_dup(st, 2, &c->title) ||
        !store_column_dup(st, 3, &c->original_outlet))
      goto nomem;
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? MW_OK
                           : store_db_err(s, err, "listing top stories");
nomem:
  sqlite3_reset(st);
  return oom(s, err);
}

int mw_store_top_clusters(struct mw_store *s, int64_t from, int64_t to,
                          size_t limit, struct mw_cluster **out, size_t *n,
                          struct mw_err *err) {
  *out = NULL;
  *n = 0;
  if (from > to)
    return mw_err_set(err, MW_EINVAL,
                      "store: top stories period ends (%lld) before it "
                      "starts (%lld)", (long long)to, (long long)from);
  struct mw_cluster *arr = NULL;
  size_t len = 0;
  int rc = read_top(s, from, to, limit, &arr, &len, err);
  for (size_t i = 0; !rc && i < len; i++) rc = read_outlets(s, &arr[i], err);
  if (rc) {
    mw_store_clusters_free(arr, len);
    return rc;
  }
  *out = arr;
  *n = len;
  return MW_OK;
}
