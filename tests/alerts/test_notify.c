/* Tests alerts/notify.c, notify_mail.c and notify_exec.c: each receiver
 * kind delivered to the fixture's receivers (tests/fixture, receivers.c
 * and smtp.c), which check signatures like the real services; payloads
 * checked field by field; failures say what the receiver answered and
 * never the key in the URL or the secret. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "alerts/alerts.h"
#include "tests/fixture/fixture.h"

#define SECRET "SECf00dfeed0123456789-never-print"
#define KEY "KEY5f1c2b7a-never-print"
#define TITLE "关于印发《吉林省“十四五”时期全域“无废城市”建设宣传工作方案》的通知"
#define TEXT "【较大】" TITLE "\n属地：吉林省长春市\n来源：吉林日报\n链接：https://example.org/a/1"
#define JSON "{\"id\":5,\"level\":2,\"title\":\"" TITLE "\",\"region\":\"吉林省长春市\"}"

static struct mw_fixture *fx;
static char dir[256];
static char url[512];

static int64_t now_s(void) { return (int64_t)time(NULL); }

/* Under valgrind (scripts/valgrind-suite), whose preload library is in
 * LD_PRELOAD: valgrind runs glibc's vfork-style posix_spawn as a plain
 * fork, so a command that cannot be executed is reported as a child that
 * exited with status 127 instead of as posix_spawn's error. */
static bool under_valgrind(void) {
  const char *p = getenv("LD_PRELOAD");
  return p && strstr(p, "vgpreload");
}

static struct mw_outbox_msg msg(int64_t id, const char *text,
                                const char *json) {
  struct mw_outbox_msg m;
  memset(&m, 0, sizeof m);
  m.id = id;
  m.alert_id = 5;
  m.receiver = "r";
  m.kind = "alert";
  m.text = (char *)text;
  m.json = (char *)json;
  m.created = 1699990000;
  return m;
}

static struct mw_receiver_conf receiver(enum mw_receiver_kind kind,
                                        const char *name) {
  struct mw_receiver_conf r;
  memset(&r, 0, sizeof r);
  r.name = (char *)name;
  r.kind = kind;
  return r;
}

static const char *hook(const char *target) {
  snprintf(url, sizeof url, "%s%s", mw_fixture_base_url(fx), target);
  return url;
}

/* The one delivery under prefix; fails unless there is exactly one. */
static struct mw_fixture_delivery *only(const char *prefix) {
  struct mw_fixture_delivery *d;
  size_t n;
  assert_int_equal(mw_fixture_deliveries(fx, prefix, &d, &n), MW_OK);
  assert_int_equal(n, 1);
  return d;
}

static size_t count(const char *prefix) {
  struct mw_fixture_delivery *d;
  size_t n;
  assert_int_equal(mw_fixture_deliveries(fx, prefix, &d, &n), MW_OK);
  mw_fixture_deliveries_free(d, n);
  return n;
}

/* Every failure message: names the receiver, never the secret or key. */
static void assert_clean(const struct mw_err *err, const char *name) {
  char want[128];
  snprintf(want, sizeof want, "receiver \"%s\"", name);
  assert_non_null(strstr(err->msg, want));
  assert_null(strstr(err->msg, SECRET));
  assert_null(strstr(err->msg, KEY));
  assert_null(strstr(err->msg, "access_token="));
  assert_null(strstr(err->msg, "key="));
}

static const char *secret_file(const char *content, mode_t mode) {
  static char p[512];
  snprintf(p, sizeof p, "%s/secret", dir);
  FILE *f = fopen(p, "w");
  assert_non_null(f);
  fputs(content, f);
  fclose(f);
  chmod(p, mode);
  return p;
}

static size_t unbase64(const char *s, size_t len, char *out) {
  static const char tab[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  uint32_t acc = 0;
  int bits = 0;
  size_t j = 0;
  for (size_t i = 0; i < len && s[i] != '='; i++) {
    const char *p = memchr(tab, s[i], 64);
    assert_non_null(p);
    acc = (acc << 6) | (uint32_t)(p - tab);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (char)((acc >> bits) & 0xff);
    }
  }
  out[j] = '\0';
  return j;
}

