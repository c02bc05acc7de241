/*
 * message.c: what an alert says, as text for people and as JSON for
 * machines.
 *
 * What it does: fills a receiver's template ({title}, {region}, ...) or
 * writes the default Chinese message, one line per field, and builds the
 * alert's JSON object. Every value is cleaned on the way out: invalid
 * UTF-8 becomes U+FFFD, control characters become spaces (a title with a
 * newline must not break the one-field-per-line layout), and each field
 * is capped on a character boundary, so a message stays bounded whatever
 * the crawled page held. What it leaves to others: markdown, signatures
 * and transport (notify*.c), deciding when to send (the engine).
 *
 * {deadline} and the default 处置时限 are the time limit in force: the
 * assignment's due time while a unit handles the alert, else the
 * response deadline.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "alerts/alerts.h"

#define TITLE_CHARS_MAX 200
#define REASON_CHARS_MAX 500
#define FIELD_CHARS_MAX 100   /* region, topic, assignee, state */
#define OUTLET_CHARS_MAX 50   /* one outlet's name */
#define OUTLETS_SHOWN_MAX 20  /* names listed in a message */
#define OUTLETS_JSON_MAX 100  /* names in the JSON array */
#define URL_BYTES_MAX 2048    /* longer links are left out, not cut */
#define OUTLETS_SCAN_MAX 65536 /* bytes of one outlet looked at */
#define TEMPLATE_MAX (16 * 1024)
#define PLACEHOLDER_MAX 32

static const struct {
  const char *name, *zh;
} events[MW_EVENT_COUNT] = {
    [MW_EVENT_RAISED] = {"alert", "新预警"},
    [MW_EVENT_ROSE] = {"rose", "级别升高"},
    [MW_EVENT_ESCALATED] = {"escalation", "未确认，升级"},
    [MW_EVENT_OVERDUE] = {"overdue", "逾期督办"},
    [MW_EVENT_REPEAT] = {"repeat", "提醒"},
    [MW_EVENT_ASSIGNED] = {"assigned", "交办"},
};

static const char *const color_zh[] = {"", "蓝色", "黄色", "橙色", "红色"};

static const char outlet_sep[] = "、";

const char *mw_alert_event_name(enum mw_alert_event_kind k) {
  return (unsigned)k < MW_EVENT_COUNT ? events[k].name : "unknown";
}

static const char *event_zh(enum mw_alert_event_kind k) {
  return (unsigned)k < MW_EVENT_COUNT ? events[k].zh : "";
}

/* ----------------------------------------------------- cleaning a value */

/* Length of the valid UTF-8 character at s (NUL-terminated), 0 if none. */
static size_t utf8_char(const unsigned char *s) {
  unsigned char c = s[0];
  size_t n;
  uint32_t cp;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) n = 2, cp = c & 0x1F;
  else if (c >= 0xE0 && c <= 0xEF) n = 3, cp = c & 0x0F;
  else if (c >= 0xF0 && c <= 0xF4) n = 4, cp = c & 0x07;
  else return 0;
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0; /* also stops at the NUL */
    cp = cp << 6 | (s[i] & 0x3F);
  }
  if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
      (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
    return 0;
  return n;
}

/* Appends s[0..len) (len SIZE_MAX: up to its NUL) cleaned, at most
 * max_chars characters; a cut value ends with "…". */
static int put_clean_n(struct mw_buf *b, const char *s, size_t len,
                       size_t max_chars) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, chars = 0;
  int rc = MW_OK;
  while (!rc && i < len && p[i]) {
    if (chars == max_chars) return mw_buf_puts(b, "…");
    size_t n = utf8_char(p + i);
    if (n > len - i) n = 0; /* a character cut by len */
    if (!n) {
      rc = mw_buf_puts(b, "\xEF\xBF\xBD");
      i++;
    } else if (n == 1 && (p[i] < 0x20 || p[i] == 0x7F)) {
      rc = mw_buf_putc(b, ' ');
      i++;
    } else {
      rc = mw_buf_append(b, p + i, n);
      i += n;
    }
    chars++;
  }
  return rc;
}

static int put_clean(struct mw_buf *b, const char *s, size_t max_chars) {
  return s ? put_clean_n(b, s, SIZE_MAX, max_chars) : MW_OK;
}

