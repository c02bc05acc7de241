/*
 * robots.c: the rules of one robots.txt for our user agent (RFC 9309).
 *
 * A robots.txt is a list of groups: one or more User-agent lines followed
 * by Allow / Disallow rules (and the Crawl-delay extension). We keep only
 * the groups that apply to us: those naming our product token (the user
 * agent up to its first '/' or space, compared case-insensitively), all of
 * them merged; failing any, the groups for '*'. A path is then judged by
 * the longest matching rule, Allow winning a tie, with '*' matching any run
 * of characters and a final '$' anchoring the end. Both rules and paths are
 * compared in one percent-encoding: escapes of unreserved characters
 * decoded, other escapes in upper case, bytes outside ASCII escaped.
 *
 * What it leaves to others: fetching robots.txt and what to do when that
 * fails (the fetcher decides: 4xx allows all, 5xx waits), caching per host,
 * Sitemap lines. The parser never fails on content: lines it does not
 * understand are skipped. Hostile files are bounded: only the first
 * 512 KiB are read (RFC 9309 asks for at least 500 KiB), over-long lines
 * are skipped and at most 10,000 rules are kept.
 */
#include <stdlib.h>
#include <string.h>

#include "crawler/crawler.h"

#define ROBOTS_MAX_BYTES (512 * 1024)
#define ROBOTS_MAX_LINE 8192
#define ROBOTS_MAX_RULES 10000
#define ROBOTS_MAX_DELAY_S 86400
/* Longest path we compare; the rest of a longer one is ignored. */
#define ROBOTS_MAX_PATH 16384

struct rule {
  char *pat;     /* normalised, '*' runs collapsed, without a final '$' */
  size_t len;    /* of pat */
  size_t weight; /* length of the rule as written (normalised), for priority */
  bool anchored; /* ended in '$' */
  bool allow;
};

struct rule_set {
  struct rule *rules;
  size_t n, cap;
  int64_t delay_ms;
  bool has_delay;
};

struct mw_robots {
  struct rule_set set;
};

static bool is_unreserved(unsigned char c) {
  return mw_ascii_isalpha(c) || mw_ascii_isdigit(c) || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

static bool is_hex(unsigned char c) {
  return mw_ascii_isdigit(c) || (c >= 'a' && c <= 'f') ||
         (c >= 'A' && c <= 'F');
}

static int hex_val(unsigned char c) {
  return mw_ascii_isdigit(c) ? c - '0' : mw_ascii_tolower(c) - 'a' + 10;
}

/* Writes s in the one encoding used for comparing (RFC 9309 2.2.2) into
 * out, which must hold 3 * len bytes; returns the length written. */
static size_t normalize(const char *s, size_t len, char *out) {
  static const char hex[] = "0123456789ABCDEF";
  size_t o = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '%' && i + 2 < len && is_hex((unsigned char)s[i + 1]) &&
        is_hex((unsigned char)s[i + 2])) {
      unsigned char v = (unsigned char)(hex_val((unsigned char)s[i + 1]) * 16 +
                                        hex_val((unsigned char)s[i + 2]));
      i += 2;
      if (is_unreserved(v)) {
        out[o++] = (char)v;
        continue;
      }
      c = v;
    } else if (c > ' ' && c < 0x7f) {
      out[o++] = (char)c;
      continue;
    }
    out[o++] = '%';
    out[o++] = hex[c >> 4];
    out[o++] = hex[c & 15];
  }
  return o;
}

static void set_cleanup(struct rule_set *s) {
  for (size_t i = 0; i < s->n; i++) free(s->rules[i].pat);
  free(s->rules);
  memset(s, 0, sizeof *s);
}

static int set_add(struct rule_set *s, const char *v, size_t vlen, bool allow) {
  if (s->n >= ROBOTS_MAX_RULES) return MW_OK; /* bounded: ignore the rest */
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 16;
    struct rule *r = realloc(s->rules, cap * sizeof *r);
    if (!r) return MW_ENOMEM;
    s->rules = r;
    s->cap = cap;
  }
  char *pat = malloc(3 * vlen + 1);
  if (!pat) return MW_ENOMEM;
  size_t n = normalize(v, vlen, pat);
  size_t weight = n;
  bool anchored = n && pat[n - 1] == '$';
  if (anchored) n--;
  size_t w = 0; /* collapse runs of '*': they match the same */
  for (size_t i = 0; i < n; i++)
    if (!(pat[i] == '*' && w && pat[w - 1] == '*')) pat[w++] = pat[i];
  pat[w] = '\0';
  s->rules[s->n++] = (struct rule){pat, w, weight, anchored, allow};
  return MW_OK;
}

