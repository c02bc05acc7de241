/* Tests alerts/workflow.c: names, parsing and the whole transition table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "alerts/alerts.h"

static void test_names(void **state) {
  (void)state;
  const char *names[] = {"new", "reported", "assigned", "in_progress",
                         "feedback", "closed"};
  const char *zh[] = {"新预警", "已报告", "已交办", "处置中", "已反馈", "已办结"};
  for (int i = 0; i < MW_STATE_COUNT; i++) {
    assert_string_equal(mw_alert_state_name((enum mw_alert_state)i), names[i]);
    assert_string_equal(mw_alert_state_label_zh((enum mw_alert_state)i), zh[i]);
  }
  assert_string_equal(mw_alert_state_name(MW_STATE_COUNT), "unknown");
  assert_string_equal(mw_alert_state_label_zh((enum mw_alert_state)-1), "未知");
  const char *actions[] = {"ack", "assign", "progress", "feedback", "close"};
  for (int i = 0; i < MW_ACTION_COUNT; i++)
    assert_string_equal(mw_alert_action_name((enum mw_alert_action)i),
                        actions[i]);
  assert_string_equal(mw_alert_action_name(MW_ACTION_COUNT), "unknown");
}

static void test_state_parse(void **state) {
  (void)state;
  const struct {
    const char *in;
    enum mw_alert_state want;
  } ok[] = {{"new", MW_STATE_NEW},         {"新预警", MW_STATE_NEW},
            {"Reported", MW_STATE_REPORTED}, {"已报告", MW_STATE_REPORTED},
            {"已交办", MW_STATE_ASSIGNED},   {"in_progress", MW_STATE_IN_PROGRESS},
            {"in progress", MW_STATE_IN_PROGRESS},
            {"In-Progress", MW_STATE_IN_PROGRESS},
            {"处置中", MW_STATE_IN_PROGRESS}, {"FEEDBACK", MW_STATE_FEEDBACK},
            {"已反馈", MW_STATE_FEEDBACK},   {"closed", MW_STATE_CLOSED},
            {"已办结", MW_STATE_CLOSED}};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    enum mw_alert_state st = MW_STATE_COUNT;
    assert_int_equal(mw_alert_state_parse(ok[i].in, &st), MW_OK);
    assert_int_equal(st, ok[i].want);
  }
  enum mw_alert_state st = MW_STATE_NEW;
  assert_int_equal(mw_alert_state_parse("open", &st), MW_EINVAL);
  assert_int_equal(mw_alert_state_parse("", &st), MW_EINVAL);
  assert_int_equal(mw_alert_state_parse("办结", &st), MW_EINVAL);
  assert_int_equal(mw_alert_state_parse(NULL, &st), MW_EINVAL);
  assert_int_equal(st, MW_STATE_NEW);
}

static void test_action_parse(void **state) {
  (void)state;
  const struct {
    const char *in;
    enum mw_alert_action want;
  } ok[] = {{"ack", MW_ACTION_ACK},           {"Acknowledge", MW_ACTION_ACK},
            {"确认", MW_ACTION_ACK},          {"报告", MW_ACTION_ACK},
            {"assign", MW_ACTION_ASSIGN},     {"交办", MW_ACTION_ASSIGN},
            {"progress", MW_ACTION_PROGRESS}, {"督办", MW_ACTION_PROGRESS},
            {"处置", MW_ACTION_PROGRESS},     {"feedback", MW_ACTION_FEEDBACK},
            {"反馈", MW_ACTION_FEEDBACK},     {"CLOSE", MW_ACTION_CLOSE},
            {"办结", MW_ACTION_CLOSE}};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    enum mw_alert_action a = MW_ACTION_COUNT;
    assert_int_equal(mw_alert_action_parse(ok[i].in, &a), MW_OK);
    assert_int_equal(a, ok[i].want);
  }
  enum mw_alert_action a;
  assert_int_equal(mw_alert_action_parse("silence", &a), MW_EINVAL);
  assert_int_equal(mw_alert_action_parse("", &a), MW_EINVAL);
  assert_int_equal(mw_alert_action_parse(NULL, &a), MW_EINVAL);
}

/* The table of issue 6, written out the other way round: for each action
 * the states it is allowed from, and where it leads. */
