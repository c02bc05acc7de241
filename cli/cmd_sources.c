/*
 * cmd_sources.c: `mediawatch sources check|import|export`: looking at one
 * feed the way the crawler would, and exchanging source lists as OPML.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "crawler/crawler.h"

#define CHECK_FILE_MAX (64u << 20)

static const char sources_help[] =
    "usage: mediawatch sources check URL|FILE [--json] [--base-url URL]\n"
    "                                         [--config FILE]\n"
    "       mediawatch sources import FILE.opml [--tier TIER] [--config FILE]\n"
    "       mediawatch sources export [--config FILE]\n\n"
    "check   fetches one feed (or reads a saved one) and shows what mediawatch\n"
    "        makes of it: feed title and link, each entry's title, link, id,\n"
    "        published and updated times (ISO 8601, UTC), author and the first\n"
    "        200 characters of its text, and whether the document was\n"
    "        well-formed or had to be recovered. --json prints every field in\n"
    "        full, with the detected encoding and the feed format. The crawler\n"
    "        settings (user agent, limits, robots.txt, private addresses) come\n"
    "        from --config when given, else the defaults.\n"
    "import  prints the outlets of an OPML file as config entries to append\n"
    "        under 'outlets:', skipping URLs the config already has. Outline\n"
    "        attributes tier and region are used; --tier sets the tier of\n"
    "        outlines that have none (default portal).\n"
    "export  prints the config's outlets and sources as OPML 2.0.\n";

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

/* ------------------------------------------------------------- printing */

static void iso_or_dash(int64_t t, char *buf, size_t n) {
  if (t == MW_TIME_UNKNOWN) snprintf(buf, n, "-");
  else mw_time_format_iso_utc(t, buf, n);
}

/* Prints at most max_chars UTF-8 characters of s, newlines as spaces. */
static void print_prefix(const char *s, size_t max_chars) {
  if (!s) {
    fputs("-", stdout);
    return;
  }
  size_t chars = 0, i = 0;
  while (s[i] && chars < max_chars) {
    size_t len = 1;
    unsigned char c = (unsigned char)s[i];
    if (c >= 0xF0) len = 4;
    else if (c >= 0xE0) len = 3;
    else if (c >= 0xC0) len = 2;
    for (size_t k = 1; k < len; k++)
      if (!s[i + k]) len = k;
    if (c == '\n' || c == '\r' || c == '\t') fputc(' ', stdout);
    else fwrite(s + i, 1, len, stdout);
    i += len;
    chars++;
  }
  if (s[i]) fputs("…", stdout);
}

static void print_text(const struct mw_feed *feed) {
  printf("format:   %s\n", mw_feed_format_name(feed->format));
  printf("encoding: %s\n", feed->encoding ? feed->encoding : "-");
  printf("document: %s\n", feed->recovered ? "not well-formed, recovered"
                                           : "well-formed");
  printf("title:    %s\n", feed->title ? feed->title : "-");
  printf("link:     %s\n", feed->link ? feed->link : "-");
  printf("entries:  %zu\n", feed->n_entries);
  for (size_t i = 0; i < feed->n_problems; i++)
    printf("problem:  %s\n", feed->problems[i]);
  for (size_t i = 0; i < feed->n_entries; i++) {
    const struct mw_feed_entry *e = &feed->entries[i];
    char pub[32], upd[32];
    iso_or_dash(e->published, pub, sizeof pub);
    iso_or_dash(e->updated, upd, sizeof upd);
    printf("\n[%zu] %s\n", i + 1, e->title ? e->title : "(no title)");
    printf("    link:      %s\n", e->link ? e->link : "-");
    printf("    id:        %s\n", e->id ? e->id : "-");
    printf("    published: %s\n    updated:   %s\n", pub, upd);
    printf("    author:    %s\n", e->author ? e->author : "-");
    fputs("    text:      ", stdout);
    print_prefix(e->text, 200);
    fputc('\n', stdout);
  }
}

