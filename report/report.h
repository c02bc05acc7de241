/*
 * report.h: coverage reports, rendered from what the store counted.
 *
 * Pure functions: numbers and the config in, text out. The report never
 * queries the store itself, so it is tested from fixed inputs; the caller
 * (cli/) asks the store for the period's coverage, and for what the other
 * sections show (struct mw_report_input), and hands it over.
 */
#ifndef MW_REPORT_H
#define MW_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "common/common.h"
#include "store/store.h"

enum mw_report_format {
  MW_REPORT_MD,
  MW_REPORT_CSV,  /* UTF-8 with a BOM so Excel and WPS open it cleanly */
  MW_REPORT_JSON,
  MW_REPORT_HTML, /* one self-contained page: inline CSS and SVG, no script */
};

/* "md", "csv", "json", "html"; MW_EINVAL for anything else. */
int mw_report_format_parse(const char *s, enum mw_report_format *out);
/* File extension without the dot. */
const char *mw_report_format_ext(enum mw_report_format f);

/* The period a report covers, in the config's zone. */
struct mw_report_period {
  int iso_year, iso_week; /* 0 when the period is not a week */
  int64_t from, to;       /* [from, to) epoch s */
  int year, month;        /* the calendar month; 0 when not a month */
};

/* The period of ISO week (iso_year, iso_week) in zone tz. */
int mw_report_week_period(const struct mw_tz *tz, int iso_year, int iso_week,
                          struct mw_report_period *out, struct mw_err *err);

/* The period of calendar month (year, month) in zone tz. */
int mw_report_month_period(const struct mw_tz *tz, int year, int month,
                           struct mw_report_period *out, struct mw_err *err);
/* The period from local day first to local day last, both "YYYY-MM-DD"
 * and both included; at most MW_REPORT_MAX_DAYS days. The error names the
 * bad date. */
#define MW_REPORT_MAX_DAYS 366
int mw_report_range_period(const struct mw_tz *tz, const char *first,
                           const char *last, struct mw_report_period *out,
                           struct mw_err *err);
/* The period the change is measured against: the week before a week, the
 * month before a month, else as many days right before. */
int mw_report_prev_period(const struct mw_tz *tz,
                          const struct mw_report_period *p,
                          struct mw_report_period *out, struct mw_err *err);
/* The local midnights cutting p into days: *bounds (malloc'd, free it)
 * gets *n_days + 1 instants, the first p->from and the last p->to. */
int mw_report_period_days(const struct mw_tz *tz,
                          const struct mw_report_period *p, int64_t **bounds,
                          size_t *n_days, struct mw_err *err);

/* Writes the weekly coverage report: header (office, period, week number),
 * totals with the change from the previous period (prev may be NULL), then
 * the table of outlets by topic grouped by tier with a subtotal per tier and
 * a grand total. Every outlet and topic of the config appears, zeros
 * included; outlets and topics found in the store but no longer in the
 * config are listed too. Text from crawled pages is escaped for the format.
 * Appends to out (the caller owns it). */
int mw_report_coverage(const struct mw_config *cfg,
                       const struct mw_report_period *period,
                       const struct mw_coverage *cov,
                       const struct mw_coverage *prev,
                       enum mw_report_format fmt, struct mw_buf *out,
                       struct mw_err *err);

struct mw_calendar_coverage;

/* Everything the full report shows beside the coverage table, gathered
 * from the store by the caller. A section whose has_ flag is false is left
 * out (mw_report_coverage leaves them all out); true with no rows says so
 * in the report ("无"). Nothing here is owned by the report. */
struct mw_report_input {
  const struct mw_coverage *cov;  /* the period; required */
  const struct mw_coverage *prev; /* the previous period; may be NULL */
  /* Articles per day of the period (mw_store_coverage_daily over
   * mw_report_period_days). */
  bool has_daily;
  const struct mw_coverage_daily *daily;
  /* Top stories: mw_store_top_clusters of the period. */
  bool has_top;
  const struct mw_cluster *top;
  size_t n_top;
  /* Sensitive opinion: the alerts created in the period (counted by level
   * and state), and the alerts open as the report is made, whenever they
   * were raised (listed, overdue ones marked). */
  bool has_alerts;
  const struct mw_alert_rec *alerts;
  size_t n_alerts;
  const struct mw_alert_rec *open;
  size_t n_open;
  /* Sources polled in the period without one success. */
  bool has_failed;
  const struct mw_failed_source *failed;
  size_t n_failed;
  /* Campaign calendar: the events in or near the period
   * (mw_calendar_near) with the coverage of their days and of the
   * MW_CALENDAR_LEAD_DAYS days before each (struct mw_calendar_coverage
   * below). */
  bool has_calendar;
  const struct mw_calendar_coverage *calendar;
  size_t n_calendar;
  /* Coverage targets: one row per expanded target (each item its own),
   * counted by the caller (mw_store_target_count) over the target period
   * holding the report's last day, up to the report's end (struct
   * mw_report_target below), in config order. */
  bool has_targets;
  const struct mw_report_target *targets;
  size_t n_targets;
};

