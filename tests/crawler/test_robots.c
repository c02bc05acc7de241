/*
 * test_robots.c: crawler/robots.c. Google's documented path-matching and
 * precedence examples, group selection and merging (RFC 9309 2.2.1), the
 * percent-encoding examples of RFC 9309 2.2.2, Crawl-delay, and the
 * tolerance for BOMs, CRLF, comments and hostile sizes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crawler/crawler.h"

#define UA "mediawatch/0.1 (+https://example.org/bot)"

struct path_case {
  const char *path;
  bool allowed;
};

static void check(const char *txt, const char *agent,
                  const struct path_case *cases, size_t n) {
  struct mw_robots *r = mw_robots_parse(txt, strlen(txt), agent);
  assert_non_null(r);
  for (size_t i = 0; i < n; i++) {
    bool got = mw_robots_allowed(r, cases[i].path);
    if (got != cases[i].allowed) {
      print_error("robots.txt:\n%s\nagent '%s', path '%s': got %s, want %s\n",
                  txt, agent, cases[i].path, got ? "allowed" : "disallowed",
                  cases[i].allowed ? "allowed" : "disallowed");
      mw_robots_free(r);
      fail();
    }
  }
  mw_robots_free(r);
}

#define CHECK(txt, agent, ...)                                          \
  do {                                                                  \
    const struct path_case c_[] = {__VA_ARGS__};                        \
    check((txt), (agent), c_, sizeof c_ / sizeof c_[0]);                \
  } while (0)

/* Google's "URL matching based on path values" table: Disallow of the
 * pattern blocks exactly the paths it matches. */
static void test_google_path_examples(void **state) {
  (void)state;
  CHECK("User-agent: *\nDisallow: /\n", UA, {"/", false}, {"/x/y", false});
  CHECK("User-agent: *\nDisallow: /*\n", UA, {"/", false}, {"/x/y", false});
  CHECK("User-agent: *\nDisallow: /$\n", UA, {"/", false}, {"/page", true},
        {"/?x", true});
  CHECK("User-agent: *\nDisallow: /fish\n", UA, {"/fish", false},
        {"/fish.html", false}, {"/fish/salmon.html", false},
        {"/fishheads", false}, {"/fishheads/yummy.html", false},
        {"/fish.php?id=anything", false}, {"/Fish.asp", true},
        {"/catfish", true}, {"/?id=fish", true}, {"/desert/fish", true});
  CHECK("User-agent: *\nDisallow: /fish*\n", UA, {"/fish", false},
        {"/fish.html", false}, {"/fishheads/yummy.html", false},
        {"/Fish.asp", true}, {"/catfish", true}, {"/?id=fish", true});
  CHECK("User-agent: *\nDisallow: /fish/\n", UA, {"/fish/", false},
        {"/fish/?id=anything", false}, {"/fish/salmon.htm", false},
        {"/fish", true}, {"/fish.html", true}, {"/animals/fish/", true},
        {"/Fish/Salmon.asp", true});
  CHECK("User-agent: *\nDisallow: /*.php\n", UA, {"/index.php", false},
        {"/filename.php", false}, {"/folder/filename.php", false},
        {"/folder/filename.php?parameters", false},
        {"/folder/any.php.file.html", false}, {"/filename.php/", false},
        {"/", true}, {"/windows.PHP", true});
  CHECK("User-agent: *\nDisallow: /*.php$\n", UA, {"/filename.php", false},
        {"/folder/filename.php", false}, {"/filename.php?parameters", true},
        {"/filename.php/", true}, {"/filename.php5", true},
        {"/windows.PHP", true});
  CHECK("User-agent: *\nDisallow: /fish*.php\n", UA, {"/fish.php", false},
        {"/fishheads/catfish.php?parameters", false}, {"/Fish.PHP", true});
}

