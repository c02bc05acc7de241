/*
 * config_targets.c: the loader's cross-checks of the targets section, once
 * the walk is done and the names of outlets and topics are sorted: every
 * outlet and topic a target names is defined (with a "did you mean"),
 * `each` and `mentions` are not both given, `count` is articles or
 * stories, and a range period has a first and a last day in order (their
 * days since 1970 are set here) while other periods have neither.
 * Messages point at the offending value as FILE:LINE:COL.
 *
 * What it leaves to others: parsing and the single values (config.c,
 * config_table.c), counting (store/targets.c), attainment
 * (report/targets.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli/config_targets.h"
#include "cli/config_table.h"
#include "cli/config_yaml.h"
#include "store/store.h"

/* The value node of key in item, or element j of it when it is a list;
 * item itself when the key is absent. */
static const struct mw_cfg_node *target_at(const struct mw_cfg_node *item,
                                           const char *key, size_t j) {
  const struct mw_cfg_node *k = mw_cfg_key(item, key);
  if (!k || !k->next) return item;
  const struct mw_cfg_node *v = k->next;
  if (v->kind != MW_CFG_NODE_SEQ) return v;
  const struct mw_cfg_node *e = v->first;
  for (size_t i = 0; e && i < j; i++) e = e->next;
  return e ? e : v;
}

/* The defined name of u closest to typed, for "did you mean", or NULL. */
static const char *target_near(const struct mw_cfg_uniq_list *u,
                               const char *typed) {
  const char *best = NULL;
  size_t best_d = SIZE_MAX;
  for (size_t i = 0; i < u->n; i++) {
    size_t d = mw_cfg_near(typed, u->v[i].s);
    if (d < best_d) {
      best = u->v[i].s;
      best_d = d;
    }
  }
  return best;
}

/* Fails unless name is defined in section sec (outlets, topics). */
static int target_names(struct mw_cfg_loader *L, const struct mw_cfg_node *at,
                        const char *target, enum mw_cfg_section sec,
                        const char *name) {
  const struct mw_cfg_uniq_list *u = &L->uniq[sec];
  if (mw_cfg_defined(u, name)) return MW_OK;
  char qn[MW_CFG_QUOTE_MAX + 8], qv[MW_CFG_QUOTE_MAX + 8], qh[MW_CFG_QUOTE_MAX + 8];
  char hint[MW_CFG_QUOTE_MAX + 32] = "";
  mw_cfg_quote(target, qn, sizeof qn);
  mw_cfg_quote(name, qv, sizeof qv);
  const char *near = target_near(u, name);
  if (near) {
    mw_cfg_quote(near, qh, sizeof qh);
    snprintf(hint, sizeof hint, " (did you mean '%s'?)", qh);
  }
  const char *word = sec == MW_CFG_TOPIC ? "topic" : "outlet";
  return mw_cfg_fail_at(L, at,
                        "target '%s' names %s '%s', which is not defined "
                        "under %ss%s", qn, word, qv, word, hint);
}

/* "YYYY-MM-DD" into days since 1970-01-01; false when it is not one. */
static bool target_date(const char *s, int64_t *days) {
  int v[3] = {0, 0, 0};
  const int width[3] = {4, 2, 2};
  const char *p = s;
  for (int f = 0; f < 3; f++) {
    if (f && *p++ != '-') return false;
    for (int i = 0; i < width[f]; i++, p++) {
      if (!mw_ascii_isdigit((unsigned char)*p)) return false;
      v[f] = v[f] * 10 + (*p - '0');
    }
  }
  if (*p || !mw_civil_valid(v[0], v[1], v[2], 0, 0, 0)) return false;
  *days = mw_days_from_civil(v[0], v[1], v[2]);
  return true;
}

