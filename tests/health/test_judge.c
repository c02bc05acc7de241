/* Tests health/judge.c (and the names of names.c): every problem code over
 * a synthetic history, with its exact detail and evidence, and the cases
 * that must stay ok (a young source, 304s only, small drops). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "health/health.h"

#define H 3600
#define D 86400

static struct mw_health_conf conf(void) {
  struct mw_health_conf c = {
      .unreachable_s = 6 * H,
      .links_drop_pct = 50,
      .extraction_drop_pct = 30,
      .mojibake_pct = 10,
      .silence_factor = 3,
      .silence_min_s = 2 * D,
      .body_min = 100,
      .recent_articles = 10,
      .digest_at = "08:30",
      .digest_minute = 510,
  };
  return c;
}

/* 2026-11-25 12:00 UTC */
static int64_t now_t(void) {
  return mw_time_from_civil(2026, 11, 25, 12, 0, 0, 0);
}

struct hist {
  struct mw_source_state src;
  struct mw_source_history h;
  struct mw_poll_rec polls[60];
  int64_t pub[64];
};

static void hist_init(struct hist *x, enum mw_source_kind kind) {
  memset(x, 0, sizeof *x);
  x->src.id = 7;
  x->src.outlet_name = "长春市生态环境局";
  x->src.url = "http://sthjj.changchun.gov.cn/hjyw/";
  x->src.kind = kind;
  x->src.last_fetch = now_t() - 600;
  x->src.first_fetch = now_t() - 200 * D;
  x->h.polls = x->polls;
  x->h.published = x->pub;
}

/* Appends a poll (callers append newest first). */
static void poll(struct hist *x, int64_t when, bool ok, long status,
                 int64_t links, const char *error) {
  struct mw_poll_rec *p = &x->polls[x->h.n_polls++];
  p->when = when;
  p->ok = ok;
  p->http_status = status;
  p->links = links;
  p->error = (char *)error;
}

static void judge(struct hist *x, int64_t now, struct mw_source_health *out) {
  struct mw_health_conf c = conf();
  mw_health_judge(&c, &x->src, &x->h, now, out);
}

static void test_names(void **state) {
  (void)state;
  assert_string_equal(mw_health_status_name(MW_HEALTH_OK), "ok");
  assert_string_equal(mw_health_status_name(MW_HEALTH_DEGRADED), "degraded");
  assert_string_equal(mw_health_status_name(MW_HEALTH_BROKEN), "broken");
  assert_string_equal(mw_health_status_label_zh(MW_HEALTH_BROKEN), "失效");
  assert_string_equal(mw_health_status_label_zh(MW_HEALTH_DEGRADED), "异常");
  static const char *const names[] = {"unreachable", "no_links",
                                      "fewer_links", "extraction",
                                      "mojibake",    "silent",
                                      "moved"};
  for (int i = 0; i < MW_PROBLEM_COUNT; i++)
    assert_string_equal(mw_problem_code_name((enum mw_problem_code)i),
                        names[i]);
  assert_string_equal(mw_problem_label_zh(MW_PROBLEM_NO_LINKS),
                      "栏目页无文章链接");
  assert_string_equal(mw_problem_label_zh(MW_PROBLEM_MOVED), "网址已永久跳转");
  assert_string_equal(mw_problem_code_name(MW_PROBLEM_COUNT), "unknown");
}

static void test_never_polled(void **state) {
  (void)state;
  struct hist x;
  hist_init(&x, MW_SOURCE_HTML);
  x.src.last_fetch = 0;
  struct mw_source_health out;
  judge(&x, now_t(), &out);
  assert_int_equal(out.status, MW_HEALTH_OK);
  assert_int_equal(out.n_problems, 0);
}

