/*
 * sitemap.c: mw_sitemap_parse, the URLs of a sitemap (sitemaps.org 0.9),
 * a sitemap index, a Google News sitemap, or a plain-text sitemap (one URL
 * a line, which the protocol also allows).
 *
 * Streaming: libxml2's SAX2 interface with a small stack of open element
 * names, so a 50 MB sitemap never becomes a DOM. Elements are matched by
 * local name inside <url> or <sitemap>: <loc>, <lastmod>, and inside
 * <news:news> the <news:title> and <news:publication_date>; <image:loc>
 * and other extensions are ignored because only a <loc> whose parent is the
 * entry counts. Bounds: a gzip body (magic 1f 8b) is inflated to at most
 * 50 MB, fields to 64 KB, depth to 64, and entries stop at the protocol's
 * 50,000. The network is never touched (XML_PARSE_NONET) and entities are
 * never expanded (no getEntity handler, no XML_PARSE_NOENT): a sitemap has
 * no use for them and they are how XML bombs work.
 *
 * What it leaves to others: fetching child sitemaps of an index, and
 * deciding which entries are new.
 */
#include <stdlib.h>
#include <pthread.h>
#include <string.h>

#include <libxml/parser.h>
#include <zlib.h>

#include "crawler/crawler.h"

#define INFLATED_MAX (50u * 1024 * 1024)
#define MAX_ENTRIES 50000
#define FIELD_MAX (64u * 1024)
#define MAX_DEPTH 64

enum field { F_NONE, F_LOC, F_LASTMOD, F_TITLE, F_PUBDATE };

struct entry_tmp {
  char *loc;
  int64_t lastmod;
  char *title;
  int64_t published;
};

struct sm_parser {
  struct mw_sitemap *sm;
  const char *base;
  int offset_s;
  xmlParserCtxtPtr ctxt;
  int root; /* 0 unknown, 1 urlset, 2 sitemapindex, -1 something else */
  char stack[MAX_DEPTH][24]; /* local names of the open elements (cut) */
  int depth;
  int entry_depth; /* depth of the open <url>/<sitemap>, or 0 */
  enum field field;
  struct mw_buf text;
  struct entry_tmp cur;
  struct entry_tmp *entries;
  size_t n, cap;
  bool full; /* MAX_ENTRIES reached */
  bool oom;
};

/* ------------------------------------------------------------ gzip */

static int inflate_body(const char *data, size_t len, struct mw_buf *out,
                        const char *url, struct mw_err *err) {
  z_stream z;
  memset(&z, 0, sizeof z);
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
    return mw_err_set(err, MW_ENOMEM, "out of memory inflating %s", url);
  z.next_in = (Bytef *)data;
  int rc = MW_OK;
  size_t left = len;
  char chunk[65536];
  int zr = Z_OK;
  while (zr != Z_STREAM_END) {
    if (z.avail_in == 0) {
      if (left == 0) break; /* cut short: keep what came out */
      uInt take = left > (1u << 30) ? (1u << 30) : (uInt)left;
      z.avail_in = take;
      left -= take;
    }
    z.next_out = (Bytef *)chunk;
    z.avail_out = sizeof chunk;
    zr = inflate(&z, Z_NO_FLUSH);
    if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
      if (out->len == 0)
        rc = mw_err_set(err, MW_EPARSE, "%s: gzip data is corrupt (%s)", url,
                        z.msg ? z.msg : "inflate failed");
      break;
    }
    size_t got = sizeof chunk - z.avail_out;
    if (got && mw_buf_append(out, chunk, got) != MW_OK) {
      rc = out->len + got > out->max
               ? mw_err_set(err, MW_ETOOBIG,
                            "%s: sitemap is larger than %u MB once inflated",
                            url, INFLATED_MAX >> 20)
               : mw_err_set(err, MW_ENOMEM, "out of memory inflating %s", url);
      break;
    }
    if (zr == Z_BUF_ERROR && got == 0 && z.avail_in == 0 && left == 0) break;
  }
  inflateEnd(&z);
  return rc;
}

/* ------------------------------------------------------------ entries */

static char *trimmed_copy(const char *s, size_t n) {
  while (n && mw_ascii_isspace((unsigned char)*s)) s++, n--;
  while (n && mw_ascii_isspace((unsigned char)s[n - 1])) n--;
  return mw_strndup(s, n);
}

static void free_tmp(struct entry_tmp *e) {
  free(e->loc);
  free(e->title);
  e->loc = e->title = NULL;
}

static void reset_entry(struct entry_tmp *e) {
  e->loc = e->title = NULL;
  e->lastmod = e->published = MW_TIME_UNKNOWN;
}

