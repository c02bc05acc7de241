/*
 * cmd_demo.c: `mediawatch demo`: the whole pipeline on the bundled fixture
 * sites, on loopback. Starts the fixture server, crawls it with
 * examples/demo.yaml into a fresh database, and writes the coverage report
 * of every week the fixtures cover.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/session.h"
#include "report/report.h"
#include "tests/fixture/fixture.h"

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
    "fixtures cover (Markdown, CSV and JSON) into DIR.\n\n"
    "  -o, --out DIR      where the database and reports go (default .)\n"
    "  -p, --port N       fixture server port (default 18931; another free\n"
    "                     port is used when it is taken)\n"
    "  -c, --config FILE  demo config (default " MW_SOURCE_ROOT
    "/examples/demo.yaml)\n"
    "  -s, --sites DIR    fixture sites (default " MW_SOURCE_ROOT
    "/tests/data/sites)\n";

/* Points every source of the demo config at the port actually served. */
static int rebase_sources(struct mw_config *cfg, const char *base) {
  size_t olen = strlen(DEMO_ORIGIN);
  for (size_t i = 0; i < cfg->n_outlets; i++) {
    for (size_t k = 0; k < cfg->outlets[i].n_sources; k++) {
      char **url = &cfg->outlets[i].sources[k].url;
      if (strncmp(*url, DEMO_ORIGIN, olen)) continue;
      struct mw_buf b;
      mw_buf_init(&b, 8192);
      if (mw_buf_puts(&b, base) || mw_buf_puts(&b, *url + olen)) {
        mw_buf_cleanup(&b);
        return MW_ENOMEM;
      }
      free(*url);
      *url = mw_buf_steal(&b);
    }
  }
  return MW_OK;
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
                                                  MW_REPORT_JSON};
  struct mw_civil c;
  mw_tz_to_civil(s->cfg->tz, min, &c);
  int y, w, last_y, last_w;
  mw_iso_week_of(c.year, c.month, c.day, &y, &w);
  mw_tz_to_civil(s->cfg->tz, max, &c);
  mw_iso_week_of(c.year, c.month, c.day, &last_y, &last_w);
  printf("reports:\n");
  for (int guard = 0; guard < 60; guard++) {
    for (size_t f = 0; f < 3; f++) {
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

int mw_cmd_demo(int argc, char **argv) {
  static const struct option opts[] = {
      {"out", required_argument, NULL, 'o'},
      {"port", required_argument, NULL, 'p'},
      {"config", required_argument, NULL, 'c'},
      {"sites", required_argument, NULL, 's'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  const char *out_dir = ".", *cfg_path = MW_SOURCE_ROOT "/examples/demo.yaml",
             *sites = MW_SOURCE_ROOT "/tests/data/sites";
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
      case 'h': fputs(demo_help, stdout); return MW_EXIT_OK;
      default: fputs(demo_help, stderr); return MW_EXIT_USAGE;
    }
  }
  if (optind != argc) {
    fputs(demo_help, stderr);
    return MW_EXIT_USAGE;
  }
  struct mw_err err = {0};
  struct mw_config *cfg = NULL;
  if (mw_config_load(cfg_path, &cfg, &err)) {
    mw_cli_error("%s", err.msg);
    return MW_EXIT_USAGE;
  }
  if (mkdir(out_dir, 0755) != 0 && access(out_dir, W_OK) != 0) {
    mw_cli_error("cannot write to %s", out_dir);
    mw_config_free(cfg);
    return MW_EXIT_FAIL;
  }
  struct mw_fixture *fx = NULL;
  struct mw_fixture_options fo = {.root = sites, .bind_addr = "127.0.0.1",
                                  .port = (int)port};
  if (mw_fixture_start(&fo, &fx, &err) != MW_OK) {
    fo.port = 0; /* the usual port is taken: any free one will do */
    if (mw_fixture_start(&fo, &fx, &err) != MW_OK) {
      mw_cli_error("cannot start the fixture server: %s", err.msg);
      mw_config_free(cfg);
      return MW_EXIT_FAIL;
    }
  }
  printf("fixture sites: %s served at %s\n", sites, mw_fixture_base_url(fx));
  int status = MW_EXIT_FAIL;
  if (rebase_sources(cfg, mw_fixture_base_url(fx)) ||
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
    status = write_reports(&s, out_dir);
    if (status == MW_EXIT_OK)
      printf("done: the .md reports read best; the database is %s\n",
             s.cfg->storage_path);
  }
  mw_session_close(&s);
  mw_fixture_stop(fx);
  return status;
}
