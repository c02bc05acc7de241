/*
 * notify_mail.c: the e-mail notifier. One message, built here as a plain
 * RFC 5322 mail (UTF-8 text, base64 body, an RFC 2047 subject), handed to
 * libcurl's SMTP client for one envelope to every mail_to address.
 *
 * Over smtp:// with starttls (the default) libcurl must upgrade the
 * connection before AUTH (CURLUSESSL_ALL), so the password never crosses
 * the network in clear; a server that does not offer STARTTLS fails the
 * send instead. smtps:// is TLS from the first byte. Only starttls: false
 * speaks plain SMTP (a relay on the same host, the test sink).
 *
 * The Message-ID is built from the outbox id, so a message sent twice
 * after a crash between send and mark carries the same id and mail
 * clients show it once. Secrets and URLs are scrubbed by notify.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "alerts/alerts.h"
#include "alerts/notify_int.h"

/* A subject is one line; longer first lines are cut. */
#define SUBJECT_MAX 200
/* Bytes of UTF-8 per encoded-word: 45 bytes are 60 base64 characters,
 * which with "=?UTF-8?B?" and "?=" stay under RFC 2047's 75. */
#define WORD_BYTES 45
/* RFC 2045: base64 lines of at most 76 characters. */
#define B64_LINE 76

struct upload {
  const char *p;
  size_t len, off;
};

static size_t on_read(char *buf, size_t size, size_t n, void *user) {
  struct upload *u = user;
  size_t room = size * n, left = u->len - u->off;
  if (room > left) room = left;
  memcpy(buf, u->p + u->off, room);
  u->off += room;
  return room;
}

/* An address as it may go in a header and an envelope: printable ASCII
 * or UTF-8, no spaces, brackets, commas or line breaks, one '@'. */
static bool address_ok(const char *a) {
  /* RFC 5321: a path is at most 256 octets with its brackets. */
  if (!a || !a[0] || strnlen(a, 255) > 254) return false;
  int at = 0;
  for (const unsigned char *p = (const unsigned char *)a; *p; p++) {
    if (*p <= ' ' || *p == 0x7f || *p == '<' || *p == '>' || *p == ',' ||
        *p == '"' || *p == '(' || *p == ')' || *p == ';' || *p == '\\')
      return false;
    if (*p == '@') at++;
  }
  return at == 1 && a[0] != '@' && a[strlen(a) - 1] != '@';
}

/* "Mon, 08 May 2023 02:00:00 +0000": the Date header, in UTC. */
static int put_date(struct mw_buf *b, int64_t now) {
  static const char *const days[] = {"Mon", "Tue", "Wed", "Thu",
                                     "Fri", "Sat", "Sun"};
  static const char *const months[] = {"Jan", "Feb", "Mar", "Apr",
                                       "May", "Jun", "Jul", "Aug",
                                       "Sep", "Oct", "Nov", "Dec"};
  struct mw_civil c;
  mw_time_to_civil(now, 0, &c);
  return mw_buf_printf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
                       days[(c.weekday + 6) % 7], c.day,
                       months[(c.month + 11) % 12], c.year, c.hour, c.minute,
                       c.second);
}

/* Subject: one or more encoded-words, folded, never splitting a UTF-8
 * character between two of them. */
static int put_subject(struct mw_buf *b, const char *text) {
  struct mw_buf s;
  mw_buf_init(&s, SUBJECT_MAX);
  int rc = mw_notify_first_line(text, SUBJECT_MAX, &s);
  const char *p = s.len ? s.data : "mediawatch";
  size_t len = s.len ? s.len : strlen(p);
  if (!rc) rc = mw_buf_puts(b, "Subject:");
  while (!rc && len > 0) {
    size_t k = mw_notify_utf8_prefix(p, len, WORD_BYTES);
    if (k == 0) k = len < WORD_BYTES ? len : WORD_BYTES; /* not UTF-8 */
    rc = mw_buf_puts(b, " =?UTF-8?B?");
    if (!rc) rc = mw_notify_base64(p, k, b);
    if (!rc) rc = mw_buf_puts(b, "?=");
    p += k;
    len -= k;
    if (!rc && len > 0) rc = mw_buf_puts(b, "\r\n");
  }
  if (!rc) rc = mw_buf_puts(b, "\r\n");
  mw_buf_cleanup(&s);
  return rc;
}

/* The text in canonical form (CRLF line breaks, RFC 2046) as base64 in
 * lines of 76. */
static int put_body(struct mw_buf *b, const char *text) {
  size_t len = strlen(text);
  struct mw_buf canon, enc;
  mw_buf_init(&canon, 2 * len + 2);
  mw_buf_init(&enc, 4 * len + 16);
  int rc = MW_OK;
  for (size_t i = 0; !rc && i < len; i++) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
      rc = mw_buf_putc(&canon, '\r');
    if (!rc) rc = mw_buf_putc(&canon, text[i]);
  }
  if (!rc && canon.len) rc = mw_notify_base64(canon.data, canon.len, &enc);
  for (size_t i = 0; !rc && i < enc.len; i += B64_LINE) {
    size_t k = enc.len - i < B64_LINE ? enc.len - i : B64_LINE;
    rc = mw_buf_append(b, enc.data + i, k);
    if (!rc) rc = mw_buf_puts(b, "\r\n");
  }
  mw_buf_cleanup(&canon);
  mw_buf_cleanup(&enc);
  return rc;
}

