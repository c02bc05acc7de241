/*
 * config_table.c: every configuration option, declared once.
 *
 * Each row gives an option's name, section, type, bounds, default and one
 * line of documentation, and where its value lands in struct mw_config.
 * The loader (config.c) checks a file against this table and fills the
 * structs through mw_cfg_set; mw_config_write_reference (config_sections.c)
 * prints the Markdown reference from the same rows, so the two cannot
 * drift. Defaults
 * are written as they would be in YAML and go through the same parser as
 * the file's values.
 *
 * What it leaves to others: reading YAML, positions, messages with
 * file:line:col, cross-checks between sections (config.c,
 * config_alerts.c), the sections and the reference (config_sections.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts/alerts.h"
#include "cli/cli.h"
#include "cli/config_table.h"
#include "matchers/matchers.h"

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
#define ALERTS(f) offsetof(struct mw_alerts_conf, f)
#define RECV(f) offsetof(struct mw_receiver_conf, f)
#define ROUTE(f) offsetof(struct mw_route_conf, f)
#define PERSON(f) offsetof(struct mw_person_conf, f)
#define SHIFT(f) offsetof(struct mw_shift_conf, f)
#define SERVE(f) offsetof(struct mw_serve_conf, f)
#define HEALTH(f) offsetof(struct mw_health_conf, f)

/* clang-format off */
const struct mw_cfg_option mw_cfg_options[] = {
  /* name, section, type, flags, min, max, default, offset, count_offset, child, doc */
  {"storage", MW_CFG_TOP, MW_CFG_PATH, 0, 0, 0, "mediawatch.db", TOP(storage_path), 0, 0,
   "SQLite database file; a relative path is taken from the config file's folder"},
  {"timezone", MW_CFG_TOP, MW_CFG_ZONE, 0, 0, 0, "Asia/Shanghai", TOP(timezone), 0, 0,
   "zone of reports, weeks and dates written without one: an IANA name or an offset such as +08:00"},
  {"office", MW_CFG_TOP, MW_CFG_STRING, 0, 0, 0, NULL, TOP(office_name), 0, 0,
   "name of the office shown in report headers, such as 吉林省生态环境厅宣传教育中心"},
  {"calendar", MW_CFG_TOP, MW_CFG_PATH, 0, 0, 0, NULL, TOP(calendar), 0, 0,
   "campaign calendar (宣传周, 环境日): one event a line, name, first day and optional last day, tab-separated, MM-DD every year or YYYY-MM-DD that year, such as examples/calendar.tsv; relative to the config's folder; the report lists the events within 7 days of its period and the coverage around them"},
  {"crawler", MW_CFG_TOP, MW_CFG_MAP, 0, 0, 0, NULL, TOP(crawler), 0, MW_CFG_CRAWLER,
   "how sources are fetched (see crawler below)"},
  {"outlets", MW_CFG_TOP, MW_CFG_LIST, MW_CFG_REQUIRED, 0, 0, NULL, TOP(outlets), TOP(n_outlets), MW_CFG_OUTLET,
   "the outlets watched, each with its sources (see outlets[] below)"},
  {"topics", MW_CFG_TOP, MW_CFG_LIST, 0, 0, 0, NULL, TOP(topics), TOP(n_topics), MW_CFG_TOPIC,
   "topics whose coverage is counted (see topics[] below)"},
  {"targets", MW_CFG_TOP, MW_CFG_LIST, 0, 0, 0, NULL, TOP(targets), TOP(n_targets), MW_CFG_TARGET,
   "coverage targets to report on (see targets[] below)"},
  {"sensitivity", MW_CFG_TOP, MW_CFG_MAP, 0, 0, 0, NULL, TOP(sensitivity), 0, MW_CFG_SENSITIVITY,
   "how sensitive opinion is scored (see sensitivity below)"},
  {"alerts", MW_CFG_TOP, MW_CFG_MAP, 0, 0, 0, NULL, TOP(alerts), 0, MW_CFG_ALERTS,
   "how the duty office (舆情值班) is told of sensitive opinion and follows it up (see alerts below)"},
  {"serve", MW_CFG_TOP, MW_CFG_MAP, 0, 0, 0, NULL, TOP(serve), 0, MW_CFG_SERVE,
   "the dashboard and JSON API of `mediawatch serve` and `run` (see serve below)"},
  {"health", MW_CFG_TOP, MW_CFG_MAP, 0, 0, 0, NULL, TOP(health), 0, MW_CFG_HEALTH,
   "when a source counts as degraded or broken, and when the admins hear of it (see health below)"},

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
  {"allow_loopback", MW_CFG_CRAWLER, MW_CFG_BOOL, 0, 0, 0, "false", CRAWLER(allow_loopback), 0, 0,
   "allow fetching loopback addresses (127.0.0.0/8, ::1) and no other private one: for the demo and tests, whose fixture listens on 127.0.0.1"},
  {"allow_private_addresses", MW_CFG_CRAWLER, MW_CFG_BOOL, 0, 0, 0, "false", CRAWLER(allow_private), 0, 0,
   "allow fetching every non-public address: loopback, private networks (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7), link-local (169.254/16 with cloud metadata, fe80::/10), 0.0.0.0/8, multicast and reserved ranges; only for a crawler meant to read an internal network. Checked at every connection, redirects included"},

  {"adaptive", MW_CFG_CRAWLER, MW_CFG_BOOL, 0, 0, 0, "true", CRAWLER(adaptive), 0, 0,
   "let each source's poll interval follow how often it publishes (half its usual gap between new articles over 28 days, within poll_min and poll_max; a feed's ttl or sy:updatePeriod and Cache-Control max-age set a floor); false: every source keeps its poll"},
  {"poll_min", MW_CFG_CRAWLER, MW_CFG_DURATION, 0, 1, DAY_S, "5m", CRAWLER(poll_min_s), 0, 0,
   "shortest adaptive interval (a source whose own poll is shorter keeps its poll as the bound)"},
  {"poll_max", MW_CFG_CRAWLER, MW_CFG_DURATION, 0, 60, 7 * DAY_S, "4h", CRAWLER(poll_max_s), 0, 0,
   "longest adaptive interval: a quiet source is still polled this often (a source whose own poll is longer keeps its poll as the bound)"},
  {"adapt_after", MW_CFG_CRAWLER, MW_CFG_DURATION, 0, 0, 90 * DAY_S, "7d", CRAWLER(adapt_after_s), 0, 0,
   "how long a source is polled at its own poll before its interval adapts: the history it needs"},

  {"name", MW_CFG_OUTLET, MW_CFG_STRING, MW_CFG_REQUIRED | MW_CFG_UNIQUE, 0, 0, NULL, OUTLET(name), 0, 0,
   "the outlet as readers know it, such as 人民网; unique"},
  {"tier", MW_CFG_OUTLET, MW_CFG_TIER, MW_CFG_REQUIRED, 0, 0, NULL, OUTLET(tier), 0, 0,
   "level of the outlet, for coverage by tier"},
  {"region", MW_CFG_OUTLET, MW_CFG_STRING, 0, 0, 0, NULL, OUTLET(region), 0, 0,
   "region the outlet serves, such as 吉林省"},
  {"media", MW_CFG_OUTLET, MW_CFG_MEDIA, 0, 0, 0, "auto", OUTLET(media), 0, 0,
   "the kind of medium, which weighs its articles' sensitivity (sensitivity.*_pct): press, portal, social, complaint (留言板, forums), or auto: central to county tiers are press, portal is portal, new-media is social"},
  {"sources", MW_CFG_OUTLET, MW_CFG_LIST, MW_CFG_REQUIRED | MW_CFG_NONEMPTY, 0, 0, NULL, OUTLET(sources), OUTLET(n_sources), MW_CFG_SOURCE,
   "the outlet's feeds and pages, at least one (see sources[] below)"},

  {"url", MW_CFG_SOURCE, MW_CFG_URL, MW_CFG_REQUIRED | MW_CFG_UNIQUE, 0, 0, NULL, SOURCE(url), 0, 0,
   "address of the feed or page; unique in the file"},
  {"kind", MW_CFG_SOURCE, MW_CFG_KIND, 0, 0, 0, "feed", SOURCE(kind), 0, 0,
   "feed (RSS or Atom), html (a listing page) or sitemap"},
  {"poll", MW_CFG_SOURCE, MW_CFG_DURATION, 0, 1, 7 * DAY_S, "30m", SOURCE(poll_interval_s), 0, 0,
   "how often the source is fetched"},
  {"adaptive", MW_CFG_SOURCE, MW_CFG_BOOL, 0, 0, 0, "true", SOURCE(adaptive), 0, 0,
   "false keeps this source at its poll always (a complaint board that must be read every few minutes); adaptive intervals need crawler.adaptive too"},
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
  {"topics", MW_CFG_TARGET, MW_CFG_STRLIST, 0, 0, 0, NULL, TARGET(topics), TARGET(n_topics), 0,
   "count articles on any of these topics, such as [无废城市, 垃圾分类]"},
  {"outlets", MW_CFG_TARGET, MW_CFG_STRLIST, 0, 0, 0, NULL, TARGET(outlets), TARGET(n_outlets), 0,
   "count articles of any of these outlets, such as [人民日报, 新华网, 人民网, 中国环境报]"},
  {"mentions", MW_CFG_TARGET, MW_CFG_STRLIST, 0, 0, 0, NULL, TARGET(mentions), TARGET(n_mentions), 0,
   "count articles whose title or text names any of these units or places, such as [双阳区, 奢岭街道]"},
  {"each", MW_CFG_TARGET, MW_CFG_STRLIST, 0, 0, 0, NULL, TARGET(each), TARGET(n_each), 0,
   "one target per item, named NAME：ITEM, counting the articles that mention the item (各镇街每月至少2篇: [永昌街道, 奢岭街道]); not with mentions"},
  {"period", MW_CFG_TARGET, MW_CFG_PERIOD, 0, 0, 0, "month", TARGET(period), 0, 0,
   "the period the minimum applies to: week, month, quarter, year, or range (from and to)"},
  {"from", MW_CFG_TARGET, MW_CFG_STRING, 0, 0, 0, NULL, TARGET(from), 0, 0,
   "period range: the first day, YYYY-MM-DD"},
  {"to", MW_CFG_TARGET, MW_CFG_STRING, 0, 0, 0, NULL, TARGET(to), 0, 0,
   "period range: the last day, included, YYYY-MM-DD"},
  {"count", MW_CFG_TARGET, MW_CFG_STRING, 0, 0, 0, NULL, TARGET(count), 0, 0,
   "articles (the default), or stories: the articles of one reprint cluster count once"},
  {"min", MW_CFG_TARGET, MW_CFG_INT, MW_CFG_REQUIRED, 1, 1000000, NULL, TARGET(min_count), 0, 0,
   "least number of articles (or stories) per period"},

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

  {"gazetteer", MW_CFG_ALERTS, MW_CFG_PATH, 0, 0, 0, NULL, ALERTS(gazetteer), 0, 0,
   "place list that finds an alert's 属地 in the text: one place a line, name, level (province, city, district, town, village) and parent, tab-separated; relative to the config's folder; without it the outlet's region is the 属地"},
  {"spread_outlets", MW_CFG_ALERTS, MW_CFG_INT, 0, 2, 1000, "3", ALERTS(spread_outlets), 0, 0,
   "an item reprinted by this many different outlets, or one topic in one region on this many, goes up one level (扩散)"},
  {"spread_window", MW_CFG_ALERTS, MW_CFG_DURATION, 0, 60, 30 * DAY_S, "6h", ALERTS(spread_window_s), 0, 0,
   "... counting the outlets that carried it within this time"},
  {"burst_factor_pct", MW_CFG_ALERTS, MW_CFG_INT, 0, 100, 100000, "300", ALERTS(burst_factor_pct), 0, 0,
   "a watched topic mentioned in the last hour this percentage of its usual count for that hour of the week raises a burst alert (突发), even with no sensitive item"},
  {"burst_min", MW_CFG_ALERTS, MW_CFG_INT, 0, 1, 1000000, "10", ALERTS(burst_min), 0, 0,
   "a burst needs at least this many mentions in the hour, so a quiet topic going from 1 to 3 is no alarm"},
  {"burst_weeks", MW_CFG_ALERTS, MW_CFG_INT, 0, 1, 52, "4", ALERTS(burst_weeks), 0, 0,
   "weeks the usual count of an hour of the week is averaged over"},
  {"deadline_general", MW_CFG_ALERTS, MW_CFG_DURATION, 0, 60, 30 * DAY_S, "72h", ALERTS(deadline_s[0]), 0, 0,
   "time to handle a level 1 一般 alert (or the default due time when it is assigned, 交办) before it is overdue (超时) and chased again"},
  {"deadline_serious", MW_CFG_ALERTS, MW_CFG_DURATION, 0, 60, 30 * DAY_S, "24h", ALERTS(deadline_s[1]), 0, 0,
   "... a level 2 较大 alert; not longer than deadline_general"},
  {"deadline_major", MW_CFG_ALERTS, MW_CFG_DURATION, 0, 60, 30 * DAY_S, "5h", ALERTS(deadline_s[2]), 0, 0,
   "... a level 3 重大 alert; not longer than deadline_serious"},
  {"deadline_critical", MW_CFG_ALERTS, MW_CFG_DURATION, 0, 60, 30 * DAY_S, "1h", ALERTS(deadline_s[3]), 0, 0,
   "... a level 4 特别重大 alert; not longer than deadline_major"},
  {"ack_t1", MW_CFG_ALERTS, MW_CFG_DURATION, 0, 60, 7 * DAY_S, "30m", ALERTS(ack_t1_s), 0, 0,
   "an alert nobody has acknowledged (签收) after this goes to the next people of the shift on duty"},
  {"ack_t2", MW_CFG_ALERTS, MW_CFG_DURATION, 0, 60, 7 * DAY_S, "2h", ALERTS(ack_t2_s), 0, 0,
   "... and after this to the leaders (带班领导); longer than ack_t1"},
  {"repeat", MW_CFG_ALERTS, MW_CFG_DURATION, 0, 10 * MIN_S, 30 * DAY_S, "24h", ALERTS(repeat_s), 0, 0,
   "an open alert with no feedback yet is sent again after this, as a reminder (督办)"},
  {"retry_max", MW_CFG_ALERTS, MW_CFG_DURATION, 0, 5, DAY_S, "5m", ALERTS(retry_max_s), 0, 0,
   "a receiver that is down is retried, the wait doubling from 5s up to this; nothing is dropped"},
  {"link_base", MW_CFG_ALERTS, MW_CFG_URL, 0, 0, 0, NULL, ALERTS(link_base), 0, 0,
   "address of your dashboard, such as http://10.1.2.3:8080, so each message links to its alert; no link without it"},
  {"receivers", MW_CFG_ALERTS, MW_CFG_LIST, 0, 0, 0, NULL, ALERTS(receivers), ALERTS(n_receivers), MW_CFG_RECEIVER,
   "the channels alerts go out through: group robots, e-mail, a command (see receivers[] below)"},
  {"routes", MW_CFG_ALERTS, MW_CFG_LIST, 0, 0, 0, NULL, ALERTS(routes), ALERTS(n_routes), MW_CFG_ROUTE,
   "which alerts go to which receivers, by level, 属地 and topic (see routes[] below)"},
  {"people", MW_CFG_ALERTS, MW_CFG_LIST, 0, 0, 0, NULL, ALERTS(people), ALERTS(n_people), MW_CFG_PERSON,
   "the duty staff and leaders, and how to reach each (see people[] below)"},
  {"roster", MW_CFG_ALERTS, MW_CFG_LIST, 0, 0, 0, NULL, ALERTS(roster), ALERTS(n_roster), MW_CFG_SHIFT,
   "the duty roster (值班表): who is on duty on which days and hours (see roster[] below)"},

  {"name", MW_CFG_RECEIVER, MW_CFG_STRING, MW_CFG_REQUIRED | MW_CFG_UNIQUE, 0, 0, NULL, RECV(name), 0, 0,
   "how routes and people name this channel, such as 值班群 or duty-wecom; unique; 'duty' is taken (the roster's person on duty)"},
  {"kind", MW_CFG_RECEIVER, MW_CFG_RECEIVER_KIND, MW_CFG_REQUIRED, 0, 0, NULL, RECV(kind), 0, 0,
   "webhook (JSON POST), wecom (企业微信 group robot), dingtalk (钉钉 robot), feishu (飞书 bot), email (SMTP) or exec (a local command, such as an SMS gateway)"},
  {"url", MW_CFG_RECEIVER, MW_CFG_STRING, 0, 0, 0, NULL, RECV(url), 0, 0,
   "an address that holds no secret, such as http://10.1.2.3/hook or smtp://mail.example.gov.cn:587; a robot URL carries its key, so it is refused here: use url_env or url_file"},
  {"url_env", MW_CFG_RECEIVER, MW_CFG_STRING, 0, 0, 0, NULL, RECV(url_env), 0, 0,
   "name of an environment variable holding the address, such as MW_WECOM_URL"},
  {"url_file", MW_CFG_RECEIVER, MW_CFG_PATH, 0, 0, 0, NULL, RECV(url_file), 0, 0,
   "file holding the address, readable by its owner only (chmod 600); relative to the config's folder"},
  {"secret_env", MW_CFG_RECEIVER, MW_CFG_STRING, 0, 0, 0, NULL, RECV(secret_env), 0, 0,
   "environment variable holding the secret: the DingTalk or Feishu signing secret (加签), the SMTP password, the webhook's HMAC key"},
  {"secret_file", MW_CFG_RECEIVER, MW_CFG_PATH, 0, 0, 0, NULL, RECV(secret_file), 0, 0,
   "file holding that secret (chmod 600) instead; not both"},
  {"mail_from", MW_CFG_RECEIVER, MW_CFG_STRING, 0, 0, 0, NULL, RECV(mail_from), 0, 0,
   "email: the sender, such as yuqing@sthjt.jl.gov.cn"},
  {"mail_to", MW_CFG_RECEIVER, MW_CFG_STRLIST, 0, 0, 0, NULL, RECV(mail_to), RECV(n_mail_to), 0,
   "email: the recipients, such as [zhiban@sthjt.jl.gov.cn]"},
  {"smtp_user", MW_CFG_RECEIVER, MW_CFG_STRING, 0, 0, 0, NULL, RECV(smtp_user), 0, 0,
   "email: the SMTP login; its password comes from secret_env or secret_file"},
  {"starttls", MW_CFG_RECEIVER, MW_CFG_BOOL, 0, 0, 0, "true", RECV(starttls), 0, 0,
   "email over smtp://: send only once the server has switched to TLS (STARTTLS)"},
  {"command", MW_CFG_RECEIVER, MW_CFG_STRLIST, 0, 0, 0, NULL, RECV(command), RECV(n_command), 0,
   "exec: the program and its arguments, run without a shell with the alert as JSON on standard input, such as [/usr/local/bin/sms-send, --group, 值班]"},
  {"exec_timeout", MW_CFG_RECEIVER, MW_CFG_DURATION, 0, 1, HOUR_S, "10s", RECV(exec_timeout_s), 0, 0,
   "exec: a command still running after this is stopped and tried again later"},
  {"template", MW_CFG_RECEIVER, MW_CFG_STRING, 0, 0, 0, NULL, RECV(template_text), 0, 0,
   "the message text, with placeholders such as {level_zh}, {title}, {region} (README, Alerts); the default message carries level, title, 属地, outlets, link and reason"},
  {"quiet", MW_CFG_RECEIVER, MW_CFG_WINDOW, 0, 0, 0, NULL, RECV(quiet), RECV(quiet_window), 0,
   "quiet hours (免打扰), such as 22:00-07:00: levels 1 and 2 wait and come as one digest when they end; levels 3 and 4 always go at once"},
  {"quiet_weekends", MW_CFG_RECEIVER, MW_CFG_BOOL, 0, 0, 0, "false", RECV(quiet_weekends), 0, 0,
   "quiet all Saturday and Sunday too (levels 1 and 2 only)"},
  {"digest", MW_CFG_RECEIVER, MW_CFG_BOOL, 0, 0, 0, "false", RECV(digest), 0, 0,
   "levels 1 and 2 come as one overview a day instead of a message each; levels 3 and 4 still go at once"},
  {"digest_at", MW_CFG_RECEIVER, MW_CFG_CLOCK, 0, 0, 0, "08:00", RECV(digest_at), RECV(digest_at_min), 0,
   "when the daily digest goes out, local time"},

  {"name", MW_CFG_ROUTE, MW_CFG_STRING, 0, 0, 0, NULL, ROUTE(name), 0, 0,
   "the route as messages name it, such as 长春市重大舆情"},
  {"min_level", MW_CFG_ROUTE, MW_CFG_LEVEL, 0, 0, 0, "1", ROUTE(min_level), 0, 0,
   "alerts of this level or above: 1-4, general/serious/major/critical, 一般/较大/重大/特别重大 or blue/yellow/orange/red"},
  {"regions", MW_CFG_ROUTE, MW_CFG_STRLIST, 0, 0, 0, NULL, ROUTE(regions), ROUTE(n_regions), 0,
   "only alerts whose 属地 is one of these or lies under one in the gazetteer, such as [长春市]; any 属地 when absent"},
  {"topics", MW_CFG_ROUTE, MW_CFG_STRLIST, 0, 0, 0, NULL, ROUTE(topics), ROUTE(n_topics), 0,
   "only alerts on these topics (names under topics); any topic when absent"},
  {"receivers", MW_CFG_ROUTE, MW_CFG_STRLIST, MW_CFG_REQUIRED, 0, 0, NULL, ROUTE(receivers), ROUTE(n_receivers), 0,
   "where the alerts go: receiver names, and 'duty' for whoever the roster has on duty now"},

  {"name", MW_CFG_PERSON, MW_CFG_STRING, MW_CFG_REQUIRED | MW_CFG_UNIQUE, 0, 0, NULL, PERSON(name), 0, 0,
   "the person as the roster and acknowledgements name them, such as 张伟; unique"},
  {"receivers", MW_CFG_PERSON, MW_CFG_STRLIST, 0, 0, 0, NULL, PERSON(receivers), PERSON(n_receivers), 0,
   "the receivers that reach this person, such as their own robot, mailbox or SMS command"},
  {"leader", MW_CFG_PERSON, MW_CFG_BOOL, 0, 0, 0, "false", PERSON(leader), 0, 0,
   "a leader (带班领导): gets alerts still unacknowledged after ack_t2, and every level 4 at once"},
  {"admin", MW_CFG_PERSON, MW_CFG_BOOL, 0, 0, 0, "false", PERSON(admin), 0, 0,
   "looks after the sources: gets source problems (unreachable, template changed, mojibake, silent, moved) as a daily digest at health.digest_at, and at once for a source that carries a coverage target"},

  {"days", MW_CFG_SHIFT, MW_CFG_STRLIST, MW_CFG_REQUIRED, 0, 0, NULL, SHIFT(days), SHIFT(n_days), 0,
   "the days of the shift: mon..sun, 周一..周日, weekdays (工作日), weekend (周末) or all (每天), such as [周六, 周日]"},
  {"hours", MW_CFG_SHIFT, MW_CFG_WINDOW, 0, 0, 0, NULL, SHIFT(hours), SHIFT(window), 0,
   "the hours of the shift, such as 08:30-17:30, or 17:30-08:30 through the night; all day when absent"},
  {"people", MW_CFG_SHIFT, MW_CFG_STRLIST, MW_CFG_REQUIRED, 0, 0, NULL, SHIFT(people), SHIFT(n_people), 0,
   "who is on duty, in order (names under people): the first gets the alerts, the next ones those unacknowledged after ack_t1"},
  {"listen", MW_CFG_SERVE, MW_CFG_STRING, 0, 0, 0, "127.0.0.1:8080", SERVE(listen), 0, 0,
   "address and port the dashboard listens on (ADDR:PORT, [IPv6]:PORT); loopback by default: put a TLS proxy in front to serve others"},
  {"session_ttl", MW_CFG_SERVE, MW_CFG_DURATION, 0, 5 * MIN_S, 30 * DAY_S, "12h", SERVE(session_ttl_s), 0, 0,
   "a signed-in session ends this long after its last use"},
  {"cookie_secure", MW_CFG_SERVE, MW_CFG_BOOL, 0, 0, 0, "false", SERVE(cookie_secure), 0, 0,
   "mark the session cookie Secure (sent over https only): set it when a TLS proxy serves the dashboard"},
  {"login_failures", MW_CFG_SERVE, MW_CFG_INT, 0, 1, 1000, "5", SERVE(login_failures), 0, 0,
   "failed sign-ins allowed from one address, and for one user name, within login_window; more are refused (429) until it passes"},
  {"login_window", MW_CFG_SERVE, MW_CFG_DURATION, 0, 60, DAY_S, "15m", SERVE(login_window_s), 0, 0,
   "the window login_failures counts over"},

  {"unreachable_after", MW_CFG_HEALTH, MW_CFG_DURATION, 0, 60, 30 * DAY_S, "6h", HEALTH(unreachable_s), 0, 0,
   "a source whose polls have all failed for this long is broken"},
  {"links_drop_pct", MW_CFG_HEALTH, MW_CFG_INT, 0, 1, 99, "50", HEALTH(links_drop_pct), 0, 0,
   "a listing, feed or sitemap yielding fewer links than this percentage of its usual number (median of its last 20 answers) is degraded (template drift); none at all is broken"},
  {"extraction_drop_pct", MW_CFG_HEALTH, MW_CFG_INT, 0, 1, 100, "30", HEALTH(extraction_drop_pct), 0, 0,
   "a field (title, date, 来源, a body of body_min characters) found in this many percentage points fewer of the recent articles than usual is degraded; found in none where it usually is, broken"},
  {"mojibake_pct", MW_CFG_HEALTH, MW_CFG_INT, 0, 1, 100, "10", HEALTH(mojibake_pct), 0, 0,
   "recent articles whose non-ASCII characters are over this percentage implausible (U+FFFD, Latin-1 letters, C1 controls, private use, 汉字 outside GB2312) are broken: a charset gone wrong"},
  {"silence_factor", MW_CFG_HEALTH, MW_CFG_INT, 0, 2, 100, "3", HEALTH(silence_factor), 0, 0,
   "a source silent for this many of its usual gaps between articles (median over the last year) is degraded"},
  {"silence_min", MW_CFG_HEALTH, MW_CFG_DURATION, 0, HOUR_S, 365 * DAY_S, "2d", HEALTH(silence_min_s), 0, 0,
   "and silent for at least this long"},
  {"body_min", MW_CFG_HEALTH, MW_CFG_INT, 0, 1, 100000, "100", HEALTH(body_min), 0, 0,
   "characters an article's body needs to count as extracted"},
  {"recent_articles", MW_CFG_HEALTH, MW_CFG_INT, 0, 3, 1000, "10", HEALTH(recent_articles), 0, 0,
   "newest articles of a source the extraction and mojibake shares are taken over, against the 100 before them"},
  {"digest_at", MW_CFG_HEALTH, MW_CFG_CLOCK, 0, 0, 0, "08:30", HEALTH(digest_at), HEALTH(digest_minute), 0,
   "when the admins' daily digest of source problems goes out (config zone)"},
};
/* clang-format on */

