/*
 * listing_score.c: which links of a listing page (栏目页) are its articles.
 *
 * A column page is mostly chrome: the site's navigation, a breadcrumb
 * (当前位置：首页 > 新闻中心), sidebars of 热点推荐 and 点击排行, a footer
 * of links to other government sites, and, somewhere in the middle, the
 * list we want: a run of same-shaped records (ul>li>a + span date, table
 * rows, div items) whose anchors read like headlines and point at
 * article-shaped URLs. This file judges single links (where they stand,
 * what their URL and text look like) and picks that block: links are
 * grouped by the (tag, id, class) path above them, so the records of one
 * list fall in one group and each sidebar in another; the group whose
 * links look most like articles wins, and every link standing the same
 * way under the group's common ancestor joins it (rows whose classes
 * alternate, lists split in several <ul>). Table cells carry their column
 * so a row's title link and its department link are told apart.
 *
 * What it leaves to others: collecting links and the result (listing.c),
 * pagination and dates (listing_page.c).
 */
#include <stdlib.h>
#include <string.h>

#include "crawler/listing_internal.h"

/* ------------------------------------------------------------ URLs */

/* The path (after the authority) and query of a canonical URL. */
static void split_url(const char *url, const char **path, size_t *plen,
                      const char **query, size_t *qlen) {
  const char *p = strstr(url, "://");
  p = p ? p + 3 : url;
  while (*p && *p != '/' && *p != '?') p++;
  const char *q = strchr(p, '?');
  *path = p;
  *plen = q ? (size_t)(q - p) : strlen(p);
  *query = q ? q + 1 : "";
  *qlen = q ? strlen(q + 1) : 0;
}

/* The last path segment. */
static const char *file_of(const char *path, size_t plen, size_t *flen) {
  size_t i = plen;
  while (i > 0 && path[i - 1] != '/') i--;
  *flen = plen - i;
  return path + i;
}

static bool ends_ci(const char *s, size_t n, const char *suffix) {
  size_t k = strlen(suffix);
  return n >= k && mw_ascii_ncasecmp(s + n - k, suffix, k) == 0;
}

static bool starts_ci(const char *s, size_t n, const char *prefix) {
  size_t k = strlen(prefix);
  return n >= k && mw_ascii_ncasecmp(s, prefix, k) == 0;
}

static size_t count_digits(const char *s, size_t n) {
  size_t d = 0;
  for (size_t i = 0; i < n; i++)
    if (mw_ascii_isdigit((unsigned char)s[i])) d++;
  return d;
}

/* Digits starting at s[i]; returns how many. */
static size_t digit_run(const char *s, size_t n, size_t i) {
  size_t k = i;
  while (k < n && mw_ascii_isdigit((unsigned char)s[k])) k++;
  return k - i;
}

static const char *const ATTACHMENT_EXT[] = {
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps",
    ".zip", ".rar", ".7z",   ".jpg", ".jpeg", ".png", ".gif", ".et",
    ".dps", ".ofd", ".txt",  ".csv",
};

bool mw_listing_is_attachment(const char *url) {
  const char *path, *query;
  size_t plen, qlen;
  split_url(url, &path, &plen, &query, &qlen);
  for (size_t i = 0; i < sizeof ATTACHMENT_EXT / sizeof ATTACHMENT_EXT[0]; i++)
    if (ends_ci(path, plen, ATTACHMENT_EXT[i])) return true;
  return false;
}

/* Query keys that carry an article's number on government CMSs. */
static const char *const ID_KEYS[] = {
    "id",     "articleid", "contentid", "newsid", "infoid", "aid",
    "docid",  "artid",     "article_id", "news_id", "itemid", "tid",
    "msgid",  "lyid",      "wzid",       "xxid",
};

static bool query_has_id(const char *q, size_t n) {
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && q[j] != '&') j++;
    const char *eq = memchr(q + i, '=', j - i);
    if (eq) {
      size_t klen = (size_t)(eq - (q + i));
      size_t vlen = j - (size_t)(eq + 1 - q);
      for (size_t k = 0; k < sizeof ID_KEYS / sizeof ID_KEYS[0]; k++)
        if (strlen(ID_KEYS[k]) == klen &&
            mw_ascii_ncasecmp(q + i, ID_KEYS[k], klen) == 0 && vlen > 0 &&
            digit_run(eq + 1, vlen, 0) == vlen)
          return true;
    }
    i = j + 1;
  }
  return false;
}

