/* Tests store/open.c: creating and migrating a store, refusing paths it
 * cannot write (with no junk left behind), the modes of a new store's
 * files, and batches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "store/store.h"
#include "tests/store/store_test_util.h"

static void test_open_creates_and_migrates_once(void **state) {
  (void)state;
  char *dir = tu_tmpdir();
  char *path = tu_path(dir, "mw.db");
  struct mw_err err = {0};
  struct mw_store *s = NULL;

  assert_int_equal(mw_store_schema_version(), 9); /* 9: failed article pages */
  assert_int_equal(mw_store_open(path, &s, &err), MW_OK);
  assert_non_null(s);
  assert_int_equal(tu_query_int(path, "PRAGMA user_version"), mw_store_schema_version());
  /* Data written before a reopen survives it: the second open migrates
   * nothing. */
  struct tu_config tc;
  tu_config_init(&tc);
  assert_int_equal(mw_store_sync_config(s, &tc.cfg, &err), MW_OK);
  mw_store_close(s);

  s = NULL;
  assert_int_equal(mw_store_open(path, &s, &err), MW_OK);
  assert_int_equal(tu_query_int(path, "PRAGMA user_version"), mw_store_schema_version());
  assert_int_equal(tu_query_int(path, "SELECT count(*) FROM outlets"), 2);
  assert_int_equal(tu_query_int(path, "SELECT count(*) FROM sources"), 3);
  assert_int_equal(
      tu_query_int(path, "SELECT count(*) FROM sqlite_schema WHERE type = "
                         "'table' AND name IN ('outlets', 'sources', "
                         "'fetch_log', 'articles', 'matches')"),
      5);
  /* WAL is a property of the file. */
  assert_int_equal(
      tu_query_int(path, "SELECT journal_mode = 'wal' FROM "
                         "pragma_journal_mode"),
      1);
  mw_store_close(s);
  mw_store_close(NULL);

  tu_rmtree(dir);
  free(path);
  free(dir);
}

static void test_open_refuses_newer_schema(void **state) {
  (void)state;
  char *dir = tu_tmpdir();
  char *path = tu_path(dir, "mw.db");
  struct mw_err err = {0};
  struct mw_store *s = NULL;
  assert_int_equal(mw_store_open(path, &s, &err), MW_OK);
  mw_store_close(s);
  tu_exec(path, "PRAGMA user_version = 99");

  s = (struct mw_store *)&err; /* must be reset to NULL */
  assert_int_equal(mw_store_open(path, &s, &err), MW_EDB);
  assert_null(s);
  assert_int_equal(err.code, MW_EDB);
  assert_non_null(strstr(err.msg, path));
  assert_non_null(strstr(err.msg, "99"));
  assert_non_null(strstr(err.msg, "newer"));
  /* The file was there before: a failed open must not remove it. */
  assert_int_equal(access(path, F_OK), 0);
  assert_int_equal(tu_query_int(path, "PRAGMA user_version"), 99);

  tu_rmtree(dir);
  free(path);
  free(dir);
}

/* Fails to open path, expecting MW_EDB, the path and reason in the message. */
static void expect_open_fails(const char *path, const char *reason) {
  struct mw_err err = {0};
  struct mw_store *s = NULL;
  assert_int_equal(mw_store_open(path, &s, &err), MW_EDB);
  assert_null(s);
  assert_int_equal(err.code, MW_EDB);
  if (!strstr(err.msg, path) || !strstr(err.msg, reason))
    fail_msg("message '%s' lacks '%s' or '%s'", err.msg, path, reason);
}

static void test_open_missing_dir_fails(void **state) {
  (void)state;
  char *dir = tu_tmpdir();
  char *path = tu_path(dir, "no-such-folder/mw.db");
  expect_open_fails(path, "No such file or directory");
  assert_int_equal(tu_count_entries(dir), 0); /* no folder, no file */
  tu_rmtree(dir);
  free(path);
  free(dir);
}

/* A path below a regular file fails for root too (chmod does not). */
static void test_open_below_a_file_fails(void **state) {
  (void)state;
  char *dir = tu_tmpdir();
  char *file = tu_path(dir, "plain-file");
  FILE *f = fopen(file, "w");
  assert_non_null(f);
  fputs("not a folder\n", f);
  fclose(f);
  char *path = tu_path(file, "mw.db");
  expect_open_fails(path, "plain-file is not a folder");
  assert_int_equal(tu_count_entries(dir), 1);
  struct stat sb;
  assert_int_equal(stat(file, &sb), 0);
  assert_int_equal(sb.st_size, 13); /* untouched */
  tu_rmtree(dir);
  free(path);
  free(file);
  free(dir);
}

