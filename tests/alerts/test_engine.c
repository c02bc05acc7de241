/* Tests alerts/engine.c and alerts/engine_notify.c: building the engine
 * (unknown names refused), an article's sensitivity and 属地, one alert per
 * reprint cluster, levels rising with later articles and once with spread
 * (cluster or topic in one region), deadlines following the level,
 * silences, routing (duty, regions, topics, leaders for level 4), each
 * receiver's own rendered text, and quiet receivers' held lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/alerts/engine_fixture.h"
#include "tests/store/store_test_util.h"

#define A_NEWS "关于推进“无废城市”建设宣传工作的通知"
#define A_TEXT                                                          \
  "为增强公众对“无废城市”建设的认识，培育“无废”理念，制定宣传工作方案。"

static void expect_str(char *got, const char *want) {
  assert_non_null(got);
  assert_string_equal(got, want);
  free(got);
}

static void expect_has(char *got, const char *part) {
  assert_non_null(got);
  if (!strstr(got, part)) fail_msg("\"%s\" lacks \"%s\"", got, part);
  free(got);
}

/* ------------------------------------------------------------ building */

static void expect_new_fails(struct ef *f, const char *part) {
  struct mw_alerts *a = (struct mw_alerts *)1;
  struct mw_err err = {0};
  assert_int_equal(mw_alerts_new(&f->cfg, &a, &err), MW_EINVAL);
  assert_null(a);
  if (!strstr(err.msg, part)) fail_msg("\"%s\" lacks \"%s\"", err.msg, part);
}

static void test_new_refuses_unknown_names(void **state) {
  (void)state;
  struct ef *f = ef_new_config();
  struct mw_alerts *a = NULL;
  struct mw_err err = {0};
  assert_int_equal(mw_alerts_new(&f->cfg, &a, &err), MW_OK);
  assert_non_null(mw_alerts_gazetteer(a));
  mw_alerts_free(a);

  static char *typo[] = {"duty", "值班君"};
  f->routes[0].receivers = typo;
  expect_new_fails(f, "值班君");
  expect_new_fails(f, "line 80");
  static char *ok[] = {"duty", "值班群"};
  f->routes[0].receivers = ok;

  static char *bad_person[] = {"赵局长手机"};
  f->people[2].receivers = bad_person;
  expect_new_fails(f, "赵局长手机");
  static char *zhao[] = {"领导钉钉"};
  f->people[2].receivers = zhao;

  static char *nobody[] = {"张三", "钱七"};
  f->shifts[0].people = nobody;
  expect_new_fails(f, "钱七");
  static char *people[] = {"张三", "李四"};
  f->shifts[0].people = people;

  char *missing = tu_path(f->dir, "no-such-places.tsv");
  f->cfg.alerts.gazetteer = missing;
  struct mw_alerts *b = NULL;
  assert_int_not_equal(mw_alerts_new(&f->cfg, &b, &err), MW_OK);
  assert_null(b);
  assert_non_null(strstr(err.msg, "gazetteer"));
  f->cfg.alerts.gazetteer = NULL;
  assert_int_equal(mw_alerts_new(&f->cfg, &b, &err), MW_OK);
  assert_null(mw_alerts_gazetteer(b));
  mw_alerts_free(b);
  mw_alerts_free(NULL);
  /* No zone loaded by a loader: the engine loads the named one. */
  struct mw_tz *tz = f->cfg.tz;
  f->cfg.tz = NULL;
  assert_int_equal(mw_alerts_new(&f->cfg, &b, &err), MW_OK);
  mw_alerts_free(b);
  f->cfg.tz = tz;
  free(missing);
  void *st = f;
  ef_teardown(&st);
}

/* ------------------------------------------------------------- observe */

static void test_level0_records_sensitivity_only(void **state) {
  struct ef *f = *state;
  int64_t alert = ef_observe(f, EF_CCRB, EF_TITLE, EF_TEXT, 0, 0, "垃圾分类",
                             EF_T0);
  assert_int_equal(alert, 0);
  int64_t art = ef_q(f, "SELECT max(id) FROM articles");
  /* Scoring nothing, in no story: nothing kept beside the article. */
  assert_int_equal(
      ef_q(f, "SELECT count(*) FROM article_sensitivity WHERE article_id = %lld",
           (long long)art),
      0);
  assert_int_equal(ef_q(f, "SELECT count(*) FROM alerts"), 0);
  assert_int_equal(ef_last(f), 0);
  assert_int_equal(ef_q(f, "SELECT count(*) FROM held"), 0);
}