/* The full report: header, totals and change, the coverage table, then
 * coverage per day, top stories, sensitive opinion and failed sources as
 * in gives them. Same contract as mw_report_coverage otherwise. */
int mw_report_write(const struct mw_config *cfg,
                    const struct mw_report_period *period,
                    const struct mw_report_input *in,
                    enum mw_report_format fmt, struct mw_buf *out,
                    struct mw_err *err);

/* ---------------------------------------------------------- gathering */

/* What mw_report_gather reads besides the coverage of the period and of
 * the one before (always read). */
enum {
  MW_GATHER_DAILY = 1 << 0,    /* articles per day */
  MW_GATHER_TOP = 1 << 1,      /* top stories */
  MW_GATHER_ALERTS = 1 << 2,   /* alerts of the period, open alerts */
  MW_GATHER_FAILED = 1 << 3,   /* sources failed all period */
  MW_GATHER_CALENDAR = 1 << 4, /* the config's calendar, when it has one */
  MW_GATHER_TARGETS = 1 << 5,  /* the config's targets, when it has any */
  MW_GATHER_ALL = (1 << 6) - 1
};
struct mw_report_data;
/* Reads from st what the sections in what need for period p (gather.c).
 * Free *out with mw_report_data_free. */
int mw_report_gather(const struct mw_config *cfg, struct mw_store *st,
                     const struct mw_report_period *p, unsigned what,
                     struct mw_report_data **out, struct mw_err *err);
/* The input for mw_report_write, pointing into d (valid while d is). */
const struct mw_report_input *mw_report_data_input(
    const struct mw_report_data *d);
void mw_report_data_free(struct mw_report_data *d);
/* Gathers everything and writes the full report of p in fmt onto out. */
int mw_report_build(const struct mw_config *cfg, struct mw_store *st,
                    const struct mw_report_period *p,
                    enum mw_report_format fmt, struct mw_buf *out,
                    struct mw_err *err);

/* ------------------------------------------------------ coverage targets */

/* One target as the report shows it (report/targets.c). Nothing here is
 * owned by the report. */
struct mw_report_target {
  const char *name;   /* "中央媒体每月至少3篇", "各镇街：永昌街道" */
  const char *period; /* "week", "month", "quarter", "year", "range" */
  int64_t from, to;   /* the target's period holding the report's last
                         day, [from, to) (mw_report_target_period) */
  int64_t count;      /* counted over [from, min(to, report's end)) */
  int64_t min;
  bool stories;       /* count is of stories, not articles */
};

enum mw_target_status {
  MW_TARGET_MISSED,   /* 未达标: the period is over, count < min */
  MW_TARGET_BEHIND,   /* 落后: count < min pro-rated to the time elapsed */
  MW_TARGET_ON_TRACK, /* 进度正常 */
  MW_TARGET_MET,      /* 达标: count >= min */
};
/* "未达标", "落后", "进度正常", "达标"; and "missed", "behind",
 * "on_track", "met". */
const char *mw_target_status_zh(enum mw_target_status s);
const char *mw_target_status_name(enum mw_target_status s);

/* The target period of t holding the last local day of report period p
 * in zone tz: its ISO week, calendar month, quarter or year, or for a
 * range [t->from_day, t->to_day] itself (whatever p is). */
int mw_report_target_period(const struct mw_tz *tz,
                            const struct mw_target_conf *t,
                            const struct mw_report_period *p, int64_t *from,
                            int64_t *to, struct mw_err *err);
/* t's status as of instant as_of (the report's end): met when count >=
 * min; once as_of reaches t->to, missed otherwise; before, on track when
 * count >= min times the elapsed fraction of [from, to), else behind. */
enum mw_target_status mw_report_target_status(const struct mw_report_target *t,
                                              int64_t as_of);

/* ------------------------------------------------------ campaign calendar */

/* The campaign calendar (宣传周, 环境日): a file of dated events, one a
 * line, tab-separated (examples/calendar.tsv):
 *
 *   NAME <TAB> FIRST [<TAB> LAST]
 *
 * FIRST and LAST are "MM-DD" for an event on the same days every year
 * (地球日 04-22) or "YYYY-MM-DD" for one set each year (全国城市生活垃圾分类
 * 宣传周 2023-05-22 2023-05-28); LAST, included, defaults to FIRST and
 * must be of the same form, not before FIRST, and at most
 * MW_CALENDAR_MAX_DAYS days on. A yearly event may not cross the new year.
 * Empty lines and lines starting with # are skipped. */
