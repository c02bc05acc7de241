/*
 * test_dashboard.c: the dashboard in a real browser. This driver builds
 * the world, tests/browser/dashboard.mjs walks through it in Debian's
 * headless Chromium (playwright-core, installed by scripts/bootstrap), and
 * the driver checks what it left in the store:
 *   - the demo (examples/demo.yaml on the fixture sites) with one outlet
 *     more, a complaint board (tests/data/browser/outlet.yaml) served by a
 *     second fixture server: its feed (tests/data/browser/minxin.xml,
 *     dated now) is empty at first, and its next version, with a complaint
 *     whose title carries <script> and <img onerror> as text, waits
 *     beside it for the script to move in place and crawl while the alert
 *     queue is open; crawled once, a duty officer and a viewer added with
 *     `mediawatch users`;
 *   - `mediawatch serve --listen 127.0.0.1:0` on that config, its
 *     address read from what it prints;
 *   - node runs the script (its output is printed: every step and the path
 *     of every screenshot, kept in the build folder's
 *     tests/browser/screenshots/);
 *   - afterwards `mediawatch alerts list --json` shows the breaking alert
 *     assigned to the unit the officer typed, and the server stops cleanly
 *     on SIGTERM.
 * Without Chromium, Node.js or playwright-core the test fails and says to
 * run scripts/bootstrap: it never skips. Node runs in its own process
 * group, ended (TERM, then KILL) when it outlives SCRIPT_TIMEOUT_S.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/e2e/e2e.h"

/* Overridable at compile time only to try the failure paths by hand. */
#ifndef CHROMIUM
#define CHROMIUM "/usr/bin/chromium"
#endif
#ifndef PLAYWRIGHT /* under the source tree */
#define PLAYWRIGHT "tests/browser/node_modules/playwright-core/index.mjs"
#endif
#define SCRIPT_TIMEOUT_S 120
#define SERVE_START_S 15

#define DUTY_USER "张伟"
#define DUTY_PASSWORD "zhiban-2026-duty"
#define VIEWER_USER "guest"
#define VIEWER_PASSWORD "chakan-2026-view"
#define UNIT "绿园区生态环境分局"
/* The breaking complaint's title as the store keeps it (text). */
#define BREAKING_TITLE                                              \
  "<script>alert(1)</script><img src=x onerror=alert(2)>绿园区城西镇" \
  "一化工厂夜间偷排废水"

struct env {
  struct e2e_demo d;
  struct mw_fixture *fx2; /* serves the breaking complaint */
  int serve_pid;          /* 0 once waited for */
  int node_pid;           /* 0 once waited for */
  char url[128];
  char feed[1400], feed_next[1100]; /* served; its next version */
  char shots[1024];
  long open_alerts;
};

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000 * 1000};
  nanosleep(&t, NULL);
}

/* ------------------------------------------------------- prerequisites */

/* The first executable name in $PATH into buf; false when none. */
static bool find_in_path(const char *name, char *buf, size_t n) {
  const char *path = getenv("PATH");
  if (!path) path = "/usr/local/bin:/usr/bin:/bin";
  while (*path) {
    const char *end = strchr(path, ':');
    size_t len = end ? (size_t)(end - path) : strlen(path);
    if (len > 0) {
      snprintf(buf, n, "%.*s/%s", (int)len, path, name);
      if (access(buf, X_OK) == 0) return true;
    }
    path += len;
    if (*path == ':') path++;
  }
  return false;
}

static void need_tools(char *node, size_t n, char *playwright, size_t pn) {
  if (access(CHROMIUM, X_OK) != 0)
    fail_msg("%s is not installed: run scripts/bootstrap as root (it installs "
             "Debian's chromium, which the dashboard is tested in)",
             CHROMIUM);
  if (!find_in_path("node", node, n))
    fail_msg("node is not on PATH: run scripts/bootstrap as root (it "
             "installs Node.js, which drives the browser)");
  e2e_source(PLAYWRIGHT, playwright, pn);
  if (access(playwright, R_OK) != 0)
    fail_msg("%s is missing: run scripts/bootstrap (it installs "
             "playwright-core into tests/browser/node_modules with npm ci)",
             playwright);
}