static void test_observe_errors(void **state) {
  struct ef *f = *state;
  struct mw_err err = {0};
  int64_t id = -1;
  struct mw_alert_input in = {.article_id = 424242, .title = EF_TITLE,
                              .text = EF_TEXT, .level = 2};
  assert_int_equal(mw_alerts_observe(f->a, f->s, &in, EF_T0, &id, &err),
                   MW_ENOTFOUND);
  assert_int_equal(id, 0);
  assert_int_equal(mw_alerts_observe(f->a, f->s, NULL, EF_T0, &id, &err),
                   MW_EINVAL);
  assert_int_equal(ef_q(f, "SELECT count(*) FROM alerts"), 0);
}

static void test_raise_routes_and_renders(void **state) {
  struct ef *f = *state;
  int64_t alert = ef_observe(f, EF_JLRB, EF_TITLE, EF_TEXT, 0, 1, "垃圾分类",
                             EF_T0);
  assert_true(alert > 0);
  int64_t art = ef_q(f, "SELECT max(id) FROM articles");
  struct mw_alert_rec r = {0};
  struct mw_err err = {0};
  assert_int_equal(mw_store_alert_get(f->s, alert, &r, &err), MW_OK);
  char key[64];
  snprintf(key, sizeof key, "article:%lld", (long long)art);
  assert_string_equal(r.key, key);
  assert_string_equal(r.kind, "article");
  assert_string_equal(r.state, "new");
  assert_string_equal(r.region, "吉林省长春市朝阳区");
  assert_string_equal(r.topic, "垃圾分类");
  assert_string_equal(r.title, EF_TITLE);
  assert_string_equal(r.reason, "恶臭、投诉");
  assert_int_equal(r.level, 1);
  assert_int_equal(r.article_id, art);
  assert_int_equal(r.cluster_id, 0);
  assert_int_equal(r.created, EF_T0);
  assert_int_equal(r.deadline, EF_T0 + 24 * EF_HOUR);
  assert_int_equal(r.notified_at, EF_T0);
  assert_int_equal(r.notified_level, 1);
  assert_int_equal(r.silence_id, 0);
  assert_int_equal(r.article_count, 1);
  mw_alert_rec_cleanup(&r);
  assert_int_equal(
      ef_q(f, "SELECT level FROM article_sensitivity WHERE article_id = %lld",
           (long long)art),
      1);
  expect_str(ef_qs(f,
                   "SELECT region FROM article_sensitivity WHERE article_id = "
                   "%lld",
                   (long long)art),
             "吉林省长春市朝阳区");

  /* Duty (张三, first of the shift) and 值班群; 王五 only from level 2;
   * the 垃圾分类 digest receiver holds a line instead. */
  expect_str(ef_sent(f, 0), "值班群:alert 张三微信:alert");
  assert_int_equal(ef_q(f, "SELECT count(*) FROM held WHERE receiver ="
                           " '摘要邮箱' AND alert_id = %lld", (long long)alert),
                   1);
  expect_has(ef_qs(f, "SELECT line FROM held"), EF_TITLE);
  /* Each receiver's own text: 值班群 with its template. */
  char want[512];
  snprintf(want, sizeof want, "|一般|%s|属地:吉林省长春市朝阳区|媒体:吉林日报",
           EF_TITLE);
  expect_has(ef_qs(f, "SELECT text FROM outbox WHERE receiver = '值班群'"),
             want);
  expect_has(ef_qs(f, "SELECT text FROM outbox WHERE receiver = '张三微信'"),
             EF_TITLE);
  expect_has(ef_qs(f, "SELECT json FROM outbox WHERE receiver = '张三微信'"),
             "\"region\":\"吉林省长春市朝阳区\"");
  expect_has(ef_qs(f, "SELECT json FROM outbox WHERE receiver = '值班群'"),
             "\"event\":\"alert\"");
  assert_int_equal(ef_q(f, "SELECT count(*) FROM outbox WHERE alert_id = %lld"
                           " AND created = %lld AND next_at <= %lld",
                        (long long)alert, (long long)EF_T0, (long long)EF_T0),
                   2);
  expect_str(ef_events(f, alert), "raised notified");
  expect_str(ef_qs(f, "SELECT comment FROM alert_events WHERE action ="
                      " 'notified'"),
             "alert：值班群、张三微信；暂存待摘要（alert）：摘要邮箱");
  expect_str(ef_qs(f, "SELECT actor FROM alert_events WHERE action ="
                      " 'raised'"),
             "mediawatch");

  /* The same article again: nothing new. */
  struct mw_alert_input in = {.article_id = art, .title = EF_TITLE,
                              .text = EF_TEXT, .outlet = "吉林日报",
                              .outlet_region = "吉林省", .level = 1};
  int64_t again = 0;
  assert_int_equal(mw_alerts_observe(f->a, f->s, &in, EF_T0 + 5, &again, &err),
                   MW_OK);
  assert_int_equal(again, alert);
  assert_int_equal(ef_last(f), 2);
  assert_int_equal(ef_q(f, "SELECT count(*) FROM alerts"), 1);
}

