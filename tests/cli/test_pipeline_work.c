/* Tests cli/pipeline_work.c, the worker's side of a listing poll and its
 * validators: a poll that asks for pages clears the stored validators in
 * its own transaction, one that asks for none writes its own; a poll sent
 * without validators to a server that gives them recovers (follows the
 * next listing page although the page had no new links), a conditional
 * one or one of a server without validators does not; links past the
 * per-poll cap mark the job as leaving links out; a validators job writes
 * the validators alone. The chains of pages that decide when those jobs
 * run (cli/pipeline.c) are exercised end to end by e2e/test_pages_resume
 * and e2e/test_crawl.
 *
 * The listing is the portal's fixture page (tests/data/sites/sthjt/xwdt:
 * 4 articles, a next page, an attachment), read as fetched from the
 * fixture's usual address; nothing is fetched. */
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
#include "tests/testdata.h"

#define BASE "http://127.0.0.1:18931/sthjt/xwdt/"
#define WHEN 1700000000

struct fx {
  struct pw_env e;
  struct mw_config *cfg; /* e's, for short */
  struct mw_store *s;
  struct work_ctx w;
  char *page1;  /* the fixture's first listing page, GBK */
  size_t page1_len;
};

static const char yaml[] =
    "storage: mw.db\n"
    "timezone: Asia/Shanghai\n"
    "outlets:\n"
    "  - name: 吉林省生态环境厅\n"
    "    tier: portal\n"
    "    region: 吉林省\n"
    "    sources:\n"
    "      - url: " BASE "index.html\n"
    "        kind: html\n"
    "        max_pages: 3\n";

static int setup(void **state) {
  struct fx *f = calloc(1, sizeof *f);
  pw_open(&f->e, yaml);
  f->cfg = f->e.cfg;
  f->s = f->e.s;
  f->w = (struct work_ctx){.cfg = f->cfg, .store = f->s};
  f->page1 = mw_test_data_read("sites/sthjt/xwdt", "index.html", &f->page1_len);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  struct fx *f = *state;
  pw_close(&f->e);
  free(f->page1);
  free(f);
  return 0;
}

/* A 200 of the source itself (page NULL) or of a listing page, with body
 * copied; etag may be NULL. */
static struct job *fetched(struct fx *f, struct page_ctx *page,
                           const char *body, size_t len, const char *etag,
                           bool conditional) {
  struct job *j = calloc(1, sizeof *j);
  j->src = &f->e.src;
  j->page = page;
  j->status = MW_FETCH_OK;
  j->http_status = 200;
  j->body = malloc(len + 1);
  memcpy(j->body, body, len);
  j->body[len] = '\0';
  j->body_len = len;
  j->charset = mw_strdup("gbk");
  j->etag = etag ? mw_strdup(etag) : NULL;
  j->final_url = mw_strdup(page ? page->url : f->e.src.url);
  j->conditional = conditional;
  j->when = WHEN;
  j->next_due = WHEN + 900;
  return j;
}

static void job_free(struct job *j) {
  mw_page_free(j->page);
  while (j->requests) {
    struct page_ctx *r = j->requests;
    j->requests = r->next;
    mw_page_free(r);
  }
  free(j->body);
  free(j->charset);
  free(j->etag);
  free(j->last_modified);
  free(j->final_url);
  free(j->problem);
  free(j->topic_hits);
  free(j);
}

/* Runs j in a transaction of its own, as the worker does. */
static void work(struct fx *f, struct job *j) {
  struct mw_err err = {0};
  assert_int_equal(mw_store_begin(f->s, &err), MW_OK);
  if (mw_pipeline_work(&f->w, j, &err)) fail_msg("%s", err.msg);
  assert_int_equal(mw_store_commit(f->s, &err), MW_OK);
}

/* The stored etag ("" for none). */
static void stored_etag(struct fx *f, char *buf, size_t n) {
  struct mw_err err = {0};
  struct mw_source_state *st;
  size_t k;
  assert_int_equal(mw_store_list_sources(f->s, &st, &k, &err), MW_OK);
  snprintf(buf, n, "%s", st[0].etag ? st[0].etag : "");
  mw_store_sources_free(st, k);
}

static void set_etag(struct fx *f, const char *etag) {
  struct mw_err err = {0};
  assert_int_equal(mw_store_set_validators(f->s, f->e.src.crawl.id, etag, NULL,
                                           &err),
                   MW_OK);
}

