/*
 * page_overview.c: 本周概览 (GET /, or ?week= / ?month= / ?from=&to=): the
 * period's articles against the period before, the open alerts by level,
 * the coverage targets as bars with their status, articles per day as an
 * SVG bar chart drawn here (inline SVG is allowed by the page CSP: no
 * style attribute is used, colours come from style.css), and articles per
 * tier.
 *
 * The numbers are gathered as the report gathers them (mw_report_gather:
 * targets with `each` expanded, over the target period holding the
 * period's last day); a target's status is as of now while the period
 * is still running (a running week is not missed yet).
 *
 * What it leaves to others: the gathering and target status (report/),
 * the queries (store/), the frame (page.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/page_int.h"

/* Chart geometry (SVG user units; the SVG scales to the page width). */
#define CH_SLOT 40
#define CH_BAR 28
#define CH_H 160
#define CH_TOP 18
#define CH_BOTTOM 22

struct overview {
  struct mw_report_period p, prev;
  struct mw_report_data *data; /* coverage, days and targets */
  int64_t total, prev_total;
  int64_t by_tier[MW_TIER_COUNT];
  int64_t *daily;        /* articles per day, n_days of them */
  const int64_t *bounds; /* n_days + 1 local midnights (in data) */
  size_t n_days;
  const struct mw_report_target *targets; /* in data */
  size_t n_targets;
  struct mw_store_metrics m;
};

static void overview_cleanup(struct overview *v) {
  free(v->daily);
  mw_report_data_free(v->data);
}

static int64_t total_of(const struct mw_coverage *c, int64_t *by_tier) {
  int64_t total = 0;
  for (size_t i = 0; c && i < c->n_cells; i++) {
    if (c->cells[i].topic) continue; /* the all-articles row of an outlet */
    total += c->cells[i].count;
    if (by_tier && (unsigned)c->cells[i].tier < MW_TIER_COUNT)
      by_tier[c->cells[i].tier] += c->cells[i].count;
  }
  return total;
}

static void local_day(const struct mw_web_req *r, int64_t t, char *buf,
                      size_t n, bool short_form) {
  struct mw_civil c;
  mw_tz_to_civil(r->web->cfg->tz, t, &c);
  if (short_form)
    snprintf(buf, n, "%02d-%02d", c.month, c.day);
  else
    snprintf(buf, n, "%04d-%02d-%02d", c.year, c.month, c.day);
}

static int put_period(struct mw_buf *b, const struct mw_web_req *r,
                      const struct mw_report_period *p) {
  char first[16], last[16];
  local_day(r, p->from, first, sizeof first, false);
  local_day(r, p->to - 1, last, sizeof last, false);
  int rc = MW_OK;
  if (p->iso_week)
    rc = mw_buf_printf(b, "%04d-W%02d ", p->iso_year, p->iso_week);
  else if (p->month)
    rc = mw_buf_printf(b, "%04d年%d月 ", p->year, p->month);
  if (!rc) rc = mw_buf_printf(b, "%s 至 %s", first, last);
  return rc;
}

static int put_totals(struct mw_buf *b, const struct mw_web_req *r,
                      const struct overview *v) {
  int64_t d = v->total - v->prev_total;
  int rc = mw_buf_puts(b,
                       "<section class=\"cards\">\n"
                       "<div class=\"card\" id=\"total\"><div class=\"k\">"
                       "本期报道</div><div class=\"n\">");
  if (!rc)
    rc = mw_buf_printf(b,
                       "%lld</div><div class=\"sub\">上期 %lld，%s%lld"
                       "</div></div>\n",
                       (long long)v->total, (long long)v->prev_total,
                       d > 0   ? "增加 "
                       : d < 0 ? "减少 "
                               : "持平 ",
                       (long long)(d < 0 ? -d : d));
  int64_t open = 0;
  for (int l = 1; l <= 4; l++) open += v->m.alerts_open[l];
  if (!rc)
    rc = mw_buf_printf(b,
                       "<div class=\"card\" id=\"open-alerts\"><div "
                       "class=\"k\">未办结预警</div><div class=\"n\">"
                       "<a href=\"/alerts\">%lld</a></div><div "
                       "class=\"sub\">",
                       (long long)open);
  for (int l = 4; !rc && l >= 1; l--)
    rc = mw_buf_printf(b, "<span class=\"lv lv-%d\">%s %lld</span> ", l,
                       mw_alert_level_label_zh((enum mw_alert_level)l),
                       (long long)v->m.alerts_open[l]);
  if (!rc)
    rc =
        mw_buf_printf(b,
                      "</div></div>\n<div class=\"card\" id=\"sources-"
                      "card\"><div class=\"k\">信源</div><div class=\"n\">"
                      "<a href=\"/sources\">%lld</a></div><div class=\""
                      "sub\">失败 %lld · 失效 %lld · 异常 %lld</div></div>"
                      "\n</section>\n",
                      (long long)v->m.sources, (long long)v->m.sources_failing,
                      (long long)v->m.sources_broken,
                      (long long)v->m.sources_degraded);
  (void)r;
  return rc;
}

