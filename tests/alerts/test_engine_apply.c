/* Tests alerts/engine_apply.c: workflow steps with their audit trail
 * (actor, time, states, comment), an assignment's default due time and
 * its notification to the route receivers and the unit (a receiver or a
 * person named so), and every refusal with its message: no actor, no
 * unit, an unknown alert, a step the state does not allow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/alerts/engine_fixture.h"

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

static void test_ack_records_who_and_when(void **state) {
  struct ef *f = *state;
  int64_t a = ef_observe(f, EF_JLRB, EF_TITLE, EF_TEXT, 0, 1, NULL, EF_T0);
  int64_t mark = ef_last(f);
  struct mw_err err = {0};
  assert_int_equal(ef_apply(f, a, MW_ACTION_ACK, "张三", NULL, 0,
                            EF_T0 + 5 * EF_MIN, &err),
                   MW_OK);
  struct mw_alert_rec r = {0};
  assert_int_equal(mw_store_alert_get(f->s, a, &r, &err), MW_OK);
  assert_string_equal(r.state, "reported");
  assert_string_equal(r.acked_by, "张三");
  assert_int_equal(r.acked_at, EF_T0 + 5 * EF_MIN);
  assert_int_equal(r.updated, EF_T0 + 5 * EF_MIN);
  mw_alert_rec_cleanup(&r);
  expect_str(ef_qs(f, "SELECT actor || '|' || at || '|' || action || '|' ||"
                      " from_state || '|' || to_state || '|' || comment FROM"
                      " alert_events WHERE alert_id = %lld AND action = 'ack'",
                   (long long)a),
             "张三|1683511500|ack|new|reported|已核实");
  assert_int_equal(ef_last(f), mark); /* nobody is told of an ack */
}

static void test_refusals_say_why(void **state) {
  struct ef *f = *state;
  int64_t a = ef_observe(f, EF_JLRB, EF_TITLE, EF_TEXT, 0, 1, NULL, EF_T0);
  int64_t events = ef_q(f, "SELECT count(*) FROM alert_events");
  struct mw_err err = {0};

  assert_int_equal(ef_apply(f, a, MW_ACTION_ACK, NULL, NULL, 0, EF_T0, &err),
                   MW_EINVAL);
  assert_non_null(strstr(err.msg, "actor"));
  assert_int_equal(ef_apply(f, a, MW_ACTION_ACK, "", NULL, 0, EF_T0, &err),
                   MW_EINVAL);
  assert_non_null(strstr(err.msg, "actor"));

  assert_int_equal(ef_apply(f, 99999, MW_ACTION_ACK, "张三", NULL, 0, EF_T0,
                            &err),
                   MW_ENOTFOUND);
  assert_non_null(strstr(err.msg, "99999"));

  /* new: only ack is allowed. */
  assert_int_equal(ef_apply(f, a, MW_ACTION_CLOSE, "张三", NULL, 0, EF_T0,
                            &err),
                   MW_EINVAL);
  assert_non_null(strstr(err.msg, "close is allowed from reported, feedback"));
  assert_int_equal(ef_apply(f, a, MW_ACTION_ASSIGN, "张三", "长春市生态环境局",
                            0, EF_T0, &err),
                   MW_EINVAL);
  assert_non_null(strstr(err.msg, "assign is allowed from reported"));

  assert_int_equal(ef_apply(f, a, MW_ACTION_ACK, "张三", NULL, 0, EF_T0 + 1,
                            &err),
                   MW_OK);
  assert_int_equal(ef_apply(f, a, MW_ACTION_ASSIGN, "张三", NULL, 0,
                            EF_T0 + 2, &err),
                   MW_EINVAL);
  assert_non_null(strstr(err.msg, "unit"));
  assert_int_equal(ef_apply(f, a, MW_ACTION_ASSIGN, "张三", "", 0, EF_T0 + 2,
                            &err),
                   MW_EINVAL);
  assert_int_equal(ef_apply(f, a, MW_ACTION_FEEDBACK, "张三", NULL, 0,
                            EF_T0 + 2, &err),
                   MW_EINVAL);
  assert_non_null(strstr(err.msg, "feedback is allowed from assigned"));
  assert_int_equal(ef_apply(f, a, MW_ACTION_ACK, "张三", NULL, 0, EF_T0 + 3,
                            &err),
                   MW_EINVAL);
  struct mw_alert_change bad = {.action = MW_ACTION_COUNT, .actor = "张三"};
  assert_int_equal(mw_alerts_apply(f->a, f->s, a, &bad, EF_T0, &err),
                   MW_EINVAL);

  expect_str(ef_qs(f, "SELECT state FROM alerts"), "reported");
  assert_int_equal(ef_q(f, "SELECT count(*) FROM alert_events"), events + 1);
}