static bool html_ext(const char *f, size_t n) {
  return ends_ci(f, n, ".html") || ends_ci(f, n, ".htm") ||
         ends_ci(f, n, ".shtml") || ends_ci(f, n, ".jhtml");
}

unsigned mw_listing_url_shape(const char *url) {
  const char *path, *query;
  size_t plen, qlen, flen;
  split_url(url, &path, &plen, &query, &qlen);
  const char *f = file_of(path, plen, &flen);
  size_t stem = flen;
  for (size_t i = 0; i < flen; i++)
    if (f[i] == '.') stem = i;

  /* TRS: t20230508_1234567.html */
  if (flen > 11 && (f[0] == 't' || f[0] == 'T') && digit_run(f, flen, 1) == 8 &&
      f[9] == '_' && digit_run(f, flen, 10) > 0)
    return LC_ARTICLE_URL;
  /* content_123.htm(l) (digital papers, many CMSs), c_123.htm (Xinhua) */
  if (starts_ci(f, flen, "content_") && digit_run(f, flen, 8) > 0)
    return LC_ARTICLE_URL;
  if (starts_ci(f, flen, "c_") && digit_run(f, flen, 2) > 0)
    return LC_ARTICLE_URL;
  /* Hanweb: /art/2023/5/8/art_1234_5678.html */
  if (starts_ci(f, flen, "art_") && memmem(path, plen, "/art/", 5))
    return LC_ARTICLE_URL;
  if (qlen && query_has_id(query, qlen)) return LC_ARTICLE_URL;
  if (ends_ci(f, flen, ".shtml") && count_digits(f, flen) >= 3)
    return LC_ARTICLE_URL;
  /* /1234567.html, /news/detail/123456 */
  if (stem >= 4 && digit_run(f, flen, 0) == stem &&
      (stem == flen || html_ext(f, flen)))
    return LC_ARTICLE_URL;
  /* dated folders with a numbered page: /2023-05/08/xxx_123456.html */
  if (html_ext(f, flen) && count_digits(f, stem) >= 5 &&
      !starts_ci(f, flen, "index") && !starts_ci(f, flen, "list") &&
      !starts_ci(f, flen, "node_"))
    return LC_ARTICLE_URL;

  /* Column pages: folders, index/list/default pages, paper page nodes. */
  if (flen == 0 || starts_ci(f, flen, "index") || starts_ci(f, flen, "list") ||
      starts_ci(f, flen, "default") || starts_ci(f, flen, "node_") ||
      memmem(path, plen, "/col/col", 8))
    return LC_COLUMN_URL;
  return 0;
}

/* The host of url without "www.", and its registrable part (the last two
 * labels, three under gov.cn, com.cn and the like). */
static void host_parts(const char *url, char *host, size_t n,
                       const char **base) {
  host[0] = '\0';
  *base = host;
  if (mw_url_host(url, host, n) != MW_OK) {
    host[0] = '\0';
    return;
  }
  char *colon = strchr(host, ':');
  if (colon) *colon = '\0';
  if (!strncmp(host, "www.", 4)) memmove(host, host + 4, strlen(host + 4) + 1);
  size_t len = strlen(host);
  int dots = 0;
  size_t cut[3] = {0, 0, 0};
  for (size_t i = len; i > 0; i--)
    if (host[i - 1] == '.' && dots < 3) cut[dots++] = i;
  if (dots < 2) return;
  /* cut[0]: start of the TLD, cut[1]: of the second level, cut[2]: third */
  const char *sld = host + cut[1];
  size_t sld_len = cut[0] - cut[1] - 1;
  bool generic = (sld_len == 3 && (!strncmp(sld, "gov", 3) || !strncmp(sld, "com", 3) ||
                                   !strncmp(sld, "edu", 3) || !strncmp(sld, "org", 3) ||
                                   !strncmp(sld, "net", 3))) ||
                 (sld_len == 2 && !strncmp(sld, "ac", 2));
  if (generic && len - cut[0] == 2)
    *base = dots >= 3 ? host + cut[2] : host;
  else
    *base = host + cut[1];
}

bool mw_listing_same_site(const char *page_host_url, const char *url) {
  char a[256], b[256];
  const char *ab, *bb;
  host_parts(page_host_url, a, sizeof a, &ab);
  host_parts(url, b, sizeof b, &bb);
  if (!a[0] || !b[0]) return false;
  return !strcmp(a, b) || !strcmp(ab, bb);
}

