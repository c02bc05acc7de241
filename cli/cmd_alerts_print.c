/*
 * cmd_alerts_print.c: how `mediawatch alerts` shows alerts: a table for
 * the duty desk, a detail page with the audit trail and the notifications,
 * and the same as JSON for scripts. Everything shown came from the store;
 * titles are crawled text and are printed as text, never interpreted.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd_alerts.h"

/* Titles in the table are cut to this many characters. */
#define TITLE_CHARS 40

void mw_cli_local_time(const struct mw_tz *tz, int64_t t, char *buf,
                       size_t n) {
  if (!t) {
    snprintf(buf, n, "-");
    return;
  }
  struct mw_civil c;
  mw_tz_to_civil(tz, t, &c);
  snprintf(buf, n, "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day, c.hour,
           c.minute);
}

/* Bytes of the first max_chars UTF-8 characters of s. */
static int utf8_prefix(const char *s, int max_chars) {
  int bytes = 0, chars = 0;
  while (s[bytes] && chars < max_chars) {
    bytes++;
    while (((unsigned char)s[bytes] & 0xC0) == 0x80) bytes++;
    chars++;
  }
  return bytes;
}

static const char *state_zh(const char *state) {
  enum mw_alert_state st;
  return state && !mw_alert_state_parse(state, &st)
             ? mw_alert_state_label_zh(st)
             : (state ? state : "-");
}

void mw_cli_print_alert_table(FILE *out, const struct mw_alert_rec *recs,
                              size_t n, const struct mw_tz *tz) {
  if (!n) {
    fputs("no alerts\n", out);
    return;
  }
  fputs("ID\tLEVEL\tSTATE\tREGION\tOUTLETS\tDEADLINE\tTITLE\n", out);
  for (size_t i = 0; i < n; i++) {
    const struct mw_alert_rec *r = &recs[i];
    char deadline[32];
    int64_t when = r->due ? r->due : r->deadline;
    mw_cli_local_time(tz, when, deadline, sizeof deadline);
    const char *title = r->title ? r->title : "(no title)";
    int cut = utf8_prefix(title, TITLE_CHARS);
    fprintf(out, "%lld\t%s%s\t%s\t%s\t%lld\t%s%s\t%.*s%s\n", (long long)r->id,
            mw_alert_level_label_zh((enum mw_alert_level)r->level),
            r->silence_id ? "(静默)" : "", state_zh(r->state),
            r->region ? r->region : "-", (long long)r->outlet_count, deadline,
            r->overdue ? " 逾期" : "", cut, title, title[cut] ? "…" : "");
  }
}

void mw_cli_print_alert_detail(FILE *out, const struct mw_alert_rec *r,
                               const struct mw_alert_event *ev, size_t n_ev,
                               const struct mw_outbox_msg *msgs,
                               size_t n_msgs, const struct mw_tz *tz) {
  char t1[32], t2[32];
  enum mw_alert_level lv = (enum mw_alert_level)r->level;
  fprintf(out, "alert %lld  %s (%s, %s)  %s%s\n", (long long)r->id,
          mw_alert_level_label_zh(lv), mw_alert_level_name(lv),
          mw_alert_level_color(lv), state_zh(r->state),
          r->overdue ? "  逾期 overdue" : "");
  fprintf(out, "title:    %s\n", r->title ? r->title : "-");
  fprintf(out, "link:     %s\n", r->url ? r->url : "-");
  fprintf(out, "region:   %s\n", r->region ? r->region : "-");
  fprintf(out, "topic:    %s\n", r->topic ? r->topic : "-");
  fprintf(out, "outlets:  %s (%lld outlets, %lld articles)\n",
          r->outlets ? r->outlets : "-", (long long)r->outlet_count,
          (long long)r->article_count);
  fprintf(out, "reason:   %s\n", r->reason ? r->reason : "-");
  mw_cli_local_time(tz, r->created, t1, sizeof t1);
  mw_cli_local_time(tz, r->deadline, t2, sizeof t2);
  fprintf(out, "raised:   %s   respond by: %s\n", t1, t2);
  if (r->acked_at) {
    mw_cli_local_time(tz, r->acked_at, t1, sizeof t1);
    fprintf(out, "acked:    %s by %s\n", t1, r->acked_by ? r->acked_by : "-");
  }
  if (r->assignee) {
    mw_cli_local_time(tz, r->due, t1, sizeof t1);
    fprintf(out, "assigned: %s, due %s\n", r->assignee, t1);
  }
  if (r->escalation)
    fprintf(out, "escalated: %s\n",
            r->escalation >= 2 ? "to the leaders" : "to the next on duty");
  if (r->silence_id)
    fprintf(out, "silenced: by silence %lld (recorded, not notified)\n",
            (long long)r->silence_id);
  fputs("\naudit trail:\n", out);
  for (size_t i = 0; i < n_ev; i++) {
    mw_cli_local_time(tz, ev[i].at, t1, sizeof t1);
    fprintf(out, "  %s  %-10s %-12s", t1, ev[i].actor ? ev[i].actor : "-",
            ev[i].action ? ev[i].action : "-");
    if (ev[i].from_state || ev[i].to_state)
      fprintf(out, " %s → %s", ev[i].from_state ? ev[i].from_state : "-",
              ev[i].to_state ? ev[i].to_state : "-");
    if (ev[i].comment) fprintf(out, "  %s", ev[i].comment);
    fputc('\n', out);
  }
  fputs("\nnotifications:\n", out);
  if (!n_msgs) fputs("  none\n", out);
  for (size_t i = 0; i < n_msgs; i++) {
    mw_cli_local_time(tz, msgs[i].created, t1, sizeof t1);
    fprintf(out, "  %s  %-10s to %-16s ", t1,
            msgs[i].kind ? msgs[i].kind : "-",
            msgs[i].receiver ? msgs[i].receiver : "-");
    if (msgs[i].sent_at) {
      mw_cli_local_time(tz, msgs[i].sent_at, t2, sizeof t2);
      fprintf(out, "sent %s", t2);
    } else {
      fprintf(out, "waiting (%lld attempts)", (long long)msgs[i].attempts);
      if (msgs[i].last_error) fprintf(out, ": %s", msgs[i].last_error);
    }
    fputc('\n', out);
  }
}

