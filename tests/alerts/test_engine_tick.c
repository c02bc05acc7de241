/* Tests alerts/engine_tick.c with an injected clock: escalation after T1
 * and T2 (stopped by an acknowledgement), deadlines flagged once and
 * re-notified each repeat interval, repeats until feedback, digests at
 * the end of quiet hours and at the daily digest time, bursts against the
 * same hour of earlier weeks; every tick run twice at one now to show it
 * does nothing the second time. Ends with the whole story end to end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/alerts/engine_fixture.h"

#define WEEK (7 * 86400)
#define NIGHT (EF_T0 + 13 * EF_HOUR)     /* Monday 23:00 */
#define TUE_0700 (EF_T0 + 21 * EF_HOUR)  /* Tuesday 07:00 */
#define TUE_0800 (EF_T0 + 22 * EF_HOUR)  /* Tuesday 08:00 */

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

/* Ticks twice at now; the second must add nothing. Returns what the first
 * sent, "receiver:kind ..." (malloc'd). */
static char *tick2(struct ef *f, int64_t now) {
  int64_t mark = ef_last(f);
  int64_t events = ef_q(f, "SELECT count(*) FROM alert_events");
  ef_tick(f, now);
  int64_t after = ef_last(f);
  int64_t events_after = ef_q(f, "SELECT count(*) FROM alert_events");
  ef_tick(f, now);
  assert_int_equal(ef_last(f), after);
  assert_int_equal(ef_q(f, "SELECT count(*) FROM alert_events"), events_after);
  (void)events;
  return ef_sent(f, mark);
}

static void ack(struct ef *f, int64_t id, int64_t now) {
  struct mw_err err = {0};
  if (ef_apply(f, id, MW_ACTION_ACK, "张三", NULL, 0, now, &err))
    fail_msg("ack: %s", err.msg);
}

/* ---------------------------------------------------------- escalation */

static void test_escalation_t1_then_t2(void **state) {
  struct ef *f = *state;
  int64_t a = ef_observe(f, EF_JLRB, EF_TITLE, EF_TEXT, 0, 1, NULL, EF_T0);
  expect_str(tick2(f, EF_T0 + 29 * EF_MIN), "");
  expect_str(tick2(f, EF_T0 + 30 * EF_MIN), "李四微信:escalation");
  assert_int_equal(ef_q(f, "SELECT escalation FROM alerts"), 1);
  expect_str(tick2(f, EF_T0 + 119 * EF_MIN), "");
  expect_str(tick2(f, EF_T0 + 2 * EF_HOUR), "领导钉钉:escalation");
  assert_int_equal(ef_q(f, "SELECT escalation FROM alerts"), 2);
  expect_str(ef_events(f, a),
             "raised notified escalated notified escalated notified");
  expect_str(ef_qs(f, "SELECT group_concat(comment, ' | ') FROM (SELECT"
                      " comment FROM alert_events WHERE action = 'escalated'"
                      " ORDER BY id)"),
             "T1：30分钟未确认，转值班后续人员：李四 | "
             "T2：120分钟未确认，上报领导：赵局长");
  expect_has(ef_qs(f, "SELECT text FROM outbox WHERE kind = 'escalation' AND"
                      " receiver = '领导钉钉'"),
             EF_TITLE);
  /* Nothing more to escalate. */
  expect_str(tick2(f, EF_T0 + 5 * EF_HOUR), "");
}

static void test_both_steps_in_one_tick(void **state) {
  struct ef *f = *state;
  ef_observe(f, EF_JLRB, EF_TITLE, EF_TEXT, 0, 1, NULL, EF_T0);
  expect_str(tick2(f, EF_T0 + 3 * EF_HOUR),
             "李四微信:escalation 领导钉钉:escalation");
}

static void test_ack_stops_escalation(void **state) {
  struct ef *f = *state;
  int64_t a = ef_observe(f, EF_JLRB, EF_TITLE, EF_TEXT, 0, 1, NULL, EF_T0);
  ack(f, a, EF_T0 + 10 * EF_MIN);
  expect_str(tick2(f, EF_T0 + 3 * EF_HOUR), "");
  assert_int_equal(ef_q(f, "SELECT escalation FROM alerts"), 0);
}

/* ----------------------------------------------------- deadlines, repeat */

