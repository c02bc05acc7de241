/*
 * feed_text.c: reducing the HTML and entities of feed fields to plain text.
 *
 * Feed titles and descriptions carry escaped HTML ("&lt;p&gt;..."), CDATA
 * with HTML, or plain text. This is the one small pass that turns each into
 * text for matching and display: tags are stripped (block tags become line
 * breaks, <script> and <style> lose their content), entities are decoded
 * (HTML 4 names through libxml2's table, numeric references with the
 * windows-1252 repair browsers make), whitespace collapses. No HTML parser
 * is built per field: the whole feed must parse at tens of megabytes a
 * second.
 *
 * What it leaves to others: deciding which fields are HTML (feed.c), and
 * Unicode normalisation for matching (matchers/).
 */
#include <string.h>

#include <libxml/HTMLparser.h>

#include "crawler/feed_internal.h"

/* ------------------------------------------------------------- entities */

static size_t utf8_put(uint32_t cp, char *out) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* The names feeds use most, checked before libxml2's linear table. */
static const struct {
  const char *name;
  uint32_t cp;
} common_entities[] = {
    {"amp", '&'},       {"lt", '<'},       {"gt", '>'},       {"quot", '"'},
    {"apos", '\''},     {"nbsp", 0xA0},    {"mdash", 0x2014}, {"ndash", 0x2013},
    {"ldquo", 0x201C},  {"rdquo", 0x201D}, {"lsquo", 0x2018}, {"rsquo", 0x2019},
    {"hellip", 0x2026}, {"middot", 0xB7},  {"bull", 0x2022},  {"copy", 0xA9},
};

size_t mw_feedtext_entity(const char *name, size_t n, char out[4]) {
  if (n == 0 || n > 31) return 0;
  for (size_t i = 0; i < sizeof common_entities / sizeof common_entities[0];
       i++)
    if (strlen(common_entities[i].name) == n &&
        memcmp(common_entities[i].name, name, n) == 0)
      return utf8_put(common_entities[i].cp, out);
  char tmp[32];
  memcpy(tmp, name, n);
  tmp[n] = '\0';
  const htmlEntityDesc *d = htmlEntityLookup((const xmlChar *)tmp);
  if (!d || d->value == 0) return 0;
  return utf8_put(d->value, out);
}

