/*
 * feed_repair.c: the two repairs libxml2's recovery does not make.
 *
 * 1. A bare '&' ("AT&T", "?a=1&b=2") or '<' ("a < b") in a feed is the
 *    most common way feeds break. libxml2 drops the '&' and the name after
 *    it, and skips what follows a bare '<'. When feed.c sees such an error
 *    it parses a repaired copy instead: each '&' that starts no known
 *    reference becomes "&amp;", each '<' that starts no markup "&lt;".
 *    CDATA sections and comments are copied untouched.
 * 2. When recovery closes the root early (a stray end tag in an entry),
 *    libxml2 stops at "Extra content at the end of the document". feed.c
 *    starts a new parser where it stopped; mw_feedp_next_start finds where
 *    the next element starts, applying the end tags it passes.
 *
 * This is byte scanning for the few characters that matter, not parsing:
 * elements and attributes remain libxml2's business.
 */
#include <string.h>

#include "crawler/feed_internal.h"

static bool name_start(unsigned char c) {
  return mw_ascii_isalpha(c) || c == '_' || c == ':' || c >= 0x80;
}

static bool name_char(unsigned char c) {
  return name_start(c) || mw_ascii_isdigit(c) || c == '-' || c == '.';
}

static bool is_xdigit(unsigned char c) {
  return mw_ascii_isdigit(c) || (c >= 'a' && c <= 'f') ||
         (c >= 'A' && c <= 'F');
}

/* True when s[0] == '&' starts a reference libxml2 (with the parser's
 * getEntity hook) will resolve. */
static bool known_reference(const struct mw_feed_parser *p,
                            const unsigned char *s, size_t n) {
  size_t i = 1;
  if (i < n && s[i] == '#') {
    i++;
    bool hex = i < n && s[i] == 'x';
    if (hex) i++;
    size_t start = i;
    while (i < n && (hex ? is_xdigit(s[i]) : mw_ascii_isdigit(s[i]))) i++;
    return i > start && i < n && s[i] == ';';
  }
  size_t start = i;
  if (i >= n || !name_start(s[i])) return false;
  while (i < n && i - start < 64 && name_char(s[i])) i++;
  if (i >= n || s[i] != ';') return false;
  size_t len = i - start;
  const char *name = (const char *)s + start;
  static const char *const xml[] = {"amp", "lt", "gt", "quot", "apos"};
  for (size_t k = 0; k < 5; k++)
    if (strlen(xml[k]) == len && memcmp(xml[k], name, len) == 0) return true;
  char u[4];
  if (mw_feedtext_entity(name, len, u)) return true;
  for (const struct mw_feed_entity *e = p->entities; e; e = e->next)
    if (strlen((const char *)e->ent.name) == len &&
        memcmp(e->ent.name, name, len) == 0)
      return true;
  return false;
}

/* Offset just past the first occurrence of end in s[i..n), or n. */
static size_t past(const unsigned char *s, size_t n, size_t i,
                   const char *end) {
  size_t m = strlen(end);
  while (i + m <= n) {
    const unsigned char *hit = memchr(s + i, end[0], n - i - m + 1);
    if (!hit) return n;
    i = (size_t)(hit - s);
    if (memcmp(hit, end, m) == 0) return i + m;
    i++;
  }
  return n;
}

char *mw_feedp_repair(const struct mw_feed_parser *p, const char *in, size_t n,
                      size_t *out_len, size_t *fixed) {
  const unsigned char *s = (const unsigned char *)in;
  struct mw_buf b;
  mw_buf_init(&b, n * 5 + 16); /* "&" -> "&amp;" at worst */
  *fixed = 0;
  size_t i = 0, copied = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c != '&' && c != '<') {
      i++;
      continue;
    }
    if (c == '<') {
      unsigned char c1 = i + 1 < n ? s[i + 1] : 0;
      if (c1 == '!') {
        if (n - i >= 9 && memcmp(s + i, "<![CDATA[", 9) == 0)
          i = past(s, n, i + 9, "]]>");
        else if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0)
          i = past(s, n, i + 4, "-->");
        else
          i++;
        continue;
      }
      if (c1 == '/' || c1 == '?' || name_start(c1)) {
        i++;
        continue;
      }
    } else if (known_reference(p, s + i, n - i)) {
      i++;
      continue;
    }
    if (mw_buf_append(&b, s + copied, i - copied) ||
        mw_buf_puts(&b, c == '&' ? "&amp;" : "&lt;")) {
      mw_buf_cleanup(&b);
      return NULL;
    }
    (*fixed)++;
    i++;
    copied = i;
  }
  if (mw_buf_append(&b, s + copied, n - copied)) {
    mw_buf_cleanup(&b);
    return NULL;
  }
  *out_len = b.len;
  if (!b.data) return mw_strdup("");
  return b.data;
}

size_t mw_feedp_next_start(struct mw_feed_parser *p, const char *in, size_t n,
                           size_t at) {
  const unsigned char *s = (const unsigned char *)in;
  size_t i = at;
  while (i < n) {
    const unsigned char *lt = memchr(s + i, '<', n - i);
    if (!lt) return n;
    i = (size_t)(lt - s);
    unsigned char c1 = i + 1 < n ? s[i + 1] : 0;
    if (name_start(c1)) return i;
    if (c1 == '/') {
      size_t e = i + 2;
      while (e < n && name_char(s[e])) e++;
      if (e > i + 2) mw_feedp_end_tag(p, (const char *)s + i + 2, e - i - 2);
      const unsigned char *gt = memchr(s + e, '>', n - e);
      i = gt ? (size_t)(gt - s) + 1 : n;
    } else if (c1 == '!' && n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
      i = past(s, n, i + 4, "-->");
    } else if (c1 == '!' && n - i >= 9 && memcmp(s + i, "<![CDATA[", 9) == 0) {
      i = past(s, n, i + 9, "]]>");
    } else if (c1 == '?') {
      i = past(s, n, i + 2, "?>");
    } else {
      i++;
    }
  }
  return n;
}