/* The requests of j by kind; the listing request, if any, in *next. */
static size_t count_requests(const struct job *j, enum page_kind kind,
                             const struct page_ctx **next) {
  size_t n = 0;
  for (const struct page_ctx *r = j->requests; r; r = r->next)
    if (r->kind == kind) {
      n++;
      if (next) *next = r;
    }
  return n;
}

/* Stores every article j asked for, as if their pages had been fetched. */
static void store_requested(struct fx *f, const struct job *j) {
  struct mw_err err = {0};
  assert_int_equal(mw_store_begin(f->s, &err), MW_OK);
  for (const struct page_ctx *r = j->requests; r; r = r->next) {
    if (r->kind != PAGE_ARTICLE) continue;
    struct mw_article a = {.source_id = f->e.src.crawl.id, .url = r->url,
                           .title = r->link_text, .text = "正文",
                           .published = WHEN, .fetched = WHEN};
    int64_t id;
    bool inserted;
    assert_int_equal(mw_store_add_article(f->s, &a, &id, &inserted, &err),
                     MW_OK);
    assert_true(inserted);
  }
  assert_int_equal(mw_store_commit(f->s, &err), MW_OK);
}

/* The first poll: new links, so the articles and the next page are asked
 * for, and the validators the store held are cleared with the record. */
static void test_poll_with_news_clears_validators(void **state) {
  struct fx *f = *state;
  set_etag(f, "\"old\"");
  struct job *j = fetched(f, NULL, f->page1, f->page1_len, "\"e1\"", true);
  work(f, j);
  assert_false(j->unusable);
  assert_false(j->left_out);
  assert_int_equal(j->entries, 4);
  assert_int_equal(count_requests(j, PAGE_ARTICLE, NULL), 4);
  const struct page_ctx *next = NULL;
  assert_int_equal(count_requests(j, PAGE_LISTING, &next), 1);
  assert_string_equal(next->url, BASE "index_1.html");
  assert_int_equal(next->depth, 1);
  assert_false(next->recover); /* conditional: follows while there is news */
  assert_int_equal(j->n_requests, 5);
  char etag[64];
  stored_etag(f, etag, sizeof etag);
  assert_string_equal(etag, "");
  job_free(j);
}

/* Page 1 all known, the poll unconditional and the server giving an ETag:
 * the previous chain did not complete (or this is the first poll), so the
 * next page is read all the same. */
static void test_known_page_recovers_when_unconditional(void **state) {
  struct fx *f = *state;
  struct job *j = fetched(f, NULL, f->page1, f->page1_len, "\"e1\"", false);
  work(f, j);
  assert_true(count_requests(j, PAGE_LISTING, NULL) == 1);
  store_requested(f, j);
  job_free(j);

  set_etag(f, "\"old\"");
  j = fetched(f, NULL, f->page1, f->page1_len, "\"e1\"", false);
  work(f, j);
  assert_int_equal(j->entries, 4);
  assert_int_equal(count_requests(j, PAGE_ARTICLE, NULL), 0);
  const struct page_ctx *next = NULL;
  assert_int_equal(count_requests(j, PAGE_LISTING, &next), 1);
  assert_string_equal(next->url, BASE "index_1.html");
  assert_true(next->recover);
  assert_int_equal(j->n_requests, 1);
  char etag[64];
  stored_etag(f, etag, sizeof etag);
  assert_string_equal(etag, ""); /* it asked for a page: cleared */
  job_free(j);

  /* A listing page read in recovery passes it on to the next one, within
   * max_pages (3): depth 1 asks for depth 2, depth 2 for nothing. */
  for (int depth = 1; depth <= 2; depth++) {
    struct page_ctx *p = mw_page_new(PAGE_LISTING, BASE "index.html", NULL,
                                     MW_TIME_UNKNOWN, depth);
    p->recover = true;
    j = fetched(f, p, f->page1, f->page1_len, NULL, false);
    work(f, j);
    next = NULL;
    assert_int_equal(count_requests(j, PAGE_LISTING, &next), depth == 1);
    if (next) {
      assert_int_equal(next->depth, 2);
      assert_true(next->recover);
    }
    job_free(j);
  }
  /* Without recovery, a known listing page asks for nothing. */
  struct page_ctx *p = mw_page_new(PAGE_LISTING, BASE "index.html", NULL,
                                   MW_TIME_UNKNOWN, 1);
  j = fetched(f, p, f->page1, f->page1_len, NULL, false);
  work(f, j);
  assert_int_equal(j->n_requests, 0);
  job_free(j);
}

