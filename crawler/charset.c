/*
 * charset.c: which charset an HTML page is in, and UTF-8 out of it.
 *
 * Detection follows the order browsers use, cut down to what Chinese sites
 * need: a byte-order mark, the HTTP Content-Type charset, a <meta charset>
 * or <meta http-equiv content="...; charset=..."> in the first 4 KB (a byte
 * scan, not a parse: the page is not decoded yet), an XML declaration. The
 * label is then checked against the bytes, because the labels lie often:
 * templates copied from another site keep "gb2312" over UTF-8 text, and
 * old pages say "utf-8" over GBK. A UTF-8 label on bytes that are mostly
 * not UTF-8 gives way to GB18030; a non-UTF-8 label on bytes that are valid
 * UTF-8 with multi-byte sequences gives way to UTF-8 (GBK text is almost
 * never valid UTF-8 by accident). Without a label the bytes decide. GB2312,
 * GBK and their aliases are read as GB18030, their superset, and Big5 as
 * Big5-HKSCS, as browsers do; Latin-1 labels as windows-1252.
 *
 * Work is bounded: the meta scan reads 4 KB, the sniffers at most 1 MB.
 * Decoding is glibc iconv through a fixed stack buffer into the caller's
 * mw_buf, whose ceiling bounds the output; bad bytes become U+FFFD.
 * What it leaves to others: parsing (html.c, feed.c; feeds have their own
 * decoder in feed_charset.c because their labels live elsewhere).
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>

#include "crawler/crawler.h"
#include "crawler/html.h"

#define META_SCAN_BYTES 4096
#define SNIFF_BYTES (1024 * 1024)

static const char REPLACEMENT[3] = {'\xEF', '\xBF', '\xBD'}; /* U+FFFD */

/* ------------------------------------------------------------- UTF-8 */

/* Length of the valid UTF-8 sequence starting at s[0] (1..4), 0 when s[0]
 * starts no valid sequence, or -1 when the sequence is valid so far but cut
 * off by the end of the data. */
static int utf8_seq(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  if (c < 0x80) return 1;
  int need;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF)
    need = 1;
  else if (c == 0xE0)
    need = 2, lo = 0xA0;
  else if (c >= 0xE1 && c <= 0xEC)
    need = 2;
  else if (c == 0xED)
    need = 2, hi = 0x9F; /* no surrogates */
  else if (c >= 0xEE && c <= 0xEF)
    need = 2;
  else if (c == 0xF0)
    need = 3, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3)
    need = 3;
  else if (c == 0xF4)
    need = 3, hi = 0x8F;
  else
    return 0;
  for (int k = 1; k <= need; k++) {
    if ((size_t)k >= n) return -1;
    unsigned char t = s[k];
    if (k == 1 ? (t < lo || t > hi) : ((t & 0xC0) != 0x80)) return 0;
  }
  return need + 1;
}

/* Skips valid UTF-8 from s[i]: returns the index of the first byte that
 * starts no complete valid sequence (n at the end) and adds the multi-byte
 * sequences passed to *multi. ASCII goes eight bytes at a time and the
 * three-byte sequences of CJK text take a short path: this loop is most of
 * what charset handling costs on a UTF-8 page. */