static void test_unreachable(void **state) {
  (void)state;
  struct hist x;
  hist_init(&x, MW_SOURCE_HTML);
  int64_t now = now_t(), since = now - (7 * H + 12 * 60);
  /* 9 failures since 04:48, newest first, then the ok poll before. */
  for (int i = 8; i >= 0; i--)
    poll(&x, since + i * 45 * 60, false, 0, -1,
         i == 8 ? "connect to sthjj.changchun.gov.cn:80 timed out"
                : "older error");
  poll(&x, since - H, true, 200, 20, NULL);
  x.h.failing_since = since;
  struct mw_source_health out;
  judge(&x, now, &out);
  assert_int_equal(out.status, MW_HEALTH_BROKEN);
  assert_int_equal(out.n_problems, 1);
  const struct mw_health_problem *p = &out.problems[0];
  assert_int_equal(p->code, MW_PROBLEM_UNREACHABLE);
  assert_int_equal(p->severity, MW_HEALTH_BROKEN);
  assert_int_equal(p->since, since);
  assert_int_equal(p->count, 9);
  assert_string_equal(p->text, "connect to sthjj.changchun.gov.cn:80 timed out");
  assert_string_equal(p->detail,
                      "unreachable for 7h 12m (9 polls failed since "
                      "2026-11-25 04:48 UTC; last: connect to "
                      "sthjj.changchun.gov.cn:80 timed out)");

  /* Failing for 5 hours only: not yet. */
  x.h.failing_since = now - 5 * H;
  judge(&x, now, &out);
  assert_int_equal(out.status, MW_HEALTH_OK);
  assert_int_equal(out.n_problems, 0);
}

/* The unreachable rule takes the error from the fetch state when the log
 * has none, and an outage hides the silence it causes. */
static void test_unreachable_hides_silence(void **state) {
  (void)state;
  struct hist x;
  hist_init(&x, MW_SOURCE_FEED);
  int64_t now = now_t();
  poll(&x, now - 8 * D, false, 503, -1, NULL);
  x.h.failing_since = now - 8 * D;
  x.src.last_error = "HTTP 503";
  for (int i = 0; i < 10; i++) x.pub[x.h.n_published++] = now - 80 * D + i * D;
  struct mw_source_health out;
  judge(&x, now, &out);
  assert_int_equal(out.n_problems, 1);
  assert_int_equal(out.problems[0].code, MW_PROBLEM_UNREACHABLE);
  assert_int_equal(out.problems[0].count, 1);
  assert_string_equal(out.problems[0].text, "HTTP 503");
  assert_string_equal(out.problems[0].detail,
                      "unreachable for 8d 0h (1 poll failed since 2026-11-17 "
                      "12:00 UTC; last: HTTP 503)");
}

static void test_no_links(void **state) {
  (void)state;
  struct hist x;
  hist_init(&x, MW_SOURCE_HTML);
  int64_t now = now_t();
  poll(&x, now - H, true, 200, 0, NULL);
  poll(&x, now - 2 * H, true, 304, -1, NULL); /* not a usable 200 */
  for (int i = 0; i < 25; i++)
    poll(&x, now - (3 + i) * H, true, 200, i < 20 ? 20 : 99, NULL);
  struct mw_source_health out;
  judge(&x, now, &out);
  assert_int_equal(out.status, MW_HEALTH_BROKEN);
  assert_int_equal(out.n_problems, 1);
  const struct mw_health_problem *p = &out.problems[0];
  assert_int_equal(p->code, MW_PROBLEM_NO_LINKS);
  assert_int_equal(p->severity, MW_HEALTH_BROKEN);
  assert_int_equal(p->count, 0);
  assert_int_equal(p->usual, 20); /* only the 20 before count */
  assert_int_equal(p->since, now - H);
  assert_string_equal(p->detail,
                      "listing page yields no article links (usually 20; "
                      "last answer 2026-11-25 11:00 UTC)");
}

/* No history: a first answer with no link is broken all the same. */
static void test_no_links_first_answer(void **state) {
  (void)state;
  struct hist x;
  hist_init(&x, MW_SOURCE_FEED);
  int64_t now = now_t();
  poll(&x, now - 30 * 60, true, 200, 0, NULL);
  struct mw_source_health out;
  judge(&x, now, &out);
  assert_int_equal(out.status, MW_HEALTH_BROKEN);
  assert_int_equal(out.problems[0].code, MW_PROBLEM_NO_LINKS);
  assert_int_equal(out.problems[0].usual, 0);
  assert_string_equal(out.problems[0].detail,
                      "feed yields no entries (last answer 2026-11-25 11:30 "
                      "UTC)");
  x.src.kind = MW_SOURCE_SITEMAP;
  judge(&x, now, &out);
  assert_string_equal(out.problems[0].detail,
                      "sitemap yields no URLs (last answer 2026-11-25 11:30 "
                      "UTC)");
}

