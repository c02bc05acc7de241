/* web/util.c and web/json.c: escaping, search marks, ids in paths, JSON
 * replies and bodies, local times, the default period, an alert's JSON.
 * No server: the helpers are called directly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <jansson.h>

#include "web/web_int.h"

#define NOW INT64_C(1795572000) /* Wed 2026-11-25 10:00 +08:00 */

struct fx {
  struct mw_config cfg;
  struct mw_web web;
};

static int setup(void **state) {
  struct fx *f = calloc(1, sizeof *f);
  struct mw_err err = {0};
  if (mw_tz_load("Asia/Shanghai", &f->cfg.tz, &err)) fail_msg("%s", err.msg);
  f->web.cfg = &f->cfg;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  struct fx *f = *state;
  mw_tz_free(f->cfg.tz);
  free(f);
  return 0;
}

static void expect_html(const char *in, const char *want) {
  struct mw_buf b;
  mw_buf_init(&b, 1024);
  assert_int_equal(mw_web_html(&b, in), MW_OK);
  assert_string_equal(b.data ? b.data : "", want);
  mw_buf_cleanup(&b);
}

static void expect_marked(const char *in, const char *want) {
  struct mw_buf b;
  mw_buf_init(&b, 1024);
  assert_int_equal(mw_web_html_marked(&b, in), MW_OK);
  assert_string_equal(b.data ? b.data : "", want);
  mw_buf_cleanup(&b);
}

static void test_html_escape(void **state) {
  (void)state;
  expect_html("a&b<c>\"d'e", "a&amp;b&lt;c&gt;&quot;d&#39;e");
  expect_html("<script>alert(1)</script>无废城市",
              "&lt;script&gt;alert(1)&lt;/script&gt;无废城市");
  expect_html("\x01x\ty\nz\x7f\r\x1b[0m", "x\ty\nz[0m");
  expect_html("", "");
  expect_html(NULL, "");
  /* Search marks are control bytes: plain escaping drops them. */
  expect_html("\x02污染\x03", "污染");
  /* Over the buffer's ceiling is an error, not a cut. */
  struct mw_buf b;
  mw_buf_init(&b, 8);
  assert_int_equal(mw_web_html(&b, "<<<"), MW_ETOOBIG);
  mw_buf_cleanup(&b);
}

static void test_html_marked(void **state) {
  (void)state;
  expect_marked("\x02污染\x03防治", "<mark>污染</mark>防治");
  expect_marked("大气\x02污染\x03与\x02水\x03",
                "大气<mark>污染</mark>与<mark>水</mark>");
  expect_marked("\x02" "a<b", "<mark>a&lt;b</mark>"); /* closed at the end */
  expect_marked("a\x03" "b", "ab");                 /* a stray close */
  expect_marked("\x02\x02" "a\x03\x03", "<mark>a</mark>");
  expect_marked("<mark>\x01", "&lt;mark&gt;");
  expect_marked(NULL, "");
}

