/*
 * listing_internal.h (private to crawler/listing*.c): what the three parts
 * of listing-page link discovery share.
 *
 *   listing.c       the entry point: decoding, the light tree, collecting
 *                   every <a href>, the links_xpath override, the result.
 *   listing_score.c what a link and its surroundings look like: zones to
 *                   leave out (nav, footer, breadcrumb), sidebars, article-
 *                   and column-like URLs, headline-like texts, and the
 *                   choice of the link-dense block.
 *   listing_page.c  pagination (下一页, index_N.html, createPageHTML) and
 *                   the dates printed beside links.
 *
 * Everything lives in the listing's arena.
 */
#ifndef MW_CRAWLER_LISTING_INTERNAL_H
#define MW_CRAWLER_LISTING_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crawler/crawler.h"
#include "crawler/html.h"

/* Links looked at per page; a listing has a few hundred at most. */
#define MW_LISTING_MAX_LINKS 10000
/* Tree depth followed when inheriting zones (html.c's default limit). */
#define MW_LISTING_MAX_DEPTH 256

enum {
  LC_EXCLUDED = 1 << 0,   /* nav, header, footer, breadcrumb */
  LC_SIDEBAR = 1 << 1,    /* 热点推荐, related, ranking lists */
  LC_ATTACHMENT = 1 << 2, /* .pdf .doc ... */
  LC_NEXT = 1 << 3,       /* the next listing page */
  LC_PAGER = 1 << 4,      /* other pagination: 首页, 上一页, 2, 3 ... */
  LC_MORE = 1 << 5,       /* 更多, more */
  LC_SELF = 1 << 6,       /* the listing itself */
  LC_ARTICLE_URL = 1 << 7,
  LC_COLUMN_URL = 1 << 8,
  LC_SAME_SITE = 1 << 9,
  LC_SELECTED = 1 << 10,  /* an article of the chosen block */
  LC_NEXT_TEXT = 1 << 11, /* LC_NEXT because the anchor says so */
  LC_SAME_COLUMN = 1 << 12, /* under the listing's own folder */
};

/* One <a href> of the page. */
struct lcand {
  const struct mw_html_node *a;
  char *url;  /* canonical */
  char *text; /* whitespace collapsed */
  size_t url_id; /* equal for equal URLs, < lctx.n_urls */
  size_t text_chars;
  unsigned flags;
  bool date_done;
  int64_t date; /* printed beside it, or MW_TIME_UNKNOWN */
  double score;
  uint64_t sig; /* hash of the (tag, id, class) path above it */
};

struct lctx {
  struct mw_arena *arena;
  const struct mw_html_doc *doc;
  const char *page_url; /* canonical */
  const char *base;     /* <base href> or page_url */
  size_t column_len;    /* page_url up to its last '/', 0 for the root */
  char host[256];
  int default_offset_s;
  const char *html; /* the decoded page, for script scans */
  size_t html_len;
  struct lcand *c;
  size_t n;
  size_t n_urls; /* distinct URLs among c */
};

/* listing_score.c */
bool mw_listing_is_attachment(const char *url);
/* Sets LC_ARTICLE_URL or LC_COLUMN_URL from the URL's shape. */
unsigned mw_listing_url_shape(const char *url);
/* LC_EXCLUDED and LC_SIDEBAR from one element itself (its tag, class and
 * id); a link's zone is the union over its ancestors. */
unsigned mw_listing_node_zone(const struct mw_html_node *n);
/* Whether a stands in a breadcrumb (当前位置：...). */
bool mw_listing_in_crumb(const struct mw_html_node *a);
bool mw_listing_same_site(const char *host, const char *url);
bool mw_listing_same_page(const char *a, const char *b);
/* Marks the articles of the link-dense block LC_SELECTED; returns false
 * when the page has no such block. */
bool mw_listing_choose_block(struct lctx *x);
/* Fallback: articles recognised by URL alone. */
void mw_listing_choose_by_url(struct lctx *x);

/* listing_page.c */
/* LC_NEXT, LC_PAGER or LC_MORE from the anchor text, rel and URL. */
unsigned mw_listing_pager(const struct lctx *x, const struct lcand *c);
/* The next page named by a TRS createPageHTML(...) call in the page's
 * scripts, canonical and arena-owned, or NULL. */
char *mw_listing_trs_next(const struct lctx *x);
/* The date printed beside c (computed once). */
int64_t mw_listing_date(struct lctx *x, struct lcand *c);
/* Finds the first date in UTF-8 text: full dates, or month-day with the
 * year taken from year_hint (0 = none). MW_TIME_UNKNOWN when none. */
int64_t mw_listing_find_date(const char *s, size_t n, int year_hint,
                             int offset_s);
/* The year an article URL carries (/202305/t20230508_1.html, /2023-05/),
 * or 0. */
int mw_listing_url_year(const char *url);

#endif
