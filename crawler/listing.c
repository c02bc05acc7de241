/*
 * listing.c: mw_listing_parse, the article links of a listing page (栏目页).
 *
 * The page is decoded (charset.c) and read into the light tree (html.c);
 * every <a href> becomes a candidate with its canonical URL, its text and
 * what can be told from where it stands. Then either the source's
 * links_xpath picks the articles (the slow DOM path of xpath.c, for sites
 * the heuristics get wrong), or listing_score.c finds the link-dense block,
 * falling back to article-shaped URLs when the page has no such block.
 * Next pages (listing_page.c) and attachments are added in page order,
 * each URL once, and a next page found only in a TRS createPageHTML script
 * comes last.
 *
 * Bounds: the decoded page is at most four times the bytes (and 256 MB),
 * the tree has html.c's node and depth limits, and at most 10,000 links
 * are looked at. What it leaves to others: fetching the pages and the
 * articles, stopping at max_pages, remembering what was seen.
 */
#include <stdlib.h>
#include <string.h>

#include "crawler/listing_internal.h"
#include "crawler/xpath.h"

#define DECODED_MAX (256u * 1024 * 1024)
#define TEXT_MAX 4096

/* ------------------------------------------------------ URL ids */

/* Open addressing over candidate indexes, keyed by URL. */
struct url_set {
  size_t *slot; /* candidate index + 1, 0 = empty */
  size_t cap;
};

static size_t str_hash(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return (size_t)h;
}

/* The candidate holding url, or (size_t)-1. */
static size_t set_find(const struct url_set *set, const struct lctx *x,
                       const char *url) {
  for (size_t i = str_hash(url) & (set->cap - 1);; i = (i + 1) & (set->cap - 1)) {
    if (!set->slot[i]) return (size_t)-1;
    if (!strcmp(x->c[set->slot[i] - 1].url, url)) return set->slot[i] - 1;
  }
}

static void set_add(struct url_set *set, const char *url, size_t idx) {
  size_t i = str_hash(url) & (set->cap - 1);
  while (set->slot[i]) i = (i + 1) & (set->cap - 1);
  set->slot[i] = idx + 1;
}

/* ----------------------------------------------------- candidates */

static bool skip_href(const char *h) {
  static const char *const SCHEMES[] = {"javascript:", "mailto:", "tel:",
                                        "vbscript:", "data:", "sms:"};
  while (mw_ascii_isspace((unsigned char)*h)) h++;
  if (!*h || *h == '#') return true;
  for (size_t i = 0; i < sizeof SCHEMES / sizeof SCHEMES[0]; i++)
    if (!mw_ascii_ncasecmp(h, SCHEMES[i], strlen(SCHEMES[i]))) return true;
  return false;
}

static size_t utf8_chars(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80) n++;
  return n;
}

static bool truncated_text(const char *t, size_t n) {
  return (n >= 3 && !memcmp(t + n - 3, "...", 3)) ||
         (n >= 3 && !memcmp(t + n - 3, "…", 3)) ||
         (n >= 6 && !memcmp(t + n - 6, "。。", 6));
}

/* The anchor's text, whitespace collapsed to single spaces; a title
 * attribute replaces text the site cut short ("关于印发...") */
static char *anchor_text(struct lctx *x, const struct mw_html_node *a,
                         struct mw_buf *b) {
  mw_buf_reset(b);
  mw_html_text(a, b); /* a giant anchor is cut at the ceiling */
  for (size_t i = 0; i < b->len; i++)
    if (b->data[i] == '\n') b->data[i] = ' ';
  const char *title = mw_html_attr(a, "title");
  if (title && truncated_text(b->data, b->len)) {
    size_t tl = strnlen(title, TEXT_MAX);
    if (tl > b->len - 3 && tl > 0) {
      mw_buf_reset(b);
      mw_buf_append(b, title, tl);
      /* collapse white space in the attribute too */
      size_t o = 0;
      bool sp = false;
      for (size_t i = 0; i < b->len; i++) {
        char ch = b->data[i];
        if (mw_ascii_isspace((unsigned char)ch)) {
          sp = o > 0;
          continue;
        }
        if (sp) b->data[o++] = ' ';
        sp = false;
        b->data[o++] = ch;
      }
      b->len = o;
      b->data[o] = '\0';
    }
  }
  return mw_arena_strndup(x->arena, b->data ? b->data : "", b->len);
}

