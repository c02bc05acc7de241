/*
 * opml.c: OPML source lists in and out.
 *
 * In: the feeds of an OPML file (any version) as (outlet, url, tier,
 * region, kind) records. An outline with an xmlUrl is a source; its outlet
 * is its own title (else text), except when it sits inside an outline
 * without an xmlUrl that has a name: then that parent is the outlet (one
 * outlet, several feeds) and it lends its tier, region and kind to
 * children that do not set their own. OPML files are small and written by
 * tools, so libxml2 builds a tree here (recovery on, no network).
 *
 * Out: the configuration's outlets and sources as OPML 2.0, one flat
 * outline per source, with mediawatch's attributes (tier, region, kind)
 * beside the standard ones; every attribute value is escaped.
 *
 * What it leaves to others: checking tiers and URLs and merging into the
 * config (cli/).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "crawler/crawler.h"
#include "crawler/feed_internal.h"

#define MAX_SOURCES 100000
#define MAX_DEPTH 64

struct reader {
  struct mw_opml *opml;
  size_t cap;
  bool full;
};

/* An attribute's value (name compared ignoring ASCII case), trimmed, in
 * the arena; NULL when absent or empty. */
static char *attr(struct mw_arena *a, xmlNodePtr node, const char *name) {
  for (xmlAttrPtr at = node->properties; at; at = at->next) {
    if (mw_ascii_casecmp((const char *)at->name, name) != 0) continue;
    xmlChar *v = xmlNodeGetContent((xmlNodePtr)at);
    if (!v) return NULL;
    const char *s = (const char *)v;
    size_t n = strlen(s);
    while (n && mw_ascii_isspace((unsigned char)*s)) s++, n--;
    while (n && mw_ascii_isspace((unsigned char)s[n - 1])) n--;
    char *out = n ? mw_arena_strndup(a, s, n) : NULL;
    xmlFree(v);
    return out;
  }
  return NULL;
}

/* What an outline passes to its children. */
struct inherit {
  const char *outlet, *tier, *region, *kind;
};

static int add_source(struct reader *r, const struct mw_opml_source *src) {
  struct mw_opml *o = r->opml;
  if (o->n_sources >= MAX_SOURCES) {
    r->full = true;
    return MW_OK;
  }
  if (o->n_sources == r->cap) {
    size_t ncap = r->cap ? r->cap * 2 : 32;
    struct mw_opml_source *ns = mw_arena_alloc(o->arena, ncap * sizeof *ns);
    if (!ns) return MW_ENOMEM;
    if (o->n_sources) memcpy(ns, o->sources, o->n_sources * sizeof *ns);
    o->sources = ns;
    r->cap = ncap;
  }
  o->sources[o->n_sources++] = *src;
  return MW_OK;
}

static int walk(struct reader *r, xmlNodePtr parent, const struct inherit *in,
                int depth) {
  struct mw_arena *a = r->opml->arena;
  for (xmlNodePtr n = parent->children; n && !r->full; n = n->next) {
    if (n->type != XML_ELEMENT_NODE ||
        mw_ascii_casecmp((const char *)n->name, "outline") != 0)
      continue;
    char *url = attr(a, n, "xmlUrl");
    char *name = attr(a, n, "title");
    if (!name) name = attr(a, n, "text");
    char *tier = attr(a, n, "tier");
    char *region = attr(a, n, "region");
    char *kind = attr(a, n, "kind");
    if (url) {
      struct mw_opml_source src = {
          .outlet = in->outlet ? (char *)in->outlet : name,
          .url = url,
          .tier = tier ? tier : (char *)in->tier,
          .region = region ? region : (char *)in->region,
          .kind = kind ? kind : (char *)in->kind,
      };
      if (!src.outlet) src.outlet = url;
      int rc = add_source(r, &src);
      if (rc) return rc;
    }
    if (n->children && depth < MAX_DEPTH) {
      /* A named folder is the outlet of the feeds inside it; an outline
       * that is itself a feed names nothing below it. */
      struct inherit child = {
          .outlet = url ? in->outlet : (name ? name : in->outlet),
          .tier = tier ? tier : in->tier,
          .region = region ? region : in->region,
          .kind = kind ? kind : in->kind,
      };
      int rc = walk(r, n, &child, depth + 1);
      if (rc) return rc;
    }
  }
  return MW_OK;
}

static xmlNodePtr child_named(xmlNodePtr parent, const char *name) {
  for (xmlNodePtr n = parent ? parent->children : NULL; n; n = n->next)
    if (n->type == XML_ELEMENT_NODE &&
        mw_ascii_casecmp((const char *)n->name, name) == 0)
      return n;
  return NULL;
}