static void b64_hmac(const char *key, size_t klen, const char *data,
                     size_t dlen, char *out) {
  unsigned char mac[32];
  unsigned int n;
  HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)data, dlen, mac,
       &n);
  EVP_EncodeBlock((unsigned char *)out, mac, (int)n);
}

/* ------------------------------------------------------------ webhook */

static void test_webhook(void **state) {
  struct mw_receiver_conf r = receiver(MW_RECEIVER_WEBHOOK, "ops");
  r.url = (char *)hook("/hook/webhook/ops");
  struct mw_outbox_msg m = msg(42, TEXT, JSON);
  struct mw_err err;
  assert_int_equal(mw_notify_send(&r, &m, now_s(), 5000, &err), MW_OK);
  struct mw_fixture_delivery *d = only("/hook/webhook/ops");
  assert_string_equal(d->delivery_id, "42");
  assert_null(d->signature);
  json_error_t je;
  json_t *o = json_loads(d->body, 0, &je);
  assert_non_null(o);
  assert_int_equal(json_object_size(o), 5);
  assert_int_equal(json_integer_value(json_object_get(o, "id")), 5);
  assert_int_equal(json_integer_value(json_object_get(o, "level")), 2);
  assert_string_equal(json_string_value(json_object_get(o, "title")), TITLE);
  assert_string_equal(json_string_value(json_object_get(o, "region")),
                      "吉林省长春市");
  assert_int_equal(json_integer_value(json_object_get(o, "delivery_id")), 42);
  json_decref(o);
  mw_fixture_deliveries_free(d, 1);
  mw_fixture_clear_deliveries(fx);

  /* A digest has no JSON: kind, alert id and text stand in. */
  struct mw_outbox_msg dg = msg(43, "今日汇总\n1. 一般", NULL);
  dg.kind = "digest";
  dg.alert_id = 0;
  assert_int_equal(mw_notify_send(&r, &dg, now_s(), 5000, &err), MW_OK);
  d = only("/hook/webhook/ops");
  assert_string_equal(d->body, "{\"kind\":\"digest\",\"alert_id\":0,\"text\":"
                               "\"今日汇总\\n1. 一般\",\"delivery_id\":43}");
  mw_fixture_deliveries_free(d, 1);
  mw_fixture_clear_deliveries(fx);
}

static void test_webhook_signed(void **state) {
  setenv("MW_TEST_HOOK_SECRET", SECRET, 1);
  assert_int_equal(mw_fixture_set_receiver_secret(fx, "webhook", SECRET),
                   MW_OK);
  struct mw_receiver_conf r = receiver(MW_RECEIVER_WEBHOOK, "ops");
  r.url = (char *)hook("/hook/webhook/ops");
  r.secret_env = "MW_TEST_HOOK_SECRET";
  struct mw_outbox_msg m = msg(7, TEXT, JSON);
  struct mw_err err;
  assert_int_equal(mw_notify_send(&r, &m, now_s(), 5000, &err), MW_OK);
  struct mw_fixture_delivery *d = only("/hook/webhook/ops");
  unsigned char mac[32];
  unsigned int n;
  HMAC(EVP_sha256(), SECRET, (int)strlen(SECRET),
       (const unsigned char *)d->body, d->body_len, mac, &n);
  char want[80] = "sha256=";
  for (unsigned i = 0; i < n; i++)
    snprintf(want + 7 + 2 * i, sizeof want - 7 - 2 * i, "%02x", mac[i]);
  assert_string_equal(d->signature, want);
  mw_fixture_deliveries_free(d, 1);

  /* The wrong key: the fixture says 401, the message says so. */
  setenv("MW_TEST_HOOK_SECRET", "SECwrong-" SECRET, 1);
  assert_int_equal(mw_notify_send(&r, &m, now_s(), 5000, &err), MW_ENET);
  assert_non_null(strstr(err.msg, "HTTP 401"));
  assert_non_null(strstr(err.msg, "bad signature"));
  assert_clean(&err, "ops");
  /* The variable missing: named, nothing sent. */
  unsetenv("MW_TEST_HOOK_SECRET");
  assert_int_equal(mw_notify_send(&r, &m, now_s(), 5000, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "MW_TEST_HOOK_SECRET is not set"));
  assert_clean(&err, "ops");
  assert_int_equal(count("/hook/"), 1);
  mw_fixture_set_receiver_secret(fx, "webhook", NULL);
  mw_fixture_clear_deliveries(fx);
}

