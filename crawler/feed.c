/*
 * feed.c: mw_feed_parse, the driver of the feed parser.
 *
 * Bytes in, entries out, no I/O. The steps: decode to UTF-8
 * (feed_charset.c); run libxml2's SAX2 push parser in recovery mode with
 * the callbacks of feed_sax.c; when recovery stops early because the root
 * was closed by a stray end tag, start a fresh parser where it stopped
 * (the entry state carries on); when a bare '&' or '<' or an unknown
 * entity lost text, parse once more from a repaired copy (feed_repair.c).
 * libxml2's errors become the feed's problem lines; "recovered" says the
 * document was not well-formed.
 *
 * Only a document that shows nothing of a feed is an error (MW_EPARSE),
 * with a message that says what it is instead: an HTML page, a sitemap,
 * JSON, an empty body.
 *
 * Every string of the result lives in one arena, bounded in proportion to
 * the input; entries, field bytes and nesting depth have ceilings from
 * struct mw_feed_limits.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parserInternals.h>

#include "crawler/feed_internal.h"

#define MAX_PROBLEMS 50
#define MAX_XML_ERRORS 20
#define MAX_RESTARTS 10000

const char *mw_feed_format_name(enum mw_feed_format f) {
  switch (f) {
    case MW_FEED_RSS2: return "rss2";
    case MW_FEED_RSS1: return "rss1";
    case MW_FEED_ATOM: return "atom";
    default: return "unknown";
  }
}

/* ----------------------------------------------------------- helpers */

void mw_feedp_stop(struct mw_feed_parser *p) {
  p->stopped = true;
  if (p->ctxt) xmlStopParser(p->ctxt);
}

void *mw_feedp_alloc(struct mw_feed_parser *p, size_t n) {
  if (mw_arena_used(p->feed->arena) + n > p->arena_limit) {
    if (!p->stopped) {
      mw_feedp_stop(p);
      mw_feedp_problem(p,
                       "the feed's text grew past %zu bytes: the rest "
                       "was not read",
                       p->arena_limit);
    }
    return NULL;
  }
  return mw_arena_alloc(p->feed->arena, n);
}

