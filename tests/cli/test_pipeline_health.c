/* Tests what cli/pipeline_work.c records for source health and adaptive
 * intervals on a feed poll: the links it yielded and its permanent
 * redirect in the fetch log and on the source, one quality row per new
 * article (title, own date, body length, implausible characters), and the
 * interval worked out from the publication times with the feed's ttl and
 * the server's max-age as a floor. The feed is built here with dates
 * relative to the poll; nothing is fetched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli/cli.h"
#include "cli/pipeline_int.h"
#include "tests/cli/pipeline_test_util.h"

#define FEED_URL "http://127.0.0.1:18931/feeds/busy.xml"
#define WHEN 1700000000
#define H 3600

struct fx {
  struct pw_env e;
  struct mw_config *cfg; /* e's, for short */
  struct mw_store *s;
  struct work_ctx w;
  struct mw_topic_result results[1];
};

static const char yaml[] =
    "storage: mw.db\n"
    "timezone: Asia/Shanghai\n"
    "crawler:\n"
    "  adapt_after: 0s\n"
    "  poll_min: 5m\n"
    "  poll_max: 4h\n"
    "health:\n"
    "  body_min: 20\n"
    "outlets:\n"
    "  - name: 长春市生态环境局\n"
    "    tier: portal\n"
    "    sources:\n"
    "      - url: " FEED_URL "\n"
    "        poll: 30m\n";

static int setup(void **state) {
  struct fx *f = calloc(1, sizeof *f);
  pw_open(&f->e, yaml);
  f->cfg = f->e.cfg;
  f->s = f->e.s;
  struct mw_matcher *m = NULL;
  struct mw_err err = {0};
  if (mw_matcher_new_config(f->cfg, &m, &err)) fail_msg("%s", err.msg);
  f->w = (struct work_ctx){.cfg = f->cfg, .store = f->s, .matcher = m,
                           .n_topics = 0, .results = f->results};
  *state = f;
  return 0;
}

static int teardown(void **state) {
  struct fx *f = *state;
  mw_matcher_free((struct mw_matcher *)f->w.matcher);
  pw_close(&f->e);
  free(f);
  return 0;
}

/* An RSS feed of n items, one every gap_s seconds back from WHEN, the
 * first undated; ttl_min 0 for none. */
static char *feed(int n, int64_t gap_s, int ttl_min) {
  struct mw_buf b;
  mw_buf_init(&b, 1u << 24);
  mw_buf_printf(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss "
                    "version=\"2.0\"><channel><title>长春</title><link>"
                    "http://127.0.0.1:18931/</link>");
  if (ttl_min) mw_buf_printf(&b, "<ttl>%d</ttl>", ttl_min);
  for (int i = 0; i < n; i++) {
    mw_buf_printf(&b, "<item><title>无废城市建设第%d期</title><link>"
                      "http://127.0.0.1:18931/a/%d.html</link>",
                  i, i);
    if (i) {
      struct mw_civil c;
      mw_time_to_civil(WHEN - (int64_t)i * gap_s, 0, &c);
      static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr",
                                        "May", "Jun", "Jul", "Aug",
                                        "Sep", "Oct", "Nov", "Dec"};
      mw_buf_printf(&b, "<pubDate>%02d %s %04d %02d:%02d:%02d +0000</pubDate>",
                    c.day, mon[c.month - 1], c.year, c.hour, c.minute,
                    c.second);
    }
    mw_buf_printf(&b, "<description>%s</description></item>",
                  i % 2 ? "长春市推进无废城市建设，垃圾分类覆盖全部街道社区。"
                        : "短");
  }
  mw_buf_puts(&b, "</channel></rss>\n");
  return mw_buf_steal(&b);
}

static struct job *poll_job(struct fx *f, char *body) {
  struct job *j = calloc(1, sizeof *j);
  j->src = &f->e.src;
  j->status = body ? MW_FETCH_OK : MW_FETCH_NOT_MODIFIED;
  j->http_status = body ? 200 : 304;
  j->body = body;
  j->body_len = body ? strlen(body) : 0;
  j->final_url = mw_strdup(FEED_URL);
  j->when = WHEN;
  j->next_due = WHEN + 1800;
  j->adaptive = true;
  j->base_s = 1800;
  j->first_fetch = WHEN - 30 * 86400;
  return j;
}

