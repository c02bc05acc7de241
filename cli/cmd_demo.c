/*
 * cmd_demo.c: `mediawatch demo`: the whole pipeline on the bundled fixture
 * sites, on loopback. Starts the fixture server, crawls it with
 * examples/demo.yaml into a fresh database, and writes the coverage report
 * of every week the fixtures cover. The same server plays the duty
 * office's receivers (webhook, WeCom, DingTalk, Feishu robots): the demo
 * hands the config their addresses and secrets through the environment,
 * as a real deployment would, gives the fixture the matching secrets so
 * signatures are really checked, and shows the alerts the crawl raised
 * and what each receiver got.
 *
 * What it leaves to others: crawling, alerting and delivering (the
 * session and its courier), printing alerts (cmd_alerts_print.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd_alerts.h"
#include "cli/commands.h"
#include "cli/session.h"
#include "health/health.h"
#include "report/report.h"
#include "store/store.h"
#include "tests/fixture/fixture.h"
#include "web/web.h"

#define STR_(x) #x
#define STR(x) STR_(x)
/* The address examples/demo.yaml names its sources by. */
#define DEMO_ORIGIN "http://127.0.0.1:" STR(MW_FIXTURE_DEMO_PORT)

static const char demo_help[] =
    "usage: mediawatch demo [--out DIR] [--port N] [--config FILE]\n"
    "                       [--sites DIR]\n\n"
    "Runs the whole pipeline on the bundled fixture sites: starts the\n"
    "fixture server on 127.0.0.1, crawls it with examples/demo.yaml into a\n"
    "fresh database in DIR, and writes the coverage report of each week the\n"
    "fixtures cover (Markdown, CSV and JSON) into DIR. The server also\n"
    "plays the alert receivers of the config (webhook, WeCom, DingTalk,\n"
    "Feishu): the alerts raised are listed, also in DIR/alerts.txt, with\n"
    "what each receiver got.\n\n"
    "  -o, --out DIR      where the database and reports go (default .)\n"
    "  -p, --port N       fixture server port (default 18931; another free\n"
    "                     port is used when it is taken)\n"
    "  -c, --config FILE  demo config (default " MW_SOURCE_ROOT
    "/examples/demo.yaml)\n"
    "  -s, --sites DIR    fixture sites (default " MW_SOURCE_ROOT
    "/tests/data/sites)\n"
    "      --serve ADDR:PORT  then serve the dashboard of the demo's\n"
    "                     database there (e.g. 127.0.0.1:8080) until\n"
    "                     Ctrl-C, signed in as the duty officer 'demo' with\n"
    "                     the fresh password printed\n";

/* The receivers' secrets: examples/demo.yaml names these variables, the
 * fixture checks the same values. The fixture is loopback-only and these
 * keys open nothing else. */
#define DEMO_WECOM_KEY "demo-wecom-key"
#define DEMO_DINGTALK_TOKEN "demo-token"
#define DEMO_DINGTALK_SECRET "SECdemo-dingtalk-secret"

/* One environment variable examples/demo.yaml reads: name, and the value
 * as a printf format taking the server's base URL (or a literal). */
static const struct {
  const char *name, *fmt;
} demo_env[] = {
    {"MW_DEMO_WECOM_URL", "%s/hook/wecom?key=" DEMO_WECOM_KEY},
    {"MW_DEMO_DINGTALK_URL",
     "%s/hook/dingtalk?access_token=" DEMO_DINGTALK_TOKEN},
    {"MW_DEMO_DINGTALK_SECRET", DEMO_DINGTALK_SECRET},
    {"MW_DEMO_FEISHU_URL", "%s/hook/feishu"},
};

/* Sets the demo's variables for the base URL served (an existing value is
 * replaced: the receivers are the fixture's) and the fixture's secrets. */
