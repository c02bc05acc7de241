/*
 * web_test_util.h: a live `mediawatch serve` for the web tests.
 *
 * wt_new builds a config by hand (tu_config_three of the store tests: three
 * outlets, four sources, topics 无废城市 and 垃圾分类; Asia/Shanghai; alert
 * deadlines; serve: 1 h sessions, 5 sign-in failures per 15 min), a
 * temporary store with the three users below, and a clock the test sets.
 * The test may then seed the store through wt->store (its own handle, on
 * the test's thread) and change wt->cfg, and start the server with
 * wt_listen on 127.0.0.1, port 0. wt_start does both at once.
 *
 * The HTTP helpers use libcurl on the test's thread, never a proxy, and
 * keep at most WT_BODY_MAX bytes of a reply body. Everything is failed
 * with cmocka's fail_msg on a setup error, so tests need not check.
 */
#ifndef MW_WEB_TEST_UTIL_H
#define MW_WEB_TEST_UTIL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/common.h"
#include "store/store.h"
#include "tests/store/store_test_util.h"
#include "web/web.h"

/* The users every server starts with. */
#define WT_VIEWER "wang" /* MW_ROLE_VIEWER */
#define WT_DUTY "li"     /* MW_ROLE_DUTY */
#define WT_ADMIN "zhao"  /* MW_ROLE_ADMIN */
#define WT_VIEWER_PASS "wang-secret-1"
#define WT_DUTY_PASS "li-secret-2"
#define WT_ADMIN_PASS "zhao-secret-3"

/* The clock starts here: Wednesday 2026-11-25 10:00 in Shanghai
 * (02:00 UTC), ISO week 2026-W48. */
#define WT_NOW INT64_C(1795572000)

#define WT_BODY_MAX (4u << 20)

struct wt {
  struct tu_config tc;
  struct mw_config *cfg; /* &tc.cfg: change before wt_listen */
  char *dir;             /* the temporary folder (removed by wt_free) */
  char *db;              /* the database file in it */
  struct mw_store *store; /* the test's own handle; open until wt_free */
  _Atomic int64_t now;   /* the server's clock (wt_set_now) */
  struct mw_web *web;    /* NULL until wt_listen */
  char base[64];         /* "http://127.0.0.1:PORT" */
};

/* A config, a store holding the three users, no server yet. */
struct wt *wt_new(void);
/* Starts the server over wt->db. */
void wt_listen(struct wt *w);
/* wt_new + wt_listen. */
struct wt *wt_start(void);
/* Stops the server (when started), closes the store, removes the folder.
 * NULL is fine. */
void wt_free(struct wt *w);

void wt_set_now(struct wt *w, int64_t t);
void wt_advance(struct wt *w, int64_t seconds);

/* A signed-in session: the cookie's value and the CSRF token. */
struct wt_session {
  char token[80]; /* the mw_session cookie's value */
  char csrf[80];
};

/* One HTTP exchange. */
struct wt_req {
  const char *method;   /* NULL: "GET", or "POST" when body is set */
  const char *path;     /* with the query string: "/api/alerts?open=1" */
  const struct wt_session *session; /* NULL: no cookie */
  const char *body;     /* NULL: none; sent as application/json */
  size_t body_len;      /* 0: strlen(body) */
  const char *content_type; /* NULL: "application/json" when body */
  /* The X-CSRF-Token header: csrf when set, else the session's token for
   * a method other than GET/HEAD unless no_csrf. */
  const char *csrf;
  bool no_csrf;
  const char *origin;   /* an Origin header; NULL: none */
  const char *extra_header; /* one more "Name: value"; NULL: none */
  long timeout_ms;      /* 0: 5000 */
};

/* A reply. Free with wt_reply_cleanup. */
struct wt_reply {
  long status;          /* 0 when the request failed (then error says) */
  char *headers;        /* every header line as received */
  char *body;           /* NUL-terminated, at most WT_BODY_MAX bytes */
  size_t body_len;
  char error[256];
};
void wt_reply_cleanup(struct wt_reply *r);
/* The value of header name in r (first one, case-insensitive name), copied
 * into buf without the line end; false when absent. */
bool wt_header(const struct wt_reply *r, const char *name, char *buf,
               size_t n);
/* Whether some header line is exactly "name: value" (name
 * case-insensitive, value compared as given), for repeated headers. */
bool wt_header_has(const struct wt_reply *r, const char *name,
                   const char *value);

/* Performs q against the server; *out is always filled (status 0 when no
 * reply came). Returns out->status. */
long wt_do(struct wt *w, const struct wt_req *q, struct wt_reply *out);
/* GET path with the session (may be NULL). */
long wt_get(struct wt *w, const char *path, const struct wt_session *s,
            struct wt_reply *out);
/* POST a JSON body with the session (may be NULL) and its CSRF token. */
long wt_post(struct wt *w, const char *path, const struct wt_session *s,
             const char *json, struct wt_reply *out);

/* For streams (the event stream): performs q and reads until the body
 * holds until (then closes the connection), or timeout_ms passed. Returns
 * the status (what came so far is in out->body either way). *found (may be
 * NULL) tells whether until came. */
long wt_stream(struct wt *w, const struct wt_req *q, const char *until,
               long timeout_ms, struct wt_reply *out, bool *found);

/* Signs in (POST /api/login); on 200 fills *s and returns 200, else returns
 * the status and leaves *s empty. */
long wt_login(struct wt *w, const char *name, const char *password,
              struct wt_session *s);
/* wt_login that must succeed (fails the test otherwise). */
void wt_login_ok(struct wt *w, const char *name, const char *password,
                 struct wt_session *s);

/* The body parsed as JSON (jansson json_t *, caller decrefs); fails the
 * test when it is not JSON. Declared void * to keep jansson out of this
 * header's users that do not want it. */
void *wt_json(const struct wt_reply *r);

#endif
