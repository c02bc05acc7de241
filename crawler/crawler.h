/*
 * crawler.h: getting documents off the network and making sense of them.
 *
 * Two halves. The pure half turns bytes into records and has no loop, no
 * I/O and no globals: feed parsing (RSS 2.0, RSS 1.0/RDF, Atom 1.0), dates
 * in the forms Chinese sites and feeds use, URL canonicalisation, robots.txt
 * rules, OPML source lists. The loop half (mw_crawler) schedules sources and
 * fetches them with libcurl's multi interface driven by a libuv loop; it
 * hands each finished fetch to a callback and leaves parsing, matching and
 * storing to the caller.
 *
 * Ownership is stated at each declaration.
 */
#ifndef MW_CRAWLER_H
#define MW_CRAWLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/common.h"

/* ----------------------------------------------------------------- dates */

/* Parses a publication date as feeds and Chinese pages write it:
 * RFC 822/1123 ("Mon, 08 May 2023 10:00:00 +0800", also with zone names
 * such as GMT, EST, CST-as-China), RFC 3339 / ISO 8601 ("2023-05-08T10:00:00
 * +08:00", "2023-05-08T02:00:00Z"), "2023-05-08 10:00[:00]", "2023/05/08",
 * "2023.05.08", "2023年5月8日[ 10:00|10时00分]", "20230508". Leading labels
 * such as "发布时间：" or "日期:" and surrounding spaces are skipped.
 * A time without a zone is taken at default_offset_s (seconds east of UTC,
 * +28800 for China). Returns MW_OK and sets *out, or MW_EINVAL if s holds
 * no recognisable date or an impossible one (2023-02-30). */
int mw_date_parse(const char *s, size_t len, int default_offset_s,
                  int64_t *out);

/* ------------------------------------------------------------------ URLs */

/* Resolves url against base (base may be NULL when url is absolute) and
 * canonicalises it so the same article has one key: scheme and host lower
 * case, default port dropped, empty path made "/", "." and ".." segments
 * resolved, fragment dropped, tracking parameters (utm_*, spm, from,
 * isappinstalled, ...) removed, percent-encoding of unreserved characters
 * decoded. Only http and https are accepted (MW_EDENIED otherwise).
 * On success *out is a malloc'd string the caller frees. */
int mw_url_canonicalize(const char *url, const char *base, char **out,
                        struct mw_err *err);

/* Copies the lower-case host (with ":port" when not the default) of an
 * absolute http(s) URL into buf. Returns MW_EINVAL when url has none or buf
 * is too small. */
int mw_url_host(const char *url, char *buf, size_t n);

/* True when url starts with http:// or https:// (ASCII case-insensitive). */
bool mw_url_is_http(const char *url);

/* -------------------------------------------------------------- robots.txt */

/* The rules of one robots.txt for one user agent: the group naming the
 * agent (product token match, case-insensitive), else the "*" group.
 * Longest match wins between Allow and Disallow, Allow on a tie; "*" and "$"
 * wildcards as in RFC 9309. Opaque; free with mw_robots_free. */
struct mw_robots;

/* Never fails on bad content: unknown lines are skipped. Returns NULL only
 * on allocation failure. The text is read, not kept. */
struct mw_robots *mw_robots_parse(const char *txt, size_t len,
                                  const char *user_agent);
void mw_robots_free(struct mw_robots *r);
/* path_and_query: the URL's path plus "?query", e.g. "/a/b.html?x=1". */
bool mw_robots_allowed(const struct mw_robots *r, const char *path_and_query);
/* Crawl-delay of the chosen group in milliseconds, 0 when absent. */
int64_t mw_robots_crawl_delay_ms(const struct mw_robots *r);

/* ----------------------------------------------------------------- feeds */

enum mw_feed_format {
  MW_FEED_UNKNOWN,
  MW_FEED_RSS2, /* also RSS 0.9x */
  MW_FEED_RSS1, /* RDF */
  MW_FEED_ATOM,
};

const char *mw_feed_format_name(enum mw_feed_format f); /* "rss2", ... */

/* One entry. Strings are UTF-8, NUL-terminated, owned by the feed; any may
 * be NULL when the feed does not give it. Times are UTC epoch seconds or
 * MW_TIME_UNKNOWN. */
struct mw_feed_entry {
  char *title;   /* text: markup and entities resolved */
  char *link;    /* absolute (xml:base and the feed URL applied) */
  char *id;      /* guid / atom:id / rdf:about, as given */
  int64_t published;
  int64_t updated;
  char *author;  /* name, else e-mail */
  char *text;    /* content, else summary/description, reduced to text */
};

