/*
 * feed_entry.c: the fields of a feed entry, from captured text to the
 * strings of struct mw_feed_entry.
 *
 * feed_sax.c decides which element is which field; this file collects the
 * field's text (within the field ceiling), reduces it (feed_text.c),
 * resolves links against xml:base and the feed's URL with libxml2's
 * xmlBuildURI, reads dates (date.c) and authors ("me@x.cn (Name)",
 * "Name <me@x.cn>"), chooses among Atom links (rel="alternate" or no rel,
 * an HTML one first), and closes entries: content over summary, the guid
 * as link when it is a permalink URL, entries with neither link nor id
 * dropped with a problem line, the entry ceiling enforced.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/uri.h>

#include "crawler/feed_internal.h"

/* The value of attribute name (no namespace, or the given one) as a view. */
bool mw_feedp_attr(const xmlChar **attrs, int n, const char *name,
                   const char *uri, struct mw_str *out) {
  for (int i = 0; i < n; i++) {
    const xmlChar **a = attrs + 5 * i;
    if (strcmp((const char *)a[0], name) != 0) continue;
    if (uri ? !(a[2] && !strcmp((const char *)a[2], uri)) : a[2] != NULL)
      continue;
    out->p = (const char *)a[3];
    out->len = (size_t)(a[4] - a[3]);
    return true;
  }
  return false;
}

bool mw_feedp_str_is(struct mw_str s, const char *lit) {
  const char *p = mw_feedtext_trim(s.p, &s.len);
  return strlen(lit) == s.len && mw_ascii_ncasecmp(p, lit, s.len) == 0;
}

/* ------------------------------------------------------------- links */

bool mw_feedp_is_http(const char *s, size_t n) {
  return (n >= 7 && mw_ascii_ncasecmp(s, "http://", 7) == 0) ||
         (n >= 8 && mw_ascii_ncasecmp(s, "https://", 8) == 0);
}

/* xmlBuildURI refuses spaces and non-ASCII ("/新闻/a b.html"): escape them,
 * keeping the URI's own delimiters. */
static xmlChar *build_uri(const char *ref, const char *base) {
  xmlChar *r = xmlBuildURI((const xmlChar *)ref, (const xmlChar *)base);
  if (r) return r;
  static const xmlChar keep[] = ":/?#[]@!$&'()*+,;=%~";
  xmlChar *eref = xmlURIEscapeStr((const xmlChar *)ref, keep);
  xmlChar *ebase = xmlURIEscapeStr((const xmlChar *)base, keep);
  if (eref && ebase) r = xmlBuildURI(eref, ebase);
  xmlFree(eref);
  xmlFree(ebase);
  return r;
}

/* ref resolved against base (the xml:base in force, else the feed's URL),
 * in the arena. An empty reference is the base itself. */
char *mw_feedp_resolve(struct mw_feed_parser *p, const char *ref, size_t n,
                       const char *base) {
  ref = mw_feedtext_trim(ref, &n);
  if (n == 0) return base ? mw_feedp_strndup(p, base, strlen(base)) : NULL;
  if (!base || mw_feedp_is_http(ref, n)) return mw_feedp_strndup(p, ref, n);
  char *tmp = mw_strndup(ref, n);
  if (!tmp) return NULL;
  xmlChar *r = build_uri(tmp, base);
  char *out = r ? mw_feedp_strndup(p, (const char *)r, strlen((char *)r))
                : mw_feedp_strndup(p, ref, n);
  xmlFree(r);
  free(tmp);
  return out;
}

/* -------------------------------------------------------------- text */

void mw_feedp_cap_append(struct mw_feed_parser *p, const char *s, size_t n) {
  struct mw_feed_capture *c = &p->cap;
  if (c->truncated) return;
  if (mw_buf_append(&c->buf, s, n) == MW_OK) return;
  /* Over the field ceiling (or out of memory): keep what fits, cut on a
   * character boundary. */
  size_t room = c->buf.max > c->buf.len ? c->buf.max - c->buf.len : 0;
  if (room > n) room = n;
  while (room > 0 && ((unsigned char)s[room] & 0xC0) == 0x80) room--;
  if (room) mw_buf_append(&c->buf, s, room);
  c->truncated = true;
}

