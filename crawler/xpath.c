/*
 * xpath.c: XPath 1.0 over libxml2's HTML DOM, the slow path taken only for
 * sources whose config names an XPath (title_xpath, body_xpath, ...).
 *
 * The page (already UTF-8) is parsed once with htmlReadMemory, recovering
 * from bad markup and never touching the network, into a DOM that every
 * expression of the page is evaluated against. Each call compiles its
 * expression once and reports a compile or evaluation error with the
 * expression quoted, so a typo in the config reads as such. Selected nodes
 * are handed to the caller as text: an element's visible text with block
 * elements on their own lines and whitespace collapsed, an attribute's
 * value, a string result as it is.
 *
 * What it leaves to others: deciding what a field is (extract.c), the
 * cheap light tree every other page goes through (html.c).
 */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "crawler/xpath.h"

/* Ceiling of one node's text: a body of a few hundred KB is already
 * unusual; anything past 16 MB is a broken or hostile page. */
#define TEXT_MAX (16u << 20)

struct mw_xpath_doc {
  htmlDocPtr doc;
  xmlXPathContextPtr ctx;
};

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void) { xmlInitParser(); }

/* libxml2 reports XPath errors to the context's handler; keeping the last
 * message lets the error name what is wrong, not just that it is. */
struct xp_errors {
  char msg[160];
};

static void on_xpath_error(void *user, xmlErrorPtr e) {
  struct xp_errors *xe = user;
  if (!xe || !e || !e->message || xe->msg[0]) return;
  size_t n = 0;
  while (e->message[n] && e->message[n] != '\n' && n + 1 < sizeof xe->msg) {
    xe->msg[n] = e->message[n];
    n++;
  }
  xe->msg[n] = '\0';
}

static void silent(void *ctx, const char *msg, ...) {
  (void)ctx;
  (void)msg;
}

int mw_xpath_doc_new(const char *utf8, size_t len, struct mw_xpath_doc **out,
                     struct mw_err *err) {
  pthread_once(&xml_once, xml_init);
  if (!out) return mw_err_set(err, MW_EINVAL, "no output given");
  *out = NULL;
  if (len > INT_MAX)
    return mw_err_set(err, MW_ETOOBIG,
                      "page of %zu bytes is too big for the XPath DOM", len);
  struct mw_xpath_doc *d = calloc(1, sizeof *d);
  if (!d) return mw_err_set(err, MW_ENOMEM, "out of memory");
  const int opts = HTML_PARSE_NONET | HTML_PARSE_RECOVER |
                   HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING;
  if (utf8 && len)
    d->doc = htmlReadMemory(utf8, (int)len, NULL, "UTF-8", opts);
  /* An empty or hopeless page still gets a document, so every expression
   * evaluates (to nothing) instead of failing. */
  if (!d->doc) d->doc = htmlNewDocNoDtD(NULL, NULL);
  if (d->doc) d->ctx = xmlXPathNewContext(d->doc);
  if (!d->doc || !d->ctx) {
    mw_xpath_doc_free(d);
    return mw_err_set(err, MW_ENOMEM, "out of memory building the XPath DOM");
  }
  *out = d;
  return MW_OK;
}

void mw_xpath_doc_free(struct mw_xpath_doc *d) {
  if (!d) return;
  if (d->ctx) xmlXPathFreeContext(d->ctx);
  if (d->doc) xmlFreeDoc(d->doc);
  free(d);
}

/* ------------------------------------------------------------ node text */

static bool is_block(const xmlChar *name) {
  static const char *const blocks[] = {
      "p",  "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6",
      "tr", "table", "section", "article", "ul", "ol", "dl", "dt", "dd",
      "blockquote", "pre", "header", "footer", "center", "form", NULL};
  for (const char *const *b = blocks; *b; b++)
    if (!strcmp((const char *)name, *b)) return true;
  return false;
}

static bool is_hidden(const xmlChar *name) {
  return !strcmp((const char *)name, "script") ||
         !strcmp((const char *)name, "style") ||
         !strcmp((const char *)name, "noscript") ||
         !strcmp((const char *)name, "template");
}

/* Text being collapsed: pending_space / pending_break are emitted only
 * before the next visible character, so output never starts or ends with
 * whitespace and never holds blank lines. */
struct collapse {
  struct mw_buf *out;
  bool pending_space, pending_break;
  int rc;
};

static void put_text(struct collapse *c, const unsigned char *s) {
  for (size_t i = 0; s[i] && c->rc == MW_OK;) {
    size_t n = 1;
    bool space = mw_ascii_isspace(s[i]);
    /* U+00A0 and U+3000 (the full-width indent) count as space. */
    if (s[i] == 0xC2 && s[i + 1] == 0xA0) space = true, n = 2;
    else if (s[i] == 0xE3 && s[i + 1] == 0x80 && s[i + 2] == 0x80)
      space = true, n = 3;
    if (space) {
      c->pending_space = true;
    } else {
      if (c->out->len) {
        if (c->pending_break) c->rc = mw_buf_putc(c->out, '\n');
        else if (c->pending_space) c->rc = mw_buf_putc(c->out, ' ');
      }
      c->pending_space = c->pending_break = false;
      if (c->rc == MW_OK) c->rc = mw_buf_append(c->out, s + i, 1);
    }
    i += n;
  }
}

/* Walks the subtree of n without recursion (HTML nesting comes from the
 * page) and appends its visible text. */