static void test_open_readonly_dir_fails(void **state) {
  (void)state;
  if (geteuid() == 0) {
    /* root writes through 0555; /proc refuses everyone. */
    expect_open_fails("/proc/mw-store-test.db", "/proc/mw-store-test.db");
    assert_int_equal(access("/proc/mw-store-test.db", F_OK), -1);
    return;
  }
  char *dir = tu_tmpdir();
  char *ro = tu_path(dir, "ro");
  assert_int_equal(mkdir(ro, 0555), 0);
  char *path = tu_path(ro, "mw.db");
  expect_open_fails(path, "Permission denied");
  assert_int_equal(tu_count_entries(ro), 0); /* no db, no -wal, no -shm */
  tu_rmtree(dir);
  free(path);
  free(ro);
  free(dir);
}

static void test_open_readonly_file_fails(void **state) {
  (void)state;
  if (geteuid() == 0) skip(); /* root writes through 0444 */
  char *dir = tu_tmpdir();
  char *path = tu_path(dir, "mw.db");
  struct mw_err err = {0};
  struct mw_store *s = NULL;
  assert_int_equal(mw_store_open(path, &s, &err), MW_OK);
  mw_store_close(s);
  assert_int_equal(chmod(path, 0444), 0);
  expect_open_fails(path, "read-only");
  assert_int_equal(access(path, F_OK), 0); /* kept: it existed */
  tu_rmtree(dir);
  free(path);
  free(dir);
}

static void test_open_bad_arguments(void **state) {
  (void)state;
  struct mw_err err = {0};
  struct mw_store *s = NULL;
  assert_int_equal(mw_store_open("", &s, &err), MW_EINVAL);
  assert_int_equal(mw_store_open(NULL, &s, &err), MW_EINVAL);
  assert_null(s);
  assert_non_null(strstr(err.msg, "path"));
  /* An in-memory store works (handy for tools), without WAL. */
  assert_int_equal(mw_store_open(":memory:", &s, &err), MW_OK);
  int64_t n = -1;
  assert_int_equal(mw_store_count_articles(s, &n, &err), MW_OK);
  assert_int_equal(n, 0);
  mw_store_close(s);
}

static void add_one(struct mw_store *s, const char *url) {
  struct mw_err err = {0};
  struct mw_source_state *src;
  size_t n;
  assert_int_equal(mw_store_list_sources(s, &src, &n, &err), MW_OK);
  assert_true(n > 0);
  struct mw_article a = {.source_id = src[0].id, .url = url,
                         .title = "吉林省“无废城市”建设工作简报",
                         .published = 1683511200, .fetched = 1683512000};
  mw_store_sources_free(src, n);
  int64_t id;
  bool inserted;
  assert_int_equal(mw_store_add_article(s, &a, &id, &inserted, &err), MW_OK);
  assert_true(inserted);
  assert_int_equal(mw_store_add_match(s, id, "无废城市", "无废城市", &err),
                   MW_OK);
}

static void test_batch_rollback_leaves_nothing(void **state) {
  (void)state;
  char *dir = tu_tmpdir();
  char *path = tu_path(dir, "mw.db");
  struct mw_err err = {0};
  struct mw_store *s = NULL;
  assert_int_equal(mw_store_open(path, &s, &err), MW_OK);
  struct tu_config tc;
  tu_config_init(&tc);

  assert_int_equal(mw_store_begin(s, &err), MW_OK);
  assert_int_equal(mw_store_sync_config(s, &tc.cfg, &err), MW_OK);
  add_one(s, "https://www.people.com.cn/n1/2023/0508/c1-1.html");
  add_one(s, "https://www.people.com.cn/n1/2023/0508/c1-2.html");
  int64_t n = 0;
  assert_int_equal(mw_store_count_articles(s, &n, &err), MW_OK);
  assert_int_equal(n, 2); /* visible inside the batch */
  /* A second begin inside the batch is refused, and the batch survives. */
  assert_int_equal(mw_store_begin(s, &err), MW_EDB);
  assert_non_null(strstr(err.msg, path));
  mw_store_rollback(s);

  assert_int_equal(mw_store_count_articles(s, &n, &err), MW_OK);
  assert_int_equal(n, 0);
  struct mw_source_state *src;
  size_t ns = 99;
  assert_int_equal(mw_store_list_sources(s, &src, &ns, &err), MW_OK);
  assert_int_equal(ns, 0);
  mw_store_sources_free(src, ns);
  assert_int_equal(tu_query_int(path, "SELECT count(*) FROM outlets"), 0);
  assert_int_equal(tu_query_int(path, "SELECT count(*) FROM matches"), 0);
  mw_store_rollback(s); /* nothing open: a no-op */
  mw_store_rollback(NULL);

  /* The same batch committed is all there, also for another connection. */
  assert_int_equal(mw_store_begin(s, &err), MW_OK);
  assert_int_equal(mw_store_sync_config(s, &tc.cfg, &err), MW_OK);
  add_one(s, "https://www.people.com.cn/n1/2023/0508/c1-1.html");
  assert_int_equal(mw_store_commit(s, &err), MW_OK);
  assert_int_equal(tu_query_int(path, "SELECT count(*) FROM articles"), 1);
  assert_int_equal(tu_query_int(path, "SELECT count(*) FROM matches"), 1);
  /* Commit with nothing open is an error, not a crash. */
  assert_int_equal(mw_store_commit(s, &err), MW_EDB);
  mw_store_close(s);

  tu_rmtree(dir);
  free(path);
  free(dir);
}

