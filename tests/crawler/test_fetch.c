/*
 * test_fetch.c: what crawler/fetch.c reports beyond the body, against the
 * fixture server: where a source has moved (moved_to: the target of the
 * leading 301/308 hops of a redirect chain, resolved, whatever the final
 * status) and how long the final response may be cached (max_age_s from
 * Cache-Control, on a 200 and on a 304, bounded to a day, 0 for no-cache
 * and no-store, s-maxage ignored).
 *
 * The site is written into a fresh temporary folder at run time, because
 * absolute Location headers must name the fixture's ephemeral port.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "crawler/crawler.h"
#include "tests/fixture/fixture.h"

#define N_MAX 24
#define FILES_MAX 64

struct outcome {
  bool seen;
  enum mw_fetch_status status;
  long http;
  char moved_to[512]; /* "" for NULL */
  bool moved;
  int64_t max_age;
  char etag[256];
  char final_url[512];
};

struct harness {
  uv_loop_t loop;
  struct mw_crawler *c;
  struct mw_crawler_conf conf;
  struct mw_crawl_source src[N_MAX];
  char urls[N_MAX][512];
  struct outcome out[N_MAX];
  size_t n;
  bool closed;
};

/* The temporary site. */
static char site[256];
static char files[FILES_MAX][512];
static size_t n_files;
static char base[128];

static void on_result(const struct mw_fetch_result *r, void *user) {
  struct harness *h = user;
  struct outcome *o = &h->out[r->source->id];
  assert_false(o->seen);
  o->seen = true;
  o->status = r->status;
  o->http = r->http_status;
  o->moved = r->moved_to != NULL;
  snprintf(o->moved_to, sizeof o->moved_to, "%s",
           r->moved_to ? r->moved_to : "");
  o->max_age = r->max_age_s;
  snprintf(o->etag, sizeof o->etag, "%s", r->etag ? r->etag : "");
  snprintf(o->final_url, sizeof o->final_url, "%s",
           r->final_url ? r->final_url : "");
}

static void on_closed(void *user) { ((struct harness *)user)->closed = true; }

static void on_idle(void *user) {
  struct harness *h = user;
  mw_crawler_close(h->c, on_closed, h);
}

static void harness_init(struct harness *h, const char *const *paths) {
  memset(h, 0, sizeof *h);
  h->conf = (struct mw_crawler_conf){
      .user_agent = "mediawatch-test/1.0",
      .concurrency = 4,
      .per_host_concurrency = 4,
      .connect_timeout_ms = 2000,
      .timeout_ms = 10000,
      .low_speed_timeout_ms = 5000,
      .max_body_bytes = 100 * 1024,
      .max_redirects = 5,
      .backoff_max_s = 3600,
      .respect_robots = false,
      .allow_loopback = true,
  };
  for (; paths[h->n]; h->n++) {
    assert_true(h->n < N_MAX);
    snprintf(h->urls[h->n], sizeof h->urls[h->n], "%s%s", base, paths[h->n]);
    h->src[h->n] = (struct mw_crawl_source){
        .id = (int64_t)h->n, .url = h->urls[h->n], .interval_s = 600};
  }
}

static void harness_run(struct harness *h) {
  struct mw_err err;
  assert_int_equal(uv_loop_init(&h->loop), 0);
  if (mw_crawler_new(&h->loop, &h->conf, on_result, h, &h->c, &err))
    fail_msg("%s", err.msg);
  for (size_t i = 0; i < h->n; i++)
    assert_int_equal(mw_crawler_add(h->c, &h->src[i]), MW_OK);
  assert_int_equal(mw_crawler_run_once(h->c, on_idle, h), MW_OK);
  assert_int_equal(uv_run(&h->loop, UV_RUN_DEFAULT), 0);
  assert_true(h->closed);
  for (size_t i = 0; i < h->n; i++) assert_true(h->out[i].seen);
  assert_int_equal(uv_loop_close(&h->loop), 0);
  mw_crawler_free(h->c);
}