static int build(const struct mw_receiver_conf *r,
                 const struct mw_outbox_msg *m, int64_t now,
                 struct mw_buf *b) {
  const char *text = m->text ? m->text : "";
  const char *domain = strchr(r->mail_from, '@') + 1;
  int rc = put_date(b, now);
  if (!rc) rc = mw_buf_printf(b, "From: %s\r\nTo: ", r->mail_from);
  for (size_t i = 0; !rc && i < r->n_mail_to; i++)
    rc = mw_buf_printf(b, "%s%s", i ? ",\r\n " : "", r->mail_to[i]);
  if (!rc) rc = mw_buf_puts(b, "\r\n");
  if (!rc) rc = put_subject(b, text);
  if (!rc)
    rc = mw_buf_printf(b,
                       "Message-ID: <mediawatch.%lld.%lld@%s>\r\n"
                       "X-Mediawatch-Delivery: %lld\r\n"
                       "MIME-Version: 1.0\r\n"
                       "Content-Type: text/plain; charset=UTF-8\r\n"
                       "Content-Transfer-Encoding: base64\r\n"
                       "\r\n",
                       (long long)m->id, (long long)m->created, domain,
                       (long long)m->id);
  if (!rc) rc = put_body(b, text);
  return rc;
}

int mw_notify_send_mail(const struct mw_receiver_conf *r,
                        const struct mw_outbox_msg *m, const char *url,
                        const char *password, int64_t now, long timeout_ms,
                        struct mw_err *err) {
  char pub[512];
  mw_notify_url_public(url, pub, sizeof pub);
  bool smtps = mw_ascii_ncasecmp(url, "smtps://", 8) == 0;
  if (!smtps && mw_ascii_ncasecmp(url, "smtp://", 7) != 0)
    return mw_err_set(err, MW_EDENIED,
                      "%s: e-mail goes to smtp:// or smtps:// addresses", pub);
  if (!address_ok(r->mail_from))
    return mw_err_set(err, MW_EINVAL,
                      "mail_from \"%s\" is not a plain address (name@domain)",
                      r->mail_from ? r->mail_from : "");
  if (r->n_mail_to == 0)
    return mw_err_set(err, MW_EINVAL, "no mail_to address");
  for (size_t i = 0; i < r->n_mail_to; i++)
    if (!address_ok(r->mail_to[i]))
      return mw_err_set(err, MW_EINVAL,
                        "mail_to \"%s\" is not a plain address (name@domain)",
                        r->mail_to[i] ? r->mail_to[i] : "");

  struct mw_buf msg;
  size_t tlen = m->text ? strlen(m->text) : 0;
  mw_buf_init(&msg, 4 * tlen + 4096 + 128 * r->n_mail_to);
  int rc = build(r, m, now, &msg);
  if (rc) {
    mw_buf_cleanup(&msg);
    return mw_err_set(err, rc, "cannot build the mail: %s", mw_strerror(rc));
  }

  struct curl_slist *rcpt = NULL;
  char from[320];
  snprintf(from, sizeof from, "<%s>", r->mail_from);
  for (size_t i = 0; i < r->n_mail_to && !rc; i++) {
    char to[320];
    snprintf(to, sizeof to, "<%s>", r->mail_to[i]);
    struct curl_slist *n = curl_slist_append(rcpt, to);
    if (!n) rc = mw_err_set(err, MW_ENOMEM, "out of memory");
    else rcpt = n;
  }
  CURL *e = rc ? NULL : curl_easy_init();
  if (!rc && !e) rc = mw_err_set(err, MW_ENOMEM, "curl_easy_init failed");
  if (rc) {
    curl_slist_free_all(rcpt);
    mw_buf_cleanup(&msg);
    return rc;
  }
  struct upload up = {msg.data, msg.len, 0};
  char errbuf[CURL_ERROR_SIZE];
  errbuf[0] = '\0';
  CURLcode cc = CURLE_OK;
#define SET(opt, val) \
  if (cc == CURLE_OK) cc = curl_easy_setopt(e, opt, val)
  SET(CURLOPT_URL, url);
  SET(CURLOPT_ERRORBUFFER, errbuf);
  SET(CURLOPT_NOSIGNAL, 1L);
  SET(CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  SET(CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  SET(CURLOPT_TIMEOUT_MS, timeout_ms);
  SET(CURLOPT_USE_SSL,
      (long)(smtps || r->starttls ? CURLUSESSL_ALL : CURLUSESSL_NONE));
  SET(CURLOPT_MAIL_FROM, from);
  SET(CURLOPT_MAIL_RCPT, rcpt);
  if (password) {
    SET(CURLOPT_USERNAME, r->smtp_user && r->smtp_user[0] ? r->smtp_user
                                                          : r->mail_from);
    SET(CURLOPT_PASSWORD, password);
  }
  SET(CURLOPT_UPLOAD, 1L);
  SET(CURLOPT_READFUNCTION, on_read);
  SET(CURLOPT_READDATA, &up);
  SET(CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg.len);
#undef SET
  if (cc == CURLE_OK) cc = curl_easy_perform(e);
  if (cc != CURLE_OK) {
    long code = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
    char said[48] = "";
    if (code > 0) snprintf(said, sizeof said, " (last reply %ld)", code);
    const char *hint =
        cc == CURLE_USE_SSL_FAILED
            ? "; the server does not offer STARTTLS: use smtps:// or, for a "
              "relay on this host only, starttls: false"
            : "";
    rc = mw_err_set(err, MW_ENET, "SMTP %s: %s%s%s", pub,
                    errbuf[0] ? errbuf : curl_easy_strerror(cc), said, hint);
  }
  curl_easy_cleanup(e);
  curl_slist_free_all(rcpt);
  mw_buf_cleanup(&msg);
  return rc;
}
