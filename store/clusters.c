/*
 * clusters.c: reprint clusters, the articles that carry one story.
 *
 * An article's simhash (computed by matchers/, which the store does not
 * link) is stored with it and cut into 4 bands of 16 bits in the
 * simhash_bands table. Two hashes at most 3 bits apart agree on at least
 * one band (pigeonhole: 3 differing bits touch at most 3 of the 4 bands),
 * so one indexed lookup per band finds every near neighbour; the real
 * distance is then checked here. The article joins the cluster of its
 * nearest neighbour within the caller's distance, or starts a new cluster.
 *
 * Each cluster row carries its counts and its original, recomputed from
 * one indexed scan of its members whenever a member joins or leaves, so
 * "top stories" reads them without grouping the whole table. Clusters are
 * small (the outlets that ran one story), so this costs little.
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

static const char SQL_ARTICLE[] =
    "SELECT simhash, cluster_id FROM articles WHERE id = ?1";
static const char SQL_SET_HASH[] =
    "UPDATE articles SET simhash = ?2, cluster_id = NULL WHERE id = ?1";
static const char SQL_SET_CLUSTER[] =
    "UPDATE articles SET cluster_id = ?2 WHERE id = ?1";
static const char SQL_BAND_INSERT[] =
    "INSERT OR IGNORE INTO simhash_bands (band, value, article_id)"
    " VALUES (?1, ?2, ?3)";
static const char SQL_BAND_DELETE[] =
    "DELETE FROM simhash_bands WHERE band = ?1 AND value = ?2"
    " AND article_id = ?3";
/* Every article sharing a band with the hash; the join skips band rows
 * whose article is gone. */
static const char SQL_CANDIDATES[] =
    "SELECT a.id, a.simhash, a.cluster_id FROM articles a WHERE a.id IN ("
    " SELECT article_id FROM simhash_bands WHERE band = 0 AND value = ?1"
    " UNION SELECT article_id FROM simhash_bands WHERE band = 1 AND value = ?2"
    " UNION SELECT article_id FROM simhash_bands WHERE band = 2 AND value = ?3"
    " UNION SELECT article_id FROM simhash_bands WHERE band = 3 AND value = ?4"
    ") AND a.id != ?5 AND a.cluster_id IS NOT NULL";
static const char SQL_CREATE[] =
    "INSERT INTO clusters (first_seen, original_article_id)"
    " SELECT counted_at, id FROM articles WHERE id = ?1 RETURNING id";
/* The members of cluster ?1, earliest first. origin is trimmed of ASCII
 * and ideographic spaces, as pages write "来源： 吉林日报 ". */
static const char SQL_MEMBERS[] =
    "SELECT a.id, a.counted_at, a.outlet_id, o.name,"
    " nullif(trim(a.origin, ' \t\r\n' || char(12288)), '')"
    " FROM articles a JOIN outlets o ON o.id = a.outlet_id"
    " WHERE a.cluster_id = ?1 ORDER BY a.counted_at, a.id";
static const char SQL_UPDATE[] =
    "UPDATE clusters SET article_count = ?2, outlet_count = ?3,"
    " first_seen = ?4, original_article_id = ?5, original_outlet = ?6"
    " WHERE id = ?1";
static const char SQL_DROP[] = "DELETE FROM clusters WHERE id = ?1";
static const char SQL_TOP[] =
    "SELECT c.id, c.original_article_id, t.title, c.original_outlet,"
    " c.first_seen, c.article_count, c.outlet_count"
    " FROM clusters c LEFT JOIN articles t ON t.id = c.original_article_id"
    " WHERE c.id IN (SELECT cluster_id FROM articles"
    "  WHERE counted_at >= ?1 AND counted_at < ?2 AND cluster_id IS NOT NULL)"
    " ORDER BY c.outlet_count DESC, c.article_count DESC, c.first_seen, c.id"
    " LIMIT ?3";
/* The original's outlet first (max() of a boolean: does the group hold the
 * original), then by first carrying. */
