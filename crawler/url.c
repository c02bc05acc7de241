/*
 * url.c: one key per article. Resolves a link against the page it was
 * found on (RFC 3986 section 5) and canonicalises the result so that the
 * spellings of one address that sites, feeds and share buttons produce all
 * give the same string: scheme and host lower case, default port dropped,
 * "." and ".." resolved, fragment dropped, percent-encoding normalised
 * (unreserved characters decoded, other escapes in upper case, UTF-8 and
 * characters a URL may not hold encoded), and the tracking parameters of
 * share links removed.
 *
 * What it leaves to others: fetching, robots.txt, deciding whether an
 * address is private. Internationalised host names are refused (write the
 * xn-- form): turning them into punycode needs IDNA tables we do not carry.
 *
 * The parser is our own rather than libxml2's xmlBuildURI because that one
 * escapes and unescapes differently across versions and keeps fragments;
 * the whole job is a few hundred lines of RFC 3986 appendix B and 5.2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crawler/crawler.h"

/* Longest URL (or base) we accept; longer ones are not article links. */
#define URL_MAX_IN 8192
/* Ceiling of every intermediate buffer: percent-encoding at most triples. */
#define URL_MAX_OUT (4 * URL_MAX_IN + 64)
/* How much of a bad URL to quote in an error message. */
#define URL_QUOTE 200

/* One parsed reference: views into a buffer the caller owns. */
struct uri {
  struct mw_str scheme, auth, path, query;
  bool has_scheme, has_auth, has_query;
};

static bool is_hex(unsigned char c) {
  return mw_ascii_isdigit(c) || (c >= 'a' && c <= 'f') ||
         (c >= 'A' && c <= 'F');
}

static int hex_val(unsigned char c) {
  if (mw_ascii_isdigit(c)) return c - '0';
  return mw_ascii_tolower(c) - 'a' + 10;
}

static bool is_unreserved(unsigned char c) {
  return mw_ascii_isalpha(c) || mw_ascii_isdigit(c) || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

static bool is_sub_delim(unsigned char c) {
  return c && strchr("!$&'()*+,;=", c) != NULL;
}

/* Characters that may stand unescaped in each component (RFC 3986 3.2-3.4).
 * '%' is handled separately. */
static bool ok_userinfo(unsigned char c) {
  return is_unreserved(c) || is_sub_delim(c) || c == ':';
}
static bool ok_host(unsigned char c) {
  return is_unreserved(c) || is_sub_delim(c);
}
static bool ok_path(unsigned char c) {
  return is_unreserved(c) || is_sub_delim(c) || c == ':' || c == '@' ||
         c == '/';
}
static bool ok_query(unsigned char c) { return ok_path(c) || c == '?'; }

static void quote_url(const char *url, char *q, size_t n) {
  size_t len = strnlen(url, URL_QUOTE);
  snprintf(q, n, "%.*s%s", (int)len, url, url[len] ? "..." : "");
}

/* Copies s without the leading and trailing spaces and controls an href
 * attribute often carries, drops tabs and line breaks inside it (browsers
 * do the same), and turns '\' into '/' before the query, as browsers do for
 * http(s). */
static int preclean(const char *s, struct mw_buf *out) {
  size_t len = strnlen(s, URL_MAX_IN + 1);
  if (len > URL_MAX_IN) return MW_ETOOBIG;
  while (len && (unsigned char)s[len - 1] <= ' ') len--;
  size_t i = 0;
  while (i < len && (unsigned char)s[i] <= ' ') i++;
  bool in_query = false;
  for (; i < len; i++) {
    char c = s[i];
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (c == '?' || c == '#') in_query = true;
    if (c == '\\' && !in_query) c = '/';
    if (mw_buf_putc(out, c)) return MW_ENOMEM;
  }
  if (!out->data && mw_buf_append(out, "", 0)) return MW_ENOMEM;
  return MW_OK;
}

/* RFC 3986 appendix B: splits s into its components; the fragment is
 * dropped. */
static void split(const char *s, struct uri *u) {
  memset(u, 0, sizeof *u);
  const char *p = s;
  if (mw_ascii_isalpha((unsigned char)*p)) {
    const char *q = p + 1;
    while (mw_ascii_isalpha((unsigned char)*q) ||
           mw_ascii_isdigit((unsigned char)*q) || *q == '+' || *q == '-' ||
           *q == '.')
      q++;
    if (*q == ':') {
      u->has_scheme = true;
      u->scheme = (struct mw_str){p, (size_t)(q - p)};
      p = q + 1;
    }
  }
  if (p[0] == '/' && p[1] == '/') {
    p += 2;
    size_t n = strcspn(p, "/?#");
    u->has_auth = true;
    u->auth = (struct mw_str){p, n};
    p += n;
  }
  size_t n = strcspn(p, "?#");
  u->path = (struct mw_str){p, n};
  p += n;
  if (*p == '?') {
    p++;
    n = strcspn(p, "#");
    u->has_query = true;
    u->query = (struct mw_str){p, n};
  }
}

/* Appends s normalised: escapes of unreserved characters decoded, other
 * escapes in upper case, a stray '%' and every character ok() refuses
 * (spaces, quotes, bytes of UTF-8) escaped. */
static int put_normalized(struct mw_buf *b, struct mw_str s,
                          bool (*ok)(unsigned char)) {
  static const char hex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < s.len; i++) {
    unsigned char c = (unsigned char)s.p[i];
    int rc;
    if (c == '%' && i + 2 < s.len &&
        is_hex((unsigned char)s.p[i + 1]) && is_hex((unsigned char)s.p[i + 2])) {
      unsigned char v = (unsigned char)(hex_val((unsigned char)s.p[i + 1]) * 16 +
                                        hex_val((unsigned char)s.p[i + 2]));
      i += 2;
      if (is_unreserved(v)) {
        rc = mw_buf_putc(b, (char)v);
      } else {
        char e[3] = {'%', hex[v >> 4], hex[v & 15]};
        rc = mw_buf_append(b, e, 3);
      }
    } else if (c != '%' && ok(c)) {
      rc = mw_buf_putc(b, (char)c);
    } else {
      char e[3] = {'%', hex[c >> 4], hex[c & 15]};
      rc = mw_buf_append(b, e, 3);
    }
    if (rc) return rc;
  }
  return MW_OK;
}