struct mw_feed {
  enum mw_feed_format format;
  char *title;
  char *link;
  char *encoding;  /* the encoding the bytes were decoded from, e.g. "GB18030" */
  bool recovered;  /* the document was not well-formed; this is what could
                      be recovered */
  struct mw_feed_entry *entries;
  size_t n_entries;
  /* What was dropped or repaired, one line each ("entry 3: no link and no
   * id, skipped"); for `sources check` and the source's record. */
  char **problems;
  size_t n_problems;
  /* How often the feed says it may be read (a floor of the poll interval):
   * RSS <ttl> minutes, or sy:updatePeriod / sy:updateFrequency (hourly
   * twice = 1800 s), in seconds; 0 when it says nothing usable. */
  int64_t ttl_s;
  int64_t update_period_s;
  struct mw_arena *arena; /* owns every string above */
};

/* Bounds on what a hostile feed can make the parser hold. Zero fields take
 * the defaults (10,000 entries, 1 MB per field, depth 256). */
struct mw_feed_limits {
  size_t max_entries;
  size_t max_field_bytes;
  int max_depth;
};

/* Parses a feed from raw bytes. http_charset is the charset parameter of the
 * HTTP Content-Type (NULL if none); it overrides the XML declaration, a BOM
 * overrides both. GB2312 and GBK decode as GB18030. base_url (NULL if
 * unknown) resolves relative links together with xml:base. Dates without a
 * zone are taken at default_offset_s. A broken document is parsed as far as
 * it can be recovered (recovered = true). Returns MW_EPARSE with a message
 * only when nothing resembling a feed is found. On success the caller frees
 * *out with mw_feed_free. */
int mw_feed_parse(const char *data, size_t len, const char *http_charset,
                  const char *base_url, int default_offset_s,
                  const struct mw_feed_limits *limits, struct mw_feed **out,
                  struct mw_err *err);
void mw_feed_free(struct mw_feed *feed);

/* ------------------------------------------------------------------ OPML */

/* One feed of an OPML outline. Strings owned by the list. */
struct mw_opml_source {
  char *outlet;  /* outline title/text (the parent's when nested) */
  char *url;     /* xmlUrl */
  char *tier;    /* attribute "tier" or NULL */
  char *region;  /* attribute "region" or NULL */
  char *kind;    /* attribute "kind" or NULL ("feed" implied) */
};

struct mw_opml {
  char *title;
  struct mw_opml_source *sources;
  size_t n_sources;
  struct mw_arena *arena;
};

int mw_opml_parse(const char *data, size_t len, struct mw_opml **out,
                  struct mw_err *err);
void mw_opml_free(struct mw_opml *opml);
/* Writes the config's outlets and sources as OPML 2.0 into out. */
int mw_opml_write(const struct mw_config *cfg, struct mw_buf *out,
                  struct mw_err *err);

/* -------------------------------------------------------------- charsets */

/* Which charset a page is in, and why we think so. */
struct mw_charset_guess {
  char name[32];   /* canonical: "UTF-8", "GB18030", "BIG5", ... GB2312 and
                      GBK labels are returned as GB18030 */
  const char *why; /* static text: "HTTP header", "byte-order mark",
                      "meta charset", "meta http-equiv", "XML declaration",
                      "sniffed: valid UTF-8", "sniffed: GB18030",
                      "label ignored: not valid UTF-8", "default" */
};

/* Decides the charset of an HTML page: BOM, then the HTTP Content-Type
 * charset, then <meta charset> / <meta http-equiv> in the first 4 KB, and
 * when the labels are missing or contradict the bytes (a page labelled
 * UTF-8 that is not valid UTF-8, a GBK label on valid multi-byte UTF-8),
 * sniffing between UTF-8 and GB18030. Never fails. */
void mw_charset_detect(const char *data, size_t len, const char *http_charset,
                       struct mw_charset_guess *out);

/* Converts data from charset to UTF-8 (iconv), appending to out; bytes that
 * do not decode become U+FFFD and are counted in *replaced (may be NULL).
 * MW_EINVAL for an unknown charset, MW_ETOOBIG at out's ceiling. */
int mw_charset_decode(const char *data, size_t len, const char *charset,
                      struct mw_buf *out, size_t *replaced,
                      struct mw_err *err);

