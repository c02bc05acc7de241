/*
 * extract_meta.c: what an article page declares about itself, and its
 * title.
 *
 * Declared fields come first because they are exact when present: the
 * national government-site standard's <meta name="ArticleTitle">,
 * "PubDate", "ContentSource"; Open Graph; schema.org JSON-LD (read from
 * the raw text, since the light tree drops <script> bodies, with a small
 * JSON scanner that keeps only headline, datePublished, publisher.name and
 * author.name); WeChat's `var ct = "<epoch>"`, the only place a WeChat
 * article states its time.
 *
 * The title: ArticleTitle, then og:title or the JSON-LD headline, then the
 * 留言标题 cell of a message board, then the heading (h1-h3 or an element
 * whose class or id says title) that matches <title> once the site and
 * column names around it are ignored, else the longest part of <title>
 * split at its separators. The heading found is also the anchor
 * extract_time.c reads the 发布时间 / 来源 line next to.
 */
#include <string.h>

#include "crawler/extract_internal.h"

/* ------------------------------------------------------------ helpers */

/* memmem for the decoded page, bounded by its length. */
static const char *find(const char *hay, size_t n, const char *needle) {
  return memmem(hay, n, needle, strlen(needle));
}

static const char *set_once(struct mw_xctx *c, const char **slot,
                            const char *v) {
  if (*slot || !v) return *slot;
  *slot = mw_x_collapse(c->arena, v, strlen(v));
  return *slot;
}

/* -------------------------------------------------------------- <meta> */

static void meta_tag(struct mw_xctx *c, const struct mw_html_node *n) {
  struct mw_xmeta *m = &c->meta;
  const char *content = mw_html_attr(n, "content");
  if (!content) return;
  const char *name = mw_html_attr(n, "name");
  const char *prop = mw_html_attr(n, "property");
  const char *item = mw_html_attr(n, "itemprop");
  if (name) {
    if (!mw_ascii_casecmp(name, "ArticleTitle"))
      set_once(c, &m->article_title, content);
    else if (!mw_ascii_casecmp(name, "PubDate") ||
             !mw_ascii_casecmp(name, "publishdate") ||
             !mw_ascii_casecmp(name, "firstpublishedtime") ||
             !mw_ascii_casecmp(name, "publish_date") ||
             !mw_ascii_casecmp(name, "publishtime"))
      set_once(c, &m->pubdate, content);
    else if (!mw_ascii_casecmp(name, "ContentSource"))
      set_once(c, &m->content_source, content);
    else if (!mw_ascii_casecmp(name, "source"))
      set_once(c, &m->source, content);
  }
  if (prop) {
    if (!mw_ascii_casecmp(prop, "og:title"))
      set_once(c, &m->og_title, content);
    else if (!mw_ascii_casecmp(prop, "article:published_time") ||
             !mw_ascii_casecmp(prop, "og:release_date"))
      set_once(c, &m->og_time, content);
  }
  if (item && !mw_ascii_casecmp(item, "datePublished"))
    set_once(c, &m->item_date, content);
}

/* ------------------------------------------------------------ JSON-LD */

/* Just enough JSON to read four fields out of a JSON-LD block: values are
 * walked, strings decoded only when their key is wanted. Malformed JSON
 * stops the scan; what was read so far is kept. */
struct jscan {
  const unsigned char *p, *end;
  struct mw_xctx *c;
  int depth;
  bool bad;
};

#define JSON_MAX_DEPTH 32

static void j_ws(struct jscan *j) {
  while (j->p < j->end && mw_ascii_isspace(*j->p)) j->p++;
}

static int hexval(unsigned char h) {
  if (h >= '0' && h <= '9') return h - '0';
  h = mw_ascii_tolower(h);
  if (h >= 'a' && h <= 'f') return h - 'a' + 10;
  return -1;
}

static bool j_hex4(struct jscan *j, unsigned *out) {
  if (j->end - j->p < 4) return false;
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    int h = hexval(j->p[i]);
    if (h < 0) return false;
    v = v * 16 + (unsigned)h;
  }
  j->p += 4;
  *out = v;
  return true;
}