/* RFC 3986 5.2.4, on a copy of in. The output never grows past the input. */
static int remove_dot_segments(struct mw_str in, struct mw_buf *out) {
  char *s = mw_strndup(in.p, in.len);
  char *o = malloc(in.len + 1);
  if (!s || !o) {
    free(s);
    free(o);
    return MW_ENOMEM;
  }
  size_t i = 0, n = in.len, olen = 0;
  while (i < n) {
    size_t left = n - i;
    const char *p = s + i;
    if (left >= 3 && !memcmp(p, "../", 3)) {
      i += 3;
    } else if (left >= 2 && !memcmp(p, "./", 2)) {
      i += 2;
    } else if (left >= 3 && !memcmp(p, "/./", 3)) {
      i += 2;
    } else if (left == 2 && !memcmp(p, "/.", 2)) {
      i += 1;
      s[i] = '/';
    } else if ((left >= 4 && !memcmp(p, "/../", 4)) ||
               (left == 3 && !memcmp(p, "/..", 3))) {
      i += left == 3 ? 2 : 3;
      s[i] = '/';
      while (olen && o[olen - 1] != '/') olen--;
      if (olen) olen--;
    } else if ((left == 1 && p[0] == '.') ||
               (left == 2 && !memcmp(p, "..", 2))) {
      i = n;
    } else {
      size_t j = i + (s[i] == '/');
      while (j < n && s[j] != '/') j++;
      memcpy(o + olen, s + i, j - i);
      olen += j - i;
      i = j;
    }
  }
  int rc = mw_buf_append(out, o, olen);
  free(s);
  free(o);
  return rc;
}

/* Tracking parameters dropped from the query. Deliberately short: a
 * parameter that selects content must never be dropped, or two articles
 * would share one key.
 *   utm_*           Google Analytics campaign tags, any suffix
 *   spm             Alibaba/Taobao/Youku click tracking
 *   isappinstalled  WeChat share links
 *   from            only with WeChat's share values timeline,
 *                   singlemessage, groupmessage (elsewhere it can page)
 *   wfr             Baidu baijiahao "wfr=spider"
 *   for             only "for=pc" (Baidu baijiahao)
 *   gclid, fbclid   ad click ids
 * Not dropped: timestamp, t, scene, srcid, share_token and the like, which
 * some sites use to select or sign content. */
