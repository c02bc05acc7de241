/*
 * test_config_alerts.c: the `alerts:` section of the configuration
 * (cli/config.c, cli/config_alerts.c, the rows of cli/config_table.c). A
 * file that sets every key gives exactly those values; a file without the
 * section gets the defaults; every mistake an office makes writing
 * receivers, routes, people and the roster gives its exact
 * "FILE:LINE:COL: ..." message, and a secret written in clear is refused
 * without being repeated; the reference has the new sections.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/cli.h"

static char *data_path(const char *rel) {
  const char *dir = getenv("MW_TEST_DATA");
  assert_non_null(dir);
  struct mw_buf b;
  mw_buf_init(&b, 4096);
  assert_int_equal(mw_buf_printf(&b, "%s/%s", dir, rel), MW_OK);
  return mw_buf_steal(&b);
}

static struct mw_config *load_ok(const char *yaml) {
  struct mw_config *cfg = NULL;
  struct mw_err err = {0};
  int rc = mw_config_load_string(yaml, strlen(yaml), "demo.yaml", &cfg, &err);
  if (rc != MW_OK) {
    print_error("unexpected failure: %s\n", err.msg);
    fail();
  }
  assert_non_null(cfg);
  return cfg;
}

#define MINIMAL                                                   \
  "outlets:\n"                                                    \
  "  - name: 人民网\n"                                            \
  "    tier: central\n"                                           \
  "    sources:\n"                                                \
  "      - url: http://env.people.com.cn/rss/environment.xml\n"

static void assert_strings(char **got, size_t n, const char *const *want,
                           size_t n_want) {
  assert_int_equal(n, n_want);
  for (size_t i = 0; i < n; i++) assert_string_equal(got[i], want[i]);
}
#define STRINGS(got, n, ...)                                          \
  do {                                                                \
    static const char *const want_[] = {__VA_ARGS__};                 \
    assert_strings(got, n, want_, sizeof want_ / sizeof want_[0]);    \
  } while (0)

static void test_full(void **state) {
  (void)state;
  char *path = data_path("cli/alerts.yaml");
  struct mw_config *cfg = NULL;
  struct mw_err err = {0};
  int rc = mw_config_load(path, &cfg, &err);
  if (rc) print_error("%s\n", err.msg);
  assert_int_equal(rc, MW_OK);
  const struct mw_alerts_conf *a = &cfg->alerts;

  char *want = data_path("cli/places/jilin.tsv");
  assert_string_equal(a->gazetteer, want);
  free(want);
  assert_int_equal(a->spread_outlets, 5);
  assert_int_equal(a->spread_window_s, 12 * 3600);
  assert_int_equal(a->burst_factor_pct, 400);
  assert_int_equal(a->burst_min, 20);
  assert_int_equal(a->burst_weeks, 8);
  assert_int_equal(a->deadline_s[0], 48 * 3600);
  assert_int_equal(a->deadline_s[1], 12 * 3600);
  assert_int_equal(a->deadline_s[2], 4 * 3600);
  assert_int_equal(a->deadline_s[3], 30 * 60);
  assert_int_equal(a->ack_t1_s, 15 * 60);
  assert_int_equal(a->ack_t2_s, 3600);
  assert_int_equal(a->repeat_s, 12 * 3600);
  assert_int_equal(a->retry_max_s, 600);
  assert_string_equal(a->link_base, "http://10.1.2.3:8080/mediawatch");

  assert_int_equal(a->n_receivers, 6);
  const struct mw_receiver_conf *r = a->receivers;
  assert_string_equal(r[0].name, "值班群");
  assert_int_equal(r[0].kind, MW_RECEIVER_WECOM);
  assert_null(r[0].url);
  assert_string_equal(r[0].url_env, "MW_WECOM_URL");
  assert_null(r[0].url_file);
  assert_string_equal(r[0].template_text, "【{level_zh}】{title}（{region}）");
  assert_string_equal(r[0].quiet, "22:00-07:00");
  assert_int_equal(r[0].quiet_window.from_min, 22 * 60);
  assert_int_equal(r[0].quiet_window.to_min, 7 * 60);
  assert_true(r[0].quiet_weekends);
  assert_false(r[0].digest);
  assert_int_equal(r[0].line, 31);

  assert_string_equal(r[1].name, "duty-dingtalk");
  assert_int_equal(r[1].kind, MW_RECEIVER_DINGTALK);
  want = data_path("cli/secrets/dingtalk.url");
  assert_string_equal(r[1].url_file, want);
  free(want);
  assert_string_equal(r[1].secret_env, "MW_DINGTALK_SECRET");
  assert_null(r[1].secret_file);
  assert_true(r[1].digest);
  assert_string_equal(r[1].digest_at, "17:30");
  assert_int_equal(r[1].digest_at_min, 17 * 60 + 30);
  assert_null(r[1].quiet);
  assert_int_equal(r[1].quiet_window.from_min, -1);
  assert_int_equal(r[1].quiet_window.to_min, -1);
  assert_false(r[1].quiet_weekends);
  assert_null(r[1].template_text);
  assert_int_equal(r[1].line, 37);

  assert_int_equal(r[2].kind, MW_RECEIVER_FEISHU);
  assert_string_equal(r[2].url_file, "/etc/mediawatch/feishu.url");
  want = data_path("cli/secrets/feishu.secret");
  assert_string_equal(r[2].secret_file, want);
  free(want);

  assert_int_equal(r[3].kind, MW_RECEIVER_WEBHOOK);
  assert_string_equal(r[3].url, "http://10.1.2.9/mediawatch/hook?source=jl");
  assert_string_equal(r[3].secret_file, "/etc/mediawatch/hook.key");
  assert_int_equal(r[3].line, 47);

  assert_int_equal(r[4].kind, MW_RECEIVER_EMAIL);
  assert_string_equal(r[4].url, "smtps://mail.sthjt.jl.gov.cn:465");
  assert_string_equal(r[4].mail_from, "yuqing@sthjt.jl.gov.cn");
  STRINGS(r[4].mail_to, r[4].n_mail_to, "zhiban@sthjt.jl.gov.cn",
          "lingdao@sthjt.jl.gov.cn");
  assert_string_equal(r[4].smtp_user, "yuqing");
  assert_string_equal(r[4].secret_env, "MW_SMTP_PASSWORD");
  assert_false(r[4].starttls);
  assert_true(r[3].starttls); /* the default, even where it means nothing */

  assert_int_equal(r[5].kind, MW_RECEIVER_EXEC);
  STRINGS(r[5].command, r[5].n_command, "/usr/local/bin/sms-send", "--group",
          "值班");
  assert_int_equal(r[5].exec_timeout_s, 30);
  assert_int_equal(r[4].exec_timeout_s, 10);
  assert_int_equal(r[5].line, 59);

  assert_int_equal(a->n_routes, 3);
  const struct mw_route_conf *rt = a->routes;
  assert_string_equal(rt[0].name, "全部预警");
  assert_int_equal(rt[0].min_level, 1);
  assert_int_equal(rt[0].n_regions, 0);
  assert_null(rt[0].regions);
  assert_int_equal(rt[0].n_topics, 0);
  STRINGS(rt[0].receivers, rt[0].n_receivers, "duty", "值班群");
  assert_int_equal(rt[0].line, 64);
  assert_string_equal(rt[1].name, "长春市重大");
  assert_int_equal(rt[1].min_level, 3);
  STRINGS(rt[1].regions, rt[1].n_regions, "长春市", "吉林市");
  STRINGS(rt[1].topics, rt[1].n_topics, "秸秆焚烧", "黑臭水体");
  STRINGS(rt[1].receivers, rt[1].n_receivers, "feishu-leaders", "值班邮箱");
  assert_null(rt[2].name);
  assert_int_equal(rt[2].min_level, 4);
  STRINGS(rt[2].receivers, rt[2].n_receivers, "sms", "hook");
  assert_int_equal(rt[2].line, 71);

  assert_int_equal(a->n_people, 3);
  const struct mw_person_conf *p = a->people;
  assert_string_equal(p[0].name, "张伟");
  STRINGS(p[0].receivers, p[0].n_receivers, "duty-dingtalk");
  assert_false(p[0].leader);
  assert_int_equal(p[0].line, 74);
  STRINGS(p[1].receivers, p[1].n_receivers, "sms", "值班群");
  assert_string_equal(p[2].name, "王主任");
  assert_true(p[2].leader);
  assert_int_equal(p[2].line, 78);

  assert_int_equal(a->n_roster, 3);
  const struct mw_shift_conf *s = a->roster;
  STRINGS(s[0].days, s[0].n_days, "weekdays");
  assert_int_equal(s[0].day_mask, 0x1f);
  assert_string_equal(s[0].hours, "08:30-17:30");
  assert_int_equal(s[0].window.from_min, 8 * 60 + 30);
  assert_int_equal(s[0].window.to_min, 17 * 60 + 30);
  STRINGS(s[0].people, s[0].n_people, "张伟", "李娜");
  assert_int_equal(s[0].line, 82);
  assert_int_equal(s[1].day_mask, 0x60);
  assert_null(s[1].hours);
  assert_int_equal(s[1].window.from_min, -1);
  assert_int_equal(s[1].window.to_min, -1);
  STRINGS(s[1].people, s[1].n_people, "李娜");
  assert_int_equal(s[2].day_mask, 0x01 | 0x04 | 0x10);
  assert_int_equal(s[2].window.from_min, 17 * 60 + 30);
  assert_int_equal(s[2].window.to_min, 8 * 60 + 30);
  assert_int_equal(s[2].line, 87);

  mw_config_free(cfg);
  free(path);
}

