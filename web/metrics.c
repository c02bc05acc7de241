/*
 * metrics.c: GET /metrics, the Prometheus text format 0.0.4.
 *
 * The store's totals (articles, fetches, sources, open alerts, outbox,
 * search backlog) and the server's own counters (requests, error replies,
 * live streams, failed sign-ins), plus the crawl loop's lag when the
 * crawler runs in this process. A scraper on the same machine needs no
 * session (loopback); from elsewhere it needs one, like any page.
 *
 * What it leaves to others: counting (server.c, sse.c, the store).
 */
#include <string.h>

#include "web/web_int.h"

static bool is_loopback(const char *addr) {
  return strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0 ||
         strncmp(addr, "::ffff:127.", 11) == 0;
}

static void series(struct mw_buf *b, const char *name, const char *type,
                   const char *help) {
  mw_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

int mw_web_metrics(struct mw_web_req *r, struct mw_web_resp *o) {
  struct mw_web *w = r->web;
  if (!r->user && !is_loopback(r->client))
    return mw_web_reply_error(o, 401, "unauthorized",
                              "sign in to read the metrics");
  struct mw_store_metrics m;
  struct mw_err err = {0};
  if (mw_store_metrics(r->store, &m, &err))
    return mw_web_reply_error(o, 500, "internal", "the store failed");
  struct mw_buf *b = &o->body;
  series(b, "mediawatch_articles_total", "counter", "Articles stored.");
  mw_buf_printf(b, "mediawatch_articles_total %lld\n", (long long)m.articles);
  series(b, "mediawatch_fetches_total", "counter", "Polls of sources.");
  mw_buf_printf(b, "mediawatch_fetches_total %lld\n", (long long)m.fetches);
  series(b, "mediawatch_fetch_failures_total", "counter",
         "Polls of sources that failed.");
  mw_buf_printf(b, "mediawatch_fetch_failures_total %lld\n",
                (long long)m.fetch_failures);
  series(b, "mediawatch_sources", "gauge",
         "Active sources by the outcome of their last poll.");
  mw_buf_printf(b, "mediawatch_sources{state=\"ok\"} %lld\n",
                (long long)(m.sources - m.sources_failing));
  mw_buf_printf(b, "mediawatch_sources{state=\"failing\"} %lld\n",
                (long long)m.sources_failing);
  series(b, "mediawatch_sources_health", "gauge",
         "Active sources by their health at the last check (every 5 min).");
  mw_buf_printf(b, "mediawatch_sources_health{status=\"ok\"} %lld\n",
                (long long)(m.sources - m.sources_broken - m.sources_degraded));
  mw_buf_printf(b, "mediawatch_sources_health{status=\"degraded\"} %lld\n",
                (long long)m.sources_degraded);
  mw_buf_printf(b, "mediawatch_sources_health{status=\"broken\"} %lld\n",
                (long long)m.sources_broken);
  series(b, "mediawatch_alerts_open", "gauge", "Open alerts by level.");
  for (int lv = 1; lv <= 4; lv++)
    mw_buf_printf(b, "mediawatch_alerts_open{level=\"%d\"} %lld\n", lv,
                  (long long)m.alerts_open[lv]);
  series(b, "mediawatch_alerts_total", "counter", "Alerts ever raised.");
  mw_buf_printf(b, "mediawatch_alerts_total %lld\n",
                (long long)m.alerts_total);
  series(b, "mediawatch_outbox_pending", "gauge",
         "Notifications not sent yet.");
  mw_buf_printf(b, "mediawatch_outbox_pending %lld\n",
                (long long)m.outbox_pending);
  series(b, "mediawatch_search_pending", "gauge",
         "Articles not yet in the search index.");
  mw_buf_printf(b, "mediawatch_search_pending %lld\n",
                (long long)m.search_pending);
  series(b, "mediawatch_http_requests_total", "counter",
         "HTTP requests served.");
  mw_buf_printf(b, "mediawatch_http_requests_total %llu\n",
                (unsigned long long)atomic_load(&w->requests));
  series(b, "mediawatch_http_errors_total", "counter",
         "HTTP error replies by class.");
  mw_buf_printf(b, "mediawatch_http_errors_total{class=\"4xx\"} %llu\n",
                (unsigned long long)atomic_load(&w->replies_4xx));
  mw_buf_printf(b, "mediawatch_http_errors_total{class=\"5xx\"} %llu\n",
                (unsigned long long)atomic_load(&w->replies_5xx));
  series(b, "mediawatch_login_failures_total", "counter",
         "Failed sign-ins.");
  mw_buf_printf(b, "mediawatch_login_failures_total %llu\n",
                (unsigned long long)atomic_load(&w->logins_failed));
  series(b, "mediawatch_search_indexed_total", "counter",
         "Articles added to the search index by this server.");
  mw_buf_printf(b, "mediawatch_search_indexed_total %llu\n",
                (unsigned long long)atomic_load(&w->search_indexed));
  series(b, "mediawatch_sse_clients", "gauge", "Live alert streams.");
  mw_buf_printf(b, "mediawatch_sse_clients %d\n",
                atomic_load(&w->sse_clients));
  if (w->loop_lag_us) {
    series(b, "mediawatch_loop_lag_seconds", "gauge",
           "How late the crawl loop runs its timers.");
    mw_buf_printf(b, "mediawatch_loop_lag_seconds %.6f\n",
                  (double)w->loop_lag_us(w->loop_lag_ctx) / 1e6);
  }
  if (b->len == 0 || b->data[b->len - 1] != '\n')
    return mw_web_reply_error(o, 500, "internal", "the metrics did not fit");
  o->status = 200;
  o->type = "text/plain; version=0.0.4; charset=utf-8";
  o->csp = MW_CSP_API;
  return MW_OK;
}
