/*
 * page_search.c: 全文检索 (GET /search): a GET form (words, topic, outlet,
 * tier, 属地, from and to as local days, both included) and, when words
 * are given, a page of PER_PAGE hits from the search index, newest first:
 * the title and a snippet with every hit in <mark> (mw_web_html_marked:
 * the text is escaped first, only the store's marks become tags), the
 * outlet, tier, 属地, topics and date. Paging links keep the query.
 *
 * What it leaves to others: the index and its query language
 * (store/search.c), the frame (page.c).
 */
#include <string.h>

#include "web/page_int.h"

#define PER_PAGE 20

struct form {
  const char *q, *topic, *outlet, *tier, *region, *from, *to;
};

/* Local day "YYYY-MM-DD" to the instant it starts (next: the day after). */
static int day_start(const struct mw_web_req *r, const char *s, bool next,
                     int64_t *out) {
  int64_t y, m, d;
  char ys[5], ms[3], ds[3];
  if (strnlen(s, 11) != 10 || s[4] != '-' || s[7] != '-') return MW_EINVAL;
  memcpy(ys, s, 4);
  ys[4] = 0;
  memcpy(ms, s + 5, 2);
  ms[2] = 0;
  memcpy(ds, s + 8, 2);
  ds[2] = 0;
  if (mw_parse_int64(ys, 1970, 9999, &y) || mw_parse_int64(ms, 1, 12, &m) ||
      mw_parse_int64(ds, 1, 31, &d) ||
      !mw_civil_valid((int)y, (int)m, (int)d, 0, 0, 0))
    return MW_EINVAL;
  int64_t days = mw_days_from_civil((int)y, (int)m, (int)d) + (next ? 1 : 0);
  int yy, mm, dd;
  mw_civil_from_days(days, &yy, &mm, &dd);
  *out = mw_tz_from_civil(r->web->cfg->tz, yy, mm, dd, 0, 0, 0);
  return MW_OK;
}

static int put_form(struct mw_buf *b, const struct mw_web_req *r,
                    const struct form *f) {
  const struct mw_config *cfg = r->web->cfg;
  int rc = mw_buf_puts(b,
                       "<form id=\"search-form\" class=\"filters search\" "
                       "method=\"get\" action=\"/search\" role=\"search\">\n"
                       "<label class=\"q\">关键词 <input id=\"search-q\" "
                       "type=\"search\" name=\"q\" maxlength=\"256\" "
                       "placeholder=\"多个词以空格分隔\" value=\"");
  if (!rc) rc = mw_web_html(b, f->q);
  if (!rc)
    rc = mw_buf_puts(b, "\"></label>\n<label>专题 <select name=\"topic\">");
  if (!rc) rc = mw_web_page_option(b, "", "全部", f->topic);
  for (size_t i = 0; !rc && i < cfg->n_topics; i++)
    rc = mw_web_page_option(b, cfg->topics[i].name, cfg->topics[i].name,
                            f->topic);
  if (!rc)
    rc = mw_buf_puts(b,
                     "</select></label>\n<label>媒体 <select "
                     "name=\"outlet\">");
  if (!rc) rc = mw_web_page_option(b, "", "全部", f->outlet);
  for (size_t i = 0; !rc && i < cfg->n_outlets; i++)
    rc = mw_web_page_option(b, cfg->outlets[i].name, cfg->outlets[i].name,
                            f->outlet);
  if (!rc)
    rc = mw_buf_puts(b,
                     "</select></label>\n<label>层级 <select "
                     "name=\"tier\">");
  if (!rc) rc = mw_web_page_option(b, "", "全部", f->tier);
  for (int t = 0; !rc && t < MW_TIER_COUNT; t++)
    rc = mw_web_page_option(b, mw_tier_name((enum mw_tier)t),
                            mw_tier_label_zh((enum mw_tier)t), f->tier);
  if (!rc) rc = mw_buf_puts(b, "</select></label>\n");
  if (!rc) rc = mw_web_page_text_input(b, "属地", "region", "text", f->region);
  if (!rc) rc = mw_web_page_text_input(b, "起", "from", "date", f->from);
  if (!rc) rc = mw_web_page_text_input(b, "止", "to", "date", f->to);
  if (!rc)
    rc = mw_buf_puts(b, "<button type=\"submit\">检索</button>\n</form>\n");
  return rc;
}

static int put_hit(struct mw_buf *b, const struct mw_web_req *r,
                   const struct mw_search_hit *h) {
  char when[32];
  mw_web_time_local(r->web, h->published ? h->published : h->counted_at, when,
                    sizeof when);
  int rc = mw_buf_printf(b,
                         "<li class=\"hit\" data-article-id=\"%lld\">\n"
                         "<h3 class=\"title\">",
                         (long long)h->id);
  bool web = h->url && (mw_ascii_ncasecmp(h->url, "http://", 7) == 0 ||
                        mw_ascii_ncasecmp(h->url, "https://", 8) == 0);
  if (!rc && web) {
    rc = mw_buf_puts(b, "<a class=\"out\" rel=\"noreferrer noopener\" href=\"");
    if (!rc) rc = mw_web_html(b, h->url);
    if (!rc) rc = mw_buf_puts(b, "\">");
  }
  if (!rc)
    rc = mw_web_html_marked(b, h->title_marked ? h->title_marked : h->title);
  if (!rc && web) rc = mw_buf_puts(b, "</a>");
  if (!rc)
    rc = mw_buf_puts(b, "</h3>\n<p class=\"meta\"><span class=\"outlet\">");
  if (!rc) rc = mw_web_html(b, h->outlet);
  if (!rc)
    rc = mw_buf_printf(b, "</span> · %s · %s",
                       (unsigned)h->tier < MW_TIER_COUNT
                           ? mw_tier_label_zh((enum mw_tier)h->tier)
                           : "",
                       when);
  if (!rc && h->region && *h->region) {
    rc = mw_buf_puts(b, " · ");
    if (!rc) rc = mw_web_html(b, h->region);
  }
  if (!rc && h->topics && *h->topics) {
    rc = mw_buf_puts(b, " · <span class=\"topics\">");
    if (!rc) rc = mw_web_html(b, h->topics);
    if (!rc) rc = mw_buf_puts(b, "</span>");
  }
  if (!rc) rc = mw_buf_puts(b, "</p>\n<p class=\"snippet\">");
  if (!rc) rc = mw_web_html_marked(b, h->snippet);
  if (!rc) rc = mw_buf_puts(b, "</p>\n</li>\n");
  return rc;
}

