/*
 * web_int.h (private to web/): the server's state, the request and reply
 * every handler sees, the route table's shape, and the helpers shared by
 * the API handlers (api_*.c) and the pages (page_*.c).
 *
 * Flow: server.c accepts a request, reads a body of at most
 * MW_WEB_BODY_MAX, finds the route (routes.c), looks up the session
 * cookie (auth.c), refuses what the route's role or the CSRF check does
 * not allow, borrows a store handle from the pool, calls the handler, adds
 * the security headers and queues the reply. Handlers never write to the
 * connection themselves; the live alert stream (sse.c) hands the server a
 * streaming response instead of a body.
 */
#ifndef MW_WEB_INT_H
#define MW_WEB_INT_H

#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>

#include "alerts/alerts.h"
#include "report/report.h"
#include "store/store.h"
#include "web/web.h"

#define MW_WEB_BODY_MAX (64 * 1024) /* request bodies: JSON of a click */
#define MW_WEB_REPLY_MAX (64u << 20) /* a reply body (the HTML report) */
#define MW_WEB_STORES 4             /* store handles in the pool */
#define MW_WEB_CONN_MAX 256         /* connections at once */
#define MW_WEB_CONN_PER_IP 64
#define MW_WEB_IDLE_S 60            /* an idle connection is closed */
#define MW_WEB_COOKIE "mw_session"

struct mw_web_pool;    /* pool.c */
struct mw_web_limiter; /* limiter.c: sign-in attempts */
struct mw_web_hub;     /* sse.c: wakes the live streams */

struct mw_web {
  const struct mw_config *cfg;
  struct MHD_Daemon *daemon;
  uint16_t port;
  char url[96];
  int64_t (*now)(void *ctx);
  void *now_ctx;
  int64_t (*loop_lag_us)(void *ctx);
  void *loop_lag_ctx;
  struct mw_web_pool *pool;
  struct mw_web_limiter *limiter;
  struct mw_web_hub *hub;
  /* Workflow changes go through one alerts engine, one at a time. */
  pthread_mutex_t alerts_lock;
  struct mw_alerts *alerts;
  /* For /metrics. */
  atomic_uint_fast64_t requests;
  atomic_uint_fast64_t replies_4xx, replies_5xx;
  atomic_uint_fast64_t logins_failed;
  atomic_uint_fast64_t search_indexed;
  atomic_int sse_clients;
};

/* The signed-in user of a request. */
struct mw_web_user {
  int64_t id;
  char name[65];
  enum mw_user_role role;
  char csrf[65];
  char token_hash[65]; /* SHA-256 hex of the cookie's token */
};

struct mw_web_req {
  struct mw_web *web;
  struct MHD_Connection *conn;
  const char *method;  /* "GET", "POST", "HEAD" */
  const char *path;    /* decoded, without the query string */
  const char *body;    /* NUL-terminated; "" when none */
  size_t body_len;
  struct mw_store *store; /* borrowed for this request; NULL for static
                             files and the event stream */
  const struct mw_web_user *user; /* NULL: not signed in */
  int64_t now;
  char client[64];     /* the peer's address, for the sign-in limit */
};

#define MW_WEB_HEADERS_MAX 6
enum mw_web_csp {
  MW_CSP_PAGE,   /* our pages: scripts and styles from /static only */
  MW_CSP_REPORT, /* a report shown in the browser: its own inline style,
                    no script at all */
  MW_CSP_API     /* JSON, text: nothing may run or load */
};
struct mw_web_resp {
  unsigned status;         /* 200 unless set */
  const char *type;        /* Content-Type, a static string */
  struct mw_buf body;      /* ceiling MW_WEB_REPLY_MAX; the server frees */
  const char *hname[MW_WEB_HEADERS_MAX];
  char *hvalue[MW_WEB_HEADERS_MAX]; /* malloc'd by mw_web_resp_header */
  size_t n_headers;
  enum mw_web_csp csp;
  /* A streaming reply (the event stream) instead of body: the server
   * queues it and destroys it. */
  struct MHD_Response *stream;
};

/* A handler fills out and returns MW_OK, or returns an error code after
 * filling out with the error reply (mw_web_reply_error); a handler that
 * returns an error with out->status still 0 becomes a 500 whose message
 * is logged, not shown. */
