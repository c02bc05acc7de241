/*
 * test_date.c: mw_date_parse (crawler/date.c), table-driven.
 *
 * Every row gives the input, the default offset in seconds east of UTC and
 * the exact epoch expected (BAD for MW_EINVAL); the comment on each row
 * says what it covers and the UTC time expected. The forms come from
 * RFC 822/1123, W3C-DTF/ISO 8601, what feed readers accept in the wild,
 * and the ways Chinese sites write dates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "crawler/crawler.h"

#define BAD INT64_MIN

struct row {
  const char *in;
  int default_offset_s;
  int64_t want;
};

static const struct row rows[] = {
    {"Mon, 08 May 2023 10:00:00 +0800", 28800,
     1683511200LL}, /* numeric zone, 2023-05-08T02:00:00Z */
    {"Mon, 08 May 2023 02:00:00 GMT", 28800,
     1683511200LL}, /* GMT, 2023-05-08T02:00:00Z */
    {"Mon, 08 May 2023 02:00:00 UT", 28800,
     1683511200LL}, /* UT, 2023-05-08T02:00:00Z */
    {"Mon, 08 May 2023 02:00:00 Z", 28800,
     1683511200LL}, /* Z, 2023-05-08T02:00:00Z */
    {"Mon, 8 May 2023 10:00:00 +0800", 28800,
     1683511200LL}, /* 1-digit day, 2023-05-08T02:00:00Z */
    {"Thu,  5 Apr 2012 10:00:00 GMT", 28800,
     1333620000LL}, /* padded day, 2012-04-05T10:00:00Z */
    {"08 May 2023 10:00:00 +0800", 28800,
     1683511200LL}, /* no weekday, 2023-05-08T02:00:00Z */
    {"Monday, 08 May 2023 10:00 +0800", 28800,
     1683511200LL}, /* long weekday, no seconds, 2023-05-08T02:00:00Z */
    {"Thu, 01 Jan 2004 00:00 GMT", 28800,
     1072915200LL}, /* no seconds, 2004-01-01T00:00:00Z */
    {"Thu, 01 Jan 2004", 0, 1072915200LL}, /* no time: midnight at the default
                                              offset, 2004-01-01T00:00:00Z */
    {"Thu, 01 Jan 2004", 28800,
     1072886400LL}, /* no time, China default, 2003-12-31T16:00:00Z */
    {"Thu, 01 Jan 04 19:48:21 GMT", 28800,
     1072986501LL}, /* 2-digit year, 20xx, 2004-01-01T19:48:21Z */
    {"Fri, 01 Jan 99 00:00:00 GMT", 28800,
     915148800LL}, /* 2-digit year, 19xx, 1999-01-01T00:00:00Z */
    {"Thu, 01-Jan-04 19:48:21 GMT", 28800,
     1072986501LL}, /* RFC 850 dashes, 2004-01-01T19:48:21Z */
    {"Thu, 01 Jan 0100 00:00:01 +0100", 28800,
     -59011462799LL}, /* ancient year, 99-12-31T23:00:01Z */
    {"Mon, 08 May 2023 10:00:00 EST", 28800,
     1683558000LL}, /* EST, 2023-05-08T15:00:00Z */
    {"Mon, 08 May 2023 10:00:00 EDT", 28800,
     1683554400LL}, /* EDT, 2023-05-08T14:00:00Z */
    {"Mon, 08 May 2023 10:00:00 PDT", 28800,
     1683565200LL}, /* PDT, 2023-05-08T17:00:00Z */
    {"Mon, 08 May 2023 10:00:00 PST", 28800,
     1683568800LL}, /* PST, 2023-05-08T18:00:00Z */
    {"Mon, 08 May 2023 10:00:00 MDT", 28800,
     1683561600LL}, /* MDT, 2023-05-08T16:00:00Z */
    {"Mon, 08 May 2023 10:00:00 CDT", 28800,
     1683558000LL}, /* CDT, 2023-05-08T15:00:00Z */
    {"Mon, 08 May 2023 10:00:00 CST", 0,
     1683511200LL}, /* CST is China, 2023-05-08T02:00:00Z */
    {"Mon, 08 May 2023 10:00:00 cst", 0,
     1683511200LL}, /* zone names ignore case, 2023-05-08T02:00:00Z */
    {"Mon, 08 May 2023 10:00:00 A", 28800,
     1683543600LL}, /* military A (RFC 822: -1), 2023-05-08T11:00:00Z */
    {"Mon, 08 May 2023 10:00:00 M", 28800,
     1683583200LL}, /* military M, 2023-05-08T22:00:00Z */
    {"Mon, 08 May 2023 10:00:00 N", 28800,
     1683536400LL}, /* military N, 2023-05-08T09:00:00Z */
    {"Mon, 08 May 2023 10:00:00 Y", 28800,
     1683496800LL}, /* military Y, 2023-05-07T22:00:00Z */
    {"Mon, 08 May 2023 10:00:00 K", 28800,
     1683576000LL}, /* military K (J skipped), 2023-05-08T20:00:00Z */
    {"Thu, 30 Apr 2015 08:57:00 MET", 28800,
     1430380620LL}, /* MET, 2015-04-30T07:57:00Z */
    {"Thu, 30 Apr 2015 08:57:00 MEST", 28800,
     1430377020LL}, /* MEST, 2015-04-30T06:57:00Z */
    {"Wed, 19 Aug 2009 18:28:00 Etc/GMT", 28800,
     1250706480LL}, /* Etc/GMT, 2009-08-19T18:28:00Z */
    {"Wed, 19 Feb 2012 22:40:00 GMT-01:01", 28800,
     1329694860LL}, /* GMT-hh:mm, 2012-02-19T23:41:00Z */
    {"Wed, 19 Feb 2012 22:40:00 -01:01", 28800,
     1329694860LL}, /* +hh:mm in RFC 822, 2012-02-19T23:41:00Z */
    {"Tue, 09 May 2023 10:00:00 GMT+8", 0,
     1683597600LL}, /* GMT+8, 2023-05-09T02:00:00Z */
    {"Mon, 13 Feb, 2012 06:28:00 UTC", 28800,
     1329114480LL}, /* extraneous comma, 2012-02-13T06:28:00Z */
    {"Mon, 26 January 2004 16:31:00 ET", 28800,
     1075152660LL}, /* long month, ET, 2004-01-26T21:31:00Z */
    {"Mon, 26 January 2004 16:31:00 AT", 28800,
     1075149060LL}, /* AT, 2004-01-26T20:31:00Z */
    {"Mon, 26 January 2004 16:31:00 PT", 28800,
     1075163460LL}, /* PT, 2004-01-27T00:31:00Z */
    {"Sat, 01 Sept 2012 10:00:00 GMT", 28800,
     1346493600LL}, /* Sept, 2012-09-01T10:00:00Z */
    {"Mon, 08 May 2023 10:00:00 +0000 (UTC)", 28800,
     1683540000LL}, /* trailing comment, 2023-05-08T10:00:00Z */
    {"Mon, 08 May 2023 10:00:00 +08", 0,
     1683511200LL}, /* +hh, 2023-05-08T02:00:00Z */
    {"Thu Aug 30 2012 17:26:16 +0200", 28800,
     1346340376LL}, /* month before day, 2012-08-30T15:26:16Z */
    {"Sun Jan  4 16:29:06 2004", 0,
     1073233746LL}, /* asctime, 2004-01-04T16:29:06Z */
    {"Sun Jul 15 01:16:00 +0000 2012", 28800,
     1342314960LL}, /* asctime with zone, 2012-07-15T01:16:00Z */
    {"Fri, 2006/09/15 08:19:53 EDT", 28800,
     1158322793LL}, /* perforce, 2006-09-15T12:19:53Z */
    {"May 8, 2023 10:00 AM", 28800,
     1683511200LL}, /* US order, AM, 2023-05-08T02:00:00Z */
    {"May 8, 2023 3:05 PM", 28800, 1683529500LL}, /* PM, 2023-05-08T07:05:00Z */
    {"May 8, 2023 12:30 AM", 28800,
     1683477000LL}, /* 12 AM, 2023-05-07T16:30:00Z */
    {"2023-05-08T10:00:00+08:00", 0,
     1683511200LL}, /* RFC 3339, 2023-05-08T02:00:00Z */
    {"2023-05-08T02:00:00Z", 28800, 1683511200LL}, /* Z, 2023-05-08T02:00:00Z */
    {"2023-05-08t02:00:00z", 28800,
     1683511200LL}, /* lower-case t and z, 2023-05-08T02:00:00Z */
    {"2003-12-31T10:14:55-08:00", 28800,
     1072894495LL}, /* negative offset, 2003-12-31T18:14:55Z */
    {"2003-12-31T10:14:55+0800", 0,
     1072836895LL}, /* offset without colon, 2003-12-31T02:14:55Z */
    {"2003-12-31T10:14:55+08", 0,
     1072836895LL}, /* offset hours only, 2003-12-31T02:14:55Z */
    {"2003-12-31T10:14:55.1234Z", 28800,
     1072865695LL}, /* fraction, 2003-12-31T10:14:55Z */
    {"2007-04-23T23:25:47.538+10:00", 28800,
     1177334747LL}, /* fraction and offset, 2007-04-23T13:25:47Z */
    {"2003-12-31T10:14Z", 28800,
     1072865640LL}, /* no seconds, 2003-12-31T10:14:00Z */
    {"2003-12-31T10:14:55", 3600,
     1072862095LL}, /* no zone: default offset, 2003-12-31T09:14:55Z */
    {"2003-12-31", 0, 1072828800LL}, /* date only, 2003-12-31T00:00:00Z */
    {"2003-12", 0, 1070236800LL},    /* year and month, 2003-12-01T00:00:00Z */
    {"2003", 0, 1041379200LL},       /* year only, 2003-01-01T00:00:00Z */
    {"2003-335", 0, 1070236800LL},   /* ordinal, 2003-12-01T00:00:00Z */
    {"2003-012-31T10:14:55+00:00", 28800,
     1072865695LL}, /* Google's 3-digit month, 2003-12-31T10:14:55Z */
    {"2004-02-28T18:14:55-08:00", 28800,
     1078020895LL}, /* leap-year rollover, 2004-02-29T02:14:55Z */
    {"2000-02-29T00:00:00Z", 28800,
     951782400LL}, /* Feb 29 in 2000, 2000-02-29T00:00:00Z */
    {"2004-07-08 23:56:58 -00:20", 28800,
     1089332218LL}, /* MSSQL with zone, 2004-07-09T00:16:58Z */
    {"2004-07-08 23:56:58", 0,
     1089331018LL}, /* MSSQL without zone, 2004-07-08T23:56:58Z */
    {"2004-07-08 23:56:58.0", 0,
     1089331018LL}, /* MSSQL fraction, 2004-07-08T23:56:58Z */
    {"20230508T100000Z", 28800,
     1683540000LL},                    /* compact, 2023-05-08T10:00:00Z */
    {"20230508", 28800, 1683475200LL}, /* compact date, 2023-05-07T16:00:00Z */
    {"20230508100000", 28800,
     1683511200LL}, /* compact date and time, 2023-05-08T02:00:00Z */
    {"2023-05-08T10:00:00 CST", 0,
     1683511200LL}, /* ISO with CST, 2023-05-08T02:00:00Z */
    {"2023-05-08 10:00", 28800,
     1683511200LL}, /* no seconds, China, 2023-05-08T02:00:00Z */
    {"2023-05-08 10:00:00", 28800,
     1683511200LL}, /* with seconds, 2023-05-08T02:00:00Z */
    {"2023-5-8 9:05", 28800, 1683507900LL}, /* unpadded, 2023-05-08T01:05:00Z */
    {"2023/05/08", 28800, 1683475200LL},    /* slashes, 2023-05-07T16:00:00Z */
    {"2023/5/8 10:00", 28800,
     1683511200LL}, /* slashes and time, 2023-05-08T02:00:00Z */
    {"2023.05.08", 28800, 1683475200LL}, /* dots, 2023-05-07T16:00:00Z */
    {"2023年5月8日", 28800,
     1683475200LL}, /* Chinese date, 2023-05-07T16:00:00Z */
    {"2023年05月08日 10:00", 28800,
     1683511200LL}, /* Chinese date, clock, 2023-05-08T02:00:00Z */
    {"2023年5月8日10:00:30", 28800,
     1683511230LL}, /* no space before clock, 2023-05-08T02:00:30Z */
    {"2023年5月8日 10时00分", 28800,
     1683511200LL}, /* 时 and 分, 2023-05-08T02:00:00Z */
    {"2023年5月8日 10时", 28800,
     1683511200LL}, /* 时 only, 2023-05-08T02:00:00Z */
    {"2023年5月8日 10点30分15秒", 28800,
     1683513015LL}, /* 点 分 秒, 2023-05-08T02:30:15Z */
    {"2023年5月8日 下午3时30分", 28800,
     1683531000LL}, /* 下午, 2023-05-08T07:30:00Z */
    {"2023年5月8日 上午9:15", 28800,
     1683508500LL}, /* 上午 with clock, 2023-05-08T01:15:00Z */
    {"2023年5月8日 星期一 10:00", 28800,
     1683511200LL}, /* weekday between, 2023-05-08T02:00:00Z */
    {"2023年5月8日 星期一", 28800,
     1683475200LL}, /* weekday after, 2023-05-07T16:00:00Z */
    {"2023年5月", 28800,
     1682870400LL}, /* year and month, 2023-04-30T16:00:00Z */
    {"2023年5月8号", 28800, 1683475200LL}, /* 号 for 日, 2023-05-07T16:00:00Z */
    {"二〇二三年五月八日", 28800,
     1683475200LL}, /* Chinese numerals, 2023-05-07T16:00:00Z */
    {"二〇二三年十二月二十九日", 28800,
     1703779200LL}, /* Chinese numerals with 十, 2023-12-28T16:00:00Z */
    {"发布时间：2023-05-08 10:00", 28800,
     1683511200LL}, /* label, full-width colon, 2023-05-08T02:00:00Z */
    {"日期: 2023-05-08", 28800,
     1683475200LL}, /* label, ASCII colon, 2023-05-07T16:00:00Z */
    {"  [2023-05-08]  ", 28800,
     1683475200LL}, /* spaces and brackets, 2023-05-07T16:00:00Z */
    {"Date: Mon, 08 May 2023 10:00:00 +0800", 28800,
     1683511200LL}, /* English label, 2023-05-08T02:00:00Z */
    {"发布时间：2023-05-08 10:00 来源：吉林日报", 28800,
     1683511200LL}, /* Chinese text after, 2023-05-08T02:00:00Z */
    {"2023-05-08 10:00 CST", 0,
     1683511200LL}, /* CST after a local clock, 2023-05-08T02:00:00Z */
    {"2023-05-08 10:00:60", 28800,
     1683511260LL},                /* leap second, 2023-05-08T02:01:00Z */
    {"", 28800, BAD},              /* empty */
    {"   ", 28800, BAD},           /* spaces */
    {"发布时间：", 28800, BAD},    /* label only */
    {"no date here", 28800, BAD},  /* words */
    {"2023-02-30", 28800, BAD},    /* impossible day */
    {"2023-13-01", 28800, BAD},    /* month 13 */
    {"2023-00-10", 28800, BAD},    /* month 0 */
    {"2023年2月30日", 28800, BAD}, /* impossible Chinese date */
    {"2023-05-08T25:00:00Z", 28800, BAD},             /* hour 25 */
    {"2003-12-31T10:61:55Z", 28800, BAD},             /* minute 61 */
    {"2003-12-31T10:14:61Z", 28800, BAD},             /* second 61 */
    {"Sun, 16 Dec 2012 1:2:3:4 GMT", 28800, BAD},     /* four-part clock */
    {"Sun, 16 zzz 2012 11:47:32 GMT", 28800, BAD},    /* bad month */
    {"Sun, Dec x 2012 11:47:32 GMT", 28800, BAD},     /* bad day */
    {"Sun, 16 Dec zz 11:47:32 GMT", 28800, BAD},      /* bad year */
    {"Sun, 16 Dec 2012 11:47:32 +zz:00", 28800, BAD}, /* bad zone hour */
    {"Sun, 16 Dec 2012 11:47:32 +00:zz", 28800, BAD}, /* bad zone minute */
    {"Sun, 16 Dec 2012 11:47:32 XYZ", 28800, BAD},    /* unknown zone */
    {"Sun, 99 Jun 2009 12:00:00 GMT", 28800, BAD},    /* day 99 */
    {"Sun, 31 Dec 9999 23:59:59 -9999", 28800, BAD},  /* offset out of range */
    {"9999-12-31T23:59:59-99:99", 28800, BAD}, /* ISO offset out of range */
    {"22013", 28800, BAD},                     /* 5-digit year */
    {"013", 28800, BAD},                       /* 3-digit year */
    {"2013-01-27-01", 28800, BAD},             /* too many parts */
    {"2013-01-28T11:30:00-06:00Textra", 28800, BAD}, /* glued text */
    {"2013-xx-27", 28800, BAD},                      /* letters in date */
    {"2013-01-28T09:xx:00Z", 28800, BAD},            /* letters in clock */
    {"2013-01-28T09:00:00+00:xx", 28800, BAD},       /* letters in zone */
    {"2003-367", 28800, BAD},                        /* ordinal past the year */
    {"2023/05", 28800, BAD},                         /* slash year-month */
    {"May 8, 2023 13:00 PM", 28800, BAD},            /* 13 PM */
};

