/*
 * commands.c: the subcommand table, top-level help and the helpers every
 * subcommand shares for reporting errors.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "matchers/matchers.h"
#include "store/store.h"

static const struct {
  const char *name;
  int (*run)(int, char **);
  const char *summary;
} commands[] = {
    {"crawl", mw_cmd_crawl, "poll every source once (--once), store, summarise"},
    {"run", mw_cmd_run, "the daemon: poll on schedule until SIGINT/SIGTERM"},
    {"rematch", mw_cmd_rematch, "match stored articles again after a rule change"},
    {"rules", mw_cmd_rules, "what an edited config's topics would change (diff)"},
    {"alerts", mw_cmd_alerts, "the on-duty workflow: list, show, ack, assign, close, silence"},
    {"serve", mw_cmd_serve, "the dashboard and JSON API (alerts, search, coverage, reports)"},
    {"users", mw_cmd_users, "who may sign in to the dashboard: add, passwd, role, remove, list"},
    {"report", mw_cmd_report, "coverage report of a week, month or range (md, csv, json, html)"},
    {"bulletin", mw_cmd_bulletin, "draft a work bulletin (工作简报) from a range of days"},
    {"sources", mw_cmd_sources, "check a feed, import or export OPML"},
    {"demo", mw_cmd_demo, "crawl the bundled fixture sites and write reports"},
    {"config", mw_cmd_config, "check a config file or print the reference"},
    {"match", mw_cmd_match, "try topics and sensitivity on texts: what matches and why"},
};

void mw_cli_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("mediawatch: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

void mw_cli_print_rule_errors(const struct mw_config *cfg,
                              const struct mw_matcher *m, const char *prefix) {
  for (size_t i = 0; i < mw_matcher_error_count(m); i++) {
    const struct mw_rule_error *e = mw_matcher_error(m, i);
    if (e->conf_line && e->conf_col)
      fprintf(stderr, "%s%s:%d:%d: %s\n", prefix, cfg->path, e->conf_line,
              e->conf_col, e->message);
    else if (e->conf_line)
      fprintf(stderr, "%s%s:%d: %s\n", prefix, cfg->path, e->conf_line,
              e->message);
    else
      fprintf(stderr, "%s%s\n", prefix, e->message);
    if (*e->excerpt) fprintf(stderr, "    %s\n    %s\n", e->excerpt, e->caret);
  }
}

int mw_cli_open_store(const struct mw_config *cfg, struct mw_store **out) {
  *out = NULL;
  struct stat sb;
  if (stat(cfg->storage_path, &sb) != 0) {
    mw_cli_error("no database at %s yet: run 'mediawatch crawl --once' first",
                 cfg->storage_path);
    return MW_EXIT_FAIL;
  }
  struct mw_err err = {0};
  if (mw_store_open(cfg->storage_path, out, &err)) {
    mw_cli_error("%s", err.msg);
    return MW_EXIT_FAIL;
  }
  return MW_EXIT_OK;
}

int mw_cli_wants_help(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) return 1;
  return 0;
}

static void usage(FILE *out) {
  fputs("usage: mediawatch COMMAND [OPTIONS]\n\n"
        "Media monitoring for publicity offices: crawls news outlets,\n"
        "government portals and official accounts, counts coverage of\n"
        "campaigns by topic and outlet, and reports it.\n\ncommands:\n",
        out);
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
  fputs("\n'mediawatch COMMAND --help' shows a command's options.\n"
        "The config is mediawatch.yaml in the current folder unless\n"
        "--config FILE is given.\n",
        out);
}

int mw_cli_main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return MW_EXIT_USAGE;
  }
  if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
      !strcmp(argv[1], "help")) {
    usage(stdout);
    return MW_EXIT_OK;
  }
  if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
    puts("mediawatch " MW_VERSION);
    return MW_EXIT_OK;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (!strcmp(argv[1], commands[i].name))
      return commands[i].run(argc - 1, argv + 1);
  mw_cli_error("unknown command '%s'; 'mediawatch --help' lists them", argv[1]);
  return MW_EXIT_USAGE;
}