static int set_receivers(struct mw_fixture *fx, const char *base) {
  for (size_t i = 0; i < sizeof demo_env / sizeof demo_env[0]; i++) {
    char value[1024];
    if (strstr(demo_env[i].fmt, "%s"))
      snprintf(value, sizeof value, demo_env[i].fmt, base);
    else
      snprintf(value, sizeof value, "%s", demo_env[i].fmt);
    if (setenv(demo_env[i].name, value, 1) != 0) return MW_ENOMEM;
  }
  if (mw_fixture_set_receiver_secret(fx, "wecom", DEMO_WECOM_KEY) ||
      mw_fixture_set_receiver_secret(fx, "dingtalk", DEMO_DINGTALK_SECRET))
    return MW_ENOMEM;
  return MW_OK;
}

/* *url with DEMO_ORIGIN replaced by base; untouched when it does not
 * start with it. */
static int rebase_url(char **url, const char *base) {
  size_t olen = strlen(DEMO_ORIGIN);
  if (!*url || strncmp(*url, DEMO_ORIGIN, olen)) return MW_OK;
  struct mw_buf b;
  mw_buf_init(&b, 8192);
  if (mw_buf_puts(&b, base) || mw_buf_puts(&b, *url + olen)) {
    mw_buf_cleanup(&b);
    return MW_ENOMEM;
  }
  free(*url);
  *url = mw_buf_steal(&b);
  return MW_OK;
}

/* Points every source and receiver of the demo config at the port
 * actually served. */
static int rebase_urls(struct mw_config *cfg, const char *base) {
  int rc = MW_OK;
  for (size_t i = 0; !rc && i < cfg->n_outlets; i++)
    for (size_t k = 0; !rc && k < cfg->outlets[i].n_sources; k++)
      rc = rebase_url(&cfg->outlets[i].sources[k].url, base);
  for (size_t i = 0; !rc && i < cfg->alerts.n_receivers; i++)
    rc = rebase_url(&cfg->alerts.receivers[i].url, base);
  return rc;
}

static int fresh_database(struct mw_config *cfg, const char *out_dir) {
  char path[4096];
  snprintf(path, sizeof path, "%s/demo.db", out_dir);
  const char *suffixes[] = {"", "-wal", "-shm"};
  for (size_t i = 0; i < 3; i++) {
    char p[4200];
    snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
    unlink(p);
  }
  char *copy = mw_strdup(path);
  if (!copy) return MW_ENOMEM;
  free(cfg->storage_path);
  cfg->storage_path = copy;
  return MW_OK;
}

static int write_reports(struct mw_session *s, const char *out_dir) {
  int64_t min, max;
  struct mw_err err = {0};
  if (mw_store_article_time_range(s->store, &min, &max, &err)) {
    mw_cli_error("%s", err.msg);
    return MW_EXIT_FAIL;
  }
  if (min == MW_TIME_UNKNOWN) {
    mw_cli_error("no articles were stored, so there is nothing to report");
    return MW_EXIT_FAIL;
  }
  static const enum mw_report_format formats[] = {MW_REPORT_MD, MW_REPORT_CSV,
                                                  MW_REPORT_JSON,
                                                  MW_REPORT_HTML};
  struct mw_civil c;
  mw_tz_to_civil(s->cfg->tz, min, &c);
  int y, w, last_y, last_w;
  mw_iso_week_of(c.year, c.month, c.day, &y, &w);
  mw_tz_to_civil(s->cfg->tz, max, &c);
  mw_iso_week_of(c.year, c.month, c.day, &last_y, &last_w);
  printf("reports:\n");
  for (int guard = 0; guard < 60; guard++) {
    for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
      char path[4200], msg[sizeof path + MW_ERR_MSG_MAX];
      snprintf(path, sizeof path, "%s/coverage-%04d-W%02d.%s", out_dir, y, w,
               mw_report_format_ext(formats[f]));
      FILE *out = fopen(path, "wb");
      if (!out) {
        mw_cli_error("cannot write %s", path);
        return MW_EXIT_FAIL;
      }
      int rc = mw_cli_write_week_report(s->cfg, s->store, y, w, (int)formats[f],
                                        out, msg, sizeof msg);
      if (fclose(out) != 0 && !rc) {
        snprintf(msg, sizeof msg, "cannot write %s", path);
        rc = MW_EIO;
      }
      if (rc) {
        mw_cli_error("%s", msg);
        return MW_EXIT_FAIL;
      }
      printf("  %s\n", path);
    }
    if (y == last_y && w == last_w) break;
    if (++w > mw_iso_weeks_in_year(y)) {
      w = 1;
      y++;
    }
  }
  return MW_EXIT_OK;
}