static bool present(const char *s) { return s && s[0]; }

/* The outlets, "、"-joined as stored, at most OUTLETS_SHOWN_MAX of them
 * ("...等" beyond). */
static int put_outlets(struct mw_buf *b, const char *s) {
  if (!s) return MW_OK;
  size_t shown = 0, sep = sizeof outlet_sep - 1;
  int rc = MW_OK;
  while (!rc && *s) {
    const char *e = strstr(s, outlet_sep);
    size_t n = e ? (size_t)(e - s) : strnlen(s, OUTLETS_SCAN_MAX);
    if (n) {
      if (shown == OUTLETS_SHOWN_MAX) return mw_buf_puts(b, "等");
      if (shown) rc = mw_buf_puts(b, outlet_sep);
      if (!rc) rc = put_clean_n(b, s, n, OUTLET_CHARS_MAX);
      shown++;
    }
    s = e ? e + sep : s + n;
  }
  return rc;
}

static int put_url(struct mw_buf *b, const char *url) {
  if (!url || strnlen(url, URL_BYTES_MAX + 1) > URL_BYTES_MAX) return MW_OK;
  return put_clean(b, url, URL_BYTES_MAX);
}

static int put_link(struct mw_buf *b, const char *base, int64_t id) {
  if (!present(base) || strnlen(base, URL_BYTES_MAX + 1) > URL_BYTES_MAX)
    return MW_OK;
  size_t n = strlen(base);
  while (n && base[n - 1] == '/') n--;
  int rc = put_clean_n(b, base, n, URL_BYTES_MAX);
  return rc ? rc : mw_buf_printf(b, "/alerts/%lld", (long long)id);
}

/* The time limit in force (see the top of the file), 0 for none. */
static int64_t limit_of(const struct mw_alert_rec *r) {
  enum mw_alert_state st;
  if (r->due > 0 && r->state && !mw_alert_state_parse(r->state, &st) &&
      (st == MW_STATE_ASSIGNED || st == MW_STATE_IN_PROGRESS))
    return r->due;
  return r->deadline > 0 ? r->deadline : 0;
}

static int put_local_time(struct mw_buf *b, const struct mw_tz *tz,
                          int64_t t) {
  if (t <= 0) return MW_OK;
  struct mw_civil c;
  if (tz)
    mw_tz_to_civil(tz, t, &c);
  else
    mw_time_to_civil(t, 0, &c);
  return mw_buf_printf(b, "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day,
                       c.hour, c.minute);
}

static int put_state_zh(struct mw_buf *b, const char *state) {
  enum mw_alert_state st;
  if (state && !mw_alert_state_parse(state, &st))
    return mw_buf_puts(b, mw_alert_state_label_zh(st));
  return put_clean(b, state, FIELD_CHARS_MAX);
}

static const char *level_color_zh(int level) {
  return level >= 1 && level <= 4 ? color_zh[level] : "";
}

/* ------------------------------------------------------------ templates */

struct ctx {
  const struct mw_alert_rec *r;
  enum mw_alert_event_kind ev;
  const struct mw_tz *tz;
  const char *link_base;
};

enum {
  F_EVENT, F_LEVEL, F_LEVEL_ZH, F_COLOR, F_COLOR_ZH, F_TITLE, F_REGION,
  F_OUTLETS, F_OUTLET_COUNT, F_ARTICLE_COUNT, F_URL, F_LINK, F_REASON,
  F_STATE, F_STATE_ZH, F_ASSIGNEE, F_DEADLINE, F_ID, F_TOPIC, F_COUNT
};

static const char *const field_names[F_COUNT] = {
    "event", "level", "level_zh", "color", "color_zh", "title", "region",
    "outlets", "outlet_count", "article_count", "url", "link", "reason",
    "state", "state_zh", "assignee", "deadline", "id", "topic"};

