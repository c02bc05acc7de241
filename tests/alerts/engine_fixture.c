/* The duty desk shared by the alerts engine tests (engine_fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "tests/alerts/engine_fixture.h"
#include "tests/store/store_test_util.h"

const char EF_TITLE[] = "长春市朝阳区垃圾站恶臭扰民 居民多次投诉";
/* With a passage of seed 004 (Jiangbei district's publicity points). */
const char EF_TEXT[] =
    "近日，有居民反映朝阳区某垃圾站长期散发恶臭，垃圾分类后混装混运，"
    "多次投诉未果。加强环境舆情监测和舆论引导，开展全网域全时段环境舆情"
    "监测，落实环境网络舆情监测、报告、交办、督办等工作要求。";

static const char GAZETTEER[] =
    "# places of the engine tests\n"
    "吉林省\tprovince\n"
    "长春市\tcity\t吉林省\n"
    "朝阳区\tdistrict\t长春市\n"
    "南关区\tdistrict\t长春市\n"
    "吉林市\tcity\t吉林省\n"
    "重庆市\tprovince\n"
    "黔江区\tdistrict\t重庆市\n";

static char *duty_route[] = {"duty", "值班群"};
static char *cc_route[] = {"王五邮箱"};
static char *cc_regions[] = {"长春市"};
static char *digest_route[] = {"摘要邮箱"};
static char *digest_topics[] = {"垃圾分类"};
static char *zhang[] = {"张三微信"};
static char *li[] = {"李四微信"};
static char *zhao[] = {"领导钉钉"};
static char *shift_people[] = {"张三", "李四"};
static char *all_days[] = {"all"};
static char *kw0[] = {"无废城市", "无废细胞"};
static char *kw1[] = {"垃圾分类"};

static const struct mw_clock_window NO_WINDOW = {-1, -1};

static void receiver(struct ef *f, int i, const char *name,
                     enum mw_receiver_kind kind) {
  f->recv[i] = (struct mw_receiver_conf){.name = (char *)name,
                                         .kind = kind,
                                         .url = "http://127.0.0.1:1/hook",
                                         .quiet_window = NO_WINDOW,
                                         .digest_at_min = -1,
                                         .line = 40 + i};
}

struct ef *ef_new_config(void) {
  struct ef *f = calloc(1, sizeof *f);
  assert_non_null(f);
  static const struct {
    const char *name, *region, *url;
    enum mw_tier tier;
  } o[EF_N_OUTLETS] = {
      [EF_RMRB] = {"人民日报", NULL, "https://www.people.com.cn/rss/env.xml",
                   MW_TIER_CENTRAL},
      [EF_JLRB] = {"吉林日报", "吉林省", "http://jlrb.jlntv.cn/rss.xml",
                   MW_TIER_PROVINCIAL},
      [EF_ZGJLW] = {"中国吉林网", "吉林省",
                    "http://www.chinajilin.com.cn/rss.xml",
                    MW_TIER_PROVINCIAL},
      [EF_CCRB] = {"长春日报", "长春市", "http://www.cc.gov.cn/rss.xml",
                   MW_TIER_CITY},
  };
  for (int i = 0; i < EF_N_OUTLETS; i++) {
    f->sources[i] = (struct mw_source_conf){.url = (char *)o[i].url,
                                            .kind = MW_SOURCE_FEED,
                                            .poll_interval_s = 900,
                                            .line = 10 + i};
    f->outlets[i] = (struct mw_outlet_conf){.name = (char *)o[i].name,
                                            .tier = o[i].tier,
                                            .region = (char *)o[i].region,
                                            .sources = &f->sources[i],
                                            .n_sources = 1,
                                            .line = 10 + i};
  }
  f->topics[0] = (struct mw_topic_conf){
      .name = "无废城市", .keywords = kw0, .n_keywords = 2, .line = 20};
  f->topics[1] = (struct mw_topic_conf){
      .name = "垃圾分类", .keywords = kw1, .n_keywords = 1, .line = 22};

  receiver(f, 0, "值班群", MW_RECEIVER_WEBHOOK);
  f->recv[0].template_text =
      "{event}|{level_zh}|{title}|属地:{region}|媒体:{outlets}";
  receiver(f, 1, "张三微信", MW_RECEIVER_WECOM);
  receiver(f, 2, "李四微信", MW_RECEIVER_WECOM);
  receiver(f, 3, "王五邮箱", MW_RECEIVER_EMAIL);
  f->recv[3].quiet = "22:00-07:00";
  f->recv[3].quiet_window = (struct mw_clock_window){22 * 60, 7 * 60};
  receiver(f, 4, "领导钉钉", MW_RECEIVER_DINGTALK);
  receiver(f, 5, "长春市生态环境局", MW_RECEIVER_WEBHOOK);
  receiver(f, 6, "摘要邮箱", MW_RECEIVER_EMAIL);
  f->recv[6].digest = true;
  f->recv[6].digest_at = "08:00";
  f->recv[6].digest_at_min = 8 * 60;

