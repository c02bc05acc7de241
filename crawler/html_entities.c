/*
 * html_entities.c: the pieces of markup libxml2 2.9's HTML parser reads
 * without looking at its stack of open elements, read exactly as it reads
 * them, for the tokenizer of html_tok.c, whose trees must equal the ones
 * html.c builds from that parser: character references (&amp; &#20013;
 * &#x4E2D;) and the names around them, tag and attribute names, comments,
 * processing instructions, DOCTYPE declarations, and runs of plain text.
 *
 * The rules, all checked against libxml2 by tests/crawler/test_html_tok.c:
 * a named reference needs its ';' and a name from the HTML 4 table
 * (case-sensitive: &AMP; stays text); an unknown or unterminated one stays
 * as written ("&bogus;", "&amp x"); a '&' starting no name stays a '&'. A
 * numeric reference takes the digits that follow ("&#65a" is "Aa"), its ';'
 * being optional, and yields nothing when the number is no XML character
 * (&#0; &#1; &#xD800; &#1114112;, or no digits at all: "&#;" vanishes).
 * Names follow htmlParseName: an ASCII letter, '_' or ':' then letters,
 * digits, '_', '-', ':', '.'; past ASCII, the Unicode letters, digits,
 * combining characters and extenders of XML 1.0 (libxml2's own tables);
 * a name of ASCII running to the end of the page is no name.
 *
 * The names themselves come from libxml2's table (htmlEntityLookup); the
 * few that fill Chinese pages are answered here first.
 *
 * Comments end at the first "-->" or "--!>" after "<!--" ("<!-->" does not
 * end one); a processing instruction at the first '>', a DOCTYPE at the
 * first '>' outside its SYSTEM and PUBLIC literals; unterminated, each runs
 * to the end of the page. What it leaves to others: where each piece may
 * start and what it means for the tree (html_tok.c).
 */
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <string.h>

#include "crawler/html.h"

/* The code point of the UTF-8 sequence at p and its length in *n; 0 with
 * *n = 1 for a byte that starts no valid sequence (pages reach us decoded,
 * so only a caller's bad input gets here, and it then ends the name). */
static unsigned utf8_at(const unsigned char *p, const unsigned char *end,
                        size_t *n) {
  unsigned c = p[0];
  size_t need = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  *n = 1;
  if (c < 0x80) return c;
  if (!need || (size_t)(end - p) <= need) return 0;
  unsigned v = c & (0x3Fu >> need);
  for (size_t k = 1; k <= need; k++) {
    if ((p[k] & 0xC0) != 0x80) return 0;
    v = v << 6 | (p[k] & 0x3F);
  }
  *n = need + 1;
  return v;
}

static bool ascii_name_start(unsigned char c) {
  return mw_ascii_isalpha(c) || c == '_' || c == ':';
}

static bool ascii_name_char(unsigned char c) {
  return mw_ascii_isalpha(c) || mw_ascii_isdigit(c) || c == '_' || c == '-' ||
         c == ':' || c == '.';
}

size_t mw_html_xml_name_len(const unsigned char *p, const unsigned char *end) {
  const unsigned char *q = p;
  if (q >= end) return 0;
  if (*q < 0x80) {
    if (!ascii_name_start(*q)) return 0;
    q++;
    while (q < end && *q < 0x80 && ascii_name_char(*q)) q++;
    /* libxml2 2.9 finds no name in ASCII that runs to the end ("<?xy" at
     * the end of a page is text) */
    if (q >= end) return 0;
  }
  for (;;) {
    while (q < end && *q < 0x80 && ascii_name_char(*q)) q++;
    if (q >= end || *q < 0x80) break;
    /* libxml2's slow path: XML 1.0 letters, digits, combining characters
     * and extenders (the first character must be a letter) */
    size_t n;
    unsigned c = utf8_at(q, end, &n);
    bool ok =
        c && (IS_LETTER(c) ||
              (q > p && (IS_DIGIT(c) || IS_COMBINING(c) || IS_EXTENDER(c))));
    if (!ok) break;
    q += n;
  }
  return (size_t)(q - p);
}

/* XML's Char production: what libxml2 lets a numeric reference produce. */
static bool xml_char(unsigned v) {
  return v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) ||
         (v >= 0xE000 && v <= 0xFFFD) || (v >= 0x10000 && v <= 0x10FFFF);
}