int mw_opml_parse(const char *data, size_t len, struct mw_opml **out,
                  struct mw_err *err) {
  if (!out || (!data && len))
    return mw_err_set(err, MW_EINVAL, "no OPML given");
  *out = NULL;
  if (len > (size_t)INT32_MAX)
    return mw_err_set(err, MW_ETOOBIG, "the OPML file is larger than 2 GB");
  mw_feedp_xml_init();
  xmlDocPtr doc = xmlReadMemory(data ? data : "", (int)len, NULL, NULL,
                                XML_PARSE_RECOVER | XML_PARSE_NONET |
                                    XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
  if (!root) {
    xmlFreeDoc(doc);
    return mw_err_set(err, MW_EPARSE, "not an OPML file: no XML element found");
  }
  if (mw_ascii_casecmp((const char *)root->name, "opml") != 0) {
    int rc =
        mw_err_set(err, MW_EPARSE,
                   "not an OPML file: the root element is <%s>, not <opml>",
                   (const char *)root->name);
    xmlFreeDoc(doc);
    return rc;
  }
  struct mw_opml *opml = calloc(1, sizeof *opml);
  if (!opml || !(opml->arena = mw_arena_new(16384, 0))) {
    free(opml);
    xmlFreeDoc(doc);
    return mw_err_set(err, MW_ENOMEM, "out of memory reading OPML");
  }
  xmlNodePtr title = child_named(child_named(root, "head"), "title");
  if (title) {
    xmlChar *t = xmlNodeGetContent(title);
    if (t && *t) opml->title = mw_arena_strdup(opml->arena, (const char *)t);
    xmlFree(t);
  }
  struct reader r = {.opml = opml};
  struct inherit none = {0};
  xmlNodePtr body = child_named(root, "body");
  int rc = body ? walk(&r, body, &none, 0) : MW_OK;
  xmlFreeDoc(doc);
  if (rc) {
    mw_opml_free(opml);
    return mw_err_set(err, rc, "out of memory reading OPML");
  }
  *out = opml;
  return MW_OK;
}

void mw_opml_free(struct mw_opml *opml) {
  if (!opml) return;
  mw_arena_free(opml->arena);
  free(opml);
}

/* ---------------------------------------------------------------- write */

/* Appends s escaped for a double-quoted XML attribute. Control characters
 * that XML 1.0 cannot carry are dropped; tabs and newlines are written as
 * references so attribute normalisation keeps them. */
static int put_attr_value(struct mw_buf *b, const char *s) {
  const char *run = s;
  for (const char *p = s; *p; p++) {
    const char *rep = NULL;
    unsigned char c = (unsigned char)*p;
    switch (c) {
      case '&': rep = "&amp;"; break;
      case '<': rep = "&lt;"; break;
      case '>': rep = "&gt;"; break;
      case '"': rep = "&quot;"; break;
      case '\'': rep = "&apos;"; break;
      case '\t': rep = "&#9;"; break;
      case '\n': rep = "&#10;"; break;
      case '\r': rep = "&#13;"; break;
      default:
        if (c < 0x20) rep = "";
        break;
    }
    if (!rep) continue;
    int rc = mw_buf_append(b, run, (size_t)(p - run));
    if (!rc) rc = mw_buf_puts(b, rep);
    if (rc) return rc;
    run = p + 1;
  }
  return mw_buf_puts(b, run);
}

static int put_attr(struct mw_buf *b, const char *name, const char *value) {
  if (!value) return MW_OK;
  int rc = mw_buf_printf(b, " %s=\"", name);
  if (!rc) rc = put_attr_value(b, value);
  if (!rc) rc = mw_buf_putc(b, '"');
  return rc;
}

int mw_opml_write(const struct mw_config *cfg, struct mw_buf *out,
                  struct mw_err *err) {
  if (!cfg || !out)
    return mw_err_set(err, MW_EINVAL, "no configuration to write");
  int rc = mw_buf_puts(out,
                       "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<opml version=\"2.0\">\n  <head>\n    <title>");
  const char *title = cfg->office_name ? cfg->office_name : "mediawatch";
  /* attribute escaping is also right for element text */
  if (!rc) rc = put_attr_value(out, title);
  if (!rc) rc = mw_buf_puts(out, " sources</title>\n  </head>\n  <body>\n");
  for (size_t i = 0; i < cfg->n_outlets && !rc; i++) {
    const struct mw_outlet_conf *o = &cfg->outlets[i];
    for (size_t k = 0; k < o->n_sources && !rc; k++) {
      const struct mw_source_conf *s = &o->sources[k];
      rc = mw_buf_puts(out, "    <outline");
      if (!rc) rc = put_attr(out, "text", o->name ? o->name : "");
      if (!rc && s->kind == MW_SOURCE_FEED) rc = put_attr(out, "type", "rss");
      if (!rc) rc = put_attr(out, "xmlUrl", s->url ? s->url : "");
      if (!rc) rc = put_attr(out, "tier", mw_tier_name(o->tier));
      if (!rc) rc = put_attr(out, "region", o->region);
      if (!rc) rc = put_attr(out, "kind", mw_source_kind_name(s->kind));
      if (!rc) rc = mw_buf_puts(out, "/>\n");
    }
  }
  if (!rc) rc = mw_buf_puts(out, "  </body>\n</opml>\n");
  if (rc == MW_ETOOBIG)
    return mw_err_set(err, rc,
                      "the OPML output is larger than its %zu-byte "
                      "ceiling",
                      out->max);
  if (rc) return mw_err_set(err, rc, "out of memory writing OPML");
  return MW_OK;
}
