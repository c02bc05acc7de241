/*
 * config_alerts.c: the checks of the `alerts:` section that no single
 * option row can make, run once the walk has filled struct
 * mw_alerts_conf and sorted the unique names.
 *
 * Receivers: what each kind needs (an address for the robots, webhook and
 * e-mail, sender and recipients for e-mail, a command for exec), keys that
 * do not apply to the kind, and secrets: a URL written in the config that
 * carries a robot key (key=, access_token=, a Feishu hook token) or a
 * password (user:password@) is refused, with the message never repeating
 * the secret. Names: route and person receivers, roster people and route
 * topics must be defined (with the nearest name suggested), "duty" is
 * kept for the roster. Days: the roster's words become its day mask.
 * Order: graver levels get shorter deadlines, T2 comes after T1.
 * Paths (gazetteer, url_file, secret_file) are made relative to the
 * config's folder.
 *
 * What it leaves to others: the walk and the messages' form (config.c),
 * whether a secret file or variable is there and private (`config check`,
 * cmd_config.c; the sender when it reads them), what everything means
 * (alerts/).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/config_load.h"

#define Q (MW_CFG_QUOTE_MAX + 8)

/* The receiver name a route uses for whoever the roster has on duty. */
static const char duty[] = "duty";

/* The value node of key in item, else item itself (for a position). */
static const struct mw_cfg_node *value_at(const struct mw_cfg_node *item,
                                          const char *key) {
  const struct mw_cfg_node *k = mw_cfg_key(item, key);
  return k ? k->next : item;
}

static const struct mw_cfg_node *key_at(const struct mw_cfg_node *item,
                                        const char *key) {
  const struct mw_cfg_node *k = mw_cfg_key(item, key);
  return k ? k : item;
}

/* The node of element j of the list under key in item. */
static const struct mw_cfg_node *elem_at(const struct mw_cfg_node *item,
                                         const char *key, size_t j) {
  const struct mw_cfg_node *v = value_at(item, key);
  if (v->kind != MW_CFG_NODE_SEQ) return v;
  const struct mw_cfg_node *e = v->first;
  for (size_t i = 0; e && i < j; i++) e = e->next;
  return e ? e : v;
}

/* "receiver '值班群'", "route #2": one item, for messages. */
static void who(enum mw_cfg_section sec, const char *name, size_t i,
                char *buf, size_t n) {
  char q[Q];
  if (name) {
    mw_cfg_quote(name, q, sizeof q);
    snprintf(buf, n, "%s '%s'", mw_cfg_sections[sec].word, q);
  } else {
    snprintf(buf, n, "%s #%zu", mw_cfg_sections[sec].word, i + 1);
  }
}

/* The name among n items (their names at name_off, stride apart), or
 * extra, closest to typed; NULL when none is close. */
static const char *nearest(const char *typed, const void *items, size_t n,
                           size_t stride, size_t name_off, const char *extra) {
  const char *best = NULL;
  size_t best_d = SIZE_MAX;
  for (size_t i = 0; i <= n; i++) {
    const char *name = extra;
    if (i < n)
      memcpy(&name, (const char *)items + i * stride + name_off, sizeof name);
    size_t d = name ? mw_cfg_near(typed, name) : SIZE_MAX;
    if (d < best_d) {
      best = name;
      best_d = d;
    }
  }
  return best;
}

/* " (did you mean 'x'?)" or "". */
static void hint(const char *near, char *buf, size_t n) {
  char q[Q];
  if (!near) {
    buf[0] = '\0';
    return;
  }
  mw_cfg_quote(near, q, sizeof q);
  snprintf(buf, n, " (did you mean '%s'?)", q);
}

/* Fails at element j of item's list key, naming a value nothing defines:
 * "<subject> <verb> '<value>', which is not defined under <where> (did you
 * mean ...?)". */
static int undefined(struct mw_cfg_loader *L, const struct mw_cfg_node *item,
                     const char *key, size_t j, const char *subject,
                     const char *verb, const char *value, const char *where,
                     const char *near) {
  char q[Q], h[Q + 32];
  mw_cfg_quote(value, q, sizeof q);
  hint(near, h, sizeof h);
  return mw_cfg_fail_at(L, elem_at(item, key, j),
                        "%s %s '%s', %s not defined under %s%s", subject, verb,
                        q, !strcmp(where, "people") ? "who is" : "which is",
                        where, h);
}