static void check_defaults(const struct mw_alerts_conf *a) {
  assert_null(a->gazetteer);
  assert_int_equal(a->spread_outlets, 3);
  assert_int_equal(a->spread_window_s, 6 * 3600);
  assert_int_equal(a->burst_factor_pct, 300);
  assert_int_equal(a->burst_min, 10);
  assert_int_equal(a->burst_weeks, 4);
  assert_int_equal(a->deadline_s[0], 72 * 3600);
  assert_int_equal(a->deadline_s[1], 24 * 3600);
  assert_int_equal(a->deadline_s[2], 5 * 3600);
  assert_int_equal(a->deadline_s[3], 3600);
  assert_int_equal(a->ack_t1_s, 30 * 60);
  assert_int_equal(a->ack_t2_s, 2 * 3600);
  assert_int_equal(a->repeat_s, 24 * 3600);
  assert_int_equal(a->retry_max_s, 5 * 60);
  assert_null(a->link_base);
  assert_int_equal(a->n_receivers, 0);
  assert_null(a->receivers);
  assert_int_equal(a->n_routes, 0);
  assert_null(a->routes);
  assert_int_equal(a->n_people, 0);
  assert_null(a->people);
  assert_int_equal(a->n_roster, 0);
  assert_null(a->roster);
}