static void test_webhook_failures(void **state) {
  struct mw_receiver_conf r = receiver(MW_RECEIVER_WEBHOOK, "ops");
  char u[512];
  snprintf(u, sizeof u, "%s/hook/webhook/ops?token=" KEY,
           mw_fixture_base_url(fx));
  const char *file = secret_file(u, 0600);
  r.url_file = (char *)file;
  struct mw_outbox_msg m = msg(9, TEXT, JSON);
  struct mw_err err;
  mw_fixture_set_receiver_down(fx, "/hook/webhook/ops", true);
  assert_int_equal(mw_notify_send(&r, &m, now_s(), 5000, &err), MW_ENET);
  char want[600];
  snprintf(want, sizeof want,
           "receiver \"ops\" (webhook): POST %s/hook/webhook/ops: HTTP 503: "
           "503 /hook/webhook/ops is down (fixture)",
           mw_fixture_base_url(fx));
  assert_string_equal(err.msg, want);
  assert_clean(&err, "ops");
  mw_fixture_set_receiver_down(fx, "/hook/webhook/ops", false);
  assert_int_equal(mw_notify_send(&r, &m, now_s(), 5000, &err), MW_OK);
  struct mw_fixture_delivery *d = only("/hook/webhook/ops");
  assert_string_equal(d->query, "token=" KEY);
  mw_fixture_deliveries_free(d, 1);
  mw_fixture_clear_deliveries(fx);

  /* The URL file readable by others is refused before any request. */
  chmod(file, 0644);
  assert_int_equal(mw_notify_send(&r, &m, now_s(), 5000, &err), MW_EDENIED);
  assert_non_null(strstr(err.msg, "its URL: secret file"));
  assert_non_null(strstr(err.msg, "chmod 600"));
  assert_clean(&err, "ops");

  /* Nobody listening. */
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET,
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t sl = sizeof a;
  assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof a), 0);
  getsockname(s, (struct sockaddr *)&a, &sl);
  close(s);
  snprintf(u, sizeof u, "http://127.0.0.1:%d/x?key=" KEY, ntohs(a.sin_port));
  r.url_file = NULL;
  r.url = u;
  assert_int_equal(mw_notify_send(&r, &m, now_s(), 5000, &err), MW_ENET);
  assert_non_null(strstr(err.msg, "POST http://127.0.0.1:"));
  assert_clean(&err, "ops");
  /* Feishu's token is in the path: shown as ***. */
  struct mw_receiver_conf fr = receiver(MW_RECEIVER_FEISHU, "fs-token");
  char fu[512];
  snprintf(fu, sizeof fu, "http://127.0.0.1:%d/open-apis/bot/v2/hook/"
           "0f3c5a1e-9d2b-4c8e-a7f6-123456789abc", ntohs(a.sin_port));
  fr.url = fu;
  assert_int_equal(mw_notify_send(&fr, &m, now_s(), 5000, &err), MW_ENET);
  char want_fs[256];
  snprintf(want_fs, sizeof want_fs,
           "POST http://127.0.0.1:%d/open-apis/bot/v2/hook/***: ",
           ntohs(a.sin_port));
  assert_non_null(strstr(err.msg, want_fs));
  assert_null(strstr(err.msg, "0f3c5a1e"));

  /* Other schemes, no address, a JSON that does not parse. */
  r.url = "ftp://127.0.0.1/x";
  assert_int_equal(mw_notify_send(&r, &m, now_s(), 5000, &err), MW_EDENIED);
  assert_non_null(strstr(err.msg, "only http and https"));
  r.url = NULL;
  assert_int_equal(mw_notify_send(&r, &m, now_s(), 5000, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "no address"));
  r.url = (char *)hook("/hook/webhook/ops");
  struct mw_outbox_msg bad = msg(10, TEXT, "{\"id\":");
  assert_int_equal(mw_notify_send(&r, &bad, now_s(), 5000, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "outbox message 10"));
  assert_int_equal(count(NULL), 0);
}