/* Writes site/name (its folder must exist); remembered for teardown. */
static void put(const char *name, const char *text) {
  assert_true(n_files < FILES_MAX);
  char *path = files[n_files++];
  snprintf(path, sizeof files[0], "%s/%s", site, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
}

/* A file answered with a redirect: status, Location and more headers. */
static void redirect(const char *name, int status, const char *location,
                     const char *extra) {
  char side[1024], sname[256];
  snprintf(side, sizeof side, "Status: %d\nLocation: %s\n%s", status, location,
           extra ? extra : "");
  snprintf(sname, sizeof sname, "%s.headers", name);
  put(name, "moved\n");
  put(sname, side);
}

static void feed(const char *name, const char *headers) {
  put(name, "<rss version=\"2.0\"><channel><title>t</title></channel></rss>\n");
  if (headers) {
    char sname[256];
    snprintf(sname, sizeof sname, "%s.headers", name);
    put(sname, headers);
  }
}

static struct mw_fixture *fx;
static char dirs[3][300];

static void mkdir_in_site(size_t k, const char *name) {
  snprintf(dirs[k], sizeof dirs[k], "%s/%s", site, name);
  assert_int_equal(mkdir(dirs[k], 0700), 0);
}

/* The site, in a fresh folder, served by a fixture on an ephemeral port. */
static int setup(void **state) {
  (void)state;
  const char *tmp = getenv("TMPDIR");
  snprintf(site, sizeof site, "%s/mw_test_fetch_XXXXXX", tmp ? tmp : "/tmp");
  if (!mkdtemp(site)) return -1;
  mkdir_in_site(0, "dir");
  mkdir_in_site(1, "sub");
  struct mw_fixture_options o = {.root = site, .bind_addr = "127.0.0.1"};
  struct mw_err err;
  if (mw_fixture_start(&o, &fx, &err)) {
    print_error("fixture: %s\n", err.msg);
    return -1;
  }
  snprintf(base, sizeof base, "%s", mw_fixture_base_url(fx));
  char abs[256];

  feed("new.xml", "Cache-Control: max-age=600\n");
  feed("plain.xml", NULL);
  feed("sub/target.xml", NULL);
  feed("nocache.xml", "Cache-Control: max-age=600, no-cache\n");
  feed("nostore.xml", "Cache-Control: no-store\nCache-Control: max-age=60\n");
  feed("big_age.xml", "Cache-Control: public, max-age=999999\n");
  feed("smax.xml", "Cache-Control: s-maxage=300\n");
  feed("smax_quoted.xml", "Cache-Control: s-maxage=300, max-age=\"120\"\n");
  feed("bad_age.xml", "Cache-Control: max-age=soon\n");
  put("gone.xml", "gone\n");
  put("gone.xml.headers", "Status: 404\nCache-Control: max-age=600\n");

  /* 301 -> 200, absolute Location. */
  snprintf(abs, sizeof abs, "%s/new.xml", base);
  redirect("moved.xml", 301, abs, "Cache-Control: max-age=5\n");
  /* 308 then 302: the 308's target. */
  snprintf(abs, sizeof abs, "%s/temp302.xml", base);
  redirect("perm308.xml", 308, abs, NULL);
  redirect("temp302.xml", 302, "/new.xml", NULL);
  /* 302 only, and 302 then 301: not moved. */
  redirect("temp.xml", 302, "/new.xml", NULL);
  redirect("temp_then_perm.xml", 302, "/moved.xml", NULL);
  redirect("temp_cc.xml", 302, "/plain.xml", "Cache-Control: max-age=5\n");
  /* Relative Location against the hop's own URL (tracking dropped). */
  redirect("dir/rel.xml", 301, "../sub/target.xml?utm_source=rss#top", NULL);
  /* 301 then 308: the last permanent hop's target. */
  redirect("twice.xml", 301, "dir/perm2.xml", NULL);
  redirect("dir/perm2.xml", 308, "/plain.xml", NULL);
  /* 301 to a page that is gone: moved all the same. */
  redirect("moved_gone.xml", 301, "/gone.xml", NULL);
  /* A redirect loop stops at the limit; the hops were permanent. */
  redirect("loop.xml", 301, "/loop.xml", NULL);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  mw_fixture_stop(fx);
  while (n_files > 0) unlink(files[--n_files]);
  for (size_t k = 0; k < 2; k++) rmdir(dirs[k]);
  rmdir(site);
  return 0;
}

static void expect_moved(const struct outcome *o, const char *path) {
  char want[512];
  if (!path) {
    if (o->moved) fail_msg("want no moved_to, got \"%s\"", o->moved_to);
    return;
  }
  snprintf(want, sizeof want, "%s%s", base, path);
  if (!o->moved) fail_msg("want moved_to \"%s\", got NULL", want);
  assert_string_equal(o->moved_to, want);
}

static void test_moved_to(void **state) {
  (void)state;
  const char *paths[] = {"/moved.xml",    "/perm308.xml",
                         "/temp.xml",     "/dir/rel.xml",
                         "/twice.xml",    "/moved_gone.xml",
                         "/temp_then_perm.xml", "/plain.xml",
                         "/loop.xml",     NULL};
  struct harness h;
  harness_init(&h, paths);
  harness_run(&h);
  struct outcome *o = h.out;
  /* 301 -> 200. */
  assert_int_equal(o[0].status, MW_FETCH_OK);
  assert_int_equal(o[0].http, 200);
  expect_moved(&o[0], "/new.xml");
  /* 308 -> 302 -> 200: where the 308 pointed, not the final URL. */
  assert_int_equal(o[1].status, MW_FETCH_OK);
  expect_moved(&o[1], "/temp302.xml");
  assert_non_null(strstr(o[1].final_url, "/new.xml"));
  /* 302 only. */
  assert_int_equal(o[2].status, MW_FETCH_OK);
  expect_moved(&o[2], NULL);
  /* Relative, resolved against /dir/rel.xml; tracking and fragment gone. */
  assert_int_equal(o[3].status, MW_FETCH_OK);
  expect_moved(&o[3], "/sub/target.xml");
  /* 301 -> 308 (relative to /twice.xml, then to /dir/perm2.xml). */
  assert_int_equal(o[4].status, MW_FETCH_OK);
  expect_moved(&o[4], "/plain.xml");
  /* 301 -> 404: moved, and failed. */
  assert_int_equal(o[5].status, MW_FETCH_FAILED);
  assert_int_equal(o[5].http, 404);
  expect_moved(&o[5], "/gone.xml");
  /* 302 -> 301 -> 200: the first hop was temporary. */
  assert_int_equal(o[6].status, MW_FETCH_OK);
  expect_moved(&o[6], NULL);
  /* No redirect at all. */
  assert_int_equal(o[7].status, MW_FETCH_OK);
  expect_moved(&o[7], NULL);
  /* A permanent loop: failed at the limit, pointing at itself. */
  assert_int_equal(o[8].status, MW_FETCH_FAILED);
  expect_moved(&o[8], "/loop.xml");
}

/* Without following redirects the 301 itself is the answer. */
static void test_moved_to_not_followed(void **state) {
  (void)state;
  const char *paths[] = {"/moved.xml", "/temp.xml", NULL};
  struct harness h;
  harness_init(&h, paths);
  h.conf.max_redirects = 0;
  harness_run(&h);
  assert_int_equal(h.out[0].status, MW_FETCH_FAILED);
  assert_int_equal(h.out[0].http, 301);
  expect_moved(&h.out[0], "/new.xml");
  assert_int_equal(h.out[0].max_age, 0); /* not a 200 or 304 */
  assert_int_equal(h.out[1].http, 302);
  expect_moved(&h.out[1], NULL);
}

static void test_max_age(void **state) {
  (void)state;
  const char *paths[] = {"/new.xml",       "/plain.xml",   "/nocache.xml",
                         "/nostore.xml",   "/big_age.xml", "/smax.xml",
                         "/smax_quoted.xml", "/bad_age.xml", "/gone.xml",
                         "/moved.xml",     "/temp_cc.xml", NULL};
  struct harness h;
  harness_init(&h, paths);
  harness_run(&h);
  struct outcome *o = h.out;
  for (size_t i = 0; i < h.n; i++)
    if (i != 8) assert_int_equal(o[i].status, MW_FETCH_OK);
  assert_int_equal(o[0].max_age, 600);
  assert_int_equal(o[1].max_age, 0);      /* absent */
  assert_int_equal(o[2].max_age, 0);      /* no-cache wins */
  assert_int_equal(o[3].max_age, 0);      /* no-store, over two headers */
  assert_int_equal(o[4].max_age, 86400);  /* a day at most */
  assert_int_equal(o[5].max_age, 0);      /* s-maxage is not ours */
  assert_int_equal(o[6].max_age, 120);    /* quoted */
  assert_int_equal(o[7].max_age, 0);      /* unreadable */
  assert_int_equal(o[8].status, MW_FETCH_FAILED);
  assert_int_equal(o[8].max_age, 0);      /* a 404 reports none */
  assert_int_equal(o[9].max_age, 600);    /* the final response's, not the 301's */
  assert_int_equal(o[10].max_age, 0);     /* not the 302's either */

  /* 304 on a conditional GET carries its own Cache-Control. */
  char etag[256];
  snprintf(etag, sizeof etag, "%s", o[0].etag);
  assert_true(etag[0] != '\0');
  const char *again[] = {"/new.xml", NULL};
  harness_init(&h, again);
  h.src[0].etag = etag;
  harness_run(&h);
  assert_int_equal(h.out[0].status, MW_FETCH_NOT_MODIFIED);
  assert_int_equal(h.out[0].http, 304);
  assert_int_equal(h.out[0].max_age, 600);
  expect_moved(&h.out[0], NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_moved_to),
      cmocka_unit_test(test_moved_to_not_followed),
      cmocka_unit_test(test_max_age),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
