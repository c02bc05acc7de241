/*
 * test_url.c: crawler/url.c. A table of canonicalisations (RFC 3986 5.4
 * normal and abnormal examples, the spellings Chinese portals and share
 * buttons produce), the refusals, and mw_url_host / mw_url_is_http.
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

struct url_case {
  const char *url;
  const char *base;
  const char *want;
};

#define RFC_BASE "http://a/b/c/d;p?q"

/* RFC 3986 section 5.4.1 and 5.4.2 (fragments dropped, as we always do). */
static const struct url_case rfc_cases[] = {
    {"g", RFC_BASE, "http://a/b/c/g"},
    {"./g", RFC_BASE, "http://a/b/c/g"},
    {"g/", RFC_BASE, "http://a/b/c/g/"},
    {"/g", RFC_BASE, "http://a/g"},
    {"//g", RFC_BASE, "http://g/"},
    {"?y", RFC_BASE, "http://a/b/c/d;p?y"},
    {"g?y", RFC_BASE, "http://a/b/c/g?y"},
    {"#s", RFC_BASE, "http://a/b/c/d;p?q"},
    {"g#s", RFC_BASE, "http://a/b/c/g"},
    {"g?y#s", RFC_BASE, "http://a/b/c/g?y"},
    {";x", RFC_BASE, "http://a/b/c/;x"},
    {"g;x", RFC_BASE, "http://a/b/c/g;x"},
    {"g;x?y#s", RFC_BASE, "http://a/b/c/g;x?y"},
    {"", RFC_BASE, "http://a/b/c/d;p?q"},
    {".", RFC_BASE, "http://a/b/c/"},
    {"./", RFC_BASE, "http://a/b/c/"},
    {"..", RFC_BASE, "http://a/b/"},
    {"../", RFC_BASE, "http://a/b/"},
    {"../g", RFC_BASE, "http://a/b/g"},
    {"../..", RFC_BASE, "http://a/"},
    {"../../", RFC_BASE, "http://a/"},
    {"../../g", RFC_BASE, "http://a/g"},
    /* 5.4.2 abnormal examples */
    {"../../../g", RFC_BASE, "http://a/g"},
    {"../../../../g", RFC_BASE, "http://a/g"},
    {"/./g", RFC_BASE, "http://a/g"},
    {"/../g", RFC_BASE, "http://a/g"},
    {"g.", RFC_BASE, "http://a/b/c/g."},
    {".g", RFC_BASE, "http://a/b/c/.g"},
    {"g..", RFC_BASE, "http://a/b/c/g.."},
    {"..g", RFC_BASE, "http://a/b/c/..g"},
    {"./../g", RFC_BASE, "http://a/b/g"},
    {"./g/.", RFC_BASE, "http://a/b/c/g/"},
    {"g/./h", RFC_BASE, "http://a/b/c/g/h"},
    {"g/../h", RFC_BASE, "http://a/b/c/h"},
    {"g;x=1/./y", RFC_BASE, "http://a/b/c/g;x=1/y"},
    {"g;x=1/../y", RFC_BASE, "http://a/b/c/y"},
    {"g?y/./x", RFC_BASE, "http://a/b/c/g?y/./x"},
    {"g?y/../x", RFC_BASE, "http://a/b/c/g?y/../x"},
    {"g#s/./x", RFC_BASE, "http://a/b/c/g"},
    {"g#s/../x", RFC_BASE, "http://a/b/c/g"},
    /* non-strict, as browsers: same scheme without authority is relative */
    {"http:g", RFC_BASE, "http://a/b/c/g"},
};

