/*
 * test_api_fixture.c: the seeded store and live server of the JSON API
 * tests (see the header for what is in it).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/web/test_api_fixture.h"

const char TA_XSS_TITLE[] = "<script>alert(1)</script>无废细胞进社区";

/* Sentences of the seed documents (000 and 002). */
static const char TEXT0[] =
    "为深入贯彻落实生态环境部等18个部门联合印发的《“十四五”时期“无废城市”"
    "建设实施方案》，进一步营造全域“无废城市”建设良好社会氛围。";
static const char TEXT1[] =
    "朝阳区凭借得天独厚的优势，立足生产生活常见情景，突出垃圾分类、绿色办公、"
    "废物循环利用等“无废”元素。";
static const char TEXT2[] =
    "为深入推进长春市“无废细胞”建设，形成多场景的固体废物管理模式，在资源节约、"
    "垃圾分类、宣传引导等方面形成示范效应。";
static const char TEXT3[] =
    "加强垃圾分类、珍惜粮食、绿色出行等与学校、家庭生活关联紧密的“无废理念”"
    "宣传教育。";

static int64_t add_article(struct ta *f, int64_t src, const char *url,
                           const char *title, const char *text,
                           int64_t published, int64_t fetched,
                           const char *topic) {
  struct mw_err err = {0};
  struct mw_article a = {.source_id = src,
                         .url = url,
                         .title = title,
                         .text = text,
                         .published = published,
                         .fetched = fetched};
  int64_t id;
  bool inserted;
  if (mw_store_add_article(f->w->store, &a, &id, &inserted, &err) ||
      mw_store_add_match(f->w->store, id, topic, topic, &err))
    fail_msg("article %s: %s", url, err.msg);
  assert_true(inserted);
  return id;
}

static int64_t add_alert(struct ta *f, const char *key, int64_t article,
                         int level, const char *state, const char *title,
                         const char *url, const char *topic, const char *region,
                         int64_t created, const char *acked_by) {
  struct mw_err err = {0};
  struct mw_alert_rec r = {.key = (char *)key,
                           .kind = "article",
                           .article_id = article,
                           .topic = (char *)topic,
                           .region = (char *)region,
                           .level = level,
                           .state = (char *)state,
                           .title = (char *)title,
                           .url = (char *)url,
                           .reason = "敏感词：焚烧",
                           .created = created,
                           .updated = created,
                           .deadline = created + 5 * TA_H,
                           .acked_at = acked_by ? created : 0,
                           .acked_by = (char *)acked_by};
  int64_t id;
  if (mw_store_alert_insert(f->w->store, &r, &id, &err) ||
      mw_store_alert_add_article(f->w->store, id, article, NULL, &err))
    fail_msg("alert %s: %s", key, err.msg);
  return id;
}

static void seed(struct ta *f) {
  struct mw_store *s = f->w->store;
  struct mw_err err = {0};
  tu_source_ids(s, f->src, 4);
  /* Stored in the order they were crawled: A3 a week ago. */
  f->art[3] = add_article(f, f->src[0], "https://www.people.com.cn/n1/a3.html",
                          "垃圾分类进校园", TEXT3, TA_MON - 5 * TA_D + 9 * TA_H,
                          TA_MON - 5 * TA_D + 9 * TA_H + 600, "垃圾分类");
  f->art[0] = add_article(f, f->src[0], "https://www.people.com.cn/n1/a0.html",
                          "吉林推进无废城市建设", TEXT0, TA_MON + 9 * TA_H,
                          TA_NOW - TA_H, "无废城市");
  f->art[1] = add_article(f, f->src[2], "http://jlrb.jlntv.cn/szb/a1.html",
                          "长春市垃圾分类宣传周启动", TEXT1,
                          TA_MON + TA_D + 15 * TA_H, TA_NOW - TA_H, "垃圾分类");
  f->art[2] = add_article(f, f->src[3], "http://www.cccnews.cn/a2.html",
                          TA_XSS_TITLE, TEXT2, TA_MON + TA_D + 8 * TA_H,
                          TA_NOW - 2 * TA_H, "无废城市");
  struct mw_fetch_record ok = {.source_id = f->src[0],
                               .when = TA_NOW - 600,
                               .ok = true,
                               .http_status = 200,
                               .next_due = TA_NOW + 300,
                               .new_articles = 2};
  struct mw_fetch_record bad = {.source_id = f->src[2],
                                .when = TA_NOW - 300,
                                .ok = false,
                                .http_status = 503,
                                .error = "HTTP 503 Service Unavailable",
                                .next_due = TA_NOW + 1800,
                                .consecutive_failures = 2};
  if (mw_store_record_fetch(s, &ok, &err) ||
      mw_store_record_fetch(s, &bad, &err))
    fail_msg("fetch: %s", err.msg);
  f->alert[0] = add_alert(f, "article:a2", f->art[2], 3, "new", TA_XSS_TITLE,
                          "http://www.cccnews.cn/a2.html", "无废城市",
                          "吉林省长春市朝阳区", TA_NOW - 1800, NULL);
  f->alert[1] =
      add_alert(f, "article:a0", f->art[0], 2, "reported",
                "吉林推进无废城市建设", "https://www.people.com.cn/n1/a0.html",
                "无废城市", NULL, TA_NOW - TA_H, WT_DUTY);
  f->alert[2] =
      add_alert(f, "article:a1", f->art[1], 1, "closed",
                "长春市垃圾分类宣传周启动", "http://jlrb.jlntv.cn/szb/a1.html",
                "垃圾分类", "吉林省", TA_NOW - 2 * TA_D, WT_DUTY);
  size_t n = 0;
  if (mw_store_search_index(s, 100, &n, &err))
    fail_msg("search index: %s", err.msg);
  assert_int_equal(n, 4);
}

