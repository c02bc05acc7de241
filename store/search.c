/*
 * search.c: full-text search of the stored articles for the dashboard.
 *
 * The index is FTS5 with trigram tokens over title and text (migration 7),
 * external content: article_fts keeps the index, articles the text, so the
 * texts are not stored twice. Articles are indexed after they are stored,
 * in batches (mw_store_search_index, called by whoever serves search), up to
 * a watermark: ids only grow and articles are never rewritten, so
 * "indexed" is "id <= search_state.indexed_through".
 *
 * A query is words. Words of three characters or more become quoted FTS5
 * strings joined by AND (the user's text is never FTS5 syntax: quotes are
 * doubled, operators and stars are then plain characters); shorter words,
 * which trigrams cannot find (two-character Chinese words such as 污染),
 * filter the candidates with instr(). A query of only short words scans
 * the newest SEARCH_SCAN_MAX articles. The trigram index ignores ASCII
 * case, instr() does not: "ABC" finds "abc", "AB" does not find "ab".
 *
 * Cost, with a million articles in mind: hits come newest first, by rowid
 * descending, which FTS5 streams without sorting, so LIMIT 20 of a word in
 * half the articles reads 20 rows. Filters (topic, outlet, tier, region,
 * time, short words) are checked row by row on that stream, so a filter
 * that passes few rows would walk every candidate: the walk is bounded to
 * the newest SEARCH_FILTER_SCAN_MAX candidates (the bound found with one
 * index-only query), and the result says so with total_capped. A time
 * range small enough narrows the candidates to the ids of its articles
 * first, so a range in the past is searched where it lies. Totals are
 * counted over a LIMIT of MW_SEARCH_COUNT_CAP + 1 rows, or of
 * SEARCH_FILTERED_COUNT_CAP + 1 when rows are checked one by one (the
 * count would read as many rows again as the page did; bench/serve found
 * it was nearly all of a slow search's time). Measured on
 * 100,000 articles of 2.7 KB (warm): a word in 70% of them 3 ms, with a
 * filter 12 to 30 ms, with a short word 70 ms, short words only 60 ms
 * (common) to 130 ms (rare: the whole scan). The SQL differs with the
 * filters given, so it is prepared per call (tens of microseconds, small
 * beside the query) instead of cached with the store's statements.
 *
 * What it leaves to others: splitting the query into words, the FTS5
 * expression of the long ones and the marking of the short ones in a hit
 * (search_words.c), escaping and <mark> tags (web/), who calls the indexer
 * and when (web/).
 */
#include <stdlib.h>
#include <string.h>

#include "store/search_int.h"

/* Candidates walked when rows are filtered one by one: the newest articles
 * of a query of only short words (each text read), the newest matches of
 * the index otherwise (a row lookup each, about 1.2 us warm). */
#define SEARCH_SCAN_MAX 30000
#define SEARCH_FILTER_SCAN_MAX 20000
/* Totals of a query whose rows are checked one by one are counted to this
 * many: counting further reads as many rows again as the page did, for a
 * figure shown as "1000+" anyway. */
#define SEARCH_FILTERED_COUNT_CAP 1000
#define SEARCH_WINDOW_MAX 100000 /* articles of a time range to bound ids */
#define SEARCH_DEFAULT_LIMIT 20
/* Articles indexed per call (per transaction), whatever the caller asks:
 * the write lock is held while FTS5 writes (and merges) the batch, about
 * 0.8 ms per article of 3 KB measured, up to 4x that when a merge or a
 * checkpoint falls into it; the crawler's writes wait for it (busy
 * timeout 5 s). 500 keeps the lock well under a second. */
#define SEARCH_INDEX_BATCH_MAX 500
#define SQL_MAX 4096 /* the query built here is well below */

static const char SQL_WATERMARK[] =
    "SELECT indexed_through FROM search_state WHERE id = 1";
/* The next batch: how many and up to which id. */
static const char SQL_BATCH[] =
    "SELECT count(*), max(id) FROM (SELECT id FROM articles WHERE id > ?1"
    " ORDER BY id LIMIT ?2)";
static const char SQL_INSERT[] =
    "INSERT INTO article_fts (rowid, title, text) SELECT id, title, text"
    " FROM articles WHERE id > ?1 AND id <= ?2 ORDER BY id";
