/*
 * test_crashloop.c: `mediawatch run` killed with SIGKILL 20 times while it
 * crawls the fixture sites and sends alerts, restarted each time (issue 9).
 *
 * The fixture serves a scratch copy of the demo's sites plus generated work
 * (crashloop_sites.c: six feeds, a news sitemap of article pages, and a
 * complaint board whose pages each raise an alert), all fetched one at a
 * time 15 ms apart, and plays the receivers (a signed webhook for the duty
 * desk, a WeCom robot for the person on duty). Before each run the test
 * publishes a batch of new work: new feed entries (some of them residents'
 * complaints), new news pages and new board pages, so that every run has
 * articles to store, alerts to raise and notifications to send. Each kill
 * is aimed inside that work: the test reads the store (read-only, one
 * snapshot per look, every few ms) and kills, as the seed chooses, when
 * the run has stored a chosen share of the round's articles or raised its
 * first new alert (then a few ms of jitter), or at once when it is sending
 * notifications (a new alert, or some sent and more to send: kills in the
 * at-least-once window); a run that shows none of it by a random moment
 * 4-6 s after its start is killed then. After each kill the store says what
 * was in flight; a kill counts as landing on work when the run had done
 * some of it (stored an article, raised an alert or sent a notification)
 * and not all (articles published still missing, or notifications written
 * still unsent), and at least 15 of the 20 must.
 *
 * The last run is left to finish before SIGTERM. Afterwards:
 *   - PRAGMA integrity_check says "ok" (and foreign_key_check finds
 *     nothing);
 *   - each alert raised ("alert") once per receiver;
 *   - every notification in the outbox is marked sent and reached its
 *     receiver, counted by delivery id (X-Mediawatch-Delivery): distinct
 *     ids == outbox rows. A crash between a receiver's acceptance and the
 *     store's "sent" mark may repeat a delivery with the same id (the
 *     at-least-once window README.md names); such repeats are counted and
 *     printed, not failed;
 *   - then a reference store is filled by one `crawl --once` of the final
 *     sites that nobody interrupts: the crash loop's articles are exactly
 *     its URLs (every item published, each once), and it has as many
 *     alerts.
 *
 * The seed is printed; MW_CRASH_SEED=N repeats a run's batches and kill
 * targets (the daemon's own timing still varies). MW_CRASH_KEEP keeps the
 * scratch folder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/e2e/crashloop_sites.h"
#include "tests/e2e/e2e.h"

#define WEBHOOK_KEY "crashloop-webhook-key"
#define WECOM_KEY "crashloop-wecom-key"

#define KILLS 20
/* Kills that must land on unfinished work. */
#define KILLS_ON_WORK 15
/* How often the store is read while a run is alive. */
#define LOOK_MS 5
/* After the aimed-at moment, a little more, so kills do not all land at
 * the instant a transaction commits. */
#define JITTER_MAX_MS 60
/* A run that shows no sign of the round's work by a moment drawn from this
 * range is killed then (a poll 0-2 s after start-up finds new work; the
 * range leaves room for a slow start under sanitizers). */
#define FALLBACK_MIN_MS 4000
#define FALLBACK_MAX_MS 6000
/* A round's batch: news and board pages, entries per feed. */
#define BATCH_NEWS_MIN 2
#define BATCH_NEWS_MAX 5
#define BATCH_BOARD_MIN 1
#define BATCH_BOARD_MAX 3
#define BATCH_FEED_MAX 2
/* The last run gets this long to finish. */
#define SETTLE_MS 30000

#define MAX_URLS 2048
#define MAX_OUTBOX 2048

/* ------------------------------------------------------------ PRNG */

static uint64_t rng_state;

