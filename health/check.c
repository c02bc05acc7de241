/*
 * check.c: the periodic check (mw_health_check). It surveys the sources,
 * records each problem found and clears those no longer found, and writes
 * the admins' messages to the outbox: at once for a source that carries a
 * coverage target (a new problem, or one that turned broken), and a daily
 * digest of every open problem at health.digest_at.
 *
 * The store keeps one open problem per source and code, so the problems
 * the judge gives per field (extraction) are recorded as one, with the
 * worst severity and the details joined. What it leaves to others: the
 * transaction (the caller's), delivery and retries (alerts/ drains the
 * outbox; these messages have no alert id), the wording (message.c).
 */
#include <stdlib.h>
#include <string.h>

#include "health/health_int.h"

/* Ceilings of what one check writes per message. */
#define DETAIL_MAX 4096
#define TEXT_MAX (64 * 1024)
#define DIGEST_STATE "health_digest_day"

/* The receivers of every person with admin: true, each once, and only
 * those the config still defines (the sender would hold any other). */
struct admins {
  const char **names;
  size_t n;
};

static bool has_receiver(const struct mw_config *cfg, const char *name) {
  for (size_t i = 0; i < cfg->alerts.n_receivers; i++)
    if (cfg->alerts.receivers[i].name &&
        strcmp(cfg->alerts.receivers[i].name, name) == 0)
      return true;
  return false;
}

static int admins_collect(const struct mw_config *cfg, struct admins *a,
                          struct mw_err *err) {
  size_t cap = 0;
  for (size_t i = 0; i < cfg->alerts.n_people; i++)
    if (cfg->alerts.people[i].admin) cap += cfg->alerts.people[i].n_receivers;
  a->names = cap ? calloc(cap, sizeof *a->names) : NULL;
  a->n = 0;
  if (cap && !a->names) return mw_err_set(err, MW_ENOMEM, "out of memory");
  for (size_t i = 0; i < cfg->alerts.n_people; i++) {
    const struct mw_person_conf *p = &cfg->alerts.people[i];
    if (!p->admin) continue;
    for (size_t j = 0; j < p->n_receivers; j++) {
      const char *name = p->receivers[j];
      bool seen = !name || !has_receiver(cfg, name);
      for (size_t k = 0; !seen && k < a->n; k++)
        seen = strcmp(a->names[k], name) == 0;
      if (!seen) a->names[a->n++] = name;
    }
  }
  return MW_OK;
}

static const struct mw_source_problem *find_open(
    const struct mw_source_problem *open, size_t n, int64_t source_id,
    const char *code) {
  for (size_t i = 0; i < n; i++)
    if (open[i].source_id == source_id && open[i].code &&
        strcmp(open[i].code, code) == 0)
      return &open[i];
  return NULL;
}

