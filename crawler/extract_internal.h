/*
 * extract_internal.h (private to crawler/extract*.c): the state one
 * mw_article_extract call shares between its parts.
 *
 * extract.c decodes the page, builds the light tree and runs the parts in
 * order; extract_meta.c reads what the page declares (<meta>, Open Graph,
 * JSON-LD, WeChat's script variables) and picks the title;
 * extract_body.c scores the tree by text density and writes the body;
 * extract_time.c reads the labelled lines around the title (发布时间,
 * 来源, 作者, 责任编辑) and the date in the URL. Every string they keep
 * lives in the result's arena.
 */
#ifndef MW_CRAWLER_EXTRACT_INTERNAL_H
#define MW_CRAWLER_EXTRACT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crawler/crawler.h"
#include "crawler/html.h"

/* What the page declares about itself; NULL when absent. Values are
 * whitespace-collapsed copies in the result's arena. */
struct mw_xmeta {
  const char *article_title; /* <meta name="ArticleTitle"> */
  const char *pubdate;       /* PubDate, pubdate, publishdate, ... */
  const char *content_source;/* ContentSource */
  const char *source;        /* <meta name="source">, often "来源：..." */
  const char *og_title;
  const char *og_time;       /* article:published_time */
  const char *item_date;     /* itemprop="datePublished" content */
  const char *ld_headline;   /* JSON-LD */
  const char *ld_date;
  const char *ld_publisher;
  const char *ld_author;
  int64_t wechat_ct;         /* WeChat's `var ct = "..."`, or UNKNOWN */
};

struct mw_xctx {
  const char *utf8; /* the decoded page, NUL-terminated */
  size_t len;
  const char *url;
  int offset_s;
  struct mw_html_doc *doc;
  struct mw_extracted *x;
  struct mw_arena *arena; /* x->arena */
  struct mw_xmeta meta;
  /* The page element holding the title (a heading matching it), the
   * chosen body element, and for 留言板 pages the value cells. */
  const struct mw_html_node *title_node;
  const struct mw_html_node *body_node;
  const struct mw_html_node *board_content, *board_reply;
  /* Found by mw_x_meta's one walk over the page: headings and title-like
   * elements in page order, the first <time datetime>, WeChat's
   * account-name element. */
#define MW_X_MAX_HEADS 48
  const struct mw_html_node *heads[MW_X_MAX_HEADS];
  size_t n_heads;
  const struct mw_html_node *time_el, *js_name;
  struct mw_buf scratch; /* reused for node texts */
};

/* Characters a field's value may hold: labelled values longer than this
 * are not a name or an outlet but a sentence. */
#define MW_X_NAME_MAX 60

/* extract_meta.c */
int mw_x_meta(struct mw_xctx *c);  /* fills c->meta */
int mw_x_title(struct mw_xctx *c); /* x->title, title_from, c->title_node */

/* extract_body.c */
/* A 留言板 page: c->board_content / board_reply (before the title). */
int mw_x_board(struct mw_xctx *c);
/* Picks the body element (c->body_node) and writes x->body, body_chars,
 * body_from; after the title, whose heading it leaves out. */
int mw_x_body(struct mw_xctx *c);
/* Whitespace-collapsed text of n (blocks on their own lines) in the
 * arena, or NULL when it has none. */
char *mw_x_node_text(struct mw_xctx *c, const struct mw_html_node *n);
/* The value element of a label cell ("留言内容" in a <th>, its <td> the
 * value), or NULL. */
const struct mw_html_node *mw_x_label_cell(const struct mw_html_node *root,
                                           const char *label);
/* True when n's class or id contains one of words (lower case),
 * ignoring case. */
bool mw_x_attr_has(const struct mw_html_node *n, const char *const *words);
/* Drops boilerplate lines (share bars, copyright, 责任编辑/来源 lines,
 * the title) from text in place; returns the new length. */
size_t mw_x_clean_lines(char *text, size_t len, const char *title);

/* extract_time.c */
int mw_x_fields(struct mw_xctx *c); /* published, origin, author, editor */
/* The outlet named in s ("来源：吉林日报 作者：..." gives 吉林日报; a bare
 * name is taken up to its first gap), in the arena, or NULL. */
const char *mw_x_origin_in(struct mw_xctx *c, const char *s, size_t len);
/* A date (and time) written in s: its epoch seconds, or MW_TIME_UNKNOWN. */
int64_t mw_x_date_in(const char *s, size_t len, int offset_s);
/* The date in a URL path (/202305/t20230508_, /2023-05/08/, /20230508/). */
int64_t mw_x_url_date(const char *url, int offset_s);

/* UTF-8 helpers shared by the parts */
size_t mw_x_utf8_chars(const char *s, size_t len);
/* Collapses whitespace (ASCII, U+00A0, U+3000) to single spaces and trims,
 * into the arena; NULL for an empty result. */
char *mw_x_collapse(struct mw_arena *a, const char *s, size_t len);

#endif
