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

#endif
