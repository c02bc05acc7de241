/*
 * test_health.c: `mediawatch sources health` sees each way a source stops
 * delivering (issue 10), from what real crawls recorded.
 *
 * The fixture serves a scratch copy of tests/data/e2e/health/sites (see
 * its README.md): three portals with a listing page (栏目页) of 8 article
 * pages in the national standard (meta ArticleTitle, PubDate,
 * ContentSource, a 发布时间 / 来源 line, seed text), and five RSS feeds.
 * Dates in the files are tokens filled in from the clock at setup, so the
 * sources look alive whenever the test runs; the GBK pages are made from
 * their UTF-8 sources with iconv. The first crawl reads the config up to
 * its marker (the three portals and three feeds) and every source must be
 * ok, `sources health` exiting 0. Then next/ is laid over the sites and
 * the whole config is crawled:
 *   - the first portal's listing is redesigned (links only in a script
 *     array and onclick handlers): broken, no_links, 0 where 8 is usual;
 *   - the second gets 4 articles in a template without date or 来源:
 *     extraction, share 0 where it was 1, an example among the new ones;
 *   - the third gets 4 GBK articles labelled iso-8859-1 (no meta charset),
 *     decoded as windows-1252: mojibake, broken, with the mangled title;
 *   - a feed answers 301 to a new address where it goes on: moved;
 *   - a feed answers 304 with an ETag not its own: the stored one stays;
 *   - a feed weekly until 24 days ago (first polled now): silent, usual
 *     exactly 7 days, since its newest item; a weekly one 2 days old: ok;
 *   - a feed answering 503: failures recorded, not unreachable before
 *     health.unreachable_after (1m, never waited for).
 * Each case is its own test over the JSON (jansson) and the table printed
 * after the second crawl; `sources health` then exits 1. MW_HEALTH_KEEP=1
 * keeps the scratch folder (its store and configs) and prints the crawls.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tests/e2e/e2e.h"
#include "tests/e2e/health_sites.h"

#define CONFIG_MARKER "# --- the first crawl reads the config up to here ---"
#define HOUR_S 3600

/* One `sources health` run: its exit status and output. */
struct health_run {
  int rc, json_rc;
  char *text;    /* the table */
  char *err;     /* stderr of the table run */
  json_t *json;  /* NULL when --json printed no JSON */
  char *raw;     /* --json's stdout as printed */
};

/* Everything the cases look at, made once by the group setup. */
struct env {
  struct e2e_scratch dir;
  struct mw_fixture *fx;
  char sites[1024], next[1024], cfg_first[1024], cfg_all[1024], db[1024];
  int64_t now0; /* the clock the dates in the files are relative to */
  char *crawl1, *crawl2;
  int crawl2_rc;
  int64_t crawl2_at, h2_at; /* when the second crawl began, its survey ended */
  char *etag1; /* etag.xml's validator after the first crawl */
  uint64_t etag_conditional2, moved_new_requests2;
  struct health_run h1, h2;
};

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && !strcmp(s + n - k, suffix);
}

/* ------------------------------------------------------------ running */

static char *crawl(const char *cfg, int *rc) {
  const char *args[] = {"crawl", "--once", "--config", cfg, NULL};
  char *out = NULL, *err = NULL;
  *rc = e2e_run(&out, &err, args);
  if (*rc != 0 && *rc != 1)
    fail_msg("crawl exited %d\nstdout:\n%s\nstderr:\n%s", *rc, out, err);
  free(err);
  return out;
}

/* Both forms of `sources health`; never fails the setup (the command may
 * be missing): the cases say what is wrong. */
static void health(const char *cfg, struct health_run *h) {
  const char *table[] = {"sources", "health", "--config", cfg, NULL};
  const char *json[] = {"sources", "health", "--json", "--config", cfg, NULL};
  h->rc = e2e_run(&h->text, &h->err, table);
  char *jerr = NULL;
  h->json_rc = e2e_run(&h->raw, &jerr, json);
  free(jerr);
  json_error_t je;
  h->json = h->raw ? json_loads(h->raw, 0, &je) : NULL;
}