static void test_table(void **state) {
  (void)state;
  enum { R = MW_STATE_REPORTED, A = MW_STATE_ASSIGNED,
         P = MW_STATE_IN_PROGRESS, F = MW_STATE_FEEDBACK, C = MW_STATE_CLOSED,
         X = -1 };
  /* want[action][from]: the state reached, X when refused */
  const int want[MW_ACTION_COUNT][MW_STATE_COUNT] = {
      /*              new reported assigned in_prog feedback closed */
      [MW_ACTION_ACK] = {R, X, X, X, X, X},
      [MW_ACTION_ASSIGN] = {X, A, A, A, X, X},
      [MW_ACTION_PROGRESS] = {X, X, P, P, X, X},
      [MW_ACTION_FEEDBACK] = {X, X, F, F, X, X},
      [MW_ACTION_CLOSE] = {X, C, X, X, C, X},
  };
  for (int a = 0; a < MW_ACTION_COUNT; a++) {
    for (int s = 0; s < MW_STATE_COUNT; s++) {
      struct mw_err err = {0};
      enum mw_alert_state to = MW_STATE_COUNT;
      int rc = mw_alert_transition((enum mw_alert_state)s,
                                   (enum mw_alert_action)a, &to, &err);
      if (want[a][s] == X) {
        assert_int_equal(rc, MW_EINVAL);
        assert_int_equal(err.code, MW_EINVAL);
        assert_non_null(strstr(err.msg, "cannot "));
        assert_int_equal(to, MW_STATE_COUNT);
      } else {
        assert_int_equal(rc, MW_OK);
        assert_int_equal(to, want[a][s]);
      }
    }
  }
}

static void expect_refusal(enum mw_alert_state st, enum mw_alert_action a,
                           const char *msg) {
  struct mw_err err = {0};
  enum mw_alert_state to;
  assert_int_equal(mw_alert_transition(st, a, &to, &err), MW_EINVAL);
  assert_string_equal(err.msg, msg);
}

static void test_messages(void **state) {
  (void)state;
  expect_refusal(MW_STATE_NEW, MW_ACTION_ASSIGN,
                 "cannot assign an alert that is new: acknowledge it first "
                 "(assign is allowed from reported, assigned, in progress)");
  expect_refusal(MW_STATE_REPORTED, MW_ACTION_ACK,
                 "cannot acknowledge an alert that is reported: it has been "
                 "acknowledged already (ack is allowed from new)");
  expect_refusal(MW_STATE_REPORTED, MW_ACTION_PROGRESS,
                 "cannot record progress on an alert that is reported: assign "
                 "it first (progress is allowed from assigned, in progress)");
  expect_refusal(MW_STATE_IN_PROGRESS, MW_ACTION_CLOSE,
                 "cannot close an alert that is in progress: record the "
                 "unit's feedback first (close is allowed from reported, "
                 "feedback)");
  expect_refusal(MW_STATE_FEEDBACK, MW_ACTION_FEEDBACK,
                 "cannot record feedback on an alert that has its feedback: "
                 "the unit has reported back: close it (feedback is allowed "
                 "from assigned, in progress)");
  expect_refusal(MW_STATE_CLOSED, MW_ACTION_CLOSE,
                 "cannot close an alert that is closed: it is closed already "
                 "(close is allowed from reported, feedback)");
  expect_refusal((enum mw_alert_state)9, MW_ACTION_ACK,
                 "unknown alert state 9");
  expect_refusal(MW_STATE_NEW, (enum mw_alert_action)7,
                 "unknown alert action 7");
  /* err may be NULL. */
  enum mw_alert_state to;
  assert_int_equal(mw_alert_transition(MW_STATE_CLOSED, MW_ACTION_ACK, &to,
                                       NULL),
                   MW_EINVAL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_names),      cmocka_unit_test(test_state_parse),
      cmocka_unit_test(test_action_parse), cmocka_unit_test(test_table),
      cmocka_unit_test(test_messages),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
