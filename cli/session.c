/*
 * session.c: the loop that ties crawler, pipeline and store together for
 * `crawl --once`, `run` and `demo`. The loop only orchestrates: timers,
 * sockets, signals and the thread pool; parsing and storing happen in the
 * pipeline's worker.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/courier.h"
#include "cli/session.h"
#include "health/health.h"
#include "alerts/alerts.h"

/* How long `crawl --once` waits for its notifications to go out. */
#define COURIER_FLUSH_MS 30000

/* The config's entry for a stored source, and its outlet's tier. */
static const struct mw_source_conf *find_source_conf(
    const struct mw_config *cfg, const char *url, enum mw_tier *tier,
    const char **region, int *media) {
  for (size_t i = 0; i < cfg->n_outlets; i++)
    for (size_t k = 0; k < cfg->outlets[i].n_sources; k++)
      if (!strcmp(cfg->outlets[i].sources[k].url, url)) {
        *tier = cfg->outlets[i].tier;
        *region = cfg->outlets[i].region;
        *media = cfg->outlets[i].media >= 0
                     ? cfg->outlets[i].media
                     : mw_doc_kind_of_tier(cfg->outlets[i].tier);
        return &cfg->outlets[i].sources[k];
      }
  return NULL;
}

static void kick_courier(void *user) { mw_courier_kick(user); }

static int start_courier(struct mw_session *s, struct mw_err *err) {
  int rc = mw_courier_start(s->cfg, &s->courier, err);
  if (rc) return rc;
  mw_pipeline_set_alerts(s->pipeline, s->alerts, kick_courier, s->courier);
  struct mw_courier_stats st;
  mw_courier_stats(s->courier, &st);
  if (st.locked_out)
    fprintf(stderr, "mediawatch: alerts: %s\n", st.last_error);
  return MW_OK;
}

