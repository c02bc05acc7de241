/*
 * report_int.h: what the files of report/ share: the coverage table, laid
 * out once (table.c) and rendered by each format (coverage_md.c,
 * coverage_csv.c, coverage_json.c), so the formats never repeat the
 * grouping, zero-filling or totalling.
 */
#ifndef MW_REPORT_INT_H
#define MW_REPORT_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "report/report.h"

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
};

/* Lays out the table. Names are copied into the arena (invalid UTF-8
 * replaced by U+FFFD, so every format can trust them). Free with
 * rpt_table_cleanup. */
int rpt_table_build(struct rpt_table *t, const struct mw_config *cfg,
                    const struct mw_report_period *period,
                    const struct mw_coverage *cov,
                    const struct mw_coverage *prev, struct mw_err *err);
void rpt_table_cleanup(struct rpt_table *t);

/* "+12", "-3", "0". */
void rpt_format_delta(int64_t delta, char *buf, size_t n);
/* "+40.0%", "-3.3%", "0.0%". */
void rpt_format_pct(int64_t tenths, char *buf, size_t n);

/* The renderers: append to out, returning 0 or the mw_buf error. */
int rpt_coverage_md(const struct rpt_table *t, struct mw_buf *out);
int rpt_coverage_csv(const struct rpt_table *t, struct mw_buf *out);
int rpt_coverage_json(const struct rpt_table *t, struct mw_buf *out);

#endif
