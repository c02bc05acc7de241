/*
 * test_config.c: cli/config.c and cli/config_table.c. A file that sets
 * every option gives exactly those values; a minimal one gives the
 * defaults; every class of mistake gives its exact "FILE:LINE:COL: ..."
 * message; the Markdown reference comes from the same table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli/cli.h"
#include "matchers/matchers.h"

static char *data_path(const char *rel) {
  const char *dir = getenv("MW_TEST_DATA");
  assert_non_null(dir);
  struct mw_buf b;
  mw_buf_init(&b, 4096);
  assert_int_equal(mw_buf_printf(&b, "%s/%s", dir, rel), MW_OK);
  return mw_buf_steal(&b);
}

static struct mw_config *load_ok(const char *yaml, const char *name) {
  struct mw_config *cfg = NULL;
  struct mw_err err = {0};
  int rc = mw_config_load_string(yaml, strlen(yaml), name, &cfg, &err);
  if (rc != MW_OK) {
    print_error("unexpected failure: %s\n", err.msg);
    fail();
  }
  assert_non_null(cfg);
  return cfg;
}

static void test_full_config(void **state) {
  (void)state;
  char *path = data_path("cli/full.yaml");
  char *want_db = data_path("cli/data/watch.db");
  struct mw_config *cfg = NULL;
  struct mw_err err = {0};
  int rc = mw_config_load(path, &cfg, &err);
  if (rc) print_error("%s\n", err.msg);
  assert_int_equal(rc, MW_OK);

  assert_string_equal(cfg->path, path);
  assert_string_equal(cfg->storage_path, want_db);
  assert_string_equal(cfg->timezone, "+08:00");
  assert_non_null(cfg->tz);
  assert_int_equal(mw_tz_offset_at(cfg->tz, 0), 28800);
  assert_string_equal(cfg->office_name, "吉林省生态环境厅宣传教育中心");

  const struct mw_crawler_conf *c = &cfg->crawler;
  assert_string_equal(c->user_agent,
                      "mediawatch-test/2.0 (+https://example.org/bot)");
  assert_int_equal(c->concurrency, 16);
  assert_int_equal(c->per_host_concurrency, 2);
  assert_int_equal(c->per_host_delay_ms, 500);
  assert_int_equal(c->connect_timeout_ms, 5000);
  assert_int_equal(c->timeout_ms, 60000);
  assert_int_equal(c->low_speed_timeout_ms, 20000);
  assert_int_equal(c->max_body_bytes, 5 * 1024 * 1024);
  assert_int_equal(c->max_redirects, 3);
  assert_int_equal(c->jitter_pct, 20);
  assert_int_equal(c->backoff_max_s, 7200);
  assert_false(c->respect_robots);
  assert_true(c->allow_private);

  assert_int_equal(cfg->n_outlets, 6);
  static const struct {
    const char *name;
    enum mw_tier tier;
    const char *region;
    int line;
    size_t n_sources;
  } outlets[] = {
      {"人民网", MW_TIER_CENTRAL, "全国", 21, 2},
      {"吉林日报", MW_TIER_PROVINCIAL, "吉林省", 31, 1},
      {"长春市生态环境局", MW_TIER_CITY, "长春市", 38, 1},
      {"黔江区人民政府", MW_TIER_COUNTY, "重庆市黔江区", 43, 1},
      {"吉林省生态环境厅", MW_TIER_PORTAL, NULL, 48, 1},
      {"@生态环境部", MW_TIER_NEW_MEDIA, "全国", 54, 1},
  };
  for (size_t i = 0; i < 6; i++) {
    const struct mw_outlet_conf *o = &cfg->outlets[i];
    assert_string_equal(o->name, outlets[i].name);
    assert_int_equal(o->tier, outlets[i].tier);
    if (outlets[i].region) assert_string_equal(o->region, outlets[i].region);
    else assert_null(o->region);
    assert_int_equal(o->line, outlets[i].line);
    assert_int_equal(o->n_sources, outlets[i].n_sources);
  }
  static const struct {
    size_t outlet, index;
    const char *url;
    enum mw_source_kind kind;
    int64_t poll_s;
    int line;
  } sources[] = {
      {0, 0, "http://env.people.com.cn/rss/environment.xml", MW_SOURCE_FEED, 900, 25},
      {0, 1, "http://env.people.com.cn/GB/index.html", MW_SOURCE_HTML, 3600, 28},
      {1, 0, "https://www.jlrbszb.com/sitemap.xml", MW_SOURCE_SITEMAP, 86400, 35},
      {2, 0, "http://sthjj.changchun.gov.cn/zwdt/", MW_SOURCE_HTML, 2700, 42},
      {3, 0, "http://www.qianjiang.gov.cn/zwgk/rss.xml", MW_SOURCE_FEED, 1800, 47},
      {4, 0, "http://sthjt.jl.gov.cn/xwdt/", MW_SOURCE_HTML, 90, 51},
      {5, 0, "https://rsshub.example.org/weibo/user/5589473012", MW_SOURCE_FEED, 600, 58},
  };
  for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++) {
    const struct mw_source_conf *s =
        &cfg->outlets[sources[i].outlet].sources[sources[i].index];
    assert_string_equal(s->url, sources[i].url);
    assert_int_equal(s->kind, sources[i].kind);
    assert_int_equal(s->poll_interval_s, sources[i].poll_s);
    assert_int_equal(s->line, sources[i].line);
  }

  assert_int_equal(cfg->n_topics, 4);
  assert_string_equal(cfg->topics[0].name, "无废城市");
  assert_int_equal(cfg->topics[0].line, 61);
  assert_int_equal(cfg->topics[0].n_keywords, 2);
  assert_string_equal(cfg->topics[0].keywords[0], "无废城市");
  assert_string_equal(cfg->topics[0].keywords[1], "无废细胞");
  assert_string_equal(cfg->topics[1].name, "垃圾分类");
  assert_int_equal(cfg->topics[1].n_keywords, 3);
  assert_string_equal(cfg->topics[1].keywords[0], "垃圾分类");
  assert_string_equal(cfg->topics[1].keywords[1], "生活垃圾");
  assert_string_equal(cfg->topics[1].keywords[2], "厨余垃圾");
  assert_null(cfg->topics[1].rule);
  const struct mw_topic_conf *rt = &cfg->topics[2];
  assert_string_equal(rt->rule, "NEAR/20(焚烧厂, 抗议 | 反对) -title:招聘");
  assert_int_equal(rt->rule_line, 69);
  assert_int_equal(rt->rule_col, 11);
  assert_int_equal(rt->n_keywords, 0);
  assert_int_equal(rt->n_exclude, 1);
  assert_string_equal(rt->exclude[0], "广告");
  const struct mw_topic_conf *gt = &cfg->topics[3];
  assert_null(gt->rule);
  assert_int_equal(gt->line, 71);
  assert_int_equal(gt->n_regions, 2);
  assert_string_equal(gt->regions[1], "长春");
  assert_int_equal(gt->n_subjects, 2);
  assert_string_equal(gt->subjects[0], "河道");
  assert_int_equal(gt->n_events, 2);
  assert_string_equal(gt->events[1], "恶臭");
  assert_int_equal(gt->n_exclude, 0);

  char *want_lex = data_path("cli/lexicon.tsv");
  const struct mw_sensitivity_conf *sc = &cfg->sensitivity;
  assert_string_equal(sc->lexicon, want_lex);
  free(want_lex);
  assert_int_equal(sc->level_min[0], 3);
  assert_int_equal(sc->level_min[1], 9);
  assert_int_equal(sc->level_min[2], 18);
  assert_int_equal(sc->level_min[3], 36);
  assert_int_equal(sc->title_pct, 250);
  assert_int_equal(sc->negation_window, 8);
  assert_int_equal(sc->kind_pct[0], 90);
  assert_int_equal(sc->kind_pct[1], 50);
  assert_int_equal(sc->kind_pct[2], 70);
  assert_int_equal(sc->kind_pct[3], 160);
  assert_int_equal(sc->kind_pct[4], 220);

  assert_int_equal(cfg->n_targets, 4);
  const struct mw_target_conf *t = cfg->targets;
  assert_string_equal(t[0].name, "中央媒体每月至少1篇");
  assert_string_equal(t[0].topic, "无废城市");
  assert_null(t[0].outlet);
  assert_int_equal(t[0].tier, MW_TIER_CENTRAL);
  assert_string_equal(t[0].period, "month");
  assert_int_equal(t[0].min_count, 1);
  assert_int_equal(t[0].line, 76);
  assert_string_equal(t[1].topic, "垃圾分类");
  assert_string_equal(t[1].outlet, "吉林日报");
  assert_int_equal(t[1].tier, -1);
  assert_string_equal(t[1].period, "week");
  assert_int_equal(t[1].min_count, 2);
  assert_null(t[2].topic);
  assert_null(t[2].outlet);
  assert_string_equal(t[2].period, "year");
  assert_int_equal(t[2].min_count, 1000000);
  assert_int_equal(t[3].tier, MW_TIER_NEW_MEDIA);
  assert_string_equal(t[3].period, "quarter");
  assert_int_equal(t[3].line, 89);

  mw_config_free(cfg);
  free(path);
  free(want_db);
}

#define MINIMAL                                           \
  "outlets:\n"                                            \
  "  - name: 人民网\n"                                    \
  "    tier: central\n"                                   \
  "    sources:\n"                                        \
  "      - url: http://env.people.com.cn/rss/environment.xml\n"

static void test_defaults(void **state) {
  (void)state;
  struct mw_config *cfg = load_ok(MINIMAL, "mini.yaml");
  assert_string_equal(cfg->path, "mini.yaml");
  assert_string_equal(cfg->storage_path, "mediawatch.db");
  assert_string_equal(cfg->timezone, "Asia/Shanghai");
  assert_non_null(cfg->tz);
  assert_int_equal(mw_tz_offset_at(cfg->tz, 1683511200), 28800);
  assert_null(cfg->office_name);
  const struct mw_crawler_conf *c = &cfg->crawler;
  assert_string_equal(c->user_agent, "mediawatch/0.1");
  assert_int_equal(c->concurrency, 8);
  assert_int_equal(c->per_host_concurrency, 1);
  assert_int_equal(c->per_host_delay_ms, 1000);
  assert_int_equal(c->connect_timeout_ms, 10000);
  assert_int_equal(c->timeout_ms, 30000);
  assert_int_equal(c->low_speed_timeout_ms, 15000);
  assert_int_equal(c->max_body_bytes, 10 * 1024 * 1024);
  assert_int_equal(c->max_redirects, 5);
  assert_int_equal(c->jitter_pct, 10);
  assert_int_equal(c->backoff_max_s, 6 * 3600);
  assert_true(c->respect_robots);
  assert_false(c->allow_private);
  assert_int_equal(cfg->n_outlets, 1);
  assert_null(cfg->outlets[0].region);
  assert_int_equal(cfg->outlets[0].media, -1); /* auto: from the tier */
  assert_int_equal(cfg->outlets[0].line, 2);
  assert_int_equal(cfg->outlets[0].sources[0].kind, MW_SOURCE_FEED);
  assert_int_equal(cfg->outlets[0].sources[0].poll_interval_s, 1800);
  assert_int_equal(cfg->outlets[0].sources[0].line, 5);
  assert_int_equal(cfg->n_topics, 0);
  assert_null(cfg->topics);
  assert_int_equal(cfg->n_targets, 0);
  const struct mw_sensitivity_conf *sc = &cfg->sensitivity;
  assert_null(sc->lexicon);
  assert_int_equal(sc->level_min[0], 5);
  assert_int_equal(sc->level_min[1], 15);
  assert_int_equal(sc->level_min[2], 30);
  assert_int_equal(sc->level_min[3], 60);
  assert_int_equal(sc->title_pct, 200);
  assert_int_equal(sc->negation_window, 12);
  assert_int_equal(sc->kind_pct[0], 100);
  assert_int_equal(sc->kind_pct[1], 60);
  assert_int_equal(sc->kind_pct[2], 60);
  assert_int_equal(sc->kind_pct[3], 150);
  assert_int_equal(sc->kind_pct[4], 200);
  mw_config_free(cfg);

  /* A target with only what is required. */
  cfg = load_ok(MINIMAL "targets:\n  - {name: 全部, min: 3}\n", "mini.yaml");
  assert_int_equal(cfg->n_targets, 1);
  assert_null(cfg->targets[0].topic);
  assert_null(cfg->targets[0].outlet);
  assert_int_equal(cfg->targets[0].tier, -1);
  assert_string_equal(cfg->targets[0].period, "month");
  assert_int_equal(cfg->targets[0].min_count, 3);
  assert_int_equal(cfg->targets[0].line, 7);
  mw_config_free(cfg);

  /* Empty optional sections and null optional strings are fine. */
  cfg = load_ok("office:\ncrawler:\ntopics: []\ntargets:\n" MINIMAL, "x.yaml");
  assert_null(cfg->office_name);
  assert_int_equal(cfg->crawler.concurrency, 8);
  mw_config_free(cfg);
  cfg = load_ok("outlets: []\n", "x.yaml");
  assert_int_equal(cfg->n_outlets, 0);
  mw_config_free(cfg);
}

