/*
 * cmd_sources.c: `mediawatch sources check|import|export`: looking at one
 * feed the way the crawler would, and exchanging source lists as OPML.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/check.h"
#include "cli/pipeline.h"
#include "crawler/crawler.h"

#define CHECK_FILE_MAX (64u << 20)

static const char sources_help[] =
    "usage: mediawatch sources check URL|FILE [--kind KIND] [--json]\n"
    "                                [--base-url URL] [--config FILE]\n"
    "       mediawatch sources import FILE.opml [--tier TIER] [--config FILE]\n"
    "       mediawatch sources export [--config FILE]\n"
    "       mediawatch sources health [--json] [--config FILE]\n\n"
    "check   fetches one page (or reads a saved one, --base-url giving its\n"
    "        address) and shows what mediawatch would do with it. KIND is feed,\n"
    "        html (a listing page: the article links, next pages and\n"
    "        attachments found), sitemap, or article (title, time, 来源,\n"
    "        author, editor, the first 200 characters of body, the charset and\n"
    "        why); without --kind, feeds and sitemaps are recognised and other\n"
    "        HTML is shown as a listing. For a feed: each entry's title, link,\n"
    "        id, published and updated times (ISO 8601, UTC), author and text,\n"
    "        and whether it was well-formed. --json prints every field in\n"
    "        full. The crawler settings (user agent, limits, robots.txt, private\n"
    "        addresses) come from --config when given, else the defaults.\n"
    "import  prints the outlets of an OPML file as config entries to append\n"
    "        under 'outlets:', skipping URLs the config already has. Outline\n"
    "        attributes tier and region are used; --tier sets the tier of\n"
    "        outlines that have none (default portal).\n"
    "export  prints the config's outlets and sources as OPML 2.0.\n"
    "health  judges every source from what the crawls recorded: ok,\n"
    "        degraded or broken, with each reason and its evidence\n"
    "        (unreachable, a listing or feed yielding no or far fewer links,\n"
    "        titles, dates, 来源 or bodies missing, mojibake, silent for\n"
    "        weeks, permanently redirected), the poll interval in force and\n"
    "        when the newest article came. Exit status 1 when any source is\n"
    "        degraded or broken. --json prints every field.\n";

/* ------------------------------------------------------------- reading */

struct fetched {
  struct mw_crawler *crawler;
  struct mw_buf body;
  char *charset;
  char *final_url;
  char *error;
  long http_status;
  double elapsed_ms;
};

enum check_kind { CHECK_AUTO, CHECK_FEED, CHECK_HTML, CHECK_SITEMAP, CHECK_ARTICLE };

static void on_check_fetch(const struct mw_fetch_result *res, void *user) {
  struct fetched *f = user;
  f->http_status = res->http_status;
  f->elapsed_ms = res->elapsed_ms;
  if (res->status != MW_FETCH_OK) {
    f->error = mw_strdup(res->error ? res->error : "fetch failed");
    return;
  }
  if (mw_buf_append(&f->body, res->body, res->body_len))
    f->error = mw_strdup("out of memory");
  f->charset = res->charset ? mw_strdup(res->charset) : NULL;
  f->final_url = res->final_url ? mw_strdup(res->final_url) : NULL;
}

static void on_check_idle(void *user) {
  struct fetched *f = user;
  mw_crawler_close(f->crawler, NULL, NULL);
}

static int fetch_one(const struct mw_crawler_conf *conf, const char *url,
                     struct fetched *f, struct mw_err *err) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  struct mw_crawler *c = NULL;
  struct mw_crawl_source src = {.url = url, .interval_s = 60};
  int rc = mw_crawler_new(&loop, conf, on_check_fetch, f, &c, err);
  if (!rc) rc = mw_crawler_add(c, &src);
  if (!rc) {
    f->crawler = c;
    mw_crawler_run_once(c, on_check_idle, f);
    uv_run(&loop, UV_RUN_DEFAULT);
  } else if (c) {
    mw_crawler_close(c, NULL, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    mw_err_set(err, rc, "%s: cannot be fetched: %s", url, mw_strerror(rc));
  }
  mw_crawler_free(c);
  uv_loop_close(&loop);
  return rc;
}