/* Page 1 all known and the poll conditional (a 200: the page changed):
 * nothing to ask for, so this 200's validators are written at once. */
static void test_known_page_conditional_keeps_validators(void **state) {
  struct fx *f = *state;
  struct job *j = fetched(f, NULL, f->page1, f->page1_len, "\"e1\"", false);
  work(f, j);
  store_requested(f, j);
  job_free(j);

  j = fetched(f, NULL, f->page1, f->page1_len, "\"e2\"", true);
  work(f, j);
  assert_int_equal(j->n_requests, 0);
  char etag[64];
  stored_etag(f, etag, sizeof etag);
  assert_string_equal(etag, "\"e2\"");
  job_free(j);
}

/* A server without validators: every poll is unconditional, and a known
 * first page still ends the poll (no recovery: it would read every page
 * at every poll). */
static void test_no_validators_no_recovery(void **state) {
  struct fx *f = *state;
  struct job *j = fetched(f, NULL, f->page1, f->page1_len, NULL, false);
  work(f, j);
  store_requested(f, j);
  job_free(j);

  j = fetched(f, NULL, f->page1, f->page1_len, NULL, false);
  work(f, j);
  assert_int_equal(j->n_requests, 0);
  assert_false(j->left_out);
  job_free(j);
}

/* More new links than one poll may ask for: the job says it left some
 * out, so its chain never writes validators and the next poll (then
 * unconditional) asks for the rest. */
static void test_links_past_the_cap_are_left_out(void **state) {
  struct fx *f = *state;
  struct mw_buf b;
  mw_buf_init(&b, 1 << 20);
  mw_buf_puts(&b, "<html><head><meta charset=\"utf-8\"><title>新闻动态</title>"
                  "</head><body><ul class=\"list\">\n");
  size_t n_links = MW_PIPELINE_MAX_ARTICLES_PER_POLL + 5;
  for (size_t i = 0; i < n_links; i++)
    mw_buf_printf(&b,
                  "<li><a href=\"./202305/t20230508_%zu.html\">"
                  "吉林省生态环境厅召开第%zu次生态环境保护工作会议</a>"
                  "<span>2023-05-08</span></li>\n",
                  52100 + i, i + 1);
  mw_buf_puts(&b, "</ul></body></html>\n");
  struct job *j = fetched(f, NULL, b.data, b.len, "\"e1\"", false);
  free(j->charset);
  j->charset = mw_strdup("utf-8");
  mw_buf_cleanup(&b);
  work(f, j);
  assert_int_equal(j->entries, (int64_t)n_links);
  assert_int_equal(count_requests(j, PAGE_ARTICLE, NULL),
                   MW_PIPELINE_MAX_ARTICLES_PER_POLL);
  assert_true(j->left_out);
  job_free(j);
}

/* A job of validators alone: written to the source, nothing else recorded;
 * a source gone from the store does not fail the transaction. */
static void test_validators_job(void **state) {
  struct fx *f = *state;
  struct job *j = calloc(1, sizeof *j);
  j->src = &f->e.src;
  j->set_validators = true;
  j->etag = mw_strdup("\"e9\"");
  j->last_modified = mw_strdup("Mon, 08 May 2023 08:00:00 GMT");
  work(f, j);
  char etag[64];
  stored_etag(f, etag, sizeof etag);
  assert_string_equal(etag, "\"e9\"");
  struct mw_err err = {0};
  struct mw_source_state *st;
  size_t n;
  assert_int_equal(mw_store_list_sources(f->s, &st, &n, &err), MW_OK);
  assert_string_equal(st[0].last_modified, "Mon, 08 May 2023 08:00:00 GMT");
  assert_int_equal(st[0].last_fetch, 0); /* not a poll */
  mw_store_sources_free(st, n);
  job_free(j);

  struct mw_cli_source gone = f->e.src;
  gone.crawl.id = 4242;
  j = calloc(1, sizeof *j);
  j->src = &gone;
  j->set_validators = true;
  j->etag = mw_strdup("\"x\"");
  work(f, j);
  job_free(j);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_poll_with_news_clears_validators,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_known_page_recovers_when_unconditional, setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_known_page_conditional_keeps_validators, setup, teardown),
      cmocka_unit_test_setup_teardown(test_no_validators_no_recovery, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_links_past_the_cap_are_left_out,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_validators_job, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