static const char SQL_OUTLETS[] =
    "SELECT o.name FROM articles a JOIN outlets o ON o.id = a.outlet_id"
    " WHERE a.cluster_id = ?1 GROUP BY a.outlet_id"
    " ORDER BY max(a.id = ?2) DESC, min(a.counted_at), o.name";

/* Band b of h, as stored. */
static int64_t band_value(uint64_t h, int b) {
  return (int64_t)((h >> (b * BAND_BITS)) & ((1u << BAND_BITS) - 1));
}

/* Runs a cached statement that returns no rows, with 1 to 3 integer
 * parameters (unused ones are not bound). */
static int exec3(struct mw_store *s, enum store_stmt_id id, const char *sql,
                 int n, int64_t p1, int64_t p2, int64_t p3, const char *what,
                 struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, id, sql, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, p1);
  if (n > 1) sqlite3_bind_int64(st, 2, p2);
  if (n > 2) sqlite3_bind_int64(st, 3, p3);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? MW_OK : store_db_err(s, err, what);
}

static int bands_write(struct mw_store *s, int64_t article_id, uint64_t h,
                       bool insert, struct mw_err *err) {
  for (int b = 0; b < N_BANDS; b++) {
    int rc = insert ? exec3(s, STMT_BAND_INSERT, SQL_BAND_INSERT, 3, b,
                            band_value(h, b), article_id,
                            "indexing a simhash", err)
                    : exec3(s, STMT_BAND_DELETE, SQL_BAND_DELETE, 3, b,
                            band_value(h, b), article_id,
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

/* The cluster of the nearest clustered article within max_distance of h
 * (ties: the older cluster), or 0. */
static int nearest_cluster(struct mw_store *s, int64_t article_id,
                           uint64_t h, int max_distance, int64_t *cluster,
                           struct mw_err *err) {
  *cluster = 0;
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_CLUSTER_CANDIDATES, SQL_CANDIDATES, &st, err);
  if (rc) return rc;
  for (int b = 0; b < N_BANDS; b++)
    sqlite3_bind_int64(st, b + 1, band_value(h, b));
  sqlite3_bind_int64(st, 5, article_id);
  int best = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    uint64_t other = (uint64_t)sqlite3_column_int64(st, 1);
    int64_t c = sqlite3_column_int64(st, 2);
    int d = __builtin_popcountll(h ^ other);
    if (d > max_distance) continue; /* shares a band, but too far */
    if (!*cluster || d < best || (d == best && c < *cluster)) {
      best = d;
      *cluster = c;
    }
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? MW_OK
                           : store_db_err(s, err, "finding reprints");
}

static int create_cluster(struct mw_store *s, int64_t article_id,
                          int64_t *cluster, struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_CLUSTER_CREATE, SQL_CREATE, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, article_id);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *cluster = sqlite3_column_int64(st, 0);
  int rrc = sqlite3_reset(st);
  return rc == SQLITE_ROW && rrc == SQLITE_OK
             ? MW_OK
             : store_db_err(s, err, "creating a reprint cluster");
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

  /* Leave the old place: its bands, its cluster. */
  if (hashed && old && (rc = bands_write(s, article_id, old, false, err)))
    return rc;
  if ((rc = exec3(s, STMT_CLUSTER_SET_HASH, SQL_SET_HASH, 2, article_id,
                  (int64_t)h, 0, "storing a simhash", err)))
    return rc;
  if (old_cluster && (rc = refresh(s, old_cluster, err))) return rc;
  if (h == 0) return MW_OK; /* too short to judge: a story of its own */

  int64_t cluster;
  if ((rc = nearest_cluster(s, article_id, h, max_distance, &cluster, err)) ||
      (rc = bands_write(s, article_id, h, true, err)))
    return rc;
  if (!cluster && (rc = create_cluster(s, article_id, &cluster, err)))
    return rc;
  if ((rc = exec3(s, STMT_CLUSTER_SET_CLUSTER, SQL_SET_CLUSTER, 2,
                  article_id, cluster, 0, "joining a reprint cluster", err)))
    return rc;
  return refresh(s, cluster, err);
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