/* ------------------------------------------------------------ the world */

/* Open alerts in the store, from the CLI's JSON list. */
static long open_alerts(const struct env *e) {
  json_t *list = e2e_json(
      e2e_run_config(e->d.cfg, 0, NULL, "alerts", "list", "--open", "--json",
                     "--limit", "1000", NULL));
  assert_true(json_is_array(list));
  long n = (long)json_array_size(list);
  json_decref(list);
  return n;
}

static void add_user(const struct env *e, const char *name, const char *role,
                     const char *password) {
  char file[1100];
  e2e_path(&e->d.dir, role, file, sizeof file);
  char line[128];
  snprintf(line, sizeof line, "%s\n", password);
  e2e_write_file(file, line);
  free(e2e_run_config(e->d.cfg, 0, NULL, "users", "add", name, "--role", role,
                      "--password-file", file, NULL));
}

/* text with every needle replaced by with; malloc'd. */
static char *replace_all(const char *text, const char *needle,
                         const char *with) {
  struct mw_buf b;
  mw_buf_init(&b, 1u << 20);
  const char *p = text, *at;
  while ((at = strstr(p, needle))) {
    assert_int_equal(mw_buf_append(&b, p, (size_t)(at - p)), MW_OK);
    assert_int_equal(mw_buf_puts(&b, with), MW_OK);
    p = at + strlen(needle);
  }
  assert_int_equal(mw_buf_puts(&b, p), MW_OK);
  return mw_buf_steal(&b);
}

/* The complaint board's feed, dated now and naming e->fx2's address:
 * without its entry where the fixture serves it
 * (DIR/site/breaking/minxin.xml), whole in e->feed_next for the script to
 * move there. The fixture reads files as they are asked for, so it may
 * start first: its address goes into the feed. */
static void breaking_feed(struct env *e) {
  char tmpl[1024], site[1100], folder[1200], feed[1300];
  e2e_path(&e->d.dir, "site", site, sizeof site);
  snprintf(folder, sizeof folder, "%s/breaking", site);
  snprintf(feed, sizeof feed, "%s/minxin.xml", folder);
  if (mkdir(site, 0755) != 0 || mkdir(folder, 0755) != 0)
    fail_msg("cannot create %s: %s", folder, strerror(errno));
  e->fx2 = e2e_fixture(site);

  e2e_data("browser/minxin.xml", tmpl, sizeof tmpl);
  char *text = e2e_read_file(tmpl, NULL);
  if (!text) fail_msg("cannot read %s", tmpl);
  char stamp[32];
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  char *dated = replace_all(text, "@NOW@", stamp);
  free(text);
  char *whole = replace_all(dated, "http://127.0.0.1:18931",
                            mw_fixture_base_url(e->fx2));
  free(dated);

  e2e_path(&e->d.dir, "minxin-next.xml", e->feed_next, sizeof e->feed_next);
  e2e_write_file(e->feed_next, whole);
  snprintf(e->feed, sizeof e->feed, "%s", feed);
  /* The same feed before the complaint: its entry cut out. */
  static const char close_tag[] = "</entry>\n";
  const char *from = strstr(whole, "  <entry>");
  const char *to = from ? strstr(from, close_tag) : NULL;
  if (!to) fail_msg("%s: no <entry> ... </entry> to hold back", tmpl);
  struct mw_buf before;
  mw_buf_init(&before, 1u << 20);
  assert_int_equal(mw_buf_append(&before, whole, (size_t)(from - whole)),
                   MW_OK);
  assert_int_equal(mw_buf_puts(&before, to + sizeof close_tag - 1), MW_OK);
  e2e_write_file(feed, before.data);
  mw_buf_cleanup(&before);
  free(whole);
}

/* The demo's config (e2e_make_config on examples/demo.yaml) with the
 * complaint board of tests/data/browser/outlet.yaml added at the end of
 * its outlets, served by e->fx2. */
