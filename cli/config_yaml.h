/*
 * config_yaml.h: private to cli/. Turns the text of a configuration file
 * into a small tree of YAML nodes (config_yaml.c) that the loader
 * (config.c) then checks against the option table. Every node keeps its
 * line and column so the loader's messages can point at it.
 */
#ifndef MW_CLI_CONFIG_YAML_H
#define MW_CLI_CONFIG_YAML_H

#include <stdbool.h>
#include <stddef.h>

#include "common/common.h"

/* Nesting deeper than this is refused. */
#define MW_CFG_YAML_MAX_DEPTH 32

enum mw_cfg_node_kind { MW_CFG_NODE_SCALAR, MW_CFG_NODE_SEQ, MW_CFG_NODE_MAP };

/* One YAML node. A mapping's children alternate key, value. */
struct mw_cfg_node {
  enum mw_cfg_node_kind kind;
  int line, col; /* 1-based */
  bool plain;    /* an unquoted scalar */
  const char *text; /* scalar, NUL-terminated (len bytes) */
  size_t len;
  struct mw_cfg_node *first, *last, *next;
  size_t n; /* children */
};

/* A parsed file. Every node lives in arena; mw_cfg_yaml_free releases
 * them all at once. */
struct mw_cfg_tree {
  struct mw_arena *arena;
  struct mw_cfg_node *root; /* NULL for an empty file */
};

/* Parses len bytes of yaml into *tree. name is the file as messages name
 * it ("FILE:LINE:COL: ..."). Refuses aliases, a second document and
 * nesting deeper than MW_CFG_YAML_MAX_DEPTH. On error returns a negative
 * MW_E* code with err set; *tree must still be given to mw_cfg_yaml_free.
 * Does not bound len: the caller reads the file with its own ceiling. */
int mw_cfg_yaml_parse(const char *yaml, size_t len, const char *name,
                      struct mw_cfg_tree *tree, struct mw_err *err);

/* Releases the nodes of tree (the tree itself is the caller's); safe on a
 * zeroed tree. */
void mw_cfg_yaml_free(struct mw_cfg_tree *tree);

/* True for a plain scalar that YAML reads as null: empty, ~, null. */
bool mw_cfg_node_is_null(const struct mw_cfg_node *n);

#endif
