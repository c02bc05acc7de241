/*
 * html.c: the light tree of html.h: the builder both parsers feed, the
 * libxml2 SAX parser as one of them (the reference html_tok.c's tokenizer
 * is tested against, and a fallback), and the queries.
 *
 * The builder: each element start becomes a node with a handful of
 * attributes (the ones extraction and link discovery read), runs of
 * character data become one text node, and each element end adds the
 * node's counts into its parent, so every count covers the whole subtree
 * when the page ends. Elements whose content is never text (script, style,
 * noscript, template, svg, iframe, object, math) are skipped with
 * everything inside. Past max_depth, elements are flattened into the
 * deepest kept one (their text stays); at max_nodes the parse stops and the
 * tree is marked truncated.
 *
 * Counting rules, fixed here because tests and scorers rely on them:
 * text_chars counts code points that are not white space (ASCII white
 * space, U+00A0 and U+3000 are white space: pages indent with them);
 * n_punct counts ，。；：！？ and ASCII , . ; : ! ?; n_links and
 * n_paragraphs count the node itself when it is an <a href> or a <p>;
 * n_elements counts descendants only.
 *
 * Memory: one arena holds every node and string; text goes in a block the
 * size of the input (a parser outputs no more text than it reads, but for
 * libxml2 on bytes that are not UTF-8, hence the growth). What it leaves
 * to others: decoding (charset.c), tokenizing (html_tok.c, or libxml2),
 * and deciding what the tree means (extract*.c, listing*.c).
 */
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>

#include "crawler/html.h"

#define DEFAULT_MAX_NODES 200000
#define DEFAULT_MAX_DEPTH 256
/* libxml2 takes an int length; pages are bounded far below this by the
 * fetcher's max_body, so a bigger input is cut (at a character boundary). */
#define MAX_INPUT_BYTES (256u * 1024 * 1024)
#define NODE_BATCH 64
#define TAG_CACHE 128

/* ------------------------------------------------------------- counts */

#ifdef __SSE2__
static inline size_t popcount16(unsigned x) {
  x = x - ((x >> 1) & 0x5555);
  x = (x & 0x3333) + ((x >> 2) & 0x3333);
  x = (x + (x >> 4)) & 0x0F0F;
  return (x + (x >> 8)) & 0x1F;
}
#endif

/* The counting rule for the one character starting at s[0] (n bytes
 * left): adds to *c and *p. */
static inline void count_one(const unsigned char *s, size_t n, size_t *c,
                             size_t *p) {
  unsigned char b = s[0];
  if (b < 0x80) {
    if (mw_ascii_isspace(b)) return;
    ++*c;
    if (b == ',' || b == '.' || b == ';' || b == ':' || b == '!' || b == '?')
      ++*p;
    return;
  }
  if ((b & 0xC0) == 0x80) return;
  if (b == 0xC2 && n > 1 && s[1] == 0xA0) return; /* NBSP */
  if (b == 0xE3 && n > 2 && s[1] == 0x80) {
    if (s[2] == 0x80) return; /* U+3000 */
    if (s[2] == 0x82) ++*p;   /* 。 */
  } else if (b == 0xEF && n > 2 && s[1] == 0xBC) {
    /* ！ ， ： ； ？ are U+FF01 U+FF0C U+FF1A U+FF1B U+FF1F */
    unsigned char t = s[2];
    if (t == 0x81 || t == 0x8C || t == 0x9A || t == 0x9B || t == 0x9F) ++*p;
  }
  ++*c;
}

