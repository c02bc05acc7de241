/*
 * test_match.c: `mediawatch match` and `mediawatch config check` through
 * the real binary: topics matched term by term with offsets and a
 * snippet, the sensitivity score with the shipped lexicon, one JSON object
 * per document, and a rule with an error shown with its caret while the
 * other topics keep working.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/e2e/e2e.h"

static void write_config(const struct e2e_scratch *d, char *cfg, size_t n,
                         bool broken) {
  char lexicon[1024], text[4096];
  e2e_source("examples/lexicon.tsv", lexicon, sizeof lexicon);
  snprintf(text, sizeof text,
           "outlets:\n  - name: x\n    tier: city\n    sources:\n"
           "      - url: http://a.cn/rss.xml\n"
           "topics:\n"
           "  - name: 无废城市\n    keywords: [无废城市, 无废细胞]\n"
           "  - name: 垃圾分类\n"
           "    rule: (垃圾分类 | 生活垃圾) %s-广告\n"
           "  - name: 焚烧厂争议\n"
           "    regions: [长春, 吉林]\n    subjects: [焚烧厂]\n"
           "    events: [抗议, 反对]\n"
           "sensitivity:\n  lexicon: %s\n",
           broken ? "(宣传周 " : "", lexicon);
  e2e_path(d, "match.yaml", cfg, n);
  e2e_write_file(cfg, text);
}

static void test_text(void **state) {
  (void)state;
  struct e2e_scratch d;
  e2e_scratch_new(&d, "match");
  char cfg[1024], doc[1024];
  write_config(&d, cfg, sizeof cfg, false);
  e2e_path(&d, "doc.txt", doc, sizeof doc);
  e2e_write_file(doc, "长春焚烧厂遭居民抗议\n"
                      "居民聚集反对建设垃圾焚烧厂，称附近恶臭。当地推进生活"
                      "垃圾分类，建设无 废 城 市。\n");
  char *out = NULL, *err = NULL;
  const char *args[] = {"match", "--config", cfg, "--source-kind", "social",
                        doc, NULL};
  int rc = e2e_run(&out, &err, args);
  if (rc) fail_msg("exit %d: %s", rc, err);
  e2e_expect_in(out, "topics: 3 of 3 matched\n");
  e2e_expect_in(out, "  + 无废城市: 无废城市 body 99-114\n");
  e2e_expect_in(out, "【无 废 城 市】");
  e2e_expect_in(out, "  + 垃圾分类: 垃圾分类 body 78-90, 生活垃圾 body 72-84\n");
  e2e_expect_in(out, "当地推进【生活垃圾】分类");
  e2e_expect_in(out, "  + 焚烧厂争议: 长春 title 0-6, 焚烧厂 title 6-15, "
                 "焚烧厂 body 30-39, 抗议 title 24-30, 反对 body 12-18\n");
  e2e_expect_in(out, "sensitivity: 48, level 3 重大\n");
  e2e_expect_in(out, "  恶臭 (污染事件): 4 = 4\n");
  e2e_expect_in(out, "source kind social");
  free(out);
  free(err);

  /* --explain shows every part's verdict. */
  const char *explain[] = {"match", "--config", cfg, "--explain", doc, NULL};
  rc = e2e_run(&out, &err, explain);
  if (rc) fail_msg("exit %d: %s", rc, err);
  e2e_expect_in(out, "      compiled: (AND (OR 垃圾分类 生活垃圾) (NOT 广告))\n");
  e2e_expect_in(out, "      yes     垃圾分类  found in body 78-90\n");
  e2e_expect_in(out, "      yes     生活垃圾  found in body 72-84\n");
  free(out);
  free(err);
  e2e_scratch_free(&d);
}