static const struct url_case canon_cases[] = {
    {"HTTP://WWW.Example.COM:80/a", NULL, "http://www.example.com/a"},
    {"https://example.com:443", NULL, "https://example.com/"},
    {"https://example.com", NULL, "https://example.com/"},
    {"https://example.com:8443/x", NULL, "https://example.com:8443/x"},
    {"http://example.com:443/x", NULL, "http://example.com:443/x"},
    {"http://example.com:/x", NULL, "http://example.com/x"},
    {"http://example.com:0080/x", NULL, "http://example.com/x"},
    {"http://example.com/%7euser/%41b", NULL, "http://example.com/~user/Ab"},
    {"http://example.com/a%2fb%3f%e6", NULL, "http://example.com/a%2Fb%3F%E6"},
    {"http://example.com/a b", NULL, "http://example.com/a%20b"},
    {"http://example.com/100%", NULL, "http://example.com/100%25"},
    {"http://example.com/%zz", NULL, "http://example.com/%25zz"},
    {"http://www.gov.cn/zhengce/无废城市.htm", NULL,
     "http://www.gov.cn/zhengce/%E6%97%A0%E5%BA%9F%E5%9F%8E%E5%B8%82.htm"},
    {"http://s.example.cn/search?q=垃圾分类&page=2", NULL,
     "http://s.example.cn/search?q=%E5%9E%83%E5%9C%BE%E5%88%86%E7%B1%BB&page=2"},
    {"http://s.example.cn/search?q=%e5%90%89%e6%9e%97", NULL,
     "http://s.example.cn/search?q=%E5%90%89%E6%9E%97"},
    {"http://a.com/x?utm_source=wx&id=5&utm_medium=social&spm=a.b.c", NULL,
     "http://a.com/x?id=5"},
    {"https://mp.weixin.qq.com/s?__biz=MzA&mid=1&idx=1&sn=abc&from=timeline&"
     "isappinstalled=0#wechat_redirect",
     NULL, "https://mp.weixin.qq.com/s?__biz=MzA&mid=1&idx=1&sn=abc"},
    {"https://mp.weixin.qq.com/s?sn=1&from=singlemessage", NULL,
     "https://mp.weixin.qq.com/s?sn=1"},
    {"http://a.com/list?from=20&size=10", NULL,
     "http://a.com/list?from=20&size=10"},
    {"https://baijiahao.baidu.com/s?id=1765&wfr=spider&for=pc", NULL,
     "https://baijiahao.baidu.com/s?id=1765"},
    {"http://a.com/x?for=all", NULL, "http://a.com/x?for=all"},
    {"http://a.com/x?UTM_Source=a&b", NULL, "http://a.com/x?b"},
    {"http://a.com/x?utm_source=a", NULL, "http://a.com/x"},
    {"http://a.com/x?", NULL, "http://a.com/x"},
    {"http://a.com/x?a=1&&b=2&", NULL, "http://a.com/x?a=1&b=2"},
    {"http://a.com/x?z=1&a=2&m=3&timestamp=9", NULL,
     "http://a.com/x?z=1&a=2&m=3&timestamp=9"},
    {"http://a.com/x?a=%3d%26&b=%7e", NULL, "http://a.com/x?a=%3D%26&b=~"},
    {"http://a.com/x#top", NULL, "http://a.com/x"},
    {"  http://a.com/x\n ", NULL, "http://a.com/x"},
    {"http://a.com/a\n/b\t/c", NULL, "http://a.com/a/b/c"},
    {"http://a.com\\b\\c?d=\\", NULL, "http://a.com/b/c?d=%5C"},
    {"http://User:Pw@Example.com/", NULL, "http://User:Pw@example.com/"},
    {"http://[2001:DB8::1]:8080/x", NULL, "http://[2001:db8::1]:8080/x"},
    {"http://127.0.0.1:80/", NULL, "http://127.0.0.1/"},
    {"http://ex%41mple.com/", NULL, "http://example.com/"},
    {"http://a.com/a/./b/../c", NULL, "http://a.com/a/c"},
    {"http://a.com/a/%2E%2E/b", NULL, "http://a.com/b"},
    {"http://a.com/x?q=\"<v>\"", NULL, "http://a.com/x?q=%22%3Cv%3E%22"},
    /* links as found on TRS WCM portals */
    {"./202305/t20230508_1234567.html", "http://www.jl.gov.cn/zw/index.html",
     "http://www.jl.gov.cn/zw/202305/t20230508_1234567.html"},
    {"../xxgk/index_1.html", "http://sthjt.jl.gov.cn/xwdt/tzgg/",
     "http://sthjt.jl.gov.cn/xwdt/xxgk/index_1.html"},
    {"//cdn.example.com/a.js", "https://x.com/", "https://cdn.example.com/a.js"},
    {"https://Other.com/", "http://base.com/", "https://other.com/"},
    {"?page=2", "http://a.com/list/index.html?page=1#x",
     "http://a.com/list/index.html?page=2"},
    {"x", "http://a.com", "http://a.com/x"},
    {"http://a.com?x=1", NULL, "http://a.com/?x=1"},
    {"http://a.com#frag", NULL, "http://a.com/"},
    {"http://a.com/%E5%90%89%E6%9E%97/", NULL, "http://a.com/%E5%90%89%E6%9E%97/"},
    /* A reference with no path takes the base's path without its dot
     * segments (found by fuzz/fuzz_url: the key must be stable). */
    {"?a=1", "http://x.b/d/../c", "http://x.b/c?a=1"},
    {"", "http://x.b/d/../c", "http://x.b/c"},
    {"#f", "http://x.b/d/./c", "http://x.b/d/c"},
};