static const char *const INDEX_FILES[] = {
    "index.html", "index.htm",   "index.shtml", "index.jsp",
    "index.php",  "index.aspx",  "default.html", "default.htm",
    "default.aspx",
};

/* Length of url without a trailing index file name. */
static size_t without_index(const char *url) {
  size_t n = strlen(url);
  if (strchr(url, '?')) return n;
  for (size_t i = 0; i < sizeof INDEX_FILES / sizeof INDEX_FILES[0]; i++) {
    size_t k = strlen(INDEX_FILES[i]);
    if (n > k && url[n - k - 1] == '/' && !strcmp(url + n - k, INDEX_FILES[i]))
      return n - k;
  }
  return n;
}

bool mw_listing_same_page(const char *a, const char *b) {
  if (!strcmp(a, b)) return true;
  size_t na = without_index(a), nb = without_index(b);
  return na == nb && !strncmp(a, b, na);
}

/* ----------------------------------------------------------- zones */

/* Class and id words that mark navigation, headers and footers: as a
 * substring of one class name, or as the whole class name. */
static const char *const EXCLUDE_SUB[] = {
    "nav",      "menu",  "crumb",  "footer",  "copyright",
    "daohang",  "dqwz",  "position", "location", "sitemap",
};
static const char *const EXCLUDE_WORD[] = {
    "top", "head", "header", "foot", "bottom", "banner", "wzdh", "dh", "weizhi",
};
static const char *const SIDEBAR_SUB[] = {
    "side", "rank", "tuijian", "recommend", "related", "rmtj", "friend",
    "yqlj", "xgwz", "xgxx", "paihang", "remen", "redian", "hotnews",
};
static const char *const SIDEBAR_WORD[] = {
    "hot", "tj", "links", "link", "rdtj", "rmwz",
};

static bool has_sub(const char *s, size_t n, const char *const *list,
                    size_t k) {
  char low[64];
  if (n >= sizeof low) n = sizeof low - 1;
  for (size_t i = 0; i < n; i++) low[i] = (char)mw_ascii_tolower((unsigned char)s[i]);
  low[n] = '\0';
  for (size_t i = 0; i < k; i++)
    if (strstr(low, list[i])) return true;
  return false;
}