static uint64_t rng_next(void) { /* splitmix64 */
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* Uniform in lo..hi. */
static int64_t rng_range(int64_t lo, int64_t hi) {
  return lo + (int64_t)(rng_next() % (uint64_t)(hi - lo + 1));
}

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int64_t ms) {
  struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

/* ------------------------------------------------------------- config */

/* The demo's seven sources and the generated ones, every 2 s, so that a
 * restarted daemon polls again soon; {B} the fixture, {DB} the store. */
static const char config_head[] =
    "storage: \"{DB}\"\n"
    "timezone: Asia/Shanghai\n"
    "crawler:\n"
    "  concurrency: 8\n"
    "  per_host_concurrency: 1\n"
    "  per_host_delay_ms: 15\n"
    "  jitter_pct: 10\n"
    "  allow_loopback: true\n"
    "outlets:\n"
    "  - {name: 人民网, tier: central, region: 全国, sources: [{url: "
    "\"{B}/renmin/rss.xml\", poll: 2s}]}\n"
    "  - {name: 吉林日报, tier: provincial, region: 吉林省, sources: [{url: "
    "\"{B}/jilinribao/atom.xml\", poll: 2s}]}\n"
    "  - {name: 长春市人民政府, tier: portal, region: 吉林省长春市, sources: "
    "[{url: \"{B}/changchun/rss.xml\", poll: 2s}]}\n"
    "  - {name: \"@重庆生态环境\", tier: new-media, region: 重庆市, sources: "
    "[{url: \"{B}/rsshub/weibo/cqsthj.xml\", poll: 2s}]}\n"
    "  - {name: 吉林省网上群众留言板, tier: new-media, media: complaint, "
    "region: 吉林省, sources: [{url: \"{B}/liuyan/rss.xml\", poll: 2s}]}\n"
    "  - {name: 吉林省生态环境厅, tier: portal, region: 吉林省, sources: "
    "[{url: \"{B}/sthjt/xwdt/index.html\", kind: html, max_pages: 3, poll: "
    "2s}]}\n"
    "  - {name: 中国环境报, tier: central, region: 全国, sources: [{url: "
    "\"{B}/cenews/sitemap.xml\", kind: sitemap, poll: 2s}]}\n"
    "  - {name: 长春市民留言板, tier: new-media, media: complaint, region: "
    "吉林省长春市, sources: [{url: \"{B}/gen/board/sitemap.xml\", kind: "
    "sitemap, poll: 2s}]}\n"
    "  - {name: 环境新闻网, tier: central, region: 全国, sources: [{url: "
    "\"{B}/gen/news/sitemap.xml\", kind: sitemap, poll: 2s}]}\n";

static const char config_tail[] =
    "topics:\n"
    "  - {name: 无废城市, keywords: [无废城市, 无废细胞]}\n"
    "  - {name: 垃圾分类, keywords: [垃圾分类, 生活垃圾分类]}\n"
    "sensitivity:\n"
    "  lexicon: \"{LEX}\"\n"
    "alerts:\n"
    "  gazetteer: \"{GAZ}\"\n"
    "  burst_min: 100000\n"
    "  retry_max: 5s\n"
    "  receivers:\n"
    "    - {name: 值班平台, kind: webhook, url: "
    "\"{B}/hook/webhook/duty-desk\", secret_env: MW_T_WEBHOOK_KEY}\n"
    "    - {name: 值班群, kind: wecom, url_env: MW_T_WECOM_URL}\n"
    "  routes:\n"
    "    - {name: 值班台, min_level: 1, receivers: [值班平台, duty]}\n"
    "  people:\n"
    "    - {name: 张伟, receivers: [值班群]}\n"
    "  roster:\n"
    "    - {days: [每天], people: [张伟]}\n";

static void put_expanded(struct mw_buf *y, const char *tmpl,
                         const char *const *names, const char *const *values,
                         size_t n) {
  for (const char *p = tmpl; *p;) {
    size_t k = 0;
    while (k < n && strncmp(p, names[k], strlen(names[k]))) k++;
    if (k < n) {
      mw_buf_puts(y, values[k]);
      p += strlen(names[k]);
    } else {
      mw_buf_putc(y, *p++);
    }
  }
}

static void write_config(const char *cfg, const char *base, const char *db) {
  char lexicon[1024], gazetteer[1024];
  e2e_source("examples/lexicon.tsv", lexicon, sizeof lexicon);
  e2e_source("examples/gazetteer.tsv", gazetteer, sizeof gazetteer);
  const char *names[] = {"{DB}", "{B}", "{LEX}", "{GAZ}"};
  const char *values[] = {db, base, lexicon, gazetteer};
  struct mw_buf y;
  mw_buf_init(&y, 1u << 20);
  put_expanded(&y, config_head, names, values, 4);
  for (size_t f = 0; f < CRASHLOOP_FEEDS; f++)
    mw_buf_printf(&y,
                  "  - {name: 网友论坛%zu, tier: new-media, region: "
                  "吉林省长春市, sources: [{url: \"%s/gen/feed%zu.xml\", "
                  "poll: 2s}]}\n",
                  f, base, f);
  put_expanded(&y, config_tail, names, values, 4);
  e2e_write_file(cfg, y.data);
  mw_buf_cleanup(&y);
}

/* ------------------------------------------------------ reading stores */

static sqlite3 *db_open(const char *path) {
  sqlite3 *db = NULL;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
    sqlite3_close(db);
    return NULL;
  }
  sqlite3_busy_timeout(db, 5000);
  return db;
}