static void test_values(void **state) {
  (void)state;
  /* Quoted numbers are accepted; booleans in their four spellings. */
  struct mw_config *cfg = load_ok(
      "crawler:\n  concurrency: \"12\"\n  respect_robots: FALSE\n"
      "  allow_private_addresses: 'yes'\n  max_body: 1KB\n"
      "  backoff_max: 7d\n" MINIMAL,
      "x.yaml");
  assert_int_equal(cfg->crawler.concurrency, 12);
  assert_false(cfg->crawler.respect_robots);
  assert_true(cfg->crawler.allow_private);
  assert_int_equal(cfg->crawler.max_body_bytes, 1024);
  assert_int_equal(cfg->crawler.backoff_max_s, 7 * 86400);
  mw_config_free(cfg);
  /* Storage: relative to the config's folder, absolute kept. */
  cfg = load_ok(MINIMAL, "conf/site/demo.yaml");
  assert_string_equal(cfg->storage_path, "conf/site/mediawatch.db");
  mw_config_free(cfg);
  cfg = load_ok("storage: /var/lib/mw/watch.db\n" MINIMAL, "conf/demo.yaml");
  assert_string_equal(cfg->storage_path, "/var/lib/mw/watch.db");
  mw_config_free(cfg);
  cfg = load_ok("storage: ../db/w.db\n" MINIMAL, "/etc/mw/demo.yaml");
  assert_string_equal(cfg->storage_path, "/etc/mw/../db/w.db");
  mw_config_free(cfg);
  /* A complaint board weighs as one whatever its tier. */
  cfg = load_ok("outlets:\n  - name: 吉林省网上群众留言板\n    tier: portal\n"
                "    media: complaint\n    sources:\n      - url: http://a.cn/rss.xml\n",
                "x.yaml");
  assert_int_equal(cfg->outlets[0].media, MW_DOC_COMPLAINT);
  mw_config_free(cfg);
  cfg = load_ok("outlets:\n  - name: 人民网\n    tier: central\n"
                "    media: auto\n    sources:\n      - url: http://a.cn/rss.xml\n",
                "x.yaml");
  assert_int_equal(cfg->outlets[0].media, -1);
  mw_config_free(cfg);
  /* The lexicon the same way. */
  cfg = load_ok("sensitivity: {lexicon: lex/words.tsv}\n" MINIMAL,
                "/etc/mw/demo.yaml");
  assert_string_equal(cfg->sensitivity.lexicon, "/etc/mw/lex/words.tsv");
  mw_config_free(cfg);
  cfg = load_ok("sensitivity:\n  lexicon: /srv/words.tsv\n" MINIMAL, "a.yaml");
  assert_string_equal(cfg->sensitivity.lexicon, "/srv/words.tsv");
  mw_config_free(cfg);
  /* A rule in a block scalar keeps its lines; its position is the
   * scalar's. */
  cfg = load_ok(MINIMAL "topics:\n  - name: 垃圾分类\n    rule: |\n"
                "      (垃圾分类 | 生活垃圾)\n      -广告\n", "a.yaml");
  assert_string_equal(cfg->topics[0].rule, "(垃圾分类 | 生活垃圾)\n-广告\n");
  assert_int_equal(cfg->topics[0].rule_line, 8);
  assert_int_equal(cfg->topics[0].rule_col, 11);
  mw_config_free(cfg);
  /* One document, explicitly started and ended, is fine. */
  cfg = load_ok("---\n" MINIMAL "...\n", "x.yaml");
  assert_int_equal(cfg->n_outlets, 1);
  mw_config_free(cfg);
  /* Anchors alone are harmless. */
  cfg = load_ok("office: &o 宣教中心\n" MINIMAL, "x.yaml");
  assert_string_equal(cfg->office_name, "宣教中心");
  mw_config_free(cfg);
}