void mw_feedp_start_capture(struct mw_feed_parser *p, enum mw_feed_field f,
                            enum mw_feed_mode mode) {
  struct mw_feed_capture *c = &p->cap;
  c->field = f;
  c->depth = p->depth - 1;
  c->in_entry = p->in_item;
  c->mode = (uint8_t)mode;
  c->children = false;
  c->hidden_depth = 0;
  c->truncated = false;
  mw_buf_reset(&c->buf);
  p->stack[p->depth - 1].role = MW_ROLE_FIELD;
}

/* The capture reduced to text in the arena; NULL when empty. */
static char *capture_text(struct mw_feed_parser *p, bool one_line) {
  struct mw_feed_capture *c = &p->cap;
  const char *s = c->buf.data ? c->buf.data : "";
  size_t n = c->buf.len;
  unsigned flags = one_line ? MW_TEXT_ONE_LINE : 0;
  if (!c->children &&
      (c->mode == MW_MODE_HTML ||
       (c->mode == MW_MODE_GUESS && mw_feedtext_looks_like_html(s, n))))
    flags |= MW_TEXT_HTML;
  char *out = mw_feedp_alloc(p, n + 1);
  if (!out) return NULL;
  size_t len = mw_feedtext_reduce(s, n, flags, out);
  return len ? out : NULL;
}

static char *capture_trimmed(struct mw_feed_parser *p) {
  size_t n = p->cap.buf.len;
  const char *s = mw_feedtext_trim(p->cap.buf.data ? p->cap.buf.data : "", &n);
  return n ? mw_feedp_strndup(p, s, n) : NULL;
}

/* "me@example.com (Example Name)", "Example Name <me@example.com>", or a
 * bare name or address: the name when there is one. */
static char *author_name(struct mw_feed_parser *p, char *s) {
  if (!s) return NULL;
  size_t n = strlen(s);
  char *open = strchr(s, '(');
  char *close = open ? strrchr(open, ')') : NULL;
  if (open && close && memchr(s, '@', (size_t)(open - s))) {
    size_t k = (size_t)(close - open - 1);
    const char *name = mw_feedtext_trim(open + 1, &k);
    if (k) return mw_feedp_strndup(p, name, k);
  }
  char *lt = strchr(s, '<');
  if (lt && lt > s && strchr(lt, '@') && s[n - 1] == '>') {
    size_t k = (size_t)(lt - s);
    const char *name = mw_feedtext_trim(s, &k);
    if (k) return mw_feedp_strndup(p, name, k);
  }
  return s;
}

static int64_t capture_date(struct mw_feed_parser *p) {
  size_t n = p->cap.buf.len;
  const char *s = mw_feedtext_trim(p->cap.buf.data ? p->cap.buf.data : "", &n);
  if (n == 0) return MW_TIME_UNKNOWN;
  int64_t t;
  if (mw_date_parse(s, n, p->default_offset_s, &t) == MW_OK) return t;
  int shown = (int)mw_feedtext_utf8_cut(s, n > 60 ? 60 : n);
  if (p->cap.in_entry)
    mw_feedp_problem(p, "entry %zu: unreadable date \"%.*s\"", p->item.number,
                     shown, s);
  return MW_TIME_UNKNOWN;
}

/* The longest a feed may ask to be left alone: a year. Larger values are
 * taken as that year (the scheduler caps it far lower anyway); values that
 * are not positive numbers are ignored as if absent. */
#define POLL_HINT_MAX_S (365 * 86400)

/* A channel's <ttl> (minutes) or sy:updatePeriod / sy:updateFrequency:
 * the first usable one of each counts. update_period_s is period divided
 * by frequency (1 when absent or unusable), recomputed as either arrives
 * since they come in any order. */