/* The first column of the first row of sql as an integer; -1 on error
 * (no store yet, a table not created yet). */
static int64_t db_int(sqlite3 *db, const char *sql) {
  sqlite3_stmt *s = NULL;
  int64_t v = -1;
  if (db && sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
      sqlite3_step(s) == SQLITE_ROW)
    v = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  return v;
}

/* Every row of the one-column text query, malloc'd strings; n of them. */
static size_t db_strings(sqlite3 *db, const char *sql, char **out,
                         size_t max) {
  sqlite3_stmt *s = NULL;
  size_t n = 0;
  assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
  while (sqlite3_step(s) == SQLITE_ROW && n < max) {
    const unsigned char *t = sqlite3_column_text(s, 0);
    out[n++] = mw_strdup(t ? (const char *)t : "(null)");
  }
  sqlite3_finalize(s);
  return n;
}

static void strings_free(char **s, size_t n) {
  for (size_t i = 0; i < n; i++) free(s[i]);
}

/* What a store holds. ok is false while it cannot be read (no store yet, a
 * daemon creating it); the counts are 0 then. */
struct progress {
  bool ok;
  int64_t articles, alerts, outbox, sent, unpolled;
};

/* One statement, so one snapshot: the articles, alerts and outbox it
 * counts are from the same commit. */
