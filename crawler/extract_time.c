/*
 * extract_time.c: the publication time, 来源, author and 责任编辑 of an
 * article page, from what it declares and from the labelled lines printed
 * around its title ("发布时间：2023-05-08 10:00  来源：吉林日报  作者：..."),
 * and the date in its URL as the last resort.
 *
 * The page's text is laid out once as a flat string that keeps the
 * boundaries a reader sees: '\n' between blocks, '\t' between table cells
 * and for &nbsp; / full-width space gaps, ' ' for ordinary spaces. A label
 * is a word from a fixed list followed by a colon or a gap; its value runs
 * to the next gap, line, bracket, '|' or next label. Searches start in the
 * stretch between the title heading and the body (where CMSs print these
 * lines), then just before the title, then the rest of the page after the
 * title; the date is checked with mw_date_parse. Times without a zone are
 * taken at the caller's offset (+08:00 for China).
 *
 * What it leaves to others: finding the title heading and the body element
 * (extract_meta.c, extract_body.c), parsing date strings (date.c).
 */
#include <string.h>

#include "crawler/extract_internal.h"

/* ------------------------------------------------------------- helpers */

size_t mw_x_utf8_chars(const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
  return n;
}

/* Bytes of white space at s: ASCII, U+00A0, U+3000. */
static size_t space_at(const unsigned char *s, size_t n) {
  if (!n) return 0;
  if (mw_ascii_isspace(s[0])) return 1;
  if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0) return 2;
  if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) return 3;
  return 0;
}

char *mw_x_collapse(struct mw_arena *a, const char *s, size_t len) {
  char *out = mw_arena_alloc(a, len + 1);
  if (!out) return NULL;
  const unsigned char *u = (const unsigned char *)s;
  size_t w = 0;
  bool gap = false;
  for (size_t i = 0; i < len;) {
    size_t k = space_at(u + i, len - i);
    if (k) {
      gap = true;
      i += k;
      continue;
    }
    if (gap && w) out[w++] = ' ';
    gap = false;
    out[w++] = s[i++];
  }
  out[w] = '\0';
  return w ? out : NULL;
}

/* --------------------------------------------------------------- dates */

static size_t digits(const char *s, size_t n, size_t max, int *v) {
  size_t i = 0;
  *v = 0;
  while (i < n && i < max && mw_ascii_isdigit((unsigned char)s[i]))
    *v = *v * 10 + (s[i] - '0'), i++;
  return i;
}

/* A date separator at s: - / . 年 月 (also full-width －／). */
static size_t date_sep(const char *s, size_t n) {
  if (!n) return 0;
  if (s[0] == '-' || s[0] == '/' || s[0] == '.') return 1;
  if (n >= 3 && (!memcmp(s, "年", 3) || !memcmp(s, "月", 3) ||
                 !memcmp(s, "\xEF\xBC\x8D", 3) || !memcmp(s, "\xEF\xBC\x8F", 3)))
    return 3;
  return 0;
}

static size_t time_sep(const char *s, size_t n) {
  if (n && s[0] == ':') return 1;
  if (n >= 3 && (!memcmp(s, "：", 3) || !memcmp(s, "时", 3) ||
                 !memcmp(s, "点", 3)))
    return 3;
  return 0;
}

/* A date and time as written: hour -1 when no time is given. */
struct civil {
  int y, m, d, h, mi, sec;
};

/* Length of a date (and time) written at s, 0 when none starts there.
 * Besides the separators mw_date_parse knows, a space may stand between
 * year and "MM/DD" (新华网 prints "2023 05/12 10:29:32"). */