/* -------------------------------------------------------------- robots */

static void test_wecom(void **state) {
  char u[512];
  snprintf(u, sizeof u, "%s/hook/wecom?key=" KEY, mw_fixture_base_url(fx));
  setenv("MW_TEST_WECOM_URL", u, 1);
  struct mw_receiver_conf r = receiver(MW_RECEIVER_WECOM, "wecom-duty");
  r.url_env = "MW_TEST_WECOM_URL";
  struct mw_outbox_msg m = msg(11, TEXT, JSON);
  struct mw_err err;
  assert_int_equal(mw_fixture_set_receiver_secret(fx, "wecom", KEY), MW_OK);
  assert_int_equal(mw_notify_send(&r, &m, now_s(), 5000, &err), MW_OK);
  struct mw_fixture_delivery *d = only("/hook/wecom");
  assert_string_equal(d->delivery_id, "11");
  assert_string_equal(d->body, "{\"msgtype\":\"text\",\"text\":{\"content\":\""
                               "【较大】" TITLE "\\n属地：吉林省长春市\\n来源："
                               "吉林日报\\n链接：https://example.org/a/1\"}}");
  mw_fixture_deliveries_free(d, 1);
  mw_fixture_clear_deliveries(fx);

  /* Over WeCom's 2048 bytes: cut on a character, marked. */
  char *big = malloc(3000 * 3 + 1);
  for (int i = 0; i < 3000; i++) memcpy(big + 3 * i, "舆", 3);
  big[9000] = '\0';
  struct mw_outbox_msg mb = msg(12, big, NULL);
  assert_int_equal(mw_notify_send(&r, &mb, now_s(), 5000, &err), MW_OK);
  d = only("/hook/wecom");
  json_error_t je;
  json_t *o = json_loads(d->body, 0, &je);
  const char *c = json_string_value(json_object_get(
      json_object_get(o, "text"), "content"));
  assert_int_equal(strlen(c), 2046);
  assert_memory_equal(c + 2043, "…", 3);
  assert_memory_equal(c, big, 2043);
  json_decref(o);
  free(big);
  mw_fixture_deliveries_free(d, 1);
  mw_fixture_clear_deliveries(fx);

  /* A key the robot does not know: its errcode, not the key. */
  assert_int_equal(mw_fixture_set_receiver_secret(fx, "wecom", "other"),
                   MW_OK);
  assert_int_equal(mw_notify_send(&r, &m, now_s(), 5000, &err), MW_ENET);
  char want[600];
  snprintf(want, sizeof want,
           "receiver \"wecom-duty\" (wecom): POST %s/hook/wecom: WeCom robot "
           "errcode 93000: invalid webhook url, hint: [fixture]",
           mw_fixture_base_url(fx));
  assert_string_equal(err.msg, want);
  assert_clean(&err, "wecom-duty");
  unsetenv("MW_TEST_WECOM_URL");
  assert_int_equal(mw_notify_send(&r, &m, now_s(), 5000, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "its URL: environment variable "
                                  "MW_TEST_WECOM_URL is not set"));
  mw_fixture_set_receiver_secret(fx, "wecom", NULL);
  assert_int_equal(count(NULL), 0);
}