#define MW_CALENDAR_MAX_DAYS 31
#define MW_CALENDAR_MAX_EVENTS 1000
#define MW_CALENDAR_MAX_BYTES (1u << 20)
/* Events in or within this many days of a period are shown; coverage of
 * an event is compared with this many days right before it. */
#define MW_CALENDAR_NEAR_DAYS 7
#define MW_CALENDAR_LEAD_DAYS 7

struct mw_calendar_event {
  char *name;     /* valid UTF-8, no tab or newline */
  int year;       /* 0: every year */
  int month, day; /* the first day */
  int last_month, last_day; /* the last day, same year */
  int line;       /* in the file, for messages */
};

struct mw_calendar {
  struct mw_calendar_event *events; /* file order */
  size_t n_events;
};

/* Parses a calendar from text (len bytes; name is used in messages, e.g.
 * the path). The error names the line and what is wrong with it. *out is
 * malloc'd; free with mw_calendar_free. */
int mw_calendar_parse(const char *text, size_t len, const char *name,
                      struct mw_calendar **out, struct mw_err *err);
/* Reads and parses the file at path (at most MW_CALENDAR_MAX_BYTES). */
int mw_calendar_load(const char *path, struct mw_calendar **out,
                     struct mw_err *err);
void mw_calendar_free(struct mw_calendar *c);

/* One occurrence of an event near a period: its days and the days before
 * it, as local dates and as instants in the zone. */
struct mw_calendar_occurrence {
  const struct mw_calendar_event *event; /* points into the calendar */
  char first[16], last[16];   /* "2023-05-22", "2023-05-28" */
  int n_days;                 /* last - first + 1 */
  int64_t from, to;           /* [from, to): the event's days */
  int64_t lead_from;          /* MW_CALENDAR_LEAD_DAYS days before from */
  int where;                  /* -1 before the period, 0 overlaps it,
                                 1 after it */
};

/* The occurrences of c's events that overlap the period or lie within
 * MW_CALENDAR_NEAR_DAYS days of it, by first day then file order; a
 * yearly event is tried in every year the window touches. *out malloc'd
 * (free it); *n 0 when none. */
int mw_calendar_near(const struct mw_calendar *c, const struct mw_tz *tz,
                     const struct mw_report_period *p,
                     struct mw_calendar_occurrence **out, size_t *n,
                     struct mw_err *err);

/* The coverage around one occurrence, for the report's campaign calendar
 * section: articles in the event's days (during) and in the
 * MW_CALENDAR_LEAD_DAYS days before (lead), both from mw_store_coverage.
 * Nothing here is owned by the report. */
struct mw_calendar_coverage {
  const struct mw_calendar_occurrence *occ;
  const struct mw_coverage *during, *lead;
};

/* ---------------------------------------------------------- work bulletin */

/* The work bulletin (工作简报) in the shape of seeds 001 and 002: the
 * masthead (title, 2023年第N期（总第M期）, the issuing office, the date),
 * 本期要目 (the titles), then one item per story: title, 来源, date and
 * the lead paragraph. HTML for Word and WPS (UTF-8, inline styles, simple
 * paragraphs and tables, 仿宋/宋体, A4) or Markdown. */
enum mw_bulletin_format {
  MW_BULLETIN_HTML,
  MW_BULLETIN_MD,
};
/* "html", "md"; MW_EINVAL for anything else. */
int mw_bulletin_format_parse(const char *s, enum mw_bulletin_format *out);

/* Leads are cut near this many characters, on a sentence end. */
#define MW_BULLETIN_LEAD_CHARS 150

struct mw_bulletin {
  const char *title;  /* masthead, NULL: "工作简报" */
  const char *office; /* issuing office, NULL: none printed */
  int issue;          /* 第N期, 1.. */
  int total;          /* 总第M期, 0: not printed */
  int year, month, day; /* the issue date; the issue's year is its year */
  const struct mw_tz *tz; /* the stories' dates; NULL: UTC */
  const struct mw_bulletin_story *stories; /* in print order */
  size_t n_stories;
};

/* Appends the bulletin to out (the caller owns it); nothing on error.
 * Text from crawled pages is escaped for the format. MW_EINVAL with a
 * message for an issue < 1, a total < issue or a bad date. */
int mw_bulletin_write(const struct mw_bulletin *b, enum mw_bulletin_format fmt,
                      struct mw_buf *out, struct mw_err *err);

/* The lead of an article for the bulletin, appended to out: its first
 * paragraph (a line of text) that is not the title, cut when longer than
 * MW_BULLETIN_LEAD_CHARS characters on the last sentence end (。！？；)
 * before that, else the first one up to twice as far, else at that many
 * characters with "……". Invalid UTF-8 becomes U+FFFD. */
int mw_bulletin_lead(const char *text, const char *title, struct mw_buf *out);

#endif