static bool is_word(const char *s, size_t n, const char *const *list,
                    size_t k) {
  for (size_t i = 0; i < k; i++)
    if (strlen(list[i]) == n && mw_ascii_ncasecmp(s, list[i], n) == 0)
      return true;
  return false;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Flags from one id or class attribute value (space-separated names). */
static unsigned words_zone(const char *v) {
  unsigned f = 0;
  while (*v) {
    while (*v == ' ' || *v == '\t' || *v == '\n') v++;
    size_t n = 0;
    while (v[n] && v[n] != ' ' && v[n] != '\t' && v[n] != '\n') n++;
    if (n == 0) break;
    if (has_sub(v, n, EXCLUDE_SUB, COUNT(EXCLUDE_SUB)) ||
        is_word(v, n, EXCLUDE_WORD, COUNT(EXCLUDE_WORD)))
      f |= LC_EXCLUDED;
    if (has_sub(v, n, SIDEBAR_SUB, COUNT(SIDEBAR_SUB)) ||
        is_word(v, n, SIDEBAR_WORD, COUNT(SIDEBAR_WORD)))
      f |= LC_SIDEBAR;
    v += n;
  }
  return f;
}

/* A breadcrumb announces itself: 当前位置：, 您的位置：, 所在位置. */
static bool crumb_text(const struct mw_html_node *p) {
  for (const struct mw_html_node *c = p->first_child; c; c = c->next) {
    if (c->kind == MW_HTML_TEXT) {
      if (c->text_len >= 6 && memmem(c->text, c->text_len, "位置", 6))
        return true;
    } else if (c->n_links > 0) {
      return false;
    }
  }
  return false;
}

static bool tag_is(const struct mw_html_node *n, const char *t) {
  return n->kind == MW_HTML_ELEMENT && !strcmp(n->tag, t);
}

unsigned mw_listing_node_zone(const struct mw_html_node *n) {
  if (n->kind != MW_HTML_ELEMENT) return 0;
  if (tag_is(n, "body") || tag_is(n, "html")) return 0;
  if (tag_is(n, "nav") || tag_is(n, "header") || tag_is(n, "footer"))
    return LC_EXCLUDED;
  unsigned f = tag_is(n, "aside") ? LC_SIDEBAR : 0;
  const char *v = mw_html_attr(n, "class");
  if (v) f |= words_zone(v);
  v = mw_html_attr(n, "id");
  if (v) f |= words_zone(v);
  return f;
}

bool mw_listing_in_crumb(const struct mw_html_node *a) {
  const struct mw_html_node *p = a->parent;
  for (int level = 0; level < 2 && p && p->parent; level++, p = p->parent) {
    if (tag_is(p, "body")) break;
    if (crumb_text(p)) return true;
  }
  return false;
}

/* ------------------------------------------------------ the block */

/* Digits are left out: records often carry their number in an id or a
 * class (normalthread_123456, item3), and the records of one list must
 * hash alike. */
static uint64_t fnv(uint64_t h, const char *s) {
  for (; *s; s++)
    if (!mw_ascii_isdigit((unsigned char)*s))
      h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return (h ^ 0xFF) * 1099511628211ULL;
}

/* Column of a table cell, so that a row's cells are told apart. */
static unsigned cell_index(const struct mw_html_node *n) {
  unsigned i = 0;
  for (const struct mw_html_node *s = n->prev; s; s = s->prev)
    if (tag_is(s, "td") || tag_is(s, "th")) i++;
  return i;
}

static uint64_t step_hash(uint64_t h, const struct mw_html_node *p,
                          bool with_names) {
  h = fnv(h, p->tag);
  if (with_names) {
    const char *v = mw_html_attr(p, "class");
    h = fnv(h, v ? v : "");
    v = mw_html_attr(p, "id");
    h = fnv(h, v ? v : "");
  }
  if (tag_is(p, "td") || tag_is(p, "th")) {
    char col[2] = {(char)('A' + cell_index(p) % 26), 0};
    h = fnv(h, col);
  }
  return h;
}

/* Hash of the path from a's parent up to (not including) stop. */
static uint64_t path_hash(const struct mw_html_node *a,
                          const struct mw_html_node *stop, bool with_names) {
  uint64_t h = 1469598103934665603ULL;
  for (const struct mw_html_node *p = a->parent; p && p != stop; p = p->parent)
    h = step_hash(h, p, with_names);
  return h;
}

static const struct mw_html_node *lca(const struct mw_html_node *a,
                                      const struct mw_html_node *b) {
  while (a->depth > b->depth) a = a->parent;
  while (b->depth > a->depth) b = b->parent;
  while (a != b) {
    a = a->parent;
    b = b->parent;
  }
  return a;
}

static bool is_under(const struct mw_html_node *n,
                     const struct mw_html_node *anc) {
  for (; n; n = n->parent)
    if (n == anc) return true;
  return false;
}

/* A heading just before a list that names it a sidebar: 热点推荐 ... */
static bool sidebar_heading(const struct mw_html_node *c) {
  static const char *const WORDS[] = {"热点", "热门", "推荐", "排行",
                                      "相关", "友情链接", "猜你喜欢"};
  int seen = 0;
  for (const struct mw_html_node *n = c; n && seen < 3; n = n->parent) {
    for (const struct mw_html_node *s = n->prev; s && seen < 3; s = s->prev) {
      if (s->kind != MW_HTML_ELEMENT) continue;
      seen++;
      if (s->n_links > 2 || s->text_chars > 40) return false;
      for (const struct mw_html_node *t = s; t; t = mw_html_next(s, t))
        if (t->kind == MW_HTML_TEXT)
          for (size_t w = 0; w < COUNT(WORDS); w++)
            if (memmem(t->text, t->text_len, WORDS[w], strlen(WORDS[w])))
              return true;
    }
    if (n->parent && n->parent->n_links > c->n_links) break;
  }
  return false;
}

static bool has_letters(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s >= 0x80 || mw_ascii_isalpha((unsigned char)*s))
      return true;
  return false;
}

