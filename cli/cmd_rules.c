/*
 * cmd_rules.c: `mediawatch rules diff`: what an edited copy of the config
 * would do to the archive before it is put in place. The topics whose
 * definition differs between the current config and the new one (or that
 * only one of them has) are matched again over the stored articles with
 * the new rules; per topic it prints the articles before and after, how
 * many would be added and removed with a few examples, then the coverage
 * targets whose status or count would change.
 *
 * Nothing is changed on disk: the new verdicts are written inside one
 * transaction so the targets can be counted by the store's own queries,
 * and that transaction is always rolled back (see evaluate()).
 *
 * What it leaves to others: loading configs (config.c), matching
 * (matchers/), the queries (store/), counting targets (report/gather.c).
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/cmd_rules.h"
#include "cli/commands.h"
#include "crawler/crawler.h"
#include "matchers/matchers.h"
#include "report/report.h"
#include "store/store.h"

static const char rules_help[] =
    "usage: mediawatch rules diff --config NEW.yaml [OPTIONS]\n\n"
    "Commands on the config's rules (topics):\n"
    "  diff   what an edited config would change in the counts, before\n"
    "         it is put in place; changes nothing\n\n"
    "'mediawatch rules diff --help' shows its options.\n";

static const char diff_help[] =
    "usage: mediawatch rules diff --config NEW.yaml [--current FILE]\n"
    "                             [--since DATE] [--examples N]\n"
    "                             [--as-of DATE] [--json]\n\n"
    "Compares the topics of NEW.yaml (an edited copy of the config) with\n"
    "those of the current config and matches the stored articles again\n"
    "with the new rules, for the topics that differ (keywords, rule,\n"
    "regions, subjects, events, exclude), were added or were removed.\n"
    "Prints per topic the articles before and after, how many would be\n"
    "added and removed with examples (newest first), then the coverage\n"
    "targets whose status or count would change. Nothing is written: the\n"
    "new verdicts are tried inside a transaction that is rolled back.\n"
    "The database is the current config's (NEW.yaml's storage is not\n"
    "used). The walk over the archive only reads; the crawler waits for\n"
    "the database only while the changed verdicts are tried.\n\n"
    "  -c, --config NEW.yaml  the edited config (required)\n"
    "  -C, --current FILE     the config in use (default mediawatch.yaml)\n"
    "  -s, --since DATE       only articles counted since DATE (e.g.\n"
    "                         2023-05-01, config zone; default: all)\n"
    "  -n, --examples N       examples per topic and direction (default 3,\n"
    "                         0..1000)\n"
    "  -a, --as-of DATE       targets as of the end of DATE (default: now)\n"
    "  -j, --json             one JSON object instead of text\n\n"
    "Exit status: 0 done (also when no topic differs), 1 no database or\n"
    "the store failed, 2 a config or an option is wrong.\n";

/* ------------------------------------------------------- topic diff */

static bool str_eq(const char *a, const char *b) {
  if (!a || !b) return a == b;
  return !strcmp(a, b);
}

/* The same words, in any order (a reordered list matches the same). */
static bool set_eq(char *const *a, size_t na, char *const *b, size_t nb) {
  if (na != nb) return false;
  for (size_t i = 0; i < na; i++) {
    bool found = false;
    for (size_t j = 0; j < nb && !found; j++) found = !strcmp(a[i], b[j]);
    if (!found) return false;
  }
  for (size_t j = 0; j < nb; j++) {
    bool found = false;
    for (size_t i = 0; i < na && !found; i++) found = !strcmp(a[i], b[j]);
    if (!found) return false;
  }
  return true;
}

static bool topic_same(const struct mw_topic_conf *a,
                       const struct mw_topic_conf *b) {
  return set_eq(a->keywords, a->n_keywords, b->keywords, b->n_keywords) &&
         str_eq(a->rule, b->rule) &&
         set_eq(a->regions, a->n_regions, b->regions, b->n_regions) &&
         set_eq(a->subjects, a->n_subjects, b->subjects, b->n_subjects) &&
         set_eq(a->events, a->n_events, b->events, b->n_events) &&
         set_eq(a->exclude, a->n_exclude, b->exclude, b->n_exclude);
}

static const struct mw_topic_conf *find_topic(const struct mw_config *cfg,
                                              const char *name) {
  for (size_t i = 0; i < cfg->n_topics; i++)
    if (!strcmp(cfg->topics[i].name, name)) return &cfg->topics[i];
  return NULL;
}

