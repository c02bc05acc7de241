/*
 * cmd_serve.c: `mediawatch serve`: the dashboard and JSON API over the
 * config's database, until SIGINT or SIGTERM. It may run beside a crawler
 * writing the same database in another process (`mediawatch run`), or
 * the crawler may serve too (`mediawatch run --listen`).
 *
 * What it leaves to others: everything served (web/).
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "store/store.h"
#include "web/web.h"

static const char serve_help[] =
    "usage: mediawatch serve [--listen ADDR:PORT] [--config FILE]\n\n"
    "Serves the dashboard (概览, 预警, 检索, 信源, 报告) and the JSON API\n"
    "until SIGINT or SIGTERM. Sign-in needs a user: 'mediawatch users add'.\n"
    "The database is created when there is none yet. Listens on the\n"
    "config's serve.listen (default 127.0.0.1:8080, loopback only); serve\n"
    "other machines through a TLS proxy and set serve.cookie_secure.\n\n"
    "  -l, --listen ADDR:PORT  listen there instead (port 0: any free port)\n"
    "  -c, --config FILE       config file (default mediawatch.yaml)\n";

int mw_cli_serve(const struct mw_config *cfg, const char *listen) {
  struct mw_err err = {0};
  /* The server's threads inherit this mask, so the signals reach sigwait
   * below and nothing else. */
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, NULL);
  struct mw_web *web = NULL;
  struct mw_web_options o = {.cfg = cfg, .listen = listen};
  if (mw_web_start(&o, &web, &err)) {
    mw_cli_error("%s", err.msg);
    return err.code == MW_EINVAL ? MW_EXIT_USAGE : MW_EXIT_FAIL;
  }
  fprintf(stderr, "mediawatch: serving %s; SIGINT or SIGTERM stops\n",
          mw_web_url(web));
  int sig = 0;
  sigwait(&stop, &sig);
  fprintf(stderr, "mediawatch: %s received, stopping\n",
          sig == SIGINT ? "SIGINT" : "SIGTERM");
  mw_web_stop(web);
  return MW_EXIT_OK;
}

int mw_cmd_serve(int argc, char **argv) {
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
      case 'h': fputs(serve_help, stdout); return MW_EXIT_OK;
      default: fputs(serve_help, stderr); return MW_EXIT_USAGE;
    }
  }
  if (optind != argc) {
    fputs(serve_help, stderr);
    return MW_EXIT_USAGE;
  }
  struct mw_config *cfg = NULL;
  struct mw_err err = {0};
  if (mw_config_load(cfg_path, &cfg, &err)) {
    mw_cli_error("%s", err.msg);
    return MW_EXIT_USAGE;
  }
  /* Creates (or migrates) the database before the server's own handles
   * open it, so a first `serve` works on an empty install, and records the
   * config's outlets and sources as a crawl would, so the sources page
   * lists them before the first poll. */
  struct mw_store *st = NULL;
  if (mw_store_open(cfg->storage_path, &st, &err) ||
      mw_store_sync_config(st, cfg, &err)) {
    mw_store_close(st);
    mw_cli_error("%s", err.msg);
    mw_config_free(cfg);
    return MW_EXIT_FAIL;
  }
  mw_store_close(st);
  int rc = mw_cli_serve(cfg, listen);
  mw_config_free(cfg);
  return rc;
}