static void test_table(void **state) {
  (void)state;
  int failures = 0;
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    int64_t got = 12345;
    int rc = mw_date_parse(rows[i].in, strlen(rows[i].in),
                           rows[i].default_offset_s, &got);
    if (rows[i].want == BAD) {
      if (rc != MW_EINVAL) {
        print_error("row %zu \"%s\": want MW_EINVAL, got rc %d value %lld\n", i,
                    rows[i].in, rc, (long long)got);
        failures++;
      } else if (got != 12345) {
        print_error("row %zu \"%s\": *out written on failure\n", i, rows[i].in);
        failures++;
      }
    } else if (rc != MW_OK || got != rows[i].want) {
      print_error("row %zu \"%s\": want %lld, got rc %d value %lld\n", i,
                  rows[i].in, (long long)rows[i].want, rc, (long long)got);
      failures++;
    }
  }
  assert_int_equal(failures, 0);
}

/* The default offset applies only when the text names no zone. */
static void test_default_offset_only_without_zone(void **state) {
  (void)state;
  int64_t a, b;
  assert_int_equal(mw_date_parse("2023-05-08 10:00", 16, 0, &a), MW_OK);
  assert_int_equal(mw_date_parse("2023-05-08 10:00", 16, 28800, &b), MW_OK);
  assert_int_equal(a - b, 28800);
  assert_int_equal(mw_date_parse("2023-05-08T10:00Z", 17, 0, &a), MW_OK);
  assert_int_equal(mw_date_parse("2023-05-08T10:00Z", 17, 28800, &b), MW_OK);
  assert_int_equal(a, b);
  assert_int_equal(a, 1683540000);
}