static void test_region_falls_back_to_outlet(void **state) {
  struct ef *f = *state;
  int64_t a1 = ef_observe(f, EF_JLRB, "生活垃圾焚烧厂周边居民投诉",
                          "居民反映焚烧厂夜间异味。", 0, 1, NULL, EF_T0);
  expect_str(ef_qs(f, "SELECT region FROM alerts WHERE id = %lld",
                   (long long)a1),
             "吉林省");
  int64_t a2 = ef_observe(f, EF_CCRB, "某小区垃圾站异味", "居民反映异味。",
                          0, 1, NULL, EF_T0);
  expect_str(ef_qs(f, "SELECT region FROM alerts WHERE id = %lld",
                   (long long)a2),
             "吉林省长春市");
  int64_t a3 = ef_observe(f, EF_RMRB, "某地河道出现死鱼", "村民称河道死鱼。",
                          0, 1, NULL, EF_T0);
  assert_int_equal(ef_q(f, "SELECT region IS NULL FROM alerts WHERE id = %lld",
                        (long long)a3), 1);
  /* A place in the text wins over the outlet's region. */
  int64_t a4 = ef_observe(f, EF_JLRB, "黔江区偷排调查", "黔江区一企业偷排。", 0,
                          1, NULL, EF_T0);
  expect_str(ef_qs(f, "SELECT region FROM alerts WHERE id = %lld",
                   (long long)a4),
             "重庆市黔江区");
}