struct bad {
  const char *yaml;
  const char *msg;
};

#define SRC "    sources:\n      - url: http://a.cn/rss.xml\n"

static const struct bad bad_cases[] = {
    /* 0: unknown key with a suggestion */
    {"crawler:\n  concurency: 4\n" MINIMAL,
     "demo.yaml:2:3: unknown key 'concurency' in crawler (did you mean "
     "'concurrency'?)"},
    {"colour: blue\n" MINIMAL, "demo.yaml:1:1: unknown key 'colour' at top level"},
    {"stroage: x.db\n" MINIMAL,
     "demo.yaml:1:1: unknown key 'stroage' at top level (did you mean "
     "'storage'?)"},
    {"outlets:\n  - name: 人民网\n    teir: central\n" SRC,
     "demo.yaml:3:5: unknown key 'teir' in outlet '人民网' (did you mean "
     "'tier'?)"},
    {"outlets:\n  - name: 人民网\n    tier: central\n    sources:\n"
     "      - url: http://a.cn/rss.xml\n        pol: 5m\n",
     "demo.yaml:6:9: unknown key 'pol' in source 'http://a.cn/rss.xml' (did "
     "you mean 'poll'?)"},
    /* 5: wrong types and bounds */
    {"crawler:\n  concurrency: many\n" MINIMAL,
     "demo.yaml:2:16: 'concurrency' must be an integer between 1 and 1000, "
     "got 'many'"},
    {"crawler:\n  concurrency: 0\n" MINIMAL,
     "demo.yaml:2:16: 'concurrency' must be an integer between 1 and 1000, "
     "got '0'"},
    {"crawler:\n  concurrency: 5.5\n" MINIMAL,
     "demo.yaml:2:16: 'concurrency' must be an integer between 1 and 1000, "
     "got '5.5'"},
    {"crawler:\n  concurrency:\n" MINIMAL,
     "demo.yaml:2:15: 'concurrency' must be an integer between 1 and 1000, "
     "got nothing"},
    {"crawler:\n  concurrency: [1, 2]\n" MINIMAL,
     "demo.yaml:2:16: 'concurrency' must be an integer between 1 and 1000, "
     "got a list"},
    /* 10 */
    {"crawler:\n  respect_robots: maybe\n" MINIMAL,
     "demo.yaml:2:19: 'respect_robots' must be true or false, got 'maybe'"},
    {"crawler:\n  max_body: 2GB\n" MINIMAL,
     "demo.yaml:2:13: 'max_body' must be a size between 1KB and 1GB (such as "
     "10MB), got '2GB'"},
    {"crawler:\n  backoff_max: soon\n" MINIMAL,
     "demo.yaml:2:16: 'backoff_max' must be a duration between 1s and 7d "
     "(such as 30m), got 'soon'"},
    {"outlets:\n  - name: 人民网\n    tier: central\n    sources:\n"
     "      - url: http://a.cn/rss.xml\n        poll: 10d\n",
     "demo.yaml:6:15: 'poll' must be a duration between 1s and 7d (such as "
     "30m), got '10d'"},
    {"outlets:\n  - name: 人民网\n    tier: national\n" SRC,
     "demo.yaml:3:11: 'tier' must be one of central, provincial, city, "
     "county, portal, new-media, got 'national'"},
    /* 15 */
    {"outlets:\n  - name: 人民网\n    tier: central\n    sources:\n"
     "      - url: http://a.cn/rss.xml\n        kind: atom\n",
     "demo.yaml:6:15: 'kind' must be one of feed, html, sitemap, got 'atom'"},
    {"outlets:\n  - name: 留言板\n    tier: portal\n    media: forum\n" SRC,
     "demo.yaml:4:12: 'media' must be one of auto, press, portal, social, "
     "complaint, got 'forum'"},
    {"outlets:\n  - name: 人民网\n    tier: central\n    sources:\n"
     "      - url: ftp://ftp.example.cn/feed.xml\n",
     "demo.yaml:5:14: 'url' must be an http:// or https:// URL, got "
     "'ftp://ftp.example.cn/feed.xml'"},
    {"outlets:\n  - name: 人民网\n    tier: central\n    sources:\n"
     "      - url: file:///etc/passwd\n",
     "demo.yaml:5:14: 'url' must be an http:// or https:// URL, got "
     "'file:///etc/passwd'"},
    {"outlets:\n  - name: 人民网\n    tier: central\n    sources:\n"
     "      - url: http:///no-host\n",
     "demo.yaml:5:14: 'url' must be an http:// or https:// URL, got "
     "'http:///no-host'"},
    {"crawler: fast\n" MINIMAL,
     "demo.yaml:1:10: 'crawler' must be a mapping of settings, got 'fast'"},
    /* 20: missing and empty */
    {"outlets:\n  - name: 人民网\n" SRC,
     "demo.yaml:2:5: outlet '人民网' is missing required key 'tier'"},
    {"outlets:\n  - tier: central\n" SRC,
     "demo.yaml:2:5: outlet #1 is missing required key 'name'"},
    {"outlets:\n  - name: 人民网\n    tier: central\n    sources: []\n",
     "demo.yaml:4:14: 'sources' of outlet '人民网' must not be empty"},
    {"outlets:\n  - name: 人民网\n    tier: central\n    sources:\n"
     "      - kind: html\n",
     "demo.yaml:5:9: source #1 of outlet '人民网' is missing required key "
     "'url'"},
    {"storage: a.db\n",
     "demo.yaml:1:1: the configuration is missing required key 'outlets'"},
    /* 25 */
    {"outlets:\n  - name: \"\"\n    tier: central\n" SRC,
     "demo.yaml:2:11: 'name' must be a non-empty string, got ''"},
    {"outlets:\n  - 人民网\n",
     "demo.yaml:2:5: each item of 'outlets' must be a mapping, got '人民网'"},
    {"outlets: 人民网\n", "demo.yaml:1:10: 'outlets' must be a list, got '人民网'"},
    {"outlets:\n", "demo.yaml:1:9: 'outlets' must be a list, got nothing"},
    {"- a\n- b\n",
     "demo.yaml:1:1: the configuration must be a mapping of keys such as "
     "'storage:' and 'outlets:', got a list"},
    /* 30: duplicates */
    {"crawler: {}\n" MINIMAL "crawler:\n  concurrency: 2\n",
     "demo.yaml:7:1: duplicate key 'crawler' at top level (first at line 1)"},
    {"outlets:\n  - name: 人民网\n    tier: central\n    tier: city\n" SRC,
     "demo.yaml:4:5: duplicate key 'tier' in outlet '人民网' (first at line "
     "3)"},
    {MINIMAL "  - name: 吉林日报\n    tier: provincial\n" SRC
             "  - name: 人民网\n    tier: central\n    sources:\n"
             "      - url: http://b.cn/\n",
     "demo.yaml:10:11: duplicate outlet name '人民网' (first defined at line "
     "2)"},
    {MINIMAL "  - name: 吉林日报\n    tier: provincial\n    sources:\n"
             "      - url: http://env.people.com.cn/rss/environment.xml\n",
     "demo.yaml:9:14: duplicate source url "
     "'http://env.people.com.cn/rss/environment.xml' (first defined at line "
     "5)"},
    {MINIMAL "topics:\n  - {name: 无废城市, keywords: [无废城市]}\n"
             "  - {name: 无废城市, keywords: [无废细胞]}\n",
     "demo.yaml:8:12: duplicate topic name '无废城市' (first defined at line "
     "7)"},
    /* 35: topics and targets */
    {MINIMAL "topics:\n  - name: 无废城市\n    keywords: []\n",
     "demo.yaml:8:15: 'keywords' of topic '无废城市' must not be empty"},
    {MINIMAL "topics:\n  - name: 无废城市\n    keywords: [无废城市, \"\"]\n",
     "demo.yaml:8:22: each of the 'keywords' of topic '无废城市' must be a "
     "non-empty string, got ''"},
    {MINIMAL "topics:\n  - name: 无废城市\n    keywords: 无废城市\n",
     "demo.yaml:8:15: 'keywords' must be a list of strings such as [无废城市, "
     "无废细胞], got '无废城市'"},
    {MINIMAL "topics:\n  - {name: 无废城市, keywords: [无废城市]}\n"
             "targets:\n  - name: 每月一篇\n    topic: 无废\n    min: 1\n",
     "demo.yaml:10:12: target '每月一篇' names topic '无废', which is not "
     "defined under topics"},
    {MINIMAL "targets:\n  - name: 每月一篇\n    outlet: 新华网\n    min: 1\n",
     "demo.yaml:8:13: target '每月一篇' names outlet '新华网', which is "
     "not defined under outlets"},
    /* 40 */
    {MINIMAL "targets:\n  - name: 每月一篇\n    period: daily\n    min: 1\n",
     "demo.yaml:8:13: 'period' must be one of week, month, quarter, year, "
     "range, got 'daily'"},
    {MINIMAL "targets:\n  - name: 每月一篇\n",
     "demo.yaml:7:5: target '每月一篇' is missing required key 'min'"},
    {MINIMAL "targets:\n  - name: 每月一篇\n    min: 0\n",
     "demo.yaml:8:10: 'min' must be an integer between 1 and 1000000, got "
     "'0'"},
    {"timezone: Mars/Olympus\n" MINIMAL,
     "demo.yaml:1:11: unknown time zone 'Mars/Olympus' (not in "
     "/usr/share/zoneinfo; install tzdata or write an offset such as "
     "+08:00)"},
    {"timezone: ../../etc/passwd\n" MINIMAL,
     "demo.yaml:1:11: time zone '../../etc/passwd' is not a zone name"},
    /* 45: YAML itself */
    {"# demo\nstorage: x\n- y\n",
     "demo.yaml:3:1: YAML syntax error: did not find expected key (while "
     "parsing a block mapping at 2:1)"},
    {"office: [a\n",
     "demo.yaml:2:1: YAML syntax error: did not find expected ',' or ']' "
     "(while parsing a flow sequence at 1:9)"},
    {"office: &o x\nregion: *o\n" MINIMAL,
     "demo.yaml:2:9: YAML aliases (*o) are not supported; write the value out "
     "in full"},
    {MINIMAL "---\nstorage: b.db\n",
     "demo.yaml:6:1: a second YAML document starts here; the configuration "
     "is one document"},
    {"", "demo.yaml: the configuration is empty; it needs at least 'outlets'"},
    /* 50 */
    {"# only a comment\n",
     "demo.yaml: the configuration is empty; it needs at least 'outlets'"},
    {"office: \"\xff\"\n" MINIMAL,
     "demo.yaml: cannot read as YAML: invalid leading UTF-8 octet at byte 9 "
     "(save the file as UTF-8)"},
    {"office: \"a\\0b\"\n" MINIMAL,
     "demo.yaml:1:9: 'office' must not contain NUL characters"},
    {"? [a]\n: b\n" MINIMAL, "demo.yaml:1:3: keys must be plain names, got a list at top level"},
    /* 55: topic forms and sensitivity */
    {MINIMAL "topics:\n  - name: 无废城市\n",
     "demo.yaml:7:5: topic '无废城市' needs 'keywords', a 'rule', or the "
     "grouped form ('subjects' with 'regions' and 'events')"},
    {MINIMAL "topics:\n  - name: 无废城市\n    exclude: [广告]\n",
     "demo.yaml:7:5: topic '无废城市' needs 'keywords', a 'rule', or the "
     "grouped form ('subjects' with 'regions' and 'events')"},
    {MINIMAL "topics:\n  - name: 无废城市\n    keywords: [无废城市]\n"
             "    rule: 无废城市 | 无废细胞\n",
     "demo.yaml:7:5: topic '无废城市' has both keywords and rule; write it "
     "one way (exclude works with any)"},
    {MINIMAL "topics:\n  - name: 无废城市\n    rule: 无废城市\n"
             "    subjects: [无废城市]\n",
     "demo.yaml:7:5: topic '无废城市' has both rule and the grouped form; "
     "write it one way (exclude works with any)"},
    {MINIMAL "topics:\n  - name: 无废城市\n    regions: []\n",
     "demo.yaml:8:14: 'regions' of topic '无废城市' must not be empty"},
    /* 60 */
    {MINIMAL "topics:\n  - name: 无废城市\n    rule: [a, b]\n",
     "demo.yaml:8:11: 'rule' must be a string, got a list"},
    {"sensitivity:\n  level2: 3\n" MINIMAL,
     "demo.yaml:2:3: 'level2' (3) must be above 'level1' (5)"},
    {"sensitivity:\n  levle1: 3\n" MINIMAL,
     "demo.yaml:2:3: unknown key 'levle1' in sensitivity (did you mean "
     "'level1'?)"},
    {"sensitivity:\n  title_pct: 2x\n" MINIMAL,
     "demo.yaml:2:14: 'title_pct' must be an integer between 0 and 1000, "
     "got '2x'"},
    {"sensitivity: yes\n" MINIMAL,
     "demo.yaml:1:14: 'sensitivity' must be a mapping of settings, got "
     "'yes'"},
    /* 65: targets */
    {MINIMAL "targets:\n  - name: 央媒\n    outlets: [人民网, 人民日网]\n"
             "    min: 1\n",
     "demo.yaml:8:20: target '央媒' names outlet '人民日网', which is not "
     "defined under outlets (did you mean '人民网'?)"},
    {MINIMAL "topics:\n  - {name: 无废城市, keywords: [无废城市]}\n"
             "targets:\n  - name: 央媒\n    topics: [无废城巿]\n    min: 1\n",
     "demo.yaml:10:14: target '央媒' names topic '无废城巿', which is not "
     "defined under topics (did you mean '无废城市'?)"},
    {MINIMAL "targets:\n  - name: 各镇街\n    each: [永昌街道]\n"
             "    mentions: [长春]\n    min: 2\n",
     "demo.yaml:8:12: target '各镇街' has both 'each' and 'mentions'; 'each' "
     "already counts the articles that mention its item"},
    {MINIMAL "targets:\n  - name: 宣传周\n    period: range\n"
             "    from: 2023-05-22\n    min: 2\n",
     "demo.yaml:8:13: target '宣传周' has period range without 'to'; give "
     "both from and to (YYYY-MM-DD)"},
    {MINIMAL "targets:\n  - name: 宣传周\n    period: range\n"
             "    from: 2023-05-22\n    to: 2023-05-21\n    min: 2\n",
     "demo.yaml:10:9: target '宣传周' ends (2023-05-21) before it starts "
     "(2023-05-22)"},
    /* 70 */
    {MINIMAL "targets:\n  - name: 宣传周\n    period: month\n"
             "    from: 2023-05-22\n    min: 2\n",
     "demo.yaml:9:11: target '宣传周' has 'from' but its period is month; "
     "'from' and 'to' go with period: range"},
    {MINIMAL "targets:\n  - name: 宣传周\n    period: range\n"
             "    from: 2023-5-22\n    to: 2023-05-28\n    min: 2\n",
     "demo.yaml:9:11: target '宣传周' has from '2023-5-22', which is not a "
     "date like 2023-05-01"},
    {MINIMAL "targets:\n  - name: 宣传周\n    count: clusters\n    min: 2\n",
     "demo.yaml:8:12: target '宣传周' has count 'clusters'; write articles or "
     "stories"},
    {MINIMAL "targets:\n  - name: 各镇街\n    each: [永昌街道, \"\"]\n"
             "    min: 2\n",
     "demo.yaml:8:18: each of the 'each' of target '各镇街' must be a "
     "non-empty string, got ''"},
};