void mw_html_count_text(const unsigned char *s, size_t n, size_t *chars,
                        size_t *punct) {
  size_t c = 0, p = 0, i = 0;
#ifdef __SSE2__
  /* Sixteen bytes at a time: every byte that starts a character counts
   * unless it is white space; the three lead bytes with exceptions (C2,
   * E3, EF) are looked at one by one. Same result as the loop below. */
  const __m128i k_c0 = _mm_set1_epi8((char)0xC0);
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
    unsigned high = (unsigned)_mm_movemask_epi8(v);
    unsigned cont = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, k_c0)) & high;
    unsigned ascii = ~high & 0xFFFF, ws = 0, pm = 0;
    if (ascii) {
      __m128i w =
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
                                    _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
                       _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')),
                                    _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
      w = _mm_or_si128(w, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\f')),
                                       _mm_cmpeq_epi8(v, _mm_set1_epi8('\v'))));
      __m128i q =
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')),
                                    _mm_cmpeq_epi8(v, _mm_set1_epi8('.'))),
                       _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(';')),
                                    _mm_cmpeq_epi8(v, _mm_set1_epi8(':'))));
      q = _mm_or_si128(q, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('!')),
                                       _mm_cmpeq_epi8(v, _mm_set1_epi8('?'))));
      ws = (unsigned)_mm_movemask_epi8(w);
      pm = (unsigned)_mm_movemask_epi8(q);
    }
    unsigned special = (unsigned)_mm_movemask_epi8(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xC2)),
                                  _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE3))),
                     _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xEF))));
    unsigned counted = (0xFFFF & ~cont & ~ws) & ~special;
    c += popcount16(counted);
    p += popcount16(pm);
    while (special) {
      unsigned j = (unsigned)__builtin_ctz(special);
      special &= special - 1;
      count_one(s + i + j, n - i - j, &c, &p);
    }
  }
#endif
  for (; i < n; i++) count_one(s + i, n - i, &c, &p);
  *chars = c;
  *punct = p;
}

/* ------------------------------------------------------------ builder */

/* The attributes kept; their names in the tree point at these strings. */
static const char *const KEPT_ATTRS[] = {
    "href",  "src",     "id",       "class",      "name",
    "content", "property", "itemprop", "http-equiv", "charset",
    "datetime", "title",  "rel",      "type",
};

const char *mw_html_kept_attr(const char *name, size_t n) {
  /* by length first: this runs for every attribute of a page; the indexes
   * in KEPT_ATTRS of the names of each length, 0xFF ends */
  static const unsigned char BY_LEN[11][4] = {
      [0] = {0xFF},        [1] = {0xFF},           [2] = {2, 0xFF},
      [3] = {1, 12, 0xFF}, [4] = {0, 4, 13, 0xFF}, [5] = {3, 11, 0xFF},
      [6] = {0xFF},        [7] = {5, 9, 0xFF},     [8] = {6, 7, 10, 0xFF},
      [9] = {0xFF},        [10] = {8, 0xFF},
  };
  if (n >= sizeof BY_LEN / sizeof BY_LEN[0]) return NULL;
  for (const unsigned char *i = BY_LEN[n]; *i != 0xFF; i++)
    if (!memcmp(KEPT_ATTRS[*i], name, n)) return KEPT_ATTRS[*i];
  return NULL;
}

static bool fail_oom(struct mw_html_builder *b) {
  b->oom = true;
  b->stop = true;
  return false;
}

static struct mw_html_node *new_node(struct mw_html_builder *b) {
  if (b->doc->n_nodes >= b->max_nodes) {
    b->doc->truncated = true;
    b->stop = true;
    return NULL;
  }
  if (!b->pool_left) {
    b->pool = mw_arena_alloc(b->arena, NODE_BATCH * sizeof *b->pool);
    if (!b->pool) return fail_oom(b), NULL;
    memset(b->pool, 0, NODE_BATCH * sizeof *b->pool);
    b->pool_left = NODE_BATCH;
  }
  b->pool_left--;
  b->doc->n_nodes++;
  return b->pool++;
}

static void append_child(struct mw_html_node *parent, struct mw_html_node *n) {
  n->parent = parent;
  n->depth = parent->depth + 1;
  n->prev = parent->last_child;
  if (parent->last_child)
    parent->last_child->next = n;
  else
    parent->first_child = n;
  parent->last_child = n;
}

static bool is_link(const struct mw_html_node *n) {
  if (n->tag[0] != 'a' || n->tag[1] != '\0') return false;
  for (size_t i = 0; i < n->n_attrs; i++)
    if (n->attrs[i].name == KEPT_ATTRS[0]) return true; /* href */
  return false;
}

