/*
 * config.c: loads the YAML configuration into struct mw_config.
 *
 * Reads the file (at most 4 MB) and has config_yaml.c turn it into a tree
 * of nodes with their line and column. That tree is walked against the
 * option table of config_table.c: unknown keys (with the nearest known one
 * suggested), duplicate keys, wrong types, values out of bounds and
 * missing required keys each stop the load with "FILE:LINE:COL: what is
 * wrong". Last come the checks across sections: unique outlet names, topic
 * names and source URLs, targets naming defined topics and outlets, the
 * time zone, and the storage path made relative to the config's folder.
 *
 * What it leaves to others: YAML syntax, aliases and the nesting limit
 * (config_yaml.c), the option table and the reference (config_table.c),
 * what the options mean (every library reading them), printing the
 * message (cli/ commands).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/config_table.h"
#include "cli/config_yaml.h"

#define CONFIG_MAX_BYTES (4 * 1024 * 1024)
/* Bytes of a value quoted back in a message. */
#define QUOTE_MAX 80

/* A value that must be unique within its section, for the final check. */
struct uniq {
  const char *s;
  const struct mw_cfg_node *at;
  size_t ord;
};

struct uniq_list {
  struct uniq *v;
  size_t n, cap;
};

struct loader {
  const char *name; /* the file, as messages name it */
  struct mw_err *err;
  struct mw_config *cfg;
  struct uniq_list uniq[MW_CFG_SECTION_COUNT];
  size_t ord;
  const struct mw_cfg_node *tz_at;      /* the timezone value, if given */
  const struct mw_cfg_node **target_at; /* the mapping of each target */
  const struct mw_cfg_node **topic_at;  /* the mapping of each topic */
  const struct mw_cfg_node *sens_at;    /* the sensitivity mapping, if given */
};

/* --------------------------------------------------------------- errors */

