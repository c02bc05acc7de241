/*
 * cmd_rules.h (private to cli/cmd_rules*.c): what `rules diff` found, shared
 * by the walk over the archive (cmd_rules.c) and its output as text or
 * JSON (cmd_rules_print.c).
 */
#ifndef MW_CLI_CMD_RULES_H
#define MW_CLI_CMD_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "matchers/matchers.h"
#include "report/report.h"
#include "store/store.h"

enum change { CHANGED, ADDED, REMOVED };

/* One article shown as an example; strings malloc'd. */
struct example {
  int64_t when, id; /* counted_at, for newest first */
  char *title, *outlet, *url;
};

/* The newest max examples seen so far, newest first. */
struct examples {
  struct example *v;
  size_t n;
};

/* A topic that differs between the two configs. */
struct topic_diff {
  const char *name; /* points into a config */
  enum change change;
  size_t new_index; /* in the new config and matcher; not for REMOVED */
  bool evaluated;   /* false: its new rule does not compile */
  int64_t before, after, added, removed;
  struct examples plus, minus;
};

/* One verdict the new rules change: topic (an index into topics) gained
 * or lost by an article. */
struct match_change {
  int64_t article_id;
  uint32_t topic;
  bool add;
};

struct rules_diff {
  const struct mw_config *cur, *next;
  const struct mw_matcher *m;
  struct mw_store *store;
  struct topic_diff *topics;
  size_t n_topics;
  size_t max_examples;
  struct mw_topic_result *results;
  int64_t articles;
  struct match_change *changes; /* found by the walk, applied (and rolled
                                   back) to count the targets */
  size_t n_changes, cap_changes;
  struct mw_err *err;
};

/* One target as counted before or after. */
struct target_row {
  const char *name;
  int64_t count, min;
  enum mw_target_status status;
};

struct target_diff {
  const struct target_row *before, *after; /* either may be NULL */
};

/* The day of t in cfg's zone as YYYY-MM-DD into buf (16 bytes do). */
void mw_rules_local_day(const struct mw_config *cfg, int64_t t, char *buf,
                        size_t n);
/* Prints the topics (with their examples) and, when the configs have
 * targets, the targets that change. */
void mw_rules_print_text(const struct rules_diff *r,
                         const struct target_diff *td, size_t n_td,
                         bool any_targets);
/* The whole diff as one JSON object on stdout; MW_ENOMEM when it cannot
 * be built. db is the database's path. */
int mw_rules_print_json(const struct rules_diff *r, const char *db,
                        const struct target_diff *td, size_t n_td);

#endif
