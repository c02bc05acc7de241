/*
 * test_match.c: matchers/match.c and matchers/explain.c. Field scopes,
 * NEAR distances, regex atoms and their literal factors, the terms
 * reported per topic, explanations with original offsets and snippets,
 * regexes run only near their factors, the scan of Chinese text in its
 * wide form, and one matcher used from several threads at once. Texts
 * come from the seed documents (tests/data/matchers/).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "matchers/matchers.h"
#include "matchers/norm.h"

static struct mw_matcher *build(const char *const *rules, size_t n) {
  struct mw_topic_conf t[16];
  char names[16][8];
  assert_true(n <= 16);
  for (size_t i = 0; i < n; i++) {
    snprintf(names[i], sizeof names[i], "t%zu", i);
    t[i] = (struct mw_topic_conf){.name = names[i], .rule = (char *)rules[i]};
  }
  struct mw_matcher *m;
  struct mw_err err;
  assert_int_equal(mw_matcher_new(t, n, &m, &err), MW_OK);
  for (size_t i = 0; i < mw_matcher_error_count(m); i++)
    fail_msg("%s", mw_matcher_error(m, i)->message);
  return m;
}

/* Which of the rules match, as a string of 0 and 1. */
static void verdicts(const struct mw_matcher *m, const struct mw_doc *d,
                     char *out) {
  struct mw_topic_result r[16];
  struct mw_err err;
  int n = mw_matcher_match(m, d, r, &err);
  assert_true(n >= 0);
  size_t k = mw_matcher_topic_count(m);
  int count = 0;
  for (size_t i = 0; i < k; i++) {
    out[i] = r[i].matched ? '1' : '0';
    count += r[i].matched;
  }
  out[k] = '\0';
  assert_int_equal(n, count);
}

static void test_fields(void **state) {
  (void)state;
  static const char *const rules[] = {
      "title:无废城市", "body:无废城市", "无废城市",
      "source:吉林日报", "outlet:人民网", "title:无废城市 -body:广告",
      "标题:(长春 | 吉林)",
  };
  struct mw_matcher *m = build(rules, 7);
  char v[17];
  struct mw_doc d = {.title = MW_STR_LIT("长春建设无废城市"),
                     .body = MW_STR_LIT("推进生活垃圾分类"),
                     .source = MW_STR_LIT("吉林日报"),
                     .outlet = MW_STR_LIT("人民网")};
  verdicts(m, &d, v);
  assert_string_equal(v, "1011111");
  d = (struct mw_doc){.title = MW_STR_LIT("垃圾分类"),
                      .body = MW_STR_LIT("无废城市 广告")};
  verdicts(m, &d, v);
  assert_string_equal(v, "0110000");
  /* source and outlet are not part of the text */
  d = (struct mw_doc){.source = MW_STR_LIT("无废城市")};
  verdicts(m, &d, v);
  assert_string_equal(v, "0000000");
  mw_matcher_free(m);
}

