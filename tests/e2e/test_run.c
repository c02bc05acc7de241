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

/* Waits (bounded) until the daemon's log holds text. */
static bool log_has(const struct e2e_scratch *d, const char *text) {
  char path[1024];
  e2e_path(d, "spawn.err", path, sizeof path);
  for (int i = 0; i < 100; i++) {
    char *log = e2e_read_file(path, NULL);
    bool found = log && strstr(log, text);
    free(log);
    if (found) return true;
    usleep(50 * 1000);
  }
  return false;
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
   * articles, the sitemap and its articles (expected.json: 55). */
  int64_t n = -1;
  for (int i = 0; i < 150 && n != 55; i++) {
    usleep(100 * 1000);
    n = stored_articles(db);
  }
  assert_int_equal(n, 55);

  /* SIGHUP: new rules are taken up without a restart... */
  char *text = e2e_read_file(cfg, NULL);
  const char *anchor = "    keywords: [垃圾分类, 生活垃圾分类]\n";
  char *hit = strstr(text, anchor);
  assert_non_null(hit);
  struct mw_buf c;
  mw_buf_init(&c, 1u << 20);
  mw_buf_append(&c, text, (size_t)(hit - text) + strlen(anchor));
  mw_buf_puts(&c, "  - name: 焚烧厂\n    rule: \"NEAR/20(焚烧厂, 反对)\"\n");
  mw_buf_puts(&c, hit + strlen(anchor));
  e2e_write_file(cfg, c.data);
  assert_int_equal(kill(pid, SIGHUP), 0);
  assert_true(log_has(&d, "SIGHUP: rules reloaded from"));
  assert_true(log_has(&d, "3 topics, 0 with errors"));
  /* ...and a config that no longer parses leaves the rules in force. */
  e2e_write_file(cfg, "topics: [\n");
  assert_int_equal(kill(pid, SIGHUP), 0);
  assert_true(log_has(&d, "the rules in force are kept"));
  e2e_write_file(cfg, text);
  mw_buf_cleanup(&c);
  free(text);

  assert_int_equal(kill(pid, SIGTERM), 0);
  char *err = NULL;
  assert_int_equal(e2e_wait(&d, pid, NULL, &err), 0);
  if (!strstr(err, "SIGTERM received") || !strstr(err, "stopped after 7 polls"))
    fail_msg("unexpected daemon log:\n%s", err);
  assert_int_equal(stored_articles(db), 55);
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
