/*
 * sse.c: the live alert stream (GET /api/events, Server-Sent Events) and
 * the hub that wakes it.
 *
 * Each stream is a libmicrohttpd response read by a callback on the
 * connection's own thread (thread per connection: a stream blocks nobody
 * else). The callback sleeps on the hub's condition variable for at most
 * POLL_MS, then borrows a store handle and sends the alert events stored
 * after the last one it sent, each with its alert: a change made in this
 * process wakes it at once (mw_web_hub_kick), one made by another process
 * (the crawler's alerts engine) is found by the next poll. A comment line
 * every KEEPALIVE_S keeps proxies from closing an idle stream and finds a
 * client that went away. Resuming: the browser sends Last-Event-ID after a
 * reconnect; ?after=ID does the same for other clients; without either the
 * stream starts after the newest event.
 *
 * What it leaves to others: the session check (server.c), the alert's JSON
 * (json.c), the events themselves (alerts/ writes them).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web/web_int.h"

#define POLL_MS 500
#define KEEPALIVE_S 15
#define EVENTS_PER_POLL 50
#define STREAM_BUF_MAX (8u << 20)
#define STREAM_BLOCK 4096

struct mw_web_hub {
  struct mw_web *w;
  pthread_mutex_t lock;
  pthread_cond_t wake;
  uint64_t gen;  /* bumped by every kick */
  bool stopping;
};

struct stream {
  struct mw_web_hub *hub;
  int64_t last_id;      /* the last event sent */
  uint64_t gen_seen;
  bool more;            /* the last poll was full: poll again at once */
  struct timespec last_write; /* monotonic */
  struct mw_buf out;    /* what is still to be sent, from off */
  size_t off;
};

int mw_web_hub_new(struct mw_web *w, struct mw_web_hub **out,
                   struct mw_err *err) {
  struct mw_web_hub *h = calloc(1, sizeof *h);
  if (!h) return mw_err_set(err, MW_ENOMEM, "serve: out of memory");
  h->w = w;
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&h->wake, &ca);
  pthread_condattr_destroy(&ca);
  pthread_mutex_init(&h->lock, NULL);
  *out = h;
  return MW_OK;
}

void mw_web_hub_kick(struct mw_web_hub *h) {
  if (!h) return;
  pthread_mutex_lock(&h->lock);
  h->gen++;
  pthread_cond_broadcast(&h->wake);
  pthread_mutex_unlock(&h->lock);
}

void mw_web_hub_stop(struct mw_web_hub *h) {
  if (!h) return;
  pthread_mutex_lock(&h->lock);
  h->stopping = true;
  pthread_cond_broadcast(&h->wake);
  pthread_mutex_unlock(&h->lock);
}

void mw_web_hub_free(struct mw_web_hub *h) {
  if (!h) return;
  mw_web_hub_stop(h);
  pthread_cond_destroy(&h->wake);
  pthread_mutex_destroy(&h->lock);
  free(h);
}

static bool hub_stopping(struct mw_web_hub *h) {
  pthread_mutex_lock(&h->lock);
  bool s = h->stopping;
  pthread_mutex_unlock(&h->lock);
  return s;
}

/* ------------------------------------------------------------- streams */