static void make_config(struct env *e) {
  char tmpl[1024], extra[1024];
  e2e_source("examples/demo.yaml", tmpl, sizeof tmpl);
  e2e_make_config(tmpl, e->d.cfg, mw_fixture_base_url(e->d.fx), e->d.db);
  e2e_data("browser/outlet.yaml", extra, sizeof extra);
  char *block = e2e_read_file(extra, NULL);
  if (!block) fail_msg("cannot read %s", extra);
  char *outlet = replace_all(block, "http://127.0.0.1:18931",
                             mw_fixture_base_url(e->fx2));
  free(block);
  char *cfg = e2e_read_file(e->d.cfg, NULL);
  assert_non_null(cfg);
  char *at = strstr(cfg, "\ntopics:\n");
  if (!at)
    fail_msg("%s has no line \"topics:\" after its outlets; "
             "test_dashboard.c adds its outlet before it", tmpl);
  struct mw_buf b;
  mw_buf_init(&b, 1u << 20);
  assert_int_equal(mw_buf_append(&b, cfg, (size_t)(at - cfg) + 1), MW_OK);
  assert_int_equal(mw_buf_puts(&b, outlet), MW_OK);
  assert_int_equal(mw_buf_puts(&b, at + 1), MW_OK);
  e2e_write_file(e->d.cfg, b.data);
  mw_buf_cleanup(&b);
  free(cfg);
  free(outlet);
}

/* e2e_demo_crawled with the complaint board added: scratch folder, both
 * fixture servers, config, and the first crawl. */
static void world(struct env *e) {
  char sites[1024];
  e2e_data("sites", sites, sizeof sites);
  e2e_scratch_new(&e->d.dir, "browser");
  e2e_path(&e->d.dir, "mediawatch.yaml", e->d.cfg, sizeof e->d.cfg);
  e2e_path(&e->d.dir, "mw.db", e->d.db, sizeof e->d.db);
  e->d.fx = e2e_fixture(sites);
  breaking_feed(e);
  make_config(e);
  char *out = e2e_run_config(e->d.cfg, 0, NULL, "crawl", "--once", NULL);
  free(out);
}

/* Starts the server and reads its address from its stderr
 * ("mediawatch: serving http://127.0.0.1:PORT; ..."). */
static void start_server(struct env *e) {
  const char *args[] = {"serve", "--listen", "127.0.0.1:0", "--config",
                        e->d.cfg, NULL};
  e->serve_pid = e2e_spawn(&e->d.dir, args);
  char errp[1100];
  e2e_path(&e->d.dir, "spawn.err", errp, sizeof errp);
  static const char mark[] = "mediawatch: serving http://";
  double t0 = now_s();
  while (now_s() - t0 < SERVE_START_S) {
    char *err = e2e_read_file(errp, NULL);
    const char *at = err ? strstr(err, mark) : NULL;
    if (at) {
      at += sizeof mark - 1 - strlen("http://");
      size_t n = 0;
      while (at[n] && at[n] != ';' && at[n] != ' ' && at[n] != '\n' &&
             n < sizeof e->url - 1)
        n++;
      memcpy(e->url, at, n);
      e->url[n] = '\0';
      free(err);
      printf("server: %s\n", e->url);
      return;
    }
    int status;
    if (waitpid(e->serve_pid, &status, WNOHANG) == e->serve_pid) {
      e->serve_pid = 0;
      fail_msg("mediawatch serve exited %d before serving:\n%s",
               WIFEXITED(status) ? WEXITSTATUS(status) : -1, err ? err : "");
    }
    free(err);
    nap_ms(50);
  }
  fail_msg("mediawatch serve printed no address within %d s", SERVE_START_S);
}

/* Stops the server with SIGTERM; its exit status (-1 on a signal). */
static int stop_server(struct env *e, char **err) {
  if (!e->serve_pid) return -1;
  kill(e->serve_pid, SIGTERM);
  int rc = e2e_wait(&e->d.dir, e->serve_pid, NULL, err);
  e->serve_pid = 0;
  return rc;
}

/* ------------------------------------------------------------- the script */

/* node's command line and environment, made before the fork: the fixture
 * servers' threads run in this process, so the child may only make
 * async-signal-safe calls until it execs. */
struct launch {
  char log[1100], script[1100];
  char vars[20][1500];
  const char *argv[4];
  const char *envp[300];
};