typedef int (*mw_web_handler)(struct mw_web_req *r, struct mw_web_resp *out);

struct mw_web_route {
  const char *method;       /* "GET" also answers HEAD */
  const char *path;         /* exact; ending in '/' it is a prefix */
  int min_role;             /* 0: anyone; else enum mw_user_role */
  bool page;                /* signed out: 303 to /login, not 401 JSON */
  bool no_csrf;             /* POST that needs no CSRF token (sign-in) */
  bool no_store;            /* needs no store handle (static, events) */
  mw_web_handler fn;
};
/* The route tables, each ended by a row whose method is NULL: the
 * server's own (sign-in, events, metrics: routes.c), the API's
 * (routes_api.c) and the pages' (routes_pages.c). */
extern const struct mw_web_route mw_web_routes_core[];
extern const struct mw_web_route mw_web_routes_api[];
extern const struct mw_web_route mw_web_routes_pages[];
/* The route for method and path across the three tables (routes.c), NULL
 * when none; *method_ok false when the path exists under another method
 * (405). */
const struct mw_web_route *mw_web_route_find(const char *method,
                                             const char *path,
                                             bool *method_ok);

/* ------------------------------------------------- util.c: small helpers */

/* A query-string argument, NULL when absent. */
const char *mw_web_arg(const struct mw_web_req *r, const char *key);
/* A request header, NULL when absent. */
const char *mw_web_header(const struct mw_web_req *r, const char *name);
/* Sets the reply to j as JSON (steals j). */
int mw_web_reply_json(struct mw_web_resp *o, unsigned status, json_t *j);
/* Sets a JSON error reply {"error": code, "message": ...} and returns
 * MW_EINVAL (4xx) or MW_EIO (5xx), so a handler can `return` it. code is a
 * short stable word ("unauthorized", "forbidden", "csrf", "bad_json",
 * "not_found", "invalid", "conflict", "too_many", "internal"). */
