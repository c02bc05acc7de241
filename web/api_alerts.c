/*
 * api_alerts.c: the alert queue of the JSON API. GET /api/alerts (the
 * filtered, paged list), GET /api/alerts/{id} (one alert with its audit
 * trail and articles) and POST /api/alerts/{id}/{action} (a duty officer's
 * workflow step: ack, assign, progress, feedback, close).
 *
 * A step goes through the one alerts engine of the server, under its lock
 * and in one store transaction, so the change, its audit row and the
 * notifications it causes land together; the signed-in user's name is the
 * actor. Then the live streams are woken.
 *
 * What it leaves to others: who may call what and CSRF (the server, from
 * routes_api.c), the workflow table and its messages (alerts/), the
 * alert's JSON (json.c).
 */
#include <string.h>

#include "web/api_args.h"

#define ALERTS_PER_PAGE 50
#define ALERTS_PER_PAGE_MAX 200
#define COMMENT_MAX 4000 /* bytes of a comment */
#define UNIT_MAX 200     /* bytes of a unit's name */

/* A flag argument: absent, "", "0", "false" are false; "1", "true" true. */
static int flag_arg(const struct mw_web_req *r, struct mw_web_resp *o,
                    const char *key, bool *v) {
  const char *s = mw_web_arg(r, key);
  *v = false;
  if (!s || !*s || !strcmp(s, "0") || !strcmp(s, "false")) return MW_OK;
  if (!strcmp(s, "1") || !strcmp(s, "true")) {
    *v = true;
    return MW_OK;
  }
  return mw_web_reply_error(o, 400, "invalid", "%s: give 1 or 0", key);
}

/* A level argument (1..4, the name, 一般.., the colour); 0 when absent. */
static int level_arg(const struct mw_web_req *r, struct mw_web_resp *o,
                     const char *key, int *v) {
  const char *s;
  int rc = mw_web_api_text_arg(r, o, key, &s);
  enum mw_alert_level l;
  *v = 0;
  if (rc || !s) return rc;
  if (mw_alert_level_parse(s, &l))
    return mw_web_reply_error(o, 400, "invalid",
                              "%s: give a level from 1 (一般) to 4 (特别重大)",
                              key);
  *v = (int)l;
  return MW_OK;
}

/* The list's filter from the query; strings point into the request. */
static int read_filter(const struct mw_web_req *r, struct mw_web_resp *o,
                       struct mw_alert_filter *f) {
  const char *state;
  int rc = mw_web_api_text_arg(r, o, "state", &state);
  if (!rc && state) {
    enum mw_alert_state st;
    if (mw_alert_state_parse(state, &st))
      return mw_web_reply_error(o, 400, "invalid",
                                "state: give new, reported, assigned, "
                                "in_progress, feedback or closed");
    f->state = mw_alert_state_name(st);
  }
  if (!rc) rc = level_arg(r, o, "level", &f->level);
  if (!rc) rc = level_arg(r, o, "min_level", &f->min_level);
  if (!rc) rc = mw_web_api_text_arg(r, o, "topic", &f->topic);
  if (!rc) rc = mw_web_api_text_arg(r, o, "region", &f->region);
  if (!rc) rc = flag_arg(r, o, "open", &f->open_only);
  if (!rc) rc = flag_arg(r, o, "overdue", &f->overdue_only);
  if (!rc) rc = mw_web_api_time_arg(r, o, "since", false, &f->since);
  if (!rc) rc = mw_web_api_time_arg(r, o, "until", true, &f->until);
  return rc;
}

int mw_web_api_alerts(struct mw_web_req *r, struct mw_web_resp *o) {
  struct mw_alert_filter f = {0};
  size_t page, per_page;
  int rc = read_filter(r, o, &f);
  if (!rc)
    rc = mw_web_api_paging(r, o, ALERTS_PER_PAGE, ALERTS_PER_PAGE_MAX, &page,
                           &per_page);
  if (rc) return rc;
  f.offset = (page - 1) * per_page;
  f.limit = per_page + 1; /* one more says whether a next page exists */
  struct mw_err err = {0};
  struct mw_alert_rec *a = NULL;
  size_t n = 0;
  rc = mw_store_alert_list(r->store, &f, &a, &n, &err);
  if (rc) return mw_web_api_fail(o, rc, &err);
  json_t *list = json_array();
  json_t *j = json_object();
  bool oom = !list || !j;
  for (size_t i = 0; !oom && i < n && i < per_page; i++)
    oom = json_array_append_new(list, mw_web_alert_json(r->web, &a[i])) != 0;
  mw_alert_recs_free(a, n);
  if (!oom)
    oom = json_object_set(j, "alerts", list) ||
          mw_web_api_set_int(j, "page", (int64_t)page) ||
          mw_web_api_set_int(j, "per_page", (int64_t)per_page) ||
          json_object_set_new(j, "more", json_boolean(n > per_page));
  json_decref(list);
  if (oom) {
    json_decref(j);
    return MW_ENOMEM;
  }
  return mw_web_reply_json(o, 200, j);
}

