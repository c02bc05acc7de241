/*
 * html.c: the light tree of html.h, built from libxml2's HTML SAX events.
 *
 * libxml2's HTML parser does the hard part (tokenising, entities, the
 * implied and auto-closed elements of real-world markup); this file only
 * listens. Each element start becomes a node with a handful of attributes
 * (the ones extraction and link discovery read), runs of character data
 * become one text node, and each element end adds the node's counts into
 * its parent, so every count covers the whole subtree when the page ends.
 * <script> and <style> bodies reach us as CDATA and are ignored; elements
 * whose content is never text (noscript, template, svg, iframe, ...) are
 * skipped with everything inside. Past max_depth, elements are flattened
 * into the deepest kept one (their text stays); at max_nodes the parse
 * stops and the tree is marked truncated.
 *
 * Counting rules, fixed here because tests and scorers rely on them:
 * text_chars counts code points that are not white space (ASCII white
 * space, U+00A0 and U+3000 are white space: pages indent with them);
 * n_punct counts ，。；：！？ and ASCII , . ; : ! ?; n_links and
 * n_paragraphs count the node itself when it is an <a href> or a <p>;
 * n_elements counts descendants only.
 *
 * Memory: one arena holds every node and string; the pending-text buffer is
 * bounded by the input size. What it leaves to others: decoding
 * (charset.c), and deciding what the tree means (extract*.c, listing*.c).
 */
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
#define TAG_CACHE 128

/* The attributes kept; their names in the tree point at these strings. */
static const char *const KEPT_ATTRS[] = {
    "href",  "src",     "id",       "class",      "name",
    "content", "property", "itemprop", "http-equiv", "charset",
    "datetime", "title",  "rel",      "type",
};

/* Elements skipped with their whole content. */
static const char *const DROPPED[] = {"script", "style",  "noscript", "template",
                                      "svg",    "iframe", "object",   "math"};

struct tag_slot {
  const xmlChar *key; /* libxml2's dictionary pointer for the name */
  const char *tag;    /* our arena copy */
};

struct state {
  struct mw_html_doc *doc;
  struct mw_arena *arena;
  xmlParserCtxtPtr ctxt;
  struct mw_html_node *cur;
  size_t extra;   /* open elements above cur that have no node */
  size_t skip_at; /* value of extra when skipping began */
  bool skipping;
  int link_depth; /* open <a href> nodes */
  size_t max_nodes;
  int max_depth;
  bool oom;
  struct mw_buf text; /* character data not yet made a node */
  struct tag_slot tags[TAG_CACHE];
};

/* ------------------------------------------------------------- counts */

/* Counts visible characters and punctuation of UTF-8 text. */
static void count_text(const unsigned char *s, size_t n, size_t *chars,
                       size_t *punct) {
  size_t c = 0, p = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char b = s[i];
    if (b < 0x80) {
      if (mw_ascii_isspace(b)) continue;
      c++;
      if (b == ',' || b == '.' || b == ';' || b == ':' || b == '!' || b == '?')
        p++;
    } else if ((b & 0xC0) != 0x80) {
      if (b == 0xC2 && i + 1 < n && s[i + 1] == 0xA0) continue; /* NBSP */
      if (b == 0xE3 && i + 2 < n && s[i + 1] == 0x80) {
        if (s[i + 2] == 0x80) continue; /* U+3000 */
        if (s[i + 2] == 0x82) p++;      /* 。 */
      } else if (b == 0xEF && i + 2 < n && s[i + 1] == 0xBC) {
        unsigned char t = s[i + 2];
        /* ！ ， ： ； ？ are U+FF01 U+FF0C U+FF1A U+FF1B U+FF1F */
        if (t == 0x81 || t == 0x8C || t == 0x9A || t == 0x9B || t == 0x9F) p++;
      }
      c++;
    }
  }
  *chars = c;
  *punct = p;
}