/* The link to page n with the same query. */
static int page_link(struct mw_buf *b, const struct form *f, int64_t n,
                     const char *label, const char *rel) {
  const struct mw_web_page_param p[] = {
      {"q", f->q},       {"topic", f->topic},   {"outlet", f->outlet},
      {"tier", f->tier}, {"region", f->region}, {"from", f->from},
      {"to", f->to}};
  return mw_web_page_link(b, "/search", p, sizeof p / sizeof p[0], 8192, n,
                          label, rel);
}

/* Builds the query from the form; a message for what is wrong. */
static int read_query(const struct mw_web_req *r, const struct form *f,
                      struct mw_search_query *q, const char **bad) {
  memset(q, 0, sizeof *q);
  q->q = f->q;
  q->topic = f->topic;
  q->outlet = f->outlet;
  q->region = f->region;
  enum mw_tier t;
  if (f->tier) {
    if (mw_tier_parse(f->tier, &t) != MW_OK) {
      *bad = "层级无效。";
      return MW_EINVAL;
    }
    q->tier = (int)t + 1;
  }
  if (f->from && day_start(r, f->from, false, &q->from) != MW_OK) {
    *bad = "起始日期应为 YYYY-MM-DD。";
    return MW_EINVAL;
  }
  if (f->to && day_start(r, f->to, true, &q->to) != MW_OK) {
    *bad = "截止日期应为 YYYY-MM-DD。";
    return MW_EINVAL;
  }
  if (!q->to && q->from) q->to = INT64_MAX;
  return MW_OK;
}

static int put_results(struct mw_buf *b, const struct form *f, int64_t page,
                       const struct mw_search_result *res,
                       const struct mw_web_req *r) {
  int rc = mw_buf_printf(b,
                         "<p id=\"result-count\" class=\"note\">共 %lld%s "
                         "条结果，第 %lld 页</p>\n<ol id=\"results\" "
                         "class=\"results\">\n",
                         (long long)res->total, res->total_capped ? "+" : "",
                         (long long)page);
  for (size_t i = 0; !rc && i < res->n; i++) rc = put_hit(b, r, &res->hits[i]);
  if (!rc) rc = mw_buf_puts(b, "</ol>\n");
  bool more = res->total_capped ||
              (int64_t)((size_t)(page - 1) * PER_PAGE + res->n) < res->total;
  if (!rc && res->n == 0)
    rc = mw_buf_puts(b, "<p class=\"empty\">没有找到相关报道。</p>\n");
  if (!rc && (page > 1 || (more && res->n == PER_PAGE))) {
    rc = mw_buf_puts(b, "<nav class=\"pager\">\n");
    if (!rc && page > 1) rc = page_link(b, f, page - 1, "上一页", "prev");
    if (!rc && more && res->n == PER_PAGE)
      rc = page_link(b, f, page + 1, "下一页", "next");
    if (!rc) rc = mw_buf_puts(b, "</nav>\n");
  }
  return rc;
}

int mw_web_page_search(struct mw_web_req *r, struct mw_web_resp *o) {
  struct form f = {mw_web_page_arg(r, "q"),      mw_web_page_arg(r, "topic"),
                   mw_web_page_arg(r, "outlet"), mw_web_page_arg(r, "tier"),
                   mw_web_page_arg(r, "region"), mw_web_page_arg(r, "from"),
                   mw_web_page_arg(r, "to")};
  int64_t page = mw_web_page_number(r);
  struct mw_buf *b = &o->body;
  unsigned status = 200;
  int rc = mw_web_page_begin(b, r, "全文检索", "search");
  if (!rc) rc = put_form(b, r, &f);
  if (!rc && f.q) {
    struct mw_search_query q;
    struct mw_search_result res;
    memset(&res, 0, sizeof res);
    const char *bad = NULL;
    struct mw_err err = {0};
    int qrc = read_query(r, &f, &q, &bad);
    if (!qrc) {
      q.offset = (size_t)(page - 1) * PER_PAGE;
      q.limit = PER_PAGE;
      qrc = mw_store_search(r->store, &q, &res, &err);
      if (qrc == MW_EINVAL)
        bad = err.msg;
      else if (qrc)
        rc = qrc;
    }
    if (!rc && bad) {
      status = 400;
      rc = mw_buf_puts(b, "<p class=\"error\" id=\"search-error\">");
      if (!rc) rc = mw_web_html(b, bad);
      if (!rc) rc = mw_buf_puts(b, "</p>\n");
    } else if (!rc) {
      rc = put_results(b, &f, page, &res, r);
    }
    mw_search_result_cleanup(&res);
  }
  if (!rc) rc = mw_web_page_end(b, r);
  if (rc) return rc;
  return mw_web_page_reply(o, status);
}