const size_t mw_cfg_n_options = sizeof mw_cfg_options / sizeof mw_cfg_options[0];

static const char *const periods[] = {"week", "month", "quarter", "year",
                                      "range"};

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

/* "10MB", "1GB", "1500 bytes". */
static void fmt_size(int64_t v, char *buf, size_t n) {
  if (v && v % GB == 0) snprintf(buf, n, "%lldGB", (long long)(v / GB));
  else if (v && v % MB == 0) snprintf(buf, n, "%lldMB", (long long)(v / MB));
  else if (v && v % KB == 0) snprintf(buf, n, "%lldKB", (long long)(v / KB));
  else snprintf(buf, n, "%lld bytes", (long long)v);
}

/* "7d", "6h", "30m", "90s". */
void mw_cfg_format_duration(int64_t v, char *buf, size_t n) {
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
      snprintf(buf, n, "one of week, month, quarter, year, range");
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
      mw_cfg_format_duration(o->min, lo, sizeof lo);
      mw_cfg_format_duration(o->max, hi, sizeof hi);
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
    case MW_CFG_MEDIA:
      snprintf(buf, n, "one of auto, press, portal, social, complaint");
      break;
    case MW_CFG_RECEIVER_KIND: {
      size_t w = (size_t)snprintf(buf, n, "one of ");
      for (int k = 0; k < MW_RECEIVER_KIND_COUNT && w < n; k++)
        w += (size_t)snprintf(buf + w, n - w, "%s%s", k ? ", " : "",
                              mw_receiver_kind_name((enum mw_receiver_kind)k));
      break;
    }
    case MW_CFG_LEVEL: {
      /* From the one table of levels, so the words cannot drift. */
      const char *(*const forms[])(enum mw_alert_level) = {
          mw_alert_level_name, mw_alert_level_label_zh, mw_alert_level_color};
      size_t w = (size_t)snprintf(buf, n, "an alert level: 1 to 4");
      for (size_t f = 0; f < 3 && w < n; f++)
        for (int l = 1; l <= 4 && w < n; l++)
          w += (size_t)snprintf(buf + w, n - w, "%s%s", l == 1 ? ", " : "/",
                                forms[f]((enum mw_alert_level)l));
      break;
    }
    case MW_CFG_CLOCK: snprintf(buf, n, "a time of day such as 08:00"); break;
    case MW_CFG_WINDOW:
      snprintf(buf, n, "a time window such as 22:00-07:00");
      break;
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
    case MW_CFG_MEDIA: {
      int k = -1;
      if (strcmp(text, "auto") && (mw_doc_kind_parse(text, &k) || k == 0))
        return MW_EINVAL;
      *(int *)field = k;
      return MW_OK;
    }
    case MW_CFG_RECEIVER_KIND: {
      enum mw_receiver_kind k;
      if (mw_receiver_kind_parse(text, &k)) return MW_EINVAL;
      *(enum mw_receiver_kind *)field = k;
      return MW_OK;
    }
    case MW_CFG_LEVEL: {
      enum mw_alert_level l;
      if (mw_alert_level_parse(text, &l)) return MW_EINVAL;
      *(int64_t *)field = (int64_t)l;
      return MW_OK;
    }
    case MW_CFG_CLOCK: {
      int m;
      if (mw_clock_parse(text, &m, NULL)) return MW_EINVAL;
      int rc = set_string(field, text, false);
      if (!rc) *(int *)((char *)base + o->count_offset) = m;
      return rc;
    }
    case MW_CFG_WINDOW: {
      struct mw_clock_window w;
      if (mw_clock_window_parse(text, &w, NULL)) return MW_EINVAL;
      int rc = set_string(field, text, false);
      if (!rc)
        *(struct mw_clock_window *)((char *)base + o->count_offset) = w;
      return rc;
    }
    case MW_CFG_MAP:
    case MW_CFG_LIST:
    case MW_CFG_STRLIST:
      break;
  }
  return MW_EINVAL;
}

