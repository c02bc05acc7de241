/*
 * notify.c: mw_notify_send, one message to one receiver, and the HTTP
 * kinds: a generic JSON webhook, the WeCom (企业微信) group robot, the
 * DingTalk (钉钉) robot with its signed URL, and the Feishu (飞书) bot with
 * its signed body.
 *
 * Each send is one blocking libcurl easy handle bounded by the caller's
 * timeout: the sender runs on its own thread and sends one message at a
 * time, so there is nothing to multiplex. Only http and https are spoken,
 * redirects are not followed (a robot that redirects is misconfigured),
 * and the reply is read up to MW_NOTIFY_REPLY_MAX.
 *
 * A robot's URL carries its key in the query and the signing secret is a
 * secret: neither may reach an error message, a log or the outbox's
 * last_error. Messages name the URL as scheme://host/path only, and every
 * failure is scrubbed of the URL, its query values and the secret before
 * it is returned, in case a receiver echoes them back.
 *
 * E-mail is in notify_mail.c, exec in notify_exec.c; the outbox loop that
 * calls this is sender.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "alerts/alerts.h"
#include "alerts/notify_int.h"

/* WeCom refuses text messages over 2048 bytes (errcode 40058). */
#define WECOM_TEXT_MAX 2048
/* DingTalk shows the title in the chat list: one short line. */
#define TITLE_MAX 256
/* What of a reply goes into an error message. */
#define SNIPPET_MAX 200

/* ----------------------------------------------------------- helpers */

int mw_notify_hmac_sha256(const void *key, size_t klen, const void *data,
                          size_t dlen, unsigned char out[32]) {
  unsigned int n = 0;
  static const unsigned char empty[1];
  if (klen > (size_t)INT32_MAX) return MW_EINVAL;
  if (!HMAC(EVP_sha256(), key ? key : empty, (int)klen,
            data ? data : empty, dlen, out, &n) ||
      n != 32)
    return MW_EINVAL;
  return MW_OK;
}

int mw_notify_base64(const void *in, size_t n, struct mw_buf *out) {
  if (n > (size_t)INT32_MAX / 2) return MW_ETOOBIG;
  /* EVP_EncodeBlock writes 4 bytes per 3 and a NUL. */
  char *tmp = malloc(4 * ((n + 2) / 3) + 1);
  if (!tmp) return MW_ENOMEM;
  int k = EVP_EncodeBlock((unsigned char *)tmp, in, (int)n);
  int rc = k < 0 ? MW_EINVAL : mw_buf_append(out, tmp, (size_t)k);
  free(tmp);
  return rc;
}

/* A path segment this long is taken for a token: Feishu puts its hook's
 * in the path (/open-apis/bot/v2/hook/<uuid>), and so do others. */
#define TOKEN_SEGMENT_MIN 16

/* Calls fn on each path segment of url that may be a token. */
static void token_segments(const char *path, size_t len,
                           void (*fn)(const char *seg, size_t n, void *user),
                           void *user) {
  size_t i = 0;
  while (i < len) {
    while (i < len && path[i] == '/') i++;
    size_t j = i;
    while (j < len && path[j] != '/') j++;
    if (j - i >= TOKEN_SEGMENT_MIN) fn(path + i, j - i, user);
    i = j;
  }
}

struct masked {
  const char *path;
  struct mw_buf *out;
  size_t done; /* bytes of path copied */
};

static void mask_one(const char *seg, size_t n, void *user) {
  struct masked *m = user;
  mw_buf_append(m->out, m->path + m->done, (size_t)(seg - m->path) - m->done);
  mw_buf_puts(m->out, "***");
  m->done = (size_t)(seg - m->path) + n;
}

