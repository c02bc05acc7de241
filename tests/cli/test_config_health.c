/*
 * test_config_health.c: the options of issue 10 in cli/config_table.c:
 * health:, crawler.adaptive / poll_min / poll_max / adapt_after,
 * sources[].adaptive, people[].admin: their defaults, values and the
 * messages for values out of bounds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cli/cli.h"

#define MINIMAL                                           \
  "outlets:\n"                                            \
  "  - name: 人民网\n"                                    \
  "    tier: central\n"                                   \
  "    sources:\n"                                        \
  "      - url: http://env.people.com.cn/rss/environment.xml\n"

static struct mw_config *load(const char *yaml, struct mw_err *err) {
  struct mw_config *cfg = NULL;
  if (mw_config_load_string(yaml, strlen(yaml), "h.yaml", &cfg, err))
    return NULL;
  return cfg;
}

static void test_defaults(void **state) {
  (void)state;
  struct mw_err err = {0};
  struct mw_config *cfg = load(MINIMAL, &err);
  assert_non_null(cfg);
  const struct mw_health_conf *h = &cfg->health;
  assert_int_equal(h->unreachable_s, 6 * 3600);
  assert_int_equal(h->links_drop_pct, 50);
  assert_int_equal(h->extraction_drop_pct, 30);
  assert_int_equal(h->mojibake_pct, 10);
  assert_int_equal(h->silence_factor, 3);
  assert_int_equal(h->silence_min_s, 2 * 86400);
  assert_int_equal(h->body_min, 100);
  assert_int_equal(h->recent_articles, 10);
  assert_string_equal(h->digest_at, "08:30");
  assert_int_equal(h->digest_minute, 8 * 60 + 30);
  assert_true(cfg->crawler.adaptive);
  assert_int_equal(cfg->crawler.poll_min_s, 300);
  assert_int_equal(cfg->crawler.poll_max_s, 4 * 3600);
  assert_int_equal(cfg->crawler.adapt_after_s, 7 * 86400);
  assert_true(cfg->outlets[0].sources[0].adaptive);
  mw_config_free(cfg);
}

static void test_values(void **state) {
  (void)state;
  struct mw_err err = {0};
  struct mw_config *cfg = load(
      "crawler:\n"
      "  adaptive: false\n"
      "  poll_min: 2m\n"
      "  poll_max: 12h\n"
      "  adapt_after: 0s\n"
      "health:\n"
      "  unreachable_after: 1h\n"
      "  links_drop_pct: 25\n"
      "  extraction_drop_pct: 50\n"
      "  mojibake_pct: 20\n"
      "  silence_factor: 4\n"
      "  silence_min: 3d\n"
      "  body_min: 300\n"
      "  recent_articles: 20\n"
      "  digest_at: \"17:05\"\n"
      "outlets:\n"
      "  - name: 留言板\n"
      "    tier: portal\n"
      "    sources:\n"
      "      - url: http://liuyan.example.cn/rss.xml\n"
      "        poll: 2m\n"
      "        adaptive: false\n"
      "alerts:\n"
      "  receivers:\n"
      "    - name: ops\n"
      "      kind: webhook\n"
      "      url: http://127.0.0.1:9/hook\n"
      "  people:\n"
      "    - name: 运维\n"
      "      receivers: [ops]\n"
      "      admin: true\n"
      "    - name: 张伟\n"
      "      receivers: [ops]\n",
      &err);
  if (!cfg) print_error("%s\n", err.msg);
  assert_non_null(cfg);
  const struct mw_health_conf *h = &cfg->health;
  assert_int_equal(h->unreachable_s, 3600);
  assert_int_equal(h->links_drop_pct, 25);
  assert_int_equal(h->extraction_drop_pct, 50);
  assert_int_equal(h->mojibake_pct, 20);
  assert_int_equal(h->silence_factor, 4);
  assert_int_equal(h->silence_min_s, 3 * 86400);
  assert_int_equal(h->body_min, 300);
  assert_int_equal(h->recent_articles, 20);
  assert_int_equal(h->digest_minute, 17 * 60 + 5);
  assert_false(cfg->crawler.adaptive);
  assert_int_equal(cfg->crawler.poll_min_s, 120);
  assert_int_equal(cfg->crawler.poll_max_s, 12 * 3600);
  assert_int_equal(cfg->crawler.adapt_after_s, 0);
  assert_false(cfg->outlets[0].sources[0].adaptive);
  assert_true(cfg->alerts.people[0].admin);
  assert_false(cfg->alerts.people[1].admin);
  mw_config_free(cfg);
}

static void test_errors(void **state) {
  (void)state;
  static const struct {
    const char *yaml, *want;
  } cases[] = {
      {"health:\n  mojibake_pct: 0\n" MINIMAL,
       "h.yaml:2:17: 'mojibake_pct' must be an integer between 1 and 100"},
      {"health:\n  digest_at: \"25:00\"\n" MINIMAL, "h.yaml:2:14:"},
      {"health:\n  silence_factor: 1\n" MINIMAL,
       "h.yaml:2:19: 'silence_factor' must be an integer between 2 and 100"},
      {"health:\n  unreachible_after: 1h\n" MINIMAL,
       "h.yaml:2:3: unknown key 'unreachible_after' in health (did you mean "
       "'unreachable_after'?)"},
      {"crawler:\n  poll_max: 10s\n" MINIMAL,
       "h.yaml:2:13: 'poll_max' must be a duration between 1m and 7d"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct mw_err err = {0};
    struct mw_config *cfg = load(cases[i].yaml, &err);
    assert_null(cfg);
    if (strncmp(err.msg, cases[i].want, strlen(cases[i].want)))
      print_error("case %zu: got '%s'\n", i, err.msg);
    assert_int_equal(strncmp(err.msg, cases[i].want, strlen(cases[i].want)),
                     0);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_defaults),
      cmocka_unit_test(test_values),
      cmocka_unit_test(test_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
