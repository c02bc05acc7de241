/*
 * common.h: the helpers every mediawatch library shares, and the parsed
 * configuration that is the only state handed between them.
 *
 * What lives here: error codes and the error struct, (pointer, length)
 * strings, a growable buffer with a ceiling, an arena, civil time and ISO
 * weeks in a configured zone, and the plain structs of the configuration.
 * What does not: loading the configuration (cli/), anything that does I/O
 * beyond reading a zone file.
 *
 * Ownership: functions named _init/_cleanup work on storage the caller owns;
 * _new/_free allocate; every _free and _cleanup accepts NULL.
 */
#ifndef MW_COMMON_H
#define MW_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------- errors */

/* Status codes: 0 is success, failures are negative. */
enum {
  MW_OK = 0,
  MW_EINVAL = -1,   /* bad input: config, rule, argument, document */
  MW_ENOMEM = -2,   /* allocation failed */
  MW_EIO = -3,      /* file or socket error */
  MW_ETOOBIG = -4,  /* a size ceiling was reached */
  MW_ENOTFOUND = -5,
  MW_EPARSE = -6,   /* a document could not be parsed at all */
  MW_EDB = -7,      /* the store refused */
  MW_ENET = -8,     /* a fetch failed */
  MW_EDENIED = -9,  /* refused by policy: robots.txt, scheme, address */
};

#define MW_ERR_MSG_MAX 512

/* Filled by a failing call with a message a user can act on: which file,
 * line, source or URL, and what is wrong. Caller owns the storage. */
struct mw_err {
  int code;
  char msg[MW_ERR_MSG_MAX];
};

/* Sets err (if not NULL) and returns code, so callers can write
 * `return mw_err_set(err, MW_EINVAL, "...")`. */
