/*
 * cmd_bulletin.c: `mediawatch bulletin`: drafts a work bulletin (工作简报)
 * from a range of days: asks the store for the period's stories (reprint
 * clusters once, told by the original) matching the topics given, by
 * reach, and hands them to the report library with the masthead (the
 * config's office, the issue numbers, the date).
 *
 * What it leaves to others: the layout and formats (report/bulletin*.c),
 * the query (store/report.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "report/report.h"
#include "store/store.h"

#define DEFAULT_LIMIT 8
#define MAX_LIMIT 100
#define MAX_TOPICS 64

static const char bulletin_help[] =
    "usage: mediawatch bulletin --from YYYY-MM-DD --to YYYY-MM-DD --issue N\n"
    "                           [--total M] [--topic T]... [--limit K]\n"
    "                           [--date YYYY-MM-DD] [--format html|md]\n"
    "                           [--out FILE] [--config FILE]\n\n"
    "Drafts a work bulletin (工作简报) in the shape of the provincial ones:\n"
    "the masthead (the config's office, 第N期 and 总第M期, the date), 本期要目,\n"
    "then one item per story with its title, 来源, date and lead paragraph.\n"
    "Stories are those of the days given, a reprint cluster counting once\n"
    "(its original shown), by reach (the outlets that carried it).\n\n"
    "      --from DATE   first day, e.g. 2023-05-15\n"
    "      --to DATE     last day, included\n"
    "  -n, --issue N     the issue of the year (第N期)\n"
    "      --total M     the running number (总第M期); left out when absent\n"
    "  -t, --topic T     only stories matching topic T (repeat for more);\n"
    "                    all topics when absent\n"
    "  -l, --limit K     at most K stories (default 8, at most 100)\n"
    "      --date DATE   the issue date (default the last day)\n"
    "  -f, --format FMT  md (default) or html (opens in Word and WPS, A4)\n"
    "  -o, --out FILE    write there instead of standard output\n"
    "  -c, --config FILE config file (default mediawatch.yaml)\n";

struct opts {
  const char *cfg_path, *from, *to, *date, *fmt, *out_path;
  int64_t issue, total, limit;
  const char *topics[MAX_TOPICS];
  size_t n_topics;
};

/* "YYYY-MM-DD" into its parts; false when it is not a date. */
static bool parse_date(const char *s, int *y, int *m, int *d) {
  if (strnlen(s, 11) != 10 || s[4] != '-' || s[7] != '-') return false;
  char ys[5], ms[3], ds[3];
  memcpy(ys, s, 4);
  ys[4] = '\0';
  memcpy(ms, s + 5, 2);
  ms[2] = '\0';
  memcpy(ds, s + 8, 2);
  ds[2] = '\0';
  int64_t yv, mv, dv;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !mw_ascii_isdigit((unsigned char)s[i]))
      return false;
  if (mw_parse_int64(ys, 1970, 9999, &yv) || mw_parse_int64(ms, 1, 12, &mv) ||
      mw_parse_int64(ds, 1, 31, &dv) ||
      !mw_civil_valid((int)yv, (int)mv, (int)dv, 0, 0, 0))
    return false;
  *y = (int)yv;
  *m = (int)mv;
  *d = (int)dv;
  return true;
}