static const char SQL_SET_WATERMARK[] =
    "UPDATE search_state SET indexed_through = ?1 WHERE id = 1";
/* Counting rows by id walks the table itself (the long rows), so a store
 * just migrated, with everything pending, would read every article: past
 * 10,000 pending the difference of ids is taken, exact as long as articles
 * are not deleted (they never are). */
static const char SQL_PENDING[] =
    "SELECT CASE WHEN m - w <= 10000"
    " THEN (SELECT count(*) FROM articles WHERE id > w) ELSE m - w END"
    " FROM (SELECT coalesce(max(id), 0) AS m FROM articles),"
    " (SELECT indexed_through AS w FROM search_state WHERE id = 1)";
/* The articles of a time range, through the covering index
 * articles_counted, at most ?3 of them. */
static const char SQL_WINDOW[] =
    "SELECT count(*), min(id), max(id) FROM (SELECT id FROM articles"
    " WHERE counted_at >= ?1 AND counted_at < ?2 LIMIT ?3)";
/* The oldest of the newest ?4 + 1 candidates: reads the index only. */
static const char SQL_BOUND[] =
    "SELECT rowid FROM article_fts WHERE article_fts MATCH ?1"
    " AND rowid BETWEEN ?2 AND ?3 ORDER BY rowid DESC LIMIT 1 OFFSET ?4";
static const char SQL_MAX_ID[] = "SELECT max(id) FROM articles";

/* ---------------------------------------------------------- indexing */

/* Reads one integer row of a cached statement without parameters. */
static int read_int(struct mw_store *s, enum store_stmt_id id, const char *sql,
                    int64_t *out, const char *what, struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, id, sql, &st, err);
  if (rc) return rc;
  int step = sqlite3_step(st);
  *out = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_reset(st);
  return step == SQLITE_ROW ? MW_OK : store_db_err(s, err, what);
}

/* Indexes the next batch inside the caller's transaction. */
static int index_batch(struct mw_store *s, size_t max, size_t *indexed,
                       struct mw_err *err) {
  int64_t mark;
  int rc = read_int(s, STMT_SEARCH_WATERMARK, SQL_WATERMARK, &mark,
                    "reading the search watermark", err);
  if (rc) return rc;
  sqlite3_stmt *st;
  if ((rc = store_stmt(s, STMT_SEARCH_BATCH, SQL_BATCH, &st, err))) return rc;
  sqlite3_bind_int64(st, 1, mark);
  sqlite3_bind_int64(st, 2, store_limit(max));
  int step = sqlite3_step(st);
  int64_t n = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  int64_t through = step == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
  sqlite3_reset(st);
  if (step != SQLITE_ROW)
    return store_db_err(s, err, "finding articles to index");
  if (n == 0) return MW_OK;

  if ((rc = store_stmt(s, STMT_SEARCH_INSERT, SQL_INSERT, &st, err))) return rc;
  sqlite3_bind_int64(st, 1, mark);
  sqlite3_bind_int64(st, 2, through);
  step = sqlite3_step(st);
  sqlite3_reset(st);
  if (step != SQLITE_DONE) return store_db_err(s, err, "indexing articles");

  if ((rc = store_stmt(s, STMT_SEARCH_SET_WATERMARK, SQL_SET_WATERMARK, &st,
                       err)))
    return rc;
  sqlite3_bind_int64(st, 1, through);
  step = sqlite3_step(st);
  sqlite3_reset(st);
  if (step != SQLITE_DONE)
    return store_db_err(s, err, "moving the search watermark");
  *indexed = (size_t)n;
  return MW_OK;
}

int mw_store_search_index(struct mw_store *s, size_t max, size_t *indexed,
                          struct mw_err *err) {
  size_t done = 0;
  if (indexed) *indexed = 0;
  if (max == 0) return MW_OK;
  if (max > SEARCH_INDEX_BATCH_MAX) max = SEARCH_INDEX_BATCH_MAX;
  /* Outside a batch, take the write lock first (BEGIN IMMEDIATE): a
   * deferred transaction that reads and then writes fails at once with
   * SQLITE_BUSY when the crawler committed in between (WAL). Inside the
   * caller's batch, a savepoint. */
  bool own = sqlite3_get_autocommit(s->db) != 0;
  int rc = own ? mw_store_begin(s, err) : store_savepoint(s, err);
  if (rc) return rc;
  rc = index_batch(s, max, &done, err);
  if (own) {
    if (!rc) rc = mw_store_commit(s, err);
    if (rc) mw_store_rollback(s);
  } else if (rc) {
    store_savepoint_end(s, false, NULL);
  } else {
    rc = store_savepoint_end(s, true, err);
  }
  if (!rc && indexed) *indexed = done;
  return rc;
}

