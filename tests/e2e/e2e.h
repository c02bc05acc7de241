/*
 * e2e.h: helpers for end-to-end tests that drive the real `mediawatch`
 * binary against the fixture server: a scratch folder, a config made from
 * a template with the fixture's address in it, and running a command with
 * its output captured.
 */
#ifndef MW_TESTS_E2E_H
#define MW_TESTS_E2E_H

#include <jansson.h>
#include <stddef.h>

#include "common/common.h"
#include "tests/fixture/fixture.h"

/* A scratch folder under $TMPDIR (or /tmp), removed by e2e_scratch_free. */
struct e2e_scratch {
  char dir[512];
};

void e2e_scratch_new(struct e2e_scratch *s, const char *name);
void e2e_scratch_free(struct e2e_scratch *s);
/* dir/name into buf. */
void e2e_path(const struct e2e_scratch *s, const char *name, char *buf,
              size_t n);

/* Reads a whole file into a malloc'd NUL-terminated string; NULL if absent. */
char *e2e_read_file(const char *path, size_t *len);
void e2e_write_file(const char *path, const char *text);

/* Copies template_path to out_path, replacing every "http://127.0.0.1:18931"
 * with base_url and the line starting "storage:" with "storage: DB". An
 * indented "lexicon: FILE" or "gazetteer: FILE" with FILE relative gets the
 * template's folder in front, so the copy names the same files. */
void e2e_make_config(const char *template_path, const char *out_path,
                     const char *base_url, const char *db_path);

/* Runs `mediawatch ARGS...` (the binary under $MW_BUILD_ROOT), capturing
 * stdout and stderr separately; returns the exit status (-1 on a signal).
 * *out and *err are malloc'd; either pointer may be NULL to discard. */
int e2e_run(char **out, char **err, const char *const *args);

/* Starts `mediawatch ARGS...` in the background with stdout and stderr
 * going to files in dir; returns its pid. */
int e2e_spawn(const struct e2e_scratch *dir, const char *const *args);
/* Waits for a spawned process; returns its exit status (-1 on a signal)
 * and its output (malloc'd; pointers may be NULL). */
int e2e_wait(const struct e2e_scratch *dir, int pid, char **out, char **err);

/* Copies the folder from to the new folder to (files and folders only);
 * fails the test when it cannot. */
void e2e_copy_tree(const char *from, const char *to);
/* Copies the folder from over the existing folder to: files replaced,
 * folders created where missing. */
void e2e_overlay_tree(const char *from, const char *to);
/* $MW_TEST_DATA/rel into buf. */
void e2e_data(const char *rel, char *buf, size_t n);
/* The source tree's root (MW_SOURCE_ROOT) joined with rel. */
void e2e_source(const char *rel, char *buf, size_t n);

/* Starts the fixture server on an ephemeral port over root; fails the test
 * when it cannot. */
struct mw_fixture *e2e_fixture(const char *root);

/* ------------------------------------------------- alerts and receivers */

/* Runs `mediawatch ARGS... --config CFG` (the ARGS end with NULL) and fails
 * the test, showing both outputs, unless it exits want. Returns stdout
 * (malloc'd); *err_out (may be NULL) receives stderr. */
char *e2e_run_config(const char *cfg, int want, char **err_out, ...);
/* Parses text as JSON and frees text; fails the test when it is not. */
json_t *e2e_json(char *text);

/* One notification of a store's outbox. */
struct e2e_outbox_row {
  int64_t id, alert_id, sent_at, attempts;
  char receiver[64], kind[16];
};
/* Every notification of every alert in the store at db, by id (at most
 * max); -1 when the store cannot be read yet (a daemon is creating it). */
long e2e_outbox(const char *db, struct e2e_outbox_row *rows, size_t max);

/* The deliveries fx accepted at paths starting with prefix, in arrival
 * order; free with mw_fixture_deliveries_free. Returns how many. */
size_t e2e_deliveries(struct mw_fixture *fx, const char *prefix,
                      struct mw_fixture_delivery **d);
size_t e2e_delivery_count(struct mw_fixture *fx, const char *prefix);

/* The body of the last delivery under prefix, parsed as JSON (webhooks);
 * fails the test when there is none. Free with json_decref. */
json_t *e2e_last_json(struct mw_fixture *fx, const char *prefix);
/* The deliveries at path are exactly receiver's notifications in db's
 * outbox, one each, in the order they were written. */
void e2e_expect_in_order(struct mw_fixture *fx, const char *db,
                         const char *receiver, const char *path);
/* Every notification in db's outbox was marked sent and reached fx
 * exactly once, at the path path_of gives for its receiver (counted by
 * delivery id): the deliveries under /hook/ are the outbox, id for id. */
void e2e_expect_exactly_once(struct mw_fixture *fx, const char *db,
                             const char *(*path_of)(const char *receiver));

/* ------------------------------------------------------ report charts */

/* The SVG document of chart id (the <img class="chart" id="ID"> that
 * report/html_charts.c writes), its data: URI percent-decoded; malloc'd.
 * Fails the test when the page has no such chart. */
char *e2e_chart_svg(const char *html, const char *id);

/* Fails the test unless needle occurs in text (NULL counts as empty). */
void e2e_expect_in(const char *text, const char *needle);
/* Occurrences of needle in text, not overlapping. */
size_t e2e_count(const char *text, const char *needle);

/* The demo crawled once, for tests of what reads the store: the fixture
 * sites served on an ephemeral port, examples/demo.yaml rewritten into
 * DIR/mediawatch.yaml with its store DIR/mw.db, and `crawl --once` run
 * (the test fails when it fails). Release with e2e_demo_free. */
struct e2e_demo {
  struct e2e_scratch dir;
  struct mw_fixture *fx;
  char cfg[1024], db[1024];
};
void e2e_demo_crawled(struct e2e_demo *d, const char *name);
void e2e_demo_free(struct e2e_demo *d);

#endif