static int fail_at(struct loader *L, const struct mw_cfg_node *n,
                   const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_at(struct loader *L, const struct mw_cfg_node *n,
                   const char *fmt, ...) {
  char msg[MW_ERR_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return mw_err_set(L->err, MW_EINVAL, "%s:%d:%d: %s", L->name, n->line,
                    n->col, msg);
}

static int nomem(struct loader *L) {
  return mw_err_set(L->err, MW_ENOMEM, "%s: out of memory", L->name);
}

/* Length of s cut to at most max bytes without splitting a UTF-8
 * character. */
static size_t cut_utf8(const char *s, size_t len, size_t max) {
  if (len <= max) return len;
  while (max && ((unsigned char)s[max] & 0xC0) == 0x80) max--;
  return max;
}

/* "'many'", "a list", "a mapping", "nothing": what was found, for
 * messages. */
static void found(const struct mw_cfg_node *n, char *buf, size_t size) {
  if (n->kind == MW_CFG_NODE_SEQ) snprintf(buf, size, "a list");
  else if (n->kind == MW_CFG_NODE_MAP) snprintf(buf, size, "a mapping");
  else if (mw_cfg_node_is_null(n)) snprintf(buf, size, "nothing");
  else {
    size_t len = cut_utf8(n->text, strlen(n->text), QUOTE_MAX);
    snprintf(buf, size, "'%.*s%s'", (int)len, n->text,
             n->text[len] ? "..." : "");
  }
}

/* The text of a scalar cut for a message. */
static void quoted(const char *s, char *buf, size_t size) {
  size_t len = cut_utf8(s, strlen(s), QUOTE_MAX);
  snprintf(buf, size, "%.*s%s", (int)len, s, s[len] ? "..." : "");
}

/* ------------------------------------------------------------ the walk */

static int walk_map(struct loader *L, const struct mw_cfg_node *map,
                    enum mw_cfg_section sec, void *base, const char *where,
                    const char *subject);

static int uniq_add(struct loader *L, enum mw_cfg_section sec, const char *s,
                    const struct mw_cfg_node *at) {
  struct uniq_list *u = &L->uniq[sec];
  if (u->n == u->cap) {
    size_t cap = u->cap ? u->cap * 2 : 16;
    struct uniq *v = realloc(u->v, cap * sizeof *v);
    if (!v) return nomem(L);
    u->v = v;
    u->cap = cap;
  }
  u->v[u->n++] = (struct uniq){s, at, L->ord++};
  return MW_OK;
}

static const char *section_word(enum mw_cfg_section sec) {
  switch (sec) {
    case MW_CFG_OUTLET: return "outlet";
    case MW_CFG_SOURCE: return "source";
    case MW_CFG_TOPIC: return "topic";
    case MW_CFG_TARGET: return "target";
    case MW_CFG_CRAWLER: return "crawler";
    case MW_CFG_SENSITIVITY: return "sensitivity";
    default: return "configuration";
  }
}

static int set_scalar(struct loader *L, const struct mw_cfg_option *o,
                      const struct mw_cfg_node *v, void *base) {
  char want[160], got[QUOTE_MAX + 16];
  mw_cfg_describe(o, want, sizeof want);
  found(v, got, sizeof got);
  if (v->kind != MW_CFG_NODE_SCALAR)
    return fail_at(L, v, "'%s' must be %s, got %s", o->name, want, got);
  if (mw_cfg_node_is_null(v)) {
    if (o->type == MW_CFG_STRING && !(o->flags & MW_CFG_REQUIRED)) {
      char **f = (char **)((char *)base + o->offset);
      free(*f);
      *f = NULL;
      return MW_OK;
    }
    return fail_at(L, v, "'%s' must be %s, got nothing", o->name, want);
  }
  if (strlen(v->text) != v->len)
    return fail_at(L, v, "'%s' must not contain NUL characters", o->name);
  int rc = mw_cfg_set(o, base, v->text);
  if (rc == MW_ENOMEM) return nomem(L);
  if (rc) return fail_at(L, v, "'%s' must be %s, got %s", o->name, want, got);
  if (o->flags & MW_CFG_UNIQUE)
    return uniq_add(L, o->section, *(char **)((char *)base + o->offset), v);
  if (o->type == MW_CFG_ZONE) L->tz_at = v;
  return MW_OK;
}

static int set_strlist(struct loader *L, const struct mw_cfg_option *o,
                       const struct mw_cfg_node *v, void *base,
                       const char *subject) {
  char want[160], got[QUOTE_MAX + 16];
  mw_cfg_describe(o, want, sizeof want);
  found(v, got, sizeof got);
  if (v->kind != MW_CFG_NODE_SEQ)
    return fail_at(L, v, "'%s' must be %s, got %s", o->name, want, got);
  if (v->n == 0)
    return fail_at(L, v, "'%s' of %s must not be empty", o->name, subject);
  char ***list = (char ***)((char *)base + o->offset);
  size_t *count = (size_t *)((char *)base + o->count_offset);
  *list = calloc(v->n, sizeof **list);
  if (!*list) return nomem(L);
  *count = v->n;
  size_t i = 0;
  for (const struct mw_cfg_node *it = v->first; it; it = it->next, i++) {
    found(it, got, sizeof got);
    if (it->kind != MW_CFG_NODE_SCALAR || mw_cfg_node_is_null(it) ||
        it->len == 0 || strlen(it->text) != it->len)
      return fail_at(L, it, "each of the '%s' of %s must be a non-empty "
                     "string, got %s", o->name, subject, got);
    (*list)[i] = mw_strdup(it->text);
    if (!(*list)[i]) return nomem(L);
  }
  return MW_OK;
}

/* The name a list item goes by in messages: "outlet '人民网'", or
 * "source 'https://...'", or by position when it has none yet. */
static void item_subject(const struct mw_cfg_node *item,
                         enum mw_cfg_section sec,
                         size_t index, const char *parent, char *buf,
                         size_t size) {
  const char *key = sec == MW_CFG_SOURCE ? "url" : "name";
  if (item->kind == MW_CFG_NODE_MAP) {
    for (const struct mw_cfg_node *k = item->first; k && k->next;
         k = k->next->next) {
      const struct mw_cfg_node *v = k->next;
      if (k->kind == MW_CFG_NODE_SCALAR && !strcmp(k->text, key) &&
          v->kind == MW_CFG_NODE_SCALAR && !mw_cfg_node_is_null(v) && v->len) {
        char q[QUOTE_MAX + 8];
        quoted(v->text, q, sizeof q);
        snprintf(buf, size, "%s '%s'", section_word(sec), q);
        return;
      }
    }
  }
  if (sec == MW_CFG_SOURCE)
    snprintf(buf, size, "source #%zu of %s", index + 1, parent);
  else
    snprintf(buf, size, "%s #%zu", section_word(sec), index + 1);
}

/* Allocates the array of the items of list o under base; returns the
 * first item's address and its size. */
static int alloc_items(struct loader *L, const struct mw_cfg_option *o,
                       void *base, size_t n, char **items, size_t *size) {
  struct mw_config *cfg = L->cfg;
  switch (o->child) {
    case MW_CFG_OUTLET:
      *size = sizeof *cfg->outlets;
      cfg->outlets = calloc(n, *size);
      if (cfg->outlets) cfg->n_outlets = n;
      *items = (char *)cfg->outlets;
      break;
    case MW_CFG_SOURCE: {
      struct mw_outlet_conf *out = base;
      *size = sizeof *out->sources;
      out->sources = calloc(n, *size);
      if (out->sources) out->n_sources = n;
      *items = (char *)out->sources;
      break;
    }
    case MW_CFG_TOPIC:
      *size = sizeof *cfg->topics;
      cfg->topics = calloc(n, *size);
      if (cfg->topics) cfg->n_topics = n;
      L->topic_at = calloc(n, sizeof *L->topic_at);
      *items = L->topic_at ? (char *)cfg->topics : NULL;
      break;
    case MW_CFG_TARGET:
      *size = sizeof *cfg->targets;
      cfg->targets = calloc(n, *size);
      if (cfg->targets) cfg->n_targets = n;
      L->target_at = calloc(n, sizeof *L->target_at);
      *items = L->target_at ? (char *)cfg->targets : NULL;
      break;
    default:
      *items = NULL;
      break;
  }
  return *items ? MW_OK : nomem(L);
}

/* Where each item records its line. */
static int *item_line(enum mw_cfg_section sec, void *item) {
  switch (sec) {
    case MW_CFG_OUTLET: return &((struct mw_outlet_conf *)item)->line;
    case MW_CFG_SOURCE: return &((struct mw_source_conf *)item)->line;
    case MW_CFG_TOPIC: return &((struct mw_topic_conf *)item)->line;
    default: return &((struct mw_target_conf *)item)->line;
  }
}

static int walk_list(struct loader *L, const struct mw_cfg_option *o,
                     const struct mw_cfg_node *v, void *base,
                     const char *subject) {
  char got[QUOTE_MAX + 16];
  found(v, got, sizeof got);
  if (mw_cfg_node_is_null(v) && !(o->flags & MW_CFG_REQUIRED)) return MW_OK;
  if (v->kind != MW_CFG_NODE_SEQ)
    return fail_at(L, v, "'%s' must be a list, got %s", o->name, got);
  if (v->n == 0 && o->child == MW_CFG_SOURCE)
    return fail_at(L, v, "'%s' of %s must not be empty", o->name, subject);
  if (v->n == 0) return MW_OK;
  char *items = NULL;
  size_t size = 0;
  int rc = alloc_items(L, o, base, v->n, &items, &size);
  size_t i = 0;
  for (const struct mw_cfg_node *it = v->first; !rc && it; it = it->next, i++) {
    void *item = items + i * size;
    found(it, got, sizeof got);
    if (it->kind != MW_CFG_NODE_MAP)
      return fail_at(L, it, "each item of '%s' must be a mapping, got %s",
                     o->name, got);
    *item_line(o->child, item) = it->line;
    if (o->child == MW_CFG_TARGET) L->target_at[i] = it;
    if (o->child == MW_CFG_TOPIC) L->topic_at[i] = it;
    if (mw_cfg_set_defaults(o->child, item)) return nomem(L);
    char who[2 * QUOTE_MAX + 64], where[2 * QUOTE_MAX + 80];
    item_subject(it, o->child, i, subject, who, sizeof who);
    snprintf(where, sizeof where, "in %s", who);
    rc = walk_map(L, it, o->child, item, where, who);
  }
  return rc;
}

static int set_value(struct loader *L, const struct mw_cfg_option *o,
                     const struct mw_cfg_node *v, void *base,
                     const char *subject) {
  char got[QUOTE_MAX + 16];
  switch (o->type) {
    case MW_CFG_MAP:
      if (mw_cfg_node_is_null(v)) return MW_OK;
      if (v->kind != MW_CFG_NODE_MAP) {
        found(v, got, sizeof got);
        return fail_at(L, v, "'%s' must be a mapping of settings, got %s",
                       o->name, got);
      }
      if (o->child == MW_CFG_SENSITIVITY) {
        L->sens_at = v;
        return walk_map(L, v, o->child, &L->cfg->sensitivity,
                        "in sensitivity", "sensitivity");
      }
      return walk_map(L, v, o->child, &L->cfg->crawler, "in crawler",
                      "crawler");
    case MW_CFG_LIST:
      return walk_list(L, o, v, base, subject);
    case MW_CFG_STRLIST:
      return set_strlist(L, o, v, base, subject);
    default:
      return set_scalar(L, o, v, base);
  }
}

static const struct mw_cfg_node *find_key(const struct mw_cfg_node *map,
                                          const char *key) {
  for (const struct mw_cfg_node *k = map->first; k && k->next;
       k = k->next->next)
    if (k->kind == MW_CFG_NODE_SCALAR && !strcmp(k->text, key)) return k;
  return NULL;
}

static int walk_map(struct loader *L, const struct mw_cfg_node *map,
                    enum mw_cfg_section sec, void *base, const char *where,
                    const char *subject) {
  for (const struct mw_cfg_node *k = map->first; k && k->next;
       k = k->next->next) {
    char got[QUOTE_MAX + 16];
    if (k->kind != MW_CFG_NODE_SCALAR || mw_cfg_node_is_null(k)) {
      found(k, got, sizeof got);
      return fail_at(L, k, "keys must be plain names, got %s %s", got, where);
    }
    const struct mw_cfg_option *o = mw_cfg_find(sec, k->text, k->len);
    if (!o) {
      const char *near = mw_cfg_suggest(sec, k->text);
      found(k, got, sizeof got);
      if (near)
        return fail_at(L, k, "unknown key %s %s (did you mean '%s'?)", got,
                       where, near);
      return fail_at(L, k, "unknown key %s %s", got, where);
    }
    const struct mw_cfg_node *first = find_key(map, o->name);
    if (first != k)
      return fail_at(L, k, "duplicate key '%s' %s (first at line %d)",
                     o->name, where, first->line);
    int rc = set_value(L, o, k->next, base, subject);
    if (rc) return rc;
  }
  for (size_t i = 0; i < mw_cfg_n_options; i++) {
    const struct mw_cfg_option *o = &mw_cfg_options[i];
    if (o->section == sec && (o->flags & MW_CFG_REQUIRED) &&
        !find_key(map, o->name))
      return fail_at(L, map, "%s is missing required key '%s'", subject,
                     o->name);
  }
  return MW_OK;
}

/* ------------------------------------------------------ the final checks */

static int cmp_uniq(const void *a, const void *b) {
  const struct uniq *x = a, *y = b;
  int c = strcmp(x->s, y->s);
  if (c) return c;
  return x->ord < y->ord ? -1 : x->ord > y->ord;
}

/* Sorts each list of unique values (which the target lookups then use) and
 * reports the duplicate that comes first in the file. */
static int check_unique(struct loader *L) {
  const struct uniq *dup = NULL, *orig = NULL;
  for (int sec = 0; sec < MW_CFG_SECTION_COUNT; sec++) {
    struct uniq_list *u = &L->uniq[sec];
    if (u->n > 1) qsort(u->v, u->n, sizeof *u->v, cmp_uniq);
    for (size_t i = 1, run = 0; i < u->n; i++) {
      if (strcmp(u->v[i].s, u->v[run].s)) {
        run = i;
        continue;
      }
      if (!dup || u->v[i].ord < dup->ord) {
        dup = &u->v[i];
        orig = &u->v[run];
      }
    }
  }
  if (!dup) return MW_OK;
  enum mw_cfg_section sec = MW_CFG_TOP;
  for (int s = 0; s < MW_CFG_SECTION_COUNT; s++)
    if (L->uniq[s].n && dup >= L->uniq[s].v && dup < L->uniq[s].v + L->uniq[s].n)
      sec = (enum mw_cfg_section)s;
  char q[QUOTE_MAX + 8];
  quoted(dup->s, q, sizeof q);
  return fail_at(L, dup->at, "duplicate %s %s '%s' (first defined at line %d)",
                 section_word(sec), sec == MW_CFG_SOURCE ? "url" : "name", q,
                 orig->at->line);
}

static bool defined(const struct uniq_list *u, const char *s) {
  size_t lo = 0, hi = u->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(u->v[mid].s, s);
    if (c == 0) return true;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

static int check_targets(struct loader *L) {
  for (size_t i = 0; i < L->cfg->n_targets; i++) {
    const struct mw_target_conf *t = &L->cfg->targets[i];
    char qn[QUOTE_MAX + 8], qv[QUOTE_MAX + 8];
    quoted(t->name, qn, sizeof qn);
    if (t->topic && !defined(&L->uniq[MW_CFG_TOPIC], t->topic)) {
      quoted(t->topic, qv, sizeof qv);
      return fail_at(L, L->target_at[i],
                     "target '%s' names topic '%s', which is not defined "
                     "under topics", qn, qv);
    }
    if (t->outlet && !defined(&L->uniq[MW_CFG_OUTLET], t->outlet)) {
      quoted(t->outlet, qv, sizeof qv);
      return fail_at(L, L->target_at[i],
                     "target '%s' names outlet '%s', which is not defined "
                     "under outlets", qn, qv);
    }
  }
  return MW_OK;
}

/* A topic is written one way: keywords, a rule or the grouped form. The
 * rule's position is kept for the matcher's messages. */
static int check_topics(struct loader *L) {
  for (size_t i = 0; i < L->cfg->n_topics; i++) {
    struct mw_topic_conf *t = &L->cfg->topics[i];
    const struct mw_cfg_node *at = L->topic_at[i];
    const struct mw_cfg_node *rk = find_key(at, "rule");
    if (rk && t->rule) {
      t->rule_line = rk->next->line;
      t->rule_col = rk->next->col;
    }
    char qn[QUOTE_MAX + 8];
    quoted(t->name, qn, sizeof qn);
    bool grouped = t->n_regions || t->n_subjects || t->n_events;
    int forms = (t->n_keywords > 0) + (t->rule != NULL) + grouped;
    if (forms == 0)
      return fail_at(L, at,
                     "topic '%s' needs 'keywords', a 'rule', or the grouped "
                     "form ('subjects' with 'regions' and 'events')", qn);
    if (forms > 1) {
      const char *a = t->n_keywords ? "keywords" : "rule";
      const char *b = t->rule && t->n_keywords ? "rule" : "the grouped form";
      return fail_at(L, at,
                     "topic '%s' has both %s and %s; write it one way "
                     "(exclude works with any)", qn, a, b);
    }
  }
  return MW_OK;
}

static int check_sensitivity(struct loader *L) {
  const struct mw_sensitivity_conf *s = &L->cfg->sensitivity;
  for (int l = 1; l < 4; l++)
    if (s->level_min[l] <= s->level_min[l - 1])
      return fail_at(L, L->sens_at,
                     "'level%d' (%lld) must be above 'level%d' (%lld)", l + 1,
                     (long long)s->level_min[l], l, (long long)s->level_min[l - 1]);
  return MW_OK;
}

static int load_zone(struct loader *L) {
  struct mw_err tzerr = {0};
  int rc = mw_tz_load(L->cfg->timezone, &L->cfg->tz, &tzerr);
  if (rc == MW_ENOMEM) return nomem(L);
  if (rc == MW_OK) return MW_OK;
  if (L->tz_at) return fail_at(L, L->tz_at, "%s", tzerr.msg);
  return mw_err_set(L->err, MW_EINVAL, "%s: %s", L->name, tzerr.msg);
}

/* A relative path (storage, lexicon) is taken from the config file's
 * folder. */
static int resolve_path(struct loader *L, char **path) {
  const char *slash = strrchr(L->name, '/');
  if (!*path || (*path)[0] == '/' || !slash) return MW_OK;
  struct mw_buf b;
  mw_buf_init(&b, 2 * (strlen(L->name) + strlen(*path)) + 8);
  int rc = mw_buf_append(&b, L->name, (size_t)(slash - L->name) + 1);
  if (!rc) rc = mw_buf_puts(&b, *path);
  char *p = rc ? NULL : mw_buf_steal(&b);
  mw_buf_cleanup(&b);
  if (!p) return nomem(L);
  free(*path);
  *path = p;
  return MW_OK;
}

/* ------------------------------------------------------------ entry points */

static int load(const char *yaml, size_t len, const char *name,
                struct mw_config **out, struct mw_err *err) {
  struct loader L = {.name = name, .err = err};
  struct mw_cfg_tree tree = {0};
  const struct mw_cfg_node *root;
  int rc;
  L.cfg = calloc(1, sizeof *L.cfg);
  if (!L.cfg || !(L.cfg->path = mw_strdup(name)) ||
      mw_cfg_set_defaults(MW_CFG_TOP, L.cfg) ||
      mw_cfg_set_defaults(MW_CFG_CRAWLER, &L.cfg->crawler) ||
      mw_cfg_set_defaults(MW_CFG_SENSITIVITY, &L.cfg->sensitivity)) {
    rc = nomem(&L);
    goto out;
  }
  if ((rc = mw_cfg_yaml_parse(yaml, len, name, &tree, err)) != MW_OK)
    goto out;
  root = tree.root;
  if (!root || mw_cfg_node_is_null(root)) {
    rc = mw_err_set(err, MW_EINVAL,
                    "%s: the configuration is empty; it needs at least "
                    "'outlets'", name);
    goto out;
  }
  if (root->kind != MW_CFG_NODE_MAP) {
    char got[QUOTE_MAX + 16];
    found(root, got, sizeof got);
    rc = fail_at(&L, root,
                 "the configuration must be a mapping of keys such as "
                 "'storage:' and 'outlets:', got %s", got);
    goto out;
  }
  rc = walk_map(&L, root, MW_CFG_TOP, L.cfg, "at top level",
                "the configuration");
  if (!rc) rc = check_unique(&L);
  if (!rc) rc = check_targets(&L);
  if (!rc) rc = check_topics(&L);
  if (!rc) rc = check_sensitivity(&L);
  if (!rc) rc = load_zone(&L);
  if (!rc) rc = resolve_path(&L, &L.cfg->storage_path);
  if (!rc) rc = resolve_path(&L, &L.cfg->sensitivity.lexicon);
out:
  mw_cfg_yaml_free(&tree);
  for (int s = 0; s < MW_CFG_SECTION_COUNT; s++) free(L.uniq[s].v);
  free(L.target_at);
  free(L.topic_at);
  if (rc) {
    mw_config_free(L.cfg);
    return rc;
  }
  *out = L.cfg;
  return MW_OK;
}

int mw_config_load_string(const char *yaml, size_t len, const char *name,
                          struct mw_config **out, struct mw_err *err) {
  if (!name) name = "<config>";
  *out = NULL;
  if (len > CONFIG_MAX_BYTES)
    return mw_err_set(err, MW_EINVAL, "%s: config file is larger than 4 MB",
                      name);
  return load(yaml ? yaml : "", yaml ? len : 0, name, out, err);
}

int mw_config_load(const char *path, struct mw_config **out,
                   struct mw_err *err) {
  *out = NULL;
  FILE *f = fopen(path, "rb");
  if (!f)
    return mw_err_set(err, MW_EINVAL, "%s: cannot open: %s", path,
                      strerror(errno));
  /* One byte over the ceiling tells a file at the limit from a bigger one. */
  char *data = malloc(CONFIG_MAX_BYTES + 1);
  if (!data) {
    fclose(f);
    return mw_err_set(err, MW_ENOMEM, "%s: out of memory", path);
  }
  size_t len = fread(data, 1, CONFIG_MAX_BYTES + 1, f);
  int read_errno = ferror(f) ? errno : 0;
  fclose(f);
  int rc;
  if (read_errno)
    rc = mw_err_set(err, MW_EINVAL, "%s: cannot read: %s", path,
                    strerror(read_errno));
  else if (len > CONFIG_MAX_BYTES)
    rc = mw_err_set(err, MW_EINVAL, "%s: config file is larger than 4 MB",
                    path);
  else
    rc = load(data, len, path, out, err);
  free(data);
  return rc;
}

void mw_config_free(struct mw_config *cfg) {
  if (!cfg) return;
  free(cfg->path);
  free(cfg->storage_path);
  free(cfg->timezone);
  free(cfg->office_name);
  mw_tz_free(cfg->tz);
  free(cfg->crawler.user_agent);
  for (size_t i = 0; i < cfg->n_outlets; i++) {
    struct mw_outlet_conf *o = &cfg->outlets[i];
    free(o->name);
    free(o->region);
    for (size_t j = 0; j < o->n_sources; j++) {
      struct mw_source_conf *src = &o->sources[j];
      free(src->url);
      free(src->links_xpath);
      free(src->title_xpath);
      free(src->time_xpath);
      free(src->source_xpath);
      free(src->body_xpath);
    }
    free(o->sources);
  }
  free(cfg->outlets);
  for (size_t i = 0; i < cfg->n_topics; i++) {
    struct mw_topic_conf *t = &cfg->topics[i];
    char **lists[] = {t->keywords, t->regions, t->subjects, t->events,
                      t->exclude};
    size_t counts[] = {t->n_keywords, t->n_regions, t->n_subjects,
                       t->n_events, t->n_exclude};
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
      for (size_t j = 0; lists[k] && j < counts[k]; j++) free(lists[k][j]);
      free(lists[k]);
    }
    free(t->rule);
    free(t->name);
  }
  free(cfg->topics);
  free(cfg->sensitivity.lexicon);
  for (size_t i = 0; i < cfg->n_targets; i++) {
    free(cfg->targets[i].name);
    free(cfg->targets[i].topic);
    free(cfg->targets[i].outlet);
    free(cfg->targets[i].period);
  }
  free(cfg->targets);
  free(cfg);
}