/* Keeps the entry in p->cur when it has a usable loc. */
static void end_entry(struct sm_parser *p) {
  struct entry_tmp *e = &p->cur;
  char *canon = NULL;
  if (e->loc && mw_url_canonicalize(e->loc, p->base, &canon, NULL) == MW_OK) {
    if (p->n == p->cap) {
      size_t ncap = p->cap ? 2 * p->cap : 64;
      struct entry_tmp *ne = realloc(p->entries, ncap * sizeof *ne);
      if (!ne) {
        free(canon);
        free_tmp(e);
        p->oom = true;
        xmlStopParser(p->ctxt);
        return;
      }
      p->entries = ne;
      p->cap = ncap;
    }
    free(e->loc);
    e->loc = canon;
    p->entries[p->n++] = *e;
    reset_entry(e);
    if (p->n >= MAX_ENTRIES) {
      p->full = true;
      xmlStopParser(p->ctxt);
    }
    return;
  }
  free_tmp(e);
}

/* ------------------------------------------------------------ SAX */

static bool name_is(const xmlChar *n, const char *s) {
  return !strcmp((const char *)n, s);
}

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix,
                     const xmlChar *uri, int nb_ns, const xmlChar **ns,
                     int nb_attrs, int nb_def, const xmlChar **attrs) {
  (void)prefix, (void)uri, (void)nb_ns, (void)ns, (void)nb_attrs, (void)nb_def,
      (void)attrs;
  struct sm_parser *p = ctx;
  if (p->depth == 0 && p->root == 0)
    p->root = name_is(local, "urlset")         ? 1
              : name_is(local, "sitemapindex") ? 2
                                               : -1;
  if (p->depth >= MAX_DEPTH) {
    p->depth++;
    return;
  }
  const char *parent = p->depth > 0 ? p->stack[p->depth - 1] : "";
  snprintf(p->stack[p->depth], sizeof p->stack[0], "%s", (const char *)local);
  p->depth++;
  if (p->root <= 0) return;
  if (!p->entry_depth && p->depth == 2 &&
      (name_is(local, "url") || name_is(local, "sitemap"))) {
    p->entry_depth = p->depth;
    reset_entry(&p->cur);
    return;
  }
  if (!p->entry_depth) return;
  p->field = F_NONE;
  if (p->depth == p->entry_depth + 1) {
    if (name_is(local, "loc")) p->field = F_LOC;
    else if (name_is(local, "lastmod")) p->field = F_LASTMOD;
  } else if (!strcmp(parent, "news")) {
    if (name_is(local, "title")) p->field = F_TITLE;
    else if (name_is(local, "publication_date")) p->field = F_PUBDATE;
  }
  mw_buf_reset(&p->text);
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix,
                   const xmlChar *uri) {
  (void)local, (void)prefix, (void)uri;
  struct sm_parser *p = ctx;
  if (p->depth == 0) return;
  p->depth--;
  if (p->depth >= MAX_DEPTH) return;
  if (p->field != F_NONE) {
    const char *t = p->text.data ? p->text.data : "";
    size_t n = p->text.len;
    switch (p->field) {
      case F_LOC:
        if (!p->cur.loc) p->cur.loc = trimmed_copy(t, n);
        break;
      case F_TITLE:
        if (!p->cur.title) p->cur.title = trimmed_copy(t, n);
        break;
      case F_LASTMOD:
        if (mw_date_parse(t, n, p->offset_s, &p->cur.lastmod) != MW_OK)
          p->cur.lastmod = MW_TIME_UNKNOWN;
        break;
      case F_PUBDATE:
        if (mw_date_parse(t, n, p->offset_s, &p->cur.published) != MW_OK)
          p->cur.published = MW_TIME_UNKNOWN;
        break;
      default:
        break;
    }
    p->field = F_NONE;
    mw_buf_reset(&p->text);
  }
  if (p->entry_depth && p->depth + 1 == p->entry_depth) {
    p->entry_depth = 0;
    end_entry(p);
  }
}

static void on_text(void *ctx, const xmlChar *ch, int len) {
  struct sm_parser *p = ctx;
  if (p->field == F_NONE || len <= 0) return;
  /* a field over the ceiling keeps its first 64 KB */
  (void)mw_buf_append(&p->text, ch, (size_t)len);
}

static void on_error(void *ctx, xmlErrorPtr e) { (void)ctx, (void)e; }

/* ------------------------------------------------------------ text */

/* A plain-text sitemap: one URL per line. */
static void parse_text(struct sm_parser *p, const char *s, size_t n) {
  size_t i = 0;
  while (i < n && !p->full && !p->oom) {
    size_t j = i;
    while (j < n && s[j] != '\n') j++;
    reset_entry(&p->cur);
    p->cur.loc = trimmed_copy(s + i, j - i);
    if (p->cur.loc && mw_url_is_http(p->cur.loc))
      end_entry(p);
    else
      free_tmp(&p->cur);
    if (p->n >= MAX_ENTRIES) p->full = true;
    i = j + 1;
  }
}

/* ------------------------------------------------------------ result */

