/*
 * engine_tick.c: the work time brings, for a given now.
 *
 * For each open alert that no silence holds: escalation while nobody has
 * acknowledged it (after ack_t1 to the other people of the shift on duty,
 * after ack_t2 to the leaders), the deadline (the response deadline while
 * new or reported, the due time once assigned: flagged overdue once and
 * notified, 督办), and the repeat every repeat_s after the last
 * notification until feedback is given (kind "overdue" once overdue).
 * Then bursts of topic mentions against the same hour of earlier weeks,
 * and the lines quiet receivers hold, released as one digest each when
 * their quiet period (or digest time) has passed.
 *
 * Every step records what it did in the alert (escalation, overdue,
 * notified_at) or removes what it sent (held lines) in the caller's
 * transaction, so a second tick at the same now finds nothing to do.
 *
 * What it leaves to others: routing and writing the outbox
 * (engine_notify.c), raising and rising (engine.c), when a receiver's
 * quiet period ends (roster.c), SQL (store/).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "alerts/engine_int.h"

#define WEEK_S (7 * 86400)
#define HOUR_S 3600
/* Lines listed in one digest message; the rest are counted. */
#define DIGEST_MAX_LINES 200
/* How far back a held line may lie: longer than any quiet period (a
 * weekend and two nights) or digest day. */
#define HOLD_LOOKBACK_S (35 * 86400)

static int oom(struct mw_err *err) {
  return mw_err_set(err, MW_ENOMEM, "alerts: out of memory");
}

/* ----------------------------------------------------------- escalation */

/* Step 1: the second and later people of the shift on duty; step 2: the
 * leaders. An "escalated" event says to whom, even when no one is there
 * to escalate to, so the step is taken once. */
static int escalate(const struct mw_alerts *a, struct mw_store *s,
                    struct mw_alert_rec *r, int step, int64_t now,
                    struct mw_err *err) {
  struct engine_rcpt to;
  int rc = engine_rcpt_init(a, &to, err);
  if (rc) return rc;
  struct mw_buf who, note;
  mw_buf_init(&who, ENGINE_TEXT_MAX);
  mw_buf_init(&note, ENGINE_TEXT_MAX);
  int w = 0;
  if (step == 1) {
    const struct mw_shift_conf *sh = mw_roster_on_duty(a->c, a->tz, now);
    for (size_t j = 1; sh && j < sh->n_people; j++) {
      engine_rcpt_add_person(a, &to, sh->people[j]);
      if (who.len) w |= mw_buf_puts(&who, "、");
      w |= mw_buf_puts(&who, sh->people[j]);
    }
  } else {
    engine_rcpt_add_leaders(a, &to);
    for (size_t j = 0; j < a->c->n_people; j++) {
      if (!a->c->people[j].leader) continue;
      if (who.len) w |= mw_buf_puts(&who, "、");
      w |= mw_buf_puts(&who, a->c->people[j].name);
    }
  }
  int64_t after = step == 1 ? a->c->ack_t1_s : a->c->ack_t2_s;
  w |= mw_buf_printf(&note, "T%d：%lld分钟未确认，%s%s", step,
                     (long long)(after / 60),
                     step == 1 ? "转值班后续人员" : "上报领导",
                     who.len ? "" : "（无人可转）");
  if (who.len) w |= mw_buf_printf(&note, "：%s", who.data);
  r->escalation = step;
  rc = w ? oom(err)
         : engine_event(s, r->id, now, ENGINE_ACTOR, "escalated", NULL, NULL,
                        note.data, err);
  if (!rc) rc = engine_notify(a, s, r, MW_EVENT_ESCALATED, &to, now, err);
  mw_buf_cleanup(&who);
  mw_buf_cleanup(&note);
  engine_rcpt_cleanup(&to);
  return rc;
}

/* ---------------------------------------------------- one alert's time */

static bool is_assigned(enum mw_alert_state st) {
  return st == MW_STATE_ASSIGNED || st == MW_STATE_IN_PROGRESS;
}

/* Whether the alert's deadline has passed: the response deadline while
 * nobody has handed it on, the due time once assigned. */