static size_t utf8_skip(const unsigned char *s, size_t i, size_t n,
                        size_t *multi) {
  size_t m = 0;
  while (i < n) {
    while (i + 8 <= n) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    /* E1-EC and EE-EF take any two continuation bytes */
    if (c >= 0xE1 && c <= 0xEF && c != 0xED && i + 2 < n &&
        (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
      i += 3;
      m++;
      continue;
    }
    int k = utf8_seq(s + i, n - i);
    if (k <= 1) break; /* a bad byte, or a sequence cut off */
    i += (size_t)k;
    m++;
  }
  *multi += m;
  return i;
}

/* What utf8_sniff saw: over at most SNIFF_BYTES, the valid multi-byte
 * sequences and the bytes that start no valid sequence; a sequence cut off
 * by the end of the sample counts as valid (the sample or the body was
 * cut) and stops the count. */
struct sniff {
  size_t multi, bad;
  size_t valid; /* when bad == 0: bytes before a cut-off sequence, or all */
  bool cut;     /* the sample ended inside a sequence */
  bool whole;   /* the sample was the whole input */
};

static void utf8_sniff(const unsigned char *s, size_t n, struct sniff *sn) {
  memset(sn, 0, sizeof *sn);
  sn->whole = n <= SNIFF_BYTES;
  if (n > SNIFF_BYTES) n = SNIFF_BYTES;
  size_t i = 0;
  while (i < n) {
    i = utf8_skip(s, i, n, &sn->multi);
    if (i >= n) break;
    if (utf8_seq(s + i, n - i) < 0) {
      sn->multi++;
      sn->cut = true;
      break;
    }
    sn->bad++;
    i++;
    /* plainly not UTF-8 (GBK text gives a bad byte every few); the
     * verdict cannot turn, so stop reading */
    if (sn->bad >= 64 && sn->bad > sn->multi) break;
  }
  sn->valid = i;
}

/* Counts the bytes GB18030's structure rejects (over SNIFF_BYTES): a lead
 * 0x81-0xFE takes a trail 0x40-0x7E/0x80-0xFE, or 0x30-0x39 then a lead
 * and a digit for the four-byte form. */
static size_t gb18030_bad(const unsigned char *s, size_t n) {
  if (n > SNIFF_BYTES) n = SNIFF_BYTES;
  size_t i = 0, bad = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    if (c == 0x80 || c == 0xFF) {
      bad++;
      i++;
      continue;
    }
    if (i + 1 >= n) break; /* cut off at the end */
    unsigned char t = s[i + 1];
    if ((t >= 0x40 && t <= 0x7E) || (t >= 0x80 && t <= 0xFE)) {
      i += 2;
    } else if (t >= 0x30 && t <= 0x39) {
      if (i + 3 >= n) break;
      if (s[i + 2] >= 0x81 && s[i + 2] <= 0xFE && s[i + 3] >= 0x30 &&
          s[i + 3] <= 0x39) {
        i += 4;
      } else {
        bad++;
        i++;
      }
    } else {
      bad++;
      i++;
    }
  }
  return bad;
}

/* ------------------------------------------------------------ labels */

static const struct {
  const char *label;
  const char *name;
} ALIASES[] = {
    {"utf-8", "UTF-8"},         {"utf8", "UTF-8"},
    {"unicode-1-1-utf-8", "UTF-8"},
    {"gb2312", "GB18030"},      {"gbk", "GB18030"},
    {"gb18030", "GB18030"},     {"x-gbk", "GB18030"},
    {"cp936", "GB18030"},       {"ms936", "GB18030"},
    {"windows-936", "GB18030"}, {"euc-cn", "GB18030"},
    {"x-euc-cn", "GB18030"},    {"csgb2312", "GB18030"},
    {"gb_2312-80", "GB18030"},  {"gb_2312", "GB18030"},
    {"chinese", "GB18030"},     {"iso-ir-58", "GB18030"},
    {"hz-gb-2312", "GB18030"},  {"big5", "BIG5"},
    {"big-5", "BIG5"},          {"cn-big5", "BIG5"},
    {"x-x-big5", "BIG5"},       {"csbig5", "BIG5"},
    {"big5-hkscs", "BIG5"},     {"cp950", "BIG5"},
    {"iso-8859-1", "WINDOWS-1252"}, {"iso8859-1", "WINDOWS-1252"},
    {"latin1", "WINDOWS-1252"}, {"l1", "WINDOWS-1252"},
    {"us-ascii", "WINDOWS-1252"}, {"ascii", "WINDOWS-1252"},
    {"windows-1252", "WINDOWS-1252"}, {"cp1252", "WINDOWS-1252"},
    {"utf-16", "UTF-16LE"},     {"utf-16le", "UTF-16LE"},
    {"utf-16be", "UTF-16BE"},   {"ucs-2", "UTF-16LE"},
};

/* The canonical name of a label (quotes and spaces trimmed), into out.
 * Labels outside the table are kept upper-cased when they look like a
 * charset name and iconv knows them. False when the label is unusable. */
