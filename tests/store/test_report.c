/* Tests store/report.c: articles per day (edges inclusive at the start,
 * exclusive at the end, topics and all articles, empty days without
 * cells) and the sources that failed all period (fetch log and the
 * source's own last attempt and success), and the errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store/store.h"
#include "tests/store/store_test_util.h"

/* 2023-05-08 00:00+08 and the next three midnights. */
#define D0 INT64_C(1683475200)
#define DAY 86400

struct fixture {
  char *dir, *path;
  struct tu_config tc;
  struct mw_store *s;
  int64_t env, pol, jl; /* source ids */
};

static void add(struct mw_store *s, int64_t src, const char *url,
                int64_t published, int64_t fetched, const char *topic) {
  struct mw_err err = {0};
  struct mw_article a = {
      .source_id = src, .url = url, .published = published, .fetched = fetched};
  int64_t id;
  bool ins;
  if (mw_store_add_article(s, &a, &id, &ins, &err)) fail_msg("%s", err.msg);
  if (topic)
    assert_int_equal(mw_store_add_match(s, id, topic, NULL, &err), MW_OK);
}

static int setup(void **state) {
  struct fixture *f = calloc(1, sizeof *f);
  f->dir = tu_tmpdir();
  f->path = tu_path(f->dir, "mw.db");
  tu_config_init(&f->tc);
  f->s = tu_open_synced(f->path, &f->tc);
  int64_t ids[3];
  tu_source_ids(f->s, ids, 3);
  f->env = ids[0];
  f->pol = ids[1];
  f->jl = ids[2];
  *state = f;
  return 0;
}

static int teardown(void **state) {
  struct fixture *f = *state;
  mw_store_close(f->s);
  tu_rmtree(f->dir);
  free(f->path);
  free(f->dir);
  free(f);
  return 0;
}

static void test_daily(void **state) {
  struct fixture *f = *state;
  const int64_t U = MW_TIME_UNKNOWN;
  add(f->s, f->env, "https://p.cn/1", D0, D0, "无废城市");
  add(f->s, f->env, "https://p.cn/2", D0 + DAY - 1, D0, "垃圾分类");
  add(f->s, f->jl, "https://j.cn/3", D0 + DAY - 1, D0, NULL);
  add(f->s, f->jl, "https://j.cn/4", U, D0 + 2 * DAY + 5, "无废城市");
  add(f->s, f->jl, "https://j.cn/5", D0 + 3 * DAY, D0, "无废城市"); /* after */
  add(f->s, f->jl, "https://j.cn/6", D0 - 1, D0, "无废城市");       /* before */
  int64_t bounds[] = {D0, D0 + DAY, D0 + 2 * DAY, D0 + 3 * DAY};
  struct mw_coverage_daily *d;
  struct mw_err err = {0};
  assert_int_equal(mw_store_coverage_daily(f->s, bounds, 3, &d, &err), MW_OK);
  assert_int_equal(d->n_days, 3);
  assert_int_equal(d->bounds[3], D0 + 3 * DAY);
  /* Day 0: all 3, 垃圾分类 1, 无废城市 1; day 1 empty; day 2: all 1,
   * 无废城市 1. Topics by byte order after the NULL. */
  assert_int_equal(d->n_cells, 5);
  assert_int_equal(d->cells[0].day, 0);
  assert_null(d->cells[0].topic);
  assert_int_equal(d->cells[0].count, 3);
  assert_string_equal(d->cells[1].topic, "垃圾分类");
  assert_int_equal(d->cells[1].count, 1);
  assert_string_equal(d->cells[2].topic, "无废城市");
  assert_int_equal(d->cells[2].count, 1);
  assert_int_equal(d->cells[3].day, 2);
  assert_null(d->cells[3].topic);
  assert_int_equal(d->cells[3].count, 1);
  assert_int_equal(d->cells[4].day, 2);
  assert_string_equal(d->cells[4].topic, "无废城市");
  mw_coverage_daily_free(d);

  assert_int_equal(mw_store_coverage_daily(f->s, bounds, 0, &d, &err),
                   MW_EINVAL);
  assert_null(d);
  int64_t bad[] = {D0, D0 - 1};
  assert_int_equal(mw_store_coverage_daily(f->s, bad, 1, &d, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "ends"));
}

static void fetch(struct mw_store *s, int64_t src, int64_t when, bool ok,
                  const char *error) {
  struct mw_err err = {0};
  struct mw_fetch_record r = {.source_id = src,
                              .when = when,
                              .ok = ok,
                              .http_status = ok ? 200 : 503,
                              .error = ok ? NULL : error,
                              .next_due = when + 600,
                              .consecutive_failures = ok ? 0 : 1};
  if (mw_store_record_fetch(s, &r, &err)) fail_msg("%s", err.msg);
}

static void test_failed_sources(void **state) {
  struct fixture *f = *state;
  int64_t from = D0, to = D0 + 7 * DAY;
  /* env: ok before, fails all week. pol: fails, then one success inside.
   * jl: never polled in the week (only after it). */
  fetch(f->s, f->env, from - 100, true, NULL);
  fetch(f->s, f->env, from + 10, false, "HTTP 503");
  fetch(f->s, f->env, from + 5000, false, "<b>timeout</b>");
  fetch(f->s, f->pol, from + 10, false, "HTTP 503");
  fetch(f->s, f->pol, from + 20, true, NULL);
  fetch(f->s, f->jl, to + 10, false, "HTTP 404");
  struct mw_failed_source *arr;
  size_t n;
  struct mw_err err = {0};
  assert_int_equal(mw_store_failed_sources(f->s, from, to, &arr, &n, &err),
                   MW_OK);
  assert_int_equal(n, 1);
  assert_int_equal(arr[0].id, f->env);
  assert_string_equal(arr[0].outlet, "人民日报");
  assert_int_equal(arr[0].tier, MW_TIER_CENTRAL);
  assert_string_equal(arr[0].url, "https://www.people.com.cn/rss/env.xml");
  assert_int_equal(arr[0].failures, 2);
  assert_int_equal(arr[0].last_ok, from - 100);
  assert_int_equal(arr[0].last_fetch, from + 5000);
  assert_int_equal(arr[0].last_status, 503);
  assert_string_equal(arr[0].last_error, "<b>timeout</b>");
  mw_failed_sources_free(arr, n);

  /* The week after: jl failed in it; env was not polled. */
  assert_int_equal(
      mw_store_failed_sources(f->s, to, to + 7 * DAY, &arr, &n, &err), MW_OK);
  assert_int_equal(n, 1);
  assert_int_equal(arr[0].id, f->jl);
  assert_int_equal(arr[0].last_ok, 0);
  mw_failed_sources_free(arr, n);

  /* The fetch log trimmed away: the source row's last attempt still says
   * it was polled, and failed. */
  tu_exec(f->path, "DELETE FROM fetch_log");
  assert_int_equal(mw_store_failed_sources(f->s, from, to, &arr, &n, &err),
                   MW_OK);
  assert_int_equal(n, 1);
  assert_int_equal(arr[0].id, f->env);
  assert_int_equal(arr[0].failures, 0);
  mw_failed_sources_free(arr, n);

  assert_int_equal(mw_store_failed_sources(f->s, to, from, &arr, &n, &err),
                   MW_EINVAL);
  assert_non_null(strstr(err.msg, "before it starts"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_daily, setup, teardown),
      cmocka_unit_test_setup_teardown(test_failed_sources, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
