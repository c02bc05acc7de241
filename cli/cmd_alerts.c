/*
 * cmd_alerts.c: `mediawatch alerts`, the on-duty workflow from a terminal:
 * list, show, ack, assign, progress, feedback, close, silence, send.
 *
 * Every change goes through the alerts engine in one transaction with the
 * notifications it causes; then, unless a running daemon holds the send
 * lock (it delivers them itself), what is due is delivered at once. What
 * it leaves to others: the workflow rules and messages (alerts/), the
 * printing (cmd_alerts_print.c).
 */
#include <getopt.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd_alerts.h"
#include "cli/commands.h"
#include "cli/courier.h"
#include "crawler/crawler.h"

static const char alerts_help[] =
    "usage: mediawatch alerts COMMAND [ID] [OPTIONS]\n\n"
    "The on-duty workflow (监测 → 报告 → 交办 → 督办 → 反馈):\n"
    "  list      alerts, highest level first  [--open] [--overdue]\n"
    "            [--state S] [--level N] [--limit N] [--json]\n"
    "  show ID   one alert: fields, outlets, audit trail, notifications [--json]\n"
    "  ack ID    acknowledge a new alert (new → reported); stops escalation\n"
    "  assign ID --to UNIT [--due TIME]  hand it to the responsible unit (交办)\n"
    "  progress ID --comment TEXT        record supervision (督办)\n"
    "  feedback ID --comment TEXT        record the unit's feedback (反馈)\n"
    "  close ID  close a reported alert or one with feedback (办结)\n"
    "  silence   list silences; 'silence add' [--topic T] [--region R]\n"
    "            [--term W] (--for DURATION | --until TIME) --reason TEXT;\n"
    "            'silence end ID'. Silenced alerts are recorded, not sent.\n"
    "  send      do what time brings (escalation, deadlines, digests) and\n"
    "            deliver what is due; for cron when no daemon runs\n\n"
    "  -c, --config FILE  config file (default mediawatch.yaml)\n"
    "      --by NAME      who acts (default: the login name)\n"
    "      --comment TEXT recorded in the audit trail\n"
    "      --to UNIT      assign: the unit (属地 office, bureau) it goes to\n"
    "      --due TIME     assign: due time, '2023-05-09 18:00' or a duration\n"
    "                     such as 24h (default: the level's deadline)\n"
    "      --now TIME     act as if it were TIME (replaying, testing); robot\n"
    "                     signatures are stamped with it too\n"
    "TIME is a date and time in the config's zone or a duration from now.\n"
    "Exit status: 0 done, 1 refused (illegal step, unknown id) or failed,\n"
    "2 bad usage or config.\n";

struct opts {
  const char *cfg_path, *by, *comment, *to, *due, *state, *now, *topic,
      *region, *term, *for_, *until, *reason;
  int level;
  long limit;
  bool open_only, overdue_only, json;
};

struct ctx {
  struct mw_config *cfg;
  struct mw_store *st;
  struct mw_alerts *eng;
  int64_t now;
};

static void ctx_close(struct ctx *x) {
  mw_alerts_free(x->eng);
  mw_store_close(x->st);
  mw_config_free(x->cfg);
}

/* A duration from now ("24h") or a local date and time. */
static int parse_when(const char *text, const struct ctx *x, int64_t *out,
                      const char *what) {
  int64_t d;
  if (!mw_parse_duration_s(text, &d)) {
    *out = x->now + d;
    return MW_OK;
  }
  if (mw_date_parse(text, strlen(text), mw_tz_offset_at(x->cfg->tz, x->now),
                    out) == MW_OK)
    return MW_OK;
  mw_cli_error("%s: '%s' is neither a date and time such as 2023-05-09 18:00 "
               "nor a duration such as 24h",
               what, text);
  return MW_EINVAL;
}

static int ctx_open(const struct opts *o, struct ctx *x) {
  memset(x, 0, sizeof *x);
  struct mw_err err = {0};
  if (mw_config_load(o->cfg_path, &x->cfg, &err)) {
    mw_cli_error("%s", err.msg);
    return MW_EXIT_USAGE;
  }
  x->now = (int64_t)time(NULL);
  if (o->now && parse_when(o->now, x, &x->now, "--now")) {
    ctx_close(x);
    return MW_EXIT_USAGE;
  }
  if (mw_cli_open_store(x->cfg, &x->st)) {
    ctx_close(x);
    return MW_EXIT_FAIL;
  }
  if (mw_alerts_new(x->cfg, &x->eng, &err)) {
    mw_cli_error("%s", err.msg);
    ctx_close(x);
    return MW_EXIT_FAIL;
  }
  return MW_EXIT_OK;
}