static void check_cases(const struct url_case *cases, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char *out = NULL;
    struct mw_err err = {0};
    int rc = mw_url_canonicalize(cases[i].url, cases[i].base, &out, &err);
    if (rc != MW_OK || strcmp(out, cases[i].want) != 0) {
      print_error("case %zu: '%s' against '%s': rc %d (%s), got '%s', want "
                  "'%s'\n",
                  i, cases[i].url, cases[i].base ? cases[i].base : "(none)",
                  rc, err.msg, out ? out : "(null)", cases[i].want);
      free(out);
      fail();
    }
    /* Canonical output is a fixed point. */
    char *again = NULL;
    assert_int_equal(mw_url_canonicalize(out, NULL, &again, &err), MW_OK);
    assert_string_equal(again, out);
    free(again);
    free(out);
  }
}

static void test_rfc3986_examples(void **state) {
  (void)state;
  check_cases(rfc_cases, sizeof rfc_cases / sizeof rfc_cases[0]);
}

static void test_canonical_forms(void **state) {
  (void)state;
  check_cases(canon_cases, sizeof canon_cases / sizeof canon_cases[0]);
}

struct bad_case {
  const char *url;
  const char *base;
  int code;
  const char *msg;
};

static void test_refusals(void **state) {
  (void)state;
  static const struct bad_case bad[] = {
      {"ftp://x/y", NULL, MW_EDENIED,
       "URL scheme 'ftp' is not allowed (only http and https): ftp://x/y"},
      {"file:///etc/passwd", NULL, MW_EDENIED,
       "URL scheme 'file' is not allowed (only http and https): "
       "file:///etc/passwd"},
      {"javascript:void(0)", "http://a.com/", MW_EDENIED,
       "URL scheme 'javascript' is not allowed (only http and https): "
       "javascript:void(0)"},
      {"mailto:office@jl.gov.cn", "http://a.com/", MW_EDENIED,
       "URL scheme 'mailto' is not allowed (only http and https): "
       "mailto:office@jl.gov.cn"},
      {"g:h", RFC_BASE, MW_EDENIED,
       "URL scheme 'g' is not allowed (only http and https): g:h"},
      {"x", "ftp://a/b", MW_EDENIED,
       "URL scheme 'ftp' is not allowed (only http and https): ftp://a/b"},
      {"http://", NULL, MW_EINVAL, "URL has no host: http://"},
      {"http:///x", NULL, MW_EINVAL, "URL has no host: http:///x"},
      {"https://user@/x", NULL, MW_EINVAL, "URL has no host: https://user@/x"},
      {"/x", NULL, MW_EINVAL, "relative URL without a base: /x"},
      {"//a.com/x", NULL, MW_EINVAL, "relative URL without a base: //a.com/x"},
      {"http://a.com:99999/", NULL, MW_EINVAL,
       "bad port in URL: http://a.com:99999/"},
      {"http://a.com:8x/", NULL, MW_EINVAL, "bad port in URL: http://a.com:8x/"},
      {"http://a b.com/", NULL, MW_EINVAL, "bad host in URL: http://a b.com/"},
      {"http://a<b>.com/", NULL, MW_EINVAL, "bad host in URL: http://a<b>.com/"},
      {"http://[::1/", NULL, MW_EINVAL,
       "unterminated IPv6 address in URL: http://[::1/"},
      {"http://例子.中国/", NULL, MW_EINVAL,
       "internationalised host names are not supported, write the xn-- "
       "form: http://例子.中国/"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char *out = NULL;
    struct mw_err err = {0};
    int rc = mw_url_canonicalize(bad[i].url, bad[i].base, &out, &err);
    if (rc != bad[i].code || strcmp(err.msg, bad[i].msg) != 0) {
      print_error("case %zu '%s': rc %d msg '%s'\n", i, bad[i].url, rc, err.msg);
      fail();
    }
    assert_null(out);
  }
}

static void test_length_bound(void **state) {
  (void)state;
  size_t n = 9000;
  char *u = malloc(n + 1);
  assert_non_null(u);
  memcpy(u, "http://a.com/", 13);
  memset(u + 13, 'a', n - 13);
  u[n] = '\0';
  char *out = NULL;
  struct mw_err err = {0};
  assert_int_equal(mw_url_canonicalize(u, NULL, &out, &err), MW_EINVAL);
  assert_null(out);
  assert_non_null(strstr(err.msg, "URL longer than 8192 bytes: http://a.com/aaa"));
  /* Just under the bound is fine. */
  u[8192] = '\0';
  assert_int_equal(mw_url_canonicalize(u, NULL, &out, &err), MW_OK);
  assert_int_equal(strlen(out), 8192);
  free(out);
  free(u);
}

static void test_host(void **state) {
  (void)state;
  char buf[64];
  assert_int_equal(mw_url_host("https://WWW.Gov.CN/x", buf, sizeof buf), MW_OK);
  assert_string_equal(buf, "www.gov.cn");
  assert_int_equal(mw_url_host("http://a.com:8080/x", buf, sizeof buf), MW_OK);
  assert_string_equal(buf, "a.com:8080");
  assert_int_equal(mw_url_host("http://a.com:80/x", buf, sizeof buf), MW_OK);
  assert_string_equal(buf, "a.com");
  assert_int_equal(mw_url_host("https://a.com:443", buf, sizeof buf), MW_OK);
  assert_string_equal(buf, "a.com");
  assert_int_equal(mw_url_host("http://a.com:443?x", buf, sizeof buf), MW_OK);
  assert_string_equal(buf, "a.com:443");
  assert_int_equal(mw_url_host("http://u:p@A.com/", buf, sizeof buf), MW_OK);
  assert_string_equal(buf, "a.com");
  assert_int_equal(mw_url_host("http://[::1]:8080/", buf, sizeof buf), MW_OK);
  assert_string_equal(buf, "[::1]:8080");
  assert_int_equal(mw_url_host("ftp://a.com/", buf, sizeof buf), MW_EINVAL);
  assert_int_equal(mw_url_host("http:///x", buf, sizeof buf), MW_EINVAL);
  assert_int_equal(mw_url_host("http://a.com:x/", buf, sizeof buf), MW_EINVAL);
  assert_int_equal(mw_url_host("http://example.com/", buf, 11), MW_EINVAL);
  assert_int_equal(mw_url_host("http://example.com/", buf, 12), MW_OK);
  assert_string_equal(buf, "example.com");
  assert_int_equal(mw_url_host("http://a.com:8080/", buf, 7), MW_EINVAL);
}

static void test_is_http(void **state) {
  (void)state;
  assert_true(mw_url_is_http("HTTP://x"));
  assert_true(mw_url_is_http("https://x/y"));
  assert_true(mw_url_is_http("hTtPs://"));
  assert_false(mw_url_is_http("ftp://x"));
  assert_false(mw_url_is_http("http:/x"));
  assert_false(mw_url_is_http("httpx://x"));
  assert_false(mw_url_is_http(""));
  assert_false(mw_url_is_http(NULL));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rfc3986_examples),
      cmocka_unit_test(test_canonical_forms),
      cmocka_unit_test(test_refusals),
      cmocka_unit_test(test_length_bound),
      cmocka_unit_test(test_host),
      cmocka_unit_test(test_is_http),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