static void test_near(void **state) {
  (void)state;
  static const char *const rules[] = {
      "NEAR/3(焚烧厂, 抗议 | 反对)",
      "NEAR/0(垃圾, 分类)",
      "title:NEAR/10(无废, 城市)",
      "NEAR/2(/垃.?圾/, 混装)",
  };
  struct mw_matcher *m = build(rules, 4);
  char v[17];
  struct mw_doc d = {.body = MW_STR_LIT("焚烧厂项目遭抗议")};
  verdicts(m, &d, v); /* 3 characters between: 项目遭 */
  assert_string_equal(v, "1000");
  d = (struct mw_doc){.body = MW_STR_LIT("焚烧厂的项目遭抗议")};
  verdicts(m, &d, v); /* 4 between */
  assert_string_equal(v, "0000");
  d = (struct mw_doc){.body = MW_STR_LIT("居民反对建设焚烧厂")}; /* either order */
  verdicts(m, &d, v);
  assert_string_equal(v, "1000");
  d = (struct mw_doc){.body = MW_STR_LIT("抗议。焚烧厂") };
  verdicts(m, &d, v); /* 。 is one character */
  assert_string_equal(v, "1000");
  d = (struct mw_doc){.body = MW_STR_LIT("垃圾分类")};
  verdicts(m, &d, v);
  assert_string_equal(v, "0100");
  d = (struct mw_doc){.body = MW_STR_LIT("垃 圾 分 类")}; /* spaces dropped */
  verdicts(m, &d, v);
  assert_string_equal(v, "0100");
  d = (struct mw_doc){.body = MW_STR_LIT("垃圾的分类")};
  verdicts(m, &d, v);
  assert_string_equal(v, "0000");
  /* NEAR looks within one field at a time */
  d = (struct mw_doc){.title = MW_STR_LIT("焚烧厂"),
                      .body = MW_STR_LIT("抗议")};
  verdicts(m, &d, v);
  assert_string_equal(v, "0000");
  d = (struct mw_doc){.title = MW_STR_LIT("无废城市"),
                      .body = MW_STR_LIT("无废城市")};
  verdicts(m, &d, v);
  assert_string_equal(v, "0010");
  d = (struct mw_doc){.body = MW_STR_LIT("无废城市")};
  verdicts(m, &d, v);
  assert_string_equal(v, "0000");
  /* a later occurrence can be the close one */
  d = (struct mw_doc){.body = MW_STR_LIT(
                          "焚烧厂建设规划公布后，市民热议，焚烧厂遭反对")};
  verdicts(m, &d, v);
  assert_string_equal(v, "1000");
  d = (struct mw_doc){.body = MW_STR_LIT("垃x圾站点混装")};
  verdicts(m, &d, v); /* regex part: 垃x圾, two characters (站点) between */
  assert_string_equal(v, "0001");
  d = (struct mw_doc){.body = MW_STR_LIT("垃x圾的站点混装")};
  verdicts(m, &d, v);
  assert_string_equal(v, "0000");
  mw_matcher_free(m);
}

static void test_regex(void **state) {
  (void)state;
  static const char *const rules[] = {
      "/垃圾.{0,4}混装/",
      "/(偷排|直排).{0,6}污水/",
      "长春 /pm\\d+/",
      "/PM2\\.5/",    /* upper case in the pattern matches folded text */
      "/[a-z]{3}\\d/", /* no literal factor: runs on every document */
  };
  struct mw_matcher *m = build(rules, 5);
  struct mw_matcher_stats st;
  mw_matcher_stats(m, &st);
  assert_int_equal(st.regexes, 5);
  assert_int_equal(st.regexes_ungated, 1);
  char v[17];
  struct mw_doc d = {.body = MW_STR_LIT("小区垃圾分类后混装混运")};
  verdicts(m, &d, v);
  assert_string_equal(v, "10000");
  d = (struct mw_doc){.body = MW_STR_LIT("小区垃圾分类后再次被混装")};
  verdicts(m, &d, v); /* 5 characters between: too far */
  assert_string_equal(v, "00000");
  d = (struct mw_doc){.body = MW_STR_LIT("企业夜间直排生产污水")};
  verdicts(m, &d, v);
  assert_string_equal(v, "01000");
  d = (struct mw_doc){.title = MW_STR_LIT("长春ＰＭ１０下降"),
                      .body = MW_STR_LIT("全市PM2.5均值")};
  verdicts(m, &d, v);
  assert_string_equal(v, "00110");
  d = (struct mw_doc){.body = MW_STR_LIT("abc1")};
  verdicts(m, &d, v);
  assert_string_equal(v, "00001");
  struct mw_topic_result r[5];
  struct mw_err err;
  d = (struct mw_doc){.title = MW_STR_LIT("长春pm10"),
                      .body = MW_STR_LIT("pm2.5")};
  assert_int_equal(mw_matcher_match(m, &d, r, &err), 2);
  assert_string_equal(r[2].terms, "长春,/pm\\d+/");
  assert_string_equal(r[3].terms, "/PM2\\.5/");
  mw_matcher_free(m);
}

