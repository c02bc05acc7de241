/*
 * cmd_crawl.c: `mediawatch crawl --once` and `mediawatch run`, the two ways
 * of driving the crawl session.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "web/web.h"
#include "cli/session.h"

static const char crawl_help[] =
    "usage: mediawatch crawl --once [--config FILE] [--quiet]\n\n"
    "Polls every source of the config once, stores new articles and their\n"
    "topic matches, and prints a summary: sources ok / not modified /\n"
    "failed with the reason, new articles, matches per topic.\n"
    "A failed source is recorded on the source; the others carry on.\n\n"
    "  -c, --config FILE  config file (default mediawatch.yaml)\n"
    "      --once         poll once and exit (required for now: 'run' polls\n"
    "                     on schedule)\n"
    "  -q, --quiet        no progress line, summary totals only\n"
    "Exit status: 0 all sources answered, 1 some failed, 2 bad usage or config.\n";

static const char run_help[] =
    "usage: mediawatch run [--listen ADDR:PORT] [--config FILE]\n\n"
    "The daemon: polls every source on its schedule (poll interval with\n"
    "jitter, backoff after failures, Retry-After honoured) and sends alerts\n"
    "until SIGINT or SIGTERM, then finishes the writes in flight and exits\n"
    "cleanly. With --listen it also serves the dashboard and JSON API (as\n"
    "mediawatch serve) from the same process.\n\n"
    "  -l, --listen ADDR:PORT  serve the dashboard there (serve.listen of\n"
    "                          the config is the usual value)\n"
    "  -c, --config FILE       config file (default mediawatch.yaml)\n";

static int finish(struct mw_session *s, int rc, const struct mw_err *err) {
  if (rc) mw_cli_error("%s", err->msg);
  mw_session_close(s);
  return rc == MW_OK ? MW_EXIT_OK
         : (rc == MW_EINVAL || rc == MW_ENOTFOUND) ? MW_EXIT_USAGE
                                                  : MW_EXIT_FAIL;
}

int mw_cmd_crawl(int argc, char **argv) {
  static const struct option opts[] = {
      {"config", required_argument, NULL, 'c'},
      {"once", no_argument, NULL, 'o'},
      {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  const char *cfg_path = MW_DEFAULT_CONFIG;
  bool once = false, quiet = false;
  int c;
  optind = 0;
  while ((c = getopt_long(argc, argv, "c:qh", opts, NULL)) != -1) {
    switch (c) {
      case 'c': cfg_path = optarg; break;
      case 'o': once = true; break;
      case 'q': quiet = true; break;
      case 'h': fputs(crawl_help, stdout); return MW_EXIT_OK;
      default: fputs(crawl_help, stderr); return MW_EXIT_USAGE;
    }
  }
  if (!once || optind != argc) {
    mw_cli_error("crawl needs --once (use 'mediawatch run' to poll on schedule)");
    return MW_EXIT_USAGE;
  }
  struct mw_session s;
  struct mw_err err = {0};
  int rc = mw_session_open(&s, cfg_path, NULL, &err);
  if (rc) return finish(&s, rc, &err);
  if (quiet) s.progress = false;
  rc = mw_session_crawl_once(&s, &err);
  if (rc) return finish(&s, rc, &err);
  mw_session_print_summary(&s, stdout, !quiet);
  size_t n;
  const struct mw_poll_summary *polls = mw_pipeline_polls(s.pipeline, &n);
  int status = MW_EXIT_OK;
  for (size_t i = 0; i < n; i++)
    if (polls[i].status == MW_FETCH_FAILED || polls[i].status == MW_FETCH_DENIED)
      status = MW_EXIT_FAIL;
  mw_session_close(&s);
  return status;
}

int mw_cmd_run(int argc, char **argv) {
  static const struct option opts[] = {
      {"config", required_argument, NULL, 'c'},
      {"listen", required_argument, NULL, 'l'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  const char *cfg_path = MW_DEFAULT_CONFIG, *listen = NULL;
  int c;
  optind = 0;
  while ((c = getopt_long(argc, argv, "c:l:h", opts, NULL)) != -1) {
    switch (c) {
      case 'c': cfg_path = optarg; break;
      case 'l': listen = optarg; break;
      case 'h': fputs(run_help, stdout); return MW_EXIT_OK;
      default: fputs(run_help, stderr); return MW_EXIT_USAGE;
    }
  }
  if (optind != argc) {
    fputs(run_help, stderr);
    return MW_EXIT_USAGE;
  }
  struct mw_session s;
  struct mw_err err = {0};
  int rc = mw_session_open(&s, cfg_path, NULL, &err);
  if (rc) return finish(&s, rc, &err);
  struct mw_web *web = NULL;
  if (listen) {
    struct mw_web_options o = {.cfg = s.cfg,
                               .listen = listen,
                               .loop_lag_us = mw_session_loop_lag_us,
                               .loop_lag_ctx = &s};
    if ((rc = mw_web_start(&o, &web, &err))) return finish(&s, rc, &err);
    fprintf(stderr, "mediawatch: serving %s\n", mw_web_url(web));
  }
  fprintf(stderr, "mediawatch: polling %zu sources; SIGINT or SIGTERM stops\n",
          s.n_sources);
  rc = mw_session_run(&s, &err);
  mw_web_stop(web);
  if (rc == MW_OK) {
    fprintf(stderr, "mediawatch: stopped after %lld polls, %lld new articles\n",
            (long long)mw_pipeline_polls_done(s.pipeline),
            (long long)mw_pipeline_new_articles(s.pipeline));
  }
  return finish(&s, rc, &err);
}