static void run(struct fx *f, struct job *j) {
  struct mw_err err = {0};
  assert_int_equal(mw_store_begin(f->s, &err), MW_OK);
  if (mw_pipeline_work(&f->w, j, &err)) fail_msg("%s", err.msg);
  assert_int_equal(mw_store_commit(f->s, &err), MW_OK);
}

static void free_job(struct job *j) {
  free(j->body);
  free(j->final_url);
  free(j->moved_to);
  free(j->problem);
  free(j->topic_hits);
  free(j);
}

static struct mw_source_state *source(struct fx *f) {
  struct mw_source_state *st;
  size_t n;
  struct mw_err err = {0};
  assert_int_equal(mw_store_list_sources(f->s, &st, &n, &err), MW_OK);
  assert_int_equal(n, 1);
  return st;
}

/* 112 items, one every 6 h: 28 days' worth, so half the gap is 3 h; the
 * feed's links, its moved_to and one quality row per new article land. */
static void test_poll_records(void **state) {
  struct fx *f = *state;
  struct job *j = poll_job(f, feed(112, 6 * H, 0));
  j->moved_to = mw_strdup("http://127.0.0.1:18931/feeds/new.xml");
  run(f, j);
  assert_int_equal(j->new_articles, 112);
  assert_int_equal(j->entries, 112);
  assert_int_equal(j->interval_s, 3 * H);
  free_job(j);

  struct mw_source_state *st = source(f);
  assert_int_equal(st->interval_s, 3 * H);
  assert_string_equal(st->interval_why, "112 articles in 28 days: every 3h");
  assert_string_equal(st->moved_to, "http://127.0.0.1:18931/feeds/new.xml");
  assert_int_equal(st->moved_since, WHEN);
  mw_store_sources_free(st, 1);

  struct mw_source_history h;
  struct mw_err err = {0};
  assert_int_equal(mw_store_source_history(f->s, f->e.src.crawl.id, 10,
                                           WHEN - 365 * 86400, &h, &err),
                   MW_OK);
  assert_int_equal(h.n_polls, 1);
  assert_int_equal(h.polls[0].links, 112);
  /* The 10 newest by id: items 102..111, all dated, half with a body. */
  assert_int_equal(h.recent.articles, 10);
  assert_int_equal(h.recent.with_title, 10);
  assert_int_equal(h.recent.with_date, 10);
  assert_int_equal(h.recent.with_origin, 0);
  assert_int_equal(h.recent.with_body, 5);
  assert_int_equal(h.recent.odd_chars, 0);
  assert_true(h.recent.chars > 100);
  /* The baseline, items 2..101, all dated; item 0, stored first and
   * undated, is older than both windows. */
  assert_int_equal(h.baseline.articles, 100);
  assert_int_equal(h.baseline.with_date, 100);
  assert_int_equal(h.baseline.with_body, 50);
  mw_source_history_free(&h);
}

/* The feed's ttl (5 h) is a floor over the 3 h its rate gives, capped at
 * poll_max (4 h); a later 304 with a longer max-age keeps it there. */
static void test_floor(void **state) {
  struct fx *f = *state;
  struct job *j = poll_job(f, feed(112, 6 * H, 300));
  run(f, j);
  assert_int_equal(j->floor_s, 5 * H);
  assert_int_equal(j->interval_s, 4 * H);
  free_job(j);
  struct mw_source_state *st = source(f);
  assert_null(st->moved_to); /* this poll was not redirected */
  assert_non_null(strstr(st->interval_why, "capped at 4h"));
  mw_store_sources_free(st, 1);

  j = poll_job(f, NULL);
  j->floor_s = 0;
  j->max_age_s = 2 * H;
  run(f, j);
  assert_int_equal(j->floor_s, 2 * H);
  assert_int_equal(j->interval_s, 3 * H);
  free_job(j);
}