/* The target keys beyond the one-outlet, one-topic form: lists, each,
 * a date range and counting stories. */
static void test_targets_full(void **state) {
  (void)state;
  struct mw_config *cfg = load_ok(
      MINIMAL "  - name: 中国环境报\n    tier: central\n    sources:\n"
              "      - url: http://b.cn/rss.xml\n"
              "topics:\n  - {name: 无废城市, keywords: [无废城市]}\n"
              "  - {name: 垃圾分类, keywords: [垃圾分类]}\n"
              "targets:\n"
              "  - name: 央媒\n    outlets: [人民网, 中国环境报]\n"
              "    topic: 无废城市\n    topics: [垃圾分类]\n"
              "    count: stories\n    min: 3\n"
              "  - name: 各镇街\n    each: [永昌街道, 奢岭街道]\n    min: 2\n"
              "  - name: 宣传周\n    mentions: [长春]\n    period: range\n"
              "    from: 2023-05-22\n    to: 2023-05-28\n    min: 1\n",
      "t.yaml");
  assert_int_equal(cfg->n_targets, 3);
  const struct mw_target_conf *t = cfg->targets;
  assert_int_equal(t[0].n_outlets, 2);
  assert_string_equal(t[0].outlets[1], "中国环境报");
  assert_string_equal(t[0].topic, "无废城市");
  assert_int_equal(t[0].n_topics, 1);
  assert_string_equal(t[0].topics[0], "垃圾分类");
  assert_true(t[0].stories);
  assert_int_equal(t[1].n_each, 2);
  assert_string_equal(t[1].each[1], "奢岭街道");
  assert_false(t[1].stories);
  assert_string_equal(t[1].period, "month");
  assert_int_equal(t[2].n_mentions, 1);
  assert_string_equal(t[2].period, "range");
  assert_int_equal(t[2].from_day, mw_days_from_civil(2023, 5, 22));
  assert_int_equal(t[2].to_day, mw_days_from_civil(2023, 5, 28));
  mw_config_free(cfg);
}

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
  }
  assert_int_equal(failures, 0);
}