char *mw_feedp_strndup(struct mw_feed_parser *p, const char *s, size_t n) {
  char *d = mw_feedp_alloc(p, n + 1);
  if (!d) return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

/* Problem lines bypass the arena bound (there are at most MAX_PROBLEMS
 * short ones) so that the last word on a stopped parse is always there. */
void mw_feedp_problem(struct mw_feed_parser *p, const char *fmt, ...) {
  struct mw_feed *feed = p->feed;
  if (feed->n_problems >= MAX_PROBLEMS) {
    p->problems_dropped++;
    return;
  }
  char line[320];
  va_list ap;
  va_start(ap, fmt);
  int len = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (len >= (int)sizeof line) /* cut: not inside a character */
    line[mw_feedtext_utf8_cut(line, sizeof line - 1)] = '\0';
  if (feed->n_problems == p->problems_cap) {
    size_t ncap = p->problems_cap ? p->problems_cap * 2 : 8;
    char **np = mw_arena_alloc(feed->arena, (ncap + 1) * sizeof *np);
    if (!np) return;
    if (feed->n_problems)
      memcpy(np, feed->problems, feed->n_problems * sizeof *np);
    feed->problems = np;
    p->problems_cap = ncap;
  }
  char *s = mw_arena_strdup(feed->arena, line);
  if (s) feed->problems[feed->n_problems++] = s;
}

/* ------------------------------------------------------------ errors */

static bool starts_with(const char *s, const char *prefix) {
  return s && !strncmp(s, prefix, strlen(prefix));
}

static void sax_error(void *user, xmlErrorPtr e) {
  struct mw_feed_parser *p = user;
  if (!e) return;
  switch (e->code) {
    case XML_ERR_TAG_NAME_MISMATCH:
      /* str2 is the end tag as written: feed_sax.c closes by it */
      if (e->str2) {
        p->pending_end = true;
        snprintf(p->pending_name, sizeof p->pending_name, "%s", e->str2);
      }
      break;
    case XML_ERR_DOCUMENT_END: /* "Extra content at the end" */
      if (p->ctxt && p->ctxt->input) {
        size_t off = p->parse_start + (size_t)p->ctxt->input->consumed +
                     (size_t)(p->ctxt->input->cur - p->ctxt->input->base);
        if (off > p->parse_start && off < p->input_len) p->restart_at = off;
      }
      break;
    case XML_ERR_ENTITYREF_SEMICOL_MISSING:
      if (!p->repaired) p->need_repair = true;
      break;
    case XML_ERR_UNDECLARED_ENTITY:
    case XML_WAR_UNDECLARED_ENTITY: {
      /* An HTML name refused in an attribute is not repaired by escaping. */
      char u[4];
      if (!p->repaired &&
          !(e->str1 && mw_feedtext_entity(e->str1, strlen(e->str1), u)))
        p->need_repair = true;
      break;
    }
    case XML_ERR_NAME_REQUIRED:
      if (!p->repaired && (starts_with(e->message, "xmlParseEntityRef") ||
                           starts_with(e->message, "StartTag")))
        p->need_repair = true;
      break;
    case XML_ERR_INVALID_CHAR:
      if (p->utf8_unchecked &&
          starts_with(e->message, "Input is not proper UTF-8")) {
        p->bad_utf8 = true;
        xmlStopParser(p->ctxt);
        return;
      }
      break;
    default: break;
  }
  if (p->need_repair && !p->repaired) {
    xmlStopParser(p->ctxt);
    return;
  }
  if (p->ctxt && p->ctxt->input)
    p->last_error_at = p->parse_start + (size_t)p->ctxt->input->consumed +
                       (size_t)(p->ctxt->input->cur - p->ctxt->input->base);
  if (e->level == XML_ERR_WARNING) return;
  if (!p->root_seen && e->code == XML_ERR_DOCUMENT_EMPTY) return;
  p->errors++;
  if (p->errors > MAX_XML_ERRORS) return;
  char msg[240];
  snprintf(msg, sizeof msg, "%s", e->message ? e->message : "XML error");
  mw_feedtext_clean_line(msg);
  mw_feedp_problem(p, "line %d: %s", e->line, msg);
}

/* ------------------------------------------------------------ driver */

/* Parses s[0..n) with a fresh libxml2 push parser into p's state. */
static int run_parser(struct mw_feed_parser *p, const char *s, size_t n,
                      size_t start) {
  xmlSAXHandler sax;
  mw_feedp_sax_init(&sax);
  sax.serror = sax_error;
  xmlParserCtxtPtr ctxt = xmlCreatePushParserCtxt(&sax, p, NULL, 0, NULL);
  if (!ctxt) return MW_ENOMEM;
  xmlCtxtUseOptions(ctxt, XML_PARSE_RECOVER | XML_PARSE_NONET |
                              XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                              XML_PARSE_IGNORE_ENC | XML_PARSE_NOCDATA);
  p->ctxt = ctxt;
  p->parse_start = start;
  p->restart_at = 0;
  p->pending_end = false;
  /* the push parser takes an int length */
  size_t off = 0;
  while (off < n && !p->stopped && !p->bad_utf8 &&
         !(p->need_repair && !p->repaired)) {
    size_t chunk = n - off > (1u << 30) ? (1u << 30) : n - off;
    int last = off + chunk >= n;
    xmlParseChunk(ctxt, s + off, (int)chunk, last);
    off += chunk;
    if (ctxt->instate == XML_PARSER_EOF) break;
  }
  p->ctxt = NULL;
  /* The open elements' names live in this parser's dictionary: keep
   * copies for the parser that may resume after it. */
  for (int i = 0; i < p->depth; i++) {
    const char *name = (const char *)p->stack[i].name;
    char *copy = mw_feedp_strndup(p, name, strlen(name));
    p->stack[i].name = (const xmlChar *)(copy ? copy : "");
  }
  /* libxml2 builds a document for entity declarations even in SAX mode */
  if (ctxt->myDoc) xmlFreeDoc(ctxt->myDoc);
  ctxt->myDoc = NULL;
  xmlFreeParserCtxt(ctxt);
  return MW_OK;
}

static const char *skip_space(const char *s, const char *end) {
  while (s < end && mw_ascii_isspace((unsigned char)*s)) s++;
  return s;
}

/* Where a feed starts in a document that does not begin with one (PHP
 * warnings printed before the XML): the offset of the first "<?xml",
 * "<rss", "<feed" or "<rdf:RDF" at or after from, or 0. */
static size_t find_feed_start(const char *s, size_t n, size_t from) {
  static const char *const marks[] = {"<?xml", "<rss", "<feed", "<rdf:RDF"};
  size_t best = 0;
  if (from >= n) return 0;
  for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++) {
    const char *hit = memmem(s + from, n - from, marks[k], strlen(marks[k]));
    if (hit && (!best || (size_t)(hit - s) < best)) best = (size_t)(hit - s);
  }
  return best;
}

