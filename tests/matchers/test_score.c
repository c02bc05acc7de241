/*
 * test_score.c: matchers/score.c, sensitivity scoring. Weights add up;
 * a title hit counts title_pct; a negation near a term (in the same
 * sentence, within the window) or in the title softens it; the kind of
 * source multiplies; levels follow the thresholds; the explanation says
 * all of it; bad lexicon lines are reported and skipped; the shipped
 * lexicon loads cleanly and ranks typical texts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "matchers/matchers.h"

static const char lexicon[] =
    "# term\tcategory\tweight\n"
    "偷排\t污染事件\t5\n"
    "恶臭\t污染事件\t4\n"
    "焚烧厂\t设施争议\t1\n"
    "垃圾焚烧厂\t设施争议\t1\n"
    "NEAR/10(焚烧厂, 抗议|反对)\t设施争议\t8\n"
    "上访 -信访条例\t群体事件\t5\n"
    "未发现\t否定\t0.2\n"
    "辟谣\t否定\t0.1\n"
    "已整改\t否定\t0.3\n";

static bool near(double a, double b) { return a > b - 1e-9 && a < b + 1e-9; }

static struct mw_sensitivity_conf sens(void) {
  struct mw_sensitivity_conf s = {
      .level_min = {4, 10, 20, 40},
      .title_pct = 200,
      .negation_window = 6,
      .kind_pct = {100, 50, 60, 150, 200},
  };
  return s;
}

static struct mw_matcher *build(void) {
  struct mw_sensitivity_conf s = sens();
  struct mw_matcher *m;
  struct mw_err err;
  assert_int_equal(mw_matcher_new_lexicon(NULL, 0, &s, lexicon,
                                          strlen(lexicon), "lex.tsv", &m, &err),
                   MW_OK);
  for (size_t i = 0; i < mw_matcher_error_count(m); i++)
    fail_msg("%s", mw_matcher_error(m, i)->message);
  return m;
}

static struct mw_match_report *explain(const struct mw_matcher *m,
                                       const char *title, const char *body,
                                       int kind) {
  struct mw_doc d = {.title = {title, title ? strlen(title) : 0},
                     .body = {body, body ? strlen(body) : 0},
                     .kind = kind};
  struct mw_match_report *r;
  struct mw_err err;
  assert_int_equal(mw_matcher_explain(m, &d, &r, &err), MW_OK);
  assert_true(r->scored);
  /* The fast path agrees. */
  double score;
  int level;
  assert_int_equal(mw_matcher_score(m, &d, &score, &level, &err), MW_OK);
  assert_true(score == r->score);
  assert_int_equal(level, r->level);
  return r;
}

static void test_weights(void **state) {
  (void)state;
  struct mw_matcher *m = build();
  struct mw_match_report *r = explain(m, NULL, "工厂夜间偷排，周边恶臭。", 0);
  assert_true(near(r->score, 9));
  assert_int_equal(r->level, 1);
  assert_int_equal(r->n_terms, 2);
  assert_string_equal(r->terms[0].term, "偷排");
  assert_string_equal(r->terms[0].category, "污染事件");
  assert_true(r->terms[0].weight == 5);
  assert_int_equal(r->terms[0].field, MW_FIELD_BODY);
  assert_int_equal(r->terms[0].start, 12);
  assert_int_equal(r->terms[0].end, 18);
  assert_false(r->terms[0].in_title);
  assert_null(r->terms[0].cue);
  assert_true(r->terms[0].factor == 1);
  assert_true(r->terms[0].points == 5);
  assert_string_equal(r->explanation,
                      "偷排 (污染事件): 5 = 5\n"
                      "恶臭 (污染事件): 4 = 4\n"
                      "sum 9 x1 source kind unknown = 9, level 1 (level 2 "
                      "from 10)");
  mw_match_report_free(r);
  /* Repeating a term does not add to it. */
  r = explain(m, NULL, "偷排偷排偷排偷排", 0);
  assert_true(near(r->score, 5));
  mw_match_report_free(r);
  /* Nothing found. */
  r = explain(m, "垃圾分类进社区", "志愿者入户宣传", 0);
  assert_true(near(r->score, 0));
  assert_int_equal(r->level, 0);
  assert_int_equal(r->n_terms, 0);
  assert_string_equal(r->explanation,
                      "no sensitive term\n"
                      "sum 0 x1 source kind unknown = 0, level 0 (level 1 "
                      "from 4)");
  mw_match_report_free(r);
  mw_matcher_free(m);
}

