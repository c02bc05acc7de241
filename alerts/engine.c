/*
 * engine.c: from a stored article to an alert.
 *
 * It builds the engine (names checked, gazetteer loaded), records each
 * article's sensitivity and 属地, groups articles into one alert per
 * reprint cluster (else per article), raises an alert's level when a
 * later article scores higher or the story spreads (once), and checks
 * silences before anyone is told. The reprint of an alerted story joins
 * its alert even when that copy alone would not be sensitive: the alert's
 * outlets and counts are the story's.
 *
 * What it leaves to others: who is told and how (engine_notify.c), what
 * time brings (engine_tick.c), people's workflow steps (engine_apply.c),
 * every SQL statement (store/), place names (gazetteer.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts/engine_int.h"

/* Title and body handed to the gazetteer, bytes: places are named early,
 * and a long page must not cost a long scan. */
#define LOCATE_MAX (512 * 1024)
#define TITLE_MAX (4 * 1024)

/* ------------------------------------------------------------ lifecycle */

static bool receiver_known(const struct mw_alerts_conf *c, const char *name) {
  for (size_t i = 0; i < c->n_receivers; i++)
    if (c->receivers[i].name && !strcmp(c->receivers[i].name, name))
      return true;
  return false;
}

static bool person_known(const struct mw_alerts_conf *c, const char *name) {
  for (size_t i = 0; i < c->n_people; i++)
    if (c->people[i].name && !strcmp(c->people[i].name, name)) return true;
  return false;
}

/* Routes and people name receivers, shifts name people: a typo there
 * would silently lose alerts, so it stops the engine from starting. */
static int check_names(const struct mw_alerts_conf *c, struct mw_err *err) {
  for (size_t i = 0; i < c->n_routes; i++) {
    const struct mw_route_conf *r = &c->routes[i];
    for (size_t j = 0; j < r->n_receivers; j++)
      if (strcmp(r->receivers[j], "duty") &&
          !receiver_known(c, r->receivers[j]))
        return mw_err_set(err, MW_EINVAL,
                          "alerts: route \"%s\" (line %d) names receiver "
                          "\"%s\", which is not defined under "
                          "alerts.receivers (or write \"duty\")",
                          r->name ? r->name : "", r->line, r->receivers[j]);
  }
  for (size_t i = 0; i < c->n_people; i++) {
    const struct mw_person_conf *p = &c->people[i];
    for (size_t j = 0; j < p->n_receivers; j++)
      if (!receiver_known(c, p->receivers[j]))
        return mw_err_set(err, MW_EINVAL,
                          "alerts: person \"%s\" (line %d) names receiver "
                          "\"%s\", which is not defined under "
                          "alerts.receivers",
                          p->name ? p->name : "", p->line, p->receivers[j]);
  }
  for (size_t i = 0; i < c->n_roster; i++) {
    const struct mw_shift_conf *sh = &c->roster[i];
    for (size_t j = 0; j < sh->n_people; j++)
      if (!person_known(c, sh->people[j]))
        return mw_err_set(err, MW_EINVAL,
                          "alerts: shift %zu of the roster (line %d) names "
                          "\"%s\", who is not listed under alerts.people",
                          i + 1, sh->line, sh->people[j]);
  }
  return MW_OK;
}

int mw_alerts_new(const struct mw_config *cfg, struct mw_alerts **out,
                  struct mw_err *err) {
  if (!cfg || !out)
    return mw_err_set(err, MW_EINVAL, "alerts: no configuration given");
  *out = NULL;
  int rc = check_names(&cfg->alerts, err);
  if (rc) return rc;
  struct mw_alerts *a = calloc(1, sizeof *a);
  if (!a) return mw_err_set(err, MW_ENOMEM, "alerts: out of memory");
  a->cfg = cfg;
  a->c = &cfg->alerts;
  a->tz = cfg->tz;
  if (!a->tz) {
    rc = mw_tz_load(cfg->timezone ? cfg->timezone : "UTC", &a->own_tz, err);
    if (rc) {
      mw_alerts_free(a);
      return rc;
    }
    a->tz = a->own_tz;
  }
  if (cfg->alerts.gazetteer) {
    rc = mw_gazetteer_load(cfg->alerts.gazetteer, &a->gaz, err);
    if (rc) {
      mw_err_prefix(err, "alerts: gazetteer: ");
      mw_alerts_free(a);
      return rc;
    }
  }
  *out = a;
  return MW_OK;
}

void mw_alerts_free(struct mw_alerts *a) {
  if (!a) return;
  mw_gazetteer_free(a->gaz);
  mw_tz_free(a->own_tz);
  free(a);
}

