/*
 * feed_charset.c: which encoding a feed's bytes are in, and UTF-8 out.
 *
 * The order is the one the header promises: a byte-order mark, then the
 * charset of the HTTP Content-Type, then the XML declaration, else UTF-8.
 * Chinese sites label GBK text "gb2312" and the other way round, so both
 * labels (and cp936, x-gbk ...) decode as GB18030, their superset; Big5
 * decodes as Big5-HKSCS for the same reason, and ISO-8859-1/US-ASCII as
 * windows-1252, as browsers do. When the chosen encoding plainly does not
 * fit the bytes (invalid UTF-8 under a UTF-8 label, or errors where the
 * bytes are valid UTF-8), the encoding that does fit wins and the choice is
 * noted for the feed's problems: "乱码" on a monitoring screen is the
 * failure users complain about most.
 *
 * Conversion is glibc iconv; invalid sequences become U+FFFD. UTF-8 input
 * is passed through without a copy, and on a first pass without a check
 * (libxml2 checks as it parses; feed.c comes back with trust_utf8 false
 * when it finds a bad byte). What it leaves to
 * others: parsing (feed.c), HTML <meta charset> (the article extractor).
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crawler/feed_internal.h"

/* ------------------------------------------------------------- UTF-8 */

/* Length of the valid UTF-8 prefix of s[0..n). */
static size_t utf8_valid_prefix(const unsigned char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    /* ASCII runs, eight bytes at a time */
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
    size_t need;
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
      return i;
    if (i + need >= n) return i;
    if (s[i + 1] < lo || s[i + 1] > hi) return i;
    for (size_t k = 2; k <= need; k++)
      if ((s[i + k] & 0xC0) != 0x80) return i;
    i += need + 1;
  }
  return n;
}

/* Copies s with each invalid byte replaced by U+FFFD. Returns NULL on
 * ENOMEM. */
static char *utf8_repair(const unsigned char *s, size_t n, size_t *out_len,
                         size_t *n_bad) {
  char *out = malloc(n * 3 + 1);
  if (!out) return NULL;
  size_t o = 0, i = 0;
  *n_bad = 0;
  while (i < n) {
    size_t ok = utf8_valid_prefix(s + i, n - i);
    memcpy(out + o, s + i, ok);
    o += ok;
    i += ok;
    if (i < n) {
      memcpy(out + o, "\xEF\xBF\xBD", 3);
      o += 3;
      i++;
      (*n_bad)++;
    }
  }
  out[o] = '\0';
  *out_len = o;
  return out;
}

/* ------------------------------------------------------------ labels */

static const struct {
  const char *label;
  const char *name;
} aliases[] = {
    {"utf-8", "UTF-8"},
    {"utf8", "UTF-8"},
    {"unicode-1-1-utf-8", "UTF-8"},
    {"gb2312", "GB18030"},
    {"gbk", "GB18030"},
    {"gb18030", "GB18030"},
    {"x-gbk", "GB18030"},
    {"cp936", "GB18030"},
    {"ms936", "GB18030"},
    {"windows-936", "GB18030"},
    {"euc-cn", "GB18030"},
    {"csgb2312", "GB18030"},
    {"gb_2312-80", "GB18030"},
    {"gb_2312", "GB18030"},
    {"chinese", "GB18030"},
    {"iso-ir-58", "GB18030"},
    {"x-euc-cn", "GB18030"},
    {"big5", "Big5"},
    {"big-5", "Big5"},
    {"cn-big5", "Big5"},
    {"x-x-big5", "Big5"},
    {"csbig5", "Big5"},
    {"big5-hkscs", "Big5"},
    {"cp950", "Big5"},
    {"iso-8859-1", "windows-1252"},
    {"iso8859-1", "windows-1252"},
    {"latin1", "windows-1252"},
    {"l1", "windows-1252"},
    {"us-ascii", "windows-1252"},
    {"ascii", "windows-1252"},
    {"windows-1252", "windows-1252"},
    {"cp1252", "windows-1252"},
    {"utf-16", "UTF-16"},
    {"utf-16le", "UTF-16LE"},
    {"utf-16be", "UTF-16BE"},
    {"ucs-2", "UTF-16"},
};