static void test_title(void **state) {
  (void)state;
  struct mw_matcher *m = build();
  struct mw_match_report *r = explain(m, "某厂偷排", "周边恶臭", 0);
  assert_true(near(r->score, 14)); /* 5 x2 + 4 */
  assert_int_equal(r->level, 2);
  assert_true(r->terms[0].in_title);
  assert_int_equal(r->terms[0].field, MW_FIELD_TITLE);
  assert_true(r->terms[0].factor == 2);
  assert_true(r->terms[0].points == 10);
  assert_string_equal(r->explanation,
                      "偷排 (污染事件): 5 x2 title = 10\n"
                      "恶臭 (污染事件): 4 = 4\n"
                      "sum 14 x1 source kind unknown = 14, level 2 (level 3 "
                      "from 20)");
  mw_match_report_free(r);
  /* In both: the title counts. */
  r = explain(m, "偷排", "偷排", 0);
  assert_true(near(r->score, 10));
  mw_match_report_free(r);
  mw_matcher_free(m);
}

static void test_negation(void **state) {
  (void)state;
  struct mw_matcher *m = build();
  /* near, before */
  struct mw_match_report *r = explain(m, NULL, "经核查，未发现偷排行为。", 0);
  assert_true(near(r->score, 1)); /* 5 x0.2 */
  assert_string_equal(r->terms[0].cue, "未发现");
  assert_true(r->terms[0].factor == 0.2);
  assert_string_equal(r->explanation,
                      "偷排 (污染事件): 5 x0.2 negated by 未发现 = 1\n"
                      "sum 1 x1 source kind unknown = 1, level 0 (level 1 "
                      "from 4)");
  mw_match_report_free(r);
  /* near, after: 偷排问题已整改 */
  r = explain(m, NULL, "群众反映的偷排问题已整改", 0);
  assert_true(near(r->score, 1.5));
  assert_string_equal(r->terms[0].cue, "已整改");
  mw_match_report_free(r);
  /* the strongest negation wins */
  r = explain(m, NULL, "辟谣：未发现偷排", 0);
  assert_true(near(r->score, 0.5));
  assert_string_equal(r->terms[0].cue, "辟谣");
  mw_match_report_free(r);
  /* too far: more than 6 characters between */
  r = explain(m, NULL, "未发现一二三四五六七偷排", 0);
  assert_true(near(r->score, 5));
  assert_null(r->terms[0].cue);
  mw_match_report_free(r);
  /* another sentence */
  r = explain(m, NULL, "未发现。偷排", 0);
  assert_true(near(r->score, 5));
  mw_match_report_free(r);
  /* one occurrence not negated: full weight */
  r = explain(m, NULL, "未发现偷排。但昨夜又见偷排", 0);
  assert_true(near(r->score, 5));
  mw_match_report_free(r);
  /* a refutation in the title softens the whole document */
  r = explain(m, "网传某厂偷排？辟谣", "有人称该厂长期偷排，周边恶臭", 0);
  assert_true(near(r->score, 0.1 * 5 * 2 + 0.1 * 4));
  mw_match_report_free(r);
  mw_matcher_free(m);
}