static json_t *str_or_null(const char *s) {
  return s ? json_string(s) : json_null();
}

static json_t *alert_json(const struct mw_alert_rec *r) {
  enum mw_alert_level lv = (enum mw_alert_level)r->level;
  json_t *o = json_object();
  if (!o) return NULL;
  json_object_set_new(o, "id", json_integer(r->id));
  json_object_set_new(o, "key", str_or_null(r->key));
  json_object_set_new(o, "kind", str_or_null(r->kind));
  json_object_set_new(o, "level", json_integer(r->level));
  json_object_set_new(o, "level_zh", json_string(mw_alert_level_label_zh(lv)));
  json_object_set_new(o, "color", json_string(mw_alert_level_color(lv)));
  json_object_set_new(o, "state", str_or_null(r->state));
  json_object_set_new(o, "title", str_or_null(r->title));
  json_object_set_new(o, "url", str_or_null(r->url));
  json_object_set_new(o, "region", str_or_null(r->region));
  json_object_set_new(o, "topic", str_or_null(r->topic));
  json_object_set_new(o, "reason", str_or_null(r->reason));
  json_object_set_new(o, "outlets", str_or_null(r->outlets));
  json_object_set_new(o, "outlet_count", json_integer(r->outlet_count));
  json_object_set_new(o, "article_count", json_integer(r->article_count));
  json_object_set_new(o, "created", json_integer(r->created));
  json_object_set_new(o, "deadline", json_integer(r->deadline));
  json_object_set_new(o, "acked_at", json_integer(r->acked_at));
  json_object_set_new(o, "acked_by", str_or_null(r->acked_by));
  json_object_set_new(o, "assignee", str_or_null(r->assignee));
  json_object_set_new(o, "due", json_integer(r->due));
  json_object_set_new(o, "escalation", json_integer(r->escalation));
  json_object_set_new(o, "overdue", json_boolean(r->overdue));
  json_object_set_new(o, "silenced", json_boolean(r->silence_id != 0));
  return o;
}

static bool dump(FILE *out, json_t *v) {
  if (!v) return false;
  int rc = json_dumpf(v, out, JSON_INDENT(2));
  fputc('\n', out);
  json_decref(v);
  return rc == 0;
}

bool mw_cli_print_alerts_json(FILE *out, const struct mw_alert_rec *recs,
                              size_t n) {
  json_t *a = json_array();
  for (size_t i = 0; a && i < n; i++) json_array_append_new(a, alert_json(&recs[i]));
  return dump(out, a);
}

bool mw_cli_print_alert_detail_json(FILE *out, const struct mw_alert_rec *r,
                                    const struct mw_alert_event *ev,
                                    size_t n_ev,
                                    const struct mw_outbox_msg *msgs,
                                    size_t n_msgs) {
  json_t *o = alert_json(r);
  json_t *events = json_array(), *notes = json_array();
  if (!o || !events || !notes) {
    json_decref(o);
    json_decref(events);
    json_decref(notes);
    return false;
  }
  for (size_t i = 0; i < n_ev; i++) {
    json_t *e = json_object();
    json_object_set_new(e, "at", json_integer(ev[i].at));
    json_object_set_new(e, "actor", str_or_null(ev[i].actor));
    json_object_set_new(e, "action", str_or_null(ev[i].action));
    json_object_set_new(e, "from", str_or_null(ev[i].from_state));
    json_object_set_new(e, "to", str_or_null(ev[i].to_state));
    json_object_set_new(e, "comment", str_or_null(ev[i].comment));
    json_array_append_new(events, e);
  }
  for (size_t i = 0; i < n_msgs; i++) {
    json_t *m = json_object();
    json_object_set_new(m, "id", json_integer(msgs[i].id));
    json_object_set_new(m, "receiver", str_or_null(msgs[i].receiver));
    json_object_set_new(m, "kind", str_or_null(msgs[i].kind));
    json_object_set_new(m, "created", json_integer(msgs[i].created));
    json_object_set_new(m, "attempts", json_integer(msgs[i].attempts));
    json_object_set_new(m, "last_error", str_or_null(msgs[i].last_error));
    json_object_set_new(m, "sent_at", json_integer(msgs[i].sent_at));
    json_array_append_new(notes, m);
  }
  json_object_set_new(o, "events", events);
  json_object_set_new(o, "notifications", notes);
  return dump(out, o);
}

void mw_cli_print_silences(FILE *out, const struct mw_silence *si, size_t n,
                           const struct mw_tz *tz) {
  if (!n) {
    fputs("no silences\n", out);
    return;
  }
  fputs("ID\tFROM\tUNTIL\tTOPIC\tREGION\tTERM\tBY\tREASON\n", out);
  for (size_t i = 0; i < n; i++) {
    char a[32], b[32];
    mw_cli_local_time(tz, si[i].starts, a, sizeof a);
    mw_cli_local_time(tz, si[i].ends, b, sizeof b);
    fprintf(out, "%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)si[i].id, a,
            b, si[i].topic ? si[i].topic : "*",
            si[i].region ? si[i].region : "*", si[i].term ? si[i].term : "*",
            si[i].created_by ? si[i].created_by : "-",
            si[i].reason ? si[i].reason : "-");
  }
}
