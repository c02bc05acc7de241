/*
 * listing_page.c: a listing's pagination and the dates beside its links.
 *
 * Pagination comes in three forms on Chinese sites: anchors that say so
 * (下一页, 下页, 下一版 on digital papers, next, >, »), TRS numbering where
 * index.html is followed by index_1.html, index_2.html ..., and TRS's
 * createPageHTML(total, current, "index", "html") script, which writes
 * the pager in the browser so the page itself holds no anchor: the call's
 * arguments (numbers, or variables assigned earlier in the page) give the
 * next page. Other pager anchors (首页, 上一页, 尾页, page numbers) are
 * marked so they are never taken for articles.
 *
 * Dates are read from the record around a link: the text of its <li> or
 * table row outside the anchor, or, in flat lists (a, span, br, a ...),
 * the siblings after it up to the next link. "2023-05-08", "2023/5/8",
 * "2023.05.08", "2023年5月8日" with an optional time; a year-less "[05-08]"
 * takes its year from the article's URL when that carries one.
 *
 * What it leaves to others: choosing articles (listing_score.c), fetching
 * the next pages and stopping at max_pages (the caller).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crawler/listing_internal.h"

/* ------------------------------------------------------------ pager */

/* The anchor text with spaces and brackets removed, into out. */
static size_t squeeze(const char *s, char *out, size_t n) {
  static const char *const DROP[] = {"\xC2\xA0", "\xE3\x80\x80", "【", "】",
                                     "[", "]", "（", "）", "(", ")"};
  size_t o = 0;
  while (*s && o + 4 < n) {
    unsigned char c = (unsigned char)*s;
    if (mw_ascii_isspace(c)) {
      s++;
      continue;
    }
    bool dropped = false;
    bool maybe = c == '[' || c == ']' || c == '(' || c == ')' || c == 0xC2 ||
                 c == 0xE3 || c == 0xEF;
    for (size_t i = 0; maybe && i < sizeof DROP / sizeof DROP[0] && !dropped;
         i++) {
      size_t k = strlen(DROP[i]);
      if (!strncmp(s, DROP[i], k)) {
        s += k;
        dropped = true;
      }
    }
    if (dropped) continue;
    out[o++] = (char)mw_ascii_tolower(c);
    s++;
  }
  out[o] = '\0';
  return o;
}

static bool in_list(const char *t, const char *const *list, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(t, list[i])) return true;
  return false;
}

static const char *const NEXT_TEXTS[] = {
    "下一页", "下页", "后页", "后一页", "下一版", "下一页>", "下一页>>",
    "下一页»", "下一页›", "下一页→", "next", "next>", "next»", "next›",
    "nextpage", "nextpage>", "nextpage»", ">", "›", "»", "〉", "＞",
};
static const char *const PAGER_TEXTS[] = {
    "上一页", "上页", "前页", "前一页", "首页", "尾页", "末页", "最后一页",
    "第一页", "上一版", "<上一页", "<<上一页", "«上一页", "<", "‹", "«",
    "<<", ">>", "««", "»»", "〈", "＜", "prev", "previous", "<prev",
    "first", "last", "跳转", "go", "确定", "最末页", "首页<<", "尾页>>",
};

/* TRS page numbering: "index.html" is page 0, "index_3.html" page 3.
 * Splits the file name of a canonical URL; false when it is not of that
 * shape. dir_len covers everything up to and including the last '/'. */
static bool trs_page(const char *url, size_t *dir_len, const char **stem,
                     size_t *stem_len, const char **ext, long *page) {
  if (strchr(url, '?')) return false;
  const char *slash = strrchr(url, '/');
  if (!slash) return false;
  const char *f = slash + 1;
  *dir_len = (size_t)(f - url);
  if (!*f) { /* a folder: its index.html */
    *stem = "index";
    *stem_len = 5;
    *ext = "html";
    *page = 0;
    return true;
  }
  const char *dot = strrchr(f, '.');
  if (!dot || dot == f || strlen(dot + 1) > 6) return false;
  *ext = dot + 1;
  const char *us = NULL;
  for (const char *p = f; p < dot; p++)
    if (*p == '_') us = p;
  long n = 0;
  if (us && us + 1 < dot) {
    const char *d = us + 1;
    for (; d < dot && mw_ascii_isdigit((unsigned char)*d) && n < 100000; d++)
      n = n * 10 + (*d - '0');
    if (d == dot) {
      *stem = f;
      *stem_len = (size_t)(us - f);
      *page = n;
      return true;
    }
  }
  *stem = f;
  *stem_len = (size_t)(dot - f);
  *page = 0;
  return true;
}

/* LC_NEXT or LC_PAGER when link is page n of the listing's own TRS series
 * (same folder, stem and extension), 0 otherwise. */