/* Delivers what is due unless a daemon does; says what happened. */
static void deliver(struct ctx *x, bool tick) {
  struct mw_err err = {0};
  int fd = mw_courier_lock(x->cfg->storage_path, &err);
  if (fd < 0) {
    printf("notifications: left to the running daemon (%s)\n", err.msg);
    return;
  }
  int rc = MW_OK;
  if (tick) {
    rc = mw_store_begin(x->st, &err);
    if (rc == MW_OK) rc = mw_alerts_tick(x->eng, x->st, x->now, &err);
    if (rc == MW_OK) rc = mw_store_commit(x->st, &err);
    else mw_store_rollback(x->st);
    if (rc) mw_cli_error("%s", err.msg);
  }
  size_t sent = 0;
  int64_t next_at = 0, pending = 0;
  struct mw_err serr = {0};
  int src = mw_alerts_send_due(x->cfg, x->st, x->now, 0, &sent, &next_at, &serr);
  mw_store_outbox_pending(x->st, &pending, &next_at, &err);
  close(fd);
  printf("notifications: %zu sent, %lld waiting\n", sent, (long long)pending);
  if (src) mw_cli_error("%s", serr.msg);
}

static const char *login_name(void) {
  const char *u = getenv("USER");
  if (u && *u) return u;
  struct passwd *pw = getpwuid(getuid());
  return pw && pw->pw_name ? pw->pw_name : NULL;
}

static int parse_id(const char *s, int64_t *id) {
  if (s && !mw_parse_int64(s, 1, INT64_MAX, id)) return MW_OK;
  mw_cli_error("'%s' is not an alert id: 'mediawatch alerts list' shows them",
               s ? s : "");
  return MW_EINVAL;
}

static int cmd_step(struct ctx *x, enum mw_alert_action action, int64_t id,
                    const struct opts *o) {
  struct mw_alert_change c = {.action = action,
                              .actor = o->by ? o->by : login_name(),
                              .comment = o->comment,
                              .unit = o->to};
  if (!c.actor || !*c.actor) {
    mw_cli_error("who acts? give --by NAME");
    return MW_EXIT_USAGE;
  }
  if (action == MW_ACTION_ASSIGN && !o->to) {
    mw_cli_error("assign needs --to UNIT: the unit (属地) that handles it");
    return MW_EXIT_USAGE;
  }
  if ((action == MW_ACTION_PROGRESS || action == MW_ACTION_FEEDBACK) &&
      !o->comment) {
    mw_cli_error("%s needs --comment TEXT: what was done",
                 mw_alert_action_name(action));
    return MW_EXIT_USAGE;
  }
  if (o->due && parse_when(o->due, x, &c.due, "--due")) return MW_EXIT_USAGE;
  struct mw_err err = {0};
  int rc = mw_store_begin(x->st, &err);
  if (rc == MW_OK) rc = mw_alerts_apply(x->eng, x->st, id, &c, x->now, &err);
  if (rc == MW_OK) rc = mw_store_commit(x->st, &err);
  else mw_store_rollback(x->st);
  if (rc) {
    mw_cli_error("%s", err.msg); /* the engine names the alert */
    return MW_EXIT_FAIL;
  }
  struct mw_alert_rec r = {0};
  if (mw_store_alert_get(x->st, id, &r, &err) == MW_OK) {
    enum mw_alert_state stt = MW_STATE_NEW;
    mw_alert_state_parse(r.state, &stt);
    printf("alert %lld: %s (%s)\n", (long long)id, mw_alert_state_label_zh(stt),
           r.state);
    mw_alert_rec_cleanup(&r);
  }
  deliver(x, false);
  return MW_EXIT_OK;
}

static int cmd_list(struct ctx *x, const struct opts *o) {
  struct mw_alert_filter f = {.state = o->state,
                              .min_level = o->level,
                              .open_only = o->open_only,
                              .overdue_only = o->overdue_only,
                              .limit = o->limit > 0 ? (size_t)o->limit : 0};
  enum mw_alert_state stt;
  if (o->state && mw_alert_state_parse(o->state, &stt)) {
    mw_cli_error("--state: '%s' is not one of new, reported, assigned, "
                 "in_progress, feedback, closed",
                 o->state);
    return MW_EXIT_USAGE;
  }
  if (o->state) f.state = mw_alert_state_name(stt);
  struct mw_alert_rec *recs = NULL;
  size_t n = 0;
  struct mw_err err = {0};
  if (mw_store_alert_list(x->st, &f, &recs, &n, &err)) {
    mw_cli_error("%s", err.msg);
    return MW_EXIT_FAIL;
  }
  if (o->json) mw_cli_print_alerts_json(stdout, recs, n);
  else mw_cli_print_alert_table(stdout, recs, n, x->cfg->tz);
  mw_alert_recs_free(recs, n);
  return MW_EXIT_OK;
}