/* The audit trail of alert id as a JSON array; NULL on failure. */
static json_t *events_json(const struct mw_web_req *r, int64_t id, int *rc,
                           struct mw_err *err) {
  struct mw_alert_event *ev = NULL;
  size_t n = 0;
  *rc = mw_store_alert_events(r->store, id, &ev, &n, err);
  if (*rc) return NULL;
  json_t *arr = json_array();
  bool oom = !arr;
  for (size_t i = 0; !oom && i < n; i++) {
    json_t *e = json_object();
    oom = !e || mw_web_api_set_int(e, "id", ev[i].id) ||
          mw_web_api_set_time(r->web, e, "at", ev[i].at) ||
          mw_web_api_set_str(e, "actor", ev[i].actor) ||
          mw_web_api_set_str(e, "action", ev[i].action) ||
          mw_web_api_set_str(e, "from_state", ev[i].from_state) ||
          mw_web_api_set_str(e, "to_state", ev[i].to_state) ||
          mw_web_api_set_str(e, "comment", ev[i].comment) ||
          json_array_append(arr, e);
    json_decref(e);
  }
  mw_alert_events_free(ev, n);
  if (oom) {
    json_decref(arr);
    *rc = MW_ENOMEM;
    return NULL;
  }
  return arr;
}

/* The alert's articles as a JSON array; NULL on failure. */
static json_t *articles_json(const struct mw_web_req *r, int64_t id, int *rc,
                             struct mw_err *err) {
  struct mw_alert_article *a = NULL;
  size_t n = 0;
  *rc = mw_store_alert_articles(r->store, id, &a, &n, err);
  if (*rc) return NULL;
  json_t *arr = json_array();
  bool oom = !arr;
  for (size_t i = 0; !oom && i < n; i++) {
    json_t *e = json_object();
    oom = !e || mw_web_api_set_int(e, "id", a[i].id) ||
          mw_web_api_set_str(e, "title", a[i].title) ||
          mw_web_api_set_str(e, "url", a[i].url) ||
          mw_web_api_set_str(e, "outlet", a[i].outlet) ||
          mw_web_api_set_time(r->web, e, "published", a[i].published) ||
          mw_web_api_set_time(r->web, e, "fetched", a[i].fetched) ||
          json_array_append(arr, e);
    json_decref(e);
  }
  mw_alert_articles_free(a, n);
  if (oom) {
    json_decref(arr);
    *rc = MW_ENOMEM;
    return NULL;
  }
  return arr;
}

int mw_web_api_alert(struct mw_web_req *r, struct mw_web_resp *o) {
  int64_t id;
  const char *rest;
  if (!mw_web_path_id(r->path, "/api/alerts/", &id, &rest) || *rest)
    return mw_web_reply_error(o, 404, "not_found", "no such page: %s", r->path);
  struct mw_err err = {0};
  struct mw_alert_rec a = {0};
  int rc = mw_store_alert_get(r->store, id, &a, &err);
  if (rc) return mw_web_api_fail(o, rc, &err);
  json_t *j = mw_web_alert_json(r->web, &a);
  mw_alert_rec_cleanup(&a);
  if (!j) return MW_ENOMEM;
  json_t *ev = events_json(r, id, &rc, &err);
  json_t *art = rc ? NULL : articles_json(r, id, &rc, &err);
  if (!rc && (json_object_set_new(j, "events", ev) ||
              json_object_set_new(j, "articles", art)))
    rc = MW_ENOMEM;
  if (rc) {
    json_decref(j);
    return mw_web_api_fail(o, rc, &err);
  }
  return mw_web_reply_json(o, 200, j);
}

/* The action named at the end of the path, exactly as the API spells it
 * (the engine's parser also takes Chinese words: not in URLs). */
static bool action_of(const char *s, enum mw_alert_action *a) {
  for (int i = 0; i < MW_ACTION_COUNT; i++) {
    if (!strcmp(s, mw_alert_action_name((enum mw_alert_action)i))) {
      *a = (enum mw_alert_action)i;
      return true;
    }
  }
  return false;
}

/* A string member of the body: absent or null gives NULL; anything but a
 * string of at most max bytes is refused. */
