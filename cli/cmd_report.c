/*
 * cmd_report.c: `mediawatch report`: the coverage report of a week, a
 * month or a range of days. Gathers from the store what every section
 * needs (coverage of the period and of the one before, articles per day,
 * top stories, alerts, failed sources) and hands it to the report
 * library, which renders it without touching the store.
 *
 * What it leaves to others: the periods and rendering (report/), the
 * queries (store/).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "report/report.h"
#include "store/store.h"

/* Stories listed under 重点稿件. */
#define TOP_STORIES 10

static const char report_help[] =
    "usage: mediawatch report (--week YYYY-Www | --month YYYY-MM |\n"
    "                          --from YYYY-MM-DD --to YYYY-MM-DD)\n"
    "                         [--format md|csv|json|html] [--out FILE]\n"
    "                         [--config FILE]\n\n"
    "Coverage of one period in the config's time zone: totals and the change\n"
    "from the period before (the week before a week, the month before a\n"
    "month, as many days before a range), articles per outlet and topic\n"
    "grouped and subtotalled by tier, articles per day, the top stories with\n"
    "who reprinted them, sensitive opinion (alerts by level and state, the\n"
    "open and overdue ones), the campaign calendar's events within 7 days of\n"
    "the period with the coverage around each (config key calendar), the\n"
    "sources that failed all period, and the attainment of the config's\n"
    "targets over their period holding the report's last day (met, on\n"
    "track pro-rated, or behind).\n\n"
    "  -w, --week YYYY-Www  an ISO week, Monday to Sunday, e.g. 2023-W19\n"
    "  -m, --month YYYY-MM  a calendar month, e.g. 2023-05\n"
    "      --from DATE      first day of a range, e.g. 2023-05-08\n"
    "      --to DATE        last day of the range, included (at most 366 "
    "days)\n"
    "  -f, --format FMT     md (default), csv (UTF-8 with BOM), json, or html\n"
    "                       (one self-contained page, printable on A4)\n"
    "  -o, --out FILE       write there instead of standard output\n"
    "  -c, --config FILE    config file (default mediawatch.yaml)\n";

/* What the store gave for one report; freed by gathered_free. */
struct gathered {
  struct mw_coverage *cov, *prev;
  int64_t *bounds;
  size_t n_days;
  struct mw_coverage_daily *daily;
  struct mw_cluster *top;
  size_t n_top;
  struct mw_alert_rec *alerts, *open;
  size_t n_alerts_all, n_open_all; /* as allocated, for freeing */
  struct mw_failed_source *failed;
  size_t n_failed;
  /* The campaign calendar: occurrences near the period, and per
   * occurrence the coverage of its days and of the days before. */
  struct mw_calendar *calendar;
  struct mw_calendar_occurrence *occ;
  size_t n_occ;
  struct mw_calendar_coverage *cal_cov; /* n_occ */
  struct mw_coverage **cal_owned;       /* 2 * n_occ: during, lead */
  /* Coverage targets, `each` expanded: one row per target or item; the
   * names of expanded rows are malloc'd (owned[i], else NULL). */
  struct mw_report_target *targets;
  char **target_owned;
  size_t n_targets;
};

static void gathered_free(struct gathered *g) {
  mw_coverage_free(g->cov);
  mw_coverage_free(g->prev);
  free(g->bounds);
  mw_coverage_daily_free(g->daily);
  mw_store_clusters_free(g->top, g->n_top);
  mw_alert_recs_free(g->alerts, g->n_alerts_all);
  mw_alert_recs_free(g->open, g->n_open_all);
  mw_failed_sources_free(g->failed, g->n_failed);
  for (size_t i = 0; g->cal_owned && i < 2 * g->n_occ; i++)
    mw_coverage_free(g->cal_owned[i]);
  free(g->cal_owned);
  free(g->cal_cov);
  free(g->occ);
  mw_calendar_free(g->calendar);
  for (size_t i = 0; g->target_owned && i < g->n_targets; i++)
    free(g->target_owned[i]);
  free(g->target_owned);
  free(g->targets);
}