/* windows-1252 for the C1 range: "&#150;" means an en dash on the web. */
static uint32_t repair_c1(uint32_t cp) {
  static const uint16_t w1252[32] = {
      0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
      0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
      0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
      0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
  if (cp >= 0x80 && cp <= 0x9F) return w1252[cp - 0x80];
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0xFFFD;
  return cp;
}

static bool is_alnum(unsigned char c) {
  return mw_ascii_isalpha(c) || mw_ascii_isdigit(c);
}

static int hexval(unsigned char c) {
  if (mw_ascii_isdigit(c)) return c - '0';
  c = mw_ascii_tolower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* Decodes the reference at s[0] == '&' within s[0..n). Returns the bytes
 * consumed (0 when it is not a reference: a bare '&') and the code point. */
static size_t decode_ref(const unsigned char *s, size_t n, uint32_t *cp,
                         char *utf8, size_t *utf8_len) {
  size_t i = 1;
  *utf8_len = 0;
  if (i < n && s[i] == '#') {
    i++;
    bool hex = i < n && (s[i] == 'x' || s[i] == 'X');
    if (hex) i++;
    size_t start = i;
    uint32_t v = 0;
    while (i < n && i - start < 8) {
      int d = hex ? hexval(s[i]) : (mw_ascii_isdigit(s[i]) ? s[i] - '0' : -1);
      if (d < 0) break;
      v = v * (hex ? 16 : 10) + (uint32_t)d;
      i++;
    }
    if (i == start) return 0;
    if (i < n && s[i] == ';') i++;
    *cp = repair_c1(v);
    *utf8_len = utf8_put(*cp, utf8);
    return i;
  }
  size_t start = i;
  while (i < n && i - start < 32 && is_alnum(s[i])) i++;
  size_t len = i - start;
  if (len == 0) return 0;
  if (i < n && s[i] == ';') {
    size_t k = mw_feedtext_entity((const char *)s + start, len, utf8);
    if (!k) return 0;
    *utf8_len = k;
    i++;
  } else {
    /* Browsers accept a few legacy names without ';' ("&amp", "&nbsp"). */
    static const char *const legacy[] = {"amp", "lt", "gt", "quot", "nbsp"};
    size_t k = 0;
    for (size_t j = 0; j < sizeof legacy / sizeof legacy[0] && !k; j++)
      if (strlen(legacy[j]) == len && memcmp(legacy[j], s + start, len) == 0)
        k = mw_feedtext_entity(legacy[j], len, utf8);
    if (!k) return 0;
    *utf8_len = k;
  }
  /* the code point, for whitespace decisions */
  unsigned char b0 = (unsigned char)utf8[0];
  *cp = b0 < 0x80          ? b0
        : (*utf8_len == 2) ? (uint32_t)(((b0 & 0x1F) << 6) | (utf8[1] & 0x3F))
                           : 0x10000; /* anything that is not whitespace */
  return i;
}

/* ----------------------------------------------------------------- tags */

/* Tags after which text continues on a new line. */
static bool is_block_tag(const unsigned char *name, size_t n) {
  /* Grouped by first letter: this runs for every tag of every field. */
  static const char *const blocks[26] = {
      ['a' - 'a'] = "article aside address",
      ['b' - 'a'] = "br blockquote",
      ['c' - 'a'] = "center caption",
      ['d' - 'a'] = "div dl dt dd details",
      ['f' - 'a'] = "footer figure figcaption form",
      ['h' - 'a'] = "h1 h2 h3 h4 h5 h6 hr header",
      ['l' - 'a'] = "li",
      ['m' - 'a'] = "main",
      ['n' - 'a'] = "nav",
      ['o' - 'a'] = "ol",
      ['p' - 'a'] = "p pre",
      ['s' - 'a'] = "section summary",
      ['t' - 'a'] = "tr table tbody thead",
      ['u' - 'a'] = "ul",
  };
  if (n == 0 || n > 10 || !mw_ascii_isalpha(name[0])) return false;
  const char *list = blocks[mw_ascii_tolower(name[0]) - 'a'];
  while (list && *list) {
    const char *end = strchr(list, ' ');
    size_t len = end ? (size_t)(end - list) : strlen(list);
    if (len == n && mw_ascii_ncasecmp((const char *)name, list, n) == 0)
      return true;
    list = end ? end + 1 : NULL;
  }
  return false;
}

bool mw_feedtext_is_block(const char *name, size_t n) {
  return is_block_tag((const unsigned char *)name, n);
}

bool mw_feedtext_is_hidden(const char *name, size_t n) {
  return (n == 6 && mw_ascii_ncasecmp(name, "script", 6) == 0) ||
         (n == 5 && mw_ascii_ncasecmp(name, "style", 5) == 0);
}

/* Cells and images separate words without breaking the line. */
static bool is_spacing_tag(const unsigned char *name, size_t n) {
  return (n == 2 && (mw_ascii_ncasecmp((const char *)name, "td", 2) == 0 ||
                     mw_ascii_ncasecmp((const char *)name, "th", 2) == 0)) ||
         (n == 3 && mw_ascii_ncasecmp((const char *)name, "img", 3) == 0);
}

/* Position just past the '>' closing the tag that starts at s[i] == '<',
 * honouring quoted attribute values; n when unterminated. */
static size_t skip_tag(const unsigned char *s, size_t n, size_t i) {
  unsigned char quote = 0;
  for (i++; i < n; i++) {
    unsigned char c = s[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return i + 1;
    }
  }
  return n;
}

/* Finds needle (ASCII, lower case) in s[i..n) ignoring case; returns its
 * position or n. */
static size_t find_ci(const unsigned char *s, size_t n, size_t i,
                      const char *needle) {
  size_t m = strlen(needle);
  for (; i + m <= n; i++) {
    if (mw_ascii_tolower(s[i]) == (unsigned char)needle[0] &&
        mw_ascii_ncasecmp((const char *)s + i, needle, m) == 0)
      return i;
  }
  return n;
}

/* --------------------------------------------------------------- reduce */

struct out {
  char *p;
  size_t len;
  bool any;   /* something visible was written */
  bool space; /* a space is pending */
  bool brk;   /* a line break is pending */
  bool one_line;
};

static void put_pending(struct out *o) {
  if (o->any && (o->brk || o->space))
    o->p[o->len++] = (o->brk && !o->one_line) ? '\n' : ' ';
  o->brk = o->space = false;
}

static void put_bytes(struct out *o, const void *b, size_t n) {
  put_pending(o);
  memcpy(o->p + o->len, b, n);
  o->len += n;
  o->any = true;
}

/* Bytes that need a decision; everything else is copied as is. */
enum { C_TEXT, C_SPACE, C_LT, C_AMP, C_BREAK, C_C2, C_NL };

static const unsigned char byte_class[256] = {
    [' '] = C_SPACE,
    ['\t'] = C_SPACE,
    ['\r'] = C_SPACE,
    ['\f'] = C_SPACE,
    ['\v'] = C_SPACE,
    ['\n'] = C_NL,
    ['<'] = C_LT,
    ['&'] = C_AMP,
    [(unsigned char) MW_TEXT_BREAK] = C_BREAK,
    [0xC2] = C_C2,
};

/* Skips eight bytes at a time while none of them needs a decision in
 * HTML mode (CJK text is long runs of such bytes): none below 0x21 (spaces,
 * controls, MW_TEXT_BREAK), no '<', '&' or 0xC2. Returns where the scan
 * stopped; the byte loop finishes the run. */
static size_t plain_run(const unsigned char *s, size_t n, size_t i) {
  const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  while (i + 8 <= n) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    uint64_t low = (w - ones * 0x21) & ~w & highs; /* a byte < 0x21 */
    uint64_t lt = w ^ (ones * '<'), amp = w ^ (ones * '&'),
             c2 = w ^ (ones * 0xC2);
    uint64_t zero =
        ((lt - ones) & ~lt) | ((amp - ones) & ~amp) | ((c2 - ones) & ~c2);
    if (low | (zero & highs)) break;
    i += 8;
  }
  return i;
}

size_t mw_feedtext_reduce(const char *in, size_t n, unsigned flags,
                          char *outbuf) {
  const unsigned char *s = (const unsigned char *)in;
  const bool html = flags & MW_TEXT_HTML;
  struct out o = {outbuf, 0, false, false, false, (flags & MW_TEXT_ONE_LINE)};
  size_t i = 0;
  while (i < n) {
    size_t run = i;
    unsigned char cls;
    if (html) {
      i = plain_run(s, n, i);
      while (i < n && byte_class[s[i]] == C_TEXT) i++;
    } else {
      while (i < n &&
             (byte_class[s[i]] == C_TEXT || s[i] == '<' || s[i] == '&'))
        i++;
    }
    cls = i < n ? byte_class[s[i]] : C_TEXT;
    if (i > run) put_bytes(&o, s + run, i - run);
    if (i >= n) break;
    switch (cls) {
      case C_SPACE:
        o.space = true;
        i++;
        break;
      case C_NL:
        /* In plain text a newline is a line break; in HTML, a space. */
        if (html)
          o.space = true;
        else
          o.brk = true;
        i++;
        break;
      case C_BREAK:
        o.brk = true;
        i++;
        break;
      case C_C2:
        if (i + 1 < n && s[i + 1] == 0xA0) { /* NBSP */
          o.space = true;
          i += 2;
        } else {
          put_bytes(&o, s + i, 1);
          i++;
        }
        break;
      case C_AMP: {
        uint32_t cp;
        char u[4];
        size_t ulen;
        size_t k = decode_ref(s + i, n - i, &cp, u, &ulen);
        if (k == 0) {
          put_bytes(&o, "&", 1);
          i++;
        } else {
          if (cp == 0xA0 || cp == ' ' || cp == '\t' || cp == '\r')
            o.space = true;
          else if (cp == '\n')
            o.space = true;
          else
            put_bytes(&o, u, ulen);
          i += k;
        }
        break;
      }
      case C_LT: {
        unsigned char c1 = i + 1 < n ? s[i + 1] : 0;
        if (c1 == '!') {
          if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
            size_t e = i + 4;
            while (e + 3 <= n && memcmp(s + e, "-->", 3) != 0) e++;
            i = e + 3 <= n ? e + 3 : n;
          } else if (n - i >= 9 && memcmp(s + i, "<![CDATA[", 9) == 0) {
            /* CDATA inside escaped HTML: its content is text */
            size_t e = i + 9;
            while (e + 3 <= n && memcmp(s + e, "]]>", 3) != 0) e++;
            size_t stop = e + 3 <= n ? e : n;
            for (size_t j = i + 9; j < stop; j++) {
              if (mw_ascii_isspace(s[j]))
                o.space = true;
              else
                put_bytes(&o, s + j, 1);
            }
            i = e + 3 <= n ? e + 3 : n;
          } else {
            i = skip_tag(s, n, i);
          }
          break;
        }
        if (c1 == '?') {
          i = skip_tag(s, n, i);
          break;
        }
        size_t name = i + 1 + (c1 == '/');
        size_t e = name;
        while (e < n && is_alnum(s[e])) e++;
        if (e == name || !mw_ascii_isalpha(s[name])) {
          put_bytes(&o, "<", 1); /* "a < b" in HTML is text */
          i++;
          break;
        }
        size_t nlen = e - name;
        bool closing = c1 == '/';
        size_t after = skip_tag(s, n, i);
        if (!closing && ((nlen == 6 && mw_ascii_ncasecmp((const char *)s + name,
                                                         "script", 6) == 0) ||
                         (nlen == 5 && mw_ascii_ncasecmp((const char *)s + name,
                                                         "style", 5) == 0))) {
          const char *endtag = nlen == 6 ? "</script" : "</style";
          size_t close = find_ci(s, n, after, endtag);
          after = close < n ? skip_tag(s, n, close) : n;
          o.space = true;
        } else if (is_block_tag(s + name, nlen)) {
          o.brk = true;
        } else if (is_spacing_tag(s + name, nlen)) {
          o.space = true;
        }
        i = after;
        break;
      }
      default: i++; break;
    }
  }
  outbuf[o.len] = '\0';
  return o.len;
}