/* The path on the fixture of receiver r ("/hook/wecom"), from its url or
 * its url_env, into buf; "" when it is not on the fixture. */
static void receiver_path(const struct mw_receiver_conf *r, const char *base,
                          char *buf, size_t n) {
  buf[0] = '\0';
  const char *url = r->url ? r->url : r->url_env ? getenv(r->url_env) : NULL;
  size_t blen = strlen(base);
  if (!url || strncmp(url, base, blen)) return;
  const char *path = url + blen;
  snprintf(buf, n, "%.*s", (int)strcspn(path, "?#"), path);
}

/* The highest alert as `mediawatch alerts show` prints it, and the first
 * message it sent, as the duty group's phone shows it. */
static void show_top_alert(struct mw_session *s, const struct mw_alert_rec *r) {
  struct mw_alert_event *ev = NULL;
  struct mw_outbox_msg *msgs = NULL;
  size_t n_ev = 0, n_msgs = 0;
  struct mw_err err = {0};
  if (mw_store_alert_events(s->store, r->id, &ev, &n_ev, &err) ||
      mw_store_outbox_of_alert(s->store, r->id, &msgs, &n_msgs, &err)) {
    mw_cli_error("%s", err.msg);
  } else {
    printf("\n");
    mw_cli_print_alert_detail(stdout, r, ev, n_ev, msgs, n_msgs, s->cfg->tz);
    if (n_msgs && msgs[0].text)
      printf("\nthe message %s received:\n%s\n\n", msgs[0].receiver,
             msgs[0].text);
  }
  mw_outbox_msgs_free(msgs, n_msgs);
  mw_alert_events_free(ev, n_ev);
}

/* The alerts the crawl raised, as `mediawatch alerts list` shows them, on
 * stdout and in DIR/alerts.txt, then what each receiver of the config
 * got: the deliveries the fixture accepted (a robot that refused one,
 * say for a bad signature, counts none). */
static int show_alerts(struct mw_session *s, struct mw_fixture *fx,
                       const char *out_dir) {
  struct mw_alert_filter f = {0};
  struct mw_alert_rec *recs = NULL;
  size_t n = 0;
  struct mw_err err = {0};
  if (mw_store_alert_list(s->store, &f, &recs, &n, &err)) {
    mw_cli_error("%s", err.msg);
    return MW_EXIT_FAIL;
  }
  char path[4200];
  snprintf(path, sizeof path, "%s/alerts.txt", out_dir);
  FILE *out = fopen(path, "wb");
  if (!out) {
    mw_cli_error("cannot write %s", path);
    mw_alert_recs_free(recs, n);
    return MW_EXIT_FAIL;
  }
  mw_cli_print_alert_table(out, recs, n, s->cfg->tz);
  bool ok = fclose(out) == 0;
  printf("alerts (%s):\n", path);
  mw_cli_print_alert_table(stdout, recs, n, s->cfg->tz);
  if (n) show_top_alert(s, &recs[0]);
  mw_alert_recs_free(recs, n);
  if (!ok) {
    mw_cli_error("cannot write %s", path);
    return MW_EXIT_FAIL;
  }
  struct mw_fixture_delivery *d = NULL;
  size_t nd = 0;
  if (mw_fixture_deliveries(fx, NULL, &d, &nd)) {
    mw_cli_error("out of memory");
    return MW_EXIT_FAIL;
  }
  printf("received by the fixture's receivers:\n");
  const struct mw_alerts_conf *ac = &s->cfg->alerts;
  for (size_t i = 0; i < ac->n_receivers; i++) {
    const struct mw_receiver_conf *r = &ac->receivers[i];
    char rpath[1024];
    receiver_path(r, mw_fixture_base_url(fx), rpath, sizeof rpath);
    size_t got = 0;
    for (size_t k = 0; rpath[0] && k < nd; k++)
      got += !strcmp(d[k].path, rpath);
    printf("  %3zu  %s (%s, %s)\n", got, r->name,
           mw_receiver_kind_name(r->kind),
           rpath[0] ? rpath : "not on the fixture");
  }
  mw_fixture_deliveries_free(d, nd);
  return MW_EXIT_OK;
}