static size_t date_len(const char *s, size_t n, struct civil *cv) {
  int y, m, d, h, mi;
  size_t i = digits(s, n, 5, &y), k;
  if (i != 4 || y < 1990 || y > 2100) return 0;
  bool spaced = false;
  if (!(k = date_sep(s + i, n - i))) {
    while (k < 2 && i + k < n && (s[i + k] == ' ' || s[i + k] == '\t')) k++;
    if (!k) return 0;
    spaced = true;
  }
  i += k;
  size_t dm = digits(s + i, n - i, 3, &m);
  if (dm < 1 || dm > 2 || m < 1 || m > 12) return 0;
  i += dm;
  if (!(k = date_sep(s + i, n - i)) || (spaced && s[i] != '/')) return 0;
  i += k;
  size_t dd = digits(s + i, n - i, 3, &d);
  if (dd < 1 || dd > 2 || d < 1 || d > 31) return 0;
  i += dd;
  if (n - i >= 3 && !memcmp(s + i, "日", 3)) i += 3;
  *cv = (struct civil){y, m, d, -1, 0, 0};
  size_t date_end = i;
  /* the time, after at most a few spaces, or a '-' or 'T' (中国政府网
   * writes "2023-05-18-09:30:12") */
  size_t j = i;
  if (j < n && (s[j] == '-' || s[j] == 'T')) j++;
  else
    while (j < n && j - i < 4 && (s[j] == ' ' || s[j] == '\t')) j++;
  size_t dh = digits(s + j, n - j, 3, &h);
  if (dh < 1 || dh > 2 || h > 23) return date_end;
  j += dh;
  if (!(k = time_sep(s + j, n - j))) return date_end;
  j += k;
  size_t dmi = digits(s + j, n - j, 3, &mi);
  if (dmi != 2 || mi > 59) return date_end;
  j += dmi;
  cv->h = h, cv->mi = mi;
  size_t save = j;
  if (n - j >= 3 && !memcmp(s + j, "分", 3)) j += 3, save = j;
  int sec;
  if ((k = time_sep(s + j, n - j)) && k == 1) {
    if (digits(s + j + 1, n - j - 1, 3, &sec) == 2 && sec <= 59)
      save = j + 3, cv->sec = sec;
  } else if (n - j >= 4 && !memcmp(s + j, "：", 3)) {
    if (digits(s + j + 3, n - j - 3, 3, &sec) == 2 && sec <= 59)
      save = j + 5, cv->sec = sec;
  }
  return save;
}

int64_t mw_x_date_in(const char *s, size_t len, int offset_s) {
  for (size_t i = 0; i + 8 <= len; i++) {
    if (!mw_ascii_isdigit((unsigned char)s[i]) ||
        (i && mw_ascii_isdigit((unsigned char)s[i - 1])))
      continue;
    struct civil cv;
    size_t k = date_len(s + i, len - i, &cv);
    if (!k) continue;
    int h = cv.h < 0 ? 0 : cv.h;
    if (!mw_civil_valid(cv.y, cv.m, cv.d, h, cv.mi, cv.sec)) continue;
    int64_t t, parts =
        mw_time_from_civil(cv.y, cv.m, cv.d, h, cv.mi, cv.sec, offset_s);
    /* date.c has the last word, unless it read a form it does not know
     * as something else ("2023 05/12" as the year 2023) */
    if (mw_date_parse(s + i, k, offset_s, &t) == MW_OK && t == parts)
      return t;
    return parts;
  }
  return MW_TIME_UNKNOWN;
}