static void test_defaults(void **state) {
  (void)state;
  static const char *const yamls[] = {
      MINIMAL,
      MINIMAL "alerts:\n",
      MINIMAL "alerts: {}\n",
      MINIMAL "alerts:\n  receivers: []\n  routes:\n  people: []\n  roster: []\n",
  };
  for (size_t i = 0; i < sizeof yamls / sizeof yamls[0]; i++) {
    struct mw_config *cfg = load_ok(yamls[i]);
    check_defaults(&cfg->alerts);
    mw_config_free(cfg);
  }
  /* A receiver, route, person and shift with only what is required. */
  struct mw_config *cfg = load_ok(
      MINIMAL "alerts:\n  receivers:\n    - {name: hook, kind: webhook, "
              "url: \"https://hooks.example.cn/a\"}\n"
              "  routes:\n    - receivers: [hook]\n"
              "  people:\n    - name: 张伟\n"
              "  roster:\n    - {days: [all], people: [张伟]}\n");
  const struct mw_receiver_conf *r = &cfg->alerts.receivers[0];
  assert_true(r->starttls);
  assert_int_equal(r->exec_timeout_s, 10);
  assert_null(r->quiet);
  assert_int_equal(r->quiet_window.from_min, -1);
  assert_int_equal(r->quiet_window.to_min, -1);
  assert_false(r->quiet_weekends);
  assert_false(r->digest);
  assert_string_equal(r->digest_at, "08:00");
  assert_int_equal(r->digest_at_min, 480);
  assert_null(r->template_text);
  assert_null(r->secret_env);
  assert_null(r->secret_file);
  assert_int_equal(r->n_mail_to, 0);
  assert_int_equal(r->n_command, 0);
  assert_int_equal(r->line, 8);
  assert_null(cfg->alerts.routes[0].name);
  assert_int_equal(cfg->alerts.routes[0].min_level, 1);
  assert_int_equal(cfg->alerts.routes[0].line, 10);
  assert_false(cfg->alerts.people[0].leader);
  assert_int_equal(cfg->alerts.people[0].n_receivers, 0);
  assert_int_equal(cfg->alerts.roster[0].day_mask, 0x7f);
  assert_null(cfg->alerts.roster[0].hours);
  assert_int_equal(cfg->alerts.roster[0].window.from_min, -1);
  assert_int_equal(cfg->alerts.roster[0].line, 14);
  mw_config_free(cfg);
}