int mw_store_search_pending(struct mw_store *s, int64_t *n,
                            struct mw_err *err) {
  return read_int(s, STMT_SEARCH_PENDING, SQL_PENDING, n,
                  "counting articles to index", err);
}

/* ------------------------------------------------------------ search */

void mw_search_result_cleanup(struct mw_search_result *r) {
  if (!r) return;
  for (size_t i = 0; i < r->n; i++) {
    struct mw_search_hit *h = &r->hits[i];
    free(h->title);
    free(h->title_marked);
    free(h->snippet);
    free(h->url);
    free(h->outlet);
    free(h->region);
    free(h->topics);
  }
  free(r->hits);
  memset(r, 0, sizeof *r);
}

/* Parameters of the built SQL (fixed numbers; absent clauses leave theirs
 * unused). */
enum {
  P_MATCH = 1,
  P_LO,
  P_HI,
  P_LIMIT,
  P_OFFSET,
  P_TOPIC,
  P_OUTLET,
  P_TIER,
  P_REGION,
  P_FROM,
  P_TO,
  P_SHORT /* ..P_SHORT + SEARCH_WORDS_MAX - 1 */
};

struct plan {
  const struct mw_search_query *q;
  struct search_words pq;
  bool fts;         /* some long word: drive from article_fts */
  bool filtered;    /* rows are checked one by one */
  bool timed;       /* from or to given */
  int64_t from, to; /* [from, to) when timed */
  int64_t lo, hi;   /* candidate ids */
  bool scan_capped; /* lo cut the candidates short */
  const char *tier; /* tier name or NULL */
  /* The query's filters, NULL for absent or empty. */
  const char *topic, *outlet, *region;
  char *match; /* FTS5 expression, malloc'd, or NULL */
};

/* Appends the FROM and WHERE of the query; with_all joins every table the
 * hit columns read, else only those the filters need. */
static int put_body(struct mw_buf *b, const struct plan *pl, bool with_all) {
  bool need_o = with_all || pl->outlet || pl->tier || pl->region;
  bool need_a = need_o || pl->timed || pl->pq.n_short;
  bool need_se = with_all || pl->region;
  const char *id = pl->fts ? "f.rowid" : "a.id";
  int rc = pl->fts ? mw_buf_puts(b, " FROM article_fts f")
                   : mw_buf_puts(b, " FROM articles a");
  /* CROSS JOIN keeps the order: the candidates' stream stays outermost. */
  if (!rc && pl->fts && need_a)
    rc = mw_buf_puts(b, " CROSS JOIN articles a ON a.id = f.rowid");
  if (!rc && need_o)
    rc = mw_buf_puts(b, " CROSS JOIN outlets o ON o.id = a.outlet_id");
  if (!rc && need_se)
    rc = mw_buf_printf(b,
                       " LEFT JOIN article_sensitivity se"
                       " ON se.article_id = %s",
                       id);
  if (!rc)
    rc = pl->fts ? mw_buf_puts(b,
                               " WHERE article_fts MATCH ?1"
                               " AND f.rowid BETWEEN ?2 AND ?3")
                 : mw_buf_puts(b, " WHERE a.id BETWEEN ?2 AND ?3");
  if (!rc && pl->topic)
    rc = mw_buf_printf(b,
                       " AND EXISTS (SELECT 1 FROM matches m WHERE"
                       " m.article_id = %s AND m.topic = ?6)",
                       id);
  if (!rc && pl->outlet) rc = mw_buf_puts(b, " AND o.name = ?7");
  if (!rc && pl->tier) rc = mw_buf_puts(b, " AND o.tier = ?8");
  if (!rc && pl->region)
    rc = mw_buf_puts(b,
                     " AND (instr(o.region, ?9) = 1"
                     " OR instr(se.region, ?9) = 1)");
  if (!rc && pl->timed)
    rc = mw_buf_puts(b, " AND a.counted_at >= ?10 AND a.counted_at < ?11");
  for (size_t i = 0; !rc && i < pl->pq.n_short; i++)
    rc = mw_buf_printf(b,
                       " AND (instr(a.title, ?%d) > 0"
                       " OR instr(a.text, ?%d) > 0)",
                       P_SHORT + (int)i, P_SHORT + (int)i);
  return rc;
}