static void test_terms(void **state) {
  (void)state;
  static const char *const rules[] = {
      "(垃圾分类 | 生活垃圾) (宣传周 | 志愿) -广告",
      "无废城市 | 无废细胞 | \"无废 城市\"",
  };
  struct mw_matcher *m = build(rules, 2);
  struct mw_topic_result r[2];
  struct mw_err err;
  struct mw_doc d = {.title = MW_STR_LIT("志愿者宣传生活垃圾分类"),
                     .body = MW_STR_LIT("建设无废城市")};
  assert_int_equal(mw_matcher_match(m, &d, r, &err), 2);
  /* in rule order; NOT terms never listed; a repeated term once */
  assert_string_equal(r[0].terms, "垃圾分类,生活垃圾,志愿");
  assert_string_equal(r[1].terms, "无废城市,\"无废 城市\"");
  mw_matcher_free(m);
}

static void test_explain(void **state) {
  (void)state;
  struct mw_topic_conf t[] = {
      {.name = "无废城市", .rule = "无废城市 -广告"},
      {.name = "空气", .rule = "title:PM2.5 | 雾霾"},
  };
  struct mw_matcher *m;
  struct mw_err err;
  assert_int_equal(mw_matcher_new(t, 2, &m, &err), MW_OK);
  /* Offsets are in the original: full-width, spaces and a newline. */
  const char *title = "长春ＰＭ２．５达标";
  const char *body = "吉林省推进\n无 废 城 市建设，激活无废细胞。";
  struct mw_doc d = {.title = {title, strlen(title)},
                     .body = {body, strlen(body)}};
  struct mw_match_report *r;
  assert_int_equal(mw_matcher_explain(m, &d, &r, &err), MW_OK);
  assert_int_equal(r->n_topics, 2);
  assert_int_equal(r->matched, 2);
  assert_false(r->scored);
  const struct mw_topic_report *a = &r->topics[0];
  assert_true(a->matched);
  assert_true(a->valid);
  assert_int_equal(a->n_hits, 1);
  assert_string_equal(a->hits[0].term, "无废城市");
  assert_int_equal(a->hits[0].field, MW_FIELD_BODY);
  assert_int_equal(a->hits[0].start, 16);
  assert_int_equal(a->hits[0].end, 31);
  assert_memory_equal(body + 16, "无 废 城 市", 15);
  assert_false(a->hits[0].negative);
  assert_string_equal(a->snippet, "吉林省推进 无 废 城 市建设，激活无废细胞。");
  assert_int_equal(a->snippet_field, MW_FIELD_BODY);
  assert_int_equal(a->n_marks, 1);
  assert_int_equal(a->marks[0].start, 16);
  assert_int_equal(a->marks[0].end, 31);
  assert_string_equal(a->why,
                      "yes AND\n"
                      "yes   无废城市  found in body 16-31\n"
                      "yes   NOT\n"
                      "no      广告\n");
  const struct mw_topic_report *b = &r->topics[1];
  assert_true(b->matched);
  assert_int_equal(b->n_hits, 1);
  assert_string_equal(b->hits[0].term, "PM2.5");
  assert_int_equal(b->hits[0].field, MW_FIELD_TITLE);
  assert_int_equal(b->hits[0].start, 6);
  assert_int_equal(b->hits[0].end, 21);
  assert_string_equal(b->snippet, "长春ＰＭ２．５达标");
  assert_string_equal(b->why,
                      "yes OR\n"
                      "yes   PM2.5 in title  found in title 6-21\n"
                      "no    雾霾\n");
  mw_match_report_free(r);

  /* A NOT term found is listed as negative; the snippet skips it. */
  d = (struct mw_doc){.body = MW_STR_LIT("无废城市广告")};
  assert_int_equal(mw_matcher_explain(m, &d, &r, &err), MW_OK);
  assert_int_equal(r->matched, 0);
  a = &r->topics[0];
  assert_false(a->matched);
  assert_int_equal(a->n_hits, 2);
  assert_true(a->hits[1].negative);
  assert_string_equal(a->hits[1].term, "广告");
  assert_int_equal(a->n_marks, 1);
  assert_null(r->topics[1].snippet);
  assert_int_equal(r->topics[1].n_hits, 0);
  mw_match_report_free(r);
  mw_match_report_free(NULL);

  /* A long text: the snippet is cut with … on both sides. */
  struct mw_buf big;
  mw_buf_init(&big, 4096);
  for (int i = 0; i < 40; i++) mw_buf_puts(&big, "生态");
  mw_buf_puts(&big, "无废城市");
  for (int i = 0; i < 40; i++) mw_buf_puts(&big, "环境");
  d = (struct mw_doc){.body = {big.data, big.len}};
  assert_int_equal(mw_matcher_explain(m, &d, &r, &err), MW_OK);
  a = &r->topics[0];
  assert_int_equal(a->hits[0].start, 240);
  assert_true(!strncmp(a->snippet, "…", 3));
  assert_int_equal(strlen(a->snippet), 3 + 30 * 3 + 12 + 50 * 3 + 3);
  assert_int_equal(a->marks[0].start, 3 + 90);
  mw_match_report_free(r);
  mw_buf_cleanup(&big);
  mw_matcher_free(m);
}