static void test_levels(void **state) {
  (void)state;
  static const struct {
    const char *text;
    int64_t level;
  } forms[] = {
      {"1", 1},        {"general", 1}, {"一般", 1},     {"blue", 1},
      {"2", 2},        {"Serious", 2}, {"较大", 2},     {"yellow", 2},
      {"3", 3},        {"major", 3},   {"重大", 3},     {"ORANGE", 3},
      {"\"4\"", 4},    {"critical", 4}, {"特别重大", 4}, {"red", 4},
  };
  for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             MINIMAL "alerts:\n  receivers:\n    - {name: h, kind: webhook, "
                     "url: \"http://10.0.0.1/\"}\n  routes:\n"
                     "    - {min_level: %s, receivers: [h]}\n",
             forms[i].text);
    struct mw_config *cfg = load_ok(yaml);
    assert_int_equal(cfg->alerts.routes[0].min_level, forms[i].level);
    mw_config_free(cfg);
  }
}

/* A config with one topic, then `alerts:` on line 8. */
#define BASE MINIMAL "topics:\n  - {name: 秸秆焚烧, keywords: [秸秆焚烧]}\nalerts:\n"
/* Line 9 and 10: a receiver every later case can name. */
#define HOOK "  receivers:\n    - {name: 值班群, kind: webhook, url: \"http://10.0.0.1/h\"}\n"
#define PEOPLE "  people:\n    - {name: 张伟}\n    - {name: 李娜}\n"

struct bad {
  const char *yaml;
  const char *msg;
};

