/*
 * report_int.h: what the files of report/ share: the coverage table and
 * the other sections, laid out once (table.c, sections.c) and rendered by
 * each format (coverage_*.c and sections_*.c, html*.c), so the formats
 * never repeat the grouping, zero-filling or totalling; and the escaping
 * of each format (escape.c).
 */
#ifndef MW_REPORT_INT_H
#define MW_REPORT_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "alerts/alerts.h"
#include "report/report.h"

/* States of alerts/alerts.h, counted per level. */
#define MW_ALERT_STATE_SLOTS MW_STATE_COUNT

/* A count set against the previous period's. */
struct rpt_change {
  int64_t count;
  bool has_prev;      /* a previous period was given */
  int64_t prev;       /* when has_prev */
  int64_t delta;      /* count - prev, when has_prev */
  bool has_pct;       /* has_prev and prev > 0 */
  int64_t pct_tenths; /* 100 * delta / prev in tenths of a percent,
                         rounded half away from zero */
};

/* One line of the table: an outlet, a tier's subtotal or the grand total. */
struct rpt_row {
  const char *name; /* the outlet; NULL for subtotals and the total */
  enum mw_tier tier;
  bool in_config;   /* false: found only in the store's counts */
  int64_t *counts;  /* one per topic, in table order */
  int64_t all;      /* all articles, whatever they matched */
};

struct rpt_topic {
  const char *name;
  bool in_config;
  struct rpt_change total; /* all outlets, against the previous period */
};

/* Outlets rows[first .. first + n) belong to the tier. */
struct rpt_tier {
  enum mw_tier tier;
  size_t first, n;
  struct rpt_row subtotal;
};

/* One day of the period: articles in all and per table topic. */
struct rpt_day {
  char date[16];   /* "2023-05-08" */
  int wday;        /* 0 Monday .. 6 Sunday */
  int64_t all;
  int64_t *topics; /* n_topics counts, table order */
};

/* A top story (reprint cluster). */
struct rpt_story {
  const char *title;           /* "" when unknown */
  const char *original_outlet; /* "" when unknown */
  char first_seen[32];         /* "2023-05-08 10:00" local */
  int64_t article_count, outlet_count;
  const char **outlets;        /* the original's first */
  size_t n_outlets;
};

/* An alert listed in the report. */
struct rpt_alert {
  int64_t id;
  int level; /* 1..4 */
  const char *level_zh, *level_name, *color; /* 一般, general, #hex */
  const char *state, *state_zh;
  const char *title, *region, *assignee, *outlets, *url; /* "" when none */
  char created[32], due[32]; /* local "2023-05-08 10:00"; due "" none */
  bool overdue;
};

/* A source that failed all period. */
struct rpt_failed {
  const char *outlet, *url, *last_error; /* "" when none */
  enum mw_tier tier;
  int64_t failures, last_status;
  char last_ok[32]; /* local "2023-05-08 10:00", "" never */
};

#define RPT_LEVELS 4 /* alert levels 1..4 */

struct rpt_table {
  struct mw_arena *arena; /* everything below lives in it */
  const char *office;     /* office_name or "mediawatch" */
  const char *tz_name;
  /* The period: local dates of the first and the last day, local times of
   * both ends with their offset, the ISO week when it is one. */
  int64_t from, to;
  char first_day[32], last_day[32]; /* "2023-05-08", "2023-05-14" */
  char from_local[48], to_local[48]; /* "2023-05-08T00:00:00+08:00" */
  int iso_year, iso_week; /* 0 when not a week */
  char week[32];          /* "2023-W19", "" when not a week */

  struct rpt_topic *topics; /* config order, then the others by name */
  size_t n_topics;
  bool any_not_in_config;   /* an outlet or topic only the store knows */
  struct rpt_row *outlets;  /* grouped by tier, in tier order */
  size_t n_outlets;
  struct rpt_tier tiers[MW_TIER_COUNT]; /* the tiers with outlets, in order */
  size_t n_tiers;
  struct rpt_row total;
  struct rpt_change articles; /* all articles, against the previous period */

  /* The period in words: kind "week", "month" or "range"; label_zh
   * "2023年第19周", "2023年5月", "2023年5月8日至5月10日"; iso "2023-W19",
   * "2023-05", "" for a range. */
  const char *kind;
  char label_zh[64], iso[32];

  /* The sections beyond the coverage table (sections.c); each only when
   * its has_ flag is set. */
  bool has_daily;
  struct rpt_day *days;
  size_t n_days;
  int64_t day_max; /* the largest day's all, for chart scales */
  bool has_top;
  struct rpt_story *stories;
  size_t n_stories;
  bool has_alerts;
  /* Alerts created in the period, by level (index level - 1) and state. */
  int64_t alert_counts[RPT_LEVELS][MW_ALERT_STATE_SLOTS];
  int64_t alert_level_totals[RPT_LEVELS];
  int64_t alerts_created;
  struct rpt_alert *open_alerts; /* open now, highest level first */
  size_t n_open;
  size_t n_overdue;
  bool has_failed;
  struct rpt_failed *failed;
  size_t n_failed;
  struct rpt_calendar *calendar; /* NULL: no calendar (calendar_int.h) */
  bool has_targets;
  struct rpt_target_row *target_rows; /* behind ones first (targets.c) */
  size_t n_target_rows;
};

