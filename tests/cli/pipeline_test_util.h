/*
 * pipeline_test_util.h: what the tests of cli/pipeline_work.c share: a
 * config loaded from YAML, a store in a fresh temporary folder synchronised
 * with it, and the first source's id, config and names filled in as the
 * crawl session would.
 */
#ifndef MW_TESTS_CLI_PIPELINE_TEST_UTIL_H
#define MW_TESTS_CLI_PIPELINE_TEST_UTIL_H

#include "cli/pipeline_int.h"

struct pw_env {
  char dir[256], db[300];
  struct mw_config *cfg;
  struct mw_store *s;
  struct mw_cli_source src; /* the config's first source */
};

/* Loads yaml, creates the folder (under $TMPDIR) and the store, and fills
 * e->src from the first outlet's first source (url, kind, outlet name).
 * Fails the test on any error. */
void pw_open(struct pw_env *e, const char *yaml);
/* Closes the store, frees the config, removes the folder. */
void pw_close(struct pw_env *e);

#endif