int64_t mw_x_url_date(const char *url, int offset_s) {
  if (!url) return MW_TIME_UNKNOWN;
  const char *p = strstr(url, "://");
  p = p ? strchr(p + 3, '/') : NULL;
  if (!p) return MW_TIME_UNKNOWN;
  size_t n = strcspn(p, "?#");
  for (size_t i = 0; i < n; i++) {
    if (!mw_ascii_isdigit((unsigned char)p[i]) ||
        mw_ascii_isdigit((unsigned char)p[i - 1]))
      continue;
    int a, b = 0, d = 0, y = 0, m = 0, day = 0;
    size_t la = digits(p + i, n - i, 9, &a), j = i + la;
    char s1 = j < n ? p[j] : '\0';
    size_t lb = (s1 == '/' || s1 == '-') ? digits(p + j + 1, n - j - 1, 9, &b)
                                        : 0;
    size_t k = j + 1 + lb;
    char s2 = lb && k < n ? p[k] : '\0';
    size_t ld = (s2 == '/' || s2 == '-') ? digits(p + k + 1, n - k - 1, 3, &d)
                                        : 0;
    if (la == 8) { /* /20230508/, t20230508_ */
      y = a / 10000, m = a / 100 % 100, day = a % 100;
    } else if (la == 4 && lb == 4 && s1 == '/') { /* /2023/0508/ */
      y = a, m = b / 100, day = b % 100;
    } else if (la == 6 && lb == 2 && s1 == '/') { /* /202305/08/ */
      y = a / 100, m = a % 100, day = b;
    } else if (la == 4 && (lb == 1 || lb == 2) && (ld == 1 || ld == 2)) {
      y = a, m = b, day = d; /* /2023-05/08/, /2023/5/8/ */
    } else {
      continue;
    }
    if (y < 1990 || y > 2100 || !mw_civil_valid(y, m, day, 0, 0, 0)) continue;
    return mw_time_from_civil(y, m, day, 0, 0, 0, offset_s);
  }
  return MW_TIME_UNKNOWN;
}

/* -------------------------------------------------------- the flat text */

struct flat {
  struct mw_buf b;
  size_t t0, t1, b0, b1; /* title heading and body element; SIZE_MAX none */
};

static void put(struct flat *f, char ch, int *rc) {
  if (*rc) return;
  size_t n = f->b.len;
  char last = n ? f->b.data[n - 1] : '\n';
  if (ch == '\n' && last == '\n') return;
  if (ch == '\t' && (last == '\t' || last == '\n')) return;
  if (ch == ' ' && (last == ' ' || last == '\t' || last == '\n')) return;
  if ((ch == '\n' || ch == '\t') && last == ' ') f->b.data[--f->b.len] = '\0';
  *rc = mw_buf_putc(&f->b, ch);
}

/* Bytes that may start white space: ASCII space characters and the lead
 * bytes of U+00A0 and U+3000. */
static bool may_space(unsigned char b) {
  return b <= ' ' || b == 0xC2 || b == 0xE3;
}

static void put_text(struct flat *f, const char *s, size_t n, int *rc) {
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0; i < n && !*rc;) {
    size_t k = space_at(u + i, n - i);
    if (!k) {
      size_t j = i + 1;
      while (j < n && (!may_space(u[j]) || !space_at(u + j, n - j))) j++;
      *rc = mw_buf_append(&f->b, s + i, j - i);
      i = j;
      continue;
    }
    bool hard = false;
    while (i < n && (k = space_at(u + i, n - i))) {
      if (k > 1) hard = true; /* &nbsp; or full-width: a visible gap */
      i += k;
    }
    put(f, hard ? '\t' : ' ', rc);
  }
}

static bool is_cell(const struct mw_html_node *n) {
  return n->tag[0] == 't' && (n->tag[1] == 'd' || n->tag[1] == 'h') &&
         !n->tag[2];
}

static bool is_line_block(const struct mw_html_node *n) {
  static const char *const B[] = {"p", "div", "br", "li", "h1", "h2", "h3",
                                  "h4", "h5", "h6", "tr", "table", "ul", "ol",
                                  "dl", "dt", "dd", "section", "article",
                                  "header", "footer", "center", "form", NULL};
  for (const char *const *b = B; *b; b++)
    if ((*b)[0] == n->tag[0] && !strcmp(*b, n->tag)) return true;
  return false;
}

static void mark(struct flat *f, const struct mw_xctx *c,
                 const struct mw_html_node *n, bool enter) {
  if (n == c->title_node) *(enter ? &f->t0 : &f->t1) = f->b.len;
  if (n == c->body_node) *(enter ? &f->b0 : &f->b1) = f->b.len;
}