/* Up to two names (one, the single form, may be NULL) and a list, as one
 * array in v (room for n + 1); returns how many. */
static size_t join_names(const char *one, char *const *list, size_t n,
                         const char **v) {
  size_t k = 0;
  if (one) v[k++] = one;
  for (size_t i = 0; i < n; i++) v[k++] = list[i];
  return k;
}

/* Counts target t (item: its `each` item, or NULL) over its period holding
 * the report's last day, up to the report's end, into *r. */
static int count_target(const struct mw_config *cfg, struct mw_store *st,
                        const struct mw_report_period *p,
                        const struct mw_target_conf *t, const char *item,
                        struct mw_report_target *r, struct mw_err *err) {
  int rc = mw_report_target_period(cfg->tz, t, p, &r->from, &r->to, err);
  if (rc) return rc;
  r->period = t->period ? t->period : "month";
  r->min = t->min_count;
  r->stories = t->stories;
  const char **outlets = calloc(t->n_outlets + 1, sizeof *outlets);
  const char **topics = calloc(t->n_topics + 1, sizeof *topics);
  if (!outlets || !topics) {
    free(outlets);
    free(topics);
    return mw_err_set(err, MW_ENOMEM, "report: out of memory");
  }
  struct mw_target_query q = {
      .from = r->from,
      .to = r->to < p->to ? r->to : p->to,
      .outlets = outlets,
      .n_outlets = join_names(t->outlet, t->outlets, t->n_outlets, outlets),
      .tier = t->tier,
      .topics = topics,
      .n_topics = join_names(t->topic, t->topics, t->n_topics, topics),
      .mentions = item ? &item : (const char *const *)t->mentions,
      .n_mentions = item ? 1 : t->n_mentions,
      .stories = t->stories,
  };
  /* A report ending before the target period starts counts nothing. */
  if (q.to < q.from) q.to = q.from;
  rc = mw_store_target_count(st, &q, &r->count, err);
  free(outlets);
  free(topics);
  return rc;
}

/* Brings the mentions index up to date for every mention and `each` term
 * of the config in one pass (a target count indexes its own terms
 * otherwise, one pass per target). */
static int index_mentions(const struct mw_config *cfg, struct mw_store *st,
                          struct mw_err *err) {
  const char **terms;
  size_t n;
  int rc = mw_store_config_mentions(cfg, &terms, &n, err);
  if (!rc) rc = mw_store_index_mentions(st, terms, n, err);
  free(terms);
  return rc;
}

/* Every target of the config, `each` expanded into "<name>：<item>". */
static int gather_targets(const struct mw_config *cfg, struct mw_store *st,
                          const struct mw_report_period *p,
                          struct gathered *g, struct mw_err *err) {
  size_t n = 0;
  for (size_t i = 0; i < cfg->n_targets; i++)
    n += cfg->targets[i].n_each ? cfg->targets[i].n_each : 1;
  g->targets = calloc(n ? n : 1, sizeof *g->targets);
  g->target_owned = calloc(n ? n : 1, sizeof *g->target_owned);
  if (!g->targets || !g->target_owned)
    return mw_err_set(err, MW_ENOMEM, "report: out of memory");
  int rc = index_mentions(cfg, st, err);
  for (size_t i = 0; !rc && i < cfg->n_targets; i++) {
    const struct mw_target_conf *t = &cfg->targets[i];
    for (size_t j = 0; !rc && j < (t->n_each ? t->n_each : 1); j++) {
      struct mw_report_target *r = &g->targets[g->n_targets];
      const char *item = t->n_each ? t->each[j] : NULL;
      r->name = t->name;
      if (item) {
        struct mw_buf b;
        mw_buf_init(&b, 4096);
        if (mw_buf_printf(&b, "%s：%s", t->name, item) ||
            !(g->target_owned[g->n_targets] = mw_buf_steal(&b))) {
          mw_buf_cleanup(&b);
          return mw_err_set(err, MW_ENOMEM, "report: out of memory");
        }
        r->name = g->target_owned[g->n_targets];
      }
      g->n_targets++;
      rc = count_target(cfg, st, p, t, item, r, err);
    }
  }
  return rc;
}

