/*
 * server.c: `mediawatch serve` on libmicrohttpd: start and stop, and the
 * path of every request from the socket to the reply.
 *
 * One thread per connection (a live event stream blocks only its own).
 * A request's body is read up to MW_WEB_BODY_MAX (beyond: 413); its route
 * is found (routes.c; 404, 405 with Allow); its session cookie is looked
 * up (auth.c) on a store handle borrowed from the pool (pool.c); what the
 * route's role and the CSRF check do not allow is refused (401, or 303 to
 * /login for a page; 403); then the handler runs with the handle (unless
 * the route needs none) and its reply gets the security headers (CSP per
 * reply kind, nosniff, no referrer, no framing, no caching unless the
 * handler says otherwise) before it is queued. A search-indexer thread
 * with a handle of its own keeps the full-text index up with what the
 * crawler stores, so the crawl path never pays for it, and recounts the
 * slow API answers kept (api_cache.c) before they expire.
 *
 * What it leaves to others: what each route answers (auth.c, sse.c,
 * metrics.c, api_*.c, page_*.c), the route table (routes*.c).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "web/api_args.h" /* mw_web_api_cache_refresh */
#include "web/web_int.h"

#define INDEX_EVERY_S 2
#define INDEX_BATCH 2000

static const char CSP_PAGE[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src "
    "'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'";
static const char CSP_REPORT[] =
    "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri "
    "'none'; frame-ancestors 'none'";
static const char CSP_API[] = "default-src 'none'; frame-ancestors 'none'";

/* The server with what only this file sees. */
struct server {
  struct mw_web w; /* first: a struct mw_web * is a struct server * */
  /* The search indexer. */
  pthread_t indexer;
  bool indexer_running;
  pthread_mutex_t ix_lock;
  pthread_cond_t ix_wake;
  bool ix_stop;
  bool ix_failing; /* the last indexing round failed (said once) */
  struct mw_store *ix_store;
};

/* What a connection's request gathers before it is answered. */
struct conn_ctx {
  struct mw_buf body;
  bool too_big;
};

static int64_t clock_now(const struct mw_web *w) {
  return w->now ? w->now(w->now_ctx) : (int64_t)time(NULL);
}

/* --------------------------------------------------------- the replies */

static bool wants_json(const char *path) {
  return strncmp(path, "/api/", 5) == 0 || strcmp(path, "/metrics") == 0;
}

/* A refusal: JSON under /api/, a small page elsewhere. */
static void refuse(struct mw_web_resp *o, const char *path, unsigned status,
                   const char *code, const char *msg) {
  if (wants_json(path)) {
    mw_web_reply_error(o, status, code, "%s", msg);
    o->csp = MW_CSP_API;
    return;
  }
  mw_buf_reset(&o->body);
  mw_buf_printf(&o->body,
                "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta "
                "charset=\"utf-8\"><title>%u</title></head><body><h1>%u</h1>"
                "<p>",
                status, status);
  mw_web_html(&o->body, msg);
  mw_buf_puts(&o->body, "</p><p><a href=\"/\">返回首页</a></p></body></html>\n");
  o->status = status;
  o->type = "text/html; charset=utf-8";
  o->csp = MW_CSP_PAGE;
}

/* 303 to the sign-in page, coming back to path (a local path only). */
static void to_login(struct mw_web_resp *o, const char *path) {
  struct mw_buf loc;
  mw_buf_init(&loc, 2048);
  mw_buf_puts(&loc, "/login?next=");
  if (path[0] != '/' || path[1] == '/' || path[1] == '\\') path = "/";
  static const char hexd[] = "0123456789ABCDEF";
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    if (mw_ascii_isalpha(*p) || mw_ascii_isdigit(*p) || *p == '/' ||
        *p == '-' || *p == '.' || *p == '_' || *p == '~') {
      if (mw_buf_putc(&loc, (char)*p)) break;
    } else {
      char e[3] = {'%', hexd[*p >> 4], hexd[*p & 15]};
      if (mw_buf_append(&loc, e, 3)) break;
    }
  }
  if (loc.data) mw_web_resp_header(o, MHD_HTTP_HEADER_LOCATION, loc.data);
  mw_buf_cleanup(&loc);
  mw_buf_reset(&o->body);
  o->status = 303;
  o->type = "text/plain; charset=utf-8";
}