void mw_notify_url_public(const char *url, char *buf, size_t n) {
  snprintf(buf, n, "(unparsable URL)");
  CURLU *u = curl_url();
  if (!u) return;
  char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL;
  if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) ==
          CURLUE_OK &&
      curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
    curl_url_get(u, CURLUPART_PORT, &port, 0);
    curl_url_get(u, CURLUPART_PATH, &path, 0);
    struct mw_buf p;
    mw_buf_init(&p, n);
    struct masked m = {path ? path : "/", &p, 0};
    size_t plen = strlen(m.path);
    token_segments(m.path, plen, mask_one, &m);
    mw_buf_append(&p, m.path + m.done, plen - m.done);
    snprintf(buf, n, "%s://%s%s%s%s", scheme, host, port ? ":" : "",
             port ? port : "", p.data ? p.data : "/");
    mw_buf_cleanup(&p);
  }
  curl_free(scheme);
  curl_free(host);
  curl_free(port);
  curl_free(path);
  curl_url_cleanup(u);
}

int mw_notify_payload(const struct mw_outbox_msg *m, char **out,
                      struct mw_err *err) {
  *out = NULL;
  json_t *o;
  if (m->json && m->json[0]) {
    json_error_t je;
    o = json_loads(m->json, 0, &je);
    if (!o)
      return mw_err_set(err, MW_EINVAL,
                        "outbox message %lld: its JSON does not parse "
                        "(line %d: %s)",
                        (long long)m->id, je.line, je.text);
    if (!json_is_object(o)) {
      json_decref(o);
      return mw_err_set(err, MW_EINVAL,
                        "outbox message %lld: its JSON is not an object",
                        (long long)m->id);
    }
  } else {
    o = json_object();
    if (!o ||
        json_object_set_new(o, "kind", json_string(m->kind ? m->kind : "")) ||
        json_object_set_new(o, "alert_id", json_integer(m->alert_id)) ||
        json_object_set_new(o, "text", json_string(m->text ? m->text : ""))) {
      json_decref(o);
      return mw_err_set(err, MW_EINVAL,
                        "outbox message %lld: its text is not UTF-8",
                        (long long)m->id);
    }
  }
  if (json_object_set_new(o, "delivery_id", json_integer(m->id)) != 0) {
    json_decref(o);
    return mw_err_set(err, MW_ENOMEM, "out of memory");
  }
  *out = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  if (!*out) return mw_err_set(err, MW_ENOMEM, "out of memory");
  return MW_OK;
}

size_t mw_notify_utf8_prefix(const char *s, size_t len, size_t max) {
  if (len <= max) return len;
  size_t n = max;
  while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
  return n;
}

/* A reply, made printable and short, for an error message. */
static void snippet(const struct mw_buf *b, char *out, size_t n) {
  size_t len = b->data ? mw_notify_utf8_prefix(b->data, b->len, SNIPPET_MAX) : 0;
  if (len >= n) len = mw_notify_utf8_prefix(b->data, b->len, n - 1);
  size_t j = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)b->data[i];
    out[j++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
  }
  while (j > 0 && out[j - 1] == ' ') j--;
  out[j] = '\0';
}

/* Percent-encodes everything but RFC 3986's unreserved characters. */
static int url_escape(struct mw_buf *b, const char *s, size_t len) {
  static const char hex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    int rc;
    if (mw_ascii_isalpha(c) || mw_ascii_isdigit(c) || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      rc = mw_buf_putc(b, (char)c);
    } else {
      char e[3] = {'%', hex[c >> 4], hex[c & 15]};
      rc = mw_buf_append(b, e, 3);
    }
    if (rc) return rc;
  }
  return MW_OK;
}

/* Replaces every occurrence of needle in msg with "[redacted]". */
static void redact(char *msg, size_t cap, const char *needle, size_t nlen) {
  if (!needle || nlen == 0) return;
  static const char mark[] = "[redacted]";
  char tmp[MW_ERR_MSG_MAX];
  size_t len = strnlen(msg, cap), j = 0;
  bool hit = false;
  for (size_t i = 0; i < len && j + 1 < sizeof tmp;) {
    if (len - i >= nlen && memcmp(msg + i, needle, nlen) == 0) {
      size_t k = sizeof mark - 1;
      if (j + k >= sizeof tmp) k = sizeof tmp - 1 - j;
      memcpy(tmp + j, mark, k);
      j += k;
      i += nlen;
      hit = true;
    } else {
      tmp[j++] = msg[i++];
    }
  }
  if (!hit) return;
  tmp[j] = '\0';
  snprintf(msg, cap, "%s", tmp);
}