static void test_path_id(void **state) {
  (void)state;
  int64_t id = 0;
  const char *rest = NULL;
  assert_true(mw_web_path_id("/api/alerts/12/ack", "/api/alerts/", &id,
                             &rest));
  assert_int_equal(id, 12);
  assert_string_equal(rest, "ack");
  assert_true(mw_web_path_id("/api/alerts/7", "/api/alerts/", &id, &rest));
  assert_int_equal(id, 7);
  assert_string_equal(rest, "");
  assert_true(mw_web_path_id("/api/alerts/7/", "/api/alerts/", &id, &rest));
  assert_string_equal(rest, "");
  assert_true(mw_web_path_id("/api/alerts/99", "/api/alerts/", &id, NULL));
  assert_int_equal(id, 99);
  const char *bad[] = {"/api/alerts/", "/api/alerts/0", "/api/alerts/-1",
                       "/api/alerts/x", "/api/alerts/12x",
                       "/api/alerts/1234567890123456789", "/api/other/1",
                       "/api/alerts"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (mw_web_path_id(bad[i], "/api/alerts/", &id, &rest))
      fail_msg("took %s", bad[i]);
}

static void test_reply_json_and_error(void **state) {
  (void)state;
  struct mw_web_resp o = {0};
  mw_buf_init(&o.body, MW_WEB_REPLY_MAX);
  assert_int_equal(mw_web_reply_json(&o, 201, json_pack("{s:i}", "n", 3)),
                   MW_OK);
  assert_int_equal(o.status, 201);
  assert_string_equal(o.body.data, "{\"n\":3}");
  assert_string_equal(o.type, "application/json; charset=utf-8");
  assert_int_equal(mw_web_reply_error(&o, 409, "conflict",
                                      "cannot %s a %s alert", "ack",
                                      "closed"),
                   MW_EINVAL);
  assert_int_equal(o.status, 409);
  assert_string_equal(o.body.data, "{\"error\":\"conflict\",\"message\":"
                                   "\"cannot ack a closed alert\"}");
  assert_int_equal(mw_web_reply_error(&o, 500, "internal", "x"), MW_EIO);
  assert_int_equal(o.status, 500);
  /* A message cut inside a UTF-8 character still makes a reply. */
  char longmsg[700];
  memset(longmsg, 0, sizeof longmsg);
  for (size_t i = 0; i + 3 < sizeof longmsg; i += 3)
    memcpy(longmsg + i, "污", 3);
  mw_web_reply_error(&o, 400, "invalid", "%s", longmsg);
  assert_int_equal(o.status, 400);
  json_t *j = json_loads(o.body.data, 0, NULL);
  assert_string_equal(json_string_value(json_object_get(j, "error")),
                      "invalid");
  json_decref(j);
  mw_buf_cleanup(&o.body);
}

static void test_resp_header_ceiling(void **state) {
  (void)state;
  struct mw_web_resp o = {0};
  for (int i = 0; i < MW_WEB_HEADERS_MAX; i++)
    assert_int_equal(mw_web_resp_header(&o, "X-N", "v"), MW_OK);
  assert_int_equal(mw_web_resp_header(&o, "X-N", "v"), MW_ETOOBIG);
  assert_int_equal(o.n_headers, MW_WEB_HEADERS_MAX);
  assert_string_equal(o.hvalue[0], "v");
  for (size_t i = 0; i < o.n_headers; i++) free(o.hvalue[i]);
}

static void test_body_json(void **state) {
  (void)state;
  struct mw_web_resp o = {0};
  mw_buf_init(&o.body, MW_WEB_REPLY_MAX);
  struct mw_web_req r = {.body = "{\"a\":1}", .body_len = 7};
  json_t *j = mw_web_body_json(&r, &o);
  assert_non_null(j);
  assert_int_equal(json_integer_value(json_object_get(j, "a")), 1);
  json_decref(j);
  assert_int_equal(o.status, 0);

  r = (struct mw_web_req){.body = "{\"a\":1,\n\"a\":2}", .body_len = 14};
  assert_null(mw_web_body_json(&r, &o));
  assert_int_equal(o.status, 400);
  assert_non_null(strstr(o.body.data, "\"bad_json\""));
  assert_non_null(strstr(o.body.data, "line 2"));

  r = (struct mw_web_req){.body = "[1]", .body_len = 3};
  assert_null(mw_web_body_json(&r, &o));
  assert_non_null(strstr(o.body.data, "JSON object"));
  r = (struct mw_web_req){.body = "\"text\"", .body_len = 6};
  assert_null(mw_web_body_json(&r, &o));
  assert_non_null(strstr(o.body.data, "\"bad_json\""));

  r = (struct mw_web_req){.body = "", .body_len = 0};
  assert_null(mw_web_body_json(&r, &o));
  assert_int_equal(o.status, 400);
  /* Bytes after the length are not read. */
  r = (struct mw_web_req){.body = "{}garbage", .body_len = 2};
  j = mw_web_body_json(&r, &o);
  assert_non_null(j);
  json_decref(j);
  mw_buf_cleanup(&o.body);
}

static void test_time_local(void **state) {
  struct fx *f = *state;
  char buf[32];
  mw_web_time_local(&f->web, NOW, buf, sizeof buf);
  assert_string_equal(buf, "2026-11-25 10:00");
  mw_web_time_local(&f->web, NOW + 14 * 3600 + 59, buf, sizeof buf);
  assert_string_equal(buf, "2026-11-26 00:00");
  mw_web_time_local(&f->web, 0, buf, sizeof buf);
  assert_string_equal(buf, "");
  mw_web_time_local(&f->web, MW_TIME_UNKNOWN, buf, sizeof buf);
  assert_string_equal(buf, "");
  mw_web_time_local(&f->web, NOW, buf, 8);
  assert_string_equal(buf, "2026-11");
}

static void test_period_default_is_this_week(void **state) {
  struct fx *f = *state;
  struct mw_web_req r = {.web = &f->web, .now = NOW};
  struct mw_report_period p;
  struct mw_err err = {0};
  assert_int_equal(mw_web_period(&r, &p, &err), MW_OK);
  assert_int_equal(p.iso_year, 2026);
  assert_int_equal(p.iso_week, 48);
  assert_int_equal(p.from, INT64_C(1795363200)); /* Mon 11-23 00:00 +08 */
  assert_int_equal(p.to, INT64_C(1795363200) + 7 * 86400);
}

/* A bare daemon whose only answer is what mw_web_period makes of the
 * query string: "from to iso_year iso_week year month" or the error. */
static enum MHD_Result period_answer(void *cls, struct MHD_Connection *conn,
                                     const char *url, const char *method,
                                     const char *version, const char *upload,
                                     size_t *upload_size, void **con_cls) {
  struct fx *f = cls;
  (void)url, (void)method, (void)version, (void)upload, (void)upload_size;
  (void)con_cls;
  struct mw_web_req r = {.web = &f->web, .conn = conn, .now = NOW};
  struct mw_report_period p;
  struct mw_err err = {0};
  char text[600];
  if (mw_web_period(&r, &p, &err) == MW_OK)
    snprintf(text, sizeof text, "%lld %lld %d %d %d %d", (long long)p.from,
             (long long)p.to, p.iso_year, p.iso_week, p.year, p.month);
  else
    snprintf(text, sizeof text, "error: %s", err.msg);
  struct MHD_Response *resp = MHD_create_response_from_buffer(
      strlen(text), text, MHD_RESPMEM_MUST_COPY);
  enum MHD_Result rc = MHD_queue_response(conn, 200, resp);
  MHD_destroy_response(resp);
  return rc;
}

static size_t collect(char *p, size_t size, size_t n, void *ud) {
  mw_buf_append(ud, p, size * n);
  return size * n;
}

/* What the daemon on port says for query q, into b. */
static void ask_period(uint16_t port, const char *q, struct mw_buf *b) {
  mw_buf_reset(b);
  char url[256];
  snprintf(url, sizeof url, "http://127.0.0.1:%u/p%s", (unsigned)port, q);
  CURL *c = curl_easy_init();
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
  assert_int_equal(curl_easy_perform(c), CURLE_OK);
  curl_easy_cleanup(c);
  assert_non_null(b->data);
}

static void test_period_arguments(void **state) {
  struct fx *f = *state;
  struct sockaddr_in sa = {.sin_family = AF_INET,
                           .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  struct MHD_Daemon *d = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, period_answer, f,
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_END);
  assert_non_null(d);
  uint16_t port = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)->port;
  struct mw_buf b;
  mw_buf_init(&b, 4096);
  const int64_t mon47 = INT64_C(1795363200) - 7 * 86400;
  char want[128];
  ask_period(port, "?week=2026-W47", &b);
  snprintf(want, sizeof want, "%lld %lld 2026 47 0 0", (long long)mon47,
           (long long)(mon47 + 7 * 86400));
  assert_string_equal(b.data, want);
  ask_period(port, "", &b); /* the week holding now */
  snprintf(want, sizeof want, "%lld %lld 2026 48 0 0",
           (long long)(mon47 + 7 * 86400), (long long)(mon47 + 14 * 86400));
  assert_string_equal(b.data, want);
  /* 2026-11-01 00:00 +08:00 to 2026-12-01 00:00 +08:00. */
  ask_period(port, "?month=2026-11", &b);
  assert_string_equal(b.data, "1793462400 1796054400 0 0 2026 11");
  ask_period(port, "?from=2026-11-01&to=2026-11-03", &b);
  assert_string_equal(b.data, "1793462400 1793721600 0 0 0 0");

  static const struct {
    const char *q, *part;
  } bad[] = {
      {"?week=2026-W54", "week="},
      {"?week=W47", "week="},
      {"?month=2026-13", "month 2026-13"},
      {"?month=26-11", "month="},
      {"?from=2026-11-01", "go together"},
      {"?to=2026-11-01", "go together"},
      {"?from=2026-11-03&to=2026-11-01", "from=/to="},
      {"?from=2026-02-30&to=2026-03-01", "2026-02-30"},
      {"?week=2026-W47&month=2026-11", "one of"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ask_period(port, bad[i].q, &b);
    if (strncmp(b.data, "error: ", 7) || !strstr(b.data, bad[i].part))
      fail_msg("%s: %s", bad[i].q, b.data);
  }
  mw_buf_cleanup(&b);
  MHD_stop_daemon(d);
}

static void test_alert_json(void **state) {
  struct fx *f = *state;
  struct mw_alert_rec a = {.id = 12,
                           .key = "cluster:3",
                           .kind = "article",
                           .level = 3,
                           .state = "reported",
                           .title = "长春市朝阳区垃圾站恶臭扰民",
                           .url = "http://www.cc.gov.cn/a/1.html",
                           .topic = "无废城市",
                           .region = "吉林省长春市朝阳区",
                           .reason = "恶臭",
                           .created = NOW,
                           .updated = NOW + 60,
                           .deadline = NOW + 5 * 3600,
                           .acked_at = NOW + 30,
                           .acked_by = "li",
                           .escalation = 1,
                           .overdue = true,
                           .article_count = 3,
                           .outlet_count = 2,
                           .outlets = "长春日报、人民日报"};
  json_t *j = mw_web_alert_json(&f->web, &a);
  assert_non_null(j);
  assert_int_equal(json_integer_value(json_object_get(j, "id")), 12);
  assert_int_equal(json_integer_value(json_object_get(j, "level")), 3);
  assert_string_equal(json_string_value(json_object_get(j, "level_zh")),
                      mw_alert_level_label_zh(MW_ALERT_MAJOR));
  assert_string_equal(json_string_value(json_object_get(j, "color")),
                      mw_alert_level_hex(MW_ALERT_MAJOR));
  assert_string_equal(json_string_value(json_object_get(j, "state")),
                      "reported");
  assert_string_equal(json_string_value(json_object_get(j, "state_zh")),
                      mw_alert_state_label_zh(MW_STATE_REPORTED));
  assert_string_equal(json_string_value(json_object_get(j, "title")),
                      "长春市朝阳区垃圾站恶臭扰民");
  assert_string_equal(json_string_value(json_object_get(j, "region")),
                      "吉林省长春市朝阳区");
  assert_int_equal(json_integer_value(json_object_get(j, "created")), NOW);
  assert_string_equal(json_string_value(json_object_get(j, "created_text")),
                      "2026-11-25 10:00");
  assert_string_equal(json_string_value(json_object_get(j, "deadline_text")),
                      "2026-11-25 15:00");
  assert_true(json_is_true(json_object_get(j, "overdue")));
  assert_string_equal(json_string_value(json_object_get(j, "acked_by")), "li");
  assert_true(json_is_null(json_object_get(j, "assignee")));
  assert_int_equal(json_integer_value(json_object_get(j, "due")), 0);
  assert_string_equal(json_string_value(json_object_get(j, "due_text")), "");
  assert_int_equal(json_integer_value(json_object_get(j, "escalation")), 1);
  assert_int_equal(json_integer_value(json_object_get(j, "article_count")), 3);
  assert_int_equal(json_integer_value(json_object_get(j, "outlet_count")), 2);
  json_t *o = json_object_get(j, "outlets");
  assert_int_equal(json_array_size(o), 2);
  assert_string_equal(json_string_value(json_array_get(o, 0)), "长春日报");
  assert_string_equal(json_string_value(json_array_get(o, 1)), "人民日报");
  json_decref(j);

  /* Nothing but the required fields. */
  struct mw_alert_rec bare = {.id = 1, .key = "k", .kind = "burst",
                              .level = 1, .state = "new"};
  j = mw_web_alert_json(&f->web, &bare);
  assert_non_null(j);
  assert_true(json_is_null(json_object_get(j, "title")));
  assert_int_equal(json_array_size(json_object_get(j, "outlets")), 0);
  assert_string_equal(json_string_value(json_object_get(j, "state_zh")),
                      mw_alert_state_label_zh(MW_STATE_NEW));
  json_decref(j);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_html_escape),
      cmocka_unit_test(test_html_marked),
      cmocka_unit_test(test_path_id),
      cmocka_unit_test(test_reply_json_and_error),
      cmocka_unit_test(test_resp_header_ceiling),
      cmocka_unit_test(test_body_json),
      cmocka_unit_test_setup_teardown(test_time_local, setup, teardown),
      cmocka_unit_test_setup_teardown(test_period_default_is_this_week, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_alert_json, setup, teardown),
      cmocka_unit_test_setup_teardown(test_period_arguments, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
