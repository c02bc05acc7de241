/*
 * web.h: `mediawatch serve`, the JSON API and the dashboard pages, on
 * libmicrohttpd, and the password hashing the `users` command shares.
 *
 * The server runs on its own threads (one per connection, so a live
 * Server-Sent Events stream never blocks a request) and reads and writes
 * the store through a small pool of its own handles: it can run beside a
 * crawler in the same process (`mediawatch run`) or in another one on the
 * same database. Nothing in here touches the caller's store handle.
 */
#ifndef MW_WEB_H
#define MW_WEB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/common.h"

struct mw_web;

struct mw_web_options {
  /* The config: kept by reference, must outlive the server. Its
   * storage_path is the database; its serve: section the listen address,
   * session lifetime and cookie flags. */
  const struct mw_config *cfg;
  /* "ADDR:PORT" overriding cfg->serve.listen; NULL: the config's. Port 0
   * binds a free port (tests), read back with mw_web_port. */
  const char *listen;
  /* Time in epoch seconds; NULL: the wall clock. Tests replay time. */
  int64_t (*now)(void *ctx);
  void *now_ctx;
  /* The crawl loop's lag in microseconds when the crawler runs in this
   * process (`run`), for /metrics; NULL when it does not (`serve`). */
  int64_t (*loop_lag_us)(void *ctx);
  void *loop_lag_ctx;
};

/* Opens the store pool (the database must exist: a crawl creates it, so
 * does mw_store_open), binds and starts serving. MW_EINVAL for a bad
 * listen address, MW_EIO with the address when it cannot bind. Stop and
 * free with mw_web_stop. */
int mw_web_start(const struct mw_web_options *o, struct mw_web **out,
                 struct mw_err *err);
/* The port bound (useful after port 0). */
uint16_t mw_web_port(const struct mw_web *w);
/* "http://127.0.0.1:8080": what the server prints for people to open. */
const char *mw_web_url(const struct mw_web *w);
/* Ends every connection (live event streams included) and frees w.
 * NULL is fine. */
void mw_web_stop(struct mw_web *w);

/* Password hashing with libcrypt: yescrypt ("$y$") where libcrypt offers
 * it, else SHA-512 crypt ("$6$"), with a fresh random salt. *out is
 * malloc'd (free it). MW_EINVAL for an empty password or one over 1024
 * bytes. */
int mw_web_password_hash(const char *password, char **out, struct mw_err *err);
/* Whether password matches hash (any crypt(5) hash libcrypt knows), in
 * time independent of where they differ. False for a malformed hash. */
bool mw_web_password_check(const char *password, const char *hash);

#endif
