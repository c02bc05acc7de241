/* Tests alerts/gazetteer.c: loading, 属地 of a text, containment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alerts/alerts.h"

static struct mw_gazetteer *load_fixture(void) {
  const char *root = getenv("MW_TEST_DATA");
  char path[1024];
  snprintf(path, sizeof path, "%s/alerts/gazetteer.tsv",
           root ? root : "tests/data");
  struct mw_gazetteer *g = NULL;
  struct mw_err err = {0};
  int rc = mw_gazetteer_load(path, &g, &err);
  if (rc) fail_msg("%s", err.msg);
  return g;
}

static struct mw_gazetteer *parse(const char *text) {
  struct mw_gazetteer *g = NULL;
  struct mw_err err = {0};
  int rc = mw_gazetteer_parse(text, strlen(text), "t.tsv", &g, &err);
  if (rc) fail_msg("%s", err.msg);
  return g;
}

static void expect_error(const char *text, int code, const char *msg) {
  struct mw_gazetteer *g = (struct mw_gazetteer *)1;
  struct mw_err err = {0};
  assert_int_equal(mw_gazetteer_parse(text, strlen(text), "t.tsv", &g, &err),
                   code);
  assert_null(g);
  assert_string_equal(err.msg, msg);
}

/* Locates text and checks the name and the full path. */
static void expect_place(const struct mw_gazetteer *g, const char *text,
                         const char *name, const char *path) {
  struct mw_buf b;
  mw_buf_init(&b, 1024);
  const char *got = mw_gazetteer_locate(g, text, strlen(text), &b);
  if (!name) {
    assert_null(got);
    assert_int_equal(b.len, 0);
  } else {
    if (!got) fail_msg("no place in \"%s\"", text);
    assert_string_equal(got, name);
    assert_string_equal(b.data, path);
  }
  mw_buf_cleanup(&b);
}

static void test_load(void **state) {
  (void)state;
  struct mw_gazetteer *g = load_fixture();
  assert_int_equal(mw_gazetteer_count(g), 26);
  assert_int_equal(mw_gazetteer_count(NULL), 0);
  mw_gazetteer_free(g);
  mw_gazetteer_free(NULL);

  /* The shipped example loads too. */
  char path[1024];
  snprintf(path, sizeof path, "%s/examples/gazetteer.tsv", MW_SOURCE_ROOT);
  struct mw_err err = {0};
  assert_int_equal(mw_gazetteer_load(path, &g, &err), MW_OK);
  assert_int_equal(mw_gazetteer_count(g), 53);
  expect_place(g, "双阳区奢岭街道一垃圾中转站恶臭扰民", "奢岭街道",
               "吉林省长春市双阳区奢岭街道");
  expect_place(g, "黔江区金溪镇人民政府", "金溪镇", "重庆市黔江区金溪镇");
  mw_gazetteer_free(g);

  g = (struct mw_gazetteer *)1;
  assert_int_equal(mw_gazetteer_load("/nonexistent/gaz.tsv", &g, &err),
                   MW_EIO);
  assert_null(g);
  assert_string_equal(err.msg,
                      "/nonexistent/gaz.tsv: cannot open: No such file or "
                      "directory");
}