static void redact_segment(const char *seg, size_t n, void *user) {
  struct mw_err *err = user;
  redact(err->msg, sizeof err->msg, seg, n);
}

/* Removes the URL, its query, each query value, path segments that may be
 * tokens and the secret from err, whatever a receiver or libcurl put
 * there. */
static void scrub(struct mw_err *err, const char *url, const char *secret) {
  if (!err) return;
  if (secret) redact(err->msg, sizeof err->msg, secret, strlen(secret));
  if (!url) return;
  /* A URL with nothing secret in it may stay: it says where. */
  if (strpbrk(url, "?#@")) redact(err->msg, sizeof err->msg, url, strlen(url));
  /* user:password@ */
  const char *hs = strstr(url, "://");
  if (hs) {
    hs += 3;
    size_t auth = strcspn(hs, "/?#");
    const char *at = memchr(hs, '@', auth);
    if (at && at > hs) redact(err->msg, sizeof err->msg, hs, (size_t)(at - hs));
    const char *path = hs + auth;
    token_segments(path, strcspn(path, "?#"), redact_segment, err);
  }
  const char *q = strchr(url, '?');
  if (!q) return;
  q++;
  size_t qlen = strcspn(q, "#");
  redact(err->msg, sizeof err->msg, q, qlen);
  /* Each value on its own, for a reply that echoes the key alone. Short
   * values ("1", "text") are not keys and would garble the message. */
  while (qlen > 0) {
    size_t part = strcspn(q, "&#");
    if (part > qlen) part = qlen;
    const char *eq = memchr(q, '=', part);
    if (eq) {
      size_t vlen = part - (size_t)(eq + 1 - q);
      if (vlen >= 8) redact(err->msg, sizeof err->msg, eq + 1, vlen);
    }
    if (part == qlen) break;
    q += part + 1;
    qlen -= part + 1;
  }
}

/* -------------------------------------------------------------- HTTP */

struct http_post {
  const char *url;        /* with its key: for curl only */
  const char *pub;        /* for messages */
  struct curl_slist *headers;
  const char *body;
  size_t len;
  long timeout_ms;
  long status;            /* out: HTTP status */
  struct mw_buf reply;    /* out: the body, up to MW_NOTIFY_REPLY_MAX */
  bool too_big;           /* out: the reply went over its ceiling */
};

static size_t on_reply(char *p, size_t size, size_t n, void *user) {
  struct http_post *h = user;
  size_t len = size * n;
  if (mw_buf_append(&h->reply, p, len) != MW_OK) {
    h->too_big = true;
    return 0; /* CURLE_WRITE_ERROR ends the transfer */
  }
  return len;
}

static int do_post(struct http_post *h, struct mw_err *err) {
  CURL *e = curl_easy_init();
  if (!e) return mw_err_set(err, MW_ENOMEM, "curl_easy_init failed");
  char errbuf[CURL_ERROR_SIZE];
  errbuf[0] = '\0';
  CURLcode rc = CURLE_OK;
#define SET(opt, val) \
  if (rc == CURLE_OK) rc = curl_easy_setopt(e, opt, val)
  SET(CURLOPT_URL, h->url);
  SET(CURLOPT_ERRORBUFFER, errbuf);
  SET(CURLOPT_NOSIGNAL, 1L);
  SET(CURLOPT_PROTOCOLS_STR, "http,https");
  SET(CURLOPT_FOLLOWLOCATION, 0L);
  SET(CURLOPT_CONNECTTIMEOUT_MS, h->timeout_ms);
  SET(CURLOPT_TIMEOUT_MS, h->timeout_ms);
  SET(CURLOPT_USERAGENT, "mediawatch/" MW_VERSION);
  SET(CURLOPT_POST, 1L);
  SET(CURLOPT_POSTFIELDS, h->body);
  SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)h->len);
  SET(CURLOPT_HTTPHEADER, h->headers);
  SET(CURLOPT_WRITEFUNCTION, on_reply);
  SET(CURLOPT_WRITEDATA, h);
