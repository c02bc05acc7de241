/*
 * test_rule.c: matchers/rule.c, the rule language. Every construct parses
 * to the expected tree (shown by mw_matcher_topic_expr), and every error
 * gives its message, column and caret.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "matchers/matchers.h"

/* The compiled form of rule, or its error message. */
static void compile(const char *rule, char *out, size_t n, char *caret,
                    size_t cn) {
  struct mw_topic_conf t = {.name = "垃圾分类", .rule = (char *)rule,
                            .rule_line = 5, .rule_col = 11, .line = 4};
  struct mw_matcher *m = NULL;
  struct mw_err err;
  assert_int_equal(mw_matcher_new(&t, 1, &m, &err), MW_OK);
  if (mw_matcher_error_count(m)) {
    const struct mw_rule_error *e = mw_matcher_error(m, 0);
    assert_false(mw_matcher_topic_valid(m, 0));
    assert_int_equal(e->conf_line, 5);
    assert_int_equal(e->conf_col, 11);
    assert_string_equal(e->topic, "垃圾分类");
    snprintf(out, n, "%s", e->message);
    if (caret) snprintf(caret, cn, "%s\n%s", e->excerpt, e->caret);
  } else {
    struct mw_buf b;
    mw_buf_init(&b, 1 << 16);
    assert_int_equal(mw_matcher_topic_expr(m, 0, &b), MW_OK);
    snprintf(out, n, "%s", b.data);
    mw_buf_cleanup(&b);
  }
  mw_matcher_free(m);
}

static const struct {
  const char *rule, *want;
} constructs[] = {
    {"无废城市", "无废城市"},
    {"无废城市 OR 无废细胞", "(OR 无废城市 无废细胞)"},
    {"无废城市 | 无废细胞|无废园区", "(OR 无废城市 无废细胞 无废园区)"},
    {"无废城市 AND 长春", "(AND 无废城市 长春)"},
    {"无废城市 长春 吉林", "(AND 无废城市 长春 吉林)"}, /* space is AND */
    {"无废城市+长春", "(AND 无废城市 长春)"},
    {"无废城市 NOT 广告", "(AND 无废城市 (NOT 广告))"},
    {"无废城市 -广告 -招聘", "(AND 无废城市 (NOT 广告) (NOT 招聘))"},
    {"NOT 广告 无废城市", "(AND (NOT 广告) 无废城市)"},
    {"无废城市 AND NOT 广告", "(AND 无废城市 (NOT 广告))"},
    /* precedence: NOT over AND over OR */
    {"a b | c d", "(OR (AND a b) (AND c d))"},
    {"a | b -c", "(OR a (AND b (NOT c)))"},
    {"(垃圾分类 OR 生活垃圾) AND (宣传周 OR 志愿) NOT 广告",
     "(AND (OR 垃圾分类 生活垃圾) (OR 宣传周 志愿) (NOT 广告))"},
    {"((a))", "a"},
    {"-(a | b) c", "(AND (NOT (OR a b)) c)"},
    {"NOT NOT a", "(NOT (NOT a))"},
    /* phrases */
    {"\"zero waste\" city", "(AND \"zero waste\" city)"},
    {"\"a \\\"b\\\" c\"", "\"a \"b\" c\""},
    {"“无废 城市”", "无废城市"},
    {"\"AND\" \"OR\"", "(AND and or)"},
    {"\"-广告\"", "-广告"},
    /* normalisation of terms */
    {"ＰＭ２．５ | WHO", "(OR pm2.5 who)"},
    {"无 废", "(AND 无 废)"}, /* unquoted: two terms */
    {"\"无 废\"", "无废"},    /* quoted: spaces inside CJK dropped */
    /* full-width operators */
    {"（垃圾分类｜生活垃圾）＋宣传 －广告",
     "(AND (OR 垃圾分类 生活垃圾) 宣传 (NOT 广告))"},
    /* fields */
    {"title:无废城市", "title:无废城市"},
    {"body:无废城市 source:人民网 outlet:吉林日报",
     "(AND body:无废城市 source:人民网 outlet:吉林日报)"},
    {"title:(a | b) c", "(AND (OR title:a title:b) c)"},
    {"标题：无废城市 正文:垃圾", "(AND title:无废城市 body:垃圾)"},
    {"TITLE:a", "title:a"},
    {"title: a", "title:a"},
    {"-title:广告 a", "(AND (NOT title:广告) a)"},
    {"title:-广告 a", "(AND (NOT title:广告) a)"},
    {"10:30 会议", "(AND 10:30 会议)"}, /* a colon after digits is text */
    {"http://a.cn", "http://a.cn"},
    /* NEAR */
    {"NEAR/20(焚烧厂, 抗议 OR 反对)", "(NEAR/20 焚烧厂 (OR 抗议 反对))"},
    {"NEAR/0(a,b)", "(NEAR/0 a b)"},
    {"title:NEAR/5(a, \"b c\")", "(NEAR/5 title:a title:\"b c\")"},
    {"NEAR/3（垃圾，混装）", "(NEAR/3 垃圾 混装)"},
    {"NEAR/3(/垃.?圾/, 混装)", "(NEAR/3 /垃.?圾/ 混装)"},
    {"x NEAR/3(a, b) | c", "(OR (AND x (NEAR/3 a b)) c)"},
    {"NEARBY", "nearby"},
    /* regex */
    {"/垃圾.{0,4}混装/", "/垃圾.{0,4}混装/"},
    {"/a\\/b/ c", "(AND /a\\/b/ c)"},
    {"title:/PM\\d+/", "title:/PM\\d+/"},
    /* words that merely contain operators */
    {"ORACLE ANDROID NOTE", "(AND oracle android note)"},
    {"or and not", "(AND or and not)"},
    {"#垃圾分类# 打卡", "(AND #垃圾分类# 打卡)"},
    {"PM2.5-PM10 a-b", "(AND pm2.5-pm10 a-b)"},
    {"  无废城市\n  | 无废细胞\n", "(OR 无废城市 无废细胞)"},
};

