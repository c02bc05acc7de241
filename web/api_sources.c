/*
 * api_sources.c: GET /api/sources, the health of every active source for
 * the 信源状态 page: its fetch state (ok, failing, never polled), the last
 * success, attempt and error, when it is due next, and how many articles
 * it brought in the last seven days.
 *
 * What it leaves to others: the fetch state and activity queries
 * (store/).
 */
#include <stdlib.h>

#include "web/api_args.h"

#define ACTIVITY_WINDOW_S (7 * 86400)

static const char *status_of(const struct mw_source_state *s) {
  if (!s->last_fetch) return "never";
  return s->consecutive_failures > 0 ? "failing" : "ok";
}

static json_t *source_json(const struct mw_web *w,
                           const struct mw_source_state *s,
                           const struct mw_source_activity *act) {
  json_t *e = json_object();
  if (!e) return NULL;
  if (mw_web_api_set_int(e, "id", s->id) ||
      mw_web_api_set_str(e, "outlet", s->outlet_name) ||
      mw_web_api_set_str(e, "url", s->url) ||
      mw_web_api_set_str(e, "kind", mw_source_kind_name(s->kind)) ||
      mw_web_api_set_str(e, "status", status_of(s)) ||
      mw_web_api_set_time(w, e, "last_ok", s->last_ok) ||
      mw_web_api_set_time(w, e, "last_fetch", s->last_fetch) ||
      mw_web_api_set_str(e, "last_error", s->last_error) ||
      mw_web_api_set_int(e, "last_status", s->last_status) ||
      mw_web_api_set_int(e, "consecutive_failures", s->consecutive_failures) ||
      mw_web_api_set_time(w, e, "next_due", s->next_due) ||
      mw_web_api_set_int(e, "poll_interval_s", s->poll_interval_s) ||
      mw_web_api_set_int(e, "articles_7d", act ? act->articles_since : 0) ||
      mw_web_api_set_time(w, e, "last_article", act ? act->last_article : 0)) {
    json_decref(e);
    return NULL;
  }
  return e;
}

int mw_web_api_sources(struct mw_web_req *r, struct mw_web_resp *o) {
  struct mw_err err = {0};
  struct mw_source_state *src = NULL;
  struct mw_source_activity *act = NULL;
  size_t n = 0, n_act = 0;
  int rc = mw_store_list_sources(r->store, &src, &n, &err);
  if (!rc)
    rc = mw_store_source_activity(r->store, r->now - ACTIVITY_WINDOW_S, &act,
                                  &n_act, &err);
  json_t *list = rc ? NULL : json_array();
  bool oom = !rc && !list;
  /* Both lists run by source id: walk them together (a source added
   * between the two reads has no activity row yet). */
  for (size_t i = 0, k = 0; !rc && !oom && i < n; i++) {
    while (k < n_act && act[k].source_id < src[i].id) k++;
    const struct mw_source_activity *a =
        k < n_act && act[k].source_id == src[i].id ? &act[k] : NULL;
    oom = json_array_append_new(list, source_json(r->web, &src[i], a)) != 0;
  }
  mw_store_sources_free(src, n);
  free(act);
  if (rc) return mw_web_api_fail(o, rc, &err);
  json_t *j = oom ? NULL : json_object();
  if (!j || json_object_set(j, "sources", list)) oom = true;
  json_decref(list);
  if (oom) {
    json_decref(j);
    return MW_ENOMEM;
  }
  return mw_web_reply_json(o, 200, j);
}