static struct progress progress_of(const char *path) {
  struct progress p = {0};
  sqlite3 *db = db_open(path);
  sqlite3_stmt *s = NULL;
  if (db &&
      sqlite3_prepare_v2(db,
                         "SELECT (SELECT count(*) FROM articles), "
                         "(SELECT count(*) FROM alerts), "
                         "(SELECT count(*) FROM outbox), "
                         "(SELECT count(sent_at) FROM outbox), "
                         "(SELECT count(*) FROM sources WHERE last_ok = 0)",
                         -1, &s, NULL) == SQLITE_OK &&
      sqlite3_step(s) == SQLITE_ROW) {
    p = (struct progress){
        .ok = true,
        .articles = sqlite3_column_int64(s, 0),
        .alerts = sqlite3_column_int64(s, 1),
        .outbox = sqlite3_column_int64(s, 2),
        .sent = sqlite3_column_int64(s, 3),
        .unpolled = sqlite3_column_int64(s, 4),
    };
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return p;
}

/* ------------------------------------------------------------- the test */

struct env {
  struct e2e_scratch dir;
  struct mw_fixture *fx;
  struct crashloop_sites sites;
  char cfg[1024], db[1024], ref_cfg[1024], ref_db[1024];
};

static int setup(void **state) {
  struct env *e = calloc(1, sizeof *e);
  char src[1024], root[1024], url[1024];
  e2e_scratch_new(&e->dir, "crashloop");
  e2e_data("sites", src, sizeof src);
  e2e_path(&e->dir, "sites", root, sizeof root);
  crashloop_sites_init(&e->sites, src, root);

  e->fx = e2e_fixture(root);
  const char *b = mw_fixture_base_url(e->fx);
  snprintf(url, sizeof url, "%s/hook/wecom?key=" WECOM_KEY, b);
  setenv("MW_T_WECOM_URL", url, 1);
  setenv("MW_T_WEBHOOK_KEY", WEBHOOK_KEY, 1);
  assert_int_equal(
      mw_fixture_set_receiver_secret(e->fx, "webhook", WEBHOOK_KEY), 0);
  assert_int_equal(mw_fixture_set_receiver_secret(e->fx, "wecom", WECOM_KEY),
                   0);
  e2e_path(&e->dir, "mw.yaml", e->cfg, sizeof e->cfg);
  e2e_path(&e->dir, "mw.db", e->db, sizeof e->db);
  e2e_path(&e->dir, "ref.yaml", e->ref_cfg, sizeof e->ref_cfg);
  e2e_path(&e->dir, "ref.db", e->ref_db, sizeof e->ref_db);
  write_config(e->cfg, b, e->db);
  write_config(e->ref_cfg, b, e->ref_db);
  *state = e;
  return 0;
}

static int teardown(void **state) {
  struct env *e = *state;
  mw_fixture_stop(e->fx);
  crashloop_sites_cleanup(&e->sites);
  if (getenv("MW_CRASH_KEEP"))
    fprintf(stderr, "crashloop: kept %s\n", e->dir.dir);
  else
    e2e_scratch_free(&e->dir);
  free(e);
  return 0;
}

/* The crash loop's store has exactly the reference's articles, each once:
 * the URLs (UNIQUE in the schema) compared one for one, and no URL under
 * two spellings (the same guid twice). */
static void expect_same_articles(const struct env *e) {
  static char *got[MAX_URLS], *want[MAX_URLS];
  sqlite3 *a = db_open(e->db), *r = db_open(e->ref_db);
  assert_non_null(a);
  assert_non_null(r);
  const char *q = "SELECT url FROM articles ORDER BY url";
  size_t ng = db_strings(a, q, got, MAX_URLS),
         nw = db_strings(r, q, want, MAX_URLS);
  size_t i = 0, j = 0, missing = 0, extra = 0;
  while (i < ng || j < nw) {
    int c = i == ng ? 1 : j == nw ? -1 : strcmp(got[i], want[j]);
    /* The first few of each, then only the counts. */
    if (c < 0 && extra < 10)
      fprintf(stderr, "crashloop: extra article %s\n", got[i]);
    if (c > 0 && missing < 10)
      fprintf(stderr, "crashloop: missing article %s\n", want[j]);
    extra += c < 0;
    missing += c > 0;
    i += c <= 0;
    j += c >= 0;
  }
  assert_int_equal(db_int(a, "SELECT count(*) - count(DISTINCT url) "
                             "FROM articles"), 0);
  assert_int_equal(db_int(a, "SELECT count(*) FROM (SELECT guid FROM "
                             "articles WHERE guid IS NOT NULL GROUP BY "
                             "source_id, guid HAVING count(*) > 1)"), 0);
  strings_free(got, ng);
  strings_free(want, nw);
  sqlite3_close(a);
  sqlite3_close(r);
  if (missing || extra)
    fail_msg("%zu articles missing, %zu extra after the crash loop", missing,
             extra);
  assert_int_equal(ng, nw);
}

/* Every outbox row sent and delivered, distinct delivery ids == rows;
 * returns the raw repeats (same id more than once). */
static size_t expect_delivered(const struct env *e, long *n_out) {
  static struct e2e_outbox_row rows[MAX_OUTBOX];
  static unsigned seen[MAX_OUTBOX];
  memset(seen, 0, sizeof seen);
  long n = e2e_outbox(e->db, rows, MAX_OUTBOX);
  assert_true(n > 0 && n < MAX_OUTBOX);
  struct mw_fixture_delivery *d = NULL;
  size_t nd = e2e_deliveries(e->fx, "/hook/", &d), repeats = 0, distinct = 0;
  for (size_t i = 0; i < nd; i++) {
    if (!d[i].delivery_id)
      fail_msg("a delivery to %s without a delivery id", d[i].path);
    int64_t id = strtoll(d[i].delivery_id, NULL, 10);
    long k = 0;
    while (k < n && rows[k].id != id) k++;
    if (k == n)
      fail_msg("delivery %lld to %s is in no outbox", (long long)id, d[i].path);
    const char *want = !strcmp(rows[k].receiver, "值班平台")
                           ? "/hook/webhook/duty-desk"
                           : "/hook/wecom";
    assert_string_equal(d[i].path, want);
    if (seen[k]++) {
      repeats++;
      fprintf(stderr, "crashloop: notification %lld (%s to %s) repeated\n",
              (long long)id, rows[k].kind, rows[k].receiver);
    } else {
      distinct++;
    }
  }
  for (long k = 0; k < n; k++)
    if (!seen[k] || !rows[k].sent_at)
      fail_msg("notification %lld (%s to %s) %s", (long long)rows[k].id,
               rows[k].kind, rows[k].receiver,
               seen[k] ? "arrived but is not marked sent" : "never arrived");
  assert_int_equal(distinct, (size_t)n);
  mw_fixture_deliveries_free(d, nd);
  *n_out = n;
  return repeats;
}

/* ------------------------------------------------------- the crash loop */

_Static_assert(CRASHLOOP_NEWS_PAGES + KILLS * BATCH_NEWS_MAX <=
                   CRASHLOOP_SITEMAP_MAX,
               "the news sitemap outgrows one poll");
_Static_assert(CRASHLOOP_BOARD_PAGES + KILLS * BATCH_BOARD_MAX <=
                   CRASHLOOP_SITEMAP_MAX,
               "the board's sitemap outgrows one poll");
_Static_assert(CRASHLOOP_FEED_ITEMS + KILLS * BATCH_FEED_MAX <=
                   CRASHLOOP_FEED_MAX,
               "a feed outgrows its ceiling");

/* A round's new work, drawn from the seed: a few entries in most feeds
 * (about a third of them complaints), news pages, board pages. */
static void draw_batch(struct crashloop_batch *b) {
  *b = (struct crashloop_batch){0};
  for (size_t f = 0; f < CRASHLOOP_FEEDS; f++) {
    b->feed_items[f] = (size_t)rng_range(0, BATCH_FEED_MAX);
    for (size_t i = 0; i < BATCH_FEED_MAX; i++)
      if (rng_next() % 3 == 0) b->feed_complaints[f] |= 1u << i;
  }
  b->news = (size_t)rng_range(BATCH_NEWS_MIN, BATCH_NEWS_MAX);
  b->board = (size_t)rng_range(BATCH_BOARD_MIN, BATCH_BOARD_MAX);
}

/* Where a kill is aimed: once the run has stored a share of the round's
 * articles; once it has raised its first new alert (a few ms later); or at
 * once when it has raised a new alert (its notifications are on their way
 * then) or has sent some notifications and has more to send, to land in
 * the sending. */
enum aim { AIM_ARTICLES, AIM_ALERT, AIM_SENDING };

struct kill {
  /* drawn from the seed before the run */
  enum aim aim;
  int64_t permille;    /* AIM_ARTICLES: share of the round's articles, 0-800 */
  int64_t jitter_ms;   /* slept between seeing the aim and the kill;
                          0 for AIM_SENDING */
  int64_t fallback_ms; /* killed then if the aim is not seen by then */
  int64_t published;   /* articles the sites hold this round */
  /* what happened */
  const char *how; /* "aimed", "fallback", or "done": finished unseen */
  int64_t at_ms;   /* since the run was started */
  struct progress before, after;
  /* The run had done some of the round's work (stored, raised or sent)
   * and not all of it (articles missing or notifications unsent). */
  bool on_work;
};

/* Everything published is stored and every notification written is
 * sent. */
static bool round_done(const struct progress *p, int64_t published) {
  return p->ok && p->articles >= published && p->sent == p->outbox;
}

/* Whether pid has ended (left a zombie for e2e_wait); si says how. */
static bool ended(int pid, siginfo_t *si, bool block) {
  memset(si, 0, sizeof *si);
  int flags = WEXITED | WNOWAIT | (block ? 0 : WNOHANG);
  assert_int_equal(waitid(P_PID, (id_t)pid, si, flags), 0);
  return si->si_pid != 0;
}

static void fail_with_log(const struct env *e, int pid, const char *what,
                          int k) {
  char *log = NULL;
  e2e_wait(&e->dir, pid, NULL, &log);
  fprintf(stderr, "crashloop: run %d %s; its log:\n%s\n", k + 1, what,
          log ? log : "(none)");
  free(log);
  fail_msg("run %d %s", k + 1, what);
}

/* One run: started, watched, killed where kl aims, and what it left. */
static void run_round(const struct env *e, const char *const *args, int k,
                      struct kill *kl) {
  kl->before = progress_of(e->db);
  int64_t needed = kl->published - kl->before.articles;
  int64_t target =
      kl->before.articles + 1 + (needed - 1) * kl->permille / 1000;
  assert_true(needed > 0);
  int64_t t0 = now_ms();
  int pid = e2e_spawn(&e->dir, args);
  siginfo_t si;
  kl->how = "fallback";
  for (;;) {
    sleep_ms(LOOK_MS);
    if (ended(pid, &si, false)) fail_with_log(e, pid, "ended by itself", k);
    struct progress p = progress_of(e->db);
    bool hit = p.ok && (kl->aim == AIM_ARTICLES ? p.articles >= target
                        : kl->aim == AIM_ALERT
                            ? p.alerts > kl->before.alerts
                            : p.alerts > kl->before.alerts ||
                                  (p.sent > kl->before.sent &&
                                   p.sent < p.outbox));
    if (hit) {
      kl->how = "aimed";
      sleep_ms(kl->jitter_ms);
      break;
    }
    if (round_done(&p, kl->published)) {
      kl->how = "done";
      break;
    }
    if (now_ms() - t0 >= kl->fallback_ms) break;
  }
  kl->at_ms = now_ms() - t0;
  assert_int_equal(kill(pid, SIGKILL), 0);
  ended(pid, &si, true);
  if (si.si_code != CLD_KILLED || si.si_status != SIGKILL)
    fail_with_log(e, pid, "ended otherwise than by the SIGKILL", k);
  e2e_wait(&e->dir, pid, NULL, NULL);
  kl->after = progress_of(e->db);
  const struct progress *a = &kl->after, *b = &kl->before;
  bool started = a->articles > b->articles || a->alerts > b->alerts ||
                 a->sent > b->sent;
  kl->on_work = started && !round_done(a, kl->published);

