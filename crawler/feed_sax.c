/*
 * feed_sax.c: the SAX2 state machine that turns libxml2's events into feed
 * entries.
 *
 * No tree is built: a small stack of open elements (each with its tag, its
 * role and the xml:base in force) decides what every start tag means, and
 * one capture buffer collects the text of the field being read. RSS 2.0 and
 * 0.9x, RSS 1.0 (RDF) and Atom 1.0 (also 0.3) share one tag table; the
 * role of the parent (channel, item, author, a subtree to skip such as
 * <image> or Atom's <source>) decides which field a <title> or <link> is.
 *
 * The stack follows the end tags as written, not libxml2's recovery: a
 * mismatched end tag closes up to the element it names, or nothing when it
 * names none (a stray </p>), so one broken description does not swallow
 * the entries after it.
 *
 * What it leaves to others: what a field's text becomes and when an entry
 * is kept (feed_entry.c), driving the parser, encodings, restarts and
 * repairs (feed.c, feed_charset.c, feed_repair.c), reducing HTML to text
 * (feed_text.c), dates (date.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parserInternals.h>

#include "crawler/feed_internal.h"

enum tag {
  T_OTHER,
  T_RSS,
  T_RDF,
  T_CHANNEL,
  T_FEED,
  T_ITEM,
  T_ENTRY,
  T_TITLE,
  T_LINK,
  T_GUID,
  T_ID,
  T_DESCRIPTION,
  T_SUMMARY,
  T_CONTENT,
  T_ENCODED,
  T_PUBDATE, /* RSS pubDate, dc:date, Atom published/issued, dcterms */
  T_UPDATED, /* Atom updated/modified, dcterms:modified */
  T_AUTHOR,
  T_CREATOR, /* dc:creator, dc:author */
  T_NAME,
  T_EMAIL,
  T_SOURCE,
  T_SKIP, /* image, textinput: their title and link are not the feed's */
  T_BODY, /* xhtml:body / xhtml:div as an item's content */
  T_DC_TITLE,
  T_DC_DESCRIPTION,
  T_TTL,          /* RSS 2.0 channel <ttl> */
  T_SY_PERIOD,    /* sy:updatePeriod */
  T_SY_FREQUENCY, /* sy:updateFrequency */
};

enum ns {
  NS_CORE,
  NS_ATOM,
  NS_DC,
  NS_DCTERMS,
  NS_CONTENT,
  NS_RDF,
  NS_XHTML,
  NS_SY,
  NS_OTHER
};

/* ------------------------------------------------------------ names */

static enum ns ns_of(const struct mw_feed_parser *p, const xmlChar *uri,
                     const xmlChar *prefix) {
  static const struct {
    const char *uri;
    enum ns ns;
  } known[] = {
      {"http://www.w3.org/2005/Atom", NS_ATOM},
      {"http://purl.org/atom/ns#", NS_ATOM},
      {"http://purl.org/rss/1.0/", NS_CORE},
      {"http://my.netscape.com/rdf/simple/0.9/", NS_CORE},
      {"http://backend.userland.com/rss2", NS_CORE},
      {"http://backend.userland.com/rss", NS_CORE},
      {"http://blogs.law.harvard.edu/tech/rss", NS_CORE},
      {"http://purl.org/dc/elements/1.1/", NS_DC},
      {"http://purl.org/dc/elements/1.0/", NS_DC},
      {"http://purl.org/dc/terms/", NS_DCTERMS},
      {"http://purl.org/rss/1.0/modules/content/", NS_CONTENT},
      {MW_RDF_NS, NS_RDF},
      {"http://www.w3.org/1999/xhtml", NS_XHTML},
      {"http://purl.org/rss/1.0/modules/syndication/", NS_SY},
  };
  if (uri) {
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
      if (!strcmp((const char *)uri, known[i].uri)) return known[i].ns;
    if (p->root_ns && !strcmp((const char *)uri, p->root_ns)) return NS_CORE;
    return NS_OTHER;
  }
  if (!prefix) return NS_CORE;
  /* An undeclared prefix (common in hand-made Chinese feeds, and after a
   * restart that lost the root's declarations): go by its usual meaning. */
  static const struct {
    const char *prefix;
    enum ns ns;
  } prefixes[] = {{"dc", NS_DC},           {"dcterms", NS_DCTERMS},
                  {"content", NS_CONTENT}, {"atom", NS_ATOM},
                  {"rdf", NS_RDF},         {"xhtml", NS_XHTML},
                  {"sy", NS_SY}};
  for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
    if (!strcmp((const char *)prefix, prefixes[i].prefix))
      return prefixes[i].ns;
  return NS_OTHER;
}