int mw_err_set(struct mw_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prefixes the message already in err with more context ("FILE: ..."). */
void mw_err_prefix(struct mw_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void mw_err_clear(struct mw_err *err);
/* A short name for a status code; never NULL. */
const char *mw_strerror(int code);

/* --------------------------------------------------------------- strings */

/* A view: not NUL-terminated, owned by whoever owns p. */
struct mw_str {
  const char *p;
  size_t len;
};

#define MW_STR_LIT(s) ((struct mw_str){(s), sizeof(s) - 1})

/* Copies of strings; abort-free: return NULL on allocation failure. */
char *mw_strdup(const char *s);
char *mw_strndup(const char *s, size_t n);
/* The length of s[0..len) cut to at most max bytes without splitting a
 * UTF-8 character (the byte at the cut must not be a continuation). */
size_t mw_utf8_cut(const char *s, size_t len, size_t max);
/* ASCII-only case-insensitive comparison, locale-independent. */
int mw_ascii_casecmp(const char *a, const char *b);
int mw_ascii_ncasecmp(const char *a, const char *b, size_t n);
static inline bool mw_ascii_isspace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}
static inline bool mw_ascii_isdigit(unsigned char c) {
  return c >= '0' && c <= '9';
}
static inline bool mw_ascii_isalpha(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static inline unsigned char mw_ascii_tolower(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}
/* Parses a whole decimal integer in [min, max]; no trailing garbage. */
int mw_parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);
/* Parses durations such as "30s", "15m", "2h", "1d" or plain seconds. */
int mw_parse_duration_s(const char *s, int64_t *out_s);
/* Parses sizes such as "10MB", "512KB", "1GB" or plain bytes. */
int mw_parse_size(const char *s, int64_t *out_bytes);

/* ---------------------------------------------------------------- buffer */

/* A growable byte buffer with a ceiling set at init: growing past max is an
 * error (MW_ETOOBIG), never a silent realloc. data is always NUL-terminated
 * after a successful append, so it can be used as a C string. */
struct mw_buf {
  char *data;
  size_t len;
  size_t cap;
  size_t max; /* bytes, excluding the terminating NUL */
};

void mw_buf_init(struct mw_buf *b, size_t max);
void mw_buf_cleanup(struct mw_buf *b);
void mw_buf_reset(struct mw_buf *b); /* keeps the allocation */
int mw_buf_append(struct mw_buf *b, const void *p, size_t n);
int mw_buf_puts(struct mw_buf *b, const char *s);
int mw_buf_putc(struct mw_buf *b, char c);
int mw_buf_printf(struct mw_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int mw_buf_vprintf(struct mw_buf *b, const char *fmt, va_list ap);
/* Hands the bytes to the caller (free with free()); the buffer is empty
 * afterwards. Returns "" copies as a fresh allocation, NULL on ENOMEM. */
char *mw_buf_steal(struct mw_buf *b);

/* ----------------------------------------------------------------- arena */

/* A region allocator for one document: everything parsing, extraction and
 * matching allocate is released at once by mw_arena_free. max bounds the
 * total bytes handed out (0 = unbounded); over it allocation returns NULL. */
struct mw_arena;

struct mw_arena *mw_arena_new(size_t block_size, size_t max);
void mw_arena_free(struct mw_arena *a);
void *mw_arena_alloc(struct mw_arena *a, size_t n);
char *mw_arena_strndup(struct mw_arena *a, const char *s, size_t n);
char *mw_arena_strdup(struct mw_arena *a, const char *s);
size_t mw_arena_used(const struct mw_arena *a);

/* ------------------------------------------------------------------ time */

/* Times are UTC epoch seconds everywhere; zones only at the edges. */
#define MW_TIME_UNKNOWN INT64_MIN

struct mw_civil {
  int year, month, day;    /* month 1-12, day 1-31 */
  int hour, minute, second;
  int weekday;             /* ISO: 1 = Monday ... 7 = Sunday */
};

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t mw_days_from_civil(int year, int month, int day);
void mw_civil_from_days(int64_t days, int *year, int *month, int *day);
/* Validates ranges (month 1-12, day within month, hour 0-23, ...). */
bool mw_civil_valid(int year, int month, int day, int hour, int minute,
                    int second);
/* Epoch seconds of a civil time at a fixed UTC offset (seconds east). */
int64_t mw_time_from_civil(int year, int month, int day, int hour, int minute,
                           int second, int utc_offset_s);
void mw_time_to_civil(int64_t t, int utc_offset_s, struct mw_civil *out);
/* "2023-05-08T02:00:00Z" into buf (at least 21 bytes). */
void mw_time_format_iso_utc(int64_t t, char *buf, size_t n);
/* "2023-05-08T10:00:00+08:00" at utc_offset_s (seconds east; "+00:00" for
 * 0) into buf (at least 26 bytes). */
void mw_time_format_iso(int64_t t, int utc_offset_s, char *buf, size_t n);

/* A time zone: a fixed offset ("+08:00", "UTC") or an IANA name read from
 * the system's zoneinfo ("Asia/Shanghai"). Opaque; free with mw_tz_free. */
struct mw_tz;

int mw_tz_load(const char *name, struct mw_tz **out, struct mw_err *err);
void mw_tz_free(struct mw_tz *tz);
const char *mw_tz_name(const struct mw_tz *tz);
/* Offset east of UTC in force at UTC instant t. */
int mw_tz_offset_at(const struct mw_tz *tz, int64_t t);
/* Offset to use for a local civil time (first match; gaps resolve to the
 * offset before the transition). */
int mw_tz_offset_for_local(const struct mw_tz *tz, int year, int month,
                           int day, int hour, int minute, int second);
void mw_tz_to_civil(const struct mw_tz *tz, int64_t t, struct mw_civil *out);
int64_t mw_tz_from_civil(const struct mw_tz *tz, int year, int month, int day,
                         int hour, int minute, int second);

/* ISO 8601 weeks (Monday to Sunday). */
void mw_iso_week_of(int year, int month, int day, int *iso_year,
                    int *iso_week);
/* Monday of ISO week (iso_year, iso_week) as a civil date. */
int mw_iso_week_monday(int iso_year, int iso_week, int *year, int *month,
                       int *day);
/* Parses "2023-W19" (also "2023W19"); returns MW_EINVAL with a message. */
int mw_iso_week_parse(const char *s, int *iso_year, int *iso_week,
                      struct mw_err *err);
/* Number of ISO weeks (52 or 53) in iso_year. */
int mw_iso_weeks_in_year(int iso_year);

/* Minutes since local midnight, or -1 for "not set". A window from > to
 * wraps midnight ("22:00-07:00"). */
struct mw_clock_window {
  int from_min, to_min;
};
/* Whether local minute-of-day m lies in w (wrapping midnight when
 * from > to); false for an unset window. */
bool mw_clock_window_has(struct mw_clock_window w, int m);
/* Parses "22:00-07:00" into *w; MW_EINVAL with a message otherwise. */
int mw_clock_window_parse(const char *s, struct mw_clock_window *w,
                          struct mw_err *err);
/* Parses "08:00" into minutes since midnight. */
int mw_clock_parse(const char *s, int *minutes, struct mw_err *err);
/* Parses a roster day word (mon..sun, monday, 周一..周日, 星期一, weekdays,
 * 工作日, weekend, 周末, all, 每天) into a mask, bit 0 Monday. */
int mw_day_mask_parse(const char *s, unsigned *mask, struct mw_err *err);

/* --------------------------------------------------------------- config */

/* The configuration, parsed once (cli/config.c) and handed down as
 * `const struct mw_config *`. Every string is owned by the config and freed
 * by mw_config_free (cli/cli.h). Line numbers point into the config file so
 * later errors (a bad rule, an unreachable source) can say where. */

enum mw_tier {
  MW_TIER_CENTRAL,
  MW_TIER_PROVINCIAL,
  MW_TIER_CITY,
  MW_TIER_COUNTY,
  MW_TIER_PORTAL,
  MW_TIER_NEW_MEDIA,
  MW_TIER_COUNT
};

/* "central", "provincial", "city", "county", "portal", "new-media". */
const char *mw_tier_name(enum mw_tier t);
/* Chinese label for reports: 中央, 省级, 市级, 区县, 政务网站, 新媒体. */
const char *mw_tier_label_zh(enum mw_tier t);
int mw_tier_parse(const char *s, enum mw_tier *out);

enum mw_source_kind {
  MW_SOURCE_FEED,    /* RSS 2.0, RSS 1.0 (RDF), Atom 1.0 */
  MW_SOURCE_HTML,    /* a listing page (issue 4) */
  MW_SOURCE_SITEMAP, /* sitemap.xml (issue 4) */
};

const char *mw_source_kind_name(enum mw_source_kind k);
int mw_source_kind_parse(const char *s, enum mw_source_kind *out);

struct mw_source_conf {
  char *url;
  enum mw_source_kind kind;
  int64_t poll_interval_s;
  int64_t max_pages;   /* html: listing pages followed per poll */
  /* The interval follows the source's publication rate when this and
   * crawler.adaptive are both true: poll_interval_s is then the interval
   * before there is history enough (crawler.adapt_after). */
  bool adaptive;
  /* html: XPath overrides for pages the heuristics get wrong; NULL = none */
  char *links_xpath;   /* on the listing: the <a> elements of articles */
  char *title_xpath;   /* on articles: */
  char *time_xpath;
  char *source_xpath;
  char *body_xpath;
  int line; /* in the config file */
};

struct mw_outlet_conf {
  char *name;
  enum mw_tier tier;
  char *region; /* may be NULL */
  /* The medium, which weighs sensitivity: enum mw_doc_kind of
   * matchers.h (press, portal, social, complaint), or -1 to take it from
   * the tier. A complaint board (留言板) is read as a feed or a page like
   * any outlet, but what it carries weighs more. */
  int media;
  struct mw_source_conf *sources;
  size_t n_sources;
  int line;
};

/* A topic is one of: keywords (any of them), a rule (the rule language of
 * matchers.h), or the grouped form (regions AND subjects AND events, each
 * group any of its words; empty groups left out). exclude applies to
 * whichever is given. */
struct mw_topic_conf {
  char *name;
  char **keywords; /* any of them matches, in title or text */
  size_t n_keywords;
  char *rule;              /* NULL when not given */
  int rule_line, rule_col; /* the rule's scalar in the config file */
  char **regions;          /* 地域词 */
  size_t n_regions;
  char **subjects;         /* 主体词 */
  size_t n_subjects;
  char **events;           /* 事件词 */
  size_t n_events;
  char **exclude;          /* 屏蔽词: none of them may occur */
  size_t n_exclude;
  int line;
};

/* Sensitivity scoring: a lexicon of weighted terms and how hits count. */
struct mw_sensitivity_conf {
  char *lexicon;           /* path, resolved from the config's folder;
                              NULL: no scoring */
  int64_t level_min[4];    /* least score for levels 1 一般 .. 4 特别重大 */
  int64_t title_pct;       /* a title hit weighs this percent of a body hit */
  int64_t negation_window; /* characters a negation may be from its term */
  int64_t kind_pct[5];     /* per enum mw_doc_kind (matchers.h), percent */
};

/* A coverage target (report/targets.c): a scope, a period and a minimum
 * count. Every filter given must pass; a list matches when any of its
 * items does. `each` expands the target into one per item (named
 * "<name>：<item>"), each counting the articles that mention its item. */
struct mw_target_conf {
  char *name;
  char *topic;  /* may be NULL: any topic */
  char *outlet; /* may be NULL */
  int tier;     /* enum mw_tier, or -1 for any */
  char *period; /* "week", "month", "quarter", "year", "range" */
  int64_t min_count;
  int line;
  char **outlets;  /* any of these (with outlet, when both are given) */
  size_t n_outlets;
  char **topics;   /* any of these (with topic) */
  size_t n_topics;
  char **mentions; /* the title or text names any of these */
  size_t n_mentions;
  char **each;     /* one target per item, mentioning it */
  size_t n_each;
  char *from, *to; /* "YYYY-MM-DD", both included; period range only */
  int64_t from_day, to_day; /* the same as days since 1970-01-01 (set by
                               the loader's checks) */
  char *count;     /* "articles" (default) or "stories" */
  bool stories;    /* count is "stories": a reprint cluster counts once */
};

/* ---- alerts (alerts/alerts.h): receivers, routes, the duty roster */

/* How a receiver is reached. */
enum mw_receiver_kind {
  MW_RECEIVER_WEBHOOK,  /* generic JSON POST */
  MW_RECEIVER_WECOM,    /* 企业微信 group robot */
  MW_RECEIVER_DINGTALK, /* 钉钉 robot, signed requests */
  MW_RECEIVER_FEISHU,   /* 飞书 bot, signed when a secret is given */
  MW_RECEIVER_EMAIL,    /* SMTP, STARTTLS */
  MW_RECEIVER_EXEC,     /* a local command, the alert as JSON on stdin */
  MW_RECEIVER_KIND_COUNT
};
/* "webhook", "wecom", "dingtalk", "feishu", "email", "exec". */
const char *mw_receiver_kind_name(enum mw_receiver_kind k);
int mw_receiver_kind_parse(const char *s, enum mw_receiver_kind *out);


struct mw_receiver_conf {
  char *name; /* unique; routes and people name it */
  enum mw_receiver_kind kind;
  /* The robot's or server's address. Robot keys live in the URL (WeCom's
   * key=, DingTalk's access_token=), so the loader refuses such a URL in
   * the config: it is read from url_env or url_file instead. Email:
   * smtp://host:port or smtps://host:port. */
  char *url;
  char *url_env;     /* name of an environment variable holding the URL */
  char *url_file;    /* a file (mode 0600 or stricter) holding the URL */
  /* DingTalk and Feishu signing secret, SMTP password, webhook HMAC key. */
  char *secret_env;
  char *secret_file; /* mode 0600 or stricter */
  char *mail_from;   /* email */
  char **mail_to;
  size_t n_mail_to;
  char *smtp_user;
  bool starttls;     /* email over smtp://: require STARTTLS (default) */
  char **command;    /* exec: argv, run without a shell */
  size_t n_command;
  int64_t exec_timeout_s;
  /* Message text with placeholders ({level_zh}, {title}, {region}, ...;
   * README, Alerts); NULL: the default message. */
  char *template_text;
  /* Levels 1 and 2 are held while quiet and arrive as one digest when the
   * quiet period ends; levels 3 and 4 are never held. */
  char *quiet;                  /* as written, "22:00-07:00"; NULL none */
  struct mw_clock_window quiet_window; /* parsed by the loader */
  bool quiet_weekends;          /* all of Saturday and Sunday */
  /* Daily digest mode: levels 1 and 2 collected into one message a day. */
  bool digest;
  char *digest_at;              /* "08:00" as written */
  int digest_at_min;            /* parsed by the loader */
  int line;
};

/* A route: alerts at or above min_level, in one of regions (or a place
 * under one of them in the gazetteer) and on one of topics go to
 * receivers. An empty list matches anything. The receiver name "duty"
 * means whoever the roster has on duty now. */
struct mw_route_conf {
  char *name;
  int64_t min_level; /* 1..4 */
  char **regions;
  size_t n_regions;
  char **topics;
  size_t n_topics;
  char **receivers;
  size_t n_receivers;
  int line;
};

struct mw_person_conf {
  char *name;        /* unique; the roster and acknowledgements name it */
  char **receivers;  /* how to reach this person */
  size_t n_receivers;
  bool leader;       /* gets escalations (T2) and every level 4 at once */
  bool admin;        /* looks after the sources: gets their problems (a
                        daily digest, and at once for a source that carries
                        a coverage target) */
  int line;
};

/* A shift of the duty roster: on these weekdays, in this window (may wrap
 * midnight: the part after midnight belongs to the next day's date but
 * this shift), people in order: the first is on duty, the next ones are
 * who an unacknowledged alert escalates to after ack_t1. */
struct mw_shift_conf {
  char **days;       /* mon..sun, 周一..周日, weekdays, weekend, all */
  size_t n_days;
  unsigned day_mask; /* parsed: bit 0 Monday .. bit 6 Sunday */
  char *hours;       /* "08:30-17:30"; NULL all day */
  struct mw_clock_window window; /* parsed; -1 both when all day */
  char **people;
  size_t n_people;
  int line;
};

struct mw_alerts_conf {
  char *gazetteer;          /* path of the place list; NULL: none */
  int64_t spread_outlets;   /* distinct outlets that raise the level */
  int64_t spread_window_s;  /* ... within this window */
  int64_t burst_factor_pct; /* last hour over the hour-of-week baseline */
  int64_t burst_min;        /* least mentions in the hour for a burst */
  int64_t burst_weeks;      /* weeks the baseline averages over */
  int64_t deadline_s[4];    /* response deadline per level 1..4 */
  int64_t ack_t1_s;         /* unacknowledged: to the next person */
  int64_t ack_t2_s;         /* unacknowledged: to the leader */
  int64_t repeat_s;         /* notify an open alert again after this */
  int64_t retry_max_s;      /* ceiling of the sender's retry backoff */
  char *link_base;          /* dashboard address for links; NULL none */
  struct mw_receiver_conf *receivers;
  size_t n_receivers;
  struct mw_route_conf *routes;
  size_t n_routes;
  struct mw_person_conf *people;
  size_t n_people;
  struct mw_shift_conf *roster;
  size_t n_roster;
};

struct mw_crawler_conf {
  char *user_agent;
  int64_t concurrency;          /* transfers in flight, all hosts */
  int64_t per_host_concurrency; /* transfers in flight per host */
  int64_t per_host_delay_ms;    /* minimum gap between starts per host */
  int64_t connect_timeout_ms;
  int64_t timeout_ms;           /* whole transfer */
  int64_t low_speed_timeout_ms; /* abort when < 1 byte/s for this long */
  int64_t max_body_bytes;       /* decoded body ceiling */
  int64_t max_redirects;
  int64_t jitter_pct;           /* of the poll interval, 0-50 */
  int64_t backoff_max_s;        /* ceiling of the failure backoff */
  bool respect_robots;
  bool allow_private;           /* loopback/private addresses (tests, demo) */
  bool allow_loopback;          /* 127.0.0.0/8 and ::1 only (tests, demo) */
  /* Adaptive poll intervals (crawler.h, mw_crawl_adaptive_interval). */
  bool adaptive;                /* default for every source */
  int64_t poll_min_s;           /* bounds of an adaptive interval */
  int64_t poll_max_s;
  int64_t adapt_after_s;        /* history a source needs before its
                                   interval adapts */
};

/* The health: section: when a source counts as degraded or broken
 * (health/health.h), and when its problems are told to the admins. */
struct mw_health_conf {
  int64_t unreachable_s;       /* failing this long: broken */
  int64_t links_drop_pct;      /* a listing yielding under this share of its
                                  usual links: degraded (none: broken) */
  int64_t extraction_drop_pct; /* a field (title, date, 来源, body) found
                                  this many points less often than usual:
                                  degraded (found in none: broken) */
  int64_t mojibake_pct;        /* implausible characters over this share of
                                  the recent articles' text: broken */
  int64_t silence_factor;      /* silent this many usual gaps: degraded */
  int64_t silence_min_s;       /* ... and at least this long */
  int64_t body_min;            /* characters a body needs to count */
  int64_t recent_articles;     /* articles the recent shares are taken over */
  char *digest_at;             /* "08:30": the admins' daily digest */
  int digest_minute;           /* the same in minutes after midnight */
};

/* The serve: section: the dashboard and API server. */
struct mw_serve_conf {
  char *listen;              /* "127.0.0.1:8080" by default */
  int64_t session_ttl_s;     /* a session ends this long after last use */
  bool cookie_secure;        /* mark cookies Secure (behind an https proxy) */
  int64_t login_failures;    /* failed sign-ins allowed per address and per
                                name within login_window_s, then 429 */
  int64_t login_window_s;
};

struct mw_config {
  char *path;         /* the file it came from */
  char *storage_path; /* SQLite file, relative to the config's folder */
  char *timezone;     /* "Asia/Shanghai" */
  char *office_name;  /* shown in report headers */
  char *calendar;     /* campaign calendar file, resolved from the config's
                         folder; NULL: none */
  struct mw_tz *tz;   /* loaded from timezone */
  struct mw_crawler_conf crawler;
  struct mw_outlet_conf *outlets;
  size_t n_outlets;
  struct mw_topic_conf *topics;
  size_t n_topics;
  struct mw_target_conf *targets;
  size_t n_targets;
  struct mw_sensitivity_conf sensitivity;
  struct mw_alerts_conf alerts;
  struct mw_serve_conf serve;
  struct mw_health_conf health;
};

#endif