static char *read_seed(const char *name, size_t *len) {
  const char *dir = getenv("MW_TEST_DATA");
  char path[1024];
  snprintf(path, sizeof path, "%s/matchers/%s", dir ? dir : "tests/data", name);
  FILE *f = fopen(path, "rb");
  if (!f) fail_msg("cannot open %s", path);
  static char buf[1 << 16];
  *len = fread(buf, 1, sizeof buf - 1, f);
  buf[*len] = '\0';
  fclose(f);
  return buf;
}

/* The seed documents: a plan, bulletins and a work programme. */
static void test_seeds(void **state) {
  (void)state;
  struct mw_topic_conf t[] = {
      {.name = "无废城市", .rule = "无废城市 | 无废细胞"},
      {.name = "垃圾分类宣传", .rule = "垃圾分类 (宣传 | 志愿) -广告"},
      {.name = "舆情", .rule = "NEAR/10(舆情, 监测 | 应对)"},
      {.name = "长春", .rule = "title:长春"},
  };
  struct mw_matcher *m;
  struct mw_err err;
  assert_int_equal(mw_matcher_new(t, 4, &m, &err), MW_OK);
  static const struct {
    const char *file;
    const char *want;
  } seeds[] = {
      {"seed_plan.txt", "1000"},
      {"seed_changchun.txt", "1101"},
      {"seed_jinxi.txt", "0100"},
      {"seed_jiangbei.txt", "1010"},
  };
  for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
    size_t len;
    char *text = read_seed(seeds[i].file, &len);
    while (*text == '\n' || *text == '\r' || *text == ' ') text++, len--;
    char *nl = strchr(text, '\n');
    struct mw_doc d = {.title = {text, (size_t)(nl - text)},
                       .body = {nl + 1, len - (size_t)(nl + 1 - text)}};
    char v[17]; /* room for verdicts' 16 topics */
    verdicts(m, &d, v);
    if (strcmp(v, seeds[i].want))
      fail_msg("%s: %s, want %s", seeds[i].file, v, seeds[i].want);
  }
  mw_matcher_free(m);
}

struct worker {
  const struct mw_matcher *m;
  int ok;
};

static void *work(void *arg) {
  struct worker *w = arg;
  struct mw_topic_result r[2];
  struct mw_err err;
  for (int i = 0; i < 300; i++) {
    struct mw_doc a = {.body = MW_STR_LIT("焚烧厂项目遭居民抗议")};
    struct mw_doc b = {.body = MW_STR_LIT("建设无废城市")};
    if (mw_matcher_match(w->m, i % 2 ? &a : &b, r, &err) != 1) return NULL;
    if (r[i % 2 ? 0 : 1].matched != true) return NULL;
  }
  w->ok = 1;
  return NULL;
}

static void test_threads(void **state) {
  (void)state;
  static const char *const rules[] = {"NEAR/5(焚烧厂, 抗议)", "无废城市"};
  struct mw_matcher *m = build(rules, 2);
  pthread_t th[4];
  struct worker w[4];
  for (int i = 0; i < 4; i++) {
    w[i] = (struct worker){m, 0};
    assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
  }
  for (int i = 0; i < 4; i++) {
    pthread_join(th[i], NULL);
    assert_int_equal(w[i].ok, 1);
  }
  mw_matcher_free(m);
}

