/*
 * test_alerts.c: alerts end to end, through the real binary. The fixture
 * serves the complaint board (liuyan/), the provincial portal and the
 * central paper that reprint one of its messages, and plays the receivers
 * (webhooks with an HMAC key, a WeCom robot with its key, a DingTalk robot
 * checking its signature). A second fixture serves a scratch feed the test
 * writes to, for items that arrive later.
 *
 * What a crawl must raise (tests/data/sites/EXPECTED.md, Alerts): three
 * alerts, 重大 for the message about the 朝阳区 transfer station that
 * three outlets carried (较大 from its score, one up for the spread), 较大
 * for the dumping in 双阳区, 一般 for the mixed collection in 宽城区, each
 * with its 属地 from the gazetteer. Then: the workflow through the CLI,
 * silences, escalation and deadlines with `alerts send --now`, a receiver
 * that is down, and a daemon killed with notifications pending. Whatever
 * happens, every notification in the outbox reaches its receiver exactly
 * once (counted by delivery id).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "tests/e2e/e2e.h"

#define WEBHOOK_KEY "test-webhook-hmac-key"
#define WECOM_KEY "test-wecom-key"
#define DINGTALK_SECRET "SECtest-dingtalk-secret"

/* The three alerts of the fixture sites, by 属地. */
#define REGION_A "吉林省长春市朝阳区永昌街道"
#define REGION_B "吉林省长春市双阳区奢岭街道"
#define REGION_C "吉林省长春市宽城区站前街道"
#define TITLE_A "朝阳区永昌街道垃圾中转站恶臭扰民"
#define BOARD "吉林省网上群众留言板"

/* Polling: every 50 ms, for at most 20 s. */
#define POLL_US (50 * 1000)
#define POLL_ROUNDS 400

/* Each receiver of the config and the fixture path it posts to. */
static const struct {
  const char *name, *path;
} receivers[] = {
    {"值班平台", "/hook/webhook/duty-desk"},
    {"值班群", "/hook/wecom"},
    {"领导钉钉", "/hook/dingtalk"},
    {"李娜手机", "/hook/webhook/lina"},
    {"王强手机", "/hook/webhook/wangqiang"},
    {"朝阳区生态环境分局", "/hook/webhook/chaoyang"},
};

struct env {
  struct e2e_scratch dir;
  struct mw_fixture *fx;    /* the sites and the receivers */
  struct mw_fixture *extra; /* serves dir/extra/ */
  char cfg[1024], db[1024], feed[1024];
};

/* ------------------------------------------------------------- setup */