/* The topics that differ, in the new config's order, then the removed
 * ones in the current config's order. *out calloc'd (NULL when none). */
static int diff_topics(const struct mw_config *cur,
                       const struct mw_config *next, struct topic_diff **out,
                       size_t *n) {
  *out = NULL;
  *n = 0;
  struct topic_diff *v = calloc(cur->n_topics + next->n_topics + 1, sizeof *v);
  if (!v) return MW_ENOMEM;
  for (size_t i = 0; i < next->n_topics; i++) {
    const struct mw_topic_conf *old = find_topic(cur, next->topics[i].name);
    if (old && topic_same(old, &next->topics[i])) continue;
    v[*n] = (struct topic_diff){.name = next->topics[i].name,
                                .change = old ? CHANGED : ADDED,
                                .new_index = i,
                                .evaluated = true};
    ++*n;
  }
  for (size_t i = 0; i < cur->n_topics; i++) {
    if (find_topic(next, cur->topics[i].name)) continue;
    v[*n] = (struct topic_diff){
        .name = cur->topics[i].name, .change = REMOVED, .evaluated = true};
    ++*n;
  }
  if (!*n)
    free(v);
  else
    *out = v;
  return MW_OK;
}

static void examples_free(struct examples *e) {
  for (size_t i = 0; e->v && i < e->n; i++) {
    free(e->v[i].title);
    free(e->v[i].outlet);
    free(e->v[i].url);
  }
  free(e->v);
}

static void topics_free(struct topic_diff *t, size_t n) {
  for (size_t i = 0; t && i < n; i++) {
    examples_free(&t[i].plus);
    examples_free(&t[i].minus);
  }
  free(t);
}

/* --------------------------------------------------------- the walk */

/* Keeps a among the newest max examples of e (newest first: later
 * counted_at, then higher id). */
static int keep_example(struct examples *e, size_t max,
                        const struct mw_stored_article *a) {
  if (!max) return MW_OK;
  if (!e->v && !(e->v = calloc(max, sizeof *e->v))) return MW_ENOMEM;
  size_t at = e->n;
  while (at > 0 &&
         (e->v[at - 1].when < a->counted_at ||
          (e->v[at - 1].when == a->counted_at && e->v[at - 1].id < a->id)))
    at--;
  if (at >= max) return MW_OK;
  struct example x = {.when = a->counted_at,
                      .id = a->id,
                      .title = mw_strdup(a->title ? a->title : ""),
                      .outlet = mw_strdup(a->outlet ? a->outlet : ""),
                      .url = mw_strdup(a->url ? a->url : "")};
  if (!x.title || !x.outlet || !x.url) {
    free(x.title);
    free(x.outlet);
    free(x.url);
    return MW_ENOMEM;
  }
  if (e->n == max) { /* the oldest falls out */
    free(e->v[max - 1].title);
    free(e->v[max - 1].outlet);
    free(e->v[max - 1].url);
    e->n--;
  }
  memmove(&e->v[at + 1], &e->v[at], (e->n - at) * sizeof *e->v);
  e->v[at] = x;
  e->n++;
  return MW_OK;
}

/* Remembers a changed verdict for the write phase (evaluate()). A
 * rule edit changes hundreds of verdicts, a careless one a good share of
 * the archive: 16 bytes each. */
static int note_change(struct rules_diff *r, int64_t id, size_t topic,
                       bool add) {
  if (r->n_changes == r->cap_changes) {
    size_t cap = r->cap_changes ? r->cap_changes * 2 : 1024;
    struct match_change *v = realloc(r->changes, cap * sizeof *v);
    if (!v) return MW_ENOMEM;
    r->changes = v;
    r->cap_changes = cap;
  }
  r->changes[r->n_changes++] =
      (struct match_change){.article_id = id, .topic = (uint32_t)topic,
                            .add = add};
  return MW_OK;
}

/* Records the changed verdicts inside the caller's transaction. The terms
 * of an added match do not matter: the transaction is rolled back. */
static int apply_changes(struct rules_diff *r) {
  int rc = MW_OK;
  for (size_t i = 0; !rc && i < r->n_changes; i++) {
    const struct match_change *c = &r->changes[i];
    const char *topic = r->topics[c->topic].name;
    rc = c->add ? mw_store_add_match(r->store, c->article_id, topic, "", r->err)
                : mw_store_remove_match(r->store, c->article_id, topic, r->err);
  }
  return rc;
}