#undef SET
  if (rc == CURLE_OK) rc = curl_easy_perform(e);
  int out = MW_OK;
  if (rc == CURLE_WRITE_ERROR && h->too_big) {
    out = mw_err_set(err, MW_ETOOBIG, "POST %s: the reply is longer than %u "
                     "bytes", h->pub, MW_NOTIFY_REPLY_MAX);
  } else if (rc != CURLE_OK) {
    out = mw_err_set(err, MW_ENET, "POST %s: %s", h->pub,
                     errbuf[0] ? errbuf : curl_easy_strerror(rc));
  } else {
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &h->status);
  }
  curl_easy_cleanup(e);
  return out;
}

/* Adds a header line; the slist takes a copy. */
static int add_header(struct curl_slist **l, const char *line,
                      struct mw_err *err) {
  struct curl_slist *n = curl_slist_append(*l, line);
  if (!n) return mw_err_set(err, MW_ENOMEM, "out of memory");
  *l = n;
  return MW_OK;
}

/* POSTs body as JSON to url and checks the HTTP status is 2xx. */
static int post_json(struct http_post *h, const struct mw_outbox_msg *m,
                     struct mw_err *err) {
  char line[96];
  int rc = add_header(&h->headers, "Content-Type: application/json", err);
  /* No "Expect: 100-continue" round trip: the body is small. */
  if (!rc) rc = add_header(&h->headers, "Expect:", err);
  snprintf(line, sizeof line, "X-Mediawatch-Delivery: %lld", (long long)m->id);
  if (!rc) rc = add_header(&h->headers, line, err);
  if (!rc) rc = do_post(h, err);
  if (!rc && (h->status < 200 || h->status > 299)) {
    char snip[SNIPPET_MAX + 1];
    snippet(&h->reply, snip, sizeof snip);
    rc = mw_err_set(err, MW_ENET, "POST %s: HTTP %ld%s%s", h->pub, h->status,
                    snip[0] ? ": " : "", snip);
  }
  return rc;
}

/* The robots answer HTTP 200 with a JSON status: name (errcode, code,
 * StatusCode) must be 0. alt is a second accepted name (may be NULL). */
static int check_robot(struct http_post *h, const char *robot,
                       const char *name, const char *alt, const char *msgname,
                       struct mw_err *err) {
  char snip[SNIPPET_MAX + 1];
  snippet(&h->reply, snip, sizeof snip);
  json_error_t je;
  json_t *o = h->reply.data
                  ? json_loadb(h->reply.data, h->reply.len, 0, &je)
                  : NULL;
  json_t *code = o ? json_object_get(o, name) : NULL;
  if (!json_is_integer(code) && alt && o) {
    code = json_object_get(o, alt);
    name = alt;
  }
  if (!json_is_integer(code)) {
    json_decref(o);
    return mw_err_set(err, MW_ENET,
                      "POST %s: answered HTTP %ld but not the JSON a %s "
                      "sends: %s",
                      h->pub, h->status, robot, snip[0] ? snip : "(empty)");
  }
  json_int_t c = json_integer_value(code);
  int rc = MW_OK;
  if (c != 0) {
    const char *msg = json_string_value(json_object_get(o, msgname));
    char m[SNIPPET_MAX + 1];
    size_t k = msg ? mw_notify_utf8_prefix(msg, strnlen(msg, sizeof m),
                                           sizeof m - 1)
                   : 0;
    memcpy(m, msg ? msg : "", k);
    m[k] = '\0';
    for (char *p = m; *p; p++)
      if ((unsigned char)*p < 0x20) *p = ' ';
    rc = mw_err_set(err, MW_ENET, "POST %s: %s %s %lld: %s", h->pub, robot,
                    name, (long long)c,
                    m[0] ? m : "(no message)");
  }
  json_decref(o);
  return rc;
}

int mw_notify_first_line(const char *text, size_t max, struct mw_buf *out) {
  const char *p = text ? text : "";
  while (*p == '\n' || *p == '\r' || *p == ' ') p++;
  size_t n = strcspn(p, "\r\n");
  while (n > 0 && p[n - 1] == ' ') n--;
  n = mw_notify_utf8_prefix(p, n, max);
  return mw_buf_append(out, p, n);
}

