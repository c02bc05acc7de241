/*
 * api_sources.c: GET /api/sources, the health of every active source for
 * the 信源状态 page: its fetch state (ok, failing, never polled), the last
 * success, attempt and error, when it is due next, how many articles it
 * brought in the last seven days, and the verdict of health/ (ok,
 * degraded, broken) with each problem and its evidence.
 *
 * What it leaves to others: the fetch state (store/), the verdicts and
 * their JSON (health/): the problems are that JSON, so the API, `sources
 * health --json` and the admins' messages never disagree.
 */
#include <stdlib.h>
#include <string.h>

#include "health/health.h"
#include "web/api_args.h"

static const char *status_of(const struct mw_source_state *s) {
  if (!s->last_fetch) return "never";
  return s->consecutive_failures > 0 ? "failing" : "ok";
}

/* The fetch-state fields the page has always had, added to the survey's
 * object of the same source. */
static int add_state(const struct mw_web *w, json_t *e,
                     const struct mw_health_row *row) {
  const struct mw_source_state *s = &row->src;
  /* The API's times are epoch seconds with a _text beside them (the
   * survey's are ISO strings): the same keys, overwritten. */
  if (mw_web_api_set_str(e, "status", status_of(s)) ||
      mw_web_api_set_time(w, e, "last_ok", s->last_ok) ||
      mw_web_api_set_time(w, e, "last_fetch", s->last_fetch) ||
      mw_web_api_set_time(w, e, "last_new", row->last_new) ||
      mw_web_api_set_str(e, "health",
                         mw_health_status_name(row->health.status)) ||
      mw_web_api_set_str(e, "last_error", s->last_error) ||
      mw_web_api_set_int(e, "last_status", s->last_status) ||
      mw_web_api_set_int(e, "consecutive_failures", s->consecutive_failures) ||
      mw_web_api_set_time(w, e, "next_due", s->next_due) ||
      mw_web_api_set_int(e, "poll_interval_s", s->poll_interval_s) ||
      mw_web_api_set_time(w, e, "last_article", row->last_new))
    return MW_ENOMEM;
  return MW_OK;
}

int mw_web_api_sources(struct mw_web_req *r, struct mw_web_resp *o) {
  struct mw_err err = {0};
  struct mw_health_row *rows = NULL;
  size_t n = 0;
  char *text = NULL;
  int rc = mw_health_survey(r->web->cfg, r->store, r->now, &rows, &n, &err);
  if (!rc) rc = mw_health_rows_json(rows, n, r->web->cfg->tz, r->now, &text,
                                    &err);
  json_t *j = NULL;
  if (!rc) {
    j = json_loads(text, 0, NULL);
    json_t *list = json_object_get(j, "sources");
    if (!json_is_array(list) || json_array_size(list) != n) rc = MW_ENOMEM;
    for (size_t i = 0; !rc && i < n; i++)
      rc = add_state(r->web, json_array_get(list, i), &rows[i]);
  }
  free(text);
  mw_health_rows_free(rows, n);
  if (rc) {
    json_decref(j);
    return rc == MW_ENOMEM ? MW_ENOMEM : mw_web_api_fail(o, rc, &err);
  }
  return mw_web_reply_json(o, 200, j);
}
