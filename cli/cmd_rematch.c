/*
 * cmd_rematch.c: `mediawatch rematch --since DATE`: after a rule change,
 * match the stored articles again with the config's topics and record the
 * new verdicts, in one transaction, and say per topic what changed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "crawler/crawler.h"
#include "matchers/matchers.h"
#include "store/store.h"

static const char rematch_help[] =
    "usage: mediawatch rematch [--since DATE] [--config FILE]\n\n"
    "Matches the stored articles counted since DATE (publication time, else\n"
    "first seen; default: all) against the config's topics again and records\n"
    "the new verdicts, so a rule change reaches past counts. Prints, per\n"
    "topic, the articles before and after and how many were added and\n"
    "removed. Topics no longer in the config lose their matches.\n\n"
    "  -s, --since DATE   e.g. 2023-05-01 or 2023-05-01 08:00 (config zone)\n"
    "  -c, --config FILE  config file (default mediawatch.yaml)\n";

struct tally {
  int64_t before, after, added, removed;
};

struct rematch {
  const struct mw_config *cfg;
  struct mw_store *store;
  const struct mw_matcher *m;
  struct mw_topic_result *results;
  struct tally *tally; /* per config topic */
  int64_t articles, changed, dropped_matches;
  struct mw_err *err;
};

/* Counts the recorded topics that are no longer in the config. */
static int64_t obsolete_topics(const struct rematch *r, const char *topics) {
  if (!topics) return 0;
  int64_t n = 0;
  for (const char *p = topics; *p;) {
    const char *end = strchr(p, '\x1f');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    bool known = false;
    for (size_t t = 0; t < mw_matcher_topic_count(r->m) && !known; t++) {
      const char *name = mw_matcher_topic_name(r->m, t);
      known = strlen(name) == len && !memcmp(name, p, len);
    }
    n += !known;
    if (!end) break;
    p = end + 1;
  }
  return n;
}

void mw_cli_doc_of_stored(const struct mw_stored_article *a,
                          struct mw_doc *doc) {
  *doc = (struct mw_doc){
      .title = {a->title, a->title ? strlen(a->title) : 0},
      .body = {a->text, a->text ? strlen(a->text) : 0},
      .source = {a->origin, a->origin ? strlen(a->origin) : 0},
      .outlet = {a->outlet, a->outlet ? strlen(a->outlet) : 0},
      .kind = mw_doc_kind_of_tier(a->tier),
  };
}

static int visit(const struct mw_stored_article *a, void *user) {
  struct rematch *r = user;
  struct mw_doc doc;
  mw_cli_doc_of_stored(a, &doc);
  int rc = mw_matcher_match(r->m, &doc, r->results, r->err);
  if (rc < 0) return rc;
  r->articles++;
  size_t n = mw_matcher_topic_count(r->m);
  int64_t stale = obsolete_topics(r, a->topics);
  bool differs = stale > 0;
  for (size_t t = 0; t < n; t++) {
    bool was = mw_store_topics_has(a->topics, mw_matcher_topic_name(r->m, t));
    bool is = r->results[t].matched;
    r->tally[t].before += was;
    r->tally[t].after += is;
    r->tally[t].added += is && !was;
    r->tally[t].removed += was && !is;
    differs |= was != is;
  }
  if (!differs) return MW_OK;
  r->changed++;
  r->dropped_matches += stale;
  rc = mw_store_clear_matches(r->store, a->id, r->err);
  for (size_t t = 0; t < n && rc == MW_OK; t++)
    if (r->results[t].matched)
      rc = mw_store_add_match(r->store, a->id, mw_matcher_topic_name(r->m, t),
                              r->results[t].terms, r->err);
  return rc;
}

static int run(const struct mw_config *cfg, const struct mw_matcher *m,
               int64_t since) {
  struct mw_err err = {0};
  struct stat sb;
  if (stat(cfg->storage_path, &sb) != 0) {
    mw_cli_error("no database at %s yet: nothing to rematch",
                 cfg->storage_path);
    return MW_EXIT_FAIL;
  }
  struct mw_store *st = NULL;
  if (mw_store_open(cfg->storage_path, &st, &err)) {
    mw_cli_error("%s", err.msg);
    return MW_EXIT_FAIL;
  }
  size_t n = mw_matcher_topic_count(m);
  struct rematch r = {.cfg = cfg, .store = st, .m = m, .err = &err};
  r.results = calloc(n ? n : 1, sizeof *r.results);
  r.tally = calloc(n ? n : 1, sizeof *r.tally);
  int rc = r.results && r.tally ? mw_store_begin(st, &err)
                                : mw_err_set(&err, MW_ENOMEM, "out of memory");
  if (!rc) rc = mw_store_each_article(st, since, visit, &r, &err);
  if (!rc) rc = mw_store_commit(st, &err);
  if (rc) {
    mw_store_rollback(st);
    mw_cli_error("%s (nothing was changed)", err.msg);
  } else {
    printf("articles: %lld checked, %lld changed\n", (long long)r.articles,
           (long long)r.changed);
    for (size_t t = 0; t < n; t++) {
      const struct tally *y = &r.tally[t];
      printf("%s: %lld -> %lld (+%lld, -%lld)%s\n",
             mw_matcher_topic_name(m, t), (long long)y->before,
             (long long)y->after, (long long)y->added, (long long)y->removed,
             mw_matcher_topic_valid(m, t) ? "" : "  [rule does not compile]");
    }
    if (r.dropped_matches)
      printf("matches of topics no longer in the config dropped: %lld\n",
             (long long)r.dropped_matches);
  }
  free(r.results);
  free(r.tally);
  mw_store_close(st);
  return rc ? MW_EXIT_FAIL : MW_EXIT_OK;
}

int mw_cmd_rematch(int argc, char **argv) {
  static const struct option opts[] = {
      {"config", required_argument, NULL, 'c'},
      {"since", required_argument, NULL, 's'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  const char *cfg_path = MW_DEFAULT_CONFIG, *since_text = NULL;
  int c;
  optind = 0;
  while ((c = getopt_long(argc, argv, "c:s:h", opts, NULL)) != -1) {
    switch (c) {
      case 'c': cfg_path = optarg; break;
      case 's': since_text = optarg; break;
      case 'h': fputs(rematch_help, stdout); return MW_EXIT_OK;
      default: fputs(rematch_help, stderr); return MW_EXIT_USAGE;
    }
  }
  if (optind != argc) {
    fputs(rematch_help, stderr);
    return MW_EXIT_USAGE;
  }
  struct mw_err err = {0};
  struct mw_config *cfg = NULL;
  if (mw_config_load(cfg_path, &cfg, &err)) {
    mw_cli_error("%s", err.msg);
    return MW_EXIT_USAGE;
  }
  int64_t since = 0;
  if (since_text) {
    /* A date without a zone is in the config's zone. */
    int offset = mw_tz_offset_at(cfg->tz, (int64_t)time(NULL));
    if (mw_date_parse(since_text, strlen(since_text), offset, &since)) {
      mw_cli_error("--since: '%s' is not a date; write it as 2023-05-01",
                   since_text);
      mw_config_free(cfg);
      return MW_EXIT_USAGE;
    }
  }
  struct mw_matcher *m = NULL;
  if (mw_matcher_new_config(cfg, &m, &err)) {
    mw_cli_error("%s: %s", cfg->path, err.msg);
    mw_config_free(cfg);
    return MW_EXIT_USAGE;
  }
  mw_cli_print_rule_errors(cfg, m, "mediawatch: warning: ");
  int status = run(cfg, m, since);
  mw_matcher_free(m);
  mw_config_free(cfg);
  return status;
}