static int dumps(json_t *o, char **out, struct mw_err *err) {
  *out = o ? json_dumps(o, JSON_COMPACT) : NULL;
  json_decref(o);
  if (!*out)
    return mw_err_set(err, MW_EINVAL, "the message is not valid UTF-8");
  return MW_OK;
}

static int send_webhook(const struct mw_receiver_conf *r,
                        const struct mw_outbox_msg *m, struct http_post *h,
                        const char *secret, struct mw_err *err) {
  char *body;
  int rc = mw_notify_payload(m, &body, err);
  if (rc) return rc;
  h->body = body;
  h->len = strlen(body);
  if (secret) {
    unsigned char mac[32];
    char line[32 + 2 * sizeof mac];
    static const char hex[] = "0123456789abcdef";
    rc = mw_notify_hmac_sha256(secret, strlen(secret), body, h->len, mac);
    if (rc) rc = mw_err_set(err, rc, "HMAC-SHA256 failed");
    size_t j = (size_t)snprintf(line, sizeof line,
                                "X-Mediawatch-Signature: sha256=");
    for (size_t i = 0; i < sizeof mac && j + 2 < sizeof line; i++) {
      line[j++] = hex[mac[i] >> 4];
      line[j++] = hex[mac[i] & 15];
    }
    line[j] = '\0';
    if (!rc) rc = add_header(&h->headers, line, err);
  }
  if (!rc) rc = post_json(h, m, err);
  free(body);
  return rc;
}

/* WeCom robots get plain text: its markdown would read '<font ...>' or
 * '**' in a headline as formatting, and the text type shows what the
 * template made, as written. */
static int send_wecom(const struct mw_outbox_msg *m, struct http_post *h,
                      struct mw_err *err) {
  const char *text = m->text ? m->text : "";
  size_t len = strlen(text);
  struct mw_buf t;
  mw_buf_init(&t, WECOM_TEXT_MAX);
  int rc;
  if (len > WECOM_TEXT_MAX) {
    static const char more[] = "…";
    rc = mw_buf_append(&t, text,
                       mw_notify_utf8_prefix(text, len, WECOM_TEXT_MAX - sizeof more + 1));
    if (!rc) rc = mw_buf_puts(&t, more);
  } else {
    rc = mw_buf_append(&t, text, len);
  }
  char *body = NULL;
  if (!rc)
    rc = dumps(json_pack("{s:s, s:{s:s}}", "msgtype", "text", "text",
                         "content", t.data ? t.data : ""),
               &body, err);
  else
    rc = mw_err_set(err, MW_ENOMEM, "out of memory");
  mw_buf_cleanup(&t);
  if (rc) return rc;
  h->body = body;
  h->len = strlen(body);
  rc = post_json(h, m, err);
  if (!rc) rc = check_robot(h, "WeCom robot", "errcode", NULL, "errmsg", err);
  free(body);
  return rc;
}

/* DingTalk: a markdown message (its title shows in the chat list); each
 * line break becomes a markdown hard break so lines stay lines. With a
 * secret the URL is signed: timestamp (ms) and
 * sign = base64(HMAC-SHA256(secret, timestamp "\n" secret)). */