static void test_deadline_overdue_then_renotified(void **state) {
  struct ef *f = *state;
  int64_t a = ef_observe(f, EF_CCRB, EF_TITLE, EF_TEXT, 0, 3, NULL, EF_T0);
  ack(f, a, EF_T0 + 5 * EF_MIN);
  assert_int_equal(ef_q(f, "SELECT deadline FROM alerts"),
                   EF_T0 + 5 * EF_HOUR);
  expect_str(tick2(f, EF_T0 + 5 * EF_HOUR - 1), "");
  assert_int_equal(ef_q(f, "SELECT overdue FROM alerts"), 0);
  expect_str(tick2(f, EF_T0 + 5 * EF_HOUR),
             "值班群:overdue 张三微信:overdue 王五邮箱:overdue");
  assert_int_equal(ef_q(f, "SELECT overdue FROM alerts"), 1);
  expect_str(ef_qs(f, "SELECT comment FROM alert_events WHERE action ="
                      " 'overdue'"),
             "响应期限2023-05-08 15:00已过，督办");
  /* Flagged once; re-notified as 督办 each repeat interval after. */
  expect_str(tick2(f, EF_T0 + 11 * EF_HOUR - 1), "");
  expect_str(tick2(f, EF_T0 + 11 * EF_HOUR),
             "值班群:overdue 张三微信:overdue 王五邮箱:overdue");
  assert_int_equal(ef_q(f, "SELECT count(*) FROM alert_events WHERE action ="
                           " 'overdue'"), 1);
  assert_int_equal(ef_q(f, "SELECT notified_at FROM alerts"),
                   EF_T0 + 11 * EF_HOUR);
}

static void test_repeat_until_feedback(void **state) {
  struct ef *f = *state;
  int64_t a = ef_observe(f, EF_JLRB, EF_TITLE, EF_TEXT, 0, 1, NULL, EF_T0);
  ack(f, a, EF_T0 + EF_MIN);
  expect_str(tick2(f, EF_T0 + 6 * EF_HOUR - 1), "");
  expect_str(tick2(f, EF_T0 + 6 * EF_HOUR), "值班群:repeat 张三微信:repeat");
  expect_str(tick2(f, EF_T0 + 12 * EF_HOUR), "值班群:repeat 张三微信:repeat");
  struct mw_err err = {0};
  assert_int_equal(ef_apply(f, a, MW_ACTION_ASSIGN, "张三", "南关区环保所",
                            EF_T0 + 14 * EF_HOUR, EF_T0 + 13 * EF_HOUR, &err),
                   MW_OK);
  assert_int_equal(ef_apply(f, a, MW_ACTION_FEEDBACK, "南关区环保所", NULL, 0,
                            EF_T0 + 13 * EF_HOUR + EF_MIN, &err),
                   MW_OK);
  /* Past the due time and the repeat interval, but feedback is in. */
  expect_str(tick2(f, EF_T0 + 30 * EF_HOUR), "");
}

static void test_assignment_past_due_goes_to_unit(void **state) {
  struct ef *f = *state;
  int64_t a = ef_observe(f, EF_JLRB, EF_TITLE, EF_TEXT, 0, 2, NULL, EF_T0);
  ack(f, a, EF_T0 + EF_MIN);
  struct mw_err err = {0};
  assert_int_equal(ef_apply(f, a, MW_ACTION_ASSIGN, "张三", "长春市生态环境局",
                            EF_T0 + 2 * EF_HOUR, EF_T0 + 2 * EF_MIN, &err),
                   MW_OK);
  expect_str(tick2(f, EF_T0 + 2 * EF_HOUR - 1), "");
  expect_str(tick2(f, EF_T0 + 2 * EF_HOUR),
             "值班群:overdue 张三微信:overdue 王五邮箱:overdue "
             "长春市生态环境局:overdue");
  expect_str(ef_qs(f, "SELECT comment FROM alert_events WHERE action ="
                      " 'overdue'"),
             "交办期限2023-05-08 12:00已过，督办");
  /* A new due time starts 督办 over. */
  assert_int_equal(ef_apply(f, a, MW_ACTION_ASSIGN, "张三", "长春市生态环境局",
                            EF_T0 + 5 * EF_HOUR, EF_T0 + 3 * EF_HOUR, &err),
                   MW_OK);
  assert_int_equal(ef_q(f, "SELECT overdue FROM alerts"), 0);
  expect_str(tick2(f, EF_T0 + 5 * EF_HOUR),
             "值班群:overdue 张三微信:overdue 王五邮箱:overdue "
             "长春市生态环境局:overdue");
}