/* MW_EXIT_OK, or MW_EXIT_USAGE after a message. */
static int parse_opts(int argc, char **argv, struct opts *o) {
  enum { OPT_FROM = 256, OPT_TO, OPT_TOTAL, OPT_DATE };
  static const struct option long_opts[] = {
      {"config", required_argument, NULL, 'c'},
      {"from", required_argument, NULL, OPT_FROM},
      {"to", required_argument, NULL, OPT_TO},
      {"issue", required_argument, NULL, 'n'},
      {"total", required_argument, NULL, OPT_TOTAL},
      {"topic", required_argument, NULL, 't'},
      {"limit", required_argument, NULL, 'l'},
      {"date", required_argument, NULL, OPT_DATE},
      {"format", required_argument, NULL, 'f'},
      {"out", required_argument, NULL, 'o'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  const char *issue = NULL, *total = NULL, *limit = NULL;
  int c;
  optind = 0;
  while ((c = getopt_long(argc, argv, "c:n:t:l:f:o:h", long_opts, NULL)) !=
         -1) {
    switch (c) {
      case 'c': o->cfg_path = optarg; break;
      case OPT_FROM: o->from = optarg; break;
      case OPT_TO: o->to = optarg; break;
      case 'n': issue = optarg; break;
      case OPT_TOTAL: total = optarg; break;
      case 't':
        if (o->n_topics == MAX_TOPICS) {
          mw_cli_error("--topic: at most %d topics", MAX_TOPICS);
          return MW_EXIT_USAGE;
        }
        o->topics[o->n_topics++] = optarg;
        break;
      case 'l': limit = optarg; break;
      case OPT_DATE: o->date = optarg; break;
      case 'f': o->fmt = optarg; break;
      case 'o': o->out_path = optarg; break;
      case 'h': fputs(bulletin_help, stdout); return -1;
      default: fputs(bulletin_help, stderr); return MW_EXIT_USAGE;
    }
  }
  if (optind != argc || !o->from || !o->to || !issue) {
    if (optind == argc)
      mw_cli_error("give --from, --to and --issue");
    fputs(bulletin_help, stderr);
    return MW_EXIT_USAGE;
  }
  if (mw_parse_int64(issue, 1, 9999, &o->issue)) {
    mw_cli_error("--issue: '%s' is not a number from 1 to 9999", issue);
    return MW_EXIT_USAGE;
  }
  if (total && mw_parse_int64(total, o->issue, 99999, &o->total)) {
    mw_cli_error("--total: '%s' is not a number from %lld (the issue) to "
                 "99999",
                 total, (long long)o->issue);
    return MW_EXIT_USAGE;
  }
  if (limit && mw_parse_int64(limit, 1, MAX_LIMIT, &o->limit)) {
    mw_cli_error("--limit: '%s' is not a number from 1 to %d", limit,
                 MAX_LIMIT);
    return MW_EXIT_USAGE;
  }
  return MW_EXIT_OK;
}

/* Every --topic must be a topic of the config. */
static int check_topics(const struct mw_config *cfg, const struct opts *o) {
  for (size_t i = 0; i < o->n_topics; i++) {
    bool found = false;
    for (size_t j = 0; !found && j < cfg->n_topics; j++)
      found = !strcmp(cfg->topics[j].name, o->topics[i]);
    if (found) continue;
    struct mw_buf names;
    mw_buf_init(&names, 1u << 16);
    for (size_t j = 0; j < cfg->n_topics; j++)
      mw_buf_printf(&names, "%s%s", j ? ", " : "", cfg->topics[j].name);
    mw_cli_error("--topic: '%s' is not a topic of %s (its topics: %s)",
                 o->topics[i], cfg->path,
                 names.data ? names.data : "none");
    mw_buf_cleanup(&names);
    return MW_EXIT_USAGE;
  }
  return MW_EXIT_OK;
}

/* Queries, renders and writes; errbuf gets the message. */
static int draft(const struct mw_config *cfg, struct mw_store *st,
                 const struct opts *o, const struct mw_report_period *p,
                 enum mw_bulletin_format fmt, int y, int m, int d, FILE *out,
                 char *errbuf, size_t errlen) {
  struct mw_err err = {0};
  struct mw_bulletin_story *stories = NULL;
  size_t n = 0;
  struct mw_buf text;
  mw_buf_init(&text, 16u << 20);
  int rc = mw_store_bulletin_stories(st, p->from, p->to, o->topics,
                                     o->n_topics, (size_t)o->limit, &stories,
                                     &n, &err);
  if (!rc) {
    struct mw_bulletin b = {
        .office = cfg->office_name,
        .issue = (int)o->issue,
        .total = (int)o->total,
        .year = y,
        .month = m,
        .day = d,
        .tz = cfg->tz,
        .stories = stories,
        .n_stories = n,
    };
    rc = mw_bulletin_write(&b, fmt, &text, &err);
  }
  if (!rc && fwrite(text.data, 1, text.len, out) != text.len)
    rc = mw_err_set(&err, MW_EIO, "cannot write the bulletin");
  if (rc) snprintf(errbuf, errlen, "%s", err.msg);
  mw_bulletin_stories_free(stories, n);
  mw_buf_cleanup(&text);
  return rc;
}

int mw_cmd_bulletin(int argc, char **argv) {
  struct opts o = {.cfg_path = MW_DEFAULT_CONFIG,
                   .fmt = "md",
                   .limit = DEFAULT_LIMIT};
  int status = parse_opts(argc, argv, &o);
  if (status < 0) return MW_EXIT_OK; /* --help */
  if (status != MW_EXIT_OK) return status;
  enum mw_bulletin_format fmt;
  if (mw_bulletin_format_parse(o.fmt, &fmt)) {
    mw_cli_error("--format: '%s' is not one of md, html", o.fmt);
    return MW_EXIT_USAGE;
  }
  int y, m, d;
  const char *date = o.date ? o.date : o.to;
  if (!parse_date(date, &y, &m, &d)) {
    mw_cli_error("%s: '%s' is not a date like 2023-05-21",
                 o.date ? "--date" : "--to", date);
    return MW_EXIT_USAGE;
  }
  struct mw_err err = {0};
  struct mw_report_period period;
  if (mw_report_range_period(NULL, o.from, o.to, &period, &err)) {
    mw_cli_error("--from/--to: %s", err.msg);
    return MW_EXIT_USAGE;
  }
  struct mw_config *cfg = NULL;
  if (mw_config_load(o.cfg_path, &cfg, &err)) {
    mw_cli_error("%s", err.msg);
    return MW_EXIT_USAGE;
  }
  if (check_topics(cfg, &o) ||
      mw_report_range_period(cfg->tz, o.from, o.to, &period, &err)) {
    if (err.code) mw_cli_error("--from/--to: %s", err.msg);
    mw_config_free(cfg);
    return MW_EXIT_USAGE;
  }
  struct mw_store *st = NULL;
  if (mw_cli_open_store(cfg, &st)) {
    mw_config_free(cfg);
    return MW_EXIT_FAIL;
  }
  FILE *out = stdout;
  if (o.out_path && !(out = fopen(o.out_path, "wb"))) {
    mw_cli_error("cannot write %s", o.out_path);
    mw_store_close(st);
    mw_config_free(cfg);
    return MW_EXIT_FAIL;
  }
  char msg[MW_ERR_MSG_MAX];
  int rc = draft(cfg, st, &o, &period, fmt, y, m, d, out, msg, sizeof msg);
  if (out != stdout && fclose(out) != 0 && !rc) {
    snprintf(msg, sizeof msg, "cannot write %s", o.out_path);
    rc = MW_EIO;
  }
  if (rc) mw_cli_error("%s", msg);
  mw_store_close(st);
  mw_config_free(cfg);
  return rc ? MW_EXIT_FAIL : MW_EXIT_OK;
}
