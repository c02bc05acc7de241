/*
 * config_load.h: private to cli/. The state of one configuration load and
 * the helpers that config.c (the walk over the YAML tree, the checks of the
 * first sections) shares with config_alerts.c (the checks across the
 * alerts section). Nothing here outlives mw_config_load.
 */
#ifndef MW_CLI_CONFIG_LOAD_H
#define MW_CLI_CONFIG_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/config_table.h"
#include "cli/config_yaml.h"
#include "common/common.h"

/* Bytes of a value quoted back in a message. */
#define MW_CFG_QUOTE_MAX 80

/* A value that must be unique within its section, for the final check. */
struct mw_cfg_uniq {
  const char *s; /* owned by the config */
  const struct mw_cfg_node *at;
  size_t ord; /* order of appearance in the file */
};

struct mw_cfg_uniq_list {
  struct mw_cfg_uniq *v;
  size_t n, cap;
};

struct mw_cfg_node_list {
  const struct mw_cfg_node **v;
  size_t n, cap;
};

/* One load. Nodes point into the YAML tree, freed when the load ends. */
struct mw_cfg_loader {
  const char *name; /* the file, as messages name it */
  struct mw_err *err;
  struct mw_config *cfg;
  /* Per section, sorted by value once the walk is done (mw_cfg_defined
   * searches them then). */
  struct mw_cfg_uniq_list uniq[MW_CFG_SECTION_COUNT];
  size_t ord;
  const struct mw_cfg_node *tz_at; /* the timezone value, if given */
  /* The mapping of every list item, per section, in file order: item i of
   * the config's array is items[sec].v[i] for every section that is one
   * list (all but sources, which are gathered across outlets). */
  struct mw_cfg_node_list items[MW_CFG_SECTION_COUNT];
  /* The mapping of each nested section (crawler, sensitivity, alerts), or
   * NULL when the file does not have it. */
  const struct mw_cfg_node *map_at[MW_CFG_SECTION_COUNT];
};

/* Sets L->err to "FILE:LINE:COL: message" at node n; returns MW_EINVAL. */
int mw_cfg_fail_at(struct mw_cfg_loader *L, const struct mw_cfg_node *n,
                   const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Sets L->err to "FILE: out of memory"; returns MW_ENOMEM. */
int mw_cfg_nomem(struct mw_cfg_loader *L);
/* s cut to MW_CFG_QUOTE_MAX bytes (never inside a character, "..." when
 * cut) into buf, for messages. */
void mw_cfg_quote(const char *s, char *buf, size_t size);
/* The key node named key in mapping map (its value is ->next), or NULL. */
const struct mw_cfg_node *mw_cfg_key(const struct mw_cfg_node *map,
                                     const char *key);
/* Whether s is among the values of u (once sorted). */
bool mw_cfg_defined(const struct mw_cfg_uniq_list *u, const char *s);
/* Makes a relative *path relative to the config file's folder. */
int mw_cfg_resolve_path(struct mw_cfg_loader *L, char **path);

/* config_alerts.c: checks the alerts section once the walk is done and
 * the unique names sorted: receivers per kind (and no secret in clear),
 * names that routes, people and the roster refer to, day words, the order
 * of deadlines and escalation times; parses the roster's days and
 * resolves its paths. */
int mw_cfg_check_alerts(struct mw_cfg_loader *L);
/* Frees what the alerts section owns (not a itself). */
void mw_cfg_alerts_free(struct mw_alerts_conf *a);

#endif