static bool eq(const xmlChar *a, const char *b) {
  return mw_ascii_casecmp((const char *)a, b) == 0;
}

static enum tag tag_of(const xmlChar *name, enum ns ns) {
  switch (ns) {
    case NS_CORE:
    case NS_ATOM: break;
    case NS_DC:
      if (eq(name, "creator") || eq(name, "author")) return T_CREATOR;
      if (eq(name, "date")) return T_PUBDATE;
      if (eq(name, "title")) return T_DC_TITLE;
      if (eq(name, "description")) return T_DC_DESCRIPTION;
      return T_OTHER;
    case NS_DCTERMS:
      if (eq(name, "issued") || eq(name, "created")) return T_PUBDATE;
      if (eq(name, "modified")) return T_UPDATED;
      return T_OTHER;
    case NS_CONTENT: return eq(name, "encoded") ? T_ENCODED : T_OTHER;
    case NS_RDF: return eq(name, "RDF") ? T_RDF : T_OTHER;
    case NS_XHTML:
      return eq(name, "body") || eq(name, "div") ? T_BODY : T_OTHER;
    case NS_SY:
      if (eq(name, "updatePeriod")) return T_SY_PERIOD;
      if (eq(name, "updateFrequency")) return T_SY_FREQUENCY;
      return T_OTHER;
    default: return T_OTHER;
  }
  switch (mw_ascii_tolower(name[0])) {
    case 'a': return eq(name, "author") ? T_AUTHOR : T_OTHER;
    case 'c':
      if (eq(name, "channel")) return T_CHANNEL;
      if (eq(name, "content")) return T_CONTENT;
      return T_OTHER;
    case 'd': return eq(name, "description") ? T_DESCRIPTION : T_OTHER;
    case 'e':
      if (eq(name, "entry")) return T_ENTRY;
      if (eq(name, "email")) return T_EMAIL;
      return T_OTHER;
    case 'f': return eq(name, "feed") ? T_FEED : T_OTHER;
    case 'g': return eq(name, "guid") ? T_GUID : T_OTHER;
    case 'i':
      if (eq(name, "item")) return T_ITEM;
      if (eq(name, "id")) return T_ID;
      if (eq(name, "issued")) return T_PUBDATE;
      if (eq(name, "image")) return T_SKIP;
      return T_OTHER;
    case 'l': return eq(name, "link") ? T_LINK : T_OTHER;
    case 'm': return eq(name, "modified") ? T_UPDATED : T_OTHER;
    case 'n': return eq(name, "name") ? T_NAME : T_OTHER;
    case 'p':
      if (eq(name, "pubDate") || eq(name, "published")) return T_PUBDATE;
      return T_OTHER;
    case 'r': return eq(name, "rss") ? T_RSS : T_OTHER;
    case 's':
      if (eq(name, "summary")) return T_SUMMARY;
      if (eq(name, "source")) return T_SOURCE;
      return T_OTHER;
    case 't':
      if (eq(name, "title")) return T_TITLE;
      if (eq(name, "textinput")) return T_SKIP;
      if (eq(name, "ttl")) return T_TTL;
      return T_OTHER;
    case 'u': return eq(name, "updated") ? T_UPDATED : T_OTHER;
    default: return T_OTHER;
  }
}

/* --------------------------------------------------------- start tags */

static void pop_frame(struct mw_feed_parser *p);