/* Prepares sql (built per call, see the top) and binds the plan. */
static int prepare(struct mw_store *s, const struct plan *pl, const char *sql,
                   int64_t limit, int64_t offset, sqlite3_stmt **out,
                   struct mw_err *err) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
    return store_db_err(s, err, "preparing a search");
  /* Binding a number the SQL does not use is SQLITE_RANGE: harmless. */
  if (pl->match) store_bind_text(st, P_MATCH, pl->match);
  sqlite3_bind_int64(st, P_LO, pl->lo);
  sqlite3_bind_int64(st, P_HI, pl->hi);
  sqlite3_bind_int64(st, P_LIMIT, limit);
  sqlite3_bind_int64(st, P_OFFSET, offset);
  if (pl->topic) store_bind_text(st, P_TOPIC, pl->topic);
  if (pl->outlet) store_bind_text(st, P_OUTLET, pl->outlet);
  if (pl->tier) store_bind_text(st, P_TIER, pl->tier);
  if (pl->region) store_bind_text(st, P_REGION, pl->region);
  sqlite3_bind_int64(st, P_FROM, pl->from);
  sqlite3_bind_int64(st, P_TO, pl->to);
  for (size_t i = 0; i < pl->pq.n_short; i++)
    sqlite3_bind_text(st, P_SHORT + (int)i, pl->pq.shorts[i]->p,
                      (int)pl->pq.shorts[i]->len, SQLITE_TRANSIENT);
  *out = st;
  return MW_OK;
}

/* Reads one hit row of the hits query. */
static bool read_hit(sqlite3_stmt *st, const struct plan *pl,
                     struct mw_search_hit *h) {
  memset(h, 0, sizeof *h);
  h->id = sqlite3_column_int64(st, 0);
  h->published = sqlite3_column_int64(st, 9); /* NULL reads as 0 */
  h->counted_at = sqlite3_column_int64(st, 10);
  const char *tier = (const char *)sqlite3_column_text(st, 6);
  enum mw_tier t;
  h->tier = tier && !mw_tier_parse(tier, &t) ? (int)t : 0;
  if (!store_column_dup(st, 1, &h->title) ||
      !store_column_dup(st, 4, &h->url) ||
      !store_column_dup(st, 5, &h->outlet) ||
      !store_column_dup(st, 7, &h->region) ||
      !store_column_dup(st, 8, &h->topics))
    return false;
  const char *title = (const char *)sqlite3_column_text(st, 2);
  const char *text = (const char *)sqlite3_column_text(st, 3);
  if (pl->fts) /* FTS5 marked the long words; add the short ones */
    return store_search_mark(title, &pl->pq, &h->title_marked) &&
           store_search_mark(text, &pl->pq, &h->snippet);
  return store_search_mark(h->title, &pl->pq, &h->title_marked) &&
         store_search_snippet(text, &pl->pq, &h->snippet);
}

/* The page of hits into out->hits. */
static int run_hits(struct mw_store *s, const struct plan *pl, size_t limit,
                    size_t offset, struct mw_search_result *out,
                    struct mw_err *err) {
  struct mw_buf b;
  mw_buf_init(&b, SQL_MAX);
  int rc = pl->fts
               ? mw_buf_puts(&b,
                             "SELECT f.rowid, a.title,"
                             " highlight(article_fts, 0, x'02', x'03'),"
                             " snippet(article_fts, 1, x'02', x'03', '…', 64),")
               : mw_buf_puts(&b, "SELECT a.id, a.title, NULL, a.text,");
  if (!rc)
    rc = mw_buf_puts(&b,
                     " a.url, o.name, o.tier, coalesce(se.region,"
                     " o.region), (SELECT group_concat(mt.topic, ',') FROM"
                     " matches mt WHERE mt.article_id = a.id), a.published,"
                     " a.counted_at");
  if (!rc) rc = put_body(&b, pl, true);
  if (!rc)
    rc = mw_buf_printf(&b, " ORDER BY %s DESC LIMIT ?4 OFFSET ?5",
                       pl->fts ? "f.rowid" : "a.id");
  sqlite3_stmt *st = NULL;
  if (rc) {
    mw_buf_cleanup(&b);
    return mw_err_set(err, MW_ENOMEM, "search: out of memory");
  }
  rc = prepare(s, pl, b.data, (int64_t)limit, (int64_t)offset, &st, err);
  mw_buf_cleanup(&b);
  if (rc) return rc;
  out->hits = calloc(limit, sizeof *out->hits);
  if (!out->hits) {
    sqlite3_finalize(st);
    return mw_err_set(err, MW_ENOMEM, "search: out of memory");
  }
  int step = SQLITE_DONE;
  while (out->n < limit && (step = sqlite3_step(st)) == SQLITE_ROW) {
    /* Counted before reading, so a half-read hit is freed too. */
    if (!read_hit(st, pl, &out->hits[out->n++])) {
      sqlite3_finalize(st);
      return mw_err_set(err, MW_ENOMEM, "search: out of memory");
    }
  }
  if (out->n < limit && step != SQLITE_DONE)
    rc = store_db_err(s, err, "searching");
  sqlite3_finalize(st);
  return rc;
}

