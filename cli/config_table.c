/*
 * config_table.c: every configuration option, declared once.
 *
 * Each row gives an option's name, section, type, bounds, default and one
 * line of documentation, and where its value lands in struct mw_config.
 * The loader (config.c) checks a file against this table and fills the
 * structs through mw_cfg_set; mw_config_write_reference prints the
 * Markdown reference from the same rows, so the two cannot drift. Defaults
 * are written as they would be in YAML and go through the same parser as
 * the file's values.
 *
 * What it leaves to others: reading YAML, positions, messages with
 * file:line:col, cross-checks between sections (all in config.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/config_table.h"

#define KB 1024LL
#define MB (1024LL * KB)
#define GB (1024LL * MB)
#define MIN_S 60LL
#define HOUR_S 3600LL
#define DAY_S 86400LL

#define TOP(f) offsetof(struct mw_config, f)
#define CRAWLER(f) offsetof(struct mw_crawler_conf, f)
#define OUTLET(f) offsetof(struct mw_outlet_conf, f)
#define SOURCE(f) offsetof(struct mw_source_conf, f)
#define TOPIC(f) offsetof(struct mw_topic_conf, f)
#define TARGET(f) offsetof(struct mw_target_conf, f)
#define SENS(f) offsetof(struct mw_sensitivity_conf, f)

/* clang-format off */
const struct mw_cfg_option mw_cfg_options[] = {
  /* name, section, type, flags, min, max, default, offset, count_offset, child, doc */
  {"storage", MW_CFG_TOP, MW_CFG_PATH, 0, 0, 0, "mediawatch.db", TOP(storage_path), 0, 0,
   "SQLite database file; a relative path is taken from the config file's folder"},
  {"timezone", MW_CFG_TOP, MW_CFG_ZONE, 0, 0, 0, "Asia/Shanghai", TOP(timezone), 0, 0,
   "zone of reports, weeks and dates written without one: an IANA name or an offset such as +08:00"},
  {"office", MW_CFG_TOP, MW_CFG_STRING, 0, 0, 0, NULL, TOP(office_name), 0, 0,
   "name of the office shown in report headers, such as 吉林省生态环境厅宣传教育中心"},
  {"crawler", MW_CFG_TOP, MW_CFG_MAP, 0, 0, 0, NULL, 0, 0, MW_CFG_CRAWLER,
   "how sources are fetched (see crawler below)"},
  {"outlets", MW_CFG_TOP, MW_CFG_LIST, MW_CFG_REQUIRED, 0, 0, NULL, 0, 0, MW_CFG_OUTLET,
   "the outlets watched, each with its sources (see outlets[] below)"},
  {"topics", MW_CFG_TOP, MW_CFG_LIST, 0, 0, 0, NULL, 0, 0, MW_CFG_TOPIC,
   "topics whose coverage is counted (see topics[] below)"},
  {"targets", MW_CFG_TOP, MW_CFG_LIST, 0, 0, 0, NULL, 0, 0, MW_CFG_TARGET,
   "coverage targets to report on (see targets[] below)"},
  {"sensitivity", MW_CFG_TOP, MW_CFG_MAP, 0, 0, 0, NULL, 0, 0, MW_CFG_SENSITIVITY,
   "how sensitive opinion is scored (see sensitivity below)"},

  {"user_agent", MW_CFG_CRAWLER, MW_CFG_STRING, 0, 0, 0, "mediawatch/0.1", CRAWLER(user_agent), 0, 0,
   "User-Agent header; the part before '/' is the name robots.txt groups are matched against"},
  {"concurrency", MW_CFG_CRAWLER, MW_CFG_INT, 0, 1, 1000, "8", CRAWLER(concurrency), 0, 0,
   "transfers in flight across all hosts"},
  {"per_host_concurrency", MW_CFG_CRAWLER, MW_CFG_INT, 0, 1, 64, "1", CRAWLER(per_host_concurrency), 0, 0,
   "transfers in flight to one host"},
  {"per_host_delay_ms", MW_CFG_CRAWLER, MW_CFG_INT, 0, 0, 600000, "1000", CRAWLER(per_host_delay_ms), 0, 0,
   "least time between the starts of two requests to one host, in milliseconds"},
  {"connect_timeout_ms", MW_CFG_CRAWLER, MW_CFG_INT, 0, 100, 600000, "10000", CRAWLER(connect_timeout_ms), 0, 0,
   "give up connecting after this many milliseconds"},
  {"timeout_ms", MW_CFG_CRAWLER, MW_CFG_INT, 0, 100, 3600000, "30000", CRAWLER(timeout_ms), 0, 0,
   "give up a whole transfer after this many milliseconds"},
  {"low_speed_timeout_ms", MW_CFG_CRAWLER, MW_CFG_INT, 0, 100, 3600000, "15000", CRAWLER(low_speed_timeout_ms), 0, 0,
   "abort a transfer that receives nothing for this many milliseconds"},
  {"max_body", MW_CFG_CRAWLER, MW_CFG_SIZE, 0, 1 * KB, 1 * GB, "10MB", CRAWLER(max_body_bytes), 0, 0,
   "largest body accepted once decompressed; a bigger one fails the fetch"},
  {"max_redirects", MW_CFG_CRAWLER, MW_CFG_INT, 0, 0, 5, "5", CRAWLER(max_redirects), 0, 0,
   "redirects followed per fetch"},
  {"jitter_pct", MW_CFG_CRAWLER, MW_CFG_INT, 0, 0, 50, "10", CRAWLER(jitter_pct), 0, 0,
   "spread each poll by up to this percentage of its interval so sources are not hit in step"},
  {"backoff_max", MW_CFG_CRAWLER, MW_CFG_DURATION, 0, 1, 7 * DAY_S, "6h", CRAWLER(backoff_max_s), 0, 0,
   "longest wait between retries of a failing source"},
  {"respect_robots", MW_CFG_CRAWLER, MW_CFG_BOOL, 0, 0, 0, "true", CRAWLER(respect_robots), 0, 0,
   "obey robots.txt; turn off only for sites you run"},
  {"allow_private_addresses", MW_CFG_CRAWLER, MW_CFG_BOOL, 0, 0, 0, "false", CRAWLER(allow_private), 0, 0,
   "allow fetching loopback and private-network addresses (tests, the demo)"},

  {"name", MW_CFG_OUTLET, MW_CFG_STRING, MW_CFG_REQUIRED | MW_CFG_UNIQUE, 0, 0, NULL, OUTLET(name), 0, 0,
   "the outlet as readers know it, such as 人民网; unique"},
  {"tier", MW_CFG_OUTLET, MW_CFG_TIER, MW_CFG_REQUIRED, 0, 0, NULL, OUTLET(tier), 0, 0,
   "level of the outlet, for coverage by tier"},
  {"region", MW_CFG_OUTLET, MW_CFG_STRING, 0, 0, 0, NULL, OUTLET(region), 0, 0,
   "region the outlet serves, such as 吉林省"},
  {"sources", MW_CFG_OUTLET, MW_CFG_LIST, MW_CFG_REQUIRED, 0, 0, NULL, 0, 0, MW_CFG_SOURCE,
   "the outlet's feeds and pages, at least one (see sources[] below)"},

  {"url", MW_CFG_SOURCE, MW_CFG_URL, MW_CFG_REQUIRED | MW_CFG_UNIQUE, 0, 0, NULL, SOURCE(url), 0, 0,
   "address of the feed or page; unique in the file"},
  {"kind", MW_CFG_SOURCE, MW_CFG_KIND, 0, 0, 0, "feed", SOURCE(kind), 0, 0,
   "feed (RSS or Atom), html (a listing page) or sitemap"},
  {"poll", MW_CFG_SOURCE, MW_CFG_DURATION, 0, 1, 7 * DAY_S, "30m", SOURCE(poll_interval_s), 0, 0,
   "how often the source is fetched"},
  {"max_pages", MW_CFG_SOURCE, MW_CFG_INT, 0, 1, 50, "3", SOURCE(max_pages), 0, 0,
   "html: listing pages followed per poll (next-page links, index_1.html numbering)"},
  {"links_xpath", MW_CFG_SOURCE, MW_CFG_STRING, 0, 0, 0, NULL, SOURCE(links_xpath), 0, 0,
   "html: XPath of the article links on the listing, for sites the heuristics miss"},
  {"title_xpath", MW_CFG_SOURCE, MW_CFG_STRING, 0, 0, 0, NULL, SOURCE(title_xpath), 0, 0,
   "html: XPath of an article's title"},
  {"time_xpath", MW_CFG_SOURCE, MW_CFG_STRING, 0, 0, 0, NULL, SOURCE(time_xpath), 0, 0,
   "html: XPath of an article's publication time"},
  {"source_xpath", MW_CFG_SOURCE, MW_CFG_STRING, 0, 0, 0, NULL, SOURCE(source_xpath), 0, 0,
   "html: XPath of an article's 来源 (origin outlet)"},
  {"body_xpath", MW_CFG_SOURCE, MW_CFG_STRING, 0, 0, 0, NULL, SOURCE(body_xpath), 0, 0,
   "html: XPath of an article's body"},

  {"name", MW_CFG_TOPIC, MW_CFG_STRING, MW_CFG_REQUIRED | MW_CFG_UNIQUE, 0, 0, NULL, TOPIC(name), 0, 0,
   "the topic as reports name it, such as 无废城市; unique"},
  {"keywords", MW_CFG_TOPIC, MW_CFG_STRLIST, 0, 0, 0, NULL, TOPIC(keywords), TOPIC(n_keywords), 0,
   "an article is on the topic when its title or text holds any of these, such as [无废城市, 无废细胞]"},
  {"rule", MW_CFG_TOPIC, MW_CFG_STRING, 0, 0, 0, NULL, TOPIC(rule), 0, 0,
   "the topic as a rule instead, such as (垃圾分类 OR 生活垃圾) (宣传周 OR 志愿) -广告 (the rule language: README, Rules)"},
  {"regions", MW_CFG_TOPIC, MW_CFG_STRLIST, 0, 0, 0, NULL, TOPIC(regions), TOPIC(n_regions), 0,
   "grouped form instead of keywords: places (地域词), one of which must occur, such as [吉林, 长春]"},
  {"subjects", MW_CFG_TOPIC, MW_CFG_STRLIST, 0, 0, 0, NULL, TOPIC(subjects), TOPIC(n_subjects), 0,
   "grouped form: subjects (主体词), one of which must occur, such as [无废城市, 垃圾分类]"},
  {"events", MW_CFG_TOPIC, MW_CFG_STRLIST, 0, 0, 0, NULL, TOPIC(events), TOPIC(n_events), 0,
   "grouped form: event words (事件词), one of which must occur, such as [偷排, 恶臭]"},
  {"exclude", MW_CFG_TOPIC, MW_CFG_STRLIST, 0, 0, 0, NULL, TOPIC(exclude), TOPIC(n_exclude), 0,
   "exclusions (屏蔽词): an article holding any of these is not on the topic, such as [广告, 招聘]"},

  {"name", MW_CFG_TARGET, MW_CFG_STRING, MW_CFG_REQUIRED, 0, 0, NULL, TARGET(name), 0, 0,
   "the target as reports name it, such as 中央媒体每月至少1篇"},
  {"topic", MW_CFG_TARGET, MW_CFG_STRING, 0, 0, 0, NULL, TARGET(topic), 0, 0,
   "count articles on this topic (a name under topics); any topic when absent"},
  {"outlet", MW_CFG_TARGET, MW_CFG_STRING, 0, 0, 0, NULL, TARGET(outlet), 0, 0,
   "count articles of this outlet (a name under outlets); any outlet when absent"},
  {"tier", MW_CFG_TARGET, MW_CFG_TIER_ANY, 0, 0, 0, "any", TARGET(tier), 0, 0,
   "count only outlets of this tier"},
  {"period", MW_CFG_TARGET, MW_CFG_PERIOD, 0, 0, 0, "month", TARGET(period), 0, 0,
   "the period the minimum applies to"},
  {"min", MW_CFG_TARGET, MW_CFG_INT, MW_CFG_REQUIRED, 1, 1000000, NULL, TARGET(min_count), 0, 0,
   "least number of articles per period"},

  {"lexicon", MW_CFG_SENSITIVITY, MW_CFG_PATH, 0, 0, 0, NULL, SENS(lexicon), 0, 0,
   "file of weighted terms, one 'term, category, weight' per line, such as examples/lexicon.tsv; relative to the config's folder; no scoring without it"},
  {"level1", MW_CFG_SENSITIVITY, MW_CFG_INT, 0, 1, 100000, "5", SENS(level_min[0]), 0, 0,
   "least score for alert level 1 一般 (blue)"},
  {"level2", MW_CFG_SENSITIVITY, MW_CFG_INT, 0, 1, 100000, "15", SENS(level_min[1]), 0, 0,
   "least score for level 2 较大 (yellow); above level1"},
  {"level3", MW_CFG_SENSITIVITY, MW_CFG_INT, 0, 1, 100000, "30", SENS(level_min[2]), 0, 0,
   "least score for level 3 重大 (orange); above level2"},
  {"level4", MW_CFG_SENSITIVITY, MW_CFG_INT, 0, 1, 100000, "60", SENS(level_min[3]), 0, 0,
   "least score for level 4 特别重大 (red); above level3"},
  {"title_pct", MW_CFG_SENSITIVITY, MW_CFG_INT, 0, 0, 1000, "200", SENS(title_pct), 0, 0,
   "a term found in the title counts this percentage of its weight"},
  {"negation_window", MW_CFG_SENSITIVITY, MW_CFG_INT, 0, 0, 200, "12", SENS(negation_window), 0, 0,
   "a negation of the lexicon (未发现, 辟谣, 已整改) this many characters or fewer from a term, in the same sentence, softens it"},
  {"press_pct", MW_CFG_SENSITIVITY, MW_CFG_INT, 0, 0, 1000, "60", SENS(kind_pct[1]), 0, 0,
   "the score of an article from a paper, station or news site counts this percentage"},
  {"portal_pct", MW_CFG_SENSITIVITY, MW_CFG_INT, 0, 0, 1000, "60", SENS(kind_pct[2]), 0, 0,
   "... from a government portal"},
  {"social_pct", MW_CFG_SENSITIVITY, MW_CFG_INT, 0, 0, 1000, "150", SENS(kind_pct[3]), 0, 0,
   "... from a social account (Weibo, WeChat, Douyin)"},
  {"complaint_pct", MW_CFG_SENSITIVITY, MW_CFG_INT, 0, 0, 1000, "200", SENS(kind_pct[4]), 0, 0,
   "... from a complaint board (留言板) or forum"},
  {"other_pct", MW_CFG_SENSITIVITY, MW_CFG_INT, 0, 0, 1000, "100", SENS(kind_pct[0]), 0, 0,
   "... from a source of unknown kind"},
};
/* clang-format on */