static int collect(struct lctx *x, struct url_set *set, struct mw_err *err) {
  size_t cap = 64;
  x->c = mw_arena_alloc(x->arena, cap * sizeof *x->c);
  if (!x->c) return mw_err_set(err, MW_ENOMEM, "out of memory reading links");
  struct mw_buf b;
  mw_buf_init(&b, TEXT_MAX);
  int rc = MW_OK;
  const struct mw_html_node *root = x->doc->root;
  /* zone[d]: the zone flags of the open element at depth d, inherited */
  unsigned zone[MW_LISTING_MAX_DEPTH + 2] = {0};
  for (const struct mw_html_node *n = root; n && x->n < MW_LISTING_MAX_LINKS;
       n = mw_html_next(root, n)) {
    if (n->kind != MW_HTML_ELEMENT) continue;
    int d = n->depth <= MW_LISTING_MAX_DEPTH ? n->depth : MW_LISTING_MAX_DEPTH;
    unsigned inherited = d > 0 ? zone[d - 1] : 0;
    zone[d] = inherited | mw_listing_node_zone(n);
    if (n->tag[0] != 'a' || n->tag[1]) continue;
    const char *href = mw_html_attr(n, "href");
    if (!href || skip_href(href)) continue;
    char *url = NULL;
    if (mw_url_canonicalize(href, x->base, &url, NULL) != MW_OK) continue;
    if (x->n == cap) {
      struct lcand *nc = mw_arena_alloc(x->arena, 2 * cap * sizeof *nc);
      if (!nc) {
        free(url);
        rc = mw_err_set(err, MW_ENOMEM, "out of memory reading links");
        break;
      }
      memcpy(nc, x->c, cap * sizeof *nc);
      x->c = nc;
      cap *= 2;
    }
    struct lcand *c = &x->c[x->n];
    memset(c, 0, sizeof *c);
    c->a = n;
    c->url = mw_arena_strdup(x->arena, url);
    free(url);
    c->text = anchor_text(x, n, &b);
    if (!c->url || !c->text) {
      rc = mw_err_set(err, MW_ENOMEM, "out of memory reading links");
      break;
    }
    c->text_chars = utf8_chars(c->text);
    c->date = MW_TIME_UNKNOWN;
    c->flags = inherited;
    if (mw_listing_in_crumb(n)) c->flags |= LC_EXCLUDED;
    x->n++;
  }
  mw_buf_cleanup(&b);
  if (rc) return rc;

  set->cap = 16;
  while (set->cap < 2 * x->n + 2) set->cap *= 2;
  set->slot = mw_arena_alloc(x->arena, set->cap * sizeof *set->slot);
  if (!set->slot) return mw_err_set(err, MW_ENOMEM, "out of memory reading links");
  memset(set->slot, 0, set->cap * sizeof *set->slot);
  for (size_t i = 0; i < x->n; i++) {
    struct lcand *c = &x->c[i];
    size_t first = set_find(set, x, c->url);
    if (first == (size_t)-1) {
      set_add(set, c->url, i);
      c->url_id = x->n_urls++;
    } else {
      c->url_id = x->c[first].url_id;
    }
    c->flags |= mw_listing_url_shape(c->url);
    if (mw_listing_is_attachment(c->url)) c->flags |= LC_ATTACHMENT;
    if (mw_listing_same_site(x->page_url, c->url)) c->flags |= LC_SAME_SITE;
    if (mw_listing_same_page(c->url, x->page_url)) c->flags |= LC_SELF;
    if (x->column_len && !strncmp(c->url, x->page_url, x->column_len))
      c->flags |= LC_SAME_COLUMN;
    c->flags |= mw_listing_pager(x, c);
  }
  return MW_OK;
}

/* ------------------------------------------------------- xpath */

struct xsel {
  struct lctx *x;
  char **urls;
  char **texts;
  size_t n, cap;
  int rc;
};

static int on_xpath(const char *text, const char *href, void *user) {
  struct xsel *s = user;
  if (!href || skip_href(href)) return 0;
  if (s->n >= MW_LISTING_MAX_LINKS) return 1;
  char *url = NULL;
  if (mw_url_canonicalize(href, s->x->base, &url, NULL) != MW_OK) return 0;
  if (s->n == s->cap) {
    size_t ncap = s->cap ? 2 * s->cap : 32;
    char **nu = mw_arena_alloc(s->x->arena, ncap * sizeof *nu);
    char **nt = mw_arena_alloc(s->x->arena, ncap * sizeof *nt);
    if (!nu || !nt) {
      free(url);
      s->rc = MW_ENOMEM;
      return 1;
    }
    if (s->n) {
      memcpy(nu, s->urls, s->n * sizeof *nu);
      memcpy(nt, s->texts, s->n * sizeof *nt);
    }
    s->urls = nu, s->texts = nt, s->cap = ncap;
  }
  s->urls[s->n] = mw_arena_strdup(s->x->arena, url);
  free(url);
  char *t = mw_arena_strndup(s->x->arena, text ? text : "",
                             text ? strnlen(text, TEXT_MAX) : 0);
  if (!s->urls[s->n] || !t) {
    s->rc = MW_ENOMEM;
    return 1;
  }
  for (char *p = t; *p; p++)
    if (*p == '\n') *p = ' ';
  s->texts[s->n++] = t;
  return 0;
}