static int visit(const struct mw_stored_article *a, void *user) {
  struct rules_diff *r = user;
  struct mw_doc doc;
  mw_cli_doc_of_stored(a, &doc);
  int rc = mw_matcher_match(r->m, &doc, r->results, r->err);
  if (rc < 0) return rc;
  r->articles++;
  for (size_t i = 0; i < r->n_topics; i++) {
    struct topic_diff *d = &r->topics[i];
    if (!d->evaluated) continue;
    bool was = mw_store_topics_has(a->topics, d->name);
    bool is = d->change != REMOVED && r->results[d->new_index].matched;
    d->before += was;
    d->after += is;
    if (was == is) continue;
    d->added += is;
    d->removed += was;
    if (keep_example(is ? &d->plus : &d->minus, r->max_examples, a) ||
        note_change(r, a->id, i, is))
      return mw_err_set(r->err, MW_ENOMEM, "out of memory");
  }
  return MW_OK;
}

/* ------------------------------------------------------- the targets */


/* The targets of cfg as the store counts them now, in the target period
 * holding the last day of p, judged as of as_of; *rows calloc'd. */
static int count_targets(const struct mw_config *cfg, struct mw_store *st,
                         const struct mw_report_period *p, int64_t as_of,
                         struct mw_report_data **data, struct target_row **rows,
                         size_t *n, struct mw_err *err) {
  *data = NULL;
  *rows = NULL;
  *n = 0;
  if (!cfg->n_targets) return MW_OK;
  int rc = mw_report_gather(cfg, st, p, MW_GATHER_TARGETS, data, err);
  if (rc) return rc;
  const struct mw_report_input *in = mw_report_data_input(*data);
  *rows = calloc(in->n_targets + 1, sizeof **rows);
  if (!*rows) return mw_err_set(err, MW_ENOMEM, "out of memory");
  for (size_t i = 0; i < in->n_targets; i++) {
    const struct mw_report_target *t = &in->targets[i];
    (*rows)[i] =
        (struct target_row){.name = t->name,
                            .count = t->count,
                            .min = t->min,
                            .status = mw_report_target_status(t, as_of)};
  }
  *n = in->n_targets;
  return MW_OK;
}

/* The targets whose status or count differs, or that only one config
 * has: the new config's order, then the removed ones. */
static size_t diff_targets(const struct target_row *before, size_t nb,
                           const struct target_row *after, size_t na,
                           struct target_diff *out) {
  size_t n = 0;
  for (size_t i = 0; i < na; i++) {
    const struct target_row *b = NULL;
    for (size_t j = 0; j < nb && !b; j++)
      if (!strcmp(before[j].name, after[i].name)) b = &before[j];
    if (b && b->status == after[i].status && b->count == after[i].count &&
        b->min == after[i].min)
      continue;
    out[n++] = (struct target_diff){b, &after[i]};
  }
  for (size_t j = 0; j < nb; j++) {
    bool kept = false;
    for (size_t i = 0; i < na && !kept; i++)
      kept = !strcmp(before[j].name, after[i].name);
    if (!kept) out[n++] = (struct target_diff){&before[j], NULL};
  }
  return n;
}

/* ---------------------------------------------------------- the run */

struct options {
  int64_t since;
  bool has_as_of;
  int64_t as_of_day; /* days since 1970-01-01, when has_as_of */
  bool json;
};

/* The one-day period the targets are judged in (today, or --as-of's day)
 * and the instant they are judged at (now, or the end of that day). */
static int target_period(const struct mw_config *cfg, const struct options *o,
                         struct mw_report_period *p, int64_t *as_of,
                         struct mw_err *err) {
  int64_t now = (int64_t)time(NULL);
  char day[16];
  if (o->has_as_of) {
    int y, mo, d;
    mw_civil_from_days(o->as_of_day, &y, &mo, &d);
    snprintf(day, sizeof day, "%04d-%02d-%02d", y, mo, d);
  } else {
    mw_rules_local_day(cfg, now, day, sizeof day);
  }
  int rc = mw_report_range_period(cfg->tz, day, day, p, err);
  *as_of = o->has_as_of || now > p->to ? p->to : now;
  return rc;
}