/* A field start under an item. */
static void item_child(struct mw_feed_parser *p, enum tag tag, enum ns ns,
                       const xmlChar **attrs, int n) {
  struct mw_feed_frame *f = &p->stack[p->depth - 1];
  bool atom = ns == NS_ATOM || p->feed->format == MW_FEED_ATOM;
  enum mw_feed_mode mode;
  struct mw_str v;
  switch (tag) {
    case T_TITLE:
      if (atom && !mw_feedp_atom_mode(attrs, n, &mode)) break;
      mw_feedp_start_capture(p, MW_FIELD_TITLE, atom ? mode : MW_MODE_GUESS);
      break;
    case T_DC_TITLE:
      mw_feedp_start_capture(p, MW_FIELD_DC_TITLE, MW_MODE_GUESS);
      break;
    case T_LINK:
      if (mw_feedp_attr(attrs, n, "href", NULL, &v))
        mw_feedp_atom_link(p, attrs, n, true);
      else
        mw_feedp_start_capture(p, MW_FIELD_LINK, MW_MODE_TEXT);
      break;
    case T_GUID:
      p->item.guid_is_link =
          !(mw_feedp_attr(attrs, n, "isPermaLink", NULL, &v) &&
            mw_feedp_str_is(v, "false"));
      mw_feedp_start_capture(p, MW_FIELD_ID, MW_MODE_TEXT);
      break;
    case T_ID: mw_feedp_start_capture(p, MW_FIELD_ID, MW_MODE_TEXT); break;
    case T_PUBDATE:
      mw_feedp_start_capture(p, MW_FIELD_PUBLISHED, MW_MODE_TEXT);
      break;
    case T_UPDATED:
      mw_feedp_start_capture(p, MW_FIELD_UPDATED, MW_MODE_TEXT);
      break;
    case T_AUTHOR:
      if (atom)
        f->role = MW_ROLE_AUTHOR;
      else
        mw_feedp_start_capture(p, MW_FIELD_AUTHOR, MW_MODE_TEXT);
      break;
    case T_CREATOR:
      mw_feedp_start_capture(p, MW_FIELD_AUTHOR, MW_MODE_TEXT);
      break;
    case T_DESCRIPTION:
    case T_DC_DESCRIPTION:
      mw_feedp_start_capture(p, MW_FIELD_SUMMARY, MW_MODE_GUESS);
      break;
    case T_SUMMARY:
      if (!mw_feedp_atom_mode(attrs, n, &mode)) break;
      mw_feedp_start_capture(p, MW_FIELD_SUMMARY, atom ? mode : MW_MODE_GUESS);
      break;
    case T_CONTENT:
      if (!mw_feedp_atom_mode(attrs, n, &mode)) break;
      mw_feedp_start_capture(p, MW_FIELD_CONTENT, atom ? mode : MW_MODE_GUESS);
      break;
    case T_ENCODED:
      mw_feedp_start_capture(p, MW_FIELD_CONTENT, MW_MODE_HTML);
      break;
    case T_BODY:
      mw_feedp_start_capture(p, MW_FIELD_CONTENT, MW_MODE_TEXT);
      break;
    case T_SOURCE:
    case T_SKIP: f->role = MW_ROLE_SKIP; break;
    default: break;
  }
}

/* The first element: is this a feed at all? */
static void root_element(struct mw_feed_parser *p, enum tag tag,
                         const xmlChar *name) {
  struct mw_feed_frame *f = &p->stack[p->depth - 1];
  p->root_seen = true;
  snprintf(p->root_name, sizeof p->root_name, "%s", (const char *)name);
  p->root_name[mw_feedtext_utf8_cut(p->root_name, strlen(p->root_name))] = 0;
  switch (tag) {
    case T_RSS:
      p->feed->format = MW_FEED_RSS2;
      f->role = MW_ROLE_ROOT;
      break;
    case T_RDF:
      p->feed->format = MW_FEED_RSS1;
      f->role = MW_ROLE_ROOT;
      break;
    case T_FEED:
      p->feed->format = MW_FEED_ATOM;
      f->role = MW_ROLE_CHANNEL;
      break;
    case T_CHANNEL: /* a bare <channel>: RSS without its wrapper */
      p->feed->format = MW_FEED_RSS2;
      f->role = MW_ROLE_CHANNEL;
      break;
    default:
      p->not_feed = true;
      xmlStopParser(p->ctxt);
      break;
  }
}