static size_t put_utf8(unsigned v, unsigned char *out) {
  if (v < 0x80) {
    out[0] = (unsigned char)v;
    return 1;
  }
  if (v < 0x800) {
    out[0] = (unsigned char)(0xC0 | v >> 6);
    out[1] = (unsigned char)(0x80 | (v & 0x3F));
    return 2;
  }
  if (v < 0x10000) {
    out[0] = (unsigned char)(0xE0 | v >> 12);
    out[1] = (unsigned char)(0x80 | (v >> 6 & 0x3F));
    out[2] = (unsigned char)(0x80 | (v & 0x3F));
    return 3;
  }
  out[0] = (unsigned char)(0xF0 | v >> 18);
  out[1] = (unsigned char)(0x80 | (v >> 12 & 0x3F));
  out[2] = (unsigned char)(0x80 | (v >> 6 & 0x3F));
  out[3] = (unsigned char)(0x80 | (v & 0x3F));
  return 4;
}

static int hex_digit(unsigned char c) {
  if (mw_ascii_isdigit(c)) return c - '0';
  c = mw_ascii_tolower(c);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* &#...: digits up to the first non-digit, then an optional ';'. */
static void numeric_ref(const unsigned char *p, const unsigned char *end,
                        struct mw_html_ref *r) {
  const unsigned char *q = p + 2;
  bool hex = q < end && (*q == 'x' || *q == 'X');
  unsigned v = 0;
  if (hex) q++;
  for (; q < end && *q != ';'; q++) {
    int d = hex ? hex_digit(*q) : mw_ascii_isdigit(*q) ? *q - '0' : -1;
    if (d < 0) break;
    v = v * (hex ? 16u : 10u) + (unsigned)d;
    if (v > 0x110000) v = 0x110000; /* libxml2 clamps; stays invalid */
  }
  if (q < end && *q == ';') q++;
  r->consumed = (size_t)(q - p);
  if (xml_char(v))
    r->out_len = put_utf8(v, r->out);
  else
    r->none = true;
}

/* The code point of a named reference, or 0. */
static unsigned named_value(const unsigned char *name, size_t n) {
  /* the frequent ones first: libxml2's lookup is a linear scan */
  switch (n) {
    case 2:
      if (name[0] == 'l' && name[1] == 't') return '<';
      if (name[0] == 'g' && name[1] == 't') return '>';
      break;
    case 3:
      if (!memcmp(name, "amp", 3)) return '&';
      break;
    case 4:
      if (!memcmp(name, "nbsp", 4)) return 0xA0;
      if (!memcmp(name, "quot", 4)) return '"';
      break;
    default: break;
  }
  char buf[16];
  if (n >= sizeof buf) return 0; /* longer than any HTML 4 name */
  memcpy(buf, name, n);
  buf[n] = '\0';
  const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)buf);
  return e ? e->value : 0;
}

void mw_html_ref_read(const unsigned char *p, const unsigned char *end,
                      struct mw_html_ref *r) {
  memset(r, 0, sizeof *r);
  if (p + 1 < end && p[1] == '#') {
    numeric_ref(p, end, r);
    return;
  }
  size_t n = mw_html_xml_name_len(p + 1, end);
  const unsigned char *after = p + 1 + n;
  if (n && after < end && *after == ';') {
    unsigned v = named_value(p + 1, n);
    if (v) {
      r->consumed = n + 2;
      r->out_len = put_utf8(v, r->out);
      return;
    }
  }
  /* "&", or "&name" not resolved: both stay as written */
  r->consumed = n + 1;
  r->out_len = n + 1;
  r->verbatim = true;
}

/* ------------------------------------------------------------- markup */

static unsigned char at(const unsigned char *p, const unsigned char *end,
                        size_t k) {
  return (size_t)(end - p) > k ? p[k] : 0;
}

static const unsigned char *skip_blanks(const unsigned char *p,
                                        const unsigned char *end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
  return p;
}

size_t mw_html_name(const unsigned char *p, const unsigned char *end, char *out,
                    bool dot) {
  size_t n = 0;
  if (p >= end) return 0;
  unsigned char c = *p;
  if (!(mw_ascii_isalpha(c) || c == '_' || c == ':' || (dot && c == '.')))
    return 0;
  while (n < MW_HTML_NAME_MAX && p + n < end) {
    c = p[n];
    if (!(mw_ascii_isalpha(c) || mw_ascii_isdigit(c) || c == ':' || c == '-' ||
          c == '_' || (dot && c == '.')))
      break;
    out[n++] = (char)mw_ascii_tolower(c);
  }
  return n;
}