static bool is_tracking(const char *kv, size_t len) {
  size_t klen = 0;
  while (klen < len && kv[klen] != '=') klen++;
  const char *v = kv + klen + (klen < len);
  size_t vlen = len - klen - (klen < len);
#define KEY_IS(k) (klen == sizeof(k) - 1 && !memcmp(kv, k, klen))
#define VAL_IS(x) (vlen == sizeof(x) - 1 && !memcmp(v, x, vlen))
  if (klen >= 4 && !mw_ascii_ncasecmp(kv, "utm_", 4)) return true;
  if (KEY_IS("spm") || KEY_IS("isappinstalled") || KEY_IS("wfr") ||
      KEY_IS("gclid") || KEY_IS("fbclid"))
    return true;
  if (KEY_IS("from"))
    return VAL_IS("timeline") || VAL_IS("singlemessage") ||
           VAL_IS("groupmessage");
  if (KEY_IS("for")) return VAL_IS("pc");
#undef KEY_IS
#undef VAL_IS
  return false;
}

/* Appends "?" and the query without tracking or empty parameters, in
 * their order; nothing when none is left. */
static int put_query(struct mw_buf *b, const char *q, size_t len) {
  bool first = true;
  size_t i = 0;
  while (i < len) {
    size_t j = i;
    while (j < len && q[j] != '&') j++;
    if (j > i && !is_tracking(q + i, j - i)) {
      int rc = mw_buf_putc(b, first ? '?' : '&');
      if (!rc) rc = mw_buf_append(b, q + i, j - i);
      if (rc) return rc;
      first = false;
    }
    i = j + 1;
  }
  return MW_OK;
}

/* A reference with every component normalised, in its own buffers. */
struct norm {
  struct mw_buf scheme, auth, path, query;
  bool has_scheme, has_auth, has_query;
};

static void norm_init(struct norm *n) {
  memset(n, 0, sizeof *n);
  mw_buf_init(&n->scheme, URL_MAX_OUT);
  mw_buf_init(&n->auth, URL_MAX_OUT);
  mw_buf_init(&n->path, URL_MAX_OUT);
  mw_buf_init(&n->query, URL_MAX_OUT);
}

static void norm_cleanup(struct norm *n) {
  mw_buf_cleanup(&n->scheme);
  mw_buf_cleanup(&n->auth);
  mw_buf_cleanup(&n->path);
  mw_buf_cleanup(&n->query);
}

static struct mw_str view(const struct mw_buf *b) {
  return (struct mw_str){b->data ? b->data : "", b->len};
}

/* Ensures data is allocated so that empty components still read as "". */
static int touch(struct mw_buf *b) { return mw_buf_append(b, "", 0); }

/* Parses and normalises one reference; the authority is normalised later,
 * when it is split into userinfo, host and port. */
static int normalize_ref(const char *s, struct norm *n) {
  struct uri u;
  split(s, &u);
  n->has_scheme = u.has_scheme;
  n->has_auth = u.has_auth;
  n->has_query = u.has_query;
  int rc = touch(&n->scheme);
  for (size_t i = 0; !rc && i < u.scheme.len; i++)
    rc = mw_buf_putc(&n->scheme, (char)mw_ascii_tolower((unsigned char)u.scheme.p[i]));
  if (!rc) rc = touch(&n->auth);
  if (!rc) rc = mw_buf_append(&n->auth, u.auth.p, u.auth.len);
  if (!rc) rc = touch(&n->path);
  if (!rc) rc = put_normalized(&n->path, u.path, ok_path);
  if (!rc) rc = touch(&n->query);
  if (!rc) rc = put_normalized(&n->query, u.query, ok_query);
  return rc;
}

static bool is_http_scheme(const struct mw_buf *scheme) {
  return (scheme->len == 4 && !memcmp(scheme->data, "http", 4)) ||
         (scheme->len == 5 && !memcmp(scheme->data, "https", 5));
}

/* Writes the authority canonically: userinfo kept (normalised), host lower
 * case, port without leading zeros and dropped when it is the scheme's
 * default. */