static const struct bad bad_cases[] = {
    /* 0: names that refer to nothing */
    {BASE HOOK "  routes:\n    - name: 全部\n      receivers: [值班裙]\n",
     "demo.yaml:13:19: route '全部' sends to receiver '值班裙', which is not "
     "defined under receivers (did you mean '值班群'?)"},
    {BASE HOOK "  routes:\n    - receivers: [值班群, sms]\n",
     "demo.yaml:12:24: route #1 sends to receiver 'sms', which is not defined "
     "under receivers"},
    {BASE HOOK "  routes:\n    - receivers: [dutty]\n" PEOPLE
          "  roster:\n    - {days: [all], people: [张伟]}\n",
     "demo.yaml:12:19: route #1 sends to receiver 'dutty', which is not "
     "defined under receivers (did you mean 'duty'?)"},
    {BASE HOOK "  routes:\n    - receivers: [duty]\n",
     "demo.yaml:12:19: route #1 sends to 'duty', but there is no roster to "
     "say who is on duty"},
    {BASE HOOK "  people:\n    - name: 张伟\n      receivers: [值班群, 值班裙]\n",
     "demo.yaml:13:24: person '张伟' is reached through receiver '值班裙', "
     "which is not defined under receivers (did you mean '值班群'?)"},
    /* 5 */
    {BASE HOOK "  people:\n    - name: 张伟\n      receivers: [duty]\n",
     "demo.yaml:13:19: person '张伟' is reached through receiver 'duty', "
     "which is not defined under receivers"},
    {BASE PEOPLE "  roster:\n    - days: [weekdays]\n      people: [张玮]\n",
     "demo.yaml:14:16: shift #1 names '张玮', who is not defined under people "
     "(did you mean '张伟'?)"},
    {BASE PEOPLE "  roster:\n    - {days: [all], people: [李娜]}\n"
                 "    - {days: [all], people: [王主任]}\n",
     "demo.yaml:14:30: shift #2 names '王主任', who is not defined under "
     "people"},
    {BASE HOOK "  routes:\n    - receivers: [值班群]\n      topics: [秸杆焚烧]\n",
     "demo.yaml:13:16: route #1 names topic '秸杆焚烧', which is not defined "
     "under topics (did you mean '秸秆焚烧'?)"},
    {BASE HOOK "  routes:\n    - receivers: [值班群]\n      topics: [垃圾分类]\n",
     "demo.yaml:13:16: route #1 names topic '垃圾分类', which is not defined "
     "under topics"},
    /* 10: days and clocks */
    {BASE PEOPLE "  roster:\n    - days: [mon, funday]\n      people: [张伟]\n",
     "demo.yaml:13:19: unknown day 'funday': write mon..sun, monday..sunday, "
     "周一..周日, 星期一..星期日, weekdays (工作日), weekend (周末) or all "
     "(每天)"},
    {BASE PEOPLE "  roster:\n    - days: []\n      people: [张伟]\n",
     "demo.yaml:13:13: 'days' of shift #1 must not be empty"},
    {BASE PEOPLE "  roster:\n    - days: [all]\n      hours: \"8:00-\"\n"
                 "      people: [张伟]\n",
     "demo.yaml:14:14: 'hours': '8:00-' is not a time window: write "
     "HH:MM-HH:MM, such as 22:00-07:00"},
    {BASE PEOPLE "  roster:\n    - days: [all]\n      hours: 08:00-08:00\n"
                 "      people: [张伟]\n",
     "demo.yaml:14:14: 'hours': '08:00-08:00' is not a time window: it starts "
     "and ends at the same time"},
    {BASE "  receivers:\n    - name: 值班群\n      kind: wecom\n"
          "      url_env: MW_WECOM_URL\n      quiet: 25:00-07:00\n",
     "demo.yaml:13:14: 'quiet': '25:00-07:00' is not a time window: '25:00' "
     "is not a time of day (00:00 to 23:59, and 24:00 as the end)"},
    /* 15 */
    {BASE "  receivers:\n    - name: 值班群\n      kind: wecom\n"
          "      url_env: MW_WECOM_URL\n      digest_at: \"25:00\"\n",
     "demo.yaml:13:18: 'digest_at': '25:00' is not a time of day: hours go "
     "from 00 to 23 and minutes from 00 to 59"},
    {BASE "  receivers:\n    - name: 值班群\n      kind: wecom\n"
          "      url_env: MW_WECOM_URL\n      digest_at: 8am\n",
     "demo.yaml:13:18: 'digest_at': '8am' is not a time of day: write HH:MM, "
     "such as 08:00"},
    {BASE PEOPLE "  roster:\n    - people: [张伟]\n",
     "demo.yaml:13:7: shift #1 is missing required key 'days'"},
    {BASE "  routes:\n    - name: 全部\n      min_level: 2\n",
     "demo.yaml:10:7: route '全部' is missing required key 'receivers'"},
    {BASE HOOK "  routes:\n    - {min_level: high, receivers: [值班群]}\n",
     "demo.yaml:12:19: 'min_level' must be an alert level: 1 to 4, "
     "general/serious/major/critical, 一般/较大/重大/特别重大, "
     "blue/yellow/orange/red, got 'high'"},
    /* 20: what each kind needs */
    {BASE "  receivers:\n    - name: 值班群\n      kind: wecom\n",
     "demo.yaml:10:7: receiver '值班群' (wecom) needs one of 'url', 'url_env' "
     "or 'url_file'"},
    {BASE "  receivers:\n    - name: hook\n      kind: webhook\n"
          "      url: http://10.0.0.1/h\n      url_file: /etc/mw/hook.url\n",
     "demo.yaml:13:7: receiver 'hook' has both 'url' and 'url_file'; give "
     "only one of 'url', 'url_env' or 'url_file'"},
    {BASE "  receivers:\n    - name: mail\n      kind: email\n"
          "      url: smtp://mail.example.cn:587\n      mail_to: [a@example.cn]\n",
     "demo.yaml:10:7: receiver 'mail' (email) needs 'mail_from', the sender "
     "address"},
    {BASE "  receivers:\n    - name: mail\n      kind: email\n"
          "      url: smtp://mail.example.cn:587\n      mail_from: a@example.cn\n",
     "demo.yaml:10:7: receiver 'mail' (email) needs 'mail_to', the recipients"},
    {BASE "  receivers:\n    - name: sms\n      kind: exec\n",
     "demo.yaml:10:7: receiver 'sms' (exec) needs 'command', the program and "
     "its arguments, such as [/usr/local/bin/sms-send, --group, 值班]"},
    /* 25 */
    {BASE "  receivers:\n    - name: 钉钉\n      kind: dingtalk\n"
          "      url_env: MW_DINGTALK_URL\n      secret_env: MW_DT_SECRET\n"
          "      secret_file: /etc/mw/dt.secret\n",
     "demo.yaml:14:7: receiver '钉钉' has both 'secret_env' and "
     "'secret_file'; give one"},
    {BASE "  receivers:\n    - name: sms\n      kind: exec\n"
          "      command: [/usr/bin/sms]\n      url: http://10.0.0.1/\n",
     "demo.yaml:13:7: 'url' is for webhook, robot and email receivers; "
     "receiver 'sms' is exec"},
    {BASE "  receivers:\n    - name: 值班群\n      kind: wecom\n"
          "      url_env: MW_WECOM_URL\n      mail_to: [a@example.cn]\n",
     "demo.yaml:13:7: 'mail_to' is for email receivers; receiver '值班群' is "
     "wecom"},
    {BASE "  receivers:\n    - name: hook\n      kind: webhook\n"
          "      url: http://10.0.0.1/\n      exec_timeout: 5s\n",
     "demo.yaml:13:7: 'exec_timeout' is for exec receivers; receiver 'hook' "
     "is webhook"},
    {BASE "  receivers:\n    - {name: 值班群, kind: slack, url_env: X}\n",
     "demo.yaml:10:25: 'kind' must be one of webhook, wecom, dingtalk, "
     "feishu, email, exec, got 'slack'"},
    /* 30: secrets in clear are refused and never repeated */
    {BASE "  receivers:\n    - name: 值班群\n      kind: wecom\n      url: "
          "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx\n",
     "demo.yaml:12:12: the url of receiver '值班群' carries its secret (key=); "
     "secrets never go in the config in clear: move the URL to an environment "
     "variable named by 'url_env' or to a file named by 'url_file' (chmod "
     "600)"},
    {BASE "  receivers:\n    - name: 钉钉\n      kind: dingtalk\n      url: "
          "https://oapi.dingtalk.com/robot/send?access_token=5a1b2c3d\n",
     "demo.yaml:12:12: the url of receiver '钉钉' carries its secret "
     "(access_token=); secrets never go in the config in clear: move the URL "
     "to an environment variable named by 'url_env' or to a file named by "
     "'url_file' (chmod 600)"},
    {BASE "  receivers:\n    - name: 飞书\n      kind: feishu\n      url: "
          "https://open.feishu.cn/open-apis/bot/v2/hook/2f6c1e0a-9b7d\n",
     "demo.yaml:12:12: the url of receiver '飞书' carries its secret (the "
     "token after /open-apis/bot/v2/hook/); secrets never go in the config in "
     "clear: move the URL to an environment variable named by 'url_env' or "
     "to a file named by 'url_file' (chmod 600)"},
    {BASE "  receivers:\n    - name: hook\n      kind: webhook\n"
          "      url: https://ops:s3cret@hooks.example.cn/mw\n",
     "demo.yaml:12:12: the url of receiver 'hook' carries its secret "
     "(user:password@); secrets never go in the config in clear: move the URL "
     "to an environment variable named by 'url_env' or to a file named by "
     "'url_file' (chmod 600)"},
    {BASE "  receivers:\n    - name: mail\n      kind: email\n"
          "      url: smtp://yuqing:s3cret@mail.example.cn:587\n",
     "demo.yaml:12:12: the url of receiver 'mail' holds a password "
     "(user:password@); secrets never go in the config in clear: give the "
     "login as 'smtp_user' and the password through 'secret_env' or "
     "'secret_file'"},
    /* 35: addresses and names */
    {BASE "  receivers:\n    - name: hook\n      kind: webhook\n"
          "      url: ftp://10.0.0.1/h\n",
     "demo.yaml:12:12: the url of receiver 'hook' (webhook) must be an "
     "http:// or https:// URL, got 'ftp://10.0.0.1/h'"},
    {BASE "  receivers:\n    - name: mail\n      kind: email\n"
          "      url: https://mail.example.cn\n",
     "demo.yaml:12:12: the url of receiver 'mail' (email) must be "
     "smtp://host:port or smtps://host:port, got 'https://mail.example.cn'"},
    {BASE "  receivers:\n    - name: 值班群\n      kind: wecom\n      url_env: "
          "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a\n",
     "demo.yaml:12:16: 'url_env' of receiver '值班群' must be the name of an "
     "environment variable (letters, digits and _), such as MW_WECOM_URL"},
    {BASE "  receivers:\n    - name: 钉钉\n      kind: dingtalk\n"
          "      url_env: MW_DT_URL\n      secret_env: 9f86d081884c7d65\n",
     "demo.yaml:13:19: 'secret_env' of receiver '钉钉' must be the name of an "
     "environment variable (letters, digits and _), such as "
     "MW_DINGTALK_SECRET"},
    {BASE "  receivers:\n    - name: mail\n      kind: email\n"
          "      url: smtp://mail.example.cn:587\n      mail_from: a@example.cn\n"
          "      mail_to: [b@example.cn, 值班室]\n",
     "demo.yaml:14:31: 'mail_to' of receiver 'mail': '值班室' is not an "
     "e-mail address"},
    /* 40 */
    {BASE "  receivers:\n    - {name: duty, kind: webhook, url: \"http://a.cn/\"}\n",
     "demo.yaml:10:14: the receiver name 'duty' is taken: routes use it for "
     "whoever the roster has on duty; choose another"},
    {BASE HOOK "    - {name: 值班群, kind: exec, command: [/bin/true]}\n",
     "demo.yaml:11:14: duplicate receiver name '值班群' (first defined at "
     "line 10)"},
    {BASE PEOPLE "    - name: 张伟\n",
     "demo.yaml:12:13: duplicate person name '张伟' (first defined at line "
     "10)"},
    {BASE "  receivers:\n    - name: 钉钉\n      kind: dingtalk\n"
          "      url_env: MW_DT_URL\n      secert_env: MW_DT_SECRET\n",
     "demo.yaml:13:7: unknown key 'secert_env' in receiver '钉钉' (did you "
     "mean 'secret_env'?)"},
    {BASE "  reciever: []\n",
     "demo.yaml:9:3: unknown key 'reciever' in alerts (did you mean "
     "'receivers'?)"},
    /* 45: values of the section */
    {BASE "  spread_outlets: 1\n",
     "demo.yaml:9:19: 'spread_outlets' must be an integer between 2 and "
     "1000, got '1'"},
    {BASE "  deadline_major: 30h\n",
     "demo.yaml:9:19: 'deadline_major' (30h) must not be longer than "
     "'deadline_serious' (1d): a graver alert gets less time"},
    {BASE "  deadline_general: 12h\n",
     "demo.yaml:9:21: 'deadline_serious' (1d) must not be longer than "
     "'deadline_general' (12h): a graver alert gets less time"},
    {BASE "  ack_t1: 3h\n",
     "demo.yaml:9:11: 'ack_t2' (2h) must be longer than 'ack_t1' (3h): "
     "leaders hear of an alert after the next person"},
    {BASE "  link_base: 10.1.2.3:8080\n",
     "demo.yaml:9:14: 'link_base' must be an http:// or https:// URL, got "
     "'10.1.2.3:8080'"},
    /* 50 */
    {BASE "  receivers: 值班群\n",
     "demo.yaml:9:14: 'receivers' must be a list, got '值班群'"},
    {BASE "  roster:\n    - days: [all]\n      people: []\n",
     "demo.yaml:11:15: 'people' of shift #1 must not be empty"},
    {"alerts: on\n" MINIMAL,
     "demo.yaml:1:9: 'alerts' must be a mapping of settings, got 'on'"},
    {BASE "  gazetteer:\n",
     "demo.yaml:9:13: 'gazetteer' must be a file path, got nothing"},
};