/* Matches the archive with the new rules, then tries the new verdicts and
 * counts the targets before and after, then prints the diff.
 *
 * The walk (the long part: a million articles take about 10 s) only
 * reads, so a crawler writing meanwhile is not held up. The write phase
 * is short: one transaction that counts the targets, records the changed
 * verdicts, counts them again and is always rolled back, never committed:
 * the verdicts and the mentions the target counts index are undone
 * together (the store's own writes nest as savepoints inside it), and a
 * crash midway leaves an uncommitted transaction, which SQLite discards.
 * Articles stored between the two phases count alike before and after. */
static int evaluate(struct rules_diff *r, const struct options *o) {
  struct mw_report_period p;
  int64_t as_of;
  struct mw_report_data *d_before = NULL, *d_after = NULL;
  struct target_row *before = NULL, *after = NULL;
  size_t nb = 0, na = 0;
  int rc = target_period(r->cur, o, &p, &as_of, r->err);
  if (!rc) rc = mw_store_each_article(r->store, o->since, visit, r, r->err);
  bool began = false;
  if (!rc) began = !(rc = mw_store_begin(r->store, r->err));
  if (!rc)
    rc = count_targets(r->cur, r->store, &p, as_of, &d_before, &before, &nb,
                       r->err);
  if (!rc) rc = apply_changes(r);
  if (!rc)
    rc = count_targets(r->next, r->store, &p, as_of, &d_after, &after, &na,
                       r->err);
  if (began) mw_store_rollback(r->store);
  struct target_diff *td = calloc(nb + na + 1, sizeof *td);
  if (!rc && !td) rc = mw_err_set(r->err, MW_ENOMEM, "out of memory");
  if (!rc) {
    size_t n_td = diff_targets(before, nb, after, na, td);
    if (o->json) {
      if (mw_rules_print_json(r, r->cur->storage_path, td, n_td))
        rc = mw_err_set(r->err, MW_ENOMEM, "out of memory");
    } else {
      mw_rules_print_text(r, td, n_td, r->cur->n_targets || r->next->n_targets);
    }
  }
  free(td);
  free(before);
  free(after);
  mw_report_data_free(d_before);
  mw_report_data_free(d_after);
  return rc;
}

static int run(struct rules_diff *r, const struct options *o) {
  struct stat sb;
  if (stat(r->cur->storage_path, &sb) != 0) {
    mw_cli_error(
        "no database at %s (the storage of %s) yet: nothing to "
        "compare; run 'mediawatch crawl --once' first",
        r->cur->storage_path, r->cur->path);
    return MW_EXIT_FAIL;
  }
  struct mw_err err = {0};
  r->err = &err;
  if (mw_store_open(r->cur->storage_path, &r->store, &err)) {
    mw_cli_error("%s", err.msg);
    return MW_EXIT_FAIL;
  }
  size_t n = mw_matcher_topic_count(r->m);
  r->results = calloc(n ? n : 1, sizeof *r->results);
  int rc = r->results ? evaluate(r, o)
                      : mw_err_set(&err, MW_ENOMEM, "out of memory");
  if (rc) mw_cli_error("%s (nothing was changed)", err.msg);
  free(r->results);
  free(r->changes);
  mw_store_close(r->store);
  return rc ? MW_EXIT_FAIL : MW_EXIT_OK;
}

/* Parses DATE of option name in cfg's zone into *t. */
static int parse_date(const struct mw_config *cfg, const char *name,
                      const char *text, int64_t *t) {
  int offset = mw_tz_offset_at(cfg->tz, (int64_t)time(NULL));
  if (!mw_date_parse(text, strlen(text), offset, t)) return MW_OK;
  mw_cli_error("%s: '%s' is not a date; write it as 2023-05-01", name, text);
  return MW_EINVAL;
}

/* Everything after the options are read: both configs, the topics that
 * differ, the new matcher, then the store. */