static void test_constructs(void **state) {
  (void)state;
  size_t bad = 0;
  for (size_t i = 0; i < sizeof constructs / sizeof constructs[0]; i++) {
    char got[512];
    compile(constructs[i].rule, got, sizeof got, NULL, 0);
    if (strcmp(got, constructs[i].want)) {
      print_error("rule %zu %s\n got:  %s\n want: %s\n", i, constructs[i].rule,
                  got, constructs[i].want);
      bad++;
    }
  }
  assert_int_equal(bad, 0);
}

static const struct {
  const char *rule, *msg, *caret;
} errors[] = {
    {"(垃圾分类 | 生活垃圾 (宣传周",
     "topic 垃圾分类, column 14: unbalanced parenthesis: this '(' is never "
     "closed",
     "(垃圾分类 | 生活垃圾 (宣传周\n                     ^"},
    {"垃圾分类)",
     "topic 垃圾分类, column 5: unbalanced parenthesis: this ')' has no '(' "
     "before it",
     "垃圾分类)\n        ^"},
    {"", "topic 垃圾分类, column 1: the rule is empty", "\n^"},
    {"   ", "topic 垃圾分类, column 1: the rule is empty", "   \n^"},
    {"a ()", "topic 垃圾分类, column 3: empty parentheses: put terms inside",
     "a ()\n  ^"},
    {"a AND", "topic 垃圾分类, column 6: the rule ends after 'AND': a term is "
              "missing",
     "a AND\n     ^"},
    {"a |", "topic 垃圾分类, column 4: the rule ends after '|': a term is "
            "missing",
     "a |\n   ^"},
    {"OR a", "topic 垃圾分类, column 1: missing term before 'OR'", "OR a\n^"},
    {"a AND OR b", "topic 垃圾分类, column 7: missing term before 'OR'",
     "a AND OR b\n      ^"},
    {"(a AND) b", "topic 垃圾分类, column 7: missing term before ')'",
     "(a AND) b\n      ^"},
    {"a NOT", "topic 垃圾分类, column 6: the rule ends after 'NOT': a term is "
              "missing",
     "a NOT\n     ^"},
    {"\"无废城市", "topic 垃圾分类, column 1: unterminated phrase: the quote "
                   "opened here is never closed",
     "\"无废城市\n^"},
    {"“无废城市", "topic 垃圾分类, column 1: unterminated phrase: the quote "
                  "opened here is never closed",
     "“无废城市\n^"},
    {"a ”b", "topic 垃圾分类, column 3: closing quote without an opening one",
     "a ”b\n  ^"},
    {"a \"\"", "topic 垃圾分类, column 3: empty phrase", "a \"\"\n  ^"},
    {"a \"\xE2\x80\x8B\"",
     "topic 垃圾分类, column 3: the phrase is empty once normalised (only "
     "spaces or invisible characters)",
     "a \"\xE2\x80\x8B\"\n  ^"},
    {"/垃圾.{0,4}混装", "topic 垃圾分类, column 1: unterminated regex: no '/' "
                        "closes the one opened here (write \\/ for a slash "
                        "inside)",
     "/垃圾.{0,4}混装\n^"},
    {"a //", "topic 垃圾分类, column 3: empty regex //", "a //\n  ^"},
    {"/垃圾(混装/",
     "topic 垃圾分类, column 7: invalid regex: missing closing parenthesis",
     "/垃圾(混装/\n          ^"},
    {"/a*/", "topic 垃圾分类, column 1: this regex also matches an empty "
             "text, so it would match every document; make something "
             "required",
     "/a*/\n^"},
    {"/abc/i", "topic 垃圾分类, column 6: unexpected 'i' after the regex: "
               "matching already ignores case, and regex flags are not "
               "supported",
     "/abc/i\n     ^"},
    {"a - b", "topic 垃圾分类, column 3: '-' must touch the term it leaves "
              "out, as in -广告",
     "a - b\n  ^"},
    {"titel:无废城市", "topic 垃圾分类, column 1: unknown field 'titel:' "
                       "(fields are title:, body:, source:, outlet:; quote a "
                       "term that holds a colon)",
     "titel:无废城市\n^"},
    {"a title:", "topic 垃圾分类, column 3: 'title:' needs a term right after "
                 "it",
     "a title:\n  ^"},
    {"title:body:a", "topic 垃圾分类, column 7: a term can be in one field "
                     "scope only",
     "title:body:a\n      ^"},
    {"NEAR(a, b)", "topic 垃圾分类, column 1: NEAR needs a distance in "
                   "characters, as in NEAR/20(焚烧厂, 抗议)",
     "NEAR(a, b)\n^"},
    {"NEAR/x(a, b)", "topic 垃圾分类, column 6: NEAR needs a distance in "
                     "characters, as in NEAR/20(焚烧厂, 抗议)",
     "NEAR/x(a, b)\n     ^"},
    {"NEAR/20001(a, b)", "topic 垃圾分类, column 6: the distance of NEAR must "
                         "be a whole number of characters from 0 to 10000",
     "NEAR/20001(a, b)\n     ^"},
    {"NEAR/5 a", "topic 垃圾分类, column 8: NEAR/5 must be followed by '(' "
                 "and two parts, as in NEAR/5(焚烧厂, 抗议 OR 反对)",
     "NEAR/5 a\n       ^"},
    {"NEAR/5(a)", "topic 垃圾分类, column 9: NEAR/5(a, b) needs two parts "
                  "separated by a comma",
     "NEAR/5(a)\n        ^"},
    {"NEAR/5(a, b, c)", "topic 垃圾分类, column 12: NEAR/5(a, b) takes "
                        "exactly two parts",
     "NEAR/5(a, b, c)\n           ^"},
    {"NEAR/5(a, b", "topic 垃圾分类, column 7: unbalanced parenthesis: this "
                    "'(' is never closed",
     "NEAR/5(a, b\n      ^"},
    {"NEAR/5(a b, c)", "topic 垃圾分类, column 8: inside NEAR/5(a, b) each "
                       "part is terms joined by OR",
     "NEAR/5(a b, c)\n       ^"},
    {"NEAR/5(a, -b)", "topic 垃圾分类, column 11: inside NEAR/5(a, b) each "
                      "part is terms joined by OR",
     "NEAR/5(a, -b)\n          ^"},
    {"NEAR/5(title:a, b)", "topic 垃圾分类, column 8: put a field before "
                           "NEAR, not inside it: title:NEAR/5(a, b)",
     "NEAR/5(title:a, b)\n       ^"},
    {"NEAR/5(, b)", "topic 垃圾分类, column 8: missing term before ','",
     "NEAR/5(, b)\n       ^"},
    {"a, b", "topic 垃圾分类, column 2: ',' only separates the two parts of "
             "NEAR/n(a, b)",
     "a, b\n ^"},
    {"NOT 广告", "topic 垃圾分类, column 1: the rule matches every document "
                 "that lacks its terms; say what must be found, not only "
                 "what to leave out",
     "NOT 广告\n^"},
    {"a | -b", "topic 垃圾分类, column 1: the rule matches every document "
               "that lacks its terms; say what must be found, not only what "
               "to leave out",
     "a | -b\n^"},
    /* a multi-line rule names the line */
    {"(垃圾分类 | 生活垃圾)\n  AND (宣传周 |",
     "topic 垃圾分类, line 2, column 13: the rule ends after '|': a term is "
     "missing",
     "  AND (宣传周 |\n               ^"},
};

