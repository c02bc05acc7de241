/*
 * test_crawler.c: the scheduler and the fetcher (crawler/crawler.c,
 * crawler/fetch.c) against the fixture server: what every transfer must
 * obey (robots.txt, schemes on redirects, redirect limits, the body
 * ceiling after decompression, the address policy of allow_loopback and
 * allow_private_addresses, redirects included), what the next poll is
 * after 503 + Retry-After, conditional GETs, pausing and resuming, and a
 * loop that closes with no handle left.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "crawler/crawler.h"
#include "tests/fixture/fixture.h"

#define N_MAX 16

struct outcome {
  bool seen;
  enum mw_fetch_status status;
  long http;
  char error[1024];
  char etag[256];
  char final_url[512];
  size_t body_len;
  int64_t retry_after;
};

struct harness {
  uv_loop_t loop;
  struct mw_crawler *c;
  struct mw_crawler_conf conf;
  struct mw_crawl_source src[N_MAX];
  char urls[N_MAX][512];
  struct outcome out[N_MAX];
  size_t n;
  int results;
  bool closed;
};

static void on_result(const struct mw_fetch_result *r, void *user) {
  struct harness *h = user;
  struct outcome *o = &h->out[r->source->id];
  assert_false(o->seen); /* exactly one result per source */
  o->seen = true;
  o->status = r->status;
  o->http = r->http_status;
  o->body_len = r->body_len;
  o->retry_after = r->retry_after_s;
  snprintf(o->error, sizeof o->error, "%s", r->error ? r->error : "");
  snprintf(o->etag, sizeof o->etag, "%s", r->etag ? r->etag : "");
  snprintf(o->final_url, sizeof o->final_url, "%s",
           r->final_url ? r->final_url : "");
  h->results++;
}

static void on_closed(void *user) { ((struct harness *)user)->closed = true; }

static void on_idle(void *user) {
  struct harness *h = user;
  mw_crawler_close(h->c, on_closed, h);
}

static void harness_init(struct harness *h, const char *base,
                         const char *const *paths) {
  memset(h, 0, sizeof *h);
  h->conf = (struct mw_crawler_conf){
      .user_agent = "mediawatch-test/1.0",
      .concurrency = 4,
      .per_host_concurrency = 2,
      .per_host_delay_ms = 0,
      .connect_timeout_ms = 2000,
      .timeout_ms = 10000,
      .low_speed_timeout_ms = 5000,
      .max_body_bytes = 100 * 1024,
      .max_redirects = 5,
      .jitter_pct = 0,
      .backoff_max_s = 3600,
      .respect_robots = true,
      .allow_loopback = true, /* the fixture, and nothing else private */
  };
  for (; paths[h->n]; h->n++) {
    snprintf(h->urls[h->n], sizeof h->urls[h->n], "%s%s", base, paths[h->n]);
    h->src[h->n] = (struct mw_crawl_source){
        .id = (int64_t)h->n, .url = h->urls[h->n], .interval_s = 600};
  }
}

/* Runs every source once and closes the crawler; the loop must end with
 * every handle closed. */
static void harness_run(struct harness *h) {
  struct mw_err err;
  assert_int_equal(uv_loop_init(&h->loop), 0);
  assert_int_equal(mw_crawler_new(&h->loop, &h->conf, on_result, h, &h->c, &err),
                   MW_OK);
  for (size_t i = 0; i < h->n; i++)
    assert_int_equal(mw_crawler_add(h->c, &h->src[i]), MW_OK);
  assert_int_equal(mw_crawler_run_once(h->c, on_idle, h), MW_OK);
  assert_int_equal(uv_run(&h->loop, UV_RUN_DEFAULT), 0);
  assert_true(h->closed);
  assert_int_equal(h->results, (int)h->n);
  assert_int_equal(uv_loop_close(&h->loop), 0); /* no handle left open */
  mw_crawler_free(h->c);
}

static struct mw_fixture *start_fixture(void) {
  char root[1024];
  const char *d = getenv("MW_TEST_DATA");
  snprintf(root, sizeof root, "%s/crawler/site", d ? d : "tests/data");
  struct mw_fixture_options o = {.root = root, .bind_addr = "127.0.0.1"};
  struct mw_fixture *f = NULL;
  struct mw_err err;
  if (mw_fixture_start(&o, &f, &err)) fail_msg("%s", err.msg);
  return f;
}