static void test_kinds_and_levels(void **state) {
  (void)state;
  struct mw_matcher *m = build();
  const char *title = "某厂偷排", *body = "周边恶臭";
  static const struct {
    int kind;
    double score;
    int level;
    const char *tail;
  } cases[] = {
      {MW_DOC_UNKNOWN, 14, 2, "sum 14 x1 source kind unknown = 14, level 2"},
      {MW_DOC_PRESS, 7, 1, "sum 14 x0.5 source kind press = 7, level 1"},
      {MW_DOC_PORTAL, 8.4, 1, "sum 14 x0.6 source kind portal = 8.4, level 1"},
      {MW_DOC_SOCIAL, 21, 3, "sum 14 x1.5 source kind social = 21, level 3"},
      {MW_DOC_COMPLAINT, 28, 3,
       "sum 14 x2 source kind complaint = 28, level 3"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct mw_match_report *r = explain(m, title, body, cases[i].kind);
    assert_true(near(r->score, cases[i].score));
    assert_int_equal(r->level, cases[i].level);
    assert_int_equal(r->kind, cases[i].kind);
    if (!strstr(r->explanation, cases[i].tail))
      fail_msg("%s\nlacks %s", r->explanation, cases[i].tail);
    mw_match_report_free(r);
  }
  /* Level 4 with a facility dispute, which is more than its words. */
  struct mw_match_report *r =
      explain(m, "垃圾焚烧厂遭居民抗议", "居民反对焚烧厂，多次上访", MW_DOC_COMPLAINT);
  /* 垃圾焚烧厂 1x2 (焚烧厂 inside it in the title, but alone in the body:
   * counted) + 焚烧厂 1x2 + NEAR 8x2 + 上访 5 = 25, x2 */
  assert_true(near(r->score, 50));
  assert_int_equal(r->level, 4);
  assert_string_equal(r->explanation,
                      "焚烧厂 (设施争议): 1 x2 title = 2\n"
                      "垃圾焚烧厂 (设施争议): 1 x2 title = 2\n"
                      "NEAR/10(焚烧厂, 抗议|反对) (设施争议): 8 x2 title = 16\n"
                      "上访 -信访条例 (群体事件): 5 = 5\n"
                      "sum 25 x2 source kind complaint = 50, level 4");
  mw_match_report_free(r);
  /* A word only inside a longer one counts once, as the longer. */
  r = explain(m, NULL, "垃圾焚烧厂", 0);
  assert_true(near(r->score, 1));
  assert_string_equal(r->explanation,
                      "焚烧厂 (设施争议): counted within 垃圾焚烧厂\n"
                      "垃圾焚烧厂 (设施争议): 1 = 1\n"
                      "sum 1 x1 source kind unknown = 1, level 0 (level 1 "
                      "from 4)");
  mw_match_report_free(r);
  /* An entry's NOT holds: 上访 in a text about the regulation */
  r = explain(m, NULL, "学习信访条例，依法上访", 0);
  assert_true(near(r->score, 0));
  mw_match_report_free(r);
  mw_matcher_free(m);
}

static void test_lexicon_errors(void **state) {
  (void)state;
  static const char bad[] =
      "\xEF\xBB\xBF# a BOM and a comment\n"
      "偷排\t污染事件\t5\n"
      "恶臭\t污染事件\n"
      "死鱼\t污染事件\tmany\n"
      "(黑臭\t污染事件\t3\n"
      "泄漏\t污染事件\t0\n"
      "未发现\t否定\t2\n"
      "超标排放 污染事件 4.5\n"
      "\n"
      "NOT 广告\t其他\t1\n";
  struct mw_matcher *m;
  struct mw_err err;
  assert_int_equal(mw_matcher_new_lexicon(NULL, 0, NULL, bad, strlen(bad),
                                          "lex.tsv", &m, &err),
                   MW_OK);
  static const char *const want[] = {
      "lex.tsv:3: expected term, category and weight separated by tabs",
      "lex.tsv:4: the weight 'many' is not a number such as 3 or 0.5",
      "lex.tsv:5, column 1: unbalanced parenthesis: this '(' is never closed",
      "lex.tsv:6: the weight must be above 0 and at most 1000",
      "lex.tsv:7: a negation's weight is the factor its terms count for: "
      "between 0 and 1",
      "lex.tsv:10, column 1: the rule matches every document that lacks its "
      "terms; say what must be found, not only what to leave out",
  };
  assert_int_equal(mw_matcher_error_count(m), 6);
  for (size_t i = 0; i < 6; i++) {
    const struct mw_rule_error *e = mw_matcher_error(m, i);
    assert_string_equal(e->message, want[i]);
    assert_null(e->topic);
    assert_int_equal(e->conf_line, 0);
  }
  assert_string_equal(mw_matcher_error(m, 2)->caret, "^");
  struct mw_matcher_stats st;
  mw_matcher_stats(m, &st);
  assert_int_equal(st.lexicon_entries, 2); /* 偷排 and 超标排放 */
  /* The good lines work, with the default settings. */
  struct mw_doc d = {.body = MW_STR_LIT("超标排放")};
  double score;
  int level;
  assert_int_equal(mw_matcher_score(m, &d, &score, &level, &err), MW_OK);
  assert_true(near(score, 4.5));
  assert_int_equal(level, 0);
  mw_matcher_free(m);
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) fail_msg("cannot open %s", path);
  static char buf[1 << 20];
  *len = fread(buf, 1, sizeof buf - 1, f);
  buf[*len] = '\0';
  fclose(f);
  return buf;
}

