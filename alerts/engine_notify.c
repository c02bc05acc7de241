/*
 * engine_notify.c: who hears of an alert, and what each of them gets.
 *
 * Routing: every route whose level, regions and topics match names
 * receivers; "duty" is whoever the roster has on duty at that moment (the
 * first person of the shift), and level 4 goes to every leader as well.
 * A set keeps one flag per configured receiver, so each receiver is told
 * once per change, in config order. Each receiver gets the message
 * rendered with its own template plus the alert as JSON, written to the
 * outbox; a receiver that is quiet (or wants a daily digest) gets one
 * held line instead for levels 1 and 2, which engine_tick.c later sends as
 * a digest. Every round leaves a "notified" event naming who was told.
 *
 * What it leaves to others: rendering (message.c), the roster and quiet
 * hours (roster.c), delivering the outbox (sender), SQL (store/).
 */
#include <stdlib.h>
#include <string.h>

#include "alerts/engine_int.h"

/* One change of one alert as a line of a digest. */
static const char LINE_TMPL[] =
    "{event}：【{level_zh}】{title}（属地：{region}；{outlets}）";

/* ------------------------------------------------------------- routing */

int engine_rcpt_init(const struct mw_alerts *a, struct engine_rcpt *r,
                     struct mw_err *err) {
  r->n = a->c->n_receivers;
  r->on = calloc(r->n ? r->n : 1, sizeof *r->on);
  if (!r->on) return mw_err_set(err, MW_ENOMEM, "alerts: out of memory");
  return MW_OK;
}

void engine_rcpt_cleanup(struct engine_rcpt *r) {
  free(r->on);
  r->on = NULL;
  r->n = 0;
}

size_t engine_rcpt_count(const struct engine_rcpt *r) {
  size_t k = 0;
  for (size_t i = 0; i < r->n; i++) k += r->on[i];
  return k;
}

bool engine_rcpt_add_receiver(const struct mw_alerts *a,
                              struct engine_rcpt *r, const char *name) {
  if (!name) return false;
  for (size_t i = 0; i < r->n; i++)
    if (a->c->receivers[i].name && !strcmp(a->c->receivers[i].name, name)) {
      r->on[i] = true;
      return true;
    }
  return false;
}

static const struct mw_person_conf *person(const struct mw_alerts *a,
                                           const char *name) {
  for (size_t i = 0; name && i < a->c->n_people; i++)
    if (a->c->people[i].name && !strcmp(a->c->people[i].name, name))
      return &a->c->people[i];
  return NULL;
}

static void add_person_conf(const struct mw_alerts *a, struct engine_rcpt *r,
                            const struct mw_person_conf *p) {
  for (size_t j = 0; j < p->n_receivers; j++)
    engine_rcpt_add_receiver(a, r, p->receivers[j]);
}

bool engine_rcpt_add_person(const struct mw_alerts *a, struct engine_rcpt *r,
                            const char *name) {
  const struct mw_person_conf *p = person(a, name);
  if (p) add_person_conf(a, r, p);
  return p != NULL;
}

bool engine_rcpt_add_named(const struct mw_alerts *a, struct engine_rcpt *r,
                           const char *name) {
  return engine_rcpt_add_receiver(a, r, name) ||
         engine_rcpt_add_person(a, r, name);
}

void engine_rcpt_add_leaders(const struct mw_alerts *a,
                             struct engine_rcpt *r) {
  for (size_t i = 0; i < a->c->n_people; i++)
    if (a->c->people[i].leader) add_person_conf(a, r, &a->c->people[i]);
}

static bool route_matches(const struct mw_alerts *a,
                          const struct mw_route_conf *rt,
                          const struct mw_alert_rec *rec) {
  if (rec->level < rt->min_level) return false;
  if (rt->n_regions) {
    bool hit = false;
    for (size_t i = 0; !hit && i < rt->n_regions; i++)
      hit = engine_within(a, rec->region, rt->regions[i]);
    if (!hit) return false;
  }
  if (rt->n_topics) {
    bool hit = false;
    for (size_t i = 0; !hit && rec->topic && i < rt->n_topics; i++)
      hit = rt->topics[i] && !strcmp(rt->topics[i], rec->topic);
    if (!hit) return false;
  }
  return true;
}