static void test_policies(void **state) {
  (void)state;
  struct mw_fixture *fx = start_fixture();
  const char *paths[] = {"/ok.xml",     "/busy.xml", "/toftp.xml",
                         "/loop.xml",   "/big.xml",  "/private/secret.xml",
                         "/moved.xml",  "/gone.xml", NULL};
  struct harness h;
  harness_init(&h, mw_fixture_base_url(fx), paths);
  int64_t before = (int64_t)time(NULL);
  harness_run(&h);

  struct outcome *o = h.out;
  assert_int_equal(o[0].status, MW_FETCH_OK);
  assert_int_equal(o[0].http, 200);
  assert_int_equal(o[0].body_len, 249);
  assert_true(o[0].etag[0] != '\0');
  assert_int_equal(h.src[0].failures, 0);
  assert_true(h.src[0].next_due >= before + 600);

  /* 503 with Retry-After: a failure, and the next poll no sooner. */
  assert_int_equal(o[1].status, MW_FETCH_FAILED);
  assert_int_equal(o[1].http, 503);
  assert_int_equal(o[1].retry_after, 120);
  assert_int_equal(h.src[1].failures, 1);
  assert_true(h.src[1].next_due >= before + 600);
  assert_non_null(strstr(o[1].error, "HTTP 503"));

  /* A redirect to another scheme is refused, not followed. */
  assert_int_equal(o[2].status, MW_FETCH_DENIED);
  assert_non_null(strstr(o[2].error, "scheme other than http or https"));
  /* A redirect loop stops at the limit. */
  assert_int_equal(o[3].status, MW_FETCH_FAILED);
  assert_non_null(strstr(o[3].error, "more than 5 redirects"));
  /* 220 KB once decompressed, over a 100 KB ceiling. */
  assert_int_equal(o[4].status, MW_FETCH_FAILED);
  assert_non_null(strstr(o[4].error, "larger than max_body"));
  /* robots.txt disallows /private/: never requested. */
  assert_int_equal(o[5].status, MW_FETCH_DENIED);
  assert_non_null(strstr(o[5].error, "disallowed by"));
  assert_int_equal(mw_fixture_requests(fx, "/private/secret.xml"), 0);
  assert_int_equal(mw_fixture_requests(fx, "/robots.txt"), 1);
  /* A permanent redirect is followed to the new address. */
  assert_int_equal(o[6].status, MW_FETCH_OK);
  assert_non_null(strstr(o[6].final_url, "/ok.xml"));
  assert_int_equal(o[7].status, MW_FETCH_FAILED);
  assert_int_equal(o[7].http, 404);
  mw_fixture_stop(fx);
}

static void test_conditional_get(void **state) {
  (void)state;
  struct mw_fixture *fx = start_fixture();
  const char *paths[] = {"/ok.xml", NULL};
  struct harness h;
  harness_init(&h, mw_fixture_base_url(fx), paths);
  harness_run(&h);
  assert_int_equal(h.out[0].status, MW_FETCH_OK);
  char etag[256];
  snprintf(etag, sizeof etag, "%s", h.out[0].etag);

  harness_init(&h, mw_fixture_base_url(fx), paths);
  h.src[0].etag = etag;
  harness_run(&h);
  assert_int_equal(h.out[0].status, MW_FETCH_NOT_MODIFIED);
  assert_int_equal(h.out[0].http, 304);
  assert_int_equal(mw_fixture_conditional_hits(fx, "/ok.xml"), 1);
  mw_fixture_stop(fx);
}

/* Neither switch: loopback is refused before a socket is opened, with the
 * address and the option that would allow it. */
static void test_private_address_refused(void **state) {
  (void)state;
  struct mw_fixture *fx = start_fixture();
  const char *paths[] = {"/ok.xml", NULL};
  struct harness h;
  harness_init(&h, mw_fixture_base_url(fx), paths);
  h.conf.allow_private = false;
  h.conf.allow_loopback = false;
  h.conf.respect_robots = false;
  harness_run(&h);
  assert_int_equal(h.out[0].status, MW_FETCH_DENIED);
  assert_non_null(strstr(h.out[0].error,
                         "address 127.0.0.1 is loopback; set crawler "
                         "allow_loopback (or allow_private_addresses) to "
                         "fetch it"));
  assert_int_equal(mw_fixture_requests(fx, NULL), 0);
  mw_fixture_stop(fx);
}

