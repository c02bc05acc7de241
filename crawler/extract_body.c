/*
 * extract_body.c: the main text of an article page, by text density over
 * the light tree, in the manner of GeneralNewsExtractor (GNE).
 *
 * Every element is scored from the counts html.c left on it:
 *
 *   density = (text chars - link chars) / (descendant elements - links)
 *   score   = density * log10(punctuation + 2) * ln(text - link + 1)
 *             * log10(paragraphs + 2) * (1 - link chars / text chars)^2
 *
 * A leaf has no density (as in GNE), so a single long <p> cannot beat the
 * element holding all of them; punctuation and the log of the text favour
 * prose over menus; the squared link share sinks lists of links. The best
 * element wins, unless a container that CMSs name (.TRS_Editor, #zoom,
 * #js_content, [itemprop=articleBody], .article-content, #content,
 * .content, <article>, ...) holds it or nearly all of it: then the
 * container, whose edges the CMS drew exactly. A message-board page
 * (留言内容 / 回复内容 cells) takes its two cells instead.
 *
 * The text is written with blocks on their own lines, skipping what sits
 * inside bodies but is not the article: share bars, related lists,
 * comments, print/close tools, the title heading, then dropping lines of
 * boilerplate (版权所有, ICP备, 【字体：大 中 小】, 责任编辑：, 来源：,
 * ...). A page whose best candidates leave under MIN_BODY_CHARS of text
 * has no body (a video page, an index), which is not an error.
 */
#include <math.h>
#include <string.h>

#include "crawler/extract_internal.h"

#define MIN_BODY_CHARS 30
#define TOP_CANDIDATES 5

/* ----------------------------------------------------------- node text */

char *mw_x_node_text(struct mw_xctx *c, const struct mw_html_node *n) {
  mw_buf_reset(&c->scratch);
  if (mw_html_text(n, &c->scratch) != MW_OK || !c->scratch.len) return NULL;
  return mw_arena_strndup(c->arena, c->scratch.data, c->scratch.len);
}

static bool is_tag(const struct mw_html_node *n, const char *tag) {
  return n->kind == MW_HTML_ELEMENT && n->tag[0] == tag[0] &&
         !strcmp(n->tag, tag);
}

/* Own text of a label cell, trimmed, without a trailing colon. */
static bool cell_says(const struct mw_html_node *n, const char *label) {
  if (n->kind != MW_HTML_ELEMENT || n->text_chars > 8 || !n->first_child)
    return false;
  const struct mw_html_node *t = n->first_child;
  if (t->kind != MW_HTML_TEXT || t->next) {
    /* <th><b>留言内容</b></th> */
    if (t->kind == MW_HTML_ELEMENT && !t->next) return cell_says(t, label);
    return false;
  }
  const char *s = t->text, *e = t->text + t->text_len;
  while (s < e && mw_ascii_isspace((unsigned char)*s)) s++;
  while (e > s && mw_ascii_isspace((unsigned char)e[-1])) e--;
  size_t k = strlen(label);
  if ((size_t)(e - s) < k || memcmp(s, label, k) != 0) return false;
  s += k;
  if (s < e && *s == ':') s++;
  else if (e - s >= 3 && !memcmp(s, "\xEF\xBC\x9A", 3)) s += 3; /* ： */
  return s == e;
}

const struct mw_html_node *mw_x_label_cell(const struct mw_html_node *root,
                                           const char *label) {
  for (const struct mw_html_node *n = root; n; n = mw_html_next(root, n)) {
    if (!cell_says(n, label)) continue;
    const struct mw_html_node *v = n->next;
    while (v && v->kind == MW_HTML_TEXT) v = v->next;
    if (v && v->text_chars) return v;
  }
  return NULL;
}

/* ------------------------------------------------------------- scoring */

static double score_of(const struct mw_html_node *n) {
  if (n->text_chars <= n->link_chars) return 0;
  double text = (double)n->text_chars;
  double tl = text - (double)n->link_chars;
  if (tl < MIN_BODY_CHARS) return 0;
  size_t e = n->n_elements > n->n_links ? n->n_elements - n->n_links : 0;
  if (e == 0) return 0;
  double keep = tl / text;
  return tl / (double)e * log10((double)n->n_punct + 2) * log(tl + 1) *
         log10((double)n->n_paragraphs + 2) * keep * keep;
}

/* Elements never taken as the body themselves. */
static bool never_body(const struct mw_html_node *n) {
  static const char *const tags[] = {"#root", "html", "head", "a", "ul", "ol",
                                     "select", "option", "title", NULL};
  if (!strchr("#hauost", n->tag[0])) return false;
  for (const char *const *t = tags; *t; t++)
    if (!strcmp(n->tag, *t)) return true;
  return false;
}