/* Matches pat (with '*') against the start of s; anchored: all of s. */
static bool match(const struct rule *r, const char *s, size_t slen) {
  const char *p = r->pat;
  size_t plen = r->len, pi = 0, si = 0, star_p = 0, star_s = 0;
  bool star = false;
  for (;;) {
    if (pi == plen && (!r->anchored || si == slen)) return true;
    if (pi < plen && p[pi] == '*') {
      star = true;
      star_p = ++pi;
      star_s = si;
      continue;
    }
    if (si < slen && pi < plen && p[pi] == s[si]) {
      pi++;
      si++;
      continue;
    }
    if (!star || star_s >= slen) return false;
    pi = star_p;
    si = ++star_s;
  }
}

static size_t trim(const char **p, size_t len) {
  while (len && (**p == ' ' || **p == '\t')) (*p)++, len--;
  while (len && ((*p)[len - 1] == ' ' || (*p)[len - 1] == '\t')) len--;
  return len;
}

enum key { K_OTHER, K_AGENT, K_ALLOW, K_DISALLOW, K_DELAY };

/* The keys, with the misspellings Google's parser also accepts. */
static enum key classify(const char *k, size_t len) {
  static const struct {
    const char *name;
    enum key key;
  } keys[] = {
      {"user-agent", K_AGENT}, {"useragent", K_AGENT},
      {"user agent", K_AGENT}, {"allow", K_ALLOW},
      {"disallow", K_DISALLOW}, {"dissallow", K_DISALLOW},
      {"dissalow", K_DISALLOW}, {"disalow", K_DISALLOW},
      {"diasllow", K_DISALLOW}, {"disallaw", K_DISALLOW},
      {"crawl-delay", K_DELAY}, {"crawldelay", K_DELAY},
  };
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    if (strlen(keys[i].name) == len && !mw_ascii_ncasecmp(k, keys[i].name, len))
      return keys[i].key;
  return K_OTHER;
}

/* Length of the product token at the start of s: [A-Za-z_-]+. */
static size_t token_len(const char *s, size_t len) {
  size_t n = 0;
  while (n < len && (mw_ascii_isalpha((unsigned char)s[n]) || s[n] == '_' ||
                     s[n] == '-'))
    n++;
  return n;
}

/* "1", "0.5", "2.25": seconds to milliseconds, capped at a day. */
static bool parse_delay(const char *v, size_t len, int64_t *out_ms) {
  int64_t ms = 0;
  size_t i = 0;
  if (!len || !(mw_ascii_isdigit((unsigned char)v[0]) || v[0] == '.'))
    return false;
  for (; i < len && mw_ascii_isdigit((unsigned char)v[i]); i++)
    if (ms <= ROBOTS_MAX_DELAY_S * 1000LL) ms = ms * 10 + (v[i] - '0') * 1000;
  if (i < len && v[i] == '.') {
    int64_t scale = 100;
    for (i++; i < len && mw_ascii_isdigit((unsigned char)v[i]); i++) {
      ms += (v[i] - '0') * scale;
      scale /= 10;
    }
  }
  if (i != len) return false;
  if (ms > ROBOTS_MAX_DELAY_S * 1000LL) ms = ROBOTS_MAX_DELAY_S * 1000LL;
  *out_ms = ms;
  return true;
}

