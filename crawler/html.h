/*
 * html.h (private to crawler/): a light tree of an HTML page, built from
 * libxml2's HTML SAX events, for article extraction and listing-page link
 * discovery.
 *
 * Why not libxml2's DOM: building an xmlDoc for a 22 KB portal page costs
 * about 0.5 ms of CPU, the whole per-page budget (DESIGN.md). The SAX
 * parser costs about half of that; this tree keeps only what extraction
 * needs: elements with their tag and a few attributes, text, and per-node
 * counts filled in as the tree closes (characters of text, of link text,
 * number of links, of <p>, punctuation), so text-density scoring needs no
 * second walk. <script>, <style>, <noscript>, <template>, <svg> and
 * comments are dropped; their text never reaches the tree.
 *
 * Bytes are decoded to UTF-8 first (mw_charset_detect/mw_charset_decode in
 * crawler.h), so every string in the tree is UTF-8. All memory is one
 * arena, released by mw_html_free.
 */
#ifndef MW_CRAWLER_HTML_H
#define MW_CRAWLER_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crawler/crawler.h"

enum mw_html_kind { MW_HTML_ELEMENT, MW_HTML_TEXT };

struct mw_html_attr {
  const char *name;  /* lower case */
  const char *value; /* entities resolved, never NULL */
};

struct mw_html_node {
  enum mw_html_kind kind;
  const char *tag;  /* lower-case element name; NULL for text */
  const char *text; /* text nodes: the text, whitespace as in the page */
  size_t text_len;
  struct mw_html_attr *attrs;
  size_t n_attrs;
  struct mw_html_node *parent, *first_child, *last_child, *next, *prev;
  int depth;
  /* Filled when the element closes, over the whole subtree: */
  size_t text_chars;  /* characters (not bytes) of visible text */
  size_t link_chars;  /* of which inside <a href> */
  size_t n_links;     /* <a href> elements */
  size_t n_paragraphs;/* <p> elements */
  size_t n_punct;     /* CJK and ASCII sentence punctuation: ，。；：！？,.;:!? */
  size_t n_elements;  /* descendant elements */
};

struct mw_html_doc {
  struct mw_html_node *root; /* a synthetic element holding the page */
  struct mw_html_node *head, *body, *title; /* shortcuts, may be NULL */
  size_t n_nodes;
  bool truncated; /* a limit (nodes, depth, bytes) cut the page short */
  struct mw_arena *arena;
};

struct mw_html_limits {
  size_t max_nodes; /* default 200,000 */
  int max_depth;    /* default 256: deeper elements are flattened */
};

/* Parses UTF-8 HTML (already decoded) into a light tree. Never fails on bad
 * markup: libxml2's HTML parser recovers, and what it cannot place is
 * dropped. Returns MW_ENOMEM only. The caller frees *out with
 * mw_html_free. */
int mw_html_parse(const char *utf8, size_t len,
                  const struct mw_html_limits *limits,
                  struct mw_html_doc **out, struct mw_err *err);
void mw_html_free(struct mw_html_doc *doc);

/* The value of attribute name (lower case), or NULL. */
const char *mw_html_attr(const struct mw_html_node *n, const char *name);
/* Appends the visible text of n's subtree to out, block elements (p, div,
 * br, li, h1-h6, tr, table, section, article) separated by '\n', runs of
 * whitespace collapsed. */
int mw_html_text(const struct mw_html_node *n, struct mw_buf *out);
/* Pre-order walk: the node after n within root, or NULL. */
struct mw_html_node *mw_html_next(const struct mw_html_node *root,
                                  const struct mw_html_node *n);

#endif