static void test_dingtalk(void **state) {
  char u[512];
  snprintf(u, sizeof u, "%s/hook/dingtalk?access_token=" KEY,
           mw_fixture_base_url(fx));
  struct mw_receiver_conf r = receiver(MW_RECEIVER_DINGTALK, "dd");
  r.url = u;
  r.secret_file = (char *)secret_file(SECRET "\n", 0600);
  assert_int_equal(mw_fixture_set_receiver_secret(fx, "dingtalk", SECRET),
                   MW_OK);
  struct mw_outbox_msg m = msg(21, TEXT, JSON);
  struct mw_err err;
  int64_t now = now_s();
  assert_int_equal(mw_notify_send(&r, &m, now, 5000, &err), MW_OK);
  struct mw_fixture_delivery *d = only("/hook/dingtalk");
  assert_string_equal(d->delivery_id, "21");
  assert_string_equal(d->body,
                      "{\"msgtype\":\"markdown\",\"markdown\":{\"title\":\""
                      "【较大】" TITLE "\",\"text\":\"【较大】" TITLE
                      "  \\n属地：吉林省长春市  \\n来源：吉林日报  \\n链接："
                      "https://example.org/a/1\"}}");
  /* The signature the fixture accepted, recomputed here. */
  char data[256], sign[64], want_q[512];
  int k = snprintf(data, sizeof data, "%lld\n%s", (long long)now * 1000,
                   SECRET);
  b64_hmac(SECRET, strlen(SECRET), data, (size_t)k, sign);
  char esc[128];
  size_t j = 0;
  for (const char *p = sign; *p; p++)
    j += (size_t)(*p == '+' || *p == '/' || *p == '='
                      ? snprintf(esc + j, sizeof esc - j, "%%%02X", *p)
                      : snprintf(esc + j, sizeof esc - j, "%c", *p));
  snprintf(want_q, sizeof want_q, "access_token=" KEY "&timestamp=%lld&sign=%s",
           (long long)now * 1000, esc);
  assert_string_equal(d->query, want_q);
  mw_fixture_deliveries_free(d, 1);
  mw_fixture_clear_deliveries(fx);

  /* A wrong secret: DingTalk's errcode in the message, no secret. */
  r.secret_file = (char *)secret_file("SECwrong\n", 0600);
  assert_int_equal(mw_notify_send(&r, &m, now, 5000, &err), MW_ENET);
  assert_non_null(strstr(err.msg, "DingTalk robot errcode 310000: sign not "
                                  "match"));
  assert_clean(&err, "dd");
  /* The right secret, a clock two hours off. */
  r.secret_file = (char *)secret_file(SECRET "\n", 0600);
  assert_int_equal(mw_notify_send(&r, &m, now - 7200, 5000, &err), MW_ENET);
  assert_non_null(strstr(err.msg, "errcode 310000"));
  assert_clean(&err, "dd");
  /* A secret file others may read: refused, before any request. */
  chmod(r.secret_file, 0604);
  assert_int_equal(mw_notify_send(&r, &m, now, 5000, &err), MW_EDENIED);
  assert_non_null(strstr(err.msg, "its secret: secret file"));
  assert_non_null(strstr(err.msg, "mode 0604"));
  assert_clean(&err, "dd");
  mw_fixture_set_receiver_secret(fx, "dingtalk", NULL);
  assert_int_equal(count(NULL), 0);
}

static void test_feishu(void **state) {
  struct mw_receiver_conf r = receiver(MW_RECEIVER_FEISHU, "fs");
  char u[512];
  snprintf(u, sizeof u, "%s/hook/feishu", mw_fixture_base_url(fx));
  r.url = u;
  r.secret_env = "MW_TEST_FEISHU_SECRET";
  setenv("MW_TEST_FEISHU_SECRET", SECRET, 1);
  assert_int_equal(mw_fixture_set_receiver_secret(fx, "feishu", SECRET),
                   MW_OK);
  struct mw_outbox_msg m = msg(31, TEXT, JSON);
  struct mw_err err;
  int64_t now = now_s();
  assert_int_equal(mw_notify_send(&r, &m, now, 5000, &err), MW_OK);
  struct mw_fixture_delivery *d = only("/hook/feishu");
  json_error_t je;
  json_t *o = json_loads(d->body, 0, &je);
  assert_int_equal(json_object_size(o), 4);
  assert_string_equal(json_string_value(json_object_get(o, "msg_type")),
                      "text");
  assert_string_equal(json_string_value(json_object_get(
                          json_object_get(o, "content"), "text")),
                      TEXT);
  char ts[32], key[128], sign[64];
  snprintf(ts, sizeof ts, "%lld", (long long)now);
  assert_string_equal(json_string_value(json_object_get(o, "timestamp")), ts);
  int k = snprintf(key, sizeof key, "%s\n%s", ts, SECRET);
  b64_hmac(key, (size_t)k, "", 0, sign);
  assert_string_equal(json_string_value(json_object_get(o, "sign")), sign);
  json_decref(o);
  mw_fixture_deliveries_free(d, 1);
  mw_fixture_clear_deliveries(fx);

  setenv("MW_TEST_FEISHU_SECRET", "SECwrong", 1);
  assert_int_equal(mw_notify_send(&r, &m, now, 5000, &err), MW_ENET);
  assert_non_null(strstr(err.msg, "Feishu bot code 19021: sign match fail"));
  assert_clean(&err, "fs");
  /* Unsigned to a bot without a secret. */
  mw_fixture_set_receiver_secret(fx, "feishu", NULL);
  r.secret_env = NULL;
  assert_int_equal(mw_notify_send(&r, &m, now, 5000, &err), MW_OK);
  d = only("/hook/feishu");
  o = json_loads(d->body, 0, &je);
  assert_int_equal(json_object_size(o), 2);
  json_decref(o);
  mw_fixture_deliveries_free(d, 1);
  mw_fixture_clear_deliveries(fx);
  unsetenv("MW_TEST_FEISHU_SECRET");
}