static void test_fewer_links(void **state) {
  (void)state;
  struct hist x;
  hist_init(&x, MW_SOURCE_HTML);
  int64_t now = now_t();
  poll(&x, now - H, true, 200, 3, NULL);
  poll(&x, now - 2 * H, false, 0, -1, "timeout");
  /* Usual: the median of 18, 20 x5, 22 x4 ... an even count: (20+20)/2. */
  static const int64_t before[] = {18, 19, 20, 20, 20, 21, 22, 25};
  for (size_t i = 0; i < 8; i++)
    poll(&x, now - (3 + (int64_t)i) * H, true, 200, before[i], NULL);
  struct mw_source_health out;
  judge(&x, now, &out);
  assert_int_equal(out.status, MW_HEALTH_DEGRADED);
  assert_int_equal(out.n_problems, 1);
  const struct mw_health_problem *p = &out.problems[0];
  assert_int_equal(p->code, MW_PROBLEM_FEWER_LINKS);
  assert_int_equal(p->count, 3);
  assert_int_equal(p->usual, 20);
  assert_int_equal(p->since, now - H);
  assert_string_equal(p->detail,
                      "listing page yields 3 article links, usually 20 (last "
                      "answer 2026-11-25 11:00 UTC)");

  /* 10 of 20 is exactly 50%: not under it. */
  x.polls[0].links = 10;
  judge(&x, now, &out);
  assert_int_equal(out.n_problems, 0);
  x.polls[0].links = 9;
  judge(&x, now, &out);
  assert_int_equal(out.n_problems, 1);
  assert_int_equal(out.problems[0].count, 9);
}

static void test_links_ok(void **state) {
  (void)state;
  struct hist x;
  hist_init(&x, MW_SOURCE_HTML);
  int64_t now = now_t();
  /* 304s only: nothing to judge. */
  for (int i = 0; i < 30; i++) poll(&x, now - i * H, true, 304, -1, NULL);
  struct mw_source_health out;
  judge(&x, now, &out);
  assert_int_equal(out.status, MW_HEALTH_OK);
  assert_int_equal(out.n_problems, 0);

  /* A small usual count (3): a drop to 1 is no signal. */
  hist_init(&x, MW_SOURCE_HTML);
  poll(&x, now - H, true, 200, 1, NULL);
  for (int i = 0; i < 5; i++) poll(&x, now - (2 + i) * H, true, 200, 3, NULL);
  judge(&x, now, &out);
  assert_int_equal(out.n_problems, 0);

  /* A small drop (20 -> 15). */
  hist_init(&x, MW_SOURCE_HTML);
  poll(&x, now - H, true, 200, 15, NULL);
  for (int i = 0; i < 5; i++) poll(&x, now - (2 + i) * H, true, 200, 20, NULL);
  judge(&x, now, &out);
  assert_int_equal(out.n_problems, 0);
}

static void window(struct mw_quality_window *w, int64_t n, int64_t title,
                   int64_t date, int64_t origin, int64_t body) {
  w->articles = n;
  w->with_title = title;
  w->with_date = date;
  w->with_origin = origin;
  w->with_body = body;
}

