/*
 * test_api_fixture.h: a live server over a seeded store for the JSON API
 * tests (test_api.c, test_api_alerts.c).
 *
 * The clock stands at Wednesday 2026-11-25 10:00 in Shanghai (ISO week
 * 2026-W48, Monday 2026-11-23). Seeded through the store API before the
 * server starts (wt_new of web_test_util over tu_config_three: 人民日报
 * central with two feeds, 吉林日报 provincial html, 长春日报 city feed):
 *
 *   articles (text from the seed documents, indexed for search), stored
 *   A3 first (crawled a week ago), then A0, A1, A2
 *     A0 人民日报  Mon 11-23 09:00  topic 无废城市
 *     A1 吉林日报  Tue 11-24 15:00  topic 垃圾分类
 *     A2 长春日报  Tue 11-24 08:00  topic 无废城市, title with a <script>
 *     A3 人民日报  Wed 11-18 09:00  topic 垃圾分类 (the week before)
 *   fetches: 人民日报 env feed ok (200) at now-10min; 吉林日报 failing
 *     (503, twice) at now-5min; the other two never polled.
 *   alerts (inserted as the engine would store them)
 *     L0 level 3 new       article A2, 吉林省长春市朝阳区, 无废城市, <script>
 * title L1 level 2 reported  article A0, acked by li, 无废城市 L2 level 1
 * closed    article A1, 吉林省, 垃圾分类 target: 中央媒体每周至少2篇 (central,
 * week, min 2). Sessions of the three users of web_test_util are signed in.
 */
#ifndef MW_TEST_API_FIXTURE_H
#define MW_TEST_API_FIXTURE_H

#include <jansson.h>

#include "tests/web/web_test_util.h"

#define TA_NOW INT64_C(1795572000) /* Wed 2026-11-25 10:00 +08:00 */
#define TA_MON INT64_C(1795363200) /* Mon 2026-11-23 00:00 +08:00 */
#define TA_H INT64_C(3600)
#define TA_D INT64_C(86400)

extern const char
    TA_XSS_TITLE[]; /* "<script>alert(1)</script>无废细胞进社区" */

struct ta {
  struct wt *w;
  int64_t src[4];   /* source ids in config order */
  int64_t art[4];   /* A0..A3 */
  int64_t alert[3]; /* L0..L2 */
  struct mw_target_conf target;
  struct wt_session viewer, duty, admin;
};

/* cmocka setup and teardown: *state is the struct ta. */
int ta_setup(void **state);
int ta_teardown(void **state);

/* GET path with session s (may be NULL); fails the test unless the status
 * is want; returns the body as JSON (caller decrefs). */
json_t *ta_get(struct ta *f, const char *path, const struct wt_session *s,
               long want);
/* POST json with s and its CSRF token; as ta_get. */
json_t *ta_post(struct ta *f, const char *path, const struct wt_session *s,
                const char *json, long want);
/* q must answer status with {"error": code, "message": ...} whose message
 * contains msg_part (NULL: any). */
void ta_expect_error(struct ta *f, const struct wt_req *q, long status,
                     const char *code, const char *msg_part);

/* One refused argument: GET path must answer 400 "invalid" naming part. */
struct ta_bad {
  const char *path, *part;
};
/* Each of the n paths of bad, asked by the viewer, must be refused so. */
void ta_expect_invalid(struct ta *f, const struct ta_bad *bad, size_t n);

/* s percent-encoded for a query or path into out (n bytes, cut short
 * fails the test). */
void ta_enc(const char *s, char *out, size_t n);

/* Member key of object j as a string / integer; fails when missing or of
 * another type. */
const char *ta_str(json_t *j, const char *key);
int64_t ta_int(json_t *j, const char *key);
/* Element i of array arr / member key of object j; fails when missing. */
json_t *ta_at(json_t *arr, size_t i);
json_t *ta_member(json_t *j, const char *key);

/* A cmocka test run against a freshly seeded server (needs <cmocka.h>). */
#define TA_TEST(fn) cmocka_unit_test_setup_teardown(fn, ta_setup, ta_teardown)

#endif