static int put_authority(struct mw_buf *b, struct mw_str auth, bool https,
                         const char *url, struct mw_err *err) {
  char q[URL_QUOTE + 8];
  const char *at = NULL;
  for (size_t i = 0; i < auth.len; i++)
    if (auth.p[i] == '@') at = auth.p + i;
  int rc = MW_OK;
  if (at) {
    rc = put_normalized(b, (struct mw_str){auth.p, (size_t)(at - auth.p)},
                        ok_userinfo);
    if (!rc) rc = mw_buf_putc(b, '@');
    if (rc) return rc;
    auth.len -= (size_t)(at + 1 - auth.p);
    auth.p = at + 1;
  }
  /* Host: an IP literal in brackets, or a registered name / IPv4. */
  size_t hlen;
  if (auth.len && auth.p[0] == '[') {
    const char *close = memchr(auth.p, ']', auth.len);
    if (!close) {
      quote_url(url, q, sizeof q);
      return mw_err_set(err, MW_EINVAL, "unterminated IPv6 address in URL: %s", q);
    }
    hlen = (size_t)(close - auth.p) + 1;
    for (size_t i = 1; i + 1 < hlen; i++) {
      unsigned char c = (unsigned char)auth.p[i];
      if (!(is_hex(c) || c == ':' || c == '.')) {
        quote_url(url, q, sizeof q);
        return mw_err_set(err, MW_EINVAL, "bad IPv6 address in URL: %s", q);
      }
    }
  } else {
    hlen = 0;
    while (hlen < auth.len && auth.p[hlen] != ':') hlen++;
  }
  size_t host_start = b->len;
  if (auth.p[0] == '[') {
    rc = mw_buf_append(b, auth.p, hlen);
  } else {
    for (size_t i = 0; i < hlen; i++) {
      unsigned char c = (unsigned char)auth.p[i];
      if (c >= 0x80) {
        quote_url(url, q, sizeof q);
        return mw_err_set(err, MW_EINVAL,
                          "internationalised host names are not supported, "
                          "write the xn-- form: %s", q);
      }
      if (!ok_host(c) && c != '%') {
        quote_url(url, q, sizeof q);
        return mw_err_set(err, MW_EINVAL, "bad host in URL: %s", q);
      }
    }
    rc = put_normalized(b, (struct mw_str){auth.p, hlen}, ok_host);
  }
  if (rc) return rc;
  for (size_t i = host_start; i < b->len; i++)
    b->data[i] = (char)mw_ascii_tolower((unsigned char)b->data[i]);
  if (b->len == host_start) {
    quote_url(url, q, sizeof q);
    return mw_err_set(err, MW_EINVAL, "URL has no host: %s", q);
  }
  if (hlen < auth.len) {
    if (auth.p[hlen] != ':') {
      quote_url(url, q, sizeof q);
      return mw_err_set(err, MW_EINVAL, "bad host in URL: %s", q);
    }
    const char *pp = auth.p + hlen + 1;
    size_t plen = auth.len - hlen - 1;
    long port = 0;
    for (size_t i = 0; i < plen; i++) {
      if (!mw_ascii_isdigit((unsigned char)pp[i]) || port > 65535) {
        port = 65536;
        break;
      }
      port = port * 10 + (pp[i] - '0');
    }
    if (port > 65535 || (plen && port == 0)) {
      quote_url(url, q, sizeof q);
      return mw_err_set(err, MW_EINVAL, "bad port in URL: %s", q);
    }
    if (plen && port != (https ? 443 : 80)) rc = mw_buf_printf(b, ":%ld", port);
  }
  return rc;
}

/* RFC 3986 5.2.3. */
static int merge(const struct norm *base, struct mw_str ref_path,
                 struct mw_buf *out) {
  int rc;
  if (base->has_auth && base->path.len == 0) {
    rc = mw_buf_putc(out, '/');
  } else {
    size_t keep = base->path.len;
    while (keep && base->path.data[keep - 1] != '/') keep--;
    rc = mw_buf_append(out, base->path.data, keep);
  }
  if (!rc) rc = mw_buf_append(out, ref_path.p, ref_path.len);
  return rc;
}

/* RFC 3986 5.2.2 on normalised components, into t. Non-strict: "http:g"
 * against an http base is taken as the relative "g", as browsers do. */