/* -------------------------------------------------------------- digests */

static void test_digest_when_quiet_hours_end(void **state) {
  struct ef *f = *state;
  int64_t a = ef_observe(f, EF_CCRB, EF_TITLE, EF_TEXT, 0, 2, NULL, NIGHT);
  ack(f, a, NIGHT + EF_MIN); /* no escalations in the way */
  assert_int_equal(ef_q(f, "SELECT count(*) FROM held"), 1);
  expect_str(tick2(f, NIGHT + 30 * EF_MIN), "");
  /* 05:00 brought a reminder, held too (06:59:59 is still quiet). */
  expect_str(tick2(f, TUE_0700 - 1), "值班群:repeat 张三微信:repeat");
  assert_int_equal(ef_q(f, "SELECT count(*) FROM held"), 2);
  expect_str(tick2(f, TUE_0700), "王五邮箱:digest");
  assert_int_equal(ef_q(f, "SELECT count(*) FROM held"), 0);
  assert_int_equal(ef_q(f, "SELECT coalesce(alert_id, 0) FROM outbox WHERE"
                           " kind = 'digest'"), 0);
  char want[512];
  snprintf(want, sizeof want, "【舆情摘要】2条\n1. 新预警：【较大】%s",
           EF_TITLE);
  expect_has(ef_qs(f, "SELECT text FROM outbox WHERE kind = 'digest'"), want);
  expect_has(ef_qs(f, "SELECT text FROM outbox WHERE kind = 'digest'"),
             "\n2. 提醒：【较大】");
  expect_has(ef_qs(f, "SELECT json FROM outbox WHERE kind = 'digest'"),
             "\"count\":2");
  expect_has(ef_qs(f, "SELECT json FROM outbox WHERE kind = 'digest'"),
             "\"receiver\":\"王五邮箱\"");
}

static void test_daily_digest(void **state) {
  struct ef *f = *state;
  f->cfg.alerts.repeat_s = 0; /* no reminders in the way */
  int64_t a = ef_observe(f, EF_JLRB, EF_TITLE, EF_TEXT, 0, 1, "垃圾分类",
                         EF_T0);
  int64_t b = ef_observe(f, EF_RMRB, "某地垃圾分类后混装混运",
                         "居民反映分类后混装混运。", 0, 1, "垃圾分类",
                         EF_T0 + 2 * EF_HOUR);
  ack(f, a, EF_T0 + 5 * EF_MIN);
  ack(f, b, EF_T0 + 2 * EF_HOUR + 5 * EF_MIN);
  assert_int_equal(ef_q(f, "SELECT count(*) FROM held WHERE receiver ="
                           " '摘要邮箱'"), 2);
  expect_str(tick2(f, EF_T0 + 6 * EF_HOUR), "");
  expect_str(tick2(f, TUE_0800 - 1), "");
  expect_str(tick2(f, TUE_0800), "摘要邮箱:digest");
  expect_has(ef_qs(f, "SELECT text FROM outbox WHERE kind = 'digest'"),
             "【舆情摘要】2条\n1. 新预警：【一般】");
  expect_has(ef_qs(f, "SELECT text FROM outbox WHERE kind = 'digest'"),
             "\n2. 新预警：【一般】某地垃圾分类后混装混运");
  assert_int_equal(ef_q(f, "SELECT count(*) FROM held"), 0);
}

/* --------------------------------------------------------------- bursts */

/* n articles on topic, first seen at t (one second apart). */
static void mentions(struct ef *f, const char *topic, int n, int64_t t) {
  for (int i = 0; i < n; i++)
    ef_add(f, EF_JLRB, "推进“无废城市”建设", "“无废城市”建设工作简报。", 0,
           t + i, topic);
}

