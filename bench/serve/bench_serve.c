/*
 * bench_serve.c: the store side of the serve benchmark (bench/serve/run).
 *
 *   bench_serve index CONFIG BATCH
 *       Brings the full-text search index of CONFIG's store up to date
 *       through the store API, BATCH articles a transaction
 *       (mw_store_search_index, as the server's indexer thread calls it),
 *       and prints what it did, one "key value" a line: articles indexed,
 *       seconds, articles a second, pending afterwards. Progress goes to
 *       stderr every 100,000 articles.
 *
 *   bench_serve search CONFIG RUNS SPEC...
 *       Times mw_store_search itself, without HTTP or JSON, RUNS times for
 *       each SPEC "q<TAB>topic<TAB>tier<TAB>region<TAB>from<TAB>to" (tier
 *       a name such as central, from and to epoch seconds; every field but
 *       q may be empty), and prints one line a SPEC:
 *       "total capped hits best_ms median_ms max_ms". The run script puts
 *       these beside the HTTP figures, so the cost of the store's query is
 *       told apart from the server's.
 *
 *   bench_serve coverage CONFIG RUNS YYYY-Www
 *       Times what GET /api/coverage asks the store for, through
 *       mw_report_gather, by parts: the coverage of the week and of the
 *       week before alone (what = 0), with the daily counts, with the
 *       targets, and all three (what the endpoint gathers). Prints one
 *       line a part: "label best_ms median_ms max_ms".
 *
 *   bench_serve statements CONFIG coverage YYYY-Www
 *   bench_serve statements CONFIG search SPEC
 *       Runs that gathering, or that search, twice and prints every SQL
 *       statement the store ran the second time, one a line: "ms<TAB>sql"
 *       with the values bound, FTS5's own statements on its shadow tables
 *       left out (sqlite3_trace_v2 PROFILE on each connection
 *       the process opens, hooked in by sqlite3_auto_extension before the
 *       store opens its own). The run script explains the slow ones, so
 *       the plans are those of the very statements the server runs.
 *
 * What it leaves to others: making the store (bench/report's bench_report),
 * the HTTP side and the printing (run), the index and the queries
 * themselves (store/search.c, report/gather.c).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "report/report.h"
#include "store/store.h"

#define RUNS_MAX 1000
#define SPEC_FIELDS 6
#define SPEC_MAX 1024

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const struct mw_err *err) {
  fprintf(stderr, "bench_serve: %s%s%s\n", what,
          err && err->msg[0] ? ": " : "", err ? err->msg : "");
  exit(1);
}

static int64_t parse_arg(const char *s, int64_t lo, int64_t hi,
                         const char *what) {
  int64_t v;
  if (mw_parse_int64(s, lo, hi, &v)) die(what, NULL);
  return v;
}

/* The config's store, opened (and migrated) as mediawatch opens it. */
static struct mw_store *open_store(const char *config,
                                   struct mw_config **cfg) {
  struct mw_err err = {0};
  struct mw_store *st;
  if (mw_config_load(config, cfg, &err)) die("config", &err);
  if (mw_store_open((*cfg)->storage_path, &st, &err)) die("store", &err);
  return st;
}

static int cmd_index(const char *config, size_t batch) {
  struct mw_config *cfg;
  struct mw_store *st = open_store(config, &cfg);
  struct mw_err err = {0};
  int64_t pending0;
  if (mw_store_search_pending(st, &pending0, &err)) die("pending", &err);
  double t0 = now_s();
  size_t total = 0, got, next_report = 100000;
  do {
    if (mw_store_search_index(st, batch, &got, &err)) die("index", &err);
    total += got;
    if (total >= next_report) {
      fprintf(stderr, "bench_serve: %zu of %lld indexed, %.0f s\n", total,
              (long long)pending0, now_s() - t0);
      next_report += 100000;
    }
  } while (got > 0);
  double secs = now_s() - t0;
  int64_t pending;
  if (mw_store_search_pending(st, &pending, &err)) die("pending", &err);
  mw_store_close(st);
  mw_config_free(cfg);
  printf("indexed %zu\n", total);
  printf("seconds %.2f\n", secs);
  printf("rate %.0f\n", secs > 0 ? (double)total / secs : 0.0);
  printf("pending %lld\n", (long long)pending);
  return 0;
}

/* Statement profiling (statements): on while tracing is true. */
static bool tracing;

