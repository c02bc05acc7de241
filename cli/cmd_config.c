/*
 * cmd_config.c: `mediawatch config check|reference`: try a config before
 * the daemon does, and print the reference of every option.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "matchers/matchers.h"

static const char config_help[] =
    "usage: mediawatch config check [--config FILE]\n"
    "       mediawatch config reference\n\n"
    "check      loads the config and compiles its topics without touching the\n"
    "           database; prints FILE:LINE:COL and what is wrong, or a summary\n"
    "reference  prints every option with its type, bounds and default\n";

static int cmd_check(const char *path) {
  struct mw_err err = {0};
  struct mw_config *cfg = NULL;
  struct mw_matcher *m = NULL;
  if (mw_config_load(path, &cfg, &err)) {
    mw_cli_error("%s", err.msg);
    return MW_EXIT_USAGE;
  }
  if (mw_matcher_new(cfg->topics, cfg->n_topics, &m, &err)) {
    mw_cli_error("%s: %s", cfg->path, err.msg);
    mw_config_free(cfg);
    return MW_EXIT_USAGE;
  }
  size_t sources = 0;
  for (size_t i = 0; i < cfg->n_outlets; i++) sources += cfg->outlets[i].n_sources;
  printf("%s: ok: %zu outlets, %zu sources, %zu topics, %zu targets; "
         "database %s; time zone %s\n",
         cfg->path, cfg->n_outlets, sources, cfg->n_topics, cfg->n_targets,
         cfg->storage_path, mw_tz_name(cfg->tz));
  mw_matcher_free(m);
  mw_config_free(cfg);
  return MW_EXIT_OK;
}

int mw_cmd_config(int argc, char **argv) {
  static const struct option opts[] = {
      {"config", required_argument, NULL, 'c'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  const char *path = MW_DEFAULT_CONFIG;
  int c;
  optind = 0;
  while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
    switch (c) {
      case 'c': path = optarg; break;
      case 'h': fputs(config_help, stdout); return MW_EXIT_OK;
      default: fputs(config_help, stderr); return MW_EXIT_USAGE;
    }
  }
  int rest = argc - optind;
  if (rest == 1 && !strcmp(argv[optind], "check")) return cmd_check(path);
  if (rest == 1 && !strcmp(argv[optind], "reference")) {
    mw_config_write_reference(stdout);
    return MW_EXIT_OK;
  }
  fputs(config_help, stderr);
  return MW_EXIT_USAGE;
}