int mw_web_reply_error(struct mw_web_resp *o, unsigned status,
                       const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Adds a header (name static, value copied). */
int mw_web_resp_header(struct mw_web_resp *o, const char *name,
                       const char *value);
/* The body parsed as a JSON object; NULL after setting a 400 reply naming
 * the line and column, or that an object was expected. Caller decrefs. */
json_t *mw_web_body_json(const struct mw_web_req *r, struct mw_web_resp *o);
/* "/api/alerts/12/ack" with prefix "/api/alerts/": *id 12, *rest "ack"
 * ("" when nothing follows). False when no positive id follows prefix. */
bool mw_web_path_id(const char *path, const char *prefix, int64_t *id,
                    const char **rest);
/* HTML-escapes s (NULL is empty) onto b: & < > " ' and control bytes. */
int mw_web_html(struct mw_buf *b, const char *s);
/* Escapes text carrying MW_SEARCH_MARK_OPEN/CLOSE, turning the marks into
 * <mark> and </mark> (balanced even when the marks are not). */
int mw_web_html_marked(struct mw_buf *b, const char *s);
/* t in the config's zone: "2026-11-25 14:03" (or "" for 0). */
void mw_web_time_local(const struct mw_web *w, int64_t t, char *buf,
                       size_t n);
/* Reads the period of a request: week=2026-W47 | month=2026-11 |
 * from=2026-11-01&to=2026-11-30 (inclusive days) | nothing: the week
 * holding now. MW_EINVAL with a message naming the argument. */
int mw_web_period(const struct mw_web_req *r, struct mw_report_period *p,
                  struct mw_err *err);
/* An alert as the API and the event stream show it: every stored field
 * with times as epoch seconds and local text, level_zh/state_zh/color. */
json_t *mw_web_alert_json(const struct mw_web *w, const struct mw_alert_rec *a);

/* ----------------------------------------------------- pool.c: store pool */

int mw_web_pool_open(const char *db_path, size_t n, struct mw_web_pool **out,
                     struct mw_err *err);
/* Waits for a free handle. */
struct mw_store *mw_web_pool_take(struct mw_web_pool *p);
void mw_web_pool_give(struct mw_web_pool *p, struct mw_store *s);
void mw_web_pool_close(struct mw_web_pool *p);

/* ------------------------------------------------ auth.c, limiter.c */

/* The user of the request's session cookie, NULL when none or expired
 * (slides the expiry at most once a minute). */
int mw_web_auth_lookup(struct mw_web_req *r, struct mw_web_user *out,
                       bool *found);
/* Whether a state-changing request carries the session's CSRF token in
 * X-CSRF-Token and, when sent, an Origin matching the Host. */
bool mw_web_auth_csrf_ok(const struct mw_web_req *r);

int mw_web_limiter_new(struct mw_web_limiter **out);
void mw_web_limiter_free(struct mw_web_limiter *l);
/* Seconds until key (an address or a name) may try again, 0 when now. */
int64_t mw_web_limiter_wait(struct mw_web_limiter *l, const char *key,
                            int64_t now, int64_t max_failures,
                            int64_t window_s);
void mw_web_limiter_fail(struct mw_web_limiter *l, const char *key,
                         int64_t now, int64_t window_s);
void mw_web_limiter_clear(struct mw_web_limiter *l, const char *key);

/* ---------------------------------------------------- sse.c: the hub */

int mw_web_hub_new(struct mw_web *w, struct mw_web_hub **out,
                   struct mw_err *err);
/* Wakes every stream to look for new events now (after a change made
 * here; changes made by another process are found by polling). */
void mw_web_hub_kick(struct mw_web_hub *h);
/* Tells every stream to end now, without freeing h (added by the core
 * helper): mw_web_stop calls it before stopping the daemon, which joins
 * the connection threads, so no stream still reads h when it is freed. */
void mw_web_hub_stop(struct mw_web_hub *h);
/* Ends every stream (stop), then frees. */
void mw_web_hub_free(struct mw_web_hub *h);

/* ----------------------------------------------------------- handlers */

/* auth.c */
int mw_web_api_login(struct mw_web_req *r, struct mw_web_resp *o);
int mw_web_api_logout(struct mw_web_req *r, struct mw_web_resp *o);
int mw_web_api_me(struct mw_web_req *r, struct mw_web_resp *o);
/* sse.c: GET /api/events */
int mw_web_api_events(struct mw_web_req *r, struct mw_web_resp *o);
/* metrics.c: GET /metrics */
int mw_web_metrics(struct mw_web_req *r, struct mw_web_resp *o);

/* api_coverage.c, api_search.c, api_alerts.c, api_sources.c,
 * api_report.c, api_users.c */
int mw_web_api_coverage(struct mw_web_req *r, struct mw_web_resp *o);
int mw_web_api_search(struct mw_web_req *r, struct mw_web_resp *o);
int mw_web_api_alerts(struct mw_web_req *r, struct mw_web_resp *o);
int mw_web_api_alert(struct mw_web_req *r, struct mw_web_resp *o);
int mw_web_api_alert_action(struct mw_web_req *r, struct mw_web_resp *o);
int mw_web_api_sources(struct mw_web_req *r, struct mw_web_resp *o);
int mw_web_api_report(struct mw_web_req *r, struct mw_web_resp *o);
int mw_web_api_users(struct mw_web_req *r, struct mw_web_resp *o);
int mw_web_api_user_add(struct mw_web_req *r, struct mw_web_resp *o);
int mw_web_api_user_remove(struct mw_web_req *r, struct mw_web_resp *o);

/* page_*.c and static.c */
int mw_web_page_login(struct mw_web_req *r, struct mw_web_resp *o);
int mw_web_page_overview(struct mw_web_req *r, struct mw_web_resp *o);
int mw_web_page_alerts(struct mw_web_req *r, struct mw_web_resp *o);
int mw_web_page_alert(struct mw_web_req *r, struct mw_web_resp *o);
int mw_web_page_search(struct mw_web_req *r, struct mw_web_resp *o);
int mw_web_page_sources(struct mw_web_req *r, struct mw_web_resp *o);
int mw_web_page_reports(struct mw_web_req *r, struct mw_web_resp *o);
int mw_web_static(struct mw_web_req *r, struct mw_web_resp *o);

/* page.c: the frame of every signed-in page (head with the CSRF token in
 * <meta name="csrf">, the nav with active marked, the user and sign-out),
 * and its end. Text is escaped here; title is plain text. */
int mw_web_page_begin(struct mw_buf *b, const struct mw_web_req *r,
                      const char *title, const char *active);
int mw_web_page_end(struct mw_buf *b, const struct mw_web_req *r);

#endif