/* A coverage target in the report (targets.c). */
struct rpt_target_row {
  const char *name, *period; /* period "week" .. "range" */
  char first[16], last[16];  /* the target period's local days */
  int64_t count, min;
  bool stories;
  enum mw_target_status status;
  int64_t pct_tenths;     /* 100 * count / min, tenths, rounded */
  int64_t elapsed_tenths; /* elapsed share of the period, tenths of % */
  size_t order;           /* config order, for ties */
};

/* Lays out in->targets into t (in t's arena), sorted by status (missed,
 * behind, on track, met) then config order. */
int rpt_targets_build(struct rpt_table *t, const struct mw_config *cfg,
                      const struct mw_report_input *in, struct mw_err *err);
/* "周", "月", "季度", "年", "时段". */
const char *rpt_target_period_zh(const char *period);
/* "66.7%" from tenths. */
void rpt_target_format_pct(int64_t tenths, char *buf, size_t n);
int rpt_targets_md(const struct rpt_table *t, struct mw_buf *out);
int rpt_targets_csv(const struct rpt_table *t, struct mw_buf *out);
struct json_t;
int rpt_targets_json(const struct rpt_table *t, struct json_t *root);
int rpt_targets_html(const struct rpt_table *t, struct mw_buf *out);

/* Lays out the table. Names are copied into the arena (invalid UTF-8
 * replaced by U+FFFD, so every format can trust them). Free with
 * rpt_table_cleanup. */
int rpt_table_build(struct rpt_table *t, const struct mw_config *cfg,
                    const struct mw_report_period *period,
                    const struct mw_coverage *cov,
                    const struct mw_coverage *prev, struct mw_err *err);
void rpt_table_cleanup(struct rpt_table *t);

/* The sections beyond the coverage table, from in (table built first). */
int rpt_sections_build(struct rpt_table *t, const struct mw_config *cfg,
                       const struct mw_report_input *in, struct mw_err *err);
/* A copy of s in t's arena, invalid UTF-8 replaced by U+FFFD; "" for
 * NULL; NULL only when out of memory. */
const char *rpt_clean(struct mw_arena *a, const char *s);
/* "2023-05-08 10:00" in the config's zone (UTC without one). */
void rpt_format_local(const struct mw_config *cfg, int64_t t, char *buf,
                      size_t n);

/* Escaping (escape.c). Markdown: active punctuation backslashed, control
 * characters as spaces. CSV: one RFC 4180 field, a leading = + - @ tab or
 * CR neutralised with an apostrophe. HTML: & < > " ' as entities and
 * control characters as spaces, safe in text and in double-quoted
 * attribute values alike. */
int rpt_md_text(struct mw_buf *out, const char *s);
int rpt_csv_field(struct mw_buf *out, const char *s);
int rpt_html_text(struct mw_buf *out, const char *s);
/* Whether a URL may be a link: http or https only. */
bool rpt_url_linkable(const char *url);

/* "+12", "-3", "0". */
void rpt_format_delta(int64_t delta, char *buf, size_t n);
/* "+40.0%", "-3.3%", "0.0%". */
void rpt_format_pct(int64_t tenths, char *buf, size_t n);

/* The renderers: append to out, returning 0 or the mw_buf error. */
int rpt_coverage_md(const struct rpt_table *t, struct mw_buf *out);
int rpt_coverage_csv(const struct rpt_table *t, struct mw_buf *out);
int rpt_coverage_json(const struct rpt_table *t, struct mw_buf *out);
/* The sections after the coverage table, in each format. */
int rpt_sections_md(const struct rpt_table *t, struct mw_buf *out);
int rpt_sections_csv(const struct rpt_table *t, struct mw_buf *out);
/* Adds the sections' keys to the JSON report root (jansson object). */
struct json_t;
int rpt_sections_json(const struct rpt_table *t, struct json_t *root);
/* The whole HTML page (html.c), its sections after the coverage table
 * (html_sections.c) and its charts (html_charts.c). */
int rpt_html(const struct rpt_table *t, struct mw_buf *out);
int rpt_html_sections(const struct rpt_table *t, struct mw_buf *out);
int rpt_html_charts(const struct rpt_table *t, struct mw_buf *out);
/* The outlets with articles, most first (ties in table order), at most
 * max: indices into t->outlets in idx; returns how many. */
size_t rpt_top_outlets(const struct rpt_table *t, size_t *idx, size_t max);

/* The campaign calendar section (calendar_int.h). */
#include "report/calendar_int.h"

#endif