static int node_text(xmlNodePtr n, struct mw_buf *out) {
  struct collapse c = {out, false, false, MW_OK};
  if (n->type == XML_ATTRIBUTE_NODE || n->type == XML_TEXT_NODE ||
      n->type == XML_CDATA_SECTION_NODE) {
    xmlChar *s = xmlNodeGetContent(n);
    if (s) put_text(&c, s);
    xmlFree(s);
    return c.rc;
  }
  xmlNodePtr cur = n;
  while (cur && c.rc == MW_OK) {
    bool descend = false;
    if (cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE) {
      if (cur->content) put_text(&c, cur->content);
    } else if (cur->type == XML_ELEMENT_NODE ||
               cur->type == XML_DOCUMENT_NODE ||
               cur->type == XML_HTML_DOCUMENT_NODE) {
      if (cur->type != XML_ELEMENT_NODE || !is_hidden(cur->name)) {
        if (cur->type == XML_ELEMENT_NODE && is_block(cur->name))
          c.pending_break = true;
        descend = cur->children != NULL;
      }
    }
    if (descend) {
      cur = cur->children;
      continue;
    }
    /* up until a next sibling, closing blocks on the way */
    while (cur && cur != n && !cur->next) {
      cur = cur->parent;
      if (cur && cur->type == XML_ELEMENT_NODE && is_block(cur->name))
        c.pending_break = true;
    }
    if (!cur || cur == n) break;
    if (cur->type == XML_ELEMENT_NODE && is_block(cur->name))
      c.pending_break = true;
    cur = cur->next;
  }
  return c.rc;
}

/* ------------------------------------------------------------- select */

static int quote_err(struct mw_err *err, int code, const char *expr,
                     const char *what, const char *why) {
  return mw_err_set(err, code, "XPath \"%.200s\" %s%s%s", expr, what,
                    why && *why ? ": " : "", why ? why : "");
}

int mw_xpath_select(struct mw_xpath_doc *d, const char *expr, mw_xpath_cb cb,
                    void *user, struct mw_err *err) {
  if (!d || !expr || !cb)
    return mw_err_set(err, MW_EINVAL, "XPath: no document or expression");
  size_t elen = strlen(expr); /* from the config, not the network */
  while (elen && mw_ascii_isspace((unsigned char)expr[elen - 1])) elen--;
  if (!elen) return mw_err_set(err, MW_EINVAL, "XPath expression is empty");

  struct xp_errors xe = {{0}};
  d->ctx->error = on_xpath_error;
  d->ctx->userData = &xe;
  d->ctx->node = (xmlNodePtr)d->doc;
  xmlXPathCompExprPtr comp = xmlXPathCtxtCompile(d->ctx, (const xmlChar *)expr);
  if (!comp) {
    d->ctx->error = NULL;
    d->ctx->userData = NULL;
    return quote_err(err, MW_EINVAL, expr, "does not compile",
                     xe.msg[0] ? xe.msg : "invalid expression");
  }
  /* Some evaluation errors (an unknown function) go to libxml2's generic
   * handler, which prints; library code never prints. The handler is
   * per thread, so swapping it here is safe on the thread pool. */
  xmlGenericErrorFunc saved_fn = xmlGenericError;
  void *saved_ctx = xmlGenericErrorContext;
  xmlSetGenericErrorFunc(NULL, silent);
  xmlXPathObjectPtr res = xmlXPathCompiledEval(comp, d->ctx);
  xmlSetGenericErrorFunc(saved_ctx, saved_fn);
  xmlXPathFreeCompExpr(comp);
  d->ctx->error = NULL;
  d->ctx->userData = NULL;
  if (!res)
    return quote_err(err, MW_EINVAL, expr, "cannot be evaluated",
                     xe.msg[0] ? xe.msg : NULL);

  struct mw_buf text;
  mw_buf_init(&text, TEXT_MAX);
  int visited = 0, rc = MW_OK;
  if (res->type == XPATH_NODESET) {
    xmlNodeSetPtr set = res->nodesetval;
    int n = set ? set->nodeNr : 0;
    for (int i = 0; i < n; i++) {
      xmlNodePtr node = set->nodeTab[i];
      mw_buf_reset(&text);
      rc = node_text(node, &text);
      if (rc != MW_OK) break;
      xmlChar *href = NULL;
      if (node->type == XML_ELEMENT_NODE)
        href = xmlGetProp(node, (const xmlChar *)"href");
      visited++;
      int stop = cb(text.data ? text.data : "", (const char *)href, user);
      xmlFree(href);
      if (stop) break;
    }
  } else {
    /* string(), count(), boolean(): one value, as text */
    xmlChar *s = xmlXPathCastToString(res);
    if (!s) {
      rc = MW_ENOMEM;
    } else {
      struct collapse c = {&text, false, false, MW_OK};
      put_text(&c, s);
      rc = c.rc;
      xmlFree(s);
      if (rc == MW_OK) {
        visited = 1;
        cb(text.data ? text.data : "", NULL, user);
      }
    }
  }
  xmlXPathFreeObject(res);
  mw_buf_cleanup(&text);
  if (rc == MW_ETOOBIG)
    return quote_err(err, rc, expr, "selects more than 16 MB of text", NULL);
  if (rc != MW_OK) return mw_err_set(err, rc, "out of memory in XPath");
  return visited;
}