/* The config's calendar, its events near p and the coverage around each:
 * the event's days and the MW_CALENDAR_LEAD_DAYS days before. */
static int gather_calendar(const struct mw_config *cfg, struct mw_store *st,
                           const struct mw_report_period *p,
                           struct gathered *g, struct mw_err *err) {
  int rc = mw_calendar_load(cfg->calendar, &g->calendar, err);
  if (!rc) rc = mw_calendar_near(g->calendar, cfg->tz, p, &g->occ, &g->n_occ,
                                 err);
  if (rc) return rc;
  g->cal_cov = calloc(g->n_occ ? g->n_occ : 1, sizeof *g->cal_cov);
  g->cal_owned = calloc(g->n_occ ? 2 * g->n_occ : 1, sizeof *g->cal_owned);
  if (!g->cal_cov || !g->cal_owned) {
    g->n_occ = 0;
    return mw_err_set(err, MW_ENOMEM, "report: out of memory");
  }
  for (size_t i = 0; !rc && i < g->n_occ; i++) {
    struct mw_calendar_coverage *c = &g->cal_cov[i];
    struct mw_coverage **during = &g->cal_owned[2 * i],
                       **lead = &g->cal_owned[2 * i + 1];
    c->occ = &g->occ[i];
    rc = mw_store_coverage(st, g->occ[i].from, g->occ[i].to, during, err);
    if (!rc)
      rc = mw_store_coverage(st, g->occ[i].lead_from, g->occ[i].from, lead,
                             err);
    c->during = *during;
    c->lead = *lead;
  }
  return rc;
}

/* Moves the alerts created before `before` to the front, keeping their
 * order; returns how many. The array keeps all n for freeing. */
static size_t keep_created_before(struct mw_alert_rec *a, size_t n,
                                  int64_t before) {
  size_t kept = 0;
  for (size_t i = 0; i < n; i++) {
    if (a[i].created >= before) continue;
    if (i != kept) {
      struct mw_alert_rec tmp = a[kept];
      a[kept] = a[i];
      a[i] = tmp;
    }
    kept++;
  }
  return kept;
}

static int gather(const struct mw_config *cfg, struct mw_store *st,
                  const struct mw_report_period *p, struct gathered *g,
                  struct mw_report_input *in, struct mw_err *err) {
  struct mw_report_period prev;
  int rc = mw_report_prev_period(cfg->tz, p, &prev, err);
  if (!rc) rc = mw_store_coverage(st, p->from, p->to, &g->cov, err);
  if (!rc) rc = mw_store_coverage(st, prev.from, prev.to, &g->prev, err);
  if (!rc) rc = mw_report_period_days(cfg->tz, p, &g->bounds, &g->n_days, err);
  if (!rc)
    rc = mw_store_coverage_daily(st, g->bounds, g->n_days, &g->daily, err);
  if (!rc)
    rc = mw_store_top_clusters(st, p->from, p->to, TOP_STORIES, &g->top,
                               &g->n_top, err);
  /* Alerts raised in the period (counted), and every alert open now (the
   * duty desk's backlog as the report is made, listed whenever raised: a
   * story of the period may be alerted only when it is crawled later). */
  struct mw_alert_filter created = {.since = p->from};
  struct mw_alert_filter open = {.open_only = true};
  if (!rc)
    rc = mw_store_alert_list(st, &created, &g->alerts, &g->n_alerts_all, err);
  if (!rc) rc = mw_store_alert_list(st, &open, &g->open, &g->n_open_all, err);
  if (!rc)
    rc = mw_store_failed_sources(st, p->from, p->to, &g->failed, &g->n_failed,
                                 err);
  if (!rc && cfg->calendar) rc = gather_calendar(cfg, st, p, g, err);
  if (!rc && cfg->n_targets) rc = gather_targets(cfg, st, p, g, err);
  if (rc) return rc;
  *in = (struct mw_report_input){
      .cov = g->cov,
      .prev = g->prev,
      .has_daily = true,
      .daily = g->daily,
      .has_top = true,
      .top = g->top,
      .n_top = g->n_top,
      .has_alerts = true,
      .alerts = g->alerts,
      .n_alerts = keep_created_before(g->alerts, g->n_alerts_all, p->to),
      .open = g->open,
      .n_open = g->n_open_all,
      .has_failed = true,
      .failed = g->failed,
      .n_failed = g->n_failed,
      .has_calendar = cfg->calendar != NULL,
      .calendar = g->cal_cov,
      .n_calendar = g->n_occ,
      .has_targets = cfg->n_targets > 0,
      .targets = g->targets,
      .n_targets = g->n_targets,
  };
  return MW_OK;
}