/* A duty officer "demo" for the dashboard, with a random password (24
 * characters of 32 kinds: 120 bits) written into pw: the demo's database
 * is new each run, so the password is printed once and never stored. */
/* The sources' health as `mediawatch sources health` judges it, one line
 * per source that is not ok. */
static int show_health(struct mw_session *s) {
  struct mw_err err = {0};
  struct mw_health_row *rows = NULL;
  size_t n = 0, count[3] = {0};
  if (mw_health_survey(s->cfg, s->store, (int64_t)time(NULL), &rows, &n,
                       &err)) {
    mw_cli_error("source health: %s", err.msg);
    return MW_EXIT_FAIL;
  }
  for (size_t i = 0; i < n; i++) {
    count[rows[i].health.status]++;
    for (size_t k = 0; k < rows[i].health.n_problems; k++)
      printf("  %s %s: %s\n", rows[i].src.outlet_name,
             mw_problem_code_name(rows[i].health.problems[k].code),
             rows[i].health.problems[k].detail);
  }
  printf("source health: %zu ok, %zu degraded, %zu broken "
         "(mediawatch sources health)\n",
         count[MW_HEALTH_OK], count[MW_HEALTH_DEGRADED],
         count[MW_HEALTH_BROKEN]);
  mw_health_rows_free(rows, n);
  return MW_EXIT_OK;
}

static int add_demo_user(const struct mw_config *cfg, char *pw, size_t n) {
  static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
  unsigned char raw[24];
  if (n < sizeof raw + 1 ||
      getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
    mw_cli_error("no random bytes for the demo user's password");
    return MW_EXIT_FAIL;
  }
  for (size_t i = 0; i < sizeof raw; i++) pw[i] = alphabet[raw[i] % 32];
  pw[sizeof raw] = '\0';
  struct mw_err err = {0};
  struct mw_store *st = NULL;
  char *hash = NULL;
  int rc = mw_web_password_hash(pw, &hash, &err);
  if (!rc) rc = mw_store_open(cfg->storage_path, &st, &err);
  if (!rc)
    rc = mw_store_user_add(st, "demo", MW_ROLE_DUTY, hash, (int64_t)time(NULL),
                           &err);
  mw_store_close(st);
  free(hash);
  if (rc) mw_cli_error("%s", err.msg);
  return rc ? MW_EXIT_FAIL : MW_EXIT_OK;
}