/* Closing a connection that ran queries leaves the planner statistics of
 * the tables it used (PRAGMA optimize), so plans stay index-driven as the
 * store grows. */
static void test_close_gathers_statistics(void **state) {
  (void)state;
  char *dir = tu_tmpdir();
  char *path = tu_path(dir, "mw.db");
  struct mw_err err = {0};
  struct mw_store *s = NULL;
  assert_int_equal(mw_store_open(path, &s, &err), MW_OK);
  struct tu_config tc;
  tu_config_init(&tc);
  assert_int_equal(mw_store_sync_config(s, &tc.cfg, &err), MW_OK);
  add_one(s, "https://www.people.com.cn/n1/2023/0508/c1-1.html");
  bool exists = false;
  assert_int_equal(mw_store_article_exists(
                       s, "https://www.people.com.cn/n1/2023/0508/c1-1.html",
                       &exists, &err),
                   MW_OK);
  assert_true(exists);
  assert_int_equal(tu_query_int(path, "SELECT count(*) FROM sqlite_schema"
                                      " WHERE name = 'sqlite_stat1'"),
                   0);
  mw_store_close(s);
  assert_true(tu_query_int(path, "SELECT count(*) FROM sqlite_stat1"
                                 " WHERE tbl = 'articles'") > 0);
  tu_rmtree(dir);
  free(path);
  free(dir);
}

/* The mode bits of path; fails the test when it is missing. */
static mode_t mode_of(const char *path) {
  struct stat sb;
  if (stat(path, &sb) != 0) fail_msg("%s: missing", path);
  return sb.st_mode & 07777;
}

/* A new store and its -wal and -shm are 0600 even under umask 022 (issue
 * 9): the file holds password and session hashes and every alert. A file
 * that existed keeps the mode its owner chose. */
static void test_open_creates_owner_only(void **state) {
  (void)state;
  mode_t old = umask(022);
  char *dir = tu_tmpdir();
  char *path = tu_path(dir, "mw.db");
  char *wal = tu_path(dir, "mw.db-wal");
  char *shm = tu_path(dir, "mw.db-shm");
  struct mw_err err = {0};
  struct mw_store *s = NULL;
  assert_int_equal(mw_store_open(path, &s, &err), MW_OK);
  struct tu_config tc;
  tu_config_init(&tc);
  assert_int_equal(mw_store_sync_config(s, &tc.cfg, &err), MW_OK);
  add_one(s, "https://www.people.com.cn/n1/2023/0508/c1-2.html");
  /* Open: the WAL holds the writes and the index is mapped. */
  assert_int_equal(mode_of(path), 0600);
  assert_int_equal(mode_of(wal), 0600);
  assert_int_equal(mode_of(shm), 0600);
  mw_store_close(s);
  assert_int_equal(mode_of(path), 0600);

  /* An existing file is not chmod'ed, and a -wal made for it follows it. */
  assert_int_equal(chmod(path, 0640), 0);
  s = NULL;
  assert_int_equal(mw_store_open(path, &s, &err), MW_OK);
  add_one(s, "https://www.people.com.cn/n1/2023/0508/c1-3.html");
  assert_int_equal(mode_of(path), 0640);
  assert_int_equal(mode_of(wal), 0640);
  mw_store_close(s);
  umask(old);
  tu_rmtree(dir);
  free(shm);
  free(wal);
  free(path);
  free(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_open_creates_and_migrates_once),
      cmocka_unit_test(test_close_gathers_statistics),
      cmocka_unit_test(test_open_refuses_newer_schema),
      cmocka_unit_test(test_open_missing_dir_fails),
      cmocka_unit_test(test_open_below_a_file_fails),
      cmocka_unit_test(test_open_readonly_dir_fails),
      cmocka_unit_test(test_open_readonly_file_fails),
      cmocka_unit_test(test_open_bad_arguments),
      cmocka_unit_test(test_batch_rollback_leaves_nothing),
      cmocka_unit_test(test_open_creates_owner_only),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
