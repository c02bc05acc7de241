/*
 * notify_int.h: what the notifier files share, and nobody else.
 *
 * notify.c holds mw_notify_send (secrets, error wording, scrubbing) and
 * the HTTP kinds; notify_mail.c the e-mail kind; notify_exec.c the exec
 * kind. Each kind sets err with what the receiver answered; notify.c puts
 * the receiver's name in front and removes the URL and the secret.
 */
#ifndef MW_ALERTS_NOTIFY_INT_H
#define MW_ALERTS_NOTIFY_INT_H

#include <stddef.h>
#include <stdint.h>

#include "alerts/alerts.h"

/* What a receiver may answer: enough for any robot's JSON reply, small
 * enough that a misbehaving server cannot fill memory. */
#define MW_NOTIFY_REPLY_MAX (64u << 10)

/* The JSON webhooks and exec receive: m->json with "delivery_id" (the
 * outbox id) added, or, when m has no JSON object, {"delivery_id", "kind",
 * "alert_id", "text"}. *out malloc'd, compact. */
int mw_notify_payload(const struct mw_outbox_msg *m, char **out,
                      struct mw_err *err);

/* url as "scheme://host[:port]/path": no user, password, query or
 * fragment, so it can go in a message. "(unparsable URL)" when curl
 * cannot parse it. Always NUL-terminates buf (n > 0). */
void mw_notify_url_public(const char *url, char *buf, size_t n);

/* HMAC-SHA256 of data under key into out (32 bytes). */
int mw_notify_hmac_sha256(const void *key, size_t klen, const void *data,
                          size_t dlen, unsigned char out[32]);

/* Standard base64 (with padding, no line breaks) of n bytes appended to
 * out. */
int mw_notify_base64(const void *in, size_t n, struct mw_buf *out);

/* How many of the first len bytes of s fit in max bytes without cutting
 * a UTF-8 character. */
size_t mw_notify_utf8_prefix(const char *s, size_t len, size_t max);

/* The first non-empty line of text, trimmed, at most max bytes, appended
 * to out: a title or a subject. */
int mw_notify_first_line(const char *text, size_t max, struct mw_buf *out);

/* E-mail over SMTP to r's mail_to (notify_mail.c). url is smtp:// or
 * smtps://; password may be NULL (no AUTH). */
int mw_notify_send_mail(const struct mw_receiver_conf *r,
                        const struct mw_outbox_msg *m, const char *url,
                        const char *password, int64_t now, long timeout_ms,
                        struct mw_err *err);

/* Runs r's command with the payload on standard input (notify_exec.c);
 * killed after timeout_s seconds. */
int mw_notify_send_exec(const struct mw_receiver_conf *r,
                        const struct mw_outbox_msg *m, int64_t timeout_s,
                        struct mw_err *err);

#endif