static void test_errors(void **state) {
  (void)state;
  size_t failures = 0;
  for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
    struct mw_config *cfg = (struct mw_config *)&cfg; /* must be reset */
    struct mw_err err = {0};
    int rc = mw_config_load_string(bad_cases[i].yaml, strlen(bad_cases[i].yaml),
                                   "demo.yaml", &cfg, &err);
    if (rc != MW_EINVAL || strcmp(err.msg, bad_cases[i].msg) != 0) {
      print_error("case %zu: rc %d\n got:  %s\n want: %s\n", i, rc, err.msg,
                  bad_cases[i].msg);
      failures++;
    }
    assert_null(cfg);
    /* A secret in clear is never repeated back. */
    assert_null(strstr(err.msg, "693a"));
    assert_null(strstr(err.msg, "5a1b2c3d"));
    assert_null(strstr(err.msg, "2f6c1e0a"));
    assert_null(strstr(err.msg, "s3cret"));
    assert_null(strstr(err.msg, "9f86d081"));
  }
  assert_int_equal(failures, 0);
}

/* URLs that hold no secret are fine: a query without a key, a key with no
 * value, a user without a password, a Feishu path without a token. */
static void test_clean_urls(void **state) {
  (void)state;
  static const char *const urls[] = {
      "http://10.0.0.1/hook?source=jl&monkey=1",
      "https://hooks.example.cn/mw?key=",
      "https://ops@hooks.example.cn/mw",
      "https://open.feishu.cn/open-apis/bot/v2/hook/",
      "http://10.0.0.1/hook#key=abc",
  };
  for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             MINIMAL "alerts:\n  receivers:\n    - {name: h, kind: webhook, "
                     "url: \"%s\"}\n",
             urls[i]);
    struct mw_config *cfg = load_ok(yaml);
    assert_string_equal(cfg->alerts.receivers[0].url, urls[i]);
    mw_config_free(cfg);
  }
  /* The day words of a shift add up. */
  struct mw_config *cfg = load_ok(
      MINIMAL "alerts:\n  people: [{name: 张伟}]\n  roster:\n"
              "    - {days: [工作日, 周六], hours: \"18:00-24:00\", "
              "people: [张伟]}\n");
  assert_int_equal(cfg->alerts.roster[0].day_mask, 0x3f);
  assert_int_equal(cfg->alerts.roster[0].window.from_min, 18 * 60);
  assert_int_equal(cfg->alerts.roster[0].window.to_min, 24 * 60);
  mw_config_free(cfg);
  /* Paths of the alerts section are taken from the config's folder. */
  struct mw_err err = {0};
  const char *yaml =
      MINIMAL "alerts:\n  gazetteer: places.tsv\n  receivers:\n"
              "    - {name: d, kind: dingtalk, url_file: keys/d.url, "
              "secret_file: /run/keys/d.secret}\n";
  assert_int_equal(mw_config_load_string(yaml, strlen(yaml), "/etc/mw/a.yaml",
                                         &cfg, &err),
                   MW_OK);
  assert_string_equal(cfg->alerts.gazetteer, "/etc/mw/places.tsv");
  assert_string_equal(cfg->alerts.receivers[0].url_file, "/etc/mw/keys/d.url");
  assert_string_equal(cfg->alerts.receivers[0].secret_file,
                      "/run/keys/d.secret");
  mw_config_free(cfg);
}