static int send_dingtalk(const struct mw_outbox_msg *m, struct http_post *h,
                         const char *secret, int64_t now,
                         struct mw_err *err) {
  const char *text = m->text ? m->text : "";
  struct mw_buf title, md, url;
  mw_buf_init(&title, TITLE_MAX + 1);
  mw_buf_init(&md, 4 * strlen(text) + 16);
  mw_buf_init(&url, strlen(h->url) + 256);
  int rc = mw_notify_first_line(text, TITLE_MAX, &title);
  for (const char *p = text; !rc && *p; p++) {
    if (*p == '\r') continue;
    rc = *p == '\n' ? mw_buf_puts(&md, "  \n") : mw_buf_putc(&md, *p);
  }
  if (!rc) rc = mw_buf_puts(&url, h->url);
  if (!rc && secret) {
    char ts[32];
    snprintf(ts, sizeof ts, "%lld", (long long)now * 1000);
    struct mw_buf sts, sig;
    mw_buf_init(&sts, strlen(secret) + 64);
    mw_buf_init(&sig, 64);
    unsigned char mac[32];
    rc = mw_buf_printf(&sts, "%s\n%s", ts, secret);
    if (!rc)
      rc = mw_notify_hmac_sha256(secret, strlen(secret), sts.data, sts.len,
                                 mac);
    if (!rc) rc = mw_notify_base64(mac, sizeof mac, &sig);
    if (!rc)
      rc = mw_buf_printf(&url, "%stimestamp=%s&sign=",
                         strchr(h->url, '?') ? "&" : "?", ts);
    if (!rc) rc = url_escape(&url, sig.data, sig.len);
    if (sts.data) explicit_bzero(sts.data, sts.len);
    mw_buf_cleanup(&sts);
    mw_buf_cleanup(&sig);
  }
  char *body = NULL;
  if (rc)
    rc = mw_err_set(err, rc, "cannot build the DingTalk request: %s",
                    mw_strerror(rc));
  else
    rc = dumps(json_pack("{s:s, s:{s:s, s:s}}", "msgtype", "markdown",
                         "markdown", "title",
                         title.data ? title.data : "mediawatch", "text",
                         md.data ? md.data : ""),
               &body, err);
  if (!rc) {
    h->url = url.data;
    h->body = body;
    h->len = strlen(body);
    rc = post_json(h, m, err);
    if (!rc)
      rc = check_robot(h, "DingTalk robot", "errcode", NULL, "errmsg", err);
  }
  free(body);
  mw_buf_cleanup(&title);
  mw_buf_cleanup(&md);
  mw_buf_cleanup(&url);
  return rc;
}

/* Feishu: a text message; with a secret the body carries timestamp (s)
 * and sign = base64(HMAC-SHA256(key = timestamp "\n" secret, data "")). */
static int send_feishu(const struct mw_outbox_msg *m, struct http_post *h,
                       const char *secret, int64_t now,
                       struct mw_err *err) {
  json_t *o = json_pack("{s:s, s:{s:s}}", "msg_type", "text", "content",
                        "text", m->text ? m->text : "");
  if (!o) return mw_err_set(err, MW_EINVAL, "the message is not valid UTF-8");
  int rc = MW_OK;
  if (secret) {
    char ts[32];
    snprintf(ts, sizeof ts, "%lld", (long long)now);
    struct mw_buf key, sig;
    mw_buf_init(&key, strlen(secret) + 64);
    mw_buf_init(&sig, 64);
    unsigned char mac[32];
    rc = mw_buf_printf(&key, "%s\n%s", ts, secret);
    if (!rc) rc = mw_notify_hmac_sha256(key.data, key.len, "", 0, mac);
    if (!rc) rc = mw_notify_base64(mac, sizeof mac, &sig);
    if (!rc && (json_object_set_new(o, "timestamp", json_string(ts)) ||
                json_object_set_new(o, "sign", json_string(sig.data))))
      rc = MW_ENOMEM;
    if (key.data) explicit_bzero(key.data, key.len);
    mw_buf_cleanup(&key);
    mw_buf_cleanup(&sig);
    if (rc) {
      json_decref(o);
      return mw_err_set(err, rc, "cannot sign the Feishu request: %s",
                        mw_strerror(rc));
    }
  }
  char *body;
  rc = dumps(o, &body, err);
  if (rc) return rc;
  h->body = body;
  h->len = strlen(body);
  rc = post_json(h, m, err);
  /* Feishu answers {"code":0,...}; older bots {"StatusCode":0,...}. */
  if (!rc) rc = check_robot(h, "Feishu bot", "code", "StatusCode", "msg", err);
  free(body);
  return rc;
}

static bool is_http(const char *url) {
  return mw_ascii_ncasecmp(url, "http://", 7) == 0 ||
         mw_ascii_ncasecmp(url, "https://", 8) == 0;
}

