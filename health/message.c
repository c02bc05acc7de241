/*
 * message.c: the admins' messages in Chinese, plain text short enough for
 * a WeCom or DingTalk robot and readable as a mail: one sent at once for
 * a source that carries a coverage target, and the daily digest.
 *
 * Times are in the config's zone. What it leaves to others: who gets them
 * and when (check.c), delivery (alerts/ through the outbox).
 */
#include <stdio.h>
#include <string.h>

#include "health/health_int.h"

/* Sources listed one by one in a digest; the rest are counted. */
#define DIGEST_SOURCES_MAX 30

static const char *field_zh(const char *f) {
  if (strcmp(f, "title") == 0) return "标题";
  if (strcmp(f, "date") == 0) return "发布时间";
  if (strcmp(f, "origin") == 0) return "来源";
  if (strcmp(f, "body") == 0) return "正文";
  if (strcmp(f, "page") == 0) return "文章页";
  return f;
}

/* "栏目页" / "订阅源" / "站点地图" and what each yields. */
static const char *what_zh(enum mw_source_kind k) {
  switch (k) {
  case MW_SOURCE_FEED: return "订阅源";
  case MW_SOURCE_SITEMAP: return "站点地图";
  default: return "栏目页";
  }
}

static const char *noun_zh(enum mw_source_kind k) {
  switch (k) {
  case MW_SOURCE_FEED: return "条目";
  case MW_SOURCE_SITEMAP: return "链接";
  default: return "文章链接";
  }
}

static const char *cause_zh(enum mw_source_kind k) {
  return k == MW_SOURCE_HTML ? "，模板可能已改版" : "，地址或格式可能已变";
}

/* "7 小时 12 分", "3 天 4 小时", "45 分钟". */
static void span_short_zh(int64_t s, char *buf, size_t n) {
  if (s < 0) s = 0;
  int64_t d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;
  if (d > 0)
    snprintf(buf, n, "%lld 天 %lld 小时", (long long)d, (long long)h);
  else if (h > 0)
    snprintf(buf, n, "%lld 小时 %lld 分", (long long)h, (long long)m);
  else
    snprintf(buf, n, "%lld 分钟", (long long)m);
}

static int pct(double share) { return (int)(share * 100 + 0.5); }

int health_problem_zh(const struct mw_health_problem *p, enum mw_source_kind k,
                      int64_t now, struct mw_buf *b) {
  char span[48], gap[48];
  switch (p->code) {
  case MW_PROBLEM_UNREACHABLE:
    span_short_zh(now - p->since, span, sizeof span);
    return mw_buf_printf(b, "已 %s无法访问（%lld 次抓取失败%s%s）", span,
                         (long long)p->count, p->text[0] ? "，最近错误：" : "",
                         p->text);
  case MW_PROBLEM_NO_LINKS:
    if (p->usual > 0)
      return mw_buf_printf(b, "%s无%s（通常 %lld 条）%s", what_zh(k),
                           noun_zh(k), (long long)p->usual, cause_zh(k));
    return mw_buf_printf(b, "%s无%s%s", what_zh(k), noun_zh(k), cause_zh(k));
  case MW_PROBLEM_FEWER_LINKS:
    return mw_buf_printf(b, "%s%s骤降至 %lld 条（通常 %lld 条）%s",
                         what_zh(k), noun_zh(k), (long long)p->count,
                         (long long)p->usual, cause_zh(k));
  case MW_PROBLEM_EXTRACTION:
    return mw_buf_printf(b, "%s提取率 %d%%（通常 %d%%），页面结构可能已变",
                         field_zh(p->field), pct(p->share),
                         pct(p->usual_share));
  case MW_PROBLEM_MOJIBAKE:
    return mw_buf_printf(b, "疑似乱码：%d%% 的字符异常（通常 %d%%）%s%s%s",
                         pct(p->share), pct(p->usual_share),
                         p->text[0] ? "，例：“" : "", p->text,
                         p->text[0] ? "”" : "");
  case MW_PROBLEM_SILENT:
    health_fmt_span_zh(now - p->since, span, sizeof span);
    health_fmt_span_zh(p->usual, gap, sizeof gap);
    return mw_buf_printf(b, "已 %s无新文章（通常每 %s一篇，一年内 %lld 篇）",
                         span, gap, (long long)p->count);
  case MW_PROBLEM_MOVED:
    return mw_buf_printf(b, "网址已永久跳转至 %s，请在配置中更新地址",
                         p->url);
  default:
    return mw_buf_puts(b, p->detail);
  }
}