/* "GET, HEAD, POST" as far as path answers them. */
static void allow_header(struct mw_web_resp *o, const char *path) {
  bool ok;
  bool get = mw_web_route_find("GET", path, &ok) != NULL;
  bool post = mw_web_route_find("POST", path, &ok) != NULL;
  mw_web_resp_header(o, MHD_HTTP_HEADER_ALLOW,
                     get && post ? "GET, HEAD, POST"
                     : get       ? "GET, HEAD"
                                 : "POST");
}

static bool has_header(const struct mw_web_resp *o, const char *name) {
  for (size_t i = 0; i < o->n_headers; i++)
    if (mw_ascii_casecmp(o->hname[i], name) == 0) return true;
  return false;
}

static enum MHD_Result queue(struct mw_web *w, struct MHD_Connection *conn,
                             const char *path, struct mw_web_resp *o) {
  struct MHD_Response *resp = o->stream;
  o->stream = NULL;
  if (!resp) {
    size_t len = o->body.len;
    char *data = mw_buf_steal(&o->body);
    if (!data) return MHD_NO;
    resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
      free(data);
      return MHD_NO;
    }
  }
  const char *type = o->type;
  if (!type)
    type = wants_json(path) ? "application/json; charset=utf-8"
                            : "text/html; charset=utf-8";
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
  for (size_t i = 0; i < o->n_headers; i++)
    MHD_add_response_header(resp, o->hname[i], o->hvalue[i]);
  const char *csp = o->csp == MW_CSP_REPORT ? CSP_REPORT
                    : o->csp == MW_CSP_API  ? CSP_API
                                            : CSP_PAGE;
  MHD_add_response_header(resp, "Content-Security-Policy", csp);
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(resp, "X-Frame-Options", "DENY");
  if (!has_header(o, MHD_HTTP_HEADER_CACHE_CONTROL))
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  unsigned status = o->status ? o->status : 200;
  if (status >= 500)
    atomic_fetch_add(&w->replies_5xx, 1);
  else if (status >= 400)
    atomic_fetch_add(&w->replies_4xx, 1);
  enum MHD_Result rc = MHD_queue_response(conn, status, resp);
  MHD_destroy_response(resp);
  return rc;
}

static void resp_cleanup(struct mw_web_resp *o) {
  mw_buf_cleanup(&o->body);
  for (size_t i = 0; i < o->n_headers; i++) free(o->hvalue[i]);
  o->n_headers = 0;
  if (o->stream) MHD_destroy_response(o->stream);
  o->stream = NULL;
}