/* ------------------------------------------------------- result */

static int push(struct mw_listing *l, size_t *cap, const char *url,
                const char *text, enum mw_link_kind kind, int64_t date) {
  if (l->n_links == *cap) {
    size_t ncap = *cap ? 2 * *cap : 32;
    struct mw_link *nl = mw_arena_alloc(l->arena, ncap * sizeof *nl);
    if (!nl) return MW_ENOMEM;
    if (l->n_links) memcpy(nl, l->links, l->n_links * sizeof *nl);
    l->links = nl;
    *cap = ncap;
  }
  struct mw_link *k = &l->links[l->n_links++];
  k->url = (char *)url;
  k->text = (char *)text;
  k->kind = kind;
  k->date = date;
  if (kind == MW_LINK_ARTICLE) l->n_articles++;
  if (kind == MW_LINK_NEXT_PAGE) l->n_next_pages++;
  if (kind == MW_LINK_ATTACHMENT) l->n_attachments++;
  return MW_OK;
}

static int build(struct lctx *x, struct url_set *set, struct xsel *xs,
                 struct mw_listing *l) {
  bool *emitted = mw_arena_alloc(x->arena, (x->n_urls + 1) * sizeof *emitted);
  if (!emitted) return MW_ENOMEM;
  memset(emitted, 0, (x->n_urls + 1) * sizeof *emitted);
  size_t cap = 0;
  int rc = MW_OK;

  if (xs) { /* the override's links first, in document order */
    for (size_t i = 0; i < xs->n && !rc; i++) {
      size_t ci = set_find(set, x, xs->urls[i]);
      if (ci != (size_t)-1) {
        if (emitted[x->c[ci].url_id]) continue;
        emitted[x->c[ci].url_id] = true;
      } else {
        bool dup = false;
        for (size_t j = 0; j < i && !dup; j++) dup = !strcmp(xs->urls[j], xs->urls[i]);
        if (dup) continue;
      }
      int64_t date = ci != (size_t)-1 ? mw_listing_date(x, &x->c[ci]) : MW_TIME_UNKNOWN;
      rc = push(l, &cap, xs->urls[i], xs->texts[i],
                mw_listing_is_attachment(xs->urls[i]) ? MW_LINK_ATTACHMENT
                                                      : MW_LINK_ARTICLE,
                date);
    }
  }
  for (size_t i = 0; i < x->n && !rc; i++) {
    struct lcand *c = &x->c[i];
    enum mw_link_kind kind;
    if (!xs && (c->flags & LC_SELECTED))
      kind = (c->flags & LC_ATTACHMENT) ? MW_LINK_ATTACHMENT : MW_LINK_ARTICLE;
    else if (c->flags & LC_NEXT)
      kind = MW_LINK_NEXT_PAGE;
    else if (!xs && (c->flags & LC_ATTACHMENT) && !(c->flags & LC_EXCLUDED))
      kind = MW_LINK_ATTACHMENT;
    else
      continue;
    if (emitted[c->url_id]) continue;
    emitted[c->url_id] = true;
    int64_t date = kind == MW_LINK_NEXT_PAGE ? MW_TIME_UNKNOWN : mw_listing_date(x, c);
    const char *text = c->text;
    if (kind == MW_LINK_NEXT_PAGE && !(c->flags & LC_NEXT_TEXT))
      /* "2" in a pager, and 下一页 further on: name it by the latter */
      for (size_t j = i + 1; j < x->n; j++)
        if (x->c[j].url_id == c->url_id && (x->c[j].flags & LC_NEXT_TEXT)) {
          text = x->c[j].text;
          break;
        }
    rc = push(l, &cap, c->url, text, kind, date);
  }
  if (!rc) {
    char *next = mw_listing_trs_next(x);
    size_t ci = next ? set_find(set, x, next) : (size_t)-1;
    if (next && !mw_listing_same_page(next, x->page_url) &&
        (ci == (size_t)-1 || !emitted[x->c[ci].url_id]))
      rc = push(l, &cap, next, "", MW_LINK_NEXT_PAGE, MW_TIME_UNKNOWN);
  }
  return rc;
}