static bool canonical_name(const char *label, size_t n, char *out,
                           size_t out_size) {
  while (n && (mw_ascii_isspace((unsigned char)*label) || *label == '"' ||
               *label == '\'')) {
    label++;
    n--;
  }
  while (n && (mw_ascii_isspace((unsigned char)label[n - 1]) ||
               label[n - 1] == '"' || label[n - 1] == '\''))
    n--;
  if (n == 0 || n >= out_size || n >= 32) return false;
  for (size_t i = 0; i < sizeof ALIASES / sizeof ALIASES[0]; i++)
    if (strlen(ALIASES[i].label) == n &&
        mw_ascii_ncasecmp(label, ALIASES[i].label, n) == 0) {
      snprintf(out, out_size, "%s", ALIASES[i].name);
      return true;
    }
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)label[i];
    if (!(mw_ascii_isalpha(c) || mw_ascii_isdigit(c) || c == '-' || c == '_' ||
          c == '.' || c == ':'))
      return false;
    out[i] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
  }
  out[n] = '\0';
  iconv_t cd = iconv_open("UTF-8", out);
  if (cd == (iconv_t)-1) return false;
  iconv_close(cd);
  return true;
}

/* The name iconv is given for a canonical name. */
static const char *iconv_name(const char *name) {
  if (!strcmp(name, "BIG5")) return "BIG5-HKSCS";
  return name;
}

static bool ieq(const unsigned char *p, const unsigned char *end,
                const char *lit) {
  size_t n = strlen(lit);
  return (size_t)(end - p) >= n && mw_ascii_ncasecmp((const char *)p, lit, n) == 0;
}

/* Finds "charset" followed by optional spaces and '=' in [p, end); returns
 * the start and length of the value (quotes and ';' end it). */
static bool charset_param(const unsigned char *p, const unsigned char *end,
                          const unsigned char **val, size_t *vlen) {
  for (; p + 7 <= end; p++) {
    if (!ieq(p, end, "charset")) continue;
    const unsigned char *q = p + 7;
    while (q < end && mw_ascii_isspace(*q)) q++;
    if (q >= end || *q != '=') continue;
    q++;
    while (q < end && mw_ascii_isspace(*q)) q++;
    unsigned char quote = 0;
    if (q < end && (*q == '"' || *q == '\'')) quote = *q++;
    const unsigned char *v = q;
    while (q < end && *q != quote && *q != ';' && *q != '>' &&
           (quote || !mw_ascii_isspace(*q)) && *q != '"' && *q != '\'')
      q++;
    *val = v;
    *vlen = (size_t)(q - v);
    return true;
  }
  return false;
}

/* Scans the first 4 KB for a <meta> naming a charset. Sets *why to "meta
 * charset" or "meta http-equiv". Comments are skipped. */
static bool meta_charset(const unsigned char *s, size_t n, char *out,
                         size_t out_size, const char **why) {
  const unsigned char *p = s, *end = s + (n < META_SCAN_BYTES ? n : META_SCAN_BYTES);
  while (p < end) {
    p = memchr(p, '<', (size_t)(end - p));
    if (!p) return false;
    if (ieq(p, end, "<!--")) {
      const unsigned char *q = p + 4;
      while (q + 3 <= end && memcmp(q, "-->", 3) != 0) q++;
      if (q + 3 > end) return false;
      p = q + 3;
      continue;
    }
    if (!ieq(p, end, "<meta") || p + 5 >= end ||
        !(mw_ascii_isspace(p[5]) || p[5] == '/')) {
      p++;
      continue;
    }
    const unsigned char *tag_end = memchr(p, '>', (size_t)(end - p));
    if (!tag_end) return false;
    const unsigned char *v;
    size_t vlen;
    if (charset_param(p + 5, tag_end, &v, &vlen) && vlen > 0 &&
        canonical_name((const char *)v, vlen, out, out_size)) {
      /* Both forms end up here; http-equiv anywhere in the tag tells
       * which one it was. */
      bool equiv = false;
      for (const unsigned char *q = p + 5; q + 10 <= tag_end; q++)
        if (ieq(q, tag_end, "http-equiv")) {
          equiv = true;
          break;
        }
      *why = equiv ? "meta http-equiv" : "meta charset";
      return true;
    }
    p = tag_end + 1;
  }
  return false;
}