static void test_cluster_groups_and_spread_raises_once(void **state) {
  struct ef *f = *state;
  int64_t a = ef_observe(f, EF_JLRB, EF_TITLE, EF_TEXT, EF_STORY, 1,
                         "垃圾分类", EF_T0);
  int64_t first = ef_q(f, "SELECT max(id) FROM articles");
  int64_t cluster = ef_cluster(f, first);
  assert_true(cluster > 0);
  char key[64];
  snprintf(key, sizeof key, "cluster:%lld", (long long)cluster);
  expect_str(ef_qs(f, "SELECT key FROM alerts WHERE id = %lld", (long long)a),
             key);
  int64_t mark = ef_last(f);

  /* A reprint: same alert, one more article, nobody told again. */
  assert_int_equal(ef_observe(f, EF_ZGJLW, EF_TITLE, EF_TEXT, EF_STORY, 1,
                              "垃圾分类", EF_T0 + 10 * EF_MIN),
                   a);
  assert_int_equal(ef_last(f), mark);
  assert_int_equal(ef_q(f, "SELECT count(*) FROM alert_articles WHERE"
                           " alert_id = %lld", (long long)a), 2);
  assert_int_equal(ef_q(f, "SELECT level FROM alerts"), 1);

  /* A third outlet: spread raises it one level, once. */
  assert_int_equal(ef_observe(f, EF_RMRB, EF_TITLE, EF_TEXT, EF_STORY, 1,
                              "垃圾分类", EF_T0 + 20 * EF_MIN),
                   a);
  assert_int_equal(ef_q(f, "SELECT level FROM alerts"), 2);
  expect_has(ef_qs(f, "SELECT reason FROM alerts"), "已被3家媒体转载");
  assert_int_equal(ef_q(f, "SELECT deadline FROM alerts"),
                   EF_T0 + 12 * EF_HOUR);
  expect_str(ef_sent(f, mark),
             "值班群:rose 张三微信:rose 王五邮箱:rose");
  expect_has(ef_qs(f, "SELECT text FROM outbox WHERE receiver = '值班群' AND"
                      " kind = 'rose'"),
             "|较大|");
  expect_has(ef_qs(f, "SELECT text FROM outbox WHERE receiver = '值班群' AND"
                      " kind = 'rose'"),
             "媒体:吉林日报、中国吉林网、人民日报");
  expect_str(ef_events(f, a), "raised notified spread rose notified");
  assert_int_equal(ef_q(f, "SELECT notified_level FROM alerts"), 2);
  mark = ef_last(f);

  /* A fourth outlet: already spread, no second raise. */
  assert_int_equal(ef_observe(f, EF_CCRB, EF_TITLE, EF_TEXT, EF_STORY, 1,
                              "垃圾分类", EF_T0 + 30 * EF_MIN),
                   a);
  assert_int_equal(ef_q(f, "SELECT level FROM alerts"), 2);
  assert_int_equal(ef_last(f), mark);
  assert_int_equal(ef_q(f, "SELECT count(*) FROM alert_events WHERE action ="
                           " 'spread'"), 1);

  /* A reprint that is not sensitive by itself still joins the story. */
  assert_int_equal(ef_observe(f, EF_CCRB, EF_TITLE, EF_TEXT, EF_STORY, 0,
                              NULL, EF_T0 + 35 * EF_MIN),
                   a);
  assert_int_equal(ef_q(f, "SELECT count(*) FROM alert_articles"), 5);
  assert_int_equal(ef_last(f), mark);

  /* A copy scoring 重大: spread keeps the story a level above, 特别重大,
   * so the leader hears at once and the deadline shortens. */
  assert_int_equal(ef_observe(f, EF_JLRB, EF_TITLE, EF_TEXT, EF_STORY, 3,
                              "垃圾分类", EF_T0 + 40 * EF_MIN),
                   a);
  assert_int_equal(ef_q(f, "SELECT level FROM alerts"), 4);
  assert_int_equal(ef_q(f, "SELECT deadline FROM alerts"), EF_T0 + EF_HOUR);
  /* 特别重大 is never held: the digest receiver gets it at once too. */
  expect_str(ef_sent(f, mark), "值班群:rose 张三微信:rose 王五邮箱:rose "
                               "领导钉钉:rose 摘要邮箱:rose");
  assert_int_equal(ef_q(f, "SELECT count(*) FROM alerts"), 1);
}

/* The copies came first and scored nothing (a reprint may drop the
 * sensitive title); the original then raises the alert with every outlet
 * that carried the story, spread counted at once. */
static void test_alert_raised_late_takes_earlier_copies(void **state) {
  struct ef *f = *state;
  assert_int_equal(ef_observe(f, EF_ZGJLW, EF_TITLE, EF_TEXT, EF_STORY, 0,
                              NULL, EF_T0),
                   0);
  assert_int_equal(ef_observe(f, EF_RMRB, EF_TITLE, EF_TEXT, EF_STORY, 0,
                              NULL, EF_T0 + 5 * EF_MIN),
                   0);
  assert_int_equal(ef_q(f, "SELECT count(*) FROM alerts"), 0);
  int64_t a = ef_observe(f, EF_JLRB, EF_TITLE, EF_TEXT, EF_STORY, 1,
                         "垃圾分类", EF_T0 + 10 * EF_MIN);
  assert_true(a > 0);
  assert_int_equal(ef_q(f, "SELECT count(*) FROM alert_articles WHERE"
                           " alert_id = %lld", (long long)a), 3);
  assert_int_equal(ef_q(f, "SELECT level FROM alerts"), 2);
  expect_has(ef_qs(f, "SELECT text FROM outbox WHERE receiver = '值班群'"),
             "中国吉林网");
  expect_has(ef_qs(f, "SELECT text FROM outbox WHERE receiver = '值班群'"),
             "人民日报");
}

