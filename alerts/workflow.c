/*
 * workflow.c: the states of an alert and the one table of which action
 * leads where: 监测 → 报告 → 交办 → 督办 → 反馈 → 办结.
 *
 * What it does: names and Chinese labels of states and actions, parsing
 * them as office staff write them, and the transition table with refusals
 * that say what to do instead. What it leaves to others: recording the
 * change and its audit row (the engine, through the store), who may act.
 */
#include <string.h>

#include "alerts/alerts.h"

static const struct {
  const char *name;  /* stored in the alerts table */
  const char *zh;    /* shown to people */
  const char *words; /* in English sentences */
  const char *that;  /* "an alert that ..." */
} states[MW_STATE_COUNT] = {
    [MW_STATE_NEW] = {"new", "新预警", "new", "is new"},
    [MW_STATE_REPORTED] = {"reported", "已报告", "reported", "is reported"},
    [MW_STATE_ASSIGNED] = {"assigned", "已交办", "assigned", "is assigned"},
    [MW_STATE_IN_PROGRESS] = {"in_progress", "处置中", "in progress",
                              "is in progress"},
    [MW_STATE_FEEDBACK] = {"feedback", "已反馈", "feedback",
                           "has its feedback"},
    [MW_STATE_CLOSED] = {"closed", "已办结", "closed", "is closed"},
};

#define BIT(s) (1u << (s))

static const struct {
  const char *name;
  const char *verb;     /* "cannot <verb> an alert ..." */
  const char *zh[3];    /* Chinese words for it, NULL-padded */
  unsigned from;        /* states it is allowed from */
  enum mw_alert_state to;
} actions[MW_ACTION_COUNT] = {
    [MW_ACTION_ACK] = {"ack", "acknowledge", {"确认", "报告", NULL},
                       BIT(MW_STATE_NEW), MW_STATE_REPORTED},
    [MW_ACTION_ASSIGN] = {"assign", "assign", {"交办", NULL, NULL},
                          BIT(MW_STATE_REPORTED) | BIT(MW_STATE_ASSIGNED) |
                              BIT(MW_STATE_IN_PROGRESS),
                          MW_STATE_ASSIGNED},
    [MW_ACTION_PROGRESS] = {"progress", "record progress on",
                            {"督办", "处置", NULL},
                            BIT(MW_STATE_ASSIGNED) | BIT(MW_STATE_IN_PROGRESS),
                            MW_STATE_IN_PROGRESS},
    [MW_ACTION_FEEDBACK] = {"feedback", "record feedback on",
                            {"反馈", NULL, NULL},
                            BIT(MW_STATE_ASSIGNED) | BIT(MW_STATE_IN_PROGRESS),
                            MW_STATE_FEEDBACK},
    [MW_ACTION_CLOSE] = {"close", "close", {"办结", "关闭", NULL},
                         BIT(MW_STATE_REPORTED) | BIT(MW_STATE_FEEDBACK),
                         MW_STATE_CLOSED},
};

const char *mw_alert_state_name(enum mw_alert_state st) {
  return (unsigned)st < MW_STATE_COUNT ? states[st].name : "unknown";
}

const char *mw_alert_state_label_zh(enum mw_alert_state st) {
  return (unsigned)st < MW_STATE_COUNT ? states[st].zh : "未知";
}

int mw_alert_state_parse(const char *s, enum mw_alert_state *out) {
  if (!s) return MW_EINVAL;
  for (unsigned i = 0; i < MW_STATE_COUNT; i++) {
    if (!mw_ascii_casecmp(s, states[i].name) ||
        !mw_ascii_casecmp(s, states[i].words) || !strcmp(s, states[i].zh)) {
      *out = (enum mw_alert_state)i;
      return MW_OK;
    }
  }
  /* The spelling a command line invites. */
  if (!mw_ascii_casecmp(s, "in-progress")) {
    *out = MW_STATE_IN_PROGRESS;
    return MW_OK;
  }
  return MW_EINVAL;
}

const char *mw_alert_action_name(enum mw_alert_action a) {
  return (unsigned)a < MW_ACTION_COUNT ? actions[a].name : "unknown";
}

int mw_alert_action_parse(const char *s, enum mw_alert_action *out) {
  if (!s) return MW_EINVAL;
  for (unsigned i = 0; i < MW_ACTION_COUNT; i++) {
    bool hit = !mw_ascii_casecmp(s, actions[i].name) ||
               !mw_ascii_casecmp(s, actions[i].verb);
    for (size_t k = 0; !hit && k < 3 && actions[i].zh[k]; k++)
      hit = !strcmp(s, actions[i].zh[k]);
    if (hit) {
      *out = (enum mw_alert_action)i;
      return MW_OK;
    }
  }
  if (!mw_ascii_casecmp(s, "acknowledge")) {
    *out = MW_ACTION_ACK;
    return MW_OK;
  }
  return MW_EINVAL;
}

/* What to do instead, for every refused pair. */
static const char *hint(enum mw_alert_state st, enum mw_alert_action a) {
  if (st == MW_STATE_CLOSED) return "it is closed already";
  if (st == MW_STATE_NEW) return "acknowledge it first";
  if (a == MW_ACTION_ACK) return "it has been acknowledged already";
  if (st == MW_STATE_REPORTED) return "assign it first";
  if (st == MW_STATE_FEEDBACK) return "the unit has reported back: close it";
  return "record the unit's feedback first";
}

int mw_alert_transition(enum mw_alert_state st, enum mw_alert_action a,
                        enum mw_alert_state *to, struct mw_err *err) {
  if ((unsigned)st >= MW_STATE_COUNT)
    return mw_err_set(err, MW_EINVAL, "unknown alert state %d", (int)st);
  if ((unsigned)a >= MW_ACTION_COUNT)
    return mw_err_set(err, MW_EINVAL, "unknown alert action %d", (int)a);
  if (actions[a].from & BIT(st)) {
    *to = actions[a].to;
    return MW_OK;
  }
  char allowed[128];
  size_t n = 0;
  allowed[0] = '\0';
  for (unsigned i = 0; i < MW_STATE_COUNT; i++) {
    if (!(actions[a].from & BIT(i))) continue;
    size_t w = strlen(states[i].words);
    if (n + w + 3 > sizeof allowed) break;
    if (n) {
      memcpy(allowed + n, ", ", 2);
      n += 2;
    }
    memcpy(allowed + n, states[i].words, w);
    n += w;
    allowed[n] = '\0';
  }
  return mw_err_set(err, MW_EINVAL,
                    "cannot %s an alert that %s: %s (%s is allowed from %s)",
                    actions[a].verb, states[st].that, hint(st, a),
                    actions[a].name, allowed);
}