  f->people[0] = (struct mw_person_conf){
      .name = "张三", .receivers = zhang, .n_receivers = 1, .line = 60};
  f->people[1] = (struct mw_person_conf){
      .name = "李四", .receivers = li, .n_receivers = 1, .line = 61};
  f->people[2] = (struct mw_person_conf){.name = "赵局长",
                                         .receivers = zhao,
                                         .n_receivers = 1,
                                         .leader = true,
                                         .line = 62};
  f->shifts[0] = (struct mw_shift_conf){.days = all_days,
                                        .n_days = 1,
                                        .day_mask = 0x7f,
                                        .window = NO_WINDOW,
                                        .people = shift_people,
                                        .n_people = 2,
                                        .line = 70};
  f->routes[0] = (struct mw_route_conf){.name = "值班",
                                        .min_level = 1,
                                        .receivers = duty_route,
                                        .n_receivers = 2,
                                        .line = 80};
  f->routes[1] = (struct mw_route_conf){.name = "长春",
                                        .min_level = 2,
                                        .regions = cc_regions,
                                        .n_regions = 1,
                                        .receivers = cc_route,
                                        .n_receivers = 1,
                                        .line = 84};
  f->routes[2] = (struct mw_route_conf){.name = "垃圾分类摘要",
                                        .min_level = 1,
                                        .topics = digest_topics,
                                        .n_topics = 1,
                                        .receivers = digest_route,
                                        .n_receivers = 1,
                                        .line = 88};

  struct mw_alerts_conf *c = &f->cfg.alerts;
  c->spread_outlets = 3;
  c->spread_window_s = 86400;
  c->burst_factor_pct = 300;
  c->burst_min = 5;
  c->burst_weeks = 4;
  c->deadline_s[0] = 24 * EF_HOUR;
  c->deadline_s[1] = 12 * EF_HOUR;
  c->deadline_s[2] = 5 * EF_HOUR;
  c->deadline_s[3] = 1 * EF_HOUR;
  c->ack_t1_s = 30 * EF_MIN;
  c->ack_t2_s = 2 * EF_HOUR;
  c->repeat_s = 6 * EF_HOUR;
  c->retry_max_s = 3600;
  c->link_base = "https://mw.example.cn";
  c->receivers = f->recv;
  c->n_receivers = 7;
  c->routes = f->routes;
  c->n_routes = 3;
  c->people = f->people;
  c->n_people = 3;
  c->roster = f->shifts;
  c->n_roster = 1;

  f->cfg.timezone = "Asia/Shanghai";
  f->cfg.office_name = "吉林省生态环境厅宣教中心";
  f->cfg.outlets = f->outlets;
  f->cfg.n_outlets = EF_N_OUTLETS;
  f->cfg.topics = f->topics;
  f->cfg.n_topics = 2;
  struct mw_err err = {0};
  if (mw_tz_load("Asia/Shanghai", &f->cfg.tz, &err)) fail_msg("%s", err.msg);

  f->dir = tu_tmpdir();
  f->db = tu_path(f->dir, "mw.db");
  f->gaz = tu_path(f->dir, "places.tsv");
  FILE *g = fopen(f->gaz, "w");
  assert_non_null(g);
  fputs(GAZETTEER, g);
  fclose(g);
  c->gazetteer = f->gaz;
  return f;
}

int ef_setup(void **state) {
  struct ef *f = ef_new_config();
  struct mw_err err = {0};
  if (mw_store_open(f->db, &f->s, &err)) fail_msg("open: %s", err.msg);
  if (mw_store_sync_config(f->s, &f->cfg, &err)) fail_msg("sync: %s", err.msg);
  if (mw_alerts_new(&f->cfg, &f->a, &err)) fail_msg("engine: %s", err.msg);
  struct mw_source_state *src;
  size_t n;
  assert_int_equal(mw_store_list_sources(f->s, &src, &n, &err), MW_OK);
  assert_int_equal(n, EF_N_OUTLETS);
  for (size_t i = 0; i < n; i++)
    for (int j = 0; j < EF_N_OUTLETS; j++)
      if (!strcmp(src[i].url, f->sources[j].url)) f->src[j] = src[i].id;
  mw_store_sources_free(src, n);
  *state = f;
  return 0;
}

int ef_teardown(void **state) {
  struct ef *f = *state;
  if (!f) return 0;
  mw_alerts_free(f->a);
  mw_store_close(f->s);
  mw_tz_free(f->cfg.tz);
  tu_rmtree(f->dir);
  free(f->gaz);
  free(f->db);
  free(f->dir);
  free(f);
  return 0;
}