static void test_errors(void **state) {
  (void)state;
  expect_error("吉林省\tstate\n", MW_EINVAL,
               "t.tsv:1: unknown level \"state\" (use province, city, "
               "district, town or village)");
  expect_error("# head\n长春市\tcity\t吉林省\n", MW_EINVAL,
               "t.tsv:2: parent \"吉林省\" is not defined above this line as "
               "a place of a higher level than city");
  /* A parent must be of a higher level. */
  expect_error("吉林省\tprovince\n长春市\tcity\t吉林省\n朝阳区\tcity\t长春市\n",
               MW_EINVAL,
               "t.tsv:3: parent \"长春市\" is not defined above this line as "
               "a place of a higher level than city");
  expect_error("吉林省\tprovince\n长春市\tcity\t吉林省\n长春市\tcity\t吉林省\n",
               MW_EINVAL, "t.tsv:3: \"长春市\" is given twice under 吉林省");
  expect_error("吉林省\tprovince\n吉林省\tprovince\n", MW_EINVAL,
               "t.tsv:2: \"吉林省\" is given twice under no parent");
  expect_error("吉林省\tprovince\n长春市\tcity\t吉林省\n朝阳区\tdistrict\t长春市\n"
               "北京市\tprovince\n朝阳区\tdistrict\t北京市\n"
               "前进街道\ttown\t朝阳区\n",
               MW_EINVAL,
               "t.tsv:6: parent \"朝阳区\" is ambiguous: 2 places of that "
               "name; give its full path, such as \"吉林省长春市朝阳区\"");
  expect_error("吉林省\tprovince\t中国\n", MW_EINVAL,
               "t.tsv:1: a province has no parent; leave the third column "
               "empty");
  expect_error("长春市\tcity\n", MW_EINVAL, "t.tsv:1: a city needs a parent");
  expect_error("吉林省\tprovince\t\tx\n", MW_EINVAL,
               "t.tsv:1: more than three columns: expected "
               "name<TAB>level<TAB>parent");
  expect_error("吉林省 province\n", MW_EINVAL,
               "t.tsv:1: expected name<TAB>level<TAB>parent");
  expect_error("\tprovince\n", MW_EINVAL, "t.tsv:1: empty place name");
  expect_error("吉林\xff省\tprovince\n", MW_EINVAL, "t.tsv:1: not UTF-8 text");

  char line[2000];
  memset(line, 'a', sizeof line);
  memcpy(line + 1100, "\tprovince\n", 11);
  expect_error(line, MW_EINVAL, "t.tsv:1: line longer than 1024 bytes");
  memset(line, 'a', 100);
  memcpy(line + 100, "\tprovince\n", 11);
  expect_error(line, MW_EINVAL, "t.tsv:1: place name longer than 96 bytes");
}

static void test_format(void **state) {
  (void)state;
  /* A byte order mark, CRLF, blank lines, spaces around columns, a last
   * line without a newline, level names in capitals. */
  struct mw_gazetteer *g = parse("\xEF\xBB\xBF# places\r\n\r\n"
                                 " 吉林省 \tProvince\t\r\n"
                                 "长春市\tCITY\t 吉林省\r\n"
                                 "朝阳区\tdistrict\t长春市");
  assert_int_equal(mw_gazetteer_count(g), 3);
  expect_place(g, "长春市朝阳区", "朝阳区", "吉林省长春市朝阳区");
  mw_gazetteer_free(g);

  /* An empty list loads and names nothing. */
  g = parse("# nothing yet\n");
  assert_int_equal(mw_gazetteer_count(g), 0);
  expect_place(g, "长春市", NULL, NULL);
  mw_gazetteer_free(g);

  /* Levels may be skipped (a municipality's districts); a name repeated
   * by its parent (北京市 the province and the city) is not repeated in
   * the path. */
  g = parse("北京市\tprovince\n北京市\tcity\t北京市\n"
            "朝阳区\tdistrict\t北京市\n");
  expect_place(g, "北京市朝阳区", "朝阳区", "北京市朝阳区");
  mw_gazetteer_free(g);
}