/* A body of n copies of filler between the pieces given. */
static char *body_of(const char *a, const char *filler, size_t n,
                     const char *b) {
  size_t fl = strlen(filler), len = strlen(a) + n * fl + strlen(b);
  char *s = malloc(len + 1);
  assert_non_null(s);
  size_t w = 0;
  memcpy(s, a, strlen(a));
  w += strlen(a);
  for (size_t i = 0; i < n; i++, w += fl) memcpy(s + w, filler, fl);
  memcpy(s + w, b, strlen(b) + 1);
  return s;
}

static const char *verdicts_of(const struct mw_matcher *m, const char *body) {
  static char v[17];
  struct mw_doc d = {.body = {body, strlen(body)}};
  verdicts(m, &d, v);
  return v;
}

/* A regex runs only near the occurrences of its best factor (within the
 * longest match, or the parts of the pattern before and after the
 * factor), after its other factors were seen there: a match near any
 * occurrence is found, and nothing farther. */
static void test_regex_windows(void **state) {
  (void)state;
  static const char *const rules[] = {
      "/会公众.{0,8}作为/",        /* the factor starts the pattern */
      "/甲.{0,3}会公众.{0,4}作为/", /* ... or is in the middle */
      "/(会公众|众参与).{0,2}作为/", /* two strings: symmetric windows */
      "/会公众.*作为/",             /* no bound: the whole field */
  };
  struct mw_matcher *m = build(rules, 4);
  char *b;
  b = body_of("会公众在", "宣传", 100, "会公众在作为");
  assert_string_equal(verdicts_of(m, b), "1011"); /* the last occurrence */
  free(b);
  b = body_of("会公众在", "宣传", 100, "会公众在宣传作为");
  assert_string_equal(verdicts_of(m, b), "1001"); /* 3 between: not rule 2 */
  free(b);
  b = body_of("会公众在作为", "宣传", 100, "会公众");
  assert_string_equal(verdicts_of(m, b), "1011"); /* the first */
  free(b);
  b = body_of("宣传会公众", "宣传", 3, "会公众一二三四五六七八作为");
  assert_string_equal(verdicts_of(m, b), "1001"); /* 8 between: in reach */
  free(b);
  b = body_of("会公众一二三四五六七八九作为", "宣传", 50, "会公众");
  assert_string_equal(verdicts_of(m, b), "0001"); /* 9 between: too far */
  free(b);
  assert_string_equal(verdicts_of(m, "甲乙丙会公众丁作为"), "1111");
  assert_string_equal(verdicts_of(m, "甲乙丙丁戊会公众作为"), "1011");
  assert_string_equal(verdicts_of(m, "宣传众参与在作为"), "0010");
  b = body_of("众参与在作为", "宣传", 80, "会公众");
  assert_string_equal(verdicts_of(m, b), "0010");
  free(b);
  mw_matcher_free(m);
}

/* Over HITS_MAX recorded occurrences the later ones are lost; a regex
 * then looks between its factor's first and last occurrences. */
static void test_regex_many_hits(void **state) {
  (void)state;
  static const char *const rules[] = {
      "NEAR/1(甲, 乙)", /* every 甲 is recorded */
      "/会公众.{0,8}作为/",
  };
  struct mw_matcher *m = build(rules, 2);
  char *b = body_of("会公众", "甲", 210000, "会公众在作为");
  assert_string_equal(verdicts_of(m, b), "01");
  free(b);
  b = body_of("会公众在作为", "甲", 210000, "会公众");
  assert_string_equal(verdicts_of(m, b), "01");
  free(b);
  b = body_of("甲乙", "甲", 210000, "会公众");
  assert_string_equal(verdicts_of(m, b), "10");
  free(b);
  mw_matcher_free(m);
}

/* 40503's inverse modulo 65536, for undoing the wide form's shuffle. */
static uint32_t unshuffle(uint32_t v) {
  uint32_t inv = 40503; /* Newton: each step doubles the bits right */
  for (int i = 0; i < 4; i++) inv = inv * (2 - 40503 * inv);
  uint32_t u = (v * inv) & 0xFFFF;
  return u ^ u >> 8;
}