/* How many rows pass, at most cap + 1. */
static int run_count(struct mw_store *s, const struct plan *pl, int64_t cap,
                     int64_t *count, struct mw_err *err) {
  struct mw_buf b;
  mw_buf_init(&b, SQL_MAX);
  int rc = mw_buf_puts(&b, "SELECT count(*) FROM (SELECT 1");
  if (!rc) rc = put_body(&b, pl, false);
  if (!rc) rc = mw_buf_puts(&b, " LIMIT ?4)");
  if (rc) {
    mw_buf_cleanup(&b);
    return mw_err_set(err, MW_ENOMEM, "search: out of memory");
  }
  sqlite3_stmt *st;
  rc = prepare(s, pl, b.data, cap + 1, 0, &st, err);
  mw_buf_cleanup(&b);
  if (rc) return rc;
  int step = sqlite3_step(st);
  *count = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  rc = step == SQLITE_ROW ? MW_OK : store_db_err(s, err, "counting hits");
  sqlite3_finalize(st);
  return rc;
}

/* Narrows [lo, hi] to the ids of the articles of the time range when it
 * holds at most SEARCH_WINDOW_MAX; *empty when it holds none. */
static int time_window(struct mw_store *s, struct plan *pl, bool *empty,
                       struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_SEARCH_WINDOW, SQL_WINDOW, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, pl->from);
  sqlite3_bind_int64(st, 2, pl->to);
  sqlite3_bind_int64(st, 3, SEARCH_WINDOW_MAX + 1);
  int step = sqlite3_step(st);
  if (step == SQLITE_ROW) {
    int64_t n = sqlite3_column_int64(st, 0);
    *empty = n == 0;
    if (n > 0 && n <= SEARCH_WINDOW_MAX) {
      pl->lo = sqlite3_column_int64(st, 1);
      pl->hi = sqlite3_column_int64(st, 2);
    }
  }
  sqlite3_reset(st);
  return step == SQLITE_ROW ? MW_OK
                            : store_db_err(s, err, "reading a time range");
}

/* Bounds the candidates walked row by row to the newest SEARCH_SCAN_MAX. */
static int scan_bound(struct mw_store *s, struct plan *pl, struct mw_err *err) {
  sqlite3_stmt *st;
  int rc;
  if (!pl->fts) { /* ids are dense: articles are never deleted */
    int64_t max;
    if ((rc = read_int(s, STMT_SEARCH_MAX_ID, SQL_MAX_ID, &max,
                       "reading the newest article", err)))
      return rc;
    if (max < pl->hi) pl->hi = max;
    if (pl->hi - SEARCH_SCAN_MAX + 1 > (pl->lo > 1 ? pl->lo : 1)) {
      pl->lo = pl->hi - SEARCH_SCAN_MAX + 1;
      pl->scan_capped = true;
    }
    return MW_OK;
  }
  if ((rc = store_stmt(s, STMT_SEARCH_BOUND, SQL_BOUND, &st, err))) return rc;
  store_bind_text(st, 1, pl->match);
  sqlite3_bind_int64(st, 2, pl->lo);
  sqlite3_bind_int64(st, 3, pl->hi);
  sqlite3_bind_int64(st, 4, SEARCH_FILTER_SCAN_MAX - 1);
  int step = sqlite3_step(st);
  if (step == SQLITE_ROW) {
    pl->lo = sqlite3_column_int64(st, 0);
    pl->scan_capped = true;
  }
  sqlite3_reset(st);
  return step == SQLITE_ROW || step == SQLITE_DONE
             ? MW_OK
             : store_db_err(s, err, "bounding a search");
}