static int read_file(const char *path, struct mw_buf *out, struct mw_err *err) {
  FILE *fp = fopen(path, "rb");
  if (!fp) return mw_err_set(err, MW_EIO, "%s: cannot open", path);
  char chunk[65536];
  size_t n;
  int rc = MW_OK;
  while (rc == MW_OK && (n = fread(chunk, 1, sizeof chunk, fp)) > 0)
    rc = mw_buf_append(out, chunk, n);
  fclose(fp);
  if (rc)
    return mw_err_set(err, rc, "%s: larger than %u MB", path,
                      CHECK_FILE_MAX >> 20);
  return MW_OK;
}

/* ------------------------------------------------------------ commands */

/* The crawler settings for a check: the config's when one is given, else
 * the defaults of the config table (via a minimal config). */
static struct mw_config *check_config(const char *cfg_path, struct mw_err *err) {
  struct mw_config *cfg = NULL;
  if (cfg_path) {
    if (mw_config_load(cfg_path, &cfg, err)) return NULL;
    return cfg;
  }
  static const char minimal[] =
      "outlets:\n  - name: check\n    tier: portal\n    sources:\n"
      "      - url: http://localhost/\n";
  if (mw_config_load_string(minimal, sizeof minimal - 1, "(defaults)", &cfg,
                            err))
    return NULL;
  return cfg;
}

static double cpu_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Feeds and sitemaps announce themselves in their first bytes. */
static enum check_kind sniff(const char *data, size_t len) {
  size_t n = len < 2048 ? len : 2048;
  const char *marks[] = {"<rss", "<feed", "<rdf:RDF", "<RDF"};
  for (size_t i = 0; i < 4; i++)
    if (memmem(data, n, marks[i], strlen(marks[i]))) return CHECK_FEED;
  if (memmem(data, n, "<urlset", 7) || memmem(data, n, "<sitemapindex", 13) ||
      (len > 2 && (unsigned char)data[0] == 0x1f && (unsigned char)data[1] == 0x8b))
    return CHECK_SITEMAP;
  return CHECK_HTML;
}

static int show(enum check_kind kind, const struct fetched *f,
                const char *target, const char *base, int offset,
                const struct mw_source_conf *rules, bool as_json,
                struct mw_err *err) {
  const char *data = f->body.data ? f->body.data : "";
  size_t len = f->body.len;
  struct mw_check_timing t = {.fetch_ms = f->elapsed_ms};
  double t0 = cpu_ms();
  if (kind == CHECK_AUTO) kind = sniff(data, len);
  int rc;
  if (kind == CHECK_FEED) {
    struct mw_feed *feed = NULL;
    rc = mw_feed_parse(data, len, f->charset, base, offset, NULL, &feed, err);
    t.process_ms = cpu_ms() - t0;
    if (!rc) mw_check_print_feed(feed, target, &t, as_json);
    mw_feed_free(feed);
  } else if (kind == CHECK_SITEMAP) {
    struct mw_sitemap *sm = NULL;
    rc = mw_sitemap_parse(data, len, base, offset, &sm, err);
    t.process_ms = cpu_ms() - t0;
    if (!rc) mw_check_print_sitemap(sm, target, &t, as_json);
    mw_sitemap_free(sm);
  } else if (kind == CHECK_ARTICLE) {
    struct mw_article_rules r;
    mw_cli_article_rules(rules, &r);
    struct mw_extracted *x = NULL;
    rc = mw_article_extract(data, len, f->charset, base, offset, &r, &x, err);
    t.process_ms = cpu_ms() - t0;
    if (!rc) mw_check_print_article(x, target, &t, as_json);
    mw_extracted_free(x);
  } else {
    struct mw_listing_rules r = {.links_xpath = rules ? rules->links_xpath : NULL};
    struct mw_listing *l = NULL;
    rc = mw_listing_parse(data, len, f->charset, base, offset, &r, &l, err);
    t.process_ms = cpu_ms() - t0;
    if (!rc) mw_check_print_listing(l, target, &t, as_json);
    mw_listing_free(l);
  }
  return rc;
}