static bool past_due(const struct mw_alert_rec *r, enum mw_alert_state st,
                     int64_t now) {
  if (st == MW_STATE_NEW || st == MW_STATE_REPORTED)
    return r->deadline && now >= r->deadline;
  if (is_assigned(st)) return r->due && now >= r->due;
  return false;
}

static bool repeat_due(const struct mw_alerts *a, const struct mw_alert_rec *r,
                       enum mw_alert_state st, int64_t now) {
  if (a->c->repeat_s <= 0 || st == MW_STATE_FEEDBACK ||
      st == MW_STATE_CLOSED)
    return false;
  int64_t last = r->notified_at ? r->notified_at : r->created;
  return now >= last + a->c->repeat_s;
}

static int tick_alert(const struct mw_alerts *a, struct mw_store *s,
                      const struct mw_alert_rec *listed, int64_t now,
                      struct mw_err *err) {
  enum mw_alert_state st;
  if (listed->silence_id || mw_alert_state_parse(listed->state, &st) ||
      st == MW_STATE_CLOSED)
    return MW_OK;
  const struct mw_alerts_conf *c = a->c;
  bool fresh_new = st == MW_STATE_NEW;
  bool t1 = fresh_new && listed->escalation < 1 && c->ack_t1_s > 0 &&
            now >= listed->created + c->ack_t1_s;
  bool t2 = fresh_new && listed->escalation < 2 && c->ack_t2_s > 0 &&
            now >= listed->created + c->ack_t2_s;
  bool late = !listed->overdue && past_due(listed, st, now);
  if (!t1 && !t2 && !late && !repeat_due(a, listed, st, now)) return MW_OK;

  /* Read again: the getter fills the counts and outlets messages show. */
  struct mw_alert_rec r = {0};
  int rc = mw_store_alert_get(s, listed->id, &r, err);
  const char *unit = is_assigned(st) ? r.assignee : NULL;
  if (!rc && t1) rc = escalate(a, s, &r, 1, now, err);
  if (!rc && t2) rc = escalate(a, s, &r, 2, now, err);
  if (!rc && late) {
    char when[64], note[160];
    struct mw_civil cv;
    mw_tz_to_civil(a->tz, is_assigned(st) ? r.due : r.deadline, &cv);
    snprintf(when, sizeof when, "%04d-%02d-%02d %02d:%02d", cv.year, cv.month,
             cv.day, cv.hour, cv.minute);
    snprintf(note, sizeof note, "%s%s已过，督办",
             is_assigned(st) ? "交办期限" : "响应期限", when);
    r.overdue = true;
    rc = engine_event(s, r.id, now, ENGINE_ACTOR, "overdue", NULL, NULL, note,
                      err);
    if (!rc)
      rc = engine_notify_routes(a, s, &r, MW_EVENT_OVERDUE, unit, now, err);
  } else if (!rc && !t1 && !t2 && repeat_due(a, &r, st, now)) {
    /* Overdue alerts are re-notified as 督办, the others as a reminder. */
    rc = engine_notify_routes(a, s, &r,
                              r.overdue ? MW_EVENT_OVERDUE : MW_EVENT_REPEAT,
                              unit, now, err);
  }
  if (!rc) {
    r.updated = now;
    rc = mw_store_alert_update(s, &r, err);
  }
  mw_alert_rec_cleanup(&r);
  return rc;
}

/* --------------------------------------------------------------- bursts */

#define BURST_EVERY_S 60

/* The open burst alert of topic among the open alerts, or NULL. */
static const struct mw_alert_rec *open_burst(const struct mw_alert_rec *open,
                                             size_t n, const char *topic) {
  for (size_t i = 0; i < n; i++)
    if (open[i].kind && !strcmp(open[i].kind, "burst") && open[i].topic &&
        !strcmp(open[i].topic, topic))
      return &open[i];
  return NULL;
}