static int send_http(const struct mw_receiver_conf *r,
                     const struct mw_outbox_msg *m, const char *url,
                     const char *secret, int64_t now, long timeout_ms,
                     struct mw_err *err) {
  char pub[512];
  mw_notify_url_public(url, pub, sizeof pub);
  if (!is_http(url))
    return mw_err_set(err, MW_EDENIED, "%s: only http and https are used "
                      "for %s receivers", pub, mw_receiver_kind_name(r->kind));
  struct http_post h = {.url = url, .pub = pub, .timeout_ms = timeout_ms};
  mw_buf_init(&h.reply, MW_NOTIFY_REPLY_MAX);
  int rc;
  switch (r->kind) {
  case MW_RECEIVER_WEBHOOK:
    rc = send_webhook(r, m, &h, secret, err);
    break;
  case MW_RECEIVER_WECOM:
    rc = send_wecom(m, &h, err);
    break;
  case MW_RECEIVER_DINGTALK:
    rc = send_dingtalk(m, &h, secret, now, err);
    break;
  case MW_RECEIVER_FEISHU:
    rc = send_feishu(m, &h, secret, now, err);
    break;
  default:
    rc = mw_err_set(err, MW_EINVAL, "not an HTTP receiver");
  }
  curl_slist_free_all(h.headers);
  mw_buf_cleanup(&h.reply);
  return rc;
}

/* ------------------------------------------------------------ public */

static void free_secret(char *s) {
  if (!s) return;
  explicit_bzero(s, strlen(s));
  free(s);
}

int mw_notify_send(const struct mw_receiver_conf *r,
                   const struct mw_outbox_msg *m, int64_t now,
                   long timeout_ms, struct mw_err *err) {
  if (!r || !m) return mw_err_set(err, MW_EINVAL, "no receiver or message");
  if (timeout_ms <= 0) timeout_ms = 10000;
  const char *name = r->name ? r->name : "?";
  const char *kind = mw_receiver_kind_name(r->kind);
  char *url = NULL, *secret = NULL;
  int rc = MW_OK;
  if (r->kind != MW_RECEIVER_EXEC) {
    if (r->url && r->url[0]) {
      url = mw_strdup(r->url);
      if (!url) rc = mw_err_set(err, MW_ENOMEM, "out of memory");
    } else if ((r->url_env && r->url_env[0]) ||
               (r->url_file && r->url_file[0])) {
      rc = mw_secret_read(r->url_env, r->url_file, &url, err);
      if (rc) mw_err_prefix(err, "its URL: ");
    } else {
      rc = mw_err_set(err, MW_EINVAL,
                      "no address: give url, url_env or url_file");
    }
  }
  if (!rc && ((r->secret_env && r->secret_env[0]) ||
              (r->secret_file && r->secret_file[0]))) {
    rc = mw_secret_read(r->secret_env, r->secret_file, &secret, err);
    if (rc) mw_err_prefix(err, "its secret: ");
  }
  if (!rc) {
    switch (r->kind) {
    case MW_RECEIVER_WEBHOOK:
    case MW_RECEIVER_WECOM:
    case MW_RECEIVER_DINGTALK:
    case MW_RECEIVER_FEISHU:
      rc = send_http(r, m, url, secret, now, timeout_ms, err);
      break;
    case MW_RECEIVER_EMAIL:
      rc = mw_notify_send_mail(r, m, url, secret, now, timeout_ms, err);
      break;
    case MW_RECEIVER_EXEC:
      rc = mw_notify_send_exec(
          r, m,
          r->exec_timeout_s > 0 ? r->exec_timeout_s
                                : (int64_t)(timeout_ms + 999) / 1000,
          err);
      break;
    default:
      rc = mw_err_set(err, MW_EINVAL, "unknown receiver kind %d",
                      (int)r->kind);
    }
  }
  if (rc) {
    scrub(err, url, secret);
    mw_err_prefix(err, "receiver \"%s\" (%s): ", name, kind);
  }
  free_secret(url);
  free_secret(secret);
  return rc;
}
