/* crashloop_sites.c: see crashloop_sites.h. Fails the test on any error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/e2e/crashloop_sites.h"
#include "tests/e2e/e2e.h"

/* Replaces path with b's text (and frees b) by writing path.tmp and
 * renaming it: the fixture reads files at request time, and a daemon
 * polling while a round is published must get a whole feed. */
static void publish_buf(const char *path, struct mw_buf *b) {
  char tmp[1300];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  e2e_write_file(tmp, b->data ? b->data : "");
  assert_int_equal(rename(tmp, path), 0);
  mw_buf_cleanup(b);
}

/* ------------------------------------------------------------- the text */

/* Chinese text for the generated items: the non-ASCII characters of the
 * fixture sites' UTF-8 feeds and article pages, outside their tags, run
 * together. Slices of it make item texts that differ from one another. */
static void corpus_load(struct crashloop_corpus *c) {
  static const char *const files[] = {
      "sites/renmin/rss.xml", "sites/jilinribao/atom.xml",
      "sites/cenews/2023/05/09/art_4101.html",
      "sites/cenews/2023/05/15/art_4102.html",
      "sites/cenews/2023/05/16/art_4103.html",
      "sites/cenews/2023/05/17/art_4121.html",
      "sites/cenews/2023/05/21/art_4104.html",
      "sites/cenews/2023/05/25/art_4105.html"};
  struct mw_buf b;
  mw_buf_init(&b, 1u << 20);
  c->chars = 0;
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    char path[1024];
    e2e_data(files[i], path, sizeof path);
    char *t = e2e_read_file(path, NULL);
    assert_non_null(t);
    bool in_tag = false;
    for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
      if (*p == '<') in_tag = true;
      else if (*p == '>') in_tag = false;
      else if (!in_tag && *p >= 0x80) {
        mw_buf_putc(&b, (char)*p);
        c->chars += (*p & 0xC0) != 0x80;
      }
    }
    free(t);
  }
  c->len = b.len;
  c->text = mw_buf_steal(&b);
  assert_true(c->chars > 4000);
}

/* n code points of the corpus from code point index at (taken modulo what
 * leaves room for n), appended to out. */
static void corpus_slice(const struct crashloop_corpus *c, size_t at, size_t n,
                         struct mw_buf *out) {
  size_t i = 0, cp = 0;
  at %= c->chars - n;
  while (cp < at && i < c->len) {
    i++;
    while (i < c->len && ((unsigned char)c->text[i] & 0xC0) == 0x80) i++;
    cp++;
  }
  size_t start = i;
  for (size_t k = 0; k < n && i < c->len; k++) {
    i++;
    while (i < c->len && ((unsigned char)c->text[i] & 0xC0) == 0x80) i++;
  }
  mw_buf_append(out, c->text + start, i - start);
}

/* "Mon, 01 May 2023 08:00:00 +0800" for the kth item: May 1-28, hours. */
static void rfc822(size_t k, char *buf, size_t n) {
  static const char *const wd[] = {"Mon", "Tue", "Wed", "Thu",
                                   "Fri", "Sat", "Sun"};
  size_t day = k % 28;
  snprintf(buf, n, "%s, %02zu May 2023 %02zu:%02zu:00 +0800", wd[day % 7],
           day + 1, 6 + (k / 28) % 16, (k * 7) % 60);
}

static const char *const districts[] = {"朝阳区", "南关区", "宽城区",
                                        "二道区", "绿园区", "双阳区",
                                        "九台区", "净月区"};
static const char *const troubles[] = {
    "垃圾中转站恶臭扰民，夏天臭气熏天", "一家企业夜里偷排污水，河水发黑",
    "有人在路边非法倾倒建筑垃圾", "小区旁的工地刺鼻气味，居民头疼"};

/* ---------------------------------------------------------------- feeds */

