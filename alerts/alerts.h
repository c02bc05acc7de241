/*
 * alerts.h: sensitive opinion, from the first article to the closed case.
 *
 * What it does: levels (from the matcher's score, raised by spread and
 * bursts), grouping (one alert per reprint cluster), 属地 from a
 * gazetteer, silences, routing to receivers and the duty roster, quiet
 * hours and digests, escalation and deadlines, the workflow
 * new → reported → assigned → in progress → feedback → closed with an
 * audit trail, and notifiers (webhook, WeCom, DingTalk, Feishu, e-mail,
 * exec) fed by the store's persistent outbox.
 *
 * What it leaves to others: SQL (store/), scoring (matchers/), the loop
 * and threads (cli/). Every function that depends on time takes `now`
 * (epoch s) so tests drive the clock. Alert changes and the notifications
 * they cause are written through the caller's store handle inside the
 * caller's transaction: both land or neither does.
 *
 * Four levels: 1 一般 (blue), 2 较大 (yellow), 3 重大 (orange),
 * 4 特别重大 (red). Everything that shows or parses a level goes through
 * this table so the config, the reports and the messages agree.
 */
#ifndef MW_ALERTS_H
#define MW_ALERTS_H

#include "common/common.h"
#include "store/store.h"

enum mw_alert_level {
  MW_ALERT_NONE = 0,
  MW_ALERT_GENERAL = 1,  /* 一般, blue */
  MW_ALERT_SERIOUS = 2,  /* 较大, yellow */
  MW_ALERT_MAJOR = 3,    /* 重大, orange */
  MW_ALERT_CRITICAL = 4, /* 特别重大, red */
};

/* "general", "serious", "major", "critical"; "none" for 0. */
const char *mw_alert_level_name(enum mw_alert_level l);
/* 一般, 较大, 重大, 特别重大. */
const char *mw_alert_level_label_zh(enum mw_alert_level l);
/* "blue", "yellow", "orange", "red". */
const char *mw_alert_level_color(enum mw_alert_level l);
/* "#1e6fd9"-style colour for HTML output. */
const char *mw_alert_level_hex(enum mw_alert_level l);
/* Accepts the number ("3"), the English name, the Chinese label or the
 * colour, as office staff write it in a config. */
int mw_alert_level_parse(const char *s, enum mw_alert_level *out);

/* ------------------------------------------------------------- workflow */

enum mw_alert_state {
  MW_STATE_NEW,         /* 新预警: nobody has acknowledged it */
  MW_STATE_REPORTED,    /* 已报告: acknowledged and reported up */
  MW_STATE_ASSIGNED,    /* 已交办: handed to a unit with a due time */
  MW_STATE_IN_PROGRESS, /* 处置中 (督办 notes added) */
  MW_STATE_FEEDBACK,    /* 已反馈: the unit reported what it did */
  MW_STATE_CLOSED,      /* 已办结 */
  MW_STATE_COUNT
};
/* "new", "reported", "assigned", "in_progress", "feedback", "closed". */
const char *mw_alert_state_name(enum mw_alert_state st);
const char *mw_alert_state_label_zh(enum mw_alert_state st);
int mw_alert_state_parse(const char *s, enum mw_alert_state *out);

enum mw_alert_action {
  MW_ACTION_ACK,      /* new → reported */
  MW_ACTION_ASSIGN,   /* reported | assigned | in_progress → assigned */
  MW_ACTION_PROGRESS, /* assigned | in_progress → in_progress */
  MW_ACTION_FEEDBACK, /* assigned | in_progress → feedback */
  MW_ACTION_CLOSE,    /* reported | feedback → closed */
  MW_ACTION_COUNT
};
/* "ack", "assign", "progress", "feedback", "close". */
const char *mw_alert_action_name(enum mw_alert_action a);
int mw_alert_action_parse(const char *s, enum mw_alert_action *out);
/* The state action leads to from st; MW_EINVAL with a message naming the
 * states it is allowed from when it is not allowed from st. */
int mw_alert_transition(enum mw_alert_state st, enum mw_alert_action a,
                        enum mw_alert_state *to, struct mw_err *err);

/* ------------------------------------------------------------ gazetteer */

/* Place names with their parents: province, city, district, town,
 * village. The file has one place per line, `name<TAB>level<TAB>parent`
 * (level one of province, city, district, town, village; parent empty
 * for a province), # comments, UTF-8. Opaque; free with
 * mw_gazetteer_free. */