/* One complete pass over the UTF-8 document, restarts included. */
static int parse_pass(struct mw_feed_parser *p, const char *s, size_t n) {
  p->input = s;
  p->input_len = n;
  size_t pos = 0, restarts = 0;
  int early = 0; /* restarts before a feed's root was found */
  for (;;) {
    int rc = run_parser(p, s + pos, n - pos, pos);
    if (rc) return rc;
    if (p->stopped || p->bad_utf8 || (p->need_repair && !p->repaired)) break;
    size_t at;
    if (!p->root_seen || p->not_feed) {
      /* Nothing of a feed yet: garbage before it, a broken declaration.
       * An HTML page is what it says it is. */
      if (++early > 3 || p->items_seen ||
          (p->not_feed && !mw_ascii_casecmp(p->root_name, "html")))
        break;
      at = find_feed_start(s, n, pos + 1);
      if (!at && !p->root_seen) {
        size_t from = p->last_error_at > pos ? p->last_error_at : pos + 1;
        at = mw_feedp_next_start(p, s, n, from);
      }
      if (!at || at >= n) break;
      if (p->root_seen)
        mw_feedp_problem(p,
                         "%zu bytes before the feed were skipped (the "
                         "document started with <%s>)",
                         at, p->root_name);
      else
        mw_feedp_problem(p,
                         "%zu bytes at the start could not be read and "
                         "were skipped",
                         at);
      p->errors++;
      p->root_seen = p->not_feed = false;
      p->depth = 0;
    } else if (p->restart_at) {
      at = mw_feedp_next_start(p, s, n, p->restart_at);
      if (at >= n) break;
    } else {
      break;
    }
    if (++restarts > MAX_RESTARTS) break;
    pos = at;
  }
  return MW_OK;
}

static void reset_for_retry(struct mw_feed_parser *p) {
  struct mw_feed *feed = p->feed;
  /* The first pass's strings stay in the arena (at most one extra copy);
   * the entities declared or resolved are kept for the repaired copy. */
  feed->format = MW_FEED_UNKNOWN;
  feed->title = feed->link = NULL;
  feed->entries = NULL;
  feed->n_entries = 0;
  feed->problems = NULL;
  feed->n_problems = 0;
  p->entries_cap = p->problems_cap = 0;
  p->problems_dropped = 0;
  p->depth = 0;
  p->root_seen = p->not_feed = false;
  p->root_ns = NULL;
  p->feed_title_done = false;
  p->feed_link_rank = 0;
  p->cap.field = 0;
  p->in_item = false;
  p->items_seen = 0;
  p->errors = 0;
  p->last_error_at = 0;
  p->need_repair = false;
  p->bad_utf8 = false;
  p->html_entities_noted = 0;
  p->stopped = false;
}

/* The message for a document with nothing of a feed in it. */
static int not_a_feed(const struct mw_feed_parser *p, const char *s, size_t n,
                      struct mw_err *err) {
  const char *b = skip_space(s, s + n);
  size_t left = (size_t)(s + n - b);
  if (left == 0)
    return mw_err_set(err, MW_EPARSE, "the document is empty, not a feed");
  if (p->root_seen) {
    if (!mw_ascii_casecmp(p->root_name, "html"))
      return mw_err_set(err, MW_EPARSE,
                        "this is an HTML page, not a feed (root element "
                        "<html>); a listing page needs kind: html");
    if (!strcmp(p->root_name, "urlset") ||
        !strcmp(p->root_name, "sitemapindex"))
      return mw_err_set(err, MW_EPARSE,
                        "this is a sitemap (<%s>), not a feed; use kind: "
                        "sitemap",
                        p->root_name);
    if (!strcmp(p->root_name, "opml"))
      return mw_err_set(err, MW_EPARSE,
                        "this is an OPML source list, not a feed");
    return mw_err_set(err, MW_EPARSE,
                      "the root element is <%s>, not a feed's (<rss>, "
                      "<rdf:RDF> or <feed>)",
                      p->root_name);
  }
  if (left >= 9 && !mw_ascii_ncasecmp(b, "<!doctype", 9))
    return mw_err_set(err, MW_EPARSE, "this is an HTML page, not a feed");
  if (*b == '{' || *b == '[')
    return mw_err_set(err, MW_EPARSE, "this looks like JSON, not an XML feed");
  /* a short sample of what it is, as one line of valid UTF-8 */
  char sample[24];
  size_t k = left < sizeof sample - 1 ? left : sizeof sample - 1;
  memcpy(sample, b, k);
  sample[mw_feedtext_utf8_cut(sample, k)] = '\0';
  mw_feedtext_clean_line(sample);
  return mw_err_set(err, MW_EPARSE,
                    "no XML element found: this is not a feed (it starts "
                    "with \"%s\")",
                    sample);
}

/* libxml2 must be initialised once before threads use it: parses run on
 * the loop's thread pool. The once-flag is the only static state here. */
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

void mw_feedp_xml_init(void) {
  pthread_once(&xml_once, xmlInitParser);
}