static unsigned trs_relation(const char *page_url, const char *link) {
  size_t d1, d2, s1, s2;
  const char *st1, *st2, *e1, *e2;
  long p1, p2;
  if (!trs_page(page_url, &d1, &st1, &s1, &e1, &p1) ||
      !trs_page(link, &d2, &st2, &s2, &e2, &p2))
    return 0;
  if (d1 != d2 || strncmp(page_url, link, d1) || s1 != s2 ||
      strncmp(st1, st2, s1) || strcmp(e1, e2))
    return 0;
  /* only names that are numbered somewhere are a series */
  if (p1 == 0 && p2 == 0) return 0;
  if (s1 != 5 || strncmp(st1, "index", 5)) return 0;
  return p2 == p1 + 1 ? LC_NEXT : LC_PAGER;
}

unsigned mw_listing_pager(const struct lctx *x, const struct lcand *c) {
  char t[64];
  size_t n = squeeze(c->text, t, sizeof t);
  const char *rel = mw_html_attr(c->a, "rel");
  unsigned f = 0;
  if ((rel && !mw_ascii_casecmp(rel, "next")) ||
      in_list(t, NEXT_TEXTS, sizeof NEXT_TEXTS / sizeof NEXT_TEXTS[0]))
    f = LC_NEXT | LC_NEXT_TEXT;
  else if (in_list(t, PAGER_TEXTS, sizeof PAGER_TEXTS / sizeof PAGER_TEXTS[0]))
    f = LC_PAGER;
  else if (n > 0 && n <= 5) {
    size_t d = 0;
    while (d < n && mw_ascii_isdigit((unsigned char)t[d])) d++;
    if (d == n) f = LC_PAGER; /* 1 2 3 ... */
  }
  if (!f && (!strncmp(t, "更多", 6) || !strncmp(t, "查看更多", 12) ||
             !strncmp(t, "more", 4) || !strcmp(t, "+")))
    return LC_MORE;
  unsigned trs = trs_relation(x->page_url, c->url);
  if (trs && !(f & LC_NEXT)) f = trs;
  if ((f & LC_NEXT) && mw_listing_same_page(c->url, x->page_url)) f = LC_PAGER;
  return f;
}

/* ---------------------------------------------------- createPageHTML */

/* The number assigned to identifier id ("var countPage = 23"), or -1. */
static long script_var(const char *s, size_t n, const char *id, size_t idn) {
  const char *p = s, *end = s + n;
  while (p < end) {
    const char *hit = memmem(p, (size_t)(end - p), id, idn);
    if (!hit) return -1;
    p = hit + idn;
    bool word_start = hit == s || !(mw_ascii_isalpha((unsigned char)hit[-1]) ||
                                    mw_ascii_isdigit((unsigned char)hit[-1]) ||
                                    hit[-1] == '_');
    const char *q = p;
    while (q < end && (*q == ' ' || *q == '\t')) q++;
    if (!word_start || q >= end || *q != '=' || (q + 1 < end && q[1] == '='))
      continue;
    q++;
    while (q < end && (*q == ' ' || *q == '\t')) q++;
    long v = 0;
    const char *d = q;
    while (q < end && mw_ascii_isdigit((unsigned char)*q) && v < 1000000)
      v = v * 10 + (*q++ - '0');
    if (q > d) return v;
  }
  return -1;
}

char *mw_listing_trs_next(const struct lctx *x) {
  static const char CALL[] = "createPageHTML(";
  const char *s = x->html, *end = x->html + x->html_len, *p = s;
  while (p < end) {
    const char *hit = memmem(p, (size_t)(end - p), CALL, sizeof CALL - 1);
    if (!hit) return NULL;
    p = hit + sizeof CALL - 1;
    /* skip the definition: "function createPageHTML(" */
    const char *b = hit;
    while (b > s && (b[-1] == ' ' || b[-1] == '\t')) b--;
    if (b - s >= 8 && !memcmp(b - 8, "function", 8)) continue;

    long ints[8];
    const char *strs[8];
    size_t strl[8], ni = 0, ns = 0;
    const char *q = p;
    for (int arg = 0; arg < 8 && q < end && *q != ')'; arg++) {
      while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
        q++;
      if (q < end && (*q == '"' || *q == '\'')) {
        char quote = *q++;
        const char *v = q;
        while (q < end && *q != quote && q - v < 64) q++;
        if (q >= end || *q != quote) break;
        if (ns < 8) strs[ns] = v, strl[ns++] = (size_t)(q - v);
        q++;
      } else {
        const char *v = q;
        while (q < end && *q != ',' && *q != ')' && q - v < 64) q++;
        size_t vn = (size_t)(q - v);
        while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t')) vn--;
        long num = -1;
        if (vn && mw_ascii_isdigit((unsigned char)v[0])) {
          num = 0;
          for (size_t i = 0; i < vn && mw_ascii_isdigit((unsigned char)v[i]) &&
                             num < 1000000;
               i++)
            num = num * 10 + (v[i] - '0');
        } else if (vn) {
          num = script_var(s, (size_t)(hit - s), v, vn);
        }
        if (num >= 0 && ni < 8) ints[ni++] = num;
      }
      while (q < end && (*q == ' ' || *q == '\t')) q++;
      if (q < end && *q == ',') q++;
    }
    if (ni < 2) continue;
    long total = ints[0], current = ints[1];
    if (current + 1 >= total) return NULL; /* the last page */
    char rel[160];
    int w;
    if (ns >= 2)
      w = snprintf(rel, sizeof rel, "%.*s_%ld.%.*s", (int)strl[ns - 2],
                   strs[ns - 2], current + 1, (int)strl[ns - 1], strs[ns - 1]);
    else
      w = snprintf(rel, sizeof rel, "index_%ld.html", current + 1);
    if (w <= 0 || (size_t)w >= sizeof rel) return NULL;
    char *url = NULL;
    if (mw_url_canonicalize(rel, x->page_url, &url, NULL) != MW_OK) return NULL;
    char *copy = mw_arena_strdup(x->arena, url);
    free(url);
    return copy;
  }
  return NULL;
}