static int put_field(struct mw_buf *b, int f, const struct ctx *c) {
  const struct mw_alert_rec *r = c->r;
  enum mw_alert_level lv = (enum mw_alert_level)r->level;
  switch (f) {
    case F_EVENT: return mw_buf_puts(b, event_zh(c->ev));
    case F_LEVEL: return mw_buf_printf(b, "%d", r->level);
    case F_LEVEL_ZH: return mw_buf_puts(b, mw_alert_level_label_zh(lv));
    case F_COLOR: return mw_buf_puts(b, mw_alert_level_color(lv));
    case F_COLOR_ZH: return mw_buf_puts(b, level_color_zh(r->level));
    case F_TITLE: return put_clean(b, r->title, TITLE_CHARS_MAX);
    case F_REGION: return put_clean(b, r->region, FIELD_CHARS_MAX);
    case F_OUTLETS: return put_outlets(b, r->outlets);
    case F_OUTLET_COUNT:
      return mw_buf_printf(b, "%lld", (long long)r->outlet_count);
    case F_ARTICLE_COUNT:
      return mw_buf_printf(b, "%lld", (long long)r->article_count);
    case F_URL: return put_url(b, r->url);
    case F_LINK: return put_link(b, c->link_base, r->id);
    case F_REASON: return put_clean(b, r->reason, REASON_CHARS_MAX);
    case F_STATE: return put_clean(b, r->state, FIELD_CHARS_MAX);
    case F_STATE_ZH: return put_state_zh(b, r->state);
    case F_ASSIGNEE: return put_clean(b, r->assignee, FIELD_CHARS_MAX);
    case F_DEADLINE: return put_local_time(b, c->tz, limit_of(r));
    case F_ID: return mw_buf_printf(b, "%lld", (long long)r->id);
    case F_TOPIC: return put_clean(b, r->topic, FIELD_CHARS_MAX);
    default: return MW_OK;
  }
}

static int field_of(const char *p, size_t n) {
  for (int f = 0; f < F_COUNT; f++)
    if (strlen(field_names[f]) == n && !memcmp(field_names[f], p, n)) return f;
  return -1;
}

static int render_template(const char *t, const struct ctx *c,
                           struct mw_buf *b) {
  size_t len = strnlen(t, TEMPLATE_MAX + 1);
  if (len > TEMPLATE_MAX) return MW_EINVAL;
  size_t i = 0;
  int rc = MW_OK;
  while (!rc && i < len) {
    const char *open = memchr(t + i, '{', len - i);
    size_t lit = open ? (size_t)(open - (t + i)) : len - i;
    if (lit) rc = mw_buf_append(b, t + i, lit);
    i += lit;
    if (rc || i >= len) break;
    /* t[i] == '{': a known name up to '}' is replaced, the rest is kept. */
    size_t rest = len - i - 1;
    const char *close =
        memchr(t + i + 1, '}', rest < PLACEHOLDER_MAX ? rest : PLACEHOLDER_MAX);
    int f = close ? field_of(t + i + 1, (size_t)(close - (t + i + 1))) : -1;
    if (f >= 0) {
      rc = put_field(b, f, c);
      i = (size_t)(close - t) + 1;
    } else {
      rc = mw_buf_putc(b, '{');
      i++;
    }
  }
  return rc;
}

/* ------------------------------------------------------ default message */

/* "\n<label><field>" when the field has a value. */
static int line(struct mw_buf *b, const char *label, int f, const char *value,
                const struct ctx *c) {
  if (!present(value)) return MW_OK;
  int rc = mw_buf_putc(b, '\n');
  if (!rc) rc = mw_buf_puts(b, label);
  return rc ? rc : put_field(b, f, c);
}

