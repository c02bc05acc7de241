/*
 * cmd_report.c: `mediawatch report`: a week's coverage from the store,
 * rendered by the report library.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "report/report.h"
#include "store/store.h"

static const char report_help[] =
    "usage: mediawatch report --week YYYY-Www [--format md|csv|json]\n"
    "                         [--out FILE] [--config FILE]\n\n"
    "Coverage of one ISO week (Monday to Sunday, in the config's time zone):\n"
    "articles per outlet and topic, grouped and subtotalled by tier, with\n"
    "the change from the week before.\n\n"
    "  -w, --week YYYY-Www  the week, e.g. 2023-W19\n"
    "  -f, --format FMT     md (default), csv (UTF-8 with BOM) or json\n"
    "  -o, --out FILE       write there instead of standard output\n"
    "  -c, --config FILE    config file (default mediawatch.yaml)\n";

int mw_cli_write_week_report(const struct mw_config *cfg, struct mw_store *st,
                             int iso_year, int iso_week, int format,
                             FILE *out, char *errbuf, size_t errlen) {
  struct mw_err err = {0};
  struct mw_report_period period, prev_period;
  struct mw_coverage *cov = NULL, *prev = NULL;
  struct mw_buf text;
  mw_buf_init(&text, 64u << 20);
  int py = iso_year, pw = iso_week - 1;
  if (pw < 1) {
    py--;
    pw = mw_iso_weeks_in_year(py);
  }
  int rc = mw_report_week_period(cfg->tz, iso_year, iso_week, &period, &err);
  if (!rc) rc = mw_report_week_period(cfg->tz, py, pw, &prev_period, &err);
  if (!rc) rc = mw_store_coverage(st, period.from, period.to, &cov, &err);
  if (!rc)
    rc = mw_store_coverage(st, prev_period.from, prev_period.to, &prev, &err);
  if (!rc)
    rc = mw_report_coverage(cfg, &period, cov, prev,
                            (enum mw_report_format)format, &text, &err);
  if (!rc && fwrite(text.data, 1, text.len, out) != text.len)
    rc = mw_err_set(&err, MW_EIO, "cannot write the report");
  if (rc) snprintf(errbuf, errlen, "%s", err.msg);
  mw_coverage_free(cov);
  mw_coverage_free(prev);
  mw_buf_cleanup(&text);
  return rc;
}

int mw_cmd_report(int argc, char **argv) {
  static const struct option opts[] = {
      {"config", required_argument, NULL, 'c'},
      {"week", required_argument, NULL, 'w'},
      {"format", required_argument, NULL, 'f'},
      {"out", required_argument, NULL, 'o'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  const char *cfg_path = MW_DEFAULT_CONFIG, *week = NULL, *fmt = "md",
             *out_path = NULL;
  int c;
  optind = 0;
  while ((c = getopt_long(argc, argv, "c:w:f:o:h", opts, NULL)) != -1) {
    switch (c) {
      case 'c': cfg_path = optarg; break;
      case 'w': week = optarg; break;
      case 'f': fmt = optarg; break;
      case 'o': out_path = optarg; break;
      case 'h': fputs(report_help, stdout); return MW_EXIT_OK;
      default: fputs(report_help, stderr); return MW_EXIT_USAGE;
    }
  }
  struct mw_err err = {0};
  int iso_year, iso_week;
  enum mw_report_format format;
  if (!week || optind != argc) {
    fputs(report_help, stderr);
    return MW_EXIT_USAGE;
  }
  if (mw_iso_week_parse(week, &iso_year, &iso_week, &err)) {
    mw_cli_error("--week: %s", err.msg);
    return MW_EXIT_USAGE;
  }
  if (mw_report_format_parse(fmt, &format)) {
    mw_cli_error("--format: '%s' is not one of md, csv, json", fmt);
    return MW_EXIT_USAGE;
  }
  struct mw_config *cfg = NULL;
  if (mw_config_load(cfg_path, &cfg, &err)) {
    mw_cli_error("%s", err.msg);
    return MW_EXIT_USAGE;
  }
  struct stat sb;
  if (stat(cfg->storage_path, &sb) != 0) {
    mw_cli_error("no database at %s yet: run 'mediawatch crawl --once' first",
                 cfg->storage_path);
    mw_config_free(cfg);
    return MW_EXIT_FAIL;
  }
  struct mw_store *st = NULL;
  if (mw_store_open(cfg->storage_path, &st, &err)) {
    mw_cli_error("%s", err.msg);
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
  int rc = mw_cli_write_week_report(cfg, st, iso_year, iso_week, (int)format,
                                    out, msg, sizeof msg);
  if (out != stdout && fclose(out) != 0 && !rc) {
    snprintf(msg, sizeof msg, "cannot write %s", out_path);
    rc = MW_EIO;
  }
  if (rc) mw_cli_error("%s", msg);
  mw_store_close(st);
  mw_config_free(cfg);
  return rc ? MW_EXIT_FAIL : MW_EXIT_OK;
}
