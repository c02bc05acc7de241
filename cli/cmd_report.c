/*
 * cmd_report.c: `mediawatch report`: the coverage report of a week, a
 * month or a range of days, written to a file or standard output.
 *
 * What it leaves to others: the periods, gathering and rendering
 * (report/), the queries (store/).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "report/report.h"
#include "store/store.h"

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

/* The whole report of period p to out; errbuf gets the message. */
static int write_report(const struct mw_config *cfg, struct mw_store *st,
                        const struct mw_report_period *p, int format, FILE *out,
                        char *errbuf, size_t errlen) {
  struct mw_err err = {0};
  struct mw_buf text;
  mw_buf_init(&text, 64u << 20);
  int rc = mw_report_build(cfg, st, p, (enum mw_report_format)format, &text,
                           &err);
  if (!rc && fwrite(text.data, 1, text.len, out) != text.len)
    rc = mw_err_set(&err, MW_EIO, "cannot write the report");
  if (rc) snprintf(errbuf, errlen, "%s", err.msg);
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