int ta_setup(void **state) {
  struct ta *f = calloc(1, sizeof *f);
  assert_non_null(f);
  f->w = wt_new();
  wt_set_now(f->w, TA_NOW);
  seed(f);
  f->target = (struct mw_target_conf){.name = "中央媒体每周至少2篇",
                                      .tier = MW_TIER_CENTRAL,
                                      .period = "week",
                                      .min_count = 2,
                                      .line = 40};
  f->w->cfg->targets = &f->target;
  f->w->cfg->n_targets = 1;
  wt_listen(f->w);
  wt_login_ok(f->w, WT_VIEWER, WT_VIEWER_PASS, &f->viewer);
  wt_login_ok(f->w, WT_DUTY, WT_DUTY_PASS, &f->duty);
  wt_login_ok(f->w, WT_ADMIN, WT_ADMIN_PASS, &f->admin);
  *state = f;
  return 0;
}

int ta_teardown(void **state) {
  struct ta *f = *state;
  if (!f) return 0;
  wt_free(f->w);
  free(f);
  return 0;
}

static json_t *checked(struct wt_reply *r, const char *what, long got,
                       long want) {
  if (got != want)
    fail_msg("%s: status %ld, wanted %ld: %s %s", what, got, want,
             r->body ? r->body : "", r->error);
  json_t *j = wt_json(r);
  wt_reply_cleanup(r);
  return j;
}

json_t *ta_get(struct ta *f, const char *path, const struct wt_session *s,
               long want) {
  struct wt_reply r;
  long st = wt_get(f->w, path, s, &r);
  return checked(&r, path, st, want);
}

json_t *ta_post(struct ta *f, const char *path, const struct wt_session *s,
                const char *json, long want) {
  struct wt_reply r;
  long st = wt_post(f->w, path, s, json, &r);
  return checked(&r, path, st, want);
}

void ta_expect_error(struct ta *f, const struct wt_req *q, long status,
                     const char *code, const char *msg_part) {
  struct wt_reply r;
  long st = wt_do(f->w, q, &r);
  if (st != status)
    fail_msg("%s %s: status %ld, wanted %ld: %s", q->method ? q->method : "",
             q->path, st, status, r.body ? r.body : r.error);
  json_t *j = wt_json(&r);
  assert_string_equal(ta_str(j, "error"), code);
  const char *msg = ta_str(j, "message");
  if (msg_part && !strstr(msg, msg_part))
    fail_msg("%s: message \"%s\" lacks \"%s\"", q->path, msg, msg_part);
  json_decref(j);
  wt_reply_cleanup(&r);
}

void ta_expect_invalid(struct ta *f, const struct ta_bad *bad, size_t n) {
  for (size_t i = 0; i < n; i++) {
    struct wt_req q = {.path = bad[i].path, .session = &f->viewer};
    ta_expect_error(f, &q, 400, "invalid", bad[i].part);
  }
}

const char *ta_str(json_t *j, const char *key) {
  json_t *v = json_object_get(j, key);
  if (!json_is_string(v)) fail_msg("member %s is not a string", key);
  return json_string_value(v);
}

int64_t ta_int(json_t *j, const char *key) {
  json_t *v = json_object_get(j, key);
  if (!json_is_integer(v)) fail_msg("member %s is not an integer", key);
  return (int64_t)json_integer_value(v);
}

json_t *ta_at(json_t *arr, size_t i) {
  json_t *v = json_array_get(arr, i);
  if (!v) fail_msg("no element %zu", i);
  return v;
}

json_t *ta_member(json_t *j, const char *key) {
  json_t *v = json_object_get(j, key);
  if (!v) fail_msg("no member %s", key);
  return v;
}

void ta_enc(const char *s, char *out, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  size_t k = 0;
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    bool plain = mw_ascii_isalpha(c) || mw_ascii_isdigit(c) || c == '-' ||
                 c == '_' || c == '.' || c == '~';
    if (k + (plain ? 1 : 3) >= n) fail_msg("ta_enc: buffer too small");
    if (plain) {
      out[k++] = (char)c;
    } else {
      out[k++] = '%';
      out[k++] = hex[c >> 4];
      out[k++] = hex[c & 15];
    }
  }
  out[k] = '\0';
}
