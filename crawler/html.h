/*
 * html.h (private to crawler/): a light tree of an HTML page, built as
 * libxml2's HTML parser would build it, for article extraction and
 * listing-page link discovery.
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
 * Our own tokenizer builds it (html_tok.c, at about 0.02 ms for such a
 * page): it replays libxml2 2.9's tree construction, implied and
 * auto-closed elements included, so that the tree is the one the libxml2
 * SAX builder gives (mw_html_parse_libxml, kept for the tests and as a
 * fallback) but for the void <embed>, <source>, <track> and <wbr>.
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
#include <string.h>

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
 * dropped (html_tok.c recovers the same way). Returns MW_ENOMEM only. The caller frees *out with
 * mw_html_free. */
int mw_html_parse(const char *utf8, size_t len,
                  const struct mw_html_limits *limits,
                  struct mw_html_doc **out, struct mw_err *err);
void mw_html_free(struct mw_html_doc *doc);

/* The same tree built from libxml2's HTML SAX parser (html.c): the
 * reference the builder of html_tok.c is tested against node by node
 * (tests/crawler/test_html_tok.c), kept as a fallback. Same contract as
 * mw_html_parse; about seven times slower. */
int mw_html_parse_libxml(const char *utf8, size_t len,
                         const struct mw_html_limits *limits,
                         struct mw_html_doc **out, struct mw_err *err);

/* ------------------------------------------------------------------------
 * Shared by the two builders (html.c, html_tok.c, html_entities.c); not for
 * other modules.
 */

/* Counts the characters of UTF-8 text that are not white space, and the
 * sentence punctuation among them, by the rules of html.c's opening
 * comment. */
void mw_html_count_text(const unsigned char *s, size_t n, size_t *chars,
                        size_t *punct);

/* The light tree as a parser's events build it (html.c): what is kept,
 * dropped, flattened and counted is decided here alone, for the tokenizer
 * of html_tok.c and for libxml2's SAX events alike. Events come as a
 * parser with a stack of open elements gives them: start, text, end. */
enum {
  MW_HTML_B_DROP = 1,  /* skip the element and everything in it */
  MW_HTML_B_A = 2,     /* <a> */
  MW_HTML_B_HEAD = 8,  /* <head> */
  MW_HTML_B_BODY = 16, /* <body> */
  MW_HTML_B_TITLE = 32 /* <title> */
};
struct mw_html_builder {
  struct mw_html_doc *doc; /* owns the arena; NULL once finished */
  struct mw_arena *arena;
  struct mw_html_node *cur;
  size_t extra;   /* open elements above cur without a node */
  size_t skip_at; /* value of extra when skipping began */
  bool skipping;
  int link_depth; /* open <a href> */
  size_t max_nodes;
  int max_depth;
  bool stop; /* a limit was reached: the parser should stop */
  bool oom;
  struct mw_html_node *pool; /* nodes allocated ahead */
  size_t pool_left;
  char *tx_pend, *tx_cur, *tx_end; /* text not yet a node, and its room */
};
/* Starts a tree for a page of len bytes. MW_ENOMEM only. */
int mw_html_builder_init(struct mw_html_builder *b, size_t len,
                         const struct mw_html_limits *limits,
                         struct mw_err *err);
/* An element starts: tag must outlive the tree (static, or b->arena); the
 * attributes are copied, their names must be mw_html_kept_attr's and their
 * values in b->arena. */
void mw_html_builder_start(struct mw_html_builder *b, const char *tag,
                           unsigned flags, const struct mw_html_attr *attrs,
                           size_t n_attrs);
void mw_html_builder_end(struct mw_html_builder *b);
void mw_html_builder_room(struct mw_html_builder *b, size_t n);
/* Character data of the current element. */
static inline void mw_html_builder_text(struct mw_html_builder *b,
                                        const void *s, size_t n) {
  if (b->skipping || !n) return;
  if ((size_t)(b->tx_end - b->tx_cur) <= n) { /* a byte stays for a NUL */
    mw_html_builder_room(b, n);
    if (b->oom) return;
  }
  memcpy(b->tx_cur, s, n);
  b->tx_cur += n;
}
/* Closes what is open and hands the tree over (*out), or frees it and
 * returns MW_ENOMEM when memory ran out. b is done either way. */
int mw_html_builder_finish(struct mw_html_builder *b, struct mw_html_doc **out,
                           struct mw_err *err);
/* The attribute names the tree keeps, as the static strings nodes point
 * at; NULL for a name not kept. */
const char *mw_html_kept_attr(const char *name, size_t n);

/* Length of the name at p the way libxml2's htmlParseName reads entity
 * names, processing-instruction targets and DOCTYPE names (XML name
 * characters, case kept); 0 when p starts no name. Reads below end only. */
size_t mw_html_xml_name_len(const unsigned char *p, const unsigned char *end);

/* A character reference at p (which is '&'), read as libxml2's HTML parser
 * reads one in text and in attribute values. */
struct mw_html_ref {
  size_t consumed;      /* input bytes read, >= 1 */
  size_t out_len;       /* bytes of output */
  bool verbatim;        /* output is p[0 .. out_len): "&" or "&name" */
  bool none;            /* a numeric reference to no character: nothing
                           is output (in an attribute value, libxml2
                           writes a NUL there, which ends the value) */
  unsigned char out[4]; /* output unless verbatim: UTF-8 */
};
void mw_html_ref_read(const unsigned char *p, const unsigned char *end,
                      struct mw_html_ref *r);

/* Markup read as libxml2's HTML parser reads it (html_entities.c), for
 * html_tok.c. p points at the construct; the result is where it ends;
 * nothing is read at or past end. */
#define MW_HTML_NAME_MAX 100 /* libxml2 reads at most this much of a name */
/* A tag or attribute name (htmlParseHTMLName): [A-Za-z_:.] then
 * [A-Za-z0-9:_.-], into out lower-cased, at most MW_HTML_NAME_MAX bytes;
 * no dots when !dot (libxml2's look-ahead at start tags). Its length. */
size_t mw_html_name(const unsigned char *p, const unsigned char *end, char *out,
                    bool dot);
const unsigned char *mw_html_skip_comment(const unsigned char *p,
                                          const unsigned char *end);
const unsigned char *mw_html_skip_pi(const unsigned char *p,
                                     const unsigned char *end);
bool mw_html_at_doctype(const unsigned char *p, const unsigned char *end);
const unsigned char *mw_html_skip_doctype(const unsigned char *p,
                                          const unsigned char *end);
/* Skips bytes of text copied as they are, sixteen at a time: stops at or
 * before the first '<', '&', control character other than tab, newline
 * and carriage return, or U+FFFE/U+FFFF; less than 18 bytes from end it
 * stops at once, for the caller's byte loop. */
const unsigned char *mw_html_scan_text(const unsigned char *p,
                                       const unsigned char *end);

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