/* adaptive: false keeps the configured poll and says so. */
static void test_not_adaptive(void **state) {
  struct fx *f = *state;
  struct job *j = poll_job(f, feed(112, 6 * H, 0));
  j->adaptive = false;
  run(f, j);
  assert_int_equal(j->interval_s, 1800);
  free_job(j);
  struct mw_source_state *st = source(f);
  assert_int_equal(st->interval_s, 1800);
  assert_string_equal(st->interval_why, "adaptive: false: poll as configured");
  mw_store_sources_free(st, 1);
}

/* A long body is measured on its first 4 KB, cut on a character: 1,365
 * three-byte 汉字 of it (4,095 bytes) and the title's 2, none odd. */
static void test_oddities_sample(void **state) {
  struct fx *f = *state;
  struct mw_buf b;
  mw_buf_init(&b, 1u << 20);
  mw_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss "
                  "version=\"2.0\"><channel><title>t</title><item><title>"
                  "长文</title><link>http://127.0.0.1:18931/long.html</link>"
                  "<description>");
  for (int i = 0; i < 2000; i++) mw_buf_puts(&b, "无");
  mw_buf_puts(&b, "</description></item></channel></rss>\n");
  struct job *j = poll_job(f, mw_buf_steal(&b));
  run(f, j);
  assert_int_equal(j->new_articles, 1);
  free_job(j);
  struct mw_source_history h;
  struct mw_err err = {0};
  assert_int_equal(mw_store_source_history(f->s, f->e.src.crawl.id, 10, 0, &h,
                                           &err),
                   MW_OK);
  assert_int_equal(h.recent.articles, 1);
  assert_int_equal(h.recent.chars, 1365 + 2);
  assert_int_equal(h.recent.odd_chars, 0);
  assert_int_equal(h.recent.with_body, 1);
  assert_int_equal(h.recent.with_date, 0);
  mw_source_history_free(&h);
}

/* Article pages that give nothing are kept for the source's health: one
 * with no title and no body, one that failed to fetch. */
static void test_page_failures(void **state) {
  struct fx *f = *state;
  static const char *const urls[] = {"http://127.0.0.1:18931/a/empty.html",
                                     "http://127.0.0.1:18931/a/gone.html"};
  for (int i = 0; i < 2; i++) {
    struct job *j = poll_job(f, i == 0 ? mw_strdup("<html><body><div></div>"
                                                   "</body></html>")
                                       : NULL);
    j->page = mw_page_new(PAGE_ARTICLE, urls[i], NULL, MW_TIME_UNKNOWN, 0);
    j->when = WHEN + i; /* the 404 is the newest */
    if (i == 1) {
      j->status = MW_FETCH_FAILED;
      j->http_status = 404;
      j->error = mw_strdup("http://127.0.0.1:18931/a/gone.html: HTTP 404");
    }
    run(f, j);
    assert_int_equal(j->new_articles, 0);
    mw_page_free(j->page);
    free(j->error);
    free_job(j);
  }
  struct mw_source_history h;
  struct mw_err err = {0};
  assert_int_equal(mw_store_source_history(f->s, f->e.src.crawl.id, 10, 0, &h,
                                           &err),
                   MW_OK);
  assert_int_equal(h.pages_failed, 2);
  /* The newest: the 404, its reason without the URL it is kept beside. */
  assert_string_equal(h.failed_url, urls[1]);
  assert_string_equal(h.failed_reason, "HTTP 404");
  /* A page's outcome is not a poll of the source. */
  assert_int_equal(h.n_polls, 0);
  mw_source_history_free(&h);
  /* Failing again: one row, the latest reason. */
  assert_int_equal(
      mw_store_page_failed(f->s, f->e.src.crawl.id, urls[0], "again", WHEN + 2,
                           &err),
      MW_OK);
  assert_int_equal(mw_store_source_history(f->s, f->e.src.crawl.id, 10, 0, &h,
                                           &err),
                   MW_OK);
  assert_string_equal(h.failed_url, urls[0]);
  assert_string_equal(h.failed_reason, "again");
  mw_source_history_free(&h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_poll_records, setup, teardown),
      cmocka_unit_test_setup_teardown(test_floor, setup, teardown),
      cmocka_unit_test_setup_teardown(test_not_adaptive, setup, teardown),
      cmocka_unit_test_setup_teardown(test_oddities_sample, setup, teardown),
      cmocka_unit_test_setup_teardown(test_page_failures, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
