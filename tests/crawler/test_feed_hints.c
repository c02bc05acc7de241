/*
 * test_feed_hints.c: what a feed says of how often it may be read
 * (crawler/feed_sax.c, feed_entry.c: mw_feed.ttl_s and update_period_s),
 * the floor of a source's adaptive poll interval.
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

#define CN 28800 /* the config zone's offset: dates without one */

static struct mw_feed *parse_str(const char *doc) {
  struct mw_feed *feed = NULL;
  struct mw_err err = {0};
  int rc = mw_feed_parse(doc, strlen(doc), NULL, NULL, CN, NULL, &feed, &err);
  if (rc != MW_OK) fail_msg("rc %d: %s", rc, err.msg);
  return feed;
}

/* NULL-safe string equality with a readable failure. */
static void str_eq(const char *got, const char *want) {
  if (!want) {
    if (got) fail_msg("want NULL, got \"%s\"", got);
    return;
  }
  if (!got) fail_msg("want \"%s\", got NULL", want);
  assert_string_equal(got, want);
}

/* RSS 2.0 <ttl> (minutes) and sy:updatePeriod / sy:updateFrequency of the
 * channel, bounded, nonsense ignored, 0 when absent. */
static struct mw_feed *rss_with(const char *channel_extra,
                                const char *item_extra) {
  char doc[2048];
  snprintf(doc, sizeof doc,
           "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<rss version=\"2.0\" "
           "xmlns:sy=\"http://purl.org/rss/1.0/modules/syndication/\">"
           "<channel><title>国务院</title>%s"
           "<item><title>通知</title><link>http://www.gov.cn/a.htm</link>%s"
           "</item></channel></rss>",
           channel_extra, item_extra);
  return parse_str(doc);
}

static void hints(const char *channel_extra, int64_t ttl_s, int64_t period_s) {
  struct mw_feed *f = rss_with(channel_extra, "");
  if (f->ttl_s != ttl_s || f->update_period_s != period_s)
    fail_msg("%s: ttl %lld period %lld, want %lld %lld", channel_extra,
             (long long)f->ttl_s, (long long)f->update_period_s,
             (long long)ttl_s, (long long)period_s);
  assert_int_equal(f->n_entries, 1);
  str_eq(f->title, "国务院");
  mw_feed_free(f);
}

static void test_poll_hints(void **state) {
  (void)state;
  hints("", 0, 0);
  hints("<ttl>60</ttl>", 3600, 0);
  hints("<ttl> 15 </ttl>", 900, 0);
  hints("<ttl>0</ttl>", 0, 0);
  hints("<ttl>-5</ttl>", 0, 0);
  hints("<ttl>soon</ttl>", 0, 0);
  hints("<ttl>1e3</ttl>", 0, 0);
  hints("<ttl>99999999999999999999999</ttl>", 0, 0);
  hints("<ttl>9999999999</ttl>", 365 * 86400, 0); /* a year at most */
  hints("<ttl>30</ttl><ttl>90</ttl>", 1800, 0);    /* the first counts */
  hints("<ttl>x</ttl><ttl>90</ttl>", 5400, 0);     /* ... usable one */
  hints("<sy:updatePeriod>hourly</sy:updatePeriod>", 0, 3600);
  hints("<sy:updatePeriod>hourly</sy:updatePeriod>"
        "<sy:updateFrequency>2</sy:updateFrequency>",
        0, 1800);
  hints("<sy:updateFrequency>2</sy:updateFrequency>"
        "<sy:updatePeriod> Daily </sy:updatePeriod>",
        0, 43200);
  hints("<sy:updatePeriod>weekly</sy:updatePeriod>", 0, 7 * 86400);
  hints("<sy:updatePeriod>monthly</sy:updatePeriod>", 0, 30 * 86400);
  hints("<sy:updatePeriod>yearly</sy:updatePeriod>"
        "<sy:updateFrequency>4</sy:updateFrequency>",
        0, 365 * 86400 / 4);
  hints("<sy:updatePeriod>fortnightly</sy:updatePeriod>", 0, 0);
  hints("<sy:updateFrequency>2</sy:updateFrequency>", 0, 0);
  hints("<sy:updatePeriod>hourly</sy:updatePeriod>"
        "<sy:updateFrequency>0</sy:updateFrequency>",
        0, 3600);
  hints("<sy:updatePeriod>hourly</sy:updatePeriod>"
        "<sy:updateFrequency>100000</sy:updateFrequency>",
        0, 1); /* never under a second */
  hints("<ttl>60</ttl><sy:updatePeriod>daily</sy:updatePeriod>", 3600, 86400);
  /* An undeclared sy: prefix, as hand-made feeds write it. */
  {
    struct mw_feed *f = parse_str(
        "<rss version=\"2.0\"><channel><title>t</title>"
        "<sy:updatePeriod>hourly</sy:updatePeriod>"
        "<sy:updateFrequency>4</sy:updateFrequency>"
        "<item><link>http://a.cn/1</link></item></channel></rss>");
    assert_int_equal(f->update_period_s, 900);
    mw_feed_free(f);
  }
  /* An item's ttl is not the channel's. */
  {
    struct mw_feed *f = rss_with("", "<ttl>60</ttl>");
    assert_int_equal(f->ttl_s, 0);
    str_eq(f->entries[0].title, "通知");
    mw_feed_free(f);
  }
  /* RSS 1.0: sy: in the channel. */
  {
    struct mw_feed *f = parse_str(
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
        "xmlns=\"http://purl.org/rss/1.0/\" "
        "xmlns:sy=\"http://purl.org/rss/1.0/modules/syndication/\">"
        "<channel rdf:about=\"http://a.cn/\"><title>t</title>"
        "<sy:updatePeriod>daily</sy:updatePeriod>"
        "<sy:updateFrequency>24</sy:updateFrequency></channel>"
        "<item rdf:about=\"http://a.cn/1\"><title>x</title>"
        "<link>http://a.cn/1</link></item></rdf:RDF>");
    assert_int_equal(f->format, MW_FEED_RSS1);
    assert_int_equal(f->update_period_s, 3600);
    assert_int_equal(f->ttl_s, 0);
    assert_int_equal(f->n_entries, 1);
    mw_feed_free(f);
  }
  /* Atom has neither; the fields stay 0. */
  {
    struct mw_feed *f =
        parse_str("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title>"
                  "<entry><id>x</id><link href=\"http://a.cn/1\"/></entry>"
                  "</feed>");
    assert_int_equal(f->ttl_s, 0);
    assert_int_equal(f->update_period_s, 0);
    mw_feed_free(f);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_poll_hints),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
