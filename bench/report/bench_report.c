/*
 * bench_report.c: fills a store for the report benchmark (bench/report).
 *
 *   bench_report gen CONFIG N YEAR SEEDS_DIR
 *
 * Opens the store CONFIG names (mw_store_open creates it with the real
 * schema), makes its outlets and sources agree with CONFIG
 * (mw_store_sync_config), then writes N articles of calendar year YEAR in
 * the config's zone through the store API, in batches of 20,000 the way
 * the crawler's pipeline does: mw_store_add_article with a simhash (every
 * article is hashed, as in a crawl, so most sit in a cluster of one),
 * mw_store_add_match for their topics, then alerts with their articles
 * (mw_store_alert_insert, mw_store_alert_add_article/_cluster) and a fetch
 * history ending at the close of the year, a few sources failing
 * throughout (mw_store_record_fetch, which trims the log as a crawl does).
 *
 * The workload, from a seeded generator so every run is the same:
 * - volume per outlet by tier (portals and papers of a city publish more
 *   than a county's media centre), days weighted (weekends at 55 %),
 *   hours mostly 7:00 to 22:00; 5 % of articles without a publication
 *   time (they count by first seen);
 * - 10 % of articles in reprint groups of 2 to 20 (mostly small): an
 *   original from a central or provincial outlet, reprints by other
 *   outlets within two days naming it as 来源, hashes within 1 bit of the
 *   original's so the store clusters them itself;
 * - 0 to 3 topics per article (none 40 %, one 35 %, two 18 %, three 7 %),
 *   popularity falling with the topic's rank; reprints share them;
 * - bodies of 600 to 3,000 bytes cut from the seed documents.
 * Prints what it wrote and how long it took, one "key value" a line.
 *
 * What it leaves to others: the config and the timing (bench/report/run),
 * the schema and every SQL statement (store/).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "store/store.h"

#define BATCH 20000
#define MAX_GROUP 20
#define SEEDS_MAX (16u << 20)
#define TEXT_MIN 600
#define TEXT_SPAN 2400
#define TITLE_MAX 90

/* One article to write; sorted by time before writing, so ids grow with
 * time as in a crawl. */
struct rec {
  int64_t published; /* MW_TIME_UNKNOWN for 5 % */
  int64_t fetched;
  int64_t id;        /* once written */
  uint64_t hash;
  uint32_t outlet;   /* index into cfg->outlets */
  uint32_t group;    /* reprint group + 1, 0 none */
  uint32_t text_off;
  uint16_t text_len;
  uint8_t topics[3];
  uint8_t n_topics;
  uint8_t original;  /* 1: first of its group */
};

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rnd(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545f4914f6cdd1du;
}

/* Uniform in [0, n). */
static uint64_t below(uint64_t n) { return n ? rnd() % n : 0; }