static void test_errors(void **state) {
  (void)state;
  size_t bad = 0;
  for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++) {
    char got[512], caret[1024] = "";
    compile(errors[i].rule, got, sizeof got, caret, sizeof caret);
    if (strcmp(got, errors[i].msg) || strcmp(caret, errors[i].caret)) {
      print_error("rule %zu %s\n got:  %s\n%s\n want: %s\n%s\n", i,
                  errors[i].rule, got, caret, errors[i].msg, errors[i].caret);
      bad++;
    }
  }
  assert_int_equal(bad, 0);
}

static void test_limits(void **state) {
  (void)state;
  char deep[200], got[512];
  size_t k = 0;
  for (int i = 0; i < 70; i++) deep[k++] = '(';
  deep[k++] = 'a';
  for (int i = 0; i < 70; i++) deep[k++] = ')';
  deep[k] = '\0';
  compile(deep, got, sizeof got, NULL, 0);
  assert_string_equal(got, "topic 垃圾分类, column 65: nesting deeper than 64 "
                           "levels");
  static char big[20000];
  memset(big, 'a', sizeof big - 1);
  compile(big, got, sizeof got, NULL, 0);
  assert_string_equal(got, "topic 垃圾分类, column 1: the rule is longer than "
                           "16384 bytes");
}

