/*
 * health.h: is each source still delivering? The commonest way a monitor
 * fails an office is silent: a portal is redesigned and its listing yields
 * no links, a GBK page turns to mojibake, a feed stops, a site moves, and
 * the coverage counts fall to zero until a target is "missed". This
 * library judges each source on its recorded history (store.h, "source
 * health") and tells the admins.
 *
 * What it does: the verdict per source (ok / degraded / broken) with each
 * problem and its evidence; the survey of every active source that
 * `mediawatch sources health` and the dashboard show; the periodic check
 * that records problems found and cleared and writes messages for the
 * people with `admin: true` to the alerts outbox (at once for a source
 * that carries a coverage target, else in a daily digest).
 *
 * What it leaves to others: recording the history (cli/pipeline*.c through
 * store.h), delivering messages (alerts/ through the outbox), the poll
 * interval (crawler.h, mw_crawl_adaptive_interval). Every function that
 * depends on time takes `now` (epoch s) so tests drive the clock.
 */
#ifndef MW_HEALTH_H
#define MW_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/common.h"
#include "store/store.h"

enum mw_health_status {
  MW_HEALTH_OK,
  MW_HEALTH_DEGRADED, /* still delivering, but less or worse than usual */
  MW_HEALTH_BROKEN,   /* coverage from it has stopped or is garbage */
};
/* "ok", "degraded", "broken". */
const char *mw_health_status_name(enum mw_health_status s);
/* 正常, 异常, 失效. */
const char *mw_health_status_label_zh(enum mw_health_status s);

enum mw_problem_code {
  MW_PROBLEM_UNREACHABLE, /* "unreachable": every poll failed for longer
                             than health.unreachable_after (broken) */
  MW_PROBLEM_NO_LINKS,    /* "no_links": the last 200 of a listing, feed or
                             sitemap yielded no link (broken) */
  MW_PROBLEM_FEWER_LINKS, /* "fewer_links": far fewer than its usual number
                             (degraded): template drift */
  MW_PROBLEM_EXTRACTION,  /* "extraction": titles, dates, 来源 or bodies
                             missing from recent articles (degraded; broken
                             when none has it where most did) */
  MW_PROBLEM_MOJIBAKE,    /* "mojibake": recent text implausible over
                             health.mojibake_pct (broken) */
  MW_PROBLEM_SILENT,      /* "silent": no new article for silence_factor
                             usual gaps (degraded) */
  MW_PROBLEM_MOVED,       /* "moved": permanently redirected (degraded):
                             the config should name the new URL */
  MW_PROBLEM_COUNT
};
/* The codes above in quotes, as stored and in JSON. */
const char *mw_problem_code_name(enum mw_problem_code c);
/* 无法访问, 栏目页无文章链接, 链接数骤降, 提取率下降, 疑似乱码, 长期未更新,
 * 网址已永久跳转. */
const char *mw_problem_label_zh(enum mw_problem_code c);

/* One problem with its evidence. Which numbers apply depends on the code:
 *   unreachable  since (first failed poll), count (failed polls),
 *                text (the last error)
 *   no_links, fewer_links
 *                count (links of the last 200), usual (median of the 200s
 *                before, up to 20), since (that last 200)
 *   extraction   field, share and usual_share (0..1), count (recent
 *                articles), url (an example article)
 *   mojibake     share and usual_share (odd characters / non-ASCII
 *                characters), count (recent articles), url and text (an
 *                example article and its title as decoded)
 *   silent       since (the newest article's time), usual (the median gap
 *                between articles, s), count (articles in a year)
 *   moved        url (the new address), since (first poll that saw it)
 */
struct mw_health_problem {
  enum mw_problem_code code;
  enum mw_health_status severity;
  char detail[768];  /* the evidence in words, English, one line, such as
                        "listing yields no article links (usually 20; last
                        answer 2026-11-25 10:00)" */
  int64_t since;
  int64_t count;
  int64_t usual;
  double share, usual_share;
  char field[8];     /* "title", "date", "origin", "body"; "page": article
                        pages that yielded no article at all (share: the
                        share that did, count: pages, url and text: an
                        example and why) */
  char url[1024];
  char text[256];
};

#define MW_HEALTH_MAX_PROBLEMS 12