const size_t mw_cfg_n_options = sizeof mw_cfg_options / sizeof mw_cfg_options[0];

static const char *const periods[] = {"week", "month", "quarter", "year"};

const struct mw_cfg_option *mw_cfg_find(enum mw_cfg_section section,
                                        const char *name, size_t n) {
  for (size_t i = 0; i < mw_cfg_n_options; i++) {
    const struct mw_cfg_option *o = &mw_cfg_options[i];
    if (o->section == section && strlen(o->name) == n &&
        !memcmp(o->name, name, n))
      return o;
  }
  return NULL;
}

/* Optimal string alignment distance, ASCII case-insensitive: a swapped
 * pair of letters counts as one edit. Names over 63 bytes are far. */
static size_t distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 63 || lb > 63) return SIZE_MAX;
  size_t d[64][64];
  for (size_t i = 0; i <= la; i++) d[i][0] = i;
  for (size_t j = 0; j <= lb; j++) d[0][j] = j;
  for (size_t i = 1; i <= la; i++) {
    for (size_t j = 1; j <= lb; j++) {
      unsigned char ca = mw_ascii_tolower((unsigned char)a[i - 1]);
      unsigned char cb = mw_ascii_tolower((unsigned char)b[j - 1]);
      size_t best = d[i - 1][j - 1] + (ca != cb);
      if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
      if (i > 1 && j > 1 && ca == mw_ascii_tolower((unsigned char)b[j - 2]) &&
          mw_ascii_tolower((unsigned char)a[i - 2]) == cb &&
          d[i - 2][j - 2] + 1 < best)
        best = d[i - 2][j - 2] + 1;
      d[i][j] = best;
    }
  }
  return d[la][lb];
}