static int flatten(const struct mw_xctx *c, struct flat *f) {
  const struct mw_html_node *root = c->doc->body ? c->doc->body : c->doc->root;
  int rc = mw_buf_append(&f->b, "", 0);
  const struct mw_html_node *cur = root->first_child;
  while (cur && !rc) {
    if (cur->kind == MW_HTML_TEXT) {
      put_text(f, cur->text, cur->text_len, &rc);
    } else {
      mark(f, c, cur, true);
      if (is_line_block(cur)) put(f, '\n', &rc);
      else if (is_cell(cur)) put(f, '\t', &rc);
      if (cur->first_child) {
        cur = cur->first_child;
        continue;
      }
    }
    while (cur && cur != root) {
      if (cur->kind == MW_HTML_ELEMENT) {
        if (is_line_block(cur)) put(f, '\n', &rc);
        else if (is_cell(cur)) put(f, '\t', &rc);
        mark(f, c, cur, false);
      }
      if (cur->next) {
        cur = cur->next;
        break;
      }
      cur = cur->parent;
    }
    if (cur == root) break;
  }
  return rc;
}

/* -------------------------------------------------------------- labels */

/* Where the value of label starts in s[from, to): after the label, a
 * colon (or, when gap_ok, a cell or &nbsp; gap; when space_ok, a plain
 * space), then any spaces and at most one line break. */
static size_t label_value(const char *s, size_t from, size_t to,
                          const char *label, bool gap_ok, bool space_ok,
                          size_t *at) {
  size_t k = strlen(label);
  for (size_t i = from; i + k <= to; i++) {
    const char *hit = memmem(s + i, to - i, label, k);
    if (!hit) break;
    i = (size_t)(hit - s);
    size_t j = i + k;
    while (j < to && s[j] == ' ') j++;
    bool ok = false;
    if (j < to && s[j] == ':') j++, ok = true;
    else if (j + 3 <= to && !memcmp(s + j, "：", 3)) j += 3, ok = true;
    else if (gap_ok && j < to && s[j] == '\t') ok = true;
    else if (space_ok && j > i + k) ok = true;
    else if (label[k - 1] == '/') ok = true; /* 文/张三 */
    if (!ok) continue;
    while (j < to && (s[j] == ' ' || s[j] == '\t')) j++;
    if (j < to && s[j] == '\n') j++;
    while (j < to && (s[j] == ' ' || s[j] == '\t')) j++;
    *at = j;
    return i;
  }
  return SIZE_MAX;
}

static const char *const STOP_WORDS[] = {
    "作者", "记者", "编辑", "责任", "责编", "来源", "稿源", "发布", "时间", "日期",
    "点击", "浏览", "阅读", "字号", "字体", "分享", "打印", "通讯员", "摄影",
    "审核", "校对", "更新", "发文", NULL};

static const char *const STOP_CHARS[] = {
    "|", "｜", ")", "）", "]", "】", "(", "（", "[", "【", "，", ",", "；",
    ";", "。", "〔", "<", ">", "》", NULL};

static size_t starts_any(const char *s, size_t n, const char *const *list) {
  for (const char *const *w = list; *w; w++) {
    size_t k = strlen(*w);
    if (n >= k && !memcmp(s, *w, k)) return k;
  }
  return 0;
}

enum vkind { V_OUTLET, V_NAMES };

/* The value starting at s[at]: up to a gap, line, stop character or the
 * next label; outlets also stop at a space (but keep "China Daily") and
 * before a date. Trimmed; NULL when empty or longer than a name. */