bool mw_cfg_explain(const struct mw_cfg_option *o, const char *text,
                    char *buf, size_t n) {
  struct mw_err err = {0};
  int m;
  struct mw_clock_window w;
  if (o->type == MW_CFG_CLOCK && mw_clock_parse(text, &m, &err)) {
    snprintf(buf, n, "%s", err.msg);
    return true;
  }
  if (o->type == MW_CFG_WINDOW && mw_clock_window_parse(text, &w, &err)) {
    snprintf(buf, n, "%s", err.msg);
    return true;
  }
  return false;
}

int mw_cfg_set_defaults(enum mw_cfg_section section, void *base) {
  for (size_t i = 0; i < mw_cfg_n_options; i++) {
    const struct mw_cfg_option *o = &mw_cfg_options[i];
    if (o->section != section) continue;
    if (o->type == MW_CFG_WINDOW)
      *(struct mw_clock_window *)((char *)base + o->count_offset) =
          (struct mw_clock_window){-1, -1};
    if (!o->def) continue;
    int rc = mw_cfg_set(o, base, o->def);
    if (rc) return rc; /* only ENOMEM: the table's defaults are valid */
  }
  return MW_OK;
}

/* ------------------------------------------------- for the reference */

void mw_cfg_type_name(const struct mw_cfg_option *o, char *buf, size_t n) {
  char lo[32], hi[32];
  switch (o->type) {
    case MW_CFG_STRING: snprintf(buf, n, "string"); break;
    case MW_CFG_PATH: snprintf(buf, n, "path"); break;
    case MW_CFG_ZONE: snprintf(buf, n, "time zone"); break;
    case MW_CFG_URL: snprintf(buf, n, "http(s) URL"); break;
    case MW_CFG_PERIOD:
      snprintf(buf, n, "week, month, quarter, year or range");
      break;
    case MW_CFG_INT:
      snprintf(buf, n, "integer %lld..%lld", (long long)o->min, (long long)o->max);
      break;
    case MW_CFG_SIZE:
      fmt_size(o->min, lo, sizeof lo);
      fmt_size(o->max, hi, sizeof hi);
      snprintf(buf, n, "size %s..%s", lo, hi);
      break;
    case MW_CFG_DURATION:
      mw_cfg_format_duration(o->min, lo, sizeof lo);
      mw_cfg_format_duration(o->max, hi, sizeof hi);
      snprintf(buf, n, "duration %s..%s", lo, hi);
      break;
    case MW_CFG_BOOL: snprintf(buf, n, "true or false"); break;
    case MW_CFG_TIER:
    case MW_CFG_TIER_ANY:
    case MW_CFG_KIND:
    case MW_CFG_MEDIA:
    case MW_CFG_RECEIVER_KIND: mw_cfg_describe(o, buf, n); break;
    case MW_CFG_LEVEL: snprintf(buf, n, "alert level 1..4"); break;
    case MW_CFG_CLOCK: snprintf(buf, n, "time of day HH:MM"); break;
    case MW_CFG_WINDOW: snprintf(buf, n, "time window HH:MM-HH:MM"); break;
    case MW_CFG_MAP: snprintf(buf, n, "mapping"); break;
    case MW_CFG_LIST: snprintf(buf, n, "list"); break;
    case MW_CFG_STRLIST: snprintf(buf, n, "list of strings"); break;
  }
}