static int check_target(struct mw_cfg_loader *L, size_t i) {
  struct mw_target_conf *t = &L->cfg->targets[i];
  const struct mw_cfg_node *item = L->items[MW_CFG_TARGET].v[i];
  char qn[MW_CFG_QUOTE_MAX + 8], qv[MW_CFG_QUOTE_MAX + 8];
  mw_cfg_quote(t->name, qn, sizeof qn);
  int rc = MW_OK;
  if (t->topic)
    rc = target_names(L, target_at(item, "topic", 0), t->name, MW_CFG_TOPIC,
                      t->topic);
  for (size_t j = 0; !rc && j < t->n_topics; j++)
    rc = target_names(L, target_at(item, "topics", j), t->name, MW_CFG_TOPIC,
                      t->topics[j]);
  if (!rc && t->outlet)
    rc = target_names(L, target_at(item, "outlet", 0), t->name,
                      MW_CFG_OUTLET, t->outlet);
  for (size_t j = 0; !rc && j < t->n_outlets; j++)
    rc = target_names(L, target_at(item, "outlets", j), t->name,
                      MW_CFG_OUTLET, t->outlets[j]);
  if (rc) return rc;
  if (t->n_each && t->n_mentions)
    return mw_cfg_fail_at(L, target_at(item, "each", 0),
                          "target '%s' has both 'each' and 'mentions'; "
                          "'each' already counts the articles that mention "
                          "its item", qn);
  if (t->n_outlets + (t->outlet != NULL) > MW_STORE_TARGET_MAX_TERMS ||
      t->n_topics + (t->topic != NULL) > MW_STORE_TARGET_MAX_TERMS ||
      t->n_mentions > MW_STORE_TARGET_MAX_TERMS ||
      t->n_each > MW_STORE_TARGET_MAX_TERMS)
    return mw_cfg_fail_at(L, item,
                          "target '%s' lists more than %d outlets, topics, "
                          "mentions or items", qn, MW_STORE_TARGET_MAX_TERMS);
  t->stories = false;
  if (t->count) {
    if (!strcmp(t->count, "stories")) {
      t->stories = true;
    } else if (strcmp(t->count, "articles")) {
      mw_cfg_quote(t->count, qv, sizeof qv);
      return mw_cfg_fail_at(L, target_at(item, "count", 0),
                            "target '%s' has count '%s'; write articles or "
                            "stories", qn, qv);
    }
  }
  bool range = t->period && !strcmp(t->period, "range");
  if (!range) {
    if (t->from || t->to)
      return mw_cfg_fail_at(L, target_at(item, t->from ? "from" : "to", 0),
                            "target '%s' has '%s' but its period is %s; "
                            "'from' and 'to' go with period: range", qn,
                            t->from ? "from" : "to",
                            t->period ? t->period : "month");
    return MW_OK;
  }
  if (!t->from || !t->to)
    return mw_cfg_fail_at(L, target_at(item, "period", 0),
                          "target '%s' has period range without '%s'; give "
                          "both from and to (YYYY-MM-DD)", qn,
                          t->from ? "to" : "from");
  const char *keys[2] = {"from", "to"};
  const char *vals[2] = {t->from, t->to};
  int64_t *days[2] = {&t->from_day, &t->to_day};
  for (int k = 0; k < 2; k++)
    if (!target_date(vals[k], days[k])) {
      mw_cfg_quote(vals[k], qv, sizeof qv);
      return mw_cfg_fail_at(L, target_at(item, keys[k], 0),
                            "target '%s' has %s '%s', which is not a date "
                            "like 2023-05-01", qn, keys[k], qv);
    }
  if (t->to_day < t->from_day)
    return mw_cfg_fail_at(L, target_at(item, "to", 0),
                          "target '%s' ends (%s) before it starts (%s)", qn,
                          t->to, t->from);
  if (t->to_day - t->from_day >= 3660)
    return mw_cfg_fail_at(L, target_at(item, "to", 0),
                          "target '%s' spans more than 10 years", qn);
  return MW_OK;
}

int mw_cfg_check_targets(struct mw_cfg_loader *L) {
  int rc = MW_OK;
  for (size_t i = 0; !rc && i < L->cfg->n_targets; i++)
    rc = check_target(L, i);
  return rc;
}