static void test_nesting_bound(void **state) {
  (void)state;
  struct mw_buf b;
  mw_buf_init(&b, 4096);
  assert_int_equal(mw_buf_puts(&b, "office: "), MW_OK);
  for (int i = 0; i < 40; i++) assert_int_equal(mw_buf_putc(&b, '['), MW_OK);
  for (int i = 0; i < 40; i++) assert_int_equal(mw_buf_putc(&b, ']'), MW_OK);
  assert_int_equal(mw_buf_putc(&b, '\n'), MW_OK);
  struct mw_config *cfg = NULL;
  struct mw_err err = {0};
  assert_int_equal(mw_config_load_string(b.data, b.len, "deep.yaml", &cfg, &err),
                   MW_EINVAL);
  assert_string_equal(err.msg, "deep.yaml:1:40: nesting deeper than 32 levels");
  assert_null(cfg);
  mw_buf_cleanup(&b);
}

static void test_size_bound(void **state) {
  (void)state;
  size_t n = 4 * 1024 * 1024 + 1;
  char *big = malloc(n);
  assert_non_null(big);
  memset(big, '#', n);
  struct mw_config *cfg = NULL;
  struct mw_err err = {0};
  assert_int_equal(mw_config_load_string(big, n, "big.yaml", &cfg, &err),
                   MW_EINVAL);
  assert_string_equal(err.msg, "big.yaml: config file is larger than 4 MB");

  char tmpl[] = "/tmp/mw_test_config_XXXXXX";
  int fd = mkstemp(tmpl);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(big, 1, n, f), n);
  fclose(f);
  assert_int_equal(mw_config_load(tmpl, &cfg, &err), MW_EINVAL);
  char want[128];
  snprintf(want, sizeof want, "%s: config file is larger than 4 MB", tmpl);
  assert_string_equal(err.msg, want);
  assert_null(cfg);
  unlink(tmpl);
  free(big);
}

