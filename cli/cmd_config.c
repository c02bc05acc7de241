/*
 * cmd_config.c: `mediawatch config check|reference`: try a config before
 * the daemon does, and print the reference of every option.
 *
 * check also looks, for each receiver of the alerts section, at where its
 * address and secret come from: the environment variable is set, the file
 * can be read and is private to its owner (mode 0600 or stricter), the
 * exec command can be run. It never prints a secret, only where it is.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "matchers/matchers.h"

static const char config_help[] =
    "usage: mediawatch config check [--config FILE]\n"
    "       mediawatch config reference\n\n"
    "check      loads the config and compiles its topics and lexicon without\n"
    "           touching the database; prints FILE:LINE:COL and what is wrong\n"
    "           (for a rule, its line with a caret under the spot), whether\n"
    "           each alert receiver's url_env/url_file/secret_env/secret_file\n"
    "           is set, readable and private (chmod 600), and a summary;\n"
    "           exits 2 when anything is wrong\n"
    "reference  prints every option with its type, bounds and default\n";

/* The environment variable var (the receiver's key names it) is set and
 * not empty. */
static bool env_ready(const char *who, const char *key, const char *var) {
  const char *v = getenv(var);
  if (!v || !*v) {
    mw_cli_error("receiver '%s': %s %s is %s in this environment: set it "
                 "where mediawatch runs", who, key, var, v ? "empty" : "not set");
    return false;
  }
  printf("receiver '%s': %s %s is set\n", who, key, var);
  return true;
}

/* The file can be read, is a regular file that is not empty, and no one
 * but its owner may read or change it. */
static bool file_ready(const char *who, const char *key, const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    int e = errno;
    if (fd >= 0) close(fd);
    mw_cli_error("receiver '%s': %s %s cannot be read: %s", who, key, path,
                 strerror(e));
    return false;
  }
  close(fd);
  unsigned mode = (unsigned)st.st_mode & 07777;
  const char *bad = NULL;
  if (!S_ISREG(st.st_mode)) bad = "is not a regular file";
  else if (st.st_size == 0) bad = "is empty";
  if (bad) {
    mw_cli_error("receiver '%s': %s %s %s", who, key, path, bad);
    return false;
  }
  if (mode & 077) {
    mw_cli_error("receiver '%s': %s %s is %s by others (mode %04o): chmod 600 "
                 "%s", who, key, path,
                 (mode & 044) ? "readable" : (mode & 022) ? "writable" : "usable",
                 mode, path);
    return false;
  }
  printf("receiver '%s': %s %s is private to its owner (mode %04o)\n", who,
         key, path, mode);
  return true;
}

/* Where each receiver's address and secret come from; the number of
 * receivers that cannot be used as they are. */
static size_t check_receivers(const struct mw_alerts_conf *a) {
  size_t bad = 0;
  for (size_t i = 0; i < a->n_receivers; i++) {
    const struct mw_receiver_conf *r = &a->receivers[i];
    bool ok = true;
    if (r->url)
      printf("receiver '%s': url written in the config (no secret in it)\n",
             r->name);
    if (r->url_env) ok &= env_ready(r->name, "url_env", r->url_env);
    if (r->url_file) ok &= file_ready(r->name, "url_file", r->url_file);
    if (r->secret_env) ok &= env_ready(r->name, "secret_env", r->secret_env);
    if (r->secret_file) ok &= file_ready(r->name, "secret_file", r->secret_file);
    if (r->kind == MW_RECEIVER_EXEC && r->n_command &&
        strchr(r->command[0], '/')) {
      if (access(r->command[0], X_OK) == 0) {
        printf("receiver '%s': command %s can be run\n", r->name,
               r->command[0]);
      } else {
        mw_cli_error("receiver '%s': command %s cannot be run: %s", r->name,
                     r->command[0], strerror(errno));
        ok = false;
      }
    }
    bad += !ok;
  }
  return bad;
}

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
  const struct mw_alerts_conf *al = &cfg->alerts;
  size_t bad_receivers = check_receivers(al);
  struct mw_matcher_stats st;
  mw_matcher_stats(m, &st);
  printf("%s: %s: %zu outlets, %zu sources, %zu topics, %zu targets; "
         "database %s; time zone %s\n",
         cfg->path, bad || bad_receivers ? "errors" : "ok", cfg->n_outlets,
         sources,
         cfg->n_topics, cfg->n_targets, cfg->storage_path, mw_tz_name(cfg->tz));
  printf("matcher: %zu literals, %zu regexes in a %zu KB pattern database",
         st.literals, st.regexes, (st.db_bytes + 1023) / 1024);
  if (cfg->sensitivity.lexicon)
    printf("; lexicon %s: %zu entries", cfg->sensitivity.lexicon,
           st.lexicon_entries);
  fputc('\n', stdout);
  if (al->n_receivers || al->n_routes || al->n_people || al->n_roster ||
      al->gazetteer)
    printf("alerts: %zu receivers, %zu routes, %zu people, %zu shifts; "
           "gazetteer %s\n", al->n_receivers, al->n_routes, al->n_people,
           al->n_roster, al->gazetteer ? al->gazetteer : "none");
  size_t admins = 0;
  for (size_t i = 0; i < al->n_people; i++)
    admins += al->people[i].admin && al->people[i].n_receivers;
  if (al->n_receivers && !admins)
    printf("note: no person has admin: true (with receivers): source "
           "problems (a portal redesigned, mojibake, a silent feed) are shown "
           "by `mediawatch sources health` and the dashboard only\n");
  if (st.regexes_ungated)
    printf("note: %zu regexes have no plain text that must occur, so they run "
           "on every document their topic reaches\n", st.regexes_ungated);
  if (bad)
    printf("%zu rule%s did not compile: those topics never match until "
           "fixed; the others work\n", bad, bad == 1 ? "" : "s");
  if (bad_receivers)
    printf("%zu receiver%s cannot be used as configured: fix what is said "
           "above before `mediawatch run`\n", bad_receivers,
           bad_receivers == 1 ? "" : "s");
  mw_matcher_free(m);
  mw_config_free(cfg);
  return bad || bad_receivers ? MW_EXIT_USAGE : MW_EXIT_OK;
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
