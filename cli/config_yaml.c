/*
 * config_yaml.c: the first pass of the configuration loader. libyaml's
 * event parser builds a small tree of our own in an arena (every node
 * keeps its line and column). Aliases are refused so a hostile file cannot
 * multiply itself, a second document is refused, and the nesting (32
 * levels) and the arena (64 MB) are bounded. Syntax errors come back as
 * "FILE:LINE:COL: YAML syntax error: ...".
 *
 * What it leaves to others: the size ceiling on the file and everything
 * about what the keys mean, including unknown and duplicate keys
 * (config.c, against the option table of config_table.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "cli/config_yaml.h"

#define YAML_ARENA_MAX (64 * 1024 * 1024)

/* What one parse needs while it runs. */
struct builder {
  const char *name; /* the file, as messages name it */
  struct mw_arena *arena;
  struct mw_err *err;
};

static int fail_at(struct builder *B, yaml_mark_t mark, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_at(struct builder *B, yaml_mark_t mark, const char *fmt,
                   ...) {
  char msg[MW_ERR_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return mw_err_set(B->err, MW_EINVAL, "%s:%d:%d: %s", B->name,
                    (int)mark.line + 1, (int)mark.column + 1, msg);
}

static int nomem(struct builder *B) {
  return mw_err_set(B->err, MW_ENOMEM, "%s: out of memory", B->name);
}

bool mw_cfg_node_is_null(const struct mw_cfg_node *n) {
  if (n->kind != MW_CFG_NODE_SCALAR || !n->plain) return false;
  return n->len == 0 || !strcmp(n->text, "~") || !strcmp(n->text, "null") ||
         !strcmp(n->text, "Null") || !strcmp(n->text, "NULL");
}

static struct mw_cfg_node *new_node(struct builder *B,
                                    enum mw_cfg_node_kind kind,
                                    yaml_mark_t mark) {
  struct mw_cfg_node *n = mw_arena_alloc(B->arena, sizeof *n);
  if (!n) return NULL;
  memset(n, 0, sizeof *n);
  n->kind = kind;
  n->line = (int)mark.line + 1;
  n->col = (int)mark.column + 1;
  return n;
}

static int syntax_error(struct builder *B, const yaml_parser_t *p) {
  if (p->error == YAML_MEMORY_ERROR) return nomem(B);
  if (p->error == YAML_READER_ERROR)
    return mw_err_set(B->err, MW_EINVAL,
                      "%s: cannot read as YAML: %s at byte %zu (save the "
                      "file as UTF-8)",
                      B->name, p->problem ? p->problem : "error",
                      p->problem_offset);
  const char *problem = p->problem ? p->problem : "malformed YAML";
  if (p->context)
    return mw_err_set(B->err, MW_EINVAL,
                      "%s:%d:%d: YAML syntax error: %s (%s at %d:%d)", B->name,
                      (int)p->problem_mark.line + 1,
                      (int)p->problem_mark.column + 1, problem, p->context,
                      (int)p->context_mark.line + 1,
                      (int)p->context_mark.column + 1);
  return mw_err_set(B->err, MW_EINVAL, "%s:%d:%d: YAML syntax error: %s",
                    B->name, (int)p->problem_mark.line + 1,
                    (int)p->problem_mark.column + 1, problem);
}

/* Handles one event; *done is set at the end of the stream. */
static int on_event(struct builder *B, const yaml_event_t *ev,
                    struct mw_cfg_node **stack, int *depth,
                    struct mw_cfg_node **root, int *docs, bool *done) {
  struct mw_cfg_node *n = NULL;
  switch (ev->type) {
    case YAML_STREAM_END_EVENT:
      *done = true;
      return MW_OK;
    case YAML_DOCUMENT_START_EVENT:
      if (++*docs > 1)
        return fail_at(B, ev->start_mark,
                       "a second YAML document starts here; the "
                       "configuration is one document");
      return MW_OK;
    case YAML_ALIAS_EVENT:
      return fail_at(B, ev->start_mark,
                     "YAML aliases (*%s) are not supported; write the value "
                     "out in full",
                     (const char *)ev->data.alias.anchor);
    case YAML_SCALAR_EVENT:
      n = new_node(B, MW_CFG_NODE_SCALAR, ev->start_mark);
      if (!n) return nomem(B);
      n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
      n->len = ev->data.scalar.length;
      n->text = mw_arena_strndup(B->arena, (const char *)ev->data.scalar.value,
                                 n->len);
      if (!n->text) return nomem(B);
      break;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
      if (*depth >= MW_CFG_YAML_MAX_DEPTH)
        return fail_at(B, ev->start_mark, "nesting deeper than %d levels",
                       MW_CFG_YAML_MAX_DEPTH);
      n = new_node(B,
                   ev->type == YAML_SEQUENCE_START_EVENT ? MW_CFG_NODE_SEQ
                                                         : MW_CFG_NODE_MAP,
                   ev->start_mark);
      if (!n) return nomem(B);
      break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
      if (*depth > 0) (*depth)--;
      return MW_OK;
    default:
      return MW_OK;
  }
  if (*depth == 0) {
    *root = n;
  } else {
    struct mw_cfg_node *parent = stack[*depth - 1];
    if (parent->last) parent->last->next = n;
    else parent->first = n;
    parent->last = n;
    parent->n++;
  }
  if (n->kind != MW_CFG_NODE_SCALAR) stack[(*depth)++] = n;
  return MW_OK;
}

int mw_cfg_yaml_parse(const char *yaml, size_t len, const char *name,
                      struct mw_cfg_tree *tree, struct mw_err *err) {
  struct builder B = {.name = name, .err = err};
  tree->root = NULL;
  tree->arena = B.arena = mw_arena_new(64 * 1024, YAML_ARENA_MAX);
  if (!B.arena) return nomem(&B);
  yaml_parser_t p;
  if (!yaml_parser_initialize(&p)) return nomem(&B);
  yaml_parser_set_input_string(&p, (const unsigned char *)yaml, len);
  struct mw_cfg_node *stack[MW_CFG_YAML_MAX_DEPTH];
  int depth = 0, docs = 0, rc = MW_OK;
  bool done = false;
  while (!done && rc == MW_OK) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&p, &ev)) {
      rc = syntax_error(&B, &p);
      break;
    }
    rc = on_event(&B, &ev, stack, &depth, &tree->root, &docs, &done);
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&p);
  return rc;
}

void mw_cfg_yaml_free(struct mw_cfg_tree *tree) {
  mw_arena_free(tree->arena);
  tree->arena = NULL;
  tree->root = NULL;
}