/* Containers CMSs name. strong: the CMS's own body element, taken even
 * when it holds much more than the best-scored part. */
struct known {
  const char *attr; /* "class" (one token), "id", "itemprop", or NULL: tag */
  const char *value;
  bool strong;
  const char *from; /* body_from */
};

static const struct known KNOWN[] = {
    {"class", "TRS_Editor", true, "container .TRS_Editor"},
    {"class", "TRS_UEDITOR", true, "container .TRS_UEDITOR"},
    {"class", "trs_editor_view", true, "container .trs_editor_view"},
    {"id", "zoom", true, "container #zoom"},
    {"id", "js_content", true, "container #js_content"},
    {"class", "rich_media_content", true, "container .rich_media_content"},
    {"itemprop", "articleBody", true, "container [itemprop=articleBody]"},
    {"id", "ozoom", true, "container #ozoom"},
    {NULL, "founder-content", true, "container founder-content"},
    {"class", "article-content", false, "container .article-content"},
    {"class", "article_content", false, "container .article_content"},
    {"class", "rm_txt_con", false, "container .rm_txt_con"},
    {"id", "detail", false, "container #detail"},
    {"id", "content", false, "container #content"},
    {"class", "content", false, "container .content"},
    {NULL, "article", false, "container article"},
};
#define N_KNOWN (sizeof KNOWN / sizeof KNOWN[0])

static bool has_token(const char *list, const char *tok) {
  size_t k = strlen(tok);
  for (const char *p = list; *p;) {
    while (*p && mw_ascii_isspace((unsigned char)*p)) p++;
    const char *s = p;
    while (*p && !mw_ascii_isspace((unsigned char)*p)) p++;
    if ((size_t)(p - s) == k && !mw_ascii_ncasecmp(s, tok, k)) return true;
  }
  return false;
}

static int known_index(const struct mw_html_node *n) {
  const char *cls = NULL, *id = NULL, *item = NULL;
  for (size_t i = 0; i < n->n_attrs; i++) {
    const char *a = n->attrs[i].name;
    if (!strcmp(a, "class")) cls = n->attrs[i].value;
    else if (!strcmp(a, "id")) id = n->attrs[i].value;
    else if (!strcmp(a, "itemprop")) item = n->attrs[i].value;
  }
  bool by_tag = n->tag[0] == 'a' || n->tag[0] == 'f';
  if (!cls && !id && !item && !by_tag) return -1;
  for (size_t i = 0; i < N_KNOWN; i++) {
    const struct known *k = &KNOWN[i];
    const char *v = NULL;
    switch (k->attr ? k->attr[0] : 0) {
    case 0:
      if (by_tag && !strcmp(n->tag, k->value)) return (int)i;
      continue;
    case 'c': v = cls; break;
    case 'i': v = k->attr[1] == 'd' ? id : item; break;
    }
    if (!v) continue;
    if (k->attr[0] == 'c' ? has_token(v, k->value)
                          : !mw_ascii_casecmp(v, k->value))
      return (int)i;
  }
  return -1;
}

static bool is_ancestor(const struct mw_html_node *a,
                        const struct mw_html_node *n) {
  for (; n; n = n->parent)
    if (n == a) return true;
  return false;
}

static size_t text_less_links(const struct mw_html_node *n) {
  return n->text_chars - n->link_chars;
}

/* The known container to take instead of the best-scored element b: the
 * innermost strong one holding b (any size), else the outermost one inside
 * b holding most of its text (half for a strong one, 70% for a weak). */
static const struct mw_html_node *prefer_known(
    const struct mw_html_node *b, const struct mw_html_node **known,
    const int *kidx, size_t nk, const char **from) {
  const struct mw_html_node *best = NULL;
  int best_k = -1;
  size_t bt = text_less_links(b);
  for (size_t i = 0; i < nk; i++) {
    const struct mw_html_node *k = known[i];
    size_t kt = text_less_links(k);
    if (kt < MIN_BODY_CHARS || k->link_chars * 10 > k->text_chars * 3)
      continue;
    if (is_ancestor(k, b)) {
      /* a named container around b: strong ones only, or b itself; a
       * weak name (.content, <article>) around the text often holds the
       * byline and date lines too */
      if (!KNOWN[kidx[i]].strong && k != b) continue;
      if (!best || is_ancestor(best, k)) best = k, best_k = kidx[i];
    }
  }
  if (!best)
    for (size_t i = 0; i < nk; i++) {
      const struct mw_html_node *k = known[i];
      size_t kt = text_less_links(k);
      size_t need = KNOWN[kidx[i]].strong ? 5 : 7; /* tenths of b's text */
      if (k == b || !is_ancestor(b, k) || kt * 10 < bt * need ||
          k->link_chars * 10 > k->text_chars * 3)
        continue;
      if (!best || is_ancestor(k, best)) best = k, best_k = kidx[i];
    }
  if (best) *from = KNOWN[best_k].from;
  return best;
}