static void put_utf8(struct mw_buf *b, unsigned cp) {
  char u[4];
  size_t n;
  if (cp < 0x80) u[0] = (char)cp, n = 1;
  else if (cp < 0x800)
    u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
  else if (cp < 0x10000)
    u[0] = (char)(0xE0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
    u[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
  else
    u[0] = (char)(0xF0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F)),
    n = 4;
  mw_buf_append(b, u, n);
}

/* Reads a string at j->p (on the opening quote); decodes it into out when
 * out is not NULL. */
static bool j_string(struct jscan *j, struct mw_buf *out) {
  if (j->p >= j->end || *j->p != '"') return false;
  j->p++;
  while (j->p < j->end) {
    unsigned char ch = *j->p++;
    if (ch == '"') return true;
    if (ch != '\\') {
      if (out) mw_buf_append(out, &ch, 1);
      continue;
    }
    if (j->p >= j->end) return false;
    unsigned char e = *j->p++;
    unsigned cp;
    switch (e) {
    case 'n': case 'r': case 't': case 'b': case 'f': cp = ' '; break;
    case 'u':
      if (!j_hex4(j, &cp)) return false;
      if (cp >= 0xD800 && cp < 0xDC00 && j->end - j->p >= 6 && j->p[0] == '\\' &&
          j->p[1] == 'u') {
        unsigned lo;
        j->p += 2;
        if (!j_hex4(j, &lo)) return false;
        cp = (lo >= 0xDC00 && lo < 0xE000)
                 ? 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
                 : 0xFFFD;
      } else if (cp >= 0xD800 && cp < 0xE000) {
        cp = 0xFFFD;
      }
      break;
    default: cp = e; break;
    }
    if (out) put_utf8(out, cp);
  }
  return false;
}

static void j_value(struct jscan *j, const char *key, const char *parent);

/* The fields wanted: key within an object that is the value of parent. */
static const char **j_slot(struct jscan *j, const char *key,
                           const char *parent) {
  struct mw_xmeta *m = &j->c->meta;
  if (!key) return NULL;
  if (!strcmp(key, "headline")) return &m->ld_headline;
  if (!strcmp(key, "datePublished")) return &m->ld_date;
  if (!strcmp(key, "author")) return &m->ld_author; /* "author": "name" */
  if (parent && !strcmp(key, "name")) {
    if (!strcmp(parent, "publisher")) return &m->ld_publisher;
    if (!strcmp(parent, "author")) return &m->ld_author;
  }
  return NULL;
}

static void j_object(struct jscan *j, const char *parent) {
  char key[24];
  j->p++; /* { */
  j_ws(j);
  if (j->p < j->end && *j->p == '}') {
    j->p++;
    return;
  }
  while (!j->bad) {
    j_ws(j);
    struct mw_buf kb;
    mw_buf_init(&kb, 64);
    bool ok = j_string(j, &kb);
    key[0] = '\0';
    if (ok && kb.data && kb.len < sizeof key) memcpy(key, kb.data, kb.len + 1);
    mw_buf_cleanup(&kb);
    j_ws(j);
    if (!ok || j->p >= j->end || *j->p != ':') {
      j->bad = true;
      return;
    }
    j->p++;
    j_ws(j);
    j_value(j, key[0] ? key : NULL, parent);
    j_ws(j);
    if (j->p < j->end && *j->p == ',') {
      j->p++;
      continue;
    }
    if (j->p < j->end && *j->p == '}') {
      j->p++;
      return;
    }
    j->bad = true;
  }
}

static void j_value(struct jscan *j, const char *key, const char *parent) {
  if (j->bad || j->p >= j->end) {
    j->bad = true;
    return;
  }
  if (++j->depth > JSON_MAX_DEPTH) {
    j->bad = true;
    return;
  }
  unsigned char ch = *j->p;
  if (ch == '{') {
    /* an object under "publisher" or "author" holds their name */
    j_object(j, key);
  } else if (ch == '[') {
    j->p++;
    j_ws(j);
    if (j->p < j->end && *j->p == ']') {
      j->p++;
    } else {
      while (!j->bad) {
        j_ws(j);
        j_value(j, key, parent); /* elements stand for their key */
        j_ws(j);
        if (j->p < j->end && *j->p == ',') {
          j->p++;
          continue;
        }
        if (j->p < j->end && *j->p == ']') {
          j->p++;
          break;
        }
        j->bad = true;
      }
    }
  } else if (ch == '"') {
    const char **slot = j_slot(j, key, parent);
    if (slot && !*slot) {
      struct mw_buf sb;
      mw_buf_init(&sb, 4096);
      bool ok = j_string(j, &sb);
      if (ok && sb.data) *slot = mw_x_collapse(j->c->arena, sb.data, sb.len);
      mw_buf_cleanup(&sb);
      if (!ok) j->bad = true;
    } else if (!j_string(j, NULL)) {
      j->bad = true;
    }
  } else {
    /* number, true, false, null */
    while (j->p < j->end && *j->p != ',' && *j->p != '}' && *j->p != ']' &&
           !mw_ascii_isspace(*j->p))
      j->p++;
  }
  j->depth--;
}

static void json_ld(struct mw_xctx *c) {
  const char *p = c->utf8, *end = c->utf8 + c->len;
  const char *hit;
  while ((hit = find(p, (size_t)(end - p), "application/ld+json"))) {
    const char *gt = memchr(hit, '>', (size_t)(end - hit));
    if (!gt) return;
    const char *close = find(gt, (size_t)(end - gt), "</script");
    if (!close) close = find(gt, (size_t)(end - gt), "</SCRIPT");
    if (!close) close = end;
    struct jscan j = {(const unsigned char *)gt + 1,
                      (const unsigned char *)close, c, 0, false};
    j_ws(&j);
    if (j.p < j.end && (*j.p == '{' || *j.p == '[')) j_value(&j, NULL, NULL);
    p = close;
  }
}

/* ------------------------------------------------------------- WeChat */

static void wechat_time(struct mw_xctx *c) {
  if (!find(c->utf8, c->len, "js_content")) return;
  static const char *const vars[] = {"var ct", "var create_time", NULL};
  const char *end = c->utf8 + c->len;
  for (const char *const *v = vars; *v; v++) {
    const char *p = find(c->utf8, c->len, *v);
    if (!p) continue;
    p += strlen(*v);
    while (p < end && (*p == ' ' || *p == '=' || *p == '"' || *p == '\''))
      p++;
    int64_t t = 0;
    int digits = 0;
    while (p < end && mw_ascii_isdigit((unsigned char)*p) && digits < 12)
      t = t * 10 + (*p++ - '0'), digits++;
    /* epoch seconds of a plausible publishing date (2001 to 2286) */
    if (digits == 10) {
      c->meta.wechat_ct = t;
      return;
    }
  }
}

static int head_rank(const struct mw_html_node *n);

int mw_x_meta(struct mw_xctx *c) {
  /* One walk collects everything later steps look up by element. */
  const struct mw_html_node *root = c->doc->root;
  for (const struct mw_html_node *n = root; n; n = mw_html_next(root, n)) {
    if (n->kind != MW_HTML_ELEMENT) continue;
    const char *t = n->tag;
    if (t[0] == 'm' && !strcmp(t, "meta")) {
      meta_tag(c, n);
      continue;
    }
    if (!c->time_el && t[0] == 't' && !strcmp(t, "time") &&
        mw_html_attr(n, "datetime"))
      c->time_el = n;
    if (!n->n_attrs && t[0] != 'h') continue;
    if (!c->js_name) {
      const char *id = mw_html_attr(n, "id");
      if (id && !strcmp(id, "js_name")) c->js_name = n;
    }
    if (c->n_heads < MW_X_MAX_HEADS && n->text_chars >= 2 &&
        n->text_chars <= 200 && head_rank(n) >= 0)
      c->heads[c->n_heads++] = n;
  }
  json_ld(c);
  wechat_time(c);
  return MW_OK;
}

/* -------------------------------------------------------------- title */

/* Length of the separator at s, or 0: the characters sites put between
 * title, column and site name. */
static size_t sep_at(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  if (n >= 1 && (u[0] == '_' || u[0] == '|' || u[0] == '-')) return 1;
  if (n >= 3 && u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0x94 || u[2] == 0x93))
    return 3; /* — – */
  if (n >= 3 && u[0] == 0xEF && u[1] == 0xBC && u[2] == 0x8D) return 3; /* － */
  if (n >= 2 && u[0] == 0xC2 && u[1] == 0xB7) return 2; /* · */
  return 0;
}