struct mw_gazetteer;

/* MW_EINVAL naming FILE:LINE for a bad line (unknown level, a parent not
 * defined above it, a name given twice under one parent). */
int mw_gazetteer_load(const char *path, struct mw_gazetteer **out,
                      struct mw_err *err);
int mw_gazetteer_parse(const char *text, size_t len, const char *name,
                       struct mw_gazetteer **out, struct mw_err *err);
void mw_gazetteer_free(struct mw_gazetteer *g);
size_t mw_gazetteer_count(const struct mw_gazetteer *g);
/* The most specific place named in text (the deepest level; among equals,
 * the one whose ancestors are also named, then the first), with its full
 * path such as "吉林省长春市朝阳区" written into path (may be NULL). NULL
 * when text names none. The string is owned by g. Names also match
 * without their suffix (长春 for 长春市) when at least two characters
 * remain. */
const char *mw_gazetteer_locate(const struct mw_gazetteer *g,
                                const char *text, size_t len,
                                struct mw_buf *path);
/* Whether place is ancestor or lies under it. Unknown names are compared
 * as written. */
bool mw_gazetteer_within(const struct mw_gazetteer *g, const char *place,
                         const char *ancestor);

/* ------------------------------------------------ roster and quiet hours */

/* Clock windows and day masks are parsed in common.h (mw_clock_*). */

/* The shift on duty at now (the first that covers it), or NULL. A shift
 * wrapping midnight covers the early hours of the day after one of its
 * days. */
const struct mw_shift_conf *mw_roster_on_duty(const struct mw_alerts_conf *c,
                                              const struct mw_tz *tz,
                                              int64_t now);
/* Whether r holds levels 1 and 2 back at now (quiet hours, weekend). */
bool mw_receiver_is_quiet(const struct mw_receiver_conf *r,
                          const struct mw_tz *tz, int64_t now);
/* When what r holds back at now may go: the end of the quiet period, or,
 * in digest mode, the next digest time. now itself when nothing holds. */
int64_t mw_receiver_release_at(const struct mw_receiver_conf *r,
                               const struct mw_tz *tz, int64_t now);

/* ---------------------------------------------------------------- engine */

struct mw_alerts;

/* Builds the engine from cfg (kept by reference: it must outlive the
 * engine), loading the gazetteer. MW_EINVAL for a route or person naming
 * an unknown receiver, a gazetteer that does not load. Free with
 * mw_alerts_free. */
int mw_alerts_new(const struct mw_config *cfg, struct mw_alerts **out,
                  struct mw_err *err);
void mw_alerts_free(struct mw_alerts *a);
/* The gazetteer in use, or NULL. */
const struct mw_gazetteer *mw_alerts_gazetteer(const struct mw_alerts *a);

/* A stored article as the engine sees it. Strings are borrowed. */
struct mw_alert_input {
  int64_t article_id;
  int64_t cluster_id;     /* 0: in no cluster */
  const char *title, *url, *text;
  const char *outlet;     /* publishing outlet */
  const char *outlet_region; /* the outlet's region, may be NULL */
  const char *const *topics; /* matched topics */
  size_t n_topics;
  double score;           /* mw_matcher_score */
  int level;              /* 0..4 from the score */
  const char *reason;     /* the terms that scored, in words; may be NULL */
};

/* Called once per newly stored article inside the caller's transaction,
 * after the article, its matches and its cluster are stored: records the
 * article's score, level and 属地; raises the alert of its cluster (or of
 * the article), or adds it to the alert already raised and raises that
 * alert's level when the article's is higher or the story has spread to
 * spread_outlets outlets within the window (so does a topic in one
 * region); writes the notifications that causes to the outbox (or holds
 * them for quiet receivers). *alert_id (may be NULL) receives the alert's
 * id, 0 when the article raised none. */
int mw_alerts_observe(struct mw_alerts *a, struct mw_store *s,
                      const struct mw_alert_input *in, int64_t now,
                      int64_t *alert_id, struct mw_err *err);

/* The work time brings, at now, inside the caller's transaction:
 * escalation of unacknowledged alerts (ack_t1 to the next person on duty,
 * ack_t2 to the leaders), deadlines (an alert past its response deadline,
 * or an assignment past its due time, is flagged overdue and notified:
 * 督办), repeats every repeat_s for open alerts, held lines released as
 * digests, and bursts of topic mentions (counted at most once a minute).
 * Idempotent for a given now. */