/* Checks q and fills pl but the ids. */
static int make_plan(const struct mw_search_query *q, struct plan *pl,
                     size_t *limit, struct mw_err *err) {
  memset(pl, 0, sizeof *pl);
  pl->q = q;
  int rc = store_search_parse(q->q, &pl->pq, err);
  if (rc) return rc;
  *limit = q->limit ? q->limit : SEARCH_DEFAULT_LIMIT;
  if (*limit > MW_SEARCH_LIMIT_MAX)
    return mw_err_set(err, MW_EINVAL,
                      "search: at most %d hits per page (asked for %zu)",
                      MW_SEARCH_LIMIT_MAX, *limit);
  if (q->tier) {
    if (q->tier < 0 || q->tier > MW_TIER_COUNT)
      return mw_err_set(err, MW_EINVAL, "search: no tier number %d", q->tier);
    pl->tier = mw_tier_name((enum mw_tier)(q->tier - 1));
  }
  if (q->from || q->to) {
    pl->timed = true;
    pl->from = q->from;
    pl->to = q->to ? q->to : INT64_MAX;
    if (pl->to < pl->from)
      return mw_err_set(err, MW_EINVAL,
                        "search: the time range ends before it starts");
  }
  pl->topic = q->topic && *q->topic ? q->topic : NULL;
  pl->outlet = q->outlet && *q->outlet ? q->outlet : NULL;
  pl->region = q->region && *q->region ? q->region : NULL;
  pl->fts = pl->pq.n_short < pl->pq.n;
  pl->filtered = pl->topic || pl->outlet || pl->tier || pl->region ||
                 pl->timed || pl->pq.n_short;
  pl->lo = 0;
  pl->hi = INT64_MAX;
  if (pl->fts) {
    struct mw_buf b;
    mw_buf_init(&b, 2 * SEARCH_Q_MAX + 8 * SEARCH_WORDS_MAX);
    if (store_search_match(&pl->pq, &b) || !(pl->match = mw_buf_steal(&b))) {
      mw_buf_cleanup(&b);
      return mw_err_set(err, MW_ENOMEM, "search: out of memory");
    }
    mw_buf_cleanup(&b);
  }
  return MW_OK;
}

int mw_store_search(struct mw_store *s, const struct mw_search_query *q,
                    struct mw_search_result *out, struct mw_err *err) {
  memset(out, 0, sizeof *out);
  if (!q) return mw_err_set(err, MW_EINVAL, "search: no query");
  struct plan pl;
  size_t limit;
  int rc = make_plan(q, &pl, &limit, err);
  bool empty = false;
  if (!rc && pl.timed) rc = time_window(s, &pl, &empty, err);
  if (!rc && !empty && pl.filtered) rc = scan_bound(s, &pl, err);
  if (rc || empty) goto done;

  /* Pages past the count cap are empty: the total says no more. */
  if (q->offset < MW_SEARCH_COUNT_CAP &&
      (rc = run_hits(s, &pl, limit, q->offset, out, err)))
    goto done;
  if (out->n > 0 && out->n < limit) {
    /* The last page: the total is known without counting. */
    out->total = (int64_t)(q->offset + out->n);
  } else if (out->n == 0 && q->offset == 0) {
    out->total = 0;
  } else {
    int64_t cap = pl.filtered ? SEARCH_FILTERED_COUNT_CAP : MW_SEARCH_COUNT_CAP;
    if ((int64_t)(q->offset + limit) > cap) cap = MW_SEARCH_COUNT_CAP;
    int64_t count;
    if ((rc = run_count(s, &pl, cap, &count, err))) goto done;
    out->total = count;
    if (count > cap) {
      out->total = cap;
      out->total_capped = true;
    }
  }
  if (out->total > MW_SEARCH_COUNT_CAP) {
    out->total = MW_SEARCH_COUNT_CAP;
    out->total_capped = true;
  }
  if (pl.scan_capped) out->total_capped = true;
done:
  free(pl.match);
  if (rc) mw_search_result_cleanup(out);
  return rc;
}