static void test_assign_and_follow_through(void **state) {
  struct ef *f = *state;
  int64_t a = ef_observe(f, EF_JLRB, EF_TITLE, EF_TEXT, 0, 2, NULL, EF_T0);
  struct mw_err err = {0};
  assert_int_equal(ef_apply(f, a, MW_ACTION_ACK, "张三", NULL, 0,
                            EF_T0 + 5 * EF_MIN, &err),
                   MW_OK);
  int64_t mark = ef_last(f);
  int64_t at = EF_T0 + 10 * EF_MIN;
  /* No due time given: now + the 较大 deadline (12 h). */
  assert_int_equal(ef_apply(f, a, MW_ACTION_ASSIGN, "张三", "长春市生态环境局",
                            0, at, &err),
                   MW_OK);
  struct mw_alert_rec r = {0};
  assert_int_equal(mw_store_alert_get(f->s, a, &r, &err), MW_OK);
  assert_string_equal(r.state, "assigned");
  assert_string_equal(r.assignee, "长春市生态环境局");
  assert_int_equal(r.due, at + 12 * EF_HOUR);
  assert_int_equal(r.notified_at, at);
  mw_alert_rec_cleanup(&r);
  /* The route receivers and the receiver named like the unit. */
  expect_str(ef_sent(f, mark), "值班群:assigned 张三微信:assigned "
                               "王五邮箱:assigned 长春市生态环境局:assigned");
  char want[256];
  snprintf(want, sizeof want, "交办|较大|%s|", EF_TITLE);
  expect_has(ef_qs(f, "SELECT text FROM outbox WHERE kind = 'assigned' AND"
                      " receiver = '值班群'"),
             want);
  expect_has(ef_qs(f, "SELECT json FROM outbox WHERE kind = 'assigned' AND"
                      " receiver = '长春市生态环境局'"),
             "长春市生态环境局");
  expect_str(ef_qs(f, "SELECT from_state || '>' || to_state || ' ' || comment"
                      " FROM alert_events WHERE action = 'assign'"),
             "reported>assigned 交办：长春市生态环境局，期限 2023-05-08 "
             "22:10；已核实");

  /* Handed on to a person: that person's receivers. */
  mark = ef_last(f);
  assert_int_equal(ef_apply(f, a, MW_ACTION_ASSIGN, "张三", "李四",
                            EF_T0 + 3 * EF_HOUR, EF_T0 + EF_HOUR, &err),
                   MW_OK);
  expect_str(ef_sent(f, mark), "值班群:assigned 张三微信:assigned "
                               "李四微信:assigned 王五邮箱:assigned");
  assert_int_equal(ef_q(f, "SELECT due FROM alerts"), EF_T0 + 3 * EF_HOUR);

  mark = ef_last(f);
  assert_int_equal(ef_apply(f, a, MW_ACTION_PROGRESS, "李四", NULL, 0,
                            EF_T0 + 2 * EF_HOUR, &err),
                   MW_OK);
  assert_int_equal(ef_apply(f, a, MW_ACTION_FEEDBACK, "李四", NULL, 0,
                            EF_T0 + 3 * EF_HOUR, &err),
                   MW_OK);
  assert_int_equal(ef_apply(f, a, MW_ACTION_CLOSE, "张三", NULL, 0,
                            EF_T0 + 4 * EF_HOUR, &err),
                   MW_OK);
  assert_int_equal(ef_last(f), mark);
  expect_str(ef_qs(f, "SELECT state FROM alerts"), "closed");
  expect_str(ef_qs(f, "SELECT group_concat(x, ' ') FROM (SELECT actor || ':'"
                      " || action || ':' || coalesce(from_state, '-') || '>'"
                      " || coalesce(to_state, '-') AS x FROM alert_events"
                      " WHERE actor <> 'mediawatch' ORDER BY id)"),
             "张三:ack:new>reported 张三:assign:reported>assigned "
             "张三:assign:assigned>assigned 李四:progress:assigned>in_progress "
             "李四:feedback:in_progress>feedback 张三:close:feedback>closed");
}

