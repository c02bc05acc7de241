/*
 * engine_int.h: what the four files of the alerts engine share, private to
 * alerts/.
 *
 * engine.c builds the engine and turns stored articles into alerts
 * (levels, grouping, spread, 属地, silences); engine_notify.c decides who
 * hears of an alert and writes the outbox (or holds lines for quiet
 * receivers); engine_tick.c does what time brings (escalation, deadlines,
 * repeats, digests, bursts); engine_apply.c runs the workflow steps people
 * ask for. None of them begins a transaction: the caller's transaction
 * holds the alert change and its notifications together.
 */
#ifndef MW_ALERTS_ENGINE_INT_H
#define MW_ALERTS_ENGINE_INT_H

#include "alerts/alerts.h"

/* The actor of every change the engine makes by itself. */
#define ENGINE_ACTOR "mediawatch"
/* Ceiling of one rendered message or digest, bytes. */
#define ENGINE_TEXT_MAX (256 * 1024)

struct mw_alerts {
  const struct mw_config *cfg;   /* borrowed; outlives the engine */
  const struct mw_alerts_conf *c; /* &cfg->alerts */
  const struct mw_tz *tz;        /* cfg->tz, else own_tz */
  struct mw_tz *own_tz;          /* loaded when the config has no zone */
  struct mw_gazetteer *gaz;      /* NULL: no gazetteer configured */
  int64_t bursts_checked_at;     /* last tick that counted mentions */
};

/* The response deadline of a level in seconds; 0 when none is set. */
int64_t engine_deadline_s(const struct mw_alerts *a, int level);
/* Whether place lies within ancestor (the gazetteer's view, else equal
 * names). */
bool engine_within(const struct mw_alerts *a, const char *place,
                   const char *ancestor);

/* One audit row; strings may be NULL but action. */
int engine_event(struct mw_store *s, int64_t alert_id, int64_t at,
                 const char *actor, const char *action, const char *from,
                 const char *to, const char *comment, struct mw_err *err);

/* The first silence in force at now that r matches (topic: r's topic or
 * one of topics; region: within the silence's; term: in r's title or in
 * text), or 0. *why (may be NULL) receives a malloc'd description for the
 * "silenced" event. */
int engine_silence_of(const struct mw_alerts *a, struct mw_store *s,
                      const struct mw_alert_rec *r, const char *const *topics,
                      size_t n_topics, const char *text, int64_t now,
                      int64_t *silence_id, char **why, struct mw_err *err);

/* ------------------------------------------------- engine_notify.c */

/* A set of receivers: one flag per configured receiver, so a set lists
 * them deduplicated and in config order. */
struct engine_rcpt {
  bool *on;
  size_t n;
};
int engine_rcpt_init(const struct mw_alerts *a, struct engine_rcpt *r,
                     struct mw_err *err);
void engine_rcpt_cleanup(struct engine_rcpt *r);
size_t engine_rcpt_count(const struct engine_rcpt *r);
/* Adds the receiver named name; false when there is none. */
bool engine_rcpt_add_receiver(const struct mw_alerts *a,
                              struct engine_rcpt *r, const char *name);
/* Adds every receiver of the person named name; false when none. */
bool engine_rcpt_add_person(const struct mw_alerts *a, struct engine_rcpt *r,
                            const char *name);
/* A receiver named name, else the receivers of a person named so. */
bool engine_rcpt_add_named(const struct mw_alerts *a, struct engine_rcpt *r,
                           const char *name);
void engine_rcpt_add_leaders(const struct mw_alerts *a,
                             struct engine_rcpt *r);
/* Receivers of every route rec matches ("duty": the first person of the
 * shift on duty at now), and the leaders for level 4. */
void engine_rcpt_add_routes(const struct mw_alerts *a, struct engine_rcpt *r,
                            const struct mw_alert_rec *rec, int64_t now);

/* Tells every receiver in to about event ev of rec, as read back from the
 * store (counts and outlets filled): each gets its own rendered text and
 * the JSON in the outbox, or, for levels 1-2 while it is quiet or in
 * digest mode, one held line. Writes a "notified" event naming them and
 * sets rec->notified_at and notified_level in memory when anyone was told:
 * the caller writes rec afterwards (mw_store_alert_update). */
int engine_notify(const struct mw_alerts *a, struct mw_store *s,
                  struct mw_alert_rec *rec, enum mw_alert_event_kind ev,
                  const struct engine_rcpt *to, int64_t now,
                  struct mw_err *err);
/* engine_notify to the routes' receivers (engine_rcpt_add_routes) plus,
 * when extra is not NULL, the receiver or person named extra. */
int engine_notify_routes(const struct mw_alerts *a, struct mw_store *s,
                         struct mw_alert_rec *rec,
                         enum mw_alert_event_kind ev, const char *extra,
                         int64_t now, struct mw_err *err);

/* ----------------------------------------------------------- engine.c */

/* Stores a new alert filled in r (no id), with article_id among its
 * articles when not 0: checks silences (topics and text as for
 * engine_silence_of), writes "raised", the event note_action with note
 * when note_action is not NULL, "silenced" when a silence holds it, then
 * notifies unless silenced. r is reloaded from the store; *id gets its
 * id. */
int engine_raise(const struct mw_alerts *a, struct mw_store *s,
                 struct mw_alert_rec *r, int64_t article_id,
                 const char *const *topics, size_t n_topics,
                 const char *text, const char *note_action, const char *note,
                 int64_t now, int64_t *id, struct mw_err *err);
/* Raises stored alert r (fresh from the store) to level with reason:
 * deadline the earlier of its own and created + the new level's, a "rose"
 * event, a silence check, the notification, and the row written. */
int engine_rise(const struct mw_alerts *a, struct mw_store *s,
                struct mw_alert_rec *r, int level, const char *reason,
                const char *const *topics, size_t n_topics, const char *text,
                int64_t now, struct mw_err *err);

#endif