/* Adds a closed node's counts to its parent. */
static void close_node(struct mw_html_node *n) {
  if (is_link(n)) n->n_links++;
  if (n->tag[0] == 'p' && n->tag[1] == '\0') n->n_paragraphs++;
  struct mw_html_node *p = n->parent;
  if (!p) return;
  p->text_chars += n->text_chars;
  p->link_chars += n->link_chars;
  p->n_links += n->n_links;
  p->n_paragraphs += n->n_paragraphs;
  p->n_punct += n->n_punct;
  p->n_elements += n->n_elements + 1;
}

void mw_html_builder_room(struct mw_html_builder *b, size_t n) {
  size_t pend = (size_t)(b->tx_cur - b->tx_pend);
  size_t size = (pend + n + 1) * 2 > 4096 ? (pend + n + 1) * 2 : 4096;
  char *t = mw_arena_alloc(b->arena, size);
  if (!t) {
    fail_oom(b);
    return;
  }
  if (pend) memcpy(t, b->tx_pend, pend);
  b->tx_pend = t;
  b->tx_cur = t + pend;
  b->tx_end = t + size;
}

/* Turns the pending character data into a text node under cur. */
static void flush_text(struct mw_html_builder *b) {
  if (b->tx_cur == b->tx_pend) return;
  struct mw_html_node *n = new_node(b);
  if (n) {
    n->kind = MW_HTML_TEXT;
    n->text = b->tx_pend;
    n->text_len = (size_t)(b->tx_cur - b->tx_pend);
    *b->tx_cur++ = '\0'; /* mw_html_builder_text kept a byte for it */
    mw_html_count_text((const unsigned char *)n->text, n->text_len,
                       &n->text_chars, &n->n_punct);
    if (b->link_depth > 0) n->link_chars = n->text_chars;
    append_child(b->cur, n);
    b->cur->text_chars += n->text_chars;
    b->cur->link_chars += n->link_chars;
    b->cur->n_punct += n->n_punct;
  }
  b->tx_pend = b->tx_cur;
}

void mw_html_builder_start(struct mw_html_builder *b, const char *tag,
                           unsigned flags, const struct mw_html_attr *attrs,
                           size_t n_attrs) {
  if (b->skipping) {
    b->extra++;
    return;
  }
  flush_text(b);
  if (flags & MW_HTML_B_DROP) {
    b->skipping = true;
    b->skip_at = b->extra;
    b->extra++;
    return;
  }
  if (b->extra > 0 || b->cur->depth + 1 > b->max_depth) {
    b->doc->truncated = true;
    b->extra++;
    return;
  }
  if (b->stop) return;
  struct mw_html_node *n = new_node(b);
  if (!n) return;
  n->kind = MW_HTML_ELEMENT;
  n->tag = tag;
  if (n_attrs) {
    n->attrs = mw_arena_alloc(b->arena, n_attrs * sizeof *n->attrs);
    if (!n->attrs) {
      fail_oom(b);
      return;
    }
    memcpy(n->attrs, attrs, n_attrs * sizeof *n->attrs);
    n->n_attrs = n_attrs;
  }
  append_child(b->cur, n);
  b->cur = n;
  if ((flags & MW_HTML_B_A) && is_link(n)) b->link_depth++;
  struct mw_html_doc *d = b->doc;
  if ((flags & MW_HTML_B_HEAD) && !d->head) d->head = n;
  if ((flags & MW_HTML_B_BODY) && !d->body) d->body = n;
  if ((flags & MW_HTML_B_TITLE) && !d->title) d->title = n;
}

void mw_html_builder_end(struct mw_html_builder *b) {
  if (b->extra > 0) {
    if (!b->skipping) flush_text(b); /* a flattened element's text */
    b->extra--;
    if (b->skipping && b->extra == b->skip_at) b->skipping = false;
    return;
  }
  if (!b->cur->parent) return; /* an end with no start: ignore */
  flush_text(b);
  struct mw_html_node *n = b->cur;
  if (is_link(n)) b->link_depth--;
  close_node(n);
  b->cur = n->parent;
}