/* Density favours the deepest element holding prose (a <p> with a
 * <span> in it, one <section> of a WeChat article). Climbs from b while
 * the parent only wraps it, or adds at least half as much text again that
 * reads like the same prose (a hundred characters or more, punctuation at
 * 80% of b's rate, few links). */
static const struct mw_html_node *climb(const struct mw_html_node *b,
                                        const struct mw_html_node *stop) {
  for (const struct mw_html_node *p = b->parent; p && p != stop;
       p = p->parent) {
    if (never_body(p)) break;
    size_t bt = text_less_links(b), pt = text_less_links(p);
    size_t extra = pt - bt;
    if (extra == 0) {
      b = p;
      continue;
    }
    size_t extra_punct = p->n_punct - b->n_punct;
    /* the title, byline and editor lines around a short body are not
     * "more of the same": ask for a hundred characters at least */
    if (extra * 2 < bt || extra < 100 ||
        p->link_chars * 10 > p->text_chars * 3 ||
        (double)extra_punct * (double)bt <
            0.8 * (double)b->n_punct * (double)extra)
      break;
    b = p;
  }
  return b;
}

/* ------------------------------------------------------------ writing */

static bool is_block(const struct mw_html_node *n) {
  static const char *const BLOCKS[] = {
      "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
      "table", "section", "article", "ul", "ol", "dl", "dt", "dd",
      "blockquote", "pre", "header", "footer", "nav", "aside", "main",
      "figure", "figcaption", "hr", "form", "center", "body", "html",
      "founder-content", NULL};
  for (const char *const *b = BLOCKS; *b; b++)
    if ((*b)[0] == n->tag[0] && !strcmp(*b, n->tag)) return true;
  return false;
}

bool mw_x_attr_has(const struct mw_html_node *n, const char *const *words) {
  for (size_t i = 0; i < n->n_attrs; i++) {
    const char *name = n->attrs[i].name;
    if (strcmp(name, "class") && strcmp(name, "id")) continue;
    /* lower-cased copy of the value's start: class lists are short */
    char low[128];
    size_t k = 0;
    for (const char *v = n->attrs[i].value; *v && k + 1 < sizeof low; v++)
      low[k++] = (char)mw_ascii_tolower((unsigned char)*v);
    low[k] = '\0';
    if (!k) continue;
    for (const char *const *w = words; *w; w++)
      if (strstr(low, *w)) return true;
  }
  return false;
}

/* Parts of a body element that are not the article. */
static bool skip_inside(const struct mw_xctx *c, const struct mw_html_node *n,
                        size_t body_tl) {
  static const char *const BOILER[] = {
      "share",  "comment", "relat",  "recommend", "xgxw",  "xgxx",
      "xgwj",   "xgyd",    "tool",   "print",     "copyright", "footer",
      "ranking", "jiathis", "qr_code", "page-nav", NULL};
  static const char *const DROP_TAGS[] = {"nav", "aside", "select", "button",
                                          "textarea", "input", NULL};
  if (n == c->title_node) return true;
  for (const char *const *t = DROP_TAGS; *t; t++)
    if (!strcmp(n->tag, *t)) return true;
  size_t tl = text_less_links(n);
  if (tl * 2 < body_tl || body_tl == 0) {
    if (n->n_attrs && mw_x_attr_has(n, BOILER)) return true;
  }
  /* lists of links: 相关新闻, 上一篇/下一篇, tag clouds */
  if (n->n_links >= 2 && n->link_chars * 2 > n->text_chars) return true;
  return false;
}

struct writer {
  struct mw_buf *out;
  int pending; /* 0 nothing, 1 space, 2 newline */
  bool started;
  int rc;
};

static void w_emit(struct writer *w, const char *p, size_t n) {
  if (w->rc || !n) return;
  if (w->started && w->pending)
    w->rc = mw_buf_putc(w->out, w->pending == 2 ? '\n' : ' ');
  w->pending = 0;
  w->started = true;
  if (!w->rc) w->rc = mw_buf_append(w->out, p, n);
}

static size_t ws_len(const unsigned char *s, size_t n) {
  if (mw_ascii_isspace(s[0])) return 1;
  if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0) return 2;
  if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) return 3;
  return 0;
}

