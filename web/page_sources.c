/*
 * page_sources.c: 信源状态 (GET /sources): every active source with its
 * verdict (正常 / 异常 / 失效, health/health.h) and each problem with its
 * evidence, its fetch state (failing: the last poll failed; never: not
 * polled yet; ok), the last success, the last attempt and its error, and
 * the articles stored from it in the last 7 days. Broken and degraded
 * sources come first, then failing ones, so a portal that went quiet is
 * seen before the counts fall to zero in silence.
 *
 * What it leaves to others: the verdicts (health/), the frame (page.c).
 */
#include <stdlib.h>
#include <string.h>

#include "health/health.h"
#include "web/page_int.h"

struct row {
  const struct mw_source_state *s;
  const struct mw_health_row *h;
  int rank; /* 0 failing, 1 never, 2 ok */
  int order; /* broken, degraded, then by rank */
};

static int rank_of(const struct mw_source_state *s) {
  if (s->consecutive_failures > 0) return 0;
  if (s->last_fetch == 0) return 1;
  return 2;
}

static int cmp_rows(const void *a, const void *b) {
  const struct row *x = a, *y = b;
  if (x->order != y->order) return x->order - y->order;
  int c = strcmp(x->s->outlet_name ? x->s->outlet_name : "",
                 y->s->outlet_name ? y->s->outlet_name : "");
  if (c) return c;
  return x->s->id < y->s->id ? -1 : x->s->id > y->s->id;
}

static int put_row(struct mw_buf *b, const struct mw_web_req *r,
                   const struct row *w) {
  static const char *const status[] = {"failing", "never", "ok"};
  static const char *const status_zh[] = {"失败", "未抓取", "正常"};
  const struct mw_source_state *s = w->s;
  char ok[32], fetch[32], last_art[32];
  mw_web_time_local(r->web, s->last_ok, ok, sizeof ok);
  mw_web_time_local(r->web, s->last_fetch, fetch, sizeof fetch);
  mw_web_time_local(r->web, w->h->last_new, last_art, sizeof last_art);
  enum mw_health_status hs = w->h->health.status;
  int rc = mw_buf_printf(b,
                         "<tr class=\"src st-%s\" data-source-id=\"%lld\" "
                         "data-status=\"%s\" data-health=\"%s\"><td><span "
                         "class=\"status hl-%s\">%s</span>",
                         status[w->rank], (long long)s->id, status[w->rank],
                         mw_health_status_name(hs), mw_health_status_name(hs),
                         mw_health_status_label_zh(hs));
  /* The line the admins' messages carry, the English evidence (URLs,
   * exact figures) on hover. */
  for (size_t k = 0; !rc && k < w->h->health.n_problems; k++) {
    const struct mw_health_problem *p = &w->h->health.problems[k];
    struct mw_buf zh;
    mw_buf_init(&zh, 4096);
    rc = mw_health_problem_zh(p, s->kind, r->now, &zh);
    if (!rc)
      rc = mw_buf_printf(b, "<div class=\"problem\" data-code=\"%s\" title=\"",
                         mw_problem_code_name(p->code));
    if (!rc) rc = mw_web_html(b, p->detail);
    if (!rc) rc = mw_buf_puts(b, "\">");
    if (!rc) rc = mw_web_html(b, zh.data ? zh.data : "");
    if (!rc) rc = mw_buf_puts(b, "</div>");
    mw_buf_cleanup(&zh);
  }
  if (!rc)
    rc = mw_buf_printf(b, "</td><td><span class=\"status st-%s\">%s</span>"
                          "</td><td>",
                       status[w->rank], status_zh[w->rank]);
  if (!rc) rc = mw_web_html(b, s->outlet_name);
  if (!rc) rc = mw_buf_puts(b, "</td><td class=\"url\">");
  if (!rc) rc = mw_web_page_link_out(b, s->url, NULL);
  if (!rc)
    rc =
        mw_buf_printf(b,
                      "</td><td>%s</td><td>%s</td><td>%s</td><td "
                      "class=\"num\">%lld</td><td class=\"err\">",
                      mw_source_kind_name(s->kind), *ok ? ok : "从未成功",
                      *fetch ? fetch : "—", (long long)s->consecutive_failures);
  /* The status of a failed poll, unless its error already says it. */
  bool failed = s->last_error || s->consecutive_failures > 0;
  if (!rc && failed && s->last_status &&
      !(s->last_error && strncmp(s->last_error, "HTTP ", 5) == 0))
    rc = mw_buf_printf(b, "HTTP %lld ", (long long)s->last_status);
  if (!rc) rc = mw_web_html(b, s->last_error);
  if (!rc)
    rc = mw_buf_printf(b, "</td><td class=\"num\">%lld</td><td>%s</td></tr>\n",
                       (long long)w->h->articles_7d,
                       *last_art ? last_art : "—");
  return rc;
}