static int resolve(struct norm *r, const struct norm *base, struct norm *t) {
  struct mw_buf tmp;
  mw_buf_init(&tmp, URL_MAX_OUT);
  int rc = touch(&t->scheme);
  if (!rc) rc = touch(&t->auth);
  if (!rc) rc = touch(&t->path);
  if (!rc) rc = touch(&t->query);
  if (rc) goto out;
  if (r->has_scheme && base && !r->has_auth && r->scheme.len == base->scheme.len &&
      !memcmp(r->scheme.data, base->scheme.data, r->scheme.len))
    r->has_scheme = false;
  if (r->has_scheme || !base) {
    t->has_scheme = r->has_scheme;
    t->has_auth = r->has_auth;
    t->has_query = r->has_query;
    rc = mw_buf_append(&t->scheme, r->scheme.data, r->scheme.len);
    if (!rc) rc = mw_buf_append(&t->auth, r->auth.data, r->auth.len);
    if (!rc) rc = remove_dot_segments(view(&r->path), &t->path);
    if (!rc) rc = mw_buf_append(&t->query, r->query.data, r->query.len);
    goto out;
  }
  t->has_scheme = base->has_scheme;
  rc = mw_buf_append(&t->scheme, base->scheme.data, base->scheme.len);
  if (rc) goto out;
  if (r->has_auth) {
    t->has_auth = true;
    t->has_query = r->has_query;
    rc = mw_buf_append(&t->auth, r->auth.data, r->auth.len);
    if (!rc) rc = remove_dot_segments(view(&r->path), &t->path);
    if (!rc) rc = mw_buf_append(&t->query, r->query.data, r->query.len);
    goto out;
  }
  t->has_auth = base->has_auth;
  rc = mw_buf_append(&t->auth, base->auth.data, base->auth.len);
  if (rc) goto out;
  if (r->path.len == 0) {
    /* RFC 3986 copies the base's path as it is; a canonical key must not
     * keep its dot segments, or "?a=1" against /d/../c and /c?a=1 would be
     * two articles. */
    rc = remove_dot_segments(view(&base->path), &t->path);
    t->has_query = r->has_query || base->has_query;
    if (!rc)
      rc = r->has_query ? mw_buf_append(&t->query, r->query.data, r->query.len)
                        : mw_buf_append(&t->query, base->query.data, base->query.len);
    goto out;
  }
  if (r->path.data[0] == '/') {
    rc = remove_dot_segments(view(&r->path), &t->path);
  } else {
    rc = touch(&tmp);
    if (!rc) rc = merge(base, view(&r->path), &tmp);
    if (!rc) rc = remove_dot_segments(view(&tmp), &t->path);
  }
  t->has_query = r->has_query;
  if (!rc) rc = mw_buf_append(&t->query, r->query.data, r->query.len);
out:
  mw_buf_cleanup(&tmp);
  return rc;
}

static int check_http(const struct norm *n, const char *url,
                      struct mw_err *err) {
  char q[URL_QUOTE + 8];
  quote_url(url, q, sizeof q);
  if (!n->has_scheme)
    return mw_err_set(err, MW_EINVAL, "relative URL without a base: %s", q);
  if (!is_http_scheme(&n->scheme))
    return mw_err_set(err, MW_EDENIED,
                      "URL scheme '%.32s' is not allowed (only http and "
                      "https): %s", n->scheme.data, q);
  return MW_OK;
}

