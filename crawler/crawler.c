/*
 * crawler.c: the scheduler between the sources and the fetcher. It decides
 * when each source is polled (its interval with jitter, backoff after
 * failures, Retry-After), holds a queue per host so no host sees more than
 * per_host_concurrency transfers at once nor two starts closer than its
 * minimum delay (or its robots.txt Crawl-delay), fetches and caches each
 * host's robots.txt before the first request to it, and keeps the global
 * number of transfers under the configured concurrency. A caller that
 * falls behind pauses it (mw_crawler_pause): queues keep filling, nothing
 * starts until it resumes.
 *
 * It hands every finished fetch to the caller's callback and keeps no
 * documents: parsing, matching and storing are the caller's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "crawler/fetch.h"

#define ROBOTS_TTL_S (24 * 3600)
#define ROBOTS_RETRY_S 600
#define ROBOTS_MAX_BYTES (512 * 1024)
#define CRAWL_DELAY_MAX_MS 60000

enum robots_state { ROBOTS_UNKNOWN, ROBOTS_FETCHING, ROBOTS_READY };

struct entry; /* a source's poll or a page */

struct host {
  char name[256];    /* "example.org:8080" */
  char origin[300];  /* "http://example.org:8080" */
  size_t active;     /* transfers in flight to this host */
  uint64_t last_start_ms;
  struct entry **queue; /* FIFO of sources waiting for this host */
  size_t q_head, q_len, q_cap;
  enum robots_state robots_state;
  struct mw_robots *robots; /* NULL = everything allowed */
  char robots_error[512];   /* robots.txt unreachable: deny with this */
  int64_t robots_expires;
  uv_timer_t delay_timer;
  bool delay_armed;
  bool in_ready_list;
  struct mw_crawler *c;
};

/* A source's poll, or a page fetched on a source's behalf (an article, a
 * listing's next page). Pages are freed once delivered; a busy listing
 * asks for thousands, so they carry no timer and hold their URL in the
 * same allocation. */
struct entry {
  struct mw_crawl_source *src;
  struct host *host;
  bool queued; /* waiting in its host's queue or in flight */
  struct mw_crawler *c;
  char *page_url;  /* pages only: just after the struct */
  void *page_user; /* pages only */
  struct entry *prev_page, *next_page; /* pages not yet delivered */
};

/* A source's poll: its entry and the timer that queues it when due. */
struct source_entry {
  struct entry e; /* first: the entry of a poll is its source_entry */
  uv_timer_t timer;
};

static uv_timer_t *timer_of(struct entry *e) {
  return &((struct source_entry *)e)->timer;
}

struct mw_crawler {
  uv_loop_t *loop;
  const struct mw_crawler_conf *conf;
  struct mw_fetcher *fetcher;
  mw_crawl_cb on_result;
  void *user;
  struct entry **entries;
  size_t n_entries, cap_entries;
  struct host **hosts;
  size_t n_hosts, cap_hosts;
  struct host **ready; /* hosts with queued work blocked by the global cap */
  size_t n_ready;
  size_t done, active;
  size_t pages_pending; /* page fetches queued or in flight */
  struct entry *pages;  /* the same, listed, so close can free them */
  bool once, daemon, closing;
  bool paused; /* mw_crawler_pause: start nothing until resumed */
  void (*on_idle)(void *);
  void *idle_user;
  size_t open_handles;
  void (*on_closed)(void *);
  void *closed_user;
  uint64_t rng;
};

static void dispatch(struct host *h);