/* Start tags that mark RSS text as HTML when followed by '>', ' ' or '/'. */
static bool is_html_start_tag(const unsigned char *name, size_t n) {
  static const char *const tags[] = {
      "p",          "br",     "b",      "i",     "a",      "img",   "div",
      "span",       "strong", "em",     "font",  "hr",     "ul",    "ol",
      "li",         "table",  "u",      "h1",    "h2",     "h3",    "h4",
      "blockquote", "pre",    "script", "style", "iframe", "center"};
  for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
    if (strlen(tags[i]) == n &&
        mw_ascii_ncasecmp((const char *)name, tags[i], n) == 0)
      return true;
  return false;
}

bool mw_feedtext_looks_like_html(const char *str, size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  for (size_t i = 0; i < n; i++) {
    /* most text has neither byte: let memchr skip it */
    const unsigned char *lt = memchr(s + i, '<', n - i);
    const unsigned char *amp =
        memchr(s + i, '&', (lt ? (size_t)(lt - s) : n) - i);
    const unsigned char *hit = amp ? amp : lt;
    if (!hit) return false;
    i = (size_t)(hit - s);
    if (s[i] == '<' && i + 1 < n) {
      size_t j = i + 1;
      if (s[j] == '/') j++;
      size_t e = j;
      while (e < n && is_alnum(s[e])) e++;
      if (e == j || !mw_ascii_isalpha(s[j]) || e >= n) continue;
      if (j == i + 2 && s[e] == '>') return true; /* a closing tag */
      if ((s[e] == '>' || s[e] == ' ' || s[e] == '/') &&
          is_html_start_tag(s + j, e - j))
        return true;
    } else if (s[i] == '&') {
      uint32_t cp;
      char u[4];
      size_t ulen;
      size_t k = decode_ref(s + i, n - i, &cp, u, &ulen);
      if (k > 0 && s[i + k - 1] == ';') return true;
    }
  }
  return false;
}