static void test_spread_outside_window_does_not_count(void **state) {
  struct ef *f = *state;
  int64_t a = ef_observe(f, EF_JLRB, EF_TITLE, EF_TEXT, EF_STORY, 1, NULL,
                         EF_T0 - 3 * 86400);
  ef_observe(f, EF_ZGJLW, EF_TITLE, EF_TEXT, EF_STORY, 1, NULL, EF_T0);
  assert_int_equal(ef_observe(f, EF_RMRB, EF_TITLE, EF_TEXT, EF_STORY, 1, NULL,
                              EF_T0 + 60),
                   a);
  assert_int_equal(ef_q(f, "SELECT level FROM alerts"), 1);
}

static void test_topic_spread_in_one_region(void **state) {
  struct ef *f = *state;
  /* Three different complaints in 朝阳区 on 无废城市, three outlets. */
  int64_t a1 = ef_observe(f, EF_JLRB, "朝阳区无废城市建设形式主义",
                          "朝阳区有居民反映形式主义。", 0, 1, "无废城市",
                          EF_T0);
  int64_t a2 = ef_observe(f, EF_ZGJLW, "朝阳区回收站点混装混运",
                          "朝阳区回收站点混装混运。", 0, 1, "无废城市",
                          EF_T0 + EF_MIN);
  /* Another topic in the region does not count. */
  int64_t other = ef_observe(f, EF_RMRB, "朝阳区垃圾站恶臭",
                             "朝阳区垃圾站恶臭。", 0, 1, "垃圾分类",
                             EF_T0 + 2 * EF_MIN);
  assert_int_equal(ef_q(f, "SELECT level FROM alerts WHERE id = %lld",
                        (long long)other), 1);
  int64_t a3 = ef_observe(f, EF_CCRB, "朝阳区无废细胞创建走过场",
                          "朝阳区无废细胞创建走过场。", 0, 1, "无废城市",
                          EF_T0 + 3 * EF_MIN);
  assert_int_equal(ef_q(f, "SELECT level FROM alerts WHERE id = %lld",
                        (long long)a1), 1);
  assert_int_equal(ef_q(f, "SELECT level FROM alerts WHERE id = %lld",
                        (long long)a2), 1);
  assert_int_equal(ef_q(f, "SELECT level FROM alerts WHERE id = %lld",
                        (long long)a3), 2);
  expect_has(ef_qs(f, "SELECT reason FROM alerts WHERE id = %lld",
                   (long long)a3),
             "「无废城市」在吉林省长春市朝阳区已有3家媒体报道");
  expect_str(ef_events(f, a3), "raised spread notified");
  expect_str(ef_qs(f, "SELECT group_concat(receiver, ' ') FROM (SELECT"
                      " receiver FROM outbox WHERE alert_id = %lld ORDER BY"
                      " id)", (long long)a3),
             "值班群 张三微信 王五邮箱");
}

/* ------------------------------------------------------------ silences */

static int64_t add_silence(struct ef *f, const char *topic, const char *region,
                           const char *term) {
  struct mw_silence si = {.topic = (char *)topic,
                          .region = (char *)region,
                          .term = (char *)term,
                          .starts = EF_T0 - EF_HOUR,
                          .ends = EF_T0 + 86400,
                          .created_by = "张三",
                          .reason = "已知问题，正在处置",
                          .created = EF_T0 - EF_HOUR};
  int64_t id = 0;
  struct mw_err err = {0};
  if (mw_store_silence_add(f->s, &si, &id, &err)) fail_msg("%s", err.msg);
  return id;
}