/* Google's "order of precedence for rules" table. */
static void test_google_precedence(void **state) {
  (void)state;
  CHECK("User-agent: *\nAllow: /p\nDisallow: /\n", UA, {"/page", true},
        {"/other", false});
  CHECK("User-agent: *\nAllow: /folder\nDisallow: /folder\n", UA,
        {"/folder/page", true});
  CHECK("User-agent: *\nAllow: /page\nDisallow: /*.htm\n", UA,
        {"/page.htm", false});
  CHECK("User-agent: *\nAllow: /page\nDisallow: /*.ph\n", UA,
        {"/page.php5", true});
  CHECK("User-agent: *\nAllow: /$\nDisallow: /\n", UA, {"/", true},
        {"/page.htm", false});
  /* Order in the file does not matter, only length. */
  CHECK("User-agent: *\nDisallow: /a/b\nAllow: /a\n", UA, {"/a/b/c", false},
        {"/a/c", true});
}

/* Google's group example: each crawler obeys exactly one group. */
static void test_group_selection(void **state) {
  (void)state;
  const char *txt =
      "user-agent: googlebot-news\n"
      "disallow: /news-only\n"
      "\n"
      "user-agent: *\n"
      "disallow: /star-only\n"
      "\n"
      "user-agent: googlebot\n"
      "disallow: /googlebot-only\n";
  CHECK(txt, "Googlebot-News/1.0", {"/news-only", false},
        {"/star-only", true}, {"/googlebot-only", true});
  CHECK(txt, "Googlebot/2.1 (+http://www.google.com/bot.html)",
        {"/news-only", true}, {"/star-only", true},
        {"/googlebot-only", false});
  CHECK(txt, "Storebot-Google/1.0", {"/news-only", true},
        {"/star-only", false}, {"/googlebot-only", true});
  CHECK(txt, UA, {"/star-only", false}, {"/news-only", true});
  /* No agent at all: the '*' group. */
  CHECK(txt, NULL, {"/star-only", false});
  CHECK(txt, "", {"/star-only", false});
}

static void test_group_merging(void **state) {
  (void)state;
  /* Two groups for the same agent are merged; '*' is ignored. */
  CHECK("user-agent: mediawatch\ndisallow: /fish\n\n"
        "user-agent: *\ndisallow: /carrots\n\n"
        "user-agent: MediaWatch\ndisallow: /shrimp\n",
        UA, {"/fish", false}, {"/shrimp", false}, {"/carrots", true});
  /* Several agents share one group; a blank line does not end the list. */
  CHECK("user-agent: a\ndisallow: /c\n\n"
        "user-agent: e\n\nuser-agent: mediawatch\ndisallow: /g\n\n"
        "user-agent: h\n",
        UA, {"/g", false}, {"/c", true});
  /* Sitemap and unknown lines between agents keep the group together. */
  CHECK("User-agent: other\nSitemap: https://a.com/s.xml\n"
        "User-agent: mediawatch\nDisallow: /x\n",
        UA, {"/x", false});
  /* A rule line ends the agent list: the next agent starts a new group. */
  CHECK("User-agent: mediawatch\nDisallow: /x\nUser-agent: other\n"
        "Disallow: /y\n",
        UA, {"/x", false}, {"/y", true});
  /* Our own group, though empty, overrides '*'. */
  CHECK("User-agent: *\nDisallow: /\n\nUser-agent: mediawatch\n", UA,
        {"/", true}, {"/anything", true});
  CHECK("User-agent: *\nDisallow: /\n\nUser-agent: mediawatch\nDisallow:\n",
        UA, {"/", true});
  /* The agent line may carry a version or comment; keys and agents are
   * case-insensitive; a token that only starts like ours does not match. */
  CHECK("USER-AGENT: MediaWatch/2.0\nDISALLOW: /a\n", UA, {"/a", false});
  CHECK("User-agent: mediawatchbot\nDisallow: /a\n", UA, {"/a", true});
  CHECK("User-agent: media\nDisallow: /a\n", UA, {"/a", true});
  /* Rules before any User-agent belong to no group. */
  CHECK("Disallow: /a\nUser-agent: *\nDisallow: /b\n", UA, {"/a", true},
        {"/b", false});
}