int mw_url_canonicalize(const char *url, const char *base, char **out,
                        struct mw_err *err) {
  char q[URL_QUOTE + 8];
  if (!url) return mw_err_set(err, MW_EINVAL, "no URL given");
  struct mw_buf clean, bclean, res;
  struct norm r, b, t;
  mw_buf_init(&clean, URL_MAX_IN);
  mw_buf_init(&bclean, URL_MAX_IN);
  mw_buf_init(&res, URL_MAX_OUT);
  norm_init(&r);
  norm_init(&b);
  norm_init(&t);
  int rc = preclean(url, &clean);
  if (rc == MW_ETOOBIG) {
    quote_url(url, q, sizeof q);
    rc = mw_err_set(err, MW_EINVAL, "URL longer than %d bytes: %s", URL_MAX_IN, q);
    goto out;
  }
  if (!rc) rc = normalize_ref(clean.data, &r);
  if (!rc && base && !(r.has_scheme && r.has_auth)) {
    rc = preclean(base, &bclean);
    if (rc == MW_ETOOBIG) {
      quote_url(base, q, sizeof q);
      rc = mw_err_set(err, MW_EINVAL, "base URL longer than %d bytes: %s",
                      URL_MAX_IN, q);
      goto out;
    }
    if (!rc) rc = normalize_ref(bclean.data, &b);
    if (!rc && (rc = check_http(&b, base, err)) != MW_OK) goto out;
    if (!rc && !b.has_auth) {
      quote_url(base, q, sizeof q);
      rc = mw_err_set(err, MW_EINVAL, "base URL has no host: %s", q);
      goto out;
    }
  }
  if (rc) goto nomem;
  rc = resolve(&r, (base && b.scheme.data) ? &b : NULL, &t);
  if (rc) goto nomem;
  if ((rc = check_http(&t, url, err)) != MW_OK) goto out;
  if (!t.has_auth || t.auth.len == 0) {
    quote_url(url, q, sizeof q);
    rc = mw_err_set(err, MW_EINVAL, "URL has no host: %s", q);
    goto out;
  }
  rc = mw_buf_append(&res, t.scheme.data, t.scheme.len);
  if (!rc) rc = mw_buf_puts(&res, "://");
  if (rc) goto nomem;
  rc = put_authority(&res, view(&t.auth), t.scheme.len == 5, url, err);
  if (rc == MW_EINVAL) goto out;
  if (!rc) rc = t.path.len ? mw_buf_append(&res, t.path.data, t.path.len)
                           : mw_buf_putc(&res, '/');
  if (!rc && t.has_query) rc = put_query(&res, t.query.data, t.query.len);
  if (rc) goto nomem;
  *out = mw_buf_steal(&res);
  if (!*out) rc = MW_ENOMEM;
  goto out;
nomem:
  quote_url(url, q, sizeof q);
  if (rc == MW_ETOOBIG)
    rc = mw_err_set(err, MW_EINVAL, "URL too long once encoded: %s", q);
  else
    rc = mw_err_set(err, MW_ENOMEM, "out of memory canonicalising %s", q);
out:
  mw_buf_cleanup(&clean);
  mw_buf_cleanup(&bclean);
  mw_buf_cleanup(&res);
  norm_cleanup(&r);
  norm_cleanup(&b);
  norm_cleanup(&t);
  return rc;
}

bool mw_url_is_http(const char *url) {
  return url && (!mw_ascii_ncasecmp(url, "http://", 7) ||
                 !mw_ascii_ncasecmp(url, "https://", 8));
}

int mw_url_host(const char *url, char *buf, size_t n) {
  if (!mw_url_is_http(url) || !buf || n == 0) return MW_EINVAL;
  bool https = mw_ascii_tolower((unsigned char)url[4]) == 's';
  const char *a = url + (https ? 8 : 7);
  size_t alen = 0;
  while (alen < URL_MAX_IN && a[alen] && !strchr("/?#\\", a[alen])) alen++;
  const char *h = a;
  for (size_t i = 0; i < alen; i++)
    if (a[i] == '@') h = a + i + 1;
  size_t hlen = alen - (size_t)(h - a);
  size_t name_len = hlen;
  if (h[0] == '[') {
    const char *close = memchr(h, ']', hlen);
    if (!close) return MW_EINVAL;
    name_len = (size_t)(close - h) + 1;
  } else {
    const char *colon = memchr(h, ':', hlen);
    if (colon) name_len = (size_t)(colon - h);
  }
  if (name_len == 0) return MW_EINVAL;
  /* A port equal to the default, or an empty one, is dropped. */
  long port = -1;
  if (name_len < hlen) {
    if (h[name_len] != ':') return MW_EINVAL;
    if (name_len + 1 < hlen) port = 0;
    for (size_t i = name_len + 1; i < hlen; i++) {
      if (!mw_ascii_isdigit((unsigned char)h[i]) || port > 65535)
        return MW_EINVAL;
      port = port * 10 + (h[i] - '0');
    }
    if (port > 65535) return MW_EINVAL;
    if (port == (https ? 443 : 80)) port = -1;
  }
  if (name_len + 1 > n) return MW_EINVAL;
  for (size_t i = 0; i < name_len; i++)
    buf[i] = (char)mw_ascii_tolower((unsigned char)h[i]);
  buf[name_len] = '\0';
  if (port >= 0) {
    int w = snprintf(buf + name_len, n - name_len, ":%ld", port);
    if (w < 0 || (size_t)w >= n - name_len) return MW_EINVAL;
  }
  return MW_OK;
}