static void test_extraction(void **state) {
  (void)state;
  struct hist x;
  hist_init(&x, MW_SOURCE_HTML);
  int64_t now = now_t();
  window(&x.h.recent, 10, 10, 8, 0, 5);
  window(&x.h.baseline, 100, 100, 100, 95, 100);
  x.h.recent.example_url = "http://sthjj.changchun.gov.cn/hjyw/202611/"
                           "t20261125_1.html";
  struct mw_source_health out;
  judge(&x, now, &out);
  assert_int_equal(out.status, MW_HEALTH_BROKEN);
  assert_int_equal(out.n_problems, 2);
  /* origin (broken) before body (degraded); the date's 20-point drop is
   * under the 30 points. */
  const struct mw_health_problem *o = &out.problems[0], *b = &out.problems[1];
  assert_int_equal(o->code, MW_PROBLEM_EXTRACTION);
  assert_int_equal(o->severity, MW_HEALTH_BROKEN);
  assert_string_equal(o->field, "origin");
  assert_true(o->share == 0.0);
  assert_true(o->usual_share > 0.949 && o->usual_share < 0.951);
  assert_int_equal(o->count, 10);
  assert_string_equal(o->url, x.h.recent.example_url);
  assert_string_equal(o->detail,
                      "来源 (origin) lines found in 0 of the 10 newest "
                      "articles (0%), usually 95%; e.g. http://"
                      "sthjj.changchun.gov.cn/hjyw/202611/t20261125_1.html");
  assert_int_equal(b->severity, MW_HEALTH_DEGRADED);
  assert_string_equal(b->field, "body");
  assert_true(b->share > 0.499 && b->share < 0.501);
  assert_true(b->usual_share == 1.0);
  assert_string_equal(b->detail,
                      "bodies of 100+ characters found in 5 of the 10 newest "
                      "articles (50%), usually 100%; e.g. http://"
                      "sthjj.changchun.gov.cn/hjyw/202611/t20261125_1.html");

  /* Exactly 30 points down is degraded; 29 is not. */
  window(&x.h.recent, 10, 7, 10, 10, 10);
  window(&x.h.baseline, 100, 100, 100, 100, 100);
  judge(&x, now, &out);
  assert_int_equal(out.n_problems, 1);
  assert_string_equal(out.problems[0].field, "title");
  assert_int_equal(out.problems[0].severity, MW_HEALTH_DEGRADED);
  window(&x.h.baseline, 100, 99, 100, 100, 100);
  judge(&x, now, &out);
  assert_int_equal(out.n_problems, 0);

  /* Found in none where 70% had it: degraded (70 points), not broken. */
  window(&x.h.recent, 10, 10, 0, 10, 10);
  window(&x.h.baseline, 100, 100, 70, 100, 100);
  judge(&x, now, &out);
  assert_int_equal(out.n_problems, 1);
  assert_string_equal(out.problems[0].field, "date");
  assert_int_equal(out.problems[0].severity, MW_HEALTH_DEGRADED);
}

/* A young source (a small baseline) or few recent articles: no verdict. */
static void test_extraction_young(void **state) {
  (void)state;
  struct hist x;
  hist_init(&x, MW_SOURCE_HTML);
  window(&x.h.recent, 10, 0, 0, 0, 0);
  window(&x.h.baseline, 4, 4, 4, 4, 4);
  struct mw_source_health out;
  judge(&x, now_t(), &out);
  assert_int_equal(out.n_problems, 0);
  window(&x.h.recent, 2, 0, 0, 0, 0);
  window(&x.h.baseline, 100, 100, 100, 100, 100);
  judge(&x, now_t(), &out);
  assert_int_equal(out.n_problems, 0);
}

static void test_mojibake(void **state) {
  (void)state;
  struct hist x;
  hist_init(&x, MW_SOURCE_HTML);
  x.h.recent.articles = 10;
  x.h.recent.chars = 1000;
  x.h.recent.odd_chars = 230;
  x.h.recent.example_url = "http://sthjj.changchun.gov.cn/hjyw/t1.html";
  x.h.recent.example_title = "é•¿æ˜¥å¸‚";
  x.h.baseline.articles = 100;
  x.h.baseline.chars = 10000;
  x.h.baseline.odd_chars = 10;
  struct mw_source_health out;
  judge(&x, now_t(), &out);
  assert_int_equal(out.status, MW_HEALTH_BROKEN);
  assert_int_equal(out.n_problems, 1);
  const struct mw_health_problem *p = &out.problems[0];
  assert_int_equal(p->code, MW_PROBLEM_MOJIBAKE);
  assert_true(p->share > 0.229 && p->share < 0.231);
  assert_true(p->usual_share > 0.0009 && p->usual_share < 0.0011);
  assert_int_equal(p->count, 10);
  assert_string_equal(p->text, "é•¿æ˜¥å¸‚");
  assert_string_equal(p->url, "http://sthjj.changchun.gov.cn/hjyw/t1.html");
  assert_string_equal(p->detail,
                      "23% of the non-ASCII characters of the 10 newest "
                      "articles are implausible (usually 0%): a charset "
                      "decoded wrongly? e.g. \"é•¿æ˜¥å¸‚\" "
                      "http://sthjj.changchun.gov.cn/hjyw/t1.html");

  /* No baseline: usual 0. Exactly 10%: not over it. Under 50 chars: no
   * verdict. */
  x.h.baseline.chars = 0;
  x.h.baseline.odd_chars = 0;
  judge(&x, now_t(), &out);
  assert_true(out.problems[0].usual_share == 0.0);
  x.h.recent.odd_chars = 100;
  judge(&x, now_t(), &out);
  assert_int_equal(out.n_problems, 0);
  x.h.recent.chars = 40;
  x.h.recent.odd_chars = 40;
  judge(&x, now_t(), &out);
  assert_int_equal(out.n_problems, 0);
}