bool mw_feed_charset_name(const char *label, size_t n, char *out,
                          size_t out_size) {
  while (n && (mw_ascii_isspace((unsigned char)*label) || *label == '"' ||
               *label == '\'')) {
    label++;
    n--;
  }
  while (n && (mw_ascii_isspace((unsigned char)label[n - 1]) ||
               label[n - 1] == '"' || label[n - 1] == '\''))
    n--;
  if (n == 0 || n >= out_size || n >= 40) return false;
  for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
    if (strlen(aliases[i].label) == n &&
        mw_ascii_ncasecmp(label, aliases[i].label, n) == 0) {
      snprintf(out, out_size, "%s", aliases[i].name);
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
  return true;
}

/* The iconv name of a canonical encoding name. */
static const char *iconv_name(const char *name) {
  if (!strcmp(name, "Big5")) return "BIG5-HKSCS";
  if (!strcmp(name, "windows-1252")) return "WINDOWS-1252";
  return name;
}

/* The encoding="..." of an XML declaration at the start of s, into out. */
static bool xml_decl_encoding(const unsigned char *s, size_t n, char *out,
                              size_t out_size) {
  size_t i = 0;
  while (i < n && mw_ascii_isspace(s[i])) i++;
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
    return mw_feed_charset_name((const char *)s + v, e - v, out, out_size);
  }
  return false;
}

/* ------------------------------------------------------------ iconv */

/* Converts s from the named encoding into a malloc'd UTF-8 buffer. Returns
 * MW_OK, MW_ENOMEM, or MW_EINVAL when iconv does not know the encoding.
 * *n_bad counts the invalid sequences replaced by U+FFFD. */
static int convert(const unsigned char *s, size_t n, const char *enc,
                   char **out, size_t *out_len, size_t *n_bad) {
  iconv_t cd = iconv_open("UTF-8", iconv_name(enc));
  if (cd == (iconv_t)-1) return MW_EINVAL;
  size_t cap = n * 2 + 64;
  /* Nothing decodes to more than 3 bytes of UTF-8 per input byte (a
   * windows-1252 byte to U+20AC is the worst), plus U+FFFD per bad byte. */
  const size_t max_cap = n * 3 + 64;
  char *buf = malloc(cap);
  if (!buf) {
    iconv_close(cd);
    return MW_ENOMEM;
  }
  char *in = (char *)s;
  size_t in_left = n;
  char *o = buf;
  size_t o_left = cap - 1;
  *n_bad = 0;
  while (in_left > 0) {
    size_t r = iconv(cd, &in, &in_left, &o, &o_left);
    if (r != (size_t)-1) break;
    if (errno == E2BIG || o_left < 4) {
      size_t used = (size_t)(o - buf);
      size_t ncap = cap + cap / 2 < max_cap ? cap + cap / 2 : max_cap;
      if (ncap <= cap) ncap = cap + 64;
      char *nb = realloc(buf, ncap);
      if (!nb) {
        free(buf);
        iconv_close(cd);
        return MW_ENOMEM;
      }
      buf = nb;
      cap = ncap;
      o = buf + used;
      o_left = cap - 1 - used;
      if (errno == E2BIG) continue;
    }
    /* EILSEQ or EINVAL (truncated at the end): replace one byte */
    memcpy(o, "\xEF\xBF\xBD", 3);
    o += 3;
    o_left -= 3;
    in++;
    in_left--;
    (*n_bad)++;
  }
  iconv_close(cd);
  *o = '\0';
  *out = buf;
  *out_len = (size_t)(o - buf);
  return MW_OK;
}

/* ------------------------------------------------------------ decode */

static void set_note(struct mw_feed_input *in, const char *fmt, const char *a,
                     const char *b) {
  snprintf(in->note, sizeof in->note, fmt, a, b);
}

/* Decodes s as enc into in (owned). Returns MW_OK, MW_ENOMEM or MW_EINVAL. */
static int decode_as(const unsigned char *s, size_t n, const char *enc,
                     struct mw_feed_input *in, size_t *n_bad) {
  char *buf;
  size_t len;
  int rc = convert(s, n, enc, &buf, &len, n_bad);
  if (rc) return rc;
  free(in->owned);
  in->owned = buf;
  in->p = buf;
  in->len = len;
  snprintf(in->encoding, sizeof in->encoding, "%s", enc);
  return MW_OK;
}

/* Uses s as UTF-8, repairing invalid bytes. */
static int use_utf8(const unsigned char *s, size_t n, size_t valid,
                    struct mw_feed_input *in) {
  snprintf(in->encoding, sizeof in->encoding, "UTF-8");
  if (valid == n) {
    in->p = (const char *)s;
    in->len = n;
    return MW_OK;
  }
  size_t len, bad;
  char *buf = utf8_repair(s, n, &len, &bad);
  if (!buf) return MW_ENOMEM;
  free(in->owned);
  in->owned = buf;
  in->p = buf;
  in->len = len;
  char count[32];
  snprintf(count, sizeof count, "%zu", bad);
  set_note(in, "%s byte(s) that are not UTF-8 were replaced by U+FFFD%s", count,
           "");
  return MW_OK;
}