static void test_reference(void **state) {
  (void)state;
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  assert_non_null(f);
  mw_config_write_reference(f);
  fclose(f);
  static const char *const want[] = {
      "\n## alerts\n",
      "\n## receivers[]\n",
      "\n## routes[]\n",
      "\n## people[]\n",
      "\n## roster[]\n",
      "| `alerts` | mapping | none |",
      "| `spread_outlets` | integer 2..1000 | `3` |",
      "| `spread_window` | duration 1m..30d | `6h` |",
      "| `burst_factor_pct` | integer 100..100000 | `300` |",
      "| `deadline_major` | duration 1m..30d | `5h` |",
      "| `ack_t1` | duration 1m..7d | `30m` |",
      "| `retry_max` | duration 5s..1d | `5m` |",
      "| `receivers` | list | none |",
      "| `kind` | one of webhook, wecom, dingtalk, feishu, email, exec | "
      "required |",
      "| `starttls` | true or false | `true` |",
      "| `quiet` | time window HH:MM-HH:MM | none |",
      "| `digest_at` | time of day HH:MM | `08:00` |",
      "| `min_level` | alert level 1..4 | `1` |",
      "| `receivers` | list of strings | required |",
      "| `leader` | true or false | `false` |",
      "| `days` | list of strings | required |",
      "| `exec_timeout` | duration 1s..1h | `10s` |",
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    if (!strstr(text, want[i])) {
      print_error("reference lacks: %s\n", want[i]);
      fail();
    }
  }
  /* In order, after the sections that were there before. */
  const char *order[] = {"## sensitivity", "## alerts", "## receivers[]",
                         "## routes[]", "## people[]", "## roster[]"};
  for (size_t i = 1; i < sizeof order / sizeof order[0]; i++)
    assert_true(strstr(text, order[i - 1]) < strstr(text, order[i]));
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_full),        cmocka_unit_test(test_defaults),
      cmocka_unit_test(test_levels),      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_clean_urls),  cmocka_unit_test(test_reference),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
