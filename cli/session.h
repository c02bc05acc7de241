/*
 * session.h (private to cli/): what crawl, run and demo share: the config
 * loaded and checked before anything is touched, the matcher compiled, the
 * store opened and synchronised with the config, the sources read back
 * with their fetch state, and one loop driving crawler and pipeline.
 */
#ifndef MW_CLI_SESSION_H
#define MW_CLI_SESSION_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <uv.h>

#include "cli/pipeline.h"

struct mw_session {
  struct mw_config *cfg;      /* owned */
  struct mw_store *store;     /* owned */
  struct mw_matcher *matcher; /* owned */
  struct mw_alerts *alerts;   /* owned; the pipeline worker's engine */
  struct mw_courier *courier; /* owned; delivers and ticks */
  struct mw_cli_source *sources;
  size_t n_sources;
  uv_loop_t loop;
  bool loop_ready;
  struct mw_crawler *crawler;
  struct mw_pipeline *pipeline;
  bool progress;       /* draw a progress line on stderr */
  uv_timer_t progress_timer;
  uv_signal_t sigint, sigterm, sighup;
  bool stopping;
  bool crawler_closed;
  int exit_code;
  uv_timer_t lag_timer; /* measures the loop's lag while running */
  bool lag_running;
  uint64_t lag_due_ns;
  atomic_int_fast64_t loop_lag_us;
};

/* Loads cfg_path (or takes cfg, already loaded, when not NULL: ownership
 * passes to the session), compiles the topics, opens the store, builds
 * the alerts engine and starts the alerts thread, so notifications go out
 * while the crawl goes on. A config
 * or rule error returns before the store is opened. */
int mw_session_open(struct mw_session *s, const char *cfg_path,
                    struct mw_config *cfg, struct mw_err *err);
/* Polls every source once and returns when all are stored. */
int mw_session_crawl_once(struct mw_session *s, struct mw_err *err);
/* Polls on schedule until SIGINT or SIGTERM, then finishes the writes in
 * flight and returns. SIGHUP reloads the topics and the lexicon from the
 * config file (sources are read at start only). */
int mw_session_run(struct mw_session *s, struct mw_err *err);
/* Prints the outcome of the polls so far: sources ok / not modified /
 * failed with reason, new articles, matches per topic, alerts. */
void mw_session_print_summary(const struct mw_session *s, FILE *out,
                              bool per_source);
void mw_session_close(struct mw_session *s);
/* How late the loop ran its last 1 s timer, in microseconds (session is a
 * struct mw_session *): the shape web.h's loop_lag_us wants. */
int64_t mw_session_loop_lag_us(void *session);

#endif