/* The config's entry for the URL being checked, for its XPath rules. */
static const struct mw_source_conf *rules_for(const struct mw_config *cfg,
                                              const char *url) {
  for (size_t i = 0; i < cfg->n_outlets; i++)
    for (size_t k = 0; k < cfg->outlets[i].n_sources; k++)
      if (!strcmp(cfg->outlets[i].sources[k].url, url))
        return &cfg->outlets[i].sources[k];
  return NULL;
}

static int cmd_check(const char *target, const char *cfg_path,
                     const char *base_url, enum check_kind kind,
                     bool as_json) {
  struct mw_err err = {0};
  struct mw_config *cfg = check_config(cfg_path, &err);
  if (!cfg) {
    mw_cli_error("%s", err.msg);
    return MW_EXIT_USAGE;
  }
  struct fetched f = {0};
  bool remote = mw_url_is_http(target);
  mw_buf_init(&f.body, remote ? (size_t)cfg->crawler.max_body_bytes
                              : CHECK_FILE_MAX);
  int rc;
  const char *base = base_url;
  if (remote) {
    rc = fetch_one(&cfg->crawler, target, &f, &err);
    if (!rc && f.error) rc = mw_err_set(&err, MW_ENET, "%s", f.error);
    if (!base) base = f.final_url ? f.final_url : target;
  } else {
    rc = read_file(target, &f.body, &err);
  }
  int status = MW_EXIT_OK;
  if (rc) {
    mw_cli_error("%s", err.msg);
    status = MW_EXIT_FAIL;
  } else {
    int offset = mw_tz_offset_at(cfg->tz, (int64_t)time(NULL));
    const struct mw_source_conf *rules = rules_for(cfg, remote ? target : "");
    if (show(kind, &f, target, base, offset, rules, as_json, &err)) {
      mw_cli_error("%s: %s", target, err.msg);
      status = MW_EXIT_FAIL;
    }
  }
  mw_buf_cleanup(&f.body);
  free(f.charset);
  free(f.final_url);
  free(f.error);
  mw_config_free(cfg);
  return status;
}

/* Quotes a YAML scalar so names with ':' or '#' survive. */
static void yaml_quoted(const char *s) {
  fputc('"', stdout);
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') fputc('\\', stdout);
    if ((unsigned char)*s < 0x20) fputc(' ', stdout);
    else fputc(*s, stdout);
  }
  fputc('"', stdout);
}

static bool config_has_url(const struct mw_config *cfg, const char *url) {
  if (!cfg) return false;
  for (size_t i = 0; i < cfg->n_outlets; i++)
    for (size_t k = 0; k < cfg->outlets[i].n_sources; k++)
      if (!strcmp(cfg->outlets[i].sources[k].url, url)) return true;
  return false;
}