const struct mw_gazetteer *mw_alerts_gazetteer(const struct mw_alerts *a) {
  return a ? a->gaz : NULL;
}

/* ------------------------------------------------------ shared helpers */

int64_t engine_deadline_s(const struct mw_alerts *a, int level) {
  if (level < 1 || level > 4) return 0;
  int64_t d = a->c->deadline_s[level - 1];
  return d > 0 ? d : 0;
}

bool engine_within(const struct mw_alerts *a, const char *place,
                   const char *ancestor) {
  if (!place || !ancestor) return false;
  if (a->gaz) return mw_gazetteer_within(a->gaz, place, ancestor);
  return !strcmp(place, ancestor);
}

int engine_event(struct mw_store *s, int64_t alert_id, int64_t at,
                 const char *actor, const char *action, const char *from,
                 const char *to, const char *comment, struct mw_err *err) {
  /* The store copies every string; the casts only fit its struct. */
  struct mw_alert_event e = {.alert_id = alert_id,
                             .at = at,
                             .actor = (char *)actor,
                             .action = (char *)action,
                             .from_state = (char *)from,
                             .to_state = (char *)to,
                             .comment = (char *)comment};
  return mw_store_alert_event_add(s, &e, err);
}

/* Length of s up to max bytes, cut back to a whole UTF-8 character. */
static size_t utf8_prefix(const char *s, size_t max) {
  size_t n = strnlen(s, max);
  if (n == max) /* s goes on: do not end inside a character */
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
  return n;
}

/* Whether term occurs in hay (either may be NULL: no). */
static bool has_term(const char *hay, const char *term) {
  if (!hay || !term) return false;
  size_t tl = strnlen(term, TITLE_MAX), hl = strnlen(hay, LOCATE_MAX);
  return tl > 0 && memmem(hay, hl, term, tl) != NULL;
}

static bool silence_matches(const struct mw_alerts *a,
                            const struct mw_silence *si,
                            const struct mw_alert_rec *r,
                            const char *const *topics, size_t n_topics,
                            const char *text) {
  if (si->topic && *si->topic) {
    bool hit = r->topic && !strcmp(r->topic, si->topic);
    for (size_t i = 0; !hit && i < n_topics; i++)
      hit = topics[i] && !strcmp(topics[i], si->topic);
    if (!hit) return false;
  }
  if (si->region && *si->region && !engine_within(a, r->region, si->region))
    return false;
  if (si->term && *si->term && !has_term(r->title, si->term) &&
      !has_term(text, si->term))
    return false;
  return true;
}

int engine_silence_of(const struct mw_alerts *a, struct mw_store *s,
                      const struct mw_alert_rec *r, const char *const *topics,
                      size_t n_topics, const char *text, int64_t now,
                      int64_t *silence_id, char **why, struct mw_err *err) {
  *silence_id = 0;
  if (why) *why = NULL;
  struct mw_silence *arr = NULL;
  size_t n = 0;
  int rc = mw_store_silences(s, now, &arr, &n, err);
  if (rc) return rc;
  for (size_t i = 0; i < n; i++) {
    const struct mw_silence *si = &arr[i];
    if (!silence_matches(a, si, r, topics, n_topics, text)) continue;
    *silence_id = si->id;
    if (why) {
      struct mw_buf b;
      mw_buf_init(&b, 4096);
      mw_buf_printf(&b, "静默规则 #%lld", (long long)si->id);
      if (si->topic) mw_buf_printf(&b, " 主题=%s", si->topic);
      if (si->region) mw_buf_printf(&b, " 地区=%s", si->region);
      if (si->term) mw_buf_printf(&b, " 词=%s", si->term);
      if (si->created_by) mw_buf_printf(&b, "，设置人：%s", si->created_by);
      if (si->reason) mw_buf_printf(&b, "，原因：%s", si->reason);
      *why = mw_buf_steal(&b); /* NULL on ENOMEM: the event goes bare */
      mw_buf_cleanup(&b);
    }
    break;
  }
  mw_silences_free(arr, n);
  return MW_OK;
}

/* "a；b", either may be NULL; malloc'd, NULL only when both are. */
static char *join_reason(const char *a, const char *b) {
  if (!a || !*a) return b ? mw_strdup(b) : NULL;
  if (!b || !*b) return mw_strdup(a);
  struct mw_buf buf;
  mw_buf_init(&buf, ENGINE_TEXT_MAX);
  char *r = NULL;
  if (!mw_buf_printf(&buf, "%s；%s", a, b)) r = mw_buf_steal(&buf);
  mw_buf_cleanup(&buf);
  return r;
}