/* The lexicon in examples/ compiles without an error and ranks typical
 * items as on-duty staff would. */
static void test_shipped_lexicon(void **state) {
  (void)state;
  size_t len;
  char *text = slurp(MW_SOURCE_ROOT "/examples/lexicon.tsv", &len);
  struct mw_matcher *m;
  struct mw_err err;
  assert_int_equal(mw_matcher_new_lexicon(NULL, 0, NULL, text, len,
                                          "lexicon.tsv", &m, &err),
                   MW_OK);
  for (size_t i = 0; i < mw_matcher_error_count(m); i++)
    fail_msg("%s", mw_matcher_error(m, i)->message);
  static const char *const required[] = {
      "恶臭", "偷排", "超标排放", "非法倾倒", "黑臭水体", "死鱼", "危废泄漏",
      "垃圾焚烧厂", "填埋场", "中转站", "邻避", "抗议", "混装混运",
      "形式主义", "摆拍", "不作为", "包庇", "聚集", "维权", "上访",
      "投诉无果", "致癌", "未发现", "不存在", "辟谣", "已整改"};
  for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
    char needle[64];
    snprintf(needle, sizeof needle, "\n%s\t", required[i]);
    if (!strstr(text, needle)) fail_msg("lexicon lacks %s", required[i]);
  }
  static const struct {
    const char *title, *body;
    int kind, min_level, max_level;
  } items[] = {
      /* campaign coverage: not sensitive */
      {"长春市开展垃圾分类宣传周活动", "志愿者走进社区宣传垃圾分类知识。",
       MW_DOC_PRESS, 0, 0},
      /* a refuted rumour */
      {"关于网传某河段死鱼的情况说明", "经现场核查，未发现死鱼，网传系谣言。",
       MW_DOC_PORTAL, 0, 0},
      /* a complaint about smell */
      {"小区附近垃圾站恶臭", "垃圾站每天散发恶臭，投诉无果。",
       MW_DOC_COMPLAINT, 2, 4},
      /* a spreading dispute */
      {"村民拉横幅抗议建设垃圾焚烧厂", "数百名村民聚集，反对在此建设焚烧厂，"
       "担心致癌。", MW_DOC_SOCIAL, 4, 4},
      /* a hazardous waste leak */
      {"化工厂危废泄漏 河道大量死鱼", "有居民出现头晕呕吐。", MW_DOC_SOCIAL,
       3, 4},
  };
  for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
    struct mw_doc d = {.title = {items[i].title, strlen(items[i].title)},
                       .body = {items[i].body, strlen(items[i].body)},
                       .kind = items[i].kind};
    double score;
    int level;
    assert_int_equal(mw_matcher_score(m, &d, &score, &level, &err), MW_OK);
    if (level < items[i].min_level || level > items[i].max_level)
      fail_msg("'%s': score %g level %d, want %d..%d", items[i].title, score,
               level, items[i].min_level, items[i].max_level);
  }
  mw_matcher_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_weights),
      cmocka_unit_test(test_title),
      cmocka_unit_test(test_negation),
      cmocka_unit_test(test_kinds_and_levels),
      cmocka_unit_test(test_lexicon_errors),
      cmocka_unit_test(test_shipped_lexicon),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
