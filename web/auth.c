/*
 * auth.c: passwords, sign-in, sessions and the CSRF check.
 *
 * Passwords are hashed with libcrypt (yescrypt, else SHA-512 crypt) and
 * checked in time independent of where they differ; an unknown name is
 * checked against a dummy hash so both failures cost the same. A session
 * is 32 random bytes sent once as a cookie (64 hex); the store keeps only
 * their SHA-256, so a copy of the database signs no one in. Each session
 * has its own CSRF token, sent back by the page's script as X-CSRF-Token.
 * Failed sign-ins are counted per client address and per name
 * (limiter.c); past the limit the reply is 429 with Retry-After.
 *
 * What it leaves to others: refusing requests (server.c), storing users
 * and sessions (store/), managing users (api_users.c, cli/).
 */
#include <crypt.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "web/web_int.h"

#define PASSWORD_MAX 1024
#define NAME_MAX_BYTES 64
#define TOKEN_BYTES 32
#define TOUCH_EVERY_S 60 /* a session's expiry slides at most this often */

/* ------------------------------------------------------------ passwords */

static int sha256_hex(const char *s, size_t n, char *out);

/* What libcrypt is given for password (n bytes): the password itself, or,
 * past libcrypt's limit (CRYPT_MAX_PASSPHRASE_SIZE, under the 1024 bytes
 * web.h allows), a marked SHA-256 of it. Points into buf or at password. */
static const char *phrase(const char *password, size_t n,
                          char buf[static 80]) {
  if (n < CRYPT_MAX_PASSPHRASE_SIZE) return password;
  memcpy(buf, "\x01sha256:", 8);
  if (sha256_hex(password, n, buf + 8)) return NULL;
  return buf;
}

int mw_web_password_hash(const char *password, char **out,
                         struct mw_err *err) {
  *out = NULL;
  size_t n = password ? strnlen(password, PASSWORD_MAX + 1) : 0;
  if (n == 0)
    return mw_err_set(err, MW_EINVAL, "the password must not be empty");
  if (n > PASSWORD_MAX)
    return mw_err_set(err, MW_EINVAL,
                      "the password is longer than %d bytes", PASSWORD_MAX);
  char *setting = crypt_gensalt_ra("$y$", 0, NULL, 0);
  if (!setting) setting = crypt_gensalt_ra("$6$", 0, NULL, 0);
  if (!setting)
    return mw_err_set(err, MW_EIO,
                      "libcrypt offers neither yescrypt nor SHA-512 crypt "
                      "(%s)", strerror(errno));
  struct crypt_data *cd = calloc(1, sizeof *cd);
  if (!cd) {
    free(setting);
    return mw_err_set(err, MW_ENOMEM, "out of memory hashing a password");
  }
  char pbuf[80];
  const char *p = phrase(password, n, pbuf);
  const char *h = p ? crypt_rn(p, setting, cd, (int)sizeof *cd) : NULL;
  explicit_bzero(pbuf, sizeof pbuf);
  int rc = MW_OK;
  if (!h || h[0] == '*')
    rc = mw_err_set(err, MW_EIO, "libcrypt could not hash the password");
  else if (!(*out = mw_strdup(h)))
    rc = mw_err_set(err, MW_ENOMEM, "out of memory hashing a password");
  explicit_bzero(cd, sizeof *cd);
  free(cd);
  free(setting);
  return rc;
}

bool mw_web_password_check(const char *password, const char *hash) {
  if (!password || !hash || !hash[0]) return false;
  size_t n = strnlen(password, PASSWORD_MAX + 1);
  if (n > PASSWORD_MAX) return false;
  struct crypt_data *cd = calloc(1, sizeof *cd);
  if (!cd) return false;
  char pbuf[80];
  const char *p = phrase(password, n, pbuf);
  const char *h = p ? crypt_rn(p, hash, cd, (int)sizeof *cd) : NULL;
  explicit_bzero(pbuf, sizeof pbuf);
  bool ok = false;
  if (h && h[0] != '*') {
    size_t a = strlen(h), b = strlen(hash);
    /* The length of a hash of a given scheme does not depend on the
     * password; the bytes are compared in constant time. */
    ok = a == b && CRYPTO_memcmp(h, hash, a) == 0;
  }
  explicit_bzero(cd, sizeof *cd);
  free(cd);
  return ok;
}

/* A hash nobody's password matches, checked for unknown names so that a
 * wrong name costs what a wrong password does. */
static char *dummy_hash;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void dummy_init(void) {
  mw_web_password_hash("mediawatch: no such user", &dummy_hash, NULL);
}

/* -------------------------------------------------------------- tokens */

static void hex(const unsigned char *p, size_t n, char *out) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = digits[p[i] >> 4];
    out[2 * i + 1] = digits[p[i] & 15];
  }
  out[2 * n] = '\0';
}