static const char rss_head[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\">"
    "<channel><title>%s</title><link>http://127.0.0.1:18931/gen/</link>"
    "<description>generated</description>\n";

/* Feed f, newest entry first: the starting plain items, then those the
 * batches added, complaints among them. The text of entry i depends on
 * (f, i) only; k numbers the entries of all feeds apart, so no two share
 * their slices of the corpus (a shared slice would make reprints). */
static void write_feed(const struct crashloop_sites *s, size_t f) {
  struct mw_buf b;
  char path[1200], date[64], title[64];
  mw_buf_init(&b, 4u << 20);
  snprintf(title, sizeof title, "网友论坛%zu", f);
  mw_buf_printf(&b, rss_head, title);
  for (size_t i = s->feed_items[f]; i-- > 0;) {
    size_t k = i < CRASHLOOP_FEED_ITEMS
                   ? f * CRASHLOOP_FEED_ITEMS + i
                   : 1000 + f * CRASHLOOP_FEED_MAX + i;
    const char *d = districts[(f + i) % 8], *t = troubles[(f + i / 8) % 4];
    bool complaint = s->complaint[f][i];
    rfc822(k, date, sizeof date);
    mw_buf_printf(&b, "<item><title>论坛%zu帖子%zu：", f, i);
    if (complaint)
      mw_buf_printf(&b, "%s居民反映%s", d, t);
    else
      corpus_slice(&s->corpus, k * 53, 18, &b);
    mw_buf_printf(&b,
                  "</title><link>http://127.0.0.1:18931/gen/f%zu/%zu.html"
                  "</link><pubDate>%s</pubDate><description>",
                  f, i, date);
    if (complaint) mw_buf_printf(&b, "长春市%s居民反映：%s。", d, t);
    corpus_slice(&s->corpus, k * 7919 + 101, 60, &b);
    corpus_slice(&s->corpus, k * 104729 + 57, 60, &b);
    mw_buf_puts(&b, complaint ? "请有关部门尽快处理。" : "");
    mw_buf_puts(&b, "</description></item>\n");
  }
  mw_buf_puts(&b, "</channel></rss>\n");
  snprintf(path, sizeof path, "%s/gen/feed%zu.xml", s->root, f);
  publish_buf(path, &b);
}

/* ------------------------------------------------------------- sitemaps */

/* Page i of gen/DIR. complaints: a resident's message naming a district
 * and a trouble, with text of its own, so each raises an alert of its own;
 * else plain news. Its title and date into title and iso. */
static void write_page(const struct crashloop_sites *s, const char *dir,
                       size_t i, bool complaints, char *title, size_t tn,
                       char *iso, size_t in) {
  const char *d = districts[i % 8], *t = troubles[(i / 8 + i) % 4];
  char path[1200];
  struct mw_buf p;
  snprintf(iso, in, "2023-05-%02zuT%02zu:%02zu:00+08:00", i % 28 + 1,
           8 + i % 12, i % 60);
  if (complaints)
    snprintf(title, tn, "%s第%zu号留言：%s", d, i, t);
  else
    snprintf(title, tn, "%s新闻%zu", dir, i);
  mw_buf_init(&p, 1u << 20);
  mw_buf_printf(&p,
                "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta "
                "charset=\"utf-8\"><title>%s</title><meta "
                "property=\"og:title\" content=\"%s\"><meta "
                "property=\"article:published_time\" content=\"%s\">"
                "</head><body><nav><a href=\"/gen/\">首页</a></nav><main>"
                "<article><h1>%s</h1><div class=\"article-content\">\n<p>",
                title, title, iso, title);
  if (complaints) mw_buf_printf(&p, "长春市%s居民反映：%s。", d, t);
  /* Two slices, both chosen by i, so no two pages share much. */
  corpus_slice(&s->corpus, i * 7919 + (complaints ? 17 : 0), 90, &p);
  mw_buf_puts(&p, "</p>\n<p>");
  corpus_slice(&s->corpus, i * 104729 + 3, 90, &p);
  mw_buf_puts(&p, complaints ? "请有关部门尽快处理。" : "");
  mw_buf_puts(&p, "</p>\n</div></article></main></body></html>\n");
  snprintf(path, sizeof path, "%s/gen/%s/%zu.html", s->root, dir, i);
  publish_buf(path, &p);
}

/* A news sitemap under gen/DIR naming pages 0..to-1, of which from..to-1
 * are written now (the others are there from earlier rounds): the pages
 * first, then the sitemap that names them. */
static void write_sitemap(const struct crashloop_sites *s, const char *dir,
                          size_t from, size_t to, bool complaints) {
  struct mw_buf m;
  char path[1200], title[256], iso[64];
  assert_true(to <= CRASHLOOP_SITEMAP_MAX);
  mw_buf_init(&m, 4u << 20);
  mw_buf_puts(&m,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns="
              "\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news="
              "\"http://www.google.com/schemas/sitemap-news/0.9\">\n");
  for (size_t i = 0; i < to; i++) {
    if (i >= from) {
      write_page(s, dir, i, complaints, title, sizeof title, iso, sizeof iso);
    } else {
      /* Only the title and date: the page itself is already served. */
      const char *d = districts[i % 8], *t = troubles[(i / 8 + i) % 4];
      snprintf(iso, sizeof iso, "2023-05-%02zuT%02zu:%02zu:00+08:00",
               i % 28 + 1, 8 + i % 12, i % 60);
      if (complaints)
        snprintf(title, sizeof title, "%s第%zu号留言：%s", d, i, t);
      else
        snprintf(title, sizeof title, "%s新闻%zu", dir, i);
    }
    mw_buf_printf(&m,
                  "<url><loc>/gen/%s/%zu.html</loc><lastmod>%s</lastmod>"
                  "<news:news><news:publication><news:name>%s</news:name>"
                  "<news:language>zh</news:language></news:publication>"
                  "<news:publication_date>%s</news:publication_date>"
                  "<news:title>%s</news:title></news:news></url>\n",
                  dir, i, iso, dir, iso, title);
  }
  mw_buf_puts(&m, "</urlset>\n");
  snprintf(path, sizeof path, "%s/gen/%s/sitemap.xml", s->root, dir);
  publish_buf(path, &m);
}

/* ---------------------------------------------------------------- public */

void crashloop_sites_init(struct crashloop_sites *s, const char *data_sites,
                          const char *root) {
  char path[1200];
  *s = (struct crashloop_sites){0};
  snprintf(s->root, sizeof s->root, "%s", root);
  e2e_copy_tree(data_sites, root);
  corpus_load(&s->corpus);
  snprintf(path, sizeof path, "%s/gen", root);
  assert_int_equal(mkdir(path, 0755), 0);
  static const char *const dirs[] = {"news", "board"};
  for (size_t d = 0; d < 2; d++) {
    snprintf(path, sizeof path, "%s/gen/%s", root, dirs[d]);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/gen/%s/sitemap.xml.headers", root,
             dirs[d]);
    e2e_write_file(path, "Content-Type: application/xml; charset=utf-8\n");
  }
  struct crashloop_batch b = {.news = CRASHLOOP_NEWS_PAGES,
                              .board = CRASHLOOP_BOARD_PAGES};
  for (size_t f = 0; f < CRASHLOOP_FEEDS; f++)
    b.feed_items[f] = CRASHLOOP_FEED_ITEMS;
  crashloop_sites_publish(s, &b);
}