/* p with the source it is about, for the messages' JSON. */
static json_t *problem_of_source(const struct mw_health_row *r,
                                 const struct mw_health_problem *p,
                                 int64_t now, const struct mw_tz *tz) {
  json_t *o = health_problem_json(p, r->src.kind, now, tz);
  if (!o) return NULL;
  const char *outlet = r->src.outlet_name ? r->src.outlet_name : "";
  const char *url = r->src.url ? r->src.url : "";
  if (json_object_set_new(o, "source_id", json_integer(r->src.id)) ||
      json_object_set_new(o, "outlet", json_string(outlet)) ||
      json_object_set_new(o, "source_url", json_string(url)) ||
      json_object_set_new(o, "carries_target",
                          json_boolean(r->carries_target))) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* Writes text and its JSON ({"event", "kind", "text", "problems"} plus
 * extra's keys; "kind" is the outbox kind, as in the sender's own payload
 * of a message without JSON) to the outbox for every admin receiver. */
static int send_all(struct mw_store *s, const struct admins *a,
                    const char *kind, const char *event, const char *text,
                    json_t *problems, json_t *extra, int64_t now,
                    struct mw_health_check_stats *stats, struct mw_err *err) {
  json_t *o = extra ? extra : json_object();
  char *json = NULL;
  if (o && !json_object_set_new(o, "event", json_string(event)) &&
      !json_object_set_new(o, "kind", json_string(kind)) &&
      !json_object_set_new(o, "text", json_string(text)) &&
      !json_object_set(o, "problems", problems))
    json = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(o);
  if (!json)
    return mw_err_set(err, MW_EINVAL,
                      "health: cannot write the %s message as JSON (text "
                      "not UTF-8, or out of memory)",
                      kind);
  int rc = MW_OK;
  for (size_t i = 0; rc == MW_OK && i < a->n; i++) {
    rc = mw_store_outbox_add(s, 0, a->names[i], kind, text, json, now, NULL,
                             err);
    if (!rc) stats->messages++;
  }
  free(json);
  return rc;
}

/* Records the problems of one surveyed source, clears the others, and
 * sends at once what an admin must hear of now. */
static int check_row(const struct mw_config *cfg, struct mw_store *s,
                     const struct mw_health_row *r,
                     const struct mw_source_problem *open, size_t n_open,
                     const struct admins *a, int64_t now,
                     struct mw_health_check_stats *stats,
                     struct mw_err *err) {
  const struct mw_health_verdict *h = &r->health;
  const char *codes[MW_PROBLEM_COUNT];
  size_t n_codes = 0;
  const struct mw_health_problem *tell[MW_HEALTH_MAX_PROBLEMS];
  size_t n_tell = 0;
  int64_t tell_ids[MW_PROBLEM_COUNT];
  size_t n_tell_ids = 0;
  struct mw_buf detail;
  mw_buf_init(&detail, DETAIL_MAX);
  int rc = MW_OK;
  for (int c = 0; rc == MW_OK && c < MW_PROBLEM_COUNT; c++) {
    enum mw_health_status sev = MW_HEALTH_OK;
    mw_buf_reset(&detail);
    for (size_t i = 0; i < h->n_problems; i++) {
      const struct mw_health_problem *p = &h->problems[i];
      if ((int)p->code != c) continue;
      if (p->severity > sev) sev = p->severity;
      /* A detail past the ceiling is cut, not an error. */
      if (detail.len) mw_buf_puts(&detail, "; ");
      mw_buf_puts(&detail, p->detail);
    }
    if (sev == MW_HEALTH_OK) continue;
    const char *code = mw_problem_code_name((enum mw_problem_code)c);
    codes[n_codes++] = code;
    const struct mw_source_problem *prev =
        find_open(open, n_open, r->src.id, code);
    int64_t id = 0;
    bool is_new = false;
    rc = mw_store_problem_found(s, r->src.id, code,
                                mw_health_status_name(sev),
                                detail.data ? detail.data : "", now, &id,
                                &is_new, err);
    if (rc) break;
    if (is_new) stats->problems_new++;
    bool turned_broken = prev && prev->severity &&
                         strcmp(prev->severity, "degraded") == 0 &&
                         sev == MW_HEALTH_BROKEN;
    bool told = prev && prev->notified && !is_new;
    if (!r->carries_target || (told && !turned_broken)) continue;
    tell_ids[n_tell_ids++] = id;
    for (size_t i = 0; i < h->n_problems; i++)
      if ((int)h->problems[i].code == c) tell[n_tell++] = &h->problems[i];
  }
  mw_buf_cleanup(&detail);
  size_t cleared = 0;
  if (!rc)
    rc = mw_store_problems_clear_others(s, r->src.id, codes, n_codes, now,
                                        &cleared, err);
  stats->problems_cleared += cleared;
  if (rc || n_tell == 0 || a->n == 0) return rc;

  /* Worst first, as the judge ordered them within the source. */
  for (size_t i = 1; i < n_tell; i++) {
    const struct mw_health_problem *t = tell[i];
    size_t j = i;
    while (j > 0 && tell[j - 1]->severity < t->severity) {
      tell[j] = tell[j - 1];
      j--;
    }
    tell[j] = t;
  }
  struct mw_buf text;
  mw_buf_init(&text, TEXT_MAX);
  json_t *probs = json_array();
  rc = health_text_now(r, tell, n_tell, cfg->tz, now, &text);
  if (rc) rc = mw_err_set(err, rc, "health: the message is too long");
  if (!rc && !probs) rc = mw_err_set(err, MW_ENOMEM, "out of memory");
  for (size_t i = 0; !rc && i < n_tell; i++) {
    json_t *p = problem_of_source(r, tell[i], now, cfg->tz);
    if (!p || json_array_append_new(probs, p))
      rc = mw_err_set(err, MW_EINVAL, "health: a problem of %s is not UTF-8",
                      r->src.url ? r->src.url : "?");
  }
  if (!rc)
    rc = send_all(s, a, "source", "source_problem", text.data, probs, NULL,
                  now, stats, err);
  for (size_t i = 0; !rc && i < n_tell_ids; i++)
    rc = mw_store_problem_mark_notified(s, tell_ids[i], now, err);
  json_decref(probs);
  mw_buf_cleanup(&text);
  return rc;
}

/* The digest, once a local day at digest_at or the first check after. */
static int check_digest(const struct mw_config *cfg, struct mw_store *s,
                        const struct mw_health_row *rows, size_t n,
                        const struct admins *a, int64_t now,
                        struct mw_health_check_stats *stats,
                        struct mw_err *err) {
  int minute;
  int64_t day = health_local_day(cfg->tz, now, &minute);
  if (minute < cfg->health.digest_minute) return MW_OK;
  int64_t last = 0;
  bool found = false;
  int rc = mw_store_state_get(s, DIGEST_STATE, &last, &found, err);
  if (rc || (found && last >= day)) return rc;
  rc = mw_store_state_set(s, DIGEST_STATE, day, err);
  bool any = false;
  for (size_t i = 0; i < n; i++) any |= rows[i].health.n_problems > 0;
  if (rc || !any) return rc;

  struct mw_buf text;
  mw_buf_init(&text, TEXT_MAX);
  json_t *probs = json_array(), *extra = json_object();
  char date[24];
  health_fmt_local(cfg->tz, now, date, sizeof date);
  date[10] = '\0';
  rc = health_text_digest(rows, n, cfg->tz, now, &text);
  if (rc) rc = mw_err_set(err, rc, "health: the digest is too long");
  if (!rc && (!probs || !extra ||
              json_object_set_new(extra, "day", json_string(date))))
    rc = mw_err_set(err, MW_ENOMEM, "out of memory");
  for (size_t i = 0; !rc && i < n; i++)
    for (size_t j = 0; !rc && j < rows[i].health.n_problems; j++) {
      json_t *p = problem_of_source(&rows[i], &rows[i].health.problems[j],
                                    now, cfg->tz);
      if (!p || json_array_append_new(probs, p))
        rc = mw_err_set(err, MW_EINVAL,
                        "health: a problem of %s is not UTF-8",
                        rows[i].src.url ? rows[i].src.url : "?");
    }
  if (!rc) {
    rc = send_all(s, a, "source_digest", "source_digest", text.data, probs,
                  extra, now, stats, err);
    extra = NULL; /* send_all took it */
    if (!rc) stats->digest = true;
  }
  json_decref(extra);
  json_decref(probs);
  mw_buf_cleanup(&text);
  return rc;
}

/* The open problems of a source no longer active (gone from the config)
 * are cleared: no check will find them again, and the digest would not
 * list them. */
static int clear_gone(struct mw_store *s, const struct mw_health_row *rows,
                      size_t n, const struct mw_source_problem *open,
                      size_t n_open, int64_t now,
                      struct mw_health_check_stats *stats,
                      struct mw_err *err) {
  for (size_t i = 0; i < n_open; i++) {
    int64_t sid = open[i].source_id;
    bool active = false, done = false;
    for (size_t j = 0; !active && j < n; j++) active = rows[j].src.id == sid;
    /* open is ordered by source: one call per source. */
    done = i > 0 && open[i - 1].source_id == sid;
    if (active || done) continue;
    size_t cleared = 0;
    int rc = mw_store_problems_clear_others(s, sid, NULL, 0, now, &cleared,
                                            err);
    if (rc) return rc;
    stats->problems_cleared += cleared;
  }
  return MW_OK;
}

int mw_health_check(const struct mw_config *cfg, struct mw_store *s,
                    int64_t now, struct mw_health_check_stats *stats,
                    struct mw_err *err) {
  struct mw_health_check_stats st;
  memset(&st, 0, sizeof st);
  if (stats) *stats = st;
  struct admins a = {NULL, 0};
  struct mw_health_row *rows = NULL;
  size_t n = 0;
  struct mw_source_problem *open = NULL;
  size_t n_open = 0;
  int rc = admins_collect(cfg, &a, err);
  if (!rc) rc = mw_health_survey(cfg, s, now, &rows, &n, err);
  /* Read before recording: what the admins were told, at which severity. */
  if (!rc) rc = mw_store_problems_open(s, &open, &n_open, err);
  st.sources = n;
  for (size_t i = 0; !rc && i < n; i++)
    rc = check_row(cfg, s, &rows[i], open, n_open, &a, now, &st, err);
  if (!rc) rc = clear_gone(s, rows, n, open, n_open, now, &st, err);
  if (!rc && a.n > 0) rc = check_digest(cfg, s, rows, n, &a, now, &st, err);
  mw_source_problems_free(open, n_open);
  mw_health_rows_free(rows, n);
  free(a.names);
  if (stats) *stats = st;
  return rc;
}