/* 32 random bytes as 64 hex into out (65 bytes). */
static int random_hex(char *out) {
  unsigned char b[TOKEN_BYTES];
  size_t got = 0;
  while (got < sizeof b) {
    ssize_t r = getrandom(b + got, sizeof b - got, 0);
    if (r < 0) {
      if (errno == EINTR) continue;
      return MW_EIO;
    }
    got += (size_t)r;
  }
  hex(b, sizeof b, out);
  explicit_bzero(b, sizeof b);
  return MW_OK;
}

/* SHA-256 of s as 64 hex into out (65 bytes). */
static int sha256_hex(const char *s, size_t n, char *out) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!EVP_Digest(s, n, md, &len, EVP_sha256(), NULL) || len != 32)
    return MW_EIO;
  hex(md, len, out);
  return MW_OK;
}

static bool is_hex64(const char *s) {
  if (strnlen(s, 65) != 64) return false;
  for (size_t i = 0; i < 64; i++) {
    unsigned char c = (unsigned char)s[i];
    if (!mw_ascii_isdigit(c) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

/* ------------------------------------------------------------ sessions */

static int64_t session_ttl(const struct mw_web *w) {
  return w->cfg->serve.session_ttl_s > 0 ? w->cfg->serve.session_ttl_s
                                         : 12 * 3600;
}

int mw_web_auth_lookup(struct mw_web_req *r, struct mw_web_user *out,
                       bool *found) {
  *found = false;
  const char *tok =
      MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, MW_WEB_COOKIE);
  if (!tok || !is_hex64(tok) || !r->store) return MW_OK;
  char th[65];
  if (sha256_hex(tok, 64, th)) return MW_EIO;
  struct mw_web_session s;
  struct mw_err err = {0};
  int rc = mw_store_session_get(r->store, th, r->now, &s, &err);
  if (rc == MW_ENOTFOUND) return MW_OK;
  if (rc) return rc;
  if (r->now - s.last_seen >= TOUCH_EVERY_S) {
    /* A failed touch only shortens the session: the request goes on. */
    mw_store_session_touch(r->store, th, r->now,
                           r->now + session_ttl(r->web), &err);
  }
  *out = (struct mw_web_user){.id = s.user_id, .role = s.role};
  memcpy(out->name, s.user, sizeof out->name);
  out->name[sizeof out->name - 1] = '\0';
  memcpy(out->csrf, s.csrf, sizeof out->csrf);
  out->csrf[sizeof out->csrf - 1] = '\0';
  memcpy(out->token_hash, th, sizeof th);
  *found = true;
  return MW_OK;
}

/* Whether an Origin header, when sent, names this server as the client
 * reached it (scheme and Host). */
static bool origin_ok(const struct mw_web_req *r) {
  const char *origin = mw_web_header(r, MHD_HTTP_HEADER_ORIGIN);
  if (!origin) return true;
  const char *host = mw_web_header(r, MHD_HTTP_HEADER_HOST);
  if (!host) return false;
  size_t hn = strnlen(host, 256), on = strnlen(origin, 300);
  if (hn == 0 || hn >= 256) return false;
  static const char *const schemes[] = {"http://", "https://"};
  for (size_t i = 0; i < 2; i++) {
    size_t sn = strlen(schemes[i]);
    if (on == sn + hn && strncmp(origin, schemes[i], sn) == 0 &&
        mw_ascii_ncasecmp(origin + sn, host, hn) == 0)
      return true;
  }
  return false;
}

bool mw_web_auth_csrf_ok(const struct mw_web_req *r) {
  if (!origin_ok(r)) return false;
  if (!r->user) return false;
  const char *t = mw_web_header(r, "X-CSRF-Token");
  if (!t || strnlen(t, 65) != 64 || strlen(r->user->csrf) != 64) return false;
  return CRYPTO_memcmp(t, r->user->csrf, 64) == 0;
}

/* ------------------------------------------------------------ handlers */

static int cookie(struct mw_web_resp *o, const struct mw_web *w,
                  const char *value, int64_t max_age) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s=%s; HttpOnly; SameSite=Strict; Path=/; "
           "Max-Age=%lld%s", MW_WEB_COOKIE, value, (long long)max_age,
           w->cfg->serve.cookie_secure ? "; Secure" : "");
  return mw_web_resp_header(o, MHD_HTTP_HEADER_SET_COOKIE, buf);
}

static int user_reply(struct mw_web_resp *o, const char *name,
                      enum mw_user_role role, const char *csrf) {
  return mw_web_reply_json(
      o, 200,
      json_pack("{s:s, s:s, s:s, s:s}", "user", name, "role",
                mw_user_role_name(role), "role_zh",
                mw_user_role_label_zh(role), "csrf", csrf));
}