int mw_feed_decode(const char *data, size_t len, const char *http_charset,
                   bool trust_utf8, struct mw_feed_input *in) {
  memset(in, 0, sizeof *in);
  const unsigned char *s = (const unsigned char *)data;
  size_t n = len;

  /* 1. A byte-order mark decides. */
  if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
    s += 3;
    n -= 3;
    return use_utf8(s, n, trust_utf8 ? n : utf8_valid_prefix(s, n), in);
  }
  if (n >= 2 &&
      ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
    const char *enc = s[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
    size_t bad;
    return decode_as(s + 2, n - 2, enc, in, &bad) == MW_ENOMEM ? MW_ENOMEM
                                                               : MW_OK;
  }
  /* UTF-16 without a BOM still starts with "<" as two bytes. */
  if (n >= 4 && s[0] == '<' && s[1] == 0 && s[2] != 0 && s[3] == 0) {
    size_t bad;
    return decode_as(s, n, "UTF-16LE", in, &bad) == MW_ENOMEM ? MW_ENOMEM
                                                              : MW_OK;
  }
  if (n >= 4 && s[0] == 0 && s[1] == '<' && s[2] == 0 && s[3] != 0) {
    size_t bad;
    return decode_as(s, n, "UTF-16BE", in, &bad) == MW_ENOMEM ? MW_ENOMEM
                                                              : MW_OK;
  }

  /* 2. The HTTP charset, 3. the XML declaration. */
  char http[40] = "", decl[40] = "";
  if (http_charset)
    mw_feed_charset_name(http_charset, strlen(http_charset), http, sizeof http);
  xml_decl_encoding(s, n < 600 ? n : 600, decl, sizeof decl);
  const char *chosen = http[0] ? http : decl[0] ? decl : "UTF-8";
  /* "UTF-16" in a declaration of bytes that are not UTF-16 (no BOM, no
   * zero bytes) is a lie the bytes already told us about. */
  if (!strncmp(chosen, "UTF-16", 6)) chosen = "UTF-8";

  if (!strcmp(chosen, "UTF-8")) {
    /* Checking is left to libxml2 on the first pass: it is a third of the
     * parse time on Chinese text, and almost all UTF-8 feeds are valid. */
    if (trust_utf8) return use_utf8(s, n, n, in);
    size_t valid = utf8_valid_prefix(s, n);
    if (valid == n) return use_utf8(s, n, valid, in);
    /* Not UTF-8 after all: a declaration that disagrees with the HTTP
     * label, or GB18030 (what an undeclared Chinese feed usually is), if
     * either decodes the bytes without an error. */
    const char *candidates[2] = {decl[0] && strcmp(decl, "UTF-8") ? decl : NULL,
                                 "GB18030"};
    for (int k = 0; k < 2; k++) {
      if (!candidates[k]) continue;
      struct mw_feed_input tmp = {0};
      size_t bad;
      int rc = decode_as(s, n, candidates[k], &tmp, &bad);
      if (rc == MW_ENOMEM) return rc;
      if (rc == MW_OK && bad == 0) {
        *in = tmp;
        set_note(in,
                 "the bytes are not the declared or assumed UTF-8; they were "
                 "decoded as %s%s",
                 candidates[k], "");
        return MW_OK;
      }
      mw_feed_input_cleanup(&tmp);
    }
    return use_utf8(s, n, valid, in);
  }

  size_t bad;
  int rc = decode_as(s, n, chosen, in, &bad);
  if (rc == MW_ENOMEM) return rc;
  size_t valid = rc == MW_EINVAL || bad > 0 ? utf8_valid_prefix(s, n) : 0;
  if (rc == MW_EINVAL) {
    char label[48];
    snprintf(label, sizeof label, "%s", chosen);
    int urc = use_utf8(s, n, valid, in);
    set_note(in, "unknown encoding \"%s\"; the bytes were read as UTF-8%s",
             label, "");
    return urc;
  }
  if (bad > 0 && valid == n) {
    /* The label is wrong and the bytes are UTF-8. */
    char label[48];
    snprintf(label, sizeof label, "%s", chosen);
    int urc = use_utf8(s, n, valid, in);
    set_note(in, "the bytes are not %s as labelled but UTF-8; read as UTF-8%s",
             label, "");
    return urc;
  }
  if (bad > 0) {
    char count[32];
    snprintf(count, sizeof count, "%zu", bad);
    set_note(in, "%s byte(s) invalid in %s were replaced by U+FFFD", count,
             chosen);
  }
  return MW_OK;
}

void mw_feed_input_cleanup(struct mw_feed_input *in) {
  if (!in) return;
  free(in->owned);
  in->owned = NULL;
  in->p = NULL;
  in->len = 0;
}