static void test_silences(void **state) {
  struct ef *f = *state;
  add_silence(f, NULL, "重庆市", NULL);   /* elsewhere */
  add_silence(f, "无废城市", NULL, NULL); /* another topic */
  int64_t a = ef_observe(f, EF_JLRB, EF_TITLE, EF_TEXT, 0, 2, "垃圾分类",
                         EF_T0);
  assert_int_equal(ef_q(f, "SELECT silence_id IS NULL OR silence_id = 0 FROM"
                           " alerts WHERE id = %lld", (long long)a), 1);
  int64_t mark = ef_last(f);
  assert_true(mark > 0);

  /* Region within, topic equal: silenced, recorded, nobody told. */
  int64_t sid = add_silence(f, "垃圾分类", "长春市", NULL);
  int64_t b = ef_observe(f, EF_CCRB, EF_TITLE, EF_TEXT, 0, 3, "垃圾分类",
                         EF_T0 + EF_MIN);
  assert_true(b > 0);
  assert_int_equal(ef_q(f, "SELECT silence_id FROM alerts WHERE id = %lld",
                        (long long)b), sid);
  expect_str(ef_events(f, b), "raised silenced");
  expect_has(ef_qs(f, "SELECT comment FROM alert_events WHERE alert_id = %lld"
                      " AND action = 'silenced'", (long long)b),
             "已知问题，正在处置");
  assert_int_equal(ef_last(f), mark);
  assert_int_equal(ef_q(f, "SELECT count(*) FROM held WHERE alert_id = %lld",
                        (long long)b), 0);
  /* Never escalated either. */
  ef_tick(f, EF_T0 + 3 * EF_HOUR);
  assert_int_equal(ef_q(f, "SELECT count(*) FROM outbox WHERE alert_id ="
                           " %lld", (long long)b), 0);
  assert_int_equal(ef_q(f, "SELECT escalation FROM alerts WHERE id = %lld",
                        (long long)b), 0);

  /* A term in the body. */
  int64_t tid = add_silence(f, NULL, NULL, "混装混运");
  int64_t c = ef_observe(f, EF_RMRB, "某地垃圾清运问题", EF_TEXT, 0, 1, NULL,
                         EF_T0 + 2 * EF_MIN);
  assert_int_equal(ef_q(f, "SELECT silence_id FROM alerts WHERE id = %lld",
                        (long long)c), tid);
}

/* ------------------------------------------------------- quiet receivers */

static void test_quiet_receiver_holds_levels_1_2(void **state) {
  struct ef *f = *state;
  int64_t night = EF_T0 + 13 * EF_HOUR; /* Monday 23:00 */
  int64_t a = ef_observe(f, EF_CCRB, EF_TITLE, EF_TEXT, 0, 2, NULL, night);
  expect_str(ef_sent(f, 0), "值班群:alert 张三微信:alert");
  expect_str(ef_qs(f, "SELECT group_concat(receiver || '@' || at, ' ') FROM"
                      " held"),
             "王五邮箱@1683558000");
  expect_has(ef_qs(f, "SELECT line FROM held"), "【较大】");
  expect_has(ef_qs(f, "SELECT comment FROM alert_events WHERE alert_id = %lld"
                      " AND action = 'notified'", (long long)a),
             "暂存待摘要（alert）：王五邮箱");
  /* 重大 is never held back. */
  int64_t mark = ef_last(f);
  ef_observe(f, EF_CCRB, "朝阳区危废泄漏", "朝阳区一企业危废泄漏。", 0, 3,
             NULL, night + EF_MIN);
  expect_str(ef_sent(f, mark), "值班群:alert 张三微信:alert 王五邮箱:alert");
  assert_int_equal(ef_q(f, "SELECT count(*) FROM held"), 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_new_refuses_unknown_names),
      cmocka_unit_test_setup_teardown(test_level0_records_sensitivity_only,
                                      ef_setup, ef_teardown),
      cmocka_unit_test_setup_teardown(test_observe_errors, ef_setup,
                                      ef_teardown),
      cmocka_unit_test_setup_teardown(test_raise_routes_and_renders, ef_setup,
                                      ef_teardown),
      cmocka_unit_test_setup_teardown(test_region_falls_back_to_outlet,
                                      ef_setup, ef_teardown),
      cmocka_unit_test_setup_teardown(
          test_cluster_groups_and_spread_raises_once, ef_setup, ef_teardown),
      cmocka_unit_test_setup_teardown(
          test_alert_raised_late_takes_earlier_copies, ef_setup, ef_teardown),
      cmocka_unit_test_setup_teardown(
          test_spread_outside_window_does_not_count, ef_setup, ef_teardown),
      cmocka_unit_test_setup_teardown(test_topic_spread_in_one_region,
                                      ef_setup, ef_teardown),
      cmocka_unit_test_setup_teardown(test_silences, ef_setup, ef_teardown),
      cmocka_unit_test_setup_teardown(test_quiet_receiver_holds_levels_1_2,
                                      ef_setup, ef_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