static void test_locate(void **state) {
  (void)state;
  struct mw_gazetteer *g = load_fixture();
  /* Seed 002: the deepest place wins. */
  expect_place(g, "朝阳区坚持把生活垃圾分类作为重点工作，在前进街道富豪花园小区"
                  "打造了全市第一个试点",
               "前进街道", "吉林省长春市朝阳区前进街道");
  /* Two 朝阳区: the one whose city is named, wherever it is named. */
  expect_place(g, "北京市朝阳区居民投诉垃圾站恶臭", "朝阳区", "北京市朝阳区");
  expect_place(g, "朝阳区居民投诉，长春市环保部门回应", "朝阳区",
               "吉林省长春市朝阳区");
  /* Nothing to tell them apart: the first line. */
  expect_place(g, "朝阳区居民投诉", "朝阳区", "吉林省长春市朝阳区");
  /* Equal depth: an ancestor named beats an earlier mention. */
  expect_place(g, "朝阳区、江北区均有报道，重庆市回应", "江北区",
               "重庆市江北区");
  expect_place(g, "宁波市江北区", "江北区", "浙江省宁波市江北区");
  /* Equal depth, no ancestors: the earliest. */
  expect_place(g, "南关区和二道区", "南关区", "吉林省长春市南关区");
  expect_place(g, "二道区和南关区", "二道区", "吉林省长春市二道区");
  expect_place(g, "吉林省吉林市船营区", "船营区", "吉林省吉林市船营区");
  /* No place: NULL and an empty path. */
  expect_place(g, "生活垃圾分类宣传周", NULL, NULL);
  expect_place(g, "", NULL, NULL);
  /* len is honoured: the text need not end there. */
  struct mw_buf b;
  mw_buf_init(&b, 256);
  const char *t = "长春市朝阳区";
  assert_string_equal(mw_gazetteer_locate(g, t, 9, &b), "长春市");
  assert_string_equal(b.data, "吉林省长春市");
  /* 长春 and two bytes of 市: the short form. */
  assert_string_equal(mw_gazetteer_locate(g, t, 8, &b), "长春市");
  assert_null(mw_gazetteer_locate(g, t, 5, &b)); /* 长 and half of 春 */
  assert_int_equal(b.len, 0);
  /* path may be NULL; so may g. */
  assert_string_equal(mw_gazetteer_locate(g, t, strlen(t), NULL), "朝阳区");
  assert_null(mw_gazetteer_locate(NULL, t, strlen(t), &b));
  /* Bytes that are not UTF-8 around a name. */
  const char bad[] = "\xff\xfe\x80长春市\xe9\x95";
  assert_string_equal(mw_gazetteer_locate(g, bad, sizeof bad - 1, &b),
                      "长春市");
  mw_buf_cleanup(&b);
  mw_gazetteer_free(g);
}

static void test_short_forms(void **state) {
  (void)state;
  struct mw_gazetteer *g = load_fixture();
  expect_place(g, "长春朝阳区", "朝阳区", "吉林省长春市朝阳区");
  expect_place(g, "双阳一处垃圾站", "双阳区", "吉林省长春市双阳区");
  expect_place(g, "奢岭的填埋场", "奢岭街道", "吉林省长春市双阳区奢岭街道");
  /* 吉林 is 吉林省, 吉林市 and 吉林街道: people mean the province. */
  expect_place(g, "吉林日报报道", "吉林省", "吉林省");
  /* A short form never matches inside a longer name: 二道 in 二道江区, in
   * 二道江 (its short form), 农安 in 农安镇. */
  expect_place(g, "二道江区", "二道江区", "吉林省通化市二道江区");
  expect_place(g, "二道江沿岸", "二道江区", "吉林省通化市二道江区");
  expect_place(g, "二道工序", "二道区", "吉林省长春市二道区");
  expect_place(g, "农安镇", "农安镇", "吉林省长春市农安县农安镇");
  expect_place(g, "农安的", "农安县", "吉林省长春市农安县");
  mw_gazetteer_free(g);

  /* Two characters must remain, counted as characters, not bytes. */
  g = parse("东区\tprovince\n和平区\tprovince\n");
  expect_place(g, "东边", NULL, NULL);
  expect_place(g, "东区", "东区", "东区");
  expect_place(g, "和平共处", "和平区", "和平区");
  mw_gazetteer_free(g);

  /* A full name beats a short form spelled the same. */
  g = parse("延吉\tprovince\n延吉市\tprovince\n");
  expect_place(g, "延吉", "延吉", "延吉");
  mw_gazetteer_free(g);

  /* 街道 is a suffix as a whole. */
  g = parse("吉林省\tprovince\n长春市\tcity\t吉林省\n朝阳区\tdistrict\t长春市\n"
            "湖西街道\ttown\t朝阳区\n");
  expect_place(g, "湖西一小区", "湖西街道", "吉林省长春市朝阳区湖西街道");
  mw_gazetteer_free(g);
}