static void test_burst_raised_rises_and_reopens(void **state) {
  struct ef *f = *state;
  for (int w = 1; w <= 4; w++)
    mentions(f, "无废城市", 1, EF_T0 - w * WEEK - 30 * EF_MIN);
  mentions(f, "无废城市", 4, EF_T0 - 40 * EF_MIN);
  mentions(f, "垃圾分类", 2, EF_T0 - 40 * EF_MIN);
  expect_str(tick2(f, EF_T0), ""); /* 4 < burst_min */
  mentions(f, "无废城市", 1, EF_T0 - 10 * EF_MIN);
  /* Mentions are counted once a minute. */
  expect_str(tick2(f, EF_T0 + 59), "");
  expect_str(tick2(f, EF_T0 + 60), "值班群:alert 张三微信:alert");
  expect_str(ef_qs(f, "SELECT key || ' ' || kind || ' ' || level || ' ' ||"
                      " topic FROM alerts"),
             "burst:无废城市 burst 1 无废城市");
  expect_str(ef_qs(f, "SELECT reason FROM alerts"),
             "近1小时「无废城市」相关报道5篇，前4周同一时段平均1.0篇");
  assert_int_equal(ef_q(f, "SELECT deadline FROM alerts"),
                   EF_T0 + 60 + 24 * EF_HOUR);
  /* Twice the threshold: level 2, the same alert. */
  mentions(f, "无废城市", 5, EF_T0 + 62);
  expect_str(tick2(f, EF_T0 + 120), "值班群:rose 张三微信:rose");
  assert_int_equal(ef_q(f, "SELECT count(*) FROM alerts"), 1);
  assert_int_equal(ef_q(f, "SELECT level FROM alerts"), 2);
  /* Closed, a burst still going raises a new alert with its own key. */
  int64_t id = ef_q(f, "SELECT id FROM alerts");
  struct mw_err err = {0};
  ack(f, id, EF_T0 + 130);
  assert_int_equal(ef_apply(f, id, MW_ACTION_CLOSE, "张三", NULL, 0,
                            EF_T0 + 140, &err),
                   MW_OK);
  expect_str(tick2(f, EF_T0 + 180), "值班群:alert 张三微信:alert");
  char key[64];
  snprintf(key, sizeof key, "burst:无废城市:%lld", (long long)(EF_T0 + 180));
  expect_str(ef_qs(f, "SELECT key FROM alerts WHERE state = 'new'"), key);
  assert_int_equal(ef_q(f, "SELECT level FROM alerts WHERE state = 'new'"), 2);
}

static void test_burst_against_baseline(void **state) {
  struct ef *f = *state;
  /* No history: the baseline counts as 1, so 5 mentions are a burst. */
  mentions(f, "垃圾分类", 5, EF_T0 - 20 * EF_MIN);
  /* 4 a week before: 10 is 250 %, under 300 %. */
  for (int w = 1; w <= 4; w++)
    mentions(f, "无废城市", 4, EF_T0 - w * WEEK - 50 * EF_MIN);
  mentions(f, "无废城市", 10, EF_T0 - 20 * EF_MIN);
  /* An hour ago is not the last hour. */
  mentions(f, "无废城市", 5, EF_T0 - 2 * EF_HOUR);
  ef_tick(f, EF_T0);
  expect_str(ef_qs(f, "SELECT group_concat(key, ' ') FROM (SELECT key FROM"
                      " alerts ORDER BY id)"),
             "burst:垃圾分类");
  mentions(f, "无废城市", 2, EF_T0 - 10 * EF_MIN); /* 12: 300 % */
  /* Mentions are counted once a minute: not yet. */
  ef_tick(f, EF_T0 + 30);
  assert_int_equal(ef_q(f, "SELECT count(*) FROM alerts"), 1);
  ef_tick(f, EF_T0 + 60);
  expect_str(ef_qs(f, "SELECT group_concat(x, ' ') FROM (SELECT key || '='"
                      " || level AS x FROM alerts ORDER BY id)"),
             "burst:垃圾分类=1 burst:无废城市=1");
}

/* ------------------------------------------------------------ the story */

