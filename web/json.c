/*
 * json.c: an alert as the API and the live event stream show it.
 *
 * Every stored field a person may look at, times as epoch seconds plus
 * local text ("2026-11-25 14:03" in the config's zone), and the level's
 * and state's Chinese labels and colour from the alerts engine's tables
 * (alerts/levels.c, alerts/workflow.c), so the dashboard, the reports and
 * the messages agree. Strings the store left NULL are JSON null; outlets
 * is an array (the store joins them with "、").
 *
 * What it leaves to others: which alerts (api_alerts.c, sse.c), and the
 * notifier's JSON (mw_alert_to_json), which is a message, not this view.
 */
#include <string.h>

#include "web/web_int.h"

#define OUTLET_SEP "、"

static json_t *str_or_null(const char *s) {
  return s ? json_string(s) : json_null();
}

/* jansson refuses invalid UTF-8; stored text was checked on the way in,
 * but a NULL from json_string must not lose the whole alert. */
static int set_str(json_t *o, const char *key, const char *s) {
  json_t *v = str_or_null(s);
  if (!v) v = json_string("");
  return json_object_set_new(o, key, v);
}

static int set_time(const struct mw_web *w, json_t *o, const char *key,
                    const char *text_key, int64_t t) {
  char buf[32];
  mw_web_time_local(w, t, buf, sizeof buf);
  if (json_object_set_new(o, key, json_integer(t))) return -1;
  if (!text_key) return 0;
  return json_object_set_new(o, text_key, json_string(buf));
}

static json_t *outlets_array(const char *joined) {
  json_t *a = json_array();
  if (!a || !joined) return a;
  size_t sep = strlen(OUTLET_SEP);
  const char *p = joined;
  while (*p) {
    const char *e = strstr(p, OUTLET_SEP);
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (n) json_array_append_new(a, json_stringn(p, n));
    if (!e) break;
    p = e + sep;
  }
  return a;
}

json_t *mw_web_alert_json(const struct mw_web *w,
                          const struct mw_alert_rec *a) {
  json_t *o = json_object();
  if (!o) return NULL;
  enum mw_alert_level lv = (enum mw_alert_level)a->level;
  enum mw_alert_state st = MW_STATE_NEW;
  bool known = a->state && mw_alert_state_parse(a->state, &st) == MW_OK;
  int bad = 0;
  bad |= json_object_set_new(o, "id", json_integer(a->id));
  bad |= json_object_set_new(o, "level", json_integer(a->level));
  bad |= set_str(o, "level_zh", mw_alert_level_label_zh(lv));
  bad |= set_str(o, "color", mw_alert_level_hex(lv));
  bad |= set_str(o, "state", a->state);
  bad |= set_str(o, "state_zh", known ? mw_alert_state_label_zh(st)
                                      : a->state);
  bad |= set_str(o, "kind", a->kind);
  bad |= set_str(o, "title", a->title);
  bad |= set_str(o, "url", a->url);
  bad |= set_str(o, "topic", a->topic);
  bad |= set_str(o, "region", a->region);
  bad |= set_str(o, "reason", a->reason);
  bad |= set_time(w, o, "created", "created_text", a->created);
  bad |= set_time(w, o, "updated", "updated_text", a->updated);
  bad |= set_time(w, o, "deadline", "deadline_text", a->deadline);
  bad |= json_object_set_new(o, "overdue", json_boolean(a->overdue));
  bad |= set_time(w, o, "acked_at", "acked_at_text", a->acked_at);
  bad |= set_str(o, "acked_by", a->acked_by);
  bad |= set_str(o, "assignee", a->assignee);
  bad |= set_time(w, o, "due", "due_text", a->due);
  bad |= json_object_set_new(o, "escalation", json_integer(a->escalation));
  bad |= json_object_set_new(o, "article_count",
                             json_integer(a->article_count));
  bad |= json_object_set_new(o, "outlet_count", json_integer(a->outlet_count));
  bad |= json_object_set_new(o, "outlets", outlets_array(a->outlets));
  if (bad) {
    json_decref(o);
    return NULL;
  }
  return o;
}