static bool is_space_at(const char *s, size_t n) {
  return n && (mw_ascii_isspace((unsigned char)s[0]) ||
               (n >= 2 && (unsigned char)s[0] == 0xC2 &&
                (unsigned char)s[1] == 0xA0));
}

/* True when s (n bytes) is a boundary: the end, or spaces then a
 * separator. */
static bool boundary(const char *s, size_t n) {
  while (n && is_space_at(s, n)) s++, n--;
  return n == 0 || sep_at(s, n) > 0;
}

/* Compares ignoring white space: does t start with h? Sets *t_used to the
 * bytes of t that h covers. */
static bool squeezed_prefix(const char *t, size_t tn, const char *h, size_t hn,
                            size_t *t_used) {
  size_t i = 0, k = 0;
  for (;;) {
    while (i < tn && mw_ascii_isspace((unsigned char)t[i])) i++;
    while (k < hn && mw_ascii_isspace((unsigned char)h[k])) k++;
    if (k == hn) break;
    if (i == tn || t[i] != h[k]) return false;
    i++, k++;
  }
  *t_used = i;
  return true;
}

static bool squeezed_equal(const char *a, const char *b) {
  size_t used, an = strlen(a);
  if (!squeezed_prefix(a, an, b, strlen(b), &used)) return false;
  while (used < an && mw_ascii_isspace((unsigned char)a[used])) used++;
  return used == an;
}