/* len bounds the scan: bytes past it are never read, and the string need
 * not be NUL-terminated. */
static void test_length_is_respected(void **state) {
  (void)state;
  const char buf[] = "2023-05-08T10:00:00Z trailing 99";
  int64_t t;
  assert_int_equal(mw_date_parse(buf, 10, 0, &t), MW_OK);
  assert_int_equal(t, 1683504000);    /* 2023-05-08T00:00:00Z */
  char raw[4] = {'2', '0', '2', '3'}; /* no NUL */
  assert_int_equal(mw_date_parse(raw, 4, 0, &t), MW_OK);
  assert_int_equal(t, 1672531200);
  assert_int_equal(mw_date_parse(buf, 0, 0, &t), MW_EINVAL);
}

static void test_null_arguments(void **state) {
  (void)state;
  int64_t t;
  assert_int_equal(mw_date_parse(NULL, 0, 0, &t), MW_EINVAL);
  assert_int_equal(mw_date_parse("2023", 4, 0, NULL), MW_EINVAL);
}

/* Truncated inputs of a long date never crash and never read past len:
 * each prefix either parses to a plausible time or fails. */
static void test_every_prefix(void **state) {
  (void)state;
  const char *full[] = {
      "Mon, 08 May 2023 10:00:00 +0800", "2023-05-08T10:00:00.5+08:00",
      "二〇二三年五月八日 下午3时30分15秒", "发布时间：2023年05月08日 10:00"};
  for (size_t k = 0; k < sizeof full / sizeof full[0]; k++) {
    size_t n = strlen(full[k]);
    for (size_t i = 0; i <= n; i++) {
      int64_t t = 0;
      int rc = mw_date_parse(full[k], i, 28800, &t);
      assert_true(rc == MW_OK || rc == MW_EINVAL);
      if (rc == MW_OK) {
        /* 2000-01-01 .. 2100-01-01: "Mon, 08 May 20" is a 2-digit year */
        assert_true(t >= 946684800 && t < 4102444800);
      }
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_table),
      cmocka_unit_test(test_default_offset_only_without_zone),
      cmocka_unit_test(test_length_is_respected),
      cmocka_unit_test(test_null_arguments),
      cmocka_unit_test(test_every_prefix),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