/* The whole report of period p to out; errbuf gets the message. */
static int write_report(const struct mw_config *cfg, struct mw_store *st,
                        const struct mw_report_period *p, int format, FILE *out,
                        char *errbuf, size_t errlen) {
  struct mw_err err = {0};
  struct gathered g = {0};
  struct mw_report_input in;
  struct mw_buf text;
  mw_buf_init(&text, 64u << 20);
  int rc = gather(cfg, st, p, &g, &in, &err);
  if (!rc)
    rc = mw_report_write(cfg, p, &in, (enum mw_report_format)format, &text,
                         &err);
  if (!rc && fwrite(text.data, 1, text.len, out) != text.len)
    rc = mw_err_set(&err, MW_EIO, "cannot write the report");
  if (rc) snprintf(errbuf, errlen, "%s", err.msg);
  gathered_free(&g);
  mw_buf_cleanup(&text);
  return rc;
}

int mw_cli_write_week_report(const struct mw_config *cfg, struct mw_store *st,
                             int iso_year, int iso_week, int format, FILE *out,
                             char *errbuf, size_t errlen) {
  struct mw_err err = {0};
  struct mw_report_period period;
  if (mw_report_week_period(cfg->tz, iso_year, iso_week, &period, &err)) {
    snprintf(errbuf, errlen, "%s", err.msg);
    return err.code ? err.code : MW_EINVAL;
  }
  return write_report(cfg, st, &period, format, out, errbuf, errlen);
}

/* "YYYY-MM" into year and month; false when it is not one. */
static bool parse_month(const char *s, int *year, int *month) {
  int64_t y, m;
  if (strnlen(s, 8) != 7 || s[4] != '-') return false;
  char ys[5], ms[3];
  memcpy(ys, s, 4);
  ys[4] = '\0';
  memcpy(ms, s + 5, 2);
  ms[2] = '\0';
  if (!mw_ascii_isdigit((unsigned char)ms[0]) ||
      mw_parse_int64(ys, 1970, 9999, &y) || mw_parse_int64(ms, 1, 12, &m))
    return false;
  *year = (int)y;
  *month = (int)m;
  return true;
}

/* The period the options name; MW_EXIT_USAGE after a message when they
 * name none, more than one, or a bad one. */
static int choose_period(const struct mw_config *cfg, const char *week,
                         const char *month, const char *from, const char *to,
                         struct mw_report_period *p) {
  struct mw_err err = {0};
  int kinds = (week != NULL) + (month != NULL) + (from || to);
  if (kinds != 1) {
    mw_cli_error("give one period: --week, --month, or --from with --to");
    return MW_EXIT_USAGE;
  }
  if (week) {
    int y, w;
    if (mw_iso_week_parse(week, &y, &w, &err) ||
        mw_report_week_period(cfg->tz, y, w, p, &err)) {
      mw_cli_error("--week: %s", err.msg);
      return MW_EXIT_USAGE;
    }
  } else if (month) {
    int y, m;
    if (!parse_month(month, &y, &m)) {
      mw_cli_error("--month: '%s' is not a month like 2023-05", month);
      return MW_EXIT_USAGE;
    }
    if (mw_report_month_period(cfg->tz, y, m, p, &err)) {
      mw_cli_error("--month: %s", err.msg);
      return MW_EXIT_USAGE;
    }
  } else {
    if (!from || !to) {
      mw_cli_error("--from and --to go together (both days are included)");
      return MW_EXIT_USAGE;
    }
    if (mw_report_range_period(cfg->tz, from, to, p, &err)) {
      mw_cli_error("--from/--to: %s", err.msg);
      return MW_EXIT_USAGE;
    }
  }
  return MW_EXIT_OK;
}