static void poll_hint(struct mw_feed_parser *p, enum mw_feed_field f) {
  static const struct {
    const char *name;
    int64_t s;
  } periods[] = {{"hourly", 3600},
                 {"daily", 86400},
                 {"weekly", 7 * 86400},
                 {"monthly", 30 * 86400},
                 {"yearly", 365 * 86400}};
  size_t n = p->cap.buf.len;
  const char *s = mw_feedtext_trim(p->cap.buf.data ? p->cap.buf.data : "", &n);
  char num[24];
  int64_t v = 0;
  bool is_num = n > 0 && n < sizeof num;
  if (is_num) {
    memcpy(num, s, n);
    num[n] = '\0';
    is_num = mw_parse_int64(num, 1, INT64_MAX, &v) == MW_OK;
  }
  struct mw_feed *feed = p->feed;
  switch (f) {
    case MW_FIELD_TTL:
      if (feed->ttl_s || !is_num) return;
      feed->ttl_s = v > POLL_HINT_MAX_S / 60 ? POLL_HINT_MAX_S : v * 60;
      return;
    case MW_FIELD_SY_PERIOD:
      if (p->sy_period_s) return;
      for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++)
        if (mw_feedp_str_is((struct mw_str){s, n}, periods[i].name))
          p->sy_period_s = periods[i].s;
      break;
    case MW_FIELD_SY_FREQUENCY:
      if (p->sy_frequency || !is_num) return;
      p->sy_frequency = v;
      break;
    default: return;
  }
  if (!p->sy_period_s) return;
  int64_t freq = p->sy_frequency ? p->sy_frequency : 1;
  int64_t q = p->sy_period_s / freq;
  feed->update_period_s = q < 1 ? 1 : q;
}

static void set_once(char **slot, char *v) {
  if (!*slot) *slot = v;
}

void mw_feedp_finish_capture(struct mw_feed_parser *p) {
  struct mw_feed_capture *c = &p->cap;
  struct mw_feed_item *it = &p->item;
  const char *base = p->stack[c->depth].base;
  enum mw_feed_field f = (enum mw_feed_field)c->field;
  c->field = MW_FIELD_NONE;
  if (c->truncated && c->in_entry)
    mw_feedp_problem(p, "entry %zu: a field longer than %zu bytes was cut",
                     it->number, p->lim.max_field_bytes);
  else if (c->truncated)
    mw_feedp_problem(p, "feed: a field longer than %zu bytes was cut",
                     p->lim.max_field_bytes);
  if (!c->in_entry) {
    struct mw_feed *feed = p->feed;
    if (f == MW_FIELD_TTL || f == MW_FIELD_SY_PERIOD ||
        f == MW_FIELD_SY_FREQUENCY) {
      poll_hint(p, f);
      return;
    }
    if (f == MW_FIELD_TITLE && !p->feed_title_done) {
      feed->title = capture_text(p, true);
      p->feed_title_done = true;
    } else if (f == MW_FIELD_LINK && p->feed_link_rank < 3) {
      char *l =
          mw_feedp_resolve(p, c->buf.data ? c->buf.data : "", c->buf.len, base);
      if (l) {
        feed->link = l;
        p->feed_link_rank = 3;
      }
    }
    return;
  }
  switch (f) {
    case MW_FIELD_TITLE: set_once(&it->title, capture_text(p, true)); break;
    case MW_FIELD_DC_TITLE:
      set_once(&it->dc_title, capture_text(p, true));
      break;
    case MW_FIELD_LINK:
      if (it->link_rank < 3) {
        char *l = mw_feedp_resolve(p, c->buf.data ? c->buf.data : "",
                                   c->buf.len, base);
        if (l) {
          it->link = l;
          it->link_rank = 3;
        }
      }
      break;
    case MW_FIELD_ID: set_once(&it->id, capture_trimmed(p)); break;
    case MW_FIELD_PUBLISHED:
      if (it->published == MW_TIME_UNKNOWN) it->published = capture_date(p);
      break;
    case MW_FIELD_UPDATED:
      if (it->updated == MW_TIME_UNKNOWN) it->updated = capture_date(p);
      break;
    case MW_FIELD_AUTHOR:
      set_once(&it->author, author_name(p, capture_text(p, true)));
      break;
    case MW_FIELD_AUTHOR_NAME:
      set_once(&it->author_name, capture_text(p, true));
      break;
    case MW_FIELD_AUTHOR_EMAIL:
      set_once(&it->author_email, capture_trimmed(p));
      break;
    case MW_FIELD_CONTENT:
      set_once(&it->content, capture_text(p, false));
      break;
    case MW_FIELD_SUMMARY:
      set_once(&it->summary, capture_text(p, false));
      break;
    default: break;
  }
}

/* ----------------------------------------------------------- entries */