static void w_text(struct writer *w, const char *text, size_t len) {
  const unsigned char *s = (const unsigned char *)text;
  size_t i = 0, run = 0;
  while (i < len) {
    size_t k = ws_len(s + i, len - i);
    if (!k) {
      i++;
      continue;
    }
    w_emit(w, text + run, i - run);
    if (w->pending < 1) w->pending = 1;
    i += k;
    run = i;
  }
  w_emit(w, text + run, len - run);
}

/* Writes the text of root's subtree, leaving out skip_inside parts. */
static int write_body(const struct mw_xctx *c, const struct mw_html_node *root,
                      struct mw_buf *out) {
  struct writer w = {out, 0, false, MW_OK};
  size_t body_tl = text_less_links(root);
  const struct mw_html_node *cur = root->first_child;
  while (cur && !w.rc) {
    bool descend = false;
    if (cur->kind == MW_HTML_TEXT) {
      w_text(&w, cur->text, cur->text_len);
    } else if (skip_inside(c, cur, body_tl)) {
      w.pending = 2;
    } else {
      if (is_block(cur)) w.pending = 2;
      else if ((is_tag(cur, "td") || is_tag(cur, "th")) && w.pending < 1)
        w.pending = 1;
      descend = cur->first_child != NULL;
    }
    if (descend) {
      cur = cur->first_child;
      continue;
    }
    while (cur && cur != root) {
      if (cur->kind == MW_HTML_ELEMENT && is_block(cur)) w.pending = 2;
      if (cur->next) {
        cur = cur->next;
        break;
      }
      cur = cur->parent;
    }
    if (cur == root) break;
  }
  return w.rc;
}

/* -------------------------------------------------------- line cleaning */

static bool has(const char *s, size_t n, const char *word) {
  size_t k = strlen(word);
  for (size_t i = 0; i + k <= n; i++)
    if (s[i] == word[0] && !memcmp(s + i, word, k)) return true;
  return false;
}

static bool starts_label(const char *s, size_t n) {
  static const char *const OPEN[] = {"(", "\xEF\xBC\x88" /* （ */, "[",
                                     "\xE3\x80\x90" /* 【 */, NULL};
  static const char *const LABELS[] = {
      "来源", "稿源", "信息来源", "文章来源", "本文来源", "新闻来源",
      "责任编辑", "责编", "编辑",
      "作者", "发布时间", "发布日期", "审核", "校对", "监制", "供稿", NULL};
  for (const char *const *o = OPEN; *o; o++) {
    size_t k = strlen(*o);
    if (n >= k && !memcmp(s, *o, k)) {
      s += k, n -= k;
      break;
    }
  }
  for (const char *const *l = LABELS; *l; l++) {
    size_t k = strlen(*l);
    if (n < k || memcmp(s, *l, k)) continue;
    const char *p = s + k, *e = s + n;
    while (p < e && *p == ' ') p++;
    if (p < e && *p == ':') return true;
    if (e - p >= 3 && !memcmp(p, "\xEF\xBC\x9A", 3)) return true;
  }
  return false;
}

static bool boiler_line(const char *s, size_t n) {
  static const char *const WORDS[] = {
      "分享到", "版权所有", "Copyright", "copyright", "\xC2\xA9" /* © */,
      "ICP备", "主办单位", "承办单位", "打印本页", "关闭窗口", "【字体",
      "字号：", "【纠错】", "相关阅读", "相关新闻", "相关链接", "相关文章",
      "上一篇", "下一篇", "扫一扫", "浏览次数", "点击数", "阅读次数",
      "【打印】", "【关闭】", "网站地图", "网站标识码", "公网安备",
      "特别声明：", "免责声明", NULL};
  static const char *const META[] = {"来源：", "来源:", "作者：", "责任编辑",
                                     "发布时间", "发布日期", NULL};
  size_t chars = mw_x_utf8_chars(s, n);
  if (chars > 60) return false;
  for (const char *const *w = WORDS; *w; w++)
    if (has(s, n, *w)) return true;
  if (starts_label(s, n)) return true;
  /* "2023-05-16 10:00 来源：人民网": a byline line inside the body */
  if (chars <= 40)
    for (const char *const *w = META; *w; w++)
      if (has(s, n, *w)) return true;
  return false;
}

static bool same_squeezed(const char *a, size_t an, const char *b) {
  size_t i = 0, k = 0, bn = strlen(b);
  for (;;) {
    while (i < an && a[i] == ' ') i++;
    while (k < bn && mw_ascii_isspace((unsigned char)b[k])) k++;
    if (i == an || k == bn) return i == an && k == bn;
    if (a[i] != b[k]) return false;
    i++, k++;
  }
}

