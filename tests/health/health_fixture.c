/* The fixture of tests/health (health_fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/cli.h"
#include "tests/health/health_fixture.h"
#include "tests/store/store_test_util.h"

const char hf_yaml_base[] =
    "timezone: \"+08:00\"\n"
    "outlets:\n"
    "  - name: 长春市生态环境局\n"
    "    tier: city\n"
    "    sources:\n"
    "      - url: http://sthjj.changchun.gov.cn/hjyw/\n"
    "        kind: html\n"
    "  - name: 吉林日报\n"
    "    tier: provincial\n"
    "    sources:\n"
    "      - url: https://www.jlrbszb.com/rss.xml\n"
    "  - name: 人民网\n"
    "    tier: central\n"
    "    sources:\n"
    "      - url: http://env.people.com.cn/rss/environment.xml\n"
    "topics:\n"
    "  - name: 无废城市\n"
    "    keywords: [无废城市]\n"
    "targets:\n"
    "  - name: 长春市生态环境局每月4篇\n"
    "    outlet: 长春市生态环境局\n"
    "    period: month\n"
    "    min: 4\n"
    "health:\n"
    "  digest_at: \"08:30\"\n";

const char hf_yaml_admins[] =
    "alerts:\n"
    "  receivers:\n"
    "    - name: hook\n"
    "      kind: webhook\n"
    "      url: http://10.1.2.9/mediawatch/hook\n"
    "    - name: 运维群\n"
    "      kind: wecom\n"
    "      url_env: MW_WECOM_URL\n"
    "  people:\n"
    "    - name: 运维\n"
    "      receivers: [hook, 运维群]\n"
    "      admin: true\n"
    "    - name: 李娜\n"
    "      receivers: [运维群]\n"
    "      admin: true\n"
    "    - name: 张伟\n"
    "      receivers: [hook]\n";

struct mw_config *hf_config(const char *yaml) {
  struct mw_config *cfg = NULL;
  struct mw_err err = {0};
  if (mw_config_load_string(yaml, strlen(yaml), "health.yaml", &cfg, &err))
    fail_msg("config: %s", err.msg);
  return cfg;
}

void hf_open(struct hf *f, const char *extra) {
  memset(f, 0, sizeof *f);
  size_t n = strlen(hf_yaml_base) + strlen(extra) + 1;
  char *yaml = malloc(n);
  snprintf(yaml, n, "%s%s", hf_yaml_base, extra);
  f->cfg = hf_config(yaml);
  free(yaml);
  f->dir = tu_tmpdir();
  f->path = tu_path(f->dir, "mw.db");
  struct mw_err err = {0};
  if (mw_store_open(f->path, &f->s, &err)) fail_msg("open: %s", err.msg);
  if (mw_store_sync_config(f->s, f->cfg, &err)) fail_msg("sync: %s", err.msg);
  struct mw_source_state *src = NULL;
  size_t ns = 0;
  if (mw_store_list_sources(f->s, &src, &ns, &err))
    fail_msg("list: %s", err.msg);
  assert_int_equal(ns, 3);
  for (size_t i = 0; i < ns; i++) {
    if (strcmp(src[i].outlet_name, "长春市生态环境局") == 0) f->cc = src[i].id;
    if (strcmp(src[i].outlet_name, "吉林日报") == 0) f->jl = src[i].id;
    if (strcmp(src[i].outlet_name, "人民网") == 0) f->rm = src[i].id;
  }
  mw_store_sources_free(src, ns);
  assert_true(f->cc && f->jl && f->rm);
}

void hf_close(struct hf *f) {
  mw_store_close(f->s);
  mw_config_free(f->cfg);
  tu_rmtree(f->dir);
  free(f->path);
  free(f->dir);
}

int64_t hf_local(int y, int mo, int d, int h, int mi) {
  return mw_time_from_civil(y, mo, d, h, mi, 0, 8 * 3600);
}

void hf_fetch(struct hf *f, int64_t source_id, int64_t when, long status,
              int64_t links, const char *error) {
  struct mw_fetch_record r = {
      .source_id = source_id,
      .when = when,
      .ok = error == NULL,
      .http_status = status,
      .error = error,
      .next_due = when + 900,
      .links_known = error == NULL && status == 200 && links >= 0,
      .links = links,
  };
  struct mw_err err = {0};
  if (mw_store_record_fetch(f->s, &r, &err)) fail_msg("fetch: %s", err.msg);
}

int64_t hf_article(struct hf *f, int64_t source_id, const char *url,
                   int64_t published, unsigned flags) {
  struct mw_article a = {.source_id = source_id,
                         .url = url,
                         .title = "长春市推进无废城市建设",
                         .text = "无废城市建设试点工作方案",
                         .published = published,
                         .fetched = published};
  int64_t id = 0;
  bool inserted = false;
  struct mw_err err = {0};
  if (mw_store_add_article(f->s, &a, &id, &inserted, &err))
    fail_msg("article: %s", err.msg);
  assert_true(inserted);
  struct mw_article_quality q = {.article_id = id,
                                 .source_id = source_id,
                                 .fetched = published,
                                 .flags = flags,
                                 .chars = 200,
                                 .odd_chars = 0};
  if (mw_store_add_quality(f->s, &q, &err)) fail_msg("quality: %s", err.msg);
  return id;
}