static int render_default(const struct ctx *c, struct mw_buf *b) {
  const struct mw_alert_rec *r = c->r;
  const char *czh = level_color_zh(r->level);
  int rc = mw_buf_printf(b, "【%s舆情预警%s%s】%s",
                         mw_alert_level_label_zh((enum mw_alert_level)r->level),
                         czh[0] ? "·" : "", czh, event_zh(c->ev));
  if (!rc) rc = line(b, "标题：", F_TITLE, r->title, c);
  if (!rc) rc = line(b, "专题：", F_TOPIC, r->topic, c);
  if (!rc) rc = line(b, "属地：", F_REGION, r->region, c);
  if (!rc && present(r->outlets)) {
    rc = line(b, "来源：", F_OUTLETS, r->outlets, c);
    if (!rc && (r->outlet_count > 0 || r->article_count > 0))
      rc = mw_buf_printf(b, "（共%lld家媒体，%lld篇）",
                         (long long)r->outlet_count,
                         (long long)r->article_count);
  }
  if (!rc) rc = line(b, "原因：", F_REASON, r->reason, c);
  if (!rc) rc = line(b, "交办单位：", F_ASSIGNEE, r->assignee, c);
  if (!rc && present(r->state)) {
    rc = line(b, "状态：", F_STATE_ZH, r->state, c);
    if (!rc && limit_of(r)) {
      rc = mw_buf_puts(b, "  处置时限：");
      if (!rc) rc = put_field(b, F_DEADLINE, c);
      if (!rc && r->overdue) rc = mw_buf_puts(b, "（已逾期）");
    }
  }
  if (!rc && r->url && strnlen(r->url, URL_BYTES_MAX + 1) <= URL_BYTES_MAX)
    rc = line(b, "链接：", F_URL, r->url, c);
  if (!rc) rc = line(b, "详情：", F_LINK, c->link_base, c);
  return rc;
}

int mw_alert_render(const char *tmpl, const struct mw_alert_rec *r,
                    enum mw_alert_event_kind ev, const struct mw_tz *tz,
                    const char *link_base, struct mw_buf *out,
                    struct mw_err *err) {
  if (!r || !out)
    return mw_err_set(err, MW_EINVAL, "no alert or no buffer to render");
  struct ctx c = {r, ev, tz, link_base};
  size_t start = out->len;
  int rc = tmpl ? render_template(tmpl, &c, out) : render_default(&c, out);
  if (!rc) return MW_OK;
  /* Leave the buffer as it was: half a message is never sent. */
  out->len = start;
  if (out->data) out->data[start] = '\0';
  if (rc == MW_EINVAL)
    return mw_err_set(err, rc,
                      "alert %lld: the message template is longer than %d "
                      "bytes",
                      (long long)r->id, TEMPLATE_MAX);
  if (rc == MW_ETOOBIG)
    return mw_err_set(err, rc,
                      "alert %lld: the message is longer than the %zu bytes "
                      "allowed",
                      (long long)r->id, out->max);
  return mw_err_set(err, rc, "alert %lld: out of memory rendering it",
                    (long long)r->id);
}

/* ----------------------------------------------------------------- JSON */

/* Sets obj[key] to s cleaned and capped, or null. */
static int set_str(json_t *obj, const char *key, const char *s,
                   size_t max_chars, struct mw_buf *tmp) {
  if (!s) return json_object_set_new(obj, key, json_null()) ? MW_ENOMEM : 0;
  mw_buf_reset(tmp);
  int rc = put_clean(tmp, s, max_chars);
  if (rc) return rc;
  json_t *v = json_string(tmp->data ? tmp->data : "");
  return v && !json_object_set_new(obj, key, v) ? MW_OK : MW_ENOMEM;
}

static int set_time(json_t *obj, const char *key, int64_t t) {
  json_t *v;
  if (t > 0) {
    char iso[32];
    mw_time_format_iso_utc(t, iso, sizeof iso);
    v = json_string(iso);
  } else {
    v = json_null();
  }
  return v && !json_object_set_new(obj, key, v) ? MW_OK : MW_ENOMEM;
}

static int set_int(json_t *obj, const char *key, int64_t i) {
  json_t *v = json_integer((json_int_t)i);
  return v && !json_object_set_new(obj, key, v) ? MW_OK : MW_ENOMEM;
}

static int set_outlets(json_t *obj, const char *s, struct mw_buf *tmp) {
  json_t *arr = json_array();
  if (!arr || json_object_set_new(obj, "outlets", arr)) return MW_ENOMEM;
  size_t sep = sizeof outlet_sep - 1;
  while (s && *s && json_array_size(arr) < OUTLETS_JSON_MAX) {
    const char *e = strstr(s, outlet_sep);
    size_t n = e ? (size_t)(e - s) : strnlen(s, OUTLETS_SCAN_MAX);
    if (n) {
      mw_buf_reset(tmp);
      int rc = put_clean_n(tmp, s, n, OUTLET_CHARS_MAX);
      if (rc) return rc;
      if (json_array_append_new(arr, json_string(tmp->data))) return MW_ENOMEM;
    }
    s = e ? e + sep : s + n;
  }
  return MW_OK;
}