static json_t *str_or_null(const char *s) {
  return s ? json_string(s) : json_null();
}

static json_t *time_or_null(int64_t t) {
  if (t == MW_TIME_UNKNOWN) return json_null();
  char buf[32];
  mw_time_format_iso_utc(t, buf, sizeof buf);
  return json_string(buf);
}

static int print_json(const struct mw_feed *feed, const char *source) {
  json_t *root = json_object();
  json_object_set_new(root, "source", json_string(source));
  json_object_set_new(root, "format",
                      json_string(mw_feed_format_name(feed->format)));
  json_object_set_new(root, "encoding", str_or_null(feed->encoding));
  json_object_set_new(root, "well_formed", json_boolean(!feed->recovered));
  json_object_set_new(root, "title", str_or_null(feed->title));
  json_object_set_new(root, "link", str_or_null(feed->link));
  json_t *problems = json_array();
  for (size_t i = 0; i < feed->n_problems; i++)
    json_array_append_new(problems, json_string(feed->problems[i]));
  json_object_set_new(root, "problems", problems);
  json_t *entries = json_array();
  for (size_t i = 0; i < feed->n_entries; i++) {
    const struct mw_feed_entry *e = &feed->entries[i];
    json_t *o = json_object();
    json_object_set_new(o, "title", str_or_null(e->title));
    json_object_set_new(o, "link", str_or_null(e->link));
    json_object_set_new(o, "id", str_or_null(e->id));
    json_object_set_new(o, "published", time_or_null(e->published));
    json_object_set_new(o, "updated", time_or_null(e->updated));
    json_object_set_new(o, "author", str_or_null(e->author));
    json_object_set_new(o, "text", str_or_null(e->text));
    json_array_append_new(entries, o);
  }
  json_object_set_new(root, "entries", entries);
  int rc = json_dumpf(root, stdout, JSON_INDENT(2));
  fputc('\n', stdout);
  json_decref(root);
  return rc == 0 ? MW_OK : MW_EIO;
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

static int cmd_check(const char *target, const char *cfg_path,
                     const char *base_url, bool as_json) {
  struct mw_err err = {0};
  struct mw_config *cfg = check_config(cfg_path, &err);
  if (!cfg) {
    mw_cli_error("%s", err.msg);
    return MW_EXIT_USAGE;
  }
  struct fetched f = {0};
  mw_buf_init(&f.body, mw_url_is_http(target) ? (size_t)cfg->crawler.max_body_bytes
                                              : CHECK_FILE_MAX);
  int rc;
  const char *base = base_url;
  if (mw_url_is_http(target)) {
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
    struct mw_feed *feed = NULL;
    int offset = mw_tz_offset_at(cfg->tz, (int64_t)time(NULL));
    rc = mw_feed_parse(f.body.data ? f.body.data : "", f.body.len, f.charset,
                       base, offset, NULL, &feed, &err);
    if (rc) {
      mw_cli_error("%s: %s", target, err.msg);
      status = MW_EXIT_FAIL;
    } else {
      if (as_json) print_json(feed, target);
      else print_text(feed);
      mw_feed_free(feed);
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
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  const char *cfg_path = NULL, *base_url = NULL, *tier = "portal";
  bool as_json = false;
  int c;
  optind = 0;
  while ((c = getopt_long(argc, argv, "c:jb:t:h", opts, NULL)) != -1) {
    switch (c) {
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
    return cmd_check(argv[optind + 1], cfg_path, base_url, as_json);
  if (!strcmp(verb, "import") && rest == 2)
    return cmd_import(argv[optind + 1], cfg_path, tier);
  if (!strcmp(verb, "export") && rest == 1)
    return cmd_export(cfg_path ? cfg_path : MW_DEFAULT_CONFIG);
  fputs(sources_help, stderr);
  return MW_EXIT_USAGE;
}