static int put_targets(struct mw_buf *b, const struct mw_web_req *r,
                       const struct overview *v) {
  if (!v->n_targets) return MW_OK;
  int64_t as_of = r->now < v->p.to ? r->now : v->p.to;
  int rc = mw_buf_puts(
      b,
      "<section id=\"targets\">\n<h2>报道目标</h2>\n"
      "<div class=\"scroll\">\n<table class=\"targets\">"
      "\n<thead><tr><th>目标</th><th>周期</th><th>进度</th><th>完成</th>"
      "<th>状态</th></tr></thead>\n<tbody>\n");
  for (size_t i = 0; !rc && i < v->n_targets; i++) {
    const struct mw_report_target *t = &v->targets[i];
    enum mw_target_status st = mw_report_target_status(t, as_of);
    char first[16], last[16];
    local_day(r, t->from, first, sizeof first, false);
    local_day(r, t->to - 1, last, sizeof last, false);
    int64_t max = t->min > 0 ? t->min : 1;
    rc = mw_buf_printf(b, "<tr class=\"target st-%s\"><td class=\"name\">",
                       mw_target_status_name(st));
    if (!rc) rc = mw_web_html(b, t->name);
    if (!rc)
      rc = mw_buf_printf(
          b,
          "</td><td>%s 至 %s</td><td><progress value=\"%lld\" max=\"%lld\">"
          "%lld/%lld</progress></td><td class=\"num\">%lld/%lld%s</td>"
          "<td><span class=\"status st-%s\">%s</span></td></tr>\n",
          first, last, (long long)(t->count < max ? t->count : max),
          (long long)max, (long long)t->count, (long long)t->min,
          (long long)t->count, (long long)t->min, t->stories ? " 条" : " 篇",
          mw_target_status_name(st), mw_target_status_zh(st));
  }
  if (!rc) rc = mw_buf_puts(b, "</tbody>\n</table>\n</div>\n</section>\n");
  return rc;
}

static int put_chart(struct mw_buf *b, const struct mw_web_req *r,
                     const struct overview *v) {
  int64_t max = 1;
  for (size_t i = 0; i < v->n_days; i++)
    if (v->daily[i] > max) max = v->daily[i];
  size_t w = v->n_days * CH_SLOT;
  int rc = mw_buf_printf(
      b,
      "<section id=\"daily\">\n<h2>每日报道</h2>\n"
      "<svg id=\"chart-daily\" class=\"chart\" viewBox=\"0 0 %zu %d\" "
      "role=\"img\" aria-label=\"每日报道篇数\">\n",
      w ? w : CH_SLOT, CH_TOP + CH_H + CH_BOTTOM);
  /* Label every day of a week, every fifth of a longer period. */
  size_t every = v->n_days <= 14 ? 1 : 5;
  for (size_t i = 0; !rc && i < v->n_days; i++) {
    int64_t h = v->daily[i] * CH_H / max;
    if (v->daily[i] > 0 && h < 2) h = 2;
    size_t x = i * CH_SLOT + (CH_SLOT - CH_BAR) / 2;
    char day[16];
    local_day(r, v->bounds[i], day, sizeof day, true);
    rc = mw_buf_printf(b,
                       "<rect class=\"bar\" x=\"%zu\" y=\"%lld\" width=\"%d\" "
                       "height=\"%lld\"><title>%s：%lld 篇</title></rect>\n",
                       x, (long long)(CH_TOP + CH_H - h), CH_BAR, (long long)h,
                       day, (long long)v->daily[i]);
    if (!rc && v->daily[i] > 0)
      rc = mw_buf_printf(b,
                         "<text class=\"val\" x=\"%zu\" y=\"%lld\">%lld"
                         "</text>\n",
                         i * CH_SLOT + CH_SLOT / 2,
                         (long long)(CH_TOP + CH_H - h - 4),
                         (long long)v->daily[i]);
    if (!rc && i % every == 0)
      rc = mw_buf_printf(b,
                         "<text class=\"day\" x=\"%zu\" y=\"%d\">%s"
                         "</text>\n",
                         i * CH_SLOT + CH_SLOT / 2,
                         CH_TOP + CH_H + CH_BOTTOM - 6, day);
  }
  if (!rc) rc = mw_buf_puts(b, "</svg>\n</section>\n");
  return rc;
}