/* Detects the charset (mw_charset_detect, into *guess) and decodes into out
 * (as mw_charset_decode), with the same results; a page that is valid
 * UTF-8 is validated once, by the detection, and copied rather than checked
 * again. What a page is read with comes from here. */
int mw_charset_decode_page(const char *data, size_t len,
                           const char *http_charset,
                           struct mw_charset_guess *guess, struct mw_buf *out,
                           size_t *replaced, struct mw_err *err);

/* How much of a decoded text looks like mojibake: counts its non-ASCII
 * characters into *chars and, of them, the implausible ones in Chinese
 * text into *odd: U+FFFD, C1 controls, Latin-1 letters and symbols
 * (U+0080..U+00FF: GBK bytes read as windows-1252), private use, and
 * 汉字 outside GB2312 (UTF-8 read as GBK, or Big5 as GBK, gives mostly
 * those; real mainland text has under 1 %). Invalid UTF-8 bytes count as
 * odd characters. Reads at most len bytes, never past a NUL. */
void mw_text_oddities(const char *s, size_t len, int64_t *chars, int64_t *odd);

/* -------------------------------------------------------------- articles */

/* Per-source XPath overrides (XPath 1.0 over libxml2's HTML DOM) for pages
 * the heuristics get wrong. NULL fields use the heuristics. */
struct mw_article_rules {
  const char *title_xpath;
  const char *time_xpath;
  const char *source_xpath;
  const char *body_xpath;
};

/* What was extracted from one article page. Strings are UTF-8, owned by the
 * struct's arena; any may be NULL when the page does not give it. */
struct mw_extracted {
  char *title;
  int64_t published;   /* UTC epoch s or MW_TIME_UNKNOWN */
  char *origin;        /* 来源 / ContentSource: the outlet that first ran it */
  char *author;        /* 作者 / 记者 */
  char *editor;        /* 责任编辑 */
  char *body;          /* main text, paragraphs separated by '\n' */
  size_t body_chars;   /* characters, not bytes */
  struct mw_charset_guess charset;
  size_t replaced_chars; /* U+FFFD produced while decoding: mojibake signal */
  /* Where each field came from, for `sources check`: e.g. "meta
   * ArticleTitle", "og:title", "h1 matching <title>", "xpath". */
  const char *title_from, *time_from, *origin_from, *body_from;
  struct mw_arena *arena;
};

/* Extracts title, time, 来源, author, editor and body from the raw bytes of
 * an article page at url (for resolving and for a date in the URL). Dates
 * without a zone are taken at default_offset_s. rules may be NULL. Fails
 * only on allocation failure or an unusable rule (MW_EINVAL naming the
 * XPath); a page with no body text gives body NULL, not an error. Free
 * with mw_extracted_free. */
int mw_article_extract(const char *data, size_t len, const char *http_charset,
                       const char *url, int default_offset_s,
                       const struct mw_article_rules *rules,
                       struct mw_extracted **out, struct mw_err *err);
void mw_extracted_free(struct mw_extracted *x);

/* -------------------------------------------------------------- listings */

enum mw_link_kind {
  MW_LINK_ARTICLE,    /* an article page to fetch */
  MW_LINK_NEXT_PAGE,  /* the listing's next page (pagination) */
  MW_LINK_ATTACHMENT, /* PDF, DOC(X), XLS(X), images, archives: recorded,
                         never fetched as articles */
};

struct mw_link {
  char *url;  /* absolute, canonical (mw_url_canonicalize) */
  char *text; /* anchor text, whitespace collapsed; may be "" */
  enum mw_link_kind kind;
  int64_t date; /* a date printed beside the link, or MW_TIME_UNKNOWN */
};

struct mw_listing {
  struct mw_link *links; /* page order, each URL once */
  size_t n_links;
  size_t n_articles, n_next_pages, n_attachments;
  struct mw_charset_guess charset;
  const char *how; /* "xpath", "link-dense block", "article-like URLs" */
  /* The page was nested deeper (or was bigger) than the HTML parser
   * follows, so links past that point may be missing. */
  bool cut;
  struct mw_arena *arena;
};

/* Per-source listing options. */
struct mw_listing_rules {
  const char *links_xpath; /* selects <a> elements; NULL = heuristics */
};