int mw_html_builder_init(struct mw_html_builder *b, size_t len,
                         const struct mw_html_limits *limits,
                         struct mw_err *err) {
  memset(b, 0, sizeof *b);
  struct mw_arena *arena = mw_arena_new(32768, 0);
  struct mw_html_doc *doc = arena ? mw_arena_alloc(arena, sizeof *doc) : NULL;
  struct mw_html_node *root = doc ? mw_arena_alloc(arena, sizeof *root) : NULL;
  /* every text byte comes from an input byte: one block holds the text
   * and its terminators but for a few implied elements */
  char *text = root ? mw_arena_alloc(arena, len + 64) : NULL;
  if (!text) {
    mw_arena_free(arena);
    return mw_err_set(err, MW_ENOMEM, "out of memory parsing HTML");
  }
  memset(doc, 0, sizeof *doc);
  memset(root, 0, sizeof *root);
  doc->arena = arena;
  doc->root = root;
  doc->n_nodes = 1;
  root->kind = MW_HTML_ELEMENT;
  root->tag = "#root";
  b->doc = doc;
  b->arena = arena;
  b->cur = root;
  b->max_nodes =
      limits && limits->max_nodes ? limits->max_nodes : DEFAULT_MAX_NODES;
  b->max_depth =
      limits && limits->max_depth > 0 ? limits->max_depth : DEFAULT_MAX_DEPTH;
  b->tx_pend = b->tx_cur = text;
  b->tx_end = text + len + 64;
  return MW_OK;
}

int mw_html_builder_finish(struct mw_html_builder *b, struct mw_html_doc **out,
                           struct mw_err *err) {
  *out = NULL;
  if (!b->oom) flush_text(b);
  /* Close what the parser left open (it stopped at a limit). */
  for (struct mw_html_node *n = b->cur; n && n->parent; n = n->parent)
    close_node(n);
  struct mw_html_doc *doc = b->doc;
  b->doc = NULL;
  if (b->oom) {
    mw_html_free(doc);
    return mw_err_set(err, MW_ENOMEM, "out of memory parsing HTML");
  }
  *out = doc;
  return MW_OK;
}

/* ------------------------------------------------------------ libxml2 */

/* Elements skipped with their whole content. */
static const char *const DROPPED[] = {"script",   "style", "noscript",
                                      "template", "svg",   "iframe",
                                      "object",   "math"};

struct tag_slot {
  const xmlChar *key; /* libxml2's dictionary pointer for the name */
  const char *tag;    /* our arena copy */
  unsigned flags;
};

struct state {
  struct mw_html_builder b;
  xmlParserCtxtPtr ctxt;
  struct tag_slot tags[TAG_CACHE];
  struct mw_html_attr attrs[sizeof KEPT_ATTRS / sizeof KEPT_ATTRS[0]];
};

static void check_stop(struct state *st) {
  if (st->b.stop) xmlStopParser(st->ctxt);
}

static unsigned tag_flags(const char *name) {
  for (size_t i = 0; i < sizeof DROPPED / sizeof DROPPED[0]; i++)
    if (!strcmp(DROPPED[i], name)) return MW_HTML_B_DROP;
  if (!strcmp(name, "a")) return MW_HTML_B_A;
  if (!strcmp(name, "head")) return MW_HTML_B_HEAD;
  if (!strcmp(name, "body")) return MW_HTML_B_BODY;
  if (!strcmp(name, "title")) return MW_HTML_B_TITLE;
  return 0;
}

/* Our copy of an element name; libxml2's dictionary gives one pointer per
 * name, so a small cache keyed by it saves most copies. */