static void test_json_lines(void **state) {
  (void)state;
  struct e2e_scratch d;
  e2e_scratch_new(&d, "match-json");
  char cfg[1024], doc[1024];
  write_config(&d, cfg, sizeof cfg, false);
  e2e_path(&d, "lines.txt", doc, sizeof doc);
  e2e_write_file(doc, "无废细胞\t长春市激活无废细胞\n"
                      "\n"
                      "经核查，未发现偷排行为\n");
  char *out = NULL, *err = NULL;
  const char *args[] = {"match", "--config", cfg, "--lines", "--json", doc,
                        NULL};
  int rc = e2e_run(&out, &err, args);
  if (rc) fail_msg("exit %d: %s", rc, err);
  char *second = strchr(out, '\n');
  assert_non_null(second);
  *second++ = '\0';
  json_error_t jerr;
  json_t *a = json_loads(out, 0, &jerr), *b = json_loads(second, 0, &jerr);
  if (!a || !b) fail_msg("not JSON lines: %s", jerr.text);
  assert_int_equal(json_integer_value(json_object_get(a, "line")), 1);
  assert_string_equal(json_string_value(json_object_get(a, "title")),
                      "无废细胞");
  json_t *t = json_array_get(json_object_get(a, "topics"), 0);
  assert_string_equal(json_string_value(json_object_get(t, "name")),
                      "无废城市");
  json_t *term = json_array_get(json_object_get(t, "terms"), 0);
  assert_string_equal(json_string_value(json_object_get(term, "term")),
                      "无废细胞");
  assert_string_equal(json_string_value(json_object_get(term, "field")),
                      "title");
  assert_int_equal(json_integer_value(json_object_get(term, "start")), 0);
  assert_int_equal(json_integer_value(json_object_get(term, "end")), 12);
  assert_string_equal(json_string_value(json_object_get(t, "snippet")),
                      "长春市激活【无废细胞】");
  /* the empty line is skipped; the third is line 3 */
  assert_int_equal(json_integer_value(json_object_get(b, "line")), 3);
  assert_int_equal(json_array_size(json_object_get(b, "matched")), 0);
  json_t *s = json_object_get(b, "sensitivity");
  assert_int_equal(json_integer_value(json_object_get(s, "level")), 0);
  json_t *st = json_array_get(json_object_get(s, "terms"), 0);
  assert_string_equal(json_string_value(json_object_get(st, "term")), "偷排");
  assert_string_equal(json_string_value(json_object_get(st, "negated_by")),
                      "未发现");
  double points = json_real_value(json_object_get(st, "points"));
  assert_true(points > 1.2 - 1e-9 && points < 1.2 + 1e-9); /* 6 x0.2 */
  json_decref(a);
  json_decref(b);
  free(out);
  free(err);
  e2e_scratch_free(&d);
}

static void test_broken_rule(void **state) {
  (void)state;
  struct e2e_scratch d;
  e2e_scratch_new(&d, "match-broken");
  char cfg[1024], doc[1024];
  write_config(&d, cfg, sizeof cfg, true);
  char *out = NULL, *err = NULL;
  const char *check[] = {"config", "check", "--config", cfg, NULL};
  assert_int_equal(e2e_run(&out, &err, check), 2);
  char want[1200];
  snprintf(want, sizeof want,
           "%s:10:11: topic 垃圾分类, column 15: unbalanced parenthesis: this "
           "'(' is never closed\n"
           "    (垃圾分类 | 生活垃圾) (宣传周 -广告\n"
           "                          ^\n",
           cfg);
  e2e_expect_in(err, want);
  e2e_expect_in(out, "1 rule did not compile: those topics never match until "
                 "fixed; the others work\n");
  free(out);
  free(err);

  /* match warns and goes on with the good topics. */
  e2e_path(&d, "doc.txt", doc, sizeof doc);
  e2e_write_file(doc, "建设无废城市，推进垃圾分类宣传周");
  const char *match[] = {"match", "--config", cfg, doc, NULL};
  assert_int_equal(e2e_run(&out, &err, match), 0);
  e2e_expect_in(err, "warning: ");
  e2e_expect_in(err, "topic 垃圾分类, column 15: unbalanced parenthesis");
  e2e_expect_in(out, "topics: 1 of 3 matched\n");
  e2e_expect_in(out, "  + 无废城市: 无废城市 body 6-18\n");
  free(out);
  free(err);

  /* --rule without a config: only the rule, no scoring. */
  const char *rule[] = {"match", "--rule", "NEAR/5(无废, 宣传周)", doc, NULL};
  assert_int_equal(e2e_run(&out, &err, rule), 0);
  e2e_expect_in(out, "topics: 0 of 1 matched\n");
  e2e_expect_in(out, "sensitivity: not scored");
  free(out);
  free(err);
  const char *bad[] = {"match", "--source-kind", "blog", doc, NULL};
  assert_int_equal(e2e_run(&out, &err, bad), 2);
  e2e_expect_in(err, "--source-kind must be press, portal, social, complaint or "
                 "unknown, not 'blog'");
  free(out);
  free(err);
  e2e_scratch_free(&d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_text),
      cmocka_unit_test(test_json_lines),
      cmocka_unit_test(test_broken_rule),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