/* Redirects from the loopback fixture to addresses that are not public,
 * each with the reason expected (issue 9). */
static const struct {
  const char *path;
  const char *reason;
} redirects_refused[] = {
    {"/redirect/metadata.xml",
     "address 169.254.169.254 is link-local; set crawler "
     "allow_private_addresses to fetch it"},
    {"/redirect/ten.xml",
     "address 10.0.0.1 is private; set crawler allow_private_addresses"},
    {"/redirect/mapped.xml",
     "address ::ffff:192.168.0.1 is private; set crawler "
     "allow_private_addresses"},
    {"/redirect/rfc1918.xml", "address 172.16.0.1 is private;"},
    {"/redirect/cgnat.xml",
     "address 100.64.0.1 is shared (carrier-grade NAT);"},
    {"/redirect/zero.xml", "address 0.0.0.0 is in 0.0.0.0/8 (this host);"},
    {"/redirect/multicast.xml", "address 224.0.0.1 is multicast;"},
    {"/redirect/ula.xml", "address fd00::1 is private (unique local"},
    {"/redirect/linklocal6.xml", "address fe80::1 is link-local;"},
    {"/redirect/nat64.xml",
     "address 64:ff9b::a00:1 is a NAT64 address of a non-public IPv4"},
};
#define N_REFUSED (sizeof redirects_refused / sizeof redirects_refused[0])

/* allow_loopback alone: the loopback fixture is fetched (redirects on it
 * too), every redirect to another non-public address is refused when
 * curl opens the socket, before any connection, and a redirect to another
 * scheme is refused as ever. */
static void test_allow_loopback_only(void **state) {
  (void)state;
  struct mw_fixture *fx = start_fixture();
  const char *paths[N_REFUSED + 4];
  paths[0] = "/ok.xml";
  paths[1] = "/moved.xml";
  paths[2] = "/redirect/gopher.xml";
  for (size_t i = 0; i < N_REFUSED; i++)
    paths[3 + i] = redirects_refused[i].path;
  paths[N_REFUSED + 3] = NULL;
  struct harness h;
  harness_init(&h, mw_fixture_base_url(fx), paths);
  h.conf.allow_private = false;
  h.conf.allow_loopback = true;
  harness_run(&h);

  assert_int_equal(h.out[0].status, MW_FETCH_OK);
  assert_int_equal(h.out[0].body_len, 249);
  assert_int_equal(h.out[1].status, MW_FETCH_OK);
  assert_non_null(strstr(h.out[1].final_url, "/ok.xml"));
  assert_int_equal(h.out[2].status, MW_FETCH_DENIED);
  assert_non_null(strstr(h.out[2].error, "scheme other than http or https"));
  for (size_t i = 0; i < N_REFUSED; i++) {
    const struct outcome *o = &h.out[3 + i];
    if (o->status != MW_FETCH_DENIED || !strstr(o->error, h.urls[3 + i]) ||
        !strstr(o->error, redirects_refused[i].reason))
      fail_msg("%s: status %d, error '%s', expected '%s'",
               redirects_refused[i].path, (int)o->status, o->error,
               redirects_refused[i].reason);
    /* The hop on loopback was made; the next one never was. */
    assert_int_equal(mw_fixture_requests(fx, redirects_refused[i].path), 1);
    assert_int_equal(h.out[3 + i].http, 302);
  }
  mw_fixture_stop(fx);
}

/* allow_private_addresses alone covers loopback too. */
static void test_allow_private_includes_loopback(void **state) {
  (void)state;
  struct mw_fixture *fx = start_fixture();
  const char *paths[] = {"/ok.xml", "/moved.xml", NULL};
  struct harness h;
  harness_init(&h, mw_fixture_base_url(fx), paths);
  h.conf.allow_private = true;
  h.conf.allow_loopback = false;
  harness_run(&h);
  assert_int_equal(h.out[0].status, MW_FETCH_OK);
  assert_int_equal(h.out[0].body_len, 249);
  assert_int_equal(h.out[1].status, MW_FETCH_OK);
  assert_int_equal(mw_fixture_requests(fx, "/ok.xml"), 2);
  mw_fixture_stop(fx);
}