static void test_within(void **state) {
  (void)state;
  struct mw_gazetteer *g = load_fixture();
  assert_true(mw_gazetteer_within(g, "前进街道", "长春市"));
  assert_true(mw_gazetteer_within(g, "前进街道", "吉林省"));
  assert_true(mw_gazetteer_within(g, "前进街道", "前进街道"));
  assert_false(mw_gazetteer_within(g, "前进街道", "北京市"));
  assert_false(mw_gazetteer_within(g, "长春市", "前进街道"));
  /* A name shared by two places: either will do. */
  assert_true(mw_gazetteer_within(g, "朝阳区", "北京市"));
  assert_true(mw_gazetteer_within(g, "朝阳区", "长春市"));
  /* A full path, or names run together, say which. */
  assert_true(mw_gazetteer_within(g, "吉林省长春市朝阳区", "长春市"));
  assert_false(mw_gazetteer_within(g, "吉林省长春市朝阳区", "北京市"));
  assert_true(mw_gazetteer_within(g, "长春市朝阳区", "吉林省"));
  assert_false(mw_gazetteer_within(g, "长春市朝阳区", "北京市"));
  assert_true(mw_gazetteer_within(g, "北京市朝阳区三里屯街道", "北京市朝阳区"));
  assert_false(mw_gazetteer_within(g, "北京市朝阳区三里屯街道", "长春市"));
  /* Names that do not run together are not a path. */
  assert_false(mw_gazetteer_within(g, "北京市的朝阳区", "北京市"));
  /* Short forms on either side. */
  assert_true(mw_gazetteer_within(g, "奢岭街道", "长春"));
  assert_true(mw_gazetteer_within(g, "双阳", "吉林省"));
  /* Unknown names compare as written. */
  assert_true(mw_gazetteer_within(g, "长白山开发区", "长白山开发区"));
  assert_false(mw_gazetteer_within(g, "长白山开发区", "吉林省"));
  assert_false(mw_gazetteer_within(g, "吉林省", "长白山开发区"));
  assert_false(mw_gazetteer_within(g, NULL, "吉林省"));
  assert_false(mw_gazetteer_within(g, "吉林省", NULL));
  assert_false(mw_gazetteer_within(g, "", "吉林省"));
  assert_true(mw_gazetteer_within(NULL, "长春市", "长春市"));
  assert_false(mw_gazetteer_within(NULL, "朝阳区", "长春市"));
  mw_gazetteer_free(g);
}

/* 50,000 places and a 10 KB text: each lookup must stay far under a
 * millisecond's order of magnitude per KB. */