/* Replaces *slot by a copy of v; false on ENOMEM (slot untouched). */
static bool set_str(char **slot, const char *v) {
  char *c = NULL;
  if (v && !(c = mw_strdup(v))) return false;
  free(*slot);
  *slot = c;
  return true;
}

/* Reads alert id afresh into r (cleaned first): counts and outlets come
 * from the getter. */
static int reload(struct mw_store *s, int64_t id, struct mw_alert_rec *r,
                  struct mw_err *err) {
  mw_alert_rec_cleanup(r);
  memset(r, 0, sizeof *r);
  return mw_store_alert_get(s, id, r, err);
}

/* ---------------------------------------------------- raising, rising */

int engine_raise(const struct mw_alerts *a, struct mw_store *s,
                 struct mw_alert_rec *r, int64_t article_id,
                 const char *const *topics, size_t n_topics,
                 const char *text, const char *note_action, const char *note,
                 int64_t now, int64_t *id, struct mw_err *err) {
  int64_t sid = 0;
  char *why = NULL;
  int rc = engine_silence_of(a, s, r, topics, n_topics, text, now, &sid, &why,
                             err);
  if (rc) return rc;
  r->silence_id = sid;
  rc = mw_store_alert_insert(s, r, id, err);
  if (!rc && article_id)
    rc = mw_store_alert_add_article(s, *id, article_id, NULL, err);
  /* Copies stored before this one scored nothing on their own (a reprint
   * may drop the sensitive title): the alert counts them all the same. */
  if (!rc && r->cluster_id)
    rc = mw_store_alert_add_cluster(s, *id, r->cluster_id, NULL, err);
  if (!rc)
    rc = engine_event(s, *id, now, ENGINE_ACTOR, "raised", NULL, "new",
                      r->reason, err);
  if (!rc && note_action)
    rc = engine_event(s, *id, now, ENGINE_ACTOR, note_action, NULL, NULL, note,
                      err);
  if (!rc && sid)
    rc = engine_event(s, *id, now, ENGINE_ACTOR, "silenced", NULL, NULL, why,
                      err);
  free(why);
  if (!rc) rc = reload(s, *id, r, err);
  if (rc || sid) return rc;
  rc = engine_notify_routes(a, s, r, MW_EVENT_RAISED, NULL, now, err);
  return rc ? rc : mw_store_alert_update(s, r, err);
}

int engine_rise(const struct mw_alerts *a, struct mw_store *s,
                struct mw_alert_rec *r, int level, const char *reason,
                const char *const *topics, size_t n_topics, const char *text,
                int64_t now, struct mw_err *err) {
  struct mw_buf b;
  mw_buf_init(&b, ENGINE_TEXT_MAX);
  int rc = mw_buf_printf(&b, "%s → %s",
                         mw_alert_level_label_zh((enum mw_alert_level)r->level),
                         mw_alert_level_label_zh((enum mw_alert_level)level));
  if (!rc && reason) rc = mw_buf_printf(&b, "：%s", reason);
  if (rc || !set_str(&r->reason, reason ? reason : r->reason)) {
    mw_buf_cleanup(&b);
    return mw_err_set(err, MW_ENOMEM, "alerts: out of memory");
  }
  r->level = level;
  r->updated = now;
  int64_t dl = engine_deadline_s(a, level);
  if (dl && (!r->deadline || r->created + dl < r->deadline))
    r->deadline = r->created + dl;
  rc = engine_event(s, r->id, now, ENGINE_ACTOR, "rose", NULL, NULL, b.data,
                    err);
  mw_buf_cleanup(&b);
  if (rc) return rc;
  if (!r->silence_id) {
    /* A silence set after the alert was raised holds back what follows. */
    char *why = NULL;
    rc = engine_silence_of(a, s, r, topics, n_topics, text, now,
                           &r->silence_id, &why, err);
    if (!rc && r->silence_id)
      rc = engine_event(s, r->id, now, ENGINE_ACTOR, "silenced", NULL, NULL,
                        why, err);
    free(why);
    if (rc) return rc;
    if (!r->silence_id)
      rc = engine_notify_routes(a, s, r, MW_EVENT_ROSE, NULL, now, err);
    if (rc) return rc;
  }
  return mw_store_alert_update(s, r, err);
}

/* -------------------------------------------------------------- observe */

/* 属地: the most specific place the gazetteer finds in title and text,
 * else the outlet's region. Both are written as the place's full path
 * (吉林省长春市朝阳区) when the gazetteer knows it: one spelling per place
 * whatever named it, and no doubt between places sharing a name (朝阳区).
 * *region is malloc'd, NULL when nothing names a place. */