/* Headings and title-like elements of the page, in page order. */

struct head {
  const struct mw_html_node *node;
  char *text;
  int rank; /* 0 h1, 1 h2/h3, 2 class/id title */
};

static int head_rank(const struct mw_html_node *n) {
  const char *t = n->tag;
  if (t[0] == 'h' && t[1] >= '1' && t[1] <= '3' && !t[2]) return t[1] == '1' ? 0 : 1;
  static const char *const TIT[] = {"tit", NULL};
  if (strcmp(t, "title") && n->n_attrs && mw_x_attr_has(n, TIT)) return 2;
  return -1;
}

static size_t heads_of(struct mw_xctx *c, struct head *h) {
  size_t k = 0;
  for (size_t i = 0; i < c->n_heads; i++) {
    const struct mw_html_node *n = c->heads[i];
    char *t = mw_x_node_text(c, n);
    if (!t) continue;
    for (char *p = t; *p; p++)
      if (*p == '\n') *p = ' ';
    h[k].node = n;
    h[k].text = t;
    h[k].rank = head_rank(n);
    k++;
  }
  return k;
}

/* The heading that <title> is made of: title equals it, starts with it
 * (then the column and site), or ends with it (site name first). Returns
 * the index or -1; *text is the matching part, spelt as in <title>. */
static int match_title(struct mw_xctx *c, const struct head *h, size_t nh,
                       const char *t, char **text) {
  int best = -1;
  size_t best_len = 0, best_start = 0;
  size_t tn = strlen(t);
  for (size_t i = 0; i < nh; i++) {
    size_t hn = strlen(h[i].text), used;
    if (mw_x_utf8_chars(h[i].text, hn) < 4) continue;
    size_t start = 0;
    bool ok = squeezed_prefix(t, tn, h[i].text, hn, &used) &&
              boundary(t + used, tn - used);
    if (!ok) {
      /* "网站名-标题": look for the heading right after a separator */
      for (size_t s = 0; s < tn && !ok; s++) {
        size_t k = sep_at(t + s, tn - s);
        if (!k) continue;
        size_t from = s + k;
        while (from < tn && is_space_at(t + from, tn - from)) from++;
        if (squeezed_prefix(t + from, tn - from, h[i].text, hn, &used) &&
            boundary(t + from + used, tn - from - used)) {
          ok = true;
          start = from;
        }
      }
    }
    /* a logo: a link whose text is the whole <title> */
    if (!ok || (used == tn && start == 0 &&
                h[i].node->link_chars * 2 >= h[i].node->text_chars))
      continue;
    /* the start of <title> first: "网站名-标题" is the rarer form */
    bool better = best < 0 || (start == 0 && best_start != 0) ||
                  ((start == 0) == (best_start == 0) &&
                   (used > best_len ||
                    (used == best_len && h[i].rank < h[best].rank)));
    if (better) {
      best = (int)i;
      best_len = used;
      best_start = start;
      *text = mw_x_collapse(c->arena, t + start, used);
    }
  }
  return best;
}