static void test_empty_and_odd_files(void **state) {
  (void)state;
  CHECK("", UA, {"/", true});
  CHECK("User-agent: *\nDisallow:\n", UA, {"/", true}, {"/x", true});
  CHECK("User-agent: *\nAllow:\n", UA, {"/x", true});
  CHECK("\xEF\xBB\xBFUser-agent: *\r\nDisallow: /bom\r\n", UA,
        {"/bom", false}, {"/ok", true});
  CHECK("User-agent: *\rDisallow: /cr\r", UA, {"/cr", false});
  CHECK("# whole line\nUser-agent: * # all\nDisallow: /a # not /b\n", UA,
        {"/a", false}, {"/b", true}, {"/a%20#", false});
  CHECK("User-agent:*\nDisallow:/tight\n", UA, {"/tight", false});
  CHECK("  User-agent :\t*  \n  Disallow\t: /spaced  \n", UA,
        {"/spaced", false}, {"/space", true});
  CHECK("User-agent: *\nDisalow: /typo\nUser agent: x\n", UA,
        {"/typo", false});
  CHECK("<html><body>Not found</body></html>", UA, {"/", true});
  CHECK("User-agent: *\nDisallow: /\n", UA, {"/robots.txt", true},
        {"/robots.txt?x", false});
  /* An empty path is the root. */
  CHECK("User-agent: *\nDisallow: /$\n", UA, {"", false});
  struct mw_robots *none = NULL;
  assert_true(mw_robots_allowed(none, "/x"));
  assert_int_equal(mw_robots_crawl_delay_ms(none), 0);
  struct mw_robots *r = mw_robots_parse(NULL, 0, UA);
  assert_non_null(r);
  assert_true(mw_robots_allowed(r, "/x"));
  mw_robots_free(r);
  mw_robots_free(NULL);
}

/* RFC 9309 2.2.2: compare in one encoding. */
static void test_percent_encoding(void **state) {
  (void)state;
  CHECK("User-agent: *\nDisallow: /foo/bar/%62%61%7A\n", UA,
        {"/foo/bar/baz", false}, {"/foo/bar/%62%61%7a", false});
  CHECK("User-agent: *\nDisallow: /foo/bar/baz\n", UA,
        {"/foo/bar/%62%61%7A", false});
  CHECK("User-agent: *\nDisallow: /foo/bar/ツ\n", UA,
        {"/foo/bar/%E3%83%84", false}, {"/foo/bar/%e3%83%84", false},
        {"/foo/bar/ツ", false});
  CHECK("User-agent: *\nDisallow: /foo/bar/%E3%83%84\n", UA,
        {"/foo/bar/ツ", false});
  /* Reserved characters stay escaped: %2F is not '/'. */
  CHECK("User-agent: *\nDisallow: /a/b\n", UA, {"/a%2Fb", true},
        {"/a/b", false});
  CHECK("User-agent: *\nDisallow: /搜索\n", UA,
        {"/%E6%90%9C%E7%B4%A2?q=无废城市", false}, {"/搜", true});
  CHECK("User-agent: *\nDisallow: /*?keyword=\n", UA,
        {"/search?keyword=%E5%9E%83%E5%9C%BE", false},
        {"/search?kw=1", true});
  /* '$' in the middle of a rule is an ordinary character. */
  CHECK("User-agent: *\nDisallow: /a$b\n", UA, {"/a$b/c", false},
        {"/a", true});
}

static void test_crawl_delay(void **state) {
  (void)state;
  struct {
    const char *txt;
    int64_t ms;
  } cases[] = {
      {"User-agent: *\nCrawl-delay: 10\n", 10000},
      {"User-agent: *\nCrawl-delay: 1.5\n", 1500},
      {"User-agent: *\nCrawl-delay: 0.25\n", 250},
      {"User-agent: *\nCrawl-delay: .5\n", 500},
      {"User-agent: *\ncrawl-delay:   3  # seconds\n", 3000},
      {"User-agent: *\nCrawl-delay: abc\n", 0},
      {"User-agent: *\nCrawl-delay: -1\n", 0},
      {"User-agent: *\nCrawl-delay: 99999999999999999999\n", 86400000},
      {"User-agent: *\nDisallow: /x\n", 0},
      {"Crawl-delay: 7\nUser-agent: *\n", 0},
      {"User-agent: *\nCrawl-delay: 5\n\nUser-agent: mediawatch\n"
       "Crawl-delay: 2\n", 2000},
      {"User-agent: *\nCrawl-delay: 5\n\nUser-agent: mediawatch\n"
       "Disallow: /x\n", 0},
      {"User-agent: other\nCrawl-delay: 9\n\nUser-agent: *\nCrawl-delay: 4\n",
       4000},
      {"User-agent: *\nCrawl-delay: 4\nCrawl-delay: 8\n", 4000},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct mw_robots *r =
        mw_robots_parse(cases[i].txt, strlen(cases[i].txt), UA);
    assert_non_null(r);
    if (mw_robots_crawl_delay_ms(r) != cases[i].ms) {
      print_error("case %zu: got %lld want %lld\n", i,
                  (long long)mw_robots_crawl_delay_ms(r),
                  (long long)cases[i].ms);
      mw_robots_free(r);
      fail();
    }
    mw_robots_free(r);
  }
}