/* ------------------------------------------------------------ receivers */

static bool is_env_name(const char *s) {
  if (!*s || mw_ascii_isdigit((unsigned char)*s)) return false;
  for (; *s; s++)
    if (!mw_ascii_isalpha((unsigned char)*s) &&
        !mw_ascii_isdigit((unsigned char)*s) && *s != '_')
      return false;
  return true;
}

/* What secret a URL carries in clear, for the message ("key=", ...), or
 * NULL. Looks at the user information, the query and Feishu's hook path. */
static const char *secret_in_url(const char *url) {
  const char *p = strstr(url, "://");
  p = p ? p + 3 : url;
  size_t auth = strcspn(p, "/?#");
  const char *at = memchr(p, '@', auth);
  if (at && memchr(p, ':', (size_t)(at - p))) return "user:password@";
  const char *hook = strstr(p, "/open-apis/bot/v2/hook/");
  if (hook && hook[sizeof "/open-apis/bot/v2/hook/" - 1] &&
      !strchr("?#", hook[sizeof "/open-apis/bot/v2/hook/" - 1]))
    return "the token after /open-apis/bot/v2/hook/";
  const char *q = strchr(p, '?');
  while (q && *q && *q != '#') {
    q++;
    size_t name = strcspn(q, "=&#");
    if (q[name] == '=' && q[name + 1] && !strchr("&#", q[name + 1])) {
      if (name == 3 && !mw_ascii_ncasecmp(q, "key", 3)) return "key=";
      if (name == 12 && !mw_ascii_ncasecmp(q, "access_token", 12))
        return "access_token=";
    }
    q += strcspn(q, "&#");
  }
  return NULL;
}

/* scheme://host..., scheme one of the two given. */
static bool has_scheme(const char *url, const char *a, const char *b) {
  size_t n = strlen(a), m = strlen(b), skip;
  if (!mw_ascii_ncasecmp(url, a, n)) skip = n;
  else if (!mw_ascii_ncasecmp(url, b, m)) skip = m;
  else return false;
  if (!url[skip] || strchr("/?#:", url[skip])) return false;
  for (const char *p = url; *p; p++)
    if ((unsigned char)*p <= ' ' || *p == 0x7f) return false;
  return true;
}

#define KIND(k) (1u << (k))
#define ADDRESSED                                                    \
  (KIND(MW_RECEIVER_WEBHOOK) | KIND(MW_RECEIVER_WECOM) |             \
   KIND(MW_RECEIVER_DINGTALK) | KIND(MW_RECEIVER_FEISHU) |           \
   KIND(MW_RECEIVER_EMAIL))

/* Keys that mean something for some kinds only. */
static const struct {
  const char *key;
  unsigned kinds;
  const char *for_whom;
} kind_keys[] = {
    {"url", ADDRESSED, "webhook, robot and email"},
    {"url_env", ADDRESSED, "webhook, robot and email"},
    {"url_file", ADDRESSED, "webhook, robot and email"},
    {"mail_from", KIND(MW_RECEIVER_EMAIL), "email"},
    {"mail_to", KIND(MW_RECEIVER_EMAIL), "email"},
    {"smtp_user", KIND(MW_RECEIVER_EMAIL), "email"},
    {"starttls", KIND(MW_RECEIVER_EMAIL), "email"},
    {"command", KIND(MW_RECEIVER_EXEC), "exec"},
    {"exec_timeout", KIND(MW_RECEIVER_EXEC), "exec"},
};