void crashloop_sites_publish(struct crashloop_sites *s,
                             const struct crashloop_batch *b) {
  for (size_t f = 0; f < CRASHLOOP_FEEDS; f++) {
    if (!b->feed_items[f]) continue;
    size_t from = s->feed_items[f];
    assert_true(b->feed_items[f] <= CRASHLOOP_FEED_MAX - from);
    for (size_t i = 0; i < b->feed_items[f]; i++) {
      bool complaint = i < 32 && ((b->feed_complaints[f] >> i) & 1u);
      s->complaint[f][from + i] = complaint;
      s->complaints += complaint;
    }
    s->feed_items[f] += b->feed_items[f];
    s->urls += b->feed_items[f];
    write_feed(s, f);
  }
  if (b->news) {
    write_sitemap(s, "news", s->news, s->news + b->news, false);
    s->news += b->news;
    s->urls += b->news;
  }
  if (b->board) {
    write_sitemap(s, "board", s->board, s->board + b->board, true);
    s->board += b->board;
    s->urls += b->board;
    s->complaints += b->board;
  }
}

size_t crashloop_sites_articles(const struct crashloop_sites *s) {
  return CRASHLOOP_DEMO_ARTICLES + s->urls;
}

void crashloop_sites_cleanup(struct crashloop_sites *s) {
  free(s->corpus.text);
  s->corpus.text = NULL;
}