const char *mw_cfg_suggest(enum mw_cfg_section section, const char *name) {
  const char *best = NULL;
  size_t best_d = SIZE_MAX;
  for (size_t i = 0; i < mw_cfg_n_options; i++) {
    const struct mw_cfg_option *o = &mw_cfg_options[i];
    if (o->section != section) continue;
    size_t d = distance(name, o->name);
    size_t limit = strlen(o->name) >= 6 ? 2 : 1;
    if (d <= limit && d < best_d) {
      best = o->name;
      best_d = d;
    }
  }
  return best;
}

/* "10MB", "1GB", "1500 bytes". */
static void fmt_size(int64_t v, char *buf, size_t n) {
  if (v && v % GB == 0) snprintf(buf, n, "%lldGB", (long long)(v / GB));
  else if (v && v % MB == 0) snprintf(buf, n, "%lldMB", (long long)(v / MB));
  else if (v && v % KB == 0) snprintf(buf, n, "%lldKB", (long long)(v / KB));
  else snprintf(buf, n, "%lld bytes", (long long)v);
}

/* "7d", "6h", "30m", "90s". */
static void fmt_duration(int64_t v, char *buf, size_t n) {
  if (v && v % DAY_S == 0) snprintf(buf, n, "%lldd", (long long)(v / DAY_S));
  else if (v && v % HOUR_S == 0) snprintf(buf, n, "%lldh", (long long)(v / HOUR_S));
  else if (v && v % MIN_S == 0) snprintf(buf, n, "%lldm", (long long)(v / MIN_S));
  else snprintf(buf, n, "%llds", (long long)v);
}

