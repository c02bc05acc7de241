/*
 * api_search.c: GET /api/search, full-text search over the stored
 * articles with filters and paging.
 *
 * Each hit comes twice: as plain text (title, snippet) and as HTML
 * (title_html, snippet_html) escaped here with the search hits in <mark>,
 * so a page may insert the HTML without ever handling crawled markup.
 *
 * What it leaves to others: the index and the query (store/search.c),
 * escaping (mw_web_html_marked, util.c).
 */
#include <stdlib.h>
#include <string.h>

#include "web/api_args.h"

#define SEARCH_PER_PAGE 20
#define SEARCH_TEXT_MAX (64 * 1024) /* bytes of one escaped title/snippet */

/* s without the search marks, as a JSON string. */
static json_t *unmarked(const char *s) {
  if (!s) return json_null();
  size_t n = strlen(s);
  struct mw_buf b;
  mw_buf_init(&b, n);
  int rc = mw_buf_puts(&b, "");
  for (size_t i = 0; i < n && !rc;) {
    size_t k = strcspn(s + i, MW_SEARCH_MARK_OPEN MW_SEARCH_MARK_CLOSE);
    rc = mw_buf_append(&b, s + i, k);
    i += k + (i + k < n);
  }
  json_t *j = rc ? NULL : mw_web_api_str(b.data);
  mw_buf_cleanup(&b);
  return j;
}

/* s escaped with its marks as <mark>, as a JSON string. */
static json_t *marked_html(const char *s) {
  struct mw_buf b;
  mw_buf_init(&b, SEARCH_TEXT_MAX);
  json_t *j = NULL;
  if (!mw_buf_puts(&b, "") && !mw_web_html_marked(&b, s))
    j = mw_web_api_str(b.data);
  mw_buf_cleanup(&b);
  return j;
}

/* "a,b" as ["a","b"]. */
static json_t *topics_json(const char *s) {
  json_t *arr = json_array();
  while (arr && s && *s) {
    size_t k = strcspn(s, ",");
    char *one = mw_strndup(s, k);
    json_t *v = one ? mw_web_api_str(one) : NULL;
    free(one);
    if (json_array_append_new(arr, v)) {
      json_decref(arr);
      return NULL;
    }
    s += k + (s[k] == ',');
  }
  return arr;
}

static json_t *hit_json(const struct mw_web *w, const struct mw_search_hit *h) {
  json_t *e = json_object();
  if (!e) return NULL;
  const char *tier = (unsigned)h->tier < MW_TIER_COUNT
                         ? mw_tier_name((enum mw_tier)h->tier)
                         : NULL;
  const char *tier_zh = tier ? mw_tier_label_zh((enum mw_tier)h->tier) : NULL;
  const char *title_m = h->title_marked ? h->title_marked : h->title;
  if (mw_web_api_set_int(e, "id", h->id) ||
      mw_web_api_set_str(e, "title", h->title) ||
      json_object_set_new(e, "title_html", marked_html(title_m)) ||
      json_object_set_new(e, "snippet", unmarked(h->snippet)) ||
      json_object_set_new(e, "snippet_html", marked_html(h->snippet)) ||
      mw_web_api_set_str(e, "url", h->url) ||
      mw_web_api_set_str(e, "outlet", h->outlet) ||
      mw_web_api_set_str(e, "tier", tier) ||
      mw_web_api_set_str(e, "tier_zh", tier_zh) ||
      mw_web_api_set_str(e, "region", h->region) ||
      json_object_set_new(e, "topics", topics_json(h->topics)) ||
      mw_web_api_set_time(w, e, "published", h->published) ||
      mw_web_api_set_time(w, e, "counted_at", h->counted_at)) {
    json_decref(e);
    return NULL;
  }
  return e;
}

/* The query from the request's arguments; strings point into it. */
static int read_query(const struct mw_web_req *r, struct mw_web_resp *o,
                      struct mw_search_query *q, size_t *page,
                      size_t *per_page) {
  const char *tier;
  int rc = mw_web_api_text_arg(r, o, "q", &q->q);
  if (rc) return rc;
  size_t n = q->q ? strnlen(q->q, MW_WEB_API_ARG_MAX) : 0;
  if (n == strspn(q->q ? q->q : "", " \t"))
    return mw_web_reply_error(o, 400, "invalid",
                              "q: give at least one word to search for");
  if (!rc) rc = mw_web_api_text_arg(r, o, "topic", &q->topic);
  if (!rc) rc = mw_web_api_text_arg(r, o, "outlet", &q->outlet);
  if (!rc) rc = mw_web_api_text_arg(r, o, "region", &q->region);
  if (!rc) rc = mw_web_api_text_arg(r, o, "tier", &tier);
  if (!rc && tier) {
    enum mw_tier t;
    if (mw_tier_parse(tier, &t))
      return mw_web_reply_error(o, 400, "invalid",
                                "tier: give central, provincial, city, "
                                "county, portal or new-media");
    q->tier = (int)t + 1;
  }
  if (!rc) rc = mw_web_api_time_arg(r, o, "from", false, &q->from);
  if (!rc) rc = mw_web_api_time_arg(r, o, "to", true, &q->to);
  if (!rc && q->from && q->to && q->to <= q->from)
    return mw_web_reply_error(o, 400, "invalid",
                              "to: the range ends before it starts");
  if (!rc)
    rc = mw_web_api_paging(r, o, SEARCH_PER_PAGE, MW_SEARCH_LIMIT_MAX, page,
                           per_page);
  if (rc) return rc;
  q->offset = (*page - 1) * *per_page;
  q->limit = *per_page;
  return MW_OK;
}

int mw_web_api_search(struct mw_web_req *r, struct mw_web_resp *o) {
  struct mw_search_query q = {0};
  size_t page, per_page;
  int rc = read_query(r, o, &q, &page, &per_page);
  if (rc) return rc;
  struct mw_err err = {0};
  struct mw_search_result res = {0};
  rc = mw_store_search(r->store, &q, &res, &err);
  if (rc == MW_EINVAL)
    return mw_web_reply_error(o, 400, "invalid", "q: %s", err.msg);
  if (rc) return mw_web_api_fail(o, rc, &err);
  json_t *hits = json_array();
  json_t *j = json_object();
  bool oom = !hits || !j;
  for (size_t i = 0; !oom && i < res.n; i++)
    oom = json_array_append_new(hits, hit_json(r->web, &res.hits[i])) != 0;
  if (!oom)
    oom = mw_web_api_set_int(j, "total", res.total) ||
          json_object_set_new(j, "total_capped",
                              json_boolean(res.total_capped)) ||
          mw_web_api_set_int(j, "page", (int64_t)page) ||
          mw_web_api_set_int(j, "per_page", (int64_t)per_page) ||
          json_object_set(j, "hits", hits);
  json_decref(hits);
  mw_search_result_cleanup(&res);
  if (oom) {
    json_decref(j);
    return MW_ENOMEM;
  }
  return mw_web_reply_json(o, 200, j);
}