static int finish(struct sm_parser *p, const char *url, struct mw_sitemap **out,
                  struct mw_err *err) {
  struct mw_sitemap *sm = p->sm;
  if (p->n) {
    sm->entries = mw_arena_alloc(sm->arena, p->n * sizeof *sm->entries);
    if (!sm->entries) return mw_err_set(err, MW_ENOMEM, "out of memory parsing %s", url);
  }
  for (size_t i = 0; i < p->n; i++) {
    struct entry_tmp *e = &p->entries[i];
    struct mw_sitemap_entry *d = &sm->entries[i];
    d->loc = mw_arena_strdup(sm->arena, e->loc);
    d->title = e->title ? mw_arena_strdup(sm->arena, e->title) : NULL;
    d->lastmod = e->lastmod;
    d->published = e->published;
    if (!d->loc || (e->title && !d->title))
      return mw_err_set(err, MW_ENOMEM, "out of memory parsing %s", url);
  }
  sm->n_entries = p->n;
  *out = sm;
  return MW_OK;
}

static void cleanup(struct sm_parser *p) {
  for (size_t i = 0; i < p->n; i++) free_tmp(&p->entries[i]);
  free(p->entries);
  free_tmp(&p->cur);
  mw_buf_cleanup(&p->text);
}

/* libxml2's global state must be set up once, before parsers run on
 * several threads (extraction runs on the loop's thread pool). */
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static void xml_init(void) { xmlInitParser(); }

int mw_sitemap_parse(const char *data, size_t len, const char *url,
                     int default_offset_s, struct mw_sitemap **out,
                     struct mw_err *err) {
  *out = NULL;
  pthread_once(&xml_once, xml_init);
  const char *where = url ? url : "sitemap";
  struct mw_buf inflated;
  mw_buf_init(&inflated, INFLATED_MAX);
  if (data && len >= 2 && (unsigned char)data[0] == 0x1F &&
      (unsigned char)data[1] == 0x8B) {
    int rc = inflate_body(data, len, &inflated, where, err);
    if (rc) {
      mw_buf_cleanup(&inflated);
      return rc;
    }
    data = inflated.data ? inflated.data : "";
    len = inflated.len;
  }
  if (!data) len = 0;
  /* past a BOM and white space, a sitemap starts with '<' or is text */
  size_t start = 0;
  if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) start = 3;
  while (start < len && mw_ascii_isspace((unsigned char)data[start])) start++;
  if (start >= len) {
    mw_buf_cleanup(&inflated);
    return mw_err_set(err, MW_EPARSE, "%s: the sitemap is empty", where);
  }

  struct sm_parser p;
  memset(&p, 0, sizeof p);
  p.base = url;
  p.offset_s = default_offset_s;
  mw_buf_init(&p.text, FIELD_MAX);
  reset_entry(&p.cur);
  struct mw_arena *arena = mw_arena_new(16384, 0);
  p.sm = arena ? mw_arena_alloc(arena, sizeof *p.sm) : NULL;
  if (!p.sm) {
    mw_arena_free(arena);
    mw_buf_cleanup(&inflated);
    return mw_err_set(err, MW_ENOMEM, "out of memory parsing %s", where);
  }
  memset(p.sm, 0, sizeof *p.sm);
  p.sm->arena = arena;

  int rc = MW_OK;
  if (data[start] != '<') {
    parse_text(&p, data + start, len - start);
    if (!p.n && !p.oom)
      rc = mw_err_set(err, MW_EPARSE,
                      "%s: neither an XML sitemap nor a list of URLs", where);
  } else {
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_text;
    sax.cdataBlock = on_text;
    sax.serror = on_error;
    xmlParserCtxtPtr ctxt = xmlCreatePushParserCtxt(&sax, &p, NULL, 0, NULL);
    if (!ctxt) {
      rc = mw_err_set(err, MW_ENOMEM, "out of memory parsing %s", where);
    } else {
      p.ctxt = ctxt;
      xmlCtxtUseOptions(ctxt, XML_PARSE_RECOVER | XML_PARSE_NONET |
                                  XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
      size_t off = start;
      while (off < len && ctxt->instate != XML_PARSER_EOF) {
        size_t chunk = len - off > (1u << 30) ? (1u << 30) : len - off;
        xmlParseChunk(ctxt, data + off, (int)chunk, off + chunk >= len);
        off += chunk;
      }
      if (ctxt->myDoc) xmlFreeDoc(ctxt->myDoc);
      xmlFreeParserCtxt(ctxt);
      p.ctxt = NULL;
      if (p.root < 0 || p.root == 0)
        rc = mw_err_set(err, MW_EPARSE,
                        "%s: not a sitemap (the root element is not <urlset> "
                        "or <sitemapindex>)",
                        where);
      p.sm->is_index = p.root == 2;
    }
  }
  if (!rc && p.oom) rc = mw_err_set(err, MW_ENOMEM, "out of memory parsing %s", where);
  if (!rc) rc = finish(&p, where, out, err);
  cleanup(&p);
  mw_buf_cleanup(&inflated);
  if (rc) mw_arena_free(arena);
  return rc;
}

void mw_sitemap_free(struct mw_sitemap *s) {
  if (s) mw_arena_free(s->arena);
}