/* ------------------------------------------------------------ dates */

/* Reads 1..max digits at s[*i]; -1 when none. */
static int read_num(const char *s, size_t n, size_t *i, int max) {
  int v = 0, k = 0;
  while (*i < n && k < max && mw_ascii_isdigit((unsigned char)s[*i])) {
    v = v * 10 + (s[*i] - '0');
    (*i)++;
    k++;
  }
  if (k == 0) return -1;
  if (*i < n && mw_ascii_isdigit((unsigned char)s[*i])) return -1; /* longer */
  return v;
}

static bool lit(const char *s, size_t n, size_t *i, const char *l) {
  size_t k = strlen(l);
  if (*i + k > n || memcmp(s + *i, l, k)) return false;
  *i += k;
  return true;
}

/* An optional " 10:00[:00]" after a date. */
static void read_time(const char *s, size_t n, size_t i, int *h, int *mi,
                      int *sec) {
  *h = *mi = *sec = 0;
  size_t j = i;
  while (j < n && (s[j] == ' ' || s[j] == '\t')) j++;
  if (j == i) return;
  int hh = read_num(s, n, &j, 2);
  if (hh < 0 || !lit(s, n, &j, ":")) return;
  int mm = read_num(s, n, &j, 2);
  if (mm < 0) return;
  int ss = 0;
  size_t k = j;
  if (lit(s, n, &k, ":")) {
    ss = read_num(s, n, &k, 2);
    if (ss < 0) ss = 0;
  }
  if (hh > 23 || mm > 59 || ss > 59) return;
  *h = hh, *mi = mm, *sec = ss;
}

int64_t mw_listing_find_date(const char *s, size_t n, int year_hint,
                             int offset_s) {
  int64_t partial = MW_TIME_UNKNOWN;
  for (size_t i = 0; i < n; i++) {
    if (!mw_ascii_isdigit((unsigned char)s[i])) continue;
    if (i > 0 && mw_ascii_isdigit((unsigned char)s[i - 1])) continue;
    size_t j = i;
    int a = read_num(s, n, &j, 4);
    if (a < 0) {
      while (i + 1 < n && mw_ascii_isdigit((unsigned char)s[i + 1])) i++;
      continue;
    }
    if (j - i == 4 && a >= 1990 && a <= 2099) {
      /* year, separator, month, separator, day */
      char sep = j < n ? s[j] : 0;
      bool cjk = false;
      if (sep == '-' || sep == '/' || sep == '.')
        j++;
      else if (lit(s, n, &j, "年"))
        cjk = true;
      else
        continue;
      int m = read_num(s, n, &j, 2);
      if (m < 0) continue;
      if (cjk ? !lit(s, n, &j, "月") : !(j < n && s[j] == sep)) continue;
      if (!cjk) j++;
      int d = read_num(s, n, &j, 2);
      if (d < 0 || !mw_civil_valid(a, m, d, 0, 0, 0)) continue;
      if (cjk) lit(s, n, &j, "日");
      int h, mi, sec;
      read_time(s, n, j, &h, &mi, &sec);
      return mw_time_from_civil(a, m, d, h, mi, sec, offset_s);
    }
    if (j - i <= 2 && partial == MW_TIME_UNKNOWN && year_hint > 0) {
      /* month-day: 05-08, 5/8, 5月8日; not part of a longer number run */
      if (i > 0 && (s[i - 1] == '-' || s[i - 1] == '/' || s[i - 1] == '.' ||
                    s[i - 1] == ':'))
        continue;
      bool cjk = false;
      char sep = j < n ? s[j] : 0;
      if (sep == '-' || sep == '/')
        j++;
      else if (lit(s, n, &j, "月"))
        cjk = true;
      else
        continue;
      int d = read_num(s, n, &j, 2);
      if (d < 0) continue;
      if (!cjk && j < n && (s[j] == '-' || s[j] == '/' || s[j] == ':')) continue;
      if (mw_civil_valid(year_hint, a, d, 0, 0, 0))
        partial = mw_time_from_civil(year_hint, a, d, 0, 0, 0, offset_s);
    }
  }
  return partial;
}