const char *mw_feedtext_trim(const char *s, size_t *n) {
  size_t len = *n;
  while (len && mw_ascii_isspace((unsigned char)*s)) {
    s++;
    len--;
  }
  while (len && mw_ascii_isspace((unsigned char)s[len - 1])) len--;
  *n = len;
  return s;
}

size_t mw_feedtext_utf8_cut(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  if (n == 0) return 0;
  size_t lead = n;
  while (lead > 0 && (u[lead - 1] & 0xC0) == 0x80 && n - lead < 3) lead--;
  if (lead == 0) return n; /* no lead byte: not UTF-8 anyway */
  unsigned char c = u[lead - 1];
  size_t need = c < 0x80    ? 1
                : c >= 0xF0 ? 4
                : c >= 0xE0 ? 3
                : c >= 0xC0 ? 2
                            : 1;
  return n - (lead - 1) >= need ? n : lead - 1;
}

size_t mw_feedtext_clean_line(char *s) {
  unsigned char *u = (unsigned char *)s;
  size_t r = 0, w = 0;
  while (u[r]) {
    unsigned char c = u[r];
    size_t need = c < 0x80                 ? 0
                  : c >= 0xF0 && c <= 0xF4 ? 3
                  : c >= 0xE0              ? 2
                  : c >= 0xC2 && c <= 0xDF ? 1
                                           : 9;
    if (need == 9) { /* not a lead byte */
      r++;
      continue;
    }
    size_t k = 1;
    while (k <= need && (u[r + k] & 0xC0) == 0x80) k++;
    if (k <= need) { /* truncated sequence */
      r += k;
      continue;
    }
    if (c < 0x20 || c == 0x7F) {
      if (w && u[w - 1] != ' ') u[w++] = ' ';
      r++;
      continue;
    }
    for (size_t j = 0; j <= need; j++) u[w++] = u[r++];
  }
  while (w && u[w - 1] == ' ') w--;
  u[w] = '\0';
  return w;
}