static void test_unreachable_host(void **state) {
  (void)state;
  const char *paths[] = {"/feed.xml", NULL};
  struct harness h;
  harness_init(&h, "http://127.0.0.1:1", paths);
  harness_run(&h);
  /* robots.txt cannot be fetched either: the source is refused with the
   * reason, and retried later rather than given up. */
  assert_true(h.out[0].status == MW_FETCH_DENIED ||
              h.out[0].status == MW_FETCH_FAILED);
  assert_non_null(strstr(h.out[0].error, "http://127.0.0.1:1/feed.xml"));
  assert_int_equal(h.src[0].failures, 1);
  assert_true(h.src[0].next_due > (int64_t)time(NULL));
}

/* Pages fetched on a source's behalf: same robots.txt, no effect on the
 * source's schedule, and the crawler is idle only once they are done. */
struct pages_run {
  struct mw_crawler *c;
  struct mw_crawl_source src;
  char url[512], page_ok[512], page_private[512];
  int polls, pages_ok, pages_denied;
  int markers[2];
};

static void on_pages_result(const struct mw_fetch_result *r, void *user) {
  struct pages_run *p = user;
  if (!r->page) {
    p->polls++;
    assert_int_equal(mw_crawler_fetch_page(p->c, r->source, p->page_ok,
                                           &p->markers[0]), MW_OK);
    assert_int_equal(mw_crawler_fetch_page(p->c, r->source, p->page_private,
                                           &p->markers[1]), MW_OK);
    assert_false(mw_crawler_is_idle(p->c));
    return;
  }
  assert_ptr_equal(r->source, &p->src);
  if (r->page == &p->markers[0]) {
    assert_int_equal(r->status, MW_FETCH_OK);
    p->pages_ok++;
  } else {
    assert_ptr_equal(r->page, &p->markers[1]);
    assert_int_equal(r->status, MW_FETCH_DENIED);
    p->pages_denied++;
  }
}

static void on_pages_idle(void *user) {
  struct pages_run *p = user;
  mw_crawler_close(p->c, NULL, NULL);
}

static void test_pages(void **state) {
  (void)state;
  struct mw_fixture *fx = start_fixture();
  struct harness h;
  const char *none[] = {NULL};
  harness_init(&h, mw_fixture_base_url(fx), none); /* for its settings */
  struct pages_run p = {0};
  snprintf(p.url, sizeof p.url, "%s/ok.xml", mw_fixture_base_url(fx));
  snprintf(p.page_ok, sizeof p.page_ok, "%s/moved.xml", mw_fixture_base_url(fx));
  snprintf(p.page_private, sizeof p.page_private, "%s/private/secret.xml",
           mw_fixture_base_url(fx));
  p.src = (struct mw_crawl_source){.id = 1, .url = p.url, .interval_s = 600};
  uv_loop_t loop;
  struct mw_err err;
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(mw_crawler_new(&loop, &h.conf, on_pages_result, &p, &p.c, &err),
                   MW_OK);
  assert_int_equal(mw_crawler_add(p.c, &p.src), MW_OK);
  assert_int_equal(mw_crawler_run_once(p.c, on_pages_idle, &p), MW_OK);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(p.polls, 1);
  assert_int_equal(p.pages_ok, 1);
  assert_int_equal(p.pages_denied, 1);
  assert_int_equal(p.src.failures, 0); /* a denied page is not the source's */
  assert_int_equal(mw_fixture_requests(fx, "/private/secret.xml"), 0);
  assert_int_equal(mw_fixture_requests(fx, "/ok.xml"), 2); /* poll + redirect */
  assert_int_equal(uv_loop_close(&loop), 0);
  mw_crawler_free(p.c);
  mw_fixture_stop(fx);
}

/* Backpressure: paused before the run, the crawler sends nothing, not even
 * robots.txt; paused from a result callback, the pages asked for there
 * wait; each resume starts what waited and the crawl completes. */
struct pause_run {
  uv_timer_t timer;
  struct mw_fixture *fx;
  struct mw_crawler *c;
  struct mw_crawl_source src;
  char url[512], page[3][512];
  int markers[3];
  int polls, pages, checks;
};

static void on_pause_result(const struct mw_fetch_result *r, void *user) {
  struct pause_run *p = user;
  assert_false(mw_crawler_is_paused(p->c));
  assert_int_equal(r->status, MW_FETCH_OK);
  if (r->page) {
    p->pages++;
    return;
  }
  p->polls++;
  mw_crawler_pause(p->c);
  mw_crawler_pause(p->c); /* idempotent */
  for (int i = 0; i < 3; i++)
    assert_int_equal(mw_crawler_fetch_page(p->c, r->source, p->page[i],
                                           &p->markers[i]), MW_OK);
}