static int raise_burst(const struct mw_alerts *a, struct mw_store *s,
                       const char *topic, int level, const char *reason,
                       int64_t now, struct mw_err *err) {
  char key[512], title[512];
  snprintf(key, sizeof key, "burst:%s", topic);
  struct mw_alert_rec r = {0};
  bool found = false;
  int rc = mw_store_alert_by_key(s, key, &r, &found, err);
  mw_alert_rec_cleanup(&r);
  if (rc) return rc;
  if (found) { /* an earlier burst, closed: this one gets its own key */
    snprintf(key, sizeof key, "burst:%s:%lld", topic, (long long)now);
    memset(&r, 0, sizeof r);
    rc = mw_store_alert_by_key(s, key, &r, &found, err);
    mw_alert_rec_cleanup(&r);
    if (rc || found) return rc;
  }
  snprintf(title, sizeof title, "「%s」相关报道突增", topic);
  memset(&r, 0, sizeof r);
  r.key = mw_strdup(key);
  r.kind = mw_strdup("burst");
  r.topic = mw_strdup(topic);
  r.state = mw_strdup("new");
  r.title = mw_strdup(title);
  r.reason = mw_strdup(reason);
  if (!r.key || !r.kind || !r.topic || !r.state || !r.title || !r.reason) {
    mw_alert_rec_cleanup(&r);
    return oom(err);
  }
  r.level = level;
  r.created = r.updated = now;
  int64_t dl = engine_deadline_s(a, level);
  r.deadline = dl ? now + dl : 0;
  int64_t id;
  const char *topics[1] = {topic};
  rc = engine_raise(a, s, &r, 0, topics, 1, NULL, NULL, NULL, now, &id, err);
  mw_alert_rec_cleanup(&r);
  return rc;
}

static int burst_of(const struct mw_alerts *a, struct mw_store *s,
                    const char *topic, const struct mw_alert_rec *open,
                    size_t n_open, int64_t now, struct mw_err *err) {
  const struct mw_alerts_conf *c = a->c;
  int64_t n = 0, sum = 0, weeks = c->burst_weeks;
  int rc = mw_store_topic_mentions(s, topic, now - HOUR_S, now, &n, err);
  if (rc || n <= 0 || n < c->burst_min) return rc;
  for (int64_t w = 1; w <= weeks; w++) {
    int64_t k = 0;
    rc = mw_store_topic_mentions(s, topic, now - w * WEEK_S - HOUR_S,
                                 now - w * WEEK_S, &k, err);
    if (rc) return rc;
    sum += k;
  }
  /* baseline = sum / weeks, at least 1; compared times weeks so no
   * fraction is lost. */
  int64_t base_w = sum > weeks ? sum : weeks;
  int64_t f = c->burst_factor_pct;
  if (n * 100 * weeks < f * base_w) return MW_OK;
  int level = n >= 2 * c->burst_min && n * 100 * weeks >= 2 * f * base_w
                  ? MW_ALERT_SERIOUS
                  : MW_ALERT_GENERAL;
  char reason[512];
  snprintf(reason, sizeof reason,
           "近1小时「%s」相关报道%lld篇，前%lld周同一时段平均%lld.%lld篇",
           topic, (long long)n, (long long)weeks, (long long)(sum / weeks),
           (long long)(sum * 10 / weeks % 10));
  const struct mw_alert_rec *cur = open_burst(open, n_open, topic);
  if (!cur) return raise_burst(a, s, topic, level, reason, now, err);
  if (level <= cur->level) return MW_OK;
  struct mw_alert_rec r = {0};
  rc = mw_store_alert_get(s, cur->id, &r, err);
  const char *topics[1] = {topic};
  if (!rc) rc = engine_rise(a, s, &r, level, reason, topics, 1, NULL, now, err);
  mw_alert_rec_cleanup(&r);
  return rc;
}

/* -------------------------------------------------------------- digests */

/* Lines held at t go when mw_receiver_release_at(t) has passed; that
 * time never falls as t grows, so the lines that may go now are those
 * held before the first t whose release still lies ahead. Found by
 * bisection over the longest a line can be held. */
static int64_t release_cut(const struct mw_alerts *a,
                           const struct mw_receiver_conf *r, int64_t now) {
  if (mw_receiver_release_at(r, a->tz, now) <= now) return now + 1;
  int64_t lo = now - HOLD_LOOKBACK_S, hi = now;
  if (mw_receiver_release_at(r, a->tz, lo) > now) return lo;
  while (hi - lo > 1) { /* release_at(lo) <= now < release_at(hi) */
    int64_t mid = lo + (hi - lo) / 2;
    if (mw_receiver_release_at(r, a->tz, mid) <= now)
      lo = mid;
    else
      hi = mid;
  }
  return hi;
}