/* The encoding="..." of an XML declaration at the start of s. */
static bool xml_decl_charset(const unsigned char *s, size_t n, char *out,
                             size_t out_size) {
  size_t i = 0;
  while (i < n && i < 64 && mw_ascii_isspace(s[i])) i++;
  if (n - i < 6 || memcmp(s + i, "<?xml", 5) != 0) return false;
  size_t end = i + 5;
  while (end < n && end < i + 512 && s[end] != '>') end++;
  if (end >= n || s[end] != '>') return false;
  for (size_t k = i + 5; k + 8 < end; k++) {
    if (memcmp(s + k, "encoding", 8) != 0) continue;
    size_t v = k + 8;
    while (v < end && mw_ascii_isspace(s[v])) v++;
    if (v >= end || s[v] != '=') return false;
    v++;
    while (v < end && mw_ascii_isspace(s[v])) v++;
    if (v >= end || (s[v] != '"' && s[v] != '\'')) return false;
    unsigned char q = s[v++];
    size_t e = v;
    while (e < end && s[e] != q) e++;
    if (e >= end) return false;
    return canonical_name((const char *)s + v, e - v, out, out_size);
  }
  return false;
}

/* ------------------------------------------------------------ detect */

static void set_guess(struct mw_charset_guess *g, const char *name,
                      const char *why) {
  snprintf(g->name, sizeof g->name, "%s", name);
  g->why = why;
}

/* Mostly UTF-8: a few broken bytes (a title cut in the middle of a
 * character by a CMS) among many good sequences. */
static bool mostly_utf8(size_t multi, size_t bad) {
  return bad == 0 || bad * 10 < multi;
}

/* mw_charset_detect; *sn tells what the UTF-8 sniff saw (sn->whole is
 * false when there was none: a byte-order mark decided). */
static void detect(const unsigned char *s, size_t n, const char *http_charset,
                   struct mw_charset_guess *out, struct sniff *sn) {
  memset(sn, 0, sizeof *sn);

  if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
    set_guess(out, "UTF-8", "byte-order mark");
    return;
  }
  if (n >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
    set_guess(out, "UTF-16LE", "byte-order mark");
    return;
  }
  if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
    set_guess(out, "UTF-16BE", "byte-order mark");
    return;
  }

  char label[32] = "";
  const char *why = NULL;
  if (http_charset &&
      canonical_name(http_charset, strnlen(http_charset, 64), label,
                     sizeof label))
    why = "HTTP header";
  else if (meta_charset(s, n, label, sizeof label, &why))
    ;
  else if (xml_decl_charset(s, n, label, sizeof label))
    why = "XML declaration";
  else
    label[0] = '\0';
  /* UTF-16 in an ASCII-compatible label is a template's lie: the bytes we
   * just scanned as ASCII would not be readable otherwise. */
  if (label[0] && !strncmp(label, "UTF-16", 6)) label[0] = '\0';

  utf8_sniff(s, n, sn);
  size_t multi = sn->multi, bad = sn->bad;

  if (!label[0]) {
    if (multi == 0 && bad == 0)
      set_guess(out, "UTF-8", "default");
    else if (mostly_utf8(multi, bad))
      set_guess(out, "UTF-8", "sniffed: valid UTF-8");
    else
      set_guess(out, "GB18030", "sniffed: GB18030");
    return;
  }
  if (!strcmp(label, "UTF-8")) {
    if (mostly_utf8(multi, bad) || gb18030_bad(s, n) >= bad)
      set_guess(out, "UTF-8", why);
    else
      set_guess(out, "GB18030", "label ignored: not valid UTF-8");
    return;
  }
  if (bad == 0 && multi > 0) {
    set_guess(out, "UTF-8", "label ignored: valid UTF-8");
    return;
  }
  set_guess(out, label, why);
}

void mw_charset_detect(const char *data, size_t len, const char *http_charset,
                       struct mw_charset_guess *out) {
  struct sniff sn;
  detect((const unsigned char *)data, data ? len : 0, http_charset, out, &sn);
}

/* ------------------------------------------------------------ decode */