void mw_cfg_describe(const struct mw_cfg_option *o, char *buf, size_t n) {
  char lo[32], hi[32];
  switch (o->type) {
    case MW_CFG_STRING:
      snprintf(buf, n, "%s", (o->flags & MW_CFG_REQUIRED) ? "a non-empty string"
                                                          : "a string");
      break;
    case MW_CFG_PATH: snprintf(buf, n, "a file path"); break;
    case MW_CFG_ZONE:
      snprintf(buf, n, "a time zone such as Asia/Shanghai or +08:00");
      break;
    case MW_CFG_URL: snprintf(buf, n, "an http:// or https:// URL"); break;
    case MW_CFG_PERIOD:
      snprintf(buf, n, "one of week, month, quarter, year");
      break;
    case MW_CFG_INT:
      snprintf(buf, n, "an integer between %lld and %lld", (long long)o->min,
               (long long)o->max);
      break;
    case MW_CFG_SIZE:
      fmt_size(o->min, lo, sizeof lo);
      fmt_size(o->max, hi, sizeof hi);
      snprintf(buf, n, "a size between %s and %s (such as 10MB)", lo, hi);
      break;
    case MW_CFG_DURATION:
      fmt_duration(o->min, lo, sizeof lo);
      fmt_duration(o->max, hi, sizeof hi);
      snprintf(buf, n, "a duration between %s and %s (such as 30m)", lo, hi);
      break;
    case MW_CFG_BOOL: snprintf(buf, n, "true or false"); break;
    case MW_CFG_TIER:
    case MW_CFG_TIER_ANY: {
      size_t w = (size_t)snprintf(buf, n, "one of ");
      for (int t = 0; t < MW_TIER_COUNT && w < n; t++)
        w += (size_t)snprintf(buf + w, n - w, "%s%s", t ? ", " : "",
                              mw_tier_name((enum mw_tier)t));
      if (o->type == MW_CFG_TIER_ANY && w < n) snprintf(buf + w, n - w, ", any");
      break;
    }
    case MW_CFG_KIND: snprintf(buf, n, "one of feed, html, sitemap"); break;
    case MW_CFG_MAP: snprintf(buf, n, "a mapping of settings"); break;
    case MW_CFG_LIST: snprintf(buf, n, "a list"); break;
    case MW_CFG_STRLIST:
      snprintf(buf, n, "a list of strings such as [无废城市, 无废细胞]");
      break;
  }
}