static int digest_json(const char *receiver, char **lines, size_t n,
                       int64_t now, char **out) {
  json_t *o = json_object(), *arr = json_array();
  char iso[32];
  mw_time_format_iso_utc(now, iso, sizeof iso);
  int bad = !o || !arr;
  for (size_t i = 0; !bad && i < n; i++) {
    json_t *l = json_string(lines[i]); /* NULL: not UTF-8, left out */
    if (l) bad |= json_array_append_new(arr, l);
  }
  if (!bad) {
    bad |= json_object_set_new(o, "event", json_string("digest"));
    bad |= json_object_set_new(o, "receiver", json_string(receiver));
    bad |= json_object_set_new(o, "count", json_integer((json_int_t)n));
    bad |= json_object_set_new(o, "at", json_string(iso));
    bad |= json_object_set_new(o, "lines", arr);
    arr = NULL;
  }
  json_decref(arr);
  *out = bad ? NULL : json_dumps(o, JSON_COMPACT);
  json_decref(o);
  return *out ? MW_OK : MW_ENOMEM;
}

static int digest_one(const struct mw_alerts *a, struct mw_store *s,
                      const struct mw_receiver_conf *r, int64_t now,
                      struct mw_err *err) {
  char **lines = NULL;
  size_t n = 0;
  int rc = mw_store_held_take(s, r->name, release_cut(a, r, now), &lines, &n,
                              err);
  if (rc || !n) return rc;
  struct mw_buf text;
  mw_buf_init(&text, ENGINE_TEXT_MAX);
  int w = mw_buf_printf(&text, "【舆情摘要】%zu条\n", n);
  for (size_t i = 0; i < n && i < DIGEST_MAX_LINES; i++)
    w |= mw_buf_printf(&text, "%zu. %s\n", i + 1, lines[i] ? lines[i] : "");
  if (n > DIGEST_MAX_LINES)
    w |= mw_buf_printf(&text, "……另有%zu条，详见系统\n",
                       n - DIGEST_MAX_LINES);
  char *json = NULL;
  if (w || digest_json(r->name, lines, n, now, &json))
    rc = oom(err);
  else
    rc = mw_store_outbox_add(s, 0, r->name, "digest", text.data, json, now,
                             NULL, err);
  free(json);
  mw_buf_cleanup(&text);
  for (size_t i = 0; i < n; i++) free(lines[i]);
  free(lines);
  return rc;
}

/* ----------------------------------------------------------------- tick */

int mw_alerts_tick(struct mw_alerts *a, struct mw_store *s, int64_t now,
                   struct mw_err *err) {
  if (!a || !s) return mw_err_set(err, MW_EINVAL, "alerts: tick needs a store");
  struct mw_alert_filter f = {.open_only = true};
  struct mw_alert_rec *open = NULL;
  size_t n = 0;
  int rc = mw_store_alert_list(s, &f, &open, &n, err);
  for (size_t i = 0; !rc && i < n; i++)
    rc = tick_alert(a, s, &open[i], now, err);
  /* Counting an hour of mentions per topic costs with the articles of
   * that hour (after a first crawl, all of them); a burst builds over an
   * hour, so once a minute finds it in time. */
  bool bursts = now >= a->bursts_checked_at + BURST_EVERY_S ||
                now < a->bursts_checked_at;
  if (!rc && bursts && a->c->burst_factor_pct > 0 && a->c->burst_weeks > 0) {
    a->bursts_checked_at = now;
    for (size_t i = 0; !rc && i < a->cfg->n_topics; i++)
      if (a->cfg->topics[i].name)
        rc = burst_of(a, s, a->cfg->topics[i].name, open, n, now, err);
  }
  mw_alert_recs_free(open, n);
  for (size_t i = 0; !rc && i < a->c->n_receivers; i++)
    rc = digest_one(a, s, &a->c->receivers[i], now, err);
  return rc;
}