static int cmd_show(struct ctx *x, int64_t id, const struct opts *o) {
  struct mw_alert_rec r = {0};
  struct mw_alert_event *ev = NULL;
  struct mw_outbox_msg *msgs = NULL;
  size_t n_ev = 0, n_msgs = 0;
  struct mw_err err = {0};
  if (mw_store_alert_get(x->st, id, &r, &err) ||
      mw_store_alert_events(x->st, id, &ev, &n_ev, &err) ||
      mw_store_outbox_of_alert(x->st, id, &msgs, &n_msgs, &err)) {
    mw_cli_error("%s", err.msg);
    mw_alert_rec_cleanup(&r);
    mw_alert_events_free(ev, n_ev);
    return MW_EXIT_FAIL;
  }
  if (o->json)
    mw_cli_print_alert_detail_json(stdout, &r, ev, n_ev, msgs, n_msgs);
  else
    mw_cli_print_alert_detail(stdout, &r, ev, n_ev, msgs, n_msgs, x->cfg->tz);
  mw_outbox_msgs_free(msgs, n_msgs);
  mw_alert_events_free(ev, n_ev);
  mw_alert_rec_cleanup(&r);
  return MW_EXIT_OK;
}

static int cmd_silence(struct ctx *x, int argc, char **argv, int first,
                       const struct opts *o) {
  const char *verb = first < argc ? argv[first] : "list";
  struct mw_err err = {0};
  if (!strcmp(verb, "list")) {
    struct mw_silence *si = NULL;
    size_t n = 0;
    if (mw_store_silences(x->st, 0, &si, &n, &err)) {
      mw_cli_error("%s", err.msg);
      return MW_EXIT_FAIL;
    }
    mw_cli_print_silences(stdout, si, n, x->cfg->tz);
    mw_silences_free(si, n);
    return MW_EXIT_OK;
  }
  if (!strcmp(verb, "end")) {
    int64_t id;
    if (first + 1 >= argc || parse_id(argv[first + 1], &id))
      return MW_EXIT_USAGE;
    if (mw_store_silence_end(x->st, id, x->now, &err)) {
      mw_cli_error("%s", err.msg);
      return MW_EXIT_FAIL;
    }
    printf("silence %lld ended\n", (long long)id);
    return MW_EXIT_OK;
  }
  if (strcmp(verb, "add")) {
    mw_cli_error("silence: '%s' is not one of list, add, end", verb);
    return MW_EXIT_USAGE;
  }
  if (!o->topic && !o->region && !o->term) {
    mw_cli_error("silence add needs at least one of --topic, --region, --term");
    return MW_EXIT_USAGE;
  }
  if (!o->reason || !*o->reason) {
    mw_cli_error("silence add needs --reason TEXT: why, for the next shift");
    return MW_EXIT_USAGE;
  }
  struct mw_silence si = {.topic = (char *)o->topic,
                          .region = (char *)o->region,
                          .term = (char *)o->term,
                          .starts = x->now,
                          .created_by = (char *)(o->by ? o->by : login_name()),
                          .reason = (char *)o->reason,
                          .created = x->now};
  if (o->for_ && o->until) {
    mw_cli_error("give --for or --until, not both");
    return MW_EXIT_USAGE;
  }
  if (!o->for_ && !o->until) {
    mw_cli_error("silence add needs --for DURATION or --until TIME: "
                 "silences always end");
    return MW_EXIT_USAGE;
  }
  if (parse_when(o->for_ ? o->for_ : o->until, x, &si.ends,
                 o->for_ ? "--for" : "--until"))
    return MW_EXIT_USAGE;
  if (si.ends <= x->now) {
    mw_cli_error("the silence would end before it starts");
    return MW_EXIT_USAGE;
  }
  int64_t id;
  if (mw_store_silence_add(x->st, &si, &id, &err)) {
    mw_cli_error("%s", err.msg);
    return MW_EXIT_FAIL;
  }
  char until[32];
  mw_cli_local_time(x->cfg->tz, si.ends, until, sizeof until);
  printf("silence %lld until %s\n", (long long)id, until);
  return MW_EXIT_OK;
}