  char aim[64];
  if (kl->aim == AIM_ARTICLES)
    snprintf(aim, sizeof aim, "article %lld/%lld",
             (long long)(target - kl->before.articles), (long long)needed);
  else
    snprintf(aim, sizeof aim, "%s",
             kl->aim == AIM_ALERT ? "first alert" : "sending");
  fprintf(stderr,
          "crashloop: kill %2d at %4lld ms (%s, aim %s +%lld ms): round "
          "stored %lld of %lld articles (%lld of %lld published), +%lld "
          "alerts (%lld), notifications %lld/%lld sent, %zu deliveries; "
          "%s\n",
          k + 1, (long long)kl->at_ms, kl->how, aim,
          (long long)kl->jitter_ms, (long long)(a->articles - b->articles),
          (long long)needed, (long long)a->articles,
          (long long)kl->published, (long long)(a->alerts - b->alerts),
          (long long)a->alerts, (long long)a->sent, (long long)a->outbox,
          e2e_delivery_count(e->fx, "/hook/"),
          kl->on_work  ? "interrupted work"
          : started    ? "round already complete"
                       : "the run had done nothing yet");
}

/* The last run: until it has everything published and the outbox is
 * empty (twice in a row, half a second apart), or until nothing has
 * changed for five seconds with every source polled and the outbox empty
 * (it will get no further: the checks say what is wrong); then SIGTERM.
 * Returns its time. */
static int64_t last_run(const struct env *e, const char *const *args,
                        int64_t published) {
  int64_t t0 = now_ms();
  int pid = e2e_spawn(&e->dir, args);
  int stable = 0, still = 0;
  struct progress p = {0}, last = {0};
  while (stable < 2 && still < 10 && now_ms() - t0 < SETTLE_MS) {
    sleep_ms(500);
    p = progress_of(e->db);
    bool idle = p.ok && p.unpolled == 0 && p.outbox > 0 && p.sent == p.outbox;
    bool done = idle && p.articles == published;
    stable = done ? stable + 1 : 0;
    still = idle && !memcmp(&p, &last, sizeof p) ? still + 1 : 0;
    last = p;
  }
  assert_int_equal(kill(pid, SIGTERM), 0);
  char *log = NULL;
  int rc = e2e_wait(&e->dir, pid, NULL, &log);
  if (rc != 0 || stable < 2)
    fprintf(stderr,
            "crashloop: the last run %s (exit %d) with %lld of %lld "
            "articles, %lld alerts, %lld/%lld sent, %lld unpolled; its "
            "log:\n%s\n",
            stable < 2 ? "stopped short" : "finished", rc,
            (long long)p.articles, (long long)published, (long long)p.alerts,
            (long long)p.sent, (long long)p.outbox, (long long)p.unpolled,
            log);
  free(log);
  assert_int_equal(rc, 0);
  return now_ms() - t0;
}

static void test_crash_loop(void **state) {
  struct env *e = *state;
  const char *seed_env = getenv("MW_CRASH_SEED");
  uint64_t seed = seed_env ? strtoull(seed_env, NULL, 10)
                           : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16);
  rng_state = seed;
  fprintf(stderr, "crashloop: seed %llu (MW_CRASH_SEED=%llu repeats it)\n",
          (unsigned long long)seed, (unsigned long long)seed);

