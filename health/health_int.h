/*
 * health_int.h: what the files of health/ share and nobody else needs:
 * the wording of times and spans, and a problem as JSON (the survey's JSON
 * and the admins' messages carry the same object).
 */
#ifndef MW_HEALTH_INT_H
#define MW_HEALTH_INT_H

#include <jansson.h>

#include "health/health.h"

/* "2026-11-25 03:00 UTC" into buf (at least 24 bytes). */
void health_fmt_utc(int64_t t, char *buf, size_t n);
/* A span in the short form "7h 12m", "3d 4h", "45m" (seconds under a
 * minute count as "0m"). */
void health_fmt_span(int64_t s, char *buf, size_t n);
/* A span in words for a gap or a silence: "23 days", "5 hours",
 * "40 minutes" (rounded down, at least 1 of the unit). */
void health_fmt_span_words(int64_t s, char *buf, size_t n);
/* The same in Chinese: "23 天", "5 小时", "40 分钟". */
void health_fmt_span_zh(int64_t s, char *buf, size_t n);
/* "2026-11-25T10:00:00+08:00" in tz (UTC "Z" when tz is NULL) into buf
 * (at least 32 bytes). */
void health_fmt_iso(const struct mw_tz *tz, int64_t t, char *buf, size_t n);
/* "2026-11-25 10:00" in tz (UTC when tz is NULL), at least 20 bytes. */
void health_fmt_local(const struct mw_tz *tz, int64_t t, char *buf, size_t n);
/* Days since 1970-01-01 of the local date of t in tz, and its minute of
 * the day. */
int64_t health_local_day(const struct mw_tz *tz, int64_t t, int *minute);

/* p, a problem of a source of kind k, as a JSON object (the keys of
 * mw_health_rows_json's problems; detail_zh's spans end at now); NULL on
 * allocation failure or text that is not UTF-8. The caller owns it. */
json_t *health_problem_json(const struct mw_health_problem *p,
                            enum mw_source_kind k, int64_t now,
                            const struct mw_tz *tz);

/* One line of Chinese for a problem of a source of kind k, as an admin
 * reads it in a robot message: "栏目页无文章链接（通常 20 条），模板可能已
 * 改版". Spans end at now. Appended to b. */
int health_problem_zh(const struct mw_health_problem *p, enum mw_source_kind k,
                      int64_t now, struct mw_buf *b);

/* The admins' messages (message.c), Chinese plain text appended to b.
 * The message sent at once for problems ps[0..n) of r's source, the worst
 * first: "【信源失效】长春市生态环境局（承担考核目标）\n<one line per
 * problem>\n<url>\n自 2026-11-25 10:00 起". */
int health_text_now(const struct mw_health_row *r,
                    const struct mw_health_problem *const *ps, size_t n,
                    const struct mw_tz *tz, int64_t now, struct mw_buf *b);
/* The daily digest of every problem of rows: "【信源日报】2026-11-25：3 个
 * 信源异常\n1. ...". */
int health_text_digest(const struct mw_health_row *rows, size_t n_rows,
                       const struct mw_tz *tz, int64_t now, struct mw_buf *b);

#endif
