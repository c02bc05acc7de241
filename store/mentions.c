/*
 * mentions.c: the mentions index coverage targets count by (store.h,
 * "mentions"): which articles' title or text holds a term, and how far
 * each term has been searched (mention_terms.indexed_through, the highest
 * article id searched).
 *
 * Article ids only grow, so "searched through id N" says every article up
 * to N is in the index for the term. Indexing reads the texts of the
 * articles above the lowest such mark among the terms asked for, once,
 * and searches each term only where it is behind. Ingest records a new
 * article's terms as it stores it and moves a term's mark along only when
 * the mark stood at the article just before, so a gap (a term added to the
 * config while the crawler ran without it) is never papered over.
 *
 * A term is found as instr() finds it in UTF-8 text: a byte substring (a
 * whole UTF-8 sequence can only match at a character boundary), the empty
 * term everywhere, a missing title or text as "".
 *
 * What it leaves to others: which terms to index (cli/cmd_report.c,
 * cli/session.c, the pipeline), counting with the index (targets.c).
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

static const char SQL_MAX_ID[] = "SELECT coalesce(max(id), 0) FROM articles";
static const char SQL_PREV_ID[] =
    "SELECT coalesce(max(id), 0) FROM articles WHERE id < ?1";
static const char SQL_TERM_GET[] =
    "SELECT indexed_through FROM mention_terms WHERE term = ?1";
/* A mark never moves back: a concurrent ingest may have moved it on. */
static const char SQL_TERM_SET[] =
    "INSERT INTO mention_terms (term, indexed_through) VALUES (?1, ?2)"
    " ON CONFLICT (term) DO UPDATE SET indexed_through ="
    " max(indexed_through, excluded.indexed_through)";
static const char SQL_ADD[] =
    "INSERT OR IGNORE INTO article_mentions (term, article_id)"
    " VALUES (?1, ?2)";
static const char SQL_SCAN[] =
    "SELECT id, title, text FROM articles WHERE id > ?1 AND id <= ?2"
    " ORDER BY id";

static bool holds(const char *h, size_t hl, const char *t, size_t tl) {
  if (!tl) return true;
  return h && hl >= tl && memmem(h, hl, t, tl) != NULL;
}

static int check_terms(const char *const *terms, size_t n, size_t *lens,
                       struct mw_err *err) {
  if (n > MW_STORE_MENTION_MAX_TERMS)
    return mw_err_set(err, MW_EINVAL,
                      "store: %zu mention terms to index, more than %d",
                      n, MW_STORE_MENTION_MAX_TERMS);
  for (size_t i = 0; i < n; i++) {
    if (!terms[i])
      return mw_err_set(err, MW_EINVAL, "store: mention term %zu is missing",
                        i + 1);
    size_t len = strnlen(terms[i], MW_STORE_MENTION_MAX_LEN + 1);
    if (len > MW_STORE_MENTION_MAX_LEN)
      return mw_err_set(err, MW_EINVAL,
                        "store: a mention term is longer than %d bytes",
                        MW_STORE_MENTION_MAX_LEN);
    if (lens) lens[i] = len;
  }
  return MW_OK;
}

/* One int64 from a cached statement taking up to one int64 (bind 0: none).
 * *found false (value 0) when it returns no row. */
static int get_int(struct mw_store *s, enum store_stmt_id id, const char *sql,
                   const char *text, bool bind_id, int64_t arg, int64_t *out,
                   bool *found, struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, id, sql, &st, err);
  if (rc) return rc;
  if ((text && sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC)) ||
      (bind_id && sqlite3_bind_int64(st, 1, arg)))
    return store_db_err(s, err, "binding a mentions query");
  int step = sqlite3_step(st);
  *out = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  if (found) *found = step == SQLITE_ROW;
  sqlite3_reset(st);
  if (step != SQLITE_ROW && step != SQLITE_DONE)
    return store_db_err(s, err, "reading the mentions index");
  return MW_OK;
}

static int term_get(struct mw_store *s, const char *term, int64_t *through,
                    bool *known, struct mw_err *err) {
  return get_int(s, STMT_MENTION_TERM_GET, SQL_TERM_GET, term, false, 0,
                 through, known, err);
}

/* Runs a cached two-parameter write: ?1 a term, ?2 an id. */
static int write_term(struct mw_store *s, enum store_stmt_id id,
                      const char *sql, const char *term, int64_t v,
                      struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, id, sql, &st, err);
  if (rc) return rc;
  if (sqlite3_bind_text(st, 1, term, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_int64(st, 2, v) != SQLITE_OK ||
      sqlite3_step(st) != SQLITE_DONE) {
    rc = store_db_err(s, err, "writing the mentions index");
  }
  sqlite3_reset(st);
  return rc;
}