static void launch_make(const struct env *e, const char *node,
                        const char *playwright, struct launch *l) {
  e2e_path(&e->d.dir, "node.log", l->log, sizeof l->log);
  e2e_source("tests/browser/dashboard.mjs", l->script, sizeof l->script);
  const char *root = getenv("MW_BUILD_ROOT");
  size_t v = 0;
#define VAR(...) snprintf(l->vars[v++], sizeof l->vars[0], __VA_ARGS__)
  /* Its home in the scratch folder, so nothing lands in the user's. */
  VAR("HOME=%s", e->d.dir.dir);
  VAR("XDG_CONFIG_HOME=%s", e->d.dir.dir);
  VAR("XDG_CACHE_HOME=%s", e->d.dir.dir);
  VAR("TMPDIR=%s", e->d.dir.dir);
  VAR("MW_URL=%s", e->url);
  VAR("MW_BIN=%s/mediawatch", root ? root : ".");
  VAR("MW_CONFIG=%s", e->d.cfg);
  VAR("MW_BREAKING_FEED=%s", e->feed);
  VAR("MW_BREAKING_NEXT=%s", e->feed_next);
  VAR("MW_BREAKING_TITLE=%s", BREAKING_TITLE);
  VAR("MW_DUTY_USER=%s", DUTY_USER);
  VAR("MW_DUTY_PASSWORD=%s", DUTY_PASSWORD);
  VAR("MW_VIEWER_USER=%s", VIEWER_USER);
  VAR("MW_VIEWER_PASSWORD=%s", VIEWER_PASSWORD);
  VAR("MW_OPEN_ALERTS=%ld", e->open_alerts);
  VAR("MW_SHOTS_DIR=%s", e->shots);
  VAR("MW_CHROMIUM=%s", CHROMIUM);
  VAR("MW_PLAYWRIGHT=%s", playwright);
#undef VAR
  size_t n = 0;
  for (size_t i = 0; i < v; i++) l->envp[n++] = l->vars[i];
  extern char **environ;
  for (char **p = environ; *p && n < 299; p++) {
    bool ours = false;
    for (size_t i = 0; i < v && !ours; i++) {
      const char *eq = strchr(l->vars[i], '=');
      size_t k = (size_t)(eq - l->vars[i]) + 1;
      ours = strncmp(*p, l->vars[i], k) == 0;
    }
    if (!ours) l->envp[n++] = *p;
  }
  l->envp[n] = NULL;
  l->argv[0] = node;
  l->argv[1] = l->script;
  l->argv[2] = NULL;
}

static void exec_node(const struct launch *l) {
  setpgid(0, 0); /* its group: a hang is ended with whatever it started */
  int fd = open(l->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  int devnull = open("/dev/null", O_RDONLY);
  if (fd < 0 || devnull < 0) _exit(126);
  dup2(devnull, 0);
  dup2(fd, 1);
  dup2(fd, 2);
  execve(l->argv[0], (char *const *)l->argv, (char *const *)l->envp);
  _exit(127);
}

/* Runs the script; returns its exit status, with its output in *log. */
static int run_script(struct env *e, const char *node, const char *playwright,
                      char **log) {
  static struct launch l;
  launch_make(e, node, playwright, &l);
  double t0 = now_s();
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) exec_node(&l);
  setpgid(pid, pid); /* also here: no race with the child's own call */
  e->node_pid = (int)pid;
  int status = 0;
  bool done = false, termed = false;
  for (;;) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      done = true;
      break;
    }
    double took = now_s() - t0;
    if (!termed && took > SCRIPT_TIMEOUT_S) {
      kill(-pid, SIGTERM); /* playwright closes the browser on TERM */
      termed = true;
    } else if (took > SCRIPT_TIMEOUT_S + 10) {
      break;
    }
    nap_ms(50);
  }
  kill(-pid, SIGKILL); /* whatever of its group is left */
  if (!done) waitpid(pid, &status, 0);
  e->node_pid = 0;
  *log = e2e_read_file(l.log, NULL);
  printf("%s", *log ? *log : "");
  printf("node took %.1f s\n", now_s() - t0);
  if (termed)
    fail_msg("the browser test did not finish within %d s; stopped",
             SCRIPT_TIMEOUT_S);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Removes the screenshots of an earlier run, creating the folder. */