/* Finds the article links of a listing page (栏目页) at url: the
 * link-dense block of the page, links on the same site, article-like URLs
 * (/202305/t20230508_123456.html, /content_123.htm, /art/2023/5/8/...),
 * anchor texts that look like headlines; navigation, footer and
 * "more/更多" links left out. Also the next-page links (下一页, 下页, >,
 * index_1.html numbering) and attachments. Free with mw_listing_free. */
int mw_listing_parse(const char *data, size_t len, const char *http_charset,
                     const char *url, int default_offset_s,
                     const struct mw_listing_rules *rules,
                     struct mw_listing **out, struct mw_err *err);
void mw_listing_free(struct mw_listing *l);

/* -------------------------------------------------------------- sitemaps */

struct mw_sitemap_entry {
  char *loc;       /* absolute URL */
  int64_t lastmod; /* or MW_TIME_UNKNOWN */
  char *title;     /* news:title, may be NULL */
  int64_t published; /* news:publication_date or MW_TIME_UNKNOWN */
};

struct mw_sitemap {
  bool is_index; /* a sitemap index: entries are child sitemaps */
  struct mw_sitemap_entry *entries;
  size_t n_entries;
  struct mw_arena *arena;
};

/* Parses sitemap.xml, a sitemap index or a Google News sitemap (gzip
 * already undone by the fetcher; a .gz body is inflated here with a 50 MB
 * ceiling). Bounded to 50,000 entries as the protocol says. Free with
 * mw_sitemap_free. */
int mw_sitemap_parse(const char *data, size_t len, const char *url,
                     int default_offset_s, struct mw_sitemap **out,
                     struct mw_err *err);
void mw_sitemap_free(struct mw_sitemap *s);

/* ---------------------------------------------------------------- crawler */

/* A source as the crawler sees it. The caller owns the struct and its
 * strings and keeps them alive until the crawler is closed; the crawler
 * updates the scheduling fields (next_due, failures) itself. */
struct mw_crawl_source {
  int64_t id;               /* the store's id, for the caller */
  const char *url;
  int64_t interval_s;       /* poll interval */
  int64_t next_due;         /* epoch s; 0 = as soon as possible */
  int64_t failures;         /* consecutive failures so far */
  const char *etag;         /* validators from the last 200, may be NULL */
  const char *last_modified;
  void *user;
};

enum mw_fetch_status {
  MW_FETCH_OK,            /* 2xx with a body */
  MW_FETCH_NOT_MODIFIED,  /* 304 on a conditional request */
  MW_FETCH_FAILED,        /* network error, HTTP error, over a limit */
  MW_FETCH_DENIED,        /* robots.txt or a scheme/address policy */
};

/* What one fetch produced. Valid only during the callback: copy what must
 * live on. */
struct mw_fetch_result {
  struct mw_crawl_source *source;
  void *page;                /* mw_crawler_fetch_page's page_user; NULL for a
                                poll of the source itself */
  enum mw_fetch_status status;
  long http_status;          /* 0 when no response */
  const char *error;         /* for FAILED/DENIED: what went wrong, with URL */
  const char *final_url;     /* after redirects */
  const char *body;          /* decoded (gzip/deflate undone), NUL-terminated */
  size_t body_len;
  const char *content_type;  /* may be NULL */
  const char *charset;       /* charset parameter of Content-Type, or NULL */
  const char *etag;          /* from a 200, may be NULL */
  const char *last_modified; /* from a 200, may be NULL */
  int64_t retry_after_s;     /* from 429/503, 0 when absent */
  int64_t max_age_s;         /* Cache-Control max-age of the final
                                response (200 or 304), 0 when absent;
                                bounded to a day */
  const char *moved_to;      /* when the request was answered 301 or 308
                                (then maybe more permanent hops): the URL
                                the last of those leading hops pointed
                                to, resolved; NULL otherwise */
  double elapsed_ms;
};

typedef void (*mw_crawl_cb)(const struct mw_fetch_result *res, void *user);

/* The scheduler and fetcher on one loop. Opaque. */
struct mw_crawler;

/* Creates a crawler on loop with the given settings (kept by pointer: the
 * config must outlive the crawler). on_result runs on the loop thread for
 * every finished fetch. Free with mw_crawler_free after mw_crawler_close
 * has called back. */
int mw_crawler_new(void *uv_loop, const struct mw_crawler_conf *conf,
                   mw_crawl_cb on_result, void *user, struct mw_crawler **out,
                   struct mw_err *err);
/* Adds a source to the schedule. In daemon mode it is fetched when due and
 * again every interval (with jitter, backoff after failures, Retry-After);
 * in once mode (mw_crawler_run_once) it is fetched once. */