/* Searches the articles in (lo, max] for each term behind them. */
static int scan(struct mw_store *s, const char *const *terms,
                const size_t *lens, const int64_t *through, size_t n,
                int64_t lo, int64_t max, struct mw_err *err) {
  sqlite3_stmt *st;
  int rc = store_stmt(s, STMT_MENTION_SCAN, SQL_SCAN, &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, lo);
  sqlite3_bind_int64(st, 2, max);
  int step;
  while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
    int64_t id = sqlite3_column_int64(st, 0);
    const char *title = (const char *)sqlite3_column_text(st, 1);
    size_t title_len = (size_t)sqlite3_column_bytes(st, 1);
    const char *text = (const char *)sqlite3_column_text(st, 2);
    size_t text_len = (size_t)sqlite3_column_bytes(st, 2);
    for (size_t i = 0; !rc && i < n; i++)
      if (id > through[i] && (holds(title, title_len, terms[i], lens[i]) ||
                              holds(text, text_len, terms[i], lens[i])))
        rc = write_term(s, STMT_MENTION_ADD, SQL_ADD, terms[i], id, err);
  }
  if (!rc && step != SQLITE_DONE)
    rc = store_db_err(s, err, "reading articles for the mentions index");
  sqlite3_reset(st);
  return rc;
}

int mw_store_config_mentions(const struct mw_config *cfg,
                             const char ***terms, size_t *n,
                             struct mw_err *err) {
  *terms = NULL;
  *n = 0;
  size_t cap = 0;
  for (size_t i = 0; i < cfg->n_targets; i++)
    cap += cfg->targets[i].n_mentions + cfg->targets[i].n_each;
  if (!cap) return MW_OK;
  const char **v = calloc(cap, sizeof *v);
  if (!v) return mw_err_set(err, MW_ENOMEM, "store: out of memory");
  size_t k = 0;
  for (size_t i = 0; i < cfg->n_targets; i++) {
    const struct mw_target_conf *t = &cfg->targets[i];
    for (size_t j = 0; j < t->n_mentions + t->n_each; j++) {
      const char *term =
          j < t->n_mentions ? t->mentions[j] : t->each[j - t->n_mentions];
      size_t d = 0; /* a few hundred terms at most: no hashing */
      while (d < k && strcmp(v[d], term)) d++;
      if (d == k) v[k++] = term;
    }
  }
  *terms = v;
  *n = k;
  return MW_OK;
}

int mw_store_index_mentions(struct mw_store *s, const char *const *terms,
                            size_t n, struct mw_err *err) {
  if (!n) return MW_OK;
  size_t *lens = calloc(n, sizeof *lens);
  int64_t *through = calloc(n, sizeof *through);
  if (!lens || !through) {
    free(lens);
    free(through);
    return mw_err_set(err, MW_ENOMEM, "store %s: out of memory in mentions",
                      s->path);
  }
  int64_t max = 0, lo = INT64_MAX;
  bool behind = false;
  int rc = check_terms(terms, n, lens, err);
  /* Up to date: nothing to write, no savepoint (a report on a store the
   * crawler keeps current reads only). */
  if (!rc)
    rc = get_int(s, STMT_MENTION_MAX_ID, SQL_MAX_ID, NULL, false, 0, &max,
                 NULL, err);
  for (size_t i = 0; !rc && !behind && i < n; i++) {
    bool known;
    rc = term_get(s, terms[i], &through[i], &known, err);
    behind = !known || through[i] < max;
  }
  if (rc || !behind) goto out;
  rc = store_savepoint(s, err);
  if (rc) goto out;
  /* Again inside the savepoint: the marks may have moved meanwhile. */
  rc = get_int(s, STMT_MENTION_MAX_ID, SQL_MAX_ID, NULL, false, 0, &max,
               NULL, err);
  for (size_t i = 0; !rc && i < n; i++) {
    rc = term_get(s, terms[i], &through[i], NULL, err);
    if (through[i] < lo) lo = through[i];
  }
  if (!rc && lo < max) rc = scan(s, terms, lens, through, n, lo, max, err);
  for (size_t i = 0; !rc && i < n; i++)
    rc = write_term(s, STMT_MENTION_TERM_SET, SQL_TERM_SET, terms[i], max,
                    err);
  int end = store_savepoint_end(s, rc == MW_OK, rc ? NULL : err);
  if (!rc) rc = end;
out:
  free(lens);
  free(through);
  return rc;
}

int mw_store_add_mentions(struct mw_store *s, int64_t article_id,
                          const char *title, const char *text,
                          const char *const *terms, size_t n,
                          struct mw_err *err) {
  if (!n) return MW_OK;
  int rc = check_terms(terms, n, NULL, err);
  if (rc) return rc;
  size_t title_len = title ? strlen(title) : 0;
  size_t text_len = text ? strlen(text) : 0;
  int64_t prev;
  rc = get_int(s, STMT_MENTION_PREV_ID, SQL_PREV_ID, NULL, true, article_id,
               &prev, NULL, err);
  if (!rc) rc = store_savepoint(s, err);
  if (rc) return rc;
  for (size_t i = 0; !rc && i < n; i++) {
    size_t len = strlen(terms[i]); /* bounded by check_terms */
    if (holds(title, title_len, terms[i], len) ||
        holds(text, text_len, terms[i], len))
      rc = write_term(s, STMT_MENTION_ADD, SQL_ADD, terms[i], article_id,
                      err);
    int64_t through;
    if (!rc) rc = term_get(s, terms[i], &through, NULL, err);
    /* A term never indexed reads 0: up to date only in an empty store. */
    if (!rc && through == prev)
      rc = write_term(s, STMT_MENTION_TERM_SET, SQL_TERM_SET, terms[i],
                      article_id, err);
  }
  int end = store_savepoint_end(s, rc == MW_OK, rc ? NULL : err);
  return rc ? rc : end;
}