static bool valid_url(const char *s) {
  size_t skip;
  if (!mw_ascii_ncasecmp(s, "http://", 7)) skip = 7;
  else if (!mw_ascii_ncasecmp(s, "https://", 8)) skip = 8;
  else return false;
  if (!s[skip] || strchr("/?#:", s[skip])) return false; /* no host */
  for (const char *p = s; *p; p++)
    if ((unsigned char)*p <= ' ' || *p == 0x7f) return false;
  return true;
}

static int set_string(void *field, const char *text, bool keep_empty) {
  char **f = field;
  char *copy = NULL;
  if (*text || keep_empty) {
    copy = mw_strdup(text);
    if (!copy) return MW_ENOMEM;
  }
  free(*f);
  *f = copy;
  return MW_OK;
}

int mw_cfg_set(const struct mw_cfg_option *o, void *base, const char *text) {
  void *field = (char *)base + o->offset;
  int64_t v;
  switch (o->type) {
    case MW_CFG_STRING:
      if (!*text && (o->flags & MW_CFG_REQUIRED)) return MW_EINVAL;
      return set_string(field, text, false);
    case MW_CFG_PATH:
    case MW_CFG_ZONE:
      if (!*text) return MW_EINVAL;
      return set_string(field, text, false);
    case MW_CFG_URL:
      if (!valid_url(text)) return MW_EINVAL;
      return set_string(field, text, false);
    case MW_CFG_PERIOD:
      for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++)
        if (!strcmp(text, periods[i])) return set_string(field, text, false);
      return MW_EINVAL;
    case MW_CFG_INT:
      if (mw_parse_int64(text, o->min, o->max, &v)) return MW_EINVAL;
      *(int64_t *)field = v;
      return MW_OK;
    case MW_CFG_SIZE:
      if (mw_parse_size(text, &v) || v < o->min || v > o->max) return MW_EINVAL;
      *(int64_t *)field = v;
      return MW_OK;
    case MW_CFG_DURATION:
      if (mw_parse_duration_s(text, &v) || v < o->min || v > o->max)
        return MW_EINVAL;
      *(int64_t *)field = v;
      return MW_OK;
    case MW_CFG_BOOL:
      if (!mw_ascii_casecmp(text, "true") || !mw_ascii_casecmp(text, "yes")) {
        *(bool *)field = true;
        return MW_OK;
      }
      if (!mw_ascii_casecmp(text, "false") || !mw_ascii_casecmp(text, "no")) {
        *(bool *)field = false;
        return MW_OK;
      }
      return MW_EINVAL;
    case MW_CFG_TIER: {
      enum mw_tier t;
      if (mw_tier_parse(text, &t)) return MW_EINVAL;
      *(enum mw_tier *)field = t;
      return MW_OK;
    }
    case MW_CFG_TIER_ANY: {
      enum mw_tier t;
      if (!strcmp(text, "any")) *(int *)field = -1;
      else if (!mw_tier_parse(text, &t)) *(int *)field = (int)t;
      else return MW_EINVAL;
      return MW_OK;
    }
    case MW_CFG_KIND: {
      enum mw_source_kind k;
      if (mw_source_kind_parse(text, &k)) return MW_EINVAL;
      *(enum mw_source_kind *)field = k;
      return MW_OK;
    }
    case MW_CFG_MAP:
    case MW_CFG_LIST:
    case MW_CFG_STRLIST:
      break;
  }
  return MW_EINVAL;
}