static size_t put_utf8(char *o, uint32_t cp) {
  if (cp < 0x80) return o[0] = (char)cp, 1;
  if (cp < 0x800)
    return o[0] = (char)(0xC0 | cp >> 6), o[1] = (char)(0x80 | (cp & 0x3F)), 2;
  o[0] = (char)(0xE0 | cp >> 12);
  o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
  o[2] = (char)(0x80 | (cp & 0x3F));
  return 3;
}

/* Chinese text is scanned two bytes a character: a literal whose bytes
 * there straddle two characters is not found; characters outside the BMP
 * (two units) are; mostly-ASCII text is scanned as UTF-8, the same. */
static void test_wide_scan(void **state) {
  (void)state;
  struct mw_norm_wide w;
  mw_norm_wide_init(&w);
  struct mw_buf one;
  mw_buf_init(&one, 64);
  int tried = 0;
  static const char *const pairs[] = {"无废", "城市", "建设", "垃圾", "分类",
                                      "宣传", "长春", "吉林", "生态", "环境"};
  for (size_t p = 0; p < sizeof pairs / sizeof pairs[0]; p++) {
    assert_int_equal(mw_norm_wide(pairs[p], 6, &w), MW_OK);
    assert_int_equal(w.n, 2);
    /* The unit made of the first's low byte and the second's high one. */
    uint32_t cp = unshuffle((uint32_t)w.u[1] << 8 | w.u[2]);
    if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) continue;
    char lit[8];
    size_t n = put_utf8(lit, cp);
    lit[n] = '\0';
    mw_buf_reset(&one);
    if (mw_text_normalize(lit, n, &one) || one.len != n ||
        memcmp(one.data, lit, n))
      continue; /* not its own normal form: no literal of it */
    if (!memcmp(lit, pairs[p], 3) || !memcmp(lit, pairs[p] + 3, 3)) continue;
    const char *rules[] = {lit, pairs[p]};
    struct mw_matcher *m = build(rules, 2);
    assert_string_equal(verdicts_of(m, pairs[p]), "01");
    mw_matcher_free(m);
    tried++;
  }
  assert_true(tried > 0);
  mw_norm_wide_cleanup(&w);
  mw_buf_cleanup(&one);
  static const char *const rules[] = {
      "\xF0\xA0\x80\x80无", /* U+20000 and an ideograph */
      "pm2.5 超标",
      "\xF0\xA0\x80\x80",
  };
  struct mw_matcher *m = build(rules, 3);
  assert_string_equal(verdicts_of(m, "无废\xF0\xA0\x80\x80无城市"), "101");
  assert_string_equal(verdicts_of(m, "无废\xF0\xA0\x80\x80城市"), "001");
  assert_string_equal(verdicts_of(m, "The PM2.5 figure is high: 超标"), "010");
  assert_string_equal(verdicts_of(m, "长春市ＰＭ２．５超标"), "010");
  mw_matcher_free(m);
}

static void test_no_topics(void **state) {
  (void)state;
  struct mw_matcher *m;
  struct mw_err err;
  assert_int_equal(mw_matcher_new(NULL, 0, &m, &err), MW_OK);
  struct mw_doc d = {.body = MW_STR_LIT("无废城市")};
  assert_int_equal(mw_matcher_match(m, &d, NULL, &err), 0);
  double score;
  int level;
  assert_int_equal(mw_matcher_score(m, &d, &score, &level, &err), MW_OK);
  assert_true(score == 0);
  assert_int_equal(level, 0);
  mw_matcher_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fields),   cmocka_unit_test(test_near),
      cmocka_unit_test(test_regex),    cmocka_unit_test(test_terms),
      cmocka_unit_test(test_explain),  cmocka_unit_test(test_seeds),
      cmocka_unit_test(test_threads),  cmocka_unit_test(test_no_topics),
      cmocka_unit_test(test_regex_windows),
      cmocka_unit_test(test_regex_many_hits),
      cmocka_unit_test(test_wide_scan),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