int mw_crawler_add(struct mw_crawler *c, struct mw_crawl_source *src);
/* Once mode: fetch every added source now (respecting per-host limits) and
 * call on_idle(user) when the last one has finished. */
int mw_crawler_run_once(struct mw_crawler *c, void (*on_idle)(void *user),
                        void *user);
/* Calls on_idle(user) once nothing is queued or in flight: at once if
 * that is already so. Re-arms the once-mode callback, for callers that
 * may ask for more pages after the first idle. */
void mw_crawler_when_idle(struct mw_crawler *c, void (*on_idle)(void *user),
                          void *user);
bool mw_crawler_is_idle(const struct mw_crawler *c);
/* Fetches one page on behalf of src (an article found on a listing, the
 * listing's next page), under the same host limits and robots.txt as
 * polls, unconditionally. The result goes to the crawler's callback with
 * res->source = src and res->page = page_user; the source's schedule is
 * not touched. Pages still queued when the crawler closes are dropped
 * without a callback: the caller owns page_user and must free it then. */
int mw_crawler_fetch_page(struct mw_crawler *c, struct mw_crawl_source *src,
                          const char *url, void *page_user);
/* Backpressure for a caller that cannot keep up: while paused, no new
 * transfer starts (robots.txt fetches included); transfers in flight
 * finish and are delivered, and polls that fall due, pages asked for with
 * mw_crawler_fetch_page and hosts' delays queue as usual. A paused crawler
 * with queued work is not idle. mw_crawler_resume starts every host with
 * queued work again, within the usual limits. Both may be called any
 * number of times, from the result callback too. */
void mw_crawler_pause(struct mw_crawler *c);
void mw_crawler_resume(struct mw_crawler *c);
bool mw_crawler_is_paused(const struct mw_crawler *c);
/* Daemon mode: start the per-source timers. */
int mw_crawler_start(struct mw_crawler *c);
/* Counts for progress lines: done, in flight, waiting. */
void mw_crawler_progress(const struct mw_crawler *c, size_t *done,
                         size_t *active, size_t *queued);
/* Stops scheduling, aborts transfers in flight (no result callbacks after
 * this) and closes every handle; on_closed(user) runs (if not NULL) when
 * the last handle is closed, after which mw_crawler_free may be called. */
void mw_crawler_close(struct mw_crawler *c, void (*on_closed)(void *user),
                      void *user);
void mw_crawler_free(struct mw_crawler *c);

/* The next poll time after an outcome, for the scheduler and for tests:
 * interval with +/- jitter_pct (rand in [0,1)), exponential backoff on
 * failures (interval * 2^(failures-1), capped at backoff_max_s), and never
 * earlier than retry_after_s. */
int64_t mw_crawl_next_due(int64_t now, int64_t interval_s, int64_t failures,
                          int64_t retry_after_s, int64_t jitter_pct,
                          int64_t backoff_max_s, double rand01);

/* How often a source is polled when its interval adapts to how often it
 * publishes. */
struct mw_poll_plan {
  int64_t base_s;        /* the source's poll: used before there is history
                            enough, and widening the bounds below when
                            outside them */
  int64_t min_s, max_s;  /* crawler.poll_min, poll_max */
  int64_t adapt_after_s; /* history needed: since the first poll */
  int64_t window_s;      /* the publication times counted: MW_POLL_WINDOW */
  int64_t floor_s;       /* what the source asks: ttl, sy:updatePeriod,
                            Cache-Control max-age (the largest); 0 none */
};
#define MW_POLL_WINDOW (28 * 86400)
/* The interval for a source first polled at first_fetch (0: never) whose
 * articles were published at times[0..n) (any order; those outside
 * (now - window, now] are not counted): base_s while the source is younger
 * than adapt_after_s; else half the mean gap between articles in the
 * window (window / n / 2; max_s when none), within [min(min_s, base_s),
 * max(max_s, base_s)]; then raised to floor_s, itself capped at that upper
 * bound (a feed's ttl never stops news for longer). why (may be NULL)
 * receives one line saying how, such as "12 articles in 28 days: every
 * 28h, capped at 4h". Failures and Retry-After are mw_crawl_next_due's. */
int64_t mw_crawl_adaptive_interval(const struct mw_poll_plan *p, int64_t now,
                                   int64_t first_fetch, const int64_t *times,
                                   size_t n, char *why, size_t why_len);

#endif
