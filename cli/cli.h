/*
 * cli.h: the mediawatch command line: configuration loading and one entry
 * point per subcommand. Only this folder prints and exits; the libraries
 * return statuses and error messages.
 */
#ifndef MW_CLI_H
#define MW_CLI_H

#include <stdio.h>

#include "common/common.h"

/* ------------------------------------------------------------ config */

/* Loads and validates the YAML config at path. Every problem is reported
 * as "FILE:LINE:COL: what is wrong" in err: a YAML syntax error, an unknown
 * key (with the nearest known key suggested), a wrong type, a value out of
 * bounds, a missing required field, a duplicate outlet or source. Relative
 * storage paths are resolved against the config file's folder. Nothing is
 * touched but the file read. On success the caller frees *out with
 * mw_config_free. */
int mw_config_load(const char *path, struct mw_config **out,
                   struct mw_err *err);
/* Same, from a string (for tests and `demo`); name is used in messages. */
int mw_config_load_string(const char *yaml, size_t len, const char *name,
                          struct mw_config **out, struct mw_err *err);
void mw_config_free(struct mw_config *cfg);

/* Writes the reference of every option (name, type, bounds, default, one
 * line of documentation), from the same table the loader checks against,
 * as Markdown. The README's config reference is this output. */
void mw_config_write_reference(FILE *out);

/* -------------------------------------------------------- subcommands */

/* Each takes the arguments after the subcommand name (argv[0] is the
 * subcommand) and returns the process exit status. */
int mw_cli_main(int argc, char **argv);

#endif