void mw_feedp_begin_item(struct mw_feed_parser *p) {
  memset(&p->item, 0, sizeof p->item);
  p->item.published = p->item.updated = MW_TIME_UNKNOWN;
  p->item.number = ++p->items_seen;
  p->in_item = true;
  p->item_depth = p->depth - 1;
  p->stack[p->depth - 1].role = MW_ROLE_ITEM;
}

void mw_feedp_finish_item(struct mw_feed_parser *p) {
  struct mw_feed_item *it = &p->item;
  struct mw_feed *feed = p->feed;
  p->in_item = false;
  if (!it->id && it->about) it->id = it->about;
  if (!it->link && it->guid_is_link && it->id &&
      mw_feedp_is_http(it->id, strlen(it->id)))
    it->link = it->id;
  if (!it->link && !it->id) {
    mw_feedp_problem(p, "entry %zu: no link and no id, skipped", it->number);
    return;
  }
  if (feed->n_entries >= p->lim.max_entries) {
    mw_feedp_problem(p, "more than %zu entries: the rest were not read",
                     p->lim.max_entries);
    mw_feedp_stop(p);
    return;
  }
  if (feed->n_entries == p->entries_cap) {
    size_t ncap = p->entries_cap ? p->entries_cap * 2 : 16;
    struct mw_feed_entry *ne = mw_feedp_alloc(p, ncap * sizeof *ne);
    if (!ne) return;
    if (feed->n_entries)
      memcpy(ne, feed->entries, feed->n_entries * sizeof *ne);
    feed->entries = ne;
    p->entries_cap = ncap;
  }
  struct mw_feed_entry *e = &feed->entries[feed->n_entries++];
  e->title = it->title ? it->title : it->dc_title;
  e->link = it->link;
  e->id = it->id;
  e->published = it->published;
  e->updated = it->updated;
  e->author = it->author_name ? it->author_name
              : it->author    ? it->author
                              : it->author_email;
  e->text = it->content ? it->content : it->summary;
}

/* The mode of an Atom text construct from its type (and 0.3's mode);
 * false when its content is not text at all (base64, an image, src=). */
bool mw_feedp_atom_mode(const xmlChar **attrs, int n, enum mw_feed_mode *mode) {
  struct mw_str v;
  *mode = MW_MODE_TEXT;
  if (mw_feedp_attr(attrs, n, "src", NULL, &v)) return false;
  if (mw_feedp_attr(attrs, n, "mode", NULL, &v)) {
    if (mw_feedp_str_is(v, "escaped"))
      *mode = MW_MODE_HTML;
    else if (mw_feedp_str_is(v, "base64"))
      return false;
  }
  if (mw_feedp_attr(attrs, n, "type", NULL, &v)) {
    if (mw_feedp_str_is(v, "html") || mw_feedp_str_is(v, "text/html"))
      *mode = MW_MODE_HTML;
    else if (mw_feedp_str_is(v, "xhtml") ||
             mw_feedp_str_is(v, "application/xhtml+xml") ||
             mw_feedp_str_is(v, "text") || mw_feedp_str_is(v, "text/plain"))
      ; /* xhtml arrives as child elements, text as text */
    else if (v.len >= 5 && mw_ascii_ncasecmp(v.p, "text/", 5) == 0)
      ;
    else if (v.len)
      return false;
  }
  return true;
}

/* An Atom-style <link href rel type>: alternate (or no rel) only; an HTML
 * one beats another type. */
void mw_feedp_atom_link(struct mw_feed_parser *p, const xmlChar **attrs, int n,
                        bool for_entry) {
  struct mw_str href, rel, type;
  if (!mw_feedp_attr(attrs, n, "href", NULL, &href)) return;
  if (mw_feedp_attr(attrs, n, "rel", NULL, &rel) &&
      !mw_feedp_str_is(rel, "alternate"))
    return;
  int rank = 2;
  if (mw_feedp_attr(attrs, n, "type", NULL, &type) &&
      !mw_feedp_str_is(type, "text/html") &&
      !mw_feedp_str_is(type, "application/xhtml+xml"))
    rank = 1;
  int *cur = for_entry ? &p->item.link_rank : &p->feed_link_rank;
  if (rank <= *cur) return;
  char *l = mw_feedp_resolve(p, href.p, href.len, p->stack[p->depth - 1].base);
  if (!l) return;
  *cur = rank;
  if (for_entry)
    p->item.link = l;
  else
    p->feed->link = l;
}