static const char empty_feed[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>"
    "<title>测试留言板</title><link>http://127.0.0.1/</link>"
    "<description>t</description>%s</channel></rss>\n";

static void write_feed(struct env *e, const char *items) {
  char text[8192];
  snprintf(text, sizeof text, empty_feed, items);
  e2e_write_file(e->feed, text);
}

/* The config: the three outlets of the reprinted story, the scratch feed
 * ({X}), the shipped lexicon and gazetteer, and the duty office, with the
 * receivers on the fixture ({B}). {ROBOT} is where the route of 重大
 * alerts in 长春市 to the DingTalk robot goes. */
static const char config_tmpl[] =
    "storage: \"{DB}\"\n"
    "timezone: Asia/Shanghai\n"
    "crawler:\n"
    "  per_host_delay_ms: 0\n"
    "  per_host_concurrency: 4\n"
    "  allow_loopback: true\n"
    "outlets:\n"
    "  - name: 吉林省网上群众留言板\n"
    "    tier: new-media\n"
    "    region: 吉林省\n"
    "    sources:\n"
    "      - url: {B}/liuyan/rss.xml\n"
    "  - name: 吉林省生态环境厅\n"
    "    tier: portal\n"
    "    region: 吉林省\n"
    "    sources:\n"
    "      - url: {B}/sthjt/xwdt/index.html\n"
    "        kind: html\n"
    "  - name: 中国环境报\n"
    "    tier: central\n"
    "    region: 全国\n"
    "    sources:\n"
    "      - url: {B}/cenews/sitemap.xml\n"
    "        kind: sitemap\n"
    "  - name: 长春网友论坛\n"
    "    tier: new-media\n"
    "    region: 吉林省长春市\n"
    "    sources:\n"
    "      - url: {X}/extra/rss.xml\n"
    "topics:\n"
    "  - name: 无废城市\n"
    "    keywords: [无废城市, 无废细胞]\n"
    "  - name: 垃圾分类\n"
    "    keywords: [垃圾分类, 生活垃圾分类]\n"
    "sensitivity:\n"
    "  lexicon: \"{LEX}\"\n"
    "alerts:\n"
    "  gazetteer: \"{GAZ}\"\n"
    "  burst_min: 1000\n"
    "  ack_t1: 30m\n"
    "  ack_t2: 2h\n"
    "  retry_max: 5s\n"
    "  receivers:\n"
    "    - name: 值班平台\n"
    "      kind: webhook\n"
    "      url: {B}/hook/webhook/duty-desk\n"
    "      secret_env: MW_T_WEBHOOK_KEY\n"
    "    - name: 值班群\n"
    "      kind: wecom\n"
    "      url_env: MW_T_WECOM_URL\n"
    "    - name: 领导钉钉\n"
    "      kind: dingtalk\n"
    "      url_env: MW_T_DINGTALK_URL\n"
    "      secret_env: MW_T_DINGTALK_SECRET\n"
    "    - name: 李娜手机\n"
    "      kind: webhook\n"
    "      url: {B}/hook/webhook/lina\n"
    "      secret_env: MW_T_WEBHOOK_KEY\n"
    "    - name: 王强手机\n"
    "      kind: webhook\n"
    "      url: {B}/hook/webhook/wangqiang\n"
    "      secret_env: MW_T_WEBHOOK_KEY\n"
    "    - name: 朝阳区生态环境分局\n"
    "      kind: webhook\n"
    "      url: {B}/hook/webhook/chaoyang\n"
    "      secret_env: MW_T_WEBHOOK_KEY\n"
    "  routes:\n"
    "    - name: 值班台\n"
    "      min_level: 1\n"
    "      receivers: [值班平台, duty]\n"
    "{ROBOT}"
    "  people:\n"
    "    - name: 张伟\n"
    "      receivers: [值班群]\n"
    "    - name: 李娜\n"
    "      receivers: [李娜手机]\n"
    "    - name: 王强\n"
    "      receivers: [王强手机]\n"
    "      leader: true\n"
    "  roster:\n"
    "    - days: [每天]\n"
    "      people: [张伟, 李娜]\n";

static const char robot_route[] =
    "    - name: 长春市重大舆情\n"
    "      min_level: 重大\n"
    "      regions: [长春市]\n"
    "      receivers: [领导钉钉]\n";

/* Writes the config; leader_robot: with the DingTalk route. */
static void write_config(struct env *e, bool leader_robot) {
  char lexicon[1024], gazetteer[1024];
  e2e_source("examples/lexicon.tsv", lexicon, sizeof lexicon);
  e2e_source("examples/gazetteer.tsv", gazetteer, sizeof gazetteer);
  const char *names[] = {"{DB}", "{B}", "{X}", "{LEX}", "{GAZ}", "{ROBOT}"};
  const char *values[] = {e->db,
                          mw_fixture_base_url(e->fx),
                          mw_fixture_base_url(e->extra),
                          lexicon,
                          gazetteer,
                          leader_robot ? robot_route : ""};
  struct mw_buf y;
  mw_buf_init(&y, 1u << 20);
  for (const char *p = config_tmpl; *p;) {
    size_t k = 0;
    while (k < 6 && strncmp(p, names[k], strlen(names[k]))) k++;
    if (k < 6) {
      mw_buf_puts(&y, values[k]);
      p += strlen(names[k]);
    } else {
      mw_buf_putc(&y, *p++);
    }
  }
  e2e_write_file(e->cfg, y.data);
  mw_buf_cleanup(&y);
}

static int setup(void **state) {
  struct env *e = calloc(1, sizeof *e);
  char sites[1024], extra[1024], url[1024];
  e2e_scratch_new(&e->dir, "alerts");
  e2e_path(&e->dir, "mw.yaml", e->cfg, sizeof e->cfg);
  e2e_path(&e->dir, "mw.db", e->db, sizeof e->db);
  e2e_path(&e->dir, "extra", extra, sizeof extra);
  assert_int_equal(mkdir(extra, 0755), 0);
  e2e_path(&e->dir, "extra/rss.xml", e->feed, sizeof e->feed);
  write_feed(e, "");
  e2e_data("sites", sites, sizeof sites);
  e->fx = e2e_fixture(sites);
  e->extra = e2e_fixture(e->dir.dir);
  /* Secrets reach mediawatch through its environment, as in production;
   * the fixture checks the same values. */
  const char *b = mw_fixture_base_url(e->fx);
  snprintf(url, sizeof url, "%s/hook/wecom?key=" WECOM_KEY, b);
  setenv("MW_T_WECOM_URL", url, 1);
  snprintf(url, sizeof url, "%s/hook/dingtalk?access_token=t0ken", b);
  setenv("MW_T_DINGTALK_URL", url, 1);
  setenv("MW_T_DINGTALK_SECRET", DINGTALK_SECRET, 1);
  setenv("MW_T_WEBHOOK_KEY", WEBHOOK_KEY, 1);
  assert_int_equal(
      mw_fixture_set_receiver_secret(e->fx, "webhook", WEBHOOK_KEY), 0);
  assert_int_equal(mw_fixture_set_receiver_secret(e->fx, "wecom", WECOM_KEY),
                   0);
  assert_int_equal(
      mw_fixture_set_receiver_secret(e->fx, "dingtalk", DINGTALK_SECRET), 0);
  write_config(e, true);
  *state = e;
  return 0;
}

static int teardown(void **state) {
  struct env *e = *state;
  mw_fixture_stop(e->fx);
  mw_fixture_stop(e->extra);
  e2e_scratch_free(&e->dir);
  free(e);
  return 0;
}

/* ----------------------------------------------------------- helpers */

static void crawl(struct env *e) {
  free(e2e_run_config(e->cfg, 0, NULL, "crawl", "--once", NULL));
}

static json_t *alert_list(struct env *e, const char *filter) {
  return e2e_json(e2e_run_config(e->cfg, 0, NULL, "alerts", "list", "--json",
                                 filter, NULL));
}

static json_t *alert_show(struct env *e, int64_t id) {
  char ids[32];
  snprintf(ids, sizeof ids, "%lld", (long long)id);
  return e2e_json(
      e2e_run_config(e->cfg, 0, NULL, "alerts", "show", ids, "--json", NULL));
}

static const char *jstr(json_t *o, const char *k) {
  return json_string_value(json_object_get(o, k));
}

static int64_t jint(json_t *o, const char *k) {
  return (int64_t)json_integer_value(json_object_get(o, k));
}

/* The alert of list whose 属地 is region; fails when there is none. */
static json_t *by_region(json_t *list, const char *region) {
  for (size_t i = 0; i < json_array_size(list); i++) {
    json_t *a = json_array_get(list, i);
    if (jstr(a, "region") && !strcmp(jstr(a, "region"), region)) return a;
  }
  fail_msg("no alert in %s", region);
  return NULL;
}

static int64_t alert_id(struct env *e, const char *region) {
  json_t *l = alert_list(e, NULL);
  int64_t id = jint(by_region(l, region), "id");
  json_decref(l);
  return id;
}

/* The alert is in state, and the last event of its trail with this
 * action was actor's, from -> to (the engine may add its own events after
 * it, such as "notified"). */
static void expect_last_event(json_t *shown, const char *state,
                              const char *actor, const char *action,
                              const char *from, const char *to) {
  assert_string_equal(jstr(shown, "state"), state);
  json_t *ev = json_object_get(shown, "events"), *last = NULL, *x;
  size_t i;
  json_array_foreach(ev, i, x) if (!strcmp(jstr(x, "action"), action)) last = x;
  if (!last) fail_msg("no %s event in the trail", action);
  assert_string_equal(jstr(last, "actor"), actor);
  assert_string_equal(jstr(last, "from"), from);
  assert_string_equal(jstr(last, "to"), to);
}

static const char *path_of(const char *receiver) {
  for (size_t i = 0; i < sizeof receivers / sizeof receivers[0]; i++)
    if (!strcmp(receivers[i].name, receiver)) return receivers[i].path;
  fail_msg("unknown receiver %s", receiver);
  return NULL;
}

static size_t count_rows(const struct e2e_outbox_row *rows, long n,
                         const char *receiver, bool sent) {
  size_t k = 0;
  for (long i = 0; i < n; i++)
    k += !strcmp(rows[i].receiver, receiver) && (rows[i].sent_at != 0) == sent;
  return k;
}

/* ------------------------------------------------------------- tests */

/* a. A crawl raises the three alerts and tells every receiver once. */
static void test_crawl_raises_and_notifies(void **state) {
  struct env *e = *state;
  char *out = e2e_run_config(e->cfg, 0, NULL, "crawl", "--once", NULL);
  if (!strstr(out, "new articles: 19") || !strstr(out, ", 0 waiting"))
    fail_msg("unexpected crawl summary:\n%s", out);
  free(out);

  json_t *l = alert_list(e, NULL);
  assert_int_equal(json_array_size(l), 3);
  /* Highest level first. */
  json_t *a = json_array_get(l, 0), *b = json_array_get(l, 1),
         *c = json_array_get(l, 2);
  assert_string_equal(jstr(a, "region"), REGION_A);
  assert_int_equal(jint(a, "level"), 3);
  assert_string_equal(jstr(a, "level_zh"), "重大");
  assert_string_equal(jstr(a, "title"), TITLE_A);
  assert_string_equal(jstr(a, "topic"), "垃圾分类");
  assert_int_equal(jint(a, "outlet_count"), 3);
  assert_int_equal(jint(a, "article_count"), 3);
  const char *outlets = jstr(a, "outlets");
  assert_non_null(strstr(outlets, BOARD));
  assert_non_null(strstr(outlets, "中国环境报"));
  assert_non_null(strstr(outlets, "吉林省生态环境厅"));
  assert_non_null(strstr(jstr(a, "reason"), "已被3家媒体转载"));
  assert_string_equal(jstr(b, "region"), REGION_B);
  assert_int_equal(jint(b, "level"), 2);
  assert_string_equal(jstr(b, "outlets"), BOARD);
  assert_true(json_is_null(json_object_get(b, "topic")));
  assert_string_equal(jstr(c, "region"), REGION_C);
  assert_int_equal(jint(c, "level"), 1);
  assert_string_equal(jstr(c, "topic"), "垃圾分类");
  size_t i;
  json_t *x;
  json_array_foreach(l, i, x) {
    assert_string_equal(jstr(x, "state"), "new");
    assert_false(json_is_true(json_object_get(x, "silenced")));
    /* Respond within the level's deadline: 5h, 24h, 72h. */
    int64_t want = jint(x, "level") == 3   ? 5 * 3600
                   : jint(x, "level") == 2 ? 86400
                                           : 3 * 86400;
    assert_int_equal(jint(x, "deadline") - jint(x, "created"), want);
  }

  /* Each alert went to the duty desk and 张伟's group; the 重大 one also
   * to the leaders' robot; nobody else heard of anything. */
  e2e_expect_exactly_once(e->fx, e->db, path_of);
  struct e2e_outbox_row rows[256];
  long n = e2e_outbox(e->db, rows, 256);
  assert_int_equal(count_rows(rows, n, "李娜手机", true) +
                       count_rows(rows, n, "王强手机", true) +
                       count_rows(rows, n, "朝阳区生态环境分局", true),
                   0);
  assert_true(count_rows(rows, n, "领导钉钉", true) >= 1);
  assert_int_equal(count_rows(rows, n, "值班平台", true),
                   count_rows(rows, n, "值班群", true));

  /* The duty desk's webhook: the alert as JSON, signed, with its delivery
   * id in the body and the header; the last word on A is 重大, 3 outlets. */
  struct mw_fixture_delivery *d = NULL;
  size_t nd = e2e_deliveries(e->fx, "/hook/webhook/duty-desk", &d);
  assert_int_equal(nd, count_rows(rows, n, "值班平台", true));
  json_t *last_a = NULL;
  size_t raised = 0;
  for (size_t k = 0; k < nd; k++) {
    json_error_t je;
    json_t *j = json_loadb(d[k].body, d[k].body_len, 0, &je);
    assert_non_null(j);
    assert_non_null(d[k].signature);
    assert_true(!strncmp(d[k].signature, "sha256=", 7));
    assert_int_equal(jint(j, "delivery_id"),
                     strtoll(d[k].delivery_id, NULL, 10));
    const char *ev = jstr(j, "event");
    assert_true(!strcmp(ev, "alert") || !strcmp(ev, "rose"));
    raised += !strcmp(ev, "alert");
    assert_non_null(jstr(j, "title"));
    assert_non_null(jstr(j, "level_zh"));
    assert_true(json_is_array(json_object_get(j, "outlets")));
    if (!strcmp(jstr(j, "region"), REGION_A)) {
      json_decref(last_a);
      last_a = j;
    } else {
      json_decref(j);
    }
  }
  assert_int_equal(raised, 3);
  assert_non_null(last_a);
  assert_int_equal(jint(last_a, "level"), 3);
  assert_string_equal(jstr(last_a, "color"), "orange");
  assert_int_equal(json_array_size(json_object_get(last_a, "outlets")), 3);
  assert_int_equal(jint(last_a, "id"), jint(a, "id"));
  json_decref(last_a);
  mw_fixture_deliveries_free(d, nd);
  /* The robots: WeCom with its key, DingTalk signed (a bad signature
   * would have been refused, and not recorded). */
  nd = e2e_deliveries(e->fx, "/hook/dingtalk", &d);
  assert_true(nd >= 1);
  for (size_t k = 0; k < nd; k++) {
    assert_non_null(strstr(d[k].query, "timestamp="));
    assert_non_null(strstr(d[k].query, "&sign="));
    assert_non_null(strstr(d[k].body, "重大"));
  }
  mw_fixture_deliveries_free(d, nd);
  nd = e2e_deliveries(e->fx, "/hook/wecom", &d);
  assert_int_equal(nd, count_rows(rows, n, "值班群", true));
  assert_string_equal(d[0].query, "key=" WECOM_KEY);
  mw_fixture_deliveries_free(d, nd);
  json_decref(l);

  /* A second crawl finds nothing new and sends nothing. */
  crawl(e);
  e2e_expect_exactly_once(e->fx, e->db, path_of);
}

/* b. The workflow from the command line, each step in the trail; an
 * illegal step refused; the assignment announced to the unit; a silence
 * that keeps the next matching alert quiet. */
static void test_workflow_and_silence(void **state) {
  struct env *e = *state;
  crawl(e);
  int64_t id = alert_id(e, REGION_A);
  char ids[32];
  snprintf(ids, sizeof ids, "%lld", (long long)id);

  free(e2e_run_config(e->cfg, 0, NULL, "alerts", "ack", ids, "--by", "张伟",
                      "--comment", "已核实，报告带班领导", NULL));
  json_t *s = alert_show(e, id);
  expect_last_event(s, "reported", "张伟", "ack", "new", "reported");
  assert_string_equal(jstr(s, "acked_by"), "张伟");
  json_decref(s);

  /* Nothing to supervise before it is handed on: refused, nothing
   * changes, and the message says what to do instead. */
  char *err = NULL;
  free(e2e_run_config(e->cfg, 1, &err, "alerts", "progress", ids, "--by",
                      "张伟", "--comment", "督办", NULL));
  char want[512];
  snprintf(want, sizeof want,
           "alert %s: cannot record progress on an alert that is reported: "
           "assign it first (progress is allowed from assigned, in "
           "progress)\n",
           ids);
  if (strncmp(err, "mediawatch: alert ", 18) || !strstr(err, want))
    fail_msg("expected the refusal '%s', got '%s'", want, err);
  free(err);
  s = alert_show(e, id);
  expect_last_event(s, "reported", "张伟", "ack", "new", "reported");
  json_decref(s);

  /* 交办: to the district bureau, due in 24 hours; the bureau (a
   * receiver named like the unit) and the duty desk are told. */
  size_t unit_before = e2e_delivery_count(e->fx, "/hook/webhook/chaoyang");
  assert_int_equal(unit_before, 0);
  int64_t t0 = (int64_t)time(NULL);
  free(e2e_run_config(e->cfg, 0, NULL, "alerts", "assign", ids, "--to",
                      "朝阳区生态环境分局", "--due", "24h", "--by", "张伟",
                      "--comment", "请核实处置", NULL));
  int64_t t1 = (int64_t)time(NULL);
  s = alert_show(e, id);
  expect_last_event(s, "assigned", "张伟", "assign", "reported", "assigned");
  assert_string_equal(jstr(s, "assignee"), "朝阳区生态环境分局");
  assert_true(jint(s, "due") >= t0 + 86400 && jint(s, "due") <= t1 + 86400);
  json_decref(s);
  assert_int_equal(e2e_delivery_count(e->fx, "/hook/webhook/chaoyang"), 1);
  json_t *j = e2e_last_json(e->fx, "/hook/webhook/chaoyang");
  assert_string_equal(jstr(j, "event"), "assigned");
  assert_string_equal(jstr(j, "assignee"), "朝阳区生态环境分局");
  assert_int_equal(jint(j, "id"), id);
  json_decref(j);
  j = e2e_last_json(e->fx, "/hook/webhook/duty-desk");
  assert_string_equal(jstr(j, "event"), "assigned");
  json_decref(j);

  free(e2e_run_config(e->cfg, 0, NULL, "alerts", "progress", ids, "--by",
                      "张伟", "--comment", "已约谈中转站运营单位，增加清洗频次",
                      NULL));
  s = alert_show(e, id);
  expect_last_event(s, "in_progress", "张伟", "progress", "assigned",
                    "in_progress");
  json_decref(s);
  /* Closing before the unit has reported back is refused. */
  free(e2e_run_config(e->cfg, 1, &err, "alerts", "close", ids, "--by", "张伟",
                      NULL));
  assert_non_null(strstr(err, "cannot close an alert that is in progress"));
  free(err);
  free(e2e_run_config(e->cfg, 0, NULL, "alerts", "feedback", ids, "--by",
                      "朝阳区生态环境分局", "--comment",
                      "中转站已加装除臭设备，渗滤液导排入污水管网", NULL));
  s = alert_show(e, id);
  expect_last_event(s, "feedback", "朝阳区生态环境分局", "feedback",
                    "in_progress", "feedback");
  json_decref(s);
  free(e2e_run_config(e->cfg, 0, NULL, "alerts", "close", ids, "--by", "张伟",
                      "--comment", "办结", NULL));
  s = alert_show(e, id);
  expect_last_event(s, "closed", "张伟", "close", "feedback", "closed");
  json_decref(s);
  free(e2e_run_config(e->cfg, 1, &err, "alerts", "ack", ids, "--by", "张伟",
                      NULL));
  assert_non_null(strstr(err, "it is closed already"));
  free(err);
  e2e_expect_exactly_once(e->fx, e->db, path_of);

  /* A silence on a term: the next alert that names it is recorded, not
   * sent. */
  char *out = e2e_run_config(e->cfg, 0, NULL, "alerts", "silence", "add",
                             "--term", "焚烧厂", "--for", "2h", "--reason",
                             "焚烧厂异味已有专班处置", "--by", "张伟", NULL);
  assert_non_null(strstr(out, "silence 1 until "));
  free(out);
  size_t before = e2e_delivery_count(e->fx, "/hook/");
  write_feed(e,
             "<item><title>二道区垃圾焚烧厂夜间冒黑烟 异味扰民</title>"
             "<link>http://127.0.0.1:18931/bbs/thread-20230526.html</link>"
             "<pubDate>Fri, 26 May 2023 22:10:00 +0800</pubDate>"
             "<description>"
             "长春市二道区东盛街道附近的垃圾焚烧厂最近几天夜里烟囱冒黑烟，"
             "居民晚上不敢开窗，希望有关部门加强监管。</description></item>");
  crawl(e);
  assert_int_equal(e2e_delivery_count(e->fx, "/hook/"), before);
  json_t *l = alert_list(e, NULL);
  assert_int_equal(json_array_size(l), 4);
  json_t *q = by_region(l, "吉林省长春市二道区东盛街道");
  assert_true(json_is_true(json_object_get(q, "silenced")));
  assert_true(jint(q, "level") >= 1);
  s = alert_show(e, jint(q, "id"));
  assert_int_equal(json_array_size(json_object_get(s, "notifications")), 0);
  json_t *ev = json_object_get(s, "events");
  const char *why =
      jstr(json_array_get(ev, json_array_size(ev) - 1), "comment");
  assert_string_equal(
      jstr(json_array_get(ev, json_array_size(ev) - 1), "action"), "silenced");
  assert_non_null(strstr(why, "词=焚烧厂"));
  assert_non_null(strstr(why, "张伟"));
  json_decref(s);
  /* Silenced alerts are not chased either (the others are escalated). */
  int64_t quiet = jint(q, "id");
  json_decref(l);
  free(e2e_run_config(e->cfg, 0, NULL, "alerts", "send", "--now", "3h", NULL));
  s = alert_show(e, quiet);
  assert_int_equal(json_array_size(json_object_get(s, "notifications")), 0);
  assert_int_equal(jint(s, "escalation"), 0);
  json_decref(s);
  e2e_expect_exactly_once(e->fx, e->db, path_of);
}

/* The events of an alert's trail with this action. */
static size_t events_named(json_t *shown, const char *action) {
  json_t *ev = json_object_get(shown, "events");
  size_t n = 0;
  for (size_t i = 0; i < json_array_size(ev); i++)
    n += !strcmp(jstr(json_array_get(ev, i), "action"), action);
  return n;
}

/* The event kind ("escalation", ...) of every delivery under prefix, each
 * for an alert among ids (n_ids of them); returns how many there are. */
static size_t deliveries_of(struct env *e, const char *prefix,
                            const char *event, const int64_t *ids,
                            size_t n_ids) {
  struct mw_fixture_delivery *d;
  size_t n = e2e_deliveries(e->fx, prefix, &d);
  for (size_t k = 0; k < n; k++) {
    json_error_t je;
    json_t *j = json_loadb(d[k].body, d[k].body_len, 0, &je);
    assert_non_null(j);
    assert_string_equal(jstr(j, "event"), event);
    bool known = false;
    for (size_t i = 0; i < n_ids; i++) known |= jint(j, "id") == ids[i];
    if (!known)
      fail_msg("%s: %s about alert %lld", prefix, event,
               (long long)jint(j, "id"));
    json_decref(j);
  }
  mw_fixture_deliveries_free(d, n);
  return n;
}

/* c. Time, driven by `alerts send --now`: unacknowledged alerts go to the
 * next person on duty after T1 and to the leader after T2; an alert past
 * its response deadline, or an assignment past its due time, is flagged
 * overdue and chased (督办). Each step is taken once. */
static void test_escalation_and_deadlines(void **state) {
  struct env *e = *state;
  /* Signatures carry the time of sending: keep the robot out of a test
   * that sends hours ahead of the clock. */
  write_config(e, false);
  crawl(e);
  int64_t a = alert_id(e, REGION_A), b = alert_id(e, REGION_B),
          c = alert_id(e, REGION_C);
  char bs[32];
  snprintf(bs, sizeof bs, "%lld", (long long)b);
  free(e2e_run_config(e->cfg, 0, NULL, "alerts", "ack", bs, "--by", "张伟",
                      NULL));
  free(e2e_run_config(e->cfg, 0, NULL, "alerts", "assign", bs, "--to",
                      "双阳区生态环境分局", "--due", "1h", "--by", "张伟",
                      NULL));
  size_t desk = e2e_delivery_count(e->fx, "/hook/webhook/duty-desk");
  int64_t ac[2] = {a, c};

  /* Before T1 nothing happens. */
  char *out =
      e2e_run_config(e->cfg, 0, NULL, "alerts", "send", "--now", "29m", NULL);
  assert_non_null(strstr(out, "notifications: 0 sent, 0 waiting"));
  free(out);
  assert_int_equal(e2e_delivery_count(e->fx, "/hook/webhook/lina"), 0);
  /* T1 (30m): the two alerts nobody acknowledged go to 李娜, the second on
   * duty; the acknowledged one does not. Again at the same time: nothing. */
  out = e2e_run_config(e->cfg, 0, NULL, "alerts", "send", "--now", "31m", NULL);
  assert_non_null(strstr(out, "notifications: 2 sent, 0 waiting"));
  free(out);
  free(e2e_run_config(e->cfg, 0, NULL, "alerts", "send", "--now", "31m", NULL));
  assert_int_equal(deliveries_of(e, "/hook/webhook/lina", "escalation", ac, 2),
                   2);
  assert_int_equal(e2e_delivery_count(e->fx, "/hook/webhook/wangqiang"), 0);
  assert_int_equal(e2e_delivery_count(e->fx, "/hook/webhook/duty-desk"), desk);

  /* The assignment's due time (1h) passes: B is overdue and chased. */
  free(e2e_run_config(e->cfg, 0, NULL, "alerts", "send", "--now", "61m", NULL));
  json_t *l = alert_list(e, "--overdue");
  assert_int_equal(json_array_size(l), 1);
  assert_int_equal(jint(json_array_get(l, 0), "id"), b);
  json_decref(l);
  json_t *j = e2e_last_json(e->fx, "/hook/webhook/duty-desk");
  assert_string_equal(jstr(j, "event"), "overdue");
  assert_int_equal(jint(j, "id"), b);
  assert_true(json_is_true(json_object_get(j, "overdue")));
  json_decref(j);
  assert_int_equal(e2e_delivery_count(e->fx, "/hook/webhook/duty-desk"),
                   desk + 1);

  /* T2 (2h): to the leader, 王强. */
  free(
      e2e_run_config(e->cfg, 0, NULL, "alerts", "send", "--now", "121m", NULL));
  assert_int_equal(
      deliveries_of(e, "/hook/webhook/wangqiang", "escalation", ac, 2), 2);
  assert_int_equal(e2e_delivery_count(e->fx, "/hook/webhook/lina"), 2);

  /* A (重大) has to be answered within 5h: after that it is overdue too;
   * C (一般, 72h) is not. */
  free(
      e2e_run_config(e->cfg, 0, NULL, "alerts", "send", "--now", "299m", NULL));
  l = alert_list(e, "--overdue");
  assert_int_equal(json_array_size(l), 1);
  json_decref(l);
  free(
      e2e_run_config(e->cfg, 0, NULL, "alerts", "send", "--now", "301m", NULL));
  l = alert_list(e, "--overdue");
  assert_int_equal(json_array_size(l), 2);
  assert_int_equal(jint(json_array_get(l, 0), "id"), a); /* highest first */
  json_decref(l);
  json_t *s = alert_show(e, a);
  assert_int_equal(events_named(s, "escalated"), 2);
  assert_int_equal(events_named(s, "overdue"), 1);
  assert_int_equal(jint(s, "escalation"), 2);
  json_decref(s);
  s = alert_show(e, c);
  assert_int_equal(events_named(s, "escalated"), 2);
  assert_int_equal(events_named(s, "overdue"), 0);
  assert_false(json_is_true(json_object_get(s, "overdue")));
  json_decref(s);
  s = alert_show(e, b);
  assert_int_equal(events_named(s, "escalated"), 0);
  assert_int_equal(events_named(s, "overdue"), 1);
  json_decref(s);
  j = e2e_last_json(e->fx, "/hook/webhook/duty-desk");
  assert_string_equal(jstr(j, "event"), "overdue");
  assert_int_equal(jint(j, "id"), a);
  json_decref(j);
  /* Flagged once: a later tick does not chase it again before the repeat
   * interval (24h). */
  size_t n_desk = e2e_delivery_count(e->fx, "/hook/webhook/duty-desk");
  free(e2e_run_config(e->cfg, 0, NULL, "alerts", "send", "--now", "6h", NULL));
  assert_int_equal(e2e_delivery_count(e->fx, "/hook/webhook/duty-desk"),
                   n_desk);
  e2e_expect_exactly_once(e->fx, e->db, path_of);
}

/* d. A receiver that is down keeps its notifications, in order, until it
 * is back; then each arrives once, and a second round sends nothing. */
static void test_receiver_down(void **state) {
  struct env *e = *state;
  assert_int_equal(mw_fixture_set_receiver_down(e->fx, "/hook/webhook/", true),
                   0);
  char *out = e2e_run_config(e->cfg, 0, NULL, "crawl", "--once", NULL);
  struct e2e_outbox_row rows[256];
  long n = e2e_outbox(e->db, rows, 256);
  size_t desk = count_rows(rows, n, "值班平台", false);
  assert_true(desk >= 3);
  assert_int_equal(count_rows(rows, n, "值班平台", true), 0);
  /* The others were not held up by it. */
  assert_int_equal(count_rows(rows, n, "值班群", false), 0);
  assert_int_equal(count_rows(rows, n, "领导钉钉", false), 0);
  char want[64];
  snprintf(want, sizeof want, ", %zu waiting", desk);
  if (!strstr(out, want)) fail_msg("crawl summary lacks '%s':\n%s", want, out);
  free(out);
  assert_int_equal(e2e_delivery_count(e->fx, "/hook/webhook/"), 0);

  /* `alerts show` says what waits and why. */
  int64_t id = alert_id(e, REGION_B);
  char ids[32];
  snprintf(ids, sizeof ids, "%lld", (long long)id);
  out = e2e_run_config(e->cfg, 0, NULL, "alerts", "show", ids, NULL);
  if (!strstr(out, "to 值班平台") || !strstr(out, "waiting (") ||
      !strstr(out, "HTTP 503"))
    fail_msg("alerts show does not show the pending notification:\n%s", out);
  free(out);
  json_t *s = alert_show(e, id);
  json_t *m = json_array_get(json_object_get(s, "notifications"), 0);
  assert_string_equal(jstr(m, "receiver"), "值班平台");
  assert_true(jint(m, "attempts") >= 1);
  assert_non_null(strstr(jstr(m, "last_error"), "503"));
  json_decref(s);

  /* Still down: a round later fails again and keeps everything. */
  out = e2e_run_config(e->cfg, 0, NULL, "alerts", "send", "--now", "1m", NULL);
  snprintf(want, sizeof want, "notifications: 0 sent, %zu waiting", desk);
  if (!strstr(out, want)) fail_msg("send output lacks '%s':\n%s", want, out);
  free(out);

  /* Back up: the next round delivers all of them, oldest first. */
  assert_int_equal(mw_fixture_set_receiver_down(e->fx, "/hook/webhook/", false),
                   0);
  out = e2e_run_config(e->cfg, 0, NULL, "alerts", "send", "--now", "2m", NULL);
  snprintf(want, sizeof want, "notifications: %zu sent, 0 waiting", desk);
  if (!strstr(out, want)) fail_msg("send output lacks '%s':\n%s", want, out);
  free(out);
  e2e_expect_in_order(e->fx, e->db, "值班平台", "/hook/webhook/duty-desk");
  e2e_expect_exactly_once(e->fx, e->db, path_of);
  out = e2e_run_config(e->cfg, 0, NULL, "alerts", "send", "--now", "3m", NULL);
  assert_non_null(strstr(out, "notifications: 0 sent, 0 waiting"));
  free(out);
  assert_int_equal(e2e_delivery_count(e->fx, "/hook/webhook/duty-desk"), desk);
  e2e_expect_exactly_once(e->fx, e->db, path_of);
}

/* Whether the daemon's store shows the crawl done: the 19 articles of
 * the three outlets stored, three alerts, A at 重大, every notification
 * but the duty desk's sent, and the desk's first one tried. */
static bool pending_at_desk(struct env *e, size_t *desk) {
  struct mw_store *st;
  struct mw_err err;
  if (mw_store_open(e->db, &st, &err)) return false; /* not created yet */
  struct mw_alert_filter f = {0};
  struct mw_alert_rec *recs = NULL;
  size_t n = 0;
  int64_t articles = 0;
  bool ok = !mw_store_count_articles(st, &articles, &err) && articles == 19 &&
            !mw_store_alert_list(st, &f, &recs, &n, &err) && n == 3 &&
            recs[0].level == 3;
  mw_alert_recs_free(recs, n);
  mw_store_close(st);
  if (!ok) return false;
  struct e2e_outbox_row rows[256];
  long nr = e2e_outbox(e->db, rows, 256);
  if (nr <= 0) return false;
  bool tried = false;
  for (long i = 0; i < nr; i++) {
    bool is_desk = !strcmp(rows[i].receiver, "值班平台");
    if (!is_desk && !rows[i].sent_at) return false;
    if (is_desk && rows[i].sent_at) return false;
    tried |= is_desk && rows[i].attempts > 0;
  }
  *desk = count_rows(rows, nr, "值班平台", false);
  return tried;
}

/* e. Killed with notifications written and not sent: after a restart
 * each is delivered once, none is lost. */
static void test_crash_and_restart(void **state) {
  struct env *e = *state;
  assert_int_equal(mw_fixture_set_receiver_down(e->fx, "/hook/webhook/", true),
                   0);
  const char *args[] = {"run", "--config", e->cfg, NULL};
  int pid = e2e_spawn(&e->dir, args);
  size_t desk = 0;
  bool ready = false;
  for (int i = 0; i < POLL_ROUNDS && !ready; i++) {
    usleep(POLL_US);
    ready = pending_at_desk(e, &desk);
  }
  if (!ready) {
    kill(pid, SIGKILL);
    char *log = NULL;
    e2e_wait(&e->dir, pid, NULL, &log);
    fail_msg("the daemon never had its notifications pending; log:\n%s", log);
  }
  assert_int_equal(kill(pid, SIGKILL), 0);
  assert_int_equal(e2e_wait(&e->dir, pid, NULL, NULL), -1);
  assert_true(desk >= 3);
  assert_int_equal(e2e_delivery_count(e->fx, "/hook/webhook/"), 0);

  assert_int_equal(mw_fixture_set_receiver_down(e->fx, "/hook/webhook/", false),
                   0);
  pid = e2e_spawn(&e->dir, args);
  size_t got = 0;
  for (int i = 0; i < POLL_ROUNDS && got < desk; i++) {
    usleep(POLL_US);
    got = e2e_delivery_count(e->fx, "/hook/webhook/duty-desk");
  }
  assert_int_equal(kill(pid, SIGTERM), 0);
  char *log = NULL;
  int rc = e2e_wait(&e->dir, pid, NULL, &log);
  if (rc != 0 || got != desk)
    fail_msg("restarted daemon exited %d after %zu of %zu deliveries; log:\n%s",
             rc, got, desk, log);
  free(log);
  e2e_expect_in_order(e->fx, e->db, "值班平台", "/hook/webhook/duty-desk");
  e2e_expect_exactly_once(e->fx, e->db, path_of);
  /* However the polls fell, the reprinted story is one alert with all
   * three outlets (copies stored before the original included). */
  json_t *l = alert_list(e, NULL);
  assert_int_equal(json_array_size(l), 3);
  json_t *a = json_array_get(l, 0);
  assert_string_equal(jstr(a, "title"), TITLE_A);
  assert_int_equal(jint(a, "outlet_count"), 3);
  assert_int_equal(jint(a, "article_count"), 3);
  json_decref(l);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_crawl_raises_and_notifies, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_workflow_and_silence, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_escalation_and_deadlines, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_receiver_down, setup, teardown),
      cmocka_unit_test_setup_teardown(test_crash_and_restart, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