static int on_profile(unsigned type, void *ctx, void *p, void *x) {
  (void)ctx;
  if (type != SQLITE_TRACE_PROFILE || !tracing) return 0;
  /* FTS5 runs statements of its own on its shadow tables ("'main'.");
   * their time is inside the statement that called them. */
  const char *raw = sqlite3_sql((sqlite3_stmt *)p);
  if (!raw || strstr(raw, "'main'.")) return 0;
  char *sql = sqlite3_expanded_sql((sqlite3_stmt *)p);
  if (!sql) return 0;
  for (char *c = sql; *c; c++)
    if (*c == '\n' || *c == '\t' || *c == '\r') *c = ' ';
  printf("%.3f\t%s\n", (double)*(sqlite3_int64 *)x / 1e6, sql);
  sqlite3_free(sql);
  return 0;
}

static int hook_connection(sqlite3 *db, char **msg,
                           const struct sqlite3_api_routines *api) {
  (void)msg;
  (void)api;
  sqlite3_trace_v2(db, SQLITE_TRACE_PROFILE, on_profile, NULL);
  return SQLITE_OK;
}

static int by_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Splits spec at tabs into SPEC_FIELDS fields (in place). */
static void split_spec(char *spec, char *field[SPEC_FIELDS]) {
  for (int i = 0; i < SPEC_FIELDS; i++) {
    field[i] = spec;
    char *tab = spec ? strchr(spec, '\t') : NULL;
    if (tab) *tab = '\0';
    spec = tab ? tab + 1 : NULL;
    if (!field[i]) field[i] = "";
  }
}

static int cmd_search(const char *config, int runs, char **specs, int n) {
  struct mw_config *cfg;
  struct mw_store *st = open_store(config, &cfg);
  double *ms = calloc((size_t)runs, sizeof *ms);
  if (!ms) die("out of memory", NULL);
  for (int i = 0; i < n; i++) {
    char spec[SPEC_MAX];
    if (snprintf(spec, sizeof spec, "%s", specs[i]) >= (int)sizeof spec)
      die("SPEC too long", NULL);
    char *f[SPEC_FIELDS];
    split_spec(spec, f);
    struct mw_search_query q = {
        .q = f[0],
        .topic = f[1][0] ? f[1] : NULL,
        .region = f[3][0] ? f[3] : NULL,
        .from = f[4][0] ? parse_arg(f[4], 0, INT64_MAX, "from") : 0,
        .to = f[5][0] ? parse_arg(f[5], 0, INT64_MAX, "to") : 0,
        .limit = 20,
    };
    if (f[2][0]) {
      enum mw_tier t;
      if (mw_tier_parse(f[2], &t)) die("tier: not a tier name", NULL);
      q.tier = (int)t + 1;
    }
    struct mw_search_result res = {0};
    for (int r = 0; r < runs; r++) {
      struct mw_err err = {0};
      mw_search_result_cleanup(&res);
      memset(&res, 0, sizeof res);
      double t0 = now_s();
      if (mw_store_search(st, &q, &res, &err)) die("search", &err);
      ms[r] = (now_s() - t0) * 1000.0;
    }
    qsort(ms, (size_t)runs, sizeof *ms, by_double);
    printf("%lld %d %zu %.2f %.2f %.2f\n", (long long)res.total,
           res.total_capped ? 1 : 0, res.n, ms[0], ms[runs / 2],
           ms[runs - 1]);
    fflush(stdout);
    mw_search_result_cleanup(&res);
  }
  free(ms);
  mw_store_close(st);
  mw_config_free(cfg);
  return 0;
}

static double gather_ms(const struct mw_config *cfg, struct mw_store *st,
                        const struct mw_report_period *p, unsigned what) {
  struct mw_err err = {0};
  struct mw_report_data *d = NULL;
  double t0 = now_s();
  if (mw_report_gather(cfg, st, p, what, &d, &err)) die("gather", &err);
  double ms = (now_s() - t0) * 1000.0;
  mw_report_data_free(d);
  return ms;
}