static void fresh_shots(struct env *e) {
  const char *root = getenv("MW_BUILD_ROOT");
  char tests[900], browser[960];
  snprintf(tests, sizeof tests, "%.800s/tests", root ? root : ".");
  snprintf(browser, sizeof browser, "%s/browser", tests);
  snprintf(e->shots, sizeof e->shots, "%s/screenshots", browser);
  const char *dirs[] = {tests, browser, e->shots};
  for (size_t i = 0; i < 3; i++)
    if (mkdir(dirs[i], 0755) != 0 && errno != EEXIST)
      fail_msg("cannot create %s: %s", dirs[i], strerror(errno));
  DIR *d = opendir(e->shots);
  assert_non_null(d);
  struct dirent *de;
  while ((de = readdir(d))) {
    size_t n = strlen(de->d_name);
    if (n > 4 && strcmp(de->d_name + n - 4, ".png") == 0) {
      char path[1400];
      snprintf(path, sizeof path, "%s/%s", e->shots, de->d_name);
      unlink(path);
    }
  }
  closedir(d);
}

/* ------------------------------------------------------------ the test */

static int setup(void **state) {
  *state = calloc(1, sizeof(struct env));
  return *state ? 0 : -1;
}

static int teardown(void **state) {
  struct env *e = *state;
  if (e->node_pid) {
    kill(-e->node_pid, SIGKILL);
    waitpid(e->node_pid, NULL, 0);
  }
  if (e->serve_pid) {
    kill(e->serve_pid, SIGKILL);
    waitpid(e->serve_pid, NULL, 0);
  }
  if (e->fx2) mw_fixture_stop(e->fx2);
  if (e->d.fx) e2e_demo_free(&e->d);
  free(e);
  return 0;
}

/* The breaking alert in the CLI's list: assigned to UNIT by DUTY_USER. */
static void expect_assigned(const struct env *e) {
  json_t *list = e2e_json(e2e_run_config(e->d.cfg, 0, NULL, "alerts", "list",
                                         "--json", "--limit", "1000", NULL));
  json_t *found = NULL, *a;
  size_t i;
  json_array_foreach(list, i, a) {
    const char *title = json_string_value(json_object_get(a, "title"));
    if (title && strcmp(title, BREAKING_TITLE) == 0) {
      assert_null(found); /* one alert for the one complaint */
      found = a;
    }
  }
  if (!found) fail_msg("no alert titled %s in the store", BREAKING_TITLE);
  assert_string_equal(json_string_value(json_object_get(found, "state")),
                      "assigned");
  assert_string_equal(json_string_value(json_object_get(found, "assignee")),
                      UNIT);
  assert_string_equal(json_string_value(json_object_get(found, "acked_by")),
                      DUTY_USER);
  assert_int_equal(json_integer_value(json_object_get(found, "level")), 3);
  json_decref(list);
}

static void test_dashboard_in_chromium(void **state) {
  struct env *e = *state;
  char node[1024], playwright[1024];
  need_tools(node, sizeof node, playwright, sizeof playwright);
  fresh_shots(e);

  world(e);
  e->open_alerts = open_alerts(e);
  assert_true(e->open_alerts > 0); /* the demo raises alerts */
  add_user(e, DUTY_USER, "duty", DUTY_PASSWORD);
  add_user(e, VIEWER_USER, "viewer", VIEWER_PASSWORD);
  start_server(e);

  char *log = NULL;
  int rc = run_script(e, node, playwright, &log);
  if (rc != 0)
    fail_msg("dashboard.mjs exited %d (its output is above; screenshots in "
             "%s)",
             rc, e->shots);
  e2e_expect_in(log, "dashboard: every check held");
  free(log);

  expect_assigned(e);
  assert_int_equal(open_alerts(e), e->open_alerts + 1);

  char *err = NULL;
  rc = stop_server(e, &err);
  if (rc != 0)
    fail_msg("mediawatch serve exited %d on SIGTERM:\n%s", rc, err ? err : "");
  free(err);
  printf("screenshots: %s\n", e->shots);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_dashboard_in_chromium),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