static bool is_link(const struct mw_html_node *n) {
  return n->tag[0] == 'a' && n->tag[1] == '\0' && mw_html_attr(n, "href");
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

/* -------------------------------------------------------------- nodes */

static void stop(struct state *st) {
  st->doc->truncated = true;
  xmlStopParser(st->ctxt);
}

static struct mw_html_node *new_node(struct state *st) {
  if (st->doc->n_nodes >= st->max_nodes) {
    stop(st);
    return NULL;
  }
  struct mw_html_node *n = mw_arena_alloc(st->arena, sizeof *n);
  if (!n) {
    st->oom = true;
    xmlStopParser(st->ctxt);
    return NULL;
  }
  memset(n, 0, sizeof *n);
  st->doc->n_nodes++;
  return n;
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

/* Turns the pending character data into a text node under cur. */
static void flush_text(struct state *st) {
  if (st->text.len == 0) return;
  struct mw_html_node *n = new_node(st);
  if (n) {
    n->kind = MW_HTML_TEXT;
    n->text = mw_arena_strndup(st->arena, st->text.data, st->text.len);
    if (!n->text) {
      st->oom = true;
      xmlStopParser(st->ctxt);
    } else {
      n->text_len = st->text.len;
      count_text((const unsigned char *)n->text, n->text_len, &n->text_chars,
                 &n->n_punct);
      if (st->link_depth > 0) n->link_chars = n->text_chars;
      append_child(st->cur, n);
      st->cur->text_chars += n->text_chars;
      st->cur->link_chars += n->link_chars;
      st->cur->n_punct += n->n_punct;
    }
  }
  mw_buf_reset(&st->text);
}

/* Our copy of an element name; libxml2's dictionary gives one pointer per
 * name, so a small cache keyed by it saves most copies. */
static const char *intern_tag(struct state *st, const xmlChar *name) {
  size_t h = ((uintptr_t)name >> 4) % TAG_CACHE;
  if (st->tags[h].key == name) return st->tags[h].tag;
  const char *t = mw_arena_strdup(st->arena, (const char *)name);
  if (t) {
    st->tags[h].key = name;
    st->tags[h].tag = t;
  }
  return t;
}

static const char *kept_attr(const xmlChar *name) {
  for (size_t i = 0; i < sizeof KEPT_ATTRS / sizeof KEPT_ATTRS[0]; i++)
    if (KEPT_ATTRS[i][0] == name[0] &&
        strcmp(KEPT_ATTRS[i], (const char *)name) == 0)
      return KEPT_ATTRS[i];
  return NULL;
}

static bool dropped(const xmlChar *name) {
  for (size_t i = 0; i < sizeof DROPPED / sizeof DROPPED[0]; i++)
    if (DROPPED[i][0] == name[0] && strcmp(DROPPED[i], (const char *)name) == 0)
      return true;
  return false;
}

/* ---------------------------------------------------------- callbacks */

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts) {
  struct state *st = ctx;
  if (st->skipping) {
    st->extra++;
    return;
  }
  flush_text(st);
  if (dropped(name)) {
    st->skipping = true;
    st->skip_at = st->extra;
    st->extra++;
    return;
  }
  if (st->extra > 0 || st->cur->depth + 1 > st->max_depth) {
    st->doc->truncated = true;
    st->extra++;
    return;
  }
  struct mw_html_node *n = new_node(st);
  if (!n) return;
  n->kind = MW_HTML_ELEMENT;
  n->tag = intern_tag(st, name);
  size_t k = 0;
  if (atts)
    for (size_t i = 0; atts[i]; i += 2)
      if (kept_attr(atts[i])) k++;
  if (k) n->attrs = mw_arena_alloc(st->arena, k * sizeof *n->attrs);
  if (!n->tag || (k && !n->attrs)) {
    st->oom = true;
    xmlStopParser(st->ctxt);
    return;
  }
  if (k)
    for (size_t i = 0; atts[i]; i += 2) {
      const char *an = kept_attr(atts[i]);
      if (!an) continue;
      const char *v = atts[i + 1] ? (const char *)atts[i + 1] : "";
      struct mw_html_attr *a = &n->attrs[n->n_attrs++];
      a->name = an;
      a->value = mw_arena_strdup(st->arena, v);
      if (!a->value) {
        st->oom = true;
        xmlStopParser(st->ctxt);
        return;
      }
    }
  append_child(st->cur, n);
  st->cur = n;
  if (is_link(n)) st->link_depth++;
  struct mw_html_doc *d = st->doc;
  if (!d->head && !strcmp(n->tag, "head")) d->head = n;
  if (!d->body && !strcmp(n->tag, "body")) d->body = n;
  if (!d->title && !strcmp(n->tag, "title")) d->title = n;
}

static void on_end(void *ctx, const xmlChar *name) {
  struct state *st = ctx;
  (void)name;
  if (st->extra > 0) {
    if (!st->skipping) flush_text(st); /* a flattened element's text */
    st->extra--;
    if (st->skipping && st->extra == st->skip_at) st->skipping = false;
    return;
  }
  if (!st->cur->parent) return; /* an end with no start: ignore */
  flush_text(st);
  struct mw_html_node *n = st->cur;
  if (is_link(n)) st->link_depth--;
  close_node(n);
  st->cur = n->parent;
}

static void on_text(void *ctx, const xmlChar *ch, int len) {
  struct state *st = ctx;
  if (st->skipping || len <= 0) return;
  if (mw_buf_append(&st->text, ch, (size_t)len) != MW_OK) {
    /* the buffer's ceiling is the input size: only ENOMEM gets here */
    st->oom = true;
    xmlStopParser(st->ctxt);
  }
}

static void on_cdata(void *ctx, const xmlChar *ch, int len) {
  (void)ctx, (void)ch, (void)len; /* script and style bodies */
}

static void on_diag(void *ctx, const char *msg, ...) {
  (void)ctx, (void)msg;
}

/* -------------------------------------------------------------- parse */

/* libxml2's global state must be set up once, before parsers run on
 * several threads (extraction runs on the loop's thread pool). */
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static void xml_init(void) { xmlInitParser(); }

int mw_html_parse(const char *utf8, size_t len,
                  const struct mw_html_limits *limits,
                  struct mw_html_doc **out, struct mw_err *err) {
  *out = NULL;
  pthread_once(&xml_once, xml_init);
  struct mw_arena *arena = mw_arena_new(32768, 0);
  struct mw_html_doc *doc = arena ? mw_arena_alloc(arena, sizeof *doc) : NULL;
  struct mw_html_node *root = doc ? mw_arena_alloc(arena, sizeof *root) : NULL;
  if (!root) {
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

  if (!utf8) len = 0;
  if (len > MAX_INPUT_BYTES) {
    len = MAX_INPUT_BYTES;
    while (len > 0 && ((unsigned char)utf8[len] & 0xC0) == 0x80) len--;
    doc->truncated = true;
  }
  /* libxml2 refuses an empty buffer; an empty page is an empty tree. */
  if (len == 0) {
    *out = doc;
    return MW_OK;
  }

  struct state *st = calloc(1, sizeof *st);
  if (!st) {
    mw_arena_free(arena);
    return mw_err_set(err, MW_ENOMEM, "out of memory parsing HTML");
  }
  st->doc = doc;
  st->arena = arena;
  st->cur = root;
  st->max_nodes =
      limits && limits->max_nodes ? limits->max_nodes : DEFAULT_MAX_NODES;
  st->max_depth =
      limits && limits->max_depth > 0 ? limits->max_depth : DEFAULT_MAX_DEPTH;
  mw_buf_init(&st->text, len * 2 + 1024);

  htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(utf8, (int)len);
  if (!ctxt) {
    free(st);
    mw_arena_free(arena);
    return mw_err_set(err, MW_ENOMEM, "out of memory parsing HTML");
  }
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

  if (!st->oom) flush_text(st);
  /* Close what the parser left open (it stopped at a limit). */
  for (struct mw_html_node *n = st->cur; n && n->parent; n = n->parent)
    close_node(n);
  bool oom = st->oom;
  if (ctxt->myDoc) xmlFreeDoc(ctxt->myDoc);
  htmlFreeParserCtxt(ctxt);
  mw_buf_cleanup(&st->text);
  free(st);
  if (oom) {
    mw_arena_free(arena);
    return mw_err_set(err, MW_ENOMEM, "out of memory parsing HTML");
  }
  *out = doc;
  return MW_OK;
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