int mw_cfg_set_defaults(enum mw_cfg_section section, void *base) {
  for (size_t i = 0; i < mw_cfg_n_options; i++) {
    const struct mw_cfg_option *o = &mw_cfg_options[i];
    if (o->section != section || !o->def) continue;
    int rc = mw_cfg_set(o, base, o->def);
    if (rc) return rc; /* only ENOMEM: the table's defaults are valid */
  }
  return MW_OK;
}

/* ------------------------------------------------------------ reference */

static const struct {
  enum mw_cfg_section section;
  const char *title;
  const char *intro;
} sections[] = {
    {MW_CFG_TOP, "Top level", "The file is one YAML mapping with these keys."},
    {MW_CFG_CRAWLER, "crawler",
     "How sources are fetched. Every key is optional."},
    {MW_CFG_OUTLET, "outlets[]",
     "Each item of `outlets` is one outlet (a paper, a station, a portal, an "
     "account)."},
    {MW_CFG_SOURCE, "sources[]",
     "Each item of an outlet's `sources` is one feed or page to poll."},
    {MW_CFG_TOPIC, "topics[]",
     "Each item of `topics` is one topic, written as `keywords`, as a "
     "`rule`, or in the grouped form (`regions`, `subjects`, `events`: "
     "one word of each group given must occur); `exclude` applies to any "
     "of them. A rule with an error is reported by `config check` and "
     "left out while the other topics work."},
    {MW_CFG_TARGET, "targets[]",
     "Each item of `targets` is a minimum number of articles per period. "
     "`topic` and `outlet`, when given, must name a topic and an outlet "
     "defined above."},
    {MW_CFG_SENSITIVITY, "sensitivity",
     "How sensitive opinion is scored: the lexicon's weights of the terms "
     "found, a title hit weighing more, a negation near a term less, times "
     "the weight of the kind of source; the score gives the suggested "
     "alert level. Every key is optional."},
};