/* One bad rule among good ones: the others work. */
static void test_isolation(void **state) {
  (void)state;
  struct mw_topic_conf t[] = {
      {.name = "好", .rule = "无废城市 -广告", .line = 1},
      {.name = "坏", .rule = "(无废城市", .rule_line = 4, .rule_col = 11},
      {.name = "也好", .rule = "title:垃圾分类", .line = 6},
  };
  struct mw_matcher *m;
  struct mw_err err;
  assert_int_equal(mw_matcher_new(t, 3, &m, &err), MW_OK);
  assert_int_equal(mw_matcher_error_count(m), 1);
  assert_string_equal(mw_matcher_error(m, 0)->message,
                      "topic 坏, column 1: unbalanced parenthesis: this '(' "
                      "is never closed");
  struct mw_buf b;
  mw_buf_init(&b, 256);
  assert_int_equal(mw_matcher_topic_expr(m, 1, &b), MW_EINVAL);
  mw_buf_cleanup(&b);
  struct mw_topic_result r[3];
  struct mw_doc d = {.title = MW_STR_LIT("垃圾分类进社区"),
                     .body = MW_STR_LIT("建设无废城市")};
  assert_int_equal(mw_matcher_match(m, &d, r, &err), 2);
  assert_true(r[0].matched);
  assert_false(r[1].matched);
  assert_true(r[2].matched);
  mw_matcher_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_constructs),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_limits),
      cmocka_unit_test(test_isolation),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