static double mono_since(const struct timespec *t) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - t->tv_sec) +
         (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* Sleeps until a kick, the stop, or POLL_MS. */
static void wait_for_news(struct stream *s) {
  struct mw_web_hub *h = s->hub;
  struct timespec until;
  clock_gettime(CLOCK_MONOTONIC, &until);
  until.tv_nsec += (long)POLL_MS * 1000000L;
  if (until.tv_nsec >= 1000000000L) {
    until.tv_sec++;
    until.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&h->lock);
  while (h->gen == s->gen_seen && !h->stopping) {
    if (pthread_cond_timedwait(&h->wake, &h->lock, &until) != 0) break;
  }
  s->gen_seen = h->gen;
  pthread_mutex_unlock(&h->lock);
}

static json_t *event_json(const struct mw_web *w,
                          const struct mw_alert_event *e) {
  char at[32];
  mw_web_time_local(w, e->at, at, sizeof at);
  json_t *o = json_object();
  if (!o) return NULL;
  json_object_set_new(o, "id", json_integer(e->id));
  json_object_set_new(o, "alert_id", json_integer(e->alert_id));
  json_object_set_new(o, "action", e->action ? json_string(e->action)
                                             : json_null());
  json_object_set_new(o, "actor", e->actor ? json_string(e->actor)
                                           : json_null());
  json_object_set_new(o, "at", json_integer(e->at));
  json_object_set_new(o, "at_text", json_string(at));
  json_object_set_new(o, "from_state", e->from_state
                                           ? json_string(e->from_state)
                                           : json_null());
  json_object_set_new(o, "to_state", e->to_state ? json_string(e->to_state)
                                                 : json_null());
  json_object_set_new(o, "comment", e->comment ? json_string(e->comment)
                                               : json_null());
  return o;
}

/* Appends the events after s->last_id to s->out. */
static void poll_events(struct stream *s) {
  struct mw_web *w = s->hub->w;
  struct mw_store *st = mw_web_pool_take(w->pool);
  struct mw_alert_event *ev = NULL;
  size_t n = 0;
  struct mw_err err = {0};
  s->more = false;
  if (mw_store_alert_events_after(st, s->last_id, EVENTS_PER_POLL, &ev, &n,
                                  &err) == MW_OK) {
    for (size_t i = 0; i < n; i++) {
      struct mw_alert_rec a = {0};
      json_t *aj = NULL;
      if (mw_store_alert_get(st, ev[i].alert_id, &a, &err) == MW_OK)
        aj = mw_web_alert_json(w, &a);
      mw_alert_rec_cleanup(&a);
      json_t *o = json_pack("{s:o?, s:o?}", "event", event_json(w, &ev[i]),
                            "alert", aj);
      char *text = o ? json_dumps(o, JSON_COMPACT | JSON_ESCAPE_SLASH) : NULL;
      json_decref(o);
      if (text)
        mw_buf_printf(&s->out, "id: %lld\nevent: alert\ndata: %s\n\n",
                      (long long)ev[i].id, text);
      free(text);
      s->last_id = ev[i].id;
    }
    s->more = n == EVENTS_PER_POLL;
    mw_alert_events_free(ev, n);
  }
  mw_web_pool_give(w->pool, st);
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max) {
  struct stream *s = cls;
  (void)pos;
  for (;;) {
    if (s->off < s->out.len) {
      size_t n = s->out.len - s->off;
      if (n > max) n = max;
      memcpy(buf, s->out.data + s->off, n);
      s->off += n;
      return (ssize_t)n;
    }
    mw_buf_reset(&s->out);
    s->off = 0;
    if (hub_stopping(s->hub)) return MHD_CONTENT_READER_END_OF_STREAM;
    if (!s->more) wait_for_news(s);
    if (hub_stopping(s->hub)) return MHD_CONTENT_READER_END_OF_STREAM;
    poll_events(s);
    if (s->out.len == 0 && mono_since(&s->last_write) >= KEEPALIVE_S)
      mw_buf_puts(&s->out, ": keepalive\n\n");
    if (s->out.len) clock_gettime(CLOCK_MONOTONIC, &s->last_write);
  }
}

static void stream_free(void *cls) {
  struct stream *s = cls;
  atomic_fetch_sub(&s->hub->w->sse_clients, 1);
  mw_buf_cleanup(&s->out);
  free(s);
}

/* An event id from a header or argument: a whole number >= 0. */
static bool parse_id(const char *v, int64_t *out) {
  if (!v || strnlen(v, 21) > 20) return false;
  return mw_parse_int64(v, 0, INT64_MAX, out) == MW_OK;
}

int mw_web_api_events(struct mw_web_req *r, struct mw_web_resp *o) {
  struct mw_web *w = r->web;
  int64_t after = -1;
  const char *arg = mw_web_arg(r, "after");
  if (!parse_id(mw_web_header(r, "Last-Event-ID"), &after) && arg &&
      !parse_id(arg, &after))
    return mw_web_reply_error(o, 400, "invalid",
                              "after= takes an event id (a whole number)");
  if (hub_stopping(w->hub))
    return mw_web_reply_error(o, 503, "stopping", "the server is stopping");
  if (after < 0) {
    struct mw_store *st = mw_web_pool_take(w->pool);
    struct mw_err err = {0};
    int rc = mw_store_alert_event_last(st, &after, &err);
    mw_web_pool_give(w->pool, st);
    if (rc) return mw_web_reply_error(o, 500, "internal", "the store failed");
  }
  struct stream *s = calloc(1, sizeof *s);
  if (!s) return MW_ENOMEM;
  s->hub = w->hub;
  s->last_id = after;
  mw_buf_init(&s->out, STREAM_BUF_MAX);
  /* The browser waits 3 s before reconnecting; the first comment gets
   * the headers through buffering proxies at once. */
  mw_buf_puts(&s->out, "retry: 3000\n: keepalive\n\n");
  clock_gettime(CLOCK_MONOTONIC, &s->last_write);
  pthread_mutex_lock(&w->hub->lock);
  s->gen_seen = w->hub->gen;
  pthread_mutex_unlock(&w->hub->lock);
  atomic_fetch_add(&w->sse_clients, 1);
  o->stream = MHD_create_response_from_callback(
      MHD_SIZE_UNKNOWN, STREAM_BLOCK, stream_read, s, stream_free);
  if (!o->stream) {
    stream_free(s);
    return MW_ENOMEM;
  }
  o->status = 200;
  o->type = "text/event-stream; charset=utf-8";
  o->csp = MW_CSP_API;
  mw_web_resp_header(o, "X-Accel-Buffering", "no");
  return MW_OK;
}