int mw_session_open(struct mw_session *s, const char *cfg_path,
                    struct mw_config *cfg, struct mw_err *err) {
  memset(s, 0, sizeof *s);
  int rc = MW_OK;
  if (cfg) s->cfg = cfg;
  else rc = mw_config_load(cfg_path, &s->cfg, err);
  if (rc) return rc;
  rc = mw_matcher_new_config(s->cfg, &s->matcher, err);
  if (rc) {
    mw_err_prefix(err, "%s: ", s->cfg->path);
    return rc;
  }
  /* A topic whose rule does not compile never matches; the others work.
   * Say so loudly, before any counting starts. */
  mw_cli_print_rule_errors(s->cfg, s->matcher, "mediawatch: warning: ");
  rc = mw_store_open(s->cfg->storage_path, &s->store, err);
  if (rc) return rc;
  rc = mw_store_sync_config(s->store, s->cfg, err);
  if (rc) return rc;
  /* A target added since the last run is caught up before crawling. */
  const char **terms;
  size_t n_terms;
  rc = mw_store_config_mentions(s->cfg, &terms, &n_terms, err);
  if (!rc) rc = mw_store_index_mentions(s->store, terms, n_terms, err);
  free(terms);
  if (rc) return rc;
  struct mw_source_state *st;
  size_t n;
  rc = mw_store_list_sources(s->store, &st, &n, err);
  if (rc) return rc;
  s->sources = calloc(n ? n : 1, sizeof *s->sources);
  if (!s->sources) {
    mw_store_sources_free(st, n);
    return mw_err_set(err, MW_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < n; i++) {
    struct mw_cli_source *c = &s->sources[i];
    c->url = mw_strdup(st[i].url);
    c->outlet = mw_strdup(st[i].outlet_name ? st[i].outlet_name : "");
    c->etag = st[i].etag ? mw_strdup(st[i].etag) : NULL;
    c->last_modified = st[i].last_modified ? mw_strdup(st[i].last_modified) : NULL;
    c->kind = st[i].kind;
    c->crawl.id = st[i].id;
    c->crawl.url = c->url;
    c->crawl.interval_s = st[i].poll_interval_s;
    c->base_s = st[i].poll_interval_s;
    c->first_fetch = st[i].first_fetch;
    /* The interval last worked out, until the next poll works it again. */
    if (st[i].interval_s > 0) c->crawl.interval_s = st[i].interval_s;
    c->crawl.next_due = st[i].next_due;
    c->crawl.failures = st[i].consecutive_failures;
    c->crawl.etag = c->etag;
    c->crawl.last_modified = c->last_modified;
    c->crawl.user = c;
    s->n_sources++;
    if (!c->url || !c->outlet) rc = mw_err_set(err, MW_ENOMEM, "out of memory");
  }
  mw_store_sources_free(st, n);
  if (rc) return rc;
  for (size_t i = 0; i < s->n_sources; i++)
    s->sources[i].conf =
        find_source_conf(s->cfg, s->sources[i].url, &s->sources[i].tier,
                         &s->sources[i].region, &s->sources[i].media);
  for (size_t i = 0; i < s->n_sources; i++) {
    struct mw_cli_source *c = &s->sources[i];
    if (!c->conf) c->media = mw_doc_kind_of_tier(c->tier);
    c->adaptive = s->cfg->crawler.adaptive && c->conf && c->conf->adaptive;
    if (!c->adaptive) c->crawl.interval_s = c->base_s;
  }
  if (uv_loop_init(&s->loop) != 0)
    return mw_err_set(err, MW_EIO, "cannot create the event loop");
  s->loop_ready = true;
  rc = mw_pipeline_new(&s->loop, s->cfg, s->store, s->matcher, &s->pipeline, err);
  if (rc) return rc;
  rc = mw_alerts_new(s->cfg, &s->alerts, err);
  if (rc) {
    mw_err_prefix(err, "%s: alerts: ", s->cfg->path);
    return rc;
  }
  mw_pipeline_set_alerts(s->pipeline, s->alerts, NULL, NULL);
  rc = mw_crawler_new(&s->loop, &s->cfg->crawler, mw_pipeline_on_fetch,
                      s->pipeline, &s->crawler, err);
  if (rc) return rc;
  mw_pipeline_set_crawler(s->pipeline, s->crawler);
  for (size_t i = 0; i < s->n_sources; i++) {
    rc = mw_crawler_add(s->crawler, &s->sources[i].crawl);
    if (rc)
      return mw_err_set(err, rc, "source %s: cannot be scheduled: %s",
                        s->sources[i].url, mw_strerror(rc));
  }
  rc = start_courier(s, err);
  if (rc) return rc;
  s->progress = isatty(STDERR_FILENO);
  return MW_OK;
}

/* ------------------------------------------------------------ progress */

static void draw_progress(uv_timer_t *t) {
  struct mw_session *s = t->data;
  size_t done, active, queued;
  mw_crawler_progress(s->crawler, &done, &active, &queued);
  fprintf(stderr, "\r\033[Kcrawling: %zu/%zu sources done, %zu in flight, %zu waiting",
          done, s->n_sources, active, queued);
  fflush(stderr);
}

static void start_progress(struct mw_session *s) {
  if (!s->progress) return;
  uv_timer_init(&s->loop, &s->progress_timer);
  s->progress_timer.data = s;
  uv_timer_start(&s->progress_timer, draw_progress, 0, 200);
}

static void stop_progress(struct mw_session *s) {
  if (!s->progress) return;
  uv_timer_stop(&s->progress_timer);
  uv_close((uv_handle_t *)&s->progress_timer, NULL);
  fprintf(stderr, "\r\033[K");
  fflush(stderr);
}

/* ------------------------------------------------------------ shutdown */

static void on_crawler_closed(void *user) {
  (void)user; /* the loop ends once every handle is closed */
}

static void close_signals(struct mw_session *s);

static void close_crawler(struct mw_session *s) {
  if (s->crawler_closed) return;
  s->crawler_closed = true;
  mw_crawler_close(s->crawler, on_crawler_closed, s);
}

static void on_idle(void *user);

/* Once the pipeline has written everything, the crawl is over unless what
 * it wrote asked for more pages (the articles of a listing). */
static void on_drained(void *user) {
  struct mw_session *s = user;
  if (!s->stopping && !s->crawler_closed && !mw_crawler_is_idle(s->crawler)) {
    mw_crawler_when_idle(s->crawler, on_idle, s);
    return;
  }
  close_crawler(s);
  stop_progress(s);
  close_signals(s);
}

/* The crawler has nothing queued or in flight: let the pipeline finish. */
static void on_idle(void *user) {
  struct mw_session *s = user;
  mw_pipeline_drain(s->pipeline, on_drained, s);
}

/* The sources' health as this crawl left it, so the admins hear at once
 * of a source it found broken (the courier then delivers). On the
 * session's own handle, whose cache the crawl has filled anyway. A daemon
 * holding the send lock does this itself. */
static void check_health(struct mw_session *s) {
  if (!mw_courier_delivers(s->courier) ||
      mw_pipeline_store_error(s->pipeline)[0])
    return;
  struct mw_err err = {0};
  struct mw_health_check_stats hs;
  int rc = mw_store_begin(s->store, &err);
  if (!rc)
    rc = mw_health_check(s->cfg, s->store, (int64_t)time(NULL), &hs, &err);
  if (!rc) rc = mw_store_commit(s->store, &err);
  else mw_store_rollback(s->store);
  if (rc) fprintf(stderr, "mediawatch: source health: %s\n", err.msg);
  else if (hs.messages) mw_courier_kick(s->courier);
}

int mw_session_crawl_once(struct mw_session *s, struct mw_err *err) {
  mw_pipeline_keep_polls(s->pipeline, true);
  start_progress(s);
  mw_crawler_run_once(s->crawler, on_idle, s);
  uv_run(&s->loop, UV_RUN_DEFAULT);
  check_health(s);
  /* What the crawl raised goes out before the command exits; a receiver
   * that is down keeps its notifications in the outbox for later. */
  mw_courier_flush(s->courier, COURIER_FLUSH_MS);
  const char *serr = mw_pipeline_store_error(s->pipeline);
  if (serr[0]) return mw_err_set(err, MW_EDB, "%s", serr);
  return MW_OK;
}

static void on_signal(uv_signal_t *sig, int signum) {
  struct mw_session *s = sig->data;
  if (s->stopping) return;
  s->stopping = true;
  fprintf(stderr, "mediawatch: %s received, finishing the writes in flight\n",
          signum == SIGINT ? "SIGINT" : "SIGTERM");
  /* No new fetches are started, transfers in flight are dropped (they are
   * polled again at the next start), and what was fetched is written. */
  close_crawler(s);
  mw_pipeline_drain(s->pipeline, on_drained, s);
}

/* The loop's lag: how late a 1 s timer fires, kept for /metrics (read by
 * the server's threads, hence atomic). */
#define LAG_PERIOD_MS 1000
static void on_lag_timer(uv_timer_t *t) {
  struct mw_session *s = t->data;
  uint64_t now = uv_hrtime();
  int64_t late = s->lag_due_ns && now > s->lag_due_ns
                     ? (int64_t)((now - s->lag_due_ns) / 1000)
                     : 0;
  atomic_store(&s->loop_lag_us, late);
  s->lag_due_ns = now + (uint64_t)LAG_PERIOD_MS * 1000000u;
}

int64_t mw_session_loop_lag_us(void *session) {
  struct mw_session *s = session;
  return atomic_load(&s->loop_lag_us);
}

static void close_signals(struct mw_session *s) {
  if (s->lag_running) {
    s->lag_running = false;
    uv_timer_stop(&s->lag_timer);
    uv_close((uv_handle_t *)&s->lag_timer, NULL);
  }
  if (!uv_is_active((uv_handle_t *)&s->sigint) &&
      !uv_is_active((uv_handle_t *)&s->sigterm))
    return;
  uv_signal_stop(&s->sigint);
  uv_signal_stop(&s->sigterm);
  uv_signal_stop(&s->sighup);
  uv_close((uv_handle_t *)&s->sigint, NULL);
  uv_close((uv_handle_t *)&s->sigterm, NULL);
  uv_close((uv_handle_t *)&s->sighup, NULL);
}

static void on_matcher_retired(const struct mw_matcher *old, void *user) {
  (void)user;
  mw_matcher_free((struct mw_matcher *)old);
}

/* New rules without a restart: the config is read again and its topics
 * and lexicon compiled; on any error the rules in force stay. */
static void on_sighup(uv_signal_t *sig, int signum) {
  (void)signum;
  struct mw_session *s = sig->data;
  struct mw_err err = {0};
  struct mw_config *cfg = NULL;
  struct mw_matcher *m = NULL;
  if (mw_config_load(s->cfg->path, &cfg, &err) ||
      mw_matcher_new_config(cfg, &m, &err)) {
    fprintf(stderr, "mediawatch: SIGHUP: %s; the rules in force are kept\n",
            err.msg);
    mw_config_free(cfg);
    return;
  }
  mw_cli_print_rule_errors(cfg, m, "mediawatch: warning: ");
  if (mw_pipeline_set_matcher(s->pipeline, m, on_matcher_retired, s)) {
    fprintf(stderr, "mediawatch: SIGHUP: the previous reload is still being "
                    "taken up; send SIGHUP again shortly\n");
    mw_matcher_free(m);
  } else {
    s->matcher = m; /* the old one is freed once the worker lets go */
    fprintf(stderr,
            "mediawatch: SIGHUP: rules reloaded from %s: %zu topics, %zu "
            "with errors; sources are read at start only\n",
            cfg->path, mw_matcher_topic_count(m), mw_matcher_error_count(m));
  }
  mw_config_free(cfg);
}

int mw_session_run(struct mw_session *s, struct mw_err *err) {
  uv_signal_init(&s->loop, &s->sigint);
  uv_signal_init(&s->loop, &s->sigterm);
  s->sigint.data = s->sigterm.data = s;
  uv_signal_start(&s->sigint, on_signal, SIGINT);
  uv_signal_start(&s->sigterm, on_signal, SIGTERM);
  uv_signal_init(&s->loop, &s->sighup);
  s->sighup.data = s;
  uv_signal_start(&s->sighup, on_sighup, SIGHUP);
  s->progress = false; /* a daemon's stderr is a log, not a terminal line */
  uv_timer_init(&s->loop, &s->lag_timer);
  s->lag_timer.data = s;
  s->lag_running = true;
  s->lag_due_ns = uv_hrtime() + (uint64_t)LAG_PERIOD_MS * 1000000u;
  uv_timer_start(&s->lag_timer, on_lag_timer, LAG_PERIOD_MS, LAG_PERIOD_MS);
  mw_crawler_start(s->crawler);
  uv_run(&s->loop, UV_RUN_DEFAULT);
  const char *serr = mw_pipeline_store_error(s->pipeline);
  if (serr[0]) return mw_err_set(err, MW_EDB, "%s", serr);
  return MW_OK;
}

/* ------------------------------------------------------------- summary */

static const char *status_word(enum mw_fetch_status st) {
  switch (st) {
    case MW_FETCH_OK: return "ok";
    case MW_FETCH_NOT_MODIFIED: return "not modified";
    case MW_FETCH_DENIED: return "refused";
    default: return "failed";
  }
}

void mw_session_print_summary(const struct mw_session *s, FILE *out,
                              bool per_source) {
  size_t n;
  const struct mw_poll_summary *polls = mw_pipeline_polls(s->pipeline, &n);
  size_t ok = 0, not_modified = 0, failed = 0;
  for (size_t i = 0; i < n; i++) {
    const struct mw_poll_summary *p = &polls[i];
    if (p->status == MW_FETCH_OK) ok++;
    else if (p->status == MW_FETCH_NOT_MODIFIED) not_modified++;
    else failed++;
    if (!per_source) continue;
    fprintf(out, "  %-12s %s  %s", status_word(p->status), p->outlet, p->url);
    if (p->status == MW_FETCH_OK && p->pages)
      fprintf(out, "  (%lld links, %lld pages fetched, %lld failed, %lld new)",
              (long long)p->entries, (long long)p->pages,
              (long long)p->pages_failed, (long long)p->new_articles);
    else if (p->status == MW_FETCH_OK)
      fprintf(out, "  (%lld entries, %lld new)", (long long)p->entries,
              (long long)p->new_articles);
    if (p->attachments)
      fprintf(out, "  [%lld attachments]", (long long)p->attachments);
    if (p->error) fprintf(out, "\n               %s", p->error);
    fputc('\n', out);
  }
  fprintf(out, "sources: %zu ok, %zu not modified, %zu failed\n", ok,
          not_modified, failed);
  fprintf(out, "new articles: %lld\n",
          (long long)mw_pipeline_new_articles(s->pipeline));
  for (size_t t = 0; t < mw_matcher_topic_count(s->matcher); t++)
    fprintf(out, "matches: %s %lld\n", mw_matcher_topic_name(s->matcher, t),
            (long long)mw_pipeline_topic_matches(s->pipeline, t));
  fprintf(out, "alerts: %lld articles raised or updated an alert\n",
          (long long)mw_pipeline_alerted(s->pipeline));
  if (s->courier) {
    struct mw_courier_stats st;
    mw_courier_stats(s->courier, &st);
    if (st.locked_out)
      fprintf(out, "notifications: left to the running daemon\n");
    else
      fprintf(out, "notifications: %zu sent, %lld waiting%s%s\n", st.sent,
              (long long)st.pending, st.last_error[0] ? "; last problem: " : "",
              st.last_error);
  }
}

void mw_session_close(struct mw_session *s) {
  if (s->loop_ready) {
    /* Handles still open here belong to a failed start-up: close them so
     * the loop can be closed. */
    if (s->crawler) close_crawler(s);
    uv_run(&s->loop, UV_RUN_DEFAULT);
    uv_loop_close(&s->loop);
  }
  mw_crawler_free(s->crawler);
  mw_pipeline_free(s->pipeline);
  mw_courier_stop(s->courier);
  mw_alerts_free(s->alerts);
  for (size_t i = 0; i < s->n_sources; i++) {
    free(s->sources[i].url);
    free(s->sources[i].outlet);
    free(s->sources[i].etag);
    free(s->sources[i].last_modified);
  }
  free(s->sources);
  mw_store_close(s->store);
  mw_matcher_free(s->matcher);
  mw_config_free(s->cfg);
  memset(s, 0, sizeof *s);
}
