/*
 * config.c: loads the YAML configuration into struct mw_config.
 *
 * Reads the file (at most 4 MB) and has config_yaml.c turn it into a tree
 * of nodes with their line and column. That tree is walked against the
 * option table of config_table.c: unknown keys (with the nearest known one
 * suggested), duplicate keys, wrong types, values out of bounds and
 * missing required keys each stop the load with "FILE:LINE:COL: what is
 * wrong". The walk knows no section by name: a nested mapping or a list
 * of items lands where its table row says (offset, count, the item size
 * of config_sections.c), so a new section is rows, not code. Last come the
 * checks across sections: unique names and source URLs, the targets
 * (config_targets.c), the alerts section (config_alerts.c), the
 * time zone, and paths made relative to the config's folder.
 *
 * What it leaves to others: YAML syntax, aliases and the nesting limit
 * (config_yaml.c), the option table (config_table.c) and the reference
 * (config_sections.c), what the options mean (every library reading
 * them), printing the message (cli/ commands).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/config_load.h"
#include "cli/config_targets.h"

#define CONFIG_MAX_BYTES (4 * 1024 * 1024)
#define QUOTE_MAX MW_CFG_QUOTE_MAX

/* --------------------------------------------------------------- errors */

int mw_cfg_fail_at(struct mw_cfg_loader *L, const struct mw_cfg_node *n,
                   const char *fmt, ...) {
  char msg[MW_ERR_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return mw_err_set(L->err, MW_EINVAL, "%s:%d:%d: %s", L->name, n->line,
                    n->col, msg);
}

int mw_cfg_nomem(struct mw_cfg_loader *L) {
  return mw_err_set(L->err, MW_ENOMEM, "%s: out of memory", L->name);
}

/* "'many'", "a list", "a mapping", "nothing": what was found, for
 * messages. */
static void found(const struct mw_cfg_node *n, char *buf, size_t size) {
  if (n->kind == MW_CFG_NODE_SEQ) snprintf(buf, size, "a list");
  else if (n->kind == MW_CFG_NODE_MAP) snprintf(buf, size, "a mapping");
  else if (mw_cfg_node_is_null(n)) snprintf(buf, size, "nothing");
  else {
    size_t len = mw_utf8_cut(n->text, strlen(n->text), QUOTE_MAX);
    snprintf(buf, size, "'%.*s%s'", (int)len, n->text,
             n->text[len] ? "..." : "");
  }
}

void mw_cfg_quote(const char *s, char *buf, size_t size) {
  size_t len = mw_utf8_cut(s, strlen(s), QUOTE_MAX);
  snprintf(buf, size, "%.*s%s", (int)len, s, s[len] ? "..." : "");
}

/* ------------------------------------------------------------ the walk */

static int walk_map(struct mw_cfg_loader *L, const struct mw_cfg_node *map,
                    enum mw_cfg_section sec, void *base, const char *where,
                    const char *subject);

static int uniq_add(struct mw_cfg_loader *L, enum mw_cfg_section sec, const char *s,
                    const struct mw_cfg_node *at) {
  struct mw_cfg_uniq_list *u = &L->uniq[sec];
  if (u->n == u->cap) {
    size_t cap = u->cap ? u->cap * 2 : 16;
    struct mw_cfg_uniq *v = realloc(u->v, cap * sizeof *v);
    if (!v) return mw_cfg_nomem(L);
    u->v = v;
    u->cap = cap;
  }
  u->v[u->n++] = (struct mw_cfg_uniq){s, at, L->ord++};
  return MW_OK;
}

static const char *section_word(enum mw_cfg_section sec) {
  return mw_cfg_sections[sec].word;
}

static int set_scalar(struct mw_cfg_loader *L, const struct mw_cfg_option *o,
                      const struct mw_cfg_node *v, void *base) {
  char want[160], got[QUOTE_MAX + 16];
  mw_cfg_describe(o, want, sizeof want);
  found(v, got, sizeof got);
  if (v->kind != MW_CFG_NODE_SCALAR)
    return mw_cfg_fail_at(L, v, "'%s' must be %s, got %s", o->name, want, got);
  if (mw_cfg_node_is_null(v)) {
    if (o->type == MW_CFG_STRING && !(o->flags & MW_CFG_REQUIRED)) {
      char **f = (char **)((char *)base + o->offset);
      free(*f);
      *f = NULL;
      return MW_OK;
    }
    return mw_cfg_fail_at(L, v, "'%s' must be %s, got nothing", o->name, want);
  }
  if (strlen(v->text) != v->len)
    return mw_cfg_fail_at(L, v, "'%s' must not contain NUL characters", o->name);
  int rc = mw_cfg_set(o, base, v->text);
  if (rc == MW_ENOMEM) return mw_cfg_nomem(L);
  char why[MW_ERR_MSG_MAX];
  if (rc && mw_cfg_explain(o, v->text, why, sizeof why))
    return mw_cfg_fail_at(L, v, "'%s': %s", o->name, why);
  if (rc) return mw_cfg_fail_at(L, v, "'%s' must be %s, got %s", o->name, want, got);
  if (o->flags & MW_CFG_UNIQUE)
    return uniq_add(L, o->section, *(char **)((char *)base + o->offset), v);
  if (o->type == MW_CFG_ZONE) L->tz_at = v;
  return MW_OK;
}

static int set_strlist(struct mw_cfg_loader *L, const struct mw_cfg_option *o,
                       const struct mw_cfg_node *v, void *base,
                       const char *subject) {
  char want[160], got[QUOTE_MAX + 16];
  mw_cfg_describe(o, want, sizeof want);
  found(v, got, sizeof got);
  if (v->kind != MW_CFG_NODE_SEQ)
    return mw_cfg_fail_at(L, v, "'%s' must be %s, got %s", o->name, want, got);
  if (v->n == 0)
    return mw_cfg_fail_at(L, v, "'%s' of %s must not be empty", o->name, subject);
  char ***list = (char ***)((char *)base + o->offset);
  size_t *count = (size_t *)((char *)base + o->count_offset);
  *list = calloc(v->n, sizeof **list);
  if (!*list) return mw_cfg_nomem(L);
  *count = v->n;
  size_t i = 0;
  for (const struct mw_cfg_node *it = v->first; it; it = it->next, i++) {
    found(it, got, sizeof got);
    if (it->kind != MW_CFG_NODE_SCALAR || mw_cfg_node_is_null(it) ||
        it->len == 0 || strlen(it->text) != it->len)
      return mw_cfg_fail_at(L, it, "each of the '%s' of %s must be a non-empty "
                     "string, got %s", o->name, subject, got);
    (*list)[i] = mw_strdup(it->text);
    if (!(*list)[i]) return mw_cfg_nomem(L);
  }
  return MW_OK;
}

/* The name a list item goes by in messages: "outlet '人民网'", or
 * "source 'https://...'", or by position when it has none yet. */
static void item_subject(const struct mw_cfg_node *item,
                         enum mw_cfg_section sec,
                         size_t index, const char *parent, char *buf,
                         size_t size) {
  const char *key = mw_cfg_sections[sec].key;
  if (key && item->kind == MW_CFG_NODE_MAP) {
    for (const struct mw_cfg_node *k = item->first; k && k->next;
         k = k->next->next) {
      const struct mw_cfg_node *v = k->next;
      if (k->kind == MW_CFG_NODE_SCALAR && !strcmp(k->text, key) &&
          v->kind == MW_CFG_NODE_SCALAR && !mw_cfg_node_is_null(v) && v->len) {
        char q[QUOTE_MAX + 8];
        mw_cfg_quote(v->text, q, sizeof q);
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

/* Allocates the array of the n items of list o in the struct at base
 * (the array at o->offset, its count at o->count_offset); returns the
 * first item's address. */
static int alloc_items(struct mw_cfg_loader *L, const struct mw_cfg_option *o,
                       void *base, size_t n, char **items) {
  void *v = calloc(n, mw_cfg_sections[o->child].size);
  if (!v) return mw_cfg_nomem(L);
  /* The field is a `struct T *`: store the pointer's bytes, as all object
   * pointers share one representation on the systems we build for. */
  memcpy((char *)base + o->offset, &v, sizeof v);
  *(size_t *)((char *)base + o->count_offset) = n;
  *items = v;
  return MW_OK;
}

static int note_item(struct mw_cfg_loader *L, enum mw_cfg_section sec,
                     const struct mw_cfg_node *it) {
  struct mw_cfg_node_list *l = &L->items[sec];
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    const struct mw_cfg_node **v = realloc(l->v, cap * sizeof *v);
    if (!v) return mw_cfg_nomem(L);
    l->v = v;
    l->cap = cap;
  }
  l->v[l->n++] = it;
  return MW_OK;
}

static int walk_list(struct mw_cfg_loader *L, const struct mw_cfg_option *o,
                     const struct mw_cfg_node *v, void *base,
                     const char *subject) {
  char got[QUOTE_MAX + 16];
  found(v, got, sizeof got);
  if (mw_cfg_node_is_null(v) && !(o->flags & MW_CFG_REQUIRED)) return MW_OK;
  if (v->kind != MW_CFG_NODE_SEQ)
    return mw_cfg_fail_at(L, v, "'%s' must be a list, got %s", o->name, got);
  if (v->n == 0 && (o->flags & MW_CFG_NONEMPTY))
    return mw_cfg_fail_at(L, v, "'%s' of %s must not be empty", o->name, subject);
  if (v->n == 0) return MW_OK;
  const struct mw_cfg_section_info *info = &mw_cfg_sections[o->child];
  char *items = NULL;
  size_t size = info->size;
  int rc = alloc_items(L, o, base, v->n, &items);
  size_t i = 0;
  for (const struct mw_cfg_node *it = v->first; !rc && it; it = it->next, i++) {
    void *item = items + i * size;
    found(it, got, sizeof got);
    if (it->kind != MW_CFG_NODE_MAP)
      return mw_cfg_fail_at(L, it, "each item of '%s' must be a mapping, got %s",
                     o->name, got);
    if (info->line_offset != SIZE_MAX)
      *(int *)((char *)item + info->line_offset) = it->line;
    if (note_item(L, o->child, it)) return MW_ENOMEM;
    if (mw_cfg_set_defaults(o->child, item)) return mw_cfg_nomem(L);
    char who[2 * QUOTE_MAX + 64], where[2 * QUOTE_MAX + 80];
    item_subject(it, o->child, i, subject, who, sizeof who);
    snprintf(where, sizeof where, "in %s", who);
    rc = walk_map(L, it, o->child, item, where, who);
  }
  return rc;
}

static int set_value(struct mw_cfg_loader *L, const struct mw_cfg_option *o,
                     const struct mw_cfg_node *v, void *base,
                     const char *subject) {
  char got[QUOTE_MAX + 16];
  switch (o->type) {
    case MW_CFG_MAP:
      if (mw_cfg_node_is_null(v)) return MW_OK;
      if (v->kind != MW_CFG_NODE_MAP) {
        found(v, got, sizeof got);
        return mw_cfg_fail_at(L, v, "'%s' must be a mapping of settings, got %s",
                       o->name, got);
      }
      L->map_at[o->child] = v;
      snprintf(got, sizeof got, "in %s", section_word(o->child));
      return walk_map(L, v, o->child, (char *)base + o->offset, got,
                      section_word(o->child));
    case MW_CFG_LIST:
      return walk_list(L, o, v, base, subject);
    case MW_CFG_STRLIST:
      return set_strlist(L, o, v, base, subject);
    default:
      return set_scalar(L, o, v, base);
  }
}

const struct mw_cfg_node *mw_cfg_key(const struct mw_cfg_node *map,
                                     const char *key) {
  for (const struct mw_cfg_node *k = map->first; k && k->next;
       k = k->next->next)
    if (k->kind == MW_CFG_NODE_SCALAR && !strcmp(k->text, key)) return k;
  return NULL;
}

static int walk_map(struct mw_cfg_loader *L, const struct mw_cfg_node *map,
                    enum mw_cfg_section sec, void *base, const char *where,
                    const char *subject) {
  for (const struct mw_cfg_node *k = map->first; k && k->next;
       k = k->next->next) {
    char got[QUOTE_MAX + 16];
    if (k->kind != MW_CFG_NODE_SCALAR || mw_cfg_node_is_null(k)) {
      found(k, got, sizeof got);
      return mw_cfg_fail_at(L, k, "keys must be plain names, got %s %s", got, where);
    }
    const struct mw_cfg_option *o = mw_cfg_find(sec, k->text, k->len);
    if (!o) {
      const char *near = mw_cfg_suggest(sec, k->text);
      found(k, got, sizeof got);
      if (near)
        return mw_cfg_fail_at(L, k, "unknown key %s %s (did you mean '%s'?)", got,
                       where, near);
      return mw_cfg_fail_at(L, k, "unknown key %s %s", got, where);
    }
    const struct mw_cfg_node *first = mw_cfg_key(map, o->name);
    if (first != k)
      return mw_cfg_fail_at(L, k, "duplicate key '%s' %s (first at line %d)",
                     o->name, where, first->line);
    int rc = set_value(L, o, k->next, base, subject);
    if (rc) return rc;
  }
  for (size_t i = 0; i < mw_cfg_n_options; i++) {
    const struct mw_cfg_option *o = &mw_cfg_options[i];
    if (o->section == sec && (o->flags & MW_CFG_REQUIRED) &&
        !mw_cfg_key(map, o->name))
      return mw_cfg_fail_at(L, map, "%s is missing required key '%s'", subject,
                     o->name);
  }
  return MW_OK;
}

/* ------------------------------------------------------ the final checks */

static int cmp_uniq(const void *a, const void *b) {
  const struct mw_cfg_uniq *x = a, *y = b;
  int c = strcmp(x->s, y->s);
  if (c) return c;
  return x->ord < y->ord ? -1 : x->ord > y->ord;
}

/* Sorts each list of unique values (which the target lookups then use) and
 * reports the duplicate that comes first in the file. */
static int check_unique(struct mw_cfg_loader *L) {
  const struct mw_cfg_uniq *dup = NULL, *orig = NULL;
  for (int sec = 0; sec < MW_CFG_SECTION_COUNT; sec++) {
    struct mw_cfg_uniq_list *u = &L->uniq[sec];
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
  mw_cfg_quote(dup->s, q, sizeof q);
  return mw_cfg_fail_at(L, dup->at, "duplicate %s %s '%s' (first defined at line %d)",
                 section_word(sec), sec == MW_CFG_SOURCE ? "url" : "name", q,
                 orig->at->line);
}

bool mw_cfg_defined(const struct mw_cfg_uniq_list *u, const char *s) {
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

/* A topic is written one way: keywords, a rule or the grouped form. The
 * rule's position is kept for the matcher's messages. */
static int check_topics(struct mw_cfg_loader *L) {
  for (size_t i = 0; i < L->cfg->n_topics; i++) {
    struct mw_topic_conf *t = &L->cfg->topics[i];
    const struct mw_cfg_node *at = L->items[MW_CFG_TOPIC].v[i];
    const struct mw_cfg_node *rk = mw_cfg_key(at, "rule");
    if (rk && t->rule) {
      t->rule_line = rk->next->line;
      t->rule_col = rk->next->col;
    }
    char qn[QUOTE_MAX + 8];
    mw_cfg_quote(t->name, qn, sizeof qn);
    bool grouped = t->n_regions || t->n_subjects || t->n_events;
    int forms = (t->n_keywords > 0) + (t->rule != NULL) + grouped;
    if (forms == 0)
      return mw_cfg_fail_at(L, at,
                     "topic '%s' needs 'keywords', a 'rule', or the grouped "
                     "form ('subjects' with 'regions' and 'events')", qn);
    if (forms > 1) {
      const char *a = t->n_keywords ? "keywords" : "rule";
      const char *b = t->rule && t->n_keywords ? "rule" : "the grouped form";
      return mw_cfg_fail_at(L, at,
                     "topic '%s' has both %s and %s; write it one way "
                     "(exclude works with any)", qn, a, b);
    }
  }
  return MW_OK;
}

static int check_sensitivity(struct mw_cfg_loader *L) {
  const struct mw_sensitivity_conf *s = &L->cfg->sensitivity;
  for (int l = 1; l < 4; l++)
    if (s->level_min[l] <= s->level_min[l - 1])
      return mw_cfg_fail_at(L, L->map_at[MW_CFG_SENSITIVITY],
                     "'level%d' (%lld) must be above 'level%d' (%lld)", l + 1,
                     (long long)s->level_min[l], l, (long long)s->level_min[l - 1]);
  return MW_OK;
}

static int load_zone(struct mw_cfg_loader *L) {
  struct mw_err tzerr = {0};
  int rc = mw_tz_load(L->cfg->timezone, &L->cfg->tz, &tzerr);
  if (rc == MW_ENOMEM) return mw_cfg_nomem(L);
  if (rc == MW_OK) return MW_OK;
  if (L->tz_at) return mw_cfg_fail_at(L, L->tz_at, "%s", tzerr.msg);
  return mw_err_set(L->err, MW_EINVAL, "%s: %s", L->name, tzerr.msg);
}

/* A relative path (storage, lexicon) is taken from the config file's
 * folder. */
int mw_cfg_resolve_path(struct mw_cfg_loader *L, char **path) {
  const char *slash = strrchr(L->name, '/');
  if (!*path || (*path)[0] == '/' || !slash) return MW_OK;
  struct mw_buf b;
  mw_buf_init(&b, 2 * (strlen(L->name) + strlen(*path)) + 8);
  int rc = mw_buf_append(&b, L->name, (size_t)(slash - L->name) + 1);
  if (!rc) rc = mw_buf_puts(&b, *path);
  char *p = rc ? NULL : mw_buf_steal(&b);
  mw_buf_cleanup(&b);
  if (!p) return mw_cfg_nomem(L);
  free(*path);
  *path = p;
  return MW_OK;
}

/* ------------------------------------------------------------ entry points */

/* The top level's defaults and those of every nested section, so a file
 * without `crawler:` or `alerts:` gets the same values as an empty one. */
static int set_defaults(struct mw_config *cfg) {
  if (mw_cfg_set_defaults(MW_CFG_TOP, cfg)) return MW_ENOMEM;
  for (size_t i = 0; i < mw_cfg_n_options; i++) {
    const struct mw_cfg_option *o = &mw_cfg_options[i];
    if (o->section == MW_CFG_TOP && o->type == MW_CFG_MAP &&
        mw_cfg_set_defaults(o->child, (char *)cfg + o->offset))
      return MW_ENOMEM;
  }
  return MW_OK;
}

static int load(const char *yaml, size_t len, const char *name,
                struct mw_config **out, struct mw_err *err) {
  struct mw_cfg_loader L = {.name = name, .err = err};
  struct mw_cfg_tree tree = {0};
  const struct mw_cfg_node *root;
  int rc;
  L.cfg = calloc(1, sizeof *L.cfg);
  if (!L.cfg || !(L.cfg->path = mw_strdup(name)) || set_defaults(L.cfg)) {
    rc = mw_cfg_nomem(&L);
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
    rc = mw_cfg_fail_at(&L, root,
                 "the configuration must be a mapping of keys such as "
                 "'storage:' and 'outlets:', got %s", got);
    goto out;
  }
  rc = walk_map(&L, root, MW_CFG_TOP, L.cfg, "at top level",
                "the configuration");
  if (!rc) rc = check_unique(&L);
  if (!rc) rc = mw_cfg_check_targets(&L);
  if (!rc) rc = check_topics(&L);
  if (!rc) rc = check_sensitivity(&L);
  if (!rc) rc = mw_cfg_check_alerts(&L);
  if (!rc) rc = load_zone(&L);
  if (!rc) rc = mw_cfg_resolve_path(&L, &L.cfg->storage_path);
  if (!rc) rc = mw_cfg_resolve_path(&L, &L.cfg->sensitivity.lexicon);
  if (!rc) rc = mw_cfg_resolve_path(&L, &L.cfg->calendar);
out:
  mw_cfg_yaml_free(&tree);
  for (int s = 0; s < MW_CFG_SECTION_COUNT; s++) {
    free(L.uniq[s].v);
    free(L.items[s].v);
  }
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
  free(cfg->calendar);
  mw_tz_free(cfg->tz);
  free(cfg->crawler.user_agent);
  free(cfg->serve.listen);
  free(cfg->health.digest_at);
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
    struct mw_target_conf *t = &cfg->targets[i];
    char **lists[] = {t->outlets, t->topics, t->mentions, t->each};
    size_t counts[] = {t->n_outlets, t->n_topics, t->n_mentions, t->n_each};
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
      for (size_t j = 0; lists[k] && j < counts[k]; j++) free(lists[k][j]);
      free(lists[k]);
    }
    free(t->from);
    free(t->to);
    free(t->count);
  }
  free(cfg->targets);
  mw_cfg_alerts_free(&cfg->alerts);
  free(cfg);
}
