/*
 * cmd_sources_health.c: `mediawatch sources health`: the verdict on every
 * source (ok / degraded / broken) with its reasons, from the database the
 * crawl writes (health/health.h judges; this file prints). Reads only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "health/health.h"
#include "store/store.h"

/* "3d4h", "3d", "2h30m", "25m", "40s": how long ago, or an interval. */
static void format_span(int64_t s, char *out, size_t len) {
  if (s < 0) s = 0;
  long long d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;
  if (d && h) snprintf(out, len, "%lldd%lldh", d, h);
  else if (d) snprintf(out, len, "%lldd", d);
  else if (h && m) snprintf(out, len, "%lldh%lldm", h, m);
  else if (h) snprintf(out, len, "%lldh", h);
  else if (m) snprintf(out, len, "%lldm", m);
  else snprintf(out, len, "%llds", (long long)s);
}

static void print_table(const struct mw_health_row *rows, size_t n,
                        int64_t now) {
  size_t counts[3] = {0};
  printf("%-9s %-8s %-9s %s\n", "STATUS", "INTERVAL", "LAST NEW", "SOURCE");
  for (size_t i = 0; i < n; i++) {
    const struct mw_health_row *r = &rows[i];
    counts[r->health.status]++;
    char interval[32], last[32];
    int64_t iv = r->src.interval_s > 0 ? r->src.interval_s
                                       : r->src.poll_interval_s;
    format_span(iv, interval, sizeof interval);
    if (r->last_new) {
      format_span(now - r->last_new, last, sizeof last);
      strncat(last, " ago", sizeof last - strlen(last) - 1);
    } else {
      snprintf(last, sizeof last, "never");
    }
    printf("%-9s %-8s %-9s %s  %s (%s)%s\n",
           mw_health_status_name(r->health.status), interval, last,
           r->src.outlet_name ? r->src.outlet_name : "", r->src.url,
           mw_source_kind_name(r->src.kind),
           r->carries_target ? "  [target]" : "");
    for (size_t k = 0; k < r->health.n_problems; k++) {
      const struct mw_health_problem *p = &r->health.problems[k];
      printf("          %s: %s\n", mw_problem_code_name(p->code), p->detail);
    }
  }
  printf("sources: %zu ok, %zu degraded, %zu broken\n", counts[0], counts[1],
         counts[2]);
}

int mw_cmd_sources_health(const char *cfg_path, bool as_json) {
  struct mw_err err = {0};
  struct mw_config *cfg = NULL;
  if (mw_config_load(cfg_path ? cfg_path : MW_DEFAULT_CONFIG, &cfg, &err)) {
    mw_cli_error("%s", err.msg);
    return MW_EXIT_USAGE;
  }
  struct mw_store *st = NULL;
  if (mw_cli_open_store(cfg, &st) != MW_EXIT_OK) {
    mw_config_free(cfg);
    return MW_EXIT_FAIL;
  }
  struct mw_health_row *rows = NULL;
  size_t n = 0;
  int64_t now = (int64_t)time(NULL);
  int rc = mw_health_survey(cfg, st, now, &rows, &n, &err);
  int status = MW_EXIT_OK;
  if (rc) {
    mw_cli_error("%s", err.msg);
    status = MW_EXIT_FAIL;
  } else if (as_json) {
    char *json = NULL;
    if (mw_health_rows_json(rows, n, cfg->tz, now, &json, &err)) {
      mw_cli_error("%s", err.msg);
      status = MW_EXIT_FAIL;
    } else {
      fputs(json, stdout);
      fputc('\n', stdout);
      free(json);
    }
  } else {
    print_table(rows, n, now);
  }
  /* Something to look at is a non-zero status, so a cron job can mail it. */
  for (size_t i = 0; i < n && status == MW_EXIT_OK; i++)
    if (rows[i].health.status != MW_HEALTH_OK) status = MW_EXIT_FAIL;
  mw_health_rows_free(rows, n);
  mw_store_close(st);
  mw_config_free(cfg);
  return status;
}