  const char *args[] = {"run", "--config", e->cfg, NULL};
  int64_t t1 = now_ms();
  int on_work = 0, sending = 0;
  for (int k = 0; k < KILLS; k++) {
    struct crashloop_batch b;
    draw_batch(&b);
    crashloop_sites_publish(&e->sites, &b);
    int64_t aim = rng_range(0, 9), jitter = rng_range(0, JITTER_MAX_MS);
    struct kill kl = {
        .aim = aim < 4 ? AIM_ARTICLES : aim < 7 ? AIM_ALERT : AIM_SENDING,
        .permille = rng_range(0, 800),
        .jitter_ms = aim < 7 ? jitter : 0,
        .fallback_ms = rng_range(FALLBACK_MIN_MS, FALLBACK_MAX_MS),
        .published = (int64_t)crashloop_sites_articles(&e->sites),
    };
    run_round(e, args, k, &kl);
    on_work += kl.on_work;
    sending += kl.on_work && kl.after.sent < kl.after.outbox;
  }
  int64_t t_loop = now_ms() - t1;
  int64_t published = (int64_t)crashloop_sites_articles(&e->sites);
  int64_t t_last = last_run(e, args, published);

  /* The store is sound. */
  sqlite3 *db = db_open(e->db);
  assert_non_null(db);
  char *ic[8];
  size_t nic = db_strings(db, "PRAGMA integrity_check", ic, 8);
  assert_int_equal(nic, 1);
  assert_string_equal(ic[0], "ok");
  strings_free(ic, nic);
  assert_int_equal(db_int(db, "SELECT count(*) FROM pragma_foreign_key_check"),
                   0);
  /* Each alert raised once to each receiver. */
  assert_int_equal(db_int(db, "SELECT count(*) FROM (SELECT 1 FROM outbox "
                              "WHERE kind = 'alert' GROUP BY alert_id, "
                              "receiver HAVING count(*) > 1)"), 0);
  assert_int_equal(db_int(db, "SELECT count(*) FROM outbox WHERE kind = "
                              "'alert'"),
                   2 * db_int(db, "SELECT count(*) FROM alerts"));
  int64_t n_articles = db_int(db, "SELECT count(*) FROM articles"),
          n_alerts = db_int(db, "SELECT count(*) FROM alerts");
  sqlite3_close(db);
  /* Every notification once (repeats of one delivery id counted). */
  long n = 0;
  size_t repeats = expect_delivered(e, &n);