static int parse_opts(int argc, char **argv, struct opts *o) {
  static const struct option opts[] = {
      {"config", required_argument, NULL, 'c'},
      {"by", required_argument, NULL, 'b'},
      {"comment", required_argument, NULL, 'm'},
      {"to", required_argument, NULL, 't'},
      {"due", required_argument, NULL, 'd'},
      {"state", required_argument, NULL, 's'},
      {"level", required_argument, NULL, 'l'},
      {"limit", required_argument, NULL, 'n'},
      {"open", no_argument, NULL, 'O'},
      {"overdue", no_argument, NULL, 'V'},
      {"json", no_argument, NULL, 'j'},
      {"now", required_argument, NULL, 'N'},
      {"topic", required_argument, NULL, 'T'},
      {"region", required_argument, NULL, 'R'},
      {"term", required_argument, NULL, 'W'},
      {"for", required_argument, NULL, 'F'},
      {"until", required_argument, NULL, 'U'},
      {"reason", required_argument, NULL, 'r'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  memset(o, 0, sizeof *o);
  o->cfg_path = MW_DEFAULT_CONFIG;
  int c;
  int64_t v;
  optind = 0;
  while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
    switch (c) {
      case 'c': o->cfg_path = optarg; break;
      case 'b': o->by = optarg; break;
      case 'm': o->comment = optarg; break;
      case 't': o->to = optarg; break;
      case 'd': o->due = optarg; break;
      case 's': o->state = optarg; break;
      case 'l': {
        enum mw_alert_level lv;
        if (mw_alert_level_parse(optarg, &lv)) {
          mw_cli_error("--level: '%s' is not a level (1-4, 一般..特别重大)",
                       optarg);
          return MW_EXIT_USAGE;
        }
        o->level = (int)lv;
        break;
      }
      case 'n':
        if (mw_parse_int64(optarg, 1, 1000000, &v)) {
          mw_cli_error("--limit: '%s' is not a number from 1", optarg);
          return MW_EXIT_USAGE;
        }
        o->limit = (long)v;
        break;
      case 'O': o->open_only = true; break;
      case 'V': o->overdue_only = true; break;
      case 'j': o->json = true; break;
      case 'N': o->now = optarg; break;
      case 'T': o->topic = optarg; break;
      case 'R': o->region = optarg; break;
      case 'W': o->term = optarg; break;
      case 'F': o->for_ = optarg; break;
      case 'U': o->until = optarg; break;
      case 'r': o->reason = optarg; break;
      case 'h': fputs(alerts_help, stdout); return -1;
      default: fputs(alerts_help, stderr); return MW_EXIT_USAGE;
    }
  }
  return MW_EXIT_OK;
}

int mw_cmd_alerts(int argc, char **argv) {
  if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
    fputs(alerts_help, argc < 2 ? stderr : stdout);
    return argc < 2 ? MW_EXIT_USAGE : MW_EXIT_OK;
  }
  const char *verb = argv[1];
  /* Options may come before or after the id: GNU getopt permutes them to
   * the front, leaving the operands at optind. */
  struct opts o;
  int rc = parse_opts(argc - 1, argv + 1, &o);
  if (rc) return rc < 0 ? MW_EXIT_OK : rc;
  int first = optind + 1; /* operands, in argv's numbering */
  enum mw_alert_action action;
  bool is_step = !mw_alert_action_parse(verb, &action);
  if (!is_step && strcmp(verb, "list") && strcmp(verb, "show") &&
      strcmp(verb, "silence") && strcmp(verb, "send")) {
    mw_cli_error("alerts: unknown command '%s'; 'mediawatch alerts --help' "
                 "lists them",
                 verb);
    return MW_EXIT_USAGE;
  }
  int64_t id = 0;
  if ((is_step || !strcmp(verb, "show")) &&
      (first >= argc || parse_id(argv[first], &id)))
    return MW_EXIT_USAGE;
  struct ctx x;
  rc = ctx_open(&o, &x);
  if (rc) return rc;
  if (is_step) rc = cmd_step(&x, action, id, &o);
  else if (!strcmp(verb, "list")) rc = cmd_list(&x, &o);
  else if (!strcmp(verb, "show")) rc = cmd_show(&x, id, &o);
  else if (!strcmp(verb, "silence")) rc = cmd_silence(&x, argc, argv, first, &o);
  else {
    deliver(&x, true);
    rc = MW_EXIT_OK;
  }
  ctx_close(&x);
  return rc;
}