static int cmd_import(const char *path, const char *cfg_path,
                      const char *default_tier) {
  struct mw_err err = {0};
  enum mw_tier tier;
  if (mw_tier_parse(default_tier, &tier)) {
    mw_cli_error("--tier: '%s' is not a tier (central, provincial, city, "
                 "county, portal, new-media)", default_tier);
    return MW_EXIT_USAGE;
  }
  struct mw_config *cfg = NULL;
  if (cfg_path && mw_config_load(cfg_path, &cfg, &err)) {
    mw_cli_error("%s", err.msg);
    return MW_EXIT_USAGE;
  }
  struct mw_buf data;
  mw_buf_init(&data, CHECK_FILE_MAX);
  struct mw_opml *opml = NULL;
  int rc = read_file(path, &data, &err);
  if (!rc) rc = mw_opml_parse(data.data ? data.data : "", data.len, &opml, &err);
  mw_buf_cleanup(&data);
  if (rc) {
    mw_cli_error("%s: %s", path, err.msg);
    mw_config_free(cfg);
    return MW_EXIT_FAIL;
  }
  size_t added = 0, skipped = 0;
  printf("# outlets imported from %s: append under 'outlets:'\n", path);
  for (size_t i = 0; i < opml->n_sources; i++) {
    const struct mw_opml_source *s = &opml->sources[i];
    enum mw_tier t = tier;
    if (!s->url || !mw_url_is_http(s->url) || config_has_url(cfg, s->url)) {
      skipped++;
      continue;
    }
    if (s->tier && mw_tier_parse(s->tier, &t)) t = tier;
    fputs("  - name: ", stdout);
    yaml_quoted(s->outlet && *s->outlet ? s->outlet : s->url);
    printf("\n    tier: %s\n", mw_tier_name(t));
    if (s->region) {
      fputs("    region: ", stdout);
      yaml_quoted(s->region);
      fputc('\n', stdout);
    }
    fputs("    sources:\n      - url: ", stdout);
    yaml_quoted(s->url);
    printf("\n        kind: %s\n", s->kind ? s->kind : "feed");
    added++;
  }
  fprintf(stderr, "mediawatch: %zu outlets to add, %zu skipped (already in "
                  "the config, or not an http(s) feed)\n", added, skipped);
  mw_opml_free(opml);
  mw_config_free(cfg);
  return MW_EXIT_OK;
}

static int cmd_export(const char *cfg_path) {
  struct mw_err err = {0};
  struct mw_config *cfg = NULL;
  if (mw_config_load(cfg_path, &cfg, &err)) {
    mw_cli_error("%s", err.msg);
    return MW_EXIT_USAGE;
  }
  struct mw_buf out;
  mw_buf_init(&out, 64u << 20);
  int rc = mw_opml_write(cfg, &out, &err);
  if (!rc) fwrite(out.data, 1, out.len, stdout);
  else mw_cli_error("%s", err.msg);
  mw_buf_cleanup(&out);
  mw_config_free(cfg);
  return rc ? MW_EXIT_FAIL : MW_EXIT_OK;
}

int mw_cmd_sources(int argc, char **argv) {
  static const struct option opts[] = {
      {"config", required_argument, NULL, 'c'},
      {"json", no_argument, NULL, 'j'},
      {"base-url", required_argument, NULL, 'b'},
      {"tier", required_argument, NULL, 't'},
      {"kind", required_argument, NULL, 'k'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  const char *cfg_path = NULL, *base_url = NULL, *tier = "portal";
  bool as_json = false;
  enum check_kind kind = CHECK_AUTO;
  static const char *const kinds[] = {"auto", "feed", "html", "sitemap",
                                      "article"};
  int c;
  optind = 0;
  while ((c = getopt_long(argc, argv, "c:jb:t:k:h", opts, NULL)) != -1) {
    switch (c) {
      case 'k': {
        size_t i = 0;
        while (i < 5 && strcmp(optarg, kinds[i])) i++;
        if (i == 5) {
          mw_cli_error("--kind: '%s' is not one of feed, html, sitemap, "
                       "article", optarg);
          return MW_EXIT_USAGE;
        }
        kind = (enum check_kind)i;
        break;
      }
      case 'c': cfg_path = optarg; break;
      case 'j': as_json = true; break;
      case 'b': base_url = optarg; break;
      case 't': tier = optarg; break;
      case 'h': fputs(sources_help, stdout); return MW_EXIT_OK;
      default: fputs(sources_help, stderr); return MW_EXIT_USAGE;
    }
  }
  int rest = argc - optind;
  const char *verb = rest > 0 ? argv[optind] : "";
  if (!strcmp(verb, "check") && rest == 2)
    return cmd_check(argv[optind + 1], cfg_path, base_url, kind, as_json);
  if (!strcmp(verb, "import") && rest == 2)
    return cmd_import(argv[optind + 1], cfg_path, tier);
  if (!strcmp(verb, "health") && rest == 1)
    return mw_cmd_sources_health(cfg_path, as_json);
  if (!strcmp(verb, "export") && rest == 1)
    return cmd_export(cfg_path ? cfg_path : MW_DEFAULT_CONFIG);
  fputs(sources_help, stderr);
  return MW_EXIT_USAGE;
}
