/* Helpers shared by the store tests (see store_test_util.h). */
#include <dirent.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "tests/store/store_test_util.h"

char *tu_tmpdir(void) {
  const char *base = getenv("TMPDIR");
  if (!base || !*base) base = "/tmp";
  char *p = tu_path(base, "mw-store-test-XXXXXX");
  assert_non_null(mkdtemp(p));
  return p;
}

static int chmod_dir(const char *p, const struct stat *sb, int flag,
                     struct FTW *f) {
  (void)sb;
  (void)f;
  if (flag == FTW_D || flag == FTW_DNR) chmod(p, 0700);
  return 0;
}

static int remove_one(const char *p, const struct stat *sb, int flag,
                      struct FTW *f) {
  (void)sb;
  (void)flag;
  (void)f;
  remove(p);
  return 0;
}

void tu_rmtree(const char *path) {
  chmod(path, 0700);
  nftw(path, chmod_dir, 16, FTW_PHYS);
  nftw(path, remove_one, 16, FTW_PHYS | FTW_DEPTH);
}

char *tu_path(const char *dir, const char *name) {
  size_t n = strlen(dir) + strlen(name) + 2;
  char *p = malloc(n);
  assert_non_null(p);
  snprintf(p, n, "%s/%s", dir, name);
  return p;
}

int tu_count_entries(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return -1;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
  closedir(d);
  return n;
}

int64_t tu_query_int(const char *db_path, const char *sql) {
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL),
                   SQLITE_OK);
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
    fail_msg("%s: %s", sql, sqlite3_errmsg(db));
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  int64_t v = sqlite3_column_type(st, 0) == SQLITE_NULL
                  ? -1
                  : sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

void tu_exec(const char *db_path, const char *sql) {
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
  char *msg = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
    fail_msg("%s: %s", sql, msg ? msg : "?");
  sqlite3_close(db);
}

void tu_config_init(struct tu_config *c) {
  memset(c, 0, sizeof *c);
  c->sources[0] = (struct mw_source_conf){
      .url = "https://www.people.com.cn/rss/env.xml",
      .kind = MW_SOURCE_FEED, .poll_interval_s = 900, .line = 5};
  c->sources[1] = (struct mw_source_conf){
      .url = "https://www.people.com.cn/rss/politics.xml",
      .kind = MW_SOURCE_FEED, .poll_interval_s = 1800, .line = 8};
  c->sources[2] = (struct mw_source_conf){
      .url = "http://jlrb.jlntv.cn/szb/index.html",
      .kind = MW_SOURCE_HTML, .poll_interval_s = 3600, .line = 14};
  c->outlets[0] = (struct mw_outlet_conf){
      .name = "人民日报", .tier = MW_TIER_CENTRAL, .region = NULL,
      .sources = &c->sources[0], .n_sources = 2, .line = 3};
  c->outlets[1] = (struct mw_outlet_conf){
      .name = "吉林日报", .tier = MW_TIER_PROVINCIAL, .region = "吉林省",
      .sources = &c->sources[2], .n_sources = 1, .line = 12};
  static char *kw0[] = {"无废城市", "无废细胞"};
  static char *kw1[] = {"垃圾分类"};
  c->topics[0] = (struct mw_topic_conf){
      .name = "无废城市", .keywords = kw0, .n_keywords = 2, .line = 20};
  c->topics[1] = (struct mw_topic_conf){
      .name = "垃圾分类", .keywords = kw1, .n_keywords = 1, .line = 22};
  c->cfg.timezone = "Asia/Shanghai";
  c->cfg.office_name = "吉林省生态环境厅宣教中心";
  c->cfg.outlets = c->outlets;
  c->cfg.n_outlets = 2;
  c->cfg.topics = c->topics;
  c->cfg.n_topics = 2;
}

struct mw_store *tu_open_synced(const char *path, struct tu_config *tc) {
  struct mw_store *s = NULL;
  struct mw_err err = {0};
  if (mw_store_open(path, &s, &err)) fail_msg("open: %s", err.msg);
  if (mw_store_sync_config(s, &tc->cfg, &err)) fail_msg("sync: %s", err.msg);
  return s;
}

void tu_store_open(struct tu_store *t) {
  t->dir = tu_tmpdir();
  t->path = tu_path(t->dir, "mw.db");
  tu_config_three(&t->tc);
  t->s = tu_open_synced(t->path, &t->tc);
  int64_t ids[4];
  tu_source_ids(t->s, ids, 4);
  t->env = ids[0];
  t->pol = ids[1];
  t->jl = ids[2];
  t->cc = ids[3];
}

void tu_store_close(struct tu_store *t) {
  mw_store_close(t->s);
  tu_rmtree(t->dir);
  free(t->path);
  free(t->dir);
}

int tu_store_setup(void **state) {
  struct tu_store *t = calloc(1, sizeof *t);
  assert_non_null(t);
  tu_store_open(t);
  *state = t;
  return 0;
}

int tu_store_teardown(void **state) {
  tu_store_close(*state);
  free(*state);
  return 0;
}

void tu_config_three(struct tu_config *c) {
  tu_config_init(c);
  c->sources[3] = (struct mw_source_conf){
      .url = "http://www.cccnews.cn/rss/huanbao.xml",
      .kind = MW_SOURCE_FEED, .poll_interval_s = 900, .line = 30};
  c->outlets[2] = (struct mw_outlet_conf){
      .name = "长春日报", .tier = MW_TIER_CITY, .region = "吉林省长春市",
      .sources = &c->sources[3], .n_sources = 1, .line = 28};
  c->cfg.n_outlets = 3;
}

void tu_source_ids(struct mw_store *s, int64_t *ids, size_t n) {
  struct mw_source_state *src;
  size_t got;
  struct mw_err err = {0};
  assert_int_equal(mw_store_list_sources(s, &src, &got, &err), MW_OK);
  assert_int_equal(got, n);
  for (size_t i = 0; i < n; i++) ids[i] = src[i].id;
  mw_store_sources_free(src, got);
}