struct mw_robots *mw_robots_parse(const char *txt, size_t len,
                                  const char *user_agent) {
  struct mw_robots *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  /* Our product token: the agent up to '/' or a space. */
  const char *ua = user_agent ? user_agent : "";
  size_t ua_len = strcspn(ua, "/ \t");
  ua_len = token_len(ua, ua_len);

  struct rule_set spec = {0}, star = {0};
  bool spec_seen = false;   /* a group names us, even an empty one */
  bool in_agents = false;   /* the previous key line was a User-agent */
  bool g_spec = false, g_star = false; /* the current group applies */
  if (!txt) len = 0;
  if (len > ROBOTS_MAX_BYTES) len = ROBOTS_MAX_BYTES;
  size_t i = 0;
  if (len >= 3 && !memcmp(txt, "\xEF\xBB\xBF", 3)) i = 3;
  while (i < len) {
    size_t start = i;
    while (i < len && txt[i] != '\n' && txt[i] != '\r') i++;
    const char *line = txt + start;
    size_t llen = i - start;
    if (i < len && txt[i] == '\r') {
      i++;
      if (i < len && txt[i] == '\n') i++;
    } else if (i < len) {
      i++;
    }
    if (llen > ROBOTS_MAX_LINE) continue;
    const char *hash = memchr(line, '#', llen);
    if (hash) llen = (size_t)(hash - line);
    const char *colon = memchr(line, ':', llen);
    if (!colon) continue;
    const char *k = line, *v = colon + 1;
    size_t klen = trim(&k, (size_t)(colon - line));
    size_t vlen = trim(&v, llen - (size_t)(v - line));
    enum key key = classify(k, klen);
    int rc = MW_OK;
    switch (key) {
      case K_AGENT: {
        if (!in_agents) g_spec = g_star = false;
        in_agents = true;
        size_t tl = token_len(v, vlen);
        if (vlen && v[0] == '*' && (vlen == 1 || v[1] == ' ' || v[1] == '\t')) {
          g_star = true;
        } else if (tl && tl == ua_len && !mw_ascii_ncasecmp(v, ua, tl)) {
          g_spec = true;
          spec_seen = true;
        }
        break;
      }
      case K_ALLOW:
      case K_DISALLOW:
        in_agents = false;
        if (vlen == 0) break; /* an empty rule allows all: nothing to add */
        if (g_spec) rc = set_add(&spec, v, vlen, key == K_ALLOW);
        else if (g_star) rc = set_add(&star, v, vlen, key == K_ALLOW);
        break;
      case K_DELAY: {
        in_agents = false;
        struct rule_set *s = g_spec ? &spec : g_star ? &star : NULL;
        int64_t ms;
        if (s && !s->has_delay && parse_delay(v, vlen, &ms)) {
          s->delay_ms = ms;
          s->has_delay = true;
        }
        break;
      }
      case K_OTHER:
        break; /* Sitemap and unknown lines do not end a list of agents */
    }
    if (rc) {
      set_cleanup(&spec);
      set_cleanup(&star);
      free(r);
      return NULL;
    }
  }
  if (spec_seen) {
    r->set = spec;
    set_cleanup(&star);
  } else {
    r->set = star;
    set_cleanup(&spec);
  }
  return r;
}

void mw_robots_free(struct mw_robots *r) {
  if (!r) return;
  set_cleanup(&r->set);
  free(r);
}

bool mw_robots_allowed(const struct mw_robots *r, const char *path_and_query) {
  if (!r || r->set.n == 0) return true;
  const char *p = path_and_query && *path_and_query ? path_and_query : "/";
  size_t len = strnlen(p, ROBOTS_MAX_PATH);
  /* RFC 9309 2.2.2: /robots.txt itself is always allowed. */
  if (len == 11 && !memcmp(p, "/robots.txt", 11)) return true;
  char stack[1024];
  char *norm = 3 * len <= sizeof stack ? stack : malloc(3 * len);
  if (!norm) return false; /* cannot judge: be polite */
  size_t n = normalize(p, len, norm);
  bool found = false, allow = true;
  size_t best = 0;
  for (size_t i = 0; i < r->set.n; i++) {
    const struct rule *ru = &r->set.rules[i];
    if (found && ru->weight < best) continue;
    if (found && ru->weight == best && (allow || !ru->allow)) continue;
    if (!match(ru, norm, n)) continue;
    found = true;
    best = ru->weight;
    allow = ru->allow;
  }
  if (norm != stack) free(norm);
  return allow;
}

int64_t mw_robots_crawl_delay_ms(const struct mw_robots *r) {
  return r && r->set.has_delay ? r->set.delay_ms : 0;
}