static const struct tag_slot *intern_tag(struct state *st,
                                         const xmlChar *name) {
  struct tag_slot *t = &st->tags[((uintptr_t)name >> 4) % TAG_CACHE];
  if (t->key == name) return t;
  const char *copy = mw_arena_strdup(st->b.arena, (const char *)name);
  if (!copy) return NULL;
  t->key = name;
  t->tag = copy;
  t->flags = tag_flags(copy);
  return t;
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts) {
  struct state *st = ctx;
  struct mw_html_builder *b = &st->b;
  size_t n = 0;
  const struct tag_slot *t = NULL;
  if (!b->skipping) {
    t = intern_tag(st, name);
    if (!t) {
      fail_oom(b);
      check_stop(st);
      return;
    }
  }
  if (t && !(t->flags & MW_HTML_B_DROP) && atts)
    for (size_t i = 0; atts[i]; i += 2) {
      const char *an = mw_html_kept_attr((const char *)atts[i],
                                         strlen((const char *)atts[i]));
      if (!an) continue;
      const char *v = atts[i + 1] ? (const char *)atts[i + 1] : "";
      st->attrs[n].name = an;
      st->attrs[n].value = mw_arena_strdup(b->arena, v);
      if (!st->attrs[n++].value) {
        fail_oom(b);
        check_stop(st);
        return;
      }
    }
  mw_html_builder_start(b, t ? t->tag : "", t ? t->flags : 0, st->attrs, n);
  check_stop(st);
}

static void on_end(void *ctx, const xmlChar *name) {
  struct state *st = ctx;
  (void)name;
  mw_html_builder_end(&st->b);
  check_stop(st);
}

static void on_text(void *ctx, const xmlChar *ch, int len) {
  struct state *st = ctx;
  if (len <= 0) return;
  mw_html_builder_text(&st->b, ch, (size_t)len);
  check_stop(st);
}

static void on_cdata(void *ctx, const xmlChar *ch, int len) {
  (void)ctx, (void)ch, (void)len; /* script and style bodies */
}

static void on_diag(void *ctx, const char *msg, ...) {
  (void)ctx, (void)msg;
}

/* libxml2's global state must be set up once, before parsers run on
 * several threads (extraction runs on the loop's thread pool). */
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static void xml_init(void) { xmlInitParser(); }

int mw_html_parse_libxml(const char *utf8, size_t len,
                         const struct mw_html_limits *limits,
                         struct mw_html_doc **out, struct mw_err *err) {
  *out = NULL;
  pthread_once(&xml_once, xml_init);
  if (!utf8) len = 0;
  bool cut = false;
  if (len > MAX_INPUT_BYTES) {
    len = MAX_INPUT_BYTES;
    while (len > 0 && ((unsigned char)utf8[len] & 0xC0) == 0x80) len--;
    cut = true;
  }
  struct state *st = calloc(1, sizeof *st);
  if (!st) return mw_err_set(err, MW_ENOMEM, "out of memory parsing HTML");
  int rc = mw_html_builder_init(&st->b, len, limits, err);
  if (rc) {
    free(st);
    return rc;
  }
  st->b.doc->truncated = cut;
  /* libxml2 refuses an empty buffer; an empty page is an empty tree. */
  htmlParserCtxtPtr ctxt =
      len ? htmlCreateMemoryParserCtxt(utf8, (int)len) : NULL;
  if (len && !ctxt) fail_oom(&st->b);
  if (ctxt) {
    st->ctxt = ctxt;
    xmlSAXHandler *sax = ctxt->sax;
    memset(sax, 0, sizeof *sax);
    sax->initialized = 1; /* SAX1-style element callbacks, as HTML uses */
    sax->startElement = on_start;
    sax->endElement = on_end;
    sax->characters = on_text;
    sax->cdataBlock = on_cdata;
    sax->warning = on_diag;
    sax->error = on_diag;
    ctxt->userData = st;
    /* The bytes are UTF-8 already: a <meta charset> in them must not make
     * libxml2 convert them a second time. */
    htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                 HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                 HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC);
    /* Without this libxml2 starts in no encoding and reads the first
     * non-ASCII byte as Latin-1, for the rest of the page. */
    xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
    htmlParseDocument(ctxt);
    if (ctxt->myDoc) xmlFreeDoc(ctxt->myDoc);
    htmlFreeParserCtxt(ctxt);
  }
  rc = mw_html_builder_finish(&st->b, out, err);
  free(st);
  return rc;
}