static int put_tiers(struct mw_buf *b, const struct overview *v) {
  int rc = mw_buf_puts(b,
                       "<section id=\"tiers\">\n<h2>分级报道</h2>\n"
                       "<table class=\"tiers\">\n<thead><tr><th>层级</th>"
                       "<th>篇数</th><th>占比</th></tr></thead>\n"
                       "<tbody>\n");
  int64_t max = v->total > 0 ? v->total : 1;
  for (int t = 0; !rc && t < MW_TIER_COUNT; t++)
    rc = mw_buf_printf(
        b,
        "<tr data-tier=\"%s\"><td>%s</td><td class=\"num\">"
        "%lld</td><td><progress value=\"%lld\" max=\"%lld\">"
        "</progress></td></tr>\n",
        mw_tier_name((enum mw_tier)t), mw_tier_label_zh((enum mw_tier)t),
        (long long)v->by_tier[t], (long long)v->by_tier[t], (long long)max);
  if (!rc) rc = mw_buf_puts(b, "</tbody>\n</table>\n</section>\n");
  return rc;
}

/* The period's coverage, days and targets as the report gathers them
 * (report/gather.c), and the store's totals for the cards. */
static int gather(struct mw_web_req *r, struct overview *v,
                  struct mw_err *err) {
  const struct mw_config *cfg = r->web->cfg;
  int rc = mw_report_prev_period(cfg->tz, &v->p, &v->prev, err);
  if (!rc)
    rc = mw_report_gather(cfg, r->store, &v->p,
                          MW_GATHER_DAILY | MW_GATHER_TARGETS, &v->data, err);
  if (!rc) rc = mw_store_metrics(r->store, &v->m, err);
  if (rc) return rc;
  const struct mw_report_input *in = mw_report_data_input(v->data);
  v->total = total_of(in->cov, v->by_tier);
  v->prev_total = total_of(in->prev, NULL);
  if (in->has_targets) {
    v->targets = in->targets;
    v->n_targets = in->n_targets;
  }
  const struct mw_coverage_daily *d = in->daily;
  if (!in->has_daily || !d) return MW_OK;
  v->bounds = d->bounds;
  v->n_days = d->n_days;
  v->daily = calloc(d->n_days ? d->n_days : 1, sizeof *v->daily);
  if (!v->daily) return mw_err_set(err, MW_ENOMEM, "overview: out of memory");
  for (size_t i = 0; i < d->n_cells; i++)
    if (!d->cells[i].topic && d->cells[i].day < d->n_days)
      v->daily[d->cells[i].day] += d->cells[i].count;
  return MW_OK;
}

int mw_web_page_overview(struct mw_web_req *r, struct mw_web_resp *o) {
  /* "/" is the catch-all prefix of the route table. */
  if (strcmp(r->path, "/") != 0)
    return mw_web_page_error(r, o, 404, "未找到", "没有这个页面。");
  struct overview v;
  memset(&v, 0, sizeof v);
  struct mw_err err = {0};
  if (mw_web_period(r, &v.p, &err) != MW_OK)
    return mw_web_page_error(r, o, 400, "概览", err.msg);
  int rc = gather(r, &v, &err);
  if (rc) {
    overview_cleanup(&v);
    return rc == MW_EINVAL ? mw_web_page_error(r, o, 400, "概览", err.msg) : rc;
  }
  struct mw_buf *b = &o->body;
  bool asked = mw_web_arg(r, "week") || mw_web_arg(r, "month") ||
               mw_web_arg(r, "from") || mw_web_arg(r, "to");
  rc = mw_web_page_begin(b, r, asked ? "报道概览" : "本周概览", "overview");
  if (!rc) rc = mw_buf_puts(b, "<p class=\"period\" id=\"period\">统计周期：");
  if (!rc) rc = put_period(b, r, &v.p);
  if (!rc) rc = mw_buf_puts(b, "（上期 ");
  if (!rc) rc = put_period(b, r, &v.prev);
  if (!rc) rc = mw_buf_puts(b, "）</p>\n");
  if (!rc) rc = put_totals(b, r, &v);
  if (!rc) rc = put_targets(b, r, &v);
  if (!rc) rc = put_chart(b, r, &v);
  if (!rc) rc = put_tiers(b, &v);
  if (!rc) rc = mw_web_page_end(b, r);
  overview_cleanup(&v);
  if (rc) return rc;
  return mw_web_page_reply(o, 200);
}
