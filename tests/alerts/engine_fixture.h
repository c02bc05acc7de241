/*
 * engine_fixture.h: a duty desk for the alerts engine tests.
 *
 * A temporary store synced with four outlets (人民日报 with no region,
 * 吉林日报 and 中国吉林网 in 吉林省, 长春日报 in 长春市), two topics, a
 * small gazetteer, seven receivers, three people on one all-day shift and
 * three routes, all built by hand (no config loader). Times are driven by
 * the tests; T0 is Monday 2023-05-08 10:00 in Asia/Shanghai.
 *
 * Receivers, in config order:
 *   0 值班群          webhook, template "{event}|{level_zh}|{title}|属地:{region}|媒体:{outlets}"
 *   1 张三微信        wecom (person 张三, first on the shift)
 *   2 李四微信        wecom (person 李四, second on the shift)
 *   3 王五邮箱        email, quiet 22:00-07:00
 *   4 领导钉钉        dingtalk (person 赵局长, leader)
 *   5 长春市生态环境局 webhook (a unit)
 *   6 摘要邮箱        email, daily digest at 08:00
 * Routes: 值班 (level >= 1: duty, 值班群), 长春 (level >= 2, region
 * 长春市: 王五邮箱), 垃圾分类摘要 (level >= 1, topic 垃圾分类: 摘要邮箱).
 * Alerts: spread 3 outlets in 1 day, deadlines 24h/12h/5h/1h, T1 30 min,
 * T2 2 h, repeat 6 h, bursts 300 % over 4 weeks with at least 5.
 */
#ifndef MW_TESTS_ENGINE_FIXTURE_H
#define MW_TESTS_ENGINE_FIXTURE_H

#include <stdint.h>

#include "alerts/alerts.h"

/* Monday 2023-05-08 10:00 +08:00. */
#define EF_T0 INT64_C(1683511200)
#define EF_MIN 60
#define EF_HOUR 3600
/* One story's body hash: articles with it join one reprint cluster. */
#define EF_STORY UINT64_C(0xA5E1C0DE12345678)

enum { EF_RMRB, EF_JLRB, EF_ZGJLW, EF_CCRB, EF_N_OUTLETS };

struct ef {
  char *dir, *db, *gaz;
  struct mw_config cfg;
  struct mw_outlet_conf outlets[EF_N_OUTLETS];
  struct mw_source_conf sources[EF_N_OUTLETS];
  struct mw_topic_conf topics[2];
  struct mw_receiver_conf recv[7];
  struct mw_route_conf routes[3];
  struct mw_person_conf people[3];
  struct mw_shift_conf shifts[1];
  struct mw_store *s;
  struct mw_alerts *a;
  int64_t src[EF_N_OUTLETS];
  int next_url;
};

/* A sensitive story in 长春市朝阳区 (its title and body). */
extern const char EF_TITLE[];
extern const char EF_TEXT[];

/* Builds the config only (store and engine not opened). */
struct ef *ef_new_config(void);
/* cmocka setup/teardown: config, store, engine; *state is the struct ef. */
int ef_setup(void **state);
int ef_teardown(void **state);

/* Stores an article of outlet (EF_*) first seen at fetched, with body
 * hash h (0: in no cluster) and a match of topic (NULL: none); its id. */
int64_t ef_add(struct ef *f, int outlet, const char *title, const char *text,
               uint64_t h, int64_t fetched, const char *topic);
/* The cluster of an article, 0 when none. */
int64_t ef_cluster(struct ef *f, int64_t article);
/* Stores an article as ef_add does and hands it to mw_alerts_observe at
 * fetched with level; returns the alert id (0: none). Fails the test on
 * an error. */
int64_t ef_observe(struct ef *f, int outlet, const char *title,
                   const char *text, uint64_t h, int level,
                   const char *topic, int64_t fetched);
/* mw_alerts_tick, failing the test on an error. */
void ef_tick(struct ef *f, int64_t now);
/* mw_alerts_apply; returns its status, err filled. */
int ef_apply(struct ef *f, int64_t id, enum mw_alert_action act,
             const char *actor, const char *unit, int64_t due, int64_t now,
             struct mw_err *err);

/* One integer from the store's file (printf-style SQL); -1 for NULL. */
int64_t ef_q(struct ef *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* One text (malloc'd, NULL for SQL NULL). */
char *ef_qs(struct ef *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The outbox rows after id `after`, as "receiver:kind" joined by spaces
 * in id order ("" when none); malloc'd. */
char *ef_sent(struct ef *f, int64_t after);
/* The last outbox id (0 when empty). */
int64_t ef_last(struct ef *f);
/* The actions of an alert's events, joined by spaces, oldest first. */
char *ef_events(struct ef *f, int64_t alert);

#endif
