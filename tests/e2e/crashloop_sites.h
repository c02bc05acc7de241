/*
 * crashloop_sites.h: the sites test_crashloop.c crawls, and the work it
 * publishes into them between kills (issue 9).
 *
 * What it does: copies the demo's fixture sites (tests/data/sites, 55
 * articles) into a scratch folder the fixture serves, adds generated work
 * under gen/ (six RSS feeds of plain items, a news sitemap of article pages,
 * a complaint board's sitemap whose pages each raise an alert), and then,
 * one batch per round, publishes more of the same: new feed entries (some
 * of them residents' complaints, which raise alerts), new news pages and
 * new board pages. Every file a running daemon may be reading is replaced
 * by rename, so the fixture serves the old version or the new one, never
 * half a file; pages are written before the sitemap that names them.
 *
 * What it leaves to others: choosing the batches (the test's seeded PRNG),
 * the config, the fixture, the checks. The text of every item is a
 * function of its feed or folder and its index only, so one batch plan
 * gives the same sites byte for byte.
 */
#ifndef MW_TESTS_E2E_CRASHLOOP_SITES_H
#define MW_TESTS_E2E_CRASHLOOP_SITES_H

#include <stdbool.h>
#include <stddef.h>

/* The demo's articles in tests/data/sites. */
#define CRASHLOOP_DEMO_ARTICLES 55
/* The generated feeds, and the items each holds at the start. */
#define CRASHLOOP_FEEDS 6
#define CRASHLOOP_FEED_ITEMS 40
/* Items a feed may hold in all (start plus every batch). */
#define CRASHLOOP_FEED_MAX 160
/* News and board pages at the start. A sitemap keeps under the 200 pages
 * one poll asks for (MW_PIPELINE_MAX_ARTICLES_PER_POLL), so the uninterrupted
 * reference crawl (`crawl --once`, one poll a source) gets all of them. */
#define CRASHLOOP_NEWS_PAGES 100
#define CRASHLOOP_BOARD_PAGES 40
#define CRASHLOOP_SITEMAP_MAX 200

/* One round's new work. */
struct crashloop_batch {
  size_t feed_items[CRASHLOOP_FEEDS]; /* new entries per feed */
  /* bit i: the feed's ith new entry is a complaint (raises an alert) */
  unsigned feed_complaints[CRASHLOOP_FEEDS];
  size_t news;  /* new news pages */
  size_t board; /* new complaint pages (each raises an alert) */
};

struct crashloop_corpus {
  char *text;
  size_t len, chars; /* bytes, code points */
};

/* The served sites and what has been published into them. */
struct crashloop_sites {
  char root[1024]; /* the folder the fixture serves */
  struct crashloop_corpus corpus;
  size_t feed_items[CRASHLOOP_FEEDS];
  bool complaint[CRASHLOOP_FEEDS][CRASHLOOP_FEED_MAX];
  size_t news, board;
  size_t urls;       /* generated article URLs published so far */
  size_t complaints; /* of them complaints: board pages, complaint entries */
};

/* Copies data_sites (tests/data/sites) to root (which must not exist yet)
 * and writes the starting work into root/gen. Fails the test on any error.
 * Release with crashloop_sites_cleanup (the files stay). */
void crashloop_sites_init(struct crashloop_sites *s, const char *data_sites,
                          const char *root);
/* Publishes b into the sites; fails the test when it goes past the
 * ceilings above. */
void crashloop_sites_publish(struct crashloop_sites *s,
                             const struct crashloop_batch *b);
/* Every article URL the sites hold: the demo's and the generated ones. */
size_t crashloop_sites_articles(const struct crashloop_sites *s);
void crashloop_sites_cleanup(struct crashloop_sites *s);

#endif