/* "长春市生态环境局" or the URL when the outlet has no name. */
static const char *who(const struct mw_health_row *r) {
  if (r->src.outlet_name && r->src.outlet_name[0]) return r->src.outlet_name;
  return r->src.url ? r->src.url : "?";
}

int health_text_now(const struct mw_health_row *r,
                    const struct mw_health_problem *const *ps, size_t n,
                    const struct mw_tz *tz, int64_t now, struct mw_buf *b) {
  enum mw_health_status worst = MW_HEALTH_DEGRADED;
  int64_t since = 0;
  for (size_t i = 0; i < n; i++) {
    if (ps[i]->severity > worst) worst = ps[i]->severity;
    if (ps[i]->since && (!since || ps[i]->since < since))
      since = ps[i]->since;
  }
  if (!since) since = now;
  int rc = mw_buf_printf(b, "【信源%s】%s%s\n",
                         mw_health_status_label_zh(worst), who(r),
                         r->carries_target ? "（承担考核目标）" : "");
  for (size_t i = 0; !rc && i < n; i++) {
    rc = health_problem_zh(ps[i], r->src.kind, now, b);
    if (!rc) rc = mw_buf_putc(b, '\n');
  }
  char when[24];
  health_fmt_local(tz, since, when, sizeof when);
  if (!rc) rc = mw_buf_printf(b, "%s\n自 %s 起", r->src.url ? r->src.url : "",
                              when);
  return rc;
}

int health_text_digest(const struct mw_health_row *rows, size_t n_rows,
                       const struct mw_tz *tz, int64_t now, struct mw_buf *b) {
  size_t bad = 0, broken = 0;
  for (size_t i = 0; i < n_rows; i++) {
    if (rows[i].health.status == MW_HEALTH_OK) continue;
    bad++;
    if (rows[i].health.status == MW_HEALTH_BROKEN) broken++;
  }
  char day[24];
  health_fmt_local(tz, now, day, sizeof day);
  day[10] = '\0'; /* the date of "YYYY-MM-DD HH:MM" */
  int rc = mw_buf_printf(b, "【信源日报】%s：%zu 个信源异常（失效 %zu，异常 %zu）",
                         day, bad, broken, bad - broken);
  size_t k = 0;
  for (size_t i = 0; !rc && i < n_rows; i++) {
    const struct mw_health_row *r = &rows[i];
    if (r->health.status == MW_HEALTH_OK) continue;
    if (++k > DIGEST_SOURCES_MAX) break;
    rc = mw_buf_printf(b, "\n%zu. %s（%s%s）", k, who(r),
                       mw_health_status_label_zh(r->health.status),
                       r->carries_target ? "，承担考核目标" : "");
    for (size_t j = 0; !rc && j < r->health.n_problems; j++) {
      rc = mw_buf_puts(b, "\n   ");
      if (!rc) rc = health_problem_zh(&r->health.problems[j], r->src.kind,
                                      now, b);
    }
    if (!rc) rc = mw_buf_printf(b, "\n   %s", r->src.url ? r->src.url : "");
  }
  if (!rc && bad > DIGEST_SOURCES_MAX)
    rc = mw_buf_printf(b, "\n……另有 %zu 个信源异常，见 mediawatch sources health",
                       bad - DIGEST_SOURCES_MAX);
  return rc;
}

int mw_health_problem_zh(const struct mw_health_problem *p,
                         enum mw_source_kind k, int64_t now,
                         struct mw_buf *b) {
  return health_problem_zh(p, k, now, b);
}