static void test_missing_file(void **state) {
  (void)state;
  struct mw_config *cfg = NULL;
  struct mw_err err = {0};
  assert_int_equal(mw_config_load("/nonexistent/mediawatch/demo.yaml", &cfg, &err),
                   MW_EINVAL);
  assert_string_equal(err.msg, "/nonexistent/mediawatch/demo.yaml: cannot "
                               "open: No such file or directory");
  assert_null(cfg);
  mw_config_free(NULL);
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
      "# Configuration reference\n",
      "\n## Top level\n",
      "\n## crawler\n",
      "\n## outlets[]\n",
      "\n## sources[]\n",
      "\n## topics[]\n",
      "\n## targets[]\n",
      "| key | type | default | description |\n|---|---|---|---|\n",
      "| `storage` | path | `mediawatch.db` | SQLite database file; a relative "
      "path is taken from the config file's folder |\n",
      "| `concurrency` | integer 1..1000 | `8` | transfers in flight across "
      "all hosts |\n",
      "| `max_body` | size 1KB..1GB | `10MB` |",
      "| `backoff_max` | duration 1s..7d | `6h` |",
      "| `respect_robots` | true or false | `true` |",
      "| `outlets` | list | required |",
      "| `tier` | one of central, provincial, city, county, portal, new-media "
      "| required |",
      "| `url` | http(s) URL | required | address of the feed or page; "
      "unique in the file |\n",
      "| `poll` | duration 1s..7d | `30m` | how often the source is fetched "
      "|\n",
      "| `keywords` | list of strings | none |",
      "| `rule` | string | none |",
      "| `subjects` | list of strings | none |",
      "\n## sensitivity\n",
      "| `lexicon` | path | none |",
      "| `level1` | integer 1..100000 | `5` | least score for alert level 1 "
      "一般 (blue) |\n",
      "| `social_pct` | integer 0..1000 | `150` |",
      "| `tier` | one of central, provincial, city, county, portal, "
      "new-media, any | `any` |",
      "| `min` | integer 1..1000000 | required |",
      "| `office` | string | none |",
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    if (!strstr(text, want[i])) {
      print_error("reference lacks: %s\n---\n%s\n", want[i], text);
      fail();
    }
  }
  /* Sections come in order. */
  assert_true(strstr(text, "## crawler") < strstr(text, "## outlets[]"));
  assert_true(strstr(text, "## sources[]") < strstr(text, "## targets[]"));
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_full_config),
      cmocka_unit_test(test_defaults),
      cmocka_unit_test(test_values),
      cmocka_unit_test(test_targets_full),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_nesting_bound),
      cmocka_unit_test(test_size_bound),
      cmocka_unit_test(test_missing_file),
      cmocka_unit_test(test_reference),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