static void test_bounds(void **state) {
  (void)state;
  /* 20,000 rules: only the first 10,000 are kept. */
  struct mw_buf b;
  mw_buf_init(&b, 1 << 20);
  assert_int_equal(mw_buf_puts(&b, "User-agent: *\n"), MW_OK);
  for (int i = 0; i < 20000; i++)
    assert_int_equal(mw_buf_printf(&b, "Disallow: /p%d/\n", i), MW_OK);
  struct mw_robots *r = mw_robots_parse(b.data, b.len, UA);
  assert_non_null(r);
  assert_false(mw_robots_allowed(r, "/p0/x"));
  assert_false(mw_robots_allowed(r, "/p9999/x"));
  assert_true(mw_robots_allowed(r, "/p10000/x"));
  assert_true(mw_robots_allowed(r, "/p19999/x"));
  mw_robots_free(r);

  /* An over-long line is skipped, the next one still read. */
  mw_buf_reset(&b);
  assert_int_equal(mw_buf_puts(&b, "User-agent: *\nDisallow: /"), MW_OK);
  for (int i = 0; i < 9000; i++) assert_int_equal(mw_buf_putc(&b, 'a'), MW_OK);
  assert_int_equal(mw_buf_puts(&b, "\nDisallow: /b\n"), MW_OK);
  r = mw_robots_parse(b.data, b.len, UA);
  assert_non_null(r);
  assert_true(mw_robots_allowed(r, "/aaa"));
  assert_false(mw_robots_allowed(r, "/b"));
  mw_robots_free(r);

  /* Only the first 512 KiB are read. */
  mw_buf_reset(&b);
  assert_int_equal(mw_buf_puts(&b, "User-agent: *\nDisallow: /early\n"), MW_OK);
  while (b.len < 600 * 1024)
    assert_int_equal(mw_buf_puts(&b, "# padding padding padding\n"), MW_OK);
  assert_int_equal(mw_buf_puts(&b, "Disallow: /late\n"), MW_OK);
  r = mw_robots_parse(b.data, b.len, UA);
  assert_non_null(r);
  assert_false(mw_robots_allowed(r, "/early"));
  assert_true(mw_robots_allowed(r, "/late"));
  mw_robots_free(r);

  /* Many wildcards against a long path finish quickly and correctly. */
  mw_buf_reset(&b);
  assert_int_equal(mw_buf_puts(&b, "User-agent: *\nDisallow: /*a*a*a*a*a*a*a*b$\n"),
                   MW_OK);
  r = mw_robots_parse(b.data, b.len, UA);
  assert_non_null(r);
  char path[4002];
  path[0] = '/';
  memset(path + 1, 'a', 4000);
  path[4001] = '\0';
  assert_true(mw_robots_allowed(r, path));
  path[4000] = 'b';
  assert_false(mw_robots_allowed(r, path));
  mw_robots_free(r);
  mw_buf_cleanup(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_google_path_examples),
      cmocka_unit_test(test_google_precedence),
      cmocka_unit_test(test_group_selection),
      cmocka_unit_test(test_group_merging),
      cmocka_unit_test(test_empty_and_odd_files),
      cmocka_unit_test(test_percent_encoding),
      cmocka_unit_test(test_crawl_delay),
      cmocka_unit_test(test_bounds),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