size_t mw_x_clean_lines(char *text, size_t len, const char *title) {
  size_t w = 0;
  for (size_t i = 0; i < len;) {
    const char *nl = memchr(text + i, '\n', len - i);
    size_t e = nl ? (size_t)(nl - text) : len;
    const char *s = text + i;
    size_t n = e - i;
    while (n && s[0] == ' ') s++, n--;
    while (n && s[n - 1] == ' ') n--;
    bool drop = n == 0 || boiler_line(s, n) ||
                (title && same_squeezed(s, n, title));
    if (!drop) {
      if (w) text[w++] = '\n';
      memmove(text + w, s, n);
      w += n;
    }
    i = e + 1;
  }
  if (w < len) text[w] = '\0';
  return w;
}

/* ------------------------------------------------------------- picking */

int mw_x_board(struct mw_xctx *c) {
  const struct mw_html_node *root = c->doc->body ? c->doc->body : c->doc->root;
  /* 留言板: the message and the reply are cells of a table */
  c->board_content = mw_x_label_cell(root, "留言内容");
  if (c->board_content) {
    c->board_reply = mw_x_label_cell(root, "回复内容");
    c->body_node = c->board_content;
    c->x->body_from = "留言内容";
    return MW_OK;
  }
  return MW_OK;
}

/* Text of one candidate, cleaned; its length in bytes (0 = too little). */
static size_t candidate_text(struct mw_xctx *c, const struct mw_html_node *n,
                             int *rc) {
  mw_buf_reset(&c->scratch);
  *rc = write_body(c, n, &c->scratch);
  if (*rc || !c->scratch.len) return 0;
  size_t k = mw_x_clean_lines(c->scratch.data, c->scratch.len, c->x->title);
  c->scratch.len = k;
  return mw_x_utf8_chars(c->scratch.data, k) >= MIN_BODY_CHARS ? k : 0;
}

static int keep_body(struct mw_xctx *c, size_t n) {
  c->x->body = mw_arena_strndup(c->arena, c->scratch.data, n);
  if (!c->x->body) return MW_ENOMEM;
  c->x->body_chars = mw_x_utf8_chars(c->x->body, n);
  return MW_OK;
}

#define MAX_KNOWN 16

int mw_x_body(struct mw_xctx *c) {
  int rc = MW_OK;
  if (c->board_content) {
    struct mw_buf *b = &c->scratch;
    mw_buf_reset(b);
    rc = write_body(c, c->board_content, b);
    if (!rc && c->board_reply) {
      rc = mw_buf_putc(b, '\n');
      if (!rc) rc = write_body(c, c->board_reply, b);
    }
    if (rc) return rc;
    size_t n = b->len ? mw_x_clean_lines(b->data, b->len, NULL) : 0;
    return n ? keep_body(c, n) : MW_OK;
  }

  const struct mw_html_node *root = c->doc->body ? c->doc->body : c->doc->root;
  const struct mw_html_node *top[TOP_CANDIDATES] = {0};
  double top_s[TOP_CANDIDATES] = {0};
  const struct mw_html_node *known[MAX_KNOWN];
  int kidx[MAX_KNOWN];
  size_t nk = 0;
  for (const struct mw_html_node *n = root; n; n = mw_html_next(root, n)) {
    if (n->kind != MW_HTML_ELEMENT || never_body(n)) continue;
    if (nk < MAX_KNOWN) {
      int k = known_index(n);
      if (k >= 0) known[nk] = n, kidx[nk++] = k;
    }
    double s = score_of(n);
    if (s <= top_s[TOP_CANDIDATES - 1]) continue;
    size_t i = TOP_CANDIDATES - 1;
    while (i > 0 && top_s[i - 1] < s) {
      top[i] = top[i - 1];
      top_s[i] = top_s[i - 1];
      i--;
    }
    top[i] = n;
    top_s[i] = s;
  }

  for (size_t i = 0; i < TOP_CANDIDATES && top[i]; i++) {
    top[i] = climb(top[i], root);
    const char *from = "text density";
    const struct mw_html_node *k = prefer_known(top[i], known, kidx, nk, &from);
    if (k) {
      size_t n = candidate_text(c, k, &rc);
      if (rc) return rc;
      if (n) {
        c->body_node = k;
        c->x->body_from = from;
        return keep_body(c, n);
      }
    }
    size_t n = candidate_text(c, top[i], &rc);
    if (rc) return rc;
    if (n) {
      c->body_node = top[i];
      c->x->body_from = "text density";
      return keep_body(c, n);
    }
  }
  return MW_OK;
}