const unsigned char *mw_html_skip_comment(const unsigned char *p,
                                          const unsigned char *end) {
  const unsigned char *q = p + 4;
  while ((q = memchr(q, '-', (size_t)(end - q))) != NULL) {
    if (at(q, end, 1) == '-') {
      if (at(q, end, 2) == '>') return q + 3;
      if (at(q, end, 2) == '!' && at(q, end, 3) == '>') return q + 4;
    }
    q++;
  }
  return end;
}

const unsigned char *mw_html_skip_pi(const unsigned char *p,
                                     const unsigned char *end) {
  const unsigned char *q = p + 2;
  size_t n = mw_html_xml_name_len(q, end);
  if (!n) return q; /* no target: only "<?" goes */
  q = memchr(q + n, '>', (size_t)(end - q - n));
  return q ? q + 1 : end;
}

/* Case-insensitive ASCII word at p. */
static bool at_word(const unsigned char *p, const unsigned char *end,
                    const char *w) {
  for (size_t i = 0; w[i]; i++)
    if ((at(p, end, i) & 0xDF) != w[i]) return false;
  return true;
}

bool mw_html_at_doctype(const unsigned char *p, const unsigned char *end) {
  return at(p, end, 0) == '<' && at(p, end, 1) == '!' &&
         at_word(p + 2, end, "DOCTYPE");
}

static const unsigned char *literal(const unsigned char *p,
                                    const unsigned char *end) {
  if (p >= end || (*p != '"' && *p != '\'')) return p;
  unsigned char quote = *p++;
  while (p < end && *p && *p != quote) p++;
  return p < end && *p == quote ? p + 1 : p;
}

const unsigned char *mw_html_skip_doctype(const unsigned char *p,
                                          const unsigned char *end) {
  p = skip_blanks(p + 9, end);
  p = skip_blanks(p + mw_html_xml_name_len(p, end), end);
  if (at_word(p, end, "SYSTEM")) {
    p = literal(skip_blanks(p + 6, end), end);
  } else if (at_word(p, end, "PUBLIC")) {
    p = skip_blanks(literal(skip_blanks(p + 6, end), end), end);
    p = literal(p, end);
  }
  p = skip_blanks(p, end);
  while (p < end && *p && *p != '>') p++;
  return p < end && *p == '>' ? p + 1 : p;
}

const unsigned char *mw_html_scan_text(const unsigned char *p,
                                       const unsigned char *end) {
#ifdef __SSE2__
  const __m128i lt = _mm_set1_epi8('<'), amp = _mm_set1_epi8('&'),
                hi3 = _mm_set1_epi8((char)0xE0), zero = _mm_setzero_si128(),
                tab = _mm_set1_epi8('\t'), nl = _mm_set1_epi8('\n'),
                cr = _mm_set1_epi8('\r'), ef = _mm_set1_epi8((char)0xEF),
                bf = _mm_set1_epi8((char)0xBF), one = _mm_set1_epi8(1);
  while (end - p >= 18) {
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i ctl = _mm_andnot_si128(
        _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, nl)),
            _mm_cmpeq_epi8(v, cr)),
        _mm_cmpeq_epi8(_mm_and_si128(v, hi3), zero));
    __m128i m = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, lt), _mm_cmpeq_epi8(v, amp)), ctl);
    __m128i e = _mm_cmpeq_epi8(v, ef);
    if (_mm_movemask_epi8(e)) { /* U+FFFE and U+FFFF are EF BF BE/BF */
      __m128i v1 = _mm_loadu_si128((const __m128i *)(p + 1));
      __m128i v2 = _mm_loadu_si128((const __m128i *)(p + 2));
      e = _mm_and_si128(_mm_and_si128(e, _mm_cmpeq_epi8(v1, bf)),
                        _mm_cmpeq_epi8(_mm_or_si128(v2, one), bf));
      m = _mm_or_si128(m, e);
    }
    if (_mm_movemask_epi8(m)) break;
    p += 16;
  }
#else
  (void)end;
#endif
  return p;
}