static void on_start(void *user, const xmlChar *name, const xmlChar *prefix,
                     const xmlChar *uri, int nb_ns, const xmlChar **nss,
                     int nb_attrs, int nb_defaulted, const xmlChar **attrs) {
  struct mw_feed_parser *p = user;
  /* libxml2 stops expanding even &amp; once a document is known to be
   * broken; the events still come, so keep it believing otherwise. */
  p->ctxt->wellFormed = 1;
  if (p->depth >= p->lim.max_depth) {
    mw_feedp_problem(p,
                     "elements nested deeper than %d: the rest of the "
                     "document was not read",
                     p->lim.max_depth);
    mw_feedp_stop(p);
    return;
  }
  enum ns ns = ns_of(p, uri, prefix);
  enum tag tag = tag_of(name, ns);
  if (!p->root_seen && tag == T_OTHER && uri) {
    /* A feed's root in a namespace nobody knows ("http://www.w3.org/2005/
     * atom", a mistyped RSS one): take the names, and the namespace as the
     * feed's own. */
    enum tag t = tag_of(name, NS_CORE);
    if (t == T_RSS || t == T_FEED || t == T_CHANNEL || eq(name, "RDF")) {
      tag = eq(name, "RDF") ? T_RDF : t;
      p->root_ns =
          mw_feedp_strndup(p, (const char *)uri, strlen((const char *)uri));
    }
  }
  if (p->cap.field && tag != T_OTHER && tag != T_BODY) {
    /* A feed element inside a field: the field was never closed ("<title>
     * text" then "<link>"). An item closes the item as well. */
    int keep = (tag == T_ITEM || tag == T_ENTRY) && p->in_item ? p->item_depth
                                                               : p->cap.depth;
    while (p->depth > keep) pop_frame(p);
    if (p->stopped) return;
  }
  struct mw_feed_frame *parent = p->depth ? &p->stack[p->depth - 1] : NULL;
  struct mw_feed_frame *f = &p->stack[p->depth++];
  f->name = name;
  f->base = parent ? parent->base : p->base_url;
  f->tag = T_OTHER;
  f->role = MW_ROLE_OTHER;
  struct mw_str xb;
  if (nb_attrs && mw_feedp_attr(attrs, nb_attrs, "base", MW_XML_NS, &xb))
    f->base = mw_feedp_resolve(p, xb.p, xb.len, f->base);

  if (p->cap.field) { /* markup inside a field: text with breaks */
    f->role = MW_ROLE_INFIELD;
    p->cap.children = true;
    size_t n = strlen((const char *)name);
    if (!p->cap.hidden_depth && mw_feedtext_is_hidden((const char *)name, n))
      p->cap.hidden_depth = p->depth - 1;
    else if (mw_feedtext_is_block((const char *)name, n))
      mw_feedp_cap_append(p, "\x01", 1);
    return;
  }
  if (parent &&
      (parent->role == MW_ROLE_SKIP || parent->role == MW_ROLE_INFIELD)) {
    f->role = MW_ROLE_SKIP;
    return;
  }
  f->tag = (uint8_t)tag;
  if (!p->root_seen) {
    root_element(p, tag, name);
    return;
  }
  if (tag == T_ITEM || tag == T_ENTRY) {
    if (p->in_item) { /* an unclosed item before this one */
      p->stack[p->item_depth].role = MW_ROLE_OTHER;
      mw_feedp_finish_item(p);
    }
    if (!p->stopped) mw_feedp_begin_item(p);
    return;
  }
  enum mw_feed_role prole =
      parent ? (enum mw_feed_role)parent->role : MW_ROLE_OTHER;
  switch (prole) {
    case MW_ROLE_ROOT:
      if (tag == T_CHANNEL)
        f->role = MW_ROLE_CHANNEL;
      else if (tag == T_SKIP)
        f->role = MW_ROLE_SKIP;
      break;
    case MW_ROLE_CHANNEL:
      if (tag == T_TITLE) {
        enum mw_feed_mode mode = MW_MODE_GUESS;
        if (p->feed->format == MW_FEED_ATOM &&
            !mw_feedp_atom_mode(attrs, nb_attrs, &mode))
          break;
        mw_feedp_start_capture(p, MW_FIELD_TITLE, mode);
      } else if (tag == T_LINK) {
        struct mw_str v;
        if (mw_feedp_attr(attrs, nb_attrs, "href", NULL, &v))
          mw_feedp_atom_link(p, attrs, nb_attrs, false);
        else
          mw_feedp_start_capture(p, MW_FIELD_LINK, MW_MODE_TEXT);
      } else if (tag == T_TTL) {
        mw_feedp_start_capture(p, MW_FIELD_TTL, MW_MODE_TEXT);
      } else if (tag == T_SY_PERIOD) {
        mw_feedp_start_capture(p, MW_FIELD_SY_PERIOD, MW_MODE_TEXT);
      } else if (tag == T_SY_FREQUENCY) {
        mw_feedp_start_capture(p, MW_FIELD_SY_FREQUENCY, MW_MODE_TEXT);
      } else if (tag == T_SKIP || tag == T_SOURCE || tag == T_AUTHOR) {
        f->role = MW_ROLE_SKIP;
      }
      break;
    case MW_ROLE_ITEM: item_child(p, tag, ns, attrs, nb_attrs); break;
    case MW_ROLE_AUTHOR:
      if (tag == T_NAME)
        mw_feedp_start_capture(p, MW_FIELD_AUTHOR_NAME, MW_MODE_TEXT);
      else if (tag == T_EMAIL)
        mw_feedp_start_capture(p, MW_FIELD_AUTHOR_EMAIL, MW_MODE_TEXT);
      break;
    default: break;
  }
  (void)nb_ns;
  (void)nss;
  (void)nb_defaulted;
}