/* xorshift64*: jitter only needs to spread polls, not to be secret. */
static double next_rand(struct mw_crawler *c) {
  c->rng ^= c->rng >> 12;
  c->rng ^= c->rng << 25;
  c->rng ^= c->rng >> 27;
  return (double)((c->rng * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static int64_t now_s(struct mw_crawler *c) {
  (void)c;
  return (int64_t)time(NULL);
}

/* ----------------------------------------------------------------- hosts */

static struct host *find_host(struct mw_crawler *c, const char *name) {
  for (size_t i = 0; i < c->n_hosts; i++)
    if (!strcmp(c->hosts[i]->name, name)) return c->hosts[i];
  return NULL;
}

static struct host *host_for(struct mw_crawler *c, const char *url,
                             struct mw_err *err) {
  char name[256];
  if (mw_url_host(url, name, sizeof name) != MW_OK)
    return mw_err_set(err, MW_EINVAL, "%s: not an http(s) URL with a host", url),
           NULL;
  struct host *h = find_host(c, name);
  if (h) return h;
  if (c->n_hosts == c->cap_hosts) {
    size_t cap = c->cap_hosts ? c->cap_hosts * 2 : 16;
    struct host **p = realloc(c->hosts, cap * sizeof *p);
    struct host **r = realloc(c->ready, cap * sizeof *r);
    if (p) c->hosts = p;
    if (r) c->ready = r;
    if (!p || !r) return mw_err_set(err, MW_ENOMEM, "out of memory"), NULL;
    c->cap_hosts = cap;
  }
  h = calloc(1, sizeof *h);
  if (!h) return mw_err_set(err, MW_ENOMEM, "out of memory"), NULL;
  snprintf(h->name, sizeof h->name, "%s", name);
  bool https = !mw_ascii_ncasecmp(url, "https:", 6);
  snprintf(h->origin, sizeof h->origin, "%s://%s", https ? "https" : "http",
           name);
  h->c = c;
  uv_timer_init(c->loop, &h->delay_timer);
  h->delay_timer.data = h;
  c->open_handles++;
  c->hosts[c->n_hosts++] = h;
  return h;
}

static int queue_push(struct host *h, struct entry *e) {
  if (h->q_len == h->q_cap) {
    size_t cap = h->q_cap ? h->q_cap * 2 : 8;
    struct entry **q = malloc(cap * sizeof *q);
    if (!q) return MW_ENOMEM;
    for (size_t i = 0; i < h->q_len; i++)
      q[i] = h->queue[(h->q_head + i) % h->q_cap];
    free(h->queue);
    h->queue = q;
    h->q_cap = cap;
    h->q_head = 0;
  }
  h->queue[(h->q_head + h->q_len) % h->q_cap] = e;
  h->q_len++;
  return MW_OK;
}

static struct entry *queue_pop(struct host *h) {
  struct entry *e = h->queue[h->q_head];
  h->q_head = (h->q_head + 1) % h->q_cap;
  h->q_len--;
  return e;
}

static void mark_ready(struct host *h) {
  if (h->in_ready_list) return;
  h->in_ready_list = true;
  h->c->ready[h->c->n_ready++] = h;
}

/* Hosts blocked only by the global cap get another chance when a slot
 * frees; first come, first served. */
static void kick_ready(struct mw_crawler *c) {
  while (!c->paused && c->n_ready &&
         c->active < (size_t)c->conf->concurrency) {
    struct host *h = c->ready[0];
    memmove(c->ready, c->ready + 1, (c->n_ready - 1) * sizeof *c->ready);
    c->n_ready--;
    h->in_ready_list = false;
    dispatch(h);
  }
}

/* ------------------------------------------------------------ outcomes */

static bool is_idle(const struct mw_crawler *c) {
  return c->done >= c->n_entries && c->pages_pending == 0;
}

static void check_idle(struct mw_crawler *c) {
  if (!c->once || c->closing || !c->on_idle) return;
  if (!is_idle(c)) return;
  void (*cb)(void *) = c->on_idle;
  c->on_idle = NULL;
  cb(c->idle_user);
}

static void on_source_timer(uv_timer_t *t);

static void reschedule(struct entry *e, int64_t retry_after_s) {
  struct mw_crawler *c = e->c;
  struct mw_crawl_source *s = e->src;
  int64_t now = now_s(c);
  s->next_due = mw_crawl_next_due(now, s->interval_s, s->failures,
                                  retry_after_s, c->conf->jitter_pct,
                                  c->conf->backoff_max_s, next_rand(c));
  if (c->daemon && !c->closing) {
    uint64_t ms = (uint64_t)(s->next_due - now) * 1000;
    uv_timer_start(timer_of(e), on_source_timer, ms, 0);
  }
}

/* Delivers an outcome to the caller and does the bookkeeping every outcome
 * shares, fetched or refused. */
static void deliver(struct entry *e, struct mw_fetch_result *res) {
  struct mw_crawler *c = e->c;
  struct mw_crawl_source *s = e->src;
  res->source = s;
  if (e->page_url) {
    /* A page's outcome says nothing of the source's schedule. */
    res->page = e->page_user;
    c->pages_pending--;
    if (e->prev_page) e->prev_page->next_page = e->next_page;
    else c->pages = e->next_page;
    if (e->next_page) e->next_page->prev_page = e->prev_page;
    c->on_result(res, c->user);
    free(e);
    return;
  }
  bool failed = res->status == MW_FETCH_FAILED || res->status == MW_FETCH_DENIED;
  s->failures = failed ? s->failures + 1 : 0;
  e->queued = false;
  c->done++;
  reschedule(e, res->retry_after_s);
  c->on_result(res, c->user);
}

static void deny(struct entry *e, const char *why) {
  struct mw_fetch_result res = {0};
  res.status = MW_FETCH_DENIED;
  res.error = why;
  res.final_url = e->page_url ? e->page_url : e->src->url;
  deliver(e, &res);
}

static void on_fetched(struct mw_fetch_result *res, void *user) {
  struct entry *e = user;
  struct host *h = e->host;
  struct mw_crawler *c = e->c;
  h->active--;
  c->active--;
  deliver(e, res);
  if (c->closing) return;
  dispatch(h);
  kick_ready(c);
  check_idle(c);
}

/* --------------------------------------------------------------- robots */

static void on_robots(struct mw_fetch_result *res, void *user) {
  struct host *h = user;
  struct mw_crawler *c = h->c;
  h->active--;
  c->active--;
  mw_robots_free(h->robots);
  h->robots = NULL;
  h->robots_error[0] = '\0';
  int64_t now = now_s(c);
  if (res->status == MW_FETCH_OK) {
    h->robots = mw_robots_parse(res->body, res->body_len,
                                c->conf->user_agent ? c->conf->user_agent
                                                    : "mediawatch");
    h->robots_expires = now + ROBOTS_TTL_S;
  } else if (res->status == MW_FETCH_FAILED && res->http_status >= 400 &&
             res->http_status < 500) {
    /* RFC 9309: an unavailable robots.txt (4xx) allows everything. */
    h->robots_expires = now + ROBOTS_TTL_S;
  } else {
    /* Unreachable (5xx, network): RFC 9309 says assume complete disallow;
     * try again soon rather than a day later. */
    snprintf(h->robots_error, sizeof h->robots_error,
             "robots.txt of %s unreachable (%s); not fetching until it "
             "answers",
             h->name, res->error ? res->error : "no answer");
    h->robots_expires = now + ROBOTS_RETRY_S;
  }
  h->robots_state = ROBOTS_READY;
  if (c->closing) return;
  dispatch(h);
  kick_ready(c);
  check_idle(c);
}

/* Starts the robots.txt fetch; true when the host must wait for it. */
static bool robots_pending(struct host *h) {
  struct mw_crawler *c = h->c;
  if (!c->conf->respect_robots) return false;
  if (h->robots_state == ROBOTS_FETCHING) return true;
  if (h->robots_state == ROBOTS_READY && now_s(c) < h->robots_expires)
    return false;
  char url[sizeof h->origin + 16];
  snprintf(url, sizeof url, "%s/robots.txt", h->origin);
  struct mw_err err;
  if (mw_fetcher_get(c->fetcher, url, NULL, NULL, on_robots, h, &err) != MW_OK) {
    /* Could not even start: treat as unreachable for now. */
    snprintf(h->robots_error, sizeof h->robots_error, "%s", err.msg);
    h->robots_state = ROBOTS_READY;
    h->robots_expires = now_s(c) + ROBOTS_RETRY_S;
    return false;
  }
  h->robots_state = ROBOTS_FETCHING;
  h->active++;
  c->active++;
  return true;
}

/* The path and query of an absolute URL, for robots matching. */
static const char *path_of(const char *url) {
  const char *p = strstr(url, "://");
  if (!p) return "/";
  p += 3;
  while (*p && *p != '/' && *p != '?') p++;
  return *p == '/' ? p : "/";
}

static uint64_t host_delay_ms(const struct host *h) {
  int64_t d = h->c->conf->per_host_delay_ms;
  if (h->robots) {
    int64_t rd = mw_robots_crawl_delay_ms(h->robots);
    if (rd > CRAWL_DELAY_MAX_MS) rd = CRAWL_DELAY_MAX_MS;
    if (rd > d) d = rd;
  }
  return (uint64_t)d;
}

static void on_delay_timer(uv_timer_t *t) {
  struct host *h = t->data;
  h->delay_armed = false;
  dispatch(h);
}

/* ------------------------------------------------------------ dispatch */

static void dispatch(struct host *h) {
  struct mw_crawler *c = h->c;
  /* Paused: the queue waits; mw_crawler_resume dispatches every host. */
  while (h->q_len && !c->closing && !c->paused) {
    if (robots_pending(h)) return;
    if (h->active >= (size_t)c->conf->per_host_concurrency) return;
    if (c->active >= (size_t)c->conf->concurrency) {
      mark_ready(h);
      return;
    }
    uint64_t now = uv_now(c->loop);
    uint64_t delay = host_delay_ms(h);
    if (h->last_start_ms && now - h->last_start_ms < delay) {
      if (!h->delay_armed) {
        h->delay_armed = true;
        uv_timer_start(&h->delay_timer, on_delay_timer,
                       delay - (now - h->last_start_ms), 0);
      }
      return;
    }
    struct entry *e = queue_pop(h);
    const char *url = e->page_url ? e->page_url : e->src->url;
    if (h->robots_error[0]) {
      char why[2048];
      snprintf(why, sizeof why, "%s: %s", url, h->robots_error);
      deny(e, why);
      continue;
    }
    if (h->robots && !mw_robots_allowed(h->robots, path_of(url))) {
      char why[1024];
      snprintf(why, sizeof why, "%s: disallowed by %s/robots.txt", url,
               h->origin);
      deny(e, why);
      continue;
    }
    struct mw_err err;
    /* Pages are fetched unconditionally: they are new by construction. */
    if (mw_fetcher_get(c->fetcher, url, e->page_url ? NULL : e->src->etag,
                       e->page_url ? NULL : e->src->last_modified, on_fetched,
                       e, &err) != MW_OK) {
      struct mw_fetch_result res = {0};
      res.status = err.code == MW_EDENIED ? MW_FETCH_DENIED : MW_FETCH_FAILED;
      res.error = err.msg;
      res.final_url = url;
      deliver(e, &res);
      continue;
    }
    h->active++;
    c->active++;
    h->last_start_ms = now;
  }
  check_idle(c);
}

static void enqueue(struct entry *e) {
  if (e->queued || e->c->closing) return;
  if (queue_push(e->host, e) != MW_OK) {
    deny(e, "out of memory queueing the source");
    return;
  }
  e->queued = true;
  dispatch(e->host);
}

static void on_source_timer(uv_timer_t *t) {
  struct entry *e = t->data;
  enqueue(e);
}

/* -------------------------------------------------------------- public */

int mw_crawler_new(void *uv_loop, const struct mw_crawler_conf *conf,
                   mw_crawl_cb on_result, void *user, struct mw_crawler **out,
                   struct mw_err *err) {
  struct mw_crawler *c = calloc(1, sizeof *c);
  if (!c) return mw_err_set(err, MW_ENOMEM, "out of memory");
  c->loop = uv_loop;
  c->conf = conf;
  c->on_result = on_result;
  c->user = user;
  c->rng = (uint64_t)uv_hrtime() | 1;
  int rc = mw_fetcher_new(uv_loop, conf, &c->fetcher, err);
  if (rc) {
    free(c);
    return rc;
  }
  *out = c;
  return MW_OK;
}

int mw_crawler_add(struct mw_crawler *c, struct mw_crawl_source *src) {
  struct mw_err err;
  struct host *h = host_for(c, src->url, &err);
  if (!h) return err.code;
  if (c->n_entries == c->cap_entries) {
    size_t cap = c->cap_entries ? c->cap_entries * 2 : 64;
    struct entry **p = realloc(c->entries, cap * sizeof *p);
    if (!p) return MW_ENOMEM;
    c->entries = p;
    c->cap_entries = cap;
  }
  struct source_entry *se = calloc(1, sizeof *se);
  if (!se) return MW_ENOMEM;
  struct entry *e = &se->e;
  e->src = src;
  e->host = h;
  e->c = c;
  uv_timer_init(c->loop, &se->timer);
  se->timer.data = e;
  c->open_handles++;
  c->entries[c->n_entries++] = e;
  return MW_OK;
}

int mw_crawler_run_once(struct mw_crawler *c, void (*on_idle)(void *user),
                        void *user) {
  c->once = true;
  for (size_t i = 0; i < c->n_entries; i++) enqueue(c->entries[i]);
  mw_crawler_when_idle(c, on_idle, user);
  return MW_OK;
}

void mw_crawler_when_idle(struct mw_crawler *c, void (*on_idle)(void *user),
                          void *user) {
  c->on_idle = on_idle;
  c->idle_user = user;
  check_idle(c);
}

bool mw_crawler_is_idle(const struct mw_crawler *c) { return is_idle(c); }

int mw_crawler_fetch_page(struct mw_crawler *c, struct mw_crawl_source *src,
                          const char *url, void *page_user) {
  if (c->closing) return MW_EINVAL;
  struct mw_err err;
  struct host *h = host_for(c, url, &err);
  if (!h) return err.code;
  size_t n = strlen(url);
  struct entry *e = malloc(sizeof *e + n + 1);
  if (!e) return MW_ENOMEM;
  *e = (struct entry){.src = src, .host = h, .c = c, .page_user = page_user};
  e->page_url = (char *)(e + 1);
  memcpy(e->page_url, url, n + 1);
  if (queue_push(h, e) != MW_OK) {
    free(e);
    return MW_ENOMEM;
  }
  e->queued = true;
  c->pages_pending++;
  e->next_page = c->pages;
  if (c->pages) c->pages->prev_page = e;
  c->pages = e;
  dispatch(h);
  return MW_OK;
}

void mw_crawler_pause(struct mw_crawler *c) { c->paused = true; }

void mw_crawler_resume(struct mw_crawler *c) {
  if (!c->paused) return;
  c->paused = false;
  if (c->closing) return;
  /* Hosts in the ready list are dispatched by kick_ready, in their order;
   * the rest in the order they were first seen. A dispatch may pause the
   * crawler again (its results are delivered synchronously when a request
   * is refused), so each step checks. */
  kick_ready(c);
  for (size_t i = 0; i < c->n_hosts && !c->paused && !c->closing; i++)
    if (c->hosts[i]->q_len && !c->hosts[i]->in_ready_list)
      dispatch(c->hosts[i]);
  check_idle(c);
}

bool mw_crawler_is_paused(const struct mw_crawler *c) { return c->paused; }

int mw_crawler_start(struct mw_crawler *c) {
  c->daemon = true;
  int64_t now = now_s(c);
  for (size_t i = 0; i < c->n_entries; i++) {
    struct entry *e = c->entries[i];
    int64_t due = e->src->next_due;
    uint64_t ms = due > now ? (uint64_t)(due - now) * 1000 : 0;
    /* Sources that are all due at start-up are spread over a few seconds
     * so a restart does not open every connection at once. */
    if (ms == 0) ms = (uint64_t)(next_rand(c) * 2000.0);
    uv_timer_start(timer_of(e), on_source_timer, ms, 0);
  }
  return MW_OK;
}

void mw_crawler_progress(const struct mw_crawler *c, size_t *done,
                         size_t *active, size_t *queued) {
  *done = c->done;
  *active = c->active;
  size_t q = 0;
  for (size_t i = 0; i < c->n_hosts; i++) q += c->hosts[i]->q_len;
  *queued = q;
}

static void handle_gone(struct mw_crawler *c) {
  c->open_handles--;
  if (c->open_handles == 0 && c->on_closed) {
    void (*cb)(void *) = c->on_closed;
    c->on_closed = NULL;
    cb(c->closed_user);
  }
}

/* At close, each timer's data is re-pointed at the crawler pointer held
 * by its entry or host, so one callback serves both. */
static void on_crawler_handle_closed(uv_handle_t *h) {
  handle_gone(*(struct mw_crawler **)h->data);
}

static void on_fetcher_closed(void *user) { handle_gone(user); }

void mw_crawler_close(struct mw_crawler *c, void (*on_closed)(void *user),
                      void *user) {
  c->closing = true;
  c->on_closed = on_closed;
  c->closed_user = user;
  /* The fetcher counts as one handle until it reports closed. */
  c->open_handles++;
  for (size_t i = 0; i < c->n_entries; i++) {
    struct entry *e = c->entries[i];
    uv_timer_stop(timer_of(e));
    timer_of(e)->data = &e->c;
    uv_close((uv_handle_t *)timer_of(e), on_crawler_handle_closed);
  }
  for (size_t i = 0; i < c->n_hosts; i++) {
    struct host *h = c->hosts[i];
    uv_timer_stop(&h->delay_timer);
    h->delay_timer.data = &h->c;
    uv_close((uv_handle_t *)&h->delay_timer, on_crawler_handle_closed);
  }
  mw_fetcher_close(c->fetcher, on_fetcher_closed, c);
}

void mw_crawler_free(struct mw_crawler *c) {
  if (!c) return;
  for (size_t i = 0; i < c->n_entries; i++) free(c->entries[i]);
  for (size_t i = 0; i < c->n_hosts; i++) {
    struct host *h = c->hosts[i];
    mw_robots_free(h->robots);
    free(h->queue);
    free(h);
  }
  /* Pages queued or in flight when the crawler closed: never delivered. */
  while (c->pages) {
    struct entry *e = c->pages;
    c->pages = e->next_page;
    free(e);
  }
  free(c->entries);
  free(c->hosts);
  free(c->ready);
  mw_fetcher_free(c->fetcher);
  free(c);
}