static int put_table(struct mw_buf *b, const struct mw_web_req *r,
                     const struct row *rows, size_t n) {
  size_t failing = 0, bad[3] = {0};
  for (size_t i = 0; i < n; i++) {
    failing += rows[i].rank == 0;
    bad[rows[i].h->health.status]++;
  }
  int rc = mw_buf_printf(b,
                         "<p class=\"note\" id=\"sources-summary\">共 %zu "
                         "个信源，失效 %zu 个，异常 %zu 个，最近抓取失败 %zu "
                         "个。</p>\n<div class=\"scroll\">"
                         "\n<table id=\"sources\" class=\"sources\">\n"
                         "<thead><tr><th>健康</th><th>抓取</th><th>媒体</th><th>地址"
                         "</th><th>类型</th><th>最近成功</th><th>最近抓取"
                         "</th><th>连续失败</th><th>最近错误</th><th>7日"
                         "文章</th><th>最新文章</th></tr></thead>\n"
                         "<tbody>\n",
                         n, bad[MW_HEALTH_BROKEN], bad[MW_HEALTH_DEGRADED],
                         failing);
  for (size_t i = 0; !rc && i < n; i++) rc = put_row(b, r, &rows[i]);
  if (!rc && n == 0)
    rc = mw_buf_puts(b,
                     "<tr class=\"empty\"><td colspan=\"11\">没有信源。"
                     "</td></tr>\n");
  if (!rc) rc = mw_buf_puts(b, "</tbody>\n</table>\n</div>\n");
  return rc;
}

int mw_web_page_sources(struct mw_web_req *r, struct mw_web_resp *o) {
  struct mw_health_row *hr = NULL;
  size_t n = 0;
  struct row *rows = NULL;
  struct mw_err err = {0};
  int rc = mw_health_survey(r->web->cfg, r->store, r->now, &hr, &n, &err);
  if (!rc && !(rows = calloc(n ? n : 1, sizeof *rows))) rc = MW_ENOMEM;
  for (size_t i = 0; !rc && i < n; i++) {
    rows[i].s = &hr[i].src;
    rows[i].h = &hr[i];
    rows[i].rank = rank_of(&hr[i].src);
    enum mw_health_status hs = hr[i].health.status;
    rows[i].order = hs == MW_HEALTH_BROKEN     ? 0
                    : hs == MW_HEALTH_DEGRADED ? 1
                                               : 2 + rows[i].rank;
  }
  if (!rc) {
    qsort(rows, n, sizeof *rows, cmp_rows);
    rc = mw_web_page_begin(&o->body, r, "信源状态", "sources");
  }
  if (!rc) rc = put_table(&o->body, r, rows, n);
  if (!rc) rc = mw_web_page_end(&o->body, r);
  free(rows);
  mw_health_rows_free(hr, n);
  if (rc) return rc;
  return mw_web_page_reply(o, 200);
}