static const char *value_at(struct mw_xctx *c, const char *s, size_t at,
                            size_t to, enum vkind kind) {
  if (kind == V_NAMES) {
    /* "本报记者 张三": the name, not the byline's wording */
    static const char *const BYLINE[] = {"本报记者", "本报通讯员", "记者",
                                         "本报", NULL};
    size_t k = starts_any(s + at, to - at, BYLINE);
    if (k) {
      at += k;
      while (at < to && (s[at] == ' ' || s[at] == '\t')) at++;
    }
  }
  size_t i = at;
  while (i < to) {
    char ch = s[i];
    if (ch == '\n' || ch == '\t') break;
    if (starts_any(s + i, to - i, STOP_CHARS)) break;
    if (i > at && starts_any(s + i, to - i, STOP_WORDS)) break;
    if (ch == ' ') {
      char prev = s[i - 1], next = i + 1 < to ? s[i + 1] : '\0';
      bool ascii_words = (mw_ascii_isalpha((unsigned char)prev) ||
                          mw_ascii_isdigit((unsigned char)prev)) &&
                         mw_ascii_isalpha((unsigned char)next);
      if (kind == V_OUTLET && !ascii_words) break;
      if (kind == V_NAMES &&
          (mw_ascii_isdigit((unsigned char)next) ||
           starts_any(s + i + 1, to - i - 1, STOP_WORDS)))
        break;
    }
    struct civil cv;
    if (mw_ascii_isdigit((unsigned char)ch) && date_len(s + i, to - i, &cv))
      break;
    i++;
  }
  size_t e = i;
  while (e > at && (s[e - 1] == ' ' || s[e - 1] == ':')) e--;
  if (e - at >= 3 && !memcmp(s + e - 3, "：", 3)) e -= 3;
  if (e == at || mw_x_utf8_chars(s + at, e - at) > MW_X_NAME_MAX) return NULL;
  return mw_x_collapse(c->arena, s + at, e - at);
}

/* The earliest of labels in s[from, to) with a value. */
static const char *labelled(struct mw_xctx *c, const char *s, size_t from,
                            size_t to, const char *const *labels, bool gap_ok,
                            enum vkind kind) {
  const char *best = NULL;
  size_t best_at = SIZE_MAX;
  for (const char *const *l = labels; *l; l++) {
    size_t p = from;
    for (;;) {
      size_t at, hit = label_value(s, p, to, *l, gap_ok, false, &at);
      if (hit == SIZE_MAX || hit >= best_at) break;
      const char *v = value_at(c, s, at, to, kind);
      if (v) {
        best = v;
        best_at = hit;
        break;
      }
      p = hit + 1;
    }
  }
  return best;
}

/* ----------------------------------------------------------- the fields */

struct span {
  size_t from, to;
};

static const char *const TIME_LABELS[] = {
    "发布时间", "发布日期", "发表时间", "发表日期", "发文日期", "留言时间",
    "时间", "日期", "成文日期", "更新时间", NULL};

static int64_t time_labelled(const char *s, struct span w, int off,
                             bool high_only) {
  for (const char *const *l = TIME_LABELS; *l; l++) {
    if (high_only && l - TIME_LABELS >= 5) break;
    size_t p = w.from, at;
    while (label_value(s, p, w.to, *l, true, false, &at) != SIZE_MAX) {
      size_t end = at + 48 < w.to ? at + 48 : w.to;
      int64_t t = mw_x_date_in(s + at, end - at, off);
      if (t != MW_TIME_UNKNOWN) return t;
      p = at;
    }
  }
  return MW_TIME_UNKNOWN;
}

static bool date_only(const char *s) {
  return !strchr(s, ':') && !strstr(s, "：") && !strstr(s, "时");
}

static int64_t parse_declared(const char *s, int off) {
  int64_t t;
  if (!s) return MW_TIME_UNKNOWN;
  size_t n = strlen(s);
  int64_t t2 = mw_x_date_in(s, n, off);
  if (mw_date_parse(s, n, off, &t) != MW_OK) return t2;
  /* a time date.c stopped short of ("2023-05-18-09:30:12" read as the
   * day): the scanner's reading of the same day, with its time */
  if (t2 != MW_TIME_UNKNOWN && t2 > t && t2 - t < 86400) return t2;
  return t;
}