int mw_cmd_report(int argc, char **argv) {
  enum { OPT_FROM = 256, OPT_TO };
  static const struct option opts[] = {
      {"config", required_argument, NULL, 'c'},
      {"week", required_argument, NULL, 'w'},
      {"month", required_argument, NULL, 'm'},
      {"from", required_argument, NULL, OPT_FROM},
      {"to", required_argument, NULL, OPT_TO},
      {"format", required_argument, NULL, 'f'},
      {"out", required_argument, NULL, 'o'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  const char *cfg_path = MW_DEFAULT_CONFIG, *week = NULL, *month = NULL,
             *from = NULL, *to = NULL, *fmt = "md", *out_path = NULL;
  int c;
  optind = 0;
  while ((c = getopt_long(argc, argv, "c:w:m:f:o:h", opts, NULL)) != -1) {
    switch (c) {
      case 'c': cfg_path = optarg; break;
      case 'w': week = optarg; break;
      case 'm': month = optarg; break;
      case OPT_FROM: from = optarg; break;
      case OPT_TO: to = optarg; break;
      case 'f': fmt = optarg; break;
      case 'o': out_path = optarg; break;
      case 'h': fputs(report_help, stdout); return MW_EXIT_OK;
      default: fputs(report_help, stderr); return MW_EXIT_USAGE;
    }
  }
  struct mw_err err = {0};
  enum mw_report_format format;
  if ((!week && !month && !from && !to) || optind != argc) {
    fputs(report_help, stderr);
    return MW_EXIT_USAGE;
  }
  if (mw_report_format_parse(fmt, &format)) {
    mw_cli_error("--format: '%s' is not one of md, csv, json, html", fmt);
    return MW_EXIT_USAGE;
  }
  /* The period is checked before the config is read (in UTC), so a typo
   * in it is reported as such; then laid out in the config's zone. */
  struct mw_report_period period;
  struct mw_config utc = {0};
  int status = choose_period(&utc, week, month, from, to, &period);
  if (status != MW_EXIT_OK) return status;
  struct mw_config *cfg = NULL;
  if (mw_config_load(cfg_path, &cfg, &err)) {
    mw_cli_error("%s", err.msg);
    return MW_EXIT_USAGE;
  }
  status = choose_period(cfg, week, month, from, to, &period);
  if (status != MW_EXIT_OK) {
    mw_config_free(cfg);
    return status;
  }
  struct mw_store *st = NULL;
  if (mw_cli_open_store(cfg, &st)) {
    mw_config_free(cfg);
    return MW_EXIT_FAIL;
  }
  FILE *out = stdout;
  if (out_path && !(out = fopen(out_path, "wb"))) {
    mw_cli_error("cannot write %s", out_path);
    mw_store_close(st);
    mw_config_free(cfg);
    return MW_EXIT_FAIL;
  }
  char msg[MW_ERR_MSG_MAX];
  int rc = write_report(cfg, st, &period, (int)format, out, msg, sizeof msg);
  if (out != stdout && fclose(out) != 0 && !rc) {
    snprintf(msg, sizeof msg, "cannot write %s", out_path);
    rc = MW_EIO;
  }
  if (rc) mw_cli_error("%s", msg);
  mw_store_close(st);
  mw_config_free(cfg);
  return rc ? MW_EXIT_FAIL : MW_EXIT_OK;
}