static int check_address(struct mw_cfg_loader *L,
                         const struct mw_receiver_conf *r,
                         const struct mw_cfg_node *item, const char *w) {
  const char *kind = mw_receiver_kind_name(r->kind);
  const char *given[3];
  size_t n = 0;
  if (r->url) given[n++] = "url";
  if (r->url_env) given[n++] = "url_env";
  if (r->url_file) given[n++] = "url_file";
  if (n == 0)
    return mw_cfg_fail_at(L, item,
                          "%s (%s) needs one of 'url', 'url_env' or "
                          "'url_file'", w, kind);
  if (n > 1)
    return mw_cfg_fail_at(L, key_at(item, given[1]),
                          "%s has both '%s' and '%s'; give only one of 'url', "
                          "'url_env' or 'url_file'", w, given[0], given[1]);
  if (r->url_env && !is_env_name(r->url_env))
    return mw_cfg_fail_at(L, value_at(item, "url_env"),
                          "'url_env' of %s must be the name of an environment "
                          "variable (letters, digits and _), such as "
                          "MW_WECOM_URL", w);
  if (!r->url) return MW_OK;
  const struct mw_cfg_node *at = value_at(item, "url");
  const char *secret = secret_in_url(r->url);
  if (secret && r->kind == MW_RECEIVER_EMAIL)
    return mw_cfg_fail_at(L, at,
                          "the url of %s holds a password (%s); secrets never "
                          "go in the config in clear: give the login as "
                          "'smtp_user' and the password through 'secret_env' "
                          "or 'secret_file'", w, secret);
  if (secret)
    return mw_cfg_fail_at(L, at,
                          "the url of %s carries its secret (%s); secrets "
                          "never go in the config in clear: move the URL to an "
                          "environment variable named by 'url_env' or to a "
                          "file named by 'url_file' (chmod 600)", w, secret);
  char q[Q];
  mw_cfg_quote(r->url, q, sizeof q);
  if (r->kind == MW_RECEIVER_EMAIL && !has_scheme(r->url, "smtp://", "smtps://"))
    return mw_cfg_fail_at(L, at,
                          "the url of %s (email) must be smtp://host:port or "
                          "smtps://host:port, got '%s'", w, q);
  if (r->kind != MW_RECEIVER_EMAIL && !has_scheme(r->url, "http://", "https://"))
    return mw_cfg_fail_at(L, at,
                          "the url of %s (%s) must be an http:// or https:// "
                          "URL, got '%s'", w, kind, q);
  return MW_OK;
}

static int check_mail(struct mw_cfg_loader *L, const struct mw_receiver_conf *r,
                      const struct mw_cfg_node *item, const char *w) {
  char q[Q];
  if (!r->mail_from)
    return mw_cfg_fail_at(L, item, "%s (email) needs 'mail_from', the sender "
                                   "address", w);
  if (!r->n_mail_to)
    return mw_cfg_fail_at(L, item, "%s (email) needs 'mail_to', the "
                                   "recipients", w);
  if (!strchr(r->mail_from, '@')) {
    mw_cfg_quote(r->mail_from, q, sizeof q);
    return mw_cfg_fail_at(L, value_at(item, "mail_from"),
                          "'mail_from' of %s: '%s' is not an e-mail address",
                          w, q);
  }
  for (size_t j = 0; j < r->n_mail_to; j++) {
    if (strchr(r->mail_to[j], '@')) continue;
    mw_cfg_quote(r->mail_to[j], q, sizeof q);
    return mw_cfg_fail_at(L, elem_at(item, "mail_to", j),
                          "'mail_to' of %s: '%s' is not an e-mail address", w,
                          q);
  }
  return MW_OK;
}

static int check_receiver(struct mw_cfg_loader *L, size_t i) {
  const struct mw_receiver_conf *r = &L->cfg->alerts.receivers[i];
  const struct mw_cfg_node *item = L->items[MW_CFG_RECEIVER].v[i];
  const char *kind = mw_receiver_kind_name(r->kind);
  char w[Q + 16];
  who(MW_CFG_RECEIVER, r->name, i, w, sizeof w);
  if (!strcmp(r->name, duty))
    return mw_cfg_fail_at(L, value_at(item, "name"),
                          "the receiver name 'duty' is taken: routes use it "
                          "for whoever the roster has on duty; choose another");
  for (size_t k = 0; k < sizeof kind_keys / sizeof kind_keys[0]; k++)
    if (!(kind_keys[k].kinds & KIND(r->kind)) &&
        mw_cfg_key(item, kind_keys[k].key))
      return mw_cfg_fail_at(L, mw_cfg_key(item, kind_keys[k].key),
                            "'%s' is for %s receivers; %s is %s",
                            kind_keys[k].key, kind_keys[k].for_whom, w, kind);
  int rc = MW_OK;
  if (KIND(r->kind) & ADDRESSED) rc = check_address(L, r, item, w);
  if (!rc && r->kind == MW_RECEIVER_EMAIL) rc = check_mail(L, r, item, w);
  if (rc) return rc;
  if (r->kind == MW_RECEIVER_EXEC && !r->n_command)
    return mw_cfg_fail_at(L, item,
                          "%s (exec) needs 'command', the program and its "
                          "arguments, such as [/usr/local/bin/sms-send, "
                          "--group, 值班]", w);
  if (r->secret_env && r->secret_file)
    return mw_cfg_fail_at(L, key_at(item, "secret_file"),
                          "%s has both 'secret_env' and 'secret_file'; give "
                          "one", w);
  if (r->secret_env && !is_env_name(r->secret_env))
    return mw_cfg_fail_at(L, value_at(item, "secret_env"),
                          "'secret_env' of %s must be the name of an "
                          "environment variable (letters, digits and _), such "
                          "as MW_DINGTALK_SECRET", w);
  return MW_OK;
}