static int locate(const struct mw_alerts *a, const struct mw_alert_input *in,
                  char **region, struct mw_err *err) {
  *region = NULL;
  const char *outlet = in->outlet_region && *in->outlet_region
                           ? in->outlet_region
                           : NULL;
  struct mw_buf b, path;
  mw_buf_init(&b, LOCATE_MAX);
  mw_buf_init(&path, 4096);
  int rc = MW_OK;
  const char *place = NULL;
  if (a->gaz) {
    if (in->title)
      rc = mw_buf_append(&b, in->title, utf8_prefix(in->title, TITLE_MAX));
    if (!rc) rc = mw_buf_putc(&b, '\n');
    if (!rc && in->text)
      rc = mw_buf_append(&b, in->text,
                         utf8_prefix(in->text, LOCATE_MAX - b.len));
    if (!rc) place = mw_gazetteer_locate(a->gaz, b.data, b.len, &path);
    if (!rc && !place && outlet)
      place = mw_gazetteer_locate(a->gaz, outlet, strlen(outlet), &path);
  }
  if (!rc) {
    const char *v = place && path.len ? path.data : place ? place : outlet;
    if (v && !(*region = mw_strdup(v))) rc = MW_ENOMEM;
  }
  mw_buf_cleanup(&b);
  mw_buf_cleanup(&path);
  return rc ? mw_err_set(err, MW_ENOMEM, "alerts: out of memory") : MW_OK;
}

/* Whether the story has spread far enough to raise its alert: its cluster
 * on spread_outlets outlets, or one of its topics on that many outlets
 * with sensitive articles in its region, first seen within the window.
 * why receives the words. */
static int spread_of(const struct mw_alerts *a, struct mw_store *s,
                     const struct mw_alert_input *in, int level,
                     const char *region, int64_t now, bool *spread,
                     char *why, size_t why_n, struct mw_err *err) {
  *spread = false;
  int64_t need = a->c->spread_outlets;
  if (need <= 0) return MW_OK;
  /* No window configured: every outlet that ever carried it counts. */
  int64_t since = a->c->spread_window_s > 0 ? now - a->c->spread_window_s : 0;
  int64_t n = 0;
  int rc;
  if (in->cluster_id) {
    rc = mw_store_cluster_outlets_since(s, in->cluster_id, since, &n, err);
    if (rc) return rc;
    if (n >= need) {
      snprintf(why, why_n, "已被%lld家媒体转载", (long long)n);
      *spread = true;
      return MW_OK;
    }
  }
  if (level < 1 || !region) return MW_OK;
  for (size_t i = 0; i < in->n_topics; i++) {
    if (!in->topics[i]) continue;
    rc = mw_store_region_outlets_since(s, in->topics[i], region, since, &n,
                                       err);
    if (rc) return rc;
    if (n >= need) {
      snprintf(why, why_n, "「%s」在%s已有%lld家媒体报道", in->topics[i],
               region, (long long)n);
      *spread = true;
      return MW_OK;
    }
  }
  return MW_OK;
}

static int has_event(struct mw_store *s, int64_t id, const char *action,
                     bool *has, struct mw_err *err) {
  struct mw_alert_event *ev = NULL;
  size_t n = 0;
  *has = false;
  int rc = mw_store_alert_events(s, id, &ev, &n, err);
  for (size_t i = 0; !rc && i < n && !*has; i++)
    *has = ev[i].action && !strcmp(ev[i].action, action);
  mw_alert_events_free(ev, n);
  return rc;
}

static int clamp_level(int l) { return l < 0 ? 0 : l > 4 ? 4 : l; }

static int observe_new(const struct mw_alerts *a, struct mw_store *s,
                       const struct mw_alert_input *in, const char *key,
                       int level, const char *region, int64_t now,
                       int64_t *alert_id, struct mw_err *err) {
  bool spread = false;
  char why[512] = "";
  int rc = spread_of(a, s, in, level, region, now, &spread, why, sizeof why,
                     err);
  if (rc) return rc;
  int lv = spread ? clamp_level(level + 1) : level;
  struct mw_alert_rec r = {0};
  bool ok = set_str(&r.key, key) && set_str(&r.kind, "article") &&
            set_str(&r.topic, in->n_topics ? in->topics[0] : NULL) &&
            set_str(&r.region, region) && set_str(&r.state, "new") &&
            set_str(&r.title, in->title) && set_str(&r.url, in->url);
  r.reason = join_reason(in->reason, spread ? why : NULL);
  if (!ok || (!r.reason && ((in->reason && *in->reason) || spread))) {
    mw_alert_rec_cleanup(&r);
    return mw_err_set(err, MW_ENOMEM, "alerts: out of memory");
  }
  r.cluster_id = in->cluster_id;
  r.article_id = in->article_id;
  r.level = lv;
  r.created = r.updated = now;
  int64_t dl = engine_deadline_s(a, lv);
  r.deadline = dl ? now + dl : 0;
  int64_t id = 0;
  /* The "spread" event marks the one raise spread is worth. */
  rc = engine_raise(a, s, &r, in->article_id, in->topics, in->n_topics,
                    in->text, spread ? "spread" : NULL, why, now, &id, err);
  mw_alert_rec_cleanup(&r);
  if (!rc) *alert_id = id;
  return rc;
}

