/*
 * fetch.h (private to crawler/): one HTTP GET at a time per call, many in
 * flight, on libcurl's multi interface driven by a libuv loop. No policy
 * lives here beyond what every transfer must obey (schemes, sizes, times,
 * redirects, addresses); scheduling and robots.txt are crawler.c's.
 */
#ifndef MW_CRAWLER_FETCH_H
#define MW_CRAWLER_FETCH_H

#include <uv.h>

#include "crawler/crawler.h"

struct mw_fetcher;

/* Called once per started transfer, on the loop thread, unless the fetcher
 * is closed first. res->source is left NULL; res is valid only during the
 * call. */
typedef void (*mw_fetch_done_cb)(struct mw_fetch_result *res, void *user);

int mw_fetcher_new(uv_loop_t *loop, const struct mw_crawler_conf *conf,
                   struct mw_fetcher **out, struct mw_err *err);
/* Starts a GET of url, conditional when etag or last_modified is given
 * (both copied). Returns MW_OK, after which done is called exactly once;
 * on an error return done is never called. */
int mw_fetcher_get(struct mw_fetcher *f, const char *url, const char *etag,
                   const char *last_modified, mw_fetch_done_cb done,
                   void *user, struct mw_err *err);
size_t mw_fetcher_active(const struct mw_fetcher *f);
/* Aborts every transfer (no callbacks), closes the loop handles and calls
 * on_closed(user) when the last is closed; then free with mw_fetcher_free. */
void mw_fetcher_close(struct mw_fetcher *f, void (*on_closed)(void *),
                      void *user);
void mw_fetcher_free(struct mw_fetcher *f);

/* Where a connection would go, as far as the policy cares. Loopback stays
 * on this machine; everything else not public reaches the networks around
 * it (cloud metadata at 169.254.169.254, routers, intranet services). */
enum mw_addr_class { MW_ADDR_PUBLIC, MW_ADDR_LOOPBACK, MW_ADDR_PRIVATE };
struct sockaddr;
/* The class of sa (IPv4, IPv6 with mapped and NAT64 forms read as the IPv4
 * inside; other families are private) and, in *what, static words for a
 * message ("loopback", "link-local", ...). */
enum mw_addr_class mw_fetch_classify(const struct sockaddr *sa,
                                     const char **what);

#endif