int mw_alert_to_json(const struct mw_alert_rec *r, enum mw_alert_event_kind ev,
                     const char *link_base, char **out, struct mw_err *err) {
  *out = NULL;
  if (!r) return mw_err_set(err, MW_EINVAL, "no alert to write as JSON");
  json_t *o = json_object();
  struct mw_buf tmp;
  mw_buf_init(&tmp, URL_BYTES_MAX * 4 + 64);
  enum mw_alert_level lv = (enum mw_alert_level)r->level;
  enum mw_alert_state st;
  const char *state_zh =
      r->state && !mw_alert_state_parse(r->state, &st)
          ? mw_alert_state_label_zh(st) : r->state;
  bool url_ok = r->url && strnlen(r->url, URL_BYTES_MAX + 1) <= URL_BYTES_MAX;
  int rc = o ? MW_OK : MW_ENOMEM;
  if (!rc) rc = set_int(o, "id", r->id);
  if (!rc) rc = set_str(o, "key", r->key, FIELD_CHARS_MAX * 2, &tmp);
  if (!rc) rc = set_str(o, "kind", r->kind, FIELD_CHARS_MAX, &tmp);
  if (!rc) rc = set_str(o, "event", mw_alert_event_name(ev), 32, &tmp);
  if (!rc) rc = set_str(o, "event_zh", event_zh(ev), 32, &tmp);
  if (!rc) rc = set_int(o, "level", r->level);
  if (!rc) rc = set_str(o, "level_zh", mw_alert_level_label_zh(lv), 8, &tmp);
  if (!rc) rc = set_str(o, "color", mw_alert_level_color(lv), 8, &tmp);
  if (!rc) rc = set_str(o, "state", r->state, FIELD_CHARS_MAX, &tmp);
  if (!rc) rc = set_str(o, "state_zh", state_zh, FIELD_CHARS_MAX, &tmp);
  if (!rc) rc = set_str(o, "title", r->title, TITLE_CHARS_MAX, &tmp);
  if (!rc)
    rc = set_str(o, "url", url_ok ? r->url : NULL, URL_BYTES_MAX, &tmp);
  if (!rc) rc = set_str(o, "region", r->region, FIELD_CHARS_MAX, &tmp);
  if (!rc) rc = set_str(o, "topic", r->topic, FIELD_CHARS_MAX, &tmp);
  if (!rc) rc = set_outlets(o, r->outlets, &tmp);
  if (!rc) rc = set_int(o, "outlet_count", r->outlet_count);
  if (!rc) rc = set_int(o, "article_count", r->article_count);
  if (!rc) rc = set_str(o, "reason", r->reason, REASON_CHARS_MAX, &tmp);
  if (!rc) rc = set_str(o, "assignee", r->assignee, FIELD_CHARS_MAX, &tmp);
  if (!rc) rc = set_time(o, "deadline", r->deadline);
  if (!rc) rc = set_time(o, "due", r->due);
  if (!rc)
    rc = json_object_set_new(o, "overdue", json_boolean(r->overdue))
             ? MW_ENOMEM : MW_OK;
  if (!rc) rc = set_time(o, "created", r->created);
  if (!rc) rc = set_time(o, "updated", r->updated);
  if (!rc) {
    mw_buf_reset(&tmp);
    rc = put_link(&tmp, link_base, r->id);
    json_t *v = rc ? NULL : tmp.len ? json_string(tmp.data) : json_null();
    if (!rc && (!v || json_object_set_new(o, "link", v))) rc = MW_ENOMEM;
  }
  if (!rc) {
    *out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!*out) rc = MW_ENOMEM;
  }
  json_decref(o);
  mw_buf_cleanup(&tmp);
  if (rc == MW_ETOOBIG)
    return mw_err_set(err, rc, "alert %lld: a field is too long for JSON",
                      (long long)r->id);
  if (rc)
    return mw_err_set(err, rc, "alert %lld: out of memory writing JSON",
                      (long long)r->id);
  return MW_OK;
}