/* A path fit for the error log: printable ASCII, bounded. */
static void log_failure(const char *method, const char *path, int rc) {
  char p[201];
  size_t i = 0;
  for (; path[i] && i < sizeof p - 1; i++) {
    unsigned char c = (unsigned char)path[i];
    p[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
  }
  p[i] = '\0';
  fprintf(stderr, "mediawatch serve: %s %s failed: %s\n", method, p,
          mw_strerror(rc));
}

/* ------------------------------------------------------- the requests */

static void client_address(struct MHD_Connection *conn, char *out,
                           size_t n) {
  snprintf(out, n, "unknown");
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (!ci || !ci->client_addr) return;
  const struct sockaddr *sa = ci->client_addr;
  if (sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out,
              (socklen_t)n);
  else if (sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
              (socklen_t)n);
}

static bool is_safe_method(const char *m) {
  return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
}

/* Checks a found route's conditions and runs its handler into o. */
static void dispatch(struct mw_web *w, const struct mw_web_route *route,
                     struct mw_web_req *r, struct mw_web_resp *o) {
  bool needs_store = !route->no_store || route->min_role > 0;
  struct mw_web_user user;
  if (needs_store) r->store = mw_web_pool_take(w->pool);
  bool found = false;
  int rc = r->store ? mw_web_auth_lookup(r, &user, &found) : MW_OK;
  if (rc) {
    log_failure(r->method, r->path, rc);
    refuse(o, r->path, 500, "internal", "the store failed");
    goto done;
  }
  r->user = found ? &user : NULL;
  if (route->min_role > 0 && !r->user) {
    if (route->page)
      to_login(o, r->path);
    else
      refuse(o, r->path, 401, "unauthorized", "sign in first");
    goto done;
  }
  if (r->user && (int)r->user->role < route->min_role) {
    refuse(o, r->path, 403, "forbidden",
           "your role may not do this; ask an administrator");
    goto done;
  }
  if (!is_safe_method(r->method) && !route->no_csrf &&
      !mw_web_auth_csrf_ok(r)) {
    refuse(o, r->path, 403, "csrf",
           "the request lacks this session's X-CSRF-Token or comes from "
           "another site; reload the page");
    goto done;
  }
  if (route->no_store && r->store) {
    mw_web_pool_give(w->pool, r->store);
    r->store = NULL;
  }
  o->csp = wants_json(r->path) ? MW_CSP_API : MW_CSP_PAGE;
  rc = route->fn(r, o);
  if (rc != MW_OK && o->status == 0) {
    log_failure(r->method, r->path, rc);
    resp_cleanup(o);
    mw_buf_init(&o->body, MW_WEB_REPLY_MAX);
    refuse(o, r->path, 500, "internal",
           "the server failed; the error is in its log");
  }
done:
  if (r->store) mw_web_pool_give(w->pool, r->store);
  r->store = NULL;
  r->user = NULL;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn,
                              const char *url, const char *method,
                              const char *version, const char *upload,
                              size_t *upload_size, void **con_cls) {
  struct mw_web *w = cls;
  (void)version;
  struct conn_ctx *ctx = *con_cls;
  if (!ctx) {
    ctx = calloc(1, sizeof *ctx);
    if (!ctx) return MHD_NO;
    mw_buf_init(&ctx->body, MW_WEB_BODY_MAX);
    *con_cls = ctx;
    /* A body announced too big is refused before it is read. */
    const char *cl = MHD_lookup_connection_value(
        conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    int64_t len;
    if (!cl || strnlen(cl, 21) > 20 ||
        mw_parse_int64(cl, 0, INT64_MAX, &len) ||
        len <= (int64_t)MW_WEB_BODY_MAX)
      return MHD_YES;
    ctx->too_big = true;
  } else if (*upload_size) {
    if (!ctx->too_big &&
        mw_buf_append(&ctx->body, upload, *upload_size) != MW_OK)
      ctx->too_big = true;
    *upload_size = 0;
    return MHD_YES;
  }

  atomic_fetch_add(&w->requests, 1);
  struct mw_web_req r = {.web = w,
                         .conn = conn,
                         .method = method,
                         .path = url,
                         .body = ctx->body.data ? ctx->body.data : "",
                         .body_len = ctx->body.len,
                         .now = clock_now(w)};
  client_address(conn, r.client, sizeof r.client);
  struct mw_web_resp o = {0};
  mw_buf_init(&o.body, MW_WEB_REPLY_MAX);
  o.csp = wants_json(url) ? MW_CSP_API : MW_CSP_PAGE;
  bool method_ok = true;
  const struct mw_web_route *route = mw_web_route_find(method, url, &method_ok);
  if (ctx->too_big) {
    refuse(&o, url, 413, "too_big", "the request body is too large");
  } else if (!route && method_ok) {
    refuse(&o, url, 404, "not_found", "no such page");
  } else if (!route) {
    allow_header(&o, url);
    refuse(&o, url, 405, "method", "this method is not allowed here");
  } else {
    dispatch(w, route, &r, &o);
  }
  enum MHD_Result rc = queue(w, conn, url, &o);
  resp_cleanup(&o);
  return rc;
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode toe) {
  (void)cls, (void)conn, (void)toe;
  struct conn_ctx *ctx = *con_cls;
  if (!ctx) return;
  mw_buf_cleanup(&ctx->body);
  free(ctx);
  *con_cls = NULL;
}

/* ---------------------------------------------------- the search index */

/* Slow API answers people keep asking for are counted again before they
 * expire (api_cache.c), on this thread's handle, so no request waits for
 * a recount; between index batches too, so a long catch-up does not let
 * them lapse. */
static void refresh_answers(struct server *s) {
  mw_web_api_cache_refresh(&s->w, s->ix_store, clock_now(&s->w));
}

static void index_pending(struct server *s) {
  struct mw_err err = {0};
  for (;;) {
    pthread_mutex_lock(&s->ix_lock);
    bool stop = s->ix_stop;
    pthread_mutex_unlock(&s->ix_lock);
    if (stop) return;
    int64_t pending = 0;
    if (mw_store_search_pending(s->ix_store, &pending, &err) || pending <= 0)
      return;
    size_t n = 0;
    if (mw_store_search_index(s->ix_store, INDEX_BATCH, &n, &err)) {
      /* Said once per failure spell: the next round tries again. */
      if (!s->ix_failing)
        fprintf(stderr, "mediawatch: search index: %s; retrying\n", err.msg);
      s->ix_failing = true;
      return;
    }
    s->ix_failing = false;
    if (n == 0) return;
    atomic_fetch_add(&s->w.search_indexed, n);
    refresh_answers(s);
  }
}

static void *indexer_main(void *arg) {
  struct server *s = arg;
  for (;;) {
    index_pending(s);
    refresh_answers(s);
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += INDEX_EVERY_S;
    pthread_mutex_lock(&s->ix_lock);
    while (!s->ix_stop &&
           pthread_cond_timedwait(&s->ix_wake, &s->ix_lock, &until) == 0) {
    }
    bool stop = s->ix_stop;
    pthread_mutex_unlock(&s->ix_lock);
    if (stop) return NULL;
  }
}

/* ---------------------------------------------------- start and stop */

/* "ADDR:PORT" or "[V6]:PORT" into a socket address. */
static int parse_listen(const char *listen, struct sockaddr_storage *ss,
                        bool *v6, struct mw_err *err) {
  char host[64];
  const char *colon = strrchr(listen, ':');
  size_t hn = colon ? (size_t)(colon - listen) : 0;
  int64_t port;
  if (!colon || hn == 0 || hn >= sizeof host ||
      mw_parse_int64(colon + 1, 0, 65535, &port))
    goto bad;
  memcpy(host, listen, hn);
  host[hn] = '\0';
  memset(ss, 0, sizeof *ss);
  if (host[0] == '[' && host[hn - 1] == ']') {
    host[hn - 1] = '\0';
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1) goto bad;
    a->sin6_family = AF_INET6;
    a->sin6_port = htons((uint16_t)port);
    *v6 = true;
    return MW_OK;
  }
  struct sockaddr_in *a = (struct sockaddr_in *)ss;
  if (inet_pton(AF_INET, host, &a->sin_addr) != 1) goto bad;
  a->sin_family = AF_INET;
  a->sin_port = htons((uint16_t)port);
  *v6 = false;
  return MW_OK;
bad:
  return mw_err_set(err, MW_EINVAL,
                    "serve: listen address '%.80s' is not ADDRESS:PORT "
                    "(such as 127.0.0.1:8080 or [::1]:8080)",
                    listen);
}

int mw_web_start(const struct mw_web_options *o, struct mw_web **out,
                 struct mw_err *err) {
  *out = NULL;
  if (!o || !o->cfg || !o->cfg->storage_path)
    return mw_err_set(err, MW_EINVAL, "serve: no storage path configured");
  const char *listen = o->listen ? o->listen : o->cfg->serve.listen;
  if (!listen) listen = "127.0.0.1:8080";
  struct sockaddr_storage ss;
  bool v6 = false;
  int rc = parse_listen(listen, &ss, &v6, err);
  if (rc) return rc;

  struct server *s = calloc(1, sizeof *s);
  if (!s) return mw_err_set(err, MW_ENOMEM, "serve: out of memory");
  struct mw_web *w = &s->w;
  w->cfg = o->cfg;
  w->now = o->now;
  w->now_ctx = o->now_ctx;
  w->loop_lag_us = o->loop_lag_us;
  w->loop_lag_ctx = o->loop_lag_ctx;
  pthread_mutex_init(&w->alerts_lock, NULL);
  pthread_mutex_init(&s->ix_lock, NULL);
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&s->ix_wake, &ca);
  pthread_condattr_destroy(&ca);

  rc = mw_web_pool_open(o->cfg->storage_path, MW_WEB_STORES, &w->pool, err);
  if (!rc) rc = mw_store_open(o->cfg->storage_path, &s->ix_store, err);
  if (!rc && mw_web_limiter_new(&w->limiter))
    rc = mw_err_set(err, MW_ENOMEM, "serve: out of memory");
  if (!rc) rc = mw_web_hub_new(w, &w->hub, err);
  if (!rc) rc = mw_alerts_new(o->cfg, &w->alerts, err);
  if (rc) goto fail;

  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD |
                   MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL;
  if (v6) flags |= MHD_USE_IPv6;
  w->daemon = MHD_start_daemon(
      flags, 0, NULL, NULL, answer, w, MHD_OPTION_SOCK_ADDR,
      (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT,
      (unsigned)MW_WEB_CONN_MAX, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
      (unsigned)MW_WEB_CONN_PER_IP, MHD_OPTION_CONNECTION_TIMEOUT,
      (unsigned)MW_WEB_IDLE_S, MHD_OPTION_NOTIFY_COMPLETED, completed, w,
      MHD_OPTION_END);
  if (!w->daemon) {
    rc = mw_err_set(err, MW_EIO,
                    "serve: cannot listen on %.80s (address in use, or not "
                    "an address of this machine?)",
                    listen);
    goto fail;
  }
  const union MHD_DaemonInfo *di =
      MHD_get_daemon_info(w->daemon, MHD_DAEMON_INFO_BIND_PORT);
  w->port = di ? di->port : 0;
  char host[64];
  const char *colon = strrchr(listen, ':');
  size_t hn = (size_t)(colon - listen);
  memcpy(host, listen, hn);
  host[hn] = '\0';
  snprintf(w->url, sizeof w->url, "http://%s:%u", host, (unsigned)w->port);

  if (pthread_create(&s->indexer, NULL, indexer_main, s) == 0)
    s->indexer_running = true;
  *out = w;
  return MW_OK;
fail:
  mw_web_stop(w);
  return rc;
}

uint16_t mw_web_port(const struct mw_web *w) { return w ? w->port : 0; }

const char *mw_web_url(const struct mw_web *w) { return w ? w->url : ""; }

void mw_web_stop(struct mw_web *w) {
  if (!w) return;
  struct server *s = (struct server *)w;
  /* Streams first: they return at once, so stopping the daemon (which
   * joins every connection thread) does not wait for their polls. */
  mw_web_hub_stop(w->hub);
  if (w->daemon) MHD_stop_daemon(w->daemon);
  if (s->indexer_running) {
    pthread_mutex_lock(&s->ix_lock);
    s->ix_stop = true;
    pthread_cond_broadcast(&s->ix_wake);
    pthread_mutex_unlock(&s->ix_lock);
    pthread_join(s->indexer, NULL);
  }
  mw_store_close(s->ix_store);
  mw_web_hub_free(w->hub);
  mw_web_limiter_free(w->limiter);
  mw_alerts_free(w->alerts);
  mw_web_pool_close(w->pool);
  pthread_cond_destroy(&s->ix_wake);
  pthread_mutex_destroy(&s->ix_lock);
  pthread_mutex_destroy(&w->alerts_lock);
  free(s);
}
