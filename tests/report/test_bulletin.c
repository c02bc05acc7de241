/*
 * test_bulletin.c: the work bulletin (report/bulletin*.c) from fixed
 * stories taken from seeds 001 and 002 plus a hostile one: golden files in
 * HTML and Markdown, the HTML passes xmllint --html without an error and
 * carries no live markup from the stories, the lead paragraph is cut on a
 * sentence end, and bad issues are refused with a message.
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

#include "tests/report/report_fixture.h"

#define S(x) ((char *)(x))

static struct mw_bulletin_story stories[] = {
    {.article_id = 1,
     .cluster_id = 4,
     .title = S("吉林省成立全域“无废城市”建设工作推进组"),
     .outlet = S("吉林日报"),
     .source = S("吉林省生态环境厅"),
     .text = S("吉林省成立全域“无废城市”建设工作推进组\n\n"
               "为忠实践行习近平生态文明思想，贯彻落实《中共中央国务院关于深入"
               "打好污染防治攻坚战的意见》（中发〔2021〕40号）、生态环境部等部门"
               "印发的《“十四五”时期“无废城市”建设工作方案》（环固体〔2021〕114"
               "号）和《中共吉林省委关于忠实践行习近平生态文明思想加快建设生态"
               "强省的决定》，加快推进全域“无废城市”建设，经省领导同意，成立了"
               "吉林省全域“无废城市”建设工作推进组，统筹推进全域“无废城市”建设"
               "工作。推进组由韩福春同志担任组长。\n推进组办公室设在省生态环境"
               "厅。"),
     .time = 1683511200, /* 2023-05-08 10:00 +08:00 */
     .outlet_count = 5,
     .article_count = 6},
    {.article_id = 2,
     .title = S("举办吉林省全域“无废城市”建设专题讲座"),
     .outlet = S("中国吉林网"),
     .text = S("　　4月17日，省全域“无废城市”建设工作推进组办公室邀请生态环境部"
               "固体废物与化学品司温雪峰副司长，在省生态环境厅就“如何做好无废"
               "城市建设工作”举办专题讲座。共设1个主会场和11个分会场，共计340"
               "余人同步收听收看。讲座由省生态环境厅生态环境保护督察专员李伟华"
               "主持，省生态环境厅副厅长韩良、张天华，总工程师陈明辉，省委宣传部"
               "、省人民检察院、省发展改革委、省工信厅等20个推进组成员单位分管负"
               "责同志，以及省生态环境厅机关各处室负责同志在主会场参会。"),
     .time = 1683597600, /* 2023-05-09 10:00 */
     .outlet_count = 2,
     .article_count = 2},
    {.article_id = 3,
     .title = S(XSS_SCRIPT),
     .outlet = S("长春日报"),
     .source = S(XSS_IMG),
     .text = S("<b>长春市</b>印发《长春市“无废细胞”创建活动实施方案》*粗体*"
               " [链接](javascript:alert(1))"),
     .time = 1683684000,
     .outlet_count = 1,
     .article_count = 1},
    {.article_id = 4,
     .title = NULL,
     .outlet = S("长春市人民政府"),
     .text = NULL,
     .time = 1683770400,
     .outlet_count = 1,
     .article_count = 1},
};

static struct mw_bulletin fixture(const struct mw_tz *tz) {
  return (struct mw_bulletin){
      .office = "吉林省全域“无废城市”建设工作推进组办公室",
      .issue = 3,
      .total = 12,
      .year = 2023,
      .month = 5,
      .day = 15,
      .tz = tz,
      .stories = stories,
      .n_stories = sizeof stories / sizeof stories[0],
  };
}

static char *render(enum mw_bulletin_format fmt, struct mw_buf *out) {
  struct mw_tz *tz = NULL;
  struct mw_err err = {0};
  if (mw_tz_load("Asia/Shanghai", &tz, &err)) fail_msg("%s", err.msg);
  struct mw_bulletin b = fixture(tz);
  mw_buf_init(out, 1 << 20);
  if (mw_bulletin_write(&b, fmt, out, &err)) fail_msg("%s", err.msg);
  mw_tz_free(tz);
  return out->data;
}

static void test_golden_md(void **state) {
  (void)state;
  struct mw_buf out;
  char *md = render(MW_BULLETIN_MD, &out);
  rf_check_golden("bulletin_3.md", md, out.len);
  assert_non_null(strstr(md, "- ☆\\<script\\>alert(1)\\</script\\>\n"));
  assert_non_null(strstr(md, "## （无标题）\n\n来源：长春市人民政府　　"
                             "日期：2023年5月11日\n"));
  mw_buf_cleanup(&out);
}

static void test_golden_html(void **state) {
  (void)state;
  struct mw_buf out;
  char *html = render(MW_BULLETIN_HTML, &out);
  rf_check_golden("bulletin_3.html", html, out.len);
  /* Nothing from the stories is live markup. */
  assert_null(strstr(html, "<script"));
  assert_null(strstr(html, "<img"));
  assert_null(strstr(html, "<b>"));
  assert_non_null(strstr(html, "☆&lt;script&gt;alert(1)&lt;/script&gt;</p>"));
  assert_non_null(strstr(html, "来源：&quot;&gt;&lt;img src=x onerror="
                               "alert(1)&gt;　　日期：2023年5月10日</p>"));
  mw_buf_cleanup(&out);
}