static int observe_known(const struct mw_alerts *a, struct mw_store *s,
                         const struct mw_alert_input *in,
                         struct mw_alert_rec *r, int level,
                         const char *region, int64_t now, int64_t *alert_id,
                         struct mw_err *err) {
  bool added = false;
  int rc = mw_store_alert_add_article(s, r->id, in->article_id, &added, err);
  if (rc) return rc;
  *alert_id = r->id;
  enum mw_alert_state st = MW_STATE_NEW;
  /* Seen before, or the case is closed: the article is kept with it,
   * nothing else changes. */
  if (!added || (!mw_alert_state_parse(r->state, &st) &&
                 st == MW_STATE_CLOSED))
    return MW_OK;
  bool spread_done = false, spread = false;
  char why[512] = "";
  rc = has_event(s, r->id, "spread", &spread_done, err);
  if (rc) return rc;
  /* Once spread, the story stays one level above its articles. */
  int lv = r->level;
  const char *reason = NULL;
  int art = clamp_level(level + (spread_done && level ? 1 : 0));
  if (art > lv) {
    lv = art;
    reason = in->reason;
  }
  if (!spread_done) {
    rc = spread_of(a, s, in, level, region, now, &spread, why, sizeof why,
                   err);
    if (rc) return rc;
    if (spread) lv = clamp_level(lv + 1);
  }
  char *words = spread ? join_reason(reason ? reason : r->reason, why)
                       : (reason ? mw_strdup(reason) : NULL);
  rc = reload(s, r->id, r, err);
  if (!rc && !r->topic && in->n_topics && !set_str(&r->topic, in->topics[0]))
    rc = mw_err_set(err, MW_ENOMEM, "alerts: out of memory");
  if (!rc && !r->region && region && !set_str(&r->region, region))
    rc = mw_err_set(err, MW_ENOMEM, "alerts: out of memory");
  r->updated = now;
  if (!rc && spread)
    rc = engine_event(s, r->id, now, ENGINE_ACTOR, "spread", NULL, NULL, why,
                      err);
  if (!rc) {
    if (lv > r->level)
      rc = engine_rise(a, s, r, lv, words ? words : "新报道级别更高",
                       in->topics, in->n_topics, in->text, now, err);
    else
      rc = mw_store_alert_update(s, r, err);
  }
  free(words);
  return rc;
}

int mw_alerts_observe(struct mw_alerts *a, struct mw_store *s,
                      const struct mw_alert_input *in, int64_t now,
                      int64_t *alert_id, struct mw_err *err) {
  if (alert_id) *alert_id = 0;
  if (!a || !s || !in)
    return mw_err_set(err, MW_EINVAL, "alerts: observe needs an article");
  int level = clamp_level(in->level);
  /* Most articles score nothing and are in no story that could be
   * alerted: a new article has nothing to record then, and no place
   * needs finding. */
  if (in->score == 0 && level == 0 && !in->cluster_id) return MW_OK;
  char *region = NULL;
  int rc = locate(a, in, &region, err);
  if (!rc)
    rc = mw_store_article_set_sensitivity(s, in->article_id, in->score, level,
                                          region, err);
  if (rc) {
    free(region);
    return rc;
  }
  char key[64];
  if (in->cluster_id)
    snprintf(key, sizeof key, "cluster:%lld", (long long)in->cluster_id);
  else
    snprintf(key, sizeof key, "article:%lld", (long long)in->article_id);
  struct mw_alert_rec r = {0};
  bool found = false;
  rc = mw_store_alert_by_key(s, key, &r, &found, err);
  int64_t id = 0;
  if (!rc && found)
    rc = observe_known(a, s, in, &r, level, region, now, &id, err);
  else if (!rc && level > 0)
    rc = observe_new(a, s, in, key, level, region, now, &id, err);
  mw_alert_rec_cleanup(&r);
  free(region);
  if (!rc && alert_id) *alert_id = id;
  return rc;
}