static void type_name(const struct mw_cfg_option *o, char *buf, size_t n) {
  char lo[32], hi[32];
  switch (o->type) {
    case MW_CFG_STRING: snprintf(buf, n, "string"); break;
    case MW_CFG_PATH: snprintf(buf, n, "path"); break;
    case MW_CFG_ZONE: snprintf(buf, n, "time zone"); break;
    case MW_CFG_URL: snprintf(buf, n, "http(s) URL"); break;
    case MW_CFG_PERIOD: snprintf(buf, n, "week, month, quarter or year"); break;
    case MW_CFG_INT:
      snprintf(buf, n, "integer %lld..%lld", (long long)o->min, (long long)o->max);
      break;
    case MW_CFG_SIZE:
      fmt_size(o->min, lo, sizeof lo);
      fmt_size(o->max, hi, sizeof hi);
      snprintf(buf, n, "size %s..%s", lo, hi);
      break;
    case MW_CFG_DURATION:
      fmt_duration(o->min, lo, sizeof lo);
      fmt_duration(o->max, hi, sizeof hi);
      snprintf(buf, n, "duration %s..%s", lo, hi);
      break;
    case MW_CFG_BOOL: snprintf(buf, n, "true or false"); break;
    case MW_CFG_TIER:
    case MW_CFG_TIER_ANY:
    case MW_CFG_KIND: mw_cfg_describe(o, buf, n); break;
    case MW_CFG_MAP: snprintf(buf, n, "mapping"); break;
    case MW_CFG_LIST: snprintf(buf, n, "list"); break;
    case MW_CFG_STRLIST: snprintf(buf, n, "list of strings"); break;
  }
}

void mw_config_write_reference(FILE *out) {
  fputs("# Configuration reference\n\n"
        "A mediawatch configuration is one YAML file. Sizes are written with "
        "KB, MB or GB (`10MB`), durations with s, m, h or d (`30m`). Every "
        "problem is reported as `FILE:LINE:COL: what is wrong`.\n",
        out);
  for (size_t s = 0; s < sizeof sections / sizeof sections[0]; s++) {
    fprintf(out, "\n## %s\n\n%s\n\n", sections[s].title, sections[s].intro);
    fputs("| key | type | default | description |\n"
          "|---|---|---|---|\n",
          out);
    for (size_t i = 0; i < mw_cfg_n_options; i++) {
      const struct mw_cfg_option *o = &mw_cfg_options[i];
      if (o->section != sections[s].section) continue;
      char type[160];
      type_name(o, type, sizeof type);
      fprintf(out, "| `%s` | %s | ", o->name, type);
      if (o->def) fprintf(out, "`%s`", o->def);
      else fputs((o->flags & MW_CFG_REQUIRED) ? "required" : "none", out);
      fprintf(out, " | %s%s |\n", o->doc,
              (o->flags & MW_CFG_UNIQUE) && !strstr(o->doc, "unique")
                  ? "; unique"
                  : "");
    }
  }
}