static void test_html_lints(void **state) {
  (void)state;
  struct mw_buf out;
  char *html = render(MW_BULLETIN_HTML, &out);
  char path[] = "/tmp/mw-bulletin-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, html, out.len), (ssize_t)out.len);
  close(fd);
  char cmd[256];
  snprintf(cmd, sizeof cmd, "xmllint --html --noout '%s' 2>&1", path);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  char lint[4096];
  size_t n = fread(lint, 1, sizeof lint - 1, p);
  lint[n] = '\0';
  int status = pclose(p);
  unlink(path);
  if (status != 0 || n != 0)
    fail_msg("xmllint --html (exit %d):\n%s", status, lint);
  mw_buf_cleanup(&out);
}

static void lead_is(const char *text, const char *title, const char *want) {
  struct mw_buf b;
  mw_buf_init(&b, 1 << 16);
  assert_int_equal(mw_bulletin_lead(text, title, &b), 0);
  assert_string_equal(b.data ? b.data : "", want);
  mw_buf_cleanup(&b);
}

static void test_lead(void **state) {
  (void)state;
  /* The title line and blank lines are skipped; a short paragraph whole. */
  lead_is("标题\n\n  \n　　推进组办公室设在省生态环境厅。\n第二段。", "标题",
          "推进组办公室设在省生态环境厅。");
  /* Seed 001: the first sentence ends after 202 characters, within 300. */
  struct mw_buf lead;
  mw_buf_init(&lead, 1 << 16);
  assert_int_equal(mw_bulletin_lead(stories[0].text, stories[0].title, &lead),
                   0);
  assert_non_null(strstr(lead.data, "统筹推进全域“无废城市”建设工作。"));
  assert_null(strstr(lead.data, "韩福春"));
  mw_buf_cleanup(&lead);
  /* Seed 001: cut on the last sentence end before 150 characters. */
  lead_is(stories[1].text, NULL,
          "4月17日，省全域“无废城市”建设工作推进组办公室邀请生态环境部固体废物"
          "与化学品司温雪峰副司长，在省生态环境厅就“如何做好无废城市建设工作”"
          "举办专题讲座。共设1个主会场和11个分会场，共计340余人同步收听收看。");
  /* A closing quote stays with its sentence. */
  lead_is("他说：“要早出成效。”随后散会", NULL,
          "他说：“要早出成效。”随后散会");
  /* No sentence end within 300 characters: 150 and an ellipsis. */
  char longer[400 * 3 + 1];
  for (int i = 0; i < 400; i++) memcpy(longer + 3 * i, "废", 3);
  longer[sizeof longer - 1] = '\0';
  char want[150 * 3 + 7];
  for (int i = 0; i < 150; i++) memcpy(want + 3 * i, "废", 3);
  memcpy(want + 450, "……", 7);
  lead_is(longer, NULL, want);
  /* Invalid UTF-8 is replaced; no text, no lead. */
  lead_is("a\xff" "b", NULL, "a\xEF\xBF\xBD" "b");
  lead_is(NULL, NULL, "");
  lead_is("\n \n", NULL, "");
}

static void test_errors(void **state) {
  (void)state;
  struct mw_buf out;
  struct mw_err err = {0};
  struct mw_bulletin b = fixture(NULL);
  enum mw_bulletin_format f;
  mw_buf_init(&out, 1 << 20);
  b.issue = 0;
  assert_int_equal(mw_bulletin_write(&b, MW_BULLETIN_MD, &out, &err),
                   MW_EINVAL);
  assert_string_equal(err.msg,
                      "bulletin: the issue number must be 1 or more, not 0");
  b.issue = 13;
  assert_int_equal(mw_bulletin_write(&b, MW_BULLETIN_MD, &out, &err),
                   MW_EINVAL);
  assert_non_null(strstr(err.msg, "总第12期"));
  b.issue = 3;
  b.month = 2;
  b.day = 30;
  assert_int_equal(mw_bulletin_write(&b, MW_BULLETIN_HTML, &out, &err),
                   MW_EINVAL);
  assert_string_equal(err.msg, "bulletin: 2023-2-30 is not a date");
  assert_int_equal(out.len, 0);
  /* Too small an output limit leaves nothing half-written. */
  b.day = 28;
  struct mw_buf small;
  mw_buf_init(&small, 64);
  assert_int_equal(mw_buf_puts(&small, "x"), 0);
  assert_int_equal(mw_bulletin_write(&b, MW_BULLETIN_HTML, &small, &err),
                   MW_ETOOBIG);
  assert_string_equal(small.data, "x");
  mw_buf_cleanup(&small);
  assert_int_equal(mw_bulletin_format_parse("html", &f), 0);
  assert_int_equal(f, MW_BULLETIN_HTML);
  assert_int_equal(mw_bulletin_format_parse("md", &f), 0);
  assert_int_equal(f, MW_BULLETIN_MD);
  assert_int_equal(mw_bulletin_format_parse("csv", &f), MW_EINVAL);
  mw_buf_cleanup(&out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_golden_md),
      cmocka_unit_test(test_golden_html),
      cmocka_unit_test(test_html_lints),
      cmocka_unit_test(test_lead),
      cmocka_unit_test(test_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