/* RSS 1.0 items name themselves with rdf:about. */
static void on_start_rdf_about(struct mw_feed_parser *p, const xmlChar **attrs,
                               int n) {
  struct mw_str v;
  if (p->in_item && p->item_depth == p->depth - 1 && !p->item.about &&
      mw_feedp_attr(attrs, n, "about", MW_RDF_NS, &v)) {
    size_t len = v.len;
    const char *s = mw_feedtext_trim(v.p, &len);
    if (len) p->item.about = mw_feedp_strndup(p, s, len);
  }
}

static void sax_start(void *user, const xmlChar *name, const xmlChar *prefix,
                      const xmlChar *uri, int nb_ns, const xmlChar **nss,
                      int nb_attrs, int nb_defaulted, const xmlChar **attrs) {
  struct mw_feed_parser *p = user;
  on_start(user, name, prefix, uri, nb_ns, nss, nb_attrs, nb_defaulted, attrs);
  if (nb_attrs && p->feed->format == MW_FEED_RSS1)
    on_start_rdf_about(p, attrs, nb_attrs);
}

/* ----------------------------------------------------------- end tags */

static void pop_frame(struct mw_feed_parser *p) {
  if (p->depth == 0) return;
  int idx = --p->depth;
  struct mw_feed_frame *f = &p->stack[idx];
  if (p->cap.field) {
    if (idx == p->cap.depth) {
      mw_feedp_finish_capture(p);
    } else if (f->role == MW_ROLE_INFIELD) {
      if (p->cap.hidden_depth == idx)
        p->cap.hidden_depth = 0;
      else if (!p->cap.hidden_depth &&
               mw_feedtext_is_block((const char *)f->name,
                                    strlen((const char *)f->name)))
        mw_feedp_cap_append(p, "\x01", 1);
    }
  }
  if (f->role == MW_ROLE_ITEM && p->in_item && idx == p->item_depth)
    mw_feedp_finish_item(p);
}

/* Closes up to and including the innermost open element named name; a
 * name that is not open closes nothing (a stray end tag). */
static void close_named(struct mw_feed_parser *p, const char *name, size_t n) {
  const char *colon = memchr(name, ':', n);
  if (colon) {
    n -= (size_t)(colon + 1 - name);
    name = colon + 1;
  }
  for (int k = p->depth - 1; k >= 0; k--) {
    const char *fn = (const char *)p->stack[k].name;
    if (strlen(fn) == n && memcmp(fn, name, n) == 0) {
      while (p->depth > k) pop_frame(p);
      return;
    }
  }
}

static void sax_end(void *user, const xmlChar *name, const xmlChar *prefix,
                    const xmlChar *uri) {
  struct mw_feed_parser *p = user;
  p->ctxt->wellFormed = 1;
  if (p->pending_end) {
    p->pending_end = false;
    close_named(p, p->pending_name, strlen(p->pending_name));
    return;
  }
  pop_frame(p);
  (void)name;
  (void)prefix;
  (void)uri;
}