struct mw_source_health {
  enum mw_health_status status; /* the worst severity; ok when none */
  struct mw_health_problem problems[MW_HEALTH_MAX_PROBLEMS];
  size_t n_problems;            /* worst first */
};

/* Judges one source from its fetch state and history at now. Pure: no
 * store, no clock. A source never polled is ok with no problem. */
void mw_health_judge(const struct mw_health_conf *conf,
                     const struct mw_source_state *src,
                     const struct mw_source_history *h, int64_t now,
                     struct mw_source_health *out);

/* One line of Chinese for problem p of a source of kind k, as the admins'
 * messages and the dashboard show it, such as "栏目页无文章链接（通常 20
 * 条），模板可能已改版"; spans end at now. Appended to b. */
int mw_health_problem_zh(const struct mw_health_problem *p,
                         enum mw_source_kind k, int64_t now, struct mw_buf *b);

/* Whether a coverage target of cfg counts the outlet: names it (outlet,
 * outlets, each) or its tier without naming outlets. Its problems then
 * reach the admins at once. */
bool mw_health_carries_target(const struct mw_config *cfg, const char *outlet,
                              enum mw_tier tier);

/* A verdict as the survey keeps it: only the problems found (a survey of
 * a thousand sources holds a thousand of these). */
struct mw_health_verdict {
  enum mw_health_status status;
  struct mw_health_problem *problems; /* n_problems, worst first; malloc'd
                                         with the row, NULL when none */
  size_t n_problems;
};

/* One row of the survey. */
struct mw_health_row {
  struct mw_source_state src;   /* owned copy (strings malloc'd) */
  enum mw_tier tier;            /* of its outlet in cfg (portal if gone) */
  bool carries_target;
  int64_t last_new;             /* fetched time of its newest article */
  int64_t articles_7d;          /* articles counted in the last 7 days */
  struct mw_health_verdict health;
};
/* Judges every active source of s at now, in mw_store_list_sources order.
 * Free with mw_health_rows_free. */
int mw_health_survey(const struct mw_config *cfg, struct mw_store *s,
                     int64_t now, struct mw_health_row **out, size_t *n,
                     struct mw_err *err);
void mw_health_rows_free(struct mw_health_row *rows, size_t n);

/* The survey as JSON (times ISO 8601 in tz):
 *   {"generated": ISO, "counts": {"ok": N, "degraded": N, "broken": N},
 *    "sources": [{"id", "outlet", "url", "kind", "tier", "status",
 *      "carries_target", "interval_s", "interval_why", "last_fetch",
 *      "last_ok", "last_new", "articles_7d", "moved_to",
 *      "problems": [{"code", "label_zh", "severity", "detail", "detail_zh",
 *                    "since", "count", "usual", "share", "usual_share",
 *                    "field", "url", "text"}]}]}
 * (times null when 0; evidence keys that do not apply to a code are
 * left out). *out malloc'd. */
int mw_health_rows_json(const struct mw_health_row *rows, size_t n,
                        const struct mw_tz *tz, int64_t now, char **out,
                        struct mw_err *err);

/* What one check did. */
struct mw_health_check_stats {
  size_t sources;          /* judged */
  size_t problems_new;     /* found for the first time */
  size_t problems_cleared; /* no longer found */
  size_t messages;         /* written to the outbox (each receiver counts) */
  bool digest;             /* the daily digest went out in this check */
};

/* The periodic check, inside the caller's transaction: surveys every
 * active source, records the problems found and those no longer found
 * (mw_store_problem_*), and writes to the outbox, for every receiver of
 * every person with admin: true:
 *  - at once (kind "source"), a new problem, or one that became broken, of
 *    a source that carries a coverage target;
 *  - once a day at health.digest_at or the first check after it (kind
 *    "source_digest"), one message listing every open problem (none when
 *    there is none), the day remembered in the store (mw_store_state_*).
 * Messages are Chinese text (outbox text) and a JSON object (outbox json:
 * {"event": "source_problem" | "source_digest", "problems": [...]}).
 * Idempotent for a given now. */
int mw_health_check(const struct mw_config *cfg, struct mw_store *s,
                    int64_t now, struct mw_health_check_stats *stats,
                    struct mw_err *err);

#endif