static int diff_main(const char *cur_path, const char *new_path,
                     const char *since_text, const char *as_of_text,
                     size_t max_examples, bool json) {
  struct mw_err err = {0};
  struct mw_config *cur = NULL, *next = NULL;
  struct mw_matcher *m = NULL;
  struct topic_diff *topics = NULL;
  size_t n_topics = 0;
  struct options o = {.json = json};
  int status = MW_EXIT_USAGE;
  if (mw_config_load(cur_path, &cur, &err)) {
    mw_cli_error("%s", err.msg);
    goto done;
  }
  if (mw_config_load(new_path, &next, &err)) {
    mw_cli_error("%s", err.msg);
    goto done;
  }
  if (since_text && parse_date(cur, "--since", since_text, &o.since)) goto done;
  if (as_of_text) {
    int64_t t;
    if (parse_date(cur, "--as-of", as_of_text, &t)) goto done;
    struct mw_civil c;
    mw_tz_to_civil(cur->tz, t, &c);
    o.has_as_of = true;
    o.as_of_day = mw_days_from_civil(c.year, c.month, c.day);
  }
  if (diff_topics(cur, next, &topics, &n_topics)) {
    mw_cli_error("out of memory");
    status = MW_EXIT_FAIL;
    goto done;
  }
  if (!n_topics) {
    if (json) {
      struct rules_diff none = {.cur = cur, .next = next};
      if (mw_rules_print_json(&none, cur->storage_path, NULL, 0)) {
        mw_cli_error("out of memory");
        status = MW_EXIT_FAIL;
        goto done;
      }
    } else {
      printf("no topic differs between %s and %s: nothing to evaluate\n",
             cur->path, next->path);
    }
    status = MW_EXIT_OK;
    goto done;
  }
  if (strcmp(cur->storage_path, next->storage_path))
    fprintf(stderr,
            "mediawatch: note: %s names the database %s; the current "
            "config's %s is used\n",
            next->path, next->storage_path, cur->storage_path);
  if (mw_matcher_new_config(next, &m, &err)) {
    mw_cli_error("%s: %s", next->path, err.msg);
    goto done;
  }
  mw_cli_print_rule_errors(next, m, "mediawatch: warning: ");
  for (size_t i = 0; i < n_topics; i++)
    if (topics[i].change != REMOVED)
      topics[i].evaluated = mw_matcher_topic_valid(m, topics[i].new_index);
  struct rules_diff r = {.cur = cur,
                         .next = next,
                         .m = m,
                         .topics = topics,
                         .n_topics = n_topics,
                         .max_examples = max_examples};
  status = run(&r, &o);
done:
  topics_free(topics, n_topics);
  mw_matcher_free(m);
  mw_config_free(next);
  mw_config_free(cur);
  return status;
}

static int cmd_diff(int argc, char **argv) {
  static const struct option opts[] = {
      {"config", required_argument, NULL, 'c'},
      {"current", required_argument, NULL, 'C'},
      {"since", required_argument, NULL, 's'},
      {"examples", required_argument, NULL, 'n'},
      {"as-of", required_argument, NULL, 'a'},
      {"json", no_argument, NULL, 'j'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  const char *new_path = NULL, *cur_path = MW_DEFAULT_CONFIG;
  const char *since = NULL, *as_of = NULL;
  int64_t examples = 3;
  bool json = false;
  int c;
  optind = 0;
  while ((c = getopt_long(argc, argv, "c:C:s:n:a:jh", opts, NULL)) != -1) {
    switch (c) {
      case 'c': new_path = optarg; break;
      case 'C': cur_path = optarg; break;
      case 's': since = optarg; break;
      case 'a': as_of = optarg; break;
      case 'j': json = true; break;
      case 'n':
        if (mw_parse_int64(optarg, 0, 1000, &examples)) {
          mw_cli_error("--examples: '%s' is not a number from 0 to 1000",
                       optarg);
          return MW_EXIT_USAGE;
        }
        break;
      case 'h': fputs(diff_help, stdout); return MW_EXIT_OK;
      default: fputs(diff_help, stderr); return MW_EXIT_USAGE;
    }
  }
  if (optind != argc) {
    fputs(diff_help, stderr);
    return MW_EXIT_USAGE;
  }
  if (!new_path) {
    mw_cli_error("rules diff: give the edited config with --config NEW.yaml");
    return MW_EXIT_USAGE;
  }
  return diff_main(cur_path, new_path, since, as_of, (size_t)examples, json);
}

int mw_cmd_rules(int argc, char **argv) {
  if (argc < 2) {
    fputs(rules_help, stderr);
    return MW_EXIT_USAGE;
  }
  if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
      !strcmp(argv[1], "help")) {
    fputs(rules_help, stdout);
    return MW_EXIT_OK;
  }
  if (!strcmp(argv[1], "diff")) return cmd_diff(argc - 1, argv + 1);
  mw_cli_error(
      "rules: unknown command '%s'; 'mediawatch rules --help' "
      "lists them",
      argv[1]);
  return MW_EXIT_USAGE;
}
