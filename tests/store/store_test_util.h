/* Helpers shared by the store tests: scratch folders, a hand-built config,
 * a store over it as a cmocka fixture, and a second connection to look at
 * what the store wrote. */
#ifndef MW_STORE_TEST_UTIL_H
#define MW_STORE_TEST_UTIL_H

#include <stdint.h>

#include "common/common.h"
#include "store/store.h"

/* A fresh folder under $TMPDIR (or /tmp); free the string, remove the folder
 * with tu_rmtree. Never NULL (fails the test instead). */
char *tu_tmpdir(void);
/* Removes path and everything below it; chmods folders back to 0700 first. */
void tu_rmtree(const char *path);
/* dir "/" name, malloc'd. */
char *tu_path(const char *dir, const char *name);
/* Number of entries in dir, without "." and "..". */
int tu_count_entries(const char *dir);

/* Runs sql (one row, one integer column) on a separate connection to the
 * file; -1 when the result is NULL. Fails the test on any error. */
int64_t tu_query_int(const char *db_path, const char *sql);
/* Runs sql (no result) on a separate connection. */
void tu_exec(const char *db_path, const char *sql);

/* SQL that takes a store of schema 9 back to 7 as that build wrote it
 * (for tests of older files: run it before their own undo). */
#define TU_UNDO_V8                                                         \
  "DROP TABLE page_failures;"                                              \
  " DROP TABLE article_quality; DROP TABLE source_problems;"                \
  " DROP TABLE state; DROP INDEX articles_source_counted;"                 \
  " ALTER TABLE fetch_log DROP COLUMN links;"                              \
  " ALTER TABLE fetch_log DROP COLUMN moved_to;"                           \
  " ALTER TABLE sources DROP COLUMN interval_s;"                           \
  " ALTER TABLE sources DROP COLUMN interval_why;"                         \
  " ALTER TABLE sources DROP COLUMN moved_to;"                             \
  " ALTER TABLE sources DROP COLUMN moved_since;"                          \
  " ALTER TABLE sources DROP COLUMN first_fetch;"

/* A small config: two outlets (人民日报 central with two feeds, 吉林日报
 * provincial with one html source). Strings point to static storage; the
 * arrays are the caller's (tu_config_init fills them). */
struct tu_config {
  struct mw_config cfg;
  struct mw_outlet_conf outlets[3];
  struct mw_source_conf sources[4];
  struct mw_topic_conf topics[2];
};
void tu_config_init(struct tu_config *c);

/* tu_config_init plus a third outlet, 长春日报 (city, 吉林省长春市, one
 * feed): four sources in all. */
void tu_config_three(struct tu_config *c);
/* The ids of the n sources stored (3 for tu_config_init, 4 for
 * tu_config_three), in config order; fails the test unless there are n. */
void tu_source_ids(struct mw_store *s, int64_t *ids, size_t n);

/* Opens path with mw_store_open and syncs tc; fails the test on error. */
struct mw_store *tu_open_synced(const char *path, struct tu_config *tc);

/* A store of its own over tu_config_three, the fixture of most store
 * tests: dir is a fresh folder, path its mw.db. */
struct tu_store {
  char *dir, *path;
  struct tu_config tc;
  struct mw_store *s;
  int64_t env, pol, jl, cc; /* source ids: 人民日报 x2, 吉林日报, 长春日报 */
};
/* Fills t (the store synced, the source ids read); fails the test on
 * error. tu_store_close closes the store and removes the folder. */
void tu_store_open(struct tu_store *t);
void tu_store_close(struct tu_store *t);
/* cmocka setup and teardown: *state is a calloc'd struct tu_store. */
int tu_store_setup(void **state);
int tu_store_teardown(void **state);

#endif