static void test_silent(void **state) {
  (void)state;
  struct hist x;
  hist_init(&x, MW_SOURCE_FEED);
  int64_t now = now_t();
  /* One every 5 days, 13 in the year, the last 23 days ago; one older than
   * a year does not count. */
  x.pub[x.h.n_published++] = now - 400 * D;
  for (int i = 12; i >= 0; i--) x.pub[x.h.n_published++] = now - 23 * D - i * 5 * D;
  struct mw_source_health out;
  judge(&x, now, &out);
  assert_int_equal(out.status, MW_HEALTH_DEGRADED);
  assert_int_equal(out.n_problems, 1);
  const struct mw_health_problem *p = &out.problems[0];
  assert_int_equal(p->code, MW_PROBLEM_SILENT);
  assert_int_equal(p->since, now - 23 * D);
  assert_int_equal(p->usual, 5 * D);
  assert_int_equal(p->count, 13);
  assert_string_equal(p->detail, "no new article for 23 days; usually one "
                                 "every 5 days (13 in a year)");

  /* 15 days (3 gaps) is not over 3 gaps. */
  judge(&x, now - 8 * D, &out);
  assert_int_equal(out.n_problems, 0);
  judge(&x, now - 8 * D + 1, &out);
  assert_int_equal(out.n_problems, 1);
}

/* Gaps of 0 (a backlog stored at once) do not count: with them the usual
 * gap would be 0 and any pause over silence_min a silence. */
static void test_silent_backlog(void **state) {
  (void)state;
  struct hist x;
  hist_init(&x, MW_SOURCE_HTML);
  int64_t now = now_t();
  for (int i = 0; i < 10; i++) x.pub[x.h.n_published++] = now - 60 * D;
  x.pub[x.h.n_published++] = now - 50 * D;
  x.pub[x.h.n_published++] = now - 40 * D;
  x.pub[x.h.n_published++] = now - 30 * D;
  struct mw_source_health out;
  judge(&x, now, &out);
  assert_int_equal(out.n_problems, 0); /* 30 days = 3 x 10 days */
  judge(&x, now + 1, &out);
  assert_int_equal(out.n_problems, 1);
  assert_int_equal(out.problems[0].usual, 10 * D);
  assert_int_equal(out.problems[0].count, 13);

  /* Under 4 distinct times: too young to tell. */
  x.h.n_published = 12;
  judge(&x, now + 5 * D, &out);
  assert_int_equal(out.n_problems, 0);

  /* silence_min: hourly publishing, quiet for a day, is not silent. */
  hist_init(&x, MW_SOURCE_FEED);
  for (int i = 40; i >= 0; i--) x.pub[x.h.n_published++] = now - D - i * H;
  judge(&x, now, &out);
  assert_int_equal(out.n_problems, 0);
  judge(&x, now + D + 1, &out);
  assert_int_equal(out.n_problems, 1);
  assert_string_equal(out.problems[0].detail,
                      "no new article for 2 days; usually one every 60 "
                      "minutes (41 in a year)");
}

static void test_moved_and_order(void **state) {
  (void)state;
  struct hist x;
  hist_init(&x, MW_SOURCE_HTML);
  int64_t now = now_t();
  x.src.moved_to = "https://sthjj.changchun.gov.cn/xwzx/hjyw/";
  x.src.moved_since = mw_time_from_civil(2026, 11, 20, 8, 0, 0, 0);
  struct mw_source_health out;
  judge(&x, now, &out);
  assert_int_equal(out.status, MW_HEALTH_DEGRADED);
  assert_int_equal(out.n_problems, 1);
  const struct mw_health_problem *p = &out.problems[0];
  assert_int_equal(p->code, MW_PROBLEM_MOVED);
  assert_int_equal(p->since, x.src.moved_since);
  assert_string_equal(p->url, "https://sthjj.changchun.gov.cn/xwzx/hjyw/");
  assert_string_equal(p->detail,
                      "permanently redirected (301/308) to "
                      "https://sthjj.changchun.gov.cn/xwzx/hjyw/ since "
                      "2026-11-20 08:00 UTC: put the new address in the "
                      "config");

  /* With a broken listing: broken, worst first. */
  poll(&x, now - H, true, 200, 0, NULL);
  judge(&x, now, &out);
  assert_int_equal(out.status, MW_HEALTH_BROKEN);
  assert_int_equal(out.n_problems, 2);
  assert_int_equal(out.problems[0].code, MW_PROBLEM_NO_LINKS);
  assert_int_equal(out.problems[1].code, MW_PROBLEM_MOVED);
}