/* ------------------------------------------------ routes, people, roster */

static int check_route(struct mw_cfg_loader *L, size_t i) {
  const struct mw_alerts_conf *a = &L->cfg->alerts;
  const struct mw_route_conf *r = &a->routes[i];
  const struct mw_cfg_node *item = L->items[MW_CFG_ROUTE].v[i];
  char w[Q + 16];
  who(MW_CFG_ROUTE, r->name, i, w, sizeof w);
  for (size_t j = 0; j < r->n_receivers; j++) {
    const char *name = r->receivers[j];
    if (!strcmp(name, duty)) {
      if (a->n_roster) continue;
      return mw_cfg_fail_at(L, elem_at(item, "receivers", j),
                            "%s sends to 'duty', but there is no roster to "
                            "say who is on duty", w);
    }
    if (mw_cfg_defined(&L->uniq[MW_CFG_RECEIVER], name)) continue;
    return undefined(L, item, "receivers", j, w, "sends to receiver", name,
                     "receivers",
                     nearest(name, a->receivers, a->n_receivers,
                             sizeof *a->receivers,
                             offsetof(struct mw_receiver_conf, name), duty));
  }
  const struct mw_config *cfg = L->cfg;
  for (size_t j = 0; j < r->n_topics; j++) {
    if (mw_cfg_defined(&L->uniq[MW_CFG_TOPIC], r->topics[j])) continue;
    return undefined(L, item, "topics", j, w, "names topic", r->topics[j],
                     "topics",
                     nearest(r->topics[j], cfg->topics, cfg->n_topics,
                             sizeof *cfg->topics,
                             offsetof(struct mw_topic_conf, name), NULL));
  }
  return MW_OK;
}

static int check_person(struct mw_cfg_loader *L, size_t i) {
  const struct mw_alerts_conf *a = &L->cfg->alerts;
  const struct mw_person_conf *p = &a->people[i];
  const struct mw_cfg_node *item = L->items[MW_CFG_PERSON].v[i];
  char w[Q + 16];
  who(MW_CFG_PERSON, p->name, i, w, sizeof w);
  for (size_t j = 0; j < p->n_receivers; j++) {
    const char *name = p->receivers[j];
    if (mw_cfg_defined(&L->uniq[MW_CFG_RECEIVER], name)) continue;
    return undefined(L, item, "receivers", j, w, "is reached through receiver",
                     name, "receivers",
                     nearest(name, a->receivers, a->n_receivers,
                             sizeof *a->receivers,
                             offsetof(struct mw_receiver_conf, name), NULL));
  }
  return MW_OK;
}

static int check_shift(struct mw_cfg_loader *L, size_t i) {
  const struct mw_alerts_conf *a = &L->cfg->alerts;
  struct mw_shift_conf *s = &a->roster[i];
  const struct mw_cfg_node *item = L->items[MW_CFG_SHIFT].v[i];
  char w[Q + 16];
  who(MW_CFG_SHIFT, NULL, i, w, sizeof w);
  s->day_mask = 0;
  for (size_t j = 0; j < s->n_days; j++) {
    unsigned mask;
    struct mw_err err = {0};
    if (mw_day_mask_parse(s->days[j], &mask, &err))
      return mw_cfg_fail_at(L, elem_at(item, "days", j), "%s", err.msg);
    s->day_mask |= mask;
  }
  for (size_t j = 0; j < s->n_people; j++) {
    const char *name = s->people[j];
    if (mw_cfg_defined(&L->uniq[MW_CFG_PERSON], name)) continue;
    return undefined(L, item, "people", j, w, "names", name, "people",
                     nearest(name, a->people, a->n_people, sizeof *a->people,
                             offsetof(struct mw_person_conf, name), NULL));
  }
  return MW_OK;
}

/* ---------------------------------------------------------------- times */

/* Where a complaint about key goes: its value when the file gives it,
 * else the other key's, else the alerts mapping. */