void mw_html_free(struct mw_html_doc *doc) {
  if (doc) mw_arena_free(doc->arena);
}

/* ------------------------------------------------------------ queries */

const char *mw_html_attr(const struct mw_html_node *n, const char *name) {
  if (!n) return NULL;
  for (size_t i = 0; i < n->n_attrs; i++)
    if (strcmp(n->attrs[i].name, name) == 0) return n->attrs[i].value;
  return NULL;
}

struct mw_html_node *mw_html_next(const struct mw_html_node *root,
                                  const struct mw_html_node *n) {
  if (n->first_child) return n->first_child;
  while (n && n != root) {
    if (n->next) return n->next;
    n = n->parent;
  }
  return NULL;
}

static bool is_block(const struct mw_html_node *n) {
  static const char *const BLOCKS[] = {
      "p",     "div",     "br",     "li",    "h1",      "h2",     "h3",
      "h4",    "h5",      "h6",     "tr",    "table",   "section", "article",
      "ul",    "ol",      "dl",     "dt",    "dd",      "blockquote",
      "pre",   "header",  "footer", "nav",   "aside",   "main",   "figure",
      "figcaption", "hr", "form",   "center", "title",  "body",   "html",
  };
  for (size_t i = 0; i < sizeof BLOCKS / sizeof BLOCKS[0]; i++)
    if (BLOCKS[i][0] == n->tag[0] && strcmp(BLOCKS[i], n->tag) == 0)
      return true;
  return false;
}

/* Appending text with collapsed white space: gaps become one space, block
 * boundaries one '\n', none at the start or the end. */
struct text_out {
  struct mw_buf *out;
  int pending; /* 0 nothing, 1 space, 2 newline */
  bool started;
  int rc;
};

static void emit(struct text_out *t, const char *p, size_t n) {
  if (t->rc || n == 0) return;
  if (t->started && t->pending)
    t->rc = mw_buf_putc(t->out, t->pending == 2 ? '\n' : ' ');
  t->pending = 0;
  t->started = true;
  if (!t->rc) t->rc = mw_buf_append(t->out, p, n);
}

static size_t ws_len(const unsigned char *s, size_t n) {
  if (mw_ascii_isspace(s[0])) return 1;
  if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0) return 2;
  if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) return 3;
  return 0;
}

static void emit_text(struct text_out *t, const char *text, size_t len) {
  const unsigned char *s = (const unsigned char *)text;
  size_t i = 0, run = 0;
  while (i < len) {
    size_t w = ws_len(s + i, len - i);
    if (!w) {
      i++;
      continue;
    }
    emit(t, text + run, i - run);
    if (t->pending < 1) t->pending = 1;
    i += w;
    run = i;
  }
  emit(t, text + run, len - run);
}

int mw_html_text(const struct mw_html_node *n, struct mw_buf *out) {
  struct text_out t = {out, 0, false, MW_OK};
  /* out->data is a string afterwards even when nothing was appended */
  int rc = mw_buf_append(out, "", 0);
  if (rc || !n) return rc;
  if (n->kind == MW_HTML_TEXT) {
    emit_text(&t, n->text, n->text_len);
    return t.rc;
  }
  const struct mw_html_node *cur = n->first_child;
  while (cur && !t.rc) {
    if (cur->kind == MW_HTML_TEXT) {
      emit_text(&t, cur->text, cur->text_len);
    } else {
      bool block = is_block(cur);
      if (block) t.pending = 2;
      else if ((cur->tag[0] == 't' && (cur->tag[1] == 'd' || cur->tag[1] == 'h') &&
                cur->tag[2] == '\0') && t.pending < 1)
        t.pending = 1; /* table cells: keep words apart */
      if (cur->first_child) {
        cur = cur->first_child;
        continue;
      }
    }
    /* next in pre-order, noting block ends on the way up */
    while (cur && cur != n) {
      if (cur->kind == MW_HTML_ELEMENT && is_block(cur)) t.pending = 2;
      if (cur->next) {
        cur = cur->next;
        break;
      }
      cur = cur->parent;
    }
    if (cur == n) break;
  }
  return t.rc;
}