static double link_score(struct lctx *x, struct lcand *c) {
  double s = 0;
  size_t n = c->text_chars;
  if (!has_letters(c->text))
    s -= 1;
  else if (n >= 6 && n <= 60)
    s += 2;
  else if (n > 60)
    s += 1;
  else if (n >= 4)
    s += 0.5;
  else
    s -= 1;
  if (c->flags & LC_ARTICLE_URL)
    s += 2;
  else if (c->flags & LC_COLUMN_URL)
    s -= 1.5;
  s += (c->flags & LC_SAME_SITE) ? 0.5 : -0.5;
  /* CMSs file a column's articles under its folder (/zwxx/mtjj/202305/...)
   * while sidebars link across the site */
  if (c->flags & LC_SAME_COLUMN) s += 1;
  if (mw_listing_date(x, c) != MW_TIME_UNKNOWN) s += 1;
  return s;
}

static bool eligible(const struct lcand *c) {
  return !(c->flags & (LC_EXCLUDED | LC_ATTACHMENT | LC_NEXT | LC_PAGER |
                       LC_MORE | LC_SELF));
}

static int cmp_sig(const void *pa, const void *pb, void *arg) {
  const struct lcand *c = arg;
  size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
  if (c[a].sig != c[b].sig) return c[a].sig < c[b].sig ? -1 : 1;
  return a < b ? -1 : a > b;
}

bool mw_listing_choose_block(struct lctx *x) {
  size_t *idx = mw_arena_alloc(x->arena, (x->n + 1) * sizeof *idx);
  size_t *stamp = mw_arena_alloc(x->arena, (x->n_urls + 1) * sizeof *stamp);
  if (!idx || !stamp) return false;
  memset(stamp, 0, (x->n_urls + 1) * sizeof *stamp);
  size_t m = 0;
  for (size_t i = 0; i < x->n; i++) {
    struct lcand *c = &x->c[i];
    if (!eligible(c)) continue;
    c->sig = path_hash(c->a, NULL, true);
    c->score = link_score(x, c);
    idx[m++] = i;
  }
  qsort_r(idx, m, sizeof *idx, cmp_sig, x->c);

  /* The best group: the sum of its distinct URLs' scores. */
  double best = 0;
  size_t best_from = 0, best_to = 0;
  for (size_t g = 0; g < m;) {
    size_t e = g;
    while (e < m && x->c[idx[e]].sig == x->c[idx[g]].sig) e++;
    double score = 0;
    size_t distinct = 0;
    bool sidebar = false;
    for (size_t k = g; k < e; k++) {
      const struct lcand *c = &x->c[idx[k]];
      if (stamp[c->url_id] == g + 1) continue; /* counted in this group */
      stamp[c->url_id] = g + 1;
      distinct++;
      score += c->score;
      if (c->flags & LC_SIDEBAR) sidebar = true;
    }
    if (distinct >= 2) {
      const struct mw_html_node *top = x->c[idx[g]].a;
      for (size_t k = g + 1; k < e; k++) top = lca(top, x->c[idx[k]].a);
      if (sidebar || sidebar_heading(top)) score *= 0.5;
      if (score > best) {
        best = score;
        best_from = g;
        best_to = e;
      }
    }
    g = e;
  }
  if (best < 5) return false;

  /* Its common ancestor, and every link standing the same way under it. */
  const struct mw_html_node *top = x->c[idx[best_from]].a;
  for (size_t k = best_from + 1; k < best_to; k++)
    top = lca(top, x->c[idx[k]].a);
  uint64_t shapes[8];
  size_t n_shapes = 0;
  for (size_t k = best_from; k < best_to && n_shapes < 8; k++) {
    uint64_t h = path_hash(x->c[idx[k]].a, top, false);
    bool known = false;
    for (size_t j = 0; j < n_shapes; j++) known |= shapes[j] == h;
    if (!known) shapes[n_shapes++] = h;
  }
  bool group_is_sidebar = x->c[idx[best_from]].flags & LC_SIDEBAR;
  for (size_t k = 0; k < m; k++) {
    struct lcand *c = &x->c[idx[k]];
    if (k >= best_from && k < best_to) {
      c->flags |= LC_SELECTED;
      continue;
    }
    if (!group_is_sidebar && (c->flags & LC_SIDEBAR)) continue;
    if (!is_under(c->a, top)) continue;
    uint64_t h = path_hash(c->a, top, false);
    for (size_t j = 0; j < n_shapes; j++)
      if (shapes[j] == h) c->flags |= LC_SELECTED;
  }
  return true;
}

void mw_listing_choose_by_url(struct lctx *x) {
  for (size_t i = 0; i < x->n; i++) {
    struct lcand *c = &x->c[i];
    if (eligible(c) && (c->flags & LC_ARTICLE_URL)) c->flags |= LC_SELECTED;
  }
}