static const struct mw_cfg_node *time_at(struct mw_cfg_loader *L,
                                         const char *key, const char *other) {
  const struct mw_cfg_node *map = L->map_at[MW_CFG_ALERTS];
  if (mw_cfg_key(map, key)) return value_at(map, key);
  return value_at(map, other);
}

static int check_times(struct mw_cfg_loader *L) {
  const struct mw_alerts_conf *a = &L->cfg->alerts;
  static const char *const deadline[4] = {"deadline_general",
                                          "deadline_serious", "deadline_major",
                                          "deadline_critical"};
  char x[32], y[32];
  if (!L->map_at[MW_CFG_ALERTS]) return MW_OK; /* the defaults are in order */
  for (int l = 1; l < 4; l++) {
    if (a->deadline_s[l] <= a->deadline_s[l - 1]) continue;
    mw_cfg_format_duration(a->deadline_s[l], x, sizeof x);
    mw_cfg_format_duration(a->deadline_s[l - 1], y, sizeof y);
    return mw_cfg_fail_at(L, time_at(L, deadline[l], deadline[l - 1]),
                          "'%s' (%s) must not be longer than '%s' (%s): a "
                          "graver alert gets less time",
                          deadline[l], x, deadline[l - 1], y);
  }
  if (a->ack_t2_s <= a->ack_t1_s) {
    mw_cfg_format_duration(a->ack_t2_s, x, sizeof x);
    mw_cfg_format_duration(a->ack_t1_s, y, sizeof y);
    return mw_cfg_fail_at(L, time_at(L, "ack_t2", "ack_t1"),
                          "'ack_t2' (%s) must be longer than 'ack_t1' (%s): "
                          "leaders hear of an alert after the next person",
                          x, y);
  }
  return MW_OK;
}

/* ---------------------------------------------------------------- entry */

int mw_cfg_check_alerts(struct mw_cfg_loader *L) {
  struct mw_alerts_conf *a = &L->cfg->alerts;
  int rc = check_times(L);
  for (size_t i = 0; !rc && i < a->n_receivers; i++) rc = check_receiver(L, i);
  for (size_t i = 0; !rc && i < a->n_routes; i++) rc = check_route(L, i);
  for (size_t i = 0; !rc && i < a->n_people; i++) rc = check_person(L, i);
  for (size_t i = 0; !rc && i < a->n_roster; i++) rc = check_shift(L, i);
  if (!rc) rc = mw_cfg_resolve_path(L, &a->gazetteer);
  for (size_t i = 0; !rc && i < a->n_receivers; i++) {
    rc = mw_cfg_resolve_path(L, &a->receivers[i].url_file);
    if (!rc) rc = mw_cfg_resolve_path(L, &a->receivers[i].secret_file);
  }
  return rc;
}

static void free_list(char **v, size_t n) {
  for (size_t i = 0; v && i < n; i++) free(v[i]);
  free(v);
}

void mw_cfg_alerts_free(struct mw_alerts_conf *a) {
  free(a->gazetteer);
  free(a->link_base);
  for (size_t i = 0; i < a->n_receivers; i++) {
    struct mw_receiver_conf *r = &a->receivers[i];
    char *strings[] = {r->name,       r->url,         r->url_env,
                       r->url_file,   r->secret_env,  r->secret_file,
                       r->mail_from,  r->smtp_user,   r->template_text,
                       r->quiet,      r->digest_at};
    for (size_t k = 0; k < sizeof strings / sizeof strings[0]; k++)
      free(strings[k]);
    free_list(r->mail_to, r->n_mail_to);
    free_list(r->command, r->n_command);
  }
  free(a->receivers);
  for (size_t i = 0; i < a->n_routes; i++) {
    struct mw_route_conf *r = &a->routes[i];
    free(r->name);
    free_list(r->regions, r->n_regions);
    free_list(r->topics, r->n_topics);
    free_list(r->receivers, r->n_receivers);
  }
  free(a->routes);
  for (size_t i = 0; i < a->n_people; i++) {
    free(a->people[i].name);
    free_list(a->people[i].receivers, a->people[i].n_receivers);
  }
  free(a->people);
  for (size_t i = 0; i < a->n_roster; i++) {
    free_list(a->roster[i].days, a->roster[i].n_days);
    free(a->roster[i].hours);
    free_list(a->roster[i].people, a->roster[i].n_people);
  }
  free(a->roster);
}
