/*
 * commands.h (private to cli/): one function per subcommand, each taking
 * the arguments from the subcommand's name on and returning the exit
 * status. Exit statuses: 0 success, 1 the work failed (a source, the
 * store), 2 the command line or the config is wrong.
 */
#ifndef MW_CLI_COMMANDS_H
#define MW_CLI_COMMANDS_H

#include <stdbool.h>
#include <stdio.h>

#define MW_EXIT_OK 0
#define MW_EXIT_FAIL 1
#define MW_EXIT_USAGE 2
#define MW_DEFAULT_CONFIG "mediawatch.yaml"

int mw_cmd_crawl(int argc, char **argv);
int mw_cmd_run(int argc, char **argv);
int mw_cmd_report(int argc, char **argv);
int mw_cmd_bulletin(int argc, char **argv);
int mw_cmd_rematch(int argc, char **argv);
int mw_cmd_rules(int argc, char **argv);
int mw_cmd_demo(int argc, char **argv);
int mw_cmd_sources(int argc, char **argv);
/* `sources health`: the survey of every source; MW_EXIT_FAIL also when a
 * source is degraded or broken. cfg_path NULL: the default config. */
int mw_cmd_sources_health(const char *cfg_path, bool as_json);
int mw_cmd_config(int argc, char **argv);
int mw_cmd_match(int argc, char **argv);
int mw_cmd_alerts(int argc, char **argv);
int mw_cmd_serve(int argc, char **argv);
int mw_cmd_users(int argc, char **argv);

/* Prints "mediawatch: <msg>" to stderr; for every command's errors. */
void mw_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Every rule (or lexicon line) that did not compile, as FILE:LINE:COL:
 * message, then the rule's line with a caret under the spot, on stderr;
 * each first line starts with prefix ("" or "mediawatch: warning: "). */
struct mw_config;
struct mw_matcher;
void mw_cli_print_rule_errors(const struct mw_config *cfg,
                              const struct mw_matcher *m, const char *prefix);
/* The document the matcher reads of a stored article (strings borrowed):
 * rematch and rules diff match the archive alike. */
struct mw_stored_article;
struct mw_doc;
void mw_cli_doc_of_stored(const struct mw_stored_article *a,
                          struct mw_doc *doc);
/* Opens the store of cfg for a command that reads what a crawl stored:
 * says so and returns MW_EXIT_FAIL when there is no database yet or it
 * cannot be opened, MW_EXIT_OK with *out set otherwise. */
struct mw_store;
int mw_cli_open_store(const struct mw_config *cfg, struct mw_store **out);
/* Serves the dashboard of cfg's database at listen (NULL: the config's)
 * until SIGINT or SIGTERM, which it blocks in the calling thread (call it
 * before other threads start, or after they end). Shared by serve and
 * demo --serve. */
int mw_cli_serve(const struct mw_config *cfg, const char *listen);
/* True when argv holds -h or --help anywhere after the subcommand. */
int mw_cli_wants_help(int argc, char **argv);

/* Writes the coverage report of one ISO week from the store at the
 * config's storage path to out. Shared by report and demo. */
struct mw_config;
struct mw_store;
int mw_cli_write_week_report(const struct mw_config *cfg, struct mw_store *st,
                             int iso_year, int iso_week, int format,
                             FILE *out, char *errbuf, size_t errlen);

#endif
