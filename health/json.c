/*
 * json.c: the survey as JSON (mw_health_rows_json) for `sources health
 * --json` and the dashboard, and one problem as a JSON object, which the
 * admins' messages (check.c) carry too.
 *
 * Times are ISO 8601 in the config's zone, null when 0. Each problem
 * carries only the evidence keys its code has (health.h lists them).
 */
#include <stdlib.h>
#include <string.h>

#include "health/health_int.h"

/* Sets key to v (stolen); a NULL v (text not UTF-8, no memory) is an
 * error the caller reports once. */
static int set(json_t *o, const char *key, json_t *v) {
  return v && json_object_set_new(o, key, v) == 0 ? 0 : -1;
}

static json_t *str_or_null(const char *s) {
  return s && s[0] ? json_string(s) : json_null();
}

static json_t *time_or_null(const struct mw_tz *tz, int64_t t) {
  if (t == 0 || t == MW_TIME_UNKNOWN) return json_null();
  char buf[40];
  health_fmt_iso(tz, t, buf, sizeof buf);
  return json_string(buf);
}

/* Which evidence keys a code has. */
enum {
  EV_SINCE = 1,
  EV_COUNT = 2,
  EV_USUAL = 4,
  EV_SHARES = 8,
  EV_FIELD = 16,
  EV_URL = 32,
  EV_TEXT = 64,
};

static unsigned evidence(enum mw_problem_code c) {
  switch (c) {
  case MW_PROBLEM_UNREACHABLE: return EV_SINCE | EV_COUNT | EV_TEXT;
  case MW_PROBLEM_NO_LINKS:
  case MW_PROBLEM_FEWER_LINKS: return EV_COUNT | EV_USUAL | EV_SINCE;
  case MW_PROBLEM_EXTRACTION:
    return EV_FIELD | EV_SHARES | EV_COUNT | EV_URL;
  case MW_PROBLEM_MOJIBAKE: return EV_SHARES | EV_COUNT | EV_URL | EV_TEXT;
  case MW_PROBLEM_SILENT: return EV_SINCE | EV_USUAL | EV_COUNT;
  case MW_PROBLEM_MOVED: return EV_URL | EV_SINCE;
  default: return 0;
  }
}

json_t *health_problem_json(const struct mw_health_problem *p,
                            enum mw_source_kind k, int64_t now,
                            const struct mw_tz *tz) {
  json_t *o = json_object();
  if (!o) return NULL;
  unsigned ev = evidence(p->code);
  struct mw_buf zh;
  mw_buf_init(&zh, sizeof p->detail * 2);
  int bad = set(o, "code", json_string(mw_problem_code_name(p->code)));
  bad |= set(o, "label_zh", json_string(mw_problem_label_zh(p->code)));
  bad |= set(o, "severity", json_string(mw_health_status_name(p->severity)));
  bad |= set(o, "detail", json_string(p->detail));
  bad |= health_problem_zh(p, k, now, &zh) ? -1
         : set(o, "detail_zh", json_string(zh.data ? zh.data : ""));
  mw_buf_cleanup(&zh);
  if (ev & EV_SINCE) bad |= set(o, "since", time_or_null(tz, p->since));
  if (ev & EV_COUNT) bad |= set(o, "count", json_integer(p->count));
  if (ev & EV_USUAL) bad |= set(o, "usual", json_integer(p->usual));
  if (ev & EV_SHARES) {
    bad |= set(o, "share", json_real(p->share));
    bad |= set(o, "usual_share", json_real(p->usual_share));
  }
  if (ev & EV_FIELD) bad |= set(o, "field", str_or_null(p->field));
  if (ev & EV_URL) bad |= set(o, "url", str_or_null(p->url));
  if (ev & EV_TEXT) bad |= set(o, "text", str_or_null(p->text));
  if (bad) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static json_t *row_json(const struct mw_health_row *r, int64_t now,
                        const struct mw_tz *tz) {
  json_t *o = json_object(), *probs = json_array();
  if (!o || !probs) {
    json_decref(o);
    json_decref(probs);
    return NULL;
  }
  const struct mw_source_state *s = &r->src;
  /* The interval in force: the adaptive one once worked out. */
  int64_t interval = s->interval_s > 0 ? s->interval_s : s->poll_interval_s;
  int bad = set(o, "id", json_integer(s->id));
  bad |= set(o, "outlet", str_or_null(s->outlet_name));
  bad |= set(o, "url", str_or_null(s->url));
  bad |= set(o, "kind", json_string(mw_source_kind_name(s->kind)));
  bad |= set(o, "tier", json_string(mw_tier_name(r->tier)));
  bad |= set(o, "status", json_string(mw_health_status_name(r->health.status)));
  bad |= set(o, "carries_target", json_boolean(r->carries_target));
  bad |= set(o, "interval_s", json_integer(interval));
  bad |= set(o, "interval_why", str_or_null(s->interval_why));
  bad |= set(o, "last_fetch", time_or_null(tz, s->last_fetch));
  bad |= set(o, "last_ok", time_or_null(tz, s->last_ok));
  bad |= set(o, "last_new", time_or_null(tz, r->last_new));
  bad |= set(o, "articles_7d", json_integer(r->articles_7d));
  bad |= set(o, "moved_to", str_or_null(s->moved_to));
  for (size_t i = 0; !bad && i < r->health.n_problems; i++) {
    json_t *p = health_problem_json(&r->health.problems[i], s->kind, now, tz);
    bad |= p && json_array_append_new(probs, p) == 0 ? 0 : -1;
  }
  if (bad || json_object_set_new(o, "problems", probs)) {
    if (!bad) probs = NULL; /* set_new stole it even on failure */
    json_decref(probs);
    json_decref(o);
    return NULL;
  }
  return o;
}

int mw_health_rows_json(const struct mw_health_row *rows, size_t n,
                        const struct mw_tz *tz, int64_t now, char **out,
                        struct mw_err *err) {
  *out = NULL;
  json_t *root = json_object(), *counts = json_object(), *srcs = json_array();
  int bad = !root || !counts || !srcs, rc = MW_OK;
  int64_t by_status[3] = {0, 0, 0};
  for (size_t i = 0; !bad && i < n; i++) {
    unsigned st = (unsigned)rows[i].health.status;
    if (st < 3) by_status[st]++;
    json_t *r = row_json(&rows[i], now, tz);
    if (!r || json_array_append_new(srcs, r)) {
      bad = 1;
      if (!r)
        rc = mw_err_set(err, MW_EINVAL,
                   "source %s: a text of its health is not UTF-8",
                   rows[i].src.url ? rows[i].src.url : "?");
    }
  }
  if (!bad) {
    bad |= set(counts, "ok", json_integer(by_status[MW_HEALTH_OK]));
    bad |= set(counts, "degraded", json_integer(by_status[MW_HEALTH_DEGRADED]));
    bad |= set(counts, "broken", json_integer(by_status[MW_HEALTH_BROKEN]));
    bad |= set(root, "generated", time_or_null(tz, now));
    bad |= json_object_set(root, "counts", counts) ? -1 : 0;
    bad |= json_object_set(root, "sources", srcs) ? -1 : 0;
  }
  if (!bad) *out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(counts);
  json_decref(srcs);
  json_decref(root);
  if (!*out)
    return rc ? rc : mw_err_set(err, MW_ENOMEM, "out of memory");
  return MW_OK;
}