/* --------------------------------------------------------------- mail */

/* The value of header name (unfolded) in the raw mail, into out. */
static void header(const char *mail, const char *name, char *out, size_t n) {
  char key[64];
  snprintf(key, sizeof key, "\r\n%s: ", name);
  const char *p = strstr(mail, key);
  if (!p && strncmp(mail, key + 2, strlen(key) - 2) == 0) p = mail - 2;
  assert_non_null(p);
  p += strlen(key);
  size_t j = 0;
  while (*p && j + 1 < n) {
    if (p[0] == '\r' && p[1] == '\n') {
      if (p[2] != ' ' && p[2] != '\t') break;
      p += 2; /* folded */
      continue;
    }
    out[j++] = *p++;
  }
  out[j] = '\0';
}

static void test_email(void **state) {
  struct mw_err err;
  assert_int_equal(mw_fixture_smtp_port(fx) > 0, 1);
  assert_int_equal(mw_fixture_set_receiver_secret(fx, "smtp", SECRET), MW_OK);
  setenv("MW_TEST_SMTP_PASSWORD", SECRET, 1);
  char u[128];
  snprintf(u, sizeof u, "smtp://127.0.0.1:%d", mw_fixture_smtp_port(fx));
  char *to[] = {"duty@example.org", "leader@example.org"};
  struct mw_receiver_conf r = receiver(MW_RECEIVER_EMAIL, "mail");
  r.url = u;
  r.mail_from = "mediawatch@example.org";
  r.mail_to = to;
  r.n_mail_to = 2;
  r.smtp_user = "duty";
  r.secret_env = "MW_TEST_SMTP_PASSWORD";
  r.starttls = false; /* the sink offers no STARTTLS */
  struct mw_outbox_msg m = msg(42, TEXT, JSON);
  assert_int_equal(mw_notify_send(&r, &m, 1700000000, 5000, &err), MW_OK);
  struct mw_fixture_delivery *d = only("smtp");
  assert_string_equal(d->mail_from, "mediawatch@example.org");
  assert_int_equal(d->n_rcpt, 2);
  assert_string_equal(d->rcpt[0], "duty@example.org");
  assert_string_equal(d->rcpt[1], "leader@example.org");
  assert_string_equal(d->auth_user, "duty");
  const char *mail = d->body;
  char h[1024];
  header(mail, "Date", h, sizeof h);
  assert_string_equal(h, "Tue, 14 Nov 2023 22:13:20 +0000");
  header(mail, "From", h, sizeof h);
  assert_string_equal(h, "mediawatch@example.org");
  header(mail, "To", h, sizeof h);
  assert_string_equal(h, "duty@example.org, leader@example.org");
  header(mail, "Message-ID", h, sizeof h);
  assert_string_equal(h, "<mediawatch.42.1699990000@example.org>");
  header(mail, "X-Mediawatch-Delivery", h, sizeof h);
  assert_string_equal(h, "42");
  header(mail, "MIME-Version", h, sizeof h);
  assert_string_equal(h, "1.0");
  header(mail, "Content-Type", h, sizeof h);
  assert_string_equal(h, "text/plain; charset=UTF-8");
  header(mail, "Content-Transfer-Encoding", h, sizeof h);
  assert_string_equal(h, "base64");

  /* Subject: encoded-words of at most 75 characters, decoding to the
   * first line. */
  const char *sp = strstr(mail, "\r\nSubject:") + 10;
  char subject[1024] = "";
  size_t sj = 0;
  while (*sp == ' ' && strncmp(sp, " =?UTF-8?B?", 11) == 0) {
    const char *end = strstr(sp + 11, "?=");
    assert_non_null(end);
    assert_true(end + 2 - (sp + 1) <= 75);
    sj += unbase64(sp + 11, (size_t)(end - sp - 11), subject + sj);
    sp = end + 2;
    if (strncmp(sp, "\r\n ", 3) == 0) sp += 2;
  }
  assert_memory_equal(sp, "\r\n", 2);
  assert_string_equal(subject, "【较大】" TITLE);

  /* Body: base64 lines of at most 76 decoding to the text with CRLF. */
  const char *body = strstr(mail, "\r\n\r\n") + 4;
  char joined[4096] = "", text[4096];
  size_t jl = 0;
  for (const char *p = body; *p;) {
    const char *nl = strstr(p, "\r\n");
    assert_non_null(nl);
    assert_true(nl - p <= 76);
    memcpy(joined + jl, p, (size_t)(nl - p));
    jl += (size_t)(nl - p);
    p = nl + 2;
  }
  unbase64(joined, jl, text);
  assert_string_equal(text, "【较大】" TITLE "\r\n属地：吉林省长春市\r\n来源："
                            "吉林日报\r\n链接：https://example.org/a/1");
  mw_fixture_deliveries_free(d, 1);
  mw_fixture_clear_deliveries(fx);

  /* A wrong password: the server's refusal, not the password. */
  setenv("MW_TEST_SMTP_PASSWORD", "SECwrong-" SECRET, 1);
  assert_int_equal(mw_notify_send(&r, &m, 1700000000, 5000, &err), MW_ENET);
  assert_non_null(strstr(err.msg, "receiver \"mail\" (email): SMTP smtp://"));
  assert_non_null(strstr(err.msg, "535"));
  assert_clean(&err, "mail");

  /* STARTTLS required and not offered: fails before AUTH, so the
   * password never goes in clear. */
  setenv("MW_TEST_SMTP_PASSWORD", SECRET, 1);
  r.starttls = true;
  assert_int_equal(mw_notify_send(&r, &m, 1700000000, 5000, &err), MW_ENET);
  assert_non_null(strstr(err.msg, "STARTTLS"));
  assert_clean(&err, "mail");
  r.starttls = false;

  /* Addresses that would inject headers are refused. */
  r.mail_from = "a@b.org\r\nBcc: x@y.org";
  assert_int_equal(mw_notify_send(&r, &m, 1700000000, 5000, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "mail_from"));
  r.mail_from = "mediawatch@example.org";
  r.url = "http://127.0.0.1/";
  assert_int_equal(mw_notify_send(&r, &m, 1700000000, 5000, &err),
                   MW_EDENIED);
  assert_int_equal(count(NULL), 0);
  mw_fixture_set_receiver_secret(fx, "smtp", NULL);
  unsetenv("MW_TEST_SMTP_PASSWORD");
}