static void die(const char *what) {
  fprintf(stderr, "bench_report: %s\n", what);
  exit(1);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Articles a year per outlet of each tier, relative. */
static const double tier_weight[MW_TIER_COUNT] = {
    [MW_TIER_CENTRAL] = 3.0, [MW_TIER_PROVINCIAL] = 4.0,
    [MW_TIER_CITY] = 2.5,    [MW_TIER_COUNTY] = 0.5,
    [MW_TIER_PORTAL] = 1.0,  [MW_TIER_NEW_MEDIA] = 2.0,
};

/* Cumulative weights for picking an outlet. */
struct picker {
  double *cum;
  size_t n;
};

static size_t pick(const struct picker *p) {
  double x = (double)(rnd() >> 11) / 9007199254740992.0 * p->cum[p->n - 1];
  size_t lo = 0, hi = p->n - 1;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (p->cum[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/* The outlets of tiers in mask, weighted; central-tier originals etc. */
static void picker_init(struct picker *p, const struct mw_config *cfg,
                        unsigned mask) {
  p->cum = calloc(cfg->n_outlets, sizeof *p->cum);
  if (!p->cum) die("out of memory");
  double sum = 0;
  for (size_t i = 0; i < cfg->n_outlets; i++) {
    unsigned t = (unsigned)cfg->outlets[i].tier;
    if (mask & (1u << t)) sum += tier_weight[t];
    p->cum[i] = sum;
  }
  p->n = cfg->n_outlets;
  if (sum <= 0) die("the config has no outlet of a tier the workload needs");
}

/* Seed text, read whole; article bodies and titles are cut from it. */
static char *seeds;
static size_t seeds_len;

static void load_seeds(const char *dir) {
  static const char *const names[] = {
      "000_7da123a9e609af01.txt", "001_d1166dc77cc66cc9.txt",
      "002_bd2c47c6a657cd89.txt", "003_78f639f54b693a6d.txt",
      "004_8f2bda9247647e94.txt"};
  seeds = malloc(SEEDS_MAX);
  if (!seeds) die("out of memory");
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    FILE *f = fopen(path, "rb");
    if (!f) die("cannot read a seed document (SEEDS_DIR)");
    size_t got = fread(seeds + seeds_len, 1, SEEDS_MAX - seeds_len - 1, f);
    seeds_len += got;
    fclose(f);
  }
  /* Newlines become spaces so a cut never starts a title with one. */
  for (size_t i = 0; i < seeds_len; i++)
    if (seeds[i] == '\n' || seeds[i] == '\r') seeds[i] = ' ';
  if (seeds_len < TEXT_MIN + TEXT_SPAN + 8) die("seed documents too short");
}

/* Start of the UTF-8 character at or after off. */
static size_t char_start(size_t off) {
  while (off < seeds_len && ((unsigned char)seeds[off] & 0xC0) == 0x80) off++;
  return off;
}

/* Copies the seed text [off, off + len) cut back to a whole character. */
static void cut(size_t off, size_t len, char *out, size_t cap) {
  off = char_start(off);
  if (off + len > seeds_len) len = seeds_len - off;
  if (len >= cap) len = cap - 1;
  while (len && off + len < seeds_len &&
         ((unsigned char)seeds[off + len] & 0xC0) == 0x80)
    len--;
  memcpy(out, seeds + off, len);
  out[len] = '\0';
}

/* A random time of day, seconds, mostly office and evening hours. */
static int64_t time_of_day(void) {
  int64_t h = below(100) < 90 ? 7 + (int64_t)below(15) : (int64_t)below(24);
  return h * 3600 + (int64_t)below(3600);
}

/* A random day of a year of `days` days, weekends weighted 55 %; wd0 is
 * the weekday of its first day (0 = Monday). */
static int64_t random_day(int days, int wd0) {
  for (;;) {
    int d = (int)below((uint64_t)days);
    int wd = (wd0 + d) % 7;
    if (wd < 5 || below(100) < 55) return d;
  }
}

/* Topic of rank r has weight 1 / (r + 2). */
static uint8_t random_topic(const double *tcum, size_t n) {
  struct picker p = {.cum = (double *)tcum, .n = n};
  return (uint8_t)pick(&p);
}

static void random_topics(struct rec *r, const double *tcum, size_t n) {
  uint64_t x = below(100);
  int k = x < 40 ? 0 : x < 75 ? 1 : x < 93 ? 2 : 3;
  if ((size_t)k > n) k = (int)n;
  r->n_topics = 0;
  while (r->n_topics < k) {
    uint8_t t = random_topic(tcum, n);
    bool dup = false;
    for (int j = 0; j < r->n_topics; j++) dup |= r->topics[j] == t;
    if (!dup) r->topics[r->n_topics++] = t;
  }
}

static int by_time(const void *a, const void *b) {
  const struct rec *x = a, *y = b;
  int64_t tx = x->published != MW_TIME_UNKNOWN ? x->published : x->fetched;
  int64_t ty = y->published != MW_TIME_UNKNOWN ? y->published : y->fetched;
  if (tx != ty) return tx < ty ? -1 : 1;
  /* An original before its reprints published the same second. */
  return (int)y->original - (int)x->original;
}

/* Group sizes 2..20, mostly small: 2 + a geometric draw, capped. */
static int group_size(void) {
  int k = 2;
  while (k < MAX_GROUP && below(100) < 72) k++;
  return k;
}

static void check(int rc, const struct mw_err *err) {
  if (rc) die(err->msg[0] ? err->msg : "store call failed");
}

static int64_t parse_arg(const char *s, int64_t lo, int64_t hi,
                         const char *what) {
  int64_t v;
  if (mw_parse_int64(s, lo, hi, &v)) die(what);
  return v;
}

/* Writes the fetch history: 100 polls of every source every 15 minutes
 * up to end; every 50th source failing all of them. */
static int64_t write_fetches(struct mw_store *st, int64_t end,
                             struct mw_err *err) {
  struct mw_source_state *src;
  size_t n;
  check(mw_store_list_sources(st, &src, &n, err), err);
  int64_t written = 0;
  check(mw_store_begin(st, err), err);
  for (size_t i = 0; i < n; i++) {
    bool failing = i % 50 == 7;
    for (int k = 100; k >= 1; k--) {
      int64_t when = end - (int64_t)k * 900 + (int64_t)(i % 900);
      bool ok = !failing && below(100) < 97;
      struct mw_fetch_record fr = {
          .source_id = src[i].id,
          .when = when,
          .ok = ok,
          .http_status = failing ? 503 : ok ? 200 : 0,
          .error = ok ? NULL : failing ? "HTTP 503" : "timed out",
          .update_validators = ok,
          .etag = ok ? "\"bench\"" : NULL,
          .next_due = when + 900,
          .consecutive_failures = ok ? 0 : failing ? 100 - k + 1 : 1,
          .new_articles = ok ? (int64_t)below(4) : 0,
      };
      check(mw_store_record_fetch(st, &fr, err), err);
      written++;
    }
  }
  check(mw_store_commit(st, err), err);
  mw_store_sources_free(src, n);
  return written;
}

/* Writes alerts for one article in 300, clustered ones keyed by cluster. */
static int64_t write_alerts(struct mw_store *st, const struct mw_config *cfg,
                            const struct rec *recs, size_t n, int64_t end,
                            int64_t *n_open, struct mw_err *err) {
  static const char *const states[] = {"new", "reported", "assigned",
                                       "in_progress", "feedback"};
  int64_t written = 0;
  *n_open = 0;
  check(mw_store_begin(st, err), err);
  for (size_t i = 0; i < n; i++) {
    if (below(300) != 0) continue;
    const struct rec *r = &recs[i];
    int64_t cluster = 0;
    if (r->group) check(mw_store_article_cluster(st, r->id, &cluster, err), err);
    char key[64];
    if (cluster) snprintf(key, sizeof key, "cluster:%lld", (long long)cluster);
    else snprintf(key, sizeof key, "article:%lld", (long long)r->id);
    struct mw_alert_rec old;
    bool found = false;
    check(mw_store_alert_by_key(st, key, &old, &found, err), err);
    if (found) {
      mw_alert_rec_cleanup(&old);
      continue;
    }
    uint64_t x = below(100);
    int level = x < 60 ? 1 : x < 85 ? 2 : x < 97 ? 3 : 4;
    int64_t created = r->fetched + 60;
    /* Older alerts are mostly closed; the last month's mostly open. */
    bool recent = end - created < 30 * 86400;
    bool closed = recent ? below(100) < 40 : below(100) < 97;
    char title[TITLE_MAX + 1], url[96], reason[160];
    cut((size_t)below(seeds_len - 200), 60, title, sizeof title);
    snprintf(url, sizeof url, "https://bench.example.cn/a/%lld.html",
             (long long)r->id);
    snprintf(reason, sizeof reason, "敏感度 %d 级，%s", level,
             cfg->outlets[r->outlet].name);
    struct mw_alert_rec a = {
        .key = key,
        .kind = "article",
        .cluster_id = cluster,
        .article_id = r->id,
        .topic = r->n_topics ? cfg->topics[r->topics[0]].name : NULL,
        .region = cfg->outlets[r->outlet].region,
        .level = level,
        .state = closed ? "closed" : (char *)states[below(5)],
        .title = title,
        .url = url,
        .reason = reason,
        .created = created,
        .updated = created + 3600,
        .deadline = created + (level >= 3 ? 5 * 3600 : 72 * 3600),
        .acked_at = closed ? created + 1200 : 0,
        .acked_by = closed ? "值班员" : NULL,
        .escalation = 0,
    };
    a.overdue = !closed && a.deadline < end;
    int64_t id;
    check(mw_store_alert_insert(st, &a, &id, err), err);
    if (cluster)
      check(mw_store_alert_add_cluster(st, id, cluster, NULL, err), err);
    else
      check(mw_store_alert_add_article(st, id, r->id, NULL, err), err);
    check(mw_store_article_set_sensitivity(st, r->id, 5.0 * level, level,
                                           a.region, err),
          err);
    written++;
    if (!closed) (*n_open)++;
  }
  check(mw_store_commit(st, err), err);
  return written;
}

static int gen(const char *config, int64_t n_articles, int year,
               const char *seeds_dir) {
  struct mw_err err = {0};
  struct mw_config *cfg;
  double t0 = now_s();
  check(mw_config_load(config, &cfg, &err), &err);
  if (cfg->n_outlets == 0 || cfg->n_topics == 0 || cfg->n_topics > 255)
    die("the config needs outlets and 1 to 255 topics");
  load_seeds(seeds_dir);

  /* The year's local midnights. */
  int64_t start = mw_tz_from_civil(cfg->tz, year, 1, 1, 0, 0, 0);
  int64_t end = mw_tz_from_civil(cfg->tz, year + 1, 1, 1, 0, 0, 0);
  int64_t day0 = mw_days_from_civil(year, 1, 1);
  int days = (int)(mw_days_from_civil(year + 1, 1, 1) - day0);
  int wd0 = (int)((day0 % 7 + 7 + 3) % 7); /* 1970-01-01 was a Thursday */

  struct picker any, orig, reprint;
  picker_init(&any, cfg, ~0u);
  picker_init(&orig, cfg, 1u << MW_TIER_CENTRAL | 1u << MW_TIER_PROVINCIAL);
  picker_init(&reprint, cfg, ~(1u << MW_TIER_CENTRAL));
  double *tcum = calloc(cfg->n_topics, sizeof *tcum);
  if (!tcum) die("out of memory");
  for (size_t t = 0; t < cfg->n_topics; t++)
    tcum[t] = (t ? tcum[t - 1] : 0) + 1.0 / (double)(t + 2);

  struct rec *recs = calloc((size_t)n_articles, sizeof *recs);
  if (!recs) die("out of memory");
  size_t n = 0;
  uint32_t groups = 0;
  int64_t grouped = 0;
  const int64_t want_grouped = n_articles / 10;
  while ((int64_t)n < n_articles) {
    int64_t left = n_articles - (int64_t)n;
    bool group = grouped < want_grouped && below(100) < 20;
    int k = group ? group_size() : 1;
    if (k > left) k = (int)left;
    if (k == 1) group = false;
    int64_t t = start + random_day(days, wd0) * 86400 + time_of_day();
    uint64_t base = rnd() | 1; /* 0 would mean "not hashed" */
    struct rec *first = &recs[n];
    for (int j = 0; j < k; j++) {
      struct rec *r = &recs[n++];
      r->original = j == 0;
      r->group = group ? groups + 1 : 0;
      r->outlet = (uint32_t)(!group ? pick(&any)
                             : j == 0 ? pick(&orig)
                                      : pick(&reprint));
      int64_t pub = j == 0 ? t : t + 600 + (int64_t)below(2 * 86400);
      if (pub >= end) pub = end - 1;
      r->fetched = pub + 300 + (int64_t)below(6 * 3600);
      if (r->fetched >= end) r->fetched = end - 1;
      r->published = below(100) < 5 ? MW_TIME_UNKNOWN : pub;
      r->hash = j == 0 || below(3) == 0 ? base : base ^ (1ull << below(64));
      if (!r->hash) r->hash = base;
      if (j == 0) {
        r->text_off = (uint32_t)below(seeds_len - TEXT_MIN - TEXT_SPAN - 8);
        r->text_len = (uint16_t)(TEXT_MIN + below(TEXT_SPAN));
        random_topics(r, tcum, cfg->n_topics);
      } else {
        r->text_off = first->text_off;
        r->text_len = first->text_len;
        r->n_topics = first->n_topics;
        memcpy(r->topics, first->topics, sizeof r->topics);
      }
    }
    if (group) {
      groups++;
      grouped += k;
    }
  }
  qsort(recs, n, sizeof *recs, by_time);
  double t_plan = now_s();

  struct mw_store *st;
  check(mw_store_open(cfg->storage_path, &st, &err), &err);
  check(mw_store_sync_config(st, cfg, &err), &err);
  struct mw_source_state *src;
  size_t n_src;
  check(mw_store_list_sources(st, &src, &n_src, &err), &err);
  /* Source of each outlet: the config gives one each, in order. */
  int64_t *source_of = calloc(cfg->n_outlets, sizeof *source_of);
  if (!source_of) die("out of memory");
  for (size_t i = 0; i < cfg->n_outlets; i++) {
    for (size_t j = 0; j < n_src; j++)
      if (cfg->outlets[i].n_sources &&
          !strcmp(src[j].url, cfg->outlets[i].sources[0].url))
        source_of[i] = src[j].id;
    if (!source_of[i]) die("an outlet of the config has no stored source");
  }
  mw_store_sources_free(src, n_src);

  static char text[TEXT_MIN + TEXT_SPAN + 8];
  int64_t matches = 0;
  for (size_t i = 0; i < n; i++) {
    if (i % BATCH == 0) check(mw_store_begin(st, &err), &err);
    struct rec *r = &recs[i];
    const struct mw_outlet_conf *o = &cfg->outlets[r->outlet];
    char url[128], title[TITLE_MAX + 1];
    snprintf(url, sizeof url, "https://o%u.bench.example.cn/%d/%zu.html",
             r->outlet, year, i);
    cut(r->text_off, r->text_len, text, sizeof text);
    cut((size_t)r->text_off + 3 * (size_t)(i % 7), 45 + (i % 40), title,
        sizeof title);
    const char *origin = NULL;
    if (r->group && !r->original) {
      /* 来源: the original's outlet; found by walking back to it. */
      for (size_t j = i; j-- > 0;)
        if (recs[j].group == r->group && recs[j].original) {
          origin = cfg->outlets[recs[j].outlet].name;
          break;
        }
    }
    struct mw_article a = {
        .source_id = source_of[r->outlet],
        .url = url,
        .guid = url,
        .title = title,
        .author = (i % 3) ? "记者" : NULL,
        .origin = origin ? origin : (i % 4 ? o->name : NULL),
        .text = text,
        .published = r->published,
        .fetched = r->fetched,
        .simhash = r->hash,
        .cluster_distance = MW_STORE_CLUSTER_MAX_DISTANCE,
    };
    bool inserted;
    check(mw_store_add_article(st, &a, &r->id, &inserted, &err), &err);
    if (!inserted) die("an article URL came twice");
    for (int t = 0; t < r->n_topics; t++) {
      const struct mw_topic_conf *tc = &cfg->topics[r->topics[t]];
      check(mw_store_add_match(st, r->id, tc->name,
                               tc->n_keywords ? tc->keywords[0] : tc->name,
                               &err),
            &err);
      matches++;
    }
    if (i % BATCH == BATCH - 1 || i + 1 == n) {
      check(mw_store_commit(st, &err), &err);
      if ((i + 1) % 200000 == 0)
        fprintf(stderr, "bench_report: %zu articles, %.0f s\n", i + 1,
                now_s() - t_plan);
    }
  }
  double t_articles = now_s();
  int64_t n_open;
  int64_t alerts = write_alerts(st, cfg, recs, n, end, &n_open, &err);
  int64_t fetches = write_fetches(st, end, &err);
  mw_store_close(st);
  double t_end = now_s();

  printf("articles %zu\n", n);
  printf("reprint_groups %u\n", groups);
  printf("grouped_articles %lld\n", (long long)grouped);
  printf("matches %lld\n", (long long)matches);
  printf("alerts %lld\n", (long long)alerts);
  printf("alerts_open %lld\n", (long long)n_open);
  printf("fetch_records %lld\n", (long long)fetches);
  printf("plan_s %.2f\n", t_plan - t0);
  printf("articles_s %.2f\n", t_articles - t_plan);
  printf("rest_s %.2f\n", t_end - t_articles);
  free(recs);
  free(source_of);
  free(tcum);
  free(any.cum);
  free(orig.cum);
  free(reprint.cum);
  free(seeds);
  mw_config_free(cfg);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 6 && !strcmp(argv[1], "gen"))
    return gen(argv[2], parse_arg(argv[3], 1, 100000000, "N: 1 to 10^8"),
               (int)parse_arg(argv[4], 1971, 9998, "YEAR: 1971 to 9998"),
               argv[5]);
  fputs("usage: bench_report gen CONFIG N YEAR SEEDS_DIR\n", stderr);
  return 2;
}