static void test_speed(void **state) {
  (void)state;
  static const char *const chars[] = {
      "东", "西", "南", "北", "中", "山", "水", "河", "湖", "江", "林", "石",
      "新", "安", "平", "和", "兴", "隆", "福", "宁", "永", "长", "春", "阳",
      "光", "明", "华", "丰", "庆", "泰", "云", "龙", "凤", "金", "银", "铁",
      "红", "白", "青", "黄"};
  const size_t nc = sizeof chars / sizeof chars[0];
  struct mw_buf f;
  mw_buf_init(&f, 8u << 20);
  assert_int_equal(mw_buf_puts(&f, "测试省\tprovince\n"), MW_OK);
  size_t n = 1;
  for (size_t c = 0; c < 50; c++, n++)
    assert_int_equal(mw_buf_printf(&f, "%s%s市\tcity\t测试省\n",
                                   chars[c % nc], chars[c / nc + 10]),
                     MW_OK);
  /* Names are unique by construction: three characters in base 40. */
  for (size_t d = 0; n < 50000; d++, n++) {
    if (d < 2000) {
      size_t city = d % 50;
      assert_int_equal(mw_buf_printf(&f, "%s%s%s区\tdistrict\t%s%s市\n",
                                     chars[d % nc], chars[d / nc % nc],
                                     chars[d / 1600 + 20], chars[city % nc],
                                     chars[city / nc + 10]),
                       MW_OK);
    } else {
      size_t t = d - 2000, dist = t % 2000;
      assert_int_equal(mw_buf_printf(&f, "%s%s%s镇\ttown\t%s%s%s区\n",
                                     chars[t % nc], chars[t / nc % nc],
                                     chars[t / 1600 % nc], chars[dist % nc],
                                     chars[dist / nc % nc],
                                     chars[dist / 1600 + 20]),
                       MW_OK);
    }
  }
  struct mw_gazetteer *g = NULL;
  struct mw_err err = {0};
  clock_t t0 = clock();
  int rc = mw_gazetteer_parse(f.data, f.len, "big.tsv", &g, &err);
  if (rc) fail_msg("%s", err.msg);
  assert_int_equal(mw_gazetteer_count(g), 50000);
  clock_t t1 = clock();

  /* A text of the same characters: a lookup at every position hits. */
  struct mw_buf text;
  mw_buf_init(&text, 16384);
  for (size_t i = 0; text.len < 10000; i++)
    mw_buf_puts(&text, chars[(i * 7 + i / 3) % nc]);
  struct mw_buf path;
  mw_buf_init(&path, 1024);
  for (int i = 0; i < 20; i++)
    assert_non_null(mw_gazetteer_locate(g, text.data, text.len, &path));
  clock_t t2 = clock();
  double load_s = (double)(t1 - t0) / CLOCKS_PER_SEC;
  double each_ms = (double)(t2 - t1) / CLOCKS_PER_SEC * 1000 / 20;
  print_message("load %.3f s, locate %.3f ms per 10 KB\n", load_s, each_ms);
  /* Generous bounds: sanitizers and a shared machine. */
  assert_true(load_s < 5.0);
  assert_true(each_ms < 50.0);
  mw_buf_cleanup(&path);
  mw_buf_cleanup(&text);
  mw_buf_cleanup(&f);
  mw_gazetteer_free(g);
}

/* Arbitrary bytes, and pieces of names cut anywhere: no crash, no read
 * past len (the sanitizers watch), and parsing refuses or accepts. */
static void test_garbage(void **state) {
  (void)state;
  struct mw_gazetteer *g = load_fixture();
  static const char *const bits[] = {"长春市", "朝阳区", "街道", "吉林",
                                     "\xe9", "\x95\xbf", "\t", "\n",
                                     "\xff", "a", "二道江", "省"};
  uint32_t x = 12345;
  for (int round = 0; round < 200; round++) {
    struct mw_buf b;
    mw_buf_init(&b, 4096);
    for (int i = 0; i < 40; i++) {
      x = x * 1103515245u + 12345u;
      mw_buf_puts(&b, bits[(x >> 16) % (sizeof bits / sizeof bits[0])]);
    }
    /* A copy of exactly len bytes, so reading past it is caught. */
    char *t = malloc(b.len);
    memcpy(t, b.data, b.len);
    struct mw_buf path;
    mw_buf_init(&path, 256);
    for (size_t cut = 0; cut <= b.len; cut += 7)
      (void)mw_gazetteer_locate(g, t, cut, &path);
    (void)mw_gazetteer_within(g, b.data, "吉林省");
    struct mw_gazetteer *h = NULL;
    struct mw_err err = {0};
    if (!mw_gazetteer_parse(t, b.len, "x.tsv", &h, &err))
      mw_gazetteer_free(h);
    mw_buf_cleanup(&path);
    mw_buf_cleanup(&b);
    free(t);
  }
  mw_gazetteer_free(g);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_load),        cmocka_unit_test(test_errors),
      cmocka_unit_test(test_format),      cmocka_unit_test(test_locate),
      cmocka_unit_test(test_short_forms), cmocka_unit_test(test_within),
      cmocka_unit_test(test_garbage),     cmocka_unit_test(test_speed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