static void health_free(struct health_run *h) {
  free(h->text);
  free(h->err);
  free(h->raw);
  json_decref(h->json);
}

/* One value of the store (read-only), as text; NULL for SQL NULL. */
static char *db_text(const struct env *e, const char *sql, const char *arg) {
  sqlite3 *db = NULL;
  if (sqlite3_open_v2(e->db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    fail_msg("cannot open %s: %s", e->db, sqlite3_errmsg(db));
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt *s = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
    fail_msg("%s: %s", sql, sqlite3_errmsg(db));
  sqlite3_bind_text(s, 1, arg, -1, SQLITE_TRANSIENT);
  char *v = NULL;
  if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
    v = mw_strdup((const char *)sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  sqlite3_close(db);
  return v;
}

static int64_t db_int(const struct env *e, const char *sql, const char *arg) {
  char *v = db_text(e, sql, arg);
  int64_t n = -1;
  if (!v || mw_parse_int64(v, INT64_MIN, INT64_MAX, &n) != MW_OK)
    fail_msg("%s (%s): no number", sql, arg);
  free(v);
  return n;
}

/* The full URL of path on the fixture. */
static void url_of(const struct env *e, const char *path, char *buf,
                   size_t n) {
  snprintf(buf, n, "%s%s", mw_fixture_base_url(e->fx), path);
}

static char *source_etag(const struct env *e, const char *path) {
  char url[1024];
  url_of(e, path, url, sizeof url);
  return db_text(e, "SELECT etag FROM sources WHERE url = ?", url);
}

static struct env E;

static int group_setup(void **state) {
  (void)state;
  char from[1024], tmpl[1024];
  e2e_scratch_new(&E.dir, "health");
  e2e_data("e2e/health/sites", from, sizeof from);
  e2e_path(&E.dir, "sites", E.sites, sizeof E.sites);
  e2e_copy_tree(from, E.sites);
  e2e_data("e2e/health/next", from, sizeof from);
  e2e_path(&E.dir, "next", E.next, sizeof E.next);
  e2e_copy_tree(from, E.next);
  e2e_path(&E.dir, "first.yaml", E.cfg_first, sizeof E.cfg_first);
  e2e_path(&E.dir, "mediawatch.yaml", E.cfg_all, sizeof E.cfg_all);
  e2e_path(&E.dir, "mw.db", E.db, sizeof E.db);
  E.fx = e2e_fixture(E.sites);
  E.now0 = (int64_t)time(NULL);
  health_sites_fill(E.sites, E.now0, mw_fixture_base_url(E.fx));
  health_sites_fill(E.next, E.now0, mw_fixture_base_url(E.fx));

  e2e_data("e2e/health/health.yaml", tmpl, sizeof tmpl);
  e2e_make_config(tmpl, E.cfg_all, mw_fixture_base_url(E.fx), E.db);
  char *all = e2e_read_file(E.cfg_all, NULL);
  char *cut = all ? strstr(all, CONFIG_MARKER) : NULL;
  if (!cut) fail_msg("%s lacks its marker line", tmpl);
  *cut = '\0';
  e2e_write_file(E.cfg_first, all);
  free(all);

  int rc;
  E.crawl1 = crawl(E.cfg_first, &rc);
  if (rc != 0) fail_msg("the first crawl exited %d:\n%s", rc, E.crawl1);
  health(E.cfg_first, &E.h1);
  E.etag1 = source_etag(&E, "/feeds/etag.xml");

  /* The sites change: next/ over them, the 301 to the port of this run. */
  e2e_overlay_tree(E.next, E.sites);
  char side[2048], hdr[1024];
  snprintf(side, sizeof side, "%s/feeds/moved.xml.headers", E.sites);
  snprintf(hdr, sizeof hdr,
           "# Moved for good.\nStatus: 301\nLocation: %s/feeds/new/moved.xml\n",
           mw_fixture_base_url(E.fx));
  e2e_write_file(side, hdr);
  mw_fixture_reset_counts(E.fx);
  E.crawl2_at = (int64_t)time(NULL);
  E.crawl2 = crawl(E.cfg_all, &E.crawl2_rc);
  E.etag_conditional2 =
      mw_fixture_conditional_requests(E.fx, "/feeds/etag.xml");
  E.moved_new_requests2 = mw_fixture_requests(E.fx, "/feeds/new/moved.xml");
  health(E.cfg_all, &E.h2);
  E.h2_at = (int64_t)time(NULL);
  if (getenv("MW_HEALTH_KEEP"))
    fprintf(stderr, "first crawl:\n%s\nsecond crawl (exit %d):\n%s\n", E.crawl1,
            E.crawl2_rc, E.crawl2);
  return 0;
}

static int group_teardown(void **state) {
  (void)state;
  health_free(&E.h1);
  health_free(&E.h2);
  free(E.crawl1);
  free(E.crawl2);
  free(E.etag1);
  mw_fixture_stop(E.fx);
  if (!getenv("MW_HEALTH_KEEP")) e2e_scratch_free(&E.dir);
  else fprintf(stderr, "kept %s\n", E.dir.dir);
  return 0;
}

/* -------------------------------------------------- the admins are told */

/* After the second crawl (crawl --once checks the sources before it
 * exits), the admin's webhook holds one source_problem message for each
 * source a target counts on that went wrong, and none for the others:
 * those wait for the daily digest (which, depending on the hour the test
 * runs, may also have gone out: it is told apart by its event). */
static void test_admin_told_at_once(void **state) {
  (void)state;
  struct mw_fixture_delivery *d = NULL;
  size_t nd = e2e_deliveries(E.fx, "/hook/webhook/sources-admin", &d);
  size_t at_once = 0;
  bool songyuan = false, baishan = false;
  for (size_t k = 0; k < nd; k++) {
    json_error_t je;
    json_t *j = json_loadb(d[k].body, d[k].body_len, 0, &je);
    assert_non_null(j);
    const char *ev = json_string_value(json_object_get(j, "event"));
    assert_non_null(ev);
    if (strcmp(ev, "source_problem")) {
      assert_string_equal(ev, "source_digest");
      json_decref(j);
      continue;
    }
    at_once++;
    json_t *p = json_array_get(json_object_get(j, "problems"), 0);
    const char *outlet = json_string_value(json_object_get(p, "outlet"));
    const char *code = json_string_value(json_object_get(p, "code"));
    assert_non_null(outlet);
    assert_non_null(code);
    assert_true(json_is_true(json_object_get(p, "carries_target")));
    const char *text = json_string_value(json_object_get(j, "text"));
    assert_non_null(text);
    if (!strcmp(outlet, "松原市生态环境局")) {
      songyuan = true;
      assert_string_equal(code, "no_links");
      assert_non_null(strstr(text, "【信源失效】松原市生态环境局（承担考核目标）"));
      assert_non_null(strstr(text, "栏目页无文章链接（通常 8 条）"));
    } else {
      assert_string_equal(outlet, "白山市生态环境局");
      baishan = true;
      assert_string_equal(code, "mojibake");
      assert_non_null(strstr(text, "疑似乱码"));
    }
    json_decref(j);
  }
  assert_int_equal(at_once, 2);
  assert_true(songyuan && baishan);
  mw_fixture_deliveries_free(d, nd);
}

/* ---------------------------------------------------------- the survey */

static const char *jstr(const json_t *o, const char *key) {
  const char *s = json_string_value(json_object_get(o, key));
  return s ? s : "";
}

static void need_json(const struct health_run *h) {
  if (!h->json)
    fail_msg("`sources health --json` printed no JSON (exit %d):\n%s\n"
             "the table run (exit %d):\n%s\n%s",
             h->json_rc, h->raw ? h->raw : "(nothing)", h->rc,
             h->text ? h->text : "", h->err ? h->err : "");
}

/* The survey's row of the source whose URL ends with path. */
static json_t *row(const struct health_run *h, const char *path) {
  need_json(h);
  json_t *sources = json_object_get(h->json, "sources");
  size_t i;
  json_t *s;
  json_array_foreach(sources, i, s) {
    if (ends_with(jstr(s, "url"), path)) return s;
  }
  fail_msg("no source %s in:\n%s", path, h->raw);
  return NULL;
}

static const char *dump(const json_t *j) {
  static char buf[16384];
  char *s = json_dumps(j, JSON_INDENT(1));
  snprintf(buf, sizeof buf, "%s", s ? s : "(null)");
  free(s);
  return buf;
}

/* The problem of src with code (and field, when not NULL); NULL if none. */
static json_t *problem(const json_t *src, const char *code,
                       const char *field) {
  size_t i;
  json_t *p;
  json_array_foreach(json_object_get(src, "problems"), i, p) {
    if (!strcmp(jstr(p, "code"), code) &&
        (!field || !strcmp(jstr(p, "field"), field)))
      return p;
  }
  return NULL;
}

static json_t *need_problem(const json_t *src, const char *code) {
  json_t *p = problem(src, code, NULL);
  if (!p) fail_msg("no %s problem on:\n%s", code, dump(src));
  return p;
}

static void expect_status(const json_t *src, const char *status) {
  if (strcmp(jstr(src, "status"), status))
    fail_msg("status %s, not %s:\n%s", jstr(src, "status"), status,
             dump(src));
}

static int64_t jint(const json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  if (!json_is_integer(v))
    fail_msg("%s is not an integer in:\n%s", key, dump(o));
  return (int64_t)json_integer_value(v);
}

static double jreal(const json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  if (!json_is_number(v)) fail_msg("%s is not a number in:\n%s", key, dump(o));
  return json_number_value(v);
}

static int digits_at(const char *s, size_t n) {
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/* "2026-11-01T10:00:00+08:00" (or Z, +0800) as epoch seconds. */
static int64_t iso_epoch(const char *s) {
  size_t n = strlen(s);
  if (n < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
      s[16] != ':')
    fail_msg("not an ISO 8601 time: '%s'", s);
  int y = digits_at(s, 4), mo = digits_at(s + 5, 2), d = digits_at(s + 8, 2);
  int h = digits_at(s + 11, 2), mi = digits_at(s + 14, 2);
  int se = digits_at(s + 17, 2);
  const char *z = s + 19;
  while (*z == '.' || (*z >= '0' && *z <= '9')) z++;
  int off = 0;
  if (*z == '+' || *z == '-') {
    int oh = digits_at(z + 1, 2);
    int om = digits_at(z + (z[3] == ':' ? 4 : 3), 2);
    off = (oh * 60 + om) * 60 * (*z == '-' ? -1 : 1);
  } else if (*z != 'Z') {
    fail_msg("no zone in '%s'", s);
  }
  return mw_time_from_civil(y, mo, d, h, mi, se, off);
}

/* The example of problem p is one of the 4 articles of the second crawl
 * (PREFIX09.html to PREFIX12.html). */
static void expect_new_article(const json_t *p, const char *prefix) {
  const char *url = jstr(p, "url");
  for (int k = 9; k <= 12; k++) {
    char want[64];
    snprintf(want, sizeof want, "%s%02d.html", prefix, k);
    if (ends_with(url, want)) return;
  }
  fail_msg("example %s is not a new article:\n%s", url, dump(p));
}

/* ---------------------------------------------------------- the cases */

/* After the first crawl of the seven sources, all are ok. */
static void test_first_crawl_all_ok(void **state) {
  (void)state;
  e2e_expect_in(E.crawl1, "new articles: 54");
  need_json(&E.h1);
  json_t *counts = json_object_get(E.h1.json, "counts");
  assert_int_equal(jint(counts, "ok"), 7);
  assert_int_equal(jint(counts, "degraded"), 0);
  assert_int_equal(jint(counts, "broken"), 0);
  size_t i;
  json_t *s;
  json_array_foreach(json_object_get(E.h1.json, "sources"), i, s) {
    expect_status(s, "ok");
    assert_int_equal(json_array_size(json_object_get(s, "problems")), 0);
  }
  assert_int_equal(json_array_size(json_object_get(E.h1.json, "sources")), 7);
  if (E.h1.rc != 0 || E.h1.json_rc != 0)
    fail_msg("all ok, yet exit %d (--json %d):\n%s", E.h1.rc, E.h1.json_rc,
             E.h1.text);
  e2e_expect_in(E.h1.text, "sources: 7 ok, 0 degraded, 0 broken");
}

/* A listing redesigned: no link found where there were 8. */
static void test_listing_template_changed(void **state) {
  (void)state;
  json_t *s = row(&E.h2, "/tmpl/index.html");
  expect_status(s, "broken");
  json_t *p = need_problem(s, "no_links");
  assert_string_equal(jstr(p, "severity"), "broken");
  assert_int_equal(jint(p, "count"), 0);
  assert_int_equal(jint(p, "usual"), 8);
  assert_string_equal(jstr(p, "detail_zh"),
                      "栏目页无文章链接（通常 8 条），模板可能已改版");
  /* since: that last 200, made by the second crawl */
  int64_t since = iso_epoch(jstr(p, "since"));
  assert_true(since >= E.now0 && since <= (int64_t)time(NULL));
}

/* The listing links to four pages that are gone: article pages that gave
 * no article, 4 of the 8 since the recent window began (its 4 articles). */
static void test_dead_article_pages(void **state) {
  (void)state;
  json_t *s = row(&E.h2, "/dead/index.html");
  expect_status(s, "degraded");
  json_t *p = problem(s, "extraction", "page");
  if (!p) fail_msg("no extraction problem of pages on:\n%s", dump(s));
  assert_string_equal(jstr(p, "severity"), "degraded");
  assert_int_equal(jint(p, "count"), 8);
  assert_true(jreal(p, "share") == 0.5);
  const char *url = jstr(p, "url");
  assert_non_null(strstr(url, "/dead/art/290"));
  assert_non_null(strstr(jstr(p, "detail"),
                         "article pages yielded no article: 4 of the last 8; "
                         "e.g. "));
  assert_non_null(strstr(jstr(p, "detail"), ".html: HTTP 404"));
}

/* Article pages redesigned: the 4 new ones have no date and no 来源. */
static void test_article_template_changed(void **state) {
  (void)state;
  json_t *s = row(&E.h2, "/extr/index.html");
  json_t *date = problem(s, "extraction", "date");
  json_t *origin = problem(s, "extraction", "origin");
  if (!date && !origin)
    fail_msg("no extraction problem of date or origin on:\n%s", dump(s));
  json_t *ps[] = {date, origin};
  for (size_t i = 0; i < 2; i++) {
    json_t *p = ps[i];
    if (!p) continue;
    assert_string_equal(jstr(p, "severity"), "broken");
    assert_true(jreal(p, "share") == 0.0);
    assert_true(jreal(p, "usual_share") == 1.0);
    assert_int_equal(jint(p, "count"), 4);
    expect_new_article(p, "/extr/art/20");
  }
  /* Titles and bodies are still found. */
  assert_null(problem(s, "extraction", "title"));
  assert_null(problem(s, "extraction", "body"));
  expect_status(s, "broken");
}

/* GBK under a lying iso-8859-1 label: Latin mojibake. */
static void test_lying_charset(void **state) {
  (void)state;
  json_t *s = row(&E.h2, "/gbk/index.html");
  expect_status(s, "broken");
  json_t *p = need_problem(s, "mojibake");
  assert_string_equal(jstr(p, "severity"), "broken");
  double share = jreal(p, "share");
  if (!(share > 0.5)) fail_msg("share %g:\n%s", share, dump(p));
  assert_true(jreal(p, "usual_share") < 0.05);
  assert_int_equal(jint(p, "count"), 4);
  expect_new_article(p, "/gbk/art/30");
  const char *text = jstr(p, "text");
  /* The title as decoded: Latin-1 letters (U+0080..U+00FF are C2/C3 in
   * UTF-8) and no 汉字 (E4..E9 lead bytes). */
  size_t latin = 0, han = 0;
  for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
    latin += *c == 0xC2 || *c == 0xC3;
    han += *c >= 0xE4 && *c <= 0xE9;
  }
  if (latin < 10 || han) fail_msg("not the mangled title: '%s'", text);
}

/* Weekly until 24 days ago: silent; weekly until 2 days ago: ok. */
static void test_silent(void **state) {
  (void)state;
  json_t *s = row(&E.h2, "/feeds/quiet.xml");
  expect_status(s, "degraded");
  json_t *p = need_problem(s, "silent");
  assert_string_equal(jstr(p, "severity"), "degraded");
  assert_int_equal(jint(p, "usual"), 7 * 24 * HOUR_S);
  assert_int_equal(iso_epoch(jstr(p, "since")), E.now0 - 576 * HOUR_S);
  assert_int_equal(jint(p, "count"), 10);

  json_t *c = row(&E.h2, "/feeds/weekly.xml");
  expect_status(c, "ok");
  assert_int_equal(json_array_size(json_object_get(c, "problems")), 0);
}

/* A permanent redirect: moved, to the new address, and still read. */
static void test_moved(void **state) {
  (void)state;
  char want[1024], url[1024];
  url_of(&E, "/feeds/new/moved.xml", want, sizeof want);
  json_t *s = row(&E.h2, "/feeds/moved.xml");
  expect_status(s, "degraded");
  json_t *p = need_problem(s, "moved");
  assert_string_equal(jstr(p, "severity"), "degraded");
  assert_string_equal(jstr(p, "url"), want);
  assert_string_equal(jstr(s, "moved_to"), want);
  int64_t since = iso_epoch(jstr(p, "since"));
  assert_true(since >= E.now0 && since <= (int64_t)time(NULL));
  /* The articles still arrive: the 6 of the first crawl and 2 new. */
  assert_true(E.moved_new_requests2 >= 1);
  url_of(&E, "/feeds/moved.xml", url, sizeof url);
  assert_int_equal(db_int(&E,
                          "SELECT count(*) FROM articles WHERE source_id = "
                          "(SELECT id FROM sources WHERE url = ?)",
                          url),
                   8);
  assert_int_equal(jint(s, "articles_7d"), 8);
}

/* 503 since its first poll: failures recorded, not unreachable before
 * unreachable_after (1m). Runs last: it crawls once more. */
static void test_unreachable_not_yet(void **state) {
  (void)state;
  char url[1024];
  url_of(&E, "/feeds/down.xml", url, sizeof url);
  assert_int_equal(E.crawl2_rc, 1); /* a source failed */
  e2e_expect_in(E.crawl2, "503");
  json_t *s = row(&E.h2, "/feeds/down.xml");
  /* Failing for seconds, not the minute (unless a slow run took that). */
  if (E.h2_at - E.crawl2_at < 60) {
    assert_null(problem(s, "unreachable", NULL));
    expect_status(s, "ok");
  }
  assert_true(json_is_null(json_object_get(s, "last_ok")));
  assert_false(json_is_null(json_object_get(s, "last_fetch")));
  assert_int_equal(
      db_int(&E, "SELECT consecutive_failures FROM sources WHERE url = ?",
             url),
      1);

  int rc;
  char *out = crawl(E.cfg_all, &rc);
  assert_int_equal(rc, 1);
  free(out);
  assert_int_equal(
      db_int(&E, "SELECT consecutive_failures FROM sources WHERE url = ?",
             url),
      2);
  assert_int_equal(
      db_int(&E, "SELECT count(*) FROM fetch_log WHERE ok = 0 AND "
                 "http_status = 503 AND source_id = "
                 "(SELECT id FROM sources WHERE url = ?)",
             url),
      2);
  struct health_run h = {0};
  health(E.cfg_all, &h);
  s = row(&h, "/feeds/down.xml");
  if (problem(s, "unreachable", NULL) &&
      (int64_t)time(NULL) - E.crawl2_at < 60)
    fail_msg("unreachable within the minute:\n%s", dump(s));
  health_free(&h);
}

/* 304 with another ETag: the stored validator stays the first one. */
static void test_validators_kept(void **state) {
  (void)state;
  assert_non_null(E.etag1);
  assert_int_equal(E.etag_conditional2, 1);
  char *etag2 = source_etag(&E, "/feeds/etag.xml");
  assert_non_null(etag2);
  assert_string_equal(etag2, E.etag1);
  assert_string_not_equal(etag2, "\"not-the-stored-one\"");
  free(etag2);
  json_t *s = row(&E.h2, "/feeds/etag.xml");
  expect_status(s, "ok");
}

/* The table: a row per source with its status, a line per problem, the
 * totals, and exit 1. */
static void test_table_and_exit(void **state) {
  (void)state;
  need_json(&E.h2);
  json_t *counts = json_object_get(E.h2.json, "counts");
  assert_int_equal(jint(counts, "ok"), 3);
  assert_int_equal(jint(counts, "degraded"), 3);
  assert_int_equal(jint(counts, "broken"), 3);
  if (E.h2.rc != 1 || E.h2.json_rc != 1)
    fail_msg("problems found, yet exit %d (--json %d):\n%s%s", E.h2.rc,
             E.h2.json_rc, E.h2.text, E.h2.err);
  const char *text = E.h2.text;
  e2e_expect_in(text, "sources: 3 ok, 3 degraded, 3 broken");
  size_t i;
  json_t *s;
  json_array_foreach(json_object_get(E.h2.json, "sources"), i, s) {
    /* the row: the line naming the source's URL shows its status */
    const char *url = jstr(s, "url");
    const char *at = strstr(text, url);
    if (!at) fail_msg("no row for %s:\n%s", url, text);
    const char *bol = at;
    while (bol > text && bol[-1] != '\n') bol--;
    const char *eol = strchr(at, '\n');
    size_t n = eol ? (size_t)(eol - bol) : strlen(bol);
    char line[2048], lower[2048];
    snprintf(line, sizeof line, "%.*s", (int)n, bol);
    for (size_t k = 0; k <= strlen(line); k++)
      lower[k] = (char)mw_ascii_tolower((unsigned char)line[k]);
    if (!strstr(lower, jstr(s, "status")))
      fail_msg("the row of %s lacks '%s': %s", url, jstr(s, "status"), line);
    size_t k;
    json_t *p;
    json_array_foreach(json_object_get(s, "problems"), k, p) {
      char want[1200];
      snprintf(want, sizeof want, "%s: %s", jstr(p, "code"), jstr(p, "detail"));
      e2e_expect_in(text, want);
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_first_crawl_all_ok),
      cmocka_unit_test(test_listing_template_changed),
      cmocka_unit_test(test_article_template_changed),
      cmocka_unit_test(test_dead_article_pages),
      cmocka_unit_test(test_lying_charset),
      cmocka_unit_test(test_silent),
      cmocka_unit_test(test_moved),
      cmocka_unit_test(test_validators_kept),
      cmocka_unit_test(test_table_and_exit),
      cmocka_unit_test(test_unreachable_not_yet),
      cmocka_unit_test(test_admin_told_at_once),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
