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
    "check      loads the config and compiles its topics and lexicon without\n"
    "           touching the database; prints FILE:LINE:COL and what is wrong\n"
    "           (for a rule, its line with a caret under the spot) and a\n"
    "           summary; exits 2 when anything is wrong\n"
    "reference  prints every option with its type, bounds and default\n";

static int cmd_check(const char *path) {
  struct mw_err err = {0};
  struct mw_config *cfg = NULL;
  struct mw_matcher *m = NULL;
  if (mw_config_load(path, &cfg, &err)) {
    mw_cli_error("%s", err.msg);
    return MW_EXIT_USAGE;
  }
  if (mw_matcher_new_config(cfg, &m, &err)) {
    mw_cli_error("%s: %s", cfg->path, err.msg);
    mw_config_free(cfg);
    return MW_EXIT_USAGE;
  }
  size_t sources = 0;
  for (size_t i = 0; i < cfg->n_outlets; i++) sources += cfg->outlets[i].n_sources;
  size_t bad = mw_matcher_error_count(m);
  mw_cli_print_rule_errors(cfg, m, "");
  struct mw_matcher_stats st;
  mw_matcher_stats(m, &st);
  printf("%s: %s: %zu outlets, %zu sources, %zu topics, %zu targets; "
         "database %s; time zone %s\n",
         cfg->path, bad ? "errors" : "ok", cfg->n_outlets, sources,
         cfg->n_topics, cfg->n_targets, cfg->storage_path, mw_tz_name(cfg->tz));
  printf("matcher: %zu literals, %zu regexes in a %zu KB pattern database",
         st.literals, st.regexes, (st.db_bytes + 1023) / 1024);
  if (cfg->sensitivity.lexicon)
    printf("; lexicon %s: %zu entries", cfg->sensitivity.lexicon,
           st.lexicon_entries);
  fputc('\n', stdout);
  if (st.regexes_ungated)
    printf("note: %zu regexes have no plain text that must occur, so they run "
           "on every document their topic reaches\n", st.regexes_ungated);
  if (bad)
    printf("%zu rule%s did not compile: those topics never match until "
           "fixed; the others work\n", bad, bad == 1 ? "" : "s");
  mw_matcher_free(m);
  mw_config_free(cfg);
  return bad ? MW_EXIT_USAGE : MW_EXIT_OK;
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
