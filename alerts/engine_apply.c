/*
 * engine_apply.c: a workflow step asked for by a person.
 *
 * Acknowledge (which stops escalation), assign to a unit with a due time
 * (交办; the level's response deadline from now when none is given),
 * progress notes (督办), feedback and closing. Each step is checked
 * against the workflow table, recorded in the audit trail with its actor,
 * time, states and comment, and an assignment is announced to the route
 * receivers and to the receiver or person named like the unit.
 *
 * What it leaves to others: which steps are legal and their messages
 * (workflow.c), routing and the outbox (engine_notify.c), SQL (store/).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts/engine_int.h"

/* The event comment of an assignment: the unit and due time, then the
 * person's own words, so the trail shows every hand-over. */
static char *assign_note(const struct mw_alerts *a, const char *unit,
                         int64_t due, const char *comment) {
  struct mw_civil cv;
  mw_tz_to_civil(a->tz, due, &cv);
  struct mw_buf b;
  mw_buf_init(&b, ENGINE_TEXT_MAX);
  int w = due ? mw_buf_printf(&b, "交办：%s，期限 %04d-%02d-%02d %02d:%02d",
                              unit, cv.year, cv.month, cv.day, cv.hour,
                              cv.minute)
              : mw_buf_printf(&b, "交办：%s，无期限", unit);
  if (comment && *comment) w |= mw_buf_printf(&b, "；%s", comment);
  char *r = w ? NULL : mw_buf_steal(&b);
  mw_buf_cleanup(&b);
  return r;
}

static int step(const struct mw_alerts *a, struct mw_store *s,
                struct mw_alert_rec *r, const struct mw_alert_change *c,
                int64_t now, struct mw_err *err) {
  enum mw_alert_state from, to;
  if (mw_alert_state_parse(r->state, &from))
    return mw_err_set(err, MW_EINVAL,
                      "alert %lld is in state \"%s\", which this version "
                      "does not know",
                      (long long)r->id, r->state);
  int rc = mw_alert_transition(from, c->action, &to, err);
  if (rc) {
    mw_err_prefix(err, "alert %lld: ", (long long)r->id);
    return rc;
  }
  char *state = mw_strdup(mw_alert_state_name(to));
  char *note = NULL;
  if (!state) return mw_err_set(err, MW_ENOMEM, "alerts: out of memory");
  switch (c->action) {
  case MW_ACTION_ACK:
    free(r->acked_by);
    r->acked_by = mw_strdup(c->actor);
    r->acked_at = now;
    if (!r->acked_by) rc = MW_ENOMEM;
    break;
  case MW_ACTION_ASSIGN: {
    /* No deadline configured for the level: no due time, rather than
     * one that is already past. */
    int64_t dl = engine_deadline_s(a, r->level);
    int64_t due = c->due ? c->due : dl ? now + dl : 0;
    char *unit = mw_strdup(c->unit);
    note = assign_note(a, c->unit, due, c->comment);
    if (!unit || !note) {
      free(unit);
      rc = MW_ENOMEM;
      break;
    }
    free(r->assignee);
    r->assignee = unit;
    r->due = due;
    r->overdue = false; /* a new due time: 督办 starts over */
    break;
  }
  default:
    break;
  }
  if (rc) {
    free(state);
    free(note);
    return mw_err_set(err, MW_ENOMEM, "alerts: out of memory");
  }
  const char *from_name = mw_alert_state_name(from);
  free(r->state);
  r->state = state;
  r->updated = now;
  rc = engine_event(s, r->id, now, c->actor, mw_alert_action_name(c->action),
                    from_name, r->state, note ? note : c->comment, err);
  free(note);
  if (!rc && c->action == MW_ACTION_ASSIGN && !r->silence_id)
    rc = engine_notify_routes(a, s, r, MW_EVENT_ASSIGNED, r->assignee, now,
                              err);
  return rc ? rc : mw_store_alert_update(s, r, err);
}

int mw_alerts_apply(struct mw_alerts *a, struct mw_store *s, int64_t id,
                    const struct mw_alert_change *c, int64_t now,
                    struct mw_err *err) {
  if (!a || !s || !c)
    return mw_err_set(err, MW_EINVAL, "alerts: no change given");
  if ((unsigned)c->action >= MW_ACTION_COUNT)
    return mw_err_set(err, MW_EINVAL,
                      "alert %lld: unknown action; use ack, assign, "
                      "progress, feedback or close",
                      (long long)id);
  if (!c->actor || !*c->actor)
    return mw_err_set(err, MW_EINVAL,
                      "alert %lld: say who does this (%s needs an actor, "
                      "the person's name)",
                      (long long)id, mw_alert_action_name(c->action));
  if (c->action == MW_ACTION_ASSIGN && (!c->unit || !*c->unit))
    return mw_err_set(err, MW_EINVAL,
                      "alert %lld: assign needs the unit it goes to "
                      "(the responsible locality or department)",
                      (long long)id);
  struct mw_alert_rec r = {0};
  int rc = mw_store_alert_get(s, id, &r, err);
  if (!rc) rc = step(a, s, &r, c, now, err);
  mw_alert_rec_cleanup(&r);
  return rc;
}
