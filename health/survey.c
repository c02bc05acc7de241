/*
 * survey.c: every active source judged (mw_health_survey), and which
 * sources carry a coverage target (mw_health_carries_target), whose
 * problems reach the admins at once.
 *
 * It reads the store (the source list, then each source's history) and
 * hands the judging to judge.c. What it leaves to others: the JSON
 * (json.c), recording and telling (check.c).
 */
#include <stdlib.h>
#include <string.h>

#include "health/health_int.h"

#define DAY_S 86400
/* Publication times read per source: the window the silence rule and the
 * 7-day count look at. */
#define PUB_WINDOW_S (365 * DAY_S) /* judge.c: SILENCE_WINDOW_S */

static bool names(const char *name, const char *outlet) {
  return name && outlet && strcmp(name, outlet) == 0;
}

bool mw_health_carries_target(const struct mw_config *cfg, const char *outlet,
                              enum mw_tier tier) {
  if (!cfg || !outlet) return false;
  for (size_t i = 0; i < cfg->n_targets; i++) {
    const struct mw_target_conf *t = &cfg->targets[i];
    bool named_any = t->outlet || t->n_outlets > 0;
    bool named = names(t->outlet, outlet);
    for (size_t j = 0; !named && j < t->n_outlets; j++)
      named = names(t->outlets[j], outlet);
    /* each: one target per item, counting the articles that mention it:
     * an outlet named there is what that target is about. */
    bool each = false;
    for (size_t j = 0; !each && j < t->n_each; j++)
      each = names(t->each[j], outlet);
    if (each) return true;
    if (named_any) {
      if (named && (t->tier < 0 || t->tier == (int)tier)) return true;
    } else if (t->tier >= 0 && t->tier == (int)tier) {
      return true;
    }
  }
  return false;
}

static enum mw_tier tier_of(const struct mw_config *cfg, const char *outlet) {
  for (size_t i = 0; outlet && i < cfg->n_outlets; i++)
    if (cfg->outlets[i].name && strcmp(cfg->outlets[i].name, outlet) == 0)
      return cfg->outlets[i].tier;
  return MW_TIER_PORTAL;
}

static void free_src(struct mw_source_state *s) {
  free(s->outlet_name);
  free(s->url);
  free(s->etag);
  free(s->last_modified);
  free(s->last_error);
  free(s->interval_why);
  free(s->moved_to);
}

void mw_health_rows_free(struct mw_health_row *rows, size_t n) {
  if (!rows) return;
  for (size_t i = 0; i < n; i++) {
    free_src(&rows[i].src);
    free(rows[i].health.problems);
  }
  free(rows);
}

int mw_health_survey(const struct mw_config *cfg, struct mw_store *s,
                     int64_t now, struct mw_health_row **out, size_t *n,
                     struct mw_err *err) {
  *out = NULL;
  *n = 0;
  struct mw_source_state *srcs = NULL;
  size_t n_srcs = 0;
  int rc = mw_store_list_sources(s, &srcs, &n_srcs, err);
  if (rc) return rc;
  struct mw_health_row *rows =
      n_srcs ? calloc(n_srcs, sizeof *rows) : NULL;
  if (n_srcs && !rows) {
    mw_store_sources_free(srcs, n_srcs);
    return mw_err_set(err, MW_ENOMEM, "out of memory");
  }
  size_t recent = cfg->health.recent_articles > 0
                      ? (size_t)cfg->health.recent_articles
                      : 10;
  for (size_t i = 0; i < n_srcs && rc == MW_OK; i++) {
    struct mw_health_row *r = &rows[i];
    /* The row takes the strings over; the list keeps NULLs to free. */
    r->src = srcs[i];
    memset(&srcs[i], 0, sizeof srcs[i]);
    r->tier = tier_of(cfg, r->src.outlet_name);
    r->carries_target =
        mw_health_carries_target(cfg, r->src.outlet_name, r->tier);
    struct mw_source_history h;
    memset(&h, 0, sizeof h);
    rc = mw_store_source_history(s, r->src.id, recent, now - PUB_WINDOW_S,
                                 &h, err);
    if (rc) {
      mw_err_prefix(err, "source %s: ", r->src.url ? r->src.url : "?");
      break;
    }
    r->last_new = h.last_new;
    for (size_t j = 0; j < h.n_published; j++)
      if (h.published[j] >= now - 7 * DAY_S && h.published[j] <= now)
        r->articles_7d++;
    struct mw_source_health v;
    mw_health_judge(&cfg->health, &r->src, &h, now, &v);
    mw_source_history_free(&h);
    r->health.status = v.status;
    if (v.n_problems) {
      r->health.problems = malloc(v.n_problems * sizeof *r->health.problems);
      if (!r->health.problems) {
        rc = mw_err_set(err, MW_ENOMEM, "out of memory");
        break;
      }
      memcpy(r->health.problems, v.problems,
             v.n_problems * sizeof *r->health.problems);
      r->health.n_problems = v.n_problems;
    }
  }
  mw_store_sources_free(srcs, n_srcs);
  if (rc) {
    mw_health_rows_free(rows, n_srcs);
    return rc;
  }
  *out = rows;
  *n = n_srcs;
  return MW_OK;
}