int mw_alerts_tick(struct mw_alerts *a, struct mw_store *s, int64_t now,
                   struct mw_err *err);

/* A workflow step asked for by a person. */
struct mw_alert_change {
  enum mw_alert_action action;
  const char *actor;   /* required: who did it */
  const char *comment; /* may be NULL */
  const char *unit;    /* assign: the unit it goes to (required) */
  int64_t due;         /* assign: due time; 0: now + the level's deadline */
};
/* Applies c to alert id at now, records it in the audit trail and
 * notifies when the alert changes hands. MW_ENOTFOUND for an unknown id,
 * MW_EINVAL for an illegal transition or a missing actor or unit, each
 * with a message that says what is allowed. */
int mw_alerts_apply(struct mw_alerts *a, struct mw_store *s, int64_t id,
                    const struct mw_alert_change *c, int64_t now,
                    struct mw_err *err);

/* -------------------------------------------------------------- messages */

/* What happened, as a message's first words. */
enum mw_alert_event_kind {
  MW_EVENT_RAISED,     /* 新预警 */
  MW_EVENT_ROSE,       /* 级别升高 */
  MW_EVENT_ESCALATED,  /* 未确认，升级 */
  MW_EVENT_OVERDUE,    /* 逾期督办 */
  MW_EVENT_REPEAT,     /* 提醒 */
  MW_EVENT_ASSIGNED,   /* 交办 */
  MW_EVENT_COUNT
};
/* "alert", "rose", "escalation", "overdue", "repeat", "assigned": the
 * outbox kind. */
const char *mw_alert_event_name(enum mw_alert_event_kind k);

/* Renders the message of alert r for event ev into out: tmpl (a
 * receiver's template; NULL for the default) with {event} {level}
 * {level_zh} {color} {title} {region} {outlets} {outlet_count}
 * {article_count} {url} {link} {reason} {state} {state_zh} {assignee}
 * {deadline} {id} {topic} replaced; unknown names are left as written.
 * Times in tz. link_base (may be NULL) makes {link}
 * "<link_base>/alerts/<id>". */
int mw_alert_render(const char *tmpl, const struct mw_alert_rec *r,
                    enum mw_alert_event_kind ev, const struct mw_tz *tz,
                    const char *link_base, struct mw_buf *out,
                    struct mw_err *err);
/* The alert as one JSON object (id, level, level_zh, color, state, title,
 * url, region, topic, outlets [array], counts, reason, deadline ISO,
 * event, link). *out malloc'd. */
int mw_alert_to_json(const struct mw_alert_rec *r, enum mw_alert_event_kind ev,
                     const char *link_base, char **out, struct mw_err *err);

/* ------------------------------------------------------------- notifiers */

/* Reads a secret from the environment variable env or from file (one of
 * them non-NULL). The file must be a regular file not readable or
 * writable by group or others; the secret is its content without the
 * final newline. *out malloc'd; the secret never appears in err. */
int mw_secret_read(const char *env, const char *file, char **out,
                   struct mw_err *err);

/* Sends one message to r and returns once r accepted it (2xx and, for the
 * robots, errcode 0; SMTP 250; exit status 0). Blocking, bounded by
 * timeout_ms (connect and transfer). A failure says what the receiver
 * answered, never the secret. now (epoch s) stamps signatures. */
int mw_notify_send(const struct mw_receiver_conf *r,
                   const struct mw_outbox_msg *m, int64_t now,
                   long timeout_ms, struct mw_err *err);

/* Delivers what is due in the outbox: each receiver's oldest pending
 * message, again and again until nothing is due, at most max_msgs sends
 * (0: no limit). A sent message is marked sent; a failure is retried with
 * backoff (5 s doubling up to alerts.retry_max), never dropped; a message
 * for a receiver no longer in the config is retried too (the operator
 * may restore it) and says so. *sent counts deliveries; *next_at (may be
 * NULL) is when the next pending message is due (0: none). Each store
 * write is its own transaction. */
int mw_alerts_send_due(const struct mw_config *cfg, struct mw_store *s,
                       int64_t now, size_t max_msgs, size_t *sent,
                       int64_t *next_at, struct mw_err *err);

#endif