/* --------------------------------------------------------------- exec */

static void test_exec(void **state) {
  char out[512];
  snprintf(out, sizeof out, "%s/exec-out.json", dir);
  char *argv[] = {"/bin/sh", "-c", "cat > \"$0\"", out};
  struct mw_receiver_conf r = receiver(MW_RECEIVER_EXEC, "script");
  r.command = argv;
  r.n_command = 4;
  r.exec_timeout_s = 10;
  struct mw_outbox_msg m = msg(51, TEXT, JSON);
  struct mw_err err;
  assert_int_equal(mw_notify_send(&r, &m, now_s(), 5000, &err), MW_OK);
  json_error_t je;
  json_t *o = json_load_file(out, 0, &je);
  assert_non_null(o);
  assert_int_equal(json_integer_value(json_object_get(o, "delivery_id")), 51);
  assert_string_equal(json_string_value(json_object_get(o, "title")), TITLE);
  assert_int_equal(json_integer_value(json_object_get(o, "id")), 5);
  json_decref(o);

  char *fail[] = {"/bin/sh", "-c", "echo 'no route to pager' >&2; exit 3"};
  r.command = fail;
  r.n_command = 3;
  assert_int_equal(mw_notify_send(&r, &m, now_s(), 5000, &err), MW_EIO);
  assert_string_equal(err.msg, "receiver \"script\" (exec): command /bin/sh "
                               "exited with status 3: no route to pager");

  char *sig[] = {"/bin/sh", "-c", "kill -TERM $$"};
  r.command = sig;
  assert_int_equal(mw_notify_send(&r, &m, now_s(), 5000, &err), MW_EIO);
  assert_non_null(strstr(err.msg, "killed by signal 15 (SIGTERM)"));

  /* A command that never reads its input, with more input than a socket
   * buffer holds: no SIGPIPE, exit 0 is success. */
  size_t big = 1u << 20;
  char *text = malloc(big + 1);
  memset(text, 'a', big);
  text[big] = '\0';
  char *noread[] = {"/bin/true"};
  r.command = noread;
  r.n_command = 1;
  struct mw_outbox_msg mb = msg(52, text, NULL);
  assert_int_equal(mw_notify_send(&r, &mb, now_s(), 5000, &err), MW_OK);
  free(text);

  char *missing[] = {"/nonexistent/notify-cmd"};
  r.command = missing;
  assert_int_equal(mw_notify_send(&r, &m, now_s(), 5000, &err), MW_EIO);
  if (under_valgrind())
    assert_non_null(strstr(err.msg, "exited with status 127"));
  else
    assert_non_null(strstr(err.msg, "cannot run /nonexistent/notify-cmd"));
  r.n_command = 0;
  assert_int_equal(mw_notify_send(&r, &m, now_s(), 5000, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "no command"));
}