/* A long error is cut on a character boundary. */
static void test_long_error(void **state) {
  (void)state;
  struct hist x;
  hist_init(&x, MW_SOURCE_HTML);
  char err[1200];
  size_t n = 0;
  while (n + 3 < sizeof err) {
    memcpy(err + n, "错", 3);
    n += 3;
  }
  err[n] = '\0';
  int64_t now = now_t();
  poll(&x, now - 7 * H, false, 0, -1, err);
  x.h.failing_since = now - 7 * H;
  struct mw_source_health out;
  judge(&x, now, &out);
  const struct mw_health_problem *p = &out.problems[0];
  assert_int_equal(strlen(p->text), 255);  /* 85 characters */
  assert_true(strlen(p->detail) < sizeof p->detail);
}

/* Article pages that yielded nothing: two are dead links; half of the
 * span failing is degraded; four in five, or all with none stored, broken,
 * with an example and its reason. */
static void test_pages_failed(void **state) {
  (void)state;
  struct hist x;
  struct mw_source_health out;
  hist_init(&x, MW_SOURCE_HTML);
  x.h.recent.articles = 10;
  x.h.pages_failed = 2;
  x.h.failed_url = "http://sthjj.changchun.gov.cn/hjyw/202311/t1.html";
  x.h.failed_reason = "no title and no body text found";
  judge(&x, now_t(), &out);
  assert_int_equal(out.n_problems, 0);
  x.h.pages_failed = 9; /* 9 of 19: under half */
  judge(&x, now_t(), &out);
  assert_int_equal(out.n_problems, 0);
  x.h.pages_failed = 10; /* 10 of 20 */
  judge(&x, now_t(), &out);
  assert_int_equal(out.status, MW_HEALTH_DEGRADED);
  assert_int_equal(out.n_problems, 1);
  const struct mw_health_problem *p = &out.problems[0];
  assert_int_equal(p->code, MW_PROBLEM_EXTRACTION);
  assert_string_equal(p->field, "page");
  assert_int_equal(p->count, 20);
  assert_true(p->share > 0.49 && p->share < 0.51);
  assert_string_equal(p->url,
                      "http://sthjj.changchun.gov.cn/hjyw/202311/t1.html");
  assert_string_equal(p->text, "no title and no body text found");
  assert_string_equal(p->detail,
                      "article pages yielded no article: 10 of the last 20; "
                      "e.g. http://sthjj.changchun.gov.cn/hjyw/202311/"
                      "t1.html: no title and no body text found");
  x.h.pages_failed = 40; /* 40 of 50: four in five */
  judge(&x, now_t(), &out);
  assert_int_equal(out.status, MW_HEALTH_BROKEN);
  x.h.recent.articles = 0; /* nothing stored at all */
  x.h.pages_failed = 3;
  x.h.failed_reason = NULL;
  judge(&x, now_t(), &out);
  assert_int_equal(out.status, MW_HEALTH_BROKEN);
  assert_string_equal(out.problems[0].detail,
                      "article pages yielded no article: 3 of the last 3; "
                      "e.g. http://sthjj.changchun.gov.cn/hjyw/202311/"
                      "t1.html");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_names),
      cmocka_unit_test(test_never_polled),
      cmocka_unit_test(test_unreachable),
      cmocka_unit_test(test_unreachable_hides_silence),
      cmocka_unit_test(test_no_links),
      cmocka_unit_test(test_no_links_first_answer),
      cmocka_unit_test(test_fewer_links),
      cmocka_unit_test(test_links_ok),
      cmocka_unit_test(test_extraction),
      cmocka_unit_test(test_extraction_young),
      cmocka_unit_test(test_mojibake),
      cmocka_unit_test(test_silent),
      cmocka_unit_test(test_silent_backlog),
      cmocka_unit_test(test_moved_and_order),
      cmocka_unit_test(test_long_error),
      cmocka_unit_test(test_pages_failed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