static int cmd_coverage(const char *config, int runs, const char *week) {
  static const struct {
    const char *label;
    unsigned what;
  } parts[] = {
      {"coverage_x2", 0},
      {"coverage_x2+daily", MW_GATHER_DAILY},
      {"coverage_x2+targets", MW_GATHER_TARGETS},
      {"coverage_x2+daily+targets", MW_GATHER_DAILY | MW_GATHER_TARGETS},
  };
  struct mw_config *cfg;
  struct mw_store *st = open_store(config, &cfg);
  struct mw_err err = {0};
  struct mw_report_period p;
  int iso_year, iso_week;
  if (mw_iso_week_parse(week, &iso_year, &iso_week, &err) ||
      mw_report_week_period(cfg->tz, iso_year, iso_week, &p, &err))
    die("week", &err);
  double *ms = calloc((size_t)runs, sizeof *ms);
  if (!ms) die("out of memory", NULL);
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
    for (int r = 0; r < runs; r++)
      ms[r] = gather_ms(cfg, st, &p, parts[i].what);
    qsort(ms, (size_t)runs, sizeof *ms, by_double);
    printf("%s %.2f %.2f %.2f\n", parts[i].label, ms[0], ms[runs / 2],
           ms[runs - 1]);
    fflush(stdout);
  }
  free(ms);
  mw_store_close(st);
  mw_config_free(cfg);
  return 0;
}

static int cmd_statements(const char *config, const char *what,
                          char *arg) {
  typedef void (*entry_fn)(void);
  /* Every connection opened from here on is profiled (see the top). */
  if (sqlite3_auto_extension((entry_fn)(void (*)(void))hook_connection) !=
      SQLITE_OK)
    die("sqlite3_auto_extension failed", NULL);
  struct mw_config *cfg;
  struct mw_store *st = open_store(config, &cfg);
  struct mw_err err = {0};
  bool coverage = !strcmp(what, "coverage");
  if (!coverage && strcmp(what, "search")) die("coverage or search", NULL);
  struct mw_report_period p;
  struct mw_search_query q = {.limit = 20};
  char *f[SPEC_FIELDS];
  if (coverage) {
    int iso_year, iso_week;
    if (mw_iso_week_parse(arg, &iso_year, &iso_week, &err) ||
        mw_report_week_period(cfg->tz, iso_year, iso_week, &p, &err))
      die("week", &err);
  } else {
    split_spec(arg, f);
    q.q = f[0];
    q.topic = f[1][0] ? f[1] : NULL;
    q.region = f[3][0] ? f[3] : NULL;
    q.from = f[4][0] ? parse_arg(f[4], 0, INT64_MAX, "from") : 0;
    q.to = f[5][0] ? parse_arg(f[5], 0, INT64_MAX, "to") : 0;
    if (f[2][0]) {
      enum mw_tier t;
      if (mw_tier_parse(f[2], &t)) die("tier: not a tier name", NULL);
      q.tier = (int)t + 1;
    }
  }
  for (int run = 0; run < 2; run++) {
    tracing = run == 1; /* the second, warm, run */
    if (coverage) {
      gather_ms(cfg, st, &p, MW_GATHER_DAILY | MW_GATHER_TARGETS);
    } else {
      struct mw_search_result res = {0};
      if (mw_store_search(st, &q, &res, &err)) die("search", &err);
      mw_search_result_cleanup(&res);
    }
  }
  tracing = false;
  mw_store_close(st);
  mw_config_free(cfg);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 4 && !strcmp(argv[1], "index"))
    return cmd_index(argv[2], (size_t)parse_arg(argv[3], 1, 1000000,
                                                "BATCH: 1 to 10^6"));
  if (argc >= 5 && !strcmp(argv[1], "search"))
    return cmd_search(argv[2],
                      (int)parse_arg(argv[3], 1, RUNS_MAX, "RUNS: 1 to 1000"),
                      argv + 4, argc - 4);
  if (argc == 5 && !strcmp(argv[1], "coverage"))
    return cmd_coverage(argv[2],
                        (int)parse_arg(argv[3], 1, RUNS_MAX, "RUNS: 1 to 1000"),
                        argv[4]);
  if (argc == 5 && !strcmp(argv[1], "statements"))
    return cmd_statements(argv[2], argv[3], argv[4]);
  fputs("usage: bench_serve index CONFIG BATCH\n"
        "       bench_serve search CONFIG RUNS "
        "'q\\ttopic\\ttier\\tregion\\tfrom\\tto'...\n"
        "       bench_serve coverage CONFIG RUNS YYYY-Www\n"
        "       bench_serve statements CONFIG coverage YYYY-Www\n"
        "       bench_serve statements CONFIG search SPEC\n",
        stderr);
  return 2;
}