void mw_feedp_end_tag(struct mw_feed_parser *p, const char *name, size_t n) {
  close_named(p, name, n);
}

void mw_feedp_finish(struct mw_feed_parser *p) {
  while (p->depth > 0 && !p->stopped) pop_frame(p);
  if (p->in_item && !p->stopped) mw_feedp_finish_item(p);
}

/* ---------------------------------------------------------- text, entities */

static void sax_characters(void *user, const xmlChar *ch, int len) {
  struct mw_feed_parser *p = user;
  p->ctxt->wellFormed = 1;
  if (!p->cap.field || p->cap.hidden_depth || len <= 0) return;
  mw_feedp_cap_append(p, (const char *)ch, (size_t)len);
}

static struct mw_feed_entity *new_entity(struct mw_feed_parser *p,
                                         const xmlChar *name,
                                         const char *content, size_t n) {
  struct mw_feed_entity *e = mw_feedp_alloc(p, sizeof *e);
  char *nm =
      mw_feedp_strndup(p, (const char *)name, strlen((const char *)name));
  char *ct = mw_feedp_strndup(p, content, n);
  if (!e || !nm || !ct) return NULL;
  memset(e, 0, sizeof *e);
  e->ent.type = XML_ENTITY_DECL;
  e->ent.name = (const xmlChar *)nm;
  e->ent.content = (xmlChar *)ct;
  e->ent.length = (int)n;
  /* "Predefined" makes libxml2 hand the content over as text, as it does
   * for &amp;, without parsing it or consulting a DTD. */
  e->ent.etype = XML_INTERNAL_PREDEFINED_ENTITY;
  e->next = p->entities;
  p->entities = e;
  return e;
}

static void sax_entity_decl(void *user, const xmlChar *name, int type,
                            const xmlChar *public_id, const xmlChar *system_id,
                            xmlChar *content) {
  struct mw_feed_parser *p = user;
  /* Internal general entities only: external ones would read files. */
  if (type != XML_INTERNAL_GENERAL_ENTITY || !content || p->n_declared >= 256)
    return;
  size_t n = strlen((const char *)content);
  if (n > 4096) return;
  if (new_entity(p, name, (const char *)content, n)) p->n_declared++;
  (void)public_id;
  (void)system_id;
}

/* Entities the document uses without declaring them: HTML's (&nbsp;
 * &mdash; &eacute;), as feeds written by HTML tools do. */
static xmlEntityPtr sax_get_entity(void *user, const xmlChar *name) {
  struct mw_feed_parser *p = user;
  /* Inside the DTD libxml2 asks only to attach its own copy of the value
   * to the entity; ours keep theirs. */
  if (p->ctxt->inSubset) return NULL;
  for (struct mw_feed_entity *e = p->entities; e; e = e->next)
    if (!strcmp((const char *)e->ent.name, (const char *)name)) {
      /* In an attribute libxml2 copies only a predefined entity's first
       * byte: multi-byte text cannot go there. */
      if (p->ctxt->instate == XML_PARSER_ATTRIBUTE_VALUE && e->ent.length > 1)
        return NULL;
      return &e->ent;
    }
  char u[4];
  size_t k =
      mw_feedtext_entity((const char *)name, strlen((const char *)name), u);
  if (!k) return NULL;
  if (p->ctxt->instate == XML_PARSER_ATTRIBUTE_VALUE && k > 1) return NULL;
  struct mw_feed_entity *e = new_entity(p, name, u, k);
  if (!e) return NULL;
  if (p->html_entities_noted++ < 5)
    mw_feedp_problem(p,
                     "HTML entity &%s; used without a declaration; "
                     "resolved",
                     (const char *)name);
  return &e->ent;
}

void mw_feedp_sax_init(xmlSAXHandler *sax) {
  memset(sax, 0, sizeof *sax);
  sax->initialized = XML_SAX2_MAGIC;
  sax->startElementNs = sax_start;
  sax->endElementNs = sax_end;
  sax->characters = sax_characters;
  sax->cdataBlock = sax_characters;
  sax->getEntity = sax_get_entity;
  sax->entityDecl = sax_entity_decl;
}