/* The longest part of <title> between separators. */
static char *title_stripped(struct mw_xctx *c, const char *t) {
  size_t tn = strlen(t), best_at = 0, best_n = 0, best_chars = 0, from = 0;
  for (size_t i = 0; i <= tn;) {
    size_t k = i < tn ? sep_at(t + i, tn - i) : 1;
    /* a hyphen between digits is part of the title (2023-2025年) */
    if (k == 1 && i < tn && t[i] == '-' && i > 0 &&
        mw_ascii_isdigit((unsigned char)t[i - 1]) && i + 1 < tn &&
        mw_ascii_isdigit((unsigned char)t[i + 1]))
      k = 0;
    if (!k) {
      i++;
      continue;
    }
    size_t chars = mw_x_utf8_chars(t + from, i - from);
    if (chars > best_chars) best_at = from, best_n = i - from, best_chars = chars;
    i += k;
    from = i;
  }
  return mw_x_collapse(c->arena, t + best_at, best_n);
}

static const struct mw_html_node *node_equal(const struct head *h, size_t nh,
                                             const char *text) {
  for (size_t i = 0; i < nh; i++)
    if (squeezed_equal(h[i].text, text)) return h[i].node;
  return NULL;
}

int mw_x_title(struct mw_xctx *c) {
  struct mw_extracted *x = c->x;
  struct head heads[MW_X_MAX_HEADS];
  size_t nh = heads_of(c, heads);
  char *page_title = c->doc->title ? mw_x_node_text(c, c->doc->title) : NULL;
  char *matched = NULL;
  int m = page_title ? match_title(c, heads, nh, page_title, &matched) : -1;
  const struct mw_html_node *m_node = m >= 0 ? heads[m].node : NULL;

  const struct mw_xmeta *me = &c->meta;
  if (me->article_title) {
    x->title = (char *)me->article_title;
    x->title_from = "meta ArticleTitle";
  } else if (me->og_title) {
    x->title = (char *)me->og_title;
    x->title_from = "og:title";
    /* og:title with the site's name after it: the heading it starts with */
    for (size_t i = 0; i < nh; i++) {
      size_t used, on = strlen(me->og_title);
      if (mw_x_utf8_chars(heads[i].text, strlen(heads[i].text)) >= 4 &&
          squeezed_prefix(me->og_title, on, heads[i].text,
                          strlen(heads[i].text), &used) &&
          used < on && boundary(me->og_title + used, on - used)) {
        x->title = mw_x_collapse(c->arena, me->og_title, used);
        break;
      }
    }
  } else if (me->ld_headline) {
    x->title = (char *)me->ld_headline;
    x->title_from = "JSON-LD headline";
  } else if (c->board_content) {
    const struct mw_html_node *v = mw_x_label_cell(c->doc->root, "留言标题");
    char *t = v ? mw_x_node_text(c, v) : NULL;
    if (t) {
      x->title = t;
      x->title_from = "留言标题";
      c->title_node = v;
    }
  }
  if (!x->title && matched) {
    x->title = matched;
    x->title_from = heads[m].rank == 0 ? "h1 matching <title>"
                                       : "heading matching <title>";
  }
  if (!x->title && page_title) {
    /* <title> holds only the site or column name on some sites: an h1
     * that is not a logo link and not one of <title>'s parts is the
     * article's title then */
    for (size_t i = 0; i < nh && !x->title; i++) {
      const struct mw_html_node *n = heads[i].node;
      size_t chars = mw_x_utf8_chars(heads[i].text, strlen(heads[i].text));
      if (heads[i].rank == 0 && n->link_chars * 2 < n->text_chars &&
          chars >= 5 && chars <= 100 && !strstr(page_title, heads[i].text)) {
        x->title = heads[i].text;
        x->title_from = "h1";
        c->title_node = n;
      }
    }
  }
  if (!x->title && page_title) {
    x->title = title_stripped(c, page_title);
    x->title_from = "<title>";
  }
  if (!x->title) {
    for (size_t i = 0; i < nh && !x->title; i++)
      if (heads[i].rank == 0) {
        x->title = heads[i].text;
        x->title_from = "h1";
        c->title_node = heads[i].node;
      }
  }
  if (!c->title_node && x->title) c->title_node = node_equal(heads, nh, x->title);
  if (!c->title_node) c->title_node = m_node;
  return MW_OK;
}