int64_t ef_add(struct ef *f, int outlet, const char *title, const char *text,
               uint64_t h, int64_t fetched, const char *topic) {
  char url[96];
  snprintf(url, sizeof url, "https://news.example.cn/%d/a%d.html", outlet,
           ++f->next_url);
  struct mw_err err = {0};
  struct mw_article a = {.source_id = f->src[outlet],
                         .url = url,
                         .title = title,
                         .text = text,
                         .published = MW_TIME_UNKNOWN,
                         .fetched = fetched,
                         .simhash = h,
                         .cluster_distance = h ? 3 : 0};
  int64_t id = 0;
  bool ins = false;
  if (mw_store_add_article(f->s, &a, &id, &ins, &err))
    fail_msg("add: %s", err.msg);
  assert_true(ins);
  if (topic && mw_store_add_match(f->s, id, topic, topic, &err))
    fail_msg("match: %s", err.msg);
  return id;
}

int64_t ef_cluster(struct ef *f, int64_t article) {
  int64_t c = ef_q(f, "SELECT cluster_id FROM articles WHERE id = %lld",
                   (long long)article);
  return c < 0 ? 0 : c;
}

int64_t ef_observe(struct ef *f, int outlet, const char *title,
                   const char *text, uint64_t h, int level,
                   const char *topic, int64_t fetched) {
  int64_t id = ef_add(f, outlet, title, text, h, fetched, topic);
  const char *topics[1] = {topic};
  struct mw_alert_input in = {.article_id = id,
                              .cluster_id = ef_cluster(f, id),
                              .title = title,
                              .url = "https://news.example.cn/x.html",
                              .text = text,
                              .outlet = f->outlets[outlet].name,
                              .outlet_region = f->outlets[outlet].region,
                              .topics = topics,
                              .n_topics = topic ? 1 : 0,
                              .score = 10.0 * level,
                              .level = level,
                              .reason = level ? "恶臭、投诉" : NULL};
  struct mw_err err = {0};
  int64_t alert = -1;
  if (mw_store_begin(f->s, &err)) fail_msg("begin: %s", err.msg);
  if (mw_alerts_observe(f->a, f->s, &in, fetched, &alert, &err))
    fail_msg("observe: %s", err.msg);
  if (mw_store_commit(f->s, &err)) fail_msg("commit: %s", err.msg);
  return alert;
}

void ef_tick(struct ef *f, int64_t now) {
  struct mw_err err = {0};
  if (mw_store_begin(f->s, &err)) fail_msg("begin: %s", err.msg);
  if (mw_alerts_tick(f->a, f->s, now, &err)) fail_msg("tick: %s", err.msg);
  if (mw_store_commit(f->s, &err)) fail_msg("commit: %s", err.msg);
}

int ef_apply(struct ef *f, int64_t id, enum mw_alert_action act,
             const char *actor, const char *unit, int64_t due, int64_t now,
             struct mw_err *err) {
  struct mw_alert_change c = {.action = act,
                              .actor = actor,
                              .comment = "已核实",
                              .unit = unit,
                              .due = due};
  struct mw_err e2 = {0};
  if (mw_store_begin(f->s, &e2)) fail_msg("begin: %s", e2.msg);
  int rc = mw_alerts_apply(f->a, f->s, id, &c, now, err);
  if (rc)
    mw_store_rollback(f->s);
  else if (mw_store_commit(f->s, &e2))
    fail_msg("commit: %s", e2.msg);
  return rc;
}

int64_t ef_q(struct ef *f, const char *fmt, ...) {
  char sql[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(sql, sizeof sql, fmt, ap);
  va_end(ap);
  return tu_query_int(f->db, sql);
}

char *ef_qs(struct ef *f, const char *fmt, ...) {
  char sql[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(sql, sizeof sql, fmt, ap);
  va_end(ap);
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL),
                   SQLITE_OK);
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
    fail_msg("%s: %s", sql, sqlite3_errmsg(db));
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  const unsigned char *t = sqlite3_column_text(st, 0);
  char *r = t ? strdup((const char *)t) : NULL;
  sqlite3_finalize(st);
  sqlite3_close(db);
  return r;
}

char *ef_sent(struct ef *f, int64_t after) {
  return ef_qs(f,
               "SELECT coalesce(group_concat(x, ' '), '') FROM (SELECT"
               " receiver || ':' || kind AS x FROM outbox WHERE id > %lld"
               " ORDER BY id)",
               (long long)after);
}

int64_t ef_last(struct ef *f) {
  return ef_q(f, "SELECT coalesce(max(id), 0) FROM outbox");
}

char *ef_events(struct ef *f, int64_t alert) {
  return ef_qs(f,
               "SELECT coalesce(group_concat(action, ' '), '') FROM (SELECT"
               " action FROM alert_events WHERE alert_id = %lld ORDER BY id)",
               (long long)alert);
}