static void test_end_to_end(void **state) {
  struct ef *f = *state;
  int64_t t = EF_T0 + 12 * EF_HOUR + 30 * EF_MIN; /* Monday 22:30 */
  int64_t a = ef_observe(f, EF_JLRB, EF_TITLE, EF_TEXT, EF_STORY, 1,
                         "垃圾分类", t);
  assert_true(a > 0);
  expect_str(ef_sent(f, 0), "值班群:alert 张三微信:alert");
  assert_int_equal(ef_observe(f, EF_ZGJLW, EF_TITLE, EF_TEXT, EF_STORY, 1,
                              "垃圾分类", t + EF_MIN),
                   a);
  int64_t mark = ef_last(f);
  assert_int_equal(ef_observe(f, EF_RMRB, EF_TITLE, EF_TEXT, EF_STORY, 1,
                              "垃圾分类", t + 2 * EF_MIN),
                   a);
  assert_int_equal(ef_q(f, "SELECT count(*) FROM alerts"), 1);
  assert_int_equal(ef_q(f, "SELECT level FROM alerts"), 2);
  /* 王五 is quiet at 22:32: his copy waits. */
  expect_str(ef_sent(f, mark), "值班群:rose 张三微信:rose");
  expect_str(ef_qs(f, "SELECT group_concat(receiver, ' ') FROM (SELECT"
                      " receiver FROM held ORDER BY id)"),
             "摘要邮箱 王五邮箱 摘要邮箱");
  char *text = ef_qs(f, "SELECT text FROM outbox WHERE receiver = '值班群'"
                        " AND kind = 'rose'");
  assert_non_null(strstr(text, "属地:吉林省长春市朝阳区"));
  assert_non_null(strstr(text, "媒体:吉林日报、中国吉林网、人民日报"));
  free(text);
  text = ef_qs(f, "SELECT text FROM outbox WHERE receiver = '张三微信' AND"
                  " kind = 'rose'");
  assert_non_null(strstr(text, "属地"));
  assert_non_null(strstr(text, "吉林省长春市朝阳区"));
  assert_non_null(strstr(text, "人民日报"));
  assert_non_null(strstr(text, "已被3家媒体转载"));
  char link[96];
  snprintf(link, sizeof link, "https://mw.example.cn/alerts/%lld",
           (long long)a);
  assert_non_null(strstr(text, link));
  free(text);

  expect_str(tick2(f, t + 29 * EF_MIN), "");
  expect_str(tick2(f, t + 30 * EF_MIN), "李四微信:escalation");
  expect_str(tick2(f, t + 2 * EF_HOUR), "领导钉钉:escalation");
  /* 07:00: the quiet hours end. The 6-hour reminder is due too (last
   * notified 00:30); 王五 gets it at once, and the night's line as a
   * digest. */
  expect_str(tick2(f, TUE_0700),
             "值班群:repeat 张三微信:repeat 王五邮箱:repeat 王五邮箱:digest");
  char want[512];
  snprintf(want, sizeof want, "【舆情摘要】1条\n1. 级别升高：【较大】%s",
           EF_TITLE);
  expect_has(ef_qs(f, "SELECT text FROM outbox WHERE receiver = '王五邮箱'"
                      " AND kind = 'digest'"),
             want);

  /* Closing an alert nobody has acknowledged is refused, with why. */
  struct mw_err err = {0};
  assert_int_equal(ef_apply(f, a, MW_ACTION_CLOSE, "张三", NULL, 0,
                            TUE_0700 + EF_MIN, &err),
                   MW_EINVAL);
  assert_non_null(strstr(err.msg, "reported"));
  expect_str(ef_qs(f, "SELECT state FROM alerts"), "new");
  ack(f, a, TUE_0700 + 5 * EF_MIN);
  /* 08:00: the daily digest of 垃圾分类 (raised, rose, reminder). */
  expect_str(tick2(f, TUE_0800), "摘要邮箱:digest");
  expect_has(ef_qs(f, "SELECT text FROM outbox WHERE receiver = '摘要邮箱'"),
             "【舆情摘要】3条\n");
  expect_str(ef_events(f, a),
             "raised notified spread rose notified escalated notified "
             "escalated notified notified ack");
}

int main(void) {
#define T(fn) cmocka_unit_test_setup_teardown(fn, ef_setup, ef_teardown)
  const struct CMUnitTest tests[] = {
      T(test_escalation_t1_then_t2),
      T(test_both_steps_in_one_tick),
      T(test_ack_stops_escalation),
      T(test_deadline_overdue_then_renotified),
      T(test_repeat_until_feedback),
      T(test_assignment_past_due_goes_to_unit),
      T(test_digest_when_quiet_hours_end),
      T(test_daily_digest),
      T(test_burst_raised_rises_and_reopens),
      T(test_burst_against_baseline),
      T(test_end_to_end),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