static void test_closed_cluster_alert_collects_only(void **state) {
  struct ef *f = *state;
  int64_t a = ef_observe(f, EF_JLRB, EF_TITLE, EF_TEXT, EF_STORY, 1, NULL,
                         EF_T0);
  struct mw_err err = {0};
  assert_int_equal(ef_apply(f, a, MW_ACTION_ACK, "张三", NULL, 0, EF_T0 + 1,
                            &err),
                   MW_OK);
  assert_int_equal(ef_apply(f, a, MW_ACTION_CLOSE, "张三", NULL, 0, EF_T0 + 2,
                            &err),
                   MW_OK);
  int64_t mark = ef_last(f);
  assert_int_equal(ef_observe(f, EF_ZGJLW, EF_TITLE, EF_TEXT, EF_STORY, 4,
                              NULL, EF_T0 + 60),
                   a);
  assert_int_equal(ef_observe(f, EF_RMRB, EF_TITLE, EF_TEXT, EF_STORY, 1,
                              NULL, EF_T0 + 120),
                   a);
  assert_int_equal(ef_q(f, "SELECT count(*) FROM alert_articles"), 3);
  assert_int_equal(ef_q(f, "SELECT level FROM alerts"), 1);
  expect_str(ef_qs(f, "SELECT state FROM alerts"), "closed");
  assert_int_equal(ef_last(f), mark);
}

static void test_silenced_assignment_not_notified(void **state) {
  struct ef *f = *state;
  struct mw_silence si = {.region = "吉林省",
                          .starts = EF_T0 - 1,
                          .ends = EF_T0 + 86400,
                          .created_by = "张三",
                          .reason = "专项整治期间",
                          .created = EF_T0 - 1};
  int64_t sid = 0;
  struct mw_err err = {0};
  assert_int_equal(mw_store_silence_add(f->s, &si, &sid, &err), MW_OK);
  int64_t a = ef_observe(f, EF_JLRB, EF_TITLE, EF_TEXT, 0, 2, NULL, EF_T0);
  assert_int_equal(ef_q(f, "SELECT silence_id FROM alerts"), sid);
  assert_int_equal(ef_apply(f, a, MW_ACTION_ACK, "张三", NULL, 0, EF_T0 + 1,
                            &err),
                   MW_OK);
  assert_int_equal(ef_apply(f, a, MW_ACTION_ASSIGN, "张三", "长春市生态环境局",
                            0, EF_T0 + 2, &err),
                   MW_OK);
  assert_int_equal(ef_last(f), 0);
  expect_str(ef_events(f, a), "raised silenced ack assign");
}

static void test_assign_without_deadline_has_no_due(void **state) {
  struct ef *f = *state;
  f->cfg.alerts.deadline_s[0] = 0;
  int64_t a = ef_observe(f, EF_JLRB, EF_TITLE, EF_TEXT, 0, 1, NULL, EF_T0);
  assert_int_equal(ef_q(f, "SELECT coalesce(deadline, 0) FROM alerts"), 0);
  struct mw_err err = {0};
  assert_int_equal(ef_apply(f, a, MW_ACTION_ACK, "张三", NULL, 0, EF_T0 + 1,
                            &err),
                   MW_OK);
  assert_int_equal(ef_apply(f, a, MW_ACTION_ASSIGN, "张三", "南关区", 0,
                            EF_T0 + 2, &err),
                   MW_OK);
  assert_int_equal(ef_q(f, "SELECT coalesce(due, 0) FROM alerts"), 0);
  expect_str(ef_qs(f, "SELECT comment FROM alert_events WHERE action ="
                      " 'assign'"),
             "交办：南关区，无期限；已核实");
}

int main(void) {
#define T(fn) cmocka_unit_test_setup_teardown(fn, ef_setup, ef_teardown)
  const struct CMUnitTest tests[] = {
      T(test_ack_records_who_and_when),
      T(test_refusals_say_why),
      T(test_assign_and_follow_through),
      T(test_closed_cluster_alert_collects_only),
      T(test_silenced_assignment_not_notified),
      T(test_assign_without_deadline_has_no_due),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