static int too_many(struct mw_web_resp *o, int64_t wait) {
  char buf[24];
  snprintf(buf, sizeof buf, "%lld", (long long)wait);
  mw_web_resp_header(o, MHD_HTTP_HEADER_RETRY_AFTER, buf);
  return mw_web_reply_error(o, 429, "too_many",
                            "too many failed sign-ins: try again in %lld s",
                            (long long)wait);
}

int mw_web_api_login(struct mw_web_req *r, struct mw_web_resp *o) {
  struct mw_web *w = r->web;
  /* Sign-in has no session yet, so no CSRF token; a foreign page must not
   * sign people in either. */
  if (!origin_ok(r))
    return mw_web_reply_error(o, 403, "csrf",
                              "the Origin header does not match this server");
  json_t *j = mw_web_body_json(r, o);
  if (!j) return MW_EINVAL;
  const char *name = json_string_value(json_object_get(j, "name"));
  const char *pw = json_string_value(json_object_get(j, "password"));
  if (!name || !pw || !name[0]) {
    json_decref(j);
    return mw_web_reply_error(o, 400, "invalid",
                              "sign in with {\"name\": ..., \"password\": ...}");
  }
  char ipkey[96], namekey[96];
  snprintf(ipkey, sizeof ipkey, "ip:%s", r->client);
  snprintf(namekey, sizeof namekey, "name:%.80s", name);
  int64_t maxf = w->cfg->serve.login_failures > 0 ? w->cfg->serve.login_failures
                                                  : 5;
  int64_t win = w->cfg->serve.login_window_s > 0 ? w->cfg->serve.login_window_s
                                                 : 900;
  int64_t wait = mw_web_limiter_wait(w->limiter, ipkey, r->now, maxf, win);
  int64_t wn = mw_web_limiter_wait(w->limiter, namekey, r->now, maxf, win);
  if (wn > wait) wait = wn;
  if (wait > 0) {
    json_decref(j);
    return too_many(o, wait);
  }

  struct mw_user u = {0};
  struct mw_err err = {0};
  int rc = MW_ENOTFOUND;
  if (strnlen(name, NAME_MAX_BYTES + 1) <= NAME_MAX_BYTES)
    rc = mw_store_user_get(r->store, name, &u, &err);
  if (rc != MW_OK && rc != MW_ENOTFOUND) {
    json_decref(j);
    return mw_web_reply_error(o, 500, "internal", "the store failed");
  }
  bool ok;
  if (rc == MW_OK) {
    ok = mw_web_password_check(pw, u.hash);
  } else {
    pthread_once(&dummy_once, dummy_init);
    mw_web_password_check(pw, dummy_hash);
    ok = false;
  }
  json_decref(j);
  if (!ok) {
    mw_user_cleanup(&u);
    mw_web_limiter_fail(w->limiter, ipkey, r->now, win);
    mw_web_limiter_fail(w->limiter, namekey, r->now, win);
    atomic_fetch_add(&w->logins_failed, 1);
    return mw_web_reply_error(o, 401, "unauthorized",
                              "wrong user name or password");
  }
  /* The name's count ends with a success; the address's does not, or an
   * account of one's own would reset the count for guessing others. */
  mw_web_limiter_clear(w->limiter, namekey);

  char token[65], th[65], csrf[65];
  if (random_hex(token) || random_hex(csrf) || sha256_hex(token, 64, th)) {
    mw_user_cleanup(&u);
    return mw_web_reply_error(o, 500, "internal", "no random bytes");
  }
  int64_t ttl = session_ttl(w);
  mw_store_sessions_expire(r->store, r->now, NULL);
  rc = mw_store_session_add(r->store, th, u.id, csrf, r->now, r->now + ttl,
                            &err);
  if (rc) {
    mw_user_cleanup(&u);
    return mw_web_reply_error(o, 500, "internal", "the store failed");
  }
  rc = cookie(o, w, token, ttl);
  if (rc == MW_OK) rc = user_reply(o, u.name, u.role, csrf);
  explicit_bzero(token, sizeof token);
  mw_user_cleanup(&u);
  return rc;
}

int mw_web_api_logout(struct mw_web_req *r, struct mw_web_resp *o) {
  struct mw_err err = {0};
  if (mw_store_session_remove(r->store, r->user->token_hash, &err))
    return mw_web_reply_error(o, 500, "internal", "the store failed");
  int rc = cookie(o, r->web, "", 0);
  if (rc) return rc;
  return mw_web_reply_json(o, 200, json_object());
}

int mw_web_api_me(struct mw_web_req *r, struct mw_web_resp *o) {
  return user_reply(o, r->user->name, r->user->role, r->user->csrf);
}