  /* The reference: the final sites crawled once, never interrupted. Its
   * notifications are not the crash loop's: those were counted above. */
  mw_fixture_clear_deliveries(e->fx);
  int64_t t2 = now_ms();
  free(e2e_run_config(e->ref_cfg, 0, NULL, "crawl", "--once", NULL));
  struct progress ref = progress_of(e->ref_db);
  int64_t t_ref = now_ms() - t2;
  fprintf(stderr,
          "crashloop: %d kills, %d on unfinished work (%d with notifications "
          "unsent; loop %lld ms, last run %lld ms, reference crawl %lld "
          "ms); %lld of %lld articles "
          "(%lld published: %zu generated, %zu of them complaints), %lld "
          "of %lld alerts; %ld notifications, each delivered and marked "
          "sent (%zu raw repeats of a delivery id); integrity ok\n",
          KILLS, on_work, sending, (long long)t_loop, (long long)t_last,
          (long long)t_ref, (long long)n_articles, (long long)ref.articles,
          (long long)published, e->sites.urls, e->sites.complaints,
          (long long)n_alerts, (long long)ref.alerts, n, repeats);
  assert_int_equal(ref.articles, published);
  assert_true(ref.alerts >= 3 + (int64_t)e->sites.complaints);
  assert_int_equal(ref.sent, ref.outbox);
  /* A repeat needs a crash in the instant between a receiver's answer and
   * the store's record: at most one per kill. */
  assert_true(repeats <= KILLS);
  /* Every article once, and one alert per story as in the reference. */
  expect_same_articles(e);
  assert_int_equal(n_alerts, ref.alerts);
  /* The kills landed on work, not on a daemon with nothing left to do. */
  assert_true(on_work >= KILLS_ON_WORK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_crash_loop, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