static void pick_time(struct mw_xctx *c, const char *s, size_t len,
                      struct span w1, struct span w0) {
  struct mw_extracted *x = c->x;
  const struct mw_xmeta *m = &c->meta;
  int off = c->offset_s;
  struct {
    const char *v;
    const char *from;
  } declared[] = {{m->pubdate, "meta PubDate"},
                  {m->og_time, "article:published_time"},
                  {m->ld_date, "JSON-LD datePublished"},
                  {m->item_date, "itemprop datePublished"}};
  const char *dv = NULL;
  for (size_t i = 0; i < sizeof declared / sizeof declared[0]; i++) {
    int64_t t = parse_declared(declared[i].v, off);
    if (t != MW_TIME_UNKNOWN) {
      x->published = t, x->time_from = declared[i].from, dv = declared[i].v;
      break;
    }
  }
  if (x->published == MW_TIME_UNKNOWN && m->wechat_ct != MW_TIME_UNKNOWN)
    x->published = m->wechat_ct, x->time_from = "WeChat ct";
  if (x->published == MW_TIME_UNKNOWN && c->time_el) {
    int64_t t = parse_declared(mw_html_attr(c->time_el, "datetime"), off);
    if (t != MW_TIME_UNKNOWN) x->published = t, x->time_from = "<time datetime>";
  }
  if (x->published != MW_TIME_UNKNOWN && !(dv && date_only(dv))) return;

  /* the page's own line: labelled, then any date, near the title */
  const char *from = "labelled line";
  int64_t t = time_labelled(s, w1, off, false);
  if (t == MW_TIME_UNKNOWN) t = time_labelled(s, w0, off, false);
  if (t == MW_TIME_UNKNOWN) {
    from = "date near the title";
    t = mw_x_date_in(s + w1.from, w1.to - w1.from, off);
    if (t == MW_TIME_UNKNOWN) t = mw_x_date_in(s + w0.from, w0.to - w0.from, off);
  }
  if (t == MW_TIME_UNKNOWN) {
    from = "labelled line";
    t = time_labelled(s, (struct span){w0.from, len}, off, true);
  }
  if (x->published != MW_TIME_UNKNOWN) {
    /* a declared date without a time: the page's line may add the time */
    if (t != MW_TIME_UNKNOWN && t >= x->published &&
        t < x->published + 86400)
      x->published = t, x->time_from = from;
    return;
  }
  if (t != MW_TIME_UNKNOWN) {
    x->published = t, x->time_from = from;
    return;
  }
  t = mw_x_url_date(c->url, off);
  if (t != MW_TIME_UNKNOWN) x->published = t, x->time_from = "date in URL";
}

static const char *const ORIGIN_LABELS[] = {"来源", "稿源", NULL};
static const char *const ISSUER_LABELS[] = {"发布机构", NULL};
static const char *const AUTHOR_LABELS[] = {"作者", "记者", "文/", NULL};
static const char *const EDITOR_LABELS[] = {"责任编辑", "责编", NULL};
static const char *const EDITOR2_LABELS[] = {"编辑", NULL};

const char *mw_x_origin_in(struct mw_xctx *c, const char *s, size_t len) {
  const char *v = labelled(c, s, 0, len, ORIGIN_LABELS, true, V_OUTLET);
  if (v) return v;
  size_t i = 0;
  while (i < len && space_at((const unsigned char *)s + i, len - i))
    i += space_at((const unsigned char *)s + i, len - i);
  return value_at(c, s, i, len, V_OUTLET);
}

/* Search order for a label: after the title up to the body, just before
 * the title, then the rest of the page from the title on. */
static const char *search(struct mw_xctx *c, const char *s, size_t len,
                          struct span w1, struct span w0,
                          const char *const *labels, enum vkind kind,
                          size_t rest_to) {
  const char *v = labelled(c, s, w1.from, w1.to, labels, true, kind);
  if (!v) v = labelled(c, s, w0.from, w0.to, labels, true, kind);
  if (!v) v = labelled(c, s, w0.to, rest_to < len ? rest_to : len, labels,
                       false, kind);
  return v;
}

/* "记者 张三": the one label that may be followed by a plain space. */
static const char *reporter(struct mw_xctx *c, const char *s, struct span w) {
  size_t at, p = w.from;
  while (label_value(s, p, w.to, "记者", true, true, &at) != SIZE_MAX) {
    const char *v = value_at(c, s, at, w.to, V_NAMES);
    if (v) return v;
    p = at;
  }
  return NULL;
}