static void on_pause_prepare(uv_timer_t *t);

/* Runs while paused: nothing may have started since the pause. */
static void on_pause_check(uv_timer_t *t) {
  struct pause_run *p = t->data;
  size_t done, active, queued;
  mw_crawler_progress(p->c, &done, &active, &queued);
  assert_true(mw_crawler_is_paused(p->c));
  assert_false(mw_crawler_is_idle(p->c));
  assert_int_equal(active, 0);
  if (p->checks++ == 0) {
    /* Paused before the run: the poll waits, robots.txt too. */
    assert_int_equal(queued, 1);
    assert_int_equal(done, 0);
    assert_int_equal(mw_fixture_requests(p->fx, NULL), 0);
  } else {
    /* Paused in the poll's callback: its three pages wait. */
    assert_int_equal(queued, 3);
    assert_int_equal(done, 1);
    assert_int_equal(p->pages, 0);
    assert_int_equal(mw_fixture_requests(p->fx, "/ok.xml"), 1);
    assert_int_equal(mw_fixture_requests(p->fx, "/robots.txt"), 1);
  }
  mw_crawler_resume(p->c);
  assert_false(mw_crawler_is_paused(p->c));
  mw_crawler_resume(p->c); /* a no-op when running */
  if (p->checks < 2) uv_timer_start(&p->timer, on_pause_prepare, 10, 0);
}

static void on_pause_idle(void *user) {
  struct pause_run *p = user;
  uv_close((uv_handle_t *)&p->timer, NULL);
  mw_crawler_close(p->c, NULL, NULL);
}

/* Checks the pause once the loop has had time to start anything it would. */
static void on_pause_prepare(uv_timer_t *t) {
  struct pause_run *p = t->data;
  if (mw_crawler_is_paused(p->c) && p->checks < 2)
    uv_timer_start(&p->timer, on_pause_check, 150, 0);
  else if (p->checks < 2)
    uv_timer_start(&p->timer, on_pause_prepare, 10, 0);
}

static void test_pause_resume(void **state) {
  (void)state;
  struct mw_fixture *fx = start_fixture();
  struct harness h;
  const char *none[] = {NULL};
  harness_init(&h, mw_fixture_base_url(fx), none); /* for its settings */
  struct pause_run p = {.fx = fx};
  snprintf(p.url, sizeof p.url, "%s/ok.xml", mw_fixture_base_url(fx));
  for (int i = 0; i < 3; i++)
    snprintf(p.page[i], sizeof p.page[i], "%s/ok.xml?page=%d",
             mw_fixture_base_url(fx), i);
  p.src = (struct mw_crawl_source){.id = 1, .url = p.url, .interval_s = 600};
  uv_loop_t loop;
  struct mw_err err;
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(mw_crawler_new(&loop, &h.conf, on_pause_result, &p, &p.c,
                                   &err), MW_OK);
  assert_int_equal(mw_crawler_add(p.c, &p.src), MW_OK);
  assert_false(mw_crawler_is_paused(p.c));
  mw_crawler_resume(p.c); /* never paused: nothing happens */
  mw_crawler_pause(p.c);
  assert_int_equal(mw_crawler_run_once(p.c, on_pause_idle, &p), MW_OK);
  assert_false(mw_crawler_is_idle(p.c));
  uv_timer_init(&loop, &p.timer);
  p.timer.data = &p;
  uv_timer_start(&p.timer, on_pause_prepare, 0, 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(p.checks, 2);
  assert_int_equal(p.polls, 1);
  assert_int_equal(p.pages, 3);
  assert_int_equal(mw_fixture_requests(fx, "/ok.xml"), 4);
  assert_int_equal(mw_fixture_requests(fx, "/robots.txt"), 1);
  assert_int_equal(uv_loop_close(&loop), 0);
  mw_crawler_free(p.c);
  mw_fixture_stop(fx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_policies),
      cmocka_unit_test(test_conditional_get),
      cmocka_unit_test(test_private_address_refused),
      cmocka_unit_test(test_allow_loopback_only),
      cmocka_unit_test(test_allow_private_includes_loopback),
      cmocka_unit_test(test_unreachable_host),
      cmocka_unit_test(test_pages),
      cmocka_unit_test(test_pause_resume),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