int mw_cmd_demo(int argc, char **argv) {
  static const struct option opts[] = {
      {"out", required_argument, NULL, 'o'},
      {"port", required_argument, NULL, 'p'},
      {"config", required_argument, NULL, 'c'},
      {"sites", required_argument, NULL, 's'},
      {"serve", required_argument, NULL, 'S'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  const char *out_dir = ".", *cfg_path = MW_SOURCE_ROOT "/examples/demo.yaml",
             *sites = MW_SOURCE_ROOT "/tests/data/sites", *serve_at = NULL;
  int64_t port = MW_FIXTURE_DEMO_PORT;
  int c;
  optind = 0;
  while ((c = getopt_long(argc, argv, "o:p:c:s:h", opts, NULL)) != -1) {
    switch (c) {
      case 'o': out_dir = optarg; break;
      case 'p':
        if (mw_parse_int64(optarg, 0, 65535, &port)) {
          mw_cli_error("--port: '%s' is not a port number", optarg);
          return MW_EXIT_USAGE;
        }
        break;
      case 'c': cfg_path = optarg; break;
      case 's': sites = optarg; break;
      case 'S': serve_at = optarg; break;
      case 'h': fputs(demo_help, stdout); return MW_EXIT_OK;
      default: fputs(demo_help, stderr); return MW_EXIT_USAGE;
    }
  }
  if (optind != argc) {
    fputs(demo_help, stderr);
    return MW_EXIT_USAGE;
  }
  struct mw_err err = {0};
  if (mkdir(out_dir, 0755) != 0 && access(out_dir, W_OK) != 0) {
    mw_cli_error("cannot write to %s", out_dir);
    return MW_EXIT_FAIL;
  }
  struct mw_fixture *fx = NULL;
  struct mw_fixture_options fo = {.root = sites, .bind_addr = "127.0.0.1",
                                  .port = (int)port};
  if (mw_fixture_start(&fo, &fx, &err) != MW_OK) {
    fo.port = 0; /* the usual port is taken: any free one will do */
    if (mw_fixture_start(&fo, &fx, &err) != MW_OK) {
      mw_cli_error("cannot start the fixture server: %s", err.msg);
      return MW_EXIT_FAIL;
    }
  }
  /* The receivers' addresses and secrets come from the environment, as
   * they must in a real config: set them before the config is read. */
  if (set_receivers(fx, mw_fixture_base_url(fx))) {
    mw_cli_error("out of memory");
    mw_fixture_stop(fx);
    return MW_EXIT_FAIL;
  }
  struct mw_config *cfg = NULL;
  if (mw_config_load(cfg_path, &cfg, &err)) {
    mw_cli_error("%s", err.msg);
    mw_fixture_stop(fx);
    return MW_EXIT_USAGE;
  }
  printf("fixture sites: %s served at %s\n", sites, mw_fixture_base_url(fx));
  int status = MW_EXIT_FAIL;
  if (rebase_urls(cfg, mw_fixture_base_url(fx)) ||
      fresh_database(cfg, out_dir)) {
    mw_cli_error("out of memory");
    mw_config_free(cfg);
    mw_fixture_stop(fx);
    return MW_EXIT_FAIL;
  }
  printf("database: %s (fresh)\n", cfg->storage_path);
  struct mw_session s;
  int rc = mw_session_open(&s, NULL, cfg, &err);
  if (!rc) rc = mw_session_crawl_once(&s, &err);
  if (rc) {
    mw_cli_error("%s", err.msg);
  } else {
    printf("crawl of %zu sources:\n", s.n_sources);
    mw_session_print_summary(&s, stdout, true);
    status = show_alerts(&s, fx, out_dir);
    if (status == MW_EXIT_OK) status = show_health(&s);
    if (status == MW_EXIT_OK) status = write_reports(&s, out_dir);
    if (status == MW_EXIT_OK)
      printf("done: the .md reports read best; the database is %s\n",
             s.cfg->storage_path);
  }
  /* The dashboard outlives the crawl: keep the config, let the rest go. */
  struct mw_config *kept = NULL;
  char pw[32];
  if (status == MW_EXIT_OK && serve_at) {
    status = add_demo_user(s.cfg, pw, sizeof pw);
    kept = s.cfg;
    s.cfg = NULL;
  }
  mw_session_close(&s);
  mw_fixture_stop(fx);
  if (status == MW_EXIT_OK && kept) {
    printf("dashboard: sign in as demo with the password %s\n", pw);
    fflush(stdout);
    status = mw_cli_serve(kept, serve_at);
  }
  mw_config_free(kept);
  return status;
}