int mw_feed_parse(const char *data, size_t len, const char *http_charset,
                  const char *base_url, int default_offset_s,
                  const struct mw_feed_limits *limits, struct mw_feed **out,
                  struct mw_err *err) {
  mw_feedp_xml_init();
  if (!out || (!data && len))
    return mw_err_set(err, MW_EINVAL, "no feed given");
  *out = NULL;
  if (!data) data = "";
  struct mw_feed_parser p;
  memset(&p, 0, sizeof p);
  p.lim.max_entries =
      limits && limits->max_entries ? limits->max_entries : 10000;
  p.lim.max_field_bytes =
      limits && limits->max_field_bytes ? limits->max_field_bytes : 1 << 20;
  p.lim.max_depth = limits && limits->max_depth > 0 ? limits->max_depth : 256;
  p.default_offset_s = default_offset_s;
  p.arena_limit = (64u << 20) + 8 * len;

  struct mw_feed *feed = calloc(1, sizeof *feed);
  struct mw_feed_input in;
  memset(&in, 0, sizeof in);
  int rc = MW_ENOMEM;
  if (!feed) goto fail;
  feed->arena = mw_arena_new(64 * 1024, 0);
  p.stack = malloc(((size_t)p.lim.max_depth + 1) * sizeof *p.stack);
  if (!feed->arena || !p.stack) goto fail;
  p.feed = feed;
  mw_buf_init(&p.cap.buf, p.lim.max_field_bytes);
  if (base_url &&
      !(p.base_url = mw_feedp_strndup(&p, base_url, strlen(base_url))))
    goto fail;

  /* Up to three passes: as labelled (UTF-8 unchecked); again with the
   * encoding decided on checked bytes when libxml2 found bad UTF-8; again
   * from a repaired copy when a bare '&' or '<' lost text. */
  bool trust = true;
  char *fixed_copy = NULL;
  size_t fixed = 0;
  const char *s = NULL;
  size_t n = 0;
  for (int pass = 0; pass < 3; pass++) {
    if (pass == 0 || p.bad_utf8) {
      free(fixed_copy);
      fixed_copy = NULL;
      mw_feed_input_cleanup(&in);
      rc = mw_feed_decode(data, len, http_charset, trust, &in);
      if (rc) goto fail;
      p.utf8_unchecked = trust && !in.owned && !strcmp(in.encoding, "UTF-8");
      s = skip_space(in.p, in.p + in.len);
      n = (size_t)(in.p + in.len - s);
    }
    if (p.repaired && !fixed_copy) {
      size_t fixed_len;
      fixed_copy = mw_feedp_repair(&p, s, n, &fixed_len, &fixed);
      if (!fixed_copy) {
        rc = MW_ENOMEM;
        goto fail;
      }
      s = fixed_copy;
      n = fixed_len;
    }
    if (pass > 0) reset_for_retry(&p);
    rc = parse_pass(&p, s, n);
    if (rc) {
      free(fixed_copy);
      goto fail;
    }
    if (p.bad_utf8) {
      trust = false;
      p.utf8_unchecked = false;
      continue;
    }
    if (p.need_repair && !p.repaired) {
      p.repaired = true;
      continue;
    }
    break;
  }
  feed->encoding = mw_arena_strdup(feed->arena, in.encoding);
  if (p.repaired) {
    if (fixed)
      mw_feedp_problem(&p,
                       "%zu bare '&' or '<' (or unknown entities) were "
                       "read as text",
                       fixed);
    p.errors++;
  }
  mw_feedp_finish(&p);
  if (feed->format == MW_FEED_UNKNOWN || p.not_feed) {
    rc = not_a_feed(&p, s, n, err);
    free(fixed_copy);
    goto fail_quiet;
  }
  free(fixed_copy);
  if (in.note[0]) {
    mw_feedp_problem(&p, "encoding: %s", in.note);
  }
  if (p.problems_dropped) {
    feed->n_problems--; /* room for the summary */
    mw_feedp_problem(&p, "... and %zu more problems", p.problems_dropped + 1);
  }
  feed->recovered = p.errors > 0 || p.html_entities_noted > 0;
  mw_buf_cleanup(&p.cap.buf);
  mw_feed_input_cleanup(&in);
  free(p.stack);
  *out = feed;
  return MW_OK;

fail:
  if (rc == MW_ENOMEM)
    mw_err_set(err, MW_ENOMEM, "out of memory parsing a feed");
fail_quiet:
  mw_buf_cleanup(&p.cap.buf);
  mw_feed_input_cleanup(&in);
  free(p.stack);
  mw_feed_free(feed);
  return rc;
}

void mw_feed_free(struct mw_feed *feed) {
  if (!feed) return;
  mw_arena_free(feed->arena);
  free(feed);
}