void engine_rcpt_add_routes(const struct mw_alerts *a, struct engine_rcpt *r,
                            const struct mw_alert_rec *rec, int64_t now) {
  const struct mw_shift_conf *duty = NULL;
  bool duty_known = false;
  for (size_t i = 0; i < a->c->n_routes; i++) {
    const struct mw_route_conf *rt = &a->c->routes[i];
    if (!route_matches(a, rt, rec)) continue;
    for (size_t j = 0; j < rt->n_receivers; j++) {
      if (strcmp(rt->receivers[j], "duty")) {
        engine_rcpt_add_receiver(a, r, rt->receivers[j]);
        continue;
      }
      if (!duty_known) {
        duty = mw_roster_on_duty(a->c, a->tz, now);
        duty_known = true;
      }
      if (duty && duty->n_people) engine_rcpt_add_person(a, r, duty->people[0]);
    }
  }
  if (rec->level >= MW_ALERT_CRITICAL) engine_rcpt_add_leaders(a, r);
}

/* ------------------------------------------------------------ notifying */

/* Appends name to a "、"-joined list. */
static int list_add(struct mw_buf *b, const char *name) {
  if (b->len && mw_buf_puts(b, "、")) return MW_ENOMEM;
  return mw_buf_puts(b, name);
}

int engine_notify(const struct mw_alerts *a, struct mw_store *s,
                  struct mw_alert_rec *rec, enum mw_alert_event_kind ev,
                  const struct engine_rcpt *to, int64_t now,
                  struct mw_err *err) {
  if (!engine_rcpt_count(to)) return MW_OK;
  const char *kind = mw_alert_event_name(ev);
  const char *link = a->c->link_base;
  char *json = NULL;
  int rc = mw_alert_to_json(rec, ev, link, &json, err);
  if (rc) return rc;
  struct mw_buf text, sent, held, note;
  mw_buf_init(&text, ENGINE_TEXT_MAX);
  mw_buf_init(&sent, ENGINE_TEXT_MAX);
  mw_buf_init(&held, ENGINE_TEXT_MAX);
  mw_buf_init(&note, ENGINE_TEXT_MAX);
  for (size_t i = 0; !rc && i < to->n; i++) {
    if (!to->on[i]) continue;
    const struct mw_receiver_conf *r = &a->c->receivers[i];
    /* Levels 3 and 4 are never held back. */
    bool hold = rec->level <= MW_ALERT_SERIOUS &&
                (r->digest || mw_receiver_is_quiet(r, a->tz, now));
    mw_buf_reset(&text);
    rc = mw_alert_render(hold ? LINE_TMPL : r->template_text, rec, ev, a->tz,
                         link, &text, err);
    if (rc) break;
    const char *t = text.data ? text.data : "";
    if (hold) {
      rc = mw_store_held_add(s, r->name, rec->id, now, t, err);
      if (!rc && list_add(&held, r->name))
        rc = mw_err_set(err, MW_ENOMEM, "alerts: out of memory");
    } else {
      rc = mw_store_outbox_add(s, rec->id, r->name, kind, t, json, now, NULL,
                               err);
      if (!rc && list_add(&sent, r->name))
        rc = mw_err_set(err, MW_ENOMEM, "alerts: out of memory");
    }
  }
  if (!rc) {
    int w = 0;
    if (sent.len) w = mw_buf_printf(&note, "%s：%s", kind, sent.data);
    if (!w && held.len)
      w = mw_buf_printf(&note, "%s暂存待摘要（%s）：%s", note.len ? "；" : "",
                        kind, held.data);
    rc = w ? mw_err_set(err, MW_ENOMEM, "alerts: out of memory")
           : engine_event(s, rec->id, now, ENGINE_ACTOR, "notified", NULL,
                          NULL, note.data, err);
  }
  if (!rc) {
    rec->notified_at = now;
    rec->notified_level = rec->level;
  }
  free(json);
  mw_buf_cleanup(&text);
  mw_buf_cleanup(&sent);
  mw_buf_cleanup(&held);
  mw_buf_cleanup(&note);
  return rc;
}

int engine_notify_routes(const struct mw_alerts *a, struct mw_store *s,
                         struct mw_alert_rec *rec,
                         enum mw_alert_event_kind ev, const char *extra,
                         int64_t now, struct mw_err *err) {
  struct engine_rcpt to;
  int rc = engine_rcpt_init(a, &to, err);
  if (rc) return rc;
  engine_rcpt_add_routes(a, &to, rec, now);
  if (extra) engine_rcpt_add_named(a, &to, extra);
  rc = engine_notify(a, s, rec, ev, &to, now, err);
  engine_rcpt_cleanup(&to);
  return rc;
}