static void test_exec_timeout(void **state) {
  char *slow[] = {"/bin/sh", "-c", "sleep 30"};
  struct mw_receiver_conf r = receiver(MW_RECEIVER_EXEC, "slow");
  r.command = slow;
  r.n_command = 3;
  r.exec_timeout_s = 1;
  struct mw_outbox_msg m = msg(61, TEXT, JSON);
  struct mw_err err;
  time_t t0 = time(NULL);
  assert_int_equal(mw_notify_send(&r, &m, now_s(), 5000, &err), MW_EIO);
  assert_true(time(NULL) - t0 <= 3);
  assert_string_equal(err.msg, "receiver \"slow\" (exec): command /bin/sh did "
                               "not finish within 1 s and was killed");
}

static int setup(void **state) {
  const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
  snprintf(dir, sizeof dir, "%s/mw-notify-XXXXXX", tmp);
  if (!mkdtemp(dir)) return -1;
  struct mw_fixture_options o = {.root = dir};
  struct mw_err err;
  if (mw_fixture_start(&o, &fx, &err) != MW_OK) return -1;
  return mw_fixture_start_smtp(fx, 0, &err) == MW_OK ? 0 : -1;
}

static int teardown(void **state) {
  mw_fixture_stop(fx);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

int main(void) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_webhook),
      cmocka_unit_test(test_webhook_signed),
      cmocka_unit_test(test_webhook_failures),
      cmocka_unit_test(test_wecom),
      cmocka_unit_test(test_dingtalk),
      cmocka_unit_test(test_feishu),
      cmocka_unit_test(test_email),
      cmocka_unit_test(test_exec),
      cmocka_unit_test(test_exec_timeout),
  };
  int rc = cmocka_run_group_tests(tests, setup, teardown);
  curl_global_cleanup();
  return rc;
}