static int body_str(json_t *body, struct mw_web_resp *o, const char *key,
                    size_t max, const char **v) {
  json_t *m = json_object_get(body, key);
  *v = NULL;
  if (!m || json_is_null(m)) return MW_OK;
  if (!json_is_string(m))
    return mw_web_reply_error(o, 400, "invalid", "%s: give a text", key);
  if (json_string_length(m) > max)
    return mw_web_reply_error(o, 400, "invalid", "%s: at most %zu bytes", key,
                              max);
  *v = json_string_value(m);
  if (!**v) *v = NULL;
  return MW_OK;
}

/* The body's due time: a local time text or epoch seconds; 0 when none. */
static int body_due(const struct mw_web_req *r, json_t *body,
                    struct mw_web_resp *o, int64_t *due) {
  json_t *m = json_object_get(body, "due");
  *due = 0;
  if (!m || json_is_null(m)) return MW_OK;
  if (json_is_integer(m)) {
    *due = (int64_t)json_integer_value(m);
  } else if (json_is_string(m) && json_string_length(m) > 0) {
    if (!mw_web_api_parse_local(r->web->cfg->tz, json_string_value(m),
                                json_string_length(m), true, due))
      return mw_web_reply_error(o, 400, "invalid",
                                "due: give a local time like "
                                "\"2026-11-26 18:00\" or epoch seconds");
  } else if (json_is_string(m)) {
    return MW_OK;
  } else {
    return mw_web_reply_error(o, 400, "invalid",
                              "due: give a local time like "
                              "\"2026-11-26 18:00\" or epoch seconds");
  }
  if (*due <= r->now)
    return mw_web_reply_error(o, 400, "invalid",
                              "due: the time given has passed already");
  return MW_OK;
}

/* Applies c to alert id in one transaction under the engine's lock. */
static int apply(struct mw_web_req *r, int64_t id,
                 const struct mw_alert_change *c, struct mw_err *err) {
  struct mw_web *w = r->web;
  if (!w->alerts)
    return mw_err_set(err, MW_EIO, "the server has no alerts engine");
  pthread_mutex_lock(&w->alerts_lock);
  int rc = mw_store_begin(r->store, err);
  if (!rc) {
    rc = mw_alerts_apply(w->alerts, r->store, id, c, r->now, err);
    if (!rc) rc = mw_store_commit(r->store, err);
    if (rc) mw_store_rollback(r->store);
  }
  pthread_mutex_unlock(&w->alerts_lock);
  return rc;
}

int mw_web_api_alert_action(struct mw_web_req *r, struct mw_web_resp *o) {
  int64_t id;
  const char *rest;
  enum mw_alert_action act;
  if (!mw_web_path_id(r->path, "/api/alerts/", &id, &rest) ||
      !action_of(rest, &act))
    return mw_web_reply_error(o, 404, "not_found",
                              "no such action: use POST "
                              "/api/alerts/ID/ack|assign|progress|feedback|"
                              "close");
  /* An empty body is an action with nothing more to say (ack). */
  json_t *body = r->body_len ? mw_web_body_json(r, o) : json_object();
  if (!body) return r->body_len ? MW_EINVAL : MW_ENOMEM;
  struct mw_alert_change c = {.action = act, .actor = r->user->name};
  int rc = body_str(body, o, "comment", COMMENT_MAX, &c.comment);
  if (!rc) rc = body_str(body, o, "unit", UNIT_MAX, &c.unit);
  if (!rc && act == MW_ACTION_ASSIGN) rc = body_due(r, body, o, &c.due);
  if (!rc && act == MW_ACTION_ASSIGN && !c.unit)
    rc = mw_web_reply_error(o, 400, "invalid",
                            "unit: assign needs the unit the alert goes to "
                            "(the responsible locality or department)");
  struct mw_err err = {0};
  if (!rc) {
    rc = apply(r, id, &c, &err);
    if (rc == MW_EINVAL)
      rc = mw_web_reply_error(o, 409, "conflict", "%s", err.msg);
    else if (rc)
      rc = mw_web_api_fail(o, rc, &err);
  }
  json_decref(body);
  if (rc) return rc;
  if (r->web->hub) mw_web_hub_kick(r->web->hub);
  struct mw_alert_rec a = {0};
  rc = mw_store_alert_get(r->store, id, &a, &err);
  if (rc) return mw_web_api_fail(o, rc, &err);
  json_t *j = mw_web_alert_json(r->web, &a);
  mw_alert_rec_cleanup(&a);
  return j ? mw_web_reply_json(o, 200, j) : MW_ENOMEM;
}