/* Length of the listing's folder ("http://a.cn/zwxx/mtjj/"), 0 when it
 * is the site's root, where every link would be "under" it. */
static size_t column_len(const char *page_url) {
  const char *path = strstr(page_url, "://");
  path = path ? strchr(path + 3, '/') : NULL;
  if (!path) return 0;
  const char *q = strchr(path, '?');
  size_t end = q ? (size_t)(q - page_url) : strlen(page_url);
  while (end > 0 && page_url[end - 1] != '/') end--;
  return end > (size_t)(path - page_url) + 1 ? end : 0;
}

/* <base href>, resolved against the page's own URL. */
static const char *page_base(struct lctx *x) {
  const struct mw_html_node *h = x->doc->head;
  if (!h) return x->page_url;
  for (const struct mw_html_node *n = h; n; n = mw_html_next(h, n)) {
    if (n->kind != MW_HTML_ELEMENT || strcmp(n->tag, "base")) continue;
    const char *href = mw_html_attr(n, "href");
    char *u = NULL;
    if (href && mw_url_canonicalize(href, x->page_url, &u, NULL) == MW_OK) {
      const char *copy = mw_arena_strdup(x->arena, u);
      free(u);
      if (copy) return copy;
    }
    break;
  }
  return x->page_url;
}

int mw_listing_parse(const char *data, size_t len, const char *http_charset,
                     const char *url, int default_offset_s,
                     const struct mw_listing_rules *rules,
                     struct mw_listing **out, struct mw_err *err) {
  *out = NULL;
  if (!url) return mw_err_set(err, MW_EINVAL, "listing page without a URL");
  char *page_url = NULL;
  int rc = mw_url_canonicalize(url, NULL, &page_url, err);
  if (rc) return rc;

  struct mw_arena *arena = mw_arena_new(16384, 0);
  struct mw_listing *l = arena ? mw_arena_alloc(arena, sizeof *l) : NULL;
  if (!l) {
    free(page_url);
    mw_arena_free(arena);
    return mw_err_set(err, MW_ENOMEM, "out of memory parsing %s", url);
  }
  memset(l, 0, sizeof *l);
  l->arena = arena;
  l->how = "link-dense block";

  struct mw_buf html;
  size_t max = len < DECODED_MAX / 4 ? len * 4 + 1024 : DECODED_MAX;
  mw_buf_init(&html, max);
  struct mw_html_doc *doc = NULL;
  struct mw_xpath_doc *xd = NULL;
  struct lctx x = {0};
  struct url_set set = {0};

  rc = mw_charset_decode_page(data, len, http_charset, &l->charset, &html,
                              NULL, err);
  if (!rc) rc = mw_html_parse(html.data, html.len, NULL, &doc, err);
  if (rc) goto fail;

  x.arena = arena;
  x.doc = doc;
  x.page_url = mw_arena_strdup(arena, page_url);
  x.default_offset_s = default_offset_s;
  x.html = html.data;
  x.html_len = html.len;
  if (!x.page_url) {
    rc = mw_err_set(err, MW_ENOMEM, "out of memory parsing %s", url);
    goto fail;
  }
  x.base = page_base(&x);
  x.column_len = column_len(x.page_url);
  rc = collect(&x, &set, err);
  if (rc) goto fail;

  struct xsel xs = {.x = &x};
  bool use_xpath = rules && rules->links_xpath && rules->links_xpath[0];
  if (use_xpath) {
    l->how = "xpath";
    rc = mw_xpath_doc_new(html.data, html.len, &xd, err);
    if (!rc) {
      int n = mw_xpath_select(xd, rules->links_xpath, on_xpath, &xs, err);
      if (n < 0) rc = n;
      else if (xs.rc) rc = mw_err_set(err, xs.rc, "out of memory parsing %s", url);
    }
    if (rc) goto fail;
  } else if (!mw_listing_choose_block(&x)) {
    l->how = "article-like URLs";
    mw_listing_choose_by_url(&x);
  }
  l->cut = doc->truncated;
  rc = build(&x, &set, use_xpath ? &xs : NULL, l);
  if (rc) {
    rc = mw_err_set(err, MW_ENOMEM, "out of memory parsing %s", url);
    goto fail;
  }
  mw_xpath_doc_free(xd);
  mw_html_free(doc);
  mw_buf_cleanup(&html);
  free(page_url);
  *out = l;
  return MW_OK;

fail:
  mw_xpath_doc_free(xd);
  mw_html_free(doc);
  mw_buf_cleanup(&html);
  free(page_url);
  mw_arena_free(arena);
  return rc;
}

void mw_listing_free(struct mw_listing *l) {
  if (l) mw_arena_free(l->arena);
}