/* Appends s as UTF-8, each byte that starts no valid sequence replaced. */
static int copy_utf8(const unsigned char *s, size_t n, struct mw_buf *out,
                     size_t *replaced) {
  size_t i = 0, run = 0, multi = 0;
  while (i < n) {
    i = utf8_skip(s, i, n, &multi);
    if (i >= n) break;
    int k = utf8_seq(s + i, n - i);
    int rc = mw_buf_append(out, s + run, i - run);
    if (!rc) rc = mw_buf_append(out, REPLACEMENT, 3);
    if (rc) return rc;
    (*replaced)++;
    /* a cut-off sequence at the end is one replacement, not several */
    i = k < 0 ? n : i + 1;
    run = i;
  }
  return mw_buf_append(out, s + run, n - run);
}

static int decode_error(int rc, const struct mw_buf *out, struct mw_err *err) {
  if (rc == MW_ETOOBIG)
    return mw_err_set(err, rc, "decoded page is larger than %zu bytes",
                      out->max);
  return mw_err_set(err, rc, "out of memory decoding a page");
}

int mw_charset_decode(const char *data, size_t len, const char *charset,
                      struct mw_buf *out, size_t *replaced,
                      struct mw_err *err) {
  size_t dummy = 0;
  if (!replaced) replaced = &dummy;
  *replaced = 0;
  char name[32];
  if (!charset ||
      !canonical_name(charset, strnlen(charset, 64), name, sizeof name))
    return mw_err_set(err, MW_EINVAL, "unknown charset \"%.40s\"",
                      charset ? charset : "(none)");
  const unsigned char *s = (const unsigned char *)data;
  size_t n = data ? len : 0;

  if (!strcmp(name, "UTF-8")) {
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) s += 3, n -= 3;
    int rc = copy_utf8(s, n, out, replaced);
    return rc ? decode_error(rc, out, err) : MW_OK;
  }
  if (n >= 2 && ((!strcmp(name, "UTF-16LE") && s[0] == 0xFF && s[1] == 0xFE) ||
                 (!strcmp(name, "UTF-16BE") && s[0] == 0xFE && s[1] == 0xFF)))
    s += 2, n -= 2;

  iconv_t cd = iconv_open("UTF-8", iconv_name(name));
  if (cd == (iconv_t)-1)
    return mw_err_set(err, MW_EINVAL, "unknown charset \"%s\"", name);
  char chunk[16384];
  char *in = (char *)s;
  size_t in_left = n;
  int rc = MW_OK;
  /* Ensure there is always a NUL-terminated (possibly empty) buffer. */
  rc = mw_buf_append(out, "", 0);
  while (rc == MW_OK && in_left > 0) {
    char *o = chunk;
    size_t o_left = sizeof chunk;
    size_t r = iconv(cd, &in, &in_left, &o, &o_left);
    int e = r == (size_t)-1 ? errno : 0;
    rc = mw_buf_append(out, chunk, (size_t)(o - chunk));
    if (rc || e == 0 || e == E2BIG) continue;
    /* EILSEQ, or EINVAL for a sequence cut off at the end: one byte (or
     * the cut-off tail) becomes U+FFFD and conversion goes on. */
    rc = mw_buf_append(out, REPLACEMENT, 3);
    (*replaced)++;
    if (e == EINVAL) {
      in_left = 0;
    } else {
      in++;
      in_left--;
    }
  }
  iconv_close(cd);
  return rc ? decode_error(rc, out, err) : MW_OK;
}

int mw_charset_decode_page(const char *data, size_t len,
                           const char *http_charset,
                           struct mw_charset_guess *guess, struct mw_buf *out,
                           size_t *replaced, struct mw_err *err) {
  const unsigned char *s = (const unsigned char *)data;
  size_t n = data ? len : 0, dummy = 0;
  struct sniff sn;
  detect(s, n, http_charset, guess, &sn);
  if (!replaced) replaced = &dummy;
  /* Valid UTF-8 by the sniff, which saw all of it: what decoding would
   * check again is known, so the bytes are copied as they are. */
  if (sn.whole && sn.bad == 0 && !strcmp(guess->name, "UTF-8")) {
    *replaced = 0;
    int rc = mw_buf_append(out, s, sn.valid);
    if (!rc && sn.cut) {
      rc = mw_buf_append(out, REPLACEMENT, 3);
      *replaced = 1;
    }
    return rc ? decode_error(rc, out, err) : MW_OK;
  }
  return mw_charset_decode(data, len, guess->name, out, replaced, err);
}