int mw_listing_url_year(const char *url) {
  const char *p = strstr(url, "://");
  p = p ? p + 3 : url;
  p = strchr(p, '/');
  if (!p) return 0;
  /* the first run of 4, 6 or 8 digits starting with a plausible year:
   * /2023/, /202305/, t20230508_, /2023-05/ */
  for (size_t i = 0; p[i] && p[i] != '?';) {
    if (!mw_ascii_isdigit((unsigned char)p[i])) {
      i++;
      continue;
    }
    size_t k = i;
    while (mw_ascii_isdigit((unsigned char)p[k])) k++;
    size_t len = k - i;
    if (len == 4 || len == 6 || len == 8) {
      int y = (p[i] - '0') * 1000 + (p[i + 1] - '0') * 100 +
              (p[i + 2] - '0') * 10 + (p[i + 3] - '0');
      if (y >= 1990 && y <= 2099) return y;
    }
    i = k;
  }
  return 0;
}

/* The text of n's subtree outside links, pieces separated by spaces. */
static void text_outside_links(struct mw_buf *b, const struct mw_html_node *n) {
  for (const struct mw_html_node *t = n; t;) {
    if (t->kind == MW_HTML_ELEMENT && t->tag[0] == 'a' && !t->tag[1] &&
        mw_html_attr(t, "href")) {
      /* skip the link's subtree */
      while (t && t != n && !t->next) t = t->parent;
      if (!t || t == n) return;
      t = t->next;
      continue;
    }
    if (t->kind == MW_HTML_TEXT &&
        (mw_buf_append(b, t->text, t->text_len) || mw_buf_putc(b, ' ')))
      return; /* at the ceiling: the text so far is enough */
    t = mw_html_next(n, t);
  }
}

/* The first date in the text of n's subtree outside links. */
static int64_t node_date(struct mw_buf *b, const struct mw_html_node *n,
                         int year, int offset) {
  mw_buf_reset(b);
  text_outside_links(b, n);
  if (!b->data || !b->len) return MW_TIME_UNKNOWN;
  return mw_listing_find_date(b->data, b->len, year, offset);
}

/* Whether p holds several records: a sibling of cur shaped like cur (same
 * tag) with links of its own. Cells of a table row are one record. */
static bool holds_records(const struct mw_html_node *p,
                          const struct mw_html_node *cur) {
  if (!strcmp(cur->tag, "td") || !strcmp(cur->tag, "th")) return false;
  for (const struct mw_html_node *s = p->first_child; s; s = s->next)
    if (s != cur && s->kind == MW_HTML_ELEMENT && s->n_links > 0 &&
        !strcmp(s->tag, cur->tag))
      return true;
  return false;
}

int64_t mw_listing_date(struct lctx *x, struct lcand *c) {
  if (c->date_done) return c->date;
  c->date_done = true;
  c->date = MW_TIME_UNKNOWN;
  int year = mw_listing_url_year(c->url);
  struct mw_buf b;
  mw_buf_init(&b, 512);
  const struct mw_html_node *cur = c->a;
  for (int level = 0; level < 4 && cur->parent; level++) {
    const struct mw_html_node *p = cur->parent;
    if (!p->parent || !strcmp(p->tag, "body")) break;
    if (holds_records(p, cur)) {
      /* a flat list: the siblings after us, up to the next link */
      for (const struct mw_html_node *s = cur->next; s; s = s->next) {
        if (s->n_links > 0) break;
        int64_t d = node_date(&b, s, year, x->default_offset_s);
        if (d != MW_TIME_UNKNOWN) {
          c->date = d;
          goto done;
        }
      }
      break;
    }
    /* p is our record: its text outside links */
    for (const struct mw_html_node *s = p->first_child; s; s = s->next) {
      if (s == cur) continue;
      int64_t d = node_date(&b, s, year, x->default_offset_s);
      if (d != MW_TIME_UNKNOWN) {
        c->date = d;
        goto done;
      }
    }
    cur = p;
  }
  /* "关于……的通知（2023-05-08）": a date inside the anchor itself */
  c->date = mw_listing_find_date(c->text, strlen(c->text), year,
                                 x->default_offset_s);
done:
  mw_buf_cleanup(&b);
  return c->date;
}
