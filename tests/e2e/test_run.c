/*
 * test_run.c: `mediawatch run`, the daemon: it polls the fixture sites on
 * its own schedule, and SIGTERM makes it finish its writes and exit 0 with
 * everything stored.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "tests/e2e/e2e.h"

static int64_t stored_articles(const char *db) {
  struct mw_store *st;
  struct mw_err err;
  if (mw_store_open(db, &st, &err)) return -1; /* not created yet */
  int64_t n = -1;
  if (mw_store_count_articles(st, &n, &err)) n = -1;
  mw_store_close(st);
  return n;
}

static void test_daemon_polls_and_stops(void **state) {
  (void)state;
  struct e2e_scratch d;
  e2e_scratch_new(&d, "run");
  char sites[1024], tmpl[1024], cfg[1024], db[1024];
  e2e_data("sites", sites, sizeof sites);
  e2e_source("examples/demo.yaml", tmpl, sizeof tmpl);
  e2e_path(&d, "mw.yaml", cfg, sizeof cfg);
  e2e_path(&d, "mw.db", db, sizeof db);
  struct mw_fixture *fx = e2e_fixture(sites);
  e2e_make_config(tmpl, cfg, mw_fixture_base_url(fx), db);
  const char *args[] = {"run", "--config", cfg, NULL};
  int pid = e2e_spawn(&d, args);
  /* Start-up polls are spread over two seconds; allow fifteen. */
  /* Every source of the demo: feeds, the portal's listing and its
   * articles, the sitemap and its articles (expected.json: 49). */
  int64_t n = -1;
  for (int i = 0; i < 150 && n != 49; i++) {
    usleep(100 * 1000);
    n = stored_articles(db);
  }
  assert_int_equal(n, 49);
  assert_int_equal(kill(pid, SIGTERM), 0);
  char *err = NULL;
  assert_int_equal(e2e_wait(&d, pid, NULL, &err), 0);
  if (!strstr(err, "SIGTERM received") || !strstr(err, "stopped after 6 polls"))
    fail_msg("unexpected daemon log:\n%s", err);
  assert_int_equal(stored_articles(db), 49);
  /* Each feed was polled once: the next polls are 15 minutes away. */
  assert_int_equal(mw_fixture_requests(fx, "/renmin/rss.xml"), 1);
  free(err);
  mw_fixture_stop(fx);
  e2e_scratch_free(&d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_daemon_polls_and_stops),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