int mw_x_fields(struct mw_xctx *c) {
  struct flat f;
  mw_buf_init(&f.b, c->len * 2 + 1024);
  f.t0 = f.t1 = f.b0 = f.b1 = SIZE_MAX;
  int rc = flatten(c, &f);
  if (rc) {
    mw_buf_cleanup(&f.b);
    return rc;
  }
  const char *s = f.b.data;
  size_t len = f.b.len;
  if (f.t1 == SIZE_MAX) f.t0 = SIZE_MAX;
  if (f.b1 == SIZE_MAX) f.b0 = SIZE_MAX;

  /* w1: from the title to the body (or 600 bytes); w0: the 600 bytes
   * before the title (a 政府信息公开 table, a 数字报 edition line) */
  struct span w1, w0;
  if (f.t0 != SIZE_MAX) {
    w1.from = f.t1;
    w1.to = f.b0 != SIZE_MAX && f.b0 >= f.t1 ? f.b0 : f.t1 + 600;
    w0.from = f.t0 > 600 ? f.t0 - 600 : 0;
    w0.to = f.t0;
  } else if (f.b0 != SIZE_MAX) {
    w1.from = f.b0 > 600 ? f.b0 - 600 : 0;
    w1.to = f.b0;
    w0 = (struct span){w1.from, w1.from};
  } else {
    w1 = (struct span){0, 2000};
    w0 = (struct span){0, 0};
  }
  if (w1.to > len) w1.to = len;
  /* a gap where the body sits inside the title's element */
  if (w1.to < w1.from) w1.to = w1.from;

  pick_time(c, s, len, w1, w0);

  struct mw_extracted *x = c->x;
  const struct mw_xmeta *m = &c->meta;
  size_t body_end = f.b1 != SIZE_MAX ? f.b1 : len;
  if (m->content_source) {
    x->origin = (char *)m->content_source, x->origin_from = "meta ContentSource";
  } else if ((x->origin = (char *)search(c, s, len, w1, w0, ORIGIN_LABELS,
                                         V_OUTLET, body_end + 600))) {
    x->origin_from = "来源 line";
  } else if (m->source &&
             (x->origin = (char *)mw_x_origin_in(c, m->source,
                                                 strlen(m->source)))) {
    x->origin_from = "meta source";
  } else if (m->ld_publisher) {
    x->origin = (char *)m->ld_publisher, x->origin_from = "JSON-LD publisher";
  } else if ((x->origin = (char *)labelled(c, s, 0, body_end, ISSUER_LABELS,
                                           true, V_OUTLET))) {
    x->origin_from = "发布机构";
  } else if (c->js_name) {
    char *t = mw_x_node_text(c, c->js_name);
    if (t) x->origin = t, x->origin_from = "WeChat account";
  }

  struct span head = {w1.from, w1.to};
  const char *a = labelled(c, s, head.from, head.to, AUTHOR_LABELS, true,
                           V_NAMES);
  if (!a) a = reporter(c, s, w1);
  if (!a) a = labelled(c, s, w0.from, w0.to, AUTHOR_LABELS, true, V_NAMES);
  if (!a && f.b0 != SIZE_MAX)
    a = labelled(c, s, f.b0, f.b0 + 200 < len ? f.b0 + 200 : len,
                 AUTHOR_LABELS, false, V_NAMES);
  if (a) x->author = (char *)a;
  else if (m->ld_author) x->author = (char *)m->ld_author;

  const char *e = search(c, s, len, w1, w0, EDITOR_LABELS, V_NAMES,
                         body_end + 600);
  if (!e) e = search(c, s, len, w1, w0, EDITOR2_LABELS, V_NAMES,
                     body_end + 600);
  if (e) x->editor = (char *)e;
  mw_buf_cleanup(&f.b);
  return MW_OK;
}
